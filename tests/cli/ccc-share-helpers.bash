# Helpers of the ccc-share tests (ccc-share.bats, ccc-share-auth.bats):
# nodes with state directories, cron ticks, DKG, sealing and opening.
# shellcheck shell=bash

EVIL=$CCC_BIN/../tests/cli/ccc-share-evil
TRANSPORT=$TOP_SRCDIR/examples/ccc-share-transport.sh

# nodes NAME...: an identity and a state directory each.
nodes() {
	local n
	for n; do
		ccc-keygen identity -o "$n.key" -p "$n.pub" -N "$n"
		ccc-share init -d "$n" -i "$n.key"
	done
}

# tick NODE...: what one cron tick does on each node (evil nodes, named in
# $EVIL_NODE with their fault in $EVIL_ARGS, run the test helper).  With
# $NOW set, the nodes take it as the time (--now): a test that crosses a
# deadline moves this clock and never waits for the real one.
tick() {
	local n
	for n; do
		bash "$TRANSPORT" "$n" bus
		if [[ $n == "${EVIL_NODE:-}" ]]; then
			"$EVIL" -d "$n" $EVIL_ARGS
		else
			ccc-share advance -d "$n" ${NOW:+--now "$NOW"}
		fi
	done
}

# sync NODE...: every node's messages reach every other node.
sync() {
	local n
	for n; do
		bash "$TRANSPORT" "$n" bus
	done
	for n; do
		bash "$TRANSPORT" "$n" bus
	done
}

# adv NODE...: one advance each, after everything was synced: so every
# node does exactly the next round.
adv() {
	sync "$@"
	tick "$@"
}

# settle NODE...: ticks until no node has a transition under way.
settle() {
	local i n busy
	for i in 1 2 3 4 5 6 7 8 9 10; do
		tick "$@"
		busy=
		for n; do
			ccc-share status -d "$n" ${NOW:+--now "$NOW"} |
			    grep -qx 'transition: none' ||
			    busy=$n
		done
		[[ -z $busy ]] && return 0
	done
	echo "settle: $busy still has a transition" >&2
	ccc-share status -d "$busy" >&2
	return 1
}

# pubs NODE...: their identity public key files.
pubs() {
	printf '%s.pub ' "$@"
}

# dkg T NODE...: a DKG among the nodes, to completion.
dkg() {
	local t=$1 n
	shift
	ccc-share committee -t "$t" -o dkg.committee $(pubs "$@")
	for n; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	settle "$@"
}

# seal TPK CT NODE...: each node's current share, exported, seals its
# decryption share of CT to the recipient (NODE.sealed).
seal() {
	local tpk=$1 ct=$2 n
	shift 2
	[[ -e rk ]] || ccc-keygen recipient -o rk -p rpub
	for n; do
		rm -f "$n.share" "$n.sealed"
		ccc-share export -d "$n" -s "$n.share"
		ccc-reencrypt -s "$n.share" -k "$tpk" --to rpub -c app \
		    -o "$n.sealed" "$ct"
	done
}

# opens TPK CT NODE...: the nodes' sealed shares decrypt CT to msg.
opens() {
	local tpk=$1 ct=$2 n sealed=()
	shift 2
	for n; do
		sealed+=("$n.sealed")
	done
	rm -f out
	ccc-combine -k "$tpk" -i rk -c "$ct" -o out "${sealed[@]}"
	cmp msg out
}

# subsets K ITEM...: every K-subset of the items, one per line.
subsets() {
	local k=$1
	shift
	if ((k == 0)); then
		echo
		return
	fi
	(($# >= k)) || return 0
	local first=$1
	shift
	subsets $((k - 1)) "$@" | sed "s/^/$first /"
	subsets "$k" "$@"
}

# field FILE NAME: a field of a blob as ccc-inspect prints it.
field() {
	ccc-inspect "$1" | sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p"
}


# approve FILE NODE...: each node approves the proposal in FILE in turn
# (ccc-share approve), which then carries their signatures.
approve() {
	local f=$1 n
	shift
	for n; do
		ccc-share approve -d "$n" -c "$f" -f -o "$f"
	done
}
