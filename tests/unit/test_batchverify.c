/*
 * Batch verification (lib/batchverify.c): honest batches of decryption
 * shares and of ciphertexts pass; one bad element is refused and named,
 * alone, with the one-by-one error; commitments that are wrong while the
 * proof is right do not condemn it; and two errors crafted to cancel pass
 * the combined equation under fixed weights but not under the fresh
 * random ones the verifier draws; with the nodes' tables, each share's
 * second equation is checked alone.
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "batchverify.h"
#include "tap.h"

#define T 11
#define N 16

static struct ccc_ec *ec;
static struct ccc_tdh2_pub pub;
static BIGNUM *x[N];
static struct ccc_tdh2_ct ct;
static struct ccc_tdh2_dshare ds[N];
static const struct ccc_tdh2_dshare *dsp[N];
static uint8_t comm[N][2][CCC_POINT_BYTES], binds[N][32];
static uint8_t ones[2 * N][CCC_BATCH_WEIGHT_BYTES];
static uint8_t msg[32];

static int
setup(void)
{
	uint8_t m[32], label[32], digest[32];
	uint32_t i;

	if (ccc_tdh2_pub_alloc(ec, &pub, N) != 0)
		return -1;
	randombytes_buf(pub.key_id, 32);
	for (i = 0; i < N; i++)
		if ((x[i] = BN_secure_new()) == NULL)
			return -1;
	if (ccc_tdh2_deal(ec, &pub, x, T, NULL) != 0)
		return -1;
	randombytes_buf(m, 32);
	memcpy(msg, m, 32);
	randombytes_buf(label, 32);
	randombytes_buf(digest, 32);
	if (ccc_tdh2_encrypt(ec, &ct, &pub, m, label, NULL) != 0)
		return -1;
	for (i = 0; i < N; i++) {
		ccc_tdh2_share_bind(binds[i], pub.key_id, 0, i + 1, digest,
		    NULL, 0);
		if (ccc_tdh2_share_comm(ec, &ds[i], comm[i], &pub, x[i], i + 1,
		    &ct, binds[i], NULL) != 0)
			return -1;
		dsp[i] = &ds[i];
	}
	for (i = 0; i < 2 * N; i++)
		ones[i][CCC_BATCH_WEIGHT_BYTES - 1] = 1;
	return 0;
}

static void
enc(uint8_t out[CCC_POINT_BYTES], const EC_POINT *p)
{
	EC_POINT_point2oct(ec->group, p, POINT_CONVERSION_UNCOMPRESSED, out,
	    CCC_POINT_BYTES, ec->bn);
}

/*
 * Node i's share whose u_hat (h_hat with side 1) is s*u + D (s*G + D; D =
 * delta, or -delta when neg), with a challenge and response that are
 * right for it: its equation f*u = u_hat + e*u_i (f*G = h_hat + e*h_i)
 * misses by exactly -D.
 */
static void
crafted_side(uint32_t i, const EC_POINT *delta, int neg, int side,
    struct ccc_tdh2_dshare *out, uint8_t (*c)[CCC_POINT_BYTES])
{
	EC_POINT *u = EC_POINT_new(ec->group), *p = EC_POINT_new(ec->group);
	EC_POINT *d = EC_POINT_dup(delta, ec->group);
	BIGNUM *s = BN_new(), *e = BN_new(), *f = BN_new();
	uint8_t h[32];

	ccc_ec_point_decode(ec, u, ct.u, "u", NULL);
	if (neg)
		EC_POINT_invert(ec->group, d, ec->bn);
	ccc_ec_scalar_random(ec, s);
	out->index = i + 1;
	EC_POINT_mul(ec->group, p, NULL, u, x[i], ec->bn);
	enc(out->u_i, p);
	EC_POINT_mul(ec->group, p, NULL, u, s, ec->bn);
	if (side == 0)
		EC_POINT_add(ec->group, p, p, d, ec->bn);
	enc(c[0], p);
	EC_POINT_mul(ec->group, p, s, NULL, NULL, ec->bn);
	if (side == 1)
		EC_POINT_add(ec->group, p, p, d, ec->bn);
	enc(c[1], p);
	ccc_tdh2_share_challenge(h, binds[i], ct.u, pub.hi_enc[i], out->u_i,
	    c[0], c[1]);
	ccc_ec_scalar_from_hash(ec, e, h, 32);
	BN_mod_mul(f, x[i], e, ec->n, ec->bn);
	BN_mod_add(f, f, s, ec->n, ec->bn);
	ccc_ec_scalar_encode(out->e_i, e);
	ccc_ec_scalar_encode(out->f_i, f);
	EC_POINT_free(u);
	EC_POINT_free(p);
	EC_POINT_free(d);
	BN_free(s);
	BN_free(e);
	BN_free(f);
}

