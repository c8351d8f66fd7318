#!/usr/bin/env bats
# What every tool and every man page must do, from one table: help on
# stdout, the version, one-line usage errors (exit 2) for a missing, an
# unknown, a foreign (subcommand tools) and a repeated option, deprecated
# spellings that still name their option, SYNOPSIS equal to --help, pages
# that lint clean and EXAMPLES that run.
#
# bats 1.8.2 (Debian 12) cannot generate tests, so each property is one
# test looping over the tools; a failure names the tool (the last command
# shown, or the FAIL line).  What only one tool does stays in its own file.
bats_require_minimum_version 1.5.0
load helpers

TOOLS=(ccc-keygen ccc-encrypt ccc-share ccc-reencrypt ccc-combine ccc-aggregate
    ccc-enclave-run ccc-attest-verify ccc-quorum-sign ccc-inspect ccc-flow
    ccc-rand)
PAGES=(ccc.7 "${TOOLS[@]/%/.1}")

setup_file() {
	flow_from_source
}

setup() {
	PATH="$BATS_FILE_TMPDIR/bin:$PATH"
	cd "$BATS_TEST_TMPDIR" || return
}

need_mandoc() {
	[[ -n ${MANDOC:-} ]] || MANDOC=$(command -v mandoc) ||
	    skip "mandoc not installed"
}

