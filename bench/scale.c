/*
 * ccc-bench, scale: combine with share verification at k = 67 and 100
 * (t shares checked one by one, in one batch, or in one batch that is
 * also the combination: lib/batchverify.h), and the validity
 * checks of N = 16 and 64 ciphertexts (one by one, or in one batch).
 * Each pair is measured in the same run, in thread CPU time, A and B
 * interleaved (A B A B ...), and reported as the median of the per-pair
 * ratios, so the ratio holds on a loaded machine.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "batchverify.h"
#include "bench.h"

#define PAIRS 7
#define KMAX 100
#define NMAX 64

static struct ccc_ec *ec;

/* One committee of k = t = n nodes, a ciphertext and every node's share. */
static struct committee {
	struct ccc_tdh2_pub pub;
	struct ccc_tdh2_ct ct;
	struct ccc_tdh2_dshare ds[KMAX];
	const struct ccc_tdh2_dshare *dsp[KMAX];
	uint8_t comm[KMAX][2][CCC_POINT_BYTES], binds[KMAX][32];
	size_t k;
} com;
static uint8_t com_m[32];	/* the committee ciphertext's message */

/* N ciphertexts under com.pub, with their commitments. */
static struct ccc_tdh2_ct cts[NMAX];
static const struct ccc_tdh2_ct *ctp[NMAX];
static uint8_t ctcomm[NMAX][2][CCC_POINT_BYTES];
static size_t nct;

static double
cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void
die(const char *what)
{
	fprintf(stderr, "ccc-bench: scale: %s failed\n", what);
	exit(2);
}

static int
committee_new(size_t k)
{
	BIGNUM *x[KMAX];
	uint8_t m[32], label[32], digest[32];
	size_t i;
	int rc = -1;

	ccc_tdh2_pub_free(&com.pub);
	com.k = k;
	memset(x, 0, sizeof(x));
	if (ccc_tdh2_pub_alloc(ec, &com.pub, (uint32_t)k) != 0)
		return -1;
	randombytes_buf(com.pub.key_id, 32);
	randombytes_buf(m, 32);
	randombytes_buf(label, 32);
	randombytes_buf(digest, 32);
	for (i = 0; i < k; i++)
		if ((x[i] = BN_secure_new()) == NULL)
			goto out;
	if (ccc_tdh2_deal(ec, &com.pub, x, (uint32_t)k, NULL) != 0 ||
	    ccc_tdh2_encrypt(ec, &com.ct, &com.pub, m, label, NULL) != 0)
		goto out;
	memcpy(com_m, m, sizeof(com_m));
	for (i = 0; i < k; i++) {
		ccc_tdh2_share_bind(com.binds[i], com.pub.key_id, 0,
		    (uint32_t)i + 1, digest, NULL, 0);
		if (ccc_tdh2_share_comm(ec, &com.ds[i], com.comm[i], &com.pub,
		    x[i], (uint32_t)i + 1, &com.ct, com.binds[i], NULL) != 0)
			goto out;
		com.dsp[i] = &com.ds[i];
	}
	rc = 0;
out:
	for (i = 0; i < k; i++)
		BN_clear_free(x[i]);
	return rc;
}

/* Today's path: the t proofs one by one, then the combination. */
static void
combine_one_by_one(void)
{
	uint8_t m[32];
	size_t i;

	for (i = 0; i < com.k; i++)
		if (ccc_tdh2_share_verify(ec, &com.pub, &com.ct, com.dsp[i],
		    com.binds[i], NULL) != 0)
			die("share verify");
	if (ccc_tdh2_combine(ec, m, &com.pub, &com.ct, com.dsp, com.k,
	    NULL) != 0)
		die("combine");
}

static void
combine_batched(void)
{
	int verdict[KMAX];
	uint8_t m[32];

	if (ccc_tdh2_share_verify_batch(ec, &com.pub, &com.ct, com.dsp,
	    (const uint8_t (*)[2][CCC_POINT_BYTES])com.comm,
	    (const uint8_t (*)[32])com.binds, com.k, verdict, NULL,
	    NULL) != 0)
		die("batch share verify");
	if (ccc_tdh2_combine(ec, m, &com.pub, &com.ct, com.dsp, com.k,
	    NULL) != 0)
		die("combine");
}

/*
 * The tools' path for a round of exactly t shares with commitments: the
 * combination in the check's multiplication, the message then checked
 * (by the payload's AES-GCM tag in the tools, a few us, not counted).
 */
static void
combine_fused(void)
{
	uint8_t m[32];
	bool ok;

	if (ccc_tdh2_share_combine_batch(ec, m, &com.pub, &com.ct, com.dsp,
	    (const uint8_t (*)[2][CCC_POINT_BYTES])com.comm,
	    (const uint8_t (*)[32])com.binds, com.k, &ok) != 0 || !ok ||
	    memcmp(m, com_m, sizeof(m)) != 0)
		die("fused combine");
}

/*
 * The same with the nodes' fixed-base tables (ccc_tdh2_pub_precompute_
 * nodes), as a process that keeps them has: each h_hat_i is checked from
 * two fixed-base products, out of the multiplication.
 */
static EC_GROUP **com_tabs;

static void
combine_fused_tables(void)
{
	com.pub.hi_tab = com_tabs;
	combine_fused();
	com.pub.hi_tab = NULL;
}

static void
lagrange(void)
{
	BIGNUM *l[KMAX];
	uint32_t xs[KMAX];
	size_t i;

	for (i = 0; i < com.k; i++) {
		xs[i] = (uint32_t)i + 1;
		l[i] = BN_new();
	}
	if (ccc_tdh2_lagrange(ec, l, xs, com.k) != 0)
		die("lagrange");
	for (i = 0; i < com.k; i++)
		BN_free(l[i]);
}

