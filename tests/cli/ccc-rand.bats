#!/usr/bin/env bats
# ccc-rand: a node's public coin share of a request, t of them combined
# into the random value with its proofs, and anyone's check of it.
bats_require_minimum_version 1.5.0
load helpers

# In $BATS_FILE_TMPDIR: k (3 of 5) and kB (another 3 of 5) from the
# dealer; c1..c5, the coin shares of nodes 1-5 of k for request R; x4,
# node 4's for request R2; b1, node 1 of kB's for R; r123 and r345, the
# values combined from nodes 1-3 and 3-5.
setup_file() {
	local i
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		ccc-keygen dealer -t 3 -n 5 -d k
		ccc-keygen dealer -t 3 -n 5 -d kB
		for i in 1 2 3 4 5; do
			ccc-rand share -k k/tpk.cbor -s "k/share-$i.cbor" \
			    -I "$R" -o "c$i"
		done
		ccc-rand share -k k/tpk.cbor -s k/share-4.cbor -I "$R2" -o x4
		ccc-rand share -k kB/tpk.cbor -s kB/share-1.cbor -I "$R" -o b1
		ccc-rand combine -k k/tpk.cbor -I "$R" -o r123 c1 c2 c3
		ccc-rand combine -k k/tpk.cbor -I "$R" -o r345 c3 c4 c5
	)
}

# The request ids: SHA-256 of a text, as a consumer would fix them.
R=e3f6b971c3b8ba55439f14c27ec9f0a37da83d2829216801247c58665a7ad3ed
R2=dfee4a394957f2aef38d4b59e479ab499ec03bdac6ad29020b90e9d538835e28
export R R2

setup() {
	use_fixtures
	K=(-k fx/k/tpk.cbor -I "$R")
}

