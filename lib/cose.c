/* COSE_Sign1: decoding, ECDSA verification and ES384 signing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "cbor.h"
#include "cose.h"
#include "es384.h"

int
ccc_cose_unwrap(struct ccc_buf *dec, const uint8_t *p, size_t len,
    const uint8_t **doc, size_t *n)
{
	const char *in = (const char *)p, *end;
	int rc;

	if (len > 0 && (p[0] == 0x84 || p[0] == 0xd2)) {
		*doc = p;
		*n = len;
		return 0;
	}
	if (len == 0)
		return CCC_E_MALFORMED;
	if ((rc = ccc_buf_reserve(dec, len / 4 * 3 + 3)) != 0)
		return rc;
	if ((sodium_base642bin(dec->p, dec->cap, in, len, " \t\r\n", n, &end,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || end != in + len) &&
	    (sodium_base642bin(dec->p, dec->cap, in, len, " \t\r\n", n, &end,
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 || end != in + len))
		return CCC_E_MALFORMED;
	dec->len = *n;
	*doc = dec->p;
	return 0;
}

/* A header label, as the bytes of its encoding (shortest form, checked). */
struct label {
	const uint8_t *p;
	size_t n;
};

static const uint8_t label_alg[] = { 0x01 };
static const uint8_t label_crit[] = { 0x02 };
/* tstr "ccc-mode" */
static const uint8_t label_mode[] = { 0x68, 'c', 'c', 'c', '-', 'm', 'o',
    'd', 'e' };

static bool
label_is(const struct label *l, const uint8_t *enc, size_t n)
{
	return l->n == n && memcmp(l->p, enc, n) == 0;
}

/* Read an integer item into *v; out-of-range values become INT64_MIN. */
static int
read_int(struct ccc_cur *c, int64_t *v, const char *field)
{
	uint64_t u;
	int major, rc;

	if ((rc = ccc_cur_peek(c, &major, &u)) != 0)
		return rc;
	if (major != CCC_CBOR_UINT && major != CCC_CBOR_NEGINT)
		return ccc_err_set(c->err, CCC_E_MALFORMED, ccc_cur_pos(c),
		    field, "%s: expected an integer", field);
	if ((rc = ccc_cur_skip(c)) != 0)
		return rc;
	/* No registered algorithm is that large: keep it unsupported. */
	if (u > INT64_MAX)
		*v = INT64_MIN;
	else
		*v = major == CCC_CBOR_UINT ? (int64_t)u : -1 - (int64_t)u;
	return 0;
}

/*
 * One header map at the cursor.  Labels are unique within the map; alg
 * may appear in one bucket only (RFC 9052 section 3); crit is refused
 * because no parameter is understood as critical here; the software
 * marker is only meaningful, and only accepted, in the protected bucket.
 */
