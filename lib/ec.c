#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <sodium.h>

#include "ec.h"

static struct ccc_ec *default_ec;

struct ccc_ec *
ccc_ec_new(void)
{
	struct ccc_ec *ec;

	if ((ec = calloc(1, sizeof(*ec))) == NULL)
		return NULL;
	ec->group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	ec->bn = BN_CTX_new();
	if (ec->group == NULL || ec->bn == NULL) {
		ccc_ec_free(ec);
		return NULL;
	}
	ec->g = EC_GROUP_get0_generator(ec->group);
	ec->n = EC_GROUP_get0_order(ec->group);
	return ec;
}

void
ccc_ec_free(struct ccc_ec *ec)
{
	if (ec == NULL)
		return;
	EC_GROUP_free(ec->group);
	BN_CTX_free(ec->bn);
	free(ec);
}

struct ccc_ec *
ccc_ec_default(void)
{
	if (default_ec == NULL)
		default_ec = ccc_ec_new();
	return default_ec;
}

int
ccc_ec_point_decode(struct ccc_ec *ec, EC_POINT *out,
    const uint8_t in[CCC_POINT_BYTES], const char *field, struct ccc_err *err)
{
	/* oct2point checks the curve equation; it rejects 65 zero bytes. */
	if (in[0] != 0x04 || EC_POINT_oct2point(ec->group, out, in,
	    CCC_POINT_BYTES, ec->bn) != 1) {
		ERR_clear_error();
		return ccc_err_set(err, CCC_E_POINT, -1, field,
		    "%s: not a point on P-256", field ? field : "point");
	}
	if (EC_POINT_is_at_infinity(ec->group, out))
		return ccc_err_set(err, CCC_E_POINT, -1, field,
		    "%s: the identity is not allowed", field ? field : "point");
	return 0;
}

int
ccc_ec_scalar_decode(struct ccc_ec *ec, BIGNUM *out,
    const uint8_t in[CCC_SCALAR_BYTES], const char *field, struct ccc_err *err)
{
	if (BN_bin2bn(in, CCC_SCALAR_BYTES, out) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, field, "scalar");
	if (BN_cmp(out, ec->n) >= 0)
		return ccc_err_set(err, CCC_E_SCALAR, -1, field,
		    "%s: not below the group order", field ? field : "scalar");
	return 0;
}

int
ccc_ec_scalar_encode(uint8_t out[CCC_SCALAR_BYTES], const BIGNUM *s)
{
	return BN_bn2binpad(s, out, CCC_SCALAR_BYTES) == CCC_SCALAR_BYTES ? 0 :
	    CCC_E_INTERNAL;
}

int
ccc_ec_points_encode(struct ccc_ec *ec, uint8_t (*out)[CCC_POINT_BYTES],
    EC_POINT **pts, size_t k)
{
	size_t i;

	/*
	 * Each point2oct costs one field inversion.  Batching them with
	 * EC_POINTs_make_affine does not pay on P-256: nistz256's point2oct
	 * inverts Z even when it is already 1, so the batch only adds its
	 * own cost (measured: 8 us for 5 points on top of 5 x 4 us).
	 */
	for (i = 0; i < k; i++) {
		if (EC_POINT_is_at_infinity(ec->group, pts[i])) {
			/* Only reachable with negligible probability. */
			memset(out[i], 0, CCC_POINT_BYTES);
			continue;
		}
		if (EC_POINT_point2oct(ec->group, pts[i],
		    POINT_CONVERSION_UNCOMPRESSED, out[i], CCC_POINT_BYTES,
		    ec->bn) != CCC_POINT_BYTES) {
			ERR_clear_error();
			return CCC_E_CRYPTO;
		}
	}
	return 0;
}

void
ccc_drbg_init(struct ccc_drbg *d, const uint8_t seed[32], const char *purpose)
{
	static const char dom[] = "ccc/drbg/v1:";
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, seed, 32);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)dom,
	    sizeof(dom) - 1);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)purpose,
	    strlen(purpose));
	crypto_auth_hmacsha256_final(&st, d->key);
	sodium_memzero(&st, sizeof(st));
	d->n = 0;
}

