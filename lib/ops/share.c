/*
 * ccc-share's operations that are not rounds of a transition: init,
 * committee, export and verify (the rounds are in lib/reshare.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "approval.h"
#include "dkg.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "outset.h"
#include "schemas.h"
#include "keystate.h"
#include "reshare.h"

/* The identity public keys in files[0..n) into m, none twice. */
static int
read_members(struct ccc_dkg_member *m, char *const *files, uint32_t n,
    struct ccc_err *err)
{
	struct ccc_identity *id;
	struct ccc_buf b;
	uint32_t i, j;
	int rc = 0;

	if ((id = ccc_identity_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "members");
	ccc_buf_init(&b, 0);
	for (i = 0; i < n && rc == 0; i++) {
		ccc_buf_reset(&b);
		if ((rc = ccc_read_named(&b, files[i], 1 << 16, false,
		    err)) != 0)
			break;
		if (ccc_blob_peek_type(b.p, b.len) !=
		    &ccc_schema_identity_pub)
			rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected "
			    "an identity public key (ccc-keygen identity -p)");
		else
			rc = ccc_identity_load(id, b.p, b.len, err);
		if (rc != 0) {
			(void)ccc_err_what(err, files[i]);
			break;
		}
		memcpy(m[i].id, id->id, 32);
		memcpy(m[i].pk, id->pk, 32);
		memcpy(m[i].name, id->name, sizeof(m[i].name));
		for (j = 0; j < i && rc == 0; j++)
			if (memcmp(m[j].id, id->id, 32) == 0) {
				rc = ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL,
				    "member %u is member %u again", i + 1,
				    j + 1);
				(void)ccc_err_what(err, files[i]);
			}
	}
	ccc_identity_free(id);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_node_init(const struct ccc_node_opts *o, struct ccc_err *err)
{
	struct ccc_operators ops = { 0 };
	struct ccc_buf b;
	int rc;

	if (o->noperators == 0)
		return ccc_keystate_init(o->dir, o->identity, NULL, err);
	ops.n = (uint32_t)o->noperators;
	ops.t = o->op_t;
	if (ops.n > CCC_DKG_MAX_N || ops.t < 1 || ops.t > ops.n)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-t %u of %u "
		    "operators: from 1 to their number (at most %d)", ops.t,
		    ops.n, CCC_DKG_MAX_N);
	if ((ops.m = calloc(ops.n, sizeof(*ops.m))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "operators");
	ccc_buf_init(&b, 0);
	if ((rc = read_members(ops.m, o->operators, ops.n, err)) == 0) {
		if ((rc = ccc_approval_operators_encode(&b, &ops)) != 0)
			rc = ccc_err_set(err, rc, -1, NULL, "operators");
		else
			rc = ccc_keystate_init(o->dir, o->identity, &b, err);
	}
	ccc_approval_operators_free(&ops);
	ccc_buf_free(&b);
	return rc;
}

/* The default commit quorum: everyone for a DKG (a new key should be
 * confirmed by all); for resharing, enough that up to (n-t)/2 members can
 * be offline and catch up later. */
static uint32_t
default_quorum(uint32_t t, uint32_t n, bool reshare)
{
	return reshare ? n - (n - t) / 2 : n;
}

int
ccc_committee_make(const struct ccc_committee_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_committee cm;
	struct ccc_group g;
	struct ccc_buf b, out;
	struct ccc_out w;
	int rc;
	bool w_open = false;

	memset(&cm, 0, sizeof(cm));
	memset(&g, 0, sizeof(g));
	ccc_buf_init(&b, 0);
	ccc_buf_init(&out, 0);
	if (ec == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	cm.n = (uint32_t)o->nmembers;
	if (cm.n < 1 || cm.n > CCC_DKG_MAX_N)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "a committee "
		    "has 1 to %d members (got %u)", CCC_DKG_MAX_N, cm.n);
	if (o->group != NULL) {
		ccc_buf_reset(&b);
		if ((rc = ccc_read_named(&b, o->group, CCC_DKG_MSG_MAX, false,
		    err)) != 0)
			goto out;
		if ((rc = ccc_group_load(ec, &g, b.p, b.len, err)) != 0) {
			(void)ccc_err_what(err, o->group);
			goto out;
		}
		memcpy(cm.key_id, g.key_id, 32);
		cm.epoch = g.epoch + 1;
		cm.has_prev = true;
		memcpy(cm.prev, g.digest, 32);
	} else if (o->key_id != NULL)
		memcpy(cm.key_id, o->key_id, 32);
	else
		randombytes_buf(cm.key_id, 32);	/* names the key for life */
	/* No -t: the threshold of the group reshared (a refresh keeps it). */
	cm.t = o->t ? o->t : g.t;
	if (cm.t < 1 || cm.t > cm.n) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "threshold %u "
		    "is not between 1 and the %u members", cm.t, cm.n);
		goto out;
	}
	cm.q = o->q ? o->q : default_quorum(cm.t, cm.n, o->group != NULL);
	if (cm.q < cm.t || cm.q > cm.n) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "quorum %u is "
		    "not between t=%u and n=%u", cm.q, cm.t, cm.n);
		goto out;
	}
	if ((cm.m = calloc(cm.n, sizeof(*cm.m))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "committee");
		goto out;
	}
	if ((rc = read_members(cm.m, o->members, cm.n, err)) != 0)
		goto out;
	cm.attempt = o->attempt;
	cm.start = o->start ? o->start : ccc_keystate_now();
	cm.step = o->step;
	cm.grace = o->grace;
	if ((rc = ccc_committee_encode(&out, &cm)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "committee");
		goto out;
	}
	if ((rc = ccc_out_open(&w, o->out, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0),
	    err)) != 0)
		goto out;
	w_open = true;
	if ((rc = ccc_out_write(&w, out.p, out.len, err)) != 0)
		goto out;
	w_open = false;
	rc = ccc_out_commit(&w, err);
