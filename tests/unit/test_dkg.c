/*
 * Unit tests of the DKG and resharing arithmetic and checks: Feldman VSS,
 * Lagrange recombination (DKG sums, resharing interpolation, any t new
 * shares give the old secret), Schnorr proofs, dealings sealed with HPKE,
 * complaint verification, and the blobs (committee, group, certificate,
 * signed messages, approvals of key lifecycle changes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "approval.h"
#include "dkg.h"
#include "keys.h"
#include "schemas.h"
#include "tap.h"
#include "vss.h"

static struct ccc_ec *ec;

static BIGNUM *
rnd(void)
{
	BIGNUM *b = BN_secure_new();

	if (b == NULL || ccc_ec_scalar_random(ec, b) != 0)
		abort();
	return b;
}

static BIGNUM **
bns(size_t n)
{
	BIGNUM **v = calloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		if ((v[i] = BN_secure_new()) == NULL)
			abort();
	return v;
}

static void
bns_free(BIGNUM **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		BN_clear_free(v[i]);
	free(v);
}

static EC_POINT **
pts(size_t n)
{
	EC_POINT **v = calloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = EC_POINT_new(ec->group);
	return v;
}

static void
pts_free(EC_POINT **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		EC_POINT_free(v[i]);
	free(v);
}

/* s G encoded */
static void
gmul(uint8_t out[65], const BIGNUM *s)
{
	EC_POINT *p = EC_POINT_new(ec->group);

	if (EC_POINT_mul(ec->group, p, s, NULL, NULL, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[65])out, &p, 1) != 0)
		abort();
	EC_POINT_free(p);
}

static void
enc1(uint8_t out[65], EC_POINT *p)
{
	if (ccc_ec_points_encode(ec, (uint8_t (*)[65])out, &p, 1) != 0)
		abort();
}

/* sum_i lambda_i y[xs_i - 1] over the 1-based xs. */
static void
interpolate(BIGNUM *out, BIGNUM **y, const uint32_t *xs, size_t k)
{
	BIGNUM **lam = bns(k), **sel = calloc(k, sizeof(*sel));
	size_t i;

	if (ccc_tdh2_lagrange(ec, lam, xs, k) != 0)
		abort();
	for (i = 0; i < k; i++)
		sel[i] = y[xs[i] - 1];
	if (ccc_vss_sum(ec, out, (const BIGNUM *const *)lam, sel, k) != 0)
		abort();
	free(sel);
	bns_free(lam, k);
}

static void
test_vss(void)
{
	uint32_t t, n = 7, xs[7] = { 1, 2, 3, 4, 5, 6, 7 }, i;
	uint8_t (*C)[65] = calloc(7, 65), g[65];
	EC_POINT **P = pts(7), *e = EC_POINT_new(ec->group);
	BIGNUM *s, **y = bns(7), *r = BN_secure_new();
	int bad;

	for (t = 1; t <= 5; t += 2) {
		s = rnd();
		ok(ccc_vss_deal(ec, C, y, s, t, xs, n) == 0, "deal t=%u", t);
		gmul(g, s);
		ok(memcmp(C[0], g, 65) == 0, "t=%u: C_0 = s G", t);
		ok(ccc_vss_decode(ec, P, C[0], t, NULL) == 0,
		    "t=%u: commitments decode", t);
		for (bad = 0, i = 1; i <= n; i++)
			bad |= ccc_vss_check(ec, P, t, i, y[i - 1]) != 0;
		ok(!bad, "t=%u: every sub-share passes the Feldman check", t);
		ok(ccc_vss_eval(ec, e, P, t, 0) == 0 &&
		    (enc1(g, e), memcmp(g, C[0], 65) == 0),
		    "t=%u: the committed polynomial at 0 is C_0", t);
		BN_add_word(y[2], 1);
		ok(ccc_vss_check(ec, P, t, 3, y[2]) == CCC_E_SHARE,
		    "t=%u: a sub-share off by one fails the check", t);
		BN_sub_word(y[2], 1);
		if (t > 1)	/* (with t = 1 every node gets the same) */
			ok(ccc_vss_check(ec, P, t, 4, y[2]) == CCC_E_SHARE,
			    "t=%u: a sub-share checked for another node "
			    "fails", t);
		/* Any t sub-shares interpolate to s, t-1 do not. */
		interpolate(r, y, xs + n - t, t);
		ok(BN_cmp(r, s) == 0, "t=%u: the last t sub-shares give s", t);
		if (t > 1) {
			interpolate(r, y, xs, t - 1);
			ok(BN_cmp(r, s) != 0, "t=%u: t-1 sub-shares do not", t);
		}
		BN_clear_free(s);
	}
	ok(ccc_vss_deal(ec, C, y, r, 0, xs, n) == CCC_E_FIELD,
	    "t=0 is refused");
	memset(C[1], 0, 65);
	ok(ccc_vss_decode(ec, P, C[0], 2, NULL) == CCC_E_POINT,
	    "a zero commitment is refused");
	bns_free(y, 7);
	pts_free(P, 7);
	EC_POINT_free(e);
	BN_clear_free(r);
	free(C);
}

