#!/usr/bin/env python3
"""bench/serving.py: a whole request (steps 1 to 7) through serving processes.

A committee of ccc-flow's shape (n=7, t=5, 4 oracles, quorum 3, 2
enclaves) serves REQUESTS requests two ways, in turn (A B A B ...):

  one-shot   as ccc-flow runs them, a process a command: the user's
             ccc-encrypt (1); assign, the enclave's keygen and the request
             (2); 4 oracles sign, one combine (3); 7 ccc-reencrypt -r (4);
             ccc-enclave-run (5, 6); 4 oracles sign the result, one combine
             (7); the application's verify and ccc-combine --result (7);
  serving    each oracle, node and enclave one serving process (--serve),
             started once: the enclave makes the key from a key order and
             runs the job; the oracles sign the request, then the result
             after its certified request; the nodes serve the certificate.
             The application's side serves too: one request --serve
             assigns and makes the request, one combine --serve makes
             both certificates, one verify --serve and one ccc-combine
             --serve read the certified result.  The user's encryption
             stays a process (each request is another user's), its
             ciphertext sent through a pipe as it goes to the
             application, not written to a synced file.

For each request: its wall time (median over the requests; a wall time,
so run it on an idle machine) and the CPU time of every ccc process it
cost (a serving process's CPU time over its whole life, shared out over
its requests); then where a served request's wall time goes, step by
step (medians, which need not add up to the whole's), and its CPU time,
role by role (each serving process's own and its children's, from
wait4; the rest, the users' encryptions, is the whole's less theirs).
Not a test: it reports.  make bench-serving runs it.

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

N, ORACLES, ENCLAVES = 7, 4, 2
work = tempfile.mkdtemp(prefix="ccc-bench-serving.")
W = os.path.join(work, "w")


def oracle(o):
    return ["ccc-quorum-sign", "sign", "-i", "%s/oracle-%d.key" % (K, o),
            "-k", TPK, "-A", POLICY, "-r", ROSTER, "-P", POOL]


def node(i, state):
    return ["ccc-reencrypt", "-s", "%s/committee/share-%d.cbor" % (K, i),
            "-k", TPK, "-r", ROSTER, "-A", POLICY, "-P", POOL, "-d", state]


def enclave(e):
    d = "00-enclaves/enclave-%d" % e
    return ["ccc-enclave-run", "-r", ROSTER, "-k", TPK, "-a",
            "%s/enclave-%d.key" % (K, e), "-x", d + "/code", "-p",
            d + "/policy"]


def combine(blob, out, sigs):
    sh("ccc-quorum-sign", "combine", "-r", ROSTER, "-b", blob, "-f", "-o",
       out, *sigs[:3])


def assign():
    rid, _, name = sh("ccc-quorum-sign", "assign", "-r", ROSTER, "-P",
                      POOL).split()
    return rid, int(name.rsplit("-", 1)[1])


def encrypt_and_request(p, pub):
    sh("ccc-quorum-sign", "request", "-a", "demo", "-x", "02-program",
       "-k", TPK, "-r", ROSTER, "-P", POOL, "-K", pub, "-I", p["rid"],
       "-O", "public", "-f", "-o", p["n"] + ".req", p["n"] + ".ct")


def read_output(p):
    sh("ccc-quorum-sign", "verify", "-r", ROSTER, "-f", "-o",
       p + ".vres", p + ".rcert")
    sh("ccc-combine", "--result", p + ".vres", "-f", "-o", p + ".out")


def children_cpu():
    ru = os.times()
    return ru.children_user + ru.children_system


def one_shot(n):
    """Steps 1 to 7, a process a command."""
    sh("ccc-encrypt", "-k", TPK, "-l", "app:demo", "-f", "-o", n + ".ct",
       "01-input")
    rid, e = assign()
    sh("ccc-enclave-run", "keygen", "-a", "%s/enclave-%d.key" % (K, e),
       "-n", rid, "-f", "-s", n + ".key", "-o", n + ".pub")
    encrypt_and_request({"n": n, "rid": rid}, n + ".pub")
    sigs = ["%s.sig%d" % (n, o) for o in range(1, ORACLES + 1)]
    for o in range(1, ORACLES + 1):
        sh(*oracle(o), "-f", "-o", sigs[o - 1], n + ".req")
    combine(n + ".req", n + ".cert", sigs)
    sealed = ["%s.sealed%d" % (n, i) for i in range(1, N + 1)]
    for i in range(1, N + 1):
        sh(*node(i, "one-%d" % i), "-f", "-o", sealed[i - 1], n + ".cert")
    sh(*enclave(e), "-i", n + ".key", "-f", "-o", n + ".res", n + ".cert",
       *sealed)
    rsigs = ["%s.rsig%d" % (n, o) for o in range(1, ORACLES + 1)]
    for o in range(1, ORACLES + 1):
        sh(*oracle(o), "-F", n + ".cert", "-f", "-o", rsigs[o - 1],
           n + ".res")
    combine(n + ".res", n + ".rcert", rsigs)
    read_output(n)


# ---- the serving side: CBOR items to the servers, answers back ----------

def head(major, v):
    if v < 24:
        return bytes([major << 5 | v])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if v < 1 << (8 * size):
            return bytes([major << 5 | ai]) + v.to_bytes(size, "big")
    raise ValueError(v)


def bstr(b):
    return head(2, len(b)) + b


def tstr(s):
    return head(3, len(s)) + s.encode()


def key_order(rid):
    """ccc/enclave-keygen/v1 with the request id as its challenge."""
    return (head(5, 2) + head(0, 0) + tstr("ccc/enclave-keygen/v1") +
            head(0, 2) + bstr(bytes.fromhex(rid)))


def assign_order():
    """ccc/assign-order/v1: a fresh request id and its enclave."""
    return head(5, 1) + head(0, 0) + tstr("ccc/assign-order/v1")


def request_order(pub, ct, rid):
    """ccc/request-order/v1: the enclave's key, the input, the id."""
    return (head(5, 4) + head(0, 0) + tstr("ccc/request-order/v1") +
            head(0, 1) + head(4, 1) + bstr(pub) + head(0, 2) + head(4, 1) +
            bstr(ct) + head(0, 3) + bstr(bytes.fromhex(rid)))


