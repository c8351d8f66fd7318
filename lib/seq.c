#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cbor.h"
#include "io.h"
#include "seq.h"

int
ccc_seq_open(struct ccc_seq *s, const char *path, size_t max, int secret,
    struct ccc_err *err)
{
	memset(s, 0, sizeof(*s));
	ccc_buf_init(&s->buf, secret);
	s->max = max;
	s->name = ccc_io_name(path, 0);
	if (path == NULL || strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
		return 0;
	}
	if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
		ccc_err_what(err, s->name);
		return CCC_E_IO;
	}
	s->own_fd = true;
	return 0;
}

void
ccc_seq_open_fd(struct ccc_seq *s, int fd, const char *name, size_t max,
    int secret)
{
	memset(s, 0, sizeof(*s));
	ccc_buf_init(&s->buf, secret);
	s->max = max;
	s->name = name;
	s->fd = fd;
}

void
ccc_seq_close(struct ccc_seq *s)
{
	if (s->own_fd)
		close(s->fd);
	s->fd = -1;
	ccc_buf_free(&s->buf);
}

/* Drop consumed bytes, then read more; sets eof at end of input. */
static int
fill(struct ccc_seq *s, struct ccc_err *err)
{
	ssize_t r;
	size_t want;

	if (s->off > 0) {
		memmove(s->buf.p, s->buf.p + s->off, s->buf.len - s->off);
		s->base += (long long)s->off;
		s->buf.len -= s->off;
		s->off = 0;
	}
	want = s->buf.len < 65536 ? 65536 : s->buf.len;
	if (want > s->max + 1 - s->buf.len)
		want = s->max + 1 - s->buf.len;
	if (ccc_buf_reserve(&s->buf, want) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", s->name);
	do
		r = read(s->fd, s->buf.p + s->buf.len, want);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
		ccc_err_what(err, s->name);
		return CCC_E_IO;
	}
	if (r == 0)
		s->eof = true;
	s->buf.len += (size_t)r;
	return 0;
}

int
ccc_seq_peek(struct ccc_seq *s, const uint8_t **p, size_t *len,
    struct ccc_err *err)
{
	int rc;

	if (s->buf.len == s->off && !s->eof && (rc = fill(s, err)) != 0)
		return rc;
	*p = s->buf.p + s->off;
	*len = s->buf.len - s->off;
	return 0;
}

int
ccc_seq_rest(struct ccc_seq *s, const uint8_t **p, size_t *len,
    struct ccc_err *err)
{
	int rc;

	while (!s->eof) {
		if (s->buf.len - s->off > s->max) {
			ccc_err_what(err, s->name);
			return ccc_err_set(err, CCC_E_TOOBIG, -1, NULL, "more than %zu "
			    "bytes", s->max);
		}
		if ((rc = fill(s, err)) != 0)
			return rc;
	}
	*p = s->buf.p + s->off;
	*len = s->buf.len - s->off;
	s->off = s->buf.len;
	return 0;
}

int
ccc_seq_next(struct ccc_seq *s, const uint8_t **p, size_t *len,
    long long *at, struct ccc_err *err)
{
	struct ccc_err e;
	size_t ilen, avail;
	int rc;

	for (;;) {
		avail = s->buf.len - s->off;
		if (avail > 0) {
			ccc_err_clear(&e);
			rc = ccc_cbor_check(s->buf.p + s->off, avail,
			    CCC_CBOR_STRICT, s->max, &ilen,
			    s->base + (long long)s->off, &e);
			if (rc == 0) {
				*p = s->buf.p + s->off;
				*len = ilen;
				if (at != NULL)
					*at = s->base + (long long)s->off;
				s->off += ilen;
				s->item++;
				return 1;
			}
			if (rc != CCC_E_TRUNCATED || s->eof ||
			    avail > s->max) {
				if (err != NULL && err->code == 0)
					*err = e;
				ccc_err_item(err, s->item + 1);
				ccc_err_what(err, s->name);
				return rc;
			}
		} else if (s->eof)
			return 0;
		if ((rc = fill(s, err)) != 0)
			return rc;
	}
}

/* Exactly n bytes of fd into p, else why (at: the item's offset). */
static int
read_exact(int fd, uint8_t *p, size_t n, size_t at, struct ccc_err *err)
{
	ssize_t r = ccc_read_full(fd, p, n);

	if (r < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno));
	if ((size_t)r != n)
		return ccc_err_set(err, CCC_E_TRUNCATED, (long long)at, NULL,
		    "input ends inside an item");
	return 0;
}

/*
 * One item for ccc_seq_read_one: its head, then what it holds, each read
 * to the byte (depth: nesting left; first: the end of input before its
 * first byte is no error, but 1).
 */
static int
read_item(int fd, struct ccc_buf *b, size_t max, int depth, bool first,
    struct ccc_err *err)
{
	uint8_t h[9];
	uint64_t v, i, n;
	size_t at = b->len, hl = 1;
	ssize_t r;
	int mt, ai, rc;

	if (first) {
		if ((r = ccc_read_full(fd, h, 1)) < 0)
			return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
			    strerror(errno));
		if (r == 0)
			return 1;
	} else if ((rc = read_exact(fd, h, 1, at, err)) != 0)
		return rc;
	mt = h[0] >> 5;
	ai = h[0] & 31;
	v = (uint64_t)ai;
	if (ai > 27)
		/* Indefinite lengths, reserved values. */
		return ccc_err_set(err, CCC_E_MALFORMED, (long long)at, NULL,
		    "not a definite-length item");
	if (ai >= 24) {
		hl += (size_t)1 << (ai - 24);
		if ((rc = read_exact(fd, h + 1, hl - 1, at, err)) != 0)
			return rc;
		for (v = 0, i = 1; i < hl; i++)
			v = v << 8 | h[i];
	}
	if (mt >= 4 && mt <= 6 && depth == 0)
		return ccc_err_set(err, CCC_E_MALFORMED, (long long)at, NULL,
		    "nested too deep");
	if (ccc_buf_put(b, h, hl) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
	if (b->len > max)
		return ccc_err_set(err, CCC_E_TOOBIG, (long long)at, NULL,
		    "an item over %zu bytes", max);
	switch (mt) {
	case 2:
	case 3:
		if (v > max || b->len > max - v)
			return ccc_err_set(err, CCC_E_TOOBIG, (long long)at, NULL,
			    "an item over %zu bytes", max);
		if (ccc_buf_reserve(b, (size_t)v) != 0)
			return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
		if ((rc = read_exact(fd, b->p + b->len, (size_t)v, at,
		    err)) != 0)
			return rc;
		b->len += (size_t)v;
		return 0;
	case 4:
	case 5:
		n = mt == 5 ? 2 * v : v;
		if (v > max || n > max - b->len)	/* a byte each at least */
			return ccc_err_set(err, CCC_E_TOOBIG, (long long)at, NULL,
			    "an item over %zu bytes", max);
		for (i = 0; i < n; i++)
			if ((rc = read_item(fd, b, max, depth - 1, false,
			    err)) != 0)
				return rc;
		return 0;
	case 6:
		return read_item(fd, b, max, depth - 1, false, err);
	default:
		return 0;
	}
}

int
ccc_seq_read_one(int fd, struct ccc_buf *b, size_t max, struct ccc_err *err)
{
	ccc_buf_reset(b);
	return read_item(fd, b, max, 16, true, err);
}
