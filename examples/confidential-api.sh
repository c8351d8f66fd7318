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
# The "API" is a small HTTP server on 127.0.0.1 started by this script
# (python3's http.server); it answers only with the right bearer token.
# The enclave's program names the API it calls (so its measurement covers
# the endpoint), connects with bash's /dev/tcp, and is allowed the network
# only because the request asks for it (-n) and the enclave's policy allows
# it (network allow, and the API's port in its allow-list: connect *:PORT);
# any other request's program is killed by the sandbox the moment it opens
# a network socket.
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
run ccc-keygen dealer -t 2 -n 3 -d committee
for i in 1 2 3; do
	run ccc-keygen identity -o "oracle-$i.key" -p "oracle-$i.pub" -N "oracle-$i"
done
run ccc-quorum-sign roster -q 2 -N oracles -o roster oracle-1.pub oracle-2.pub oracle-3.pub
run ccc-keygen attest-root -o root.key -p root.pem -N example-root
run ccc-keygen enclave-cert -r root.key -o enclave-1.key -p enclave-1.pem -N enclave-1
printf 'ccc-attest-policy 1\nroot software root.pem example-root\nmeasurements any\nallow-software yes\n' >attest.policy
# The oracles certify the pool of enclaves that may serve requests.
certify_pool enclave-1.pem
# This enclave lets programs use the network when their request asks for it,
# to the API's port only (added below, once the API listens).
printf 'network allow\n' >enclave.policy

step "the API: an HTTP server on 127.0.0.1 that wants a bearer token"
# The token exists in the clear only here (the API provider issued it) and,
# for one request, inside the enclave.
token="tok_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cat >api-server.py <<'EOF'
# A toy bank API: GET /v1/account with "Authorization: Bearer TOKEN".
import http.server, json, os, sys
TOKEN = os.environ["API_TOKEN"]
class Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/v1/account":
            return self.send_error(404)
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
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
server = http.server.HTTPServer(("127.0.0.1", 0), Api)
with open("api.port.tmp", "w") as f:
    f.write(str(server.server_port))
os.rename("api.port.tmp", "api.port")
server.serve_forever()
EOF
rm -f api.port api.log
API_TOKEN=$token python3 api-server.py &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
# Wait for the server as long as it runs: no deadline a slow machine
# could miss.
while [ ! -s api.port ]; do
	kill -0 "$server" 2>/dev/null || { echo "the API server died" >&2; exit 1; }
	sleep 0.05
done
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

step "2. the program: call the API with the credential, release only the balance"
cat >program <<EOF
#!/bin/bash
# Calls the bank API at 127.0.0.1:$port with the credential (the request's
# only input) and prints the account balance, nothing else.
API_HOST=127.0.0.1 API_PORT=$port
EOF
cat "$examples/enclave-input.bash" >>program
cat >>program <<'EOF'
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
token=${inputs[0]}

# The call (HTTP/1.0: the server closes the connection after its answer).
exec 3<>"/dev/tcp/$API_HOST/$API_PORT" || exit 4
printf 'GET /v1/account HTTP/1.0\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n' \
    "$API_HOST" "$token" >&3
token= # used; gone
resp=
while IFS= read -r -u 3 line || [[ -n $line ]]; do
	resp+=$line$'\n'
done
[[ $resp == 'HTTP/1.'?' 200 '* ]] || exit 5
# The selected part: the balance and its currency.
[[ $resp =~ \"balance\":\ *\"([0-9]+\.[0-9]+)\" ]] || exit 6
balance=${BASH_REMATCH[1]}
[[ $resp =~ \"currency\":\ *\"([A-Z]{3})\" ]] || exit 6
printf 'balance: %s %s\n' "$balance" "${BASH_REMATCH[1]}"
EOF
mkdir -p code
run cp program "code/$(sha384sum <program | cut -d' ' -f1)"

step "2. the application asks for it: the pool assigns the enclave, which makes an attested key"
assigned_key request
run ccc-quorum-sign request -a bank-balance -x program -n -k committee/tpk.cbor \
    -r roster -P pool -K request.pub -I "$request_id" -o request credential.ct

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

step "the same request without network use (no -n): the sandbox kills the program"
assigned_key offline
run ccc-quorum-sign request -a bank-balance -x program -k committee/tpk.cbor \
    -r roster -P pool -K offline.pub -I "$request_id" -o offline-request credential.ct
for i in 1 2; do
	run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o "offline-sig-$i" offline-request
done
run ccc-quorum-sign combine -r roster -b offline-request -o offline-certified \
    offline-sig-1 offline-sig-2
for i in 1 2 3; do
	run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    -r roster -A attest.policy -P pool -d "node-$i" \
	    -o "offline-sealed-$i" offline-certified
done
echo '$ ccc-enclave-run ... -o offline-result offline-certified offline-sealed-1 offline-sealed-2 offline-sealed-3'
if ccc-enclave-run -r roster -k committee/tpk.cbor -i offline.key -a "$enclave.key" \
    -c code -p enclave.policy -o offline-result offline-certified \
    offline-sealed-1 offline-sealed-2 offline-sealed-3 2>offline-refused.txt; then
	echo "FAIL: the program reached the network without -n" >&2
	exit 1
fi
cat offline-refused.txt

step "check"
grep -q 'expected an attested enclave key' rogue.refused
grep -q 'not in pool "example-pool"' rogue.refused
[ ! -e rogue-request ]
grep -q 'network access' offline-refused.txt
[ ! -e offline-result ]
grep -qx 'balance: 1234.56 EUR' output
# The API was called once, with the right token (a 401 would be logged).
grep -q '"GET /v1/account HTTP/1.0" 200' api.log
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
echo "ok: the enclave called the API with the encrypted credential and released only the balance; files are in $work"
