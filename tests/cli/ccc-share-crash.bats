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
	# Crash consistency is the filesystem's and the state writes'; the
	# same writes run under the sanitizers in ccc-share.bats: CI runs
	# this file in the release build only, within its time budget.
	[[ ${CCC_SANITIZERS:-no} != yes ]] || return 0
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
	epoch0 direct
}

# direct NODE ARGS...: ccc-share ARGS, as it is.
direct() {
	shift
	ccc-share "$@"
}

# epoch0 RUNNER: a 2-of-3 DKG among c1..c3 (epoch 0), each ccc-share run
# by RUNNER NODE ARGS...; a ciphertext made under it, and the committee
# of the reshare under test: 2-of-3 -> 3-of-4, c4 joins, no grace.
epoch0() {
	local run=$1 i n busy
	ccc-share committee -t 2 -o dkg.committee c1.pub c2.pub c3.pub
	for n in c1 c2 c3; do
		"$run" "$n" dkg -d "$n" -c dkg.committee
	done
	for i in $(seq 1 12); do
		for n in c1 c2 c3; do
			xfer "$n"
			"$run" "$n" advance -d "$n"
		done
		busy=
		for n in c1 c2 c3; do
			ccc-share status -d "$n" | grep -qx 'epoch: 0' || busy=$n
		done
		[[ -z $busy ]] && break
	done
	[[ -z $busy ]] || { echo "$busy did not finish the DKG" >&2; return 1; }
	ccc-share export -d c1 -k tpk0 -g group0
	ccc-keygen recipient -o rk -p rpub
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	ccc-share committee -t 3 -G 0 -g group0 -o c1.committee \
	    c1.pub c2.pub c3.pub c4.pub
	# A change of members and threshold: 2 members of epoch 0 approve.
	ccc-share approve -d c1 -c c1.committee -f -o c1.committee
	ccc-share approve -d c2 -c c1.committee -f -o c1.committee
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
	[[ ${WORK:-} == /dev/shm/ccc-share-crash.* ]] && rm -rf "$WORK"
	return 0
}

setup() {
	[[ ${CCC_SANITIZERS:-no} != yes ]] ||
	    skip "crash consistency runs in the release build (its state writes run under the sanitizers in ccc-share.bats)"
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

# decrypts NODE...: the exported new shares of these nodes decrypt the
# ciphertext made at epoch 0.
decrypts() {
	local n sealed=()
	for n in "$@"; do
		ccc-reencrypt -s "$n.x.share" -k c1.x.tpk --to rpub -c app \
		    -o "$n.sealed" ct
		sealed+=("$n.sealed")
	done
	ccc-combine -k c1.x.tpk -i rk -c ct -o out "${sealed[@]}"
	cmp msg out
}

# reshare_rounds RUNNER: rounds of transport and advance on every node,
# each ccc-share run by RUNNER NODE ARGS..., until all are at epoch 1.
reshare_rounds() {
	local run=$1 i n busy
	for i in $(seq 1 12); do
		for n in "${ALL[@]}"; do
			xfer "$n"
			"$run" "$n" advance -d "$n"
		done
		busy=
		for n in "${ALL[@]}"; do
			[[ $(cat "$n/current" 2>/dev/null) == 1 &&
			    ! -e $n/pending ]] || busy=$n
		done
		[[ -z $busy ]] && return 0
	done
	echo "run $RUN: $busy did not finish" >&2
	ccc-share status -d "$busy" >&2
	return 1
}

# one_run: restore the base, reshare with one kill, check the result.
# Its checks are commands that fail under set -e: call it on its own, never
# as `one_run || ...`, where bash would ignore every failure inside it but
# the last (the runs print what they are before they start instead).
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
	reshare_rounds invoke
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
	decrypts $(printf '%s\n' "${ALL[@]}" | shuf -n 3)
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
		echo "seed $SEED, run $k: step $STEP on $VICTIM" >&2
		one_run
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
		echo "seed $SEED, run $k: $VICTIM, call $KILL_AT" >&2
		one_run
		[[ -z $KILLED ]] || kills=$((kills + 1))
	done
	echo "# $kills of $runs runs killed a ccc-share before it finished" >&3
}

