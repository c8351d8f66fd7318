#!/usr/bin/env bats
# ccc-quorum-sign: oracle rosters, computation requests, oracle signatures
# and quorum certificates.
bats_require_minimum_version 1.5.0
load helpers

# A measurement (48 bytes of hex) and a validity window that holds now.
MEAS=$(printf '%096d' 0)
NB=1000000000
NA=4000000000

# quorum_fixtures: in $BATS_FILE_TMPDIR, made once:
#   o1..o4.key/.pub  oracle identities "oracle-1".."oracle-4"
#   x.key/.pub       "mallory", in no roster
#   enc.pub          the enclave's identity; ek/epub its per-request key
#   k23/             a 2-of-3 dealer key
#   ct.A ct.B ct.U   "attack at dawn" labelled app:A, app:B, unlabelled
#   ct.bad           ct.A with one bit of c flipped (its proof fails)
#   roster           q=3 of o1..o4, named "oracles", valid NB..NA
#   roster2          q=2 of o1..o3 and x, named "others"
#   req              a request of app A for ct.A (valid one hour)
#   sig1..sig4 sigx  each oracle's (and mallory's) signature of req
#   cert             req certified by sig1 sig2 sig3
#   treq, tcert      a request of app A for ct.A with a threshold output,
#                    made at time $(cat now), and its certificate
#   chain            an oracle's table chain at ct.A
#   tres             enc's result of tcert at that time, its output
#                    "the next table" (tests/unit/result-forge: no enclave)
quorum_fixtures() {
	local i
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		oracle_fixtures
		ccc-keygen recipient -o rk -p rpub
		ccc-keygen dealer -t 2 -n 3 -d k23
		printf 'attack at dawn\n' >msg
		ccc-encrypt -k k23/tpk.cbor -l app:A -o ct.A msg
		ccc-encrypt -k k23/tpk.cbor -l app:B -o ct.B msg
		ccc-encrypt -k k23/tpk.cbor -o ct.U msg
		ccc-quorum-sign roster -q 2 -N others --not-before $NB \
		    --not-after $NA -o roster2 o1.pub o2.pub o3.pub x.pub
		ccc-quorum-sign request -a A -m "$MEAS" -k k23/tpk.cbor \
		    -r roster -P pool -K epub -E 3600 -o req ct.A
		for i in 1 2 3 4; do
			ccc-quorum-sign sign -i "o$i.key" -k k23/tpk.cbor -A attest.policy -r roster -P pool \
			    -o "sig$i" req
		done
		ccc-quorum-sign sign -i x.key -k k23/tpk.cbor -A attest.policy -r roster -P pool -o sigx req
		ccc-quorum-sign combine -r roster -c req -o cert sig1 sig2 sig3
		date +%s >now
		ccc-quorum-sign request -a A -m "$MEAS" -k k23/tpk.cbor \
		    -r roster -P pool -K epub -E 3600 -O threshold -o treq ct.A
		for i in 1 2 3; do
			ccc-quorum-sign sign -i "o$i.key" -k k23/tpk.cbor \
			    -A attest.policy -r roster -P pool -o "treq.sig$i" treq
		done
		ccc-quorum-sign combine -r roster -c treq -o tcert treq.sig1 \
		    treq.sig2 treq.sig3
		ccc-quorum-sign chain -a A -o chain ct.A
		"$CCC_BIN/../tests/unit/result-forge" -k enc.key -F tcert \
		    -t 'the next table' -T "$(cat now)" -o tres
	)
	flip_bit "$BATS_FILE_TMPDIR/ct.A" \
	    "$(field_offset "$BATS_FILE_TMPDIR/ct.A" c)" 0 \
	    "$BATS_FILE_TMPDIR/ct.bad"
}

setup_file() {
	quorum_fixtures
}

setup() {
	use_fixtures
	REQ=(-a A -m "$MEAS" -k fx/k23/tpk.cbor -r fx/roster -P fx/pool -K fx/epub)
}

# num FILE FIELD: a numeric field of a blob, as ccc-inspect prints it.
num() {
	ccc-inspect "$1" | sed -n "s/^  \"$2\": \\([0-9]*\\),\\{0,1\\}\$/\\1/p"
}

# sha256 FILE
sha256() {
	sha256sum <"$1" | cut -c1-64
}

# names_except ROSTER NAME...: the member names of ROSTER in roster (id)
# order, less those given, joined with ", " as error messages list them.
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

# ---- help, version, usage --------------------------------------------------

@test "ccc-quorum-sign: usage errors of the subcommands (exit 2)" {
	crun -2 ccc-quorum-sign sign -i
	assert_output_empty
	assert_stderr 'ccc-quorum-sign: usage: option "-i" needs an argument (see ccc-quorum-sign --help)'
	crun -2 ccc-quorum-sign sign -i fx/o1.key fx/req fx/roster
	assert_stderr 'ccc-quorum-sign: usage: unexpected argument "fx/roster" (see ccc-quorum-sign --help)'
	crun -2 ccc-quorum-sign sign -o out fx/req
	assert_stderr "ccc-quorum-sign: usage: sign needs -i KEY (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign combine -c fx/req -o out fx/sig1
	assert_stderr "ccc-quorum-sign: usage: combine needs -r ROSTER and signatures (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign combine -r fx/roster -c fx/req -o out
	assert_stderr "ccc-quorum-sign: usage: combine needs -r ROSTER and signatures (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign verify -o out fx/cert
	assert_stderr "ccc-quorum-sign: usage: verify needs -r ROSTER (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign verify -r fx/roster --now soon fx/cert
	assert_stderr "ccc-quorum-sign: usage: --now: a time in seconds since 1970 (see ccc-quorum-sign --help)"
	assert_no_file out
}

# ---- roster ----------------------------------------------------------------