static void
crafted_share(uint32_t i, const EC_POINT *delta, int neg,
    struct ccc_tdh2_dshare *out, uint8_t (*c)[CCC_POINT_BYTES])
{
	crafted_side(i, delta, neg, 0, out, c);
}

static int
only_bad(const int *verdict, size_t k, int code, size_t a, size_t b)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (verdict[i] != ((i == a || i == b) ? code : 0))
			return 0;
	return 1;
}

static void
shares(void)
{
	struct ccc_tdh2_dshare bad[N];
	const struct ccc_tdh2_dshare *bp[N];
	uint8_t bc[N][2][CCC_POINT_BYTES];
	struct ccc_err why[N], err;
	int verdict[N];
	bool pre[N], okk = false;
	EC_POINT *delta = EC_POINT_new(ec->group);
	BIGNUM *r = BN_new();
	size_t i;

	ok(ccc_tdh2_share_verify_batch(ec, &pub, &ct, dsp, comm, binds, N,
	    verdict, why, &err) == 0 && only_bad(verdict, N, 0, N, N),
	    "%d honest shares verify in one batch", N);

	memcpy(bad, ds, sizeof(bad));
	memcpy(bc, comm, sizeof(bc));
	for (i = 0; i < N; i++)
		bp[i] = &bad[i];
	bad[6].f_i[31] ^= 1;
	ok(ccc_tdh2_share_verify_batch(ec, &pub, &ct, bp, bc, binds, N,
	    verdict, why, &err) == CCC_E_SHARE &&
	    only_bad(verdict, N, CCC_E_SHARE, 6, 6),
	    "a batch with one bad share is refused, and only it is named");
	ok(strcmp(why[6].detail, "proof does not verify") == 0,
	    "with the one-by-one reason: %s", why[6].detail);

	bad[6] = ds[6];
	bc[3][1][40] ^= 1;	/* h_hat of node 4 garbled, its proof intact */
	ok(ccc_tdh2_share_verify_batch(ec, &pub, &ct, bp, bc, binds, N,
	    verdict, NULL, &err) == 0 && only_bad(verdict, N, 0, N, N),
	    "a wrong commitment alone does not condemn a right proof");

	/* Two errors that cancel when the weights are equal. */
	memcpy(bc, comm, sizeof(bc));
	ccc_ec_scalar_random(ec, r);
	EC_POINT_mul(ec->group, delta, r, NULL, NULL, ec->bn);
	crafted_share(2, delta, 0, &bad[2], bc[2]);
	crafted_share(9, delta, 1, &bad[9], bc[9]);
	ok(ccc_tdh2_share_verify(ec, &pub, &ct, &bad[2], binds[2], NULL) ==
	    CCC_E_SHARE && ccc_tdh2_share_verify(ec, &pub, &ct, &bad[9],
	    binds[9], NULL) == CCC_E_SHARE,
	    "the crafted shares are bad, one by one");
	ok(ccc_tdh2_share_batch_check(ec, &pub, &ct, bp, bc, binds, N,
	    (const uint8_t (*)[CCC_BATCH_WEIGHT_BYTES])ones, pre, &okk) == 0 &&
	    okk, "with fixed weights their errors cancel: the batch passes");
	ok(ccc_tdh2_share_verify_batch(ec, &pub, &ct, bp, bc, binds, N,
	    verdict, why, &err) == CCC_E_SHARE &&
	    only_bad(verdict, N, CCC_E_SHARE, 2, 9),
	    "with random weights the batch fails and names both");

	/* Chainlink's challenge (no bind) batches the same way. */
	for (i = 0; i < N; i++)
		if (ccc_tdh2_share_comm(ec, &bad[i], bc[i], &pub, x[i], i + 1,
		    &ct, NULL, NULL) != 0)
			break;
	ok(i == N && ccc_tdh2_share_verify_batch(ec, &pub, &ct, bp, bc,
	    NULL, N, verdict, NULL, &err) == 0,
	    "shares with Chainlink's challenge verify in a batch");
	EC_POINT_free(delta);
	BN_free(r);
}

