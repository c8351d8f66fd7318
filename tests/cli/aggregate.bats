#!/usr/bin/env bats
# Security level 4: ccc-encrypt --additive, ccc-aggregate (aggregate, node
# share, --verify) and ccc-combine --aggregate.  Round trips for B = 1, 16
# and 32 bits and 1, 100 and 10,000 inputs, a histogram of 8 buckets, the
# refusals (out of range, forged proof, relabelled copy, duplicate, an
# aggregate not of its inputs, the floor, an input already released, a
# wrong share) and the offline re-verification of a published result.
bats_require_minimum_version 1.5.0
load helpers
load aggregate-helpers

setup_file() {
	aggregate_fixtures
}

setup() {
	aggregate_setup
}

# ---- round trips -----------------------------------------------------------

@test "aggregate: B = 1, 16 and 32 bits, one input each: the sum is the value" {
	inputs p 1 a 1
	crun -0 ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor
	sums agg.cbor a-1.cbor
	assert_output 1
	inputs p 16 b 65535
	ccc-aggregate "${K[@]}" -o aggb.cbor b-1.cbor
	sums aggb.cbor b-1.cbor
	assert_output 65535
	inputs p 32 c 4294967295
	ccc-aggregate "${K[@]}" -o aggc.cbor c-1.cbor
	sums aggc.cbor c-1.cbor
	assert_output 4294967295
}

@test "aggregate: 100 inputs of 1 and of 16 bits, in one sequence file" {
	awk 'BEGIN { for (i = 1; i <= 100; i++) print i % 3 == 0 }' |
	    ccc-encrypt "${K[@]}" --additive -B 1 -l p -o bits.cbor
	crun -0 ccc-aggregate "${K[@]}" -l p -o agg.cbor bits.cbor
	sums agg.cbor bits.cbor
	assert_output 33
	awk 'BEGIN { for (i = 1; i <= 100; i++) print i * 600 }' |
	    ccc-encrypt "${K[@]}" --additive -B 16 -l p -o v.cbor
	ccc-aggregate "${K[@]}" -o agg16.cbor v.cbor
	sums agg16.cbor v.cbor
	assert_output 3030000
}

@test "aggregate: 10,000 inputs, one node of a 1-of-1 key, re-verified" {
	K=(-k fx/k11/tpk.cbor)
	awk 'BEGIN { for (i = 0; i < 10000; i++) print (i * 7) % 2 }' |
	    ccc-encrypt "${K[@]}" --additive -B 1 -l big -o big.cbor
	crun -0 ccc-aggregate "${K[@]}" -j 2 -o agg.cbor big.cbor
	crun -0 node 1 agg.cbor -m 10000 big.cbor
	crun -0 ccc-combine --aggregate agg.cbor "${K[@]}" --cache fx/cache \
	    -o sum.cbor share-1.cbor
	crun -0 ccc-aggregate --verify sum.cbor "${K[@]}" big.cbor
	assert_output 5000
	assert_stderr_empty
}

@test "aggregate: a histogram of 8 buckets from three contributors" {
	printf '%s\n' '1 0 0 2 0 0 0 7' '0 1 0 2 0 0 3 0' '1 1 1 1 1 1 1 1' |
	    ccc-encrypt "${K[@]}" --additive -B 4 -l hist -o h.cbor
	ccc-aggregate "${K[@]}" -l hist -o agg.cbor h.cbor
	sums agg.cbor h.cbor
	assert_output "$(printf '%s\n' 2 2 1 5 1 1 4 8)"
}

@test "aggregate: one-hot histograms (-B 1 -S 1): each bucket and the sum below 2" {
	printf '%s\n' '0 1 0' '1 0 0' '0 0 0' '0 1 0' |
	    ccc-encrypt "${K[@]}" --additive -B 1 -S 1 -l oh -o oh.cbor
	crun -0 ccc-aggregate "${K[@]}" -l oh -o agg.cbor oh.cbor
	assert_stderr_empty
	sums agg.cbor oh.cbor
	assert_output "$(printf '%s\n' 1 2 0)"
	crun -1 ccc-encrypt "${K[@]}" --additive -B 1 -S 1 -l oh -o x.cbor \
	    <<<$'0 1 0\n1 1 0'
	assert_stderr "ccc-encrypt: invalid field: stdin: item 2: the values' sum is not below 2^1"
	assert_no_file x.cbor
	crun -2 ccc-encrypt "${K[@]}" -S 1 -l oh <<<1
	assert_stderr "ccc-encrypt: usage: -S applies to --additive (see ccc-encrypt --help)"
	crun -2 ccc-encrypt "${K[@]}" --additive -B 1 -S 33 -l oh <<<1
	assert_stderr "ccc-encrypt: usage: -S: 1 to 32 (see ccc-encrypt --help)"
}

