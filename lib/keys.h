/*
 * Loading and writing the threshold-key blobs: public key, key share,
 * ciphertext (TDH2 + AES-256-GCM hybrid), recipient keys.  Loaders validate
 * everything (CBOR strictly, then every point and scalar) and name the
 * field that is wrong.
 */
#ifndef CCC_KEYS_H
#define CCC_KEYS_H

#include <stdbool.h>

#include "blob.h"
#include "label.h"
#include "tdh2.h"

/* Decode and validate a threshold public key into pub (which it allocates). */
int ccc_tpk_load(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    const uint8_t *p, size_t len, struct ccc_err *err) CCC_WUR;
int ccc_tpk_encode(struct ccc_buf *b, const struct ccc_tdh2_pub *pub) CCC_WUR;

/* A key share.  Allocate with ccc_share_new (sodium_malloc; wiped on free). */
struct ccc_share {
	uint32_t index;
	uint64_t epoch;
	uint8_t key_id[32];
	uint8_t x[32];
};
struct ccc_share *ccc_share_new(void);
void ccc_share_free(struct ccc_share *s);
int ccc_share_load(struct ccc_share *s, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/* Encode into b (use a secret buffer). */
int ccc_share_encode(struct ccc_buf *b, const struct ccc_share *s) CCC_WUR;
/*
 * Check that s belongs to pub: same key id and epoch, index within n and
 * g^x == h_index.  CCC_E_KEY / CCC_E_EPOCH otherwise.
 */
int ccc_share_check(struct ccc_ec *ec, const struct ccc_share *s,
    const struct ccc_tdh2_pub *pub, struct ccc_err *err) CCC_WUR;

/* A ciphertext: views into the blob it was decoded from. */
struct ccc_ct {
	struct ccc_tdh2_ct t;
	const char *context;	/* NULL: unlabelled (all-zero label) */
	size_t context_len;
	uint8_t nonce[12];
	const uint8_t *sym;	/* AES-256-GCM ciphertext || tag */
	size_t sym_len;
	/*
	 * The proof's commitments w = s*G, w_bar = s*g_bar (65 bytes each),
	 * or NULL: public (g^f u^-e recomputes them), a hint that lets many
	 * ciphertexts be checked in one multi-scalar multiplication
	 * (lib/ctcheck.h); the proof (e, f) alone decides.
	 */
	const uint8_t *w, *w_bar;
	const uint8_t *blob;	/* the exact bytes it was decoded from */
	size_t blob_len;
	uint8_t digest_[32];	/* see ccc_ct_digest() */
	bool have_digest;
};

/*
 * SHA-256 of the exact blob bytes, computed on first use: parsing a large
 * ciphertext does not hash its payload unless the digest is needed.
 */
const uint8_t *ccc_ct_digest(struct ccc_ct *ct);

/* Decode a ciphertext blob (label derived from the context). */
int ccc_ct_decode(struct ccc_ct *ct, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err) CCC_WUR;
/* Encode ct (its views must be valid) into b. */
int ccc_ct_encode(struct ccc_buf *b, const struct ccc_ct *ct) CCC_WUR;

/*
 * Hybrid encryption: a fresh 32-byte key K encrypts msg with AES-256-GCM
 * under a random 12-byte nonce (no associated data, tag appended) and is
 * itself TDH2-encrypted with the context's label.  The ciphertext blob is
 * appended to out.  K is wiped.
 */
int ccc_ct_encrypt(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t context_len,
    const uint8_t *msg, size_t msg_len, struct ccc_err *err) CCC_WUR;
/* The same, with the proof's commitments (fields 10 and 11) if hints. */
int ccc_ct_encrypt_hints(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t context_len,
    const uint8_t *msg, size_t msg_len, bool hints, struct ccc_err *err)
    CCC_WUR;

/*
 * Open the AES-256-GCM part with the recovered key into pt (a buffer the
 * caller owns; its contents are replaced).  CCC_E_DECRYPT on any failure,
 * with pt left empty.
 */
int ccc_ct_open_sym(struct ccc_buf *pt, const struct ccc_ct *ct,
    const uint8_t key[32], struct ccc_err *err) CCC_WUR;

/* Recipient (X25519) keys. */
int ccc_recipient_pub_load(uint8_t pk[32], const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
int ccc_recipient_pub_encode(struct ccc_buf *b, const uint8_t pk[32]) CCC_WUR;
/* sk must point to secure memory. */
int ccc_recipient_key_load(uint8_t sk[32], uint8_t pk[32], const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
int ccc_recipient_key_encode(struct ccc_buf *b, const uint8_t sk[32],
    const uint8_t pk[32]) CCC_WUR;

/* Lowercase hex of the first 4 bytes of a 32-byte id, for messages. */
const char *ccc_short_id(const uint8_t id[32]);

#endif
