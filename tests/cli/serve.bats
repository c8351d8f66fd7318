#!/usr/bin/env bats
# A node serving many requests in one process (ccc-reencrypt --serve): a
# CBOR sequence of certified requests in, one ccc/answer/v1 out for each,
# in order, each written as soon as its request is served; every request
# served exactly as the one-shot request mode serves it, on the same
# state.
bats_require_minimum_version 1.5.0
load helpers

NB=1000000000
NA=4000000000

# In $BATS_FILE_TMPDIR, made once: the oracles, roster, pool, attestation
# policy and enclave key of oracle_fixtures; k57/ the 5-of-7 key; msg,
# encrypted for app:A as ct.A; req1 and req2, two requests of app A for
# ct.A, certified by oracles 1-3 as cert1 and cert2.
setup_file() {
	local i r
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		ccc-keygen dealer -t 5 -n 7 -d k57
		printf 'the enclave reads this\n' >msg
		ccc-encrypt -k k57/tpk.cbor -l app:A -o ct.A msg
		for r in 1 2; do
			ccc-quorum-sign request -a A -m "$(printf '%096d' 0)" \
			    -k k57/tpk.cbor -r roster -P pool -K epub \
			    -E "$((3600 + r))" -o "req$r" ct.A
			for i in 1 2 3; do
				ccc-quorum-sign sign -i "o$i.key" -k k57/tpk.cbor \
				    -A attest.policy -r roster -P pool \
				    -o "req$r.sig$i" "req$r"
			done
			ccc-quorum-sign combine -r roster -c "req$r" \
			    -o "cert$r" "req$r.sig1" "req$r.sig2" "req$r.sig3"
		done
	)
}

setup() {
	use_fixtures
}

# serve I IN OUT [ARG...]: node I serves the requests in IN, in one
# process, its state in stI, its answers to OUT.
serve() {
	local i=$1 in=$2 out=$3
	shift 3
	crun bash -c 'o=$1; shift; ccc-reencrypt "$@" <"$0" >"$o"' "$in" "$out" \
	    -s "fx/k57/share-$i.cbor" -k fx/k57/tpk.cbor -r fx/roster \
	    -A fx/attest.policy -P fx/pool -d "st$i" --serve "$@"
}

# released ANSWERS N OUT: the released bytes of the Nth answer, to OUT.
released() {
	write_hex "$(ccc-inspect "$1" |
	    sed -n 's/^  "output": "\(.*\)"$/\1/p' | sed -n "$2p")" "$3"
}

# answer STATUS RID ERROR: an answer without released bytes, as
# ccc-inspect prints it.
answer() {
	printf '{\n  "type": "ccc/answer/v1",\n  "status": %s,\n' "$1"
	[[ -z $2 ]] || printf '  "request_id": "%s",\n' "$2"
	printf '  "error": "%s"\n}\n' "$3"
}

@test "--serve: one process per node serves two requests; any 5 nodes' answers decrypt each" {
	local i n
	cat fx/cert1 fx/cert2 >in
	for i in 1 2 3 4 5 6; do
		serve "$i" in "a$i"
		((status == 0))
		assert_stderr_empty
		assert_output_empty
		for n in 1 2; do
			released "a$i" "$n" "s$i.$n"
			# Sealed to the enclave key, bound to the request.
			[[ "$(field_hex "s$i.$n" recipient)" == "$(field_hex fx/epub pk)" ]]
			[[ "$(field_hex "s$i.$n" context)" == "$(field_hex "fx/req$n" request_id)" ]]
		done
		# Each answer: status 0, the request's id, what was released.
		crun -0 ccc-inspect "a$i"
		assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}\n{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
		    "$(field_hex fx/req1 request_id)" "$(hex_of "s$i.1")" \
		    "$(field_hex fx/req2 request_id)" "$(hex_of "s$i.2")")"
		# Logged as the one-shot mode logs.
		crun -0 ccc-inspect -L "st$i"
		assert_output "st$i/access.log: 2 entries, chained and matching its head"
	done
	for n in 1 2; do
		crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R "fx/req$n" \
		    -o "pt$n" "s2.$n" "s4.$n" "s6.$n" "s1.$n" "s3.$n"
		assert_stderr_empty
		assert_same "pt$n" fx/msg
		crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R "fx/req$n" \
		    -o "pt$n.b" "s2.$n" "s3.$n" "s4.$n" "s5.$n" "s6.$n"
		assert_same "pt$n.b" fx/msg
	done
	# A share of one request does not count for the other.
	crun -1 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/req1 -o x \
	    s1.1 s2.1 s3.1 s4.1 s5.2
	assert_stderr "ccc-combine: not enough shares: fx/req1: item 1: 4 valid shares, 5 needed; node 5 (s5.2): made for another request"
}

