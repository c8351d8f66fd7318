/*
 * ccc-reencrypt in request mode: a decryption node serves a certified
 * request (whitepaper step 4).  Nothing leaves the node unless a quorum of
 * the oracle roster certified the request, it is fresh, for this node's
 * key and epoch, assigned from the node's enclave pool to an enclave that
 * attested the request's key (lib/pool.h), not already served, every
 * ciphertext is labelled for the request's app under the node's label
 * policy and verifies; and the
 * release is in the node's access log before the sealed shares are
 * written.  The shares are sealed to the enclave key the request names,
 * bound to the request id.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "accesslog.h"
#include "attest.h"
#include "coin.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "policy.h"
#include "pool.h"
#include "quorum.h"
#include "reqfile.h"
#include "seal.h"
#include "shares.h"

/*
 * Level 2: this node's share of the request's enclave coin (lib/coin.h)
 * closes each replica's blob; the blobs of replicas 2..k, in scratch
 * files, are then appended to replica 1's in out[0], so that the node
 * releases one CBOR sequence of k sealed blobs, replica order.
 */
static int
seal_coin(const struct ccc_request *rq, const struct ccc_tdh2_pub *pub,
    const BIGNUM *x, uint32_t index, uint32_t k, bool comm,
    struct ccc_hpke_ctx *hctx, struct ccc_buf *ob, struct ccc_out *out,
    struct ccc_err *err)
{
	struct ccc_coin c;
	struct ccc_tdh2_dshare ds;
	uint8_t cm[2][CCC_POINT_BYTES];
	uint32_t j;
	int rc;

	if ((rc = ccc_coin_init(&c, CCC_COIN_ENCLAVE, pub, rq->id,
	    err)) != 0 || (rc = ccc_coin_share_comm(ccc_ec_default(), &ds,
	    cm, pub, x, index, &c, err)) != 0)
		return rc;
	for (j = 0; j < k && rc == 0; j++)
		if ((rc = ccc_sealed_add(&ob[j], &hctx[j], c.id, &ds,
		    comm ? cm : NULL, err)) == 0 && (rc =
		    ccc_out_write(&out[j], ob[j].p, ob[j].len, err)) == 0)
			ccc_buf_reset(&ob[j]);
	sodium_memzero(&ds, sizeof(ds));
	sodium_memzero(cm, sizeof(cm));
	for (j = 1; j < k && rc == 0; j++)
		rc = ccc_release_copy(&out[0], out[j].fd, "replica blob", NULL,
		    err);
	return rc;
}

/* What a node reads once to serve any number of requests. */
struct ccc_node {
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh;
	BIGNUM *x;
	struct ccc_roster roster;
	struct ccc_label_policy pol;
	struct ccc_attest_policy *apol;
	struct ccc_identity *id;
	/* Served into an open output, not yet marked (ccc_node_settle). */
	bool pending;
	uint8_t pending_rid[32];
	uint64_t pending_expires;
	char *pending_kept;
	/*
	 * The ciphertext digests' scratch file, in memory (32 bytes a
	 * ciphertext), emptied for each request: one for the node's life.
	 */
	int digests;
};

void
ccc_node_close(struct ccc_node *nd)
{
	if (nd == NULL)
		return;
	free(nd->pending_kept);
	if (nd->digests >= 0)
		close(nd->digests);
	ccc_identity_free(nd->id);
	BN_clear_free(nd->x);
	ccc_share_free(nd->sh);
	ccc_tdh2_pub_free(&nd->pub);
	ccc_roster_free(&nd->roster);
	ccc_attest_policy_free(nd->apol);
	ccc_label_policy_free(&nd->pol);
	free(nd);
}

int
ccc_node_open(struct ccc_node **ndp, const struct ccc_serve_opts *o,
    struct ccc_err *err)
{
	struct ccc_node *nd;
	int rc;

