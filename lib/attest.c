/*
 * Verification of Nitro-shaped attestation documents against a policy.
 * The order of the checks is the one in attest.h; each failure records its
 * reason and puts the reason word first in the error detail.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include "attest.h"
#include "attest_chain.h"
#include "es384.h"
#include "cose.h"
#include "x509.h"

static const char *const reason_words[] = {
	[CCC_ATTEST_OK] = "ok",
	[CCC_ATTEST_MALFORMED] = "malformed document",
	[CCC_ATTEST_ALGORITHM] = "unsupported algorithm",
	[CCC_ATTEST_SOFTWARE] = "software not allowed",
	[CCC_ATTEST_UNTRUSTED_ROOT] = "untrusted root",
	[CCC_ATTEST_EXPIRED] = "expired",
	[CCC_ATTEST_NOT_YET_VALID] = "not yet valid",
	[CCC_ATTEST_BAD_CHAIN] = "bad certificate chain",
	[CCC_ATTEST_BAD_SIGNATURE] = "bad signature",
	[CCC_ATTEST_FUTURE] = "from the future",
	[CCC_ATTEST_STALE] = "stale",
	[CCC_ATTEST_DEBUG] = "debug not allowed",
	[CCC_ATTEST_MEASUREMENT] = "measurement not allowed",
	[CCC_ATTEST_BINDING] = "binding mismatch",
	[CCC_ATTEST_OTHER] = "could not verify",
};

const char *
ccc_attest_reason_word(enum ccc_attest_reason r)
{
	if ((unsigned)r < sizeof(reason_words) / sizeof(reason_words[0]))
		return reason_words[r];
	return "could not verify";
}

const char *
ccc_attest_kind_name(enum ccc_attest_kind k)
{
	switch (k) {
	case CCC_ATTEST_KIND_AWS_NITRO:
		return "aws-nitro";
	case CCC_ATTEST_KIND_SOFTWARE:
		return "software";
	default:
		return "none";
	}
}

/* ---- time ---------------------------------------------------------------- */

