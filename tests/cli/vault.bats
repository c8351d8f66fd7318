#!/usr/bin/env bats
# Chainlink's Vault DON (issue 16): the vectors of tests/vectors/chainlink,
# made with Chainlink's Go tdh2, through ccc: the three label kinds, the
# hex and base64 wire forms of a JSON ciphertext.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	make_fixtures
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		mkdir cl
		ccc-keygen import -t 3 -o cl/tpk "$VECTORS/chainlink/pk.json"
		for i in 0 1 2 3 4; do
			install -m 600 "$VECTORS/chainlink/privshare-$i.json" \
			    cl/ps-$i.json
			ccc-keygen import -k cl/tpk -o "cl/share-$i" \
			    "cl/ps-$i.json"
		done
	)
}

setup() {
	use_fixtures
	V=$VECTORS/chainlink
	OWNER=$(cat "$V/owner-address.txt")
	ORG=$(cat "$V/orgid.txt")
}

# decrypt CT OUT NODES [REENCRYPT-OPTION...]: the Chainlink key's nodes
# NODES (0-based, as tdh2easy numbers them; "0 2 4") reencrypt CT to rpub
# and ccc-combine writes the plaintext to OUT.
decrypt() {
	local ct=$1 out=$2 nodes=$3 i sealed=()
	shift 3
	for i in $nodes; do
		crun -0 ccc-reencrypt -s "fx/cl/share-$i" -k fx/cl/tpk \
		    --to fx/rpub -o "d$i" "$@" "$ct"
		assert_stderr_empty
		sealed+=("d$i")
	done
	crun -0 ccc-combine -k fx/cl/tpk -i fx/rk -c "$ct" -f -o "$out" \
	    "${sealed[@]}"
	assert_stderr_empty
	rm "${sealed[@]}"
}

# json_label FILE: the hex of the Label of a JSON ciphertext FILE (any
# wire form), after checking that its JSON (outer and inner) is exactly
# what Go's encoding/json writes for tdh2easy: these keys, in this order,
# no white space, every byte string standard base64.
json_label() {
	python3 - "$1" <<'PY'
import base64, binascii, json, sys
b = open(sys.argv[1], "rb").read()
b = b[:-1] if b.endswith(b"\n") else b
if b[:1] != b"{":
    b = binascii.unhexlify(b) if b[:4] == b"7b22" else base64.b64decode(b, validate=True)
def go(raw, keys):
    d = json.loads(raw)
    if list(d) != keys or json.dumps(d, separators=(",", ":")).encode() != raw:
        sys.exit("not Go's tdh2easy JSON: %r" % raw[:60])
    return d
outer = go(b, ["TDH2Ctxt", "SymCtxt", "Nonce"])
inner = go(base64.b64decode(outer["TDH2Ctxt"], validate=True),
           ["Group", "C", "Label", "U", "U_bar", "E", "F"])
assert inner["Group"] == "P256"
print(base64.b64decode(inner["Label"], validate=True).hex())
PY
}

@test "vault: the vectors are Chainlink's, unchanged (SHA256SUMS)" {
	cd "$V"
	crun -0 sha256sum --quiet -c SHA256SUMS
	assert_output_empty
}

@test "vault: every ciphertext, in each wire form, decrypts to the message" {
	local ct f
	for ct in ct-a-zero ct-b-owner ct-c-orgid; do
		for f in json hex b64; do
			decrypt "$V/$ct.$f" out "0 2 4" -U
			[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]] ||
			    fail "$ct.$f"
		done
	done
	decrypt "$V/ct-c-orgid.b64" out "1 3 4"
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
}

