# shellcheck shell=bash disable=SC2154 # b, p, v, mt, s: enclave-input.bash
# The re-certifier's enclave program (examples/identity.sh): it follows
# enclave-input.bash, and identity.sh puts the issuer's pinned key in
# ISSUER_PK (64 hex digits: the raw Ed25519 public key) before both.
#
# Its inputs, in this order, are the plaintexts of
#   0  the re-certifier's signing key (a ccc/identity-key/v1 blob)
#   1  the pseudonym key (32 random bytes)
#   2  the user's credential: "field: value" lines, the last one
#      "signature: HEX", the issuer's Ed25519 signature of the lines before
#   3  the issuer's revocation list: a line "ccc revocation list", then
#      "issued: SECONDS" and one "revoked: DOCUMENT" line per revoked
#      credential, signed the same way
#   4  the query: "subject: 0xADDRESS", "audience: RELYING-PARTY",
#      "nonce: HEX" and "claim: CLAIM" lines
# and its output is one ccc/id-cert/v1 blob (ccc(7)): the claim for the
# subject address, the audience and the nonce, the user's pseudonym at
# that audience, the revocation list's time and an expiry a day later,
# signed with the re-certifier's key.  It writes nothing else, and exits
# with a status of its own when it issues nothing:
#   1 a malformed query or an unknown claim, 3 malformed CBOR,
#   4 the credential is not signed by the pinned issuer,
#   5 the revocation list is not, 6 the credential is revoked,
#   7 the claim does not hold, 8 a malformed key.
EMBARGOED=" CU IR KP SY "
CLAIM="resident of a non-embargoed country"
off=() len=()
hd
for k in 0 1 2 3; do
	hd; hd
	case $k in
	3) for ((m = 0, c = v; m < c; m++)); do
		hd; off[m]=$p len[m]=$v; p=$((p + v))
	done ;;
	*) p=$((p + v)) ;;
	esac