@test "aggregate: a one-hot input with two buckets set (test hook) is refused" {
	need_test_hooks
	printf '%s\n' '0 1 0' '1 0 0' |
	    ccc-encrypt "${K[@]}" --additive -B 1 -S 1 -l oh -o oh.cbor
	crun -0 env CCC_ADDITIVE_OUT_OF_RANGE=1 ccc-encrypt "${K[@]}" --additive \
	    -B 1 -S 1 -l oh -o cheat.cbor <<<'1 1 0'
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor oh.cbor cheat.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: cheat.cbor: item 1: range proof does not verify"
	assert_no_file agg.cbor
}

@test "aggregate: the aggregate is the same bytes whatever the order of the inputs" {
	inputs p 8 a 5 6 7
	ccc-aggregate "${K[@]}" -o one.cbor a-1.cbor a-2.cbor a-3.cbor
	ccc-aggregate "${K[@]}" -o two.cbor a-3.cbor a-1.cbor a-2.cbor
	assert_same two.cbor one.cbor
	crun -0 ccc-aggregate "${K[@]}" -j 2 -o par.cbor a-2.cbor a-3.cbor a-1.cbor
	assert_same par.cbor one.cbor
}

@test "examples/data-pool.sh 4: three hospitals' counts and sums at level 4, no enclave" {
	mkdir work
	crun -0 env WORKDIR="$BATS_TEST_TMPDIR/work" \
	    bash "$TOP_SRCDIR/examples/data-pool.sh" 4
	assert_stderr_empty
	[[ "${lines[-1]}" == "ok: level 4 released only the sums of the three hospitals' counts, with no enclave; files are in $BATS_TEST_TMPDIR/work" ]]
	assert_same work/aggregate.txt <(echo 'hospitals: 3; patients: 11; with type 2 diabetes: 7; their mean HbA1c: 7.76%')
}

# ---- refusals --------------------------------------------------------------

@test "aggregate: a value of 2^B is refused by the encryptor" {
	crun -1 ccc-encrypt "${K[@]}" --additive -B 16 -l p -o x.cbor \
	    <<<$'65535\n65536'
	assert_stderr "ccc-encrypt: invalid field: stdin: item 2: value 1 is not below 2^16"
	assert_no_file x.cbor
	crun -2 ccc-encrypt "${K[@]}" --additive -B 4 -o x.cbor <<<1
	assert_stderr "ccc-encrypt: usage: --additive needs a label (-l, -W, -G or -L) (see ccc-encrypt --help)"
	crun -2 ccc-encrypt "${K[@]}" --additive -l p <<<1
	assert_stderr "ccc-encrypt: usage: --additive and -B go together (see ccc-encrypt --help)"
}

@test "aggregate: an input of 2^B made by a cheater (test hook) is refused" {
	need_test_hooks
	inputs p 4 a 3 4
	crun -0 env CCC_ADDITIVE_OUT_OF_RANGE=1 ccc-encrypt "${K[@]}" --additive \
	    -B 4 -l p -o cheat.cbor <<<16
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor cheat.cbor a-2.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: cheat.cbor: item 1: range proof does not verify"
	assert_no_file agg.cbor
}

# The proof of a 4-bit value: 10 points (Tu Tv A S T1 T2 L1 L2 R1 R2),
# then t_hat tau_x mu a b z_m z_r (ccc(7)).
@test "aggregate: a forged range proof or link proof is refused, the input named" {
	inputs p 4 a 3 4 5
	local proof at
	proof=$(elem_hex a-2.cbor proofs)
	at=$(find_hex a-2.cbor "$proof")
	# the last byte of t_hat
	flip_bit a-2.cbor $((at + 650 + 31)) 0 forged.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor forged.cbor a-3.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: forged.cbor: item 1: range proof does not verify"
	crun -1 ccc-aggregate "${K[@]}" -j 3 -o agg.cbor a-1.cbor forged.cbor a-3.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: forged.cbor: item 1: range proof does not verify"
	# the last byte of z_r, the link proof's
	flip_bit a-2.cbor $((at + 650 + 6 * 32 + 31)) 0 forged.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-3.cbor forged.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: forged.cbor: item 1: range proof does not verify"
	# a byte of A (x coordinate): off the curve
	flip_bit a-2.cbor $((at + 2 * 65 + 20)) 0 forged.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor forged.cbor
	assert_stderr "ccc-aggregate: invalid point: forged.cbor: item 1: proof: not a point on P-256"
	assert_no_file agg.cbor
}

