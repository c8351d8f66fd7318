/*
 * ccc-bench: TDH2 on P-256, one core.  Each operation is reported next to
 * the cost of the raw OpenSSL group operations it cannot avoid, measured in
 * the same run, so the ratio says how close ccc is to that floor whatever
 * the machine.  Figures are the median of RUNS runs, each calibrated to
 * last about RUN_SECONDS.  Not a test: it reports.  With --check it exits
 * 1 when an operation's ratio exceeds its target by more than the margin
 * (for release checks; noisy CI machines should not run it).
 *
 *   floor names: F fixed-base mult, V variable-base mult, D = aG + bP,
 *   D2 = aP + bQ, MSMk = k-point multi-mult, X = X25519.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spawn.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <signal.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <unistd.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "coin.h"
#include "h2c.h"
#include "bench.h"
#include "hash.h"
#include "hpke.h"
#include "keys.h"
#include "seal.h"
#include "tdh2.h"

#define RUNS 7
static double run_seconds = 0.15;

typedef void (*op_fn)(void *);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median microseconds per call of fn(arg). */
static double
measure(op_fn fn, void *arg)
{
	double t0, per[RUNS], el;
	long iters = 1, i;
	int r;

	for (;;) {	/* calibrate */
		t0 = now();
		for (i = 0; i < iters; i++)
			fn(arg);
		el = now() - t0;
		if (el > run_seconds / 4)
			break;
		iters *= 2;
	}
	iters = (long)(iters * (run_seconds / el)) + 1;
	for (r = 0; r < RUNS; r++) {
		t0 = now();
		for (i = 0; i < iters; i++)
			fn(arg);
		per[r] = (now() - t0) / (double)iters * 1e6;
	}
	qsort(per, RUNS, sizeof(per[0]), cmpd);
	return per[RUNS / 2];
}

/* ---- state shared by the measured functions ---------------------------- */

static struct ccc_ec *ec;
static struct ccc_tdh2_pub pub5, pub11;
static BIGNUM *x5[7], *x11[16];
static struct ccc_tdh2_ct ct5, ct11;
static struct ccc_tdh2_dshare ds5[7], ds11[16];
static const struct ccc_tdh2_dshare *sel5[5], *sel11[11];
static uint8_t bind5[32], m32[32], lab[32], out32[32];
static BIGNUM *sa, *sb, *msm_s[11];
static EC_POINT *pa, *pb, *pr, *msm_p[11];
static uint8_t *payload;
static size_t payload_len;
static struct ccc_buf ctbuf;
static uint8_t rsk[32], rpk[32], henc[32];

static void f_F(void *a) { (void)a; EC_POINT_mul(ec->group, pr, sa, NULL, NULL, ec->bn); }
static void f_V(void *a) { (void)a; EC_POINT_mul(ec->group, pr, NULL, pa, sa, ec->bn); }
static void f_D(void *a) { (void)a; EC_POINT_mul(ec->group, pr, sa, pa, sb, ec->bn); }
static void f_D2(void *a)
{
	const EC_POINT *p[2] = { pa, pb };
	const BIGNUM *s[2] = { sa, sb };
	(void)a;
	EC_POINTs_mul(ec->group, pr, NULL, 2, p, s, ec->bn);
}
static void f_MSM(void *a)
{
	EC_POINTs_mul(ec->group, pr, NULL, (size_t)(long)a,
	    (const EC_POINT **)msm_p, (const BIGNUM **)msm_s, ec->bn);
}
static uint8_t enc65[65], sha_in[400], sha_out[32];
static EC_POINT *pd;
static BIGNUM *smp, *lam[11];
static uint32_t xs[11] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static struct ccc_buf bigct;
static void f_ENC(void *a) { (void)a; EC_POINT_mul(ec->group, pr, NULL, pa, sa, ec->bn); EC_POINT_point2oct(ec->group, pr, POINT_CONVERSION_UNCOMPRESSED, enc65, 65, ec->bn); }
static void f_DEC(void *a) { (void)a; EC_POINT_oct2point(ec->group, pd, enc65, 65, ec->bn); }
static void f_SHA(void *a) { (void)a; ccc_sha256(sha_out, sha_in, sizeof(sha_in)); }
static void f_SMP(void *a) { (void)a; if (ccc_ec_scalar_random(ec, smp) != 0) abort(); }
static void f_LAG(void *a) { if (ccc_tdh2_lagrange(ec, lam, xs, (size_t)(long)a) != 0) abort(); }
static void f_AES(void *a)
{
	EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
	static uint8_t out[(1 << 20) + 16];
	uint8_t k[32] = { 0 }, iv[12] = { 0 };
	int l;

	(void)a;
	if (cx == NULL || EVP_EncryptInit_ex(cx, EVP_aes_256_gcm(), NULL, k,
	    iv) != 1 || EVP_EncryptUpdate(cx, out, &l, payload, 1 << 20) != 1 ||
	    EVP_EncryptFinal_ex(cx, out + l, &l) != 1)
		abort();
	EVP_CIPHER_CTX_free(cx);
}

