#!/usr/bin/env bats
# ccc-attest-verify: the two real AWS Nitro documents (tests/vectors/nitro)
# at their README's times and each refusal; software documents (made by
# ccc_attest_sign_software through the test helper attest-sign) and each
# refusal; the policy file; usage and I/O; ccc-keygen attest-root and
# enclave-cert; mutants of a real document through the tool; results of
# real ccc-enclave-run runs, checked against their request, and signed by
# oracles (ccc-quorum-sign sign -A -F) only when they verify.
bats_require_minimum_version 1.5.0
load helpers

: "${VECTORS:=$TOP_SRCDIR/tests/vectors}"
SIGN=$CCC_BIN/../tests/unit/attest-sign
AWS_SHA256=641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b
BLOCKY_AT=2024-09-07T15:00:00Z
VERACRUZ_AT=2022-11-09T23:00:00Z
B_PCR0=e72a46ca80a260fb044a125442f0c7e331813bcbaf9724d9f3857758992766f2d65710a27aa94ae3949dd54e7c9fe86a
B_PCR1=0343b056cd8485ca7890ddd833476d78460aed2aa161548e4e26bedf321726696257d623e8805f3f605946b3d8b0c6aa
B_PCR2=d5dcbdea0aa39c802f9d55ced2ea6e4d74ecec5f08fe40c508882639c9090642669106a062a3e24ee2805a3024b9b75c
B_PCR4=45706d7b621e4620a332e147a5ddb000b049f73d47d3e61f6b03d2069152d4df6a4a786ad1c10102b955799a9dc96b44
V_PCR0=22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01
V_PCR1=bcdf05fefccaa8e55bf2c8d6dee9e79bbff31e34bf28a99aa19e6b29c37ee80b214a414b7607236edf26fcb78654e63f
V_PCR2=00943ea859140fed74e1025fe41aedb38780eae5656b3f9ef9b4b0e6111350315544db3efcda05725108f72b2ab141f7
V_USER_DATA=7c37108079b3e8a36d8a7970de1d6d4ff1461e0e35d9557c4d789df5e0576620
V_NONCE=c678c86135de539d183acff58886d98dfb9823041af9f934bf909ac0f8d96245
CODE=$(printf 'c0%.0s' {1..48})
RUNTIME=$(printf '72%.0s' {1..48})
ZERO=$(printf '00%.0s' {1..48})
USER_DATA=$(printf 'ab%.0s' {1..32})

# sha256 of the DER of a one-certificate PEM file, without openssl(1).
pem_sha256() {
	sed '1d;$d' "$1" | base64 -d | sha256sum | cut -d' ' -f1
}

# iso SECONDS: the time as ccc-attest-verify prints it.
iso() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z
}

# In $BATS_FILE_TMPDIR/run, a real run of ccc-enclave-run (at T0):
#   key/            a 2-of-3 dealer key; o1..o3 oracles, roster q=2
#   e.key, e.pem    enclave "run-1" under the root acme; e2.key, e2.pem
#                   "run-2", the other enclave of the pool
#   pool            the enclave pool of e and e2, certified by o1, o2
#   prog            the code: its input in capitals; ct "hello\n" for app:demo
#   req, cert       its request (the first id 1, 2, ... the pool assigns
#                   to run-1) with run-1's key req.key/req.pub, certified
#                   by oracles 1 and 2
#   req2, cert2     another request for the same code and enclave
#   res             the result (output "HELLO\n"), its time in res.time
#   run.pol         root acme, any measurement, software allowed
#   other.pol       the same with a measurement set pinning pcr2 elsewhere
make_run_fixtures() {
	local i
	(
		set -e
		cd "$BATS_FILE_TMPDIR/run"
		t0=$(cat ../t0)
		ccc-keygen dealer -t 2 -n 3 -d key
		for i in 1 2 3; do
			ccc-keygen identity -o "o$i.key" -p "o$i.pub" \
			    -N "oracle-$i"
		done
		ccc-quorum-sign roster -q 2 -N oracles --not-before 1000000000 \
		    --not-after 4000000000 -o roster o1.pub o2.pub o3.pub
		cat >run.pol <<-EOF
		ccc-attest-policy 1
		root software ../root.pem acme
		measurements any
		allow-software yes
		EOF
		cat >other.pol <<-EOF
		ccc-attest-policy 1
		root software ../root.pem acme
		measurements other pcr2=$CODE
		allow-software yes
		EOF
		ccc-quorum-sign pool -N pool -o pool.blob e.pem,operator=acme \
		    e2.pem,operator=acme
		for i in 1 2; do
			ccc-quorum-sign sign -i "o$i.key" -o "pool.sig$i" pool.blob
		done
		ccc-quorum-sign combine -r roster -b pool.blob --now "$t0" \
		    -o pool pool.sig1 pool.sig2
		# The first of the ids 1, 2, ... that the pool gives run-1.
		i=0
		until [[ "$(cut -d' ' -f3 assigned 2>/dev/null)" == e ]]; do
			i=$((i + 1))
			ccc-quorum-sign assign -r roster -P pool --now "$t0" \
			    --assignment "$(printf %064x $i)" >assigned
		done
		R1=$(printf %064x $i)
		ccc-enclave-run keygen -a e.key -s req.key -o req.pub \
		    --now "$t0"
		# The input item ends with the one input's bytes.
		printf '#!/bin/sh\ntail -c 6 | tr a-z A-Z\n' >prog
		mkdir code
		cp prog "code/$(sha384sum <prog | cut -d' ' -f1)"
		printf 'hello\n' >msg
		ccc-encrypt -k key/tpk.cbor -l app:demo -o ct msg
		ccc-quorum-sign request -a demo -x prog -k key/tpk.cbor \
		    -r roster -P pool -K req.pub -I "$R1" --now "$t0" -o req ct
		ccc-quorum-sign request -a demo -x prog -k key/tpk.cbor \
		    -r roster -P pool -K req.pub --assignment "$R1" \
		    --now "$t0" -o req2 ct
		for i in 1 2; do
			ccc-quorum-sign sign -i "o$i.key" -k key/tpk.cbor \
			    -A run.pol -r roster -P pool --now "$t0" \
			    -o "sig$i" req
		done
		ccc-quorum-sign combine -r roster -c req --now "$t0" -o cert \
		    sig1 sig2
		for i in 1 2; do
			ccc-quorum-sign sign -i "o$i.key" -k key/tpk.cbor \
			    -A run.pol -r roster -P pool --now "$t0" \
			    -o "sig2.$i" req2
		done
		ccc-quorum-sign combine -r roster -c req2 --now "$t0" \
		    -o cert2 sig2.1 sig2.2
		for i in 1 2; do
			ccc-reencrypt -s "key/share-$i.cbor" -k key/tpk.cbor \
			    -r roster -A run.pol -P pool -d "st$i" --now "$t0" \
			    -o "s$i" cert
		done
		ccc-enclave-run -r roster -k key/tpk.cbor -i req.key -a e.key \
		    -c code --now "$t0" -o res cert s1 s2
		ccc-inspect res | sed -n 's/^  "time": \([0-9]*\),$/\1/p' \
		    >res.time
	)
}