@test "aggregate: an input copied under another label is refused" {
	inputs pool:a 4 a 3 4
	local at
	at=$(find_hex a-2.cbor "$(hex_str pool:a)")
	replace_bytes a-2.cbor "$at" "$(hex_str pool:b)" copy.cbor
	inputs pool:b 4 b 9
	crun -1 ccc-aggregate "${K[@]}" -l pool:b -o agg.cbor b-1.cbor copy.cbor
	assert_stderr "ccc-aggregate: invalid ciphertext: copy.cbor: item 1: range proof does not verify"
	crun -1 ccc-aggregate "${K[@]}" -l pool:b -o agg.cbor b-1.cbor a-1.cbor
	assert_stderr "ccc-aggregate: refused by policy: a-1.cbor: item 1: labelled for another context"
	assert_no_file agg.cbor
}

@test "aggregate: the same input twice is refused" {
	inputs p 4 a 3 4
	cat a-1.cbor a-2.cbor a-1.cbor >three.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor three.cbor
	assert_contains "$stderr" "ccc-aggregate: duplicate: three.cbor: item "
	assert_contains "$stderr" ": the same input twice"
	assert_no_file agg.cbor
}

@test "aggregate: a node refuses an aggregate that does not match its inputs" {
	inputs p 4 a 3 4 5
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-2.cbor a-3.cbor
	crun -1 node 1 agg.cbor a-1.cbor a-2.cbor
	assert_stderr "ccc-aggregate: invalid field: agg.cbor: does not match its inputs"
	assert_no_file share-1.cbor node-1
}

@test "aggregate: a node refuses fewer inputs than its floor" {
	inputs p 4 a 3 4 5
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-2.cbor a-3.cbor
	crun -1 node 1 agg.cbor -m 4 a-1.cbor a-2.cbor a-3.cbor
	assert_stderr "ccc-aggregate: refused by policy: agg.cbor: 3 inputs, fewer than the floor of 4"
	assert_no_file share-1.cbor
	crun -0 node 1 agg.cbor -m 3 a-1.cbor a-2.cbor a-3.cbor
}

@test "aggregate: a node releases each input in one aggregate only" {
	inputs p 4 a 3 4 5
	ccc-aggregate "${K[@]}" -o all.cbor a-1.cbor a-2.cbor a-3.cbor
	ccc-aggregate "${K[@]}" -o most.cbor a-1.cbor a-2.cbor
	crun -0 node 1 all.cbor a-1.cbor a-2.cbor a-3.cbor
	# The same aggregate under another request: the same sums again.
	mv all.cbor.cert first.cert
	crun -0 node 1 all.cbor a-1.cbor a-2.cbor a-3.cbor
	rm share-1.cbor
	crun -1 node 1 most.cbor a-1.cbor a-2.cbor
	assert_contains "$stderr" "ccc-aggregate: replayed: a-"
	assert_contains "$stderr" ".cbor: item 1: already released in aggregate "
	assert_no_file share-1.cbor
	# Each input twice: by its digest and by its values.
	[[ $(size_of node-1/aggregates/used) == 384 ]] || fail "used log: $(size_of node-1/aggregates/used) bytes"
	[[ $(ls node-1/aggregates/released | wc -l) == 1 ]] || fail "released: $(ls node-1/aggregates/released)"
	# Two releases in the access log, none of most.cbor.
	crun -0 ccc-inspect -L node-1
	assert_output "node-1/access.log: 2 entries, chained and matching its head"
	# The record of used inputs lost: rebuilt from the access log.
	rm -r node-1/aggregates
	crun -1 node 1 most.cbor a-1.cbor a-2.cbor
	assert_contains "$stderr" ".cbor: item 1: already released in aggregate "
	assert_no_file share-1.cbor
	[[ $(size_of node-1/aggregates/used) == 768 ]] || fail "used log: $(size_of node-1/aggregates/used) bytes"
	# Another node's log is its own.
	crun -0 node 2 most.cbor a-1.cbor a-2.cbor
}

