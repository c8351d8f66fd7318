/*
 * The threshold coin (lib/coin.h): every t-subset of nodes gives the same
 * sigma and seed, t-1 shares give nothing, a share of another request,
 * use or node is refused, the two uses of one request differ, and a
 * known answer pins the derivation of U, the coin id and the seed.
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "coin.h"
#include "tap.h"

/*
 * The id and seed were computed apart, with Python's hashlib and hmac
 * from the definitions in coin.h; U is pinned from lib/h2c.c, which
 * test_h2c checks against the RFC 9380 vectors.
 */
#define KAT_U "045c9d25b4fc778fe80df6f1eeae3b231f9299ecf3f7959bc80a78f928b6e3e9" \
    "1cb0ac129d3736021d9836f9b8fb60a943717a476b4d55ff0a61f060d3cbb0c170"
#define KAT_ID "93d038d9718407c8477af82ad3e9c8f6964decd8258d0ba9b91e803d7c5eebaa"
#define KAT_SEED "350d712a1fb2a0203c67fce37d159865305eedd5838292e9def1ee9b07cecc78"

static struct ccc_ec *ec;

struct key {
	struct ccc_tdh2_pub pub;
	BIGNUM *x[16];
};

static int
deal(struct key *k, uint32_t t, uint32_t n)
{
	uint32_t i;

	if (ccc_tdh2_pub_alloc(ec, &k->pub, n) != 0)
		return -1;
	memset(k->pub.key_id, 0x4b, 32);
	k->pub.epoch = 3;
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
	ccc_tdh2_pub_free(&k->pub);
}

static void
subsets(void)
{
	struct key k;
	struct ccc_coin c, c2, cp;
	struct ccc_tdh2_dshare ds[7], other;
	const struct ccc_tdh2_dshare *sel[7];
	uint8_t rid[32], seed[32], first[32], sigma[65], s2[32];
	uint32_t i, mask, j, agree = 0, tried = 0;
	struct ccc_err e;

	ok(deal(&k, 4, 7) == 0, "deal 4-of-7");
	memset(rid, 0x11, 32);
	ok(ccc_coin_init(&c, CCC_COIN_ENCLAVE, &k.pub, rid, NULL) == 0,
	    "coin of a request");
	for (i = 0; i < 7; i++)
		if (ccc_coin_share(ec, &ds[i], &k.pub, k.x[i], i + 1, &c,
		    NULL) != 0 || ccc_coin_share_verify(ec, &k.pub, &c, &ds[i],
		    NULL) != 0)
			break;
	ok(i == 7, "7 coin shares made and verified");
	for (mask = 0; mask < 128; mask++) {
		if (__builtin_popcount(mask) != 4)
			continue;
		for (i = 0, j = 0; i < 7; i++)
			if (mask & (1u << i))
				sel[j++] = &ds[i];
		tried++;
		if (ccc_coin_combine(ec, seed, sigma, &k.pub, &c, sel, j,
		    NULL) != 0)
			continue;
		if (tried == 1)
			memcpy(first, seed, 32);
		agree += memcmp(seed, first, 32) == 0;
	}
	ok(tried == 35 && agree == 35, "all 35 4-subsets give one seed "
	    "(%u of %u)", agree, tried);
	ccc_coin_seed(s2, sigma, &c);
	ok_eq_mem(s2, 32, first, 32, "the seed is a function of sigma");
	ccc_err_clear(&e);
	ok_eq_int(ccc_coin_combine(ec, seed, NULL, &k.pub, &c, sel, 3, &e),
	    CCC_E_THRESHOLD, "3 shares of a 4-of-7 coin: refused");
	ok_eq_str(e.detail, "3 shares, 4 needed", "and why");

	/* Another request, another use: other coins, other shares. */
	rid[0] ^= 1;
	ok(ccc_coin_init(&c2, CCC_COIN_ENCLAVE, &k.pub, rid, NULL) == 0,
	    "coin of another request");
	ok(memcmp(c2.ct.u, c.ct.u, 65) != 0 && memcmp(c2.id, c.id, 32) != 0,
	    "another request: another U and id");
	ccc_err_clear(&e);
	ok_eq_int(ccc_coin_share_verify(ec, &k.pub, &c2, &ds[0], &e),
	    CCC_E_SHARE, "a share of one request does not verify for "
	    "another");
	rid[0] ^= 1;
	ok(ccc_coin_init(&cp, CCC_COIN_PUBLIC, &k.pub, rid, NULL) == 0,
	    "public coin of the same request");
	ok(memcmp(cp.ct.u, c.ct.u, 65) != 0, "public and enclave coins "
	    "of one request differ");
	ok_eq_int(ccc_coin_share_verify(ec, &k.pub, &cp, &ds[0], NULL),
	    CCC_E_SHARE, "an enclave coin share is no public coin share");

	/* A share renumbered, or with a flipped point, is refused. */
	other = ds[1];
	other.index = 3;
	ok_eq_int(ccc_coin_share_verify(ec, &k.pub, &c, &other, NULL),
	    CCC_E_SHARE, "node 2's share as node 3's: refused");
	other = ds[1];
	other.f_i[31] ^= 1;
	ok_eq_int(ccc_coin_share_verify(ec, &k.pub, &c, &other, NULL),
	    CCC_E_SHARE, "a share with a changed proof: refused");
	other = ds[1];
	other.index = 8;
	ok_eq_int(ccc_coin_share_verify(ec, &k.pub, &c, &other, NULL),
	    CCC_E_SHARE, "node 8 of a 7-node key: refused");
	key_free(&k);
}

/* Known answer: key id 0x4b..., epoch 3, request 0x11...: U, id, seed. */
static void
known_answer(void)
{
	struct key k;
	struct ccc_coin c;
	uint8_t rid[32], seed[32], sigma[65];
	char hex[131];

	ok(deal(&k, 1, 1) == 0, "deal 1-of-1");
	memset(rid, 0x11, 32);
	ok(ccc_coin_init(&c, CCC_COIN_ENCLAVE, &k.pub, rid, NULL) == 0,
	    "coin");
	sodium_bin2hex(hex, sizeof(hex), c.ct.u, 65);
	ok_eq_str(hex, KAT_U, "U of the known answer");
	sodium_bin2hex(hex, sizeof(hex), c.id, 32);
	ok_eq_str(hex, KAT_ID, "coin id of the known answer");
	memset(sigma, 0, sizeof(sigma));
	memcpy(sigma, c.ct.u, 65);	/* any point: the seed's derivation */
	ccc_coin_seed(seed, sigma, &c);
	sodium_bin2hex(hex, sizeof(hex), seed, 32);
	ok_eq_str(hex, KAT_SEED, "seed of sigma = U");
	key_free(&k);
}

int
main(void)
{
	if (sodium_init() < 0 || (ec = ccc_ec_default()) == NULL)
		return 99;
	subsets();
	known_answer();
	return tap_done();
}
