/*
 * ccc-bench's batch rows: sequences of items through the tools' batch
 * modes (--seq, -j) and one certified request of many ciphertexts, as
 * whole processes: CPU time per item on one CPU against the single
 * operations' floors, wall time with every CPU, and peak memory.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "bench.h"

/* The peak RSS (VmHWM) of a stopped process, in KiB; -1 if unknown. */
static long
vm_hwm(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * Run tool with args, stdin from in, stdout to out: wall seconds, the
 * child's CPU seconds (user + system, its threads included) into *cpu
 * unless NULL, and its peak RSS in KiB into *rss.  The peak is read from /proc when
 * the child stops at its exit (ptrace): wait4's ru_maxrss would also count
 * the parent's pages that the child had before its exec.
 */
static double
run_tool(const char *tool, char *const args[], const char *in,
    const char *out, long *rss, double *cpu)
{
	struct rusage ru;
	char *envp[] = { NULL };
	double t0;
	pid_t pid;
	int st, fd, traced = 0;

	*rss = -1;
	t0 = bench_wall();
	if ((pid = fork()) == 0) {
		(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		if ((fd = open(in, O_RDONLY)) < 0 || dup2(fd, 0) < 0 ||
		    (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
		    dup2(fd, 1) < 0)
			_exit(127);
		execve(tool, args, envp);
		_exit(127);
	}
	for (;;) {
		if (pid < 0 || wait4(pid, &st, 0, &ru) != pid)
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (!WIFSTOPPED(st))
			continue;
		if (!traced && WSTOPSIG(st) == SIGTRAP) {
			/* Stopped at its exec: ask for a stop at its exit. */
			traced = 1;
			(void)ptrace(PTRACE_SETOPTIONS, pid, NULL,
			    (void *)(long)PTRACE_O_TRACEEXIT);
			(void)ptrace(PTRACE_CONT, pid, NULL, NULL);
		} else if (st >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			*rss = vm_hwm(pid);
			(void)ptrace(PTRACE_CONT, pid, NULL, NULL);
		} else
			(void)ptrace(PTRACE_CONT, pid, NULL,
			    (void *)(long)WSTOPSIG(st));
	}
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "ccc-bench: %s failed\n", tool);
		exit(2);
	}
	if (*rss < 0)
		*rss = ru.ru_maxrss;
	if (cpu != NULL)
		*cpu = bench_ru_cpu(&ru);
	return bench_wall() - t0;
}

struct batch_row {
	const char *tool;
	double us, floor;	/* per item, one thread */
	double us2;		/* per item, -j 0 (every CPU) */
	long rss, rss2;
};

static void
batch_print(long n, const struct batch_row *r)
{
	printf("  %-8ld %-12s %9.1f %6.2fx %9ld %9.1f %6.2fx %9ld\n", n,
	    r->tool, r->us, r->us / r->floor, r->rss, r->us2, r->us / r->us2,
	    r->rss2);
}

/* Run a set-up step (output to /dev/null); exits if it fails. */
static void
step(char *const argv[])
{
	long rss;

	(void)run_tool(argv[0], argv, "/dev/null", "/dev/null", &rss, NULL);
}

/*
 * The oracle, the attestation root, the enclave and its pool of the
 * request rows, in the current directory: what tests/cli/helpers.bash's
 * oracle_fixtures makes, with one oracle and a roster of quorum 1.
 */
static int
request_fixtures(char *kg, char *qs, char *er)
{
	char nb[24], na[24];
	FILE *f;

	snprintf(nb, sizeof(nb), "%lld", (long long)time(NULL) - 3600);
	snprintf(na, sizeof(na), "%lld", (long long)time(NULL) + 86400);
	step((char *[]){ kg, "identity", "-o", "o.key", "-p", "o.pub", "-N",
	    "oracle", NULL });
	step((char *[]){ qs, "roster", "-q", "1", "-N", "bench",
	    "--not-before", nb, "--not-after", na, "-o", "roster", "o.pub",
	    NULL });
	step((char *[]){ kg, "attest-root", "-o", "aroot.key", "-p",
	    "aroot.pem", "-N", "bench-root", NULL });
	step((char *[]){ kg, "enclave-cert", "-r", "aroot.key", "-o", "enc.key",
	    "-p", "enc.pem", "-N", "enclave-1", NULL });
	if ((f = fopen("attest.policy", "w")) == NULL)
		return -1;
	fputs("ccc-attest-policy 1\nroot software aroot.pem bench-root\n"
	    "measurements any\nallow-software yes\nmax-age 316224000\n", f);
	if (fclose(f) != 0)
		return -1;
	step((char *[]){ qs, "pool", "-N", "pool", "-o", "pool.blob",
	    "enc.pem,operator=bench,name=enclave-1", NULL });
	step((char *[]){ qs, "sign", "-i", "o.key", "-o", "pool.o",
	    "pool.blob", NULL });
	step((char *[]){ qs, "combine", "-r", "roster", "-b", "pool.blob", "-o",
	    "pool", "pool.o", NULL });
	step((char *[]){ er, "keygen", "-a", "enc.key", "-s", "ek", "-o",
	    "epub", "-E", "604800", NULL });
	return 0;
}

/*
 * Request mode: the same N ciphertexts in one certified request (app
 * "bench", one oracle, quorum 1), served by ccc-reencrypt -r -j 0: wall
 * time per ciphertext (every CPU) and peak RSS, or -1.  dir holds key/
 * (the 2-of-3 key) and ct.seq; the fixtures are made on the first call.
 */
static long
request_row(const char *dir, long n, double *us)
{
	char qs[PATH_MAX], kg[PATH_MAX], re[PATH_MAX], er[PATH_MAX];
	char st[32];
	static const char meas[] = "00000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000";
	long rss = -1;
	double t;
	int here;

	if (bench_path(qs, sizeof(qs), "cmd", "ccc-quorum-sign") ||
	    bench_path(kg, sizeof(kg), "cmd", "ccc-keygen") ||
	    bench_path(re, sizeof(re), "cmd", "ccc-reencrypt") ||
	    bench_path(er, sizeof(er), "cmd", "ccc-enclave-run") ||
	    (here = open(".", O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	if (chdir(dir) != 0)
		goto out;
	if (access("roster", F_OK) != 0 && request_fixtures(kg, qs, er) != 0)
		goto out;
	snprintf(st, sizeof(st), "state-%ld", n);
	step((char *[]){ qs, "request", "-a", "bench", "-m", (char *)meas,
	    "-k", "key/tpk.cbor", "-r", "roster", "-P", "pool", "-K", "epub",
	    "-E", "3600", "-o", "req", "-f", "ct.seq", NULL });
	step((char *[]){ qs, "sign", "-i", "o.key", "-k", "key/tpk.cbor", "-A",
	    "attest.policy", "-r", "roster", "-P", "pool", "-o", "sig", "-f",
	    "req", NULL });
	step((char *[]){ qs, "combine", "-r", "roster", "-c", "req", "-o",
	    "cert", "-f", "sig", NULL });
	t = run_tool(re, (char *[]){ re, "-s", "key/share-1.cbor", "-k",
	    "key/tpk.cbor", "-r", "roster", "-A", "attest.policy", "-P", "pool",
	    "-d", st, "-j", "0", "cert", NULL }, "/dev/null", "/dev/null", &rss,
	    NULL);
	*us = t / n * 1e6;
out:
	if (fchdir(here) != 0)
		rss = -1;
	close(here);
	return rss;
}

/*
 * Batch mode: sequences of N = 10, 1,000, 100,000 items through
 * ccc-encrypt --seq, ccc-reencrypt (the ciphertexts on stdin) and
 * ccc-combine --seq of a 2-of-3 key, on one CPU and with -j 0 on all of
 * them: time per item against the per-operation floor, the speed-up, and
 * the peak RSS, which must not grow with N.
 */
int
bench_batch(long max)
{
	char dir[] = "/tmp/ccc-bench-XXXXXX", path[9][PATH_MAX];
	char kg[PATH_MAX], enc[PATH_MAX], re[PATH_MAX], co[PATH_MAX];
	struct batch_row r[3];
	long n, rss, rss_first[3] = { 0, 0, 0 }, req_rss, req_first = 0;
	double req_us, cpu, enc_floor, share_floor, comb_floor;
	int bad = 0, k, ncpu;
	FILE *f;

	/*
	 * Per item: encrypt; reencrypt verifies and shares; combine of a
	 * 2-of-3 key verifies the ciphertext and two shares and combines
	 * two (a two-point multiplication).
	 */
	enc_floor = bench_floor_us("encrypt (TDH2 of the 32-byte key)");
	share_floor = bench_floor_us("ciphertext verify") +
	    bench_floor_us("decryption share");
	comb_floor = bench_floor_us("ciphertext verify") +
	    2 * bench_floor_us("share verify") + bench_time(bench_D2, NULL);

	if (mkdtemp(dir) == NULL ||
	    bench_path(kg, sizeof(kg), "cmd", "ccc-keygen") ||
	    bench_path(enc, sizeof(enc), "cmd", "ccc-encrypt") ||
	    bench_path(re, sizeof(re), "cmd", "ccc-reencrypt") ||
	    bench_path(co, sizeof(co), "cmd", "ccc-combine"))
		return 0;
	snprintf(path[0], PATH_MAX, "%s/key", dir);
	snprintf(path[1], PATH_MAX, "%s/key/tpk.cbor", dir);
	snprintf(path[2], PATH_MAX, "%s/rcpt.key", dir);
	snprintf(path[3], PATH_MAX, "%s/rcpt.pub", dir);
	snprintf(path[4], PATH_MAX, "%s/in.seq", dir);
	snprintf(path[5], PATH_MAX, "%s/ct.seq", dir);
	snprintf(path[6], PATH_MAX, "%s/sealed.1", dir);
	snprintf(path[7], PATH_MAX, "%s/sealed.2", dir);
	snprintf(path[8], PATH_MAX, "%s/out.seq", dir);
	{
		char *a1[] = { kg, "dealer", "-t", "2", "-n", "3", "-d",
		    path[0], NULL };
		char *a2[] = { kg, "recipient", "-o", path[2], "-p", path[3],
		    NULL };
		(void)run_tool(kg, a1, "/dev/null", "/dev/null", &rss, NULL);
		(void)run_tool(kg, a2, "/dev/null", "/dev/null", &rss, NULL);
	}
	ncpu = bench_use_cpus(1);
	bench_use_cpus(0);
	printf("\nbatch mode (2-of-3 key, 32-byte items): CPU us per item and "
	    "its ratio to\nthe per-operation floor on one CPU; with -j 0 on %d "
	    "CPUs, wall us per item and\nthe speed-up; peak RSS\n", ncpu);
	printf("  %-8s %-12s %9s %7s %9s %9s %7s %9s\n", "items", "tool",
	    "us/item", "ratio", "RSS KiB", "-j us", "x", "RSS KiB");
	for (n = 10; n <= max; n *= 100) {
		char share1[PATH_MAX], share2[PATH_MAX];
		double t;
		long i;
		if ((f = fopen(path[4], "w")) == NULL)
			return 0;
		for (i = 0; i < n; i++) {
			uint8_t b[34];	/* a CBOR byte string of 32 bytes */
			b[0] = 0x58;
			b[1] = 32;
			randombytes_buf(b + 2, 32);
			fwrite(b, 1, sizeof(b), f);
		}
		fclose(f);
		snprintf(share1, sizeof(share1), "%s/key/share-1.cbor", dir);
		snprintf(share2, sizeof(share2), "%s/key/share-2.cbor", dir);
		{
			char *e1[] = { enc, "-k", path[1], "-l", "app:bench",
			    "--seq", "-j", "1", NULL };
			char *e2[] = { enc, "-k", path[1], "-l", "app:bench",
			    "--seq", "-j", "0", NULL };
			char *r1[] = { re, "-s", share1, "-k", path[1], "--to",
			    path[3], "-j", "1", NULL };
			char *r2[] = { re, "-s", share2, "-k", path[1], "--to",
			    path[3], "-j", "0", NULL };
			char *c1[] = { co, "-k", path[1], "-i", path[2],
			    "--seq", "-j", "1", path[6], path[7], NULL };
			char *c2[] = { co, "-k", path[1], "-i", path[2],
			    "--seq", "-j", "0", path[6], path[7], NULL };
			bench_use_cpus(0);
			r[0].tool = "encrypt";
			r[0].floor = enc_floor;
			(void)run_tool(enc, e1, path[4], path[5], &r[0].rss,
			    &cpu);
			r[0].us = cpu / n * 1e6;
			r[1].tool = "reencrypt";
			r[1].floor = share_floor;
			(void)run_tool(re, r1, path[5], path[6], &r[1].rss,
			    &cpu);
			r[1].us = cpu / n * 1e6;
			r[2].tool = "combine";
			r[2].floor = comb_floor;
			bench_use_cpus(1);
			t = run_tool(re, r2, path[5], path[7], &r[1].rss2, NULL);
			r[1].us2 = t / n * 1e6;
			bench_use_cpus(0);
			(void)run_tool(co, c1, path[5], path[8], &r[2].rss,
			    &cpu);
			r[2].us = cpu / n * 1e6;
			bench_use_cpus(1);
			t = run_tool(co, c2, path[5], path[8], &r[2].rss2, NULL);
			r[2].us2 = t / n * 1e6;
			t = run_tool(enc, e2, path[4], path[5], &r[0].rss2, NULL);
			r[0].us2 = t / n * 1e6;
			bench_use_cpus(0);
		}
		/* The request rows use every CPU too. */
		bench_use_cpus(1);
		req_rss = request_row(dir, n, &req_us);
		bench_use_cpus(0);
		for (k = 0; k < 3; k++) {
			long top = r[k].rss > r[k].rss2 ? r[k].rss : r[k].rss2;
			batch_print(n, &r[k]);
			/* Per core within 1.25x of the floor, past start-up. */
			if (n >= 1000 && bench_over(r[k].tool,
			    r[k].us / r[k].floor, 1.25)) {
				printf(": %s over 1.25x of its floor\n",
				    r[k].tool);
				bad++;
			}
			/*
			 * Constant memory: the peak may not grow by more than
			 * 2 MiB from one N to the next, 4 MiB from 10 (fewer
			 * than one batch) to 1,000 (full batches).
			 */
			if (n > 10 && top > rss_first[k] + (n == 1000 ?
			    4096 : 2048)) {
				printf("  ^ %s: peak RSS grew from %ld KiB\n",
				    r[k].tool, rss_first[k]);
				bad++;
			}
			rss_first[k] = top;
		}
		if (req_rss >= 0) {
			printf("  %-8ld %-12s %9s %7s %9s %9.1f %7s %9ld\n", n,
			    "reencrypt -r", "", "", "", req_us, "", req_rss);
			if (n > 10 && req_rss > req_first + (n == 1000 ?
			    4096 : 2048)) {
				printf("  ^ reencrypt -r: peak RSS grew from %ld "
				    "KiB\n", req_first);
				bad++;
			}
			req_first = req_rss;
		}
	}
	printf("  (encrypt builds per-key tables past 512 items, hence its "
	    "ratio under 1;\n  reencrypt and combine build theirs from "
	    "4,096 and 1,024 ciphertexts;\n  reencrypt -r serves the same "
	    "ciphertexts in one certified request)\n");
	snprintf(path[0], sizeof(path[0]), "rm -rf '%s'", dir);
	if (system(path[0]) != 0)
		return bad;
	return bad;
}

