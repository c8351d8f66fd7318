#!/usr/bin/env bats
# Decryption nodes in request mode: only certified, fresh, correctly
# labelled requests are served, once, each release logged first; the
# enclave key holder combines the sealed shares of one request.
#
# The set-up of issue 3: 4 oracles with q=3, 7 decryption nodes with t=5.
bats_require_minimum_version 1.5.0
load helpers

MEAS=$(printf '%096d' 0)
NB=1000000000
NA=4000000000

# In $BATS_FILE_TMPDIR, made once:
#   o1..o4.key/.pub  the oracles "oracle-1".."oracle-4"; x "mallory"
#   roster           q=3 of o1..o4 ("oracles")
#   roster2          q=2 of the same four ("two")
#   enc.pub          the enclave's identity; ek/epub its per-request key,
#                    ek2/epub2 someone else's
#   k57/             the 5-of-7 dealer key, epoch 0
#   msg ct.A ct.U    a message, encrypted for app:A and unlabelled
#   req              a request of app A for ct.A; sig1..sig4, sigx its
#                    signatures; cert certified by oracles 1, 2 and 3
setup_file() {
	local i
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		ccc-keygen recipient -o ek2 -p epub2
		ccc-keygen dealer -t 5 -n 7 -d k57
		printf 'the enclave reads this\n' >msg
		ccc-encrypt -k k57/tpk.cbor -l app:A -o ct.A msg
		ccc-encrypt -k k57/tpk.cbor -o ct.U msg
		ccc-quorum-sign roster -q 2 -N two --not-before $NB \
		    --not-after $NA -o roster2 o1.pub o2.pub o3.pub o4.pub
		ccc-quorum-sign request -a A -m "$MEAS" -k k57/tpk.cbor \
		    -r roster -P pool -K epub -E 3600 -o req ct.A
		for i in 1 2 3 4; do
			ccc-quorum-sign sign -i "o$i.key" -k k57/tpk.cbor -A attest.policy -r roster -P pool \
			    -o "sig$i" req
		done
		ccc-quorum-sign sign -i x.key -k k57/tpk.cbor -A attest.policy -r roster -P pool -o sigx req
		ccc-quorum-sign combine -r roster -c req -o cert sig1 sig2 sig3
	)
}

setup() {
	use_fixtures
}

# node I ARG...: decryption node I serves a request, its state in stI.
node() {
	local i=$1
	shift
	crun ccc-reencrypt -s "fx/k57/share-$i.cbor" -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -d "st$i" "$@"
}

# killed_node N ARGS...: node N killed by a real SIGKILL between logging
# and writing its sealed shares.  Everything the log needs is written with
# write, fsync and rename; the sealed output's commit is the one
# renameat2(2) (or link(2), where that is missing) a node makes, so
# strace injects the signal there.
killed_node() {
	local i=$1
	shift
	command -v strace >/dev/null || skip "strace not installed"
	crun strace -f -qq -o /dev/null -e trace=link,renameat2 \
	    -e inject=link,renameat2:signal=KILL \
	    ccc-reencrypt -s "fx/k57/share-$i.cbor" -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -d "st$i" "$@"
}

# replayed CERT REQ [WHY]: node 1 refuses CERT, of request REQ, as
# replayed (WHY ends the line), writes nothing and leaves its log and
# head as saved.
replayed() {
	node 1 -o again "$1"
	((status == 1))
	assert_stderr "ccc-reencrypt: replayed: $1: request $(rid "$2")... was already served by node 1${3-}"
	assert_no_file again
	assert_unchanged st1/access.log st1/access.head
}

# request OUT APP CT...: a request of APP for the enclave key epub.
request() {
	local out=$1 app=$2
	shift 2
	ccc-quorum-sign request -a "$app" -m "$MEAS" -k fx/k57/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/epub -E 3600 -o "$out" "$@"
}

# certify REQ OUT [SIGN-OPTION...]: oracles 1, 2 and 3 check and sign REQ,
# and their signatures are combined under the roster.
certify() {
	local req=$1 out=$2 i
	shift 2
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "fx/o$i.key" -k fx/k57/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool "$@" \
		    -o "$out.sig$i" "$req" || return
	done
	ccc-quorum-sign combine -r fx/roster -c "$req" -o "$out" \
	    "$out.sig1" "$out.sig2" "$out.sig3"
}

# relabel CERT ROSTER OUT: CERT claiming to be under ROSTER (the roster
# id is not signed: the signatures decide).
relabel() {
	replace_bytes "$1" "$(field_offset "$1" roster)" \
	    "$(sha256sum <"$2" | cut -c1-64)" "$3"
}

# names_except ROSTER NAME...: the member names of ROSTER in roster order,
# less those given, as the "not signed by" lists give them.
names_except() {
	local r=$1 n out='' skip
	shift
	while read -r n; do
		for skip; do
			[[ "$n" != "$skip" ]] || continue 2
		done
		out+=${out:+, }$n
	done < <(ccc-inspect "$r" |
	    sed -n 's/^      "name": "\(.*\)"$/\1/p')
	printf '%s\n' "$out"
}

# num FILE FIELD: a numeric field of a blob.
num() {
	ccc-inspect "$1" | sed -n "s/^  \"$2\": \\([0-9]*\\),\\{0,1\\}\$/\\1/p"
}

# marker STATE REQ [SUFFIX]: the path of request REQ's replay marker in
# STATE, in the bucket of its expiry (6 hours wide: ccc-reencrypt(1), FILES).
marker() {
	echo "$1/served/e$(($(num "$2" expires) / 21600))/$(field_hex "$2" request_id)${3-}"
}

# rid FILE: the first 16 hex digits of a request's id, as messages give it.
rid() {
	field_hex "$1" request_id | cut -c1-16
}

# entries LOG: the number of entries in an access log.
entries() {
	ccc-inspect "$1" | grep -c '^  "type": "ccc/access/v1",$'
}

# ---- usage -------------------------------------------------------------------

@test "request mode: junk on a pipe is refused at once, before it is copied" {
	crun -1 timeout 120 bash -c 'cat /dev/zero | ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor -r fx/roster -A fx/attest.policy -P fx/pool -d st1 -o s -'
	assert_stderr "ccc-reencrypt: malformed input: stdin: at byte 0: blob: expected map, found unsigned integer"
	crun -1 timeout 120 bash -c 'cat fx/ct.A /dev/zero | ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor -r fx/roster -A fx/attest.policy -P fx/pool -d st1 -o s -'
	assert_stderr "ccc-reencrypt: wrong blob type: stdin: at byte 0: expected a quorum certificate (ccc/certified/v1), found a ciphertext (ccc/ct/v1)"
	assert_no_file s
}

