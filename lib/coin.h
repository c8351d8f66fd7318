/*
 * The threshold coin (ccc(7) THE THRESHOLD COIN): a value no fewer than t
 * decryption nodes can compute, the same whichever t compute it, unique
 * per request (whitepaper 3.2: threshold deterministic randomness).
 *
 *   msg   = use || 0x00 || key_id || u64be(epoch) || request_id
 *   U     = hash_to_curve(msg), RFC 9380 P256_XMD:SHA-256_SSWU_RO_ under
 *           CCC_COIN_DST
 *   id    = SHA-256("ccc/coin-id/v1" || 0x00 || msg)
 *   R_i   = U^{x_i}, node i's coin share, with the decryption-share proof
 *           of lib/tdh2.h over u = U, bound by
 *           ccc_tdh2_share_bind(key_id, epoch, i, id, request_id)
 *   sigma = U^x = the Lagrange combination of t verified shares
 *   seed  = HKDF-SHA256(salt "ccc/coin-seed/v1", IKM sigma, info use ||
 *           0x00 || request_id, 32 bytes)
 *
 * The use keeps the two coins of one request apart: "enclave", the coin
 * sealed to a level-2 request's replicas, and "public", the coin released
 * in clear by ccc-rand; knowing one tells nothing of the other.  A coin
 * share is carried as a decryption share whose ct_digest is the coin id.
 */
#ifndef CCC_COIN_H
#define CCC_COIN_H

#include <stdint.h>

#include "tdh2.h"

#define CCC_COIN_DST "ccc/coin/v1:P256_XMD:SHA-256_SSWU_RO_"
#define CCC_COIN_ENCLAVE "enclave"
#define CCC_COIN_PUBLIC "public"
#define CCC_COIN_SEED_BYTES 32

struct ccc_coin {
	const char *use;		/* CCC_COIN_ENCLAVE or _PUBLIC */
	uint8_t key_id[32];
	uint64_t epoch;
	uint8_t rid[32];		/* request id */
	uint8_t id[32];			/* coin id (ct_digest of its shares) */
	struct ccc_tdh2_ct ct;		/* ct.u = U; the rest unused */
};

/* Derive U and the id of the coin of (use, key, request).  CCC_E_CRYPTO. */
int ccc_coin_init(struct ccc_coin *c, const char *use,
    const struct ccc_tdh2_pub *pub, const uint8_t rid[32],
    struct ccc_err *err) CCC_WUR;
/* The 32-byte bind of node index's share proof (see above). */
void ccc_coin_bind(uint8_t out[32], const struct ccc_coin *c,
    uint32_t index);
/* Node index's coin share with its proof (x_i: its key share). */
int ccc_coin_share(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    const struct ccc_tdh2_pub *pub, const BIGNUM *x_i, uint32_t index,
    const struct ccc_coin *c, struct ccc_err *err) CCC_WUR;
/* The same, with the proof's commitments into comm (ccc_tdh2_share_comm). */
int ccc_coin_share_comm(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    uint8_t (*comm)[CCC_POINT_BYTES], const struct ccc_tdh2_pub *pub,
    const BIGNUM *x_i, uint32_t index, const struct ccc_coin *c,
    struct ccc_err *err) CCC_WUR;
/* CCC_E_SHARE if ds is not node ds->index's share of this coin. */
int ccc_coin_share_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_coin *c, const struct ccc_tdh2_dshare *ds,
    struct ccc_err *err) CCC_WUR;
/*
 * sigma and the seed from k >= t verified shares of distinct nodes (the
 * first t are used); sigma may be NULL.  CCC_E_THRESHOLD below t.
 */
int ccc_coin_combine(struct ccc_ec *ec,
    uint8_t seed[CCC_COIN_SEED_BYTES], uint8_t *sigma,
    const struct ccc_tdh2_pub *pub, const struct ccc_coin *c,
    const struct ccc_tdh2_dshare *const *ds, size_t k, struct ccc_err *err)
    CCC_WUR;
/* The seed of sigma (the HKDF above); for a verifier holding sigma. */
void ccc_coin_seed(uint8_t seed[CCC_COIN_SEED_BYTES],
    const uint8_t sigma[CCC_POINT_BYTES], const struct ccc_coin *c);

#endif
