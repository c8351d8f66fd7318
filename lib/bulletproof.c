/*
 * Bulletproofs range proofs: generators, transcript and the prover
 * (bulletproof.h; the verifier is in bulletproof_verify.c).
 */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include <openssl/err.h>
#include <sodium.h>

#include "bulletproof.h"
#include "h2c.h"

#ifdef CCC_TEST_HOOKS
int ccc_bp_test_out_of_range;
#else
#define ccc_bp_test_out_of_range 0
#endif

uint32_t
ccc_bp_n(uint32_t bits)
{
	uint32_t n = 1;

	while (n < bits)
		n <<= 1;
	return n;
}

uint32_t
ccc_bp_rounds(uint32_t bits)
{
	uint32_t n = ccc_bp_n(bits), k = 0;

	while ((1u << k) < n)
		k++;
	return k;
}

size_t
ccc_bp_proof_bytes(uint32_t bits)
{
	return CCC_BP_PROOF_BYTES_K(ccc_bp_rounds(bits));
}

/* ---- generators ---------------------------------------------------------- */

static int
gen_point(struct ccc_ec *ec, EC_POINT **out, char tag, int i)
{
	uint8_t msg[2] = { (uint8_t)tag, (uint8_t)i }, enc[CCC_POINT_BYTES];
	int rc;

	if ((rc = ccc_h2c_p256(enc, msg, i < 0 ? 1 : 2,
	    (const uint8_t *)CCC_BP_DST, sizeof(CCC_BP_DST) - 1)) != 0)
		return rc;
	if ((*out = EC_POINT_new(ec->group)) == NULL)
		return CCC_E_NOMEM;
	return ccc_ec_point_decode(ec, *out, enc, "generator", NULL);
}

static void
gens_free(struct ccc_bp_gens *g)
{
	int i;

	for (i = 0; i < CCC_BP_GENS; i++) {
		EC_POINT_free(g->g[i]);
		EC_POINT_free(g->h[i]);
	}
	EC_POINT_free(g->u);
	memset(g, 0, sizeof(*g));
}

/*
 * Made on first use, under a mutex (threads of ccc-aggregate -j verify at
 * once); a failure is retried by the next call.  They are made with a
 * context of their own, kept for the life of the process (the default
 * one's BN_CTX may be in use by another thread); points of any P-256
 * context's group work with them (same method and curve).
 */
int
ccc_bp_gens_get(const struct ccc_bp_gens **out)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct ccc_bp_gens g;
	static struct ccc_ec *ec;
	static int ready;
	int rc = 0, i;

	if (pthread_mutex_lock(&lock) != 0)
		return CCC_E_INTERNAL;
	if (!ready) {
		if (ec == NULL && (ec = ccc_ec_new()) == NULL)
			rc = CCC_E_NOMEM;
		for (i = 0; rc == 0 && i < CCC_BP_GENS; i++)
			if ((rc = gen_point(ec, &g.g[i], 'G', i)) != 0 ||
			    (rc = gen_point(ec, &g.h[i], 'H', i)) != 0)
				break;
		if (rc == 0)
			rc = gen_point(ec, &g.u, 'U', -1);
		if (rc == 0)
			ready = 1;
		else
			gens_free(&g);
	}
	pthread_mutex_unlock(&lock);
	*out = &g;
	return rc;
}

/* ---- transcript ---------------------------------------------------------- */

static void
put_u32(uint8_t *p, uint32_t x)
{
	p[0] = x >> 24; p[1] = x >> 16; p[2] = x >> 8; p[3] = x;
}

