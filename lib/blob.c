#include "config.h"

#include <string.h>

#include "blob.h"
#include "schemas.h"

const char *
ccc_article(const char *noun)
{
	return noun != NULL && strchr("aeiou", noun[0]) != NULL &&
	    noun[0] != '\0' ? "an" : "a";
}

static size_t
head_len(uint64_t v)
{
	return v < 24 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 :
	    v <= 0xffffffffULL ? 5 : 9;
}

const uint8_t *
ccc_val_elem(const struct ccc_val *v, uint32_t elem, size_t i)
{
	return v->p + i * (head_len(elem) + elem) + head_len(elem);
}

void
ccc_val_uint(struct ccc_val *v, uint64_t u)
{
	memset(v, 0, sizeof(*v));
	v->present = true;
	v->u = u;
}

void
ccc_val_bytes(struct ccc_val *v, const void *p, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->present = true;
	v->p = p;
	v->n = n;
}

void
ccc_val_array(struct ccc_val *v, const void *p, size_t n, size_t count)
{
	ccc_val_bytes(v, p, n);
	v->count = count;
}

/* An array's head, its element count within the field's bounds. */
static int
array_head(struct ccc_cur *c, const struct ccc_field *f, struct ccc_val *v,
    long long at)
{
	int rc;

	if ((rc = ccc_cur_array(c, &v->count, f->name)) != 0)
		return rc;
	if (v->count < f->min || v->count > f->max)
		return ccc_err_set(c->err, CCC_E_FIELD, at, f->name,
		    "%s: %zu elements, expected %llu to %llu", f->name,
		    v->count, (unsigned long long)f->min,
		    (unsigned long long)f->max);
	return 0;
}

/*
 * Element i of a BSTR_ARRAY: elem bytes, or with an alternative size, the
 * first element picks one of the two (v->elem) and every other has it.
 */
static int
elem_check(struct ccc_cur *c, const struct ccc_field *f, struct ccc_val *v,
    size_t i)
{
	long long at = ccc_cur_pos(c);
	const uint8_t *p;
	size_t n;
	int rc;

	if (f->elem_alt == 0)
		return ccc_cur_bstr_n(c, &p, f->elem, f->name);
	if ((rc = ccc_cur_bstr(c, &p, &n, f->name)) != 0)
		return rc;
	if (i == 0 && n == f->elem_alt)
		v->elem = f->elem_alt;
	if (n == v->elem)
		return 0;
	if (i == 0)
		return ccc_err_set(c->err, CCC_E_FIELD, at, f->name, "%s: "
		    "%zu bytes, expected %u or %u", f->name, n, f->elem,
		    f->elem_alt);
	return ccc_err_set(c->err, CCC_E_FIELD, at, f->name, "%s: %zu bytes, "
	    "expected %u as the first", f->name, n, v->elem);
}

