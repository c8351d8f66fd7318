/*
 * TDH2 unit tests: round trips for several (t, n), Lagrange interpolation
 * over every (or many) t-subsets, tampering of each ciphertext and share
 * field, the point and scalar decoders' refusals, and the precomputed
 * tables (with and without them, the same bytes are made and accepted).
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "keys.h"
#include "tdh2.h"
#include "tap.h"

static struct ccc_ec *ec;

struct key {
	struct ccc_tdh2_pub pub;
	BIGNUM **x;
};

static int
deal(struct key *k, uint32_t t, uint32_t n)
{
	uint32_t i;

	if (ccc_tdh2_pub_alloc(ec, &k->pub, n) != 0)
		return -1;
	randombytes_buf(k->pub.key_id, 32);
	k->x = calloc(n, sizeof(*k->x));
	for (i = 0; i < n; i++)
		k->x[i] = BN_secure_new();
	return ccc_tdh2_deal(ec, &k->pub, k->x, t, NULL);
}

static void
key_free(struct key *k)
{
	uint32_t i;

	for (i = 0; i < k->pub.n; i++)
		BN_clear_free(k->x[i]);
	free(k->x);
	ccc_tdh2_pub_free(&k->pub);
}

/* Combine the shares of the nodes in mask (bit i-1 = node i). */
static int
combine_mask(struct key *k, const struct ccc_tdh2_ct *ct,
    struct ccc_tdh2_dshare *ds, uint32_t mask, uint8_t m[32])
{
	const struct ccc_tdh2_dshare *sel[32];
	size_t j = 0;
	uint32_t i;

	for (i = 0; i < k->pub.n; i++)
		if (mask & (1u << i))
			sel[j++] = &ds[i];
	return ccc_tdh2_combine(ec, m, &k->pub, ct, sel, j, NULL);
}

static int
popcount(uint32_t v)
{
	return __builtin_popcount(v);
}

static void
round_trip(uint32_t t, uint32_t n)
{
	struct key k;
	struct ccc_tdh2_ct ct;
	struct ccc_tdh2_dshare ds[16];
	uint8_t m[32], label[32], out[32], bind[32], digest[32];
	uint32_t i, mask, tried = 0, good = 0, shares_ok = 0;
	int rc;

	memset(&k, 0, sizeof(k));
	ok(deal(&k, t, n) == 0, "(%u,%u): deal", t, n);
	randombytes_buf(m, 32);
	randombytes_buf(label, 32);
	randombytes_buf(digest, 32);
	ok(ccc_tdh2_encrypt(ec, &ct, &k.pub, m, label, NULL) == 0 &&
	    ccc_tdh2_verify(ec, &k.pub, &ct, NULL) == 0,
	    "(%u,%u): encrypt, ciphertext verifies", t, n);
	for (i = 1; i <= n; i++) {
		ccc_tdh2_share_bind(bind, k.pub.key_id, 0, i, digest,
		    (const uint8_t *)"ctx", 3);
		rc = ccc_tdh2_share(ec, &ds[i - 1], &k.pub, k.x[i - 1], i, &ct,
		    bind, NULL);
		if (rc == 0 && ccc_tdh2_share_verify(ec, &k.pub, &ct,
		    &ds[i - 1], bind, NULL) == 0)
			shares_ok++;
	}
	ok(shares_ok == n, "(%u,%u): %u of %u decryption shares verify", t, n,
	    shares_ok, n);
	/*
	 * Every t-subset when there are few (n <= 7), else the first t, the
	 * last t and 40 pseudo-random ones.
	 */
	if (n <= 7) {
		for (mask = 1; mask < (1u << n); mask++) {
			if (popcount(mask) != (int)t)
				continue;
			tried++;
			if (combine_mask(&k, &ct, ds, mask, out) == 0 &&
			    memcmp(out, m, 32) == 0)
				good++;
		}
	} else {
		uint32_t masks[42], j;
		masks[0] = (1u << t) - 1;
		masks[1] = ((1u << t) - 1) << (n - t);
		for (j = 2; j < 42; j++) {
			uint32_t r = 0;
			while (popcount(r) < (int)t)
				r |= 1u << randombytes_uniform(n);
			masks[j] = r;
		}
		for (j = 0; j < 42; j++) {
			tried++;
			if (combine_mask(&k, &ct, ds, masks[j], out) == 0 &&
			    memcmp(out, m, 32) == 0)
				good++;
		}
	}
	ok(tried > 0 && good == tried, "(%u,%u): %u of %u t-subsets recover "
	    "the message", t, n, good, tried);
	if (t > 1) {
		mask = (1u << (t - 1)) - 1;
		ok(combine_mask(&k, &ct, ds, mask, out) == CCC_E_THRESHOLD,
		    "(%u,%u): t-1 shares are refused", t, n);
	}
	key_free(&k);
}

