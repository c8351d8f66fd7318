/*
 * Rosters, oracle signatures and quorum certificates (the requests they
 * sign are built in lib/ops/quorum_request.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "attest.h"
#include "cli.h"
#include "aggrequest.h"
#include "contributors.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "policy.h"
#include "pool.h"
#include "ctsrc.h"
#include "feed.h"
#include "quorum.h"
#include "replicas.h"
#include "result.h"
#include "schemas.h"

static int
member_cmp(const void *a, const void *b)
{
	return memcmp(((const struct ccc_member *)a)->id,
	    ((const struct ccc_member *)b)->id, 32);
}

int
ccc_quorum_roster(const struct ccc_roster_opts *o, struct ccc_err *err)
{
	struct ccc_identity *k = NULL;
	struct ccc_member *m = NULL;
	struct ccc_val v[ROSTER_NFIELDS], mv[MEMBER_NFIELDS];
	struct ccc_buf b, mb;
	int i, rc = 0;

	ccc_buf_init(&b, 0);
	ccc_buf_init(&mb, 0);
	if (o->q < 1 || (int)o->q > o->nmembers)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "quorum %u is "
		    "not within 1..%d members", o->q, o->nmembers);
	if ((m = calloc((size_t)o->nmembers, sizeof(*m))) == NULL ||
	    (k = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "roster");
		goto out;
	}
	for (i = 0; i < o->nmembers; i++) {
		ccc_buf_reset(&b);
		if ((rc = ccc_read_named(&b, o->members[i], 4096, false,
		    err)) != 0)
			goto out;
		if ((rc = ccc_identity_load(k, b.p, b.len, err)) != 0) {
			ccc_err_what(err, o->members[i]);
			goto out;
		}
		memcpy(m[i].id, k->id, 32);
		memcpy(m[i].pk, k->pk, 32);
		memcpy(m[i].name, k->name, sizeof(m[i].name));
	}
	qsort(m, (size_t)o->nmembers, sizeof(*m), member_cmp);
	for (i = 1; i < o->nmembers; i++)
		if (memcmp(m[i - 1].id, m[i].id, 32) == 0) {
			rc = ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL,
			    "the same member is given twice");
			goto out;
		}
	for (i = 0; i < o->nmembers; i++) {
		ccc_val_bytes(&mv[MEMBER_ID], m[i].id, 32);
		ccc_val_bytes(&mv[MEMBER_PK], m[i].pk, 32);
		memset(&mv[MEMBER_NAME], 0, sizeof(mv[MEMBER_NAME]));
		if (m[i].name[0] != '\0')
			ccc_val_bytes(&mv[MEMBER_NAME], m[i].name,
			    strlen(m[i].name));
		if ((rc = ccc_blob_encode(&mb, &ccc_schema_roster_member, mv)) != 0)
			goto nomem;
	}
	ccc_val_bytes(&v[ROSTER_NAME], o->name, strlen(o->name));
	ccc_val_uint(&v[ROSTER_Q], o->q);
	ccc_val_array(&v[ROSTER_MEMBERS], mb.p, mb.len, (size_t)o->nmembers);
	ccc_val_uint(&v[ROSTER_NOT_BEFORE], o->not_before);
	ccc_val_uint(&v[ROSTER_NOT_AFTER], o->not_after);
	ccc_buf_reset(&b);
	if ((rc = ccc_blob_encode(&b, &ccc_schema_roster, v)) != 0)
		goto nomem;
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "roster");
out:
	ccc_identity_free(k);
	free(m);
	ccc_buf_free(&b);
	ccc_buf_free(&mb);
	return rc;
}

/* ---- signatures and certificates --------------------------------------- */

/*
 * What an oracle trusts about enclaves: its roster, the certified enclave
 * pool and its attestation policy.  Signing a request or a result needs
 * all three (secure by default: no check is skipped for want of them).
 */
#define trust ccc_op_trust
#define trust_free ccc_op_trust_free

void
ccc_op_trust_free(struct ccc_op_trust *t)
{
	ccc_roster_free(&t->roster);
	ccc_pool_free(&t->pool);
	ccc_attest_policy_free(t->pol);
}

