#!/usr/bin/env bats
# ccc-enclave-run: a certified request's code runs on its decrypted inputs
# and its result is attested; every check before the run refuses with its
# own line and writes nothing; the per-request key is erased once used;
# the sandbox stops what the code may not do, and then nothing is attested.
#
# The set-up: a 3-of-5 threshold key, 4 oracles with q=3, a software
# attestation root with two enclaves; 4 decryption nodes serve each request.
bats_require_minimum_version 1.5.0
load helpers

# In $BATS_FILE_TMPDIR, made once (enclave_fixtures, and more):
#   key/             the 3-of-5 dealer key
#   o1..o4.key/.pub  the oracles "oracle-1".."oracle-4"
#   roster           q=3 of o1..o4 ("oracles")
#   root.key/.pem    the software attestation root "demo-root"
#   e1.key/.pem      enclave-1 under it; e2.key/.pem enclave-2
#   rcpt.key/.pub    the recipient of sealed outputs; other.key/.pub not
#   msg, ct          "hello\n" encrypted for app:demo
#   pol              an attestation policy trusting the root (software)
#   attest.policy    the same for documents of any age (the enclave keys)
#   pool             the enclave pool: enclave-1 (operator "test")
setup_file() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		enclave_fixtures
		ccc-keygen enclave-cert -r root.key -o e2.key -p e2.pem \
		    -N enclave-2
		ccc-keygen recipient -o rcpt.key -p rcpt.pub
		ccc-keygen recipient -o other.key -p other.pub
	)
}

setup() {
	use_fixtures
	mkdir code
}

# program NAME BODY: the bash script BODY in NAME and, by its SHA-384,
# in the code directory code/.
program() {
	printf '#!/bin/bash\n%s\n' "$2" >"$1"
	cp "$1" "code/$(sha384 "$1")"
}

sha384() {
	sha384sum <"$1" | cut -d' ' -f1
}

# request NAME PROG [REQUEST-OPTION...]: a request of app demo for fx/ct
# to run PROG on enclave-1 with a fresh per-request key NAME.key (its
# attested public blob NAME.pub), certified
# by oracles 1-3 (NAME.cert) and served by nodes 1-4 (NAME.s1..NAME.s4),
# with the options in the array NODE_OPTS (if set).
request() {
	local n=$1 prog=$2 i
	shift 2
	ccc-enclave-run keygen -a fx/e1.key -s "$n.key" -o "$n.pub" &&
	    ccc-quorum-sign request -a demo -x "$prog" -k fx/key/tpk.cbor \
	    -r fx/roster -P fx/pool -K "$n.pub" -o "$n.req" "$@" fx/ct ||
	    return
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "fx/o$i.key" -k fx/key/tpk.cbor \
		    -A fx/attest.policy -r fx/roster -P fx/pool \
		    -o "$n.sig$i" "$n.req" || return
	done
	ccc-quorum-sign combine -r fx/roster -c "$n.req" -o "$n.cert" \
	    "$n.sig1" "$n.sig2" "$n.sig3" || return
	for i in 1 2 3 4; do
		ccc-reencrypt -s "fx/key/share-$i.cbor" -k fx/key/tpk.cbor \
		    -r fx/roster -A fx/attest.policy -P fx/pool -d "st$i" \
		    ${NODE_OPTS+"${NODE_OPTS[@]}"} -o "$n.s$i" "$n.cert" ||
		    return
	done
}

# enclave ARG...: enclave-1 runs, with the code directory code/.
enclave() {
	crun ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key \
	    -c code "$@"
}

# code_fails NAME PROG DETAIL [ENCLAVE-OPTION...]: the code of a request
# for PROG does not finish well: exit 1, DETAIL in the one error line, no
# result.  (The per-request key was used: it is gone.)
code_fails() {
	local n=$1 prog=$2 detail=$3
	shift 3
	request "$n" "$prog"
	enclave "$@" -i "$n.key" -o "$n.res" "$n.cert" "$n.s1" "$n.s2" "$n.s3"
	((status == 1))
	assert_output_empty
	assert_stderr "ccc-enclave-run: code failed: the code $detail; no result and no attestation"
	assert_no_file "$n.res" "$n.key"
	assert_no_temp_files .
}

# num FILE FIELD: a numeric field of a blob.
num() {
	ccc-inspect "$1" | sed -n "s/^  \"$2\": \\([0-9]*\\),\\{0,1\\}\$/\\1/p"
}

# leaf_sha256 PEM: SHA-256 of the DER of the first certificate of a chain,
# the enclave id.
leaf_sha256() {
	openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}

