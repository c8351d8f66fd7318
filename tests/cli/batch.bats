#!/usr/bin/env bats
# Streaming batches: ccc-encrypt --seq, ccc-reencrypt and ccc-combine --seq
# over long sequences (past the batch of 256 and the table thresholds),
# with worker threads (-j), piped inputs and damaged items far in.
bats_require_minimum_version 1.5.0
load helpers

# The size of a ccc/ct/v1 blob of a 32-byte plaintext labelled "app1",
# and of one sealed share record (0x58 0xb1 and 177 bytes).
CT=330
REC=179

setup_file() {
	make_fixtures
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		# 4200 random 32-byte byte strings: 0x58 0x20, then 32 bytes.
		python3 -c 'import os, sys
sys.stdout.buffer.write(b"".join(b"\x58\x20" + os.urandom(32)
    for _ in range(4200)))' >pt4200
		head -c $((600 * 34)) pt4200 >pt600
		head -c $((400 * 34)) pt4200 >pt400
		# 600 items: past the 512 at which ccc-encrypt builds tables.
		ccc-encrypt -k k23/tpk.cbor -l app1 --seq -j 1 -o ct600 pt600
		(($(stat -c %s ct600) == 600 * CT))
		head -c $((400 * CT)) ct600 >ct400
		# Every node's shares of the first 400.
		for i in 1 2 3; do
			ccc-reencrypt -s "k23/share-$i.cbor" -k k23/tpk.cbor \
			    --to rpub -c app1 -o "m$i" ct400
		done
		# One ciphertext of another key, one of another context.
		head -c 34 pt4200 >pt1
		ccc-encrypt -k kB/tpk.cbor -l app1 --seq -o ctB pt1
		ccc-encrypt -k k23/tpk.cbor -l app2 --seq -o ct.app2 pt1
		(($(stat -c %s ctB) == CT && $(stat -c %s ct.app2) == CT))
	)
}

setup() {
	use_fixtures
	NODE1=(-s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1)
	NODE3=(-s fx/k23/share-3.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1)
	K23=(-k fx/k23/tpk.cbor -i fx/rk)
}

OPEN_FAIL="cannot open (sealed to another key, or altered)"

# assert_count FILE N: the sealed blob FILE covers N ciphertexts.
assert_count() {
	crun -0 ccc-inspect "$1"
	assert_contains "$output" "\"count\": $2,"
}

# replace_item BAD OUT: OUT is fx/ct400 with its item 300 replaced by the
# one ciphertext in BAD (still 400 items).
replace_item() {
	{
		head -c $((299 * CT)) fx/ct400
		cat "$1"
		tail -c +$((300 * CT + 1)) fx/ct400
	} >"$2"
	(($(size_of "$2") == 400 * CT))
}

# record_at FILE I: byte offset of element I (1-based) of the 400 sealed
# share records at the end of FILE.
record_at() {
	echo $(($(size_of "$1") - (400 - $2 + 1) * REC))
}

# ---- ccc-reencrypt -----------------------------------------------------------

@test "ccc-reencrypt: -j outside 0..64 is a usage error (exit 2)" {
	local j
	for j in 65 -1 abc '' 2x; do
		crun -2 ccc-reencrypt "${NODE1[@]}" -j "$j" -o out fx/ct.l
		assert_output_empty
		assert_stderr "ccc-reencrypt: usage: -j: 0 (one per CPU) to 64 threads (see ccc-reencrypt --help)"
	done
	crun -2 ccc-reencrypt "${NODE1[@]}" -o out fx/ct.l -j
	assert_stderr 'ccc-reencrypt: usage: option "-j" needs an argument (see ccc-reencrypt --help)'
	assert_no_file out
	# The bounds themselves, and the long form, are accepted.
	crun -0 ccc-reencrypt "${NODE1[@]}" -j 0 -o j0 fx/ct.l
	assert_stderr_empty
	crun -0 ccc-reencrypt "${NODE1[@]}" -j 64 -o j64 fx/ct.l
	assert_stderr_empty
	crun -0 ccc-reencrypt "${NODE1[@]}" --jobs 2 -o j2 fx/ct.l
	assert_stderr_empty
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -o dec j64 fx/s2
	assert_same dec fx/msg
}

@test "ccc-reencrypt: standard input (-) given twice is a usage error (exit 2)" {
	crun -2 ccc-reencrypt "${NODE1[@]}" -o out - fx/ct.l - <fx/ct400
	assert_output_empty
	assert_stderr "ccc-reencrypt: usage: standard input (-) can be read only once (see ccc-reencrypt --help)"
	crun -2 bash -c 'cat fx/ct400 | ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o out - -'
	assert_stderr "ccc-reencrypt: usage: standard input (-) can be read only once (see ccc-reencrypt --help)"
	assert_no_file out
}

