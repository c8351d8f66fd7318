/*
 * Private tokens (ccc(7) PRIVATE TOKENS): a transfer signed by its sender,
 * the application's record of the nonces it accepted, and an oracle's
 * chain of balance tables.
 *
 * A ccc/transfer/v1 blob names its sender's and recipient's identity keys,
 * a nonce and the amount, a ccc/ct/v1 ciphertext; the sender signs the
 * blob's encoding without its signature field under the purpose
 * "ccc/transfer/v1" (lib/identity.h), so no other signature of the
 * toolkit is a transfer's.
 *
 * Functions return 0 or a negative CCC_E_*, never print; decoded values
 * are views into the caller's bytes.
 */
#ifndef CCC_TRANSFER_H
#define CCC_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"
#include "identity.h"

#define CCC_TRANSFER_PURPOSE "ccc/transfer/v1"
#define CCC_TRANSFER_AMOUNT_MAX 4096	/* bytes of the amount ciphertext */
#define CCC_NONCES_MAX (1u << 20)	/* bytes of a nonce record */
#define CCC_CHAIN_MAX 512		/* bytes of a chain file */

struct ccc_transfer {
	const uint8_t *sender, *recipient;	/* 32-byte Ed25519 keys */
	uint64_t nonce;
	const uint8_t *amount;			/* the ccc/ct/v1 blob */
	size_t amount_len;
	const uint8_t *sig;			/* NULL: unsigned */
};

/* Make a signed transfer of the ciphertext ct from k to the key to. */
int ccc_transfer_make(struct ccc_buf *out, const struct ccc_identity *k,
    const uint8_t to[CCC_ID_PK_BYTES], uint64_t nonce, const uint8_t *ct,
    size_t ctlen, struct ccc_err *err) CCC_WUR;
/* Decode a transfer (views into p); its signature is not checked. */
int ccc_transfer_decode(struct ccc_transfer *t, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/*
 * Verify a decoded transfer: signed (else CCC_E_SIGNATURE, "unsigned"),
 * from the key from, to the key to, and its signature verifies.
 */
int ccc_transfer_verify(const struct ccc_transfer *t,
    const uint8_t from[CCC_ID_PK_BYTES], const uint8_t to[CCC_ID_PK_BYTES],
    struct ccc_err *err) CCC_WUR;

/*
 * The nonce record, a text file of lines "ID NONCE" (ID the sender's
 * identity id in hex, NONCE the last nonce accepted from it), missing
 * when empty: a nonce not above the sender's last is CCC_E_REPLAY;
 * else *rec (initialised by the caller) is the record with it accepted.
 */
int ccc_nonces_accept(struct ccc_buf *rec, const char *path,
    const uint8_t id[CCC_ID_BYTES], uint64_t nonce, struct ccc_err *err)
    CCC_WUR;

/*
 * The chain file an oracle keeps for an application's table, one line
 *   ccc-chain/v1 APP SEQ HEAD
 * (HEAD the SHA-256, in hex, of the table's current ciphertext; SEQ the
 * results certified since the first table).  A result continues the chain
 * when it is for APP, its output is a threshold ciphertext and its first
 * input is HEAD; then *next is the line with SEQ + 1 and the output's
 * digest.  A stale or forked table is CCC_E_POLICY.
 */
struct ccc_result;
/* The first line of a chain: APP's table starts at the ciphertext ct. */
int ccc_chain_start(struct ccc_buf *out, const char *app, const uint8_t *ct,
    size_t len, struct ccc_err *err) CCC_WUR;
int ccc_chain_next(struct ccc_buf *next, const char *path,
    const struct ccc_result *r, struct ccc_err *err) CCC_WUR;

#endif