@test "--serve --commitments: each release's shares carry their commitments; any 5 decrypt" {
	local i
	for i in 1 2 3 4 5; do
		serve "$i" fx/cert1 "a$i" --commitments
		((status == 0))
		assert_stderr_empty
		released "a$i" 1 "s$i"
		# One sealed record of 307 bytes (614 hex digits).
		[[ $(ccc-inspect "s$i" | grep -c '^    "[0-9a-f]\{614\}"$') == 1 ]]
	done
	crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/req1 -o pt \
	    s5 s1 s4 s2 s3
	assert_stderr_empty
	assert_same pt fx/msg
}

@test "--serve: a refused request is answered with the one-shot's status and reason, and the next is served" {
	cat fx/cert1 fx/cert1 fx/ct.A fx/cert2 >in
	serve 1 in a
	((status == 0))
	assert_stderr_empty
	released a 1 s1
	released a 2 s2
	crun -0 ccc-inspect a
	assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}\n' \
	    "$(field_hex fx/req1 request_id)" "$(hex_of s1)")
$(answer 1 "$(field_hex fx/req1 request_id)" "replayed: request 2: request $(field_hex fx/req1 request_id | cut -c1-16)... was already served by node 1")
$(answer 1 "" "wrong blob type: request 3: at byte 0: expected a quorum certificate (ccc/certified/v1), found a ciphertext (ccc/ct/v1)")
$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$(field_hex fx/req2 request_id)" "$(hex_of s2)")"
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
	# The same state as the one-shot mode: what one served, the other
	# refuses.
	crun -1 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -d st1 -o again fx/cert2
	assert_stderr "ccc-reencrypt: replayed: fx/cert2: request $(field_hex fx/req2 request_id | cut -c1-16)... was already served by node 1"
	assert_no_file again
	crun -0 ccc-reencrypt -s fx/k57/share-2.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -d st2 -o once fx/cert1
	serve 2 fx/cert1 b
	((status == 0))
	crun -0 ccc-inspect b
	assert_output "$(answer 1 "$(field_hex fx/req1 request_id)" "replayed: request 1: request $(field_hex fx/req1 request_id | cut -c1-16)... was already served by node 2")"
}

@test "--serve: input that is not a CBOR item ends serving after the answers before it" {
	{ cat fx/cert1; printf '\xff\x00'; } >in
	serve 1 in a
	((status == 1))
	assert_stderr "ccc-reencrypt: malformed input: standard input: item 2: at byte $(size_of fx/cert1): unexpected break"
	released a 1 s1
	crun -0 ccc-inspect a
	assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$(field_hex fx/req1 request_id)" "$(hex_of s1)")"
	# No input: no answer, exit 0.
	serve 1 /dev/null none
	((status == 0))
	assert_stderr_empty
	[[ -f none && ! -s none ]]
}

# num FILE FIELD: a numeric field of a blob, as ccc-inspect prints it.
num() {
	ccc-inspect "$1" | sed -n "s/^  \"$2\": \\([0-9]*\\),\\{0,1\\}\$/\\1/p"
}

