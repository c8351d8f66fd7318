#!/usr/bin/env bats
# The identity use case (whitepaper 4.4, issue 17): the re-certifier of
# examples/identity.sh, step by step, with its security properties.  The
# deployment, the issuer, the credentials and the escrow are made once
# (examples/identity-steps.bash); each test serves its own requests.
bats_require_minimum_version 1.5.0
load helpers

ISSUED=1767225600	# the revocation list: 2026-01-01T00:00:00Z
AT=1767229200		# the relying parties check an hour later
ALICE=0x00000000000000000000000000000000000a11ce
CLAIM='resident of a non-embargoed country'

# steps FUNCTION ARG...: a function of examples/identity-steps.bash, run
# in the work directory by a bash of its own, quietly.
steps() {
	bash -c 'set -euo pipefail
step() { :; }
run() { "$@"; }
. "$TOP_SRCDIR/examples/identity-steps.bash"
"$@"' steps "$@" >>steps.log
}

setup_file() {
	mkdir "$BATS_FILE_TMPDIR/work"
	cd "$BATS_FILE_TMPDIR/work" || return
	# A pseudonym key the test knows, to check the pseudonyms by.
	printf '%02x' {1..32} | xxd -r -p >pseudonym.key
	cp pseudonym.key pseudonym.known
	steps eval 'deploy
credential alice $'"'"'person: PT-1990-0042\nname: Alice Example\nborn: 1990-04-01\ncountry: PT\ndocument: P1234567\n'"'"'
credential bob $'"'"'person: KP-1985-0007\nname: Bob Example\nborn: 1985-09-12\ncountry: KP\ndocument: K7654321\n'"'"'
credential carol $'"'"'person: PT-1979-0311\nname: Carol Example\nborn: 1979-02-28\ncountry: PT\ndocument: P7777777\n'"'"'
revocation_list '"$ISSUED"' P7777777
escrow_setup
escrow alice'
	# Mallory: bob's credential with another country, bob's signature.
	sed 's/^country: KP$/country: PT/' bob.credential >mallory.credential
	ccc-encrypt -k committee/tpk.cbor -l app:idcert -o mallory.credential.ct \
	    mallory.credential
}

setup() {
	cd "$BATS_FILE_TMPDIR/work" || return
}

# pseudonym AUDIENCE PERSON: the pseudonym HMAC-SHA256 gives, by OpenSSL
# (the test's key on its command line: a test key, no secret).
pseudonym() {
	printf 'ccc/pseudonym/v1\0%s\0%s' "$1" "$2" >hmac.in
	openssl mac -digest SHA256 -macopt "hexkey:$(printf '%02x' {1..32})" \
	    -in hmac.in HMAC | tr 'A-F' 'a-f'
}

# cert_lines ADDRESS AUDIENCE NONCE PERSON: what ccc-attest-verify cert
# prints for a certificate of the claim.
cert_lines() {
	printf 'subject: %s\naudience: %s\nnonce: %s\nclaim: %s\npseudonym: %s\nas-of: 2026-01-01T00:00:00Z\nexpires: 2026-01-02T00:00:00Z' \
	    "$1" "$2" "$3" "$CLAIM" "$(pseudonym "$2" "$4")"
}

# verify NAME ARG...: the relying party's offline check of NAME.cert.
verify() {
	local n=$1
	shift
	crun "${CRUN_STATUS:--0}" ccc-attest-verify cert -i recertifier.pub \
	    -a "$AT" "$@" "$n.cert"
}