static int
decode_value(const struct ccc_field *f, struct ccc_cur *c, struct ccc_val *v)
{
	long long at = ccc_cur_pos(c);
	size_t i, n;
	const uint8_t *p;
	int rc;

	v->off = at;
	v->present = true;
	switch (f->kind) {
	case CCC_F_UINT:
		if ((rc = ccc_cur_uint(c, &v->u, f->name)) != 0)
			return rc;
		if (v->u < f->min || v->u > f->max)
			return ccc_err_set(c->err, CCC_E_FIELD, at, f->name,
			    "%s: %llu is out of range %llu..%llu", f->name,
			    (unsigned long long)v->u,
			    (unsigned long long)f->min,
			    (unsigned long long)f->max);
		return 0;
	case CCC_F_BOOL: {
		bool b;
		if ((rc = ccc_cur_bool(c, &b, f->name)) != 0)
			return rc;
		v->u = b;
		return 0;
	}
	case CCC_F_BSTR:
	case CCC_F_TSTR:
		rc = f->kind == CCC_F_BSTR ?
		    ccc_cur_bstr(c, &v->p, &v->n, f->name) :
		    ccc_cur_tstr(c, (const char **)&v->p, &v->n, f->name);
		if (rc != 0)
			return rc;
		if (v->n < f->min || v->n > f->max) {
			if (f->min == f->max)
				return ccc_err_set(c->err, CCC_E_FIELD, at,
				    f->name, "%s: %zu bytes, expected %llu",
				    f->name, v->n,
				    (unsigned long long)f->min);
			return ccc_err_set(c->err, CCC_E_FIELD, at, f->name,
			    "%s: %zu bytes, expected %llu to %llu", f->name,
			    v->n, (unsigned long long)f->min,
			    (unsigned long long)f->max);
		}
		return 0;
	case CCC_F_BSTR_ARRAY:
	case CCC_F_BYTES_ARRAY:
	case CCC_F_MAP_ARRAY:
		if ((rc = array_head(c, f, v, at)) != 0)
			return rc;
		v->elem = f->elem;
		v->p = c->p + c->off;
		for (i = 0; i < v->count; i++) {
			long long bat = ccc_cur_pos(c);
			if (f->kind == CCC_F_BSTR_ARRAY) {
				if ((rc = elem_check(c, f, v, i)) != 0)
					return rc;
			} else if (f->kind == CCC_F_BYTES_ARRAY) {
				if ((rc = ccc_cur_bstr(c, &p, &n,
				    f->name)) != 0)
					return rc;
				if (n > f->elem)
					return ccc_err_set(c->err,
					    CCC_E_FIELD, bat, f->name,
					    "%s: %zu bytes, at most %u",
					    f->name, n, f->elem);
			} else {
				struct ccc_val sub[CCC_BLOB_MAX_FIELDS];
				if ((rc = ccc_blob_decode_map(f->sub, c,
				    sub)) != 0)
					return rc;
			}
		}
		v->n = (size_t)(c->p + c->off - v->p);
		return 0;
	case CCC_F_BLOB:
	case CCC_F_BLOB_ARRAY:
		if (f->kind == CCC_F_BLOB_ARRAY) {
			if ((rc = array_head(c, f, v, at)) != 0)
				return rc;
		} else
			v->count = 1;
		v->p = c->p + c->off;
		for (i = 0; i < v->count; i++) {
			long long bat = ccc_cur_pos(c);
			const struct ccc_schema *bs;
			if ((rc = ccc_cur_bstr(c, &p, &n, f->name)) != 0)
				return rc;
			if (n == 0 || n > f->elem)
				return ccc_err_set(c->err, CCC_E_FIELD, bat,
				    f->name, "%s: a blob of %zu bytes (1 to "
				    "%u)", f->name, n, f->elem);
			/* The nested blob must at least be of the right type;
			 * its consumer decodes it in full. */
			bs = ccc_blob_peek_type(p, n);
			if (bs == NULL || (f->sub != NULL && bs != f->sub))
				return ccc_err_set(c->err, CCC_E_TYPE, bat,
				    f->name, "%s: not %s %s", f->name,
				    ccc_article(f->sub ? f->sub->title : "c"),
				    f->sub ?
				    f->sub->title : "ccc blob");
		}
		v->n = (size_t)(c->p + c->off - v->p);
		if (f->kind == CCC_F_BLOB) {
			/* For a single blob, p/n are the nested bytes. */
			v->p = p;
			v->n = n;
		}
		return 0;
	case CCC_F_MAP:
		v->p = c->p + c->off;
		{
			struct ccc_val sub[CCC_BLOB_MAX_FIELDS];
			if ((rc = ccc_blob_decode_map(f->sub, c, sub)) != 0)
				return rc;
		}
		v->n = (size_t)(c->p + c->off - v->p);
		(void)n;
		return 0;
	}
	return ccc_err_set(c->err, CCC_E_INTERNAL, at, f->name, "schema");
}

int
ccc_blob_decode_map(const struct ccc_schema *s, struct ccc_cur *c,
    struct ccc_val *vals)
{
	const struct ccc_schema *other;
	const char *type;
	size_t n, i, fi = 0, tlen;
	uint64_t key;
	long long at = ccc_cur_pos(c);
	int rc;

