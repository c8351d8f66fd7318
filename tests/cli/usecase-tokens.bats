#!/usr/bin/env bats
# The private token of whitepaper 4.3, both variants (ccc(7) PRIVATE
# TOKENS): transfers signed by their sender and accepted once
# (ccc-quorum-sign transfer, accept), the enclave's overdraft refusal, and
# the oracles' table chain (ccc-quorum-sign sign -C) refusing a stale table.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	local ex
	for ex in private-token-accounts private-token; do
		mkdir "$BATS_FILE_TMPDIR/$ex"
		WORKDIR="$BATS_FILE_TMPDIR/$ex" bash \
		    "$TOP_SRCDIR/examples/$ex.sh" >"$BATS_FILE_TMPDIR/$ex.log" 2>&1 ||
		    return 1
	done
}

# work EXAMPLE: a copy of the example's work directory, made the current one.
work() {
	cp -a "$BATS_FILE_TMPDIR/$1" "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w" || return
}

# steps FUNCTION ARG...: one of the examples' shared steps
# (examples/token-common.bash), quietly, in the current directory.
steps() {
	(
		step() { :; }
		run() { "$@"; }
		examples=$TOP_SRCDIR/examples
		. "$examples/enclave-pool.bash"
		. "$examples/token-common.bash"
		"$@"
	) >/dev/null
}

# open_ct CT OUT: CT decrypted (a test's view, through nodes 1 and 2).
open_ct() {
	[[ -e r.key ]] || ccc-keygen recipient -o r.key -p r.pub
	local i
	for i in 1 2; do
		ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    --to r.pub -l "$(ccc-inspect "$1" |
		    sed -n 's/^  "context": "\(.*\)",$/\1/p')" -o "$2.s$i" "$1"
	done
	ccc-combine -k committee/tpk.cbor -i r.key -b "$1" -o "$2" \
	    "$2.s1" "$2.s2"
}

# enclave_run NAME: the enclave's run of the request NAME, as crun -N.
enclave_run() {
	local n=$1 e
	read -r _ _ e <"$2.assigned"
	crun "$n" ccc-enclave-run -r roster -k committee/tpk.cbor -i "$2.key" \
	    -a "$e.key" -x code -o "$2.result" "$2.certified" "$2.sealed-1" \
	    "$2.sealed-2" "$2.sealed-3"
}

# ---- the first variant: public accounts, signed transfers ----------------

# a transfer from alice to bob of amount.ct with nonce 7, in t
signed_transfer() {
	work private-token-accounts
	echo 5 | ccc-encrypt -k committee/tpk.cbor -l app:token -o amount.ct
	rm nonces
	crun -0 ccc-quorum-sign transfer -i alice.key -t bob.pub --nonce 7 \
	    -o t amount.ct
}

@test "transfer, accept: the amount of a transfer signed by its sender comes out once, its nonce on record" {
	signed_transfer
	assert_stderr_empty
	crun -0 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o amount t
	assert_stderr_empty
	assert_same amount amount.ct
	assert_same nonces <(printf '%s 7\n' "$(field_hex alice.pub id)")
	crun -0 ccc-inspect t
	assert_contains "$output" '"type": "ccc/transfer/v1"'
	assert_contains "$output" "\"recipient\": \"$(field_hex bob.pub pk)\""
}

@test "accept: an unsigned transfer is refused, nothing released, no nonce recorded" {
	signed_transfer
	# The transfer without its signature (its last field, 67 bytes).
	{ printf '\xa5'; tail -c +2 t | head -c -67; } >unsigned
	crun -1 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o amount unsigned
	assert_stderr "ccc-quorum-sign: bad signature: unsigned: unsigned: a transfer must be signed by its sender"
	assert_output_empty
	assert_no_file amount nonces
}

@test "accept: a transfer whose signature is not its sender's is refused" {
	signed_transfer
	flip_bit t $(($(size_of t) - 1)) 0 forged
	crun -1 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o amount forged
	assert_stderr "ccc-quorum-sign: bad signature: forged: the sender's signature does not verify"
	assert_no_file amount nonces
	crun -0 ccc-quorum-sign transfer -i mallory.key -t bob.pub --nonce 8 \
	    -o by-mallory amount.ct
	crun -1 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o amount by-mallory
	assert_stderr "ccc-quorum-sign: key mismatch: by-mallory: the transfer is from another key than the sender's"
	crun -1 ccc-quorum-sign accept --from alice.pub -t carol.pub --nonces nonces \
	    -o amount t
	assert_stderr "ccc-quorum-sign: key mismatch: t: the transfer is to another key than the recipient's"
	assert_no_file amount nonces
}

