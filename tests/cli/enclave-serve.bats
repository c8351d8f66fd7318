#!/usr/bin/env bats
# An enclave host serving many requests in one process
# (ccc-enclave-run --serve): key orders and jobs in, one ccc/answer/v1 out
# for each; a key made in the process never leaves it, serves the one
# request made for it and is then erased; every job is run as the one-shot
# form runs it.
bats_require_minimum_version 1.5.0
load helpers

# In $BATS_FILE_TMPDIR, made once: enclave_fixtures (helpers.bash); and
# code/, the program prog by its SHA-384: it says whether its input holds
# the plaintext.
setup_file() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		enclave_fixtures
		mkdir code
		printf '#!/bin/sh\nif grep -q hello; then echo seen; else echo unseen; fi\n' >prog
		cp prog "code/$(sha384sum <prog | cut -d' ' -f1)"
	)
}

setup() {
	use_fixtures
}

# host ARG...: enclave-1's serving process, its answers on standard output
# (under the sanitizers, leaks checked as crun checks them); its code
# directory $CODE, by default fx/code; run under $HOST_WRAP if set.
host() {
	local asan=${CCC_CRUN_ASAN_OPTIONS-${ASAN_OPTIONS-}}
	# (LeakSanitizer does not run under ptrace.)
	[[ -z ${HOST_WRAP-} ]] || asan=${asan:+$asan:}detect_leaks=0
	ASAN_OPTIONS=$asan ${HOST_WRAP-} \
	    ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key \
	    -x "${CODE:-fx/code}" --serve "$@"
}

# output_of ANSWERS N OUT: the output bytes of the Nth answer, to OUT.
output_of() {
	write_hex "$(ccc-inspect "$1" |
	    sed -n 's/^  "output": "\(.*\)"$/\1/p' | sed -n "$2p")" "$3"
}

# request NAME EPUB: a request of app demo for fx/ct, to run prog on the
# key EPUB, certified by oracles 1-3 (NAME.cert) and served by nodes 1-3
# (NAME.s1..NAME.s3); NAME.job, the job of it.
request() {
	local n=$1 i
	ccc-quorum-sign request -a demo -x fx/prog -k fx/key/tpk.cbor \
	    -r fx/roster -P fx/pool -K "$2" -o "$n.req" fx/ct || return
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "fx/o$i.key" -k fx/key/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P fx/pool \
		    -o "$n.sig$i" "$n.req" || return
	done
	ccc-quorum-sign combine -r fx/roster -c "$n.req" -o "$n.cert" \
	    "$n.sig1" "$n.sig2" "$n.sig3" || return
	for i in 1 2 3; do
		ccc-reencrypt -s "fx/key/share-$i.cbor" -k fx/key/tpk.cbor \
		    -r fx/roster -A fx/attest.policy -P fx/pool -d "st$i" \
		    -o "$n.s$i" "$n.cert" || return
	done
	ccc-enclave-run item job -o "$n.job" "$n.cert" "$n.s1" "$n.s2" "$n.s3"
}

# start: the host in the background (HOST_PID), on two FIFOs this shell
# holds as TO (its input) and FROM (its answers), its stderr to err;
# keyorder, a key order for an hour.  (Not a coprocess: bash closes a
# coprocess's descriptors when it exits, before its last answers are read.)
start() {
	ccc-enclave-run item key -E 3600 -o keyorder
	mkfifo to from
	host <to >from 2>err 3>&- &
	HOST_PID=$!
	exec {TO}>to {FROM}<from
}

teardown() {
	# A host a failed test left waiting.
	[[ -z ${HOST_PID:-} ]] || kill "$HOST_PID" 2>/dev/null || :
}

# ITEMS N (python3 -c "$ITEMS" N): N CBOR items (of definite lengths, as
# answers are) from standard input to standard output, nothing read past
# them.
ITEMS='
import os, sys
def rd(n):
    b = b""
    while len(b) < n:
        c = os.read(0, n - len(b))
        if not c:
            sys.exit("items: end of input inside an item")
        b += c
    return b
def item():
    h = rd(1)
    mt, ai = h[0] >> 5, h[0] & 31
    if ai < 24:
        v = ai
    else:
        e = rd({24: 1, 25: 2, 26: 4, 27: 8}[ai])
        h += e
        v = int.from_bytes(e, "big")
    if mt in (2, 3):
        h += rd(v)
    elif mt in (4, 5):
        for _ in range(v * (2 if mt == 5 else 1)):
            h += item()
    return h
for _ in range(int(sys.argv[1])):
    sys.stdout.buffer.write(item())
'

# ask ITEM OUT: ITEM to the host; the output of its answer to OUT
# (ccc-inspect --answer reads the answer and nothing past it, and exits
# with its status).
ask() {
	cat "$1" >&"$TO"
	# Blocks until the answer is there (a host that waited for more
	# input would never answer: status 124).
	timeout 600 ccc-inspect --answer -o "$2" <&"$FROM"
}

