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
# $enclave.pem), and that enclave makes the request's key: NAME.key, the
# secret (0600, for its ccc-enclave-run -i only), and NAME.pub, the public
# key with the enclave's attestation document, for the request's -K.
assigned_key() {
	echo '$ ccc-quorum-sign assign -r roster -P pool'
	ccc-quorum-sign assign -r roster -P pool >"$1.assigned"
	cat "$1.assigned"
	# shellcheck disable=SC2034 # request_id: for the script's request -I
	read -r request_id _ enclave <"$1.assigned"
	run ccc-enclave-run keygen -a "$enclave.key" -s "$1.key" -o "$1.pub"
}
