# The steps of examples/identity.sh, sourced by it and by
# tests/cli/usecase-identity.bats (after run, which prints a command and
# runs it, and step are defined).  Every file is in the current directory.
#
# The deployment: 3 decryption nodes (threshold 2), 3 oracles (quorum 2),
# one software enclave in a certified pool; an identity issuer (an Ed25519
# key of its own, made with OpenSSL: it is no part of ccc); the
# re-certifier's program, which pins the issuer's public key; and the
# re-certifier's two secrets, its signing key and its pseudonym key, each
# made once and kept only threshold-encrypted, in custody for the program's
# measurement.
idsteps=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=enclave-pool.bash
. "$idsteps/enclave-pool.bash"

# hex_of FILE: FILE's bytes in lowercase hex, on one line.
hex_of() { od -An -v -tx1 "$1" | tr -d ' \n'; echo; }

deploy() {
	local i
	step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified pool"
	pool_deployment

	step "the issuer: an Ed25519 key (OpenSSL's), its public key pinned in the re-certifier's program"
	(umask 077 && run openssl genpkey -algorithm ed25519 -out issuer.pem)
	openssl pkey -in issuer.pem -pubout -outform DER -out issuer.der
	tail -c 32 issuer.der >issuer.raw
	issuer_pk=$(hex_of issuer.raw)
	echo "issuer key: $issuer_pk"
	{
		printf '#!/bin/bash\n# recertifier: see examples/identity-recertifier.bash\n'
		printf 'ISSUER_PK=%s\n' "$issuer_pk"
		cat "$idsteps/enclave-input.bash" "$idsteps/identity-recertifier.bash"
	} >recertifier
	measurement=$(sha384sum <recertifier | cut -d' ' -f1)
	mkdir -p code
	run cp recertifier "code/$measurement"
	echo "the re-certifier's measurement: $measurement"

	step "the re-certifier's keys, threshold-encrypted in custody for that measurement only"
	run ccc-keygen identity -o recertifier.key -p recertifier.pub -N recertifier
	# (0600, as the key files ccc-keygen writes)
	[[ -e pseudonym.key ]] || (umask 077 && run openssl rand -out pseudonym.key 32)
	for i in recertifier pseudonym; do
		run ccc-encrypt -k committee/tpk.cbor -l "app:idcert/code=$measurement" \
		    -o "$i.key.ct" "$i.key"
		run rm "$i.key"
	done
}

# sign_text FILE: FILE with the issuer's signature of it as a last line.
sign_text() {
	openssl pkeyutl -sign -inkey issuer.pem -rawin -in "$1" -out "$1.sig"
	printf 'signature: %s\n' "$(hex_of "$1.sig")" >>"$1"
	rm "$1.sig"
}

# credential USER LINES: the issuer's credential of LINES (text) for USER,
# signed, in USER.credential, encrypted for the re-certifier in
# USER.credential.ct.
credential() {
	printf %s "$2" >"$1.credential"
	sign_text "$1.credential"
	run ccc-encrypt -k committee/tpk.cbor -l app:idcert \
	    -o "$1.credential.ct" "$1.credential"
}

# revocation_list ISSUED DOCUMENT...: the issuer's list, at ISSUED, of the
# revoked credentials (by document number), signed, in revoked, encrypted
# in revoked.ct.
revocation_list() {
	local d
	printf 'ccc revocation list\nissued: %s\n' "$1" >revoked
	shift
	for d; do printf 'revoked: %s\n' "$d"; done >>revoked
	sign_text revoked
	run ccc-encrypt -k committee/tpk.cbor -l app:idcert -o revoked.ct revoked
}

# request NAME APP CODE CT...: NAME's request for APP and CODE over CT...,
# for the enclave the pool assigns, in NAME.request.  Options of the
# request before NAME go to it.
request() {
	local opts=()
	while [[ $1 == -* ]]; do opts+=("$1" "$2"); shift 2; done
	local n=$1 app=$2 code=$3
	shift 3
	assigned_key "$n.request"
	run ccc-quorum-sign request -a "$app" -x "$code" -k committee/tpk.cbor \
	    -r roster -P pool -K "$n.request.pub" -I "$request_id" "${opts[@]}" \
	    -o "$n.request" "$@"
}

