#!/usr/bin/env bats
# scripts/soak: the whole suite again and again beside busy loops, stopping
# at the first failing run.  The build directory here is a stand-in whose
# `make check` (b/check.sh) writes automake's result files, exits $RC at
# run $FAIL_AT, and records the busy loops running beside it.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	mkdir b
	printf 'check:\n\t@sh ./check.sh\n' >b/Makefile
	cat >b/check.sh <<-'EOF'
	n=$(cat count 2>/dev/null || echo 0)
	n=$((n + 1))
	echo "$n" >count
	# soak's bash children (make is not one): its busy loops.
	p=$$
	while [ "$p" -gt 1 ]; do
		case $(ps -o args= -p "$p") in *scripts/soak*) break ;; esac
		p=$(ps -o ppid= -p "$p" | tr -d ' ')
	done
	pgrep -P "$p" -x bash >"busy-$n"
	mkdir -p tests/cli
	printf ':test-result: PASS\n:test-result: SKIP\n' >tests/cli/a.trs
	if [ "$n" = "${FAIL_AT:-}" ]; then
		printf ':test-result: FAIL\n' >tests/cli/b.trs
		printf 'not ok 1 b\n' >tests/cli/b.log
		exit "${RC:-2}"
	fi
	EOF
}

# gone FILE: none of the pids in FILE is still running.
gone() {
	local p
	while read -r p; do
		! kill -0 "$p" 2>/dev/null || fail "busy loop $p still runs"
	done <"$1"
}

# soak -N ARG...: scripts/soak ARG..., its status N.  A soak that leaves a
# busy loop behind would wait for it for ever: timeout makes that a
# failure (status 124) instead.
soak() {
	crun "$1" timeout -k 5 120 bash "$TOP_SRCDIR/scripts/soak" "${@:2}"
}

@test "soak: runs in a row, each with its count, and the busy loops stop with it" {
	soak -0 -n 3 -b 2 b
	assert_stderr_empty
	assert_output "soak: run 1 of 3: 2 passed, 0 failed
soak: run 2 of 3: 2 passed, 0 failed
soak: run 3 of 3: 2 passed, 0 failed
soak: 3 runs in a row passed"
	[[ $(cat b/count) == 3 ]]
	local n
	for n in 1 2 3; do
		[[ $(wc -l <"b/busy-$n") == 2 ]] ||
		    fail "run $n: busy loops $(cat "b/busy-$n")"
		gone "b/busy-$n"
	done
}

@test "soak: the first failing run stops it, naming its log and the failing tests'" {
	FAIL_AT=2 soak -1 -n 5 -b 1 b
	assert_output "soak: run 1 of 5: 2 passed, 0 failed
soak: run 2 of 5: 2 passed, 1 failed"
	assert_stderr "soak: run 2 failed: $PWD/b/soak-run.log"
	[[ $(cat b/count) == 2 ]]
	[[ $(tail -n 2 b/soak-run.log) == "== make check exited 2; the logs with a failure:
$PWD/b/tests/cli/b.log" ]]
	[[ $(wc -l <b/busy-2) == 1 ]]
	gone b/busy-2
}

@test "soak: each run starts from no results: a failure of the run before does not count again" {
	FAIL_AT=1 RC=0 soak -1 -n 2 -b 0 b
	assert_output "soak: run 1 of 2: 2 passed, 1 failed"
	assert_stderr "soak: run 1 failed: $PWD/b/soak-run.log"
	# The next soak's first run passes: the old b.trs is gone.
	FAIL_AT=1 soak -0 -n 1 -b 0 b
	assert_output "soak: run 1 of 1: 2 passed, 0 failed
soak: 1 runs in a row passed"
	[[ ! -e b/tests/cli/b.trs ]]
}

@test "soak: make failing with every result passed, or no result at all, fails the run" {
	printf 'check:\n\t@sh ./check.sh; exit 2\n' >b/Makefile
	soak -1 -n 2 -b 0 b
	assert_output "soak: run 1 of 2: 2 passed, 0 failed"
	assert_stderr "soak: run 1 failed: $PWD/b/soak-run.log"
	printf 'check:\n\t@true\n' >b/Makefile
	soak -1 -n 2 -b 0 b
	assert_output "soak: run 1 of 2: 0 passed, 0 failed"
	assert_stderr "soak: run 1 failed: $PWD/b/soak-run.log"
}

@test "soak: usage errors are one line, exit 2, and run nothing" {
	local u='(scripts/soak [-n RUNS] [-b BUSY] [BUILD_DIR])'
	soak -2 -n 0 b
	assert_stderr "soak: usage: -n takes 1 or more runs $u"
	assert_output_empty
	soak -2 -b x b
	assert_stderr "soak: usage: -b takes a number of busy loops $u"
	soak -2 -x b
	assert_stderr "soak: usage: unknown option -x $u"
	soak -2 -n
	assert_stderr "soak: usage: -n needs a value $u"
	soak -2 b c
	assert_stderr "soak: usage: one build directory $u"
	soak -2 nowhere
	assert_stderr "soak: usage: nowhere is not a configured build (no Makefile) $u"
	[[ ! -e b/count ]]
}
