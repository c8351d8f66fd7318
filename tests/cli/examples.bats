#!/usr/bin/env bats
# Every script in examples/ runs to completion and checks its own result.
bats_require_minimum_version 1.5.0
load helpers

@test "examples/threshold-decrypt.sh runs and decrypts" {
	run -0 --separate-stderr env WORKDIR="$BATS_TEST_TMPDIR" \
	    bash "$TOP_SRCDIR/examples/threshold-decrypt.sh"
	[ -z "$stderr" ]
	[[ "$output" == *"ok: 5 of 7 nodes decrypted the message"* ]]
	cmp "$BATS_TEST_TMPDIR/message.txt" "$BATS_TEST_TMPDIR/decrypted.txt"
}

@test "examples/batch-decrypt.sh streams 2,000 readings through 3 of 5 nodes" {
	run -0 --separate-stderr env WORKDIR="$BATS_TEST_TMPDIR" \
	    bash "$TOP_SRCDIR/examples/batch-decrypt.sh"
	[ -z "$stderr" ]
	[[ "$output" == *'  "count": 2000,'* ]]
	[[ "$output" == *"ok: 2000 readings decrypted by 3 of 5 nodes"* ]]
	(($(wc -c <"$BATS_TEST_TMPDIR/readings.seq") == 2000 * 34))
	cmp "$BATS_TEST_TMPDIR/readings.seq" "$BATS_TEST_TMPDIR/decrypted.seq"
}

@test "every example script is run by some bats test" {
	for f in "$TOP_SRCDIR"/examples/*.sh; do
		grep -lq "examples/$(basename "$f")" "$TOP_SRCDIR"/tests/cli/*.bats ||
		    { echo "no test runs examples/$(basename "$f")"; return 1; }
	done
}
