#!/usr/bin/env bats
# The use cases' security properties (issue 17).  Data feeds (whitepaper
# 4.2): the provider's certified subscriber roster, checked by the oracles
# before they sign a request of the feed; a published record per item;
# and ccc-inspect -R, which says from the nodes' access logs which
# subscriber read which item when.  Confidential API access (4.1): the
# enclave's program refuses a server whose certificate is not the pinned
# one (examples/confidential-api.sh, run by examples-usecases.bats, shows
# the rest).
bats_require_minimum_version 1.5.0
load helpers

MEAS=$(printf '%096d' 0)
NB=1000000000
NA=4000000000
# Request ids: the pool has one enclave, which every id is assigned to.
RID_A1=$(printf 'a1%.0s' {1..32})
RID_B1=$(printf 'b1%.0s' {1..32})
RID_A2=$(printf 'a2%.0s' {1..32})
RID_M1=$(printf 'e1%.0s' {1..32})
RID_U1=$(printf 'c1%.0s' {1..32})

# feed_request NAME N RID [MODE...]: NAME's request of item N (NAME-N.req),
# created at $T, its output sealed to NAME.pub (or as MODE... says).
feed_request() {
	local name=$1 n=$2 rid=$3
	shift 3
	[ $# -gt 0 ] || set -- -O sealed -R "$name.pub"
	ccc-quorum-sign request -a feed -m "$MEAS" -k k23/tpk.cbor -r roster \
	    -P pool -K epub -I "$rid" -E 3600 --now "$T" -o "$name-$n.req" \
	    "$@" "item-$n.ct"
}

# provider_certify BLOB OUT: signed by the provider, certified under its
# one-member roster prov.roster.
provider_certify() {
	ccc-quorum-sign sign -i prov.key -o "$1.sig" "$1"
	ccc-quorum-sign combine -r prov.roster -b "$1" --now "$T" -o "$2" \
	    "$1.sig"
}

# In $BATS_FILE_TMPDIR, made once (with oracle_fixtures: o1..o4, roster,
# pool, attest.policy, the enclave key ek/epub):
#   T                 the time every step takes (--now)
#   k23/              a 2-of-3 key
#   prov.key/.pub     the provider's identity ("acme-data"), prov.roster
#                     its one-member roster
#   alice bob mallory .key/.pub recipient keys
#   subs.blob, subs   the roster of alice and bob for feed "feed", its
#                     certificate by the provider
#   item-N.txt/.ct    items 1 and 2, encrypted for app:feed;
#                     item-N.record and item-N.published their records
#                     (at T) and certificates
#   NAME-N.req        requests: alice-1, bob-1, alice-2, mallory-1
setup_file() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		T=$(($(date +%s) + 5))
		echo "$T" >T
		ccc-keygen dealer -t 2 -n 3 -d k23
		ccc-keygen identity -o prov.key -p prov.pub -N acme-data
		ccc-quorum-sign roster -q 1 -N acme-data --not-before "$NB" \
		    --not-after "$NA" -o prov.roster prov.pub
		for s in alice bob mallory; do
			ccc-keygen recipient -o "$s.key" -p "$s.pub"
		done
		ccc-quorum-sign subscribers -a feed --now "$T" -o subs.blob \
		    alice=alice.pub bob=bob.pub
		provider_certify subs.blob subs
		for n in 1 2; do
			printf 'ACME-50 item %s: 187%s.42\n' "$n" "$n" >"item-$n.txt"
			ccc-encrypt -k k23/tpk.cbor -l app:feed -o "item-$n.ct" \
			    "item-$n.txt"
			ccc-quorum-sign publish -a feed --now "$((T - 100 + n))" \
			    -o "item-$n.record" "item-$n.ct"
			provider_certify "item-$n.record" "item-$n.published"
		done
		feed_request alice 1 "$RID_A1"
		feed_request bob 1 "$RID_B1"
		feed_request alice 2 "$RID_A2"
		feed_request mallory 1 "$RID_M1"
	)
}

setup() {
	use_fixtures
	T=$(cat fx/T)
}

# oracle_sign I REQ [ARG...]: oracle I signs REQ checking it against the
# provider's roster fx/subs, to sig-I.
oracle_sign() {
	local i=$1 req=$2
	shift 2
	crun ccc-quorum-sign sign -i "fx/o$i.key" -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -S fx/subs \
	    --provider fx/prov.roster --now "$T" -o "sig-$i" "$@" "$req"
}

# item_of N: the 16 hex digits of item N's SHA-256 that ccc-inspect -R
# prints.
item_of() {
	sha256sum <"fx/item-$1.ct" | cut -c1-16
}