int
ccc_op_trust_load(struct ccc_op_trust *t, const char *attest_policy,
    const char *roster, const char *pool, uint64_t now, const char *what,
    struct ccc_err *err)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (attest_policy == NULL || roster == NULL || pool == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s needs the "
		    "attestation policy (-A), the roster (-r) and the enclave "
		    "pool (-P)", what);
	if ((t->pol = ccc_attest_policy_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
	if ((rc = ccc_attest_policy_load(t->pol, attest_policy, err)) != 0 ||
	    (rc = ccc_roster_read(&t->roster, roster, err)) != 0)
		return rc;
	return ccc_pool_read(&t->pool, &t->roster, pool, now, err);
}

static int
trust_load(struct trust *t, const struct ccc_sign_opts *o,
    const struct ccc_schema *s, struct ccc_err *err)
{
	char what[96];

	snprintf(what, sizeof(what), "signing %s %s", ccc_article(s->title),
	    s->title);
	return ccc_op_trust_load(t, o->attest_policy, o->roster, o->pool,
	    o->now, what, err);
}

/*
 * A request an oracle knows to have been reassigned away from its enclave
 * (one of the certified reassignments in files) gets no result signed.
 */
static int
check_not_reassigned(const struct ccc_request *rq, const struct trust *t,
    char **files, int n, uint64_t now, struct ccc_err *err)
{
	const struct ccc_pool_enclave *e;
	struct ccc_reassign ra;
	struct ccc_buf b;
	char name[80];
	int i, rc = 0;

	ccc_buf_init(&b, 0);
	for (i = 0; i < n && rc == 0; i++) {
		if ((rc = ccc_reassign_read(&b, &ra, files[i], &t->roster, now,
		    err)) != 0)
			break;
		if (memcmp(ra.request_id, rq->id, 32) != 0)
			continue;
		e = ccc_pool_find(&t->pool, ra.enclave_id);
		rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "the request was "
		    "reassigned away from enclave %s (%.*s); its late result "
		    "is not signed", e != NULL ? ccc_pool_label(e, name,
		    sizeof(name)) : "?", (int)ra.reason_len, ra.reason);
	}
	ccc_buf_free(&b);
	return rc;
}

/*
 * What an oracle checks before signing a result (step 7): it answers the
 * certified request, from the enclave the request is still assigned to,
 * and its attestation verifies under the oracle's policy now.
 */
static int
check_result(const struct ccc_sign_opts *o, const struct ccc_signer *sg,
    const struct ccc_buf *in, const struct ccc_schema *s,
    uint8_t roster_id[32], struct ccc_err *err)
{
	struct ccc_attest_report *rep = NULL;
	struct trust t;
	const struct trust *tp = sg->trusted;
	const char *rname = sg->certified != NULL ? sg->certified_name :
	    o->request;
	struct ccc_result r;
	struct ccc_request rq, view;
	struct ccc_buf rb;
	uint32_t j;
	int rc;

	memset(&t, 0, sizeof(t));
	/* A result at odds with itself is refused before anything else. */
	if ((rc = ccc_result_decode(&r, in->p, in->len, err)) != 0)
		return rc;
	if (rname == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "signing a "
		    "result needs the request it answers (-F)");
	ccc_buf_init(&rb, 0);
	if (tp == NULL && (rc = trust_load(&t, o, s, err)) != 0)
		goto out;
	if (tp == NULL)
		tp = &t;
	memcpy(roster_id, tp->roster.roster_id, 32);
	if ((rep = malloc(sizeof(*rep))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "report");
		goto out;
	}
	if ((rc = sg->certified != NULL ?
	    ccc_certified_request_decode(sg->certified->p, sg->certified->len,
	    &rq, &tp->roster, o->now, rname, err) :
	    ccc_certified_request_read(&rb, &rq, &tp->roster, o->request,
	    o->now, err)) != 0)
		goto out;
	/* Level 2: every attestation it carries, m replicas at least. */
	if ((rc = ccc_result_attest_all(&r, &rq, tp->pol, NULL,
	    (int64_t)o->now * 1000, rep, NULL, err)) != 0)
		goto out;
	for (j = 0; j < rq.nreplicas && rc == 0; j++)
		if ((rc = ccc_request_replica(&view, &rq, j, err)) == 0)
			rc = ccc_request_assign_check(&view, &tp->pool,
			    &tp->roster, o->now, NULL, err);
	if (rc != 0 || (rc = check_not_reassigned(&rq, tp, o->reassigned,
	    o->nreassigned, o->now, err)) != 0)
		ccc_err_what(err, rname);
out:
	trust_free(&t);
	free(rep);
	ccc_buf_free(&rb);
	return rc;
}