	memset(vals, 0, s->nfields * sizeof(*vals));
	if ((rc = ccc_cur_map(c, &n, s->type ? "blob" : "map")) != 0)
		return rc;
	i = 0;
	if (s->type != NULL) {
		if (n == 0 || ccc_cur_uint(c, &key, "type") != 0 || key != 0 ||
		    ccc_cur_tstr(c, &type, &tlen, "type") != 0)
			return ccc_err_set(c->err, CCC_E_TYPE, at, "type",
			    "expected %s %s (%s), found no type",
			    ccc_article(s->title), s->title,
			    s->type);
		if (tlen != strlen(s->type) ||
		    memcmp(type, s->type, tlen) != 0) {
			char vis[4 * 64 + 1];
			other = ccc_schema_find(type, tlen);
			if (other != NULL)
				return ccc_err_set(c->err, CCC_E_TYPE, at,
				    "type", "expected %s %s (%s), found %s %s "
				    "(%s)", ccc_article(s->title), s->title,
				    s->type, ccc_article(other->title),
				    other->title,
				    other->type);
			return ccc_err_set(c->err, CCC_E_TYPE, at, "type",
			    "expected %s %s (%s), found type \"%s\"",
			    ccc_article(s->title), s->title, s->type,
			    ccc_vis(vis, sizeof(vis), type, tlen > 64 ? 64 :
			    tlen, CCC_VIS_SLASH));
		}
		i = 1;
	}
	for (; i < n; i++) {
		long long kat = ccc_cur_pos(c);
		if ((rc = ccc_cur_uint(c, &key, "key")) != 0)
			return rc;
		while (fi < s->nfields && s->fields[fi].key < key) {
			if (!(s->fields[fi].flags & CCC_F_OPT))
				return ccc_err_set(c->err, CCC_E_FIELD, kat,
				    s->fields[fi].name, "missing field %s "
				    "(key %u)", s->fields[fi].name,
				    s->fields[fi].key);
			fi++;
		}
		if (fi == s->nfields || s->fields[fi].key != key)
			return ccc_err_set(c->err, CCC_E_MALFORMED, kat, NULL,
			    "unknown key %llu in a %s",
			    (unsigned long long)key, s->title);
		if ((rc = decode_value(&s->fields[fi], c, &vals[fi])) != 0)
			return rc;
		fi++;
	}
	for (; fi < s->nfields; fi++)
		if (!(s->fields[fi].flags & CCC_F_OPT))
			return ccc_err_set(c->err, CCC_E_FIELD, ccc_cur_pos(c),
			    s->fields[fi].name, "missing field %s (key %u)",
			    s->fields[fi].name, s->fields[fi].key);
	return 0;
}

int
ccc_blob_decode(const struct ccc_schema *s, const uint8_t *p, size_t len,
    struct ccc_val *vals, long long base, struct ccc_err *err)
{
	struct ccc_cur c;
	size_t ilen;
	int rc;

	if (len == 0)
		return ccc_err_set(err, CCC_E_TRUNCATED, base, NULL,
		    "empty input, expected a %s", s->title);
	/*
	 * No cap beyond the input itself (its reader capped it): with a cap
	 * of len, a blob cut short would be "too large", not "truncated".
	 */
	if ((rc = ccc_cbor_check(p, len, CCC_CBOR_STRICT, SIZE_MAX, &ilen,
	    base, err)) != 0)
		return rc;
	if (ilen != len)
		return ccc_err_set(err, CCC_E_MALFORMED, base + (long long)ilen,
		    NULL, "%zu trailing bytes after the %s", len - ilen,
		    s->title);
	ccc_cur_init(&c, p, len, base, err);
	return ccc_blob_decode_map(s, &c, vals);
}