static int
header(struct ccc_cur *c, bool prot, struct ccc_cose_sign1 *m,
    size_t *count)
{
	struct label seen[CCC_COSE_HEADER_MAX];
	const char *what = prot ? "protected header" : "unprotected header";
	const char *s;
	size_t n, i, j, sn;
	uint64_t u;
	int major, rc;

	if ((rc = ccc_cur_map(c, &n, what)) != 0)
		return rc;
	if (n > CCC_COSE_HEADER_MAX)
		return ccc_err_set(c->err, CCC_E_MALFORMED, ccc_cur_pos(c),
		    NULL, "%s has %zu parameters, at most %d are accepted",
		    what, n, CCC_COSE_HEADER_MAX);
	*count = n;
	for (i = 0; i < n; i++) {
		long long at = ccc_cur_pos(c);
		size_t start = c->off;

		if ((rc = ccc_cur_peek(c, &major, &u)) != 0)
			return rc;
		if (major != CCC_CBOR_UINT && major != CCC_CBOR_NEGINT &&
		    major != CCC_CBOR_TSTR)
			return ccc_err_set(c->err, CCC_E_MALFORMED, at, NULL,
			    "%s label is not an integer or text", what);
		if ((rc = ccc_cur_skip(c)) != 0)
			return rc;
		seen[i].p = c->p + start;
		seen[i].n = c->off - start;
		for (j = 0; j < i; j++)
			if (seen[j].n == seen[i].n &&
			    memcmp(seen[j].p, seen[i].p, seen[i].n) == 0)
				return ccc_err_set(c->err, CCC_E_MALFORMED, at,
				    NULL, "%s label repeated", what);
		at = ccc_cur_pos(c);
		if (label_is(&seen[i], label_alg, sizeof(label_alg))) {
			if (m->has_alg || m->alg_text)
				return ccc_err_set(c->err, CCC_E_MALFORMED, at,
				    NULL, "alg in both header buckets");
			if ((rc = ccc_cur_peek(c, &major, &u)) != 0)
				return rc;
			if (major == CCC_CBOR_TSTR) {
				m->alg_text = true;
				if ((rc = ccc_cur_skip(c)) != 0)
					return rc;
			} else {
				if ((rc = read_int(c, &m->alg, "alg")) != 0)
					return rc;
				m->has_alg = true;
			}
			m->alg_protected = prot;
		} else if (label_is(&seen[i], label_crit, sizeof(label_crit))) {
			return ccc_err_set(c->err, CCC_E_MALFORMED, at, NULL,
			    "critical header parameters are not supported");
		} else if (label_is(&seen[i], label_mode, sizeof(label_mode))) {
			if (!prot)
				return ccc_err_set(c->err, CCC_E_MALFORMED, at,
				    NULL, "%s must be in the protected header",
				    CCC_COSE_MODE_LABEL);
			if ((rc = ccc_cur_tstr(c, &s, &sn,
			    CCC_COSE_MODE_LABEL)) != 0)
				return rc;
			if (sn != strlen(CCC_COSE_MODE_SOFTWARE) ||
			    memcmp(s, CCC_COSE_MODE_SOFTWARE, sn) != 0)
				return ccc_err_set(c->err, CCC_E_MALFORMED, at,
				    NULL, "unknown %s value",
				    CCC_COSE_MODE_LABEL);
			m->software = true;
		} else if ((rc = ccc_cur_skip(c)) != 0)
			return rc;
	}
	return 0;
}

int
ccc_cose_sign1_decode(struct ccc_cose_sign1 *m, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_cur c, hc;
	uint64_t tag, u;
	size_t n, ilen;
	long long at;
	int major, rc;

	memset(m, 0, sizeof(*m));
	if (len == 0)
		return ccc_err_set(err, CCC_E_TRUNCATED, 0, NULL,
		    "empty input, expected a COSE_Sign1");
	if ((rc = ccc_cbor_check(p, len, CCC_CBOR_FOREIGN, CCC_COSE_MAX,
	    &ilen, 0, err)) != 0)
		return rc;
	if (ilen != len)
		return ccc_err_set(err, CCC_E_MALFORMED, (long long)ilen, NULL,
		    "trailing bytes after the COSE_Sign1");
	ccc_cur_init(&c, p, len, 0, err);
	if ((rc = ccc_cur_peek(&c, &major, &u)) != 0)
		return rc;
	if (major == CCC_CBOR_TAG) {
		if ((rc = ccc_cur_tag(&c, &tag, "tag")) != 0)
			return rc;
		if (tag != CCC_COSE_TAG_SIGN1)
			return ccc_err_set(err, CCC_E_MALFORMED, 0, NULL,
			    "tag %llu is not COSE_Sign1 (18)",
			    (unsigned long long)tag);
		m->tagged = true;
	}
	at = ccc_cur_pos(&c);
	if ((rc = ccc_cur_array(&c, &n, "COSE_Sign1")) != 0)
		return rc;
	if (n != 4)
		return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
		    "COSE_Sign1 has %zu elements, expected 4", n);

	/* Protected: a bstr holding a map, or empty for an empty map. */
	if ((rc = ccc_cur_bstr(&c, &m->prot, &m->prot_len,
	    "protected header")) != 0)
		return rc;
	if (m->prot_len > 0) {
		at = ccc_cur_pos(&c) - (long long)m->prot_len;
		if ((rc = ccc_cbor_check(m->prot, m->prot_len,
		    CCC_CBOR_FOREIGN, m->prot_len, &ilen, at, err)) != 0)
			return rc;
		if (ilen != m->prot_len)
			return ccc_err_set(err, CCC_E_MALFORMED,
			    at + (long long)ilen, NULL,
			    "trailing bytes in the protected header");
		ccc_cur_init(&hc, m->prot, m->prot_len, at, err);
		if ((rc = header(&hc, true, m, &m->prot_count)) != 0)
			return rc;
	}
	if ((rc = header(&c, false, m, &m->unprot_count)) != 0)
		return rc;

	at = ccc_cur_pos(&c);
	if ((rc = ccc_cur_peek(&c, &major, &u)) != 0)
		return rc;
	if (major == CCC_CBOR_SIMPLE && u == 22)
		return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
		    "detached payloads are not supported");
	if ((rc = ccc_cur_bstr(&c, &m->payload, &m->payload_len,
	    "payload")) != 0)
		return rc;
	m->payload_off = ccc_cur_pos(&c) - (long long)m->payload_len;
	if ((rc = ccc_cur_bstr(&c, &m->sig, &m->sig_len, "signature")) != 0)
		return rc;
	return 0;
}

