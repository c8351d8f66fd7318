/*
 * ccc-bench, security level 4: additive inputs, their batch verification,
 * an aggregate of 10,000 inputs, a node's share, and the combination with
 * the discrete logarithm of 32- and 40-bit sums.  One thread, its CPU
 * time (the -j 2 row: wall time); the library calls the tools make,
 * without process start-up or file I/O.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "additive.h"
#include "aggregate.h"
#include "bench.h"
#include "bsgs.h"

/* n inputs of one value of bits bits, blobs in b, decoded into in. */
static int
make_inputs(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub, size_t n,
    uint32_t bits, struct ccc_buf *b, struct ccc_additive *in)
{
	size_t *off = calloc(n + 1, sizeof(*off)), i;
	uint64_t m;
	int rc = 0;

	if (off == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		m = (uint64_t)randombytes_uniform(1u << (bits > 31 ? 31 : bits));
		off[i] = b->len;
		rc = ccc_additive_encrypt(ec, b, pub, "bench", 5, bits, &m, 1,
		    NULL);
	}
	off[n] = b->len;
	for (i = 0; i < n && rc == 0; i++)
		rc = ccc_additive_decode(&in[i], b->p + off[i],
		    off[i + 1] - off[i], 0, NULL);
	free(off);
	return rc;
}

/* Seconds of one discrete log of a sum s below max (table cached in dir). */
static double
dlog(struct ccc_ec *ec, uint64_t s, uint64_t max, const char *dir,
    double *build)
{
	EC_POINT *p = EC_POINT_new(ec->group);
	BIGNUM *m = BN_new();
	uint64_t got = 0;
	double t0, t;

	BN_set_word(m, s);
	EC_POINT_mul(ec->group, p, m, NULL, NULL, ec->bn);
	t0 = bench_cpu();	/* first call: builds and caches the table */
	if (ccc_bsgs_solve(ec, p, max, dir, &got, NULL) != 0 || got != s)
		exit(2);
	*build = bench_cpu() - t0;
	t0 = bench_cpu();	/* second call: loads it */
	if (ccc_bsgs_solve(ec, p, max, dir, &got, NULL) != 0 || got != s)
		exit(2);
	t = bench_cpu() - t0;
	EC_POINT_free(p);
	BN_free(m);
	return t;
}

