/*
 * Ciphertext sources read twice: once to count and check the framing of
 * every item, once to work on them.  The count comes first because a
 * sealed-share blob states it in its header (and binds it in the HPKE
 * info), and because every framing error should be found before any work
 * is done or anything is written.  Files are simply read again; standard
 * input is read again if it is a regular file, and otherwise copied to an
 * unlinked temporary file first ($TMPDIR, default /tmp), so memory stays
 * bounded by one item however long the input is; the copy is bounded too,
 * and its first item is judged before anything is copied.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "json.h"
#include "keys.h"
#include "ctsrc.h"
#include "schemas.h"

#define ITEM_MAX (CCC_CT_SYM_MAX + 4096)

void
ccc_ct_src_array(struct ccc_ct_src *s, const struct ccc_val *cts, int fd,
    long long at, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->array = true;
	s->arr = *cts;
	s->arr_fd = fd;
	s->arr_at = at;
	s->spool = -1;
	s->n = cts->count;
	s->name = name;
	ccc_buf_init(&s->conv, 0);
	ccc_cur_init(&s->cur, cts->p, cts->n, cts->off, NULL);
}

static bool
is_stdin(const struct ccc_ct_src *s)
{
	return s->nfiles == 0 || strcmp(s->files[s->fi], "-") == 0;
}

/* The first bytes of a copied stdin: JSON, or a ciphertext blob. */
static int
first_item(const uint8_t *p, size_t len, struct ccc_err *err)
{
	int rc;

	if (ccc_json_looks_like(p, len) || (rc = ccc_blob_prefix_check(
	    &ccc_schema_ct, p, len, len < CCC_COPY_FIRST, 0, err)) == 0)
		return 0;
	ccc_err_item(err, 1);
	return rc;
}

int
ccc_ct_src_open(struct ccc_ct_src *s, char **files, int nfiles,
    struct ccc_err *err)
{
	return ccc_ct_src_open_max(s, files, nfiles, CCC_CT_SPOOL_MAX, err);
}

int
ccc_ct_src_open_max(struct ccc_ct_src *s, char **files, int nfiles,
    size_t max, struct ccc_err *err)
{
	const uint8_t *p;
	size_t len;
	struct stat st;
	int rc, i, nstdin = nfiles == 0;

	memset(s, 0, sizeof(*s));
	s->files = files;
	s->nfiles = nfiles;
	s->spool = -1;
	ccc_buf_init(&s->conv, 0);
	for (i = 0; i < nfiles; i++)
		nstdin += strcmp(files[i], "-") == 0;
	if (nstdin > 1)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "standard input "
		    "(-) can be read only once");
	if (nstdin) {
		if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
		    (s->stdin_at = lseek(STDIN_FILENO, 0, SEEK_CUR)) >= 0)
			s->in_fd = STDIN_FILENO;
		else if ((rc = ccc_private_copy(NULL, max, first_item,
		    &s->spool, err)) != 0)
			goto fail;
		else
			s->in_fd = s->spool;
	}
	/* The first pass: count, and check every item's framing and type. */
	s->counting = true;
	while ((rc = ccc_ct_src_next(s, &p, &len, err)) == 1) {
		if (!s->json && (rc = ccc_blob_prefix_check(&ccc_schema_ct,
		    p, len, true, s->at, err)) != 0) {
			ccc_err_item(err, s->item);
			ccc_err_what(err, s->name);
			goto fail;
		}
		s->n++;
	}
	s->counting = false;
	if (rc == 0 && (rc = ccc_ct_src_rewind(s, err)) == 0)
		return 0;
fail:
	ccc_ct_src_close(s);	/* nothing left open or allocated */
	return rc;
}

int
ccc_ct_src_rewind(struct ccc_ct_src *s, struct ccc_err *err)
{
	(void)err;
	if (s->open)
		ccc_seq_close(&s->seq);
	s->open = false;
	s->fi = 0;
	s->pos = 0;
	if (s->array)
		ccc_cur_init(&s->cur, s->arr.p, s->arr.n, s->arr.off, NULL);
	return 0;
}

void
ccc_ct_src_close(struct ccc_ct_src *s)
{
	if (s->open)
		ccc_seq_close(&s->seq);
	if (s->spool >= 0)
		close(s->spool);
	ccc_buf_free(&s->conv);
	memset(s, 0, sizeof(*s));
	s->spool = -1;
}

