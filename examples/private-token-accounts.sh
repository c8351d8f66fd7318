#!/usr/bin/env bash
# A private token with public accounts (whitepaper 4.3, the first variant).
#
# The balance table is public in its shape and private in its numbers:
# each account's entry, "NAME BALANCE", is a ciphertext under the threshold
# key.  A transfer is public but for its amount: the sender encrypts the
# amount and signs, with its ccc-keygen identity key, the nonce, the
# recipient and the encrypted amount (ccc-quorum-sign transfer, a
# ccc/transfer/v1 blob).  The application, standing in for the token's
# contract, accepts a transfer only signed by its sender and with a nonce
# above the sender's last (ccc-quorum-sign accept, which keeps the record
# of nonces); then it asks for one request whose enclave decrypts the two
# balances and the amount, refuses an overdraft, and returns the two
# updated entries, encrypted under the threshold key again (output mode
# threshold: one ciphertext, "SENDER BALANCE" and "RECIPIENT BALANCE",
# which becomes the entry of both).  Nobody outside an enclave sees a
# balance or an amount.
#
# What the application vouches for: which entry is whose (it names the
# parties to the enclave in a ciphertext of its own, from the transfer it
# verified) and that an entry is the latest; private-token.sh shows the
# oracles enforcing the latter.
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
# shellcheck source-path=SCRIPTDIR source=token-common.bash
. "$examples/token-common.bash"

deploy

step "the program: move an amount between two entries"
{
	cat <<'EOF2'
#!/bin/bash
# move: inputs are the sender's entry, the recipient's entry (lines
# "NAME BALANCE"), the amount and the parties ("SENDER RECIPIENT"); prints
# the two updated entries, or exits 1 on an overdraft, an entry that is
# not the party's or a bad amount.
EOF2
	read_input
	cat <<'EOF2'
((${#inputs[@]} == 4)) || exit 1
set -f; parties=(${inputs[3]}); set +f
from=${parties[0]-} to=${parties[1]-}
[[ -n $from && -n $to && $from != "$to" ]] || exit 1
# balance ENTRY NAME: the balance of NAME in ENTRY, in bal.
balance() {
	local rows r f
	IFS=$'\n'; set -f; rows=($1); set +f; IFS=$' \t\n'
	for r in "${rows[@]}"; do
		set -f; f=($r); set +f
		if [[ ${f[0]} == "$2" && ${f[1]} =~ ^(0|[1-9][0-9]{0,14})$ ]]; then
			bal=${f[1]}
			return 0
		fi
	done
	exit 1
}
balance "${inputs[0]}" "$from"; a=$bal
balance "${inputs[1]}" "$to"; b=$bal
amount=${inputs[2]%$'\n'}
[[ $amount =~ ^[1-9][0-9]{0,14}$ ]] || exit 1
((a >= amount)) || exit 1 # overdraft
printf '%s %d\n%s %d\n' "$from" $((a - amount)) "$to" $((b + amount))
EOF2
} >move
install_programs move

step "1. the accounts: alice, bob and carol have identity keys; the issuer encrypts each entry"
mkdir -p entries
for a in alice:100 bob:50 carol:0; do
	run ccc-keygen identity -o "${a%:*}.key" -p "${a%:*}.pub" -N "${a%:*}"
	echo "\$ echo ${a/:/ } | ccc-encrypt -k committee/tpk.cbor -l app:token -o entries/${a%:*}.ct"
	echo "${a/:/ }" | ccc-encrypt -k committee/tpk.cbor -l app:token \
	    -o "entries/${a%:*}.ct"
done

# transfer N FROM TO AMOUNT: FROM encrypts AMOUNT and signs a transfer to
# TO with nonce N, transfer-N; the application accepts it (the amount in
# transfer-N.amount) and runs the request move-N.  Returns 1 when the
# application refuses the transfer, 2 when the enclave does.
transfer() {
	local n=$1 from=$2 to=$3 amount=$4
	step "transfer $n: $from signs a transfer of an encrypted amount to $to; the application accepts it"
	echo "\$ echo $amount | ccc-encrypt -k committee/tpk.cbor -l app:token -o amount-$n.ct"
	echo "$amount" | ccc-encrypt -k committee/tpk.cbor -l app:token \
	    -o "amount-$n.ct"
	run ccc-quorum-sign transfer -i "$from.key" -t "$to.pub" --nonce "$n" \
	    -o "transfer-$n" "amount-$n.ct"
	accept "$n" "$from" "$to" || return 1
	echo "\$ echo $from $to | ccc-encrypt -k committee/tpk.cbor -l app:token -o parties-$n.ct"
	echo "$from $to" | ccc-encrypt -k committee/tpk.cbor -l app:token \
	    -o "parties-$n.ct"
	request "move-$n" move "entries/$from.ct" "entries/$to.ct" \
	    "transfer-$n.amount" "parties-$n.ct" || return 2
	run cp "move-$n.output" "entries/$from.ct"
	run cp "move-$n.output" "entries/$to.ct"
}

# accept N FROM TO: the application checks transfer-N.
accept() {
	echo "\$ ccc-quorum-sign accept --from $2.pub -t $3.pub --nonces nonces -o transfer-$1.amount transfer-$1"
	if ! ccc-quorum-sign accept --from "$2.pub" -t "$3.pub" --nonces nonces \
	    -o "transfer-$1.amount" "transfer-$1" 2>"transfer-$1.refused"; then
		cat "transfer-$1.refused"
		return 1
	fi
}

transfer 1 alice bob 30
transfer 2 bob carol 70

step "a replay: transfer 1 again"
if accept 1 alice bob; then
	echo "FAIL: a replayed transfer was accepted" >&2
	exit 1
fi

step "a forgery: mallory signs a transfer from alice's account"
run ccc-keygen identity -o mallory.key -p mallory.pub -N mallory
echo 1 | ccc-encrypt -k committee/tpk.cbor -l app:token -o amount-3.ct
run ccc-quorum-sign transfer -i mallory.key -t mallory.pub --nonce 3 \
    -o transfer-3 amount-3.ct
if accept 3 alice mallory; then
	echo "FAIL: a transfer not signed by its sender was accepted" >&2
	exit 1
fi

step "an overdraft: carol sends 500 (she has 70)"
if transfer 4 carol alice 500; then
	echo "FAIL: the overdraft was applied" >&2
	exit 1
fi
echo "rejected: no result, no attestation; carol's entry is as it was"

step "check"
grep -q 'replayed: transfer-1: nonce 1 is not above 1' transfer-1.refused
grep -q 'key mismatch: transfer-3' transfer-3.refused
grep -q 'exited with status 1' move-4.refused
[ ! -e move-4.result ]
# The entries are ciphertexts for the token app; the oracles' certified
# results name their digests.
ccc-inspect entries/carol.ct | grep '"context": "app:token/output"' >/dev/null
if grep -aq -e alice -e carol move-1.result move-2.result entries/*.ct; then
	echo "FAIL: an entry left the enclave in the clear" >&2
	exit 1
fi
echo "ok: only transfers signed by their sender were accepted, once each; the enclave moved the amounts and refused the overdraft, and every entry stays encrypted under the threshold key; files are in $work"
