/*
 * X.509 certificates as an auditor reads them: parsed from exact DER and
 * described in plain ASCII (names in RFC 2253 form, whose escaping turns
 * control and non-ASCII bytes into \XX; times in RFC 3339).  Nothing here
 * judges a certificate: ccc_attest_verify() does (lib/attest.h).
 */
#ifndef CCC_X509_H
#define CCC_X509_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "ccc.h"

/*
 * The certificate whose DER is exactly p[0..n) (no trailing bytes), or
 * NULL.  The caller frees it with X509_free().
 */
X509 *ccc_x509_parse(const uint8_t *p, size_t n);

/* "2024-09-07T14:37:36Z" into buf, or "(unknown)" for NULL or bad. */
void ccc_x509_time(const ASN1_TIME *t, char *buf, size_t size);

/*
 * A name in RFC 2253 form (most specific RDN first), truncated to fit
 * buf; "" if it cannot be printed.
 */
void ccc_x509_name(const X509_NAME *nm, char *buf, size_t size);

/* What ccc-inspect shows of a certificate; strings NUL-terminated. */
struct ccc_x509_info {
	char *subject, *issuer;		/* RFC 2253, allocated */
	char serial[2 * 20 + 2];	/* lowercase hex, "-" if negative */
	char not_before[32], not_after[32];	/* RFC 3339 UTC */
	uint8_t sha256[32];		/* of the DER: the fingerprint */
};

/*
 * Describe the certificate whose DER is exactly p[0..n).  CCC_E_MALFORMED
 * if it is not one (a serial longer than 20 bytes included, RFC 5280
 * 4.1.2.2), CCC_E_NOMEM.  Free with ccc_x509_info_free() on success.
 */
int ccc_x509_describe(struct ccc_x509_info *in, const uint8_t *p, size_t n)
    CCC_WUR;
void ccc_x509_info_free(struct ccc_x509_info *in);

#endif
