#!/usr/bin/env bats
# ccc-flow: whitepaper steps 0-7 end to end on a local deployment, with
# decryption nodes down or misbehaving and enclaves failing; --print and
# --dry-run; its work directory; the walk-throughs of its man page (its
# EXAMPLES, lint and SYNOPSIS are checked in tools.bats).
#
# ccc-flow is the built one ($CCC_BIN/ccc-flow, made from
# scripts/ccc-flow.in); before it is built, the source itself.
bats_require_minimum_version 1.5.0
load helpers

DEMO_RESULT='app demo: 1 input(s), 111 bytes: 4 records, total 23400, mean 5850'

setup_file() {
	flow_from_source
}

setup() {
	PATH="$BATS_FILE_TMPDIR/bin:$PATH"
	cd "$BATS_TEST_TMPDIR" || return
}

# The files every run makes (n=7, 4 oracles, 2 enclaves), apart from the
# nodes' state and the enclaves' code directories.
STEP_FILES=(
	00-keys/committee/tpk.cbor
	00-keys/committee/share-{1..7}.cbor
	00-keys/oracle-{1..4}.{key,pub}
	00-keys/roster
	00-keys/attest-root.key 00-keys/attest-root.pem 00-keys/attest.policy
	00-keys/enclave-{1,2}.{key,pem}
	00-keys/pool.blob 00-keys/pool.sig-{1..3} 00-keys/pool
	00-enclaves/enclave-{1,2}/policy
	01-input 01-input.ct
	02-program
)
# The files of one request (steps 2-7), relative to its directory.
REQUEST_FILES=(
	02-assigned 02-request.pub 02-request
	03-sig-oracle-{1..4} 03-certified
	04-sealed-node-{1..7}
	05-forwarded
	06-result
	07-attestation
	07-sig-oracle-{1..4} 07-certified-result
	07-output
)

# assigned [DIR]: the number of the enclave the request in DIR (default
# w) was assigned to.
assigned() {
	local name
	name=$(cut -d' ' -f3 "${1:-w}/02-assigned")
	echo "${name#enclave-}"
}

# ---- the whole flow ----------------------------------------------------------

@test "ccc-flow: with the defaults (7 nodes, t=5, 4 oracles, q=3, 2 enclaves) it runs and prints the result" {
	crun -0 ccc-flow -d w
	assert_stderr_empty
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	assert_contains "$output" "== 0. set-up: the decryption nodes' threshold key (5 of 7; a dealer stands in for a DKG)"
	assert_contains "$output" "== 6. enclave $(assigned) opens the shares"
	assert_same w/07-output <(printf '%s\n' "$DEMO_RESULT")
}

