/*
 * The transition engine behind ccc-share dkg, reshare, advance, status and
 * abort: one DKG or resharing at a time, driven by the files in the node's
 * state directory (lib/state.h), each step idempotent.
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
#include "dkg.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "state.h"

/* A received or own message of the pending transition. */
struct slot {
	struct ccc_buf raw;
	struct ccc_msg m;
	bool have, equiv;	/* equiv: a second, different message seen */
};

/* Verdicts on a dealer, from qualify(). */
enum { V_MISSING, V_BAD, V_EQUIV, V_GUILTY, V_LIAR, V_OK };

struct tx {
	struct ccc_keystate st;
	struct ccc_ec *ec;
	const struct ccc_node_opts *o;
	uint64_t now;
	bool has_cur, pending, reshare, has_seed;
	uint64_t cur;
	struct ccc_committee cm;
	struct ccc_group old;		/* resharing: the group dealt from */
	uint32_t D, n;			/* dealers, new members */
	const struct ccc_dkg_member *dm;	/* dealer identities */
	uint32_t me_d, me_m;		/* my dealer and member index, or 0 */
	struct slot *s[CCC_MSG_NKINDS];	/* [kind][1..max(D, n)] */
	EC_POINT ***C;			/* [dealer]: checked commitments */
	int *checked;			/* [dealer]: 0 not yet, 1 ok, -1 bad */
	char (*why)[160];		/* [dealer]: why it is excluded */
	int *verdict;			/* [dealer] */
	uint32_t *liar;			/* [member]: dealer falsely accused */
	uint8_t *seed;			/* 32 bytes, sodium_malloc */
	char sid8[9];
};

static void CCC_PRINTF(2, 3)
say(const struct tx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->o->log == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(x->o->log, fmt, ap);
	va_end(ap);
	fputc('\n', x->o->log);
}

static const char *
utc(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%llu", (unsigned long long)t);
	return buf;
}

static const char *
member_label(const struct tx *x, uint32_t j, char *buf, size_t len)
{
	return ccc_dkg_member_label(&x->cm.m[j - 1], j, buf, len);
}

static const char *
dealer_label(const struct tx *x, uint32_t i, char *buf, size_t len)
{
	return ccc_dkg_member_label(&x->dm[i - 1], i, buf, len);
}

/* ---- loading -------------------------------------------------------- */

static void
tx_free_pending(struct tx *x)
{
	uint32_t i, k, max = x->D > x->n ? x->D : x->n;

	for (k = 0; k < CCC_MSG_NKINDS; k++) {
		if (x->s[k] == NULL)
			continue;
		for (i = 0; i <= max; i++) {
			ccc_msg_free(&x->s[k][i].m);
			ccc_buf_free(&x->s[k][i].raw);
		}
		free(x->s[k]);
		x->s[k] = NULL;
	}
	if (x->C != NULL) {
		for (i = 0; i <= x->D; i++) {
			if (x->C[i] == NULL)
				continue;
			for (k = 0; k < x->cm.t; k++)
				EC_POINT_free(x->C[i][k]);
			free(x->C[i]);
		}
		free(x->C);
		x->C = NULL;
	}
	free(x->checked);
	free(x->why);
	free(x->verdict);
	free(x->liar);
	x->checked = x->verdict = NULL;
	x->why = NULL;
	x->liar = NULL;
	if (x->seed != NULL)
		sodium_free(x->seed);
	x->seed = NULL;
	x->has_seed = false;
	ccc_committee_free(&x->cm);
	ccc_group_free(&x->old);
	x->pending = false;
}

static void
tx_close(struct tx *x)
{
	tx_free_pending(x);
	ccc_keystate_close(&x->st);
}

/* The group of an epoch this node holds. */
static int
load_group(struct tx *x, struct ccc_group *g, uint64_t e, struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_keystate_read(&x->st, &b, false, err,
	    "epochs/%llu/group.cbor", (unsigned long long)e)) == 0)
		rc = ccc_group_load(x->ec, g, b.p, b.len, err);
	ccc_buf_free(&b);
	return rc;
}

static int
load_share(struct tx *x, struct ccc_share *sh, uint64_t e,
    struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 1);
	if ((rc = ccc_keystate_read(&x->st, &b, true, err,
	    "epochs/%llu/share.cbor", (unsigned long long)e)) == 0)
		rc = ccc_share_load(sh, b.p, b.len, err);
	ccc_buf_free(&b);
	return rc;
}