# names_except ROSTER NAME...: the member names of ROSTER in roster order,
# less those given, as the "not signed by" lists give them.
names_except() {
	local r=$1 n out='' skip
	shift
	while read -r n; do
		for skip; do
			[[ "$n" != "$skip" ]] || continue 2
		done
		out+=${out:+, }$n
	done < <(ccc-inspect "$r" |
	    sed -n 's/^      "name": "\(.*\)"$/\1/p')
	printf '%s\n' "$out"
}

# ---- usage -------------------------------------------------------------------

@test "ccc-enclave-run: usage errors" {
	crun -2 ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -i k -c code \
	    c s
	assert_stderr "ccc-enclave-run: usage: needs -r, -k, -i, -a and -x (see ccc-enclave-run --help)"
	enclave -i k c
	((status == 2))
	assert_stderr "ccc-enclave-run: usage: needs the certified request and the sealed shares (see ccc-enclave-run --help)"
	enclave -i k -n 0g c s
	((status == 2))
	assert_stderr "ccc-enclave-run: usage: -n: 1 to 512 hex bytes (see ccc-enclave-run --help)"
	enclave -i k --now soon c s
	((status == 2))
	assert_stderr "ccc-enclave-run: usage: --now: a time in seconds since 1970 (see ccc-enclave-run --help)"
	assert_output_empty
	# The per-request secret never leaves the host: not to a pipe, not
	# through an ssh connection's standard output.
	crun -2 ccc-enclave-run keygen -a fx/e1.key -n 00 -s - -o k.pub
	assert_stderr "ccc-enclave-run: usage: keygen -s names a file: the per-request secret key is never printed (see ccc-enclave-run --help)"
	assert_output_empty
	assert_no_file k.pub
}

# ---- the run -------------------------------------------------------------------

@test "run: the code gets the input item, its output is the result; the key is erased" {
	# The code prints its stdin in hex, and checks its scratch directory.
	program hexdump 'set -e; echo x >scratch; [[ $(cat scratch) == x ]]
od -An -v -tx1 | tr -d " \n"'
	request r hexdump
	enclave -i r.key -o r.res -n 0102 r.cert r.s1 r.s2 r.s3 r.s4
	((status == 0))
	assert_stderr_empty
	assert_output_empty
	[[ -s r.res ]]
	assert_no_file r.key
	assert_no_temp_files .
	# {0: "ccc/enclave-input/v1", 1: request_id, 2: app_id, 3: [input]}
	crun -0 ccc-combine --result r.res -o out
	# A key for a public output is a mistake, not something to ignore.
	crun -2 ccc-combine --result r.res -i fx/rcpt.key -o out2
	assert_output_empty
	assert_stderr "ccc-combine: usage: r.res: the output is public, not sealed: -i is only for a sealed output (see ccc-combine --help)"
	assert_no_file out2
	[[ "$(cat out)" == "a400$(hex_str ccc/enclave-input/v1 | sed 's/^/74/')015820$(field_hex r.req request_id)0264$(hex_str demo)038146$(hex_of fx/msg)" ]]
	# It is a blob of the registry: ccc-inspect reads it, and shows the
	# plaintexts only when asked.
	printf "$(sed 's/../\\x&/g' out)" >input.cbor
	crun -0 ccc-inspect input.cbor
	assert_output "$(printf '{\n  "type": "ccc/enclave-input/v1",\n  "request_id": "%s",\n  "app_id": "demo",\n  "inputs": "<secret>"\n}' "$(field_hex r.req request_id)")"
	crun -0 ccc-inspect --show-secrets input.cbor
	assert_output "$(printf '{\n  "type": "ccc/enclave-input/v1",\n  "request_id": "%s",\n  "app_id": "demo",\n  "inputs": [\n    "%s"\n  ]\n}' "$(field_hex r.req request_id)" "$(hex_of fx/msg)")"
	# The result names the request, its app, code and enclave.
	[[ "$(field_hex r.res request_id)" == "$(field_hex r.req request_id)" ]]
	[[ "$(field_hex r.res app_id)" == "$(hex_str demo)" ]]
	[[ "$(field_hex r.res code)" == "$(sha384 hexdump)" ]]
	[[ "$(field_hex r.res enclave_id)" == "$(leaf_sha256 fx/e1.pem)" ]]
	[[ "$(field_hex r.res enclave_id)" == "$(field_hex r.req enclave_id)" ]]
	[[ "$(num r.res output_mode)" == 0 ]]
	[[ "$(field_hex r.res output_digest)" == "$(sha256sum <out | cut -c1-64)" ]]
	[[ "$(ccc-inspect r.res | grep -A1 '"inputs"' | tail -1)" == \
	    "    \"$(sha256sum <fx/ct | cut -c1-64)\"" ]]
	# Its attestation answers the request, with the nonce given.
	crun -0 ccc-attest-verify -p fx/pol -r r.cert --nonce-hex 0102 r.res
	assert_stderr_empty
	[[ "${lines[0]}" == "mode: software, not hardware-backed" ]]
	[[ "${lines[2]}" == "module_id: ccc-software-enclave-1" ]]
	assert_contains "$output" "pcr2: $(sha384 hexdump)"
	assert_contains "$output" "pcr0: $(sha384sum <"$CCC_BIN/ccc-enclave-run" | cut -d' ' -f1)"
	assert_contains "$output" "public_key: $(field_hex r.pub pk)"
	assert_contains "$output" "nonce: 0102"
	# Used once: the same sealed shares cannot be opened again.
	enclave -i r.key -o again r.cert r.s1 r.s2 r.s3 r.s4
	((status == 2))
	assert_stderr "ccc-enclave-run: i/o error: r.key: No such file or directory"
	assert_no_file again
}