@test "request mode: usage errors exit 2 and touch no state" {
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -o s fx/cert
	assert_stderr "ccc-reencrypt: usage: request mode needs -s SHARE, -k TPK and -d STATE (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -d st1 -o s fx/cert
	assert_stderr "ccc-reencrypt: usage: -d, -p, -A and -P apply to request mode (-r) (see ccc-reencrypt --help)"
	# Secure by default: no attestation policy or pool, no serving.
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -P fx/pool -d st1 -o s fx/cert
	assert_stderr "ccc-reencrypt: usage: request mode needs the attestation policy (-A) and the enclave pool (-P): a request is served only to an attested enclave key (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -d st1 -o s fx/cert
	assert_stderr "ccc-reencrypt: usage: request mode needs the attestation policy (-A) and the enclave pool (-P): a request is served only to an attested enclave key (see ccc-reencrypt --help)"
	node 1 --to fx/epub -o s fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: usage: --to, -x, -l, -W, -G, -L and -U do not apply to a certified request (it names its enclave; the label policy is -p) (see ccc-reencrypt --help)"
	node 1 -U -o s fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: usage: --to, -x, -l, -W, -G, -L and -U do not apply to a certified request (it names its enclave; the label policy is -p) (see ccc-reencrypt --help)"
	node 1 -o s fx/cert fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: usage: one certified request at a time (see ccc-reencrypt --help)"
	assert_no_file s st1
}

# ---- 4 oracles, q=3; 7 nodes, t=5 ----------------------------------------

@test "request mode: signed by 3 of 4 oracles, served by all 7 nodes; any 5 decrypt" {
	local i a b c d e
	for i in 1 2 3 4 5 6 7; do
		# One thread or two: the same shares.
		node "$i" -j "$((i % 2 + 1))" -o "s$i" fx/cert
		((status == 0))
		assert_stderr_empty
		assert_output_empty
		# Sealed to the enclave key, bound to the request id.
		[[ "$(field_hex "s$i" recipient)" == "$(field_hex fx/epub pk)" ]]
		[[ "$(field_hex "s$i" context)" == "$(field_hex fx/req request_id)" ]]
		[[ "$(num "s$i" index)" == "$i" ]]
		crun -0 ccc-inspect -L "st$i"
		assert_output "st$i/access.log: 1 entry, chained and matching its head"
	done
	# Every 5 of the 7, with the request or its certificate.
	for a in 1 2 3; do for b in $(seq $((a + 1)) 4); do
	for c in $(seq $((b + 1)) 5); do for d in $(seq $((c + 1)) 6); do
	for e in $(seq $((d + 1)) 7); do
		crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/req \
		    -o "pt$a$b$c$d$e" "s$a" "s$b" "s$c" "s$d" "s$e"
		assert_stderr_empty
		assert_same "pt$a$b$c$d$e" fx/msg
	done; done; done; done; done
	crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/cert -o pt \
	    s7 s5 s3 s1 s2
	assert_same pt fx/msg
	# 4 are not enough.
	crun -1 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/req -o pt4 \
	    s1 s2 s3 s4
	assert_stderr "ccc-combine: not enough shares: fx/req: item 1: 4 valid shares, 5 needed"
	# Nor is any other key than the one the request names.
	crun -1 ccc-combine -k fx/k57/tpk.cbor -i fx/ek2 -R fx/req -o pt4 \
	    s1 s2 s3 s4 s5
	assert_stderr "ccc-combine: key mismatch: fx/req: the request names another enclave key than fx/ek2"
	assert_no_file pt4
}

@test "request mode: the access log records what was released" {
	node 4 -o s4 fx/cert
	((status == 0))
	write_hex "$(field_hex fx/epub pk)" epk.raw
	crun -0 ccc-inspect st4/access.log
	assert_contains "$output" '  "seq": 1,'
	assert_contains "$output" "  \"prev\": \"$(printf '%064d' 0)\","
	assert_contains "$output" "  \"request_id\": \"$(field_hex fx/req request_id)\","
	assert_contains "$output" '  "app_id": "A",'
	assert_contains "$output" "    \"$(sha256sum <fx/ct.A | cut -c1-64)\""
	assert_contains "$output" "  \"recipient\": \"$(sha256sum <epk.raw | cut -c1-64)\","
	assert_contains "$output" '  "node": 4,'
	assert_contains "$output" '  "epoch": 0,'
	assert_contains "$output" "  \"key_id\": \"$(field_hex fx/k57/tpk.cbor key_id)\""
	[[ -f st4/lock && -d st4/served ]]
	[[ "$(cat "$(marker st4 fx/req)")" == "released $(num fx/req expires)" ]]
	read -r seq hash id len <st4/access.head
	[[ "$seq $hash $id $len" == "1 $(sha256sum <st4/access.log | cut -c1-64) $(field_hex fx/req request_id) $(size_of st4/access.log)" ]]
}

@test "request mode: signed by only 2 oracles, refused by every node" {
	# The certificate less oracle-3's signature (made by hand: combine
	# would not make it).
	cert_without fx/cert fx/sig3 c
	[[ $(ccc-inspect c | grep -c '"signer"') == 2 ]]
	local i
	for i in 1 2 3 4 5 6 7; do
		node "$i" -o "s$i" c
		((status == 1))
		assert_output_empty
		assert_stderr "ccc-reencrypt: bad signature: c: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2)"
		assert_no_file "s$i" "st$i"
	done
	# Under another roster it is not this roster's certificate.
	relabel c fx/roster2 c2
	node 1 -o s1 c2
	((status == 1))
	assert_stderr "ccc-reencrypt: key mismatch: c2: at byte $(($(field_offset c2 roster) - 2)): certified under another roster than \"oracles\""
	# And the oracles' tool would not have made it.
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c3 fx/sig1 \
	    fx/sig2
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2)"
	assert_no_file s1 st1 c3
}

