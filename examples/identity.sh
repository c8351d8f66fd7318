#!/usr/bin/env bash
# Identity (whitepaper 4.4): prove an attribute, not the document, with
# the enclave as a credential re-certifier.
#
# An issuer (a state, a bank) signs each user's credential with its
# Ed25519 key: "field: value" lines (the person, name, birth date,
# country, document number) and the signature.  The user encrypts it under
# the threshold key.  The re-certifier is an enclave program that pins the
# issuer's public key: it checks the signature, checks the issuer's signed
# revocation list, checks the claim ("resident of a non-embargoed
# country") and, only if all hold, issues a one-time certificate
# (ccc/id-cert/v1) for the user's blockchain address, the relying party and
# its challenge.  Nothing else leaves the enclave: not the name, the birth
# date, the country or the document.
#
# The certificate is signed with the re-certifier's long-term key, which
# exists only threshold-encrypted under the custody label
# app:idcert/code=<the program's SHA-384>: the oracles and every node serve
# it only to a request that runs exactly that program in an attested
# enclave of the certified pool.  So the relying party (or a contract)
# checks a certificate offline, with the re-certifier's public key alone
# (ccc-attest-verify cert), with no call to the service.
#
# Sybil-resistant pseudonyms: the certificate carries the user's pseudonym
# at that relying party, HMAC-SHA256 of the relying party and the
# credential's person, keyed by a second key in the same custody: the
# same person always has the same pseudonym at a relying party, whatever
# address or document, and unlinkable ones at two.
#
# Escrow: the user also encrypts the credential under a label that binds
# it to a disclosure program and to the regulator's key
# (app:escrow/code=<sha384>/recipient=<sha256>): only a request certified
# by the oracles, running that program, with its output sealed to the
# regulator, opens it.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified pool.  Every file stays in the work
# directory.  Time is fixed: the revocation list is of 2026-01-01 and the
# relying parties check the certificates an hour later.
set -euo pipefail
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# shellcheck source-path=SCRIPTDIR source=identity-steps.bash
. "$examples/identity-steps.bash"
issued=1767225600 at=1767229200
alice=0x00000000000000000000000000000000000a11ce
alice2=0x000000000000000000000000000000000a11ce02
bob=0x0000000000000000000000000000000000000b0b
carol=0x00000000000000000000000000000000000ca201
mallory=0x0000000000000000000000000000000000bad001

# refused NAME WHAT: serve_query NAME as refused, its reason printed.
refused() {
	if serve_query "$1" "$2" 2>"$1.refused"; then
		echo "FAIL: the re-certifier certified $2's query" >&2
		exit 1
	fi
	tail -n 1 "$1.refused"
}

# oracle_refuses NAME APP CODE CT...: NAME's request, which an oracle
# must refuse to sign; its reason printed.
oracle_refuses() {
	request "$@"
	echo "\$ ccc-quorum-sign sign -i oracle-1.key -k committee/tpk.cbor -A attest.policy -r roster -P pool -o $1.sig-1 $1.request"
	if ccc-quorum-sign sign -i oracle-1.key -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o "$1.sig-1" "$1.request" \
	    2>"$1.refused"; then
		echo "FAIL: an oracle signed $1.request" >&2
		exit 1
	fi
	cat "$1.refused"
}

# verify NAME ADDRESS AUDIENCE NONCE: the relying party's offline check.
verify() {
	run ccc-attest-verify cert -i recertifier.pub -a "$at" -s "$2" -d "$3" \
	    -n "$4" "$1.cert" | tee "$1.verified"
}

deploy

