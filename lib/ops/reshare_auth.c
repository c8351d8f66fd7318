/*
 * ccc-share: who may change a key (ccc-share(1), SECURITY CONSIDERATIONS).
 * A committee that changes the members or the threshold is started only
 * with the approval of t members of the group it reshares, a first DKG
 * only with that of the operators the node was initialised with (if any),
 * and an approved retirement erases the node's shares for good.  Here:
 * those checks, and the approve, retirement and retire subcommands.
 */
#include "config.h"

#include <stdio.h>
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

int
rs_retired(const struct ccc_keystate *st, struct ccc_err *err)
{
	struct ccc_approval *a;
	struct ccc_retire r;
	struct ccc_buf b;
	int rc;

	if (!ccc_keystate_exists(st, "retired.cbor"))
		return 0;
	ccc_buf_init(&b, 0);
	if ((a = calloc(1, sizeof(*a))) != NULL &&
	    ccc_keystate_read(st, &b, false, err, "retired.cbor") == 0 &&
	    ccc_approval_load(a, b.p, b.len, err) == 0 &&
	    ccc_approval_retire_load(&r, a->prop, a->prop_len, err) == 0)
		rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "key %s was "
		    "retired at epoch %llu (%s/retired.cbor): the node serves "
		    "it no more",
		    ccc_short_id(r.key_id), (unsigned long long)r.epoch,
		    st->dir);
	else
		rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "%s/retired.cbor:"
		    " the node's key was retired", st->dir);
	free(a);
	ccc_buf_free(&b);
	return rc;
}

/* The same members (in any order) and the same threshold: a refresh. */
static bool
refresh(const struct ccc_committee *cm, const struct ccc_group *og)
{
	uint32_t i;

	if (cm->t != og->t || cm->n != og->n)
		return false;
	for (i = 0; i < og->n; i++)
		if (ccc_committee_find(cm, og->m[i].id) == 0)
			return false;
	return true;
}

int
rs_authorise(struct tx *x, const struct ccc_committee *cm,
    const struct ccc_approval *a, const struct ccc_group *og,
    struct ccc_err *err)
{
	struct ccc_operators ops;
	struct ccc_buf b;
	char who[64];
	int rc;

	if (og != NULL) {
		if (refresh(cm, og))
			return 0;
		snprintf(who, sizeof(who), "members of the group of epoch %llu",
		    (unsigned long long)og->epoch);
		return ccc_approval_check(a, og->m, og->n, og->t,
		    "a change of members or threshold", who, err);
	}
	/* A DKG: a node initialised without operators takes its own. */
	if (!ccc_keystate_exists(&x->st, "operators.cbor"))
		return 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_keystate_read(&x->st, &b, false, err,
	    "operators.cbor")) == 0 &&
	    (rc = ccc_approval_operators_load(&ops, b.p, b.len, err)) == 0) {
		rc = ccc_approval_check(a, ops.m, ops.n, ops.t, "a new key",
		    "operators of this node", err);
		ccc_approval_operators_free(&ops);
	}
	ccc_buf_free(&b);
	return rc;
}

/* The approval (or bare proposal) in file, whose proposal decodes. */
static int
read_approval(struct ccc_approval *a, struct ccc_buf *b, const char *file,
    struct ccc_err *err)
{
	struct ccc_committee cm;
	struct ccc_retire r;
	int rc;

	if ((rc = ccc_read_named(b, file, CCC_DKG_MSG_MAX, false, err)) != 0)
		return rc;
	if ((rc = ccc_approval_load(a, b->p, b->len, err)) == 0) {
		if (a->type == &ccc_schema_committee) {
			rc = ccc_committee_load(&cm, a->prop, a->prop_len,
			    err);
			ccc_committee_free(&cm);
		} else
			rc = ccc_approval_retire_load(&r, a->prop,
			    a->prop_len, err);
	}
	if (rc != 0)
		(void)ccc_err_what(err, file);
	return rc;
}

int
ccc_node_approve(const struct ccc_node_opts *o, struct ccc_err *err)
{
	struct ccc_keystate st;
	struct ccc_identity *id = NULL;
	const struct ccc_identity *k;
	struct ccc_approval *a;
	struct ccc_buf pb, kb, out;
	bool st_open = false;
	int rc;

	ccc_buf_init(&pb, 0);
	ccc_buf_init(&kb, 1);
	ccc_buf_init(&out, 0);
	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (o->identity != NULL && (id = ccc_identity_new()) == NULL)) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "approve");
		goto out;
	}
	if (o->identity != NULL) {
		if ((rc = ccc_read_secret_file(&kb, o->identity, 4096,
		    err)) == 0 &&
		    (rc = ccc_identity_load(id, kb.p, kb.len, err)) == 0 &&
		    !id->has_secret)
			rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected "
			    "an identity secret key (ccc-keygen identity -o "
			    "KEY), found a public key");
		if (rc != 0) {
			(void)ccc_err_what(err, o->identity);
			goto out;
		}
		k = id;
	} else {
		if ((rc = ccc_keystate_open(&st, o->dir, CCC_KEYSTATE_SHARED,
		    err)) != 0)
			goto out;
		st_open = true;
		k = st.id;
	}
	if ((rc = read_approval(a, &pb, o->committee, err)) != 0)
		goto out;
	if ((rc = ccc_approval_sign(a, k)) != 0 ||
	    (rc = ccc_approval_encode(&out, a)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "approval");
		goto out;
	}
	rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	if (st_open)
		ccc_keystate_close(&st);
	ccc_identity_free(id);
	free(a);
	ccc_buf_free(&pb);
	ccc_buf_free(&kb);
	ccc_buf_free(&out);
	return rc;
}