# Usage errors, one row each: "TOOL ARG... => REASON", run in an empty
# directory; stderr must be exactly "TOOL: usage: REASON (see TOOL --help)",
# stdout empty, the status 2 and the directory still empty.  ARGs are
# split on blanks.
#
# A required option or subcommand missing (ccc-inspect and ccc-flow need
# none: another usage error of theirs):
MISSING=(
	'ccc-keygen => missing subcommand (dealer, recipient, identity, export, import, attest-root or enclave-cert)'
	'ccc-encrypt => missing -k TPK'
	'ccc-share => missing subcommand (init, committee, approve, dkg, reshare, advance, status, abort, export, verify, retirement or retire)'
	'ccc-reencrypt => needs -s SHARE, -k TPK and one of --to PUB and -x HEX'
	'ccc-combine => needs -k TPK and -i KEY or -x BOXKEY'
	'ccc-aggregate => missing -k TPK'
	'ccc-enclave-run => needs -r, -k, -i, -a and -x'
	'ccc-attest-verify => missing -p POLICY'
	'ccc-quorum-sign => missing subcommand (roster, request, sign, agree, pool, assign, reassign, combine, verify, subscribers, publish, contributors, transfer, accept or chain)'
	'ccc-inspect -L x y => -L takes no other files'
	'ccc-flow -n 3 -t 5 => the threshold -t 5 is more than the 3 nodes'
	'ccc-rand => missing subcommand (share, combine or verify)'
)
# An unknown option, long and short:
UNKNOWN=(
	'ccc-keygen recipient --bogus => unknown option "--bogus"'
	'ccc-keygen dealer -Z => unknown option "-Z"'
	'ccc-encrypt --bogus => unknown option "--bogus"'
	'ccc-encrypt -Z => unknown option "-Z"'
	'ccc-share advance --bogus => unknown option "--bogus"'
	'ccc-share advance -Z => unknown option "-Z"'
	'ccc-reencrypt --bogus => unknown option "--bogus"'
	'ccc-reencrypt -Z => unknown option "-Z"'
	'ccc-combine --bogus => unknown option "--bogus"'
	'ccc-combine -Z => unknown option "-Z"'
	'ccc-aggregate --bogus => unknown option "--bogus"'
	'ccc-aggregate -Z => unknown option "-Z"'
	'ccc-enclave-run --bogus => unknown option "--bogus"'
	'ccc-enclave-run -Z => unknown option "-Z"'
	'ccc-attest-verify --bogus => unknown option "--bogus"'
	'ccc-attest-verify -Z => unknown option "-Z"'
	'ccc-quorum-sign verify --bogus => unknown option "--bogus"'
	'ccc-quorum-sign verify -Z => unknown option "-Z"'
	'ccc-inspect --bogus => unknown option "--bogus"'
	'ccc-inspect -Z => unknown option "-Z"'
	'ccc-flow --bogus => unknown option --bogus'
	'ccc-flow -Z => unknown option -Z'
	'ccc-rand verify --bogus => unknown option "--bogus"'
	'ccc-rand share -Z => unknown option "-Z"'
)
# An option without its argument, or with one it does not take:
BADARG=(
	'ccc-keygen recipient -o => option "-o" needs an argument'
	'ccc-keygen dealer -t 2 -n 3 -d k --json=yes => option "--json" takes no argument'
	'ccc-encrypt -k => option "-k" needs an argument'
	'ccc-share advance --dir => option "--dir" needs an argument'
	'ccc-reencrypt -s => option "-s" needs an argument'
	'ccc-combine --key => option "--key" needs an argument'
	'ccc-aggregate -s => option "-s" needs an argument'
	'ccc-enclave-run -r => option "-r" needs an argument'
	'ccc-attest-verify -p => option "-p" needs an argument'
	'ccc-quorum-sign verify -r => option "-r" needs an argument'
	'ccc-inspect --diag=1 => option "--diag" takes no argument'
	'ccc-flow -n => -n needs an argument'
	'ccc-rand combine -I => option "-I" needs an argument'
)
# An option of another subcommand (subcommand tools only):
FOREIGN=(
	'ccc-keygen recipient -t 3 -d k -o k.key => recipient does not take "-t"'
	'ccc-keygen dealer -t 2 -n 3 -d k --output x => dealer does not take "--output"'
	'ccc-keygen export -N name => export does not take "-N"'
	'ccc-quorum-sign verify -q 3 -r x => verify does not take "-q"'
	'ccc-quorum-sign roster --now 5 => roster does not take "--now"'
	'ccc-quorum-sign sign -i k -q 2 => sign does not take "-q"'
	'ccc-share status -d x -v => status does not take "-v"'
	'ccc-share init -d x -i k --now 5 => init does not take "--now"'
	'ccc-share verify -d x => verify does not take "-d"'
	'ccc-rand verify -k x -o y => verify does not take "-o"'
	'ccc-rand combine -k x --share y => combine does not take "--share"'
)
# An option given twice (the second spelling is the one named):
REPEATED=(
	'ccc-keygen recipient -o a -o b => option "-o" given twice'
	'ccc-keygen dealer -t 2 --threshold 3 => option "--threshold" given twice'
	'ccc-encrypt -k a --key b => option "--key" given twice'
	'ccc-share advance -d a -d b => option "-d" given twice'
	'ccc-reencrypt -T -T => option "-T" given twice'
	'ccc-combine -f --force => option "--force" given twice'
	'ccc-aggregate -m 2 --min 3 => option "--min" given twice'
	'ccc-enclave-run -r a -r b => option "-r" given twice'
	'ccc-attest-verify -p a -p b => option "-p" given twice'
	'ccc-quorum-sign verify -v -v => option "-v" given twice'
	'ccc-inspect -d -d => option "-d" given twice'
	'ccc-flow -n 3 -n 4 => option "-n" given twice'
	'ccc-flow --force -f => option "-f" given twice'
	'ccc-rand share -I a --request-id b => option "--request-id" given twice'
)
# Deprecated spellings name the same option as the new ones (ccc(7),
# OPTION LETTERS): given with it, the option is given twice.
ALIASES=(
	'ccc-combine -c a -b b => option "-b" given twice'
	'ccc-quorum-sign combine -c a -b b => option "-b" given twice'
	'ccc-reencrypt -c a -l b => option "-l" given twice'
	'ccc-reencrypt --context a --label b => option "--label" given twice'
	'ccc-reencrypt -t a --to b => option "--to" given twice'
	'ccc-enclave-run -c a -x b => option "-x" given twice'
	'ccc-attest-verify -j --json => option "--json" given twice'
)

