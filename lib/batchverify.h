/*
 * Batch verification of TDH2 proofs that carry their commitments: many
 * decryption shares of one ciphertext, or many ciphertexts under one key,
 * checked with one multi-scalar multiplication (EC_POINTs_mul) instead of
 * one or two multiplications each.
 *
 * A proof in challenge/response form (e, f) can only be checked by
 * recomputing its commitments, one proof at a time.  With the commitments
 * at hand (ccc_tdh2_share_comm, ccc_tdh2_encrypt_comm), each challenge is
 * a hash, and the equations of all proofs are checked at once as a random
 * linear combination: for a share,
 *
 *   f_i*u = u_hat_i + e_i*u_i   and   f_i*G = h_hat_i + e_i*h_i,
 *
 * weighted by fresh 128-bit rho_i, sigma_i from the system's CSPRNG (never
 * ec->drbg), summed into one MSM of 4k+1 points plus G that must give the
 * identity.  A set containing a bad proof passes with probability at most
 * about 2^-128 however its errors were chosen: with fixed weights two
 * errors could cancel.  When the combination fails, every proof of the
 * batch is checked alone (ccc_tdh2_share_verify, ccc_tdh2_verify), so the
 * bad ones are named with the errors a one-by-one check gives.  A proof
 * whose commitments do not decode or do not hash to its challenge is
 * judged alone as well: the commitments are a hint, (e, f) is the proof.
 * When pub holds a node's fixed-base table (ccc_tdh2_pub_precompute_
 * nodes), its share's second equation is checked alone from two
 * fixed-base products (G's and h_i's tables) and only the first goes into
 * the MSM: about 1.1x faster at k = 67 and 100, no more, because each
 * product reads the whole of its 150 KB table (a constant-time gather)
 * and k tables do not stay in the cache.
 */
#ifndef CCC_BATCHVERIFY_H
#define CCC_BATCHVERIFY_H

#include <stdbool.h>

#include "tdh2.h"

#define CCC_BATCH_WEIGHT_BYTES 16

/*
 * Verify the k decryption shares ds[] of ct with their commitments
 * comm[i] = { u_hat, h_hat }, each against binds[i] (binds NULL:
 * Chainlink's challenge for all).  verdict[i] receives 0 or the share's
 * error (CCC_E_SHARE), why[i] (unless why is NULL) its reason.  Returns 0
 * when every share verified, CCC_E_SHARE when some did not (the verdicts
 * say which), or CCC_E_NOMEM/CCC_E_CRYPTO (err) when the check could not
 * be made (verdicts then undefined).
 */
int ccc_tdh2_share_verify_batch(struct ccc_ec *ec,
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_dshare *const *ds,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, int *verdict, struct ccc_err *why, struct ccc_err *err)
    CCC_WUR;

/*
 * The same for the n ciphertexts cts[] under pub with their commitments
 * comm[i] = { w, w_bar }: verdict[i] 0 or the error of ccc_tdh2_verify
 * (CCC_E_CIPHERTEXT, CCC_E_POINT, CCC_E_SCALAR); returns 0 when all
 * verified, CCC_E_CIPHERTEXT when some did not.
 */
int ccc_tdh2_verify_batch(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *const *cts,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], size_t n, int *verdict,
    struct ccc_err *why, struct ccc_err *err) CCC_WUR;

/*
 * Combine exactly pub->t shares ds[] of ct, of distinct nodes, with their
 * commitments (as ccc_tdh2_share_verify_batch), in the multiplication
 * that checks their proofs: sum lambda_i u_i plus the fresh random
 * combination of the proofs' equations, 4t+2 points where checking then
 * combining takes 5t+2.  When every proof holds that sum is u^x and m the
 * message (as ccc_tdh2_combine); when one does not, it is a point no one
 * can predict, not even whoever made the bad share and the ciphertext,
 * and m is random: the payload's AES-GCM tag then fails but with
 * probability about 2^-128, and the caller must check the shares the
 * usual way, which names the bad ones.  So m may be used only through an
 * authenticated decryption (a coin, say, has none: it needs checked
 * proofs).  *ok false, m untouched: a share's commitments do not decode
 * or hash to its challenge, or not exactly t shares (judge them the
 * usual way); returns CCC_E_NOMEM/CCC_E_CRYPTO only when the computation
 * could not be made.
 */
int ccc_tdh2_share_combine_batch(struct ccc_ec *ec, uint8_t m[32],
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_dshare *const *ds,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, bool *ok) CCC_WUR;

/*
 * The single combined equation behind them, with the caller's weights
 * w[0..2k-1] (rho_i at 2i, sigma_i at 2i+1): *ok is whether it holds for
 * the items whose pre-checks pass (decodings, challenges); pre[i] (k
 * entries) is set false for the others, which are left out.  No fallback.
 * Sound only with fresh random weights; fixed ones are for tests, which
 * show why.
 */
int ccc_tdh2_share_batch_check(struct ccc_ec *ec,
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_dshare *const *ds,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], const uint8_t (*binds)[32],
    size_t k, const uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES], bool *pre,
    bool *ok) CCC_WUR;
int ccc_tdh2_ct_batch_check(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *const *cts,
    const uint8_t (*comm)[2][CCC_POINT_BYTES], size_t n,
    const uint8_t (*w)[CCC_BATCH_WEIGHT_BYTES], bool *pre, bool *ok)
    CCC_WUR;

#endif
