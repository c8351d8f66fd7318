#!/usr/bin/env bats
# ccc-enclave-run's sandbox holds: a measured program (tests/cli/
# sandbox-escape.c, compiled here) tries each escape of issue 12 on its
# decrypted input, and each attempt fails for the stated reason.  The
# program prints what happened (the run's public output); listeners and
# processes outside the sandbox, started by the test, show that nothing
# reached them.  Run as root (as CI does), the program still runs without
# privileges.  A test whose kernel feature is missing is skipped, naming it.
bats_require_minimum_version 1.5.0
load helpers

# In $BATS_FILE_TMPDIR, made once: a 2-of-2 key (key/), one oracle (o1)
# in a q=1 roster, the software attestation root and enclave-1 (e1), and
# the escape program (escape).
setup_file() {
	(
		set -e
		cd "$BATS_FILE_TMPDIR"
		ccc-keygen dealer -t 2 -n 2 -d key
		ccc-keygen identity -o o1.key -p o1.pub -N oracle-1
		ccc-quorum-sign roster -q 1 -N oracles -o roster o1.pub
		ccc-keygen attest-root -o root.key -p root.pem -N demo-root
		ccc-keygen enclave-cert -r root.key -o e1.key -p e1.pem \
		    -N enclave-1
		printf '%s\n' 'ccc-attest-policy 1' \
		    'root software root.pem demo-root' 'measurements any' \
		    'allow-software yes' 'max-age 316224000' >attest.policy
		make_pool pool e1.pem,operator=test
		"${CC:-cc}" -O2 -o escape "$TOP_SRCDIR/tests/cli/sandbox-escape.c"
	)
}

setup() {
	use_fixtures
	mkdir code
	cp fx/escape "code/$(sha384sum <fx/escape | cut -d' ' -f1)"
	secret="plaintext-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
}

teardown() {
	local p
	# Only processes this test started.
	for p in ${started-}; do
		kill "$p" 2>/dev/null || :
	done
}

# attempt CMD [REQUEST-OPTION...]: the escape program runs the attempt
# CMD on the input "cmd:CMD\n$secret\n", with the enclave policy in the
# file $pol when set, and ccc-enclave-run run through the command $wrap
# when set; it must finish well (exit 0, nothing on stderr but the
# kernel's gaps, which tests needing them skip, kept in $warning), and its
# output, what it saw, is in $output.
attempt() {
	local cmd=$1 i
	shift
	rm -f msg ct r.*
	printf 'cmd:%s\n%s\n' "$cmd" "$secret" >msg
	ccc-encrypt -k fx/key/tpk.cbor -l app:demo -o ct msg &&
	    ccc-enclave-run keygen -a fx/e1.key -s r.key -o r.pub &&
	    ccc-quorum-sign request -a demo -x fx/escape -k fx/key/tpk.cbor \
	    -r fx/roster -P fx/pool -K r.pub -o r.req "$@" ct &&
	    ccc-quorum-sign sign -i fx/o1.key -k fx/key/tpk.cbor \
	    -A fx/attest.policy -r fx/roster -P fx/pool -o r.sig r.req &&
	    ccc-quorum-sign combine -r fx/roster -c r.req -o r.cert r.sig ||
	    return
	for i in 1 2; do
		ccc-reencrypt -s "fx/key/share-$i.cbor" -k fx/key/tpk.cbor \
		    -r fx/roster -A fx/attest.policy -P fx/pool -d "st$i" \
		    -o "r.s$i" r.cert || return
	done
	((${refused-0})) && {
		ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor -a fx/e1.key \
		    -c code ${pol:+-p "$pol"} -i r.key -o r.res r.cert r.s1 r.s2
		return
	}
	# shellcheck disable=SC2086 # $wrap: a command and its arguments
	crun -0 ${wrap-} ccc-enclave-run -r fx/roster -k fx/key/tpk.cbor \
	    -a fx/e1.key -c code ${pol:+-p "$pol"} -i r.key -o r.res r.cert \
	    r.s1 r.s2
	warning=$stderr
	[[ -z "$stderr" || "$stderr" == "ccc-enclave-run: warning: the sandbox ran without what this kernel does not give: "* ]] ||
	    fail "unexpected stderr"
	crun -0 ccc-combine --result r.res
}

# attempt_refused CMD [REQUEST-OPTION...]: attempt, where ccc-enclave-run
# is to refuse the request: its status and stderr are the function's.
attempt_refused() {
	refused=1 attempt "$@"
}

