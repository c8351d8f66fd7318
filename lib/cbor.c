#include "config.h"

#include <string.h>

/* libcbor: its umbrella <cbor.h> is shadowed by our own cbor.h. */
#include <cbor/callbacks.h>
#include <cbor/data.h>
#include <cbor/encoding.h>
#include <cbor/streaming.h>

#include "cbor.h"

/* ---- encoding ---------------------------------------------------------- */

typedef size_t (*head_fn)(uint64_t, unsigned char *, size_t);

static size_t
enc_map(uint64_t n, unsigned char *p, size_t len)
{
	return cbor_encode_map_start((size_t)n, p, len);
}

static size_t
enc_array(uint64_t n, unsigned char *p, size_t len)
{
	return cbor_encode_array_start((size_t)n, p, len);
}

static size_t
enc_bstr(uint64_t n, unsigned char *p, size_t len)
{
	return cbor_encode_bytestring_start((size_t)n, p, len);
}

static size_t
enc_tstr(uint64_t n, unsigned char *p, size_t len)
{
	return cbor_encode_string_start((size_t)n, p, len);
}

static int
put_head(struct ccc_buf *b, head_fn fn, uint64_t v)
{
	size_t w;
	int rc;

	if ((rc = ccc_buf_reserve(b, 9)) != 0)
		return rc;
	if ((w = fn(v, b->p + b->len, b->cap - b->len)) == 0)
		return CCC_E_INTERNAL;
	b->len += w;
	return 0;
}

int
ccc_cbor_put_uint(struct ccc_buf *b, uint64_t v)
{
	return put_head(b, cbor_encode_uint, v);
}

int
ccc_cbor_put_map(struct ccc_buf *b, size_t n)
{
	return put_head(b, enc_map, n);
}

int
ccc_cbor_put_array(struct ccc_buf *b, size_t n)
{
	return put_head(b, enc_array, n);
}

int
ccc_cbor_put_bstr_head(struct ccc_buf *b, size_t n)
{
	return put_head(b, enc_bstr, n);
}

int
ccc_cbor_put_bstr(struct ccc_buf *b, const void *p, size_t n)
{
	int rc;

	if ((rc = put_head(b, enc_bstr, n)) != 0)
		return rc;
	return ccc_buf_put(b, p, n);
}

int
ccc_cbor_put_tstr(struct ccc_buf *b, const char *s, size_t n)
{
	int rc;

	if ((rc = put_head(b, enc_tstr, n)) != 0)
		return rc;
	return ccc_buf_put(b, s, n);
}

int
ccc_cbor_put_cstr(struct ccc_buf *b, const char *s)
{
	return ccc_cbor_put_tstr(b, s, strlen(s));
}

int
ccc_cbor_put_bool(struct ccc_buf *b, bool v)
{
	uint8_t c = v ? 0xf5 : 0xf4;

	return ccc_buf_put(b, &c, 1);
}

/* ---- validation -------------------------------------------------------- */

/* What one cbor_stream_decode step delivered. */
enum ev {
	EV_NONE, EV_UINT, EV_NEGINT, EV_BSTR, EV_TSTR, EV_ARRAY, EV_MAP,
	EV_TAG, EV_BOOL, EV_NULL, EV_BAD
};

struct step {
	enum ev ev;
	uint64_t val;		/* integer value, length or count */
	const uint8_t *str;
	const char *bad;	/* why EV_BAD */
};

#define STEP(s) ((struct step *)(s))