# usage_rows ROW...: each row is a usage error as described above.
usage_rows() {
	local row args reason tool
	mkdir -p "$BATS_TEST_TMPDIR/empty"
	cd "$BATS_TEST_TMPDIR/empty"
	for row; do
		args=${row% => *}
		reason=${row#* => }
		read -r -a args <<<"$args"
		tool=${args[0]}
		crun -2 "${args[@]}"
		assert_output_empty
		assert_stderr "$tool: usage: $reason (see $tool --help)"
		[[ -z $(ls -A) ]] || fail "$tool: usage error left files: $(ls -A)"
	done
	cd "$BATS_TEST_TMPDIR"
}

# usage_block: the lines of --help up to the first empty one.
usage_block() {
	sed '/^$/,$d'
}

@test "every tool: -h and --help print the usage, the options and the page, exit 0" {
	local t long
	for t in "${TOOLS[@]}"; do
		crun -0 "$t" --help
		assert_stderr_empty
		[[ ${lines[0]} == "usage: $t "* ]] || fail "$t: no usage line"
		[[ $(usage_block <<<"$output" | tail -n 1) == "       $t -h | -V" ]] ||
		    fail "$t: the usage does not end with \"$t -h | -V\""
		[[ ${lines[-1]} == "See $t(1), and ccc(7) for the protocol and formats." ]] ||
		    fail "$t: the last line does not name the page"
		assert_contains "$output" $'\n\noptions:\n  -'
		# One line per option, under 80 columns like every line.
		awk -v t="$t" 'length > 80 { print t ": " length " columns: " $0; bad = 1 }
		    END { exit bad }' <<<"$output" || fail "$t: a line over 80 columns"
		long=$output
		crun -0 "$t" -h
		assert_stderr_empty
		assert_output "$long"
	done
	# After a subcommand too.
	for t in "ccc-keygen dealer" "ccc-quorum-sign sign" "ccc-share advance" \
	    "ccc-rand verify"; do
		crun -0 $t --help
		assert_output "$(${t%% *} --help)"
		crun -0 $t -h
		assert_output "$(${t%% *} --help)"
	done
}

# page_options PAGE: the options the page's option list describes, one per
# line (short and long spellings), but the deprecated ones.
page_options() {
	awk '
		/^\.Sh/ { on = ($2 == "DESCRIPTION" || $2 == "OPTIONS"); next }
		!on { next }
		pend != "" { if ($0 !~ /^Deprecated spelling/) print pend; pend = "" }
		/^\.It Fl / {
			pend = ""
			for (i = 2; i <= NF; i++)
				if ($(i - 1) == "Fl" || ($(i - 1) == "," && $i == "Fl"))
					if ($i != "Fl") pend = pend " -" $i
		}
	' "$1" | tr ' ' '\n' | sed '/^$/d' | sort -u
}

# help_options TOOL: the options its --help lists.
help_options() {
	"$1" --help | sed -n '/^options:$/,/^$/p' | grep '^  -' |
	    sed 's/^  //; s/  .*//; s/ [^-,][^ ,]*//g' | tr ', ' '\n\n' |
	    sed '/^$/d; s/=.*//' | sort -u
}

@test "every tool: --help lists exactly the options its page describes" {
	local t
	for t in "${TOOLS[@]}"; do
		run diff <(page_options "$TOP_SRCDIR/man/$t.1") <(help_options "$t")
		((status == 0)) || fail "$t: the page's options (<) and --help's (>): $output"
	done
}

@test "every tool: -V and --version print the version (and whether it has test hooks)" {
	local t hooks='' want
	case ${CCC_TEST_HOOKS-unset} in
	yes) hooks=' (test hooks)' ;;
	unset) ! test_hooks || hooks=' (test hooks)' ;;
	esac
	for t in "${TOOLS[@]}"; do
		want="$t (ccc) $(ccc_version)"
		# A C tool says whether it was built with the test hooks, and
		# which OpenSSL and libsodium it runs with, linked in or not.
		if [[ $t != ccc-flow ]]; then
			want+=$hooks$'\n'
			if ldd "$(command -v "$t")" | grep -q libcrypto; then
				want+="linked with "
			else
				want+="linked statically with "
			fi
			want+="$(openssl version | sed 's/ (Library: .*//')"
			want+=" and libsodium $(pkg-config --modversion libsodium)"
		fi
		crun -0 "$t" --version
		assert_stderr_empty
		assert_output "$want"
		crun -0 "$t" -V
		assert_output "$want"
	done
}

@test "every tool: a missing required option or subcommand is one usage line (exit 2)" {
	usage_rows "${MISSING[@]}"
	crun -2 ccc-keygen split -t 2
	assert_stderr 'ccc-keygen: usage: unknown subcommand "split" (see ccc-keygen --help)'
	crun -2 ccc-quorum-sign certify -r x
	assert_stderr 'ccc-quorum-sign: usage: unknown subcommand "certify" (see ccc-quorum-sign --help)'
	crun -2 ccc-share frobnicate -d x
	assert_stderr 'ccc-share: usage: unknown subcommand "frobnicate" (see ccc-share --help)'
}

