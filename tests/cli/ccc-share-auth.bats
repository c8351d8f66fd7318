#!/usr/bin/env bats
# ccc-share: who may change a key's committee (issue 12, attack 2).  A
# committee that changes the members or the threshold needs the signatures
# of t members of the current group (ccc-share approve), a first DKG those
# of the operators a node was initialised with, and a retired key is gone
# for good.  The cron lines run here are those of examples/crontab.example.
bats_require_minimum_version 1.5.0
load helpers
load ccc-share-helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir -p bus members
}

# cron WHAT NODE: the line of examples/crontab.example whose command
# starts with WHAT, as cron would run it on NODE, with the paths of the
# example mapped into this test's directory.
cron() {
	local line
	line=$(grep -v '^#' "$TOP_SRCDIR/examples/crontab.example" |
	    grep -F "$1" | head -1 | cut -d' ' -f6- | sed -e 's/\\%/%/g' \
	    -e "s|/var/lib/ccc/node|$PWD/$2|g" \
	    -e "s|/var/lib/ccc/|$PWD/$2-|g" \
	    -e "s|/srv/ccc-bus|$PWD/bus|g" \
	    -e "s|/etc/ccc/members|$PWD/members|g" \
	    -e "s|/usr/local/libexec/ccc/ccc-share-transport|$TOP_SRCDIR/examples/ccc-share-transport.sh|g")
	[[ -n $line ]] || fail "no line with $1 in examples/crontab.example"
	bash -c "$line"
}

# cron_settle NODE...: the 5-minute line on each node in turn, until no
# node has a transition under way.
cron_settle() {
	local i n busy
	for i in 1 2 3 4 5 6 7 8 9 10; do
		busy=
		for n; do
			cron 'ccc-share-transport' "$n"
		done
		for n; do
			ccc-share status -d "$n" | grep -qx 'transition: none' ||
			    busy=$n
		done
		[[ -z $busy ]] && return 0
	done
	fail "cron_settle: $busy still has a transition"
}

# weekly: the name of this week's committee in the bus, as cron makes it.
weekly() {
	echo "bus/committee-$(date +%G-%V).cbor"
}

@test "attack 2: a committee of strangers dropped in the bus takes no share" {
	nodes h1 h2 h3 x1 x2 x3
	cp h1.pub h2.pub h3.pub members/
	dkg 2 h1 h2 h3
	ccc-share export -d h1 -g group0 -k tpk0
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	# The attacker can write to the bus: it proposes its own three
	# identities as the next committee.  (Its own nodes would wait for
	# dealings, but they run ccc-share too, which refuses: what matters
	# is that the honest nodes deal nothing, whatever code the attacker
	# runs.)
	ccc-share committee -t 2 -g group0 -o "$(weekly)" $(pubs x1 x2 x3)
	crun -1 ccc-share reshare -d x1 -c "$(weekly)" -g group0
	assert_stderr "ccc-share: refused by policy: $(weekly): a change of members or threshold needs the approval of 2 members of the group of epoch 0, this one has 0 (ccc-share approve)"
	# Monday 03:15: the honest nodes' cron line would take part in "this
	# week's refresh": the committee changes the members, and no member
	# approved it.
	for n in h1 h2 h3; do
		crun -1 cron 'c=/srv/ccc-bus/committee-' "$n"
		assert_stderr "ccc-share: refused by policy: $PWD/$(weekly): a change of members or threshold needs the approval of 2 members of the group of epoch 0, this one has 0 (ccc-share approve)"
		assert_no_file "$n/pending"
	done
	# The 5-minute ticks run; the attacker's nodes get nothing.
	for i in 1 2 3; do
		tick h1 h2 h3 x1 x2 x3
	done
	for n in x1 x2 x3; do
		assert_no_file "$n/pending/share.cbor"
		[[ -z $(ls "$n/epochs") ]]
		crun -2 ccc-share export -d "$n" -s "$n.share"
		assert_stderr "ccc-share: bad node state: $n holds no key yet"
	done
	for n in h1 h2 h3; do
		crun -0 ccc-share status -d "$n"
		assert_contains "$output" "epoch: 0"
		assert_contains "$output" "transition: none"
	done
	seal tpk0 ct h1 h3
	opens tpk0 ct h1 h3
}

