# ccc-flow, the part included at "#@include demo" (mk/flow.am): the demo
# input and program a run uses unless -i and -x give others.

demo_input() {
	cat <<'EOF'
# name  salary: the program releases only their count, total and mean
alice 5200
bob 6100
carol 4800
dave 7300
EOF
}

# The demo program.  The sandbox gives it an empty environment, no PATH
# and a fixed number of processes for the whole user, so it uses bash
# builtins only.
demo_program() {
	cat <<'EOF'
#!/bin/bash
# ccc-flow's demo program, run by the enclave.  Each input is a table of
# "name amount" lines; only an aggregate comes out: how many rows, their
# total and mean, never a name or an amount.
#
# stdin is one CBOR map {0: "ccc/enclave-input/v1", 1: request id,
# 2: app id, 3: [input, ...]}, read with bash builtins only (the sandbox
# has an empty environment and no PATH).
LC_ALL=C b=() n=0 p=0
while IFS= read -r -d '' -n 1 c; do
	if [[ -z $c ]]; then b[n++]=0; else printf -v 'b[n++]' %d "'$c"; fi
done
hd() { # the CBOR head at p: major type mt, argument v
	local i=${b[p++]} j
	mt=$((i >> 5)) v=$((i & 31))
	((v < 24)) && return 0
	((v < 28)) || exit 3
	j=$((1 << (v - 24))) v=0
	while ((j-- > 0)); do v=$((v << 8 | b[p++])); done
}
txt() { # the next v bytes as text, in s
	local o c
	s=
	while ((v-- > 0)); do
		printf -v o %03o "${b[p++]}"; printf -v c "\\$o"; s+=$c
	done
}
inputs=()
hd
for k in 0 1 2 3; do
	hd; hd
	case $k in
	2) txt; app=$s ;;
	3) for ((m = v; m > 0; m--)); do hd; txt; inputs+=("$s"); done ;;
	*) p=$((p + v)) ;;
	esac
done

rows=0 total=0 bytes=0
for s in "${inputs[@]}"; do
	bytes=$((bytes + ${#s}))
	IFS=$'\n'; set -f; lines=($s); set +f; IFS=$' \t\n'
	for l in "${lines[@]}"; do
		[[ $l == \#* ]] && continue
		set -f; f=($l); set +f
		a=${f[${#f[@]} - 1]:-}
		[[ $a =~ ^[0-9]+$ ]] || continue
		rows=$((rows + 1)) total=$((total + 10#$a))
	done
done
mean=0
((rows == 0)) || mean=$((total / rows))
printf 'app %s: %d input(s), %d bytes: %d records, total %d, mean %d\n' \
    "$app" "${#inputs[@]}" "$bytes" "$rows" "$total" "$mean"
EOF
}
