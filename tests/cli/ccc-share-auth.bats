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
	    -e "s|examples/|$TOP_SRCDIR/examples/|g")
	[[ -n $line ]] || fail "no line with $1 in examples/crontab.example"
	bash -c "$line"
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
