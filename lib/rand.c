/*
 * ccc-rand's blobs and their checks: see rand.h and ccc(7) THE THRESHOLD
 * COIN.  The use is fixed here, to CCC_COIN_PUBLIC.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "blob.h"
#include "keys.h"
#include "rand.h"
#include "schemas.h"

int
ccc_rand_key_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct ccc_err *err)
{
	const EC_POINT *pts[CCC_TDH2_MAX_N];
	BIGNUM *lambda[CCC_TDH2_MAX_N];
	uint32_t xs[CCC_TDH2_MAX_N], t = pub->t, i, j;
	EC_POINT *p;
	int rc = 0;

	/*
	 * Any t points of a polynomial of degree t-1 interpolate it; the
	 * coefficient of node j at 0 is never zero, so h and h_1..h_(t-1)
	 * fix h_j, and it must be where they put it.
	 */
	BN_CTX_start(ec->bn);
	for (i = 0; i < t; i++)
		lambda[i] = BN_CTX_get(ec->bn);
	p = EC_POINT_new(ec->group);
	if (p == NULL || lambda[t - 1] == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "public key");
		goto out;
	}
	for (i = 0; i + 1 < t; i++) {
		xs[i] = i + 1;
		pts[i] = pub->hi[i];
	}
	for (j = t; j <= pub->n && rc == 0; j++) {
		xs[t - 1] = j;
		pts[t - 1] = pub->hi[j - 1];
		if (ccc_tdh2_lagrange(ec, lambda, xs, t) != 0 ||
		    EC_POINTs_mul(ec->group, p, NULL, t, pts,
		    (const BIGNUM **)lambda, ec->bn) != 1) {
			rc = ccc_err_openssl(err, "public key");
			break;
		}
		if (EC_POINT_cmp(ec->group, p, pub->h, ec->bn) != 0)
			rc = ccc_err_set(err, CCC_E_FIELD, -1, "h_i",
			    "h and the h_i lie on no polynomial of degree %u "
			    "(found at h_%u)", t - 1, j);
	}
out:
	EC_POINT_free(p);
	BN_CTX_end(ec->bn);
	return rc;
}

int
ccc_rand_coin(struct ccc_coin *c, const struct ccc_tdh2_pub *pub,
    const uint8_t rid[32], struct ccc_err *err)
{
	return ccc_coin_init(c, CCC_COIN_PUBLIC, pub, rid, err);
}