int
ccc_cose_sig_structure(struct ccc_buf *b, const uint8_t *prot,
    size_t prot_len, const uint8_t *aad, size_t aad_len,
    const uint8_t *payload, size_t payload_len)
{
	int rc;

	if ((rc = ccc_cbor_put_array(b, 4)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, "Signature1")) != 0 ||
	    (rc = ccc_cbor_put_bstr(b, prot, prot_len)) != 0 ||
	    (rc = ccc_cbor_put_bstr(b, aad, aad_len)) != 0 ||
	    (rc = ccc_cbor_put_bstr(b, payload, payload_len)) != 0)
		return rc;
	return 0;
}

int
ccc_cose_sign1_tbs(struct ccc_buf *b, const struct ccc_cose_sign1 *m,
    const uint8_t *aad, size_t aad_len)
{
	bool empty = m->prot_count == 0;

	return ccc_cose_sig_structure(b, empty ? NULL : m->prot,
	    empty ? 0 : m->prot_len, aad, aad_len, m->payload,
	    m->payload_len);
}

/* The curve, digest and coordinate size of a supported algorithm. */
static int
alg_params(int64_t alg, const char **curve, const EVP_MD **md, size_t *n)
{
	switch (alg) {
	case CCC_COSE_ALG_ES256:
		*curve = "prime256v1";
		*md = EVP_sha256();
		*n = 32;
		return 0;
	case CCC_COSE_ALG_ES384:
		*curve = "secp384r1";
		*md = EVP_sha384();
		*n = 48;
		return 0;
	}
	return CCC_E_FIELD;
}

static bool
key_on_curve(EVP_PKEY *k, const char *curve)
{
	char name[64];
	size_t n;

	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_EC)
		return false;
	if (EVP_PKEY_get_group_name(k, name, sizeof(name), &n) != 1)
		return false;
	return strcmp(name, curve) == 0;
}

int
ccc_cose_sign1_verify(const struct ccc_cose_sign1 *m, EVP_PKEY *pub,
    int64_t alg, const uint8_t *aad, size_t aad_len, struct ccc_err *err)
{
	return ccc_cose_sign1_verify_tab(m, pub, NULL, alg, aad, aad_len, err);
}