@test "ccc-reencrypt: ciphertexts from a pipe, alone or as - among files, combine to the plaintexts" {
	# All 600 through a pipe (node 1, 2 threads).
	crun -0 bash -c 'cat fx/ct600 | ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -j 2 -o piped'
	assert_stderr_empty
	assert_output_empty
	assert_count piped 600
	# Items 201-400 through a pipe between two files (node 2).
	head -c $((200 * CT)) fx/ct600 >a
	tail -c +$((200 * CT + 1)) fx/ct600 | head -c $((200 * CT)) >b
	tail -c +$((400 * CT + 1)) fx/ct600 >c
	cat a b c | cmp - fx/ct600
	crun -0 bash -c 'cat b | ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o mixed a - c'
	assert_stderr_empty
	assert_count mixed 600
	crun -0 ccc-combine "${K23[@]}" -c fx/ct600 --seq -o out piped mixed
	assert_stderr_empty
	assert_same out fx/pt600
}

@test "ccc-reencrypt: a piped standard input needs TMPDIR; a regular file does not" {
	crun -2 bash -c 'cat fx/ct400 | TMPDIR=no-such-dir ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o out'
	assert_output_empty
	assert_stderr "ccc-reencrypt: i/o error: stdin: cannot keep a copy in no-such-dir: No such file or directory"
	crun -2 bash -c 'cat fx/ct400 | TMPDIR=no-such-dir ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o out fx/ct.l -'
	assert_stderr "ccc-reencrypt: i/o error: stdin: cannot keep a copy in no-such-dir: No such file or directory"
	assert_no_file out
	assert_no_file no-such-dir
	# A regular file on standard input is read twice in place.
	crun -0 bash -c 'TMPDIR=no-such-dir ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o n2 < fx/ct400'
	assert_stderr_empty
	assert_count n2 400
	# An empty TMPDIR means /tmp.
	crun -0 bash -c 'cat fx/ct400 | TMPDIR= ccc-reencrypt -s fx/k23/share-3.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o n3'
	assert_stderr_empty
	assert_count n3 400
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -o out n2 n3
	assert_stderr_empty
	assert_same out fx/pt400
}

@test "ccc-reencrypt -j 1 and -j 2: different sealed blobs, the same plaintexts" {
	# fx/ct600 was made by ccc-encrypt --seq -j 1: 600 items, with tables.
	crun -0 ccc-reencrypt "${NODE1[@]}" -j 1 -o j1 fx/ct600
	assert_stderr_empty
	crun -0 ccc-reencrypt "${NODE1[@]}" -j 2 -o j2 fx/ct600
	assert_stderr_empty
	crun -0 ccc-reencrypt "${NODE3[@]}" -j 0 -o n3 fx/ct600
	assert_stderr_empty
	assert_count j1 600
	assert_count j2 600
	assert_count n3 600
	# HPKE is randomised: same size, different bytes.
	(($(size_of j1) == $(size_of j2)))
	assert_differ j1 j2
	crun -0 ccc-combine "${K23[@]}" -c fx/ct600 --seq -o out1 j1 n3
	assert_stderr_empty
	assert_same out1 fx/pt600
	crun -0 ccc-combine "${K23[@]}" -c fx/ct600 --seq -o out2 j2 n3
	assert_stderr_empty
	assert_same out2 fx/pt600
}

@test "ccc-reencrypt: a ciphertext of another key at item 300 of 400 is named, nothing written (exit 1)" {
	replace_item fx/ctB bad.seq
	local j
	for j in 1 2; do
		crun -1 ccc-reencrypt "${NODE1[@]}" -j $j -o out bad.seq
		assert_output_empty
		assert_stderr "ccc-reencrypt: invalid ciphertext: bad.seq: item 300: proof does not verify (tampered, or made for another key)"
		assert_no_file out
	done
	assert_no_temp_files .
	# On standard output the first batch is already out: an incomplete
	# blob, which ccc-combine refuses.
	crun -1 bash -c 'ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -j 2 bad.seq > part'
	assert_stderr "ccc-reencrypt: invalid ciphertext: bad.seq: item 300: proof does not verify (tampered, or made for another key)"
	[[ -s part ]]
	crun -1 ccc-combine "${K23[@]}" -c fx/ct400 --seq -o out part fx/m2
	assert_stderr "ccc-combine: not enough shares: fx/ct400: item 1: 1 valid share, 2 needed; part: input ends inside an item"
	assert_no_file out
}

