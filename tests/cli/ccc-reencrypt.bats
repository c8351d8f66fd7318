#!/usr/bin/env bats
# ccc-reencrypt: a decryption node checks ciphertexts and seals its shares.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	make_fixtures
}

setup() {
	use_fixtures
	# Node 1 of the 2-of-3 key, sealing to the recipient rpub.
	NODE1=(-s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub)
}

# The first 8 hex digits of a key's id, as messages show it.
short_id() {
	field_hex "$1" key_id | cut -c1-8
}

# ---- help, version, usage --------------------------------------------------

@test "ccc-reencrypt: usage errors exit 2 with one line" {
	crun -2 ccc-reencrypt -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_output_empty
	assert_stderr "ccc-reencrypt: usage: needs -s SHARE, -k TPK and one of --to PUB and -x HEX (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/k23/share-1.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: usage: needs -s SHARE, -k TPK and one of --to PUB and -x HEX (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor -o out fx/ct.l
	assert_stderr "ccc-reencrypt: usage: needs -s SHARE, -k TPK and one of --to PUB and -x HEX (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt "${NODE1[@]}" -o out fx/ct.l --to
	assert_stderr 'ccc-reencrypt: usage: option "--to" needs an argument (see ccc-reencrypt --help)'
	assert_no_file out
}

# ---- success -------------------------------------------------------------------

@test "ccc-reencrypt: seals node 1's share of a ciphertext to the recipient" {
	crun -0 ccc-reencrypt "${NODE1[@]}" -c app1 -o sealed fx/ct.l
	assert_stderr_empty
	assert_output_empty
	crun -0 ccc-inspect sealed
	[[ "${lines[1]}" == '  "type": "ccc/sealed/v1",' ]]
	assert_contains "$output" "\"key_id\": \"$(field_hex fx/k23/tpk.cbor key_id)\","
	assert_contains "$output" '"epoch": 0,'
	assert_contains "$output" '"index": 1,'
	assert_contains "$output" "\"recipient\": \"$(field_hex fx/rpub pk)\","
	assert_contains "$output" '"count": 1,'
	# It combines with node 2's.
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c fx/ct.l -o out sealed fx/s2
	assert_stderr_empty
	assert_same out fx/msg
}

@test "ccc-reencrypt: several ciphertext files, sequences and standard input" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o two.seq --seq \
	    <(printf '\x41a\x42bb')
	crun -0 ccc-reencrypt "${NODE1[@]}" -o sealed fx/ct.l two.seq fx/ct.u -U
	assert_stderr_empty
	crun -0 ccc-inspect sealed
	assert_contains "$output" '"count": 4,'
	cat fx/ct.l two.seq fx/ct.u >all.seq
	crun -0 bash -c 'ccc-reencrypt -U -s fx/k23/share-3.cbor -k fx/k23/tpk.cbor -t fx/rpub -o sealed3 < all.seq'
	assert_stderr_empty
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c all.seq --seq -o out sealed sealed3
	assert_stderr_empty
	printf '\x4fattack at dawn\n\x41a\x42bb\x4fattack at dawn\n' >expected
	assert_same out expected
}

@test "ccc-reencrypt: junk on a pipe is refused at its first item, an endless stream at the cap" {
	# Endless zero bytes: refused at once, before anything is copied
	# (timeout only bounds a failure: the refusal needs no time).
	crun -1 timeout 120 bash -c 'cat /dev/zero | ccc-reencrypt -U -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor -t fx/rpub -o sealed'
	assert_stderr "ccc-reencrypt: malformed input: stdin: item 1: at byte 0: blob: expected map, found unsigned integer"
	# A key where a ciphertext belongs, then more: named at once too.
	crun -1 timeout 120 bash -c 'cat fx/k23/tpk.cbor /dev/zero | ccc-reencrypt -U -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor -t fx/rpub -o sealed'
	assert_stderr "ccc-reencrypt: wrong blob type: stdin: item 1: at byte 0: expected a ciphertext (ccc/ct/v1), found a threshold public key (ccc/tpk/v1)"
	# Every item is typed before any work, in a file as on a pipe.
	cat fx/ct.l fx/ct.l fx/k23/tpk.cbor fx/ct.l >mixed
	crun -1 ccc-reencrypt -U "${NODE1[@]}" -o sealed mixed
	assert_stderr "ccc-reencrypt: wrong blob type: mixed: item 3: at byte $((2 * $(size_of fx/ct.l))): expected a ciphertext (ccc/ct/v1), found a threshold public key (ccc/tpk/v1)"
	assert_no_file sealed
}

