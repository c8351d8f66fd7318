/*
 * Bulletproofs range proofs (lib/bulletproof.c): round trips for every
 * size (powers of two and not), the ciphertext opened with the key; each
 * point and scalar of a proof tampered with is refused, as are a value
 * of 2^B (the test hook's cheating prover), another label, key, epoch or
 * size; a batch with one bad proof among good ones names it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "bulletproof.h"
#include "tap.h"

static struct ccc_ec *ec;
static struct ccc_tdh2_pub pub;
static BIGNUM *x[3], *key;

struct item {
	uint8_t u[CCC_POINT_BYTES], v[CCC_POINT_BYTES];
	uint8_t proof[CCC_BP_PROOF_MAX];
	struct ccc_bp_stmt st;
};

static int
make(struct item *it, const char *ctx, uint32_t bits, uint64_t m)
{
	BIGNUM *r = BN_secure_new();
	int rc;

	memset(&it->st, 0, sizeof(it->st));
	it->st.key_id = pub.key_id;
	it->st.epoch = pub.epoch;
	it->st.context = ctx;
	it->st.clen = strlen(ctx);
	it->st.bits = bits;
	it->st.u = it->u;
	it->st.v = it->v;
	it->st.proof = it->proof;
	if ((rc = ccc_bp_commit(ec, &pub, m, r, it->u, it->v, NULL)) == 0)
		rc = ccc_bp_prove(ec, &pub, &it->st, r, m, it->proof, NULL);
	BN_clear_free(r);
	return rc;
}

static int
verify1(const struct item *it)
{
	size_t bad = 99;

	return ccc_bp_verify(ec, &pub, &it->st, 1, &bad, NULL);
}

/* v - key u == m G: the commitment is the ciphertext's v. */
static int
opens_to(const struct item *it, uint64_t m)
{
	EC_POINT *u = EC_POINT_new(ec->group), *v = EC_POINT_new(ec->group),
	    *w = EC_POINT_new(ec->group);
	BIGNUM *bm = BN_new();
	int ok = 0;

	if (u != NULL && v != NULL && w != NULL && bm != NULL &&
	    ccc_ec_point_decode(ec, u, it->u, "u", NULL) == 0 &&
	    ccc_ec_point_decode(ec, v, it->v, "v", NULL) == 0 &&
	    BN_set_word(bm, m) == 1 &&
	    EC_POINT_mul(ec->group, w, bm, u, key, ec->bn) == 1 &&
	    EC_POINT_cmp(ec->group, w, v, ec->bn) == 0)
		ok = 1;
	EC_POINT_free(u);
	EC_POINT_free(v);
	EC_POINT_free(w);
	BN_free(bm);
	return ok;
}

static void
round_trips(void)
{
	static const uint32_t sizes[] = { 1, 2, 3, 4, 5, 8, 16, 20, 31, 32 };
	struct item it;
	size_t i;
	uint64_t m[3];

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t b = sizes[i];
		size_t j;

		m[0] = 0;
		m[1] = ((uint64_t)1 << b) - 1;
		m[2] = randombytes_uniform((uint32_t)m[1]) + (b > 1);
		for (j = 0; j < 3; j++) {
			int mr = make(&it, "ctx", b, m[j]);
			int vr = mr == 0 ? verify1(&it) : -999;

			ok(mr == 0 && vr == 0 && opens_to(&it, m[j]),
			    "%u bits: %llu proved (%d), verified (%d), opens",
			    b, (unsigned long long)m[j], mr, vr);
		}
	}
	ok_eq_int(ccc_bp_proof_bytes(32), 1264, "32-bit proof size");
	ok_eq_int(ccc_bp_proof_bytes(1), 614, "1-bit proof size");
	ok_eq_int(make(&it, "ctx", 8, 256), CCC_E_FIELD, "256 in 8 bits");
	ok_eq_int(make(&it, "ctx", 0, 0), CCC_E_USAGE, "0 bits");
	ok_eq_int(make(&it, "ctx", 33, 0), CCC_E_USAGE, "33 bits");
}

