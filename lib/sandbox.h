/*
 * Running measured code in a sandbox (ccc-enclave-run, step 6).
 *
 * The code's bytes are copied into a sealed memfd and executed from it
 * (fexecve), so what runs is exactly what was measured.  The code gets an
 * empty environment; the input on stdin and its output read from stdout
 * (stderr is discarded: it could carry plaintext); a fresh scratch
 * directory as its working directory, removed afterwards; limits on CPU
 * time, address space, file size, open files and processes; and a
 * wall-clock timeout.  Plaintext never touches a disk: input and output
 * travel through pipes.
 *
 * Confinement (lib/confine.h), with what the kernel offers:
 * - its own user, PID, mount, IPC and UTS namespaces (and network one,
 *   left empty, without network permission); it runs as an unprivileged
 *   uid (lim->uid when the tool runs as root, else the tool's own), with
 *   no capability in any set and no new privileges;
 * - a tmpfs of lim->scratch_bytes as its scratch directory, and the
 *   /proc of its PID namespace;
 * - Landlock with the kernel's newest ABI: writes only beneath the scratch
 *   directory, no device node, reads only of the system's directories;
 *   no TCP bind and connect only to the allowed ports (ABI 4); no abstract
 *   Unix socket or signal outside the sandbox (ABI 6);
 * - seccomp: no socket but a socketpair, or with network permission a TCP
 *   one; no bpf, ptrace, mount, new namespace, keyring, module, io_uring.
 * When the code's first process ends, everything it started is killed
 * (the PID namespace's init ends with it).  What the kernel cannot give is
 * reported (res->missing); without Landlock nothing runs.
 */
#ifndef CCC_SANDBOX_H
#define CCC_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"

#define CCC_SANDBOX_PORTS_MAX 16
#define CCC_SANDBOX_SCRATCH_INODES 4096	/* files in the scratch tmpfs */

/* What the kernel could not give (struct ccc_sandbox_result.missing). */
#define CCC_SANDBOX_NO_USERNS		(1U << 0)
#define CCC_SANDBOX_NO_PIDNS		(1U << 1)
#define CCC_SANDBOX_NO_NETNS		(1U << 2)
#define CCC_SANDBOX_NO_MNTNS		(1U << 3)
#define CCC_SANDBOX_NO_SCRATCH_CAP	(1U << 4)
#define CCC_SANDBOX_NO_PROC		(1U << 5)
#define CCC_SANDBOX_NO_SCOPE		(1U << 6)

struct ccc_sandbox_limits {
	unsigned timeout_ms;	/* wall clock */
	unsigned cpu_seconds;
	uint64_t mem_bytes;	/* RLIMIT_AS */
	uint64_t file_bytes;	/* RLIMIT_FSIZE */
	uint64_t out_bytes;	/* stdout beyond this kills the code */
	unsigned procs;		/* processes the code may fork (0: none) */
	uint64_t scratch_bytes;	/* total size of the scratch tmpfs */
	uint32_t uid;		/* the code's uid and gid when run as root */
	bool network;
	/*
	 * Level 2 (replicated execution): no randomness source but its
	 * input's seed: getrandom fails with ENOSYS, /dev/urandom and
	 * /dev/random are not readable.
	 */
	bool deterministic;
	/* With network: TCP connects allowed to these ports, or any port. */
	bool any_port;
	size_t nports;
	uint16_t ports[CCC_SANDBOX_PORTS_MAX];
};

/*
 * Sensible defaults: 10 s, 10 s CPU, 512 MiB, 16 MiB files and output,
 * 64 processes, 64 MiB scratch, uid 65534, no network.
 */
void ccc_sandbox_defaults(struct ccc_sandbox_limits *l);

enum ccc_sandbox_outcome {
	CCC_RUN_OK,		/* exit status 0 */
	CCC_RUN_FAILED,		/* non-zero exit status */
	CCC_RUN_CRASHED,	/* killed by a signal */
	CCC_RUN_TIMEOUT,
	CCC_RUN_OUTPUT_LIMIT,
	CCC_RUN_FORBIDDEN	/* killed by the seccomp filter (network) */
};

struct ccc_sandbox_result {
	enum ccc_sandbox_outcome outcome;
	int status;		/* exit status or signal number */
	double seconds;
	unsigned missing;	/* CCC_SANDBOX_NO_* */
};

/*
 * Run code (an executable image or a #! script) with input on stdin;
 * out (a secret buffer) receives stdout.  Returns 0 when the sandbox
 * worked (res says how the code fared), or CCC_E_* when it could not be
 * set up (CCC_E_CHILD with the reason).  Refuses to run unconfined: no
 * Landlock in the kernel is an error (see ccc_sandbox_check).  A kernel
 * without some other part of the confinement runs the code all the same
 * and says so in res->missing.
 */
int ccc_sandbox_run(const uint8_t *code, size_t code_len, const uint8_t *in,
    size_t in_len, const struct ccc_sandbox_limits *lim, struct ccc_buf *out,
    struct ccc_sandbox_result *res, struct ccc_err *err) CCC_WUR;

/*
 * Whether code can be confined here under lim: Landlock in the kernel,
 * and with network permission, Landlock ABI 4 (TCP port rules) to bound
 * it.  Checked before anything irreversible, such as erasing a
 * per-request key.
 */
int ccc_sandbox_check(const struct ccc_sandbox_limits *lim,
    struct ccc_err *err) CCC_WUR;

/*
 * "a user namespace, a PID namespace, ..." for the CCC_SANDBOX_NO_* bits
 * in missing; "" for none.
 */
const char *ccc_sandbox_missing(unsigned missing, char *buf, size_t len);

/* One-line description of a result ("exit status 3", "timed out", ...). */
const char *ccc_sandbox_describe(const struct ccc_sandbox_result *res,
    char *buf, size_t len);

#endif