int
ccc_blob_prefix_check(const struct ccc_schema *s, const uint8_t *p,
    size_t len, bool complete, long long base, struct ccc_err *err)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_cur c;
	struct ccc_err e;
	int rc;

	if (ccc_blob_peek_type(p, len) == s)
		return 0;
	/* Its first item only: what follows may be the next one. */
	ccc_cur_init(&c, p, len, 0, NULL);
	if (ccc_cur_skip(&c) == 0)
		len = (size_t)ccc_cur_pos(&c);
	ccc_err_clear(&e);
	if ((rc = ccc_blob_decode(s, p, len, v, base, &e)) == 0 ||
	    (rc == CCC_E_TRUNCATED && !complete))
		return 0;
	if (err != NULL)
		*err = e;
	return rc;
}

const struct ccc_schema *
ccc_blob_peek_type(const uint8_t *p, size_t len)
{
	struct ccc_cur c;
	const char *type;
	size_t n, tlen;
	uint64_t key;

	ccc_cur_init(&c, p, len, 0, NULL);
	if (ccc_cur_map(&c, &n, NULL) != 0 || n == 0 ||
	    ccc_cur_uint(&c, &key, NULL) != 0 || key != 0 ||
	    ccc_cur_tstr(&c, &type, &tlen, NULL) != 0)
		return NULL;
	return ccc_schema_find(type, tlen);
}

int
ccc_blob_encode(struct ccc_buf *b, const struct ccc_schema *s,
    const struct ccc_val *vals)
{
	return ccc_blob_encode_prefix(b, s, vals, 0);
}

int
ccc_blob_encode_prefix(struct ccc_buf *b, const struct ccc_schema *s,
    const struct ccc_val *vals, size_t trailing)
{
	const struct ccc_field *f;
	size_t i, n = (s->type ? 1 : 0) + trailing;
	int rc;

	for (i = 0; i < s->nfields; i++)
		n += vals[i].present;
	if ((rc = ccc_cbor_put_map(b, n)) != 0)
		return rc;
	if (s->type != NULL && ((rc = ccc_cbor_put_uint(b, 0)) != 0 ||
	    (rc = ccc_cbor_put_cstr(b, s->type)) != 0))
		return rc;
	for (i = 0; i < s->nfields; i++) {
		f = &s->fields[i];
		if (!vals[i].present)
			continue;
		if ((rc = ccc_cbor_put_uint(b, f->key)) != 0)
			return rc;
		switch (f->kind) {
		case CCC_F_UINT:
			rc = ccc_cbor_put_uint(b, vals[i].u);
			break;
		case CCC_F_BOOL:
			rc = ccc_cbor_put_bool(b, vals[i].u != 0);
			break;
		case CCC_F_BSTR:
			rc = ccc_cbor_put_bstr(b, vals[i].p, vals[i].n);
			break;
		case CCC_F_TSTR:
			rc = ccc_cbor_put_tstr(b, (const char *)vals[i].p,
			    vals[i].n);
			break;
		case CCC_F_BSTR_ARRAY: {
			/* p: count elements of elem bytes, back to back. */
			size_t j;
			if ((rc = ccc_cbor_put_array(b, vals[i].count)) != 0)
				return rc;
			for (j = 0; j < vals[i].count && rc == 0; j++)
				rc = ccc_cbor_put_bstr(b, vals[i].p +
				    j * f->elem, f->elem);
			break;
		}
		case CCC_F_MAP_ARRAY:
			/* p: count maps already encoded, back to back. */
			if ((rc = ccc_cbor_put_array(b, vals[i].count)) != 0)
				return rc;
			rc = ccc_buf_put(b, vals[i].p, vals[i].n);
			break;
		case CCC_F_MAP:
		case CCC_F_BLOB_ARRAY:
		case CCC_F_BYTES_ARRAY:
			/* p: the encoded map / the encoded byte strings. */
			if (f->kind != CCC_F_MAP &&
			    (rc = ccc_cbor_put_array(b, vals[i].count)) != 0)
				return rc;
			rc = ccc_buf_put(b, vals[i].p, vals[i].n);
			break;
		case CCC_F_BLOB:
			rc = ccc_cbor_put_bstr(b, vals[i].p, vals[i].n);
			break;
		default:
			rc = CCC_E_INTERNAL;
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}