# pcr0 FILE: PCR 0 of the attestation in an enclave key FILE.
pcr0() {
	ccc-inspect "$1" | sed -n 's/^        "0": "\([0-9a-f]*\)"$/\1/p'
}

@test "keygen: the runtime's measurement is hashed once per binary, and again for a binary changed in any way" {
	export XDG_CACHE_HOME=$PWD/cache
	# A copy of the runtime of its own (the cache keys it by device,
	# inode, size, modification and change times).
	cp "$(command -v ccc-enclave-run)" rt
	local key h c
	key=$(stat -c '%d %i %s' rt)
	h=$(sha384sum <rt | cut -d' ' -f1)
	crun -0 ./rt keygen -a fx/e1.key -s k1 -o p1
	[[ $(pcr0 p1) == "$h" ]]
	c=$(cat cache/ccc/runtime)
	[[ $c == "$key "*" $h" && $c != *$'\n'* ]] || fail "cache: $c"
	crun -0 ./rt keygen -a fx/e1.key -s k2 -o p2
	[[ $(pcr0 p2) == "$h" ]]
	[[ $(cat cache/ccc/runtime) == "$c" ]]
	# Changed in place (a byte appended: ELF runs the same): hashed again,
	# its line first, the other kept.
	printf '\0' >>rt
	crun -0 ./rt keygen -a fx/e1.key -s k3 -o p3
	[[ $(pcr0 p3) == "$(sha384sum <rt | cut -d' ' -f1)" && $(pcr0 p3) != "$h" ]]
	[[ $(sed -n 1p cache/ccc/runtime) == "$(stat -c '%d %i %s' rt) "*" $(pcr0 p3)" ]]
	[[ $(sed -n 2p cache/ccc/runtime) == "$c" ]]
	# No cache where none can be (no HOME, no XDG_CACHE_HOME): hashed.
	crun -0 env -u XDG_CACHE_HOME -u HOME ./rt keygen -a fx/e1.key -s k4 -o p4
	[[ $(pcr0 p4) == "$(pcr0 p3)" ]]
}

@test "run: an existing output file or a terminal stops the run before the key is used" {
	program hello 'echo hello'
	request r hello
	: >exists
	enclave -i r.key -o exists r.cert r.s1 r.s2 r.s3
	((status == 2))
	assert_stderr "ccc-enclave-run: refusing to overwrite: exists: file exists (use -f to replace it)"
	[[ ! -s exists && -f r.key ]]
	command -v script >/dev/null || skip "script(1) not installed"
	crun -2 script -qec "ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -c code -i r.key r.cert r.s1 r.s2 r.s3" /dev/null
	assert_contains "$output" "ccc-enclave-run: usage: refusing to write binary output to a terminal (use -o FILE or redirect) (see ccc-enclave-run --help)"
	[[ -f r.key ]]
	enclave -f -i r.key -o exists r.cert r.s1 r.s2 r.s3
	((status == 0))
	crun -0 ccc-combine --result exists
	assert_output hello
	assert_no_file r.key
}

# ---- output modes ------------------------------------------------------------

@test "output: sealed to the request's recipient, who alone opens it" {
	program hello 'echo hello'
	request r hello -O sealed -R fx/rcpt.pub
	enclave -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 0))
	assert_stderr_empty
	[[ "$(num r.res output_mode)" == 1 ]]
	# enc (32) || ciphertext || tag (16)
	[[ "$(field_len r.res output)" == $((32 + 6 + 16)) ]]
	crun -0 ccc-attest-verify -p fx/pol -r r.cert r.res
	crun -0 ccc-combine --result r.res -i fx/rcpt.key -o out
	assert_stderr_empty
	[[ "$(cat out)" == hello ]]
	crun -1 ccc-combine --result r.res -i fx/other.key -o out2
	assert_stderr "ccc-combine: decryption failed: r.res: the output does not open with this key (sealed to another recipient, or altered)"
	crun -2 ccc-combine --result r.res -o out2
	assert_stderr "ccc-combine: usage: the output is sealed to a recipient: give its key with -i (see ccc-combine --help)"
	assert_no_file out2
}

