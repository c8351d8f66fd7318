/*
 * Decryption shares as Chainlink's Vault DON carries them (lib/vault.c):
 * tdh2easy DecryptionShare JSON (lib/json.h), sealed with libsodium's
 * crypto_box_seal (NaCl box.SealAnonymous) to the recipient's X25519 key,
 * the sealed bytes written as lowercase hex, as a Vault node's
 * EncryptedShares.shares are.  A reader takes a share in any of the
 * carriages in use: hex, "b64:" and standard base64, plain standard
 * base64, or the DecryptionShare JSON itself (not sealed).
 */
#ifndef CCC_VAULT_H
#define CCC_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"
#include "tdh2.h"

/* Append ds sealed to pk, in hex, and a newline. */
int ccc_vault_share_seal(struct ccc_buf *out, const struct ccc_tdh2_dshare *ds,
    const uint8_t pk[32]) CCC_WUR;
/*
 * One carried share (p[0..len), no newline) -> ds, a share of a key of n
 * nodes; a sealed one is opened with sk and pk (the recipient's X25519
 * key pair; NULL: sealed shares are refused).  CCC_E_MALFORMED for a bad
 * carriage, CCC_E_DECRYPT when it does not open, the JSON's errors
 * otherwise.  Opened bytes are wiped.
 */
int ccc_vault_share_open(struct ccc_tdh2_dshare *ds, const char *p,
    size_t len, const uint8_t *sk, const uint8_t *pk, uint32_t n,
    struct ccc_err *err) CCC_WUR;

#endif
