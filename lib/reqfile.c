/*
 * A certified request read in pieces, so that serving one (ccc-reencrypt
 * -r) takes memory that does not grow with its ciphertexts.
 *
 * The input is first copied to a private unlinked file: it is read more
 * than once (to check the certificate, the label policy, then to share),
 * and every reading must see the bytes the quorum signed.  Then:
 *
 *   - the certificate's head (fields before the request) and tail (the
 *     signatures) are read whole, the request between them in pieces;
 *   - the request's head (fields before its ciphertext array) and tail
 *     are read whole; the array's byte strings are framed and typed one
 *     by one, as the whole-blob decoder does, and hashed with the rest
 *     into the request's digest;
 *   - the certificate and the request are rebuilt without the array
 *     (written empty) and decoded with the schemas, and the certificate
 *     checked with the streamed digest: the checks of ccc_cert_verify,
 *     ccc_request_decode and ccc_blob_decode, on the same bytes.
 *
 * Whatever does not have that shape is handed to the whole-blob reader
 * (ccc_certified_request_decode), which gives the exact error; if it
 * accepts what this reader could not frame, the request is served from
 * memory as before.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbor.h"
#include "hash.h"
#include "io.h"
#include "quorum.h"
#include "reqfile.h"
#include "schemas.h"
#include "seq.h"

#define WIN 65536	/* heads and tails are far smaller */
#define ELEM_MAX (CCC_CT_SYM_MAX + 4096)

/* n bytes at offset at; short only at the end of the file. */
static int
read_at(struct ccc_buf *b, int fd, size_t n, long long at, const char *name,
    struct ccc_err *err)
{
	ssize_t r;
	size_t got = 0;

