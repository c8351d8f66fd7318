#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>

#include "confine.h"

#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#else
#error "ccc's sandbox knows the seccomp architecture of x86_64 and aarch64"
#endif

/*
 * Landlock, spelled out here: the system's headers may be older than the
 * kernel (Debian 12's know ABI 2).  What a kernel accepts is asked at run
 * time (ccc_confine_landlock_abi) and only that is asked for.
 */
#define LL_CREATE_RULESET_VERSION	(1U << 0)
#define LL_RULE_PATH_BENEATH		1
#define LL_RULE_NET_PORT		2
#define LL_FS_EXECUTE			(1ULL << 0)
#define LL_FS_WRITE_FILE		(1ULL << 1)
#define LL_FS_READ_FILE			(1ULL << 2)
#define LL_FS_READ_DIR			(1ULL << 3)
#define LL_FS_REMOVE_DIR		(1ULL << 4)
#define LL_FS_REMOVE_FILE		(1ULL << 5)
#define LL_FS_MAKE_CHAR			(1ULL << 6)
#define LL_FS_MAKE_DIR			(1ULL << 7)
#define LL_FS_MAKE_REG			(1ULL << 8)
#define LL_FS_MAKE_SOCK			(1ULL << 9)
#define LL_FS_MAKE_FIFO			(1ULL << 10)
#define LL_FS_MAKE_BLOCK		(1ULL << 11)
#define LL_FS_MAKE_SYM			(1ULL << 12)
#define LL_FS_REFER			(1ULL << 13)	/* ABI 2 */
#define LL_FS_TRUNCATE			(1ULL << 14)	/* ABI 3 */
#define LL_FS_IOCTL_DEV			(1ULL << 15)	/* ABI 5 */
#define LL_NET_BIND_TCP			(1ULL << 0)	/* ABI 4 */
#define LL_NET_CONNECT_TCP		(1ULL << 1)	/* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)	/* ABI 6 */
#define LL_SCOPE_SIGNAL			(1ULL << 1)	/* ABI 6 */

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_add_rule		445
#define SYS_landlock_restrict_self	446
#endif

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;	/* ABI 4 */
	uint64_t scoped;		/* ABI 6 */
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

long
ccc_confine_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LL_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : abi;
}

/* ---- seccomp --------------------------------------------------------------- */

#define NS_FLAGS 0x7E020080U	/* CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET,TIME} */

#define STMT(code, k) (struct sock_filter)BPF_STMT(code, k)
#define JUMP(code, k, jt, jf) (struct sock_filter)BPF_JUMP(code, k, jt, jf)
#define LOAD(field) STMT(BPF_LD | BPF_W | BPF_ABS, \
	offsetof(struct seccomp_data, field))
#define RET(v) STMT(BPF_RET | BPF_K, v)
#define ERRNO(e) (SECCOMP_RET_ERRNO | (e))

/* System calls refused with EPERM: other namespaces, kernel objects and
 * interfaces a program has no use for, other processes' memory. */
static const int refused[] = {
	__NR_bpf, __NR_unshare, __NR_setns, __NR_mount, __NR_umount2,
	__NR_pivot_root, __NR_chroot, __NR_ptrace, __NR_process_vm_readv,
	__NR_process_vm_writev, __NR_keyctl, __NR_add_key, __NR_request_key,
	__NR_perf_event_open, __NR_userfaultfd, __NR_kexec_load,
	__NR_init_module, __NR_finit_module, __NR_delete_module,
	__NR_open_by_handle_at, __NR_name_to_handle_at, __NR_fanotify_init,
	__NR_swapon, __NR_swapoff, __NR_reboot, __NR_syslog, __NR_acct,
	__NR_quotactl,
#ifdef __NR_kexec_file_load
	__NR_kexec_file_load,
#endif
#ifdef __NR_fsopen
	__NR_fsopen, __NR_fsmount, __NR_fspick, __NR_open_tree,
	__NR_move_mount,
#endif
#ifdef __NR_mount_setattr
	__NR_mount_setattr,
#endif
};

#define NREFUSED (sizeof(refused) / sizeof(refused[0]))

/*
 * The filter: the architecture checked; io_uring (which would bypass
 * everything below) kills; the refused calls and new namespaces (clone
 * with CLONE_NEW*; clone3, whose flags it cannot read, reports ENOSYS so
 * that libc falls back to clone) fail with EPERM.  Sockets: a socketpair
 * of stream or seqpacket sockets (no datagram one, which could be
 * connected elsewhere); socket() of AF_UNIX fails with EACCES (no path or
 * abstract socket to connect to); any other socket kills the program,
 * unless the network is allowed: then a TCP socket of AF_INET or AF_INET6
 * (Landlock bounds its connections) and EACCES for anything else (UDP,
 * raw, netlink: nothing Landlock can bound).  Without network connect()
 * fails with EPERM, whatever the descriptor.
 */
