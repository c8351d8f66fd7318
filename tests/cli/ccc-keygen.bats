#!/usr/bin/env bats
# ccc-keygen: dealer keys, recipient keys, Chainlink JSON export and import.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	make_fixtures
}

setup() {
	use_fixtures
}

# ---- help, version, usage --------------------------------------------------

@test "ccc-keygen dealer: missing or out-of-range parameters exit 2 and create nothing" {
	crun -2 ccc-keygen dealer -t 2 -n 3
	assert_output_empty
	assert_stderr "ccc-keygen: usage: dealer needs -t, -n and -d (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 4 -n 3 -d k
	assert_stderr "ccc-keygen: usage: threshold 4 exceeds the 3 nodes (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 0 -n 3 -d k
	assert_stderr "ccc-keygen: usage: -t: threshold must be 1 to 255 (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 2 -n 256 -d k
	assert_stderr "ccc-keygen: usage: -n: node count must be 1 to 255 (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 2x -n 3 -d k
	assert_stderr "ccc-keygen: usage: -t: threshold must be 1 to 255 (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 2 -n 3 -d k -e -1
	assert_stderr "ccc-keygen: usage: -e: an epoch is 0 to 9223372036854775807 (2^63-1) (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 2 -n 3 -d k -e 9223372036854775808
	assert_stderr "ccc-keygen: usage: -e: an epoch is 0 to 9223372036854775807 (2^63-1) (see ccc-keygen --help)"
	crun -2 ccc-keygen dealer -t 2 -n 3 -d k extra
	assert_stderr 'ccc-keygen: usage: unexpected argument "extra" (see ccc-keygen --help)'
	assert_no_file k
}

@test "ccc-keygen recipient/import: missing parameters exit 2" {
	crun -2 ccc-keygen recipient
	assert_output_empty
	assert_stderr "ccc-keygen: usage: recipient needs -o KEY (see ccc-keygen --help)"
	crun -2 ccc-keygen recipient -o k p
	assert_stderr 'ccc-keygen: usage: unexpected argument "p" (see ccc-keygen --help)'
	crun -2 ccc-keygen import fx/k23/tpk.json
	assert_output_empty
	assert_stderr "ccc-keygen: usage: import needs -t T for a public key or -k TPK for a share (see ccc-keygen --help)"
	crun -2 ccc-keygen import -t 2 -k fx/k23/tpk.cbor fx/k23/tpk.json
	assert_output_empty
	assert_stderr "ccc-keygen: usage: import needs -t T for a public key or -k TPK for a share (see ccc-keygen --help)"
	assert_no_file k
}

# ---- dealer ------------------------------------------------------------------

@test "ccc-keygen dealer writes a public key and n shares, shares 0600" {
	crun -0 ccc-keygen dealer -t 3 -n 5 -e 7 -d k
	assert_stderr_empty
	assert_output_empty
	assert_mode 700 k
	[[ "$(ls k)" == "$(printf '%s\n' share-1.cbor share-2.cbor share-3.cbor share-4.cbor share-5.cbor tpk.cbor)" ]]
	local i
	for i in 1 2 3 4 5; do
		assert_mode 600 "k/share-$i.cbor"
		crun -0 ccc-inspect "k/share-$i.cbor"
		assert_contains "$output" "\"index\": $i,"
		assert_contains "$output" '"epoch": 7,'
		assert_contains "$output" '"x": "<secret>"'
	done
	crun -0 ccc-inspect k/tpk.cbor
	assert_stderr_empty
	[[ "${lines[1]}" == '  "type": "ccc/tpk/v1",' ]]
	assert_contains "$output" '"t": 3,'
	assert_contains "$output" '"n": 5,'
	assert_contains "$output" '"epoch": 7,'
	# Every share belongs to this key (ccc-reencrypt checks g^x_i = h_i).
	crun -0 ccc-encrypt -k k/tpk.cbor -l a -o ct fx/msg
	for i in 1 2 3 4 5; do
		crun -0 ccc-reencrypt -s "k/share-$i.cbor" -k k/tpk.cbor \
		    --to fx/rpub -o "sealed$i" ct
		assert_stderr_empty
	done
	crun -0 ccc-combine -k k/tpk.cbor -i fx/rk -c ct sealed2 sealed4 sealed5
	assert_stderr_empty
	assert_output "attack at dawn"
}

