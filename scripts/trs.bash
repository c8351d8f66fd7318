# Sourced by scripts/test and scripts/soak: automake's per-test results in
# a build directory (one .trs per test file; each TAP line of a test file
# becomes one :test-result: there).

# trs_count DIR: trs_pass and trs_fail, the passed (PASS, XFAIL, SKIP) and
# failed (FAIL, XPASS, ERROR) results under DIR/tests.
trs_count() {
	local all
	all=$(find "$1/tests" -name '*.trs' -exec cat {} + 2>/dev/null)
	trs_pass=$(grep -c '^:test-result: \(PASS\|XFAIL\|SKIP\)' <<<"$all")
	trs_fail=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' <<<"$all")
	return 0
}

# trs_failed_logs DIR: the test logs under DIR/tests that record a failure.
trs_failed_logs() {
	find "$1/tests" -name '*.log' ! -name test-suite.log -print0 2>/dev/null |
	    xargs -0 -r grep -l '^not ok\|^ERROR\|^FAIL' 2>/dev/null
}
