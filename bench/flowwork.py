"""bench/flowwork.py: what bench/replay.py and bench/serving.py share, a
ccc-flow work directory and fresh requests made in it as ccc-flow makes
them (step 2)."""
import os, subprocess, sys

K = "00-keys"
TPK, ROSTER, POOL, POLICY = (K + "/committee/tpk.cbor", K + "/roster",
                             K + "/pool", K + "/attest.policy")


class Work:
    """A ccc-flow run's work directory w, its errors named by prog.

    program is the enclave's program (ccc-flow -x PROGRAM), by default
    the one the environment's CCC_BENCH_PROGRAM names (make bench-serving
    and bench-replay name bench/demo-program, ccc-flow's demo program in
    C); None or empty, ccc-flow's own demo program in bash.  Either way
    07-output is that program's output for ccc-flow's demo input."""

    def __init__(self, w, prog,
                 program=os.environ.get("CCC_BENCH_PROGRAM")):
        self.w, self.prog = w, prog
        cmd = ["ccc-flow", "-d", w, "-f"]
        if program:
            cmd += ["-x", program]
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, check=False)
        if r.returncode != 0:
            sys.exit("%s: ccc-flow: %s" % (prog, r.stderr.decode().strip()))

    def sh(self, *cmd):
        """Run cmd in the work directory: its output, or exit."""
        r = subprocess.run(cmd, cwd=self.w, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
        if r.returncode != 0:
            sys.exit("%s: %s: %s" % (self.prog, " ".join(cmd),
                                     r.stderr.decode().strip()))
        return r.stdout.decode()

    def request(self, i):
        """A fresh request rI.req for the enclave assigned to it."""
        p = "r%d" % i
        rid, _, enclave = self.sh("ccc-quorum-sign", "assign", "-r", ROSTER,
                                  "-P", POOL).split()
        self.sh("ccc-enclave-run", "keygen", "-a",
                "%s/%s.key" % (K, enclave), "-n", rid, "-s", p + ".key",
                "-o", p + ".pub")
        self.sh("ccc-quorum-sign", "request", "-a", "demo", "-x",
                "02-program", "-k", TPK, "-r", ROSTER, "-P", POOL, "-K",
                p + ".pub", "-I", rid, "-O", "public", "-o", p + ".req",
                "01-input.ct")
        return p
