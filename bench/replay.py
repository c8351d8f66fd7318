#!/usr/bin/env python3
"""bench/replay.py: what a request costs a decryption node.

A node serves a certified request (ccc-reencrypt in request mode, the
whole process) from a state directory holding no replay markers, and from
one holding MARKERS live markers (a node serving one request a second
keeps about 90,000 alive), in turn: A B A B ..., each the node's CPU
time (user + system, from wait4), so the ratio holds on a busy machine.
The row is the median of the per-pair ratios; the goal is at most 1.1x.
A third state holds the same markers in the flat layout of earlier
versions (one directory, every marker read to prune): the cost the
buckets remove.

Then serving: BATCH requests served by one ccc-reencrypt --serve process
against the same number served one process each (-r), in turn, from
empty states, and signed by one ccc-quorum-sign sign --serve process
against a sign process each; the ratio of the CPU time per request,
median of PAIRS pairs.  The goal is at most a quarter.  Not a test: it reports.  make
bench-replay runs it.

    bench/replay.py [-m MARKERS] [-p PAIRS] [-b BATCH] [--check]

--check exits 1 when the bucketed ratio exceeds 1.1, or a serving
ratio 0.25, by more than 2x (2.2, 0.5): only an algorithmic regression,
never noise, fails it.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from flowwork import K, TPK, ROSTER, POOL, POLICY, Work

ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[2].strip())
ap.add_argument("-m", type=int, default=100000, dest="markers")
ap.add_argument("-p", type=int, default=15, dest="pairs")
ap.add_argument("-b", type=int, default=10, dest="batch")
ap.add_argument("--check", action="store_true")
args = ap.parse_args()
if args.markers < 1 or args.pairs < 3 or args.batch < 1:
    print("bench/replay.py: usage: -m takes 1 or more markers, -p 3 or more "
          "pairs, -b 1 or more requests", file=sys.stderr)
    sys.exit(2)

work = tempfile.mkdtemp(prefix="ccc-bench-replay.")
W = os.path.join(work, "w")


def certified(i):
    """A fresh certified request, as ccc-flow makes one (steps 2 and 3)."""
    p = fw.request(i)
    sigs = []
    for o in (1, 2, 3):
        sh("ccc-quorum-sign", "sign", "-i", "%s/oracle-%d.key" % (K, o), "-k",
           TPK, "-A", POLICY, "-r", ROSTER, "-P", POOL, "-o",
           "%s.sig%d" % (p, o), p + ".req")
        sigs.append("%s.sig%d" % (p, o))
    sh("ccc-quorum-sign", "combine", "-r", ROSTER, "-b", p + ".req", "-o",
       p + ".cert", *sigs)
    return p + ".cert"


def fill(state, flat):
    """MARKERS live markers, one a second of expiry from now on."""
    served = os.path.join(W, state, "served")
    os.makedirs(served)
    t0 = int(time.time()) + 3600
    made = set()
    for i in range(args.markers):
        exp = t0 + i
        d = served if flat else os.path.join(served, "e%d" % (exp // 21600))
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(os.path.join(d, "%064x" % (i + 1)), "w") as f:
            f.write("released %d\n" % exp)


NODE = ["ccc-reencrypt", "-s", K + "/committee/share-1.cbor", "-k", TPK,
        "-r", ROSTER, "-A", POLICY, "-P", POOL]


def cpu(args, stdin="/dev/null", stdout="/dev/null"):
    """The CPU seconds of one ccc-reencrypt process (exit 0 or fail)."""
    pid = os.posix_spawnp(args[0], args, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, stdin, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT |
         os.O_TRUNC, 0o644)])
    _, status, ru = os.wait4(pid, 0)
    if status != 0:
        sys.exit("bench/replay.py: %s failed (status %d)"
                 % (" ".join(args[-3:]), status))
    return ru.ru_utime + ru.ru_stime


def serve(state, cert):
    """The node's CPU seconds for serving cert from state."""
    return cpu(NODE + ["-d", state, "-o", cert + "." + state, cert])


ORACLE = ["ccc-quorum-sign", "sign", "-i", K + "/oracle-4.key", "-k", TPK,
          "-A", POLICY, "-r", ROSTER, "-P", POOL]


def sign_each(reqs):
    """An oracle's CPU seconds for signing reqs, a process each."""
    return sum(cpu(ORACLE + ["-f", "-o", r + ".sig", r]) for r in reqs)


