#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"

void
ccc_buf_init(struct ccc_buf *b, int secret)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->secret = secret;
}

int
ccc_buf_reserve(struct ccc_buf *b, size_t n)
{
	size_t ncap;
	uint8_t *np;

	if (n <= b->cap - b->len)
		return 0;
	if (n > SIZE_MAX / 2 - b->len)
		return CCC_E_NOMEM;
	ncap = b->cap ? b->cap : 64;
	while (ncap - b->len < n)
		ncap *= 2;
	if (b->secret) {
		/* sodium_malloc has no realloc: copy, then free the old (wiped). */
		if ((np = sodium_malloc(ncap)) == NULL)
			return CCC_E_NOMEM;
		if (b->len)
			memcpy(np, b->p, b->len);
		if (b->p)
			sodium_free(b->p);
	} else if ((np = realloc(b->p, ncap)) == NULL)
		return CCC_E_NOMEM;
	b->p = np;
	b->cap = ncap;
	return 0;
}

int
ccc_buf_put(struct ccc_buf *b, const void *p, size_t n)
{
	int r;

	if (n == 0)
		return 0;
	if ((r = ccc_buf_reserve(b, n)) != 0)
		return r;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void
ccc_buf_reset(struct ccc_buf *b)
{
	if (b->p != NULL && b->len)
		sodium_memzero(b->p, b->len);
	b->len = 0;
}

void
ccc_buf_free(struct ccc_buf *b)
{
	if (b->p != NULL) {
		if (b->secret)
			sodium_free(b->p);	/* wipes */
		else
			free(b->p);
	}
	ccc_buf_init(b, b->secret);
}

int
ccc_buf_printf(struct ccc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CCC_E_INTERNAL;
	if ((rc = ccc_buf_reserve(b, (size_t)n + 1)) != 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

static size_t
pages(size_t size)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t p = pg > 0 ? (size_t)pg : 4096;

	return (size + p - 1) / p * p;
}

void *
ccc_secret_pages(size_t size)
{
	void *p;
	int e;

	size = pages(size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (madvise(p, size, MADV_WIPEONFORK) != 0) {
		e = errno;
		(void)munmap(p, size);
		errno = e;
		return NULL;
	}
	(void)madvise(p, size, MADV_DONTDUMP);
	(void)mlock(p, size);
	return p;
}

void
ccc_secret_pages_free(void *p, size_t size)
{
	if (p == NULL)
		return;
	size = pages(size);
	sodium_memzero(p, size);
	(void)munlock(p, size);
	(void)munmap(p, size);
}