static void
tamper(void)
{
	struct key k;
	struct ccc_tdh2_ct ct, bad;
	struct ccc_tdh2_dshare ds, dbad;
	struct ccc_err err;
	uint8_t m[32], label[32], bind[32], bind2[32], digest[32];

	memset(&k, 0, sizeof(k));
	deal(&k, 2, 3);
	randombytes_buf(m, 32);
	memset(label, 0, 32);
	randombytes_buf(digest, 32);
	ok(ccc_tdh2_encrypt(ec, &ct, &k.pub, m, label, NULL) == 0,
	    "encrypt with an all-zero label");

#define TAMPER(field, byte, want, what) do { \
	bad = ct; bad.field[byte] ^= 1; ccc_err_clear(&err); \
	ok(ccc_tdh2_verify(ec, &k.pub, &bad, &err) == (want), \
	    "tampered %s is refused (%s)", what, ccc_strerror(want)); \
} while (0)
	TAMPER(c, 0, CCC_E_CIPHERTEXT, "c");
	TAMPER(label, 31, CCC_E_CIPHERTEXT, "label");
	TAMPER(u, 64, CCC_E_POINT, "u (off the curve)");
	TAMPER(u_bar, 64, CCC_E_POINT, "u_bar (off the curve)");
	TAMPER(e, 31, CCC_E_CIPHERTEXT, "e");
	TAMPER(f, 31, CCC_E_CIPHERTEXT, "f");
	/* A valid point in place of u: the proof, not the decoder, fails. */
	bad = ct;
	memcpy(bad.u, k.pub.hi_enc[0], 65);
	ok(ccc_tdh2_verify(ec, &k.pub, &bad, NULL) == CCC_E_CIPHERTEXT,
	    "u replaced by another valid point is refused");
	bad = ct;
	memset(bad.f, 0xff, 32);
	ok(ccc_tdh2_verify(ec, &k.pub, &bad, NULL) == CCC_E_SCALAR,
	    "f >= n is refused as a scalar");

	ccc_tdh2_share_bind(bind, k.pub.key_id, 0, 1, digest,
	    (const uint8_t *)"R1", 2);
	ccc_tdh2_share_bind(bind2, k.pub.key_id, 0, 1, digest,
	    (const uint8_t *)"R2", 2);
	ok(ccc_tdh2_share(ec, &ds, &k.pub, k.x[0], 1, &ct, bind, NULL) == 0,
	    "decryption share of node 1");
	ok(ccc_tdh2_share_verify(ec, &k.pub, &ct, &ds, bind2, NULL) ==
	    CCC_E_SHARE, "a share made for context R1 fails for R2");
	dbad = ds;
	dbad.index = 2;
	ok(ccc_tdh2_share_verify(ec, &k.pub, &ct, &dbad, bind, NULL) ==
	    CCC_E_SHARE, "a share relabelled as another node fails");
	dbad = ds;
	dbad.f_i[31] ^= 1;
	ok(ccc_tdh2_share_verify(ec, &k.pub, &ct, &dbad, bind, NULL) ==
	    CCC_E_SHARE, "a share with a tampered f_i fails");
	dbad = ds;
	dbad.u_i[64] ^= 1;
	ok(ccc_tdh2_share_verify(ec, &k.pub, &ct, &dbad, bind, NULL) ==
	    CCC_E_SHARE, "a share with u_i off the curve fails");
	dbad = ds;
	dbad.index = 4;
	ok(ccc_tdh2_share_verify(ec, &k.pub, &ct, &dbad, bind, NULL) ==
	    CCC_E_SHARE, "a share of a node beyond n fails");
	key_free(&k);
}

