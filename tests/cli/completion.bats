#!/usr/bin/env bats
# The bash completion (completion/ccc, installed with a link per tool):
# every subcommand and every option of every man page's SYNOPSIS is offered
# where it applies, and every long option of the OPTIONS lists somewhere, so
# the completion cannot drift from the pages; and a few completions, by
# driving the completion function as bash does (COMP_WORDS, COMP_CWORD).
bats_require_minimum_version 1.5.0
load helpers

TOOLS=(ccc-keygen ccc-encrypt ccc-share ccc-reencrypt ccc-combine ccc-aggregate
	ccc-enclave-run ccc-attest-verify ccc-quorum-sign ccc-inspect ccc-flow
	ccc-rand)

setup() {
	cd "$BATS_TEST_TMPDIR"
	# shellcheck source=../../completion/ccc
	. "$TOP_SRCDIR/completion/ccc"
}

# comp WORD...: what completing the last WORD offers, one per line, sorted
# as bash shows them (the words as bash splits the line; the first is the
# command).
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_ccc "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	((${#COMPREPLY[@]} == 0)) || printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# synopsis PAGE: the SYNOPSIS of a man page, one line per .Nm: the tool,
# its subcommand or "-", then the options (-x, --long).
synopsis() {
	awk '/^\.Sh SYNOPSIS/ { on = 1; next } /^\.Sh/ { on = 0 }
	    on { printf "%s ", $0 }' "$1" | sed 's/\.Nm /\n.Nm /g' |
	    awk '$1 == ".Nm" {
		sub_ = ($3 == ".Cm") ? $4 : "-"; line = $2 " " sub_
		for (i = 3; i < NF; i++)
			if ($i == "Fl" || $i == ".Fl") line = line " -" $(i + 1)
		print line }'
}

@test "every subcommand and every SYNOPSIS option is offered where it applies" {
	local page tool sub opts o offered n=0
	for tool in "${TOOLS[@]}"; do
		page=$TOP_SRCDIR/man/$tool.1
		[[ -f $page ]] || fail "no man page for $tool"
		while read -r tool sub opts; do
			if [[ $sub == - ]]; then
				offered=$(comp "$tool" -)
			else
				offered=$(comp "$tool" '')
				grep -qx -- "$sub" <<<"$offered" ||
				    fail "$tool: subcommand $sub not offered"
				offered=$(comp "$tool" "$sub" -)
			fi
			for o in $opts; do
				grep -qx -- "$o" <<<"$offered" ||
				    fail "$tool ${sub/#-/}: $o (SYNOPSIS) not offered"
				n=$((n + 1))
			done
		done < <(synopsis "$page")
	done
	# (the pages' SYNOPSIS hold about 300 options)
	((n > 250)) || fail "only $n options read from the SYNOPSIS sections"
}

@test "every long option of the OPTIONS lists is offered" {
	local tool o sub offered
	for tool in "${TOOLS[@]}"; do
		offered=$(comp "$tool" -- ; for sub in $(_ccc_subs "$tool"); do
			comp "$tool" "$sub" --; done)
		for o in $(grep '^\.It Fl' "$TOP_SRCDIR/man/$tool.1" |
		    grep -o 'Fl -[a-z0-9-]*' | sed 's/^Fl /-/' | sort -u); do
			grep -qx -- "$o" <<<"$offered" ||
			    fail "$tool: $o (OPTIONS) not offered"
		done
	done
}

@test "completions: subcommands, options, files, directories, words" {
	mkdir -p node1 node2/in
	touch notes.cbor node1.pub
	# Subcommands, and a subcommand's own options.
	[[ $(comp ccc-share a) == $'abort\nadvance\napprove' ]]
	[[ $(comp ccc-share status -) == $'--dir\n--help\n--now\n-d\n-h' ]]
	[[ $(comp ccc-keygen dealer --j) == --json ]]
	# An unknown subcommand: nothing.
	[[ -z $(comp ccc-share bogus -) ]]
	# A directory option completes directories, a file option files.
	[[ $(comp ccc-share advance -d no) == $'node1\nnode2' ]]
	[[ $(comp ccc-share dkg -d node1 -c no) == $'node1\nnode1.pub\nnode2\nnotes.cbor' ]]
	# --opt=value (bash splits the word at "=").
	[[ $(comp ccc-share advance --dir = node2) == node2 ]]
	[[ $(comp ccc-encrypt --encoding = b) == base64 ]]
	[[ $(comp ccc-encrypt -e '') == $'base64\nhex\njson' ]]
	[[ $(comp ccc-quorum-sign request -O s) == sealed ]]
	# A value that is not a file: nothing offered.
	[[ -z $(comp ccc-keygen dealer -t '') ]]
	[[ -z $(comp ccc-share advance --now '') ]]
	# Operands are files; ccc-enclave-run's first word is keygen or one.
	[[ $(comp ccc-inspect note) == notes.cbor ]]
	touch 'my notes*' && [[ $(comp ccc-inspect my) == 'my notes*' ]]
	[[ $(comp ccc-enclave-run n) == $'node1\nnode1.pub\nnode2\nnotes.cbor' ]]
	[[ $(comp ccc-enclave-run k) == keygen ]]
	[[ $(comp ccc-enclave-run item '') == $'job\nkey' ]]
	[[ $(comp ccc-enclave-run item job -o no) == $'node1\nnode1.pub\nnode2\nnotes.cbor' ]]
	[[ $(comp ccc-enclave-run item key --ex) == --expires-in ]]
	[[ $(comp ccc-enclave-run --se) == --serve ]]
	[[ $(comp ccc-enclave-run notes.cbor --re) == $'--report' ]]
	# Tools without subcommands have -V; a subcommand does not.
	[[ $(comp ccc-flow --ver) == --version ]]
	[[ -z $(comp ccc-share status --ver) ]]
	[[ $(comp ccc-share advance --ver) == --verbose ]]
}

@test "the completion is registered for every tool, and for them only" {
	local t
	for t in "${TOOLS[@]}"; do
		[[ $(complete -p "$t") == "complete -F _ccc $t" ]]
	done
	# ccc-flow, like the tools, is one of the installed programs.
	[[ $(complete -p | grep -c ' _ccc ') == "${#TOOLS[@]}" ]]
}
