#!/usr/bin/env bats
# Security level 2 (ccc(7) REPLICATED EXECUTION): a request run by k
# enclaves, randomness from the threshold coin, the oracles' comparison of
# the results, the divergence record; the coin's shares checked by every
# replica.  One flow in setup_file gives the deployment (its keys, roster,
# pool, enclaves) that the hand-made requests of the later tests reuse.
bats_require_minimum_version 1.5.0
load helpers

SHUFFLE="$TOP_SRCDIR/tests/cli/shuffle.pl"

setup_file() {
	flow_from_source
	export PATH="$BATS_FILE_TMPDIR/bin:$PATH"
	printf 'a 1\nb 2\nc 3\nd 4\ne 5\nf 6\ng 7\nh 8\n' >"$BATS_FILE_TMPDIR/in"
	# The deployment: 3 enclaves of 3 operators, a level-2 request.
	ccc-flow -d "$BATS_FILE_TMPDIR/w" --enclaves 3 --replicas 3 \
	    -x "$SHUFFLE" -i "$BATS_FILE_TMPDIR/in" >"$BATS_FILE_TMPDIR/out" \
	    2>"$BATS_FILE_TMPDIR/err"
}

setup() {
	PATH="$BATS_FILE_TMPDIR/bin:$PATH"
	cd "$BATS_TEST_TMPDIR" || return
	W=$BATS_FILE_TMPDIR/w
}

teardown() {
	# Serving processes a failed test left waiting on their FIFOs.
	[[ ! -s $BATS_TEST_TMPDIR/servers ]] ||
	    kill $(cat "$BATS_TEST_TMPDIR/servers") 2>/dev/null || :
}

# output_of RESULT: the hex of a result's output field.
output_of() {
	field_hex "$1" output
}

# level2 DIR K M: in the deployment $W, a level-2 request of the shuffle
# program for K replicas of which M must agree, built, certified and
# served by the 7 nodes, in DIR: DIR/key-J is replica J's per-request key,
# DIR/sealed-I node I's release, DIR/replica the replicas' names.  The
# nodes take the options in the array NODE_OPTS (if set).
level2() {
	local d=$1 k=$2 m=$3 j i sigs= keys=
	mkdir -p "$d"
	(
	cd "$W" || exit 1
	# (Already in DIR: the assignment, and keys made elsewhere.)
	[[ -f $d/assigned ]] || ccc-quorum-sign assign -r 00-keys/roster \
	    -P 00-keys/pool --replicas "$k" >"$d/assigned" || exit 1
	rid=$(cut -d' ' -f1 "$d/assigned" | head -n 1)
	cut -d' ' -f3 "$d/assigned" >"$d/replica"
	j=0
	while read -r e; do
		j=$((j + 1))
		[[ -f $d/key-$j.pub ]] ||
		    ccc-enclave-run keygen -a "00-keys/$e.key" -n "$rid" \
		    -s "$d/key-$j" -o "$d/key-$j.pub" || exit 1
		keys+=" -K $d/key-$j.pub"
	done <"$d/replica"
	# shellcheck disable=SC2086 # keys: several -K options
	ccc-quorum-sign request -a demo -x 02-program -k 00-keys/committee/tpk.cbor \
	    -r 00-keys/roster -P 00-keys/pool $keys --agree "$m" -I "$rid" \
	    -o "$d/request" 01-input.ct || exit 1
	for i in 1 2 3 4; do
		ccc-quorum-sign sign -i "00-keys/oracle-$i.key" \
		    -k 00-keys/committee/tpk.cbor -A 00-keys/attest.policy \
		    -r 00-keys/roster -P 00-keys/pool -o "$d/sig-$i" \
		    "$d/request" || exit 1
		sigs+=" $d/sig-$i"
	done
	# shellcheck disable=SC2086
	ccc-quorum-sign combine -r 00-keys/roster -b "$d/request" \
	    -o "$d/certified" $sigs || exit 1
	for i in 1 2 3 4 5 6 7; do
		ccc-reencrypt -s "00-keys/committee/share-$i.cbor" \
		    -k 00-keys/committee/tpk.cbor -r 00-keys/roster \
		    -A 00-keys/attest.policy -P 00-keys/pool \
		    -d "00-nodes/node-$i" ${NODE_OPTS+"${NODE_OPTS[@]}"} \
		    -o "$d/sealed-$i" "$d/certified" || exit 1
	done
	)
}