out:
	if (w_open)
		ccc_out_abort(&w);
	ccc_committee_free(&cm);
	ccc_group_free(&g);
	ccc_buf_free(&b);
	ccc_buf_free(&out);
	return rc;
}

/* The share in b decodes and matches pub; *index receives its node. */
static int
share_matches(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_buf *b, uint32_t *index, struct ccc_err *err)
{
	struct ccc_share *sh;
	int rc;

	if ((sh = ccc_share_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
	if ((rc = ccc_share_load(sh, b->p, b->len, err)) == 0 &&
	    (rc = ccc_share_check(ec, sh, pub, err)) == 0)
		*index = sh->index;
	ccc_share_free(sh);
	return rc;
}

int
ccc_node_export(const struct ccc_node_opts *o, struct ccc_err *err)
{
	const char *outs[4] = { o->group, o->cert, o->tpk, o->share };
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_keystate st;
	struct ccc_group g;
	struct ccc_buf gb, cb, kb, sb;
	char path[4096];
	uint64_t e;
	uint32_t index;
	bool has;
	int i, rc, f = o->force ? CCC_OUT_FORCE : 0;

	memset(&pub, 0, sizeof(pub));
	memset(&g, 0, sizeof(g));
	ccc_buf_init(&gb, 0);
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&sb, 1);
	if (ec == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	if ((rc = ccc_keystate_open(&st, o->dir, CCC_KEYSTATE_SHARED,
	    err)) != 0)
		return rc;
	if ((rc = rs_retired(&st, err)) != 0 ||
	    (rc = ccc_keystate_current(&st, &e, &has, err)) != 0)
		goto out;
	if (o->has_epoch) {
		e = o->epoch;
		has = ccc_keystate_exists(&st, "epochs/%llu/group.cbor",
		    (unsigned long long)e);
		if (!has) {
			rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s has "
			    "no epoch %llu", o->dir, (unsigned long long)e);
			goto out;
		}
	} else if (!has) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s holds no key "
		    "yet", o->dir);
		goto out;
	}
	if (o->share != NULL && !ccc_keystate_exists(&st,
	    "epochs/%llu/share.cbor", (unsigned long long)e)) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "this node holds "
		    "no share of epoch %llu (not a member, or erased after "
		    "the grace period)", (unsigned long long)e);
		goto out;
	}
	for (i = 0; i < 4; i++)
		if (!o->force && outs[i] != NULL && strcmp(outs[i], "-") != 0 &&
		    access(outs[i], F_OK) == 0) {
			rc = ccc_err_set(err, CCC_E_EXISTS, -1, NULL,
			    "%s: file exists (use -f to replace it)", outs[i]);
			goto out;
		}
	if ((rc = ccc_keystate_read(&st, &gb, false, err,
	    "epochs/%llu/group.cbor", (unsigned long long)e)) != 0 ||
	    (rc = ccc_keystate_read(&st, &cb, false, err,
	    "epochs/%llu/cert.cbor", (unsigned long long)e)) != 0 ||
	    (rc = ccc_group_load(ec, &g, gb.p, gb.len, err)) != 0 ||
	    (rc = ccc_group_pub(ec, &g, &pub, err)) != 0)
		goto out;
	if ((rc = ccc_tpk_encode(&kb, &pub)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "public key");
		goto out;
	}
	if (o->share != NULL && (rc = ccc_keystate_read(&st, &sb, true, err,
	    "epochs/%llu/share.cbor", (unsigned long long)e)) != 0)
		goto out;
	/* A damaged share is not copied out of the state directory. */
	if (o->share != NULL && (rc = share_matches(ec, &pub, &sb, &index,
	    err)) != 0) {
		if (ccc_keystate_path(&st, path, sizeof(path),
		    "epochs/%llu/share.cbor", (unsigned long long)e) == 0)
			(void)ccc_err_what(err, path);
		goto out;
	}
	/* One set: a file that cannot be written leaves the others. */
	{
		const struct ccc_file all[4] = {
			{ o->group, gb.p, gb.len, CCC_OUT_BINARY | f },
			{ o->cert, cb.p, cb.len, CCC_OUT_BINARY | f },
			{ o->tpk, kb.p, kb.len, CCC_OUT_BINARY | f },
			{ o->share, sb.p, sb.len, CCC_OUT_BINARY |
			    CCC_OUT_SECRET | f },
		};
		struct ccc_file asked[4];
		size_t n = 0;
		for (i = 0; i < 4; i++)
			if (all[i].path != NULL)
				asked[n++] = all[i];
		rc = ccc_write_files(asked, n, err);
	}