setup_file() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		cp "$VECTORS/nitro/nitro-2024-09-07-blocky.b64" blocky.b64
		cp "$VECTORS/nitro/nitro-2022-11-09-veracruz.cbor" veracruz.cbor
		ccc-keygen attest-root -o root.key -p root.pem -N acme
		ccc-keygen attest-root -o root2.key -p root2.pem
		ccc-keygen enclave-cert -r root.key -o enclave.key \
		    -p chain.pem -N job-1
		ccc-keygen enclave-cert -r root2.key -o enclave2.key \
		    -p chain2.pem -N job-1
		mkdir run
		ccc-keygen enclave-cert -r root.key -o run/e.key -p run/e.pem \
		    -N run-1
		ccc-keygen enclave-cert -r root.key -o run/e2.key \
		    -p run/e2.pem -N run-2
		# T0: after every certificate was made (each valid from 300 s
		# before); every document, run and check is at T0 or at a time
		# given from it, never at the machine's clock, so no test
		# depends on the machine's speed.
		date +%s >t0
		t0=$(cat t0)
		"$SIGN" -k enclave.key -o sw.cbor -t "${t0}000" -m "0=$CODE" \
		    -m "1=$RUNTIME" -u "$USER_DATA"
		"$SIGN" -b -k enclave.key -o sw.b64 -t "${t0}000" \
		    -m "0=$CODE" -m "1=$RUNTIME" -u "$USER_DATA"
		"$SIGN" -k enclave.key -o sw-future.cbor -t "$((t0 + 120))000" \
		    -m "0=$CODE" -m "1=$RUNTIME"
		"$SIGN" -k enclave.key -o sw-other.cbor -t "${t0}000" \
		    -m "0=$RUNTIME" -m "1=$RUNTIME"
		"$SIGN" -k enclave.key -o sw-debug.cbor -t "${t0}000" \
		    -m "0=$ZERO" -m "1=$RUNTIME"
		"$SIGN" -k enclave2.key -o sw2.cbor -t "${t0}000" \
		    -m "0=$CODE" -m "1=$RUNTIME"
		cat >aws.pol <<-EOF
		ccc-attest-policy 1
		root aws-nitro sha256:$AWS_SHA256 aws-g1
		measurements any
		max-age 3600
		EOF
		cat >pcrs.pol <<-EOF
		# the two real enclaves, by their PCR0-2
		ccc-attest-policy 1
		root aws-nitro sha256:$AWS_SHA256 aws-g1
		measurements veracruz pcr0=$V_PCR0 \\
		    pcr1=$V_PCR1 pcr2=$V_PCR2
		measurements blocky pcr0=$B_PCR0 pcr1=$B_PCR1 pcr2=$B_PCR2
		max-age 3600
		EOF
		cat >other.pol <<-EOF
		ccc-attest-policy 1
		root aws-nitro sha256:$AWS_SHA256 aws-g1
		measurements release-2 pcr0=$V_PCR0 pcr1=$V_PCR1 pcr2=$B_PCR2
		max-age 3600
		EOF
		cat >noaws.pol <<-EOF
		ccc-attest-policy 1
		root software root.pem acme
		measurements any
		allow-software yes
		EOF
		cat >sw.pol <<-EOF
		ccc-attest-policy 1
		root aws-nitro sha256:$AWS_SHA256 aws-g1
		root software sha256:$(pem_sha256 root.pem) acme
		measurements job-1 pcr0=$CODE pcr1=$RUNTIME
		allow-software yes
		EOF
		cat >debug.pol <<-EOF
		ccc-attest-policy 1
		root software root.pem acme
		measurements zero pcr0=$ZERO
		allow-software yes
		allow-debug yes
		EOF
		cat >hw.pol <<-EOF
		ccc-attest-policy 1
		root aws-nitro sha256:$AWS_SHA256 aws-g1
		measurements any
		EOF
	)
	make_run_fixtures
}

setup() {
	use_fixtures
	T0=$(cat fx/t0)
}

# ---- usage ---------------------------------------------------------------

@test "ccc-attest-verify: usage errors exit 2 with one line" {
	crun -2 ccc-attest-verify -p fx/aws.pol --at yesterday fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: usage: --at: expected seconds since the epoch, YYYY-MM-DDTHH:MM:SSZ, now or document (see ccc-attest-verify --help)"
	crun -2 ccc-attest-verify -p fx/aws.pol -u 0g fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: usage: --user-data-hex: at most 1024 bytes of hex (see ccc-attest-verify --help)"
	crun -2 ccc-attest-verify -p fx/aws.pol --pcr 32=00 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: usage: --pcr: expected I=HEX, I 0 to 31, at most 64 bytes of hex (see ccc-attest-verify --help)"
	crun -2 ccc-attest-verify -p fx/aws.pol -m 1=00 -m 1=01 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: usage: --pcr: PCR 1 given twice (see ccc-attest-verify --help)"
	crun -2 ccc-attest-verify -p fx/aws.pol a b
	assert_stderr "ccc-attest-verify: usage: unexpected argument \"b\" (see ccc-attest-verify --help)"
	assert_output_empty
}

