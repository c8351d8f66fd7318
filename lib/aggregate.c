/* Aggregates of additive inputs, their shares and opening (aggregate.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "blob.h"
#include "par.h"
#include "hash.h"
#include "schemas.h"

int
ccc_aggregate_decode(struct ccc_aggregate *a, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err)
{
	struct ccc_val v[AGG_NFIELDS];
	size_t i;
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_aggregate, p, len, v, base,
	    err)) != 0)
		return rc;
	memcpy(a->key_id, v[AGG_KEY_ID].p, 32);
	a->epoch = v[AGG_EPOCH].u;
	a->context = (const char *)v[AGG_CONTEXT].p;
	a->clen = v[AGG_CONTEXT].n;
	a->bits = (uint32_t)v[AGG_BITS].u;
	a->n = v[AGG_INPUTS].count;
	a->inputs = ccc_val_elem(&v[AGG_INPUTS], 32, 0);
	a->si = (size_t)(ccc_val_elem(&v[AGG_INPUTS], 32, 1) - a->inputs);
	a->k = (uint32_t)v[AGG_U].count;
	a->u = ccc_val_elem(&v[AGG_U], CCC_POINT_BYTES, 0);
	a->v = ccc_val_elem(&v[AGG_V], CCC_POINT_BYTES, 0);
	a->su = (size_t)(ccc_val_elem(&v[AGG_U], CCC_POINT_BYTES, 1) - a->u);
	if (v[AGG_V].count != a->k)
		return ccc_err_set(err, CCC_E_FIELD, v[AGG_V].off, "v",
		    "%zu values of u, %zu of v", (size_t)a->k,
		    v[AGG_V].count);
	for (i = 1; i < a->n; i++)
		if (memcmp(a->inputs + a->si * (i - 1), a->inputs + a->si * i,
		    32) >= 0)
			return ccc_err_set(err, CCC_E_FIELD,
			    v[AGG_INPUTS].off, "inputs",
			    "digests not strictly ascending at %zu", i + 1);
	ccc_sha256(a->digest, p, len);
	return 0;
}

uint64_t
ccc_aggregate_max(const struct ccc_aggregate *a)
{
	return (uint64_t)a->n * (((uint64_t)1 << a->bits) - 1);
}

static int
by_digest(const void *x, const void *y)
{
	return memcmp(((const struct ccc_additive *)x)->digest,
	    ((const struct ccc_additive *)y)->digest, 32);
}

/* The per-value sums acc (u_j at 2j, v_j at 2j + 1) encoded. */
static int
products(struct ccc_ec *ec, uint32_t k, EC_POINT **acc, uint8_t *u,
    uint8_t *v)
{
	uint32_t j;

	for (j = 0; j < k; j++)
		if (ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])(u +
		    j * CCC_POINT_BYTES), &acc[2 * j], 1) != 0 ||
		    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])(v +
		    j * CCC_POINT_BYTES), &acc[2 * j + 1], 1) != 0)
			return CCC_E_CRYPTO;
	return 0;
}

/* Pointers to inputs, by values, then by place (for same_values). */
static int
by_values(const void *x, const void *y)
{
	const struct ccc_additive *const *a = x, *const *b = y;
	int c = memcmp((*a)->values, (*b)->values, 32);

	return c != 0 ? c : (*a > *b) - (*a < *b);
}

/*
 * Whether two of in[0..n-1] carry the same values (the same ciphertexts,
 * in two blobs: one stripped of its sum proof, or proved twice by its
 * maker): *bad the later one's index.  0, CCC_E_DUPLICATE or
 * CCC_E_NOMEM.
 */
static int
same_values(const struct ccc_additive *in, size_t n, size_t *bad,
    struct ccc_err *err)
{
	const struct ccc_additive **v;
	size_t i;
	int rc = 0;

	if ((v = malloc(n * sizeof(*v))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "aggregate");
	for (i = 0; i < n; i++)
		v[i] = &in[i];
	qsort(v, n, sizeof(*v), by_values);
	for (i = 1; i < n && rc == 0; i++)
		if (memcmp(v[i - 1]->values, v[i]->values, 32) == 0) {
			*bad = (size_t)(v[i] - in);
			rc = ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL,
			    "the same ciphertexts as another input");
		}
	free(v);
	return rc;
}