@test "--serve: an answer that cannot be written leaves its release to the same request sent again" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	local m kept rid
	rid=$(field_hex fx/req1 request_id)
	m=st1/served/e$(($(num fx/req1 expires) / 21600))/$rid
	kept=$m.sealed
	serve 1 fx/cert1 /dev/full
	((status == 2))
	assert_stderr "ccc-reencrypt: i/o error: stdout: No space left on device"
	# Logged with the digest of the blob it kept, not marked released:
	# its answer never went out.
	[[ "$(cat "$m")" == "pending $(num fx/req1 expires)" ]]
	[[ "$(field_hex st1/access.log sealed_digest)" == "$(sha256sum <"$kept" | cut -c1-64)" ]]
	save st1/access.log st1/access.head
	# Sent again, it gets the very blob the log entry names, logged once.
	serve 1 fx/cert1 a
	((status == 0))
	assert_stderr_empty
	released a 1 s1
	[[ "$(field_hex st1/access.log sealed_digest)" == "$(sha256sum <s1 | cut -c1-64)" ]]
	assert_unchanged st1/access.log st1/access.head
	# Out now: released, the kept blob gone, and a third time a replay.
	[[ "$(cat "$m")" == "released $(num fx/req1 expires)" ]]
	assert_no_file "$kept"
	serve 1 fx/cert1 b
	((status == 0))
	crun -0 ccc-inspect b
	assert_output "$(answer 1 "$rid" "replayed: request 1: request $(echo "$rid" | cut -c1-16)... was already served by node 1")"
	# What was released decrypts with four other nodes' shares.
	local i
	for i in 2 3 4 5; do
		serve "$i" fx/cert1 "a$i"
		released "a$i" 1 "s$i"
	done
	crun -0 ccc-combine -k fx/k57/tpk.cbor -i fx/ek -R fx/req1 -o pt s1 \
	    s2 s3 s4 s5
	assert_same pt fx/msg
}

@test "--serve, request mode: with standard output closed nothing is served, nothing logged" {
	crun -2 bash -c 'ccc-reencrypt "$@" <fx/cert1 >&-' _ \
	    -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor -r fx/roster \
	    -A fx/attest.policy -P fx/pool -d st1 --serve
	assert_stderr "ccc-reencrypt: i/o error: stdout: standard output is closed"
	assert_no_file st1/access.log
	# The one-shot request mode, its release to standard output.
	crun -2 bash -c 'ccc-reencrypt "$@" >&-' _ -s fx/k57/share-1.cbor \
	    -k fx/k57/tpk.cbor -r fx/roster -A fx/attest.policy -P fx/pool \
	    -d st1 fx/cert1
	assert_stderr "ccc-reencrypt: i/o error: stdout: standard output is closed"
	assert_no_file st1/access.log
	# Served once it can answer.
	serve 1 fx/cert1 a
	((status == 0))
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 1 entry, chained and matching its head"
}

# rest TO FROM PID: the end of a server on two FIFOs: its input closed
# (descriptor TO), the answers left on FROM read into rest, its exit
# awaited (status 0, nothing on its stderr, err), rest inspected (crun).
rest() {
	local to=$1 from=$2
	exec {to}>&-
	cat <&"$from" >rest
	exec {from}<&-
	wait "$3" || fail "the server exited with status $?"
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	crun -0 ccc-inspect rest
}

@test "--serve: each answer is written when its request is served, before the next arrives" {
	local size pid to from
	# What a refusal answers, byte for byte.
	serve 1 fx/ct.A expected
	((status == 0))
	size=$(size_of expected)
	# On two FIFOs, not a coprocess: bash closes a coprocess's
	# descriptors when it exits, before its last answer is read.
	mkfifo to from
	ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    -r fx/roster -A fx/attest.policy -P fx/pool -d st1 --serve \
	    <to >from 2>err 3>&- &
	pid=$!
	exec {to}>to {from}<from
	cat fx/ct.A >&"$to"
	# Blocks until the answer is there: a server that waited for more
	# input would never answer (timeout: status 124).
	timeout 600 head -c "$size" <&"$from" >got
	assert_same got expected
	cat fx/cert1 >&"$to"
	rest "$to" "$from" "$pid"
	assert_contains "$output" "  \"status\": 0,"
	assert_contains "$output" "  \"request_id\": \"$(field_hex fx/req1 request_id)\","
}