@test "ccc-attest-verify: unreadable files and a full stdout exit 2" {
	crun -2 ccc-attest-verify -p fx/none.pol fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: i/o error: fx/none.pol: No such file or directory"
	crun -2 ccc-attest-verify -p fx/aws.pol fx/none.cbor
	assert_stderr "ccc-attest-verify: i/o error: fx/none.cbor: No such file or directory"
	run -2 --separate-stderr bash -c 'ccc-attest-verify -p fx/aws.pol \
	    --at '"$VERACRUZ_AT"' fx/veracruz.cbor >/dev/full'
	assert_stderr "ccc-attest-verify: i/o error: stdout: No space left on device"
}

# ---- the real documents ------------------------------------------------------

@test "real: the blocky document (base64) verifies at its README time" {
	crun -0 ccc-attest-verify -p fx/aws.pol --at "$BLOCKY_AT" fx/blocky.b64
	assert_stderr_empty
	[[ "${lines[0]}" == "mode: aws-nitro" ]]
	[[ "${lines[1]}" == "root: aws-g1 (aws-nitro) sha256:$AWS_SHA256" ]]
	[[ "${lines[2]}" == "module_id: i-0a22e5c5f24d22174-enc0191cceb4289903f" ]]
	[[ "${lines[3]}" == "digest: SHA384" ]]
	[[ "${lines[4]}" == "timestamp: 2024-09-07T14:37:39.545Z (1725719859545)" ]]
	[[ "${lines[5]}" == "checked_at: 2024-09-07T15:00:00.000Z" ]]
	[[ "${lines[6]}" == "measurements: any" ]]
	[[ "${lines[7]}" == "debug: no" ]]
	[[ "${lines[8]}" == "pcr0: $B_PCR0" ]]
	[[ "${lines[9]}" == "pcr1: $B_PCR1" ]]
	[[ "${lines[10]}" == "pcr2: $B_PCR2" ]]
	[[ "${lines[11]}" == "pcr3: $ZERO" ]]
	[[ "${lines[12]}" == "pcr4: $B_PCR4" ]]
	[[ "${lines[23]}" == "pcr15: $ZERO" ]]
	[[ "${lines[24]}" == "public_key: $(printf '01%.0s' {1..1024})" ]]
	[[ "${lines[27]}" == "certificate: CN=i-0a22e5c5f24d22174-enc0191cceb4289903f.us-east-1.aws,OU=AWS,O=Amazon,L=Seattle,ST=Washington,C=US" ]]
	((${#lines[@]} == 28))
}

@test "real: the veracruz document (raw CBOR) verifies under its measurement set" {
	crun -0 ccc-attest-verify -p fx/pcrs.pol --at "$VERACRUZ_AT" \
	    fx/veracruz.cbor
	assert_stderr_empty
	[[ "${lines[2]}" == "module_id: i-04fd167167daacf3b-enc01845e97d0b3eb4e" ]]
	[[ "${lines[6]}" == "measurements: veracruz" ]]
	[[ "${lines[8]}" == "pcr0: $V_PCR0" ]]
	[[ "${lines[10]}" == "pcr2: $V_PCR2" ]]
	[[ "${lines[24]}" == "public_key: absent" ]]
	[[ "${lines[25]}" == "user_data: $V_USER_DATA" ]]
	[[ "${lines[26]}" == "nonce: $V_NONCE" ]]
	crun -0 ccc-attest-verify -p fx/pcrs.pol --at "$BLOCKY_AT" fx/blocky.b64
	[[ "${lines[6]}" == "measurements: blocky" ]]
}

@test "real: --json prints the claims as one JSON object" {
	crun -0 ccc-attest-verify -p fx/aws.pol --at 1668034800 --json \
	    fx/veracruz.cbor
	assert_stderr_empty
	((${#lines[@]} == 1))
	assert_contains "$output" '{"mode":"aws-nitro","hardware_backed":true,"root":{"name":"aws-g1","kind":"aws-nitro","sha256":"'"$AWS_SHA256"'"},"module_id":"i-04fd167167daacf3b-enc01845e97d0b3eb4e","digest":"SHA384","timestamp_ms":1668034320696,"timestamp":"2022-11-09T22:52:00.696Z","checked_at_ms":1668034800000,"checked_at":"2022-11-09T23:00:00.000Z","measurements":"any","debug":false,"pcrs":{"0":"'"$V_PCR0"'","1":"'"$V_PCR1"'"'
	assert_contains "$output" '"public_key":null,"user_data":"'"$V_USER_DATA"'","nonce":"'"$V_NONCE"'","certificate_subject":"CN=i-04fd167167daacf3b-enc01845e97d0b3eb4e.eu-west-1.aws,OU=AWS,O=Amazon,L=Seattle,ST=Washington,C=US"}'
}

@test "real: raw CBOR, base64 and base64 on stdin give the same report" {
	base64 -w 76 fx/veracruz.cbor >v.b64
	crun -0 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" \
	    fx/veracruz.cbor
	local raw=$output
	crun -0 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" v.b64
	[[ "$output" == "$raw" ]]
	run -0 --separate-stderr ccc-attest-verify -p fx/aws.pol \
	    --at "$VERACRUZ_AT" <v.b64
	[[ "$output" == "$raw" ]]
	run -0 --separate-stderr ccc-attest-verify -p fx/aws.pol \
	    --at "$VERACRUZ_AT" - <fx/veracruz.cbor
	[[ "$output" == "$raw" ]]
}

@test "real: --at document checks the document at its own time" {
	crun -0 ccc-attest-verify -p fx/aws.pol --at document fx/veracruz.cbor
	[[ "${lines[5]}" == "checked_at: 2022-11-09T22:52:00.696Z" ]]
}

@test "real: both documents are expired now" {
	local d0 d1
	d0=$(date -u +%Y-%m-%d)
	crun -1 ccc-attest-verify -p fx/aws.pol fx/blocky.b64
	d1=$(date -u +%Y-%m-%d)
	assert_output_empty
	# (The day before or after the run: it may cross midnight.)
	[[ "$stderr" == "ccc-attest-verify: expired: fx/blocky.b64: expired: certificate \""*"\" (depth "?") expired at 20"*", check time $d0"T* ||
	    "$stderr" == "ccc-attest-verify: expired: fx/blocky.b64: expired: certificate \""*"\" (depth "?") expired at 20"*", check time $d1"T* ]]
	crun -1 ccc-attest-verify -p fx/aws.pol --at now fx/veracruz.cbor
	[[ "$stderr" == "ccc-attest-verify: expired: fx/veracruz.cbor: expired: "* ]]
	crun -1 ccc-attest-verify -p fx/aws.pol --at 2030-01-01T00:00:00Z \
	    fx/veracruz.cbor
	assert_stderr 'ccc-attest-verify: expired: fx/veracruz.cbor: expired: certificate "80c9fe850e6c24c9.eu-west-1.aws.nitro-enclaves" (depth 3) expired at 2022-11-26T23:20:55Z, check time 2030-01-01T00:00:00.000Z'
}

@test "real: before the leaf certificate: not yet valid" {
	crun -1 ccc-attest-verify -p fx/aws.pol --at 2024-09-07T14:00:00Z \
	    fx/blocky.b64
	assert_stderr 'ccc-attest-verify: expired: fx/blocky.b64: not yet valid: certificate "i-0a22e5c5f24d22174-enc0191cceb4289903f.us-east-1.aws" (depth 0) is valid from 2024-09-07T14:37:36Z, check time 2024-09-07T14:00:00.000Z'
}

@test "real: a policy without the AWS root: untrusted root" {
	crun -1 ccc-attest-verify -p fx/noaws.pol --at "$BLOCKY_AT" \
	    fx/blocky.b64
	assert_stderr "ccc-attest-verify: attestation refused: fx/blocky.b64: untrusted root: root \"aws.nitro-enclaves\" sha256:$AWS_SHA256 is not pinned by the policy"
	assert_output_empty
}

@test "real: a flipped signature byte: bad signature" {
	local n
	n=$(size_of fx/veracruz.cbor)
	flip_bit fx/veracruz.cbor $((n - 10)) 0 bad.cbor
	crun -1 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" bad.cbor
	assert_stderr "ccc-attest-verify: bad signature: bad.cbor: bad signature: COSE_Sign1 signature does not verify"
	assert_output_empty
}

@test "real: a policy pinning other PCR values: measurement not allowed" {
	crun -1 ccc-attest-verify -p fx/other.pol --at "$VERACRUZ_AT" \
	    fx/veracruz.cbor
	assert_stderr 'ccc-attest-verify: attestation refused: fx/veracruz.cbor: measurement not allowed: no measurement set matches ("release-2": pcr2 differs)'
	crun -1 ccc-attest-verify -p fx/other.pol --at "$BLOCKY_AT" \
	    fx/blocky.b64
	assert_stderr 'ccc-attest-verify: attestation refused: fx/blocky.b64: measurement not allowed: no measurement set matches ("release-2": pcr0 differs)'
}

@test "real: the default max-age (300 s): stale" {
	crun -1 ccc-attest-verify -p fx/hw.pol --at "$VERACRUZ_AT" \
	    fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/veracruz.cbor: stale: timestamp 2022-11-09T22:52:00.696Z is 479.304 s before the check time 2022-11-09T23:00:00.000Z (max-age 300 s)"
}

@test "real: binding to expected user_data, nonce, public_key and PCRs" {
	crun -0 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" \
	    --user-data-hex "$V_USER_DATA" --nonce-hex "$V_NONCE" \
	    --pcr "0=$V_PCR0" fx/veracruz.cbor
	crun -1 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" \
	    --nonce-hex "${V_NONCE%??}00" fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/veracruz.cbor: binding mismatch: nonce differs from the expected value"
	crun -1 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" \
	    --public-key-hex 00 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/veracruz.cbor: binding mismatch: public_key is absent, expected 1 bytes"
	crun -1 ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" \
	    -m "2=$V_PCR1" fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/veracruz.cbor: binding mismatch: pcr2 differs from the expected value"
}

@test "real: truncated, empty and non-document inputs are malformed" {
	head -c 4000 fx/veracruz.cbor >cut.cbor
	crun -1 ccc-attest-verify -p fx/aws.pol cut.cbor
	assert_stderr "ccc-attest-verify: truncated input: cut.cbor: at byte 7: malformed document: input ends inside an item"
	: >empty
	crun -1 ccc-attest-verify -p fx/aws.pol empty
	assert_stderr "ccc-attest-verify: truncated input: empty: at byte 0: malformed document: empty input"
	printf 'hello, world\n' >text
	crun -1 ccc-attest-verify -p fx/aws.pol text
	assert_stderr "ccc-attest-verify: malformed input: text: at byte 0: malformed document: neither CBOR (first byte 0x68) nor base64"
	cp fx/veracruz.cbor trailing.cbor
	printf '\0' >>trailing.cbor
	crun -1 ccc-attest-verify -p fx/aws.pol trailing.cbor
	assert_stderr "ccc-attest-verify: malformed input: trailing.cbor: at byte 4461: malformed document: trailing bytes after the COSE_Sign1"
}

# ---- software documents ------------------------------------------------------

@test "software: a document verifies and says software, not hardware-backed" {
	crun -0 ccc-attest-verify -p fx/sw.pol --at "$T0" fx/sw.cbor
	assert_stderr_empty
	[[ "${lines[0]}" == "mode: software, not hardware-backed" ]]
	[[ "${lines[1]}" == "root: acme (software) sha256:$(pem_sha256 fx/root.pem)" ]]
	[[ "${lines[2]}" == "module_id: ccc-software-job-1" ]]
	[[ "${lines[4]}" == "timestamp: $(iso "$T0") (${T0}000)" ]]
	[[ "${lines[6]}" == "measurements: job-1" ]]
	[[ "${lines[8]}" == "pcr0: $CODE" ]]
	[[ "${lines[9]}" == "pcr1: $RUNTIME" ]]
	[[ "${lines[10]}" == "public_key: absent" ]]
	[[ "${lines[11]}" == "user_data: $USER_DATA" ]]
	[[ "${lines[12]}" == "nonce: absent" ]]
	[[ "${lines[13]}" == 'certificate: CN=ccc-software-job-1,OU=software enclave\, not hardware-backed,O=ccc' ]]
	crun -0 ccc-attest-verify -p fx/sw.pol --at "$T0" -j fx/sw.b64
	assert_contains "$output" '{"mode":"software","hardware_backed":false,"note":"software, not hardware-backed","root":{"name":"acme","kind":"software",'
	crun -0 ccc-attest-verify -p fx/sw.pol --at "$T0" \
	    --user-data-hex "$USER_DATA" --pcr "0=$CODE" fx/sw.cbor
}

@test "software: a hardware-only policy: software not allowed" {
	crun -1 ccc-attest-verify -p fx/hw.pol --at "$T0" fx/sw.cbor
	assert_stderr 'ccc-attest-verify: attestation refused: fx/sw.cbor: software not allowed: "ccc-software-job-1" is a software document, not hardware-backed, and the policy does not allow software'
	assert_output_empty
}

@test "software: a tampered payload byte: bad signature" {
	local n
	n=$(size_of fx/sw.cbor)
	# Inside user_data, just before the nonce key and the signature.
	flip_bit fx/sw.cbor $((n - 98 - 7 - 10)) 3 bad.cbor
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" bad.cbor
	assert_stderr "ccc-attest-verify: bad signature: bad.cbor: bad signature: COSE_Sign1 signature does not verify"
}

@test "software: a wrong user_data binding: binding mismatch" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" \
	    --user-data-hex "${USER_DATA%??}ac" fx/sw.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/sw.cbor: binding mismatch: user_data differs from the expected value"
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" --pcr "0=$RUNTIME" \
	    fx/sw.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/sw.cbor: binding mismatch: pcr0 differs from the expected value"
}

@test "software: a code measurement not in the policy: measurement not allowed" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" fx/sw-other.cbor
	assert_stderr 'ccc-attest-verify: attestation refused: fx/sw-other.cbor: measurement not allowed: no measurement set matches ("job-1": pcr0 differs)'
}

@test "software: older than max-age: stale" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at $((T0 + 400)) fx/sw.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/sw.cbor: stale: timestamp $(iso "$T0") is 400.000 s before the check time $(iso $((T0 + 400))) (max-age 300 s)"
	crun -0 ccc-attest-verify -p fx/sw.pol --at $((T0 + 300)) fx/sw.cbor
}

@test "software: beyond the future skew: from the future" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" fx/sw-future.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/sw-future.cbor: from the future: timestamp $(iso $((T0 + 120))) is 120.000 s after the check time $(iso "$T0") (future-skew 30 s)"
	crun -0 ccc-attest-verify -p fx/sw.pol --at $((T0 + 90)) fx/sw-future.cbor
}

@test "software: a chain under another software root: untrusted root" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" fx/sw2.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/sw2.cbor: untrusted root: root \"ccc\" sha256:$(pem_sha256 fx/root2.pem) is not pinned by the policy"
}

@test "software: all-zero PCR0 is a debug document, refused unless allowed" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at "$T0" fx/sw-debug.cbor
	assert_stderr "ccc-attest-verify: attestation refused: fx/sw-debug.cbor: debug not allowed: PCR0 is all zero (a debug-mode enclave) and the policy does not allow debug"
	crun -0 ccc-attest-verify -p fx/debug.pol --at "$T0" fx/sw-debug.cbor
	[[ "${lines[6]}" == "measurements: zero" ]]
	[[ "${lines[7]}" == "debug: yes (all-zero PCR0)" ]]
}