@test "usecase-identity: an issuer-signed credential gets a certificate of the claim only, checked offline with the re-certifier's public key" {
	steps recertify t1 alice "$ALICE" exchange.example 00112233445566778899aabbccddeeff
	verify t1 -s "$ALICE" -d exchange.example -n 00112233445566778899aabbccddeeff
	assert_stderr_empty
	assert_output "$(cert_lines "$ALICE" exchange.example 00112233445566778899aabbccddeeff PT-1990-0042)"
	# The certificate and the result say nothing else of the credential.
	for secret in 'Alice Example' 1990-04-01 P1234567 PT-1990-0042 'country: PT'; do
		if grep -aqF "$secret" t1.cert t1.result; then
			fail "'$secret' is in the certificate"
		fi
	done
	# A ccc/id-cert/v1 blob, which ccc-inspect knows.
	crun -0 ccc-inspect t1.cert
	[[ ${lines[1]} == '  "type": "ccc/id-cert/v1",' ]]
}

@test "usecase-identity: a forged issuer signature is refused inside the enclave (status 4), nothing is released" {
	steps query t2 mallory "$ALICE" exchange.example 0011223344556677
	crun -1 steps serve_query t2 mallory
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 4; no result and no attestation"
	assert_no_file t2.result
}

@test "usecase-identity: a revoked credential is refused (status 6), and a revocation list the issuer did not sign (status 5)" {
	steps query t3 carol "$ALICE" exchange.example 0011223344556677
	crun -1 steps serve_query t3 carol
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 6; no result and no attestation"
	assert_no_file t3.result
	# The list without carol's line, the issuer's signature kept.
	grep -v '^revoked: ' revoked >forged.list
	ccc-encrypt -k committee/tpk.cbor -l app:idcert -o forged.list.ct forged.list
	steps query t4 carol "$ALICE" exchange.example 0011223344556677
	crun -1 steps serve t4 idcert recertifier recertifier.key.ct \
	    pseudonym.key.ct carol.credential.ct forged.list.ct t4.query.ct
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 5; no result and no attestation"
	assert_no_file t4.result
	# A credential the issuer signed is no revocation list.
	steps query t4b carol "$ALICE" exchange.example 0011223344556677
	crun -1 steps serve t4b idcert recertifier recertifier.key.ct \
	    pseudonym.key.ct carol.credential.ct alice.credential.ct t4b.query.ct
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 5; no result and no attestation"
	assert_no_file t4b.result
}

@test "usecase-identity: a claim that does not hold is refused (status 7)" {
	steps query t5 bob "$ALICE" exchange.example 0011223344556677
	crun -1 steps serve_query t5 bob
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 7; no result and no attestation"
	assert_no_file t5.result
}

@test "usecase-identity: the re-certifier's key is refused to other code, with the oracle's reason" {
	local meas
	meas=$(sha384sum <recertifier | cut -c1-16)
	printf '#!/bin/bash\n# leak: prints its inputs.\n' >leak
	cat "$TOP_SRCDIR/examples/enclave-input.bash" >>leak
	steps request t6 idcert leak recertifier.key.ct pseudonym.key.ct
	crun -1 ccc-quorum-sign sign -i oracle-1.key -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o t6.sig-1 t6.request
	assert_output_empty
	assert_stderr "ccc-quorum-sign: refused by policy: t6.request: item 1: the label binds the code to $meas..., the request's code is $(sha384sum <leak | cut -c1-16)..."
	assert_no_file t6.sig-1
}

@test "usecase-identity: one pseudonym per person and relying party: the same from another address, another at another relying party" {
	local a2=0x000000000000000000000000000000000a11ce02
	steps recertify t7 alice "$ALICE" exchange.example 0102030405060708
	steps recertify t8 alice "$a2" exchange.example 1112131415161718
	steps recertify t9 alice "$ALICE" lender.example 2122232425262728
	verify t8 -s "$a2" -d exchange.example -n 1112131415161718
	assert_output "$(cert_lines "$a2" exchange.example 1112131415161718 PT-1990-0042)"
	verify t7
	assert_output "$(cert_lines "$ALICE" exchange.example 0102030405060708 PT-1990-0042)"
	verify t9
	assert_output "$(cert_lines "$ALICE" lender.example 2122232425262728 PT-1990-0042)"
	[[ $(pseudonym exchange.example PT-1990-0042) != "$(pseudonym lender.example PT-1990-0042)" ]]
}