int
ccc_node_retirement(const struct ccc_node_opts *o, struct ccc_err *err)
{
	struct ccc_retire r;
	struct ccc_group g;
	struct ccc_buf out;
	struct tx x;
	int rc;

	memset(&g, 0, sizeof(g));
	ccc_buf_init(&out, 0);
	if ((rc = rs_tx_open(&x, o, CCC_KEYSTATE_SHARED, err)) != 0)
		goto out;
	if (!x.has_cur) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s holds no key "
		    "yet", o->dir);
		goto out;
	}
	if ((rc = rs_load_group(&x, &g, x.cur, err)) != 0)
		goto out;
	memcpy(r.key_id, g.key_id, 32);
	r.epoch = g.epoch;
	memcpy(r.group, g.digest, 32);
	if ((rc = ccc_approval_retire_encode(&out, &r)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "retirement");
	else
		rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
		    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	rs_tx_close(&x);
	ccc_group_free(&g);
	ccc_buf_free(&out);
	return rc;
}

/* The retirement a against this node's current group, then recorded. */
static int
retire_check(struct tx *x, const struct ccc_approval *a,
    const struct ccc_buf *ab, struct ccc_err *err)
{
	struct ccc_retire r;
	struct ccc_group g;
	char who[64];
	int rc;

	memset(&g, 0, sizeof(g));
	if ((rc = ccc_keystate_current(&x->st, &x->cur, &x->has_cur,
	    err)) != 0)
		return rc;
	if (!x->has_cur)
		return ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s holds no key "
		    "yet", x->st.dir);
	if ((rc = ccc_approval_retire_load(&r, a->prop, a->prop_len,
	    err)) != 0 || (rc = rs_load_group(x, &g, x->cur, err)) != 0)
		return rc;
	snprintf(who, sizeof(who), "members of the group of epoch %llu",
	    (unsigned long long)g.epoch);
	if (memcmp(r.key_id, g.key_id, 32) != 0)
		rc = ccc_err_set(err, CCC_E_KEY, -1, "key_id", "the retirement "
		    "is of key %s, not of this node's key", ccc_short_id(
		    r.key_id));
	else if (r.epoch != g.epoch || memcmp(r.group, g.digest, 32) != 0)
		rc = ccc_err_set(err, CCC_E_EPOCH, -1, "group", "the "
		    "retirement is of the group of epoch %llu, this node's "
		    "is that of epoch %llu: make and approve it again",
		    (unsigned long long)r.epoch, (unsigned long long)g.epoch);
	else if ((rc = ccc_approval_check(a, g.m, g.n, g.t, "a retirement",
	    who, err)) == 0)
		/* The tombstone first: from here on the key is refused. */
		rc = ccc_keystate_put(&x->st, ab->p, ab->len, 0, err,
		    "retired.cbor");
	ccc_group_free(&g);
	return rc;
}

int
ccc_node_retire(const struct ccc_node_opts *o, struct ccc_err *err)
{
	struct ccc_approval *a = NULL;
	struct ccc_buf ab;
	struct tx x;
	uint64_t *es = NULL;
	size_t ne = 0, i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.st.lockfd = -1;
	ccc_buf_init(&ab, 0);
	if ((x.ec = ccc_ec_default()) == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	if ((rc = ccc_keystate_open(&x.st, o->dir, CCC_KEYSTATE_EXCLUSIVE,
	    err)) != 0)
		goto out;
#ifdef CCC_TEST_HOOKS
	x.st.crash_at = o->crash_at;
#endif
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "retire");
		goto out;
	}
	if ((rc = read_approval(a, &ab, o->committee, err)) != 0)
		goto out;
	if (a->type != &ccc_schema_retire) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected a key "
		    "retirement (ccc-share retirement), found a key committee");
		(void)ccc_err_what(err, o->committee);
		goto out;
	}
	/* Applied before (and perhaps interrupted): only the erasure left. */
	if (ccc_keystate_exists(&x.st, "retired.cbor")) {
		struct ccc_buf tb;
		ccc_buf_init(&tb, 0);
		rc = ccc_keystate_read(&x.st, &tb, false, err, "retired.cbor");
		if (rc == 0 && (tb.len != ab.len ||
		    memcmp(tb.p, ab.p, ab.len) != 0))
			rc = rs_retired(&x.st, err);
		ccc_buf_free(&tb);
	} else if ((rc = retire_check(&x, a, &ab, err)) != 0 &&
	    rc != CCC_E_STATE && rc != CCC_E_IO)
		(void)ccc_err_what(err, o->committee);
	if (rc != 0)
		goto out;
	ccc_keystate_crash(&x.st, "retire");
	if ((rc = ccc_keystate_rmtree(&x.st, err, "pending")) != 0 ||
	    (rc = rs_epoch_dirs(&x, &es, &ne, err)) != 0)
		goto out;
	for (i = 0; i < ne && rc == 0; i++)
		rc = ccc_keystate_erase(&x.st, err, "epochs/%llu/share.cbor",
		    (unsigned long long)es[i]);
out:
	free(es);
	free(a);
	ccc_buf_free(&ab);
	ccc_keystate_close(&x.st);
	return rc;
}
