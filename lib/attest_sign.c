/*
 * Software attestation identities: the operator's P-384 root, enclave
 * certificates under it, and the signer that makes software documents.
 *
 * Files are PEM.  A secret file (mode 0600) holds a PKCS#8 private key
 * followed by certificates: the root's file its own certificate; an
 * enclave's file its certificate, then the root's.  The public files hold
 * the certificates only (root; enclave then root).
 *
 * Everything says "software": the root's OU is "software attestation
 * root, not hardware-backed", an enclave certificate's OU "software
 * enclave, not hardware-backed" and its CN "ccc-software-<id>" (the
 * module_id of its documents), and both carry a Netscape comment saying
 * so, for whoever looks at them with other tools.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include "attest.h"
#include "cose.h"
#include "io.h"

#define ROOT_DAYS 3650
#define ENCLAVE_DAYS 90
#define ENCLAVE_ID_MAX 48	/* CN = prefix + id must fit 64 */
/*
 * Certificates start this many seconds in the past, so that a verifier
 * whose clock is a little behind the issuer's still accepts them.
 */
#define BACKDATE 300
#define KEYFILE_MAX (64UL * 1024)
#define ROOT_OU "software attestation root, not hardware-backed"
#define ENCLAVE_OU "software enclave, not hardware-backed"
#define COMMENT "ccc software attestation: not hardware-backed, no TEE"

struct ccc_attest_signer {
	EVP_PKEY *key;
	X509 *leaf, *root;
	unsigned char *leaf_der, *root_der;
	int leaf_len, root_len;
	char module_id[CCC_NITRO_MODULE_ID_MAX + 1];
	struct ccc_cose_presign *pre;	/* the next signature's, if made */
};

