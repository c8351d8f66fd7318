#!/usr/bin/env bash
# Interoperability test: ciphertexts made by Chainlink's deployed JavaScript
# TDH2 encryptor (dist/tdh2.js of @chainlink/functions-toolkit, on bcrypto 5)
# under a ccc dealer key exported as Chainlink JSON must be decrypted by ccc's
# threshold path (ccc-reencrypt by t nodes, then ccc-combine).
#
#   bash tests/interop/run.sh
#
# Environment:
#   CCC_BIN            directory of the ccc tools (default: this tree's cmd/)
#   CCC_INTEROP_CACHE  cache of the npm tarball and node_modules
#                      (default: tests/interop/.cache, gitignored)
#
# Output is TAP.  Setup (node/npm through apt-get when missing, the toolkit
# tarball through `npm pack`, bcrypto through `npm install --ignore-scripts`)
# happens only when the cache lacks it; its output goes to .cache/setup.log.
# A setup failure is reported as `1..1` / `not ok 1 - setup: REASON`, and
# when npm cannot fetch a package, REASON is one line with npm's own
# reason (the registry unreachable, a TLS proxy's certificate not trusted,
# ...): README.md, Network, says what is fetched and how to pre-seed the
# cache.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
bin=${CCC_BIN:-$top/cmd}
cache=${CCC_INTEROP_CACHE:-$here/.cache}

# What is tested: the release named in the spec and the bcrypto major it uses.
toolkit_version=0.3.2
toolkit_pkg=@chainlink/functions-toolkit@$toolkit_version
toolkit_tgz=chainlink-functions-toolkit-$toolkit_version.tgz
# sha256 of package/dist/tdh2.js in that tarball (registry shasum of the
# tarball: 63f2f5ae818c05a1ac90589b9127d51748a28c95).
tdh2_sha256=f6638b16a71e5b0ea3e659fe56f53580f379c1af1c39960e43fa322add0d9e8d
bcrypto_spec=bcrypto@5.5.2

# bcrypto without its node-gyp build has no native binding; its pure-JS
# backend is selected by NODE_BACKEND=js (encrypt.js sets it too).
export NODE_BACKEND=${NODE_BACKEND:-js}

setup_log=/dev/null
# Fail fast when the registry cannot be reached (npm's default retries
# take minutes); the cause is in npm's output.
export npm_config_fetch_retries=${npm_config_fetch_retries:-1}

setup_fail() {
	echo "1..1"
	echo "not ok 1 - setup: $*"
	if [ -f "$setup_log" ] && [ -s "$setup_log" ]; then
		echo "# last lines of $setup_log:"
		tail -n 20 "$setup_log" | sed 's/^/#   /'
	fi
	exit 1
}

# npm_fail SPEC: the setup failure of an npm command that fetched SPEC, in
# one line with npm's reason, from the end of the setup log: the "reason:"
# of a failed request, else npm's error code, else its first error line.
npm_fail() {
	local why
	why=$(sed -n 's/^npm \(ERR!\|error\) .*reason: //p' "$setup_log" | tail -1)
	[ -n "$why" ] ||
	    why=$(sed -n 's/^npm \(ERR!\|error\) code //p' "$setup_log" | tail -1)
	[ -n "$why" ] ||
	    why=$(sed -n 's/^npm \(ERR!\|error\) //p' "$setup_log" | head -1)
	setup_log=/dev/null
	setup_fail "interop: npm could not fetch $1: ${why:-no reason given (see $cache/setup.log)}: see README.md, Network"
}

# ---------------------------------------------------------------- setup ---

mkdir -p "$cache" 2>/dev/null || setup_fail "cannot create cache directory $cache"
setup_log=$cache/setup.log
: >"$setup_log" 2>/dev/null || setup_fail "cannot write $setup_log"

for tool in ccc-keygen ccc-encrypt ccc-reencrypt ccc-combine; do
	[ -x "$bin/$tool" ] ||
	    setup_fail "$bin/$tool not found (build it: make cmd/$tool, or set CCC_BIN)"