/*
 * Joint-Feldman DKG arithmetic: n dealers, the key is the sum of their
 * secrets, node j's share the sum of its sub-shares, and the combined
 * commitments give h and every h_j.
 */
static void
test_dkg_math(void)
{
	enum { N = 4, T = 3 };
	uint32_t xs[N] = { 1, 2, 3, 4 }, i, j;
	uint8_t C[N][T][65], hj[65], gx[65];
	EC_POINT **Cp[N], **A = pts(T), *H = EC_POINT_new(ec->group);
	BIGNUM *sec[N], **sub[N], **w = bns(N), **x = bns(N), *s = BN_new();
	BIGNUM *r = BN_secure_new(), **col = calloc(N, sizeof(*col));
	int bad = 0;

	BN_zero(s);
	for (i = 0; i < N; i++) {
		sec[i] = rnd();
		sub[i] = bns(N);
		Cp[i] = pts(T);
		BN_mod_add(s, s, sec[i], ec->n, ec->bn);
		if (ccc_vss_deal(ec, C[i], sub[i], sec[i], T, xs, N) != 0 ||
		    ccc_vss_decode(ec, Cp[i], C[i][0], T, NULL) != 0)
			abort();
		BN_one(w[i]);
	}
	for (j = 0; j < N; j++) {
		for (i = 0; i < N; i++)
			col[i] = sub[i][j];
		bad |= ccc_vss_sum(ec, x[j], (const BIGNUM *const *)w, col,
		    N) != 0;
	}
	ok(!bad && ccc_vss_combine(ec, A, Cp, (const BIGNUM *const *)w, N,
	    T) == 0, "dkg: shares summed, commitments combined");
	gmul(gx, s);
	enc1(hj, A[0]);
	ok(memcmp(gx, hj, 65) == 0, "dkg: A_0 is the sum of the secrets, G");
	for (j = 1; j <= N; j++) {
		gmul(gx, x[j - 1]);
		bad |= ccc_vss_eval(ec, H, A, T, j) != 0;
		enc1(hj, H);
		bad |= memcmp(gx, hj, 65) != 0;
	}
	ok(!bad, "dkg: h_j = x_j G for every node");
	{
		/* w NULL: the same sum, by additions. */
		EC_POINT **A1 = pts(T);
		uint8_t a[65], b[65];

		bad = ccc_vss_combine(ec, A1, Cp, NULL, N, T) != 0;
		for (j = 0; j < T; j++) {
			enc1(a, A[j]);
			enc1(b, A1[j]);
			bad |= memcmp(a, b, 65) != 0;
		}
		ok(!bad, "dkg: combine without weights is the sum with weights 1");
		pts_free(A1, T);
	}
	interpolate(r, x, xs + 1, T);
	ok(BN_cmp(r, s) == 0, "dkg: nodes 2,3,4 recombine the key");
	for (i = 0; i < N; i++) {
		BN_clear_free(sec[i]);
		bns_free(sub[i], N);
		pts_free(Cp[i], T);
	}
	bns_free(w, N);
	bns_free(x, N);
	pts_free(A, T);
	EC_POINT_free(H);
	BN_free(s);
	BN_clear_free(r);
	free(col);
}

/*
 * Resharing (n, t) = (5, 3) -> (4, 2): old nodes deal their shares, new
 * nodes combine the dealings of old nodes S = {2, 4, 5} with Lagrange
 * coefficients.  The public key is unchanged, any 2 new shares give the
 * secret, and a dealing whose C_0 is not the dealer's h_i is caught.
 */
