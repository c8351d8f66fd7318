/* ES384 verification with precomputed multiples of the key (es384.h). */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "es384.h"

/*
 * A table holds, for each window j of WBITS bits of a scalar, the
 * multiples d 2^(WBITS j) P for d = 1 .. HALF, affine (so that each sum is
 * OpenSSL's cheaper mixed addition).  A scalar below 2^384, written in
 * signed digits of [-(HALF - 1), HALF], has WINDOWS - 1 windows and a
 * last digit of 0 or 1 (the carry); its product is one addition a nonzero
 * digit, about 384 / WBITS of them, and no doubling.
 */
#define WBITS 5
#define WINDOWS ((384 + WBITS - 1) / WBITS + 1)
#define HALF (1 << (WBITS - 1))

struct ccc_es384_tab {
	EC_POINT *key;			/* P, affine */
	EC_POINT *m[WINDOWS][HALF];	/* m[j][d - 1] = d 2^(WBITS j) P */
	int refs;
};

/* P-384 and the table of its generator: made once, kept. */
static EC_GROUP *p384;
static struct ccc_es384_tab *gtab;
static pthread_once_t once = PTHREAD_ONCE_INIT;

void
ccc_es384_tab_free(struct ccc_es384_tab *t)
{
	size_t i;

	if (t == NULL || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) >
	    0)
		return;
	EC_POINT_free(t->key);
	for (i = 0; i < (size_t)WINDOWS * HALF; i++)
		EC_POINT_free((&t->m[0][0])[i]);
	free(t);
}

struct ccc_es384_tab *
ccc_es384_tab_ref(struct ccc_es384_tab *t)
{
	if (t != NULL)
		__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
	return t;
}

/* The table of p, a point of p384 other than the point at infinity. */
static struct ccc_es384_tab *
tab_make(const EC_POINT *p, BN_CTX *bn)
{
	struct ccc_es384_tab *t;
	EC_POINT *base;
	int j, d, ok = 0;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->refs = 1;
	if ((base = EC_POINT_dup(p, p384)) == NULL ||
	    (t->key = EC_POINT_dup(p, p384)) == NULL ||
	    EC_POINT_make_affine(p384, t->key, bn) != 1)
		goto out;
	/*
	 * Row j: base = 2^(WBITS j) P, then its multiples by additions.  No
	 * entry is the point at infinity: d 2^k is not a multiple of the
	 * prime order for d <= HALF.
	 */
	for (j = 0; j < WINDOWS; j++) {
		for (d = 0; d < HALF; d++)
			if ((t->m[j][d] = EC_POINT_new(p384)) == NULL ||
			    (d == 0 ? EC_POINT_copy(t->m[j][d], base) :
			    EC_POINT_add(p384, t->m[j][d], t->m[j][d - 1], base,
			    bn)) != 1)
				goto out;
		for (d = 0; d < WBITS; d++)
			if (EC_POINT_dbl(p384, base, base, bn) != 1)
				goto out;
	}
	ok = EC_POINTs_make_affine(p384, (size_t)WINDOWS * HALF, &t->m[0][0],
	    bn) == 1;
out:
	EC_POINT_free(base);
	if (!ok) {
		ccc_es384_tab_free(t);
		t = NULL;
	}
	return t;
}

static void
init(void)
{
	BN_CTX *bn = BN_CTX_new();

	if (bn != NULL && (p384 = EC_GROUP_new_by_curve_name(
	    NID_secp384r1)) != NULL)
		gtab = tab_make(EC_GROUP_get0_generator(p384), bn);
	BN_CTX_free(bn);
	ERR_clear_error();
}

/* pub's point, affine; NULL if pub is not a P-384 EC key. */
static EC_POINT *
key_point(EVP_PKEY *pub, BN_CTX *bn)
{
	unsigned char enc[1 + 2 * 48];
	char name[32];
	EC_POINT *q;
	size_t n;

	if (EVP_PKEY_get_base_id(pub) != EVP_PKEY_EC ||
	    EVP_PKEY_get_group_name(pub, name, sizeof(name), &n) != 1 ||
	    strcmp(name, "secp384r1") != 0 ||
	    EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_PUB_KEY, enc,
	    sizeof(enc), &n) != 1 || (q = EC_POINT_new(p384)) == NULL)
		return NULL;
	if (EC_POINT_oct2point(p384, q, enc, n, bn) != 1 ||
	    EC_POINT_is_at_infinity(p384, q) || EC_POINT_make_affine(p384, q,
	    bn) != 1) {
		EC_POINT_free(q);
		return NULL;
	}
	return q;
}