/* Same key, label and shape as the first (or as want). */
static int
check_input(const struct ccc_tdh2_pub *pub, const struct ccc_additive *in,
    const struct ccc_additive *first, const char *want, size_t wlen,
    struct ccc_err *err)
{
	if (memcmp(in->key_id, pub->key_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "key_id",
		    "encrypted under another key");
	if (in->epoch != pub->epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch",
		    "epoch %llu, the key's is %llu",
		    (unsigned long long)in->epoch,
		    (unsigned long long)pub->epoch);
	if (want != NULL && (in->clen != wlen ||
	    memcmp(in->context, want, wlen) != 0))
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "labelled for another context");
	if (in->clen != first->clen ||
	    memcmp(in->context, first->context, in->clen) != 0)
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "labelled for another context than the first input");
	if (in->bits != first->bits || in->k != first->k)
		return ccc_err_set(err, CCC_E_POLICY, -1, "bits",
		    "%u values of %u bits, the first input has %u of %u",
		    in->k, in->bits, first->k, first->bits);
	if (in->sum_bits != first->sum_bits)
		return ccc_err_set(err, CCC_E_POLICY, -1, "sum_bits",
		    "a sum bound of %u bits, the first input's is %u",
		    in->sum_bits, first->sum_bits);
	return 0;
}

/* One thread's slice of the inputs: verified, its bits summed in acc. */
struct slice {
	const struct ccc_tdh2_pub *pub;
	struct ccc_additive *in;
	size_t n, nslices, nacc;
	EC_POINT ***acc;	/* per slice, nacc points */
	int *rc;
	size_t *bad;
	struct ccc_err *err;
};

static void
verify_slice(void *arg, struct ccc_ec *ec, size_t s)
{
	struct slice *sl = arg;
	size_t lo = sl->n * s / sl->nslices, hi = sl->n * (s + 1) /
	    sl->nslices;

	ccc_err_clear(&sl->err[s]);
	sl->bad[s] = 0;
	sl->rc[s] = hi == lo ? 0 : ccc_additive_verify(ec, sl->pub,
	    sl->in + lo, hi - lo, sl->acc[s], &sl->bad[s], &sl->err[s]);
	sl->bad[s] += lo;
}

static int
verify_par(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct ccc_additive *in, size_t n, unsigned jobs, EC_POINT **acc,
    size_t nacc, size_t *bad, struct ccc_err *err)
{
	struct ccc_par par;
	struct slice sl;
	size_t s, i;
	int rc = CCC_E_NOMEM;

	if (jobs > n)
		jobs = (unsigned)n;
	if (jobs <= 1)
		return ccc_additive_verify(ec, pub, in, n, acc, bad, err);
	if ((rc = ccc_par_init(&par, jobs, err)) != 0)
		return rc;
	memset(&sl, 0, sizeof(sl));
	sl.pub = pub;
	sl.in = in;
	sl.n = n;
	sl.nslices = jobs;
	sl.nacc = nacc;
	sl.acc = calloc(jobs, sizeof(*sl.acc));
	sl.rc = calloc(jobs, sizeof(*sl.rc));
	sl.bad = calloc(jobs, sizeof(*sl.bad));
	sl.err = calloc(jobs, sizeof(*sl.err));
	rc = CCC_E_NOMEM;
	if (sl.acc == NULL || sl.rc == NULL || sl.bad == NULL ||
	    sl.err == NULL)
		goto out;
	for (s = 0; s < jobs; s++) {
		if ((sl.acc[s] = calloc(nacc, sizeof(**sl.acc))) == NULL)
			goto out;
		for (i = 0; i < nacc; i++)
			if ((sl.acc[s][i] = EC_POINT_new(ec->group)) == NULL ||
			    EC_POINT_set_to_infinity(ec->group,
			    sl.acc[s][i]) != 1)
				goto out;
	}
	ccc_par_run(&par, jobs, verify_slice, &sl);
	/* The first slice at fault holds the first input at fault. */
	for (s = 0; s < jobs; s++)
		if ((rc = sl.rc[s]) != 0) {
			*bad = sl.bad[s];
			if (err != NULL)
				*err = sl.err[s];
			goto out;
		}
	rc = CCC_E_CRYPTO;
	for (s = 0; s < jobs; s++)
		for (i = 0; i < nacc; i++)
			if (EC_POINT_add(ec->group, acc[i], acc[i], sl.acc[s][i],
			    ec->bn) != 1)
				goto out;
	rc = 0;
out:
	if (rc == CCC_E_NOMEM)
		ccc_err_set(err, rc, -1, NULL, "aggregate");
	else if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "aggregate");
	for (s = 0; sl.acc != NULL && s < jobs; s++) {
		for (i = 0; sl.acc[s] != NULL && i < nacc; i++)
			EC_POINT_free(sl.acc[s][i]);
		free(sl.acc[s]);
	}
	free(sl.acc);
	free(sl.rc);
	free(sl.bad);
	free(sl.err);
	ccc_par_free(&par);
	return rc;
}

