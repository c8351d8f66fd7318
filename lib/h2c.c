/*
 * RFC 9380 hash_to_curve, suite P256_XMD:SHA-256_SSWU_RO_.  SHA-256 comes
 * from libsodium, field arithmetic from OpenSSL BIGNUM mod p and the curve
 * from OpenSSL's P-256 group; this file is only the protocol layer.
 *
 * Not constant time: BN_mod_inverse, the square test and the branches
 * depend on the input.  That is fine because it only ever hashes public
 * values (key ids); do not feed it secrets.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <sodium.h>

#include "h2c.h"

#define H2C_HASH_BYTES	32	/* b_in_bytes of SHA-256 */
#define H2C_BLOCK_BYTES	64	/* r_in_bytes of SHA-256 */
#define H2C_L		48	/* ceil((ceil(log2(p)) + 128) / 8) */

/* Per-process constants of the suite, made once and never freed. */
struct h2c_consts {
	EC_GROUP *group;
	BN_MONT_CTX *mont;	/* of p, for the square roots */
	BIGNUM *p;
	BIGNUM *a;		/* p - 3 */
	BIGNUM *b;
	BIGNUM *z;		/* p - 10, section 8.2 */
	BIGNUM *x1_gen;		/* -B / A */
	BIGNUM *x1_exc;		/* B / (Z * A), for inv0(0) */
	BIGNUM *sqrt_exp;	/* (p + 1) / 4: a square root as p = 3 mod 4 */
};

int
ccc_h2c_expand_xmd(uint8_t *out, size_t out_len, const uint8_t *msg,
    size_t msg_len, const uint8_t *dst, size_t dst_len)
{
	static const uint8_t z_pad[H2C_BLOCK_BYTES];
	crypto_hash_sha256_state st;
	uint8_t b0[H2C_HASH_BYTES], bi[H2C_HASH_BYTES], hdr[3], dlen, idx;
	size_t ell, i, j, n;

	if (out_len == 0 || out_len > CCC_H2C_XMD_MAX_BYTES ||
	    dst_len == 0 || dst_len > CCC_H2C_DST_MAX_BYTES)
		return CCC_E_FIELD;
	ell = (out_len + H2C_HASH_BYTES - 1) / H2C_HASH_BYTES;
	dlen = (uint8_t)dst_len;

	/* b_0 = H(Z_pad || msg || I2OSP(len_in_bytes, 2) || 0 || DST_prime) */
	hdr[0] = (uint8_t)(out_len >> 8);
	hdr[1] = (uint8_t)out_len;
	hdr[2] = 0;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, z_pad, sizeof(z_pad));
	crypto_hash_sha256_update(&st, msg, msg_len);
	crypto_hash_sha256_update(&st, hdr, sizeof(hdr));
	crypto_hash_sha256_update(&st, dst, dst_len);
	crypto_hash_sha256_update(&st, &dlen, 1);
	crypto_hash_sha256_final(&st, b0);

	/*
	 * b_i = H((b_0 xor b_(i-1)) || I2OSP(i, 1) || DST_prime).  Starting
	 * from an all-zero b_(i-1) makes b_1 = H(b_0 || 1 || DST_prime).
	 */
	memset(bi, 0, sizeof(bi));
	for (i = 1; i <= ell; i++) {
		for (j = 0; j < sizeof(bi); j++)
			bi[j] ^= b0[j];
		idx = (uint8_t)i;
		crypto_hash_sha256_init(&st);
		crypto_hash_sha256_update(&st, bi, sizeof(bi));
		crypto_hash_sha256_update(&st, &idx, 1);
		crypto_hash_sha256_update(&st, dst, dst_len);
		crypto_hash_sha256_update(&st, &dlen, 1);
		crypto_hash_sha256_final(&st, bi);
		n = out_len - (i - 1) * H2C_HASH_BYTES;
		memcpy(out + (i - 1) * H2C_HASH_BYTES, bi,
		    n < sizeof(bi) ? n : sizeof(bi));
	}

	/* A generic expander may be handed secrets by a later caller. */
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(b0, sizeof(b0));
	sodium_memzero(bi, sizeof(bi));
	return 0;
}

static void
h2c_consts_free(struct h2c_consts *k)
{
	EC_GROUP_free(k->group);
	BN_MONT_CTX_free(k->mont);
	BN_free(k->p);
	BN_free(k->a);
	BN_free(k->b);
	BN_free(k->z);
	BN_free(k->x1_gen);
	BN_free(k->x1_exc);
	BN_free(k->sqrt_exp);
	memset(k, 0, sizeof(*k));
}