@test "request mode: a signature by a key not in the roster does not count" {
	# combine refuses: two valid signatures and mallory's.
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c fx/sig1 \
	    fx/sig2 fx/sigx
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2); ignored: fx/sigx: signer is not in roster \"oracles\""
	assert_no_file c
	# A certificate carrying the three anyway (mallory's in oracle-3's
	# place, by hand) is refused by every node.
	cert_swap fx/cert fx/sig3 fx/sigx c
	[[ $(ccc-inspect c | grep -c '"signer"') == 3 ]]
	local i
	for i in 1 2 3 4 5 6 7; do
		node "$i" -o "s$i" c
		((status == 1))
		assert_stderr "ccc-reencrypt: bad signature: c: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2)"
		assert_no_file "s$i" "st$i"
	done
}

@test "request mode: a certificate whose request was altered after signing is refused" {
	# The enclave key swapped for someone else's.
	replace_bytes fx/cert "$(find_hex fx/cert "$(field_hex fx/epub pk)")" \
	    "$(field_hex fx/epub2 pk)" c
	node 1 -o s1 c
	((status == 1))
	assert_output_empty
	assert_stderr "ccc-reencrypt: bad signature: c: 0 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster)"
	# One bit of the expiry time.
	flip_bit fx/cert "$(($(find_hex fx/cert "0a1a$(printf %08x "$(num fx/req expires)")") + 5))" 0 c2
	node 2 -o s2 c2
	((status == 1))
	assert_stderr "ccc-reencrypt: bad signature: c2: 0 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster)"
	assert_no_file s1 st1 s2 st2
}

@test "request mode: a certified blob that is not a request is refused" {
	local i
	for i in 1 2 3; do
		crun -0 ccc-quorum-sign sign -i "fx/o$i.key" -o "g$i" fx/roster2
	done
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/roster2 -o c g1 g2 g3
	node 1 -o s1 c
	((status == 1))
	assert_stderr "ccc-reencrypt: wrong blob type: c: the certificate carries an oracle roster, not a computation request"
	assert_no_file s1 st1
}

# ---- replay ----------------------------------------------------------------

@test "request mode: a replayed request is refused and the log is unchanged" {
	node 1 -o s1 fx/cert
	((status == 0))
	save st1/access.log st1/access.head
	node 1 -o again fx/cert
	((status == 1))
	assert_output_empty
	assert_stderr "ccc-reencrypt: replayed: fx/cert: request $(rid fx/req)... was already served by node 1"
	assert_unchanged st1/access.log st1/access.head
	assert_no_file again
	# Certified again by other oracles: the same request, still replayed.
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/req -o c234 fx/sig2 \
	    fx/sig3 fx/sig4
	assert_differ c234 fx/cert
	node 1 -o again c234
	((status == 1))
	assert_stderr "ccc-reencrypt: replayed: c234: request $(rid fx/req)... was already served by node 1"
	assert_unchanged st1/access.log st1/access.head
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 1 entry, chained and matching its head"
	# Another node has not served it yet.
	node 2 -o s2 c234
	((status == 0))
}

@test "request mode: an oversized head or replay marker is named by its path" {
	node 1 -o s1 fx/cert
	((status == 0))
	crun -0 request r2 A fx/ct.A
	crun -0 certify r2 c2
	# (The path was freed before the error was printed: ASan's
	# heap-use-after-free, freed heap bytes in the normal build.)
	cp st1/access.head head1
	{ cat head1; printf '%0600d\n' 0; } >st1/access.head
	node 1 -o s2 c2
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: st1/access.head: not an access log head: larger than 512 bytes"
	assert_no_file s2
	cp head1 st1/access.head
	local m
	m=$(marker st1 fx/req)
	printf 'released %0300d\n' 0 >"$m"
	node 1 -o again fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: $m: not a replay marker: larger than 256 bytes"
	assert_no_file again
}

# ---- freshness, keys and epochs ------------------------------------------------

@test "request mode: an expired request is refused" {
	local exp
	exp=$(num fx/req expires)
	node 1 --now "$exp" -o s1 fx/cert
	((status == 1))
	assert_output_empty
	assert_stderr "ccc-reencrypt: expired: fx/cert: the request expired at $(utc $exp) (now $(utc $exp))"
	node 1 --now $((exp + 3600)) -o s1 fx/cert
	((status == 1))
	assert_stderr "ccc-reencrypt: expired: fx/cert: the request expired at $(utc $exp) (now $(utc $((exp + 3600))))"
	assert_no_file s1 st1
	node 1 --now $((exp - 1)) -o s1 fx/cert
	((status == 0))
	# The roster's validity is checked too.
	node 2 --now $NA -o s2 fx/cert
	((status == 1))
	assert_stderr "ccc-reencrypt: expired: fx/pool: roster \"oracles\" is valid from $(utc $NB) to $(utc $NA), not at $(utc $NA)"
}

@test "request mode: a request for another epoch of the node's key is refused (epoch mismatch)" {
	# The same key (same key id, same h) at epoch 1: oracles that hold
	# it check and sign the request; a node at epoch 0 refuses it.
	local at
	at=$(find_hex fx/k57/tpk.cbor 020503070400)
	replace_bytes fx/k57/tpk.cbor $((at + 5)) 01 tpk1
	[[ "$(num tpk1 epoch)" == 1 ]]
	crun -0 ccc-quorum-sign request -a A -m "$MEAS" -k tpk1 -r fx/roster -P fx/pool \
	    -K fx/epub -o r1 fx/ct.A
	[[ "$(num r1 epoch)" == 1 ]]
	local i
	for i in 1 2 3; do
		crun -0 ccc-quorum-sign sign -i "fx/o$i.key" -k tpk1 -A fx/attest.policy -r fx/roster -P fx/pool -o "r1.sig$i" r1
	done
	crun -0 ccc-quorum-sign combine -r fx/roster -c r1 -o c1 r1.sig1 \
	    r1.sig2 r1.sig3
	node 1 -o s1 c1
	((status == 1))
	assert_output_empty
	assert_stderr "ccc-reencrypt: epoch mismatch: c1: the request is for epoch 1, the key is at epoch 0"
	assert_no_file s1 st1
}

