#!/usr/bin/env bats
# ccc-share: the node state directory, DKG, resharing with committee and
# threshold changes, complaints, deferred members, the subcommands' errors.
# Crash safety is in ccc-share-crash.bats.
bats_require_minimum_version 1.5.0
load helpers
load ccc-share-helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# ---- command line ----------------------------------------------------------

@test "ccc-share: usage errors exit 2 with one line" {
	crun -2 ccc-share advance
	assert_output_empty
	assert_stderr "ccc-share: usage: advance needs -d DIR (see ccc-share --help)"
	crun -2 ccc-share advance -d x extra
	assert_stderr 'ccc-share: usage: unexpected argument "extra" (see ccc-share --help)'
	crun -2 ccc-share init -d x
	assert_stderr "ccc-share: usage: init needs -i IDENTITY (see ccc-share --help)"
	crun -2 ccc-share dkg -d x
	assert_stderr "ccc-share: usage: dkg needs -c COMMITTEE (see ccc-share --help)"
	crun -2 ccc-share export -d x
	assert_stderr "ccc-share: usage: export needs at least one of -C, -g, -k and -s (see ccc-share --help)"
	crun -2 ccc-share verify -k x
	assert_stderr "ccc-share: usage: verify needs -k TPK -s SHARE, or -g GROUP -C CERT (see ccc-share --help)"
	crun -2 ccc-share committee -t 2 -o c
	assert_stderr "ccc-share: usage: committee needs -t T (or -g GROUP), -o OUT and the members' identity public keys (see ccc-share --help)"
	crun -2 ccc-share committee -t 0 -o c a.pub
	assert_stderr "ccc-share: usage: -t: expected a number from 1 to 255 (see ccc-share --help)"
	crun -2 ccc-share committee -t 2 -k abc -o c a.pub
	assert_stderr "ccc-share: usage: -k: a key id is 64 hex digits (see ccc-share --help)"
	crun -2 ccc-share advance -d x --now soon
	assert_stderr 'ccc-share: usage: --now: a time in seconds since 1970 (see ccc-share --help)'
	assert_no_file c
}

# ---- node state -------------------------------------------------------------

@test "ccc-share init: a private state directory; never twice" {
	ccc-keygen identity -o a.key -p a.pub -N alice
	crun -0 ccc-share init -d a -i a.key
	assert_stderr_empty
	assert_output_empty
	assert_mode 700 a
	assert_mode 600 a/identity.key
	[[ -d a/in && -d a/out && -d a/epochs ]]
	cmp a.pub a/identity.pub
	crun -2 ccc-share init -d a -i a.key
	assert_stderr "ccc-share: refusing to overwrite: a: already a node state directory"
	crun -0 ccc-share status -d a
	assert_output "node: $(field a.pub id | cut -c1-8) (alice)
epoch: none
transition: none"
}

@test "ccc-share init: an identity others can read, or a public key, is refused" {
	ccc-keygen identity -o a.key -p a.pub
	chmod 644 a.key
	crun -2 ccc-share init -d a -i a.key
	assert_stderr "ccc-share: insecure permissions: a.key: secret file is accessible by others (mode 644), run chmod 600"
	chmod 600 a.pub
	crun -1 ccc-share init -d a -i a.pub
	assert_stderr "ccc-share: wrong blob type: a.pub: expected an identity secret key (ccc-keygen identity -o KEY), found a public key"
	assert_no_file a
	crun -2 ccc-share advance -d nowhere
	assert_stderr "ccc-share: bad node state: nowhere: not a node state directory (make one with ccc-share init)"
}