@test "aggregate: a node serves a certified level-4 request once, for an app its policy allows, and logs it" {
	local rid=$(printf '5a%.0s' {1..32})
	inputs p 4 a 3 4
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-2.cbor
	certify agg.cbor pool "$rid"
	# Not certified by this roster's quorum: one signature only.
	ccc-quorum-sign combine -r fx/roster -b agg.cbor.req --now $NOW \
	    -o one.cert agg.cbor.req.sig-1 2>/dev/null && fail "one signature certified"
	crun -1 ccc-aggregate -s fx/k23/share-1.cbor "${K[@]}" -a agg.cbor \
	    -F agg.cbor.req -r fx/roster -p fx/policy --now $NOW -d node-1 \
	    --anyone -o share-1.cbor a-1.cbor a-2.cbor
	assert_stderr "ccc-aggregate: wrong blob type: agg.cbor.req: at byte 0: expected a quorum certificate (ccc/certified/v1), found an aggregate request (ccc/agg-request/v1)"
	# Expired: requests live 600 s by default.
	NODE_NOW=$((NOW + 600)) crun -1 node 1 agg.cbor a-1.cbor a-2.cbor
	assert_stderr "ccc-aggregate: expired: agg.cbor.cert: the request expired at 2027-01-15T08:10:00Z (now 2027-01-15T08:10:00Z)"
	assert_no_file share-1.cbor node-1
	crun -0 node 1 agg.cbor a-1.cbor a-2.cbor
	assert_stderr_empty
	# Served once.
	mv share-1.cbor first.cbor
	crun -1 node 1 agg.cbor a-1.cbor a-2.cbor
	assert_stderr "ccc-aggregate: replayed: agg.cbor.cert: request 5a5a5a5a5a5a5a5a... was already served by node 1"
	assert_no_file share-1.cbor
	# The log entry: the request, the inputs, the aggregate, the share.
	crun -0 ccc-inspect -L node-1
	assert_output "node-1/access.log: 1 entry, chained and matching its head"
	ccc-inspect node-1/access.log >entry.txt
	grep -q "\"request_id\": \"$rid\"" entry.txt || fail "$(cat entry.txt)"
	grep -q "\"aggregate\": \"$(sha256sum agg.cbor | cut -c1-64)\"" entry.txt ||
	    fail "$(cat entry.txt)"
	grep -q "\"sealed_digest\": \"$(sha256sum first.cbor | cut -c1-64)\"" entry.txt ||
	    fail "$(cat entry.txt)"
	grep -q "\"$(sha256sum a-1.cbor | cut -c1-64)\"" entry.txt || fail "$(cat entry.txt)"
	# A share for another request does not combine with this one's.
	rm agg.cbor.*
	certify agg.cbor
	crun -0 node 2 agg.cbor a-1.cbor a-2.cbor
	crun -1 ccc-combine --aggregate agg.cbor "${K[@]}" --cache fx/cache \
	    -o sum.cbor first.cbor share-2.cbor
	assert_stderr "$(printf '%s\n' \
	    "ccc-combine: warning: share-2.cbor: node 2: invalid decryption share: a share for another request" \
	    "ccc-combine: not enough shares: 1 valid shares, the key needs 2")"
	# Another app, whose labels the policy does not give it.
	rm agg.cbor.* share-2.cbor
	certify agg.cbor other
	crun -1 node 2 agg.cbor a-1.cbor a-2.cbor
	assert_stderr "ccc-aggregate: refused by policy: agg.cbor.cert: a ciphertext labelled \"p\" is not allowed for app \"other\""
	assert_no_file share-2.cbor
}