@test "ccc-quorum-sign roster: builds a roster from the members' public keys" {
	crun -0 ccc-quorum-sign roster -q 3 -N oracles --not-before $NB \
	    --not-after $NA -o r fx/o1.pub fx/o2.pub fx/o3.pub fx/o4.pub
	assert_stderr_empty
	assert_output_empty
	assert_same r fx/roster
	crun -0 ccc-inspect r
	[[ "${lines[1]}" == '  "type": "ccc/roster/v1",' ]]
	assert_contains "$output" '  "name": "oracles",'
	assert_contains "$output" '  "q": 3,'
	assert_contains "$output" "  \"not_before\": $NB,"
	assert_contains "$output" "  \"not_after\": $NA"
	local i
	for i in 1 2 3 4; do
		assert_contains "$output" "\"id\": \"$(field_hex fx/o$i.pub id)\","
		assert_contains "$output" "\"pk\": \"$(field_hex fx/o$i.pub pk)\","
		assert_contains "$output" "\"name\": \"oracle-$i\""
	done
	# The members are in ascending id order.
	local ids
	ids=$(printf '%s\n' "$output" | sed -n 's/^ *"id": "\(.*\)",$/\1/p')
	[[ "$ids" == "$(sort <<<"$ids")" ]]
	(($(wc -l <<<"$ids") == 4))
}

@test "ccc-quorum-sign roster: the same members, q and validity give the same bytes in any order" {
	crun -0 ccc-quorum-sign roster -q 3 -N oracles --not-before $NB \
	    --not-after $NA -o r1 fx/o4.pub fx/o2.pub fx/o3.pub fx/o1.pub
	crun -0 ccc-quorum-sign roster -q 3 -N oracles --not-before $NB \
	    --not-after $NA -o r2 fx/o1.pub fx/o3.pub fx/o2.pub fx/o4.pub
	assert_same r1 r2
	assert_same r1 fx/roster
	# Anything else changes the roster, hence its id.
	crun -0 ccc-quorum-sign roster -q 2 -N oracles --not-before $NB \
	    --not-after $NA -o r3 fx/o1.pub fx/o2.pub fx/o3.pub fx/o4.pub
	assert_differ r3 r1
	# Without --not-before/--not-after: valid from now for 365 days.
	local t0 t1 nb na
	t0=$(date +%s)
	crun -0 ccc-quorum-sign roster -q 1 -N one -o r4 fx/o1.pub
	t1=$(date +%s)
	nb=$(num r4 not_before)
	na=$(num r4 not_after)
	((nb >= t0 && nb <= t1))
	((na - nb == 365 * 86400))
}

@test "ccc-quorum-sign roster: a secret identity key counts as its public half" {
	crun -0 ccc-quorum-sign roster -q 3 -N oracles --not-before $NB \
	    --not-after $NA -o r fx/o1.key fx/o2.pub fx/o3.pub fx/o4.pub
	assert_stderr_empty
	assert_same r fx/roster
}

@test "ccc-quorum-sign roster: q beyond the members, or out of range, is refused (exit 2)" {
	crun -2 ccc-quorum-sign roster -q 5 -N oracles -o r fx/o1.pub \
	    fx/o2.pub fx/o3.pub fx/o4.pub
	assert_output_empty
	assert_stderr "ccc-quorum-sign: usage: -q: quorum 5 exceeds the 4 members (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 0 -N oracles -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: -q: quorum must be 1 to 255 (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 256 -N oracles -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: -q: quorum must be 1 to 255 (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -N oracles -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: roster needs -q, -N and members' public keys (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 1 -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: roster needs -q, -N and members' public keys (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 1 -N oracles -o r
	assert_stderr "ccc-quorum-sign: usage: roster needs -q, -N and members' public keys (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 1 -N one --not-before $NA \
	    --not-after $NA -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: --not-after must be later than --not-before (or now) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 1 -N one --not-after $NB -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: --not-after must be later than --not-before (or now) (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign roster -q 1 -N "$(printf '%065d' 0)" -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: usage: -N: at most 64 bytes (see ccc-quorum-sign --help)"
	assert_no_file r
}

@test "ccc-quorum-sign roster: a member given twice is refused (exit 1)" {
	crun -1 ccc-quorum-sign roster -q 2 -N oracles -o r fx/o1.pub \
	    fx/o2.pub fx/o1.pub
	assert_output_empty
	assert_stderr "ccc-quorum-sign: duplicate: the same member is given twice"
	# Its secret key is the same member too.
	crun -1 ccc-quorum-sign roster -q 2 -N oracles -o r fx/o1.pub \
	    fx/o1.key
	assert_stderr "ccc-quorum-sign: duplicate: the same member is given twice"
	assert_no_file r
}

@test "ccc-quorum-sign roster: a member that is not an identity is refused (exit 1)" {
	crun -1 ccc-quorum-sign roster -q 1 -N oracles -o r fx/o1.pub fx/epub
	assert_stderr "ccc-quorum-sign: wrong blob type: fx/epub: at byte 0: expected an identity public key (ccc/identity-pub/v1), found an attested enclave key (ccc/enclave-key/v1)"
	assert_no_file r
}

@test "ccc-quorum-sign roster: refuses to overwrite without -f" {
	printf 'keep\n' >r
	crun -2 ccc-quorum-sign roster -q 1 -N one -o r fx/o1.pub
	assert_stderr "ccc-quorum-sign: refusing to overwrite: r: file exists (use -f to replace it)"
	[[ "$(cat r)" == keep ]]
	crun -0 ccc-quorum-sign roster -f -q 1 -N one -o r fx/o1.pub
	assert_stderr_empty
}

# ---- request ---------------------------------------------------------------

