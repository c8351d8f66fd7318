/* ccc-encrypt: plaintexts -> hybrid TDH2 ciphertexts (and Chainlink JSON). */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "cbor.h"
#include "io.h"
#include "json.h"
#include "keys.h"
#include "ops.h"
#include "seq.h"

#define PLAIN_MAX (CCC_CT_SYM_MAX - 16)

/* Convert a Chainlink hybrid ciphertext, checking it against the key. */
static int
from_json(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_encrypt_opts *o, struct ccc_buf *ob, struct ccc_err *err)
{
	struct ccc_buf ib;
	struct ccc_ct ct;
	int rc;

	ccc_buf_init(&ib, 0);
	if ((rc = ccc_op_read(&ib, o->in, CCC_JSON_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_json_ct_import(ob, (const char *)ib.p, ib.len,
	    o->context, err)) != 0 ||
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

struct job {
	struct ccc_ec *ec;
	const struct ccc_tdh2_pub *pub;
	const char *context;
	size_t clen;
	const uint8_t *const *pt;	/* the batch's plaintexts */
	const size_t *ptlen;
	struct ccc_buf *ct;		/* one output buffer per item */
	size_t first, n, step;		/* items first, first+step, ... */
	int rc;
	struct ccc_err err;
	long failed;			/* index of the item that failed */
};

static void *
job_run(void *arg)
{
	struct job *j = arg;
	size_t i;

	for (i = j->first; i < j->n && j->rc == 0; i += j->step) {
		j->ct[i].len = 0;
		if ((j->rc = ccc_ct_encrypt(j->ec, &j->ct[i], j->pub,
		    j->context, j->clen, j->pt[i], j->ptlen[i], &j->err)) != 0)
			j->failed = (long)i;
	}
	return NULL;
}

static int
encrypt_seq(struct ccc_seq *seq, struct ccc_out *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    unsigned jobs, struct ccc_err *err)
{
	struct job jb[CCC_MAX_JOBS];
	pthread_t tid[CCC_MAX_JOBS];
	struct ccc_buf plain, ct[BATCH];
	const uint8_t *pt[BATCH], *item, *bp;
	size_t ptlen[BATCH], ptoff[BATCH], n, i, ilen, blen;
	long long at;
	struct ccc_cur c;
	unsigned k;
	int rc = 0, more = 1;

	if (jobs < 1)
		jobs = 1;
	if (jobs > CCC_MAX_JOBS)
		jobs = CCC_MAX_JOBS;
	memset(jb, 0, sizeof(jb));
	ccc_buf_init(&plain, 1);
	for (i = 0; i < BATCH; i++)
		ccc_buf_init(&ct[i], 0);
	for (k = 0; k < jobs; k++)
		if ((jb[k].ec = k == 0 ? ccc_ec_default() : ccc_ec_new()) ==
		    NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "jobs");
			goto out;
		}
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
			ptlen[n] = blen;
			if ((rc = ccc_buf_put(&plain, bp, blen)) != 0) {
				rc = ccc_err_set(err, rc, -1, NULL, "batch");
				goto out;
			}
		}
		rc = 0;
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
			pt[i] = plain.p + ptoff[i];
		for (k = 0; k < jobs; k++) {
			struct job *j = &jb[k];
			j->pub = pub;
			j->context = context;
			j->clen = clen;
			j->pt = pt;
			j->ptlen = ptlen;
			j->ct = ct;
			j->first = k;
			j->n = n;
			j->step = jobs;
			j->rc = 0;
			ccc_err_clear(&j->err);
			if (k > 0 && pthread_create(&tid[k], NULL, job_run,
			    j) != 0) {
				j->step = 0;	/* not started */
				rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
				    "thread");
			}
		}
		job_run(&jb[0]);
		for (k = 1; k < jobs; k++)
			if (jb[k].step != 0)
				(void)pthread_join(tid[k], NULL);
		if (rc != 0)
			goto out;
		for (k = 0; k < jobs; k++)
			if (jb[k].rc != 0) {
				*err = jb[k].err;
				rc = jb[k].rc;
				goto out;
			}
		for (i = 0; i < n; i++)
			if ((rc = ccc_out_write(out, ct[i].p, ct[i].len,
			    err)) != 0)
				goto out;
	}
out:
	for (k = 1; k < jobs; k++)
		ccc_ec_free(jb[k].ec);
	for (i = 0; i < BATCH; i++)
		ccc_buf_free(&ct[i]);
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
	size_t clen = o->context ? strlen(o->context) : 0;
	int rc, oflags;
	bool out_open = false, seq_open = false;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&pt, 1);
	ccc_buf_init(&ob, 0);
	ccc_buf_init(&jb, 0);
	if (o->context != NULL && (clen == 0 || clen > CCC_CONTEXT_MAX))
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "the label context must be 1 to %d bytes", CCC_CONTEXT_MAX);
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		return rc;
	oflags = (o->json ? 0 : CCC_OUT_BINARY) | (o->force ? CCC_OUT_FORCE :
	    0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0);
	if ((rc = ccc_out_open(&out, o->out, oflags, err)) != 0)
		goto out;
	out_open = true;
	if (o->from_json) {
		if ((rc = from_json(ec, &pub, o, &ob, err)) != 0)
			goto out;
	} else if (!o->seq) {
		if ((rc = ccc_op_read(&pt, o->in, PLAIN_MAX, false, err)) != 0)
			goto out;
		if ((rc = ccc_ct_encrypt(ec, &ob, &pub, o->context, clen,
		    pt.p, pt.len, err)) != 0)
			goto out;
	} else {
		if ((rc = ccc_seq_open(&seq, o->in, PLAIN_MAX + 16, 1,
		    err)) != 0)
			goto out;
		seq_open = true;
		if ((rc = encrypt_seq(&seq, &out, &pub, o->context, clen,
		    o->jobs, err)) != 0)
			goto out;
	}
	if (o->json && ob.len > 0) {
		struct ccc_ct ct;
		if ((rc = ccc_ct_decode(&ct, ob.p, ob.len, 0, err)) != 0 ||
		    (rc = ccc_json_ct_export(&jb, &ct)) != 0 ||
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
