# The examples' shared steps for the enclave pool, sourced by the scripts
# that serve requests (after they define run, which prints a command and
# runs it).  The application does not pick the enclave, nor make its key:
# the oracles certify a pool of enclaves, the pool assigns each request id
# its enclave, and that enclave makes the request's key itself, with an
# attestation document that binds the key to it.  Oracles and decryption
# nodes check both (ccc-quorum-sign sign -A -r -P, ccc-reencrypt -A -P)
# before they sign or serve.

# certify_pool PEM...: the pool "example-pool" of the enclaves PEM... (each
# named, in the pool, by its file name without .pem), certified by the
# oracles oracle-1 and oracle-2, a quorum of ./roster, to ./pool.
certify_pool() {
	local pem i entries=()
	for pem; do
		entries+=("$pem,operator=example-operator")
	done
	run ccc-quorum-sign pool -N example-pool -o pool.blob "${entries[@]}"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -o "pool-sig-$i" pool.blob
	done
	run ccc-quorum-sign combine -r roster -b pool.blob -o pool \
	    pool-sig-1 pool-sig-2
}

# assigned_key NAME: the pool assigns a fresh request id, $request_id, its
# enclave, $enclave (its name in the pool: its files are $enclave.key and
# $enclave.pem), and that enclave makes the request's key, bound to that
# request id (keygen -n; the policy requires it): NAME.key, the
# secret (0600, for its ccc-enclave-run -i only), and NAME.pub, the public
# key with the enclave's attestation document, for the request's -K.
assigned_key() {
	echo '$ ccc-quorum-sign assign -r roster -P pool'
	ccc-quorum-sign assign -r roster -P pool >"$1.assigned"
	cat "$1.assigned"
	read -r request_id _ enclave <"$1.assigned"
	run ccc-enclave-run keygen -a "$enclave.key" -n "$request_id" -s "$1.key" -o "$1.pub"
}

# pool_deployment: the examples' deployment, in the current directory: a
# 2-of-3 threshold key (committee/), 3 oracles (oracle-N.key, .pub) with
# their roster (quorum 2), an attestation root (root.key, root.pem), the
# enclave enclave-1 certified by it, the oracles' and nodes' attestation
# policy (attest.policy) and the pool of that enclave (pool).
pool_deployment() {
	local i
	run ccc-keygen dealer -t 2 -n 3 -d committee
	for i in 1 2 3; do
		run ccc-keygen identity -o "oracle-$i.key" -p "oracle-$i.pub" -N "oracle-$i"
	done
	run ccc-quorum-sign roster -q 2 -N oracles -o roster oracle-1.pub oracle-2.pub oracle-3.pub
	run ccc-keygen attest-root -o root.key -p root.pem -N example-root
	run ccc-keygen enclave-cert -r root.key -o enclave-1.key -p enclave-1.pem -N enclave-1
	printf 'ccc-attest-policy 1\nroot software root.pem example-root\nmeasurements any\nallow-software yes\nrequire-challenge yes\n' >attest.policy
	certify_pool enclave-1.pem
}

# read_input: the programs' common part, printed: the enclave input, one
# CBOR map {0: type, 1: request id, 2: app id, 3: [input, ...]}, read with
# bash builtins only (the sandbox has no PATH); the inputs are text, in
# the array "inputs".
read_input() {
	# shellcheck disable=SC2154 # examples: set by the sourcing script
	cat "$examples/enclave-input.bash"
	cat <<'PROG'
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
PROG
}