@test "ccc-keygen dealer makes a new key every time" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d a
	crun -0 ccc-keygen dealer -t 2 -n 3 -d b
	assert_differ a/tpk.cbor b/tpk.cbor
	assert_differ a/share-1.cbor b/share-1.cbor
}

@test "ccc-keygen dealer refuses to replace a key without -f (exit 2, files unchanged)" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k
	save k/tpk.cbor k/share-1.cbor k/share-3.cbor
	crun -2 ccc-keygen dealer -t 2 -n 3 -d k
	assert_output_empty
	assert_stderr "ccc-keygen: refusing to overwrite: k/tpk.cbor: file exists (use -f to replace the key in k)"
	assert_unchanged k/tpk.cbor k/share-1.cbor k/share-3.cbor
	# A stray share alone also blocks a new key.
	rm k/tpk.cbor
	crun -2 ccc-keygen dealer -t 2 -n 3 -d k
	assert_stderr "ccc-keygen: refusing to overwrite: k/share-1.cbor: file exists (use -f to replace the key in k)"
	assert_unchanged k/share-1.cbor k/share-3.cbor
	assert_no_file k/tpk.cbor
	assert_no_temp_files k
}

@test "ccc-keygen dealer -f replaces the key" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k
	save k/tpk.cbor k/share-2.cbor
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k -f
	assert_stderr_empty
	assert_differ k/tpk.cbor.saved k/tpk.cbor
	assert_differ k/share-2.cbor.saved k/share-2.cbor
	assert_mode 600 k/share-2.cbor
	assert_no_temp_files k
}

@test "ccc-keygen dealer --json also writes tpk.json, the key in Chainlink's form" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k --json
	assert_stderr_empty
	[[ -f k/tpk.json ]]
	crun -0 ccc-keygen export -o tpk.json k/tpk.cbor
	assert_same k/tpk.json tpk.json
	# Chainlink's fields: Group, G_bar, H and one HArray entry per node.
	[[ "$(cat k/tpk.json)" =~ ^\{\"Group\":\"P256\",\"G_bar\":\"[A-Za-z0-9+/]{87}=\",\"H\":\"[A-Za-z0-9+/]{87}=\",\"HArray\":\[(\"[A-Za-z0-9+/]{87}=\",){2}\"[A-Za-z0-9+/]{87}=\"\]\}$ ]]
}

@test "ccc-keygen dealer -f: a share that cannot be written leaves the old key as it was" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k --json
	save k/tpk.cbor k/tpk.json k/share-1.cbor k/share-2.cbor
	# The third share cannot be written: a directory holds its name.
	rm k/share-3.cbor
	mkdir -p k/share-3.cbor/x
	crun -2 ccc-keygen dealer -t 2 -n 3 -d k --json -f
	assert_stderr "ccc-keygen: i/o error: k/share-3.cbor: Is a directory"
	assert_output_empty
	# Refused before anything took its place: the old key is whole.
	assert_unchanged k/tpk.cbor k/tpk.json k/share-1.cbor k/share-2.cbor
	assert_no_temp_files k
	rmdir k/share-3.cbor/x k/share-3.cbor
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k -f
	[[ -f k/tpk.cbor && -f k/share-3.cbor ]]
	assert_no_file k/tpk.json
}

@test "ccc-keygen dealer -f: a rename that fails once shares are in place leaves no public key beside them" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d k --json
	save k/share-1.cbor k/share-2.cbor k/share-3.cbor
	crun -2 eio share-2.cbor ccc-keygen dealer -t 2 -n 3 -d k --json -f
	assert_stderr "ccc-keygen: i/o error: k/share-2.cbor: Input/output error"
	# The old public key went first: nothing encrypts to a key whose
	# shares were replaced (ccc-keygen(1), EXIT STATUS).
	assert_no_file k/tpk.cbor k/tpk.json
	assert_differ k/share-1.cbor.saved k/share-1.cbor
	assert_unchanged k/share-2.cbor k/share-3.cbor
	assert_no_temp_files k
	# Without -f, a new key's shares are taken back: nothing is left.
	crun -2 eio share-2.cbor ccc-keygen dealer -t 2 -n 3 -d new
	assert_stderr "ccc-keygen: i/o error: new/share-2.cbor: Input/output error"
	assert_no_file new/share-1.cbor new/share-2.cbor new/share-3.cbor \
	    new/tpk.cbor
	assert_no_temp_files new
	crun -0 ccc-keygen dealer -t 2 -n 3 -d new
}