int
ccc_quorum_sign_key(struct ccc_identity **kp, const char *path,
    struct ccc_err *err)
{
	struct ccc_identity *k;
	struct ccc_buf kb;
	int rc;

	*kp = NULL;
	ccc_buf_init(&kb, 1);
	if ((k = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_read_named(&kb, path, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_identity_load(k, kb.p, kb.len, err)) != 0 ||
	    (!k->has_secret && (rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL,
	    "expected an identity secret key (ccc/identity-key/v1)")) != 0)) {
		ccc_err_what(err, path);
		goto out;
	}
	*kp = k;
	k = NULL;
out:
	ccc_identity_free(k);
	ccc_buf_free(&kb);
	return rc;
}

/*
 * Check the blob in (named name) as its type requires and sign it into
 * out.  What sg holds preloaded (--serve) is used, the rest read here.
 */
int
ccc_quorum_sign_blob(const struct ccc_sign_opts *o,
    const struct ccc_signer *sg, const struct ccc_buf *in, const char *name,
    struct ccc_buf *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_label_policy pol;
	struct trust t;
	const struct ccc_tdh2_pub *pubp = sg->pub;
	const struct ccc_label_policy *polp = sg->pol;
	const struct trust *tp = sg->trusted;
	const struct ccc_schema *s;
	struct ccc_val v[SIG_NFIELDS];
	uint8_t d[32], sig[64], roster_id[32];
	char purpose[CCC_ORACLE_PURPOSE_MAX];
	int rc;

	memset(&pub, 0, sizeof(pub));
	memset(&pol, 0, sizeof(pol));
	memset(&t, 0, sizeof(t));
	memset(roster_id, 0, sizeof(roster_id));
	pol.allow_unlabelled_all = o->allow_unlabelled;
	if ((s = ccc_blob_peek_type(in->p, in->len)) == NULL) {
		rc = ccc_err_set(err, CCC_E_TYPE, 0, NULL, "not a ccc blob");
		goto fail_in;
	}
	if (sg->serving && s != &ccc_schema_request &&
	    s != &ccc_schema_result) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "--serve signs only "
		    "requests (%s) and results (%s), not %s",
		    ccc_schema_request.type, ccc_schema_result.type, s->type);
		goto fail_in;
	}
	/*
	 * An oracle checking results signs nothing else it is handed; the
	 * enclave checks are for requests and results.
	 */
	if (o->request != NULL && s != &ccc_schema_result) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "-F signs only a "
		    "result (%s), not %s", ccc_schema_result.type, s->type);
		goto fail_in;
	}
	if (o->subscribers != NULL && s != &ccc_schema_request) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "-S signs only a "
		    "request (%s), not %s", ccc_schema_request.type, s->type);
		goto fail_in;
	}
	if ((o->attest_policy != NULL || o->pool != NULL ||
	    o->nreassigned > 0) && s != &ccc_schema_result &&
	    s != &ccc_schema_request) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "-A, -P and -X "
		    "sign only a request or a result, not %s", s->type);
		goto fail_in;
	}
	{
		/* Well-formed in full before anything is signed. */
		struct ccc_val tmp[CCC_BLOB_MAX_FIELDS];
		size_t f;
		for (f = 0; f < s->nfields; f++)
			if (s->fields[f].flags & CCC_F_SECRET) {
				rc = ccc_err_set(err, CCC_E_TYPE, 0, NULL,
				    "refusing to sign %s %s: it holds a secret",
				    ccc_article(s->title), s->title);
				goto fail_in;
			}
		if ((rc = ccc_blob_decode(s, in->p, in->len, tmp, 0, err)) != 0)
			goto fail_in;
	}
	if (s == &ccc_schema_request) {
		struct ccc_request rq;
		if (pubp == NULL && o->tpk == NULL) {
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "signing a "
			    "request needs the threshold public key (-k) to "
			    "check its ciphertexts");
			goto out;
		}
		if ((pubp == NULL &&
		    (rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0) ||
		    (polp == NULL &&
		    (rc = ccc_label_policy_load(&pol, o->policy, err)) != 0) ||
		    (tp == NULL && (rc = trust_load(&t, o, s, err)) != 0))
			goto out;
		if (pubp == NULL)
			pubp = &pub;
		if (polp == NULL) {
			pol.allow_unlabelled_all = o->allow_unlabelled;
			polp = &pol;
		}
		if (tp == NULL)
			tp = &t;
		if ((rc = ccc_request_decode(&rq, in->p, in->len, err)) != 0)
			goto fail_in;
		memcpy(rid, rq.id, 32);
		*have_rid = true;
		if ((rc = ccc_request_check(&rq, pubp, polp, o->now,
		    err)) != 0 ||
		    (rc = ccc_request_enclave_check(&rq, &tp->pool, &tp->roster,
		    tp->pol, o->now, err)) != 0)
			goto fail_in;
		if (o->subscribers != NULL && (rc = ccc_feed_check_files(
		    o->provider, o->subscribers, &rq, o->now, err)) != 0)
			goto fail_in;
	}
	if (s == &ccc_schema_agg_request) {
		/* Level 4: fresh and for this key (nodes check the rest). */
		struct ccc_agg_request ar;
		if (o->tpk == NULL) {
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "signing a "
			    "request needs the threshold public key (-k)");
			goto out;
		}
		if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
			goto out;
		if ((rc = ccc_agg_request_decode(&ar, in->p, in->len,
		    err)) != 0 || (rc = ccc_agg_request_check(&ar, pub.key_id,
		    pub.epoch, NULL, NULL, o->now, err)) != 0)
			goto fail_in;
	}
	if (s == &ccc_schema_contributors) {
		/* Level 4's contributors: well-formed and valid now. */
		struct ccc_contributors l;
		if ((rc = ccc_contributors_load(&l, in->p, in->len,
		    err)) == 0)
			rc = ccc_contributors_valid(&l, o->now, err);
		ccc_contributors_free(&l);
		if (rc != 0)
			goto fail_in;
	}
	if (s == &ccc_schema_result &&
	    (rc = check_result(o, sg, in, s, roster_id, err)) != 0)
		goto fail_in;
	/* A request's or a result's signature names the roster it was
	 * checked against (lib/cert.c). */
	if (s == &ccc_schema_request)
		memcpy(roster_id, tp->roster.roster_id, 32);
	crypto_hash_sha256(d, in->p, in->len);
	if (*ccc_cert_purpose(purpose, s, roster_id) == '\0') {
		rc = ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "sign: no "
		    "purpose for %s", s->type);
		goto out;
	}
	if ((rc = ccc_identity_sign_digest(sig, sg->k, purpose, d)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "sign");
		goto out;
	}
	ccc_val_bytes(&v[SIG_SIGNER], sg->k->id, 32);
	ccc_val_bytes(&v[SIG_TYPE], s->type, strlen(s->type));
	ccc_val_bytes(&v[SIG_DIGEST], d, 32);
	ccc_val_bytes(&v[SIG_SIG], sig, 64);
	if ((rc = ccc_blob_encode(out, &ccc_schema_signature, v)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "signature");
	goto out;
fail_in:
	ccc_err_what(err, name);
out:
	ccc_tdh2_pub_free(&pub);
	ccc_label_policy_free(&pol);
	trust_free(&t);
	return rc;
}

int
ccc_quorum_sign(const struct ccc_sign_opts *o, struct ccc_err *err)
{
	struct ccc_signer sg;
	struct ccc_buf in, out;
	uint8_t rid[32];
	bool have_rid;
	int rc;

	memset(&sg, 0, sizeof(sg));
	ccc_buf_init(&in, 0);
	ccc_buf_init(&out, 0);
	if ((rc = ccc_quorum_sign_key(&sg.k, o->key, err)) != 0 ||
	    (rc = ccc_read_named(&in, o->in, CCC_BLOB_MAX, false, err)) != 0 ||
	    (rc = ccc_quorum_sign_blob(o, &sg, &in, ccc_io_name(o->in, 0),
	    &out, rid, &have_rid, err)) != 0)
		goto out;
	rc = ccc_op_sign_write(o, &in, &out, err);
out:
	ccc_identity_free(sg.k);
	ccc_buf_free(&in);
	ccc_buf_free(&out);
	return rc;
}
