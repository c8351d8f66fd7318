/*
 * Bulletproofs range proofs (Bünz, Bootle, Boneh, Poelstra, Wuille and
 * Maxwell, IEEE S&P 2018, section 4.2 with the inner-product argument of
 * section 3, verified as one multi-exponentiation as in section 6.2) on
 * OpenSSL's P-256, for the exponential ElGamal ciphertexts of additive
 * inputs (ccc(7) ADDITIVE INPUTS):
 *
 *   u = r G,  v = m G + r H
 *
 * G is the group generator (the value base), H the threshold key (the
 * blinding base): v is a Pedersen commitment to m, and the proof shows
 * m < 2^B.  The vector generators G_i, H_i (i < 64) and U come from
 * RFC 9380 hash_to_curve (P256_XMD:SHA-256_SSWU_RO_) under the DST
 * CCC_BP_DST with messages "G" || i, "H" || i (i one byte) and "U":
 * nobody knows a discrete log between them, G or H.
 *
 * B need not be a power of two: the proof runs over n = the next power of
 * two >= B bits with the public weight vector d = (1, 2, .., 2^(B-1),
 * 0, .., 0) in place of the paper's 2^n, i.e. it shows v = <aL, d> G +
 * r H with aL in {0,1}^n, so m = sum_{i<B} 2^i aL_i < 2^B (the extra bits
 * weigh nothing; an honest prover sets them to 0).  The argument of
 * section 4.2 never uses what the public vector is, only that it is
 * public: this is the aggregated proof's z^j 2^n with a zero block.
 *
 * A link proof (Sigma: Tu = k_r G, Tv = k_m G + k_r H, z_r = k_r + e r,
 * z_m = k_m + e m) shows knowledge of (m, r) with u = r G and
 * v = m G + r H, so u and v share r and the whole is a proof of knowledge
 * of the plaintext, bound by the transcript to the label: an input cannot
 * be copied under another label or key.
 *
 * One Fiat-Shamir transcript, a SHA-256 chain: st0 = SHA-256(CCC_BP_DST
 * || 0x00 || key_id || u64be(epoch) || u32be(clen) || context ||
 * u32be(B) || u32be(n) || u32be(adlen) || ad), ad being the caller's
 * (additive inputs: the value's index, their count and a hash of every
 * value's u and v, so values cannot be moved between inputs); absorbing items sets st = SHA-256(st || items)
 * and a challenge is st reduced mod the order:
 *   u v Tu Tv A S -> y;  (nothing) -> z;  T1 T2 -> x;
 *   t_hat tau_x mu -> w (U' = w U);  L_j R_j -> x_j (j = 1..log n);
 *   a b -> e (the link proof's challenge).
 * A zero challenge is refused (probability about 2^-256).
 *
 * The proof, CCC_BP_PROOF_BYTES(B) bytes: the points (SEC1 uncompressed)
 * Tu Tv A S T1 T2 L_1..L_k R_1..R_k (k = log2 n), then the 32-byte
 * scalars t_hat tau_x mu a b z_m z_r.  For B = 32: 16 points and 7
 * scalars, 1264 bytes.
 *
 * Verification of many proofs is one EC_POINTs_mul a batch: each proof's
 * four equations (inner product, t(x), the two link equations) times
 * independent random 128-bit weights, summed; the 2n + 3 shared bases'
 * scalars (G_i, H_i, U, G, H) added up, so a proof costs 8 + 2 log n
 * points of its own (18 for B = 32).  A forged proof passes with
 * probability about 2^-128.  A failed batch is checked proof by proof to
 * name the first bad one.
 *
 * Scalars derived from secrets are BN_secure_new and BN_clear_free'd;
 * the multiplications with secret scalars use EC_POINT_mul and
 * EC_POINTs_mul (nistz256: constant-time windows).
 */
#ifndef CCC_BULLETPROOF_H
#define CCC_BULLETPROOF_H

#include <stddef.h>
#include <stdint.h>

#include "ec.h"
#include "hash.h"
#include "tdh2.h"

#define CCC_BP_DST "CCC-BULLETPROOF-V1-P256_XMD:SHA-256_SSWU_RO_"
#define CCC_BP_MAX_BITS 32
#define CCC_BP_GENS 64
#define CCC_BP_MAX_ROUNDS 5
#define CCC_BP_SCALARS 7	/* t_hat tau_x mu a b z_m z_r */

