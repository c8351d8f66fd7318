/* Additive inputs: exponential ElGamal with bit OR-proofs (additive.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <sodium.h>

#include "additive.h"
#include "blob.h"
#include "cbor.h"
#include "hash.h"
#include "schemas.h"

#define DST "ccc/additive/v1"

#ifdef CCC_TEST_HOOKS
int ccc_additive_test_out_of_range;
#else
#define ccc_additive_test_out_of_range 0
#endif

static void
put_u32(uint8_t *p, uint32_t x)
{
	p[0] = x >> 24; p[1] = x >> 16; p[2] = x >> 8; p[3] = x;
}

static void
put_u64(uint8_t *p, uint64_t x)
{
	put_u32(p, (uint32_t)(x >> 32));
	put_u32(p + 4, (uint32_t)x);
}

int
ccc_additive_decode(struct ccc_additive *in, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err)
{
	struct ccc_val v[ADD_NFIELDS];
	size_t nb;
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_additive, p, len, v, base,
	    err)) != 0)
		return rc;
	if (memcmp(v[ADD_GROUP].p, "P256", 4) != 0)
		return ccc_err_set(err, CCC_E_FIELD, v[ADD_GROUP].off, "group",
		    "not P256");
	memcpy(in->key_id, v[ADD_KEY_ID].p, 32);
	in->epoch = v[ADD_EPOCH].u;
	in->context = (const char *)v[ADD_CONTEXT].p;
	in->clen = v[ADD_CONTEXT].n;
	in->bits = (uint32_t)v[ADD_BITS].u;
	in->k = (uint32_t)v[ADD_POK].count;
	nb = (size_t)in->k * in->bits;
	if (v[ADD_A].count != nb || v[ADD_B].count != nb ||
	    v[ADD_COMMIT].count != nb || v[ADD_RESP].count != nb)
		return ccc_err_set(err, CCC_E_FIELD, v[ADD_A].off, "a",
		    "%zu values of %u bits need %zu bit ciphertexts and "
		    "proofs", (size_t)in->k, in->bits, nb);
	in->a = ccc_val_elem(&v[ADD_A], CCC_POINT_BYTES, 0);
	in->b = ccc_val_elem(&v[ADD_B], CCC_POINT_BYTES, 0);
	in->commit = ccc_val_elem(&v[ADD_COMMIT], CCC_ADD_COMMIT_BYTES, 0);
	in->resp = ccc_val_elem(&v[ADD_RESP], CCC_ADD_RESP_BYTES, 0);
	in->pok = ccc_val_elem(&v[ADD_POK], CCC_ADD_POK_BYTES, 0);
	in->sa = (size_t)(ccc_val_elem(&v[ADD_A], CCC_POINT_BYTES, 1) - in->a);
	in->sc = (size_t)(ccc_val_elem(&v[ADD_COMMIT], CCC_ADD_COMMIT_BYTES,
	    1) - in->commit);
	in->sr = (size_t)(ccc_val_elem(&v[ADD_RESP], CCC_ADD_RESP_BYTES, 1) -
	    in->resp);
	in->sp = (size_t)(ccc_val_elem(&v[ADD_POK], CCC_ADD_POK_BYTES, 1) -
	    in->pok);
	ccc_sha256(in->digest, p, len);
	return 0;
}

/* The Fiat-Shamir challenge of an input, from its encoded points. */
static void
hash_elems(struct ccc_sha256 *h, const uint8_t *p, size_t stride,
    size_t elem, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ccc_sha256_update(h, p + i * stride, elem);
}

