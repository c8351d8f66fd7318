#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cbor.h"
#include "io.h"
#include "schemas.h"
#include "seal.h"

#define INFO_PREFIX "ccc/sealed/v1"
#define INFO_BYTES (sizeof(INFO_PREFIX) + 32 + 8 + 4 + 32 + 32 + 4)

static void
put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static void
make_info(uint8_t info[INFO_BYTES], const struct ccc_sealed *s)
{
	uint8_t *p = info;

	memcpy(p, INFO_PREFIX, sizeof(INFO_PREFIX));	/* with its NUL */
	p += sizeof(INFO_PREFIX);
	memcpy(p, s->key_id, 32);
	p += 32;
	put_be(p, s->epoch, 8);
	p += 8;
	put_be(p, s->index, 4);
	p += 4;
	crypto_hash_sha256(p, s->context, s->context_len);
	p += 32;
	memcpy(p, s->recipient, 32);
	p += 32;
	put_be(p, s->count, 4);
}

int
ccc_sealed_begin(struct ccc_buf *out, struct ccc_hpke_ctx *ctx,
    const struct ccc_sealed *hdr, struct ccc_err *err)
{
	struct ccc_val v[SEALED_NFIELDS];
	uint8_t info[INFO_BYTES], enc[32];
	int rc;

	make_info(info, hdr);
	if ((rc = ccc_hpke_setup_s(ctx, enc, hdr->recipient, info,
	    sizeof(info), NULL, 0)) != 0)
		return ccc_err_set(err, rc == CCC_E_FIELD ? CCC_E_KEY : rc, -1,
		    "recipient", "cannot seal to this recipient key");
	ccc_val_bytes(&v[SEALED_KEY_ID], hdr->key_id, 32);
	ccc_val_uint(&v[SEALED_EPOCH], hdr->epoch);
	ccc_val_uint(&v[SEALED_INDEX], hdr->index);
	ccc_val_bytes(&v[SEALED_CONTEXT], hdr->context, hdr->context_len);
	ccc_val_bytes(&v[SEALED_RECIPIENT], hdr->recipient, 32);
	ccc_val_uint(&v[SEALED_COUNT], hdr->count);
	ccc_val_bytes(&v[SEALED_ENC], enc, 32);
	memset(&v[SEALED_SHARES], 0, sizeof(v[SEALED_SHARES]));
	if ((rc = ccc_blob_encode_prefix(out, &ccc_schema_sealed, v, 1)) != 0 ||
	    (rc = ccc_cbor_put_uint(out, 8)) != 0 ||
	    (rc = ccc_cbor_put_array(out, hdr->count)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "sealed shares");
	return 0;
}

int
ccc_sealed_add(struct ccc_buf *out, struct ccc_hpke_ctx *ctx,
    const uint8_t ct_digest[32], const struct ccc_tdh2_dshare *ds,
    const uint8_t (*comm)[CCC_POINT_BYTES], struct ccc_err *err)
{
	uint8_t rec[CCC_SEALED_RECORD_COMM_BYTES];
	size_t n = comm != NULL ? CCC_SEALED_RECORD_COMM_BYTES :
	    CCC_SEALED_RECORD_BYTES;
	const char *what = NULL;
	int rc;

	memcpy(rec, ct_digest, 32);
	memcpy(rec + 32, ds->u_i, 65);
	memcpy(rec + 97, ds->e_i, 32);
	memcpy(rec + 129, ds->f_i, 32);
	if (comm != NULL)
		memcpy(rec + CCC_SEALED_RECORD_BYTES, comm, 2 * CCC_POINT_BYTES);
	if ((rc = ccc_cbor_put_bstr_head(out, n + 16)) != 0 ||
	    (rc = ccc_buf_reserve(out, n + 16)) != 0)
		what = "sealed shares";
	else if ((rc = ccc_hpke_seal(ctx, out->p + out->len, NULL, 0, rec,
	    n)) != 0)
		what = "hpke seal";
	else
		out->len += n + 16;
	sodium_memzero(rec, sizeof(rec));
	return rc ? ccc_err_set(err, rc, -1, NULL, "%s", what) : 0;
}

static void
from_vals(struct ccc_sealed *s, const struct ccc_val *v)
{
	memcpy(s->key_id, v[SEALED_KEY_ID].p, 32);
	s->epoch = v[SEALED_EPOCH].u;
	s->index = (uint32_t)v[SEALED_INDEX].u;
	s->context = v[SEALED_CONTEXT].p;
	s->context_len = v[SEALED_CONTEXT].n;
	memcpy(s->recipient, v[SEALED_RECIPIENT].p, 32);
	s->count = (uint32_t)v[SEALED_COUNT].u;
	memcpy(s->enc, v[SEALED_ENC].p, 32);
	s->shares = v[SEALED_SHARES];
	s->comm = v[SEALED_SHARES].elem == CCC_SEALED_ELEM_COMM_BYTES;
}

static int
count_mismatch(uint64_t entries, uint64_t count, long long at,
    struct ccc_err *err)
{
	return ccc_err_set(err, CCC_E_FIELD, at, "shares", "shares: %llu "
	    "entries, count says %llu", (unsigned long long)entries,
	    (unsigned long long)count);
}

int
ccc_sealed_decode(struct ccc_sealed *s, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[SEALED_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_sealed, p, len, v, 0, err)) != 0)
		return rc;
	if (v[SEALED_SHARES].count != v[SEALED_COUNT].u)
		return count_mismatch(v[SEALED_SHARES].count,
		    v[SEALED_COUNT].u, v[SEALED_SHARES].off, err);
	from_vals(s, v);
	return 0;
}