/* "deal-3.cbor" -> kind, index; equiv for "deal-3.equiv.cbor". */
static bool
parse_msg_name(const char *name, int *kind, uint32_t *i, bool *equiv)
{
	char tail[16];
	unsigned v;
	int k, n;

	for (k = 0; k < CCC_MSG_NKINDS; k++) {
		size_t l = strlen(ccc_msg_kind_name[k]);
		if (strncmp(name, ccc_msg_kind_name[k], l) != 0 ||
		    name[l] != '-')
			continue;
		if (sscanf(name + l + 1, "%3u%15s%n", &v, tail, &n) != 2 ||
		    name[l + 1 + n] != '\0' || v < 1 || v > CCC_DKG_MAX_N)
			return false;
		if (strcmp(tail, ".cbor") == 0)
			*equiv = false;
		else if (strcmp(tail, ".equiv.cbor") == 0)
			*equiv = true;
		else
			return false;
		*kind = k;
		*i = v;
		return true;
	}
	return false;
}

static uint32_t
slot_max(const struct tx *x, int kind)
{
	return kind == CCC_MSG_DEAL ? x->D : x->n;
}

static int
load_msgs(struct tx *x, struct ccc_err *err)
{
	char **names;
	size_t nn, k;
	uint32_t i;
	int kind, rc;
	bool equiv;

	if ((rc = ccc_keystate_list(&x->st, "pending/msgs", &names, &nn,
	    err)) != 0)
		return rc;
	for (k = 0; k < nn && rc == 0; k++) {
		struct slot *s;
		if (!parse_msg_name(names[k], &kind, &i, &equiv) ||
		    i > slot_max(x, kind))
			continue;
		s = &x->s[kind][i];
		if (equiv) {
			s->equiv = true;
			continue;
		}
		if ((rc = ccc_keystate_read(&x->st, &s->raw, false, err,
		    "pending/msgs/%s", names[k])) != 0 ||
		    (rc = ccc_msg_decode(&s->m, s->raw.p, s->raw.len,
		    err)) != 0)
			break;
		s->have = true;
	}
	ccc_keystate_names_free(names, nn);
	return rc;
}

static int
load_pending(struct tx *x, struct ccc_err *err)
{
	struct ccc_buf b;
	uint8_t sid[32];
	uint32_t k, max;
	int rc;

	ccc_buf_init(&b, 1);
	if ((rc = ccc_keystate_read(&x->st, &b, false, err,
	    "pending/committee.cbor")) != 0 ||
	    (rc = ccc_committee_load(&x->cm, b.p, b.len, err)) != 0)
		goto out;
	x->pending = true;
	x->reshare = x->cm.has_prev;
	x->n = x->cm.n;
	sodium_bin2hex(x->sid8, sizeof(x->sid8), x->cm.sid, 4);
	x->me_m = ccc_committee_find(&x->cm, x->st.id->id);
	if (x->reshare) {
		ccc_buf_reset(&b);
		if ((rc = ccc_keystate_read(&x->st, &b, false, err,
		    "pending/prev-group.cbor")) != 0 ||
		    (rc = ccc_group_load(x->ec, &x->old, b.p, b.len,
		    err)) != 0)
			goto out;
		x->D = x->old.n;
		x->dm = x->old.m;
		x->me_d = ccc_group_find(&x->old, x->st.id->id);
		/* Only a holder of the old share can deal it. */
		if (x->me_d != 0 && !ccc_keystate_exists(&x->st,
		    "epochs/%llu/share.cbor", (unsigned long long)x->old.epoch))
			x->me_d = 0;
	} else {
		x->D = x->n;
		x->dm = x->cm.m;
		x->me_d = x->me_m;
	}
	max = x->D > x->n ? x->D : x->n;
	for (k = 0; k < CCC_MSG_NKINDS; k++)
		if ((x->s[k] = calloc(max + 1, sizeof(struct slot))) == NULL)
			goto nomem;
	if ((x->C = calloc(x->D + 1, sizeof(*x->C))) == NULL ||
	    (x->checked = calloc(x->D + 1, sizeof(int))) == NULL ||
	    (x->why = calloc(x->D + 1, sizeof(*x->why))) == NULL ||
	    (x->verdict = calloc(x->D + 1, sizeof(int))) == NULL ||
	    (x->liar = calloc(x->n + 1, sizeof(uint32_t))) == NULL ||
	    (x->seed = sodium_malloc(32)) == NULL)
		goto nomem;
	for (k = 0; k <= max; k++) {
		uint32_t kind;
		for (kind = 0; kind < CCC_MSG_NKINDS; kind++)
			ccc_buf_init(&x->s[kind][k].raw, 0);
	}
	if (ccc_keystate_exists(&x->st, "pending/transport.key")) {
		ccc_buf_reset(&b);
		if ((rc = ccc_keystate_read(&x->st, &b, true, err,
		    "pending/transport.key")) != 0 ||
		    (rc = ccc_transport_load(sid, x->seed, b.p, b.len,
		    err)) != 0)
			goto out;
		if (memcmp(sid, x->cm.sid, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_STATE, -1, NULL,
			    "%s/pending/transport.key belongs to another "
			    "transition", x->st.dir);
			goto out;
		}
		x->has_seed = true;
	}
	rc = load_msgs(x, err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "transition");
out:
	ccc_buf_free(&b);
	return rc;
}

