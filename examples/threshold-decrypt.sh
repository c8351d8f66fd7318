#!/usr/bin/env bash
# Threshold decryption on a local committee, step by step.
#
# A trusted dealer makes a 5-of-7 key; a user encrypts a message under it
# with a label context; each of the 7 decryption nodes verifies the
# ciphertext and seals its decryption share to the recipient; the recipient
# combines any 5 of them.  Two nodes stay silent to show that any t suffice.
# Every file stays in the work directory so each step can be inspected
# (ccc-inspect FILE).
set -euo pipefail

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "0. keys: a 5-of-7 threshold key from a dealer, and a recipient key"
run ccc-keygen dealer -t 5 -n 7 -d committee
run ccc-keygen recipient -o recipient.key -p recipient.pub

step "1. a user encrypts under the threshold public key, labelled for an app"
printf 'the launch code is 0000\n' > message.txt
run ccc-encrypt -k committee/tpk.cbor -l "app:demo/policy:default" \
    -o message.ct message.txt

step "2. each decryption node checks the ciphertext and seals its share"
for i in 1 2 3 4 5 6 7; do
	if [ "$i" = 2 ] || [ "$i" = 6 ]; then
		echo "(node $i is offline)"
		continue
	fi
	run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    --to recipient.pub -l "app:demo/policy:default" \
	    -o "sealed-$i.cbor" message.ct
done

step "3. the recipient opens the sealed shares, verifies and combines them"
run ccc-combine -k committee/tpk.cbor -i recipient.key -b message.ct \
    -o decrypted.txt sealed-1.cbor sealed-3.cbor sealed-4.cbor \
    sealed-5.cbor sealed-7.cbor
cat decrypted.txt

step "check"
cmp message.txt decrypted.txt
echo "ok: 5 of 7 nodes decrypted the message; files are in $work"