int
ccc_cose_sign1_verify_tab(const struct ccc_cose_sign1 *m, EVP_PKEY *pub,
    const struct ccc_es384_tab *tab, int64_t alg, const uint8_t *aad,
    size_t aad_len, struct ccc_err *err)
{
	uint8_t dgst[48];
	struct ccc_buf tbs;
	EVP_MD_CTX *ctx = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *der = NULL;
	const char *curve;
	const EVP_MD *md;
	size_t n;
	int rc, dlen, v;

	ERR_clear_error();
	ccc_buf_init(&tbs, 0);
	if (alg_params(alg, &curve, &md, &n) != 0) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "alg",
		    "algorithm %lld is not supported", (long long)alg);
		goto out;
	}
	if (!m->has_alg) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "alg", "%s",
		    m->alg_text ? "algorithm is a text string, not supported" :
		    "no algorithm in the header");
		goto out;
	}
	if (m->alg != alg) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "alg",
		    "algorithm %lld, expected %lld", (long long)m->alg,
		    (long long)alg);
		goto out;
	}
	if (!key_on_curve(pub, curve)) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "key",
		    "the key is not an EC key on %s", curve);
		goto out;
	}
	/* Raw r || s (RFC 9053 section 2.1), each exactly n bytes. */
	if (m->sig_len != 2 * n) {
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, "signature",
		    "signature is %zu bytes, expected %zu", m->sig_len, 2 * n);
		goto out;
	}
	if ((rc = ccc_cose_sign1_tbs(&tbs, m, aad, aad_len)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "Sig_structure");
		goto out;
	}
	if (tab != NULL && alg == CCC_COSE_ALG_ES384) {
		if (EVP_Digest(tbs.p, tbs.len, dgst, NULL, md, NULL) != 1) {
			rc = ccc_err_openssl(err, "SHA-384");
			goto out;
		}
		if ((v = ccc_es384_verify(tab, pub, dgst, m->sig)) < 0) {
			rc = ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "ECDSA "
			    "verification with the key's table failed");
			goto out;
		}
		goto verdict;
	}
	if ((r = BN_bin2bn(m->sig, (int)n, NULL)) == NULL ||
	    (s = BN_bin2bn(m->sig + n, (int)n, NULL)) == NULL ||
	    (es = ECDSA_SIG_new()) == NULL) {
		rc = ccc_err_openssl(err, "ECDSA signature");
		goto out;
	}
	if (ECDSA_SIG_set0(es, r, s) != 1) {
		rc = ccc_err_openssl(err, "ECDSA signature");
		goto out;
	}
	r = s = NULL;	/* owned by es now */
	if ((dlen = i2d_ECDSA_SIG(es, &der)) <= 0) {
		rc = ccc_err_openssl(err, "ECDSA signature");
		goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, md, NULL, pub) != 1) {
		rc = ccc_err_openssl(err, "ECDSA verification");
		goto out;
	}
	v = EVP_DigestVerify(ctx, der, (size_t)dlen, tbs.p, tbs.len);
verdict:
	if (v != 1) {
		/* 0: a wrong signature; < 0: r or s out of range.  Alike. */
		ERR_clear_error();
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, "signature",
		    "COSE_Sign1 signature does not verify");
		goto out;
	}
	rc = 0;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	ccc_buf_free(&tbs);
	return rc;
}

/* ---- signing ------------------------------------------------------------ */

struct ccc_cose_presign {
	EVP_PKEY *key;		/* the key it is for (a reference) */
	EC_KEY *ec;		/* its legacy form, which ECDSA_do_sign_ex takes */
	BIGNUM *kinv, *r;	/* 1/k mod n and x(kG) mod n: k is secret */
};

void
ccc_cose_presign_free(struct ccc_cose_presign *ps)
{
	if (ps == NULL)
		return;
	BN_clear_free(ps->kinv);
	BN_clear_free(ps->r);
	EC_KEY_free(ps->ec);
	EVP_PKEY_free(ps->key);
	free(ps);
}

struct ccc_cose_presign *
ccc_cose_presign_new(EVP_PKEY *key)
{
	struct ccc_cose_presign *ps;

	if (!key_on_curve(key, "secp384r1") ||
	    (ps = calloc(1, sizeof(*ps))) == NULL)
		return NULL;
	/*
	 * k from OpenSSL's random generator (no digest: none is known yet),
	 * kG with its constant-time ladder: what an ES384 signature costs
	 * but the last multiplication.
	 */
	if (EVP_PKEY_up_ref(key) != 1) {
		free(ps);
		return NULL;
	}
	ps->key = key;
	if ((ps->ec = EVP_PKEY_get1_EC_KEY(key)) == NULL ||
	    ECDSA_sign_setup(ps->ec, NULL, &ps->kinv, &ps->r) != 1) {
		ccc_cose_presign_free(ps);
		ps = NULL;
	}
	ERR_clear_error();
	return ps;
}

int
ccc_cose_presign_r(const struct ccc_cose_presign *ps, uint8_t r[48])
{
	return BN_bn2binpad(ps->r, r, 48) == 48 ? 0 : -1;
}

/*
 * The signature of tbs with ps, which must be key's; NULL if it is not or
 * OpenSSL fails (s = 0 included), and then a signature is made afresh.
 */
