#!/usr/bin/env bash
# How the fixed-key known-answer fixtures in this directory were made, and
# how to make them again (signify's regress style): once, with the tools of
# a build, and then committed.  tests/cli/kat.bats runs the deterministic
# tools on them and compares their output with expected/ byte for byte, so
# an unintended change of a format, an encoding or an output is caught.
#
#   CCC_BIN=_build/cmd ATTEST_SIGN=_build/tests/unit/attest-sign \
#       bash tests/kat/make.sh
#
# Everything random is made here once (keys, encryption, sealing); every
# time is NOW, written to the file now, and the tests pass it as --now or
# --at.  The secret keys are test keys: git keeps them 0644, the test makes
# its copies 0600.  Remaking the fixtures changes every file: do it only
# when a format changes on purpose, and say so in the commit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${CCC_BIN:?the directory of the built tools}"
: "${ATTEST_SIGN:?the path of tests/unit/attest-sign in the build}"
CCC_BIN=$(cd "$CCC_BIN" && pwd)
ATTEST_SIGN=$(cd "$(dirname "$ATTEST_SIGN")" && pwd)/$(basename "$ATTEST_SIGN")
PATH=$CCC_BIN:$PATH
cd "$here"
find . -mindepth 1 ! -name make.sh -delete
umask 077

NOW=$(date +%s)
echo "$NOW" >now
# The request id and the measurements: fixed.
RID=$(printf '1d%.0s' {1..32})
CODE=$(printf 'c0%.0s' {1..48})
RUNTIME=$(printf '72%.0s' {1..48})

# A 2-of-3 key, a recipient, a message encrypted for the application demo
# and nodes 1 and 3's shares of it, sealed to the recipient.
ccc-keygen dealer -t 2 -n 3 -d k
ccc-keygen recipient -o rk.key -p rk.pub
printf 'the fixed-key known answer\n' >msg
ccc-encrypt -k k/tpk.cbor -l app:demo -o msg.ct msg
for i in 1 3; do
	ccc-reencrypt -s "k/share-$i.cbor" -k k/tpk.cbor --to rk.pub \
	    -l app:demo -o "sealed-$i.cbor" msg.ct
done

# Three oracles, a roster of two of them valid for ten years from NOW; a
# software attestation root, an enclave certified by it, the pool of that
# enclave the oracles certify and the policy of oracles and nodes (any
# measurement); the enclave's attested key at NOW; a request for it, two
# signatures and the certificate.
for i in 1 2 3; do
	ccc-keygen identity -o "o$i.key" -p "o$i.pub" -N "oracle-$i"
done
ccc-quorum-sign roster -q 2 -N oracles --not-before "$NOW" \
    --not-after "$((NOW + 10 * 365 * 86400))" -o roster.cbor \
    o1.pub o2.pub o3.pub
ccc-keygen attest-root -o root.key -p root.pem -N acme
ccc-keygen enclave-cert -r root.key -o enclave.key -p chain.pem -N job-1
cat >req.pol <<EOF
ccc-attest-policy 1
root software root.pem acme
measurements any
allow-software yes
EOF
ccc-quorum-sign pool -N kat -o pool.blob chain.pem,operator=acme
for i in 1 2; do
	ccc-quorum-sign sign -i "o$i.key" -o "pool-sig-$i.cbor" pool.blob
done
ccc-quorum-sign combine -r roster.cbor -b pool.blob --now "$NOW" \
    -o pool.cbor pool-sig-1.cbor pool-sig-2.cbor
ccc-enclave-run keygen -a enclave.key -s ek.key -o ek.pub -n "$RID" \
    --now "$NOW"
printf 'the enclave program\n' >program
ccc-quorum-sign request -a demo -x program -k k/tpk.cbor -r roster.cbor \
    -P pool.cbor -K ek.pub -I "$RID" -E 600 --now "$NOW" -o request.cbor \
    msg.ct
for i in 1 2; do
	ccc-quorum-sign sign -i "o$i.key" -k k/tpk.cbor -A req.pol \
	    -r roster.cbor -P pool.cbor --now "$NOW" -o "sig-$i.cbor" \
	    request.cbor
done
ccc-quorum-sign combine -r roster.cbor -b request.cbor --now "$NOW" \
    -o cert.cbor sig-1.cbor sig-2.cbor

# A software attestation document made at NOW by the enclave, and the
# policy that accepts it.
"$ATTEST_SIGN" -k enclave.key -o sw.cbor -t "${NOW}000" -m "0=$CODE" \
    -m "1=$RUNTIME" -u "$(printf 'ab%.0s' {1..32})"
cat >sw.pol <<EOF
ccc-attest-policy 1
root software sha256:$(sed '1d;$d' root.pem | base64 -d | sha256sum | cut -d' ' -f1) acme
measurements job-1 pcr0=$CODE pcr1=$RUNTIME
allow-software yes
EOF

# What the deterministic tools say about them (kat.bats runs the same).
mkdir expected
for f in k/tpk.cbor k/share-1.cbor rk.key rk.pub msg.ct sealed-1.cbor \
    o1.pub roster.cbor pool.blob ek.pub request.cbor sig-1.cbor cert.cbor; do
	ccc-inspect "$f" >"expected/${f//\//-}.inspect"
done
ccc-inspect -d cert.cbor >expected/cert.cbor.diag
ccc-keygen export -o expected/tpk.json k/tpk.cbor
ccc-keygen import -t 2 -o expected/tpk.imported.cbor expected/tpk.json
ccc-quorum-sign verify -r roster.cbor -v --now "$NOW" cert.cbor \
    >expected/cert.verify
ccc-attest-verify -p sw.pol --at "$NOW" sw.cbor >expected/sw.attest
ccc-attest-verify -p sw.pol --at "$NOW" --json sw.cbor \
    >expected/sw.attest.json
chmod -R u+rwX,go+rX .
chmod +x make.sh
