/*
 * The transition engine behind ccc-share dkg, reshare, advance, status and
 * abort: one DKG or resharing at a time, driven by the files in the node's
 * state directory (lib/keystate.h), each step idempotent.  This file runs
 * the rounds and is advance's entry point; dkg, reshare and abort start
 * and give up a transition in reshare_start.c.
 *
 * Rounds (ccc-share(1) has the full description):
 *   accept   each new member: one transport key per dealer
 *   deal     each dealer: commitments and sealed sub-shares
 *   respond  each new member: complaints, each revealing one transport key
 *   confirm  each new member: its group, signed, and a proof that it holds
 *            its share (written durably before the confirmation)
 *   commit   anyone holding quorum confirmations of one group: the new
 *            epoch is written, then `current` flips (the commit point)
 *
 * A DKG is the same flow with every member a dealer of a random secret and
 * a proof of knowledge of it; resharing has the old members deal their
 * shares, each pinned to its h_i, combined with Lagrange coefficients.
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
#include "approval.h"
#include "dkg.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "schemas.h"
#include "keystate.h"
#include "reshare.h"

void CCC_PRINTF(2, 3)
rs_say(const struct tx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->o->log == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(x->o->log, fmt, ap);
	va_end(ap);
	fputc('\n', x->o->log);
}

const char *
rs_member_label(const struct tx *x, uint32_t j, char *buf, size_t len)
{
	return ccc_dkg_member_label(&x->cm.m[j - 1], j, buf, len);
}

const char *
rs_dealer_label(const struct tx *x, uint32_t i, char *buf, size_t len)
{
	return ccc_dkg_member_label(&x->dm[i - 1], i, buf, len);
}

/* ---- the rounds --------------------------------------------------------- */

uint32_t
rs_count_have(const struct tx *x, int kind)
{
	uint32_t i, c = 0;

	for (i = 1; i <= rs_slot_max(x, kind); i++)
		c += x->s[kind][i].have;
	return c;
}

static int
step_accept(struct tx *x, struct ccc_err *err)
{
	struct ccc_buf tb, body;
	uint8_t (*keys)[32] = NULL, *sk = NULL;
	uint32_t i;
	int rc;

	if (x->me_m == 0 || x->s[CCC_MSG_ACCEPT][x->me_m].have)
		return 0;
	ccc_buf_init(&tb, 1);
	ccc_buf_init(&body, 0);
	if (!x->has_seed) {
		/* The per-transition transport key: fresh, durable first. */
		randombytes_buf(x->seed, 32);
		if ((rc = ccc_transport_encode(&tb, x->cm.sid, x->seed)) != 0 ||
		    (rc = ccc_keystate_put(&x->st, tb.p, tb.len, CCC_OUT_SECRET,
		    err, "pending/transport.key")) != 0)
			goto out;
		x->has_seed = true;
		ccc_keystate_crash(&x->st, "transport");
	}
	rc = CCC_E_NOMEM;
	if ((keys = calloc(x->D, 32)) == NULL || (sk = sodium_malloc(32)) ==
	    NULL)
		goto out;
	for (i = 1; i <= x->D; i++)
		if ((rc = ccc_transport_keypair(sk, keys[i - 1], x->seed,
		    i)) != 0)
			goto out;
	if ((rc = ccc_accept_encode(&body, x->cm.sid, x->cm.epoch, x->me_m,
	    (const uint8_t (*)[32])keys, x->D)) != 0)
		goto out;
	rc = rs_emit(x, CCC_MSG_ACCEPT, x->me_m, &body, err);
out:
	if (rc != 0 && (err == NULL || err->code == 0))
		rc = ccc_err_set(err, rc, -1, NULL, "accept");
	if (sk != NULL)
		sodium_free(sk);
	free(keys);
	ccc_buf_free(&tb);
	ccc_buf_free(&body);
	return rc;
}

/* The secret a dealer shares: a fresh one (DKG) or its old share. */
static int
deal_secret(struct tx *x, BIGNUM *s, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh;
	int rc;

	if (!x->reshare)
		return ccc_ec_scalar_random(x->ec, s) == 0 ? 0 :
		    ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "random");
	if ((sh = ccc_share_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
	memset(&pub, 0, sizeof(pub));
	if ((rc = rs_load_share(x, sh, x->old.epoch, err)) != 0 ||
	    (rc = ccc_group_pub(x->ec, &x->old, &pub, err)) != 0 ||
	    (rc = ccc_share_check(x->ec, sh, &pub, err)) != 0)
		goto out;
	if (sh->index != x->me_d) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "the share of "
		    "epoch %llu is node %u's, not %u's",
		    (unsigned long long)x->old.epoch, sh->index, x->me_d);
		goto out;
	}
	BN_set_flags(s, BN_FLG_CONSTTIME);
	rc = ccc_ec_scalar_decode(x->ec, s, sh->x, "x", err);
