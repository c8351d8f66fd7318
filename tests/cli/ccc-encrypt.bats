#!/usr/bin/env bats
# ccc-encrypt: plaintexts to TDH2 hybrid ciphertexts, and Chainlink JSON.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	make_fixtures
}

setup() {
	use_fixtures
}

# decrypt CT OUT [REENCRYPT-OPTION...]: nodes 1 and 3 of k23 reencrypt CT
# to rpub and ccc-combine writes the plaintext(s) to OUT.
decrypt() {
	local ct=$1 out=$2
	shift 2
	crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor \
	    --to fx/rpub -o d1 "$@" "$ct"
	crun -0 ccc-reencrypt -s fx/k23/share-3.cbor -k fx/k23/tpk.cbor \
	    --to fx/rpub -o d3 "$@" "$ct"
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c "$ct" -o "$out" \
	    ${SEQ:+--seq} d1 d3
	assert_stderr_empty
	rm d1 d3
}

# ---- help, version, usage --------------------------------------------------

@test "ccc-encrypt: usage errors exit 2 with one line and write nothing" {
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor --seq --json -o out fx/msg
	assert_output_empty
	assert_stderr "ccc-encrypt: usage: --seq, --json and --from-json exclude each other (see ccc-encrypt --help)"
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor --json --from-json -o out fx/msg
	assert_stderr "ccc-encrypt: usage: --seq, --json and --from-json exclude each other (see ccc-encrypt --help)"
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -o out fx/msg fx/msg
	assert_stderr 'ccc-encrypt: usage: unexpected argument "fx/msg" (see ccc-encrypt --help)'
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor --seq=1 -o out fx/msg
	assert_stderr 'ccc-encrypt: usage: option "--seq" takes no argument (see ccc-encrypt --help)'
	assert_no_file out
}

@test "ccc-encrypt: a label context must be 1 to 1024 bytes (exit 2)" {
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -l '' -o out fx/msg
	assert_stderr "ccc-encrypt: usage: the label context must be 1 to 1024 bytes (see ccc-encrypt --help)"
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -l "$(printf '%01025d' 0)" -o out fx/msg
	assert_stderr "ccc-encrypt: usage: the label context must be 1 to 1024 bytes (see ccc-encrypt --help)"
	assert_no_file out
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l "$(printf '%01024d' 0)" -o out fx/msg
	assert_stderr_empty
	[[ "$(field_hex out context)" == "$(hex_str "$(printf '%01024d' 0)")" ]]
}

# ---- success -------------------------------------------------------------------

@test "ccc-encrypt: a labelled ciphertext decrypts to the message" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o ct fx/msg
	assert_stderr_empty
	assert_output_empty
	crun -0 ccc-inspect ct
	[[ "${lines[1]}" == '  "type": "ccc/ct/v1",' ]]
	[[ "${lines[2]}" == '  "group": "P256",' ]]
	[[ "${lines[3]}" == '  "context": "app1",' ]]
	# A 15-byte message: 15 bytes of AES-GCM output and a 16-byte tag.
	(($(field_len ct sym) == 15 + 16))
	decrypt ct out -c app1
	assert_same out fx/msg
}

@test "ccc-encrypt: without -l the ciphertext is unlabelled (no context field)" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -o ct fx/msg
	assert_stderr_empty
	crun -0 ccc-inspect ct
	[[ "$output" != *'"context"'* ]]
	decrypt ct out -U
	assert_same out fx/msg
}

@test "ccc-encrypt: standard input to standard output" {
	crun -0 bash -c 'ccc-encrypt -k fx/k23/tpk.cbor -l app1 < fx/msg > ct'
	assert_stderr_empty
	decrypt ct out -c app1
	assert_same out fx/msg
	crun -0 bash -c 'ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o - - < fx/msg > ct2'
	decrypt ct2 out2 -c app1
	assert_same out2 fx/msg
}

@test "ccc-encrypt: an empty and a binary message round-trip" {
	: >empty
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o ct0 empty
	(($(field_len ct0 sym) == 16))
	decrypt ct0 out0 -c app1
	assert_same out0 empty
	head -c 70000 /dev/urandom >bin
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o ctb bin
	decrypt ctb outb -c app1
	assert_same outb bin
}

