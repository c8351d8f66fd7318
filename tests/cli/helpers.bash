# Shared helpers for the ccc command-line tests (bats 1.8.2, Debian 12).
#
# CCC_BIN is the directory of the built tools and TOP_SRCDIR the source
# tree; both default to the tree this file sits in.  CCC_BIN goes first on
# PATH, so tests name the tools as a user would (ccc-encrypt ...).
#
# Every tool is run through crun, which is `run -N --separate-stderr` plus
# a record of the command, its status, stdout and stderr that bats shows
# only when the test fails.  Binary data only goes through files and cmp:
# tools that write CBOR are always given -o FILE.

: "${CCC_BIN:=$(cd "$BATS_TEST_DIRNAME/../../cmd" && pwd)}"
: "${TOP_SRCDIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
export CCC_BIN TOP_SRCDIR
PATH="$CCC_BIN:$PATH"

# Under the sanitizers (scripts/test), checking for leaks at every exit
# costs 20-40 ms of CPU per process.  When CCC_FIXTURE_ASAN_OPTIONS is set,
# the commands a test asserts on (crun) keep the caller's ASAN_OPTIONS,
# saved here once, and the ones that only make fixtures (the same code,
# asserted on where their own tests run them) use CCC_FIXTURE_ASAN_OPTIONS.
if [[ -n ${CCC_FIXTURE_ASAN_OPTIONS-} && -z ${CCC_CRUN_ASAN_OPTIONS+set} ]]; then
	export CCC_CRUN_ASAN_OPTIONS=${ASAN_OPTIONS-}
	export ASAN_OPTIONS=$CCC_FIXTURE_ASAN_OPTIONS
fi

# The version every tool reports, from configure.ac.
ccc_version() {
	sed -n 's/^AC_INIT(\[ccc\], *\[\([^]]*\)\].*/\1/p' \
	    "$TOP_SRCDIR/configure.ac"
}

# test_hooks: the tools were built with --enable-test-hooks (they say so
# in --version; tools.bats checks that this agrees with configure's
# CCC_TEST_HOOKS); need_test_hooks skips the test in a build without them.
test_hooks() {
	[[ $(ccc-share --version | head -n 1) == *" (test hooks)" ]]
}
need_test_hooks() {
	test_hooks || skip "needs the test hooks (configure --enable-test-hooks)"
}

# flow_from_source (in setup_file): before ccc-flow is built, a ccc-flow in
# $BATS_FILE_TMPDIR/bin, which setup puts first on PATH, runs the source.
flow_from_source() {
	mkdir -p "$BATS_FILE_TMPDIR/bin"
	if [[ ! -x $CCC_BIN/ccc-flow ]]; then
		printf '#!/bin/sh\nexec bash "%s/scripts/ccc-flow.in" "$@"\n' \
		    "$TOP_SRCDIR" >"$BATS_FILE_TMPDIR/bin/ccc-flow"
		chmod +x "$BATS_FILE_TMPDIR/bin/ccc-flow"
	fi
}

# crun [-N | !] CMD [ARG...]: run CMD with stdout in $output and stderr in
# $stderr; with -N the status must be exactly N.
# shellcheck disable=SC2154 # status, output, stderr: set by bats' run
crun() {
	# (bats 1.8.2's run leaks a global i: keep the caller's.)
	local flags=(--separate-stderr) rc=0 i
	if [[ ${1-} == -[0-9]* || ${1-} == '!' ]]; then
		flags=("$1" --separate-stderr)
		shift
	fi
	if [[ -n ${CCC_CRUN_ASAN_OPTIONS-} ]]; then
		ASAN_OPTIONS=$CCC_CRUN_ASAN_OPTIONS run "${flags[@]}" -- "$@" || rc=$?
	else
		run "${flags[@]}" -- "$@" || rc=$?
	fi
	{
		printf '$ %s\n' "$*"
		printf 'status: %s\n' "$status"
		printf -- '--- stdout:\n%s\n' "$output"
		printf -- '--- stderr:\n%s\n' "$stderr"
	} >&2
	return "$rc"
}

# utc SECONDS: the time as the tools print it for humans (RFC 3339, UTC).
utc() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	return 1
}

# refute_crash: the last command ended by itself (no signal, not "cannot
# execute" or "not found"), as git's test_must_fail requires.
refute_crash() {
	((status < 126)) || fail "crashed or did not run: status $status"
}