# ---- recipient ---------------------------------------------------------------

@test "ccc-keygen recipient writes a 0600 secret key and its public key" {
	crun -0 ccc-keygen recipient -o key -p pub
	assert_stderr_empty
	assert_output_empty
	assert_mode 600 key
	crun -0 ccc-inspect key
	[[ "${lines[1]}" == '  "type": "ccc/recipient-key/v1",' ]]
	assert_contains "$output" '"sk": "<secret>"'
	local pk
	pk=$(field_hex key pk)
	crun -0 ccc-inspect pub
	assert_output "$(printf '{\n  "type": "ccc/recipient-pub/v1",\n  "pk": "%s"\n}' "$pk")"
	# The pair works: shares sealed to pub open with key.
	crun -0 ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor \
	    --to pub -c app1 -o a fx/ct.l
	crun -0 ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor \
	    --to pub -c app1 -o b fx/ct.l
	crun -0 ccc-combine -k fx/k23/tpk.cbor -i key -c fx/ct.l a b
	assert_output "attack at dawn"
}

@test "ccc-keygen recipient without -p writes the public key to stdout" {
	crun -0 bash -c 'ccc-keygen recipient -o key > pub'
	assert_stderr_empty
	crun -0 ccc-inspect pub
	assert_contains "$output" "\"pk\": \"$(field_hex key pk)\""
}

@test "ccc-keygen recipient refuses an existing key file (exit 2, nothing written)" {
	echo old >key
	chmod 600 key
	save key
	crun -2 ccc-keygen recipient -o key -p pub
	assert_stderr "ccc-keygen: refusing to overwrite: key: file exists (use -f to replace it)"
	assert_unchanged key
	assert_no_file pub
	assert_no_temp_files .
}

@test "ccc-keygen recipient -o EXISTING refuses before it prints the public key" {
	# A dangling symlink passes the early check; the commit refuses it.
	ln -s nowhere/key key
	crun -2 ccc-keygen recipient -o key
	assert_output_empty
	assert_stderr "ccc-keygen: refusing to overwrite: key: file exists (use -f to replace it)"
	[[ -L key ]]
	assert_no_temp_files .
}

@test "ccc-keygen recipient refuses an existing public file and then makes no key" {
	echo old >pub
	save pub
	crun -2 ccc-keygen recipient -o key -p pub
	assert_stderr "ccc-keygen: refusing to overwrite: pub: file exists (use -f to replace it)"
	assert_unchanged pub
	assert_no_file key
	assert_no_temp_files .
}

@test "ccc-keygen recipient -f replaces both files" {
	echo old >key
	chmod 600 key
	echo old >pub
	save key pub
	crun -0 ccc-keygen recipient -o key -p pub -f
	assert_stderr_empty
	assert_mode 600 key
	crun -0 ccc-inspect pub
	assert_contains "$output" "\"pk\": \"$(field_hex key pk)\""
}

