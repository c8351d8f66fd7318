# The shared start of the examples' enclave programs (the examples paste it
# into each program, which the sandbox runs as one file).  It reads the
# input ccc-enclave-run gives a program on stdin, one CBOR item
#   {0: "ccc/enclave-input/v1", 1: request id, 2: app id, 3: [input, ...]}
# with bash builtins only (the sandbox has no PATH), into the byte array b,
# and defines hd (the CBOR head at p: major type mt, argument v) and txt
# (the next v bytes as text, in s) for the program to walk it.
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
