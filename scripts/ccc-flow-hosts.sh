# ccc-flow-hosts.sh: ccc-flow --hosts FILE, sourced by ccc-flow (see
# ccc-flow(1), HOSTS).  Every command of an oracle, a decryption node or an
# enclave runs on that role's host over OpenSSH, in the host's directory
# the hosts file names, with the same relative paths as in the work
# directory; blobs go on ssh's standard input and output, the files a
# command needs besides its standard input in a tar archive its host's
# forced command (ccc-serve) stores.  The commands of one step's loop (every
# oracle's signature, every node's shares) are started at once and the loop
# takes their outcomes (ahead).  Each remote command has a deadline
# (--step-timeout; the enclave's run, --enclave-timeout): a node that does
# not answer is named and the flow goes on with those that did; an enclave
# that does not answer loses the request (ccc-flow reassigns it).
#
# It replaces ccc-flow's functions ahead, deploy, no_answer and the command
# makers oracle_id, oracle_sign, node_serve, load_program, enclave_keygen,
# enclave_run; it uses ccc-flow's variables and its die, must, run, note,
# step and q.

declare -A dest=() where=()
SSH= cm=

# bad LINE DETAIL: the hosts file is wrong.
bad() {
	die 2 "bad hosts file: $hosts_file: ${1:+line $1: }$2"
}