@test "ccc-reencrypt: a Chainlink JSON ciphertext is accepted as input" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -o ct.json fx/msg
	crun -0 ccc-reencrypt "${NODE1[@]}" -U -o s1 ct.json
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor --to fx/rpub -U -o s2 ct.json
	assert_stderr_empty
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c ct.json -o out s1 s2
	assert_same out fx/msg
}

# ---- the label policy ------------------------------------------------------------

@test "ccc-reencrypt -c: a ciphertext labelled for another context is refused (exit 1)" {
	crun -0 ccc-reencrypt "${NODE1[@]}" -c app1 -o out fx/ct.l
	rm out
	crun -1 ccc-reencrypt "${NODE1[@]}" -c app2 -o out fx/ct.l
	assert_output_empty
	assert_stderr 'ccc-reencrypt: refused by policy: fx/ct.l: item 1: the ciphertext'"'"'s label context is not "app2"'
	crun -1 ccc-reencrypt "${NODE1[@]}" -c app -o out fx/ct.l
	assert_stderr 'ccc-reencrypt: refused by policy: fx/ct.l: item 1: the ciphertext'"'"'s label context is not "app"'
	assert_no_file out
}

@test "ccc-reencrypt: an unlabelled ciphertext is refused without --allow-unlabelled" {
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out fx/ct.u
	assert_stderr "ccc-reencrypt: refused by policy: fx/ct.u: item 1: unlabelled ciphertext (all-zero label) refused; --allow-unlabelled accepts it"
	assert_no_file out
	crun -0 ccc-reencrypt "${NODE1[@]}" --allow-unlabelled -o out fx/ct.u
	assert_stderr_empty
	crun -0 ccc-reencrypt "${NODE1[@]}" -U -o out2 fx/ct.u
	assert_stderr_empty
	# -c still requires that context.
	crun -1 ccc-reencrypt "${NODE1[@]}" -U -c app1 -o out3 fx/ct.u
	assert_stderr 'ccc-reencrypt: refused by policy: fx/ct.u: item 1: the ciphertext'"'"'s label context is not "app1"'
	assert_no_file out3
}

@test "ccc-reencrypt: one refused ciphertext among several names its item, nothing written" {
	cat fx/ct.l fx/ct.u fx/ct.l >mixed.seq
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out mixed.seq
	assert_stderr "ccc-reencrypt: refused by policy: mixed.seq: item 2: unlabelled ciphertext (all-zero label) refused; --allow-unlabelled accepts it"
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out fx/ct.l fx/ct.l fx/ct.u
	assert_stderr "ccc-reencrypt: refused by policy: fx/ct.u: item 1: unlabelled ciphertext (all-zero label) refused; --allow-unlabelled accepts it"
	assert_no_file out
}

# ---- keys ------------------------------------------------------------------------

@test "ccc-reencrypt: keys of the wrong type are refused (exit 1)" {
	cp fx/k23/tpk.cbor tpk-as-share
	chmod 600 tpk-as-share
	crun -1 ccc-reencrypt -s tpk-as-share -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: wrong blob type: tpk-as-share: at byte 0: expected a key share (ccc/share/v1), found a threshold public key (ccc/tpk/v1)"
	crun -1 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/share-2.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: wrong blob type: fx/k23/share-2.cbor: at byte 0: expected a threshold public key (ccc/tpk/v1), found a key share (ccc/share/v1)"
	crun -1 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rk -o out fx/ct.l
	assert_stderr "ccc-reencrypt: wrong blob type: fx/rk: at byte 0: expected a recipient public key (ccc/recipient-pub/v1), found a recipient secret key (ccc/recipient-key/v1)"
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out fx/k23/tpk.cbor
	assert_stderr "ccc-reencrypt: wrong blob type: fx/k23/tpk.cbor: item 1: at byte 0: expected a ciphertext (ccc/ct/v1), found a threshold public key (ccc/tpk/v1)"
	assert_no_file out
}