@test "ccc-keygen recipient: -p naming the key's own file is refused, even spelt otherwise, even with -f" {
	crun -2 ccc-keygen recipient -o same -p same -f
	assert_stderr "ccc-keygen: usage: same: the public key would replace its own secret key (give the two files different names) (see ccc-keygen --help)"
	assert_no_file same
	# Another spelling of a new file: the key is erased, nothing is left.
	crun -2 ccc-keygen recipient -o same -p ./same -f
	assert_stderr "ccc-keygen: usage: same: the public key would replace its own secret key (give the two files different names) (see ccc-keygen --help)"
	assert_no_file same
	assert_no_temp_files .
	# Of an existing key: refused before anything is written.
	crun -0 ccc-keygen recipient -o key -p pub
	save key
	crun -2 ccc-keygen recipient -o key -p ./key -f
	assert_stderr "ccc-keygen: usage: key: the public key would replace its own secret key (give the two files different names) (see ccc-keygen --help)"
	assert_unchanged key
	assert_mode 600 key
}

@test "ccc-keygen recipient: a public key that cannot be written leaves no key behind" {
	crun -2 bash -c 'ccc-keygen recipient -o key >/dev/full'
	assert_stderr "ccc-keygen: i/o error: stdout: No space left on device"
	assert_no_file key
	assert_no_temp_files .
	# So the same command can be run again.
	crun -0 bash -c 'ccc-keygen recipient -o key >pub'
	crun -0 ccc-inspect pub
	assert_contains "$output" "\"pk\": \"$(field_hex key pk)\""
}

@test "ccc-keygen recipient -f: a public file that cannot be written leaves the old key as it was" {
	crun -0 ccc-keygen recipient -o key -p pub
	save key
	rm pub
	mkdir -p pub/x
	crun -2 ccc-keygen recipient -o key -p pub -f
	assert_stderr "ccc-keygen: i/o error: pub: Is a directory"
	assert_unchanged key
	assert_no_temp_files .
}

@test "ccc-keygen recipient -f: a failed rename never leaves a key beside another key's public half" {
	crun -0 ccc-keygen recipient -o key -p pub
	save key pub
	# The public file's rename fails: the new key is in place, the old
	# public file gone before it (the key holds its public half).
	crun -2 eio pub ccc-keygen recipient -o key -p pub -f
	assert_stderr "ccc-keygen: i/o error: pub: Input/output error"
	[[ -f key ]]
	assert_differ key.saved key
	assert_mode 600 key
	assert_no_file pub
	assert_no_temp_files .
	# The key's rename fails: the old key stays, without its public file.
	cp key.saved key
	cp pub.saved pub
	crun -2 eio key ccc-keygen recipient -o key -p pub -f
	assert_stderr "ccc-keygen: i/o error: key: Input/output error"
	assert_unchanged key
	assert_no_file pub
	assert_no_temp_files .
	crun -0 ccc-keygen recipient -o key -p pub -f
	crun -0 ccc-inspect pub
	assert_contains "$output" "\"pk\": \"$(field_hex key pk)\""
}

@test "ccc-keygen identity -f: a public key that cannot be printed does not take the new key away" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	crun -0 ccc-keygen identity -o key -p pub -N alice
	save key
	crun -2 bash -c 'ccc-keygen identity -o key -N alice -f >/dev/full'
	assert_stderr "ccc-keygen: i/o error: stdout: No space left on device"
	# The old key was replaced: the new one stays (its public half is in
	# it), rather than both being lost.
	[[ -f key ]]
	assert_differ key.saved key
	assert_mode 600 key
}

@test "ccc-keygen recipient with standard output closed makes no key" {
	crun -2 bash -c 'ccc-keygen recipient -o key >&-'
	assert_stderr "ccc-keygen: i/o error: stdout: standard output is closed"
	assert_no_file key
	assert_no_temp_files .
	# A public file needs no standard output.
	crun -0 bash -c 'ccc-keygen recipient -o key -p pub >&-'
	[[ -f key && -f pub ]]
}