static ECDSA_SIG *
presigned(struct ccc_cose_presign *ps, EVP_PKEY *key,
    const struct ccc_buf *tbs)
{
	uint8_t dgst[48];
	ECDSA_SIG *es = NULL;

	if (ps->key == key && EVP_Digest(tbs->p, tbs->len, dgst, NULL,
	    EVP_sha384(), NULL) == 1)
		es = ECDSA_do_sign_ex(dgst, sizeof(dgst), ps->kinv, ps->r,
		    ps->ec);
	ERR_clear_error();
	return es;
}

int
ccc_cose_sign1_sign(struct ccc_buf *out, EVP_PKEY *key, bool software,
    const uint8_t *payload, size_t payload_len, struct ccc_err *err)
{
	return ccc_cose_sign1_sign_pre(out, key, software, NULL, payload,
	    payload_len, err);
}

int
ccc_cose_sign1_sign_pre(struct ccc_buf *out, EVP_PKEY *key, bool software,
    struct ccc_cose_presign **pre, const uint8_t *payload, size_t payload_len,
    struct ccc_err *err)
{
	/* {1: -35} without its map head: label 1, then -35 (0x38 0x22). */
	static const uint8_t alg_es384[] = { 0x01, 0x38, 0x22 };
	struct ccc_cose_presign *ps = NULL;
	uint8_t raw[96];
	struct ccc_buf prot, tbs;
	EVP_MD_CTX *ctx = NULL;
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	const unsigned char *dp;
	unsigned char *der = NULL;
	size_t dlen = 0;
	int rc;

	ERR_clear_error();
	ccc_buf_init(&prot, 0);
	ccc_buf_init(&tbs, 0);
	if (pre != NULL) {	/* used once, whatever follows */
		ps = *pre;
		*pre = NULL;
	}
	if (!key_on_curve(key, "secp384r1")) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, "key",
		    "ES384 needs an EC key on P-384");
		goto out;
	}
	/* Label 1 sorts before any text label: the map is deterministic. */
	if ((rc = ccc_cbor_put_map(&prot, software ? 2 : 1)) != 0 ||
	    (rc = ccc_buf_put(&prot, alg_es384, sizeof(alg_es384))) != 0 ||
	    (software &&
	    ((rc = ccc_cbor_put_cstr(&prot, CCC_COSE_MODE_LABEL)) != 0 ||
	    (rc = ccc_cbor_put_cstr(&prot, CCC_COSE_MODE_SOFTWARE)) != 0)) ||
	    (rc = ccc_cose_sig_structure(&tbs, prot.p, prot.len, NULL, 0,
	    payload, payload_len)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "COSE_Sign1");
		goto out;
	}
	if (ps != NULL)
		es = presigned(ps, key, &tbs);
	if (es == NULL) {
		if ((ctx = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL,
		    key) != 1 ||
		    EVP_DigestSign(ctx, NULL, &dlen, tbs.p, tbs.len) != 1 ||
		    (der = OPENSSL_malloc(dlen)) == NULL ||
		    EVP_DigestSign(ctx, der, &dlen, tbs.p, tbs.len) != 1) {
			rc = ccc_err_openssl(err, "ES384 signing");
			goto out;
		}
		dp = der;
		if ((es = d2i_ECDSA_SIG(NULL, &dp, (long)dlen)) == NULL) {
			rc = ccc_err_openssl(err, "ES384 signing");
			goto out;
		}
	}
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, raw, 48) != 48 ||
	    BN_bn2binpad(s, raw + 48, 48) != 48) {
		rc = ccc_err_set(err, CCC_E_CRYPTO, -1, NULL,
		    "ES384 signature does not fit 96 bytes");
		goto out;
	}
	if ((rc = ccc_cbor_put_array(out, 4)) != 0 ||
	    (rc = ccc_cbor_put_bstr(out, prot.p, prot.len)) != 0 ||
	    (rc = ccc_cbor_put_map(out, 0)) != 0 ||
	    (rc = ccc_cbor_put_bstr(out, payload, payload_len)) != 0 ||
	    (rc = ccc_cbor_put_bstr(out, raw, sizeof(raw))) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "COSE_Sign1");
		goto out;
	}
	rc = 0;
out:
	ECDSA_SIG_free(es);
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	ccc_buf_free(&prot);
	ccc_buf_free(&tbs);
	ccc_cose_presign_free(ps);
	return rc;
}
