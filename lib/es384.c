/* ES384 verification with precomputed multiples of the key (es384.h). */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "es384.h"

/* P-384 with a table of its generator's multiples: built once, kept. */
static EC_GROUP *gtab;
static pthread_once_t gtab_once = PTHREAD_ONCE_INIT;

static void
gtab_make(void)
{
	EC_GROUP *g;

	if ((g = EC_GROUP_new_by_curve_name(NID_secp384r1)) != NULL &&
	    EC_GROUP_precompute_mult(g, NULL) == 1)
		gtab = g;
	else
		EC_GROUP_free(g);
	ERR_clear_error();
}

/* pub's point, in group g; NULL if pub is not a P-384 EC key. */
static EC_POINT *
key_point(EVP_PKEY *pub, const EC_GROUP *g, BN_CTX *bn)
{
	unsigned char enc[1 + 2 * 48];
	char name[32];
	EC_POINT *q;
	size_t n;

	if (EVP_PKEY_get_base_id(pub) != EVP_PKEY_EC ||
	    EVP_PKEY_get_group_name(pub, name, sizeof(name), &n) != 1 ||
	    strcmp(name, "secp384r1") != 0 ||
	    EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_PUB_KEY, enc,
	    sizeof(enc), &n) != 1 || (q = EC_POINT_new(g)) == NULL)
		return NULL;
	if (EC_POINT_oct2point(g, q, enc, n, bn) != 1 ||
	    EC_POINT_is_at_infinity(g, q) || EC_POINT_make_affine(g, q,
	    bn) != 1) {
		EC_POINT_free(q);
		return NULL;
	}
	return q;
}

EC_GROUP *
ccc_es384_table(EVP_PKEY *pub)
{
	EC_GROUP *tab = NULL;
	EC_POINT *q = NULL;
	BN_CTX *bn;
	int ok = 0;

	if ((bn = BN_CTX_new()) == NULL ||
	    (tab = EC_GROUP_new_by_curve_name(NID_secp384r1)) == NULL ||
	    (q = key_point(pub, tab, bn)) == NULL)
		goto out;
	/* The order and cofactor are P-384's: q is in the group. */
	ok = EC_GROUP_set_generator(tab, q, EC_GROUP_get0_order(tab),
	    EC_GROUP_get0_cofactor(tab)) == 1 &&
	    EC_GROUP_precompute_mult(tab, bn) == 1;
out:
	EC_POINT_free(q);
	BN_CTX_free(bn);
	if (!ok) {
		EC_GROUP_free(tab);
		tab = NULL;
	}
	ERR_clear_error();
	return tab;
}

/*
 * k times the generator of g, from g's table.  (OpenSSL 3.0 multiplies
 * a lone scalar by the generator with its constant-time ladder, which
 * reads no table; with a second term, here 0 times any point, it takes
 * its windowed method, which reads the table.  The result is the same.)
 */
static int
fixed_mul(const EC_GROUP *g, EC_POINT *out, const BIGNUM *k,
    const EC_POINT *any, const BIGNUM *zero, BN_CTX *bn)
{
	const EC_POINT *p[1] = { any };
	const BIGNUM *m[1] = { zero };

	return EC_POINTs_mul(g, out, k, 1, p, m, bn) == 1 ? 0 : -1;
}

int
ccc_es384_verify(const EC_GROUP *tab, EVP_PKEY *pub, const uint8_t dgst[48],
    const uint8_t sig[96])
{
	const BIGNUM *n;
	const EC_POINT *g;
	EC_POINT *q = NULL, *a = NULL, *b = NULL;
	BIGNUM *r, *s, *e, *w, *u1, *u2, *x, *zero;
	BN_CTX *bn;
	int rc = -1;

	if (pthread_once(&gtab_once, gtab_make) != 0 || gtab == NULL ||
	    (bn = BN_CTX_new()) == NULL)
		return -1;
	BN_CTX_start(bn);
	r = BN_CTX_get(bn);
	s = BN_CTX_get(bn);
	e = BN_CTX_get(bn);
	w = BN_CTX_get(bn);
	u1 = BN_CTX_get(bn);
	u2 = BN_CTX_get(bn);
	x = BN_CTX_get(bn);
	if ((zero = BN_CTX_get(bn)) == NULL)
		goto out;
	BN_zero(zero);
	n = EC_GROUP_get0_order(gtab);
	g = EC_GROUP_get0_generator(gtab);
	/* The table is this key's. */
	if ((q = key_point(pub, gtab, bn)) == NULL ||
	    EC_POINT_cmp(gtab, q, EC_GROUP_get0_generator(tab), bn) != 0)
		goto out;
	/* 1. r and s in [1, n-1]. */
	if (BN_bin2bn(sig, 48, r) == NULL || BN_bin2bn(sig + 48, 48, s) ==
	    NULL)
		goto out;
	if (BN_is_zero(r) || BN_is_zero(s) || BN_cmp(r, n) >= 0 ||
	    BN_cmp(s, n) >= 0) {
		rc = 0;
		goto out;
	}
	/* 2-4. e, the digest's 384 bits (n's length: none cut); w = 1/s;
	 * u1 = e w, u2 = r w (mod n). */
	if (BN_bin2bn(dgst, 48, e) == NULL ||
	    BN_mod_inverse(w, s, n, bn) == NULL ||
	    BN_mod_mul(u1, e, w, n, bn) != 1 ||
	    BN_mod_mul(u2, r, w, n, bn) != 1 ||
	    (a = EC_POINT_new(gtab)) == NULL || (b = EC_POINT_new(gtab)) ==
	    NULL)
		goto out;
	/* 5. R = u1 G + u2 Q, not the point at infinity. */
	if (fixed_mul(gtab, a, u1, g, zero, bn) != 0 ||
	    fixed_mul(tab, b, u2, g, zero, bn) != 0 ||
	    EC_POINT_add(gtab, a, a, b, bn) != 1)
		goto out;
	if (EC_POINT_is_at_infinity(gtab, a)) {
		rc = 0;
		goto out;
	}
	/* 6. x(R) mod n is r. */
	if (EC_POINT_get_affine_coordinates(gtab, a, x, NULL, bn) != 1 ||
	    BN_nnmod(x, x, n, bn) != 1)
		goto out;
	rc = BN_cmp(x, r) == 0;
out:
	EC_POINT_free(q);
	EC_POINT_free(a);
	EC_POINT_free(b);
	BN_CTX_end(bn);
	BN_CTX_free(bn);
	ERR_clear_error();
	return rc;
}