int
ccc_rand_share_make(struct ccc_ec *ec, struct ccc_buf *b,
    const struct ccc_tdh2_pub *pub, const BIGNUM *x_i, uint32_t index,
    const struct ccc_coin *c, struct ccc_err *err)
{
	struct ccc_val v[CSH_NFIELDS];
	struct ccc_tdh2_dshare ds;
	int rc;

	if (strcmp(c->use, CCC_COIN_PUBLIC) != 0)
		return ccc_err_set(err, CCC_E_INTERNAL, -1, NULL,
		    "only the public coin is released in clear");
	if ((rc = ccc_coin_share(ec, &ds, pub, x_i, index, c, err)) != 0)
		return rc;
	ccc_val_bytes(&v[CSH_KEY_ID], c->key_id, 32);
	ccc_val_uint(&v[CSH_EPOCH], c->epoch);
	ccc_val_bytes(&v[CSH_REQUEST], c->rid, 32);
	ccc_val_uint(&v[CSH_INDEX], ds.index);
	ccc_val_bytes(&v[CSH_U_I], ds.u_i, CCC_POINT_BYTES);
	ccc_val_bytes(&v[CSH_E_I], ds.e_i, 32);
	ccc_val_bytes(&v[CSH_F_I], ds.f_i, 32);
	if ((rc = ccc_blob_encode(b, &ccc_schema_coin_share, v)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "coin share");
	return 0;
}

int
ccc_rand_share_load(struct ccc_rand_share *s, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[CSH_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_coin_share, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(s->key_id, v[CSH_KEY_ID].p, 32);
	s->epoch = v[CSH_EPOCH].u;
	memcpy(s->rid, v[CSH_REQUEST].p, 32);
	s->ds.index = (uint32_t)v[CSH_INDEX].u;
	memcpy(s->ds.u_i, v[CSH_U_I].p, CCC_POINT_BYTES);
	memcpy(s->ds.e_i, v[CSH_E_I].p, 32);
	memcpy(s->ds.f_i, v[CSH_F_I].p, 32);
	return 0;
}

/* What a share or a value names against the coin it should be of. */
static int
coin_match(const struct ccc_coin *c, const uint8_t key_id[32],
    uint64_t epoch, const uint8_t rid[32], const char *what,
    struct ccc_err *err)
{
	char theirs[9];

	if (CRYPTO_memcmp(key_id, c->key_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "key_id",
		    "%s made with key %s, not this public key", what,
		    ccc_short_id(key_id));
	if (epoch != c->epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch",
		    "%s made at epoch %llu, the key is at epoch %llu", what,
		    (unsigned long long)epoch, (unsigned long long)c->epoch);
	if (CRYPTO_memcmp(rid, c->rid, 32) != 0) {
		snprintf(theirs, sizeof(theirs), "%s", ccc_short_id(rid));
		return ccc_err_set(err, CCC_E_FIELD, -1, "request_id",
		    "%s of request %s, not of request %s", what, theirs,
		    ccc_short_id(c->rid));
	}
	return 0;
}

int
ccc_rand_share_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_coin *c, const struct ccc_rand_share *s,
    struct ccc_err *err)
{
	int rc;

	if ((rc = coin_match(c, s->key_id, s->epoch, s->rid, "a share",
	    err)) != 0)
		return rc;
	return ccc_coin_share_verify(ec, pub, c, &s->ds, err);
}

int
ccc_rand_combine(struct ccc_ec *ec, struct ccc_rand *r,
    const struct ccc_tdh2_pub *pub, const struct ccc_coin *c,
    const struct ccc_tdh2_dshare *const *ds, size_t k, struct ccc_err *err)
{
	size_t i;
	int rc;

	if ((rc = ccc_coin_combine(ec, r->value, r->sigma, pub, c, ds, k,
	    err)) != 0)
		return rc;
	memcpy(r->key_id, c->key_id, 32);
	r->epoch = c->epoch;
	memcpy(r->rid, c->rid, 32);
	r->k = pub->t;
	for (i = 0; i < r->k; i++)
		r->ds[i] = *ds[i];
	return 0;
}

int
ccc_rand_encode(struct ccc_buf *b, const struct ccc_rand *r)
{
	struct ccc_val v[RAND_NFIELDS], sv[RSHR_NFIELDS];
	struct ccc_buf sb;
	size_t i;
	int rc = 0;

	ccc_buf_init(&sb, 0);
	for (i = 0; i < r->k && rc == 0; i++) {
		ccc_val_uint(&sv[RSHR_INDEX], r->ds[i].index);
		ccc_val_bytes(&sv[RSHR_U_I], r->ds[i].u_i, CCC_POINT_BYTES);
		ccc_val_bytes(&sv[RSHR_E_I], r->ds[i].e_i, 32);
		ccc_val_bytes(&sv[RSHR_F_I], r->ds[i].f_i, 32);
		rc = ccc_blob_encode(&sb, &ccc_schema_rand_share, sv);
	}
	if (rc == 0) {
		ccc_val_bytes(&v[RAND_KEY_ID], r->key_id, 32);
		ccc_val_uint(&v[RAND_EPOCH], r->epoch);
		ccc_val_bytes(&v[RAND_REQUEST], r->rid, 32);
		ccc_val_bytes(&v[RAND_VALUE], r->value, CCC_COIN_SEED_BYTES);
		ccc_val_bytes(&v[RAND_SIGMA], r->sigma, CCC_POINT_BYTES);
		ccc_val_array(&v[RAND_SHARES], sb.p, sb.len, r->k);
		rc = ccc_blob_encode(b, &ccc_schema_rand, v);
	}
	ccc_buf_free(&sb);
	return rc;
}

int
ccc_rand_load(struct ccc_rand *r, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[RAND_NFIELDS], sv[RSHR_NFIELDS];
	struct ccc_cur c;
	size_t i;
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_rand, p, len, v, 0, err)) != 0)
		return rc;
	memcpy(r->key_id, v[RAND_KEY_ID].p, 32);
	r->epoch = v[RAND_EPOCH].u;
	memcpy(r->rid, v[RAND_REQUEST].p, 32);
	memcpy(r->value, v[RAND_VALUE].p, CCC_COIN_SEED_BYTES);
	memcpy(r->sigma, v[RAND_SIGMA].p, CCC_POINT_BYTES);
	r->k = v[RAND_SHARES].count;
	ccc_cur_init(&c, v[RAND_SHARES].p, v[RAND_SHARES].n,
	    v[RAND_SHARES].p - p, err);
	for (i = 0; i < r->k; i++) {
		if ((rc = ccc_blob_decode_map(&ccc_schema_rand_share, &c,
		    sv)) != 0)
			return rc;	/* not reached: decoded above */
		r->ds[i].index = (uint32_t)sv[RSHR_INDEX].u;
		memcpy(r->ds[i].u_i, sv[RSHR_U_I].p, CCC_POINT_BYTES);
		memcpy(r->ds[i].e_i, sv[RSHR_E_I].p, 32);
		memcpy(r->ds[i].f_i, sv[RSHR_F_I].p, 32);
	}
	return 0;
}