static void cb_u8(void *s, uint8_t v) { STEP(s)->ev = EV_UINT; STEP(s)->val = v; }
static void cb_u16(void *s, uint16_t v) { STEP(s)->ev = EV_UINT; STEP(s)->val = v; }
static void cb_u32(void *s, uint32_t v) { STEP(s)->ev = EV_UINT; STEP(s)->val = v; }
static void cb_u64(void *s, uint64_t v) { STEP(s)->ev = EV_UINT; STEP(s)->val = v; }
static void cb_n8(void *s, uint8_t v) { STEP(s)->ev = EV_NEGINT; STEP(s)->val = v; }
static void cb_n16(void *s, uint16_t v) { STEP(s)->ev = EV_NEGINT; STEP(s)->val = v; }
static void cb_n32(void *s, uint32_t v) { STEP(s)->ev = EV_NEGINT; STEP(s)->val = v; }
static void cb_n64(void *s, uint64_t v) { STEP(s)->ev = EV_NEGINT; STEP(s)->val = v; }

static void
cb_bstr(void *s, cbor_data d, size_t n)
{
	STEP(s)->ev = EV_BSTR;
	STEP(s)->val = n;
	STEP(s)->str = d;
}

static void
cb_tstr(void *s, cbor_data d, size_t n)
{
	STEP(s)->ev = EV_TSTR;
	STEP(s)->val = n;
	STEP(s)->str = d;
}

static void cb_arr(void *s, size_t n) { STEP(s)->ev = EV_ARRAY; STEP(s)->val = n; }
static void cb_map(void *s, size_t n) { STEP(s)->ev = EV_MAP; STEP(s)->val = n; }
static void cb_tag(void *s, uint64_t v) { STEP(s)->ev = EV_TAG; STEP(s)->val = v; }
static void cb_bool(void *s, bool v) { STEP(s)->ev = EV_BOOL; STEP(s)->val = v; }
static void cb_null(void *s) { STEP(s)->ev = EV_NULL; }
static void cb_undef(void *s) { STEP(s)->ev = EV_BAD; STEP(s)->bad = "undefined value"; }
static void cb_indef(void *s) { STEP(s)->ev = EV_BAD; STEP(s)->bad = "indefinite length"; }
static void cb_brk(void *s) { STEP(s)->ev = EV_BAD; STEP(s)->bad = "unexpected break"; }
static void cb_flt(void *s, float v) { (void)v; STEP(s)->ev = EV_BAD; STEP(s)->bad = "floating-point value"; }
static void cb_dbl(void *s, double v) { (void)v; STEP(s)->ev = EV_BAD; STEP(s)->bad = "floating-point value"; }

static const struct cbor_callbacks check_cb = {
	.uint8 = cb_u8, .uint16 = cb_u16, .uint32 = cb_u32, .uint64 = cb_u64,
	.negint8 = cb_n8, .negint16 = cb_n16, .negint32 = cb_n32,
	.negint64 = cb_n64,
	.byte_string = cb_bstr, .byte_string_start = cb_indef,
	.string = cb_tstr, .string_start = cb_indef,
	.array_start = cb_arr, .indef_array_start = cb_indef,
	.map_start = cb_map, .indef_map_start = cb_indef,
	.tag = cb_tag,
	.float2 = cb_flt, .float4 = cb_flt, .float8 = cb_dbl,
	.undefined = cb_undef, .null = cb_null, .boolean = cb_bool,
	.indef_break = cb_brk,
};

/*
 * libcbor 0.8's stream decoder refuses tags 6..20 as reserved (RFC 7049
 * had them unassigned), yet COSE_Sign1 is tag 18: tag heads are decoded
 * here instead.
 */
static struct cbor_decoder_result
tag_head(const uint8_t *p, size_t len, struct step *s)
{
	struct cbor_decoder_result r = { 0, CBOR_DECODER_ERROR, 0 };
	uint8_t ai = p[0] & 0x1f;
	size_t n, i;
	uint64_t v = 0;

	if (ai < 24) {
		v = ai;
		n = 0;
	} else if (ai <= 27) {
		n = (size_t)1 << (ai - 24);
		if (len < 1 + n) {
			r.status = CBOR_DECODER_NEDATA;
			r.required = 1 + n;
			return r;
		}
		for (i = 0; i < n; i++)
			v = (v << 8) | p[1 + i];
	} else {
		s->ev = EV_BAD;
		s->bad = "indefinite or reserved tag";
		r.status = CBOR_DECODER_FINISHED;
		r.read = 1;
		return r;
	}
	s->ev = EV_TAG;
	s->val = v;
	r.status = CBOR_DECODER_FINISHED;
	r.read = 1 + n;
	return r;
}

