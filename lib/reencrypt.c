/* ccc-reencrypt: a decryption node's shares, sealed to a recipient. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "io.h"
#include "keys.h"
#include "ops.h"
#include "par.h"
#include "seal.h"

int
ccc_node_keys_load(struct ccc_tdh2_pub *pub, struct ccc_share **sh,
    BIGNUM **x, const char *tpk, const char *share, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_buf sb;
	int rc;

	memset(pub, 0, sizeof(*pub));
	*sh = NULL;
	*x = NULL;
	ccc_buf_init(&sb, 1);
	if ((rc = ccc_op_read_tpk(pub, tpk, err)) != 0)
		goto out;
	if ((*sh = ccc_share_new()) == NULL || (*x = BN_secure_new()) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
		goto out;
	}
	BN_set_flags(*x, BN_FLG_CONSTTIME);
	if ((rc = ccc_op_read(&sb, share, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_share_load(*sh, sb.p, sb.len, err)) != 0 ||
	    (rc = ccc_share_check(ec, *sh, pub, err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, *x, (*sh)->x, "x", err)) != 0)
		ccc_err_what(err, share);
out:
	if (rc != 0) {
		ccc_tdh2_pub_free(pub);
		ccc_share_free(*sh);
		BN_clear_free(*x);
		*sh = NULL;
		*x = NULL;
	}
	ccc_buf_free(&sb);
	return rc;
}

/*
 * The shares of a node for every ciphertext of a source, sealed in order
 * (struct ccc_share_run in ops.h).  Each batch (struct ccc_ct_batch) is
 * checked and shared by the worker threads, then sealed in input order
 * (HPKE sequence numbers are sequential) and, with an output, written.
 * Memory is bounded by one batch; nothing is written before the first
 * batch is done, so a bad ciphertext among the first CCC_CT_BATCH leaves
 * stdout empty.
 */
struct batch {
	const struct ccc_share_run *r;
	struct ccc_ct_batch cts;
	uint8_t digest[CCC_CT_BATCH][32];
	struct ccc_tdh2_dshare ds[CCC_CT_BATCH];
	int rc[CCC_CT_BATCH];
	struct ccc_err err[CCC_CT_BATCH];
};

static int
share_item(struct batch *b, struct ccc_ec *ec, size_t i, struct ccc_err *err)
{
	const struct ccc_share_run *r = b->r;
	size_t clen = r->context ? strlen(r->context) : 0;
	struct ccc_ct ct;
	uint8_t bind[32];
	int rc;

	if ((rc = ccc_ct_decode(&ct, b->cts.data.p + b->cts.off[i],
	    b->cts.len[i], b->cts.at[i], err)) != 0)
		return rc;
	if (r->labels && ct.context == NULL && !r->allow_unlabelled)
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "unlabelled ciphertext (all-zero label) refused; "
		    "--allow-unlabelled accepts it");
	if (r->labels && r->context != NULL && (ct.context == NULL ||
	    ct.context_len != clen ||
	    memcmp(ct.context, r->context, clen) != 0))
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "the ciphertext's label context is not \"%s\"",
		    r->context);
	if ((rc = ccc_tdh2_verify(ec, r->pub, &ct.t, err)) != 0)
		return rc;
	ccc_tdh2_share_bind(bind, r->pub->key_id, r->pub->epoch, r->index,
	    ccc_ct_digest(&ct), r->bind, 32);
	memcpy(b->digest[i], ccc_ct_digest(&ct), 32);
	return ccc_tdh2_share(ec, &b->ds[i], r->pub, r->x, r->index, &ct.t,
	    bind, err);
}

static void
share_one(void *arg, struct ccc_ec *ec, size_t i)
{
	struct batch *b = arg;

	ccc_err_clear(&b->err[i]);
	b->rc[i] = share_item(b, ec, i, &b->err[i]);
}

int
ccc_shares_seal(const struct ccc_share_run *r, struct ccc_ct_src *src,
    struct ccc_err *err)
{
	struct batch *b;
	size_t i;
	int rc;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
	b->r = r;
	ccc_buf_init(&b->cts.data, 0);
	while ((rc = ccc_ct_batch_read(&b->cts, src, err)) == 0 &&
	    b->cts.n > 0) {
		ccc_par_run(r->par, b->cts.n, share_one, b);
		for (i = 0; i < b->cts.n; i++) {
			if ((rc = b->rc[i]) != 0) {
				*err = b->err[i];
				ccc_err_item(err, b->cts.item[i]);
				ccc_err_what(err, b->cts.name[i]);
				goto out;
			}
			if ((rc = ccc_sealed_add(r->ob, r->hctx, b->digest[i],
			    &b->ds[i], err)) != 0)
				goto out;
		}
		if (r->digests_fd >= 0 && ccc_write_full(r->digests_fd,
		    b->digest, b->cts.n * 32) != 0) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "the "
			    "ciphertext digests: %s", strerror(errno));
			goto out;
		}
		if (r->out != NULL) {
			if ((rc = ccc_out_write(r->out, r->ob->p, r->ob->len,
			    err)) != 0)
				goto out;
			ccc_buf_reset(r->ob);
		}
	}
