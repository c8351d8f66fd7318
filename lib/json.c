#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "json.h"

/* ---- a small reader for flat objects ------------------------------------ */

enum { J_STR, J_INT, J_STRARR };

struct jfield {
	const char *name;
	int kind;
	bool present;
	const char *p;		/* J_STR: string body (no escapes allowed) */
	size_t n;
	long long i;
	const char *arr;	/* J_STRARR: just after '[' */
	size_t count;
};

#define JF(nm, k) { .name = nm, .kind = k }

struct jp {
	const char *start, *p, *end;
	struct ccc_err *err;
	const char *what;
};

static int
jerr(struct jp *j, const char *msg)
{
	return ccc_err_set(j->err, CCC_E_MALFORMED, j->p - j->start, NULL,
	    "%s: %s", j->what, msg);
}

static void
ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool
lit(struct jp *j, char c)
{
	ws(j);
	if (j->p < j->end && *j->p == c) {
		j->p++;
		return true;
	}
	return false;
}

/* A string without escapes (base64 and our names never need them). */
static int
str(struct jp *j, const char **s, size_t *n)
{
	const char *q;

	if (!lit(j, '"'))
		return jerr(j, "expected a string");
	for (q = j->p; q < j->end && *q != '"'; q++)
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return jerr(j, "unsupported character in a string");
	if (q == j->end)
		return jerr(j, "unterminated string");
	*s = j->p;
	*n = (size_t)(q - j->p);
	j->p = q + 1;
	return 0;
}

static int
integer(struct jp *j, long long *v)
{
	long long x = 0;
	bool any = false;

	ws(j);
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (x > 1000000000LL)
			return jerr(j, "number too large");
		x = x * 10 + (*j->p++ - '0');
		any = true;
	}
	if (!any)
		return jerr(j, "expected a non-negative integer");
	*v = x;
	return 0;
}

/* Skip any JSON value (for unknown keys). */
static int
skip(struct jp *j, int depth)
{
	const char *s;
	size_t n;

	if (depth > 16)
		return jerr(j, "nested too deeply");
	ws(j);
	if (j->p >= j->end)
		return jerr(j, "unexpected end");
	if (*j->p == '"') {
		/* Strings here may carry escapes: skip them properly. */
		j->p++;
		while (j->p < j->end && *j->p != '"')
			j->p += *j->p == '\\' ? 2 : 1;
		if (j->p >= j->end)
			return jerr(j, "unterminated string");
		j->p++;
		return 0;
	}
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';
		bool obj = *j->p == '{';
		j->p++;
		if (lit(j, close))
			return 0;
		do {
			if (obj && (str(j, &s, &n) != 0 || !lit(j, ':')))
				return jerr(j, "bad object");
			if (skip(j, depth + 1) != 0)
				return CCC_E_MALFORMED;
		} while (lit(j, ','));
		return lit(j, close) ? 0 : jerr(j, "bad container");
	}
	while (j->p < j->end && strchr(",}] \t\r\n", *j->p) == NULL)
		j->p++;
	return 0;
}

static int
object(struct jp *j, struct jfield *f, size_t nf)
{
	const char *k, *s;
	size_t kn, i, n;