/*
 * A ciphertext whose w is s*G + D (D = delta, or -delta when neg), its
 * challenge and response right for it: f*G = w + e*u misses by -D.
 */
static void
crafted_ct(const EC_POINT *delta, int neg, struct ccc_tdh2_ct *out,
    uint8_t (*c)[CCC_POINT_BYTES])
{
	EC_POINT *p = EC_POINT_new(ec->group);
	EC_POINT *d = EC_POINT_dup(delta, ec->group);
	BIGNUM *r = BN_new(), *s = BN_new(), *e = BN_new(), *f = BN_new();
	uint8_t h[32];

	if (neg)
		EC_POINT_invert(ec->group, d, ec->bn);
	ccc_ec_scalar_random(ec, r);
	ccc_ec_scalar_random(ec, s);
	randombytes_buf(out->c, 32);
	randombytes_buf(out->label, 32);
	EC_POINT_mul(ec->group, p, r, NULL, NULL, ec->bn);
	enc(out->u, p);
	EC_POINT_mul(ec->group, p, NULL, pub.gbar, r, ec->bn);
	enc(out->u_bar, p);
	EC_POINT_mul(ec->group, p, s, NULL, NULL, ec->bn);
	EC_POINT_add(ec->group, p, p, d, ec->bn);
	enc(c[0], p);
	EC_POINT_mul(ec->group, p, NULL, pub.gbar, s, ec->bn);
	enc(c[1], p);
	ccc_tdh2_ct_challenge(h, out->c, out->label, out->u, c[0], out->u_bar,
	    c[1]);
	ccc_ec_scalar_from_hash(ec, e, h, 32);
	BN_mod_mul(f, r, e, ec->n, ec->bn);
	BN_mod_add(f, f, s, ec->n, ec->bn);
	ccc_ec_scalar_encode(out->e, e);
	ccc_ec_scalar_encode(out->f, f);
	EC_POINT_free(p);
	EC_POINT_free(d);
	BN_free(r);
	BN_free(s);
	BN_free(e);
	BN_free(f);
}

static void
ciphertexts(void)
{
	struct ccc_tdh2_ct cts[N];
	const struct ccc_tdh2_ct *cp[N];
	uint8_t cc[N][2][CCC_POINT_BYTES], m[32], label[32];
	struct ccc_err why[N], err;
	int verdict[N];
	bool pre[N], okk = false, made = true;
	EC_POINT *delta = EC_POINT_new(ec->group);
	BIGNUM *r = BN_new();
	size_t i;

	for (i = 0; i < N; i++) {
		randombytes_buf(m, 32);
		randombytes_buf(label, 32);
		made &= ccc_tdh2_encrypt_comm(ec, &cts[i], cc[i], &pub, m,
		    label, NULL) == 0;
		cp[i] = &cts[i];
	}
	ok(made && ccc_tdh2_verify_batch(ec, &pub, cp, cc, N, verdict, why,
	    &err) == 0 && only_bad(verdict, N, 0, N, N),
	    "%d honest ciphertexts verify in one batch", N);
	cts[11].e[31] ^= 1;
	ok(ccc_tdh2_verify_batch(ec, &pub, cp, cc, N, verdict, why, &err) ==
	    CCC_E_CIPHERTEXT && only_bad(verdict, N, CCC_E_CIPHERTEXT, 11, 11),
	    "a batch with one bad ciphertext is refused, and only it is named");
	ok(strcmp(why[11].detail, "proof does not verify (tampered, or made "
	    "for another key)") == 0, "with the one-by-one reason");
	cts[11].e[31] ^= 1;
	cts[5].u[0] = 0x02;
	ok(ccc_tdh2_verify_batch(ec, &pub, cp, cc, N, verdict, why, &err) ==
	    CCC_E_CIPHERTEXT && only_bad(verdict, N, CCC_E_POINT, 5, 5),
	    "an undecodable one is named with its decoding error");
	cts[5].u[0] = 0x04;

	ccc_ec_scalar_random(ec, r);
	EC_POINT_mul(ec->group, delta, r, NULL, NULL, ec->bn);
	crafted_ct(delta, 0, &cts[1], cc[1]);
	crafted_ct(delta, 1, &cts[14], cc[14]);
	ok(ccc_tdh2_verify(ec, &pub, &cts[1], NULL) == CCC_E_CIPHERTEXT &&
	    ccc_tdh2_verify(ec, &pub, &cts[14], NULL) == CCC_E_CIPHERTEXT,
	    "the crafted ciphertexts are bad, one by one");
	ok(ccc_tdh2_ct_batch_check(ec, &pub, cp, cc, N,
	    (const uint8_t (*)[CCC_BATCH_WEIGHT_BYTES])ones, pre, &okk) == 0 &&
	    okk, "with fixed weights their errors cancel: the batch passes");
	ok(ccc_tdh2_verify_batch(ec, &pub, cp, cc, N, verdict, why, &err) ==
	    CCC_E_CIPHERTEXT && only_bad(verdict, N, CCC_E_CIPHERTEXT, 1, 14),
	    "with random weights the batch fails and names both");
	ok(ccc_tdh2_verify_batch(ec, &pub, cp, cc, 0, verdict, why, &err) ==
	    0, "an empty batch verifies");
	EC_POINT_free(delta);
	BN_free(r);
}

