#!/usr/bin/env python3
"""bench/dkg.py: what a DKG and a reshare cost each node, against n.

For each committee size n (threshold 2n/3 + 1, as 5 of 7), n nodes on this
machine run a DKG and then a same-committee reshare (a refresh) to the
end, as cron would drive them: each pass delivers every node's messages
to every other node (a shared directory, as
examples/ccc-share-transport.sh), then runs `ccc-share advance` once on
each node.  For each node it sums the CPU time (user + system, from
wait4) of its ccc-share processes, and counts their fsync(2),
fdatasync(2) and syncfs(2) calls with the LD_PRELOAD shim
bench/fsync-count.so.  Setting up the nodes and the deliveries are not
counted.  Rows: per node, the mean and largest CPU time, the mean number
of syncs and of ccc-share runs; the growth exponent is that of the mean
CPU per node from the previous n.  Not a test: it reports.

    bench/dkg.py [-n N,N,...] [-s SHIM] [--check]

--check exits 1 when, at the largest n, a node's CPU time for the DKG
exceeds 2 x 0.5 s, or the syncs per node grow faster than 2 x n between
the first and the last n, or the CPU per node grows faster than n^3
(twice the exponent 1.5 of the goal): an algorithmic regression, not
noise, fails it.  make bench-dkg runs it.
"""
import argparse, math, os, shutil, statistics, subprocess, sys, tempfile


def usage(msg):
    print("bench/dkg.py: usage: " + msg, file=sys.stderr)
    sys.exit(2)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        usage(message)


ap = Parser(usage=__doc__.split("\n\n")[3].strip())
ap.add_argument("-n", default="7,16,32,64", dest="sizes")
ap.add_argument("-s", default=None, dest="shim")
ap.add_argument("--check", action="store_true")
args = ap.parse_args()
try:
    SIZES = [int(x) for x in args.sizes.split(",")]
except ValueError:
    SIZES = []
if not SIZES or any(n < 2 or n > 255 for n in SIZES) or \
        SIZES != sorted(set(SIZES)):
    usage("-n takes increasing committee sizes from 2 to 255, separated "
          "by commas, not '%s'" % args.sizes)
shim = args.shim or os.path.join(os.path.dirname(os.path.abspath(
    __file__)), "fsync-count.so")
if not os.path.exists(shim):
    usage("%s: no such shim (make bench/fsync-count.so)" % shim)
SHIM = os.path.abspath(shim)


def fail(msg):
    sys.exit("bench/dkg.py: " + msg)


def sh(cwd, *cmd):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        fail("%s: %s" % (" ".join(cmd), r.stderr.decode().strip()))
    return r.stdout.decode()