	if (!lit(j, '{'))
		return jerr(j, "expected a JSON object");
	if (lit(j, '}'))
		goto done;
	do {
		if (str(j, &k, &kn) != 0 || !lit(j, ':'))
			return jerr(j, "expected \"key\":");
		for (i = 0; i < nf; i++)
			if (strlen(f[i].name) == kn &&
			    memcmp(f[i].name, k, kn) == 0)
				break;
		if (i == nf) {
			if (skip(j, 0) != 0)
				return CCC_E_MALFORMED;
			continue;
		}
		if (f[i].present)
			return ccc_err_set(j->err, CCC_E_MALFORMED, -1, NULL,
			    "%s: duplicate key \"%s\"", j->what, f[i].name);
		f[i].present = true;
		switch (f[i].kind) {
		case J_STR:
			if (str(j, &f[i].p, &f[i].n) != 0)
				return CCC_E_MALFORMED;
			break;
		case J_INT:
			if (integer(j, &f[i].i) != 0)
				return CCC_E_MALFORMED;
			break;
		case J_STRARR:
			if (!lit(j, '['))
				return jerr(j, "expected an array");
			f[i].arr = j->p;
			if (lit(j, ']'))
				break;
			do {
				if (str(j, &s, &n) != 0)
					return CCC_E_MALFORMED;
				f[i].count++;
			} while (lit(j, ','));
			if (!lit(j, ']'))
				return jerr(j, "expected ]");
			break;
		}
	} while (lit(j, ','));
	if (!lit(j, '}'))
		return jerr(j, "expected }");
done:
	ws(j);
	if (j->p != j->end)
		return jerr(j, "trailing data after the object");
	for (i = 0; i < nf; i++)
		if (!f[i].present)
			return ccc_err_set(j->err, CCC_E_FIELD, -1, f[i].name,
			    "%s: missing \"%s\"", j->what, f[i].name);
	return 0;
}

static void
jinit(struct jp *j, const char *p, size_t n, const char *what,
    struct ccc_err *err)
{
	j->start = j->p = p;
	j->end = p + n;
	j->err = err;
	j->what = what;
}

/* Decode base64 of exactly want bytes. */
static int
b64(uint8_t *out, size_t want, const char *s, size_t n, const char *what,
    const char *field, struct ccc_err *err)
{
	size_t got;

	if (sodium_base642bin(out, want, s, n, NULL, &got, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || got != want)
		return ccc_err_set(err, CCC_E_FIELD, -1, field,
		    "%s: %s: not base64 of %zu bytes", what, field, want);
	return 0;
}

static int
check_group(const struct jfield *g, const char *what, struct ccc_err *err)
{
	if (g->n != 4 || memcmp(g->p, "P256", 4) != 0)
		return ccc_err_set(err, CCC_E_FIELD, -1, "Group",
		    "%s: unsupported group (only P256)", what);
	return 0;
}

/* ---- writer ------------------------------------------------------------- */

static int
put(struct ccc_buf *b, const char *s)
{
	return ccc_buf_put(b, s, strlen(s));
}

static int
put_b64(struct ccc_buf *b, const uint8_t *p, size_t n)
{
	size_t m = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	int rc;

	if ((rc = ccc_buf_put(b, "\"", 1)) != 0 ||
	    (rc = ccc_buf_reserve(b, m)) != 0)
		return rc;
	sodium_bin2base64((char *)b->p + b->len, m, p, n,
	    sodium_base64_VARIANT_ORIGINAL);
	b->len += m - 1;	/* without the NUL */
	return ccc_buf_put(b, "\"", 1);
}

int
ccc_json_tpk_export(struct ccc_buf *b, const struct ccc_tdh2_pub *pub)
{
	uint32_t i;
	int rc;

	if ((rc = put(b, "{\"Group\":\"P256\",\"G_bar\":")) != 0 ||
	    (rc = put_b64(b, pub->gbar_enc, 65)) != 0 ||
	    (rc = put(b, ",\"H\":")) != 0 ||
	    (rc = put_b64(b, pub->h_enc, 65)) != 0 ||
	    (rc = put(b, ",\"HArray\":[")) != 0)
		return rc;
	for (i = 0; i < pub->n; i++)
		if ((i > 0 && (rc = put(b, ",")) != 0) ||
		    (rc = put_b64(b, pub->hi_enc[i], 65)) != 0)
			return rc;
	return put(b, "]}\n");
}

int
ccc_json_tpk_import(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    const char *json, size_t len, uint32_t t, struct ccc_err *err)
{
	static const char dom[] = "ccc/chainlink-key-id/v1";
	struct jfield f[] = {
		JF("Group", J_STR), JF("G_bar", J_STR), JF("H", J_STR),
		JF("HArray", J_STRARR)
	};
	crypto_hash_sha256_state st;
	struct jp j;
	const char *s;
	size_t n, i;
	char name[32];
	int rc;

	memset(pub, 0, sizeof(*pub));
	jinit(&j, json, len, "public key JSON", err);
	if ((rc = object(&j, f, 4)) != 0 ||
	    (rc = check_group(&f[0], j.what, err)) != 0)
		return rc;
	if (f[3].count == 0 || f[3].count > CCC_TDH2_MAX_N)
		return ccc_err_set(err, CCC_E_FIELD, -1, "HArray",
		    "public key JSON: HArray has %zu entries (1 to %d)",
		    f[3].count, CCC_TDH2_MAX_N);
	if (t < 1 || t > f[3].count)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "threshold %u is not within 1..%zu", t, f[3].count);
	if ((rc = ccc_tdh2_pub_alloc(ec, pub, (uint32_t)f[3].count)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "public key");
	pub->t = t;
	if ((rc = b64(pub->gbar_enc, 65, f[1].p, f[1].n, j.what, "G_bar",
	    err)) != 0 || (rc = b64(pub->h_enc, 65, f[2].p, f[2].n, j.what,
	    "H", err)) != 0)
		goto fail;
	jinit(&j, f[3].arr, (size_t)(json + len - f[3].arr), j.what, err);
	for (i = 0; i < pub->n; i++) {
		if (i > 0)
			(void)lit(&j, ',');
		if ((rc = str(&j, &s, &n)) != 0)
			goto fail;
		snprintf(name, sizeof(name), "HArray[%zu]", i);
		if ((rc = b64(pub->hi_enc[i], 65, s, n, "public key JSON",
		    name, err)) != 0 ||
		    (rc = ccc_ec_point_decode(ec, pub->hi[i], pub->hi_enc[i],
		    "HArray", err)) != 0)
			goto fail;
	}
	if ((rc = ccc_ec_point_decode(ec, pub->h, pub->h_enc, "H", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, pub->gbar, pub->gbar_enc, "G_bar",
	    err)) != 0)
		goto fail;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)dom, sizeof(dom) - 1);
	crypto_hash_sha256_update(&st, pub->h_enc, 65);
	crypto_hash_sha256_update(&st, pub->gbar_enc, 65);
	crypto_hash_sha256_final(&st, pub->key_id);
	return 0;