	ccc_buf_reset(b);
	if (ccc_buf_reserve(b, n) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
	while (got < n) {
		r = pread(fd, b->p + got, n - got, (off_t)(at + (long long)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ccc_err_what(err, name);
			return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
			    strerror(errno));
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	b->len = got;
	return 0;
}

/* The ciphertext array's byte strings: framed, typed, hashed. */
static int
stream_cts(int fd, long long at, uint64_t count, const char *name,
    struct ccc_sha256 *h, long long *end)
{
	struct ccc_seq seq;
	struct ccc_cur c;
	const uint8_t *p, *q;
	size_t n, qn;
	uint64_t i;
	int rc = 0;

	if (lseek(fd, (off_t)at, SEEK_SET) < 0)
		return -1;
	ccc_seq_open_fd(&seq, fd, name, ELEM_MAX + 9, 0);
	*end = at;
	for (i = 0; i < count; i++) {
		if (ccc_seq_next(&seq, &p, &n, NULL, NULL) != 1) {
			rc = -1;
			break;
		}
		ccc_cur_init(&c, p, n, 0, NULL);
		if (ccc_cur_bstr(&c, &q, &qn, NULL) != 0 || qn == 0 ||
		    qn > ELEM_MAX || ccc_blob_peek_type(q, qn) !=
		    &ccc_schema_ct) {
			rc = -1;
			break;
		}
		ccc_sha256_update(h, p, n);
		*end += (long long)n;
	}
	ccc_seq_close(&seq);
	return rc;
}

/*
 * The first bytes of the input, before it is copied: a certificate (with
 * a roster) or a request or a certificate (without); junk is refused at
 * once with the error the whole-blob reader would give.
 */
static int
first_cert(const uint8_t *p, size_t len, struct ccc_err *err)
{
	return ccc_blob_prefix_check(&ccc_schema_certified, p, len,
	    len < CCC_COPY_FIRST, 0, err);
}

static int
first_any(const uint8_t *p, size_t len, struct ccc_err *err)
{
	if (ccc_blob_peek_type(p, len) == &ccc_schema_certified)
		return 0;
	return ccc_blob_prefix_check(&ccc_schema_request, p, len,
	    len < CCC_COPY_FIRST, 0, err);
}

/* The whole-blob reader, on the private copy: the exact verdict. */
static int
whole(struct ccc_request_file *f, struct ccc_request *rq,
    const struct ccc_roster *r, const char *path, uint64_t now,
    long long size, struct ccc_err *err)
{
	int rc;

	if ((rc = read_at(&f->whole, f->fd, (size_t)size, 0,
	    ccc_io_name(path, 0), err)) != 0)
		return rc;
	if (r == NULL)
		return ccc_request_any_decode(f->whole.p, f->whole.len, rq,
		    path, err);
	return ccc_certified_request_decode(f->whole.p, f->whole.len, rq, r,
	    now, path, err);
}

/*
 * With a roster r, a certificate checked against it; without, a request
 * or a certificate whose signatures are not checked.
 */
static int
open_request(struct ccc_request_file *f, struct ccc_request *rq,
    const struct ccc_roster *r, int fd, const char *path, uint64_t now,
    struct ccc_err *err)
{
	const char *name = ccc_io_name(path, 0);
	const struct ccc_schema *type;
	struct ccc_val cv[CERT_NFIELDS];
	struct ccc_buf head, rhead, tail, rtail;
	struct ccc_sha256 h;
	struct ccc_err e;
	struct stat st;
	size_t at3, hl3, at6, hl6;
	uint64_t blen, count;
	long long boff, rend, aend, e_end;
	uint8_t d[32];
	bool last, cert, hashing = false;
	int rc;

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	ccc_buf_init(&f->cert, 0);
	ccc_buf_init(&f->req, 0);
	ccc_buf_init(&f->whole, 0);
	ccc_buf_init(&head, 0);
	ccc_buf_init(&rhead, 0);
	ccc_buf_init(&tail, 0);
	ccc_buf_init(&rtail, 0);
	ccc_err_clear(&e);
	if (fd >= 0)
		f->fd = fd;
	else if ((rc = ccc_private_copy(path, CCC_BLOB_MAX, r != NULL ?
	    first_cert : first_any, &f->fd, err)) != 0)
		goto out;
	if (fstat(f->fd, &st) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
		ccc_err_what(err, name);
		goto out;
	}

	/* The certificate: its head, the request's place, its tail. */
	if ((rc = read_at(&head, f->fd, WIN, 0, name, err)) != 0)
		goto out;
	cert = r != NULL || ccc_blob_peek_type(head.p, head.len) ==
	    &ccc_schema_certified;
	if (!cert) {
		/* A bare request: the whole file. */
		at3 = hl3 = 0;
		blen = (uint64_t)st.st_size;
	} else if (ccc_cbor_map_find(head.p, head.len, 3, &at3, &last) != 0 ||
	    last || ccc_cbor_head_at(head.p + at3, head.len - at3,
	    CCC_CBOR_BSTR, &blen, &hl3) != 0)
		goto whole;
	boff = (long long)(at3 + hl3);
	rend = boff + (long long)blen;
	if (blen > CCC_BLOB_MAX || rend > (long long)st.st_size ||
	    st.st_size - rend > WIN)
		goto whole;
	if (cert && (rc = read_at(&tail, f->fd, (size_t)(st.st_size - rend),
	    rend, name, err)) != 0)
		goto out;

	/* The request: its head up to the ciphertext array. */
	if ((rc = read_at(&rhead, f->fd, blen < WIN ? (size_t)blen : WIN,
	    boff, name, err)) != 0)
		goto out;
	if (ccc_cbor_map_find(rhead.p, rhead.len, 6, &at6, &last) != 0 ||
	    last || ccc_cbor_head_at(rhead.p + at6, rhead.len - at6,
	    CCC_CBOR_ARRAY, &count, &hl6) != 0 || count < 1 ||
	    count > CCC_REQUEST_MAX_CTS)
		goto whole;
	aend = (long long)(at6 + hl6);

	/* The ciphertexts, hashed between the head and the tail. */
	ccc_sha256_init(&h);
	hashing = true;
	ccc_sha256_update(&h, rhead.p, (size_t)aend);
	if (stream_cts(f->fd, boff + aend, count, name, &h, &e_end) != 0 ||
	    e_end > rend || rend - e_end > WIN)
		goto whole;
	if ((rc = read_at(&rtail, f->fd, (size_t)(rend - e_end), e_end,
	    name, err)) != 0)
		goto out;
	ccc_sha256_update(&h, rtail.p, rtail.len);
	ccc_sha256_final(&h, d);
	hashing = false;

	/* Both rebuilt without the array, decoded, checked. */
	if (ccc_buf_put(&f->req, rhead.p, at6) != 0 ||
	    ccc_cbor_put_array(&f->req, 0) != 0 ||
	    ccc_buf_put(&f->req, rtail.p, rtail.len) != 0 ||
	    ccc_buf_put(&f->cert, head.p, at3) != 0 ||
	    ccc_cbor_put_bstr(&f->cert, f->req.p, f->req.len) != 0 ||
	    ccc_buf_put(&f->cert, tail.p, tail.len) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
		goto out;
	}
	if (cert && ccc_blob_decode(&ccc_schema_certified, f->cert.p,
	    f->cert.len, cv, 0, &e) != 0)
		goto whole;
	if (r != NULL && ((rc = ccc_cert_check(r, cv, d, now, &type,
	    err)) != 0 || (rc = ccc_certified_is_request(type, err)) != 0)) {
		ccc_err_what(err, name);
		goto out;
	}
	if (ccc_request_decode_head(rq, f->req.p, f->req.len, count, &e) != 0)
		goto whole;
	rq->cts_in_file = true;
	rq->cts_fd = f->fd;
	rq->cts_at = boff + aend;
	rc = 0;
	goto out;
whole:
	rc = whole(f, rq, r, path, now, (long long)st.st_size, err);
out:
	if (hashing)
		ccc_sha256_final(&h, d);	/* releases the context */
	sodium_memzero(d, sizeof(d));
	ccc_buf_free(&head);
	ccc_buf_free(&rhead);
	ccc_buf_free(&tail);
	ccc_buf_free(&rtail);
	return rc;
}

int
ccc_certified_request_open(struct ccc_request_file *f,
    struct ccc_request *rq, const struct ccc_roster *r, const char *path,
    uint64_t now, struct ccc_err *err)
{
	return open_request(f, rq, r, -1, path, now, err);
}

int
ccc_certified_request_open_fd(struct ccc_request_file *f,
    struct ccc_request *rq, const struct ccc_roster *r, int fd,
    const char *path, uint64_t now, struct ccc_err *err)
{
	return open_request(f, rq, r, fd, path, now, err);
}

int
ccc_request_open(struct ccc_request_file *f, struct ccc_request *rq,
    const char *path, struct ccc_err *err)
{
	return open_request(f, rq, NULL, -1, path, 0, err);
}

void
ccc_certified_request_close(struct ccc_request_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	ccc_buf_free(&f->cert);
	ccc_buf_free(&f->req);
	ccc_buf_free(&f->whole);
}