void
aggregate_section(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    BIGNUM *const *x)
{
	/* N32 distinct 32-bit inputs, verified NREP times over in one call */
	enum { N32 = 1000, NREP = 10, NBIG = 10000 };
	struct ccc_buf b32, bbig, ab, sb[2];
	struct ccc_additive *in32, *inbig, *inrep;
	struct ccc_aggregate a;
	struct ccc_agg_share sh[2];
	EC_POINT *pts[1];
	char dir[] = "/tmp/ccc-bench-bsgs-XXXXXX", cmd[64];
	double t0, enc32, ver32, ver10k, aggbig, aggj2, share, open, b32t, b40t, s32, s40;
	size_t bad, i, bytes;

	ccc_buf_init(&b32, 0);
	ccc_buf_init(&bbig, 0);
	ccc_buf_init(&ab, 0);
	ccc_buf_init(&sb[0], 0);
	ccc_buf_init(&sb[1], 0);
	in32 = calloc(N32, sizeof(*in32));
	inbig = calloc(NBIG, sizeof(*inbig));
	inrep = calloc((size_t)N32 * NREP, sizeof(*inrep));
	if (in32 == NULL || inbig == NULL || inrep == NULL ||
	    mkdtemp(dir) == NULL)
		exit(2);
	printf("\nsecurity level 4 (additive inputs, one thread):\n");
	t0 = bench_cpu();
	if (make_inputs(ec, pub, N32, 32, &b32, in32) != 0)
		exit(2);
	enc32 = (bench_cpu() - t0) / N32;
	bytes = b32.len / N32;
	t0 = bench_cpu();
	if (ccc_additive_verify(ec, pub, in32, N32, NULL, &bad, NULL) != 0)
		exit(2);
	ver32 = (bench_cpu() - t0) / N32;
	/*
	 * 10,000 inputs: the N32 distinct ones NREP times over (verification
	 * does the same work for a copy: its own weights and challenges).
	 */
	for (i = 0; i < (size_t)N32 * NREP; i++)
		inrep[i] = in32[i % N32];
	t0 = bench_cpu();
	if (ccc_additive_verify(ec, pub, inrep, (size_t)N32 * NREP, NULL,
	    &bad, NULL) != 0)
		exit(2);
	ver10k = bench_cpu() - t0;
	if (make_inputs(ec, pub, NBIG, 1, &bbig, inbig) != 0)
		exit(2);
	t0 = bench_cpu();
	if (ccc_aggregate_build(ec, pub, inbig, NBIG, NULL, 0, 1, &ab, &bad,
	    NULL) != 0 || ccc_aggregate_decode(&a, ab.p, ab.len, 0, NULL) != 0)
		exit(2);
	aggbig = bench_cpu() - t0;
	ccc_buf_reset(&ab);
	t0 = bench_wall();	/* two threads: wall time says the speed-up */
	if (ccc_aggregate_build(ec, pub, inbig, NBIG, NULL, 0, 2, &ab, &bad,
	    NULL) != 0)
		exit(2);
	aggj2 = bench_wall() - t0;
	t0 = bench_cpu();
	for (i = 0; i < 2; i++)
		if (ccc_aggregate_share(ec, pub, x[i], (uint32_t)i + 1, &a,
		    NULL, &sb[i], NULL) != 0 ||
		    ccc_agg_share_decode(&sh[i], sb[i].p, sb[i].len, 0,
		    NULL) != 0)
			exit(2);
	share = (bench_cpu() - t0) / 2;
	pts[0] = EC_POINT_new(ec->group);
	t0 = bench_cpu();
	for (i = 0; i < 2; i++)
		if (ccc_agg_share_verify(ec, pub, &a, &sh[i], NULL, NULL) != 0)
			exit(2);
	if (ccc_aggregate_open(ec, pub, &a, sh, pub->t < 2 ? pub->t : 2, pts,
	    NULL) != 0)
		exit(2);
	open = bench_cpu() - t0;
	s32 = dlog(ec, 0xfedcba98u, 0xffffffffu, dir, &b32t);
	s40 = dlog(ec, (1ull << 40) - 12345, 1ull << 40, dir, &b40t);
	printf("  %-52s %10.2f ms  (%zu bytes)\n",
	    "additive encrypt + Bulletproof, one 32-bit value", enc32 * 1e3,
	    bytes);
	printf("  %-52s %10.2f ms\n",
	    "input verify, 32-bit (1,000 batched, per input)", ver32 * 1e3);
	printf("  %-52s %10.2f s\n",
	    "  10,000 such inputs, one call (measured)", ver10k);
	printf("  %-52s %10.2f s\n",
	    "aggregate of 10,000 1-bit inputs (verify + multiply)", aggbig);
	printf("  %-52s %10.2f s\n", "  the same with -j 2 (two threads)", aggj2);
	printf("  %-52s %10.2f ms\n", "decryption share of an aggregate",
	    share * 1e3);
	printf("  %-52s %10.2f ms\n",
	    "verify 2 shares + combine (k = 1 value)", open * 1e3);
	printf("  %-52s %10.2f s  (table built once: %.2f s)\n",
	    "discrete log, 32-bit sum (table cached)", s32, b32t - s32);
	printf("  %-52s %10.2f s  (table built once: %.2f s)\n",
	    "discrete log, 40-bit sum (table cached)", s40, b40t - s40);
	EC_POINT_free(pts[0]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("  (could not remove %s)\n", dir);
	free(in32);
	free(inbig);
	free(inrep);
	ccc_buf_free(&b32);
	ccc_buf_free(&bbig);
	ccc_buf_free(&ab);
	ccc_buf_free(&sb[0]);
	ccc_buf_free(&sb[1]);
}