static int
install_seccomp(bool network, bool deterministic)
{
	struct sock_filter f[160];
	size_t n = 0, i;
	struct sock_fprog prog;

	f[n++] = LOAD(arch);
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0);
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
	f[n++] = LOAD(nr);
#if defined(__x86_64__)
	/* x32 system call numbers would bypass the checks below. */
	f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
#endif
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1);
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
	for (i = 0; i < NREFUSED; i++) {
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)refused[i],
		    0, 1);
		f[n++] = RET(ERRNO(EPERM));
	}
	if (deterministic) {
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getrandom, 0, 1);
		f[n++] = RET(ERRNO(ENOSYS));
	}
#ifdef __NR_clone3
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
	f[n++] = RET(ERRNO(ENOSYS));
#endif
	/* clone: flags are the first argument on x86_64 and aarch64. */
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
	f[n++] = LOAD(args[0]);
	f[n++] = JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
	f[n++] = RET(ERRNO(EPERM));
	f[n++] = RET(SECCOMP_RET_ALLOW);
	/* socketpair: stream or seqpacket (the type less its flags). */
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socketpair, 0, 6);
	f[n++] = LOAD(args[1]);
	f[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, 0xf);
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 2, 0);
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_SEQPACKET, 1, 0);
	f[n++] = RET(ERRNO(EACCES));
	f[n++] = RET(SECCOMP_RET_ALLOW);
	if (!network) {
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_connect, 0, 1);
		f[n++] = RET(ERRNO(EPERM));
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 4);
		f[n++] = LOAD(args[0]);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1);
		f[n++] = RET(ERRNO(EACCES));
		f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
		f[n++] = RET(SECCOMP_RET_ALLOW);
	} else {
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 10);
		f[n++] = LOAD(args[0]);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 1, 0);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, 6);
		f[n++] = LOAD(args[1]);
		f[n++] = STMT(BPF_ALU | BPF_AND | BPF_K, 0xf);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 0, 3);
		f[n++] = LOAD(args[2]);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0);
		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 1, 0);
		f[n++] = RET(ERRNO(EACCES));
		f[n++] = RET(SECCOMP_RET_ALLOW);
	}
	f[n++] = RET(SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	prog.filter = f;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/* ---- Landlock -------------------------------------------------------------- */

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
static int
allow(int rfd, const char *path, uint64_t access)
{
	struct ll_path_beneath_attr pb;
	struct stat sb;
	int fd, rc;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		return 0;
	memset(&pb, 0, sizeof(pb));
	/* Directory rights only on directories (else EINVAL). */
	if (fstat(fd, &sb) != 0 || !S_ISDIR(sb.st_mode))
		access &= LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE |
		    LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	pb.allowed_access = access;
	pb.parent_fd = fd;
	rc = (int)syscall(SYS_landlock_add_rule, rfd, LL_RULE_PATH_BENEATH,
	    &pb, 0);
	close(fd);
	return rc;
}

/*
 * Landlock, with everything the kernel's ABI can handle: every filesystem
 * write only beneath the scratch directory (and /dev/null), never a device
 * node; reads and execution only beneath it and read_dirs.  TCP: no bind,
 * and connect only to the allowed ports (ABI 4).  Scoped (ABI 6): no
 * abstract Unix socket and no signal outside the sandbox.  The code image,
 * a memfd on the kernel's internal mount, is outside Landlock's reach: it
 * still runs, and a #! interpreter still reads it through /dev/fd/3.
 */
static int
install_landlock(const struct ccc_confine *c)
{
	const struct ccc_sandbox_limits *lim = c->lim;
	struct ll_ruleset_attr ra;
	struct ll_net_port_attr np;
	uint64_t w, r = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
	size_t i;
	int rfd, rc = -1;

	if (c->abi < 1)
		return -1;
	w = LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |
	    LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK |
	    LL_FS_MAKE_FIFO | LL_FS_MAKE_SYM;
	memset(&ra, 0, sizeof(ra));
	/* MAKE_CHAR and MAKE_BLOCK are handled and allowed nowhere. */
	ra.handled_access_fs = w | r | LL_FS_MAKE_CHAR | LL_FS_MAKE_BLOCK;
	if (c->abi >= 2)
		w |= LL_FS_REFER;
	if (c->abi >= 3)
		w |= LL_FS_TRUNCATE;
	if (c->abi >= 5)
		ra.handled_access_fs |= LL_FS_IOCTL_DEV;
	ra.handled_access_fs |= w;
	if (c->abi >= 4)
		ra.handled_access_net = LL_NET_BIND_TCP |
		    (lim->network && lim->any_port ? 0 : LL_NET_CONNECT_TCP);
	if (c->abi >= 6)
		ra.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
	if ((rfd = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra),
	    0)) < 0)
		return -1;
	if (allow(rfd, c->scratch, w | r) != 0)
		goto out;
	for (i = 0; i < sizeof(read_dirs) / sizeof(read_dirs[0]); i++)
		if (!(lim->deterministic && strstr(read_dirs[i], "random")) &&
		    allow(rfd, read_dirs[i], r) != 0)
			goto out;
	/* Its own /proc entry (the pid the code keeps), none of another's. */
	if (allow(rfd, "/proc/self", r) != 0 ||
	    allow(rfd, "/dev/null", LL_FS_READ_FILE | LL_FS_WRITE_FILE) != 0)
		goto out;
	for (i = 0; lim->network && c->abi >= 4 && i < lim->nports; i++) {
		np.allowed_access = LL_NET_CONNECT_TCP;
		np.port = lim->ports[i];
		if (syscall(SYS_landlock_add_rule, rfd, LL_RULE_NET_PORT, &np,
		    0) != 0)
			goto out;
	}
	rc = (int)syscall(SYS_landlock_restrict_self, rfd, 0);
