/* Feldman VSS and Schnorr proofs on P-256 (see vss.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <sodium.h>

#include "vss.h"

/* A fresh secret BIGNUM (constant-time flag set), or NULL. */
static BIGNUM *
secret_bn(void)
{
	BIGNUM *b = BN_secure_new();

	if (b != NULL)
		BN_set_flags(b, BN_FLG_CONSTTIME);
	return b;
}

/* s[0..k-1] = 1, x, x^2, ... mod n (public). */
static int
powers(struct ccc_ec *ec, BIGNUM **s, uint32_t k, uint32_t x)
{
	uint32_t i;

	if (k > 0 && !BN_one(s[0]))
		return CCC_E_CRYPTO;
	for (i = 1; i < k; i++)
		if (BN_copy(s[i], s[i - 1]) == NULL || !BN_mul_word(s[i], x) ||
		    !BN_nnmod(s[i], s[i], ec->n, ec->bn))
			return CCC_E_CRYPTO;
	return 0;
}

int
ccc_vss_deal(struct ccc_ec *ec, uint8_t (*commits)[CCC_POINT_BYTES],
    BIGNUM **ys, const BIGNUM *secret, uint32_t t, const uint32_t *xs,
    size_t nx)
{
	BIGNUM **a = NULL, *xb = NULL;
	EC_POINT **C = NULL;
	uint32_t k;
	size_t i;
	int rc = CCC_E_NOMEM;

	if (t < 1 || t > CCC_VSS_MAX_T)
		return CCC_E_FIELD;
	if ((a = calloc(t, sizeof(*a))) == NULL ||
	    (C = calloc(t, sizeof(*C))) == NULL || (xb = BN_new()) == NULL)
		goto out;
	for (k = 0; k < t; k++)
		if ((a[k] = secret_bn()) == NULL ||
		    (C[k] = EC_POINT_new(ec->group)) == NULL)
			goto out;
	rc = CCC_E_CRYPTO;
	if (BN_copy(a[0], secret) == NULL)
		goto out;
	for (k = 1; k < t; k++)
		if (ccc_ec_scalar_random(ec, a[k]) != 0)
			goto out;
	for (k = 0; k < t; k++)
		if (EC_POINT_mul(ec->group, C[k], a[k], NULL, NULL,
		    ec->bn) != 1)
			goto out;
	if (ccc_ec_points_encode(ec, commits, C, t) != 0)
		goto out;
	/* Horner: f(x) = a_0 + x (a_1 + x (a_2 + ...)). */
	for (i = 0; i < nx; i++) {
		BN_set_flags(ys[i], BN_FLG_CONSTTIME);
		if (!BN_set_word(xb, xs[i]) || BN_copy(ys[i], a[t - 1]) ==
		    NULL)
			goto out;
		for (k = t - 1; k-- > 0;)
			if (!BN_mod_mul(ys[i], ys[i], xb, ec->n, ec->bn) ||
			    !BN_mod_add(ys[i], ys[i], a[k], ec->n, ec->bn))
				goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	if (a != NULL)
		for (k = 0; k < t; k++)
			BN_clear_free(a[k]);
	if (C != NULL)
		for (k = 0; k < t; k++)
			EC_POINT_clear_free(C[k]);
	free(a);
	free(C);
	BN_free(xb);
	return rc;
}

int
ccc_vss_decode(struct ccc_ec *ec, EC_POINT **C, const uint8_t *enc,
    uint32_t t, struct ccc_err *err)
{
	static const char *const names[] = { "C_0", "C_1", "C_2", "C_k" };
	uint32_t k;
	int rc;

	for (k = 0; k < t; k++)
		if ((rc = ccc_ec_point_decode(ec, C[k], enc + (size_t)k *
		    CCC_POINT_BYTES, names[k < 3 ? k : 3], err)) != 0)
			return rc;
	return 0;
}

int
ccc_vss_eval(struct ccc_ec *ec, EC_POINT *out, EC_POINT *const *C,
    uint32_t t, uint32_t x)
{
	BIGNUM **s = NULL;
	uint32_t k;
	int rc = CCC_E_NOMEM;

	BN_CTX_start(ec->bn);
	if ((s = calloc(t, sizeof(*s))) == NULL)
		goto out;
	for (k = 0; k < t; k++)
		if ((s[k] = BN_CTX_get(ec->bn)) == NULL)
			goto out;
	if ((rc = powers(ec, s, t, x)) != 0)
		goto out;
	rc = EC_POINTs_mul(ec->group, out, NULL, t, (const EC_POINT **)C,
	    (const BIGNUM **)s, ec->bn) == 1 ? 0 : CCC_E_CRYPTO;
out:
	ERR_clear_error();
	free(s);
	BN_CTX_end(ec->bn);
	return rc;
}

int
ccc_vss_check(struct ccc_ec *ec, EC_POINT *const *C, uint32_t t, uint32_t x,
    const BIGNUM *y)
{
	EC_POINT *P = NULL, *Q = NULL;
	int rc = CCC_E_NOMEM;

	if ((P = EC_POINT_new(ec->group)) == NULL ||
	    (Q = EC_POINT_new(ec->group)) == NULL)
		goto out;
	if ((rc = ccc_vss_eval(ec, P, C, t, x)) != 0)
		goto out;
	rc = CCC_E_CRYPTO;
	if (EC_POINT_mul(ec->group, Q, y, NULL, NULL, ec->bn) != 1)
		goto out;
	rc = EC_POINT_cmp(ec->group, P, Q, ec->bn) == 0 ? 0 : CCC_E_SHARE;
out:
	ERR_clear_error();
	EC_POINT_free(P);
	EC_POINT_clear_free(Q);
	return rc;
}

int
ccc_vss_combine(struct ccc_ec *ec, EC_POINT **A, EC_POINT **const *C,
    const BIGNUM *const *w, size_t k, uint32_t t)
{
	const EC_POINT **col = NULL;
	uint32_t j;
	size_t i;
	int rc = CCC_E_NOMEM;

	if ((col = calloc(k, sizeof(*col))) == NULL)
		return rc;
	rc = 0;
	for (j = 0; j < t && rc == 0; j++) {
		if (w == NULL) {
			/* Weights all 1 (a DKG): k - 1 additions. */
			if (EC_POINT_copy(A[j], C[0][j]) != 1)
				rc = CCC_E_CRYPTO;
			for (i = 1; i < k && rc == 0; i++)
				if (EC_POINT_add(ec->group, A[j], A[j], C[i][j],
				    ec->bn) != 1)
					rc = CCC_E_CRYPTO;
			continue;
		}
		for (i = 0; i < k; i++)
			col[i] = C[i][j];
		if (EC_POINTs_mul(ec->group, A[j], NULL, k, col,
		    (const BIGNUM **)w, ec->bn) != 1)
			rc = CCC_E_CRYPTO;
	}
	ERR_clear_error();
	free(col);
	return rc;
}

int
ccc_vss_sum(struct ccc_ec *ec, BIGNUM *y, const BIGNUM *const *w,
    BIGNUM *const *s, size_t k)
{
	BIGNUM *p;
	size_t i;
	int rc = CCC_E_CRYPTO;

	BN_CTX_start(ec->bn);
	if ((p = BN_CTX_get(ec->bn)) == NULL)
		goto out;
	BN_set_flags(p, BN_FLG_CONSTTIME);
	BN_set_flags(y, BN_FLG_CONSTTIME);
	BN_zero(y);
	for (i = 0; i < k; i++)
		if (!BN_mod_mul(p, w[i], s[i], ec->n, ec->bn) ||
		    !BN_mod_add(y, y, p, ec->n, ec->bn))
			goto out;
	rc = 0;
out:
	if (p != NULL)
		BN_clear(p);
	ERR_clear_error();
	BN_CTX_end(ec->bn);
	return rc;
}

/* c = SHA-512(tag || 0 || ctx || X || R) mod n. */
static int
challenge(struct ccc_ec *ec, BIGNUM *c, const char *tag, const uint8_t *ctx,
    size_t ctx_len, const uint8_t X[CCC_POINT_BYTES],
    const uint8_t R[CCC_POINT_BYTES])
{
	crypto_hash_sha512_state st;
	uint8_t d[64];

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, (const uint8_t *)tag, strlen(tag) + 1);
	crypto_hash_sha512_update(&st, ctx, ctx_len);
	crypto_hash_sha512_update(&st, X, CCC_POINT_BYTES);
	crypto_hash_sha512_update(&st, R, CCC_POINT_BYTES);
	crypto_hash_sha512_final(&st, d);
	return ccc_ec_scalar_from_hash(ec, c, d, sizeof(d));
}

