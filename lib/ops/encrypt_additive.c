/*
 * ccc-encrypt --additive: lines of decimal integers -> additive inputs
 * (ccc/additive/v2), one blob a line, as a CBOR sequence; with -I, each
 * in a contribution (ccc/contribution/v1) signed with the identity.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "additive.h"
#include "contribution.h"
#include "io.h"
#include "keys.h"
#include "ops.h"

#define TEXT_MAX (64UL << 20)
/* Past this many lines a fixed-base table for h pays (see tdh2.h). */
#define TABLES_AFTER 64

/*
 * Parse one line (len bytes, no newline) into m: 1 to CCC_ADD_MAX_VALUES
 * decimal integers separated by blanks.  CCC_E_FIELD with the reason.
 */
static int
parse_line(const char *p, size_t len, uint64_t *m, uint32_t *k,
    struct ccc_err *err)
{
	size_t i = 0;
	uint64_t v;
	uint32_t n = 0;

	for (;;) {
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (p[i] < '0' || p[i] > '9')
			return ccc_err_set(err, CCC_E_FIELD, -1, "value",
			    "not a decimal integer");
		if (n == CCC_ADD_MAX_VALUES)
			return ccc_err_set(err, CCC_E_FIELD, -1, "value",
			    "more than %d values", CCC_ADD_MAX_VALUES);
		for (v = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++) {
			if (v > (UINT64_MAX - 9) / 10)
				return ccc_err_set(err, CCC_E_FIELD, -1,
				    "value", "value %u is too large", n + 1);
			v = v * 10 + (uint64_t)(p[i] - '0');
		}
		if (i < len && p[i] != ' ' && p[i] != '\t')
			return ccc_err_set(err, CCC_E_FIELD, -1, "value",
			    "not a decimal integer");
		m[n++] = v;
	}
	if (n == 0)
		return ccc_err_set(err, CCC_E_FIELD, -1, "value",
		    "an empty line");
	*k = n;
	return 0;
}

int
ccc_encrypt_additive(const struct ccc_encrypt_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_identity *id = NULL;
	struct ccc_buf text, ob, cb;
	struct ccc_out out;
	char cbuf[CCC_CONTEXT_MAX + 1];
	const char *context, *p, *end, *nl;
	uint64_t *m = NULL;
	uint32_t k = 0;
	long line = 0;
	int rc;
	bool out_open = false;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&text, 1);
	ccc_buf_init(&ob, 0);
	ccc_buf_init(&cb, 0);
	if ((rc = ccc_op_label_context(&context, cbuf, sizeof(cbuf), &o->label,
	    err)) != 0)
		return rc;
	if (context == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "--additive needs a label (-l, -W, -G or -L)");
#ifdef CCC_TEST_HOOKS
	/* Test hook: make out-of-range inputs, as a cheater would. */
	ccc_additive_test_out_of_range =
	    getenv("CCC_ADDITIVE_OUT_OF_RANGE") != NULL;
#endif
	if ((m = sodium_malloc(CCC_ADD_MAX_VALUES * sizeof(*m))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "values");
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0 ||
	    (o->identity != NULL && (rc = ccc_quorum_sign_key(&id,
	    o->identity, err)) != 0))
		goto out;
	if ((rc = ccc_read_named(&text, o->in, TEXT_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY | (o->force ?
	    CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T),
	    err)) != 0)
		goto out;
	out_open = true;
	p = (const char *)text.p;
	end = p + text.len;
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (line == TABLES_AFTER &&
		    (rc = ccc_tdh2_pub_precompute(ec, &pub, err)) != 0)
			goto out;
		ccc_buf_reset(&ob);
		if ((rc = parse_line(p, (size_t)(nl - p), m, &k, err)) != 0 ||
		    (rc = ccc_additive_encrypt_sum(ec, &ob, &pub, context,
		    strlen(context), o->bits, o->sum_bits, m, k, err)) != 0) {
			ccc_err_item(err, line);
			ccc_err_what(err, ccc_io_name(o->in, 0));
			goto out;
		}
		/* A contribution: the input, signed. */
		ccc_buf_reset(&cb);
		if (id != NULL && (rc = ccc_contribution_make(&cb, ob.p, ob.len,
		    id, err)) != 0)
			goto out;
		if ((rc = id != NULL ? ccc_out_write(&out, cb.p, cb.len, err) :
		    ccc_out_write(&out, ob.p, ob.len, err)) != 0)
			goto out;
		p = nl + 1;
	}
	if (line == 0) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "value", "no values");
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	if ((rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	sodium_free(m);
	ccc_identity_free(id);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&text);
	ccc_buf_free(&ob);
	ccc_buf_free(&cb);
	return rc;
}