out:
	ccc_tdh2_pub_free(&pub);
	ccc_share_free(sh);
	return rc;
}

/* The test helper's deliberate faults (--enable-test-hooks only). */
static const struct ccc_dkg_tamper *
tamper(const struct tx *x)
{
#ifdef CCC_TEST_HOOKS
	return x->o->tamper;
#else
	(void)x;
	return NULL;
#endif
}

static bool
false_complaint(const struct tx *x, uint32_t dealer)
{
#ifdef CCC_TEST_HOOKS
	return x->o->tamper != NULL && x->o->tamper->false_complaint == dealer;
#else
	(void)x;
	(void)dealer;
	return false;
#endif
}

static int
step_deal(struct tx *x, struct ccc_err *err)
{
	const uint8_t **keys = NULL;
	struct ccc_buf body;
	BIGNUM *secret = NULL;
	uint32_t j;
	int rc;

	if (x->me_d == 0 || x->s[CCC_MSG_DEAL][x->me_d].have)
		return 0;
	/* Wait for every member's transport keys, or the deadline. */
	if (rs_count_have(x, CCC_MSG_ACCEPT) < x->n &&
	    x->now < ccc_committee_deadline(&x->cm, 1))
		return 0;
	ccc_buf_init(&body, 0);
	if ((keys = calloc(x->n, sizeof(*keys))) == NULL ||
	    (secret = BN_secure_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "deal");
		goto out;
	}
	for (j = 1; j <= x->n; j++)
		if (x->s[CCC_MSG_ACCEPT][j].have &&
		    !x->s[CCC_MSG_ACCEPT][j].equiv)
			keys[j - 1] =
			    x->s[CCC_MSG_ACCEPT][j].m.keys[x->me_d - 1];
	if ((rc = deal_secret(x, secret, err)) != 0 ||
	    (rc = ccc_deal_make(x->ec, &body, x->cm.sid, x->cm.epoch, x->me_d,
	    x->cm.t, x->n, keys, secret, !x->reshare, tamper(x),
	    err)) != 0)
		goto out;
	rc = rs_emit(x, CCC_MSG_DEAL, x->me_d, &body, err);
out:
	BN_clear_free(secret);
	free(keys);
	ccc_buf_free(&body);
	return rc;
}

/* The public checks of dealer i's dealing, once; false if excluded. */
bool
rs_deal_ok(struct tx *x, uint32_t i)
{
	struct slot *s = &x->s[CCC_MSG_DEAL][i];
	struct ccc_err e;
	uint32_t k;

	if (x->checked[i] != 0)
		return x->checked[i] > 0;
	if (!s->have)
		return false;	/* may still come: not cached */
	x->checked[i] = -1;
	if (s->equiv) {
		snprintf(x->why[i], sizeof(x->why[i]), "sent two different "
		    "dealings");
		return false;
	}
	if ((x->C[i] = calloc(x->cm.t, sizeof(EC_POINT *))) == NULL)
		return false;
	for (k = 0; k < x->cm.t; k++)
		if ((x->C[i][k] = EC_POINT_new(x->ec->group)) == NULL)
			return false;
	ccc_err_clear(&e);
	if (ccc_deal_check(x->ec, &s->m, x->cm.t, x->n, x->reshare ?
	    x->old.hi[i - 1] : NULL, x->C[i], &e) != 0) {
		snprintf(x->why[i], sizeof(x->why[i]), "bad dealing: %.130s",
		    e.detail);
		return false;
	}
	x->checked[i] = 1;
	return true;
}