@test "ccc-share committee: a readable proposal; bad members refused" {
	nodes a b c
	crun -0 ccc-share committee -t 2 -S 1700000000 -w 600 -G 0 -o c.cbor \
	    a.pub b.pub c.pub
	assert_stderr_empty
	[[ $(field c.cbor type) == ccc/committee/v1 ]]
	[[ $(field c.cbor t) == 2 && $(field c.cbor q) == 3 ]]
	[[ $(field c.cbor start) == 1700000000 && $(field c.cbor step) == 600 ]]
	[[ $(field c.cbor epoch) == 0 ]]
	crun -1 ccc-share committee -t 2 -o d.cbor a.pub b.pub a.pub
	assert_stderr "ccc-share: duplicate: a.pub: member 3 is member 1 again"
	crun -1 ccc-share committee -t 2 -o d.cbor a.pub b.pub a/identity.key
	assert_stderr "ccc-share: wrong blob type: a/identity.key: expected an identity public key (ccc-keygen identity -p)"
	crun -2 ccc-share committee -t 4 -o d.cbor a.pub b.pub c.pub
	assert_stderr "ccc-share: usage: threshold 4 is not between 1 and the 3 members (see ccc-share --help)"
	crun -2 ccc-share committee -t 3 -q 2 -o d.cbor a.pub b.pub c.pub
	assert_stderr "ccc-share: usage: quorum 2 is not between t=3 and n=3 (see ccc-share --help)"
	crun -2 ccc-share committee -t 2 -o c.cbor a.pub b.pub c.pub
	assert_stderr "ccc-share: refusing to overwrite: c.cbor: file exists (use -f to replace it)"
	assert_no_file d.cbor
}

# ---- DKG --------------------------------------------------------------------

@test "dkg (4,3): completes, every 3 nodes decrypt, 2 do not" {
	nodes n1 n2 n3 n4
	dkg 3 n1 n2 n3 n4
	local n s
	for n in n1 n2 n3 n4; do
		crun -0 ccc-share status -d "$n"
		assert_contains "$output" "epoch: 0"
		assert_contains "$output" "certified by: 4 of 4"
		ccc-share export -d "$n" -k "$n.tpk" -g "$n.group" -C "$n.cert"
		cmp n1.tpk "$n.tpk"
		cmp n1.group "$n.group"
		crun -0 ccc-share verify -g "$n.group" -C "$n.cert"
	done
	[[ $(field n1.tpk type) == ccc/tpk/v1 ]]
	[[ $(field n1.tpk t) == 3 && $(field n1.tpk n) == 4 ]]
	printf 'four nodes, no dealer\n' >msg
	ccc-encrypt -k n1.tpk -l app -o ct msg
	seal n1.tpk ct n1 n2 n3 n4
	while read -r s; do
		opens n1.tpk ct $s
	done < <(subsets 3 n1 n2 n3 n4)
	rm -f out
	crun -1 ccc-combine -k n1.tpk -i rk -c ct -o out n2.sealed n4.sealed
	assert_stderr "ccc-combine: not enough shares: ct: item 1: 2 valid shares, 3 needed"
	# The key works with Chainlink's JSON form too (tests/interop/dkg.sh
	# runs Chainlink's encryptor on it).
	crun -0 ccc-keygen export -o tpk.json n1.tpk
	crun -0 ccc-keygen import -t 3 -o back.tpk tpk.json
}

@test "dkg (7,5): completes, all 21 sets of 5 nodes decrypt" {
	nodes n1 n2 n3 n4 n5 n6 n7
	dkg 5 n1 n2 n3 n4 n5 n6 n7
	ccc-share export -d n4 -k tpk
	printf 'seven nodes\n' >msg
	ccc-encrypt -k tpk -l app -o ct msg
	seal tpk ct n1 n2 n3 n4 n5 n6 n7
	local s k=0
	while read -r s; do
		opens tpk ct $s
		k=$((k + 1))
	done < <(subsets 5 n1 n2 n3 n4 n5 n6 n7)
	[[ $k == 21 ]]
	[[ $(field tpk t) == 5 && $(field tpk n) == 7 ]]
}