struct ccc_es384_tab *
ccc_es384_table(EVP_PKEY *pub)
{
	struct ccc_es384_tab *t = NULL;
	EC_POINT *q;
	BN_CTX *bn;

	if (pthread_once(&once, init) != 0 || gtab == NULL ||
	    (bn = BN_CTX_new()) == NULL)
		return NULL;
	if ((q = key_point(pub, bn)) != NULL)
		t = tab_make(q, bn);
	EC_POINT_free(q);
	BN_CTX_free(bn);
	ERR_clear_error();
	return t;
}

/* WBITS bits of the 384-bit big-endian number be, from bit i up. */
static int
bits_at(const uint8_t be[48], int i)
{
	int v = 0, k;

	for (k = 0; k < WBITS && i + k < 384; k++)
		v |= ((be[47 - (i + k) / 8] >> ((i + k) % 8)) & 1) << k;
	return v;
}

/*
 * acc += k P, P the table t's point, k in [0, 2^384): one addition of an
 * entry (or of its negation, in tmp) a nonzero signed digit.  Variable
 * time: k and P are public in a verification.
 */
static int
mul_add(EC_POINT *acc, const struct ccc_es384_tab *t, const BIGNUM *k,
    EC_POINT *tmp, BN_CTX *bn)
{
	uint8_t be[48];
	int j, d, carry = 0;

	if (BN_bn2binpad(k, be, sizeof(be)) != (int)sizeof(be))
		return -1;
	for (j = 0; j < WINDOWS; j++) {
		d = bits_at(be, j * WBITS) + carry;
		carry = d > HALF;
		if (carry)
			d -= 1 << WBITS;
		if (d > 0 && EC_POINT_add(p384, acc, acc, t->m[j][d - 1],
		    bn) != 1)
			return -1;
		if (d < 0 && (EC_POINT_copy(tmp, t->m[j][-d - 1]) != 1 ||
		    EC_POINT_invert(p384, tmp, bn) != 1 ||
		    EC_POINT_add(p384, acc, acc, tmp, bn) != 1))
			return -1;
	}
	return 0;
}

int
ccc_es384_verify(const struct ccc_es384_tab *tab, EVP_PKEY *pub,
    const uint8_t dgst[48], const uint8_t sig[96])
{
	const BIGNUM *n, *p;
	EC_POINT *q = NULL, *a = NULL, *tmp = NULL;
	BIGNUM *r, *s, *e, *w, *u1, *u2, *x, *z, *t;
	BN_CTX *bn;
	int rc = -1;

	if (pthread_once(&once, init) != 0 || gtab == NULL ||
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
	z = BN_CTX_get(bn);
	if ((t = BN_CTX_get(bn)) == NULL)
		goto out;
	n = EC_GROUP_get0_order(p384);
	p = EC_GROUP_get0_field(p384);
	/* The table is this key's. */
	if ((q = key_point(pub, bn)) == NULL ||
	    EC_POINT_cmp(p384, q, tab->key, bn) != 0)
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
	    (a = EC_POINT_new(p384)) == NULL ||
	    (tmp = EC_POINT_new(p384)) == NULL)
		goto out;
	/* 5. R = u1 G + u2 Q, not the point at infinity. */
	if (EC_POINT_set_to_infinity(p384, a) != 1 ||
	    mul_add(a, gtab, u1, tmp, bn) != 0 ||
	    mul_add(a, tab, u2, tmp, bn) != 0)
		goto out;
	if (EC_POINT_is_at_infinity(p384, a)) {
		rc = 0;
		goto out;
	}
	/*
	 * 6. x(R) mod n is r.  R = (X/Z^2, Y/Z^3) in Jacobian coordinates,
	 * and x(R) < p: it is r or, when r + n < p, r + n.  Compared as
	 * X = r Z^2 (mod p), which spares the inversion of Z.
	 */
	if (EC_POINT_get_Jprojective_coordinates_GFp(p384, a, x, NULL, z,
	    bn) != 1 || BN_nnmod(x, x, p, bn) != 1 ||
	    BN_mod_sqr(z, z, p, bn) != 1 || BN_mod_mul(t, r, z, p, bn) != 1)
		goto out;
	rc = BN_cmp(t, x) == 0;
	if (!rc && BN_add(t, r, n) == 1 && BN_cmp(t, p) < 0) {
		if (BN_mod_mul(t, t, z, p, bn) != 1) {
			rc = -1;
			goto out;
		}
		rc = BN_cmp(t, x) == 0;
	}
out:
	EC_POINT_free(q);
	EC_POINT_free(a);
	EC_POINT_free(tmp);
	BN_CTX_end(bn);
	BN_CTX_free(bn);
	ERR_clear_error();
	return rc;
}