static bool
id_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static int
add_ext(X509 *x, X509V3_CTX *v, int nid, const char *value)
{
	X509_EXTENSION *ext;
	int ok;

	if ((ext = X509V3_EXT_nconf_nid(NULL, v, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/*
 * A certificate for key with subject O=ccc, OU=ou, CN=cn, signed by
 * issuer/ikey (self-signed when issuer is NULL), ECDSA with SHA-384.
 */
static X509 *
make_cert(EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, const char *ou,
    const char *cn, bool ca, long days)
{
	X509 *x = NULL;
	X509_NAME *nm = NULL;
	X509V3_CTX v;
	BIGNUM *bn = NULL;
	uint8_t serial[16];
	bool ok = false;

	/* A random positive 127-bit serial (RFC 5280: at most 20 octets). */
	randombytes_buf(serial, sizeof(serial));
	serial[0] = (uint8_t)((serial[0] & 0x7f) | 0x40);
	if ((x = X509_new()) == NULL || (nm = X509_NAME_new()) == NULL ||
	    (bn = BN_bin2bn(serial, sizeof(serial), NULL)) == NULL ||
	    X509_set_version(x, X509_VERSION_3) != 1 ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -BACKDATE) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(x), days, 0, NULL) == NULL ||
	    X509_set_pubkey(x, key) != 1 ||
	    X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_ASC,
	    (const unsigned char *)"ccc", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(nm, "OU", MBSTRING_ASC,
	    (const unsigned char *)ou, -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_subject_name(x, nm) != 1 ||
	    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
	    nm) != 1)
		goto out;
	X509V3_set_ctx(&v, issuer ? issuer : x, x, NULL, NULL, 0);
	/* The subject key id first: a self-signed AKI is taken from it. */
	if (!add_ext(x, &v, NID_basic_constraints, ca ?
	    "critical,CA:TRUE,pathlen:0" : "critical,CA:FALSE") ||
	    !add_ext(x, &v, NID_key_usage, ca ?
	    "critical,keyCertSign,cRLSign" : "critical,digitalSignature") ||
	    !add_ext(x, &v, NID_subject_key_identifier, "hash") ||
	    !add_ext(x, &v, NID_authority_key_identifier, "keyid:always") ||
	    !add_ext(x, &v, NID_netscape_comment, COMMENT) ||
	    X509_sign(x, ikey ? ikey : key, EVP_sha384()) <= 0)
		goto out;
	ok = true;
out:
	BN_free(bn);
	X509_NAME_free(nm);
	if (!ok) {
		X509_free(x);
		x = NULL;
	}
	return x;
}

/* PEM of key (if any) and certs, appended to b. */
static int
pem(struct ccc_buf *b, EVP_PKEY *key, X509 *c1, X509 *c2)
{
	BIO *bio;
	char *p;
	long n;
	int rc = CCC_E_CRYPTO;

	/* Secure-heap memory BIO: the key's PEM is cleared when freed. */
	if ((bio = BIO_new(BIO_s_secmem())) == NULL)
		return CCC_E_NOMEM;
	if ((key == NULL || PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
	    NULL, NULL) == 1) && PEM_write_bio_X509(bio, c1) == 1 &&
	    (c2 == NULL || PEM_write_bio_X509(bio, c2) == 1) &&
	    (n = BIO_get_mem_data(bio, &p)) > 0)
		rc = ccc_buf_put(b, p, (size_t)n);
	BIO_free(bio);
	return rc;
}

int
ccc_attest_root_new(struct ccc_buf *sec, struct ccc_buf *pub,
    const char *name, struct ccc_err *err)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	int rc;

	ERR_clear_error();
	if (name == NULL)
		name = "ccc";
	if (!id_ok(name, CCC_ATTEST_NAME_MAX)) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-N: a root name "
		    "is 1 to %d letters, digits, '.', '_' or '-'",
		    CCC_ATTEST_NAME_MAX);
		goto out;
	}
	if ((key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384")) == NULL ||
	    (x = make_cert(key, NULL, NULL, ROOT_OU, name, true,
	    ROOT_DAYS)) == NULL) {
		rc = ccc_err_openssl(err, "software attestation root");
		goto out;
	}
	if ((rc = pem(sec, key, x, NULL)) != 0 ||
	    (rc = pem(pub, NULL, x, NULL)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "PEM encoding");
out:
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(x);
	return rc;
}

/* An encrypted PEM key is not ours: never prompt for a passphrase. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/*
 * Read a secret PEM file: its private key (P-384) and exactly ncerts
 * certificates, in file order.
 */
static int
read_bundle(const char *path, EVP_PKEY **key, X509 **certs, int ncerts,
    struct ccc_err *err)
{
	struct ccc_buf b;
	BIO *kb = NULL, *cb = NULL;
	X509 *extra = NULL;
	char curve[64];
	size_t cn;
	int i, rc;

	ccc_buf_init(&b, 1);
	if ((rc = ccc_read_secret_file(&b, path, KEYFILE_MAX, err)) != 0) {
		(void)ccc_err_what(err, path);
		goto out;
	}
	if ((kb = BIO_new_mem_buf(b.p, (int)b.len)) == NULL ||
	    (cb = BIO_new_mem_buf(b.p, (int)b.len)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key file");
		goto out;
	}
	*key = PEM_read_bio_PrivateKey(kb, NULL, no_passphrase, NULL);
	if (*key == NULL || EVP_PKEY_get_base_id(*key) != EVP_PKEY_EC ||
	    EVP_PKEY_get_group_name(*key, curve, sizeof(curve), &cn) != 1 ||
	    strcmp(curve, "secp384r1") != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "no unencrypted "
		    "P-384 private key (PEM) in the file");
		goto out;
	}
	/* PEM_read_bio_X509 skips the key block: certificates in order. */
	for (i = 0; i < ncerts; i++)
		if ((certs[i] = PEM_read_bio_X509(cb, NULL, no_passphrase,
		    NULL)) == NULL) {
			rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "expected "
			    "%d certificate%s after the key, found %d", ncerts,
			    ncerts > 1 ? "s" : "", i);
			goto out;
		}
	if ((extra = PEM_read_bio_X509(cb, NULL, no_passphrase, NULL)) !=
	    NULL) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "more than %d "
		    "certificate%s in the file", ncerts, ncerts > 1 ? "s" : "");
		goto out;
	}
	if (X509_check_private_key(certs[0], *key) != 1) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the private key "
		    "does not match the first certificate");
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		(void)ccc_err_what(err, path);
	ERR_clear_error();
	X509_free(extra);
	BIO_free(kb);
	BIO_free(cb);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_attest_enclave_new(struct ccc_buf *sec, struct ccc_buf *pub,
    const char *rootfile, const char *id, struct ccc_err *err)
{
	EVP_PKEY *rkey = NULL, *key = NULL;
	X509 *root = NULL, *x = NULL;
	char cn[80];
	int rc;

	ERR_clear_error();
	if (id == NULL || !id_ok(id, ENCLAVE_ID_MAX)) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-N: an enclave "
		    "id is 1 to %d letters, digits, '.', '_' or '-'",
		    ENCLAVE_ID_MAX);
		goto out;
	}
	if ((rc = read_bundle(rootfile, &rkey, &root, 1, err)) != 0)
		goto out;
	if (X509_check_issued(root, root) != X509_V_OK ||
	    X509_check_ca(root) == 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "not a software "
		    "attestation root: its certificate is not a self-signed "
		    "CA");
		(void)ccc_err_what(err, rootfile);
		goto out;
	}
	snprintf(cn, sizeof(cn), "%s%s", CCC_NITRO_SOFTWARE_PREFIX, id);
	if ((key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384")) == NULL ||
	    (x = make_cert(key, root, rkey, ENCLAVE_OU, cn, false,
	    ENCLAVE_DAYS)) == NULL) {
		rc = ccc_err_openssl(err, "enclave certificate");
		goto out;
	}
	if ((rc = pem(sec, key, x, root)) != 0 ||
	    (rc = pem(pub, NULL, x, root)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "PEM encoding");
out:
	ERR_clear_error();
	EVP_PKEY_free(rkey);
	EVP_PKEY_free(key);
	X509_free(root);
	X509_free(x);
	return rc;
}

/* ---- the signer ---------------------------------------------------------- */

void
ccc_attest_signer_free(struct ccc_attest_signer *s)
{
	if (s == NULL)
		return;
	ccc_cose_presign_free(s->pre);
	EVP_PKEY_free(s->key);	/* clears the private key */
	X509_free(s->leaf);
	X509_free(s->root);
	OPENSSL_free(s->leaf_der);
	OPENSSL_free(s->root_der);
	free(s);
}

int
ccc_attest_signer_load(struct ccc_attest_signer **sp, const char *path,
    struct ccc_err *err)
{
	struct ccc_attest_signer *s;
	X509 *certs[2] = { NULL, NULL };
	X509_NAME *nm;
	const ASN1_STRING *a;
	size_t prefix = strlen(CCC_NITRO_SOFTWARE_PREFIX), n;
	int k, rc;

	*sp = NULL;
	ERR_clear_error();
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "signer");
	if ((rc = read_bundle(path, &s->key, certs, 2, err)) != 0)
		goto out;
	s->leaf = certs[0];
	s->root = certs[1];
	certs[0] = certs[1] = NULL;
	if (X509_check_issued(s->root, s->leaf) != X509_V_OK ||
	    X509_verify(s->leaf, X509_get0_pubkey(s->root)) != 1) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the enclave "
		    "certificate is not issued by the root in the file");
		goto out;
	}
	nm = X509_get_subject_name(s->leaf);
	if ((k = X509_NAME_get_index_by_NID(nm, NID_commonName, -1)) >= 0 &&
	    (a = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, k))) !=
	    NULL && (n = (size_t)ASN1_STRING_length(a)) <=
	    CCC_NITRO_MODULE_ID_MAX &&
	    memchr(ASN1_STRING_get0_data(a), '\0', n) == NULL) {
		memcpy(s->module_id, ASN1_STRING_get0_data(a), n);
		s->module_id[n] = '\0';
	}
	/* The CN becomes the module_id: "ccc-software-" and a plain id. */
	if (strncmp(s->module_id, CCC_NITRO_SOFTWARE_PREFIX, prefix) != 0 ||
	    !id_ok(s->module_id + prefix, ENCLAVE_ID_MAX)) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "not a ccc "
		    "software enclave certificate (CN ccc-software-ID)");
		goto out;
	}
	if ((s->leaf_len = i2d_X509(s->leaf, &s->leaf_der)) <= 0 ||
	    (s->root_len = i2d_X509(s->root, &s->root_der)) <= 0) {
		rc = ccc_err_openssl(err, "certificate");
		goto out;
	}
	if (s->leaf_len > CCC_NITRO_CERT_MAX ||
	    s->root_len > CCC_NITRO_CERT_MAX) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "a certificate is "
		    "larger than the %d bytes a Nitro document allows",
		    CCC_NITRO_CERT_MAX);
		goto out;
	}
	*sp = s;
	s = NULL;
	rc = 0;
