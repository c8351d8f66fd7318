#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <sodium.h>

#include "batchverify.h"

/*
 * The terms of one multi-scalar multiplication: the scalar of G and up
 * to cap (point, scalar) pairs; the points it decoded are its own.
 */
struct msm {
	BIGNUM *g;
	const EC_POINT **pts;
	BIGNUM **sc;
	EC_POINT **own;
	size_t n, nown, cap;
};

static int
msm_init(struct msm *m, size_t cap)
{
	memset(m, 0, sizeof(*m));
	m->cap = cap;
	if ((m->g = BN_new()) == NULL ||
	    (m->pts = calloc(cap, sizeof(*m->pts))) == NULL ||
	    (m->sc = calloc(cap, sizeof(*m->sc))) == NULL ||
	    (m->own = calloc(cap, sizeof(*m->own))) == NULL)
		return CCC_E_NOMEM;
	BN_zero(m->g);
	return 0;
}

static void
msm_free(struct msm *m)
{
	size_t i;

	for (i = 0; i < m->nown; i++)
		EC_POINT_free(m->own[i]);
	for (i = 0; i < m->n; i++)
		BN_free(m->sc[i]);
	free(m->own);
	free(m->sc);
	free(m->pts);
	BN_free(m->g);
}

/* Decode enc into a point m keeps in *p: 0, 1 if invalid, or < 0. */
static int
msm_point(struct ccc_ec *ec, struct msm *m, EC_POINT **p,
    const uint8_t enc[CCC_POINT_BYTES])
{
	if (m->nown == m->cap || (*p = EC_POINT_new(ec->group)) == NULL)
		return CCC_E_NOMEM;
	m->own[m->nown++] = *p;
	return ccc_ec_point_decode(ec, *p, enc, NULL, NULL) != 0;
}

/*
 * Add the term s*p with s = -(w*e) mod n (e NULL: -w), or with s = w
 * itself when neg is false; plus add (mod n) when add is not NULL.
 */
static int
msm_term(struct ccc_ec *ec, struct msm *m, const EC_POINT *p,
    const BIGNUM *w, const BIGNUM *e, bool neg, const BIGNUM *add)
{
	BIGNUM *s;

	if (m->n == m->cap || (s = BN_new()) == NULL)
		return CCC_E_NOMEM;
	m->sc[m->n] = s;
	m->pts[m->n++] = p;
	if ((e != NULL ? BN_mod_mul(s, w, e, ec->n, ec->bn) != 1 :
	    BN_copy(s, w) == NULL) ||
	    (neg && !BN_is_zero(s) && BN_sub(s, ec->n, s) != 1) ||
	    (add != NULL && BN_mod_add(s, s, add, ec->n, ec->bn) != 1))
		return CCC_E_CRYPTO;
	return 0;
}

/* Whether sum(terms) + g*G is the identity (true for no terms). */
static int
msm_zero(struct ccc_ec *ec, struct msm *m, bool *ok)
{
	EC_POINT *r;
	int rc = CCC_E_CRYPTO;

	if ((r = EC_POINT_new(ec->group)) == NULL)
		return CCC_E_NOMEM;
	if (EC_POINTs_mul(ec->group, r, m->g, m->n, m->pts,
	    (const BIGNUM **)m->sc, ec->bn) == 1) {
		*ok = EC_POINT_is_at_infinity(ec->group, r) == 1;
		rc = 0;
	}
	EC_POINT_free(r);
	return rc;
}

/*
 * One item of a batch: two proofs of one discrete logarithm,
 * f*B1 = C1 + e*P1 and f*B2 = C2 + e*P2, as encodings pt = { P1, C1, P2,
 * C2 }, the scalars e, f and the challenge digest d its commitments give.
 * p2, when not NULL, is P2 already decoded (a key's, checked when the
 * key was loaded).  tab2, when not NULL (B2 must then be G), is a
 * fixed-base table of P2 (ccc_ec_table_new): the second equation is then
 * checked alone, from two fixed-base products, and left out of the MSM.
 * 0, 1 to leave the item out (judged alone), < 0 on failure.
 */
struct dleq {
	const uint8_t *pt[4], *e, *f;
	const EC_POINT *p2;
	const EC_GROUP *tab2;
	uint8_t d[32];
};
typedef int (*item_fn)(void *arg, size_t i, struct dleq *q);

/*
 * f*G == c + e*P from G's table and P's (tab): two fixed-base products
 * (each about half of one point of the MSM with its table in the cache,
 * more when k tables are not) where the MSM would take P and c as two
 * variable bases.  0 if it holds, 1 if not, < 0 on failure.
 */