done
((${#off[@]} == 5)) || exit 1
put() { # the bytes of hex $1 to standard output
	local f='' i
	for ((i = 0; i < ${#1}; i += 2)); do f+="\\x${1:i:2}"; done
	# shellcheck disable=SC2059 # the escapes are the format
	printf "$f"
}
inhex() { # input $1's bytes $2.. ($3 of them, default all) as hex, in x
	local i=$((off[$1] + ${2:-0})) e
	e=$((i + ${3:-$((len[$1] - ${2:-0}))})) x=
	for ((; i < e; i++)); do printf -v x '%s%02x' "$x" "${b[i]}"; done
}
filehex() { # the bytes of file $1 as hex, in x
	local c
	x=
	while IFS= read -r -d '' -n 1 c; do
		if [[ -z $c ]]; then x+=00; else printf -v x '%s%02x' "$x" "'$c"; fi
	done <"$1"
}
texthex() { # the bytes of text $1 as hex, in x
	local i
	x=
	for ((i = 0; i < ${#1}; i++)); do printf -v x '%s%02x' "$x" "'${1:i:1}"; done
}
intext() { p=${off[$1]} v=${len[$1]}; txt; } # input $1 as text, in s
sha256() { /usr/bin/openssl dgst -sha256 -binary -out h "$1" && filehex h; }
field() { # the value of field $1 of text $2, in f (1 if none)
	local re=$'(^|\n)'"$1"$': ([^\n]*)\n'
	[[ $2 =~ $re ]] || return 1
	f=${BASH_REMATCH[2]}
}
signed() { # the text of input $1 if the pinned issuer signed it, in body
	local re=$'^(.*\n)signature: ([0-9a-f]{128})\n$'
	intext "$1"
	[[ $s =~ $re ]] || return 1
	body=${BASH_REMATCH[1]}
	printf %s "$body" >m
	put "${BASH_REMATCH[2]}" >sig
	put "302a300506032b6570032100$ISSUER_PK" >issuer.der
	/usr/bin/openssl pkeyutl -verify -pubin -inkey issuer.der -keyform DER \
	    -rawin -in m -sigfile sig >/dev/null
}
chead() { # the CBOR head of major type $1, argument $2, appended to cb
	local a=$2
	if ((a < 24)); then printf -v cb '%s%02x' "$cb" $(($1 << 5 | a))
	elif ((a < 256)); then printf -v cb '%s%02x%02x' "$cb" $(($1 << 5 | 24)) "$a"
	elif ((a < 65536)); then printf -v cb '%s%02x%04x' "$cb" $(($1 << 5 | 25)) "$a"
	else printf -v cb '%s%02x%08x' "$cb" $(($1 << 5 | 26)) "$a"; fi
}
ctext() { texthex "$1"; chead 3 $((${#x} / 2)); cb+=$x; }
cbytes() { chead 2 $((${#1} / 2)); cb+=$1; }

# The query.
intext 4
q=$s
field subject "$q" && [[ $f =~ ^0x[0-9a-f]{40}$ ]] || exit 1
subject=$f
field audience "$q" && [[ $f =~ ^[a-z0-9.-]{1,64}$ ]] || exit 1
audience=$f
field nonce "$q" && [[ $f =~ ^([0-9a-f]{2}){8,32}$ ]] || exit 1
nonce=$f
field claim "$q" && [[ $f == "$CLAIM" ]] || exit 1

# The credential and the revocation list, each signed by the pinned issuer.
# (a list is no credential, and no credential a list)
signed 2 && [[ $body != "ccc revocation list"$'\n'* ]] || exit 4
cred=$body
signed 3 && [[ $body == "ccc revocation list"$'\n'* ]] || exit 5
list=$body
field issued "$list" && [[ $f =~ ^[1-9][0-9]{0,10}$ ]] || exit 5
issued=$f
field document "$cred" && [[ $f =~ ^[A-Z0-9]{1,32}$ ]] || exit 4
[[ $list == *$'\n'"revoked: $f"$'\n'* ]] && exit 6
field person "$cred" && [[ $f =~ ^[A-Za-z0-9-]{1,64}$ ]] || exit 4
person=$f
field country "$cred" && [[ $f =~ ^[A-Z]{2}$ ]] || exit 4
[[ $EMBARGOED == *" $f "* ]] && exit 7

# The pseudonym: HMAC-SHA256 keyed by the pseudonym key, of the audience
# and the credential's person, SHA-256 from OpenSSL (the key is never on a
# command line, not even in here).
((len[1] == 32)) || exit 8
inhex 1
printf -v key '%s%064d' "$x" 0
ip='' op=''
for ((i = 0; i < 128; i += 2)); do
	kb=$((16#${key:i:2}))
	printf -v ip '%s%02x' "$ip" $((kb ^ 0x36))
	printf -v op '%s%02x' "$op" $((kb ^ 0x5c))
done
{ put "$ip"; printf 'ccc/pseudonym/v1\0%s\0%s' "$audience" "$person"; } >hin
sha256 hin
{ put "$op"; put "$x"; } >hout
sha256 hout
pseudonym=$x

# The re-certifier's key: the 32-byte seed that begins the secret (key 1)
# of its ccc/identity-key/v1 blob, as PKCS #8.
p=${off[0]} seed=
hd
((mt == 5)) || exit 8
for ((m = v; m > 0; m--)); do
	hd; k=$v; hd
	if ((k == 1 && mt == 2 && v == 64)); then
		inhex 0 $((p - off[0])) 32; seed=$x
	fi
	((mt == 2 || mt == 3)) && p=$((p + v))
done
[[ -n $seed ]] || exit 8
put "302e020100300506032b657004220420$seed" >recertifier.der

# The certificate: keys 0 to 7, signed as ccc's signatures are (Ed25519
# of "ccc/sig/v1" 0 "ccc/id-cert/v1" 0 and the SHA-256 of those keys'
# map), then the signature as key 8.
cb=
cb+=00; ctext ccc/id-cert/v1
cb+=01; ctext "$subject"
cb+=02; ctext "$audience"
cb+=03; cbytes "$nonce"
cb+=04; ctext "$CLAIM"
cb+=05; cbytes "$pseudonym"
cb+=06; chead 0 "$issued"
cb+=07; chead 0 $((issued + 86400))
fields=$cb
put "a8$fields" >tbs
sha256 tbs
{ printf 'ccc/sig/v1\0ccc/id-cert/v1\0'; put "$x"; } >m
/usr/bin/openssl pkeyutl -sign -inkey recertifier.der -keyform DER -rawin \
    -in m -out sig || exit 8
filehex sig
cb=
cbytes "$x"
put "a9${fields}08$cb"