void
ccc_drbg_bytes(struct ccc_drbg *d, void *out, size_t len)
{
	static const char dom[] = "ccc/drbg/v1";
	crypto_auth_hmacsha256_state st;
	uint8_t k[32], b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(d->n >> (56 - 8 * i));
	d->n++;
	crypto_auth_hmacsha256_init(&st, d->key, 32);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)dom,
	    sizeof(dom) - 1);
	crypto_auth_hmacsha256_update(&st, b, 8);
	crypto_auth_hmacsha256_final(&st, k);
	sodium_memzero(&st, sizeof(st));
	randombytes_buf_deterministic(out, len, k);
	sodium_memzero(k, sizeof(k));
}

void
ccc_ec_random(struct ccc_ec *ec, void *out, size_t len)
{
	if (ec != NULL && ec->drbg != NULL)
		ccc_drbg_bytes(ec->drbg, out, len);
	else
		randombytes_buf(out, len);
}

int
ccc_ec_scalar_random(struct ccc_ec *ec, BIGNUM *out)
{
	uint8_t b[48];

	/*
	 * 384 bits mod n: a bias below 2^-128.  The bits come from the
	 * request's DRBG when there is one, else from the system's CSPRNG
	 * through libsodium (getrandom): OpenSSL's own DRBG would first set
	 * up its library context and providers, about a fifth of a one-shot
	 * ccc-encrypt's CPU time, for nothing else of the run needs them.
	 */
	BN_set_flags(out, BN_FLG_CONSTTIME);
	do {
		if (ec->drbg != NULL)
			ccc_drbg_bytes(ec->drbg, b, sizeof(b));
		else
			randombytes_buf(b, sizeof(b));
		if (BN_bin2bn(b, sizeof(b), out) == NULL ||
		    BN_nnmod(out, out, ec->n, ec->bn) != 1) {
			sodium_memzero(b, sizeof(b));
			ERR_clear_error();
			return CCC_E_CRYPTO;
		}
	} while (BN_is_zero(out));
	sodium_memzero(b, sizeof(b));
	return 0;
}

int
ccc_ec_scalar_from_hash(struct ccc_ec *ec, BIGNUM *out, const uint8_t *d,
    size_t dlen)
{
	if (BN_bin2bn(d, (int)dlen, out) == NULL ||
	    BN_nnmod(out, out, ec->n, ec->bn) != 1) {
		ERR_clear_error();
		return CCC_E_CRYPTO;
	}
	return 0;
}

EC_GROUP *
ccc_ec_table_new(struct ccc_ec *ec, const EC_POINT *p)
{
	EC_GROUP *tab;
	EC_POINT *a = NULL;
	int ok = 0;

	/*
	 * ecp_nistz256_points_mul uses group->pre_comp when the table's first
	 * entry equals the group's generator (one EC_POINT_cmp per call, cheap
	 * when both are affine: hence make_affine), and otherwise treats the
	 * generator as a variable base: a stale or missing table only costs
	 * time.  The order and cofactor are P-256's: p is in the group.
	 */
	if (EC_POINT_is_at_infinity(ec->group, p))
		return NULL;
	if ((tab = EC_GROUP_dup(ec->group)) == NULL ||
	    (a = EC_POINT_dup(p, ec->group)) == NULL)
		goto out;
	if (EC_POINT_make_affine(ec->group, a, ec->bn) != 1 ||
	    EC_GROUP_set_generator(tab, a, ec->n,
	    EC_GROUP_get0_cofactor(ec->group)) != 1 ||
	    EC_GROUP_precompute_mult(tab, ec->bn) != 1)
		goto out;
	ok = 1;
out:
	EC_POINT_free(a);
	if (!ok) {
		EC_GROUP_free(tab);
		tab = NULL;
	}
	return tab;
}
