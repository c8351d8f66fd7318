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

# head_hex MAJOR N: the hex of a CBOR head (N < 2^32); bstr_hex FILE: the
# hex of FILE's bytes as a CBOR byte string.
head_hex() {
	local m=$(($1 << 5)) n=$2
	if ((n < 24)); then printf '%02x' $((m | n))
	elif ((n < 256)); then printf '%02x%02x' $((m | 24)) "$n"
	elif ((n < 65536)); then printf '%02x%04x' $((m | 25)) "$n"
	else printf '%02x%08x' $((m | 26)) "$n"
	fi
}
bstr_hex() {
	head_hex 2 "$(size_of "$1")"
	hex_of "$1"
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
	crun -2 ccc-quorum-sign pool -N p --serve fx/enc.pem
	assert_stderr "ccc-quorum-sign: usage: pool does not take \"--serve\" (see ccc-quorum-sign --help)"
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

# In the ccc-flow run fx/f: RS, request --serve's options (the flow's
# program, key, roster and pool; public output).
RS=(-a demo -x fx/f/02-program -k fx/f/00-keys/committee/tpk.cbor
    -r fx/f/00-keys/roster -P fx/f/00-keys/pool -O public)

# flow_time: a minute after the run fx/f made its request, the time the
# tests below give every command (--now), whatever the clock says.
flow_time() {
	echo $(($(ccc-inspect fx/f/02-request |
	    sed -n 's/^  "created": \([0-9]*\),$/\1/p') + 60))
}

@test "request --serve: an assignment, then the request of the key its enclave made, byte for byte as assign and request make them" {
	local rid eid name other t
	t=$(flow_time)
	crun -0 ccc-quorum-sign assign --item -o in
	crun -0 ccc-inspect in
	assert_output "$(printf '{\n  "type": "ccc/assign-order/v1"\n}')"
	served ccc-quorum-sign request "${RS[@]}" --now "$t" --serve
	((status == 0))
	assert_stderr_empty
	answers a 1
	assert_output "1: 0"
	read -r rid eid name <a.1
	[[ $rid =~ ^[0-9a-f]{64}$ && $name =~ ^enclave-[12]$ ]] || fail "$(cat a.1)"
	# The answer carries the fresh request id; its own assignment names
	# the enclave the one-shot assign names for it.
	crun -0 ccc-inspect a
	[[ $output == *"\"request_id\": \"$rid\""* ]] || fail "no request id"
	crun -0 ccc-quorum-sign assign -r fx/f/00-keys/roster -P fx/f/00-keys/pool \
	    --assignment "$rid" --now "$t"
	[[ $output == *" $eid $name" ]] || fail "one-shot: $output"
	# The assigned enclave's key for it, and the other's.
	other=enclave-$((3 - ${name#enclave-}))
	ccc-enclave-run keygen -a "fx/f/00-keys/$name.key" -n "$rid" \
	    --now "$t" -s k.key -o k.pub
	ccc-enclave-run keygen -a "fx/f/00-keys/$other.key" -n "$rid" \
	    --now "$t" -s x.key -o x.pub
	crun -0 ccc-quorum-sign request "${RS[@]}" --now "$t" -K k.pub -I "$rid" \
	    -o one fx/f/01-input.ct
	crun -1 ccc-quorum-sign request "${RS[@]}" --now "$t" -K x.pub -I "$rid" \
	    -o x fx/f/01-input.ct
	local why=${stderr#ccc-quorum-sign: }
	crun -0 ccc-quorum-sign request --item -K k.pub -I "$rid" -o good \
	    fx/f/01-input.ct
	crun -0 ccc-quorum-sign request --item -K x.pub -I "$rid" -o bad \
	    fx/f/01-input.ct
	cat good bad good >in
	served ccc-quorum-sign request "${RS[@]}" --now "$t" --serve
	((status == 0))
	assert_stderr_empty
	answers a 3
	assert_output "1: 0
ccc-inspect: ${why/x.pub/request 2}
2: 1
3: 0"
	assert_same a.1 one
	assert_same a.3 one
}

@test "request --item: the order of the keys, ciphertexts and ids, byte for byte; assign --item: of the assignment and replicas" {
	local id want
	id=$(printf '%064d' 7)
	crun -0 ccc-quorum-sign request --item -K fx/epub -K fx/epub --agree 2 \
	    -I "$id" --assignment "$id" -o i fx/ct.A fx/ct.A
	# {0: type, 1: [key, key], 2: [ct, ct], 3: id, 4: assignment, 6: 2}
	want=a600$(head_hex 3 20)$(hex_str ccc/request-order/v1)0182
	want+=$(bstr_hex fx/epub)$(bstr_hex fx/epub)0282
	want+=$(bstr_hex fx/ct.A)$(bstr_hex fx/ct.A)035820${id}045820${id}0602
	[[ $(hex_of i) == "$want" ]] || fail "item: $(hex_of i)"
	# A file of a sequence of ciphertexts gives each, as request reads it.
	cat fx/ct.A fx/ct.A >two
	crun -0 ccc-quorum-sign request --item -K fx/epub -K fx/epub --agree 2 \
	    -I "$id" --assignment "$id" -o i2 two
	assert_same i2 i
	crun -1 ccc-quorum-sign request --item -K fx/epub -o i3 fx/epub
	assert_stderr "ccc-quorum-sign: wrong blob type: fx/epub: item 1: at byte 0: expected a ciphertext (ccc/ct/v1), found an attested enclave key (ccc/enclave-key/v1)"
	assert_no_file i3
	crun -0 ccc-quorum-sign assign --item --replicas 2 --assignment "$id" -o j
	crun -0 ccc-inspect j
	assert_output "$(printf '{\n  "type": "ccc/assign-order/v1",\n  "assignment": "%s",\n  "replicas": 2\n}' "$id")"
	want=a300$(head_hex 3 19)$(hex_str ccc/assign-order/v1)015820${id}0302
	[[ $(hex_of j) == "$want" ]] || fail "item: $(hex_of j)"
}

@test "request --serve: an order it cannot make is refused with the reason, and the next is served" {
	local t
	t=$(flow_time)
	# A ciphertext in the enclave key's place; three replicas of a pool
	# of two; --agree with one key (made by hand: request --item refuses
	# it).
	crun -0 ccc-quorum-sign request --item -K fx/f/01-input.ct -o notkey \
	    fx/f/01-input.ct
	crun -0 ccc-quorum-sign assign --item --replicas 3 -o three
	write_hex "a400$(head_hex 3 20)$(hex_str ccc/request-order/v1)0181$(bstr_hex fx/f/02-request.pub)0281$(bstr_hex fx/f/01-input.ct)0601" agree1
	cat notkey three agree1 >in
	served ccc-quorum-sign request "${RS[@]}" --now "$t" --serve
	((status == 0))
	answers a 3
	assert_output "ccc-inspect: wrong blob type: request 1: at byte 25: enclave_keys: not an attested enclave key
1: 1
ccc-inspect: refused by policy: fx/f/00-keys/pool: pool \"ccc-flow\" has 2 active enclaves left, 3 replicas asked
2: 1
ccc-inspect: usage: request 3: agree needs several enclave keys (see ccc-quorum-sign --help)
3: 2"
}

@test "request --serve, request --item, assign --item: usage errors exit 2" {
	crun -2 bash -c 'ccc-quorum-sign request -a demo -x fx/f/02-program -k fx/f/00-keys/committee/tpk.cbor --serve <fx/req >a'
	assert_stderr "ccc-quorum-sign: usage: request --serve needs -a, -x or -m, -k, -r and -P (see ccc-quorum-sign --help)"
	crun -2 bash -c 'ccc-quorum-sign request "$@" --serve -K fx/epub <fx/req >a' - "${RS[@]}"
	assert_stderr "ccc-quorum-sign: usage: request --serve reads its orders from standard input and answers on standard output (no CT, -K, --agree, -I, --assignment, -X, -o or -f) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request --item -o x fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: request --item needs -K and ciphertexts (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request --item -a demo -K fx/epub -o x fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: request --item makes an item of keys, ciphertexts and ids: the serving process has the rest (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request --item -K fx/epub --agree 1 -o x fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: --agree needs several -K (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign assign --item -r fx/roster -o x
	assert_stderr "ccc-quorum-sign: usage: assign --item makes an item, it checks nothing (no -r, -P or --now) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign assign -r fx/roster -P fx/pool -o x
	assert_stderr "ccc-quorum-sign: usage: assign prints its lines: -o and -f are for --item (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign assign --serve -r fx/roster -P fx/pool
	assert_stderr "ccc-quorum-sign: usage: assign does not take \"--serve\" (see ccc-quorum-sign --help)"
	assert_no_file x
}