int
ccc_rand_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_rand *r, const uint8_t *rid, struct ccc_err *err)
{
	const struct ccc_tdh2_dshare *sel[CCC_TDH2_MAX_N];
	struct ccc_coin c;
	struct ccc_err e;
	uint8_t value[CCC_COIN_SEED_BYTES], sigma[CCC_POINT_BYTES];
	size_t i;
	int rc;

	if ((rc = ccc_rand_coin(&c, pub, rid != NULL ? rid : r->rid,
	    err)) != 0 ||
	    (rc = coin_match(&c, r->key_id, r->epoch, r->rid, "the value",
	    err)) != 0)
		return rc;
	if (r->k < pub->t)
		return ccc_err_set(err, CCC_E_THRESHOLD, -1, "shares",
		    "%zu share%s, %u needed", r->k, r->k == 1 ? "" : "s",
		    pub->t);
	if (r->k > pub->t)
		return ccc_err_set(err, CCC_E_FIELD, -1, "shares",
		    "shares: %zu, the key's threshold is %u", r->k, pub->t);
	for (i = 0; i < r->k; i++) {
		if (i > 0 && r->ds[i].index <= r->ds[i - 1].index)
			return ccc_err_set(err, CCC_E_FIELD, -1, "shares",
			    "shares: node %u after node %u, not in ascending "
			    "node order", r->ds[i].index, r->ds[i - 1].index);
		ccc_err_clear(&e);
		if (ccc_coin_share_verify(ec, pub, &c, &r->ds[i], &e) != 0)
			return ccc_err_set(err, e.code, -1, "shares",
			    "node %u: %s", r->ds[i].index, e.detail);
		sel[i] = &r->ds[i];
	}
	if ((rc = ccc_coin_combine(ec, value, sigma, pub, &c, sel, r->k,
	    err)) != 0)
		return rc;
	if (CRYPTO_memcmp(sigma, r->sigma, CCC_POINT_BYTES) != 0)
		return ccc_err_set(err, CCC_E_FIELD, -1, "sigma",
		    "sigma is not the combination of the shares");
	if (CRYPTO_memcmp(value, r->value, CCC_COIN_SEED_BYTES) != 0)
		return ccc_err_set(err, CCC_E_FIELD, -1, "value",
		    "the value is not the seed of sigma");
	return 0;
}
