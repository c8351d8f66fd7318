#!/usr/bin/env bats
# ccc-combine: open sealed shares, verify them, combine t, decrypt.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	make_fixtures
}

setup() {
	use_fixtures
	K23=(-k fx/k23/tpk.cbor -i fx/rk)
	K57=(-k fx/k57/tpk.cbor -i fx/rk)
}

# corrupt IN OUT: OUT is the sealed blob IN with one bit of its first
# sealed share flipped (its HPKE tag no longer verifies).
corrupt() {
	local at
	at=$(find_hex "$1" "$(ccc-inspect "$1" |
	    sed -n '/"shares": \[/{n;s/^ *"\(.*\)",\{0,1\}$/\1/p}')")
	flip_bit "$1" $((at + 10)) 3 "$2"
}

OPEN_FAIL="cannot open (sealed to another key, or altered)"

# ---- help, version, usage --------------------------------------------------

@test "ccc-combine: usage errors exit 2 with one line" {
	crun -2 ccc-combine -i fx/rk -c fx/ct.l -o out fx/s1 fx/s2
	assert_output_empty
	assert_stderr "ccc-combine: usage: needs -k TPK and -i KEY or -x BOXKEY (see ccc-combine --help)"
	crun -2 ccc-combine -k fx/k23/tpk.cbor -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: usage: needs -k TPK and -i KEY or -x BOXKEY (see ccc-combine --help)"
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l -o out
	assert_stderr "ccc-combine: usage: no sealed shares given (see ccc-combine --help)"
	crun -2 ccc-combine "${K23[@]}" -o out fx/s1 fx/s2 -c
	assert_stderr 'ccc-combine: usage: option "-c" needs an argument (see ccc-combine --help)'
	assert_no_file out
}

# ---- success -------------------------------------------------------------------

@test "ccc-combine: any t of the n nodes decrypt, in any order" {
	local a b
	for a in 1 2 3; do
		for b in 1 2 3; do
			[[ $a != "$b" ]] || continue
			crun -0 ccc-combine "${K23[@]}" -c fx/ct.l "fx/s$a" "fx/s$b"
			assert_stderr_empty
			assert_output "attack at dawn"
		done
	done
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -o out fx/s3 fx/s1 fx/s2
	assert_stderr_empty
	assert_same out fx/msg
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 -o out57 fx/t7 fx/t2 fx/t5 fx/t1 fx/t4
	assert_stderr_empty
	assert_same out57 fx/msg
}

@test "ccc-combine: the ciphertext may come from standard input" {
	crun -0 bash -c 'ccc-combine -k fx/k23/tpk.cbor -i fx/rk -o out fx/s1 fx/s2 < fx/ct.l'
	assert_stderr_empty
	assert_same out fx/msg
	crun -0 bash -c 'ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c - fx/s1 fx/s2 < fx/ct.l > out2'
	assert_same out2 fx/msg
}

# ---- not enough shares ---------------------------------------------------------------

@test "ccc-combine: t-1 shares are not enough (exit 1, nothing written)" {
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out fx/s2
	assert_output_empty
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed"
	crun -1 ccc-combine "${K57[@]}" -c fx/ct57 -o out fx/t1 fx/t2 fx/t3 fx/t4
	assert_stderr "ccc-combine: not enough shares: fx/ct57: item 1: 4 valid shares, 5 needed"
	assert_no_file out
	assert_no_temp_files .
}

@test "ccc-combine: the same node twice counts once (warning; t-1 distinct fail)" {
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -o out fx/s1 fx/s1 fx/s2
	assert_stderr "ccc-combine: warning: node 1: fx/s1 repeats fx/s1; ignored"
	assert_same out fx/msg
	# A refusal is one line, which names what it left out.
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out2 fx/s1 fx/s1
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; ignored: node 1: fx/s1 repeats fx/s1"
	assert_no_file out2
	# Two different blobs of one node (made in two runs) count once too.
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o again2 fx/ct.l
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out3 fx/s2 again2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; ignored: node 2: again2 repeats fx/s2"
	assert_no_file out3
}