@test "ccc-encrypt: encryption is randomised" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o a fx/msg
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o b fx/msg
	assert_differ a b
	[[ "$(field_hex a u)" != "$(field_hex b u)" ]]
	[[ "$(field_hex a nonce)" != "$(field_hex b nonce)" ]]
}

# ---- the public key ------------------------------------------------------------

@test "ccc-encrypt: a key of the wrong type is refused (exit 1)" {
	crun -1 ccc-encrypt -k fx/k23/share-1.cbor -o out fx/msg
	assert_stderr "ccc-encrypt: wrong blob type: fx/k23/share-1.cbor: at byte 0: expected a threshold public key (ccc/tpk/v1), found a key share (ccc/share/v1)"
	crun -1 ccc-encrypt -k fx/rpub -o out fx/msg
	assert_stderr "ccc-encrypt: wrong blob type: fx/rpub: at byte 0: expected a threshold public key (ccc/tpk/v1), found a recipient public key (ccc/recipient-pub/v1)"
	crun -1 ccc-encrypt -k fx/ct.l -o out fx/msg
	assert_stderr "ccc-encrypt: wrong blob type: fx/ct.l: at byte 0: expected a threshold public key (ccc/tpk/v1), found a ciphertext (ccc/ct/v1)"
	crun -1 ccc-encrypt -k fx/k23/tpk.json -o out fx/msg
	assert_stderr "ccc-encrypt: truncated input: fx/k23/tpk.json: at byte 0: input ends inside an item"
	assert_no_file out
}

@test "ccc-encrypt: a truncated, altered or padded public key is refused (exit 1)" {
	head -c 100 fx/k23/tpk.cbor >short
	crun -1 ccc-encrypt -k short -o out fx/msg
	assert_stderr "ccc-encrypt: truncated input: short: at byte 61: input ends inside an item"
	# Flip a bit of h's y coordinate: no longer a point on the curve.
	local at
	at=$(field_offset fx/k23/tpk.cbor h)
	flip_bit fx/k23/tpk.cbor $((at + 64)) 0 badh
	crun -1 ccc-encrypt -k badh -o out fx/msg
	assert_stderr "ccc-encrypt: invalid point: badh: h: not a point on P-256"
	# The same for node 2's h_i.
	at=$(find_hex fx/k23/tpk.cbor "$(ccc-inspect fx/k23/tpk.cbor | sed -n '/"h_i"/{n;n;s/^ *"\(.*\)",$/\1/p}')")
	flip_bit fx/k23/tpk.cbor $((at + 64)) 0 badhi
	crun -1 ccc-encrypt -k badhi -o out fx/msg
	assert_stderr "ccc-encrypt: invalid point: badhi: at byte 197: h_i[2]: not a valid point"
	{ cat fx/k23/tpk.cbor; printf '\0'; } >long
	crun -1 ccc-encrypt -k long -o out fx/msg
	assert_stderr "ccc-encrypt: malformed input: long: at byte 399: 1 trailing bytes after the threshold public key"
	assert_no_file out
}

@test "ccc-encrypt: an unreadable key or message is an i/o error (exit 2)" {
	crun -2 ccc-encrypt -k nonexistent -o out fx/msg
	assert_stderr "ccc-encrypt: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -o out nonexistent
	assert_stderr "ccc-encrypt: i/o error: nonexistent: No such file or directory"
	assert_no_file out
	assert_no_temp_files .
}

# ---- output ----------------------------------------------------------------------

@test "ccc-encrypt: an existing -o file is not replaced without -f (exit 2)" {
	echo precious >out
	save out
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -o out fx/msg
	assert_stderr "ccc-encrypt: refusing to overwrite: out: file exists (use -f to replace it)"
	assert_unchanged out
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -f -o out fx/msg
	assert_stderr_empty
	decrypt out dec -c app1
	assert_same dec fx/msg
}