@test "output: threshold, a ciphertext for app:demo/output that nodes decrypt" {
	program hello 'echo hello'
	request r hello -O threshold
	enclave -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 0))
	assert_stderr_empty
	[[ "$(num r.res output_mode)" == 2 ]]
	crun -0 ccc-attest-verify -p fx/pol -r r.cert r.res
	crun -0 ccc-combine --result r.res -o out.ct
	crun -2 ccc-combine --result r.res -i fx/rcpt.key -o out2
	assert_stderr "ccc-combine: usage: r.res: the output is a threshold ciphertext, not sealed: -i is only for a sealed output (see ccc-combine --help)"
	[[ "$(ccc-inspect out.ct | sed -n 's/^  "context": "\(.*\)",$/\1/p')" == app:demo/output ]]
	local i
	for i in 2 4 5; do
		crun -0 ccc-reencrypt -s "fx/key/share-$i.cbor" -k fx/key/tpk.cbor \
		    --to fx/rcpt.pub -c app:demo/output -o "o$i" out.ct
	done
	crun -0 ccc-combine -k fx/key/tpk.cbor -i fx/rcpt.key -c out.ct -o out \
	    o2 o4 o5
	[[ "$(cat out)" == hello ]]
	# Not under the inputs' own context.
	crun -1 ccc-reencrypt -s fx/key/share-1.cbor -k fx/key/tpk.cbor \
	    --to fx/rcpt.pub -c app:demo -o o1 out.ct
	assert_stderr 'ccc-reencrypt: refused by policy: out.ct: item 1: the ciphertext'"'"'s label context is not "app:demo"'
}

# ---- refusals before the run -----------------------------------------------------

@test "refused: a request assigned to another enclave; the key is kept" {
	program hello 'echo hello'
	request r hello
	crun -1 ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e2.key \
	    -c code -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	assert_output_empty
	assert_stderr "ccc-enclave-run: key mismatch: r.cert: the request is assigned to another enclave than ccc-software-enclave-2"
	assert_no_file r.res
	assert_no_temp_files .
	[[ -f r.key ]]
}

@test "run: the key path swapped for a symbolic link after the read, the key read is erased, not the link's target" {
	program hello 'echo hello'
	request r hello
	cp -p r.key r.key.orig
	printf 'not a key, must survive\n' >victim
	# The first sealed file is a FIFO: ccc-enclave-run, past reading the
	# key, waits on it while the key's name is made a symbolic link.
	mkfifo s1.fifo
	ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -c code \
	    -i r.key -o r.res r.cert s1.fifo r.s2 r.s3 2>err &
	local pid=$!
	exec 5>s1.fifo	# (returns once it opened the FIFO: the key is read)
	mv r.key r.key.read
	ln -s victim r.key
	cat r.s1 >&5
	exec 5>&-
	wait "$pid"
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	[[ -s r.res ]]
	[[ "$(cat victim)" == 'not a key, must survive' ]]
	[[ -L r.key ]]
	# The file read is zeros now.
	cmp r.key.read <(head -c "$(stat -c %s r.key.orig)" /dev/zero)
}

@test "run: sealed shares in a FIFO are read from one opening, not waited for a second time" {
	command -v strace >/dev/null || skip "strace not installed"
	local asan=${CCC_CRUN_ASAN_OPTIONS-${ASAN_OPTIONS-}}
	program hello 'echo hello'
	request r hello
	mkfifo s1.fifo
	# The writer is gone once its bytes are in the pipe: an opening after
	# the first would wait for another forever (timeout: status 124).
	cat r.s1 >s1.fifo &
	# (LeakSanitizer does not run under ptrace.)
	CCC_CRUN_ASAN_OPTIONS=${asan:+$asan:}detect_leaks=0 crun -0 timeout 60 \
	    strace -f -qq -e trace=openat -o opens ccc-enclave-run \
	    -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key -c code -i r.key \
	    -o r.res r.cert s1.fifo r.s2 r.s3
	[[ $(grep -c '"s1.fifo"' opens) == 1 ]] || fail "$(grep fifo opens)"
	[[ -s r.res ]]
}