@test "dkg: a dealer that sends one bad sub-share is convicted and excluded" {
	need_test_hooks	# the misbehaving node, ccc-share-evil
	nodes n1 n2 n3 n4 n5
	ccc-share committee -t 3 -o dkg.committee $(pubs n1 n2 n3 n4 n5)
	for n in n1 n2 n3 n4 n5; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	EVIL_NODE=n2 EVIL_ARGS="--bad-subshare 4" settle n1 n2 n3 n4 n5
	# Member 4's complaint reveals the key of that one seal; everyone
	# re-checks it and drops dealer 2.
	local c
	c=$(ls n1/epochs/0/transcript/respond-4.cbor)
	[[ $(ccc-inspect "$c" | grep -c '"dealer": 2') == 1 ]]
	ccc-share export -d n1 -k tpk -g group
	[[ $(field group dealers) == 01030405 ]]
	crun -0 ccc-share status -d n1
	assert_contains "$output" "epoch: 0"
	# The result is still a correct 3-of-5 key: node 2 (a member still)
	# decrypts with 4 and 5.
	printf 'one dealer cheated\n' >msg
	ccc-encrypt -k tpk -l app -o ct msg
	seal tpk ct n1 n2 n3 n4 n5
	opens tpk ct n2 n4 n5
	opens tpk ct n1 n3 n4
}

@test "dkg: status names the convicted dealer before the commit" {
	need_test_hooks	# the misbehaving node, ccc-share-evil
	nodes n1 n2 n3 n4
	ccc-share committee -t 2 -o dkg.committee $(pubs n1 n2 n3 n4)
	for n in n1 n2 n3 n4; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	# Deal (n1 cheats on 3), respond (3 complains), then n3 confirms.
	EVIL_NODE=n1 EVIL_ARGS="--bad-subshare 3" adv n1 n2 n3 n4
	adv n1 n2 n3 n4
	sync n1 n2 n3 n4
	ccc-share advance -d n3
	crun -0 ccc-share status -d n3
	assert_contains "$output" "phase: commit"
	assert_contains "$output" "confirmations: 1 of the 4 needed"
	assert_contains "$output" "excluded: dealer 1 (n1): convicted: sent member 3 a bad sub-share (proved by its complaint)"
	settle n1 n2 n3 n4
	[[ $(field n3/epochs/0/group.cbor dealers) == 020304 ]]
}

@test "dkg: a false complaint convicts the complainer" {
	need_test_hooks	# the misbehaving node, ccc-share-evil
	nodes n1 n2 n3 n4 n5
	ccc-share committee -t 3 -o dkg.committee $(pubs n1 n2 n3 n4 n5)
	for n in n1 n2 n3 n4 n5; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	adv n1 n2 n3 n4 n5
	EVIL_NODE=n3 EVIL_ARGS="--false-complaint 1" adv n1 n2 n3 n4 n5
	sync n1 n2 n3 n4 n5
	ccc-share advance -d n5
	crun -0 ccc-share status -d n5
	assert_contains "$output" "convicted: member 3 (n3): false complaint against dealer 1"
	assert_contains "$output" "excluded: dealer 3 (n3): convicted: falsely accused dealer 1"
	settle n1 n2 n3 n4 n5
	# Dealer 1 stays; the liar's own dealing is dropped.
	[[ $(field n5/epochs/0/group.cbor dealers) == 01020405 ]]
	ccc-share export -d n5 -k tpk
	printf 'one member lied\n' >msg
	ccc-encrypt -k tpk -l app -o ct msg
	seal tpk ct n1 n3 n5
	opens tpk ct n1 n3 n5
}

# ---- resharing ----------------------------------------------------------------

