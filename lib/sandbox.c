#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include "io.h"
#include "sandbox.h"

#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#else
#error "ccc's sandbox knows the seccomp architecture of x86_64 and aarch64"
#endif

void
ccc_sandbox_defaults(struct ccc_sandbox_limits *l)
{
	l->timeout_ms = 10000;
	l->cpu_seconds = 10;
	l->mem_bytes = 512ULL << 20;
	l->file_bytes = 16ULL << 20;
	l->out_bytes = 16ULL << 20;
	l->procs = 64;
	l->network = false;
}

const char *
ccc_sandbox_describe(const struct ccc_sandbox_result *r, char *buf,
    size_t len)
{
	switch (r->outcome) {
	case CCC_RUN_OK:
		snprintf(buf, len, "exited 0");
		break;
	case CCC_RUN_FAILED:
		snprintf(buf, len, "exited with status %d", r->status);
		break;
	case CCC_RUN_CRASHED:
		snprintf(buf, len, "was killed by signal %d (%s)", r->status,
		    strsignal(r->status));
		break;
	case CCC_RUN_TIMEOUT:
		snprintf(buf, len, "timed out after %.1f s", r->seconds);
		break;
	case CCC_RUN_OUTPUT_LIMIT:
		snprintf(buf, len, "exceeded the output limit");
		break;
	case CCC_RUN_FORBIDDEN:
		snprintf(buf, len, "was killed for a forbidden system call "
		    "(network access)");
		break;
	}
	return buf;
}

/* Kill the process on any socket but AF_UNIX, and on io_uring. */
static int
install_seccomp(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
		/* x32 system call numbers would bypass the checks below. */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/*
 * Read-only (and executable) for the code: the system's programs,
 * libraries and configuration.  Nothing else: not the enclave's
 * attestation key, other requests' keys, other codes' scratch space, or
 * the enclave's environment in /proc (only the code's own /proc entry).
 */
static const char *const read_dirs[] = { "/usr", "/bin", "/sbin", "/lib",
    "/lib32", "/lib64", "/libx32", "/etc", "/dev/zero",
    "/dev/urandom", "/dev/random" };

/* Allow access beneath path (a missing one is skipped). */
static void
allow(int rfd, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr pb;
	struct stat sb;
	int fd;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		return;
	memset(&pb, 0, sizeof(pb));
	/* Directory rights only on directories (else EINVAL). */
	if (fstat(fd, &sb) != 0 || !S_ISDIR(sb.st_mode))
		access &= LANDLOCK_ACCESS_FS_EXECUTE |
		    LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE;
	pb.allowed_access = access;
	pb.parent_fd = fd;
	(void)syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0);
	close(fd);
}

/*
 * Landlock: every filesystem write only beneath dir (and /dev/null); reads
 * and execution only beneath dir and read_dirs.  The code image, a memfd
 * on the kernel's internal mount, is outside Landlock's reach: it still
 * runs, and a #! interpreter still reads it through /dev/fd/3.
 */
static int
install_landlock(const char *dir)
{
	struct landlock_ruleset_attr ra;
	struct landlock_path_beneath_attr pb;
	uint64_t w, r = LANDLOCK_ACCESS_FS_EXECUTE |
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	long abi;
	size_t i;
	int rfd, fd, rc = -1;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return -1;
	w = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
	    LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
	    LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
	    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
	    LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
#ifdef LANDLOCK_ACCESS_FS_REFER
	if (abi >= 2)
		w |= LANDLOCK_ACCESS_FS_REFER;
#endif
#ifdef LANDLOCK_ACCESS_FS_TRUNCATE
	if (abi >= 3)
		w |= LANDLOCK_ACCESS_FS_TRUNCATE;
#endif
	memset(&ra, 0, sizeof(ra));
	ra.handled_access_fs = w | r;
	if ((rfd = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra),
	    0)) < 0)
		return -1;
	memset(&pb, 0, sizeof(pb));
	if ((fd = open(dir, O_PATH | O_CLOEXEC)) < 0)
		goto out;
	pb.allowed_access = w | r;
	pb.parent_fd = fd;
	rc = (int)syscall(SYS_landlock_add_rule, rfd,
	    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	close(fd);
	if (rc != 0)
		goto out;
	for (i = 0; i < sizeof(read_dirs) / sizeof(read_dirs[0]); i++)
		allow(rfd, read_dirs[i], r);
	/* Its own /proc entry (the pid the code keeps), none of another's. */
	allow(rfd, "/proc/self", r);
	allow(rfd, "/dev/null", LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_WRITE_FILE);
	rc = (int)syscall(SYS_landlock_restrict_self, rfd, 0);
out:
	close(rfd);
	return rc;
}

