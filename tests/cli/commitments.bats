#!/usr/bin/env bats
# Sealed shares that carry their proofs' commitments (ccc-reencrypt
# --commitments): the combiner checks a round of them with one multi-scalar
# multiplication, and its verdicts are those of a check one by one.
bats_require_minimum_version 1.5.0
load helpers

NB=1000000000
NA=4000000000

setup_file() {
	make_fixtures
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		for i in 1 2 3 4 5 6 7; do
			ccc-reencrypt --commitments -s "k57/share-$i.cbor" \
			    -k k57/tpk.cbor --to rpub -l app1 -o "c$i" ct57
		done
		# Two ciphertexts in one blob, with and without commitments.
		ccc-reencrypt --commitments -s k57/share-1.cbor \
		    -k k57/tpk.cbor --to rpub -l app1 -o c1x2 ct57 ct57
		ccc-reencrypt -s k57/share-1.cbor -k k57/tpk.cbor --to rpub \
		    -l app1 -o t1x2 ct57 ct57
	)
}

setup() {
	use_fixtures
	K57=(-k fx/k57/tpk.cbor -i fx/rk)
}

TAMPER=$CCC_BIN/../tests/unit/share-tamper

# rounds_are FILE WANT: the ways combine's rounds went, as its test hook
# logs them in FILE (fused, checked); nothing to see without the hooks.
rounds_are() {
	test_hooks || return 0
	[[ $(cat "$1") == "$2" ]] || fail "rounds: $(cat "$1")"
}

# elements FILE: the hex of each sealed share of a sealed blob, a line each.
elements() {
	ccc-inspect "$1" | sed -n 's/^    "\([0-9a-f]*\)",\{0,1\}$/\1/p'
}

# report_of NAME:NODE:VERDICT...: the --report JSON of a complete combine.
report_of() {
	local e sep='' f n v
	printf '%s\n' '{"tool": "ccc-combine", "complete": true, "needed": 5, "valid": 5, "nodes": ['
	for e; do
		IFS=: read -r f n v <<<"$e"
		printf '%s{"file": "%s", "node": %s, "verdict": "%s"' "$sep" "$f" "$n" "$v"
		[[ $v != bad ]] || printf ', "why": "proof does not verify"'
		printf '}'
		sep=$',\n'
	done
	printf '\n]}\n'
}