@test "reshare 5-of-7 -> 3-of-4 -> 6-of-9 -> refresh: old ciphertexts decrypt, old shares refused, h fixed" {
	local a=(a1 a2 a3 a4 a5 a6 a7) b=(b1 b2 b3 b4 b5 b6) n e
	nodes "${a[@]}" "${b[@]}"
	dkg 5 "${a[@]}"
	ccc-share export -d a1 -k tpk0 -g group0
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	local h0
	h0=$(field tpk0 h)
	ccc-share export -d a2 -s a2.share0

	# 5-of-7 -> 3-of-4: a2, a4, a6 stay, b1 joins.
	local c1=(a2 a4 a6 b1)
	ccc-share committee -t 3 -G 0 -g group0 -o c1 $(pubs "${c1[@]}")
	# A change of members and threshold: 5 members of epoch 0 approve it.
	approve c1 a1 a2 a3 a5 a7
	for n in "${a[@]}"; do
		ccc-share reshare -d "$n" -c c1
	done
	ccc-share reshare -d b1 -c c1 -g group0
	settle "${a[@]}" b1
	ccc-share export -d a2 -k tpk1 -g group1
	[[ $(field tpk1 epoch) == 1 && $(field tpk1 t) == 3 && $(field tpk1 n) == 4 ]]
	[[ $(field tpk1 h) == "$h0" && $(field tpk1 g_bar) == $(field tpk0 g_bar) ]]
	[[ $(field tpk1 key_id) == $(field tpk0 key_id) ]]
	seal tpk1 ct "${c1[@]}"
	opens tpk1 ct a4 a6 b1
	opens tpk1 ct a2 a4 b1
	# Dealers that left hold nothing now; those staying hold epoch 1.
	crun -0 ccc-share status -d a1
	assert_contains "$output" "member: none (left the committee)"
	# An epoch-0 share is refused against the epoch-1 key, by
	# ccc-reencrypt and (sealed at epoch 0) by ccc-combine.
	crun -1 ccc-reencrypt -s a2.share0 -k tpk1 --to rpub -c app -o x ct
	assert_stderr "ccc-reencrypt: epoch mismatch: a2.share0: the share is for epoch 0, the public key for epoch 1"
	ccc-reencrypt -s a2.share0 -k tpk0 --to rpub -c app -o old.sealed ct
	rm -f out
	crun -1 ccc-combine -k tpk1 -i rk -c ct -o out a4.sealed b1.sealed old.sealed
	assert_stderr "ccc-combine: not enough shares: ct: item 1: 2 valid shares, 3 needed; node 2 (old.sealed): made at epoch 0, the key is at epoch 1"
	assert_no_file x

	# 3-of-4 -> 6-of-9: a2, a4, b1 and b2..b6, a3 (back).
	local c2=(a2 a4 b1 b2 b3 b4 b5 b6 a3)
	ccc-share committee -t 6 -G 0 -g group1 -o c2 $(pubs "${c2[@]}")
	approve c2 a2 a4 b1
	for n in a2 a4 a6 b1; do
		ccc-share reshare -d "$n" -c c2
	done
	for n in b2 b3 b4 b5 b6; do
		ccc-share reshare -d "$n" -c c2 -g group1
	done
	# a3 left at epoch 1 and holds the epoch-1 group: it rejoins with it.
	ccc-share reshare -d a3 -c c2
	settle a2 a4 a6 b1 "${b[@]:1}" a3
	ccc-share export -d b6 -k tpk2 -g group2
	[[ $(field tpk2 epoch) == 2 && $(field tpk2 t) == 6 && $(field tpk2 n) == 9 ]]
	[[ $(field tpk2 h) == "$h0" ]]
	seal tpk2 ct "${c2[@]}"
	opens tpk2 ct b1 b2 b3 b4 b5 a3
	opens tpk2 ct a2 a4 b6 b5 b3 b1

	# Same-committee refresh, 6-of-9 again, with a grace period: the
	# epoch-2 shares stay until it ends.
	ccc-share committee -t 6 -G 3600 -g group2 -o c3 $(pubs "${c2[@]}")
	for n in "${c2[@]}"; do
		ccc-share reshare -d "$n" -c c3
	done
	settle "${c2[@]}"
	ccc-share export -d a2 -k tpk3
	[[ $(field tpk3 epoch) == 3 && $(field tpk3 h) == "$h0" ]]
	seal tpk3 ct "${c2[@]}"
	opens tpk3 ct b6 b5 b4 b3 b2 b1
	crun -0 ccc-share status -d b1
	assert_contains "$output" "old share: epoch 2, erased at the first advance after"
	crun -0 ccc-share export -d b1 -e 2 -s b1.share2
	crun -0 ccc-share verify -k tpk2 -s b1.share2
	assert_output "ok: the share of node 3 matches h_3 of key $(field tpk0 key_id | cut -c1-8) at epoch 2"
	crun -1 ccc-share verify -k tpk3 -s b1.share2
	assert_stderr "ccc-share: epoch mismatch: b1.share2: the share is for epoch 2, the public key for epoch 3"
}

