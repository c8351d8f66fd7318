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
	assert_stderr "ccc-reencrypt: usage: an owner address is 0x and 40 hex digits"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -W "$OWNER" -l app1 -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: -l, --owner, --org-id and --label-hex exclude each other"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -L "$(cat "$V/label-b-owner.hex")" -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: a raw label that starts with 12 zero bytes is an owner label: give its address"
	crun -2 ccc-reencrypt -s fx/cl/share-0 -k fx/cl/tpk --to fx/rpub \
	    -l "owner:0xAB" -o d "$V/ct-b-owner.json"
	assert_stderr "ccc-reencrypt: usage: -l: an owner label is owner:0x and 40 lowercase hex digits"
	crun -2 ccc-encrypt -k fx/cl/tpk -L 0000000000000000000000000000000000000000000000000000000000000000 -o c fx/msg
	assert_stderr "ccc-encrypt: usage: the label is all zero: that is no label"
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