static void f_parse(void *a)
{
	struct ccc_ct ct;
	(void)a;
	if (ccc_ct_decode(&ct, bigct.p, bigct.len, 0, NULL) != 0)
		abort();
}
static char spawn_path[PATH_MAX];
static posix_spawn_file_actions_t spawn_quiet;	/* stdout to /dev/null */
static void f_spawn(void *a)
{
	char *argv[] = { spawn_path, (char *)a, NULL }, *envp[] = { NULL };
	pid_t pid;
	int st;

	if (posix_spawn(&pid, spawn_path, &spawn_quiet, NULL, argv,
	    envp) != 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		abort();
}

static void f_X(void *a) { uint8_t q[32]; (void)a; if (crypto_scalarmult(q, rsk, rpk) != 0)
		abort(); }
static void f_XB(void *a) { uint8_t q[32]; (void)a; crypto_scalarmult_base(q, rsk); }

static void f_tdh2_enc(void *a) { (void)a; if (ccc_tdh2_encrypt(ec, &ct5, &pub5, m32, lab, NULL) != 0)
		abort(); }
static void f_verify(void *a) { (void)a; if (ccc_tdh2_verify(ec, &pub5, &ct5, NULL) != 0)
		abort(); }
static void f_share(void *a)
{
	(void)a;
	if (ccc_tdh2_share(ec, &ds5[0], &pub5, x5[0], 1, &ct5, bind5, NULL) != 0)
		abort();
}
static void f_share_verify(void *a)
{
	(void)a;
	if (ccc_tdh2_share_verify(ec, &pub5, &ct5, &ds5[0], bind5, NULL) != 0)
		abort();
}
static void f_combine5(void *a) { (void)a; if (ccc_tdh2_combine(ec, out32, &pub5, &ct5, sel5, 5, NULL) != 0)
		abort(); }
static void f_combine11(void *a) { (void)a; if (ccc_tdh2_combine(ec, out32, &pub11, &ct11, sel11, 11, NULL) != 0)
		abort(); }
/* The public coin of one request (ccc-rand): a node's share, from the
 * request id, and the combination of 5 of them into the seed. */
static uint8_t rid5[32], seed32[32];
static struct ccc_coin coin5;
static struct ccc_tdh2_dshare cds5[5];
static const struct ccc_tdh2_dshare *csel5[5];
static void f_H2C(void *a)
{
	uint8_t o[65];
	(void)a;
	/* A coin's message: "public" || 0 || key id || epoch || request. */
	if (ccc_h2c_p256(o, sha_in, 7 + 32 + 8 + 32,
	    (const uint8_t *)CCC_COIN_DST, sizeof(CCC_COIN_DST) - 1) != 0)
		abort();
}
static void f_coin_share(void *a)
{
	struct ccc_coin c;
	(void)a;
	if (ccc_coin_init(&c, CCC_COIN_PUBLIC, &pub5, rid5, NULL) != 0 ||
	    ccc_coin_share(ec, &cds5[0], &pub5, x5[0], 1, &c, NULL) != 0)
		abort();
}
static void f_coin_combine5(void *a)
{
	(void)a;
	if (ccc_coin_combine(ec, seed32, NULL, &pub5, &coin5, csel5, 5,
	    NULL) != 0)
		abort();
}
static void
setup_coin(void)
{
	uint32_t i;

	randombytes_buf(rid5, 32);
	if (ccc_coin_init(&coin5, CCC_COIN_PUBLIC, &pub5, rid5, NULL) != 0)
		exit(2);
	for (i = 0; i < 5; i++) {
		if (ccc_coin_share(ec, &cds5[i], &pub5, x5[i], i + 1, &coin5,
		    NULL) != 0)
			exit(2);
		csel5[i] = &cds5[i];
	}
}

static void f_hybrid(void *a)
{
	(void)a;
	ctbuf.len = 0;
	if (ccc_ct_encrypt(ec, &ctbuf, &pub5, "bench", 5, payload,
	    payload_len, NULL) != 0)
		abort();
}
static void f_seal(void *a)
{
	struct ccc_hpke_ctx h;
	uint8_t c[CCC_SEALED_ELEM_BYTES], rec[CCC_SEALED_RECORD_BYTES] = { 0 };
	(void)a;
	if (ccc_hpke_setup_s(&h, henc, rpk, (const uint8_t *)"i", 1, NULL, 0) != 0)
		abort();
	if (ccc_hpke_seal(&h, c, NULL, 0, rec, sizeof(rec)) != 0)
		abort();
}
static void f_open(void *a)
{
	struct ccc_hpke_ctx h;
	(void)a;
	if (ccc_hpke_setup_r(&h, henc, rsk, (const uint8_t *)"i", 1) != 0)
		abort();
}

static void
setup_key(struct ccc_tdh2_pub *pub, BIGNUM **x, uint32_t t, uint32_t n,
    struct ccc_tdh2_ct *ct, struct ccc_tdh2_dshare *ds,
    const struct ccc_tdh2_dshare **sel)
{
	uint32_t i;

	if (ccc_tdh2_pub_alloc(ec, pub, n) != 0)
		exit(2);
	randombytes_buf(pub->key_id, 32);
	for (i = 0; i < n; i++)
		x[i] = BN_secure_new();
	if (ccc_tdh2_deal(ec, pub, x, t, NULL) != 0 ||
	    ccc_tdh2_encrypt(ec, ct, pub, m32, lab, NULL) != 0)
		exit(2);
	for (i = 0; i < n; i++) {
		if (ccc_tdh2_share(ec, &ds[i], pub, x[i], i + 1, ct, bind5,
		    NULL) != 0)
			exit(2);
		if (i < t)
			sel[i] = &ds[i];
	}
}

struct row {
	const char *name;
	op_fn fn;
	void *arg;
	const char *floor_desc;
	double floor_us;
	double target;		/* ratio target, 0 = none */
	double us;
};

static int nrows;
static struct row rows[32];

static void
row(const char *name, op_fn fn, void *arg, const char *fd, double fu,
    double target)
{
	struct row *r = &rows[nrows++];

	r->name = name;
	r->fn = fn;
	r->arg = arg;
	r->floor_desc = fd;
	r->floor_us = fu;
	r->target = target;
	r->us = measure(fn, arg);
}

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
 * Run tool with args, stdin from in, stdout to out: wall seconds, and the
 * child's peak RSS in KiB into *rss.  The peak is read from /proc when
 * the child stops at its exit (ptrace): wait4's ru_maxrss would also count
 * the parent's pages that the child had before its exec.
 */
static double
run_tool(const char *tool, char *const args[], const char *in,
    const char *out, long *rss)
{
	struct rusage ru;
	char *envp[] = { NULL };
	double t0;
	pid_t pid;
	int st, fd, traced = 0;

	*rss = -1;
	t0 = now();
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
	return now() - t0;
}

/* The tools sit in ../cmd beside bench/ in the build tree. */
static int
tool_path(char *out, size_t len, const char *tool)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -1;
	self[n] = '\0';
	snprintf(out, len, "%s/../cmd/%s", dirname(self), tool);
	return access(out, X_OK);
}