def combine_order(blob, sigs):
    """ccc/quorum-combine/v1: a blob and its oracles' signatures."""
    return (head(5, 3) + head(0, 0) + tstr("ccc/quorum-combine/v1") +
            head(0, 1) + bstr(blob) + head(0, 2) + head(4, len(sigs)) +
            b"".join(bstr(s) for s in sigs))


def job(cert, sealed):
    """ccc/enclave-job/v1: the certified request and the releases."""
    return (head(5, 3) + head(0, 0) + tstr("ccc/enclave-job/v1") +
            head(0, 1) + bstr(cert) + head(0, 2) + head(4, len(sealed)) +
            b"".join(bstr(s) for s in sealed))


def item(f):
    """One answer from the pipe f (a map of uint keys and strings)."""
    def h():
        b = f.read(1)
        if not b:
            sys.exit("bench/serving.py: a server closed its output")
        major, low = b[0] >> 5, b[0] & 31
        if low < 24:
            return major, low
        n = {24: 1, 25: 2, 26: 4, 27: 8}[low]
        return major, int.from_bytes(f.read(n), "big")

    major, count = h()
    if major != 5:
        sys.exit("bench/serving.py: an answer that is not a map")
    fields = {}
    for _ in range(count):
        _, key = h()
        m, v = h()
        fields[key] = f.read(v) if m in (2, 3) else v
    return fields


def ask(procs, data, what):
    """data to every server of procs at once; their answers' outputs."""
    for pr in procs:
        pr.stdin.write(data)
        pr.stdin.flush()
    outs = []
    for pr in procs:
        a = item(pr.stdout)
        if a.get(1) != 0:
            sys.exit("bench/serving.py: %s refused: %s"
                     % (what, a.get(3, b"").decode()))
        outs.append(a.get(4, b""))
    return outs


def put(name, data):
    with open(os.path.join(W, name), "wb") as f:
        f.write(data)


def get(name):
    with open(os.path.join(W, name), "rb") as f:
        return f.read()