/* A second pub for the same key, decoded from src's encodings. */
static int
pub_copy(struct ccc_tdh2_pub *dst, const struct ccc_tdh2_pub *src)
{
	uint32_t i;

	if (ccc_tdh2_pub_alloc(ec, dst, src->n) != 0)
		return -1;
	dst->t = src->t;
	dst->epoch = src->epoch;
	memcpy(dst->key_id, src->key_id, 32);
	memcpy(dst->h_enc, src->h_enc, CCC_POINT_BYTES);
	memcpy(dst->gbar_enc, src->gbar_enc, CCC_POINT_BYTES);
	memcpy(dst->hi_enc, src->hi_enc, (size_t)src->n * CCC_POINT_BYTES);
	if (ccc_ec_point_decode(ec, dst->h, dst->h_enc, "h", NULL) != 0 ||
	    ccc_ec_point_decode(ec, dst->gbar, dst->gbar_enc, "g_bar",
	    NULL) != 0)
		return -1;
	for (i = 0; i < src->n; i++)
		if (ccc_ec_point_decode(ec, dst->hi[i], dst->hi_enc[i], "h_i",
		    NULL) != 0)
			return -1;
	return 0;
}

/* k*p from tab equals k*p by variable base, for a few edge scalars. */
static int
table_agrees(const EC_GROUP *tab, const EC_POINT *p)
{
	EC_POINT *a = EC_POINT_new(ec->group), *b = EC_POINT_new(ec->group);
	BIGNUM *k = BN_new();
	int i, good = a != NULL && b != NULL && k != NULL;

	for (i = 0; good && i < 6; i++) {
		if (i == 0)
			good = BN_one(k);
		else if (i == 1)
			good = BN_sub(k, ec->n, BN_value_one());
		else if (i == 2)
			good = BN_sub_word(k, 1);	/* n - 2 */
		else
			good = ccc_ec_scalar_random(ec, k) == 0;
		good = good &&
		    EC_POINT_mul(tab, a, k, NULL, NULL, ec->bn) == 1 &&
		    EC_POINT_mul(ec->group, b, NULL, p, k, ec->bn) == 1 &&
		    EC_POINT_cmp(ec->group, a, b, ec->bn) == 0;
	}
	EC_POINT_free(a);
	EC_POINT_free(b);
	BN_free(k);
	return good;
}

/* Shares of every node for ct, each verified under both pubs. */
static int
shares_both(struct key *k, const struct ccc_tdh2_pub *tp,
    const struct ccc_tdh2_ct *ct, struct ccc_tdh2_dshare *ds,
    const uint8_t bind[32])
{
	uint32_t i;

	for (i = 0; i < k->pub.n; i++)
		if (ccc_tdh2_share(ec, &ds[i], i % 2 ? tp : &k->pub,
		    k->x[i], i + 1, ct, bind, NULL) != 0 ||
		    ccc_tdh2_share_verify(ec, &k->pub, ct, &ds[i], bind,
		    NULL) != 0 ||
		    ccc_tdh2_share_verify(ec, tp, ct, &ds[i], bind, NULL) != 0)
			return -1;
	return 0;
}

