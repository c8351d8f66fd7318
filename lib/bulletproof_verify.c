/*
 * Bulletproofs: the batch verifier (bulletproof.h).
 *
 * Every proof contributes four equations, each times its own random
 * 128-bit weight (w1 inner product, w2 t(x), w3 and w4 the link proof);
 * with s_i = prod_j x_j^(+1 if bit k-j of i is set, else -1) and
 * d_i = 2^i for i < B, 0 beyond:
 *
 *   w1 [A + x S + sum_j (x_j^2 L_j + x_j^-2 R_j) - mu H
 *       + sum_i (-z - a s_i) G_i
 *       + sum_i (z + (z^2 d_i - b s_(n-1-i)) y^-i) H_i
 *       + w (t_hat - a b) U]
 * + w2 [(t_hat - delta) G + tau_x H - z^2 v - x T1 - x^2 T2]
 * + w3 [z_r G - Tu - e u]
 * + w4 [z_m G + z_r H - Tv - e v]  = O
 *
 * delta = (z - z^2) sum_(i<n) y^i - z^3 (2^B - 1).  The G_i, H_i, U, G
 * and H scalars of a batch are summed, so a proof adds 8 + 2k points
 * (u v Tu Tv A S T1 T2 L R) to one EC_POINTs_mul, which also takes the
 * G_i, H_i below the batch's largest n, U and H.
 *
 * Why EC_POINTs_mul and no multi-exponentiation of our own: OpenSSL's
 * nistz256 method does the many-point product with its assembler point
 * arithmetic (measured here: ~19-26 us a point, see BATCH_POINTS), while
 * EC_POINT_add goes through the generic BIGNUM field code (~0.8 us an
 * addition), so Pippenger's buckets over it would need ~20 additions a
 * point and be no faster.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "bulletproof.h"

/*
 * Measured (EC_POINTs_mul, nistz256): ~19 us a point in products of 256
 * points, ~23 at 2,048, ~26 at 6,144 (the precomputed tables, 1.5 KiB a
 * point, fall out of the caches); with the shared bases (66 for 32 bits)
 * batches of 512 to 2,048 points verify 32-bit inputs fastest, ~1,024
 * by a few per cent.
 */
#define BATCH_POINTS 1024
#define NSHARED (2 * CCC_BP_GENS + 2)	/* G_i, H_i, U, H */

struct batch {
	size_t n, cap;
	uint32_t nmax;		/* the largest n of the batch's proofs */
	EC_POINT **p;		/* the proofs' own points, cap of them */
	BIGNUM **s;
	const EC_POINT **pp;	/* p then the shared bases, for the MSM */
	const BIGNUM **ss;
	BIGNUM *gc[CCC_BP_GENS], *hc[CCC_BP_GENS];
	BIGNUM *uc, *gs, *hs;
	/* zs[k]: the sum of w1 z over the proofs of 2^k bits */
	BIGNUM *zs[CCC_BP_MAX_ROUNDS + 1];
	/* one proof's scalars */
	BIGNUM *sc[CCC_BP_SCALARS], *y, *z, *z2, *x, *w, *e;
	BIGNUM *xj[CCC_BP_MAX_ROUNDS + 1], *xinv[CCC_BP_MAX_ROUNDS + 1];
	BIGNUM *xsq[CCC_BP_MAX_ROUNDS];	/* x_j^2 */
	BIGNUM *si[CCC_BP_MAX_BITS], *wt[4];
	BIGNUM *t, *t2, *yp, *yip, *ysum, *wa, *wb, *d;
};

