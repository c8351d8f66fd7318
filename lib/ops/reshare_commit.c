/*
 * ccc-share: the commit of a new epoch once a group is certified, and the
 * erasure of older shares after the grace period.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "cli.h"
#include "dkg.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "schemas.h"
#include "keystate.h"
#include "reshare.h"

/* ---- commit -------------------------------------------------------------- */

/* A confirmed group belongs to the pending transition. */
static bool
group_fits(const struct tx *x, const struct ccc_group *g)
{
	uint32_t i;

	if (g->epoch != x->cm.epoch || g->t != x->cm.t || g->n != x->n ||
	    g->q != x->cm.q || memcmp(g->key_id, x->cm.key_id, 32) != 0 ||
	    memcmp(g->sid, x->cm.sid, 32) != 0 ||
	    g->has_prev != x->cm.has_prev ||
	    (g->has_prev && memcmp(g->prev, x->cm.prev, 32) != 0) ||
	    (x->reshare && memcmp(g->h, x->old.h, CCC_POINT_BYTES) != 0))
		return false;
	for (i = 0; i < x->n; i++)
		if (memcmp(g->m[i].id, x->cm.m[i].id, 32) != 0)
			return false;
	return true;
}

/* Member j's confirmation: a fitting group, signed, with a valid proof
 * that j holds the share h_j commits to.  Its group digest into d. */
static bool
confirm_valid(struct tx *x, uint32_t j, uint8_t d[32])
{
	const struct slot *s = &x->s[CCC_MSG_CONFIRM][j];
	struct ccc_group g;
	EC_POINT *hj = NULL;
	uint8_t ctx[33];
	bool ok = false;

	if (!s->have || s->equiv || ccc_group_load(x->ec, &g, s->m.group,
	    s->m.group_len, NULL) != 0)
		return false;
	ccc_dkg_proof_ctx(ctx, x->cm.sid, j);
	if (group_fits(x, &g) &&
	    ccc_identity_verify_digest(s->m.gsig, x->cm.m[j - 1].pk,
	    CCC_GROUP_SIG_PURPOSE, g.digest) == 0 &&
	    (hj = EC_POINT_new(x->ec->group)) != NULL &&
	    ccc_ec_point_decode(x->ec, hj, g.hi[j - 1], NULL, NULL) == 0 &&
	    ccc_schnorr_verify(x->ec, s->m.pop, hj, g.hi[j - 1],
	    CCC_DKG_POP_TAG, ctx, sizeof(ctx)) == 0) {
		memcpy(d, g.digest, 32);
		ok = true;
	}
	EC_POINT_free(hj);
	ccc_group_free(&g);
	return ok;
}

/*
 * The group at least q members confirmed, if any (*best = its first
 * confirmer, 0 if none): this node's own choice first, else the one with
 * most confirmations.  cert receives their signatures.
 */
static int
certified(struct tx *x, uint32_t *best, struct ccc_group_cert *cert,
    struct ccc_err *err)
{
	uint8_t (*d)[32];
	bool *ok;
	uint32_t i, j, c, bc = 0;

	*best = 0;
	if ((d = calloc(x->n + 1, 32)) == NULL || (ok = calloc(x->n + 1,
	    sizeof(*ok))) == NULL) {
		free(d);
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "confirm");
	}
	for (j = 1; j <= x->n; j++)
		ok[j] = confirm_valid(x, j, d[j]);
	for (j = 1; j <= x->n; j++) {
		if (!ok[j])
			continue;
		for (c = 0, i = 1; i <= x->n; i++)
			c += ok[i] && memcmp(d[i], d[j], 32) == 0;
		if (c < x->cm.q)
			continue;
		if (j == x->me_m) {
			*best = j;	/* what this node confirmed wins */
			break;
		}
		if (c > bc) {
			*best = j;
			bc = c;
		}
	}
	if (*best != 0) {
		memset(cert, 0, sizeof(*cert));
		memcpy(cert->group, d[*best], 32);
		cert->epoch = x->cm.epoch;
		for (j = 1; j <= x->n; j++)
			if (ok[j] && memcmp(d[j], d[*best], 32) == 0)
				ccc_group_cert_add(cert, j,
				    x->s[CCC_MSG_CONFIRM][j].m.gsig);
	}
	free(d);
	free(ok);
	return 0;
}

