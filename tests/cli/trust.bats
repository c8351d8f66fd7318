#!/usr/bin/env bats
# The trust model of issue 12, attack by attack, with the shipped tools:
# an application that names its own key as the enclave key (attack 1), an
# enclave of the pool that forges the result of a request it was not
# assigned (attack 4), a revoked enclave, a reassigned request whose late
# result comes in, keys whose attestation is stale or expired.  Each
# attack is refused by every party that checks, for the stated reason,
# with nothing sealed and nothing logged as served.  (Attack 2, committee
# changes, is in ccc-share-auth.bats; attack 3, the sandbox, in
# sandbox.bats.)
#
# Every time is $T, the set-up's clock, given with --now: no test depends
# on the machine's speed.
bats_require_minimum_version 1.5.0
load helpers

NB=1000000000
NA=4000000000
MEAS=$(printf '%096d' 0)

# In $BATS_FILE_TMPDIR, made once (and oracle_fixtures, helpers.bash):
#   t             the set-up's time T
#   k23/          a 2-of-3 dealer key; ct.A a message for app:A
#   enc2.key/pem  enclave-2, under the same root as enclave-1 (enc.key)
#   pool2         the pool of enclave-1 and enclave-2 (serial 0)
#   pool3         the same, serial 1, with enclave-1 revoked
#   rogue.key/pem an "enclave" the application made under its own root
#   strict.policy attest.policy with the default max-age (300 s)
setup_file() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		date +%s >t
		ccc-keygen dealer -t 2 -n 3 -d k23
		printf 'the user secret\n' >msg
		ccc-encrypt -k k23/tpk.cbor -l app:A -o ct.A msg
		ccc-keygen enclave-cert -r aroot.key -o enc2.key -p enc2.pem \
		    -N enclave-2
		make_pool pool2 enc.pem,operator=acme,name=enclave-1 \
		    enc2.pem,operator=acme,name=enclave-2
		ccc-quorum-sign pool -N pool -s 1 -o pool3.blob \
		    enc.pem,operator=acme,name=enclave-1,status=revoked \
		    enc2.pem,operator=acme,name=enclave-2
		for i in 1 2 3; do
			ccc-quorum-sign sign -i "o$i.key" -o "pool3.o$i" pool3.blob
		done
		ccc-quorum-sign combine -r roster -b pool3.blob -o pool3 \
		    pool3.o1 pool3.o2 pool3.o3
		ccc-keygen attest-root -o rroot.key -p rroot.pem -N app-root
		ccc-keygen enclave-cert -r rroot.key -o rogue.key -p rogue.pem \
		    -N my-enclave
		grep -v max-age attest.policy >strict.policy
	)
}

setup() {
	use_fixtures
	T=$(cat fx/t)
}

# pick POOL NAME: the first of the ids 1, 2, ... that POOL assigns to the
# enclave NAME.
pick() {
	local i=0 id
	while :; do
		i=$((i + 1))
		id=$(printf %064x $i)
		[[ "$(ccc-quorum-sign assign -r fx/roster -P "fx/$1" \
		    --assignment "$id" --now "$T" | cut -d' ' -f3)" == "$2" ]] &&
		    break
	done
	echo "$id"
}

# request OUT POOL KEYBLOB ID [OPTION...]: a request of app A for ct.A.
request() {
	local out=$1 pool=$2 key=$3 id=$4
	shift 4
	ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P "fx/$pool" -K "$key" -I "$id" --now "$T" -E 600 \
	    -o "$out" "$@" fx/ct.A
}

# certify REQ OUT POOL [OPTION...]: oracles 1-3 check and sign REQ; the
# certificate.
certify() {
	local req=$1 out=$2 pool=$3 i
	shift 3
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "fx/o$i.key" -k fx/k23/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P "fx/$pool" --now "$T" \
		    "$@" -o "$out.o$i" "$req" || return
	done
	ccc-quorum-sign combine -r fx/roster -b "$req" --now "$T" -o "$out" \
	    "$out.o1" "$out.o2" "$out.o3"
}

