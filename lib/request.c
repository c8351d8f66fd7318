/*
 * Computation requests: decoding, and the acceptance check that oracles,
 * decryption nodes and enclaves all make before acting on one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctcheck.h"
#include "ctsrc.h"
#include "io.h"
#include "keys.h"
#include "policy.h"
#include "pool.h"
#include "quorum.h"
#include "schemas.h"

static int
request_from_vals(struct ccc_request *rq, const struct ccc_val *v,
    struct ccc_err *err);

int
ccc_request_decode(struct ccc_request *rq, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[REQ_NFIELDS];
	int rc;

	memset(rq, 0, sizeof(*rq));
	if ((rc = ccc_blob_decode(&ccc_schema_request, p, len, v, 0,
	    err)) != 0)
		return rc;
	return request_from_vals(rq, v, err);
}

int
ccc_request_decode_head(struct ccc_request *rq, const uint8_t *p,
    size_t len, uint64_t count, struct ccc_err *err)
{
	struct ccc_val v[REQ_NFIELDS];
	int rc;

	memset(rq, 0, sizeof(*rq));
	if ((rc = ccc_blob_decode(&ccc_schema_request_head, p, len, v, 0,
	    err)) != 0)
		return rc;
	if (v[REQ_CTS].count != 0 || count < 1 || count > CCC_REQUEST_MAX_CTS)
		return ccc_err_set(err, CCC_E_FIELD, v[REQ_CTS].off,
		    "ciphertexts", "ciphertexts: %llu elements, expected 1 "
		    "to %d", (unsigned long long)count, CCC_REQUEST_MAX_CTS);
	if ((rc = request_from_vals(rq, v, err)) != 0)
		return rc;
	rq->cts.count = (size_t)count;
	return 0;
}

int
ccc_name_check(const char *field, const char *name, size_t len, size_t max,
    long long off, struct ccc_err *err)
{
	size_t i;
	char c;

	if (len == 0 || len > max)
		return ccc_err_set(err, CCC_E_FIELD, off, field, "%s: "
		    "%zu bytes, expected 1 to %zu", field, len, max);
	for (i = 0; i < len; i++) {
		c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return ccc_err_set(err, CCC_E_FIELD, off < 0 ? -1 :
			    off + (len < 24 ? 1 : 2) + (long long)i, field,
			    "%s: byte %zu (0x%02x) is not a letter, digit, "
			    "'.', '_' or '-'", field, i,
			    (unsigned)(unsigned char)c);
	}
	return 0;
}

int
ccc_app_id_check(const char *app, size_t len, long long off,
    struct ccc_err *err)
{
	return ccc_name_check("app_id", app, len, CCC_APP_ID_MAX, off, err);
}

static int
request_from_vals(struct ccc_request *rq, const struct ccc_val *v,
    struct ccc_err *err)
{
	size_t i;
	int rc;

	if ((rc = ccc_app_id_check((const char *)v[REQ_APP].p, v[REQ_APP].n,
	    v[REQ_APP].off, err)) != 0)
		return rc;
	memcpy(rq->id, v[REQ_ID].p, 32);
	rq->app = (const char *)v[REQ_APP].p;
	rq->app_len = v[REQ_APP].n;
	memcpy(rq->code, v[REQ_CODE].p, 48);
	memcpy(rq->key_id, v[REQ_KEY_ID].p, 32);
	rq->epoch = v[REQ_EPOCH].u;
	rq->cts = v[REQ_CTS];
	memcpy(rq->enclave_id, v[REQ_ENCLAVE].p, 32);
	memcpy(rq->enclave_key, v[REQ_ENCLAVE_KEY].p, 32);
	rq->created = v[REQ_CREATED].u;
	rq->expires = v[REQ_EXPIRES].u;
	rq->security = (uint32_t)v[REQ_SECURITY].u;
	rq->output = (uint32_t)v[REQ_OUTPUT].u;
	if ((rq->has_recipient = v[REQ_RECIPIENT].present))
		memcpy(rq->recipient, v[REQ_RECIPIENT].p, 32);
	rq->network = v[REQ_NETWORK].present && v[REQ_NETWORK].u;
	memcpy(rq->pool, v[REQ_POOL].p, 32);
	rq->enclave_att = v[REQ_ENCLAVE_ATT].p;
	rq->enclave_att_len = v[REQ_ENCLAVE_ATT].n;
	memcpy(rq->assignment, v[REQ_ASSIGNMENT].present ?
	    v[REQ_ASSIGNMENT].p : v[REQ_ID].p, 32);
	memset(&rq->reassigned, 0, sizeof(rq->reassigned));
	if (v[REQ_REASSIGNED].present)
		rq->reassigned = v[REQ_REASSIGNED];
	rq->negress = v[REQ_EGRESS].present ? v[REQ_EGRESS].count : 0;
	for (i = 0; i < rq->negress; i++) {
		const uint8_t *e = ccc_val_elem(&v[REQ_EGRESS], 2, i);
		rq->egress[i] = (uint16_t)(e[0] << 8 | e[1]);
		if (rq->egress[i] == 0)
			return ccc_err_set(err, CCC_E_FIELD, v[REQ_EGRESS].off,
			    "egress", "egress: port 0");
	}
	if (rq->negress > 0 && !rq->network)
		return ccc_err_set(err, CCC_E_FIELD, v[REQ_EGRESS].off,
		    "egress", "egress ports, but no network");
	rq->att0 = rq->enclave_att;
	rq->att0_len = rq->enclave_att_len;
	rq->replica = 0;
	rq->nreplicas = 1;
	rq->agree = 1;
	memset(&rq->replicas, 0, sizeof(rq->replicas));
	if (rq->security == CCC_SECURITY_REPLICATED) {
		if (!v[REQ_REPLICAS].present || !v[REQ_AGREE].present)
			return ccc_err_set(err, CCC_E_FIELD, v[REQ_SECURITY].off,
			    "security", "security level 2 without its "
			    "replicas and agreement");
		rq->replicas = v[REQ_REPLICAS];
		rq->nreplicas = (uint32_t)rq->replicas.count + 1;
		rq->agree = (uint32_t)v[REQ_AGREE].u;
		/* A majority: two disjoint agreeing sets cannot exist. */
		if (rq->agree > rq->nreplicas || 2 * rq->agree <= rq->nreplicas)
			return ccc_err_set(err, CCC_E_FIELD, v[REQ_AGREE].off,
			    "agree", "agree: %u of %u replicas, expected a "
			    "majority", rq->agree, rq->nreplicas);
	} else if (v[REQ_REPLICAS].present || v[REQ_AGREE].present)
		return ccc_err_set(err, CCC_E_FIELD, v[v[REQ_REPLICAS].present ?
		    REQ_REPLICAS : REQ_AGREE].off, v[REQ_REPLICAS].present ?
		    "replicas" : "agree", "replicas of a security level 1 "
		    "request");
	if (rq->output == CCC_OUTPUT_SEALED && !rq->has_recipient)
		return ccc_err_set(err, CCC_E_FIELD, v[REQ_OUTPUT].off, "output",
		    "output sealed to a recipient, but no recipient given");
	if (rq->expires <= rq->created)
		return ccc_err_set(err, CCC_E_FIELD, v[REQ_EXPIRES].off,
		    "expires", "the request expires before it was created");
	return 0;
}

