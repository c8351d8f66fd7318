#!/usr/bin/env bats
# The application's side served: ccc-quorum-sign combine --serve (a blob
# and its signatures in, its certificate out), verify --serve (a
# certificate in, the blob it certifies out) and ccc-combine --serve (a
# result in, its output out), each item answered as the one-shot form
# would have written it or refused with its status and reason.
bats_require_minimum_version 1.5.0
load helpers

NB=1000000000
NA=4000000000

# In $BATS_FILE_TMPDIR, made once: the oracles and roster of
# oracle_fixtures (valid from $NB to $NA); ct.A, a ciphertext; req, a
# request of app A for it, signed by oracles 1-4 (req.sig1..4); cert, its
# certificate by the one-shot combine of sigs 1-3; other, a second request
# signed by oracle 2 (other.sig2); and f/, a ccc-flow run whose output is
# sealed to 00-keys/recipient.key.
setup_file() {
	local i
	flow_from_source
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		PATH=$BATS_FILE_TMPDIR/bin:$PATH
		oracle_fixtures
		ccc-keygen dealer -t 2 -n 3 -d k
		printf 'to certify\n' >msg
		ccc-encrypt -k k/tpk.cbor -l app:A -o ct.A msg
		for r in req other; do
			ccc-quorum-sign request -a A -m "$(printf '%096d' 0)" \
			    -k k/tpk.cbor -r roster -P pool -K epub \
			    -E 3600 -o "$r" ct.A
		done
		for i in 1 2 3 4; do
			ccc-quorum-sign sign -i "o$i.key" -k k/tpk.cbor \
			    -A attest.policy -r roster -P pool \
			    -o "req.sig$i" req
		done
		ccc-quorum-sign sign -i o2.key -k k/tpk.cbor -A attest.policy \
		    -r roster -P pool -o other.sig2 other
		ccc-quorum-sign combine -r roster -b req \
		    -o cert req.sig1 req.sig2 req.sig3
		ccc-flow -d f -O sealed -x /bin/cat >/dev/null
	)
}

setup() {
	use_fixtures
	PATH=$BATS_FILE_TMPDIR/bin:$PATH
}

# served CMD...: CMD (a --serve command) with the file "in" on its
# standard input, its answers in the file "a".
served() {
	crun bash -c '"$@" <in >a' - "$@"
}

# answers FILE N: the outputs of the first N answers in FILE, to FILE.1
# .. FILE.N, and each answer's status and error line, a line each, as
# output (ccc-inspect --answer, which reads one answer at a time).
answers() {
	local k
	rm -f "$1".[0-9]*
	crun -0 bash -c 'for ((k = 1; k <= $2; k++)); do
		ccc-inspect --answer -o "$1.$k" 2>&1; echo "$k: $?"
	done <"$1"' - "$1" "$2"
}

