#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "confine.h"
#include "io.h"
#include "sandbox.h"

void
ccc_sandbox_defaults(struct ccc_sandbox_limits *l)
{
	l->timeout_ms = 10000;
	l->cpu_seconds = 10;
	l->mem_bytes = 512ULL << 20;
	l->file_bytes = 16ULL << 20;
	l->out_bytes = 16ULL << 20;
	l->procs = 64;
	l->scratch_bytes = 64ULL << 20;
	l->uid = 65534;
	l->network = false;
	l->any_port = false;
	l->nports = 0;
}

static const char *const missing_names[] = {
	"a user namespace (the code runs as the tool's uid, or setuid when "
	    "root)",
	"a PID namespace (no process limit beyond RLIMIT_NPROC; a setsid "
	    "process can outlive the run)",
	"a network namespace",
	"a mount namespace",
	"a size cap on the scratch space",
	"a private /proc",
	"Landlock scoping (ABI 6: abstract Unix sockets and signals)",
};

const char *
ccc_sandbox_missing(unsigned missing, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(missing_names) / sizeof(missing_names[0]);
	    i++) {
		if ((missing & (1U << i)) == 0 || n >= len)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "; " : "",
		    missing_names[i]);
	}
	return buf;
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
ccc_sandbox_check(const struct ccc_sandbox_limits *lim, struct ccc_err *err)
{
	long abi = ccc_confine_landlock_abi();

	if (abi < 1)
		return ccc_err_set(err, CCC_E_CHILD, -1, NULL, "this kernel "
		    "has no Landlock: refusing to run code unconfined");
	if (lim->network && !lim->any_port && abi < 4)
		return ccc_err_set(err, CCC_E_CHILD, -1, NULL, "this kernel's "
		    "Landlock (ABI %ld) cannot bound TCP connections to the "
		    "allowed ports: refusing network access", abi);
	return 0;
}

/* The sandbox's processes: P (us), C (the init), X (the code). */
struct run {
	struct ccc_confine c;
	int codefd, in, out;	/* X's image, stdin, stdout */
	int sync[2];		/* P -> C: the user namespace is mapped */
	int report[2];		/* C -> P: missing bits, then X's status */
	bool userns, ns, pidns;
};

/* fork(), into new namespaces (flags): the raw system call, as glibc's
 * fork has no flags. */
static pid_t
spawn(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0UL, 0UL, 0UL, 0UL);
}

/*
 * C, the sandbox's init (pid 1 of its PID namespace when there is one):
 * mounts, starts X, waits for it and reports its status.  When C ends,
 * the kernel kills whatever else runs in the namespace.
 */
static void __attribute__((noreturn))
init(struct run *r)
{
	sigset_t all;
	uint32_t missing = 0;
	pid_t x, w;
	int st, sig;
	char b;

	/* Default dispositions for X to inherit; an init with handlers
	 * could be signalled from inside. */
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	sigfillset(&all);
	(void)sigprocmask(SIG_UNBLOCK, &all, NULL);
	(void)setpgid(0, 0);
	close(r->sync[1]);
	close(r->report[0]);
	if (r->userns && read(r->sync[0], &b, 1) != 1)
		_exit(126);
	close(r->sync[0]);
	if (r->ns)
		missing = ccc_confine_mounts(&r->c, r->pidns);
	if (write(r->report[1], &missing, sizeof(missing)) !=
	    (ssize_t)sizeof(missing))
		_exit(126);
	if ((x = fork()) < 0)
		_exit(126);
	if (x == 0) {
		close(r->report[1]);
		ccc_confine_exec(&r->c, r->codefd, r->in, r->out);
	}
	/* Only the report stays open here: X alone holds the pipes. */
	(void)syscall(SYS_close_range, 0U, (unsigned)r->report[1] - 1, 0U);
	(void)syscall(SYS_close_range, (unsigned)r->report[1] + 1, ~0U, 0U);
	do {
		w = waitpid(-1, &st, 0);
	} while (w != x && (w >= 0 || errno == EINTR));
	if (w != x || write(r->report[1], &st, sizeof(st)) !=
	    (ssize_t)sizeof(st))
		_exit(126);
	_exit(0);
}

static int
write_proc(const char *path, const char *s, size_t n)
{
	int fd, rc;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	rc = write(fd, s, n) == (ssize_t)n ? 0 : -1;
	close(fd);
	return rc;
}

