/*
 * Additive inputs (security level 4, ccc(7) ADDITIVE INPUTS): integers
 * m in [0, 2^B) encrypted as exponential ElGamal under the threshold key
 * H = xG, so that the product of ciphertexts encrypts the sum.
 *
 * A value is sent as its ciphertext (u, v) = (rG, mG + rH) with a
 * Bulletproofs range proof that m < 2^B and a link proof of knowledge of
 * (m, r) (lib/bulletproof.h): a ccc/additive/v2 blob.  Each value's
 * transcript binds the key, epoch, label context and B, and through its
 * associated data the value's index j, the count k and a hash of every
 * value's (u, v) of the input:
 *
 *   ad = u32be(j) || u32be(k) || SHA-256("ccc/additive/v2" || 0x00 ||
 *        u_0 || v_0 || .. || u_(k-1) || v_(k-1))
 *
 * so no proof can be moved to another label, key or input.
 *
 * Optionally (sum_bits S) the input also proves that its values' sum is
 * below 2^S: a range proof of the product of its ciphertexts, (sum u_j,
 * sum v_j) = (R G, (sum m_j) G + R H) with R = sum r_j, under ad with
 * j = k (a one-hot histogram: B = 1, S = 1).
 *
 * Verification is batched (ccc_bp_verify): one multi-scalar
 * multiplication a batch of proofs, a failed batch checked proof by
 * proof to name the first bad input.
 */
#ifndef CCC_ADDITIVE_H
#define CCC_ADDITIVE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "bulletproof.h"
#include "ec.h"
#include "tdh2.h"

#define CCC_ADD_MAX_BITS 32
#define CCC_ADD_MAX_VALUES 256
#define CCC_ADD_INPUT_MAX (CCC_ADD_MAX_VALUES * \
	(2 * (CCC_POINT_BYTES + 2) + CCC_BP_PROOF_MAX + 3) + 65536)

/*
 * A decoded input: views into its blob, valid while the blob lives.  The
 * arrays' elements are CBOR byte strings: value j's u is at u + j * su
 * (its head skipped), v at v + j * su, its proof at proof + j * sp.
 */
struct ccc_additive {
	uint8_t key_id[32];
	uint64_t epoch;
	const char *context;
	size_t clen;
	uint32_t bits, k;	/* bits a value, values */
	const uint8_t *u, *v, *proof;
	size_t su, sp;		/* strides: u and v, proof */
	uint32_t sum_bits;	/* 0: no bound on the sum */
	const uint8_t *sum_proof;	/* ccc_bp_proof_bytes(sum_bits) */
	uint8_t values[32];	/* the hash of every (u, v), for ad */
	uint8_t digest[32];	/* SHA-256 of the blob */
	size_t tag;		/* the caller's (sorting keeps it along) */
};

/*
 * Decode a ccc/additive/v2 blob (its form only: no point is checked).
 * base is p's offset for messages.
 */
int ccc_additive_decode(struct ccc_additive *in, const uint8_t *p,
    size_t len, long long base, struct ccc_err *err) CCC_WUR;

/*
 * Encrypt m[0..k-1], each < 2^bits, under pub with the label context
 * (clen bytes), appending the blob to out.  Randomness is fresh and wiped.
 * CCC_E_FIELD if a value is out of range.
 */
int ccc_additive_encrypt(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    uint32_t bits, const uint64_t *m, uint32_t k, struct ccc_err *err)
    CCC_WUR;
/*
 * The same, with sum_bits non-zero also proving that the values' sum is
 * below 2^sum_bits (CCC_E_FIELD if it is not).
 */
int ccc_additive_encrypt_sum(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    uint32_t bits, uint32_t sum_bits, const uint64_t *m, uint32_t k,
    struct ccc_err *err) CCC_WUR;

/*
 * Verify the proofs of in[0..n-1] (all of pub's key, as checked by the
 * caller), batched.  With acc non-NULL, once all hold, also add value j's
 * u into acc[2 * j] and its v into acc[2 * j + 1], points of ec->group
 * set by the caller (to the identity first).  On failure *bad is the
 * index of the first input at fault: CCC_E_POINT/SCALAR for an encoding,
 * CCC_E_CIPHERTEXT if a proof does not verify.  (The sums of inputs with
 * a sum proof are made first: a bad point there is named before a bad
 * proof of an earlier input.)
 */
int ccc_additive_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_additive *in, size_t n, EC_POINT **acc, size_t *bad,
    struct ccc_err *err) CCC_WUR;

#ifdef CCC_TEST_HOOKS
/*
 * Test hook: when set, ccc_additive_encrypt takes values of 2^B and more
 * and proves them as if they were in range (ccc_bp_test_out_of_range: a
 * cheating contributor); verification must refuse what it makes.
 */
extern int ccc_additive_test_out_of_range;
#endif

#endif
