#!/usr/bin/env bats
# ccc-inspect: any blob or sequence with field names, validated strictly.
bats_require_minimum_version 1.5.0
load helpers

NB=1000000000
NA=4000000000

# In $BATS_FILE_TMPDIR besides make_fixtures': the oracles, a node identity
# n1.key/n1.pub (and n2.pub, another one), ct.A (msg for app:A under
# k57), and st/: node 1's state after serving req1 and req2 (certified
# as cert1 and cert2), with its access log; sts/ the same served with
# -I n1.key, head1 and head1.signed its head and signed head after req1.
setup_file() {
	make_fixtures
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		ccc-keygen identity -o n1.key -p n1.pub -N node-1
		ccc-keygen identity -o n2.key -p n2.pub -N node-2
		ccc-encrypt -k k57/tpk.cbor -l app:A -o ct.A msg
		for r in 1 2; do
			certified_request "req$r" "cert$r"
			ccc-reencrypt -s k57/share-1.cbor -k k57/tpk.cbor \
			    -r roster -A attest.policy -P pool -d st -o "out$r" "cert$r"
			ccc-reencrypt -s k57/share-1.cbor -k k57/tpk.cbor \
			    -r roster -A attest.policy -P pool -d sts -I n1.key -o "outs$r" "cert$r"
			[[ -f head1.signed ]] ||
			    cp sts/access.head.signed head1.signed
			[[ -f head1 ]] || cp sts/access.head head1
		done
	)
}

# certified_request REQ CERT: a request of app A for ct.A, certified by
# oracles 1 to 3 (in the current directory).
certified_request() {
	local i
	ccc-quorum-sign request -a A -m "$(printf '%096d' 0)" \
	    -k k57/tpk.cbor -r roster -P pool -K epub -E 3600 -o "$1" ct.A
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "o$i.key" -k k57/tpk.cbor -A attest.policy -r roster -P pool \
		    -o "$1.sig$i" "$1"
	done
	ccc-quorum-sign combine -r roster -c "$1" -o "$2" "$1.sig1" \
	    "$1.sig2" "$1.sig3"
}

setup() {
	use_fixtures
	# A recipient public key built by hand:
	# {0: "ccc/recipient-pub/v1", 1: h'0102...20'}
	TYPE='74'$(hex_str ccc/recipient-pub/v1)
	PK=$(printf '%02x' {1..32})
	write_hex "a200${TYPE}015820${PK}" pub
}

# json_ok FILE: FILE holds one or more JSON values (checked with python3).
json_ok() {
	command -v python3 >/dev/null || return 0
	python3 - "$1" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
dec = json.JSONDecoder()
i = 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i == len(text):
        break
    _, i = dec.raw_decode(text, i)
EOF
}

# ---- help, version, usage --------------------------------------------------

# ---- output ----------------------------------------------------------------------

@test "ccc-inspect prints JSON with the field names" {
	crun -0 ccc-inspect pub
	assert_stderr_empty
	assert_output "$(printf '{\n  "type": "ccc/recipient-pub/v1",\n  "pk": "%s"\n}' "$PK")"
}

@test "ccc-inspect -d prints CBOR diagnostic notation with the field names" {
	crun -0 ccc-inspect -d pub
	assert_stderr_empty
	assert_output "$(printf '{\n  0 / type /: "ccc/recipient-pub/v1",\n  1 / pk /: h'"'%s'"'\n}' "$PK")"
	crun -0 ccc-inspect --diag pub
	assert_output "$(printf '{\n  0 / type /: "ccc/recipient-pub/v1",\n  1 / pk /: h'"'%s'"'\n}' "$PK")"
}