/* Map the code's uid and gid into C's user namespace, then let C go on. */
static int
map_ids(pid_t pid, const struct run *r, bool root)
{
	char path[64], line[64];
	int n;

	if (!root) {
		/* An unprivileged writer may map only itself, groups denied. */
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		if (write_proc(path, "deny", 4) != 0)
			return -1;
	}
	n = snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)r->c.uid,
	    (unsigned)r->c.uid);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (write_proc(path, line, (size_t)n) != 0)
		return -1;
	n = snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)r->c.gid,
	    (unsigned)r->c.gid);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	if (write_proc(path, line, (size_t)n) != 0)
		return -1;
	return write(r->sync[1], "", 1) == 1 ? 0 : -1;
}

/*
 * Start C in as many namespaces as the kernel gives: user, PID, mount,
 * IPC, UTS (and network without network permission).  Without a user
 * namespace root still makes the others; an unprivileged caller then
 * runs the code in none.  Returns C's pid; r says what it got.
 */
static pid_t
start(struct run *r, const struct ccc_sandbox_limits *lim, struct ccc_err *err)
{
	unsigned long ns = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
	    CLONE_NEWUTS | (lim->network ? 0 : CLONE_NEWNET);
	bool root = geteuid() == 0;
	pid_t pid;

	r->c.uid = root ? lim->uid : geteuid();
	r->c.gid = root ? lim->uid : getegid();
	r->c.drop_groups = root;
	r->c.init_same_uid = !root;
	r->userns = r->ns = r->pidns = true;
	r->c.set_ids = true;
	if ((pid = spawn(CLONE_NEWUSER | ns)) == 0)
		init(r);
	if (pid < 0) {
		r->userns = false;
		r->c.set_ids = root;
		if (!root || (pid = spawn(ns)) < 0) {
			r->ns = r->pidns = false;
			pid = spawn(0);
		}
		if (pid == 0)
			init(r);
	}
	if (pid < 0) {
		ccc_err_set(err, CCC_E_CHILD, -1, NULL, "fork: %s",
		    strerror(errno));
		return -1;
	}
	if (r->userns && map_ids(pid, r, root) != 0) {
		ccc_err_set(err, CCC_E_CHILD, -1, NULL, "user namespace: %s",
		    strerror(errno));
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* A started sandbox: C waits in its namespaces, X for its input. */
struct sandbox {
	struct run r;
	const struct ccc_sandbox_limits *lim;
	char scratch[4096];
	int pin[2], pout[2], pidfd;
	pid_t pid;
	unsigned missing;
};

/* Kill what still runs, close everything, remove the scratch. */
static void
sandbox_release(struct sandbox *sb)
{
	int *fds[] = { &sb->pidfd, &sb->pin[0], &sb->pin[1], &sb->pout[0],
	    &sb->pout[1], &sb->r.sync[0], &sb->r.sync[1], &sb->r.report[0],
	    &sb->r.report[1], &sb->r.codefd };
	size_t i;

	if (sb->pid > 0) {
		(void)kill(-sb->pid, SIGKILL);
		(void)kill(sb->pid, SIGKILL);
		(void)waitpid(sb->pid, NULL, 0);
	}
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	if (sb->scratch[0] != '\0')
		(void)nftw(sb->scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Set up the confinement and start the code, which waits for its input.
 * (Started earlier, while the enclave combines the shares, the sandbox
 * would overlap that work, but the clone of the enclave's large address
 * space makes every page it then writes a copy-on-write fault: on this
 * machine 3.5 ms of CPU a job more for 0.7 ms of wall time less.)
 */
static int
sandbox_start(struct sandbox *sb, const uint8_t *code, size_t code_len,
    const struct ccc_sandbox_limits *lim, struct ccc_err *err)
{
	struct run *r = &sb->r;
	int rc;

	memset(sb, 0, sizeof(*sb));
	sb->lim = lim;
	r->codefd = r->sync[0] = r->sync[1] = r->report[0] = r->report[1] =
	    sb->pin[0] = sb->pin[1] = sb->pout[0] = sb->pout[1] = sb->pidfd =
	    -1;
	if ((rc = ccc_sandbox_check(lim, err)) != 0)
		return rc;
	/* The code runs from a sealed in-memory copy of what was measured;
	 * the code's uid is another than ours: readable and executable. */
	if ((r->codefd = memfd_create("ccc-code", MFD_ALLOW_SEALING)) < 0 ||
	    ccc_write_full(r->codefd, code, code_len) != 0 ||
	    fcntl(r->codefd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE | F_SEAL_SEAL) != 0 ||
	    fchmod(r->codefd, 0555) != 0 ||
	    /* From the start for an interpreter that reads fd 3 itself. */
	    lseek(r->codefd, 0, SEEK_SET) != 0) {
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "code image: %s",
		    strerror(errno));
		goto fail;
	}
	if (make_scratch(sb->scratch, sizeof(sb->scratch)) != 0)
		sb->scratch[0] = '\0';
	/* The code's own (run as root, it runs as lim->uid), should no
	 * tmpfs be mounted over it. */
	if (sb->scratch[0] == '\0' || (geteuid() == 0 &&
	    chown(sb->scratch, lim->uid, lim->uid) != 0)) {
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "scratch: %s",
		    strerror(errno));
		goto fail;
	}
	if (pipe2(sb->pin, O_CLOEXEC) != 0 || pipe2(sb->pout, O_CLOEXEC) != 0 ||
	    pipe2(r->sync, O_CLOEXEC) != 0 ||
	    pipe2(r->report, O_CLOEXEC) != 0) {
		rc = ccc_err_set(err, CCC_E_CHILD, -1, NULL, "pipe: %s",
		    strerror(errno));
		goto fail;
	}
	r->c.lim = lim;
	r->c.scratch = sb->scratch;
	r->c.abi = ccc_confine_landlock_abi();
	r->in = sb->pin[0];
	r->out = sb->pout[1];
	if ((sb->pid = start(r, lim, err)) < 0) {
		sb->pid = -1;
		rc = CCC_E_CHILD;
		goto fail;
	}
	sb->missing = (r->userns ? 0 : CCC_SANDBOX_NO_USERNS) |
	    (r->ns ? 0 : CCC_SANDBOX_NO_PIDNS | CCC_SANDBOX_NO_MNTNS |
	    CCC_SANDBOX_NO_SCRATCH_CAP | CCC_SANDBOX_NO_PROC |
	    (lim->network ? 0 : CCC_SANDBOX_NO_NETNS)) |
	    (r->c.abi >= 6 ? 0 : CCC_SANDBOX_NO_SCOPE);
	close(sb->pin[0]);
	close(sb->pout[1]);
	close(r->sync[0]);
	close(r->sync[1]);
	close(r->report[1]);
	close(r->codefd);	/* C has it */
	sb->pin[0] = sb->pout[1] = r->sync[0] = r->sync[1] = r->report[1] =
	    r->codefd = -1;
	/* C's end, seen in the poll: then nothing of the code may write. */
	sb->pidfd = (int)syscall(SYS_pidfd_open, sb->pid, 0U);
	(void)fcntl(sb->pin[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(sb->pout[0], F_SETFL, O_NONBLOCK);
	return 0;
fail:
	sandbox_release(sb);
	return rc;
}

/*
 * A write of the code's input: a code that quit without reading it all is
 * EPIPE, not a SIGPIPE that would end this process (a server with it).
 */
static ssize_t
write_in(int fd, const void *p, size_t n)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe, old, pending;
	bool was_pending;
	ssize_t w;
	int e;

	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	(void)pthread_sigmask(SIG_BLOCK, &pipe, &old);
	was_pending = sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE) == 1;
	w = write(fd, p, n);
	e = errno;
	/* Ours, raised by this write: taken before it can be delivered. */
	if (w < 0 && e == EPIPE && !was_pending)
		(void)sigtimedwait(&pipe, NULL, &zero);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return w;
}

/*
 * Wait for C to end after the code's output ended (X's report follows),
 * no longer than the deadline: on C's pidfd, or without one (a kernel
 * before 5.3) by polling.  0 when it ended (its status in *st), -1 at
 * the deadline.
 */
static int
wait_end(struct sandbox *sb, double deadline, int *st)
{
	struct pollfd pf;
	double left;

	while (waitpid(sb->pid, st, WNOHANG) == 0) {
		if ((left = deadline - now_s()) <= 0)
			return -1;
		if (sb->pidfd < 0) {
			usleep(1000);
			continue;
		}
		pf.fd = sb->pidfd;
		pf.events = POLLIN;
		(void)poll(&pf, 1, (int)(left * 1000) + 1);
	}
	return 0;
}

/* Give the code its input, collect its output and outcome; releases sb. */
static int
sandbox_finish(struct sandbox *sb, const uint8_t *in, size_t in_len,
    struct ccc_buf *out, struct ccc_sandbox_result *res, struct ccc_err *err)
{
	struct run *r = &sb->r;
	uint8_t chunk[16384];
	int st = 0, rc = 0;
	uint32_t missing = 0;
	size_t sent = 0;
	ssize_t got;
	double t0, deadline;
	bool killed_timeout = false, killed_output = false, reported = false;

	memset(res, 0, sizeof(*res));
	res->missing = sb->missing;
	t0 = now_s();
	deadline = t0 + sb->lim->timeout_ms / 1000.0;
	if (in_len == 0) {
		close(sb->pin[1]);
		sb->pin[1] = -1;
	}
	ccc_buf_reset(out);
	while (sb->pout[0] >= 0) {
		struct pollfd pf[3];
		int nf = 0, ms, pi = -1, wi = -1;
		double left = deadline - now_s();

		if (left <= 0) {
			killed_timeout = true;
			break;
		}
		ms = (int)(left * 1000) + 1;
		pf[nf].fd = sb->pout[0];
		pf[nf++].events = POLLIN;
		if (sb->pidfd >= 0) {
			pf[pi = nf].fd = sb->pidfd;
			pf[nf++].events = POLLIN;
		}
		if (sb->pin[1] >= 0) {
			pf[wi = nf].fd = sb->pin[1];
			pf[nf++].events = POLLOUT;
		}
		if (poll(pf, (nfds_t)nf, ms) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pi >= 0 && pf[pi].revents != 0) {
			/* C ended: stray processes too, then read to EOF. */
			(void)kill(-sb->pid, SIGKILL);
			close(sb->pidfd);
			sb->pidfd = -1;
		}
		if (wi >= 0 && (pf[wi].revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			ssize_t w = write_in(sb->pin[1], in + sent,
			    in_len - sent);
			if (w > 0)
				sent += (size_t)w;
			if (w < 0 || sent == in_len) {
				close(sb->pin[1]);	/* EOF, or the code quit */
				sb->pin[1] = -1;
			}
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			/*
			 * Through a chunk, wiped below: out, a secret buffer,
			 * grows with what came (reserving 64 KB ahead cost a
			 * 128 KB locked allocation, filled and faulted in,
			 * for every run, whatever the output).
			 */
			ssize_t n = read(sb->pout[0], chunk, sizeof(chunk));
			if (n > 0) {
				if (ccc_buf_put(out, chunk, (size_t)n) != 0) {
					rc = ccc_err_set(err, CCC_E_NOMEM, -1,
					    NULL, "output");
					break;
				}
				if (out->len > sb->lim->out_bytes) {
					killed_output = true;
					break;
				}
			} else if (n == 0 || (errno != EAGAIN &&
			    errno != EINTR)) {
				close(sb->pout[0]);
				sb->pout[0] = -1;
			}
		}
	}
	sodium_memzero(chunk, sizeof(chunk));
	/* Done reading: wait for the code, no longer than the deadline. */
	if (!killed_timeout && !killed_output && rc == 0 &&
	    wait_end(sb, deadline, &st) != 0)
		killed_timeout = true;
	if (killed_timeout || killed_output || rc != 0) {
		(void)kill(-sb->pid, SIGKILL);
		(void)kill(sb->pid, SIGKILL);
		(void)waitpid(sb->pid, &st, 0);
	}
	sb->pid = -1;
	res->seconds = now_s() - t0;
	/* C's report: what it could not mount, then the code's status. */
	if (read(r->report[0], &missing, sizeof(missing)) ==
	    (ssize_t)sizeof(missing)) {
		res->missing |= missing;
		got = read(r->report[0], &st, sizeof(st));
		reported = got == (ssize_t)sizeof(st);
	}
	sandbox_release(sb);
	if (rc != 0)
		return rc;
	if (killed_timeout)
		res->outcome = CCC_RUN_TIMEOUT;
	else if (killed_output)
		res->outcome = CCC_RUN_OUTPUT_LIMIT;
	else if (!reported && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		/* C ended well without the code's status: cannot be. */
		res->outcome = CCC_RUN_FAILED;
		res->status = 126;
	} else if (WIFSIGNALED(st)) {
		res->status = WTERMSIG(st);
		res->outcome = res->status == SIGSYS ? CCC_RUN_FORBIDDEN :
		    res->status == SIGXCPU ? CCC_RUN_TIMEOUT : CCC_RUN_CRASHED;
	} else if ((res->status = WEXITSTATUS(st)) != 0)
		res->outcome = CCC_RUN_FAILED;
	else
		res->outcome = CCC_RUN_OK;
	if (res->outcome != CCC_RUN_OK)
		ccc_buf_reset(out);	/* nothing of a failed run is used */
	return 0;
}

int
ccc_sandbox_run(const uint8_t *code, size_t code_len, const uint8_t *in,
    size_t in_len, const struct ccc_sandbox_limits *lim, struct ccc_buf *out,
    struct ccc_sandbox_result *res, struct ccc_err *err)
{
	struct sandbox sb;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = sandbox_start(&sb, code, code_len, lim, err)) != 0)
		return rc;
	return sandbox_finish(&sb, in, in_len, out, res, err);
}
