#!/usr/bin/env bats
# ccc-flow --hosts on a lab of network-namespace hosts (scripts/ccc-lab):
# 7 node hosts, 4 oracle hosts, 2 enclave hosts and an application host,
# each with its own sshd and the forced command of ccc-flow(1)'s HOSTS,
# and the orchestrator's namespace where ccc-flow runs.  One lab for the file; each test has its own directory on
# the hosts (the hosts file's last column).  Root only.
#
# Deadlines: a host that is down refuses connections at once; a host that
# hangs hangs for ever (its tool stops itself), so the deadline is what
# ends the wait, and it is long enough for any honest step.
bats_require_minimum_version 1.5.0
load helpers

DEMO_RESULT='app demo: 1 input(s), 111 bytes: 4 records, total 23400, mean 5850'

# Why the lab cannot be built here, or nothing (bats 1.8 cannot skip from
# setup_file: each test skips in setup with this reason).
lab_missing() {
	[[ $(id -u) == 0 ]] || { echo "needs root (network namespaces)"; return; }
	# The lab tests ssh plumbing and orchestration, not the tools' memory
	# safety, which the other suites check under the sanitizers: CI runs
	# it in the release build only, within its time budget.
	[[ ${CCC_SANITIZERS:-no} != yes ]] ||
	    { echo "the multi-host lab runs in the release build only"; return; }
	ip netns list >/dev/null 2>&1 || { echo "ip netns is not available"; return; }
	[[ -x /usr/sbin/sshd ]] || echo "needs sshd (openssh-server)"
}

setup_file() {
	flow_from_source
	export LAB_MISSING
	LAB_MISSING=$(lab_missing)
	[[ -z $LAB_MISSING ]] || return 0
	LAB=$BATS_FILE_TMPDIR/lab
	export CCC_LAB_OWNER=${BATS_ROOT_PID:-$$}
	"$TOP_SRCDIR/scripts/ccc-lab" sweep
	"$TOP_SRCDIR/scripts/ccc-lab" up "$LAB" node-{1..7} oracle-{1..4} \
	    enclave-{1,2} application-1 >&3 2>&1
}

teardown_file() {
	[[ -z ${LAB:-} ]] || "$TOP_SRCDIR/scripts/ccc-lab" down "$LAB"
}

setup() {
	[[ -z $LAB_MISSING ]] || skip "$LAB_MISSING"
	PATH="$BATS_FILE_TMPDIR/bin:$PATH"
	LAB=$BATS_FILE_TMPDIR/lab
	cd "$BATS_TEST_TMPDIR" || return
	# This test's directory on every host.
	T=t$BATS_TEST_NUMBER
	sed -e "s| flow\$| $T|" -e "s|^ssh-config .*|ssh-config $LAB/ssh_config|" \
	    "$LAB/hosts" >hosts
}