static int
tx_open(struct tx *x, const struct ccc_node_opts *o, int mode,
    struct ccc_err *err)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->o = o;
	x->now = o->now != 0 ? o->now : ccc_keystate_now();
	if ((x->ec = ccc_ec_default()) == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	if ((rc = ccc_keystate_open(&x->st, o->dir, mode, err)) != 0)
		return rc;
#ifdef CCC_TEST_HOOKS
	x->st.crash_at = o->crash_at;
#endif
	if ((rc = ccc_keystate_current(&x->st, &x->cur, &x->has_cur, err)) != 0)
		return rc;
	if (ccc_keystate_exists(&x->st, "pending/committee.cbor"))
		return load_pending(x, err);
	/* What a crash in start, finish or abort left of pending/. */
	if (mode == CCC_KEYSTATE_EXCLUSIVE &&
	    ccc_keystate_exists(&x->st, "pending"))
		return ccc_keystate_rmtree(&x->st, err, "pending");
	return 0;
}

/* ---- own messages and the spools ---------------------------------------- */

static int
out_name(char *buf, size_t len, uint64_t epoch, const char *sid8, int kind,
    uint32_t i)
{
	int n = snprintf(buf, len, "out/e%llu-%s-%s-%u.cbor",
	    (unsigned long long)epoch, sid8, ccc_msg_kind_name[kind], i);

	return n > 0 && (size_t)n < len ? 0 : CCC_E_INTERNAL;
}

