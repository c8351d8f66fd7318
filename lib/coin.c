/*
 * The threshold coin: see coin.h and ccc(7) THE THRESHOLD COIN.
 */
#include <string.h>

#include <sodium.h>

#include "coin.h"
#include "hash.h"
#include "h2c.h"

static void
coin_msg(uint8_t *msg, size_t *len, const struct ccc_coin *c)
{
	size_t n = strlen(c->use), i;

	memcpy(msg, c->use, n);
	msg[n++] = 0;
	memcpy(msg + n, c->key_id, 32);
	n += 32;
	for (i = 0; i < 8; i++)
		msg[n++] = (uint8_t)(c->epoch >> (56 - 8 * i));
	memcpy(msg + n, c->rid, 32);
	*len = n + 32;
}

int
ccc_coin_init(struct ccc_coin *c, const char *use,
    const struct ccc_tdh2_pub *pub, const uint8_t rid[32],
    struct ccc_err *err)
{
	static const char dom[] = "ccc/coin-id/v1";
	struct ccc_sha256 st;
	uint8_t msg[16 + 32 + 8 + 32];
	size_t len;

	memset(c, 0, sizeof(*c));
	if (strlen(use) > 15)
		return ccc_err_set(err, CCC_E_FIELD, -1, "use",
		    "coin use too long");
	c->use = use;
	memcpy(c->key_id, pub->key_id, 32);
	c->epoch = pub->epoch;
	memcpy(c->rid, rid, 32);
	coin_msg(msg, &len, c);
	if (ccc_h2c_p256(c->ct.u, msg, len, (const uint8_t *)CCC_COIN_DST,
	    sizeof(CCC_COIN_DST) - 1) != 0)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL,
		    "coin: hash to curve failed");
	ccc_sha256_init(&st);
	ccc_sha256_update(&st, dom, sizeof(dom));	/* with its 0x00 */
	ccc_sha256_update(&st, msg, len);
	ccc_sha256_final(&st, c->id);
	return 0;
}

void
ccc_coin_bind(uint8_t out[32], const struct ccc_coin *c, uint32_t index)
{
	ccc_tdh2_share_bind(out, c->key_id, c->epoch, index, c->id, c->rid,
	    32);
}

int
ccc_coin_share(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    const struct ccc_tdh2_pub *pub, const BIGNUM *x_i, uint32_t index,
    const struct ccc_coin *c, struct ccc_err *err)
{
	return ccc_coin_share_comm(ec, ds, NULL, pub, x_i, index, c, err);
}

int
ccc_coin_share_comm(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    uint8_t (*comm)[CCC_POINT_BYTES], const struct ccc_tdh2_pub *pub,
    const BIGNUM *x_i, uint32_t index, const struct ccc_coin *c,
    struct ccc_err *err)
{
	uint8_t bind[32];

	ccc_coin_bind(bind, c, index);
	return ccc_tdh2_share_comm(ec, ds, comm, pub, x_i, index, &c->ct,
	    bind, err);
}

int
ccc_coin_share_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_coin *c, const struct ccc_tdh2_dshare *ds,
    struct ccc_err *err)
{
	uint8_t bind[32];

	if (ds->index < 1 || ds->index > pub->n)
		return ccc_err_set(err, CCC_E_SHARE, -1, "index",
		    "node %u is not in a key of %u nodes", ds->index, pub->n);
	ccc_coin_bind(bind, c, ds->index);
	return ccc_tdh2_share_verify(ec, pub, &c->ct, ds, bind, err);
}

void
ccc_coin_seed(uint8_t seed[CCC_COIN_SEED_BYTES],
    const uint8_t sigma[CCC_POINT_BYTES], const struct ccc_coin *c)
{
	static const char salt[] = "ccc/coin-seed/v1";
	crypto_auth_hmacsha256_state st;
	uint8_t prk[32], one = 1, zero = 0;

	/* HKDF-SHA256 (RFC 5869) from libsodium's HMAC: one output block. */
	crypto_auth_hmacsha256_init(&st, (const uint8_t *)salt,
	    sizeof(salt) - 1);
	crypto_auth_hmacsha256_update(&st, sigma, CCC_POINT_BYTES);
	crypto_auth_hmacsha256_final(&st, prk);
	crypto_auth_hmacsha256_init(&st, prk, sizeof(prk));
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)c->use,
	    strlen(c->use));
	crypto_auth_hmacsha256_update(&st, &zero, 1);
	crypto_auth_hmacsha256_update(&st, c->rid, 32);
	crypto_auth_hmacsha256_update(&st, &one, 1);
	crypto_auth_hmacsha256_final(&st, seed);
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(prk, sizeof(prk));
}

int
ccc_coin_combine(struct ccc_ec *ec, uint8_t seed[CCC_COIN_SEED_BYTES],
    uint8_t *sigma, const struct ccc_tdh2_pub *pub, const struct ccc_coin *c,
    const struct ccc_tdh2_dshare *const *ds, size_t k, struct ccc_err *err)
{
	uint8_t s[CCC_POINT_BYTES];
	int rc;

	if ((rc = ccc_tdh2_combine_point(ec, s, pub, ds, k, err)) != 0)
		return rc;
	ccc_coin_seed(seed, s, c);
	if (sigma != NULL)
		memcpy(sigma, s, CCC_POINT_BYTES);
	sodium_memzero(s, sizeof(s));
	return 0;
}
