/* The Nitro document payload: a tolerant reader, an NSM-shaped writer. */
#include "config.h"

#include <string.h>

#include "cbor.h"
#include "nitro.h"

enum {
	K_MODULE_ID, K_DIGEST, K_TIMESTAMP, K_PCRS, K_CERTIFICATE,
	K_CABUNDLE, K_PUBLIC_KEY, K_USER_DATA, K_NONCE, K_COUNT
};

/* In the order the NSM writes them, which the writer follows. */
static const char *const key_names[K_COUNT] = {
	"module_id", "digest", "timestamp", "pcrs", "certificate",
	"cabundle", "public_key", "user_data", "nonce"
};

#define REQUIRED ((1u << K_MODULE_ID) | (1u << K_DIGEST) | \
	(1u << K_TIMESTAMP) | (1u << K_PCRS) | (1u << K_CERTIFICATE) | \
	(1u << K_CABUNDLE))

static const char digest_sha384[] = "SHA384";

/*
 * module_id is printed in reports and used as a certificate name: visible
 * ASCII without quote or backslash, so it never needs escaping.
 */
static bool
module_id_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > CCC_NITRO_MODULE_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
			return false;
	return true;
}

static bool
pcr_len_ok(size_t n)
{
	return n == 32 || n == 48 || n == 64;
}

/* A byte string of lo..hi bytes. */
static int
bytes(struct ccc_cur *c, struct ccc_nitro_bytes *v, size_t lo, size_t hi,
    const char *field)
{
	long long at = ccc_cur_pos(c);
	int rc;

	if ((rc = ccc_cur_bstr(c, &v->p, &v->n, field)) != 0)
		return rc;
	if (v->n < lo || v->n > hi)
		return ccc_err_set(c->err, CCC_E_FIELD, at, field,
		    "%s: %zu bytes, expected %zu to %zu", field, v->n, lo, hi);
	v->present = true;
	return 0;
}

/* An optional byte string: CBOR null means absent. */
static int
opt_bytes(struct ccc_cur *c, struct ccc_nitro_bytes *v, const char *field)
{
	uint64_t u;
	int major, rc;

	if ((rc = ccc_cur_peek(c, &major, &u)) != 0)
		return rc;
	if (major == CCC_CBOR_SIMPLE && u == 22) {
		v->present = false;
		return ccc_cur_skip(c);
	}
	return bytes(c, v, 0, CCC_NITRO_FIELD_MAX, field);
}

static int
pcrs(struct ccc_cur *c, struct ccc_nitro_doc *d)
{
	long long at = ccc_cur_pos(c);
	uint64_t idx;
	size_t n, i;
	int rc;

	if ((rc = ccc_cur_map(c, &n, "pcrs")) != 0)
		return rc;
	if (n < 1 || n > CCC_NITRO_PCRS)
		return ccc_err_set(c->err, CCC_E_FIELD, at, "pcrs",
		    "pcrs: %zu entries, expected 1 to %d", n, CCC_NITRO_PCRS);
	for (i = 0; i < n; i++) {
		at = ccc_cur_pos(c);
		if ((rc = ccc_cur_uint(c, &idx, "pcrs index")) != 0)
			return rc;
		if (idx >= CCC_NITRO_PCRS)
			return ccc_err_set(c->err, CCC_E_FIELD, at, "pcrs",
			    "pcrs: index %llu, expected 0 to %d",
			    (unsigned long long)idx, CCC_NITRO_PCRS - 1);
		if (d->pcrs[idx].present)
			return ccc_err_set(c->err, CCC_E_MALFORMED, at, "pcrs",
			    "pcrs: index %llu repeated",
			    (unsigned long long)idx);
		at = ccc_cur_pos(c);
		if ((rc = bytes(c, &d->pcrs[idx], 32, CCC_NITRO_PCR_MAX,
		    "pcr")) != 0)
			return rc;
		if (!pcr_len_ok(d->pcrs[idx].n))
			return ccc_err_set(c->err, CCC_E_FIELD, at, "pcrs",
			    "pcr%llu: %zu bytes, expected 32, 48 or 64",
			    (unsigned long long)idx, d->pcrs[idx].n);
	}
	d->npcrs = n;
	return 0;
}

