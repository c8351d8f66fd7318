/*
 * Confining one process before it becomes the measured code (the inside
 * of lib/sandbox.h): Landlock, seccomp, identities and capabilities, and
 * the private mounts of the sandbox's mount namespace.  Everything here
 * runs in the sandbox's child processes, after fork: no allocation, no
 * output; failures are return values or exit statuses.
 */
#ifndef CCC_CONFINE_H
#define CCC_CONFINE_H

#include <stdbool.h>
#include <sys/types.h>

#include "sandbox.h"

struct ccc_confine {
	const struct ccc_sandbox_limits *lim;
	const char *scratch;	/* the program's working directory */
	uid_t uid;		/* the program's uid and gid */
	gid_t gid;
	bool set_ids;		/* switch to uid/gid (root, or a user ns) */
	bool drop_groups;	/* clear supplementary groups (root's) */
	bool init_same_uid;	/* the sandbox's init counts as one of its
				 * processes (RLIMIT_NPROC) */
	long abi;		/* the kernel's Landlock ABI */
};

/* The kernel's Landlock ABI version, 0 without Landlock. */
long ccc_confine_landlock_abi(void);

/*
 * In the sandbox's own mount namespace: make every mount private, put a
 * tmpfs of lim->scratch_bytes on the scratch directory and a /proc of the
 * sandbox's PID namespace (with pidns) on /proc.  Returns the
 * CCC_SANDBOX_NO_* bits of what could not be done.
 */
unsigned ccc_confine_mounts(const struct ccc_confine *c, bool pidns);

/*
 * Become the code: stdin in, stdout out, stderr /dev/null, the image on
 * fd 3; limits, identities, no capability, no new privileges, Landlock,
 * seccomp; then execute fd 3.  Never returns: exits 126 when confinement
 * fails, 127 when the image does not execute.
 */
void ccc_confine_exec(const struct ccc_confine *c, int codefd, int in,
    int out) __attribute__((noreturn));

#endif
