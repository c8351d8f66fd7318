/*
 * ccc-quorum-sign agree: the results of a level-2 request's replicas,
 * compared (ccc(7) REPLICATED EXECUTION).  Each result is judged as an
 * oracle judges a result (lib/replicas.h), against the replica its
 * enclave is; the cores of the valid ones are compared; when at least m
 * replicas return one core, their results become one (the first
 * agreeing replica's, the others' evidence in field 12), which the
 * oracles then sign.  Any replica that differs, failed or did not
 * answer is named in a divergence record (ccc/divergence/v1), the
 * evidence to revoke it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "attest.h"
#include "cli.h"
#include "io.h"
#include "ops.h"
#include "outset.h"
#include "pool.h"
#include "quorum.h"
#include "replicas.h"
#include "result.h"
#include "schemas.h"

enum { R_MISSING, R_INVALID, R_VALID };

struct slot {
	int state;
	const char *file;
	struct ccc_buf blob;
	struct ccc_result r;
	uint8_t core[32];
	char why[640];
};

/* Judge one result file; a bad one is noted against its replica. */
static int
judge(struct slot *slots, const struct ccc_request *rq,
    const struct ccc_op_trust *t, const char *file, uint64_t now,
    struct ccc_attest_report *rep, struct ccc_err *err)
{
	struct ccc_buf b;
	struct ccc_result r;
	struct ccc_request view;
	struct ccc_err e;
	uint32_t j;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, file, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	ccc_err_clear(&e);
	if (ccc_result_decode(&r, b.p, b.len, &e) != 0) {
		ccc_cli_warn("%s: not a result of a replica (%s); ignored",
		    file, e.detail);
		goto out;
	}
	if ((rc = ccc_request_replica_of(&view, rq, r.enclave_id, err)) < 0)
		goto out;
	j = view.replica;
	if (rc == 1 || slots[j].state != R_MISSING) {
		ccc_cli_warn("%s: %s; ignored", file, rc == 1 ?
		    "from an enclave that is none of the request's replicas" :
		    "a second result of the same replica");
		rc = 0;
		goto out;
	}
	/* The slot keeps the bytes; r's views into them stay valid. */
	slots[j].file = file;
	slots[j].blob = b;
	slots[j].r = r;
	ccc_buf_init(&b, 0);
	ccc_err_clear(&e);
	if (slots[j].r.replicas.count > 0)
		ccc_err_set(&e, CCC_E_ATTEST, -1, NULL, "it already carries "
		    "other replicas' attestations");
	else if (ccc_result_attest(&slots[j].r, &view, t->pol, NULL,
	    (int64_t)now * 1000, rep, &e) == 0)
		ccc_err_clear(&e);
	if (e.code != 0) {
		if (e.code == CCC_E_NOMEM || e.code == CCC_E_CRYPTO) {
			*err = e;
			rc = e.code;
			goto out;
		}
		slots[j].state = R_INVALID;
		snprintf(slots[j].why, sizeof(slots[j].why), "%s: %s",
		    ccc_strerror(e.code), e.detail);
		goto out;
	}
	slots[j].state = R_VALID;
	ccc_result_core(slots[j].core, &slots[j].r);
out:
	ccc_buf_free(&b);
	return rc;
}

/* The divergence record: every replica's verdict, in replica order. */
static int
divergence(struct ccc_buf *out, const struct ccc_request *rq,
    const struct slot *slots, const uint8_t *major, struct ccc_err *err)
{
	struct ccc_val v[DIV_NFIELDS], rv[DVR_NFIELDS];
	struct ccc_request view;
	struct ccc_buf maps;
	const char *verdict;
	uint32_t j;
	int rc = 0;

	ccc_buf_init(&maps, 0);
	for (j = 0; j < rq->nreplicas && rc == 0; j++) {
		const struct slot *s = &slots[j];
		if ((rc = ccc_request_replica(&view, rq, j, err)) != 0)
			break;
		memset(rv, 0, sizeof(rv));
		ccc_val_bytes(&rv[DVR_ENCLAVE], view.enclave_id, 32);
		verdict = s->state == R_MISSING ? "missing" :
		    s->state == R_INVALID ? s->why :
		    major != NULL && memcmp(s->core, major, 32) == 0 ?
		    "agrees" : "differs";
		ccc_val_bytes(&rv[DVR_VERDICT], verdict, strlen(verdict));
		if (s->state == R_VALID)
			ccc_val_bytes(&rv[DVR_CORE], s->core, 32);
		if (s->state != R_MISSING && strcmp(verdict, "agrees") != 0)
			ccc_val_bytes(&rv[DVR_RESULT], s->blob.p, s->blob.len);
		if (ccc_blob_encode(&maps, &ccc_schema_divergence_replica,
		    rv) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "divergence");
	}
	if (rc == 0) {
		memset(v, 0, sizeof(v));
		ccc_val_bytes(&v[DIV_REQUEST], rq->id, 32);
		ccc_val_uint(&v[DIV_AGREE], rq->agree);
		if (major != NULL)
			ccc_val_bytes(&v[DIV_MAJORITY], major, 32);
		ccc_val_array(&v[DIV_REPLICAS], maps.p, maps.len,
		    rq->nreplicas);
		if (ccc_blob_encode(out, &ccc_schema_divergence, v) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "divergence");
	}
	ccc_buf_free(&maps);
	return rc;
}