out:
	close(rfd);
	return rc;
}

/* ---- mounts ---------------------------------------------------------------- */

unsigned
ccc_confine_mounts(const struct ccc_confine *c, bool pidns)
{
	char opt[160];
	unsigned missing = 0;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return CCC_SANDBOX_NO_SCRATCH_CAP | CCC_SANDBOX_NO_PROC;
	snprintf(opt, sizeof(opt), "size=%llu,nr_inodes=%u,mode=0700,uid=%u,"
	    "gid=%u", (unsigned long long)c->lim->scratch_bytes,
	    CCC_SANDBOX_SCRATCH_INODES, (unsigned)c->uid, (unsigned)c->gid);
	if (mount("ccc-scratch", c->scratch, "tmpfs", MS_NOSUID | MS_NODEV,
	    opt) != 0)
		missing |= CCC_SANDBOX_NO_SCRATCH_CAP;
	if (pidns && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, NULL) != 0)
		missing |= CCC_SANDBOX_NO_PROC;
	return missing;
}

/* ---- the program ------------------------------------------------------------ */

static void
limit(int res, uint64_t v)
{
	struct rlimit rl = { (rlim_t)v, (rlim_t)v };

	(void)setrlimit(res, &rl);
}

/* Its own ids, no capability in any set, none to regain. */
static int
drop_privileges(const struct ccc_confine *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int cap;

	/* The bounding set needs CAP_SETPCAP: without it, there is no
	 * capability to drop (an unprivileged run without namespaces). */
	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 &&
		    errno != EINVAL && errno != EPERM)
			return -1;
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (c->drop_groups && setgroups(0, NULL) != 0)
		return -1;
	if (c->set_ids && (setresgid(c->gid, c->gid, c->gid) != 0 ||
	    setresuid(c->uid, c->uid, c->uid) != 0))
		return -1;
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) != 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

void
ccc_confine_exec(const struct ccc_confine *c, int codefd, int in, int out)
{
	const struct ccc_sandbox_limits *lim = c->lim;
	char *argv[] = { "ccc-code", NULL }, *envp[] = { NULL };
	int devnull;

	devnull = open("/dev/null", O_WRONLY);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || devnull < 0 ||
	    dup2(devnull, 2) < 0 || dup2(codefd, 3) < 0)
		_exit(126);
	/* Nothing of ours stays open in the code but 0-3. */
	(void)syscall(SYS_close_range, 4U, ~0U, 0U);
	if (chdir(c->scratch) != 0)
		_exit(126);
	limit(RLIMIT_CPU, lim->cpu_seconds);
	limit(RLIMIT_AS, lim->mem_bytes);
	limit(RLIMIT_FSIZE, lim->file_bytes);
	limit(RLIMIT_NOFILE, 64);
	limit(RLIMIT_CORE, 0);
	limit(RLIMIT_NPROC, lim->procs + 1 + (c->init_same_uid ? 1 : 0));
	if (drop_privileges(c) != 0 || install_landlock(c) != 0 ||
	    install_seccomp(lim->network, lim->deterministic) != 0)
		_exit(126);
	(void)syscall(SYS_execveat, 3, "", argv, envp, AT_EMPTY_PATH);
	_exit(127);
}
