#!/usr/bin/env bash
# A private token with hidden sender and receiver (whitepaper 4.3, the
# second variant).
#
# The balance table exists only encrypted under the threshold key: one
# line "NAME BALANCE NONCE KEY" per account, KEY the account's Ed25519
# public key (base64 of its DER form).  A transfer is encrypted whole by
# its sender: "FROM TO AMOUNT NONCE SIGNATURE", SIGNATURE the sender's
# Ed25519 signature (base64) of "ccc/token-transfer/v1 FROM TO AMOUNT
# NONCE", so nobody outside an enclave learns who pays whom, or how much.
# A batch of transfers is applied inside an enclave, which verifies each
# signature under the sender's key in the table (with /usr/bin/openssl
# pkeyutl -verify -rawin, in its sandbox), refuses a nonce not above the
# sender's last and an overdraft, and prints the new table, encrypted
# under the threshold key again (output mode threshold).  A bad transfer
# makes the program exit non-zero: the enclave then gives no result at
# all, and the table stays as it was.
#
# State continuity.  The certified result of a batch names the SHA-256 of
# the table it was applied to (its first input) and that of the new table
# (its output digest): the public commitment to the new table, in the same
# result.  Each oracle keeps the head of the token's chain of tables, a
# file ccc-chain/v1 with the sequence number and the digest of the current
# table, and signs a result only if its first input is that head, which
# then advances (ccc-quorum-sign sign -C); an oracle that did not sign a
# certified result advances its chain from the certificate (ccc-quorum-sign
# chain -C).  A batch applied to an older table, or to a fork of the
# chain, is refused by the oracles: it never has a certificate, so no
# later batch can continue from it.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified pool.  Every file stays in the work
# directory.
set -euo pipefail
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
umask 077
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# shellcheck source-path=SCRIPTDIR source=enclave-pool.bash
. "$examples/enclave-pool.bash"
# shellcheck source-path=SCRIPTDIR source=token-common.bash
. "$examples/token-common.bash"

deploy

