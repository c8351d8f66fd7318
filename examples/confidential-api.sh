#!/usr/bin/env bash
# Confidential API access (whitepaper 4.1, after Town Crier).
#
# A developer's API credential is encrypted under the threshold public key
# and stored with the workflow: no oracle, node or developer machine holds
# it in the clear afterwards.  At run time a certified request hands it to
# an enclave, which decrypts it, calls the API over the network with it,
# and releases only the part of the response the application asked for
# (the account balance), not the owner, the IBAN or the credential.
#
# The "API" is a small HTTPS server on 127.0.0.1 started by this script
# (python3's http.server with ssl), under a certificate of the API
# provider's own CA, made here with the openssl CLI; it answers only with
# the right bearer token.  The enclave's program names the API it calls,
# the CA it trusts and the server key it pins (the SHA-256 of its
# SubjectPublicKeyInfo), so its measurement covers all three.  It calls
# the API with /usr/bin/curl (the sandbox executes under /usr), handing it
# the credential on a pipe, never on a command line, in the environment or
# in a file, and may use the network only because the request asks for
# it (-n --connect PORT) and the enclave's policy allows it (network
# allow, connect *:PORT); any other request's program is killed by the
# sandbox the moment it opens a network socket.
#
# What it releases binds where it came from: the SHA-256 of the server's
# certificate, as the TLS connection presented it, and the SHA-256 of the
# whole response it took the balance from, both in the output that the
# enclave's attestation binds.  A server with another certificate, even
# one of the same CA for the same name, fails the pin: the program stops,
# and there is no result.
#
# The enclave is not the application's choice: the oracles certify a pool
# of enclaves, the pool assigns each request id its enclave, and that
# enclave makes the request's key itself, with an attestation document
# binding the key to it (ccc-enclave-run keygen).  The oracles and the
# decryption nodes check that attestation against their policy and the
# pool before they sign or serve, so no share is ever sealed to a key that
# did not come out of the assigned enclave.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified pool.  Every file stays in the work
# directory.
set -euo pipefail
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# shellcheck source-path=SCRIPTDIR source=enclave-pool.bash
. "$examples/enclave-pool.bash"

command -v python3 >/dev/null ||
    { echo "confidential-api.sh: needs python3 for the local API server" >&2; exit 2; }

step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified pool"
pool_deployment
# This enclave lets programs use the network when their request asks for it,
# to the API's port only (added below, once the API listens).
printf 'network allow\n' >enclave.policy

step "the API: an HTTPS server on 127.0.0.1, under the API provider's own CA, that wants a bearer token"
# cert NAME: a P-256 key NAME.key and a certificate NAME.pem for the name
# api.example (and 127.0.0.1), issued by the CA.
cert() {
	run openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$1.key" -subj /CN=api.example -out "$1.csr" 2>>openssl.log
	printf 'subjectAltName=DNS:api.example,IP:127.0.0.1\n' >san.ext
	run openssl x509 -req -in "$1.csr" -CA api-ca.pem -CAkey api-ca.key \
	    -CAcreateserial -days 30 -extfile san.ext -out "$1.pem" 2>>openssl.log
}
run openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout api-ca.key -subj /CN=example-api-ca -days 30 -out api-ca.pem \
    2>>openssl.log
cert api-server
# The pin: the SHA-256 of the server's public key (SubjectPublicKeyInfo).
pin="sha256//$(openssl x509 -in api-server.pem -noout -pubkey |
    openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64)"