@test "ccc-quorum-sign request: builds a request from its parts" {
	local rid
	rid=$(printf '%064d' 7)
	crun -0 ccc-quorum-sign request "${REQ[@]}" -I "$rid" --now 2000000000 \
	    -E 600 -o r fx/ct.A fx/ct.U
	assert_stderr_empty
	assert_output_empty
	crun -0 ccc-inspect r
	[[ "${lines[1]}" == '  "type": "ccc/request/v1",' ]]
	assert_contains "$output" "  \"request_id\": \"$rid\","
	assert_contains "$output" '  "app_id": "A",'
	assert_contains "$output" "  \"code\": \"$MEAS\","
	assert_contains "$output" "  \"key_id\": \"$(field_hex fx/k23/tpk.cbor key_id)\","
	assert_contains "$output" '  "epoch": 0,'
	assert_contains "$output" "  \"enclave_id\": \"$(field_hex fx/epub enclave_id)\","
	assert_contains "$output" "  \"enclave_key\": \"$(field_hex fx/epub pk)\","
	assert_contains "$output" '  "created": 2000000000,'
	assert_contains "$output" '  "expires": 2000000600,'
	assert_contains "$output" '  "security": 1,'
	assert_contains "$output" '  "output": 0'
	# The ciphertexts are carried whole, in order.
	assert_contains "$output" "\"c\": \"$(field_hex fx/ct.A c)\","
	assert_contains "$output" "\"c\": \"$(field_hex fx/ct.U c)\","
	[[ $(grep -c '"type": "ccc/ct/v1"' <<<"$output") == 2 ]]
	[[ "$output" != *recipient* && "$output" != *network* ]]
	# Given its id and time, a request is deterministic.
	crun -0 ccc-quorum-sign request "${REQ[@]}" -I "$rid" --now 2000000000 \
	    -E 600 -o r2 fx/ct.A fx/ct.U
	assert_same r2 r
}

@test "ccc-quorum-sign request: a fresh random id each time, the code hashed with SHA-384" {
	printf 'the enclave program\n' >prog
	crun -0 ccc-quorum-sign request -a A -x prog -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/epub -o r1 fx/ct.A
	assert_stderr_empty
	crun -0 ccc-quorum-sign request -a A -x prog -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/epub -o r2 fx/ct.A
	[[ "$(field_hex r1 code)" == "$(sha384sum <prog | cut -c1-96)" ]]
	[[ "$(field_hex r1 request_id)" != "$(field_hex r2 request_id)" ]]
	# Default expiry: 600 seconds after creation.
	(($(num r1 expires) - $(num r1 created) == 600))
}

@test "ccc-quorum-sign request: output modes, recipient and network" {
	crun -0 ccc-quorum-sign request "${REQ[@]}" -O sealed -R fx/rpub -n \
	    -o r fx/ct.A
	assert_stderr_empty
	crun -0 ccc-inspect r
	assert_contains "$output" '  "output": 1,'
	assert_contains "$output" "  \"recipient\": \"$(field_hex fx/rpub pk)\","
	assert_contains "$output" '  "network": true'
	crun -0 ccc-quorum-sign request "${REQ[@]}" -O threshold -o r2 fx/ct.A
	[[ "$(num r2 output)" == 2 ]]
}