out:
	if (rc != 0)
		(void)ccc_err_what(err, path);
	ERR_clear_error();
	X509_free(certs[0]);
	X509_free(certs[1]);
	ccc_attest_signer_free(s);
	return rc;
}

const char *
ccc_attest_signer_module_id(const struct ccc_attest_signer *s)
{
	return s->module_id;
}

void
ccc_attest_signer_id(const struct ccc_attest_signer *s, uint8_t id[32])
{
	crypto_hash_sha256(id, s->leaf_der, (unsigned long long)s->leaf_len);
}

int
ccc_attest_chain_id(const char *path, uint8_t id[32], struct ccc_err *err)
{
	unsigned char *der = NULL;
	X509 *x = NULL;
	BIO *b;
	int n, rc = 0;

	if ((b = BIO_new_file(path, "r")) == NULL) {
		ERR_clear_error();
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: cannot open",
		    path);
	}
	if ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) == NULL ||
	    (n = i2d_X509(x, &der)) <= 0) {
		ERR_clear_error();
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "%s: no PEM "
		    "certificate", path);
	} else
		crypto_hash_sha256(id, der, (unsigned long long)n);
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(b);
	return rc;
}

static int
claim_bytes(struct ccc_nitro_bytes *v, const uint8_t *p, size_t n,
    const char *name, struct ccc_err *err)
{
	if (p == NULL)
		return 0;
	if (n > CCC_NITRO_FIELD_MAX)
		return ccc_err_set(err, CCC_E_FIELD, -1, name, "%s: %zu bytes, "
		    "at most %d", name, n, CCC_NITRO_FIELD_MAX);
	v->p = p;
	v->n = n;
	v->present = true;
	return 0;
}