static void
test_reshare_math(void)
{
	enum { N = 5, T = 3, N2 = 4, T2 = 2 };
	uint32_t xs[N] = { 1, 2, 3, 4, 5 }, S[T] = { 2, 4, 5 }, i, j;
	uint8_t C0[T2 * 65 * N], h[65], e[65];
	EC_POINT **Cp[T], **A = pts(T2), *H = EC_POINT_new(ec->group);
	BIGNUM *s = rnd(), **y = bns(N), **lam = bns(T), **sub[T];
	BIGNUM **x2 = bns(N2), **col = calloc(T, sizeof(*col));
	BIGNUM *r = BN_secure_new();
	uint8_t (*C)[65] = calloc(N, 65);
	int bad = 0;

	if (ccc_vss_deal(ec, C, y, s, T, xs, N) != 0 ||
	    ccc_tdh2_lagrange(ec, lam, S, T) != 0)
		abort();
	gmul(h, s);
	for (i = 0; i < T; i++) {
		uint8_t (*Ci)[65] = (uint8_t (*)[65])(C0 + i * T2 * 65);
		sub[i] = bns(N2);
		Cp[i] = pts(T2);
		if (ccc_vss_deal(ec, Ci, sub[i], y[S[i] - 1], T2, xs,
		    N2) != 0 ||
		    ccc_vss_decode(ec, Cp[i], Ci[0], T2, NULL) != 0)
			abort();
		gmul(e, y[S[i] - 1]);
		bad |= memcmp(e, Ci[0], 65) != 0;
	}
	ok(!bad, "reshare: each dealing's C_0 is its dealer's h_i");
	for (j = 0; j < N2; j++) {
		for (i = 0; i < T; i++)
			col[i] = sub[i][j];
		bad |= ccc_vss_sum(ec, x2[j], (const BIGNUM *const *)lam, col,
		    T) != 0;
	}
	ok(!bad && ccc_vss_combine(ec, A, Cp, (const BIGNUM *const *)lam, T,
	    T2) == 0, "reshare: new shares and commitments interpolated");
	enc1(e, A[0]);
	ok(memcmp(e, h, 65) == 0, "reshare: A'_0 = h, the key is unchanged");
	for (j = 1; j <= N2; j++) {
		gmul(e, x2[j - 1]);
		bad |= ccc_vss_eval(ec, H, A, T2, j) != 0;
		enc1(h, H);
		bad |= memcmp(e, h, 65) != 0;
	}
	ok(!bad, "reshare: h'_j = x'_j G for every new node");
	interpolate(r, x2, xs + 1, T2);
	ok(BN_cmp(r, s) == 0, "reshare: new nodes 2,3 recombine the secret");
	interpolate(r, x2, (const uint32_t[]){ 1, 4 }, T2);
	ok(BN_cmp(r, s) == 0, "reshare: new nodes 1,4 recombine the secret");
	interpolate(r, x2, xs, 1);
	ok(BN_cmp(r, s) != 0, "reshare: one new share does not");
	for (i = 0; i < T; i++) {
		bns_free(sub[i], N2);
		pts_free(Cp[i], T2);
	}
	BN_clear_free(s);
	BN_clear_free(r);
	bns_free(y, N);
	bns_free(lam, T);
	bns_free(x2, N2);
	pts_free(A, T2);
	EC_POINT_free(H);
	free(col);
	free(C);
}

static void
test_schnorr(void)
{
	uint8_t X[65], pr[CCC_VSS_PROOF_BYTES], ctx[33] = { 1 };
	BIGNUM *x = rnd();
	EC_POINT *P = EC_POINT_new(ec->group);

	gmul(X, x);
	if (ccc_ec_point_decode(ec, P, X, NULL, NULL) != 0)
		abort();
	ok(ccc_schnorr_prove(ec, pr, x, X, "t", ctx, 33) == 0, "pok: prove");
	ok(ccc_schnorr_verify(ec, pr, P, X, "t", ctx, 33) == 0,
	    "pok: verifies");
	ok(ccc_schnorr_verify(ec, pr, P, X, "u", ctx, 33) == CCC_E_SIGNATURE,
	    "pok: another tag fails");
	ctx[32] = 9;
	ok(ccc_schnorr_verify(ec, pr, P, X, "t", ctx, 33) == CCC_E_SIGNATURE,
	    "pok: another context fails");
	ctx[32] = 0;
	pr[90] ^= 1;
	ok(ccc_schnorr_verify(ec, pr, P, X, "t", ctx, 33) == CCC_E_SIGNATURE,
	    "pok: a flipped bit of z fails");
	BN_clear_free(x);
	EC_POINT_free(P);
}

