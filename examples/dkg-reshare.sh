#!/usr/bin/env bash
# A threshold key without a dealer, then a committee change, on one machine.
#
# Three decryption nodes (alice, bob, carol) run a 2-of-3 DKG; a user
# encrypts under the resulting key.  Then the key is reshared to a 3-of-4
# committee: alice leaves, dave and erin join.  The ciphertext made before
# the reshare decrypts with the new shares, the public key h is unchanged,
# and an old share is refused.  Each node has its own state directory; a
# shared directory carries the protocol messages (the transport in
# examples/ccc-share-transport.sh), and each round is an `advance`, as cron
# would run it.  Every file stays in the work directory.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

nodes=(alice bob carol dave erin)

# rounds NODE...: move messages and advance every node until none has a
# transition left (each pass is what one cron tick does on every node).
rounds() {
	local pass n
	for pass in 1 2 3 4 5 6 7 8; do
		for n in "$@"; do
			bash "$here/ccc-share-transport.sh" "$n" bus
			ccc-share advance -d "$n" -v | sed "s/^/$n: /"
		done
		for n in "$@"; do
			ccc-share status -d "$n" | grep '^transition: none' >/dev/null ||
			    continue 2
		done
		return 0
	done
	echo "the transition did not finish" >&2
	return 1
}

step "0. every node makes an identity and a state directory"
for n in "${nodes[@]}"; do
	run ccc-keygen identity -o "$n.key" -p "$n.pub" -N "$n"
	run ccc-share init -d "$n" -i "$n.key"
done

step "1. a 2-of-3 DKG among alice, bob and carol"
run ccc-share committee -t 2 -o dkg.committee alice.pub bob.pub carol.pub
for n in alice bob carol; do
	run ccc-share dkg -d "$n" -c dkg.committee
done
rounds alice bob carol
run ccc-share status -d alice
run ccc-share export -d alice -k tpk-0.cbor -g group-0.cbor
run ccc-share export -d bob -s bob-share-0.cbor

step "2. a user encrypts under the DKG's public key"
printf 'made at epoch 0\n' > message.txt
run ccc-encrypt -k tpk-0.cbor -l app:demo -o message.ct message.txt

step "3. reshare to 3 of 4: alice leaves, dave and erin join"
run ccc-share committee -t 3 -g group-0.cbor -G 0 -o reshare.committee \
    bob.pub carol.pub dave.pub erin.pub
# A change of members or threshold needs the approval of t (here 2)
# members of the current group: each signs the committee in turn.
for n in alice bob; do
	run ccc-share approve -d "$n" -c reshare.committee -f -o reshare.committee
done
for n in alice bob carol; do
	run ccc-share reshare -d "$n" -c reshare.committee
done
for n in dave erin; do
	run ccc-share reshare -d "$n" -c reshare.committee -g group-0.cbor
done
rounds alice bob carol dave erin
run ccc-share status -d alice
run ccc-share export -d bob -k tpk-1.cbor

step "4. three of the new committee decrypt the epoch-0 ciphertext"
run ccc-keygen recipient -o recipient.key -p recipient.pub
for n in bob dave erin; do
	run ccc-share export -d "$n" -s "$n-share-1.cbor"
	run ccc-reencrypt -s "$n-share-1.cbor" -k tpk-1.cbor \
	    --to recipient.pub -l app:demo -o "$n.sealed" message.ct
done
run ccc-combine -k tpk-1.cbor -i recipient.key -b message.ct \
    -o decrypted.txt bob.sealed dave.sealed erin.sealed
cat decrypted.txt

step "5. a share of epoch 0 is refused against the epoch-1 key"
if ccc-reencrypt -s bob-share-0.cbor -k tpk-1.cbor --to recipient.pub \
    -c app:demo -o old.sealed message.ct; then
	echo "an epoch-0 share was accepted" >&2
	exit 1
fi

step "check"
cmp message.txt decrypted.txt
h0=$(ccc-inspect tpk-0.cbor | grep '"h"')
h1=$(ccc-inspect tpk-1.cbor | grep '"h"')
[ "$h0" = "$h1" ]
[ ! -e alice/epochs/0/share.cbor ]	# erased (grace period 0)
ccc-share status -d alice | grep -x 'member: none (left the committee)' >/dev/null
echo "ok: a 2-of-3 DKG key, reshared to 3 of 4, decrypted a ciphertext made before the reshare; files are in $work"