static int
challenge(struct ccc_ec *ec, BIGNUM *c, const struct ccc_additive *in)
{
	struct ccc_sha256 h;
	uint8_t hdr[8 + 4], d[32];
	size_t nb = (size_t)in->k * in->bits;

	ccc_sha256_init(&h);
	ccc_sha256_update(&h, DST, sizeof(DST));
	ccc_sha256_update(&h, in->key_id, 32);
	put_u64(hdr, in->epoch);
	put_u32(hdr + 8, (uint32_t)in->clen);
	ccc_sha256_update(&h, hdr, 12);
	ccc_sha256_update(&h, in->context, in->clen);
	put_u32(hdr, in->bits);
	put_u32(hdr + 4, in->k);
	ccc_sha256_update(&h, hdr, 8);
	hash_elems(&h, in->a, in->sa, CCC_POINT_BYTES, nb);
	hash_elems(&h, in->b, in->sa, CCC_POINT_BYTES, nb);
	hash_elems(&h, in->commit, in->sc, CCC_ADD_COMMIT_BYTES, nb);
	hash_elems(&h, in->pok, in->sp, CCC_POINT_BYTES, in->k);
	ccc_sha256_final(&h, d);
	return ccc_ec_scalar_from_hash(ec, c, d, 32);
}

/* s*H, from the key's fixed-base table when it has one. */
static int
mul_h(struct ccc_ec *ec, EC_POINT *r, const struct ccc_tdh2_pub *pub,
    const BIGNUM *s)
{
	if (pub->h_tab != NULL)
		return EC_POINT_mul(pub->h_tab, r, s, NULL, NULL, ec->bn);
	return EC_POINT_mul(ec->group, r, NULL, pub->h, s, ec->bn);
}

/*
 * One bit: its pair and the OR-proof's commitments, with the simulated
 * branch's challenge sc and response sz (the real branch's w kept for
 * the response once the challenge is known).
 */
struct bit_secret {
	BIGNUM *r, *w, *sc, *sz;
	int beta;
};

static int
bit_commit(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct bit_secret *bs, EC_POINT **pt)
{
	/* pt: a, b, A0, B0, A1, B1 */
	EC_POINT *t = EC_POINT_new(ec->group);
	const EC_POINT *ps[2];
	const BIGNUM *ss[2];
	BIGNUM *nc = BN_new();
	int real = bs->beta > 0, sim = 1 - real, ok = 0, i;

	if (t == NULL || nc == NULL)
		goto out;
	/* a = rG, b = beta G + rH (beta > 1 only from the test hook) */
	if (EC_POINT_mul(ec->group, pt[0], bs->r, NULL, NULL, ec->bn) != 1 ||
	    mul_h(ec, pt[1], pub, bs->r) != 1)
		goto out;
	for (i = 0; i < bs->beta; i++)
		if (EC_POINT_add(ec->group, pt[1], pt[1], ec->g, ec->bn) != 1)
			goto out;
	/* real branch: A = wG, B = wH */
	if (EC_POINT_mul(ec->group, pt[2 + 2 * real], bs->w, NULL, NULL,
	    ec->bn) != 1 ||
	    mul_h(ec, pt[3 + 2 * real], pub, bs->w) != 1)
		goto out;
	/* simulated: A = zG - c a, B = zH - c (b - sim G) */
	if (BN_sub(nc, ec->n, bs->sc) != 1 ||
	    EC_POINT_mul(ec->group, pt[2 + 2 * sim], bs->sz, pt[0], nc,
	    ec->bn) != 1 ||
	    EC_POINT_copy(t, pt[1]) != 1 ||
	    (sim && (EC_POINT_invert(ec->group, t, ec->bn) != 1 ||
	    EC_POINT_add(ec->group, t, t, ec->g, ec->bn) != 1 ||
	    EC_POINT_invert(ec->group, t, ec->bn) != 1)))
		goto out;
	ps[0] = pub->h;
	ps[1] = t;
	ss[0] = bs->sz;
	ss[1] = nc;
	if (EC_POINTs_mul(ec->group, pt[3 + 2 * sim], NULL, 2, ps, ss,
	    ec->bn) != 1)
		goto out;
	ok = 1;
out:
	EC_POINT_free(t);
	BN_free(nc);
	return ok ? 0 : CCC_E_CRYPTO;
}

