#!/usr/bin/env bash
# Interoperability of keys made without a dealer: the threshold public key
# of a ccc-share DKG, exported as Chainlink JSON (ccc-keygen export), works
# with Chainlink's deployed JavaScript TDH2 encryptor, before and after a
# reshare; t nodes' DKG (or reshared) shares decrypt its ciphertexts through
# ccc-reencrypt and ccc-combine.
#
#   bash tests/interop/dkg.sh
#
# Environment, output and cache as tests/interop/run.sh (CCC_BIN,
# CCC_INTEROP_CACHE; TAP; a setup failure is `1..1` / `not ok 1 - setup`).
# The cache (the npm toolkit tarball, its tdh2.js, bcrypto) is the one
# run.sh fills: when it is not ready, run.sh is run once to fill it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${CCC_BIN:-$top/cmd}
cache=${CCC_INTEROP_CACHE:-$here/.cache}
export CCC_INTEROP_CACHE=$cache CCC_BIN=$bin
export NODE_BACKEND=${NODE_BACKEND:-js}
# The tdh2.js run.sh pins (sha256 of package/dist/tdh2.js in
# @chainlink/functions-toolkit 0.3.2).
tdh2_sha256=f6638b16a71e5b0ea3e659fe56f53580f379c1af1c39960e43fa322add0d9e8d
tdh2_js=$cache/toolkit/package/dist/tdh2.js
export TDH2_JS=$tdh2_js
transport=$top/examples/ccc-share-transport.sh

setup_fail() {
	echo "1..1"
	echo "not ok 1 - setup: $*"
	exit 1
}

# ---------------------------------------------------------------- setup ---

for tool in ccc-keygen ccc-encrypt ccc-reencrypt ccc-combine ccc-share; do
	[ -x "$bin/$tool" ] ||
	    setup_fail "$bin/$tool not found (build it: make cmd/$tool, or set CCC_BIN)"
done
command -v shuf >/dev/null 2>&1 || setup_fail "shuf not found"
cache_ready() {
	[ -s "$tdh2_js" ] &&
	    [ "$(sha256sum "$tdh2_js" | cut -d' ' -f1)" = "$tdh2_sha256" ] &&
	    command -v node >/dev/null 2>&1 &&
	    node -e 'const t = require(process.argv[1]);
	        if (typeof t.encrypt !== "function") process.exit(1);' \
	        "$tdh2_js" >/dev/null 2>&1 </dev/null
}
if ! cache_ready; then
	mkdir -p "$cache" 2>/dev/null || setup_fail "cannot create $cache"
	bash "$here/run.sh" >"$cache/dkg-setup.log" 2>&1 </dev/null || true
	# run.sh's reason (npm could not fetch ..., say) if it gave one.
	cache_ready || setup_fail "$(sed -n 's/^not ok 1 - setup: //p' \
	    "$cache/dkg-setup.log" | grep . ||
	    echo "the interop cache is not ready after running run.sh (see $cache/dkg-setup.log)")"
fi

# ---------------------------------------------------------------- cases ---

PATH=$bin:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/ccc-interop-dkg.XXXXXX")
failed=0
num=0
plan=5
cleanup() {
	if [ "$failed" = 0 ]; then
		rm -rf "$work"
	else
		echo "# work files kept in $work"
	fi
}
trap cleanup EXIT

echo "1..$plan"
echo "# node $(node --version); ccc tools from $bin"

# check DESCRIPTION FUNCTION ARGS...: one TAP line, as in run.sh.
check() {
	local desc=$1 rc
	shift
	num=$((num + 1))
	local log=$work/check-$num.log
	set +e
	( set -e; cd "$work"; "$@" ) >"$log" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 0 ]; then
		echo "ok $num - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $num - $desc"
		sed 's/^/#   /' "$log"
	fi
}

# settle KEY NODE...: transport and advance until no node has a transition.
settle() {
	local key=$1 i n
	shift
	for i in $(seq 1 12); do
		for n in "$@"; do
			bash "$transport" "$key/$n" "$key/bus"
			ccc-share advance -d "$key/$n"
		done
		for n in "$@"; do
			ccc-share status -d "$key/$n" | grep -qx 'transition: none' ||
			    continue 2
		done
		return 0
	done
	echo "the transition did not finish"
	return 1
}

# dkg T N: a DKG among N fresh nodes into key-T-N/; names n1..nN.
dkg() {
	local t=$1 n=$2 key=key-$1-$2 i pubs=()
	mkdir -p "$key"
	for i in $(seq 1 "$n"); do
		ccc-keygen identity -o "$key/n$i.key" -p "$key/n$i.pub"
		ccc-share init -d "$key/n$i" -i "$key/n$i.key"
		pubs+=("$key/n$i.pub")
	done
	ccc-share committee -t "$t" -o "$key/dkg.committee" "${pubs[@]}"
	for i in $(seq 1 "$n"); do
		ccc-share dkg -d "$key/n$i" -c "$key/dkg.committee"
	done
	settle "$key" $(seq -f 'n%g' 1 "$n")
	ccc-keygen recipient -o "$key/rk" -p "$key/rpub"
}

