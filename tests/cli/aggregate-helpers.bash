# Shared by the level-4 tests (aggregate.bats, contributors.bats): the
# fixtures, made once a file, and the steps of a release.

# The time of every request and release.
NOW=1800000000

# aggregate_fixtures (in setup_file): keys k23 (2 of 3), k11 (1 of 1) and
# k24 (2 of 4), a shared table cache, two oracles (quorum 2) and the
# nodes' label policy (app "pool" may have the sums of any label); four
# contributors' identities, c1, c2 and c3 listed for app "pool" (list, as
# list.cert certified by both oracles at NOW) and c4 not.
aggregate_fixtures() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		ccc-keygen dealer -t 2 -n 3 -d k23
		ccc-keygen dealer -t 1 -n 1 -d k11
		ccc-keygen dealer -t 2 -n 4 -d k24
		mkdir cache
		for i in 1 2; do
			ccc-keygen identity -o "oracle-$i.key" \
			    -p "oracle-$i.pub" -N "oracle-$i"
		done
		ccc-quorum-sign roster -q 2 -N oracles --not-before 0 \
		    -o roster oracle-1.pub oracle-2.pub
		echo 'allow pool *' >policy
		for i in 1 2 3 4; do
			ccc-keygen identity -o "c$i.key" -p "c$i.pub" -N "c$i"
		done
		ccc-quorum-sign contributors -a pool --not-before $NOW \
		    -o list c1=c1.pub c2=c2.pub c3=c3.pub
		certify_blob list
	)
}

# aggregate_setup (in setup): a test's directory, the fixtures as fx, the
# key k23 (K) and nodes serving anyone's inputs (MODE).
aggregate_setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	ln -s "$BATS_FILE_TMPDIR" fx
	K=(-k fx/k23/tpk.cbor)
	MODE=(--anyone)
}

# certify_blob FILE [ROSTER-DIR]: FILE signed by both oracles (of the
# directory given, default the current one) and certified at NOW, as
# FILE.cert.
certify_blob() {
	local f=$1 d=${2:-.} i
	for i in 1 2; do
		ccc-quorum-sign sign -i "$d/oracle-$i.key" "${K[@]}" --now $NOW \
		    -f -o "$f.sig-$i" "$f" || return 1
	done
	ccc-quorum-sign combine -r "$d/roster" -b "$f" --now $NOW \
	    -f -o "$f.cert" "$f.sig-1" "$f.sig-2"
}

# inputs LABEL BITS PREFIX VALUE...: one input file PREFIX-N.cbor a value;
# with BY set, each a contribution signed by fx/BY.key.
inputs() {
	local label=$1 bits=$2 prefix=$3 n=0 v
	shift 3
	for v; do
		n=$((n + 1))
		echo "$v" | ccc-encrypt "${K[@]}" --additive -B "$bits" \
		    -l "$label" ${BY:+-I "fx/$BY.key"} -o "$prefix-$n.cbor" ||
		    return 1
	done
}

# certify AGG [APP [ID]]: app APP's (default pool) level-4 request for
# AGG (request id ID, default random), certified by both oracles, as
# AGG.cert (made once).
certify() {
	local agg=$1 app=${2:-pool}
	[[ -e $agg.cert ]] && return
	ccc-quorum-sign request -a "$app" "${K[@]}" --aggregate "$agg" \
	    ${3:+-I "$3"} --now $NOW -f -o "$agg.req" || return 1
	certify_blob "$agg.req" fx && mv "$agg.req.cert" "$agg.cert"
}

# node I AGG INPUT...: node I's share of AGG as share-I.cbor (state
# node-I), for AGG's certified request, taking inputs as MODE says.
node() {
	local i=$1 agg=$2
	shift 2
	certify "$agg" || return 1
	ccc-aggregate -s "${K[1]%/tpk.cbor}/share-$i.cbor" "${K[@]}" -a "$agg" \
	    -F "$agg.cert" -r fx/roster -p fx/policy --now "${NODE_NOW:-$NOW}" \
	    -d "node-$i" "${MODE[@]}" -f -o "share-$i.cbor" "$@"
}

# sums AGG INPUT...: nodes 1 and 3 share AGG, the result is sum.cbor, and
# its re-verification prints the sums (in $output).
sums() {
	local agg=$1
	shift
	node 1 "$agg" "$@" && node 3 "$agg" "$@" || return 1
	crun -0 ccc-combine --aggregate "$agg" "${K[@]}" --cache fx/cache \
	    -f -o sum.cbor share-1.cbor share-3.cbor
	assert_stderr_empty
	crun -0 ccc-aggregate --verify sum.cbor "${K[@]}" "$@"
	assert_stderr_empty
}

# strip_sum_proof IN OUT: IN without its sum proof (keys 9 and 10, the
# last of the map): the same ciphertexts, another blob.
strip_sum_proof() {
	local at hex
	at=$(field_offset "$1" sum_proof) || return 1
	hex=$(hex_of "$1")
	# 09 SS 0a 59 LL LL: key 9 and its value, key 10 and the proof's head.
	[[ ${hex:0:2} == ab && ${hex:(at-6)*2:2} == 09 ]] || return 1
	write_hex "a9${hex:2:(at-7)*2}" "$2"
}

# pk_hex PUB: the first 8 bytes of an identity public key, in hex.
pk_hex() {
	ccc-inspect "$1" | sed -n 's/^  "pk": "\(.\{16\}\).*/\1/p'
}

# elem_hex FILE FIELD: the hex of the first element of an array field.
elem_hex() {
	ccc-inspect "$1" | sed -n "/\"$2\": \[/{n;s/^ *\"\(.*\)\",\{0,1\}\$/\1/p}"
}
