/*
 * ccc-rand's module (lib/rand.h): only the public coin is released in
 * clear (an enclave coin refuses to be made into a coin share blob, and
 * its shares are no public coin's), the blobs round-trip, and a value
 * verifies exactly when every share, sigma and the value are the coin's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "rand.h"
#include "tap.h"

static struct ccc_ec *ec;

/* 1-of-3 (every h_i is h) and 3-of-3 (no node to check but h). */
static void
edges(void)
{
	static const uint32_t tn[2][2] = { { 1, 3 }, { 3, 3 } };
	struct ccc_tdh2_pub pub;
	BIGNUM *x[3];
	EC_POINT *tmp;
	uint32_t k, i;

	for (k = 0; k < 2; k++) {
		if (ccc_tdh2_pub_alloc(ec, &pub, tn[k][1]) != 0)
			return;
		memset(pub.key_id, 0x4c, 32);
		for (i = 0; i < tn[k][1]; i++)
			x[i] = BN_secure_new();
		ok(ccc_tdh2_deal(ec, &pub, x, tn[k][0], NULL) == 0 &&
		    ccc_rand_key_check(ec, &pub, NULL) == 0,
		    "%u-of-%u: consistent", tn[k][0], tn[k][1]);
		tmp = pub.hi[1];
		pub.hi[1] = pub.gbar;
		ok_eq_int(ccc_rand_key_check(ec, &pub, NULL), CCC_E_FIELD,
		    "%u-of-%u: g_bar as h_2: refused", tn[k][0], tn[k][1]);
		pub.hi[1] = tmp;
		for (i = 0; i < tn[k][1]; i++)
			BN_clear_free(x[i]);
		ccc_tdh2_pub_free(&pub);
	}
}

