#!/usr/bin/env bash
# A confidential data pool: three hospitals, one agreed aggregate.
#
# The Confidential Data Pool pattern (Enclave's E3s) on ccc: several
# parties that do not share data with each other submit encrypted records;
# a computation they agreed on, and nothing else, runs over all of them; only
# its verified output is released.  Here three hospitals each encrypt their
# patient records under the threshold key; one request carries the three
# ciphertexts; the agreed program, whose measurement the request names,
# releases only a cohort statistic (how many patients, how many with type 2
# diabetes, their mean HbA1c) and refuses to release anything about a
# cohort smaller than 5.  No single decryption node can decrypt a record,
# the enclave sees them only in memory, and no record appears in any file
# that leaves a hospital: the check below greps every file of the run.
#
# (E3s use FHE and zero-knowledge proofs where ccc uses an attested enclave;
# the pattern, encrypted inputs from many parties and one agreed, verified
# output, is the same.)
#
# No party picks the enclave that sees the records, nor its key: the
# oracles certify a pool of enclaves (./pool, not to be confused with the
# data pool), the enclave pool assigns the request id its enclave, and that
# enclave makes the request's key, attested.  The oracles and the nodes
# check the attestation and the assignment before they sign or serve.
#
# The set-up: 3 decryption nodes (threshold 2), 3 oracles (quorum 2), one
# software enclave in a certified enclave pool.  Every file stays in the
# work directory.
#
# With the argument 4, the same statistic at security level 4 instead:
# no enclave at all.  The oracles certify the pool's contributors: the
# three hospitals' identity keys.  Each hospital counts its own patients,
# its type 2 diabetics and the sum of their HbA1c, and encrypts the three
# counts as an additive input signed with its key (a contribution); anyone
# aggregates the three inputs; the application asks for the aggregate's
# sums in a level-4 request, which the oracles certify; each node checks
# the certificate, that every input is a listed hospital's, its floor of 3
# hospitals (so that nobody pads the aggregate with inputs of its own), the
# aggregate against its inputs, its label and that no input was in another
# aggregate it released, logs the release in its access log, and shares
# it; the sums are decrypted and anyone re-verifies them.  Level 1 trusts
# the enclave's hardware with the records; level 4 trusts no machine with
# them, and computes only sums.
set -euo pipefail
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=${WORKDIR:-$(mktemp -d)}
cd "$work"
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# shellcheck source-path=SCRIPTDIR source=enclave-pool.bash
. "$examples/enclave-pool.bash"

# The three hospitals' records: "id age sex diagnosis hba1c".
write_records() {
	cat >hospital-a.records <<'EOF'
A-1001 54 F T2D 7.9
A-1002 61 M none 5.4
A-1003 47 M T2D 8.3
A-1004 70 F T2D 6.8
EOF
	cat >hospital-b.records <<'EOF'
B-2001 38 F none 5.1
B-2002 66 M T2D 7.2
B-2003 59 F T2D 9.1
EOF
	cat >hospital-c.records <<'EOF'
C-3001 72 M T2D 7.0
C-3002 45 F none 5.6
C-3003 51 M none 5.9
C-3004 63 F T2D 8.0
EOF
}

