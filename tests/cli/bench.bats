#!/usr/bin/env bats
# ccc-bench's options and its --check, and bench/chart.sh on the saved
# output of one `make bench` run (doc/bench-sample.txt).  No test depends
# on the machine's speed: --check's pass and failure are forced with the
# test hooks' CCC_BENCH_TARGET_SCALE (every target times it), far beyond
# any noise; the figures themselves are the bench's business, not the
# tests'.
bats_require_minimum_version 1.5.0
load helpers

BENCH=${CCC_BIN%/cmd}/bench/ccc-bench
CHART=$TOP_SRCDIR/bench/chart.sh
SAMPLE=$TOP_SRCDIR/doc/bench-sample.txt

setup() {
	cd "$BATS_TEST_TMPDIR" || return
}

@test "bench: --help names every option, on stdout" {
	local o
	crun -0 "$BENCH" --help
	assert_stderr_empty
	[[ ${lines[0]} == "usage: ccc-bench [-c] [-q] [-m FACTOR] [-r TEXT] [-b MAX] [-L | -F | -S]" ]] ||
	    fail "usage line: ${lines[0]}"
	for o in check quick margin rows batch level4 flow scale help; do
		[[ $output == *"--$o"* ]] || fail "--help lacks --$o"
	done
}

@test "bench: usage errors exit 2 with one line" {
	crun -2 "$BENCH" --margin 0.5
	assert_stderr "ccc-bench: usage: --margin takes a number from 1 to 100, not '0.5'"
	crun -2 "$BENCH" --batch x
	assert_stderr "ccc-bench: usage: --batch takes a number from 0 to 1e+07, not 'x'"
	crun -2 "$BENCH" --level4 --flow
	assert_stderr "ccc-bench: usage: --level4, --flow and --scale exclude each other"
	crun -2 "$BENCH" extra
	assert_stderr "ccc-bench: usage: unexpected argument 'extra'"
	crun -2 "$BENCH" --bogus
	[[ ${stderr_lines[0]} == "ccc-bench: usage: bad option '--bogus'" ]] ||
	    fail "first line: ${stderr_lines[0]}"
	[[ ${stderr_lines[1]} == "usage: ccc-bench "* ]] || fail "no usage"
}

# row NAME: the line of $output for the row NAME (NAME then spaces).
row() {
	local l
	for l in "${lines[@]}"; do
		[[ $l == "$1  "* ]] && { printf '%s\n' "$l"; return; }
	done
	fail "no row $1"
}

# over LINE ROW: LINE is --check's line for ROW at the default margin.
over() {
	[[ $1 =~ ^ccc-bench:\ over\ target:\ (.*):\ [0-9]+\.[0-9]{2}x,\ target\ [0-9.e-]+x\ x\ 1\.10$ ]] ||
	    fail "not a --check line: $1"
	[[ ${BASH_REMATCH[1]} == "$2" ]] || fail "row ${BASH_REMATCH[1]}, not $2"
}