@test "ccc-keygen recipient refuses to write the public key to a terminal and then makes no key" {
	command -v script >/dev/null || skip "script(1) is not installed"
	crun -2 script -qec "ccc-keygen recipient -o key 2>err" /dev/null
	[[ "$(cat err)" == "ccc-keygen: usage: refusing to write binary output to a terminal (use -o FILE or redirect) (see ccc-keygen --help)" ]]
	assert_no_file key
}

@test "ccc-keygen export writes a share to a pipe but never to a terminal; a public key goes anywhere" {
	command -v script >/dev/null || skip "script(1) is not installed"
	crun -2 script -qec "ccc-keygen export fx/k23/share-1.cbor 2>err" /dev/null
	[[ "$(cat err)" == "ccc-keygen: usage: refusing to write secret output to a terminal (use -o FILE or redirect) (see ccc-keygen --help)" ]]
	crun -0 script -qec "ccc-keygen export fx/k23/tpk.cbor 2>err" /dev/null
	[[ ! -s err ]]
	assert_contains "$output" '{"Group":"P256","G_bar":"'
	crun -0 ccc-keygen export fx/k23/share-1.cbor
	assert_contains "$output" '{"Group":"P256","Index":0,"V":"'
}

# ---- export ------------------------------------------------------------------

@test "ccc-keygen export: a public key to Chainlink JSON" {
	crun -0 ccc-keygen export -o tpk.json fx/k23/tpk.cbor
	assert_stderr_empty
	assert_same tpk.json fx/k23/tpk.json
	# Standard input to standard output (JSON is text: allowed anywhere).
	crun -0 bash -c 'ccc-keygen export < fx/k23/tpk.cbor'
	assert_stderr_empty
	assert_output "$(cat fx/k23/tpk.json)"
}

@test "ccc-keygen export: a key share to Chainlink JSON, 0600, Index counting from 0" {
	local i x
	for i in 1 2 3; do
		crun -0 ccc-keygen export -o "share$i.json" "fx/k23/share-$i.cbor"
		assert_stderr_empty
		assert_mode 600 "share$i.json"
		# V is the base64 of x, the share's last 32 bytes.
		x=$(tail -c 32 "fx/k23/share-$i.cbor" | base64 -w0)
		[[ "$(cat "share$i.json")" == "{\"Group\":\"P256\",\"Index\":$((i - 1)),\"V\":\"$x\"}" ]]
	done
}

@test "ccc-keygen export refuses a share file that others can read (exit 2)" {
	cp fx/k23/share-1.cbor share
	chmod 644 share
	crun -2 ccc-keygen export -o share.json share
	assert_stderr "ccc-keygen: insecure permissions: share: secret file is accessible by others (mode 644), run chmod 600"
	assert_no_file share.json
}

@test "ccc-keygen export refuses other blob types (exit 1)" {
	crun -1 ccc-keygen export -o out.json fx/ct.l
	assert_stderr "ccc-keygen: wrong blob type: fx/ct.l: expected a threshold public key or a key share"
	crun -1 ccc-keygen export -o out.json fx/rpub
	assert_stderr "ccc-keygen: wrong blob type: fx/rpub: expected a threshold public key or a key share"
	assert_no_file out.json
}

@test "ccc-keygen export refuses a damaged public key (exit 1)" {
	head -c 200 fx/k23/tpk.cbor >short
	crun -1 ccc-keygen export -o out.json short
	assert_stderr "ccc-keygen: truncated input: short: at byte 197: array of 3 items runs past the end of the input"
	{ cat fx/k23/tpk.cbor; printf x; } >long
	crun -1 ccc-keygen export -o out.json long
	assert_stderr "ccc-keygen: malformed input: long: at byte $(size_of fx/k23/tpk.cbor): 1 trailing bytes after the threshold public key"
	assert_no_file out.json
}