# idx NODE NODE...: the position (from 1) of NODE's identity among the
# others' once sorted by id, as the signatures of an approval are.
idx() {
	local me i=1 n
	me=$(field "$1.pub" id)
	shift
	for n; do
		[[ $(field "$n.pub" id) < $me ]] && i=$((i + 1))
	done
	echo "$i"
}

@test "reshare: a change approved by t members is taken; unapproved, under-approved, by strangers, replayed: refused" {
	nodes a b c d x
	dkg 2 a b c
	ccc-share export -d a -g group0 -k tpk0
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	# c leaves, d joins: 2 of the 3 members of epoch 0 must approve.
	ccc-share committee -t 2 -G 0 -g group0 -o c1 $(pubs a b d)
	local why="a change of members or threshold needs the approval of 2 members of the group of epoch 0"
	crun -1 ccc-share reshare -d a -c c1
	assert_stderr "ccc-share: refused by policy: c1: $why, this one has 0 (ccc-share approve)"
	crun -0 ccc-share approve -d a -c c1 -o c1.a
	assert_output_empty
	assert_stderr_empty
	[[ $(field c1.a type) == ccc/approved/v1 ]]
	crun -1 ccc-share reshare -d b -c c1.a
	assert_stderr "ccc-share: refused by policy: c1.a: $why, this one has 1 (ccc-share approve)"
	# A stranger's approval does not count, and is refused outright.
	ccc-share approve -d x -c c1.a -o c1.ax
	crun -1 ccc-share reshare -d b -c c1.ax
	assert_stderr "ccc-share: refused by policy: c1.ax: approval $(idx x a) is by $(field x.pub id | cut -c1-8), not one of the members of the group of epoch 0"
	# A tampered signature.
	flip_bit c1.a $(($(size_of c1.a) - 1)) 0 c1.bad
	crun -1 ccc-share reshare -d b -c c1.bad
	assert_stderr "ccc-share: bad signature: c1.bad: approval 1, by member 1 (a), does not sign this proposal"
	# b approves too (with its identity file, as an operator would).
	crun -0 ccc-share approve -i b.key -c c1.a -o c1.ab
	for n in a b c; do
		crun -0 ccc-share reshare -d "$n" -c c1.ab
		assert_stderr_empty
	done
	crun -0 ccc-share reshare -d d -c c1.ab -g group0
	settle a b c d
	ccc-share export -d d -k tpk1 -g group1
	[[ $(field tpk1 epoch) == 1 && $(field tpk1 n) == 3 ]]
	seal tpk1 ct a d
	opens tpk1 ct a d
	# The approved committee of epoch 0 -> 1, replayed at epoch 1.
	crun -1 ccc-share reshare -d a -c c1.ab
	assert_stderr "ccc-share: key mismatch: c1.ab: the committee reshares group $(field c1 prev | cut -c1-8), not this node's group $(sha256sum group1 | cut -c1-8) (epoch 1)"
	# Epoch 1 -> 2, d leaves and c comes back: a's signature of the
	# epoch-0 change put under it does not sign it.
	ccc-share committee -t 2 -G 0 -g group1 -o c2 $(pubs a b c)
	ccc-share approve -d a -c c2 -o c2.a
	tail -c 64 c1.a >sig.a
	replace_bytes c2.a $(($(size_of c2.a) - 64)) "$(hex_of sig.a)" c2.replay
	crun -1 ccc-share reshare -d b -c c2.replay
	assert_stderr "ccc-share: bad signature: c2.replay: approval 1, by member 1 (a), does not sign this proposal"
	# The approval of a bare retirement is no approval of a committee.
	crun -0 ccc-share retirement -d a -o r
	ccc-share approve -d a -c r -o r.a
	crun -1 ccc-share reshare -d b -c r.a
	assert_stderr "ccc-share: wrong blob type: r.a: expected a key committee, found a key retirement (ccc-share retire)"
}

