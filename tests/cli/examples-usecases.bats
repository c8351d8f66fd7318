#!/usr/bin/env bats
# The use-case examples of issue 5 (whitepaper section 4 and the
# Confidential Data Pool pattern): each script runs to completion in its own
# work directory and checks its own result.
bats_require_minimum_version 1.5.0
load helpers

# example NAME: run examples/NAME with WORKDIR in the test's directory.
example() {
	crun -0 env WORKDIR="$BATS_TEST_TMPDIR/work" \
	    bash "$TOP_SRCDIR/examples/$1"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	mkdir work
}

@test "examples/confidential-api.sh: the encrypted credential calls the API over pinned TLS; only the balance comes out, bound to the server and the response" {
	example confidential-api.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the enclave called the API over TLS with the pinned key and the encrypted credential, and released only the balance, bound to the server's certificate and the response; another server was refused; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/output <(
		printf 'server certificate sha256: %s\n' "$(openssl x509 \
		    -in work/api-server.pem -outform DER | sha256sum | cut -c1-64)"
		printf '%s' '{"owner": "Alice Example", "iban": "DE89370400440532013000", "balance": "1234.56", "currency": "EUR"}' |
		    sha256sum | sed 's/^\(.\{64\}\).*/response sha256: \1/'
		echo 'balance: 1234.56 EUR')
	# The server with another key of the same CA: curl's pin fails (90).
	assert_same work/other.status <(echo 1)
	assert_same work/other.refused <(echo 'ccc-enclave-run: code failed: the code exited with status 90; no result and no attestation')
	assert_no_file work/other-result
}

@test "examples/data-feed.sh: the provider's subscribers get the items, mallory is refused, ccc-inspect -R says who read what when" {
	example data-feed.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the provider's subscribers got the items they asked for under their own keys, mallory was refused by every oracle, and one ccc-inspect call over the nodes' logs says who read which item when; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/alice-1.feed work/item-1.txt
	assert_same work/alice-2.feed work/item-2.txt
	assert_same work/bob-1.feed work/item-1.txt
	assert_no_file work/mallory-1.certified work/mallory.feed
	assert_same work/mallory.refused <(for _ in 1 2 3; do
		echo 'ccc-quorum-sign: refused by policy: mallory-1.request: its output is sealed to a key that is not a subscriber of feed "feed"'
	done)
}

@test "examples/private-token.sh: signed transfers applied in the enclave, new table chained to the old, overdraft, unsigned transfer and stale table rejected" {
	example private-token.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the signed transfers were applied inside the enclave with sender, receiver and balances hidden, the certified result chains the new table to the old, and the overdraft, the unsigned transfer and the stale table were rejected; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_no_file work/batch-2.result work/batch-3.result \
	    work/batch-4.certified-result
}

@test "examples/private-token-accounts.sh: signed transfers accepted once, amounts moved in the enclave, overdraft rejected" {
	example private-token-accounts.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: only transfers signed by their sender were accepted, once each; the enclave moved the amounts and refused the overdraft, and every entry stays encrypted under the threshold key; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_no_file work/move-4.result
}

@test "examples/identity.sh: the re-certifier in custody certifies the claim only, one pseudonym per relying party, refusals, escrow" {
	example identity.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the re-certifier in custody issued one-time certificates of the claim only, with one pseudonym per person and relying party, refused a false claim, a revoked and a forged credential, and only the regulator opened the escrow; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/r1.credential work/alice.credential
	assert_no_file work/b1.result work/c1.result work/m1.result
}

@test "examples/data-pool.sh: three hospitals, one aggregate, no record in any output" {
	example data-pool.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the enclave released only the agreed aggregate of the three hospitals' records, and no record appears in any output; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/hospital-b.aggregate <(echo 'hospitals: 3; patients: 11; with type 2 diabetes: 7; their mean HbA1c: 7.76%')
}