# serve NAME APP CODE CT...: NAME's request for APP and CODE over CT...,
# certified by 2 oracles, served by the 3 nodes, run by the assigned
# enclave into NAME.result.  Options of the request before NAME go to it.
serve() {
	local opts=() i
	while [[ $1 == -* ]]; do opts+=("$1" "$2"); shift 2; done
	local n=$1 app=$2 code=$3
	shift 3
	request "${opts[@]}" "$n" "$app" "$code" "$@"
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "$n.sig-$i" "$n.request"
	done
	run ccc-quorum-sign combine -r roster -b "$n.request" -o "$n.certified" \
	    "$n.sig-1" "$n.sig-2"
	for i in 1 2 3; do
		run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "$n.sealed-$i" "$n.certified"
	done
	run ccc-enclave-run -r roster -k committee/tpk.cbor -i "$n.request.key" \
	    -a "$enclave.key" -x code -o "$n.result" "$n.certified" \
	    "$n.sealed-1" "$n.sealed-2" "$n.sealed-3"
}

# query NAME USER ADDRESS AUDIENCE NONCE: USER's query for a certificate
# of the claim for ADDRESS, AUDIENCE and NONCE (hex), encrypted in
# NAME.query.ct; then serve_query NAME USER serves it with USER's
# credential (the certificate, if any, is in NAME.result).
query() {
	step "$2 asks the re-certifier for a certificate for $4 at $3"
	printf 'subject: %s\naudience: %s\nnonce: %s\nclaim: resident of a non-embargoed country\n' \
	    "$3" "$4" "$5" >"$1.query"
	run ccc-encrypt -k committee/tpk.cbor -l app:idcert -o "$1.query.ct" "$1.query"
}
serve_query() {
	serve "$1" idcert recertifier recertifier.key.ct pseudonym.key.ct \
	    "$2.credential.ct" revoked.ct "$1.query.ct"
}

# recertify NAME USER ADDRESS AUDIENCE NONCE: query and serve_query; the
# certificate is NAME.cert.
recertify() {
	query "$@"
	serve_query "$1" "$2"
	run ccc-combine --result "$1.result" -o "$1.cert"
}

# escrow_setup: the regulator's recipient key (regulator.key, .pub) and the
# disclosure program (disclose: it prints its one input), and in
# escrow_label the label that binds a ciphertext to both: served only to a
# request that runs that program and seals its output to the regulator.
escrow_setup() {
	step "escrow: the regulator's key, and the one program that may open an escrowed credential, for the regulator only"
	run ccc-keygen recipient -o regulator.key -p regulator.pub
	{
		printf '#!/bin/bash\n# disclose: prints its one input, the escrowed credential.\n'
		cat "$idsteps/enclave-input.bash"
		# shellcheck disable=SC2016 # the program's text
		printf '%s\n' 'hd' 'for k in 0 1 2 3; do hd; hd; ((k < 3)) && p=$((p + v)); done' \
		    '((v == 1)) || exit 1' 'hd; txt; printf %s "$s"'
	} >disclose
	run cp disclose "code/$(sha384sum <disclose | cut -d' ' -f1)"
	escrow_label="app:escrow/code=$(sha384sum <disclose | cut -d' ' -f1)"
	escrow_label+="/recipient=$(tail -c 32 regulator.pub | sha256sum | cut -d' ' -f1)"
	echo "the escrow label: $escrow_label"
}

# escrow USER: USER's credential encrypted under the escrow label, in
# USER.escrow.ct.
escrow() {
	run ccc-encrypt -k committee/tpk.cbor -l "$escrow_label" -o "$1.escrow.ct" \
	    "$1.credential"
}