/* Each point and scalar of the proof changed to another valid value. */
static void
tampering(void)
{
	static const char *names[] = { "Tu", "Tv", "A", "S", "T1", "T2",
	    "L_1", "L_2", "L_3", "L_4", "L_5", "R_1", "R_2", "R_3", "R_4",
	    "R_5", "t_hat", "tau_x", "mu", "a", "b", "z_m", "z_r" };
	struct item it, t2;
	EC_POINT *p = EC_POINT_new(ec->group);
	BIGNUM *s = BN_new();
	size_t i, np = 16, off;

	if (!ok(make(&it, "ctx", 32, 123456789) == 0, "a 32-bit proof"))
		return;
	for (i = 0; i < np + CCC_BP_SCALARS; i++) {
		t2 = it;
		t2.st.u = t2.u;
		t2.st.v = t2.v;
		t2.st.proof = t2.proof;
		if (i < np) {
			off = i * CCC_POINT_BYTES;
			/* the point doubled */
			if (ccc_ec_point_decode(ec, p, t2.proof + off, "p",
			    NULL) != 0 ||
			    EC_POINT_dbl(ec->group, p, p, ec->bn) != 1 ||
			    ccc_ec_points_encode(ec, (uint8_t (*)[
			    CCC_POINT_BYTES])(t2.proof + off), &p, 1) != 0)
				break;
		} else {
			off = np * CCC_POINT_BYTES + (i - np) * CCC_SCALAR_BYTES;
			/* the scalar plus one */
			if (BN_bin2bn(t2.proof + off, 32, s) == NULL ||
			    BN_mod_add(s, s, BN_value_one(), ec->n,
			    ec->bn) != 1 ||
			    ccc_ec_scalar_encode(t2.proof + off, s) != 0)
				break;
		}
		ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "%s tampered",
		    names[i]);
	}
	ok_eq_int(i, np + CCC_BP_SCALARS, "every field tampered");
	/* u and v */
	t2 = it;
	t2.st.u = t2.u;
	t2.st.v = t2.v;
	t2.st.proof = t2.proof;
	memcpy(t2.u, t2.proof, CCC_POINT_BYTES);
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "u replaced");
	memcpy(t2.u, it.u, CCC_POINT_BYTES);
	memcpy(t2.v, t2.proof, CCC_POINT_BYTES);
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "v replaced");
	/* encodings */
	t2 = it;
	t2.st.u = t2.u;
	t2.st.v = t2.v;
	t2.st.proof = t2.proof;
	t2.proof[2 * CCC_POINT_BYTES + 40] ^= 1;
	ok_eq_int(verify1(&t2), CCC_E_POINT, "A off the curve");
	t2 = it;
	t2.st.u = t2.u;
	t2.st.v = t2.v;
	t2.st.proof = t2.proof;
	memset(t2.proof + np * CCC_POINT_BYTES, 0xff, 32);
	ok_eq_int(verify1(&t2), CCC_E_SCALAR, "t_hat >= n");
	EC_POINT_free(p);
	BN_free(s);
}

static void
refusals(void)
{
	struct item it, t2;
	uint8_t other[32];
	static const uint32_t sizes[] = { 1, 3, 8, 32 };
	size_t i;

#ifdef CCC_TEST_HOOKS
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t b = sizes[i];

		ccc_bp_test_out_of_range = 1;
		ok(make(&it, "ctx", b, (uint64_t)1 << b) == 0,
		    "the hook proves 2^%u", b);
		ok_eq_int(verify1(&it), CCC_E_CIPHERTEXT, "2^%u refused", b);
		ok(make(&it, "ctx", b, ((uint64_t)1 << b) + 1) == 0,
		    "the hook proves 2^%u + 1", b);
		ok_eq_int(verify1(&it), CCC_E_CIPHERTEXT, "2^%u + 1 refused",
		    b);
		ccc_bp_test_out_of_range = 0;
	}
#else
	(void)sizes;
	(void)i;
#endif
	if (!ok(make(&it, "ctx", 16, 777) == 0, "a 16-bit proof"))
		return;
	t2 = it;
	t2.st.u = t2.u;
	t2.st.v = t2.v;
	t2.st.proof = t2.proof;
	t2.st.context = "ctY";
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "another label");
	t2.st.context = "ctx";
	t2.st.epoch++;
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "another epoch");
	t2.st.epoch--;
	memcpy(other, pub.key_id, 32);
	other[0] ^= 1;
	t2.st.key_id = other;
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "another key id");
	t2.st.key_id = pub.key_id;
	t2.st.bits = 15;
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "15 bits claimed");
	t2.st.bits = 16;
	ok_eq_int(verify1(&t2), 0, "restored");
	t2.st.ad = (const uint8_t *)"x";
	t2.st.adlen = 1;
	ok_eq_int(verify1(&t2), CCC_E_CIPHERTEXT, "other associated data");
	t2.st.ad = NULL;
	t2.st.adlen = 0;
	t2.st.bits = 33;
	ok_eq_int(verify1(&t2), CCC_E_FIELD, "33 bits refused");
	t2.st.bits = 0;
	ok_eq_int(verify1(&t2), CCC_E_FIELD, "0 bits refused");
	t2.st.bits = 16;
}

