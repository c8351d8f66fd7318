#!/usr/bin/env bats
# bench/demo-program, ccc-flow's demo program in C (the enclave's program
# of make bench-serving and bench-replay), against the bash one it stands
# for (scripts/ccc-flow-demo.bash, demo_program): for the same input, the
# same bytes on stdout and exit 0; for malformed CBOR, exit 3 and nothing
# on stdout.  Both run here outside the sandbox (the benches run it inside).
bats_require_minimum_version 1.5.0
load helpers

PROG=${CCC_BIN%/cmd}/bench/demo-program

setup() {
	cd "$BATS_TEST_TMPDIR" || return
	[[ -x $PROG ]] ||
	    { fail "$PROG was not built (make bench/demo-program)"; return; }
	# shellcheck source=../../scripts/ccc-flow-demo.bash
	source "$TOP_SRCDIR/scripts/ccc-flow-demo.bash"
	demo_program >demo.bash
	demo_input >demo.txt
}

# cbor_head MAJOR N: the hex of a CBOR head, N below 2^32.
cbor_head() {
	local ib=$(($1 << 5))
	if (($2 < 24)); then
		printf '%02x' $((ib | $2))
	elif (($2 < 0x100)); then
		printf '%02x%02x' $((ib | 24)) "$2"
	elif (($2 < 0x10000)); then
		printf '%02x%04x' $((ib | 25)) "$2"
	else
		printf '%02x%08x' $((ib | 26)) "$2"
	fi
}

# input_hex APP [FILE...]: the hex of the enclave's input for the app APP,
# each FILE's bytes an input: {0: "ccc/enclave-input/v1", 1: a request
# id, 2: APP, 3: [input, ...]}.
input_hex() {
	local app=$1 f
	shift
	printf '%s' "$(cbor_head 5 4)00$(cbor_head 3 20)"
	hex_str ccc/enclave-input/v1
	printf '01%s' "$(cbor_head 2 32)"
	printf '5a%.0s' {1..32}
	printf '02%s' "$(cbor_head 3 ${#app})"
	hex_str "$app"
	printf '03%s' "$(cbor_head 4 $#)"
	for f; do
		printf '%s' "$(cbor_head 2 "$(size_of "$f")")"
		hex_of "$f"
	done
}

# same LINE APP [FILE...]: for that input, both programs print exactly
# LINE and a newline and exit 0; the C one says nothing on stderr.
same() {
	local line=$1 rc=0
	shift
	write_hex "$(input_hex "$@")" in.cbor
	"$PROG" <in.cbor >c.out 2>c.err || rc=$?
	((rc == 0)) || { fail "demo-program exited $rc: $(cat c.err)"; return; }
	[[ ! -s c.err ]] || { fail "demo-program's stderr: $(cat c.err)"; return; }
	# The sandbox's empty environment (LC_ALL=C is the program's own).
	env -i bash demo.bash <in.cbor >sh.out 2>sh.err || rc=$?
	((rc == 0)) || { fail "the bash demo exited $rc: $(cat sh.err)"; return; }
	printf '%s\n' "$line" >want.out
	assert_same c.out want.out || return
	assert_same sh.out c.out
}

@test "bench-demo: ccc-flow's demo input, as the bash demo program" {
	same "app demo: 1 input(s), 111 bytes: 4 records, total 23400, mean 5850" \
	    demo demo.txt
}

@test "bench-demo: two inputs, and an empty input list" {
	printf 'erin 100\nfrank 250\n' >two.txt
	same "app payroll: 2 input(s), 130 bytes: 6 records, total 23750, mean 3958" \
	    payroll demo.txt two.txt
	same "app demo: 0 input(s), 0 bytes: 0 records, total 0, mean 0" demo
}

@test "bench-demo: '#' comments, blank lines, tabs, no last newline" {
	printf '# a 5\n#6\n  # 7\n\n\n \t \nx\t8\t\n\ny 9' >t.txt
	same "app demo: 1 input(s), 30 bytes: 3 records, total 24, mean 8" \
	    demo t.txt
}

@test "bench-demo: a last field that is not all digits does not count" {
	printf '%s\n' 'alice 5200 EUR' 'bob x' 'carol 12a' 'dave -5' 'eve +5' \
	    'fay 1.5' $'gus 7\r' 'hal 0x10' 'ivy 007' >t.txt
	same "app demo: 1 input(s), 78 bytes: 1 records, total 7, mean 7" \
	    demo t.txt
}

@test "bench-demo: large numbers wrap as bash's 64-bit arithmetic does" {
	printf 'a 9223372036854775807\nb 2\n' >max.txt
	same "app demo: 1 input(s), 26 bytes: 2 records, total -9223372036854775807, mean -4611686018427387903" \
	    demo max.txt
	printf 'a 99999999999999999999\nb 18446744073709551616\n' >over.txt
	same "app demo: 1 input(s), 46 bytes: 2 records, total 7766279631452241919, mean 3883139815726120959" \
	    demo over.txt
	printf 'a 4294967296\nb 4294967297\n' >big.txt
	same "app demo: 1 input(s), 26 bytes: 2 records, total 8589934593, mean 4294967296" \
	    demo big.txt
}

@test "bench-demo: NUL bytes are dropped, as a bash string drops them" {
	printf 'a\0 1\n2\0003\n\0#x 4\n' >t.txt
	same "app d-x: 1 input(s), 12 bytes: 2 records, total 24, mean 12" \
	    d-x t.txt
}

@test "bench-demo: a level-2 input's fifth entry, the seed, is not read" {
	local hex
	hex=$(input_hex demo demo.txt)
	hex=a5${hex:2}04$(cbor_head 2 32)$(printf '77%.0s' {1..32})
	write_hex "$hex" in.cbor
	crun -0 "$PROG" <in.cbor
	assert_output "app demo: 1 input(s), 111 bytes: 4 records, total 23400, mean 5850"
	assert_stderr_empty
}

@test "bench-demo: malformed CBOR exits 3 with nothing on stdout" {
	local hex bad
	hex=$(input_hex demo demo.txt)
	# Truncated: the whole input less its last byte, before the request
	# id's key, within the head of the request id, nothing at all.
	for bad in "${hex:0:-2}" "${hex:0:46}" "${hex:0:50}" ""; do
		write_hex "$bad" bad.cbor
		crun -3 "$PROG" <bad.cbor
		assert_output_empty
		assert_stderr "demo-program: malformed input"
	done
	# Not a map; a key out of its place; an input that is not a byte
	# string; a length past the end in 8 bytes; more inputs than bytes.
	for bad in 8400 a401 \
	    "${hex:0:-226}$(cbor_head 3 111)${hex: -222}" \
	    "${hex:0:-226}5bffffffffffffffff${hex: -222}" \
	    "${hex:0:-228}9bffffffffffffffff${hex: -226}"; do
		write_hex "$bad" bad.cbor
		crun -3 "$PROG" <bad.cbor
		assert_output_empty
		assert_stderr "demo-program: malformed input"
	done
	# An indefinite length and reserved additional information: the
	# bash demo exits 3 too.
	for bad in "bf" "a4009f" "a41c"; do
		write_hex "$bad" bad.cbor
		crun -3 "$PROG" <bad.cbor
		assert_output_empty
		crun -3 env -i bash demo.bash <bad.cbor
		assert_output_empty
	done
}
