/*
 * ccc-inspect's printer, shared by its two files: ccc blobs
 * (lib/ops/inspect.c) and attestation documents (lib/ops/inspect_attest.c).
 */
#ifndef CCC_OPS_INSPECT_H
#define CCC_OPS_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ccc.h"

struct inspect_pr {
	FILE *f;
	bool diag;		/* CBOR diagnostic notation, else JSON */
	bool show_secrets;
	bool sha256;		/* -s: each blob's SHA-256 */
};

void inspect_indent(FILE *f, int depth);
void inspect_hex(FILE *f, const uint8_t *p, size_t n);
/* A text string, quoted, controls (C0, DEL, C1) escaped as \u00XX. */
void inspect_text(FILE *f, const uint8_t *p, size_t n);
/* Bytes: "hex" in JSON, h'hex' in diagnostic notation. */
void inspect_bytes(const struct inspect_pr *pr, const uint8_t *p, size_t n);
/*
 * An unsigned integer: in JSON, one above 2^53 - 1 (which a double, and so
 * many JSON readers, cannot hold exactly) as a string of its digits.
 */
void inspect_uint(const struct inspect_pr *pr, uint64_t u);
/* "\n" or ",\n" before a member, then its indentation. */
void inspect_next(const struct inspect_pr *pr, bool *first, int depth);

/*
 * p[0..n) starts like a COSE_Sign1 (an array of 4, or tag 18), raw or in
 * base64.
 */
bool inspect_doc_looks_like(const uint8_t *p, size_t n);
/*
 * Print the attestation document p[0..n) decoded, not verified, as an
 * object at depth; nothing is printed if it does not decode (err says
 * why, offsets from the document's start).
 */
int inspect_doc_print(const struct inspect_pr *pr, const uint8_t *p,
    size_t n, int depth, struct ccc_err *err) CCC_WUR;

#endif
