/*
 * In-process mutation over every schema in the registry: for a valid
 * sample of each type, every single-bit flip and every truncation is
 * decoded through the registry (ccc_schema_find on the sample's type,
 * then ccc_blob_decode), and must never crash and never be accepted as
 * the value it was.
 *
 * The samples are made from the schemas themselves (every field at a
 * length and value inside its bounds), so a type added to the registry is
 * covered without a change here.  Each is made twice: with every optional
 * field present ("full") and with none ("minimal").  While a sample is
 * encoded, every byte is given a role, and "never accepted" means, for a
 * flip of a byte of that role:
 *
 *   structure   map and array heads, keys, string and array length heads,
 *               the type key and type string of the blob: rejected.  In the
 *               minimal sample a key may turn into the key of an absent
 *               optional field, so there: rejected, or decoded to a value
 *               that differs (below).
 *   uint        the head and argument bytes of an unsigned field: rejected,
 *               or accepted with that field's number changed (to an
 *               in-range one) and nothing else; a flip in an argument byte
 *               is accepted exactly when the new number keeps the
 *               shortest encoding and the field's range, and then decodes
 *               to that number.
 *   bool        rejected, or accepted as the other truth value.
 *   bytes       content of a byte string, an element of a byte-string
 *               array, or the body of a nested blob (its consumer decodes
 *               it in full; the schema only checks the type): accepted,
 *               every field decoding as before except that the one holding
 *               the byte now holds the flipped byte.
 *   text        content of a text string (the samples are ASCII): a flip of
 *               bit 7 leaves invalid UTF-8, rejected; bits 0-6 are
 *               accepted as for bytes.
 *   blob head   the map head of a nested blob: rejected, or accepted as
 *               for bytes (the type is still found).
 *   blob type   the type key and string of a nested blob: rejected.
 *
 * "Decoded to a value that differs": some field's presence, number,
 * length, count or position differs, or the flipped byte lies in a
 * field's bytes.  Every truncation (every proper prefix, the empty one
 * included) is rejected as truncated input, and a trailing byte is
 * rejected.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "schemas.h"
#include "tap.h"

enum role { R_STRUCT, R_UINT_HEAD, R_UINT_ARG, R_BOOL, R_BYTES, R_TEXT,
    R_BLOB_HEAD, R_BLOB_TYPE, R_NESTED };

static const char *const role_name[] = { "structure", "uint head",
    "uint argument", "bool", "bytes", "text", "blob head", "blob type",
    "nested number" };

#define SAMPLE_MAX 8192

struct sample {
	struct ccc_buf b;
	uint8_t role[SAMPLE_MAX];
	int field[SAMPLE_MAX];	/* top-level field index, -1 for none */
	bool full;		/* optional fields present */
	int nest;		/* blobs this one is nested in */
	bool bad;		/* could not be made */
};

/* Mark the bytes appended since `from` with a role and a field. */
static void
mark(struct sample *sm, size_t from, enum role r, int field)
{
	size_t i;

	if (sm->b.len > SAMPLE_MAX) {
		sm->bad = true;
		return;
	}
	for (i = from; i < sm->b.len; i++) {
		sm->role[i] = (uint8_t)r;
		sm->field[i] = field;
	}
}

static void
put_uint(struct sample *sm, uint64_t v, enum role r, int field)
{
	size_t at = sm->b.len;

	if (ccc_cbor_put_uint(&sm->b, v) != 0) {
		sm->bad = true;
		return;
	}
	mark(sm, at, r, field);
	if (r == R_UINT_HEAD && sm->b.len > at + 1)
		mark(sm, at + 1, R_UINT_ARG, field);
}

/* A string head (structure) and n content bytes of role r. */
static void
put_string(struct sample *sm, bool text, size_t n, enum role r, int field)
{
	size_t at = sm->b.len, i;

	if (ccc_cbor_put_bstr_head(&sm->b, n) != 0 ||
	    ccc_buf_reserve(&sm->b, n) != 0) {
		sm->bad = true;
		return;
	}
	if (text)	/* the same head, major type 3 */
		sm->b.p[at] = (uint8_t)(0x60 | (sm->b.p[at] & 0x1f));
	mark(sm, at, R_STRUCT, field);
	at = sm->b.len;
	for (i = 0; i < n; i++)
		sm->b.p[sm->b.len++] = text ? (uint8_t)('a' + (at + i) % 26) :
		    (uint8_t)((at + i) * 37 + 11);
	mark(sm, at, r, field);
}

static uint64_t
pick_uint(const struct ccc_field *f)
{
	return f->min + (f->max - f->min) / 2;
}

/* A length inside the bounds, 20 where allowed. */
static size_t
pick_len(uint64_t min, uint64_t max)
{
	return (size_t)(min > 20 ? min : max < 20 ? max : 20);
}