@test "ccc-inspect --answer: one answer read to the byte, its output out, its status the exit status" {
	cat fx/cert1 fx/cert1 fx/cert2 >in
	serve 1 in a
	((status == 0))
	released a 1 s1
	released a 2 s2
	# Three answers on one input, read one by one; nothing is read past
	# an answer, so the next reader gets the next.
	crun bash -c 'ccc-inspect --answer -o o1 && { ccc-inspect --answer >o2; echo "second: $?"; } && ccc-inspect --answer -o o3' <a
	((status == 0))
	assert_output "second: 1"
	assert_stderr "ccc-inspect: replayed: request 2: request $(field_hex fx/req1 request_id | cut -c1-16)... was already served by node 1"
	assert_same o1 s1
	[[ -f o2 && ! -s o2 ]]
	assert_same o3 s2
	# No answer left.
	crun -1 ccc-inspect --answer -o o4 </dev/null
	assert_stderr "ccc-inspect: truncated input: standard input: no answer: the input ended"
	assert_no_file o4
	# An answer's status 2 is the exit status; its line is escaped.
	write_hex a3006d6363632f616e737765722f76310102036b6e6f0a7370616365211b5b a2
	crun -2 ccc-inspect --answer <a2
	assert_stderr 'ccc-inspect: no\nspace!\033['
	assert_output_empty
	# Not an answer; half an answer.
	crun -1 ccc-inspect --answer <fx/cert1
	assert_stderr "ccc-inspect: wrong blob type: standard input: at byte 0: expected a serving tool's answer (ccc/answer/v1), found a quorum certificate (ccc/certified/v1)"
	head -c 20 a >half
	crun -1 ccc-inspect --answer <half
	assert_stderr "ccc-inspect: truncated input: standard input: at byte 19: input ends inside an item"
	crun -2 ccc-inspect --answer a
	assert_stderr "ccc-inspect: usage: --answer reads standard input and takes only -o and -f (see ccc-inspect --help)"
	crun -2 ccc-inspect -o x a
	assert_stderr "ccc-inspect: usage: -o and -f apply to --answer (see ccc-inspect --help)"
}

@test "--serve: usage errors exit 2" {
	serve 1 fx/cert1 a fx/cert1
	((status == 2))
	assert_stderr "ccc-reencrypt: usage: --serve reads its requests from standard input and answers on standard output (no CERTIFIED, -o, -f or -v) (see ccc-reencrypt --help)"
	serve 1 fx/cert1 a -o out
	((status == 2))
	assert_stderr "ccc-reencrypt: usage: --serve reads its requests from standard input and answers on standard output (no CERTIFIED, -o, -f or -v) (see ccc-reencrypt --help)"
	crun -2 ccc-reencrypt -s fx/k57/share-1.cbor -k fx/k57/tpk.cbor \
	    --to fx/epub --serve
	assert_stderr "ccc-reencrypt: usage: --serve applies to request mode (-r) (see ccc-reencrypt --help)"
	assert_no_file st1 out
}

@test "--serve: the keys and policies are read once, before any request" {
	serve 1 fx/cert1 a -p missing.policy
	((status == 2))
	assert_stderr "ccc-reencrypt: i/o error: missing.policy: No such file or directory"
	[[ -f a && ! -s a ]]
	assert_no_file st1
}

@test "--serve: through ccc-serve, the forced command of a node's ssh key, over one connection" {
	local f
	mkdir srv
	for f in k57/share-3.cbor k57/tpk.cbor roster attest.policy aroot.pem pool; do
		cp "fx/$f" "srv/${f#k57/}"
	done
	cat fx/cert1 fx/cert2 >in
	SSH_ORIGINAL_COMMAND='in node-3 ccc-reencrypt -s ../share-3.cbor -k ../tpk.cbor -r ../roster -A ../attest.policy -P ../pool -d st --serve' \
	    crun -2 "$TOP_SRCDIR/scripts/ccc-serve" node srv
	assert_stderr "ccc-serve: refused: '../share-3.cbor': a \"..\" (nothing outside the directory is named)"
	SSH_ORIGINAL_COMMAND='ccc-reencrypt -s share-3.cbor -k tpk.cbor -r roster -A attest.policy -P pool -d st --serve' \
	    crun -0 bash -c '"$0" node srv <in >a' "$TOP_SRCDIR/scripts/ccc-serve"
	assert_stderr_empty
	released a 1 s1
	released a 2 s2
	crun -0 ccc-inspect a
	assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}\n{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$(field_hex fx/req1 request_id)" "$(hex_of s1)" \
	    "$(field_hex fx/req2 request_id)" "$(hex_of s2)")"
	[[ "$(ccc-inspect s1 | sed -n 's/^  "index": \([0-9]*\),$/\1/p')" == 3 ]]
	crun -0 ccc-inspect -L srv/st
	assert_output "srv/st/access.log: 2 entries, chained and matching its head"
}

