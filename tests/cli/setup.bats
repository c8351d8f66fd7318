#!/usr/bin/env bats
# The set-up scripts (issue 20): scripts/bootstrap installs per need and
# keeps the package manager's output in its log; the interop test says in
# one line why npm could not fetch Chainlink's toolkit.  apt-get, dpkg-query
# and sudo are stand-ins here, on a PATH without node; the registry is a
# closed local port, so no test touches the network.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	mkdir fake
	local t
	for t in bash dirname grep date mkdir awk sed id cat; do
		ln -s "$(command -v "$t")" "fake/$t"
	done
	# Nothing is installed; apt-get prints dpkg's kind of noise, records
	# its arguments, and fails with $APT_RC when they name $APT_FAIL_ON.
	printf '#!/bin/sh\nexit 1\n' >fake/dpkg-query
	cat >fake/apt-get <<-'EOF'
	#!/bin/sh
	echo "$*" >>"$APT_CALLS"
	echo "Selecting previously unselected package $*."
	[ "$1" = update ] && exit 0
	case "$*" in *"${APT_FAIL_ON:-libcbor-dev}"*) ;; *) exit 0 ;; esac
	echo "E: Unable to locate package ${APT_FAIL_ON:-libcbor-dev}" >&2
	exit "${APT_RC:-0}"
	EOF
	printf '#!/bin/sh\nexec "$@"\n' >fake/sudo
	chmod +x fake/*
	export APT_CALLS=$PWD/calls
}

# bootstrap ARG...: scripts/bootstrap with only the stand-ins on PATH.
bootstrap() {
	PATH=$PWD/fake bash "$TOP_SRCDIR/scripts/bootstrap" -l "$PWD/log/b.log" "$@" </dev/null
}

@test "bootstrap build: only what building needs, apt-get's output in the log, one line" {
	crun -0 bootstrap build
	assert_output_empty
	assert_stderr "bootstrap: installing gcc make pkg-config autoconf automake libtool libssl-dev libsodium-dev libcbor-dev (log: $PWD/log/b.log)"
	[[ $(cat calls) == $'update -q\ninstall -y -q --no-install-recommends gcc make pkg-config autoconf automake libtool libssl-dev libsodium-dev libcbor-dev' ]]
	grep -qx 'Selecting previously unselected package update -q.' log/b.log
}

@test "bootstrap test: also the tests' packages, node for interop, clang optionally" {
	crun -0 bootstrap
	assert_output_empty
	[[ $stderr == "bootstrap: installing gcc make pkg-config autoconf automake libtool libssl-dev libsodium-dev libcbor-dev bats mandoc bsdextrautils openssl strace bsdutils python3 iproute2 openssh-server openssh-client parallel nodejs npm (log: $PWD/log/b.log)
bootstrap: installing clang libclang-rt-14-dev (optional, for fuzzing; log: $PWD/log/b.log)" ]]
}

@test "bootstrap: a failed apt-get is one line and the end of the log; the optional one is not fatal" {
	APT_RC=100 crun -1 bootstrap build
	assert_output_empty
	[[ $stderr == "bootstrap: installing gcc make pkg-config autoconf automake libtool libssl-dev libsodium-dev libcbor-dev (log: $PWD/log/b.log)
bootstrap: apt-get install failed: see $PWD/log/b.log
  Selecting previously unselected package update -q.
  Selecting previously unselected package install -y -q --no-install-recommends gcc make pkg-config autoconf automake libtool libssl-dev libsodium-dev libcbor-dev.
  E: Unable to locate package libcbor-dev" ]] || fail "stderr"
	# Without clang the fuzz smoke is skipped: bootstrap still succeeds.
	APT_RC=100 APT_FAIL_ON=clang crun -0 bootstrap test
	[[ $stderr == *"
bootstrap: clang libclang-rt-14-dev not installed (see $PWD/log/b.log): the fuzz smoke will be skipped" ]] ||
	    fail "stderr"
	crun -2 bootstrap all
	assert_stderr "usage: scripts/bootstrap [-l LOG] [build | test]"
}

@test "interop: npm's reason in one line when the registry cannot be reached" {
	command -v npm >/dev/null || skip "npm not installed"
	crun -1 env CCC_INTEROP_CACHE="$PWD/cache" \
	    npm_config_registry=https://127.0.0.1:9/ npm_config_fetch_retries=0 \
	    npm_config_proxy= npm_config_https_proxy= https_proxy= \
	    HTTPS_PROXY= bash "$TOP_SRCDIR/tests/interop/run.sh"
	assert_output "1..1
not ok 1 - setup: interop: npm could not fetch @chainlink/functions-toolkit@0.3.2: connect ECONNREFUSED 127.0.0.1:9: see README.md, Network"
	assert_stderr_empty
}
