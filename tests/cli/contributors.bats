#!/usr/bin/env bats
# Level 4's contributors: ccc-quorum-sign contributors (a contributor list
# the oracles certify), ccc-encrypt --additive -I (contributions: inputs
# signed by their contributors), and a node's -C: only listed
# contributors' inputs, checked before any proof, a floor of distinct
# contributors, the list certified, for the request's app and valid; the
# aggregate, --verify and ccc-combine over contributions.  (The padding
# attack itself is in aggregate.bats.)
bats_require_minimum_version 1.5.0
load helpers
load aggregate-helpers

setup_file() {
	aggregate_fixtures
}

setup() {
	aggregate_setup
	MODE=(-C fx/list.cert -m 3)
}

YEAR=$((365 * 86400))

# inner CONTRIBUTION OUT: the additive input a contribution carries.
inner() {
	local hex len
	hex=$(hex_of "$1")
	# a4, key 0 and its 19-byte type, key 1, 59 and the input's length
	[[ ${hex:0:6} == a40073 && ${hex:44:4} == 0159 ]] || return 1
	len=$((16#${hex:48:4}))
	write_hex "${hex:52:len*2}" "$2"
}

# ed25519_verify PK SIG PURPOSE FILE: OpenSSL verifies SIG (hex) by PK
# (hex) over "ccc/sig/v1" 0 PURPOSE 0 SHA-256(FILE), as ccc(7) says.
ed25519_verify() {
	printf 'ccc/sig/v1\0%s\0' "$3" >msg
	write_hex "$(sha256sum "$4" | cut -c1-64)" digest
	cat digest >>msg
	# SubjectPublicKeyInfo of an Ed25519 key (RFC 8410)
	write_hex "302a300506032b6570032100$1" pub.der
	write_hex "$2" sig.bin
	crun -0 openssl pkeyutl -verify -rawin -pubin -inkey pub.der \
	    -keyform DER -in msg -sigfile sig.bin
}

# wrap INPUT KEY OUT: INPUT (an additive input) in a contribution signed
# with the identity secret key KEY, by OpenSSL: Ed25519 over
# "ccc/sig/v1" 0 "ccc/contribution/v1" 0 SHA-256(INPUT), as ccc(7) says.
wrap() {
	local sk pk len
	sk=$(ccc-inspect --show-secrets "$2" | sed -n 's/^  "sk": "\(.*\)",$/\1/p')
	pk=${sk:64:64}
	printf 'ccc/sig/v1\0ccc/contribution/v1\0' >msg
	write_hex "$(sha256sum "$1" | cut -c1-64)" digest
	cat digest >>msg
	# PKCS#8 of an Ed25519 seed (RFC 8410)
	write_hex "302e020100300506032b657004220420${sk:0:64}" key.der
	openssl pkeyutl -sign -rawin -inkey key.der -keyform DER -in msg \
	    -out sig || return 1
	len=$(size_of "$1")
	write_hex "a40073$(hex_str ccc/contribution/v1)0159$(printf %04x "$len")$(hex_of "$1")025820${pk}035840$(hex_of sig)" "$3"
}

# ---- the list ------------------------------------------------------------------

@test "contributors: ccc-quorum-sign contributors lists identity keys by key, valid a year by default" {
	crun -0 ccc-quorum-sign contributors -a pool --not-before 1000 -o l \
	    c2=fx/c2.pub c1=fx/c1.pub
	assert_output_empty
	assert_stderr_empty
	crun -0 ccc-inspect l
	local k1 k2 one two
	k1=$(ccc-inspect fx/c1.pub | sed -n 's/^  "pk": "\(.*\)",$/\1/p')
	k2=$(ccc-inspect fx/c2.pub | sed -n 's/^  "pk": "\(.*\)",$/\1/p')
	one=$(printf '    {\n      "pk": "%s",\n      "name": "c1"\n    }' "$k1")
	two=$(printf '    {\n      "pk": "%s",\n      "name": "c2"\n    }' "$k2")
	if [[ $k2 < $k1 ]]; then
		local t=$one
		one=$two
		two=$t
	fi
	assert_output "$(printf '{\n  "type": "ccc/contributors/v1",\n  "app_id": "pool",\n  "not_before": 1000,\n  "not_after": %d,\n  "contributors": [\n%s,\n%s\n  ]\n}' $((1000 + YEAR)) "$one" "$two")"
	# The same list whatever the order of the arguments.
	crun -0 ccc-quorum-sign contributors -a pool --not-before 1000 -o l2 \
	    c1=fx/c1.pub c2=fx/c2.pub
	assert_same l2 l
	crun -0 ccc-quorum-sign contributors -a pool --not-before 1000 \
	    --not-after 2000 -o l3 c1=fx/c1.pub
	crun -0 ccc-inspect l3
	assert_contains "$output" $'"not_before": 1000,\n  "not_after": 2000,'
	# A year after the latest not_before a clock gives: the largest.
	crun -0 ccc-quorum-sign contributors -a pool \
	    --not-before $((9223372036854775807 - 1000)) -o l4 c1=fx/c1.pub
	crun -0 ccc-inspect l4
	assert_contains "$output" $'"not_before": "9223372036854774807",\n  "not_after": "9223372036854775807",'
	# Not before now by default.
	local before after nb
	before=$(date +%s)
	crun -0 ccc-quorum-sign contributors -a pool -o l5 c1=fx/c1.pub
	after=$(date +%s)
	nb=$(ccc-inspect l5 | sed -n 's/^  "not_before": \([0-9]*\),$/\1/p')
	((nb >= before && nb <= after)) || fail "not_before $nb, not now"
}

@test "contributors: ccc-quorum-sign contributors refuses a bad list (exit 1 or 2)" {
	crun -2 ccc-quorum-sign contributors -o l c1=fx/c1.pub
	assert_stderr "ccc-quorum-sign: usage: contributors needs -a and NAME=PUB arguments (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign contributors -a pool -o l
	assert_stderr "ccc-quorum-sign: usage: contributors needs -a and NAME=PUB arguments (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign contributors -a 'a b' -o l c1=fx/c1.pub
	assert_stderr "ccc-quorum-sign: usage: -a: app_id: byte 1 (0x20) is not a letter, digit, '.', '_' or '-' (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign contributors -a pool -o l fx/c1.pub
	assert_stderr 'ccc-quorum-sign: usage: "fx/c1.pub": expected NAME=PUB (see ccc-quorum-sign --help)'
	crun -2 ccc-quorum-sign contributors -a pool -o l 'c 1=fx/c1.pub'
	assert_stderr "ccc-quorum-sign: usage: a contributor's name: byte 1 (0x20) is not a letter, digit, '.', '_' or '-' (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign contributors -a pool --not-before 10 \
	    --not-after 10 -o l c1=fx/c1.pub
	assert_stderr "ccc-quorum-sign: usage: --not-after must be later than --not-before (or now) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign contributors -a pool --now 5 -o l c1=fx/c1.pub
	assert_stderr 'ccc-quorum-sign: usage: contributors does not take "--now" (see ccc-quorum-sign --help)'
	crun -1 ccc-quorum-sign contributors -a pool -o l c1=fx/c1.pub \
	    again=fx/c1.pub
	assert_stderr "ccc-quorum-sign: duplicate: the key of again is given again for c1"
	crun -1 ccc-quorum-sign contributors -a pool -o l c1=fx/c1.key
	assert_stderr "ccc-quorum-sign: wrong blob type: fx/c1.key: expected an identity public key (ccc/identity-pub/v1), not a secret key"
	crun -1 ccc-quorum-sign contributors -a pool -o l c1=fx/k23/tpk.cbor
	assert_contains "$stderr" "ccc-quorum-sign: wrong blob type: fx/k23/tpk.cbor: "
	assert_no_file l
}

@test "contributors: an oracle certifies a list under its own purpose, only while it is valid" {
	ccc-quorum-sign contributors -a pool --not-before $NOW -o l c1=fx/c1.pub
	crun -0 ccc-quorum-sign sign -i fx/oracle-1.key --now $NOW -o sig l
	crun -0 ccc-inspect sig
	assert_contains "$output" '"blob_type": "ccc/contributors/v1",'
	# Its signature is Ed25519 over "ccc/sig/v1" 0 "ccc/oracle/v1:" type
	# 0 SHA-256(list): another purpose than a contribution's.
	local pk s
	pk=$(ccc-inspect fx/oracle-1.pub | sed -n 's/^  "pk": "\(.*\)",$/\1/p')
	s=$(ccc-inspect sig | sed -n 's/^  "sig": "\(.*\)"$/\1/p')
	ed25519_verify "$pk" "$s" ccc/oracle/v1:ccc/contributors/v1 l
	# Not yet valid (more than 300 s ahead), or expired: not signed.
	crun -1 ccc-quorum-sign sign -i fx/oracle-1.key --now $((NOW - 301)) \
	    -o sig2 l
	assert_stderr "ccc-quorum-sign: expired: l: the contributor list of app \"pool\" is valid from $(utc $NOW) to $(utc $((NOW + YEAR))), not at $(utc $((NOW - 301)))"
	crun -1 ccc-quorum-sign sign -i fx/oracle-1.key --now $((NOW + YEAR)) \
	    -o sig2 l
	assert_stderr "ccc-quorum-sign: expired: l: the contributor list of app \"pool\" is valid from $(utc $NOW) to $(utc $((NOW + YEAR))), not at $(utc $((NOW + YEAR)))"
	assert_no_file sig2
	crun -0 ccc-quorum-sign sign -i fx/oracle-1.key --now $((NOW - 300)) \
	    -o sig2 l
}

# ---- contributions -------------------------------------------------------------

@test "contributors: ccc-encrypt --additive -I makes contributions: the input, the key, its signature" {
	crun -0 ccc-encrypt "${K[@]}" --additive -B 8 -l p -I fx/c1.key \
	    -o c.cbor <<<$'5\n6'
	assert_stderr_empty
	crun -0 ccc-inspect c.cbor
	(($(grep -c '^  "type": "ccc/contribution/v1",$' <<<"$output") == 2)) ||
	    fail "two contributions"
	assert_contains "$output" $'"input": {\n    "type": "ccc/additive/v2",'
	assert_contains "$output" "\"contributor\": \"$(ccc-inspect fx/c1.pub | sed -n 's/^  "pk": "\(.*\)",$/\1/p')\","
	# The signature verifies under OpenSSL, as ccc(7) spells it.
	ccc-encrypt "${K[@]}" --additive -B 8 -l p -I fx/c1.key -o one.cbor <<<7
	inner one.cbor in.cbor
	crun -0 ccc-inspect in.cbor
	assert_contains "$output" '"type": "ccc/additive/v2",'
	local hex pk s
	hex=$(hex_of one.cbor)
	pk=${hex: -198:64}
	s=${hex: -128}
	ed25519_verify "$pk" "$s" ccc/contribution/v1 in.cbor
	# OpenSSL's contribution of the same input is the same bytes.
	wrap in.cbor fx/c1.key again.cbor
	assert_same again.cbor one.cbor
	# Aggregated, the input inside is what counts.
	crun -0 ccc-aggregate "${K[@]}" -o a1.cbor one.cbor
	crun -0 ccc-aggregate "${K[@]}" -o a2.cbor in.cbor
	assert_same a1.cbor a2.cbor
}

@test "contributors: -I takes an identity secret key from a file, with --additive only" {
	crun -2 ccc-encrypt "${K[@]}" -I fx/c1.key -l p <<<5
	assert_stderr "ccc-encrypt: usage: -I applies to --additive (see ccc-encrypt --help)"
	crun -1 ccc-encrypt "${K[@]}" --additive -B 8 -l p -I fx/c1.pub \
	    -o c.cbor <<<5
	assert_stderr "ccc-encrypt: wrong blob type: fx/c1.pub: at byte 0: expected a secret key, found an identity public key (ccc/identity-pub/v1)"
	cp fx/c1.key open.key
	chmod 644 open.key
	crun -2 ccc-encrypt "${K[@]}" --additive -B 8 -l p -I open.key \
	    -o c.cbor <<<5
	assert_contains "$stderr" "ccc-encrypt: insecure permissions: open.key: "
	crun -2 ccc-encrypt "${K[@]}" --additive -B 8 -l p -I absent \
	    -o c.cbor <<<5
	assert_stderr "ccc-encrypt: i/o error: absent: No such file or directory"
	assert_no_file c.cbor
}

@test "contributors: a contribution whose signature does not hold is refused wherever it is read" {
	BY=c1 inputs p 8 a 5
	BY=c2 inputs p 8 b 6
	local n
	n=$(size_of a-1.cbor)
	flip_bit a-1.cbor $((n - 1)) 0 bad.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor b-1.cbor bad.cbor
	assert_stderr "ccc-aggregate: bad signature: bad.cbor: item 1: the contribution's signature does not verify"
	assert_no_file agg.cbor
	# Another contributor's input under c1's signature.
	inner b-1.cbor b.in
	inner a-1.cbor a.in
	local ha hb
	ha=$(hex_of a-1.cbor)
	hb=$(hex_of b.in)
	write_hex "${ha:0:48}$(printf %04x "$(size_of b.in)")$hb${ha: -204}" swap.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor swap.cbor
	assert_stderr "ccc-aggregate: bad signature: swap.cbor: item 1: the contribution's signature does not verify"
	# A node, and anyone re-verifying a result.
	ccc-aggregate "${K[@]}" -o good.cbor a-1.cbor b-1.cbor
	crun -1 node 1 good.cbor b-1.cbor bad.cbor
	assert_stderr "ccc-aggregate: bad signature: bad.cbor: item 1: the contribution's signature does not verify"
	assert_no_file share-1.cbor node-1
	MODE=(-C fx/list.cert -m 2)
	sums good.cbor a-1.cbor b-1.cbor
	assert_output 11
	crun -1 ccc-aggregate --verify sum.cbor "${K[@]}" a-1.cbor bad.cbor
	assert_stderr "ccc-aggregate: bad signature: bad.cbor: item 1: the contribution's signature does not verify"
	assert_output_empty
}

# ---- a node with a contributor list --------------------------------------------

@test "contributors: three listed contributors' inputs are released with -C -m 3; the result re-verifies" {
	BY=c1 inputs p 8 a 40
	BY=c2 inputs p 8 b 5
	BY=c3 inputs p 8 c 3
	cat a-1.cbor b-1.cbor c-1.cbor >all.cbor
	crun -0 ccc-aggregate "${K[@]}" -l p -o agg.cbor all.cbor
	sums agg.cbor all.cbor
	assert_output 48
	# ccc-combine reads the aggregate and the shares: no input.
	crun -0 ccc-inspect sum.cbor
	assert_contains "$output" '"type": "ccc/agg-result/v1",'
	# The record and the log name the inputs inside.
	inner a-1.cbor a.in
	ccc-inspect node-1/access.log >entry.txt
	grep -q "\"$(sha256sum a.in | cut -c1-64)\"" entry.txt || fail "$(cat entry.txt)"
	# Two of them, and c1 again: two contributors.
	BY=c1 inputs p 8 d 7
	ccc-aggregate "${K[@]}" -o two.cbor a-1.cbor b-1.cbor d-1.cbor
	crun -1 node 2 two.cbor a-1.cbor b-1.cbor d-1.cbor
	assert_stderr "ccc-aggregate: refused by policy: two.cbor: 2 contributors, fewer than the floor of 3"
	assert_no_file share-2.cbor node-2
	MODE=(-C fx/list.cert -m 2)
	crun -0 node 2 two.cbor a-1.cbor b-1.cbor d-1.cbor
}

@test "contributors: inputs from outside the list cost the node no proof" {
	BY=c1 inputs p 4 a 3
	BY=c2 inputs p 4 b 4
	BY=c4 inputs p 4 x 5
	inputs p 4 y 6
	# A forged range proof in each input from outside: named as outside.
	local i at
	for i in x y; do
		at=$(find_hex $i-1.cbor "$(elem_hex $i-1.cbor proofs)")
		flip_bit $i-1.cbor $((at + 650 + 31)) 0 $i-bad.cbor
	done
	BY=c3 inputs p 4 c 1
	at=$(find_hex c-1.cbor "$(elem_hex c-1.cbor proofs)")
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor b-1.cbor c-1.cbor
	crun -1 node 1 agg.cbor a-1.cbor b-1.cbor x-bad.cbor
	assert_stderr "ccc-aggregate: refused by policy: x-bad.cbor: item 1: signed by $(pk_hex fx/c4.pub)..., not a contributor of app \"pool\""
	crun -1 node 1 agg.cbor y-bad.cbor a-1.cbor b-1.cbor
	assert_stderr 'ccc-aggregate: refused by policy: y-bad.cbor: item 1: not a contribution (ccc/contribution/v1): only contributors of app "pool" count'
	# A listed contributor's forged proof: refused by the floor first
	# if the contributors are too few, else by the proofs.
	inner c-1.cbor c.in
	flip_bit c.in $((at - 26 + 650 + 31)) 0 c-forged.in
	wrap c-forged.in fx/c1.key c1-forged.cbor
	crun -1 node 1 agg.cbor a-1.cbor c1-forged.cbor
	assert_stderr "ccc-aggregate: refused by policy: agg.cbor: 1 contributor, fewer than the floor of 3"
	wrap c-forged.in fx/c3.key c-forged.cbor
	crun -1 node 1 agg.cbor a-1.cbor b-1.cbor c-forged.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: c-forged.cbor: item 1: range proof does not verify"
	assert_no_file share-1.cbor node-1
}

@test "contributors: an input signed by another contributor counts once, for the signer" {
	BY=c1 inputs p 8 a 40
	BY=c2 inputs p 8 b 5
	BY=c3 inputs p 8 c 3
	# c1 wraps c2's input in a contribution of its own.
	inner b-1.cbor b.in
	wrap b.in fx/c1.key b-by-c1.cbor
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor b-by-c1.cbor c-1.cbor
	crun -1 node 1 agg.cbor a-1.cbor b-by-c1.cbor c-1.cbor
	assert_stderr "ccc-aggregate: refused by policy: agg.cbor: 2 contributors, fewer than the floor of 3"
	# With c2's own as well: the same input twice.
	crun -1 ccc-aggregate "${K[@]}" -o agg2.cbor a-1.cbor b-1.cbor \
	    b-by-c1.cbor c-1.cbor
	assert_contains "$stderr" ": the same input twice"
	assert_no_file agg2.cbor share-1.cbor
}

@test "contributors: a node takes only a list certified by its roster, for the request's app, valid now" {
	BY=c1 inputs p 8 a 1
	BY=c2 inputs p 8 b 2
	BY=c3 inputs p 8 c 3
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor b-1.cbor c-1.cbor
	local in=(a-1.cbor b-1.cbor c-1.cbor)
	# Not certified: the list itself, or one signature.
	MODE=(-C fx/list -m 3)
	crun -1 node 1 agg.cbor "${in[@]}"
	assert_stderr "ccc-aggregate: wrong blob type: fx/list: at byte 0: expected a quorum certificate (ccc/certified/v1), found a contributor list (ccc/contributors/v1)"
	ccc-quorum-sign roster -q 1 -N solo --not-before 0 -o solo \
	    fx/oracle-1.pub
	ccc-quorum-sign combine -r solo -b fx/list --now $NOW -o one.cert \
	    fx/list.sig-1
	MODE=(-C one.cert -m 3)
	crun -1 node 1 agg.cbor "${in[@]}"
	assert_stderr 'ccc-aggregate: key mismatch: one.cert: at byte 20: certified under another roster than "oracles"'
	assert_no_file share-1.cbor node-1
	# A certificate of something else: the request's.
	certify agg.cbor
	MODE=(-C agg.cbor.cert -m 3)
	crun -1 node 1 agg.cbor "${in[@]}"
	assert_stderr "ccc-aggregate: wrong blob type: agg.cbor.cert: the certificate carries an aggregate request (ccc/agg-request/v1), not a contributor list (ccc/contributors/v1)"
	# Another app's list.
	ccc-quorum-sign contributors -a other --not-before $NOW -o ol \
	    c1=fx/c1.pub c2=fx/c2.pub c3=fx/c3.pub
	certify_blob ol fx
	MODE=(-C ol.cert -m 3)
	crun -1 node 1 agg.cbor "${in[@]}"
	assert_stderr 'ccc-aggregate: refused by policy: ol.cert: the contributor list is for app "other", the request for "pool"'
	# Expired, or more than 300 s ahead of the node's clock.
	ccc-quorum-sign contributors -a pool --not-before $((NOW - 1000)) \
	    --not-after $NOW -o old c1=fx/c1.pub c2=fx/c2.pub c3=fx/c3.pub
	NOW=$((NOW - 1)) certify_blob old fx
	MODE=(-C old.cert -m 3)
	crun -1 node 1 agg.cbor "${in[@]}"
	assert_stderr "ccc-aggregate: expired: old.cert: the contributor list of app \"pool\" is valid from $(utc $((NOW - 1000))) to $(utc $NOW), not at $(utc $NOW)"
	ccc-quorum-sign contributors -a pool --not-before $((NOW + 301)) \
	    -o early c1=fx/c1.pub c2=fx/c2.pub c3=fx/c3.pub
	NOW=$((NOW + 301)) certify_blob early fx
	MODE=(-C early.cert -m 3)
	crun -1 node 1 agg.cbor "${in[@]}"
	assert_stderr "ccc-aggregate: expired: early.cert: the contributor list of app \"pool\" is valid from $(utc $((NOW + 301))) to $(utc $((NOW + 301 + YEAR))), not at $(utc $NOW)"
	assert_no_file share-1.cbor node-1
	# 300 s ahead: within the skew.
	ccc-quorum-sign contributors -a pool --not-before $((NOW + 300)) \
	    -o soon c1=fx/c1.pub c2=fx/c2.pub c3=fx/c3.pub
	NOW=$((NOW + 300)) certify_blob soon fx
	MODE=(-C soon.cert -m 3)
	crun -0 node 1 agg.cbor "${in[@]}"
	assert_stderr_empty
}

@test "contributors: a node needs -C with -m, or --anyone: an explicit choice (exit 2)" {
	local s=(-s fx/k23/share-1.cbor "${K[@]}" -a a -F f -r fx/roster -d st)
	crun -2 ccc-aggregate "${s[@]}" x.cbor
	assert_stderr "ccc-aggregate: usage: -s needs -C CONTRIBUTORS (whose inputs count) or --anyone (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${s[@]}" -m 3 x.cbor
	assert_stderr "ccc-aggregate: usage: -s needs -C CONTRIBUTORS (whose inputs count) or --anyone (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${s[@]}" -C fx/list.cert x.cbor
	assert_stderr "ccc-aggregate: usage: -C needs -m MIN, the fewest contributors an aggregate may have (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${s[@]}" -C fx/list.cert -m 3 --anyone x.cbor
	assert_stderr "ccc-aggregate: usage: -C and --anyone exclude each other (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${K[@]}" -C fx/list.cert -o agg.cbor x.cbor
	assert_stderr "ccc-aggregate: usage: -a, -C, -d, -F, -I, -m, -p, -r, --anyone and --now apply to -s (see ccc-aggregate --help)"
	assert_no_file st agg.cbor
}