int64_t
ccc_attest_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ccc_attest_format_time(char *buf, size_t size, uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[32];

	if (ms / 1000 > 253402300799ULL || gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(buf, size, "(%llu ms)", (unsigned long long)ms);
		return;
	}
	snprintf(buf, size, "%s.%03uZ", s, (unsigned)(ms % 1000));
}

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int
ccc_attest_parse_time(const char *s, int64_t *at_ms)
{
	struct tm tm, back;
	size_t n = strlen(s), i;
	time_t t;
	int ms = 0;

	if (strcmp(s, "now") == 0) {
		*at_ms = CCC_ATTEST_AT_NOW;
		return 0;
	}
	if (strcmp(s, "document") == 0) {
		*at_ms = CCC_ATTEST_AT_DOCUMENT;
		return 0;
	}
	/* Seconds since the epoch, up to the end of year 9999. */
	if (n >= 1 && n <= 12 && digits(s, n)) {
		long long v = strtoll(s, NULL, 10);
		if (v > 253402300799LL)
			return -1;
		*at_ms = v * 1000;
		return 0;
	}
	/* YYYY-MM-DDTHH:MM:SS[.fraction]Z */
	if (n < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || (s[10] != 'T' &&
	    s[10] != 't') || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return -1;
	i = 19;
	if (s[i] == '.') {
		size_t f = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f || i - f > 9)
			return -1;
		ms = num(s + f, i - f < 3 ? i - f : 3);
		if (i - f == 1)
			ms *= 100;
		else if (i - f == 2)
			ms *= 10;
	}
	if (i + 1 != n || (s[i] != 'Z' && s[i] != 'z'))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = num(s, 4) - 1900;
	tm.tm_mon = num(s + 5, 2) - 1;
	tm.tm_mday = num(s + 8, 2);
	tm.tm_hour = num(s + 11, 2);
	tm.tm_min = num(s + 14, 2);
	tm.tm_sec = num(s + 17, 2);
	back = tm;
	if (tm.tm_year < 70 || (t = timegm(&tm)) == (time_t)-1)
		return -1;
	/* timegm normalises 2024-02-30 to March: refuse what moved. */
	if (tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon ||
	    tm.tm_hour != back.tm_hour || tm.tm_min != back.tm_min ||
	    tm.tm_sec != back.tm_sec)
		return -1;
	*at_ms = (int64_t)t * 1000 + ms;
	return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static int
refuse(struct ccc_attest_report *rep, struct ccc_err *err,
    enum ccc_attest_reason r, int code, long long off, const char *fmt, ...)
    CCC_PRINTF(6, 7);

static int
refuse(struct ccc_attest_report *rep, struct ccc_err *err,
    enum ccc_attest_reason r, int code, long long off, const char *fmt, ...)
{
	char d[sizeof(err->detail)];
	va_list ap;

	rep->reason = r;
	va_start(ap, fmt);
	vsnprintf(d, sizeof(d), fmt, ap);
	va_end(ap);
	return ccc_err_set(err, code, off, NULL, "%s: %s",
	    ccc_attest_reason_word(r), d);
}

/* A decoding error of a part of the document, as "malformed document". */
static int
malformed(struct ccc_attest_report *rep, struct ccc_err *err,
    const struct ccc_err *e)
{
	rep->reason = CCC_ATTEST_MALFORMED;
	return ccc_err_set(err, e->code ? e->code : CCC_E_MALFORMED, e->off,
	    e->field, "%s: %s", reason_words[CCC_ATTEST_MALFORMED],
	    e->detail);
}

/* The subject CN of x for messages: printable ASCII only, "?" otherwise. */
static void
cert_cn(X509 *x, char *buf, size_t size)
{
	X509_NAME *nm = x ? X509_get_subject_name(x) : NULL;
	const ASN1_STRING *a;
	const unsigned char *d;
	size_t i, n;
	int k;

	snprintf(buf, size, "(no CN)");
	if (nm == NULL || (k = X509_NAME_get_index_by_NID(nm,
	    NID_commonName, -1)) < 0)
		return;
	a = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, k));
	d = ASN1_STRING_get0_data(a);
	n = (size_t)ASN1_STRING_length(a);
	if (n > size - 1)
		n = size - 1;
	for (i = 0; i < n; i++)
		buf[i] = d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' &&
		    d[i] != '\\' ? (char)d[i] : '?';
	buf[n] = '\0';
}

/* The only CN of x equals s[0..n). */
static bool
cn_equals(X509 *x, const char *s, size_t n)
{
	X509_NAME *nm = X509_get_subject_name(x);
	const ASN1_STRING *a;
	int k;

	if ((k = X509_NAME_get_index_by_NID(nm, NID_commonName, -1)) < 0 ||
	    X509_NAME_get_index_by_NID(nm, NID_commonName, k) >= 0)
		return false;
	a = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, k));
	return (size_t)ASN1_STRING_length(a) == n &&
	    memcmp(ASN1_STRING_get0_data(a), s, n) == 0;
}

static void
hex_prefix(char *buf, size_t size, const uint8_t *p, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < size; i++)
		snprintf(buf + 2 * i, size - 2 * i, "%02x", p[i]);
}

/* ---- the checks ---------------------------------------------------------- */

/*
 * Path validation from the leaf through the cabundle to cabundle[0], the
 * only trust anchor (its fingerprint is pinned).  No X509_STRICT: real
 * Nitro leaves lack an Authority Key Identifier.  No CRLs (AWS publishes
 * none).
 */