@test "ccc-encrypt -f: a failure leaves the existing file as it was" {
	echo precious >out
	save out
	crun -1 ccc-encrypt -k fx/k23/share-1.cbor -f -o out fx/msg
	assert_unchanged out
	crun -2 ccc-encrypt -k fx/k23/tpk.cbor -f -o out nonexistent
	assert_unchanged out
	printf '\x41a\x01' >bad.seq
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --seq -f -o out bad.seq
	assert_unchanged out
	assert_no_temp_files .
}

@test "ccc-encrypt: an output name as long as the file system takes (255 bytes) is written, its temporary name shortened" {
	local name
	name=$(printf 'n%.0s' {1..255})
	mkdir d
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -o "d/$name" fx/msg
	assert_stderr_empty
	decrypt "d/$name" dec -c app1
	assert_same dec fx/msg
	[[ $(ls d) == "$name" ]]
	# Replaced with -f, the same way.
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 -f -o "d/$name" fx/msg
	[[ $(ls d) == "$name" ]]
}

@test "ccc-encrypt refuses to write a ciphertext to a terminal (exit 2)" {
	command -v script >/dev/null || skip "script(1) is not installed"
	crun -2 script -qec "ccc-encrypt -k fx/k23/tpk.cbor fx/msg 2>err" /dev/null
	[[ "$(cat err)" == "ccc-encrypt: usage: refusing to write binary output to a terminal (use -o FILE, -T or redirect) (see ccc-encrypt --help)" ]]
	# -T asks for it; JSON is text and always allowed.
	crun -0 script -qec "ccc-encrypt -T -k fx/k23/tpk.cbor fx/msg 2>err" /dev/null
	[[ ! -s err ]]
	crun -0 script -qec "ccc-encrypt --json -k fx/k23/tpk.cbor fx/msg 2>err" /dev/null
	[[ ! -s err ]]
	assert_contains "$output" '{"TDH2Ctxt":"'
}

# ---- sequences -------------------------------------------------------------------

@test "ccc-encrypt --seq: one ciphertext per byte string of a CBOR sequence" {
	# h'616263', h'', h'68656c6c6f' (RFC 8742 sequence of three byte strings)
	printf '\x43abc\x40\x45hello' >pt.seq
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l app1 --seq -o ct.seq pt.seq
	assert_stderr_empty
	crun -0 ccc-inspect ct.seq
	(($(grep -c '"type": "ccc/ct/v1"' <<<"$output") == 3))
	(($(grep -c '"context": "app1"' <<<"$output") == 3))
	SEQ=1 decrypt ct.seq out.seq -c app1
	assert_same out.seq pt.seq
}

@test "ccc-encrypt --seq: an empty sequence gives no ciphertext" {
	: >empty
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --seq -o ct.seq empty
	assert_stderr_empty
	[[ -f ct.seq && ! -s ct.seq ]]
}

@test "ccc-encrypt --seq: a bad item stops with its index and offset, nothing written" {
	printf '\x43abc\x01' >uint.seq
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --seq -o out uint.seq
	assert_stderr "ccc-encrypt: malformed input: uint.seq: item 2: at byte 4: plaintext: expected byte string, found unsigned integer"
	printf '\x43abc\x45ab' >short.seq
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --seq -o out short.seq
	assert_stderr "ccc-encrypt: truncated input: short.seq: item 2: at byte 4: input ends inside an item"
	printf '\x43abc\x58\x02ab' >long.seq
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --seq -o out long.seq
	assert_stderr "ccc-encrypt: malformed input: long.seq: item 2: at byte 4: non-shortest length"
	printf '\x43abc\x5f\x41a\xff' >indef.seq
	crun -1 bash -c 'ccc-encrypt -k fx/k23/tpk.cbor --seq -o out < indef.seq'
	assert_stderr "ccc-encrypt: malformed input: stdin: item 2: at byte 4: indefinite length"
	assert_no_file out
	assert_no_temp_files .
}

# ---- Chainlink JSON ----------------------------------------------------------------