# finish OUT: the host's input closed, the rest of its answers to OUT; its
# exit status in status.
finish() {
	exec {TO}>&-
	cat <&"$FROM" >"$1"
	exec {FROM}<&-
	status=0
	wait "$HOST_PID" || status=$?
	HOST_PID=
}

# answer STATUS RID ERROR: an answer without output, as ccc-inspect
# prints it.
answer() {
	printf '{\n  "type": "ccc/answer/v1",\n  "status": %s,\n' "$1"
	[[ -z $2 ]] || printf '  "request_id": "%s",\n' "$2"
	printf '  "error": "%s"\n}\n' "$3"
}

@test "item: a key order and a job, as ccc-inspect shows them" {
	crun -0 ccc-enclave-run item key -E 600 -n 0a0b -o k
	assert_stderr_empty
	crun -0 ccc-inspect k
	assert_output "$(printf '{\n  "type": "ccc/enclave-keygen/v1",\n  "expires_in": 600,\n  "challenge": "0a0b"\n}')"
	crun -0 ccc-enclave-run item key -o k2
	crun -0 ccc-inspect k2
	assert_output "$(printf '{\n  "type": "ccc/enclave-keygen/v1"\n}')"
	printf 'x' >a
	printf 'yz' >b
	crun -0 ccc-enclave-run item job -n ff -o j a b
	crun -0 ccc-inspect j
	assert_output "$(printf '{\n  "type": "ccc/enclave-job/v1",\n  "certified": "78",\n  "sealed": [\n    "797a"\n  ],\n  "nonce": "ff"\n}')"
}

@test "--serve: a key made in the process runs the request made for it; the result verifies" {
	local rid
	start
	ask keyorder epub
	# The attested key of enclave-1, as keygen -o writes it (the oracles
	# check its attestation when they sign the request).
	[[ "$(field_hex epub enclave_id)" == "$(openssl x509 -in fx/e1.pem -outform DER | sha256sum | cut -d' ' -f1)" ]]
	request r epub
	cat r.job >&"$TO"
	finish j.ans
	((status == 0))
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	rid=$(field_hex r.req request_id)
	crun -0 ccc-inspect j.ans
	assert_contains "$output" "  \"request_id\": \"$rid\","
	output_of j.ans 1 r.res
	crun -0 ccc-attest-verify -p fx/pol -r r.cert r.res
	# The code saw the plaintext; the result is public.
	[[ "$(field_hex r.res output)" == "$(printf 'seen\n' | od -An -v -tx1 | tr -d ' \n')" ]]
}

@test "--serve: a key serves one request: a job sent again is refused, naming the key, and serving goes on" {
	local rid pk
	start
	ask keyorder epub
	request r epub
	cat r.job r.job keyorder >&"$TO"
	finish rest
	((status == 0))
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	rid=$(field_hex r.req request_id)
	pk=$(field_hex epub pk)
	crun -0 ccc-inspect rest
	# The third item's answer: the key is gone once used.
	assert_contains "$output" "$(answer 1 "$rid" "key mismatch: request 3: this process holds no per-request key ${pk:0:16}... (made by it, not yet used, not expired)")"
	# The third: a new key.
	[[ "$(grep -c '"status": 0' <<<"$output")" == 2 ]]
}

@test "--serve: the program, read once, runs from memory while its file is unchanged; a changed or removed file is read again" {
	local h i st seen
	h=$(sha384sum <fx/prog | cut -d' ' -f1)
	seen=$(printf 'seen\n' | od -An -v -tx1 | tr -d ' \n')
	command -v strace >/dev/null || skip "strace not installed"
	mkdir code
	cp fx/prog "code/$h"
	# The opens of the program's file, counted.
	CODE=code HOST_WRAP="strace -qq -e trace=openat -o $PWD/opens" start
	for i in 0 1 2 3 4; do
		ask keyorder "epub$i"
		request "r$i" "epub$i"
	done
	ask r0.job o0
	[[ "$(field_hex o0 output)" == "$seen" ]]
	# Unchanged, run from memory.
	ask r1.job o1
	[[ "$(field_hex o1 output)" == "$seen" ]]
	# Changed in place, the file is read again and refused.
	printf '#\n' >>"code/$h"
	st=0
	ask r2.job o2 2>e2 || st=$?
	((st == 1)) || fail "status $st"
	[[ "$(cat e2)" == "ccc-inspect: refused by policy: code: code ${h:0:16}...: its SHA-384 is not the request's code measurement; not run" ]] ||
	    fail "stderr: $(cat e2)"
	# Put back (another file, the same bytes): it runs.
	cp fx/prog "code/$h.new"
	mv "code/$h.new" "code/$h"
	ask r3.job o3
	[[ "$(field_hex o3 output)" == "$seen" ]]
	# Removed: refused.
	rm "code/$h"
	st=0
	ask r4.job o4 2>e4 || st=$?
	((st == 2)) || fail "status $st"
	[[ "$(cat e4)" == "ccc-inspect: i/o error: code: code ${h:0:16}...: No such file or directory" ]] ||
	    fail "stderr: $(cat e4)"
	finish rest
	((status == 0)) || fail "status $status: $(cat err)"
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	# Opened for r0, r2, r3 and r4 (which found none): not for r1.
	[[ $(grep -c "\"code/$h\"" opens) == 4 ]] ||
	    fail "opens: $(grep "code/" opens)"
}