/* Sign a body, store it durably as ours, then hand it to the transport. */
static int
emit(struct tx *x, int kind, uint32_t i, const struct ccc_buf *body,
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
	if ((rc = out_name(name, sizeof(name), x->cm.epoch, x->sid8, kind,
	    i)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "out name");
	say(x, "sent %s %u for epoch %llu", ccc_msg_kind_name[kind], i,
	    (unsigned long long)x->cm.epoch);
	return ccc_keystate_put(&x->st, sl->raw.p, sl->raw.len, 0, err, "%s",
	    name);
}

/* Put every own message back in out/ if the transport took it away. */
static int
resend(struct tx *x, struct ccc_err *err)
{
	char name[128];
	int kind, rc;
	uint32_t i;

	for (kind = 0; kind < CCC_MSG_NKINDS; kind++) {
		i = kind == CCC_MSG_DEAL ? x->me_d : x->me_m;
		if (i == 0 || !x->s[kind][i].have)
			continue;
		if ((rc = out_name(name, sizeof(name), x->cm.epoch, x->sid8,
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

/* Keep the first message of each sender and round; a different second
 * one is evidence of equivocation and excludes its sender. */
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
		if ((rc = ccc_keystate_put(&x->st, raw->p, raw->len, 0, err,
		    "pending/msgs/%s-%u.equiv.cbor", kind, m->from)) != 0)
			return rc;
		s->equiv = true;
		ccc_cli_warn("%s %s sent two different messages: excluded",
		    kind, m->kind == CCC_MSG_DEAL ? dealer_label(x, m->from,
		    who, sizeof(who)) : member_label(x, m->from, who,
		    sizeof(who)));
		return 0;
	}
	if ((rc = ccc_keystate_put(&x->st, raw->p, raw->len, 0, err,
	    "pending/msgs/%s-%u.cbor", kind, m->from)) != 0)
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
	    load_group(x, &g, x->cur, NULL) != 0 ||
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
		say(x, "member %u joined the certificate of epoch %llu",
		    m->from, (unsigned long long)x->cur);
out:
	EC_POINT_free(hj);
	free(cert);
	ccc_group_free(&g);
	ccc_group_free(&mg);
	ccc_buf_free(&b);
}

static int
intake(struct tx *x, struct ccc_err *err)
{
	struct ccc_buf raw;
	struct ccc_msg m;
	struct ccc_err e;
	char **names, path[4200];
	size_t nn, k;
	int rc = 0;

	if ((rc = ccc_keystate_list(&x->st, "in", &names, &nn, err)) != 0)
		return rc;
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
			else if ((rc = store(x, &m, &raw, err)) == 0)
				(void)unlink(path);
		} else if (x->has_cur && m.epoch <= x->cur) {
			if (m.epoch == x->cur)
				late_confirm(x, &m);
			(void)unlink(path);	/* of a finished transition */
		}
		/* Else a future transition's: it waits in in/. */
		ccc_msg_free(&m);
	}
	ccc_buf_free(&raw);
	ccc_keystate_names_free(names, nn);
	return rc;
}

/* ---- the rounds --------------------------------------------------------- */

static uint32_t
count_have(const struct tx *x, int kind)
{
	uint32_t i, c = 0;

	for (i = 1; i <= slot_max(x, kind); i++)
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
	rc = emit(x, CCC_MSG_ACCEPT, x->me_m, &body, err);
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
	if ((rc = load_share(x, sh, x->old.epoch, err)) != 0 ||
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
	if (count_have(x, CCC_MSG_ACCEPT) < x->n &&
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
	rc = emit(x, CCC_MSG_DEAL, x->me_d, &body, err);
out:
	BN_clear_free(secret);
	free(keys);
	ccc_buf_free(&body);
	return rc;
}

/* The public checks of dealer i's dealing, once; false if excluded. */
static bool
deal_ok(struct tx *x, uint32_t i)
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
	if (count_have(x, CCC_MSG_DEAL) < x->D &&
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
		if (!deal_ok(x, i))
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
	rc = emit(x, CCC_MSG_RESPOND, x->me_m, &body, err);
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
static int
qualify(struct tx *x, struct ccc_err *err)
{
	const struct ccc_complaint *c;
	const struct ccc_msg *r;
	uint32_t i, j, k, d;
	int v;

	for (i = 1; i <= x->D; i++)
		x->verdict[i] = !x->s[CCC_MSG_DEAL][i].have ? V_MISSING :
		    deal_ok(x, i) ? V_OK : x->s[CCC_MSG_DEAL][i].equiv ?
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

/*
 * The result of dealings S[0..k-1] (checked): the group, and with xj this
 * member's share.  DKG: sums; resharing: Lagrange coefficients at 0 over
 * the old indices, and h must come out unchanged.
 */
static int
derive(struct tx *x, const uint8_t *S, uint32_t k, BIGNUM *xj,
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
	    ccc_vss_combine(x->ec, A, Cs, (const BIGNUM *const *)w, k,
	    t) != 0)
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
		for (i = 0; i < k; i++) {
			if ((rc = ccc_transport_keypair(sk, pk, x->seed,
			    S[i])) != 0)
				goto crypto;
			if (ccc_subshare_open(x->ec, y[i],
			    &x->s[CCC_MSG_DEAL][S[i]].m, x->C[S[i]], x->me_m,
			    sk) != 0) {
				rc = ccc_err_set(err, CCC_E_SHARE, -1, NULL,
				    "the sub-share of dealer %u to this node "
				    "does not open or does not verify", S[i]);
				goto out;
			}
		}
		if (ccc_vss_sum(x->ec, xj, (const BIGNUM *const *)w, y,
		    k) != 0 || EC_POINT_mul(x->ec->group, gx, xj, NULL, NULL,
		    x->ec->bn) != 1 || ccc_ec_points_encode(x->ec, gxe, &gx,
		    1) != 0)
			goto crypto;
		if (memcmp(gxe[0], g->hi[x->me_m - 1], CCC_POINT_BYTES) != 0) {
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

static int
share_blob(struct tx *x, struct ccc_buf *b, const BIGNUM *xj,
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
static int
confirm(struct tx *x, const struct ccc_group *g, const struct ccc_buf *gb,
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
		rc = emit(x, CCC_MSG_CONFIRM, x->me_m, &body, err);
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
	if ((rc = qualify(x, err)) != 0)
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
	if ((rc = derive(x, S, k, xj, &gb, &g, err)) != 0)
		goto out;
	/*
	 * The new share is durable before anyone is told it exists.  A
	 * pending share left by a crash before the confirmation was never
	 * announced, so it may be replaced (messages may have come since).
	 */
	if ((rc = share_blob(x, &sb, xj, err)) != 0 ||
	    (rc = ccc_keystate_put(&x->st, sb.p, sb.len, CCC_OUT_SECRET |
	    CCC_OUT_FORCE, err, "pending/share.cbor")) != 0 ||
	    (rc = ccc_keystate_put(&x->st, gb.p, gb.len, CCC_OUT_FORCE, err,
	    "pending/group.cbor")) != 0)
		goto out;
	ccc_keystate_crash(&x->st, "share");
	rc = confirm(x, &g, &gb, xj, err);
out:
	BN_clear_free(xj);
	ccc_group_free(&g);
	ccc_buf_free(&gb);
	ccc_buf_free(&sb);
	return rc;
}

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
static int
finish(struct tx *x, struct ccc_err *err)
{
	unsigned long long e = x->cm.epoch;
	char to[64];
	int rc;

	/* A message stored but not yet handed over would be lost with
	 * pending/: a confirmation others may still need, for instance. */
	if ((rc = resend(x, err)) != 0)
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
	tx_free_pending(x);
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
		    !deal_ok(x, G->dealers[k]) ||
		    sodium_is_zero(s->m.enc[x->me_m - 1], 32))
			goto out;	/* not (yet) able to catch up */
	}
	ccc_buf_reset(&b);
	if ((rc = derive(x, G->dealers, G->ndealers, xj, &b, &g2, err)) != 0)
		goto out;
	if (memcmp(g2.digest, G->digest, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the certified "
		    "group of epoch %llu does not follow from its dealings",
		    (unsigned long long)G->epoch);
		goto out;
	}
	say(x, "caught up with the certified group of epoch %llu",
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
static int
try_commit(struct tx *x, struct ccc_err *err)
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
		if ((rc = share_blob(x, &sb, xj, err)) != 0)
			goto out;
		if (!x->s[CCC_MSG_CONFIRM][x->me_m].have) {
			/* Caught up: tell the others, for their certificate. */
			if ((rc = confirm(x, &G, &gb, xj, err)) != 0)
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
	say(x, "committed epoch %llu (%u of %u confirmations)", e,
	    cert->nsigs, x->n);
	rc = finish(x, err);
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
static bool
committed_at(struct tx *x, uint64_t e, uint64_t *t, uint64_t *grace)
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
static int
epoch_dirs(struct tx *x, uint64_t **es, size_t *n, struct ccc_err *err)
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
static int
erase_old(struct tx *x, struct ccc_err *err)
{
	uint64_t t0, grace, *es = NULL;
	unsigned long long k;
	char **names;
	size_t n, i;
	int rc;

	if (!x->has_cur || !committed_at(x, x->cur, &t0, &grace) ||
	    x->now < t0 + grace)
		return 0;
	if ((rc = epoch_dirs(x, &es, &n, err)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		if (es[i] >= x->cur || !ccc_keystate_exists(&x->st,
		    "epochs/%llu/share.cbor", (unsigned long long)es[i]))
			continue;
		ccc_keystate_crash(&x->st, "erase");
		if ((rc = ccc_keystate_erase(&x->st, err,
		    "epochs/%llu/share.cbor", (unsigned long long)es[i])) == 0)
			say(x, "erased the share of epoch %llu",
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

/* ---- the entry points ---------------------------------------------------- */

static int
run(struct tx *x, struct ccc_err *err)
{
	int rc;

	/* Killed after the commit point: only the cleanup is left. */
	if (x->pending && x->has_cur && x->cur >= x->cm.epoch &&
	    (rc = finish(x, err)) != 0)
		return rc;
	if ((rc = intake(x, err)) != 0)
		return rc;
	if (x->pending && (rc = try_commit(x, err)) != 0)
		return rc;
	if (x->pending && ((rc = step_accept(x, err)) != 0 ||
	    (rc = step_deal(x, err)) != 0 ||
	    (rc = step_respond(x, err)) != 0 ||
	    (rc = step_confirm(x, err)) != 0 ||
	    (rc = try_commit(x, err)) != 0))
		return rc;
	if (x->pending && (rc = resend(x, err)) != 0)
		return rc;
	return erase_old(x, err);
}

int
ccc_node_advance(const struct ccc_node_opts *o, struct ccc_err *err)
{
	struct tx x;
	int rc;

	if ((rc = tx_open(&x, o, CCC_KEYSTATE_EXCLUSIVE, err)) == 0)
		rc = run(&x, err);
	tx_close(&x);
	return rc;
}

/* Check a committee against this node before taking part. */
static int
start_check(struct tx *x, const struct ccc_committee *cm, bool dkg,
    struct ccc_buf *oldb, struct ccc_err *err)
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
		return 0;
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
	} else if ((rc = ccc_op_read(oldb, x->o->group, CCC_DKG_MSG_MAX,
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
	ccc_group_free(&og);
	return rc;
}

int
ccc_node_start(const struct ccc_node_opts *o, bool dkg, struct ccc_err *err)
{
	struct ccc_committee cm;
	struct ccc_buf cb, ob;
	struct tx x;
	int rc;

	memset(&cm, 0, sizeof(cm));
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&ob, 0);
	if ((rc = tx_open(&x, o, CCC_KEYSTATE_EXCLUSIVE, err)) != 0)
		goto out;
	if (x.pending) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "a transition to "
		    "epoch %llu (attempt %u) is under way: let it finish or "
		    "run ccc-share abort", (unsigned long long)x.cm.epoch,
		    x.cm.attempt);
		goto out;
	}
	if ((rc = ccc_op_read(&cb, o->committee, CCC_DKG_MSG_MAX, false,
	    err)) != 0)
		goto out;
	if ((rc = ccc_committee_load(&cm, cb.p, cb.len, err)) != 0) {
		(void)ccc_err_what(err, o->committee);
		goto out;
	}
	if ((rc = start_check(&x, &cm, dkg, &ob, err)) != 0) {
		if (rc != CCC_E_STATE && rc != CCC_E_USAGE && rc != CCC_E_IO)
			(void)ccc_err_what(err, o->committee);
		goto out;
	}
	/* A partial pending/ from a crash here is removed by the next open. */
	if ((ob.len > 0 && (rc = ccc_keystate_put(&x.st, ob.p, ob.len, 0, err,
	    "pending/prev-group.cbor")) != 0) ||
	    (rc = ccc_keystate_put(&x.st, cb.p, cb.len, 0, err,
	    "pending/committee.cbor")) != 0)
		goto out;
	ccc_keystate_crash(&x.st, "start");
	if ((rc = load_pending(&x, err)) == 0)
		rc = run(&x, err);
out:
	tx_close(&x);
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

	if ((rc = tx_open(&x, o, CCC_KEYSTATE_EXCLUSIVE, err)) != 0)
		goto out;
	if (!x.pending) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s: no "
		    "transition under way", x.st.dir);
		goto out;
	}
	/* Only pending/ and our unsent messages: epochs/ is never touched. */
	for (kind = 0; kind < CCC_MSG_NKINDS; kind++) {
		i = kind == CCC_MSG_DEAL ? x.me_d : x.me_m;
		if (i != 0 && out_name(name, sizeof(name), x.cm.epoch, x.sid8,
		    kind, i) == 0 && ccc_keystate_erase(&x.st, err, "%s",
		    name) != 0)
			goto out;
	}
	say(&x, "aborted the transition to epoch %llu (attempt %u)",
	    (unsigned long long)x.cm.epoch, x.cm.attempt);
	if ((rc = ccc_keystate_erase(&x.st, err,
	    "pending/transport.key")) == 0 &&
	    (rc = ccc_keystate_erase(&x.st, err, "pending/share.cbor")) == 0 &&
	    (rc = ccc_keystate_erase(&x.st, err,
	    "pending/committee.cbor")) == 0)
		rc = ccc_keystate_rmtree(&x.st, err, "pending");
out:
	tx_close(&x);
	return rc;
}

/* ---- status -------------------------------------------------------------- */

/* "waiting for: KIND from A, B until T" when some of want lack a message. */
static void
waiting(FILE *f, const struct tx *x, int kind, const bool *want,
    uint64_t deadline)
{
	char who[96], t[32];
	uint32_t i, max = slot_max(x, kind), c = 0;

	for (i = 1; i <= max; i++) {
		if (!want[i] || x->s[kind][i].have)
			continue;
		fprintf(f, "%s%s", c++ ? ", " : "waiting for: ",
		    kind == CCC_MSG_DEAL ? dealer_label(x, i, who,
		    sizeof(who)) : member_label(x, i, who, sizeof(who)));
	}
	if (c == 0)
		return;
	fprintf(f, " (%s) %s %s\n", ccc_msg_kind_name[kind],
	    x->now < deadline ? "until" : "deadline passed at",
	    utc(deadline, t, sizeof(t)));
}

static void
status_pending(FILE *f, struct tx *x)
{
	static const char *const vname[] = { "missing", "bad", "equivocated",
	    "convicted", "convicted", "ok" };
	bool *want;
	char who[96];
	uint32_t i, max = x->D > x->n ? x->D : x->n, c = 0;
	const char *phase;
	int kind = -1;
	uint64_t dl = 0;

	fprintf(f, "transition: epoch %llu attempt %u, ",
	    (unsigned long long)x->cm.epoch, x->cm.attempt);
	if (x->reshare)
		fprintf(f, "reshare %u of %u -> %u of %u\n", x->old.t,
		    x->old.n, x->cm.t, x->n);
	else
		fprintf(f, "dkg %u of %u\n", x->cm.t, x->n);
	fprintf(f, "session: %s\n", x->sid8);
	fprintf(f, "roles:");
	if (x->me_d)
		fprintf(f, " dealer %u", x->me_d);
	if (x->me_m)
		fprintf(f, " member %u", x->me_m);
	fprintf(f, "%s\n", x->me_d || x->me_m ? "" : " none");
	if ((want = calloc(max + 1, sizeof(*want))) == NULL)
		return;
	if (x->has_cur && x->cur >= x->cm.epoch) {
		phase = "committed (cleanup at the next advance)";
	} else if (x->me_m && !x->s[CCC_MSG_ACCEPT][x->me_m].have) {
		phase = "accept (run advance)";
	} else if (x->me_d && !x->s[CCC_MSG_DEAL][x->me_d].have) {
		phase = "deal";
		kind = CCC_MSG_ACCEPT;
		dl = ccc_committee_deadline(&x->cm, 1);
		for (i = 1; i <= x->n; i++)
			want[i] = true;
	} else if (x->me_m && !x->s[CCC_MSG_RESPOND][x->me_m].have) {
		phase = "respond";
		kind = CCC_MSG_DEAL;
		dl = ccc_committee_deadline(&x->cm, 2);
		for (i = 1; i <= x->D; i++)
			want[i] = true;
	} else if (x->me_m && !x->s[CCC_MSG_CONFIRM][x->me_m].have) {
		phase = "confirm";
		kind = CCC_MSG_RESPOND;
		dl = ccc_committee_deadline(&x->cm, 3);
		for (i = 1; i <= x->n; i++)
			want[i] = x->s[CCC_MSG_ACCEPT][i].have;
	} else {
		phase = "commit";
		kind = CCC_MSG_CONFIRM;
		dl = ccc_committee_deadline(&x->cm, 4);
		for (i = 1; i <= x->n; i++)
			want[i] = true;
	}
	fprintf(f, "phase: %s\n", phase);
	if (kind == CCC_MSG_CONFIRM)
		fprintf(f, "confirmations: %u of the %u needed\n",
		    count_have(x, CCC_MSG_CONFIRM), x->cm.q);
	if (kind >= 0)
		waiting(f, x, kind, want, dl);
	if (kind == CCC_MSG_CONFIRM && x->now >= dl)
		fprintf(f, "stalled: no certificate by the last deadline; "
		    "ccc-share abort ends this attempt\n");
	free(want);
	/* Dealt to too late: this member cannot join this epoch. */
	for (i = 1; x->me_m != 0 && i <= x->D; i++)
		if (x->s[CCC_MSG_DEAL][i].have && sodium_is_zero(
		    x->s[CCC_MSG_DEAL][i].m.enc[x->me_m - 1], 32))
			fprintf(f, "%s%u", c++ ? ", " : "not dealt to by "
			    "dealers: ", i);
	if (c > 0)
		fprintf(f, " (accepted too late: this node stays at its "
		    "epoch)\n");
	/* Verdicts, once responses are in. */
	if (count_have(x, CCC_MSG_RESPOND) == 0 || qualify(x, NULL) != 0)
		return;
	for (i = 1; i <= x->D; i++)
		if (x->verdict[i] != V_OK && x->verdict[i] != V_MISSING)
			fprintf(f, "excluded: dealer %s: %s: %s\n",
			    dealer_label(x, i, who, sizeof(who)),
			    vname[x->verdict[i]], x->why[i]);
	for (i = 1; i <= x->n; i++)
		if (x->liar[i])
			fprintf(f, "convicted: member %s: false complaint "
			    "against dealer %u\n", member_label(x, i, who,
			    sizeof(who)), x->liar[i]);
}

static void
status_current(FILE *f, struct tx *x)
{
	struct ccc_group g;
	struct ccc_group_cert cert;
	struct ccc_buf b;
	uint64_t t0, grace, *es = NULL;
	char who[96], t[32];
	uint32_t me, i, k, c = 0;
	size_t n, j;
	bool in;

	if (load_group(x, &g, x->cur, NULL) != 0) {
		fprintf(f, "epoch: %llu (group unreadable)\n",
		    (unsigned long long)x->cur);
		return;
	}
	me = ccc_group_find(&g, x->st.id->id);
	fprintf(f, "epoch: %llu\n", (unsigned long long)x->cur);
	fprintf(f, "key: %s, %u of %u\n", ccc_short_id(g.key_id), g.t, g.n);
	if (me != 0)
		fprintf(f, "member: %u\n", me);
	else
		fprintf(f, "member: none (left the committee)\n");
	fprintf(f, "share: %s\n", ccc_keystate_exists(&x->st,
	    "epochs/%llu/share.cbor", (unsigned long long)x->cur) ? "yes" :
	    "none");
	ccc_buf_init(&b, 0);
	if (ccc_keystate_read(&x->st, &b, false, NULL, "epochs/%llu/cert.cbor",
	    (unsigned long long)x->cur) == 0 &&
	    ccc_group_cert_load(&cert, b.p, b.len, NULL) == 0) {
		fprintf(f, "certified by: %u of %u\n", cert.nsigs, g.n);
		for (i = 1; i <= g.n; i++) {
			for (in = false, k = 0; k < cert.nsigs; k++)
				in |= cert.idx[k] == i;
			if (!in)
				fprintf(f, "%s%s", c++ ? ", " : "deferred: ",
				    ccc_dkg_member_label(&g.m[i - 1], i, who,
				    sizeof(who)));
		}
		if (c > 0)
			fputc('\n', f);
	}
	ccc_buf_free(&b);
	if (epoch_dirs(x, &es, &n, NULL) == 0) {
		bool timed = committed_at(x, x->cur, &t0, &grace);
		for (j = 0; j < n; j++)
			if (es[j] < x->cur && ccc_keystate_exists(&x->st,
			    "epochs/%llu/share.cbor",
			    (unsigned long long)es[j]))
				fprintf(f, "old share: epoch %llu, erased at "
				    "the first advance after %s\n",
				    (unsigned long long)es[j], timed ?
				    utc(t0 + grace, t, sizeof(t)) : "?");
		free(es);
	}
	ccc_group_free(&g);
}

int
ccc_node_status(const struct ccc_node_opts *o, FILE *f, struct ccc_err *err)
{
	char **names;
	size_t n;
	struct tx x;
	int rc;

	if ((rc = tx_open(&x, o, CCC_KEYSTATE_SHARED, err)) != 0)
		goto out;
	fprintf(f, "node: %s%s%s%s\n", ccc_short_id(x.st.id->id),
	    x.st.id->name[0] ? " (" : "", x.st.id->name,
	    x.st.id->name[0] ? ")" : "");
	if (x.has_cur)
		status_current(f, &x);
	else
		fprintf(f, "epoch: none\n");
	if (x.pending)
		status_pending(f, &x);
	else
		fprintf(f, "transition: none\n");
	if (ccc_keystate_list(&x.st, "in", &names, &n, NULL) == 0) {
		if (n > 0)
			fprintf(f, "inbox: %zu files\n", n);
		ccc_keystate_names_free(names, n);
	}
	if (fflush(f) != 0 || ferror(f))
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout: %s",
		    strerror(errno));
out:
	tx_close(&x);
	return rc;
}
