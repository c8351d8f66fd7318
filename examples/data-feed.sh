#!/usr/bin/env bash
# A proprietary data feed (whitepaper 4.2).
#
# A data provider posts its feed item by item, each encrypted under the
# threshold public key, and records when it posted each one: a published
# record (ccc/published/v1: the item's digest, the feed, the time) that it
# signs with its identity.  Subscribers each get the items re-encrypted to
# their own key: one request per subscriber and item, with the output
# sealed to that subscriber (-O sealed -R KEY), so only they can open it.
#
# Who is a subscriber is the provider's to say, and it says it in a
# subscriber roster (ccc/subscribers/v1: the feed and each subscriber's
# name and recipient key), signed with its identity and certified under
# its own one-member roster, as the oracles certify theirs.  Each oracle
# holds that certificate and checks every request of the feed against it
# before signing (ccc-quorum-sign sign -S SUBSCRIBERS --provider ROSTER):
# a request whose output is not sealed to a subscriber is refused, with
# the reason, as the whitepaper's smart contract would refuse to invoke
# the service.  Without a quorum of signatures no decryption node serves
# a request, so an application, or mallory herself, cannot get the feed
# by building a request for another key.  (The enclave's program does not
# see the recipient: it cannot be the one to check it.)
#
# Nor does a subscriber pick the enclave that opens the feed: the oracles
# certify a pool of enclaves, the pool assigns each request id its enclave,
# and that enclave makes the request's key, attested.  The oracles and the
# nodes check the attestation and the assignment before they sign or serve.
#
# Every release is in the decryption nodes' access logs, which name the
# item (the SHA-256 of its ciphertext) and the key the output was sealed
# to (its SHA-256).  With the provider's certified roster and published
# records, one ccc-inspect -R call across the nodes' logs says which
# subscriber read which item when, and when the item was published.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified pool, a provider.  Every file stays in
# the work directory.
set -euo pipefail
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# shellcheck source-path=SCRIPTDIR source=enclave-pool.bash
. "$examples/enclave-pool.bash"

# hexfield FILE NAME: a hex field of a blob, as ccc-inspect prints it.
hexfield() {
	ccc-inspect "$1" | sed -n "s/^  \"$2\": \"\\([0-9a-f]*\\)\",\\{0,1\\}\$/\\1/p"
}

step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified pool"
pool_deployment

step "the provider's identity, and its one-member roster that certifies what it signs"
run ccc-keygen identity -o provider.key -p provider.pub -N acme-data
run ccc-quorum-sign roster -q 1 -N acme-data -o provider.roster provider.pub

# provider_certify BLOB OUT: the provider signs BLOB and certifies it, to OUT.
provider_certify() {
	run ccc-quorum-sign sign -i provider.key -o "$1.sig" "$1"
	run ccc-quorum-sign combine -r provider.roster -b "$1" -o "$2" "$1.sig"
}

step "subscribers make their keys; the provider certifies its subscriber roster"
for s in alice bob mallory; do
	run ccc-keygen recipient -o "$s.key" -p "$s.pub"
done
# mallory is not on it.
run ccc-quorum-sign subscribers -a feed -o subscribers.blob alice=alice.pub bob=bob.pub
provider_certify subscribers.blob subscribers

step "1. the provider posts two items, each encrypted under the threshold key, and records when"
cat >item-1.txt <<'EOF2'
ACME-50 index, 2026-11-22 12:00 UTC: 1873.42
weights: ACME 12.5%, GLOBEX 9.1%, INITECH 7.7%, UMBRELLA 6.2%
EOF2
cat >item-2.txt <<'EOF2'
ACME-50 index, 2026-11-22 13:00 UTC: 1879.05
weights: ACME 12.6%, GLOBEX 9.0%, INITECH 7.7%, UMBRELLA 6.2%
EOF2
rm -f published
for n in 1 2; do
	run ccc-encrypt -k committee/tpk.cbor -l app:feed -o "item-$n.ct" "item-$n.txt"
	run ccc-quorum-sign publish -a feed -o "item-$n.record" "item-$n.ct"
	provider_certify "item-$n.record" "item-$n.published"
	cat "item-$n.published" >>published
done

step "2. the program: hand over the feed as it is (its output is sealed to the subscriber)"
cat >program <<'EOF'
#!/bin/bash
# Prints the feed (the request's only input).  The enclave seals the
# output to the request's recipient.  The input is one CBOR map
# {0: type, 1: request id, 2: app id, 3: [input]}, read with bash
# builtins only (the sandbox has no PATH).
EOF
read_input >>program
cat >>program <<'EOF'
printf '%s' "${inputs[0]}"
EOF
mkdir -p code
run cp program "code/$(sha384sum <program | cut -d' ' -f1)"