/*
 * Shares combined in the multiplication that checks them: t honest shares
 * give the message; a bad proof among them, or two crafted to cancel
 * under equal weights, give another each time (the payload's tag would
 * fail), never the message; a commitment that does not hash to its
 * challenge, or not exactly t shares, give nothing (checked the usual
 * way).
 */
static void
fused(void)
{
	struct ccc_tdh2_dshare bad[N];
	const struct ccc_tdh2_dshare *bp[N];
	uint8_t bc[N][2][CCC_POINT_BYTES], m[32], m2[32], zero[32];
	EC_POINT *delta = EC_POINT_new(ec->group);
	BIGNUM *r = BN_new();
	bool okk = false;
	size_t i;

	memset(zero, 0, sizeof(zero));
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, dsp, comm, binds, T,
	    &okk) == 0 && okk && memcmp(m, msg, 32) == 0,
	    "%d honest shares combined with their check: the message", T);
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, dsp + 3, comm + 3,
	    binds + 3, T, &okk) == 0 && okk && memcmp(m, msg, 32) == 0,
	    "any %d of them (nodes 4 to %d)", T, T + 3);

	memcpy(bad, ds, sizeof(bad));
	memcpy(bc, comm, sizeof(bc));
	for (i = 0; i < N; i++)
		bp[i] = &bad[i];
	bad[6].f_i[31] ^= 1;
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, bp, bc, binds, T,
	    &okk) == 0 && okk && memcmp(m, msg, 32) != 0 &&
	    ccc_tdh2_share_combine_batch(ec, m2, &pub, &ct, bp, bc, binds, T,
	    &okk) == 0 && okk && memcmp(m2, msg, 32) != 0 &&
	    memcmp(m, m2, 32) != 0,
	    "a bad proof among them: another message, a new one each time");

	bad[6] = ds[6];
	memcpy(m, zero, 32);
	bc[3][1][40] ^= 1;	/* h_hat of node 4 garbled, its proof intact */
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, bp, bc, binds, T,
	    &okk) == 0 && !okk && memcmp(m, zero, 32) == 0,
	    "a commitment that does not give its challenge: nothing combined");

	memcpy(bc, comm, sizeof(bc));
	ccc_ec_scalar_random(ec, r);
	EC_POINT_mul(ec->group, delta, r, NULL, NULL, ec->bn);
	crafted_share(2, delta, 0, &bad[2], bc[2]);
	crafted_share(9, delta, 1, &bad[9], bc[9]);
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, bp, bc, binds, T,
	    &okk) == 0 && okk && memcmp(m, msg, 32) != 0,
	    "two errors that cancel under equal weights: another message");

	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, dsp, comm, binds,
	    T + 1, &okk) == 0 && !okk && ccc_tdh2_share_combine_batch(ec, m,
	    &pub, &ct, dsp, comm, binds, T - 1, &okk) == 0 && !okk,
	    "t + 1 or t - 1 shares: nothing combined");
	EC_POINT_free(delta);
	BN_free(r);
}