/* Every BIGNUM member, for allocation and freeing. */
static size_t
bn_members(struct batch *b, BIGNUM ***out)
{
	size_t n = 0, i;

	for (i = 0; i < CCC_BP_GENS; i++) {
		out[n++] = &b->gc[i];
		out[n++] = &b->hc[i];
	}
	for (i = 0; i < CCC_BP_SCALARS; i++)
		out[n++] = &b->sc[i];
	for (i = 0; i <= CCC_BP_MAX_ROUNDS; i++) {
		out[n++] = &b->xj[i];
		out[n++] = &b->xinv[i];
	}
	for (i = 0; i < CCC_BP_MAX_ROUNDS; i++)
		out[n++] = &b->xsq[i];
	for (i = 0; i < CCC_BP_MAX_BITS; i++)
		out[n++] = &b->si[i];
	for (i = 0; i < 4; i++)
		out[n++] = &b->wt[i];
	for (i = 0; i <= CCC_BP_MAX_ROUNDS; i++)
		out[n++] = &b->zs[i];
	out[n++] = &b->uc; out[n++] = &b->gs; out[n++] = &b->hs;
	out[n++] = &b->y; out[n++] = &b->z;
	out[n++] = &b->z2; out[n++] = &b->x; out[n++] = &b->w;
	out[n++] = &b->e; out[n++] = &b->t; out[n++] = &b->t2;
	out[n++] = &b->yp; out[n++] = &b->yip; out[n++] = &b->ysum;
	out[n++] = &b->wa; out[n++] = &b->wb; out[n++] = &b->d;
	return n;
}
#define NBN (2 * CCC_BP_GENS + CCC_BP_SCALARS + \
	3 * (CCC_BP_MAX_ROUNDS + 1) + CCC_BP_MAX_ROUNDS + \
	CCC_BP_MAX_BITS + 4 + 17)

static void
batch_reset(struct batch *b)
{
	size_t i;

	b->n = 0;
	b->nmax = 0;
	for (i = 0; i < CCC_BP_GENS; i++) {
		BN_zero(b->gc[i]);
		BN_zero(b->hc[i]);
	}
	BN_zero(b->uc);
	BN_zero(b->gs);
	BN_zero(b->hs);
	for (i = 0; i <= CCC_BP_MAX_ROUNDS; i++)
		BN_zero(b->zs[i]);
}

static void
batch_free(struct batch *b)
{
	BIGNUM **m[NBN];
	size_t i, n = bn_members(b, m);

	for (i = 0; i < n; i++)
		BN_free(*m[i]);
	for (i = 0; i < b->cap; i++) {
		EC_POINT_free(b->p[i]);
		BN_free(b->s[i]);
	}
	free(b->p);
	free(b->s);
	free(b->pp);
	free(b->ss);
}

static int
batch_init(struct batch *b)
{
	BIGNUM **m[NBN];
	size_t i, n;

	memset(b, 0, sizeof(*b));
	n = bn_members(b, m);
	for (i = 0; i < n; i++)
		if ((*m[i] = BN_new()) == NULL)
			return CCC_E_NOMEM;
	batch_reset(b);
	return 0;
}

static int
batch_grow(struct ccc_ec *ec, struct batch *b, size_t need)
{
	size_t i;
	void *q;

	if (need <= b->cap)
		return 0;
	if (need < 2 * b->cap)
		need = 2 * b->cap;
	if ((q = realloc(b->p, need * sizeof(*b->p))) == NULL)
		return CCC_E_NOMEM;
	b->p = q;
	if ((q = realloc(b->s, need * sizeof(*b->s))) == NULL)
		return CCC_E_NOMEM;
	b->s = q;
	if ((q = realloc(b->pp, (need + NSHARED) * sizeof(*b->pp))) == NULL)
		return CCC_E_NOMEM;
	b->pp = q;
	if ((q = realloc(b->ss, (need + NSHARED) * sizeof(*b->ss))) == NULL)
		return CCC_E_NOMEM;
	b->ss = q;
	for (i = b->cap; i < need; i++) {
		b->p[i] = EC_POINT_new(ec->group);
		b->s[i] = BN_new();
		b->cap = i + 1;
		if (b->p[i] == NULL || b->s[i] == NULL)
			return CCC_E_NOMEM;
	}
	return 0;
}

/* out = n - x (x < n), i.e. -x mod n */
static int
neg(struct ccc_ec *ec, BIGNUM *out, const BIGNUM *x)
{
	if (BN_is_zero(x))
		return BN_copy(out, x) != NULL;
	return BN_sub(out, ec->n, x) == 1;
}