# serve_as ROLE DIR COMMAND [PINNED...]: ccc-serve as sshd runs it for a
# key whose forced command is "ccc-serve ROLE DIR PINNED...", the client
# having asked for COMMAND; standard input and output are the caller's.
serve_as() {
	SSH_ORIGINAL_COMMAND=$3 "$TOP_SRCDIR/scripts/ccc-serve" "$1" "$2" \
	    "${@:4}"
}

@test "ccc-serve, a pinned command: the orchestrating key gets it served and nothing else, never the node's files" {
	local f pin
	mkdir srv
	for f in k57/share-3.cbor k57/tpk.cbor roster attest.policy aroot.pem pool; do
		cp "fx/$f" "srv/${f#k57/}"
	done
	ccc-keygen recipient -o evil.key -p srv/evil.pub
	cat fx/cert1 fx/cert2 >in
	pin=(ccc-reencrypt -s share-3.cbor -k tpk.cbor -r roster -A attest.policy
	    -P pool -d st --serve)
	export -f serve_as
	crun -0 bash -c 'serve_as node srv serve "${@}" <in >a' _ "${pin[@]}"
	assert_stderr_empty
	released a 1 s1
	released a 2 s2
	[[ "$(ccc-inspect s1 | sed -n 's/^  "index": \([0-9]*\),$/\1/p')" == 3 ]]
	crun -0 ccc-inspect -L srv/st
	assert_output "srv/st/access.log: 2 entries, chained and matching its head"
	# The client's own command line: direct mode to its key, its own
	# roster and state, the enclave's key to standard output; a file put.
	for f in 'ccc-reencrypt -s share-3.cbor -k tpk.cbor --to evil.pub' \
	    'ccc-reencrypt -s share-3.cbor -k tpk.cbor -r evil -A evil -P evil -d evil' \
	    'serve --to evil.pub' 'in x serve' 'put roster' \
	    'ccc-enclave-run keygen -a e.key -n 00 -s - -o k.pub'; do
		crun -2 serve_as node srv "$f" "${pin[@]}" <fx/ct.A
		assert_stderr "ccc-serve: refused: '${f%% *}': this key may only ask for serve (the pinned ccc-reencrypt) or get"
		assert_output_empty
	done
	crun -2 serve_as node srv 'get share-3.cbor' "${pin[@]}"
	assert_stderr "ccc-serve: refused: get: share-3.cbor: a secret (others cannot read it)"
	serve_as node srv 'get pool' "${pin[@]}" >got
	assert_same got fx/pool
	crun -2 serve_as node srv serve put x
	assert_stderr "ccc-serve: refused: a pinned command is a ccc tool, not 'put'"
	crun -2 serve_as node srv serve ccc-encrypt -k tpk.cbor
	assert_stderr "ccc-serve: refused: ccc-encrypt: not a command of the node role"
	crun -0 ccc-inspect -L srv/st
	assert_output "srv/st/access.log: 2 entries, chained and matching its head"
}

@test "ccc-serve put: no set-id bit survives, and a secret is never replaced by a file others can read" {
	mkdir -p srv src/st
	printf 'secret\n' >srv/identity.key
	chmod 600 srv/identity.key
	save srv/identity.key
	printf 'attacker\n' >src/identity.key
	chmod 644 src/identity.key
	(cd src && tar -cf ../p.tar identity.key)
	crun -2 serve_as node srv 'put identity.key' <p.tar
	assert_stderr "ccc-serve: refused: put: identity.key: a secret is there (others cannot read it); the archive's file would be readable by others"
	assert_unchanged srv/identity.key
	assert_mode 600 srv/identity.key
	# A secret for a secret (a share shipped again): stored, still 0600.
	chmod 600 src/identity.key
	(cd src && tar -cf ../p.tar identity.key)
	crun -0 serve_as node srv 'put identity.key' <p.tar
	assert_same srv/identity.key src/identity.key
	assert_mode 600 srv/identity.key
	# Set-user-id, set-group-id and sticky bits are dropped.
	printf '#!/bin/sh\n' >src/tool
	chmod 6755 src/tool
	(cd src && tar -cf ../t.tar tool)
	crun -0 serve_as node srv 'put tool' <t.tar
	assert_mode 755 srv/tool
	[[ $(stat -c %A srv/tool) == -rwxr-xr-x ]]
}