int
main(void)
{
	struct ccc_tdh2_pub pub;
	BIGNUM *x[5];
	struct ccc_coin pc, ecn;
	struct ccc_rand_share s;
	struct ccc_tdh2_dshare ds[5], eds;
	const struct ccc_tdh2_dshare *sel[5];
	struct ccc_rand *r, *r2;
	struct ccc_buf b, b2;
	struct ccc_err e;
	uint8_t rid[32];
	uint32_t i;

	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL ||
	    (r = calloc(1, sizeof(*r))) == NULL ||
	    (r2 = calloc(1, sizeof(*r2))) == NULL)
		return 99;
	ccc_buf_init(&b, 0);
	ccc_buf_init(&b2, 0);
	if (ccc_tdh2_pub_alloc(ec, &pub, 5) != 0)
		return 99;
	memset(pub.key_id, 0x4b, 32);
	pub.epoch = 2;
	for (i = 0; i < 5; i++)
		x[i] = BN_secure_new();
	ok(ccc_tdh2_deal(ec, &pub, x, 3, NULL) == 0, "deal 3-of-5");
	ok_eq_int(ccc_rand_key_check(ec, &pub, NULL), 0,
	    "the dealer's key is consistent");
	{
		EC_POINT *tmp = pub.hi[3];
		pub.hi[3] = pub.hi[4];
		pub.hi[4] = tmp;
		ccc_err_clear(&e);
		ok_eq_int(ccc_rand_key_check(ec, &pub, &e), CCC_E_FIELD,
		    "h_4 and h_5 swapped: refused");
		ok_eq_str(e.detail, "h and the h_i lie on no polynomial of "
		    "degree 2 (found at h_4)", "why");
		pub.hi[4] = pub.hi[3];
		pub.hi[3] = tmp;
	}
	memset(rid, 0x22, 32);
	ok(ccc_rand_coin(&pc, &pub, rid, NULL) == 0 &&
	    strcmp(pc.use, CCC_COIN_PUBLIC) == 0, "ccc-rand's coin is the "
	    "public one");
	ok(ccc_coin_init(&ecn, CCC_COIN_ENCLAVE, &pub, rid, NULL) == 0,
	    "the enclave coin of the same request");

	/* The enclave coin is never made into a blob... */
	ccc_err_clear(&e);
	ok_eq_int(ccc_rand_share_make(ec, &b, &pub, x[0], 1, &ecn, &e),
	    CCC_E_INTERNAL, "an enclave coin share is not made in clear");
	ok_eq_int(b.len, 0, "and nothing is written");
	/* ...and its share, carried as one, is no share of the public coin. */
	ok(ccc_coin_share(ec, &eds, &pub, x[0], 1, &ecn, NULL) == 0,
	    "node 1's enclave coin share");
	memcpy(s.key_id, pub.key_id, 32);
	s.epoch = pub.epoch;
	memcpy(s.rid, rid, 32);
	s.ds = eds;
	ccc_err_clear(&e);
	ok_eq_int(ccc_rand_share_check(ec, &pub, &pc, &s, &e), CCC_E_SHARE,
	    "an enclave coin share does not verify as a public one");
	ok_eq_str(e.detail, "proof does not verify", "why");

	/* Public shares: made, read back, checked. */
	for (i = 0; i < 5; i++) {
		ccc_buf_reset(&b);
		if (ccc_rand_share_make(ec, &b, &pub, x[i], i + 1, &pc,
		    NULL) != 0 || ccc_rand_share_load(&s, b.p, b.len,
		    NULL) != 0 || ccc_rand_share_check(ec, &pub, &pc, &s,
		    NULL) != 0 || s.ds.index != i + 1 ||
		    memcmp(s.rid, rid, 32) != 0)
			break;
		ds[i] = s.ds;
		sel[i] = &ds[i];
	}
	ok_eq_int(i, 5, "5 public coin shares made, read back and checked");
	s.rid[0] ^= 1;
	ccc_err_clear(&e);
	ok_eq_int(ccc_rand_share_check(ec, &pub, &pc, &s, &e), CCC_E_FIELD,
	    "a share naming another request is refused");
	s.rid[0] ^= 1;
	s.epoch = 3;
	ok_eq_int(ccc_rand_share_check(ec, &pub, &pc, &s, NULL), CCC_E_EPOCH,
	    "a share of another epoch is refused");

	/* The value: encoded, read back, verified. */
	ok(ccc_rand_combine(ec, r, &pub, &pc, sel + 2, 3, NULL) == 0 &&
	    r->k == 3, "nodes 3-5 combine");
	ccc_buf_reset(&b);
	ok(ccc_rand_encode(&b, r) == 0 && ccc_rand_load(r2, b.p, b.len,
	    NULL) == 0 && ccc_rand_encode(&b2, r2) == 0, "round trip");
	ok_eq_mem(b2.p, b2.len, b.p, b.len, "the same bytes");
	ok_eq_int(ccc_rand_verify(ec, &pub, r2, NULL, NULL), 0, "it verifies");
	ok_eq_int(ccc_rand_verify(ec, &pub, r2, rid, NULL), 0,
	    "as the value of its request");
	ok(ccc_rand_combine(ec, r2, &pub, &pc, sel, 3, NULL) == 0,
	    "nodes 1-3 combine");
	ok_eq_mem(r2->value, 32, r->value, 32, "to the same value");
	ok_eq_mem(r2->sigma, 65, r->sigma, 65, "and sigma");
	eds.index = 1;
	r2->ds[0] = eds;
	ccc_err_clear(&e);
	ok_eq_int(ccc_rand_verify(ec, &pub, r2, NULL, &e), CCC_E_SHARE,
	    "an enclave coin share in a value is refused");
	ok_eq_str(e.detail, "node 1: proof does not verify", "and named");

	for (i = 0; i < 5; i++)
		BN_clear_free(x[i]);
	ccc_tdh2_pub_free(&pub);
	edges();
	ccc_buf_free(&b);
	ccc_buf_free(&b2);
	free(r);
	free(r2);
	return tap_done();
}