# Level 4: counts and sums of the three hospitals, aggregated with no enclave.
level4() {
	step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2); no enclave"
	run ccc-keygen dealer -t 2 -n 3 -d committee
	for i in 1 2 3; do
		run ccc-keygen identity -o "oracle-$i.key" -p "oracle-$i.pub" -N "oracle-$i"
	done
	run ccc-quorum-sign roster -q 2 -N oracles -o roster oracle-1.pub oracle-2.pub oracle-3.pub
	step "0. the pool's contributors: each hospital's identity key, listed for app cohort; 2 oracles certify the list"
	for h in a b c; do
		run ccc-keygen identity -o "hospital-$h.key" -p "hospital-$h.pub" -N "hospital-$h"
	done
	run ccc-quorum-sign contributors -a cohort -o contributors \
	    hospital-a=hospital-a.pub hospital-b=hospital-b.pub hospital-c=hospital-c.pub
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -o "contributors.sig-$i" contributors
	done
	run ccc-quorum-sign combine -r roster -b contributors -o contributors.cert \
	    contributors.sig-1 contributors.sig-2
	write_records
	step "1. each hospital counts its own records, encrypts the counts (patients, T2D, sum of T2D HbA1c in tenths) and signs them"
	for h in a b c; do
		awk '{ n++ } $4 == "T2D" { t++; split($5, x, "."); s += x[1] * 10 + x[2] }
		    END { print n, t + 0, s + 0 }' "hospital-$h.records" >"hospital-$h.counts"
		run ccc-encrypt -k committee/tpk.cbor --additive -B 16 -l app:cohort \
		    -I "hospital-$h.key" -o "hospital-$h.input" "hospital-$h.counts"
	done
	step "2. anyone aggregates the inputs (their proofs verified)"
	run ccc-aggregate -k committee/tpk.cbor -l app:cohort -o aggregate \
	    hospital-a.input hospital-b.input hospital-c.input
	step "3. the application asks for the aggregate's sums (level 4); 2 oracles certify the request"
	run ccc-quorum-sign request -a cohort -k committee/tpk.cbor --aggregate aggregate -o request
	for i in 1 2; do
		run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor -o "request.sig-$i" request
	done
	run ccc-quorum-sign combine -r roster -b request -o certified request.sig-1 request.sig-2
	step "4. each node checks the request, the contributors and its floor of 3 hospitals, the aggregate and its release record, logs the release, and shares it"
	for i in 1 2 3; do
		run ccc-aggregate -s "committee/share-$i.cbor" -k committee/tpk.cbor \
		    -a aggregate -F certified -r roster -d "node-$i" \
		    -C contributors.cert -m 3 -o "share-$i" \
		    hospital-a.input hospital-b.input hospital-c.input
	done
	step "5. any two shares decrypt the sums; anyone re-verifies them"
	run ccc-combine --aggregate aggregate -k committee/tpk.cbor --cache cache \
	    -o sums share-1 share-3
	echo '$ ccc-aggregate --verify sums -k committee/tpk.cbor hospital-?.input > sums.txt'
	ccc-aggregate --verify sums -k committee/tpk.cbor hospital-a.input \
	    hospital-b.input hospital-c.input >sums.txt
	local n t s mean
	{ read -r n; read -r t; read -r s; } <sums.txt
	mean=$(((s * 10 + t / 2) / t))
	printf 'hospitals: 3; patients: %d; with type 2 diabetes: %d; their mean HbA1c: %d.%02d%%\n' \
	    "$n" "$t" $((mean / 100)) $((mean % 100)) | tee aggregate.txt
	step "check"
	[ "$(cat aggregate.txt)" = 'hospitals: 3; patients: 11; with type 2 diabetes: 7; their mean HbA1c: 7.76%' ]
	# No record leaves a hospital, and no machine saw even its counts.
	for h in a b c; do
		while read -r id _; do
			if grep -raqF "$id" aggregate sums share-? node-*; then
				echo "FAIL: record $id appears in an output" >&2
				exit 1
			fi
		done <"hospital-$h.records"
	done
	echo "ok: level 4 released only the sums of the three hospitals' counts, with no enclave; files are in $work"
}

if [ "${1:-}" = 4 ]; then
	level4
	exit 0
fi

step "0. the deployment: a 2-of-3 threshold key, 3 oracles (quorum 2), an enclave in a certified enclave pool"
pool_deployment