/* Tidy up after the commit point: keep the transcript, erase secrets. */
int
rs_finish(struct tx *x, struct ccc_err *err)
{
	unsigned long long e = x->cm.epoch;
	char to[64];
	int rc;

	/* A message stored but not yet handed over would be lost with
	 * pending/: a confirmation others may still need, for instance. */
	if ((rc = rs_resend(x, err)) != 0)
		return rc;
	snprintf(to, sizeof(to), "epochs/%llu/transcript", e);
	if (ccc_keystate_exists(&x->st, "pending/msgs")) {
		rc = ccc_keystate_exists(&x->st, "%s", to) ?
		    ccc_keystate_rmtree(&x->st, err, "pending/msgs") :
		    ccc_keystate_rename(&x->st, "pending/msgs", to, err);
		if (rc != 0)
			return rc;
	}
	ccc_keystate_crash(&x->st, "cleanup");
	/* The secrets first, the committee (what makes it pending) last. */
	if ((rc = ccc_keystate_erase(&x->st, err,
	    "pending/transport.key")) != 0 ||
	    (rc = ccc_keystate_erase(&x->st, err, "pending/share.cbor")) != 0 ||
	    (rc = ccc_keystate_erase(&x->st, err,
	    "pending/committee.cbor")) != 0 ||
	    (rc = ccc_keystate_rmtree(&x->st, err, "pending")) != 0)
		return rc;
	rs_tx_free_pending(x);
	return 0;
}

/*
 * This member's share of the certified group G: the one it confirmed, or
 * (deferred, catching up) derived now from G's dealings.  *ready false
 * when dealings it needs have not arrived yet.
 */
static int
own_share(struct tx *x, const struct ccc_group *G, BIGNUM *xj, bool *ready,
    struct ccc_err *err)
{
	struct ccc_group pg, g2;
	struct ccc_share *sh = NULL;
	struct ccc_buf b;
	uint32_t k;
	int rc = 0;

	*ready = false;
	memset(&pg, 0, sizeof(pg));
	memset(&g2, 0, sizeof(g2));
	ccc_buf_init(&b, 1);
	if (ccc_keystate_exists(&x->st, "pending/group.cbor") &&
	    ccc_keystate_exists(&x->st, "pending/share.cbor")) {
		if ((rc = ccc_keystate_read(&x->st, &b, false, err,
		    "pending/group.cbor")) != 0 ||
		    (rc = ccc_group_load(x->ec, &pg, b.p, b.len, err)) != 0)
			goto out;
		if (memcmp(pg.digest, G->digest, 32) == 0) {
			ccc_buf_reset(&b);
			if ((sh = ccc_share_new()) == NULL) {
				rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
				    "share");
				goto out;
			}
			if ((rc = ccc_keystate_read(&x->st, &b, true, err,
			    "pending/share.cbor")) != 0 ||
			    (rc = ccc_share_load(sh, b.p, b.len, err)) != 0 ||
			    (rc = ccc_ec_scalar_decode(x->ec, xj, sh->x, "x",
			    err)) != 0)
				goto out;
			*ready = true;
			goto out;
		}
	}
	/* Catching up from the certified transcript. */
	if (!x->has_seed)
		goto out;
	for (k = 0; k < G->ndealers; k++) {
		const struct slot *s;
		if (G->dealers[k] > x->D)
			goto out;
		s = &x->s[CCC_MSG_DEAL][G->dealers[k]];
		if (!s->have ||
		    memcmp(s->m.digest, G->deals[k], 32) != 0 ||
		    !rs_deal_ok(x, G->dealers[k]) ||
		    sodium_is_zero(s->m.enc[x->me_m - 1], 32))
			goto out;	/* not (yet) able to catch up */
	}
	ccc_buf_reset(&b);
	if ((rc = rs_derive(x, G->dealers, G->ndealers, xj, &b, &g2, err)) != 0)
		goto out;
	if (memcmp(g2.digest, G->digest, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the certified "
		    "group of epoch %llu does not follow from its dealings",
		    (unsigned long long)G->epoch);
		goto out;
	}
	rs_say(x, "caught up with the certified group of epoch %llu",
	    (unsigned long long)G->epoch);
	*ready = true;
