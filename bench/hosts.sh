#!/usr/bin/env bash
# bench/hosts.sh: the whole request's latency (ccc-flow --time, steps 1 to
# 7) on one machine, and across network-namespace hosts (scripts/ccc-lab)
# driven over ssh, without and with a 20 ms round trip between hosts (tc
# netem), as the number of decryption nodes n grows (t = n - (n-1)/3; 4
# oracles, quorum 3, 2 enclaves).  Root only.  Not a test: it reports.
#
#   bench/hosts.sh [-n "7 16 31"] [-d MS]
#
# "rtts" is (the latency with the delay - without) / the delay: how many
# round trips the request waits for in sequence.  With the fan-out in
# parallel it stays about the same as n grows (a few per protocol step:
# each remote command is a channel of the host's ssh connection), where
# nodes served in turn would add n of them.  make bench-hosts runs it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${CCC_BIN:-$top/_build/cmd}
lab_cmd=$top/scripts/ccc-lab
sizes="7 16 31" delay=20
while getopts n:d: o; do
	case $o in
	n) sizes=$OPTARG ;;
	d) delay=$OPTARG ;;
	*) echo "usage: bench/hosts.sh [-n \"7 16 31\"] [-d MS]" >&2; exit 2 ;;
	esac
done
[[ $(id -u) == 0 ]] || { echo "bench/hosts.sh: needs root (network namespaces)" >&2; exit 2; }
[[ -x $bin/ccc-flow ]] || { echo "bench/hosts.sh: no $bin/ccc-flow (build first, or set CCC_BIN)" >&2; exit 2; }
export CCC_BIN=$bin PATH=$bin:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/ccc-bench-hosts.XXXXXX")
lab=$work/lab
trap '"$lab_cmd" down "$lab" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# latency ARGS...: ccc-flow's request latency in ms (steps 1-7).
latency() {
	local err
	err=$("$@" --time 2>&1 >/dev/null) || { printf '%s\n' "$err" >&2; return 1; }
	sed -n 's/^ccc-flow: time: request (steps 1-7): \([0-9.]*\) ms$/\1/p' <<<"$err"
}

printf '%-4s %-4s %12s %12s %16s %6s\n' n t "local ms" "hosts ms" "hosts+${delay}ms ms" rtts
for n in $sizes; do
	t=$((n - (n - 1) / 3))
	"$lab_cmd" up "$lab" $(seq -f node-%g 1 "$n") oracle-{1..4} enclave-{1,2} >/dev/null
	local_ms=$(latency ccc-flow -n "$n" -t "$t" -d "$work/local" -f)
	hosts_ms=$(latency "$lab_cmd" exec "$lab" app ccc-flow --hosts "$lab/hosts" \
	    -n "$n" -t "$t" -d "$work/h" -f)
	# (Without netem in the kernel, no delay: "-".)
	wan_ms=- rtts=-
	if "$lab_cmd" delay "$lab" "$delay"; then
		wan_ms=$(latency "$lab_cmd" exec "$lab" app ccc-flow --hosts "$lab/hosts" \
		    -n "$n" -t "$t" -d "$work/h" -f)
		rtts=$(awk -v a="$wan_ms" -v b="$hosts_ms" -v d="$delay" \
		    'BEGIN { printf "%.1f", (a - b) / d }')
	fi
	printf '%-4s %-4s %12s %12s %16s %6s\n' "$n" "$t" "$local_ms" "$hosts_ms" \
	    "$wan_ms" "$rtts"
	"$lab_cmd" down "$lab"
done