@test "aggregate: an oracle signs a level-4 request only fresh and for its key" {
	inputs p 4 a 3
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor
	crun -0 ccc-quorum-sign request -a pool "${K[@]}" --aggregate agg.cbor \
	    -E 60 --now $NOW -o req
	crun -0 ccc-inspect req
	assert_contains "$output" '"type": "ccc/agg-request/v1"'
	assert_contains "$output" '"security": 4'
	assert_contains "$output" "\"aggregate\": \"$(sha256sum agg.cbor | cut -c1-64)\""
	assert_contains "$output" '"inputs": 1'
	crun -2 ccc-quorum-sign sign -i fx/oracle-1.key --now $NOW -o sig req
	assert_stderr "ccc-quorum-sign: usage: signing a request needs the threshold public key (-k) (see ccc-quorum-sign --help)"
	crun -1 ccc-quorum-sign sign -i fx/oracle-1.key "${K[@]}" \
	    --now $((NOW + 60)) -o sig req
	assert_stderr "ccc-quorum-sign: expired: req: the request expired at 2027-01-15T08:01:00Z (now 2027-01-15T08:01:00Z)"
	crun -1 ccc-quorum-sign sign -i fx/oracle-1.key -k fx/k11/tpk.cbor \
	    --now $NOW -o sig req
	assert_stderr "ccc-quorum-sign: key mismatch: req: the request is for key $(ccc-inspect fx/k23/tpk.cbor | sed -n 's/^ *"key_id": "\(.\{8\}\).*/\1/p'), not this public key"
	assert_no_file sig
	crun -1 ccc-quorum-sign request -a pool -k fx/k11/tpk.cbor \
	    --aggregate agg.cbor -o req2
	assert_stderr "ccc-quorum-sign: key mismatch: agg.cbor: an aggregate of another key or epoch"
	crun -0 ccc-quorum-sign sign -i fx/oracle-1.key "${K[@]}" --now $NOW \
	    -o sig req
}

@test "aggregate: a wrong decryption share is named, and t good ones are needed" {
	inputs p 4 a 3 4
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-2.cbor
	node 1 agg.cbor a-1.cbor a-2.cbor
	node 2 agg.cbor a-1.cbor a-2.cbor
	node 3 agg.cbor a-1.cbor a-2.cbor
	local sh at
	sh=$(elem_hex share-2.cbor shares)
	at=$(find_hex share-2.cbor "$sh")
	flip_bit share-2.cbor $((at + 70)) 0 bad-2.cbor
	crun -1 ccc-combine --aggregate agg.cbor "${K[@]}" --cache fx/cache \
	    -o sum.cbor share-1.cbor bad-2.cbor
	assert_stderr "$(printf '%s\n' \
	    "ccc-combine: warning: bad-2.cbor: node 2: invalid decryption share: proof does not verify" \
	    "ccc-combine: not enough shares: 1 valid shares, the key needs 2")"
	assert_no_file sum.cbor
	crun -0 ccc-combine --aggregate agg.cbor "${K[@]}" --cache fx/cache \
	    -o sum.cbor share-1.cbor bad-2.cbor a-1.cbor share-3.cbor
	assert_stderr "$(printf '%s\n' \
	    "ccc-combine: warning: bad-2.cbor: node 2: invalid decryption share: proof does not verify" \
	    "ccc-combine: warning: a-1.cbor: not a decryption share: expected an aggregate decryption share (ccc/agg-share/v1), found an additive input (ccc/additive/v2)")"
	crun -0 ccc-aggregate --verify sum.cbor "${K[@]}" a-1.cbor a-2.cbor
	assert_output 7
}

@test "aggregate: a share of another aggregate does not pass for this one" {
	inputs p 4 a 3 4 5
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-2.cbor
	ccc-aggregate "${K[@]}" -o other.cbor a-3.cbor
	node 1 agg.cbor a-1.cbor a-2.cbor
	node 3 other.cbor a-3.cbor
	crun -1 ccc-combine --aggregate agg.cbor "${K[@]}" --cache fx/cache \
	    -o sum.cbor share-1.cbor share-3.cbor
	assert_contains "$stderr" "ccc-combine: warning: share-3.cbor: node 3: invalid decryption share: a share of another aggregate"
}

# ---- attacks -----------------------------------------------------------------