static int
check_chain(X509 *leaf, X509 **cab, size_t ncab, time_t t,
    const char *at, struct ccc_attest_report *rep, struct ccc_err *err)
{
	X509_STORE *st = NULL;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *sk = NULL;
	X509 *cur;
	char cn[80], when[32];
	size_t i;
	int rc, e, depth;

	if ((st = X509_STORE_new()) == NULL ||
	    X509_STORE_add_cert(st, cab[0]) != 1 ||
	    (sk = sk_X509_new_null()) == NULL) {
		rc = ccc_err_openssl(err, "certificate store");
		goto out;
	}
	for (i = 1; i < ncab; i++)
		if (sk_X509_push(sk, cab[i]) <= 0) {
			rc = ccc_err_openssl(err, "certificate store");
			goto out;
		}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, st, leaf, sk) != 1) {
		rc = ccc_err_openssl(err, "certificate store");
		goto out;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), t);
	X509_VERIFY_PARAM_set_depth(X509_STORE_CTX_get0_param(ctx),
	    CCC_NITRO_CABUNDLE_MAX + 1);
	if (X509_verify_cert(ctx) == 1) {
		rc = 0;
		goto out;
	}
	e = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	cur = X509_STORE_CTX_get_current_cert(ctx);
	cert_cn(cur, cn, sizeof(cn));
	switch (e) {
	case X509_V_OK:
		rc = ccc_err_openssl(err, "certificate chain");
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		ccc_x509_time(cur ? X509_get0_notAfter(cur) : NULL, when,
		    sizeof(when));
		rc = refuse(rep, err, CCC_ATTEST_EXPIRED, CCC_E_EXPIRED, -1,
		    "certificate \"%s\" (depth %d) expired at %s, check time "
		    "%s", cn, depth, when, at);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		ccc_x509_time(cur ? X509_get0_notBefore(cur) : NULL, when,
		    sizeof(when));
		rc = refuse(rep, err, CCC_ATTEST_NOT_YET_VALID, CCC_E_EXPIRED,
		    -1, "certificate \"%s\" (depth %d) is valid from %s, "
		    "check time %s", cn, depth, when, at);
		break;
	default:
		rc = refuse(rep, err, CCC_ATTEST_BAD_CHAIN, CCC_E_ATTEST, -1,
		    "certificate \"%s\" (depth %d): %s", cn, depth,
		    X509_verify_cert_error_string(e));
	}
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_free(sk);	/* the certificates are the caller's */
	X509_STORE_free(st);
	return rc;
}

static int
check_leaf_key(X509 *leaf, struct ccc_attest_report *rep,
    struct ccc_err *err)
{
	EVP_PKEY *k = X509_get0_pubkey(leaf);
	char name[64];
	size_t n;

	if (k == NULL || EVP_PKEY_get_base_id(k) != EVP_PKEY_EC ||
	    EVP_PKEY_get_group_name(k, name, sizeof(name), &n) != 1 ||
	    strcmp(name, "secp384r1") != 0) {
		ERR_clear_error();
		return refuse(rep, err, CCC_ATTEST_ALGORITHM, CCC_E_ATTEST, -1,
		    "the leaf certificate's key is not EC P-384");
	}
	if (X509_get_signature_nid(leaf) != NID_ecdsa_with_SHA384)
		return refuse(rep, err, CCC_ATTEST_ALGORITHM, CCC_E_ATTEST, -1,
		    "the leaf certificate is not signed with "
		    "ecdsa-with-SHA384");
	/*
	 * Path validation has no purpose to check, so check here that a
	 * leaf which states its key usage may sign (all-ones if unstated).
	 */
	if ((X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0)
		return refuse(rep, err, CCC_ATTEST_BAD_CHAIN, CCC_E_ATTEST, -1,
		    "the leaf certificate's key usage does not allow "
		    "digitalSignature");
	return 0;
}

static int
check_fresh(const struct ccc_attest_policy *pol, uint64_t ts, uint64_t t,
    struct ccc_attest_report *rep, struct ccc_err *err)
{
	char a[32], b[32];
	uint64_t d;