teardown() {
	local h
	for h in node-{1..7} oracle-{1..4} enclave-{1,2}; do
		"$TOP_SRCDIR/scripts/ccc-lab" start "$LAB" "$h"
	done
	for h in "$LAB"/*/bin/*.real; do
		[[ -L $h ]] || continue
		[[ ! -s ${h%.real}.pid ]] || kill -9 "$(cat "${h%.real}.pid")" 2>/dev/null || :
		rm -f "${h%.real}.pid"
		mv -f "$h" "${h%.real}"
	done
}

# hang HOST TOOL: on HOST, TOOL stops for ever (SIGSTOP) when it would
# serve a request (its keygen subcommand still works); its pid is left in
# TOOL.pid beside it.
hang() {
	local t=$LAB/$1/bin/$2
	mv "$t" "$t.real"
	printf '#!/bin/sh\n[ "$1" = keygen ] && exec "$0.real" "$@"\necho $$ > %s\nkill -STOP $$\n' \
	    "$t.pid" >"$t"
	chmod +x "$t"
}

# app CMD...: CMD in the orchestrator's namespace (the lab's "app").
app() {
	"$TOP_SRCDIR/scripts/ccc-lab" exec "$LAB" app "$@"
}

# srv HOST: the directory HOST serves this test's files from.
srv() {
	echo "$LAB/$1/srv/$T"
}

@test "ccc-flow --hosts: 7 node hosts, 4 oracle hosts, 2 enclave hosts and an application host: the output of the local run, each host holding only its role's files" {
	local here
	crun -0 ccc-flow -d local --first-enclave 1
	here=$output
	crun -0 app ccc-flow --hosts hosts -d w --first-enclave 1
	assert_stderr_empty
	[[ ${lines[-1]} == "$DEMO_RESULT" ]]
	assert_same w/07-output local/07-output
	# Line for line the local run's, but the step that ships each host
	# its files (and the request id).
	local deploy="== 0. each host receives its role's files, over ssh (hosts file $PWD/hosts)"
	assert_contains "$output" "$deploy"
	local same='s/request [0-9a-f]\{16\}\.\.\./request R.../; s/; work directory .*/; work directory D/'
	diff <(printf '%s\n' "$here" | sed "$same") \
	    <(printf '%s\n' "$output" | grep -vxF "$deploy" | sed "$same") >&2
	# The application keeps no share and no enclave key; each node host
	# holds its own share only and served the request (its access log),
	# each oracle host its own key, made there.
	assert_no_file w/00-keys/committee/share-{1..7}.cbor w/00-keys/enclave-{1,2}.key
	local i
	for i in 1 2 3 4 5 6 7; do
		[[ $(cd "$(srv node-$i)/00-keys/committee" && echo *) == "share-$i.cbor tpk.cbor" ]]
		assert_mode 600 "$(srv node-$i)/00-keys/committee/share-$i.cbor"
		crun -0 ccc-inspect -L "$(srv node-$i)/state"
		assert_output "$(srv node-$i)/state/access.log: 1 entry, chained and matching its head"
	done
	for i in 1 2 3 4; do
		assert_mode 600 "$(srv oracle-$i)/oracle.key"
		assert_no_file "$(srv oracle-$i)/00-keys/committee/share-1.cbor"
	done
	[[ -f $(srv enclave-1)/00-keys/enclave-1.key && ! -e $(srv enclave-1)/00-keys/enclave-2.key ]]
	# The input was encrypted, the request built and the result verified
	# on the application host.
	assert_same "$(srv application-1)/01-input.ct" w/01-input.ct
	assert_same "$(srv application-1)/07-certified-result" w/07-certified-result
	[[ -s $(srv application-1)/07-verified ]]
	# The enclave erased the request's key on its host.
	assert_no_file "$(srv enclave-1)/02-request.key"
}

@test "ccc-flow --hosts --print: the ssh commands, each host's in its directory, blobs on stdin and stdout" {
	crun -0 app ccc-flow --hosts hosts -d w --print --step-timeout 90 -O sealed
	[[ ${lines[-1]} == "$DEMO_RESULT" ]]
	# The output's recipient key is made and kept on the application host.
	assert_contains "$output" "timeout 90 \$SSH application-1 in $T ccc-keygen recipient -o recipient.key -p - > 00-keys/recipient.pub"
	assert_contains "$output" "timeout 90 \$SSH application-1 in $T ccc-combine --result 07-verified -i recipient.key > 07-output"
	assert_mode 600 "$(srv application-1)/recipient.key"
	assert_no_file w/00-keys/recipient.key
	local cm
	cm=$(sed -n 's|^SSH=.*ControlPath=\(.*\)/%C .*|\1|p' <<<"$output")
	[[ -n $cm && ! -e $cm ]] # this run's connections are closed
	assert_contains "$output" "SSH='ssh -F $LAB/ssh_config -o ControlMaster=auto -o ControlPath=$cm/%C -o ControlPersist=yes'"
	assert_contains "$output" "timeout 90 \$SSH oracle-2 in $T ccc-quorum-sign sign -i oracle.key -k 00-keys/committee/tpk.cbor -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool < 02-request > 03-sig-oracle-2"
	assert_contains "$output" "timeout 90 \$SSH node-7 in $T ccc-reencrypt -s 00-keys/committee/share-7.cbor -k 00-keys/committee/tpk.cbor -r 00-keys/roster -A 00-keys/attest.policy -P 00-keys/pool -d state < 03-certified > 04-sealed-node-7"
	# What --print shows is what ran: the commands of every host.
	[[ $(grep -c '^timeout 90 $SSH node-[1-7] in '"$T"' ccc-reencrypt ' <<<"$output") == 7 ]]
}