int
ccc_sealed_open_begin(struct ccc_hpke_ctx *ctx, const struct ccc_sealed *s,
    const uint8_t sk[32], struct ccc_err *err)
{
	uint8_t info[INFO_BYTES];

	make_info(info, s);
	/* The blob names its recipient; a wrong one fails to open anyway. */
	if (ccc_hpke_setup_r_pk(ctx, s->enc, sk, s->recipient, info,
	    sizeof(info)) != 0)
		return ccc_err_set(err, CCC_E_DECRYPT, -1, NULL,
		    "cannot open (sealed to another key, or altered)");
	return 0;
}

/*
 * Open one sealed share (n bytes: CCC_SEALED_ELEM_BYTES, or with
 * commitments CCC_SEALED_ELEM_COMM_BYTES, which go to comm unless NULL)
 * of node index.
 */
static int
open_share(struct ccc_hpke_ctx *ctx, uint32_t index, const uint8_t *elem,
    size_t n, uint8_t ct_digest[32], struct ccc_tdh2_dshare *ds,
    uint8_t (*comm)[CCC_POINT_BYTES], struct ccc_err *err)
{
	uint8_t rec[CCC_SEALED_RECORD_COMM_BYTES];

	if (ccc_hpke_open(ctx, rec, NULL, 0, elem, n) != 0)
		return ccc_err_set(err, CCC_E_DECRYPT, -1, NULL,
		    "cannot open (sealed to another key, or altered)");
	memcpy(ct_digest, rec, 32);
	ds->index = index;
	memcpy(ds->u_i, rec + 32, 65);
	memcpy(ds->e_i, rec + 97, 32);
	memcpy(ds->f_i, rec + 129, 32);
	if (comm != NULL && n == CCC_SEALED_ELEM_COMM_BYTES)
		memcpy(comm, rec + CCC_SEALED_RECORD_BYTES,
		    2 * CCC_POINT_BYTES);
	sodium_memzero(rec, sizeof(rec));
	return 0;
}

/* ---- from a file, in constant memory ---------------------------------- */

#define HEAD_MAX 4096	/* a header is < 400 bytes; more is not one */
/* A sealed share's CBOR head: 0x58 0xb1, or 0x59 0x01 0x33. */
#define ELEM_HEAD(elem) ((elem) <= 0xff ? 2u : 3u)

/* p begins with the CBOR head of a byte string of elem bytes. */
static bool
head_is(const uint8_t *p, size_t elem)
{
	return elem <= 0xff ? p[0] == 0x58 && p[1] == elem :
	    p[0] == 0x59 && p[1] == elem >> 8 && p[2] == (elem & 0xff);
}

/*
 * The size of the blob's sealed shares, from the head of the first
 * (p[0..len), what the window holds of it): of the two sizes, the one it
 * announces, else the short one (read_chunk then says it is not).
 */
static size_t
elem_size(const uint8_t *p, size_t len)
{
	return len >= 3 && head_is(p, CCC_SEALED_ELEM_COMM_BYTES) ?
	    CCC_SEALED_ELEM_COMM_BYTES : CCC_SEALED_ELEM_BYTES;
}

/*
 * Find where field 8's array head starts (*at) and ends (*end), and its
 * count, in the window p[0..len).  Nonzero if the window does not hold
 * a map prefix ending with field 8.
 */
static int
find_shares(const uint8_t *p, size_t len, size_t *at, size_t *end,
    uint64_t *count)
{
	size_t hl;
	bool last;

	if (ccc_cbor_map_find(p, len, 8, at, &last) != 0 || !last ||
	    ccc_cbor_head_at(p + *at, len - *at, CCC_CBOR_ARRAY, count,
	    &hl) != 0)
		return -1;
	*end = *at + hl;
	return 0;
}

