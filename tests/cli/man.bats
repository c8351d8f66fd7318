#!/usr/bin/env bats
# The man pages: each lints clean, each tool's SYNOPSIS says what its
# --help says, and each page's EXAMPLES run.
#
# Environment: CCC_BIN (the built tools), TOP_SRCDIR (the source tree),
# MANDOC (path to mandoc; empty skips the tests that need it).

bats_require_minimum_version 1.5.0

setup() {
	: "${TOP_SRCDIR:=$BATS_TEST_DIRNAME/../..}"
	: "${CCC_BIN:=$TOP_SRCDIR/cmd}"
}

teardown() {
	# A failed run of examples: show what they said.
	if [ -n "${EXAMPLES_RAN:-}" ] && [ "${status:-0}" -ne 0 ]; then
		printf 'examples exited %s; stderr:\n%s\n' "$status" \
		    "${stderr:-}" >&2
	fi
}

page() {
	printf '%s/man/%s\n' "$TOP_SRCDIR" "$1"
}

need_mandoc() {
	[ -n "${MANDOC:-}" ] || skip "mandoc not installed"
}

assert_empty() {	# NAME VALUE
	if [ -n "$2" ]; then
		printf '%s is not empty:\n%s\n' "$1" "$2" >&2
		return 1
	fi
}

lint() {
	need_mandoc
	run -0 --separate-stderr "$MANDOC" -T lint -W warning "$(page "$1")"
	assert_empty stdout "$output"
	assert_empty stderr "$stderr"
}

# Remove overstrike (bold X\bX, underline _\bX) from formatted text.
plain() {
	if command -v col >/dev/null 2>&1; then
		col -b
	else
		sed 's/.\x08//g'
	fi
}

# Squeeze all white space to single spaces, trim both ends.
squeeze() {
	tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

# The SYNOPSIS section of a page as mandoc renders it, squeezed.
synopsis() {
	"$MANDOC" -T ascii "$1" | plain |
	    awk '/^[^ \t]/ { on = ($0 == "SYNOPSIS"); next } on' | squeeze
}

check_synopsis() {	# TOOL
	local tool=$1 man usage

	need_mandoc
	run -0 --separate-stderr "$CCC_BIN/$tool" --help
	assert_empty stderr "$stderr"
	case $output in
	"usage: $tool "*) ;;
	*) printf 'no usage line for %s:\n%s\n' "$tool" "$output" >&2
	   return 1 ;;
	esac
	usage=$(printf '%s\n' "${output#usage:}" | squeeze)
	man=$(synopsis "$(page "$tool.1")")
	if [ "$man" != "$usage" ]; then
		printf 'SYNOPSIS of %s.1:\n  %s\n--help:\n  %s\n' \
		    "$tool" "$man" "$usage" >&2
		return 1
	fi
}

# The literal blocks of a page's EXAMPLES section, in order, with the
# roff escapes they may use turned back into shell text.
examples() {
	awk '
		/^\.Sh[ \t]/ { ex = ($0 ~ /^\.Sh[ \t]+EXAMPLES[ \t]*$/); lit = 0; next }
		!ex { next }
		/^\.Bd[ \t]+-literal/ { lit = 1; next }
		/^\.Ed([ \t]|$)/ { lit = 0; next }
		lit && !/^\.\\"/ { print }
	' "$1" | sed -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g'
}

run_examples() {	# PAGE
	local script=$BATS_TEST_TMPDIR/examples.sh

	{
		printf 'set -euo pipefail\n'
		examples "$(page "$1")"
	} >"$script"
	if [ "$(wc -l <"$script")" -lt 2 ]; then
		printf 'no EXAMPLES blocks in %s\n' "$1" >&2
		return 1
	fi
	mkdir "$BATS_TEST_TMPDIR/run"
	cd "$BATS_TEST_TMPDIR/run"
	export PATH="$CCC_BIN:$PATH"
	EXAMPLES_RAN=1
	run -0 --separate-stderr bash "$script"
}

@test "man: the extractor turns roff escapes back into shell" {
	printf '%s\n' '.Sh EXAMPLES' '.Bd -literal' \
	    'printf %s a\e-b\&c\-d' '.Ed' '.Sh SEE ALSO' '.Bd -literal' \
	    'not an example' '.Ed' >"$BATS_TEST_TMPDIR/t.1"
	run -0 --separate-stderr examples "$BATS_TEST_TMPDIR/t.1"
	[ "$output" = 'printf %s a\-bc-d' ]
}

@test "man: ccc.7 lints clean" {
	lint ccc.7
}

@test "man: ccc-keygen.1 lints clean" {
	lint ccc-keygen.1
}

@test "man: ccc-encrypt.1 lints clean" {
	lint ccc-encrypt.1
}

@test "man: ccc-reencrypt.1 lints clean" {
	lint ccc-reencrypt.1
}

@test "man: ccc-combine.1 lints clean" {
	lint ccc-combine.1
}

@test "man: ccc-inspect.1 lints clean" {
	lint ccc-inspect.1
}

@test "man: ccc-quorum-sign.1 lints clean" {
	lint ccc-quorum-sign.1
}

@test "man: ccc-attest-verify.1 lints clean" {
	lint ccc-attest-verify.1
}

@test "man: ccc-enclave-run.1 lints clean" {
	lint ccc-enclave-run.1
}

@test "man: ccc-keygen.1 SYNOPSIS is ccc-keygen --help" {
	check_synopsis ccc-keygen
}

@test "man: ccc-encrypt.1 SYNOPSIS is ccc-encrypt --help" {
	check_synopsis ccc-encrypt
}

@test "man: ccc-reencrypt.1 SYNOPSIS is ccc-reencrypt --help" {
	check_synopsis ccc-reencrypt
}

@test "man: ccc-combine.1 SYNOPSIS is ccc-combine --help" {
	check_synopsis ccc-combine
}

@test "man: ccc-inspect.1 SYNOPSIS is ccc-inspect --help" {
	check_synopsis ccc-inspect
}

@test "man: ccc-quorum-sign.1 SYNOPSIS is ccc-quorum-sign --help" {
	check_synopsis ccc-quorum-sign
}

@test "man: ccc-attest-verify.1 SYNOPSIS is ccc-attest-verify --help" {
	check_synopsis ccc-attest-verify
}

@test "man: ccc-enclave-run.1 SYNOPSIS is ccc-enclave-run --help" {
	check_synopsis ccc-enclave-run
}

@test "man: ccc.7 EXAMPLES run" {
	run_examples ccc.7
}

@test "man: ccc-keygen.1 EXAMPLES run" {
	run_examples ccc-keygen.1
}

@test "man: ccc-encrypt.1 EXAMPLES run" {
	run_examples ccc-encrypt.1
}

@test "man: ccc-reencrypt.1 EXAMPLES run" {
	run_examples ccc-reencrypt.1
}

@test "man: ccc-combine.1 EXAMPLES run" {
	run_examples ccc-combine.1
}

@test "man: ccc-inspect.1 EXAMPLES run" {
	run_examples ccc-inspect.1
}

@test "man: ccc-quorum-sign.1 EXAMPLES run" {
	run_examples ccc-quorum-sign.1
}

@test "man: ccc-attest-verify.1 EXAMPLES run" {
	run_examples ccc-attest-verify.1
}

@test "man: ccc-enclave-run.1 EXAMPLES run" {
	run_examples ccc-enclave-run.1
}