static int
dleq_alone(struct ccc_ec *ec, const EC_GROUP *tab, const EC_POINT *c,
    const BIGNUM *e, const BIGNUM *f)
{
	EC_POINT *x, *y;
	int rc = CCC_E_CRYPTO;

	x = EC_POINT_new(ec->group);
	y = EC_POINT_new(ec->group);
	if (x == NULL || y == NULL)
		rc = CCC_E_NOMEM;
	else if (EC_POINT_mul(ec->group, x, f, NULL, NULL, ec->bn) == 1 &&
	    EC_POINT_mul(tab, y, e, NULL, NULL, ec->bn) == 1 &&
	    EC_POINT_add(ec->group, y, y, c, ec->bn) == 1)
		rc = EC_POINT_cmp(ec->group, x, y, ec->bn);
	EC_POINT_free(x);
	EC_POINT_free(y);
	return rc < 0 ? CCC_E_CRYPTO : rc != 0;
}

/*
 * sum rho_i (f_i B1 - C1_i - e_i P1_i) + sigma_i (f_i B2 - C2_i - e_i P2_i)
 * = 0, in one MSM: the items' pre[i] say which were in it.  A base NULL is
 * G, whose scalar is the MSM's own.  With lam (n scalars) and out, the
 * sum plus sum lam_i P1_i goes to out instead, and *ok is whether every
 * item was in it.
 */
static int
dleq_batch(struct ccc_ec *ec, const EC_POINT *b1, const EC_POINT *b2,
    size_t n, item_fn fn, void *arg,
    const uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES], BIGNUM *const *lam,
    EC_POINT *out, bool *pre, bool *ok)
{
	const EC_POINT *p[4];
	EC_POINT *dec = NULL;
	BIGNUM *e, *f, *wt[2], *acc[2], *tmp;
	struct dleq q;
	struct msm m;
	size_t i, j;
	int rc, bad;

	BN_CTX_start(ec->bn);
	e = BN_CTX_get(ec->bn);
	f = BN_CTX_get(ec->bn);
	wt[0] = BN_CTX_get(ec->bn);
	wt[1] = BN_CTX_get(ec->bn);
	acc[0] = BN_CTX_get(ec->bn);
	acc[1] = BN_CTX_get(ec->bn);
	tmp = BN_CTX_get(ec->bn);
	if ((rc = msm_init(&m, 4 * n + 2)) != 0 || tmp == NULL) {
		rc = CCC_E_NOMEM;
		goto out;
	}
	BN_zero(acc[0]);
	BN_zero(acc[1]);
	for (i = 0; i < n; i++) {
		pre[i] = false;
		q.p2 = NULL;
		q.tab2 = NULL;
		bad = fn(arg, i, &q);
		if (b2 != NULL)
			q.tab2 = NULL;
		/* P2 given decoded, or the table's: not decoded here. */
		for (j = 0; j < 4 && bad == 0; j++)
			if (j != 2 || (q.p2 == NULL && q.tab2 == NULL)) {
				bad = msm_point(ec, &m, &dec, q.pt[j]);
				p[j] = dec;
			} else
				p[j] = q.p2;
		if (bad == 0 && (ccc_ec_scalar_decode(ec, e, q.e, NULL,
		    NULL) != 0 || ccc_ec_scalar_decode(ec, f, q.f, NULL,
		    NULL) != 0))
			bad = 1;
		/* The challenge the commitments give must be e. */
		if (bad == 0)
			bad = ccc_ec_scalar_from_hash(ec, tmp, q.d, 32) != 0 ?
			    CCC_E_CRYPTO : BN_cmp(tmp, e) != 0;
		if (bad == 0 && q.tab2 != NULL)
			bad = dleq_alone(ec, q.tab2, p[3], e, f);
		if (bad < 0) {
			rc = bad;
			goto out;
		}
		if (bad)
			continue;
		pre[i] = true;
		for (j = 0; j < (q.tab2 != NULL ? 1u : 2u); j++)
			if (BN_bin2bn(w[2 * i + j], CCC_BATCH_WEIGHT_BYTES,
			    wt[j]) == NULL ||
			    BN_mod_mul(tmp, wt[j], f, ec->n, ec->bn) != 1 ||
			    BN_mod_add(acc[j], acc[j], tmp, ec->n,
			    ec->bn) != 1) {
				rc = CCC_E_CRYPTO;
				goto out;
			} else if ((rc = msm_term(ec, &m, p[2 * j], wt[j], e,
			    true, j == 0 && lam != NULL ? lam[i] : NULL)) !=
			    0 || (rc = msm_term(ec, &m, p[2 * j + 1], wt[j],
			    NULL, true, NULL)) != 0)
				goto out;
	}
	for (j = 0; j < 2; j++) {
		const EC_POINT *base = j == 0 ? b1 : b2;
		if (base == NULL)
			rc = BN_copy(m.g, acc[j]) != NULL ? 0 : CCC_E_CRYPTO;
		else
			rc = msm_term(ec, &m, base, acc[j], NULL, false, NULL);
		if (rc != 0)
			goto out;
	}
	if (out == NULL) {
		rc = msm_zero(ec, &m, ok);
		goto out;
	}
	for (*ok = true, i = 0; i < n; i++)
		*ok = *ok && pre[i];
	rc = EC_POINTs_mul(ec->group, out, m.g, m.n, m.pts,
	    (const BIGNUM **)m.sc, ec->bn) == 1 ? 0 : CCC_E_CRYPTO;
out:
	ERR_clear_error();
	msm_free(&m);
	BN_CTX_end(ec->bn);
	return rc;
}