@test "ccc-flow --hosts: a node host down (its sshd stopped) and one that hangs: the flow goes on with the t others at the deadline and names both" {
	"$TOP_SRCDIR/scripts/ccc-lab" stop "$LAB" node-3
	hang node-7 ccc-reencrypt
	crun -0 app ccc-flow --hosts hosts -d w --step-timeout 30
	assert_stderr "ccc-flow: warning: nodes 3 and 7 did not answer (down)"
	[[ ${lines[-1]} == "$DEMO_RESULT" ]]
	assert_contains "$output" "   node 3 did not answer: ssh: connect to host 10.231.0.12 port 22: Connection refused"
	[[ $(grep -c 'node 3 did not answer' <<<"$output") == 2 ]] # deploy, step 4
	assert_contains "$output" "   node 7 did not answer: no answer within 30 s"
	[[ -s $LAB/node-7/bin/ccc-reencrypt.pid ]] # it did hang
	assert_same w/05-forwarded <(printf '%s\n' 03-certified 04-sealed-node-{1,2,4,5,6})
}

@test "ccc-flow --hosts: an oracle host that hangs and an enclave host down: the quorum certifies, the other enclave serves, both named" {
	"$TOP_SRCDIR/scripts/ccc-lab" stop "$LAB" enclave-1
	hang oracle-4 ccc-quorum-sign
	crun -0 app ccc-flow --hosts hosts -d w --step-timeout 20
	assert_stderr "ccc-flow: warning: oracle 4 did not answer (down)
ccc-flow: warning: enclave 1 did not answer (down)"
	[[ ${lines[-1]} == "$DEMO_RESULT" ]]
	[[ -s $LAB/oracle-4/bin/ccc-quorum-sign.pid ]] # it did hang
	# Enclave 1 is named once, at deploy, and never assigned the request.
	assert_contains "$output" "   enclave 1 did not answer: ssh: connect to host 10.231.0.21 port 22: Connection refused"
	[[ $(grep -c 'enclave 1 did not answer' <<<"$output") == 1 ]]
	assert_contains "$output" "   fresh ids are drawn until one is assigned to an enclave that answered"
	assert_contains "$output" "== 6. enclave 2 opens the shares"
	# Oracle 4 is named at step 3 and not asked again at step 7: the
	# request and the result are certified by oracles 1 to 3.
	assert_contains "$output" "   oracle 4 did not answer: no answer within 20 s"
	[[ $(grep -c 'oracle 4 did not answer' <<<"$output") == 1 ]]
	assert_no_file w/03-sig-oracle-4 w/07-sig-oracle-4
	crun -0 ccc-quorum-sign verify -r w/00-keys/roster w/07-certified-result
}

@test "ccc-flow --hosts: only t-1 node hosts up: a clear failure at once, naming who answered and who did not" {
	local h
	for h in node-5 node-6 node-7; do
		"$TOP_SRCDIR/scripts/ccc-lab" stop "$LAB" "$h"
	done
	crun -1 app ccc-flow --hosts hosts -d w
	assert_stderr "ccc-flow: not enough shares: only 4 of the 5 needed shares came back, from nodes 1, 2, 3 and 4 (nodes 5, 6 and 7 did not answer)"
	assert_no_file w/05-forwarded w/06-result
}

@test "ccc-flow --hosts: an enclave host that hangs is reassigned within --enclave-timeout" {
	# Enclave 1's ccc-enclave-run makes keys but stops for ever when it
	# would run a request.
	hang enclave-1 ccc-enclave-run
	crun -0 app ccc-flow --hosts hosts -d w --first-enclave 1 --enclave-timeout 30
	assert_stderr "ccc-flow: warning: enclave 1 failed: no answer within 30 s; the request is reassigned"
	[[ ${lines[-1]} == "$DEMO_RESULT" ]]
	[[ -s $LAB/enclave-1/bin/ccc-enclave-run.pid ]] # it did hang
	assert_contains "$output" "== 6. enclave 2 opens the shares"
	crun -0 ccc-inspect w/08-reassign
	assert_contains "$output" '"reason": "no answer within 30 s",'
	assert_same w/attempt-2/07-output <(printf '%s\n' "$DEMO_RESULT")
}

