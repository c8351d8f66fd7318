#!/usr/bin/env bash
# Batch mode: many records through the committee in one pass per tool.
#
# A 3-of-5 committee decrypts a night's 2,000 sensor readings for one
# recipient.  Each tool streams: ccc-encrypt --seq reads a CBOR sequence of
# byte strings, ccc-reencrypt reads the sequence of ciphertexts (here also
# from a pipe) and ccc-combine --seq writes the readings back as a CBOR
# sequence, each holding one batch of 256 items at a time whatever the
# length, and -j 0 spreads every batch over all CPUs.
set -euo pipefail

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "0. a 3-of-5 threshold key and a recipient key"
run ccc-keygen dealer -t 3 -n 5 -d committee
run ccc-keygen recipient -o recipient.key -p recipient.pub

step "1. 2,000 readings of 32 bytes, as a CBOR sequence of byte strings"
for ((i = 0; i < 2000; i++)); do
	# 0x58 0x20: a byte string of 32 bytes follows.
	printf '\x58\x20%-32s' "sensor $((i % 7)) reading $i: $((i % 40))C"
done >readings.seq
echo "$(wc -c <readings.seq) bytes"

step "2. encrypt them all, labelled for the batch job, on every CPU"
run ccc-encrypt -k committee/tpk.cbor -l app:nightly --seq -j 0 \
    -o readings.ct readings.seq

step "3. three nodes seal their shares of every reading (one from a pipe)"
for i in 1 4; do
	run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    --to recipient.pub -l app:nightly -j 0 -o "sealed-$i.cbor" \
	    readings.ct
done
printf '$ cat readings.ct | ccc-reencrypt -s committee/share-5.cbor ... -o sealed-5.cbor\n'
cat readings.ct | ccc-reencrypt -s committee/share-5.cbor \
    -k committee/tpk.cbor --to recipient.pub -l app:nightly -j 0 \
    -o sealed-5.cbor
ccc-inspect sealed-5.cbor | grep '"count"'

step "4. the recipient combines and decrypts the whole batch"
run ccc-combine -k committee/tpk.cbor -i recipient.key -b readings.ct \
    --seq -j 0 -o decrypted.seq sealed-1.cbor sealed-4.cbor sealed-5.cbor

step "check"
cmp readings.seq decrypted.seq
echo "ok: 2000 readings decrypted by 3 of 5 nodes; files are in $work"