/* Take p, A and B from OpenSSL's own group so they cannot disagree. */
static int
h2c_consts_init(struct h2c_consts *k)
{
	BN_CTX *ctx;
	BIGNUM *t;
	int rc = CCC_E_NOMEM;

	memset(k, 0, sizeof(*k));
	t = BN_new();
	if ((ctx = BN_CTX_new()) == NULL || t == NULL ||
	    (k->group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)) ==
	    NULL ||
	    (k->mont = BN_MONT_CTX_new()) == NULL ||
	    (k->p = BN_new()) == NULL || (k->a = BN_new()) == NULL ||
	    (k->b = BN_new()) == NULL || (k->z = BN_new()) == NULL ||
	    (k->x1_gen = BN_new()) == NULL || (k->x1_exc = BN_new()) == NULL ||
	    (k->sqrt_exp = BN_new()) == NULL)
		goto out;

	rc = CCC_E_CRYPTO;
	if (!EC_GROUP_get_curve(k->group, k->p, k->a, k->b, ctx) ||
	    !BN_MONT_CTX_set(k->mont, k->p, ctx) ||
	    !BN_copy(k->z, k->p) || !BN_sub_word(k->z, 10) ||
	    !BN_copy(k->sqrt_exp, k->p) || !BN_add_word(k->sqrt_exp, 1) ||
	    !BN_rshift(k->sqrt_exp, k->sqrt_exp, 2))
		goto out;
	/* x1_gen = -B / A; B != 0, so p - B * A^-1 is reduced. */
	if (BN_mod_inverse(t, k->a, k->p, ctx) == NULL ||
	    !BN_mod_mul(k->x1_gen, k->b, t, k->p, ctx) ||
	    !BN_sub(k->x1_gen, k->p, k->x1_gen))
		goto out;
	/* x1_exc = B / (Z * A) */
	if (!BN_mod_mul(t, k->z, k->a, k->p, ctx) ||
	    BN_mod_inverse(k->x1_exc, t, k->p, ctx) == NULL ||
	    !BN_mod_mul(k->x1_exc, k->x1_exc, k->b, k->p, ctx))
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		h2c_consts_free(k);
		ERR_clear_error();
	}
	BN_free(t);
	BN_CTX_free(ctx);
	return rc;
}

/*
 * The constants, made on first use.  A mutex rather than pthread_once so
 * that a failed first attempt (out of memory) is retried by the next call
 * instead of failing for the life of the process.
 */
static int
h2c_consts_get(const struct h2c_consts **kp)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct h2c_consts k;
	static int ready;
	int rc = 0;

	if (pthread_mutex_lock(&lock) != 0)
		return CCC_E_INTERNAL;
	if (!ready && (rc = h2c_consts_init(&k)) == 0)
		ready = 1;
	pthread_mutex_unlock(&lock);
	*kp = &k;
	return rc;
}

/* gx = x^3 + A * x + B, as (x^2 + A) * x + B.  1 on success, 0 on failure. */
static int
h2c_gx(const struct h2c_consts *k, BIGNUM *gx, const BIGNUM *x, BN_CTX *ctx)
{
	return BN_mod_sqr(gx, x, k->p, ctx) &&
	    BN_mod_add(gx, gx, k->a, k->p, ctx) &&
	    BN_mod_mul(gx, gx, x, k->p, ctx) &&
	    BN_mod_add(gx, gx, k->b, k->p, ctx);
}

/*
 * map_to_curve_simple_swu (RFC 9380 section 6.6.2) of u in [0, p) to q,
 * in the plain form for p = 3 mod 4: a candidate square root is
 * gx^((p + 1) / 4), and squaring it back tells whether gx was a square.
 * 1 on success, 0 on an OpenSSL failure.
 */
