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