	ccc_attest_format_time(a, sizeof(a), ts);
	ccc_attest_format_time(b, sizeof(b), t);
	if (ts > t && (d = ts - t) > pol->future_skew_ms)
		return refuse(rep, err, CCC_ATTEST_FUTURE, CCC_E_ATTEST, -1,
		    "timestamp %s is %llu.%03u s after the check time %s "
		    "(future-skew %llu s)", a, (unsigned long long)(d / 1000),
		    (unsigned)(d % 1000), b,
		    (unsigned long long)(pol->future_skew_ms / 1000));
	if (t > ts && (d = t - ts) > pol->max_age_ms)
		return refuse(rep, err, CCC_ATTEST_STALE, CCC_E_ATTEST, -1,
		    "timestamp %s is %llu.%03u s before the check time %s "
		    "(max-age %llu s)", a, (unsigned long long)(d / 1000),
		    (unsigned)(d % 1000), b,
		    (unsigned long long)(pol->max_age_ms / 1000));
	return 0;
}

static bool
all_zero(const struct ccc_nitro_bytes *v)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < v->n; i++)
		acc |= v->p[i];
	return acc == 0;
}

/* The first PCR of set s the document does not satisfy, or -1. */
static int
set_mismatch(const struct ccc_attest_mset *s, const struct ccc_nitro_doc *d)
{
	int i;

	for (i = 0; i < CCC_NITRO_PCRS; i++) {
		if (s->len[i] == 0)
			continue;
		if (!d->pcrs[i].present || d->pcrs[i].n != s->len[i] ||
		    CRYPTO_memcmp(d->pcrs[i].p, s->value[i], s->len[i]) != 0)
			return i;
	}
	return -1;
}

static int
check_measurements(const struct ccc_attest_policy *pol,
    const struct ccc_nitro_doc *d, struct ccc_attest_report *rep,
    struct ccc_err *err)
{
	char why[320];
	size_t i, w = 0;
	int k;

	if (pol->any_measurement) {
		rep->measurements = "any";
		return 0;
	}
	why[0] = '\0';
	for (i = 0; i < pol->nsets; i++) {
		if ((k = set_mismatch(&pol->sets[i], d)) < 0) {
			rep->measurements = pol->sets[i].name;
			return 0;
		}
		if (w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w,
			    "%s\"%s\": pcr%d %s", i ? "; " : "",
			    pol->sets[i].name, k, d->pcrs[k].present ?
			    "differs" : "absent");
	}
	if (pol->nsets == 0)
		return refuse(rep, err, CCC_ATTEST_MEASUREMENT, CCC_E_ATTEST,
		    -1, "the policy allows no measurement");
	return refuse(rep, err, CCC_ATTEST_MEASUREMENT, CCC_E_ATTEST, -1,
	    "no measurement set matches (%s)", why);
}

static int
expect_bytes(const char *name, const struct ccc_nitro_bytes *got,
    const uint8_t *want, size_t wlen, struct ccc_attest_report *rep,
    struct ccc_err *err)
{
	if (want == NULL)
		return 0;
	if (!got->present)
		return refuse(rep, err, CCC_ATTEST_BINDING, CCC_E_ATTEST, -1,
		    "%s is absent, expected %zu bytes", name, wlen);
	if (got->n != wlen || CRYPTO_memcmp(got->p, want, wlen) != 0)
		return refuse(rep, err, CCC_ATTEST_BINDING, CCC_E_ATTEST, -1,
		    "%s differs from the expected value", name);
	return 0;
}

static int
check_binding(const struct ccc_attest_expect *x, const struct ccc_nitro_doc *d,
    struct ccc_attest_report *rep, struct ccc_err *err)
{
	char name[16];
	int i, rc;