@test "request mode: a request for another key (at epoch 1) is refused (key mismatch)" {
	crun -0 ccc-keygen dealer -t 5 -n 7 -e 1 -d k1
	crun -0 ccc-encrypt -k k1/tpk.cbor -l app:A -o ct1 fx/msg
	crun -0 ccc-quorum-sign request -a A -m "$MEAS" -k k1/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/epub -o r1 ct1
	local i
	for i in 1 2 3; do
		crun -0 ccc-quorum-sign sign -i "fx/o$i.key" -k k1/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool \
		    -o "r1.sig$i" r1
	done
	crun -0 ccc-quorum-sign combine -r fx/roster -c r1 -o c1 r1.sig1 \
	    r1.sig2 r1.sig3
	node 1 -o s1 c1
	((status == 1))
	assert_stderr "ccc-reencrypt: key mismatch: c1: the request is for key $(field_hex k1/tpk.cbor key_id | cut -c1-8), not this public key"
	assert_no_file s1 st1
}

# ---- label policy ----------------------------------------------------------

@test "request mode: a ciphertext labelled for app A in a request of app B is refused, unless the policy allows it" {
	crun -0 request rB B fx/ct.A
	# Oracles sign it only under a policy that allows it.
	run ! certify rB cB
	printf '# B may read A'"'"'s data\nallow B app:A\n' >policy
	crun -0 certify rB cB -p policy
	node 1 -o s1 cB
	((status == 1))
	assert_output_empty
	assert_stderr 'ccc-reencrypt: refused by policy: cB: item 1: a ciphertext labelled "app:A" is not allowed for app "B"'
	assert_no_file s1 st1/access.log st1/access.head
	[[ -z $(ls st1/served) ]]
	printf 'allow B app:C\nallow A app:A\nallow-unlabelled B\n' >other
	node 1 -p other -o s1 cB
	((status == 1))
	assert_stderr 'ccc-reencrypt: refused by policy: cB: item 1: a ciphertext labelled "app:A" is not allowed for app "B"'
	assert_no_file s1 st1/access.log st1/access.head
	[[ -z $(ls st1/served) ]]
	node 1 -p policy -o s1 cB
	((status == 0))
	assert_stderr_empty
	# Prefixes and any app.
	printf 'allow B app:*\n' >prefix
	node 2 -p prefix -o s2 cB
	((status == 0))
	printf 'allow * app:A\n' >any
	node 3 -p any -o s3 cB
	((status == 0))
}

@test "request mode: an unlabelled ciphertext is refused unless the policy has allow-unlabelled" {
	crun -0 request rU A fx/ct.U
	crun -0 certify rU cU -U
	node 1 -o s1 cU
	((status == 1))
	assert_output_empty
	assert_stderr 'ccc-reencrypt: refused by policy: cU: item 1: unlabelled ciphertext (all-zero label) not allowed for app "A"'
	printf 'allow A app:A\nallow-unlabelled B\n' >notA
	node 1 -p notA -o s1 cU
	((status == 1))
	assert_stderr 'ccc-reencrypt: refused by policy: cU: item 1: unlabelled ciphertext (all-zero label) not allowed for app "A"'
	assert_no_file s1 st1/access.log st1/access.head
	[[ -z $(ls st1/served) ]]
	printf 'allow-unlabelled A\n' >policy
	node 1 -p policy -o s1 cU
	((status == 0))
	printf '\tallow-unlabelled  *   # every app\n' >all
	node 2 -p all -o s2 cU
	((status == 0))
}

@test "request mode: a malformed or missing policy file is refused" {
	printf 'allow A\n' >bad
	node 1 -p bad -o s1 fx/cert
	((status == 1))
	assert_stderr 'ccc-reencrypt: malformed input: bad: line 1: expected "allow APP CONTEXT" or "allow-unlabelled APP"'
	printf 'allow A app:A\ndeny B app:B\n' >bad2
	node 1 -p bad2 -o s1 fx/cert
	((status == 1))
	assert_stderr 'ccc-reencrypt: malformed input: bad2: line 2: expected "allow APP CONTEXT" or "allow-unlabelled APP"'
	node 1 -p absent -o s1 fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: i/o error: absent: No such file or directory"
	assert_no_file s1 st1
}

# ---- shares bound to their request -------------------------------------------

@test "request mode: a sealed share of request R1 is rejected in request R2, naming the node" {
	crun -0 request r1 A fx/ct.A
	crun -0 request r2 A fx/ct.A
	crun -0 certify r1 c1
	crun -0 certify r2 c2
	node 3 -o x3 c1
	((status == 0))
	local i
	for i in 1 2 4 5 6; do
		node "$i" -o "y$i" c2
		((status == 0))
	done
	crun -1 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R r2 -o pt y1 y2 x3 \
	    y4 y5
	assert_output_empty
	assert_stderr "ccc-combine: not enough shares: r2: item 1: 4 valid shares, 5 needed; node 3 (x3): made for another request"
	assert_no_file pt
	crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R r2 -o pt y1 y2 x3 \
	    y4 y5 y6
	assert_stderr "ccc-combine: warning: node 3 (x3): made for another request; its shares were not used"
	assert_same pt fx/msg
	# In its own request it counts.
	node 1 -o x1 c1
	node 2 -o x2 c1
	node 4 -o x4 c1
	node 5 -o x5 c1
	crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R c1 -o pt1 x1 x2 x3 \
	    x4 x5
	assert_same pt1 fx/msg
}

# ---- the access log ----------------------------------------------------------