#define MUL(r, a, b) (BN_mod_mul((r), (a), (b), ec->n, ec->bn) == 1)
#define ADD(r, a, b) (BN_mod_add((r), (a), (b), ec->n, ec->bn) == 1)
#define SUB(r, a, b) (BN_mod_sub((r), (a), (b), ec->n, ec->bn) == 1)

/*
 * inv[i] = 1 / v[i] for i < cnt, with one inversion (Montgomery's
 * trick); tmp a scratch.  The values are non-zero challenges.
 */
static int
batch_inverse(struct ccc_ec *ec, BIGNUM **v, BIGNUM **inv, size_t cnt,
    BIGNUM *tmp)
{
	size_t i;

	/* inv[i] = v[0] .. v[i-1] */
	BN_one(inv[0]);
	for (i = 1; i < cnt; i++)
		if (!MUL(inv[i], inv[i - 1], v[i - 1]))
			return 0;
	if (!MUL(tmp, inv[cnt - 1], v[cnt - 1]) ||
	    BN_mod_inverse(tmp, tmp, ec->n, ec->bn) == NULL)
		return 0;
	for (i = cnt; i-- > 0;) {
		/* tmp = 1 / (v[0] .. v[i]) */
		if (!MUL(inv[i], inv[i], tmp) || !MUL(tmp, tmp, v[i]))
			return 0;
	}
	return 1;
}

static int
weights(struct batch *b)
{
	uint8_t r[64];
	int i;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return 0;
	for (i = 0; i < 4; i++)
		if (BN_bin2bn(r + 16 * i, 16, b->wt[i]) == NULL)
			return 0;
	return 1;
}

/*
 * Add one proof's terms to b.  Encodings: CCC_E_POINT/SCALAR with err;
 * a zero challenge: CCC_E_CIPHERTEXT.
 */
static int
add_proof(struct ccc_ec *ec, struct batch *b, const struct ccc_bp_stmt *st,
    struct ccc_err *err)
{
	uint32_t n = ccc_bp_n(st->bits), k = ccc_bp_rounds(st->bits), i, j;
	const uint8_t *pr = st->proof, *sc = pr + (6 + 2 * (size_t)k) *
	    CCC_POINT_BYTES;
	EC_POINT **p;
	BIGNUM **s, **w = b->wt;
	struct ccc_bp_tr t;
	int rc;

