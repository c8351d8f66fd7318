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

@test "examples/confidential-api.sh: the encrypted credential calls the API; only the balance comes out" {
	example confidential-api.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the enclave called the API with the encrypted credential and released only the balance; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/output <(echo 'balance: 1234.56 EUR')
}

@test "examples/data-feed.sh: subscribers on the allow-list get the feed, mallory nothing, every access logged" {
	example data-feed.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: alice and bob got the feed under their own keys, mallory got nothing, and every release is in the access logs; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/alice.feed work/feed.txt
	assert_no_file work/mallory.certified work/mallory.feed
}

@test "examples/private-token.sh: transfers applied in the enclave, new table under the threshold key, overdraft rejected" {
	example private-token.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the transfers were applied inside the enclave, the new table is encrypted under the threshold key with its hash public, and the overdraft was rejected; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_no_file work/batch-2.result
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