int
ccc_additive_encrypt(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    uint32_t bits, const uint64_t *m, uint32_t k, struct ccc_err *err)
{
	size_t nb = (size_t)k * bits, i, j;
	struct bit_secret *bs = NULL;
	uint8_t (*a)[CCC_POINT_BYTES] = NULL, (*b)[CCC_POINT_BYTES] = NULL;
	uint8_t *commit = NULL, *resp = NULL, *pok = NULL;
	BIGNUM **rk = NULL, *c = NULL, *ci = NULL, *t = NULL;
	EC_POINT *pt[6] = { NULL };
	struct ccc_val v[ADD_NFIELDS];
	struct ccc_additive self;
	int rc = CCC_E_NOMEM;

	if (bits < 1 || bits > CCC_ADD_MAX_BITS || k < 1 ||
	    k > CCC_ADD_MAX_VALUES)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "1 to %d values of 1 to %d bits", CCC_ADD_MAX_VALUES,
		    CCC_ADD_MAX_BITS);
	for (j = 0; j < k; j++)
		if (m[j] >> bits != 0 && !ccc_additive_test_out_of_range)
			return ccc_err_set(err, CCC_E_FIELD, -1, "value",
			    "value %zu is not below 2^%u", j + 1, bits);
	bs = calloc(nb, sizeof(*bs));
	rk = calloc(2 * k, sizeof(*rk));	/* r and the PoK nonce */
	a = malloc(nb * CCC_POINT_BYTES);
	b = malloc(nb * CCC_POINT_BYTES);
	commit = malloc(nb * CCC_ADD_COMMIT_BYTES);
	resp = malloc(nb * CCC_ADD_RESP_BYTES);
	pok = malloc((size_t)k * CCC_ADD_POK_BYTES);
	c = BN_new();
	ci = BN_new();
	t = BN_secure_new();
	for (i = 0; i < 6; i++)
		pt[i] = EC_POINT_new(ec->group);
	if (bs == NULL || rk == NULL || a == NULL || b == NULL ||
	    commit == NULL || resp == NULL || pok == NULL || c == NULL ||
	    ci == NULL || t == NULL || pt[5] == NULL)
		goto out;
	for (i = 0; i < nb; i++) {
		if ((bs[i].r = BN_secure_new()) == NULL ||
		    (bs[i].w = BN_secure_new()) == NULL ||
		    (bs[i].sc = BN_new()) == NULL ||
		    (bs[i].sz = BN_new()) == NULL)
			goto out;
		bs[i].beta = (int)((m[i / bits] >> (i % bits)) & 1);
		/* The hook's cheat: the top "bit" holds what is above. */
		if (ccc_additive_test_out_of_range && i % bits == bits - 1)
			bs[i].beta = (int)(m[i / bits] >> (bits - 1) > 3 ? 3 :
			    m[i / bits] >> (bits - 1));
	}
	for (j = 0; j < 2 * k; j++)
		if ((rk[j] = BN_secure_new()) == NULL)
			goto out;
	rc = CCC_E_CRYPTO;
	for (i = 0; i < nb; i++) {
		uint8_t (*cm)[CCC_POINT_BYTES] =
		    (uint8_t (*)[CCC_POINT_BYTES])(commit +
		    i * CCC_ADD_COMMIT_BYTES);
		EC_POINT *ab[2] = { pt[0], pt[1] };

		if (ccc_ec_scalar_random(ec, bs[i].r) != 0 ||
		    ccc_ec_scalar_random(ec, bs[i].w) != 0 ||
		    ccc_ec_scalar_random(ec, bs[i].sc) != 0 ||
		    ccc_ec_scalar_random(ec, bs[i].sz) != 0 ||
		    bit_commit(ec, pub, &bs[i], pt) != 0 ||
		    ccc_ec_points_encode(ec, cm, pt + 2, 4) != 0 ||
		    ccc_ec_points_encode(ec, &a[i], ab, 1) != 0 ||
		    ccc_ec_points_encode(ec, &b[i], ab + 1, 1) != 0)
			goto out;
	}
	/* r_j = sum 2^i r_ji; T_j = k_j G */
	for (j = 0; j < k; j++) {
		BN_set_flags(rk[2 * j], BN_FLG_CONSTTIME);
		BN_zero(rk[2 * j]);
		for (i = bits; i-- > 0;)
			if (BN_mod_add(rk[2 * j], rk[2 * j], rk[2 * j],
			    ec->n, ec->bn) != 1 ||
			    BN_mod_add(rk[2 * j], rk[2 * j],
			    bs[j * bits + i].r, ec->n, ec->bn) != 1)
				goto out;
		if (ccc_ec_scalar_random(ec, rk[2 * j + 1]) != 0 ||
		    EC_POINT_mul(ec->group, pt[0], rk[2 * j + 1], NULL, NULL,
		    ec->bn) != 1 ||
		    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])(pok +
		    j * CCC_ADD_POK_BYTES), pt, 1) != 0)
			goto out;
	}
	memcpy(self.key_id, pub->key_id, 32);
	self.epoch = pub->epoch;
	self.context = context;
	self.clen = clen;
	self.bits = bits;
	self.k = k;
	self.a = a[0];
	self.b = b[0];
	self.commit = commit;
	self.pok = pok;
	self.sa = CCC_POINT_BYTES;
	self.sc = CCC_ADD_COMMIT_BYTES;
	self.sp = CCC_ADD_POK_BYTES;
	if (challenge(ec, c, &self) != 0)
		goto out;
	/* responses: the real branch's challenge is c - (simulated one) */
	for (i = 0; i < nb; i++) {
		uint8_t *rp = resp + i * CCC_ADD_RESP_BYTES;
		int real = bs[i].beta > 0;

		if (BN_mod_sub(ci, c, bs[i].sc, ec->n, ec->bn) != 1 ||
		    BN_mod_mul(t, ci, bs[i].r, ec->n, ec->bn) != 1 ||
		    BN_mod_add(t, t, bs[i].w, ec->n, ec->bn) != 1 ||
		    ccc_ec_scalar_encode(rp, real ? bs[i].sc : ci) != 0 ||
		    ccc_ec_scalar_encode(rp + 32 * (1 + real), t) != 0 ||
		    ccc_ec_scalar_encode(rp + 32 * (2 - real), bs[i].sz) != 0)
			goto out;
	}
	for (j = 0; j < k; j++)
		if (BN_mod_mul(t, c, rk[2 * j], ec->n, ec->bn) != 1 ||
		    BN_mod_add(t, t, rk[2 * j + 1], ec->n, ec->bn) != 1 ||
		    ccc_ec_scalar_encode(pok + j * CCC_ADD_POK_BYTES +
		    CCC_POINT_BYTES, t) != 0)
			goto out;
	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[ADD_GROUP], "P256", 4);
	ccc_val_bytes(&v[ADD_KEY_ID], pub->key_id, 32);
	ccc_val_uint(&v[ADD_EPOCH], pub->epoch);
	ccc_val_bytes(&v[ADD_CONTEXT], context, clen);
	ccc_val_uint(&v[ADD_BITS], bits);
	ccc_val_array(&v[ADD_A], a, nb * CCC_POINT_BYTES, nb);
	ccc_val_array(&v[ADD_B], b, nb * CCC_POINT_BYTES, nb);
	ccc_val_array(&v[ADD_COMMIT], commit, nb * CCC_ADD_COMMIT_BYTES, nb);
	ccc_val_array(&v[ADD_RESP], resp, nb * CCC_ADD_RESP_BYTES, nb);
	ccc_val_array(&v[ADD_POK], pok, (size_t)k * CCC_ADD_POK_BYTES, k);
	rc = ccc_blob_encode(out, &ccc_schema_additive, v);
	if (rc != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "additive input");
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "additive input");
	else if (rc == CCC_E_NOMEM)
		ccc_err_set(err, rc, -1, NULL, "additive input");
	if (bs != NULL)
		for (i = 0; i < nb; i++) {
			BN_clear_free(bs[i].r);
			BN_clear_free(bs[i].w);
			BN_free(bs[i].sc);
			BN_free(bs[i].sz);
		}
	if (rk != NULL)
		for (j = 0; j < 2 * k; j++)
			BN_clear_free(rk[j]);
	free(bs);
	free(rk);
	free(a);
	free(b);
	free(commit);
	free(resp);
	free(pok);
	BN_free(c);
	BN_free(ci);
	BN_clear_free(t);
	for (i = 0; i < 6; i++)
		EC_POINT_clear_free(pt[i]);
	return rc;
}