@test "ccc-keygen export refuses to overwrite without -f and replaces with -f" {
	echo old >out.json
	save out.json
	crun -2 ccc-keygen export -o out.json fx/k23/tpk.cbor
	assert_stderr "ccc-keygen: refusing to overwrite: out.json: file exists (use -f to replace it)"
	assert_unchanged out.json
	crun -0 ccc-keygen export -f -o out.json fx/k23/tpk.cbor
	assert_same out.json fx/k23/tpk.json
}

# ---- import ------------------------------------------------------------------

@test "ccc-keygen import -t: Chainlink public key JSON round-trips" {
	crun -0 ccc-keygen import -t 2 -o tpk.cbor fx/k23/tpk.json
	assert_stderr_empty
	crun -0 ccc-inspect tpk.cbor
	assert_contains "$output" '"t": 2,'
	assert_contains "$output" '"n": 3,'
	assert_contains "$output" '"epoch": 0,'
	# The points are the original key's.
	[[ "$(field_hex tpk.cbor h)" == "$(field_hex fx/k23/tpk.cbor h)" ]]
	[[ "$(field_hex tpk.cbor g_bar)" == "$(field_hex fx/k23/tpk.cbor g_bar)" ]]
	crun -0 ccc-keygen export -o back.json tpk.cbor
	assert_same back.json fx/k23/tpk.json
}

@test "ccc-keygen import -k: Chainlink share JSON round-trips, 0600" {
	local i
	crun -0 ccc-keygen import -t 2 -o tpk.cbor fx/k23/tpk.json
	for i in 1 2 3; do
		crun -0 ccc-keygen export -o "in$i.json" "fx/k23/share-$i.cbor"
		crun -0 ccc-keygen import -k tpk.cbor -o "share$i.cbor" "in$i.json"
		assert_stderr_empty
		assert_mode 600 "share$i.cbor"
		crun -0 ccc-keygen export -o "back$i.json" "share$i.cbor"
		assert_same "back$i.json" "in$i.json"
	done
}

@test "ccc-keygen import: the imported key encrypts and its imported shares decrypt" {
	local i
	crun -0 ccc-keygen import -t 2 -o tpk.cbor fx/k23/tpk.json
	for i in 1 3; do
		crun -0 ccc-keygen export -o "in$i.json" "fx/k23/share-$i.cbor"
		crun -0 ccc-keygen import -k tpk.cbor -o "share$i.cbor" "in$i.json"
	done
	crun -0 ccc-encrypt -k tpk.cbor -l app -o ct fx/msg
	crun -0 ccc-reencrypt -s share1.cbor -k tpk.cbor --to fx/rpub -c app -o s1 ct
	crun -0 ccc-reencrypt -s share3.cbor -k tpk.cbor --to fx/rpub -c app -o s3 ct
	crun -0 ccc-combine -k tpk.cbor -i fx/rk -c ct s1 s3 -o out
	assert_stderr_empty
	assert_same out fx/msg
	# Ciphertexts made with the original key decrypt with the imported
	# key too (Chainlink keys have no key id: it is the same group key).
	crun -0 ccc-encrypt -k fx/k23/tpk.cbor --json -o orig.json fx/msg
	crun -0 ccc-encrypt -k tpk.cbor --from-json -o orig.ct orig.json
	crun -0 ccc-reencrypt -U -s share1.cbor -k tpk.cbor --to fx/rpub -o o1 orig.ct
	crun -0 ccc-reencrypt -U -s share3.cbor -k tpk.cbor --to fx/rpub -o o3 orig.ct
	crun -0 ccc-combine -k tpk.cbor -i fx/rk -c orig.ct o1 o3 -o out2
	assert_same out2 fx/msg
}