# collude REQ OUT GENUINE: oracles 1-3 sign REQ without any of the tool's
# checks (Ed25519 over the documented message, for fx/roster, with openssl and their
# secret seeds) and certify it: what a colluding quorum could hand the
# nodes.  Their signature blobs are those of the request GENUINE, the
# digest and the signature replaced.
collude() {
	local req=$1 out=$2 genuine=$3 i seed d rid
	d=$(sha256sum <"$req" | cut -c1-64)
	rid=$(sha256sum <fx/roster | cut -c1-64)
	write_hex "$(hex_str "ccc/sig/v1")00$(hex_str "ccc/oracle/v1:ccc/request/v1@$rid")00$d" m
	for i in 1 2 3; do
		seed=$(field_hex "fx/o$i.key" sk | cut -c1-64)
		write_hex "302e020100300506032b657004220420$seed" "o$i.der"
		openssl pkey -inform DER -in "o$i.der" -out "o$i.pem"
		openssl pkeyutl -sign -rawin -inkey "o$i.pem" -in m -out sig
		ccc-quorum-sign sign -i "fx/o$i.key" -k fx/k23/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P fx/pool --now "$T" \
		    -o tmpl "$genuine"
		replace_bytes tmpl "$(field_offset tmpl digest)" "$d" t1
		replace_bytes t1 "$(field_offset t1 sig)" "$(hex_of sig)" \
		    "$out.o$i"
		rm -f tmpl t1
	done
	ccc-quorum-sign combine -r fx/roster -b "$req" --now "$T" -o "$out" \
	    "$out.o1" "$out.o2" "$out.o3"
}

# serve CERT POOL I: decryption node I serves CERT (state stI, output
# CERT.sI), under POOL.
serve() {
	crun ccc-reencrypt -s "fx/k23/share-$3.cbor" -k fx/k23/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P "fx/$2" -d "st$3" --now "$T" \
	    -o "$1.s$3" "$1"
}

# refused_by_nodes CERT POOL LINE: every node refuses CERT with LINE (its
# "ccc-reencrypt: " prefix left out), seals nothing and logs nothing.
refused_by_nodes() {
	local i
	for i in 1 2 3; do
		serve "$1" "$2" "$i"
		((status == 1)) || fail "node $i: exit $status"
		assert_stderr "ccc-reencrypt: $3"
		assert_no_file "$1.s$i" "st$i/access.log"
	done
}

@test "attack 1: an application's own key as the enclave key is refused by the builder, every oracle and every node" {
	ccc-keygen recipient -o app.key -p app.pub
	# The builder takes no recipient key as an enclave key.
	crun -1 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K app.pub --now "$T" -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: wrong blob type: app.pub: at byte 0: expected an attested enclave key (ccc/enclave-key/v1), found a recipient public key (ccc/recipient-pub/v1)"
	assert_no_file r
	# Made by hand: a genuine request with the application's key put in
	# the place of the enclave's.
	request genuine pool fx/epub "$(printf %064x 1)"
	replace_bytes genuine "$(field_offset genuine enclave_key)" \
	    "$(field_hex app.pub pk)" forged
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now "$T" -o s forged
	assert_stderr "ccc-quorum-sign: attestation refused: forged: the enclave key's attestation is for another key than the request's"
	assert_no_file s
	# Certified all the same by a colluding quorum: no node serves it.
	collude forged cert genuine
	refused_by_nodes cert pool "attestation refused: cert: the enclave key's attestation is for another key than the request's"
	# Nothing to combine: the application decrypts nothing.
	crun -2 ccc-combine -k fx/k23/tpk.cbor -i app.key -R cert -o out
	assert_stderr "ccc-combine: usage: no sealed shares given (see ccc-combine --help)"
	assert_no_file out
}

@test "attack 1: an application's own enclave, under its own root, is not in the pool" {
	ccc-enclave-run keygen -a fx/rogue.key -s mine.key -o mine.pub --now "$T"
	crun -1 request r pool mine.pub "$(printf %064x 1)"
	assert_stderr "ccc-quorum-sign: refused by policy: mine.pub: the request's enclave is not in pool \"pool\""
	assert_no_file r
	# By hand, with its key and its enclave put in a genuine request.
	request genuine pool fx/epub "$(printf %064x 1)"
	replace_bytes genuine "$(field_offset genuine enclave_id)" \
	    "$(field_hex mine.pub enclave_id)" r1
	replace_bytes r1 "$(field_offset r1 enclave_key)" \
	    "$(field_hex mine.pub pk)" forged
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now "$T" -o s forged
	assert_stderr "ccc-quorum-sign: refused by policy: forged: the request's enclave is not in pool \"pool\""
	collude forged cert genuine
	refused_by_nodes cert pool "refused by policy: cert: the request's enclave is not in pool \"pool\""
}