@test "ccc-inspect hides secrets unless --show-secrets" {
	# {0: "ccc/share/v1", 1: "P256", 2: 3, 3: 5, 4: h'11..', 5: h'22..'}
	local kid x
	kid=$(printf '11%.0s' {1..32})
	x=$(printf '22%.0s' {1..32})
	write_hex "a6006c$(hex_str ccc/share/v1)0164$(hex_str P256)02030305045820${kid}055820${x}" share
	crun -0 ccc-inspect share
	assert_stderr_empty
	assert_output "$(printf '{\n  "type": "ccc/share/v1",\n  "group": "P256",\n  "index": 3,\n  "epoch": 5,\n  "key_id": "%s",\n  "x": "<secret>"\n}' "$kid")"
	[[ "$output" != *"$x"* ]]
	crun -0 ccc-inspect -d share
	assert_contains "$output" '5 / x /: "<secret>"'
	[[ "$output" != *"$x"* ]]
	crun -0 ccc-inspect --show-secrets share
	assert_output "$(printf '{\n  "type": "ccc/share/v1",\n  "group": "P256",\n  "index": 3,\n  "epoch": 5,\n  "key_id": "%s",\n  "x": "%s"\n}' "$kid" "$x")"
	# A real recipient key: sk hidden, shown on request.
	crun -0 ccc-inspect fx/rk
	assert_contains "$output" '"sk": "<secret>",'
	crun -0 ccc-inspect --show-secrets fx/rk
	[[ "$output" =~ \"sk\":\ \"[0-9a-f]{64}\", ]]
}

@test "ccc-inspect shows every blob type the tools make, as valid JSON" {
	local f
	for f in fx/k23/tpk.cbor fx/k23/share-1.cbor fx/ct.l fx/ct.u fx/rpub fx/rk fx/s1; do
		crun -0 ccc-inspect "$f"
		assert_stderr_empty
		printf '%s\n' "$output" >out.json
		json_ok out.json
	done
	crun -0 ccc-inspect fx/k23/tpk.cbor
	[[ "$(grep -o '^  "[a-z_]*"' <<<"$output" | tr -d ' "' | tr '\n' ' ')" == "type group t n epoch key_id h g_bar h_i " ]]
	crun -0 ccc-inspect fx/ct.l
	[[ "$(grep -o '^  "[a-z_]*"' <<<"$output" | tr -d ' "' | tr '\n' ' ')" == "type group context c u u_bar e f nonce sym " ]]
	crun -0 ccc-inspect fx/s1
	[[ "$(grep -o '^  "[a-z_]*"' <<<"$output" | tr -d ' "' | tr '\n' ' ')" == "type key_id epoch index context recipient count enc shares " ]]
}

@test "ccc-inspect escapes text so that the JSON stays valid" {
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor -l "$(printf 'a"b\\c\001\303\251')" -o ct fx/msg
	crun -0 ccc-inspect ct
	assert_contains "$output" '"context": "a\"b\\c\u0001'$'\303\251''",'
	printf '%s\n' "$output" >out.json
	json_ok out.json
}

@test "ccc-inspect escapes DEL and C1 controls as well as C0" {
	# ESC [ 2 J, DEL, U+009B (a one-character CSI), then a plain e-acute.
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor \
	    -l "$(printf 'x\033[2J\177\302\233y\303\251')" -o ct fx/msg
	crun -0 ccc-inspect ct
	assert_contains "$output" '"context": "x\u001b[2J\u007f\u009by'$'\303\251''",'
	[[ "$output" != *$'\033'* && "$output" != *$'\177'* && "$output" != *$'\302\233'* ]] ||
	    fail "a control character reached the output"
	printf '%s\n' "$output" >out.json
	json_ok out.json
}

@test "ccc-inspect: sequences, several files and standard input" {
	cat pub pub >two
	crun -0 ccc-inspect two pub
	assert_stderr_empty
	local one
	one=$(printf '{\n  "type": "ccc/recipient-pub/v1",\n  "pk": "%s"\n}' "$PK")
	assert_output "$one"$'\n'"$one"$'\n'"$one"
	crun -0 bash -c 'ccc-inspect < two'
	assert_output "$one"$'\n'"$one"
	crun -0 bash -c 'ccc-inspect - < pub'
	assert_output "$one"
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --seq -o ct.seq <(printf '\x41a\x41b\x41c')
	crun -0 ccc-inspect ct.seq
	(($(grep -c '"type": "ccc/ct/v1"' <<<"$output") == 3))
}

# ---- strict decoding -------------------------------------------------------------

# Each case: a blob that differs from pub in one way, and the error.

@test "ccc-inspect rejects a non-shortest integer, with its offset" {
	write_hex "a200${TYPE}18015820${PK}" bad
	crun -1 ccc-inspect bad
	assert_output_empty
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 23: non-shortest integer or length"
	write_hex "b9000200${TYPE}015820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 0: non-shortest integer or length"
}

@test "ccc-inspect rejects a non-shortest length, with its offset" {
	write_hex "a200${TYPE}01590020${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: non-shortest length"
}

@test "ccc-inspect rejects indefinite lengths, with their offset" {
	write_hex "bf00${TYPE}015820${PK}ff" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 0: indefinite length"
	write_hex "a200${TYPE}015f5820${PK}ff" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: indefinite length"
	write_hex "a2007f${TYPE}ff015820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 2: indefinite length"
}

@test "ccc-inspect rejects unsorted, duplicate and unknown keys, with their offset" {
	write_hex "a2015820${PK}00${TYPE}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 36: map keys out of order (0 after 1)"
	write_hex "a300${TYPE}015820${PK}015820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 58: duplicate map key 1"
	write_hex "a300${TYPE}015820${PK}025820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 58: unknown key 2 in a recipient public key"
	write_hex "a200${TYPE}615820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 23: map key is not an unsigned integer"
}

@test "ccc-inspect rejects trailing bytes as a bad next item, with their offset" {
	{ cat pub; printf '\0'; } >bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: wrong blob type: bad: item 2: at byte 58: not a ccc blob (no known type in key 0)"
	# The valid first item was printed.
	assert_output "$(printf '{\n  "type": "ccc/recipient-pub/v1",\n  "pk": "%s"\n}' "$PK")"
	{ cat pub; printf '\xa2'; } >bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: truncated input: bad: item 2: at byte 58: map of 2 items runs past the end of the input"
	{ cat pub; printf '\xff'; } >bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 2: at byte 58: unexpected break"
}

@test "ccc-inspect rejects floats, tags, null, negative integers and simple values" {
	write_hex "a200${TYPE}01f93c00" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: floating-point value"
	write_hex "a200${TYPE}01fb3ff0000000000000" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: floating-point value"
	write_hex "a200${TYPE}01c25820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: tag not allowed in a ccc blob"
	write_hex "a200${TYPE}01f6" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: null not allowed in a ccc blob"
	write_hex "a200${TYPE}01f7" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: undefined value"
	write_hex "a200${TYPE}0120" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 24: negative integer not allowed in a ccc blob"
	write_hex "1c" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 0: reserved or invalid initial byte 0x1c"
}

@test "ccc-inspect rejects invalid UTF-8, wrong lengths, missing fields and deep nesting" {
	write_hex "a20074$(hex_str ccc/recipient-pub/v)ff015820${PK}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 2: text string is not valid UTF-8"
	write_hex "a200${TYPE}0143616263" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: invalid field: bad: item 1: at byte 24: pk: 3 bytes, expected 32"
	write_hex "a100${TYPE}" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: invalid field: bad: item 1: at byte 23: missing field pk (key 1)"
	write_hex "$(printf '81%.0s' {1..17})00" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 16: nested deeper than 16"
}

@test "ccc-inspect rejects unknown types and truncated input" {
	write_hex "a10063616263" bad
	crun -1 ccc-inspect bad
	assert_stderr "ccc-inspect: wrong blob type: bad: item 1: at byte 0: not a ccc blob (no known type in key 0)"
	head -c 40 pub >short
	crun -1 ccc-inspect short
	assert_output_empty
	assert_stderr "ccc-inspect: truncated input: short: item 1: at byte 24: input ends inside an item"
	: >empty
	crun -1 ccc-inspect empty
	assert_stderr "ccc-inspect: truncated input: empty: at byte 0: empty input"
	crun -1 bash -c 'ccc-inspect < /dev/null'
	assert_stderr "ccc-inspect: truncated input: stdin: at byte 0: empty input"
}

@test "ccc-inspect validates every item of a real sequence" {
	local n
	n=$(size_of fx/ct.l)
	cat fx/ct.l fx/ct.l >two
	crun -0 ccc-inspect two
	# Item 2's type string "ccc/ct/v1" -> "\xe3cc/ct/v1".
	flip_bit two $((n + 3)) 7 bad
	crun -1 ccc-inspect bad
	assert_stderr 'ccc-inspect: malformed input: bad: item 2: at byte '"$((n + 2))"': text string is not valid UTF-8'
}

@test "ccc-inspect: a missing file is an i/o error (exit 2)" {
	crun -2 ccc-inspect nonexistent
	assert_output_empty
	assert_stderr "ccc-inspect: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-inspect pub nonexistent
	assert_stderr "ccc-inspect: i/o error: nonexistent: No such file or directory"
}

@test "ccc-inspect: a failed write to standard output is an i/o error (exit 2)" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	crun -2 bash -c 'ccc-inspect pub > /dev/full'
	assert_stderr "ccc-inspect: i/o error: stdout: write failed"
}

# ---- access logs (-L) ------------------------------------------------------

@test "ccc-inspect -L: a node's log and head verify" {
	crun -0 ccc-inspect -L fx/st
	assert_stderr_empty
	assert_output "fx/st/access.log: 2 entries, chained and matching its head"
}

@test "ccc-inspect -L refuses a head that is not exactly one head line" {
	local line bad
	cp -r fx/st t
	line=$(cat fx/st/access.head)
	read -r seq hash rid len <<<"$line"
	for bad in "$line"$'\nx' "$line"$'\n\n' "$line " " $line" \
	    "0$seq $hash $rid $len" "+$seq $hash $rid $len" \
	    "$seq  $hash $rid $len" "$seq ${hash^^} $rid $len" \
	    "$seq $hash ${rid^^} $len" "$seq $hash $rid $len"$'\t'; do
		printf '%s\n' "$bad" >t/access.head
		crun -1 ccc-inspect -L t
		assert_output_empty
		assert_stderr "ccc-inspect: malformed input: t: t/access.head: not an access log head (one line \"SEQ HASH REQUEST-ID LENGTH\")"
	done
	# Without its newline.
	printf '%s' "$line" >t/access.head
	crun -1 ccc-inspect -L t
	assert_stderr "ccc-inspect: malformed input: t: t/access.head: not an access log head (one line \"SEQ HASH REQUEST-ID LENGTH\")"
}

@test "ccc-inspect -L refuses a head naming another request than its entry" {
	local rid1 rid2
	cp -r fx/st t
	read -r seq hash rid2 len <fx/st/access.head
	rid1=$(field_hex fx/req1 request_id)
	[[ $rid2 == "$(field_hex fx/req2 request_id)" ]]
	printf '%s %s %s %s\n' "$seq" "$hash" "$rid1" "$len" >t/access.head
	crun -1 ccc-inspect -L t
	assert_output_empty
	assert_stderr "ccc-inspect: malformed input: t: item 2: its head names entry 2 for request ${rid1:0:16}..., the entry is for request ${rid2:0:16}..."
}

@test "ccc-inspect -L: without -I the head is unsigned; -I then finds no signed head" {
	assert_no_file fx/st/access.head.signed
	crun -2 ccc-inspect -L fx/st -I fx/n1.pub
	assert_output_empty
	assert_stderr "ccc-inspect: i/o error: fx/st/access.head.signed: No such file or directory"
}

@test "ccc-inspect -L -I verifies the node's signed head, exactly as the node signs it" {
	local hash kid signer
	read -r _ hash _ _ <fx/sts/access.head
	kid=$(field_hex fx/k57/tpk.cbor key_id)
	signer=$(field_hex fx/n1.pub id)
	[[ "$(cat fx/sts/access.head.signed)" =~ ^"ccc/access-head/v1 2 $hash 1 $kid 0 $signer "[0-9a-f]{128}$ ]] ||
	    fail "$(cat fx/sts/access.head.signed)"
	crun -0 ccc-inspect -L fx/sts -I fx/n1.pub
	assert_stderr_empty
	assert_output "fx/sts/access.log: 2 entries, chained and matching its head, signed at entry 2"
	crun -0 ccc-inspect --verify-log fx/sts --identity fx/n1.pub \
	    --since fx/head1.signed
	assert_output "fx/sts/access.log: 2 entries, chained and matching its head, signed at entry 2, entry 1 as fx/head1.signed signed it"
}

@test "ccc-inspect -L -I refuses a head signed by another identity, or altered" {
	local line f g k bad
	crun -1 ccc-inspect -L fx/sts -I fx/n2.pub
	assert_output_empty
	assert_stderr "ccc-inspect: key mismatch: fx/sts/access.head.signed: signed by identity $(field_hex fx/n1.pub id | cut -c1-8), not by the one given"
	# Each signed field changed (a valid line still): the signature fails.
	cp -r fx/sts t
	line=$(cat fx/sts/access.head.signed)
	read -r -a f <<<"$line"
	for k in 1 2 3 4 5 7; do
		g=("${f[@]}")
		case $k in
		1) g[1]=1 ;;
		3) g[3]=2 ;;
		5) g[5]=1 ;;
		*) g[k]=$(printf '%s' "${g[k]}" | tr 0-9a-f 1-9a-f0) ;;
		esac
		printf '%s\n' "${g[*]}" >t/access.head.signed
		crun -1 ccc-inspect -L t -I fx/n1.pub
		assert_stderr "ccc-inspect: bad signature: t/access.head.signed: the access log head's signature does not verify"
	done
	# Not one exact line.
	for bad in "$line"$'\nx' "$line " "${line/ccc\/access-head\/v1/ccc/access-head/v2}" \
	    "${line^^}" "${line/ 1 / 01 }" "${line/ 2 / +2 }"; do
		printf '%s\n' "$bad" >t/access.head.signed
		crun -1 ccc-inspect -L t -I fx/n1.pub
		assert_stderr "ccc-inspect: malformed input: t/access.head.signed: not a signed access log head (one line \"ccc/access-head/v1 SEQ HASH NODE KEY-ID EPOCH SIGNER SIG\")"
	done
	# A secret key is not what -I takes.
	crun -1 ccc-inspect -L fx/sts -I fx/n1.key
	assert_stderr "ccc-inspect: wrong blob type: fx/n1.key: expected an identity public key (ccc/identity-pub/v1)"
}

@test "ccc-inspect -L --since: a log rewritten or cut since an earlier signed head is detected" {
	# A re-made log: the node's state started afresh, req2 served first,
	# its new head signed by the node's own key.
	ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor -r fx/roster -A fx/attest.policy -P fx/pool \
	    -d rw -I fx/n1.key -o o2 fx/cert2
	crun -0 ccc-inspect -L rw -I fx/n1.pub
	assert_output "rw/access.log: 1 entry, chained and matching its head, signed at entry 1"
	crun -1 ccc-inspect -L rw -I fx/n1.pub --since fx/head1.signed
	assert_output_empty
	assert_stderr "ccc-inspect: malformed input: rw: item 1: at byte 0: entry 1 is not the one fx/head1.signed signed (the log was rewritten)"
	# A log re-made up to entry 1 (the same request served again in a
	# fresh state): the later signed head names an entry it no longer has.
	ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor -r fx/roster -A fx/attest.policy -P fx/pool \
	    -d cut -I fx/n1.key -o o1 fx/cert1
	crun -1 ccc-inspect -L cut -I fx/n1.pub --since fx/sts/access.head.signed
	assert_stderr "ccc-inspect: malformed input: cut: item 2: the log ends at entry 1, fx/sts/access.head.signed signed entry 2 (the log was cut or rewritten)"
}

@test "ccc-inspect: -I and --since apply to -L; --since needs -I" {
	crun -2 ccc-inspect -I fx/n1.pub fx/rpub
	assert_stderr "ccc-inspect: usage: -I and --since apply to -L (see ccc-inspect --help)"
	crun -2 ccc-inspect -L fx/sts --since fx/head1.signed
	assert_stderr "ccc-inspect: usage: --since needs the node's identity (-I) (see ccc-inspect --help)"
}

# sign_head SK-FILE LINE OUT: OUT is LINE (a signed head without its
# signature) signed as the node signs it, with python3's Ed25519 (an
# independent check of the format in ccc(7)).
sign_head() {
	python3 -c 'import cryptography' 2>/dev/null ||
	    skip "python3 cryptography not installed"
	python3 - "$(field_hex "$1" sk)" "$2" "$3" <<'PY'
import hashlib, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import \
    Ed25519PrivateKey
sk, line, out = sys.argv[1:]
msg = (b'ccc/sig/v1\0ccc/node/v1:access-head\0' +
    hashlib.sha256(line.encode()).digest())
sig = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sk)[:32]).sign(msg)
open(out, 'w').write(line + ' ' + sig.hex() + '\n')
PY
}

@test "ccc-inspect -L -I: a head signed for another node, key or epoch than its entry is refused" {
	local f g node key epoch body kid other at
	read -r _ _ _ at <fx/head1	# where entry 2 begins
	read -r -a f <fx/sts/access.head.signed
	body="${f[*]:0:7}"
	# The same line signed independently verifies as the node's.
	cp -r fx/sts t
	crun -0 sign_head fx/n1.key "$body" t/access.head.signed
	assert_same t/access.head.signed fx/sts/access.head.signed
	kid=${f[4]}
	other=$(field_hex fx/kB/tpk.cbor key_id)
	for g in "2 $kid 0" "1 $other 0" "1 $kid 7"; do
		read -r node key epoch <<<"$g"
		body="${f[0]} ${f[1]} ${f[2]} $node $key $epoch ${f[6]}"
		crun -0 sign_head fx/n1.key "$body" t/access.head.signed
		crun -1 ccc-inspect -L t -I fx/n1.pub
		assert_stderr "ccc-inspect: malformed input: t: item 2: at byte $at: entry 2 is of node 1, epoch 0, key ${kid:0:8}; t/access.head.signed signed node $node, epoch $epoch, key ${key:0:8}"
	done
}
