/*
 * TDH2 (Shoup-Gennaro 2001) on P-256, byte-compatible with Chainlink's
 * deployed encryptor (@chainlink/functions-toolkit 0.3.2 dist/tdh2.js):
 *
 *   H1(P)   = SHA256("tdh2hash1" || "P256" "," hex(P))
 *   H2(...) = SHA256("tdh2hash2" || c || L || "P256" ("," hex(P))x4) mod n
 *
 * (Every released smartcontractkit/tdh2, Go and JavaScript, uses SHA-256
 * for H1, H2 and H4, as this toolkit does; a SHA-512 variant lived only on
 * an unmerged audit branch and was reverted.)
 *
 * Decryption shares use the toolkit's own proof, which binds the statement
 * and its context (see ccc_tdh2_share_bind), or Chainlink's H4.  Points are passed both as
 * EC_POINTs and as their received encodings, so nothing is re-encoded just
 * to be hashed.
 */
#ifndef CCC_TDH2_H
#define CCC_TDH2_H

#include <stdint.h>

#include "ec.h"

#define CCC_TDH2_MSG_BYTES 32
#define CCC_TDH2_LABEL_BYTES 32
#define CCC_TDH2_MAX_N 255	/* node numbers fit in one byte */

/* A threshold public key, decoded and validated. */
struct ccc_tdh2_pub {
	uint32_t t, n;
	uint64_t epoch;
	uint8_t key_id[32];
	uint8_t h_enc[CCC_POINT_BYTES];
	uint8_t gbar_enc[CCC_POINT_BYTES];
	uint8_t (*hi_enc)[CCC_POINT_BYTES];	/* n entries, node i at i-1 */
	EC_POINT *h, *gbar;
	EC_POINT **hi;
	/*
	 * Optional fixed-base tables (ccc_tdh2_pub_precompute, _nodes), NULL
	 * until built; hi_tab has n entries, each NULL or node i's table at
	 * i-1.  Read-only once built: threads may share the pub.  The struct
	 * owns them, so it must not be copied by value.
	 */
	EC_GROUP *h_tab, *gbar_tab;
	EC_GROUP **hi_tab;
};

/* The TDH2 part of a ciphertext, as encoded. */
struct ccc_tdh2_ct {
	uint8_t c[32];
	uint8_t label[32];
	uint8_t u[CCC_POINT_BYTES];
	uint8_t u_bar[CCC_POINT_BYTES];
	uint8_t e[32];
	uint8_t f[32];
};

/* A decryption share of node `index` (1-based), as encoded. */
struct ccc_tdh2_dshare {
	uint32_t index;
	uint8_t u_i[CCC_POINT_BYTES];
	uint8_t e_i[32];
	uint8_t f_i[32];
};

/* Allocate the point members of pub for n nodes (n <= CCC_TDH2_MAX_N). */
int ccc_tdh2_pub_alloc(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    uint32_t n) CCC_WUR;
/* Free pub's points and tables; pub is left zeroed (freeing twice is safe). */
void ccc_tdh2_pub_free(struct ccc_tdh2_pub *pub);

/*
 * For many ciphertexts under one key in one process: build fixed-base
 * tables for h and g_bar (see ccc_ec_table_new; ~50 ms and 296 KiB for
 * both).  ccc_tdh2_encrypt then makes r*h, r*g_bar and s*g_bar from them
 * (~210 -> ~75 us an encryption: worth it past ~400 of them), and
 * ccc_tdh2_verify f*g_bar (5-9% less: alone, worth it only past several
 * thousand verifications).  What is made and accepted does not depend on
 * the tables.  Call it before sharing pub between threads; calling it
 * again does nothing.
 */
int ccc_tdh2_pub_precompute(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    struct ccc_err *err) CCC_WUR;

/*
 * Tables for the verification keys h_i of the 1-based nodes[0..k-1] (every
 * node when nodes is NULL), for a batch of ccc_tdh2_share_verify: h_hat =
 * f*G - e*h_i becomes two fixed-base multiplications (~147 -> ~103 us a
 * share).  ~25 ms and 148 KiB a node: worth it past ~600 shares of that
 * node.  Nodes that have a table keep it.  CCC_E_FIELD for a node number
 * outside 1..n (then nothing is built).
 */
int ccc_tdh2_pub_precompute_nodes(struct ccc_ec *ec,
    struct ccc_tdh2_pub *pub, const uint32_t *nodes, size_t k,
    struct ccc_err *err) CCC_WUR;

/*
 * Trusted dealer: pub (allocated for n nodes, key_id set by the caller)
 * receives t, h, g_bar = hash_to_curve(key_id) and every h_i; x[0..n-1]
 * (BN_secure_new'ed by the caller) receive the shares x_i = p(i) of a
 * random polynomial of degree t-1.  The coefficients are wiped.
 */
int ccc_tdh2_deal(struct ccc_ec *ec, struct ccc_tdh2_pub *pub, BIGNUM **x,
    uint32_t t, struct ccc_err *err) CCC_WUR;

/* g_bar of a key id: RFC 9380 P256_XMD:SHA-256_SSWU_RO_ with CCC_GBAR_DST. */
#define CCC_GBAR_DST "ccc/g_bar/v1:P256_XMD:SHA-256_SSWU_RO_"
int ccc_tdh2_gbar(uint8_t out[CCC_POINT_BYTES], const uint8_t key_id[32])
    CCC_WUR;

/*
 * Encrypt the 32-byte m under pub with label.  The randomness r, s is
 * fresh and wiped.
 */