	if (x == NULL)
		return 0;
	if ((rc = expect_bytes("user_data", &d->user_data, x->user_data,
	    x->user_data_len, rep, err)) != 0 ||
	    (rc = expect_bytes("public_key", &d->public_key, x->public_key,
	    x->public_key_len, rep, err)) != 0 ||
	    (rc = expect_bytes("nonce", &d->nonce, x->nonce, x->nonce_len,
	    rep, err)) != 0)
		return rc;
	for (i = 0; i < CCC_NITRO_PCRS; i++) {
		snprintf(name, sizeof(name), "pcr%d", i);
		if ((rc = expect_bytes(name, &d->pcrs[i], x->pcr[i],
		    x->pcr_len[i], rep, err)) != 0)
			return rc;
	}
	if (x->enclave_id != NULL) {
		uint8_t id[32];
		crypto_hash_sha256(id, d->certificate.p, d->certificate.n);
		if (CRYPTO_memcmp(id, x->enclave_id, 32) != 0)
			return refuse(rep, err, CCC_ATTEST_BINDING,
			    CCC_E_ATTEST, -1, "signed by another enclave "
			    "than the one expected");
	}
	return 0;
}

static void
copy_opt(bool *has, size_t *len, uint8_t *dst, const struct ccc_nitro_bytes *v)
{
	*has = v->present;
	*len = v->present ? v->n : 0;
	if (v->present && v->n > 0)
		memcpy(dst, v->p, v->n);
}

static void
fill_report(struct ccc_attest_report *rep, const struct ccc_nitro_doc *d,
    X509 *leaf)
{
	size_t i;

	memcpy(rep->module_id, d->module_id, d->module_id_len);
	rep->module_id[d->module_id_len] = '\0';
	rep->timestamp_ms = d->timestamp_ms;
	for (i = 0; i < CCC_NITRO_PCRS; i++)
		if (d->pcrs[i].present) {
			rep->pcr_len[i] = (uint8_t)d->pcrs[i].n;
			memcpy(rep->pcr[i], d->pcrs[i].p, d->pcrs[i].n);
		}
	copy_opt(&rep->has_public_key, &rep->public_key_len, rep->public_key,
	    &d->public_key);
	copy_opt(&rep->has_user_data, &rep->user_data_len, rep->user_data,
	    &d->user_data);
	copy_opt(&rep->has_nonce, &rep->nonce_len, rep->nonce, &d->nonce);
	ccc_x509_name(X509_get_subject_name(leaf), rep->leaf_subject,
	    sizeof(rep->leaf_subject));
	crypto_hash_sha256(rep->enclave_id, d->certificate.p,
	    d->certificate.n);
}

int
ccc_attest_verify(const uint8_t *doc, size_t len,
    const struct ccc_attest_policy *pol,
    const struct ccc_attest_expect *expect, int64_t at_ms,
    struct ccc_attest_report *rep, struct ccc_err *err)
{
	struct ccc_cose_sign1 m;
	struct ccc_nitro_doc d;
	struct ccc_err e;
	const struct ccc_attest_root *root = NULL;
	X509 *leaf = NULL, *cab[CCC_NITRO_CABUNDLE_MAX] = { NULL };
	struct ccc_es384_tab *tab = NULL;
	uint8_t fp[32], chain[32];
	char fphex[65], at[40], cn[80];
	bool sw, named;
	size_t i, prefix = strlen(CCC_NITRO_SOFTWARE_PREFIX);
	uint64_t t;
	int rc;

	memset(rep, 0, sizeof(*rep));
	ERR_clear_error();

	/* 1. Structure: COSE_Sign1, then the payload inside it. */
	ccc_err_clear(&e);
	if (ccc_cose_sign1_decode(&m, doc, len, &e) != 0) {
		rc = malformed(rep, err, &e);
		goto out;
	}
	if (ccc_nitro_decode(&d, m.payload, m.payload_len, m.payload_off,
	    &e) != 0) {
		rc = malformed(rep, err, &e);
		goto out;
	}
	if (!m.has_alg || !m.alg_protected || m.alg != CCC_COSE_ALG_ES384) {
		rc = refuse(rep, err, CCC_ATTEST_ALGORITHM, CCC_E_ATTEST, -1,
		    "the protected header's algorithm is not ES384 (-35)");
		goto out;
	}