fail:
	ccc_tdh2_pub_free(pub);
	return rc;
}

int
ccc_json_share_export(struct ccc_buf *b, const struct ccc_share *s)
{
	char idx[32];
	int rc;

	snprintf(idx, sizeof(idx), "%u", s->index - 1);
	if ((rc = put(b, "{\"Group\":\"P256\",\"Index\":")) != 0 ||
	    (rc = put(b, idx)) != 0 || (rc = put(b, ",\"V\":")) != 0 ||
	    (rc = put_b64(b, s->x, 32)) != 0)
		return rc;
	return put(b, "}\n");
}

int
ccc_json_share_import(struct ccc_share *s, const char *json, size_t len,
    const struct ccc_tdh2_pub *pub, struct ccc_err *err)
{
	struct jfield f[] = {
		JF("Group", J_STR), JF("Index", J_INT), JF("V", J_STR)
	};
	struct jp j;
	int rc;

	jinit(&j, json, len, "private share JSON", err);
	if ((rc = object(&j, f, 3)) != 0 ||
	    (rc = check_group(&f[0], j.what, err)) != 0)
		return rc;
	if (f[1].i < 0 || f[1].i >= (long long)pub->n)
		return ccc_err_set(err, CCC_E_FIELD, -1, "Index",
		    "private share JSON: Index %lld is not in 0..%u", f[1].i,
		    pub->n - 1);
	s->index = (uint32_t)f[1].i + 1;
	s->epoch = pub->epoch;
	memcpy(s->key_id, pub->key_id, 32);
	return b64(s->x, 32, f[2].p, f[2].n, j.what, "V", err);
}

