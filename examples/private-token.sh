#!/usr/bin/env bash
# A private token (whitepaper 4.3).
#
# The token's balance table exists only encrypted under the threshold key.
# A batch of transfers, each encrypted by its sender, is applied inside an
# enclave; the new table comes out encrypted under the threshold key again
# (output mode threshold), so it can be the input of the next batch, and
# nobody outside an enclave ever sees a balance.  An overdraft makes the
# program exit non-zero: the enclave then gives no result at all, and the
# table stays as it was.
#
# The public output.  With -O threshold the enclave encrypts the program's
# whole standard output, so one request cannot release both the new table
# and something public.  The public part, a commitment to the table,
# SHA-256 of its text, comes from a second request: a program that reads
# the new table (the first request's output, a ciphertext labelled
# "app:token/output", which the oracles and nodes serve for app "token")
# and prints only its hash.  The table carries a random salt line that only
# the issuer knows and the programs keep, so the hash cannot be found by
# trying likely balances.  Whoever holds a copy of a table can check it
# against the published hash.
#
# Not shown: a real token checks that each transfer is signed by its
# sender (the application, before it builds the request, or the program);
# here the application vouches for the batch.
#
# The enclave that sees the balances is not the application's choice: the
# oracles certify a pool of enclaves, the pool assigns each request id its
# enclave, and that enclave makes the request's key, attested.  The oracles
# and the nodes check the attestation and the assignment before they sign
# or serve.
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

step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified pool"
run ccc-keygen dealer -t 2 -n 3 -d committee
for i in 1 2 3; do
	run ccc-keygen identity -o "oracle-$i.key" -p "oracle-$i.pub" -N "oracle-$i"
done
run ccc-quorum-sign roster -q 2 -N oracles -o roster oracle-1.pub oracle-2.pub oracle-3.pub
run ccc-keygen attest-root -o root.key -p root.pem -N example-root
run ccc-keygen enclave-cert -r root.key -o enclave-1.key -p enclave-1.pem -N enclave-1
printf 'ccc-attest-policy 1\nroot software root.pem example-root\nmeasurements any\nallow-software yes\n' >attest.policy
# The oracles certify the pool of enclaves that may serve requests.
certify_pool enclave-1.pem

# The programs' common part: the enclave input, one CBOR map {0: type,
# 1: request id, 2: app id, 3: [input, ...]}, read with bash builtins only
# (the sandbox has no PATH); the inputs are text, in the array "inputs".
read_input() {
	cat "$examples/enclave-input.bash"
	cat <<'EOF'
inputs=()
hd
for k in 0 1 2 3; do
	hd; hd
	case $k in
	2) txt; app=$s ;;
	3) for ((m = v; m > 0; m--)); do hd; txt; inputs+=("$s"); done ;;
	*) p=$((p + v)) ;;
	esac
done
EOF
}

