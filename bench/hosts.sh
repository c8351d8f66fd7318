#!/usr/bin/env bash
# bench/hosts.sh: the whole request's latency (ccc-flow --time, steps 1 to
# 7) on one machine, and across network-namespace hosts (scripts/ccc-lab)
# driven over ssh, without and with a 20 ms round trip between hosts, as
# the number of decryption nodes n grows (t = n - (n-1)/3; 4
# oracles, quorum 3, 2 enclaves).  Root only.  Not a test: it reports.
#
#   bench/hosts.sh [-n "7 16 31"] [-d MS] [-r RUNS]
#
# Each figure is the median of RUNS runs (default 5), the runs with and
# without the delay interleaved, so that a load that comes and goes
# weighs on both alike; the delay is tc netem's, or where the kernel has
# none ccc-lab-relay's on the application's ssh connections.
# "rtts" is the median of (the latency with the delay - without) / the
# delay: how many round trips the request waits for in sequence.  With
# the fan-out in parallel it stays about the same as n grows (a few per
# protocol step: each remote command is a channel of the host's ssh
# connection), where nodes served in turn would add n of them.  make
# bench-hosts runs it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${CCC_BIN:-$top/_build/cmd}
lab_cmd=$top/scripts/ccc-lab
sizes="7 16 31" delay=20 runs=5
while getopts n:d:r: o; do
	case $o in
	n) sizes=$OPTARG ;;
	d) delay=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: bench/hosts.sh [-n \"7 16 31\"] [-d MS] [-r RUNS]" >&2; exit 2 ;;
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

# median NUMBER...: the middle one (the mean of the two middle ones).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# hosts_latency: one request over the lab's hosts.
hosts_latency() {
	latency "$lab_cmd" exec "$lab" app ccc-flow --hosts "$lab/hosts" \
	    -n "$n" -t "$t" -d "$work/h" -f
}

printf 'median of %d runs each; the runs with and without the delay interleaved\n' "$runs"
printf '%-4s %-4s %12s %12s %16s %6s\n' n t "local ms" "hosts ms" "hosts+${delay}ms ms" rtts
for n in $sizes; do
	t=$((n - (n - 1) / 3))
	"$lab_cmd" up "$lab" $(seq -f node-%g 1 "$n") oracle-{1..4} enclave-{1,2} >/dev/null
	loc=() near=() far=() diff=()
	for ((r = 0; r < runs; r++)); do
		loc+=("$(latency ccc-flow -n "$n" -t "$t" -d "$work/local" -f)")
		"$lab_cmd" delay "$lab" 0 2>/dev/null
		near+=("$(hosts_latency)")
		"$lab_cmd" delay "$lab" "$delay" 2>/dev/null
		far+=("$(hosts_latency)")
		diff+=("$(awk -v a="${far[r]}" -v b="${near[r]}" 'BEGIN { print a - b }')")
	done
	# The round trips the request waits for in sequence: the median of
	# each pair's difference over the delay.
	rtts=$(awk -v m="$(median "${diff[@]}")" -v d="$delay" 'BEGIN { printf "%.1f", m / d }')
	printf '%-4s %-4s %12s %12s %16s %6s\n' "$n" "$t" "$(median "${loc[@]}")" \
	    "$(median "${near[@]}")" "$(median "${far[@]}")" "$rtts"
	"$lab_cmd" down "$lab"
done