int
ccc_json_dshare_export(struct ccc_buf *b, const struct ccc_tdh2_dshare *ds)
{
	char idx[32];
	int rc;

	snprintf(idx, sizeof(idx), "%u", ds->index - 1);
	if ((rc = put(b, "{\"Group\":\"P256\",\"Index\":")) != 0 ||
	    (rc = put(b, idx)) != 0 || (rc = put(b, ",\"U_i\":")) != 0 ||
	    (rc = put_b64(b, ds->u_i, CCC_POINT_BYTES)) != 0 ||
	    (rc = put(b, ",\"E_i\":")) != 0 ||
	    (rc = put_b64(b, ds->e_i, 32)) != 0 ||
	    (rc = put(b, ",\"F_i\":")) != 0 ||
	    (rc = put_b64(b, ds->f_i, 32)) != 0)
		return rc;
	return put(b, "}");
}

int
ccc_json_dshare_import(struct ccc_tdh2_dshare *ds, const char *json,
    size_t len, uint32_t n, struct ccc_err *err)
{
	struct jfield f[] = {
		JF("Group", J_STR), JF("Index", J_INT), JF("U_i", J_STR),
		JF("E_i", J_STR), JF("F_i", J_STR)
	};
	struct jp j;
	int rc;

	jinit(&j, json, len, "decryption share JSON", err);
	if ((rc = object(&j, f, 5)) != 0 ||
	    (rc = check_group(&f[0], j.what, err)) != 0)
		return rc;
	if (f[1].i < 0 || f[1].i >= (long long)n)
		return ccc_err_set(err, CCC_E_FIELD, -1, "Index",
		    "decryption share JSON: Index %lld is not in 0..%u", f[1].i,
		    n - 1);
	ds->index = (uint32_t)f[1].i + 1;
	if ((rc = b64(ds->u_i, CCC_POINT_BYTES, f[2].p, f[2].n, j.what, "U_i",
	    err)) != 0 ||
	    (rc = b64(ds->e_i, 32, f[3].p, f[3].n, j.what, "E_i", err)) != 0)
		return rc;
	return b64(ds->f_i, 32, f[4].p, f[4].n, j.what, "F_i", err);
}

/* The form of a carried JSON document from its first non-space bytes (-1:
 * none); *at is where it starts. */
static int
form_of(const uint8_t *p, size_t len, size_t *at)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' ||
		    p[i] == '\t')
			continue;
		*at = i;
		if (p[i] == '{')
			return CCC_FORM_JSON;
		if (len - i >= 4 && (memcmp(p + i, "7b22", 4) == 0 ||
		    memcmp(p + i, "7B22", 4) == 0))
			return CCC_FORM_HEX;
		if (len - i >= 3 && memcmp(p + i, "eyJ", 3) == 0)
			return CCC_FORM_BASE64;
		return -1;
	}
	return -1;
}

int
ccc_json_looks_like(const uint8_t *p, size_t len)
{
	size_t at;

	return form_of(p, len, &at) >= 0;
}

int
ccc_json_wire(struct ccc_buf *b, enum ccc_form form)
{
	struct ccc_buf w;
	size_t n = b->len - 1, m;	/* the JSON without its newline */
	int rc;

	if (form == CCC_FORM_JSON)
		return 0;
	m = form == CCC_FORM_HEX ? 2 * n + 1 :
	    sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	ccc_buf_init(&w, 0);
	if ((rc = ccc_buf_reserve(&w, m + 1)) != 0)
		goto out;
	if (form == CCC_FORM_HEX)
		sodium_bin2hex((char *)w.p, m, b->p, n);
	else
		sodium_bin2base64((char *)w.p, m, b->p, n,
		    sodium_base64_VARIANT_ORIGINAL);
	w.len = m - 1;
	ccc_buf_reset(b);
	if ((rc = ccc_buf_put(b, w.p, w.len)) == 0)
		rc = ccc_buf_put(b, "\n", 1);
out:
	ccc_buf_free(&w);
	return rc;
}

/*
 * The JSON bytes of a carried document, into *dec (malloc'ed, or NULL when
 * p is JSON already).  Surrounding white space is allowed.
 */