int
ccc_aggregate_build(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct ccc_additive *in, size_t n, const char *want, size_t wlen,
    unsigned jobs, struct ccc_buf *out, size_t *bad, struct ccc_err *err)
{
	EC_POINT **acc = NULL;
	uint8_t *dig = NULL, *u = NULL, *v = NULL;
	struct ccc_val vals[AGG_NFIELDS];
	size_t nacc = 0, i;
	int rc;

	*bad = n;
	if (n == 0 || n > CCC_AGG_MAX_INPUTS)
		return ccc_err_set(err, CCC_E_FIELD, -1, "inputs",
		    "1 to %lu inputs", CCC_AGG_MAX_INPUTS);
	qsort(in, n, sizeof(*in), by_digest);
	for (i = 0; i < n; i++) {
		if ((rc = check_input(pub, &in[i], &in[0], want, wlen,
		    err)) != 0) {
			*bad = i;
			return rc;
		}
		if (i > 0 && memcmp(in[i - 1].digest, in[i].digest, 32) == 0) {
			*bad = i;
			return ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL,
			    "the same input twice");
		}
	}
	if ((rc = same_values(in, n, bad, err)) != 0)
		return rc;
	nacc = 2 * (size_t)in[0].k;
	acc = calloc(nacc, sizeof(*acc));
	dig = malloc(32 * n);
	u = malloc((size_t)in[0].k * CCC_POINT_BYTES);
	v = malloc((size_t)in[0].k * CCC_POINT_BYTES);
	if (acc == NULL || dig == NULL || u == NULL || v == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "aggregate");
		goto out;
	}
	for (i = 0; i < nacc; i++)
		if ((acc[i] = EC_POINT_new(ec->group)) == NULL ||
		    EC_POINT_set_to_infinity(ec->group, acc[i]) != 1) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "aggregate");
			goto out;
		}
	if ((rc = verify_par(ec, pub, in, n, jobs, acc, nacc, bad, err)) != 0)
		goto out;
	if (products(ec, in[0].k, acc, u, v) != 0) {
		rc = ccc_err_openssl(err, "aggregate");
		goto out;
	}
	for (i = 0; i < n; i++)
		memcpy(dig + 32 * i, in[i].digest, 32);
	memset(vals, 0, sizeof(vals));
	ccc_val_bytes(&vals[AGG_KEY_ID], pub->key_id, 32);
	ccc_val_uint(&vals[AGG_EPOCH], pub->epoch);
	ccc_val_bytes(&vals[AGG_CONTEXT], in[0].context, in[0].clen);
	ccc_val_uint(&vals[AGG_BITS], in[0].bits);
	ccc_val_array(&vals[AGG_INPUTS], dig, 32 * n, n);
	ccc_val_array(&vals[AGG_U], u, in[0].k * CCC_POINT_BYTES, in[0].k);
	ccc_val_array(&vals[AGG_V], v, in[0].k * CCC_POINT_BYTES, in[0].k);
	if ((rc = ccc_blob_encode(out, &ccc_schema_aggregate, vals)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "aggregate");
out:
	if (acc != NULL)
		for (i = 0; i < nacc; i++)
			EC_POINT_free(acc[i]);
	free(acc);
	free(dig);
	free(u);
	free(v);
	return rc;
}