/* Replica j's key blob: field 16 for the first, field 20 for the others. */
static int
replica_blob(const struct ccc_request *rq, uint32_t j, const uint8_t **p,
    size_t *len, struct ccc_err *err)
{
	struct ccc_cur c;
	uint32_t i;
	int rc;

	if (j == 0) {
		*p = rq->att0;
		*len = rq->att0_len;
		return 0;
	}
	ccc_cur_init(&c, rq->replicas.p, rq->replicas.n, rq->replicas.off,
	    err);
	for (i = 1; i <= j; i++)
		if ((rc = ccc_cur_bstr(&c, p, len, "replicas")) != 0)
			return rc;
	return 0;
}

int
ccc_request_replica(struct ccc_request *view, const struct ccc_request *rq,
    uint32_t j, struct ccc_err *err)
{
	struct ccc_enclave_key k;
	int rc;

	*view = *rq;
	if (j >= rq->nreplicas)
		return ccc_err_set(err, CCC_E_FIELD, -1, "replicas", "replica "
		    "%u of a request of %u", j + 1, rq->nreplicas);
	if (rq->replica == j)
		return 0;
	if ((rc = replica_blob(rq, j, &view->enclave_att,
	    &view->enclave_att_len, err)) != 0 ||
	    (rc = ccc_enclave_key_decode(&k, view->enclave_att,
	    view->enclave_att_len, err)) != 0) {
		ccc_err_item(err, j + 1);
		ccc_err_what(err, "replicas");
		return rc;
	}
	memcpy(view->enclave_id, k.enclave_id, 32);
	memcpy(view->enclave_key, k.pk, 32);
	view->replica = j;
	return 0;
}