@test "an enclave key the pool's assignment does not give is refused: the other enclave's, for the same request" {
	local id
	id=$(pick pool2 enclave-1)
	ccc-enclave-run keygen -a fx/enc2.key -s k2.key -o k2.pub --now "$T"
	crun -1 request r pool2 k2.pub "$id"
	assert_stderr "ccc-quorum-sign: refused by policy: k2.pub: the request is assigned to enclave enclave-1, not enclave-2"
	assert_no_file r
}

@test "a per-request key serves the request it was made for: another request's is refused by the builder, every oracle and every node" {
	local id1 id2 why
	id1=$(printf %064x 1) id2=$(printf %064x 2)
	ccc-enclave-run keygen -a fx/enc.key -n "$id1" -s k1.key -o k1.pub \
	    --now "$T"
	crun -0 request r1 pool k1.pub "$id1"
	why="the enclave key was made for another request (its challenge is not the request id)"
	crun -1 request r2 pool k1.pub "$id2"
	assert_stderr "ccc-quorum-sign: attestation refused: k1.pub: $why"
	assert_no_file r2
	# By hand: the first request under the second id.
	replace_bytes r1 "$(field_offset r1 request_id)" "$id2" forged
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now "$T" -o s forged
	assert_stderr "ccc-quorum-sign: attestation refused: forged: $why"
	assert_no_file s
	collude forged cert r1
	refused_by_nodes cert pool "attestation refused: cert: $why"
}

@test "a per-request key made without a challenge serves any number of requests, unless the policy says require-challenge yes: then every oracle and every node refuses it" {
	local id1 id2 i why
	id1=$(printf %064x 1) id2=$(printf %064x 2)
	cp fx/aroot.pem .
	printf 'require-challenge yes\n' | cat fx/attest.policy - >chal.policy
	ccc-enclave-run keygen -a fx/enc.key -s k0.key -o k0.pub --now "$T"
	request r1 pool k0.pub "$id1"
	request r2 pool k0.pub "$id2"
	# Under a policy without the directive, one key serves both.
	for r in r1 r2; do
		crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P fx/pool --now "$T" \
		    -o "$r.s" "$r"
		assert_stderr_empty
	done
	why="the enclave key was made without a challenge, and the policy requires one (require-challenge yes)"
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A chal.policy -r fx/roster -P fx/pool --now "$T" -o s r1
	assert_stderr "ccc-quorum-sign: attestation refused: r1: $why"
	assert_no_file s
	# Certified all the same by a colluding quorum: no such node serves it.
	collude r1 cert r1
	for i in 1 2 3; do
		crun -1 ccc-reencrypt -s "fx/k23/share-$i.cbor" \
		    -k fx/k23/tpk.cbor -r fx/roster -A chal.policy -P fx/pool \
		    -d "st$i" --now "$T" -o "cert.s$i" cert
		assert_stderr "ccc-reencrypt: attestation refused: cert: $why"
		assert_no_file "cert.s$i" "st$i/access.log"
	done
	# A key made for the request (keygen -n) passes the same policy.
	ccc-enclave-run keygen -a fx/enc.key -n "$id1" -s k1.key -o k1.pub \
	    --now "$T"
	request r3 pool k1.pub "$id1"
	crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A chal.policy -r fx/roster -P fx/pool --now "$T" -o s r3
	assert_stderr_empty
}

@test "attack 4: another enclave of the pool forges the result: refused by ccc-attest-verify and every oracle" {
	local id
	id=$(pick pool2 enclave-1)
	ccc-enclave-run keygen -a fx/enc.key -s k1.key -o k1.pub --now "$T"
	request req pool2 k1.pub "$id"
	certify req cert pool2
	# Enclave 2, never assigned and never given the inputs, signs a
	# result of the usual shape naming enclave 1, with its own output.
	"$CCC_BIN/../tests/unit/result-forge" -k fx/enc2.key -F cert \
	    -t 'forged output' -T "$T" -o forged
	crun -1 ccc-attest-verify -p fx/attest.policy --at "$T" -r cert forged
	assert_output_empty
	assert_stderr "ccc-attest-verify: attestation refused: forged: binding mismatch: signed by another enclave than the one expected"
	crun -1 ccc-quorum-sign sign -i fx/o1.key -A fx/attest.policy \
	    -r fx/roster -P fx/pool2 -F cert --now "$T" -o s forged
	assert_stderr "ccc-quorum-sign: attestation refused: forged: binding mismatch: signed by another enclave than the one expected"
	# Naming itself, it answers a request assigned to another enclave.
	"$CCC_BIN/../tests/unit/result-forge" -c -k fx/enc2.key -F cert \
	    -t 'forged output' -T "$T" -o forged2
	crun -1 ccc-quorum-sign sign -i fx/o1.key -A fx/attest.policy \
	    -r fx/roster -P fx/pool2 -F cert --now "$T" -o s forged2
	assert_stderr "ccc-quorum-sign: attestation refused: forged2: binding mismatch: the result comes from another enclave than the one the request is assigned to"
	assert_no_file s
	# The assigned enclave's own document of the same shape is signed.
	"$CCC_BIN/../tests/unit/result-forge" -k fx/enc.key -F cert \
	    -t 'its output' -T "$T" -o own
	crun -0 ccc-quorum-sign sign -i fx/o1.key -A fx/attest.policy \
	    -r fx/roster -P fx/pool2 -F cert --now "$T" -o s own
	assert_stderr_empty
}