@test "accept: a replayed nonce is refused, the record unchanged" {
	signed_transfer
	crun -0 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o amount t
	save nonces
	crun -1 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o again t
	assert_stderr "ccc-quorum-sign: replayed: t: nonce 7 is not above 7, the sender's last"
	assert_output_empty
	assert_no_file again
	assert_unchanged nonces
	crun -0 ccc-quorum-sign transfer -i alice.key -t bob.pub --nonce 6 \
	    -o older amount.ct
	crun -1 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o again older
	assert_stderr "ccc-quorum-sign: replayed: older: nonce 6 is not above 7, the sender's last"
	assert_unchanged nonces
}

@test "accept: while another process holds the record, a second accept is refused, nothing released" {
	signed_transfer
	# flock(1) holds the record's lock as a concurrent accept does
	# between reading the record and replacing it: two accepts of one
	# transfer must not both find its nonce new.
	crun -2 flock nonces.lock ccc-quorum-sign accept --from alice.pub \
	    -t bob.pub --nonces nonces -o amount t
	assert_stderr "ccc-quorum-sign: locked: nonces: another process is updating it (run again when it is done)"
	assert_output_empty
	assert_no_file amount nonces
	crun -0 ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
	    -o amount t
	assert_same nonces <(printf '%s 7\n' "$(field_hex alice.pub id)")
	assert_mode 600 nonces.lock
	crun -2 flock nonces.lock ccc-quorum-sign accept --from alice.pub \
	    -t bob.pub --nonces nonces -o again t
	assert_stderr "ccc-quorum-sign: locked: nonces: another process is updating it (run again when it is done)"
	assert_no_file again
}

# A sample of the mutants (each costs a process; tests/unit/test_mutate
# decodes every one of every schema): a bit of every byte of the head
# (type, sender, nonce), of every 11th byte after it, and every 23rd cut.
@test "accept: bit flips and truncations of a transfer are refused with one line, nothing released" {
	signed_transfer
	local n i st e fails=
	n=$(size_of t)
	for ((i = 0; i < n; i++)); do
		((i < 60 || i % 11 == 0)) || continue
		flip_bit t "$i" $(((5 * i + 3) % 8)) m
		st=0
		ccc-quorum-sign accept --from alice.pub -t bob.pub --nonces nonces \
		    -o out m 2>err || st=$?
		read -r -d '' e <err || true
		[[ $st == 1 && $e == "ccc-quorum-sign: "*": m"* &&
		    $e != *$'\n'?* && ! -e out && ! -e nonces ]] ||
		    fails+="flip $i: status $st: $e"$'\n'
		if ((i % 23 == 0)); then
			head -c "$i" t >m
			st=0
			ccc-quorum-sign accept --from alice.pub -t bob.pub \
			    --nonces nonces -o out m 2>err || st=$?
			read -r -d '' e <err || true
			[[ $st == 1 && ! -e out && ! -e nonces ]] ||
			    fails+="cut $i: status $st: $e"$'\n'
		fi
	done
	[[ -z $fails ]] || fail "$fails"
}

@test "transfer, accept: usage" {
	crun -2 ccc-quorum-sign transfer -i k -t p
	assert_stderr "ccc-quorum-sign: usage: transfer needs -i, -t and --nonce (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign accept --from p -t p
	assert_stderr "ccc-quorum-sign: usage: accept needs --from, -t and --nonces (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign sign -i k -C chain r
	assert_stderr "ccc-quorum-sign: usage: -C needs -F: a chain advances with a result (see ccc-quorum-sign --help)"
}

@test "examples/private-token-accounts.sh: each entry holds its account's balance after the two transfers" {
	work private-token-accounts
	open_ct entries/alice.ct alice
	assert_same alice <(printf 'alice 70\nbob 80\n')
	open_ct entries/carol.ct carol
	assert_same carol <(printf 'bob 10\ncarol 70\n')
	assert_same entries/bob.ct entries/carol.ct
}

@test "the enclave refuses an overdraft: no result, no attestation" {
	work private-token-accounts
	echo 500 | ccc-encrypt -k committee/tpk.cbor -l app:token -o over.ct
	echo carol alice | ccc-encrypt -k committee/tpk.cbor -l app:token \
	    -o parties.ct
	steps serve over move entries/carol.ct entries/alice.ct over.ct \
	    parties.ct
	enclave_run -1 over
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 1; no result and no attestation"
	assert_output_empty
	assert_no_file over.result
}

# ---- the second variant: hidden parties, the oracles' table chain --------

