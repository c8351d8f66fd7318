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

@test "every example script is covered by a test here" {
	for f in "$TOP_SRCDIR"/examples/*.sh; do
		grep -q "examples/$(basename "$f")" "$BATS_TEST_FILENAME"
	done
}