class Node:
    def __init__(self, work, name):
        self.name, self.dir = name, os.path.join(work, name)
        self.log = os.path.join(work, name + ".syncs")
        self.cpu, self.runs, self.seen = 0.0, 0, set()

    def run(self, *argv):
        """ccc-share ARGV -d DIR, counted against this node."""
        # A sanitizer build would refuse a preload before its runtime.
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = dict(os.environ, LD_PRELOAD=SHIM, CCC_FSYNC_LOG=self.log,
                   ASAN_OPTIONS=(asan + ":" if asan else "") +
                   "verify_asan_link_order=0")
        p = subprocess.Popen(("ccc-share",) + argv + ("-d", self.dir),
                             cwd=os.path.dirname(self.dir), env=env,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            fail("%s: ccc-share %s: %s" % (self.name, argv[0],
                                            err.decode().strip()))
        self.cpu += ru.ru_utime + ru.ru_stime
        self.runs += 1

    def syncs(self):
        with open(self.log) as f:
            return sum(int(x) for x in f)

    def idle(self):
        st = sh(os.path.dirname(self.dir), "ccc-share", "status", "-d",
                self.dir)
        return "transition: none" in st.splitlines()

    def reset(self):
        self.cpu, self.runs = 0.0, 0
        if os.path.exists(self.log):
            os.unlink(self.log)


def deliver(nodes, bus):
    """Every node's new messages to the bus, the bus to every node."""
    for nd in nodes:
        out = os.path.join(nd.dir, "out")
        for f in os.listdir(out):
            if f.endswith(".cbor") and not os.path.exists(
                    os.path.join(bus, f)):
                shutil.copyfile(os.path.join(out, f),
                                os.path.join(bus, "." + f))
                os.rename(os.path.join(bus, "." + f), os.path.join(bus, f))
    names = sorted(os.listdir(bus))
    for nd in nodes:
        for f in names:
            if f.startswith(".") or f in nd.seen:
                continue
            dst = os.path.join(nd.dir, "in")
            shutil.copyfile(os.path.join(bus, f), os.path.join(dst, "." + f))
            os.rename(os.path.join(dst, "." + f), os.path.join(dst, f))
            nd.seen.add(f)


def drive(nodes, bus, start):
    """START on each node, then passes until no node has a transition."""
    for nd in nodes:
        nd.reset()
        nd.run(*start)
    for _ in range(20):
        deliver(nodes, bus)
        for nd in nodes:
            nd.run("advance")
        if all(nd.idle() for nd in nodes):
            return
    fail("the transition did not end in 20 passes")


def row(kind, nodes):
    """KIND's figures: each node's CPU time, syncs and runs."""
    return (kind, [nd.cpu for nd in nodes], [nd.syncs() for nd in nodes],
            [nd.runs for nd in nodes])


def measure(n):
    t = 2 * n // 3 + 1
    work = tempfile.mkdtemp(prefix="ccc-bench-dkg.")
    try:
        nodes = [Node(work, "n%d" % i) for i in range(1, n + 1)]
        for nd in nodes:
            sh(work, "ccc-keygen", "identity", "-o", nd.name + ".key", "-p",
               nd.name + ".pub", "-N", nd.name)
            sh(work, "ccc-share", "init", "-d", nd.name, "-i",
               nd.name + ".key")
        pubs = [nd.name + ".pub" for nd in nodes]
        bus = os.path.join(work, "bus")
        os.mkdir(bus)
        sh(work, "ccc-share", "committee", "-t", str(t), "-o", "dkg.c",
           *pubs)
        drive(nodes, bus, ("dkg", "-c", os.path.join(work, "dkg.c")))
        rows = [row("dkg", nodes)]
        sh(work, "ccc-share", "export", "-d", "n1", "-g", "group0")
        sh(work, "ccc-share", "committee", "-t", str(t), "-G", "0", "-g",
           "group0", "-o", "re.c", *pubs)
        drive(nodes, bus, ("reshare", "-c", os.path.join(work, "re.c")))
        rows.append(row("reshare", nodes))
        for nd in nodes:
            st = sh(work, "ccc-share", "status", "-d", nd.dir)
            if "epoch: 1" not in st.splitlines():
                fail("%s did not reach epoch 1:\n%s" % (nd.name, st))
        return t, rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


print("ccc-share DKG and same-committee reshare, every node on this machine; "
      "per node: CPU time (user + system) of its ccc-share runs, "
      "fsync/fdatasync/syncfs calls, runs")
print("%-8s %4s %4s %10s %10s %8s %6s %7s %9s" % (
    "", "n", "t", "CPU s mean", "CPU s max", "syncs", "runs", "growth",
    "committee"))
prev, first, last = {}, {}, {}
for n in SIZES:
    t, rows = measure(n)
    for kind, cpu, syncs, runs in rows:
        mean = statistics.mean(cpu)
        growth = ""
        if kind in prev:
            pn, pm = prev[kind]
            growth = "n^%.2f" % (math.log(mean / pm) / math.log(n / pn))
        prev[kind] = (n, mean)
        first.setdefault(kind, (n, mean, statistics.mean(syncs)))
        last[kind] = (n, mean, statistics.mean(syncs), max(cpu))
        print("%-8s %4d %4d %10.3f %10.3f %8.1f %6.1f %7s %8.2fs" % (
            kind, n, t, mean, max(cpu), statistics.mean(syncs),
            statistics.mean(runs), growth, sum(cpu)))
    sys.stdout.flush()

if args.check:
    bad = []
    for kind in ("dkg", "reshare"):
        n0, m0, s0 = first[kind]
        n1, m1, s1, mx = last[kind]
        if kind == "dkg" and mx > 2 * 0.5:
            bad.append("%s at n=%d: %.2f s of CPU on a node, over 2 x 0.5 s"
                       % (kind, n1, mx))
        if n1 > n0 and s1 / s0 > 2 * n1 / n0:
            bad.append("%s: syncs per node grow %.1fx from n=%d to n=%d, "
                       "over 2 x %.1fx" % (kind, s1 / s0, n0, n1, n1 / n0))
        if n1 > n0 and m1 / m0 > (n1 / n0) ** 3:
            bad.append("%s: CPU per node grows n^%.2f from n=%d to n=%d, "
                       "over n^3" % (kind, math.log(m1 / m0) /
                                     math.log(n1 / n0), n0, n1))
    for b in bad:
        print("bench/dkg.py: " + b, file=sys.stderr)
    sys.exit(1 if bad else 0)