static int
step_respond(struct tx *x, struct ccc_err *err)
{
	struct ccc_complaint *c = NULL;
	struct ccc_buf body;
	uint8_t pk[32];
	BIGNUM *y = NULL;
	uint32_t i, nc = 0;
	int rc;

	if (x->me_m == 0 || !x->has_seed ||
	    !x->s[CCC_MSG_ACCEPT][x->me_m].have ||
	    x->s[CCC_MSG_RESPOND][x->me_m].have)
		return 0;
	if (rs_count_have(x, CCC_MSG_DEAL) < x->D &&
	    x->now < ccc_committee_deadline(&x->cm, 2))
		return 0;
	ccc_buf_init(&body, 0);
	if ((c = sodium_malloc(x->D * sizeof(*c))) == NULL ||
	    (y = BN_secure_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "respond");
		goto out;
	}
	for (i = 1; i <= x->D; i++) {
		const struct ccc_msg *d = &x->s[CCC_MSG_DEAL][i].m;
		if (!rs_deal_ok(x, i))
			continue;	/* excluded by everyone, no need */
		if (sodium_is_zero(d->enc[x->me_m - 1], 32))
			continue;	/* not dealt to us: no dispute */
		if ((rc = ccc_transport_keypair(c[nc].key, pk, x->seed,
		    i)) != 0) {
			rc = ccc_err_set(err, rc, -1, NULL, "transport key");
			goto out;
		}
		rc = ccc_subshare_open(x->ec, y, d, x->C[i], x->me_m,
		    c[nc].key);
		BN_clear(y);
		if (rc == 0 && !false_complaint(x, i))
			continue;
		if (rc != 0 && rc != CCC_E_DECRYPT && rc != CCC_E_SCALAR &&
		    rc != CCC_E_SHARE) {
			rc = ccc_err_set(err, rc, -1, NULL, "opening the "
			    "sub-share of dealer %u", i);
			goto out;
		}
		c[nc++].dealer = i;	/* reveals the key of this one seal */
	}
	if ((rc = ccc_respond_encode(&body, x->cm.sid, x->cm.epoch, x->me_m,
	    c, nc)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "respond");
		goto out;
	}
	rc = rs_emit(x, CCC_MSG_RESPOND, x->me_m, &body, err);
out:
	if (c != NULL)
		sodium_free(c);
	BN_clear_free(y);
	ccc_buf_free(&body);
	return rc;
}

/* The dealer index of member j (a convicted complainer), or 0. */
static uint32_t
member_as_dealer(const struct tx *x, uint32_t j)
{
	if (!x->reshare)
		return j;
	return ccc_group_find(&x->old, x->cm.m[j - 1].id);
}

/*
 * Who is qualified: dealers whose dealing arrived, passed the public
 * checks and survived every complaint; a complaint that fails convicts
 * the complainer, who is then excluded as a dealer too.
 */
int
rs_qualify(struct tx *x, struct ccc_err *err)
{
	const struct ccc_complaint *c;
	const struct ccc_msg *r;
	uint32_t i, j, k, d;
	int v;

	for (i = 1; i <= x->D; i++)
		x->verdict[i] = !x->s[CCC_MSG_DEAL][i].have ? V_MISSING :
		    rs_deal_ok(x, i) ? V_OK : x->s[CCC_MSG_DEAL][i].equiv ?
		    V_EQUIV : V_BAD;
	for (j = 1; j <= x->n; j++) {
		x->liar[j] = 0;
		if (!x->s[CCC_MSG_RESPOND][j].have ||
		    x->s[CCC_MSG_RESPOND][j].equiv)
			continue;
		r = &x->s[CCC_MSG_RESPOND][j].m;
		for (k = 0; k < r->ncomplaints; k++) {
			c = &r->complaints[k];
			i = c->dealer;
			if (i > x->D || (x->verdict[i] != V_OK &&
			    x->verdict[i] != V_GUILTY))
				continue;	/* nothing to judge */
			v = !x->s[CCC_MSG_ACCEPT][j].have ? 0 :
			    ccc_complaint_judge(x->ec,
			    &x->s[CCC_MSG_DEAL][i].m, x->C[i], j, c,
			    x->s[CCC_MSG_ACCEPT][j].m.keys[i - 1]);
			if (v < 0)
				return ccc_err_set(err, v, -1, NULL, "judging "
				    "a complaint");
			if (v == 1 && x->verdict[i] == V_OK) {
				x->verdict[i] = V_GUILTY;
				snprintf(x->why[i], sizeof(x->why[i]), "sent "
				    "member %u a bad sub-share (proved by its "
				    "complaint)", j);
			} else if (v == 0 && x->liar[j] == 0)
				x->liar[j] = i;
		}
	}
	for (j = 1; j <= x->n; j++)
		if (x->liar[j] != 0 && (d = member_as_dealer(x, j)) != 0 &&
		    x->verdict[d] == V_OK) {
			x->verdict[d] = V_LIAR;
			snprintf(x->why[d], sizeof(x->why[d]), "falsely "
			    "accused dealer %u", x->liar[j]);
		}
	return 0;
}