void
ccc_bp_tr_init(struct ccc_bp_tr *t, const struct ccc_bp_stmt *st)
{
	struct ccc_sha256 h;
	uint8_t w[12];

	ccc_sha256_init(&h);
	ccc_sha256_update(&h, CCC_BP_DST, sizeof(CCC_BP_DST));
	ccc_sha256_update(&h, st->key_id, 32);
	put_u32(w, (uint32_t)(st->epoch >> 32));
	put_u32(w + 4, (uint32_t)st->epoch);
	put_u32(w + 8, (uint32_t)st->clen);
	ccc_sha256_update(&h, w, 12);
	ccc_sha256_update(&h, st->context, st->clen);
	put_u32(w, st->bits);
	put_u32(w + 4, ccc_bp_n(st->bits));
	put_u32(w + 8, (uint32_t)st->adlen);
	ccc_sha256_update(&h, w, 12);
	if (st->adlen > 0)
		ccc_sha256_update(&h, st->ad, st->adlen);
	ccc_sha256_final(&h, t->st);
	t->open = 0;
}

void
ccc_bp_tr_add(struct ccc_bp_tr *t, const void *p, size_t len)
{
	if (!t->open) {
		ccc_sha256_init(&t->h);
		ccc_sha256_update(&t->h, t->st, 32);
		t->open = 1;
	}
	ccc_sha256_update(&t->h, p, len);
}

void
ccc_bp_tr_end(struct ccc_bp_tr *t)
{
	if (t->open)
		ccc_sha256_final(&t->h, t->st);
	t->open = 0;
}

int
ccc_bp_tr_challenge(struct ccc_ec *ec, struct ccc_bp_tr *t, BIGNUM *c)
{
	if (!t->open)
		ccc_bp_tr_add(t, NULL, 0);
	ccc_bp_tr_end(t);
	if (ccc_ec_scalar_from_hash(ec, c, t->st, 32) != 0)
		return CCC_E_CRYPTO;
	return BN_is_zero(c) ? CCC_E_CIPHERTEXT : 0;
}

/* ---- the prover ---------------------------------------------------------- */

/* The prover's state: every scalar secret or derived from secrets. */
struct prover {
	uint32_t bits, n, k;
	BIGNUM *aL[CCC_BP_MAX_BITS], *aR[CCC_BP_MAX_BITS];
	BIGNUM *sL[CCC_BP_MAX_BITS], *sR[CCC_BP_MAX_BITS];
	BIGNUM *l[CCC_BP_MAX_BITS], *r[CCC_BP_MAX_BITS];
	BIGNUM *m, *gamma, *alpha, *rho, *tau1, *tau2, *km, *kr;
	BIGNUM *t1, *t2, *s, *q;	/* s, q: scratch (secret) */
	/* public: */
	BIGNUM *y, *yi, *z, *z2, *x, *xi, *w, *e, *pw;
	EC_POINT *gg[CCC_BP_MAX_BITS], *hh[CCC_BP_MAX_BITS], *uu, *pt;
	const EC_POINT *mp[2 * CCC_BP_MAX_BITS + 1];
	const BIGNUM *ms[2 * CCC_BP_MAX_BITS + 1];
};

#define SECRETS(p) ((BIGNUM **[]){ &(p)->m, &(p)->gamma, &(p)->alpha, \
	&(p)->rho, &(p)->tau1, &(p)->tau2, &(p)->km, &(p)->kr, &(p)->t1, \
	&(p)->t2, &(p)->s, &(p)->q })
#define NSECRETS 12
#define PUBLICS(p) ((BIGNUM **[]){ &(p)->y, &(p)->yi, &(p)->z, &(p)->z2, \
	&(p)->x, &(p)->xi, &(p)->w, &(p)->e, &(p)->pw })
#define NPUBLICS 9