static int
unwire(const char *p, size_t n, char **dec, size_t *dlen,
    struct ccc_err *err)
{
	size_t at, end;
	int form = form_of((const uint8_t *)p, n, &at), bad;

	*dec = NULL;
	if (form == CCC_FORM_JSON || form < 0)
		return 0;
	for (end = n; end > at && (p[end - 1] == ' ' || p[end - 1] == '\n' ||
	    p[end - 1] == '\r' || p[end - 1] == '\t'); end--)
		;
	if ((*dec = malloc(end - at)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "ciphertext");
	if (form == CCC_FORM_HEX)
		bad = sodium_hex2bin((uint8_t *)*dec, end - at, p + at,
		    end - at, NULL, dlen, NULL) != 0 || (end - at) % 2 != 0;
	else
		bad = sodium_base642bin((uint8_t *)*dec, end - at, p + at,
		    end - at, NULL, dlen, NULL,
		    sodium_base64_VARIANT_ORIGINAL) != 0;
	if (bad) {
		free(*dec);
		*dec = NULL;
		return ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "ciphertext JSON: not %s",
		    form == CCC_FORM_HEX ? "hex" : "standard base64");
	}
	return 0;
}

/* s := s mod n for a 32-byte big-endian scalar. */
static int
reduce_scalar(uint8_t s[32])
{
	struct ccc_ec *ec = ccc_ec_default();
	BIGNUM *v;
	int rc = 0;

	if (ec == NULL || (v = BN_bin2bn(s, 32, NULL)) == NULL)
		return CCC_E_NOMEM;
	if (BN_cmp(v, ec->n) >= 0 && (BN_sub(v, v, ec->n) != 1 ||
	    BN_bn2binpad(v, s, 32) != 32))
		rc = CCC_E_CRYPTO;
	BN_free(v);
	return rc;
}

int
ccc_json_ct_import(struct ccc_buf *out, const char *json, size_t len,
    const char *context, struct ccc_err *err)
{
	struct jfield h[] = {
		JF("TDH2Ctxt", J_STR), JF("SymCtxt", J_STR), JF("Nonce", J_STR)
	};
	struct jfield t[] = {
		JF("Group", J_STR), JF("C", J_STR), JF("Label", J_STR),
		JF("U", J_STR), JF("U_bar", J_STR), JF("E", J_STR),
		JF("F", J_STR)
	};
	struct ccc_ct ct;
	struct jp j;
	char *inner = NULL;
	uint8_t *sym = NULL, label[32];
	char name[CCC_LABEL_SPELL_MAX], *dec = NULL;
	size_t dlen;
	size_t ilen, slen;
	int rc;

	memset(&ct, 0, sizeof(ct));
	if ((rc = unwire(json, len, &dec, &dlen, err)) != 0)
		return rc;
	if (dec != NULL) {
		json = dec;
		len = dlen;
	}
	jinit(&j, json, len, "ciphertext JSON", err);
	if ((rc = object(&j, h, 3)) != 0)
		goto out;
	if ((inner = malloc(h[0].n)) == NULL || (sym = malloc(h[1].n)) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "ciphertext");
		goto out;
	}
	if (sodium_base642bin((uint8_t *)inner, h[0].n, h[0].p, h[0].n, NULL,
	    &ilen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    sodium_base642bin(sym, h[1].n, h[1].p, h[1].n, NULL, &slen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, NULL,
		    "ciphertext JSON: TDH2Ctxt or SymCtxt is not base64");
		goto out;
	}
	if (slen < 16) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "SymCtxt",
		    "ciphertext JSON: SymCtxt shorter than its tag");
		goto out;
	}
	if ((rc = b64(ct.nonce, 12, h[2].p, h[2].n, j.what, "Nonce", err)) != 0)
		goto out;
	jinit(&j, inner, ilen, "TDH2 ciphertext JSON", err);
	if ((rc = object(&j, t, 7)) != 0 ||
	    (rc = check_group(&t[0], j.what, err)) != 0 ||
	    (rc = b64(ct.t.c, 32, t[1].p, t[1].n, j.what, "C", err)) != 0 ||
	    (rc = b64(ct.t.label, 32, t[2].p, t[2].n, j.what, "Label",
	    err)) != 0 ||
	    (rc = b64(ct.t.u, 65, t[3].p, t[3].n, j.what, "U", err)) != 0 ||
	    (rc = b64(ct.t.u_bar, 65, t[4].p, t[4].n, j.what, "U_bar",
	    err)) != 0 ||
	    (rc = b64(ct.t.e, 32, t[5].p, t[5].n, j.what, "E", err)) != 0 ||
	    (rc = b64(ct.t.f, 32, t[6].p, t[6].n, j.what, "F", err)) != 0)
		goto out;
	/*
	 * bcrypto's decodeScalar does not reduce H2's digest, so about one
	 * JavaScript ciphertext in 2^32 carries E >= n; E only matters mod n
	 * (f was computed mod n), so it is stored reduced.
	 */
	if ((rc = reduce_scalar(ct.t.e)) != 0) {
		rc = ccc_err_set(err, rc, -1, "E", "ciphertext JSON: E");
		goto out;
	}
	if (context == NULL) {
		/* No context given: the label is spelled as it is. */
		ccc_label_name(name, ct.t.label);
		if (name[0] != '\0')
			context = name;
	} else if ((rc = ccc_label(label, context, strlen(context),
	    err)) != 0)
		goto out;
	else if (sodium_memcmp(label, ct.t.label, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "Label",
		    "ciphertext JSON: the label is not the given label");
		goto out;
	}
	ct.context = context;
	ct.context_len = context ? strlen(context) : 0;
	ct.sym = sym;
	ct.sym_len = slen;
	if ((rc = ccc_ct_encode(out, &ct)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "ciphertext");
out:
	free(dec);
	free(inner);
	free(sym);
	return rc;
}

