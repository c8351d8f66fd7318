/*
 * lib/es384.c against OpenSSL's own ECDSA verification: for keys and
 * digests drawn at random and chosen at the edges (0, all ones, above the
 * order), the signatures OpenSSL makes, and every way this test alters
 * them (a bit of r, s or the digest; r or s 0, n, n - 1, above n; r + n;
 * n - s, which ECDSA accepts too; another key's signature), both say the
 * same, valid or not.  A table of another key is an error.
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <sodium.h>

#include "es384.h"
#include "tap.h"

#define KEYS 12
#define DIGESTS 8

static BIGNUM *order;
static size_t checked, valid, differ;

/* OpenSSL's verdict on raw r || s over a digest: 1 valid, else 0. */
static int
reference(EVP_PKEY *k, const uint8_t d[48], const uint8_t sig[96])
{
	EVP_PKEY_CTX *c;
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	unsigned char *der = NULL;
	int len, v = 0;

	r = BN_bin2bn(sig, 48, NULL);
	s = BN_bin2bn(sig + 48, 48, NULL);
	if ((es = ECDSA_SIG_new()) == NULL || ECDSA_SIG_set0(es, r, s) != 1)
		abort();
	if ((len = i2d_ECDSA_SIG(es, &der)) <= 0 ||
	    (c = EVP_PKEY_CTX_new(k, NULL)) == NULL ||
	    EVP_PKEY_verify_init(c) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(c, EVP_sha384()) != 1)
		abort();
	v = EVP_PKEY_verify(c, der, (size_t)len, d, 48) == 1;
	EVP_PKEY_CTX_free(c);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	ERR_clear_error();
	return v;
}

/* OpenSSL's signature of a digest, as raw r || s. */
static void
sign(EVP_PKEY *k, const uint8_t d[48], uint8_t sig[96])
{
	EVP_PKEY_CTX *c;
	unsigned char der[128];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;
	size_t len = sizeof(der);

	if ((c = EVP_PKEY_CTX_new(k, NULL)) == NULL ||
	    EVP_PKEY_sign_init(c) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(c, EVP_sha384()) != 1 ||
	    EVP_PKEY_sign(c, der, &len, d, 48) != 1 ||
	    (es = d2i_ECDSA_SIG(NULL, &p, (long)len)) == NULL)
		abort();
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, 48) != 48 || BN_bn2binpad(s, sig + 48,
	    48) != 48)
		abort();
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(c);
}

/* Both verdicts on one case; a difference is reported. */
static void
both(const struct ccc_es384_tab *tab, EVP_PKEY *k, const uint8_t d[48],
    const uint8_t sig[96], const char *what)
{
	int ours = ccc_es384_verify(tab, k, d, sig), ref = reference(k, d, sig);

	checked++;
	valid += ref;
	if (ours != ref) {
		differ++;
		printf("# %s: ours %d, OpenSSL's %d\n", what, ours, ref);
	}
}

/* Scalar part (0: r, 1: s) of sig set to v. */
static void
set_part(uint8_t sig[96], int part, const BIGNUM *v)
{
	if (BN_bn2binpad(v, sig + 48 * part, 48) != 48)
		abort();
}

static void
alter(const struct ccc_es384_tab *tab, EVP_PKEY *k, const uint8_t d[48],
    const uint8_t good[96])
{
	uint8_t sig[96], dd[48];
	BIGNUM *v = BN_new(), *t = BN_new();
	int part, bit;

	both(tab, k, d, good, "the signature");
	for (bit = 0; bit < 768; bit += 37) {
		memcpy(sig, good, 96);
		sig[bit / 8] ^= (uint8_t)(1U << (bit % 8));
		both(tab, k, d, sig, "a bit of r or s");
	}
	for (bit = 0; bit < 384; bit += 53) {
		memcpy(dd, d, 48);
		dd[bit / 8] ^= (uint8_t)(1U << (bit % 8));
		both(tab, k, dd, good, "a bit of the digest");
	}
	for (part = 0; part < 2; part++) {
		memcpy(sig, good, 96);
		BN_zero(v);
		set_part(sig, part, v);
		both(tab, k, d, sig, "0");
		set_part(sig, part, order);
		both(tab, k, d, sig, "n");
		BN_sub(v, order, BN_value_one());
		set_part(sig, part, v);
		both(tab, k, d, sig, "n - 1");
		/* The part plus n, which still fits 48 bytes when small. */
		BN_bin2bn(good + 48 * part, 48, t);
		BN_add(v, t, order);
		if (BN_num_bytes(v) <= 48) {
			memcpy(sig, good, 96);
			set_part(sig, part, v);
			both(tab, k, d, sig, "plus n");
		}
		memset(sig + 48 * part, 0xff, 48);
		both(tab, k, d, sig, "all ones");
	}
	/* n - s: the other valid s. */
	memcpy(sig, good, 96);
	BN_bin2bn(good + 48, 48, t);
	BN_sub(v, order, t);
	set_part(sig, 1, v);
	both(tab, k, d, sig, "n - s");
	BN_free(v);
	BN_free(t);
}

int
main(void)
{
	EVP_PKEY *k[KEYS];
	struct ccc_es384_tab *tab[KEYS];
	EC_GROUP *g;
	uint8_t d[48], sig[96], other[96];
	int i, j;

	if (sodium_init() < 0 || (g = EC_GROUP_new_by_curve_name(
	    NID_secp384r1)) == NULL || (order = BN_dup(EC_GROUP_get0_order(
	    g))) == NULL)
		abort();
	for (i = 0; i < KEYS; i++)
		if ((k[i] = EVP_EC_gen("P-384")) == NULL ||
		    (tab[i] = ccc_es384_table(k[i])) == NULL)
			abort();
	ok(1, "%d P-384 keys and their tables", KEYS);
	for (i = 0; i < KEYS; i++)
		for (j = 0; j < DIGESTS; j++) {
			/* At random, then 0, all ones, n, and n - 1. */
			if (j < DIGESTS - 4)
				randombytes_buf(d, sizeof(d));
			else if (j == DIGESTS - 4)
				memset(d, 0, sizeof(d));
			else if (j == DIGESTS - 3)
				memset(d, 0xff, sizeof(d));
			else if (BN_bn2binpad(order, d, 48) != 48)
				abort();
			if (j == DIGESTS - 1)
				d[47]--;	/* n - 1: n's last byte is not 0 */
			sign(k[i], d, sig);
			alter(tab[i], k[i], d, sig);
			/* Another key's signature of the same digest. */
			sign(k[(i + 1) % KEYS], d, other);
			both(tab[i], k[i], d, other, "another key's");
		}
	ok(differ == 0, "%zu cases, %zu valid for OpenSSL: lib/es384.c says "
	    "the same in every one (%zu differ)", checked, valid, differ);
	ok(valid == (size_t)KEYS * DIGESTS * 2, "exactly the signatures and "
	    "their n - s are valid (%zu)", valid);
	sign(k[0], d, sig);
	ok(ccc_es384_verify(tab[1], k[0], d, sig) == -1,
	    "a table of another key is an error, not a verdict");
	for (i = 0; i < KEYS; i++) {
		ccc_es384_tab_free(tab[i]);
		EVP_PKEY_free(k[i]);
	}
	EC_GROUP_free(g);
	BN_free(order);
	return tap_done();
}
