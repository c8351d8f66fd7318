#!/usr/bin/env bats
# ccc-share crash safety: kill -9 at every step of a reshare, on a randomly
# chosen node, for many runs.  After each kill the node must still serve a
# valid epoch (its current share matches its current public key), and
# after the run every node serves the new epoch, whose shares decrypt a
# ciphertext made before the reshare: no committed share is lost.
#
# Two ways to kill: CCC_CRASH_AT=STEP (ccc-share _exit(137)s at a named
# step, between two durable writes; only in a build configured with
# --enable-test-hooks) and `timeout -s KILL` after a random few
# milliseconds (anywhere, including inside a write).  A build without the
# hooks must ignore CCC_CRASH_AT: the last test checks that.
#
# CCC_CRASH_RUNS (default 44, four per step) and CCC_KILL_RUNS (default 16) set the
# numbers of runs; the seed is printed on failure (CCC_CRASH_SEED).
bats_require_minimum_version 1.5.0
load helpers

STEPS=(start transport accept deal respond share confirm epoch current
    cleanup erase)
ALL=(c1 c2 c3 c4)

# The runs work on a tmpfs when there is one: a kill -9 kills a process,
# not the machine, so what it can break does not depend on fsync(2), which
# would otherwise make this test ten times slower.
setup_file() {
	if [[ -d /dev/shm && -w /dev/shm ]]; then
		WORK=$(mktemp -d /dev/shm/ccc-share-crash.XXXXXX)
	else
		WORK=$BATS_FILE_TMPDIR
	fi
	export WORK
	mkdir "$WORK/base"
	cd "$WORK/base"
	mkdir bus
	local n i
	for n in "${ALL[@]}"; do
		ccc-keygen identity -o "$n.key" -p "$n.pub" -N "$n"
		ccc-share init -d "$n" -i "$n.key"
	done
	# Epoch 0: a 2-of-3 DKG among c1..c3.
	ccc-share committee -t 2 -o dkg.committee c1.pub c2.pub c3.pub
	for n in c1 c2 c3; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	for i in $(seq 1 12); do
		for n in c1 c2 c3; do
			xfer "$n"
			ccc-share advance -d "$n"
		done
		for n in c1 c2 c3; do
			ccc-share status -d "$n" | grep -qx 'epoch: 0' ||
			    continue 2
		done
		break
	done
	ccc-share export -d c1 -k tpk0 -g group0
	ccc-keygen recipient -o rk -p rpub
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	# The reshare under test: 2-of-3 -> 3-of-4, c4 joins, no grace.
	ccc-share committee -t 3 -G 0 -g group0 -o c1.committee \
	    c1.pub c2.pub c3.pub c4.pub
	rm -rf bus
	mkdir bus
}

