/*
 * ccc-inspect --answer: one ccc/answer/v1 of a serving process (lib/ops/
 * serve.c) read from standard input, to the byte, so that a shell client
 * sends an item, reads its answer with this and sends the next over the
 * same pipe or ssh connection.  The answer's output goes to out; its
 * error line to standard error; its status becomes the exit status.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "blob.h"
#include "cli.h"
#include "io.h"
#include "ops.h"
#include "schemas.h"
#include "seq.h"

int
ccc_inspect_answer(const char *out, bool force, int *status,
    struct ccc_err *err)
{
	struct ccc_val v[ANSWER_NFIELDS];
	struct ccc_buf b;
	struct ccc_out o;
	char line[4 * CCC_ERR_LINE_MAX];
	int rc;

	*status = 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_out_open(&o, out, CCC_OUT_BINARY |
	    (force ? CCC_OUT_FORCE : 0), err)) != 0)
		goto done;
	if ((rc = ccc_seq_read_one(STDIN_FILENO, &b, CCC_ANSWER_READ_MAX,
	    err)) == 1)
		rc = ccc_err_set(err, CCC_E_TRUNCATED, -1, NULL, "no answer: "
		    "the input ended");
	if (rc != 0 || (rc = ccc_blob_decode(&ccc_schema_answer, b.p, b.len,
	    v, 0, err)) != 0) {
		ccc_err_what(err, "standard input");
		goto out;
	}
	*status = (int)v[ANSWER_STATUS].u;
	if (*status != 0) {
		/* The server's line, its control characters escaped. */
		fprintf(stderr, "%s: %s\n", ccc_progname,
		    v[ANSWER_ERROR].present ? ccc_vis(line, sizeof(line),
		    (const char *)v[ANSWER_ERROR].p, v[ANSWER_ERROR].n, 0) :
		    "failed (the answer gives no reason)");
		goto out;
	}
	if (v[ANSWER_OUTPUT].present && (rc = ccc_out_write(&o,
	    v[ANSWER_OUTPUT].p, v[ANSWER_OUTPUT].n, err)) != 0)
		goto out;
	if ((rc = ccc_out_commit(&o, err)) == 0)
		goto done;
out:
	ccc_out_abort(&o);
done:
	ccc_buf_free(&b);
	return rc;
}
