/*
 * Escape attempts from ccc-enclave-run's sandbox, for tests/cli/sandbox.bats
 * only (compiled there with the system's cc, without sanitizers: it runs as
 * a measured program under the sandbox's memory limit).
 *
 * As the program, it reads its whole input (stdin), finds the line
 * "cmd:NAME [ARG]" in it (the test's plaintext), tries NAME and prints
 * what happened, one line per attempt ("what: ok" or "what: <strerror>"):
 *
 *   unix PATH      socket(AF_UNIX) and connect to PATH (@NAME: abstract),
 *                  then send the whole input there
 *   tcp PORT       the same to 127.0.0.1:PORT
 *   udp PORT       a UDP datagram of the input to 127.0.0.1:PORT
 *   kill PID       SIGKILL to PID
 *   mknod          a block device of the disk holding /, and /dev/mem
 *   caps           the Uid, Gid and Cap* lines of /proc/self/status
 *   bpf            create a one-entry BPF array map
 *   unshare        unshare a user namespace, then a network namespace
 *   read PATH      read PATH
 *   ptrace         attach to the parent
 *   fork N         fork up to N children that wait; print how many
 *   setsid ARG     a double-forked, setsid child running "sleep ARG"
 *   fill N         write 1 MiB blocks into scratch files, up to N MiB
 *
 * Outside the sandbox (from the test), listeners that store what they
 * receive on one connection:
 *
 *   sandbox-escape listen-unix PATH READY OUT   (@NAME: abstract)
 *   sandbox-escape listen-tcp READY OUT         (READY gets the port)
 *   sandbox-escape landlock-abi                 (the kernel's Landlock ABI)
 *
 * And a kernel without some namespaces, for the fallbacks: run PROG with
 * clone() failing (EPERM) when its flags have any bit of MASK (hex):
 *
 *   sandbox-escape deny-clone MASK PROG [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

static char input[1 << 16];
static size_t input_len;

static void
say(const char *what, int rc)
{
	printf("%s: %s\n", what, rc == 0 ? "ok" : strerror(errno));
}

static socklen_t
unix_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	strncpy(sa->sun_path, path, sizeof(sa->sun_path) - 1);
	if (path[0] == '@')
		sa->sun_path[0] = '\0';	/* abstract */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path));
}

static void
send_to(int domain, const struct sockaddr *sa, socklen_t len)
{
	int s;

	if ((s = socket(domain, SOCK_STREAM, 0)) < 0) {
		say("socket", -1);
		return;
	}
	if (connect(s, sa, len) != 0) {
		say("connect", -1);
		return;
	}
	printf("sent: %zd\n", write(s, input, input_len));
	close(s);
}

static void
try_mknod(void)
{
	struct stat sb;
	char b[512];
	int fd;

	if (stat("/", &sb) != 0) {
		say("stat", -1);
		return;
	}
	if (mknod("disk", S_IFBLK | 0600, sb.st_dev) != 0) {
		say("mknod block", -1);
	} else if ((fd = open("disk", O_RDONLY)) < 0) {
		say("mknod block: open", -1);
	} else {
		printf("mknod block: read %zd\n", read(fd, b, sizeof(b)));
		close(fd);
	}
	say("mknod char", mknod("mem", S_IFCHR | 0600, makedev(1, 1)));
}

static void
caps(void)
{
	char line[256];
	FILE *f;

	if ((f = fopen("/proc/self/status", "r")) == NULL) {
		say("status", -1);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Cap", 3) == 0 ||
		    strncmp(line, "Uid:", 4) == 0 ||
		    strncmp(line, "Gid:", 4) == 0)
			fputs(line, stdout);
	fclose(f);
}

static void
bpf_map(void)
{
	/* union bpf_attr for BPF_MAP_CREATE: type, key, value, entries. */
	uint32_t attr[32];

	memset(attr, 0, sizeof(attr));
	attr[0] = 2;	/* BPF_MAP_TYPE_ARRAY */
	attr[1] = 4;
	attr[2] = 4;
	attr[3] = 1;
	say("bpf", syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, attr,
	    sizeof(attr)) < 0 ? -1 : 0);
}

static void
forks(long n)
{
	long i;
	pid_t p;

	for (i = 0; i < n; i++) {
		if ((p = fork()) < 0)
			break;
		if (p == 0) {
			pause();
			_exit(0);
		}
	}
	printf("forked %ld: %s\n", i, i == n ? "all" : strerror(errno));
}