/* A count inside the bounds, at least one element where allowed. */
static size_t
pick_count(const struct ccc_field *f)
{
	return (size_t)(f->min > 1 ? f->min : f->max < 1 ? f->max : 1);
}

static void put_map(struct sample *sm, const struct ccc_schema *s, int field,
    int depth);

/* A nested blob of schema s (any: the first in the registry). */
static void
put_blob(struct sample *sm, const struct ccc_schema *s, uint32_t max,
    int field)
{
	struct sample *in;
	size_t at, i;

	if (s == NULL)
		s = ccc_schemas[0];
	in = calloc(1, sizeof(*in));
	if (in == NULL) {
		sm->bad = true;
		return;
	}
	ccc_buf_init(&in->b, 0);
	in->full = sm->full;
	in->nest = sm->nest + 1;
	if (in->nest > 3) {
		sm->bad = true;
		goto out;
	}
	put_map(in, s, -1, 0);
	at = sm->b.len;
	if (in->bad || in->b.len > max ||
	    ccc_cbor_put_bstr_head(&sm->b, in->b.len) != 0) {
		sm->bad = true;
		goto out;
	}
	mark(sm, at, R_STRUCT, field);
	at = sm->b.len;
	if (ccc_buf_put(&sm->b, in->b.p, in->b.len) != 0) {
		sm->bad = true;
		goto out;
	}
	mark(sm, at, R_BYTES, field);
	if (sm->bad)
		goto out;
	/* Its map head, then key 0 and the type string (structure of the
	 * nested blob), until its first field key. */
	for (i = 0; i < in->b.len; i++) {
		if (in->field[i] >= 0)
			break;
		sm->role[at + i] = i == 0 ? R_BLOB_HEAD : R_BLOB_TYPE;
	}
out:
	ccc_buf_free(&in->b);
	free(in);
}

static void
put_value(struct sample *sm, const struct ccc_field *f, int field, int depth)
{
	size_t i, n, at = sm->b.len;

	switch (f->kind) {
	case CCC_F_UINT:
		put_uint(sm, pick_uint(f), depth == 0 ? R_UINT_HEAD : R_NESTED,
		    field);
		break;
	case CCC_F_BOOL:
		if (ccc_cbor_put_bool(&sm->b, true) != 0)
			sm->bad = true;
		mark(sm, at, depth == 0 ? R_BOOL : R_NESTED, field);
		break;
	case CCC_F_BSTR:
	case CCC_F_TSTR:
		put_string(sm, f->kind == CCC_F_TSTR, pick_len(f->min, f->max),
		    f->kind == CCC_F_TSTR ? R_TEXT : R_BYTES, field);
		break;
	case CCC_F_BSTR_ARRAY:
	case CCC_F_MAP_ARRAY:
	case CCC_F_BLOB_ARRAY:
	case CCC_F_BYTES_ARRAY:
		n = pick_count(f);
		if (ccc_cbor_put_array(&sm->b, n) != 0)
			sm->bad = true;
		mark(sm, at, R_STRUCT, field);
		for (i = 0; i < n && !sm->bad; i++) {
			if (f->kind == CCC_F_BSTR_ARRAY)
				put_string(sm, false, f->elem, R_BYTES, field);
			else if (f->kind == CCC_F_BYTES_ARRAY)
				put_string(sm, false, pick_len(0, f->elem < 16 ?
				    f->elem : 16), R_BYTES, field);
			else if (f->kind == CCC_F_MAP_ARRAY)
				put_map(sm, f->sub, field, depth + 1);
			else
				put_blob(sm, f->sub, f->elem, field);
		}
		break;
	case CCC_F_MAP:
		put_map(sm, f->sub, field, depth + 1);
		break;
	case CCC_F_BLOB:
		put_blob(sm, f->sub, f->elem, field);
		break;
	default:
		sm->bad = true;
	}
}

/*
 * A map of schema s: the top level (depth 0) gives each field its own
 * index; nested maps belong to the field that holds them.
 */
static void
put_map(struct sample *sm, const struct ccc_schema *s, int field, int depth)
{
	size_t i, n = s->type != NULL, at = sm->b.len;

	if (depth > 4) {
		sm->bad = true;
		return;
	}
	for (i = 0; i < s->nfields; i++)
		n += sm->full || !(s->fields[i].flags & CCC_F_OPT);
	if (ccc_cbor_put_map(&sm->b, n) != 0 || (s->type != NULL &&
	    (ccc_cbor_put_uint(&sm->b, 0) != 0 ||
	    ccc_cbor_put_cstr(&sm->b, s->type) != 0))) {
		sm->bad = true;
		return;
	}
	mark(sm, at, R_STRUCT, field);
	for (i = 0; i < s->nfields && !sm->bad; i++) {
		const struct ccc_field *f = &s->fields[i];
		int fi = depth == 0 ? (int)i : field;
		if (!sm->full && (f->flags & CCC_F_OPT))
			continue;
		put_uint(sm, f->key, R_STRUCT, fi);
		put_value(sm, f, fi, depth);
	}
}

