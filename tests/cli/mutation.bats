#!/usr/bin/env bats
# Mutation through the tools: bit flips and truncations of a valid
# ciphertext, key share and sealed-share blob are refused with exit 1 and
# one error line, never a crash and never output.
#
# Every bit flip and every truncation of a sample of every schema is
# decoded in process by tests/unit/test_mutate; here, where each mutant
# costs a process, the positions are a deterministic sample that still
# touches every byte: one bit of each byte (bit (5i + 3) mod 8 of byte i,
# so every bit index occurs), and the prefixes of length 0-3, the last
# four, and every fifth between.  That keeps the checks only a whole tool
# makes (points, proofs, keys, AEAD tags) on every field, with the exit
# status and the error line of each tool.
#
# Each loop runs the consuming tool directly (not through bats' run) on
# every mutant, in two workers (one per core), collects what went wrong
# and reports it all at the end.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	# Under the sanitizers the libFuzzer harnesses (tests/fuzz) mutate
	# the same decoders far more: CI runs this file in the release build
	# only, within its time budget.
	[[ ${CCC_SANITIZERS:-no} != yes ]] || return 0
	make_fixtures
}

setup() {
	[[ ${CCC_SANITIZERS:-no} != yes ]] ||
	    skip "mutation through the tools runs in the release build (the fuzzers mutate under the sanitizers)"
	use_fixtures
	# Mutants of secret files must pass the permission check.
	umask 077
	# XS[v] is the printf escape of byte v.
	# shellcheck disable=SC2207
	XS=($(printf '\\x%02x ' {0..255}))
}