@test "ccc-reencrypt: a share of another key is refused (exit 1)" {
	crun -1 ccc-reencrypt -s fx/kB/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: key mismatch: fx/kB/share-1.cbor: the share belongs to key $(short_id fx/kB/tpk.cbor), not to this public key"
	# With its own key, key B's share refuses key A's ciphertext.
	crun -1 ccc-reencrypt -s fx/kB/share-1.cbor -k fx/kB/tpk.cbor --to fx/rpub -c app1 -o out fx/ct.l
	assert_stderr "ccc-reencrypt: invalid ciphertext: fx/ct.l: item 1: proof does not verify (tampered, or made for another key)"
	assert_no_file out
}

@test "ccc-reencrypt: a share for another epoch or node is refused (exit 1)" {
	# share-1.cbor: a6 00 "ccc/share/v1" 01 "P256" 02 <index> 03 <epoch> ...
	[[ "$(hex_of fx/k23/share-1.cbor | cut -c1-50)" == a6006c6363632f73686172652f763101645032353602010300 ]]
	replace_bytes fx/k23/share-1.cbor 24 01 epoch1
	chmod 600 epoch1
	crun -1 ccc-reencrypt -s epoch1 -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: epoch mismatch: epoch1: the share is for epoch 1, the public key for epoch 0"
	replace_bytes fx/k23/share-1.cbor 22 02 index2
	chmod 600 index2
	crun -1 ccc-reencrypt -s index2 -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: key mismatch: index2: the share of node 2 does not match h_2 of the public key"
	replace_bytes fx/k23/share-1.cbor 22 04 index4
	chmod 600 index4
	crun -1 ccc-reencrypt -s index4 -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: key mismatch: index4: node 4 is not in a key of 3 nodes"
	# x >= the group order.
	replace_bytes fx/k23/share-1.cbor 63 "$(printf 'ff%.0s' {1..32})" bigx
	chmod 600 bigx
	crun -1 ccc-reencrypt -s bigx -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: invalid scalar: bigx: x: not below the group order"
	assert_no_file out
}

@test "ccc-reencrypt: a share file others can read is refused (exit 2)" {
	cp fx/k23/share-1.cbor share
	chmod 640 share
	crun -2 ccc-reencrypt -s share -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: insecure permissions: share: secret file is accessible by others (mode 640), run chmod 600"
	chmod 604 share
	crun -2 ccc-reencrypt -s share -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: insecure permissions: share: secret file is accessible by others (mode 604), run chmod 600"
	ln -s "$BATS_FILE_TMPDIR/k23/share-1.cbor" link
	crun -2 ccc-reencrypt -s link -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: i/o error: link: Too many levels of symbolic links"
	assert_no_file out
	chmod 600 share
	crun -0 ccc-reencrypt -s share -k fx/k23/tpk.cbor --to fx/rpub -c app1 -o out fx/ct.l
	assert_stderr_empty
}

@test "ccc-reencrypt: a FIFO as the share file is refused at once, not waited on (exit 2)" {
	mkfifo share
	# (timeout: the old open(2) waited for a writer for ever; 124 is
	# timeout's status, not the tool's.)
	crun -2 timeout 10 ccc-reencrypt -s share -k fx/k23/tpk.cbor \
	    --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: i/o error: share: not a regular file"
	assert_no_file out
}

# ---- tampered ciphertexts ----------------------------------------------------------

@test "ccc-reencrypt: a ciphertext with c changed is refused (exit 1)" {
	flip_bit fx/ct.l "$(field_offset fx/ct.l c)" 0 bad
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr "ccc-reencrypt: invalid ciphertext: bad: item 1: proof does not verify (tampered, or made for another key)"
	assert_no_file out
}

