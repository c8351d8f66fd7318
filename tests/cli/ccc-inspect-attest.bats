#!/usr/bin/env bats
# ccc-inspect for auditors: attestation documents decoded, not judged
# (the two real AWS documents of tests/vectors/nitro, the test enclave's
# own, alone and inside the blobs that carry them), each blob's SHA-256
# (-s), a roster's id, JSON integers beyond 2^53 - 1.
bats_require_minimum_version 1.5.0
load helpers

: "${VECTORS:=$TOP_SRCDIR/tests/vectors}"
KAT=$TOP_SRCDIR/tests/kat
VERACRUZ=$VECTORS/nitro/nitro-2022-11-09-veracruz.cbor
BLOCKY=$VECTORS/nitro/nitro-2024-09-07-blocky.b64
AWS_ROOT_SHA256=641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b

setup() {
	cd "$BATS_TEST_TMPDIR" || return
}

# The veracruz document as ccc-inspect prints it: every value checked once
# against python's cryptography (subject, issuer, serial, validity and
# SHA-256 of each certificate) and a CBOR reader of its own (the rest), and
# against the vector's README (module_id, timestamp, PCRs, user_data,
# nonce, the AWS root's fingerprint).
veracruz_json() {
	cat <<'JSON'
{
  "type": "nitro-attestation",
  "note": "decoded only, not verified (see ccc-attest-verify(1))",
  "tagged": false,
  "protected": {
    "alg": -35,
    "alg_name": "ES384"
  },
  "unprotected": {},
  "payload": {
    "module_id": "i-04fd167167daacf3b-enc01845e97d0b3eb4e",
    "digest": "SHA384",
    "timestamp": "2022-11-09T22:52:00.696Z",
    "timestamp_ms": 1668034320696,
    "pcrs": {
      "0": "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01",
      "1": "bcdf05fefccaa8e55bf2c8d6dee9e79bbff31e34bf28a99aa19e6b29c37ee80b214a414b7607236edf26fcb78654e63f",
      "2": "00943ea859140fed74e1025fe41aedb38780eae5656b3f9ef9b4b0e6111350315544db3efcda05725108f72b2ab141f7",
      "3": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "4": "4554042339e6a1ddfac89db7da58231d5619073729344333aff055429abeec6b006f81b19d1176001b8291f885283106",
      "5": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "6": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "7": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "8": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "9": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "10": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "11": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "12": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "13": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "14": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
      "15": "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    },
    "certificate": {
      "subject": "CN=i-04fd167167daacf3b-enc01845e97d0b3eb4e.eu-west-1.aws,OU=AWS,O=Amazon,L=Seattle,ST=Washington,C=US",
      "issuer": "CN=i-04fd167167daacf3b.eu-west-1.aws.nitro-enclaves,OU=AWS,O=Amazon,L=Seattle,ST=Washington,C=US",
      "serial": "01845e97d0b3eb4e00000000636c2f10",
      "not_before": "2022-11-09T22:51:57Z",
      "not_after": "2022-11-10T01:52:00Z",
      "sha256": "6bc0102d30b51c7f36b6501049973ac782400561ccfed849c37f234e6ba08c79"
    },
    "cabundle": [
      {
        "subject": "CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US",
        "issuer": "CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US",
        "serial": "f93175681b90afe11d46ccb4e4e7f856",
        "not_before": "2019-10-28T13:28:05Z",
        "not_after": "2049-10-28T14:28:05Z",
        "sha256": "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b"
      },
      {
        "subject": "CN=80c9fe850e6c24c9.eu-west-1.aws.nitro-enclaves,OU=AWS,O=Amazon,C=US",
        "issuer": "CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US",
        "serial": "e6e9bfb1b396f3d0aff854e2a4254e2a",
        "not_before": "2022-11-06T22:20:55Z",
        "not_after": "2022-11-26T23:20:55Z",
        "sha256": "363614ba50b1482327c72d20551a13786a2040683c05e15dfb95145bf236832f"
      },
      {
        "subject": "L=Seattle,ST=WA,C=US,O=Amazon,OU=AWS,CN=881283867d35cfb8.zonal.eu-west-1.aws.nitro-enclaves",
        "issuer": "CN=80c9fe850e6c24c9.eu-west-1.aws.nitro-enclaves,OU=AWS,O=Amazon,C=US",
        "serial": "89c0129cffc77bc9258a8fb5688a25de",
        "not_before": "2022-11-09T09:59:12Z",
        "not_after": "2022-11-15T09:59:11Z",
        "sha256": "a1f48fa84d3060f09b16ce53671bb842a12c3c67805fb02c5c40b90de5cb9ab2"
      },
      {
        "subject": "CN=i-04fd167167daacf3b.eu-west-1.aws.nitro-enclaves,OU=AWS,O=Amazon,L=Seattle,ST=Washington,C=US",
        "issuer": "L=Seattle,ST=WA,C=US,O=Amazon,OU=AWS,CN=881283867d35cfb8.zonal.eu-west-1.aws.nitro-enclaves",
        "serial": "f018f7db1cd43f79f59e7eeb6f96c5c57863dd00",
        "not_before": "2022-11-09T20:40:23Z",
        "not_after": "2022-11-10T20:40:23Z",
        "sha256": "fa7de2b731f541a0d34004079bbdf13584180ebdb1b0e30d73b311627205b2f5"
      }
    ],
    "public_key": null,
    "user_data": "7c37108079b3e8a36d8a7970de1d6d4ff1461e0e35d9557c4d789df5e0576620",
    "nonce": "c678c86135de539d183acff58886d98dfb9823041af9f934bf909ac0f8d96245"
  },
  "signature": "cf64d1019b161c211bda061098ed418c788e52409eb6c079f1b5120a11ceb7c14fe62df785e095af6d8eaebf63578a1504bfc91f88032013edb1a54df7cb72334c1ecb7c359804758b187f1a09e334dbd295a41ee0e9ce936d3d1a0f6c6975d4"
}
JSON
}

# The KAT's software document (tests/kat/sw.cbor) in diagnostic notation.
sw_diag() {
	cat <<'DIAG'
{
  "type": "nitro-attestation",
  "note": "decoded only, not verified (see ccc-attest-verify(1))",
  "tagged": false,
  "protected": {
    "alg": -35,
    "alg_name": "ES384",
    "ccc-mode": "software"
  },
  "unprotected": {},
  "payload": {
    "module_id": "ccc-software-job-1",
    "digest": "SHA384",
    "timestamp": "2026-12-05T11:04:20.000Z",
    "timestamp_ms": 1796468660000,
    "pcrs": {
      0: h'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0',
      1: h'727272727272727272727272727272727272727272727272727272727272727272727272727272727272727272727272'
    },
    "certificate": {
      "subject": "CN=ccc-software-job-1,OU=software enclave\\, not hardware-backed,O=ccc",
      "issuer": "CN=acme,OU=software attestation root\\, not hardware-backed,O=ccc",
      "serial": "4622cee1354621c4105c2107f77e757d",
      "not_before": "2026-12-05T10:59:20Z",
      "not_after": "2027-03-05T11:04:20Z",
      "sha256": h'de4babdddc8a2ba93a3e2fcff1f76888103407f6fc812439d057daf23941b8cc'
    },
    "cabundle": [
      {
        "subject": "CN=acme,OU=software attestation root\\, not hardware-backed,O=ccc",
        "issuer": "CN=acme,OU=software attestation root\\, not hardware-backed,O=ccc",
        "serial": "4bfe5ce275a0b0361402bf172375350a",
        "not_before": "2026-12-05T10:59:20Z",
        "not_after": "2036-12-02T11:04:20Z",
        "sha256": h'0c68433297cddf404d52a3697467f0698ad1c23de6318e3d0ec289d0074bba26'
      }
    ],
    "public_key": null,
    "user_data": h'abababababababababababababababababababababababababababababababab',
    "nonce": null
  },
  "signature": h'b576a451390e0609e8ded2d758087b153ea2f7be63680f385923a3041ad9c37dc1cdd217562098d7fc3f7b2e52e22de49c57598de312685ff8457b19540817dd20ac41be0e0783d351393f5fcf2f615a7a7ae7aba6d8d5ef8b1e7c5880c0a0a8'
}
DIAG
}

# sha256_of FILE: the SHA-256 of FILE's bytes, in hex.
sha256_of() {
	sha256sum <"$1" | cut -d' ' -f1
}

# json_get FILE PATH...: a value of the JSON in FILE, by keys and indexes,
# printed as python's json.dumps prints it (an independent JSON reader).
json_get() {
	python3 - "$@" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(json.dumps(v))
PY
}

need_python() {
	command -v python3 >/dev/null || skip "python3 not installed"
}

# ---- attestation documents alone --------------------------------------------

@test "ccc-inspect decodes a real AWS document, every field, exactly" {
	crun -0 ccc-inspect "$VERACRUZ"
	assert_stderr_empty
	assert_output "$(veracruz_json)"
	# The same from standard input.
	crun -0 bash -c 'ccc-inspect < "$1"' _ "$VERACRUZ"
	assert_output "$(veracruz_json)"
	crun -0 bash -c 'ccc-inspect - < "$1"' _ "$VERACRUZ"
	assert_output "$(veracruz_json)"
}

@test "ccc-inspect decodes the other AWS document, in base64 as in CBOR, as valid JSON" {
	need_python
	base64 -d "$BLOCKY" >blocky.cbor
	crun -0 ccc-inspect blocky.cbor
	assert_stderr_empty
	printf '%s\n' "$output" >out.json
	# The same from its base64 (one line, as stored), and wrapped.
	crun -0 ccc-inspect "$BLOCKY"
	assert_stderr_empty
	assert_output "$(cat out.json)"
	base64 -w 76 blocky.cbor >wrapped
	crun -0 bash -c 'ccc-inspect < wrapped'
	assert_output "$(cat out.json)"
	[[ $(json_get out.json type) == '"nitro-attestation"' ]]
	[[ $(json_get out.json payload module_id) == '"i-0a22e5c5f24d22174-enc0191cceb4289903f"' ]]
	[[ $(json_get out.json payload timestamp) == '"2024-09-07T14:37:39.545Z"' ]]
	[[ $(json_get out.json payload timestamp_ms) == 1725719859545 ]]
	[[ $(json_get out.json payload pcrs 0) == '"e72a46ca80a260fb044a125442f0c7e331813bcbaf9724d9f3857758992766f2d65710a27aa94ae3949dd54e7c9fe86a"' ]]
	[[ $(json_get out.json payload pcrs 15) == "\"$(printf '00%.0s' {1..48})\"" ]]
	[[ $(json_get out.json payload public_key) == "\"$(printf '01%.0s' {1..1024})\"" ]]
	[[ $(json_get out.json payload cabundle 0 sha256) == "\"$AWS_ROOT_SHA256\"" ]]
	[[ $(json_get out.json payload cabundle 0 subject) == '"CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US"' ]]
	[[ $(json_get out.json payload certificate not_before) == '"2024-09-07T14:37:36Z"' ]]
	[[ $(json_get out.json payload certificate not_after) == '"2024-09-07T17:37:39Z"' ]]
}

@test "ccc-inspect: each certificate as openssl reads it" {
	command -v openssl >/dev/null || skip "openssl not installed"
	need_python
	base64 -d "$BLOCKY" >blocky.cbor
	local doc i n der want
	for doc in "$VERACRUZ" blocky.cbor; do
		ccc-inspect "$doc" >out.json
		n=$(json_get out.json payload cabundle | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
		for ((i = -1; i < n; i++)); do
			# The DER, found in the document by its fingerprint.
			python3 - "$doc" "$i" >cert.der <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
i = int(sys.argv[2])
# Every DER certificate in the document: a bstr (0x59 nn nn) of a SEQUENCE.
certs = []
at = 0
while True:
    at = d.find(b'\x59', at)
    if at < 0:
        break
    n = int.from_bytes(d[at + 1:at + 3], 'big')
    if d[at + 3:at + 5] == b'\x30\x82' and int.from_bytes(d[at + 5:at + 7], 'big') + 4 == n:
        certs.append(d[at + 3:at + 3 + n])
        at += 3 + n
    else:
        at += 1
sys.stdout.buffer.write(certs[i + 1])
PY
			if ((i < 0)); then
				set -- payload certificate
			else
				set -- payload cabundle "$i"
			fi
			[[ $(json_get out.json "$@" sha256) == "\"$(sha256_of cert.der)\"" ]]
			want=$(openssl x509 -inform der -in cert.der -noout -serial | cut -d= -f2 | tr A-F a-f)
			[[ $(json_get out.json "$@" serial) == "\"$want\"" ]]
			want=$(openssl x509 -inform der -in cert.der -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
			[[ $(json_get out.json "$@" subject) == "\"$want\"" ]]
			want=$(openssl x509 -inform der -in cert.der -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')
			[[ $(json_get out.json "$@" issuer) == "\"$want\"" ]]
			want=$(date -u -d "$(openssl x509 -inform der -in cert.der -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)
			[[ $(json_get out.json "$@" not_after) == "\"$want\"" ]]
			want=$(date -u -d "$(openssl x509 -inform der -in cert.der -noout -startdate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)
			[[ $(json_get out.json "$@" not_before) == "\"$want\"" ]]
		done
	done
}

@test "ccc-inspect -d decodes the test enclave's document, exactly" {
	crun -0 ccc-inspect -d "$KAT/sw.cbor"
	assert_stderr_empty
	assert_output "$(sw_diag)"
}

@test "ccc-inspect decodes a document the tools make now, true to what they put in" {
	local eid pk
	ccc-keygen attest-root -o root.key -p root.pem -N acme
	ccc-keygen enclave-cert -r root.key -o e.key -p e.pem -N run-1
	ccc-enclave-run keygen -a e.key -s req.key -o req.pub
	eid=$(field_hex req.pub enclave_id)
	pk=$(field_hex req.pub pk)
	crun -0 ccc-inspect req.pub
	assert_stderr_empty
	# Its head as the KAT's (same members, JSON and diagnostic alike).
	assert_contains "$output" "  \"attestation\": {
$(sw_diag | sed -n '2,13s/^/  /p' | sed 's/job-1/run-1/')"
	# The leaf is the enclave's certificate: its SHA-256 is the id.
	assert_contains "$output" '      "certificate": {
        "subject": "CN=ccc-software-run-1,OU=software enclave\\, not hardware-backed,O=ccc",
        "issuer": "CN=acme,OU=software attestation root\\, not hardware-backed,O=ccc",'
	assert_contains "$output" "        \"sha256\": \"$eid\""
	assert_contains "$output" "      \"public_key\": \"$pk\","
	# The root is the one ccc-keygen wrote.
	assert_contains "$output" "          \"sha256\": \"$(sed '1d;$d' root.pem | base64 -d | sha256sum | cut -d' ' -f1)\""
}

@test "ccc-inspect refuses a document that does not decode, naming the place" {
	head -c 1000 "$VERACRUZ" >short
	crun -1 ccc-inspect short
	assert_output_empty
	assert_stderr "ccc-inspect: truncated input: short: at byte 7: input ends inside an item"
	# The leaf's DER made not a certificate (its SEQUENCE tag 0x30 -> 0x31).
	replace_bytes "$VERACRUZ" 932 31 leaf
	crun -1 ccc-inspect leaf
	assert_output_empty
	assert_stderr "ccc-inspect: malformed input: leaf: at byte 932: certificate: not one DER X.509 certificate"
	replace_bytes "$VERACRUZ" 1584 31 root
	crun -1 bash -c 'ccc-inspect < root'
	assert_stderr "ccc-inspect: malformed input: stdin: at byte 1584: cabundle[0]: not one DER X.509 certificate"
	# Neither a blob nor a document, in CBOR or base64.
	printf 'hello\n' >text
	crun -1 ccc-inspect text
	assert_stderr "ccc-inspect: malformed input: text: at byte 0: neither a ccc blob nor an attestation document (CBOR or base64)"
	# Larger than any document, in base64 too: refused before it is read.
	{ printf '\x84'; head -c 100000 /dev/zero; } >big
	crun -1 ccc-inspect big
	assert_stderr "ccc-inspect: input too large: big: more than 91540 bytes"
	# Bytes after the document.
	{ cat "$VERACRUZ"; printf '\0'; } >trailing
	crun -1 ccc-inspect trailing
	assert_stderr "ccc-inspect: malformed input: trailing: at byte 4461: trailing bytes after the COSE_Sign1"
}

# ---- attestation documents inside blobs ---------------------------------------

# result_blob DOC OUT: a ccc/result/v1 blob (well-formed, not valid: its
# document binds nothing) whose attestation is the file DOC, with one share
# verdict (node 1 verified).
result_blob() {
	local doc
	doc=$(hex_of "$1")
	write_hex "ac006d$(hex_str ccc/result/v1)015820$(printf '11%.0s' {1..32})0264$(hex_str demo)035830$(printf 'c0%.0s' {1..48})04815820$(printf '22%.0s' {1..32})050006426869075820$(printf '33%.0s' {1..32})081a6553f100095820$(printf '44%.0s' {1..32})0a59$(printf '%04x' $((${#doc} / 2)))${doc}0b81a201010268$(hex_str verified)" "$2"
}

@test "ccc-inspect expands the document in a result, and shows a broken one as bytes" {
	result_blob "$VERACRUZ" res
	crun -0 ccc-inspect res
	assert_stderr_empty
	# The document, indented one level, is the one printed alone.
	assert_contains "$output" "  \"attestation\": $(veracruz_json | sed '2,$s/^/  /')"
	[[ $output == *'
}' ]]
	if command -v python3 >/dev/null; then
		printf '%s\n' "$output" >res.json
		[[ $(json_get res.json attestation payload module_id) == '"i-04fd167167daacf3b-enc01845e97d0b3eb4e"' ]]
		[[ $(json_get res.json time) == 1700000000 ]]
	fi
	replace_bytes "$VERACRUZ" 932 31 leaf
	result_blob leaf bad
	crun -0 ccc-inspect bad
	assert_contains "$output" "  \"attestation\": \"$(hex_of leaf)\""
}

# ---- digests, roster ids, large integers ---------------------------------------

@test "ccc-inspect -s prints each blob's SHA-256, nested blobs and documents too" {
	local f
	crun -0 ccc-inspect -s "$KAT/roster.cbor"
	assert_stderr_empty
	assert_contains "$output" "{
  \"type\": \"ccc/roster/v1\",
  \"sha256\": \"$(sha256_of "$KAT/roster.cbor")\",
  \"roster_id\": \"$(sha256_of "$KAT/roster.cbor")\",
  \"name\": \"oracles\","
	# A sequence: each item its own.
	cat "$KAT/o1.pub" "$KAT/rk.pub" >two
	crun -0 ccc-inspect --sha256 two
	[[ $(grep -c '^  "sha256": ' <<<"$output") == 2 ]]
	assert_contains "$output" "  \"sha256\": \"$(sha256_of "$KAT/o1.pub")\","
	assert_contains "$output" "  \"sha256\": \"$(sha256_of "$KAT/rk.pub")\","
	# The certificate's nested request, and its nested enclave key's
	# document: each the SHA-256 of its own bytes.
	crun -0 ccc-inspect -s "$KAT/cert.cbor"
	assert_contains "$output" "    \"type\": \"ccc/request/v1\",
    \"sha256\": \"$(sha256_of "$KAT/request.cbor")\","
	assert_contains "$output" "      \"type\": \"ccc/enclave-key/v1\",
      \"sha256\": \"$(sha256_of "$KAT/ek.pub")\","
	# (The enclave key's last field is its document: its bytes end it.)
	tail -c +$(($(find_hex "$KAT/ek.pub" 8456a2013822) + 1)) "$KAT/ek.pub" >doc
	assert_contains "$output" "        \"type\": \"nitro-attestation\",
        \"sha256\": \"$(sha256_of doc)\","
	# A document alone.
	crun -0 ccc-inspect -s "$VERACRUZ"
	assert_contains "$output" "{
  \"type\": \"nitro-attestation\",
  \"sha256\": \"8ff485d8a838b3cacf80d323ef4a1588d500032a61878833ac33f525685a351b\","
	# Without -s, only the fingerprints of the document's two
	# certificates (its leaf and its root).
	crun -0 ccc-inspect "$KAT/cert.cbor"
	[[ $(grep -c '"sha256"' <<<"$output") == 2 ]]
	[[ $(grep -c '^ *"sha256"' <<<"$output") == 2 ]]
	crun -0 ccc-inspect -s "$KAT/cert.cbor"
	# The certificate, its request, the request's ciphertext, its enclave
	# key and the key's document; and the two fingerprints.
	[[ $(grep -c '"sha256"' <<<"$output") == 7 ]]
	assert_contains "$output" "        \"type\": \"ccc/ct/v1\",
        \"sha256\": \"$(sha256_of "$KAT/msg.ct")\","
	# In diagnostic notation, a comment after the brace (not a key).
	crun -0 ccc-inspect -ds "$KAT/roster.cbor"
	assert_contains "$output" "{ / sha256: $(sha256_of "$KAT/roster.cbor"), roster_id: $(sha256_of "$KAT/roster.cbor") /
  0 / type /: \"ccc/roster/v1\","
	crun -0 ccc-inspect -d "$KAT/o1.pub"
	assert_contains "$output" "{
  0 / type /: \"ccc/identity-pub/v1\","
}

@test "ccc-inspect shows a roster's id: the roster field of what it certifies" {
	local id
	crun -0 ccc-inspect "$KAT/roster.cbor"
	id=$(sha256_of "$KAT/roster.cbor")
	assert_contains "$output" "{
  \"type\": \"ccc/roster/v1\",
  \"roster_id\": \"$id\",
  \"name\": \"oracles\","
	[[ $(field_hex "$KAT/cert.cbor" roster) == "$id" ]]
	crun -0 ccc-inspect -d "$KAT/roster.cbor"
	assert_contains "$output" "{ / roster_id: $id /
  0 / type /: \"ccc/roster/v1\","
}

@test "ccc-inspect prints JSON integers above 2^53 - 1 as strings, and diagnostic notation as numbers" {
	local kid
	kid=$(printf '11%.0s' {1..32})
	# {0: "ccc/share/v1", 1: "P256", 2: 3, 3: EPOCH, 4: kid, 5: x}
	share() {
		write_hex "a6006c$(hex_str ccc/share/v1)0164$(hex_str P256)0203031b$1045820${kid}055820${kid}" "$2"
	}
	share 001fffffffffffff safe
	share 0020000000000000 big
	share 7fffffffffffffff max
	share 8000000000000000 over
	crun -0 ccc-inspect safe
	assert_contains "$output" '  "epoch": 9007199254740991,'
	crun -0 ccc-inspect big
	assert_contains "$output" '  "epoch": "9007199254740992",'
	crun -0 ccc-inspect max
	assert_contains "$output" '  "epoch": "9223372036854775807",'
	crun -0 ccc-inspect -d max
	assert_contains "$output" '  3 / epoch /: 9223372036854775807,'
	# An epoch is at most 2^63 - 1 (ccc(7)).
	crun -1 ccc-inspect over
	assert_stderr "ccc-inspect: invalid field: over: item 1: at byte 24: epoch: 9223372036854775808 is out of range 0..9223372036854775807"
}
