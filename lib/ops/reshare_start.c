/*
 * ccc-share dkg, reshare and abort: a transition begins (the committee,
 * approved, checked against this node and put in pending/) or is given
 * up (pending/ and our unsent messages erased, epochs/ never touched).
 * The rounds themselves are reshare.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "approval.h"
#include "dkg.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "schemas.h"
#include "keystate.h"
#include "reshare.h"

/* Check a committee against this node before taking part. */
static int
start_check(struct tx *x, const struct ccc_committee *cm,
    const struct ccc_approval *a, bool dkg, struct ccc_buf *oldb,
    struct ccc_err *err)
{
	struct ccc_group og;
	uint8_t d[32];
	char h[9];
	int rc;

	if (dkg) {
		if (cm->has_prev)
			return ccc_err_set(err, CCC_E_FIELD, -1, "prev", "the "
			    "committee reshares epoch %llu: use ccc-share "
			    "reshare", (unsigned long long)cm->epoch - 1);
		if (x->has_cur)
			return ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s "
			    "already holds a key (epoch %llu): a node takes "
			    "part in one key", x->st.dir,
			    (unsigned long long)x->cur);
		if (ccc_committee_find(cm, x->st.id->id) == 0)
			return ccc_err_set(err, CCC_E_KEY, -1, NULL, "this "
			    "node (%s) is not a member of the committee",
			    ccc_short_id(x->st.id->id));
		return rs_authorise(x, cm, a, NULL, err);
	}
	if (!cm->has_prev)
		return ccc_err_set(err, CCC_E_FIELD, -1, "prev", "the "
		    "committee makes a new key: use ccc-share dkg");
	if (x->has_cur) {
		if ((rc = ccc_keystate_read(&x->st, oldb, false, err,
		    "epochs/%llu/group.cbor", (unsigned long long)x->cur)) != 0)
			return rc;
	} else if (x->o->group == NULL) {
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "this node "
		    "holds no key yet: give the group being reshared with -g");
	} else if ((rc = ccc_read_named(oldb, x->o->group, CCC_DKG_MSG_MAX,
	    false, err)) != 0)
		return rc;
	crypto_hash_sha256(d, oldb->p, oldb->len);
	sodium_bin2hex(h, sizeof(h), d, 4);
	if (memcmp(d, cm->prev, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "prev", "the committee "
		    "reshares group %s, not this node's group %s (epoch %llu)",
		    ccc_short_id(cm->prev), h, (unsigned long long)x->cur);
	if ((rc = ccc_group_load(x->ec, &og, oldb->p, oldb->len, err)) != 0)
		return rc;
	rc = 0;
	if (og.epoch + 1 != cm->epoch)
		rc = ccc_err_set(err, CCC_E_EPOCH, -1, "epoch", "the committee "
		    "makes epoch %llu from epoch %llu",
		    (unsigned long long)cm->epoch,
		    (unsigned long long)og.epoch);
	else if (memcmp(og.key_id, cm->key_id, 32) != 0)
		rc = ccc_err_set(err, CCC_E_KEY, -1, "key_id", "the committee "
		    "is for another key");
	else if (ccc_committee_find(cm, x->st.id->id) == 0 &&
	    (!x->has_cur || ccc_group_find(&og, x->st.id->id) == 0))
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "this node (%s) is "
		    "neither a dealer nor a member of the committee",
		    ccc_short_id(x->st.id->id));
	else
		rc = rs_authorise(x, cm, a, &og, err);
	ccc_group_free(&og);
	return rc;
}

int
ccc_node_start(const struct ccc_node_opts *o, bool dkg, struct ccc_err *err)
{
	struct ccc_approval *a = NULL;
	struct ccc_committee cm;
	struct ccc_buf cb, ob;
	struct tx x;
	int rc;

	memset(&cm, 0, sizeof(cm));
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&ob, 0);
	if ((rc = rs_tx_open(&x, o, CCC_KEYSTATE_EXCLUSIVE, err)) != 0)
		goto out;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "committee");
		goto out;
	}
	if (x.pending) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "a transition to "
		    "epoch %llu (attempt %u) is under way: let it finish or "
		    "run ccc-share abort", (unsigned long long)x.cm.epoch,
		    x.cm.attempt);
		goto out;
	}
	if ((rc = ccc_read_named(&cb, o->committee, CCC_DKG_MSG_MAX, false,
	    err)) != 0)
		goto out;
	/* A committee, alone or approved (ccc-share approve). */
	if ((rc = ccc_approval_load(a, cb.p, cb.len, err)) == 0 &&
	    a->type != &ccc_schema_committee)
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected a key "
		    "committee, found a key retirement (ccc-share retire)");
	if (rc != 0 || (rc = ccc_committee_load(&cm, a->prop, a->prop_len,
	    err)) != 0) {
		(void)ccc_err_what(err, o->committee);
		goto out;
	}
	if ((rc = start_check(&x, &cm, a, dkg, &ob, err)) != 0) {
		if (rc != CCC_E_STATE && rc != CCC_E_USAGE && rc != CCC_E_IO)
			(void)ccc_err_what(err, o->committee);
		goto out;
	}
	/* A partial pending/ from a crash here is removed by the next open. */
	if ((ob.len > 0 && (rc = ccc_keystate_put(&x.st, ob.p, ob.len, 0, err,
	    "pending/prev-group.cbor")) != 0) ||
	    (rc = ccc_keystate_put(&x.st, a->prop, a->prop_len, 0, err,
	    "pending/committee.cbor")) != 0)
		goto out;
	ccc_keystate_crash(&x.st, "start");
	if ((rc = rs_load_pending(&x, err)) == 0)
		rc = rs_run(&x, err);
out:
	rs_tx_close(&x);
	free(a);
	ccc_committee_free(&cm);
	ccc_buf_free(&cb);
	ccc_buf_free(&ob);
	return rc;
}

int
ccc_node_abort(const struct ccc_node_opts *o, struct ccc_err *err)
{
	char name[128];
	struct tx x;
	int kind, rc;
	uint32_t i;

	if ((rc = rs_tx_open(&x, o, CCC_KEYSTATE_EXCLUSIVE, err)) != 0)
		goto out;
	if (!x.pending) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s: no "
		    "transition under way", x.st.dir);
		goto out;
	}
	/* Only pending/ and our unsent messages: epochs/ is never touched. */
	for (kind = 0; kind < CCC_MSG_NKINDS; kind++) {
		i = kind == CCC_MSG_DEAL ? x.me_d : x.me_m;
		if (i != 0 && rs_out_name(name, sizeof(name), x.cm.epoch,
		    x.sid8, kind, i) == 0 && ccc_keystate_erase(&x.st, err,
		    "%s", name) != 0)
			goto out;
	}
	rs_say(&x, "aborted the transition to epoch %llu (attempt %u)",
	    (unsigned long long)x.cm.epoch, x.cm.attempt);
	if ((rc = ccc_keystate_erase(&x.st, err,
	    "pending/transport.key")) == 0 &&
	    (rc = ccc_keystate_erase(&x.st, err, "pending/share.cbor")) == 0 &&
	    (rc = ccc_keystate_erase(&x.st, err,
	    "pending/committee.cbor")) == 0)
		rc = ccc_keystate_rmtree(&x.st, err, "pending");
out:
	rs_tx_close(&x);
	return rc;
}