/* The bind of value j's share proof. */
static void
share_bind(uint8_t out[32], const struct ccc_tdh2_pub *pub, uint32_t index,
    const struct ccc_aggregate *a, uint32_t j, const uint8_t *req)
{
	uint8_t ctx[4 + 32];

	ctx[0] = j >> 24; ctx[1] = j >> 16; ctx[2] = j >> 8; ctx[3] = j;
	if (req != NULL)
		memcpy(ctx + 4, req, 32);
	ccc_tdh2_share_bind(out, pub->key_id, pub->epoch, index, a->digest,
	    ctx, req != NULL ? sizeof(ctx) : 4);
}

int
ccc_aggregate_share(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const BIGNUM *x_i, uint32_t index, const struct ccc_aggregate *a,
    const uint8_t *req, struct ccc_buf *out, struct ccc_err *err)
{
	struct ccc_tdh2_ct ct;
	struct ccc_tdh2_dshare ds;
	struct ccc_val vals[ASH_NFIELDS];
	uint8_t bind[32], *sh;
	uint32_t j;
	int rc;

	if ((sh = malloc((size_t)a->k * CCC_AGG_SHARE_BYTES)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
	memset(&ct, 0, sizeof(ct));
	for (j = 0; j < a->k; j++) {
		memcpy(ct.u, a->u + (size_t)j * a->su,
		    CCC_POINT_BYTES);
		share_bind(bind, pub, index, a, j, req);
		if ((rc = ccc_tdh2_share(ec, &ds, pub, x_i, index, &ct, bind,
		    err)) != 0)
			goto out;
		memcpy(sh + (size_t)j * CCC_AGG_SHARE_BYTES, ds.u_i,
		    CCC_POINT_BYTES);
		memcpy(sh + (size_t)j * CCC_AGG_SHARE_BYTES + CCC_POINT_BYTES,
		    ds.e_i, 32);
		memcpy(sh + (size_t)j * CCC_AGG_SHARE_BYTES + CCC_POINT_BYTES +
		    32, ds.f_i, 32);
	}
	memset(vals, 0, sizeof(vals));
	ccc_val_bytes(&vals[ASH_KEY_ID], pub->key_id, 32);
	ccc_val_uint(&vals[ASH_EPOCH], pub->epoch);
	ccc_val_uint(&vals[ASH_INDEX], index);
	ccc_val_bytes(&vals[ASH_AGGREGATE], a->digest, 32);
	if (req != NULL)
		ccc_val_bytes(&vals[ASH_REQUEST], req, 32);
	ccc_val_array(&vals[ASH_SHARES], sh, (size_t)a->k *
	    CCC_AGG_SHARE_BYTES, a->k);
	if ((rc = ccc_blob_encode(out, &ccc_schema_agg_share, vals)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "share");
out:
	free(sh);
	return rc;
}

int
ccc_agg_share_decode(struct ccc_agg_share *s, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err)
{
	struct ccc_val v[ASH_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_agg_share, p, len, v, base,
	    err)) != 0)
		return rc;
	memcpy(s->key_id, v[ASH_KEY_ID].p, 32);
	s->epoch = v[ASH_EPOCH].u;
	s->index = (uint32_t)v[ASH_INDEX].u;
	s->aggregate = v[ASH_AGGREGATE].p;
	s->request = v[ASH_REQUEST].present ? v[ASH_REQUEST].p : NULL;
	s->k = (uint32_t)v[ASH_SHARES].count;
	s->shares = ccc_val_elem(&v[ASH_SHARES], CCC_AGG_SHARE_BYTES, 0);
	s->ss = (size_t)(ccc_val_elem(&v[ASH_SHARES], CCC_AGG_SHARE_BYTES, 1) -
	    s->shares);
	return 0;
}

int
ccc_agg_share_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_aggregate *a, const struct ccc_agg_share *s,
    const uint8_t *req, struct ccc_err *err)
{
	struct ccc_tdh2_ct ct;
	struct ccc_tdh2_dshare ds;
	uint8_t bind[32];
	const uint8_t *p;
	uint32_t j;
	int rc;

	if (memcmp(s->key_id, pub->key_id, 32) != 0 || s->epoch != pub->epoch)
		return ccc_err_set(err, CCC_E_SHARE, -1, "key_id",
		    "a share of another key or epoch");
	if (memcmp(s->aggregate, a->digest, 32) != 0)
		return ccc_err_set(err, CCC_E_SHARE, -1, "aggregate",
		    "a share of another aggregate");
	if ((req == NULL) != (s->request == NULL) ||
	    (req != NULL && memcmp(req, s->request, 32) != 0))
		return ccc_err_set(err, CCC_E_SHARE, -1, "request",
		    "a share for another request");
	if (s->k != a->k)
		return ccc_err_set(err, CCC_E_SHARE, -1, "shares",
		    "%u shares for %u values", s->k, a->k);
	memset(&ct, 0, sizeof(ct));
	for (j = 0; j < a->k; j++) {
		p = s->shares + (size_t)j * s->ss;
		memcpy(ct.u, a->u + (size_t)j * a->su,
		    CCC_POINT_BYTES);
		ds.index = s->index;
		memcpy(ds.u_i, p, CCC_POINT_BYTES);
		memcpy(ds.e_i, p + CCC_POINT_BYTES, 32);
		memcpy(ds.f_i, p + CCC_POINT_BYTES + 32, 32);
		share_bind(bind, pub, s->index, a, j, req);
		if ((rc = ccc_tdh2_share_verify(ec, pub, &ct, &ds, bind,
		    err)) != 0)
			return rc;
	}
	return 0;
}