/*
 * The batch: every equation of the inputs, each times a random 128-bit
 * weight, as sum s_p P_p + gs G + hs H, which must be the identity:
 *   z0 G = A0 + c0 a      z0 H = B0 + c0 b
 *   z1 G = A1 + c1 a      z1 H = B1 + c1 (b - G)
 *   z G  = T + c sum 2^i a_i
 * Points per bit: A0 B0 A1 B1 a b; per value: T; then H.
 */
#define PTS_PER_BIT 6
#define BATCH_POINTS 6144

struct msm {
	size_t n, cap;
	EC_POINT **p;
	BIGNUM **s;
	BIGNUM *gs, *hs, *w[5], *c, *c0, *c1, *z0, *z1, *t, *e;
};

static void
msm_free(struct msm *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		EC_POINT_free(m->p[i]);
		BN_free(m->s[i]);
	}
	free(m->p);
	free(m->s);
	BN_free(m->gs); BN_free(m->hs); BN_free(m->c); BN_free(m->c0);
	BN_free(m->c1); BN_free(m->z0); BN_free(m->z1); BN_free(m->t);
	BN_free(m->e);
	for (i = 0; i < 5; i++)
		BN_free(m->w[i]);
}

static int
msm_grow(struct ccc_ec *ec, struct msm *m, size_t need)
{
	size_t cap = m->cap, i;
	EC_POINT **p;
	BIGNUM **s;

	if (need <= cap)
		return 0;
	if ((p = realloc(m->p, need * sizeof(*p))) == NULL)
		return CCC_E_NOMEM;
	m->p = p;
	if ((s = realloc(m->s, need * sizeof(*s))) == NULL)
		return CCC_E_NOMEM;
	m->s = s;
	for (i = cap; i < need; i++) {
		m->p[i] = EC_POINT_new(ec->group);
		m->s[i] = BN_new();
		m->cap = i + 1;
		if (m->p[i] == NULL || m->s[i] == NULL)
			return CCC_E_NOMEM;
	}
	return 0;
}