step "the programs: apply a batch of transfers; publish a table's hash"
{
	cat <<'EOF'
#!/bin/bash
# apply: inputs are the balance table ("salt HEX", then "name balance"
# lines) and transfers ("FROM -> TO AMOUNT"); prints the new table, or
# exits 1 on an overdraft, an unknown account or a bad amount.
EOF
	read_input
	cat <<'EOF'
declare -A bal
names=()
IFS=$'\n'; set -f; rows=(${inputs[0]}); set +f; IFS=$' \t\n'
for r in "${rows[@]}"; do
	set -f; f=($r); set +f
	if [[ ${f[0]} == salt ]]; then salt=${f[1]}; continue; fi
	[[ ${f[1]} =~ ^[0-9]+$ ]] || exit 2
	names+=("${f[0]}"); bal[${f[0]}]=$((10#${f[1]}))
done
before=0; for a in "${names[@]}"; do before=$((before + bal[$a])); done
for ((i = 1; i < ${#inputs[@]}; i++)); do
	set -f; f=(${inputs[i]}); set +f
	from=${f[0]} to=${f[2]} amount=${f[3]}
	[[ ${f[1]} == '->' && -n ${bal[$from]+x} && -n ${bal[$to]+x} &&
	    $amount =~ ^[1-9][0-9]*$ ]] || exit 1
	((bal[$from] >= amount)) || exit 1 # overdraft
	bal[$from]=$((bal[$from] - amount)) bal[$to]=$((bal[$to] + amount))
done
after=0; for a in "${names[@]}"; do after=$((after + bal[$a])); done
((after == before)) || exit 1 # no token made or lost
printf 'salt %s\n' "$salt"
for a in "${names[@]}"; do printf '%s %d\n' "$a" "${bal[$a]}"; done
EOF
} >apply
{
	cat <<'EOF'
#!/bin/bash
# commit: the input is a balance table; prints only its SHA-256.
EOF
	read_input
	cat <<'EOF'
printf '%s' "${inputs[0]}" | /usr/bin/sha256sum | { read -r h _; printf 'sha256:%s\n' "$h"; }
EOF
} >commit
mkdir -p code
for prog in apply commit; do
	run cp "$prog" "code/$(sha384sum <"$prog" | cut -d' ' -f1)"
done

# request NAME MODE PROGRAM CT...: one request, steps 2-7, its output in
# NAME.output.  Returns 1 when the enclave gives no result.
request() {
	local r=$1 mode=$2 prog=$3 i
	shift 3
	step "$r: a request to run $prog on $*, output $mode, for the attested key of the enclave the pool assigns, certified by 2 oracles"
	assigned_key "$r"
	run ccc-quorum-sign request -a token -x "$prog" -O "$mode" \
	    -k committee/tpk.cbor -r roster -P pool -K "$r.pub" \
	    -I "$request_id" -o "$r.request" "$@"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "$r.sig-$i" "$r.request"
	done
	run ccc-quorum-sign combine -r roster -b "$r.request" -o "$r.certified" \
	    "$r.sig-1" "$r.sig-2"
	step "$r: the decryption nodes serve it; the enclave runs $prog"
	for i in 1 2 3; do
		run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "$r.sealed-$i" "$r.certified"
	done
	echo "\$ ccc-enclave-run -r roster -k committee/tpk.cbor -i $r.key -a $enclave.key -x code -o $r.result $r.certified $r.sealed-1 $r.sealed-2 $r.sealed-3"
	if ! ccc-enclave-run -r roster -k committee/tpk.cbor -i "$r.key" \
	    -a "$enclave.key" -x code -o "$r.result" "$r.certified" \
	    "$r.sealed-1" "$r.sealed-2" "$r.sealed-3" 2>"$r.refused"; then
		cat "$r.refused"
		return 1
	fi
	step "$r: the oracles verify the attestation and certify the result"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -A attest.policy \
		    -r roster -P pool -F "$r.certified" -o "$r.result-sig-$i" \
		    "$r.result"
	done
	run ccc-quorum-sign combine -r roster -b "$r.result" \
	    -o "$r.certified-result" "$r.result-sig-1" "$r.result-sig-2"
	echo "\$ ccc-quorum-sign verify -r roster $r.certified-result | ccc-combine --result - -o $r.output"
	ccc-quorum-sign verify -r roster "$r.certified-result" |
	    ccc-combine --result - -o "$r.output"
}

step "1. the issuer encrypts the initial table; alice and bob encrypt their transfers"
salt=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf 'salt %s\nalice 100\nbob 50\ncarol 0\n' "$salt" >issuer-table-0.txt
echo '$ ccc-encrypt -k committee/tpk.cbor -l app:token -o table-0.ct issuer-table-0.txt'
ccc-encrypt -k committee/tpk.cbor -l app:token -o table-0.ct issuer-table-0.txt
echo '$ echo "alice -> bob 30" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-1.ct'
echo "alice -> bob 30" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-1.ct
echo '$ echo "bob -> carol 70" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-2.ct'
echo "bob -> carol 70" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-2.ct

request batch-1 threshold apply table-0.ct transfer-1.ct transfer-2.ct
run cp batch-1.output table-1.ct
echo "the new table, encrypted under the threshold key:"
ccc-inspect table-1.ct | grep '"context"'

request commit-1 public commit table-1.ct
echo "the public output, the new table's hash: $(cat commit-1.output)"

step "an overdraft: carol sends 500 (she has 70)"
echo '$ echo "carol -> alice 500" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-3.ct'
echo "carol -> alice 500" | ccc-encrypt -k committee/tpk.cbor -l app:token -o transfer-3.ct
if request batch-2 threshold apply table-1.ct transfer-3.ct; then
	echo "FAIL: the overdraft was applied" >&2
	exit 1
fi
echo "rejected: no result, no attestation; table-1.ct is still the table"

step "check"
# The commitment is that of the expected table (the issuer knows the salt).
printf 'salt %s\nalice 70\nbob 10\ncarol 70\n' "$salt" >expected-table-1.txt
[ "$(cat commit-1.output)" = "sha256:$(sha256sum <expected-table-1.txt | cut -d' ' -f1)" ]
# The new table is a ciphertext for the token app, not plaintext.
ccc-inspect table-1.ct | grep '"context": "app:token/output"' >/dev/null
if grep -aq 'alice' batch-1.result commit-1.result table-1.ct; then
	echo "FAIL: a balance left the enclave in the clear" >&2
	exit 1
fi
grep -q 'exited with status 1' batch-2.refused
[ ! -e batch-2.result ]
echo "ok: the transfers were applied inside the enclave, the new table is encrypted under the threshold key with its hash public, and the overdraft was rejected; files are in $work"