static int
cabundle(struct ccc_cur *c, struct ccc_nitro_doc *d)
{
	long long at = ccc_cur_pos(c);
	size_t n, i;
	int rc;

	if ((rc = ccc_cur_array(c, &n, "cabundle")) != 0)
		return rc;
	if (n < 1 || n > CCC_NITRO_CABUNDLE_MAX)
		return ccc_err_set(c->err, CCC_E_FIELD, at, "cabundle",
		    "cabundle: %zu certificates, expected 1 to %d", n,
		    CCC_NITRO_CABUNDLE_MAX);
	for (i = 0; i < n; i++)
		if ((rc = bytes(c, &d->cabundle[i], 1, CCC_NITRO_CERT_MAX,
		    "cabundle")) != 0)
			return rc;
	d->ncabundle = n;
	return 0;
}

int
ccc_nitro_decode(struct ccc_nitro_doc *d, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err)
{
	struct ccc_cur c;
	const char *s;
	size_t n, i, k, ilen, sn;
	unsigned seen = 0;
	long long at;
	int rc;

	memset(d, 0, sizeof(*d));
	if (len > CCC_NITRO_PAYLOAD_MAX)
		return ccc_err_set(err, CCC_E_TOOBIG, base, "payload",
		    "payload of %zu bytes, at most %d", len,
		    CCC_NITRO_PAYLOAD_MAX);
	if (len == 0)
		return ccc_err_set(err, CCC_E_TRUNCATED, base, "payload",
		    "empty payload");
	if ((rc = ccc_cbor_check(p, len, CCC_CBOR_FOREIGN, len, &ilen, base,
	    err)) != 0)
		return rc;
	if (ilen != len)
		return ccc_err_set(err, CCC_E_MALFORMED, base + (long long)ilen,
		    "payload", "trailing bytes after the payload map");
	ccc_cur_init(&c, p, len, base, err);
	if ((rc = ccc_cur_map(&c, &n, "payload")) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		at = ccc_cur_pos(&c);
		if ((rc = ccc_cur_tstr(&c, &s, &sn, "payload key")) != 0)
			return rc;
		for (k = 0; k < K_COUNT; k++)
			if (strlen(key_names[k]) == sn &&
			    memcmp(key_names[k], s, sn) == 0)
				break;
		/* Name an unknown key only if it is short and printable. */
		if (k == K_COUNT && module_id_ok(s, sn) && sn <= 32)
			return ccc_err_set(err, CCC_E_MALFORMED, at, "payload",
			    "unknown key \"%.*s\"", (int)sn, s);
		if (k == K_COUNT)
			return ccc_err_set(err, CCC_E_MALFORMED, at, "payload",
			    "unknown key");
		if (seen & (1u << k))
			return ccc_err_set(err, CCC_E_MALFORMED, at, "payload",
			    "key \"%s\" repeated", key_names[k]);
		seen |= 1u << k;
		at = ccc_cur_pos(&c);
		switch (k) {
		case K_MODULE_ID:
			if ((rc = ccc_cur_tstr(&c, &d->module_id,
			    &d->module_id_len, "module_id")) != 0)
				return rc;
			if (!module_id_ok(d->module_id, d->module_id_len))
				return ccc_err_set(err, CCC_E_FIELD, at,
				    "module_id", "module_id: 1 to %d "
				    "printable ASCII characters expected",
				    CCC_NITRO_MODULE_ID_MAX);
			break;
		case K_DIGEST:
			if ((rc = ccc_cur_tstr(&c, &s, &sn, "digest")) != 0)
				return rc;
			if (sn != strlen(digest_sha384) ||
			    memcmp(s, digest_sha384, sn) != 0)
				return ccc_err_set(err, CCC_E_FIELD, at,
				    "digest", "digest: expected \"SHA384\"");
			break;
		case K_TIMESTAMP:
			if ((rc = ccc_cur_uint(&c, &d->timestamp_ms,
			    "timestamp")) != 0)
				return rc;
			if (d->timestamp_ms == 0)
				return ccc_err_set(err, CCC_E_FIELD, at,
				    "timestamp", "timestamp: zero");
			break;
		case K_PCRS:
			if ((rc = pcrs(&c, d)) != 0)
				return rc;
			break;
		case K_CERTIFICATE:
			if ((rc = bytes(&c, &d->certificate, 1,
			    CCC_NITRO_CERT_MAX, "certificate")) != 0)
				return rc;
			break;
		case K_CABUNDLE:
			if ((rc = cabundle(&c, d)) != 0)
				return rc;
			break;
		case K_PUBLIC_KEY:
			if ((rc = opt_bytes(&c, &d->public_key,
			    "public_key")) != 0)
				return rc;
			break;
		case K_USER_DATA:
			if ((rc = opt_bytes(&c, &d->user_data,
			    "user_data")) != 0)
				return rc;
			break;
		case K_NONCE:
			if ((rc = opt_bytes(&c, &d->nonce, "nonce")) != 0)
				return rc;
			break;
		}
	}
	if ((seen & REQUIRED) != REQUIRED) {
		for (k = 0; k < K_COUNT; k++)
			if ((REQUIRED & (1u << k)) && !(seen & (1u << k)))
				break;
		return ccc_err_set(err, CCC_E_FIELD, base, "payload",
		    "missing \"%s\"", key_names[k]);
	}
	return 0;
}