@test "usecase-identity: the offline check refuses another nonce, subject or audience, out of its time, another key, a changed certificate" {
	steps recertify t10 alice "$ALICE" exchange.example 3132333435363738
	CRUN_STATUS=-1
	verify t10 -n 3132333435363739
	assert_output_empty
	assert_stderr "ccc-attest-verify: refused by policy: t10.cert: nonce mismatch"
	verify t10 -s 0x0000000000000000000000000000000000000b0b
	assert_stderr "ccc-attest-verify: refused by policy: t10.cert: subject mismatch"
	verify t10 -d lender.example
	assert_stderr "ccc-attest-verify: refused by policy: t10.cert: audience mismatch"
	crun -1 ccc-attest-verify cert -i recertifier.pub -a $((ISSUED + 86400)) t10.cert
	assert_stderr "ccc-attest-verify: expired: t10.cert: expired at 2026-01-02T00:00:00Z"
	crun -1 ccc-attest-verify cert -i recertifier.pub -a $((ISSUED - 1)) t10.cert
	assert_stderr "ccc-attest-verify: expired: t10.cert: not valid before 2026-01-01T00:00:00Z"
	crun -1 ccc-attest-verify cert -i oracle-1.pub -a "$AT" t10.cert
	assert_stderr "ccc-attest-verify: bad signature: t10.cert: not signed by the re-certifier oracle-1"
	# A byte of the claim changed: the signature no longer holds.
	sed 's/resident/residenT/' t10.cert >t10x.cert
	crun -1 ccc-attest-verify cert -i recertifier.pub -a "$AT" t10x.cert
	assert_stderr "ccc-attest-verify: bad signature: t10x.cert: not signed by the re-certifier recertifier"
	crun -1 ccc-attest-verify cert -i oracle-1.key -a "$AT" t10.cert
	assert_stderr "ccc-attest-verify: wrong blob type: oracle-1.key: a secret key: give the re-certifier's public key"
	crun -2 ccc-attest-verify cert t10.cert
	assert_stderr "ccc-attest-verify: usage: missing -i PUB (see ccc-attest-verify --help)"
	crun -2 ccc-attest-verify cert -i recertifier.pub -a document t10.cert
	assert_stderr "ccc-attest-verify: usage: --at: expected seconds since the epoch, YYYY-MM-DDTHH:MM:SSZ or now (see ccc-attest-verify --help)"
	crun -2 ccc-attest-verify cert -i recertifier.pub -p attest.policy t10.cert
	assert_stderr 'ccc-attest-verify: usage: unknown option "-p" (see ccc-attest-verify --help)'
	assert_output_empty
}

@test "usecase-identity: escrow: only the regulator's certified disclosure opens the credential" {
	local rh
	rh=$(tail -c 32 regulator.pub | sha256sum | cut -c1-16)
	steps serve -O sealed -R regulator.pub t11 escrow disclose alice.escrow.ct
	crun -0 ccc-combine --result t11.result -i regulator.key -o t11.credential
	assert_same t11.credential alice.credential
	# Not sealed to the regulator, or sealed to another key: the oracles
	# refuse.
	steps request t12 escrow disclose alice.escrow.ct
	crun -1 ccc-quorum-sign sign -i oracle-1.key -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o t12.sig-1 t12.request
	assert_stderr "ccc-quorum-sign: refused by policy: t12.request: item 1: the label binds the output to recipient $rh..., the request's output is not sealed to a recipient"
	ccc-keygen recipient -o other.key -p other.pub
	steps request -O sealed -R other.pub t13 escrow disclose alice.escrow.ct
	crun -1 ccc-quorum-sign sign -i oracle-1.key -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o t13.sig-1 t13.request
	assert_stderr "ccc-quorum-sign: refused by policy: t13.request: item 1: the label binds the output to recipient $rh..., the request's output is sealed to $(tail -c 32 other.pub | sha256sum | cut -c1-16)..."
	assert_no_file t12.sig-1 t13.sig-1
}
