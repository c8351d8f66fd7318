/*
 * Ed25519 identities of oracles and nodes, and the toolkit's signatures.
 *
 * A signature is Ed25519 over a domain-separated digest of the exact bytes
 * of a blob and its type:
 *
 *   msg = "ccc/sig/v1" 0x00 || purpose || 0x00 || SHA-256(blob bytes)
 *
 * where purpose is a short ASCII string naming what the signature means
 * (the blob's type string for quorum certificates, "dkg-deal" and so on for
 * protocol messages), so a signature can never be replayed for another
 * purpose or over a re-encoding.
 */
#ifndef CCC_IDENTITY_H
#define CCC_IDENTITY_H

#include "blob.h"
#include "schemas.h"

#define CCC_ID_PK_BYTES 32
#define CCC_ID_SK_BYTES 64	/* libsodium's seed || pk form */
#define CCC_ID_SIG_BYTES 64
#define CCC_ID_BYTES 32		/* id = SHA-256("ccc/id/v1" || pk) */
#define CCC_ID_NAME_MAX 64


/* An identity; allocate with ccc_identity_new (sodium_malloc, wiped). */
struct ccc_identity {
	uint8_t sk[CCC_ID_SK_BYTES];	/* zero when only the public half */
	uint8_t pk[CCC_ID_PK_BYTES];
	uint8_t id[CCC_ID_BYTES];
	char name[CCC_ID_NAME_MAX + 1];	/* optional, "" if none */
	bool has_secret;
};

struct ccc_identity *ccc_identity_new(void);
void ccc_identity_free(struct ccc_identity *k);
/* A fresh key pair; name may be NULL. */
int ccc_identity_generate(struct ccc_identity *k, const char *name) CCC_WUR;
void ccc_identity_id(uint8_t id[CCC_ID_BYTES], const uint8_t pk[32]);
/* Load a public (ccc/identity-pub/v1) or secret (ccc/identity-key/v1) blob;
 * the id in a public blob must match its key. */
int ccc_identity_load(struct ccc_identity *k, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
int ccc_identity_encode_pub(struct ccc_buf *b, const struct ccc_identity *k)
    CCC_WUR;
int ccc_identity_encode_key(struct ccc_buf *b, const struct ccc_identity *k)
    CCC_WUR;

/* Sign p[0..len) for purpose; sig receives 64 bytes. */
int ccc_identity_sign(uint8_t sig[CCC_ID_SIG_BYTES],
    const struct ccc_identity *k, const char *purpose, const uint8_t *p,
    size_t len) CCC_WUR;
/* Verify; CCC_E_SIGNATURE if it does not. */
int ccc_identity_verify(const uint8_t sig[CCC_ID_SIG_BYTES],
    const uint8_t pk[CCC_ID_PK_BYTES], const char *purpose, const uint8_t *p,
    size_t len) CCC_WUR;
/* The same with the blob digest already computed (SHA-256 of the bytes). */
int ccc_identity_sign_digest(uint8_t sig[CCC_ID_SIG_BYTES],
    const struct ccc_identity *k, const char *purpose,
    const uint8_t digest[32]) CCC_WUR;
int ccc_identity_verify_digest(const uint8_t sig[CCC_ID_SIG_BYTES],
    const uint8_t pk[CCC_ID_PK_BYTES], const char *purpose,
    const uint8_t digest[32]) CCC_WUR;

#endif