/* Up to n bytes at the read position: from the file, or from mem. */
static ssize_t
get(struct ccc_sealed_file *f, uint8_t *p, size_t n)
{
	if (f->fd >= 0)
		return ccc_read_full(f->fd, p, n);
	if (n > f->mem.len - f->pos)
		n = f->mem.len - f->pos;
	memcpy(p, f->mem.p + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

static int open_at(struct ccc_sealed_file *, uint64_t, const uint8_t *,
    const char *, struct ccc_err *);

int
ccc_sealed_file_open(struct ccc_sealed_file *f, const char *path,
    struct ccc_err *err)
{
	return ccc_sealed_file_open_for(f, path, NULL, err);
}

int
ccc_sealed_file_open_for(struct ccc_sealed_file *f, const char *path,
    const uint8_t *pk, struct ccc_err *err)
{
	struct stat st;
	int rc;

	memset(f, 0, sizeof(*f));
	ccc_buf_init(&f->head, 0);
	ccc_buf_init(&f->mem, 0);
	if ((f->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(f->fd, &st) != 0) {
		ccc_err_what(err, path);
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		/* From this opening: a FIFO opened again would wait for a
		 * writer that may be gone. */
		if ((rc = ccc_read_fd(&f->mem, f->fd, ccc_io_name(path, 0),
		    1UL << 30, err)) != 0)
			return rc;
		close(f->fd);
		f->fd = -1;
		return open_at(f, f->mem.len, pk, path, err);
	}
	return open_at(f, (uint64_t)st.st_size, pk, path, err);
}

int
ccc_sealed_file_open_mem(struct ccc_sealed_file *f, const uint8_t *p,
    size_t n, const uint8_t *pk, const char *name, struct ccc_err *err)
{
	memset(f, 0, sizeof(*f));
	ccc_buf_init(&f->head, 0);
	ccc_buf_init(&f->mem, 0);
	f->fd = -1;
	if (ccc_buf_put(&f->mem, p, n) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "sealed shares");
	return open_at(f, n, pk, name, err);
}

/*
 * The header of the sealed blob (of a sequence, the one sealed to pk) in
 * f, of size bytes, opened from its descriptor or held in f->mem.
 */
static int
open_at(struct ccc_sealed_file *f, uint64_t size, const uint8_t *pk,
    const char *path, struct ccc_err *err)
{
	struct ccc_val v[SEALED_NFIELDS];
	uint8_t win[HEAD_MAX];
	ssize_t r;
	size_t len, at, end;
	uint64_t count, want, base = 0;
	int rc;

next:
	if (f->fd >= 0 && lseek(f->fd, (off_t)base, SEEK_SET) != (off_t)base) {
		ccc_err_what(err, path);
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
	}
	f->pos = (size_t)base;
	if ((r = get(f, win, sizeof(win))) < 0) {
		ccc_err_what(err, path);
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
	}
	len = (size_t)r;
	if (find_shares(win, len, &at, &end, &count) != 0) {
		/*
		 * Not a sealed header: the whole-blob decoder says why (a
		 * longer file is no sealed blob with a header this long).
		 */
		if (len == sizeof(win) && len < size)
			return ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
			    "not a %s", ccc_schema_sealed.title);
		rc = ccc_sealed_decode(&f->s, win, len, err);
		return rc ? rc : ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "not a %s", ccc_schema_sealed.title);
	}
	/* The header with no shares: decoded and checked field by field. */
	ccc_buf_reset(&f->head);
	if (ccc_buf_put(&f->head, win, at) != 0 ||
	    ccc_cbor_put_array(&f->head, 0) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "sealed shares");
	if ((rc = ccc_blob_decode(&ccc_schema_sealed, f->head.p, f->head.len,
	    v, 0, err)) != 0)
		return rc;
	f->elem = elem_size(win + end, len - end);
	f->stride = ELEM_HEAD(f->elem) + f->elem;
	want = base + (uint64_t)end + count * f->stride;
	if (size < want)
		return ccc_err_set(err, CCC_E_TRUNCATED, -1, NULL,
		    "input ends inside an item");
	/* A sequence of blobs (a level-2 release): the one sealed to pk. */
	if (pk != NULL && size > want && count == v[SEALED_COUNT].u &&
	    CRYPTO_memcmp(v[SEALED_RECIPIENT].p, pk, 32) != 0) {
		base = want;
		goto next;
	}
	if (size > want && pk == NULL)
		return ccc_err_set(err, CCC_E_MALFORMED, (long long)want, NULL,
		    "%llu trailing bytes after the %s",
		    (unsigned long long)(size - want),
		    ccc_schema_sealed.title);
	if (count != v[SEALED_COUNT].u)
		return count_mismatch(count, v[SEALED_COUNT].u, (long long)at,
		    err);
	from_vals(&f->s, v);
	f->s.comm = f->elem == CCC_SEALED_ELEM_COMM_BYTES;
	f->body = (long long)(base + end);
	return 0;
}

int
ccc_sealed_file_digest(const struct ccc_sealed_file *f, uint8_t out[32],
    struct ccc_err *err)
{
	crypto_hash_sha256_state h;
	uint8_t b[65536];
	off_t at = 0;
	ssize_t r;

	crypto_hash_sha256_init(&h);
	if (f->fd < 0)
		crypto_hash_sha256_update(&h, f->mem.p, f->mem.len);
	else
		while ((r = pread(f->fd, b, sizeof(b), at)) != 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return ccc_err_set(err, CCC_E_IO, -1, NULL,
				    "%s", strerror(errno));
			crypto_hash_sha256_update(&h, b, (size_t)r);
			at += r;
		}
	crypto_hash_sha256_final(&h, out);
	return 0;
}

/* Refill the read-ahead with up to CCC_SEALED_CHUNK shares. */
static int
read_chunk(struct ccc_sealed_file *f, struct ccc_err *err)
{
	size_t want = f->s.count - f->next, i;
	ssize_t r;

	if (want > CCC_SEALED_CHUNK)
		want = CCC_SEALED_CHUNK;
	r = get(f, f->chunk, want * f->stride);
	if (r < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno));
	if ((size_t)r != want * f->stride)
		return ccc_err_set(err, CCC_E_TRUNCATED, -1, NULL,
		    "input ends inside an item (the file shrank)");
	for (i = 0; i < want; i++)
		if (!head_is(f->chunk + i * f->stride, f->elem))
			return ccc_err_set(err, CCC_E_FIELD, f->body +
			    (long long)((f->next + i) * f->stride), "shares",
			    "shares: element %zu is not a byte string of %zu "
			    "bytes", f->next + i + 1, f->elem);
	f->have = want;
	f->used = 0;
	return 0;
}

