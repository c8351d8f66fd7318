/*
 * RFC 8742 CBOR sequences, read one item at a time in memory bounded by
 * the per-item cap.  The first bad item stops the reader with its 1-based
 * index and absolute byte offset.
 */
#ifndef CCC_SEQ_H
#define CCC_SEQ_H

#include <stdbool.h>

#include "buf.h"
#include "ccc.h"

struct ccc_seq {
	int fd;
	const char *name;
	struct ccc_buf buf;
	size_t off;		/* start of unread bytes in buf */
	long long base;		/* stream offset of buf.p[0] */
	long item;		/* items returned so far */
	size_t max;		/* per-item cap */
	bool eof, own_fd;
};

/* Read from path (NULL or "-" for stdin); secret selects sodium_malloc. */
int ccc_seq_open(struct ccc_seq *s, const char *path, size_t max, int secret,
    struct ccc_err *err) CCC_WUR;
/*
 * Next item: 1 with p and len set (valid until the next call), 0 at a clean
 * end of input, or a negative CCC_E_* (err has item and offset).
 */
int ccc_seq_next(struct ccc_seq *s, const uint8_t **p, size_t *len,
    long long *at, struct ccc_err *err) CCC_WUR;
void ccc_seq_close(struct ccc_seq *s);

/*
 * Read from fd (kept open by the caller) from its current offset, from
 * which the offsets in messages count.
 */
void ccc_seq_open_fd(struct ccc_seq *s, int fd, const char *name, size_t max,
    int secret);
/*
 * The first bytes of the input (at least one unless it is empty, at most
 * 64 KiB) without consuming them, for sniffing its format.
 */
int ccc_seq_peek(struct ccc_seq *s, const uint8_t **p, size_t *len,
    struct ccc_err *err) CCC_WUR;
/*
 * The rest of the input as one buffer (at most max bytes, else
 * CCC_E_TOOBIG), consumed.
 */
int ccc_seq_rest(struct ccc_seq *s, const uint8_t **p, size_t *len,
    struct ccc_err *err) CCC_WUR;

/*
 * Exactly one CBOR item (definite lengths, nested at most 16 deep) from
 * fd into b, not a byte past it, so that the next item stays in fd for
 * another reader (a pipe shared with a serving process): 0, or 1 at the
 * end of input before any byte, or a negative CCC_E_* (TOOBIG over max
 * bytes).
 */
int ccc_seq_read_one(int fd, struct ccc_buf *b, size_t max,
    struct ccc_err *err) CCC_WUR;

#endif