static size_t
head_len(uint64_t v)
{
	if (v < 24)
		return 1;
	if (v <= 0xff)
		return 2;
	if (v <= 0xffff)
		return 3;
	if (v <= 0xffffffffULL)
		return 5;
	return 9;
}

/* RFC 3629 well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool
ccc_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0, k, need;
	uint32_t cp, min;

	while (i < n) {
		uint8_t c = s[i++];
		if (c < 0x80)
			continue;
		if ((c & 0xe0) == 0xc0) {
			need = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3; cp = c & 0x07; min = 0x10000;
		} else
			return false;
		if (n - i < need)
			return false;
		for (k = 0; k < need; k++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i++] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

struct frame {
	uint64_t remaining;	/* items still to come (2 per map entry) */
	bool is_map;
	bool have_key;		/* strict: a previous key exists */
	uint64_t prev_key;
};

int
ccc_cbor_check(const uint8_t *p, size_t len, int profile, size_t max,
    size_t *item_len, long long base, struct ccc_err *err)
{
	struct frame st[CCC_CBOR_MAX_DEPTH + 1];
	struct cbor_decoder_result r;
	struct step s;
	size_t pos = 0, hl;
	int depth = 0;
	bool strict = profile == CCC_CBOR_STRICT, is_key;
	uint64_t need;

	for (;;) {
		long long at = base + (long long)pos;

		if (pos >= len)
			return ccc_err_set(err, CCC_E_TRUNCATED, at, NULL,
			    "input ends inside an item");
		memset(&s, 0, sizeof(s));
		if ((p[pos] >> 5) == 6)
			r = tag_head(p + pos, len - pos, &s);
		else
			r = cbor_stream_decode(p + pos, len - pos, &check_cb,
			    &s);
		if (r.status == CBOR_DECODER_NEDATA) {
			/* A string whose declared length runs past the cap. */
			if (r.required > max - pos || len - pos >= max)
				return ccc_err_set(err, CCC_E_TOOBIG, at, NULL,
				    "item larger than %zu bytes", max);
			return ccc_err_set(err, CCC_E_TRUNCATED, at, NULL,
			    "input ends inside an item");
		}
		if (r.status != CBOR_DECODER_FINISHED)
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "reserved or invalid initial byte 0x%02x", p[pos]);
		if (s.ev == EV_BAD || s.ev == EV_NONE)
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "%s", s.ev == EV_BAD ? s.bad : "unsupported item");
		/* Shortest-form heads. */
		switch (s.ev) {
		case EV_UINT: case EV_NEGINT: case EV_ARRAY: case EV_MAP:
		case EV_TAG:
			hl = head_len(s.val);
			break;
		case EV_BSTR: case EV_TSTR:
			hl = head_len(s.val);
			if (r.read != hl + s.val)
				return ccc_err_set(err, CCC_E_MALFORMED, at,
				    NULL, "non-shortest length");
			hl = r.read;
			break;
		default:
			hl = 1;
		}
		if (r.read != hl)
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "non-shortest integer or length");
		if (s.ev == EV_TSTR && !ccc_utf8_valid(s.str, s.val))
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "text string is not valid UTF-8");
		if (strict && (s.ev == EV_TAG || s.ev == EV_NULL ||
		    s.ev == EV_NEGINT))
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "%s not allowed in a ccc blob",
			    s.ev == EV_TAG ? "tag" : s.ev == EV_NULL ? "null" :
			    "negative integer");
		is_key = depth > 0 && st[depth - 1].is_map &&
		    st[depth - 1].remaining % 2 == 0;
		if (strict && is_key) {
			struct frame *f = &st[depth - 1];
			if (s.ev != EV_UINT)
				return ccc_err_set(err, CCC_E_MALFORMED, at,
				    NULL, "map key is not an unsigned integer");
			if (f->have_key && s.val == f->prev_key)
				return ccc_err_set(err, CCC_E_MALFORMED, at,
				    NULL, "duplicate map key %llu",
				    (unsigned long long)s.val);
			if (f->have_key && s.val < f->prev_key)
				return ccc_err_set(err, CCC_E_MALFORMED, at,
				    NULL, "map keys out of order (%llu after "
				    "%llu)", (unsigned long long)s.val,
				    (unsigned long long)f->prev_key);
			f->have_key = true;
			f->prev_key = s.val;
		}
		pos += r.read;
		if (pos > max)
			return ccc_err_set(err, CCC_E_TOOBIG, at, NULL,
			    "item larger than %zu bytes", max);
		if (depth > 0)
			st[depth - 1].remaining--;
		if (s.ev == EV_ARRAY || s.ev == EV_MAP) {
			/* Every element needs a byte: refuse impossible counts. */
			if (s.ev == EV_MAP && s.val > UINT64_MAX / 2)
				need = UINT64_MAX;
			else
				need = s.ev == EV_MAP ? 2 * s.val : s.val;
			if (need > max - pos)
				return ccc_err_set(err, CCC_E_TOOBIG, at, NULL,
				    "%s of %llu items cannot fit in %zu bytes",
				    s.ev == EV_MAP ? "map" : "array",
				    (unsigned long long)s.val, max);
			if (need > len - pos)
				return ccc_err_set(err, CCC_E_TRUNCATED, at,
				    NULL, "%s of %llu items runs past the end "
				    "of the input", s.ev == EV_MAP ? "map" :
				    "array", (unsigned long long)s.val);
			if (need > 0) {
				if (depth == CCC_CBOR_MAX_DEPTH)
					return ccc_err_set(err,
					    CCC_E_MALFORMED, at, NULL,
					    "nested deeper than %d",
					    CCC_CBOR_MAX_DEPTH);
				st[depth].remaining = need;
				st[depth].is_map = s.ev == EV_MAP;
				st[depth].have_key = false;
				st[depth].prev_key = 0;
				depth++;
				continue;
			}
		} else if (s.ev == EV_TAG) {
			/* A tag wraps exactly one item. */
			if (depth == CCC_CBOR_MAX_DEPTH)
				return ccc_err_set(err, CCC_E_MALFORMED, at,
				    NULL, "nested deeper than %d",
				    CCC_CBOR_MAX_DEPTH);
			st[depth].remaining = 1;
			st[depth].is_map = false;
			st[depth].have_key = false;
			depth++;
			continue;
		}
		/* An item completed: pop every container it completes. */
		while (depth > 0 && st[depth - 1].remaining == 0)
			depth--;
		if (depth == 0) {
			*item_len = pos;
			return 0;
		}
	}
}

