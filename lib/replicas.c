/*
 * Replicated execution: result cores, the attestations of a level-2
 * result (see replicas.h).
 */
#include "config.h"

#include <string.h>

#include "attest.h"
#include "cbor.h"
#include "quorum.h"
#include "replicas.h"
#include "schemas.h"

void
ccc_result_core(uint8_t out[32], const struct ccc_result *r)
{
	struct ccc_result c = *r;

	memset(&c.shares, 0, sizeof(c.shares));
	ccc_result_binding(out, &c);
}

size_t
ccc_result_nattest(const struct ccc_result *r)
{
	return 1 + r->replicas.count;
}

int
ccc_result_entry(struct ccc_result *out, const struct ccc_result *r,
    size_t i, struct ccc_err *err)
{
	struct ccc_val v[RRP_NFIELDS];
	struct ccc_cur c;
	size_t k;
	int rc;

	*out = *r;
	memset(&out->replicas, 0, sizeof(out->replicas));
	if (i == 0)
		return 0;
	if (i > r->replicas.count)
		return ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "replica");
	ccc_cur_init(&c, r->replicas.p, r->replicas.n, r->replicas.off, err);
	for (k = 1; k <= i; k++)
		if ((rc = ccc_blob_decode_map(&ccc_schema_result_replica, &c,
		    v)) != 0)
			return rc;
	memcpy(out->enclave_id, v[RRP_ENCLAVE].p, 32);
	out->doc = v[RRP_DOC].p;
	out->doc_len = v[RRP_DOC].n;
	out->shares = v[RRP_SHARES];
	return 0;
}

int
ccc_result_attest_all(const struct ccc_result *r,
    const struct ccc_request *rq, const struct ccc_attest_policy *pol,
    const struct ccc_attest_expect *extra, int64_t at_ms,
    struct ccc_attest_report *rep, uint32_t *replica, struct ccc_err *err)
{
	struct ccc_result e;
	struct ccc_request view;
	bool seen[CCC_REPLICAS_MAX];
	size_t i, n = ccc_result_nattest(r);
	uint32_t j;
	int rc;

	if (rq->security != CCC_SECURITY_REPLICATED) {
		if (n > 1)
			return ccc_err_set(err, CCC_E_ATTEST, -1, "replicas",
			    "binding mismatch: replica attestations in the "
			    "result of a level-1 request");
		if (replica != NULL)
			replica[0] = 0;
		return ccc_result_attest(r, rq, pol, extra, at_ms, rep, err);
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		if ((rc = ccc_result_entry(&e, r, i, err)) != 0)
			return rc;
		if ((rc = ccc_request_replica_of(&view, rq, e.enclave_id,
		    err)) < 0)
			return rc;
		j = view.replica;
		if (rc == 1 || seen[j])
			return ccc_err_set(err, CCC_E_ATTEST, -1, "replicas",
			    "binding mismatch: attestation %zu comes from %s",
			    i + 1, rc == 1 ? "an enclave that is none of the "
			    "request's replicas" : "a replica already counted");
		seen[j] = true;
		if ((rc = ccc_result_attest(&e, &view, pol, extra, at_ms, rep,
		    err)) != 0) {
			ccc_err_prefix(err, "replica %u: ", j + 1);
			return rc;
		}
		if (replica != NULL)
			replica[i] = j;
	}
	if (n < rq->agree)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "replicas",
		    "binding mismatch: %zu of the request's %u replicas "
		    "attest the result, %u needed", n, rq->nreplicas,
		    rq->agree);
	return 0;
}