@test "every tool: an unknown option is one usage line naming it (exit 2)" {
	usage_rows "${UNKNOWN[@]}"
}

@test "every tool: an option without its argument, or with one it does not take (exit 2)" {
	usage_rows "${BADARG[@]}"
}

@test "subcommand tools: an option of another subcommand is a usage error (exit 2)" {
	usage_rows "${FOREIGN[@]}"
	# Every subcommand tool is in the table.
	local t
	for t in ccc-keygen ccc-quorum-sign ccc-share ccc-rand; do
		[[ ${FOREIGN[*]} == *"$t "* ]] || fail "$t: no foreign-option row"
	done
}

@test "every tool: an option given twice is a usage error (exit 2); lists may repeat" {
	usage_rows "${REPEATED[@]}"
	local t
	for t in "${TOOLS[@]}"; do
		[[ ${REPEATED[*]} == *"$t "* ]] || fail "$t: no repeated-option row"
	done
	# The list options: --pcr, and ccc-flow's faults.
	crun -2 ccc-attest-verify -p absent -m 1=00 --pcr 2=00 doc
	assert_stderr "ccc-attest-verify: i/o error: absent: No such file or directory"
	crun -0 ccc-flow -d w --dry-run --fail-node 1 --fail-node 2 \
	    --crash-enclave 1 --crash-enclave 2
	assert_stderr "ccc-flow: warning: nodes 1 and 2 did not answer (down)"
	assert_contains "$output" "# enclave 2 is broken (--crash-enclave 2)"
}

@test "deprecated option letters still work, as the same option as the new ones" {
	usage_rows "${ALIASES[@]}"
}

@test "every page: mandoc -T lint is clean, STYLE notes included" {
	need_mandoc
	local p
	for p in "${PAGES[@]}"; do
		crun -0 "$MANDOC" -T lint -W warning "$TOP_SRCDIR/man/$p"
		assert_output_empty
		assert_stderr_empty
		# STYLE (mandoc exits 1 on one): all but the pages named by Xr
		# that no mandoc.db of this machine lists, and that database's
		# own complaints.
		run "$MANDOC" -T lint -W style "$TOP_SRCDIR/man/$p"
		output=$(grep -v 'STYLE: referenced manual not found\|mandoc\.db' \
		    <<<"$output" || true)
		[[ -z $output ]] || fail "$p: $output"
	done
}

# squeeze: all white space to single spaces, both ends trimmed.
squeeze() {
	tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

@test "every tool: the man page's SYNOPSIS is its --help" {
	need_mandoc
	local t man usage
	for t in "${TOOLS[@]}"; do
		usage=$("$t" --help | usage_block | sed '1s/^usage://' | squeeze)
		man=$("$MANDOC" -T ascii "$TOP_SRCDIR/man/$t.1" |
		    sed 's/.\x08//g' |
		    awk '/^[^ \t]/ { on = ($0 == "SYNOPSIS"); next } on' |
		    squeeze)
		[[ -n $man && $man == "$usage" ]] ||
		    fail "$t: SYNOPSIS: $man"$'\n'"--help: $usage"
	done
}

# examples PAGE: the literal blocks of PAGE's EXAMPLES section, in order,
# with the roff escapes they use turned back into shell text.
examples() {
	awk '
		/^\.Sh[ \t]/ { ex = ($0 ~ /^\.Sh[ \t]+EXAMPLES[ \t]*$/); lit = 0; next }
		!ex { next }
		/^\.Bd[ \t]+-literal/ { lit = 1; next }
		/^\.Ed([ \t]|$)/ { lit = 0; next }
		lit && !/^\.\\"/ { print }
	' "$1" | sed -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g'
}

@test "the EXAMPLES extractor turns roff escapes back into shell" {
	printf '%s\n' '.Sh EXAMPLES' '.Bd -literal' \
	    'printf %s a\e-b\&c\-d' '.Ed' '.Sh SEE ALSO' '.Bd -literal' \
	    'not an example' '.Ed' >t.1
	crun -0 examples t.1
	assert_output 'printf %s a\-bc-d'
}

# examples_say PAGE: what, beyond exit 0, a page's examples print.
examples_say() {
	case $1 in
	ccc-share.1)
		assert_contains "$output" "ok: the group of key"
		[[ ${lines[-1]} == "a secret" ]] || fail "$1: last line"
		assert_stderr "ccc-share: epoch mismatch: b-0.share: the share is for epoch 0, the public key for epoch 1"
		;;
	ccc-rand.1)
		# verify a.rand, then c.rand (the test prints nothing).
		[[ ${#lines[@]} == 2 && ${lines[0]} =~ ^[0-9a-f]{64}$ &&
		    ${lines[1]} == "${lines[0]}" ]] || fail "$1: the values"
		assert_stderr "ccc-rand: warning: node 4 (late-4.cbor): a share of request $(printf 'lottery 2026-12-06' | sha256sum | cut -c1-8), not of request $(printf 'lottery 2026-12-05' | sha256sum | cut -c1-8); not used"
		;;
	ccc-flow.1)
		assert_contains "$output" "run/00-nodes/node-1/access.log: 1 entry, chained and matching its head"
		assert_contains "$output" "failed: 1"
		assert_contains "$output" 'app demo: 1 input(s), 111 bytes: 4 records, total 23400, mean 5850'
		assert_contains "$stderr" "only 4 of the 5 needed shares came back"
		assert_same counted/07-output <(echo 2)
		;;
	esac
}

