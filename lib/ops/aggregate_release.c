/*
 * Security level 4 as a request: the application's ccc/agg-request/v1
 * (ccc-quorum-sign request --aggregate), and a decryption node's release
 * of its share of the aggregate for a certified one (ccc-aggregate -s).
 *
 * The release is a node's release like any other (lib/ops/reencrypt_
 * request.c): certified by a quorum of the roster, fresh, for this key,
 * served once, logged in the node's access log before a byte goes out.
 * The entry lists the aggregate's inputs (as its ciphertexts) and the
 * aggregate, and names the share blob released by its SHA-256; the blob
 * is kept in the state until it is written, so a rerun after a crash
 * gives out the very blob the log names.  Before logging, the node's
 * record of used inputs (lib/aggstate.h) refuses an input already in
 * another aggregate it released, known by its digest or by its values'
 * (which the entry lists too, so that the record is rebuilt whole).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "agg.h"
#include "aggrequest.h"
#include "aggstate.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "quorum.h"

/* The release's log entry lists every input of the aggregate. */
_Static_assert(CCC_AGG_MAX_INPUTS <= CCC_REQUEST_MAX_CTS,
    "an aggregate has more inputs than an access log entry lists");

int
ccc_quorum_agg_request(const struct ccc_agg_request_opts *o,
    struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_aggregate a;
	struct ccc_buf ab, out;
	struct ccc_err e;
	uint8_t rid[32];
	int rc;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&ab, 0);
	ccc_buf_init(&out, 0);
	ccc_err_clear(&e);
	if (ccc_app_id_check(o->app, strlen(o->app), -1, &e) != 0) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-a: %s",
		    e.detail);
		goto out;
	}
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0 ||
	    (rc = ccc_read_named(&ab, o->aggregate, CCC_AGG_BLOB_MAX, false,
	    err)) != 0)
		goto out;
	if ((rc = ccc_aggregate_decode(&a, ab.p, ab.len, 0, err)) != 0)
		goto fail_agg;
	if (memcmp(a.key_id, pub.key_id, 32) != 0 || a.epoch != pub.epoch) {
		rc = ccc_err_set(err, memcmp(a.key_id, pub.key_id, 32) != 0 ?
		    CCC_E_KEY : CCC_E_EPOCH, -1, "key_id", "an aggregate of "
		    "another key or epoch");
		goto fail_agg;
	}
	if (o->request_id != NULL)
		memcpy(rid, o->request_id, 32);
	else
		randombytes_buf(rid, 32);
	if ((rc = ccc_agg_request_make(&out, &a, o->app, rid, o->now,
	    o->expires, err)) != 0)
		goto out;
	rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
fail_agg:
	ccc_err_what(err, ccc_io_name(o->aggregate, 0));
out:
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&ab);
	ccc_buf_free(&out);
	return rc;
}

/* The aggregate's input digests, for the log entry, in a scratch file. */
static int
digests_file(int *fd, const struct ccc_aggregate *a, struct ccc_err *err)
{
	size_t i;

	if (ccc_tmpfile(fd, err) != 0)
		return CCC_E_IO;
	for (i = 0; i < a->n; i++)
		if (ccc_write_full(*fd, a->inputs + i * a->si, 32) != 0)
			return ccc_err_set(err, CCC_E_IO, -1, NULL, "scratch "
			    "file: %s", strerror(errno));
	return 0;
}

/* With the node's identity: its signed access log head, as it stands. */
static int
sign_head(struct ccc_accesslog *st, const struct ccc_identity *id,
    uint32_t index, const struct ccc_tdh2_pub *pub, struct ccc_err *err)
{
	return id == NULL ? 0 : ccc_accesslog_sign_head(st, id, index,
	    pub->key_id, pub->epoch, err);
}

int
ccc_aggregate_request_load(const struct ccc_aggregate_opts *o,
    const struct ccc_tdh2_pub *pub, const struct ccc_aggregate *a,
    struct ccc_buf *cb, struct ccc_agg_request *ar, struct ccc_err *err)
{
	struct ccc_roster roster;
	struct ccc_label_policy pol;
	int rc;

	memset(&roster, 0, sizeof(roster));
	memset(&pol, 0, sizeof(pol));
	/* Certified, fresh, for this key, this aggregate, its label. */
	if ((rc = ccc_roster_read(&roster, o->roster, err)) == 0 &&
	    (rc = ccc_label_policy_load(&pol, o->policy, err)) == 0 &&
	    (rc = ccc_certified_agg_request_read(cb, ar, &roster, o->request,
	    o->now, err)) == 0 &&
	    (rc = ccc_agg_request_check(ar, pub->key_id, pub->epoch, a, &pol,
	    o->now, err)) != 0)
		ccc_err_what(err, ccc_io_name(o->request, 0));
	ccc_roster_free(&roster);
	ccc_label_policy_free(&pol);
	return rc;
}