/*
 * Single-operation rows run on one CPU; the -j rows of the batch section
 * on every CPU the bench was allowed.  Children inherit the mask.
 */
static cpu_set_t cpus_all;

static void
use_cpus(int all)
{
	cpu_set_t one;
	int c;

	if (all) {
		(void)sched_setaffinity(0, sizeof(cpus_all), &cpus_all);
		return;
	}
	CPU_ZERO(&one);
	for (c = CPU_SETSIZE - 1; c >= 0; c--)
		if (CPU_ISSET(c, &cpus_all)) {
			CPU_SET(c, &one);
			break;
		}
	(void)sched_setaffinity(0, sizeof(one), &one);
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

/*
 * Request mode: the same N ciphertexts in one certified request (app
 * "bench", one oracle, quorum 1), served by ccc-reencrypt -r -j 0: time
 * per ciphertext and peak RSS.  dir holds key/ (the 2-of-3 key) and
 * ct.seq; the oracle and enclave keys are made on the first call.
 */
static long
request_row(const char *dir, long n, double *us)
{
	char qs[PATH_MAX], kg[PATH_MAX], re[PATH_MAX], p[12][PATH_MAX + 32];
	char nb[24], na[24], st[PATH_MAX + 32];
	static const char meas[] = "00000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000";
	long rss;
	double t;
	int i;

	if (tool_path(qs, sizeof(qs), "ccc-quorum-sign") ||
	    tool_path(kg, sizeof(kg), "ccc-keygen") ||
	    tool_path(re, sizeof(re), "ccc-reencrypt"))
		return -1;
	static const char *names[] = { "o.key", "o.pub", "enc.key", "enc.pub",
	    "ek", "epub", "roster", "req", "sig", "cert", "key/tpk.cbor",
	    "key/share-1.cbor" };
	for (i = 0; i < 12; i++)
		snprintf(p[i], sizeof(p[i]), "%s/%s", dir, names[i]);
	snprintf(st, sizeof(st), "%s/state-%ld", dir, n);
	if (access(p[6], F_OK) != 0) {
		char *a1[] = { kg, "identity", "-o", p[0], "-p", p[1], "-N",
		    "oracle", NULL };
		char *a2[] = { kg, "identity", "-o", p[2], "-p", p[3], "-N",
		    "enclave", NULL };
		char *a3[] = { kg, "recipient", "-o", p[4], "-p", p[5], NULL };
		char *a4[] = { qs, "roster", "-q", "1", "-N", "bench",
		    "--not-before", nb, "--not-after", na, "-o", p[6], p[1],
		    NULL };
		snprintf(nb, sizeof(nb), "%lld", (long long)time(NULL) - 3600);
		snprintf(na, sizeof(na), "%lld", (long long)time(NULL) + 86400);
		(void)run_tool(kg, a1, "/dev/null", "/dev/null", &rss);
		(void)run_tool(kg, a2, "/dev/null", "/dev/null", &rss);
		(void)run_tool(kg, a3, "/dev/null", "/dev/null", &rss);
		(void)run_tool(qs, a4, "/dev/null", "/dev/null", &rss);
	}
	{
		char ct[PATH_MAX + 32];
		char *a1[] = { qs, "request", "-a", "bench", "-m",
		    (char *)meas, "-k", p[10], "-e", p[3], "-K", p[5], "-E",
		    "3600", "-o", p[7], "-f", ct, NULL };
		char *a2[] = { qs, "sign", "-i", p[0], "-k", p[10], "-o", p[8],
		    "-f", p[7], NULL };
		char *a3[] = { qs, "combine", "-r", p[6], "-c", p[7], "-o",
		    p[9], "-f", p[8], NULL };
		char *a4[] = { re, "-s", p[11], "-k", p[10], "-r", p[6], "-d",
		    st, "-j", "0", p[9], NULL };
		snprintf(ct, sizeof(ct), "%s/ct.seq", dir);
		(void)run_tool(qs, a1, "/dev/null", "/dev/null", &rss);
		(void)run_tool(qs, a2, "/dev/null", "/dev/null", &rss);
		(void)run_tool(qs, a3, "/dev/null", "/dev/null", &rss);
		t = run_tool(re, a4, "/dev/null", "/dev/null", &rss);
	}
	*us = t / n * 1e6;
	return rss;
}

/*
 * Batch mode: sequences of N = 10, 1,000, 100,000 items through
 * ccc-encrypt --seq, ccc-reencrypt (the ciphertexts on stdin) and
 * ccc-combine --seq of a 2-of-3 key, on one CPU and with -j 0 on all of
 * them: time per item against the per-operation floor, the speed-up, and
 * the peak RSS, which must not grow with N.
 */
static int
batch_section(long max, double margin, double enc_floor, double share_floor,
    double comb_floor)
{
	char dir[] = "/tmp/ccc-bench-XXXXXX", path[9][PATH_MAX];
	char kg[PATH_MAX], enc[PATH_MAX], re[PATH_MAX], co[PATH_MAX];
	struct batch_row r[3];
	long n, rss, rss_first[3] = { 0, 0, 0 }, req_rss, req_first = 0;
	double req_us;
	int bad = 0, k;
	FILE *f;

	if (mkdtemp(dir) == NULL || tool_path(kg, sizeof(kg), "ccc-keygen") ||
	    tool_path(enc, sizeof(enc), "ccc-encrypt") ||
	    tool_path(re, sizeof(re), "ccc-reencrypt") ||
	    tool_path(co, sizeof(co), "ccc-combine"))
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
		(void)run_tool(kg, a1, "/dev/null", "/dev/null", &rss);
		(void)run_tool(kg, a2, "/dev/null", "/dev/null", &rss);
	}
	printf("\nbatch mode (2-of-3 key, 32-byte items): us per item and its "
	    "ratio to the\nper-operation floor on one CPU; with -j 0 on %d "
	    "CPUs and the speed-up; peak RSS\n", CPU_COUNT(&cpus_all));
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
			use_cpus(0);
			r[0].tool = "encrypt";
			r[0].floor = enc_floor;
			t = run_tool(enc, e1, path[4], path[5], &r[0].rss);
			r[0].us = t / n * 1e6;
			r[1].tool = "reencrypt";
			r[1].floor = share_floor;
			t = run_tool(re, r1, path[5], path[6], &r[1].rss);
			r[1].us = t / n * 1e6;
			r[2].tool = "combine";
			r[2].floor = comb_floor;
			use_cpus(1);
			t = run_tool(re, r2, path[5], path[7], &r[1].rss2);
			r[1].us2 = t / n * 1e6;
			use_cpus(0);
			t = run_tool(co, c1, path[5], path[8], &r[2].rss);
			r[2].us = t / n * 1e6;
			use_cpus(1);
			t = run_tool(co, c2, path[5], path[8], &r[2].rss2);
			r[2].us2 = t / n * 1e6;
			t = run_tool(enc, e2, path[4], path[5], &r[0].rss2);
			r[0].us2 = t / n * 1e6;
			use_cpus(0);
		}
		/* The request rows use every CPU too. */
		use_cpus(1);
		req_rss = request_row(dir, n, &req_us);
		use_cpus(0);
		for (k = 0; k < 3; k++) {
			long top = r[k].rss > r[k].rss2 ? r[k].rss : r[k].rss2;
			batch_print(n, &r[k]);
			/* Per core within 1.25x of the floor, past start-up. */
			if (n >= 1000 && r[k].us / r[k].floor > 1.25 *
			    (1 + margin)) {
				printf("  ^ %s: over 1.25x of its floor\n",
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

/*
 * One ccc-flow run in dir/NAME on the input dir/in, with --time and the
 * extra arguments: its wall and CPU time (its children's, getrusage), or
 * -1.  Its step times stay in dir/NAME.err.
 */
static int
flow_run(const char *flow, const char *dir, const char *name,
    char *const *extra, double *wall, double *cpu)
{
	char in[PATH_MAX + 8], work[PATH_MAX + 64], err[PATH_MAX + 64];
	char *argv[16];
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	struct rusage r0, r1;
	struct timespec t0, t1;
	pid_t pid;
	int st, n = 0, ok;

	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(work, sizeof(work), "%s/%s", dir, name);
	snprintf(err, sizeof(err), "%s/%s.err", dir, name);
	argv[n++] = (char *)flow;
	argv[n++] = "-d";
	argv[n++] = work;
	argv[n++] = "-i";
	argv[n++] = in;
	argv[n++] = "--time";
	while (*extra != NULL && n < 15)
		argv[n++] = *extra++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT |
	    O_TRUNC, 0600);
	getrusage(RUSAGE_CHILDREN, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* ccc-flow finds the tools beside itself; PATH for the rest. */
	ok = posix_spawn(&pid, flow, &fa, NULL, argv, envp) == 0 &&
	    waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_CHILDREN, &r1);
	posix_spawn_file_actions_destroy(&fa);
	if (!ok) {
		printf("\nccc-flow failed; see %s\n", err);
		return -1;
	}
	*wall = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	*cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec +
	    r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
	    (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec +
	    r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
	return 0;
}

/* The step times ccc-flow --time wrote to dir/NAME.err. */
static void
flow_steps(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.err", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "ccc-flow: time: ", 16) == 0)
			printf("  %s", line + 16);
	fclose(f);
}

/* Steps 1-7 of the last run in dir/NAME.err, in ms (0 if not found). */
static double
flow_request_ms(const char *dir, const char *name)
{
	static const char tag[] = "ccc-flow: time: request (steps 1-7): ";
	char path[PATH_MAX + 64], line[256];
	double ms = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.err", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, tag, sizeof(tag) - 1) == 0)
			ms = atof(line + sizeof(tag) - 1);
	fclose(f);
	return ms;
}

/*
 * A whole request, n=7 t=5, 1 KiB input, run by ccc-flow --time on this
 * machine: its end-to-end latency and the time of each step, as ccc-flow
 * reports them (process start-ups and the shell included); then the same
 * request at security level 2 with k = 3 replicas next to it at level 1,
 * on the same 3-enclave deployment, as the ratio of their CPU times
 * (runs interleaved: 1, 2, 1, 2).
 */
static void
flow_section(void)
{
	char dir[] = "/tmp/ccc-bench-flow-XXXXXX", flow[PATH_MAX];
	char path[PATH_MAX + 64];
	char *none[] = { NULL };
	char *l1[] = { "--enclaves", "3", "-f", NULL };
	char *l2[] = { "--enclaves", "3", "--replicas", "3", "-f", NULL };
	double w, c, w1 = 0, c1 = 0, w2 = 0, c2 = 0, r1 = 0, r2 = 0;
	uint8_t buf[1024];
	FILE *f;
	int i;

	if (mkdtemp(dir) == NULL || tool_path(flow, sizeof(flow),
	    "ccc-flow") != 0)
		return;
	snprintf(path, sizeof(path), "%s/in", dir);
	if ((f = fopen(path, "w")) == NULL)
		return;
	randombytes_buf(buf, sizeof(buf));
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	if (flow_run(flow, dir, "work", none, &w, &c) != 0)
		return;
	printf("\na whole request, n=7 t=5, 1 KiB input (ccc-flow --time; "
	    "each tool a process):\n");
	flow_steps(dir, "work");
	for (i = 0; i < 2; i++) {
		if (flow_run(flow, dir, "level1", l1, &w, &c) != 0)
			return;
		w1 += w;
		c1 += c;
		r1 += flow_request_ms(dir, "level1");
		if (flow_run(flow, dir, "level2", l2, &w, &c) != 0)
			return;
		w2 += w;
		c2 += c;
		r2 += flow_request_ms(dir, "level2");
	}
	printf("\nsecurity level 2, k=3 replicas, against level 1 (the same "
	    "request, 3 enclaves; whole ccc-flow runs, set-up included, "
	    "mean of 2):\n");
	printf("  %-16s %9s %9s %16s\n", "", "CPU s", "wall s",
	    "steps 1-7 ms");
	printf("  %-16s %9.3f %9.3f %16.1f\n", "level 1", c1 / 2, w1 / 2,
	    r1 / 2);
	printf("  %-16s %9.3f %9.3f %16.1f\n", "level 2, k=3", c2 / 2,
	    w2 / 2, r2 / 2);
	printf("  %-16s %8.2fx %8.2fx %15.2fx\n", "ratio", c2 / c1, w2 / w1,
	    r1 > 0 ? r2 / r1 : 0);
	printf("level 2, each step (its last run):\n");
	flow_steps(dir, "level2");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return;
}

int
main(int argc, char **argv)
{
	double F, V, D, D2, M5, M11, X, XB, ENC, DEC, SHA, SMP, L5, L11, TRUE_;
	double H2C;
	double AES;
	int i, check = 0, bad = 0, level4 = 0;
	long batch_max = 100000;
	double margin = 0.10;
	static const char *tools[] = { "ccc-encrypt", "ccc-reencrypt",
	    "ccc-combine", "ccc-keygen", "ccc-inspect", "ccc-quorum-sign",
	    "ccc-enclave-run", "ccc-attest-verify", "ccc-share",
	    "ccc-rand" };

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check = 1;
		else if (strcmp(argv[i], "--quick") == 0)
			run_seconds = 0.03;
		else if (strcmp(argv[i], "--level4") == 0)
			level4 = 1;
		else if (strcmp(argv[i], "--flow") == 0) {
			/* The whole requests alone: levels 1 and 2. */
			flow_section();
			return 0;
		}
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch_max = atol(argv[++i]);
		else {
			fprintf(stderr, "usage: ccc-bench [--check] [--quick] "
			    "[--batch MAX] [--level4 | --flow]\n");
			return 2;
		}
	}
	/* One CPU for the single-operation rows (batch -j rows widen it). */
	if (sched_getaffinity(0, sizeof(cpus_all), &cpus_all) != 0) {
		CPU_ZERO(&cpus_all);
		CPU_SET(0, &cpus_all);
	}
	use_cpus(0);
	posix_spawn_file_actions_init(&spawn_quiet);
	posix_spawn_file_actions_addopen(&spawn_quiet, 1, "/dev/null",
	    O_WRONLY, 0);
	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL)
		return 2;
	randombytes_buf(m32, 32);
	randombytes_buf(lab, 32);
	randombytes_buf(bind5, 32);
	randombytes_buf(sha_in, sizeof(sha_in));
	sa = BN_new();
	sb = BN_new();
	smp = BN_new();
	pa = EC_POINT_new(ec->group);
	pb = EC_POINT_new(ec->group);
	pr = EC_POINT_new(ec->group);
	pd = EC_POINT_new(ec->group);
	if (ccc_ec_scalar_random(ec, sa) != 0 ||
	    ccc_ec_scalar_random(ec, sb) != 0)
		return 2;
	EC_POINT_mul(ec->group, pa, sa, NULL, NULL, ec->bn);
	EC_POINT_mul(ec->group, pb, sb, NULL, NULL, ec->bn);
	for (i = 0; i < 11; i++) {
		lam[i] = BN_new();
		msm_s[i] = BN_new();
		msm_p[i] = EC_POINT_new(ec->group);
		if (ccc_ec_scalar_random(ec, msm_s[i]) != 0)
			return 2;
		EC_POINT_mul(ec->group, msm_p[i], msm_s[i], NULL, NULL, ec->bn);
		if (ccc_ec_scalar_random(ec, msm_s[i]) != 0)
			return 2;
	}
	if (ccc_hpke_keygen(rsk, rpk) != 0)
		return 2;
	setup_key(&pub5, x5, 5, 7, &ct5, ds5, sel5);
	setup_key(&pub11, x11, 11, 16, &ct11, ds11, sel11);
	setup_coin();
	ccc_buf_init(&ctbuf, 0);
	ccc_buf_init(&bigct, 0);
	payload = malloc(1 << 20);
	randombytes_buf(payload, 1 << 20);
	if (ccc_ct_encrypt(ec, &bigct, &pub5, "bench", 5, payload, 1 << 20,
	    NULL) != 0)
		return 2;
	EC_POINT_point2oct(ec->group, pa, POINT_CONVERSION_UNCOMPRESSED,
	    enc65, 65, ec->bn);

	if (level4)	/* --level4: that section alone */
		goto level4;
	printf("ccc-bench: TDH2 on P-256, %s, libsodium %s, one thread, "
	    "median of %d runs\n\n", OpenSSL_version(OPENSSL_VERSION),
	    sodium_version_string(), RUNS);
	printf("the floor: raw operations, measured now\n");
	F = measure(f_F, NULL);
	V = measure(f_V, NULL);
	D = measure(f_D, NULL);
	D2 = measure(f_D2, NULL);
	M5 = measure(f_MSM, (void *)5L);
	M11 = measure(f_MSM, (void *)11L);
	ENC = measure(f_ENC, NULL) - V;
	DEC = measure(f_DEC, NULL);
	SHA = measure(f_SHA, NULL);
	SMP = measure(f_SMP, NULL);
	L5 = measure(f_LAG, (void *)5L);
	L11 = measure(f_LAG, (void *)11L);
	X = measure(f_X, NULL);
	XB = measure(f_XB, NULL);
	AES = measure(f_AES, NULL);
	H2C = measure(f_H2C, NULL);
	printf("  %-40s %9.2f us\n", "F     fixed-base mult", F);
	printf("  %-40s %9.2f us\n", "V     variable-base mult", V);
	printf("  %-40s %9.2f us\n", "D     aG + bP", D);
	printf("  %-40s %9.2f us\n", "D2    aP + bQ", D2);
	printf("  %-40s %9.2f us\n", "MSM5  5-point multi-mult", M5);
	printf("  %-40s %9.2f us\n", "MSM11 11-point multi-mult", M11);
	printf("  %-40s %9.2f us\n", "ENC   point encoding (an inversion)", ENC);
	printf("  %-40s %9.2f us\n", "DEC   point decoding (curve check)", DEC);
	printf("  %-40s %9.2f us\n", "SHA   SHA-256 of 400 bytes", SHA);
	printf("  %-40s %9.2f us\n", "SMP   scalar sampling", SMP);
	printf("  %-40s %9.2f us\n", "LAG5  Lagrange coefficients, k=5", L5);
	printf("  %-40s %9.2f us\n", "LAG11 Lagrange coefficients, k=11", L11);
	printf("  %-40s %9.2f us\n", "X     X25519", X);
	printf("  %-40s %9.2f us\n", "XB    X25519 base", XB);
	printf("  %-40s %9.2f us\n", "AES   AES-256-GCM of 1 MiB (OpenSSL)", AES);
	printf("  %-40s %9.2f us\n", "H2C   hash to P-256 (RFC 9380, lib/h2c)", H2C);

	/*
	 * Each floor is the cheapest sequence of these an operation needs
	 * (research/perf-anchors.md section 3, "limit, full").
	 */
	row("encrypt (TDH2 of the 32-byte key)", f_tdh2_enc, NULL,
	    "2F+3V+5ENC+2SMP+2SHA", 2 * F + 3 * V + 5 * ENC + 2 * SMP +
	    2 * SHA, 1.10);
	row("ciphertext verify", f_verify, NULL, "D+D2+2ENC+2DEC+SHA",
	    D + D2 + 2 * ENC + 2 * DEC + SHA, 1.15);
	row("decryption share", f_share, NULL, "F+2V+3ENC+DEC+SMP+SHA",
	    F + 2 * V + 3 * ENC + DEC + SMP + SHA, 1.10);
	row("share verify", f_share_verify, NULL, "D+D2+2ENC+2DEC+SHA",
	    D + D2 + 2 * ENC + 2 * DEC + SHA, 1.15);
	row("combine k=5", f_combine5, NULL, "MSM5+LAG5+5DEC+ENC+SHA",
	    M5 + L5 + 5 * DEC + ENC + SHA, 1.20);
	row("combine k=11", f_combine11, NULL, "MSM11+LAG11+11DEC+ENC+SHA",
	    M11 + L11 + 11 * DEC + ENC + SHA, 1.20);
	/*
	 * The public coin (ccc-rand): a share is a decryption share of the
	 * hashed point U, plus U and the coin id; the combination is a
	 * decryption's, its HKDF (four HMAC blocks) for the final SHA.
	 */
	row("coin share (U, U^x_i, proof)", f_coin_share, NULL,
	    "H2C+F+2V+3ENC+DEC+SMP+3SHA", H2C + F + 2 * V + 3 * ENC + DEC +
	    SMP + 3 * SHA, 1.10);
	row("coin combine k=5", f_coin_combine5, NULL,
	    "MSM5+LAG5+5DEC+ENC+SHA", M5 + L5 + 5 * DEC + ENC + SHA, 1.20);
	row("seal (HPKE setup + 1 share)", f_seal, NULL, "XB+X", X + XB, 0);
	row("open (HPKE setup)", f_open, NULL, "X", X, 0);
	payload_len = 32;
	row("hybrid encrypt 32 B", f_hybrid, NULL, "encrypt floor",
	    rows[0].floor_us, 1.10);
	payload_len = 1024;
	row("hybrid encrypt 1 KiB", f_hybrid, NULL, "encrypt floor",
	    rows[0].floor_us, 0);
	payload_len = 1 << 20;
	row("hybrid encrypt 1 MiB", f_hybrid, NULL, "encrypt floor+AES",
	    rows[0].floor_us + AES, 1.10);
	row("parse a 1 MiB ciphertext (absolute)", f_parse, NULL, "100 us",
	    100, 1.0);
	printf("\n%-38s %10s %10s %-26s %7s %7s\n", "operation", "us", "floor",
	    "(what the floor is)", "ratio", "target");
	for (i = 0; i < nrows; i++) {
		double ratio = rows[i].us / rows[i].floor_us;
		printf("%-38s %10.2f %10.2f %-26s %6.2fx", rows[i].name,
		    rows[i].us, rows[i].floor_us, rows[i].floor_desc, ratio);
		if (rows[i].target > 0) {
			printf("  <=%.2fx", rows[i].target);
			if (ratio > rows[i].target * (1 + margin)) {
				printf("  OVER");
				bad++;
			}
		}
		printf("\n");
	}

	bench_rows_scale(run_seconds);
	/* Start-up: a whole process, against an empty C program's. */
	if (access("/bin/true", X_OK) == 0) {
		snprintf(spawn_path, sizeof(spawn_path), "/bin/true");
		TRUE_ = measure(f_spawn, "--version");
		printf("\nprocess start-up (spawn + exit), vs /bin/true %.0f us:"
		    "\n", TRUE_);
		for (i = 0; i < (int)(sizeof(tools) / sizeof(tools[0])); i++) {
			double us;
			if (tool_path(spawn_path, sizeof(spawn_path),
			    tools[i]) != 0)
				continue;
			us = measure(f_spawn, "--version");
			printf("  %-20s %8.0f us  %s\n", tools[i], us,
			    us <= 1600 ? "<= 1.6 ms" : "OVER 1.6 ms");
			if (us > 1600 * (1 + margin))
				bad++;
		}
	}
	flow_section();
level4:
	{
		/* Level 4 needs a key of t <= 2 for its two shares. */
		struct ccc_tdh2_pub p2;
		BIGNUM *x2[3];
		for (i = 0; i < 3; i++)
			x2[i] = BN_secure_new();
		if (ccc_tdh2_pub_alloc(ec, &p2, 3) != 0 ||
		    ccc_tdh2_deal(ec, &p2, x2, 2, NULL) != 0)
			return 2;
		use_cpus(1);	/* its -j 2 row */
		aggregate_section(ec, &p2, x2);
		use_cpus(0);
		for (i = 0; i < 3; i++)
			BN_clear_free(x2[i]);
		ccc_tdh2_pub_free(&p2);
	}
	if (level4)
		return 0;
	if (batch_max > 0)
		/*
		 * Per item: reencrypt verifies and shares; combine of a
		 * 2-of-3 key verifies the ciphertext and two shares and
		 * combines two (a two-point multiplication).
		 */
		bad += batch_section(batch_max, margin, rows[0].floor_us,
		    rows[1].floor_us + rows[2].floor_us,
		    rows[1].floor_us + 2 * rows[3].floor_us + D2);
	if (check) {
		printf("\n--check: %d figure(s) over target by more than "
		    "%.0f%%\n", bad, margin * 100);
		return bad ? 1 : 0;
	}
	return 0;
}