done
for tool in shuf cmp head sha256sum tar; do
	command -v "$tool" >/dev/null 2>&1 || setup_fail "$tool not found"
done

# Node.js and npm: Debian's packages when missing (CI runs as root, no stdin).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	[ "$(id -u)" = 0 ] ||
	    setup_fail "node/npm missing; install nodejs and npm (apt-get install nodejs npm needs root)"
	command -v apt-get >/dev/null 2>&1 ||
	    setup_fail "node/npm missing and no apt-get to install them"
	echo "== apt-get install nodejs npm" >>"$setup_log"
	{
		DEBIAN_FRONTEND=noninteractive apt-get update &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y \
		    --no-install-recommends nodejs npm
	} </dev/null >>"$setup_log" 2>&1 ||
	    setup_fail "apt-get install nodejs npm failed"
	hash -r
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		setup_fail "node/npm still missing after apt-get install nodejs npm"
	fi
fi

# The toolkit tarball, fetched with npm pack (npm checks its integrity
# against the registry), and its dist/tdh2.js.
if [ ! -s "$cache/$toolkit_tgz" ]; then
	echo "== npm pack $toolkit_pkg" >>"$setup_log"
	tmp=$(mktemp -d "$cache/pack.XXXXXX")
	(cd "$tmp" && npm pack --loglevel=error "$toolkit_pkg") \
	    </dev/null >>"$setup_log" 2>&1 || {
		rm -rf "$tmp"
		npm_fail "$toolkit_pkg"
	}
	[ -s "$tmp/$toolkit_tgz" ] || {
		rm -rf "$tmp"
		setup_fail "npm pack did not produce $toolkit_tgz"
	}
	mv -f "$tmp/$toolkit_tgz" "$cache/$toolkit_tgz"
	rm -rf "$tmp"
	rm -rf "$cache/toolkit"
fi
tdh2_js=$cache/toolkit/package/dist/tdh2.js
if [ ! -s "$tdh2_js" ]; then
	tmp=$(mktemp -d "$cache/toolkit.XXXXXX")
	tar -xzf "$cache/$toolkit_tgz" -C "$tmp" package/dist/tdh2.js \
	    package/package.json >>"$setup_log" 2>&1 || {
		rm -rf "$tmp"
		rm -f "$cache/$toolkit_tgz"
		setup_fail "cannot extract package/dist/tdh2.js from $toolkit_tgz (removed it; rerun)"
	}
	rm -rf "$cache/toolkit"
	mv "$tmp" "$cache/toolkit"
fi
sum=$(sha256sum "$tdh2_js" | cut -d' ' -f1)
if [ "$sum" != "$tdh2_sha256" ]; then
	rm -rf "${cache:?}/toolkit" "${cache:?}/$toolkit_tgz"
	setup_fail "tdh2.js sha256 $sum, expected $tdh2_sha256 (cache removed; rerun)"
fi
# encrypt.js loads the very file checked above, whatever cache it is in.
export TDH2_JS=$tdh2_js CCC_INTEROP_CACHE=$cache

# bcrypto in $cache/node_modules, where tdh2.js's require() calls find it.
# --ignore-scripts: no node-gyp build (needs a compiler and Node headers);
# the pure-JS backend is used instead.
tdh2_loads() {
	node -e 'const t = require(process.argv[1]);
	    if (typeof t.encrypt !== "function") process.exit(1);' "$tdh2_js" \
	    >>"$setup_log" 2>&1 </dev/null
}
if [ ! -f "$cache/node_modules/bcrypto/package.json" ] || ! tdh2_loads; then
	echo "== npm install $bcrypto_spec" >>"$setup_log"
	tmp=$(mktemp -d "$cache/npm.XXXXXX")
	npm install --prefix "$tmp" --no-save --no-package-lock --no-audit \
	    --no-fund --ignore-scripts --loglevel=error "$bcrypto_spec" \
	    </dev/null >>"$setup_log" 2>&1 || {
		rm -rf "$tmp"
		npm_fail "$bcrypto_spec"
	}
	rm -rf "$cache/node_modules"
	mv "$tmp/node_modules" "$cache/node_modules"
	rm -rf "$tmp"
	tdh2_loads || setup_fail "tdh2.js does not load (its bcrypto requires do not resolve)"
