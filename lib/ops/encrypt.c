/* ccc-encrypt: plaintexts -> hybrid TDH2 ciphertexts (and Chainlink JSON). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "io.h"
#include "json.h"
#include "keys.h"
#include "ops.h"
#include "par.h"
#include "seq.h"

#define PLAIN_MAX (CCC_CT_SYM_MAX - 16)

/* Convert a Chainlink hybrid ciphertext, checking it against the key. */
static int
from_json(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_encrypt_opts *o, const char *context, struct ccc_buf *ob,
    struct ccc_err *err)
{
	struct ccc_buf ib;
	struct ccc_ct ct;
	int rc;

	ccc_buf_init(&ib, 0);
	if ((rc = ccc_read_named(&ib, o->in, CCC_JSON_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_json_ct_import(ob, (const char *)ib.p, ib.len,
	    context, err)) != 0 ||
	    (rc = ccc_ct_decode(&ct, ob->p, ob->len, 0, err)) != 0 ||
	    (rc = ccc_tdh2_verify(ec, pub, &ct.t, err)) != 0)
		ccc_err_what(err, ccc_io_name(o->in, 0));
out:
	ccc_buf_free(&ib);
	return rc;
}

/*
 * --seq: items are read in batches of BATCH, encrypted by jobs threads
 * (each with its own EC context), and written in input order; memory is
 * bounded by one batch whatever the length of the sequence.  The
 * plaintexts of a batch live in secret memory, wiped as it is reused.
 */
#define BATCH 256

struct batch {
	const struct ccc_tdh2_pub *pub;
	const char *context;
	size_t clen;
	bool hints;
	const uint8_t *pt[BATCH];	/* the batch's plaintexts */
	size_t ptlen[BATCH];
	struct ccc_buf ct[BATCH];	/* one output per item */
	int rc[BATCH];
	struct ccc_err err[BATCH];
};

static void
encrypt_one(void *arg, struct ccc_ec *ec, size_t i)
{
	struct batch *b = arg;

	b->ct[i].len = 0;
	ccc_err_clear(&b->err[i]);
	b->rc[i] = ccc_ct_encrypt_hints(ec, &b->ct[i], b->pub, b->context,
	    b->clen, b->pt[i], b->ptlen[i], b->hints, &b->err[i]);
}

/*
 * Past TABLES_AFTER items, fixed-base tables for the key's h and g_bar are
 * built (~50 ms) and each encryption drops from ~210 to ~75 us: they pay
 * after ~400 items, so a short sequence never builds them.
 */
#define TABLES_AFTER (2 * BATCH)

static int
encrypt_seq(struct ccc_seq *seq, struct ccc_out *out,
    struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    const struct ccc_encrypt_opts *o, struct ccc_err *err)
{
	struct ccc_par par;
	struct batch *b;
	struct ccc_buf plain;
	const uint8_t *item, *bp;
	size_t ptoff[BATCH], n, i, ilen, blen, done = 0;
	long long at;
	struct ccc_cur c;
	int rc = 0, more = 1;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "batch");
	if ((rc = ccc_par_init(&par, o->jobs, err)) != 0) {
		free(b);
		return rc;
	}
	par.progress = o->progress;
	b->pub = pub;
	b->context = context;
	b->clen = clen;
	b->hints = o->hints;
	ccc_buf_init(&plain, 1);
	for (i = 0; i < BATCH; i++)
		ccc_buf_init(&b->ct[i], 0);
	while (more) {
		/* Read a batch (its plaintexts copied into secret memory). */
		ccc_buf_reset(&plain);
		for (n = 0; n < BATCH; n++) {
			if ((rc = ccc_seq_next(seq, &item, &ilen, &at,
			    err)) < 0)
				goto out;
			if (rc == 0) {
				more = 0;
				break;
			}
			ccc_cur_init(&c, item, ilen, at, err);
			if ((rc = ccc_cur_bstr(&c, &bp, &blen,
			    "plaintext")) != 0) {
				ccc_err_item(err, seq->item);
				ccc_err_what(err, seq->name);
				goto out;
			}
			ptoff[n] = plain.len;
			b->ptlen[n] = blen;
			if ((rc = ccc_buf_put(&plain, bp, blen)) != 0) {
				rc = ccc_err_set(err, rc, -1, NULL, "batch");
				goto out;
			}
		}
		rc = 0;
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
			b->pt[i] = plain.p + ptoff[i];
		if (done >= TABLES_AFTER && pub->h_tab == NULL &&
		    (rc = ccc_tdh2_pub_precompute(par.ec[0], pub, err)) != 0)
			goto out;
		ccc_par_run(&par, n, encrypt_one, b);
		done += n;
		for (i = 0; i < n; i++)
			if ((rc = b->rc[i]) != 0) {
				*err = b->err[i];
				goto out;
			}
		for (i = 0; i < n; i++)
			if ((rc = ccc_out_write(out, b->ct[i].p, b->ct[i].len,
			    err)) != 0)
				goto out;
	}
out:
	ccc_par_free(&par);
	for (i = 0; i < BATCH; i++)
		ccc_buf_free(&b->ct[i]);
	free(b);
	ccc_buf_free(&plain);
	return rc;
}

int
ccc_encrypt_run(const struct ccc_encrypt_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_buf pt, ob, jb;
	struct ccc_out out;
	struct ccc_seq seq;
	char cbuf[CCC_CONTEXT_MAX + 1];
	const char *context;
	size_t clen;
	int rc, oflags;
	bool out_open = false, seq_open = false;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&pt, 1);
	ccc_buf_init(&ob, 0);
	ccc_buf_init(&jb, 0);
	if ((rc = ccc_op_label_context(&context, cbuf, sizeof(cbuf), &o->label,
	    err)) != 0)
		return rc;
	clen = context ? strlen(context) : 0;
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		return rc;
	oflags = (o->json ? 0 : CCC_OUT_BINARY) | (o->force ? CCC_OUT_FORCE :
	    0) | (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T);
	if ((rc = ccc_out_open(&out, o->out, oflags, err)) != 0)
		goto out;
	out_open = true;
	if (o->from_json) {
		if ((rc = from_json(ec, &pub, o, context, &ob, err)) != 0)
			goto out;
	} else if (!o->seq) {
		if ((rc = ccc_read_named(&pt, o->in, PLAIN_MAX, false, err)) != 0)
			goto out;
		if ((rc = ccc_ct_encrypt_hints(ec, &ob, &pub, context, clen,
		    pt.p, pt.len, o->hints, err)) != 0)
			goto out;
	} else {
		if ((rc = ccc_seq_open(&seq, o->in, PLAIN_MAX + 16, 1,
		    err)) != 0)
			goto out;
		seq_open = true;
		if ((rc = encrypt_seq(&seq, &out, &pub, context, clen, o,
		    err)) != 0)
			goto out;
	}
	if (o->json && ob.len > 0) {
		struct ccc_ct ct;
		if ((rc = ccc_ct_decode(&ct, ob.p, ob.len, 0, err)) != 0 ||
		    (rc = ccc_json_ct_export(&jb, &ct)) != 0 ||
		    (rc = ccc_json_wire(&jb, o->form)) != 0 ||
		    (rc = ccc_out_write(&out, jb.p, jb.len, err)) != 0)
			goto out;
	} else if (ob.len > 0 && (rc = ccc_out_write(&out, ob.p, ob.len,
	    err)) != 0)
		goto out;
	if ((rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	if (seq_open)
		ccc_seq_close(&seq);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&pt);
	ccc_buf_free(&ob);
	ccc_buf_free(&jb);
	return rc;
}