static void
cts_one_by_one(void)
{
	size_t i;

	for (i = 0; i < nct; i++)
		if (ccc_tdh2_verify(ec, &com.pub, ctp[i], NULL) != 0)
			die("verify");
}

static void
cts_batched(void)
{
	int verdict[NMAX];

	if (ccc_tdh2_verify_batch(ec, &com.pub, ctp,
	    (const uint8_t (*)[2][CCC_POINT_BYTES])ctcomm, nct, verdict, NULL,
	    NULL) != 0)
		die("batch verify");
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* CPU us of reps calls of fn, per call. */
static double
sample(void (*fn)(void), long reps)
{
	double t0 = cpu_us();
	long i;

	for (i = 0; i < reps; i++)
		fn();
	return (cpu_us() - t0) / (double)reps;
}

/*
 * a and b interleaved, PAIRS pairs of about seconds each: the medians of
 * a's and b's CPU us and of the ratios a/b.
 */
static void
pair(void (*a)(void), void (*b)(void), double seconds, double *ua,
    double *ub, double *ratio)
{
	double sa[PAIRS], sb[PAIRS], r[PAIRS], one;
	long reps;
	int i;

	one = sample(a, 1) + sample(b, 1);	/* warm, and a first size */
	reps = (long)(seconds * 1e6 / (one > 1 ? one : 1)) + 1;
	for (i = 0; i < PAIRS; i++) {
		sa[i] = sample(a, reps);
		sb[i] = sample(b, reps);
		r[i] = sa[i] / sb[i];
	}
	qsort(sa, PAIRS, sizeof(sa[0]), cmpd);
	qsort(sb, PAIRS, sizeof(sb[0]), cmpd);
	qsort(r, PAIRS, sizeof(r[0]), cmpd);
	*ua = sa[PAIRS / 2];
	*ub = sb[PAIRS / 2];
	*ratio = r[PAIRS / 2];
}

static void
goal(double v, double max, const char *unit)
{
	printf("  goal %s %.1f%s%s\n", unit[0] == 'x' ? ">=" : "<=", max,
	    unit, (unit[0] == 'x' ? v < max : v > max) ? "  MISSED" : "");
}

void
bench_rows_scale(double seconds)
{
	static const size_t ks[] = { 67, 100 }, ns[] = { 16, 64 };
	static const double kgoal[] = { 3000, 4500 };
	double ua, ub, uc, ud, r, t0, tab;
	size_t i, j;
	uint8_t m[32], label[32];

	if ((ec = ccc_ec_default()) == NULL)
		die("context");
	printf("\nscale: thread CPU time, one by one (A) against one batch "
	    "(B), interleaved, median of %d pairs\n", PAIRS);
	for (i = 0; i < 2; i++) {
		if (committee_new(ks[i]) != 0)
			die("committee");
		pair(combine_one_by_one, combine_batched, seconds, &ua, &ub,
		    &r);
		printf("combine k=%-3zu incl. t share proofs    A %9.0f us  "
		    "B %9.0f us  A/B %5.2fx\n", ks[i], ua, ub, r);
		pair(combine_batched, combine_fused, seconds, &ub, &uc, &r);
		printf("  the batch fused with the combination   B %9.0f us  "
		    "C %9.0f us  B/C %5.2fx\n", ub, uc, r);
		t0 = cpu_us();
		if (ccc_tdh2_pub_precompute_nodes(ec, &com.pub, NULL, 0,
		    NULL) != 0)
			die("tables");
		tab = (cpu_us() - t0) / (double)ks[i];
		com_tabs = com.pub.hi_tab;
		com.pub.hi_tab = NULL;
		pair(combine_fused, combine_fused_tables, seconds, &uc, &ud,
		    &r);
		printf("  and the nodes' tables (%.0f ms each)   C %9.0f us  "
		    "D %9.0f us  C/D %5.2fx", tab / 1e3, uc, ud, r);
		goal(ud, kgoal[i], " us");
		/*
		 * The goal as a ratio, which holds on any machine: the issue's
		 * 3 and 4.5 ms against the one-by-one verify-and-combine it
		 * measured, 122 us a share (12.4 ms at k = 100).  A, today's
		 * one by one, is faster than that path (O(k) Lagrange), so
		 * this ratio is the harder one to meet.
		 */
		pair(combine_one_by_one, combine_fused, seconds, &ua, &uc,
		    &r);
		printf("  the tools' paths against one by one    A/C %5.2fx",
		    r);
		pair(combine_one_by_one, combine_fused_tables, seconds, &ua,
		    &ud, &r);
		printf("  A/D %5.2fx", r);
		goal(r, (double)ks[i] * 122 / kgoal[i], "x");
		com.pub.hi_tab = com_tabs;
		t0 = cpu_us();
		for (j = 0; j < 20; j++)
			lagrange();
		printf("  Lagrange coefficients k=%-3zu %9.1f us\n", ks[i],
		    (cpu_us() - t0) / 20);
	}
	for (i = 0; i < NMAX; i++) {
		randombytes_buf(m, 32);
		randombytes_buf(label, 32);
		if (ccc_tdh2_encrypt_comm(ec, &cts[i], ctcomm[i], &com.pub, m,
		    label, NULL) != 0)
			die("encrypt");
		ctp[i] = &cts[i];
	}
	for (i = 0; i < 2; i++) {
		nct = ns[i];
		pair(cts_one_by_one, cts_batched, seconds, &ua, &ub, &r);
		printf("ciphertext validity N=%-3zu             A %9.0f us  "
		    "B %9.0f us  A/B %5.2fx", nct, ua, ub, r);
		goal(r, 1.8, "x");
	}
	ccc_tdh2_pub_free(&com.pub);
}
