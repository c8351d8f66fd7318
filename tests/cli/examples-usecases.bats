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

@test "examples/identity.sh: only the residency attribute, as a one-time certificate the relying party verifies" {
	example identity.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: only the residency attribute was released, as one-time certificates signed by the enclave and verified by the relying party; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/alice.attribute <(echo 'resident of a non-embargoed country: yes')
}

@test "examples/data-pool.sh: three hospitals, one aggregate, no record in any output" {
	example data-pool.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: the enclave released only the agreed aggregate of the three hospitals' records, and no record appears in any output; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/hospital-b.aggregate <(echo 'hospitals: 3; patients: 11; with type 2 diabetes: 7; their mean HbA1c: 7.76%')
}