int
ccc_aggregate_release(const struct ccc_aggregate_opts *o,
    const struct ccc_tdh2_pub *pub, uint32_t index, const BIGNUM *x,
    const struct ccc_aggregate *a, const struct ccc_buf *blob,
    const uint8_t *values, const struct ccc_agg_request *ar, size_t *bad,
    struct ccc_err *err)
{
	struct ccc_accesslog st = { NULL, -1 };
	struct ccc_access_entry ae;
	struct ccc_identity *id = NULL;
	struct ccc_buf share, recs;
	struct ccc_out out;
	enum ccc_served served = CCC_SERVED_NO;
	uint8_t logged[32];
	char *kept = NULL, *used = NULL;
	int rc, dfd = -1;
	bool state_open = false, out_open = false, found = false;
	bool unlogged = false;

	*bad = a->n;
	ccc_buf_init(&share, 0);
	ccc_buf_init(&recs, 0);
	if (o->identity != NULL && (rc = ccc_node_identity_load(&id,
	    o->identity, err)) != 0)
		goto out;

	/* Under the state lock: served before? */
	if ((rc = ccc_release_begin(&st, o->state, ar->rq.id, o->now, index,
	    &served, err)) != 0) {
		state_open = st.lockfd >= 0;
		if (rc == CCC_E_REPLAY)
			ccc_err_what(err, ccc_io_name(o->request, 0));
		goto out;
	}
	state_open = true;
	if ((rc = ccc_accesslog_kept_path(&st, ar->rq.id, ar->rq.expires, &kept,
	    err)) != 0)
		goto out;
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY | (o->force ?
	    CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T),
	    err)) != 0)
		goto out;
	out_open = true;
	if ((served == CCC_SERVED_LOGGED || served == CCC_SERVED_PENDING) &&
	    (rc = ccc_accesslog_find(&st, ar->rq.id, &found, logged,
	    err)) != 0)
		goto out;
	if (found) {
		/* Logged by a run that did not finish: its kept blob. */
		if ((rc = ccc_release_kept(&out, kept, ar->rq.id, logged,
		    err)) != 0 || (rc = sign_head(&st, id, index, pub,
		    err)) != 0)
			goto out;
		goto commit;
	}

	/* Each input in one released aggregate only (the record first). */
	if (asprintf(&used, "%s/aggregates", o->state) < 0) {
		used = NULL;
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
		goto out;
	}
	/* The log is the record: a lost record of used inputs is rebuilt. */
	if (ccc_aggstate_missing(used) &&
	    ((rc = ccc_accesslog_used_inputs(&st, &recs, err)) != 0 ||
	    (rc = ccc_aggstate_rebuild(used, &recs, err)) != 0))
		goto out;
	if ((rc = ccc_aggstate_release(used, a->digest, blob->p, blob->len,
	    a->inputs, a->si, values, a->n, bad, err)) != 0)
		goto out;
	if ((rc = ccc_aggregate_share(ccc_ec_default(), pub, x, index, a,
	    ar->rq.id, &share, err)) != 0)
		goto out;
	if ((rc = ccc_accesslog_bucket(&st, ar->rq.expires, err)) != 0)
		goto out;
	unlogged = true;	/* the kept blob goes on failure until logged */
	/* Durable (file and directory) before the release is logged. */
	if ((rc = ccc_write_file(kept, share.p, share.len, CCC_OUT_SECRET |
	    CCC_OUT_FORCE, err)) != 0)
		goto out;
	if (served != CCC_SERVED_LOGGED) {
		if ((rc = digests_file(&dfd, a, err)) != 0)
			goto out;
		memset(&ae, 0, sizeof(ae));
		ae.time = o->now;
		memcpy(ae.request_id, ar->rq.id, 32);
		ae.app = ar->rq.app;
		ae.app_len = ar->rq.app_len;
		ae.ct_digests_fd = dfd;
		ae.nct = a->n;
		/* recipient: none, the share is public (32 zero bytes) */
		ae.node = index;
		ae.epoch = pub->epoch;
		memcpy(ae.key_id, pub->key_id, 32);
		crypto_hash_sha256(ae.sealed_digest, share.p, share.len);
		ae.has_aggregate = true;
		memcpy(ae.aggregate, a->digest, 32);
		ae.values = values;
		if ((rc = ccc_accesslog_append(&st, &ae, ar->rq.expires,
		    err)) != 0)
			goto out;
	}
	unlogged = false;
	/* The head as it stands, signed before anything is released. */
	if ((rc = sign_head(&st, id, index, pub, err)) != 0 ||
	    (rc = ccc_out_write(&out, share.p, share.len, err)) != 0)
		goto out;
commit:
	if ((rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
	if ((rc = ccc_accesslog_released(&st, ar->rq.id, ar->rq.expires,
	    err)) == 0)
		(void)unlink(kept);
out:
	if (out_open)
		ccc_out_abort(&out);
	if (unlogged && rc != 0)
		ccc_accesslog_unkeep(kept);	/* nothing names it */
	if (state_open)
		ccc_accesslog_close(&st);
	if (dfd >= 0)
		close(dfd);
	ccc_identity_free(id);
	ccc_buf_free(&share);
	ccc_buf_free(&recs);
	free(kept);
	free(used);
	return rc;
}
