/*
 * CBOR for ccc blobs.
 *
 * Encoding: deterministic (RFC 8949 4.2.1) by construction -- callers emit
 * map keys in ascending order; heads are always the shortest form
 * (libcbor's stateless cbor_encode_* functions pick the width).
 *
 * Decoding is two passes, neither of which allocates:
 *  1. ccc_cbor_check() frames one item and validates it with libcbor's
 *     streaming decoder: shortest heads, definite lengths, no tags, floats
 *     or undefined, UTF-8 text, maps with unsigned keys in strictly
 *     ascending order (strict profile), depth <= CCC_CBOR_MAX_DEPTH,
 *     declared lengths within the input.  Errors carry the byte offset.
 *  2. A struct ccc_cur walks the validated bytes to map fields into C.
 */
#ifndef CCC_CBOR_H
#define CCC_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"

#define CCC_CBOR_MAX_DEPTH 16

enum ccc_cbor_profile {
	CCC_CBOR_STRICT = 0,	/* ccc's own blobs */
	CCC_CBOR_FOREIGN = 1	/* COSE/Nitro: tags, text keys, any order */
};

/* Major types as the cursor reports them. */
enum ccc_cbor_major {
	CCC_CBOR_UINT = 0,
	CCC_CBOR_NEGINT = 1,
	CCC_CBOR_BSTR = 2,
	CCC_CBOR_TSTR = 3,
	CCC_CBOR_ARRAY = 4,
	CCC_CBOR_MAP = 5,
	CCC_CBOR_TAG = 6,
	CCC_CBOR_SIMPLE = 7
};

/* RFC 3629 well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool ccc_utf8_valid(const uint8_t *s, size_t n);

/* Encoders: append to b.  Return 0 or CCC_E_NOMEM. */
int ccc_cbor_put_uint(struct ccc_buf *b, uint64_t v) CCC_WUR;
int ccc_cbor_put_map(struct ccc_buf *b, size_t n) CCC_WUR;
int ccc_cbor_put_array(struct ccc_buf *b, size_t n) CCC_WUR;
int ccc_cbor_put_bstr(struct ccc_buf *b, const void *p, size_t n) CCC_WUR;
int ccc_cbor_put_tstr(struct ccc_buf *b, const char *s, size_t n) CCC_WUR;
int ccc_cbor_put_cstr(struct ccc_buf *b, const char *s) CCC_WUR;
int ccc_cbor_put_bool(struct ccc_buf *b, bool v) CCC_WUR;
/* Head of a byte string of n bytes whose payload the caller appends. */
int ccc_cbor_put_bstr_head(struct ccc_buf *b, size_t n) CCC_WUR;

/*
 * Frame and validate the first item of p[0..len).  On success *item_len is
 * its length (trailing bytes are the caller's business: a sequence reader
 * continues, a blob reader rejects them).  CCC_E_TRUNCATED when the input
 * ends inside the item, CCC_E_TOOBIG when the item cannot fit in max bytes,
 * CCC_E_MALFORMED otherwise.  base is added to reported offsets.
 */
int ccc_cbor_check(const uint8_t *p, size_t len, int profile, size_t max,
    size_t *item_len, long long base, struct ccc_err *err) CCC_WUR;

/* A cursor over validated CBOR.  Reads are still bounds-checked. */
struct ccc_cur {
	const uint8_t *p;
	size_t len;
	size_t off;
	long long base;		/* absolute offset of p[0], for messages */
	struct ccc_err *err;
};

void ccc_cur_init(struct ccc_cur *c, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err);
/* Peek at the next head without consuming it. */
int ccc_cur_peek(const struct ccc_cur *c, int *major, uint64_t *val) CCC_WUR;
int ccc_cur_uint(struct ccc_cur *c, uint64_t *v, const char *field) CCC_WUR;
int ccc_cur_bool(struct ccc_cur *c, bool *v, const char *field) CCC_WUR;
int ccc_cur_bstr(struct ccc_cur *c, const uint8_t **p, size_t *n,
    const char *field) CCC_WUR;
int ccc_cur_tstr(struct ccc_cur *c, const char **p, size_t *n,
    const char *field) CCC_WUR;
int ccc_cur_map(struct ccc_cur *c, size_t *n, const char *field) CCC_WUR;
int ccc_cur_array(struct ccc_cur *c, size_t *n, const char *field) CCC_WUR;
int ccc_cur_tag(struct ccc_cur *c, uint64_t *tag, const char *field) CCC_WUR;
/* Skip one whole item (any type). */
int ccc_cur_skip(struct ccc_cur *c) CCC_WUR;
/* A byte string of exactly n bytes. */
int ccc_cur_bstr_n(struct ccc_cur *c, const uint8_t **p, size_t n,
    const char *field) CCC_WUR;
/* Absolute offset of the cursor. */
long long ccc_cur_pos(const struct ccc_cur *c);

/*
 * For reading a large blob in pieces.  In the map at p[0..len) (a prefix
 * of the blob will do), the offset *at of the value of the unsigned key
 * key, and whether it is the map's last entry; every entry before it must
 * lie within len.  Then the head at p[0..len) of major type major, in its
 * shortest form only: its value and length.  Both return nonzero when
 * the bytes do not say so.
 */
int ccc_cbor_map_find(const uint8_t *p, size_t len, uint64_t key,
    size_t *at, bool *last) CCC_WUR;
int ccc_cbor_head_at(const uint8_t *p, size_t len, int major, uint64_t *val,
    size_t *hlen) CCC_WUR;

#endif