@test "a revoked enclave is refused by oracles and nodes, whatever pool the request names" {
	local id
	id=$(pick pool2 enclave-1)
	ccc-enclave-run keygen -a fx/enc.key -s k1.key -o k1.pub --now "$T"
	request req pool2 k1.pub "$id"
	certify req cert pool2
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool3 --now "$T" -o s req
	assert_stderr "ccc-quorum-sign: refused by policy: req: enclave enclave-1 is revoked in pool \"pool\" (serial 1)"
	assert_no_file s
	refused_by_nodes cert pool3 "refused by policy: cert: enclave enclave-1 is revoked in pool \"pool\" (serial 1)"
	# Under the new pool, the same assignment goes to enclave 2.
	crun -0 ccc-quorum-sign assign -r fx/roster -P fx/pool3 \
	    --assignment "$id" --now "$T"
	[[ "$(cut -d' ' -f3 <<<"$output")" == enclave-2 ]]
}

@test "reassignment: the next enclave gets the request; a late result of the old one is not signed" {
	local id1 id2
	id1=$(pick pool2 enclave-1)
	ccc-enclave-run keygen -a fx/enc.key -s k1.key -o k1.pub --now "$T"
	request r1 pool2 k1.pub "$id1"
	certify r1 c1 pool2
	serve c1 pool2 1
	((status == 0))
	serve c1 pool2 2
	((status == 0))
	# Enclave 1 is late; the oracles take the request from it.
	crun -0 ccc-quorum-sign reassign -F c1 -w 'no answer within 600 s' \
	    --now "$T" -o ra
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "fx/o$i.key" -o "ra.o$i" ra
	done
	ccc-quorum-sign combine -r fx/roster -b ra -o rac ra.o1 ra.o2 ra.o3
	# The application cannot keep the same assignment on enclave 2
	# without the reassignment, nor send it to enclave 1 with it.
	ccc-enclave-run keygen -a fx/enc2.key -s k2.key -o k2.pub --now "$T"
	id2=$(printf %064x 999)
	crun -1 request r2 pool2 k2.pub "$id2" --assignment "$id1"
	assert_stderr "ccc-quorum-sign: refused by policy: k2.pub: the request is assigned to enclave enclave-1, not enclave-2"
	ccc-enclave-run keygen -a fx/enc.key -s k3.key -o k3.pub --now "$T"
	crun -1 request r2 pool2 k3.pub "$id2" --assignment "$id1" -X rac
	assert_stderr "ccc-quorum-sign: refused by policy: k3.pub: the request is assigned to enclave enclave-2, not enclave-1"
	# With it, on enclave 2: certified and served.
	crun -0 request r2 pool2 k2.pub "$id2" --assignment "$id1" -X rac
	certify r2 c2 pool2
	serve c2 pool2 1
	((status == 0))
	# Enclave 1's late result for the first request: an oracle that
	# knows the reassignment does not sign it.
	"$CCC_BIN/../tests/unit/result-forge" -k fx/enc.key -F c1 \
	    -t 'late output' -T "$T" -o late
	crun -1 ccc-quorum-sign sign -i fx/o1.key -A fx/attest.policy \
	    -r fx/roster -P fx/pool2 -F c1 -X rac --now "$T" -o s late
	assert_stderr "ccc-quorum-sign: refused by policy: c1: the request was reassigned away from enclave enclave-1 (no answer within 600 s); its late result is not signed"
	assert_no_file s
	# A reassignment of another assignment is refused in a request.
	id2=$(pick pool2 enclave-2)
	crun -1 request r3 pool2 k2.pub "$id2" -X rac
	assert_stderr "ccc-quorum-sign: refused by policy: k2.pub: reassignment 1 is of another request's assignment"
}