static int
prover_new(struct ccc_ec *ec, struct prover *p, uint32_t bits)
{
	BIGNUM ***secs, ***pubs;
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->bits = bits;
	p->n = ccc_bp_n(bits);
	p->k = ccc_bp_rounds(bits);
	secs = SECRETS(p);
	pubs = PUBLICS(p);
	for (i = 0; i < NSECRETS; i++) {
		if ((*secs[i] = BN_secure_new()) == NULL)
			return CCC_E_NOMEM;
		BN_set_flags(*secs[i], BN_FLG_CONSTTIME);
	}
	for (i = 0; i < NPUBLICS; i++)
		if ((*pubs[i] = BN_new()) == NULL)
			return CCC_E_NOMEM;
	for (i = 0; i < p->n; i++) {
		BIGNUM **v[] = { &p->aL[i], &p->aR[i], &p->sL[i], &p->sR[i],
		    &p->l[i], &p->r[i] };
		size_t j;

		for (j = 0; j < 6; j++) {
			if ((*v[j] = BN_secure_new()) == NULL)
				return CCC_E_NOMEM;
			BN_set_flags(*v[j], BN_FLG_CONSTTIME);
		}
		if ((p->gg[i] = EC_POINT_new(ec->group)) == NULL ||
		    (p->hh[i] = EC_POINT_new(ec->group)) == NULL)
			return CCC_E_NOMEM;
	}
	if ((p->uu = EC_POINT_new(ec->group)) == NULL ||
	    (p->pt = EC_POINT_new(ec->group)) == NULL)
		return CCC_E_NOMEM;
	return 0;
}

static void
prover_free(struct prover *p)
{
	BIGNUM ***secs = SECRETS(p), ***pubs = PUBLICS(p);
	uint32_t i;

	for (i = 0; i < NSECRETS; i++)
		BN_clear_free(*secs[i]);
	for (i = 0; i < NPUBLICS; i++)
		BN_free(*pubs[i]);
	for (i = 0; i < CCC_BP_MAX_BITS; i++) {
		BN_clear_free(p->aL[i]);
		BN_clear_free(p->aR[i]);
		BN_clear_free(p->sL[i]);
		BN_clear_free(p->sR[i]);
		BN_clear_free(p->l[i]);
		BN_clear_free(p->r[i]);
		EC_POINT_free(p->gg[i]);
		EC_POINT_free(p->hh[i]);
	}
	EC_POINT_free(p->uu);
	EC_POINT_free(p->pt);
	sodium_memzero(p, sizeof(*p));
}

/* out = <a, b> over the first n entries. */
static int
inner(struct ccc_ec *ec, BIGNUM *out, BIGNUM *const *a, BIGNUM *const *b,
    size_t n, BIGNUM *tmp)
{
	size_t i;

	BN_zero(out);
	for (i = 0; i < n; i++)
		if (BN_mod_mul(tmp, a[i], b[i], ec->n, ec->bn) != 1 ||
		    BN_mod_add(out, out, tmp, ec->n, ec->bn) != 1)
			return 0;
	return 1;
}

/* Encode point p at *o and absorb it; advance *o. */
static int
emit_point(struct ccc_ec *ec, struct ccc_bp_tr *t, uint8_t **o,
    EC_POINT *p)
{
	if (ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])*o, &p,
	    1) != 0)
		return 0;
	ccc_bp_tr_add(t, *o, CCC_POINT_BYTES);
	*o += CCC_POINT_BYTES;
	return 1;
}

static int
emit_scalar(struct ccc_bp_tr *t, uint8_t **o, const BIGNUM *s)
{
	if (ccc_ec_scalar_encode(*o, s) != 0)
		return 0;
	ccc_bp_tr_add(t, *o, CCC_SCALAR_BYTES);
	*o += CCC_SCALAR_BYTES;
	return 1;
}

/* r = sum of np points mp[] times ms[], plus gs G (gs may be NULL). */
static int
msm(struct ccc_ec *ec, struct prover *p, EC_POINT *r, const BIGNUM *gs,
    size_t np)
{
	return EC_POINTs_mul(ec->group, r, gs, np, p->mp, p->ms, ec->bn) == 1;
}

/*
 * The inner-product argument (section 3, protocol 2 with the prover's
 * halving): vectors l, r over gg, hh (H'_i = y^-i H_i), U' = uu.
 * L, R written at *o and absorbed; l[0], r[0] hold a and b at the end.
 */
