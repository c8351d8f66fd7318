#!/usr/bin/env bash
# A proprietary data feed (whitepaper 4.2).
#
# A data provider posts its feed encrypted under the threshold public key.
# Subscribers on the provider's allow-list each get it re-encrypted to
# their own key: one request per subscriber, with the output sealed to that
# subscriber (-O sealed -R KEY), so only they can open it.  A subscriber not
# on the list gets nothing, and every release is in the decryption nodes'
# access logs, which anyone can verify (ccc-inspect -L).
#
# Where the allow-list is enforced: a request names its output recipient,
# and the oracles sign only requests whose recipient is on the provider's
# published list, as the whitepaper's smart contract would check before
# invoking the service.  ccc-quorum-sign sign checks what every request
# needs (well formed, fresh, this key, labels, an enclave key attested by
# the enclave the pool assigns) and leaves the rest to the oracle's own
# policy (see its man page): the allow-list is that policy, the function
# oracle_allows below, run by each oracle before it signs.
# Without a quorum of signatures no decryption node serves a request, so an
# application, or mallory herself, cannot get the feed by building a
# request for another key.  (The enclave's program does not see the
# recipient: it cannot be the one to check it.)
#
# Nor does a subscriber pick the enclave that opens the feed: the oracles
# certify a pool of enclaves, the pool assigns each request id its enclave,
# and that enclave makes the request's key, attested.  The oracles and the
# nodes check the attestation and the assignment before they sign or serve.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified pool.  Every file stays in the work
# directory.
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
run ccc-keygen dealer -t 2 -n 3 -d committee
for i in 1 2 3; do
	run ccc-keygen identity -o "oracle-$i.key" -p "oracle-$i.pub" -N "oracle-$i"
done
run ccc-quorum-sign roster -q 2 -N oracles -o roster oracle-1.pub oracle-2.pub oracle-3.pub
run ccc-keygen attest-root -o root.key -p root.pem -N example-root
run ccc-keygen enclave-cert -r root.key -o enclave-1.key -p enclave-1.pem -N enclave-1
printf 'ccc-attest-policy 1\nroot software root.pem example-root\nmeasurements any\nallow-software yes\n' >attest.policy
# The oracles certify the pool of enclaves that may serve requests.
certify_pool enclave-1.pem

step "subscribers make their keys; the provider publishes its allow-list"
for s in alice bob mallory; do
	run ccc-keygen recipient -o "$s.key" -p "$s.pub"
done
# One line per subscriber: name and public key (hex).  mallory is not on it.
for s in alice bob; do
	printf '%s %s\n' "$s" "$(hexfield "$s.pub" pk)"
done >allow-list
cat allow-list

# oracle_allows REQUEST: the oracles' own policy for this feed: the
# request's output recipient is on the allow-list.
oracle_allows() {
	local r
	r=$(hexfield "$1" recipient)
	[ -n "$r" ] && cut -d' ' -f2 allow-list | grep -x "$r" >/dev/null
}

step "1. the provider posts the feed, encrypted under the threshold key"
cat >feed.txt <<'EOF'
ACME-50 index, 2026-11-22 12:00 UTC: 1873.42
weights: ACME 12.5%, GLOBEX 9.1%, INITECH 7.7%, UMBRELLA 6.2%
EOF
run ccc-encrypt -k committee/tpk.cbor -l app:feed -o feed.ct feed.txt

step "2. the program: hand over the feed as it is (its output is sealed to the subscriber)"
cat >program <<'EOF'
#!/bin/bash
# Prints the feed (the request's only input).  The enclave seals the
# output to the request's recipient.  The input is one CBOR map
# {0: type, 1: request id, 2: app id, 3: [input]}, read with bash
# builtins only (the sandbox has no PATH).
EOF
cat "$examples/enclave-input.bash" >>program
cat >>program <<'EOF'
inputs=()
hd
for k in 0 1 2 3; do
	hd; hd
	case $k in
	2) txt; app=$s ;;
	3) for ((m = v; m > 0; m--)); do hd; txt; inputs+=("$s"); done ;;
	*) p=$((p + v)) ;;
	esac
done
printf '%s' "${inputs[0]}"
EOF
mkdir -p code
run cp program "code/$(sha384sum <program | cut -d' ' -f1)"

