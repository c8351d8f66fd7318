#!/usr/bin/env bats
# examples/crontab.example as installed and as cron runs it (issue 20):
# `make install DESTDIR=...` of this build, then the crontab's lines,
# taken from the installed copy with its paths mapped into the test's
# directory, run with an empty environment, /bin/sh, the home directory
# as the working directory, and cron's PATH (/usr/bin:/bin, replaced by
# the crontab's own PATH line), on a 4-node local committee: a DKG, then
# the weekly refresh, each in the number of ticks the crontab says.  No
# time is pinned: the committee's rounds are an hour each (the default -w)
# and each transition finishes in seconds, on message arrival.
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	# One installation for the file's tests (make must not inherit the
	# jobserver of a `make check` it runs under).
	local dest=$BATS_FILE_TMPDIR/dest
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$CCC_BIN/.." install DESTDIR="$dest" \
	    >"$BATS_FILE_TMPDIR/install.log" 2>&1 ||
	    { cat "$BATS_FILE_TMPDIR/install.log" >&3; return 1; }
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	DEST=$BATS_FILE_TMPDIR/dest
	# The configured prefix, where make install put ccc-share.
	local bin
	bin=$(find "$DEST" -path '*/bin/ccc-share' -type f)
	[[ -n $bin ]] || fail "make install put no ccc-share under $DEST"
	PREFIX=${bin%/bin/ccc-share}
	PREFIX=${PREFIX#"$DEST"}
	CRONTAB=$(find "$DEST" -path '*/share/doc/ccc/examples/crontab.example')
	[[ -n $CRONTAB ]] || fail "crontab.example not installed under $DEST"
	mkdir -p home bus members
}

# cronline WHAT NODE: the command of the crontab line that contains WHAT,
# for NODE: /usr/local as installed here, the node's paths in this
# directory, and cron's \% turned into %.
cronline() {
	grep -v '^#' "$CRONTAB" | grep -F -- "$1" | grep -v '^[A-Z]*=' |
	    head -1 | sed -e 's/^\([^ ]* *\)\{5\}//' -e 's/\\%/%/g' \
	    -e "s|/usr/local/|$DEST$PREFIX/|g" \
	    -e "s|/var/lib/ccc/node|$PWD/$2|g" \
	    -e "s|/var/lib/ccc/|$PWD/$2-|g" \
	    -e "s|/srv/ccc-bus|$PWD/bus|g" \
	    -e "s|/etc/ccc/members|$PWD/members|g"
}

# cronpath: PATH as cron sets it for the crontab's commands.
cronpath() {
	local p=/usr/bin:/bin
	if grep -q '^PATH=' "$CRONTAB"; then
		p=$(sed -n 's/^PATH=//p' "$CRONTAB" | tail -1)
	fi
	echo "${p//\/usr\/local\//$DEST$PREFIX/}"
}

# cron LINE: run the command LINE as cron does (no other environment).
cron() {
	(cd home && env -i HOME="$PWD" LOGNAME=ccc SHELL=/bin/sh \
	    PATH="$(cronpath)" /bin/sh -c "$1")
}

# done_all NODE...: no node has a transition under way.
done_all() {
	local n
	for n; do
		ccc-share status -d "$n" | grep -qx 'transition: none' ||
		    return 1
	done
}

@test "make install: tools, transport, examples, completions, man pages" {
	local b=$DEST$PREFIX t
	for t in ccc-keygen ccc-encrypt ccc-share ccc-reencrypt ccc-combine \
	    ccc-enclave-run ccc-attest-verify ccc-quorum-sign ccc-inspect \
	    ccc-flow ccc-rand; do
		[[ -x $b/bin/$t ]] || fail "$t not installed"
		[[ -f $b/share/man/man1/$t.1 ]] || fail "$t.1 not installed"
		[[ -L $(find "$DEST" -path "*/bash-completion/completions/$t") ]] ||
		    fail "no completion link for $t"
	done
	[[ -x $b/libexec/ccc/ccc-share-transport ]]
	cmp "$TOP_SRCDIR/examples/ccc-share-transport.sh" \
	    "$b/libexec/ccc/ccc-share-transport"
	cmp "$TOP_SRCDIR/examples/ccc-share-ssh-transport.sh" \
	    "$b/libexec/ccc/ccc-share-ssh-transport"
	# ccc-flow --hosts: the forced command, and the part ccc-flow sources
	# from where it was installed.
	cmp "$TOP_SRCDIR/scripts/ccc-serve" "$b/libexec/ccc/ccc-serve"
	[[ -x $b/libexec/ccc/ccc-serve ]]
	cmp "$TOP_SRCDIR/scripts/ccc-flow-hosts.sh" "$b/libexec/ccc/ccc-flow-hosts.sh"
	grep -qF "'$PREFIX/libexec/ccc/ccc-flow-hosts.sh'" "$b/bin/ccc-flow"
	for t in "$TOP_SRCDIR"/examples/*; do
		cmp "$t" "$b/share/doc/ccc/examples/${t##*/}"
	done
	[[ -x $b/share/doc/ccc/examples/dkg-reshare.sh ]]
	# The crontab's tools are found only through its PATH line.
	[[ $(cronpath) == "$b/bin:/usr/bin:/bin" ]]
	crun -127 cron 'PATH=/usr/bin:/bin; ccc-share -V'
	assert_stderr '/bin/sh: 1: ccc-share: not found'
}