/* Dealers needed: t_old for resharing; a DKG needs t+1 (at least two
 * honest dealers), or all n when n = t. */
static uint32_t
dealers_needed(const struct tx *x)
{
	if (x->reshare)
		return x->old.t;
	return x->cm.t < x->n ? x->cm.t + 1 : x->n;
}

/* The sub-share of dealer i to this node is bad (CCC_E_SHARE). */
static int
subshare_bad(struct ccc_err *err, uint32_t i)
{
	return ccc_err_set(err, CCC_E_SHARE, -1, NULL, "the sub-share of "
	    "dealer %u to this node does not open or does not verify", i);
}

/*
 * The result of dealings S[0..k-1] (checked): the group, and with xj this
 * member's share.  DKG: sums; resharing: Lagrange coefficients at 0 over
 * the old indices, and h must come out unchanged.
 */
int
rs_derive(struct tx *x, const uint8_t *S, uint32_t k, BIGNUM *xj,
    struct ccc_buf *gb, struct ccc_group *g, struct ccc_err *err)
{
	BIGNUM **w = NULL, **y = NULL;
	EC_POINT **A = NULL, **H = NULL, ***Cs = NULL, *gx = NULL;
	uint32_t *xs = NULL, i, t = x->cm.t, n = x->n;
	uint8_t gxe[1][CCC_POINT_BYTES], *sk = NULL, pk[32];
	int rc = CCC_E_NOMEM;

	memset(g, 0, sizeof(*g));
	if ((w = calloc(k, sizeof(*w))) == NULL ||
	    (y = calloc(k, sizeof(*y))) == NULL ||
	    (xs = calloc(k, sizeof(*xs))) == NULL ||
	    (Cs = calloc(k, sizeof(*Cs))) == NULL ||
	    (A = calloc(t, sizeof(*A))) == NULL ||
	    (H = calloc(n, sizeof(*H))) == NULL ||
	    (g->hi = calloc(n, CCC_POINT_BYTES)) == NULL ||
	    (g->m = calloc(n, sizeof(*g->m))) == NULL ||
	    (g->deals = calloc(k, 32)) == NULL ||
	    (gx = EC_POINT_new(x->ec->group)) == NULL ||
	    (sk = sodium_malloc(32)) == NULL)
		goto out;
	for (i = 0; i < k; i++) {
		xs[i] = S[i];
		Cs[i] = x->C[S[i]];
		if ((w[i] = BN_new()) == NULL || (y[i] = BN_secure_new()) ==
		    NULL)
			goto out;
		if (!x->reshare && !BN_one(w[i]))
			goto crypto;
	}
	for (i = 0; i < t; i++)
		if ((A[i] = EC_POINT_new(x->ec->group)) == NULL)
			goto out;
	for (i = 0; i < n; i++)
		if ((H[i] = EC_POINT_new(x->ec->group)) == NULL)
			goto out;
	if ((x->reshare && ccc_tdh2_lagrange(x->ec, w, xs, k) != 0) ||
	    ccc_vss_combine(x->ec, A, Cs, x->reshare ?
	    (const BIGNUM *const *)w : NULL, k, t) != 0)
		goto crypto;
	for (i = 0; i < n; i++)
		if (ccc_vss_eval(x->ec, H[i], A, t, i + 1) != 0)
			goto crypto;
	if (ccc_ec_points_encode(x->ec, gxe, A, 1) != 0 ||
	    ccc_ec_points_encode(x->ec, g->hi, H, n) != 0)
		goto crypto;
	memcpy(g->h, gxe[0], CCC_POINT_BYTES);
	if (x->reshare && memcmp(g->h, x->old.h, CCC_POINT_BYTES) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, "h", "the dealings "
		    "combine to another public key than epoch %llu's",
		    (unsigned long long)x->old.epoch);
		goto out;
	}
	if (xj != NULL) {
		/*
		 * Each sub-share was checked against its dealer's commitments
		 * when this node responded; here only their sum is, against
		 * h_j, which is what the share must match.  Each is checked
		 * again only when the sum fails, to name the dealer.
		 */
		for (i = 0; i < k; i++) {
			if ((rc = ccc_transport_keypair(sk, pk, x->seed,
			    S[i])) != 0)
				goto crypto;
			if (ccc_subshare_open(x->ec, y[i],
			    &x->s[CCC_MSG_DEAL][S[i]].m, NULL, x->me_m,
			    sk) != 0) {
				rc = subshare_bad(err, S[i]);
				goto out;
			}
		}
		if (ccc_vss_sum(x->ec, xj, (const BIGNUM *const *)w, y,
		    k) != 0 || EC_POINT_mul(x->ec->group, gx, xj, NULL, NULL,
		    x->ec->bn) != 1 || ccc_ec_points_encode(x->ec, gxe, &gx,
		    1) != 0)
			goto crypto;
		if (memcmp(gxe[0], g->hi[x->me_m - 1], CCC_POINT_BYTES) != 0) {
			for (i = 0; i < k; i++)
				if (ccc_vss_check(x->ec, x->C[S[i]],
				    x->s[CCC_MSG_DEAL][S[i]].m.t, x->me_m,
				    y[i]) != 0) {
					rc = subshare_bad(err, S[i]);
					goto out;
				}
			rc = ccc_err_set(err, CCC_E_SHARE, -1, NULL, "the new "
			    "share does not match h_%u", x->me_m);
			goto out;
		}
	}
	g->t = t;
	g->n = n;
	g->q = x->cm.q;
	g->epoch = x->cm.epoch;
	memcpy(g->key_id, x->cm.key_id, 32);
	if (ccc_tdh2_gbar(g->gbar, g->key_id) != 0)
		goto crypto;
	memcpy(g->m, x->cm.m, n * sizeof(*g->m));
	memcpy(g->sid, x->cm.sid, 32);
	g->ndealers = k;
	for (i = 0; i < k; i++) {
		g->dealers[i] = S[i];
		memcpy(g->deals[i], x->s[CCC_MSG_DEAL][S[i]].m.digest, 32);
	}
	if ((g->has_prev = x->cm.has_prev))
		memcpy(g->prev, x->cm.prev, 32);
	rc = ccc_group_encode(gb, g);
	goto out;