hosts_load() {
	local f=$hosts_file line no=0 role idx d w extra cfg= base r i count
	((!dry)) || usage_error "--dry-run cannot be used with --hosts (the hosts make the assignment)"
	((${#hang_enclaves[@]} == 0)) ||
	    usage_error "--hang-enclave cannot be used with --hosts (an enclave host that hangs is detected)"
	((${#corrupt_replicas[@]} == 0)) ||
	    usage_error "--corrupt-replica cannot be used with --hosts (it is a test hook of the local run)"
	[[ -f $f && -r $f ]] || die 2 "i/o error: $f: not a readable file"
	base=$(cd "$(dirname "$f")" && pwd)
	hosts_file=$base/${f##*/}
	while IFS= read -r line || [[ -n $line ]]; do
		no=$((no + 1))
		line=${line%%#*}
		read -r role idx d w extra <<<"$line"
		[[ -n $role ]] || continue
		case $role in
		ssh-config)
			[[ -n $idx && -z $d ]] || bad $no "ssh-config takes one file"
			[[ $idx == /* ]] && cfg=$idx || cfg=$base/$idx
			[[ -f $cfg && -r $cfg ]] || bad $no "$cfg: not a readable file"
			;;
		node | oracle | enclave | application)
			[[ -n $w && -z $extra ]] ||
			    bad $no "not ROLE INDEX DESTINATION DIRECTORY"
			[[ $idx =~ ^[0-9]{1,3}$ ]] && ((10#$idx >= 1 && 10#$idx <= 255)) ||
			    bad $no "the index '$idx' is not a number from 1 to 255"
			idx=$((10#$idx))
			[[ $d =~ ^[A-Za-z0-9_][A-Za-z0-9_.@:-]*$ ]] ||
			    bad $no "'$d' is not an ssh destination ([USER@]HOST)"
			[[ $w =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$ &&
			    $w != *..* ]] ||
			    bad $no "'$w' is not a relative directory (no \"..\")"
			[[ -z ${dest[$role $idx]+set} ]] || bad $no "$role $idx is given twice"
			dest[$role $idx]=$d where[$role $idx]=$w
			;;
		*) bad $no "unknown role '$role' (node, oracle, enclave, application or ssh-config)" ;;
		esac
	done <"$f"
	for r in "node $n" "oracle $oracles" "enclave $enclaves"; do
		count=${r#* } role=${r% *}
		for ((i = 1; i <= count; i++)); do
			[[ -n ${dest[$role $i]+set} ]] || bad '' "no host for $role $i"
		done
	done
	for r in "${!dest[@]}"; do
		role=${r% *} i=${r#* }
		case $role in
		node) count=$n ;;
		oracle) count=$oracles ;;
		enclave) count=$enclaves ;;
		application) count=1 ;;
		esac
		((i <= count)) || bad '' "$role $i is not one of the $count (${role}s)"
	done
	[[ -z ${dest[application 1]+set} ]] || app_at_host
	command -v ssh >/dev/null 2>&1 || die 2 "i/o error: ssh: not found on PATH (OpenSSH)"
	# One ssh connection per host, made at its first command and closed
	# at the end (OpenSSH's multiplexing, in a directory of this run).
	cm=$(mktemp -d "${TMPDIR:-/tmp}/ccc-flow.ssh.XXXXXX") ||
	    die 2 "i/o error: cannot make a temporary directory"
	SSH="ssh${cfg:+ -F $(q "$cfg")} -o ControlMaster=auto -o ControlPath=$cm/%C -o ControlPersist=yes"
	trap 'rm -f "$errf"; hosts_close' EXIT
}

# hosts_close: end this run's ssh connections.
hosts_close() {
	local d
	[[ -n $cm ]] || return 0
	for d in $(printf '%s\n' "${dest[@]}" | sort -u); do
		$SSH -O exit "$d" >/dev/null 2>&1 &
	done
	wait
	rm -rf "$cm"
}

# at ROLE I CMD [TIMEOUT]: CMD on the host of ROLE I, in its directory.
at() {
	printf 'timeout %s $SSH %s in %s %s' "${4:-$step_timeout}" \
	    "$(q "${dest[$1 $2]}")" "$(q "${where[$1 $2]}")" "$3"
}

# ship ROLE I FILE... [TIMEOUT]: the files to the same names on the host.
ship() {
	local role=$1 i=$2 t=$step_timeout
	shift 2
	[[ ${*: -1} =~ ^[0-9]+$ ]] && { t=${*: -1}; set -- "${@:1:$#-1}"; }
	printf 'tar -cf - %s | %s' "$*" "$(at "$role" "$i" "put $*" "$t")"
}

no_answer() {
	((ran_rc == 124 || ran_rc == 255)) || return 1
	((ran_rc == 255)) || errs="no answer within $step_timeout s"
	errs=${errs##*$'\n'}
	return 0
}

# ahead "I..." FUNC ARG...: start FUNC's command for each I at once ({} in
# an ARG stands for I); run takes their outcomes.
ahead_n=0
ahead() {
	local list=$1 fn=$2 i a c k dir pids=()
	shift 2
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ccc-flow.ahead.XXXXXX") ||
	    die 2 "i/o error: cannot make a temporary directory"
	for i in $list; do
		local args=()
		for a; do
			args+=("${a//\{\}/$i}")
		done
		c=$("$fn" "${args[@]}")
		k=$((ahead_n++))
		ahead_cmd[k]=$c
		(eval "$c") 2>"$dir/$k" &
		pids[k]=$!
	done
	for k in "${!pids[@]}"; do
		wait "${pids[k]}" && ahead_rc[k]=0 || ahead_rc[k]=$?
		ahead_err[k]=$(<"$dir/$k")
	done
	rm -rf "$dir"
}

# deploy: each host gets its role's files; the application keeps no
# node's share and no enclave's key.  A host that does not answer is
# named: a node is asked again at step 4, an oracle or an enclave is not
# asked again in this run; any other failure ends it.
deploy() {
	local i r cmds=() who=()
	step "0. each host receives its role's files, over ssh (hosts file $hosts_file)"
	for ((i = 1; i <= n; i++)); do
		who+=("node $i")
		cmds+=("$(ship node $i $TPK $K/committee/share-$i.cbor $ROSTER $POOL $POLICY $K/attest-root.pem)")
	done
	for ((i = 1; i <= oracles; i++)); do
		who+=("oracle $i")
		cmds+=("$(ship oracle $i $TPK $ROSTER $POOL $POLICY $K/attest-root.pem)")
	done
	if [[ -n ${dest[application 1]+set} ]]; then
		who+=("application 1")
		cmds+=("$(ship application 1 $TPK $ROSTER $POOL)")
	fi
	for ((i = 1; i <= enclaves; i++)); do
		who+=("enclave $i")
		cmds+=("$(ship enclave $i $K/enclave-$i.key $TPK $ROSTER 00-enclaves/enclave-$i/policy)")
	done
	deploy_cmd() { printf '%s' "${cmds[$1]}"; }
	ahead "$(seq 0 $((${#cmds[@]} - 1)))" deploy_cmd {}
	for i in "${!cmds[@]}"; do
		run "${cmds[i]}" && continue
		if [[ ${who[i]} == enclave* ]]; then
			enclave_gone "${who[i]#* }" && continue
		elif [[ ${who[i]} != application* ]] && no_answer; then
			note "${who[i]} did not answer: $errs"
			[[ ${who[i]} == node* ]] || oracles_down+=("${who[i]#* }")
			continue
		fi
		printf '%s\n' "${errs:-ccc-flow: ${who[i]}: command failed (status $ran_rc): ${cmds[i]}}" >&2
		exit 2
	done
	must "rm -f $K/committee/share-*.cbor $K/enclave-*.key"
}

# An oracle's key is made on its host, as oracle.key in its directory (-f:
# replacing that of an earlier run).
oracle_id() {
	local fflag=
	((force)) && fflag=' -f'
	printf '%s > %s' "$(at oracle "$1" "ccc-keygen identity -o oracle.key -p - -N oracle-$1$fflag")" \
	    "$K/oracle-$1.pub"
}

# oracle_sign I OUT IN [OPTIONS]: the files OPTIONS names after -F and -X
# are shipped first.
oracle_sign() {
	local files=() w prev=
	for w in ${4-}; do
		[[ $prev == -F || $prev == -X ]] && files+=("$w")
		prev=$w
	done
	((${#files[@]} == 0)) || printf '%s && ' "$(ship oracle "$1" "${files[@]}")"
	printf '%s < %s > %s' \
	    "$(at oracle "$1" "ccc-quorum-sign sign -i oracle.key${4:+ $4}")" "$3" "$2"
}

# node_serve I OUT CERTIFIED: its access log is in "state" on its host.
node_serve() {
	printf '%s < %s > %s' "$(at node "$1" "ccc-reencrypt -s $K/committee/share-$1.cbor -k $TPK -r $ROSTER -A $POLICY -P $POOL -d state$comm")" \
	    "$3" "$2"
}

load_program() {
	printf 'code=00-enclaves/enclave-%s/code/$(sha384sum < 02-program | cut -d'"' '"' -f1) && cp 02-program $code && %s' \
	    "$1" "$(ship enclave "$1" '$code')"
}

# keygen_on K E KEY PUB: enclave K (E: its name in the command, as
# "$enclave") makes the request's key KEY, which stays on its host.
keygen_on() {
	printf '%s > %s' "$(at enclave "$1" \
	    "ccc-enclave-run keygen -a $K/$2.key -n \$request_id -s $3 -f")" "$4"
}

# run_on K E T KEY FWD RESULT REPORT: enclave K runs the request with the
# files FWD lists, deadline T; the shares and the certified request are
# shipped, the report fetched (unless it timed out).
run_on() {
	local k=$1 e=$2 t=$3
	printf '%s && { %s > %s; erc=$?; [ $erc -eq 124 ] || %s > %s; (exit $erc); }' \
	    "$(ship enclave "$k" "\$(cat $5)" "$t")" \
	    "$(at enclave "$k" "ccc-enclave-run -r $ROSTER -k $TPK -i $4 -a $K/$e.key -x 00-enclaves/$e/code -p 00-enclaves/$e/policy --report $7 -f \$(cat $5)" "$t")" \
	    "$6" "$(at enclave "$k" "get $7" "$t")" "$7"
}

# The assigned enclave's; enclave_run P WRAP REPORT: WRAP is "timeout S".
enclave_keygen() {
	keygen_on "${enclave#enclave-}" '$enclave' 02-request.key "${1}02-request.pub"
}
enclave_run() {
	run_on "${enclave#enclave-}" '$enclave' "${2#timeout }" 02-request.key \
	    "${1}05-forwarded" "${1}06-result" "$3"
}

# Replica J's (security level 2): the enclave ${replica[J-1]}.
replica_keygen() {
	local e=${replica[$1 - 1]}
	keygen_on "${e#enclave-}" "\${replica[$(($1 - 1))]}" "02-request-$1.key" "02-request-$1.pub"
}
replica_run() {
	local e=${replica[$1 - 1]}
	run_on "${e#enclave-}" "\${replica[$(($1 - 1))]}" "${2#timeout }" \
	    "02-request-$1.key" 05-forwarded "06-result-$1" "06-nodes-$1.json"
}

# oracle_agree I OUT RESULT...: on oracle I's host, the results and the
# certified request shipped; its divergence record, if it made one, fetched.
oracle_agree() {
	local i=$1 out=$2
	shift 2
	printf '%s && { %s > %s; arc=$?; %s > 07-divergence 2>/dev/null || rm -f 07-divergence; (exit $arc); }' \
	    "$(ship oracle "$i" 03-certified "$@")" \
	    "$(at oracle "$i" "ccc-quorum-sign agree $TRUST -F 03-certified -D 07-divergence -f $*")" \
	    "$out" "$(at oracle "$i" "get 07-divergence")"
}

# app_at_host: with an application host, the user's and the application's
# commands run there: the input is encrypted there, the recipient key of
# a sealed output made and kept there, the request built there, and the
# certified result verified and its output read there (to standard
# output, which is the flow's P07-output).
app_at_host() {
	user_encrypt() {
		printf '%s && %s && %s > 01-input.ct' "$(ship application 1 01-input)" \
		    "$(at application 1 "ccc-encrypt -k $TPK -l $(q "app:$app")$comm -o 01-input.ct 01-input")" \
		    "$(at application 1 "get 01-input.ct")"
	}
	app_recipient() {
		local fflag=
		((force)) && fflag=' -f'
		printf '%s > %s' "$(at application 1 "ccc-keygen recipient -o recipient.key -p -$fflag")" \
		    "$K/recipient.pub"
	}
	app_request() {
		local files=(02-program) w prev=
		for w in $2; do
			[[ $prev == -[KXR] ]] && files+=("$w")
			prev=$w
		done
		printf '%s && %s > %s' "$(ship application 1 "${files[@]}")" \
		    "$(at application 1 "ccc-quorum-sign request $2 01-input.ct")" "$1"
	}
	app_read() {
		local key=
		[[ -z $2 ]] || key=' -i recipient.key'
		printf '%s && %s && %s > %s07-output' "$(ship application 1 "${1}07-certified-result")" \
		    "$(at application 1 "ccc-quorum-sign verify -r $ROSTER -o ${1}07-verified -f ${1}07-certified-result")" \
		    "$(at application 1 "ccc-combine --result ${1}07-verified$key")" "$1"
	}
}
