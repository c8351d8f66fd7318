#!/usr/bin/env bats
# Fixed-key known answers (signify's regress style): the keys and blobs
# committed in tests/kat/ (made once by tests/kat/make.sh, which says how)
# go through the deterministic tools, whose output must be byte for byte
# what tests/kat/expected/ holds, and the deterministic blobs (a roster,
# an Ed25519 signature, a certificate, a key imported from JSON) must come
# out identical.  Encryption and sealing are randomized: their results are
# checked through what decrypts and inspects them.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	KAT=$TOP_SRCDIR/tests/kat
	EXP=$KAT/expected
	NOW=$(cat "$KAT/now")
	cd "$BATS_TEST_TMPDIR" || return
	cp -R "$KAT" kat
	# git keeps the test keys 0644; the tools refuse readable secrets.
	chmod 600 kat/*.key kat/k/share-*.cbor
	cd kat || return
}

@test "kat: ccc-inspect prints each committed blob as it did" {
	local f
	for f in k/tpk.cbor k/share-1.cbor rk.key rk.pub msg.ct sealed-1.cbor \
	    o1.pub roster.cbor pool.blob ek.pub request.cbor sig-1.cbor \
	    cert.cbor; do
		ccc-inspect "$f" >out 2>err || fail "$f: ccc-inspect exited $?"
		[[ ! -s err ]] || fail "$f: ccc-inspect wrote to stderr"
		assert_same out "$EXP/${f//\//-}.inspect"
	done
	ccc-inspect -d cert.cbor >out
	assert_same out "$EXP/cert.cbor.diag"
}

@test "kat: ccc-combine decrypts the committed ciphertext with the committed sealed shares" {
	crun -0 ccc-combine -k k/tpk.cbor -i rk.key -b msg.ct -o out \
	    sealed-1.cbor sealed-3.cbor
	assert_stderr_empty
	assert_same out msg
	crun -0 ccc-combine -k k/tpk.cbor -i rk.key -b msg.ct -o out2 \
	    sealed-3.cbor sealed-1.cbor
	assert_same out2 msg
}

@test "kat: ccc-keygen exports the committed key as it did, and imports it as it did" {
	crun -0 ccc-keygen export -o tpk.json k/tpk.cbor
	assert_stderr_empty
	assert_same tpk.json "$EXP/tpk.json"
	# (An imported key gets its key id from the JSON: not the dealer's.)
	crun -0 ccc-keygen import -t 2 -o tpk.cbor tpk.json
	assert_stderr_empty
	assert_same tpk.cbor "$EXP/tpk.imported.cbor"
	crun -0 ccc-keygen export -o again.json tpk.cbor
	assert_same again.json "$EXP/tpk.json"
}

@test "kat: ccc-quorum-sign remakes the roster, the signature and the certificate byte for byte" {
	crun -0 ccc-quorum-sign roster -q 2 -N oracles --not-before "$NOW" \
	    --not-after "$((NOW + 10 * 365 * 86400))" -o roster2 \
	    o3.pub o1.pub o2.pub
	assert_same roster2 roster.cbor
	crun -0 ccc-quorum-sign sign -i o1.key -k k/tpk.cbor -A req.pol \
	    -r roster.cbor -P pool.cbor --now "$NOW" -o sig1 request.cbor
	assert_stderr_empty
	assert_same sig1 sig-1.cbor
	crun -0 ccc-quorum-sign combine -r roster.cbor -b request.cbor \
	    --now "$NOW" -o cert sig-2.cbor sig-1.cbor
	assert_stderr_empty
	assert_same cert cert.cbor
}

@test "kat: ccc-quorum-sign verifies the committed certificate at its time" {
	crun -0 ccc-quorum-sign verify -r roster.cbor --now "$NOW" -o req \
	    cert.cbor
	assert_stderr_empty
	assert_same req request.cbor
	ccc-quorum-sign verify -r roster.cbor -v --now "$NOW" cert.cbor >out
	assert_same out "$EXP/cert.verify"
	# Ten years and a second later the roster has expired.
	local end=$((NOW + 10 * 365 * 86400))
	crun -1 ccc-quorum-sign verify -r roster.cbor -v --now "$((end + 1))" \
	    cert.cbor
	assert_output_empty
	assert_stderr "ccc-quorum-sign: expired: cert.cbor: roster \"oracles\" is valid from $(utc $NOW) to $(utc $end), not at $(utc $((end + 1)))"
}

@test "kat: ccc-attest-verify checks the committed document at its time, text and JSON" {
	ccc-attest-verify -p sw.pol --at "$NOW" sw.cbor >out
	assert_same out "$EXP/sw.attest"
	ccc-attest-verify -p sw.pol --at "$NOW" --json sw.cbor >out.json
	assert_same out.json "$EXP/sw.attest.json"
	crun -0 ccc-attest-verify -p sw.pol --at "$NOW" sw.cbor
	assert_stderr_empty
}
