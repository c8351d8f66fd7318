/*
 * Additive inputs and aggregates (security level 4): encrypt, verify in
 * batches, aggregate, share, open and take the discrete log; a forged
 * range or link proof, a relabelled input, a histogram value moved to
 * another input, a value out of range, a wrong share, a batch with one
 * bad input among good ones and the same ciphertexts in two inputs are
 * refused (the bad one named); no bit flip of an input or a share is
 * accepted.
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
#include "bsgs.h"
#include "schemas.h"
#include "tap.h"

static struct ccc_ec *ec;
static struct ccc_tdh2_pub pub;
static BIGNUM *x[3];
static char cache[] = "/tmp/ccc-test-additive.XXXXXX";

static int
input(struct ccc_buf *b, const char *ctx, uint32_t bits, const uint64_t *m,
    uint32_t k, struct ccc_additive *in)
{
	ccc_buf_reset(b);
	if (ccc_additive_encrypt(ec, b, &pub, ctx, strlen(ctx), bits, m, k,
	    NULL) != 0)
		return -1;
	return ccc_additive_decode(in, b->p, b->len, 0, NULL);
}

/* Aggregate, share (nodes 1 and 3), open, log: the sums into out. */
static int
round_trip(struct ccc_additive *in, size_t n, uint64_t *out)
{
	struct ccc_buf ab, sb[2];
	struct ccc_aggregate a;
	struct ccc_agg_share s[2];
	EC_POINT *pts[CCC_ADD_MAX_VALUES] = { NULL };
	size_t bad, i;
	uint32_t j;
	int rc = -1;

	ccc_buf_init(&ab, 0);
	ccc_buf_init(&sb[0], 0);
	ccc_buf_init(&sb[1], 0);
	if (ccc_aggregate_build(ec, &pub, in, n, NULL, 0, 1, &ab, &bad,
	    NULL) != 0 ||
	    ccc_aggregate_decode(&a, ab.p, ab.len, 0, NULL) != 0)
		goto out;
	for (i = 0; i < 2; i++)
		if (ccc_aggregate_share(ec, &pub, x[2 * i], 2 * i + 1, &a, NULL,
		    &sb[i], NULL) != 0 ||
		    ccc_agg_share_decode(&s[i], sb[i].p, sb[i].len, 0,
		    NULL) != 0 ||
		    ccc_agg_share_verify(ec, &pub, &a, &s[i], NULL, NULL) != 0)
			goto out;
	for (j = 0; j < a.k; j++)
		pts[j] = EC_POINT_new(ec->group);
	if (ccc_aggregate_open(ec, &pub, &a, s, 2, pts, NULL) != 0)
		goto out;
	for (j = 0; j < a.k; j++)
		if (ccc_bsgs_solve(ec, pts[j], ccc_aggregate_max(&a), cache,
		    &out[j], NULL) != 0)
			goto out;
	rc = 0;
out:
	for (j = 0; j < CCC_ADD_MAX_VALUES; j++)
		EC_POINT_free(pts[j]);
	ccc_buf_free(&ab);
	ccc_buf_free(&sb[0]);
	ccc_buf_free(&sb[1]);
	return rc;
}

static void
sums(void)
{
	struct ccc_buf b[5];
	struct ccc_additive in[5];
	uint64_t m1[] = { 0 }, m2[] = { 65535 }, m3[] = { 12345 };
	uint64_t h[8] = { 1, 0, 2, 3, 0, 0, 7, 1 }, out[8];
	uint64_t big[] = { 0xffffffffu }, big2[] = { 0x12345678u };
	size_t i;

	for (i = 0; i < 5; i++)
		ccc_buf_init(&b[i], 0);
	ok(input(&b[0], "pool", 16, m1, 1, &in[0]) == 0 &&
	    input(&b[1], "pool", 16, m2, 1, &in[1]) == 0 &&
	    input(&b[2], "pool", 16, m3, 1, &in[2]) == 0, "encrypt 16 bits");
	ok(round_trip(in, 3, out) == 0 && out[0] == 65535 + 12345,
	    "sum of 3 inputs of 16 bits");
	ok(input(&b[0], "h", 3, h, 8, &in[0]) == 0 &&
	    input(&b[1], "h", 3, h, 8, &in[1]) == 0, "histogram inputs");
	ok(round_trip(in, 2, out) == 0 && out[0] == 2 && out[2] == 4 &&
	    out[6] == 14 && out[7] == 2 && out[4] == 0, "histogram of 8");
	ok(input(&b[0], "p", 32, big, 1, &in[0]) == 0 &&
	    input(&b[1], "p", 32, big2, 1, &in[1]) == 0 &&
	    round_trip(in, 2, out) == 0 &&
	    out[0] == 0xffffffffull + 0x12345678u, "sum of 32-bit values");
	for (i = 0; i < 5; i++)
		ccc_buf_free(&b[i]);
}