@test "ccc-reencrypt: a ciphertext with its context (label) changed is refused (exit 1)" {
	# "app1" -> "app3": still valid UTF-8, so only the proof can tell.
	flip_bit fx/ct.l $(($(field_offset fx/ct.l context) + 3)) 1 bad
	[[ "$(field_hex bad context)" == "$(hex_str app3)" ]]
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr "ccc-reencrypt: invalid ciphertext: bad: item 1: proof does not verify (tampered, or made for another key)"
	crun -1 ccc-reencrypt "${NODE1[@]}" -c app3 -o out bad
	assert_stderr "ccc-reencrypt: invalid ciphertext: bad: item 1: proof does not verify (tampered, or made for another key)"
	assert_no_file out
}

@test "ccc-reencrypt: a ciphertext with u changed is refused (exit 1)" {
	local at
	at=$(field_offset fx/ct.l u)
	flip_bit fx/ct.l $((at + 64)) 0 bad
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr "ccc-reencrypt: invalid point: bad: item 1: u: not a point on P-256"
	# Another valid point (another ciphertext's u): the proof fails.
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o other fx/msg
	replace_bytes fx/ct.l "$at" "$(field_hex other u)" swapped
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out swapped
	assert_stderr "ccc-reencrypt: invalid ciphertext: swapped: item 1: proof does not verify (tampered, or made for another key)"
	assert_no_file out
}

@test "ccc-reencrypt: a ciphertext with u_bar changed is refused (exit 1)" {
	local at
	at=$(field_offset fx/ct.l u_bar)
	flip_bit fx/ct.l $((at + 64)) 0 bad
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr "ccc-reencrypt: invalid point: bad: item 1: u_bar: not a point on P-256"
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o other fx/msg
	replace_bytes fx/ct.l "$at" "$(field_hex other u_bar)" swapped
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out swapped
	assert_stderr "ccc-reencrypt: invalid ciphertext: swapped: item 1: proof does not verify (tampered, or made for another key)"
	# The identity is not a valid point either.
	replace_bytes fx/ct.l "$at" "$(printf '00%.0s' {1..65})" zero
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out zero
	assert_stderr "ccc-reencrypt: invalid point: zero: item 1: u_bar: not a point on P-256"
	assert_no_file out
}

@test "ccc-reencrypt: a ciphertext with e or f changed is refused (exit 1)" {
	local f
	for f in e f; do
		flip_bit fx/ct.l $(($(field_offset fx/ct.l $f) + 31)) 0 bad
		crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
		assert_stderr "ccc-reencrypt: invalid ciphertext: bad: item 1: proof does not verify (tampered, or made for another key)"
		replace_bytes fx/ct.l "$(field_offset fx/ct.l $f)" "$(printf 'ff%.0s' {1..32})" big
		crun -1 ccc-reencrypt "${NODE1[@]}" -o out big
		assert_stderr "ccc-reencrypt: invalid scalar: big: item 1: $f: not below the group order"
	done
	assert_no_file out
}

@test "ccc-reencrypt: a truncated ciphertext is refused (exit 1)" {
	: >empty
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out empty
	assert_stderr "ccc-reencrypt: truncated input: empty: no ciphertext in the input"
	crun -1 bash -c 'ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -o out < /dev/null'
	assert_stderr "ccc-reencrypt: truncated input: stdin: no ciphertext in the input"
	head -c 1 fx/ct.l >short
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out short
	assert_stderr "ccc-reencrypt: truncated input: short: item 1: at byte 0: map of 10 items runs past the end of the input"
	head -c $(($(size_of fx/ct.l) - 1)) fx/ct.l >short
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out short
	assert_stderr "ccc-reencrypt: truncated input: short: item 1: at byte $(($(field_offset fx/ct.l sym) - 2)): input ends inside an item"
	assert_no_file out
}