@test "ccc-flow: every file of the work directory is named by its step" {
	crun -0 ccc-flow -d w
	local f
	for f in "${STEP_FILES[@]}" "${REQUEST_FILES[@]}"; do
		[[ -f w/$f ]] || fail "w/$f is missing"
	done
	# The per-request key was erased by the enclave once used.
	assert_no_file w/02-request.key w/attempt-2
	# Nothing else at the top: each name starts with its step.
	for f in w/* w/.[!.]*; do
		[[ ! -e $f || ${f#w/} == 0[0-7]-* ]] || fail "not named by step: $f"
	done
	# The code directory holds the program under its SHA-384.
	[[ -f w/00-enclaves/enclave-1/code/$(sha384sum <w/02-program | cut -d' ' -f1) ]]
	# What was forwarded to the enclave.
	assert_same w/05-forwarded <(printf '%s\n' 03-certified 04-sealed-node-{1..7})
	# Every node logged its release once; the logs verify.
	for f in 1 2 3 4 5 6 7; do
		crun -0 ccc-inspect -L "w/00-nodes/node-$f"
		assert_output "w/00-nodes/node-$f/access.log: 1 entry, chained and matching its head"
	done
	# The files are what their names say.
	crun -0 ccc-quorum-sign verify -r w/00-keys/roster -v w/03-certified
	assert_contains "$output" "certified computation request (ccc/request/v1)"
	crun -0 ccc-quorum-sign verify -r w/00-keys/roster -v w/07-certified-result
	assert_contains "$output" "certified computation result (ccc/result/v1)"
	assert_contains "$(ccc-inspect w/04-sealed-node-7)" '"index": 7,'
	assert_contains "$(cat w/07-attestation)" "root: ccc-flow-root (software)"
}

@test "ccc-flow: a second run into the same directory needs -f, and -f only replaces a work directory" {
	crun -0 ccc-flow -d w
	crun -2 ccc-flow -d w
	assert_stderr "ccc-flow: refusing to overwrite: $PWD/w: not empty (-f replaces an earlier run of ccc-flow)"
	crun -0 ccc-flow -d w -f
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	mkdir other && touch other/keep
	crun -2 ccc-flow -d other -f
	assert_stderr "ccc-flow: refusing to overwrite: $PWD/other: not the work directory of ccc-flow (no 00-keys)"
	[[ -f other/keep ]]
	# An empty directory is used as it is.
	mkdir empty
	crun -0 ccc-flow -d empty
}

# ---- --print and --dry-run -----------------------------------------------------

@test "ccc-flow --print: every command, as it runs, relative to the work directory" {
	crun -0 ccc-flow -d w --print
	assert_stderr_empty
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	local c
	for c in \
	    "mkdir -p $PWD/w" \
	    "cd $PWD/w" \
	    "ccc-keygen dealer -t 5 -n 7 -d 00-keys/committee" \
	    "ccc-keygen identity -o 00-keys/oracle-4.key -p 00-keys/oracle-4.pub -N oracle-4" \
	    "ccc-quorum-sign roster -q 3 -N oracles -o 00-keys/roster 00-keys/oracle-1.pub 00-keys/oracle-2.pub 00-keys/oracle-3.pub 00-keys/oracle-4.pub" \
	    "ccc-keygen enclave-cert -r 00-keys/attest-root.key -o 00-keys/enclave-2.key -p 00-keys/enclave-2.pem -N enclave-2" \
	    "ccc-encrypt -k 00-keys/committee/tpk.cbor -l app:demo -o 01-input.ct 01-input" \
	    "cp 02-program 00-enclaves/enclave-1/code/\$(sha384sum < 02-program | cut -d' ' -f1)" \
	    "ccc-quorum-sign pool -N ccc-flow -o 00-keys/pool.blob 00-keys/enclave-1.pem,operator=operator-1,name=enclave-1 00-keys/enclave-2.pem,operator=operator-2,name=enclave-2" \
	    "ccc-quorum-sign sign -i 00-keys/oracle-3.key -o 00-keys/pool.sig-3 00-keys/pool.blob" \
	    "ccc-quorum-sign combine -r 00-keys/roster -b 00-keys/pool.blob -o 00-keys/pool 00-keys/pool.sig-1 00-keys/pool.sig-2 00-keys/pool.sig-3" \
	    "ccc-quorum-sign assign -r 00-keys/roster -P 00-keys/pool > 02-assigned" \
	    "read -r request_id enclave_id enclave < 02-assigned" \
	    "assignment=\$request_id" \
	    "ccc-enclave-run keygen -a 00-keys/\$enclave.key -n \$request_id -s 02-request.key -o 02-request.pub" \
	    "ccc-quorum-sign request -a demo -x 02-program -k 00-keys/committee/tpk.cbor -r 00-keys/roster -P 00-keys/pool -K 02-request.pub -I \$request_id -O public -o 02-request 01-input.ct" \
	    "ccc-quorum-sign sign -i 00-keys/oracle-2.key -k 00-keys/committee/tpk.cbor -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool -o 03-sig-oracle-2 02-request" \
	    "ccc-quorum-sign combine -r 00-keys/roster -b 02-request -o 03-certified 03-sig-oracle-1 03-sig-oracle-2 03-sig-oracle-3 03-sig-oracle-4" \
	    "ccc-reencrypt -s 00-keys/committee/share-6.cbor -k 00-keys/committee/tpk.cbor -r 00-keys/roster -A 00-keys/attest.policy -P 00-keys/pool -d 00-nodes/node-6 -o 04-sealed-node-6 03-certified" \
	    "printf '%s\\n' 03-certified 04-sealed-node-1 04-sealed-node-2 04-sealed-node-3 04-sealed-node-4 04-sealed-node-5 04-sealed-node-6 04-sealed-node-7 > 05-forwarded" \
	    "timeout 600 ccc-enclave-run -r 00-keys/roster -k 00-keys/committee/tpk.cbor -i 02-request.key -a 00-keys/\$enclave.key -x 00-enclaves/\$enclave/code -p 00-enclaves/\$enclave/policy --report 06-nodes.json -o 06-result \$(cat 05-forwarded)" \
	    "ccc-attest-verify -p 00-keys/attest.policy -r 03-certified 06-result > 07-attestation" \
	    "ccc-quorum-sign sign -i 00-keys/oracle-3.key -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool -F 03-certified -o 07-sig-oracle-3 06-result" \
	    "ccc-quorum-sign combine -r 00-keys/roster -b 06-result -o 07-certified-result 07-sig-oracle-1 07-sig-oracle-2 07-sig-oracle-3 07-sig-oracle-4" \
	    "ccc-quorum-sign verify -r 00-keys/roster 07-certified-result | ccc-combine --result - -o 07-output" \
	    "cat 07-output"; do
		printf '%s\n' "${lines[@]}" | grep -qxF -- "$c" ||
		    fail "not printed: $c"
	done
	# Every line is a command, a comment, a blank, part of a here-document
	# or the output: as a whole it is a script.
	assert_contains "$output" "# 3. each oracle checks the request, and that its key is attested by the enclave the pool assigns it to, and signs it; 3 signatures make the certificate"
	assert_contains "$output" "# 6. the assigned enclave opens the shares, verifies them, decrypts, runs the program in its sandbox and attests the result (deadline 600 s)"
}

@test "ccc-flow --dry-run: prints the commands and runs nothing" {
	# (bats keeps its own files in $BATS_TEST_TMPDIR: work beneath it.)
	mkdir sub sub/tmp
	cd sub
	crun -0 env TMPDIR="$PWD/tmp" ccc-flow -d w --dry-run
	assert_stderr_empty
	assert_no_file w
	[[ -z "$(ls -A tmp)" ]]
	[[ "$(ls -A)" == tmp ]]
	assert_contains "$output" "ccc-keygen dealer -t 5 -n 7 -d 00-keys/committee"
	assert_contains "$output" "timeout 600 ccc-enclave-run -r 00-keys/roster"
	[[ "${lines[-1]}" == "cat 07-output" ]]
	# The same commands as a real run prints, apart from what only a run
	# knows (its request id, its output).
	local dry=$output
	crun -0 ccc-flow -d w --print
	diff <(printf '%s\n' "$dry") \
	    <(printf '%s\n' "$output" | grep -v -e '^# request ' -e "^$DEMO_RESULT\$") >&2
}

@test "ccc-flow --dry-run: what it prints is a script that does the run" {
	crun -0 ccc-flow -d w --dry-run -n 4 -t 3
	printf '%s\n' "$output" >replay.sh
	assert_no_file w
	crun -0 bash replay.sh
	assert_stderr_empty
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	local f
	for f in 02-request 03-certified 04-sealed-node-4 06-result 07-certified-result 07-output; do
		[[ -f w/$f ]] || fail "w/$f is missing"
	done
}

# ---- decryption nodes down or misbehaving ----------------------------------------

@test "ccc-flow --commitments: the input and every node's shares carry their proofs' commitments; the run is the same" {
	crun -0 ccc-flow -d w --commitments --fail-node 6
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	assert_stderr "ccc-flow: warning: node 6 did not answer (down)"
	assert_same w/07-output <(printf '%s\n' "$DEMO_RESULT")
	# The ciphertext's w and w_bar; each release one 307-byte record.
	crun -0 ccc-inspect w/01-input.ct
	assert_contains "$output" $'\n  "w": "04'
	assert_contains "$output" $'\n  "w_bar": "04'
	for i in 1 2 3 4 5 7; do
		[[ $(ccc-inspect "w/04-sealed-node-$i" |
		    grep -c '^    "[0-9a-f]\{614\}"$') == 1 ]]
	done
	# The enclave judged the nodes as always.
	crun -0 ccc-inspect w/06-result
	[[ $(grep -c '"verdict": "verified"' <<<"$output") == 5 ]]
	[[ $(grep -c '"verdict": "unchecked"' <<<"$output") == 1 ]]
}

@test "ccc-flow: node 2 down and node 3 corrupting its shares: the flow succeeds and names both" {
	crun -0 ccc-flow -d w --fail-node 2 --corrupt-node 3
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	[[ "${stderr_lines[0]}" == "ccc-flow: warning: node 2 did not answer (down)" ]]
	[[ "${stderr_lines[1]}" == "ccc-flow: warning: node 3 misbehaved: its sealed shares were not used: cannot open (sealed to another key, or altered)" ]]
	((${#stderr_lines[@]} == 2))
	assert_contains "$output" "node 2 is down (--fail-node 2): it does not answer"
	assert_contains "$output" "node 3 misbehaves (--corrupt-node 3): the last byte of its sealed shares is flipped"
	assert_no_file w/04-sealed-node-2
	[[ -f w/04-sealed-node-3 ]]
	assert_same w/05-forwarded <(printf '%s\n' 03-certified 04-sealed-node-{1,3,4,5,6,7})
	# Node 2 logged nothing; node 3 did serve (and logged) the request.
	assert_no_file w/00-nodes/node-2
	crun -0 ccc-inspect -L w/00-nodes/node-3
	assert_output "w/00-nodes/node-3/access.log: 1 entry, chained and matching its head"
}

@test "ccc-flow: 3 of 7 nodes down: fails cleanly, only 4 of the 5 needed shares came back, from whom" {
	crun -1 ccc-flow -d w --fail-node 5 --fail-node 6 --fail-node 7
	assert_stderr "ccc-flow: not enough shares: only 4 of the 5 needed shares came back, from nodes 1, 2, 3 and 4 (nodes 5, 6 and 7 did not answer)"
	# The enclave was not asked; nothing came out.
	assert_no_file w/05-forwarded w/06-result w/07-output
	[[ -f w/04-sealed-node-4 ]]
}

@test "ccc-flow: 2 down and 1 corrupting: only 4 valid shares, the bad node named" {
	crun -1 ccc-flow -d w --fail-node 1 --fail-node 7 --corrupt-node 4
	assert_stderr "ccc-flow: not enough shares: only 4 of the 5 needed shares came back valid, from nodes 2, 3, 5 and 6 (node 4: cannot open (sealed to another key, or altered); nodes 1 and 7 did not answer)"
	assert_no_file w/06-result w/07-output
}

@test "ccc-flow: t=2 of n=3 with one node down still decrypts" {
	crun -0 ccc-flow -d w -n 3 -t 2 --oracles 3 --quorum 2 --enclaves 1 --fail-node 1
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	assert_stderr "ccc-flow: warning: node 1 did not answer (down)"
}

# ---- enclaves failing ------------------------------------------------------------

@test "ccc-flow: the first enclave crashes: the oracles reassign the request, a fresh key goes to the next enclave" {
	crun -0 ccc-flow -d w --first-enclave 1 --crash-enclave 1
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	((${#stderr_lines[@]} == 1))
	[[ "${stderr_lines[0]}" == "ccc-flow: warning: enclave 1 failed: code failed: "*"; no result and no attestation; the request is reassigned" ]]
	assert_contains "$output" "== 2. reassigned: a new request of the same assignment, with a fresh id and key, goes to the next enclave (attempt 2, in attempt-2)"
	[[ $(assigned w) == 1 && $(assigned w/attempt-2) == 2 ]]
	# The first request's files stay; it has no result.
	assert_no_file w/06-result w/07-output
	local f
	for f in "${REQUEST_FILES[@]}"; do
		[[ -f w/attempt-2/$f ]] || fail "w/attempt-2/$f is missing"
	done
	# The oracles' reassignment: of the first request, from enclave 1.
	crun -0 ccc-quorum-sign verify -r w/00-keys/roster -o ra w/08-reassigned
	[[ "$(field_hex ra request_id)" == "$(field_hex w/02-request request_id)" ]]
	[[ "$(field_hex ra enclave_id)" == "$(field_hex w/02-request enclave_id)" ]]
	# A new request: another id, the same assignment, the reassignment in
	# it, another per-request key, from enclave 2.
	local id1 id2
	id1=$(field_hex w/02-request request_id)
	id2=$(field_hex w/attempt-2/02-request request_id)
	[[ $id1 != "$id2" ]]
	[[ "$(field_hex w/attempt-2/02-request assignment)" == "$id1" ]]
	[[ "$(field_hex w/attempt-2/02-request enclave_key)" == "$(field_hex w/attempt-2/02-request.pub pk)" ]]
	[[ "$(field_hex w/02-request enclave_key)" != "$(field_hex w/attempt-2/02-request enclave_key)" ]]
	[[ "$(field_hex w/attempt-2/06-result enclave_id)" == "$(field_hex w/attempt-2/02-request enclave_id)" ]]
	[[ "$(field_hex w/02-request enclave_id)" != "$(field_hex w/attempt-2/02-request enclave_id)" ]]
	grep -qx 'module_id: ccc-software-enclave-2' w/attempt-2/07-attestation
	# Both keys were erased; every node served both requests.
	assert_no_file w/02-request.key w/attempt-2/02-request.key
	crun -0 ccc-inspect -L w/00-nodes/node-5
	assert_output "w/00-nodes/node-5/access.log: 2 entries, chained and matching its head"
	assert_contains "$(ccc-inspect w/00-nodes/node-5/access.log)" "\"request_id\": \"$id2\""
}

@test "ccc-flow: an enclave whose key the oracles cannot trust loses the request before any node serves it" {
	crun -0 ccc-flow -d w --first-enclave 1 --untrusted-enclave 1 --fail-node 4 --corrupt-node 6
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	[[ "${stderr_lines[0]}" == "ccc-flow: warning: enclave 1 failed: the oracles refused its key: attestation refused: 02-request: the enclave key is not attested: untrusted root: root \"rogue-root\" sha256:"*" is not pinned by the policy; the request is reassigned" ]]
	[[ "${stderr_lines[1]}" == "ccc-flow: warning: node 4 did not answer (down)" ]]
	[[ "${stderr_lines[2]}" == "ccc-flow: warning: node 6 misbehaved: its sealed shares were not used: cannot open (sealed to another key, or altered)" ]]
	((${#stderr_lines[@]} == 3))
	# Not certified, not served: the nodes logged the second request only.
	assert_no_file w/03-sig-oracle-1 w/03-certified w/04-sealed-node-1
	crun -0 ccc-inspect -L w/00-nodes/node-1
	assert_output "w/00-nodes/node-1/access.log: 1 entry, chained and matching its head"
	[[ -f w/attempt-2/07-output ]]
}

# The deadline also bounds the enclave that does answer: 20 s is far more
# than it takes on a loaded machine under the sanitizers (about 1 s).
@test "ccc-flow: an enclave that does not answer within --enclave-timeout is reassigned" {
	crun -0 ccc-flow -d w --first-enclave 2 --hang-enclave 2 --enclave-timeout 20
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
	assert_stderr "ccc-flow: warning: enclave 2 failed: no answer within 20 s; the request is reassigned"
	assert_contains "$output" "enclave 2 does not answer (--hang-enclave 2): it stops before it runs"
	assert_no_file w/06-result
	[[ $(assigned w/attempt-2) == 1 ]]
	grep -qx 'module_id: ccc-software-enclave-1' w/attempt-2/07-attestation
}

@test "ccc-flow: every enclave of the pool failing ends the run" {
	crun -1 ccc-flow -d w --enclaves 2 --crash-enclave 1 --crash-enclave 2
	local first second
	first=$(assigned w) second=$(assigned w/attempt-2)
	[[ $first != "$second" ]]
	((${#stderr_lines[@]} == 3))
	[[ "${stderr_lines[0]}" == "ccc-flow: warning: enclave $first failed: code failed: "*"; the request is reassigned" ]]
	[[ "${stderr_lines[1]}" == "ccc-flow: warning: enclave $second failed: code failed: "*"; the request is reassigned" ]]
	[[ "${stderr_lines[2]}" == "ccc-flow: enclave failed: every enclave of the pool failed: enclave $first: code failed: "*"; enclave $second: code failed: "* ]]
	assert_no_file w/06-result w/attempt-2/06-result w/attempt-3/02-assigned
}

# ---- options -------------------------------------------------------------------

@test "ccc-flow: input from standard input, another program and app, output sealed to a recipient" {
	# The program counts the "vote-" marks in its input: counting newlines
	# would also count any 0x0a byte of the random request id there.
	printf '#!/bin/sh\n/usr/bin/grep -ao vote- | /usr/bin/wc -l\n' >count
	crun -0 sh -c 'printf "vote-a\nvote-b\nvote-c\n" | ccc-flow -d w -i - -x count -a vote.1 -O sealed'
	[[ "${lines[-1]}" == 3 ]]
	assert_contains "$(ccc-inspect w/01-input.ct)" '"context": "app:vote.1",'
	assert_contains "$(ccc-inspect w/02-request)" '"output": 1,'
	# Sealed: the result's output is not the plaintext.
	crun -2 ccc-combine --result w/06-result -o x
	assert_stderr "ccc-combine: usage: the output is sealed to a recipient: give its key with -i (see ccc-combine --help)"
	crun -0 ccc-combine --result w/06-result -i w/00-keys/recipient.key -o x
	assert_same x <(echo 3)
}

@test "ccc-flow: output threshold-encrypted under the key, for another request" {
	crun -0 ccc-flow -d w -O threshold
	assert_contains "$output" '"context": "app:demo/output",'
	assert_contains "$(ccc-inspect w/07-output)" '"type": "ccc/ct/v1",'
}

@test "ccc-flow: with --network the request asks for the network and the enclaves allow it" {
	crun -0 ccc-flow -d w --network
	assert_contains "$(ccc-inspect w/02-request)" '"network": true'
	assert_same w/00-enclaves/enclave-2/policy <(printf 'network allow\nconnect *:*\n')
}

@test "ccc-flow: usage errors exit 2 with one line and touch nothing" {
	crun -2 ccc-flow -d w -n 3 -t 5
	assert_stderr "ccc-flow: usage: the threshold -t 5 is more than the 3 nodes (see ccc-flow --help)"
	crun -2 ccc-flow -d w --quorum 5
	assert_stderr "ccc-flow: usage: the quorum 5 is more than the 4 oracles (see ccc-flow --help)"
	crun -2 ccc-flow -d w --fail-node 8
	assert_stderr "ccc-flow: usage: there is no node 8 of 7 (see ccc-flow --help)"
	crun -2 ccc-flow -d w --crash-enclave 3
	assert_stderr "ccc-flow: usage: there is no enclave 3 of 2 (see ccc-flow --help)"
	crun -2 ccc-flow -d w --first-enclave 3
	assert_stderr "ccc-flow: usage: there is no enclave 3 of 2 (see ccc-flow --help)"
	crun -2 ccc-flow -d w --hang-enclave 3
	assert_stderr "ccc-flow: usage: there is no enclave 3 of 2 (see ccc-flow --help)"
	crun -2 ccc-flow -d w --enclave-timeout 0
	assert_stderr "ccc-flow: usage: --enclave-timeout takes 1 to 86400 seconds, not '0' (see ccc-flow --help)"
	crun -2 ccc-flow -d w --fail-node 2 --corrupt-node 2
	assert_stderr "ccc-flow: usage: node 2 cannot be both down and corrupting (see ccc-flow --help)"
	crun -2 ccc-flow -d w -O loud
	assert_stderr "ccc-flow: usage: -O takes public, sealed or threshold, not 'loud' (see ccc-flow --help)"
	crun -2 ccc-flow -d w -n 0
	assert_stderr "ccc-flow: usage: -n takes a number from 1 to 255, not '0' (see ccc-flow --help)"
	crun -2 ccc-flow -d w extra
	assert_stderr "ccc-flow: usage: unexpected argument 'extra' (see ccc-flow --help)"
	crun -2 ccc-flow -d w -i absent
	assert_stderr "ccc-flow: i/o error: absent: not a readable file"
	assert_no_file w
}

# ---- the man page ------------------------------------------------------------------

# blocks PAGE SECTION: the literal blocks of the section (.Sh or .Ss) of
# PAGE whose title is SECTION, as shell text.
blocks() {
	awk -v title="$2" '
		/^\.S[hs][ \t]/ {
			t = $0; sub(/^\.S[hs][ \t]+/, "", t); on = (t == title); lit = 0; next
		}
		!on { next }
		/^\.Bd[ \t]+-literal/ { lit = 1; next }
		/^\.Ed([ \t]|$)/ { lit = 0; next }
		lit && !/^\.\\"/ { print }
	' "$1" | sed -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g'
}

@test "ccc-flow: the checks of REPLAYING A RUN BY HAND pass on a run's work directory" {
	blocks "$TOP_SRCDIR/man/ccc-flow.1" "REPLAYING A RUN BY HAND" >replay.sh
	[[ $(wc -l <replay.sh) -gt 10 ]]
	crun -0 ccc-flow -d w
	cd w
	crun -0 bash -euo pipefail ../replay.sh
	assert_contains "$output" "refused: 1"
	assert_stderr "ccc-reencrypt: replayed: 03-certified: request $(field_hex 02-request request_id | cut -c1-16)... was already served by node 1"
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
}

@test "ccc-flow: the walk-through of ccc(7) replays a run" {
	blocks "$TOP_SRCDIR/man/ccc.7" "Replaying a ccc-flow run" >walk.sh
	[[ -s walk.sh ]] || skip "ccc(7) has no subsection \"Replaying a ccc-flow run\" yet"
	crun -0 bash -euo pipefail walk.sh
	[[ "${lines[-1]}" == "$DEMO_RESULT" ]]
}

@test "ccc-flow --time: each step's wall time and the request's latency on stderr" {
	crun -0 ccc-flow -d timed --time
	local n
	n=$(grep -c '^ccc-flow: time: step [0-7]: [0-9]*\.[0-9][0-9][0-9] ms$' <<<"$stderr")
	[[ $n == 8 ]] || fail "expected 8 step lines, got $n"
	[[ "$(tail -n 1 <<<"$stderr")" =~ ^ccc-flow:\ time:\ request\ \(steps\ 1-7\):\ [0-9]+\.[0-9]{3}\ ms$ ]]
}
