/*
 * The serving loop of the tools' --serve modes, in the style of git
 * cat-file --batch: standard input is a CBOR sequence of items (requests,
 * blobs to sign); for each, in order, one ccc/answer/v1 goes to standard
 * output, written whole and at once, so that a client can send an item,
 * read its answer and send the next over one pipe or one ssh connection.
 *
 * Each item is handed to the tool's function as the one-shot form would
 * read it, named "request N" (its place in the sequence); what that
 * function writes to its output (a private scratch file) becomes the
 * answer's output, and an error becomes the answer's status and error
 * line, the one the one-shot tool would have printed.  Serving goes on
 * after a refused item; input that is not a CBOR item ends it (the items
 * before it are answered), as does a failure to write an answer.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blob.h"
#include "cbor.h"
#include "cli.h"
#include "io.h"
#include "ops.h"
#include "quorum.h"
#include "schemas.h"
#include "seq.h"

int
ccc_serve_bytes(const struct ccc_val *v, const char *name, const char *what,
    struct ccc_op_bytes **list, char (**names)[64], size_t *n,
    struct ccc_err *err)
{
	struct ccc_cur c;
	size_t i;
	int rc;

	*list = NULL;
	*names = NULL;
	*n = 0;
	if (!v->present)
		return 0;
	*list = calloc(v->count, sizeof(**list));
	*names = calloc(v->count, sizeof(**names));
	if (*list == NULL || *names == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", name);
	/* Byte strings back to back, checked by the decoder. */
	ccc_cur_init(&c, v->p, v->n, v->off, err);
	for (i = 0; i < v->count; i++) {
		if ((rc = ccc_cur_bstr(&c, &(*list)[i].p, &(*list)[i].n,
		    what)) != 0)
			return rc;
		snprintf((*names)[i], sizeof((*names)[i]), "%s %s %zu", name,
		    what, i + 1);
		(*list)[i].name = (*names)[i];
	}
	*n = v->count;
	return 0;
}

uint64_t
ccc_serve_clock(void)
{
#ifdef CCC_TEST_HOOKS
	/*
	 * The tests' clock: the time written in this file when an item
	 * arrives, so that a test moves time between items, not a sleep.
	 */
	const char *f = getenv("CCC_TEST_CLOCK");
	unsigned long long t;
	FILE *fp;

	if (f != NULL && (fp = fopen(f, "r")) != NULL) {
		int ok = fscanf(fp, "%llu", &t) == 1;
		fclose(fp);
		if (ok)
			return (uint64_t)t;
	}
#endif
	return (uint64_t)time(NULL);
}

/*
 * The answer: its fields, then the output (the scratch file out, of size
 * len) as its last field, copied from the file.
 */
static int
answer(int status, const uint8_t *rid, const char *line, int out,
    off_t len, struct ccc_buf *b, struct ccc_err *err)
{
	struct ccc_out so = { STDOUT_FILENO, 0, NULL, NULL };
	struct ccc_val v[ANSWER_NFIELDS];
	int rc;

	memset(v, 0, sizeof(v));
	ccc_buf_reset(b);
	ccc_val_uint(&v[ANSWER_STATUS], (uint64_t)status);
	if (rid != NULL)
		ccc_val_bytes(&v[ANSWER_REQUEST_ID], rid, 32);
	if (line != NULL)
		ccc_val_bytes(&v[ANSWER_ERROR], line, strlen(line));
	if (ccc_blob_encode_prefix(b, &ccc_schema_answer, v, len > 0) != 0 ||
	    (len > 0 && (ccc_cbor_put_uint(b,
	    ccc_schema_answer.fields[ANSWER_OUTPUT].key) != 0 ||
	    ccc_cbor_put_bstr_head(b, (size_t)len) != 0)))
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "answer");
	if ((rc = ccc_out_write(&so, b->p, b->len, err)) != 0)
		return rc;
	return len > 0 ? ccc_release_copy(&so, out, "answer", NULL, err) : 0;
}

/*
 * One item: served by fn, its answer written.  The output goes to the
 * scratch file scratch, emptied first (one file for every item: creating
 * a file costs more than emptying one).  The scratch file is in memory
 * (ccc_memfile): an answer, which may be an output in the clear, never
 * goes to a disk, and emptying it frees no disk block.
 */
static int
serve_one(ccc_serve_fn *fn, ccc_settle_fn *settle, void *ctx,
    const uint8_t *p, size_t n, long item, int scratch, struct ccc_buf *b,
    struct ccc_err *err)
{
	struct ccc_out out = { scratch, 0, NULL, NULL };
	struct ccc_err e;
	char line[CCC_ERR_LINE_MAX], name[32];
	uint8_t rid[32];
	bool have_rid = false, served;
	off_t len = 0;
	int rc;

	ccc_err_clear(&e);
	snprintf(name, sizeof(name), "request %ld", item);
	if (ccc_scratch_empty(scratch) != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "answer: %s",
		    strerror(errno));
	rc = fn(ctx, p, n, name, &out, rid, &have_rid, &e);
	if (rc == 0 && (len = lseek(out.fd, 0, SEEK_END)) < 0)
		rc = ccc_err_set(&e, CCC_E_IO, -1, NULL, "answer: %s",
		    strerror(errno));
	if (rc != 0) {
		ccc_err_line(line, sizeof(line), &e, ccc_progname);
		len = 0;
	}
	served = rc == 0;
	if ((rc = answer(ccc_err_exit(rc), have_rid ? rid : NULL, rc != 0 ?
	    line : NULL, scratch, len, b, err)) != 0)
		return rc;
	/* What waited for its output is done only now that it is out. */
	return served && settle != NULL ? settle(ctx, err) : 0;
}

int
ccc_serve_loop(ccc_serve_fn *fn, ccc_settle_fn *settle, void *ctx,
    struct ccc_err *err)
{
	struct ccc_seq seq;
	struct ccc_buf b;
	const uint8_t *p;
	size_t n;
	int rc, scratch;

	/* Nothing is served for answers that could not go out. */
	if ((rc = ccc_stdout_check(err)) != 0 ||
	    (rc = ccc_memfile(&scratch, "ccc-answer", err)) != 0)
		return rc;
	ccc_buf_init(&b, 0);
	ccc_seq_open_fd(&seq, STDIN_FILENO, "standard input", CCC_BLOB_MAX, 0);
	while ((rc = ccc_seq_next(&seq, &p, &n, NULL, err)) == 1)
		if ((rc = serve_one(fn, settle, ctx, p, n, seq.item, scratch,
		    &b, err)) != 0)
			break;
	ccc_seq_close(&seq);
	ccc_buf_free(&b);
	close(scratch);
	return rc;
}