int
ccc_aggregate_open(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_aggregate *a, const struct ccc_agg_share *s, size_t t,
    EC_POINT **pts, struct ccc_err *err)
{
	BIGNUM *lambda[CCC_TDH2_MAX_N] = { NULL };
	EC_POINT *ui[CCC_TDH2_MAX_N] = { NULL }, *hr = NULL;
	uint32_t xs[CCC_TDH2_MAX_N], j;
	size_t i;
	int rc = CCC_E_NOMEM;

	(void)pub;
	if (t == 0 || t > CCC_TDH2_MAX_N)
		return ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL,
		    "%zu shares", t);
	for (i = 0; i < t; i++) {
		xs[i] = s[i].index;
		if ((lambda[i] = BN_new()) == NULL ||
		    (ui[i] = EC_POINT_new(ec->group)) == NULL)
			goto out;
	}
	if ((hr = EC_POINT_new(ec->group)) == NULL)
		goto out;
	rc = CCC_E_CRYPTO;
	if (ccc_tdh2_lagrange(ec, lambda, xs, t) != 0)
		goto out;
	for (j = 0; j < a->k; j++) {
		for (i = 0; i < t; i++)
			if ((rc = ccc_ec_point_decode(ec, ui[i], s[i].shares +
			    (size_t)j * s[i].ss, "u_i", err)) != 0)
				goto out;
		rc = CCC_E_CRYPTO;
		if (EC_POINTs_mul(ec->group, hr, NULL, t,
		    (const EC_POINT **)ui, (const BIGNUM **)lambda,
		    ec->bn) != 1 ||
		    EC_POINT_invert(ec->group, hr, ec->bn) != 1)
			goto out;
		if ((rc = ccc_ec_point_decode(ec, pts[j], a->v +
		    (size_t)j * a->su, "v", err)) != 0)
			goto out;
		rc = CCC_E_CRYPTO;
		if (EC_POINT_add(ec->group, pts[j], pts[j], hr, ec->bn) != 1)
			goto out;
	}
	rc = 0;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "combine");
	else if (rc == CCC_E_NOMEM)
		ccc_err_set(err, rc, -1, NULL, "combine");
	for (i = 0; i < t; i++) {
		BN_free(lambda[i]);
		EC_POINT_free(ui[i]);
	}
	EC_POINT_free(hr);
	return rc;
}
