#!/bin/sh
# A shared-directory transport for ccc-share: run it before and after each
# `ccc-share advance` (see examples/crontab.example).  make install puts it
# in $(libexecdir)/ccc/ccc-share-transport (/usr/local/libexec/ccc/).
#
#   ccc-share-transport.sh STATEDIR BUSDIR
#
# Pushes the node's new messages from STATEDIR/out/ to BUSDIR (any directory
# every node can read and write: NFS, a synced folder, or one machine's
# disk), and pulls the messages it has not seen yet from BUSDIR into
# STATEDIR/in/.  Every file lands under a dot-name and is then renamed, so
# neither ccc-share nor another node ever reads half a file.  Messages are
# signed and named by epoch, session, round and sender; ccc-share ignores
# duplicates and keeps any it does not need yet, so the transport can be
# this simple (or scp, rsync, an object store, a queue).  The names this node
# has seen are kept in STATEDIR/transport.seen.  Prune BUSDIR of old epochs
# as you see fit (a deferred node catches up from it).
set -eu
me=${0##*/}

if [ $# -ne 2 ]; then
	echo "usage: $me STATEDIR BUSDIR" >&2
	exit 2
fi
state=$1
bus=$2
seen=$state/transport.seen
[ -d "$state/out" ] && [ -d "$state/in" ] || {
	echo "$me: $state: not a ccc-share state directory" >&2
	exit 2
}
mkdir -p "$bus"
touch "$seen"
nl='
'
known=$nl$(cat "$seen")$nl

# copy SRC DSTDIR NAME: an atomic copy (dot-file, then rename).
copy() {
	cp "$1" "$2/.$3.$$"
	mv -f "$2/.$3.$$" "$2/$3"
}

# Our own messages are "seen" too, so they are never pulled back.
for f in "$state"/out/e*-*.cbor; do
	[ -e "$f" ] || continue
	name=${f##*/}
	case $known in *"$nl$name$nl"*) ;; *)
		echo "$name" >>"$seen"
		known=$known$name$nl
	esac
	[ -e "$bus/$name" ] || copy "$f" "$bus" "$name"
done
for f in "$bus"/e*-*.cbor; do
	[ -e "$f" ] || continue
	name=${f##*/}
	case $known in *"$nl$name$nl"*) continue ;; esac
	copy "$f" "$state/in" "$name"
	echo "$name" >>"$seen"
	known=$known$name$nl
done