@test "ccc-quorum-sign request: missing options are usage errors (exit 2)" {
	local need="ccc-quorum-sign: usage: request needs -a, -x or -m, -k, -r, -P, -K and ciphertexts (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/epub -o r fx/ct.A
	assert_output_empty
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request -a A -k fx/k23/tpk.cbor -r fx/roster -P fx/pool \
	    -K fx/epub -o r fx/ct.A
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request "${REQ[@]}" -x fx/msg -o r fx/ct.A
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request -a A -m "$MEAS" -r fx/roster -P fx/pool \
	    -K fx/epub -o r fx/ct.A
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -K fx/epub -o r fx/ct.A
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -o r fx/ct.A
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request "${REQ[@]}" -o r
	assert_stderr "$need"
	crun -2 ccc-quorum-sign request "${REQ[@]}" -O secret -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: -O: public, sealed or threshold (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request -a A -m 00 -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/epub -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: -m: expected 48 hex bytes (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request "${REQ[@]}" -I abc -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: -I: expected 32 hex bytes (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request "${REQ[@]}" -E 0 -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: -E: seconds until the request expires (see ccc-quorum-sign --help)"
	assert_no_file r
}

@test "ccc-quorum-sign request: an app id with a separator or a control character is refused" {
	# App "demo/output" would be served what the default label rule
	# gives app "demo" under app:demo/output (its threshold outputs).
	# The request's options but its app id (-a may be given once).
	local a REQ_NO_APP=("${REQ[@]:2}")
	for a in demo/output 'a:b' 'a b' $'a\nb' $'a\x1b[2Jb' 'a*'; do
		crun -2 ccc-quorum-sign request "${REQ_NO_APP[@]}" -a "$a" -o r fx/ct.A
		assert_output_empty
		[[ "$stderr" == "ccc-quorum-sign: usage: -a: app_id: byte "*" is not a letter, digit, '.', '_' or '-' (see ccc-quorum-sign --help)" ]] ||
		    fail "stderr: $stderr"
	done
	crun -2 ccc-quorum-sign request "${REQ_NO_APP[@]}" -a demo/output -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: -a: app_id: byte 4 (0x2f) is not a letter, digit, '.', '_' or '-' (see ccc-quorum-sign --help)"
	assert_no_file r
	crun -0 ccc-quorum-sign request "${REQ_NO_APP[@]}" -a My-app_2.0 -o r fx/ct.A
	# A request that names one anyway is refused by every reader: the
	# oracles, and the nodes, which decode it the same way.
	crun -0 ccc-quorum-sign request "${REQ_NO_APP[@]}" -a demoXoutput -o good \
	    fx/ct.A
	local at
	at=$(find_hex good "$(hex_str demoXoutput)")
	replace_bytes good $((at + 4)) 2f bad
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -U -o s bad
	assert_stderr "ccc-quorum-sign: invalid field: bad: at byte $((at + 4)): app_id: byte 4 (0x2f) is not a letter, digit, '.', '_' or '-'"
	assert_no_file s
}

@test "ccc-quorum-sign request: a pipe of ciphertexts is copied up to the request's cap" {
	# One good ciphertext, then zero bytes without end: the copy stops
	# at the 64 MiB a request may hold (timeout only bounds a failure).
	crun -1 timeout 120 bash -c 'cat fx/ct.A /dev/zero | ccc-quorum-sign request -a A -m "$0" -k fx/k23/tpk.cbor -r fx/roster -P fx/pool -K fx/epub -o r -' "$MEAS"
	assert_output_empty
	assert_stderr "ccc-quorum-sign: input too large: stdin: larger than 67108864 bytes"
	crun -1 timeout 120 bash -c 'cat /dev/zero | ccc-quorum-sign request -a A -m "$0" -k fx/k23/tpk.cbor -r fx/roster -P fx/pool -K fx/epub -o r -' "$MEAS"
	assert_stderr "ccc-quorum-sign: malformed input: stdin: item 1: at byte 0: blob: expected map, found unsigned integer"
	assert_no_file r
}

@test "ccc-quorum-sign request: a request over the readers' 64 MiB is not written" {
	head -c 34000000 /dev/zero >big
	ccc-encrypt -k fx/k23/tpk.cbor -l app:A -o big.ct big
	crun -1 ccc-quorum-sign request "${REQ[@]}" -o r big.ct big.ct
	assert_output_empty
	[[ "$stderr" == "ccc-quorum-sign: input too large: the request would be 680"*" bytes, more than the 67108864 its readers take" ]] ||
	    fail "stderr: $stderr"
	assert_no_file r
}

@test "ccc-quorum-sign request: -O sealed without -R is refused (exit 2)" {
	crun -2 ccc-quorum-sign request "${REQ[@]}" -O sealed -o r fx/ct.A
	assert_output_empty
	assert_stderr "ccc-quorum-sign: usage: -O sealed needs -R PUB (see ccc-quorum-sign --help)"
	assert_no_file r
}

@test "ccc-quorum-sign request: the enclave key must be an attested enclave key (exit 1)" {
	# ccc-keygen recipient keys are for recipients only (issue 12).
	ccc-keygen recipient -o rk -p rpub
	crun -1 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K rpub -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: wrong blob type: rpub: at byte 0: expected an attested enclave key (ccc/enclave-key/v1), found a recipient public key (ccc/recipient-pub/v1)"
	crun -1 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K fx/o1.pub -o r fx/ct.A
	assert_stderr "ccc-quorum-sign: wrong blob type: fx/o1.pub: at byte 0: expected an attested enclave key (ccc/enclave-key/v1), found an identity public key (ccc/identity-pub/v1)"
	assert_no_file r
}

# ---- sign ------------------------------------------------------------------

@test "ccc-quorum-sign sign: an oracle signs a request it checked" {
	crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s fx/req
	assert_stderr_empty
	assert_output_empty
	crun -0 ccc-inspect s
	[[ "${lines[1]}" == '  "type": "ccc/signature/v1",' ]]
	assert_contains "$output" "  \"signer\": \"$(field_hex fx/o1.pub id)\","
	assert_contains "$output" '  "blob_type": "ccc/request/v1",'
	assert_contains "$output" "  \"digest\": \"$(sha256 fx/req)\","
	# Ed25519 is deterministic: the same signature as the fixture's.
	assert_same s fx/sig1
	# Standard input and output work too.
	ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool <fx/req >s2
	assert_same s2 fx/sig1
}

@test "ccc-quorum-sign request: ciphertexts with invalid points or proofs are refused (exit 1)" {
	local u ub e
	u=$(field_offset fx/ct.A u)
	ub=$(field_offset fx/ct.A u_bar)
	e=$(field_offset fx/ct.A e)
	# A hybrid (06) prefix, a compressed (02) one, a point off the
	# curve, a scalar not reduced, a proof that fails.
	replace_bytes fx/ct.A "$u" 06 hybrid
	replace_bytes fx/ct.A "$u" 02 compressed
	flip_bit fx/ct.A $((ub + 64)) 0 offcurve
	replace_bytes fx/ct.A "$e" "$(printf 'ff%.0s' {1..32})" unreduced
	crun -1 ccc-quorum-sign request "${REQ[@]}" -o r fx/ct.A hybrid
	assert_output_empty
	assert_stderr "ccc-quorum-sign: invalid point: hybrid: item 1: u: not a point on P-256"
	crun -1 ccc-quorum-sign request "${REQ[@]}" -o r compressed
	assert_stderr "ccc-quorum-sign: invalid point: compressed: item 1: u: not a point on P-256"
	crun -1 ccc-quorum-sign request "${REQ[@]}" -o r offcurve
	assert_stderr "ccc-quorum-sign: invalid point: offcurve: item 1: u_bar: not a point on P-256"
	crun -1 ccc-quorum-sign request "${REQ[@]}" -o r unreduced
	assert_stderr "ccc-quorum-sign: invalid scalar: unreduced: item 1: e: not below the group order"
	cat fx/ct.A fx/ct.bad >two
	crun -1 ccc-quorum-sign request "${REQ[@]}" -o r two
	assert_stderr "ccc-quorum-sign: invalid ciphertext: two: item 2: proof does not verify (tampered, or made for another key)"
	assert_no_file r
}

@test "ccc-quorum-sign sign: a request with a bad ciphertext is refused (exit 1)" {
	# Built from good ciphertexts, then the second one's c altered.
	ccc-encrypt -k fx/k23/tpk.cbor -l app:A -o ct2 fx/msg
	crun -0 ccc-quorum-sign request "${REQ[@]}" -o good fx/ct.A ct2
	flip_bit good "$(find_hex good "$(field_hex ct2 c)")" 0 r
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s r
	assert_output_empty
	assert_stderr "ccc-quorum-sign: invalid ciphertext: r: item 2: proof does not verify (tampered, or made for another key)"
	assert_no_file s
}

@test "ccc-quorum-sign sign: a request for another key is refused (exit 1)" {
	crun -0 ccc-keygen dealer -t 2 -n 3 -d other
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k other/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s fx/req
	assert_stderr "ccc-quorum-sign: key mismatch: fx/req: the request is for key $(field_hex fx/k23/tpk.cbor key_id | cut -c1-8), not this public key"
	assert_no_file s
}

@test "ccc-quorum-sign sign: an expired request is refused (exit 1)" {
	# Made 200 s ago, with a key the enclave attested then.
	local t=$(($(date +%s) - 200))
	ccc-enclave-run keygen -a fx/enc.key -s ek -o epub --now $t
	crun -0 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K epub --now $t -E 60 -o r fx/ct.A
	# Valid up to the second before it expires.
	crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now $((t + 59)) -o s r
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool --now $((t + 60)) -o s2 r
	assert_output_empty
	assert_stderr "ccc-quorum-sign: expired: r: the request expired at $(utc $((t + 60))) (now $(utc $((t + 60))))"
	# And by default against the clock.
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -o s2 r
	[[ "$stderr" == "ccc-quorum-sign: expired: r: the request expired at $(utc $((t + 60))) (now "*")" ]]
	assert_no_file s2
}

@test "ccc-quorum-sign sign: a ciphertext labelled for another app is refused (exit 1)" {
	crun -0 ccc-quorum-sign request "${REQ[@]}" -o r fx/ct.A fx/ct.B
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s r
	assert_output_empty
	assert_stderr 'ccc-quorum-sign: refused by policy: r: item 2: a ciphertext labelled "app:B" is not allowed for app "A"'
	assert_no_file s
	# The oracle's label policy can allow it.
	printf '# app A may read what app B wrote\nallow A app:B\n' >policy
	crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool \
	    -p policy -o s r
	assert_stderr_empty
}

@test "ccc-quorum-sign sign: an unlabelled ciphertext needs -U or the policy" {
	crun -0 ccc-quorum-sign request "${REQ[@]}" -o r fx/ct.U
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s r
	assert_stderr 'ccc-quorum-sign: refused by policy: r: item 1: unlabelled ciphertext (all-zero label) not allowed for app "A"'
	assert_no_file s
	crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -U -o s r
	assert_stderr_empty
	printf 'allow-unlabelled A\n' >policy
	crun -0 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool \
	    -p policy -o s2 r
	assert_same s2 s
	printf 'allow-unlabelled B\n' >policy2
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool \
	    -p policy2 -o s3 r
	assert_stderr 'ccc-quorum-sign: refused by policy: r: item 1: unlabelled ciphertext (all-zero label) not allowed for app "A"'
}

@test "ccc-quorum-sign sign: a malformed policy file is refused (exit 1)" {
	printf 'allow A\n' >policy
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool \
	    -p policy -o s fx/req
	assert_stderr 'ccc-quorum-sign: malformed input: policy: line 1: expected "allow APP CONTEXT" or "allow-unlabelled APP"'
	assert_no_file s
}

@test "ccc-quorum-sign sign: a request needs -k to be checked (exit 2)" {
	crun -2 ccc-quorum-sign sign -i fx/o1.key -o s fx/req
	assert_stderr "ccc-quorum-sign: usage: signing a request needs the threshold public key (-k) to check its ciphertexts (see ccc-quorum-sign --help)"
	assert_no_file s
}

@test "ccc-quorum-sign sign: any other blob is signed as it is, without -k" {
	crun -0 ccc-quorum-sign sign -i fx/o2.key -o s fx/roster
	assert_stderr_empty
	crun -0 ccc-inspect s
	assert_contains "$output" "  \"signer\": \"$(field_hex fx/o2.pub id)\","
	assert_contains "$output" '  "blob_type": "ccc/roster/v1",'
	assert_contains "$output" "  \"digest\": \"$(sha256 fx/roster)\","
	crun -0 ccc-quorum-sign sign -i fx/o2.key -o s2 fx/k23/tpk.cbor
	assert_contains "$(ccc-inspect s2)" '  "blob_type": "ccc/tpk/v1",'
}

@test "ccc-quorum-sign sign: not a blob, a damaged blob, a public or readable key are refused" {
	printf 'hello\n' >text
	crun -1 ccc-quorum-sign sign -i fx/o1.key -o s text
	assert_stderr "ccc-quorum-sign: wrong blob type: text: at byte 0: not a ccc blob"
	head -c 100 fx/req >short
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s short
	assert_stderr "ccc-quorum-sign: truncated input: short: at byte 56: input ends inside an item"
	cp fx/o1.pub pub && chmod 600 pub
	crun -1 ccc-quorum-sign sign -i pub -o s fx/roster
	assert_stderr "ccc-quorum-sign: wrong blob type: pub: expected an identity secret key (ccc/identity-key/v1)"
	cp fx/o1.key key && chmod 644 key
	crun -2 ccc-quorum-sign sign -i key -o s fx/roster
	assert_stderr "ccc-quorum-sign: insecure permissions: key: secret file is accessible by others (mode 644), run chmod 600"
	assert_no_file s
}

@test "ccc-quorum-sign sign: an identity key whose seed is damaged is refused (exit 1)" {
	# The seed is sk's first half; its second half, the public key,
	# still matches pk.
	local at
	at=$(field_offset fx/o1.key sk)
	flip_bit fx/o1.key "$at" 0 bad.key
	chmod 600 bad.key
	crun -1 ccc-quorum-sign sign -i bad.key -o s fx/roster
	assert_stderr "ccc-quorum-sign: key mismatch: bad.key: at byte $((at - 2)): the secret key's seed does not give its public key"
	assert_no_file s
}

# ---- combine ---------------------------------------------------------------

@test "ccc-quorum-sign combine: q valid signatures make a certificate" {
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/req -o c \
	    fx/sig3 fx/sig1 fx/sig2
	assert_stderr_empty
	assert_output_empty
	crun -0 ccc-inspect c
	[[ "${lines[1]}" == '  "type": "ccc/certified/v1",' ]]
	assert_contains "$output" "  \"roster\": \"$(sha256 fx/roster)\","
	assert_contains "$output" '  "blob_type": "ccc/request/v1",'
	assert_contains "$output" "\"request_id\": \"$(field_hex fx/req request_id)\","
	[[ $(grep -c '"signer"' <<<"$output") == 3 ]]
	# Canonical: signatures in roster order, whatever the argument order.
	assert_same c fx/cert
	# All four sign: four signatures; the blob on standard input.
	crun -0 ccc-quorum-sign combine -r fx/roster -o c4 fx/sig1 fx/sig2 \
	    fx/sig3 fx/sig4 <fx/req
	assert_stderr_empty
	[[ $(ccc-inspect c4 | grep -c '"signer"') == 4 ]]
}

@test "ccc-quorum-sign combine: q-1 signatures are refused, naming who did not sign (exit 1)" {
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c fx/sig1 fx/sig4
	assert_output_empty
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-4)"
	crun -1 ccc-quorum-sign combine -r fx/roster -o c fx/sig2 <fx/req
	assert_stderr "ccc-quorum-sign: bad signature: stdin: 1 valid signature, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-2)"
	assert_no_file c
}

@test "ccc-quorum-sign: control characters from inputs are escaped on the error line" {
	# A member name that would forge a second log line and clear the
	# terminal; a type string and a label with the same.
	ccc-keygen identity -o evil.key -p evil.pub \
	    -N "$(printf 'evil\nccc-quorum-sign: forged\033[2J\\')"
	ccc-quorum-sign roster -q 2 -N "$(printf 'r\033]0;x\007')" \
	    --not-before $NB --not-after $NA -o r2 fx/o1.pub evil.pub
	ccc-quorum-sign sign -i fx/o1.key -o ps1 fx/pool.blob
	crun -1 ccc-quorum-sign combine -r r2 -c fx/pool.blob -o c ps1
	((${#stderr_lines[@]} == 1)) || fail "not one line"
	assert_stderr 'ccc-quorum-sign: bad signature: fx/pool.blob: 1 valid signature, roster "r\033]0;x\007" needs 2; not signed by evil\nccc-quorum-sign: forged\033[2J\\'
	# A blob whose type says "ccc/\e[31m".
	write_hex "a10069$(hex_str 'ccc/')1b$(hex_str '[31m')" t
	crun -1 ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor \
	    -r fx/roster -P fx/pool -K t -o r fx/ct.A
	assert_stderr 'ccc-quorum-sign: wrong blob type: t: at byte 0: expected an attested enclave key (ccc/enclave-key/v1), found type "ccc/\033[31m"'
	# A label with a newline, refused for app A.
	ccc-encrypt -k fx/k23/tpk.cbor -l "$(printf 'app:B\nok')" -o ct fx/msg
	crun -0 ccc-quorum-sign request "${REQ[@]}" -o r ct
	crun -1 ccc-quorum-sign sign -i fx/o1.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s r
	assert_stderr 'ccc-quorum-sign: refused by policy: r: item 1: a ciphertext labelled "app:B\nok" is not allowed for app "A"'
}

@test "ccc-quorum-sign combine: an unknown signer's signature is ignored with a warning" {
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/req -o c fx/sigx \
	    fx/sig1 fx/sig2 fx/sig3
	assert_stderr 'ccc-quorum-sign: warning: fx/sigx: signer is not in roster "oracles"; ignored'
	assert_same c fx/cert
	# It does not count towards q; a refusal is one line that says so.
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c2 fx/sigx \
	    fx/sig1 fx/sig2
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2); ignored: fx/sigx: signer is not in roster \"oracles\""
	assert_no_file c2
}

@test "ccc-quorum-sign combine: a second signature by the same oracle is ignored with a warning" {
	cp fx/sig1 again
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/req -o c fx/sig1 \
	    again fx/sig2 fx/sig3
	assert_stderr 'ccc-quorum-sign: warning: again: a second signature by oracle-1; ignored'
	assert_same c fx/cert
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c2 fx/sig1 \
	    again fx/sig2
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-2); ignored: again: a second signature by oracle-1"
	assert_no_file c2
}

@test "ccc-quorum-sign combine: a signature over another blob is ignored with a warning" {
	crun -0 ccc-quorum-sign request "${REQ[@]}" -o r2 fx/ct.A
	crun -0 ccc-quorum-sign sign -i fx/o4.key -k fx/k23/tpk.cbor -A fx/attest.policy -r fx/roster -P fx/pool -o s4 r2
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/req -o c s4 fx/sig1 \
	    fx/sig2 fx/sig3
	assert_stderr 'ccc-quorum-sign: warning: s4: oracle-4 signed another blob; ignored'
	assert_same c fx/cert
	# The same bytes under another type do not count either.
	crun -0 ccc-quorum-sign sign -i fx/o4.key -o s4r fx/roster
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c2 s4 s4r \
	    fx/sig1
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 1 valid signature, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1); ignored: s4: oracle-4 signed another blob; s4r: oracle-4 signed another blob"
	assert_no_file c2
}

@test "ccc-quorum-sign combine: a forged or malformed signature is ignored with a warning" {
	flip_bit fx/sig2 "$(field_offset fx/sig2 sig)" 3 forged
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req -o c fx/sig1 \
	    forged fx/sig3
	assert_stderr "ccc-quorum-sign: bad signature: fx/req: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-3); ignored: forged: bad signature by oracle-2, or made for another roster"
	printf 'junk' >junk
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/req -o c junk \
	    fx/sig1 fx/sig2 fx/sig3
	assert_stderr "ccc-quorum-sign: warning: junk: input ends inside an item; ignored"
	assert_same c fx/cert
}

@test "ccc-quorum-sign combine: a roster outside its validity is refused (exit 1)" {
	crun -1 ccc-quorum-sign combine -r fx/roster -c fx/req --now $NA -o c \
	    fx/sig1 fx/sig2 fx/sig3
	assert_stderr "ccc-quorum-sign: expired: fx/roster: roster \"oracles\" is valid from $(utc $NB) to $(utc $NA), not at $(utc $NA)"
	assert_no_file c
}

# ---- verify ----------------------------------------------------------------

@test "ccc-quorum-sign verify: exit 0 and the exact certified bytes" {
	crun -0 ccc-quorum-sign verify -r fx/roster -o out fx/cert
	assert_stderr_empty
	assert_output_empty
	assert_same out fx/req
	# To standard output, from standard input.
	ccc-quorum-sign verify -r fx/roster <fx/cert >out2 2>err
	assert_same out2 fx/req
	[[ ! -s err ]]
}

@test "ccc-quorum-sign verify -v: a one-line summary" {
	crun -0 ccc-quorum-sign verify -r fx/roster -v fx/cert
	assert_stderr_empty
	assert_output "certified computation request (ccc/request/v1), $(size_of fx/req) bytes, under roster \"oracles\" ($(sha256 fx/roster)), quorum 3 of 4"
}

@test "ccc-quorum-sign verify: fewer than q valid signatures (exit 1)" {
	# sig2 inside the certificate no longer verifies.
	local at
	at=$(find_hex fx/cert "$(field_hex fx/sig2 sig)")
	flip_bit fx/cert "$((at + 10))" 0 c
	crun -1 ccc-quorum-sign verify -r fx/roster -o out c
	assert_output_empty
	assert_stderr "ccc-quorum-sign: bad signature: c: 2 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster oracle-1 oracle-3)"
	assert_no_file out
}

@test "ccc-quorum-sign verify: a certificate whose request was altered after signing (exit 1)" {
	# One bit of the request's code measurement, inside the certificate.
	local at
	at=$(find_hex fx/cert "$(field_hex fx/req code)")
	flip_bit fx/cert "$((at + 47))" 0 c
	crun -1 ccc-quorum-sign verify -r fx/roster -o out c
	assert_output_empty
	assert_stderr "ccc-quorum-sign: bad signature: c: 0 valid signatures, roster \"oracles\" needs 3; not signed by $(names_except fx/roster)"
	assert_no_file out
}

@test "ccc-quorum-sign verify: a roster outside its validity (exit 1)" {
	crun -1 ccc-quorum-sign verify -r fx/roster --now $NA -o out fx/cert
	assert_stderr "ccc-quorum-sign: expired: fx/cert: roster \"oracles\" is valid from $(utc $NB) to $(utc $NA), not at $(utc $NA)"
	crun -1 ccc-quorum-sign verify -r fx/roster --now $((NB - 1)) -o out fx/cert
	assert_stderr "ccc-quorum-sign: expired: fx/cert: roster \"oracles\" is valid from $(utc $NB) to $(utc $NA), not at $(utc $((NB - 1)))"
	crun -0 ccc-quorum-sign verify -r fx/roster --now $NB -o out fx/cert
	assert_same out fx/req
}

@test "ccc-quorum-sign verify: a certificate under another roster (exit 1)" {
	local i
	crun -1 ccc-quorum-sign verify -r fx/roster2 -o out fx/cert
	assert_output_empty
	assert_stderr "ccc-quorum-sign: key mismatch: fx/cert: at byte $(($(field_offset fx/cert roster) - 2)): certified under another roster than \"others\""
	assert_no_file out
	# Even when its signers would make that roster's quorum (a pool's
	# signatures, which do not name a roster).
	for i in 1 2; do
		ccc-quorum-sign sign -i "fx/o$i.key" -o "ps$i" fx/pool.blob
	done
	crun -0 ccc-quorum-sign combine -r fx/roster2 -c fx/pool.blob -o c2 \
	    ps1 ps2
	crun -1 ccc-quorum-sign verify -r fx/roster -o out c2
	assert_stderr "ccc-quorum-sign: key mismatch: c2: at byte $(($(field_offset c2 roster) - 2)): certified under another roster than \"oracles\""
}

@test "ccc-quorum-sign: any blob type can be certified, a roster for instance" {
	local i
	for i in 1 2 3; do
		crun -0 ccc-quorum-sign sign -i "fx/o$i.key" -o "s$i" fx/roster2
	done
	crun -0 ccc-quorum-sign combine -r fx/roster -c fx/roster2 -o c s1 s2 s3
	assert_stderr_empty
	crun -0 ccc-quorum-sign verify -r fx/roster -v c
	assert_output "certified oracle roster (ccc/roster/v1), $(size_of fx/roster2) bytes, under roster \"oracles\" ($(sha256 fx/roster)), quorum 3 of 4"
	crun -0 ccc-quorum-sign verify -r fx/roster -o out c
	assert_same out fx/roster2
}

@test "ccc-quorum-sign request: --connect carries the request's egress ports, and needs -n" {
	crun -0 ccc-quorum-sign request "${REQ[@]}" -n --connect 443 \
	    --connect 8443 -o r fx/ct.A
	assert_contains "$(ccc-inspect r)" '  "egress": [
    "01bb",
    "20fb"
  ]'
	crun -2 ccc-quorum-sign request "${REQ[@]}" --connect 443 -o r2 fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: --connect needs -n (see ccc-quorum-sign --help)"
	crun -2 ccc-quorum-sign request "${REQ[@]}" -n --connect 0 -o r2 fx/ct.A
	assert_stderr "ccc-quorum-sign: usage: --connect: a TCP port, 1 to 65535 (see ccc-quorum-sign --help)"
	assert_no_file r2
}

# ---- outputs and state as one set: sign -C, accept ------------------------

# sign_c [ARG...]: oracle 1 signs fx/tres, advancing the chain ./chain (a
# copy of fx/chain), at the time the result was made.
sign_c() {
	ccc-quorum-sign sign -i fx/o1.key -A fx/attest.policy -r fx/roster \
	    -P fx/pool -F fx/tcert -C chain --now "$(cat fx/now)" "$@" fx/tres
}

# the chain's next head, once it took fx/tres
next_chain() {
	printf 'ccc-chain/v1 A 1 %s\n' "$(printf 'the next table' |
	    sha256sum | cut -c1-64)"
}