static int
h2c_sswu(const struct h2c_consts *k, EC_POINT *q, const BIGNUM *u,
    BN_CTX *ctx)
{
	BIGNUM *zu2, *tv, *x, *gx, *y;
	int ok = 0;

	BN_CTX_start(ctx);
	zu2 = BN_CTX_get(ctx);
	tv = BN_CTX_get(ctx);
	x = BN_CTX_get(ctx);
	gx = BN_CTX_get(ctx);
	if ((y = BN_CTX_get(ctx)) == NULL)
		goto out;

	/* tv = Z^2 * u^4 + Z * u^2 */
	if (!BN_mod_sqr(zu2, u, k->p, ctx) ||
	    !BN_mod_mul(zu2, zu2, k->z, k->p, ctx) ||
	    !BN_mod_sqr(tv, zu2, k->p, ctx) ||
	    !BN_mod_add(tv, tv, zu2, k->p, ctx))
		goto out;
	if (BN_is_zero(tv)) {
		/* inv0(0) = 0 would give -B / A; the RFC takes B / (Z * A). */
		if (!BN_copy(x, k->x1_exc))
			goto out;
	} else {
		/* x1 = (-B / A) * (1 + 1 / tv) */
		if (BN_mod_inverse(x, tv, k->p, ctx) == NULL ||
		    !BN_mod_add(x, x, BN_value_one(), k->p, ctx) ||
		    !BN_mod_mul(x, x, k->x1_gen, k->p, ctx))
			goto out;
	}

	if (!h2c_gx(k, gx, x, ctx) ||
	    !BN_mod_exp_mont(y, gx, k->sqrt_exp, k->p, ctx, k->mont) ||
	    !BN_mod_sqr(tv, y, k->p, ctx))
		goto out;
	if (BN_cmp(tv, gx) != 0) {
		/*
		 * gx1 is not a square, so gx2 = Z^3 * u^6 * gx1 is (Z is
		 * not a square): take x2 = Z * u^2 * x1.
		 */
		if (!BN_mod_mul(x, x, zu2, k->p, ctx) ||
		    !h2c_gx(k, gx, x, ctx) ||
		    !BN_mod_exp_mont(y, gx, k->sqrt_exp, k->p, ctx, k->mont))
			goto out;
	}

	/* sgn0 (section 4.1, m = 1) is the parity; make sgn0(y) = sgn0(u). */
	if (BN_is_odd(u) != BN_is_odd(y) && !BN_is_zero(y) &&
	    !BN_sub(y, k->p, y))
		goto out;

	/* Also checks that (x, y) is on the curve: a wrong map fails here. */
	if (!EC_POINT_set_affine_coordinates(k->group, q, x, y, ctx))
		goto out;
	ok = 1;
out:
	BN_CTX_end(ctx);
	return ok;
}

int
ccc_h2c_p256(uint8_t out[CCC_H2C_P256_BYTES], const uint8_t *msg,
    size_t msg_len, const uint8_t *dst, size_t dst_len)
{
	const struct h2c_consts *k;
	uint8_t uniform[2 * H2C_L], pt[CCC_H2C_P256_BYTES];
	BN_CTX *ctx = NULL;
	BIGNUM *u = NULL;
	EC_POINT *q[2] = { NULL, NULL };
	int i, rc;

	/* hash_to_field, count = 2 */
	if ((rc = ccc_h2c_expand_xmd(uniform, sizeof(uniform), msg, msg_len,
	    dst, dst_len)) != 0)
		return rc;
	if ((rc = h2c_consts_get(&k)) != 0)
		return rc;

	rc = CCC_E_NOMEM;
	if ((ctx = BN_CTX_new()) == NULL || (u = BN_new()) == NULL ||
	    (q[0] = EC_POINT_new(k->group)) == NULL ||
	    (q[1] = EC_POINT_new(k->group)) == NULL)
		goto out;

	rc = CCC_E_CRYPTO;
	for (i = 0; i < 2; i++) {
		/* u_i = OS2IP(48 bytes) mod p: a bias < 2^-128 */
		if (BN_bin2bn(uniform + i * H2C_L, H2C_L, u) == NULL ||
		    !BN_nnmod(u, u, k->p, ctx) ||
		    !h2c_sswu(k, q[i], u, ctx))
			goto out;
	}
	/* P-256 has cofactor 1, so clear_cofactor(Q0 + Q1) = Q0 + Q1. */
	if (!EC_POINT_add(k->group, q[0], q[0], q[1], ctx))
		goto out;
	if (EC_POINT_is_at_infinity(k->group, q[0])) {
		rc = CCC_E_POINT;
		goto out;
	}
	if (EC_POINT_point2oct(k->group, q[0], POINT_CONVERSION_UNCOMPRESSED,
	    pt, sizeof(pt), ctx) != sizeof(pt))
		goto out;
	memcpy(out, pt, sizeof(pt));
	rc = 0;
out:
	if (rc != 0)
		ERR_clear_error();
	EC_POINT_free(q[1]);
	EC_POINT_free(q[0]);
	BN_free(u);
	BN_CTX_free(ctx);
	return rc;
}