step "the agreed program: a cohort statistic over every record, nothing else"
cat >program <<'EOF'
#!/bin/bash
# cohort: each input is one hospital's records, one patient a line:
# "id age sex diagnosis hba1c" (HbA1c in %, one decimal).  Prints the
# number of patients, how many have type 2 diabetes (T2D) and their mean
# HbA1c; exits 1 if there are fewer than 5 patients, or a malformed line.
MIN_COHORT=5
EOF
read_input >>program
cat >>program <<'EOF'
patients=0 t2d=0 tenths=0
for records in "${inputs[@]}"; do
	IFS=$'\n'; set -f; lines=($records); set +f; IFS=$' \t\n'
	for l in "${lines[@]}"; do
		set -f; f=($l); set +f
		((${#f[@]} == 5)) && [[ ${f[4]} =~ ^([0-9]+)\.([0-9])$ ]] || exit 1
		patients=$((patients + 1))
		if [[ ${f[3]} == T2D ]]; then
			t2d=$((t2d + 1))
			tenths=$((tenths + 10#${BASH_REMATCH[1]} * 10 + BASH_REMATCH[2]))
		fi
	done
done
((patients >= MIN_COHORT && t2d >= 1)) || exit 1
mean=$(((tenths * 10 + t2d / 2) / t2d)) # hundredths, rounded
printf 'hospitals: %d; patients: %d; with type 2 diabetes: %d; their mean HbA1c: %d.%02d%%\n' \
    "${#inputs[@]}" "$patients" "$t2d" $((mean / 100)) $((mean % 100))
EOF
mkdir -p code
run cp program "code/$(sha384sum <program | cut -d' ' -f1)"

step "1. each hospital encrypts its own records under the threshold key"
write_records
for h in a b c; do
	run ccc-encrypt -k committee/tpk.cbor -l app:cohort -o "hospital-$h.ct" "hospital-$h.records"
done

step "2. the data pool's request: the three ciphertexts, the agreed program, the assigned enclave's attested key"
assigned_key request
run ccc-quorum-sign request -a cohort -x program -k committee/tpk.cbor \
    -r roster -P pool -K request.pub -I "$request_id" \
    -o request hospital-a.ct hospital-b.ct hospital-c.ct

step "3. two oracles check it (the key attested by the enclave the pool assigns) and sign"
for i in 1 2; do
	run ccc-quorum-sign sign -i "oracle-$i.key" -k committee/tpk.cbor \
	    -A attest.policy -r roster -P pool -o "sig-$i" request
done
run ccc-quorum-sign combine -r roster -b request -o certified sig-1 sig-2

step "4. each decryption node checks the enclave's key and serves: a share of every ciphertext, sealed to it"
for i in 1 2 3; do
	run ccc-reencrypt -s "committee/share-$i.cbor" -k committee/tpk.cbor \
	    -r roster -A attest.policy -P pool -d "node-$i" -o "sealed-$i" certified
done

step "5-6. the enclave decrypts the three inputs, runs the program, attests the aggregate"
run ccc-enclave-run -r roster -k committee/tpk.cbor -i request.key -a "$enclave.key" \
    -c code -o result certified sealed-1 sealed-2 sealed-3

step "7. the oracles verify the attestation and certify the result"
echo '$ ccc-attest-verify -p attest.policy -r certified result > attestation.txt'
ccc-attest-verify -p attest.policy -r certified result >attestation.txt
for i in 1 2; do
	run ccc-quorum-sign sign -i "oracle-$i.key" -A attest.policy -r roster \
	    -P pool -F certified -o "result-sig-$i" result
done
run ccc-quorum-sign combine -r roster -b result -o certified-result result-sig-1 result-sig-2

step "every hospital reads the same verified aggregate"
for h in a b c; do
	echo "\$ ccc-quorum-sign verify -r roster certified-result | ccc-combine --result - -o hospital-$h.aggregate"
	ccc-quorum-sign verify -r roster certified-result |
	    ccc-combine --result - -o "hospital-$h.aggregate"
done
cat hospital-a.aggregate

step "check"
expected='hospitals: 3; patients: 11; with type 2 diabetes: 7; their mean HbA1c: 7.76%'
for h in a b c; do
	[ "$(cat "hospital-$h.aggregate")" = "$expected" ]
done
# No record, and no patient id, is in any file but the hospitals' own
# record files: not in the request, the sealed shares, the result, its
# attestation or certificate, the aggregate, or the nodes' logs.
outputs=$(find . -type f ! -name 'hospital-?.records' | sort)
[ "$(echo "$outputs" | wc -l)" -gt 30 ]
for h in a b c; do
	while read -r id rest; do
		# shellcheck disable=SC2086 # file names without blanks
		if grep -aqF -e "$id" -e "$id $rest" $outputs; then
			echo "FAIL: hospital $h's record $id appears in: $(grep -alF "$id" $outputs | tr '\n' ' ')" >&2
			exit 1
		fi
	done <"hospital-$h.records"
done
echo "ok: the enclave released only the agreed aggregate of the three hospitals' records, and no record appears in any output; files are in $work"