# subscribe NAME: one subscriber's request, steps 2-7.  Returns 1, with
# nothing served, when the oracles refuse it.
subscribe() {
	local s=$1 i
	step "2. $s asks for the feed: the pool assigns the enclave, which makes an attested key; output sealed to $s.pub"
	assigned_key "$s.request"
	run ccc-quorum-sign request -a feed -x program -k committee/tpk.cbor \
	    -r roster -P pool -K "$s.request.pub" -I "$request_id" \
	    -O sealed -R "$s.pub" -o "$s.request" feed.ct

	step "3. each oracle checks the allow-list, then signs (checking the enclave's key too)"
	for i in 1 2 3; do
		if ! oracle_allows "$s.request"; then
			echo "oracle-$i: refused: the request's recipient is not on the allow-list"
			continue
		fi
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "$s.sig-$i" "$s.request"
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

	step "$s opens it with their own key"
	echo "\$ ccc-quorum-sign verify -r roster $s.certified-result | ccc-combine --result - -i $s.key -o $s.feed"
	ccc-quorum-sign verify -r roster "$s.certified-result" |
	    ccc-combine --result - -i "$s.key" -o "$s.feed"
	cat "$s.feed"
}

subscribe alice
subscribe bob
if subscribe mallory; then
	echo "FAIL: mallory's request was certified" >&2
	exit 1
fi
echo "no oracle signed: mallory's request has no certificate"

step "mallory tries the nodes with her uncertified request, and alice's result"
for i in 1 2 3; do
	echo "\$ ccc-reencrypt -s committee/share-$i.cbor -k committee/tpk.cbor -r roster -A attest.policy -P pool -d node-$i -o mallory.sealed-$i mallory.request"
	if ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    -r roster -A attest.policy -P pool -d "node-$i" \
	    -o "mallory.sealed-$i" mallory.request \
	    2>>mallory.refused; then
		echo "FAIL: node $i served an uncertified request" >&2
		exit 1
	fi
done
echo '$ ccc-quorum-sign verify -r roster alice.certified-result | ccc-combine --result - -i mallory.key -o mallory.feed'
if ccc-quorum-sign verify -r roster alice.certified-result |
    ccc-combine --result - -i mallory.key -o mallory.feed 2>>mallory.refused; then
	echo "FAIL: mallory opened alice's copy" >&2
	exit 1
fi
cat mallory.refused

step "the access logs: every release, verifiable by anyone"
for i in 1 2 3; do
	run ccc-inspect -L "node-$i"
done
# Who got what when: each entry names a request id; the certified requests
# (public, as on a chain) name the subscriber each output was sealed to.
for s in alice bob; do
	printf '%s %s\n' "$(hexfield "$s.request" request_id)" "$s"
done >requests.idx
echo "node 1's log, joined with the certified requests:"
ccc-inspect node-1/access.log |
    sed -n 's/^  "\(seq\|time\|request_id\)": "\{0,1\}\([0-9a-f]*\)"\{0,1\},$/\2/p' |
    paste - - - | while read -r seq time rid; do
	who=$(grep "^$rid " requests.idx | cut -d' ' -f2)
	printf '  entry %s at %s: request %.16s... -> %s\n' "$seq" \
	    "$(date -u -d "@$time" '+%Y-%m-%d %H:%M:%S UTC')" "$rid" "${who:-unknown}"
	echo "$who" >>log-subscribers
done

step "check"
cmp feed.txt alice.feed
cmp feed.txt bob.feed
[ ! -e mallory.certified ] && [ ! -e mallory.feed ]
for i in 1 2 3; do
	[ ! -e "mallory.sealed-$i" ]
	[ "$(ccc-inspect -L "node-$i")" = "node-$i/access.log: 2 entries, chained and matching its head" ]
	# mallory's request id is in no log.
	if ccc-inspect "node-$i/access.log" | grep "$(hexfield mallory.request request_id)" >/dev/null; then
		echo "FAIL: node $i logged mallory's request" >&2
		exit 1
	fi
done
[ "$(sort log-subscribers | tr '\n' ' ')" = "alice bob " ]
echo "ok: alice and bob got the feed under their own keys, mallory got nothing, and every release is in the access logs; files are in $work"