@test "reshare: a node offline during the rounds is deferred, then catches up" {
	nodes d1 d2 d3 d4
	dkg 3 d1 d2 d3 d4
	ccc-share export -d d1 -g group0 -k tpk0
	printf 'before the reshare\n' >msg
	ccc-encrypt -k tpk0 -l app -o ct msg
	# Rounds of 2 seconds from T0 on a clock the test moves (--now);
	# quorum 3 of 4.
	local T0=1700000000 n i
	ccc-share committee -t 3 -q 3 -S $T0 -w 2 -g group0 -o c1 \
	    $(pubs d1 d2 d3 d4)
	NOW=$T0
	for n in d1 d2 d3 d4; do
		ccc-share reshare -d "$n" -c c1 --now $NOW
	done
	bash "$TRANSPORT" d4 bus	# d4 accepted, then went offline
	# Before the deal deadline the others wait for d4's dealing.
	for i in 1 2 3 4; do
		tick d1 d2 d3
	done
	crun -0 ccc-share status -d d1 --now $NOW
	assert_contains "$output" "waiting for: 4 (d4) (deal) until 2023-11-14T22:13:24Z"
	# One second a tick: the deadlines pass and the three go on without it.
	for i in $(seq 1 12); do
		NOW=$((T0 + i))
		tick d1 d2 d3
		ccc-share status -d d1 --now $NOW | grep -qx 'epoch: 1' && break
	done
	settle d1 d2 d3
	crun -0 ccc-share status -d d1 --now $NOW
	assert_contains "$output" "certified by: 3 of 4"
	assert_contains "$output" "deferred: 4 (d4)"
	crun -0 ccc-share status -d d4 --now $NOW
	assert_contains "$output" "epoch: 0"
	assert_contains "$output" "phase: deal"
	# Back online: it catches up from the certified transcript.
	crun -0 bash -c "bash '$TRANSPORT' d4 bus && ccc-share advance -v -d d4 --now $NOW"
	assert_contains "$output" "caught up with the certified group of epoch 1"
	assert_contains "$output" "committed epoch 1"
	crun -0 ccc-share status -d d4 --now $NOW
	assert_contains "$output" "epoch: 1"
	assert_contains "$output" "share: yes"
	# Its late confirmation completes the others' certificates.
	tick d4 d1 d2 d3
	crun -0 ccc-share status -d d1 --now $NOW
	assert_contains "$output" "certified by: 4 of 4"
	[[ $output != *deferred* ]]
	ccc-share export -d d4 -k tpk1
	seal tpk1 ct d4 d2 d3
	opens tpk1 ct d4 d2 d3
}

@test "reshare: abort leaves epoch e intact; a new attempt completes" {
	nodes a b c
	dkg 2 a b c
	ccc-share export -d a -g group0
	ccc-share committee -t 2 -g group0 -o c1 $(pubs a b c)
	for n in a b c; do
		ccc-share reshare -d "$n" -c c1
	done
	tick a b c
	save a/epochs/0/share.cbor a/epochs/0/group.cbor a/current
	crun -2 ccc-share reshare -d a -c c1
	assert_stderr "ccc-share: bad node state: a transition to epoch 1 (attempt 0) is under way: let it finish or run ccc-share abort"
	for n in a b c; do
		crun -0 ccc-share abort -d "$n"
		assert_stderr_empty
	done
	assert_unchanged a/epochs/0/share.cbor a/epochs/0/group.cbor a/current
	assert_no_file a/pending
	crun -2 ccc-share abort -d a
	assert_stderr "ccc-share: bad node state: a: no transition under way"
	# Old messages of the aborted attempt are ignored by the next one.
	ccc-share committee -t 2 -a 1 -g group0 -o c2 $(pubs a b c)
	for n in a b c; do
		ccc-share reshare -d "$n" -c c2
	done
	settle a b c
	[[ $(field a/epochs/1/committee.cbor attempt) == 1 ]]
}