step "the program: apply a batch of signed transfers to the table"
{
	cat <<'EOF2'
#!/bin/bash
# apply: inputs are the balance table and the transfers; prints the new
# table, or exits 1 on an unknown account or a bad amount or an
# overdraft, 3 on a transfer not signed by its sender, 4 on a nonce not
# above the sender's last.
EOF2
	read_input
	cat <<'EOF2'
declare -A bal nonce key
names=()
IFS=$'\n'; set -f; rows=(${inputs[0]}); set +f; IFS=$' \t\n'
for r in "${rows[@]}"; do
	set -f; f=($r); set +f
	[[ ${#f[@]} == 4 && ${f[1]} =~ ^(0|[1-9][0-9]{0,14})$ &&
	    ${f[2]} =~ ^(0|[1-9][0-9]{0,14})$ ]] || exit 1
	names+=("${f[0]}") bal[${f[0]}]=${f[1]} nonce[${f[0]}]=${f[2]}
	key[${f[0]}]=${f[3]}
done
before=0; for a in "${names[@]}"; do before=$((before + bal[$a])); done
for ((i = 1; i < ${#inputs[@]}; i++)); do
	set -f; f=(${inputs[i]}); set +f
	from=${f[0]-} to=${f[1]-} amount=${f[2]-} n=${f[3]-}
	[[ -n $from && -n ${bal[$from]+x} && -n $to && -n ${bal[$to]+x} &&
	    $from != "$to" && $amount =~ ^[1-9][0-9]{0,14}$ &&
	    $n =~ ^[1-9][0-9]{0,14}$ ]] || exit 1
	# The sender's signature, under the key the table holds for it.
	[[ ${#f[@]} == 5 ]] || exit 3
	printf -- '-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n' \
	    "${key[$from]}" >sender.pem
	printf 'ccc/token-transfer/v1 %s %s %s %s' "$from" "$to" "$amount" "$n" \
	    >message
	printf '%s\n' "${f[4]}" | /usr/bin/base64 -d >signature 2>/dev/null ||
	    exit 3
	/usr/bin/openssl pkeyutl -verify -pubin -inkey sender.pem -rawin \
	    -in message -sigfile signature >/dev/null 2>&1 || exit 3
	((n > nonce[$from])) || exit 4 # a replay
	((bal[$from] >= amount)) || exit 1 # overdraft
	bal[$from]=$((bal[$from] - amount)) bal[$to]=$((bal[$to] + amount))
	nonce[$from]=$n
done
after=0; for a in "${names[@]}"; do after=$((after + bal[$a])); done
((after == before)) || exit 1 # no token made or lost
for a in "${names[@]}"; do
	printf '%s %d %d %s\n' "$a" "${bal[$a]}" "${nonce[$a]}" "${key[$a]}"
done
EOF2
} >apply
install_programs apply

step "1. the accounts' keys; the issuer encrypts the initial table; each oracle starts its chain at it"
for a in alice bob carol; do
	run openssl genpkey -algorithm ed25519 -out "$a.pem"
	openssl pkey -in "$a.pem" -pubout | sed -n 2p >"$a.key64"
done
printf 'alice 100 0 %s\nbob 50 0 %s\ncarol 0 0 %s\n' "$(cat alice.key64)" \
    "$(cat bob.key64)" "$(cat carol.key64)" >issuer-table-0.txt
run ccc-encrypt -k committee/tpk.cbor -l app:token -o table-0.ct \
    issuer-table-0.txt
for i in 1 2 3; do
	run ccc-quorum-sign chain -a token -o "oracle-$i.chain" table-0.ct
done
head0=$(sha256sum <table-0.ct | cut -d' ' -f1)

# transfer NAME FROM TO AMOUNT NONCE: FROM signs the transfer and encrypts
# it whole, NAME.ct.
transfer() {
	printf 'ccc/token-transfer/v1 %s %s %s %s' "$2" "$3" "$4" "$5" \
	    >"$1.message"
	echo "\$ openssl pkeyutl -sign -rawin -inkey $2.pem -in $1.message | base64 -w0 >$1.sig"
	openssl pkeyutl -sign -rawin -inkey "$2.pem" -in "$1.message" |
	    base64 -w0 >"$1.sig"
	echo "\$ echo \"$2 $3 $4 $5 \$(cat $1.sig)\" | ccc-encrypt -k committee/tpk.cbor -l app:token -o $1.ct"
	echo "$2 $3 $4 $5 $(cat "$1.sig")" |
	    ccc-encrypt -k committee/tpk.cbor -l app:token -o "$1.ct"
}

step "2. alice and bob sign and encrypt their transfers"
transfer transfer-1 alice bob 30 1
transfer transfer-2 bob carol 70 1

chained=1
request batch-1 apply table-0.ct transfer-1.ct transfer-2.ct
run cp batch-1.output table-1.ct
echo "the new table, encrypted under the threshold key:"
ccc-inspect table-1.ct | grep '"context"'
echo "the certified result names the table it was applied to and the new one:"
ccc-inspect batch-1.certified-result | grep -A1 '"inputs"' | sed -n 2p
ccc-inspect batch-1.certified-result | grep '"output_digest"'
echo "oracle 3 did not sign the result: it follows its certificate"
run ccc-quorum-sign chain -C oracle-3.chain -r roster batch-1.certified-result
echo "the oracles' chain head: $(cat oracle-3.chain)"

step "an overdraft: carol sends 500 (she has 70)"
transfer transfer-3 carol alice 500 1
if request batch-2 apply table-1.ct transfer-3.ct; then
	echo "FAIL: the overdraft was applied" >&2
	exit 1
fi
echo "rejected: no result, no attestation; table-1.ct is still the table"

step "an unsigned transfer: carol -> alice 5, without a signature"
echo '$ echo "carol alice 5 1" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-4.ct'
echo "carol alice 5 1" | ccc-encrypt -k committee/tpk.cbor -l app:token \
    -o transfer-4.ct
if request batch-3 apply table-1.ct transfer-4.ct; then
	echo "FAIL: an unsigned transfer was applied" >&2
	exit 1
fi

step "a stale table: alice's transfer applied again to table-0.ct, where alice still has 100"
if request batch-4 apply table-0.ct transfer-1.ct; then
	echo "FAIL: a batch on a stale table was certified" >&2
	exit 1
fi
echo "rejected by the oracles: batch-4.result has no certificate"

step "check"
grep -q 'exited with status 1' batch-2.refused
grep -q 'exited with status 3' batch-3.refused
[ -e batch-4.result ] && [ ! -e batch-4.certified-result ]
grep -q 'stale table' batch-4.result-refused
# The chain advanced once, to the new table.
head1=$(sha256sum <table-1.ct | cut -d' ' -f1)
for i in 1 2 3; do
	[ "$(cat "oracle-$i.chain")" = "ccc-chain/v1 token 1 $head1" ]
done
result=$(ccc-inspect batch-1.certified-result)
[[ $result == *"\"output_digest\": \"$head1\""* ]]
[[ $result == *"\"inputs\": ["*"\"$head0\""* ]]
# No balance, name or amount left an enclave in the clear.
if grep -aq -e alice -e carol batch-1.result table-1.ct transfer-*.ct; then
	echo "FAIL: a balance or a party left the enclave in the clear" >&2
	exit 1
fi
echo "ok: the signed transfers were applied inside the enclave with sender, receiver and balances hidden, the certified result chains the new table to the old, and the overdraft, the unsigned transfer and the stale table were rejected; files are in $work"