static int
put_opt(struct ccc_buf *b, const struct ccc_nitro_bytes *v)
{
	static const uint8_t null = 0xf6;

	if (!v->present)
		return ccc_buf_put(b, &null, 1);
	return ccc_cbor_put_bstr(b, v->p, v->n);
}

static bool
encodable(const struct ccc_nitro_doc *d)
{
	size_t i, n = 0;

	if (!module_id_ok(d->module_id, d->module_id_len) ||
	    d->timestamp_ms == 0 || !d->certificate.present ||
	    d->certificate.n < 1 || d->certificate.n > CCC_NITRO_CERT_MAX ||
	    d->ncabundle < 1 || d->ncabundle > CCC_NITRO_CABUNDLE_MAX)
		return false;
	for (i = 0; i < CCC_NITRO_PCRS; i++)
		if (d->pcrs[i].present) {
			if (!pcr_len_ok(d->pcrs[i].n))
				return false;
			n++;
		}
	if (n < 1)
		return false;
	for (i = 0; i < d->ncabundle; i++)
		if (d->cabundle[i].n < 1 ||
		    d->cabundle[i].n > CCC_NITRO_CERT_MAX)
			return false;
	return (!d->public_key.present ||
	    d->public_key.n <= CCC_NITRO_FIELD_MAX) &&
	    (!d->user_data.present || d->user_data.n <= CCC_NITRO_FIELD_MAX) &&
	    (!d->nonce.present || d->nonce.n <= CCC_NITRO_FIELD_MAX);
}

int
ccc_nitro_encode(struct ccc_buf *b, const struct ccc_nitro_doc *d)
{
	size_t i, n = 0;
	int rc;

	if (!encodable(d))
		return CCC_E_FIELD;
	for (i = 0; i < CCC_NITRO_PCRS; i++)
		n += d->pcrs[i].present;
	if ((rc = ccc_cbor_put_map(b, K_COUNT)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_MODULE_ID])) != 0 ||
	    (rc = ccc_cbor_put_tstr(b, d->module_id, d->module_id_len)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_DIGEST])) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, digest_sha384)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_TIMESTAMP])) != 0 ||
	    (rc = ccc_cbor_put_uint(b, d->timestamp_ms)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_PCRS])) != 0 ||
	    (rc = ccc_cbor_put_map(b, n)) != 0)
		return rc;
	for (i = 0; i < CCC_NITRO_PCRS; i++)
		if (d->pcrs[i].present &&
		    ((rc = ccc_cbor_put_uint(b, i)) != 0 ||
		    (rc = ccc_cbor_put_bstr(b, d->pcrs[i].p,
		    d->pcrs[i].n)) != 0))
			return rc;
	if ((rc = ccc_cbor_put_cstr(b, key_names[K_CERTIFICATE])) != 0 ||
	    (rc = ccc_cbor_put_bstr(b, d->certificate.p,
	    d->certificate.n)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_CABUNDLE])) != 0 ||
	    (rc = ccc_cbor_put_array(b, d->ncabundle)) != 0)
		return rc;
	for (i = 0; i < d->ncabundle; i++)
		if ((rc = ccc_cbor_put_bstr(b, d->cabundle[i].p,
		    d->cabundle[i].n)) != 0)
			return rc;
	if ((rc = ccc_cbor_put_cstr(b, key_names[K_PUBLIC_KEY])) != 0 ||
	    (rc = put_opt(b, &d->public_key)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_USER_DATA])) != 0 ||
	    (rc = put_opt(b, &d->user_data)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, key_names[K_NONCE])) != 0 ||
	    (rc = put_opt(b, &d->nonce)) != 0)
		return rc;
	return 0;
}
