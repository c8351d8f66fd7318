/*
 * Running measured code in a sandbox (ccc-enclave-run, step 6).
 *
 * The code's bytes are copied into a sealed memfd and executed from it
 * (fexecve), so what runs is exactly what was measured.  The child gets:
 * an empty environment; the input on stdin and its output read from
 * stdout (stderr is discarded: it could carry plaintext); a fresh scratch
 * directory on tmpfs (/dev/shm when present) as its working directory,
 * removed afterwards; Landlock confining every filesystem write to that
 * directory; a seccomp filter that kills it on any socket that is not a
 * Unix socket, unless network use is allowed; limits on CPU time, address
 * space, file size, open files and processes; and a wall-clock timeout.
 * Plaintext never touches a disk: input and output travel through pipes.
 */
#ifndef CCC_SANDBOX_H
#define CCC_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"

struct ccc_sandbox_limits {
	unsigned timeout_ms;	/* wall clock */
	unsigned cpu_seconds;
	uint64_t mem_bytes;	/* RLIMIT_AS */
	uint64_t file_bytes;	/* RLIMIT_FSIZE */
	uint64_t out_bytes;	/* stdout beyond this kills the code */
	unsigned procs;		/* processes the code may fork (0: none) */
	bool network;
};

/* Sensible defaults: 10 s, 10 s CPU, 512 MiB, 16 MiB files and output. */
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
};

/*
 * Run code (an executable image or a #! script) with input on stdin;
 * out (a secret buffer) receives stdout.  Returns 0 when the sandbox
 * worked (res says how the code fared), or CCC_E_* when it could not be
 * set up (CCC_E_CHILD with the reason).  Refuses to run unconfined: no
 * Landlock in the kernel is an error.
 */
int ccc_sandbox_run(const uint8_t *code, size_t code_len, const uint8_t *in,
    size_t in_len, const struct ccc_sandbox_limits *lim, struct ccc_buf *out,
    struct ccc_sandbox_result *res, struct ccc_err *err) CCC_WUR;

/*
 * Whether code can be confined here (Landlock in the kernel): checked
 * before anything irreversible, such as erasing a per-request key.
 */
int ccc_sandbox_check(struct ccc_err *err) CCC_WUR;

/* One-line description of a result ("exit status 3", "timed out", ...). */
const char *ccc_sandbox_describe(const struct ccc_sandbox_result *res,
    char *buf, size_t len);

#endif