@test "combine --serve: the very certificate the one-shot combine makes; a short quorum refused as the one-shot refuses it, the next served" {
	crun -0 ccc-quorum-sign combine --item -b fx/req -o i1 fx/req.sig1 \
	    fx/req.sig2 fx/req.sig3
	assert_output_empty
	assert_stderr_empty
	# Two good signatures and one of another request: short of the quorum.
	crun -0 ccc-quorum-sign combine --item -b fx/req -o i2 fx/req.sig1 \
	    fx/other.sig2 fx/req.sig3
	crun -1 ccc-quorum-sign combine -r fx/roster -b fx/req \
	    -o x fx/req.sig1 fx/other.sig2 fx/req.sig3
	local why=${stderr#ccc-quorum-sign: }
	why=${why/fx\/req:/request 2:}
	why=${why/fx\/other.sig2:/request 2 signature 2:}
	[[ $why == "bad signature: request 2: 2 valid signatures, roster \"oracles\" needs 3; not signed by "*"; ignored: request 2 signature 2: oracle-2 signed another blob" ]] ||
	    fail "one-shot: $stderr"
	cat i1 i2 i1 >in
	served ccc-quorum-sign combine -r fx/roster --serve
	((status == 0))
	assert_stderr_empty
	assert_output_empty
	answers a 3
	assert_output "1: 0
ccc-inspect: $why
2: 1
3: 0"
	assert_same a.1 fx/cert
	assert_same a.3 fx/cert
	[[ ! -s a.2 && ! -e x ]] || fail "refused, yet written"
}

@test "combine --serve: a signature left out is named on stderr; the certificate is the one-shot's of the others" {
	crun -0 ccc-quorum-sign combine --item -b fx/req -o in fx/req.sig1 \
	    fx/other.sig2 fx/req.sig2 fx/req.sig3
	served ccc-quorum-sign combine -r fx/roster --serve
	((status == 0))
	assert_stderr "ccc-quorum-sign: warning: request 1 signature 2: oracle-2 signed another blob; ignored"
	answers a 1
	assert_output "1: 0"
	assert_same a.1 fx/cert
}

@test "combine --serve: an expired roster refuses each item, as the one-shot refuses it" {
	crun -0 ccc-quorum-sign combine --item -b fx/req -o in fx/req.sig1 \
	    fx/req.sig2 fx/req.sig3
	crun -1 ccc-quorum-sign combine -r fx/roster -b fx/req --now "$NA" \
	    -o x fx/req.sig1 fx/req.sig2 fx/req.sig3
	assert_stderr "ccc-quorum-sign: expired: fx/roster: roster \"oracles\" is valid from $(utc "$NB") to $(utc "$NA"), not at $(utc "$NA")"
	served ccc-quorum-sign combine -r fx/roster --now "$NA" --serve
	((status == 0))
	assert_stderr_empty
	# The one-shot's reason, as an answer.
	answers a 1
	assert_output "ccc-inspect: expired: fx/roster: roster \"oracles\" is valid from $(utc "$NB") to $(utc "$NA"), not at $(utc "$NA")
1: 1"
	# Served at the time each item arrives: one a second before the end.
	served ccc-quorum-sign combine -r fx/roster --now "$((NA - 1))" --serve
	answers a 1
	assert_output "1: 0"
	assert_same a.1 fx/cert
}

@test "combine --serve: an item that is not a combine order, or a blob that is not ccc's, is refused and the next served" {
	crun -0 ccc-quorum-sign combine --item -b fx/msg -o junk fx/req.sig1
	crun -0 ccc-quorum-sign combine --item -b fx/req -o good fx/req.sig1 \
	    fx/req.sig2 fx/req.sig3
	cat fx/ct.A junk good >in
	served ccc-quorum-sign combine -r fx/roster --serve
	((status == 0))
	answers a 3
	assert_output "ccc-inspect: wrong blob type: request 1: at byte 0: expected a quorum combine order (ccc/quorum-combine/v1), found a ciphertext (ccc/ct/v1)
1: 1
ccc-inspect: wrong blob type: request 2: at byte 0: not a ccc blob
2: 1
3: 0"
	assert_same a.3 fx/cert
}

@test "combine --item: the order of the blob and the signature files, byte for byte; usage errors exit 2" {
	crun -0 ccc-quorum-sign combine --item -b fx/req -o i fx/req.sig1 \
	    fx/req.sig2
	crun -0 ccc-inspect i
	assert_output "$(printf '{\n  "type": "ccc/quorum-combine/v1",\n  "blob": "%s",\n  "signatures": [\n    "%s",\n    "%s"\n  ]\n}' \
	    "$(hex_of fx/req)" "$(hex_of fx/req.sig1)" "$(hex_of fx/req.sig2)")"
	crun -2 ccc-quorum-sign combine --item -r fx/roster -b fx/req -o i2 \
	    fx/req.sig1
	assert_stderr "ccc-quorum-sign: usage: combine --item makes an item, it checks nothing (no -r, no --now) (see ccc-quorum-sign --help)"
	assert_no_file i2
	crun -2 ccc-quorum-sign combine --item -b fx/req -o i2
	assert_stderr "ccc-quorum-sign: usage: combine --item needs signatures (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign combine --item -b fx/req -o i2 fx/req.sig1 nosuch
	assert_stderr "ccc-quorum-sign: i/o error: nosuch: No such file or directory"
	assert_no_file i2
}

@test "verify --serve: each certificate answered with the blob it certifies, as verify -o writes it" {
	crun -0 ccc-quorum-sign verify -r fx/roster -o one \
	    fx/cert
	flip_bit fx/cert "$(($(size_of fx/cert) - 1))" 0 bad
	crun -1 ccc-quorum-sign verify -r fx/roster -o x bad
	local why=${stderr#ccc-quorum-sign: }
	cat fx/cert bad fx/ct.A fx/f/07-certified-result >in
	served ccc-quorum-sign verify -r fx/roster --serve
	((status == 0))
	assert_stderr_empty
	answers a 4
	assert_output "1: 0
ccc-inspect: ${why/bad:/request 2:}
2: 1
ccc-inspect: wrong blob type: request 3: at byte 0: expected a quorum certificate (ccc/certified/v1), found a ciphertext (ccc/ct/v1)
3: 1
ccc-inspect: $(ccc-quorum-sign verify -r fx/roster fx/f/07-certified-result 2>&1 >/dev/null | sed 's/^ccc-quorum-sign: //; s|fx/f/07-certified-result|request 4|')
4: 1"
	assert_same a.1 one
	assert_same a.1 fx/req
}

@test "combine --serve, verify --serve: usage errors exit 2" {
	crun -2 bash -c 'ccc-quorum-sign combine --serve <fx/req >a'
	assert_stderr "ccc-quorum-sign: usage: combine --serve needs -r ROSTER (see ccc-quorum-sign --help)"
	crun -2 bash -c 'ccc-quorum-sign combine -r fx/roster --serve -b fx/req <fx/req >a'
	assert_stderr "ccc-quorum-sign: usage: combine --serve reads its items from standard input and answers on standard output (no FILE, SIG, -o, -f, -b or --item) (see ccc-quorum-sign --help)"
	crun -2 bash -c 'ccc-quorum-sign combine -r fx/roster --serve fx/req.sig1 <fx/req >a'
	assert_stderr "ccc-quorum-sign: usage: combine --serve reads its items from standard input and answers on standard output (no FILE, SIG, -o, -f, -b or --item) (see ccc-quorum-sign --help)"
	crun -2 bash -c 'ccc-quorum-sign verify -r fx/roster --serve -v <fx/cert >a'
	assert_stderr "ccc-quorum-sign: usage: verify --serve reads its items from standard input and answers on standard output (no FILE, SIG, -o, -f or -v) (see ccc-quorum-sign --help)"
	crun -2 bash -c 'ccc-quorum-sign verify --serve <fx/cert >a'
	assert_stderr "ccc-quorum-sign: usage: verify --serve needs -r ROSTER (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request --serve
	assert_stderr "ccc-quorum-sign: usage: request does not take \"--serve\" (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign verify --item -r fx/roster fx/cert
	assert_stderr "ccc-quorum-sign: usage: verify does not take \"--item\" (see ccc-quorum-sign --help)"
}

@test "ccc-combine --serve: each result answered with its output, opened with -i when sealed, as --result writes it" {
	cd fx/f
	crun -0 ccc-combine --result 06-result -i 00-keys/recipient.key -o one
	assert_same one 07-output
	# The same result, a ciphertext, and the result again.
	cat 06-result 01-input.ct 06-result >in
	served ccc-combine -i 00-keys/recipient.key --serve
	((status == 0))
	assert_stderr_empty
	answers a 3
	assert_output "1: 0
ccc-inspect: wrong blob type: request 2: at byte 0: expected a computation result (ccc/result/v1), found a ciphertext (ccc/ct/v1)
2: 1
3: 0"
	assert_same a.1 07-output
	assert_same a.3 07-output
	# Without the key, or with another recipient's: refused as --result
	# refuses it.
	served ccc-combine --serve
	((status == 0))
	answers a 1
	assert_output "ccc-inspect: usage: the output is sealed to a recipient: give its key with -i (see ccc-combine --help)
1: 2"
	ccc-keygen recipient -o other.key -p other.pub
	served ccc-combine -i other.key --serve
	answers a 1
	assert_output "ccc-inspect: decryption failed: request 1: the output does not open with this key (sealed to another recipient, or altered)
1: 1"
	crun -1 ccc-combine --result 06-result -i other.key -o x
	assert_stderr "ccc-combine: decryption failed: 06-result: the output does not open with this key (sealed to another recipient, or altered)"
}

@test "ccc-combine --serve: usage errors exit 2" {
	crun -2 bash -c 'ccc-combine --serve -o x <fx/f/06-result >a'
	assert_stderr "ccc-combine: usage: --serve reads results from standard input and answers on standard output: it takes only -i (see ccc-combine --help)"
	crun -2 bash -c 'ccc-combine --serve --result f/06-result <fx/f/06-result >a'
	assert_stderr "ccc-combine: usage: --serve reads results from standard input and answers on standard output: it takes only -i (see ccc-combine --help)"
	crun -2 bash -c 'ccc-combine --serve -k fx/k/tpk.cbor <fx/f/06-result >a'
	assert_stderr "ccc-combine: usage: --serve reads results from standard input and answers on standard output: it takes only -i (see ccc-combine --help)"
}