# js_decrypt KEY EPOCH T N: Chainlink encrypts 1 KiB under the key's JSON
# export at EPOCH; t random nodes among the N decrypt it with their shares
# of the current epoch; the bytes must match.  Leaves KEY/ct-EPOCH.json.
js_decrypt() {
	local key=$1 e=$2 t=$3 n=$4 i sealed=()
	ccc-share export -d "$key/n$(shuf -i "1-$n" -n 1)" -f -k "$key/tpk-$e"
	ccc-keygen export -f -o "$key/tpk-$e.json" "$key/tpk-$e"
	head -c 1024 /dev/urandom >"$key/msg-$e"
	node "$here/encrypt.js" "$key/tpk-$e.json" "$key/msg-$e" >"$key/ct-$e.json"
	decrypt_with "$key" "$key/ct-$e.json" "$key/out-$e" "$t" "$n"
	cmp "$key/msg-$e" "$key/out-$e"
}

# decrypt_with KEY CT OUT T N: t random nodes' current shares decrypt CT.
decrypt_with() {
	local key=$1 ct=$2 out=$3 t=$4 n=$5 i sealed=()
	ccc-share export -d "$key/n1" -f -k "$key/tpk-now"
	for i in $(shuf -i "1-$n" -n "$t"); do
		ccc-share export -d "$key/n$i" -f -s "$key/share-$i"
		ccc-reencrypt -s "$key/share-$i" -k "$key/tpk-now" \
		    --to "$key/rpub" -U -f -o "$key/sealed-$i" "$ct"
		sealed+=("$key/sealed-$i")
	done
	echo "shares: ${sealed[*]}"
	ccc-combine -k "$key/tpk-now" -i "$key/rk" -c "$ct" -f -o "$out" \
	    "${sealed[@]}"
}

case_dkg() {
	dkg "$1" "$2"
	js_decrypt "key-$1-$2" 0 "$1" "$2"
}

# case_reshare: key-3-4 is reshared to 2 of 5 (n5 joins); Chainlink's
# epoch-0 ciphertext decrypts with epoch-1 shares, and a new one under the
# epoch-1 export too.  H and G_bar of the JSON key never change.
case_reshare() {
	local key=key-3-4 i pubs=()
	test -d "$key/n1/epochs/0" || { echo "no DKG key (its case failed)"; return 1; }
	ccc-keygen identity -o "$key/n5.key" -p "$key/n5.pub"
	ccc-share init -d "$key/n5" -i "$key/n5.key"
	ccc-share export -d "$key/n1" -f -g "$key/group-0"
	ccc-share committee -t 2 -g "$key/group-0" -o "$key/c1" \
	    "$key"/n{1,2,3,4,5}.pub
	# n5 joins: 3 members of epoch 0 (t) approve the change.
	for i in 1 2 3; do
		ccc-share approve -d "$key/n$i" -c "$key/c1" -f -o "$key/c1"
	done
	for i in 1 2 3 4; do
		ccc-share reshare -d "$key/n$i" -c "$key/c1"
	done
	ccc-share reshare -d "$key/n5" -c "$key/c1" -g "$key/group-0"
	settle "$key" n1 n2 n3 n4 n5
	decrypt_with "$key" "$key/ct-0.json" "$key/out-0-again" 2 5
	cmp "$key/msg-0" "$key/out-0-again"
	js_decrypt "$key" 1 2 5
	node -e '
	    const fs = require("fs");
	    const a = JSON.parse(fs.readFileSync(process.argv[1]));
	    const b = JSON.parse(fs.readFileSync(process.argv[2]));
	    if (a.H !== b.H || a.G_bar !== b.G_bar || a.Group !== b.Group)
	        process.exit(1);
	    if (JSON.stringify(a.HArray) === JSON.stringify(b.HArray))
	        process.exit(2);' "$key/tpk-0.json" "$key/tpk-1.json"
}

# case_old_share: after the reshare an epoch-0 share is refused.
case_old_share() {
	local key=key-3-4 rc=0
	# Whether node 1's share was exported above depends on the random
	# picks: what this case needs is the reshare to epoch 1.
	test -d "$key/n1/epochs/1" || { echo "no epoch 1 (the reshare failed)"; return 1; }
	ccc-share export -d "$key/n1" -f -k "$key/tpk-1b"
	# The epoch-0 share is still on node 1 for the grace period (a day
	# by default): export it by its epoch.
	ccc-share export -d "$key/n1" -e 0 -f -s "$key/share-1-e0"
	ccc-reencrypt -s "$key/share-1-e0" -k "$key/tpk-1b" --to "$key/rpub" \
	    -U -f -o "$key/sealed-old" "$key/ct-0.json" || rc=$?
	echo "ccc-reencrypt exit status $rc"
	[ "$rc" = 1 ]
}

check "DKG t=3 n=4: Chainlink tdh2.js encrypts under the exported key, 3 random nodes decrypt" \
    case_dkg 3 4
check "DKG t=5 n=7: Chainlink tdh2.js encrypts under the exported key, 5 random nodes decrypt" \
    case_dkg 5 7
check "DKG t=1 n=1: Chainlink tdh2.js encrypts, the single node decrypts" \
    case_dkg 1 1
check "reshare 3-of-4 -> 2-of-5: Chainlink's epoch-0 ciphertext decrypts at epoch 1; same H and G_bar, new HArray" \
    case_reshare
check "an epoch-0 share is refused against the epoch-1 key (exit status 1)" \
    case_old_share

if [ "$num" != "$plan" ]; then
	echo "# planned $plan checks, ran $num"
	failed=$((failed + 1))
fi
echo "# $((num - failed)) passed, $failed failed"
[ "$failed" = 0 ]
