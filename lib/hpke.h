/*
 * HPKE (RFC 9180), base mode, one suite only: DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, ChaCha20-Poly1305 (kem 0x0020, kdf 0x0001, aead 0x0003).
 *
 * X25519 and the AEAD come from libsodium, HKDF from OpenSSL's EVP_KDF;
 * this module is only the protocol layer.  sodium_init() must have been
 * called first.  A context is not safe for concurrent use: seal and open
 * advance its sequence number.  No function here prints or keeps a secret
 * outside the caller's buffers: every intermediate secret is wiped on
 * every return path.
 */
#ifndef CCC_HPKE_H
#define CCC_HPKE_H

#include <stddef.h>
#include <stdint.h>

#include "ccc.h"

#define CCC_HPKE_PK_BYTES 32
#define CCC_HPKE_SK_BYTES 32
#define CCC_HPKE_ENC_BYTES 32
#define CCC_HPKE_TAG_BYTES 16
/* Longest exporter context: OpenSSL caps HKDF's info at 1024 bytes. */
#define CCC_HPKE_EXPORT_CTX_MAX 1002
/* Longest export: HKDF-SHA256 Expand gives at most 255 * 32 bytes. */
#define CCC_HPKE_EXPORT_MAX 8160

/* The secrets of one direction of one HPKE context.  Wipe it when done. */
struct ccc_hpke_ctx {
	uint8_t key[32];
	uint8_t base_nonce[12];
	uint64_t seq;
	uint8_t exporter_secret[32];
};

/*
 * Sender setup (SetupBaseS): encapsulate to pkR and derive ctx; enc (the
 * ephemeral public key) must be sent to the recipient.  ikmE NULL gives a
 * fresh random ephemeral key (randombytes_buf); a non-NULL ikmE (at least
 * 32 bytes) derives it with DeriveKeyPair and is for known-answer tests
 * only.  Errors: CCC_E_FIELD for a pkR giving an all-zero DH output
 * (low-order point) or a short ikmE, CCC_E_NOMEM, CCC_E_CRYPTO.  On error
 * ctx and enc are zeroed.  Wipes the ephemeral key and every intermediate.
 */
int ccc_hpke_setup_s(struct ccc_hpke_ctx *ctx, uint8_t enc[32],
    const uint8_t pkR[32], const uint8_t *info, size_t info_len,
    const uint8_t *ikmE, size_t ikmE_len) CCC_WUR;

/*
 * Recipient setup (SetupBaseR): decapsulate enc with skR and derive ctx.
 * Errors: CCC_E_FIELD for an enc giving an all-zero DH output, CCC_E_NOMEM,
 * CCC_E_CRYPTO.  A wrong key or info is not detected here but by the first
 * open.  On error ctx is zeroed.  Wipes every intermediate.
 */
int ccc_hpke_setup_r(struct ccc_hpke_ctx *ctx, const uint8_t enc[32],
    const uint8_t skR[32], const uint8_t *info, size_t info_len) CCC_WUR;
/*
 * The same with the recipient's public key given (it must be skR's: a
 * wrong one makes every open fail), saving the X25519 that derives it.
 */
int ccc_hpke_setup_r_pk(struct ccc_hpke_ctx *ctx, const uint8_t enc[32],
    const uint8_t skR[32], const uint8_t pkR[32], const uint8_t *info,
    size_t info_len) CCC_WUR;

/*
 * Encrypt pt with the next sequence number and advance it.  ct receives
 * pt_len + 16 bytes; ct may equal pt.  Errors: CCC_E_FIELD for a pt_len
 * the AEAD cannot take, CCC_E_STATE once the sequence number is exhausted
 * (2^64 - 1 messages: the context must then be dropped), CCC_E_CRYPTO; on
 * error ct is untouched and the sequence number is unchanged.
 */
int ccc_hpke_seal(struct ccc_hpke_ctx *ctx, uint8_t *ct, const uint8_t *aad,
    size_t aad_len, const uint8_t *pt, size_t pt_len) CCC_WUR;

/*
 * Decrypt ct (ciphertext and 16-byte tag) with the next sequence number and
 * advance it on success only.  pt receives ct_len - 16 bytes; pt may equal
 * ct.  Every failure (bad tag, wrong key, aad, info or order, short ct,
 * exhausted sequence) is CCC_E_DECRYPT, and pt is zeroed.
 */
int ccc_hpke_open(struct ccc_hpke_ctx *ctx, uint8_t *pt, const uint8_t *aad,
    size_t aad_len, const uint8_t *ct, size_t ct_len) CCC_WUR;

/*
 * Export out_len bytes (1 to CCC_HPKE_EXPORT_MAX) bound to exp_ctx (at
 * most CCC_HPKE_EXPORT_CTX_MAX bytes).  Errors: CCC_E_FIELD for a length
 * out of range, CCC_E_CRYPTO; on error out is zeroed.
 */
int ccc_hpke_export(const struct ccc_hpke_ctx *ctx, uint8_t *out,
    size_t out_len, const uint8_t *exp_ctx, size_t exp_ctx_len) CCC_WUR;

/* Zero the whole context. */
void ccc_hpke_ctx_wipe(struct ccc_hpke_ctx *ctx);

/*
 * DeriveKeyPair for X25519: a key pair from ikm (at least 32 bytes of
 * entropy).  Errors: CCC_E_FIELD for ikm shorter than 32 bytes,
 * CCC_E_NOMEM, CCC_E_CRYPTO; on error sk and pk are zeroed.  Wipes the
 * intermediate PRK.
 */
int ccc_hpke_derive_keypair(uint8_t sk[32], uint8_t pk[32],
    const uint8_t *ikm, size_t ikm_len) CCC_WUR;

/*
 * A fresh random key pair (randombytes_buf).  Errors: CCC_E_CRYPTO; on
 * error sk and pk are zeroed.
 */
int ccc_hpke_keygen(uint8_t sk[32], uint8_t pk[32]) CCC_WUR;

#endif