@test "commitments: each sealed share is 130 bytes longer, sealed, and any t of them decrypt" {
	local plain with
	plain=$(size_of fx/t1)
	with=$(size_of fx/c1)
	# 130 bytes of commitments, and the head of a longer byte string.
	((with == plain + 131))
	((${#plain} > 0 && $(size_of fx/c1x2) == $(size_of fx/t1x2) + 2 * 131))
	crun -0 elements fx/c1x2
	((${#stderr_lines[@]} == 0 && ${#lines[@]} == 2))
	((${#lines[0]} == 2 * 307 && ${#lines[1]} == 2 * 307))
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 --report rep -o out \
	    fx/c7 fx/c2 fx/c5 fx/c1 fx/c4 fx/c3
	assert_stderr_empty
	assert_same out fx/msg
	report_of fx/c7:7:ok fx/c2:2:ok fx/c5:5:ok fx/c1:1:ok fx/c4:4:ok \
	    fx/c3:3:unchecked >want
	cmp want rep
	# A node's blob given twice counts once, as one by one.
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 -o out3 fx/c1 fx/c2 fx/c1 \
	    fx/c3 fx/c4 fx/c5
	assert_stderr "ccc-combine: warning: node 1: fx/c1 repeats fx/c1; ignored"
	assert_same out3 fx/msg
	# Blobs with and without commitments mix: those rounds go one by one.
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 -o out2 fx/c1 fx/t2 fx/c3 \
	    fx/t4 fx/c5
	assert_stderr_empty
	assert_same out2 fx/msg
}

@test "commitments: a wrong proof among them is named as a check one by one names it" {
	"$TAMPER" -i fx/rk -n 1 -o c6.bad fx/c6
	"$TAMPER" -i fx/rk -n 1 -o t6.bad fx/t6
	local f
	for f in c t; do
		# (The first 5, node 6's among them, tried fused, then checked.)
		CCC_TEST_ROUNDS=$PWD/rounds.$f crun -0 ccc-combine "${K57[@]}" \
		    -c fx/ct57 --report "rep.$f" -o "out.$f" "fx/${f}1" \
		    "$f"6.bad "fx/${f}2" "fx/${f}3" "fx/${f}4" "fx/${f}5" \
		    "fx/${f}7"
		rounds_are "rounds.$f" checked
		assert_stderr "ccc-combine: warning: node 6 (${f}6.bad): proof does not verify; its shares were not used"
		assert_same "out.$f" fx/msg
		report_of "fx/${f}1:1:ok" "${f}6.bad:6:bad" "fx/${f}2:2:ok" \
		    "fx/${f}3:3:ok" "fx/${f}4:4:ok" "fx/${f}5:5:ok" \
		    "fx/${f}7:7:unchecked" >"want.$f"
		cmp "want.$f" "rep.$f"
	done
	# Too few valid: the bad node is named, as without commitments.
	crun -1 ccc-combine "${K57[@]}" -c fx/ct57 -o out fx/c1 c6.bad fx/c2 \
	    fx/c3 fx/c4
	assert_output_empty
	assert_stderr "ccc-combine: not enough shares: fx/ct57: item 1: 4 valid shares, 5 needed; node 6 (c6.bad): proof does not verify"
	assert_no_file out
}

@test "commitments: t shares are combined in their check; a payload that does not open under the right key is still refused as such" {
	local i
	# Exactly t: the combination is the check's; the report as ever.
	CCC_TEST_ROUNDS=$PWD/rounds crun -0 ccc-combine "${K57[@]}" \
	    -c fx/ct57 --report rep -o out fx/c3 fx/c1 fx/c5 fx/c7 fx/c2
	assert_stderr_empty
	rounds_are rounds fused
	assert_same out fx/msg
	report_of fx/c3:3:ok fx/c1:1:ok fx/c5:5:ok fx/c7:7:ok fx/c2:2:ok >want
	cmp want rep
	# The payload altered, every share made for it and good: the fused
	# combination does not open it, the shares are checked (all verify,
	# no node is named) and combined again, and the payload is refused
	# as without commitments.
	flip_bit fx/ct57 $(($(field_offset fx/ct57 sym) + 5)) 7 bad
	for i in 1 2 3 4 5; do
		crun -0 ccc-reencrypt --commitments -s "fx/k57/share-$i.cbor" \
		    -k fx/k57/tpk.cbor --to fx/rpub -l app1 -o "n$i" bad
	done
	rm -f rounds
	CCC_TEST_ROUNDS=$PWD/rounds crun -1 ccc-combine "${K57[@]}" -c bad \
	    -o out2 n1 n2 n3 n4 n5
	assert_output_empty
	assert_stderr "ccc-combine: decryption failed: bad: item 1: payload does not authenticate"
	rounds_are rounds checked
	assert_no_file out2
}

@test "commitments: with the nodes' tables (a stream from 1024 on) rounds are still fused, and a wrong proof named the same" {
	need_test_hooks
	"$TAMPER" -i fx/rk -n 1 -o c6.bad fx/c6
	# The tables' threshold lowered to one ciphertext (a test hook).
	CCC_TEST_TABLES_FROM=1 CCC_TEST_ROUNDS=$PWD/rounds crun -0 \
	    ccc-combine "${K57[@]}" -c fx/ct57 --report rep -o out fx/c3 \
	    fx/c1 fx/c5 fx/c7 fx/c2
	assert_stderr_empty
	rounds_are rounds $'tables\nfused'
	assert_same out fx/msg
	report_of fx/c3:3:ok fx/c1:1:ok fx/c5:5:ok fx/c7:7:ok fx/c2:2:ok >want
	cmp want rep
	CCC_TEST_TABLES_FROM=1 CCC_TEST_ROUNDS=$PWD/rounds2 crun -0 \
	    ccc-combine "${K57[@]}" -c fx/ct57 --report rep2 -o out2 fx/c1 \
	    c6.bad fx/c2 fx/c3 fx/c4 fx/c5 fx/c7
	rounds_are rounds2 $'tables\nchecked'
	assert_stderr "ccc-combine: warning: node 6 (c6.bad): proof does not verify; its shares were not used"
	assert_same out2 fx/msg
	report_of fx/c1:1:ok c6.bad:6:bad fx/c2:2:ok fx/c3:3:ok fx/c4:4:ok \
	    fx/c5:5:ok fx/c7:7:unchecked >want2
	cmp want2 rep2
}

@test "commitments: a wrong commitment with a right proof is only a hint that failed: the share counts" {
	"$TAMPER" -i fx/rk -n 1 -c -o c2.hint fx/c2
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 --report rep -o out fx/c1 \
	    c2.hint fx/c3 fx/c4 fx/c5
	assert_stderr_empty
	assert_same out fx/msg
	report_of fx/c1:1:ok c2.hint:2:ok fx/c3:3:ok fx/c4:4:ok fx/c5:5:ok \
	    >want
	cmp want rep
	# (The helper refuses to alter commitments a blob does not have.)
	crun -2 "$TAMPER" -i fx/rk -n 1 -c -o x fx/t2
	assert_stderr "share-tamper: -c: the shares carry no commitments"
}

@test "commitments: every share of a blob has one size; a blob mixing them is refused" {
	local e1 e2 p2 hex
	e1=$(elements fx/c1x2 | sed -n 1p)
	e2=$(elements fx/c1x2 | sed -n 2p)
	p2=$(elements fx/t1x2 | sed -n 2p)
	hex=$(hex_of fx/c1x2)
	# The second share swapped for a share of the short size.
	write_hex "${hex/590133$e2/58b1$p2}" mixed
	(($(size_of mixed) == $(size_of fx/c1x2) - 131))
	crun -1 ccc-inspect mixed
	assert_output_empty
	assert_stderr "ccc-inspect: invalid field: mixed: item 1: at byte $(find_hex mixed "58b1$p2"): shares: 177 bytes, expected 307 as the first"
	crun -1 ccc-combine "${K57[@]}" -o out -c fx/ct57 mixed fx/c2 fx/c3 \
	    fx/c4 fx/c5
	assert_output_empty
	# (Its length is read from the first share's: the blob is short.)
	assert_stderr "ccc-combine: not enough shares: fx/ct57: item 1: 4 valid shares, 5 needed; mixed: input ends inside an item"
	assert_no_file out
	[[ $e1 != "$e2" ]]
}

@test "commitments: with Chainlink's shares (-x) there is no room for them (exit 2)" {
	crun -2 ccc-reencrypt --commitments -s fx/k57/share-1.cbor \
	    -k fx/k57/tpk.cbor -x "$(printf '%064d' 0)" -o out fx/ct57
	assert_output_empty
	assert_stderr "ccc-reencrypt: usage: --commitments: Chainlink's shares (-x) have no room for them (see ccc-reencrypt --help)"
	assert_no_file out
}

# ---- ciphertexts that carry their proof's commitments ----------------------

# item_hex FILE K FIELD: the hex of FIELD of the Kth ciphertext of FILE.
item_hex() {
	ccc-inspect "$1" | sed -n "s/^  \"$3\": \"\\([0-9a-f]*\\)\",\\{0,1\\}\$/\\1/p" |
	    sed -n "$2p"
}

# hinted_seq OUT N [LABEL]: N one-line plaintexts (the sequence pts)
# encrypted under k57 for LABEL (default app1) with commitments (OUT), and
# without (OUT.plain).
hinted_seq() {
	python3 -c '
import sys
for i in range(1, int(sys.argv[1]) + 1):
    b = b"line %d\n" % i
    sys.stdout.buffer.write(bytes([0x40 + len(b)]) + b)' "$2" >pts
	ccc-encrypt --commitments --seq -k fx/k57/tpk.cbor -l "${3-app1}" \
	    -o "$1" pts
	ccc-encrypt --seq -k fx/k57/tpk.cbor -l "${3-app1}" -o "$1.plain" pts
}

@test "ccc-encrypt --commitments: a ciphertext carries w and w_bar, 136 bytes more, and decrypts as any" {
	crun -0 ccc-encrypt --commitments -k fx/k57/tpk.cbor -l app1 -o ct fx/msg
	assert_stderr_empty
	(($(size_of ct) == $(size_of fx/ct57) + 136))
	local w wb
	w=$(item_hex ct 1 w)
	wb=$(item_hex ct 1 w_bar)
	((${#w} == 130 && ${#wb} == 130))
	[[ ${w:0:2} == 04 && ${wb:0:2} == 04 ]]
	for i in 1 2 3 4 5; do
		crun -0 ccc-reencrypt -s "fx/k57/share-$i.cbor" -k fx/k57/tpk.cbor \
		    --to fx/rpub -l app1 -o "s$i" ct
	done
	crun -0 ccc-combine "${K57[@]}" -b ct -o out s1 s2 s3 s4 s5
	assert_stderr_empty
	assert_same out fx/msg
	# Chainlink's JSON form has no room for them.
	crun -2 ccc-encrypt --commitments --json -k fx/k57/tpk.cbor -o j fx/msg
	assert_stderr "ccc-encrypt: usage: --commitments: Chainlink's JSON form has no room for them (see ccc-encrypt --help)"
	assert_no_file j
}

@test "ciphertexts with commitments: nodes and combine check them in batches, with the same results" {
	hinted_seq cts 100
	local i
	for i in 1 2 3 4 5; do
		crun -0 ccc-reencrypt -s "fx/k57/share-$i.cbor" -k fx/k57/tpk.cbor \
		    --to fx/rpub -l app1 -j 2 -o "s$i" cts
		assert_stderr_empty
	done
	crun -0 ccc-combine "${K57[@]}" -b cts --seq -o out s5 s1 s4 s2 s3
	assert_stderr_empty
	assert_same out pts
}

@test "ciphertexts with commitments: a bad proof at item 37 of 100 is named as one by one names it (exit 1)" {
	hinted_seq cts 100
	local f at
	for f in cts cts.plain; do
		at=$(find_hex "$f" "$(item_hex "$f" 37 e)")
		flip_bit "$f" $((at + 5)) 2 "$f.bad"
		crun -1 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
		    --to fx/rpub -l app1 -o out "$f.bad"
		assert_output_empty
		assert_stderr "ccc-reencrypt: invalid ciphertext: $f.bad: item 37: proof does not verify (tampered, or made for another key)"
		assert_no_file out
		# The recipient checks them again, as one by one.
		for i in 1 2 3 4 5; do
			ccc-reencrypt -s "fx/k57/share-$i.cbor" \
			    -k fx/k57/tpk.cbor --to fx/rpub -l app1 \
			    -o "$f.s$i" "$f"
		done
		crun -1 ccc-combine "${K57[@]}" -b "$f.bad" --seq -o out \
		    "$f".s{1..5}
		assert_output_empty
		assert_stderr "ccc-combine: invalid ciphertext: $f.bad: item 37: proof does not verify (tampered, or made for another key)"
		assert_no_file out
	done
}

@test "ciphertexts with commitments: a wrong commitment with a right proof is only a hint that failed" {
	hinted_seq cts 40
	local at
	# Item 5's w replaced by item 6's: a point, the wrong one.
	at=$(find_hex cts "$(item_hex cts 5 w)")
	replace_bytes cts "$at" "$(item_hex cts 6 w)" cts.hint
	crun -0 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    --to fx/rpub -l app1 -o s1 cts.hint
	assert_stderr_empty
	for i in 2 3 4 5; do
		crun -0 ccc-reencrypt -s "fx/k57/share-$i.cbor" -k fx/k57/tpk.cbor \
		    --to fx/rpub -l app1 -o "s$i" cts.hint
	done
	crun -0 ccc-combine "${K57[@]}" -b cts.hint --seq -o out s1 s2 s3 s4 s5
	assert_stderr_empty
	assert_same out pts
}

@test "ciphertexts with commitments: w without w_bar is refused" {
	crun -0 ccc-encrypt --commitments -k fx/k57/tpk.cbor -l app1 -o ct fx/msg
	local hex wb
	hex=$(hex_of ct)
	wb=$(item_hex ct 1 w_bar)
	# The map of 12 entries less its last (key 11, w_bar).
	[[ ${hex:0:2} == ac && $hex == *"0b5841$wb" ]]
	write_hex "ab${hex:2:${#hex}-2-2*68}" half
	crun -1 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    --to fx/rpub -l app1 -o out half
	assert_output_empty
	# (At the value of w, after its key.)
	assert_stderr "ccc-reencrypt: invalid field: half: item 1: at byte $(($(find_hex half "0a5841") + 1)): w without w_bar"
	assert_no_file out
}

@test "ciphertexts with commitments: a request of many is built and signed with batched checks; a bad one is named at its item" {
	hinted_seq cts 100 app:A
	local f at
	for f in cts cts.plain; do
		crun -0 ccc-quorum-sign request -a A -m "$(printf '%096d' 0)" \
		    -k fx/k57/tpk.cbor -r fx/roster -P fx/pool -K fx/epub \
		    -E 3600 -o "$f.req" "$f"
		assert_stderr_empty
		crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P fx/pool -o "$f.sig" \
		    "$f.req"
		assert_stderr_empty
		at=$(find_hex "$f" "$(item_hex "$f" 37 f)")
		flip_bit "$f" $((at + 3)) 0 "$f.bad"
		crun -1 ccc-quorum-sign request -a A -m "$(printf '%096d' 0)" \
		    -k fx/k57/tpk.cbor -r fx/roster -P fx/pool -K fx/epub \
		    -E 3600 -o "$f.breq" "$f.bad"
		assert_output_empty
		assert_stderr "ccc-quorum-sign: invalid ciphertext: $f.bad: item 37: proof does not verify (tampered, or made for another key)"
		assert_no_file "$f.breq"
		# A request altered after it was built: the oracle names it.
		at=$(find_hex "$f.req" "$(item_hex "$f" 37 f)")
		flip_bit "$f.req" $((at + 3)) 0 "$f.req.bad"
		crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P fx/pool -o "$f.bsig" \
		    "$f.req.bad"
		assert_output_empty
		assert_stderr "ccc-quorum-sign: invalid ciphertext: $f.req.bad: item 37: proof does not verify (tampered, or made for another key)"
		assert_no_file "$f.bsig"
	done
}