struct share_items {
	const struct ccc_tdh2_pub *pub;
	const struct ccc_tdh2_ct *ct;
	const struct ccc_tdh2_dshare *const *ds;
	const uint8_t (*comm)[2][CCC_POINT_BYTES];
	const uint8_t (*binds)[32];
};

/* f_i u = u_hat_i + e_i u_i and f_i G = h_hat_i + e_i h_i. */
static int
share_item(void *arg, size_t i, struct dleq *q)
{
	const struct share_items *s = arg;
	const struct ccc_tdh2_dshare *ds = s->ds[i];

	if (ds->index < 1 || ds->index > s->pub->n)
		return 1;
	q->pt[0] = ds->u_i;
	q->pt[1] = s->comm[i][0];
	q->pt[2] = s->pub->hi_enc[ds->index - 1];
	q->pt[3] = s->comm[i][1];
	q->e = ds->e_i;
	q->f = ds->f_i;
	q->p2 = s->pub->hi[ds->index - 1];
	if (s->pub->hi_tab != NULL)
		q->tab2 = s->pub->hi_tab[ds->index - 1];
	ccc_tdh2_share_challenge(q->d, s->binds ? s->binds[i] : NULL,
	    s->ct->u, q->pt[2], ds->u_i, q->pt[1], q->pt[3]);
	return 0;
}

int
ccc_tdh2_share_batch_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, const struct ccc_tdh2_dshare *const *ds,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, const uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES], bool *pre,
    bool *ok)
{
	struct share_items s = { pub, ct, ds, comm, binds };
	EC_POINT *u;
	size_t i;
	int rc;

	if ((u = EC_POINT_new(ec->group)) == NULL)
		return CCC_E_NOMEM;
	if (ccc_ec_point_decode(ec, u, ct->u, NULL, NULL) == 0)
		rc = dleq_batch(ec, u, NULL, k, share_item, &s, w, NULL, NULL,
		    pre, ok);
	else {
		/* No share of it can verify: each is judged alone. */
		for (i = 0; i < k; i++)
			pre[i] = false;
		*ok = false;
		rc = 0;
	}
	EC_POINT_free(u);
	return rc;
}

int
ccc_tdh2_share_combine_batch(struct ccc_ec *ec, uint8_t m[32],
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_dshare *const *ds,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, bool *ok)
{
	struct share_items s = { pub, ct, ds, comm, binds };
	uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES] = NULL;
	uint8_t enc[CCC_POINT_BYTES];
	EC_POINT *u = NULL, *t = NULL;
	BIGNUM **lam = NULL;
	uint32_t *xs = NULL;
	bool *pre = NULL;
	size_t i;
	int rc = CCC_E_NOMEM;

	*ok = false;
	if (k != pub->t || k < 2)
		return 0;
	BN_CTX_start(ec->bn);
	if ((w = calloc(2 * k, sizeof(*w))) == NULL ||
	    (pre = calloc(k, sizeof(*pre))) == NULL ||
	    (lam = calloc(k, sizeof(*lam))) == NULL ||
	    (xs = calloc(k, sizeof(*xs))) == NULL ||
	    (u = EC_POINT_new(ec->group)) == NULL ||
	    (t = EC_POINT_new(ec->group)) == NULL)
		goto out;
	for (i = 0; i < k; i++) {
		xs[i] = ds[i]->index;
		if ((lam[i] = BN_CTX_get(ec->bn)) == NULL)
			goto out;
	}
	/* Not ok, judged the usual way: u or a node number is bad (0 or
	 * repeated here; past n, share_item leaves the share out). */
	rc = 0;
	if (ccc_ec_point_decode(ec, u, ct->u, NULL, NULL) != 0 ||
	    ccc_tdh2_lagrange(ec, lam, xs, k) != 0)
		goto out;
	/* The system's CSPRNG, not ec->drbg: an input's author may know it. */
	randombytes_buf(w, 2 * k * sizeof(*w));
	if ((rc = dleq_batch(ec, u, NULL, k, share_item, &s,
	    (const uint8_t (*)[CCC_BATCH_WEIGHT_BYTES])w, lam, t, pre,
	    ok)) != 0 || !*ok)
		goto out;
	if (ccc_ec_points_encode(ec, &enc, &t, 1) != 0)
		*ok = false;
	else
		ccc_tdh2_message(m, enc, ct);
	sodium_memzero(enc, sizeof(enc));