# load_blob FILE: BYTES[i] (values), ESC (printf escapes) and N (size).
load_blob() {
	local hex i
	hex=$(hex_of "$1")
	N=$((${#hex} / 2))
	ESC=$(sed 's/../\\x&/g' <<<"$hex")
	BYTES=()
	for ((i = 0; i < N; i++)); do
		BYTES[i]=$((16#${hex:2*i:2}))
	done
}

# mutant KIND I B OUT: the blob with bit B of byte I flipped (KIND flip),
# or its first I bytes (KIND cut).
mutant() {
	if [[ $1 == flip ]]; then
		printf '%b' "${ESC:0:4*$2}${XS[BYTES[$2] ^ (1 << $3)]}${ESC:4*$2+4}" >"$4"
	else
		printf '%b' "${ESC:0:4*$2}" >"$4"
	fi
}

# bits KIND I: the bits of byte I to flip (KIND flip), or "0" if the
# prefix of length I is in the sample (KIND cut); nothing if none.
bits() {
	if [[ $1 == flip ]]; then
		echo $((($2 * 5 + 3) % 8))
	elif (($2 < 4 || $2 >= N - 4 || $2 % 5 == 0)); then
		echo 0
	fi
}

# in_parallel FUNC KIND: run "FUNC KIND FIRST END ID" over the byte
# offsets (flip: 0..N-1, cut: prefix lengths 0..N-1) in two workers, then
# print the failures they recorded and fail if there were any.
in_parallel() {
	local half=$((N / 2)) w0
	: >w0.fail
	: >w1.fail
	# Each worker's own status too: one that stopped early (set -e)
	# left its last mutants untried and wrote no failure for them.
	"$1" "$2" 0 "$half" w0 &
	w0=$!
	"$1" "$2" "$half" "$N" w1 &
	wait "$!" || fail "worker w1 stopped with status $?"
	wait "$w0" || fail "worker w0 stopped with status $?"
	if [[ -s w0.fail || -s w1.fail ]]; then
		cat w0.fail w1.fail >&2
		fail "$(cat w0.fail w1.fail | wc -l) mutants were not refused as they should be"
	fi
}

# one_line ERR TOOL: ERR is a single "TOOL: " error line.
one_line() {
	[[ "$1" == "$2: "* && "$1" != *$'\n'* ]]
}

# ---- ciphertext ------------------------------------------------------------------

# A mutant of fx/ct.l fed to node 1: exit 1 with one line naming the
# mutant, except for flips in the nonce or the AES-GCM payload, which the
# TDH2 proof does not cover.  Those must then fail in ccc-combine, both
# with the original sealed shares (bound to the ciphertext's digest) and
# with fresh shares of the mutant (the GCM tag).
ct_worker() {
	local kind=$1 i b st e m=$4
	for ((i = $2; i < $3; i++)); do
		for b in $(bits "$kind" "$i"); do
			mutant "$kind" "$i" "$b" "$m"
			rm -f "$m.s1" "$m.s2" "$m.out"
			st=0
			ccc-reencrypt -s fx/k23/share-1.cbor -k fx/k23/tpk.cbor \
			    --to fx/rpub -o "$m.s1" "$m" 2>"$m.err" || st=$?
			read -r -d '' e <"$m.err" || true
			if ((st == 1)); then
				if ! one_line "$e" ccc-reencrypt ||
				    [[ "$e" != *": $m"* ]]; then
					echo "$kind $i.$b: reencrypt: $e" >>"$m.fail"
				elif [[ $kind == cut && "$e" != "ccc-reencrypt: truncated input: $m"* ]]; then
					echo "$kind $i: not 'truncated input': $e" >>"$m.fail"
				fi
				continue
			fi
			if ((st != 0)); then
				echo "$kind $i.$b: reencrypt status $st: $e" >>"$m.fail"
				continue
			fi
			# Accepted by the node: only the payload may be changed.
			if [[ $kind != flip ]] ||
			    ! ((i >= NONCE && i < NONCE + 12 ||
			    i >= SYM && i < SYM + SYMLEN)); then
				echo "$kind $i.$b: accepted by ccc-reencrypt" >>"$m.fail"
				continue
			fi
			echo "$i.$b" >>"$m.acc"
			st=0
			ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c "$m" \
			    -o "$m.out" fx/s1 fx/s2 2>"$m.err" || st=$?
			read -r -d '' e <"$m.err" || true
			if ((st != 1)) || [[ -e "$m.out" ]] || [[ "$e" != "ccc-combine: not enough shares: $m: item 1: 0 valid shares, 2 needed; node 1 (fx/s1): share made for another ciphertext; node 2 (fx/s2): share made for another ciphertext" ]]; then
				echo "$kind $i.$b: combine with the old shares: status $st: $e" >>"$m.fail"
			fi
			ccc-reencrypt -s fx/k23/share-2.cbor -k fx/k23/tpk.cbor \
			    --to fx/rpub -o "$m.s2" "$m" 2>/dev/null ||
			    echo "$kind $i.$b: node 2 refused it" >>"$m.fail"
			st=0
			ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c "$m" \
			    -o "$m.out" "$m.s1" "$m.s2" 2>"$m.err" || st=$?
			read -r -d '' e <"$m.err" || true
			if ((st != 1)) || [[ -e "$m.out" ]] || [[ "$e" != "ccc-combine: decryption failed: $m: item 1: payload does not authenticate" ]]; then
				echo "$kind $i.$b: combine with fresh shares: status $st: $e" >>"$m.fail"
			fi
		done
	done
}

@test "mutation: a bit flip in each byte of a ciphertext is refused by ccc-reencrypt or ccc-combine" {
	load_blob fx/ct.l
	NONCE=$(field_offset fx/ct.l nonce)
	SYM=$(field_offset fx/ct.l sym)
	SYMLEN=$(field_len fx/ct.l sym)
	in_parallel ct_worker flip
	# Exactly the payload bits got past the node (then failed above):
	# one per byte of the nonce and of the payload.
	(($(cat w0.acc w1.acc 2>/dev/null | wc -l) == 12 + SYMLEN))
}

@test "mutation: sampled truncations of a ciphertext are refused (truncated input)" {
	load_blob fx/ct.l
	in_parallel ct_worker cut
}

# ---- key share -------------------------------------------------------------------

# A mutant of node 1's share: ccc-reencrypt exits 1 with one line naming
# it.  Every field is checked: the CBOR framing, the type, group, index
# (1..n, and g^x = h_index), epoch and key id against the public key, and
# x (below the group order, g^x = h_index), so no flip reaches exit 0;
# none can cause exit 2 either (the file stays readable, 0600, small).
share_worker() {
	local kind=$1 i b st e m=$4
	for ((i = $2; i < $3; i++)); do
		for b in $(bits "$kind" "$i"); do
			mutant "$kind" "$i" "$b" "$m"
			st=0
			ccc-reencrypt -s "$m" -k fx/k23/tpk.cbor --to fx/rpub \
			    -c app1 -o "$m.s" fx/ct.l 2>"$m.err" || st=$?
			read -r -d '' e <"$m.err" || true
			if ((st != 1)) || [[ -e "$m.s" ]] ||
			    ! one_line "$e" ccc-reencrypt ||
			    [[ "$e" != *": $m: "* ]]; then
				echo "$kind $i.$b: status $st: $e" >>"$m.fail"
				rm -f "$m.s"
			elif [[ $kind == cut && "$e" != "ccc-reencrypt: truncated input: $m: "* ]]; then
				echo "$kind $i: not 'truncated input': $e" >>"$m.fail"
			fi
		done
	done
}

@test "mutation: a bit flip in each byte of a key share is refused by ccc-reencrypt (exit 1)" {
	load_blob fx/k23/share-1.cbor
	in_parallel share_worker flip
}

@test "mutation: sampled truncations of a key share are refused (truncated input)" {
	load_blob fx/k23/share-1.cbor
	in_parallel share_worker cut
}

# ---- sealed shares -----------------------------------------------------------------

# named_worker KIND FIRST END ID: each mutant given to `consume MUTANT
# OUT` (a function the test defines) must exit 1, write no OUT and print
# one line: $PRE, then "node N (MUTANT): why" or "MUTANT: why".
named_worker() {
	local kind=$1 i b st e m=$4
	for ((i = $2; i < $3; i++)); do
		for b in $(bits "$kind" "$i"); do
			mutant "$kind" "$i" "$b" "$m"
			st=0
			consume "$m" "$m.out" 2>"$m.err" || st=$?
			read -r -d '' e <"$m.err" || true
			if ((st != 1)) || [[ -e "$m.out" ]] ||
			    ! one_line "$e" "${PRE%%:*}" ||
			    ! [[ "$e" == "$PRE""node "*" ($m): "* ||
			    "$e" == "$PRE$m: "* ]]; then
				echo "$kind $i.$b: status $st: $e" >>"$m.fail"
				rm -f "$m.out"
			fi
		done
	done
}

# A mutant of node 1's sealed share, given to ccc-combine with node 2's
# (t = 2): the mutant never counts, so exit 1 with one line naming it, no
# output.  The clear header is checked against the key and recipient and
# bound into the HPKE info; the shares are AEAD ciphertexts.
sealed_mutants() {
	PRE="ccc-combine: not enough shares: fx/ct.l: item 1: 1 valid share, 2 needed; "
	consume() {
		ccc-combine -k fx/k23/tpk.cbor -i fx/rk -c fx/ct.l -o "$2" \
		    "$1" fx/s2
	}
	load_blob fx/s1
	in_parallel named_worker "$1"
}

@test "mutation: a bit flip in each byte of a sealed share is refused by ccc-combine (exit 1)" {
	sealed_mutants flip
}

@test "mutation: sampled truncations of a sealed share are refused by ccc-combine (exit 1)" {
	sealed_mutants cut
}

# ---- coin shares and random values (ccc-rand) ----------------------------------------

# rand_fixtures: in the test's directory, a 2-of-3 key's coin shares of
# request RID from nodes 1 and 2 (c1, c2) and their value (r).
RID=5ad1ee0ff1cec0de5ad1ee0ff1cec0de5ad1ee0ff1cec0de5ad1ee0ff1cec0de
rand_fixtures() {
	local i
	for i in 1 2; do
		ccc-rand share -k fx/k23/tpk.cbor -s "fx/k23/share-$i.cbor" \
		    -I "$RID" -o "c$i"
	done
	ccc-rand combine -k fx/k23/tpk.cbor -I "$RID" -o r c1 c2
}

# A mutant of node 1's coin share, combined with node 2's (t = 2): it is
# never one of the coin's (the key, epoch, request and node are checked,
# and the proof covers the point), so exit 1 with one line naming it and
# no output.
coin_mutants() {
	PRE="ccc-rand: not enough shares: 1 valid share, 2 needed; "
	consume() {
		ccc-rand combine -k fx/k23/tpk.cbor -I "$RID" -o "$2" "$1" c2
	}
	load_blob c1
	in_parallel named_worker "$1"
}

# A mutant of the value: ccc-rand verify exits 1 with one line naming it,
# and prints no value (every field is checked: key, epoch, the request
# through the shares' proofs, each share, sigma and the value).
rand_worker() {
	local kind=$1 i b st e m=$4
	for ((i = $2; i < $3; i++)); do
		for b in $(bits "$kind" "$i"); do
			mutant "$kind" "$i" "$b" "$m"
			st=0
			ccc-rand verify -k fx/k23/tpk.cbor "$m" >"$m.out" \
			    2>"$m.err" || st=$?
			read -r -d '' e <"$m.err" || true
			if ((st != 1)) || [[ -s "$m.out" ]] ||
			    ! one_line "$e" ccc-rand || [[ "$e" != *": $m: "* ]]; then
				echo "$kind $i.$b: status $st: $e" >>"$m.fail"
			fi
		done
	done
}

@test "mutation: a bit flip in each byte of a coin share or a random value is refused by ccc-rand (exit 1)" {
	rand_fixtures
	coin_mutants flip
	load_blob r
	in_parallel rand_worker flip
}

@test "mutation: sampled truncations of a coin share or a random value are refused by ccc-rand (exit 1)" {
	rand_fixtures
	coin_mutants cut
	load_blob r
	in_parallel rand_worker cut
}