# certify REQ: oracles 1-3 sign REQ (checking the subscriber roster), to
# REQ's base name .cert here.
certify() {
	local i c=${1##*/}
	rm -f sig-1 sig-2 sig-3
	for i in 1 2 3; do
		oracle_sign "$i" "$1"
		[ "$status" -eq 0 ] || return 1
	done
	ccc-quorum-sign combine -r fx/roster -b "$1" --now "$T" -o "${c%.req}.cert" \
	    sig-1 sig-2 sig-3
}

# serve I CERT AT: decryption node I (state stI) serves CERT at time AT.
serve() {
	ccc-reencrypt -s "fx/k23/share-$1.cbor" -k fx/k23/tpk.cbor -r fx/roster \
	    -A fx/attest.policy -P fx/pool -d "st$1" --now "$3" -o "$2.sealed-$1" \
	    "$2"
}

# reads_fixture: alice-1 served by nodes 1 and 2 (T+10, T+11), bob-1 by
# nodes 3 and 1 (T+20, T+21), alice-2 by nodes 3, 2, 1 (T+30, T+30, T+31).
reads_fixture() {
	local r
	for r in alice-1 bob-1 alice-2; do
		certify "fx/$r.req"
	done
	serve 1 alice-1.cert $((T + 10))
	serve 2 alice-1.cert $((T + 11))
	serve 3 bob-1.cert $((T + 20))
	serve 1 bob-1.cert $((T + 21))
	serve 3 alice-2.cert $((T + 30))
	serve 2 alice-2.cert $((T + 30))
	serve 1 alice-2.cert $((T + 31))
	cat fx/item-1.published fx/item-2.published >published
}

@test "subscribers: the roster lists each subscriber's name and key, by key; the provider's certificate gives back its bytes" {
	local a b
	a=$(field_hex fx/alice.pub pk)
	b=$(field_hex fx/bob.pub pk)
	crun -0 ccc-inspect fx/subs.blob
	assert_stderr_empty
	local first=("$a" alice) second=("$b" bob)
	[[ $a < $b ]] || { first=("$b" bob); second=("$a" alice); }
	assert_output "{
  \"type\": \"ccc/subscribers/v1\",
  \"feed\": \"feed\",
  \"issued\": $T,
  \"subscribers\": [
    {
      \"pk\": \"${first[0]}\",
      \"name\": \"${first[1]}\"
    },
    {
      \"pk\": \"${second[0]}\",
      \"name\": \"${second[1]}\"
    }
  ]
}"
	crun -0 ccc-quorum-sign verify -r fx/prov.roster --now "$T" -o back fx/subs
	assert_stderr_empty
	assert_same back fx/subs.blob
	# The same subscribers in another order: the same bytes.
	crun -0 ccc-quorum-sign subscribers -a feed --now "$T" -o again \
	    bob=fx/bob.pub alice=fx/alice.pub
	assert_same again fx/subs.blob
}

@test "subscribers: one key for two names is refused; a name or feed outside the rule, or no =, is a usage error" {
	crun -1 ccc-quorum-sign subscribers -a feed -o out alice=fx/alice.pub \
	    eve=fx/alice.pub
	assert_stderr 'ccc-quorum-sign: duplicate: the key of alice is given again for eve'
	assert_no_file out
	crun -2 ccc-quorum-sign subscribers -a feed -o out 'al ice=fx/alice.pub'
	assert_stderr "ccc-quorum-sign: usage: a subscriber's name: byte 2 (0x20) is not a letter, digit, '.', '_' or '-' (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign subscribers -a feed -o out fx/alice.pub
	assert_stderr 'ccc-quorum-sign: usage: "fx/alice.pub": expected NAME=PUB (see ccc-quorum-sign --help)'
	crun -2 ccc-quorum-sign subscribers -a feed/x -o out alice=fx/alice.pub
	assert_stderr "ccc-quorum-sign: usage: -a: app_id: byte 4 (0x2f) is not a letter, digit, '.', '_' or '-' (see ccc-quorum-sign --help)"
	assert_no_file out
}

@test "publish: the record names the feed, the item's SHA-256 and the time; an item of another app is refused" {
	crun -0 ccc-inspect fx/item-1.record
	assert_stderr_empty
	assert_output "{
  \"type\": \"ccc/published/v1\",
  \"feed\": \"feed\",
  \"item\": \"$(sha256sum <fx/item-1.ct | cut -c1-64)\",
  \"time\": $((T - 99))
}"
	ccc-encrypt -k fx/k23/tpk.cbor -l app:feedx -o other.ct fx/item-1.txt
	crun -1 ccc-quorum-sign publish -a feed --now "$T" -o out other.ct
	assert_stderr 'ccc-quorum-sign: refused by policy: other.ct: the ciphertext is not labelled for feed "feed" (app:feed)'
	assert_no_file out
	ccc-encrypt -k fx/k23/tpk.cbor -l app:feed/prices -o sub.ct fx/item-1.txt
	crun -0 ccc-quorum-sign publish -a feed --now "$T" -o out sub.ct
	assert_stderr_empty
}