/* ---- cursor ------------------------------------------------------------ */

void
ccc_cur_init(struct ccc_cur *c, const uint8_t *p, size_t len, long long base,
    struct ccc_err *err)
{
	c->p = p;
	c->len = len;
	c->off = 0;
	c->base = base;
	c->err = err;
}

long long
ccc_cur_pos(const struct ccc_cur *c)
{
	return c->base + (long long)c->off;
}

/* Decode a head at c->off; *hl receives its length. */
static int
head(const struct ccc_cur *c, int *major, uint64_t *val, size_t *hl)
{
	size_t i, n;
	uint8_t ib, ai;
	uint64_t v = 0;

	if (c->off >= c->len)
		return CCC_E_TRUNCATED;
	ib = c->p[c->off];
	*major = ib >> 5;
	ai = ib & 0x1f;
	if (ai < 24) {
		*val = ai;
		*hl = 1;
		return 0;
	}
	if (ai > 27)
		return CCC_E_MALFORMED;	/* indefinite or reserved */
	n = (size_t)1 << (ai - 24);
	if (c->len - c->off < 1 + n)
		return CCC_E_TRUNCATED;
	for (i = 0; i < n; i++)
		v = (v << 8) | c->p[c->off + 1 + i];
	*val = v;
	*hl = 1 + n;
	return 0;
}