# listen NAME unix PATH | listen NAME tcp: a listener outside the sandbox
# storing what one connection sends in NAME.out; returns once it listens
# (NAME.ready then holds its TCP port).  It says so with a line on a FIFO
# the test holds open, so nothing is polled.
listen() {
	local n=$1 fd port
	shift
	mkfifo "$n.fifo"
	exec {fd}<>"$n.fifo"
	if [[ $1 == unix ]]; then
		fx/escape listen-unix "$2" "$n.fifo" "$n.out" \
		    </dev/null >/dev/null 2>&1 3>&- &
	else
		fx/escape listen-tcp "$n.fifo" "$n.out" \
		    </dev/null >/dev/null 2>&1 3>&- &
	fi
	started+=" $!"
	# The timeout only ends a listener that died before it listened.
	if ! IFS= read -r -t 60 -u "$fd" port; then
		exec {fd}<&-
		fail "listener $n did not start"
	fi
	exec {fd}<&-
	printf '%s' "$port" >"$n.ready"
}

# nothing_reached NAME: the listener got no byte (no connection at all).
nothing_reached() {
	[[ ! -s "$1.out" ]] || fail "the listener $1 received: $(cat "$1.out")"
}

# kill_outside WHAT: the program sends SIGKILL to a process the test
# started outside; it says WHAT, and the process lives on.
kill_outside() {
	sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	local victim=$!
	started+=" $victim"
	attempt "kill $victim"
	assert_output "$1"
	kill -0 "$victim"
}

# needs_landlock ABI WHAT: skip unless the kernel's Landlock has ABI.
needs_landlock() {
	local abi
	abi=$(fx/escape landlock-abi)
	((abi >= $1)) ||
	    skip "this kernel's Landlock ABI is $abi: $2 needs ABI $1"
}

# needs_namespaces: skip unless user, PID, mount and network namespaces
# can be made here.
needs_namespaces() {
	unshare -U -p -f -m -n true 2>/dev/null ||
	    skip "this kernel or its configuration gives no user, PID, mount and network namespaces"
}

# The unprivileged uid the program runs as.
program_uid() {
	if ((EUID == 0)); then echo 65534; else echo "$EUID"; fi
}

# ---- sockets -------------------------------------------------------------------

@test "escape: a Unix socket by path carries nothing out (no socket but socketpair)" {
	listen l unix "$PWD/l.sock"
	attempt "unix $PWD/l.sock"
	assert_output "socket: Permission denied"
	nothing_reached l
}

@test "escape: an abstract Unix socket carries nothing out" {
	listen l unix "@ccc-sandbox-test-$$-$BATS_TEST_NUMBER"
	attempt "unix @ccc-sandbox-test-$$-$BATS_TEST_NUMBER"
	assert_output "socket: Permission denied"
	nothing_reached l
}

@test "escape: with network permission, TCP only to the allow-listed ports" {
	needs_landlock 4 "a TCP port allow-list"
	listen a tcp
	listen b tcp
	printf 'network allow\nconnect *:%s\n' "$(cat a.ready)" >pol
	pol=pol
	attempt "tcp $(cat b.ready)" -n
	assert_output "connect: Permission denied"
	nothing_reached b
	# The listed port is reached.
	attempt "tcp $(cat a.ready)" -n
	[[ "$output" == "sent: "* ]]
	grep -q "$secret" a.out
	# Unix sockets stay closed with the network allowed, and UDP, which
	# Landlock does not bound.
	listen u unix "$PWD/u.sock"
	attempt "unix $PWD/u.sock" -n
	assert_output "socket: Permission denied"
	nothing_reached u
	attempt "udp $(cat b.ready)" -n
	assert_output "socket: Permission denied"
	# Without a connect line, no port; with *:*, any.
	printf 'network allow\n' >pol
	attempt "tcp $(cat b.ready)" -n
	assert_output "connect: Permission denied"
	nothing_reached b
	printf 'network allow\nconnect *:*\n' >pol
	attempt "tcp $(cat b.ready)" -n
	[[ "$output" == "sent: "* ]]
	grep -q "$secret" b.out
}

# ---- processes -----------------------------------------------------------------

@test "escape: the request's egress allow-list narrows the policy's" {
	needs_landlock 4 "a TCP port allow-list"
	listen a tcp
	listen b tcp
	printf 'network allow\nconnect *:*\n' >pol
	pol=pol
	# The policy allows any port; the request names port a only.
	attempt "tcp $(cat b.ready)" -n --connect "$(cat a.ready)"
	assert_output "connect: Permission denied"
	nothing_reached b
	attempt "tcp $(cat a.ready)" -n --connect "$(cat a.ready)"
	[[ "$output" == "sent: "* ]]
	grep -q "$secret" a.out
	# A port the policy does not allow: the enclave refuses the request,
	# before the per-request key is used.
	printf 'network allow\nconnect *:%s\n' "$(cat a.ready)" >pol
	crun -1 attempt_refused "tcp $(cat b.ready)" -n \
	    --connect "$(cat b.ready)"
	assert_stderr "ccc-enclave-run: refused by policy: r.cert: the request asks to connect to port $(cat b.ready), which this enclave's policy does not allow"
	assert_no_file r.res
	[[ -f r.key ]]
	nothing_reached b
}