int
ccc_schnorr_prove(struct ccc_ec *ec, uint8_t proof[CCC_VSS_PROOF_BYTES],
    const BIGNUM *x, const uint8_t X[CCC_POINT_BYTES], const char *tag,
    const uint8_t *ctx, size_t ctx_len)
{
	BIGNUM *r = NULL, *c = NULL, *z = NULL;
	EC_POINT *R = NULL;
	int rc = CCC_E_NOMEM;

	if ((r = secret_bn()) == NULL || (z = secret_bn()) == NULL ||
	    (c = BN_new()) == NULL || (R = EC_POINT_new(ec->group)) == NULL)
		goto out;
	rc = CCC_E_CRYPTO;
	if (ccc_ec_scalar_random(ec, r) != 0 ||
	    EC_POINT_mul(ec->group, R, r, NULL, NULL, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])proof, &R,
	    1) != 0 ||
	    challenge(ec, c, tag, ctx, ctx_len, X, proof) != 0 ||
	    !BN_mod_mul(z, c, x, ec->n, ec->bn) ||
	    !BN_mod_add(z, z, r, ec->n, ec->bn) ||
	    ccc_ec_scalar_encode(proof + CCC_POINT_BYTES, z) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		sodium_memzero(proof, CCC_VSS_PROOF_BYTES);
	ERR_clear_error();
	BN_clear_free(r);
	BN_clear_free(z);
	BN_free(c);
	EC_POINT_clear_free(R);
	return rc;
}

