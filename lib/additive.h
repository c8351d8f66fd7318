/*
 * Additive inputs (security level 4, ccc(7) ADDITIVE INPUTS): integers
 * m in [0, 2^B) encrypted as exponential ElGamal under the threshold key
 * h = g^x, so that the product of ciphertexts encrypts the sum.
 *
 * A value is sent as its B bits, each an ElGamal pair (a_i, b_i) =
 * (r_i G, beta_i G + r_i H) with a Chaum-Pedersen OR-proof that beta_i is
 * 0 or 1 (commitments A0, B0, A1, B1; responses c0, z0, z1 with
 * c1 = c - c0); the value's ciphertext is (u, v) = sum 2^i (a_i, b_i),
 * which the verifier computes, and a Schnorr proof (T, z) shows knowledge
 * of r = sum 2^i r_i.  One Fiat-Shamir challenge c hashes the key, the
 * label context, B and every point of the input, so that no proof can be
 * moved to another label or another ciphertext.
 *
 * Verification is batched: every equation of many inputs, each scaled by
 * an independent random 128-bit weight, summed into one multi-scalar
 * multiplication that must give the identity (a forged input passes with
 * probability about 2^-128).  A batch that fails is checked input by
 * input, to name the first bad one.
 */
#ifndef CCC_ADDITIVE_H
#define CCC_ADDITIVE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ec.h"
#include "tdh2.h"

#define CCC_ADD_MAX_BITS 32
#define CCC_ADD_MAX_VALUES 256
#define CCC_ADD_COMMIT_BYTES (4 * CCC_POINT_BYTES)	/* A0 B0 A1 B1 */
#define CCC_ADD_RESP_BYTES (3 * CCC_SCALAR_BYTES)	/* c0 z0 z1 */
#define CCC_ADD_POK_BYTES (CCC_POINT_BYTES + CCC_SCALAR_BYTES)	/* T z */
#define CCC_ADD_INPUT_MAX (CCC_ADD_MAX_BITS * CCC_ADD_MAX_VALUES * \
	(2 * CCC_POINT_BYTES + CCC_ADD_COMMIT_BYTES + CCC_ADD_RESP_BYTES + 16) \
	+ 65536)

/*
 * A decoded input: views into its blob, valid while the blob lives.  The
 * arrays' elements are CBOR byte strings: element i of a is at
 * a + i * sa (its head skipped), and so on.
 */
struct ccc_additive {
	uint8_t key_id[32];
	uint64_t epoch;
	const char *context;
	size_t clen;
	uint32_t bits, k;	/* bits a value, values */
	const uint8_t *a, *b;	/* k * bits points each, value-major */
	const uint8_t *commit;	/* k * bits x CCC_ADD_COMMIT_BYTES */
	const uint8_t *resp;	/* k * bits x CCC_ADD_RESP_BYTES */
	const uint8_t *pok;	/* k x CCC_ADD_POK_BYTES */
	size_t sa, sc, sr, sp;	/* strides: a and b, commit, resp, pok */
	uint8_t digest[32];	/* SHA-256 of the blob */
	size_t tag;		/* the caller's (sorting keeps it along) */
};

/*
 * Decode a ccc/additive/v1 blob (its form only: no point is checked).
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
 * Verify the proofs of in[0..n-1] (all of pub's key, as checked by the
 * caller), batched.  With acc non-NULL, also add every bit pair into
 * acc[2 * (j * bits + i)] (a) and acc[2 * (j * bits + i) + 1] (b), points
 * of ec->group set by the caller (to the identity first).  On failure
 * *bad is the index of the first input at fault: CCC_E_POINT/SCALAR for
 * an encoding, CCC_E_CIPHERTEXT if a proof does not verify.
 */
int ccc_additive_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_additive *in, size_t n, EC_POINT **acc, size_t *bad,
    struct ccc_err *err) CCC_WUR;

#ifdef CCC_TEST_HOOKS
/*
 * Test hook: when set, ccc_additive_encrypt takes values of 2^B and more
 * and proves the top bit as if it were 0 or 1 (a cheating contributor);
 * verification must refuse what it makes.
 */
extern int ccc_additive_test_out_of_range;
#endif

#endif