/* n recipients' transport keys for dealer `dealer`, from seeds. */
static void
recipients(uint8_t (*seed)[32], uint8_t (*pk)[32], uint32_t n, uint32_t d)
{
	uint8_t sk[32];
	uint32_t j;

	for (j = 0; j < n; j++) {
		randombytes_buf(seed[j], 32);
		if (ccc_transport_keypair(sk, pk[j], seed[j], d) != 0)
			abort();
	}
}

static void
test_dealing(void)
{
	enum { N = 4, T = 3, D = 2 };
	uint8_t sid[32], seed[N][32], pk[N][32], sk[32], other[32];
	const uint8_t *keys[N];
#ifdef CCC_TEST_HOOKS
	/* Member 3's sub-share is dealt wrong (the tamper test hook). */
	struct ccc_dkg_tamper tm = { 3, 0 };
	const struct ccc_dkg_tamper *tamper = &tm;
	const bool tampered = true;
#else
	const struct ccc_dkg_tamper *tamper = NULL;	/* no hooks built */
	const bool tampered = false;
#endif
	struct ccc_identity *id = ccc_identity_new();
	struct ccc_complaint c;
	struct ccc_buf body, msg;
	struct ccc_msg m;
	EC_POINT **C = pts(T);
	BIGNUM *s = rnd(), *y = BN_secure_new();
	uint8_t h[65];
	uint32_t j;
	int bad = 0;

	randombytes_buf(sid, 32);
	recipients(seed, pk, N, D);
	for (j = 0; j < N; j++)
		keys[j] = pk[j];
	keys[1] = NULL;		/* member 2 did not accept */
	ccc_buf_init(&body, 0);
	ccc_buf_init(&msg, 0);
	ok(ccc_identity_generate(id, "d") == 0 &&
	    ccc_deal_make(ec, &body, sid, 0, D, T, N, keys, s, true, tamper,
	    NULL) == 0 && ccc_msg_sign(&msg, id, &ccc_schema_share_deal,
	    body.p, body.len) == 0, "dealing made and signed");
	ok(ccc_msg_decode(&m, msg.p, msg.len, NULL) == 0 &&
	    m.kind == CCC_MSG_DEAL && m.from == D && m.t == T && m.n == N,
	    "dealing decodes");
	ok(ccc_msg_verify(&m, id->pk) == 0, "dealing signature verifies");
	ok(ccc_deal_check(ec, &m, T, N, NULL, C, NULL) == 0,
	    "dkg dealing: commitments and proof of knowledge check");
	gmul(h, s);
	ok(ccc_deal_check(ec, &m, T, N, h, C, NULL) == 0,
	    "reshare view: C_0 is the pinned h_i");
	h[10] ^= 1;
	ok(ccc_deal_check(ec, &m, T, N, h, C, NULL) == CCC_E_KEY,
	    "a dealing of another share than h_i is refused");
	ok(ccc_deal_check(ec, &m, T + 1, N, NULL, C, NULL) == CCC_E_FIELD,
	    "a dealing for another threshold is refused");
	for (j = 1; j <= N; j++) {
		if (ccc_transport_keypair(sk, other, seed[j - 1], D) != 0)
			abort();
		int rc = ccc_subshare_open(ec, y, &m, C, j, sk);
		bad |= (j == 3 && tampered) ? rc != CCC_E_SHARE : (j == 2) ?
		    rc != CCC_E_DECRYPT : rc != 0;
	}
	ok(!bad, "sub-shares open and check; member 3's (tampered) fails, "
	    "member 2 got none");
	/* Member 3 complains with its key for dealer D: the dealer is
	 * guilty.  Member 1 complains about a good sub-share: a lie. */
	c.dealer = D;
	if (ccc_transport_keypair(c.key, other, seed[2], D) != 0)
		abort();
	ok(ccc_complaint_judge(ec, &m, C, 3, &c, pk[2]) == (tampered ? 1 : 0),
	    tampered ? "a true complaint convicts the dealer" :
	    "(no test hooks: member 3's sub-share is good, its complaint "
	    "false)");
	if (ccc_transport_keypair(c.key, other, seed[0], D) != 0)
		abort();
	ok(ccc_complaint_judge(ec, &m, C, 1, &c, pk[0]) == 0,
	    "a false complaint convicts the complainer");
	randombytes_buf(c.key, 32);
	ok(ccc_complaint_judge(ec, &m, C, 3, &c, pk[2]) == 0,
	    "a complaint revealing a key that is not the member's is false");
	if (ccc_transport_keypair(c.key, other, seed[1], D) != 0)
		abort();
	ok(ccc_complaint_judge(ec, &m, C, 2, &c, pk[1]) == 0,
	    "complaining about a sub-share never dealt is false");
	if (ccc_transport_keypair(c.key, other, seed[2], D + 1) != 0)
		abort();
	ok(memcmp(other, pk[2], 32) != 0, "transport keys differ per dealer");
	/* Every bit flip and every truncation of the signed dealing is
	 * refused: by the strict decoder, or by the signature. */
	{
		size_t k, b, accepted = 0;
		struct ccc_msg mm;
		for (k = 0; k < msg.len; k++)
			for (b = 0; b < 8; b++) {
				msg.p[k] ^= (uint8_t)(1 << b);
				if (ccc_msg_decode(&mm, msg.p, msg.len,
				    NULL) == 0) {
					accepted += ccc_msg_verify(&mm,
					    id->pk) == 0;
					ccc_msg_free(&mm);
				}
				msg.p[k] ^= (uint8_t)(1 << b);
			}
		for (k = 0; k < msg.len; k++)
			if (ccc_msg_decode(&mm, msg.p, k, NULL) == 0) {
				accepted++;
				ccc_msg_free(&mm);
			}
		ok(accepted == 0, "all %zu bit flips and %zu truncations of "
		    "a signed dealing are refused", msg.len * 8, msg.len);
	}
	msg.p[msg.len - 5] ^= 1;
	ccc_msg_free(&m);
	ok(ccc_msg_decode(&m, msg.p, msg.len, NULL) == 0 &&
	    ccc_msg_verify(&m, id->pk) == CCC_E_SIGNATURE,
	    "a flipped signature bit fails");
	ccc_msg_free(&m);
	ccc_buf_free(&body);
	ccc_buf_free(&msg);
	ccc_identity_free(id);
	pts_free(C, T);
	BN_clear_free(s);
	BN_clear_free(y);
}

