# The private-token examples' shared steps (ccc(7) PRIVATE TOKENS), sourced
# by private-token.sh and private-token-accounts.sh after they define step
# and run (which prints a command and runs it) and source enclave-pool.bash.

# deploy: the examples' deployment (enclave-pool.bash's pool_deployment).
deploy() {
	step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified pool"
	pool_deployment
}

# install_programs PROGRAM...: each program in code/ under its SHA-384, where
# ccc-enclave-run -x code finds it.
install_programs() {
	local prog
	mkdir -p code
	for prog; do
		run cp "$prog" "code/$(sha384sum <"$prog" | cut -d' ' -f1)"
	done
}

# request NAME PROGRAM CT...: one request for app "token", output
# threshold, steps 2-7 (serve, execute, certify), its output in
# NAME.output.  Returns 1 when the enclave gives no result (why in
# NAME.refused), 2 when the oracles do not certify it (why in
# NAME.result-refused).
request() {
	serve "$@"
	execute "$1" || return 1
	certify "$1" || return 2
}

# serve NAME PROGRAM CT...: the request NAME.certified, for the enclave
# the pool assigns (its name the third word of NAME.assigned), and the
# nodes' sealed shares NAME.sealed-1..3.
serve() {
	local r=$1 prog=$2 i
	shift 2
	step "$r: a request to run $prog on $*, output threshold, for the attested key of the enclave the pool assigns, certified by 2 oracles"
	assigned_key "$r"
	run ccc-quorum-sign request -a token -x "$prog" -O threshold \
	    -k committee/tpk.cbor -r roster -P pool -K "$r.pub" \
	    -I "$request_id" -o "$r.request" "$@"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "$r.sig-$i" "$r.request"
	done
	run ccc-quorum-sign combine -r roster -b "$r.request" -o "$r.certified" \
	    "$r.sig-1" "$r.sig-2"
	step "$r: the decryption nodes serve it"
	for i in 1 2 3; do
		run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "$r.sealed-$i" "$r.certified"
	done
}

# execute NAME: the enclave runs the request, NAME.result.
execute() {
	local r=$1 e
	read -r _ _ e <"$r.assigned"
	step "$r: the enclave runs it"
	echo "\$ ccc-enclave-run -r roster -k committee/tpk.cbor -i $r.key -a $e.key -x code -o $r.result $r.certified $r.sealed-1 $r.sealed-2 $r.sealed-3"
	if ! ccc-enclave-run -r roster -k committee/tpk.cbor -i "$r.key" \
	    -a "$e.key" -x code -o "$r.result" "$r.certified" \
	    "$r.sealed-1" "$r.sealed-2" "$r.sealed-3" 2>"$r.refused"; then
		cat "$r.refused"
		return 1
	fi
}

# certify NAME: oracles 1 and 2 verify the attestation and sign the
# result, NAME.certified-result, whose output is NAME.output.  With
# chained=1 each signs only if the result continues the table chain in its
# oracle-N.chain (ccc-quorum-sign sign -C), which then advances.
certify() {
	local r=$1 i chain=()
	step "$r: the oracles verify the attestation and certify the result"
	for i in 1 2; do
		((${chained:-0})) && chain=(-C "oracle-$i.chain")
		echo "\$ ccc-quorum-sign sign -i oracle-$i.key -A attest.policy -r roster -P pool -F $r.certified ${chain[*]} -o $r.result-sig-$i $r.result"
		if ! ccc-quorum-sign sign -i "oracle-$i.key" -A attest.policy \
		    -r roster -P pool -F "$r.certified" "${chain[@]}" \
		    -o "$r.result-sig-$i" "$r.result" 2>"$r.result-refused"; then
			cat "$r.result-refused"
			return 2
		fi
	done
	run ccc-quorum-sign combine -r roster -b "$r.result" \
	    -o "$r.certified-result" "$r.result-sig-1" "$r.result-sig-2"
	echo "\$ ccc-quorum-sign verify -r roster $r.certified-result | ccc-combine --result - -o $r.output"
	ccc-quorum-sign verify -r roster "$r.certified-result" |
	    ccc-combine --result - -o "$r.output"
}