@test "sign -C: the chain advances with the signature" {
	cp fx/chain chain
	crun -0 sign_c -o sig
	assert_stderr_empty
	assert_same chain <(next_chain)
	crun -0 ccc-inspect sig
	assert_contains "$output" '"type": "ccc/signature/v1"'
	assert_contains "$output" '"blob_type": "ccc/result/v1"'
	assert_contains "$output" "\"digest\": \"$(sha256 fx/tres)\""
	# Signed once: the chain has moved on, the result is now stale.
	crun -1 sign_c -o sig2
	assert_contains "$stderr" "stale table"
	assert_no_file sig2
	assert_no_temp_files .
}

@test "sign -C: a chain that cannot be put in place lets no signature out" {
	cp fx/chain chain
	save chain
	crun -2 eio chain sign_c
	assert_stderr "ccc-quorum-sign: i/o error: chain: Input/output error"
	assert_output_empty
	assert_unchanged chain
	crun -2 eio chain sign_c -o sig
	assert_stderr "ccc-quorum-sign: i/o error: chain: Input/output error"
	assert_no_file sig
	assert_unchanged chain
	assert_no_temp_files .
	# Nothing went out: the same result can be signed once it can be.
	crun -0 sign_c -o sig
	assert_same chain <(next_chain)
}

