#!/usr/bin/env bats
# Sealed shares that carry their proofs' commitments (ccc-reencrypt
# --commitments): the combiner checks a round of them with one multi-scalar
# multiplication, and its verdicts are those of a check one by one.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	make_fixtures
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
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
		crun -0 ccc-combine "${K57[@]}" -c fx/ct57 --report "rep.$f" \
		    -o "out.$f" "fx/${f}1" "$f"6.bad "fx/${f}2" "fx/${f}3" \
		    "fx/${f}4" "fx/${f}5" "fx/${f}7"
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