@test "refused: a per-request key that is not the request's, and it is not erased" {
	program hello 'echo hello'
	request r hello
	cp -p fx/other.key mine.key
	enclave -i mine.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: key mismatch: r.cert: the request names another per-request key than mine.key"
	assert_same mine.key fx/other.key
	[[ -f r.key ]]
	assert_no_file r.res
	# A public key is no key.
	enclave -i r.pub -o r.res r.cert r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: wrong blob type: r.pub: at byte 0: expected a secret key, found an attested enclave key (ccc/enclave-key/v1)"
	assert_no_file r.res
}

@test "refused: a certificate of fewer than q oracles, or a bare request" {
	program hello 'echo hello'
	request r hello
	# Two signatures: the certificate less oracle-3's, by hand.
	cert_without r.cert r.sig3 c
	enclave -i r.key -o r.res c r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: bad signature: c: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2)"
	enclave -i r.key -o r.res r.req r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: wrong blob type: r.req: at byte 0: expected a quorum certificate (ccc/certified/v1), found a computation request (ccc/request/v1)"
	assert_no_file r.res
	[[ -f r.key ]]
}

@test "refused: an expired request" {
	program hello 'echo hello'
	request r hello
	local exp
	exp=$(num r.req expires)
	enclave --now "$exp" -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: expired: r.cert: the request expired at $(utc $exp) (now $(utc $exp))"
	assert_no_file r.res
	[[ -f r.key ]]
	enclave --now $((exp - 1)) -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 0))
	[[ "$(num r.res time)" == $((exp - 1)) ]]
}

@test "refused: code whose digest is not the measurement is not run; missing code" {
	program hello 'echo hello'
	request r hello
	local m
	m=$(sha384 hello)
	# Other bytes under the measurement's name: they would print.
	printf '#!/bin/bash\necho evil\n' >"code/$m"
	enclave -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: refused by policy: code: code ${m:0:16}...: its SHA-384 is not the request's code measurement; not run"
	assert_no_file r.res
	[[ -f r.key ]]
	rm "code/$m"
	enclave -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 2))
	assert_stderr "ccc-enclave-run: i/o error: code: code ${m:0:16}...: No such file or directory"
	assert_no_file r.res
	[[ -f r.key ]]
}

@test "refused: a malformed enclave policy names its line; a missing one" {
	program hello 'echo hello'
	request r hello
	local bad
	for bad in 'timeout' 'timeout 0' 'timeout 86401' 'memory 1T' \
	    'network maybe' 'processes 5000' 'speed 3' 'cpu 1 2' 'uid 0' \
	    'scratch-max 1X' 'connect' 'memory -1' 'scratch-max -1' \
	    'memory +5' 'memory 17179869185G' 'output-max 18446744073709551616'; do
		printf '# limits\ntimeout 5\n%s\n' "$bad" >p
		enclave -p p -i r.key -o r.res r.cert r.s1 r.s2 r.s3
		((status == 1))
		assert_stderr "ccc-enclave-run: malformed input: p: line 3: expected timeout, cpu, memory, output-max, files-max, processes, scratch-max, uid N, network allow|deny or connect *:PORT"
	done
	# Only ports are enforced: a host would promise more.
	printf 'network allow\nconnect 127.0.0.1:80\n' >p
	enclave -p p -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: malformed input: p: line 2: connect 127.0.0.1:80: only ports are enforced: give *:PORT or *:*"
	for bad in '*:0' '*:65536' '*:+80' '*:http'; do
		printf 'connect %s\n' "$bad" >p
		enclave -p p -i r.key -o r.res r.cert r.s1 r.s2 r.s3
		((status == 1))
		assert_stderr "ccc-enclave-run: malformed input: p: line 1: connect $bad: a port is 1 to 65535"
	done
	enclave -p none -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 2))
	assert_stderr "ccc-enclave-run: i/o error: none: No such file or directory"
	assert_no_file r.res
	[[ -f r.key ]]
	printf 'timeout 5 # seconds\n\tmemory 256M\noutput-max 1K\nfiles-max 1M\ncpu 2\nprocesses 8\nnetwork deny\nscratch-max 1M\nuid 65533\nconnect *:443\nconnect *:*\n' >good
	enclave -p good -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 0))
}

# ---- decryption shares ----------------------------------------------------------------

@test "shares: a bad node is named and left out; fewer than t fail, naming nodes" {
	program hello 'echo hello'
	request r hello
	request b hello
	enclave -i r.key -o r.res r.cert r.s1 b.s2 r.s3 r.s4
	((status == 0))
	assert_stderr "ccc-enclave-run: warning: node 2 (b.s2): made for another request; its shares were not used"
	crun -0 ccc-combine --result r.res
	assert_output hello
	# Two valid shares of three needed: nothing runs, and the key is
	# gone all the same (used once, whatever the shares were).
	enclave -i b.key -o b.res b.cert r.s1 b.s2 r.s3 b.s4
	((status == 1))
	assert_stderr "ccc-enclave-run: not enough shares: b.cert: item 1: 2 valid shares, 3 needed; node 1 (r.s1): made for another request; node 3 (r.s3): made for another request"
	assert_no_file b.res b.key
}