echo "the server key's pin: $pin"
# The token exists in the clear only here (the API provider issued it) and,
# for one request, inside the enclave.  The server reads it from a pipe.
token="tok_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cat >api-server.py <<'PY'
# A toy bank API over HTTPS: GET /v1/account with "Authorization: Bearer
# TOKEN", the token the first line of stdin.  Arguments: the certificate,
# its key, and the file to write the port to (any free port), or
# FILE:PORT for that port.
import hmac, http.server, json, os, ssl, sys
TOKEN = sys.stdin.readline().rstrip("\n")
cert, key, where = sys.argv[1:4]
portfile, _, port = where.partition(":")
class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/v1/account":
            return self.send_error(404)
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), ("Bearer " + TOKEN).encode()):
            return self.send_error(401)
        body = json.dumps({"owner": "Alice Example",
                           "iban": "DE89370400440532013000",
                           "balance": "1234.56", "currency": "EUR"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *args):
        with open("api.log", "a") as f:
            f.write("%s\n" % (fmt % args))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server = http.server.HTTPServer(("127.0.0.1", int(port or 0)), Api)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
PY
# serve NAME FILE[:PORT]: the API under NAME.pem in the background
# ($server), its port in FILE once it listens.  No deadline a slow machine
# could miss: it waits as long as the server runs.
serve() {
	rm -f "${2%%:*}"
	printf '%s\n' "$token" | python3 api-server.py "$1.pem" "$1.key" "$2" &
	server=$!
	while [ ! -s "${2%%:*}" ]; do
		kill -0 "$server" 2>/dev/null || { echo "the API server died" >&2; exit 1; }
		sleep 0.05
	done
}
rm -f api.log
# shellcheck disable=SC2016 # the command as typed, $token unexpanded
printf '%s\n' '$ printf "%s\n" "$token" | python3 api-server.py api-server.pem api-server.key api.port &'
serve api-server api.port
trap 'kill "$server" 2>/dev/null || true' EXIT
port=$(cat api.port)
echo "the API listens on 127.0.0.1:$port"
# The enclave's egress allow-list: a TCP connection to any other port is
# refused (the kernel's Landlock bounds ports, not hosts).
echo "\$ echo 'connect *:$port' >>enclave.policy"
echo "connect *:$port" >>enclave.policy

step "1. the developer encrypts the credential under the threshold key"
# shellcheck disable=SC2016 # the command as typed, $token unexpanded
printf '$ printf %%s "$token" | ccc-encrypt -k committee/tpk.cbor -l app:bank-balance -o credential.ct\n'
printf %s "$token" | ccc-encrypt -k committee/tpk.cbor -l app:bank-balance -o credential.ct

step "2. the program: call the API over TLS with the credential, release only the balance, bound to the server and the response"
cat >program <<EOF
#!/bin/bash
# Calls the bank API at https://api.example:$port (127.0.0.1) with the
# credential (the request's only input), trusting the API's CA below and
# only the server key it pins, and prints the SHA-256 of the server's
# certificate, the SHA-256 of the response and the account balance,
# nothing else.
API_HOST=api.example API_PORT=$port
API_PIN='$pin'
API_CA='$(cat api-ca.pem)'
EOF
read_input >>program
cat >>program <<'EOF'
token=${inputs[0]}
inputs=()

# The call: the credential goes to curl on a pipe (its configuration on
# stdin), the response to a file in the scratch directory, the server's
# certificate, as the connection presented it, to another.  curl's exit
# status is the program's when the call fails (90: the pin failed).
printf '%s\n' "$API_CA" >ca.pem || exit 4
printf 'header = "Authorization: Bearer %s"\n' "$token" |
    /usr/bin/curl -sS --config - --proto =https --tlsv1.2 --cacert ca.pem \
    --pinnedpubkey "$API_PIN" --resolve "$API_HOST:$API_PORT:127.0.0.1" \
    --fail -o response -w '%{certs}' \
    "https://$API_HOST:$API_PORT/v1/account" >chain
rc=$?
token= # used; gone
((rc == 0)) || exit "$rc"
# The server's certificate: the first of the chain, as DER.
/usr/bin/openssl x509 -in chain -outform DER -out server.der || exit 5
cert_sha=$(/usr/bin/sha256sum <server.der) || exit 5
resp_sha=$(/usr/bin/sha256sum <response) || exit 5
cert_sha=${cert_sha%% *} resp_sha=${resp_sha%% *}
resp=$(<response)
# The selected part: the balance and its currency.
[[ $resp =~ \"balance\":\ *\"([0-9]+\.[0-9]+)\" ]] || exit 6
balance=${BASH_REMATCH[1]}
[[ $resp =~ \"currency\":\ *\"([A-Z]{3})\" ]] || exit 6
printf 'server certificate sha256: %s\nresponse sha256: %s\nbalance: %s %s\n' \
    "$cert_sha" "$resp_sha" "$balance" "${BASH_REMATCH[1]}"
EOF
mkdir -p code
run cp program "code/$(sha384sum <program | cut -d' ' -f1)"

step "2. the application asks for it: the pool assigns the enclave, which makes an attested key"
assigned_key request
run ccc-quorum-sign request -a bank-balance -x program -n --connect "$port" \
    -k committee/tpk.cbor -r roster -P pool -K request.pub -I "$request_id" \
    -o request credential.ct

step "3. two oracles check it (the key attested by the enclave the pool assigns) and sign: a certificate"
for i in 1 2; do
	run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o "sig-$i" request
done
run ccc-quorum-sign combine -r roster -b request -o certified sig-1 sig-2

step "4. each decryption node checks the enclave's key too, and seals its share to it"
for i in 1 2 3; do
	run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    -r roster -A attest.policy -P pool -d "node-$i" -o "sealed-$i" certified
done

step "5-6. the enclave decrypts the credential, calls the API, attests the result"
run ccc-enclave-run -r roster -k committee/tpk.cbor -i request.key -a "$enclave.key" \
    -c code -p enclave.policy -o result certified sealed-1 sealed-2 sealed-3

step "7. the oracles verify the attestation and sign the result"
echo '$ ccc-attest-verify -p attest.policy -r certified result > attestation.txt'
ccc-attest-verify -p attest.policy -r certified result >attestation.txt
for i in 1 2; do
	run ccc-quorum-sign sign -i "oracle-$i.key" -A attest.policy -r roster \
	    -P pool -F certified -o "result-sig-$i" result
done
run ccc-quorum-sign combine -r roster -b result -o certified-result result-sig-1 result-sig-2

step "the application reads the released part"
echo '$ ccc-quorum-sign verify -r roster certified-result | ccc-combine --result - -o output'
ccc-quorum-sign verify -r roster certified-result | ccc-combine --result - -o output
cat output

step "the application cannot choose the key: its own, or one from an enclave outside the pool, is refused"
run ccc-keygen recipient -o rogue.key -p rogue.pub
run ccc-keygen enclave-cert -r root.key -o rogue-enclave.key -p rogue-enclave.pem -N rogue
run ccc-enclave-run keygen -a rogue-enclave.key -s rogue-enclave.request.key \
    -o rogue-enclave.request.pub
rm -f rogue.refused
for k in rogue.pub rogue-enclave.request.pub; do
	echo "\$ ccc-quorum-sign request -a bank-balance -x program -n -k committee/tpk.cbor -r roster -P pool -K $k -o rogue-request credential.ct"
	if ccc-quorum-sign request -a bank-balance -x program -n -k committee/tpk.cbor \
	    -r roster -P pool -K "$k" -o rogue-request credential.ct 2>>rogue.refused; then
		echo "FAIL: a request was made for $k" >&2
		exit 1
	fi
done
cat rogue.refused

# served NAME ARG...: a request NAME of the program for the credential,
# with ARG... (its network options), assigned, made, certified and served
# by the nodes: NAME-certified and NAME-sealed-1..3, for the enclave.
served() {
	local name=$1 i
	shift
	assigned_key "$name"
	run ccc-quorum-sign request -a bank-balance -x program "$@" \
	    -k committee/tpk.cbor -r roster -P pool -K "$name.pub" \
	    -I "$request_id" -o "$name-request" credential.ct
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
		    -A attest.policy -r roster -P pool -o "$name-sig-$i" \
		    "$name-request"
	done
	run ccc-quorum-sign combine -r roster -b "$name-request" \
	    -o "$name-certified" "$name-sig-1" "$name-sig-2"
	for i in 1 2 3; do
		run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -r roster -A attest.policy -P pool -d "node-$i" \
		    -o "$name-sealed-$i" "$name-certified"
	done
}

# refused NAME: the enclave runs request NAME, which must fail: its status
# to NAME.status, its error line to NAME.refused.
refused() {
	local rc=0
	echo "\$ ccc-enclave-run -r roster -k committee/tpk.cbor -i $1.key -a $enclave.key -c code -p enclave.policy -o $1-result $1-certified $1-sealed-1 $1-sealed-2 $1-sealed-3"
	ccc-enclave-run -r roster -k committee/tpk.cbor -i "$1.key" \
	    -a "$enclave.key" -c code -p enclave.policy -o "$1-result" \
	    "$1-certified" "$1-sealed-1" "$1-sealed-2" "$1-sealed-3" \
	    2>"$1.refused" || rc=$?
	echo "$rc" >"$1.status"
	if [ "$rc" = 0 ]; then
		echo "FAIL: request $1 got a result" >&2
		exit 1
	fi
	cat "$1.refused"
}

step "the same request without network use (no -n): the sandbox kills curl at its socket"
served offline
refused offline

step "a server with another certificate (the same CA, the same name, another key) on the API's port: the pin fails"
cert other-server
kill "$server"
wait "$server" 2>/dev/null || true
# shellcheck disable=SC2016 # the command as typed, $token unexpanded
printf '%s%s &\n' '$ printf "%s\n" "$token" | python3 api-server.py other-server.pem other-server.key other.port:' "$port"
serve other-server "other.port:$port"
served other -n --connect "$port"
refused other

step "check"
grep -q 'expected an attested enclave key' rogue.refused
grep -q 'not in pool "example-pool"' rogue.refused
[ ! -e rogue-request ]
# curl, killed by the sandbox for its socket (SIGSYS): 128 + 31.
[ "$(cat offline.status)" = 1 ]
[ "$(cat offline.refused)" = "ccc-enclave-run: code failed: the code exited with status 159; no result and no attestation" ]
# curl's status 90: the server's key is not the pinned one.
[ "$(cat other.status)" = 1 ]
[ "$(cat other.refused)" = "ccc-enclave-run: code failed: the code exited with status 90; no result and no attestation" ]
[ ! -e offline-result ] && [ ! -e other-result ]
# The output binds the server's certificate and the response.
[ "$(sed -n 's/^server certificate sha256: //p' output)" = "$(openssl x509 -in api-server.pem -outform DER | sha256sum | cut -d' ' -f1)" ]
# and the response: the API's answer, byte for byte.
[ "$(sed -n 's/^response sha256: //p' output)" = "$(printf '%s' '{"owner": "Alice Example", "iban": "DE89370400440532013000", "balance": "1234.56", "currency": "EUR"}' | sha256sum | cut -d' ' -f1)" ]
grep -qx 'balance: 1234.56 EUR' output
# The API was called once, with the right token (a 401 would be logged).
[ "$(cat api.log)" = '"GET /v1/account HTTP/1.1" 200 -' ]
# Only the selected part came out, and the credential is nowhere in the
# clear: not in the result, its certificate, or any other file here.
for secret in "Alice Example" DE89370400440532013000; do
	if grep -rqaF "$secret" --exclude=api-server.py .; then
		echo "FAIL: '$secret' was released" >&2
		exit 1
	fi
done
if grep -rqaF "$token" .; then
	echo "FAIL: the credential is in the clear in $work" >&2
	exit 1
fi
echo "ok: the enclave called the API over TLS with the pinned key and the encrypted credential, and released only the balance, bound to the server's certificate and the response; another server was refused; files are in $work"
