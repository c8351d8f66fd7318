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
#include "shares.h"

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
	char cbuf[CCC_CONTEXT_MAX + 1];
	const char *context;
	int rc;
	bool src_open = false, par_open = false, out_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&hctx, 0, sizeof(hctx));
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&ob, 0);
	if ((rc = ccc_op_label_context(&context, cbuf, sizeof(cbuf), &o->label,
	    err)) != 0)
		goto out;
	if ((rc = ccc_node_keys_load(&pub, &sh, &x, o->tpk, o->share,
	    err)) != 0)
		goto out;
	if (o->box_to != NULL) {
		size_t kl;
		if (strlen(o->box_to) != 64 || sodium_hex2bin(rpk, 32,
		    o->box_to, 64, NULL, &kl, NULL) != 0 || kl != 32) {
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-x: an "
			    "X25519 public key is 64 hex digits");
			goto out;
		}
	} else if ((rc = ccc_read_named(&kb, o->to, 4096, false, err)) != 0)
		goto out;
	else if ((rc = ccc_recipient_pub_load(rpk, kb.p, kb.len, err)) != 0) {
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
	par.progress = o->progress;
	if ((rc = ccc_shares_tables(&par, &pub, src.n, err)) != 0)
		goto out;
	memcpy(hdr.key_id, pub.key_id, 32);
	hdr.epoch = pub.epoch;
	hdr.index = sh->index;
	hdr.context = rpk;
	hdr.context_len = 32;
	memcpy(hdr.recipient, rpk, 32);
	hdr.count = (uint32_t)src.n;
	if ((rc = ccc_out_open(&out, o->out, (o->box_to ? 0 : CCC_OUT_BINARY) |
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T),
	    err)) != 0)
		goto out;
	out_open = true;
	if (o->box_to == NULL && (rc = ccc_sealed_begin(&ob, &hctx, &hdr,
	    err)) != 0)
		goto out;
	memset(&run, 0, sizeof(run));
	run.par = &par;
	run.pub = &pub;
	run.x = x;
	run.index = sh->index;
	run.bind = rpk;		/* direct mode: proofs bound to the recipient */
	run.labels = true;
	run.context = context;
	run.allow_unlabelled = o->allow_unlabelled;
	run.hctx = &hctx;
	run.box_to = o->box_to != NULL ? rpk : NULL;
	run.ob = &ob;
	run.out = &out;
	run.digests_fd = -1;
	run.comm = o->comm;
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