int
ccc_cur_peek(const struct ccc_cur *c, int *major, uint64_t *val)
{
	size_t hl;
	int rc;

	if ((rc = head(c, major, val, &hl)) != 0)
		return ccc_err_set(c->err, rc, ccc_cur_pos(c), NULL,
		    "bad item head");
	return 0;
}

static const char *
major_name(int m)
{
	static const char *names[] = { "unsigned integer", "negative integer",
	    "byte string", "text string", "array", "map", "tag",
	    "simple value" };
	return names[m & 7];
}

static int
expect(struct ccc_cur *c, int want, uint64_t *val, const char *field)
{
	int major, rc;
	size_t hl;

	if ((rc = head(c, &major, val, &hl)) != 0)
		return ccc_err_set(c->err, rc, ccc_cur_pos(c), field,
		    "%s%sbad item head", field ? field : "", field ? ": " : "");
	if (major != want)
		return ccc_err_set(c->err, CCC_E_MALFORMED, ccc_cur_pos(c),
		    field, "%s%sexpected %s, found %s", field ? field : "",
		    field ? ": " : "", major_name(want), major_name(major));
	c->off += hl;
	return 0;
}

int
ccc_cur_uint(struct ccc_cur *c, uint64_t *v, const char *field)
{
	return expect(c, CCC_CBOR_UINT, v, field);
}

int
ccc_cur_bool(struct ccc_cur *c, bool *v, const char *field)
{
	uint64_t x;
	long long at = ccc_cur_pos(c);
	int rc;

	if ((rc = expect(c, CCC_CBOR_SIMPLE, &x, field)) != 0)
		return rc;
	if (x != 20 && x != 21)
		return ccc_err_set(c->err, CCC_E_MALFORMED, at, field,
		    "%s: expected true or false", field ? field : "value");
	*v = x == 21;
	return 0;
}

static int
string(struct ccc_cur *c, int major, const uint8_t **p, size_t *n,
    const char *field)
{
	uint64_t l;
	long long at = ccc_cur_pos(c);
	int rc;

	if ((rc = expect(c, major, &l, field)) != 0)
		return rc;
	if (l > c->len - c->off)
		return ccc_err_set(c->err, CCC_E_TRUNCATED, at, field,
		    "%s: string runs past the end", field ? field : "value");
	*p = c->p + c->off;
	*n = (size_t)l;
	c->off += (size_t)l;
	return 0;
}

int
ccc_cur_bstr(struct ccc_cur *c, const uint8_t **p, size_t *n,
    const char *field)
{
	return string(c, CCC_CBOR_BSTR, p, n, field);
}

int
ccc_cur_tstr(struct ccc_cur *c, const char **p, size_t *n, const char *field)
{
	return string(c, CCC_CBOR_TSTR, (const uint8_t **)p, n, field);
}

int
ccc_cur_bstr_n(struct ccc_cur *c, const uint8_t **p, size_t n,
    const char *field)
{
	long long at = ccc_cur_pos(c);
	size_t got;
	int rc;

	if ((rc = ccc_cur_bstr(c, p, &got, field)) != 0)
		return rc;
	if (got != n)
		return ccc_err_set(c->err, CCC_E_FIELD, at, field,
		    "%s: %zu bytes, expected %zu", field ? field : "value",
		    got, n);
	return 0;
}