/* Same presence, numbers, lengths, counts and positions. */
static bool
same_shape(const struct ccc_val *a, const struct ccc_val *b,
    const uint8_t *pa, const uint8_t *pb)
{
	return a->present == b->present && a->u == b->u && a->n == b->n &&
	    a->count == b->count && a->off == b->off &&
	    (a->p == NULL) == (b->p == NULL) &&
	    (a->p == NULL || a->p - pa == b->p - pb);
}

/* Does field value v (decoded from base) hold byte pos? */
static bool
holds(const struct ccc_val *v, const uint8_t *base, size_t pos)
{
	return v->present && v->p != NULL && (size_t)(v->p - base) <= pos &&
	    pos < (size_t)(v->p - base) + v->n;
}

struct tally {
	long mutants, rejected, accepted, failed;
};

/* Report one failure (the first few in full). */
static void
failure(struct tally *t, const char *name, const char *kind, size_t pos,
    int bit, const char *role, const char *want, const char *got)
{
	if (t->failed++ < 8)
		printf("#   %s: %s of byte %zu bit %d (%s): expected %s, "
		    "got %s\n", name, kind, pos, bit, role, want, got);
}

/*
 * Decode mutant m (the sample with bit `bit` of byte pos flipped) and
 * check it against the rule for the role of pos.
 */
static void
check_flip(const struct ccc_schema *s, const struct sample *sm,
    const struct ccc_val *orig, uint8_t *m, size_t pos, int bit,
    struct tally *t)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_err err;
	enum role r = (enum role)sm->role[pos];
	int fi = sm->field[pos], rc;
	size_t i;
	bool differs = false, others_same = true, in_field;
	const char *want;
	char got[600];

	t->mutants++;
	ccc_err_clear(&err);
	rc = ccc_blob_decode(s, m, sm->b.len, v, 0, &err);
	if (rc != 0) {
		t->rejected++;
		if (err.code == 0 || err.off < 0 ||
		    (size_t)err.off >= sm->b.len + 1)
			failure(t, s->type, "flip", pos, bit, role_name[r],
			    "an error with its offset", err.detail);
	} else
		t->accepted++;
	for (i = 0; i < s->nfields; i++) {
		bool same = same_shape(&orig[i], &v[i], sm->b.p, m);
		if (!same || holds(&v[i], m, pos))
			differs = true;
		if ((int)i != fi && !same)
			others_same = false;
	}
	in_field = fi >= 0 && holds(&v[fi], m, pos) &&
	    same_shape(&orig[fi], &v[fi], sm->b.p, m);

	switch (r) {
	case R_STRUCT:
	case R_BLOB_TYPE:
		if (r == R_STRUCT && !sm->full) {
			want = "rejected or a different value";
			if (rc == 0 && !differs)
				break;
			return;
		}
		want = "rejected";
		if (rc != 0)
			return;
		break;
	case R_UINT_HEAD:
		want = "rejected or only this number changed";
		if (rc != 0 || (others_same && v[fi].u != orig[fi].u &&
		    v[fi].u >= s->fields[fi].min &&
		    v[fi].u <= s->fields[fi].max))
			return;
		break;
	case R_UINT_ARG: {
		/* The argument of a canonical head is the number, big-endian,
		 * in the fewest of 1, 2, 4 or 8 bytes that hold it. */
		size_t h = pos, end = pos, w;
		uint64_t nv;
		while (sm->role[h] == R_UINT_ARG)
			h--;
		while (end < sm->b.len && sm->role[end] == R_UINT_ARG &&
		    sm->field[end] == fi)
			end++;
		w = end - h - 1;
		nv = orig[fi].u ^ ((uint64_t)1 << (8 * (end - pos - 1) +
		    (unsigned)bit));
		if (nv >= s->fields[fi].min && nv <= s->fields[fi].max &&
		    w == (nv < 24 ? 0U : nv <= 0xff ? 1U : nv <= 0xffff ? 2U :
		    nv <= 0xffffffffULL ? 4U : 8U)) {
			want = "accepted with the flipped number";
			if (rc == 0 && others_same && v[fi].u == nv)
				return;
		} else {
			want = "rejected (out of range or not shortest)";
			if (rc != 0)
				return;
		}
		break;
	}
	case R_NESTED:
		want = "rejected or only this field's bytes changed";
		if (rc != 0 || (others_same && in_field))
			return;
		break;
	case R_BOOL:
		want = "rejected or the other truth value";
		if (rc != 0 || (others_same && v[fi].u == !orig[fi].u))
			return;
		break;
	case R_TEXT:
		if (bit == 7) {
			want = "rejected (invalid UTF-8)";
			if (rc != 0)
				return;
			break;
		}
		/* FALLTHROUGH */
	case R_BYTES:
	case R_BLOB_HEAD:
		want = "accepted with only this field's byte changed";
		if (rc == 0 && others_same && in_field)
			return;
		if (r == R_BLOB_HEAD && rc != 0)
			return;
		break;
	default:
		want = "a known role";
	}
	if (rc != 0)
		snprintf(got, sizeof(got), "rejected: %s", err.detail);
	else
		snprintf(got, sizeof(got), "accepted%s%s",
		    others_same ? "" : ", other fields changed",
		    fi >= 0 && !in_field && r != R_UINT_HEAD &&
		    r != R_UINT_ARG ? ", the byte outside its field" : "");
	failure(t, s->type, "flip", pos, bit, role_name[r], want, got);
}