static void
tables(void)
{
	struct key k;
	struct ccc_tdh2_pub tp, none;
	struct ccc_tdh2_ct ct[2], bad;
	struct ccc_tdh2_dshare ds[2][5], dbad;
	const struct ccc_tdh2_dshare *sel[3];
	struct ccc_err err, err2;
	EC_GROUP *h_tab;
	uint8_t m[2][32], label[32], bind[32], out[32];
	uint32_t nodes[2] = { 2, 4 }, badnode = 6, i;
	int j, rc, rc2, same, built;

	memset(&k, 0, sizeof(k));
	memset(&tp, 0, sizeof(tp));
	ok(deal(&k, 3, 5) == 0 && pub_copy(&tp, &k.pub) == 0,
	    "tables: a (3,5) key, and a second copy of its public key");
	ok(ccc_tdh2_pub_precompute(ec, &tp, NULL) == 0 && tp.h_tab != NULL &&
	    tp.gbar_tab != NULL, "tables: h and g_bar tables built");
	h_tab = tp.h_tab;
	ok(ccc_tdh2_pub_precompute(ec, &tp, NULL) == 0 && tp.h_tab == h_tab,
	    "tables: building them again keeps the first ones");
	ok(table_agrees(tp.h_tab, tp.h) && table_agrees(tp.gbar_tab, tp.gbar),
	    "tables: k*h and k*g_bar from the tables equal the variable-base "
	    "products (k = 1, n-1, n-2, random)");
	ok(ccc_tdh2_pub_precompute_nodes(ec, &tp, &badnode, 1, NULL) ==
	    CCC_E_FIELD && tp.hi_tab == NULL,
	    "tables: node 6 of a 5-node key is refused, nothing built");
	ok(ccc_tdh2_pub_precompute_nodes(ec, &tp, nodes, 2, NULL) == 0 &&
	    tp.hi_tab != NULL && tp.hi_tab[0] == NULL &&
	    tp.hi_tab[1] != NULL && tp.hi_tab[2] == NULL &&
	    tp.hi_tab[3] != NULL && tp.hi_tab[4] == NULL &&
	    table_agrees(tp.hi_tab[1], tp.hi[1]),
	    "tables: h_i tables for nodes 2 and 4 only");

	/* ct[0] made with the tables, ct[1] without. */
	randombytes_buf(label, 32);
	randombytes_buf(bind, 32);
	for (j = 0; j < 2; j++) {
		randombytes_buf(m[j], 32);
		ok(ccc_tdh2_encrypt(ec, &ct[j], j == 0 ? &tp : &k.pub, m[j],
		    label, NULL) == 0 &&
		    ccc_tdh2_verify(ec, &k.pub, &ct[j], NULL) == 0 &&
		    ccc_tdh2_verify(ec, &tp, &ct[j], NULL) == 0,
		    "tables: ciphertext encrypted %s tables verifies with and "
		    "without", j == 0 ? "with" : "without");
		ok(shares_both(&k, &tp, &ct[j], ds[j], bind) == 0,
		    "tables: its 5 shares verify with and without (some "
		    "node tables)");
	}
	ok(ccc_tdh2_pub_precompute_nodes(ec, &tp, NULL, 0, NULL) == 0 &&
	    tp.hi_tab[0] != NULL && tp.hi_tab[4] != NULL,
	    "tables: then every node's");
	for (j = 0; j < 2; j++) {
		ok(shares_both(&k, &tp, &ct[j], ds[j], bind) == 0,
		    "tables: shares of the ciphertext made %s tables verify "
		    "with every node table", j == 0 ? "with" : "without");
		sel[0] = &ds[j][4];
		sel[1] = &ds[j][1];
		sel[2] = &ds[j][2];
		ok(ccc_tdh2_combine(ec, out, &k.pub, &ct[j], sel, 3,
		    NULL) == 0 && memcmp(out, m[j], 32) == 0 &&
		    ccc_tdh2_combine(ec, out, &tp, &ct[j], sel, 3, NULL) == 0 &&
		    memcmp(out, m[j], 32) == 0,
		    "tables: and nodes 5, 2, 3 recover its message");
	}

	/* Tampering: the same verdict, and the same error, either way. */
	same = 1;
	for (i = 0; i < sizeof(bad); i++) {
		bad = ct[0];
		((uint8_t *)&bad)[i] ^= 1u << (i % 8);
		ccc_err_clear(&err);
		ccc_err_clear(&err2);
		rc = ccc_tdh2_verify(ec, &k.pub, &bad, &err);
		rc2 = ccc_tdh2_verify(ec, &tp, &bad, &err2);
		if (rc == 0 || rc != rc2 || err.code != err2.code ||
		    strcmp(err.detail, err2.detail) != 0)
			same = 0;
	}
	ok(same, "tables: each of the %zu ciphertext bytes flipped is refused "
	    "with the same error with and without tables", sizeof(bad));
	same = 1;
	for (i = 0; i < CCC_POINT_BYTES + 64; i++) {
		dbad = ds[1][1];
		if (i < CCC_POINT_BYTES)
			dbad.u_i[i] ^= 0x80;
		else if (i < CCC_POINT_BYTES + 32)
			dbad.e_i[i - CCC_POINT_BYTES] ^= 1;
		else
			dbad.f_i[i - CCC_POINT_BYTES - 32] ^= 1;
		rc = ccc_tdh2_share_verify(ec, &k.pub, &ct[1], &dbad, bind,
		    NULL);
		rc2 = ccc_tdh2_share_verify(ec, &tp, &ct[1], &dbad, bind,
		    NULL);
		if (rc != CCC_E_SHARE || rc2 != rc)
			same = 0;
	}
	dbad = ds[1][1];
	dbad.index = 3;
	ok(same && ccc_tdh2_share_verify(ec, &tp, &ct[1], &dbad, bind,
	    NULL) == CCC_E_SHARE, "tables: tampered shares are refused with "
	    "and without node tables");

	/* Freed, never-loaded and twice-freed pubs. */
	ccc_tdh2_pub_free(&tp);
	ok(tp.h_tab == NULL && tp.gbar_tab == NULL && tp.hi_tab == NULL,
	    "tables: freed with the public key");
	ccc_tdh2_pub_free(&tp);
	memset(&none, 0, sizeof(none));
	ok(ccc_tdh2_pub_precompute(ec, &tp, NULL) == CCC_E_USAGE &&
	    ccc_tdh2_pub_precompute(ec, &none, NULL) == CCC_E_USAGE &&
	    ccc_tdh2_pub_precompute_nodes(ec, &none, NULL, 0, NULL) ==
	    CCC_E_USAGE && none.h_tab == NULL && none.hi_tab == NULL,
	    "tables: refused for a freed or never-loaded public key");
	ccc_tdh2_pub_free(&none);
	/* Built and freed with no use in between. */
	built = pub_copy(&tp, &k.pub) == 0 &&
	    ccc_tdh2_pub_precompute_nodes(ec, &tp, &nodes[1], 1, NULL) == 0 &&
	    ccc_tdh2_pub_precompute(ec, &tp, NULL) == 0;
	ccc_tdh2_pub_free(&tp);
	ok(built, "tables: built and freed unused");
	key_free(&k);
}