out:
	ERR_clear_error();
	EC_POINT_clear_free(t);
	EC_POINT_free(u);
	free(xs);
	free(lam);
	free(pre);
	free(w);
	BN_CTX_end(ec->bn);
	return rc;
}

struct ct_items {
	const struct ccc_tdh2_ct *const *cts;
	const uint8_t (*comm)[2][CCC_POINT_BYTES];
};

/* f_i G = w_i + e_i u_i and f_i g_bar = w_bar_i + e_i u_bar_i. */
static int
ct_item(void *arg, size_t i, struct dleq *q)
{
	const struct ct_items *c = arg;
	const struct ccc_tdh2_ct *ct = c->cts[i];

	q->pt[0] = ct->u;
	q->pt[1] = c->comm[i][0];
	q->pt[2] = ct->u_bar;
	q->pt[3] = c->comm[i][1];
	q->e = ct->e;
	q->f = ct->f;
	ccc_tdh2_ct_challenge(q->d, ct->c, ct->label, ct->u, q->pt[1],
	    ct->u_bar, q->pt[3]);
	return 0;
}

int
ccc_tdh2_ct_batch_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *const *cts,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], size_t n,
    const uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES], bool *pre, bool *ok)
{
	struct ct_items c = { cts, comm };

	return dleq_batch(ec, NULL, pub->gbar, n, ct_item, &c, w, NULL, NULL,
	    pre, ok);
}

/* Fresh weights, the combined check, then alone what it did not clear. */
static int
batch_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, const struct ccc_tdh2_dshare *const *ds,
    const struct ccc_tdh2_ct *const *cts,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, int *verdict, struct ccc_err *why, struct ccc_err *err)
{
	uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES] = NULL;
	struct ccc_err e, *ep;
	bool *pre = NULL, ok = false;
	size_t i, nbad = 0;
	int rc = CCC_E_NOMEM, v;

	if ((w = calloc(2 * k + 1, sizeof(*w))) == NULL ||
	    (pre = calloc(k + 1, sizeof(*pre))) == NULL)
		goto fail;
	/* The system's CSPRNG, not ec->drbg: an input's author may know it. */
	randombytes_buf(w, 2 * k * sizeof(*w));
	rc = ds != NULL ? ccc_tdh2_share_batch_check(ec, pub, ct, ds, comm,
	    binds, k, w, pre, &ok) :
	    ccc_tdh2_ct_batch_check(ec, pub, cts, comm, k, w, pre, &ok);
	if (rc != 0)
		goto fail;
	for (i = 0; i < k; i++) {
		ep = why != NULL ? &why[i] : &e;
		ccc_err_clear(ep);
		if (pre[i] && ok) {
			verdict[i] = 0;
			continue;
		}
		v = ds != NULL ? ccc_tdh2_share_verify(ec, pub, ct, ds[i],
		    binds ? binds[i] : NULL, ep) :
		    ccc_tdh2_verify(ec, pub, cts[i], ep);
		if (v == CCC_E_NOMEM || v == CCC_E_CRYPTO) {
			*err = *ep;
			rc = v;
			goto out;
		}
		verdict[i] = v;
		nbad += v != 0;
	}
	rc = nbad == 0 ? 0 : ds != NULL ? CCC_E_SHARE : CCC_E_CIPHERTEXT;
	goto out;
fail:
	ccc_err_set(err, rc, -1, NULL, "batch verify");
out:
	free(w);
	free(pre);
	return rc;
}

int
ccc_tdh2_share_verify_batch(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, const struct ccc_tdh2_dshare *const *ds,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, int *verdict, struct ccc_err *why, struct ccc_err *err)
{
	return batch_verify(ec, pub, ct, ds, NULL, comm, binds, k, verdict,
	    why, err);
}

int
ccc_tdh2_verify_batch(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *const *cts,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], size_t n, int *verdict,
    struct ccc_err *why, struct ccc_err *err)
{
	return batch_verify(ec, pub, NULL, NULL, cts, comm, NULL, n, verdict,
	    why, err);
}
