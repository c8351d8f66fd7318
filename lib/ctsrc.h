/*
 * Ciphertext sources (lib/ctsrc.c) and the batches the worker pool takes
 * from them.
 */
#ifndef CCC_CTSRC_H
#define CCC_CTSRC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "cbor.h"
#include "ccc.h"
#include "blob.h"
#include "seq.h"

/*
 * Ciphertexts streamed in two passes (lib/ctsrc.c): ccc_ct_src_open reads
 * files (each a CBOR sequence of ciphertext blobs, or one Chainlink JSON
 * ciphertext; none: stdin) once to count them and check their framing, so
 * n is known and every framing error is reported before any work; then
 * ccc_ct_src_next returns them in order (1, 0 at the end, or a negative
 * CCC_E_*), each valid until the next call, with name/item/at telling
 * where it came from.  ccc_ct_src_array serves the byte strings of a
 * decoded array of ciphertext blobs (a view into it, no copy), or, with
 * fd not -1, the same array left in a file at offset at, read in pieces.
 */
struct ccc_ct_src {
	bool array;			/* from ccc_ct_src_array */
	struct ccc_val arr;		/* ... the array's value */
	int arr_fd;			/* ... or its file (-1: in memory) */
	long long arr_at;		/* ... and where it starts there */
	struct ccc_cur cur;		/* ... read here */
	char **files;
	int nfiles;		/* 0: stdin */
	int in_fd, spool;	/* stdin, or its copy (-1: none) */
	long long stdin_at;	/* where stdin began */
	int fi;			/* file being read */
	bool open, json, counting;
	struct ccc_seq seq;
	struct ccc_buf conv;	/* a JSON ciphertext, converted */
	size_t n;		/* ciphertexts in all */
	size_t pos;		/* returned in this pass */
	const char *name;	/* the last one's file, item, offset */
	long item;
	long long at;
};
/*
 * Open files (none: stdin) as a source: every item framed, counted and
 * typed (a ciphertext or one Chainlink JSON ciphertext per file) before
 * the first is returned.  Standard input that is not a regular file is
 * copied first, its first item judged before anything is copied, and at
 * most CCC_CT_SPOOL_MAX bytes of it (max, with ccc_ct_src_open_max).
 */
#define CCC_CT_SPOOL_MAX (CCC_CT_SYM_MAX + (1UL << 20))
int ccc_ct_src_open(struct ccc_ct_src *s, char **files, int nfiles,
    struct ccc_err *err) CCC_WUR;
int ccc_ct_src_open_max(struct ccc_ct_src *s, char **files, int nfiles,
    size_t max, struct ccc_err *err) CCC_WUR;
void ccc_ct_src_array(struct ccc_ct_src *s, const struct ccc_val *cts, int fd,
    long long at, const char *name);
int ccc_ct_src_next(struct ccc_ct_src *s, const uint8_t **p, size_t *len,
    struct ccc_err *err) CCC_WUR;
int ccc_ct_src_rewind(struct ccc_ct_src *s, struct ccc_err *err) CCC_WUR;
void ccc_ct_src_close(struct ccc_ct_src *s);

/*
 * The next batch of a source: at most CCC_CT_BATCH ciphertexts or about
 * CCC_CT_BATCH_BYTES bytes, copied; n is 0 at the end of the source.
 */
#define CCC_CT_BATCH 256
#define CCC_CT_BATCH_BYTES (8UL << 20)
struct ccc_ct_batch {
	size_t n;
	struct ccc_buf data;
	size_t off[CCC_CT_BATCH], len[CCC_CT_BATCH];
	long long at[CCC_CT_BATCH];
	const char *name[CCC_CT_BATCH];
	long item[CCC_CT_BATCH];
};
int ccc_ct_batch_read(struct ccc_ct_batch *b, struct ccc_ct_src *s,
    struct ccc_err *err) CCC_WUR;

#endif