	*ndp = NULL;
	if ((nd = calloc(1, sizeof(*nd))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "node");
	nd->digests = -1;
	/* Keys: the public key, this node's share (which must match it). */
	if ((rc = ccc_node_keys_load(&nd->pub, &nd->sh, &nd->x, o->tpk,
	    o->share, err)) != 0 ||
	    (rc = ccc_roster_read(&nd->roster, o->roster, err)) != 0 ||
	    (rc = ccc_label_policy_load(&nd->pol, o->policy, err)) != 0 ||
	    (o->identity != NULL && (rc = ccc_node_identity_load(&nd->id,
	    o->identity, err)) != 0))
		goto fail;
	/* The enclaves' attestation policy (the pool is read per request). */
	if ((nd->apol = ccc_attest_policy_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
		goto fail;
	}
	if ((rc = ccc_attest_policy_load(nd->apol, o->attest_policy,
	    err)) != 0)
		goto fail;
	*ndp = nd;
	return 0;
fail:
	ccc_node_close(nd);
	return rc;
}

int
ccc_reencrypt_request(const struct ccc_serve_opts *o, struct ccc_err *err)
{
	struct ccc_node *nd;
	uint8_t rid[32];
	bool have_rid;
	int rc;

	if ((rc = ccc_node_open(&nd, o, err)) != 0)
		return rc;
	rc = ccc_node_serve(nd, o, -1, NULL, rid, &have_rid, err);
	ccc_node_close(nd);
	return rc;
}

/*
 * One request: from o->in, or when in_fd >= 0 from that private copy of
 * it (closed here); released to o->out, or when to is not NULL to that
 * open output (written, not committed).  *have_rid says whether rid is
 * the request's id (it was read).
 */
int
ccc_node_serve(struct ccc_node *nd, const struct ccc_serve_opts *o,
    int in_fd, struct ccc_out *to, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct ccc_tdh2_pub *pubp = &nd->pub;
	const struct ccc_share *sh = nd->sh;
	const struct ccc_roster *roster = &nd->roster;
	const BIGNUM *x = nd->x;
	struct ccc_identity *id = nd->id;
	struct ccc_pool pool;
	struct ccc_request rq;
	struct ccc_accesslog st = { NULL, -1 };
	struct ccc_access_entry ae;
	struct ccc_hpke_ctx hctx[CCC_REPLICAS_MAX];
	struct ccc_sealed hdr;
	struct ccc_buf kb, ob[CCC_REPLICAS_MAX];
	struct ccc_out rep_out[CCC_REPLICAS_MAX];
	uint8_t keys[CCC_REPLICAS_MAX][32];
	uint32_t j, k = 1;
	struct ccc_request_file rf;
	struct ccc_out out, spool;
	struct ccc_ct_src src;
	struct ccc_par par;
	struct ccc_share_run run;
	crypto_hash_sha256_state sealed_hash;
	enum ccc_served served = CCC_SERVED_NO;
	uint8_t logged[32];
	char *kept = NULL;
	int rc, dfd = -1;
	bool state_open = false, par_open = false, out_open = false;
	bool src_open = false, found = false, unlogged = false;

	*have_rid = false;
	/* One left by an answer that did not carry it stays logged. */
	nd->pending = false;
	memset(&pool, 0, sizeof(pool));
	memset(hctx, 0, sizeof(hctx));
	memset(rep_out, 0, sizeof(rep_out));
	for (j = 0; j < CCC_REPLICAS_MAX; j++) {
		rep_out[j].fd = -1;
		ccc_buf_init(&ob[j], 0);
	}
	memset(&rf, 0, sizeof(rf));
	rf.fd = -1;
	spool.fd = -1;
	ccc_buf_init(&kb, 0);

	/* The certified enclave pool, as it stands for this request. */
	if ((rc = ccc_pool_read(&pool, roster, o->pool, o->now, err)) != 0) {
		if (in_fd >= 0)
			close(in_fd);
		goto out;
	}

	/* The request: certified, fresh, for this key, labels allowed. */
	rc = in_fd >= 0 ? ccc_certified_request_open_fd(&rf, &rq, roster,
	    in_fd, o->in, o->now, err) : ccc_certified_request_open(&rf, &rq,
	    roster, o->in, o->now, err);
	if (rc != 0)
		goto out;
	memcpy(rid, rq.id, 32);
	*have_rid = true;
	/* Labels and proofs are checked with the shares, on the workers. */
	if ((rc = ccc_request_accept(&rq, pubp->key_id, pubp->epoch, o->now,
	    err)) != 0)
		goto in_err;
	/* Its key attested by the enclave the pool assigns it to. */
	if ((rc = ccc_request_enclave_check(&rq, &pool, roster, nd->apol, o->now,
	    err)) != 0)
		goto in_err;

	/* Served before?  (Under the state lock from here on.) */
	if ((rc = ccc_release_begin(&st, o->state, rq.id, o->now, sh->index,
	    &served, err)) != 0) {
		state_open = st.lockfd >= 0;
		if (rc == CCC_E_REPLAY)
			goto in_err;
		goto out;
	}
	state_open = true;
	/*
	 * Logged by a run that did not finish: if the entry names its sealed
	 * blob, that blob, kept, is the release (entries of older versions
	 * name none: the shares are made again).
	 */
	if ((rc = ccc_accesslog_kept_path(&st, rq.id, rq.expires, &kept,
	    err)) != 0)
		goto out;
	if ((served == CCC_SERVED_LOGGED || served == CCC_SERVED_PENDING) &&
	    (rc = ccc_accesslog_find(&st, rq.id, &found, logged, err)) != 0)
		goto out;
	if (found && !sodium_is_zero(logged, 32)) {
		if (to != NULL)
			out = *to;
		else if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY |
		    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ?
		    CCC_OUT_TTY_OK : 0), err)) != 0)
			goto out;
		out_open = true;
		if ((rc = ccc_release_kept(&out, kept, rq.id, logged, err)) != 0 ||
		    (id != NULL && (rc = ccc_accesslog_sign_head(&st, id,
		    sh->index, pubp->key_id, pubp->epoch, err)) != 0))
			goto out;
		goto commit;
	}

	/*
	 * Every share is computed before anything is logged or written.  The
	 * ciphertext digests, for the log entry, wait in a scratch file.
	 */
	if (nd->digests < 0 && (rc = ccc_memfile(&nd->digests, "ccc-digests",
	    err)) != 0)
		goto out;
	dfd = nd->digests;
	if (ccc_scratch_empty(dfd) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "scratch file: %s",
		    strerror(errno));
		goto out;
	}
	ccc_request_cts(&rq, &src, ccc_io_name(o->in, 0));
	src_open = true;
	if ((rc = ccc_par_init(&par, o->jobs, err)) != 0)
		goto out;
	par_open = true;
	par.progress = o->progress;
	if ((rc = ccc_shares_tables(&par, pubp, src.n, err)) != 0)
		goto out;
	memcpy(hdr.key_id, pubp->key_id, 32);
	hdr.epoch = pubp->epoch;
	hdr.index = sh->index;
	hdr.context = rq.id;
	hdr.context_len = 32;
	/*
	 * One sealed blob per replica (one at level 1), each to its own
	 * attested key; at level 2 each ends with this node's share of the
	 * request's enclave coin.
	 */
	k = rq.nreplicas;
	hdr.count = (uint32_t)rq.cts.count + (k > 1);
	for (j = 0; j < k; j++) {
		struct ccc_request view;
		if ((rc = ccc_request_replica(&view, &rq, j, err)) != 0)
			goto in_err;
		memcpy(hdr.recipient, view.enclave_key, 32);
		memcpy(keys[j], view.enclave_key, 32);
		if ((rc = ccc_sealed_begin(&ob[j], &hctx[j], &hdr, err)) != 0)
			goto out;
		if (j > 0 && (rc = ccc_tmpfile(&rep_out[j].fd, err)) != 0)
			goto out;
		rep_out[j].path = "replica blob";
	}
	/*
	 * The blob is kept in the state (memory holds one batch, not the
	 * whole blob), durable before the release is logged, and copied to
	 * the output once it is: a rerun after a crash releases this blob.
	 */
	if (to != NULL)
		out = *to;
	else if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY | (o->force ?
	    CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T), err)) != 0)
		goto out;
	out_open = true;
	if ((rc = ccc_accesslog_bucket(&st, rq.expires, err)) != 0)
		goto out;
	if ((spool.fd = open(kept, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", kept,
		    strerror(errno));
		goto out;
	}
	unlogged = true;	/* removed on failure until logged */
	spool.flags = 0;
	spool.path = kept;
	spool.tmp = NULL;
	rep_out[0] = spool;
	memset(&run, 0, sizeof(run));
	run.par = &par;
	run.pub = pubp;
	run.x = x;
	run.index = sh->index;
	run.bind = rq.id;	/* request mode: proofs bound to the request */
	run.rq = &rq;
	run.pol = &nd->pol;
	run.nrecip = k;
	run.hctx = hctx;
	run.ob = ob;
	run.digests_fd = dfd;
	run.out = rep_out;
	/* The log names the exact blob released, by its SHA-256. */
	crypto_hash_sha256_init(&sealed_hash);
	run.out_hash = k == 1 ? &sealed_hash : NULL;
	run.comm = o->comm;
	if ((rc = ccc_shares_seal(&run, &src, err)) != 0 ||
	    (k > 1 && (rc = seal_coin(&rq, pubp, x, sh->index, k, o->comm,
	    hctx, ob, rep_out, err)) != 0))
		goto out;
	/* (Durable before it is logged: ccc_accesslog_append syncs.) */

	/* Log first; only a logged release is written out. */
	if (served != CCC_SERVED_LOGGED) {
		memset(&ae, 0, sizeof(ae));
		ae.time = o->now;
		memcpy(ae.request_id, rq.id, 32);
		ae.app = rq.app;
		ae.app_len = rq.app_len;
		ae.ct_digests_fd = dfd;
		ae.nct = rq.cts.count;
		/* SHA-256 of the replicas' keys, in order (one at level 1). */
		crypto_hash_sha256(ae.recipient_digest, keys[0], 32 * k);
		if ((ae.has_output_to = rq.output == CCC_OUTPUT_SEALED &&
		    rq.has_recipient))
			crypto_hash_sha256(ae.output_to, rq.recipient, 32);
		ae.node = sh->index;
		ae.epoch = pubp->epoch;
		memcpy(ae.key_id, pubp->key_id, 32);
		if (k == 1)
			crypto_hash_sha256_final(&sealed_hash,
			    ae.sealed_digest);
		else if ((rc = ccc_release_copy(NULL, spool.fd, kept,
		    ae.sealed_digest, err)) != 0)
			goto out;
		if ((rc = ccc_accesslog_append(&st, &ae, rq.expires, err)) != 0)
			goto out;
		unlogged = false;
	}
	/* The head as it stands, signed before anything is released. */
	if (id != NULL && (rc = ccc_accesslog_sign_head(&st, id, sh->index,
	    pubp->key_id, pubp->epoch, err)) != 0)
		goto out;
	if ((rc = ccc_release_copy(&out, spool.fd, kept, NULL, err)) != 0)
		goto out;
commit:
	if (to == NULL && (rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
	if (to != NULL) {
		/*
		 * Written into an answer not yet out: marked released once
		 * it is (ccc_node_settle).  An answer lost meanwhile leaves
		 * the release logged and its blob kept, which the same
		 * request, sent again, gets.
		 */
		free(nd->pending_kept);
		nd->pending = true;
		memcpy(nd->pending_rid, rq.id, 32);
		nd->pending_expires = rq.expires;
		nd->pending_kept = kept;
		kept = NULL;
		goto out;
	}
	/* Released: the kept blob is no longer needed. */
	if ((rc = ccc_accesslog_released(&st, rq.id, rq.expires, err)) == 0)
		(void)unlink(kept);
	goto out;
in_err:
	ccc_err_what(err, ccc_io_name(o->in, 0));
out:
	if (out_open && to == NULL)
		ccc_out_abort(&out);
	if (spool.fd >= 0)
		close(spool.fd);
	if (unlogged && rc != 0)
		ccc_accesslog_unkeep(kept);	/* nothing names it */
	if (src_open)
		ccc_ct_src_close(&src);
	ccc_certified_request_close(&rf);
	if (par_open)
		ccc_par_free(&par);
	if (state_open)
		ccc_accesslog_close(&st);
	for (j = 0; j < CCC_REPLICAS_MAX; j++) {
		ccc_hpke_ctx_wipe(&hctx[j]);
		ccc_buf_free(&ob[j]);
		if (j > 0 && rep_out[j].fd >= 0)
			close(rep_out[j].fd);
	}
	ccc_pool_free(&pool);
	free(kept);
	ccc_buf_free(&kb);
	return rc;
}

int
ccc_node_settle(struct ccc_node *nd, const char *state, struct ccc_err *err)
{
	struct ccc_accesslog st = { NULL, -1 };
	int rc;

	if (!nd->pending)
		return 0;
	nd->pending = false;
	if ((rc = ccc_accesslog_open(&st, state, err)) == 0 &&
	    (rc = ccc_accesslog_released(&st, nd->pending_rid,
	    nd->pending_expires, err)) == 0)
		(void)unlink(nd->pending_kept);
	if (st.lockfd >= 0)
		ccc_accesslog_close(&st);
	free(nd->pending_kept);
	nd->pending_kept = NULL;
	return rc;
}