out:
	ccc_share_free(sh);
	ccc_group_free(&pg);
	ccc_group_free(&g2);
	ccc_buf_free(&b);
	return rc;
}

/*
 * Commit if quorum members confirmed one group: write the new epoch, then
 * flip `current`, the only commit point, then clean up.  A member that
 * cannot derive its share yet stays pending (deferred) and keeps serving
 * the old epoch.
 */
int
rs_try_commit(struct tx *x, struct ccc_err *err)
{
	struct ccc_group_cert *cert = NULL;
	struct ccc_group G;
	struct ccc_buf gb, sb, cb, cmb;
	const struct slot *s;
	unsigned long long e = x->cm.epoch;
	uint32_t best;
	BIGNUM *xj = NULL;
	char txt[64];
	bool ready = true;
	int rc;

	memset(&G, 0, sizeof(G));
	ccc_buf_init(&gb, 0);
	ccc_buf_init(&sb, 1);
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&cmb, 0);
	if ((cert = calloc(1, sizeof(*cert))) == NULL ||
	    (xj = BN_secure_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "commit");
		goto out;
	}
	if ((rc = certified(x, &best, cert, err)) != 0 || best == 0)
		goto out;
	s = &x->s[CCC_MSG_CONFIRM][best];
	if ((rc = ccc_group_load(x->ec, &G, s->m.group, s->m.group_len,
	    err)) != 0 || (rc = ccc_buf_put(&gb, s->m.group,
	    s->m.group_len)) != 0)
		goto out;
	if (x->me_m != 0) {
		if ((rc = own_share(x, &G, xj, &ready, err)) != 0 || !ready)
			goto out;	/* deferred: serve the old epoch */
		if ((rc = rs_share_blob(x, &sb, xj, err)) != 0)
			goto out;
		if (!x->s[CCC_MSG_CONFIRM][x->me_m].have) {
			/* Caught up: tell the others, for their certificate. */
			if ((rc = rs_confirm(x, &G, &gb, xj, err)) != 0)
				goto out;
			ccc_group_cert_add(cert, x->me_m,
			    x->s[CCC_MSG_CONFIRM][x->me_m].m.gsig);
		}
	}
	if ((rc = ccc_group_cert_encode(&cb, cert)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "certificate");
		goto out;
	}
	if ((rc = ccc_keystate_read(&x->st, &cmb, false, err,
	    "pending/committee.cbor")) != 0)
		goto out;
	if ((rc = ccc_keystate_put(&x->st, cmb.p, cmb.len, CCC_OUT_FORCE, err,
	    "epochs/%llu/committee.cbor", e)) != 0 ||
	    (rc = ccc_keystate_put(&x->st, gb.p, gb.len, 0, err,
	    "epochs/%llu/group.cbor", e)) != 0 ||
	    (rc = ccc_keystate_put(&x->st, cb.p, cb.len, CCC_OUT_FORCE, err,
	    "epochs/%llu/cert.cbor", e)) != 0 ||
	    (sb.len > 0 && (rc = ccc_keystate_put(&x->st, sb.p, sb.len,
	    CCC_OUT_SECRET, err, "epochs/%llu/share.cbor", e)) != 0))
		goto out;
	if (!ccc_keystate_exists(&x->st, "epochs/%llu/committed", e)) {
		snprintf(txt, sizeof(txt), "%llu %llu\n",
		    (unsigned long long)x->now,
		    (unsigned long long)x->cm.grace);
		if ((rc = ccc_keystate_put(&x->st, txt, strlen(txt), 0, err,
		    "epochs/%llu/committed", e)) != 0)
			goto out;
	}
	ccc_keystate_crash(&x->st, "epoch");
	if ((rc = ccc_keystate_set_current(&x->st, e, err)) != 0)
		goto out;
	x->has_cur = true;
	x->cur = e;
	ccc_keystate_crash(&x->st, "current");
	rs_say(x, "committed epoch %llu (%u of %u confirmations)", e,
	    cert->nsigs, x->n);
	rc = rs_finish(x, err);