@test "ccc-reencrypt -c: another label context at item 300 of 400 is refused, nothing written (exit 1)" {
	replace_item fx/ct.app2 bad.seq
	crun -1 ccc-reencrypt "${NODE1[@]}" -j 2 -o out bad.seq
	assert_output_empty
	assert_stderr 'ccc-reencrypt: refused by policy: bad.seq: item 300: the ciphertext'"'"'s label context is not "app1"'
	assert_no_file out
	assert_no_temp_files .
	# Without -c the same sequence is accepted (its proofs all hold).
	crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -j 2 -o out bad.seq
	assert_stderr_empty
	assert_count out 400
}

# ---- ccc-combine -------------------------------------------------------------

@test "ccc-combine: -j without --seq, or outside 0..64, is a usage error (exit 2)" {
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l -j 2 -o out fx/s1 fx/s2
	assert_output_empty
	assert_stderr "ccc-combine: usage: -j applies to --seq (see ccc-combine --help)"
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l --seq -j 65 -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: usage: -j: 0 (one per CPU) to 64 threads (see ccc-combine --help)"
	assert_no_file out
}

@test "ccc-combine --seq -j 2 and -j 0 write the bytes of -j 1" {
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j 1 -o out1 fx/m1 fx/m3
	assert_stderr_empty
	assert_output_empty
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j 2 -o out2 fx/m1 fx/m3
	assert_stderr_empty
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j 0 -o out0 fx/m3 fx/m2
	assert_stderr_empty
	assert_same out1 fx/pt400
	assert_same out2 out1
	assert_same out0 out1
}

@test "ccc-combine: ciphertexts from a pipe with -c -" {
	crun -0 bash -c 'cat fx/ct400 | ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c - --seq -j 2 -o out fx/m1 fx/m2'
	assert_stderr_empty
	assert_same out fx/pt400
	# The copy is kept in TMPDIR.
	crun -2 bash -c 'cat fx/ct400 | TMPDIR=no-such-dir ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c - --seq -o out2 fx/m1 fx/m2'
	assert_output_empty
	assert_stderr "ccc-combine: i/o error: stdin: cannot keep a copy in no-such-dir: No such file or directory"
	assert_no_file out2
}

@test "ccc-combine: sealed blobs through process substitution are read whole" {
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -o out <(cat fx/m1) fx/m3
	assert_stderr_empty
	assert_same out fx/pt400
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j 2 -o out2 <(cat fx/m2) <(cat fx/m3)
	assert_stderr_empty
	assert_same out2 fx/pt400
}

@test "ccc-combine: a node whose share 300 is altered is left out entirely, with one warning" {
	local at
	at=$(record_at fx/m2 300)
	[[ "$(hex_of fx/m2 | cut -c$((2 * at + 1))-$((2 * at + 4)))" == 58b1 ]]
	flip_bit fx/m2 $((at + 2 + 88)) 0 m2.bad
	(($(size_of m2.bad) == $(size_of fx/m2)))
	local j
	for j in 1 2; do
		crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j $j -o out$j fx/m1 m2.bad fx/m3
		assert_output_empty
		assert_stderr "ccc-combine: warning: node 2 (m2.bad): $OPEN_FAIL; its shares were not used"
		assert_same out$j fx/pt400
	done
}

@test "ccc-combine: with the node whose share 300 is altered, two of 2-of-3 fail at item 1 (exit 1)" {
	local at
	at=$(record_at fx/m2 300)
	flip_bit fx/m2 $((at + 2 + 88)) 0 m2.bad
	local j
	for j in 1 2; do
		crun -1 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j $j -o out fx/m1 m2.bad
		assert_output_empty
		assert_stderr "ccc-combine: not enough shares: fx/ct400: item 1: 1 valid share, 2 needed; node 2 (m2.bad): $OPEN_FAIL"
		assert_no_file out
	done
	assert_no_temp_files .
}