# rand_parts FILE: the hex of a 3-of-n random value's bytes before its
# shares array, then of each of its 3 shares (141 bytes each: node, u_i,
# e_i, f_i), one per line; for splicing values the tool would not make.
rand_parts() {
	local hex n i
	hex=$(hex_of "$1")
	n=${#hex}
	echo "${hex:0:n-2*(3*141+1)}"
	for i in 0 1 2; do
		echo "${hex:n-2*141*(3-i):282}"
	done
}

# ---- usage -----------------------------------------------------------------

@test "ccc-rand: usage errors exit 2 with one line, before any file is read" {
	crun -2 ccc-rand share -s fx/k/share-1.cbor -I "$R"
	assert_stderr "ccc-rand: usage: share needs -k TPK (see ccc-rand --help)"
	crun -2 ccc-rand share -k fx/k/tpk.cbor -s fx/k/share-1.cbor
	assert_stderr "ccc-rand: usage: share needs -I HEX, the request id (see ccc-rand --help)"
	crun -2 ccc-rand share "${K[@]}"
	assert_stderr "ccc-rand: usage: share needs -s SHARE (see ccc-rand --help)"
	crun -2 ccc-rand share "${K[@]}" -s fx/k/share-1.cbor extra
	assert_stderr 'ccc-rand: usage: unexpected argument "extra" (see ccc-rand --help)'
	crun -2 ccc-rand combine "${K[@]}"
	assert_stderr "ccc-rand: usage: no coin shares given (see ccc-rand --help)"
	crun -2 ccc-rand combine -k fx/k/tpk.cbor -I "${R:1}" fx/c1
	assert_stderr "ccc-rand: usage: -I: a request id is 64 hex digits (see ccc-rand --help)"
	crun -2 ccc-rand verify -k fx/k/tpk.cbor -I "${R:2}zz" fx/r123
	assert_stderr "ccc-rand: usage: -I: a request id is 64 hex digits (see ccc-rand --help)"
	crun -2 ccc-rand verify -k fx/k/tpk.cbor fx/r123 fx/r345
	assert_stderr "ccc-rand: usage: one random value at a time (see ccc-rand --help)"
	crun -2 ccc-rand combine "${K[@]}" -s fx/k/share-1.cbor fx/c1
	assert_stderr 'ccc-rand: usage: combine does not take "-s" (see ccc-rand --help)'
	assert_no_file out
}

# ---- share -----------------------------------------------------------------

@test "ccc-rand share: node i's coin share of the request, under the key" {
	crun -0 ccc-inspect fx/c2
	[[ "$(grep -o '^  "[a-z_]*"' <<<"$output" | tr -d ' "' | tr '\n' ' ')" == "type key_id epoch request_id index u_i e_i f_i " ]]
	assert_contains "$output" '"type": "ccc/coin-share/v1",'
	assert_contains "$output" '"index": 2,'
	[[ $(field_hex fx/c2 request_id) == "$R" ]] || fail "request id"
	[[ $(field_hex fx/c2 key_id) == "$(field_hex fx/k/tpk.cbor key_id)" ]] ||
	    fail "key id"
	# U^x_i is a function of the key share and the request: only the
	# proof is drawn afresh.
	crun -0 ccc-rand share "${K[@]}" -s fx/k/share-2.cbor -o again
	assert_stderr_empty
	assert_output_empty
	[[ $(field_hex again u_i) == "$(field_hex fx/c2 u_i)" ]] || fail "u_i"
	[[ $(field_hex again f_i) != "$(field_hex fx/c2 f_i)" ]] || fail "f_i"
	[[ $(field_hex fx/x4 u_i) != "$(field_hex fx/c4 u_i)" ]] ||
	    fail "another request, the same u_i"
}

@test "ccc-rand share: the key share is a secret file of this key; the output is not replaced" {
	cp fx/k/share-1.cbor loose
	chmod 644 loose
	crun -2 ccc-rand share "${K[@]}" -s loose -o out
	assert_stderr "ccc-rand: insecure permissions: loose: secret file is accessible by others (mode 644), run chmod 600"
	crun -1 ccc-rand share "${K[@]}" -s fx/kB/share-1.cbor -o out
	assert_stderr "ccc-rand: key mismatch: fx/kB/share-1.cbor: the share belongs to key $(field_hex fx/kB/tpk.cbor key_id | cut -c1-8), not to this public key"
	assert_no_file out
	cp fx/c1 out
	crun -2 ccc-rand share "${K[@]}" -s fx/k/share-1.cbor -o out
	assert_stderr "ccc-rand: refusing to overwrite: out: file exists (use -f to replace it)"
	assert_same out fx/c1
	crun -0 ccc-rand share "${K[@]}" -s fx/k/share-1.cbor -o out -f
	assert_differ out fx/c1
}

# ---- combine and verify ----------------------------------------------------

@test "ccc-rand: the value is the same whichever t nodes answer, and verifies with the public key" {
	local set s r value sigma
	value=$(field_hex fx/r123 value)
	sigma=$(field_hex fx/r123 sigma)
	((${#value} == 64 && ${#sigma} == 130)) || fail "value or sigma"
	for set in 123 124 125 134 135 145 234 235 245 345; do
		s=(${set:0:1} ${set:1:1} ${set:2:1})
		r=r$set
		crun -0 ccc-rand combine "${K[@]}" -o "$r" \
		    "fx/c${s[0]}" "fx/c${s[1]}" "fx/c${s[2]}"
		assert_stderr_empty
		assert_output_empty
		[[ $(field_hex "$r" value) == "$value" ]] ||
		    fail "nodes $set: another value"
		[[ $(field_hex "$r" sigma) == "$sigma" ]] ||
		    fail "nodes $set: another sigma"
		crun -0 ccc-rand verify -k fx/k/tpk.cbor -I "$R" "$r"
		assert_output "$value"
		assert_stderr_empty
	done
	assert_same r123 fx/r123
	assert_differ r123 r345
	# Without -I, from standard input: the request the value names.
	crun -0 bash -c 'ccc-rand verify -k fx/k/tpk.cbor < fx/r345'
	assert_output "$value"
	crun -2 bash -c 'ccc-rand verify -k fx/k/tpk.cbor fx/r345 >/dev/full'
	assert_stderr "ccc-rand: i/o error: stdout: write failed"
	crun -0 ccc-inspect fx/r123
	[[ "$(grep -o '^  "[a-z_]*"' <<<"$output" | tr -d ' "' | tr '\n' ' ')" == "type key_id epoch request_id value sigma shares " ]]
	assert_contains "$output" "\"value\": \"$value\","
}

@test "ccc-rand combine: the shares in any order, or more than t: the first t nodes, in node order" {
	crun -0 ccc-rand combine "${K[@]}" -o a fx/c3 fx/c1 fx/c2
	assert_same a fx/r123
	crun -0 ccc-rand combine "${K[@]}" -o b fx/c5 fx/c4 fx/c3 fx/c2 fx/c1
	assert_same b fx/r123
	crun -0 ccc-rand combine "${K[@]}" -o c fx/c1 fx/c1 fx/c2 fx/c3
	assert_stderr "ccc-rand: warning: node 1: fx/c1 repeats fx/c1; ignored"
	assert_same c fx/r123
}

@test "ccc-rand combine: an altered share is named and left out; t good ones still make the value" {
	local o
	o=$(field_offset fx/c2 f_i)
	flip_bit fx/c2 $((o + 5)) 0 c2.bad
	crun -0 ccc-rand combine "${K[@]}" -o r fx/c1 c2.bad fx/c3 fx/c4
	assert_stderr "ccc-rand: warning: node 2 (c2.bad): proof does not verify; not used"
	crun -0 ccc-rand combine "${K[@]}" -o want fx/c1 fx/c3 fx/c4
	assert_same r want
	crun -1 ccc-rand combine "${K[@]}" -o r2 fx/c1 c2.bad fx/c3
	assert_stderr "ccc-rand: not enough shares: 2 valid shares, 3 needed; node 2 (c2.bad): proof does not verify"
	o=$(field_offset fx/c2 u_i)
	flip_bit fx/c2 $((o + 7)) 0 c2.u
	crun -1 ccc-rand combine "${K[@]}" -o r2 fx/c1 c2.u fx/c3
	assert_stderr "ccc-rand: not enough shares: 2 valid shares, 3 needed; node 2 (c2.u): u_i: not a point on P-256"
	assert_no_file r2
}

@test "ccc-rand combine: shares of another request or key, and what is no share, are named" {
	local kb
	kb=$(field_hex fx/kB/tpk.cbor key_id | cut -c1-8)
	crun -1 ccc-rand combine "${K[@]}" -o r fx/c1 fx/x4 fx/b1 fx/k/tpk.cbor fx/c3
	assert_stderr "ccc-rand: not enough shares: 2 valid shares, 3 needed; node 4 (fx/x4): a share of request ${R2:0:8}, not of request ${R:0:8}; node 1 (fx/b1): a share made with key $kb, not this public key; fx/k/tpk.cbor: at byte 0: expected a coin share (ccc/coin-share/v1), found a threshold public key (ccc/tpk/v1)"
	crun -0 ccc-rand combine "${K[@]}" -o r fx/c1 fx/x4 fx/c2 fx/c3
	assert_stderr "ccc-rand: warning: node 4 (fx/x4): a share of request ${R2:0:8}, not of request ${R:0:8}; not used"
	assert_same r fx/r123
	head -c 5000 /dev/zero >big
	: >empty
	crun -0 ccc-rand combine "${K[@]}" -o r3 fx/c1 big empty fx/c2 fx/c3
	assert_stderr "ccc-rand: warning: big: larger than 4096 bytes; not used"$'\n'"ccc-rand: warning: empty: at byte 0: empty input, expected a coin share; not used"
	assert_same r3 fx/r123
	crun -1 ccc-rand combine "${K[@]}" -o r2 fx/c1 fx/c2
	assert_stderr "ccc-rand: not enough shares: 2 valid shares, 3 needed"
	crun -2 ccc-rand combine "${K[@]}" -o r2 fx/c1 absent fx/c2 fx/c3
	assert_stderr "ccc-rand: i/o error: absent: No such file or directory"
	assert_no_file r2
}

@test "ccc-rand verify: an altered value, sigma or share, or a value of another key or request, is refused" {
	local o kb
	o=$(field_offset fx/r123 value)
	flip_bit fx/r123 "$o" 0 rv
	crun -1 ccc-rand verify -k fx/k/tpk.cbor rv
	assert_stderr "ccc-rand: invalid field: rv: the value is not the seed of sigma"
	assert_output_empty
	o=$(field_offset fx/r123 sigma)
	flip_bit fx/r123 $((o + 9)) 0 rs
	crun -1 ccc-rand verify -k fx/k/tpk.cbor rs
	assert_stderr "ccc-rand: invalid field: rs: sigma is not the combination of the shares"
	o=$(find_hex fx/r123 "$(field_hex fx/c2 f_i)")
	flip_bit fx/r123 $((o + 3)) 6 rsh
	crun -1 ccc-rand verify -k fx/k/tpk.cbor rsh
	assert_stderr "ccc-rand: invalid share: rsh: node 2: proof does not verify"
	kb=$(field_hex fx/r123 key_id | cut -c1-8)
	crun -1 ccc-rand verify -k fx/kB/tpk.cbor fx/r123
	assert_stderr "ccc-rand: key mismatch: fx/r123: the value made with key $kb, not this public key"
	crun -1 ccc-rand verify -k fx/k/tpk.cbor -I "$R2" fx/r123
	assert_stderr "ccc-rand: invalid field: fx/r123: the value of request ${R:0:8}, not of request ${R2:0:8}"
	crun -1 ccc-rand verify -k fx/k/tpk.cbor fx/c1
	assert_stderr "ccc-rand: wrong blob type: fx/c1: at byte 0: expected a random value (ccc/rand/v1), found a coin share (ccc/coin-share/v1)"
}

@test "ccc-rand verify: exactly t shares of distinct nodes, in node order" {
	local p q
	mapfile -t p < <(rand_parts fx/r123)
	mapfile -t q < <(rand_parts fx/r345)
	write_hex "${p[0]}82${p[1]}${p[2]}" two
	crun -1 ccc-rand verify -k fx/k/tpk.cbor two
	assert_stderr "ccc-rand: not enough shares: two: 2 shares, 3 needed"
	write_hex "${p[0]}84${p[1]}${p[2]}${p[3]}${q[3]}" four
	crun -1 ccc-rand verify -k fx/k/tpk.cbor four
	assert_stderr "ccc-rand: invalid field: four: shares: 4, the key's threshold is 3"
	write_hex "${p[0]}83${p[2]}${p[1]}${p[3]}" swapped
	crun -1 ccc-rand verify -k fx/k/tpk.cbor swapped
	assert_stderr "ccc-rand: invalid field: swapped: shares: node 1 after node 2, not in ascending node order"
	write_hex "${p[0]}83${p[1]}${p[1]}${p[3]}" twice
	crun -1 ccc-rand verify -k fx/k/tpk.cbor twice
	assert_stderr "ccc-rand: invalid field: twice: shares: node 1 after node 1, not in ascending node order"
	# The splice itself is sound: the parts put back are the value.
	write_hex "${p[0]}83${p[1]}${p[2]}${p[3]}" same
	assert_same same fx/r123
}

@test "ccc-rand: a public key whose h_i lie on no polynomial of degree t-1 is refused" {
	local hex n
	# h_5 replaced by h_4: a valid point, but not where h, h_1 and h_2 put it.
	hex=$(hex_of fx/k/tpk.cbor)
	n=${#hex}
	write_hex "${hex:0:n-130}${hex:n-264:130}" bad.tpk
	crun -1 ccc-rand verify -k bad.tpk fx/r123
	assert_stderr "ccc-rand: invalid field: bad.tpk: h and the h_i lie on no polynomial of degree 2 (found at h_5)"
	assert_output_empty
	crun -1 ccc-rand combine -k bad.tpk -I "$R" -o r fx/c1 fx/c2 fx/c3
	assert_stderr "ccc-rand: invalid field: bad.tpk: h and the h_i lie on no polynomial of degree 2 (found at h_5)"
	assert_no_file r
	# The splice itself is sound: h_5 put back is the key.
	write_hex "${hex:0:n-130}${hex:n-130}" same.tpk
	assert_same same.tpk fx/k/tpk.cbor
}