@test "ccc-combine: a node's blob for another ciphertext does not hide its valid one" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o ct2 fx/msg
	crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -o n1 ct2
	crun -0 ccc-reencrypt -s fx/k23/share-3.cbor -k fx/k23/tpk.cbor --to fx/rpub -o n3 ct2
	# fx/s1 is node 1's share of fx/ct.l, n1 its share of ct2.
	crun -0 ccc-combine "${K23[@]}" -c ct2 -o out fx/s1 n1 n3
	assert_stderr "ccc-combine: warning: node 1 (fx/s1): share made for another ciphertext; its shares were not used"
	assert_same out fx/msg
}

# ---- some invalid --------------------------------------------------------------------

@test "ccc-combine: more than t with one corrupted still decrypts and names the bad node" {
	corrupt fx/t3 t3.bad
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 -o out fx/t1 fx/t2 t3.bad fx/t4 fx/t5 fx/t6
	assert_stderr "ccc-combine: warning: node 3 (t3.bad): $OPEN_FAIL; its shares were not used"
	assert_same out fx/msg
	corrupt fx/s2 s2.bad
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -o out23 fx/s1 s2.bad fx/s3
	assert_stderr "ccc-combine: warning: node 2 (s2.bad): $OPEN_FAIL; its shares were not used"
	assert_same out23 fx/msg
}

@test "ccc-combine: t shares with one corrupted fail, naming the bad node (exit 1)" {
	corrupt fx/t3 t3.bad
	crun -1 ccc-combine "${K57[@]}" -c fx/ct57 -o out fx/t1 fx/t2 t3.bad fx/t4 fx/t5
	assert_output_empty
	assert_stderr "ccc-combine: not enough shares: fx/ct57: item 1: 4 valid shares, 5 needed; node 3 (t3.bad): $OPEN_FAIL"
	assert_no_file out
}

@test "ccc-combine: every bad node is named in the error, however many" {
	corrupt fx/t3 t3.bad
	corrupt fx/t4 t4.bad
	corrupt fx/t5 t5.bad
	crun -1 ccc-combine "${K57[@]}" -c fx/ct57 -o out fx/t1 fx/t2 t3.bad t4.bad t5.bad
	assert_stderr "ccc-combine: not enough shares: fx/ct57: item 1: 2 valid shares, 5 needed; node 3 (t3.bad): $OPEN_FAIL; node 4 (t4.bad): $OPEN_FAIL; node 5 (t5.bad): $OPEN_FAIL"
	assert_no_file out
}

