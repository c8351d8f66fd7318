/*
 * ccc-share's spools: our messages to out/ (and again, if lost), and the
 * others' from in/, verified and admitted into pending/msgs or set aside.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "cli.h"
#include "io.h"
#include "keys.h"
#include "reshare.h"
#include "schemas.h"

/* ---- own messages and the spools ---------------------------------------- */

int
rs_out_name(char *buf, size_t len, uint64_t epoch, const char *sid8, int kind,
    uint32_t i)
{
	int n = snprintf(buf, len, "out/e%llu-%s-%s-%u.cbor",
	    (unsigned long long)epoch, sid8, ccc_msg_kind_name[kind], i);

	return n > 0 && (size_t)n < len ? 0 : CCC_E_INTERNAL;
}

/* Sign a body, store it durably as ours, then hand it to the transport. */
int
rs_emit(struct tx *x, int kind, uint32_t i, const struct ccc_buf *body,
    struct ccc_err *err)
{
	const struct ccc_schema *s = ccc_blob_peek_type(body->p, body->len);
	struct slot *sl = &x->s[kind][i];
	char name[128];
	int rc;

	ccc_buf_reset(&sl->raw);
	if ((rc = ccc_msg_sign(&sl->raw, x->st.id, s, body->p,
	    body->len)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "signing");
	if ((rc = ccc_keystate_put(&x->st, sl->raw.p, sl->raw.len, 0, err,
	    "pending/msgs/%s-%u.cbor", ccc_msg_kind_name[kind], i)) != 0)
		return rc;
	ccc_keystate_crash(&x->st, ccc_msg_kind_name[kind]);
	if ((rc = ccc_msg_decode(&sl->m, sl->raw.p, sl->raw.len, err)) != 0)
		return rc;
	sl->have = true;
	if ((rc = rs_out_name(name, sizeof(name), x->cm.epoch, x->sid8, kind,
	    i)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "out name");
	rs_say(x, "sent %s %u for epoch %llu", ccc_msg_kind_name[kind], i,
	    (unsigned long long)x->cm.epoch);
	return ccc_keystate_put(&x->st, sl->raw.p, sl->raw.len, 0, err, "%s",
	    name);
}

/* Put every own message back in out/ if the transport took it away. */
int
rs_resend(struct tx *x, struct ccc_err *err)
{
	char name[128];
	int kind, rc;
	uint32_t i;

	for (kind = 0; kind < CCC_MSG_NKINDS; kind++) {
		i = rs_own_index(x, kind);
		if (i == 0 || !x->s[kind][i].have)
			continue;
		if ((rc = rs_out_name(name, sizeof(name), x->cm.epoch, x->sid8,
		    kind, i)) != 0)
			return ccc_err_set(err, rc, -1, NULL, "out name");
		if ((rc = ccc_keystate_put(&x->st, x->s[kind][i].raw.p,
		    x->s[kind][i].raw.len, 0, err, "%s", name)) != 0)
			return rc;
	}
	return 0;
}

static void
reject(struct tx *x, const char *name, const struct ccc_err *why)
{
	char from[4200], to[4200];

	ccc_cli_warn("in/%s: rejected: %s%s%s", name, ccc_strerror(why->code),
	    why->detail[0] ? ": " : "", why->detail);
	if (ccc_keystate_path(&x->st, from, sizeof(from), "in/%s", name) != 0 ||
	    ccc_keystate_path(&x->st, to, sizeof(to), "in/rejected/%s",
	    name) != 0)
		return;
	if (ccc_keystate_mkdir(&x->st, NULL, "in/rejected") == 0)
		(void)rename(from, to);
}

/* ---- intake: in/ -> pending/msgs ---------------------------------------- */

static const uint8_t *
sender_pk(const struct tx *x, const struct ccc_msg *m)
{
	if (m->kind == CCC_MSG_DEAL)
		return m->from <= x->D ? x->dm[m->from - 1].pk : NULL;
	return m->from <= x->n ? x->cm.m[m->from - 1].pk : NULL;
}

/* A message of the pending transition: from whom it says, and well-made. */
static int
admit(const struct tx *x, const struct ccc_msg *m, struct ccc_err *err)
{
	const char *kind = ccc_msg_kind_name[m->kind];
	const uint8_t *pk = sender_pk(x, m);

	if (pk == NULL)
		return ccc_err_set(err, CCC_E_FIELD, -1, "index", "%s from %s "
		    "%u, which the transition does not have", kind,
		    m->kind == CCC_MSG_DEAL ? "dealer" : "member", m->from);
	if (m->epoch != x->cm.epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch", "%s for "
		    "epoch %llu in the transition to epoch %llu", kind,
		    (unsigned long long)m->epoch,
		    (unsigned long long)x->cm.epoch);
	if (ccc_msg_verify(m, pk) != 0)
		return ccc_err_set(err, CCC_E_SIGNATURE, -1, "sig", "%s %u: "
		    "not signed by its sender", kind, m->from);
	if (m->kind == CCC_MSG_ACCEPT && m->nkeys != x->D)
		return ccc_err_set(err, CCC_E_FIELD, -1, "keys", "accept %u: "
		    "%u transport keys for %u dealers", m->from, m->nkeys,
		    x->D);
	return 0;
}

/*
 * Keep the first message of each sender and round; a different second
 * one is evidence of equivocation and excludes its sender.  Written
 * without a sync each: rs_intake syncs them all at once before it takes
 * their originals out of in/.
 */
static int
store(struct tx *x, const struct ccc_msg *m, const struct ccc_buf *raw,
    struct ccc_err *err)
{
	struct slot *s = &x->s[m->kind][m->from];
	const char *kind = ccc_msg_kind_name[m->kind];
	char who[96];
	int rc;

	if (s->have) {
		if (s->raw.len == raw->len && memcmp(s->raw.p, raw->p,
		    raw->len) == 0)
			return 0;
		if (s->equiv)
			return 0;
		if ((rc = ccc_keystate_put(&x->st, raw->p, raw->len,
		    CCC_OUT_NOSYNC, err, "pending/msgs/%s-%u.equiv.cbor", kind,
		    m->from)) != 0)
			return rc;
		s->equiv = true;
		ccc_cli_warn("%s %s sent two different messages: excluded",
		    kind, m->kind == CCC_MSG_DEAL ? rs_dealer_label(x, m->from,
		    who, sizeof(who)) : rs_member_label(x, m->from, who,
		    sizeof(who)));
		return 0;
	}
	if ((rc = ccc_keystate_put(&x->st, raw->p, raw->len, CCC_OUT_NOSYNC,
	    err, "pending/msgs/%s-%u.cbor", kind, m->from)) != 0)
		return rc;
	ccc_buf_reset(&s->raw);
	if ((rc = ccc_buf_put(&s->raw, raw->p, raw->len)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "message");
	if ((rc = ccc_msg_decode(&s->m, s->raw.p, s->raw.len, err)) != 0)
		return rc;
	s->have = true;
	return 0;
}

/*
 * A confirmation that arrives after this node committed: a member that was
 * slower, or deferred and caught up.  It joins the certificate.
 */
static void
late_confirm(struct tx *x, const struct ccc_msg *m)
{
	struct ccc_group g, mg;
	struct ccc_group_cert *cert = NULL;
	struct ccc_buf b;
	EC_POINT *hj = NULL;
	uint8_t ctx[33];

	memset(&g, 0, sizeof(g));
	memset(&mg, 0, sizeof(mg));
	ccc_buf_init(&b, 0);
	if (m->kind != CCC_MSG_CONFIRM ||
	    rs_load_group(x, &g, x->cur, NULL) != 0 ||
	    memcmp(m->sid, g.sid, 32) != 0 || m->from > g.n ||
	    ccc_msg_verify(m, g.m[m->from - 1].pk) != 0 ||
	    ccc_group_load(x->ec, &mg, m->group, m->group_len, NULL) != 0 ||
	    memcmp(mg.digest, g.digest, 32) != 0 ||
	    ccc_identity_verify_digest(m->gsig, g.m[m->from - 1].pk,
	    CCC_GROUP_SIG_PURPOSE, g.digest) != 0 ||
	    (hj = EC_POINT_new(x->ec->group)) == NULL ||
	    ccc_ec_point_decode(x->ec, hj, g.hi[m->from - 1], NULL, NULL) != 0)
		goto out;
	ccc_dkg_proof_ctx(ctx, g.sid, m->from);
	if (ccc_schnorr_verify(x->ec, m->pop, hj, g.hi[m->from - 1],
	    CCC_DKG_POP_TAG, ctx, sizeof(ctx)) != 0 ||
	    (cert = calloc(1, sizeof(*cert))) == NULL ||
	    ccc_keystate_read(&x->st, &b, false, NULL, "epochs/%llu/cert.cbor",
	    (unsigned long long)x->cur) != 0 ||
	    ccc_group_cert_load(cert, b.p, b.len, NULL) != 0)
		goto out;
	ccc_group_cert_add(cert, m->from, m->gsig);
	ccc_buf_reset(&b);
	if (ccc_group_cert_encode(&b, cert) == 0 &&
	    ccc_keystate_put(&x->st, b.p, b.len, CCC_OUT_FORCE, NULL,
	    "epochs/%llu/cert.cbor", (unsigned long long)x->cur) == 0)
		rs_say(x, "member %u joined the certificate of epoch %llu",
		    m->from, (unsigned long long)x->cur);
out:
	EC_POINT_free(hj);
	free(cert);
	ccc_group_free(&g);
	ccc_group_free(&mg);
	ccc_buf_free(&b);
}

/*
 * Admit in/ into pending/msgs.  The admitted messages are written without
 * a sync each, then made durable together by one syncfs(2), and only then
 * taken out of in/: a crash before that leaves them in in/, and the next
 * run admits them again (an identical message is a no-op); a power loss
 * can leave one of them damaged in pending/msgs, which rs_load_pending
 * then drops (its original is still in in/).  One device flush a run
 * instead of two a message: O(1) syncs a run, whatever n.
 */
int
rs_intake(struct tx *x, struct ccc_err *err)
{
	struct ccc_buf raw;
	struct ccc_msg m;
	struct ccc_err e;
	char **names, path[4200];
	bool *done = NULL;
	size_t nn, k, ndone = 0;
	int rc = 0;

	if ((rc = ccc_keystate_list(&x->st, "in", &names, &nn, err)) != 0)
		return rc;
	if (nn > 0 && (done = calloc(nn, sizeof(*done))) == NULL) {
		ccc_keystate_names_free(names, nn);
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "in/");
	}
	ccc_buf_init(&raw, 0);
	for (k = 0; k < nn && rc == 0; k++) {
		ccc_err_clear(&e);
		ccc_buf_reset(&raw);
		if (ccc_keystate_path(&x->st, path, sizeof(path), "in/%s",
		    names[k]) != 0)
			continue;
		if (ccc_read_file(&raw, path, CCC_DKG_MSG_MAX + 4096,
		    &e) != 0) {
			reject(x, names[k], &e);
			continue;
		}
		/* A committee waits for the operator (ccc-share reshare). */
		if (ccc_blob_peek_type(raw.p, raw.len) ==
		    &ccc_schema_committee)
			continue;
		if (ccc_msg_decode(&m, raw.p, raw.len, &e) != 0) {
			reject(x, names[k], &e);
			continue;
		}
		if (x->pending && memcmp(m.sid, x->cm.sid, 32) == 0) {
			if (admit(x, &m, &e) != 0)
				reject(x, names[k], &e);
			else if ((rc = store(x, &m, &raw, err)) == 0) {
				done[k] = true;
				ndone++;
			}
		} else if (x->has_cur && m.epoch <= x->cur) {
			if (m.epoch == x->cur)
				late_confirm(x, &m);
			(void)unlink(path);	/* of a finished transition */
		}
		/* Else a future transition's: it waits in in/. */
		ccc_msg_free(&m);
	}
	if (rc == 0 && ndone > 0)
		rc = ccc_keystate_sync(&x->st, err);
	for (k = 0; k < nn && rc == 0; k++)
		if (done[k] && ccc_keystate_path(&x->st, path, sizeof(path),
		    "in/%s", names[k]) == 0)
			(void)unlink(path);
	free(done);
	ccc_buf_free(&raw);
	ccc_keystate_names_free(names, nn);
	return rc;
}