@test "every page: its EXAMPLES run" {
	local p
	for p in "${PAGES[@]}"; do
		mkdir "$BATS_TEST_TMPDIR/$p"
		examples "$TOP_SRCDIR/man/$p" >"$p.sh"
		(($(wc -l <"$p.sh") > 2)) || fail "$p: no EXAMPLES blocks"
		cd "$BATS_TEST_TMPDIR/$p"
		crun -0 bash -euo pipefail "../$p.sh"
		examples_say "$p"
		cd "$BATS_TEST_TMPDIR"
	done
}

# reasons_table: ccc(7)'s table of reasons, "phrase<TAB>status" per line.
reasons_table() {
	awk '/^\.Sh EXIT STATUS/ { on = 1 } /^\.Sh EXAMPLES/ { on = 0 }
	    on && /^\.It [a-z].* Ta [0-9]$/ { sub(/^\.It /, ""); sub(/ Ta /, "\t"); print }' \
	    "$TOP_SRCDIR/man/ccc.7" | sort
}

@test "ccc(7): its table of reasons is exactly the phrases the tools can print" {
	local phrases
	phrases=$(sed -n '/^ccc_strerror/,/^}/s/.*return "\(.*\)";.*/\1/p' \
	    "$TOP_SRCDIR/lib/err.c" | grep -v '^ok$\|^unknown error$' | sort)
	[[ -n $phrases ]] || fail "no phrases found in lib/err.c"
	crun -0 diff <(printf '%s\n' "$phrases") <(reasons_table | cut -f1)
}

@test "every page: the reasons its EXIT STATUS lists are ccc(7)'s, with the same status" {
	local t table line phrase st
	table=$(reasons_table)
	for t in "${TOOLS[@]}"; do
		[[ $t == ccc-flow ]] && continue
		grep -q '^0 done, 1 the input was rejected, 2 the job could not be done' \
		    "$TOP_SRCDIR/man/$t.1" || fail "$t: EXIT STATUS does not refer to ccc(7)"
		while IFS= read -r line; do
			st=${line##* Pq }
			line=${line#.It }
			line=${line% Pq *}
			# "a , b , c": several phrases of one status.
			while IFS= read -r phrase; do
				[[ $'\n'$table$'\n' == *$'\n'"$phrase"$'\t'"$st"$'\n'* ]] ||
				    fail "$t: \"$phrase\" ($st) is not in ccc(7)'s table"
			done < <(sed 's/ , /\n/g' <<<"$line")
		done < <(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$TOP_SRCDIR/man/$t.1" |
		    grep '^\.It [a-z].* Pq [0-9]$')
	done
}

@test "ccc(7): DESCRIPTION names every tool" {
	local t desc
	desc=$(sed -n '/^\.Sh DESCRIPTION/,/^\.Sh /p' "$TOP_SRCDIR/man/ccc.7")
	for t in "${TOOLS[@]}"; do
		[[ $desc == *".It Xr $t 1"* ]] || fail "ccc(7) DESCRIPTION lacks $t"
	done
}