static void
limit(int res, uint64_t v)
{
	struct rlimit rl = { (rlim_t)v, (rlim_t)v };

	(void)setrlimit(res, &rl);
}

/* In the child: confine, then become the code.  Never returns. */
static void __attribute__((noreturn))
child(int codefd, int in, int out, const char *scratch,
    const struct ccc_sandbox_limits *lim)
{
	char *argv[] = { "ccc-code", NULL }, *envp[] = { NULL };
	int devnull;

	(void)setpgid(0, 0);
	devnull = open("/dev/null", O_WRONLY);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || devnull < 0 ||
	    dup2(devnull, 2) < 0 || dup2(codefd, 3) < 0)
		_exit(126);
	/* Nothing of ours stays open in the code but 0-3. */
	(void)syscall(SYS_close_range, 4U, ~0U, 0U);
	if (chdir(scratch) != 0)
		_exit(126);
	limit(RLIMIT_CPU, lim->cpu_seconds);
	limit(RLIMIT_AS, lim->mem_bytes);
	limit(RLIMIT_FSIZE, lim->file_bytes);
	limit(RLIMIT_NOFILE, 64);
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_NPROC, lim->procs + 1);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    install_landlock(scratch) != 0 ||
	    (!lim->network && install_seccomp() != 0))
		_exit(126);
	(void)syscall(SYS_execveat, 3, "", argv, envp, AT_EMPTY_PATH);
	_exit(127);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A scratch directory on tmpfs when the system has /dev/shm. */
static int
make_scratch(char *buf, size_t len)
{
	struct stat sb;
	const char *base = "/dev/shm";

	if (stat(base, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    access(base, W_OK) != 0)
		base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(buf, len, "%s/ccc-scratch-XXXXXX", base);
	return mkdtemp(buf) != NULL ? 0 : -1;
}

int
ccc_sandbox_check(struct ccc_err *err)
{
	if (syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION) < 1)
		return ccc_err_set(err, CCC_E_CHILD, -1, NULL, "this kernel "
		    "has no Landlock: refusing to run code unconfined");
	return 0;
}

int
ccc_sandbox_run(const uint8_t *code, size_t code_len, const uint8_t *in,
    size_t in_len, const struct ccc_sandbox_limits *lim, struct ccc_buf *out,
    struct ccc_sandbox_result *res, struct ccc_err *err)
{
	char scratch[4096];
	int codefd = -1, pin[2] = { -1, -1 }, pout[2] = { -1, -1 };
	int st, rc = 0;
	size_t sent = 0;
	pid_t pid = -1;
	double t0, deadline;
	bool killed_timeout = false, killed_output = false;