@test "sign -C: a signature that cannot be written leaves the chain where it was" {
	cp fx/chain chain
	save chain
	echo old >sig
	crun -2 sign_c -o sig
	assert_stderr "ccc-quorum-sign: refusing to overwrite: sig: file exists (use -f to replace it)"
	assert_unchanged chain
	mkdir -p dir/x
	crun -2 sign_c -o dir -f
	assert_stderr "ccc-quorum-sign: i/o error: dir: Is a directory"
	assert_unchanged chain
	crun -2 eio sig sign_c -o sig -f
	assert_stderr "ccc-quorum-sign: i/o error: sig: Input/output error"
	# (A rename refused once the chain is in place: that signature is
	# lost, the chain has moved on, as ccc-quorum-sign(1) says.)
	assert_same chain <(next_chain)
	assert_same sig <(echo old)
	assert_no_temp_files .
}

@test "sign -C: standard output full after the chain moved on loses that signature, as documented" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	cp fx/chain chain
	crun -2 bash -c "$(declare -f sign_c); sign_c >/dev/full"
	assert_stderr "ccc-quorum-sign: i/o error: stdout: No space left on device"
	assert_same chain <(next_chain)
}

# transfer7: o1's transfer of fx/ct.A to o2, nonce 7, in t
transfer7() {
	ccc-quorum-sign transfer -i fx/o1.key -t fx/o2.pub --nonce 7 -o t \
	    fx/ct.A
}