def encrypt():
    """The user's ciphertext of ccc-flow's input, from ccc-encrypt's
    standard output."""
    r = subprocess.run(["ccc-encrypt", "-k", TPK, "-l", "app:demo",
                        "01-input"], cwd=W, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        sys.exit("bench/serving.py: ccc-encrypt: %s"
                 % r.stderr.decode().strip())
    return r.stdout


# The served request's steps, in order: (name, wall times in seconds).
STEPS = [("the user's ccc-encrypt (1)", []),
         ("assignment, enclave key, request (2)", []),
         ("4 oracles sign, certificate (3)", []),
         ("7 nodes release (4)", []),
         ("the enclave's job (5, 6)", []),
         ("4 oracles sign the result, certificate (7)", []),
         ("verify, read the output (7)", [])]


def serving(n, oracles, nodes, enclaves, app):
    """Steps 1 to 7 through the serving processes."""
    t = [time.perf_counter()]

    def step():
        t.append(time.perf_counter())
        STEPS[len(t) - 2][1].append(t[-1] - t[-2])

    ct = encrypt()
    step()
    rid, _, name = ask([app["request"]], assign_order(),
                       "the requester")[0].decode().split()
    e = int(name.rsplit("-", 1)[1])
    pub = ask([enclaves[e - 1]], key_order(rid), "the enclave")[0]
    req = ask([app["request"]], request_order(pub, ct, rid),
              "the requester")[0]
    step()
    sigs = ask(oracles, req, "an oracle")
    cert = ask([app["combine"]], combine_order(req, sigs[:3]),
               "the combiner")[0]
    step()
    sealed = ask(nodes, cert, "a node")
    step()
    put(n + ".res", ask([enclaves[e - 1]], job(cert, sealed),
                        "the enclave")[0])
    step()
    ask(oracles, cert, "an oracle")  # kept for the result
    res = get(n + ".res")
    rsigs = ask(oracles, res, "an oracle")
    rcert = ask([app["combine"]], combine_order(res, rsigs[:3]),
                "the combiner")[0]
    step()
    vres = ask([app["verify"]], rcert, "the verifier")[0]
    put(n + ".out", ask([app["read"]], vres, "the reader")[0])
    step()


def start(cmd):
    return subprocess.Popen(cmd + ["--serve"], cwd=W, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)


try:
    fw = Work(W, "bench/serving.py")
    sh = fw.sh
    oracles = [start(oracle(o)) for o in range(1, ORACLES + 1)]
    nodes = [start(node(i, "srv-%d" % i)) for i in range(1, N + 1)]
    enclaves = [start(enclave(e)) for e in range(1, ENCLAVES + 1)]
    app = {"request": start(["ccc-quorum-sign", "request", "-a", "demo",
                             "-x", "02-program", "-k", TPK, "-r", ROSTER,
                             "-P", POOL, "-O", "public"]),
           "combine": start(["ccc-quorum-sign", "combine", "-r", ROSTER]),
           "verify": start(["ccc-quorum-sign", "verify", "-r", ROSTER]),
           "read": start(["ccc-combine"])}
    wall_one, wall_srv, cpu_one = [], [], 0.0
    base = children_cpu()
    for k in range(args.requests):
        c0, t0 = children_cpu(), time.perf_counter()
        one_shot("o%d" % k)
        t1 = time.perf_counter()
        cpu_one += children_cpu() - c0
        serving("s%d" % k, oracles, nodes, enclaves, app)
        t2 = time.perf_counter()
        wall_one.append(t1 - t0)
        wall_srv.append(t2 - t1)
        if get("o%d.out" % k) != get("07-output") or \
                get("s%d.out" % k) != get("07-output"):
            sys.exit("bench/serving.py: a request's output is not "
                     "ccc-flow's (07-output)")
    roles = [("4 oracles", oracles), ("7 nodes", nodes),
             ("2 enclaves, their sandboxes with them", enclaves),
             ("the application's 4", list(app.values()))]
    for _, prs in roles:
        for pr in prs:
            pr.stdin.close()
    # Each server's CPU time over its life, its reaped children with it.
    role_cpu = []
    for _, prs in roles:
        cpu = 0.0
        for pr in prs:
            _, st, ru = os.wait4(pr.pid, 0)
            pr.returncode = os.waitstatus_to_exitcode(st)
            if pr.returncode != 0:
                sys.exit("bench/serving.py: a server exited with status "
                         "%d" % pr.returncode)
            cpu += ru.ru_utime + ru.ru_stime
        role_cpu.append(cpu)
    # Children count once waited for: the servers' whole lives now, with
    # the serving side's own processes.
    cpu_srv = children_cpu() - base - cpu_one
    m_one, m_srv = statistics.median(wall_one), statistics.median(wall_srv)
    print("a whole request, steps 1 to 7 (n=7, t=5, 4 oracles, q=3), "
          "%d requests each way, interleaved" % args.requests)
    print("  %-36s %12s %14s" % ("", "wall ms", "CPU ms"))
    print("  %-36s %12.1f %14.1f" % ("a process a command", 1e3 * m_one,
                                     1e3 * cpu_one / args.requests))
    print("  %-36s %12.1f %14.1f" % (
        "serving processes (--serve)", 1e3 * m_srv,
        1e3 * cpu_srv / args.requests))
    print("  %-36s %11.2fx %13.2fx" % ("ratio", m_srv / m_one,
                                      cpu_srv / cpu_one))
    print("where a served request's wall time goes (median ms)")
    for name, ts in STEPS:
        print("  %-44s %6.1f" % (name, 1e3 * statistics.median(ts)))
    print("where a served request's CPU time goes (ms a request)")
    for (name, _), cpu in zip(roles, role_cpu):
        print("  %-44s %6.1f" % (name, 1e3 * cpu / args.requests))
    print("  %-44s %6.1f" % ("the users' ccc-encrypt and the rest",
                             1e3 * (cpu_srv - sum(role_cpu)) /
                             args.requests))
finally:
    shutil.rmtree(work, ignore_errors=True)