	if (st->bits < 1 || st->bits > CCC_BP_MAX_BITS)
		return ccc_err_set(err, CCC_E_FIELD, -1, "bits",
		    "1 to %d bits", CCC_BP_MAX_BITS);
	if ((rc = batch_grow(ec, b, b->n + 8 + 2 * k)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "batch");
	p = b->p + b->n;
	s = b->s + b->n;
	/* p: u v Tu Tv A S T1 T2 L_1..L_k R_1..R_k */
	if ((rc = ccc_ec_point_decode(ec, p[0], st->u, "u", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, p[1], st->v, "v", err)) != 0)
		return rc;
	for (i = 0; i < 6 + 2 * k; i++)
		if ((rc = ccc_ec_point_decode(ec, p[2 + i],
		    pr + i * CCC_POINT_BYTES, "proof", err)) != 0)
			return rc;
	for (i = 0; i < CCC_BP_SCALARS; i++)
		if ((rc = ccc_ec_scalar_decode(ec, b->sc[i],
		    sc + i * CCC_SCALAR_BYTES, "proof", err)) != 0)
			return rc;
	/* the challenges */
	ccc_bp_tr_init(&t, st);
	ccc_bp_tr_add(&t, st->u, CCC_POINT_BYTES);
	ccc_bp_tr_add(&t, st->v, CCC_POINT_BYTES);
	ccc_bp_tr_add(&t, pr, 4 * CCC_POINT_BYTES);
	if ((rc = ccc_bp_tr_challenge(ec, &t, b->y)) != 0 ||
	    (rc = ccc_bp_tr_challenge(ec, &t, b->z)) != 0)
		goto chal;
	ccc_bp_tr_add(&t, pr + 4 * CCC_POINT_BYTES, 2 * CCC_POINT_BYTES);
	if ((rc = ccc_bp_tr_challenge(ec, &t, b->x)) != 0)
		goto chal;
	ccc_bp_tr_add(&t, sc, 3 * CCC_SCALAR_BYTES);
	if ((rc = ccc_bp_tr_challenge(ec, &t, b->w)) != 0)
		goto chal;
	for (j = 0; j < k; j++) {
		ccc_bp_tr_add(&t, pr + (6 + j) * CCC_POINT_BYTES,
		    CCC_POINT_BYTES);
		ccc_bp_tr_add(&t, pr + (6 + k + j) * CCC_POINT_BYTES,
		    CCC_POINT_BYTES);
		if ((rc = ccc_bp_tr_challenge(ec, &t, b->xj[j])) != 0)
			goto chal;
	}
	ccc_bp_tr_add(&t, sc + 3 * CCC_SCALAR_BYTES, 2 * CCC_SCALAR_BYTES);
	if ((rc = ccc_bp_tr_challenge(ec, &t, b->e)) != 0)
		goto chal;
	/* xinv[j] = 1/x_j, xinv[k] = 1/y (xj[k] = y) */
	if (BN_copy(b->xj[k], b->y) == NULL ||
	    !batch_inverse(ec, b->xj, b->xinv, k + 1, b->t) ||
	    !weights(b))
		goto crypto;
	/* s_0 = prod 1/x_j; s_i = s_(i - 2^c) x_(k-1-c)^2, c = top bit of i */
	BN_one(b->si[0]);
	for (j = 0; j < k; j++)
		if (!MUL(b->si[0], b->si[0], b->xinv[j]) ||
		    !MUL(b->xsq[j], b->xj[j], b->xj[j]))
			goto crypto;
	for (i = 1, j = 0; i < n; i++) {
		if (i == (2u << j))
			j++;
		if (!MUL(b->si[i], b->si[i - (1u << j)], b->xsq[k - 1 - j]))
			goto crypto;
	}
	/*
	 * Shared bases.  wa = w1 a, wb = w1 b, d = w1 z^2 d_i (doubling),
	 * yip = y^-i, yp = y^i, ysum = sum y^i.
	 */
	if (!MUL(b->z2, b->z, b->z) || !MUL(b->wa, w[0], b->sc[3]) ||
	    !MUL(b->wb, w[0], b->sc[4]) || !MUL(b->d, w[0], b->z2) ||
	    !MUL(b->t, w[0], b->z) || !ADD(b->zs[k], b->zs[k], b->t))
		goto crypto;
	BN_one(b->yip);
	BN_one(b->yp);
	BN_zero(b->ysum);
	for (i = 0; i < n; i++) {
		/* G_i: -(w1 a) s_i (and -w1 z, summed in zs) */
		if (!MUL(b->t, b->wa, b->si[i]) ||
		    !SUB(b->gc[i], b->gc[i], b->t))
			goto crypto;
		/* H_i: (w1 z^2 d_i - (w1 b) s_(n-1-i)) y^-i (and + w1 z) */
		if (!MUL(b->t, b->wb, b->si[n - 1 - i]))
			goto crypto;
		if (i < st->bits) {
			if (!SUB(b->t, b->d, b->t) || !ADD(b->d, b->d, b->d))
				goto crypto;
		} else if (!neg(ec, b->t, b->t))
			goto crypto;
		if (!MUL(b->t, b->t, b->yip) ||
		    !ADD(b->hc[i], b->hc[i], b->t) ||
		    !ADD(b->ysum, b->ysum, b->yp) ||
		    !MUL(b->yp, b->yp, b->y) ||
		    !MUL(b->yip, b->yip, b->xinv[k]))
			goto crypto;
	}
	/* U: w1 w (t_hat - a b) */
	if (!MUL(b->t, b->sc[3], b->sc[4]) || !SUB(b->t, b->sc[0], b->t) ||
	    !MUL(b->t, b->t, b->w) || !MUL(b->t, b->t, w[0]) ||
	    !ADD(b->uc, b->uc, b->t))
		goto crypto;
	/* delta = (z - z^2) ysum - z^3 (2^B - 1); t2 = 2^B - 1 */
	if (BN_set_word(b->t2, (BN_ULONG)1) != 1 ||
	    BN_lshift(b->t2, b->t2, (int)st->bits) != 1 ||
	    BN_sub_word(b->t2, 1) != 1 ||
	    !MUL(b->t2, b->t2, b->z2) || !MUL(b->t2, b->t2, b->z) ||
	    !SUB(b->t, b->z, b->z2) || !MUL(b->t, b->t, b->ysum) ||
	    !SUB(b->t, b->t, b->t2))
		goto crypto;
	/* G: w2 (t_hat - delta) + w3 z_r + w4 z_m */
	if (!SUB(b->t, b->sc[0], b->t) || !MUL(b->t, b->t, w[1]) ||
	    !ADD(b->gs, b->gs, b->t) || !MUL(b->t, w[2], b->sc[6]) ||
	    !ADD(b->gs, b->gs, b->t) || !MUL(b->t, w[3], b->sc[5]) ||
	    !ADD(b->gs, b->gs, b->t))
		goto crypto;
	/* H: -w1 mu + w2 tau_x + w4 z_r */
	if (!MUL(b->t, w[0], b->sc[2]) || !SUB(b->hs, b->hs, b->t) ||
	    !MUL(b->t, w[1], b->sc[1]) || !ADD(b->hs, b->hs, b->t) ||
	    !MUL(b->t, w[3], b->sc[6]) || !ADD(b->hs, b->hs, b->t))
		goto crypto;
	/* u: -w3 e; v: -(w2 z^2 + w4 e); Tu: -w3; Tv: -w4 */
	if (!MUL(b->t, w[2], b->e) || !neg(ec, s[0], b->t) ||
	    !MUL(b->t, w[1], b->z2) || !MUL(b->t2, w[3], b->e) ||
	    !ADD(b->t, b->t, b->t2) || !neg(ec, s[1], b->t) ||
	    !neg(ec, s[2], w[2]) || !neg(ec, s[3], w[3]))
		goto crypto;
	/* A: w1; S: w1 x; T1: -w2 x; T2: -w2 x^2 */
	if (BN_copy(s[4], w[0]) == NULL || !MUL(s[5], w[0], b->x) ||
	    !MUL(b->t, w[1], b->x) || !neg(ec, s[6], b->t) ||
	    !MUL(b->t, b->t, b->x) || !neg(ec, s[7], b->t))
		goto crypto;
	/* L_j: w1 x_j^2; R_j: w1 x_j^-2 */
	for (j = 0; j < k; j++)
		if (!MUL(s[8 + j], b->xsq[j], w[0]) ||
		    !MUL(b->t, b->xinv[j], b->xinv[j]) ||
		    !MUL(s[8 + k + j], b->t, w[0]))
			goto crypto;
	b->n += 8 + 2 * k;
	if (n > b->nmax)
		b->nmax = n;
	return 0;
chal:
	ccc_bp_tr_end(&t);
	if (rc == CCC_E_CIPHERTEXT)
		return rc;
crypto:
	return ccc_err_openssl(err, "range proof");
}

/* Check that the batch sums to the identity, and reset it. */
static int
batch_check(struct ccc_ec *ec, struct batch *b,
    const struct ccc_tdh2_pub *pub, struct ccc_err *err)
{
	const struct ccc_bp_gens *gn;
	EC_POINT *r = NULL;
	size_t i, k, m = b->n;
	int rc = 0;

	if ((rc = ccc_bp_gens_get(&gn)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "bulletproof generators");
		goto out;
	}
	for (i = 0; i < b->n; i++) {
		b->pp[i] = b->p[i];
		b->ss[i] = b->s[i];
	}
	/*
	 * G_i: gc_i - the w1 z of every proof with more than i bits; H_i:
	 * hc_i + the same.  zs[k] becomes the sum over sizes >= 2^k.
	 */
	for (k = CCC_BP_MAX_ROUNDS; k-- > 0;)
		if (!ADD(b->zs[k], b->zs[k], b->zs[k + 1])) {
			rc = ccc_err_openssl(err, "batch");
			goto out;
		}
	for (i = 0, k = 0; i < b->nmax; i++) {
		while (k <= CCC_BP_MAX_ROUNDS && (1u << k) <= i)
			k++;
		if (k <= CCC_BP_MAX_ROUNDS && (!SUB(b->gc[i], b->gc[i],
		    b->zs[k]) || !ADD(b->hc[i], b->hc[i], b->zs[k]))) {
			rc = ccc_err_openssl(err, "batch");
			goto out;
		}
		b->pp[m] = gn->g[i];
		b->ss[m++] = b->gc[i];
		b->pp[m] = gn->h[i];
		b->ss[m++] = b->hc[i];
	}
	b->pp[m] = gn->u;
	b->ss[m++] = b->uc;
	b->pp[m] = pub->h;
	b->ss[m++] = b->hs;
	if ((r = EC_POINT_new(ec->group)) == NULL ||
	    EC_POINTs_mul(ec->group, r, b->gs, m, b->pp, b->ss,
	    ec->bn) != 1)
		rc = ccc_err_openssl(err, "batch");
	else if (!EC_POINT_is_at_infinity(ec->group, r))
		rc = CCC_E_CIPHERTEXT;
out:
	EC_POINT_free(r);
	batch_reset(b);
	return rc;
}

/* The first of st[from..to) at fault, one by one: 0 if none. */
static int
culprit(struct ccc_ec *ec, struct batch *b, const struct ccc_tdh2_pub *pub,
    const struct ccc_bp_stmt *st, size_t from, size_t to, size_t *at,
    struct ccc_err *err)
{
	size_t j;
	int rc;

