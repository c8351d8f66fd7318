/*
 * ES384 (ECDSA on P-384 with SHA-384) verified with precomputed multiples
 * of the key, for a process that checks many signatures of one key: a
 * serving node or oracle checks an attestation document of the same
 * enclave for every request (lib/attest_chain.c keeps the table with the
 * enclave's chain).  OpenSSL 3.0 verifies P-384 with a variable-base
 * multiplication of about 384 doublings; with a table of the key's
 * multiples and one of the generator's, both products are fixed-base and
 * a verification costs about a third of that (a table costs about four
 * verifications to build).  Every operation is OpenSSL's; only the steps
 * of the verification (SEC 1 v2, section 4.1.4) are written here, and
 * tests/unit/test_es384.c checks them against OpenSSL's own verification.
 */
#ifndef CCC_ES384_H
#define CCC_ES384_H

#include <stdint.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

/*
 * A table of the multiples of pub's point (pub: an EC key on P-384, as
 * X509_get0_pubkey gives a certificate's): a P-384 group whose generator
 * is that point.  NULL on failure (nothing is left on OpenSSL's error
 * queue).  EC_GROUP_free frees it; EC_GROUP_dup shares the table.
 */
EC_GROUP *ccc_es384_table(EVP_PKEY *pub);

/*
 * Whether sig, r || s (48 bytes each, RFC 9053), is pub's signature of
 * the SHA-384 digest dgst, with tab made of pub's point (checked): 1 it
 * is, 0 it is not (r or s out of [1, n-1] included), -1 an error
 * (memory, a table of another key).
 */
int ccc_es384_verify(const EC_GROUP *tab, EVP_PKEY *pub,
    const uint8_t dgst[48], const uint8_t sig[96]);

#endif