int
ccc_request_replica_of(struct ccc_request *view, const struct ccc_request *rq,
    const uint8_t enclave_id[32], struct ccc_err *err)
{
	uint32_t j;
	int rc;

	for (j = 0; j < rq->nreplicas; j++)
		if ((rc = ccc_request_replica(view, rq, j, err)) != 0)
			return rc;
		else if (memcmp(view->enclave_id, enclave_id, 32) == 0)
			return 0;
	return 1;
}

int
ccc_request_read(struct ccc_buf *b, struct ccc_request *rq, const char *path,
    struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_read_named(b, path, CCC_BLOB_MAX, false, err)) != 0)
		return rc;
	return ccc_request_any_decode(b->p, b->len, rq, path, err);
}

int
ccc_request_any_decode(const uint8_t *p, size_t len, struct ccc_request *rq,
    const char *path, struct ccc_err *err)
{
	struct ccc_val cv[CERT_NFIELDS];
	int rc;

	if (ccc_blob_peek_type(p, len) == &ccc_schema_certified) {
		if ((rc = ccc_blob_decode(&ccc_schema_certified, p, len, cv, 0,
		    err)) != 0) {
			ccc_err_what(err, path);
			return rc;
		}
		rc = ccc_request_decode(rq, cv[CERT_BLOB].p, cv[CERT_BLOB].n,
		    err);
	} else
		rc = ccc_request_decode(rq, p, len, err);
	if (rc != 0)
		ccc_err_what(err, path);
	return rc;
}

int
ccc_request_accept(const struct ccc_request *rq, const uint8_t key_id[32],
    uint64_t epoch, uint64_t now, struct ccc_err *err)
{
	char t1[CCC_UTC_LEN], t2[CCC_UTC_LEN];

	if (rq->created > now + CCC_REQUEST_SKEW)
		return ccc_err_set(err, CCC_E_FIELD, -1, "created", "the "
		    "request was created in the future (%s, now %s)",
		    ccc_utc(t1, rq->created), ccc_utc(t2, now));
	if (rq->expires - rq->created > CCC_REQUEST_MAX_LIFETIME)
		return ccc_err_set(err, CCC_E_FIELD, -1, "expires", "the "
		    "request is valid for %llu s, more than the %d s allowed",
		    (unsigned long long)(rq->expires - rq->created),
		    CCC_REQUEST_MAX_LIFETIME);
	if (now >= rq->expires)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, "expires",
		    "the request expired at %s (now %s)",
		    ccc_utc(t1, rq->expires), ccc_utc(t2, now));
	/* The key before its epoch: another key is not "another epoch". */
	if (memcmp(rq->key_id, key_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "key_id", "the request "
		    "is for key %s, not this public key",
		    ccc_short_id(rq->key_id));
	if (rq->epoch != epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch", "the request "
		    "is for epoch %llu, the key is at epoch %llu",
		    (unsigned long long)rq->epoch, (unsigned long long)epoch);
	return 0;
}

