#!/usr/bin/env python3
"""bench/serving.py: steps 3 and 4 of a request through serving processes.

A committee of ccc-flow's shape (n=7, t=5, 4 oracles, quorum 3) certifies
and serves REQUESTS requests two ways, in turn (A B A B ...):

  one-shot   as ccc-flow runs them: 4 ccc-quorum-sign sign processes, one
             ccc-quorum-sign combine, 7 ccc-reencrypt -r processes;
  serving    each oracle one ccc-quorum-sign sign --serve process and each
             node one ccc-reencrypt --serve process, started once: a
             request goes to the 4 oracles at once, their signatures are
             combined (one combine process), the certificate goes to the
             7 nodes at once, and the answers are read.

For each request: the wall time of steps 3 and 4 (median over the
requests; a wall time, so run it on an idle machine) and the CPU time of
every ccc process those steps cost (a serving process's CPU time over its
whole life, shared out over its requests).  The enclave (step 5 on) and
the application keep a process a request, so this is not a whole
request.  Not a test: it reports.  make bench-serving runs it.

    bench/serving.py [-n REQUESTS]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from flowwork import K, TPK, ROSTER, POOL, POLICY, Work

ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[-1].strip())
ap.add_argument("-n", type=int, default=20, dest="requests")
args = ap.parse_args()
if args.requests < 1:
    print("bench/serving.py: usage: -n takes 1 or more requests",
          file=sys.stderr)
    sys.exit(2)

N, ORACLES = 7, 4
work = tempfile.mkdtemp(prefix="ccc-bench-serving.")
W = os.path.join(work, "w")


def oracle(o):
    return ["ccc-quorum-sign", "sign", "-i", "%s/oracle-%d.key" % (K, o),
            "-k", TPK, "-A", POLICY, "-r", ROSTER, "-P", POOL]


def node(i, state):
    return ["ccc-reencrypt", "-s", "%s/committee/share-%d.cbor" % (K, i),
            "-k", TPK, "-r", ROSTER, "-A", POLICY, "-P", POOL, "-d", state]


def combine(p):
    sh("ccc-quorum-sign", "combine", "-r", ROSTER, "-b", p + ".req", "-f",
       "-o", p + ".cert", *["%s.sig%d" % (p, o) for o in range(1, 4)])


def children_cpu():
    ru = os.times()
    return ru.children_user + ru.children_system


def one_shot(p):
    """Steps 3 and 4, a process a command, in turn."""
    for o in range(1, ORACLES + 1):
        sh(*oracle(o), "-f", "-o", "%s.sig%d" % (p, o), p + ".req")
    combine(p)
    for i in range(1, N + 1):
        sh(*node(i, "one-%d" % i), "-f", "-o", "%s.sealed%d" % (p, i),
           p + ".cert")


def item(f):
    """One CBOR item from the pipe f (a map of uint keys and strings)."""
    def head():
        b = f.read(1)
        if not b:
            sys.exit("bench/serving.py: a server closed its output")
        major, low = b[0] >> 5, b[0] & 31
        if low < 24:
            return major, low
        n = {24: 1, 25: 2, 26: 4, 27: 8}[low]
        return major, int.from_bytes(f.read(n), "big")

    major, count = head()
    if major != 5:
        sys.exit("bench/serving.py: an answer that is not a map")
    fields = {}
    for _ in range(count):
        _, key = head()
        m, v = head()
        fields[key] = f.read(v) if m in (2, 3) else v
    return fields


def answered(procs, what):
    for pr in procs:
        a = item(pr.stdout)
        if a.get(1) != 0:
            sys.exit("bench/serving.py: %s refused a request: %s"
                     % (what, a.get(3, b"").decode()))
        yield a


def serving(p, oracles, nodes):
    """Steps 3 and 4 through the serving processes."""
    with open(os.path.join(W, p + ".req"), "rb") as f:
        req = f.read()
    for pr in oracles:
        pr.stdin.write(req)
        pr.stdin.flush()
    for o, a in enumerate(answered(oracles, "an oracle"), 1):
        if o <= 3:
            with open(os.path.join(W, "%s.sig%d" % (p, o)), "wb") as f:
                f.write(a[4])
    combine(p)
    with open(os.path.join(W, p + ".cert"), "rb") as f:
        cert = f.read()
    for pr in nodes:
        pr.stdin.write(cert)
        pr.stdin.flush()
    for _ in answered(nodes, "a node"):
        pass


try:
    fw = Work(W, "bench/serving.py")
    sh = fw.sh
    reqs = [fw.request(i) for i in range(2 * args.requests)]
    oracles = [subprocess.Popen(oracle(o) + ["--serve"], cwd=W,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
               for o in range(1, ORACLES + 1)]
    nodes = [subprocess.Popen(node(i, "srv-%d" % i) + ["--serve"], cwd=W,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
             for i in range(1, N + 1)]
    wall_one, wall_srv, cpu_one = [], [], 0.0
    base = children_cpu()
    for k in range(args.requests):
        c0, t0 = children_cpu(), time.perf_counter()
        one_shot(reqs[2 * k])
        t1 = time.perf_counter()
        cpu_one += children_cpu() - c0
        serving(reqs[2 * k + 1], oracles, nodes)
        t2 = time.perf_counter()
        wall_one.append(t1 - t0)
        wall_srv.append(t2 - t1)
    for pr in oracles + nodes:
        pr.stdin.close()
    for pr in oracles + nodes:
        if pr.wait() != 0:
            sys.exit("bench/serving.py: a server exited with status %d"
                     % pr.returncode)
    # Children count once waited for: the servers' whole lives now, with
    # the serving side's combine processes.
    cpu_srv = children_cpu() - base - cpu_one
    print("steps 3 and 4 of a request (4 oracles sign, q=3 combined, 7 "
          "nodes serve), %d requests each way, interleaved" % args.requests)
    print("  %-36s %12s %14s" % ("", "wall ms", "CPU ms"))
    print("  %-36s %12.1f %14.1f" % ("a process a command",
                                     1e3 * statistics.median(wall_one),
                                     1e3 * cpu_one / args.requests))
    print("  %-36s %12.1f %14.1f" % (
        "serving processes (--serve)", 1e3 * statistics.median(wall_srv),
        1e3 * cpu_srv / args.requests))
finally:
    shutil.rmtree(work, ignore_errors=True)