static int
ipa(struct ccc_ec *ec, struct prover *p, struct ccc_bp_tr *t, uint8_t **o,
    uint8_t *rs)
{
	size_t len = p->n, h, i, j;
	BIGNUM *cl = p->t1, *cr = p->t2;

	for (j = 0; j < p->k; j++, len = h) {
		h = len / 2;
		if (!inner(ec, cl, p->l, p->r + h, h, p->s) ||
		    !inner(ec, cr, p->l + h, p->r, h, p->s))
			return 0;
		/* L = <a_lo, G_hi> + <b_hi, H_lo> + cL U' */
		for (i = 0; i < h; i++) {
			p->mp[i] = p->gg[h + i];
			p->ms[i] = p->l[i];
			p->mp[h + i] = p->hh[i];
			p->ms[h + i] = p->r[h + i];
		}
		p->mp[2 * h] = p->uu;
		p->ms[2 * h] = cl;
		if (!msm(ec, p, p->pt, NULL, 2 * h + 1) ||
		    !emit_point(ec, t, o, p->pt))
			return 0;
		/* R = <a_hi, G_lo> + <b_lo, H_hi> + cR U', written after the Ls */
		for (i = 0; i < h; i++) {
			p->mp[i] = p->gg[i];
			p->ms[i] = p->l[h + i];
			p->mp[h + i] = p->hh[h + i];
			p->ms[h + i] = p->r[i];
		}
		p->ms[2 * h] = cr;
		if (!msm(ec, p, p->pt, NULL, 2 * h + 1) ||
		    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])(rs +
		    j * CCC_POINT_BYTES), &p->pt, 1) != 0)
			return 0;
		ccc_bp_tr_add(t, rs + j * CCC_POINT_BYTES, CCC_POINT_BYTES);
		if (ccc_bp_tr_challenge(ec, t, p->x) != 0 ||
		    BN_mod_inverse(p->xi, p->x, ec->n, ec->bn) == NULL)
			return 0;
		/* a' = x a_lo + x^-1 a_hi, b' = x^-1 b_lo + x b_hi, */
		/* G' = x^-1 G_lo + x G_hi, H' = x H_lo + x^-1 H_hi */
		for (i = 0; i < h; i++) {
			const EC_POINT *pp[2];
			const BIGNUM *ss[2];

			if (BN_mod_mul(p->s, p->l[i], p->x, ec->n, ec->bn) != 1 ||
			    BN_mod_mul(p->q, p->l[h + i], p->xi, ec->n,
			    ec->bn) != 1 ||
			    BN_mod_add(p->l[i], p->s, p->q, ec->n, ec->bn) != 1 ||
			    BN_mod_mul(p->s, p->r[i], p->xi, ec->n, ec->bn) != 1 ||
			    BN_mod_mul(p->q, p->r[h + i], p->x, ec->n,
			    ec->bn) != 1 ||
			    BN_mod_add(p->r[i], p->s, p->q, ec->n, ec->bn) != 1)
				return 0;
			pp[0] = p->gg[i];
			pp[1] = p->gg[h + i];
			ss[0] = p->xi;
			ss[1] = p->x;
			if (EC_POINTs_mul(ec->group, p->pt, NULL, 2, pp, ss,
			    ec->bn) != 1 || EC_POINT_copy(p->gg[i], p->pt) != 1)
				return 0;
			pp[0] = p->hh[i];
			pp[1] = p->hh[h + i];
			ss[0] = p->x;
			ss[1] = p->xi;
			if (EC_POINTs_mul(ec->group, p->pt, NULL, 2, pp, ss,
			    ec->bn) != 1 || EC_POINT_copy(p->hh[i], p->pt) != 1)
				return 0;
		}
	}
	return 1;
}

/* The scalar from n bytes of randomness, for each of the vectors. */
static int
rand_vec(struct ccc_ec *ec, BIGNUM **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ccc_ec_scalar_random(ec, v[i]) != 0)
			return 0;
	return 1;
}