# enclave D J [SEALED...]: replica J of the request in D runs it (the
# sealed files default to the 7 releases).
enclave() {
	local d=$1 j=$2 e
	shift 2
	e=$(sed -n "${j}p" "$d/replica")
	(($#)) || set -- "$d"/sealed-{1..7}
	crun ccc-enclave-run -r "$W/00-keys/roster" -k "$W/00-keys/committee/tpk.cbor" \
	    -i "$d/key-$j" -a "$W/00-keys/$e.key" -x "$W/00-enclaves/$e/code" \
	    -p "$W/00-enclaves/$e/policy" -o "$d/result-$j" "$d/certified" "$@"
}

@test "level 2: 3 replicas of a program that shuffles with randomness, threshold-encrypted output: the three result cores are byte-identical, the certified result verifies and decrypts" {
	crun -0 ccc-flow -d w --enclaves 3 --replicas 3 -x "$SHUFFLE" \
	    -i "$BATS_FILE_TMPDIR/in" -O threshold
	assert_contains "$(ccc-inspect w/02-request)" '"security": 2,'
	# The cores: fields 1 to 8, before the enclave, its document and
	# its verdicts on the (per-replica) sealed blobs.
	for j in 1 2 3; do
		ccc-inspect -d w/06-result-"$j" |
		    sed '/^  9 \/ enclave_id \/:/,$d' >"core-$j"
	done
	[ "$(wc -l <core-1)" = 12 ]
	assert_same core-1 core-2
	assert_same core-1 core-3
	assert_differ w/06-result-1 w/06-result-2
	# One certified result, carrying the other two attestations.
	crun -0 ccc-quorum-sign verify -r w/00-keys/roster -o agreed \
	    w/07-certified-result
	assert_contains "$(ccc-inspect agreed)" '"replicas": ['
	[ "$(ccc-inspect agreed | grep -c '"enclave_id"')" = 3 ]
	# One replica's result alone is not enough for an oracle to sign.
	crun -1 ccc-quorum-sign sign -i w/00-keys/oracle-1.key \
	    -A w/00-keys/attest.policy -r w/00-keys/roster -P w/00-keys/pool \
	    -F w/03-certified -o sig w/06-result-2
	assert_stderr "ccc-quorum-sign: attestation refused: w/06-result-2: binding mismatch: 1 of the request's 3 replicas attest the result, 3 needed"
	assert_no_file sig
	# Decrypted by the nodes (direct mode): a permutation of the input.
	crun -0 ccc-keygen recipient -o r.key -p r.pub
	for i in 1 2 3 4 5; do
		crun -0 ccc-reencrypt -s "w/00-keys/committee/share-$i.cbor" \
		    -k w/00-keys/committee/tpk.cbor --to r.pub \
		    -l app:demo/output -o "s-$i" w/07-output
	done
	crun -0 ccc-combine -k w/00-keys/committee/tpk.cbor -i r.key \
	    -b w/07-output -o plain s-{1..5}
	[ "$(head -n 1 plain | cut -c1-5)" = "seed " ]
	assert_same <(tail -n +2 plain | sort) "$BATS_FILE_TMPDIR/in"
	assert_differ <(tail -n +2 plain) "$BATS_FILE_TMPDIR/in"
}

@test "level 2: one corrupted replica of 3 with --agree 2: certified, the outlier named in the divergence record" {
	need_test_hooks
	crun -0 ccc-flow -d w --enclaves 3 --replicas 3 --agree 2 \
	    --corrupt-replica 2 -x "$SHUFFLE" -i "$BATS_FILE_TMPDIR/in"
	assert_stderr "ccc-quorum-sign: warning: 2 of 3 replicas agree: replica 2 differs"
	crun -0 ccc-inspect w/07-divergence
	assert_contains "$output" '"type": "ccc/divergence/v1",'
	assert_contains "$output" '"agree": 2,'
	[ "$(grep -c '"verdict": "agrees"' <<<"$output")" = 2 ]
	[ "$(grep -c '"verdict": "differs"' <<<"$output")" = 1 ]
	# The outlier is replica 2, its attested result kept as evidence.
	e2=$(field_hex w/06-result-2 enclave_id)
	assert_contains "$output" "\"enclave_id\": \"$e2\",
      \"verdict\": \"differs\","
	# The two that agree certify the output, the shuffled input.
	assert_same <(tail -n +2 w/07-output | sort) "$BATS_FILE_TMPDIR/in"
	[ "$(ccc-inspect w/07-certified-result | grep -c '"enclave_id"')" = 2 ]
}

@test "level 2: one corrupted replica of 3 with --agree 3 (the default): refused, with the divergence record" {
	need_test_hooks
	crun -1 ccc-flow -d w --enclaves 3 --replicas 3 --corrupt-replica 3 \
	    -x "$SHUFFLE" -i "$BATS_FILE_TMPDIR/in"
	assert_stderr "ccc-quorum-sign: replicas disagree: 2 of 3 replicas agree, 3 needed: replica 3 differs"
	assert_contains "$output" "   the divergence record: 07-divergence (ccc-inspect shows it)"
	assert_no_file w/07-certified-result
	assert_no_file w/07-output
	crun -0 ccc-inspect w/07-divergence
	[ "$(grep -c '"verdict": "differs"' <<<"$output")" = 1 ]
}

@test "level 2: the seed is the same on every replica and differs between requests" {
	level2 "$PWD/a" 3 3
	level2 "$PWD/b" 3 3
	for r in a b; do
		for j in 1 2 3; do
			enclave "$PWD/$r" "$j"
			[ "$status" = 0 ]
		done
	done
	sa=$(output_of a/result-1)
	[ "$(output_of a/result-2)" = "$sa" ]
	[ "$(output_of a/result-3)" = "$sa" ]
	sb=$(output_of b/result-1)
	[ "$(output_of b/result-3)" = "$sb" ]
	[ "$sa" != "$sb" ]
	# (the seed's digest, the first line: another request, another seed)
	[ "$(hex_str "seed ")" = "${sa:0:10}" ]
	[ "${sa:0:42}" != "${sb:0:42}" ]
}

@test "level 2: a wrong coin share is named, the run goes on with t; t-1 coin shares give no seed" {
	level2 "$PWD/a" 3 3
	# Node 1's release to replica 1, its coin share (record 2, after the
	# one ciphertext's) altered and sealed again.
	crun -0 "$CCC_BIN/../tests/unit/share-tamper" -i a/key-1 -n 2 \
	    -o a/bad-1 a/sealed-1
	cp a/key-1 key-1.keep
	enclave "$PWD/a" 1 a/bad-1 a/sealed-{2..7}
	[ "$status" = 0 ]
	assert_stderr "ccc-enclave-run: warning: node 1 (a/bad-1): coin share: proof does not verify; its shares were not used"
	# Three coin shares bad: four left, five needed.
	cp key-1.keep a/key-1
	rm -f a/bad-1
	for i in 1 2 3; do
		crun -0 "$CCC_BIN/../tests/unit/share-tamper" -i a/key-1 -n 2 \
		    -o "a/bad-$i" "a/sealed-$i"
	done
	rm -f a/result-1
	enclave "$PWD/a" 1 a/bad-{1..3} a/sealed-{4..7}
	[ "$status" = 1 ]
	[[ $stderr == *"ccc-enclave-run: not enough shares: the coin: 4 valid shares, 5 needed; "* ]]
	assert_no_file a/result-1
}

@test "level 2: releases whose shares carry their commitments, the coin share's too, run the same" {
	local NODE_OPTS=(--commitments)
	level2 "$PWD/c" 3 3
	# Replica 2 with every release as made: nothing to say.
	enclave "$PWD/c" 2
	[ "$status" = 0 ]
	assert_stderr_empty
	# Replica 1 with node 1's coin share altered: named, as without.
	crun -0 "$CCC_BIN/../tests/unit/share-tamper" -i c/key-1 -n 2 \
	    -o c/bad-1 c/sealed-1
	enclave "$PWD/c" 1 c/bad-1 c/sealed-{2..7}
	[ "$status" = 0 ]
	assert_stderr "ccc-enclave-run: warning: node 1 (c/bad-1): coin share: proof does not verify; its shares were not used"
	# The two results agree on their cores.
	for j in 1 2; do
		ccc-inspect -d "c/result-$j" |
		    sed '/^  9 \/ enclave_id \/:/,$d' >"core-$j"
	done
	[ "$(wc -l <core-1)" = 12 ]
	assert_same core-1 core-2
}

@test "level 2: requests and their checks: k and m in the request, a majority, replicas on distinct enclaves of the pool" {
	level2 "$PWD/a" 3 2
	crun -0 ccc-inspect a/request
	assert_contains "$output" '"security": 2,'
	assert_contains "$output" '"agree": 2'
	# The replicas: distinct enclaves, one per operator.
	[ "$(sort -u a/replica | wc -l)" = 3 ]
	# --agree must be a majority.
	crun -2 ccc-quorum-sign request -a demo -x "$W/02-program" \
	    -k "$W/00-keys/committee/tpk.cbor" -r "$W/00-keys/roster" \
	    -P "$W/00-keys/pool" -K a/key-1.pub -K a/key-2.pub -K a/key-3.pub \
	    --agree 1 "$W/01-input.ct"
	assert_stderr "ccc-quorum-sign: usage: --agree: a majority of the 3 replicas, at most all (see ccc-quorum-sign --help)"
	# --replicas takes 2 to 16: 1 is no replication.
	crun -2 ccc-quorum-sign assign -r "$W/00-keys/roster" -P "$W/00-keys/pool" \
	    --replicas 1
	assert_stderr "ccc-quorum-sign: usage: --replicas: 2 to 16 (see ccc-quorum-sign --help)"
	crun -2 ccc-flow -d w2 --enclaves 3 --replicas 1
	assert_stderr "ccc-flow: usage: --replicas takes 2 to 16 enclaves, not 1 (see ccc-flow --help)"
	# Replicas given in another order than the pool assigns them.
	crun -1 ccc-quorum-sign request -a demo -x "$W/02-program" \
	    -k "$W/00-keys/committee/tpk.cbor" -r "$W/00-keys/roster" \
	    -P "$W/00-keys/pool" -K a/key-2.pub -K a/key-1.pub -K a/key-3.pub \
	    -I "$(cut -d' ' -f1 a/assigned | head -n 1)" "$W/01-input.ct"
	[[ $stderr == "ccc-quorum-sign: refused by policy: a/key-2.pub: the request is assigned to enclave "*", not "* ]]
	# A node serves a level-2 request once, whichever replica asks.
	crun -1 ccc-reencrypt -s "$W/00-keys/committee/share-1.cbor" \
	    -k "$W/00-keys/committee/tpk.cbor" -r "$W/00-keys/roster" \
	    -A "$W/00-keys/attest.policy" -P "$W/00-keys/pool" \
	    -d "$W/00-nodes/node-1" -o again a/certified
	[[ $stderr == "ccc-reencrypt: replayed: a/certified: request "*"... was already served by node 1" ]]
	# Its release: one sealed blob per replica, in replica order.
	[ "$(ccc-inspect a/sealed-1 | grep -c '"type": "ccc/sealed/v1"')" = 3 ]
}

@test "level 2 through serving enclave hosts: each replica's key held by its process, the three result cores byte-identical" {
	local d=$PWD/d j e rid pids=()
	mkdir d
	(cd "$W" && ccc-quorum-sign assign -r 00-keys/roster -P 00-keys/pool \
	    --replicas 3) >d/assigned
	rid=$(cut -d' ' -f1 d/assigned | head -n 1)
	# Each replica's enclave a serving process, on a pair of FIFOs, all
	# started before this shell opens one (so none inherits another's).
	for j in 1 2 3; do
		e=$(sed -n "${j}p" d/assigned | cut -d' ' -f3)
		mkfifo "in-$j" "out-$j"
		ccc-enclave-run -r "$W/00-keys/roster" -k "$W/00-keys/committee/tpk.cbor" \
		    -a "$W/00-keys/$e.key" -x "$W/00-enclaves/$e/code" \
		    -p "$W/00-enclaves/$e/policy" --serve <"in-$j" >"out-$j" \
		    2>"err-$j" 3>&- &
		pids+=($!)
		echo "$!" >>servers
	done
	for j in 1 2 3; do
		eval "exec {to_$j}>in-$j {from_$j}<out-$j"
		ccc-enclave-run item key -n "$rid" >&"$((to_$j))"
		timeout 600 ccc-inspect --answer -o "d/key-$j.pub" <&"$((from_$j))"
	done
	level2 "$d" 3 3
	for j in 1 2 3; do
		ccc-enclave-run item job d/certified d/sealed-{1..7} >&"$((to_$j))"
		timeout 600 ccc-inspect --answer -o "d/result-$j" <&"$((from_$j))"
		eval "exec {to_$j}>&- {from_$j}<&-"
		wait "${pids[j - 1]}"
		[[ ! -s err-$j ]] || fail "replica $j: $(cat "err-$j")"
		ccc-inspect -d "d/result-$j" | sed '/^  9 \/ enclave_id \/:/,$d' >"core-$j"
	done
	[ "$(wc -l <core-1)" = 12 ]
	assert_same core-1 core-2
	assert_same core-1 core-3
	assert_differ d/result-1 d/result-2
	# The oracles' comparison: all three agree, one result to sign.
	crun -0 ccc-quorum-sign agree -A "$W/00-keys/attest.policy" \
	    -r "$W/00-keys/roster" -P "$W/00-keys/pool" -F d/certified \
	    -o agreed d/result-{1..3}
	assert_stderr_empty
	[ "$(ccc-inspect agreed | grep -c '"enclave_id"')" = 3 ]
}

@test "level 2: ccc-flow's setup run printed the shuffled input and certified it" {
	run cat "$BATS_FILE_TMPDIR/out"
	assert_contains "$output" "== result (public output of 3 or more of the 3 replicas): 07-output"
	assert_same <(tail -n 8 "$BATS_FILE_TMPDIR/out" | sort) "$BATS_FILE_TMPDIR/in"
	[ ! -s "$BATS_FILE_TMPDIR/err" ]
}