static int
weight(BIGNUM *w)
{
	uint8_t r[16];

	if (RAND_bytes(r, sizeof(r)) != 1 || BN_bin2bn(r, 16, w) == NULL)
		return CCC_E_CRYPTO;
	return 0;
}

/* -w * x mod n into out */
static int
negmul(struct ccc_ec *ec, BIGNUM *out, const BIGNUM *w, const BIGNUM *x)
{
	if (BN_mod_mul(out, w, x, ec->n, ec->bn) != 1)
		return CCC_E_CRYPTO;
	if (!BN_is_zero(out) && BN_sub(out, ec->n, out) != 1)
		return CCC_E_CRYPTO;
	return 0;
}

static int
nadd(struct ccc_ec *ec, BIGNUM *acc, const BIGNUM *w, const BIGNUM *x,
    BIGNUM *tmp)
{
	if (BN_mod_mul(tmp, w, x, ec->n, ec->bn) != 1 ||
	    BN_mod_add(acc, acc, tmp, ec->n, ec->bn) != 1)
		return CCC_E_CRYPTO;
	return 0;
}

/* Add one input's terms to m; CCC_E_POINT/SCALAR with err for encodings. */
static int
add_input(struct ccc_ec *ec, struct msm *m, const struct ccc_additive *in,
    EC_POINT **acc, struct ccc_err *err)
{
	size_t nb = (size_t)in->k * in->bits, i, j, base;
	int rc;

	if ((rc = msm_grow(ec, m, m->n + nb * PTS_PER_BIT + in->k + 1)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "batch");
	if (challenge(ec, m->c, in) != 0)
		return ccc_err_openssl(err, "challenge");
	for (j = 0; j < in->k; j++) {
		const uint8_t *pk = in->pok + j * in->sp;
		BIGNUM *w5 = m->w[4];

		if ((rc = ccc_ec_point_decode(ec, m->p[m->n], pk, "pok",
		    err)) != 0 ||
		    (rc = ccc_ec_scalar_decode(ec, m->z0, pk + CCC_POINT_BYTES,
		    "pok", err)) != 0)
			return rc;
		/* z G - T - c sum 2^i a_i: T gets -w5, a_i -w5 c 2^i */
		if (weight(w5) != 0 || nadd(ec, m->gs, w5, m->z0, m->t) != 0 ||
		    negmul(ec, m->s[m->n], w5, BN_value_one()) != 0 ||
		    BN_mod_mul(m->e, w5, m->c, ec->n, ec->bn) != 1)
			return ccc_err_openssl(err, "batch");
		m->n++;
		for (i = 0; i < in->bits; i++) {
			size_t q = j * in->bits + i;
			const uint8_t *cm = in->commit + q * in->sc;
			const uint8_t *rp = in->resp + q * in->sr;
			int t;

			base = m->n;
			for (t = 0; t < 4; t++)
				if ((rc = ccc_ec_point_decode(ec,
				    m->p[base + t], cm + t * CCC_POINT_BYTES,
				    "commitments", err)) != 0)
					return rc;
			if ((rc = ccc_ec_point_decode(ec, m->p[base + 4],
			    in->a + q * in->sa, "a", err)) != 0 ||
			    (rc = ccc_ec_point_decode(ec, m->p[base + 5],
			    in->b + q * in->sa, "b", err)) != 0 ||
			    (rc = ccc_ec_scalar_decode(ec, m->c0, rp,
			    "responses", err)) != 0 ||
			    (rc = ccc_ec_scalar_decode(ec, m->z0, rp + 32,
			    "responses", err)) != 0 ||
			    (rc = ccc_ec_scalar_decode(ec, m->z1, rp + 64,
			    "responses", err)) != 0)
				return rc;
			if (acc != NULL && (EC_POINT_add(ec->group, acc[2 * q],
			    acc[2 * q], m->p[base + 4], ec->bn) != 1 ||
			    EC_POINT_add(ec->group, acc[2 * q + 1],
			    acc[2 * q + 1], m->p[base + 5], ec->bn) != 1))
				return ccc_err_openssl(err, "aggregate");
			if (BN_mod_sub(m->c1, m->c, m->c0, ec->n, ec->bn) != 1)
				return ccc_err_openssl(err, "batch");
			for (t = 0; t < 4; t++)
				if (weight(m->w[t]) != 0)
					return ccc_err_openssl(err, "batch");
			/* G: w1 z0 + w3 z1 + w4 c1; H: w2 z0 + w4 z1 */
			if (nadd(ec, m->gs, m->w[0], m->z0, m->t) != 0 ||
			    nadd(ec, m->gs, m->w[2], m->z1, m->t) != 0 ||
			    nadd(ec, m->gs, m->w[3], m->c1, m->t) != 0 ||
			    nadd(ec, m->hs, m->w[1], m->z0, m->t) != 0 ||
			    nadd(ec, m->hs, m->w[3], m->z1, m->t) != 0)
				return ccc_err_openssl(err, "batch");
			for (t = 0; t < 4; t++)
				if (negmul(ec, m->s[base + t], m->w[t],
				    BN_value_one()) != 0)
					return ccc_err_openssl(err, "batch");
			/* a: -(w1 c0 + w3 c1 + w5 c 2^i); b: -(w2 c0 + w4 c1) */
			if (BN_mod_mul(m->t, m->w[0], m->c0, ec->n,
			    ec->bn) != 1 ||
			    nadd(ec, m->t, m->w[2], m->c1, m->z0) != 0 ||
			    BN_mod_add(m->t, m->t, m->e, ec->n, ec->bn) != 1 ||
			    negmul(ec, m->s[base + 4], m->t,
			    BN_value_one()) != 0 ||
			    BN_mod_mul(m->t, m->w[1], m->c0, ec->n,
			    ec->bn) != 1 ||
			    nadd(ec, m->t, m->w[3], m->c1, m->z0) != 0 ||
			    negmul(ec, m->s[base + 5], m->t,
			    BN_value_one()) != 0 ||
			    BN_mod_add(m->e, m->e, m->e, ec->n, ec->bn) != 1)
				return ccc_err_openssl(err, "batch");
			m->n += PTS_PER_BIT;
		}
	}
	return 0;
}

/* Reset m: no terms. */
static void
msm_reset(struct msm *m)
{
	m->n = 0;
	BN_zero(m->gs);
	BN_zero(m->hs);
}

/* Check sum s_p P_p + gs G + hs H == O, and reset m. */
static int
msm_check(struct ccc_ec *ec, struct msm *m, const struct ccc_tdh2_pub *pub,
    struct ccc_err *err)
{
	EC_POINT *r = EC_POINT_new(ec->group);
	int rc = 0;

	if (r == NULL || EC_POINT_copy(m->p[m->n], pub->h) != 1 ||
	    BN_copy(m->s[m->n], m->hs) == NULL ||
	    EC_POINTs_mul(ec->group, r, m->gs, m->n + 1,
	    (const EC_POINT **)m->p, (const BIGNUM **)m->s, ec->bn) != 1)
		rc = ccc_err_openssl(err, "batch");
	else if (!EC_POINT_is_at_infinity(ec->group, r))
		rc = CCC_E_CIPHERTEXT;
	EC_POINT_free(r);
	msm_reset(m);
	return rc;
}

/*
 * The first of in[from..to) at fault, checked one at a time: its index
 * into *at and its error, or 0 if none is.
 */
static int
culprit(struct ccc_ec *ec, struct msm *m, const struct ccc_tdh2_pub *pub,
    const struct ccc_additive *in, size_t from, size_t to, size_t *at,
    struct ccc_err *err)
{
	size_t j;
	int rc;

	msm_reset(m);
	for (j = from; j < to; j++)
		if ((rc = add_input(ec, m, &in[j], NULL, err)) != 0 ||
		    (rc = msm_check(ec, m, pub, err)) != 0) {
			*at = j;
			return rc;
		}
	return 0;
}

int
ccc_additive_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_additive *in, size_t n, EC_POINT **acc, size_t *bad,
    struct ccc_err *err)
{
	struct msm m;
	struct ccc_err de;
	size_t i, first = 0;
	int rc = 0, drc;