@test "sign -S: a subscriber's request is signed by every oracle, and certified" {
	certify fx/alice-1.req
	assert_stderr_empty
	crun -0 ccc-quorum-sign verify -r fx/roster --now "$T" -o back alice-1.cert
	assert_same back fx/alice-1.req
}

@test "sign -S: a non-subscriber's request is refused by every oracle, with the reason" {
	local i
	for i in 1 2 3; do
		oracle_sign "$i" fx/mallory-1.req
		[ "$status" -eq 1 ]
		assert_output_empty
		assert_stderr 'ccc-quorum-sign: refused by policy: fx/mallory-1.req: its output is sealed to a key that is not a subscriber of feed "feed"'
		assert_no_file "sig-$i"
	done
}

@test "sign -S: an unsealed request of the feed, and a roster of another feed, are refused" {
	(cd fx && T=$T feed_request unsealed 1 "$RID_U1" -O public)
	oracle_sign 1 fx/unsealed-1.req
	[ "$status" -eq 1 ]
	assert_stderr 'ccc-quorum-sign: refused by policy: fx/unsealed-1.req: its output is not sealed to a subscriber of feed "feed"'
	ccc-quorum-sign subscribers -a news --now "$T" -o news.blob \
	    alice=fx/alice.pub
	ccc-quorum-sign sign -i fx/prov.key -o news.sig news.blob
	ccc-quorum-sign combine -r fx/prov.roster -b news.blob --now "$T" \
	    -o news news.sig
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -S news \
	    --provider fx/prov.roster --now "$T" -o sig-1 fx/alice-1.req
	assert_stderr 'ccc-quorum-sign: refused by policy: fx/alice-1.req: the subscriber roster is for feed "news", the request for "feed"'
	assert_no_file sig-1
}

@test "sign -S: a roster not certified by the provider is refused; -S needs --provider and signs only requests" {
	# mallory certifies her own roster under her own one-member roster.
	ccc-quorum-sign roster -q 1 -N acme-data --not-before "$NB" \
	    --not-after "$NA" -o x.roster fx/x.pub
	ccc-quorum-sign subscribers -a feed --now "$T" -o mine.blob \
	    alice=fx/alice.pub mallory=fx/mallory.pub
	ccc-quorum-sign sign -i fx/x.key -o mine.sig mine.blob
	ccc-quorum-sign combine -r x.roster -b mine.blob --now "$T" -o mine \
	    mine.sig
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -S mine \
	    --provider fx/prov.roster --now "$T" -o sig-1 fx/mallory-1.req
	assert_stderr 'ccc-quorum-sign: key mismatch: mine: at byte 20: certified under another roster than "acme-data"'
	assert_no_file sig-1
	crun -2 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -S fx/subs \
	    --now "$T" -o sig-1 fx/alice-1.req
	assert_stderr 'ccc-quorum-sign: usage: -S and --provider go together (see ccc-quorum-sign --help)'
	crun -1 ccc-quorum-sign sign -i fx/o1.key -S fx/subs \
	    --provider fx/prov.roster -o sig-1 fx/subs.blob
	assert_stderr 'ccc-quorum-sign: wrong blob type: fx/subs.blob: -S signs only a request (ccc/request/v1), not ccc/subscribers/v1'
	assert_no_file sig-1
}

@test "ccc-inspect -R: one call across the nodes' logs says which subscriber read which item when, and when it was published" {
	reads_fixture
	crun -0 ccc-inspect -R fx/prov.roster --now "$((T + 40))" fx/subs \
	    published st1 st2 st3
	assert_stderr_empty
	assert_output "$(utc $((T + 10))) alice read feed item $(item_of 1) published $(utc $((T - 99))) (request a1a1a1a1a1a1a1a1, nodes 1 2)
$(utc $((T + 20))) bob read feed item $(item_of 1) published $(utc $((T - 99))) (request b1b1b1b1b1b1b1b1, nodes 1 3)
$(utc $((T + 30))) alice read feed item $(item_of 2) published $(utc $((T - 98))) (request a2a2a2a2a2a2a2a2, nodes 1 2 3)"
	# Without item 2's record, and one node's log: what that node saw.
	crun -0 ccc-inspect -R fx/prov.roster --now "$((T + 40))" fx/subs \
	    fx/item-1.published st3
	assert_stderr_empty
	assert_output "$(utc $((T + 20))) bob read feed item $(item_of 1) published $(utc $((T - 99))) (request b1b1b1b1b1b1b1b1, nodes 3)
$(utc $((T + 30))) alice read feed item $(item_of 2) not published (request a2a2a2a2a2a2a2a2, nodes 3)"
}