@test "vault: a node requiring an owner or org label serves only that label" {
	decrypt "$V/ct-b-owner.hex" out "0 1 2" -W "$OWNER"
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
	decrypt "$V/ct-c-orgid.json" out "2 3 4" -G "$ORG"
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
	decrypt "$V/ct-c-orgid.b64" out "0 3 4" -L "$(cat "$V/label-c-orgid.hex")"
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
	# The owner address in upper case is the same address.
	decrypt "$V/ct-b-owner.b64" out "0 1 2" \
	    --owner "0x$(tr a-f A-F <<<"${OWNER#0x}")"
	crun -1 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -G "$ORG" -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: refused by policy: $V/ct-b-owner.json: item 1: the ciphertext's label context is not \"org:$ORG\""
	crun -1 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -W "$OWNER" -o d "$V/ct-c-orgid.hex"
	assert_stderr "ccc-reencrypt: refused by policy: $V/ct-c-orgid.hex: item 1: the ciphertext's label context is not \"owner:$OWNER\""
	crun -1 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -o d "$V/ct-a-zero.b64"
	assert_stderr "ccc-reencrypt: refused by policy: $V/ct-a-zero.b64: item 1: unlabelled ciphertext (all-zero label) refused; --allow-unlabelled accepts it"
	assert_no_file d
}

@test "vault: label options are checked (exit 2)" {
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -W 0x0102 -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: an owner address is 0x and 40 hex digits (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -W "$OWNER" -l app1 -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: -l, --owner, --org-id and --label-hex exclude each other (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -L "$(cat "$V/label-b-owner.hex")" -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: a raw label that starts with 12 zero bytes is an owner label: give its address (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -l "owner:0xAB" -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: -l: an owner label is owner:0x and 40 lowercase hex digits (see ccc-reencrypt --help)"
	crun -2 ccc-encrypt -k fx/cl/tpk -L 0000000000000000000000000000000000000000000000000000000000000000 -o c fx/msg
	assert_stderr "ccc-encrypt: usage: the label is all zero: that is no label (see ccc-encrypt --help)"
	crun -2 ccc-encrypt -k fx/cl/tpk -e hex -o c fx/msg
	assert_stderr "ccc-encrypt: usage: -e applies to --json (see ccc-encrypt --help)"
	crun -2 ccc-encrypt -k fx/cl/tpk --json -e base32 -o c fx/msg
	assert_stderr "ccc-encrypt: usage: -e: json, hex or base64 (see ccc-encrypt --help)"
	assert_no_file d
	assert_no_file c
}

@test "vault: ccc's owner- and org-labelled ciphertexts are tdh2easy JSON with Chainlink's labels" {
	local f
	for f in json hex base64; do
		crun -0 ccc-encrypt -k fx/cl/tpk -W "$OWNER" --json -e "$f" \
		    -o "o.$f" fx/msg
		assert_stderr_empty
		[[ "$(json_label "o.$f")" == "$(cat "$V/label-b-owner.hex")" ]]
		crun -0 ccc-encrypt -k fx/cl/tpk -G "$ORG" --json -e "$f" \
		    -o "g.$f" fx/msg
		[[ "$(json_label "g.$f")" == "$(cat "$V/label-c-orgid.hex")" ]]
	done
	# The sizes of the vectors' forms, for a 15-byte message (not 48).
	[[ "$(size_of o.json)" == $(($(size_of "$V/ct-b-owner.json") - 44 + 1)) ]]
	[[ "$(size_of o.hex)" == $((2 * ($(size_of o.json) - 1) + 1)) ]]
	[[ "$(json_label "$V/ct-b-owner.hex")" == "$(cat "$V/label-b-owner.hex")" ]]
	# And they decrypt, with the node requiring the label.
	decrypt o.hex out "0 1 4" -W "$OWNER"
	cmp out fx/msg
	decrypt g.base64 out "0 1 4" -G "$ORG"
	cmp out fx/msg
	# --from-json keeps the label: the ccc blob spells it.
	crun -0 ccc-encrypt -k fx/cl/tpk --from-json -o b "$V/ct-b-owner.b64"
	crun -0 ccc-inspect b
	assert_contains "$output" "\"context\": \"owner:$OWNER\""
	crun -0 ccc-encrypt -k fx/cl/tpk --from-json -G "$ORG" -o c "$V/ct-c-orgid.hex"
	crun -0 ccc-inspect c
	assert_contains "$output" "\"context\": \"org:$ORG\""
	crun -0 ccc-encrypt -k fx/cl/tpk --from-json -o c2 "$V/ct-c-orgid.json"
	crun -0 ccc-inspect c2
	assert_contains "$output" "\"context\": \"label:$(cat "$V/label-c-orgid.hex")\""
	crun -1 ccc-encrypt -k fx/cl/tpk --from-json -W "$OWNER" -o c3 "$V/ct-c-orgid.json"
	assert_stderr "ccc-encrypt: refused by policy: $V/ct-c-orgid.json: ciphertext JSON: the label is not the given label"
	assert_no_file c3
}

@test "vault: ccc-inspect shows a Vault ciphertext's label in every wire form" {
	local f
	for f in json hex b64; do
		crun -0 ccc-inspect "$V/ct-b-owner.$f"
		assert_stderr_empty
		assert_contains "$output" "\"context\": \"owner:$OWNER\""
		crun -0 ccc-inspect "$V/ct-c-orgid.$f"
		assert_contains "$output" "\"context\": \"label:$(cat "$V/label-c-orgid.hex")\""
		crun -0 ccc-inspect "$V/ct-a-zero.$f"
		[[ "$output" != *context* ]]
	done
	crun -0 ccc-inspect - <"$V/ct-b-owner.b64"
	assert_contains "$output" "\"context\": \"owner:$OWNER\""
	printf '7b2278223a317d' >j.hex
	crun -1 ccc-inspect j.hex
	assert_stderr 'ccc-inspect: invalid field: j.hex: ciphertext JSON: missing "TDH2Ctxt"'
	printf '7b22zz' >k.hex
	crun -1 ccc-inspect k.hex
	assert_stderr 'ccc-inspect: malformed input: k.hex: ciphertext JSON: not hex'
}

# ---- Chainlink share mode ------------------------------------------------------

# open_share FILE: open the hex-sealed share on FILE's first line with the
# vectors' X25519 key by libsodium's own crypto_box_seal_open (the system
# library, not ccc's code) and print its Index, after checking the JSON is
# exactly what Go's encoding/json writes for a tdh2easy DecryptionShare.
open_share() {
	python3 - "$1" "$V/recipient-x25519-sk.hex" \
	    "$V/recipient-x25519-pk.hex" <<'PY'
import base64, ctypes, ctypes.util, json, sys
na = ctypes.CDLL(ctypes.util.find_library("sodium"))
assert na.sodium_init() >= 0
sealed = bytes.fromhex(open(sys.argv[1]).readline().strip())
sk = bytes.fromhex(open(sys.argv[2]).read())
pk = bytes.fromhex(open(sys.argv[3]).read())
out = ctypes.create_string_buffer(len(sealed) - 48)
if na.crypto_box_seal_open(out, sealed, ctypes.c_ulonglong(len(sealed)), pk, sk) != 0:
    sys.exit("does not open")
raw = out.raw
d = json.loads(raw)
if list(d) != ["Group", "Index", "U_i", "E_i", "F_i"] or \
   json.dumps(d, separators=(",", ":")).encode() != raw or d["Group"] != "P256":
    sys.exit("not Go's DecryptionShare JSON: %r" % raw)
assert [len(base64.b64decode(d[k], validate=True)) for k in ("U_i", "E_i", "F_i")] == [65, 32, 32]
print(d["Index"])
PY
}

# box_key: the vectors' X25519 recipient key as a secret file, bk.
box_key() {
	install -m 600 "$V/recipient-x25519-sk.hex" bk
}

@test "vault: the vector decryption shares, plain and sealed, combine to the message" {
	box_key
	local i f
	for i in 0 2 4; do
		cp "$V/decshare-b-$i.json" "p$i"
		cp "$V/sealed-decshare-b-$i.hex" "h$i"
		cp "$V/sealed-decshare-b-$i.b64" "b$i"
		# The relay's form: base64 without the b64: prefix.
		cut -c5- "$V/sealed-decshare-b-$i.b64" >"r$i"
	done
	for f in p h b r; do
		crun -0 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-b-owner.hex" \
		    -f -o out "${f}4" "${f}0" "${f}2"
		assert_stderr_empty
		[[ "$(hex_of out)" == "$(cat "$V/aggregate-b-0-2-4.hex")" ]] ||
		    fail "form $f"
	done
	# Mixed forms, and the ciphertext in its other forms.
	crun -0 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-b-owner.b64" \
	    -f -o out h0 b2 p4
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
}

@test "vault: the bad vector share is named and refused; shares of another ciphertext fail their proofs" {
	box_key
	cp "$V/decshare-b-0.json" p0
	cp "$V/bad-decshare-b-2.json" bad2
	cp "$V/sealed-decshare-b-4.hex" h4
	crun -1 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-b-owner.json" -o out \
	    p0 bad2 h4
	assert_stderr "ccc-combine: not enough shares: $V/ct-b-owner.json: item 1: 2 valid shares, 3 needed; node 3 (bad2): proof does not verify"
	assert_no_file out
	# With a fourth, good share the bad one is left out and named.
	crun -0 ccc-reencrypt -s fx/cl/share-3 -k fx/cl/tpk \
	    -x "$(cat "$V/recipient-x25519-pk.hex")" -o c3 "$V/ct-b-owner.json"
	crun -0 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-b-owner.json" -o out \
	    p0 bad2 h4 c3
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
	crun -1 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-c-orgid.json" -o out2 \
	    p0 h4 c3
	assert_stderr "ccc-combine: not enough shares: $V/ct-c-orgid.json: item 1: 0 valid shares, 3 needed; node 1 (p0): proof does not verify; node 5 (h4): proof does not verify; node 4 (c3): proof does not verify"
	assert_no_file out2
}

@test "vault: a mixed committee, two Chainlink nodes and one ccc node in Chainlink mode" {
	box_key
	cp "$V/sealed-decshare-b-0.hex" h0
	cp "$V/sealed-decshare-b-2.b64" b2
	crun -0 ccc-reencrypt -s fx/cl/share-1 -k fx/cl/tpk \
	    -x "$(cat "$V/recipient-x25519-pk.hex")" -W "$OWNER" -o c1 \
	    "$V/ct-b-owner.hex"
	assert_stderr_empty
	# As a Vault node carries it: one line, the hex of the 277 bytes
	# sealed over the 229-byte share JSON.
	[[ "$(size_of c1)" == 555 ]]
	[[ "$(tr -d '0-9a-f\n' <c1)" == "" ]]
	crun -0 open_share c1
	assert_output 1
	crun -0 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-b-owner.json" -o out \
	    h0 c1 b2
	assert_stderr_empty
	[[ "$(hex_of out)" == "$(cat "$V/message.hex")" ]]
	# The ccc share opened with another X25519 key does not open.
	crun -0 ccc-reencrypt -s fx/cl/share-1 -k fx/cl/tpk \
	    -x "$(cat "$V/label-c-orgid.hex")" -o c1x "$V/ct-b-owner.hex"
	crun -1 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-b-owner.json" -o out2 \
	    h0 c1x b2
	assert_stderr "ccc-combine: not enough shares: $V/ct-b-owner.json: item 1: 2 valid shares, 3 needed; c1x: share 1: the sealed decryption share does not open with this X25519 key"
}

@test "vault: a ccc node answers a batch in Chainlink mode, a line per ciphertext" {
	box_key
	local i
	for i in 0 2 3; do
		crun -0 ccc-reencrypt -s "fx/cl/share-$i" -k fx/cl/tpk \
		    -x "$(cat "$V/recipient-x25519-pk.hex")" -U -o "c$i" \
		    "$V/ct-a-zero.json" "$V/ct-c-orgid.b64"
		[[ "$(wc -l <"c$i")" == 2 ]]
	done
	crun -0 ccc-encrypt -k fx/cl/tpk --from-json -o a.cbor "$V/ct-a-zero.json"
	crun -0 ccc-encrypt -k fx/cl/tpk --from-json -o c.cbor "$V/ct-c-orgid.b64"
	cat a.cbor c.cbor >both
	crun -0 ccc-combine -k fx/cl/tpk -x bk -b both --seq -o out c0 c2 c3
	assert_stderr_empty
	# Two byte strings of 48 bytes: 0x58 0x30 and the message, twice.
	[[ "$(hex_of out)" == "5830$(cat "$V/message.hex")5830$(cat "$V/message.hex")" ]]
	# A file of shares for fewer ciphertexts than the input is named.
	head -1 c3 >c3short
	crun -1 ccc-combine -k fx/cl/tpk -x bk -b both --seq -o out2 c0 c2 c3short
	assert_stderr "ccc-combine: not enough shares: both: item 1: 2 valid shares, 3 needed; node 4 (c3short): its Chainlink shares cover 1 ciphertexts, the input has 2"
}

@test "vault: Chainlink share mode usage errors (exit 2)" {
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk -x 0102 -o c "$V/ct-a-zero.json"
	assert_stderr "ccc-reencrypt: usage: -x: an X25519 public key is 64 hex digits (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -x "$(cat "$V/recipient-x25519-pk.hex")" -o c "$V/ct-a-zero.json"
	assert_stderr "ccc-reencrypt: usage: needs -s SHARE, -k TPK and one of --to PUB and -x HEX (see ccc-reencrypt --help)"
	crun -2 ccc-combine -k fx/cl/tpk -b "$V/ct-a-zero.json" -o out p0
	assert_stderr "ccc-combine: usage: needs -k TPK and -i KEY or -x BOXKEY (see ccc-combine --help)"
	cp "$V/recipient-x25519-sk.hex" bk
	chmod 644 bk
	crun -2 ccc-combine -k fx/cl/tpk -x bk -b "$V/ct-a-zero.json" -o out p0
	assert_contains "$stderr" "ccc-combine: insecure permissions: bk"
	assert_no_file c
	assert_no_file out
}
