/*
 * ccc-share: a transition's state loaded from the node's directory (the
 * pending committee, messages and transport key), and closed again.
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

/* ---- loading -------------------------------------------------------- */

void
rs_tx_free_pending(struct tx *x)
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

void
rs_tx_close(struct tx *x)
{
	rs_tx_free_pending(x);
	ccc_keystate_close(&x->st);
}

/* The group of an epoch this node holds. */
int
rs_load_group(struct tx *x, struct ccc_group *g, uint64_t e,
    struct ccc_err *err)
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

int
rs_load_share(struct tx *x, struct ccc_share *sh, uint64_t e,
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

uint32_t
rs_slot_max(const struct tx *x, int kind)
{
	return kind == CCC_MSG_DEAL ? x->D : x->n;
}

uint32_t
rs_own_index(const struct tx *x, int kind)
{
	return kind == CCC_MSG_DEAL ? x->me_d : x->me_m;
}

static int
load_msgs(struct tx *x, struct ccc_err *err)
{
	struct ccc_err e;
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
		    i > rs_slot_max(x, kind))
			continue;
		s = &x->s[kind][i];
		if (equiv) {
			s->equiv = true;
			continue;
		}
		if ((rc = ccc_keystate_read(&x->st, &s->raw, false, err,
		    "pending/msgs/%s", names[k])) != 0)
			break;
		ccc_err_clear(&e);
		if (ccc_msg_decode(&s->m, s->raw.p, s->raw.len, &e) != 0) {
			/*
			 * Another's message, admitted without a sync of its
			 * own (rs_intake): a power loss before the sync can
			 * leave it damaged, while its original is still in
			 * in/, which admits it again.  Ours were synced.
			 */
			if (i == rs_own_index(x, kind)) {
				rc = ccc_err_set(err, e.code, -1, NULL,
				    "%s/pending/msgs/%s: %s", x->st.dir,
				    names[k], e.detail);
				break;
			}
			ccc_buf_reset(&s->raw);
			if (!x->exclusive)
				continue;	/* status: read only */
			ccc_cli_warn("%s/pending/msgs/%s: damaged, dropped "
			    "(admitted again if it is still in in/): %s",
			    x->st.dir, names[k], e.detail);
			if ((rc = ccc_keystate_erase(&x->st, err,
			    "pending/msgs/%s", names[k])) != 0)
				break;
			continue;
		}
		s->have = true;
	}
	ccc_keystate_names_free(names, nn);
	return rc;
}

int
rs_load_pending(struct tx *x, struct ccc_err *err)
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

int
rs_tx_open(struct tx *x, const struct ccc_node_opts *o, int mode,
    struct ccc_err *err)
{
	int rc;

	memset(x, 0, sizeof(*x));
	x->o = o;
	x->exclusive = mode == CCC_KEYSTATE_EXCLUSIVE;
	x->now = o->now != 0 ? o->now : ccc_keystate_now();
	if ((x->ec = ccc_ec_default()) == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	if ((rc = ccc_keystate_open(&x->st, o->dir, mode, err)) != 0)
		return rc;
#ifdef CCC_TEST_HOOKS
	x->st.crash_at = o->crash_at;
#endif
	if ((rc = rs_retired(&x->st, err)) != 0)
		return rc;
	if ((rc = ccc_keystate_current(&x->st, &x->cur, &x->has_cur, err)) != 0)
		return rc;
	if (ccc_keystate_exists(&x->st, "pending/committee.cbor"))
		return rs_load_pending(x, err);
	/* What a crash in start, finish or abort left of pending/. */
	if (mode == CCC_KEYSTATE_EXCLUSIVE &&
	    ccc_keystate_exists(&x->st, "pending"))
		return ccc_keystate_rmtree(&x->st, err, "pending");
	return 0;
}