out:
	ccc_buf_free(&b->cts.data);
	sodium_memzero(b->ds, sizeof(b->ds));
	free(b);
	return rc;
}

/*
 * From this many ciphertexts on, a fixed-base table for g_bar (~25 ms)
 * makes each verification ~10 us cheaper: it pays after ~2,500.
 */
#define TABLE_FROM 4096

int
ccc_shares_tables(struct ccc_par *par, struct ccc_tdh2_pub *pub, size_t n,
    struct ccc_err *err)
{
	if (n < TABLE_FROM || pub->gbar_tab != NULL)
		return 0;
	if ((pub->gbar_tab = ccc_ec_table_new(par->ec[0], pub->gbar)) == NULL)
		return ccc_err_openssl(err, "g_bar table");
	return 0;
}

/*
 * Direct mode streams: the ciphertexts are counted first (the sealed
 * header states the count), then shared batch by batch.  A -o file
 * appears only when complete; on stdout, a failure after the first batch
 * leaves an incomplete blob, which ccc-combine refuses.
 */
int
ccc_reencrypt_run(const struct ccc_reencrypt_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	struct ccc_ct_src src;
	struct ccc_par par;
	struct ccc_buf kb, ob;
	struct ccc_hpke_ctx hctx;
	struct ccc_sealed hdr;
	struct ccc_share_run run;
	struct ccc_out out;
	BIGNUM *x = NULL;
	uint8_t rpk[32];
	int rc;
	bool src_open = false, par_open = false, out_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&hctx, 0, sizeof(hctx));
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&ob, 0);
	if ((rc = ccc_node_keys_load(&pub, &sh, &x, o->tpk, o->share,
	    err)) != 0)
		goto out;
	if ((rc = ccc_op_read(&kb, o->to, 4096, false, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_pub_load(rpk, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->to);
		goto out;
	}
	if ((rc = ccc_ct_src_open(&src, o->cts, o->ncts, err)) != 0)
		goto out;
	src_open = true;
	if (src.n > CCC_SEALED_MAX) {
		rc = ccc_err_set(err, CCC_E_TOOBIG, -1, NULL, "%zu ciphertexts, "
		    "at most %lu in one sealed blob", src.n, CCC_SEALED_MAX);
		goto out;
	}
	if ((rc = ccc_par_init(&par, o->jobs, err)) != 0)
		goto out;
	par_open = true;
	if ((rc = ccc_shares_tables(&par, &pub, src.n, err)) != 0)
		goto out;
	memcpy(hdr.key_id, pub.key_id, 32);
	hdr.epoch = pub.epoch;
	hdr.index = sh->index;
	hdr.context = rpk;
	hdr.context_len = 32;
	memcpy(hdr.recipient, rpk, 32);
	hdr.count = (uint32_t)src.n;
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY | (o->force ?
	    CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0), err)) != 0)
		goto out;
	out_open = true;
	if ((rc = ccc_sealed_begin(&ob, &hctx, &hdr, err)) != 0)
		goto out;
	memset(&run, 0, sizeof(run));
	run.par = &par;
	run.pub = &pub;
	run.x = x;
	run.index = sh->index;
	run.bind = rpk;		/* direct mode: proofs bound to the recipient */
	run.labels = true;
	run.context = o->context;
	run.allow_unlabelled = o->allow_unlabelled;
	run.hctx = &hctx;
	run.ob = &ob;
	run.out = &out;
	run.digests_fd = -1;
	if ((rc = ccc_shares_seal(&run, &src, err)) != 0 ||
	    (rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	if (par_open)
		ccc_par_free(&par);
	if (src_open)
		ccc_ct_src_close(&src);
	ccc_hpke_ctx_wipe(&hctx);
	BN_clear_free(x);
	ccc_share_free(sh);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&kb);
	ccc_buf_free(&ob);
	return rc;
}