	memset(res, 0, sizeof(*res));
	scratch[0] = '\0';
	if ((rc = ccc_sandbox_check(err)) != 0)
		return rc;
	/* The code runs from a sealed in-memory copy of what was measured. */
	if ((codefd = memfd_create("ccc-code", MFD_ALLOW_SEALING)) < 0 ||
	    ccc_write_full(codefd, code, code_len) != 0 ||
	    fcntl(codefd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE | F_SEAL_SEAL) != 0 ||
	    fchmod(codefd, 0500) != 0) {
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "code image: %s",
		    strerror(errno));
		goto out;
	}
	if (make_scratch(scratch, sizeof(scratch)) != 0) {
		scratch[0] = '\0';
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "scratch: %s",
		    strerror(errno));
		goto out;
	}
	if (pipe2(pin, O_CLOEXEC) != 0 || pipe2(pout, O_CLOEXEC) != 0) {
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "pipe: %s",
		    strerror(errno));
		goto out;
	}
	t0 = now_s();
	deadline = t0 + lim->timeout_ms / 1000.0;
	if ((pid = fork()) < 0) {
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "fork: %s",
		    strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(codefd, pin[0], pout[1], scratch, lim);
	close(pin[0]);
	close(pout[1]);
	pin[0] = pout[1] = -1;
	(void)fcntl(pin[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(pout[0], F_SETFL, O_NONBLOCK);
	if (in_len == 0) {
		close(pin[1]);
		pin[1] = -1;
	}
	ccc_buf_reset(out);
	while (pout[0] >= 0) {
		struct pollfd pf[2];
		int nf = 0, ms;
		double left = deadline - now_s();

		if (left <= 0) {
			killed_timeout = true;
			break;
		}
		ms = (int)(left * 1000) + 1;
		pf[nf].fd = pout[0];
		pf[nf++].events = POLLIN;
		if (pin[1] >= 0) {
			pf[nf].fd = pin[1];
			pf[nf++].events = POLLOUT;
		}
		if (poll(pf, (nfds_t)nf, ms) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (nf == 2 && (pf[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(pin[1], in + sent, in_len - sent);
			if (w > 0)
				sent += (size_t)w;
			if (w < 0 || sent == in_len) {
				close(pin[1]);	/* EOF, or the code quit */
				pin[1] = -1;
			}
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r;
			if (ccc_buf_reserve(out, 65536) != 0) {
				rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
				    "output");
				break;
			}
			r = read(pout[0], out->p + out->len, 65536);
			if (r > 0) {
				out->len += (size_t)r;
				if (out->len > lim->out_bytes) {
					killed_output = true;
					break;
				}
			} else if (r == 0 || (errno != EAGAIN &&
			    errno != EINTR)) {
				close(pout[0]);
				pout[0] = -1;
			}
		}
	}
	/* Done reading: wait for the code, no longer than the deadline. */
	if (!killed_timeout && !killed_output) {
		while (waitpid(pid, &st, WNOHANG) == 0) {
			if (now_s() >= deadline) {
				killed_timeout = true;
				break;
			}
			usleep(1000);
		}
	}
	if (killed_timeout || killed_output || rc != 0) {
		(void)kill(-pid, SIGKILL);
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, &st, 0);
	}
	(void)kill(-pid, SIGKILL);	/* stray background processes */
	pid = -1;
	res->seconds = now_s() - t0;
	if (rc != 0)
		goto out;
	if (killed_timeout)
		res->outcome = CCC_RUN_TIMEOUT;
	else if (killed_output)
		res->outcome = CCC_RUN_OUTPUT_LIMIT;
	else if (WIFSIGNALED(st)) {
		res->status = WTERMSIG(st);
		res->outcome = res->status == SIGSYS ? CCC_RUN_FORBIDDEN :
		    res->status == SIGXCPU ? CCC_RUN_TIMEOUT : CCC_RUN_CRASHED;
	} else if ((res->status = WEXITSTATUS(st)) != 0)
		res->outcome = CCC_RUN_FAILED;
	else
		res->outcome = CCC_RUN_OK;
	if (res->outcome != CCC_RUN_OK)
		ccc_buf_reset(out);	/* nothing of a failed run is used */
out:
	if (pin[0] >= 0)
		close(pin[0]);
	if (pin[1] >= 0)
		close(pin[1]);
	if (pout[0] >= 0)
		close(pout[0]);
	if (pout[1] >= 0)
		close(pout[1]);
	if (codefd >= 0)
		close(codefd);
	if (scratch[0] != '\0')
		(void)nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