int
ccc_json_ct_export(struct ccc_buf *b, const struct ccc_ct *ct)
{
	struct ccc_buf in;
	int rc;

	ccc_buf_init(&in, 0);
	if ((rc = put(&in, "{\"Group\":\"P256\",\"C\":")) != 0 ||
	    (rc = put_b64(&in, ct->t.c, 32)) != 0 ||
	    (rc = put(&in, ",\"Label\":")) != 0 ||
	    (rc = put_b64(&in, ct->t.label, 32)) != 0 ||
	    (rc = put(&in, ",\"U\":")) != 0 ||
	    (rc = put_b64(&in, ct->t.u, 65)) != 0 ||
	    (rc = put(&in, ",\"U_bar\":")) != 0 ||
	    (rc = put_b64(&in, ct->t.u_bar, 65)) != 0 ||
	    (rc = put(&in, ",\"E\":")) != 0 ||
	    (rc = put_b64(&in, ct->t.e, 32)) != 0 ||
	    (rc = put(&in, ",\"F\":")) != 0 ||
	    (rc = put_b64(&in, ct->t.f, 32)) != 0 ||
	    (rc = put(&in, "}")) != 0)
		goto out;
	if ((rc = put(b, "{\"TDH2Ctxt\":")) != 0 ||
	    (rc = put_b64(b, in.p, in.len)) != 0 ||
	    (rc = put(b, ",\"SymCtxt\":")) != 0 ||
	    (rc = put_b64(b, ct->sym, ct->sym_len)) != 0 ||
	    (rc = put(b, ",\"Nonce\":")) != 0 ||
	    (rc = put_b64(b, ct->nonce, 12)) != 0)
		goto out;
	rc = put(b, "}\n");
out:
	ccc_buf_free(&in);
	return rc;
}

int
ccc_json_put_str(struct ccc_buf *b, const char *s)
{
	int rc = ccc_buf_printf(b, "\"");

	for (; rc == 0 && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			rc = ccc_buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			rc = ccc_buf_printf(b, "\\u%04x", (unsigned char)*s);
		else
			rc = ccc_buf_printf(b, "%c", *s);
	}
	return rc ? rc : ccc_buf_printf(b, "\"");
}