static int
prove(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_bp_gens *gn, const struct ccc_bp_stmt *st,
    struct prover *p, uint8_t *proof)
{
	struct ccc_bp_tr t;
	uint8_t *o = proof, *rs;
	uint32_t n = p->n, i;
	EC_POINT *pt = p->pt;

	/* Tu = kr G, Tv = km G + kr H */
	if (ccc_ec_scalar_random(ec, p->km) != 0 ||
	    ccc_ec_scalar_random(ec, p->kr) != 0)
		return 0;
	ccc_bp_tr_init(&t, st);
	ccc_bp_tr_add(&t, st->u, CCC_POINT_BYTES);
	ccc_bp_tr_add(&t, st->v, CCC_POINT_BYTES);
	if (EC_POINT_mul(ec->group, pt, p->kr, NULL, NULL, ec->bn) != 1 ||
	    !emit_point(ec, &t, &o, pt) ||
	    EC_POINT_mul(ec->group, pt, p->km, pub->h, p->kr, ec->bn) != 1 ||
	    !emit_point(ec, &t, &o, pt))
		goto fail;
	/* aL: the bits of m (the hook: its low n bits, whatever m is) */
	for (i = 0; i < n; i++) {
		BN_zero(p->aL[i]);
		if ((i < p->bits || ccc_bp_test_out_of_range) &&
		    BN_is_bit_set(p->m, (int)i) &&
		    BN_one(p->aL[i]) != 1)
			goto fail;
		if (BN_mod_sub(p->aR[i], p->aL[i], BN_value_one(), ec->n,
		    ec->bn) != 1)
			goto fail;
	}
	/* A = alpha H + <aL, G> + <aR, H>; S = rho H + <sL, G> + <sR, H> */
	if (ccc_ec_scalar_random(ec, p->alpha) != 0 ||
	    ccc_ec_scalar_random(ec, p->rho) != 0 ||
	    !rand_vec(ec, p->sL, n) || !rand_vec(ec, p->sR, n))
		goto fail;
	for (i = 0; i < n; i++) {
		p->mp[i] = gn->g[i];
		p->mp[n + i] = gn->h[i];
		p->ms[i] = p->aL[i];
		p->ms[n + i] = p->aR[i];
	}
	p->mp[2 * n] = pub->h;
	p->ms[2 * n] = p->alpha;
	if (!msm(ec, p, pt, NULL, 2 * n + 1) || !emit_point(ec, &t, &o, pt))
		goto fail;
	for (i = 0; i < n; i++) {
		p->ms[i] = p->sL[i];
		p->ms[n + i] = p->sR[i];
	}
	p->ms[2 * n] = p->rho;
	if (!msm(ec, p, pt, NULL, 2 * n + 1) || !emit_point(ec, &t, &o, pt) ||
	    ccc_bp_tr_challenge(ec, &t, p->y) != 0 ||
	    ccc_bp_tr_challenge(ec, &t, p->z) != 0 ||
	    BN_mod_sqr(p->z2, p->z, ec->n, ec->bn) != 1)
		goto fail;
	/*
	 * l(X) = (aL - z) + sL X, r(X) = y^i (aR + z + sR X) + z^2 d_i:
	 * l holds l0, r holds r0, aL becomes l1 = sL, aR becomes r1.
	 * t1 = <l0, r1> + <l1, r0>, t2 = <l1, r1>.
	 */
	BN_one(p->yi);
	BN_one(p->pw);
	for (i = 0; i < n; i++) {
		if (BN_mod_sub(p->l[i], p->aL[i], p->z, ec->n, ec->bn) != 1 ||
		    BN_mod_add(p->r[i], p->aR[i], p->z, ec->n, ec->bn) != 1 ||
		    BN_mod_mul(p->r[i], p->r[i], p->yi, ec->n, ec->bn) != 1 ||
		    (i < p->bits && (BN_mod_mul(p->s, p->z2, p->pw, ec->n,
		    ec->bn) != 1 ||
		    BN_mod_add(p->r[i], p->r[i], p->s, ec->n, ec->bn) != 1)) ||
		    BN_mod_mul(p->aR[i], p->sR[i], p->yi, ec->n, ec->bn) != 1 ||
		    BN_copy(p->aL[i], p->sL[i]) == NULL ||
		    BN_mod_mul(p->yi, p->yi, p->y, ec->n, ec->bn) != 1 ||
		    BN_mod_add(p->pw, p->pw, p->pw, ec->n, ec->bn) != 1)
			goto fail;
	}
	if (!inner(ec, p->t1, p->l, p->aR, n, p->s) ||
	    !inner(ec, p->q, p->aL, p->r, n, p->s) ||
	    BN_mod_add(p->t1, p->t1, p->q, ec->n, ec->bn) != 1 ||
	    !inner(ec, p->t2, p->aL, p->aR, n, p->s) ||
	    ccc_ec_scalar_random(ec, p->tau1) != 0 ||
	    ccc_ec_scalar_random(ec, p->tau2) != 0 ||
	    EC_POINT_mul(ec->group, pt, p->t1, pub->h, p->tau1, ec->bn) != 1 ||
	    !emit_point(ec, &t, &o, pt) ||
	    EC_POINT_mul(ec->group, pt, p->t2, pub->h, p->tau2, ec->bn) != 1 ||
	    !emit_point(ec, &t, &o, pt) ||
	    ccc_bp_tr_challenge(ec, &t, p->x) != 0)
		goto fail;
	/* l = l0 + l1 x, r = r0 + r1 x */
	for (i = 0; i < n; i++)
		if (BN_mod_mul(p->s, p->aL[i], p->x, ec->n, ec->bn) != 1 ||
		    BN_mod_add(p->l[i], p->l[i], p->s, ec->n, ec->bn) != 1 ||
		    BN_mod_mul(p->s, p->aR[i], p->x, ec->n, ec->bn) != 1 ||
		    BN_mod_add(p->r[i], p->r[i], p->s, ec->n, ec->bn) != 1)
			goto fail;
	/* the scalars go after the points: L and R first */
	o = proof + (6 + 2 * (size_t)p->k) * CCC_POINT_BYTES;
	/* t_hat = <l, r>; tau_x = tau2 x^2 + tau1 x + z^2 gamma; mu */
	if (!inner(ec, p->t1, p->l, p->r, n, p->s) ||
	    !emit_scalar(&t, &o, p->t1) ||
	    BN_mod_mul(p->t2, p->tau2, p->x, ec->n, ec->bn) != 1 ||
	    BN_mod_add(p->t2, p->t2, p->tau1, ec->n, ec->bn) != 1 ||
	    BN_mod_mul(p->t2, p->t2, p->x, ec->n, ec->bn) != 1 ||
	    BN_mod_mul(p->s, p->z2, p->gamma, ec->n, ec->bn) != 1 ||
	    BN_mod_add(p->t2, p->t2, p->s, ec->n, ec->bn) != 1 ||
	    !emit_scalar(&t, &o, p->t2) ||
	    BN_mod_mul(p->s, p->rho, p->x, ec->n, ec->bn) != 1 ||
	    BN_mod_add(p->s, p->s, p->alpha, ec->n, ec->bn) != 1 ||
	    !emit_scalar(&t, &o, p->s) ||
	    ccc_bp_tr_challenge(ec, &t, p->w) != 0 ||
	    EC_POINT_mul(ec->group, p->uu, NULL, gn->u, p->w, ec->bn) != 1 ||
	    BN_mod_inverse(p->yi, p->y, ec->n, ec->bn) == NULL)
		goto fail;
	/* G_i and H'_i = y^-i H_i */
	BN_one(p->pw);
	for (i = 0; i < n; i++)
		if (EC_POINT_copy(p->gg[i], gn->g[i]) != 1 ||
		    EC_POINT_mul(ec->group, p->hh[i], NULL, gn->h[i], p->pw,
		    ec->bn) != 1 ||
		    BN_mod_mul(p->pw, p->pw, p->yi, ec->n, ec->bn) != 1)
			goto fail;
	o = proof + 6 * CCC_POINT_BYTES;
	rs = o + p->k * CCC_POINT_BYTES;
	if (!ipa(ec, p, &t, &o, rs))
		goto fail;
	/* a, b; e; z_m = km + e m, z_r = kr + e gamma */
	o = proof + (6 + 2 * (size_t)p->k) * CCC_POINT_BYTES +
	    3 * CCC_SCALAR_BYTES;
	if (!emit_scalar(&t, &o, p->l[0]) || !emit_scalar(&t, &o, p->r[0]) ||
	    ccc_bp_tr_challenge(ec, &t, p->e) != 0 ||
	    BN_mod_mul(p->s, p->e, p->m, ec->n, ec->bn) != 1 ||
	    BN_mod_add(p->s, p->s, p->km, ec->n, ec->bn) != 1 ||
	    ccc_ec_scalar_encode(o, p->s) != 0 ||
	    BN_mod_mul(p->s, p->e, p->gamma, ec->n, ec->bn) != 1 ||
	    BN_mod_add(p->s, p->s, p->kr, ec->n, ec->bn) != 1 ||
	    ccc_ec_scalar_encode(o + CCC_SCALAR_BYTES, p->s) != 0)
		goto fail;
	return 1;
fail:
	ccc_bp_tr_end(&t);
	return 0;
}

