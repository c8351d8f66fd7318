/*
 * ccc blobs: one CBOR map each, small unsigned keys in ascending order, key
 * 0 the type-and-version string.  Every type is described by a schema
 * (field key, name, kind, bounds, secrecy); the same table drives decoding,
 * encoding and ccc-inspect, so a format is written down exactly once.
 */
#ifndef CCC_BLOB_H
#define CCC_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cbor.h"

enum ccc_fkind {
	CCC_F_UINT,		/* min..max value */
	CCC_F_BSTR,		/* min..max length */
	CCC_F_TSTR,		/* min..max length, UTF-8 */
	CCC_F_BOOL,
	CCC_F_BSTR_ARRAY,	/* min..max elements of exactly elem bytes
				   (or all of elem_alt bytes, if set) */
	CCC_F_MAP_ARRAY,	/* min..max maps of schema sub */
	CCC_F_MAP,		/* one map of schema sub */
	CCC_F_BLOB,		/* a byte string holding a blob of schema sub
				   (any known type if sub is NULL) */
	CCC_F_BLOB_ARRAY,	/* min..max byte strings, each such a blob */
	CCC_F_BYTES_ARRAY	/* min..max byte strings of 0..elem bytes */
};

enum {
	CCC_F_OPT = 1,		/* may be absent */
	CCC_F_SECRET = 2,	/* never printed without --show-secrets */
	CCC_F_DOC = 4		/* a BSTR holding an attestation document
				   (lib/attest.h): ccc-inspect decodes it */
};

struct ccc_schema;

struct ccc_field {
	uint8_t key;
	const char *name;
	uint8_t kind;
	uint8_t flags;
	uint64_t min, max;
	uint32_t elem;		/* BSTR_ARRAY: element size; BLOB*: max size */
	const struct ccc_schema *sub;
	uint32_t elem_alt;	/* BSTR_ARRAY: another size all may have */
};

struct ccc_schema {
	const char *type;	/* key 0 value; NULL for nested maps */
	const char *title;	/* "threshold public key" */
	const struct ccc_field *fields;	/* ascending keys, key 0 excluded */
	size_t nfields;
};

/* A decoded field: a view into the input, valid while it lives. */
struct ccc_val {
	bool present;
	uint64_t u;		/* UINT, BOOL */
	const uint8_t *p;	/* BSTR/TSTR bytes; arrays: first element */
	size_t n;		/* BSTR/TSTR length; arrays: bytes spanned */
	size_t count;		/* arrays: elements */
	uint32_t elem;		/* decoded BSTR_ARRAY: its elements' size */
	long long off;		/* absolute offset of the value */
};

#define CCC_BLOB_MAX_FIELDS 24


/* "an" before a vowel, else "a" (for messages naming a blob's title). */
const char *ccc_article(const char *noun);


/*
 * Decode exactly one blob of schema s from p[0..len) (trailing bytes are
 * an error).  vals has s->nfields entries, in schema order.  base is the
 * absolute offset of p, item the 1-based index in a sequence (0 if none),
 * both for error messages.
 */
int ccc_blob_decode(const struct ccc_schema *s, const uint8_t *p, size_t len,
    struct ccc_val *vals, long long base, struct ccc_err *err) CCC_WUR;
/*
 * 0 if p[0..len) is, or when !complete could begin, a blob of type s;
 * else the error ccc_blob_decode gives it, with offsets from base.  Cheap
 * when the type is right: for judging an input's first bytes, or each
 * item of a sequence, before the real work.
 */
int ccc_blob_prefix_check(const struct ccc_schema *s, const uint8_t *p,
    size_t len, bool complete, long long base, struct ccc_err *err) CCC_WUR;

/* Decode the map at the cursor (nested maps, or after framing). */
int ccc_blob_decode_map(const struct ccc_schema *s, struct ccc_cur *c,
    struct ccc_val *vals) CCC_WUR;

/*
 * The type string of a framed blob, without validating the rest; for
 * "expected X, got Y" messages and for dispatch.  NULL if none.
 */
const struct ccc_schema *ccc_blob_peek_type(const uint8_t *p, size_t len);

/* Encode a blob of schema s from vals (present fields only). */
int ccc_blob_encode(struct ccc_buf *b, const struct ccc_schema *s,
    const struct ccc_val *vals) CCC_WUR;

/*
 * Encode the map head counting the present fields plus `trailing` more,
 * and the present fields; the caller appends the trailing fields (which
 * must have higher keys).  Lets a large last field be written in place.
 */
int ccc_blob_encode_prefix(struct ccc_buf *b, const struct ccc_schema *s,
    const struct ccc_val *vals, size_t trailing) CCC_WUR;

/* Element i of a BSTR_ARRAY value (elements are exactly elem bytes). */
const uint8_t *ccc_val_elem(const struct ccc_val *v, uint32_t elem, size_t i);

/* Setters for building vals before encoding. */
void ccc_val_uint(struct ccc_val *v, uint64_t u);
void ccc_val_bytes(struct ccc_val *v, const void *p, size_t n);
void ccc_val_array(struct ccc_val *v, const void *p, size_t n, size_t count);


#define CCC_SEALED_RECORD_BYTES (32 + 65 + 32 + 32)
#define CCC_SEALED_ELEM_BYTES (CCC_SEALED_RECORD_BYTES + 16)
/* A record that also carries the proof's commitments u_hat, h_hat. */
#define CCC_SEALED_RECORD_COMM_BYTES (CCC_SEALED_RECORD_BYTES + 2 * 65)
#define CCC_SEALED_ELEM_COMM_BYTES (CCC_SEALED_RECORD_COMM_BYTES + 16)
#define CCC_SEALED_MAX (1UL << 24)	/* shares in one sealed blob */
#define CCC_CONTEXT_MAX 1024
#define CCC_CT_SYM_MAX (1UL << 30)

#endif