@test "escape: no signal reaches a process outside the sandbox" {
	needs_namespaces
	# In its own PID namespace the program sees no such process.
	kill_outside "kill: No such process"
}

@test "escape: ptrace of the parent is refused" {
	attempt ptrace
	assert_output "ptrace: Operation not permitted"
}

@test "escape: a fork bomb stops at the policy's process limit" {
	needs_namespaces
	printf 'processes 8\n' >pol
	pol=pol
	attempt "fork 100"
	assert_output "forked 8: Resource temporarily unavailable"
}

@test "escape: a setsid, double-forked child does not outlive the run" {
	needs_namespaces
	local mark="86399.$$$BATS_TEST_NUMBER" p left=''
	attempt "setsid $mark"
	assert_output "setsid: started"
	for p in /proc/[0-9]*; do
		if [[ "$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)" == \
		    "sleep $mark " ]]; then
			left+=" ${p#/proc/}"
		fi
	done
	started+=$left
	[[ -z "$left" ]] || fail "still running:$left"
}

# ---- privileges -------------------------------------------------------------------

@test "escape: the program has its own unprivileged uid and no capability" {
	needs_namespaces
	local u
	u=$(program_uid)
	attempt caps
	assert_output "Uid:	$u	$u	$u	$u
Gid:	$u	$u	$u	$u
CapInh:	0000000000000000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapBnd:	0000000000000000
CapAmb:	0000000000000000"
}

@test "escape: no device node, not the disk's block device nor /dev/mem" {
	attempt mknod
	assert_output "mknod block: Permission denied
mknod char: Permission denied"
}

@test "escape: no bpf() and no new namespaces" {
	attempt bpf
	assert_output "bpf: Operation not permitted"
	attempt unshare
	assert_output "unshare user: Operation not permitted
unshare net: Operation not permitted"
}

@test "escape: no file outside what the sandbox allows is read, not even as root" {
	printf '%s\n' "$secret" >mine
	attempt "read $PWD/mine"
	assert_output "read: Permission denied"
	((EUID == 0)) || skip "the unprivileged uid is tested when run as root"
	attempt "read /etc/shadow"
	assert_output "read: Permission denied"
}

# ---- scratch -----------------------------------------------------------------------

@test "escape: the scratch space has a total size cap" {
	needs_namespaces
	printf 'scratch-max 8M\n' >pol
	pol=pol
	attempt "fill 64"
	assert_output "fill: wrote 8388608: No space left on device"
}

# ---- without namespaces ------------------------------------------------------------

# The start of the warning line.
gaps="ccc-enclave-run: warning: the sandbox ran without what this kernel does not give"

@test "fallback: without a user namespace, root still runs the code as uid 65534 with no capability, in the other namespaces, and says so" {
	((EUID == 0)) || skip "the root fallback is tested when run as root"
	needs_namespaces
	# clone(CLONE_NEWUSER) fails, as on a kernel that forbids it.
	wrap="fx/escape deny-clone 10000000"
	attempt caps
	[[ "$warning" == "$gaps: a user namespace (the code runs as the tool's uid, or setuid when root)" ]]
	assert_output "Uid:	65534	65534	65534	65534
Gid:	65534	65534	65534	65534
CapInh:	0000000000000000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapBnd:	0000000000000000
CapAmb:	0000000000000000"
	printf 'processes 8\nscratch-max 8M\n' >pol
	pol=pol
	attempt "fork 100"
	assert_output "forked 8: Resource temporarily unavailable"
	attempt "fill 64"
	assert_output "fill: wrote 8388608: No space left on device"
}

@test "fallback: with no namespace at all the code is still unprivileged, and each gap is named" {
	((EUID == 0)) || skip "the root fallback is tested when run as root"
	needs_landlock 6 "the scoping this test relies on"
	wrap="fx/escape deny-clone 7E020000"
	attempt caps
	[[ "$warning" == "$gaps: a user namespace (the code runs as the tool's uid, or setuid when root); a PID namespace (no process limit beyond RLIMIT_NPROC; a setsid process can outlive the run); a network namespace; a mount namespace; a size cap on the scratch space; a private /proc" ]]
	[[ "${lines[0]}" == "Uid:	65534	65534	65534	65534" ]]
	[[ "${lines[4]}" == "CapEff:	0000000000000000" ]]
	[[ "${lines[5]}" == "CapBnd:	0000000000000000" ]]
	# Seccomp and Landlock still hold: no socket, no signal outside.
	listen l unix "@ccc-sandbox-test-$$-$BATS_TEST_NUMBER"
	attempt "unix @ccc-sandbox-test-$$-$BATS_TEST_NUMBER"
	assert_output "socket: Permission denied"
	nothing_reached l
	kill_outside "kill: Operation not permitted"
}