# signed NAME FROM TO AMOUNT NONCE [SIGNER]: FROM's transfer, signed (by
# SIGNER's key, default FROM's) and encrypted whole, in NAME.ct (as
# examples/private-token.sh makes them).
signed() {
	printf 'ccc/token-transfer/v1 %s %s %s %s' "$2" "$3" "$4" "$5" >"$1.msg"
	echo "$2 $3 $4 $5 $(openssl pkeyutl -sign -rawin -inkey "${6:-$2}.pem" \
	    -in "$1.msg" | base64 -w0)" |
	    ccc-encrypt -k committee/tpk.cbor -l app:token -o "$1.ct"
}

# head: the digest the oracles' chain head names, in hex.
head_of() {
	local f
	read -r -a f <oracle-1.chain
	echo "${f[3]}"
}

@test "examples/private-token.sh: the new table holds the batch applied, and the chain names it" {
	work private-token
	open_ct table-1.ct table-1
	assert_same table-1 <(printf 'alice 70 1 %s\nbob 10 1 %s\ncarol 70 0 %s\n' \
	    "$(cat alice.key64)" "$(cat bob.key64)" "$(cat carol.key64)")
	assert_same oracle-2.chain <(printf 'ccc-chain/v1 token 1 %s\n' \
	    "$(sha256sum <table-1.ct | cut -d' ' -f1)")
}

@test "the enclave refuses a batch with a transfer not signed by its sender" {
	work private-token
	# carol's key signs a transfer from alice.
	signed forged alice carol 5 2 carol
	steps serve forged apply table-1.ct forged.ct
	enclave_run -1 forged
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 3; no result and no attestation"
	assert_output_empty
	assert_no_file forged.result
}

@test "the enclave refuses a batch with an unsigned transfer, or a replayed nonce" {
	work private-token
	echo "carol alice 5 1" |
	    ccc-encrypt -k committee/tpk.cbor -l app:token -o unsigned.ct
	steps serve unsigned apply table-1.ct unsigned.ct
	enclave_run -1 unsigned
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 3; no result and no attestation"
	assert_no_file unsigned.result
	steps serve replay apply table-1.ct transfer-1.ct
	enclave_run -1 replay
	assert_stderr "ccc-enclave-run: code failed: the code exited with status 4; no result and no attestation"
	assert_no_file replay.result
}

@test "the oracles refuse a result applied to a stale table, and the chain stays" {
	work private-token
	save oracle-1.chain
	crun -1 ccc-quorum-sign sign -i oracle-1.key -A attest.policy -r roster \
	    -P pool -F batch-4.certified -C oracle-1.chain -o sig batch-4.result
	assert_stderr "ccc-quorum-sign: refused by policy: batch-4.result: stale table: the result's first input is not the chain head $(head_of | cut -c1-16)... (sequence 1)"
	assert_output_empty
	assert_no_file sig
	assert_unchanged oracle-1.chain
}

@test "two batches on the same table: the first certified advances the chain, the fork is refused" {
	work private-token
	signed a carol alice 5 1
	signed b carol bob 5 1
	steps serve fork-a apply table-1.ct a.ct
	steps serve fork-b apply table-1.ct b.ct
	enclave_run -0 fork-a
	enclave_run -0 fork-b
	chained=1 steps certify fork-a
	assert_same oracle-1.chain <(printf 'ccc-chain/v1 token 2 %s\n' \
	    "$(sha256sum <fork-a.output | cut -d' ' -f1)")
	save oracle-2.chain
	crun -1 ccc-quorum-sign sign -i oracle-2.key -A attest.policy -r roster \
	    -P pool -F fork-b.certified -C oracle-2.chain -o sig fork-b.result
	assert_stderr "ccc-quorum-sign: refused by policy: fork-b.result: stale table: the result's first input is not the chain head $(head_of | cut -c1-16)... (sequence 2)"
	assert_no_file sig
	assert_unchanged oracle-2.chain
	# Without -C the oracle would sign it: the chain is what refuses.
	crun -0 ccc-quorum-sign sign -i oracle-2.key -A attest.policy -r roster \
	    -P pool -F fork-b.certified -o sig fork-b.result
}