# ---- an oracle: ccc-quorum-sign sign --serve ---------------------------------

# oracle_serve I IN OUT [ARG...]: oracle I checks and signs the requests in
# IN, in one process, its answers to OUT.
oracle_serve() {
	local i=$1 in=$2 out=$3
	shift 3
	crun bash -c 'o=$1; shift; ccc-quorum-sign "$@" <"$0" >"$o"' "$in" "$out" \
	    sign -i "fx/o$i.key" -k fx/k57/tpk.cbor -A fx/attest.policy \
	    -r fx/roster -P fx/pool --serve "$@"
}

@test "sign --serve: one oracle process signs a stream of requests, byte for byte as sign signs each" {
	cat fx/req1 fx/ct.A fx/req2 fx/cert1 >in
	oracle_serve 1 in a
	((status == 0))
	assert_stderr_empty
	assert_output_empty
	# Ed25519 is deterministic: the very signatures sign made of each.
	crun -0 ccc-inspect a
	assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$(field_hex fx/req1 request_id)" "$(hex_of fx/req1.sig1)")
$(answer 1 "" "wrong blob type: request 2: --serve signs only requests (ccc/request/v1) and results (ccc/result/v1), not ccc/ct/v1")
$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$(field_hex fx/req2 request_id)" "$(hex_of fx/req2.sig1)")
$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s"\n}' "$(field_hex fx/req1 request_id)")"
	# A request the oracle refuses: expired at the time given.
	local exp
	exp=$(ccc-inspect fx/req1 | sed -n 's/^  "expires": \([0-9]*\),$/\1/p')
	oracle_serve 2 fx/req1 b --now "$((exp + 1))"
	((status == 0))
	crun -0 ccc-inspect b
	assert_output "$(answer 1 "$(field_hex fx/req1 request_id)" "expired: request 1: the request expired at $(utc "$exp") (now $(utc "$((exp + 1))"))")"
}

@test "sign --serve: a result is signed after the certified request it answers, byte for byte as sign -F signs it" {
	crun -0 ccc-flow -d f -x /bin/cat
	cd f
	local rid o=(-i 00-keys/oracle-2.key -k 00-keys/committee/tpk.cbor
	    -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool --serve)
	rid=$(field_hex 02-request request_id)
	cat 03-certified 06-result >in
	crun -0 bash -c 'ccc-quorum-sign sign "$@" <in >a' - "${o[@]}"
	assert_stderr_empty
	# The certified request: checked, kept, answered without a signature;
	# the result: the very signature ccc-flow's oracle 2 made with -F.
	crun -0 ccc-inspect a
	assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s"\n}\n{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$rid" "$rid" "$(hex_of 07-sig-oracle-2)")"
	# Without it, or after a certificate of something else, refused.
	cat 00-keys/pool 06-result >in2
	crun -0 bash -c 'ccc-quorum-sign sign "$@" <in2 >b' - "${o[@]}"
	crun -0 ccc-inspect b
	assert_output "$(answer 1 "" "wrong blob type: request 1: the certificate carries an enclave pool, not a computation request")
$(answer 1 "$rid" "refused by policy: request 2: no certified request ${rid:0:16}... came before its result (send it first)")"
}