@test "request mode: the access log verifies; removing, editing or cutting any entry is named" {
	local k end=(0) s n mid
	for k in 1 2 3; do
		crun -0 request "r$k" A fx/ct.A
		crun -0 certify "r$k" "c$k"
		node 1 -o "s$k" "c$k"
		((status == 0))
		read -r _ _ _ n <st1/access.head
		end+=("$n")
	done
	crun -0 ccc-inspect -L st1
	assert_stderr_empty
	assert_output "st1/access.log: 3 entries, chained and matching its head"
	# Each entry edited: one byte in its middle.
	for k in 1 2 3; do
		rm -rf t && cp -r st1 t
		s=${end[k - 1]}
		mid=$((s + (end[k] - s) / 2))
		flip_bit st1/access.log "$mid" 0 t/access.log
		crun -1 ccc-inspect -L t
		assert_output_empty
		if ((k < 3)); then
			assert_stderr "ccc-inspect: malformed input: t: item $k: at byte $s: entry $k was altered (entry $((k + 1))'s prev is not its hash)"
		else
			assert_stderr "ccc-inspect: malformed input: t: item 3: the log ends at entry 3, its head names entry 3 with other contents (the last entry was altered)"
		fi
	done
	# Each entry removed.
	for k in 1 2 3; do
		rm -rf t && cp -r st1 t
		s=${end[k - 1]}
		{
			head -c "$s" st1/access.log
			tail -c +$((end[k] + 1)) st1/access.log
		} >t/access.log
		crun -1 ccc-inspect -L t
		if ((k < 3)); then
			assert_stderr "ccc-inspect: malformed input: t: item $k: at byte $s: entry numbered $((k + 1)), expected $k (an entry was removed or reordered)"
		else
			assert_stderr "ccc-inspect: malformed input: t: item 3: the log ends at entry 2, its head names entry 3"
		fi
	done
	# The last entry cut short (inside its last field, the key id).
	rm -rf t && cp -r st1 t
	head -c $((end[3] - 10)) st1/access.log >t/access.log
	crun -1 ccc-inspect -L t
	assert_stderr "ccc-inspect: truncated input: t: item 3: at byte $((end[3] - 34)): input ends inside an item"
	# A node refuses to append to a log shorter than its head.
	head -c "${end[2]}" st1/access.log >t/access.log
	crun -0 request r4 A fx/ct.A
	crun -0 certify r4 c4
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -d t -o s4 c4
	assert_stderr "ccc-reencrypt: bad node state: access log is shorter than its head says (${end[2]} < ${end[3]} bytes)"
	assert_no_file s4
	# A missing head is noticed too.
	rm -rf t && cp -r st1 t && rm t/access.head
	crun -1 ccc-inspect -L t
	assert_stderr "ccc-inspect: malformed input: t: item 1: the log ends at entry 3, its head names entry 0"
}

# served_two: node 1 serves fx/cert (to s1), then r2 certified as c2 (s2).
served_two() {
	node 1 -o s1 fx/cert
	((status == 0))
	crun -0 request r2 A fx/ct.A
	crun -0 certify r2 c2
	node 1 -o s2 c2
	((status == 0))
}

@test "request mode: a log that does not match its head is refused, never cut" {
	local len
	served_two
	crun -0 request r3 A fx/ct.A
	crun -0 certify r3 c3
	read -r _ _ _ len <st1/access.head
	cp -r st1 good
	# Bytes past the head that are no entry of the node's: kept, refused.
	printf 'junk' >>st1/access.log
	save st1/access.log st1/access.head
	node 1 -o s3 c3
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: st1/access.log: 4 bytes past entry 2 (byte $len, where st1/access.head ends it) are not the node's next entry; not serving until an operator resolves it (see ccc-reencrypt(1))"
	assert_unchanged st1/access.log st1/access.head
	assert_no_file s3
	# The last entry altered, the length unchanged.
	flip_bit good/access.log $((len - 40)) 0 st1/access.log
	save st1/access.log
	node 1 -o s3 c3
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: st1/access.log: does not match its head: entry 2, ending at byte $len, is not the one st1/access.head names; not serving until an operator resolves it (see ccc-reencrypt(1))"
	assert_unchanged st1/access.log
	assert_no_file s3
	# The head gone: two entries where the head (none) says the log ends.
	cp good/access.log st1/access.log
	rm st1/access.head
	node 1 -o s3 c3
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: st1/access.log: $len bytes past entry 0 (byte 0, where st1/access.head ends it) are not the node's next entry; not serving until an operator resolves it (see ccc-reencrypt(1))"
	assert_same st1/access.log good/access.log
	assert_no_file s3
	# The log gone, its head there.
	cp good/access.head st1/access.head
	mv st1/access.log evidence.log
	node 1 -o s3 c3
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: st1/access.log: missing, st1/access.head names entry 2"
	assert_no_file s3
	# The operator's way out (ccc-reencrypt(1)): keep both aside, start a
	# new log; the markers still refuse what the old one recorded.
	mv st1/access.head evidence.head
	node 1 -o s3 c3
	((status == 0))
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 1 entry, chained and matching its head"
	save st1/access.log st1/access.head
	replayed c2 r2
}