@test "reshare: refused committees, non-members, a second DKG" {
	nodes a b c x
	dkg 2 a b c
	ccc-share export -d a -g group0
	ccc-share committee -t 2 -g group0 -o c1 $(pubs a b c)
	crun -1 ccc-share dkg -d a -c c1
	assert_stderr "ccc-share: invalid field: c1: the committee reshares epoch 0: use ccc-share reshare"
	crun -1 ccc-share reshare -d a -c dkg.committee
	assert_stderr "ccc-share: invalid field: dkg.committee: the committee makes a new key: use ccc-share dkg"
	crun -1 ccc-share dkg -d x -c c1
	assert_stderr "ccc-share: invalid field: c1: the committee reshares epoch 0: use ccc-share reshare"
	crun -2 ccc-share reshare -d x -c c1
	assert_stderr "ccc-share: usage: this node holds no key yet: give the group being reshared with -g (see ccc-share --help)"
	crun -1 ccc-share reshare -d x -c c1 -g group0
	assert_stderr "ccc-share: key mismatch: c1: this node ($(field x.pub id | cut -c1-8)) is neither a dealer nor a member of the committee"
	ccc-share committee -t 2 -o other $(pubs a b c)
	crun -2 ccc-share dkg -d a -c other
	assert_stderr "ccc-share: bad node state: a already holds a key (epoch 0): a node takes part in one key"
	# A committee for another group (an old epoch) is refused.
	ccc-share reshare -d a -c c1
	ccc-share reshare -d b -c c1
	ccc-share reshare -d c -c c1
	settle a b c
	ccc-share committee -t 2 -a 1 -g group0 -o stale $(pubs a b c)
	crun -1 ccc-share reshare -d a -c stale
	assert_stderr "ccc-share: key mismatch: stale: the committee reshares group $(sha256sum group0 | cut -c1-8), not this node's group $(sha256sum a/epochs/1/group.cbor | cut -c1-8) (epoch 1)"
}

# ---- verify, export, spools, lock ------------------------------------------

@test "ccc-share verify: shares against keys, groups against certificates" {
	nodes a b c
	dkg 2 a b c
	ccc-share export -d b -k tpk -s share -g group -C cert
	assert_mode 600 share
	crun -0 ccc-share verify -k tpk -s share
	assert_output "ok: the share of node 2 matches h_2 of key $(field tpk key_id | cut -c1-8) at epoch 0"
	crun -0 ccc-share verify -k group -s share
	crun -0 ccc-share verify -g group -C cert
	assert_output "ok: the group of key $(field tpk key_id | cut -c1-8) at epoch 0 is certified by 3 of its 3 members (quorum 3)"
	# A share of another key, a tampered certificate, another group's.
	local off
	nodes d e f
	# (dkg on its own line: in an && list, set -e would not stop it.)
	mkdir other
	cd other
	dkg 2 ../d ../e ../f
	cd ..
	ccc-share export -d e -s share.e
	crun -1 ccc-share verify -k tpk -s share.e
	assert_stderr "ccc-share: key mismatch: share.e: the share belongs to key $(field share.e key_id | cut -c1-8), not to this public key"
	off=$(($(size_of cert) - 10))
	flip_bit cert "$off" 0 cert.bad
	crun -1 ccc-share verify -g group -C cert.bad
	assert_stderr "ccc-share: bad signature: cert.bad: the signature of member 3 (c) does not verify"
	ccc-share export -d e -C cert.other
	crun -1 ccc-share verify -g group -C cert.other
	assert_stderr "ccc-share: key mismatch: cert.other: the certificate is for another group"
}