# accept7 [ARG...]: o2 accepts t, its record ./nonces
accept7() {
	ccc-quorum-sign accept --from fx/o1.pub -t fx/o2.pub --nonces nonces \
	    "$@" t
}

@test "accept: a record that cannot be put in place lets no amount out" {
	transfer7
	crun -2 eio nonces accept7
	assert_stderr "ccc-quorum-sign: i/o error: nonces: Input/output error"
	assert_output_empty
	assert_no_file nonces
	crun -2 eio nonces accept7 -o amount
	assert_no_file amount nonces
	assert_no_temp_files .
	# Accepted once, when the record can be written.
	crun -0 accept7 -o amount
	assert_same amount fx/ct.A
	assert_same nonces <(printf '%s 7\n' "$(field_hex fx/o1.pub id)")
	save nonces
	crun -1 accept7 -o again
	assert_stderr "ccc-quorum-sign: replayed: t: nonce 7 is not above 7, the sender's last"
	assert_no_file again
	assert_unchanged nonces
}

@test "accept: an amount that cannot be written leaves no nonce on record" {
	transfer7
	echo old >amount
	crun -2 accept7 -o amount
	assert_stderr "ccc-quorum-sign: refusing to overwrite: amount: file exists (use -f to replace it)"
	assert_no_file nonces
	crun -2 bash -c "$(declare -f accept7); accept7 >&-"
	assert_stderr "ccc-quorum-sign: i/o error: stdout: standard output is closed"
	assert_output_empty
	assert_no_file nonces
	assert_no_temp_files .
}