int
ccc_schnorr_verify(struct ccc_ec *ec, const uint8_t proof[CCC_VSS_PROOF_BYTES],
    const EC_POINT *X, const uint8_t X_enc[CCC_POINT_BYTES], const char *tag,
    const uint8_t *ctx, size_t ctx_len)
{
	BIGNUM *c = NULL, *z = NULL;
	EC_POINT *R = NULL, *T = NULL;
	int rc = CCC_E_NOMEM;

	if ((c = BN_new()) == NULL || (z = BN_new()) == NULL ||
	    (R = EC_POINT_new(ec->group)) == NULL ||
	    (T = EC_POINT_new(ec->group)) == NULL)
		goto out;
	rc = CCC_E_SIGNATURE;
	if (ccc_ec_point_decode(ec, R, proof, NULL, NULL) != 0 ||
	    ccc_ec_scalar_decode(ec, z, proof + CCC_POINT_BYTES, NULL,
	    NULL) != 0)
		goto out;
	rc = CCC_E_CRYPTO;
	/* T = z G - c X must be R. */
	if (challenge(ec, c, tag, ctx, ctx_len, X_enc, proof) != 0 ||
	    (!BN_is_zero(c) && !BN_sub(c, ec->n, c)) ||
	    EC_POINT_mul(ec->group, T, z, X, c, ec->bn) != 1)
		goto out;
	rc = EC_POINT_cmp(ec->group, T, R, ec->bn) == 0 ? 0 :
	    CCC_E_SIGNATURE;
out:
	ERR_clear_error();
	BN_free(c);
	BN_free(z);
	EC_POINT_free(R);
	EC_POINT_free(T);
	return rc;
}