crypto:
	rc = ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "deriving the group");
out:
	if (rc != 0 && (err == NULL || err->code == 0))
		rc = ccc_err_set(err, rc, -1, NULL, "deriving the group");
	if (y != NULL)
		for (i = 0; i < k; i++)
			BN_clear_free(y[i]);
	if (w != NULL)
		for (i = 0; i < k; i++)
			BN_free(w[i]);
	if (A != NULL)
		for (i = 0; i < t; i++)
			EC_POINT_free(A[i]);
	if (H != NULL)
		for (i = 0; i < n; i++)
			EC_POINT_free(H[i]);
	EC_POINT_clear_free(gx);
	if (sk != NULL)
		sodium_free(sk);
	sodium_memzero(gxe, sizeof(gxe));
	free(w);
	free(y);
	free(xs);
	free(Cs);
	free(A);
	free(H);
	return rc;
}

int
rs_share_blob(struct tx *x, struct ccc_buf *b, const BIGNUM *xj,
    struct ccc_err *err)
{
	struct ccc_share *sh;
	int rc;

	if ((sh = ccc_share_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
	sh->index = x->me_m;
	sh->epoch = x->cm.epoch;
	memcpy(sh->key_id, x->cm.key_id, 32);
	if ((rc = ccc_ec_scalar_encode(sh->x, xj)) != 0 ||
	    (rc = ccc_share_encode(b, sh)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "share");
	ccc_share_free(sh);
	return rc;
}

/* The confirmation of group g (bytes gb) by this member with share xj. */
int
rs_confirm(struct tx *x, const struct ccc_group *g, const struct ccc_buf *gb,
    const BIGNUM *xj, struct ccc_err *err)
{
	uint8_t gsig[CCC_ID_SIG_BYTES], pop[CCC_VSS_PROOF_BYTES], ctx[33];
	struct ccc_buf body;
	int rc;

	ccc_buf_init(&body, 0);
	ccc_dkg_proof_ctx(ctx, x->cm.sid, x->me_m);
	if ((rc = ccc_identity_sign_digest(gsig, x->st.id,
	    CCC_GROUP_SIG_PURPOSE, g->digest)) != 0 ||
	    (rc = ccc_schnorr_prove(x->ec, pop, xj, g->hi[x->me_m - 1],
	    CCC_DKG_POP_TAG, ctx, sizeof(ctx))) != 0 ||
	    (rc = ccc_confirm_encode(&body, x->cm.sid, x->cm.epoch, x->me_m,
	    gb->p, gb->len, gsig, pop)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "confirm");
	else
		rc = rs_emit(x, CCC_MSG_CONFIRM, x->me_m, &body, err);
	ccc_buf_free(&body);
	return rc;
}

static int
step_confirm(struct tx *x, struct ccc_err *err)
{
	struct ccc_group g;
	struct ccc_buf gb, sb;
	BIGNUM *xj = NULL;
	uint8_t S[CCC_DKG_MAX_N];
	uint32_t i, j, k = 0, need;
	bool waiting = false;
	int rc;

	memset(&g, 0, sizeof(g));
	if (x->me_m == 0 || !x->s[CCC_MSG_RESPOND][x->me_m].have ||
	    x->s[CCC_MSG_CONFIRM][x->me_m].have)
		return 0;
	/* Every member that accepted is expected to respond. */
	for (j = 1; j <= x->n; j++)
		if (x->s[CCC_MSG_ACCEPT][j].have &&
		    !x->s[CCC_MSG_RESPOND][j].have)
			waiting = true;
	if (waiting && x->now < ccc_committee_deadline(&x->cm, 3))
		return 0;
	if ((rc = rs_qualify(x, err)) != 0)
		return rc;
	need = dealers_needed(x);
	for (i = 1; i <= x->D; i++)
		if (x->verdict[i] == V_OK && (!x->reshare || k < need))
			S[k++] = (uint8_t)i;	/* resharing: the t lowest */
	if (k < need)
		return ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL, "only %u "
		    "qualified dealers, %u needed: abort this attempt "
		    "(ccc-share abort) and retry", k, need);
	/* Not dealt to (accepted too late): this node cannot confirm; it
	 * stays at its epoch and status says so. */
	for (i = 0; i < k; i++)
		if (sodium_is_zero(x->s[CCC_MSG_DEAL][S[i]].m.enc[x->me_m - 1],
		    32))
			return 0;
	ccc_buf_init(&gb, 0);
	ccc_buf_init(&sb, 1);
	if ((xj = BN_secure_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
		goto out;
	}
	if ((rc = rs_derive(x, S, k, xj, &gb, &g, err)) != 0)
		goto out;
	/*
	 * The new share is durable before anyone is told it exists.  A
	 * pending share left by a crash before the confirmation was never
	 * announced, so it may be replaced (messages may have come since).
	 */
	if ((rc = rs_share_blob(x, &sb, xj, err)) != 0 ||
	    (rc = ccc_keystate_put(&x->st, sb.p, sb.len, CCC_OUT_SECRET |
	    CCC_OUT_FORCE, err, "pending/share.cbor")) != 0 ||
	    (rc = ccc_keystate_put(&x->st, gb.p, gb.len, CCC_OUT_FORCE, err,
	    "pending/group.cbor")) != 0)
		goto out;
	ccc_keystate_crash(&x->st, "share");
	rc = rs_confirm(x, &g, &gb, xj, err);
out:
	BN_clear_free(xj);
	ccc_group_free(&g);
	ccc_buf_free(&gb);
	ccc_buf_free(&sb);
	return rc;
}

/* ---- the entry points ---------------------------------------------------- */

int
rs_run(struct tx *x, struct ccc_err *err)
{
	int rc;

	/* Killed after the commit point: only the cleanup is left. */
	if (x->pending && x->has_cur && x->cur >= x->cm.epoch &&
	    (rc = rs_finish(x, err)) != 0)
		return rc;
	if ((rc = rs_intake(x, err)) != 0)
		return rc;
	if (x->pending && (rc = rs_try_commit(x, err)) != 0)
		return rc;
	if (x->pending && ((rc = step_accept(x, err)) != 0 ||
	    (rc = step_deal(x, err)) != 0 ||
	    (rc = step_respond(x, err)) != 0 ||
	    (rc = step_confirm(x, err)) != 0 ||
	    (rc = rs_try_commit(x, err)) != 0))
		return rc;
	if (x->pending && (rc = rs_resend(x, err)) != 0)
		return rc;
	return rs_erase_old(x, err);
}

int
ccc_node_advance(const struct ccc_node_opts *o, struct ccc_err *err)
{
	struct tx x;
	int rc;

	if ((rc = rs_tx_open(&x, o, CCC_KEYSTATE_EXCLUSIVE, err)) == 0)
		rc = rs_run(&x, err);
	rs_tx_close(&x);
	return rc;
}
