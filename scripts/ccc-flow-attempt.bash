# ccc-flow, the part included at "#@include attempt" (mk/flow.am):
# steps 2-7 for one enclave.  Attempt A makes request A, has the oracles
# certify it, the nodes serve it, the assigned enclave run it and the
# application read the output; or it reports that the enclave failed and
# has the request reassigned.

# ---- steps 2-7 for one enclave -------------------------------------------------------

failures=() # "enclave K: why", one per failed enclave

# field FILE NAME: a text or hex field of a blob, as ccc-inspect prints it.
field() {
	ccc-inspect "$1" 2>/dev/null |
	    sed -n "s/^  \"$2\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"
}

# not_enough GOT WHY: the flow's one line when too few shares came back.
# report_why REPORT FILE: why the shares in FILE were not used, from a
# --report of ccc-enclave-run or ccc-combine (one node a line, JSON
# strings with \" and \\ escaped); empty if they were.
report_why() {
	local line why
	while IFS= read -r line; do
		[[ $line == '{"file": '"\"$2\""', '* ]] || continue
		[[ $line == *'"verdict": "bad", "why": "'* ]] || return 0
		why=${line#*'"why": "'}
		why=${why%'"}'*}
		why=${why//'\"'/'"'}
		printf '%s' "${why//'\\'/'\'}"
		return 0
	done <"$1"
}

not_enough() {
	local got=$1 why=$2
	die 1 "not enough shares: only $got of the $t needed shares came back$why"
}

# enclave_failed K WHY: report that enclave K failed, on standard error,
# and have the oracles certify a reassignment of the request $1 away
# from it (it becomes the next attempt's -X).
reassigned=()
enclave_failed() {
	local k=$1 why=$2 req=$3 P=$4 sigs= i
	warn "enclave $k failed: $why; the request is reassigned"
	note "enclave $k failed: $why; the oracles reassign the request"
	failures+=("enclave $k: $why")
	must "ccc-quorum-sign reassign -F $req -w $(q "$why") -o ${P}08-reassign"
	oracles_must ${P}08-reassign.sig ${P}08-reassign "" $quorum
	must "ccc-quorum-sign combine -r $ROSTER -b ${P}08-reassign -o ${P}08-reassigned$sigs"
	reassigned+=("${P}08-reassigned")
}

# attempt A: request A of this run, for the enclave the pool assigns it
# to.  Returns 0 when the output was printed, 1 when the enclave failed
# (it is then in $failures and reassigned), 2 when no enclave is left.
attempt() {
	local a=$1 P='' i s why k x= sigs
	((a == 1)) || P=attempt-$a/
	local REQ=${P}02-request CERT=${P}03-certified

	if ((a == 1)); then
		step "2. the pool assigns the request to an enclave (by its id: every oracle and node recomputes it)"
		if ((first_enclave)); then
			note "--first-enclave $first_enclave: fresh ids are tried until one is assigned to enclave $first_enclave (an application may choose among the pool's enclaves so, no further)"
			must "until ccc-quorum-sign assign -r $ROSTER -P $POOL > 02-assigned && [ \"\$(cut -d' ' -f3 02-assigned)\" = enclave-$first_enclave ]; do :; done"
		elif ((${#enclaves_down[@]})); then
			local gone
			gone=$(printf '%s|' "${enclaves_down[@]}")
			note "fresh ids are drawn until one is assigned to an enclave that answered"
			must "until ccc-quorum-sign assign -r $ROSTER -P $POOL > 02-assigned && ! grep -qE ' enclave-(${gone%|})\$' 02-assigned; do :; done"
		else
			must "ccc-quorum-sign assign -r $ROSTER -P $POOL > 02-assigned"
		fi
	else
		step "2. reassigned: a new request of the same assignment, with a fresh id and key, goes to the next enclave (attempt $a, in ${P%/})"
		must "mkdir -p ${P%/}"
		for i in "${reassigned[@]}"; do
			x+=" -X $i"
		done
		if ! run "ccc-quorum-sign assign -r $ROSTER -P $POOL --assignment \$assignment$x > ${P}02-assigned"; then
			rm -f "${P}02-assigned"
			return 2
		fi
	fi
	must "read -r request_id enclave_id enclave < ${P}02-assigned"
	((a == 1)) && must "assignment=\$request_id"
	# What --print shows does not depend on the assignment (--dry-run
	# cannot know it): there, the enclave is "the assigned enclave".
	local who="the assigned enclave"
	if ((!dry)); then
		k=${enclave#enclave-}
		note "request ${request_id:0:16}..., assigned to enclave $k"
		((print)) || who="enclave $k"
	fi

	step "2. $who makes and attests a fresh key for this request; the application builds the request with it"
	if ! run "$(enclave_keygen "$P")"; then
		# Not yet assigned a request: a fresh id goes to another.
		((a == 1)) && enclave_gone "$k" && return 3
		failed "$(enclave_keygen "$P")"
	fi
	local extra=
	[[ $mode == sealed ]] && extra+=" -R $K/recipient.pub"
	((network)) && extra+=" -n"
	((a == 1)) || extra+=" --assignment \$assignment$x"
	must "$(app_request $REQ "-a $(q "$app") -x 02-program -k $TPK -r $ROSTER -P $POOL -K ${P}02-request.pub -I \$request_id -O $mode$extra")"

	step "3. each oracle checks the request, and that its key is attested by the enclave the pool assigns it to, and signs it; $quorum signatures make the certificate"
	if ! oracles_sign ${P}03-sig-oracle $REQ "-k $TPK $TRUST"; then
		why=${errs##*$'\n'}
		why=${why#ccc-quorum-sign: }
		# An enclave whose key is not attested loses the request.
		case $why in
		"attestation refused: "* | "expired: "*"enclave key"*)
			enclave_failed "$k" "the oracles refused its key: $why" "$REQ" "$P"
			return 1 ;;
		esac
		printf '%s\n' "$errs" >&2
		exit 1
	fi
	must "ccc-quorum-sign combine -r $ROSTER -b $REQ -o $CERT$sigs"

	step "4. each decryption node checks the certificate and the enclave's key, makes its decryption share and seals it to the request's key"
	local back=() down=() refused=() corrupt=() missing=
	serve_nodes "$P" "$CERT"

	step "5. the oracles forward the certified request and the ${#back[@]} sealed shares that came back to $who"
	local fwd="$CERT"
	for i in "${back[@]}"; do
		fwd+=" ${P}04-sealed-node-$i"
	done
	must "printf '%s\\n' $fwd > ${P}05-forwarded"

	step "6. $who opens the shares, verifies them, decrypts, runs the program in its sandbox and attests the result (deadline $enclave_timeout s)"
	# Its verdict on each node's shares goes to a report (JSON, one node
	# a line: ccc-enclave-run(1)), which is what the flow reads.
	local report=${P}06-nodes.json wrap="timeout $enclave_timeout" rc=0
	if ((!dry)) && in_list "$k" "${hang_enclaves[@]}"; then
		note "enclave $k does not answer (--hang-enclave $k): it stops before it runs"
		wrap+=" bash -c 'kill -STOP \$\$ && exec \"\$0\" \"\$@\"'"
	fi
	run "$(enclave_run "$P" "$wrap" $report)" || rc=$?
	if ((rc != 0)); then
		why=${errs##*$'\n'}
		why=${why#ccc-enclave-run: }
		if ((rc == 124)); then
			enclave_failed "$k" "no answer within $enclave_timeout s" "$CERT" "$P"
			return 1
		fi
		if ((!dry)) && [[ -s $report ]] &&
		    grep -q '"complete": false' "$report"; then
			# Not the enclave's fault: the nodes' shares.
			local valid good=() bad= v
			valid=$(sed -n 's/.*"valid": \([0-9]*\).*/\1/p' "$report")
			for i in "${back[@]}"; do
				v=$(report_why "$report" "${P}04-sealed-node-$i")
				if [[ -n $v ]]; then
					bad+="${bad:+; }node $i: $v"
				else
					good+=("$i")
				fi
			done
			local why_not
			why_not=$(joined ${bad:+"$bad"} ${missing:+"$missing"})
			not_enough "$valid" " valid, from $(nodes_list "${good[@]}")${why_not:+ ($why_not)}"
		fi
		enclave_failed "$k" "${why:-ccc-enclave-run failed}" "$CERT" "$P"
		return 1
	fi
	# Nodes whose shares the enclave could not use (its report names
	# them); its warnings about them are not repeated, any other is.
	local badnodes=() line v
	for i in "${back[@]}"; do
		((dry)) && break
		v=$(report_why "$report" "${P}04-sealed-node-$i")
		[[ -z $v ]] ||
		    badnodes+=("node $i misbehaved: its sealed shares were not used: $v")
	done
	while IFS= read -r line; do
		[[ -z $line || $line == *04-sealed-node-* ]] || printf '%s\n' "$line" >&2
	done <<<"$errs"

	step "7. the oracles verify the enclave's attestation against their policy: the enclave the request is assigned to, its key, the code"
	if ! run "ccc-attest-verify -p $POLICY -r $CERT ${P}06-result > ${P}07-attestation"; then
		why=${errs##*$'\n'}
		why=${why#ccc-attest-verify: }
		enclave_failed "$k" "${why:-ccc-attest-verify failed}" "$CERT" "$P"
		return 1
	fi
	step "7. each oracle signs the result (sign checks the attestation and the assignment again); $quorum signatures certify it"
	local xs=
	for i in "${reassigned[@]}"; do
		xs+=" -X $i"
	done
	oracles_must ${P}07-sig-oracle ${P}06-result "$TRUST -F $CERT$xs"
	must "ccc-quorum-sign combine -r $ROSTER -b ${P}06-result -o ${P}07-certified-result$sigs"

	step "7. the application verifies the oracles' certificate and reads the output"
	local key=
	[[ $mode == sealed ]] && key=" -i $K/recipient.key"
	must "$(app_read "$P" "$key")"

	# What went wrong on the way, on standard error, now that it worked.
	((${#down[@]} == 0)) ||
	    warn "$(nodes_list "${down[@]}") did not answer (down)"
	((${#oracles_down[@]} == 0)) ||
	    warn "$(numbered oracle "${oracles_down[@]}") did not answer (down)"
	((${#enclaves_down[@]} == 0)) ||
	    warn "$(numbered enclave "${enclaves_down[@]}") did not answer (down)"
	for why in "${refused[@]}" "${badnodes[@]}"; do
		warn "$why"
	done

	if [[ $mode == threshold ]]; then
		step "result: encrypted under the threshold key, for another request (label app:$app/output): ${P}07-output"
		must "ccc-inspect ${P}07-output"
	else
		step "result ($mode output of $who): ${P}07-output"
		must "cat ${P}07-output"
	fi
	return 0
}