@test "aggregate attack: a requester pads one real input with its own: only listed contributors count, each once" {
	# Anyone with the public key makes valid inputs, of values it knows:
	# 42 (c1's) padded with two zeros of the requester's would pass a
	# floor of 3 inputs, and the sum would be c1's input.
	BY=c1 inputs p 8 real 42
	inputs p 8 pad 0 0
	ccc-aggregate "${K[@]}" -o agg.cbor real-1.cbor pad-1.cbor pad-2.cbor
	MODE=(-C fx/list.cert -m 3)
	crun -1 node 1 agg.cbor real-1.cbor pad-1.cbor pad-2.cbor
	assert_stderr 'ccc-aggregate: refused by policy: pad-1.cbor: item 1: not a contribution (ccc/contribution/v1): only contributors of app "pool" count'
	assert_output_empty
	assert_no_file share-1.cbor node-1
	# Signed with a key of the requester's own: not on the list.
	BY=c4 inputs p 8 own 0 0
	ccc-aggregate "${K[@]}" -o agg4.cbor real-1.cbor own-1.cbor own-2.cbor
	crun -1 node 1 agg4.cbor real-1.cbor own-1.cbor own-2.cbor
	assert_stderr "ccc-aggregate: refused by policy: own-1.cbor: item 1: signed by $(pk_hex fx/c4.pub)..., not a contributor of app \"pool\""
	assert_no_file share-1.cbor node-1
	# A listed contributor padding with inputs of its own counts once.
	BY=c2 inputs p 8 c2 0 0
	ccc-aggregate "${K[@]}" -o agg2.cbor real-1.cbor c2-1.cbor c2-2.cbor
	crun -1 node 1 agg2.cbor real-1.cbor c2-1.cbor c2-2.cbor
	assert_stderr "ccc-aggregate: refused by policy: agg2.cbor: 2 contributors, fewer than the floor of 3"
	assert_no_file share-1.cbor node-1
	# Three contributors: released.
	BY=c3 inputs p 8 third 1
	ccc-aggregate "${K[@]}" -o agg3.cbor real-1.cbor c2-1.cbor third-1.cbor
	sums agg3.cbor real-1.cbor c2-1.cbor third-1.cbor
	assert_output 43
}

@test "aggregate attack: two disjoint pairs of a 2-of-4 key would release all and all but one: t <= n/2 is refused" {
	# Each node's record of used inputs is its own: nodes 1 and 2 would
	# release all (48), nodes 3 and 4 all but one (8), and 48 - 8 = 40.
	K=(-k fx/k24/tpk.cbor)
	inputs p 8 a 40 5 3
	ccc-aggregate "${K[@]}" -o all.cbor a-1.cbor a-2.cbor a-3.cbor
	ccc-aggregate "${K[@]}" -o most.cbor a-2.cbor a-3.cbor
	crun -2 node 1 all.cbor a-1.cbor a-2.cbor a-3.cbor
	assert_stderr "ccc-aggregate: bad node state: fx/k24/tpk.cbor: a 2-of-4 key: level 4 needs t > n/2, so that any two sets of t nodes share one that refuses an input twice"
	assert_output_empty
	assert_no_file share-1.cbor node-1
	crun -2 node 3 most.cbor a-2.cbor a-3.cbor
	assert_stderr "ccc-aggregate: bad node state: fx/k24/tpk.cbor: a 2-of-4 key: level 4 needs t > n/2, so that any two sets of t nodes share one that refuses an input twice"
	assert_no_file share-3.cbor node-3
}

@test "aggregate attack: inputs stripped of their sum proofs are the same inputs to the record" {
	local i first
	for i in 40 5 3; do
		echo $i | ccc-encrypt "${K[@]}" --additive -B 8 -S 8 -l p -o "a-$i.cbor"
	done
	ccc-aggregate "${K[@]}" -o all.cbor a-40.cbor a-5.cbor a-3.cbor
	sums all.cbor a-40.cbor a-5.cbor a-3.cbor
	assert_output 48
	# Stripped, inputs 2 and 3 are other blobs, whose aggregate (8)
	# would give input 1 away; the record knows them by their values.
	strip_sum_proof a-5.cbor s-5.cbor
	strip_sum_proof a-3.cbor s-3.cbor
	crun -0 ccc-aggregate "${K[@]}" -o most.cbor s-5.cbor s-3.cbor
	assert_stderr_empty
	rm share-1.cbor share-3.cbor
	# The input named is the first by digest.
	first=s-5.cbor
	[[ $(sha256sum s-3.cbor) < $(sha256sum s-5.cbor) ]] && first=s-3.cbor
	for i in 1 3; do
		crun -1 node $i most.cbor s-5.cbor s-3.cbor
		assert_stderr "ccc-aggregate: replayed: $first: item 1: already released in aggregate $(sha256sum all.cbor | cut -c1-16)..."
		assert_no_file share-$i.cbor
		# Each input twice in the record: its digest and its values.
		[[ $(size_of node-$i/aggregates/used) == 384 ]] ||
		    fail "used: $(size_of node-$i/aggregates/used) bytes"
	done
	# The record rebuilt from the access log knows the values too.
	rm -r node-1/aggregates
	crun -1 node 1 most.cbor s-5.cbor s-3.cbor
	assert_stderr "ccc-aggregate: replayed: $first: item 1: already released in aggregate $(sha256sum all.cbor | cut -c1-16)..."
	assert_no_file share-1.cbor
	[[ $(size_of node-1/aggregates/used) == 384 ]] ||
	    fail "rebuilt: $(size_of node-1/aggregates/used) bytes"
	ccc-inspect node-1/access.log >entry.txt
	grep -q "\"values\": \[" entry.txt || fail "$(cat entry.txt)"
}

