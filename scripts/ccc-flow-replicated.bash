# ccc-flow, the part included at "#@include replicated" (mk/flow.am):
# step 4 (the nodes), shared by both levels, and a request at security
# level 2 (--replicas K): K enclaves run it, the oracles compare what
# they return and certify it when --agree M of them agree.

# serve_nodes P CERT: step 4 for the certified request CERT (files
# prefixed P), each node on its host with --hosts, all started at once;
# sets back, down, refused, corrupt and missing.
serve_nodes() {
	local P=$1 CERT=$2 i s why up=()
	back=() down=() refused=() corrupt=()
	for ((i = 1; i <= n; i++)); do
		in_list "$i" "${fail_nodes[@]}" || up+=("$i")
	done
	ahead "${up[*]}" node_serve {} "${P}04-sealed-node-{}" "$CERT"
	for ((i = 1; i <= n; i++)); do
		s=${P}04-sealed-node-$i
		if in_list "$i" "${fail_nodes[@]}"; then
			note "node $i is down (--fail-node $i): it does not answer"
			down+=("$i")
			continue
		fi
		if ! run "$(node_serve $i $s $CERT)"; then
			if no_answer; then
				note "node $i did not answer: $errs"
				down+=("$i")
				continue
			fi
			why=${errs#ccc-reencrypt: }
			note "node $i refused: $why"
			refused+=("node $i refused: ${why:-no reason given}")
			continue
		fi
		if in_list "$i" "${corrupt_nodes[@]}"; then
			note "node $i misbehaves (--corrupt-node $i): the last byte of its sealed shares is flipped"
			must "b=\$(tail -c 1 $s | od -An -tu1) && printf \"\\\\\$(printf %03o \$((b ^ 1)))\" | dd of=$s bs=1 seek=\$((\$(wc -c < $s) - 1)) conv=notrunc status=none"
			corrupt+=("$i")
		fi
		back+=("$i")
	done
	missing=
	((${#down[@]} == 0)) || missing="$(nodes_list "${down[@]}") did not answer"
	for why in "${refused[@]}"; do
		missing+=${missing:+; }$why
	done
	if ((!dry && ${#back[@]} < t)); then
		not_enough "${#back[@]}" ", from $(nodes_list "${back[@]}")${missing:+ ($missing)}"
	fi
}

# replica_keygen J, replica_run J WRAP: replica J's commands (its enclave
# is ${replica[J-1]}); oracle_agree I OUT RESULT...: oracle I's comparison
# of the results.  Here unless ccc-flow-hosts.sh, sourced first, made
# them run on the hosts.
if ! declare -F replica_keygen >/dev/null; then
replica_keygen() {
	printf 'ccc-enclave-run keygen -a %s/${replica[%d]}.key -n $request_id -s 02-request-%d.key -o 02-request-%d.pub' \
	    "$K" "$(($1 - 1))" "$1" "$1"
}
replica_run() {
	local e="\${replica[$(($1 - 1))]}"
	printf '%s ccc-enclave-run -r %s -k %s -i 02-request-%d.key -a %s/%s.key -x 00-enclaves/%s/code -p 00-enclaves/%s/policy --report 06-nodes-%d.json -o 06-result-%d $(cat 05-forwarded)' \
	    "$2" "$ROSTER" "$TPK" "$1" "$K" "$e" "$e" "$e" "$1" "$1"
}
oracle_agree() {
	local i=$1 out=$2
	shift 2
	printf 'ccc-quorum-sign agree %s -F 03-certified -D 07-divergence -f -o %s %s' "$TRUST" "$out" "$*"
}
fi

attempt_replicated() {
	local REQ=02-request CERT=03-certified i j sigs keys= extra= fwd
	local results=() failed=() said=

	step "2. the pool assigns the request to $replicas enclaves, one per operator first (by its id: every oracle and node recomputes it)"
	must "ccc-quorum-sign assign -r $ROSTER -P $POOL --replicas $replicas > 02-assigned"
	must "request_id=\$(cut -d' ' -f1 02-assigned | head -n 1)"
	must "replica=(\$(cut -d' ' -f3 02-assigned))"
	((dry)) || note "request ${request_id:0:16}..., assigned to replicas ${replica[*]}"

	step "2. each replica's enclave makes and attests a fresh key for this request; the application builds the level-2 request with the $replicas keys, $agree of which must agree"
	for ((j = 1; j <= replicas; j++)); do
		must "$(replica_keygen $j)"
		keys+=" -K 02-request-$j.pub"
	done
	[[ $mode == sealed ]] && extra+=" -R $K/recipient.pub"
	((network)) && extra+=" -n"
	must "$(app_request $REQ "-a $(q "$app") -x 02-program -k $TPK -r $ROSTER -P $POOL$keys --agree $agree -I \$request_id -O $mode$extra")"

	step "3. each oracle checks the request and every replica's attested key, and signs it; $quorum signatures make the certificate"
	oracles_must 03-sig-oracle $REQ "-k $TPK $TRUST"
	must "ccc-quorum-sign combine -r $ROSTER -b $REQ -o $CERT$sigs"

	step "4. each decryption node checks the certificate and every replica's key, and seals its decryption shares and its share of the request's coin to each replica, in one release"
	serve_nodes "" "$CERT"

	step "5. the oracles forward the certified request and the ${#back[@]} releases to every replica"
	fwd=$CERT
	for i in "${back[@]}"; do
		fwd+=" 04-sealed-node-$i"
	done
	must "printf '%s\\n' $fwd > 05-forwarded"

	step "6. each replica opens its shares, combines the coin into its seed, runs the program with no randomness but the seed, and attests its result (deadline $enclave_timeout s)"
	for ((j = 1; j <= replicas; j++)); do
		local wrap="timeout $enclave_timeout"
		if in_list "$j" "${corrupt_replicas[@]}"; then
			note "replica $j is compromised (--corrupt-replica $j): its program's output is altered before it is attested"
			wrap="CCC_TEST_CORRUPT_OUTPUT=1 $wrap"
		fi
		if run "$(replica_run $j "$wrap")"; then
			results+=("06-result-$j")
		else
			why=${errs##*$'\n'}
			why=${why#ccc-enclave-run: }
			warn "replica $j failed: ${why:-no answer}"
			failed+=("$j")
		fi
	done

	step "7. each oracle compares the replicas' results (their attestations, then their cores) and signs the one result of the $agree or more that agree; any that differs is named in a divergence record"
	sigs=
	for ((i = 1; i <= oracles; i++)); do
		if ! run "$(oracle_agree $i 07-agreed-oracle-$i "${results[@]}")"; then
			printf '%s\n' "$errs" >&2
			[[ -s 07-divergence ]] &&
			    note "the divergence record: 07-divergence (ccc-inspect shows it)"
			exit 1
		fi
		((i == 1)) && said=$errs
		must "$(oracle_sign $i 07-sig-oracle-$i 07-agreed-oracle-$i "$TRUST -F $CERT")"
		sigs+=" 07-sig-oracle-$i"
	done
	# What agree said of the replicas, once (each oracle says the same).
	[[ -z $said ]] || printf '%s\n' "$said" >&2
	[[ ! -s 07-divergence ]] ||
	    note "the divergence record, evidence against the replicas that differ: 07-divergence"
	must "ccc-quorum-sign combine -r $ROSTER -b 07-agreed-oracle-1 -o 07-certified-result$sigs"

	step "7. the application verifies the oracles' certificate and reads the output"
	local key=
	[[ $mode == sealed ]] && key=" -i $K/recipient.key"
	must "$(app_read "" "$key")"
	((${#down[@]} == 0)) ||
	    warn "$(nodes_list "${down[@]}") did not answer (down)"
	for why in "${refused[@]}"; do
		warn "$why"
	done
	if [[ $mode == threshold ]]; then
		step "result: encrypted under the threshold key, for another request (label app:$app/output): 07-output"
		must "ccc-inspect 07-output"
	else
		step "result ($mode output of $agree or more of the $replicas replicas): 07-output"
		must "cat 07-output"
	fi
	return 0
}