fi

# ---------------------------------------------------------------- cases ---

keys=("1 1" "2 3" "5 7")
sizes=(1 1024 65536)
plan=$(( ${#keys[@]} * ${#sizes[@]} + ${#keys[@]} + 2 ))

work=$(mktemp -d "${TMPDIR:-/tmp}/ccc-interop.XXXXXX")
failed=0
num=0
cleanup() {
	if [ "$failed" = 0 ]; then
		rm -rf "$work"
	else
		echo "# work files kept in $work"
	fi
}
trap cleanup EXIT

echo "1..$plan"
bcrypto_version=$(node -p 'require(process.argv[1]).version' \
    "$cache/node_modules/bcrypto/package.json" 2>/dev/null || echo '?')
echo "# node $(node --version), npm $(npm --version 2>/dev/null || echo '?'), bcrypto $bcrypto_version (NODE_BACKEND=$NODE_BACKEND), toolkit $toolkit_version; ccc tools from $bin"

# check DESCRIPTION FUNCTION ARGS...: one TAP line.  The function runs in a
# subshell with errexit on; its output is shown as TAP comments on failure.
check() {
	local desc=$1 rc
	shift
	num=$((num + 1))
	local log=$work/check-$num.log
	set +e
	( set -e; "$@" ) >"$log" 2>&1
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

# pick T N: t distinct share numbers among 1..n, in random order.
pick() {
	shuf -i "1-$2" -n "$1" | tr '\n' ' ' | sed 's/ $//'
}

# is_prefix "LIST" T: the list is exactly {1..t} (in any order).
is_prefix() {
	local i
	for i in $1; do
		[ "$i" -le "$2" ] || return 1
	done
}

# make_key T N: a fresh dealer key with its Chainlink JSON, and a recipient.
make_key() {
	local kd=$work/key-$1-$2
	mkdir -p "$kd"
	"$bin/ccc-keygen" dealer -t "$1" -n "$2" -d "$kd/dealer" --json
	"$bin/ccc-keygen" recipient -o "$kd/recipient.key" -p "$kd/recipient.pub"
	test -s "$kd/dealer/tpk.json"
	test -s "$kd/dealer/tpk.cbor"
}

# decrypt_shares KD CT OUT SHARES...: t nodes reencrypt CT (JSON or CBOR) to
# the recipient; ccc-combine decrypts with the sealed shares to OUT.
decrypt_shares() {
	local kd=$1 ct=$2 out=$3 i
	shift 3
	local sealed=()
	for i in "$@"; do
		"$bin/ccc-reencrypt" -s "$kd/dealer/share-$i.cbor" \
		    -k "$kd/dealer/tpk.cbor" --to "$kd/recipient.pub" -U \
		    -o "$out.sealed-$i" "$ct"
		sealed+=("$out.sealed-$i")
	done
	"$bin/ccc-combine" -k "$kd/dealer/tpk.cbor" -i "$kd/recipient.key" \
	    -c "$ct" -o "$out" "${sealed[@]}"
}

# case_js T N SIZE SHARES...: Chainlink JS encrypts SIZE random bytes under
# tpk.json; the chosen shares decrypt it through ccc; the bytes must match.
case_js() {
	local t=$1 n=$2 size=$3
	shift 3
	local kd=$work/key-$t-$n
	local msg=$kd/msg-$size ct=$kd/ct-$size.json
	test -s "$kd/dealer/tpk.json" || { echo "no key (keygen failed)"; return 1; }
	head -c "$size" /dev/urandom >"$msg"
	node "$here/encrypt.js" "$kd/dealer/tpk.json" "$msg" >"$ct"
	decrypt_shares "$kd" "$ct" "$kd/out-$size" "$@"
	cmp "$msg" "$kd/out-$size"
}

# case_cbor T N SHARES...: the 1 KiB JSON ciphertext converted by
# ccc-encrypt --from-json decrypts, in its CBOR form, to the same bytes.
case_cbor() {
	local t=$1 n=$2
	shift 2
	local kd=$work/key-$t-$n
	local ct=$kd/ct-1024.json
	test -s "$ct" || { echo "no JSON ciphertext (its case failed)"; return 1; }
	"$bin/ccc-encrypt" -k "$kd/dealer/tpk.cbor" --from-json \
	    -o "$kd/ct-1024.cbor" "$ct"
	test -s "$kd/ct-1024.cbor"
	if [ "$(head -c 1 "$kd/ct-1024.cbor")" = "{" ]; then
		echo "ccc-encrypt --from-json wrote JSON, not a CBOR blob"
		return 1
	fi
	decrypt_shares "$kd" "$kd/ct-1024.cbor" "$kd/out-1024-cbor" "$@"
	cmp "$kd/msg-1024" "$kd/out-1024-cbor"
	cmp "$kd/out-1024" "$kd/out-1024-cbor"
}

# case_tamper FIELD: one base64 character of FIELD in TDH2Ctxt flipped;
# ccc-reencrypt must refuse with exit status 1 and write nothing.
case_tamper() {
	local field=$1 kd=$work/key-2-3 rc=0
	local ct=$kd/ct-1024.json bad=$kd/ct-1024-bad-$1.json
	test -s "$ct" || { echo "no JSON ciphertext (its case failed)"; return 1; }
	node "$here/tamper.js" "$field" "$ct" >"$bad"
	"$bin/ccc-reencrypt" -s "$kd/dealer/share-1.cbor" \
	    -k "$kd/dealer/tpk.cbor" --to "$kd/recipient.pub" -U \
	    -o "$kd/sealed-bad-$field" "$bad" || rc=$?
	echo "ccc-reencrypt exit status $rc"
	[ "$rc" = 1 ] || return 1
	if [ -e "$kd/sealed-bad-$field" ]; then
		echo "output file written despite the refusal"
		return 1
	fi
}

for key in "${keys[@]}"; do
	read -r t n <<<"$key"
	set +e
	( set -e; make_key "$t" "$n" ) >"$work/keygen-$t-$n.log" 2>&1
	rc=$?
	set -e
	if [ "$rc" != 0 ]; then
		echo "# ccc-keygen for t=$t n=$n failed:"
		sed 's/^/#   /' "$work/keygen-$t-$n.log"
	fi
	all_prefix=1
	for k in "${!sizes[@]}"; do
		size=${sizes[$k]}
		shares=$(pick "$t" "$n")
		# Random choice, but not the first t shares every time.
		if [ "$k" = $(( ${#sizes[@]} - 1 )) ] && [ "$all_prefix" = 1 ] &&
		    [ "$t" -lt "$n" ]; then
			while is_prefix "$shares" "$t"; do
				shares=$(pick "$t" "$n")
			done
		fi
		is_prefix "$shares" "$t" || all_prefix=0
		# shellcheck disable=SC2086
		check "t=$t n=$n $size B: Chainlink tdh2.js encrypt, ccc-reencrypt by shares ${shares// /,}, ccc-combine, cmp" \
		    case_js "$t" "$n" "$size" $shares
	done
	shares=$(pick "$t" "$n")
	# shellcheck disable=SC2086
	check "t=$t n=$n 1024 B: ccc-encrypt --from-json, CBOR ciphertext decrypted by shares ${shares// /,}, same bytes" \
	    case_cbor "$t" "$n" $shares
done

check "flipped base64 character in TDH2Ctxt.U: ccc-reencrypt refuses with exit status 1" \
    case_tamper U
check "flipped base64 character in TDH2Ctxt.E: ccc-reencrypt refuses with exit status 1" \
    case_tamper E

if [ "$num" != "$plan" ]; then
	echo "# planned $plan checks, ran $num"
	failed=$((failed + 1))
fi
echo "# $((num - failed)) passed, $failed failed"
[ "$failed" = 0 ]
