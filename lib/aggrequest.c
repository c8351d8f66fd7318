/* Requests at security level 4 (aggrequest.h). */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "aggrequest.h"
#include "io.h"
#include "keys.h"
#include "schemas.h"

int
ccc_agg_request_decode(struct ccc_agg_request *ar, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[AREQ_NFIELDS];
	int rc;

	memset(ar, 0, sizeof(*ar));
	if ((rc = ccc_blob_decode(&ccc_schema_agg_request, p, len, v, 0,
	    err)) != 0)
		return rc;
	if ((rc = ccc_app_id_check((const char *)v[AREQ_APP].p, v[AREQ_APP].n,
	    v[AREQ_APP].off, err)) != 0)
		return rc;
	memcpy(ar->rq.id, v[AREQ_ID].p, 32);
	ar->rq.app = (const char *)v[AREQ_APP].p;
	ar->rq.app_len = v[AREQ_APP].n;
	memcpy(ar->rq.key_id, v[AREQ_KEY_ID].p, 32);
	ar->rq.epoch = v[AREQ_EPOCH].u;
	ar->rq.created = v[AREQ_CREATED].u;
	ar->rq.expires = v[AREQ_EXPIRES].u;
	ar->rq.security = CCC_SECURITY_AGGREGATE;
	memcpy(ar->aggregate, v[AREQ_AGGREGATE].p, 32);
	ar->inputs = v[AREQ_INPUTS].u;
	if (ar->rq.expires <= ar->rq.created)
		return ccc_err_set(err, CCC_E_FIELD, v[AREQ_EXPIRES].off,
		    "expires", "the request expires before it was created");
	return 0;
}

int
ccc_agg_request_make(struct ccc_buf *out, const struct ccc_aggregate *a,
    const char *app, const uint8_t id[32], uint64_t created,
    uint64_t expires, struct ccc_err *err)
{
	struct ccc_val v[AREQ_NFIELDS];
	int rc;

	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[AREQ_ID], id, 32);
	ccc_val_bytes(&v[AREQ_APP], app, strlen(app));
	ccc_val_bytes(&v[AREQ_KEY_ID], a->key_id, 32);
	ccc_val_uint(&v[AREQ_EPOCH], a->epoch);
	ccc_val_uint(&v[AREQ_CREATED], created);
	ccc_val_uint(&v[AREQ_EXPIRES], expires);
	ccc_val_uint(&v[AREQ_SECURITY], CCC_SECURITY_AGGREGATE);
	ccc_val_bytes(&v[AREQ_AGGREGATE], a->digest, 32);
	ccc_val_uint(&v[AREQ_INPUTS], a->n);
	if ((rc = ccc_blob_encode(out, &ccc_schema_agg_request, v)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "aggregate request");
	return 0;
}

int
ccc_agg_request_check(const struct ccc_agg_request *ar,
    const uint8_t key_id[32], uint64_t epoch, const struct ccc_aggregate *a,
    const struct ccc_label_policy *pol, uint64_t now, struct ccc_err *err)
{
	char want[17], got[17];
	int rc;

	if ((rc = ccc_request_accept(&ar->rq, key_id, epoch, now, err)) != 0 ||
	    a == NULL)
		return rc;
	if (sodium_memcmp(a->digest, ar->aggregate, 32) != 0) {
		sodium_bin2hex(want, sizeof(want), ar->aggregate, 8);
		sodium_bin2hex(got, sizeof(got), a->digest, 8);
		return ccc_err_set(err, CCC_E_FIELD, -1, "aggregate", "the "
		    "request is for aggregate %s..., not this one (%s...)",
		    want, got);
	}
	if (ar->inputs != a->n)
		return ccc_err_set(err, CCC_E_FIELD, -1, "inputs", "the "
		    "request names %llu inputs, the aggregate has %zu",
		    (unsigned long long)ar->inputs, a->n);
	return ccc_label_policy_check(pol, ar->rq.app, ar->rq.app_len,
	    a->context, a->clen, err);
}

int
ccc_certified_agg_request_read(struct ccc_buf *b, struct ccc_agg_request *ar,
    const struct ccc_roster *r, const char *path, uint64_t now,
    struct ccc_err *err)
{
	const struct ccc_schema *type;
	const uint8_t *blob;
	size_t blen;
	int rc;

	if ((rc = ccc_read_named(b, path, CCC_BLOB_MAX, false, err)) != 0)
		return rc;
	if ((rc = ccc_cert_verify(r, b->p, b->len, now, &blob, &blen, &type,
	    err)) == 0) {
		if (type != &ccc_schema_agg_request)
			rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "the "
			    "certificate carries %s %s, not an aggregate "
			    "request", ccc_article(type->title), type->title);
		else
			rc = ccc_agg_request_decode(ar, blob, blen, err);
	}
	if (rc != 0)
		ccc_err_what(err, ccc_io_name(path, 0));
	return rc;
}