static void
test_blobs(void)
{
	struct ccc_identity *ids[3];
	struct ccc_committee cm, cm2;
	struct ccc_group g, g2;
	struct ccc_group_cert *cert = calloc(1, sizeof(*cert));
	struct ccc_dkg_member mem[3];
	struct ccc_tdh2_pub pub;
	struct ccc_buf b;
	BIGNUM *x[3];
	uint8_t sig[64], dealers[2] = { 1, 3 };
	uint8_t deals[2][32] = { { 1 }, { 2 } };
	uint32_t i;

	ccc_buf_init(&b, 0);
	memset(&cm, 0, sizeof(cm));
	for (i = 0; i < 3; i++) {
		ids[i] = ccc_identity_new();
		if (ccc_identity_generate(ids[i], "m") != 0)
			abort();
		memcpy(mem[i].id, ids[i]->id, 32);
		memcpy(mem[i].pk, ids[i]->pk, 32);
		snprintf(mem[i].name, sizeof(mem[i].name), "m%u", i + 1);
	}
	cm.n = 3;
	cm.t = 2;
	cm.q = 3;
	cm.m = mem;
	cm.step = 60;
	randombytes_buf(cm.key_id, 32);
	ok(ccc_committee_encode(&b, &cm) == 0 &&
	    ccc_committee_load(&cm2, b.p, b.len, NULL) == 0 &&
	    memcmp(cm2.sid, cm.sid, 32) == 0 && cm2.n == 3 &&
	    ccc_committee_find(&cm2, ids[2]->id) == 3,
	    "committee round trip, same session id");
	ccc_committee_free(&cm2);
	cm.epoch = 4;
	ccc_buf_reset(&b);
	ok(ccc_committee_encode(&b, &cm) == 0 &&
	    ccc_committee_load(&cm2, b.p, b.len, NULL) == CCC_E_FIELD,
	    "a DKG committee for epoch 4 is refused");
	cm.epoch = 0;
	cm.q = 1;
	ccc_buf_reset(&b);
	ok(ccc_committee_encode(&b, &cm) == 0 &&
	    ccc_committee_load(&cm2, b.p, b.len, NULL) == CCC_E_FIELD,
	    "a quorum below the threshold is refused");

	/* A dealer key of 3 nodes as a group, certified by 2 then 3. */
	memset(&g, 0, sizeof(g));
	if (ccc_tdh2_pub_alloc(ec, &pub, 3) != 0)
		abort();
	memcpy(pub.key_id, cm.key_id, 32);
	for (i = 0; i < 3; i++)
		x[i] = BN_secure_new();
	if (ccc_tdh2_deal(ec, &pub, x, 2, NULL) != 0)
		abort();
	g.t = 2;
	g.n = 3;
	g.q = 3;
	g.epoch = 7;
	memcpy(g.key_id, pub.key_id, 32);
	memcpy(g.h, pub.h_enc, 65);
	memcpy(g.gbar, pub.gbar_enc, 65);
	g.hi = pub.hi_enc;
	g.m = mem;
	g.ndealers = 2;
	memcpy(g.dealers, dealers, 2);
	g.deals = deals;
	ccc_buf_reset(&b);
	ok(ccc_group_encode(&b, &g) == 0 &&
	    ccc_group_load(ec, &g2, b.p, b.len, NULL) == 0 &&
	    memcmp(g2.digest, g.digest, 32) == 0 && g2.ndealers == 2,
	    "group round trip");
	ok(ccc_blob_peek_type(b.p, b.len) == &ccc_schema_group,
	    "a group is registered for ccc-inspect");
	memset(cert, 0, sizeof(*cert));
	memcpy(cert->group, g2.digest, 32);
	cert->epoch = 7;
	for (i = 3; i >= 2; i--) {
		if (ccc_identity_sign_digest(sig, ids[i - 1],
		    CCC_GROUP_SIG_PURPOSE, g2.digest) != 0)
			abort();
		ccc_group_cert_add(cert, i, sig);
	}
	ok(cert->nsigs == 2 && cert->idx[0] == 2 && cert->idx[1] == 3,
	    "certificate signatures kept in member order");
	ok(ccc_group_cert_verify(&g2, cert, NULL) == CCC_E_SIGNATURE,
	    "2 of the 3 confirmations the group needs do not certify it");
	if (ccc_identity_sign_digest(sig, ids[0], CCC_GROUP_SIG_PURPOSE,
	    g2.digest) != 0)
		abort();
	ccc_group_cert_add(cert, 1, sig);
	ok(ccc_group_cert_verify(&g2, cert, NULL) == 0, "3 of 3 certify it");
	cert->sig[1][5] ^= 1;
	ok(ccc_group_cert_verify(&g2, cert, NULL) == CCC_E_SIGNATURE,
	    "a bad signature in a certificate is refused");
	cert->sig[1][5] ^= 1;
	cert->group[0] ^= 1;
	ok(ccc_group_cert_verify(&g2, cert, NULL) == CCC_E_KEY,
	    "a certificate of another group is refused");
	ccc_group_free(&g2);
	g.gbar[40] ^= 1;
	ccc_buf_reset(&b);
	ok(ccc_group_encode(&b, &g) == 0 && ccc_group_load(ec, &g2, b.p,
	    b.len, NULL) == CCC_E_POINT, "a g_bar off the curve is refused");
	memcpy(g.gbar, pub.h_enc, 65);
	ccc_buf_reset(&b);
	ok(ccc_group_encode(&b, &g) == 0 && ccc_group_load(ec, &g2, b.p,
	    b.len, NULL) == CCC_E_KEY,
	    "a g_bar not hashed from the key id is refused");
	for (i = 0; i < 3; i++) {
		ccc_identity_free(ids[i]);
		BN_clear_free(x[i]);
	}
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&b);
	free(cert);
}

