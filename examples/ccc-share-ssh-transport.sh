#!/bin/sh
# An ssh transport for ccc-share, for nodes on their own hosts with no
# directory in common: run it after each `ccc-share advance` (see
# examples/crontab.example).  make install puts it in
# $(libexecdir)/ccc/ccc-share-ssh-transport (/usr/local/libexec/ccc/).
#
#   ccc-share-ssh-transport.sh STATEDIR PEERS
#
# Pushes the node's messages in STATEDIR/out/ that a peer has not had yet
# to every peer PEERS lists, into that peer's in/ spool, over ssh.  PEERS
# has one peer a line, "DESTINATION DIRECTORY" ([USER@]HOST, and the
# peer's ccc-share state directory relative to the directory its forced
# command serves), and optionally "ssh-config FILE" (ssh -F; relative to
# PEERS's directory).  Blank lines and # comments are ignored.  On each
# peer, this node's key is in authorized_keys with the forced command of
# the peer role, which stores protocol messages in in/ and does nothing
# else (ccc-flow(1), HOSTS):
#
#   restrict,command="/usr/local/libexec/ccc/ccc-serve peer /var/lib/ccc" ssh-ed25519 AAAA... node-2
#
# Each message lands under a temporary name and is renamed, so ccc-share
# never reads half a file.  What each peer has is kept in
# STATEDIR/transport.sent ("DESTINATION NAME" lines); a peer that cannot be
# reached gets its messages at the next run (one line on stderr, status 1,
# after every other peer was served).  Messages are signed and named by
# epoch, session, round and sender, and ccc-share ignores duplicates, so a
# message sent twice does no harm.
set -eu
me=${0##*/}

if [ $# -ne 2 ]; then
	echo "usage: $me STATEDIR PEERS" >&2
	exit 2
fi
state=$1
peers=$2
[ -d "$state/out" ] && [ -d "$state/in" ] || {
	echo "$me: $state: not a ccc-share state directory" >&2
	exit 2
}
[ -f "$peers" ] && [ -r "$peers" ] || {
	echo "$me: $peers: not a readable file" >&2
	exit 2
}
sent=$state/transport.sent
touch "$sent"
base=$(cd "$(dirname "$peers")" && pwd)
cfg=
rc=0
while read -r dest dir extra; do
	case $dest in
	'' | '#'*) continue ;;
	ssh-config)
		case $dir in /*) cfg=$dir ;; *) cfg=$base/$dir ;; esac
		continue
		;;
	esac
	names=
	for f in "$state"/out/e*-*.cbor; do
		[ -e "$f" ] || continue
		name=${f##*/}
		grep -qxF "$dest $name" "$sent" || names="$names in/$name"
	done
	[ -n "$names" ] || continue
	# One ssh per peer: a tar of the new messages, stored as in/NAME.
	# shellcheck disable=SC2086 # names: words by design
	if err=$( (cd "$state/out" && tar -cf - --transform 's|^|in/|' \
	    $(echo "$names" | sed 's| in/| |g')) |
	    timeout 60 ssh ${cfg:+-F "$cfg"} -o BatchMode=yes "$dest" \
	    in "$dir" put $names 2>&1 >/dev/null); then
		for n in $names; do
			echo "$dest ${n#in/}" >>"$sent"
		done
	else
		echo "$me: $dest: not delivered, next time: $(echo "$err" | tail -n 1)" >&2
		rc=1
	fi
done <"$peers"
exit $rc
