/*
 * ccc-quorum-sign sign --serve: one oracle process checks and signs many
 * requests and results (the loop and the answers: lib/ops/serve.c).  The
 * identity key, the threshold public key, the label policy, the
 * attestation policy and the roster are read once; the enclave pool is
 * read again for each item, so that a newly certified pool counts from
 * the next one; each item is then checked and signed exactly as
 * ccc-quorum-sign sign signs one, at the time of its arrival unless --now
 * fixes it.  A result needs the certified request it answers (-F in the
 * one-shot form): here, that certified request sent earlier in the same
 * input, which is checked, kept (the last CERTIFIED_KEPT of them) and
 * answered without a signature.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "identity.h"
#include "keys.h"
#include "ops.h"
#include "policy.h"
#include "pool.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"

#define CERTIFIED_KEPT 64

struct oracle_serving {
	const struct ccc_sign_opts *o;
	struct ccc_signer sg;
	struct ccc_op_trust t;
	struct kept {
		uint8_t id[32];
		char name[32];
		struct ccc_buf b;	/* empty: unused */
	} kept[CERTIFIED_KEPT];
	size_t next;
	bool fixed_now;
};

/* A certified request, checked now and kept for the results to come. */
static int
keep_certified(struct oracle_serving *s, const struct ccc_sign_opts *so,
    const uint8_t *p, size_t n, const char *name, uint8_t rid[32],
    bool *have_rid, struct ccc_err *err)
{
	struct kept *k = &s->kept[s->next];
	struct ccc_request rq;
	int rc;

	ccc_buf_reset(&k->b);
	if (ccc_buf_put(&k->b, p, n) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
	if ((rc = ccc_certified_request_decode(k->b.p, k->b.len, &rq,
	    &s->t.roster, so->now, name, err)) != 0) {
		ccc_buf_reset(&k->b);
		return rc;
	}
	memcpy(k->id, rq.id, 32);
	snprintf(k->name, sizeof(k->name), "%s", name);
	memcpy(rid, rq.id, 32);
	*have_rid = true;
	s->next = (s->next + 1) % CERTIFIED_KEPT;
	return 0;
}

/* The kept certified request a result answers, or NULL. */
static const struct kept *
certified_for(const struct oracle_serving *s, const uint8_t *p, size_t n,
    uint8_t rid[32], bool *have_rid)
{
	struct ccc_result r;
	size_t i;

	if (ccc_result_decode(&r, p, n, NULL) != 0)
		return NULL;	/* the signer says why */
	memcpy(rid, r.request_id, 32);
	*have_rid = true;
	for (i = 0; i < CERTIFIED_KEPT; i++)
		if (s->kept[i].b.len > 0 &&
		    memcmp(s->kept[i].id, r.request_id, 32) == 0)
			return &s->kept[i];
	return NULL;
}

static int
sign_request(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct oracle_serving *s = ctx;
	struct ccc_sign_opts so = *s->o;
	struct ccc_signer sg;
	const struct ccc_schema *type;
	struct ccc_buf in, sig;
	int rc;

	*have_rid = false;
	if (!s->fixed_now)
		so.now = ccc_serve_clock();
	so.in = name;
	ccc_pool_free(&s->t.pool);
	if ((rc = ccc_pool_read(&s->t.pool, &s->t.roster, so.pool, so.now,
	    err)) != 0)
		return rc;
	type = ccc_blob_peek_type(p, n);
	if (type == &ccc_schema_certified)
		return keep_certified(s, &so, p, n, name, rid, have_rid, err);
	sg = s->sg;
	if (type == &ccc_schema_result) {
		const struct kept *k = certified_for(s, p, n, rid, have_rid);
		char hex[17];
		if (k == NULL && *have_rid) {
			sodium_bin2hex(hex, sizeof(hex), rid, 8);
			rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "no "
			    "certified request %s... came before its result "
			    "(send it first)", hex);
			ccc_err_what(err, name);
			return rc;
		}
		if (k != NULL) {
			sg.certified = &k->b;
			sg.certified_name = k->name;
		}
	}
	/* A view of the item: the signer reads it, never keeps it. */
	ccc_buf_init(&in, 0);
	in.p = (uint8_t *)(uintptr_t)p;
	in.len = n;
	ccc_buf_init(&sig, 0);
	if ((rc = ccc_quorum_sign_blob(&so, &sg, &in, name, &sig, rid,
	    have_rid, err)) == 0)
		rc = ccc_out_write(out, sig.p, sig.len, err);
	ccc_buf_free(&sig);
	return rc;
}

int
ccc_quorum_sign_serve(const struct ccc_sign_opts *o, bool fixed_now,
    struct ccc_err *err)
{
	struct oracle_serving s;
	struct ccc_tdh2_pub pub;
	struct ccc_label_policy pol;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&pub, 0, sizeof(pub));
	memset(&pol, 0, sizeof(pol));
	s.o = o;
	s.fixed_now = fixed_now;
	if ((rc = ccc_quorum_sign_key(&s.sg.k, o->key, err)) != 0 ||
	    (rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0 ||
	    (rc = ccc_label_policy_load(&pol, o->policy, err)) != 0)
		goto out;
	pol.allow_unlabelled_all = o->allow_unlabelled;
	if ((s.t.pol = ccc_attest_policy_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
		goto out;
	}
	if ((rc = ccc_attest_policy_load(s.t.pol, o->attest_policy,
	    err)) != 0 ||
	    (rc = ccc_roster_read(&s.t.roster, o->roster, err)) != 0)
		goto out;
	s.sg.pub = &pub;
	s.sg.pol = &pol;
	s.sg.trusted = &s.t;
	s.sg.serving = true;
	rc = ccc_serve_loop(sign_request, NULL, &s, err);
out:
	for (size_t i = 0; i < CERTIFIED_KEPT; i++)
		ccc_buf_free(&s.kept[i].b);
	ccc_identity_free(s.sg.k);
	ccc_tdh2_pub_free(&pub);
	ccc_label_policy_free(&pol);
	ccc_op_trust_free(&s.t);
	return rc;
}