int
ccc_bp_commit(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    uint64_t m, BIGNUM *r, uint8_t *u, uint8_t *v, struct ccc_err *err)
{
	EC_POINT *pt = EC_POINT_new(ec->group);
	BIGNUM *bm = BN_secure_new();
	int rc = CCC_E_CRYPTO;

	if (pt == NULL || bm == NULL)
		goto out;
	BN_set_flags(bm, BN_FLG_CONSTTIME);
	if (ccc_ec_scalar_random(ec, r) != 0 || BN_set_word(bm, m) != 1 ||
	    EC_POINT_mul(ec->group, pt, r, NULL, NULL, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])u, &pt,
	    1) != 0 ||
	    EC_POINT_mul(ec->group, pt, bm, pub->h, r, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])v, &pt,
	    1) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		ccc_err_openssl(err, "additive ciphertext");
	EC_POINT_clear_free(pt);
	BN_clear_free(bm);
	return rc;
}

/*
 * The points are written in order: Tu 0, Tv 1, A 2, S 3, T1 4, T2 5,
 * L 6.., R 6+k..; then the scalars.
 */
int
ccc_bp_prove(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_bp_stmt *st, const BIGNUM *r, uint64_t m,
    uint8_t *proof, struct ccc_err *err)
{
	const struct ccc_bp_gens *gn;
	struct prover *p;
	int rc;

	if (st->bits < 1 || st->bits > CCC_BP_MAX_BITS)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "1 to %d bits", CCC_BP_MAX_BITS);
	if (m >> st->bits != 0 && !ccc_bp_test_out_of_range)
		return ccc_err_set(err, CCC_E_FIELD, -1, "value",
		    "not below 2^%u", st->bits);
	if ((rc = ccc_bp_gens_get(&gn)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "bulletproof generators");
	if ((p = sodium_malloc(sizeof(*p))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "range proof");
	if ((rc = prover_new(ec, p, st->bits)) != 0) {
		ccc_err_set(err, rc, -1, NULL, "range proof");
		goto out;
	}
	if (BN_set_word(p->m, m) != 1 || BN_copy(p->gamma, r) == NULL ||
	    !prove(ec, pub, gn, st, p, proof))
		rc = ccc_err_openssl(err, "range proof");
out:
	prover_free(p);
	sodium_free(p);
	return rc;
}