@test "software: a document without PCR0 is refused as debug unless allowed" {
	"$SIGN" -k fx/enclave.key -o nopcr0.cbor -t "${T0}000" -m "1=$RUNTIME"
	crun -1 ccc-attest-verify -p fx/noaws.pol --at "$T0" nopcr0.cbor
	assert_output_empty
	assert_stderr "ccc-attest-verify: attestation refused: nopcr0.cbor: debug not allowed: no PCR0, so not known to be other than a debug-mode enclave, and the policy does not allow debug"
	printf 'ccc-attest-policy 1\nroot software sha256:%s acme\nmeasurements any\nallow-software yes\nallow-debug yes\n' \
	    "$(pem_sha256 fx/root.pem)" >dbg.pol
	crun -0 ccc-attest-verify -p dbg.pol --at "$T0" nopcr0.cbor
	assert_contains "$output" "debug: yes (no PCR0)"
}

@test "software: after the enclave certificate's 90 days: expired" {
	crun -1 ccc-attest-verify -p fx/sw.pol --at $((T0 + 91 * 86400)) \
	    fx/sw.cbor
	[[ "$stderr" == "ccc-attest-verify: expired: fx/sw.cbor: expired: certificate \"ccc-software-job-1\" (depth 0) expired at "* ]]
}