@test "ccc-keygen import -t: a threshold beyond the JSON's nodes exits 2" {
	crun -2 ccc-keygen import -t 4 -o tpk.cbor fx/k23/tpk.json
	assert_stderr "ccc-keygen: usage: fx/k23/tpk.json: threshold 4 is not within 1..3 (see ccc-keygen --help)"
	assert_no_file tpk.cbor
}

@test "ccc-keygen import: malformed JSON exits 1" {
	printf '{"Group":"P256"' >bad.json
	crun -1 ccc-keygen import -t 2 -o tpk.cbor bad.json
	assert_stderr "ccc-keygen: malformed input: bad.json: at byte 15: public key JSON: expected }"
	sed 's/"Group":"P256"/"Group":"P384"/' fx/k23/tpk.json >p384.json
	crun -1 ccc-keygen import -t 2 -o tpk.cbor p384.json
	assert_stderr "ccc-keygen: invalid field: p384.json: public key JSON: unsupported group (only P256)"
	# H replaced by a string that is not a point.
	sed 's/"H":"[^"]*"/"H":"BAAA"/' fx/k23/tpk.json >h.json
	crun -1 ccc-keygen import -t 2 -o tpk.cbor h.json
	assert_stderr "ccc-keygen: invalid field: h.json: public key JSON: H: not base64 of 65 bytes"
	assert_no_file tpk.cbor
}

@test "ccc-keygen import -k: a share of another key is refused (exit 1)" {
	crun -0 ccc-keygen export -o b1.json fx/kB/share-1.cbor
	crun -1 ccc-keygen import -k fx/k23/tpk.cbor -o share.cbor b1.json
	assert_stderr "ccc-keygen: key mismatch: b1.json: the share of node 1 does not match h_1 of the public key"
	assert_no_file share.cbor
}

@test "ccc-keygen import -k: wrong key type or an insecure share file is refused" {
	crun -0 ccc-keygen export -o s1.json fx/k23/share-1.cbor
	crun -1 ccc-keygen import -k fx/k23/share-1.cbor -o share.cbor s1.json
	assert_stderr "ccc-keygen: wrong blob type: fx/k23/share-1.cbor: at byte 0: expected a threshold public key (ccc/tpk/v1), found a key share (ccc/share/v1)"
	chmod 644 s1.json
	crun -2 ccc-keygen import -k fx/k23/tpk.cbor -o share.cbor s1.json
	assert_stderr "ccc-keygen: insecure permissions: s1.json: secret file is accessible by others (mode 644), run chmod 600"
	assert_no_file share.cbor
}

@test "ccc-keygen import refuses to overwrite without -f and replaces with -f" {
	echo old >tpk.cbor
	save tpk.cbor
	crun -2 ccc-keygen import -t 2 -o tpk.cbor fx/k23/tpk.json
	assert_stderr "ccc-keygen: refusing to overwrite: tpk.cbor: file exists (use -f to replace it)"
	assert_unchanged tpk.cbor
	crun -0 ccc-keygen import -t 2 -f -o tpk.cbor fx/k23/tpk.json
	assert_stderr_empty
	crun -0 ccc-inspect tpk.cbor
	assert_contains "$output" '"t": 2,'
}

@test "ccc-keygen: an unreadable input is an i/o error (exit 2)" {
	crun -2 ccc-keygen export -o out.json nonexistent
	assert_stderr "ccc-keygen: i/o error: nonexistent: No such file or directory"
	crun -2 ccc-keygen import -t 2 -o out.cbor nonexistent
	assert_stderr "ccc-keygen: i/o error: nonexistent: No such file or directory"
	assert_no_file out.json out.cbor
}

@test "ccc-keygen export: a failed write to standard output is an i/o error (exit 2)" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	crun -2 bash -c 'ccc-keygen export fx/k23/tpk.cbor > /dev/full'
	assert_stderr "ccc-keygen: i/o error: stdout: No space left on device"
}