/* Every flip and every truncation of sample sm of schema s. */
static void
mutate(const struct ccc_schema *s, struct sample *sm)
{
	struct ccc_val orig[CCC_BLOB_MAX_FIELDS], v[CCC_BLOB_MAX_FIELDS];
	struct ccc_err err;
	struct tally flips = { 0 }, cuts = { 0 };
	const char *variant = sm->full ? "full" : "minimal";
	uint8_t *m;
	size_t pos, len = sm->b.len;
	int bit, rc;

	ccc_err_clear(&err);
	rc = ccc_blob_decode(s, sm->b.p, len, orig, 0, &err);
	ok_eq_int(rc, 0, "%s (%s sample, %zu bytes) decodes%s%s", s->type,
	    variant, len, rc != 0 ? ": " : "", err.detail);
	if (rc != 0)
		return;
	m = malloc(len + 1);
	if (m == NULL)
		return;
	memcpy(m, sm->b.p, len);
	for (pos = 0; pos < len; pos++)
		for (bit = 0; bit < 8; bit++) {
			m[pos] ^= (uint8_t)(1u << bit);
			check_flip(s, sm, orig, m, pos, bit, &flips);
			m[pos] ^= (uint8_t)(1u << bit);
		}
	ok_eq_int(flips.failed, 0, "%s (%s): %ld bit flips, %ld rejected, "
	    "%ld accepted as a different value", s->type, variant,
	    flips.mutants, flips.rejected, flips.accepted);

	for (pos = 0; pos < len; pos++) {
		ccc_err_clear(&err);
		cuts.mutants++;
		rc = ccc_blob_decode(s, m, pos, v, 0, &err);
		if (rc != CCC_E_TRUNCATED)
			failure(&cuts, s->type, "truncation", pos, 0, "prefix",
			    "truncated input", rc == 0 ? "accepted" :
			    err.detail);
	}
	m[len] = 0;
	ccc_err_clear(&err);
	rc = ccc_blob_decode(s, m, len + 1, v, 0, &err);
	if (rc != CCC_E_MALFORMED)
		failure(&cuts, s->type, "trailing byte", len, 0, "after",
		    "malformed (trailing bytes)", rc == 0 ? "accepted" :
		    err.detail);
	ok_eq_int(cuts.failed, 0, "%s (%s): %ld truncations rejected as "
	    "truncated, a trailing byte as malformed", s->type, variant,
	    cuts.mutants);
	free(m);
}

int
main(void)
{
	struct sample *sm;
	size_t i, nschemas = 0;
	int full;

	if (sodium_init() < 0)
		return 99;
	sm = calloc(1, sizeof(*sm));
	if (sm == NULL)
		return 99;
	for (i = 0; ccc_schemas[i] != NULL; i++) {
		const struct ccc_schema *s = ccc_schema_find(
		    ccc_schemas[i]->type, strlen(ccc_schemas[i]->type));
		ok(s == ccc_schemas[i], "%s is found in the registry",
		    ccc_schemas[i]->type);
		nschemas++;
		for (full = 1; full >= 0; full--) {
			memset(sm, 0, sizeof(*sm));
			ccc_buf_init(&sm->b, 0);
			sm->full = full;
			sm->bad = false;
			put_map(sm, s, -1, 0);
			ok(!sm->bad, "a %s sample of %s can be made",
			    full ? "full" : "minimal", s->type);
			if (!sm->bad)
				mutate(s, sm);
			ccc_buf_free(&sm->b);
		}
	}
	ok(nschemas >= 20, "every schema of the registry was mutated (%zu)",
	    nschemas);
	free(sm);
	return tap_done();
}