# ---- results of ccc-enclave-run --------------------------------------------------

@test "result: a run's document verifies with its request (-r)" {
	local t
	t=$(cat fx/run/res.time)
	crun -0 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/cert fx/run/res
	assert_stderr_empty
	[[ "${lines[0]}" == "mode: software, not hardware-backed" ]]
	[[ "${lines[2]}" == "module_id: ccc-software-run-1" ]]
	[[ "${lines[4]}" == "timestamp: $(iso "$t") (${t}000)" ]]
	[[ "${lines[9]}" == "pcr2: $(sha384sum <fx/run/prog | cut -d' ' -f1)" ]]
	[[ "${lines[10]}" == "public_key: $(field_hex fx/run/req.pub pk)" ]]
	[[ "${lines[11]}" == "user_data: "* ]]
	[[ "${lines[12]}" == "nonce: absent" ]]
	((${#lines[@]} == 14))
	# The bare request does as well as its certificate; without a
	# request the result's own fields are bound.
	crun -0 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/req fx/run/res
	crun -0 ccc-attest-verify -p fx/run/run.pol --at "$T0" fx/run/res
	# -r checks a result, not a bare document, nor a damaged result:
	# the input is refused (1), not the command line.
	crun -1 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/req fx/sw.cbor
	assert_stderr "ccc-attest-verify: malformed input: fx/sw.cbor: at byte 0: blob: expected map, found array"
	replace_bytes fx/run/res "$(find_hex fx/run/res "$(hex_str ccc/result/v1)")" "$(hex_str ccc/resulu/v1)" damaged
	crun -1 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/req damaged
	assert_output_empty
	assert_stderr 'ccc-attest-verify: wrong blob type: damaged: at byte 0: expected a computation result (ccc/result/v1), found type "ccc/resulu/v1"'
}

@test "result: a tampered output is refused: binding mismatch" {
	local at
	at=$(field_offset fx/run/res output)
	# One bit of the output, nothing else fixed: its digest says so.
	flip_bit fx/run/res "$at" 0 bad
	crun -1 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/cert bad
	assert_output_empty
	assert_stderr "ccc-attest-verify: attestation refused: bad: at byte $((at - 1)): binding mismatch: the output does not match its digest (tampered output)"
	# The application and the oracles refuse it before anything else:
	# before the key, the policy or the request are even read.
	crun -1 ccc-combine --result bad -o out
	assert_output_empty
	assert_stderr "ccc-combine: attestation refused: bad: at byte $((at - 1)): binding mismatch: the output does not match its digest (tampered output)"
	crun -1 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -A missing.pol \
	    -F missing.req -o s bad
	assert_stderr "ccc-quorum-sign: attestation refused: bad: at byte $((at - 1)): binding mismatch: the output does not match its digest (tampered output)"
	assert_no_file out s
	# The output and its digest both replaced: the document's user_data
	# binds the old digest.
	replace_bytes fx/run/res "$at" "$(hex_str 'HELLP')" bad2
	replace_bytes bad2 "$(field_offset fx/run/res output_digest)" \
	    "$(printf 'HELLP\n' | sha256sum | cut -c1-64)" bad3
	crun -1 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/cert bad3
	assert_stderr "ccc-attest-verify: attestation refused: bad3: binding mismatch: user_data differs from the expected value"
	crun -1 ccc-attest-verify -p fx/run/run.pol --at "$T0" bad3
	assert_stderr "ccc-attest-verify: attestation refused: bad3: binding mismatch: user_data differs from the expected value"
}

@test "result: checked against another request: binding mismatch" {
	crun -1 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/req2 fx/run/res
	assert_output_empty
	assert_stderr "ccc-attest-verify: attestation refused: fx/run/res: binding mismatch: the result answers another request"
}

@test "result: a code measurement not in the policy: measurement not allowed" {
	crun -1 ccc-attest-verify -p fx/run/other.pol --at "$T0" -r fx/run/cert fx/run/res
	assert_output_empty
	assert_stderr 'ccc-attest-verify: attestation refused: fx/run/res: measurement not allowed: no measurement set matches ("other": pcr2 differs)'
}

@test "result: older than max-age: stale" {
	local t
	t=$(cat fx/run/res.time)
	crun -1 ccc-attest-verify -p fx/run/run.pol -r fx/run/cert \
	    --at $((t + 301)) fx/run/res
	assert_stderr "ccc-attest-verify: attestation refused: fx/run/res: stale: timestamp $(iso "$t") is 301.000 s before the check time $(iso $((t + 301))) (max-age 300 s)"
	crun -0 ccc-attest-verify -p fx/run/run.pol -r fx/run/cert \
	    --at $((t + 300)) fx/run/res
}

@test "result: under a hardware-only policy: software not allowed" {
	crun -1 ccc-attest-verify -p fx/hw.pol --at "$T0" -r fx/run/cert fx/run/res
	assert_output_empty
	assert_stderr 'ccc-attest-verify: attestation refused: fx/run/res: software not allowed: "ccc-software-run-1" is a software document, not hardware-backed, and the policy does not allow software'
}

@test "result: oracles sign only a result that verifies, and the application reads it" {
	local i at want
	# Without the request it answers, the policy, the roster or the
	# pool: a usage error.
	crun -2 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -A fx/run/run.pol \
	    -r fx/run/roster -P fx/run/pool -o s fx/run/res
	assert_stderr "ccc-quorum-sign: usage: fx/run/res: signing a result needs the request it answers (-F) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -F fx/run/cert \
	    -r fx/run/roster -P fx/run/pool -o s fx/run/res
	assert_stderr "ccc-quorum-sign: usage: fx/run/res: signing a computation result needs the attestation policy (-A), the roster (-r) and the enclave pool (-P) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -F fx/run/cert \
	    -A fx/run/run.pol -r fx/run/roster -o s fx/run/res
	assert_stderr "ccc-quorum-sign: usage: fx/run/res: signing a computation result needs the attestation policy (-A), the roster (-r) and the enclave pool (-P) (see ccc-quorum-sign --help)"
	# Tampered, for another request, or under a policy that refuses it.
	at=$(field_offset fx/run/res output)
	flip_bit fx/run/res "$at" 0 bad
	crun -1 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -A fx/run/run.pol -r fx/run/roster -P fx/run/pool \
	    -F fx/run/cert -o s bad
	assert_stderr "ccc-quorum-sign: attestation refused: bad: at byte $((at - 1)): binding mismatch: the output does not match its digest (tampered output)"
	crun -1 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -A fx/run/run.pol -r fx/run/roster -P fx/run/pool \
	    -F fx/run/cert2 -o s fx/run/res
	assert_stderr "ccc-quorum-sign: attestation refused: fx/run/res: binding mismatch: the result answers another request"
	crun -1 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -A fx/hw.pol -r fx/run/roster -P fx/run/pool \
	    -F fx/run/cert -o s fx/run/res
	assert_stderr 'ccc-quorum-sign: attestation refused: fx/run/res: software not allowed: "ccc-software-run-1" is a software document, not hardware-backed, and the policy does not allow software'
	assert_no_file s
	# Verified: signed, and two signatures certify it.
	for i in 1 2; do
		crun -0 ccc-quorum-sign sign --now "$T0" -i "fx/run/o$i.key" \
		    -A fx/run/run.pol -r fx/run/roster -P fx/run/pool -F fx/run/cert -o "rsig$i" fx/run/res
		assert_stderr_empty
	done
	crun -0 ccc-quorum-sign combine --now "$T0" -r fx/run/roster -c fx/run/res \
	    -o certified rsig1 rsig2
	# The application checks the certificate, then reads the output.
	run -0 --separate-stderr bash -c 'ccc-quorum-sign verify \
	    -r fx/run/roster certified | ccc-combine --result -'
	assert_stderr_empty
	assert_output HELLO
	crun -0 ccc-quorum-sign verify --now "$T0" -r fx/run/roster -o checked certified
	assert_same checked fx/run/res
	crun -0 ccc-attest-verify -p fx/run/run.pol --at "$T0" -r fx/run/cert checked
	# Their signatures name the roster: under another roster of the same
	# oracles (another deployment) they do not count.
	ccc-quorum-sign roster -q 2 -N others --not-before 1000000000 \
	    --not-after 4000000000 -o rosterB fx/run/o1.pub fx/run/o2.pub \
	    fx/run/o3.pub
	crun -1 ccc-quorum-sign combine --now "$T0" -r rosterB -c fx/run/res \
	    -o certB rsig1 rsig2
	want='ccc-quorum-sign: bad signature: fx/run/res: 0 valid signatures, roster "others" needs 2; not signed by oracle-?, oracle-?, oracle-?; ignored: rsig1: bad signature by oracle-1, or made for another roster; rsig2: bad signature by oracle-2, or made for another roster'
	# shellcheck disable=SC2053
	[[ $stderr == $want ]] || fail "stderr: $stderr"
	assert_no_file certB
}

@test "result: with -A and -F an oracle signs nothing but a result (exit 1)" {
	local f i
	# Whatever the enclave's operator hands it: a roster, a ciphertext, a
	# key, a request, a certificate, a certified result.
	for i in 1 2; do
		ccc-quorum-sign sign --now "$T0" -i "fx/run/o$i.key" -A fx/run/run.pol -r fx/run/roster -P fx/run/pool \
		    -F fx/run/cert -o "rsig$i" fx/run/res
	done
	ccc-quorum-sign combine --now "$T0" -r fx/run/roster -c fx/run/res -o certified \
	    rsig1 rsig2
	for f in fx/run/roster fx/run/ct fx/run/key/tpk.cbor fx/run/req.pub \
	    fx/run/req fx/run/cert certified; do
		crun -1 ccc-quorum-sign sign --now "$T0" -i fx/run/o1.key -A fx/run/run.pol -r fx/run/roster -P fx/run/pool \
		    -F fx/run/cert -o s "$f"
		assert_output_empty
		assert_stderr "ccc-quorum-sign: wrong blob type: $f: -F signs only a result (ccc/result/v1), not $(ccc-inspect "$f" | sed -n 's/^  "type": "\(.*\)",$/\1/p')"
		assert_no_file s
	done
}

# ---- the policy file --------------------------------------------------------------

@test "policy: errors name the line and exit 1" {
	printf 'ccc-attest-policy 1\nroot aws-nitro sha256:%s\nmeasurements any\nmax-age 5m\n' \
	    "$AWS_SHA256" >p1
	crun -1 ccc-attest-verify -p p1 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: malformed input: p1: line 4: \"5m\" is not a number of seconds"
	printf 'ccc-attest-policy 1\nroot aws-nitro sha256:%s\nmeasurements any\nmax-age 0\n' \
	    "$AWS_SHA256" >p0
	crun -1 ccc-attest-verify -p p0 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: malformed input: p0: line 4: 0 is out of range (1 to 316224000 seconds)"
	printf 'root aws-nitro sha256:%s\n' "$AWS_SHA256" >p2
	crun -1 ccc-attest-verify -p p2 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: malformed input: p2: line 1: expected \"ccc-attest-policy 1\" first"
	printf 'ccc-attest-policy 1\nroot aws-nitro sha256:%s\n' "$AWS_SHA256" >p3
	crun -1 ccc-attest-verify -p p3 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: malformed input: p3: no measurements line (\"measurements any\" accepts any)"
	printf 'ccc-attest-policy 1\nroot software missing.pem\n' >p4
	crun -2 ccc-attest-verify -p p4 fx/veracruz.cbor
	assert_stderr "ccc-attest-verify: i/o error: p4: line 2: certificate \"missing.pem\": No such file or directory"
	assert_output_empty
}

@test "policy: a root pinned by certificate file, relative to the policy" {
	crun -0 ccc-attest-verify -p fx/noaws.pol --at "$T0" fx/sw.cbor
	[[ "${lines[1]}" == "root: acme (software) sha256:$(pem_sha256 fx/root.pem)" ]]
}

# ---- ccc-keygen attest-root and enclave-cert -------------------------------------

@test "keygen: attest-root and enclave-cert write a 0600 key and a public chain" {
	crun -0 ccc-keygen attest-root -o r.key -p r.pem -N test-root
	assert_stderr_empty
	assert_mode 600 r.key
	[[ $(grep -c 'BEGIN PRIVATE KEY' r.key) == 1 ]]
	[[ $(grep -c 'BEGIN CERTIFICATE' r.key) == 1 ]]
	[[ $(grep -c 'BEGIN' r.pem) == 1 && $(grep -c 'BEGIN CERTIFICATE' r.pem) == 1 ]]
	crun -0 ccc-keygen enclave-cert -r r.key -o e.key -p e.pem -N e-1
	assert_mode 600 e.key
	[[ $(grep -c 'BEGIN CERTIFICATE' e.key) == 2 ]]
	[[ $(grep -c 'BEGIN CERTIFICATE' e.pem) == 2 && $(grep -c PRIVATE e.pem) == 0 ]]
	# Without -p the public part goes to stdout.
	crun -0 ccc-keygen attest-root -o r2.key
	[[ "${lines[0]}" == "-----BEGIN CERTIFICATE-----" ]]
}

@test "keygen: refusals" {
	crun -2 ccc-keygen enclave-cert -r fx/root.key -o e.key
	assert_stderr "ccc-keygen: usage: enclave-cert needs -r ROOTKEY, -o KEY and -N ID (see ccc-keygen --help)"
	crun -2 ccc-keygen attest-root -p r.pem
	assert_stderr "ccc-keygen: usage: attest-root needs -o KEY (see ccc-keygen --help)"
	crun -2 ccc-keygen enclave-cert -r fx/root.key -o e.key -N 'a b'
	assert_stderr "ccc-keygen: usage: -N: an enclave id is 1 to 48 letters, digits, '.', '_' or '-' (see ccc-keygen --help)"
	crun -2 ccc-keygen enclave-cert -r fx/root.key -o fx/enclave.key -N x
	assert_stderr "ccc-keygen: refusing to overwrite: fx/enclave.key: file exists (use -f to replace it)"
	crun -2 ccc-keygen enclave-cert -r fx/root.pem -o e.key -N x
	assert_stderr "ccc-keygen: insecure permissions: fx/root.pem: secret file is accessible by others (mode 644), run chmod 600"
	cp fx/enclave.key ek
	chmod 600 ek
	crun -1 ccc-keygen enclave-cert -r ek -o e.key -N x
	assert_stderr "ccc-keygen: key mismatch: ek: more than 1 certificate in the file"
	assert_no_file e.key
}

# ---- mutants through the tool ----------------------------------------------------

# One line "ccc-attest-verify: ..." and status 1 for each mutant.
mutant_worker() {
	local i b st e m=$3
	for i in $1; do
		b=$((i % 8))
		printf '%b' "${ESC:0:4*i}${XS[BYTES[i] ^ (1 << b)]}${ESC:4*i+4}" >"$m"
		st=0
		ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" "$m" \
		    >"$m.out" 2>"$m.err" || st=$?
		read -r -d '' e <"$m.err" || true
		if ((st != 1)) || [[ -s "$m.out" || "$e" != "ccc-attest-verify: "* ||
		    "$e" == *$'\n'?* ]]; then
			echo "flip $i.$b: status $st: $e" >>"$m.fail"
		fi
	done
	for i in $2; do
		printf '%b' "${ESC:0:4*i}" >"$m"
		st=0
		ccc-attest-verify -p fx/aws.pol --at "$VERACRUZ_AT" "$m" \
		    >"$m.out" 2>"$m.err" || st=$?
		read -r -d '' e <"$m.err" || true
		if ((st != 1)) || [[ -s "$m.out" || "$e" != "ccc-attest-verify: "* ]]; then
			echo "cut $i: status $st: $e" >>"$m.fail"
		fi
	done
}

@test "mutation: bit flips and truncations of a real document exit 1 with one line" {
	# The exhaustive run (every bit of every byte, every truncation) is
	# in tests/unit/test_attest through ccc_attest_verify(); here the
	# tool itself gets: every byte of the COSE framing, protected header
	# and signature, one byte in 7 of the payload (the bit rotating), and
	# one truncation in 13 plus the last 16.
	local hex i n flips0="" flips1="" cuts0="" cuts1="" k=0 w0
	hex=$(hex_of fx/veracruz.cbor)
	n=$((${#hex} / 2))
	# shellcheck disable=SC2207
	XS=($(printf '\\x%02x ' {0..255}))
	ESC=$(sed 's/../\\x&/g' <<<"$hex")
	BYTES=()
	for ((i = 0; i < n; i++)); do
		BYTES[i]=$((16#${hex:2*i:2}))
	done
	for ((i = 0; i < n; i++)); do
		if ((i < 16 || i >= n - 100 || i % 7 == 0)); then
			if ((k++ % 2)); then flips1+=" $i"; else flips0+=" $i"; fi
		fi
	done
	for ((i = 0; i < n; i++)); do
		if ((i % 13 == 0 || i >= n - 16)); then
			if ((k++ % 2)); then cuts1+=" $i"; else cuts0+=" $i"; fi
		fi
	done
	: >w0.fail
	: >w1.fail
	# Each worker's own status too: one that stopped early (set -e)
	# left its last mutants untried and wrote no failure for them.
	mutant_worker "$flips0" "$cuts0" w0 &
	w0=$!
	mutant_worker "$flips1" "$cuts1" w1 &
	wait "$!" || fail "worker w1 stopped with status $?"
	wait "$w0" || fail "worker w0 stopped with status $?"
	if [[ -s w0.fail || -s w1.fail ]]; then
		cat w0.fail w1.fail >&2
		fail "$(cat w0.fail w1.fail | wc -l) mutants were not refused"
	fi
}