# level2: in the current directory, a level-2 request of app A for
# fx/ct.A, 3 replicas of which 2 must agree, on the pool "pool3" of
# enclave-1 (fx/enc.key) and two more; certified as cert; each replica's
# result (tests/unit/result-forge: no enclave runs) in res-1..res-3,
# replica 3's output differing; the time they were made in now.
level2() {
	local j e keys=() rid out
	cp fx/o[1-4].key fx/roster .
	cp fx/enc.key enclave-1.key
	cp fx/enc.pem enclave-1.pem
	for j in 2 3; do
		ccc-keygen enclave-cert -r fx/aroot.key -o "enclave-$j.key" \
		    -p "enclave-$j.pem" -N "enclave-$j"
	done
	make_pool pool3 enclave-1.pem,operator=a,name=enclave-1 \
	    enclave-2.pem,operator=b,name=enclave-2 \
	    enclave-3.pem,operator=c,name=enclave-3
	ccc-quorum-sign assign -r roster -P pool3 --replicas 3 >assigned
	rid=$(head -n 1 assigned | cut -d' ' -f1)
	j=0
	while read -r _ _ e; do
		j=$((j + 1))
		ccc-enclave-run keygen -a "$e.key" -n "$rid" -s "key-$j" \
		    -o "key-$j.pub"
		keys+=(-K "key-$j.pub")
	done <assigned
	ccc-quorum-sign request -a A -m "$MEAS" -k fx/k23/tpk.cbor -r roster \
	    -P pool3 "${keys[@]}" --agree 2 -I "$rid" -o req fx/ct.A
	for j in 1 2 3; do
		ccc-quorum-sign sign -i "o$j.key" -k fx/k23/tpk.cbor \
		    -A fx/attest.policy -r roster -P pool3 -o "req.sig$j" req
	done
	ccc-quorum-sign combine -r roster -c req -o cert req.sig1 req.sig2 \
	    req.sig3
	date +%s >now
	j=0
	while read -r _ _ e; do
		j=$((j + 1))
		out='the result'
		((j < 3)) || out='another result'
		"$CCC_BIN/../tests/unit/result-forge" -c -k "$e.key" -F cert \
		    -K "$(field_hex "key-$j.pub" pk)" -t "$out" -T "$(cat now)" \
		    -o "res-$j"
	done <assigned
}

# agree3 [ARG...]: the replicas' results of level2 compared
agree3() {
	ccc-quorum-sign agree -A fx/attest.policy -r roster -P pool3 -F cert \
	    --now "$(cat now)" "$@" res-1 res-2 res-3
}

@test "agree -D: a result that cannot be written leaves no divergence record" {
	level2
	echo old >agreed
	crun -2 agree3 -D div -o agreed
	assert_no_file div
	assert_stderr "ccc-quorum-sign: refusing to overwrite: agreed: file exists (use -f to replace it)"
	mkdir -p dir/x
	crun -2 agree3 -D div -o dir -f
	assert_stderr "ccc-quorum-sign: i/o error: dir: Is a directory"
	assert_no_file div
	assert_no_temp_files .
	# Written, both: the record names replica 3.
	crun -0 agree3 -D div -o agreed -f
	assert_stderr "ccc-quorum-sign: warning: 2 of 3 replicas agree: replica 3 differs"
	assert_contains "$(ccc-inspect div)" '"verdict": "differs"'
	assert_contains "$(ccc-inspect agreed)" '"replicas": ['
}