/* Start file fi of the list (or stdin) from its beginning. */
static int
open_file(struct ccc_ct_src *s, struct ccc_err *err)
{
	const uint8_t *p;
	size_t len;
	int rc;

	if (is_stdin(s)) {
		if (lseek(s->in_fd, s->stdin_at, SEEK_SET) < 0)
			return ccc_err_set(err, CCC_E_IO, -1, NULL, "stdin: %s",
			    strerror(errno));
		ccc_seq_open_fd(&s->seq, s->in_fd, "stdin", ITEM_MAX, 0);
	} else if ((rc = ccc_seq_open(&s->seq, s->files[s->fi], ITEM_MAX, 0,
	    err)) != 0)
		return rc;
	s->open = true;
	s->json = false;
	if ((rc = ccc_seq_peek(&s->seq, &p, &len, err)) != 0)
		return rc;
	if (!ccc_json_looks_like(p, len))
		return 0;
	/* One Chainlink JSON ciphertext, converted (unlabelled). */
	s->json = true;
	ccc_buf_reset(&s->conv);
	if ((rc = ccc_seq_rest(&s->seq, &p, &len, err)) != 0)
		return rc;
	if ((rc = ccc_json_ct_import(&s->conv, (const char *)p, len, NULL,
	    err)) != 0)
		ccc_err_what(err, s->seq.name);
	return rc;
}

static int
changed(struct ccc_ct_src *s, struct ccc_err *err)
{
	ccc_err_what(err, s->nfiles ? s->files[s->nfiles - 1] :
	    "stdin");
	return ccc_err_set(err, CCC_E_IO, -1, NULL, "the input changed while it was "
	    "read (%zu ciphertexts, then %s)", s->n, s->pos > s->n ? "more" :
	    "fewer");
}

int
ccc_ct_src_next(struct ccc_ct_src *s, const uint8_t **p, size_t *len,
    struct ccc_err *err)
{
	long long at;
	int rc;

	if (s->array) {
		if (s->pos == s->n)
			return 0;
		if (s->arr_fd >= 0 && !s->open) {
			/* Checked when the array was framed: n strings. */
			if (lseek(s->arr_fd, s->arr_at, SEEK_SET) < 0) {
				ccc_err_what(err, s->name);
				return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
				    strerror(errno));
			}
			ccc_seq_open_fd(&s->seq, s->arr_fd, s->name,
			    ITEM_MAX + 9, 0);
			s->open = true;
		}
		if (s->arr_fd >= 0) {
			if ((rc = ccc_seq_next(&s->seq, p, len, &at,
			    err)) != 1)
				return rc < 0 ? rc : ccc_err_set(err,
				    CCC_E_TRUNCATED, -1, NULL, "%s: the "
				    "ciphertexts end early", s->name);
			ccc_cur_init(&s->cur, *p, *len, s->arr_at + at,
			    err);
		}
		/* The array was decoded: it holds n byte strings. */
		s->cur.err = err;
		if ((rc = ccc_cur_bstr(&s->cur, p, len, "ciphertexts")) != 0) {
			ccc_err_what(err, s->name);
			return rc;
		}
		s->item = (long)++s->pos;
		s->at = ccc_cur_pos(&s->cur) - (long long)*len;
		return 1;
	}
	for (;;) {
		if (!s->open) {
			if (s->fi == (s->nfiles ? s->nfiles : 1)) {
				if (!s->counting && s->pos != s->n)
					return changed(s, err);
				return 0;
			}
			if ((rc = open_file(s, err)) != 0)
				return rc;
		}
		s->name = s->seq.name;
		if (s->json && s->seq.item == 0) {
			s->seq.item = 1;
			*p = s->conv.p;
			*len = s->conv.len;
			s->item = 1;
			s->at = 0;
			break;
		}
		if (!s->json) {
			if ((rc = ccc_seq_next(&s->seq, p, len, &at, err)) < 0)
				return rc;
			if (rc == 1) {
				s->item = s->seq.item;
				s->at = at;
				break;
			}
		}
		if (s->seq.item == 0) {
			ccc_err_set(err, CCC_E_TRUNCATED, -1, NULL,
			    "%s: no ciphertext in the input", s->seq.name);
			return CCC_E_TRUNCATED;
		}
		ccc_seq_close(&s->seq);
		s->open = false;
		s->fi++;
	}
	if (!s->counting && ++s->pos > s->n)
		return changed(s, err);
	return 1;
}

int
ccc_ct_batch_read(struct ccc_ct_batch *b, struct ccc_ct_src *s,
    struct ccc_err *err)
{
	const uint8_t *p;
	size_t len;
	int rc;

	ccc_buf_reset(&b->data);
	for (b->n = 0; b->n < CCC_CT_BATCH && b->data.len <
	    CCC_CT_BATCH_BYTES; b->n++) {
		if ((rc = ccc_ct_src_next(s, &p, &len, err)) <= 0)
			return rc;
		b->off[b->n] = b->data.len;
		b->len[b->n] = len;
		b->at[b->n] = s->at;
		b->name[b->n] = s->name;
		b->item[b->n] = s->item;
		if (ccc_buf_put(&b->data, p, len) != 0)
			return ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "ciphertexts");
	}
	return 0;
}