	/*
	 * 2. Software or not.  The marks are not yet authenticated, but a
	 * refusal is safe whatever they say: tampering with them can only
	 * get a document refused.
	 */
	sw = m.software;
	named = d.module_id_len >= prefix &&
	    memcmp(d.module_id, CCC_NITRO_SOFTWARE_PREFIX, prefix) == 0;
	if (sw != named) {
		rc = refuse(rep, err, CCC_ATTEST_MALFORMED, CCC_E_MALFORMED, -1,
		    "the software marks disagree: the protected header %s "
		    "software, the module_id %s", sw ? "says" : "does not say",
		    named ? "does" : "does not");
		goto out;
	}
	if (m.prot_count != (sw ? 2u : 1u) || m.unprot_count != 0) {
		rc = refuse(rep, err, CCC_ATTEST_MALFORMED, CCC_E_MALFORMED, -1,
		    "unexpected header parameters (%zu protected, %zu "
		    "unprotected)", m.prot_count, m.unprot_count);
		goto out;
	}
	if (sw && !pol->allow_software) {
		rc = refuse(rep, err, CCC_ATTEST_SOFTWARE, CCC_E_ATTEST, -1,
		    "\"%.*s\" is a software document, not hardware-backed, and "
		    "the policy does not allow software", (int)d.module_id_len,
		    d.module_id);
		goto out;
	}

	/*
	 * 3. The leaf certificate (as parsed before if this process kept its
	 * chain, lib/attest_chain.c), and the root pinned by the fingerprint
	 * of its bytes.  The cabundle is parsed only once the signature holds
	 * (each parse builds a P-384 key): a tampered document costs little.
	 */
	ccc_attest_chain_key(&d, chain);
	if ((leaf = ccc_attest_chain_leaf(chain)) == NULL &&
	    (leaf = ccc_x509_parse(d.certificate.p,
	    d.certificate.n)) == NULL) {
		ERR_clear_error();
		rc = refuse(rep, err, CCC_ATTEST_MALFORMED, CCC_E_MALFORMED, -1,
		    "certificate: not one DER X.509 certificate");
		goto out;
	}
	crypto_hash_sha256(fp, d.cabundle[0].p, d.cabundle[0].n);
	for (i = 0; i < pol->nroots; i++)
		if (CRYPTO_memcmp(pol->roots[i].sha256, fp, 32) == 0) {
			root = &pol->roots[i];
			break;
		}
	if (root == NULL) {
		hex_prefix(fphex, sizeof(fphex), fp, 32);
		/* For its name. */
		cab[0] = ccc_x509_parse(d.cabundle[0].p, d.cabundle[0].n);
		ERR_clear_error();
		cert_cn(cab[0], cn, sizeof(cn));
		rc = refuse(rep, err, CCC_ATTEST_UNTRUSTED_ROOT, CCC_E_ATTEST,
		    -1, "root \"%s\" sha256:%s is not pinned by the policy",
		    cn, fphex);
		goto out;
	}
	if ((root->kind == CCC_ATTEST_KIND_SOFTWARE) != sw) {
		rc = refuse(rep, err, CCC_ATTEST_MALFORMED, CCC_E_MALFORMED, -1,
		    "the document is %smarked software but its root \"%s\" "
		    "is pinned as %s", sw ? "" : "not ", root->name,
		    ccc_attest_kind_name(root->kind));
		goto out;
	}
	if (sw && !cn_equals(leaf, d.module_id, d.module_id_len)) {
		rc = refuse(rep, err, CCC_ATTEST_MALFORMED, CCC_E_MALFORMED, -1,
		    "the module_id is not the leaf certificate's CN");
		goto out;
	}