void
ccc_attest_signer_presign(struct ccc_attest_signer *s)
{
	if (s->pre == NULL)
		s->pre = ccc_cose_presign_new(s->key);
}

int
ccc_attest_sign_software(struct ccc_buf *doc, struct ccc_attest_signer *s,
    const struct ccc_nitro_claims *claims,
    struct ccc_err *err)
{
	struct ccc_nitro_doc d;
	struct ccc_buf payload;
	size_t i;
	int rc;

	memset(&d, 0, sizeof(d));
	ccc_buf_init(&payload, 0);
	d.module_id = s->module_id;
	d.module_id_len = strlen(s->module_id);
	d.timestamp_ms = claims->timestamp_ms ? claims->timestamp_ms :
	    (uint64_t)ccc_attest_now_ms();
	for (i = 0; i < CCC_NITRO_PCRS; i++)
		if (claims->pcr[i] != NULL) {
			d.pcrs[i].p = claims->pcr[i];
			d.pcrs[i].n = CCC_NITRO_PCR_BYTES;
			d.pcrs[i].present = true;
			d.npcrs++;
		}
	if (d.npcrs == 0) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "pcrs",
		    "a document needs at least one PCR");
		goto out;
	}
	d.certificate.p = s->leaf_der;
	d.certificate.n = (size_t)s->leaf_len;
	d.certificate.present = true;
	d.cabundle[0].p = s->root_der;
	d.cabundle[0].n = (size_t)s->root_len;
	d.cabundle[0].present = true;
	d.ncabundle = 1;
	if ((rc = claim_bytes(&d.public_key, claims->public_key,
	    claims->public_key_len, "public_key", err)) != 0 ||
	    (rc = claim_bytes(&d.user_data, claims->user_data,
	    claims->user_data_len, "user_data", err)) != 0 ||
	    (rc = claim_bytes(&d.nonce, claims->nonce, claims->nonce_len,
	    "nonce", err)) != 0)
		goto out;
	if ((rc = ccc_nitro_encode(&payload, &d)) != 0) {
		rc = ccc_err_set(err, rc, -1, "payload", "attestation payload");
		goto out;
	}
	rc = ccc_cose_sign1_sign_pre(doc, s->key, true, &s->pre, payload.p,
	    payload.len, err);
out:
	ccc_buf_free(&payload);
	return rc;
}