@test "bench: --check fails with one line per row over target, passes under it" {
	need_test_hooks
	CCC_BENCH_TARGET_SCALE=0.0001 crun -1 "$BENCH" --quick --check \
	    --rows 'parse a 1 MiB'
	((${#stderr_lines[@]} == 1)) || fail "not one line on stderr"
	over "${stderr_lines[0]}" "parse a 1 MiB ciphertext (absolute)"
	[[ $output == *"  OVER"* ]] || fail "no OVER in the table"
	[[ ${lines[-1]} == "--check: 1 row(s) over target x 1.10" ]] ||
	    fail "last line: ${lines[-1]}"

	CCC_BENCH_TARGET_SCALE=10000 crun -0 "$BENCH" --quick --check \
	    --rows 'parse a 1 MiB'
	assert_stderr_empty
	[[ ${lines[-1]} == "--check: 0 row(s) over target x 1.10" ]] ||
	    fail "last line: ${lines[-1]}"

	# Without --check the same figures only report.
	CCC_BENCH_TARGET_SCALE=0.0001 crun -0 "$BENCH" --quick \
	    --rows 'parse a 1 MiB'
	assert_stderr_empty
	[[ $output == *"  OVER"* ]] || fail "no OVER in the table"
}

@test "bench: an operation is paired with its floor and the ratio printed" {
	local r
	need_test_hooks
	CCC_BENCH_TARGET_SCALE=10000 crun -0 "$BENCH" --quick --check \
	    --rows 'combine k=5'
	assert_stderr_empty
	# name, us, floor us, what the floor is, ratio, target
	r=$(row "combine k=5")
	[[ $r =~ ^combine\ k=5\ +[0-9]+\.[0-9]{2}\ +[0-9]+\.[0-9]{2}\ MSMk\+LAGk\+kDEC\+ENC\+SHA\ +[0-9]+\.[0-9]{2}x\ \ \<=1\.20x$ ]] ||
	    fail "row: $r"
	row "coin combine k=5" >/dev/null
}

@test "bench: a start-up row against the empty program, and its check" {
	local r
	need_test_hooks
	CCC_BENCH_TARGET_SCALE=10000 crun -0 "$BENCH" --quick --check \
	    --rows 'ccc-inspect start-up'
	assert_stderr_empty
	[[ $output == *"an empty "*" C program, 5 spawns of each in turn"* ]] ||
	    fail "no yardstick line"
	r=$(row ccc-inspect)
	[[ $r =~ ^ccc-inspect\ +[0-9]+\ +[0-9]+\ +[0-9]+\.[0-9]{2}x\ \ \<=[0-9.]+x\ \ goal\ 1\.30x:\ (met|not\ met)$ ]] ||
	    fail "row: $r"
	[[ $output != *"ccc-encrypt "* ]] || fail "--rows let another tool run"

	CCC_BENCH_TARGET_SCALE=0.0001 crun -1 "$BENCH" --quick --check \
	    --rows 'ccc-inspect start-up'
	((${#stderr_lines[@]} == 1)) || fail "not one line on stderr"
	over "${stderr_lines[0]}" "ccc-inspect start-up"

	# The dynamic empty program is a reference: no target, never over.
	CCC_BENCH_TARGET_SCALE=0.0001 crun -0 "$BENCH" --quick --check \
	    --rows 'empty-dynamic start-up'
	assert_stderr_empty
	r=$(row empty-dynamic)
	[[ $r =~ ^empty-dynamic\ +[0-9]+\ +[0-9]+\ +[0-9]+\.[0-9]{2}x\ \ \(reference\)$ ]] ||
	    fail "row: $r"
}

# points SVG: the number of circles, and of points of each polyline.
points() {
	python3 - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as E
ns = "{http://www.w3.org/2000/svg}"
root = E.parse(sys.argv[1]).getroot()
assert root.tag == ns + "svg", root.tag
print(len(root.findall(".//" + ns + "circle")),
      *[len(p.get("points").split()) for p in root.iter(ns + "polyline")])
EOF
}

@test "chart: the saved bench output makes well-formed SVG, the committed chart" {
	local nc nr
	nc=$(grep -cE '^combine k=[0-9]+ +[0-9.]+ +[0-9.]+ ' "$SAMPLE")
	nr=$(grep -cE '^  request n=[0-9]+ +t=[0-9]+ +[0-9.]+ ms' "$SAMPLE")
	((nc >= 4 && nr >= 3)) || fail "sample: $nc combine rows, $nr requests"
	crun -0 "$CHART" "$SAMPLE"
	assert_stderr_empty
	printf '%s\n' "$output" >chart.svg
	crun -0 points chart.svg
	# a circle a point; polylines: the floor, combine, the requests' CPU
	# and wall times
	[[ $output == "$((nc + nr)) $nc $nc $nr $nr" ]] || fail "points: $output"
	cmp chart.svg "$TOP_SRCDIR/doc/bench-chart.svg"
	"$CHART" <"$SAMPLE" >stdin.svg
	cmp chart.svg stdin.svg
}

@test "chart: a point where its value puts it; a panel without data says so" {
	printf '%s\n' 'combine k=10      100.00      50.00 MSMk+LAGk  2.00x' \
	    'combine k=67 (verify t + combine)   9.00   1.00 x  9.00x' >in
	crun -0 "$CHART" in
	printf '%s\n' "$output" >chart.svg
	crun -0 points chart.svg
	[[ $output == "1 1 1" ]] || fail "points: $output"
	# x to 10 in steps of 2, y to 120 in steps of 20, on 300 x 220 from
	# (70, 44): k=10 at x 370, 100 us at y 264 - 100/120 * 220.
	grep -qF '<circle cx="370.0" cy="80.7" r="3" class="p"/>' chart.svg ||
	    fail "the point is not at (370.0, 80.7)"
	grep -qF '>no data in this bench output</text>' chart.svg ||
	    fail "the request panel does not say it has no data"
}

@test "chart: input without rows, unreadable input, usage" {
	crun -1 "$CHART" /dev/null
	assert_stderr 'chart.sh: no "combine k=N" rows nor "request n=N" lines in the input'
	crun -2 "$CHART" no-such-file
	assert_stderr "chart.sh: cannot read: no-such-file"
	crun -2 "$CHART" a b
	assert_stderr "chart.sh: usage: chart.sh [FILE]"
	crun -0 "$CHART" --help
	[[ ${lines[0]} == "bench/chart.sh [FILE]: an SVG chart, on stdout, of what \`make bench\`" ]] ||
	    fail "help: ${lines[0]}"
}

@test "bench/dkg.py: a DKG row and a reshare row per n, every node at epoch 1; usage" {
	local dkg=$TOP_SRCDIR/bench/dkg.py shim=${CCC_BIN%/cmd}/bench/fsync-count.so
	crun -0 "$dkg" -n 3,4 -s "$shim"
	assert_stderr_empty
	[[ ${#lines[@]} == 6 ]] || fail "${#lines[@]} lines"
	[[ ${lines[1]} == "            n    t CPU s mean  CPU s max    syncs   runs  growth committee" ]] ||
	    fail "header: ${lines[1]}"
	# Each row: kind, n, t, then figures (a node's syncs and runs are the
	# same for every run of the protocol: 5 ccc-share runs each).
	[[ ${lines[2]} =~ ^dkg\ +3\ +3\ +[0-9]+\.[0-9]{3}\ +[0-9]+\.[0-9]{3}\ +[0-9]+\.0\ +5\.0\ +[0-9.]+s$ ]] ||
	    fail "row: ${lines[2]}"
	[[ ${lines[3]} =~ ^reshare\ +3\ +3\  ]] || fail "row: ${lines[3]}"
	[[ ${lines[4]} =~ ^dkg\ +4\ +3\ .*\ 5\.0\ +n\^-?[0-9]+\.[0-9]{2}\ +[0-9.]+s$ ]] ||
	    fail "row: ${lines[4]}"
	crun -2 "$dkg" -n 1
	assert_stderr "bench/dkg.py: usage: -n takes increasing committee sizes from 2 to 255, separated by commas, not '1'"
	crun -2 "$dkg" -n 3 -s nowhere.so
	assert_stderr "bench/dkg.py: usage: nowhere.so: no such shim (make bench/fsync-count.so)"
}

@test "bench/replay.py: the replay-marker rows, a node's and an oracle's serving rows; usage" {
	# The script's rows and usage: the tools' memory safety is the other
	# suites' (a few hundred processes under ASan cost minutes).
	[[ ${CCC_SANITIZERS:-no} != yes ]] ||
	    skip "the bench scripts run in the release build only"
	local replay=$TOP_SRCDIR/bench/replay.py
	crun -0 "$replay" -m 10 -p 3 -b 2
	assert_stderr_empty
	[[ ${#lines[@]} == 12 ]] || fail "${#lines[@]} lines"
	[[ ${lines[0]} == "replay markers: one request served by a node (ccc-reencrypt, CPU time, median of 3 pairs)" ]] ||
	    fail "title: ${lines[0]}"
	[[ ${lines[2]} =~ ^\ \ no\ markers\ +[0-9]+\.[0-9]{2}\ +1\.00x\ *$ ]] ||
	    fail "row: ${lines[2]}"
	[[ ${lines[3]} =~ ^\ \ 10\ markers,\ in\ buckets\ of\ expiry\ +[0-9]+\.[0-9]{2}\ +[0-9]+\.[0-9]{2}x\ +1\.10x$ ]] ||
	    fail "row: ${lines[3]}"
	[[ ${lines[5]} == "serving: 2 requests, one process each or one process (--serve), CPU time a request, median of 3 pairs" ]] ||
	    fail "title: ${lines[5]}"
	[[ ${lines[7]} =~ ^\ \ a\ process\ a\ request\ +[0-9]+\.[0-9]{2}\ +1\.00x\ *$ ]] ||
	    fail "row: ${lines[7]}"
	[[ ${lines[8]} =~ ^\ \ one\ process\ \(--serve\)\ +[0-9]+\.[0-9]{2}\ +[0-9]+\.[0-9]{2}x\ +0\.25x$ ]] ||
	    fail "row: ${lines[8]}"
	[[ ${lines[9]} =~ ^\ \ oracle\ \(sign\)\ +ms\ +ratio\ +target$ ]] ||
	    fail "header: ${lines[9]}"
	[[ ${lines[10]} =~ ^\ \ a\ process\ a\ request\ +[0-9]+\.[0-9]{2}\ +1\.00x\ *$ ]] ||
	    fail "row: ${lines[10]}"
	[[ ${lines[11]} =~ ^\ \ one\ process\ \(--serve\)\ +[0-9]+\.[0-9]{2}\ +[0-9]+\.[0-9]{2}x\ +0\.25x$ ]] ||
	    fail "row: ${lines[11]}"
	crun -2 "$replay" -p 2
	assert_stderr "bench/replay.py: usage: -m takes 1 or more markers, -p 3 or more pairs, -b 1 or more requests"
}

@test "bench/serving.py: a whole request a process a command and through serving processes; usage" {
	# The script's rows and usage: the tools' memory safety is the other
	# suites' (a few hundred processes under ASan cost minutes).
	[[ ${CCC_SANITIZERS:-no} != yes ]] ||
	    skip "the bench scripts run in the release build only"
	local serving=$TOP_SRCDIR/bench/serving.py
	crun -0 "$serving" -n 2
	assert_stderr_empty
	[[ ${#lines[@]} == 19 ]] || fail "${#lines[@]} lines"
	[[ ${lines[0]} == "a whole request, steps 1 to 7 (n=7, t=5, 4 oracles, q=3), 2 requests each way, interleaved" ]] ||
	    fail "title: ${lines[0]}"
	[[ ${lines[1]} =~ ^\ +wall\ ms\ +CPU\ ms$ ]] || fail "header: ${lines[1]}"
	[[ ${lines[2]} =~ ^\ \ a\ process\ a\ command\ +[0-9]+\.[0-9]\ +[0-9]+\.[0-9]$ ]] ||
	    fail "row: ${lines[2]}"
	[[ ${lines[3]} =~ ^\ \ serving\ processes\ \(--serve\)\ +[0-9]+\.[0-9]\ +[0-9]+\.[0-9]$ ]] ||
	    fail "row: ${lines[3]}"
	[[ ${lines[4]} =~ ^\ \ ratio\ +[0-9]+\.[0-9]{2}x\ +[0-9]+\.[0-9]{2}x$ ]] ||
	    fail "row: ${lines[4]}"
	[[ ${lines[5]} == "where a served request's wall time goes (median ms)" ]] ||
	    fail "title: ${lines[5]}"
	local i names=("the user's ccc-encrypt (1)"
	    "assignment, enclave key, request (2)"
	    "4 oracles sign, certificate (3)" "7 nodes release (4)"
	    "the enclave's job (5, 6)"
	    "4 oracles sign the result, certificate (7)"
	    "verify, read the output (7)")
	for i in "${!names[@]}"; do
		[[ ${lines[6 + i]} =~ ^\ \ (.*[^ ])\ +[0-9]+\.[0-9]$ &&
		    ${BASH_REMATCH[1]} == "${names[i]}" ]] ||
		    fail "step: ${lines[6 + i]}"
	done
	[[ ${lines[13]} == "where a served request's CPU time goes (ms a request)" ]] ||
	    fail "title: ${lines[13]}"
	names=("4 oracles" "7 nodes" "2 enclaves, their sandboxes with them"
	    "the application's 4" "the users' ccc-encrypt and the rest")
	for i in "${!names[@]}"; do
		[[ ${lines[14 + i]} =~ ^\ \ (.*[^ ])\ +-?[0-9]+\.[0-9]$ &&
		    ${BASH_REMATCH[1]} == "${names[i]}" ]] ||
		    fail "role: ${lines[14 + i]}"
	done
	crun -2 "$serving" -n 0
	assert_stderr "bench/serving.py: usage: -n takes 1 or more requests"
}