@test "dkg: a node initialised with operators takes a new key only with T of their approvals" {
	local n
	for n in op1 op2 op3; do
		ccc-keygen identity -o "$n.key" -p "$n.pub" -N "$n"
	done
	for n in a b c; do
		ccc-keygen identity -o "$n.key" -p "$n.pub" -N "$n"
		crun -0 ccc-share init -d "$n" -i "$n.key" -t 2 op1.pub op2.pub op3.pub
		assert_stderr_empty
		[[ $(field "$n/operators.cbor" t) == 2 ]]
	done
	crun -2 ccc-share init -d z -i a.key op1.pub
	assert_stderr "ccc-share: usage: init takes -t T and the operators' identity public keys, or neither (see ccc-share --help)"
	crun -2 ccc-share init -d z -i a.key -t 3 op1.pub op2.pub
	assert_stderr "ccc-share: usage: -t 3 of 2 operators: from 1 to their number (at most 255) (see ccc-share --help)"
	assert_no_file z
	ccc-share committee -t 2 -o dkg.committee $(pubs a b c)
	local why="a new key needs the approval of 2 operators of this node"
	crun -1 ccc-share dkg -d a -c dkg.committee
	assert_stderr "ccc-share: refused by policy: dkg.committee: $why, this one has 0 (ccc-share approve)"
	ccc-share approve -i op1.key -c dkg.committee -o dkg.op1
	crun -1 ccc-share dkg -d a -c dkg.op1
	assert_stderr "ccc-share: refused by policy: dkg.op1: $why, this one has 1 (ccc-share approve)"
	# A member's approval is no operator's.
	ccc-share approve -d b -c dkg.op1 -o dkg.op1b
	crun -1 ccc-share dkg -d a -c dkg.op1b
	assert_stderr "ccc-share: refused by policy: dkg.op1b: approval $(idx b op1) is by $(field b.pub id | cut -c1-8), not one of the operators of this node"
	ccc-share approve -i op3.key -c dkg.op1 -o dkg.ok
	for n in a b c; do
		crun -0 ccc-share dkg -d "$n" -c dkg.ok
	done
	settle a b c
	ccc-share export -d c -k tpk0
	printf 'an approved key\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	seal tpk0 ct a c
	opens tpk0 ct a c
}

@test "examples/crontab.example: the weekly line refreshes on its own; a change of members goes through approve" {
	nodes h1 h2 h3 h4
	cp h1.pub h2.pub h3.pub members/
	dkg 2 h1 h2 h3
	ccc-share export -d h1 -k tpk0
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	# Monday 03:00 on the coordinating node, 03:15 on every node, then
	# the 5-minute ticks: a refresh, with nobody's approval.
	cron 'ccc-share export -d /var/lib/ccc/node -f -g' h1
	for n in h1 h2 h3; do
		crun -0 cron 'c=/srv/ccc-bus/committee-' "$n"
	done
	cron_settle h1 h2 h3
	for n in h1 h2 h3; do
		crun -0 ccc-share status -d "$n"
		assert_contains "$output" "epoch: 1"
		assert_contains "$output" "transition: none"
	done
	# h4 is added to the members' directory: next week's line proposes
	# a change, which the cron lines refuse until 2 members approve it.
	cp h4.pub members/
	rm -f "$(weekly)"
	cron 'ccc-share export -d /var/lib/ccc/node -f -g' h1
	for n in h1 h2 h3; do
		crun -1 cron 'c=/srv/ccc-bus/committee-' "$n"
		assert_stderr "ccc-share: refused by policy: $PWD/$(weekly): a change of members or threshold needs the approval of 2 members of the group of epoch 1, this one has 0 (ccc-share approve)"
	done
	# The operators read it, two members approve it in place, and the
	# cron lines (or the operators by hand) take it.
	approve "$(weekly)" h2 h3
	for n in h1 h2 h3; do
		crun -0 cron 'c=/srv/ccc-bus/committee-' "$n"
	done
	ccc-share export -d h1 -g group1
	ccc-share reshare -d h4 -c "$(weekly)" -g group1
	settle h1 h2 h3 h4
	ccc-share export -d h4 -k tpk2
	[[ $(field tpk2 epoch) == 2 && $(field tpk2 n) == 4 ]]
	seal tpk2 ct h4 h1 h2
	opens tpk2 ct h4 h1 h2
}