@test "ccc-combine: a share record 300 of the wrong length leaves its node out" {
	local at
	at=$(record_at fx/m2 300)
	[[ "$(hex_of fx/m2 | cut -c$((2 * at + 1))-$((2 * at + 4)))" == 58b1 ]]
	# 0x58 0xb1 -> 0x58 0xb0: a byte string of 176, then a stray byte.
	replace_bytes fx/m2 $((at + 1)) b0 m2.b0
	(($(size_of m2.b0) == $(size_of fx/m2)))
	crun -0 ccc-combine "${K23[@]}" -c fx/ct400 --seq -j 2 -o out fx/m1 m2.b0 fx/m3
	assert_output_empty
	assert_stderr "ccc-combine: warning: node 2 (m2.b0): shares: element 300 is not a byte string of 177 bytes; its shares were not used"
	assert_same out fx/pt400
	crun -1 ccc-combine "${K23[@]}" -c fx/ct400 --seq -o out2 m2.b0 fx/m3
	assert_stderr "ccc-combine: not enough shares: fx/ct400: item 1: 1 valid share, 2 needed; node 2 (m2.b0): shares: element 300 is not a byte string of 177 bytes"
	assert_no_file out2
}

@test "ccc-combine: 4200 items through every table (encrypt -j 2, reencrypt, combine -j 2)" {
	# Past ccc-encrypt's 512, ccc-reencrypt's 4096 and ccc-combine's 1024.
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 --seq -j 2 -o ct fx/pt4200
	assert_stderr_empty
	assert_output_empty
	(($(size_of ct) == 4200 * CT))
	crun -0 ccc-reencrypt "${NODE1[@]}" -o n1 ct
	assert_stderr_empty
	crun -0 ccc-reencrypt "${NODE3[@]}" -j 2 -o n3 ct
	assert_stderr_empty
	assert_count n1 4200
	assert_count n3 4200
	crun -0 ccc-combine "${K23[@]}" -c ct --seq -j 2 -o out n1 n3
	assert_stderr_empty
	assert_output_empty
	assert_same out fx/pt4200
}

# ---- ccc-encrypt -------------------------------------------------------------

@test "ccc-encrypt: -j without --seq, or outside 0..64, is a usage error (exit 2)" {
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -j 2 -o out fx/msg
	assert_output_empty
	assert_stderr "ccc-encrypt: usage: -j applies to --seq (see ccc-encrypt --help)"
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor --seq -j 65 -o out fx/pt400
	assert_stderr "ccc-encrypt: usage: -j: 0 (one per CPU) to 64 threads (see ccc-encrypt --help)"
	assert_no_file out
}

# ---- request mode: a certified request of many ciphertexts ----------------

MEAS=$(printf '%096d' 0)
NB=1000000000
NA=4000000000

# big_request: in the current directory, oracles and roster (q=3 of 4),
# 1200 ciphertexts labelled app:A (past the 64 KiB the request reader
# takes whole, and combine's 1024), their request "req" and its
# certificate "cert" signed by 3 oracles.
big_request() {
	oracle_fixtures
	head -c $((1200 * 34)) fx/pt4200 >pt1200
	ccc-encrypt -k fx/k23/tpk.cbor -l app:A --seq -j 2 -o cts pt1200
	ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r roster -P pool -K epub -E 3600 -o req cts
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "o$i.key" -k fx/k23/tpk.cbor -A attest.policy -r roster -P pool -o "sig$i" req
	done
	ccc-quorum-sign combine -r roster -c req -o cert sig1 sig2 sig3
}

serve() {	# NODE ARGS...: ccc-reencrypt -r for node NODE of k23
	local i=$1
	shift
	crun ccc-reencrypt -s "fx/k23/share-$i.cbor" -k fx/k23/tpk.cbor \
	    -r roster -A attest.policy -P pool -d "st$i" "$@"
}

@test "ccc-reencrypt -r: 1200 ciphertexts of a certified request, from a file and a pipe" {
	big_request
	serve 1 -j 2 -o s1 cert
	((status == 0))
	assert_stderr_empty
	assert_output_empty
	crun -0 bash -c 'cat cert | ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor -r roster -A attest.policy -P pool -d st2 > s2'
	assert_stderr_empty
	assert_count s1 1200
	assert_count s2 1200
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 1 entry, chained and matching its head"
	# The enclave's side: the request, or its certificate, and -j.
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i ek -R req --seq -j 2 -o out s1 s2
	assert_stderr_empty
	assert_same out pt1200
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i ek -R cert --seq -o out2 s2 s1
	assert_same out2 pt1200
}