# assert_stderr LINE: stderr is exactly LINE (one line).
assert_stderr() {
	[[ "$stderr" == "$1" ]] ||
	    fail "stderr is not exactly: $1"
}

# assert_stderr_empty: nothing on stderr (every success).
assert_stderr_empty() {
	[[ -z "$stderr" ]] || fail "stderr is not empty"
}

# assert_output TEXT: stdout is exactly TEXT.
assert_output() {
	[[ "$output" == "$1" ]] || fail "stdout is not exactly: $1"
}

# assert_output_empty
assert_output_empty() {
	[[ -z "$output" ]] || fail "stdout is not empty"
}

# assert_contains HAYSTACK NEEDLE
assert_contains() {
	[[ "$1" == *"$2"* ]] || fail "'$2' not found in: $1"
}

# assert_no_file FILE...: none of them exists.
assert_no_file() {
	local f
	for f; do
		[[ ! -e "$f" && ! -L "$f" ]] || fail "$f exists"
	done
}

# assert_no_temp_files DIR: no temporary output was left behind.
assert_no_temp_files() {
	local left
	left=$(find "$1" -name '*.tmp??????' -print)
	[[ -z "$left" ]] || fail "temporary files left: $left"
}

# assert_same FILE EXPECTED: byte-identical (cmp prints the first difference).
assert_same() {
	cmp -- "$2" "$1" >&2 || fail "$1 differs from $2"
}

# assert_differ FILE OTHER: not byte-identical.
assert_differ() {
	if cmp -s -- "$1" "$2"; then
		fail "$1 and $2 are identical"
	fi
}

# assert_mode MODE FILE (octal, as stat -c %a prints it).
assert_mode() {
	local m
	m=$(stat -c %a -- "$2")
	[[ "$m" == "$1" ]] || fail "$2 has mode $m, expected $1"
}

# save FILE...: keep a copy (FILE.saved) to show later that FILE is unchanged.
save() {
	local f
	for f; do
		cp -p -- "$f" "$f.saved"
	done
}

# assert_unchanged FILE...: each FILE is byte-identical to its saved copy.
assert_unchanged() {
	local f
	for f; do
		cmp -- "$f.saved" "$f" >&2 || fail "$f was changed"
	done
}

# eio NAME CMD [ARG...]: CMD with every rename(2), renameat2(2) and link(2)
# onto a file named NAME failing with EIO (tests/cli/ccc-crash-shim.so), as
# a failing disk would fail one output of a run after the others.
eio() {
	local name=$1 shim=$CCC_BIN/../tests/cli/ccc-crash-shim.so
	shift
	[[ -f $shim ]] || { fail "the shim $shim was not built"; return; }
	LD_PRELOAD=$shim CCC_SHIM_RENAME_EIO=$name \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    "$@"
}

# ---- bytes ---------------------------------------------------------------

# hex_of FILE: lowercase hex of the whole file, one line.
hex_of() {
	od -An -v -tx1 -- "$1" | tr -d ' \n'
}

# hex_str STRING: lowercase hex of a string's bytes.
hex_str() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

# write_hex HEX OUT: write the bytes HEX stands for to OUT.
write_hex() {
	local esc
	esc=$(sed 's/../\\x&/g' <<<"$1")
	printf '%b' "$esc" >"$2"
}

# size_of FILE
size_of() {
	stat -c %s -- "$1"
}