@test "ccc-reencrypt: trailing bytes after a ciphertext are a bad second item (exit 1)" {
	local n
	n=$(size_of fx/ct.l)
	{ cat fx/ct.l; printf '\0'; } >trail
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out trail
	assert_stderr "ccc-reencrypt: malformed input: trail: item 2: at byte $n: blob: expected map, found unsigned integer"
	{ cat fx/ct.l; printf 'garbage'; } >trail
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out trail
	assert_stderr "ccc-reencrypt: truncated input: trail: item 2: at byte $n: input ends inside an item"
	{ cat fx/ct.l; printf '\xff'; } >trail
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out trail
	assert_stderr "ccc-reencrypt: malformed input: trail: item 2: at byte $n: unexpected break"
	{ cat fx/ct.l fx/k23/tpk.cbor; } >trail
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out trail
	assert_stderr "ccc-reencrypt: wrong blob type: trail: item 2: at byte $n: expected a ciphertext (ccc/ct/v1), found a threshold public key (ccc/tpk/v1)"
	assert_no_file out
}

@test "ccc-reencrypt: a bit-flipped ciphertext head is refused (exit 1)" {
	# 0xaa (map of 10) -> 0xab (map of 11): runs past the end.
	flip_bit fx/ct.l 0 0 bad
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr "ccc-reencrypt: truncated input: bad: item 1: at byte $(size_of fx/ct.l): input ends inside an item"
	# The type string "ccc/ct/v1" -> "ccc/ct/v3".
	flip_bit fx/ct.l 11 1 bad
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr 'ccc-reencrypt: wrong blob type: bad: item 1: at byte 0: expected a ciphertext (ccc/ct/v1), found type "ccc/ct/v3"'
	# The group "P256" -> "P257".
	flip_bit fx/ct.l 17 0 bad
	crun -1 ccc-reencrypt "${NODE1[@]}" -o out bad
	assert_stderr 'ccc-reencrypt: invalid field: bad: item 1: at byte 13: group: unsupported group "P257" (only P256)'
	assert_no_file out
}

# ---- output ----------------------------------------------------------------------

@test "ccc-reencrypt: an existing -o file is not replaced without -f (exit 2)" {
	echo precious >out
	save out
	crun -2 ccc-reencrypt "${NODE1[@]}" -c app1 -o out fx/ct.l
	assert_stderr "ccc-reencrypt: refusing to overwrite: out: file exists (use -f to replace it)"
	assert_unchanged out
	crun -1 ccc-reencrypt "${NODE1[@]}" -c app2 -f -o out fx/ct.l
	assert_unchanged out
	crun -0 ccc-reencrypt "${NODE1[@]}" -c app1 -f -o out fx/ct.l
	assert_stderr_empty
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c fx/ct.l -o dec out fx/s3
	assert_same dec fx/msg
	assert_no_temp_files .
}

@test "ccc-reencrypt refuses to write sealed shares to a terminal (exit 2)" {
	command -v script >/dev/null || skip "script(1) is not installed"
	crun -2 script -qec "ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 fx/ct.l 2>err" /dev/null
	[[ "$(cat err)" == "ccc-reencrypt: usage: refusing to write binary output to a terminal (use -o FILE, -T or redirect) (see ccc-reencrypt --help)" ]]
	crun -0 script -qec "ccc-reencrypt -T -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 fx/ct.l 2>err" /dev/null
	[[ ! -s err ]]
}

@test "ccc-reencrypt: unreadable inputs are i/o errors (exit 2)" {
	crun -2 ccc-reencrypt "${NODE1[@]}" -o out nonexistent
	assert_stderr "ccc-reencrypt: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-reencrypt -s nonexistent -k fx/k23/tpk.cbor --to fx/rpub -o out fx/ct.l
	assert_stderr "ccc-reencrypt: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to nonexistent -o out fx/ct.l
	assert_stderr "ccc-reencrypt: i/o error: nonexistent: No such file or directory"
	assert_no_file out
}

@test "ccc-reencrypt: a failed write to standard output is an i/o error (exit 2)" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	crun -2 bash -c 'ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -c app1 fx/ct.l > /dev/full'
	assert_stderr "ccc-reencrypt: i/o error: stdout: No space left on device"
}