# xfer NODE: a minimal shared-directory transport (two processes; the one
# in examples/ is tested in ccc-share.bats).  It delivers every message
# again and again: ccc-share must not mind.
xfer() {
	cp -n "$1"/out/*.cbor bus/ 2>/dev/null || true
	cp -n bus/*.cbor "$1/in/" 2>/dev/null || true
}

teardown_file() {
	[[ $WORK == /dev/shm/ccc-share-crash.* ]] && rm -rf "$WORK"
	return 0
}

# serves NODE: its current share matches its current public key (a node
# with no epoch yet serves nothing and passes).
serves() {
	local n=$1
	ccc-share status -d "$n" | grep -qx 'epoch: none' && return 0
	rm -f "$n.x.tpk" "$n.x.share"
	ccc-share export -d "$n" -k "$n.x.tpk" -s "$n.x.share" ||
	    { echo "run $RUN: $n cannot export its epoch" >&2; return 1; }
	ccc-share verify -k "$n.x.tpk" -s "$n.x.share" >/dev/null ||
	    { echo "run $RUN: $n's share does not match" >&2; return 1; }
}

# invoke NODE CMD...: run ccc-share for NODE, killed as this run says.
# Sets KILLED when the kill happened.
invoke() {
	local n=$1 rc=0
	shift
	if [[ $n == "$VICTIM" && -z $KILLED && -n $STEP ]]; then
		CCC_CRASH_AT=$STEP ccc-share "$@" || rc=$?
	elif [[ $n == "$VICTIM" && -z $KILLED && $KILL_AT == "$CALLS" ]]; then
		timeout -s KILL "0.00$((RANDOM % 9 + 1))" ccc-share "$@" ||
		    rc=$?
	else
		ccc-share "$@" || rc=$?
	fi
	[[ $n == "$VICTIM" ]] && CALLS=$((CALLS + 1))
	if ((rc == 137)); then
		KILLED=1
		:
		serves "$n"
		return 0
	fi
	((rc == 0)) || { echo "run $RUN: $n: ccc-share $* exited $rc" >&2; \
	    return 1; }
}

# one_run: restore the base, reshare with one kill, check the result.
one_run() {
	local dir=$WORK/run$RUN n i busy
	cp -a "$WORK/base" "$dir"
	cd "$dir"
	KILLED= CALLS=0
	for n in "${ALL[@]}"; do
		if [[ $n == c4 ]]; then
			invoke "$n" reshare -d "$n" -c c1.committee -g group0
		else
			invoke "$n" reshare -d "$n" -c c1.committee
		fi
		# Killed before the transition was recorded: start it again.
		if ccc-share status -d "$n" | grep -qx 'transition: none' &&
		    ! ccc-share status -d "$n" | grep -qx 'epoch: 1'; then
			invoke "$n" reshare -d "$n" -c c1.committee -g group0
		fi
	done
	for i in $(seq 1 12); do
		for n in "${ALL[@]}"; do
			xfer "$n"
			invoke "$n" advance -d "$n"
		done
		busy=
		for n in "${ALL[@]}"; do
			[[ $(cat "$n/current" 2>/dev/null) == 1 &&
			    ! -e $n/pending ]] || busy=$n
		done
		[[ -z $busy ]] && break
	done
	[[ -z $busy ]] || { echo "run $RUN: $busy did not finish" >&2; \
	    ccc-share status -d "$busy" >&2; return 1; }
	# The next cron tick erases what a kill interrupted erasing.
	for n in "${ALL[@]}"; do
		ccc-share advance -d "$n"
	done
	for n in "${ALL[@]}"; do
		serves "$n"
		cmp c1.x.tpk "$n.x.tpk"
		[[ ! -e $n/epochs/0/share.cbor ]] ||
		    { echo "run $RUN: $n kept its epoch-0 share" >&2; return 1; }
		[[ ! -e $n/pending ]]
	done
	# Three random new shares decrypt the epoch-0 ciphertext.
	local sealed=()
	for n in $(printf '%s\n' "${ALL[@]}" | shuf -n 3); do
		ccc-reencrypt -s "$n.x.share" -k c1.x.tpk --to rpub -c app \
		    -o "$n.sealed" ct
		sealed+=("$n.sealed")
	done
	ccc-combine -k c1.x.tpk -i rk -c ct -o out "${sealed[@]}"
	cmp msg out
	cd "$WORK"
	rm -rf "$dir"
}

@test "kill -9 at every step of a reshare, on a random node: every node keeps a valid epoch" {
	need_test_hooks		# CCC_CRASH_AT
	local runs=${CCC_CRASH_RUNS:-44} k
	SEED=${CCC_CRASH_SEED:-$RANDOM}
	RANDOM=$SEED
	echo "# seed $SEED" >&3
	for ((k = 0; k < runs; k++)); do
		RUN=$k
		STEP=${STEPS[k % ${#STEPS[@]}]}
		KILL_AT=-1
		# Steps only dealers reach go to c1..c3; the rest to anyone.
		case $STEP in
		deal|erase) VICTIM=c$((RANDOM % 3 + 1)) ;;
		*) VICTIM=${ALL[RANDOM % 4]} ;;
		esac
		one_run || { echo "seed $SEED, run $k: step $STEP on $VICTIM" >&2; return 1; }
		[[ -n $KILLED ]] ||
		    { echo "run $k: $VICTIM never reached step $STEP" >&2; return 1; }
	done
}

@test "kill -9 after a random delay, on a random node: every node keeps a valid epoch" {
	local runs=${CCC_KILL_RUNS:-16} k
	SEED=${CCC_CRASH_SEED:-$RANDOM}
	RANDOM=$SEED
	echo "# seed $SEED" >&3
	STEP=
	local kills=0
	for ((k = 0; k < runs; k++)); do
		RUN=$k
		VICTIM=${ALL[RANDOM % 4]}
		KILL_AT=$((RANDOM % 6))
		one_run || { echo "seed $SEED, run $k: $VICTIM, call $KILL_AT" >&2; return 1; }
		[[ -z $KILLED ]] || kills=$((kills + 1))
	done
	echo "# $kills of $runs runs killed a ccc-share before it finished" >&3
}

@test "a build without test hooks ignores CCC_CRASH_AT: the reshare completes" {
	! test_hooks ||
	    skip "this build has the test hooks (the check needs one configured without --enable-test-hooks)"
	local k
	KILL_AT=-1
	# Each step, on a node that reaches it: nothing is killed.
	for ((k = 0; k < ${#STEPS[@]}; k++)); do
		RUN=$k
		STEP=${STEPS[k]}
		VICTIM=c$((k % 3 + 1))
		one_run || { echo "step $STEP on $VICTIM" >&2; return 1; }
		[[ -z $KILLED ]] ||
		    { echo "run $k: CCC_CRASH_AT=$STEP killed $VICTIM" >&2; return 1; }
	done
}