static void
batches(void)
{
	enum { N = 40 };
	struct item *it = calloc(N, sizeof(*it));
	struct ccc_bp_stmt st[N];
	struct ccc_err err;
	size_t i, bad = 0;

	if (it == NULL)
		return;
	for (i = 0; i < N; i++) {
		if (make(&it[i], i % 2 ? "odd" : "even", i % 3 ? 32 : 7,
		    (i * 1000 + 3) % 128) != 0)
			break;
		st[i] = it[i].st;
	}
	ok_eq_int(i, N, "%d proofs made", N);
	ok_eq_int(ccc_bp_verify(ec, &pub, st, N, &bad, NULL), 0,
	    "a batch of %d, sizes and labels mixed", N);
	/* a proof of another statement at 23: its label swapped */
	st[23].context = "elsewhere";
	st[23].clen = 9;
	ccc_err_clear(&err);
	ok_eq_int(ccc_bp_verify(ec, &pub, st, N, &bad, &err),
	    CCC_E_CIPHERTEXT, "one bad proof in the batch");
	ok_eq_int(bad, 23, "named");
	ok_eq_str(err.detail, "range proof does not verify", "reason");
	st[23] = it[23].st;
	it[30].proof[10] ^= 0x40;
	ok_eq_int(ccc_bp_verify(ec, &pub, st, N, &bad, NULL), CCC_E_POINT,
	    "a bad encoding at 30");
	ok_eq_int(bad, 30, "named");
	free(it);
}

/* More proofs than one batch holds (73 of 8 bits fill one): bad ones
 * in the second and the third are named by their index in the whole. */
static void
many_batches(void)
{
	enum { N = 160 };
	struct item *it = calloc(N, sizeof(*it));
	struct ccc_bp_stmt *st = calloc(N, sizeof(*st));
	size_t i, bad = 0;

	if (it == NULL || st == NULL) {
		free(it);
		free(st);
		return;
	}
	for (i = 0; i < N; i++) {
		if (make(&it[i], "many", 8, i) != 0)
			break;
		st[i] = it[i].st;
	}
	ok_eq_int(i, N, "%d proofs of 8 bits (14 points each)", N);
	ok_eq_int(ccc_bp_verify(ec, &pub, st, N, &bad, NULL), 0,
	    "%d proofs over three batches", N);
	it[150].proof[4 * CCC_POINT_BYTES + 64] ^= 0x01;	/* T1's y */
	ok_eq_int(ccc_bp_verify(ec, &pub, st, N, &bad, NULL), CCC_E_POINT,
	    "T1 off the curve in the third batch");
	ok_eq_int(bad, 150, "named");
	it[150].proof[4 * CCC_POINT_BYTES + 64] ^= 0x01;
	st[130].epoch++;
	ok_eq_int(ccc_bp_verify(ec, &pub, st, N, &bad, NULL),
	    CCC_E_CIPHERTEXT, "another epoch in the second batch");
	ok_eq_int(bad, 130, "named");
	free(it);
	free(st);
}

int
main(void)
{
	size_t i;

	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL ||
	    ccc_tdh2_pub_alloc(ec, &pub, 3) != 0)
		return 99;
	randombytes_buf(pub.key_id, 32);
	for (i = 0; i < 3; i++)
		x[i] = BN_secure_new();
	key = BN_secure_new();
	if (ccc_tdh2_deal(ec, &pub, x, 2, NULL) != 0)
		return 99;
	pub.epoch = 7;
	/* the key from shares 1 and 2 of a degree-1 polynomial: 2 x1 - x2 */
	if (BN_mod_add(key, x[0], x[0], ec->n, ec->bn) != 1 ||
	    BN_mod_sub(key, key, x[1], ec->n, ec->bn) != 1)
		return 99;
	round_trips();
	tampering();
	refusals();
	batches();
	many_batches();
	for (i = 0; i < 3; i++)
		BN_clear_free(x[i]);
	BN_clear_free(key);
	ccc_tdh2_pub_free(&pub);
	return tap_done();
}