	batch_reset(b);
	for (j = from; j < to; j++)
		if ((rc = add_proof(ec, b, &st[j], err)) != 0 ||
		    (rc = batch_check(ec, b, pub, err)) != 0) {
			*at = j;
			return rc;
		}
	return 0;
}

int
ccc_bp_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_bp_stmt *st, size_t n, size_t *bad,
    struct ccc_err *err)
{
	struct batch b;
	struct ccc_err de;
	size_t i, first = 0;
	int rc, drc;

	if ((rc = batch_init(&b)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "batch");
		goto out;
	}
	for (i = 0; i <= n; i++) {
		if (i == n || (b.n > 0 && b.n + 8 + 2 * CCC_BP_MAX_ROUNDS >
		    BATCH_POINTS)) {
			if (b.n == 0)
				break;
			rc = batch_check(ec, &b, pub, err);
			if (rc == CCC_E_CIPHERTEXT && i - first > 1 &&
			    (rc = culprit(ec, &b, pub, st, first, i, &first,
			    err)) == 0)
				rc = ccc_err_set(err, CCC_E_CRYPTO, -1, NULL,
				    "batch check failed, single checks passed");
			if (rc != 0) {
				*bad = first;
				goto fail;
			}
			first = i;
			if (i == n)
				break;
		}
		ccc_err_clear(&de);
		if ((drc = add_proof(ec, &b, &st[i], &de)) != 0) {
			if ((rc = culprit(ec, &b, pub, st, first, i, bad,
			    err)) == 0) {
				rc = drc;
				*bad = i;
				if (err != NULL)
					*err = de;
			}
			goto fail;
		}
	}
	goto out;
fail:
	if (rc == CCC_E_CIPHERTEXT)
		ccc_err_set(err, rc, -1, NULL, "range proof does not verify");
out:
	batch_free(&b);
	return rc;
}
