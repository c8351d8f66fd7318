/*
 * Verifiable randomness from the public threshold coin (lib/coin.h,
 * ccc(7) THE THRESHOLD COIN): a node's coin share of a request
 * (ccc/coin-share/v1) and the random value with the t shares it was
 * combined from (ccc/rand/v1).  Only the "public" coin is made or read
 * here: nothing in this module can release an "enclave" coin share.
 *
 * Errors name the field at fault; the caller names the input.
 */
#ifndef CCC_RAND_H
#define CCC_RAND_H

#include <stdint.h>

#include <openssl/bn.h>

#include "buf.h"
#include "coin.h"

/* A node's public coin share, as ccc/coin-share/v1 carries it. */
struct ccc_rand_share {
	uint8_t key_id[32];
	uint64_t epoch;
	uint8_t rid[32];
	struct ccc_tdh2_dshare ds;
};

/* A random value with its proofs, as ccc/rand/v1 carries it. */
struct ccc_rand {
	uint8_t key_id[32];
	uint64_t epoch;
	uint8_t rid[32];
	uint8_t value[CCC_COIN_SEED_BYTES];
	uint8_t sigma[CCC_POINT_BYTES];
	size_t k;			/* shares, in ascending node order */
	struct ccc_tdh2_dshare ds[CCC_TDH2_MAX_N];
};

/*
 * Whether pub's h and h_1..h_n lie on one polynomial of degree t-1, so
 * that every t nodes give the same value: for each j from t to n, the
 * nodes 1..t-1 and j interpolate h at 0; (n - t + 1) t-point
 * multiplications.  CCC_E_FIELD (field h_i) naming the first node off.
 */
int ccc_rand_key_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct ccc_err *err) CCC_WUR;

/* The public coin of request rid under pub (ccc_coin_init). */
int ccc_rand_coin(struct ccc_coin *c, const struct ccc_tdh2_pub *pub,
    const uint8_t rid[32], struct ccc_err *err) CCC_WUR;

/*
 * Node index's share of the public coin c, with its proof, appended to b
 * as a ccc/coin-share/v1 blob (x_i: the node's key share, checked by the
 * caller against pub).
 */
int ccc_rand_share_make(struct ccc_ec *ec, struct ccc_buf *b,
    const struct ccc_tdh2_pub *pub, const BIGNUM *x_i, uint32_t index,
    const struct ccc_coin *c, struct ccc_err *err) CCC_WUR;

/* Decode a ccc/coin-share/v1 blob (its proof is not checked). */
int ccc_rand_share_load(struct ccc_rand_share *s, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;

/*
 * Whether s is a share of coin c under pub: CCC_E_KEY (another key),
 * CCC_E_EPOCH, CCC_E_FIELD (another request), CCC_E_SHARE (a node the
 * key does not have, or a proof that does not verify); the detail says
 * which, in words fit to follow "node N (FILE): ".
 */
int ccc_rand_share_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_coin *c, const struct ccc_rand_share *s,
    struct ccc_err *err) CCC_WUR;

/*
 * r from k >= t verified shares of distinct nodes in ascending node
 * order: the first t are combined and kept.  CCC_E_THRESHOLD below t.
 */
int ccc_rand_combine(struct ccc_ec *ec, struct ccc_rand *r,
    const struct ccc_tdh2_pub *pub, const struct ccc_coin *c,
    const struct ccc_tdh2_dshare *const *ds, size_t k, struct ccc_err *err)
    CCC_WUR;

/* Encode r as a ccc/rand/v1 blob, appended to b. */
int ccc_rand_encode(struct ccc_buf *b, const struct ccc_rand *r) CCC_WUR;
/* Decode a ccc/rand/v1 blob (nothing is verified). */
int ccc_rand_load(struct ccc_rand *r, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;

/*
 * Verify r under pub, and that it is the value of request rid unless rid
 * is NULL: CCC_E_KEY, CCC_E_EPOCH, CCC_E_FIELD (another request, more
 * than t shares, shares out of node order, a sigma or value that is not
 * the shares'), CCC_E_THRESHOLD (fewer than t shares), CCC_E_SHARE (a
 * share whose proof does not verify; the detail names its node).  pub is
 * taken as it is: see ccc_rand_key_check.
 */
int ccc_rand_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_rand *r, const uint8_t *rid, struct ccc_err *err)
    CCC_WUR;

#endif