/* Approvals: t of the signers, their purpose and no other, this proposal. */
static void
test_approval(void)
{
	struct ccc_identity *ids[3];
	const struct ccc_identity *first;
	struct ccc_dkg_member mem[3];
	struct ccc_committee cm;
	struct ccc_approval *a = calloc(1, sizeof(*a)), *a2 = calloc(1,
	    sizeof(*a2));
	struct ccc_buf p, b, b2;
	uint32_t i;
	uint8_t d[32];

	if (a == NULL || a2 == NULL)
		abort();
	ccc_buf_init(&p, 0);
	ccc_buf_init(&b, 0);
	ccc_buf_init(&b2, 0);
	memset(&cm, 0, sizeof(cm));
	for (i = 0; i < 3; i++) {
		if ((ids[i] = ccc_identity_new()) == NULL ||
		    ccc_identity_generate(ids[i], NULL) != 0)
			abort();
		memset(&mem[i], 0, sizeof(mem[i]));
		memcpy(mem[i].id, ids[i]->id, 32);
		memcpy(mem[i].pk, ids[i]->pk, 32);
	}
	cm.n = 3;
	cm.t = cm.q = 2;
	cm.m = mem;
	cm.step = 60;
	randombytes_buf(cm.key_id, 32);
	if (ccc_committee_encode(&p, &cm) != 0)
		abort();
	ok(ccc_approval_load(a, p.p, p.len, NULL) == 0 && a->nsigs == 0 &&
	    a->type == &ccc_schema_committee,
	    "a bare committee loads as a proposal approved by nobody");
	ok(ccc_approval_check(a, mem, 3, 2, "x", "y", NULL) == CCC_E_POLICY,
	    "no approval is not 2");
	ok(ccc_approval_sign(a, ids[2]) == 0 && ccc_approval_sign(a,
	    ids[0]) == 0 && ccc_approval_sign(a, ids[2]) == 0 &&
	    a->nsigs == 2 && memcmp(a->id[0], a->id[1], 32) < 0,
	    "signatures are kept in id order, one per signer");
	ok(ccc_approval_encode(&b, a) == 0 &&
	    ccc_approval_load(a2, b.p, b.len, NULL) == 0 && a2->nsigs == 2 &&
	    a2->prop_len == p.len && memcmp(a2->prop, p.p, p.len) == 0 &&
	    ccc_approval_check(a2, mem, 3, 2, "x", "y", NULL) == 0,
	    "approved by 2 of 3: round trip, accepted");
	ok(ccc_approval_check(a2, mem, 3, 3, "x", "y", NULL) == CCC_E_POLICY,
	    "2 approvals are not 3");
	ok(ccc_approval_check(a2, mem + 1, 2, 1, "x", "y", NULL) ==
	    CCC_E_POLICY, "an approval by a non-signer is refused");
	/* The same key's signatures under the other purposes do not count. */
	first = memcmp(a2->id[0], ids[0]->id, 32) == 0 ? ids[0] : ids[2];
	crypto_hash_sha256(d, p.p, p.len);
	ok(ccc_identity_sign_digest(a2->sig[0], first, CCC_GROUP_SIG_PURPOSE,
	    d) == 0 && ccc_approval_check(a2, mem, 3, 2, "x", "y", NULL) ==
	    CCC_E_SIGNATURE, "a group confirmation's signature is no approval");
	ok(ccc_identity_sign(a2->sig[0], first, ccc_schema_committee.type,
	    p.p, p.len) == 0 && ccc_approval_check(a2, mem, 3, 2, "x", "y",
	    NULL) == CCC_E_SIGNATURE,
	    "a signature under the committee's own type is no approval");
	/* Another epoch's committee: the approvals do not carry over. */
	cm.has_prev = true;
	cm.epoch = 1;
	ccc_buf_reset(&p);
	if (ccc_committee_encode(&p, &cm) != 0 ||
	    ccc_approval_load(a2, p.p, p.len, NULL) != 0)
		abort();
	memcpy(a2->id, a->id, sizeof(a->id));
	memcpy(a2->sig, a->sig, sizeof(a->sig));
	a2->nsigs = a->nsigs;
	ok(ccc_approval_check(a2, mem, 3, 2, "x", "y", NULL) ==
	    CCC_E_SIGNATURE, "approvals of one committee do not approve "
	    "another");
	/* Signers out of order are malformed. */
	ccc_buf_reset(&b2);
	memcpy(a2, a, sizeof(*a));
	memcpy(a2->id[0], a->id[1], 32);
	memcpy(a2->id[1], a->id[0], 32);
	ok(ccc_approval_encode(&b2, a2) == 0 &&
	    ccc_approval_load(a2, b2.p, b2.len, NULL) == CCC_E_FIELD,
	    "signers not in ascending id order are refused");
	for (i = 0; i < 3; i++)
		ccc_identity_free(ids[i]);
	ccc_buf_free(&p);
	ccc_buf_free(&b);
	ccc_buf_free(&b2);
	free(a);
	free(a2);
}

int
main(void)
{
	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL)
		return 2;
	test_vss();
	test_dkg_math();
	test_reshare_math();
	test_schnorr();
	test_dealing();
	test_blobs();
	test_approval();
	return tap_done();
}