/* The agreeing replicas' results as one: the first's, the others' in 12. */
static int
merge(struct ccc_buf *out, const struct ccc_request *rq,
    const struct slot *slots, const uint8_t major[32], struct ccc_err *err)
{
	struct ccc_val w[RES_NFIELDS], rv[RRP_NFIELDS];
	const struct ccc_buf *b;
	struct ccc_buf maps;
	uint32_t j, first = rq->nreplicas, n = 0;
	int rc = 0;

	ccc_buf_init(&maps, 0);
	for (j = 0; j < rq->nreplicas && rc == 0; j++) {
		const struct slot *s = &slots[j];
		if (s->state != R_VALID || memcmp(s->core, major, 32) != 0)
			continue;
		if (first == rq->nreplicas) {
			first = j;
			continue;
		}
		if ((rc = ccc_blob_decode(&ccc_schema_result, s->blob.p,
		    s->blob.len, w, 0, err)) != 0)
			break;
		rv[RRP_ENCLAVE] = w[RES_ENCLAVE];
		rv[RRP_DOC] = w[RES_DOC];
		rv[RRP_SHARES] = w[RES_SHARES];
		if (ccc_blob_encode(&maps, &ccc_schema_result_replica,
		    rv) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "result");
		n++;
	}
	/*
	 * The first result's bytes with field 12 appended: its map gets
	 * one more entry (a one-byte head: the result has 12 fields), and
	 * field 12, the highest key, goes last as canonical order wants.
	 */
	b = &slots[first].blob;
	if (rc == 0 && n > 0 && (b->len == 0 || b->p[0] < 0xa1 ||
	    b->p[0] > 0xb6))
		rc = ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "result head");
	if (rc == 0 && (ccc_buf_put(out, b->p, b->len) != 0 || (n > 0 &&
	    (ccc_cbor_put_uint(out, 12) != 0 ||
	    ccc_cbor_put_array(out, n) != 0 ||
	    ccc_buf_put(out, maps.p, maps.len) != 0))))
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "result");
	if (rc == 0 && n > 0)
		out->p[0]++;
	ccc_buf_free(&maps);
	return rc;
}

int
ccc_quorum_agree(const struct ccc_agree_opts *o, struct ccc_err *err)
{
	struct ccc_op_trust t;
	struct ccc_request rq;
	struct ccc_attest_report *rep = NULL;
	struct slot slots[CCC_REPLICAS_MAX];
	struct ccc_buf rb, out, div;
	const uint8_t *major = NULL;
	struct ccc_file f[2];
	char names[512];
	size_t off = 0, n = 0;
	uint32_t j, i, best = 0, cnt;
	int k, rc;

	memset(slots, 0, sizeof(slots));
	ccc_buf_init(&rb, 0);
	ccc_buf_init(&out, 0);
	ccc_buf_init(&div, 0);
	if ((rc = ccc_op_trust_load(&t, o->attest_policy, o->roster, o->pool,
	    o->now, "comparing results", err)) != 0)
		goto out;
	if ((rc = ccc_certified_request_read(&rb, &rq, &t.roster, o->request,
	    o->now, err)) != 0)
		goto out;
	if (rq.security != CCC_SECURITY_REPLICATED) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s is a request "
		    "of security level %u: agree compares the replicas of a "
		    "level-2 request", o->request, rq.security);
		goto out;
	}
	if ((rep = malloc(sizeof(*rep))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "report");
		goto out;
	}
	for (k = 0; k < o->nresults; k++)
		if ((rc = judge(slots, &rq, &t, o->results[k], o->now, rep,
		    err)) != 0)
			goto out;
	/* The core most valid replicas returned (the first, on a tie). */
	for (j = 0; j < rq.nreplicas; j++) {
		if (slots[j].state != R_VALID)
			continue;
		for (i = 0, cnt = 0; i < rq.nreplicas; i++)
			cnt += slots[i].state == R_VALID &&
			    memcmp(slots[i].core, slots[j].core, 32) == 0;
		if (cnt > best) {
			best = cnt;
			major = slots[j].core;
		}
	}
	names[0] = '\0';
	for (j = 0; j < rq.nreplicas && off < sizeof(names); j++) {
		const struct slot *s = &slots[j];
		if (s->state == R_VALID && memcmp(s->core, major, 32) == 0)
			continue;
		off += (size_t)snprintf(names + off, sizeof(names) - off,
		    "%sreplica %u %s", off ? "; " : "", j + 1,
		    s->state == R_MISSING ? "did not answer" :
		    s->state == R_INVALID ? "is invalid" : "differs");
	}
	/*
	 * The record and the result as one set: a result that cannot be
	 * written leaves no record either, and the run can be repeated.
	 */
	if (names[0] != '\0' && o->divergence != NULL) {
		if ((rc = divergence(&div, &rq, slots, major, err)) != 0)
			goto out;
		f[n++] = (struct ccc_file){ o->divergence, div.p, div.len,
		    CCC_OUT_BINARY | (o->force ? CCC_OUT_FORCE : 0) };
	}
	if (best < rq.agree) {
		/* Only the record, then the refusal. */
		if ((rc = ccc_write_files(f, n, err)) == 0)
			rc = ccc_err_set(err, CCC_E_DIVERGED, -1, NULL, "%u of "
			    "%u replicas agree, %u needed: %s", best,
			    rq.nreplicas, rq.agree, names);
		goto out;
	}
	if ((rc = merge(&out, &rq, slots, major, err)) != 0)
		goto out;
	f[n++] = (struct ccc_file){ o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) };
	if ((rc = ccc_write_files(f, n, err)) == 0 && names[0] != '\0')
		ccc_cli_warn("%u of %u replicas agree: %s", best,
		    rq.nreplicas, names);
out:
	for (j = 0; j < CCC_REPLICAS_MAX; j++)
		ccc_buf_free(&slots[j].blob);
	free(rep);
	ccc_op_trust_free(&t);
	ccc_buf_free(&rb);
	ccc_buf_free(&out);
	ccc_buf_free(&div);
	return rc;
}