# find_hex FILE HEX: byte offset of the first occurrence of HEX (an even
# number of hex digits) in FILE, on a byte boundary; fails if absent.
find_hex() {
	local hex rest pos skipped=0
	hex=$(hex_of "$1")
	rest=$hex
	while :; do
		pos=${rest%%"$2"*}
		[[ "$pos" != "$rest" ]] || return 1
		if ((${#pos} % 2 == 0)); then
			echo $(((skipped + ${#pos}) / 2))
			return 0
		fi
		skipped=$((skipped + ${#pos} + 1))
		rest=${rest:${#pos}+1}
	done
}

# field_hex FILE FIELD: the hex of a byte-string field (or the bytes of a
# text-string field) of the blob in FILE, as ccc-inspect -d shows it.
field_hex() {
	local v
	v=$(ccc-inspect -d --show-secrets -- "$1" |
	    sed -n "s|^  [0-9]* / $2 /: \(.*\)\$|\1|p")
	v=${v%,}
	case $v in
	h\'*\') v=${v#h\'}; echo "${v%\'}" ;;
	\"*\") v=${v#\"}; hex_str "${v%\"}" ;;
	*) return 1 ;;
	esac
}

# field_offset FILE FIELD: byte offset of the first byte of FIELD's value
# (the payload, after its CBOR head) in FILE.
field_offset() {
	local h
	h=$(field_hex "$1" "$2") || return 1
	find_hex "$1" "$h"
}

# field_len FILE FIELD: length in bytes of FIELD's payload.
field_len() {
	local h
	h=$(field_hex "$1" "$2") || return 1
	echo $((${#h} / 2))
}

# flip_bit IN OFFSET BIT OUT: OUT is IN with bit BIT (0-7) of byte OFFSET
# inverted; everything else (CBOR framing included) is unchanged.
flip_bit() {
	local hex esc b
	hex=$(hex_of "$1")
	esc=$(sed 's/../\\x&/g' <<<"$hex")
	b=$((16#${hex:$2*2:2} ^ (1 << $3)))
	printf '%b' "${esc:0:$2*4}\\x$(printf %02x "$b")${esc:$2*4+4}" >"$4"
}

# replace_bytes IN OFFSET HEX OUT: OUT is IN with the bytes at OFFSET
# replaced by HEX (same length, so the CBOR framing stays valid).
replace_bytes() {
	local hex n
	hex=$(hex_of "$1")
	n=${#3}
	write_hex "${hex:0:$2*2}$3${hex:$2*2+n}" "$4"
}

# sig_entry SIG: the hex of SIG's entry (a ccc/signature/v1 file's signer
# and signature) as a certificate carries it: {1: signer, 2: sig}.
sig_entry() {
	echo "a2015820$(field_hex "$1" signer)025840$(field_hex "$1" sig)"
}

# cert_without CERT SIG OUT: OUT is the certificate CERT without the entry
# of SIG's signer, its array of signatures one shorter: a certificate with
# one signature fewer, which ccc-quorum-sign combine would not make.
cert_without() {
	local hex e n at
	hex=$(hex_of "$1") e=$(sig_entry "$2")
	[[ $hex == *"$e"* ]] || { echo "cert_without: $2 not in $1" >&2; return 1; }
	# The signatures, entries of 103 bytes, end the certificate.
	for ((n = 1; n < 24; n++)); do
		at=$((${#hex} - n * 206 - 4))
		[[ ${hex:at:4} == "04$(printf %02x $((0x80 + n)))" ]] && break
	done
	((n < 24)) || { echo "cert_without: no signatures in $1" >&2; return 1; }
	hex="${hex:0:at}04$(printf %02x $((0x80 + n - 1)))${hex:at+4}"
	write_hex "${hex/$e/}" "$3"
}

# cert_swap CERT OLD NEW OUT: OUT is CERT with the entry of OLD's signer
# replaced by NEW's signer and signature (ccc/signature/v1 files).
cert_swap() {
	local hex e
	hex=$(hex_of "$1") e=$(sig_entry "$2")
	[[ $hex == *"$e"* ]] || { echo "cert_swap: $2 not in $1" >&2; return 1; }
	write_hex "${hex/$e/$(sig_entry "$3")}" "$4"
}

# ---- fixtures ------------------------------------------------------------

# make_fixtures: keys and blobs shared by the tests of one file, made once
# in setup_file into $BATS_FILE_TMPDIR:
#   k23/       dealer key, 2 of 3, with tpk.json (Chainlink form)
#   k57/       dealer key, 5 of 7
#   kB/        another 2-of-3 key
#   rk, rpub   recipient key pair; rk2, rpub2 another one
#   msg        a short message
#   ct.l       msg encrypted under k23 with label context "app1"
#   ct.u       msg encrypted under k23 unlabelled
#   ct57       msg encrypted under k57 with "app1"
#   s1 s2 s3   ct.l's shares of nodes 1-3 of k23, sealed to rpub
#   t1 .. t7   ct57's shares of nodes 1-7 of k57, sealed to rpub
make_fixtures() {
	local i
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		ccc-keygen dealer -t 2 -n 3 -d k23 --json
		ccc-keygen dealer -t 5 -n 7 -d k57
		ccc-keygen dealer -t 2 -n 3 -d kB
		ccc-keygen recipient -o rk -p rpub
		ccc-keygen recipient -o rk2 -p rpub2
		printf 'attack at dawn\n' >msg
		ccc-encrypt -k k23/tpk.cbor -l app1 -o ct.l msg
		ccc-encrypt -k k23/tpk.cbor -o ct.u msg
		ccc-encrypt -k k57/tpk.cbor -l app1 -o ct57 msg
		for i in 1 2 3; do
			ccc-reencrypt -s "k23/share-$i.cbor" -k k23/tpk.cbor \
			    --to rpub -c app1 -o "s$i" ct.l
		done
		for i in 1 2 3 4 5 6 7; do
			ccc-reencrypt -s "k57/share-$i.cbor" -k k57/tpk.cbor \
			    --to rpub -c app1 -o "t$i" ct57
		done
	)
}

# use_fixtures: run the test in its own directory, with the fixtures
# reachable as fx/ (short names keep the error lines readable).
use_fixtures() {
	cd "$BATS_TEST_TMPDIR"
	ln -s "$BATS_FILE_TMPDIR" fx
}

# oracle_fixtures: in the current directory, the oracles o1..o4
# (o$i.key/.pub, named oracle-$i), mallory (x.key/x.pub), "roster":
# quorum 3 of o1..o4, valid from $NB to $NA; an enclave: its software
# attestation identity enc.key (certificate chain enc.pem) under the root
# aroot.key/aroot.pem, trusted by attest.policy (any measurement, documents
# of any age); "pool": the enclave pool of that one enclave ("enclave-1",
# operator "test"), certified by o1..o3; and the enclave's attested
# per-request key: ek (secret), epub (ccc/enclave-key/v1), valid 7 days.
oracle_fixtures() {
	local i
	for i in 1 2 3 4; do
		ccc-keygen identity -o "o$i.key" -p "o$i.pub" -N "oracle-$i"
	done
	ccc-keygen identity -o x.key -p x.pub -N mallory
	ccc-quorum-sign roster -q 3 -N oracles --not-before "$NB" \
	    --not-after "$NA" -o roster o1.pub o2.pub o3.pub o4.pub
	ccc-keygen attest-root -o aroot.key -p aroot.pem -N test-root
	ccc-keygen enclave-cert -r aroot.key -o enc.key -p enc.pem -N enclave-1
	printf '%s\n' 'ccc-attest-policy 1' 'root software aroot.pem test-root' \
	    'measurements any' 'allow-software yes' 'max-age 316224000' \
	    >attest.policy
	make_pool pool enc.pem,operator=test,name=enclave-1
	ccc-enclave-run keygen -a enc.key -s ek -o epub -E 604800
}

# enclave_fixtures: in the current directory, a 3-of-5 dealer key key/,
# the oracles o1..o4 ("oracle-1".."oracle-4") and their roster (q=3), a
# software attestation root root.key/.pem ("demo-root") and enclave-1
# under it (e1.key/.pem), msg ("hello\n") encrypted for app:demo as ct,
# pol (an attestation policy trusting the root), attest.policy (the same
# for documents of any age) and pool (enclave-1, operator "test").
enclave_fixtures() {
	local i
	ccc-keygen dealer -t 3 -n 5 -d key
	for i in 1 2 3 4; do
		ccc-keygen identity -o "o$i.key" -p "o$i.pub" -N "oracle-$i"
	done
	ccc-quorum-sign roster -q 3 -N oracles -o roster o1.pub o2.pub o3.pub \
	    o4.pub
	ccc-keygen attest-root -o root.key -p root.pem -N demo-root
	ccc-keygen enclave-cert -r root.key -o e1.key -p e1.pem -N enclave-1
	printf 'hello\n' >msg
	ccc-encrypt -k key/tpk.cbor -l app:demo -o ct msg
	printf 'ccc-attest-policy 1\nroot software root.pem demo\nmeasurements any\nallow-software yes\n' >pol
	printf 'max-age 316224000\n' | cat pol - >attest.policy
	make_pool pool e1.pem,operator=test
}

# make_pool OUT ENTRY...: the pool of ENTRY... (ccc-quorum-sign pool),
# signed by every oracle o<N>.key here and certified under ./roster, to
# OUT (its parts OUT.*).
make_pool() {
	local out=$1 k sigs=()
	shift
	ccc-quorum-sign pool -N pool -o "$out.blob" "$@"
	for k in o[0-9]*.key; do
		ccc-quorum-sign sign -i "$k" -o "$out.${k%.key}" "$out.blob"
		sigs+=("$out.${k%.key}")
	done
	ccc-quorum-sign combine -r roster -b "$out.blob" -o "$out" "${sigs[@]}"
}
