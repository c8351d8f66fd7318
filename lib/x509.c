/* X.509 certificates parsed and described, never judged. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "hash.h"
#include "x509.h"

X509 *
ccc_x509_parse(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	X509 *x;

	if (n > LONG_MAX || (x = d2i_X509(NULL, &q, (long)n)) == NULL) {
		ERR_clear_error();	/* the caller names the failure */
		return NULL;
	}
	if (q != p + n) {
		X509_free(x);
		return NULL;
	}
	return x;
}

void
ccc_x509_time(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "(unknown)");
}

/* The name in RFC 2253 form, allocated (NULL if out of memory). */
static char *
name_dup(const X509_NAME *nm)
{
	BIO *b;
	char *p, *s = NULL;
	long n;

	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	/* RFC 2253 escapes control and non-ASCII bytes: plain ASCII out. */
	if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253) >= 0) {
		if ((n = BIO_get_mem_data(b, &p)) < 0)
			n = 0;
		if ((s = malloc((size_t)n + 1)) != NULL) {
			memcpy(s, p, (size_t)n);
			s[n] = '\0';
		}
	}
	BIO_free(b);
	return s;
}

void
ccc_x509_name(const X509_NAME *nm, char *buf, size_t size)
{
	char *s = name_dup(nm);

	snprintf(buf, size, "%s", s != NULL ? s : "");
	free(s);
}

/* The serial in lowercase hex, its bytes as encoded; -1 if too long. */
static int
serial_hex(const ASN1_INTEGER *a, char *buf, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *d = ASN1_STRING_get0_data(a);
	size_t i, n = (size_t)ASN1_STRING_length(a), at = 0;

	if (n == 0 || n > 20 || 2 * n + 2 > size)
		return -1;
	if (ASN1_STRING_type(a) == V_ASN1_NEG_INTEGER)
		buf[at++] = '-';
	for (i = 0; i < n; i++) {
		buf[at++] = digits[d[i] >> 4];
		buf[at++] = digits[d[i] & 15];
	}
	buf[at] = '\0';
	return 0;
}

int
ccc_x509_describe(struct ccc_x509_info *in, const uint8_t *p, size_t n)
{
	X509 *x;
	int rc = 0;

	memset(in, 0, sizeof(*in));
	if ((x = ccc_x509_parse(p, n)) == NULL)
		return CCC_E_MALFORMED;
	if (serial_hex(X509_get0_serialNumber(x), in->serial,
	    sizeof(in->serial)) != 0)
		rc = CCC_E_MALFORMED;
	else if ((in->subject = name_dup(X509_get_subject_name(x))) == NULL ||
	    (in->issuer = name_dup(X509_get_issuer_name(x))) == NULL)
		rc = CCC_E_NOMEM;
	if (rc == 0) {
		ccc_x509_time(X509_get0_notBefore(x), in->not_before,
		    sizeof(in->not_before));
		ccc_x509_time(X509_get0_notAfter(x), in->not_after,
		    sizeof(in->not_after));
		ccc_sha256(in->sha256, p, n);
	} else
		ccc_x509_info_free(in);
	X509_free(x);
	return rc;
}

void
ccc_x509_info_free(struct ccc_x509_info *in)
{
	free(in->subject);
	free(in->issuer);
	in->subject = in->issuer = NULL;
}