@test "ccc-reencrypt -r: a byte changed deep in the ciphertexts of a certified request breaks its signatures" {
	big_request
	# Inside the 900th ciphertext's bytes, far from either end.
	replace_bytes cert $(($(size_of cert) / 4 * 3)) 00 bad
	cmp -s cert bad && replace_bytes cert $(($(size_of cert) / 4 * 3)) 01 bad
	serve 1 -o s1 bad
	((status == 1))
	assert_output_empty
	# Every member is missing, in roster order.
	local names
	names=$(ccc-inspect roster | sed -n 's/^      "name": "\(.*\)"$/\1/p' |
	    paste -sd, | sed 's/,/, /g')
	[[ "$names" == *oracle-1* && "$names" == *oracle-4* ]]
	assert_stderr "ccc-reencrypt: bad signature: bad: 0 valid signatures, roster \"oracles\" needs 3; not signed by $names"
	assert_no_file s1 st1
}

@test "ccc-reencrypt -r: a certified request cut inside its ciphertexts is refused" {
	big_request
	head -c $(($(size_of cert) / 2)) cert >short
	serve 1 -o s1 short
	((status == 1))
	# Where the request, a byte string, runs past the end.
	assert_stderr "ccc-reencrypt: truncated input: short: at byte 71: input ends inside an item"
	assert_no_file s1
}

@test "ccc-reencrypt -r: the request is copied to TMPDIR while served; without it, nothing is" {
	big_request
	TMPDIR=no-such serve 1 -o s1 cert
	((status == 2))
	assert_stderr "ccc-reencrypt: i/o error: cert: cannot keep a copy in no-such: No such file or directory"
	assert_no_file s1
}

# on_tty CMD: run CMD (a shell line) with a terminal as its standard error
# (and output), through script(1); output is what the terminal got, with
# every time in seconds as "T s", a run of blanks as "<blank>" and each
# carriage return as "\r".
on_tty() {
	command -v script >/dev/null || skip "script (bsdutils) not installed"
	crun -0 script -qec "$1; echo rc=\$?" /dev/null </dev/null
	output=$(printf '%s' "$output" | sed -e 's/[0-9][0-9]* s/T s/g' \
	    -e 's/ \{2,\}/<blank>/g' -e 's/\r/\\r/g')
}

@test "batch: on a terminal, a progress line after each batch of 256, erased at the end" {
	on_tty "ccc-encrypt -k fx/k23/tpk.cbor -l app1 --seq -o ct fx/pt600"
	assert_output '\rccc-encrypt: 256 items, T s\rccc-encrypt: 512 items, T s\rccc-encrypt: 600 items, T s\r<blank>\rrc=0\r'
	(($(stat -c %s ct) == 600 * CT))
	on_tty "ccc-reencrypt ${NODE1[*]} -o m fx/ct400"
	assert_output '\rccc-reencrypt: 256 items, T s\rccc-reencrypt: 400 items, T s\r<blank>\rrc=0\r'
	on_tty "ccc-combine ${K23[*]} -b fx/ct400 --seq -o pt fx/m1 fx/m2"
	assert_output '\rccc-combine: 256 items, T s\rccc-combine: 400 items, T s\r<blank>\rrc=0\r'
	assert_same pt <(head -c $((400 * 34)) fx/pt4200)
	# A failure erases the line before its error line.
	on_tty "ccc-combine ${K23[*]} -b fx/ct600 --seq -o pt2 fx/m1 fx/m2"
	assert_contains "$output" '\r<blank>\rccc-combine: '
	[[ ! -e pt2 ]]
}

@test "batch: -v sums up on standard error (items and time), nothing else is said" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 --seq -v -o ct fx/pt600
	[[ $stderr =~ ^ccc-encrypt:\ 600\ items\ in\ [0-9]+\.[0-9][0-9]\ s$ ]] ||
	    fail "stderr: $stderr"
	crun -0 ccc-reencrypt "${NODE3[@]}" -v -o m3 fx/ct400
	[[ $stderr =~ ^ccc-reencrypt:\ 400\ items\ in\ [0-9]+\.[0-9][0-9]\ s$ ]] ||
	    fail "stderr: $stderr"
	crun -0 ccc-combine "${K23[@]}" -b fx/ct400 --seq -v -o pt fx/m1 m3
	[[ $stderr =~ ^ccc-combine:\ 400\ items\ in\ [0-9]+\.[0-9][0-9]\ s$ ]] ||
	    fail "stderr: $stderr"
	assert_same pt <(head -c $((400 * 34)) fx/pt4200)
	# Without --seq, ccc-encrypt has no batch to sum up.
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -v -o x fx/pt1
	assert_stderr "ccc-encrypt: usage: -v applies to --seq (see ccc-encrypt --help)"
	crun -2 ccc-combine --result x -v
	assert_stderr "ccc-combine: usage: --result takes only -i, -o, -f and -T (see ccc-combine --help)"
}