out:
	ccc_keystate_close(&st);
	ccc_tdh2_pub_free(&pub);
	ccc_group_free(&g);
	ccc_buf_free(&gb);
	ccc_buf_free(&cb);
	ccc_buf_free(&kb);
	ccc_buf_free(&sb);
	return rc;
}

/* A public key from a tpk or a group file. */
static int
load_pub(struct ccc_ec *ec, struct ccc_tdh2_pub *pub, const char *path,
    struct ccc_err *err)
{
	struct ccc_group g;
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, CCC_DKG_MSG_MAX, false, err)) != 0)
		goto out;
	if (ccc_blob_peek_type(b.p, b.len) == &ccc_schema_group) {
		if ((rc = ccc_group_load(ec, &g, b.p, b.len, err)) == 0) {
			rc = ccc_group_pub(ec, &g, pub, err);
			ccc_group_free(&g);
		}
	} else
		rc = ccc_tpk_load(ec, pub, b.p, b.len, err);
	if (rc != 0)
		(void)ccc_err_what(err, path);
out:
	ccc_buf_free(&b);
	return rc;
}

int
ccc_node_verify(const struct ccc_node_opts *o, FILE *f, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_group g;
	struct ccc_group_cert *cert = NULL;
	struct ccc_buf b;
	uint32_t index;
	int rc = 0;

	memset(&pub, 0, sizeof(pub));
	memset(&g, 0, sizeof(g));
	ccc_buf_init(&b, 1);
	if (ec == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	if (o->share != NULL) {
		if ((rc = load_pub(ec, &pub, o->tpk, err)) != 0 ||
		    (rc = ccc_read_named(&b, o->share, 4096, true, err)) != 0)
			goto out;
		if ((rc = share_matches(ec, &pub, &b, &index, err)) != 0) {
			(void)ccc_err_what(err, o->share);
			goto out;
		}
		fprintf(f, "ok: the share of node %u matches h_%u of key %s at "
		    "epoch %llu\n", index, index,
		    ccc_short_id(pub.key_id), (unsigned long long)pub.epoch);
	}
	if (o->cert != NULL) {
		ccc_buf_reset(&b);
		if ((cert = calloc(1, sizeof(*cert))) == NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "cert");
			goto out;
		}
		if ((rc = ccc_read_named(&b, o->group, CCC_DKG_MSG_MAX, false,
		    err)) != 0)
			goto out;
		if ((rc = ccc_group_load(ec, &g, b.p, b.len, err)) != 0) {
			(void)ccc_err_what(err, o->group);
			goto out;
		}
		ccc_buf_reset(&b);
		if ((rc = ccc_read_named(&b, o->cert, CCC_DKG_MSG_MAX, false,
		    err)) != 0)
			goto out;
		if ((rc = ccc_group_cert_load(cert, b.p, b.len, err)) != 0 ||
		    (rc = ccc_group_cert_verify(&g, cert, err)) != 0) {
			(void)ccc_err_what(err, o->cert);
			goto out;
		}
		fprintf(f, "ok: the group of key %s at epoch %llu is certified "
		    "by %u of its %u members (quorum %u)\n",
		    ccc_short_id(g.key_id), (unsigned long long)g.epoch,
		    cert->nsigs, g.n, g.q);
	}
out:
	free(cert);
	ccc_tdh2_pub_free(&pub);
	ccc_group_free(&g);
	ccc_buf_free(&b);
	return rc;
}
