/*
 * ccc-quorum-sign sign --serve: one oracle process checks and signs many
 * computation requests (the loop and the answers: lib/ops/serve.c).  The
 * identity key, the threshold public key, the label policy, the
 * attestation policy and the roster are read once; the enclave pool is
 * read again for each request, so that a newly certified pool counts from
 * the next one; each request is then checked and signed exactly as
 * ccc-quorum-sign sign signs one, at the time of its arrival unless --now
 * fixes it.  Only requests are signed: results need the request they
 * answer (-F), one at a time.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "identity.h"
#include "keys.h"
#include "ops.h"
#include "policy.h"
#include "pool.h"

struct oracle_serving {
	const struct ccc_sign_opts *o;
	struct ccc_signer sg;
	struct ccc_op_trust t;
	bool fixed_now;
};

static int
sign_request(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct oracle_serving *s = ctx;
	struct ccc_sign_opts so = *s->o;
	struct ccc_buf in, sig;
	int rc;

	*have_rid = false;
	if (!s->fixed_now)
		so.now = (uint64_t)time(NULL);
	so.in = name;
	ccc_pool_free(&s->t.pool);
	if ((rc = ccc_pool_read(&s->t.pool, &s->t.roster, so.pool, so.now,
	    err)) != 0)
		return rc;
	/* A view of the item: the signer reads it, never keeps it. */
	ccc_buf_init(&in, 0);
	in.p = (uint8_t *)(uintptr_t)p;
	in.len = n;
	ccc_buf_init(&sig, 0);
	if ((rc = ccc_quorum_sign_blob(&so, &s->sg, &in, name, &sig, rid,
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
	s.sg.requests_only = true;
	rc = ccc_serve_loop(sign_request, &s, err);
out:
	ccc_identity_free(s.sg.k);
	ccc_tdh2_pub_free(&pub);
	ccc_label_policy_free(&pol);
	ccc_op_trust_free(&s.t);
	return rc;
}
