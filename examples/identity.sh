#!/usr/bin/env bash
# Identity (whitepaper 4.4): prove an attribute, not the document.
#
# A user's identity credential (name, birth date, country, document
# number) is encrypted under the threshold key.  A relying party, say an
# exchange that may not serve residents of embargoed countries, wants to
# know one thing.  The enclave decrypts the credential, checks it, and
# releases only "resident of a non-embargoed country: yes" (or "no").
#
# The certificate is the enclave's result itself: the ccc/result/v1 blob
# carries the output, the request id, the code measurement and the input
# digests, bound by an attestation document the enclave signed with its
# attestation key (a certificate chain to the operator's root).  It is
# one-time: the relying party's fresh challenge is the attestation's nonce
# (ccc-enclave-run -n), the request id is served once by every decryption
# node, and the per-request key is erased after the run.  The relying party
# checks it with ccc-attest-verify against its own policy (which root, which
# nonce) and the certified request; nothing in it names the user's country,
# birth date or document.
#
# The enclave is not the user's choice: the oracles certify a pool of
# enclaves, the pool assigns each request id its enclave, and that enclave
# makes the request's key, attested.  The oracles and the nodes check the
# attestation and the assignment (attest.policy, the pool) before they
# sign or serve, so the credential is opened only in the assigned enclave,
# and the result must be signed by that same enclave.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified pool.  Every file stays in the work
# directory.
set -euo pipefail
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# shellcheck source-path=SCRIPTDIR source=enclave-pool.bash
. "$examples/enclave-pool.bash"

step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified pool"
run ccc-keygen dealer -t 2 -n 3 -d committee
for i in 1 2 3; do
	run ccc-keygen identity -o "oracle-$i.key" -p "oracle-$i.pub" -N "oracle-$i"
done
run ccc-quorum-sign roster -q 2 -N oracles -o roster oracle-1.pub oracle-2.pub oracle-3.pub
run ccc-keygen attest-root -o root.key -p root.pem -N example-root
run ccc-keygen enclave-cert -r root.key -o enclave-1.key -p enclave-1.pem -N enclave-1
# The oracles' and nodes' policy for the enclave's attested keys.
printf 'ccc-attest-policy 1\nroot software root.pem example-root\nmeasurements any\nallow-software yes\n' >attest.policy
# The oracles certify the pool of enclaves that may serve requests.
certify_pool enclave-1.pem

step "the program: check the credential's country against the embargo list"
cat >program <<'EOF'
#!/bin/bash
# residency: the input is a credential of "field: value" lines; prints
# whether its country is outside the embargo list, and nothing else.
# Exits 1 on a credential without a well-formed country.
EMBARGOED=" CU IR KP SY "
EOF
cat "$examples/enclave-input.bash" >>program
cat >>program <<'EOF'
inputs=()
hd
for k in 0 1 2 3; do
	hd; hd
	case $k in
	2) txt; app=$s ;;
	3) for ((m = v; m > 0; m--)); do hd; txt; inputs+=("$s"); done ;;
	*) p=$((p + v)) ;;
	esac
done
[[ ${inputs[0]} =~ (^|$'\n')country:\ ([A-Z]{2})($'\n'|$) ]] || exit 1
country=${BASH_REMATCH[2]}
if [[ $EMBARGOED == *" $country "* ]]; then answer=no; else answer=yes; fi
printf 'resident of a non-embargoed country: %s\n' "$answer"
EOF
mkdir -p code
run cp program "code/$(sha384sum <program | cut -d' ' -f1)"
# The relying party's policy: documents from this operator's software root,
# and only from this program (PCR 2 is the code's SHA-384): a program that
# always says yes would have another measurement.
printf 'ccc-attest-policy 1\nroot software root.pem example-root\nmeasurements residency pcr2=%s\nallow-software yes\n' \
    "$(sha384sum <program | cut -d' ' -f1)" >relying-party.policy
cat relying-party.policy

# certificate USER CHALLENGE: USER's credential checked for the relying
# party's challenge (hex); the certificate is USER.result.
certificate() {
	local u=$1 nonce=$2 i
	step "$u: a request for the attested key of the enclave the pool assigns, certified by 2 oracles"
	assigned_key "$u.request"
	run ccc-quorum-sign request -a residency -x program -k committee/tpk.cbor \
	    -r roster -P pool -K "$u.request.pub" -I "$request_id" \
	    -o "$u.request" "$u.credential.ct"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "$u.sig-$i" "$u.request"
	done
	run ccc-quorum-sign combine -r roster -b "$u.request" -o "$u.certified" \
	    "$u.sig-1" "$u.sig-2"
	step "$u: the nodes serve it; the enclave checks the credential and attests the answer, with the challenge as nonce"
	for i in 1 2 3; do
		run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "$u.sealed-$i" "$u.certified"
	done
	run ccc-enclave-run -r roster -k committee/tpk.cbor -i "$u.request.key" \
	    -a "$enclave.key" -x code -n "$nonce" -o "$u.result" "$u.certified" \
	    "$u.sealed-1" "$u.sealed-2" "$u.sealed-3"
}

# check USER CHALLENGE: what the relying party does with the certificate.
check() {
	local u=$1 nonce=$2
	step "the relying party checks $u's certificate: its root, its challenge, the request it answers"
	echo "\$ ccc-attest-verify -p relying-party.policy -r $u.certified -n $nonce $u.result > $u.verified"
	ccc-attest-verify -p relying-party.policy -r "$u.certified" -n "$nonce" \
	    "$u.result" >"$u.verified"
	grep -E '^(mode|root|module_id|nonce|pcr2):' "$u.verified"
	run ccc-combine --result "$u.result" -o "$u.attribute"
	cat "$u.attribute"
}

step "1. alice and bob encrypt their credentials under the threshold key"
printf 'name: Alice Example\nborn: 1990-04-01\ncountry: PT\ndocument: P1234567\n' >alice.credential
printf 'name: Bob Example\nborn: 1985-09-12\ncountry: KP\ndocument: K7654321\n' >bob.credential
for u in alice bob; do
	run ccc-encrypt -k committee/tpk.cbor -l app:residency -o "$u.credential.ct" "$u.credential"
done

challenge_a=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
challenge_b=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
echo "the relying party's challenges: $challenge_a (alice), $challenge_b (bob)"
certificate alice "$challenge_a"
check alice "$challenge_a"
certificate bob "$challenge_b"
check bob "$challenge_b"

step "one-time: alice's certificate does not answer another challenge"
echo "\$ ccc-attest-verify -p relying-party.policy -r alice.certified -n $challenge_b alice.result"
if ccc-attest-verify -p relying-party.policy -r alice.certified \
    -n "$challenge_b" alice.result >/dev/null 2>replay.refused; then
	echo "FAIL: the certificate was accepted for another challenge" >&2
	exit 1
fi
cat replay.refused

step "check"
grep -qx 'resident of a non-embargoed country: yes' alice.attribute
grep -qx 'resident of a non-embargoed country: no' bob.attribute
grep -q "^nonce: $challenge_a\$" alice.verified
# The certificates say nothing else about the credentials.
for secret in 'Alice Example' 1990-04-01 P1234567 'Bob Example' K7654321 \
    'country: PT' 'country: KP'; do
	if grep -aqF "$secret" alice.result bob.result alice.attribute \
	    bob.attribute alice.verified bob.verified; then
		echo "FAIL: '$secret' is in a certificate" >&2
		exit 1
	fi
done
echo "ok: only the residency attribute was released, as one-time certificates signed by the enclave and verified by the relying party; files are in $work"