@test "ccc-flow --hosts --replicas 2: each replica on its enclave's host, each oracle comparing the results on its own" {
	crun -0 app ccc-flow --hosts hosts -d w --replicas 2
	assert_stderr_empty
	[[ ${lines[-1]} == "$DEMO_RESULT" ]]
	# Each replica's key was made on its host and stayed there (erased
	# after its run), each result attested there.
	local j k
	for j in 1 2; do
		k=$(sed -n "${j}p" w/02-assigned | cut -d' ' -f3)
		k=${k#enclave-}
		assert_no_file w/02-request-$j.key "$(srv enclave-$k)/02-request-$j.key"
		assert_same "$(srv enclave-$k)/06-nodes-$j.json" w/06-nodes-$j.json
	done
	[[ $(cut -d' ' -f3 w/02-assigned | sort | tr '\n' ' ') == "enclave-1 enclave-2 " ]]
	# Every oracle compared the two results on its host and agreed.
	local i
	for i in 1 2 3 4; do
		assert_same "$(srv oracle-$i)/06-result-1" w/06-result-1
		[[ -s w/07-agreed-oracle-$i ]]
	done
	assert_no_file w/07-divergence
	crun -2 ccc-flow --hosts hosts -d w2 --replicas 2 --corrupt-replica 1
	assert_stderr "ccc-flow: usage: --corrupt-replica cannot be used with --hosts (it is a test hook of the local run) (see ccc-flow --help)"
}

# ---- the key's lifecycle over ssh --------------------------------------------

# on NODE CMD...: CMD through the operator's key on NODE's host, in this
# test's directory.
on() {
	local h=$1
	shift
	app ssh -F "$LAB/ssh_config" -o ControlMaster=auto \
	    -o ControlPath="$BATS_TEST_TMPDIR/cm-%C" -o ControlPersist=60 \
	    "$h" in "$T" "$@"
}

# send NODE FILE...: the files to NODE's directory.
send() {
	local h=$1
	shift
	tar -cf - "$@" | on "$h" put "$@"
}

# each "I..." FUNC: FUNC I for every node I at once; fails if one failed.
each() {
	local i p rc=0 pids=()
	for i in $1; do
		"$2" "$i" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || rc=1
	done
	return $rc
}

# ticks NODE...: the crontab's ssh line on every node at once (cron starts
# it at the same minute on every host; GNU parallel), until no node has a
# transition under way (at most 10 ticks).
ticks() {
	local pass i
	for pass in 1 2 3 4 5 6 7 8 9 10; do
		parallel -j0 --halt now,fail=1 "$TOP_SRCDIR/scripts/ccc-lab" exec "$LAB" \
		    node-{} env -i HOME="$PWD" LOGNAME=ccc SHELL=/bin/sh \
		    PATH="$LAB/node-{}/bin:/usr/bin:/bin" /bin/sh "$PWD/tick-{}" ::: "$@" ||
		    fail "a tick failed"
		for i; do
			ccc-share status -d "$(srv node-$i)/share" |
			    grep -qx 'transition: none' || continue 2
		done
		return 0
	done
	fail "not done after 10 ticks"
}

@test "ccc-share over ssh: a 5-of-7 DKG and a reshare to 3 of 4, each node on its own host, driven by cron; the epoch-0 ciphertext decrypts" {
	local i j line
	# The crontab's ssh line, as installed, for each node's host.
	line=$(sed -n 's/^#\*\/5 \* \* \* \*  \(.*ccc-share-ssh-transport.*\)$/\1/p' \
	    "$TOP_SRCDIR/examples/crontab.example")
	[[ $line == 'ccc-share advance -d /var/lib/ccc/node && /usr/local/libexec/ccc/ccc-share-ssh-transport /var/lib/ccc/node /etc/ccc/peers' ]]
	# Each node's identity and state, made on its host by its operator.
	init() {
		on node-$1 ccc-keygen identity -o id.key -p - -N node-$1 >node-$1.pub &&
		    on node-$1 ccc-share init -d share -i id.key
	}
	each "1 2 3 4 5 6 7" init
	for i in 1 2 3 4 5 6 7; do
		# Its key to its peers: the peer role on every other node.
		mkdir node-$i
		ssh-keygen -q -t ed25519 -N '' -C node-$i -f node-$i/key
		# (one connection per peer, kept between ticks)
		sed -e "s|IdentityFile .*|IdentityFile $PWD/node-$i/key|" \
		    -e "s|^Host \*\$|&\n    ControlMaster auto\n    ControlPath $PWD/node-$i/cm-%C\n    ControlPersist 120|" \
		    "$LAB/ssh_config" >node-$i/ssh_config
		echo 'ssh-config ssh_config' >node-$i/peers
		for j in 1 2 3 4 5 6 7; do
			((i == j)) && continue
			echo "node-$j $T/share" >>node-$i/peers
		done
		sed -e "s|/usr/local/libexec/ccc/ccc-share-ssh-transport|sh $TOP_SRCDIR/examples/ccc-share-ssh-transport.sh|" \
		    -e "s|/var/lib/ccc/node|$(srv node-$i)/share|g" \
		    -e "s|/etc/ccc/peers|$PWD/node-$i/peers|" <<<"$line" >tick-$i
	done
	for i in 1 2 3 4 5 6 7; do
		for j in 1 2 3 4 5 6 7; do
			((i == j)) ||
			    printf 'restrict,command="%s peer %s" %s\n' "$LAB/node-$j/bin/ccc-serve" \
			    "$LAB/node-$j/srv" "$(cat node-$i/key.pub)" >>"$LAB/node-$j/authorized_keys"
		done
	done
	# The DKG: the committee goes to every node, which starts it.
	ccc-share committee -t 5 -o dkg.committee node-{1..7}.pub
	dkg() { send node-$1 dkg.committee && on node-$1 ccc-share dkg -d share -c dkg.committee; }
	each "1 2 3 4 5 6 7" dkg
	ticks 1 2 3 4 5 6 7
	on node-1 ccc-share export -d share -k tpk0.cbor -g group0.cbor
	on node-1 get tpk0.cbor >tpk0.cbor
	on node-1 get group0.cbor >group0.cbor
	for i in 2 3 4 5 6 7; do
		crun -0 ccc-share status -d "$(srv node-$i)/share"
		assert_contains "$output" "certified by: 7 of 7"
	done
	# Nothing but the protocol's messages came in over the peers' keys.
	[[ -z $(find "$(srv node-1)/share/in" -type f ! -name 'e0-*.cbor') ]]
	printf 'made at epoch 0\n' >msg
	ccc-encrypt -k tpk0.cbor -l app:demo -o msg.ct msg
	# The reshare to nodes 1-4, 3 of 4: approved by 5 members in turn.
	ccc-share committee -t 3 -g group0.cbor -G 0 -o reshare.committee node-{1..4}.pub
	for i in 1 2 3 4 5; do
		send node-$i reshare.committee
		on node-$i ccc-share approve -d share -c reshare.committee -f -o reshare.committee
		on node-$i get reshare.committee >reshare.committee.new
		mv reshare.committee.new reshare.committee
	done
	reshare() { send node-$1 reshare.committee && on node-$1 ccc-share reshare -d share -c reshare.committee; }
	each "1 2 3 4 5 6 7" reshare
	ticks 1 2 3 4 5 6 7
	crun -0 ccc-share status -d "$(srv node-7)/share"
	assert_contains "$output" "member: none (left the committee)"
	# Three of the new committee decrypt the epoch-0 ciphertext, their
	# shares never leaving their hosts.
	on node-2 ccc-share export -d share -k tpk1.cbor
	on node-2 get tpk1.cbor >tpk1.cbor
	[[ $(ccc-inspect tpk0.cbor | grep '"h"') == $(ccc-inspect tpk1.cbor | grep '"h"') ]]
	ccc-keygen recipient -o rk -p rpub
	serve() {
		on node-$1 ccc-share export -d share -s s1.cbor &&
		    send node-$1 rpub msg.ct tpk1.cbor &&
		    on node-$1 ccc-reencrypt -s s1.cbor -k tpk1.cbor --to rpub -l app:demo msg.ct >node-$1.sealed
	}
	each "2 3 4" serve
	crun -0 ccc-combine -k tpk1.cbor -i rk -b msg.ct -o msg.out node-{2,3,4}.sealed
	assert_same msg.out msg
}

@test "--serve over ssh: an oracle host signs and a node host serves two requests, each over one connection" {
	local s="ssh -F $LAB/ssh_config" i k rid enclave
	crun -0 ccc-flow -d w
	cd w
	# Two fresh requests, as ccc-flow's step 2 makes them.
	for i in 1 2; do
		read -r rid _ enclave < <(ccc-quorum-sign assign -r 00-keys/roster -P 00-keys/pool)
		ccc-enclave-run keygen -a "00-keys/$enclave.key" -n "$rid" -s "r$i.key" -o "r$i.pub"
		ccc-quorum-sign request -a demo -x 02-program -k 00-keys/committee/tpk.cbor \
		    -r 00-keys/roster -P 00-keys/pool -K "r$i.pub" -I "$rid" -O public -o "r$i.req" 01-input.ct
	done
	local trust=(00-keys/committee/tpk.cbor 00-keys/roster 00-keys/attest.policy
	    00-keys/attest-root.pem 00-keys/pool)
	# Oracle 1's host: its key and what it trusts, then the requests.
	tar -cf - 00-keys/oracle-1.key "${trust[@]}" |
	    app $s oracle-1 in "$T" put 00-keys/oracle-1.key "${trust[@]}"
	cat r1.req r2.req >reqs
	crun -0 app bash -c '"$@" <reqs >a.oracle' - $s oracle-1 in "$T" \
	    ccc-quorum-sign sign -i 00-keys/oracle-1.key -k 00-keys/committee/tpk.cbor \
	    -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool --serve
	assert_stderr_empty
	# Its answers carry the signatures sign makes here, byte for byte.
	for i in 1 2; do
		for k in 1 2 3; do
			ccc-quorum-sign sign -i "00-keys/oracle-$k.key" -k 00-keys/committee/tpk.cbor \
			    -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool -o "r$i.sig$k" "r$i.req"
		done
	done
	crun -0 ccc-inspect a.oracle
	assert_output "$(printf '{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}\n{\n  "type": "ccc/answer/v1",\n  "status": 0,\n  "request_id": "%s",\n  "output": "%s"\n}' \
	    "$(field_hex r1.req request_id)" "$(hex_of r1.sig1)" \
	    "$(field_hex r2.req request_id)" "$(hex_of r2.sig1)")"
	# Node 1's host: its share and what it trusts, then the certificates.
	for i in 1 2; do
		ccc-quorum-sign combine -r 00-keys/roster -b "r$i.req" -o "r$i.cert" \
		    "r$i.sig1" "r$i.sig2" "r$i.sig3"
	done
	tar -cf - 00-keys/committee/share-1.cbor "${trust[@]}" |
	    app $s node-1 in "$T" put 00-keys/committee/share-1.cbor "${trust[@]}"
	cat r1.cert r2.cert >certs
	crun -0 app bash -c '"$@" <certs >a.node' - $s node-1 in "$T" \
	    ccc-reencrypt -s 00-keys/committee/share-1.cbor -k 00-keys/committee/tpk.cbor \
	    -r 00-keys/roster -A 00-keys/attest.policy -P 00-keys/pool -d state --serve
	assert_stderr_empty
	crun -0 ccc-inspect a.node
	[[ $(grep -c '^  "status": 0,$' <<<"$output") == 2 ]] || fail "not two releases"
	assert_contains "$output" "  \"request_id\": \"$(field_hex r2.req request_id)\","
	crun -0 ccc-inspect -L "$(srv node-1)/state"
	assert_output "$(srv node-1)/state/access.log: 2 entries, chained and matching its head"
}

@test "--serve over ssh: an enclave host makes a key and runs the request made for it over one connection, read an answer at a time" {
	local s="ssh -F $LAB/ssh_config" i pid code rid enclave
	crun -0 ccc-flow -d w
	cd w
	code=00-enclaves/enclave-1/code/$(sha384sum <02-program | cut -d' ' -f1)
	# Enclave 1's host: its attestation key, code, policy and trust.
	tar -cf - 00-keys/enclave-1.key 00-keys/committee/tpk.cbor \
	    00-keys/roster "$code" 00-enclaves/enclave-1/policy |
	    app $s enclave-1 in "$T" put 00-keys/enclave-1.key \
	    00-keys/committee/tpk.cbor 00-keys/roster "$code" \
	    00-enclaves/enclave-1/policy
	coproc HOST { app $s enclave-1 in "$T" ccc-enclave-run -r 00-keys/roster \
	    -k 00-keys/committee/tpk.cbor -a 00-keys/enclave-1.key \
	    -x 00-enclaves/enclave-1/code -p 00-enclaves/enclave-1/policy \
	    --serve 2>err; }
	pid=$HOST_PID
	# A request id the pool assigns to enclave 1; a key for it, made on
	# the host; the request, certified and served here; then the job,
	# over the same connection.
	rid=
	while [[ -z $rid ]]; do
		read -r rid _ enclave < <(ccc-quorum-sign assign -r 00-keys/roster -P 00-keys/pool)
		[[ $enclave == enclave-1 ]] || rid=
	done
	touch before
	ccc-enclave-run item key -n "$rid" >&"${HOST[1]}"
	timeout 600 ccc-inspect --answer -o r.pub <&"${HOST[0]}"
	[[ "$(field_hex r.pub enclave_id)" == "$(openssl x509 -in 00-keys/enclave-1.pem -outform DER | sha256sum | cut -d' ' -f1)" ]]
	ccc-quorum-sign request -a demo -x 02-program -k 00-keys/committee/tpk.cbor \
	    -r 00-keys/roster -P 00-keys/pool -K r.pub -I "$rid" -O public -o r.req 01-input.ct
	for i in 1 2 3; do
		ccc-quorum-sign sign -i "00-keys/oracle-$i.key" -k 00-keys/committee/tpk.cbor \
		    -A 00-keys/attest.policy -r 00-keys/roster -P 00-keys/pool -o "r.sig$i" r.req
	done
	ccc-quorum-sign combine -r 00-keys/roster -b r.req -o r.cert r.sig1 r.sig2 r.sig3
	for i in 1 2 3 4 5; do
		ccc-reencrypt -s "00-keys/committee/share-$i.cbor" -k 00-keys/committee/tpk.cbor \
		    -r 00-keys/roster -A 00-keys/attest.policy -P 00-keys/pool -d "st$i" \
		    -o "r.sealed$i" r.cert
	done
	ccc-enclave-run item job r.cert r.sealed{1..5} >&"${HOST[1]}"
	timeout 600 ccc-inspect --answer -o r.res <&"${HOST[0]}"
	exec {HOST[1]}>&-
	wait "$pid"
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	# The attested result, and the output ccc-flow's own run read.
	crun -0 ccc-attest-verify -p 00-keys/attest.policy -r r.cert r.res
	crun -0 ccc-combine --result r.res -o out
	assert_same out 07-output
	# The per-request key never reached the host's disk.
	[[ -z $(find "$(srv enclave-1)" -newer before -type f) ]] ||
	    fail "files made on the host: $(find "$(srv enclave-1)" -newer before -type f)"
}

@test "ccc-serve: the forced command runs only its role's ccc commands, inside its directory" {
	local s="ssh -F $LAB/ssh_config"
	# The lab's authorized_keys lines are ccc-flow(1)'s, with the lab's paths.
	local doc
	doc=$(sed -n 's/^restrict,command="\/usr\/local\/libexec\/ccc\/ccc-serve \([a-z]*\) \/var\/lib\/ccc" ssh-ed25519 AAAA\.\.\. orchestrator$/\1/p' \
	    "$TOP_SRCDIR/man/ccc-flow.1")
	[[ $doc == node ]]
	[[ $(head -n 1 "$LAB/node-1/authorized_keys") == "restrict,command=\"$LAB/node-1/bin/ccc-serve node $LAB/node-1/srv\" $(cat "$LAB/client_key.pub")" ]]
	crun -2 app $s node-1 ls
	assert_stderr "ccc-serve: refused: ls: not a command of the node role"
	crun -2 app $s oracle-1 ccc-reencrypt -h
	assert_stderr "ccc-serve: refused: ccc-reencrypt: not a command of the oracle role"
	crun -2 app $s enclave-1 ccc-quorum-sign sign -h
	assert_stderr "ccc-serve: refused: ccc-quorum-sign sign: not a command of the enclave role"
	crun -2 app $s oracle-1 ccc-quorum-sign roster -h
	assert_stderr "ccc-serve: refused: ccc-quorum-sign roster: not a command of the oracle role"
	crun -2 app $s application-1 ccc-reencrypt -h
	assert_stderr "ccc-serve: refused: ccc-reencrypt: not a command of the application role"
	crun -2 app $s application-1 ccc-quorum-sign sign -h
	assert_stderr "ccc-serve: refused: ccc-quorum-sign sign: not a command of the application role"
	crun -2 app $s application-1 ccc-keygen identity -o x
	assert_stderr "ccc-serve: refused: ccc-keygen identity: not a command of the application role"
	# No shell: $(id) is a file name.
	crun -0 app $s node-1 in "$T" 'ccc-keygen identity -o $(id); -p $(id).pub'
	[[ -f $(srv node-1)/'$(id);' && -f $(srv node-1)/'$(id).pub' ]]
	crun -2 app $s node-1 ccc-keygen identity -o /tmp/x
	assert_stderr "ccc-serve: refused: '/tmp/x': an absolute path"
	crun -2 app $s node-1 ccc-keygen identity -o/tmp/x
	assert_stderr "ccc-serve: refused: '-o/tmp/x': an absolute path"
	crun -2 app $s node-1 ccc-keygen identity -fo/tmp/x
	assert_stderr "ccc-serve: refused: '-fo/tmp/x': an absolute path"
	crun -2 app $s node-1 ccc-keygen identity --output=/tmp/x
	assert_stderr "ccc-serve: refused: '--output=/tmp/x': an absolute path"
	crun -2 app $s node-1 in .. ccc-keygen identity -o x
	assert_stderr "ccc-serve: refused: '..': a \"..\" (nothing outside the directory is named)"
	crun -2 app $s node-1
	assert_stderr "ccc-serve: refused: no command (an interactive login is not served)"
	# get sends no secret; put takes regular files only, the ones named.
	crun -2 app $s enclave-1 in "$T" get ../node-1/x
	assert_stderr "ccc-serve: refused: '../node-1/x': a \"..\" (nothing outside the directory is named)"
	mkdir -p 00-keys && touch 00-keys/a 00-keys/b && ln -s a 00-keys/l
	crun -2 app bash -c "tar -cf - 00-keys/l | $s enclave-1 in $T put 00-keys/l"
	assert_stderr "ccc-serve: refused: put: the archive holds something that is not a regular file"
	crun -2 app bash -c "tar -cf - 00-keys/a 00-keys/b | $s enclave-1 in $T put 00-keys/a"
	assert_stderr "ccc-serve: refused: put: the archive holds 2 files, not the 1 named"
	crun -0 app bash -c "tar -cf - 00-keys/a | $s enclave-1 in $T put 00-keys/a"
	[[ -f $(srv enclave-1)/00-keys/a ]]
	chmod 600 "$(srv enclave-1)/00-keys/a"
	crun -2 app $s enclave-1 in "$T" get 00-keys/a
	assert_stderr "ccc-serve: refused: get: 00-keys/a: a secret (others cannot read it)"
	# restrict: no forwarding, no terminal.
	crun -255 app $s -o ExitOnForwardFailure=yes -R 2222:127.0.0.1:22 -N node-1
	# (ssh ends its line with \r\n here)
	[[ $stderr == "Error: remote port forwarding failed for listen port 2222"$'\r' ]]
}

@test "ccc-flow --hosts: a hosts file that does not fit is one line, exit 2" {
	local row file why
	# "LINES => WHY": the file, its lines separated by "|", and the detail.
	for row in \
	    "node 1 node-1 d|node 1 node-2 d => line 2: node 1 is given twice" \
	    "nod 1 node-1 d => line 1: unknown role 'nod' (node, oracle, enclave, application or ssh-config)" \
	    "node 1 -oProxyCommand=x d => line 1: '-oProxyCommand=x' is not an ssh destination ([USER@]HOST)" \
	    "node 1 node-1 ../d => line 1: '../d' is not a relative directory (no \"..\")" \
	    "node 0 node-1 d => line 1: the index '0' is not a number from 1 to 255" \
	    "node 1 node-1 => line 1: not ROLE INDEX DESTINATION DIRECTORY"; do
		file=${row% => *} why=${row#* => }
		tr '|' '\n' <<<"$file" >bad
		crun -2 ccc-flow --hosts bad -d w
		assert_stderr "ccc-flow: bad hosts file: $PWD/bad: $why"
	done
	crun -2 ccc-flow --hosts hosts -d w -n 8 -t 5
	assert_stderr "ccc-flow: bad hosts file: $PWD/hosts: no host for node 8"
	crun -2 ccc-flow --hosts hosts -d w --dry-run
	assert_stderr "ccc-flow: usage: --dry-run cannot be used with --hosts (the hosts make the assignment) (see ccc-flow --help)"
	crun -2 ccc-flow --hosts hosts -d w --step-timeout 0
	assert_stderr "ccc-flow: usage: --step-timeout takes 1 to 86400 seconds, not '0' (see ccc-flow --help)"
	crun -2 ccc-flow --hosts nothing -d w
	assert_stderr "ccc-flow: i/o error: nothing: not a readable file"
	assert_no_file w
}
