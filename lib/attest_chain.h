/*
 * The certificate chains this process has verified (lib/attest_chain.c):
 * a chain validated once is not validated again while the check time
 * stays strictly inside the validity of all its certificates, and its
 * leaf certificate is not parsed again.
 */
#ifndef CCC_ATTEST_CHAIN_H
#define CCC_ATTEST_CHAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "nitro.h"

/* The chain's key: SHA-256 of the leaf's and the cabundle's bytes. */
void ccc_attest_chain_key(const struct ccc_nitro_doc *d, uint8_t key[32]);
/* Whether the chain of key verified here, and t is inside its window. */
bool ccc_attest_chain_known(const uint8_t key[32], time_t t);
/*
 * The leaf certificate of the chain of key as parsed when it was kept (a
 * reference for the caller to free), whatever the time; NULL if not kept.
 */
X509 *ccc_attest_chain_leaf(const uint8_t key[32]);
/*
 * A table of the leaf key's multiples for the chain of key (lib/es384.h)
 * once its documents are many, or NULL: kept with the chain, built from
 * its leaf once asked for TABLE_AFTER times, given as a reference of the
 * caller's (ccc_es384_tab_free).  leaf: the certificate the document
 * names, which must be the chain's.
 */
struct ccc_es384_tab *ccc_attest_chain_table(const uint8_t key[32],
    X509 *leaf);
/* Keep the chain of key (leaf, then cab[0..ncab-1]) as verified. */
void ccc_attest_chain_remember(const uint8_t key[32], X509 *leaf, X509 **cab,
    size_t ncab);

#endif
