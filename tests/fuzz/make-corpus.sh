#!/usr/bin/env bash
# Seeds for the fuzz harnesses, made with the built tools: every blob type
# of an end-to-end run (ccc-flow), a dealer key in Chainlink's JSON and a
# random value of its coin (ccc-rand) with a share, level 4's inputs,
# contributions, contributor lists and release log, a DKG
# and a reshare (examples/dkg-reshare.sh), access logs with their heads,
# policies, attestation documents.
#
#   tests/fuzz/make-corpus.sh BINDIR OUTDIR
#
# BINDIR holds ccc-keygen, ccc-flow and the other tools (a build's cmd/);
# OUTDIR/HARNESS/ receives the seeds of each harness of tests/fuzz/,
# named by their SHA-256.  Takes about half a minute.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
[ $# -eq 2 ] || { echo "usage: make-corpus.sh BINDIR OUTDIR" >&2; exit 2; }
bin=$(cd "$1" && pwd)
out=$2
export PATH=$bin:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/ccc-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT
harnesses="blob keys seq json cose attest_policy label_policy accesslog dkg roster request"
for h in $harnesses; do
	mkdir -p "$out/$h"
done

# seed HARNESS FILE...: copy each (non-empty, at most 64 KiB) file in.
seed() {
	local h=$1 f sum
	shift
	for f in "$@"; do
		[ -f "$f" ] && [ -s "$f" ] || continue
		[ "$(stat -c %s "$f")" -le 65536 ] || continue
		sum=$(sha256sum "$f" | cut -c1-16)
		cp "$f" "$out/$h/$sum"
	done
}

# is_blob FILE: a CBOR map (one of ccc's blobs).
is_blob() {
	local b
	b=$(head -c1 "$1" | od -An -tu1 | tr -d ' ')
	[ -n "$b" ] && [ "$b" -ge 160 ] && [ "$b" -le 191 ]
}

# An end-to-end run: keys, roster, request, certificates, sealed shares,
# result, attestation policy, access logs.
cd "$work"
ccc-flow -d flow -x /bin/cat >/dev/null
blobs=()
while IFS= read -r -d '' f; do
	is_blob "$f" && blobs+=("$f")
done < <(find flow -type f ! -name lock -print0 | sort -z)
seed blob "${blobs[@]}"
seed keys flow/00-keys/committee/tpk.cbor flow/00-keys/committee/share-1.cbor \
    flow/00-keys/oracle-1.key flow/00-keys/oracle-1.pub flow/01-input.ct \
    flow/06-result flow/04-sealed-node-1
seed roster flow/00-keys/roster
seed request flow/02-request.pub flow/03-certified flow/07-certified-result \
    flow/03-sig-oracle-1
seed attest_policy flow/00-keys/attest.policy
seed label_policy flow/00-enclaves/enclave-1/policy
for d in flow/00-nodes/node-*; do
	cat "$d/access.head" "$d/access.log" >"$d/both"
	seed accesslog "$d/both" "$d/access.log"
done
# A serving node's answers: the request released, then refused as replayed.
(cd flow && cat 03-certified 03-certified | ccc-reencrypt \
    -s 00-keys/committee/share-1.cbor -k 00-keys/committee/tpk.cbor \
    -r 00-keys/roster -A 00-keys/attest.policy -P 00-keys/pool \
    -d ../serve-state --serve >../answers.seq)
seed seq answers.seq
# The items of a serving enclave host: a key order and a job.
ccc-enclave-run item key -E 60 -n 01 -o keyorder.cbor
ccc-enclave-run item job -n 02 -o job.cbor flow/03-certified \
    flow/04-sealed-node-*
seed blob keyorder.cbor job.cbor
cat flow/04-sealed-node-* >sealed.seq
cat flow/01-input.ct flow/01-input.ct >cts.seq
seed seq sealed.seq cts.seq flow/01-input.ct flow/03-sig-oracle-1

# Chainlink's JSON: a dealer key and a ciphertext.
ccc-keygen dealer -t 2 -n 3 -d k --json
printf 'attack at dawn\n' >msg
ccc-encrypt -k k/tpk.cbor --json -o ct.json msg
seed json k/*.json ct.json

# Sealed shares with their proofs' commitments (ccc-reencrypt
# --commitments): records of the long size, two of them.
ccc-keygen recipient -o rk -p rpub
ccc-encrypt -k k/tpk.cbor -l app1 -o ct1 msg
ccc-reencrypt --commitments -s k/share-1.cbor -k k/tpk.cbor --to rpub \
    -l app1 -o sealed-comm ct1 ct1
seed blob sealed-comm
seed keys sealed-comm
# A ciphertext with its proof's commitments (ccc-encrypt --commitments).
ccc-encrypt --commitments -k k/tpk.cbor -l app1 -o ct-comm msg
cat ct-comm ct1 ct-comm >cts-comm.seq
seed blob ct-comm
seed keys ct-comm
seed seq cts-comm.seq

# The public coin (ccc-rand): node 1's share of a request, and the value.
rid=$(printf 'corpus' | sha256sum | cut -c1-64)
for i in 1 2; do
	ccc-rand share -k k/tpk.cbor -s "k/share-$i.cbor" -I "$rid" -o "coin-$i"
done
ccc-rand combine -k k/tpk.cbor -I "$rid" -o rand coin-1 coin-2
seed keys coin-1 rand
seed blob coin-1 rand

# Level 4: an additive input and a contribution, a contributor list and
# its certificate, and a node's access log of a release with them (an
# entry that lists the inputs' values digests).
for i in 1 2; do
	ccc-keygen identity -o "o$i.key" -p "o$i.pub" -N "o$i"
done
ccc-quorum-sign roster -q 2 -N oracles --not-before 0 -o l4.roster o1.pub o2.pub
ccc-keygen identity -o c1.key -p c1.pub -N c1
ccc-quorum-sign contributors -a pool -o contributors c1=c1.pub
echo 1 | ccc-encrypt -k k/tpk.cbor --additive -B 1 -l p -o additive.cbor
echo 1 | ccc-encrypt -k k/tpk.cbor --additive -B 1 -l p -I c1.key \
    -o contribution.cbor
ccc-aggregate -k k/tpk.cbor -o aggregate contribution.cbor
ccc-quorum-sign request -a pool -k k/tpk.cbor --aggregate aggregate -o agg.req
for b in contributors agg.req; do
	for i in 1 2; do
		ccc-quorum-sign sign -i "o$i.key" -k k/tpk.cbor -o "$b.sig-$i" "$b"
	done
	ccc-quorum-sign combine -r l4.roster -b "$b" -o "$b.cert" "$b.sig-1" \
	    "$b.sig-2"
done
echo 'allow pool *' >l4.policy
ccc-aggregate -s k/share-1.cbor -k k/tpk.cbor -a aggregate -F agg.req.cert \
    -r l4.roster -p l4.policy -d l4-node -C contributors.cert -m 1 \
    -o agg.share contribution.cbor
cat l4-node/access.head l4-node/access.log >l4-node/both
seed blob additive.cbor contribution.cbor contributors contributors.cert \
    l4-node/access.log
seed keys contribution.cbor contributors
seed accesslog l4-node/both l4-node/access.log

# Label policies in the file format (ccc-reencrypt(1)).
printf '# comment\nallow demo app:demo/extra\nallow * app:shared*\nallow-unlabelled demo\n' >labels
seed label_policy labels

# Attestation documents: the published Nitro vectors and, where the test
# helper was built, a software document.
seed cose "$top/tests/vectors/nitro/nitro-2022-11-09-veracruz.cbor"
base64 -d "$top/tests/vectors/nitro/nitro-2024-09-07-blocky.b64" >blocky.cbor 2>/dev/null &&
    seed cose blocky.cbor
if [ -x "$bin/../tests/unit/attest-sign" ]; then
	"$bin/../tests/unit/attest-sign" -k flow/00-keys/enclave-1.key -o doc.cbor \
	    -t 1725721200000 -m 0="$(printf '%096d' 0)" -u "$(printf '%064d' 1)" &&
	    seed cose doc.cbor
fi

# A DKG and a reshare: signed messages of every round, committees,
# groups, certificates, transport seeds.
mkdir dkg
WORKDIR=$work/dkg bash "$top/examples/dkg-reshare.sh" >dkg.log 2>&1
dkg=()
while IFS= read -r -d '' f; do
	is_blob "$f" && dkg+=("$f")
done < <(find dkg -type f ! -name lock -print0 | sort -z)
seed dkg "${dkg[@]}"
seed blob "${dkg[@]}"
for h in $harnesses; do
	echo "$h: $(find "$out/$h" -type f | wc -l) seeds"
done