@test "sign --serve: the pool's certificate, counted once, is counted again when its bytes change: one bad signature of three is refused" {
	local pid to from reason
	# The pool signed by oracles 1-3 only (the roster needs 3), then the
	# same with a bit of the last signature flipped.
	ccc-quorum-sign combine -r fx/roster -b fx/pool.blob -o pool3 \
	    fx/pool.o1 fx/pool.o2 fx/pool.o3
	flip_bit pool3 "$(($(size_of pool3) - 1))" 0 bad3
	# What the one-shot sign says of req2 under that pool.
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P bad3 -o x fx/req2
	# (Oracle 4 and the one whose signature is last, in the roster's
	# order of ids: it depends on the fixture's keys.)
	[[ $stderr =~ ^ccc-quorum-sign:\ bad\ signature:\ bad3:\ (2\ valid\ signatures,\ roster\ \"oracles\"\ needs\ 3\;\ not\ signed\ by\ oracle-[1-4],\ oracle-[1-4])$ ]] ||
	    fail "stderr: $stderr"
	reason=${BASH_REMATCH[1]}
	cp pool3 pool
	mkfifo to from
	ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P pool --serve <to >from \
	    2>err 3>&- &
	pid=$!
	exec {to}>to {from}<from
	cat fx/req1 >&"$to"
	# The first request under the good pool: signed (its answer read
	# to the byte before the pool changes).
	timeout 600 ccc-inspect --answer <&"$from" >got1
	assert_same got1 fx/req1.sig1
	cp bad3 pool
	cat fx/req2 >&"$to"
	rest "$to" "$from" "$pid"
	# As the one-shot says it of the pool (its quotes escaped in JSON).
	assert_output "$(answer 1 "" "bad signature: pool: ${reason//\"/\\\"}")"
}

@test "sign --serve: usage errors exit 2" {
	crun -2 bash -c 'ccc-quorum-sign sign -i fx/o1.key -k fx/k57/tpk.cbor -r fx/roster -P fx/pool --serve <fx/req1 >a'
	assert_stderr "ccc-quorum-sign: usage: sign --serve signs requests and results: it needs -k TPK, -A POLICY, -r ROSTER and -P POOL (see ccc-quorum-sign --help)"
	oracle_serve 1 fx/req1 a fx/req1
	((status == 2))
	assert_stderr "ccc-quorum-sign: usage: sign --serve reads its requests from standard input and answers on standard output (no FILE, -o, -f, -F, -C, -X or -S) (see ccc-quorum-sign --help)"
	oracle_serve 1 fx/req1 a -F fx/cert1
	((status == 2))
	assert_stderr "ccc-quorum-sign: usage: sign --serve reads its requests from standard input and answers on standard output (no FILE, -o, -f, -F, -C, -X or -S) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 1 -N x --serve fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: roster does not take \"--serve\" (see ccc-quorum-sign --help)"
}

# preload_ok OPTIONS: ASan's options with the sync counter preloaded
# before its runtime (a sanitizer build; harmless in the release one).
preload_ok() {
	echo "${1:+$1:}verify_asan_link_order=0"
}

@test "--serve: a release syncs the node's state twice, whatever it serves before" {
	local shim=${CCC_BIN%/cmd}/bench/fsync-count.so
	[[ -f $shim ]] || fail "no $shim (make check builds it)"
	cat fx/cert1 fx/cert2 >in
	# Two releases: each a syncfs before its entry and an fsync of the
	# log (the new head is made durable by the next syncfs); once, the
	# log's first head, the new bucket's and the new log's directory.
	CCC_FSYNC_LOG=$PWD/syncs LD_PRELOAD=$shim ASAN_OPTIONS=$(preload_ok "${ASAN_OPTIONS-}") \
	    CCC_CRUN_ASAN_OPTIONS=$(preload_ok "${CCC_CRUN_ASAN_OPTIONS-}") serve 1 in a
	((status == 0))
	# (Every process of the command reports: the shell's count is 0.)
	[[ $(awk '{ s += $1 } END { print s }' syncs) == 7 ]] ||
	    fail "syncs: $(cat syncs)"
	crun -0 ccc-inspect -L st1
	assert_output "st1/access.log: 2 entries, chained and matching its head"
	# A refusal syncs nothing.
	rm syncs
	CCC_FSYNC_LOG=$PWD/syncs LD_PRELOAD=$shim ASAN_OPTIONS=$(preload_ok "${ASAN_OPTIONS-}") \
	    CCC_CRUN_ASAN_OPTIONS=$(preload_ok "${CCC_CRUN_ASAN_OPTIONS-}") serve 1 in b
	((status == 0))
	[[ $(awk '{ s += $1 } END { print s }' syncs) == 0 ]] ||
	    fail "syncs: $(cat syncs)"
}
