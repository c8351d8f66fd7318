/*
 * lib/x509.c: certificates described for ccc-inspect.  The AWS Nitro
 * Enclaves root (tests/vectors/nitro, its facts from the vector's README
 * and AWS's documentation), exact-DER parsing, and certificates made here
 * for the corners: a negative and an over-long serial, control and
 * non-ASCII bytes in a name.
 */
#include "config.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "buf.h"
#include "io.h"
#include "x509.h"
#include "tap.h"

static const char aws_root_sha256[] =
    "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

/* DER of the first certificate of a PEM file, appended to der. */
static int
pem_der(struct ccc_buf *der, const char *path)
{
	struct ccc_buf pem;
	unsigned char *p = NULL;
	X509 *x = NULL;
	BIO *b = NULL;
	int n = -1;

	ccc_buf_init(&pem, 0);
	if (ccc_read_file(&pem, path, 65536, NULL) == 0 &&
	    (b = BIO_new_mem_buf(pem.p, (int)pem.len)) != NULL &&
	    (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL &&
	    (n = i2d_X509(x, &p)) > 0 && ccc_buf_put(der, p, (size_t)n) != 0)
		n = -1;
	OPENSSL_free(p);
	X509_free(x);
	BIO_free(b);
	ccc_buf_free(&pem);
	return n > 0 ? 0 : -1;
}

static void
test_aws_root(void)
{
	struct ccc_x509_info in;
	struct ccc_buf der;
	char hex[65], name[8];
	X509 *x;

	ccc_buf_init(&der, 0);
	if (!ok(pem_der(&der, tap_vector("nitro/aws-nitro-root-g1.pem")) == 0,
	    "the AWS root loads"))
		return;
	if (ok_eq_int(ccc_x509_describe(&in, der.p, der.len), 0,
	    "the AWS root is described")) {
		ok_eq_str(in.subject, "CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US",
		    "its subject, RFC 2253");
		ok_eq_str(in.issuer, in.subject, "self-issued");
		ok_eq_str(in.serial, "f93175681b90afe11d46ccb4e4e7f856",
		    "its serial, without DER's sign byte");
		ok_eq_str(in.not_before, "2019-10-28T13:28:05Z", "not before");
		ok_eq_str(in.not_after, "2049-10-28T14:28:05Z", "not after");
		sodium_bin2hex(hex, sizeof(hex), in.sha256, 32);
		ok_eq_str(hex, aws_root_sha256, "its SHA-256, as AWS prints it");
		ccc_x509_info_free(&in);
		ok(in.subject == NULL && in.issuer == NULL, "freed");
	}
	/* Exact DER only. */
	ok_eq_int(ccc_x509_describe(&in, der.p, der.len - 1), CCC_E_MALFORMED,
	    "one byte short: not a certificate");
	ok_eq_int(ccc_x509_describe(&in, der.p, 0), CCC_E_MALFORMED,
	    "no bytes: not a certificate");
	if (ccc_buf_put(&der, "", 1) == 0) {
		ok(ccc_x509_parse(der.p, der.len) == NULL,
		    "a byte after the DER: not one certificate");
		ok_eq_int(ccc_x509_describe(&in, der.p, der.len),
		    CCC_E_MALFORMED, "... nor described");
		der.len--;
	}
	if (ok((x = ccc_x509_parse(der.p, der.len)) != NULL, "exact DER")) {
		ccc_x509_name(X509_get_subject_name(x), name, sizeof(name));
		ok_eq_str(name, "CN=aws.", "a name truncated to its buffer");
		ccc_x509_time(NULL, name, sizeof(name));
		ok(strncmp(name, "(unknow", 7) == 0, "no time: (unknown)");
		X509_free(x);
	}
	ccc_buf_free(&der);
}

/*
 * A self-signed P-256 certificate with the serial set by serial() and the
 * subject CN cn (bytes, UTF8String), its DER appended to der.
 */
static int
make_cert(struct ccc_buf *der, int (*serial)(ASN1_INTEGER *),
    const char *cn)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509_NAME *nm = X509_NAME_new();
	X509 *x = X509_new();
	unsigned char *p = NULL;
	int n = -1;

	if (k != NULL && nm != NULL && x != NULL &&
	    serial(X509_get_serialNumber(x)) == 1 &&
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) == 1 &&
	    X509_set_subject_name(x, nm) == 1 &&
	    X509_set_issuer_name(x, nm) == 1 &&
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) != NULL &&
	    X509_gmtime_adj(X509_getm_notAfter(x), 60) != NULL &&
	    X509_set_pubkey(x, k) == 1 && X509_sign(x, k, EVP_sha256()) > 0 &&
	    (n = i2d_X509(x, &p)) > 0 && ccc_buf_put(der, p, (size_t)n) != 0)
		n = -1;
	OPENSSL_free(p);
	X509_free(x);
	X509_NAME_free(nm);
	EVP_PKEY_free(k);
	return n > 0 ? 0 : -1;
}

static int
serial_negative(ASN1_INTEGER *a)
{
	return ASN1_INTEGER_set(a, -5);
}

/* 21 bytes: over RFC 5280's 20. */
static int
serial_long(ASN1_INTEGER *a)
{
	BIGNUM *bn = BN_new();
	int r = bn != NULL && BN_set_word(bn, 1) == 1 &&
	    BN_lshift(bn, bn, 160) == 1 && BN_to_ASN1_INTEGER(bn, a) != NULL;

	BN_free(bn);
	return r;
}

static int
serial_one(ASN1_INTEGER *a)
{
	return ASN1_INTEGER_set(a, 1);
}

static void
test_corners(void)
{
	struct ccc_x509_info in;
	struct ccc_buf der;

	ccc_buf_init(&der, 0);
	if (ok(make_cert(&der, serial_negative, "neg") == 0, "made: serial -5") &&
	    ok_eq_int(ccc_x509_describe(&in, der.p, der.len), 0,
	    "a negative serial is described")) {
		ok_eq_str(in.serial, "-05", "as -hex");
		ccc_x509_info_free(&in);
	}
	ccc_buf_reset(&der);
	if (ok(make_cert(&der, serial_long, "long") == 0, "made: 2^160"))
		ok_eq_int(ccc_x509_describe(&in, der.p, der.len),
		    CCC_E_MALFORMED, "a serial of 21 bytes is refused");
	ccc_buf_reset(&der);
	/* A C0 control, DEL, a C1 control in UTF-8, an e-acute. */
	if (ok(make_cert(&der, serial_one, "a\001b\177c\302\233d\303\251") == 0,
	    "made: controls in the CN") &&
	    ok_eq_int(ccc_x509_describe(&in, der.p, der.len), 0,
	    "described")) {
		ok_eq_str(in.subject, "CN=a\\01b\\7Fc\\C2\\9Bd\\C3\\A9",
		    "every control and non-ASCII byte escaped as \\XX");
		ok_eq_str(in.serial, "01", "serial 1");
		ccc_x509_info_free(&in);
	}
	ccc_buf_free(&der);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_aws_root();
	test_corners();
	return tap_done();
}