out:
	BN_clear_free(xj);
	free(cert);
	ccc_group_free(&G);
	ccc_buf_free(&gb);
	ccc_buf_free(&sb);
	ccc_buf_free(&cb);
	ccc_buf_free(&cmb);
	return rc;
}

/* ---- erasure after the grace period -------------------------------------- */

/* "T G\n" of epochs/E/committed: when E was committed, and the grace. */
bool
rs_committed_at(struct tx *x, uint64_t e, uint64_t *t, uint64_t *grace)
{
	struct ccc_buf b;
	unsigned long long a, g;
	char txt[64];
	bool ok = false;

	ccc_buf_init(&b, 0);
	if (ccc_keystate_read(&x->st, &b, false, NULL, "epochs/%llu/committed",
	    (unsigned long long)e) == 0 && b.len < sizeof(txt)) {
		memcpy(txt, b.p, b.len);
		txt[b.len] = '\0';
		if (sscanf(txt, "%llu %llu", &a, &g) == 2) {
			*t = a;
			*grace = g;
			ok = true;
		}
	}
	ccc_buf_free(&b);
	return ok;
}

/* Epoch numbers of the directories in epochs/, ascending. */
int
rs_epoch_dirs(struct tx *x, uint64_t **es, size_t *n, struct ccc_err *err)
{
	char path[4200], *end;
	struct dirent *de;
	uint64_t *v = NULL, *nv;
	size_t k = 0, cap = 0, i, j;
	unsigned long long e;
	DIR *d;

	*es = NULL;
	*n = 0;
	if (ccc_keystate_path(&x->st, path, sizeof(path), "epochs") != 0 ||
	    (d = opendir(path)) == NULL)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		e = strtoull(de->d_name, &end, 10);
		if (*end != '\0')
			continue;
		if (k == cap) {
			cap = cap ? 2 * cap : 8;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				closedir(d);
				free(v);
				return ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
				    "epochs");
			}
			v = nv;
		}
		v[k++] = e;
	}
	closedir(d);
	for (i = 1; i < k; i++)		/* a handful: insertion sort */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			e = v[j];
			v[j] = v[j - 1];
			v[j - 1] = e;
		}
	*es = v;
	*n = k;
	return 0;
}

/*
 * Once the current epoch has been certified for its grace period, the
 * shares of older epochs are erased (and the spooled messages of their
 * transitions dropped): after that the node can serve only the current
 * epoch, and a thief of its disk learns nothing about older ones.
 */
int
rs_erase_old(struct tx *x, struct ccc_err *err)
{
	uint64_t t0, grace, *es = NULL;
	unsigned long long k;
	char **names;
	size_t n, i;
	int rc;

	if (!x->has_cur || !rs_committed_at(x, x->cur, &t0, &grace) ||
	    x->now < t0 + grace)
		return 0;
	if ((rc = rs_epoch_dirs(x, &es, &n, err)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		if (es[i] >= x->cur || !ccc_keystate_exists(&x->st,
		    "epochs/%llu/share.cbor", (unsigned long long)es[i]))
			continue;
		ccc_keystate_crash(&x->st, "erase");
		if ((rc = ccc_keystate_erase(&x->st, err,
		    "epochs/%llu/share.cbor", (unsigned long long)es[i])) == 0)
			rs_say(x, "erased the share of epoch %llu",
			    (unsigned long long)es[i]);
	}
	free(es);
	if (rc != 0 || (rc = ccc_keystate_list(&x->st, "out", &names, &n,
	    err)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		char path[4200];
		if (sscanf(names[i], "e%llu-", &k) == 1 && k < x->cur &&
		    ccc_keystate_path(&x->st, path, sizeof(path), "out/%s",
		    names[i]) == 0)
			(void)unlink(path);
	}
	ccc_keystate_names_free(names, n);
	return 0;
}