@test "ccc-share: an oracle's signature of the group is no confirmation of it" {
	# A member's identity key may also be an oracle's: what it signs as an
	# oracle (any blob handed to ccc-quorum-sign sign) must never stand
	# for its DKG signatures.  Ed25519 is deterministic, so the same
	# message would give the same bytes.
	nodes a b c
	dkg 2 a b c
	ccc-share export -d b -g group -C cert
	crun -0 ccc-quorum-sign sign -i b.key -o sig group
	local s
	s=$(field_hex sig sig)
	[[ ${#s} == 128 ]]
	if find_hex cert "$s" >/dev/null; then
		fail "the oracle signature is b's group confirmation"
	fi
}

@test "ccc-share status: member names are escaped" {
	nodes a
	ccc-keygen identity -o b.key -p b.pub \
	    -N "$(printf 'b\nnode: forged\033[2J\\')"
	ccc-share init -d b -i b.key
	ccc-share committee -t 2 -o dkg.committee a.pub b.pub
	ccc-share dkg -d a -c dkg.committee
	tick a
	crun -0 ccc-share status -d a
	assert_contains "$output" 'waiting for: '
	assert_contains "$output" '(b\nnode: forged\033[2J\\)'
	[[ "$output" != *$'\033'* && "$output" != *$'\nnode: forged'* ]] ||
	    fail "a control character reached the output"
}

@test "ccc-share export: needs a key, never overwrites, -e picks an epoch" {
	nodes a b
	crun -2 ccc-share export -d a -k tpk
	assert_stderr "ccc-share: bad node state: a holds no key yet"
	dkg 1 a b
	crun -0 ccc-share export -d a -k tpk
	crun -2 ccc-share export -d a -k tpk
	assert_stderr "ccc-share: refusing to overwrite: tpk: file exists (use -f to replace it)"
	crun -0 ccc-share export -d a -f -k tpk
	crun -2 ccc-share export -d a -e 5 -k tpk5
	assert_stderr "ccc-share: bad node state: a has no epoch 5"
	assert_no_file tpk5
}

@test "ccc-share export -f: a file that cannot be written leaves the others as they were" {
	nodes a b
	dkg 1 a b
	local f
	for f in group cert tpk; do
		echo old >"$f"
	done
	save group cert tpk
	# The fourth cannot be written: a directory holds its name.
	mkdir -p share/x
	crun -2 ccc-share export -d a -f -g group -C cert -k tpk -s share
	assert_stderr "ccc-share: i/o error: share: Is a directory"
	assert_output_empty
	assert_unchanged group cert tpk
	assert_no_temp_files .
	rmdir share/x share
	# A rename that fails once the first are in place: those stay, the
	# rest are not written (ccc-share(1), EXIT STATUS).
	crun -2 eio tpk ccc-share export -d a -f -g group -C cert -k tpk \
	    -s share
	assert_stderr "ccc-share: i/o error: tpk: Input/output error"
	assert_same group a/epochs/0/group.cbor
	assert_same cert a/epochs/0/cert.cbor
	assert_unchanged tpk
	assert_no_file share
	assert_no_temp_files .
	crun -0 ccc-share export -d a -f -g group -C cert -k tpk -s share
	assert_mode 600 share
	crun -0 ccc-share verify -k tpk -s share
}

@test "ccc-share export: a damaged share is not copied out (exit 1)" {
	nodes a b
	dkg 1 a b
	local sh=a/epochs/0/share.cbor
	cp -p "$sh" share.good
	# x changed: a well-formed share that does not match h_1.
	flip_bit share.good $(($(size_of share.good) - 1)) 0 "$sh"
	chmod 600 "$sh"
	crun -1 ccc-share export -d a -s share -k tpk
	assert_stderr "ccc-share: key mismatch: $sh: the share of node 1 does not match h_1 of the public key"
	assert_no_file share tpk
	# Zeroed, as an interrupted erasure leaves it.
	head -c "$(size_of share.good)" /dev/zero >"$sh"
	crun -1 ccc-share export -d a -s share
	assert_stderr "ccc-share: malformed input: $sh: at byte 1: $(($(size_of share.good) - 1)) trailing bytes after the key share"
	assert_no_file share
	cp -p share.good "$sh"
	crun -0 ccc-share export -d a -s share
	assert_same share share.good
}

@test "advance: bad files in in/ are set aside with a warning; the lock is exclusive" {
	nodes a b
	ccc-share committee -t 2 -o dkg.committee $(pubs a b)
	ccc-share dkg -d a -c dkg.committee
	ccc-share dkg -d b -c dkg.committee
	printf 'not cbor' >a/in/e0-junk.cbor
	crun -0 ccc-share advance -d a
	assert_stderr "ccc-share: warning: in/e0-junk.cbor: rejected: truncated input: input ends inside an item"
	[[ -e a/in/rejected/e0-junk.cbor ]]
	# b's acceptance with a flipped signature bit.
	local f
	f=$(ls b/out/*-accept-2.cbor)
	flip_bit "$f" $(($(size_of "$f") - 1)) 0 a/in/e0-forged.cbor
	crun -0 ccc-share advance -d a
	assert_stderr "ccc-share: warning: in/e0-forged.cbor: rejected: bad signature: accept 2: not signed by its sender"
	[[ -e a/in/rejected/e0-forged.cbor ]]
	# Another session's message waits, unread, in in/.
	nodes z
	ccc-share committee -t 1 -q 1 -o z.committee z.pub b.pub
	ccc-share dkg -d z -c z.committee
	cp "$(ls z/out/*-accept-1.cbor)" a/in/e0-later.cbor
	crun -0 ccc-share advance -d a
	assert_stderr_empty
	[[ -e a/in/e0-later.cbor ]]
	# Another process holds the lock until told to let go: no race
	# with the clock.
	mkfifo held release
	flock a/lock sh -c 'echo >held; read -r _ <release' &
	read -r _ <held
	crun -2 ccc-share advance -d a
	echo >release
	wait
	assert_stderr "ccc-share: locked: a: another ccc-share is working on this node"
}

@test "advance: others' messages synced once a run; one a power loss damaged is dropped and taken again from in/, ours is not" {
	nodes a b c
	ccc-share committee -t 2 -o dkg.committee $(pubs a b c)
	local n
	for n in a b c; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	sync a b c
	# a takes b's and c's acceptances: written, synced together, and
	# then out of in/.
	crun -0 ccc-share advance -d a
	assert_stderr_empty
	cmp a/pending/msgs/accept-2.cbor "$(ls b/out/*-accept-2.cbor)"
	[[ -z $(ls a/in) ]]
	# A power loss before the sync: b's acceptance zeroed in pending/,
	# its original still in in/.
	cp "$(ls b/out/*-accept-2.cbor)" a/in/
	: >a/pending/msgs/accept-2.cbor
	crun -0 ccc-share status -d a
	crun -0 ccc-share advance -d a
	assert_stderr "ccc-share: warning: a/pending/msgs/accept-2.cbor: damaged, dropped (admitted again if it is still in in/): empty input, expected a signed protocol message"
	cmp a/pending/msgs/accept-2.cbor "$(ls b/out/*-accept-2.cbor)"
	settle a b c
	crun -0 ccc-share status -d a
	assert_contains "$output" "epoch: 0"
	# Its own messages were synced each: a damaged one is an error.
	nodes d e
	ccc-share committee -t 2 -o de.committee $(pubs d e)
	ccc-share dkg -d d -c de.committee
	: >d/pending/msgs/accept-1.cbor
	crun -1 ccc-share advance -d d
	assert_stderr "ccc-share: truncated input: d/pending/msgs/accept-1.cbor: empty input, expected a signed protocol message"
}

@test "ccc-share: its blobs print with ccc-inspect" {
	nodes a b
	dkg 2 a b
	local f
	for f in a/epochs/0/committee.cbor a/epochs/0/group.cbor \
	    a/epochs/0/cert.cbor a/epochs/0/transcript/*.cbor; do
		crun -0 ccc-inspect "$f"
	done
	crun -0 ccc-inspect a/epochs/0/transcript/confirm-1.cbor
	assert_contains "$output" '"type": "ccc/share-confirm/v1"'
	assert_contains "$output" '"type": "ccc/group/v1"'
	crun -0 ccc-inspect a/epochs/0/cert.cbor
	assert_contains "$output" '"type": "ccc/group-cert/v1"'
}

@test "examples/dkg-reshare.sh runs and checks its result" {
	run -0 --separate-stderr env WORKDIR="$BATS_TEST_TMPDIR" \
	    bash "$TOP_SRCDIR/examples/dkg-reshare.sh"
	[[ "${lines[-1]}" == "ok: a 2-of-3 DKG key, reshared to 3 of 4, decrypted a ciphertext made before the reshare; files are in $BATS_TEST_TMPDIR" ]]
	[[ "$stderr" == "ccc-reencrypt: epoch mismatch: bob-share-0.cbor: the share is for epoch 0, the public key for epoch 1" ]]
	cmp message.txt decrypted.txt
}