static void
refusals(void)
{
	struct ccc_buf b[4], ab;
	struct ccc_additive in[4];
	struct ccc_err err;
	uint64_t m[] = { 5 }, over[] = { 16 }, h1[] = { 1, 2 }, h2[] = { 3, 0 };
	size_t bad = 99, i;
	uint8_t *p, *q;

	for (i = 0; i < 4; i++)
		ccc_buf_init(&b[i], 0);
	ccc_buf_init(&ab, 0);
	ok(ccc_additive_encrypt(ec, &b[0], &pub, "c", 1, 4, over, 1,
	    NULL) == CCC_E_FIELD, "2^B is out of range");
	for (i = 0; i < 4; i++)
		ok(input(&b[i], "c", 4, m, 1, &in[i]) == 0, "input %zu", i);
	/* Flip a bit of t_hat (4 bits: 2 rounds, 10 points before it). */
	p = (uint8_t *)in[2].proof + 10 * CCC_POINT_BYTES + 31;
	p[0] ^= 1;
	ok(ccc_additive_verify(ec, &pub, in, 4, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 2, "forged response named (%zu)", bad);
	p[0] ^= 1;
	ok(ccc_additive_verify(ec, &pub, in, 4, NULL, &bad, NULL) == 0,
	    "restored");
	/* The link proof's z_r, the last scalar */
	p = (uint8_t *)in[1].proof + 10 * CCC_POINT_BYTES + 6 * 32 + 31;
	p[0] ^= 1;
	ok(ccc_additive_verify(ec, &pub, in, 4, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 1, "forged proof of knowledge");
	p[0] ^= 1;
	/* A forged proof before a point off the curve: the first is named. */
	p = (uint8_t *)in[1].proof + 10 * CCC_POINT_BYTES + 40;
	p[0] ^= 1;
	q = (uint8_t *)in[3].u + 64;
	q[0] ^= 1;
	ok(ccc_additive_verify(ec, &pub, in, 4, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 1, "the first input at fault is named");
	p[0] ^= 1;
	ok(ccc_additive_verify(ec, &pub, in, 4, NULL, &bad, NULL) ==
	    CCC_E_POINT && bad == 3, "then the bad point (%zu)", bad);
	q[0] ^= 1;
	/* Relabelled: the same proofs under another context. */
	in[3].context = "d";
	ok(ccc_additive_verify(ec, &pub, in, 4, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 3, "relabelled input refused");
	in[3].context = in[0].context;
	/* Value 1 of a histogram moved into another input: refused. */
	ok(input(&b[0], "c", 2, h1, 2, &in[0]) == 0 &&
	    input(&b[1], "c", 2, h2, 2, &in[1]) == 0 &&
	    ccc_additive_verify(ec, &pub, in, 2, NULL, &bad, NULL) == 0,
	    "two histograms");
	memcpy((uint8_t *)in[1].u + in[1].su, in[0].u + in[0].su,
	    CCC_POINT_BYTES);
	memcpy((uint8_t *)in[1].v + in[1].su, in[0].v + in[0].su,
	    CCC_POINT_BYTES);
	memcpy((uint8_t *)in[1].proof + in[1].sp, in[0].proof + in[0].sp,
	    in[0].sp - 3);
	ok(ccc_additive_decode(&in[1], b[1].p, b[1].len, 0, NULL) == 0,
	    "the mixed input decodes");
	ok(ccc_additive_verify(ec, &pub, in, 2, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 1, "a value moved between inputs");
	in[1] = in[0];
	ok(ccc_aggregate_build(ec, &pub, in, 2, NULL, 0, 1, &ab, &bad, NULL) ==
	    CCC_E_DUPLICATE, "duplicate refused");
	/* Another blob of the same ciphertexts (another digest). */
	in[1] = in[0];
	in[1].digest[0] ^= 1;
	ccc_err_clear(&err);
	ok(ccc_aggregate_build(ec, &pub, in, 2, NULL, 0, 1, &ab, &bad, &err) ==
	    CCC_E_DUPLICATE && strcmp(err.detail, "the same ciphertexts as "
	    "another input") == 0, "the same values twice refused");
	for (i = 0; i < 4; i++)
		ccc_buf_free(&b[i]);
	ccc_buf_free(&ab);
}

/*
 * Every byte of an input flipped (one bit): the blob no longer decodes,
 * or its proofs no longer verify; never accepted.  The same for a share
 * of an aggregate.
 */
static void
mutations(void)
{
	struct ccc_buf b, ab, sb;
	struct ccc_additive in;
	struct ccc_aggregate a;
	struct ccc_agg_share s;
	uint64_t m[] = { 2, 1 };
	size_t i, bad, accepted = 0, tried = 0;
	uint8_t *p;

	ccc_buf_init(&b, 0);
	ccc_buf_init(&ab, 0);
	ccc_buf_init(&sb, 0);
	if (ccc_additive_encrypt(ec, &b, &pub, "m", 1, 2, m, 2, NULL) != 0 ||
	    ccc_additive_decode(&in, b.p, b.len, 0, NULL) != 0 ||
	    ccc_aggregate_build(ec, &pub, &in, 1, NULL, 0, 1, &ab, &bad,
	    NULL) != 0 ||
	    ccc_aggregate_decode(&a, ab.p, ab.len, 0, NULL) != 0 ||
	    ccc_aggregate_share(ec, &pub, x[1], 2, &a, NULL, &sb, NULL) != 0) {
		ok(0, "mutation fixtures");
		return;
	}
	p = (uint8_t *)b.p;
	for (i = 0; i < b.len; i++) {
		p[i] ^= (uint8_t)(1u << (i % 8));
		tried++;
		if (ccc_additive_decode(&in, b.p, b.len, 0, NULL) == 0 &&
		    ccc_additive_verify(ec, &pub, &in, 1, NULL, &bad,
		    NULL) == 0)
			accepted++;
		p[i] ^= (uint8_t)(1u << (i % 8));
	}
	ok(accepted == 0, "no bit flip of an input is accepted (%zu of %zu)",
	    accepted, tried);
	p = (uint8_t *)sb.p;
	for (accepted = 0, i = 0; i < sb.len; i++) {
		p[i] ^= (uint8_t)(1u << (i % 8));
		if (ccc_agg_share_decode(&s, sb.p, sb.len, 0, NULL) == 0 &&
		    ccc_agg_share_verify(ec, &pub, &a, &s, NULL, NULL) == 0)
			accepted++;
		p[i] ^= (uint8_t)(1u << (i % 8));
	}
	ok(accepted == 0, "no bit flip of a share is accepted (%zu of %zu)",
	    accepted, sb.len);
	ok(ccc_agg_share_decode(&s, sb.p, sb.len, 0, NULL) == 0 &&
	    ccc_agg_share_verify(ec, &pub, &a, &s, NULL, NULL) == 0,
	    "the share itself verifies");
	ccc_buf_free(&b);
	ccc_buf_free(&ab);
	ccc_buf_free(&sb);
}

/* One-hot histograms: each bucket below 2, their sum below 2 too. */
static void
sum_bound(void)
{
	struct ccc_buf b[3], ab;
	struct ccc_additive in[3], rt[3];
	uint64_t h1[] = { 0, 1, 0, 0 }, h2[] = { 1, 0, 0, 0 },
	    two[] = { 1, 0, 1, 0 }, none[] = { 0, 0, 0, 0 }, out[4];
	size_t bad = 99, i;
	uint8_t *p;

	for (i = 0; i < 3; i++)
		ccc_buf_init(&b[i], 0);
	ok(ccc_additive_encrypt_sum(ec, &b[0], &pub, "oh", 2, 1, 1, h1, 4,
	    NULL) == 0 && ccc_additive_decode(&in[0], b[0].p, b[0].len, 0,
	    NULL) == 0 && in[0].sum_bits == 1, "one-hot input");
	ok(ccc_additive_encrypt_sum(ec, &b[1], &pub, "oh", 2, 1, 1, h2, 4,
	    NULL) == 0 && ccc_additive_decode(&in[1], b[1].p, b[1].len, 0,
	    NULL) == 0, "another");
	ok(ccc_additive_encrypt_sum(ec, &b[2], &pub, "oh", 2, 1, 1, none, 4,
	    NULL) == 0 && ccc_additive_decode(&in[2], b[2].p, b[2].len, 0,
	    NULL) == 0, "an empty one (sum 0)");
	ok(ccc_additive_verify(ec, &pub, in, 3, NULL, &bad, NULL) == 0,
	    "their proofs and sum proofs verify");
	memcpy(rt, in, sizeof(rt));	/* sorted by the aggregation */
	ok(round_trip(rt, 3, out) == 0 && out[0] == 1 && out[1] == 1 &&
	    out[2] == 0 && out[3] == 0, "their histogram");
	ok_eq_int(ccc_additive_encrypt_sum(ec, &b[2], &pub, "oh", 2, 1, 1, two,
	    4, NULL), CCC_E_FIELD, "a sum of 2 refused by the encryptor");
#ifdef CCC_TEST_HOOKS
	ccc_buf_reset(&b[2]);
	ccc_additive_test_out_of_range = 1;
	ok(ccc_additive_encrypt_sum(ec, &b[2], &pub, "oh", 2, 1, 1, two, 4,
	    NULL) == 0 && ccc_additive_decode(&in[2], b[2].p, b[2].len, 0,
	    NULL) == 0, "the hook makes a two-hot input");
	ccc_additive_test_out_of_range = 0;
	ok(ccc_additive_verify(ec, &pub, in, 3, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 2, "its sum proof is refused");
#endif
	/* the sum proof's t_hat (1 bit: 6 points before it) */
	p = (uint8_t *)in[1].sum_proof + 6 * CCC_POINT_BYTES + 31;
	p[0] ^= 1;
	ok(ccc_additive_verify(ec, &pub, in, 2, NULL, &bad, NULL) ==
	    CCC_E_CIPHERTEXT && bad == 1, "a forged sum proof named");
	p[0] ^= 1;
	/* an input without a sum bound among inputs with one */
	ok(input(&b[2], "oh", 1, h1, 4, &in[2]) == 0 && in[2].sum_bits == 0,
	    "an input without a bound");
	ok(ccc_additive_verify(ec, &pub, in, 3, NULL, &bad, NULL) == 0,
	    "verifies");
	memcpy(rt, in, sizeof(rt));
	ccc_buf_init(&ab, 0);
	ok(ccc_aggregate_build(ec, &pub, rt, 3, NULL, 0, 1, &ab, &bad,
	    NULL) == CCC_E_POLICY, "but is not aggregated with them");
	ccc_buf_free(&ab);
	for (i = 0; i < 3; i++)
		ccc_buf_free(&b[i]);
}

static void
bsgs(void)
{
	EC_POINT *p = EC_POINT_new(ec->group);
	BIGNUM *m = BN_new();
	uint64_t got = 0, want[] = { 0, 1, 255, 256, 1000000,
	    (1ull << 33) + 77 };
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		BN_set_word(m, want[i]);
		EC_POINT_mul(ec->group, p, m, NULL, NULL, ec->bn);
		ok(ccc_bsgs_solve(ec, p, (1ull << 34), cache, &got, NULL) == 0 &&
		    got == want[i], "log of %llu",
		    (unsigned long long)want[i]);
	}
	ok(ccc_bsgs_solve(ec, p, (1ull << 20), NULL, &got, NULL) ==
	    CCC_E_FIELD, "beyond the bound");
	EC_POINT_free(p);
	BN_free(m);
}

int
main(void)
{
	size_t i;

	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL ||
	    ccc_tdh2_pub_alloc(ec, &pub, 3) != 0)
		return 99;
	randombytes_buf(pub.key_id, 32);
	for (i = 0; i < 3; i++)
		x[i] = BN_secure_new();
	if (ccc_tdh2_deal(ec, &pub, x, 2, NULL) != 0 || mkdtemp(cache) == NULL)
		return 99;
	sums();
	refusals();
	mutations();
	sum_bound();
	bsgs();
	for (i = 0; i < 3; i++)
		BN_clear_free(x[i]);
	ccc_tdh2_pub_free(&pub);
	/* the tables of the bounds above */
	for (i = 8; i <= 22; i++) {
		char path[sizeof(cache) + 32];

		snprintf(path, sizeof(path), "%s/bsgs-p256-%zu.tbl", cache, i);
		(void)unlink(path);
	}
	ok(rmdir(cache) == 0, "cache removed");
	return tap_done();
}
