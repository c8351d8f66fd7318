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

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <sodium.h>

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

int
main(int argc, char **argv)
{
	double F, V, D, D2, M5, M11, X, XB, AES1M;
	struct row rows[16];
	int nrows = 0, i, check = 0, bad = 0;
	double margin = 0.10;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0)
			check = 1;
		else if (strcmp(argv[i], "--quick") == 0)
			run_seconds = 0.03;
		else {
			fprintf(stderr, "usage: ccc-bench [--check] [--quick]\n");
			return 2;
		}
	}
	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL)
		return 2;
	randombytes_buf(m32, 32);
	randombytes_buf(lab, 32);
	randombytes_buf(bind5, 32);
	sa = BN_new();
	sb = BN_new();
	pa = EC_POINT_new(ec->group);
	pb = EC_POINT_new(ec->group);
	pr = EC_POINT_new(ec->group);
	if (ccc_ec_scalar_random(ec, sa) != 0)
		abort();
	if (ccc_ec_scalar_random(ec, sb) != 0)
		abort();
	EC_POINT_mul(ec->group, pa, sa, NULL, NULL, ec->bn);
	EC_POINT_mul(ec->group, pb, sb, NULL, NULL, ec->bn);
	for (i = 0; i < 11; i++) {
		msm_s[i] = BN_new();
		msm_p[i] = EC_POINT_new(ec->group);
		if (ccc_ec_scalar_random(ec, msm_s[i]) != 0)
		abort();
		EC_POINT_mul(ec->group, msm_p[i], msm_s[i], NULL, NULL, ec->bn);
		if (ccc_ec_scalar_random(ec, msm_s[i]) != 0)
		abort();
	}
	if (ccc_hpke_keygen(rsk, rpk) != 0)
		abort();
	setup_key(&pub5, x5, 5, 7, &ct5, ds5, sel5);
	setup_key(&pub11, x11, 11, 16, &ct11, ds11, sel11);
	ccc_buf_init(&ctbuf, 0);
	payload = malloc(1 << 20);
	randombytes_buf(payload, 1 << 20);

	printf("ccc-bench: TDH2 on P-256, OpenSSL %s, libsodium %s, one "
	    "thread, median of %d runs\n\n", OpenSSL_version(OPENSSL_VERSION),
	    sodium_version_string(), RUNS);
	printf("raw operations (the floor)\n");
	F = measure(f_F, NULL);
	V = measure(f_V, NULL);
	D = measure(f_D, NULL);
	D2 = measure(f_D2, NULL);
	M5 = measure(f_MSM, (void *)5L);
	M11 = measure(f_MSM, (void *)11L);
	X = measure(f_X, NULL);
	XB = measure(f_XB, NULL);
	printf("  %-34s %9.2f us\n", "F   fixed-base mult", F);
	printf("  %-34s %9.2f us\n", "V   variable-base mult", V);
	printf("  %-34s %9.2f us\n", "D   aG + bP", D);
	printf("  %-34s %9.2f us\n", "D2  aP + bQ", D2);
	printf("  %-34s %9.2f us\n", "MSM5  5-point multi-mult", M5);
	printf("  %-34s %9.2f us\n", "MSM11 11-point multi-mult", M11);
	printf("  %-34s %9.2f us\n", "X   X25519", X);
	printf("  %-34s %9.2f us\n", "XB  X25519 base", XB);

#define ROW(nm, f, a, fd, fu, tg) rows[nrows++] = \
	(struct row){ nm, f, a, fd, fu, tg, 0 }
	ROW("encrypt (TDH2 of the 32-byte key)", f_tdh2_enc, NULL, "2F+3V",
	    2 * F + 3 * V, 1.10);
	payload_len = 32;
	rows[nrows - 1].us = 0;
	for (i = 0; i < nrows; i++)
		rows[i].us = measure(rows[i].fn, rows[i].arg);
	ROW("ciphertext verify", f_verify, NULL, "D+D2", D + D2, 1.15);
	ROW("decryption share", f_share, NULL, "F+2V", F + 2 * V, 1.10);
	ROW("share verify", f_share_verify, NULL, "D+D2", D + D2, 1.15);
	ROW("combine k=5", f_combine5, NULL, "MSM5", M5, 1.20);
	ROW("combine k=11", f_combine11, NULL, "MSM11", M11, 1.20);
	ROW("seal (HPKE setup + 1 share)", f_seal, NULL, "XB+X", X + XB, 0);
	ROW("open (HPKE setup)", f_open, NULL, "X", X, 0);
	for (i = 1; i < nrows; i++)
		rows[i].us = measure(rows[i].fn, rows[i].arg);
	/* Hybrid encryption of payloads: floor = TDH2 floor + bulk AES. */
	payload_len = 1 << 20;
	AES1M = 0;
	{
		static const size_t sizes[3] = { 32, 1024, 1 << 20 };
		static const char *names[3] = { "hybrid encrypt 32 B",
		    "hybrid encrypt 1 KiB", "hybrid encrypt 1 MiB" };
		int s;
		for (s = 0; s < 3; s++) {
			payload_len = sizes[s];
			ROW(names[s], f_hybrid, NULL, "2F+3V", 2 * F + 3 * V,
			    s == 0 ? 1.10 : 0);
			rows[nrows - 1].us = measure(f_hybrid, NULL);
		}
	}
	(void)AES1M;
	printf("\n%-36s %10s %10s %-6s %7s %7s\n", "operation", "us", "floor",
	    "", "ratio", "target");
	for (i = 0; i < nrows; i++) {
		double ratio = rows[i].us / rows[i].floor_us;
		printf("%-36s %10.2f %10.2f %-6s %6.2fx", rows[i].name,
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
	if (check) {
		printf("\n--check: %d operation(s) over target by more than "
		    "%.0f%%\n", bad, margin * 100);
		return bad ? 1 : 0;
	}
	return 0;
}