@test "--serve: a job refused before any share is opened keeps its key; the next job runs" {
	local rid
	start
	ask keyorder epub
	request r epub
	# The bare request, not its certificate.
	ccc-enclave-run item job -o bare.job r.req r.s1 r.s2 r.s3
	cat bare.job r.job >&"$TO"
	finish rest
	((status == 0))
	rid=$(field_hex r.req request_id)
	crun -0 ccc-inspect rest
	assert_contains "$output" "$(answer 1 "" "wrong blob type: request 2: at byte 0: expected a quorum certificate (ccc/certified/v1), found a computation request (ccc/request/v1)")"
	assert_contains "$output" "  \"status\": 0,
  \"request_id\": \"$rid\","
}

@test "--serve: at most 1024 keys are held; a key past its expiry is erased and frees its place" {
	local now i
	need_test_hooks
	# Key orders need no other clock: a pinned time.
	now=1800000000
	echo "$now" >clock
	ccc-enclave-run item key -E 60 -o short
	# 1025 orders: 1024 by doubling, and one.
	cp short orders
	for ((i = 0; i < 10; i++)); do
		cat orders orders >o2 && mv o2 orders
	done
	cat short >>orders
	CCC_TEST_CLOCK=$PWD/clock start
	cat orders >&"$TO"
	timeout 600 python3 -c "$ITEMS" 1025 <&"$FROM" >first
	# All 1024 expire at now + 60: past that, one more is made.
	echo "$((now + 61))" >clock
	cat short >&"$TO"
	finish rest
	((status == 0))
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	crun -0 ccc-inspect first
	[[ "$(grep -c '^  "status": 0,$' <<<"$output")" == 1024 ]]
	assert_contains "$output" "}
$(answer 1 "" "refused by policy: request 1025: this process holds 1024 per-request keys, none used or expired; no new one")"
	output_of first 1024 last
	[[ "$(ccc-inspect last | sed -n 's/^  "expires": \([0-9]*\),$/\1/p')" == $((now + 60)) ]]
	crun -0 ccc-inspect rest
	assert_contains "$output" '"status": 0,'
	output_of rest 1 new
	[[ "$(ccc-inspect new | sed -n 's/^  "expires": \([0-9]*\),$/\1/p')" == $((now + 121)) ]]
}

@test "--serve: a job for a key another process made is refused" {
	local pk
	ccc-enclave-run keygen -a fx/e1.key -s other.key -o other.pub
	request r other.pub
	crun -0 bash -c 'ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -x fx/code --serve <r.job >a'
	assert_stderr_empty
	pk=$(field_hex other.pub pk)
	crun -0 ccc-inspect a
	assert_output "$(answer 1 "$(field_hex r.req request_id)" "key mismatch: request 1: this process holds no per-request key ${pk:0:16}... (made by it, not yet used, not expired)")"
}

@test "--serve: an item that is neither a key order nor a job is answered as such" {
	crun -0 bash -c 'ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -x fx/code --serve <fx/ct >a'
	crun -0 ccc-inspect a
	assert_output "$(answer 1 "" "wrong blob type: request 1: at byte 0: expected an enclave job (ccc/enclave-job/v1), found a ciphertext (ccc/ct/v1)")"
	# Not a CBOR item: serving ends, exit 1.
	printf '\xff' >bad
	crun -1 bash -c 'ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -x fx/code --serve <bad >a'
	assert_stderr "ccc-enclave-run: malformed input: standard input: item 1: at byte 0: unexpected break"
}

@test "--serve: usage errors exit 2; what the host reads once is read before any item" {
	crun -2 ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key \
	    -x fx/code -i x --serve
	assert_stderr "ccc-enclave-run: usage: --serve takes no -i, -o, -f, -n, --report or operand (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key \
	    -x fx/code --serve job
	assert_stderr "ccc-enclave-run: usage: --serve takes no -i, -o, -f, -n, --report or operand (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -x fx/code --serve
	assert_stderr "ccc-enclave-run: usage: --serve needs -r, -k, -a and -x (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key \
	    -x fx/code -i x -E 5 r s
	assert_stderr "ccc-enclave-run: usage: -E is for keygen and --serve (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run item
	assert_stderr "ccc-enclave-run: usage: item: key or job (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run item job -E 5 a b
	assert_stderr "ccc-enclave-run: usage: item job takes no -E (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run item job a
	assert_stderr "ccc-enclave-run: usage: item job needs the certified request and the sealed shares (see ccc-enclave-run --help)"
	crun -2 ccc-enclave-run item key x
	assert_stderr "ccc-enclave-run: usage: item key takes no operand (see ccc-enclave-run --help)"
	# A missing policy stops the host before it reads anything.
	crun -2 bash -c 'ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -x fx/code -p missing --serve <fx/ct >a'
	assert_stderr "ccc-enclave-run: i/o error: missing: No such file or directory"
	[[ -f a && ! -s a ]]
}