	/*
	 * 4. The leaf's key, then the signature over the exact bytes.  Before
	 * the chain, which costs four more ECDSA verifications: a tampered
	 * document is refused at the price of one.  Nothing is trusted
	 * before the chain has been checked too.
	 */
	if ((rc = check_leaf_key(leaf, rep, err)) != 0)
		goto out;
	ccc_err_clear(&e);
	tab = ccc_attest_chain_table(chain, leaf);
	if ((rc = ccc_cose_sign1_verify_tab(&m, X509_get0_pubkey(leaf), tab,
	    CCC_COSE_ALG_ES384, NULL, 0, &e)) != 0) {
		if (rc == CCC_E_SIGNATURE)
			rc = refuse(rep, err, CCC_ATTEST_BAD_SIGNATURE,
			    CCC_E_SIGNATURE, -1, "%s", e.detail);
		else if (rc == CCC_E_FIELD)
			rc = refuse(rep, err, CCC_ATTEST_ALGORITHM,
			    CCC_E_ATTEST, -1, "%s", e.detail);
		else {
			rep->reason = CCC_ATTEST_OTHER;
			rc = ccc_err_set(err, rc, -1, NULL, "%s", e.detail);
		}
		goto out;
	}

	/*
	 * 5. The chain, at the check time: validated in full unless this
	 * process validated these very certificates, and the time is inside
	 * all their validity periods (lib/attest_chain.c).
	 */
	if (at_ms == CCC_ATTEST_AT_NOW)
		t = (uint64_t)ccc_attest_now_ms();
	else if (at_ms == CCC_ATTEST_AT_DOCUMENT)
		t = d.timestamp_ms;
	else if (at_ms >= 0)
		t = (uint64_t)at_ms;
	else {
		rc = ccc_err_set(err, CCC_E_INTERNAL, -1, NULL,
		    "bad check time %lld", (long long)at_ms);
		goto out;
	}
	if (t / 1000 > 253402300799ULL) {
		rc = refuse(rep, err, CCC_ATTEST_NOT_YET_VALID, CCC_E_EXPIRED,
		    -1, "check time past the year 9999");
		goto out;
	}
	rep->checked_at_ms = t;
	if (ccc_attest_chain_known(chain, (time_t)(t / 1000)))
		goto claims;
	for (i = 0; i < d.ncabundle; i++)
		if ((cab[i] = ccc_x509_parse(d.cabundle[i].p,
		    d.cabundle[i].n)) == NULL) {
			ERR_clear_error();
			rc = refuse(rep, err, CCC_ATTEST_MALFORMED,
			    CCC_E_MALFORMED, -1, "cabundle[%zu]: not one DER "
			    "X.509 certificate", i);
			goto out;
		}
	ccc_attest_format_time(at, sizeof(at), t);
	if ((rc = check_chain(leaf, cab, d.ncabundle, (time_t)(t / 1000), at,
	    rep, err)) != 0)
		goto out;
	ccc_attest_chain_remember(chain, leaf, cab, d.ncabundle);

	/* 6. Policy on the authenticated claims. */
claims:
	if ((rc = check_fresh(pol, d.timestamp_ms, t, rep, err)) != 0)
		goto out;
	/* No PCR0 proves nothing about the image: as debug as all zero. */
	if (!d.pcrs[0].present || all_zero(&d.pcrs[0])) {
		if (!pol->allow_debug) {
			rc = refuse(rep, err, CCC_ATTEST_DEBUG, CCC_E_ATTEST,
			    -1, "%s and the policy does not allow debug",
			    d.pcrs[0].present ? "PCR0 is all zero (a "
			    "debug-mode enclave)" : "no PCR0, so not known to "
			    "be other than a debug-mode enclave,");
			goto out;
		}
		rep->debug = true;
	}
	if ((rc = check_measurements(pol, &d, rep, err)) != 0 ||
	    (rc = check_binding(expect, &d, rep, err)) != 0)
		goto out;

	rep->kind = root->kind;
	rep->root = root;
	fill_report(rep, &d, leaf);
	rep->reason = CCC_ATTEST_OK;
	rc = 0;
out:
	if (rc != 0 && rep->reason == CCC_ATTEST_OK)
		rep->reason = CCC_ATTEST_OTHER;
	ccc_es384_tab_free(tab);
	X509_free(leaf);
	for (i = 0; i < CCC_NITRO_CABUNDLE_MAX; i++)
		X509_free(cab[i]);
	ERR_clear_error();
	return rc;
}