# ---- the sandbox ------------------------------------------------------------------------

@test "sandbox: a network socket kills the code" {
	program net 'exec 3<>/dev/tcp/127.0.0.1/9; echo reached'
	code_fails r net "was killed for a forbidden system call (network access)"
}

@test "sandbox: network only when the request and the enclave policy both allow it" {
	program net 'exec 3<>/dev/tcp/127.0.0.1/1 2>/dev/null; echo reached'
	request n net -n
	enclave -i n.key -o n.res n.cert n.s1 n.s2 n.s3
	((status == 1))
	assert_stderr "ccc-enclave-run: refused by policy: n.cert: the request asks for network access, which this enclave's policy denies"
	assert_no_file n.res
	[[ -f n.key ]]
	printf 'network allow\n' >allow
	enclave -p allow -i n.key -o n.res n.cert n.s1 n.s2 n.s3
	((status == 0))
	crun -0 ccc-combine --result n.res
	assert_output reached
	# The policy alone is not enough.
	code_fails r net "was killed for a forbidden system call (network access)" \
	    -p allow
}

@test "sandbox: writing outside the scratch directory fails" {
	program escape "set -e; echo x >$BATS_TEST_TMPDIR/outside; echo written"
	code_fails r escape "exited with status 1"
	assert_no_file outside
}

@test "sandbox: the code cannot read the enclave's keys, files or environment" {
	program steal "set -e; cat $BATS_FILE_TMPDIR/e1.key"
	code_fails r steal "exited with status 1"
	program look "ls $BATS_TEST_TMPDIR"
	code_fails l look "exited with status 2"
	program env 'set -e; cat /proc/$PPID/environ'
	code_fails e env "exited with status 1"
	# What it may read: the system, its own /proc entry, its scratch.
	program may 'set -e; cat /etc/passwd /proc/$$/status >/dev/null
echo ok >mine; cat mine'
	request m may
	enclave -i m.key -o m.res m.cert m.s1 m.s2 m.s3
	((status == 0))
	crun -0 ccc-combine --result m.res
	assert_output ok
}

@test "sandbox: code past the policy's timeout is stopped" {
	program sleeper 'sleep 5; echo late'
	printf 'timeout 1\n' >p
	request r sleeper
	enclave -p p -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 1))
	# (1.0 s, or more on a busy machine: never less.)
	[[ "$stderr" == "ccc-enclave-run: code failed: the code timed out after "[1-9]*.?" s; no result and no attestation" ]]
	assert_no_file r.res r.key
}

@test "sandbox: output over the policy's output-max is stopped" {
	printf 'output-max 1K\n' >p
	program fits 'head -c 1024 /dev/zero'
	request f fits
	enclave -p p -i f.key -o f.res f.cert f.s1 f.s2 f.s3
	((status == 0))
	[[ "$(field_len f.res output)" == 1024 ]]
	program big 'head -c 1025 /dev/zero'
	code_fails r big "exceeded the output limit" -p p
}

@test "sandbox: a crash and a failing exit status" {
	program crash 'kill -SEGV $$'
	code_fails r crash "was killed by signal 11 (Segmentation fault)"
	program fail 'echo partial; exit 3'
	code_fails f fail "exited with status 3"
}

# ---- auditable releases (ccc(7): what an auditor can check after the key is
# gone) --------------------------------------------------------------------------

# shares FILE: the "shares" field of a result as ccc-inspect prints it.
shares() {
	ccc-inspect "$1" | sed -n '/^  "shares": \[$/,/^  \]$/p'
}