	memset(&m, 0, sizeof(m));
	m.gs = BN_new(); m.hs = BN_new(); m.c = BN_new(); m.c0 = BN_new();
	m.c1 = BN_new(); m.z0 = BN_new(); m.z1 = BN_new(); m.t = BN_new();
	m.e = BN_new();
	for (i = 0; i < 5; i++)
		m.w[i] = BN_new();
	if (m.e == NULL || m.w[4] == NULL || m.gs == NULL || m.hs == NULL ||
	    m.c == NULL || m.c0 == NULL || m.c1 == NULL || m.z0 == NULL ||
	    m.z1 == NULL || m.t == NULL || m.w[0] == NULL || m.w[1] == NULL ||
	    m.w[2] == NULL || m.w[3] == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "batch");
		goto out;
	}
	msm_reset(&m);
	for (i = 0; i <= n; i++) {
		/* Flush before the batch outgrows BATCH_POINTS, and at the end. */
		if (i == n || (m.n > 0 && m.n + (size_t)in[i].k * in[i].bits *
		    PTS_PER_BIT > BATCH_POINTS)) {
			if (m.n == 0)
				break;
			rc = msm_check(ec, &m, pub, err);
			if (rc == CCC_E_CIPHERTEXT && i - first > 1 &&
			    (rc = culprit(ec, &m, pub, in, first, i, &first,
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
		if ((drc = add_input(ec, &m, &in[i], acc, &de)) != 0) {
			/* Bad encoding: unless an input before it is bad. */
			if ((rc = culprit(ec, &m, pub, in, first, i, bad,
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
		ccc_err_set(err, rc, -1, NULL, "proof does not verify");
out:
	msm_free(&m);
	return rc;
}