@test "request mode: with its replay markers gone, a node refuses what its log records" {
	served_two
	save st1/access.log st1/access.head
	rm -r st1/served
	replayed fx/cert fx/req " (its access log records the release)"
	# Rebuilt: the entry's time plus the longest request lifetime.
	local m
	local rebuilt=(st1/served/e*/"$(field_hex r2 request_id)")
	[[ ${#rebuilt[@]} == 1 ]]
	m=$(cat "${rebuilt[0]}")
	[[ $m == "recorded "* ]] || fail "marker: $m"
	[[ "$(cat st1/served/log-index)" == "2 $(size_of st1/access.log)" ]]
	# One marker removed, with the index that says markers are complete:
	# rebuilt as well.
	rm "${rebuilt[0]}" st1/served/log-index
	replayed c2 r2 " (its access log records the release)"
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
}

@test "request mode: an index of the log torn by a crash reads as none: every entry is checked again" {
	served_two
	save st1/access.log st1/access.head
	local len idx m id
	len=$(size_of st1/access.log)
	id=$(field_hex r2 request_id)
	# Index rewritten in place: a crash may leave a mix of two lines.
	# None of these is an entry boundary of the log (SEQ 1 at byte 0,
	# SEQ 0 past it, the head's SEQ in the middle of the first entry,
	# the head's SEQ past the log); with entry 2's marker gone, only a
	# full check rebuilds it.
	for idx in "1 0" "0 $len" "2 5" "2 $((len + 1))"; do
		printf '%s\n' "$idx" >st1/served/log-index
		rm st1/served/e*/"$id"
		replayed c2 r2 " (its access log records the release)"
		m=$(cat st1/served/e*/"$id")
		[[ $m == "recorded "* ]] || fail "$idx: marker: $m"
		[[ "$(cat st1/served/log-index)" == "2 $len" ]] ||
		    fail "$idx: index: $(cat st1/served/log-index)"
	done
}

# ---- kill -9 between logging and sealing -----------------------------------

@test "request mode: killed between logging and sealing, a rerun releases once and logs once" {
	killed_node 1 -o s1 fx/cert
	((status == 137))
	assert_no_file s1
	# (A SIGKILL leaves the uncommitted temporary beside s1: nothing reads it.)
	rm -f s1.tmp*
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 1 entry, chained and matching its head"
	[[ "$(cat "$(marker st1 fx/req)")" == "pending $(num fx/req expires)" ]]
	save st1/access.log st1/access.head
	# The blob was kept, durable, before the release was logged.
	local kept
	kept=$(marker st1 fx/req .sealed)
	[[ "$(field_hex st1/access.log sealed_digest)" == "$(sha256sum <"$kept" | cut -c1-64)" ]]
	# The rerun finishes the release without a second entry, with the
	# very blob the entry names.
	node 1 -o s1 fx/cert
	((status == 0))
	assert_stderr_empty
	[[ -s s1 ]]
	[[ "$(field_hex st1/access.log sealed_digest)" == "$(sha256sum <s1 | cut -c1-64)" ]]
	assert_no_file "$kept"
	assert_unchanged st1/access.log st1/access.head
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 1 entry, chained and matching its head"
	[[ "$(entries st1/access.log)" == 1 ]]
	[[ "$(field_hex st1/access.log request_id)" == "$(field_hex fx/req request_id)" ]]
	# A third run is a replay.
	replayed fx/cert fx/req
	# What the rerun released combines.
	local i
	for i in 2 3 4 5; do
		node "$i" -o "s$i" fx/cert
	done
	crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/req -o pt s1 s2 \
	    s3 s4 s5
	assert_same pt fx/msg
}

@test "request mode: released is written over the pending marker in place; one torn between the two refuses the request" {
	killed_node 1 -o s1 fx/cert
	((status == 137))
	rm -f s1.tmp*
	local m ino e
	m=$(marker st1 fx/req)
	e=$(num fx/req expires)
	[[ "$(cat "$m")" == "pending $e" ]]
	ino=$(stat -c %i "$m")
	node 1 -o s1 fx/cert
	((status == 0))
	assert_stderr_empty
	# The same file: no new one for the release.
	[[ "$(cat "$m")" == "released $e" ]]
	[[ $(stat -c %i "$m") == "$ino" ]] || fail "a new marker file"
	[[ $(size_of "$m") == $((${#e} + 10)) ]]
	save st1/access.log st1/access.head
	# A power cut that tore the rewrite: neither line, refused, nothing
	# released again.
	printf 'relding %s\n' "$e" >"$m"
	node 1 -o again fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: $m: not a replay marker"
	assert_no_file again
	assert_unchanged st1/access.log st1/access.head
}

@test "request mode: a logged release whose kept blob is gone or altered is not released" {
	killed_node 1 -o s1 fx/cert
	((status == 137))
	rm -f s1.tmp*
	local kept hex
	kept=$(marker st1 fx/req .sealed)
	# Before the fix a rerun sealed new shares, a blob other than the one
	# logged; now it releases the kept one or nothing.
	cp "$kept" kept.saved
	hex=$(hex_of "$kept")
	write_hex "${hex:0:${#hex}-2}$(printf %02x $((16#${hex: -2} ^ 1)))" "$kept"
	node 1 -o s1 fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: $kept: request $(rid fx/req)...: not the sealed blob its log entry names; nothing released"
	assert_no_file s1
	# Not a byte of it on standard output either.
	node 1 --tty fx/cert
	((status == 2))
	assert_output_empty
	assert_stderr "ccc-reencrypt: bad node state: $kept: request $(rid fx/req)...: not the sealed blob its log entry names; nothing released"
	rm "$kept"
	node 1 -o s1 fx/cert
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: $kept: request $(rid fx/req)... is logged with the digest of its sealed blob, which is gone; nothing released"
	assert_no_file s1
	[[ "$(cat "$(marker st1 fx/req)")" == "pending $(num fx/req expires)" ]]
	# Put back, it is released, to standard output too.
	cp kept.saved "$kept"
	save st1/access.log st1/access.head
	ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor -r fx/roster \
	    -A fx/attest.policy -P fx/pool -d st1 --tty fx/cert >s1 2>err
	[[ ! -s err ]]
	assert_same s1 kept.saved
	assert_no_file "$kept"
	replayed fx/cert fx/req
}

@test "request mode: a kept blob is pruned with its replay marker, a whole bucket at a time" {
	local old old2
	old=$(printf 'ab%.0s' {1..32}) old2=$(printf 'cd%.0s' {1..32})
	node 1 -o s1 fx/cert
	((status == 0))
	# Releases logged long ago and never rerun: one in the bucket of its
	# expiry, one in the flat layout of earlier versions; and one fresh.
	mkdir -p st1/served/e0
	echo "logged 1000" >"st1/served/e0/$old2"
	echo kept >"st1/served/e0/$old2.sealed"
	echo "logged 1000" >"st1/served/$old"
	echo kept >"st1/served/$old.sealed"
	crun -0 request r2 A fx/ct.A
	crun -0 certify r2 c2
	node 1 -o s2 c2
	((status == 0))
	assert_no_file "st1/served/$old" "st1/served/$old.sealed" st1/served/e0
	[[ "$(cat "$(marker st1 r2)")" == "released $(num r2 expires)" ]]
	[[ "$(cat "$(marker st1 fx/req)")" == "released $(num fx/req expires)" ]]
	[[ "$(ls -R st1/served)" != *.sealed* ]]
	# A bucket is dropped once its latest expiry is a day (the grace
	# period) before the node's time: bucket n - 1 is, bucket n is not.
	local now n
	crun -0 request r3 A fx/ct.A
	crun -0 certify r3 c3
	now=$(($(num r3 created) + 10)) n=$(((now - 86400) / 21600))
	mkdir st1/served/e$((n - 1)) st1/served/e$n
	echo "logged $(((n - 1) * 21600))" >"st1/served/e$((n - 1))/$old"
	echo "logged $((n * 21600))" >"st1/served/e$n/$old"
	node 1 -o s3 --now "$now" c3
	((status == 0))
	assert_no_file "st1/served/e$((n - 1))"
	[[ "$(ls "st1/served/e$n")" == "$old" ]]
}

@test "request mode: a crash after the append, before the head, is recovered once" {
	node 1 -o s1 fx/cert
	((status == 0))
	cp st1/access.head head1
	crun -0 request r2 A fx/ct.A
	crun -0 certify r2 c2
	killed_node 1 -o s2 c2
	((status == 137))
	cp st1/access.log log2
	# As if killed after appending r2's entry, before the head and the
	# "logged" marker were written (the "pending" one always precedes the
	# append): the auditor sees an entry past the head.
	cp head1 st1/access.head
	echo "pending $(num r2 expires)" >"$(marker st1 r2)"
	crun -1 ccc-inspect -L st1
	assert_stderr "ccc-inspect: malformed input: st1: item 2: the log ends at entry 2, its head names entry 1"
	# The node adopts the entry and does not log r2 again.
	node 1 -o s2 c2
	((status == 0))
	assert_stderr_empty
	assert_same st1/access.log log2
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
	# A torn append (part of an entry) is cut off and the entry rewritten.
	cp head1 st1/access.head
	head -c $(($(size_of log2) - 50)) log2 >st1/access.log
	echo "pending $(num r2 expires)" >"$(marker st1 r2)"
	node 1 -o s2b c2
	((status == 0))
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
	[[ "$(entries st1/access.log)" == 2 ]]
}

@test "request mode: a head whose bytes a power cut lost is read as the one it replaced" {
	local seq pseq
	served_two
	crun -0 request r3 A fx/ct.A
	crun -0 certify r3 c3
	# The head it replaced is kept beside it, one entry behind.
	read -r seq _ <st1/access.head
	read -r pseq _ <st1/access.head.prev
	[[ $seq == 2 && $pseq == 1 ]] || fail "heads: $seq $pseq"
	cp -r st1 good
	# Empty, as a power cut leaves a file whose bytes had not been written:
	# the head before it, and the entry past it adopted.
	: >st1/access.head
	crun -1 ccc-inspect -L st1
	assert_stderr "ccc-inspect: malformed input: st1: item 2: the log ends at entry 2, its head names entry 1"
	node 1 -o s3 c3
	((status == 0))
	assert_stderr_empty
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 3 entries, chained and matching its head"
	# Zeroed, the same.
	rm -rf st1 s3 && cp -r good st1
	head -c 138 /dev/zero >st1/access.head
	node 1 -o s3 c3
	((status == 0))
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 3 entries, chained and matching its head"
	# Anything else is no head, as before: refused, nothing cut.
	rm -rf st1 s3 && cp -r good st1
	echo junk >st1/access.head
	node 1 -o s3 c3
	((status == 2))
	assert_stderr "ccc-reencrypt: bad node state: st1/access.head: not an access log head (one line \"SEQ HASH REQUEST-ID LENGTH\")"
	assert_no_file s3
	assert_same st1/access.log good/access.log
}

# ---- custody bound by labels, the output recipient, the signed head --------

# collude REQ OUT: oracles 1, 2 and 3 sign REQ without checking it (as a
# colluding quorum would: ccc-quorum-sign always checks), by re-signing
# their signatures of fx/req; the signatures are combined into OUT.
collude() {
	local i
	python3 -c 'import cryptography' 2>/dev/null ||
	    skip "python3 cryptography not installed"
	for i in 1 2 3; do
		python3 - "$(field_hex "fx/o$i.key" sk)" "fx/sig$i" fx/req \
		    "$1" "$2.sig$i" fx/roster <<'PY' || return
import hashlib, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import \
    Ed25519PrivateKey
sk, tmpl, old, req, out, roster = sys.argv[1:]
t = open(tmpl, 'rb').read()
od = hashlib.sha256(open(old, 'rb').read()).digest()
nd = hashlib.sha256(open(req, 'rb').read()).digest()
assert t.count(od) == 1 and t[-66:-64] == b'\x58\x40'
rid = hashlib.sha256(open(roster, 'rb').read()).hexdigest().encode()
msg = b'ccc/sig/v1\0ccc/oracle/v1:ccc/request/v1@' + rid + b'\0' + nd
sig = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sk)[:32]).sign(msg)
open(out, 'wb').write(t.replace(od, nd)[:-64] + sig)
PY
	done
	ccc-quorum-sign combine -r fx/roster -c "$1" -o "$2" "$2.sig1" \
	    "$2.sig2" "$2.sig3"
}

# refused_custody CERT WHY: node 1 refuses CERT by policy (WHY ends the
# line), with nothing logged, marked or written.
refused_custody() {
	node 1 -o s1 "$1"
	((status == 1))
	assert_output_empty
	assert_stderr "ccc-reencrypt: refused by policy: $1: item 1: $2"
	assert_no_file s1 st1/access.log st1/access.head
	[[ -z $(ls st1/served) ]]
}

@test "request mode: a label binding the code is served only for that code" {
	local other
	other=$(printf 'ab%.0s' {1..48})
	ccc-encrypt -k fx/k57/tpk.cbor -l "app:A/code=$other" -o ct.other fx/msg
	crun -0 request r1 A ct.other
	# Honest oracles refuse to sign it, a colluding quorum does: the node
	# refuses it all the same.
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o x r1
	assert_stderr "ccc-quorum-sign: refused by policy: r1: item 1: the label binds the code to abababababababab..., the request's code is 0000000000000000..."
	crun -0 collude r1 c1
	refused_custody c1 "the label binds the code to abababababababab..., the request's code is 0000000000000000..."
	# A binding that is not 96 lowercase hex digits binds nothing: refused.
	for bad in "code=${other^^}" "code=${other:2}" "code=${other}00" \
	    "v2/code=" "code=$MEAS/recipient=12" "recipient=$MEAS"; do
		ccc-encrypt -f -k fx/k57/tpk.cbor -l "app:A/$bad" -o ct.bad \
		    fx/msg
		rm -f rb cb
		crun -0 request rb A ct.bad
		crun -0 collude rb cb
		if [[ $bad == *recipient=* ]]; then
			refused_custody cb "the label binds custody with a recipient= segment that is not 64 lowercase hex digits"
		else
			refused_custody cb "the label binds custody with a code= segment that is not 96 lowercase hex digits"
		fi
	done
	# The request's own code (and other path segments): served.
	ccc-encrypt -k fx/k57/tpk.cbor -l "app:A/v2/code=$MEAS/notes" -o ct.own \
	    fx/msg
	crun -0 request r2 A ct.own
	crun -0 certify r2 c2
	node 1 -o s2 c2
	((status == 0))
	assert_stderr_empty
}

@test "request mode: a label binding the recipient is served only for output sealed to it; the log records the recipient" {
	local rh
	rh=$(field_hex fx/epub2 pk | xxd -r -p | sha256sum | cut -c1-64)
	ccc-encrypt -k fx/k57/tpk.cbor -l "app:A/recipient=$rh" -o ct.r fx/msg
	# Sealed to another key, or not sealed: refused.
	ccc-keygen recipient -o rk3 -p rpub3
	crun -0 request r1 A ct.r -O sealed -R rpub3
	crun -0 collude r1 c1
	refused_custody c1 "the label binds the output to recipient ${rh:0:16}..., the request's output is sealed to $(field_hex rpub3 pk | xxd -r -p | sha256sum | cut -c1-16)..."
	crun -0 request r2 A ct.r
	crun -0 collude r2 c2
	refused_custody c2 "the label binds the output to recipient ${rh:0:16}..., the request's output is not sealed to a recipient"
	# Sealed to it: served, and the entry records the recipient beside
	# the enclave key.
	crun -0 request r3 A ct.r -O sealed -R fx/epub2
	crun -0 certify r3 c3
	node 1 -o s3 c3
	((status == 0))
	[[ "$(field_hex st1/access.log output_recipient)" == "$rh" ]]
	[[ "$(field_hex st1/access.log recipient)" == "$(field_hex fx/epub pk | xxd -r -p | sha256sum | cut -c1-64)" ]]
	# The node finds such an entry where its head says, and serves on.
	node 1 -o s4 fx/cert
	((status == 0))
	assert_stderr_empty
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
	# A request whose output is not sealed: no output recipient.
	node 2 -o s1 fx/cert
	((status == 0))
	crun -0 ccc-inspect st2/access.log
	[[ $output != *output_recipient* ]]
	[[ $output == *'"recipient": '* ]]
}

@test "request mode: -I signs the access log head with the node's identity" {
	ccc-keygen identity -o n1.key -p n1.pub -N node-1
	node 1 -I n1.key -o s1 fx/cert
	((status == 0))
	assert_stderr_empty
	crun -0 ccc-inspect -L st1 -I n1.pub
	assert_output "st1/access.log: 1 entry, chained and matching its head, signed at entry 1"
	cp st1/access.head.signed earlier
	# A crash rerun (logged, not released) signs the head it finds.
	crun -0 request r2 A fx/ct.A
	crun -0 certify r2 c2
	node 1 -I n1.key -o s2 c2
	((status == 0))
	crun -0 ccc-inspect -L st1 -I n1.pub --since earlier
	assert_output "st1/access.log: 2 entries, chained and matching its head, signed at entry 2, entry 1 as earlier signed it"
	# Served without -I: the signed head stays where it was.
	crun -0 request r3 A fx/ct.A
	crun -0 certify r3 c3
	node 1 -o s3 c3
	((status == 0))
	crun -0 ccc-inspect -L st1 -I n1.pub
	assert_output "st1/access.log: 3 entries, chained and matching its head, signed at entry 2"
	# Not a secret identity key: refused before anything is served.
	crun -0 request r4 A fx/ct.A
	crun -0 certify r4 c4
	save st1/access.log st1/access.head st1/access.head.signed
	install -m 600 n1.pub pub-only
	node 1 -I pub-only -o s4 c4
	((status == 1))
	assert_stderr "ccc-reencrypt: wrong blob type: pub-only: expected an identity secret key (ccc/identity-key/v1), to sign the access log head"
	assert_no_file s4
	assert_unchanged st1/access.log st1/access.head st1/access.head.signed
	node 1 -I missing -o s4 c4
	((status == 2))
	assert_stderr "ccc-reencrypt: i/o error: missing: No such file or directory"
	# -I is of request mode.
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    --to fx/epub -I n1.key fx/ct.A
	assert_stderr "ccc-reencrypt: usage: -I applies to request mode (-r) (see ccc-reencrypt --help)"
}

@test "request mode: a torn append of an entry with an output recipient is cut off and written again" {
	local k rh
	for k in 1 2; do
		crun -0 request "r$k" A fx/ct.A -O sealed -R fx/epub2
		crun -0 certify "r$k" "c$k"
	done
	node 1 -o s1 c1
	((status == 0))
	cp st1/access.head head1
	node 1 -o s2 c2
	((status == 0))
	cp st1/access.log log2
	# As if killed inside the append of r2's entry.
	cp head1 st1/access.head
	head -c $(($(size_of log2) - 50)) log2 >st1/access.log
	echo "pending $(num r2 expires)" >"$(marker st1 r2)"
	node 1 -o s2b c2
	((status == 0))
	assert_stderr_empty
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
	rh=$(field_hex fx/epub2 pk | xxd -r -p | sha256sum | cut -c1-64)
	[[ "$(ccc-inspect st1/access.log | grep -c "^  \"output_recipient\": \"$rh\",$")" == 2 ]]
}

@test "request mode: a policy rule naming an owner label serves it for that app only, however its context spells it" {
	local owner=0x00112233445566778899aabbccddeeff00112233 i
	ccc-encrypt -k fx/k57/tpk.cbor -W "$owner" -o ct.o fx/msg
	[[ "$(ccc-inspect ct.o | sed -n 's/^  "context": "\(.*\)",$/\1/p')" == "owner:$owner" ]]
	crun -0 request r A ct.o
	# Not allowed by the default rule: refused by the oracles.
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -o s r
	assert_stderr "ccc-quorum-sign: refused by policy: r: item 1: a ciphertext labelled \"owner:$owner\" is not allowed for app \"A\""
	# A rule naming it (in upper case) for app A: certified and served.
	printf 'allow A owner:0x%s\n' "$(tr a-f A-F <<<"${owner#0x}")" >pol
	crun -0 certify r c -p pol
	node 1 -p pol -o s1 c
	((status == 0))
	assert_stderr_empty
	# Node 2, without the rule, refuses it, with nothing logged.
	node 2 -o s2 c
	((status == 1))
	assert_stderr "ccc-reencrypt: refused by policy: c: item 1: a ciphertext labelled \"owner:$owner\" is not allowed for app \"A\""
	assert_no_file s2 st2/access.log
	# The rule is for app A only.
	crun -0 request rb B ct.o
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -p pol -o s rb
	assert_stderr "ccc-quorum-sign: refused by policy: rb: item 1: a ciphertext labelled \"owner:$owner\" is not allowed for app \"B\""
}