@test "retire: t members' approval erases every share for good; the key is refused after" {
	nodes a b c
	dkg 2 a b c
	ccc-share export -d a -k tpk0 -g group0
	local kid
	kid=$(field tpk0 key_id)
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	crun -0 ccc-share retirement -d a -o r0
	assert_stderr_empty
	[[ $(field r0 type) == ccc/retire/v1 && $(field r0 epoch) == 0 ]]
	[[ $(field r0 key_id) == "$kid" ]]
	[[ $(field r0 group) == $(sha256sum group0 | cut -d' ' -f1) ]]
	crun -1 ccc-share retire -d a -c r0
	assert_stderr "ccc-share: refused by policy: r0: a retirement needs the approval of 2 members of the group of epoch 0, this one has 0 (ccc-share approve)"
	approve r0 a
	crun -1 ccc-share retire -d a -c r0
	assert_stderr "ccc-share: refused by policy: r0: a retirement needs the approval of 2 members of the group of epoch 0, this one has 1 (ccc-share approve)"
	approve r0 c
	# A committee is no retirement.
	ccc-share committee -t 2 -g group0 -o c1 $(pubs a b c)
	crun -1 ccc-share retire -d a -c c1
	assert_stderr "ccc-share: wrong blob type: c1: expected a key retirement (ccc-share retirement), found a key committee"
	# A refresh to epoch 1: the retirement of epoch 0 is stale now.
	for n in a b c; do
		ccc-share reshare -d "$n" -c c1
	done
	settle a b c
	crun -1 ccc-share retire -d a -c r0
	assert_stderr "ccc-share: epoch mismatch: r0: the retirement is of the group of epoch 0, this node's is that of epoch 1: make and approve it again"
	ccc-share retirement -d b -o r1
	approve r1 a b
	for n in a b c; do
		[[ -e $n/epochs/1/share.cbor ]]
		crun -0 ccc-share retire -d "$n" -c r1
		assert_stderr_empty
		[[ -z $(find "$n" -name share.cbor) ]]
		assert_no_file "$n/pending"
	done
	# Applying it again only erases again; every other use is refused.
	crun -0 ccc-share retire -d a -c r1
	local gone="ccc-share: refused by policy: key ${kid:0:8} was retired at epoch 1 (a/retired.cbor): the node serves it no more"
	crun -1 ccc-share export -d a -s a.share
	assert_stderr "$gone"
	assert_no_file a.share
	crun -1 ccc-share export -d a -k tpk
	assert_stderr "$gone"
	crun -1 ccc-share status -d a
	assert_stderr "$gone"
	crun -1 ccc-share advance -d a
	assert_stderr "$gone"
	crun -1 ccc-share reshare -d a -c c1
	assert_stderr "$gone"
	crun -1 ccc-share retirement -d a -o r2
	assert_stderr "$gone"
	ccc-share committee -t 2 -k "$kid" -o again $(pubs a b c)
	crun -1 ccc-share dkg -d a -c again
	assert_stderr "$gone"
	crun -1 ccc-share retire -d a -c r0
	assert_stderr "$gone"
}

@test "retire: killed between the tombstone and the erasure, the key is refused and a rerun erases" {
	need_test_hooks	# CCC_CRASH_AT
	nodes a b c
	dkg 2 a b c
	ccc-share export -d a -k tpk
	ccc-share retirement -d a -o r
	approve r a b
	crun -137 env CCC_CRASH_AT=retire ccc-share retire -d a -c r
	assert_stderr_empty
	assert_output_empty
	[[ -e a/retired.cbor && -e a/epochs/0/share.cbor ]]
	crun -1 ccc-share export -d a -s a.share
	assert_stderr "ccc-share: refused by policy: key $(field tpk key_id | cut -c1-8) was retired at epoch 0 (a/retired.cbor): the node serves it no more"
	assert_no_file a.share
	crun -0 ccc-share retire -d a -c r
	assert_no_file a/epochs/0/share.cbor
}