int
ccc_sealed_file_start(struct ccc_sealed_file *f, const uint8_t sk[32],
    struct ccc_err *err)
{
	int rc;

	if (f->chunk == NULL && (f->chunk = malloc(CCC_SEALED_CHUNK *
	    f->stride)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "sealed shares");
	ccc_hpke_ctx_wipe(&f->h);
	if ((rc = ccc_sealed_open_begin(&f->h, &f->s, sk, err)) != 0)
		return rc;
	if (f->fd < 0)
		f->pos = (size_t)f->body;
	else if (lseek(f->fd, (off_t)f->body, SEEK_SET) != (off_t)f->body)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno));
	f->next = 0;
	f->have = f->used = 0;
	return 0;
}

int
ccc_sealed_file_next(struct ccc_sealed_file *f, uint8_t ct_digest[32],
    struct ccc_tdh2_dshare *ds, uint8_t (*comm)[CCC_POINT_BYTES],
    struct ccc_err *err)
{
	int rc;

	if (f->next >= f->s.count)
		return ccc_err_set(err, CCC_E_TRUNCATED, -1, NULL, "no share "
		    "left");
	if (f->used == f->have && (rc = read_chunk(f, err)) != 0)
		return rc;
	rc = open_share(&f->h, f->s.index, f->chunk + f->used * f->stride +
	    ELEM_HEAD(f->elem), f->elem, ct_digest, ds, comm, err);
	f->used++;
	f->next++;
	return rc;
}

int
ccc_sealed_file_check(struct ccc_sealed_file *f, const uint8_t sk[32],
    struct ccc_err *err)
{
	struct ccc_tdh2_dshare ds;
	uint8_t d[32];
	int rc = 0;

	if ((rc = ccc_sealed_file_start(f, sk, err)) != 0)
		return rc;
	while (rc == 0 && f->next < f->s.count)
		rc = ccc_sealed_file_next(f, d, &ds, NULL, err);
	sodium_memzero(&ds, sizeof(ds));
	return rc;
}

void
ccc_sealed_file_close(struct ccc_sealed_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	ccc_hpke_ctx_wipe(&f->h);
	free(f->chunk);
	f->chunk = NULL;
	ccc_buf_free(&f->head);
	ccc_buf_free(&f->mem);
}