/* n: the next power of two >= bits; k = log2 n rounds. */
uint32_t ccc_bp_n(uint32_t bits);
uint32_t ccc_bp_rounds(uint32_t bits);
/* The proof's size for bits (1 to CCC_BP_MAX_BITS). */
#define CCC_BP_PROOF_BYTES_K(k) \
	((6 + 2 * (size_t)(k)) * CCC_POINT_BYTES + \
	CCC_BP_SCALARS * CCC_SCALAR_BYTES)
size_t ccc_bp_proof_bytes(uint32_t bits);
#define CCC_BP_PROOF_MAX CCC_BP_PROOF_BYTES_K(CCC_BP_MAX_ROUNDS)

/*
 * What a proof is about: views, valid while the caller's bytes live.
 * u, v: CCC_POINT_BYTES each; proof: ccc_bp_proof_bytes(bits).
 */
struct ccc_bp_stmt {
	const uint8_t *key_id;	/* 32 bytes */
	uint64_t epoch;
	const char *context;
	size_t clen;
	uint32_t bits;
	const uint8_t *u, *v, *proof;
	/* extra bytes bound into the transcript (the caller's), or NULL */
	const uint8_t *ad;
	size_t adlen;
};

/*
 * Encrypt m under pub: draw r (into the caller's BIGNUM, which should be
 * BN_secure_new and is BN_FLG_CONSTTIME here; the caller clears it) and
 * write u = rG and v = mG + rH (CCC_POINT_BYTES each).  CCC_E_CRYPTO if
 * OpenSSL fails.
 */
int ccc_bp_commit(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    uint64_t m, BIGNUM *r, uint8_t *u, uint8_t *v, struct ccc_err *err)
    CCC_WUR;

/*
 * Prove that st->u, st->v (made by ccc_bp_commit with m and r) hold
 * m < 2^st->bits: the proof written to proof (ccc_bp_proof_bytes(bits)).
 * The randomness (the blinding vectors, the nonces) is fresh, in secure
 * BIGNUMs, cleared at every exit.  CCC_E_USAGE for bits outside 1..32,
 * CCC_E_FIELD if m >= 2^bits, CCC_E_CRYPTO if OpenSSL fails.
 */
int ccc_bp_prove(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_bp_stmt *st, const BIGNUM *r, uint64_t m,
    uint8_t *proof, struct ccc_err *err) CCC_WUR;

/*
 * Verify st[0..n-1] (all under pub's key: the caller has checked key_id
 * and epoch), batched.  0 if every proof holds; else *bad is the first at
 * fault: CCC_E_POINT/CCC_E_SCALAR (with the field) for an encoding,
 * CCC_E_CIPHERTEXT "range proof does not verify".  Public inputs only:
 * nothing here is constant time.
 */
int ccc_bp_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_bp_stmt *st, size_t n, size_t *bad,
    struct ccc_err *err) CCC_WUR;

#ifdef CCC_TEST_HOOKS
/*
 * Test hook: when set, ccc_bp_prove takes m >= 2^bits and proves its low
 * n bits as if they were the value (a cheating contributor); the
 * verifier must refuse what it makes.
 */
extern int ccc_bp_test_out_of_range;
#endif

/* Internal to bulletproof*.c: the generators and the transcript. */
struct ccc_bp_gens {
	EC_POINT *g[CCC_BP_GENS], *h[CCC_BP_GENS], *u;
};
int ccc_bp_gens_get(const struct ccc_bp_gens **out) CCC_WUR;

struct ccc_bp_tr {
	uint8_t st[32];
	struct ccc_sha256 h;	/* open while items are being absorbed */
	int open;
};
void ccc_bp_tr_init(struct ccc_bp_tr *t, const struct ccc_bp_stmt *st);
void ccc_bp_tr_add(struct ccc_bp_tr *t, const void *p, size_t len);
/* Close an open hash (error paths: the thread's digest context). */
void ccc_bp_tr_end(struct ccc_bp_tr *t);
/* Close the absorbed items into st; c = st mod n.  CCC_E_CIPHERTEXT if 0. */
int ccc_bp_tr_challenge(struct ccc_ec *ec, struct ccc_bp_tr *t, BIGNUM *c)
    CCC_WUR;

#endif