# ---- re-verification -------------------------------------------------------

@test "aggregate: more than 100,000 inputs are refused at the 100,001st, unread and undecoded" {
	# 100,001 one-byte CBOR items: counted before any is decoded, so the
	# limit (that of a node's access log entry) stops the reading.
	head -c 100001 /dev/zero >many.cbor
	crun -1 ccc-aggregate "${K[@]}" -o agg.cbor many.cbor
	assert_output_empty
	assert_stderr "ccc-aggregate: input too large: many.cbor: item 100001: at byte 100000: more than 100000 inputs (an aggregate has at most that many)"
	assert_no_file agg.cbor
}

@test "aggregate: the result re-verifies from the public key and the inputs alone" {
	inputs p 8 a 10 20 30
	ccc-aggregate "${K[@]}" -o agg.cbor a-1.cbor a-2.cbor a-3.cbor
	sums agg.cbor a-1.cbor a-2.cbor a-3.cbor
	assert_output 60
	# Without one input, the aggregate is not theirs.
	crun -1 ccc-aggregate --verify sum.cbor "${K[@]}" a-1.cbor a-2.cbor
	assert_stderr "ccc-aggregate: invalid field: sum.cbor: at byte 21: does not match the inputs"
	# A stated sum changed: 60 -> 61 (the last byte of the 8-byte sum).
	local at
	at=$(find_hex sum.cbor 000000000000003c)
	replace_bytes sum.cbor "$at" 000000000000003d lie.cbor
	crun -1 ccc-aggregate --verify lie.cbor "${K[@]}" a-1.cbor a-2.cbor a-3.cbor
	assert_stderr "ccc-aggregate: invalid field: lie.cbor: sum 1 is not what the shares decrypt"
	assert_output_empty
}

@test "aggregate: usage errors exit 2 with one line" {
	crun -2 ccc-aggregate "${K[@]}"
	assert_stderr "ccc-aggregate: usage: no inputs given (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${K[@]}" -s fx/k23/share-1.cbor -a x -d s x.cbor
	assert_stderr "ccc-aggregate: usage: -s needs -a AGGREGATE, -F CERTIFIED, -r ROSTER and -d STATE (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${K[@]}" -m 3 x.cbor
	assert_stderr "ccc-aggregate: usage: -a, -C, -d, -F, -I, -m, -p, -r, --anyone and --now apply to -s (see ccc-aggregate --help)"
	crun -2 ccc-aggregate "${K[@]}" --anyone x.cbor
	assert_stderr "ccc-aggregate: usage: -a, -C, -d, -F, -I, -m, -p, -r, --anyone and --now apply to -s (see ccc-aggregate --help)"
	crun -2 ccc-quorum-sign request -a pool "${K[@]}" --aggregate x -r r x
	assert_stderr "ccc-quorum-sign: usage: request --aggregate (level 4) names no code, enclave, output or ciphertext (see ccc-quorum-sign --help)"
	crun -2 ccc-combine --aggregate x "${K[@]}" -i y z
	assert_stderr "ccc-combine: usage: --aggregate takes -k, --cache, -o, -f and -T (see ccc-combine --help)"
	crun -2 ccc-combine "${K[@]}" -i y --cache d z
	assert_stderr "ccc-combine: usage: --cache applies to --aggregate (see ccc-combine --help)"
}