static void
outlive(const char *arg)
{
	pid_t p;
	int st, fd;

	if ((p = fork()) < 0) {
		say("fork", -1);
		return;
	}
	if (p == 0) {
		(void)setsid();
		if (fork() == 0) {
			/* Not holding the output pipe: the run ends at once. */
			fd = open("/dev/null", O_RDWR);
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			execl("/bin/sleep", "sleep", arg, (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	(void)waitpid(p, &st, 0);
	printf("setsid: started\n");
}

static void
fill(long mib)
{
	static char block[1 << 20];
	char name[32];
	long long total = 0;
	long i;
	ssize_t w = 0;
	int fd = -1;

	memset(block, 'x', sizeof(block));
	for (i = 0; i < mib; i++) {
		if (i % 4 == 0) {	/* 4 MiB files: under files-max */
			if (fd >= 0)
				close(fd);
			snprintf(name, sizeof(name), "fill%ld", i / 4);
			if ((fd = open(name, O_WRONLY | O_CREAT | O_TRUNC,
			    0600)) < 0)
				break;
		}
		if ((w = write(fd, block, sizeof(block))) > 0)
			total += w;
		if (w != (ssize_t)sizeof(block))
			break;
	}
	if (i == mib)
		printf("fill: wrote %lld\n", total);
	else
		printf("fill: wrote %lld: %s\n", total,
		    w >= 0 && fd >= 0 ? "short write" : strerror(errno));
}

static int
program(void)
{
	struct sockaddr_un su;
	struct sockaddr_in si;
	char *cmd, *arg, *nl;
	ssize_t r;
	int fd;

	while ((r = read(0, input + input_len, sizeof(input) - input_len)) > 0)
		input_len += (size_t)r;
	if ((cmd = memmem(input, input_len, "cmd:", 4)) == NULL)
		return 2;
	cmd += 4;
	if ((nl = memchr(cmd, '\n', input_len - (size_t)(cmd - input))) ==
	    NULL)
		return 2;
	*nl = '\0';
	if ((arg = strchr(cmd, ' ')) != NULL)
		*arg++ = '\0';
	else
		arg = "";
	if (strcmp(cmd, "unix") == 0) {
		send_to(AF_UNIX, (struct sockaddr *)&su, unix_addr(&su, arg));
	} else if (strcmp(cmd, "tcp") == 0) {
		memset(&si, 0, sizeof(si));
		si.sin_family = AF_INET;
		si.sin_port = htons((uint16_t)atoi(arg));
		si.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		send_to(AF_INET, (struct sockaddr *)&si, sizeof(si));
	} else if (strcmp(cmd, "udp") == 0) {
		memset(&si, 0, sizeof(si));
		si.sin_family = AF_INET;
		si.sin_port = htons((uint16_t)atoi(arg));
		si.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
			say("socket", -1);
		else
			printf("sent: %zd\n", sendto(fd, input, input_len, 0,
			    (struct sockaddr *)&si, sizeof(si)));
	} else if (strcmp(cmd, "kill") == 0) {
		say("kill", kill((pid_t)atol(arg), SIGKILL));
	} else if (strcmp(cmd, "mknod") == 0) {
		try_mknod();
	} else if (strcmp(cmd, "caps") == 0) {
		caps();
	} else if (strcmp(cmd, "bpf") == 0) {
		bpf_map();
	} else if (strcmp(cmd, "unshare") == 0) {
		say("unshare user", unshare(CLONE_NEWUSER));
		say("unshare net", unshare(CLONE_NEWNET));
	} else if (strcmp(cmd, "read") == 0) {
		char b[64];
		if ((fd = open(arg, O_RDONLY)) < 0)
			say("read", -1);
		else
			printf("read: %zd bytes\n", read(fd, b, sizeof(b)));
	} else if (strcmp(cmd, "ptrace") == 0) {
		say("ptrace", ptrace(PTRACE_ATTACH, getppid(), 0, 0) < 0 ?
		    -1 : 0);
	} else if (strcmp(cmd, "fork") == 0) {
		forks(atol(arg));
	} else if (strcmp(cmd, "setsid") == 0) {
		outlive(arg);
	} else if (strcmp(cmd, "fill") == 0) {
		fill(atol(arg));
	} else {
		return 2;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Accept one connection on s, store what it sends in out. */
static int
serve(int s, const char *ready, const char *port, const char *out)
{
	char b[4096];
	ssize_t r;
	int c, o, fd;

	if (listen(s, 1) != 0)
		return 1;
	/* One line on ready (the test's FIFO): listening, on this port. */
	if ((fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, port, strlen(port)) < 0 || write(fd, "\n", 1) != 1 ||
	    close(fd) != 0)
		return 1;
	if ((c = accept(s, NULL, NULL)) < 0 ||
	    (o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return 1;
	while ((r = read(c, b, sizeof(b))) > 0)
		if (write(o, b, (size_t)r) != r)
			return 1;
	return close(o) == 0 ? 0 : 1;
}

static int
deny_clone(unsigned mask, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return 1;
	execvp(argv[0], argv);
	return 127;
}

int
main(int argc, char **argv)
{
	struct sockaddr_un su;
	struct sockaddr_in si;
	socklen_t len = sizeof(si);
	char port[16];
	int s;

	if (argc == 5 && strcmp(argv[1], "listen-unix") == 0) {
		if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		    bind(s, (struct sockaddr *)&su, unix_addr(&su, argv[2])) !=
		    0)
			return 1;
		return serve(s, argv[3], "", argv[4]);
	}
	if (argc == 4 && strcmp(argv[1], "listen-tcp") == 0) {
		memset(&si, 0, sizeof(si));
		si.sin_family = AF_INET;
		si.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    bind(s, (struct sockaddr *)&si, sizeof(si)) != 0 ||
		    getsockname(s, (struct sockaddr *)&si, &len) != 0)
			return 1;
		snprintf(port, sizeof(port), "%u", ntohs(si.sin_port));
		return serve(s, argv[2], port, argv[3]);
	}
	if (argc > 3 && strcmp(argv[1], "deny-clone") == 0)
		return deny_clone((unsigned)strtoul(argv[2], NULL, 16),
		    argv + 3);
	if (argc == 2 && strcmp(argv[1], "landlock-abi") == 0) {
		/* landlock_create_ruleset(NULL, 0, VERSION) */
		printf("%ld\n", syscall(444, NULL, 0, 1U));
		return 0;
	}
	if (argc > 1)
		return 2;
	return program();
}