static void
decoders(void)
{
	EC_POINT *p = EC_POINT_new(ec->group);
	BIGNUM *s = BN_new();
	uint8_t enc[65], sc[32];
	size_t i;

	memset(enc, 0, 65);
	ok(ccc_ec_point_decode(ec, p, enc, "p", NULL) == CCC_E_POINT,
	    "65 zero bytes (the identity) is refused");
	enc[0] = 0x04;
	ok(ccc_ec_point_decode(ec, p, enc, "p", NULL) == CCC_E_POINT,
	    "0x04 || zeros (Go's identity) is refused");
	/* The generator itself, then variations. */
	(void)EC_POINT_point2oct(ec->group, ec->g,
	    POINT_CONVERSION_UNCOMPRESSED, enc, 65, ec->bn);
	ok(ccc_ec_point_decode(ec, p, enc, "p", NULL) == 0,
	    "the generator decodes");
	enc[64] ^= 1;
	ok(ccc_ec_point_decode(ec, p, enc, "p", NULL) == CCC_E_POINT,
	    "a point off the curve is refused");
	enc[64] ^= 1;
	enc[0] = 0x02;
	ok(ccc_ec_point_decode(ec, p, enc, "p", NULL) == CCC_E_POINT,
	    "a compressed prefix on 65 bytes is refused");
	enc[0] = 0x06;
	ok(ccc_ec_point_decode(ec, p, enc, "p", NULL) == CCC_E_POINT,
	    "a hybrid-form prefix is refused");

	(void)BN_bn2binpad(ec->n, sc, 32);
	ok(ccc_ec_scalar_decode(ec, s, sc, "s", NULL) == CCC_E_SCALAR,
	    "the group order n is refused as a scalar");
	for (i = 31; sc[i] == 0; i--)
		sc[i] = 0xff;
	sc[i]--;
	ok(ccc_ec_scalar_decode(ec, s, sc, "s", NULL) == 0,
	    "n - 1 is accepted as a scalar");
	memset(sc, 0xff, 32);
	ok(ccc_ec_scalar_decode(ec, s, sc, "s", NULL) == CCC_E_SCALAR,
	    "2^256 - 1 is refused as a scalar");
	EC_POINT_free(p);
	BN_free(s);
}