# subscribe NAME N: one subscriber's request for item N, steps 2-7.
# Returns 1, with nothing served, when the oracles refuse it.
subscribe() {
	local s=$1-$2 i
	step "2. $1 asks for item $2: the pool assigns the enclave, which makes an attested key; output sealed to $1.pub"
	assigned_key "$s.request"
	run ccc-quorum-sign request -a feed -x program -k committee/tpk.cbor \
	    -r roster -P pool -K "$s.request.pub" -I "$request_id" \
	    -O sealed -R "$1.pub" -o "$s.request" "item-$2.ct"

	step "3. each oracle checks the request against the provider's subscriber roster, and the enclave's key, then signs"
	for i in 1 2 3; do
		echo "\$ ccc-quorum-sign sign -i oracle-$i.key -k committee/tpk.cbor -A attest.policy -r roster -P pool -S subscribers --provider provider.roster -o $s.sig-$i $s.request"
		ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -S subscribers \
		    --provider provider.roster -o "$s.sig-$i" "$s.request" ||
		    true
	done
	ls "$s".sig-* >/dev/null 2>&1 || return 1
	run ccc-quorum-sign combine -r roster -b "$s.request" -o "$s.certified" \
	    "$s".sig-*

	step "4. each decryption node checks the enclave's key, serves the certified request (and logs it first)"
	for i in 1 2 3; do
		run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "$s.sealed-$i" "$s.certified"
	done

	step "5-6. the enclave decrypts the feed and seals it to $s"
	run ccc-enclave-run -r roster -k committee/tpk.cbor -i "$s.request.key" \
	    -a "$enclave.key" -x code -o "$s.result" "$s.certified" "$s".sealed-*

	step "7. the oracles verify the attestation and sign the result"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -A attest.policy \
		    -r roster -P pool -F "$s.certified" -o "$s.result-sig-$i" \
		    "$s.result"
	done
	run ccc-quorum-sign combine -r roster -b "$s.result" \
	    -o "$s.certified-result" "$s.result-sig-1" "$s.result-sig-2"

	step "$1 opens it with their own key"
	echo "\$ ccc-quorum-sign verify -r roster $s.certified-result | ccc-combine --result - -i $1.key -o $s.feed"
	ccc-quorum-sign verify -r roster "$s.certified-result" |
	    ccc-combine --result - -i "$1.key" -o "$s.feed"
	cat "$s.feed"
}

subscribe alice 1
subscribe bob 1
subscribe alice 2
if subscribe mallory 1 2>mallory.refused; then
	echo "FAIL: mallory's request was certified" >&2
	exit 1
fi
cat mallory.refused
echo "no oracle signed: mallory's request has no certificate"

step "mallory tries the nodes with her uncertified request, and alice's result"
for i in 1 2 3; do
	echo "\$ ccc-reencrypt -s committee/share-$i.cbor -k committee/tpk.cbor -r roster -A attest.policy -P pool -d node-$i -o mallory-1.sealed-$i mallory-1.request"
	if ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    -r roster -A attest.policy -P pool -d "node-$i" \
	    -o "mallory-1.sealed-$i" mallory-1.request \
	    2>>mallory-nodes.refused; then
		echo "FAIL: node $i served an uncertified request" >&2
		exit 1
	fi
done
echo '$ ccc-quorum-sign verify -r roster alice-1.certified-result | ccc-combine --result - -i mallory.key -o mallory.feed'
if ccc-quorum-sign verify -r roster alice-1.certified-result |
    ccc-combine --result - -i mallory.key -o mallory.feed 2>>mallory-nodes.refused; then
	echo "FAIL: mallory opened alice's copy" >&2
	exit 1
fi
cat mallory-nodes.refused

step "the access logs: every release, verifiable by anyone"
for i in 1 2 3; do
	run ccc-inspect -L "node-$i"
done
# Who read which item when: one call across the nodes' logs, with the
# provider's certificates (verified under its roster) to name the
# subscribers and the items' publication times.
echo '$ ccc-inspect -R provider.roster subscribers published node-1 node-2 node-3 > reads'
ccc-inspect -R provider.roster subscribers published node-1 node-2 node-3 >reads
cat reads

step "check"
cmp item-1.txt alice-1.feed
cmp item-1.txt bob-1.feed
cmp item-2.txt alice-2.feed
[ ! -e mallory-1.certified ] && [ ! -e mallory.feed ]
[ "$(grep -c "^ccc-quorum-sign: refused by policy: mallory-1.request: its output is sealed to a key that is not a subscriber of feed \"feed\"\$" mallory.refused)" = 3 ]
for i in 1 2 3; do
	[ ! -e "mallory-1.sealed-$i" ]
	[ "$(ccc-inspect -L "node-$i")" = "node-$i/access.log: 3 entries, chained and matching its head" ]
done
# Three reads, each served by the three nodes, each item published; the
# subscriber, the item and the request, as the requests name them.
[ "$(wc -l <reads)" = 3 ]
for s in alice-1 bob-1 alice-2; do
	rid=$(hexfield "$s.request" request_id)
	item=$(ccc-inspect -s "item-${s#*-}.ct" | sed -n 's/^  "sha256": "\([0-9a-f]*\)",$/\1/p')
	grep -q "^[0-9TZ:-]* ${s%-*} read feed item ${item:0:16} published [0-9TZ:-]* (request ${rid:0:16}, nodes 1 2 3)\$" reads
done
if grep -q mallory reads; then
	echo "FAIL: mallory read an item" >&2
	exit 1
fi
echo "ok: the provider's subscribers got the items they asked for under their own keys, mallory was refused by every oracle, and one ccc-inspect call over the nodes' logs says who read which item when; files are in $work"