@test "a stale or expired enclave key is refused by the oracles" {
	# Made 400 s before the request: older than the policy's 300 s.
	ccc-enclave-run keygen -a fx/enc.key -s k1.key -o k1.pub \
	    --now $((T - 400))
	request r pool k1.pub "$(printf %064x 1)"
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/strict.policy -r fx/roster -P fx/pool --now "$T" -o s r
	assert_stderr "ccc-quorum-sign: attestation refused: r: the enclave key is not attested: stale: timestamp $(date -u -d "@$((T - 400))" +%Y-%m-%dT%H:%M:%S.000Z) is 400.000 s before the check time $(date -u -d "@$T" +%Y-%m-%dT%H:%M:%S.000Z) (max-age 300 s)"
	# Its key expired before the request does.
	ccc-enclave-run keygen -a fx/enc.key -s k2.key -o k2.pub --now "$T" \
	    -E 60
	request r2 pool k2.pub "$(printf %064x 2)"
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now "$T" -o s r2
	assert_stderr "ccc-quorum-sign: attestation refused: r2: the enclave key expires at $(utc $((T + 60))), before the request ($(utc $((T + 600))))"
	# And expired by now.
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now $((T + 61)) \
	    -o s r2
	assert_stderr "ccc-quorum-sign: expired: r2: the enclave key expired at $(utc $((T + 60)))"
	assert_no_file s
}

@test "attack 5: a request the oracles certified under one roster does not count under another roster of the same oracles" {
	local id i rid want
	# Deployment B: the same four oracles in a roster of its own, and the
	# same pool certified under it.
	ccc-quorum-sign roster -q 3 -N others --not-before "$NB" \
	    --not-after "$NA" -o rosterB fx/o1.pub fx/o2.pub fx/o3.pub \
	    fx/o4.pub
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "fx/o$i.key" -o "poolB.o$i" fx/pool.blob
	done
	ccc-quorum-sign combine -r rosterB -b fx/pool.blob -o poolB poolB.o1 \
	    poolB.o2 poolB.o3
	id=$(pick pool enclave-1)
	ccc-enclave-run keygen -a fx/enc.key -n "$id" -s k1.key -o k1.pub \
	    --now "$T"
	request req pool k1.pub "$id"
	certify req cert pool
	# The oracles' signatures for roster A, combined under roster B.
	crun -1 ccc-quorum-sign combine -r rosterB -b req --now "$T" -o certB \
	    cert.o1 cert.o2 cert.o3
	# (The roster names its members in the order of their ids: random.)
	want='ccc-quorum-sign: bad signature: req: 0 valid signatures, roster "others" needs 3; not signed by oracle-?, oracle-?, oracle-?, oracle-?; ignored: cert.o1: bad signature by oracle-1, or made for another roster; cert.o2: bad signature by oracle-2, or made for another roster; cert.o3: bad signature by oracle-3, or made for another roster'
	# shellcheck disable=SC2053
	[[ $stderr == $want ]] || fail "stderr: $stderr"
	assert_no_file certB
	# The certificate relabelled by hand: no node of B serves it.
	rid=$(sha256sum <rosterB | cut -c1-64)
	replace_bytes cert "$(field_offset cert roster)" "$rid" certB
	for i in 1 2 3; do
		crun -1 ccc-reencrypt -s "fx/k23/share-$i.cbor" \
		    -k fx/k23/tpk.cbor -r rosterB -A fx/attest.policy -P poolB \
		    -d "st$i" --now "$T" -o "certB.s$i" certB
		want='ccc-reencrypt: bad signature: certB: 0 valid signatures, roster "others" needs 3; not signed by oracle-?, oracle-?, oracle-?, oracle-?'
		# shellcheck disable=SC2053
		[[ $stderr == $want ]] || fail "node $i: $stderr"
		assert_no_file "certB.s$i" "st$i/access.log"
	done
	# Under roster A it is served.
	serve cert pool 1
	((status == 0)) || fail "node 1 under roster A: exit $status"
}

@test "secure by default: no attestation policy or pool, no signature" {
	request r pool fx/epub "$(printf %064x 1)"
	crun -2 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    --now "$T" -o s r
	assert_stderr "ccc-quorum-sign: usage: signing a computation request needs the attestation policy (-A), the roster (-r) and the enclave pool (-P) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster --now "$T" -o s r
	assert_stderr "ccc-quorum-sign: usage: signing a computation request needs the attestation policy (-A), the roster (-r) and the enclave pool (-P) (see ccc-quorum-sign --help)"
	assert_no_file s
}