step "1. the issuer signs credentials and a revocation list; mallory forges one"
credential alice $'person: PT-1990-0042\nname: Alice Example\nborn: 1990-04-01\ncountry: PT\ndocument: P1234567\n'
credential bob $'person: KP-1985-0007\nname: Bob Example\nborn: 1985-09-12\ncountry: KP\ndocument: K7654321\n'
credential carol $'person: PT-1979-0311\nname: Carol Example\nborn: 1979-02-28\ncountry: PT\ndocument: P7777777\n'
revocation_list "$issued" P7777777
# bob's credential, country PT: the issuer's signature no longer matches.
sed 's/^country: KP$/country: PT/' bob.credential >mallory.credential
run ccc-encrypt -k committee/tpk.cbor -l app:idcert -o mallory.credential.ct mallory.credential

challenge=00112233445566778899aabbccddeeff
step "2. alice's certificate for the exchange, checked offline with the re-certifier's public key"
recertify a1 alice "$alice" exchange.example "$challenge"
verify a1 "$alice" exchange.example "$challenge"

step "3. alice again, from another address: the same pseudonym at the exchange (no second account)"
recertify a2 alice "$alice2" exchange.example 0102030405060708
verify a2 "$alice2" exchange.example 0102030405060708
step "4. alice at the lender: another pseudonym, unlinkable to the first"
recertify a3 alice "$alice" lender.example 0a0b0c0d0e0f1011
verify a3 "$alice" lender.example 0a0b0c0d0e0f1011

step "5. no certificate: bob's claim does not hold (7), carol's credential is revoked (6), mallory's is forged (4)"
query b1 bob "$bob" exchange.example "$challenge"
refused b1 bob
query c1 carol "$carol" exchange.example "$challenge"
refused c1 carol
query m1 mallory "$mallory" exchange.example "$challenge"
refused m1 mallory

step "6. one-time: alice's certificate does not answer another challenge, address or relying party"
for opt in "-n 0102030405060708" "-s $bob" "-d lender.example"; do
	# shellcheck disable=SC2086 # opt is an option and its value
	echo "\$ ccc-attest-verify cert -i recertifier.pub -a $at $opt a1.cert"
	# shellcheck disable=SC2086
	if ccc-attest-verify cert -i recertifier.pub -a "$at" $opt a1.cert \
	    >/dev/null 2>a1.misused; then
		echo "FAIL: the certificate was accepted with $opt" >&2
		exit 1
	fi
	cat a1.misused
done

step "7. the re-certifier's key for other code: the oracles refuse"
printf '#!/bin/bash\n# leak: prints its inputs.\n' >leak
cat "$examples/enclave-input.bash" >>leak
oracle_refuses leak idcert leak recertifier.key.ct

step "8. escrow: alice's credential, for the regulator's certified disclosure only"
escrow_setup
escrow alice
serve -O sealed -R regulator.pub r1 escrow disclose alice.escrow.ct
run ccc-combine --result r1.result -i regulator.key -o r1.credential
cat r1.credential
oracle_refuses r2 escrow disclose alice.escrow.ct

step "check"
pseudonym() { sed -n 's/^pseudonym: //p' "$1.verified"; }
[[ $(pseudonym a1) == "$(pseudonym a2)" ]]
[[ $(pseudonym a1) != "$(pseudonym a3)" ]]
grep -qx 'claim: resident of a non-embargoed country' a1.verified
grep -q 'status 7;' b1.refused
grep -q 'status 6;' c1.refused
grep -q 'status 4;' m1.refused
assert_no() { [[ ! -e $1 ]] || { echo "FAIL: $1" >&2; exit 1; }; }
assert_no b1.result; assert_no c1.result; assert_no m1.result
cmp -s r1.credential alice.credential
# The certificates say nothing else about the credentials.
for secret in 'Alice Example' 1990-04-01 P1234567 PT-1990-0042 'country: PT'; do
	if grep -aqF "$secret" a1.cert a2.cert a3.cert a1.result a1.verified; then
		echo "FAIL: '$secret' is in a certificate" >&2
		exit 1
	fi
done
echo "ok: the re-certifier in custody issued one-time certificates of the claim only, with one pseudonym per person and relying party, refused a false claim, a revoked and a forged credential, and only the regulator opened the escrow; files are in $work"
