/*
 * CBOR sequences (RFC 8742) as every tool reads its inputs: item by item
 * under a per-item cap, each item then decoded by the schema its type
 * names.  The first bad item stops the reader, with its index and offset.
 * ccc_seq_read_one (an item to the byte, for a pipe shared with a
 * serving process) reads the same input alongside: where both read an
 * item, it is the same bytes.
 */
#include "config.h"

#include "blob.h"
#include "seq.h"
#include "fuzz.h"

/* The two readers in step, while both read items. */
static void
one_by_one(const char *path)
{
	struct ccc_seq s;
	struct ccc_buf b;
	struct ccc_err err;
	const uint8_t *p;
	size_t len;
	int fd, rc;

	ccc_err_clear(&err);
	if ((fd = open(path, O_RDONLY)) < 0 ||
	    ccc_seq_open(&s, path, 4096, 0, &err) != 0)
		abort();
	ccc_buf_init(&b, 0);
	while ((rc = ccc_seq_read_one(fd, &b, 4096, &err)) == 0) {
		if (b.len == 0 || b.len > 4096)
			abort();
		if (ccc_seq_next(&s, &p, &len, NULL, &err) != 1)
			break;
		if (len != b.len || memcmp(p, b.p, len) != 0)
			abort();
		ccc_err_clear(&err);
	}
	if (rc < 0 && err.code == 0)
		abort();
	ccc_buf_free(&b);
	ccc_seq_close(&s);
	close(fd);
}

FUZZ_TARGET(seq)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_seq s;
	struct ccc_err err;
	const struct ccc_schema *type;
	const uint8_t *p;
	const char *path;
	long long at;
	size_t len;
	long items = 0;
	int rc, secret;

	fuzz_init();
	path = fuzz_file(0, "seq", data, size);
	/* The secret reader (sodium_malloc) for half the inputs. */
	secret = size > 0 && (data[size - 1] & 1);
	ccc_err_clear(&err);
	if (ccc_seq_open(&s, path, 4096, secret, &err) != 0)
		abort();
	while ((rc = ccc_seq_next(&s, &p, &len, &at, &err)) == 1) {
		items++;
		if (len == 0 || len > 4096 || at < 0 || (size_t)at + len > size)
			abort();
		if ((type = ccc_blob_peek_type(p, len)) != NULL)
			(void)!ccc_blob_decode(type, p, len, v, at, &err);
		ccc_err_clear(&err);
	}
	if (rc < 0 && (err.code == 0 || err.item != items + 1))
		abort();	/* the bad item is named */
	ccc_seq_close(&s);
	one_by_one(path);
	return 0;
}