@test "ccc-encrypt --json writes Chainlink's hybrid ciphertext JSON" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -o ct.json fx/msg
	assert_stderr_empty
	[[ "$(cat ct.json)" =~ ^\{\"TDH2Ctxt\":\"[A-Za-z0-9+/=]+\",\"SymCtxt\":\"[A-Za-z0-9+/=]+\",\"Nonce\":\"[A-Za-z0-9+/]{16}\"\}$ ]]
	# The inner TDH2 ciphertext, with an all-zero label.
	local inner
	inner=$(sed 's/^{"TDH2Ctxt":"\([^"]*\)".*/\1/' ct.json | base64 -d)
	[[ "$inner" =~ ^\{\"Group\":\"P256\",\"C\":\"[^\"]{44}\",\"Label\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"U\":\"[^\"]{88}\",\"U_bar\":\"[^\"]{88}\",\"E\":\"[^\"]{44}\",\"F\":\"[^\"]{44}\"\}$ ]]
}

@test "ccc-encrypt --from-json: a JSON ciphertext converted back decrypts" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -o ct.json fx/msg
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --from-json -o ct ct.json
	assert_stderr_empty
	crun -0 ccc-inspect ct
	[[ "$output" != *'"context"'* ]]
	# Chainlink ciphertexts are unlabelled: nodes need -U.
	crun -1 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor --to fx/rpub -o d1 ct
	assert_stderr "ccc-reencrypt: refused by policy: ct: item 1: unlabelled ciphertext (all-zero label) refused; --allow-unlabelled accepts it"
	decrypt ct out -U
	assert_same out fx/msg
	# Back to JSON: the same bytes.
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --from-json -o ct2 - < ct.json
	assert_same ct2 ct
}

@test "ccc-encrypt --json -l: the label is SHA-256 of the context, given back with -l" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -l app1 -o ct.json fx/msg
	local label
	label=$(sed 's/^{"TDH2Ctxt":"\([^"]*\)".*/\1/' ct.json | base64 -d |
	    sed 's/.*"Label":"\([^"]*\)".*/\1/' | base64 -d | od -An -v -tx1 | tr -d ' \n')
	[[ "$label" == "$(printf app1 | sha256sum | cut -c1-64)" ]]
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --from-json -l app2 -o ct ct.json
	assert_stderr "ccc-encrypt: refused by policy: ct.json: ciphertext JSON: the label is not the given label"
	assert_no_file ct
	# Without -l the label is kept as it is, spelled label:<hex>; a node
	# requiring "app1" serves it, since the label is what TDH2 binds.
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --from-json -o ct ct.json
	[[ "$(field_hex ct context)" == "$(hex_str "label:$label")" ]]
	decrypt ct out -c app1
	assert_same out fx/msg
	rm ct out
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --from-json -l app1 -o ct ct.json
	assert_stderr_empty
	[[ "$(field_hex ct context)" == "$(hex_str app1)" ]]
	decrypt ct out -c app1
	assert_same out fx/msg
}

@test "ccc-encrypt --from-json checks the ciphertext against the key (exit 1)" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -o ct.json fx/msg
	crun -1 ccc-encrypt -k fx/kB/tpk.cbor --from-json -o ct ct.json
	assert_stderr "ccc-encrypt: invalid ciphertext: ct.json: proof does not verify (tampered, or made for another key)"
	printf 'not json' >bad.json
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --from-json -o ct bad.json
	assert_stderr "ccc-encrypt: malformed input: bad.json: at byte 0: ciphertext JSON: expected a JSON object"
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --from-json -o ct fx/ct.l
	assert_stderr "ccc-encrypt: malformed input: fx/ct.l: at byte 0: ciphertext JSON: expected a JSON object"
	sed 's/"Nonce":"[^"]*"/"Nonce":"AAAA"/' ct.json >nonce.json
	crun -1 ccc-encrypt -k fx/k23/tpk.cbor --from-json -o ct nonce.json
	assert_stderr "ccc-encrypt: invalid field: nonce.json: ciphertext JSON: Nonce: not base64 of 12 bytes"
	assert_no_file ct
}

@test "ccc-encrypt: a failed write to standard output is an i/o error (exit 2)" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	crun -2 bash -c 'ccc-encrypt -k fx/k23/tpk.cbor fx/msg > /dev/full'
	assert_stderr "ccc-encrypt: i/o error: stdout: No space left on device"
}