static void
lagrange_small(void)
{
	BIGNUM *l[3];
	uint32_t xs[3] = { 1, 2, 3 }, dup[2] = { 2, 2 };
	int i, okk = 1;

	/* At 0 over {1,2,3}: 3, -3, 1. */
	for (i = 0; i < 3; i++)
		l[i] = BN_new();
	ok(ccc_tdh2_lagrange(ec, l, xs, 3) == 0, "lagrange over {1,2,3}");
	okk &= BN_is_word(l[0], 3) && BN_is_word(l[2], 1);
	BN_add_word(l[1], 3);
	okk &= BN_cmp(l[1], ec->n) == 0;
	ok(okk, "lagrange coefficients at 0 are 3, -3, 1");
	ok(ccc_tdh2_lagrange(ec, l, dup, 2) != 0,
	    "a repeated node number is refused");
	for (i = 0; i < 3; i++)
		BN_free(l[i]);
}

/* lambda_j = prod_{m != j} x_m / (x_m - x_j), one inversion per j. */
static int
lagrange_ref(BIGNUM *out, const uint32_t *xs, size_t k, size_t j)
{
	BIGNUM *num = BN_new(), *den = BN_new(), *f = BN_new();
	BN_CTX *bn = BN_CTX_new();
	size_t m;
	int r = 0;

	if (num == NULL || den == NULL || f == NULL || bn == NULL)
		goto out;
	BN_one(num);
	BN_one(den);
	for (m = 0; m < k; m++) {
		if (m == j)
			continue;
		if (!BN_set_word(f, xs[m]) ||
		    !BN_mod_mul(num, num, f, ec->n, bn) ||
		    !BN_set_word(f, xs[j]) ||
		    !BN_sub(f, ec->n, f) ||
		    !BN_add_word(f, xs[m]) ||
		    !BN_mod_mul(den, den, f, ec->n, bn))
			goto out;
	}
	r = BN_mod_inverse(den, den, ec->n, bn) != NULL &&
	    BN_mod_mul(out, num, den, ec->n, bn);
out:
	BN_free(num);
	BN_free(den);
	BN_free(f);
	BN_CTX_free(bn);
	return r;
}

/* Random subsets of 1..255, against the formula taken one j at a time. */
static void
lagrange_random(void)
{
	static const size_t ks[] = { 1, 2, 7, 16, 67, 100, 255 };
	uint32_t all[CCC_TDH2_MAX_N], xs[CCC_TDH2_MAX_N], tmp;
	BIGNUM *l[CCC_TDH2_MAX_N], *want = BN_new();
	size_t i, j, r, trial;
	int same;

	for (i = 0; i < CCC_TDH2_MAX_N; i++) {
		all[i] = (uint32_t)i + 1;
		l[i] = BN_new();
	}
	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		for (trial = 0; trial < 3; trial++) {
			/* A random k-subset in random order (Fisher-Yates). */
			for (j = 0; j < ks[i]; j++) {
				r = j + randombytes_uniform(
				    (uint32_t)(CCC_TDH2_MAX_N - j));
				tmp = all[j];
				all[j] = all[r];
				all[r] = tmp;
				xs[j] = all[j];
			}
			same = ccc_tdh2_lagrange(ec, l, xs, ks[i]) == 0;
			for (j = 0; j < ks[i] && same; j++)
				same = lagrange_ref(want, xs, ks[i], j) &&
				    BN_cmp(want, l[j]) == 0;
			ok(same, "lagrange over a random %zu-subset of 1..255 "
			    "matches the one-by-one formula", ks[i]);
		}
	xs[0] = 0;
	xs[1] = 4;
	ok(ccc_tdh2_lagrange(ec, l, xs, 2) == CCC_E_FIELD,
	    "node number 0 is refused");
	xs[0] = UINT32_MAX;
	xs[1] = UINT32_MAX - 1;
	xs[2] = 1;
	same = ccc_tdh2_lagrange(ec, l, xs, 3) == 0;
	for (j = 0; j < 3 && same; j++)
		same = lagrange_ref(want, xs, 3, j) && BN_cmp(want, l[j]) == 0;
	ok(same, "lagrange with 32-bit node numbers (no word overflow)");
	for (i = 0; i < CCC_TDH2_MAX_N; i++)
		BN_free(l[i]);
	BN_free(want);
}

int
main(void)
{
	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL)
		return 99;
	round_trip(1, 1);
	round_trip(2, 3);
	round_trip(5, 7);
	round_trip(11, 16);
	tamper();
	tables();
	decoders();
	lagrange_small();
	lagrange_random();
	return tap_done();
}
