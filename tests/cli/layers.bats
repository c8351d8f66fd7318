#!/usr/bin/env bats
# The module rules of CONTRIBUTING.md, checked on the source tree.
bats_require_minimum_version 1.5.0
load helpers

setup() {
	cd "$TOP_SRCDIR"
}

@test "layers: cmd/ includes only cli.h and ops/ops.h" {
	local bad
	bad=$(grep -H '^#include "' cmd/*.c |
	    grep -v '#include "\(config\|cli\|ops/ops\)\.h"' || true)
	[[ -z $bad ]] || fail "cmd/ includes more: $bad"
}

@test "layers: nothing below lib/ops/ includes ops.h" {
	local bad
	bad=$(grep -l '#include "\(ops/\)\{0,1\}ops\.h"' lib/*.c lib/*.h || true)
	[[ -z $bad ]] || fail "below the ops: $bad"
}

@test "layers: nothing below the ops prints" {
	local bad
	bad=$(grep -n '\bprintf(\|fprintf(\|\bputs(\|fputs(\|fputc(\|putchar(\|perror(\|ccc_cli_warn(' \
	    lib/*.c | grep -v '^lib/cli\.c:' || true)
	[[ -z $bad ]] || fail "prints below the ops: $bad"
}

@test "layers: only lib/schemas.c spells a blob format" {
	local bad
	bad=$(grep -ln 'struct ccc_field [a-z_]*\[\] *=' lib/*.c lib/ops/*.c |
	    grep -v '^lib/schemas\.c$' || true)
	[[ -z $bad ]] || fail "field tables outside lib/schemas.c: $bad"
}

@test "layers: every schema of the registry is a table in ccc(7) or ccc-share(1)" {
	local t missing=
	for t in $(sed -n 's/^SCHEMA(ccc_schema_[a-z_]*, "\(ccc\/[a-z-]*\/v[0-9]\)".*/\1/p' \
	    lib/schemas.c | sort -u); do
		grep -q -- "$t" man/ccc.7 man/ccc-share.1 || missing+=" $t"
	done
	[[ -z $missing ]] || fail "not in ccc(7):$missing"
}

@test "layers: no error code is returned from the error record" {
	local bad
	bad=$(grep -n 'return ccc_err_what\|return ccc_err_item\|= ccc_err_what\|= ccc_err_item' \
	    lib/*.c lib/ops/*.c cmd/*.c || true)
	[[ -z $bad ]] || fail "$bad"
}

@test "style: no trailing white space, no space before a tab in indentation" {
	local bad
	bad=$(grep -n '[[:space:]]$\|^ *	* 	' lib/*.[ch] lib/ops/*.[ch] \
	    cmd/*.c tests/unit/*.[ch] bench/*.c scripts/ccc-flow.in \
	    scripts/ccc-flow-hosts.sh scripts/ccc-serve scripts/ccc-lab \
	    bench/hosts.sh || true)
	[[ -z $bad ]] || fail "$bad"
}