def sign_batch(reqs):
    """An oracle's CPU seconds for signing reqs in one --serve process."""
    with open("oracle.in", "wb") as f:
        for r in reqs:
            with open(r, "rb") as g:
                f.write(g.read())
    t = cpu(ORACLE + ["--serve"], "oracle.in", "oracle.out")
    n = sh("ccc-inspect", "oracle.out").count('"status": 0,')
    if n != len(reqs):
        sys.exit("bench/replay.py: sign --serve signed %d of %d requests"
                 % (n, len(reqs)))
    return t


def serve_batch(state, certs):
    """The node's CPU seconds for serving certs in one --serve process."""
    with open(state + ".in", "wb") as f:
        for c in certs:
            with open(c, "rb") as g:
                f.write(g.read())
    t = cpu(NODE + ["-d", state, "--serve"], state + ".in", state + ".out")
    n = sh("ccc-inspect", state + ".out").count('"status": 0,')
    if n != len(certs):
        sys.exit("bench/replay.py: --serve released %d of %d requests"
                 % (n, len(certs)))
    return t


try:
    fw = Work(W, "bench/replay.py")
    sh = fw.sh
    os.chdir(W)
    fill("full", False)
    fill("flat", True)
    os.makedirs("empty/served")
    none, full, flat = [], [], []
    for i in range(args.pairs + 1):
        certs = [certified(3 * i + j) for j in range(3)]
        a, b, c = (serve("empty", certs[0]), serve("full", certs[1]),
                   serve("flat", certs[2]))
        if i > 0:  # the first pair warms the caches
            none.append(a)
            full.append(b)
            flat.append(c)
    rb = statistics.median(b / a for a, b in zip(none, full))
    rf = statistics.median(c / a for a, c in zip(none, flat))
    print("replay markers: one request served by a node (ccc-reencrypt, CPU "
          "time, median of %d pairs)" % args.pairs)
    print("  %-44s %10s %8s %8s" % ("state", "ms", "ratio", "target"))
    print("  %-44s %10.2f %8s %8s" % ("no markers", 1e3 * statistics.median(none),
                                      "1.00x", ""))
    print("  %-44s %10.2f %7.2fx %7.2fx" % (
        "%d markers, in buckets of expiry" % args.markers,
        1e3 * statistics.median(full), rb, 1.1))
    print("  %-44s %10.2f %7.2fx %8s" % (
        "%d markers, flat (before the buckets)" % args.markers,
        1e3 * statistics.median(flat), rf, ""))
    one, many, sone, smany = [], [], [], []
    for i in range(args.pairs + 1):
        certs = [certified(1000 + 2 * args.batch * i + j)
                 for j in range(2 * args.batch)]
        reqs = [c[:-len(".cert")] + ".req" for c in certs[:args.batch]]
        a = sum(serve("oneshot", c) for c in certs[:args.batch])
        b = serve_batch("serving", certs[args.batch:])
        c = sign_each(reqs)
        d = sign_batch(reqs)
        if i > 0:
            one.append(a / args.batch)
            many.append(b / args.batch)
            sone.append(c / args.batch)
            smany.append(d / args.batch)
    rs = statistics.median(b / a for a, b in zip(one, many))
    ro = statistics.median(b / a for a, b in zip(sone, smany))
    print("serving: %d requests, one process each or one process "
          "(--serve), CPU time a request, median of %d pairs"
          % (args.batch, args.pairs))
    print("  %-44s %10s %8s %8s" % ("node", "ms", "ratio", "target"))
    print("  %-44s %10.2f %8s %8s" % ("a process a request",
                                      1e3 * statistics.median(one), "1.00x",
                                      ""))
    print("  %-44s %10.2f %7.2fx %7.2fx" % (
        "one process (--serve)", 1e3 * statistics.median(many), rs, 0.25))
    print("  %-44s %10s %8s %8s" % ("oracle (sign)", "ms", "ratio",
                                     "target"))
    print("  %-44s %10.2f %8s %8s" % ("a process a request",
                                      1e3 * statistics.median(sone),
                                      "1.00x", ""))
    print("  %-44s %10.2f %7.2fx %7.2fx" % (
        "one process (--serve)", 1e3 * statistics.median(smany), ro, 0.25))
    bad = False
    if args.check and rb > 2.2:
        print("bench/replay.py: check: %.2fx with %d markers, over 2.2x "
              "(the 1.1x target, doubled)" % (rb, args.markers), file=sys.stderr)
        bad = True
    for who, r in (("node", rs), ("oracle", ro)):
        if args.check and r > 0.5:
            print("bench/replay.py: check: %s serving at %.2fx of a process "
                  "a request, over 0.5x (the 0.25x target, doubled)"
                  % (who, r), file=sys.stderr)
            bad = True
    if bad:
        sys.exit(1)
finally:
    shutil.rmtree(work, ignore_errors=True)