int
ccc_cur_map(struct ccc_cur *c, size_t *n, const char *field)
{
	uint64_t v;
	int rc;

	if ((rc = expect(c, CCC_CBOR_MAP, &v, field)) != 0)
		return rc;
	if (v > c->len)
		return ccc_err_set(c->err, CCC_E_TRUNCATED, ccc_cur_pos(c),
		    field, "map runs past the end");
	*n = (size_t)v;
	return 0;
}

int
ccc_cur_array(struct ccc_cur *c, size_t *n, const char *field)
{
	uint64_t v;
	int rc;

	if ((rc = expect(c, CCC_CBOR_ARRAY, &v, field)) != 0)
		return rc;
	if (v > c->len)
		return ccc_err_set(c->err, CCC_E_TRUNCATED, ccc_cur_pos(c),
		    field, "array runs past the end");
	*n = (size_t)v;
	return 0;
}

int
ccc_cur_tag(struct ccc_cur *c, uint64_t *tag, const char *field)
{
	return expect(c, CCC_CBOR_TAG, tag, field);
}

int
ccc_cur_skip(struct ccc_cur *c)
{
	uint64_t left = 1, v;
	size_t hl;
	int major, rc;

	while (left > 0) {
		if ((rc = head(c, &major, &v, &hl)) != 0)
			return ccc_err_set(c->err, rc, ccc_cur_pos(c), NULL,
			    "bad item head");
		c->off += hl;
		left--;
		switch (major) {
		case CCC_CBOR_BSTR: case CCC_CBOR_TSTR:
			if (v > c->len - c->off)
				return ccc_err_set(c->err, CCC_E_TRUNCATED,
				    ccc_cur_pos(c), NULL, "string runs past "
				    "the end");
			c->off += (size_t)v;
			break;
		case CCC_CBOR_ARRAY:
			if (v > c->len)
				return ccc_err_set(c->err, CCC_E_TRUNCATED,
				    ccc_cur_pos(c), NULL, "too many items");
			left += v;
			break;
		case CCC_CBOR_MAP:
			if (v > c->len)
				return ccc_err_set(c->err, CCC_E_TRUNCATED,
				    ccc_cur_pos(c), NULL, "too many items");
			left += 2 * v;
			break;
		case CCC_CBOR_TAG:
			left += 1;
			break;
		default:
			break;
		}
	}
	return 0;
}

int
ccc_cbor_map_find(const uint8_t *p, size_t len, uint64_t key, size_t *at,
    bool *last)
{
	struct ccc_cur c;
	uint64_t k;
	size_t n, i;
	int major;

	ccc_cur_init(&c, p, len, 0, NULL);
	if (ccc_cur_map(&c, &n, NULL) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (ccc_cur_peek(&c, &major, &k) != 0 ||
		    major != CCC_CBOR_UINT || ccc_cur_uint(&c, &k, NULL) != 0)
			return -1;
		if (k == key) {
			*at = c.off;
			*last = i == n - 1;
			return 0;
		}
		if (ccc_cur_skip(&c) != 0)
			return -1;
	}
	return -1;
}

int
ccc_cbor_head_at(const uint8_t *p, size_t len, int major, uint64_t *val,
    size_t *hlen)
{
	struct ccc_cur c;
	struct ccc_buf h;
	int m, rc;

	ccc_cur_init(&c, p, len, 0, NULL);
	if (ccc_cur_peek(&c, &m, val) != 0 || m != major)
		return -1;
	/* Re-encode it: only the shortest head is deterministic CBOR. */
	ccc_buf_init(&h, 0);
	rc = put_head(&h, major == CCC_CBOR_ARRAY ? enc_array :
	    major == CCC_CBOR_BSTR ? enc_bstr : cbor_encode_uint, *val) != 0 ||
	    h.len > len || memcmp(h.p, p, h.len) != 0;
	*hlen = h.len;
	ccc_buf_free(&h);
	return rc ? -1 : 0;
}