# shimmed NODE ARGS...: ccc-share ARGS under tests/cli/ccc-crash-shim.so,
# killed on the unlink(2) that follows its first link(2), run again and
# killed after its second, and so on until it finishes: kill -9 after
# every write it publishes (a run that starts over redoes the writes
# before, a run that continues skips them).  With NO_RENAMEAT2=1 the
# writes fall back to link + unlink; otherwise renameat2(2) leaves no
# second link to kill between.  KILLS counts the kills.
shimmed() {
	local n=$1 rc k=0
	shift
	while :; do
		rc=0
		k=$((k + 1))
		LD_PRELOAD=$SHIM CCC_SHIM_KILL_AT=$k \
		    CCC_SHIM_NO_RENAMEAT2=$NO_RENAMEAT2 \
		    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		    ccc-share "$@" 2>"$WORK/shim.err" || rc=$?
		((rc == 137)) || break
		KILLS=$((KILLS + 1))
		# init refuses a directory it finished: the key is its last
		# write, and a node without it is no node yet.
		if [[ $1 == init ]]; then
			[[ -e $n/identity.key ]] && { rc=0; break; }
			continue
		fi
		serves "$n"
		# A recorded transition is advance's to finish.
		if [[ $1 == dkg || $1 == reshare ]] && ! ccc-share status \
		    -d "$n" | grep -qx 'transition: none'; then
			rc=0
			break
		fi
	done
	((rc == 0)) || { echo "$n: ccc-share $* exited $rc" >&2; \
	    cat "$WORK/shim.err" >&2; return 1; }
}

# shim_flow: a 2-of-3 DKG from ccc-share init on, then a reshare to 3-of-4,
# every ccc-share call of every node killed after each of its writes; the
# new shares must decrypt a ciphertext made at epoch 0.
shim_flow() {
	local n
	for n in "${ALL[@]}"; do
		cp "$WORK/base/$n.key" "$WORK/base/$n.pub" .
		shimmed "$n" init -d "$n" -i "$n.key"
	done
	mkdir bus
	epoch0 shimmed
	for n in c1 c2 c3; do
		shimmed "$n" reshare -d "$n" -c c1.committee
	done
	shimmed c4 reshare -d c4 -c c1.committee -g group0
	reshare_rounds shimmed
	for n in "${ALL[@]}"; do
		shimmed "$n" advance -d "$n"
		serves "$n"
		cmp c1.x.tpk "$n.x.tpk"
	done
	decrypts c1 c3 c4
}

@test "kill -9 between link and unlink of every state write: the next run keeps the published file" {
	SHIM=$CCC_BIN/../tests/cli/ccc-crash-shim.so
	[[ -f $SHIM ]] || fail "the shim $SHIM was not built"
	RUN=shim
	# link(2) + unlink(2), as without renameat2: killed after each write.
	mkdir "$WORK/shim1"
	cd "$WORK/shim1"
	NO_RENAMEAT2=1 KILLS=0
	shim_flow
	echo "# link + unlink: $KILLS kills after a published write" >&3
	((KILLS > 20)) || fail "only $KILLS writes were killed"
	# renameat2(2): nothing to kill between, the same flow.
	mkdir "$WORK/shim0"
	cd "$WORK/shim0"
	NO_RENAMEAT2=0 KILLS=0
	shim_flow
	echo "# renameat2: $KILLS kills" >&3
	cd "$WORK"
	rm -rf "$WORK/shim0" "$WORK/shim1"
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
		echo "step $STEP on $VICTIM" >&2
		one_run
		[[ -z $KILLED ]] ||
		    { echo "run $k: CCC_CRASH_AT=$STEP killed $VICTIM" >&2; return 1; }
	done
}