int
ccc_request_check_ct(const struct ccc_request *rq, const struct ccc_ct *ct,
    const struct ccc_label_policy *pol, struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_label_policy_check(pol, rq->app, rq->app_len,
	    ct->context, ct->context_len, err)) != 0)
		return rc;
	/* Custody the label binds: the code, the output's recipient. */
	return ccc_label_custody_check(ct->context, ct->context_len, rq->code,
	    rq->output == CCC_OUTPUT_SEALED && rq->has_recipient ?
	    rq->recipient : NULL, err);
}

int
ccc_request_check(const struct ccc_request *rq,
    const struct ccc_tdh2_pub *pub, const struct ccc_label_policy *pol,
    uint64_t now, struct ccc_err *err)
{
	struct ccc_ct_check *chk;
	struct ccc_ct_src src;
	struct ccc_ct ct;
	const uint8_t *p;
	size_t n;
	int rc;

	if ((rc = ccc_request_accept(rq, pub->key_id, pub->epoch, now,
	    err)) != 0)
		return rc;
	if ((chk = malloc(sizeof(*chk))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
	/*
	 * The ciphertexts, in memory or left in the request's file; their
	 * proofs in batches where they carry commitments, the first failure
	 * in input order reported (a policy refusal waits for the proofs
	 * before it).
	 */
	ccc_ct_check_init(chk, ccc_ec_default(), pub);
	ccc_request_cts(rq, &src, NULL);
	while ((rc = ccc_ct_src_next(&src, &p, &n, err)) == 1) {
		if ((rc = ccc_ct_decode(&ct, p, n, 0, err)) != 0 ||
		    (rc = ccc_request_check_ct(rq, &ct, pol, err)) != 0) {
			ccc_err_item(err, src.item);
			break;
		}
		/* (Its error is the first: those before it were checked.) */
		if ((rc = ccc_ct_check_add(chk, &ct, src.item, NULL,
		    err)) != 0)
			goto out;
	}
	rc = ccc_ct_check_end(chk, rc, err);
out:
	ccc_ct_src_close(&src);
	free(chk);
	return rc;
}

int
ccc_certified_request_read(struct ccc_buf *b, struct ccc_request *rq,
    const struct ccc_roster *r, const char *path, uint64_t now,
    struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_read_named(b, path, CCC_BLOB_MAX, false, err)) != 0)
		return rc;
	return ccc_certified_request_decode(b->p, b->len, rq, r, now, path,
	    err);
}

int
ccc_certified_request_decode(const uint8_t *p, size_t len,
    struct ccc_request *rq, const struct ccc_roster *r, uint64_t now,
    const char *path, struct ccc_err *err)
{
	const struct ccc_schema *type;
	const uint8_t *blob;
	size_t blen;
	int rc;

	if ((rc = ccc_cert_verify(r, p, len, now, &blob, &blen, &type,
	    err)) != 0)
		goto fail;
	if ((rc = ccc_certified_is_request(type, err)) != 0)
		goto fail;
	if ((rc = ccc_request_decode(rq, blob, blen, err)) == 0)
		return 0;
fail:
	ccc_err_what(err, ccc_io_name(path, 0));
	return rc;
}

int
ccc_certified_is_request(const struct ccc_schema *type, struct ccc_err *err)
{
	if (type == &ccc_schema_request)
		return 0;
	return ccc_err_set(err, CCC_E_TYPE, -1, NULL, "the certificate "
	    "carries %s %s, not a computation request",
	    ccc_article(type->title), type->title);
}

void
ccc_request_cts(const struct ccc_request *rq, struct ccc_ct_src *s,
    const char *name)
{
	ccc_ct_src_array(s, &rq->cts, rq->cts_in_file ? rq->cts_fd : -1,
	    rq->cts_at, name);
}
