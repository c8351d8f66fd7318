/*
 * ES384 (ECDSA on P-384 with SHA-384) verified with precomputed multiples
 * of the key, for a process that checks many signatures of one key: a
 * serving node or oracle checks an attestation document of the same
 * enclave for every request (lib/attest_chain.c keeps the table with the
 * enclave's chain).  OpenSSL 3.0 verifies P-384 with a variable-base
 * multiplication of about 384 doublings (about 1.1 ms here); with a table
 * of the key's multiples and one of the generator's (lib/es384.c: for
 * each 5-bit window, its 16 multiples), both products are additions of
 * table entries only, about 75 each and no doubling, and the check of x(R)
 * needs no inversion: about a fifth of that.  A table costs about three of
 * OpenSSL's verifications to build and some 0.45 MB.  Every operation on
 * points is OpenSSL's; only the steps of the verification (SEC 1 v2,
 * section 4.1.4) and the choice of table entries are written here, and
 * tests/unit/test_es384.c checks them against OpenSSL's own verification.
 */
#ifndef CCC_ES384_H
#define CCC_ES384_H

#include <stdint.h>

#include <openssl/evp.h>

/*
 * A table of the multiples of pub's point (pub: an EC key on P-384, as
 * X509_get0_pubkey gives a certificate's).  NULL on failure (nothing is
 * left on OpenSSL's error queue).  Counted references: ccc_es384_tab_ref
 * takes one more, ccc_es384_tab_free drops one (NULL: nothing); a table
 * is only read, by any number of threads.
 */
struct ccc_es384_tab;
struct ccc_es384_tab *ccc_es384_table(EVP_PKEY *pub);
struct ccc_es384_tab *ccc_es384_tab_ref(struct ccc_es384_tab *t);
void ccc_es384_tab_free(struct ccc_es384_tab *t);

/*
 * Whether sig, r || s (48 bytes each, RFC 9053), is pub's signature of
 * the SHA-384 digest dgst, with tab made of pub's point (checked): 1 it
 * is, 0 it is not (r or s out of [1, n-1] included), -1 an error
 * (memory, a table of another key).
 */
int ccc_es384_verify(const struct ccc_es384_tab *tab, EVP_PKEY *pub,
    const uint8_t dgst[48], const uint8_t sig[96]);

#endif