@test "ccc-combine: two corrupted of seven still decrypt with five" {
	corrupt fx/t2 t2.bad
	corrupt fx/t6 t6.bad
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 -o out fx/t1 t2.bad fx/t3 fx/t4 fx/t5 t6.bad fx/t7
	[[ "${stderr_lines[0]}" == "ccc-combine: warning: node 2 (t2.bad): $OPEN_FAIL; its shares were not used" ]]
	[[ "${stderr_lines[1]}" == "ccc-combine: warning: node 6 (t6.bad): $OPEN_FAIL; its shares were not used" ]]
	((${#stderr_lines[@]} == 2))
	assert_same out fx/msg
}

@test "ccc-combine: proofs are checked until t verified; a bad one among them is named" {
	# Node 6 releases a wrong share, well sealed: only its proof fails.
	"$CCC_BIN/../tests/unit/share-tamper" -i fx/rk -n 1 -o t6.bad fx/t6
	# Among the first t checked: named, and the next file is checked.
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 --report rep -o out \
	    fx/t1 t6.bad fx/t2 fx/t3 fx/t4 fx/t5 fx/t7
	assert_stderr "ccc-combine: warning: node 6 (t6.bad): proof does not verify; its shares were not used"
	assert_same out fx/msg
	printf '%s\n' \
	    '{"tool": "ccc-combine", "complete": true, "needed": 5, "valid": 5, "nodes": [' \
	    '{"file": "fx/t1", "node": 1, "verdict": "ok"},' \
	    '{"file": "t6.bad", "node": 6, "verdict": "bad", "why": "proof does not verify"},' \
	    '{"file": "fx/t2", "node": 2, "verdict": "ok"},' \
	    '{"file": "fx/t3", "node": 3, "verdict": "ok"},' \
	    '{"file": "fx/t4", "node": 4, "verdict": "ok"},' \
	    '{"file": "fx/t5", "node": 5, "verdict": "ok"},' \
	    '{"file": "fx/t7", "node": 7, "verdict": "unchecked"}' \
	    ']}' >want
	cmp want rep
	# After t verified, the rest are not checked: nothing is named.
	crun -0 ccc-combine "${K57[@]}" -c fx/ct57 --report rep2 -o out2 \
	    fx/t1 fx/t2 fx/t3 fx/t4 fx/t5 t6.bad fx/t7
	assert_stderr_empty
	assert_same out2 fx/msg
	printf '%s\n' \
	    '{"tool": "ccc-combine", "complete": true, "needed": 5, "valid": 5, "nodes": [' \
	    '{"file": "fx/t1", "node": 1, "verdict": "ok"},' \
	    '{"file": "fx/t2", "node": 2, "verdict": "ok"},' \
	    '{"file": "fx/t3", "node": 3, "verdict": "ok"},' \
	    '{"file": "fx/t4", "node": 4, "verdict": "ok"},' \
	    '{"file": "fx/t5", "node": 5, "verdict": "ok"},' \
	    '{"file": "t6.bad", "node": 6, "verdict": "unchecked"},' \
	    '{"file": "fx/t7", "node": 7, "verdict": "unchecked"}' \
	    ']}' >want2
	cmp want2 rep2
}

@test "ccc-combine: sealed shares opened with the wrong recipient key name each node (exit 1)" {
	crun -1 ccc-combine -k fx/k23/tpk.cbor -i fx/rk2 -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 0 valid shares, 2 needed; node 1 (fx/s1): made for another request or recipient; node 2 (fx/s2): made for another request or recipient"
	assert_no_file out
	# A blob re-addressed to rk2 (recipient and context rewritten) does
	# not open: both are bound into the HPKE info.
	local at pk2
	pk2=$(field_hex fx/rpub2 pk)
	# (Both hold rpub's key: the first occurrence is the context.)
	at=$(field_offset fx/s1 context)
	replace_bytes fx/s1 "$at" "$pk2" r1
	at=$(field_offset r1 recipient)
	replace_bytes r1 "$at" "$pk2" r1b
	[[ "$(field_hex r1b context)" == "$pk2" && "$(field_hex r1b recipient)" == "$pk2" ]]
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub2 -c app1 -o n2 fx/ct.l
	crun -1 ccc-combine -k fx/k23/tpk.cbor -i fx/rk2 -c fx/ct.l -o out r1b n2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; node 1 (r1b): $OPEN_FAIL"
	assert_no_file out
}

@test "ccc-combine: a sealed share of another key is named and left out" {
	crun -0 ccc-encrypt -k fx/kB/tpk.cbor -l app1 -o ctB fx/msg
	crun -0 ccc-reencrypt -s fx/kB/share-1.cbor -k fx/kB/tpk.cbor --to fx/rpub -o b1 ctB
	local id
	id=$(field_hex fx/kB/tpk.cbor key_id | cut -c1-8)
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out b1 fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; node 1 (b1): made with key $id, not this public key"
	assert_no_file out
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -o out b1 fx/s2 fx/s3
	assert_stderr "ccc-combine: warning: node 1 (b1): made with key $id, not this public key; its shares were not used"
	assert_same out fx/msg
}

@test "ccc-combine: sealed shares made for another ciphertext are named (exit 1)" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o ct2 fx/msg
	crun -1 ccc-combine "${K23[@]}" -c ct2 -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: not enough shares: ct2: item 1: 0 valid shares, 2 needed; node 1 (fx/s1): share made for another ciphertext; node 2 (fx/s2): share made for another ciphertext"
	assert_no_file out
}

@test "ccc-combine: damaged or foreign sealed blobs are named by file" {
	head -c 100 fx/s1 >short
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out short fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; short: input ends inside an item"
	: >empty
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out empty fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; empty: empty input, expected a sealed decryption shares"
	{ cat fx/s1; printf '\0'; } >long
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out long fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; long: 1 trailing bytes after the sealed decryption shares"
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out fx/k23/tpk.cbor fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; fx/k23/tpk.cbor: expected a sealed decryption shares (ccc/sealed/v1), found a threshold public key (ccc/tpk/v1)"
	assert_no_file out
}

@test "ccc-combine: a sealed share from another epoch's header is refused" {
	# Epoch 0 -> 1 in the clear header: caught before the HPKE open.
	local at
	at=$(($(find_hex fx/s1 "$(field_hex fx/s1 key_id)") + 32))
	[[ "$(hex_of fx/s1 | cut -c$((2 * at + 1))-$((2 * at + 4)))" == 0200 ]]
	replace_bytes fx/s1 $((at + 1)) 01 e1
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out e1 fx/s2
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; node 1 (e1): made at epoch 1, the key is at epoch 0"
	assert_no_file out
}

# ---- the ciphertext ----------------------------------------------------------------

@test "ccc-combine: a tampered ciphertext is refused before any share is used (exit 1)" {
	flip_bit fx/ct.l "$(field_offset fx/ct.l c)" 0 bad
	crun -1 ccc-combine "${K23[@]}" -c bad -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: invalid ciphertext: bad: item 1: proof does not verify (tampered, or made for another key)"
	crun -1 ccc-combine -k fx/kB/tpk.cbor -i fx/rk -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: invalid ciphertext: fx/ct.l: item 1: proof does not verify (tampered, or made for another key)"
	assert_no_file out
}

@test "ccc-combine: a changed payload (not covered by the TDH2 proof) never decrypts" {
	# The nonce and the AES-GCM payload are bound by the ciphertext
	# digest in every share and by the GCM tag.
	flip_bit fx/ct.l "$(field_offset fx/ct.l nonce)" 0 badn
	crun -1 ccc-combine "${K23[@]}" -c badn -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: not enough shares: badn: item 1: 0 valid shares, 2 needed; node 1 (fx/s1): share made for another ciphertext; node 2 (fx/s2): share made for another ciphertext"
	# Fresh shares for the altered ciphertext: the tag does not verify.
	local f
	for f in nonce sym; do
		flip_bit fx/ct.l $(($(field_offset fx/ct.l $f) + 5)) 7 bad
		crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -o n1 bad
		crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -o n2 bad
		crun -1 ccc-combine "${K23[@]}" -c bad -o out n1 n2
		assert_output_empty
		assert_stderr "ccc-combine: decryption failed: bad: item 1: payload does not authenticate"
		rm n1 n2
	done
	assert_no_file out
	assert_no_temp_files .
}

@test "ccc-combine: keys of the wrong type are refused" {
	cp fx/rpub pub
	chmod 600 pub
	crun -1 ccc-combine -k fx/k23/tpk.cbor -i pub -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: wrong blob type: pub: at byte 0: expected a recipient secret key (ccc/recipient-key/v1), found a recipient public key (ccc/recipient-pub/v1)"
	crun -1 ccc-combine -k fx/k23/share-1.cbor -i fx/rk -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: wrong blob type: fx/k23/share-1.cbor: at byte 0: expected a threshold public key (ccc/tpk/v1), found a key share (ccc/share/v1)"
	crun -1 ccc-combine "${K23[@]}" -c fx/s1 -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: wrong blob type: fx/s1: item 1: at byte 0: expected a ciphertext (ccc/ct/v1), found a sealed decryption shares (ccc/sealed/v1)"
	assert_no_file out
}

@test "ccc-combine: a recipient key file others can read is refused (exit 2); a public key is the wrong file (exit 1)" {
	cp fx/rk key
	chmod 644 key
	crun -2 ccc-combine -k fx/k23/tpk.cbor -i key -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: insecure permissions: key: secret file is accessible by others (mode 644), run chmod 600"
	assert_no_file out
	# A public key is the wrong file, whatever its mode: no chmod hint.
	crun -1 ccc-combine -k fx/k23/tpk.cbor -i fx/rpub -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: wrong blob type: fx/rpub: at byte 0: expected a secret key, found a recipient public key (ccc/recipient-pub/v1)"
	crun -1 ccc-combine -k fx/k23/tpk.cbor -i fx/k23/tpk.cbor -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: wrong blob type: fx/k23/tpk.cbor: at byte 0: expected a secret key, found a threshold public key (ccc/tpk/v1)"
	assert_no_file out
}

@test "ccc-combine: a recipient key whose halves do not match is refused (exit 1)" {
	# rk with rk2's public half (the value's head is 2 bytes before it).
	local at
	at=$(field_offset fx/rk pk)
	replace_bytes fx/rk "$at" "$(field_hex fx/rk2 pk)" mixed
	chmod 600 mixed
	crun -1 ccc-combine -k fx/k23/tpk.cbor -i mixed -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: key mismatch: mixed: at byte $((at - 2)): the public half does not match the secret key"
	assert_no_file out
}

# ---- sequences ---------------------------------------------------------------------

@test "ccc-combine --seq: a sequence of plaintexts round-trips" {
	# Three byte strings: h'0001ff', h'', and 300 bytes.
	{ printf '\x43\x00\x01\xff\x40\x59\x01\x2c'; head -c 300 /dev/zero | tr '\0' 'z'; } >pt.seq
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 --seq -o ct.seq pt.seq
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o n2 ct.seq
	crun -0 ccc-reencrypt -s fx/k23/share-3.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o n3 ct.seq
	crun -0 ccc-combine "${K23[@]}" -c ct.seq --seq -o out.seq n2 n3
	assert_stderr_empty
	assert_same out.seq pt.seq
	# Without --seq a sequence is refused: the input, not the usage.
	crun -1 ccc-combine "${K23[@]}" -c ct.seq -o out n2 n3
	assert_stderr "ccc-combine: malformed input: ct.seq: 3 ciphertexts in the input; --seq decrypts a sequence"
	assert_no_file out
	# Shares of a sequence do not fit a single ciphertext.
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -o out n2 n3 fx/s1
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; node 2 (n2): its shares cover 3 ciphertexts, the input has 1; node 3 (n3): its shares cover 3 ciphertexts, the input has 1"
	assert_no_file out
}

@test "ccc-combine --seq: a bad item stops the output (nothing written to a file)" {
	cat fx/ct.l fx/ct.l >two.seq
	flip_bit fx/ct.l "$(field_offset fx/ct.l c)" 0 bad
	cat fx/ct.l bad >bad.seq
	crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -o n1 two.seq
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -o n2 two.seq
	crun -1 ccc-combine "${K23[@]}" -c bad.seq --seq -o out n1 n2
	assert_stderr "ccc-combine: invalid ciphertext: bad.seq: item 2: proof does not verify (tampered, or made for another key)"
	assert_no_file out
	assert_no_temp_files .
}

@test "ccc-combine: a Chainlink JSON ciphertext is accepted with -c" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -o ct.json fx/msg
	crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -U -o n1 ct.json
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -U -o n2 ct.json
	crun -0 ccc-combine "${K23[@]}" -c ct.json -o out n1 n2
	assert_stderr_empty
	assert_same out fx/msg
}

# ---- output ----------------------------------------------------------------------

@test "ccc-combine --report: every node's verdict as JSON, on success and on too few shares" {
	corrupt fx/s2 s2.bad
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l --report rep -o out \
	    fx/s1 s2.bad fx/s1 fx/s3
	assert_stderr "ccc-combine: warning: node 2 (s2.bad): $OPEN_FAIL; its shares were not used"$'\n'"ccc-combine: warning: node 1: fx/s1 repeats fx/s1; ignored"
	assert_same out fx/msg
	printf '%s\n' \
	    '{"tool": "ccc-combine", "complete": true, "needed": 2, "valid": 2, "nodes": [' \
	    '{"file": "fx/s1", "node": 1, "verdict": "ok"},' \
	    '{"file": "s2.bad", "node": 2, "verdict": "bad", "why": "'"$OPEN_FAIL"'"},' \
	    '{"file": "fx/s1", "node": 1, "verdict": "repeat", "repeats": "fx/s1"},' \
	    '{"file": "fx/s3", "node": 3, "verdict": "ok"}' \
	    ']}' >want
	cmp want rep
	# Too few valid shares: exit 1, no plaintext, the report all the same.
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l --report rep2 -o out2 \
	    fx/s1 s2.bad
	assert_stderr "ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; node 2 (s2.bad): $OPEN_FAIL"
	assert_no_file out2
	printf '%s\n' \
	    '{"tool": "ccc-combine", "complete": false, "needed": 2, "valid": 1, "nodes": [' \
	    '{"file": "fx/s1", "node": 1, "verdict": "ok"},' \
	    '{"file": "s2.bad", "node": 2, "verdict": "bad", "why": "'"$OPEN_FAIL"'"}' \
	    ']}' >want2
	cmp want2 rep2
	# A name with a quote and a control character stays one JSON line.
	cp fx/s3 $'s"3\x01'
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l --report rep3 -o out3 \
	    fx/s1 $'s"3\x01'
	sed -n 3p rep3 >line3
	printf '%s\n' '{"file": "s\"3\u0001", "node": 3, "verdict": "ok"}' >want3
	cmp want3 line3
}

@test "ccc-combine --report: never replaces a file without -f, never stdout, not with --result" {
	echo precious >rep
	save rep
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l --report rep -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: refusing to overwrite: rep: file exists (use -f to replace it)"
	assert_unchanged rep
	assert_no_file out
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -f --report rep -o out fx/s1 fx/s2
	assert_stderr_empty
	[[ $(head -c 23 rep) == '{"tool": "ccc-combine",' ]]
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l --report - -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: usage: --report: a file (standard output carries the plaintext) (see ccc-combine --help)"
	crun -2 ccc-combine --result r --report rep2
	assert_stderr "ccc-combine: usage: --result takes only -i, -o, -f and -T (see ccc-combine --help)"
	assert_no_file rep2
	assert_no_temp_files .
}

@test "ccc-combine: an existing -o file is not replaced without -f (exit 2)" {
	echo precious >out
	save out
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: refusing to overwrite: out: file exists (use -f to replace it)"
	assert_unchanged out
	# -f, but the job fails: the old file stays.
	crun -1 ccc-combine "${K23[@]}" -c fx/ct.l -f -o out fx/s1
	assert_unchanged out
	crun -0 ccc-combine "${K23[@]}" -c fx/ct.l -f -o out fx/s1 fx/s2
	assert_stderr_empty
	assert_same out fx/msg
	assert_no_temp_files .
}

@test "ccc-combine refuses to write plaintext to a terminal (exit 2)" {
	command -v script >/dev/null || skip "script(1) is not installed"
	crun -2 script -qec "ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c fx/ct.l fx/s1 fx/s2 2>err" /dev/null
	[[ "$(cat err)" == "ccc-combine: usage: refusing to write secret output to a terminal (use -o FILE, -T or redirect) (see ccc-combine --help)" ]]
	[[ "$output" != *"attack"* ]]
	crun -0 script -qec "ccc-combine -T -k fx/k23/tpk.cbor -i fx/rk -c fx/ct.l fx/s1 fx/s2 2>err" /dev/null
	[[ ! -s err ]]
	assert_contains "$output" "attack at dawn"
}

@test "ccc-combine: unreadable inputs are i/o errors (exit 2)" {
	crun -2 ccc-combine "${K23[@]}" -c fx/ct.l -o out fx/s1 nonexistent
	assert_stderr "ccc-combine: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-combine "${K23[@]}" -c nonexistent -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-combine -k fx/k23/tpk.cbor -i nonexistent -c fx/ct.l -o out fx/s1 fx/s2
	assert_stderr "ccc-combine: i/o error: nonexistent: No such file or directory"
	assert_no_file out
}

@test "ccc-combine: a failed write to standard output is an i/o error (exit 2)" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	crun -2 bash -c 'ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c fx/ct.l fx/s1 fx/s2 > /dev/full'
	assert_stderr "ccc-combine: i/o error: stdout: No space left on device"
}