@test "make install-strip strips the tools; make uninstall leaves no file" {
	local d=$BATS_TEST_TMPDIR/strip
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$CCC_BIN/.." install-strip DESTDIR="$d" >/dev/null
	(($(stat -c %s "$d$PREFIX/bin/ccc-share") < $(stat -c %s "$CCC_BIN/ccc-share")))
	[[ -n $(find "$d" -path '*/bash-completion/completions/ccc-share' -type l) ]]
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$CCC_BIN/.." uninstall DESTDIR="$d" >/dev/null
	[[ -z $(find "$d" ! -type d) ]]
}

# ticks N NODE...: N ticks of the 5-minute line on the nodes, the
# transition under way not done before the last one and done after it.
# cron starts the line on every node at the same minute: each of its
# commands runs on every node before the next one (the slowest order: a
# message made at a tick reaches the others at the next one).
ticks() {
	local n=$1 i k c node
	shift
	for ((i = 1; i <= n; i++)); do
		! done_all "$@" || fail "done after $((i - 1)) ticks, not $n"
		for ((k = 1; k <= 3; k++)); do
			for node; do
				c=$(cronline ccc-share-transport "$node" |
				    awk -v k=$k -F ' && ' '{ print $k }')
				crun -0 cron "$c"
				assert_output_empty
				assert_stderr_empty
			done
		done
	done
	done_all "$@" || fail "not done after $n ticks"
}

@test "crontab.example as cron runs it: a 3-of-4 DKG in 5 ticks, then the weekly refresh in 5, quietly" {
	local n
	export PATH=$DEST$PREFIX/bin:/usr/bin:/bin
	for n in n1 n2 n3 n4; do
		ccc-keygen identity -o "$n.key" -p "$n.pub" -N "$n"
		ccc-share init -d "$n" -i "$n.key"
		cp "$n.pub" members/
	done
	# The operators start the DKG by hand on every node.
	ccc-share committee -t 3 -o dkg.committee members/n1.pub \
	    members/n2.pub members/n3.pub members/n4.pub
	for n in n1 n2 n3 n4; do
		ccc-share dkg -d "$n" -c dkg.committee
	done
	# The 5-minute line: transport, advance, transport.
	[[ $(cronline ccc-share-transport n1) == "$DEST$PREFIX/libexec/ccc/ccc-share-transport $PWD/n1 $PWD/bus && ccc-share advance -d $PWD/n1 && $DEST$PREFIX/libexec/ccc/ccc-share-transport $PWD/n1 $PWD/bus" ]]
	ticks 5 n1 n2 n3 n4
	for n in n1 n2 n3 n4; do
		crun -0 cron "$(cronline 'ccc-share status' "$n")"
		assert_contains "$output" "epoch: 0"
		assert_contains "$output" "certified by: 4 of 4"
		ccc-share export -d "$n" -k "$n.tpk" -g "$n.group"
		cmp n1.tpk "$n.tpk"
		cmp n1.group "$n.group"
	done
	# Monday 03:00 on the coordinating node, 03:15 on every node: this
	# week's refresh, then the 5-minute ticks.
	crun -0 cron "$(cronline 'ccc-share export' n1)"
	assert_output_empty
	assert_stderr_empty
	for n in n1 n2 n3 n4; do
		crun -0 cron "$(cronline 'ccc-share reshare' "$n")"
		assert_output_empty
		assert_stderr_empty
	done
	ticks 5 n1 n2 n3 n4
	for n in n1 n2 n3 n4; do
		crun -0 cron "$(cronline 'ccc-share status' "$n")"
		assert_contains "$output" "epoch: 1"
		ccc-share export -d "$n" -k "$n.tpk1"
		cmp n1.tpk1 "$n.tpk1"
	done
}