# verdicts NODE:VERDICT:FILE...: the "shares" field ccc-inspect prints
# for those entries, FILE the sealed-share file of each.
verdicts() {
	local e sep='' f
	printf '  "shares": [\n'
	for e; do
		f=${e##*:}
		e=${e%:*}
		printf '%s    {\n      "node": %s,\n      "verdict": "%s",\n      "sealed_digest": "%s"\n    }' \
		    "$sep" "${e%%:*}" "${e#*:}" "$(sha256sum <"$f" | cut -c1-64)"
		sep=$',\n'
	done
	printf '\n  ]\n'
}

# binding: the binding digest of the result ccc-inspect prints on stdin,
# as ccc(7) spells it (Binding).
binding() {
	python3 -c '
import hashlib, json, sys
r = json.load(sys.stdin)
h = bytes.fromhex
b = b"ccc/attest-binding/v1" + h(r["request_id"])
app = r["app_id"].encode()
b += len(app).to_bytes(4, "big") + app + h(r["code"])
b += len(r["inputs"]).to_bytes(4, "big")
b += b"".join(h(i) for i in r["inputs"])
b += h(r["output_digest"]) + r["time"].to_bytes(8, "big")
b += len(r["shares"]).to_bytes(4, "big")
for s in r["shares"]:
    v = s["verdict"].encode()
    d = h(s.get("sealed_digest", ""))
    b += bytes([s["node"], len(v)]) + v + bytes([len(d)]) + d
print(hashlib.sha256(b).hexdigest())'
}

# entry_digest STATE: the sealed_digest of the last entry of a node's log.
entry_digest() {
	ccc-inspect -d "$1/access.log" |
	    sed -n "s|^  12 / sealed_digest /: h'\(.*\)',\{0,1\}\$|\1|p" |
	    tail -1
}

@test "audit: the attested result lists the nodes verified and those refused, with why" {
	program hello 'echo hello'
	request r hello
	local i logged=()
	for i in 1 2 3 4; do
		logged[i]=$(entry_digest "st$i")
	done
	request b hello
	# Node 2's blob is altered on its way, its share re-sealed wrong; a
	# blob of node 4 is one it made for another request; node 1's is
	# given twice.
	"$CCC_BIN/../tests/unit/share-tamper" -i r.key -n 1 -o r.s2x r.s2
	enclave -i r.key -o r.res r.cert r.s1 r.s2x r.s3 b.s4 r.s4 r.s1
	((status == 0))
	assert_stderr "$(printf '%s\n' \
	    "ccc-enclave-run: warning: node 2 (r.s2x): proof does not verify; its shares were not used" \
	    "ccc-enclave-run: warning: node 4 (b.s4): made for another request; its shares were not used" \
	    "ccc-enclave-run: warning: node 1: r.s1 repeats r.s1; ignored")"
	crun -0 shares r.res
	assert_output "$(verdicts 1:verified:r.s1 2:failed-proof:r.s2x \
	    3:verified:r.s3 4:wrong-request:b.s4 4:verified:r.s4 \
	    1:duplicate:r.s1)"
	# The auditor matches each entry to the node's log: the verified
	# blobs are the ones nodes 1, 3 and 4 logged for this request; the
	# one refused for node 2 is not what node 2 released.
	for i in 1 3 4; do
		assert_contains "$output" "\"sealed_digest\": \"${logged[i]}\""
	done
	[[ $output != *"${logged[2]}"* ]]
	# The list is inside what the attestation binds: the result verifies
	# and answers its request ...
	crun -0 ccc-attest-verify -p fx/pol -r r.cert r.res
	assert_stderr_empty
	# ... with the binding digest ccc(7) spells, recomputed by hand from
	# the fields ccc-inspect prints.
	local ud
	ud=$(ccc-inspect r.res | binding)
	[[ ${#ud} == 64 ]]
	assert_contains "$output" "user_data: $ud"$'\n'
	crun -0 ccc-combine --result r.res
	assert_output hello
	# ... and a host that rewrites it (node 2's failed proof said to be
	# an unknown node; node 2's refusal moved to node 4; its digest made
	# node 2's logged one) is caught.
	local at
	at=$(find_hex r.res "a30102026c$(hex_str failed-proof)")
	replace_bytes r.res $((at + 5)) "$(hex_str unknown-node)" hidden
	crun -1 ccc-attest-verify -p fx/pol -r r.cert hidden
	assert_output_empty
	assert_stderr "ccc-attest-verify: attestation refused: hidden: binding mismatch: user_data differs from the expected value"
	replace_bytes r.res $((at + 2)) 04 moved
	crun -1 ccc-attest-verify -p fx/pol -r r.cert moved
	assert_stderr "ccc-attest-verify: attestation refused: moved: binding mismatch: user_data differs from the expected value"
	replace_bytes r.res $((at + 20)) "${logged[2]}" blamed
	crun -1 ccc-attest-verify -p fx/pol -r r.cert blamed
	assert_stderr "ccc-attest-verify: attestation refused: blamed: binding mismatch: user_data differs from the expected value"
	# A verdict outside the vocabulary is malformed, not merely unbound.
	replace_bytes r.res $((at + 5)) "$(hex_str failed-pro0f)" odd
	crun -1 ccc-attest-verify -p fx/pol -r r.cert odd
	assert_stderr "ccc-attest-verify: invalid field: odd: at byte $at: shares: entry 2: unknown verdict \"failed-pro0f\""
}

@test "audit: shares that carry their commitments are checked in one batch, with the same verdicts" {
	program hello 'echo hello'
	local NODE_OPTS=(--commitments)
	request c hello
	# Each node's release holds one share, with its commitments: a
	# sealed record of 307 bytes.
	crun -0 ccc-inspect c.s1
	[[ $output == *$'\n  "shares": [\n    "'[0-9a-f]*$'"\n  ]\n}' ]]
	local rec=${output##*\"shares\": \[$'\n'    \"}
	rec=${rec%%\"*}
	((${#rec} == 2 * 307))
	"$CCC_BIN/../tests/unit/share-tamper" -i c.key -n 1 -o c.s2x c.s2
	enclave -i c.key -o c.res c.cert c.s2x c.s1 c.s3 c.s4
	((status == 0))
	assert_stderr "ccc-enclave-run: warning: node 2 (c.s2x): proof does not verify; its shares were not used"
	crun -0 shares c.res
	assert_output "$(verdicts 2:failed-proof:c.s2x 1:verified:c.s1 \
	    3:verified:c.s3 4:verified:c.s4)"
	crun -0 ccc-attest-verify -p fx/pol -r c.cert c.res
	crun -0 ccc-combine --result c.res
	assert_output hello
}

@test "audit: files beyond the first t that verified are recorded as unchecked" {
	program hello 'echo hello'
	request u hello
	# Node 4's share is wrong, but t = 3 verified before it: not looked at.
	"$CCC_BIN/../tests/unit/share-tamper" -i u.key -n 1 -o u.s4x u.s4
	enclave -i u.key -o u.res u.cert u.s1 u.s2 u.s3 u.s4x
	((status == 0))
	assert_stderr_empty
	crun -0 shares u.res
	assert_output "$(verdicts 1:verified:u.s1 2:verified:u.s2 \
	    3:verified:u.s3 4:unchecked:u.s4x)"
	crun -0 ccc-attest-verify -p fx/pol -r u.cert u.res
	assert_stderr_empty
}

@test "audit: a result without the share verdicts is refused as malformed" {
	program hello 'echo hello'
	request r hello
	enclave -i r.key -o r.res r.cert r.s1 r.s2 r.s3
	((status == 0))
	crun -0 shares r.res
	assert_output "$(verdicts 1:verified:r.s1 2:verified:r.s2 3:verified:r.s3)"
	# The result as it was before field 11: cut off, one field fewer.
	local at hex
	at=$(find_hex r.res "0b83a3010102")
	hex=$(hex_of r.res)
	[[ ${hex:0:2} == ac ]]
	write_hex "ab${hex:2:at*2-2}" old
	crun -1 ccc-attest-verify -p fx/pol -r r.cert old
	assert_stderr "ccc-attest-verify: invalid field: old: at byte $(size_of old): missing field shares (key 11)"
	crun -1 ccc-combine --result old
	assert_stderr "ccc-combine: invalid field: old: at byte $(size_of old): missing field shares (key 11)"
	# A result judges at most 1024 files: more are refused before any is
	# read, the key kept.
	request m hello
	enclave -i m.key -o m.res m.cert $(printf 'm.s1 %.0s' {1..1025})
	((status == 2))
	assert_stderr "ccc-enclave-run: usage: 1025 sealed-share files, at most 1024 (see ccc-enclave-run --help)"
	assert_no_file m.res
	[[ -s m.key ]]
}

@test "audit: a node's access-log entry names the sealed blob it released by its SHA-256" {
	program hello 'echo hello'
	request r hello
	local i
	for i in 1 2 3 4; do
		[[ "$(entry_digest "st$i")" == "$(sha256sum <"r.s$i" | cut -c1-64)" ]] ||
		    fail "node $i: the logged digest is not its blob's"
		# The auditor's replay by hand, with another tool.
		[[ "$(openssl dgst -sha256 -r "r.s$i" | cut -c1-64)" == "$(entry_digest "st$i")" ]]
		crun -0 ccc-inspect -L "st$i"
		assert_output "st$i/access.log: 1 entry, chained and matching its head"
	done
	# Written to standard output (through the blob the node keeps until
	# it is released), the blob is the one logged as well.
	request b hello
	ccc-reencrypt -s fx/key/share-1.cbor -k fx/key/tpk.cbor -r fx/roster \
	    -A fx/attest.policy -P fx/pool -d st9 --tty b.cert >b.out 2>err
	[[ ! -s err ]]
	[[ "$(entry_digest st9)" == "$(sha256sum <b.out | cut -c1-64)" ]]
	# A blob altered on its way (node 2's, its share re-sealed wrong) is
	# not the one node 2 logged.
	"$CCC_BIN/../tests/unit/share-tamper" -i r.key -n 1 -o r.s2x r.s2
	[[ "$(entry_digest st2)" != "$(sha256sum <r.s2x | cut -c1-64)" ]]
}
