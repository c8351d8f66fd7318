/*
 * Feldman verifiable secret sharing on P-256 and Schnorr proofs of
 * knowledge of a discrete log: the arithmetic under the DKG and resharing
 * (lib/dkg.h).
 *
 * A dealer shares s with a random polynomial f of degree t-1, f(0) = s,
 * publishes the commitments C_k = a_k G and gives node x (1-based, the
 * x-coordinate TDH2 uses) the sub-share f(x).  Anyone can check a sub-share:
 * f(x) G = sum_k x^k C_k.  Commitments of several dealings combine
 * linearly, which is how the group's h and h_i are derived.
 *
 * Secret scalars are BIGNUMs the caller allocates with BN_secure_new; every
 * intermediate secret is cleared before return.  Points are EC_POINTs of
 * the ccc_ec group, or their 65-byte SEC1 uncompressed encodings.
 */
#ifndef CCC_VSS_H
#define CCC_VSS_H

#include "ec.h"

#define CCC_VSS_MAX_T 255
/* A Schnorr proof: R (65) || z (32). */
#define CCC_VSS_PROOF_BYTES (CCC_POINT_BYTES + CCC_SCALAR_BYTES)

/*
 * Share secret with threshold t: commits[0..t-1] receive the encoded C_k
 * (commits[0] is secret * G) and ys[i] = f(xs[i]) for i < nx.  The random
 * coefficients a_1..a_{t-1} are cleared on every path.  CCC_E_FIELD for a
 * t out of 1..CCC_VSS_MAX_T, CCC_E_NOMEM, CCC_E_CRYPTO.
 */
int ccc_vss_deal(struct ccc_ec *ec, uint8_t (*commits)[CCC_POINT_BYTES],
    BIGNUM **ys, const BIGNUM *secret, uint32_t t, const uint32_t *xs,
    size_t nx) CCC_WUR;

/*
 * Decode t commitments (t encodings back to back) into C[0..t-1], which
 * the caller allocated.  CCC_E_POINT (naming C_k) for an encoding off the
 * curve or the identity.
 */
int ccc_vss_decode(struct ccc_ec *ec, EC_POINT **C, const uint8_t *enc,
    uint32_t t, struct ccc_err *err) CCC_WUR;

/* out = sum_k x^k C_k: the committed polynomial at x, times G. */
int ccc_vss_eval(struct ccc_ec *ec, EC_POINT *out, EC_POINT *const *C,
    uint32_t t, uint32_t x) CCC_WUR;

/*
 * Feldman check of a sub-share y for node x: 0 if y G = sum_k x^k C_k,
 * CCC_E_SHARE if not, CCC_E_NOMEM/CCC_E_CRYPTO if it could not be computed.
 */
int ccc_vss_check(struct ccc_ec *ec, EC_POINT *const *C, uint32_t t,
    uint32_t x, const BIGNUM *y) CCC_WUR;

/*
 * Linear combination of k dealings' commitments: A[j] = sum_i w[i] C[i][j]
 * for j < t.  With w NULL (every w[i] = 1) it is the Joint-Feldman sum,
 * made of additions; with Lagrange coefficients at 0 it is the resharing
 * interpolation.
 */
int ccc_vss_combine(struct ccc_ec *ec, EC_POINT **A, EC_POINT **const *C,
    const BIGNUM *const *w, size_t k, uint32_t t) CCC_WUR;

/*
 * Schnorr proof of knowledge of x with X = x G, bound to a tag and a
 * context: R = r G, c = SHA-512(tag || 0 || ctx || X || R) mod n,
 * z = r + c x.  The nonce r is fresh and cleared.
 */
int ccc_schnorr_prove(struct ccc_ec *ec, uint8_t proof[CCC_VSS_PROOF_BYTES],
    const BIGNUM *x, const uint8_t X[CCC_POINT_BYTES], const char *tag,
    const uint8_t *ctx, size_t ctx_len) CCC_WUR;

/* 0 if proof verifies (z G = R + c X), else CCC_E_SIGNATURE. */
int ccc_schnorr_verify(struct ccc_ec *ec,
    const uint8_t proof[CCC_VSS_PROOF_BYTES], const EC_POINT *X,
    const uint8_t X_enc[CCC_POINT_BYTES], const char *tag, const uint8_t *ctx,
    size_t ctx_len) CCC_WUR;

/* y = sum_i w[i] s[i] mod n (secret; y is cleared first). */
int ccc_vss_sum(struct ccc_ec *ec, BIGNUM *y, const BIGNUM *const *w,
    BIGNUM *const *s, size_t k) CCC_WUR;

#endif
