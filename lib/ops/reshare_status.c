/* ccc-share status: a read-only report of a node's state directory. */
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

/* ---- status -------------------------------------------------------------- */

/* "waiting for: KIND from A, B until T" when some of want lack a message. */
static void
waiting(FILE *f, const struct tx *x, int kind, const bool *want,
    uint64_t deadline)
{
	char who[96], t[CCC_UTC_LEN];
	uint32_t i, max = rs_slot_max(x, kind), c = 0;

	for (i = 1; i <= max; i++) {
		if (!want[i] || x->s[kind][i].have)
			continue;
		fprintf(f, "%s%s", c++ ? ", " : "waiting for: ",
		    kind == CCC_MSG_DEAL ? rs_dealer_label(x, i, who,
		    sizeof(who)) : rs_member_label(x, i, who, sizeof(who)));
	}
	if (c == 0)
		return;
	fprintf(f, " (%s) %s %s\n", ccc_msg_kind_name[kind],
	    x->now < deadline ? "until" : "deadline passed at",
	    ccc_utc(t, deadline));
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
		    rs_count_have(x, CCC_MSG_CONFIRM), x->cm.q);
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
	if (rs_count_have(x, CCC_MSG_RESPOND) == 0 || rs_qualify(x, NULL) != 0)
		return;
	for (i = 1; i <= x->D; i++)
		if (x->verdict[i] != V_OK && x->verdict[i] != V_MISSING)
			fprintf(f, "excluded: dealer %s: %s: %s\n",
			    rs_dealer_label(x, i, who, sizeof(who)),
			    vname[x->verdict[i]], x->why[i]);
	for (i = 1; i <= x->n; i++)
		if (x->liar[i])
			fprintf(f, "convicted: member %s: false complaint "
			    "against dealer %u\n", rs_member_label(x, i, who,
			    sizeof(who)), x->liar[i]);
}

static void
status_current(FILE *f, struct tx *x)
{
	struct ccc_group g;
	struct ccc_group_cert cert;
	struct ccc_buf b;
	uint64_t t0, grace, *es = NULL;
	char who[96], t[CCC_UTC_LEN];
	uint32_t me, i, k, c = 0;
	size_t n, j;
	bool in;

	if (rs_load_group(x, &g, x->cur, NULL) != 0) {
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
	if (rs_epoch_dirs(x, &es, &n, NULL) == 0) {
		bool timed = rs_committed_at(x, x->cur, &t0, &grace);
		for (j = 0; j < n; j++)
			if (es[j] < x->cur && ccc_keystate_exists(&x->st,
			    "epochs/%llu/share.cbor",
			    (unsigned long long)es[j]))
				fprintf(f, "old share: epoch %llu, erased at "
				    "the first advance after %s\n",
				    (unsigned long long)es[j], timed ?
				    ccc_utc(t, t0 + grace) : "?");
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

	if ((rc = rs_tx_open(&x, o, CCC_KEYSTATE_SHARED, err)) != 0)
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
	rs_tx_close(&x);
	return rc;
}
