/*
 * Growable byte buffers.  A secret buffer lives in sodium_malloc memory
 * (guard pages, locked, wiped when freed or grown); a public one in malloc.
 */
#ifndef CCC_BUF_H
#define CCC_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "ccc.h"

struct ccc_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	int secret;
};

/* Initialise an empty buffer; secret selects sodium_malloc storage. */
void ccc_buf_init(struct ccc_buf *b, int secret);
/* Make room for n more bytes.  CCC_E_NOMEM on failure (b unchanged). */
int ccc_buf_reserve(struct ccc_buf *b, size_t n) CCC_WUR;
/* Append n bytes. */
int ccc_buf_put(struct ccc_buf *b, const void *p, size_t n) CCC_WUR;
/* Wipe the contents and set len to 0, keeping the storage. */
void ccc_buf_reset(struct ccc_buf *b);
/* Wipe and release; b is left empty and reusable. */
void ccc_buf_free(struct ccc_buf *b);

/* Append printf-formatted text (without its NUL); 0 or CCC_E_NOMEM. */
int ccc_buf_printf(struct ccc_buf *b, const char *fmt, ...) CCC_PRINTF(2, 3);

/*
 * Memory for secrets that no child process holds: whole pages of their
 * own (size rounded up), wiped in any child (MADV_WIPEONFORK: a fork's
 * copy reads zeros), left out of core dumps, locked as the limits allow.
 * NULL with errno set (EINVAL: a kernel without MADV_WIPEONFORK).
 */
void *ccc_secret_pages(size_t size);
/* Wipe and release memory of ccc_secret_pages(size). */
void ccc_secret_pages_free(void *p, size_t size);

#endif