@test "chain: an oracle's chain starts at the first table" {
	work private-token
	crun -0 ccc-quorum-sign chain -a token -o start table-0.ct
	assert_stderr_empty
	assert_same start <(printf 'ccc-chain/v1 token 0 %s\n' \
	    "$(sha256sum <table-0.ct | cut -d' ' -f1)")
	crun -0 ccc-quorum-sign chain -a token table-1.ct
	assert_output "ccc-chain/v1 token 0 $(sha256sum <table-1.ct | cut -d' ' -f1)"
	crun -1 ccc-quorum-sign chain -a token -o bad roster
	assert_stderr "ccc-quorum-sign: wrong blob type: roster: at byte 0: expected a ciphertext (ccc/ct/v1), found an oracle roster (ccc/roster/v1)"
	crun -1 ccc-quorum-sign chain -a 'to/ken' -o bad table-0.ct
	assert_stderr "ccc-quorum-sign: invalid field: -a: app_id: byte 2 (0x2f) is not a letter, digit, '.', '_' or '-'"
	assert_no_file bad
	crun -2 ccc-quorum-sign chain -o bad table-0.ct
	assert_stderr "ccc-quorum-sign: usage: chain needs -a, or -C and -r (which write CHAIN: no -o, no -f) (see ccc-quorum-sign --help)"
}

@test "chain -C: an oracle that did not sign a result follows its certificate, once" {
	work private-token
	# An oracle that signed nothing: its chain is at the first table.
	crun -0 ccc-quorum-sign chain -a token -o behind.chain table-0.ct
	crun -0 ccc-quorum-sign chain -C behind.chain -r roster \
	    batch-1.certified-result
	assert_stderr_empty
	assert_output_empty
	assert_same behind.chain oracle-1.chain
	save behind.chain
	crun -1 ccc-quorum-sign chain -C behind.chain -r roster \
	    batch-1.certified-result
	assert_stderr "ccc-quorum-sign: refused by policy: batch-1.certified-result: stale table: the result's first input is not the chain head $(head_of | cut -c1-16)... (sequence 1)"
	crun -1 ccc-quorum-sign chain -C behind.chain -r roster batch-1.result
	assert_stderr "ccc-quorum-sign: wrong blob type: batch-1.result: at byte 0: expected a quorum certificate (ccc/certified/v1), found a computation result (ccc/result/v1)"
	crun -1 ccc-quorum-sign chain -C behind.chain -r roster batch-1.certified
	assert_stderr "ccc-quorum-sign: wrong blob type: batch-1.certified: expected a certified result (ccc/result/v1), found ccc/request/v1"
	assert_unchanged behind.chain
	crun -2 ccc-quorum-sign chain -C behind.chain -r roster -o x \
	    batch-1.certified-result
	assert_stderr "ccc-quorum-sign: usage: chain needs -a, or -C and -r (which write CHAIN: no -o, no -f) (see ccc-quorum-sign --help)"
}

@test "sign -C, chain -C: a chain another process is advancing is left alone, nothing signed" {
	work private-token
	save oracle-1.chain
	crun -2 flock oracle-1.chain.lock ccc-quorum-sign sign -i oracle-1.key \
	    -A attest.policy -r roster -P pool -F batch-4.certified \
	    -C oracle-1.chain -o sig batch-4.result
	assert_stderr "ccc-quorum-sign: locked: oracle-1.chain: another process is updating it (run again when it is done)"
	assert_no_file sig
	crun -0 ccc-quorum-sign chain -a token -o behind.chain table-0.ct
	save behind.chain
	crun -2 flock behind.chain.lock ccc-quorum-sign chain -C behind.chain \
	    -r roster batch-1.certified-result
	assert_stderr "ccc-quorum-sign: locked: behind.chain: another process is updating it (run again when it is done)"
	assert_unchanged oracle-1.chain behind.chain
	crun -0 ccc-quorum-sign chain -C behind.chain -r roster \
	    batch-1.certified-result
	assert_same behind.chain oracle-1.chain
}

@test "sign -C: a malformed chain file, or a chain of another app, signs nothing" {
	work private-token
	printf 'ccc-chain/v1 token 1\n' >bad.chain
	crun -1 ccc-quorum-sign sign -i oracle-1.key -A attest.policy -r roster \
	    -P pool -F batch-4.certified -C bad.chain -o sig batch-4.result
	assert_stderr "ccc-quorum-sign: malformed input: bad.chain: expected one line \"ccc-chain/v1 APP SEQ HEAD\""
	printf 'ccc-chain/v1 other 0 %s\n' "$(head_of)" >other.chain
	crun -1 ccc-quorum-sign sign -i oracle-1.key -A attest.policy -r roster \
	    -P pool -F batch-4.certified -C other.chain -o sig batch-4.result
	assert_stderr "ccc-quorum-sign: refused by policy: batch-4.result: the result is for app \"token\", the chain for \"other\""
	assert_no_file sig
}