/*
 * With the nodes' fixed-base tables (a process that keeps them), each
 * share's f*G = h_hat + e*h_i is checked alone, out of the
 * multiplication: honest shares pass and combine as before; a share
 * whose h_hat errs while its challenge is right is left out of the batch
 * (judged alone, named), even when a second one's error would cancel it
 * under equal weights; fused, nothing is combined from it.
 */
static void
tables(void)
{
	struct ccc_tdh2_dshare bad[N];
	const struct ccc_tdh2_dshare *bp[N];
	uint8_t bc[N][2][CCC_POINT_BYTES], m[32], zero[32];
	struct ccc_err why[N], err;
	int verdict[N];
	bool pre[N], okk = false;
	EC_POINT *delta = EC_POINT_new(ec->group);
	BIGNUM *r = BN_new();
	size_t i, in;

	memset(zero, 0, sizeof(zero));
	memcpy(bad, ds, sizeof(bad));
	memcpy(bc, comm, sizeof(bc));
	for (i = 0; i < N; i++)
		bp[i] = &bad[i];
	ccc_ec_scalar_random(ec, r);
	EC_POINT_mul(ec->group, delta, r, NULL, NULL, ec->bn);
	crafted_side(2, delta, 0, 1, &bad[2], bc[2]);
	crafted_side(9, delta, 1, 1, &bad[9], bc[9]);
	ok(ccc_tdh2_share_batch_check(ec, &pub, &ct, bp, bc, binds, N,
	    (const uint8_t (*)[CCC_BATCH_WEIGHT_BYTES])ones, pre, &okk) == 0 &&
	    okk && pre[2] && pre[9], "without tables, two h_hat errors cancel "
	    "under equal weights: the batch passes");

	ok(ccc_tdh2_pub_precompute_nodes(ec, &pub, NULL, 0, NULL) == 0,
	    "the nodes' tables");
	ok(ccc_tdh2_share_verify_batch(ec, &pub, &ct, dsp, comm, binds, N,
	    verdict, why, &err) == 0 && only_bad(verdict, N, 0, N, N),
	    "with them, %d honest shares verify in one batch", N);
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, dsp + 2, comm + 2,
	    binds + 2, T, &okk) == 0 && okk && memcmp(m, msg, 32) == 0,
	    "and %d combine with their check: the message", T);
	ok(ccc_tdh2_share_batch_check(ec, &pub, &ct, bp, bc, binds, N,
	    (const uint8_t (*)[CCC_BATCH_WEIGHT_BYTES])ones, pre, &okk) == 0,
	    "the crafted pair, equal weights, with tables");
	for (in = 0, i = 0; i < N; i++)
		in += pre[i];
	ok(!pre[2] && !pre[9] && in == N - 2,
	    "each is left out of the batch (h_hat checked alone)");
	ok(ccc_tdh2_share_verify_batch(ec, &pub, &ct, bp, bc, binds, N,
	    verdict, why, &err) == CCC_E_SHARE &&
	    only_bad(verdict, N, CCC_E_SHARE, 2, 9) &&
	    strcmp(why[9].detail, "proof does not verify") == 0,
	    "and named, with the one-by-one reason");
	memcpy(m, zero, 32);
	ok(ccc_tdh2_share_combine_batch(ec, m, &pub, &ct, bp, bc, binds, T,
	    &okk) == 0 && !okk && memcmp(m, zero, 32) == 0,
	    "fused with one of them: nothing combined");
	EC_POINT_free(delta);
	BN_free(r);
}

int
main(void)
{
	size_t i;

	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL ||
	    setup() != 0)
		return 99;
	shares();
	fused();
	ciphertexts();
	tables();
	for (i = 0; i < N; i++)
		BN_clear_free(x[i]);
	ccc_tdh2_pub_free(&pub);
	return tap_done();
}