int ccc_tdh2_encrypt(struct ccc_ec *ec, struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_pub *pub, const uint8_t m[32],
    const uint8_t label[32], struct ccc_err *err) CCC_WUR;

/*
 * The same, with the commitments of the proof, w = s*G and w_bar =
 * s*g_bar, into comm[0], comm[1] (NULL: not wanted), for a batch check
 * (lib/batchverify.h).
 */
int ccc_tdh2_encrypt_comm(struct ccc_ec *ec, struct ccc_tdh2_ct *ct,
    uint8_t (*comm)[CCC_POINT_BYTES], const struct ccc_tdh2_pub *pub,
    const uint8_t m[32], const uint8_t label[32], struct ccc_err *err)
    CCC_WUR;

/*
 * The challenges, as raw digests (reduce mod n to compare):
 * H2(c, label, u, w, u_bar, w_bar) of a ciphertext's proof, and a
 * decryption share's (ccc's, or Chainlink's H4 when bind is NULL; see
 * ccc_tdh2_share).
 */
void ccc_tdh2_ct_challenge(uint8_t out[32], const uint8_t c[32],
    const uint8_t label[32], const uint8_t *u, const uint8_t *w,
    const uint8_t *ub, const uint8_t *wb);
void ccc_tdh2_share_challenge(uint8_t out[32], const uint8_t bind[32],
    const uint8_t *u, const uint8_t *hi, const uint8_t *ui,
    const uint8_t *uhat, const uint8_t *hhat);

/*
 * Check the ciphertext's proof (one double multiplication plus one two-point
 * multiplication).  CCC_E_POINT/CCC_E_SCALAR for bad encodings,
 * CCC_E_CIPHERTEXT if the proof does not verify.
 */
int ccc_tdh2_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, struct ccc_err *err) CCC_WUR;

/*
 * The 32-byte context every decryption-share proof binds:
 * SHA256("ccc/tdh2-share-bind/v1" || key_id || u64be(epoch) ||
 *        u32be(index) || ct_digest || u32be(len) || context).
 */
void ccc_tdh2_share_bind(uint8_t out[32], const uint8_t key_id[32],
    uint64_t epoch, uint32_t index, const uint8_t ct_digest[32],
    const uint8_t *context, size_t context_len);

/*
 * Decryption share of node index (1-based) holding secret x_i, for a
 * ciphertext that the caller has verified.  The proof is
 *   e_i = SHA256("ccc/tdh2-share-proof/v1" || bind || u || h_i || u_i ||
 *                u_hat || h_hat) mod n,  f_i = s_i + x_i e_i.
 * With bind NULL the proof is Chainlink's (tdh2easy's DecryptionShare):
 *   e_i = H4 = SHA256("tdh2hash4" || "P256" ("," hex(P)) for u_i, u_hat,
 *              h_hat) mod n,
 * which binds neither the key, the ciphertext nor a recipient.
 */
int ccc_tdh2_share(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    const struct ccc_tdh2_pub *pub, const BIGNUM *x_i, uint32_t index,
    const struct ccc_tdh2_ct *ct, const uint8_t bind[32],
    struct ccc_err *err) CCC_WUR;

/* The same, with the proof's commitments u_hat = s*u, h_hat = s*G into
 * comm[0], comm[1] (NULL: not wanted), for a batch check. */
int ccc_tdh2_share_comm(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    uint8_t (*comm)[CCC_POINT_BYTES], const struct ccc_tdh2_pub *pub,
    const BIGNUM *x_i, uint32_t index, const struct ccc_tdh2_ct *ct,
    const uint8_t bind[32], struct ccc_err *err) CCC_WUR;

/* Verify a decryption share: CCC_E_SHARE if its proof does not verify
 * (bind NULL: Chainlink's proof, as above). */
int ccc_tdh2_share_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, const struct ccc_tdh2_dshare *ds,
    const uint8_t bind[32], struct ccc_err *err) CCC_WUR;

/*
 * Combine k verified shares of distinct nodes (k >= pub->t; the first t are
 * used) into the 32-byte message: one k-point multiplication, Lagrange
 * coefficients with one batched inversion.  Wipes h^r.
 */
int ccc_tdh2_combine(struct ccc_ec *ec, uint8_t m[32],
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_dshare *const *ds, size_t k,
    struct ccc_err *err) CCC_WUR;

/*
 * The same up to the point: out = u^x (the encoding of sum lambda_i u_i
 * over the first t shares), secret when u is a ciphertext's.
 */
int ccc_tdh2_combine_point(struct ccc_ec *ec, uint8_t out[CCC_POINT_BYTES],
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_dshare *const *ds,
    size_t k, struct ccc_err *err) CCC_WUR;

/* The message: H1(hr) XOR ct's c, hr = u^x encoded (as ccc_tdh2_combine). */
void ccc_tdh2_message(uint8_t m[32], const uint8_t hr[CCC_POINT_BYTES],
    const struct ccc_tdh2_ct *ct);

/*
 * Lagrange coefficients at 0 for the 1-based node numbers xs[0..k-1]
 * (distinct), into lambda[0..k-1] (allocated by the caller): one
 * inversion, O(k) modular multiplications and k^2 machine-word products
 * of differences.  CCC_E_DUPLICATE for a repeated number, CCC_E_FIELD
 * for 0.
 */
int ccc_tdh2_lagrange(struct ccc_ec *ec, BIGNUM **lambda, const uint32_t *xs,
    size_t k) CCC_WUR;

#endif