@test "ccc-inspect -R: an altered log, a record not certified by the provider, and the wrong options are refused" {
	reads_fixture
	cp -r st2 bad
	flip_bit st2/access.log 200 0 bad/access.log
	crun -1 ccc-inspect -R fx/prov.roster --now "$((T + 40))" fx/subs \
	    published st1 bad st3
	assert_output_empty
	assert_stderr "ccc-inspect: malformed input: bad: item 1: at byte 0: entry 1 was altered (entry 2's prev is not its hash)"
	ccc-quorum-sign roster -q 1 -N acme-data --not-before "$NB" \
	    --not-after "$NA" -o x.roster fx/x.pub
	ccc-quorum-sign sign -i fx/x.key -o x.sig fx/item-1.record
	ccc-quorum-sign combine -r x.roster -b fx/item-1.record --now "$T" \
	    -o forged x.sig
	crun -1 ccc-inspect -R fx/prov.roster --now "$((T + 40))" fx/subs \
	    forged st1
	assert_output_empty
	assert_stderr 'ccc-inspect: key mismatch: forged: item 1: at byte 20: certified under another roster than "acme-data"'
	crun -2 ccc-inspect -R fx/prov.roster -L st1
	assert_stderr 'ccc-inspect: usage: -R takes none of -L, -d, -s and --show-secrets (see ccc-inspect --help)'
	crun -2 ccc-inspect -R fx/prov.roster
	assert_stderr "ccc-inspect: usage: -R needs the provider's certificates and the nodes' state directories (see ccc-inspect --help)"
	crun -2 ccc-inspect --now "$T" fx/subs
	assert_stderr 'ccc-inspect: usage: --now applies to -R (see ccc-inspect --help)'
}

# Confidential API (whitepaper 4.1): examples/confidential-api.sh runs the
# request through a TLS server of the API's own CA; here the same
# deployment meets a server whose certificate is of another CA.
teardown() {
	if [[ -s $BATS_TEST_TMPDIR/api-server.pid ]]; then
		kill "$(cat "$BATS_TEST_TMPDIR/api-server.pid")" 2>/dev/null || true
	fi
}

@test "confidential API: a server with a certificate of another CA is refused by the enclave's program, and nothing is released" {
	local w=$BATS_TEST_TMPDIR/work port rid enclave i
	command -v python3 >/dev/null || skip "python3 not installed"
	mkdir "$w"
	crun -0 env WORKDIR="$w" bash "$TOP_SRCDIR/examples/confidential-api.sh"
	assert_stderr_empty
	cd "$w"
	port=$(cat api.port)
	# A server for the same name, on the API's port, under its own CA.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout rogue-server.key -subj /CN=api.example -days 30 \
	    -addext subjectAltName=DNS:api.example,IP:127.0.0.1 \
	    -out rogue-server.pem 2>/dev/null
	rm -f rogue.port
	printf 'not-the-token\n' | python3 api-server.py rogue-server.pem \
	    rogue-server.key "rogue.port:$port" >/dev/null 2>&1 3>&- &
	echo $! >"$BATS_TEST_TMPDIR/api-server.pid"
	while [[ ! -s rogue.port ]]; do
		kill -0 "$(cat "$BATS_TEST_TMPDIR/api-server.pid")" ||
		    fail "the server died"
		sleep 0.05
	done
	read -r rid _ enclave < <(ccc-quorum-sign assign -r roster -P pool)
	ccc-enclave-run keygen -a "$enclave.key" -n "$rid" -s rogue-ca.key \
	    -o rogue-ca.pub
	ccc-quorum-sign request -a bank-balance -x program -n --connect "$port" \
	    -k committee/tpk.cbor -r roster -P pool -K rogue-ca.pub -I "$rid" \
	    -o rogue-ca.req credential.ct
	for i in 1 2; do
		ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "rogue-ca.sig-$i" \
		    rogue-ca.req
	done
	ccc-quorum-sign combine -r roster -b rogue-ca.req -o rogue-ca.cert \
	    rogue-ca.sig-1 rogue-ca.sig-2
	for i in 1 2 3; do
		ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "rogue-ca.sealed-$i" rogue-ca.cert
	done
	# curl's status 60: the certificate does not chain to the pinned CA.
	crun -1 ccc-enclave-run -r roster -k committee/tpk.cbor -i rogue-ca.key \
	    -a "$enclave.key" -c code -p enclave.policy -o rogue-ca.result \
	    rogue-ca.cert rogue-ca.sealed-1 rogue-ca.sealed-2 rogue-ca.sealed-3
	assert_output_empty
	assert_stderr 'ccc-enclave-run: code failed: the code exited with status 60; no result and no attestation'
	assert_no_file rogue-ca.result
	# The rogue server got no request, hence no credential.
	[[ $(cat api.log) == '"GET /v1/account HTTP/1.1" 200 -' ]]
}
