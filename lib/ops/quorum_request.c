/* ccc-quorum-sign request: a computation request, checked as it is built. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "attest.h"
#include "ctcheck.h"
#include "ctsrc.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "pool.h"
#include "quorum.h"
#include "replicas.h"
#include "schemas.h"

/* Append the certified reassignments in files[0..n) to arr (bstrs). */
static int
read_reassigned(struct ccc_buf *arr, char **files, int n, struct ccc_err *err)
{
	struct ccc_buf b;
	int i, rc = 0;

	ccc_buf_init(&b, 0);
	for (i = 0; i < n && rc == 0; i++) {
		ccc_buf_reset(&b);
		if ((rc = ccc_read_named(&b, files[i], CCC_REASSIGN_MAX, false,
		    err)) == 0 && ccc_cbor_put_bstr(arr, b.p, b.len) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "reassignments");
	}
	ccc_buf_free(&b);
	return rc;
}

/* Append the replicas' attested keys in files[0..n) to arr (bstrs). */
static int
read_replicas(struct ccc_buf *arr, char **files, int n, struct ccc_err *err)
{
	struct ccc_enclave_key ek;
	struct ccc_buf b;
	int i, rc = 0;

	ccc_buf_init(&b, 0);
	for (i = 0; i < n && rc == 0; i++) {
		ccc_buf_reset(&b);
		if ((rc = ccc_read_named(&b, files[i], CCC_ENCLAVE_KEY_MAX,
		    false, err)) != 0)
			break;
		if ((rc = ccc_enclave_key_decode(&ek, b.p, b.len, err)) != 0)
			ccc_err_what(err, files[i]);
		else if (ccc_cbor_put_bstr(arr, b.p, b.len) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "replicas");
	}
	ccc_buf_free(&b);
	return rc;
}

/*
 * The request of o's fields and of p's parts (o's files are not read
 * here), into b, checked as its consumers will check it.  Errors about
 * the enclave keys name p->key_name (replica j: p->rep_names[j - 1]).
 */
int
ccc_op_request_build(const struct ccc_request_opts *o,
    const struct ccc_op_request_parts *p, struct ccc_buf *b,
    struct ccc_err *err)
{
	struct ccc_enclave_key ek;
	struct ccc_ct_check *chk = NULL;
	struct ccc_ct ct;
	struct ccc_val v[REQ_NFIELDS];
	struct ccc_buf cts;
	uint8_t egress[2 * CCC_EGRESS_MAX];
	const uint8_t *cp;
	size_t n;
	int rc;

	ccc_buf_init(&cts, 0);
	if ((rc = ccc_enclave_key_decode(&ek, p->key.p, p->key.n,
	    err)) != 0) {
		ccc_err_what(err, p->key.name);
		goto out;
	}
	if ((chk = malloc(sizeof(*chk))) == NULL)
		goto nomem;
	ccc_ct_check_init(chk, ccc_ec_default(), p->pub);
	while ((rc = ccc_ct_src_next(p->src, &cp, &n, err)) == 1) {
		/*
		 * What every node will check, checked now: points and
		 * scalars valid, the proof verifying under this key (in
		 * batches where the ciphertexts carry their commitments).
		 */
		if ((rc = ccc_ct_decode(&ct, cp, n, 0, err)) != 0) {
			ccc_err_item(err, p->src->item);
			ccc_err_what(err, p->src->name);
			break;
		}
		if ((rc = ccc_ct_check_add(chk, &ct, p->src->item,
		    p->src->name, err)) != 0)
			goto out;
		if ((rc = ccc_cbor_put_bstr(&cts, cp, n)) != 0)
			goto nomem;
	}
	if ((rc = ccc_ct_check_end(chk, rc, err)) != 0)
		goto out;
	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[REQ_ID], p->rid, 32);
	ccc_val_bytes(&v[REQ_APP], o->app, strlen(o->app));
	ccc_val_bytes(&v[REQ_CODE], p->meas, 48);
	ccc_val_bytes(&v[REQ_KEY_ID], p->pub->key_id, 32);
	ccc_val_uint(&v[REQ_EPOCH], p->pub->epoch);
	ccc_val_array(&v[REQ_CTS], cts.p, cts.len, p->src->n);
	ccc_val_bytes(&v[REQ_ENCLAVE], ek.enclave_id, 32);
	ccc_val_bytes(&v[REQ_ENCLAVE_KEY], ek.pk, 32);
	ccc_val_uint(&v[REQ_CREATED], o->now);
	ccc_val_uint(&v[REQ_EXPIRES], o->expires);
	ccc_val_uint(&v[REQ_SECURITY], p->nreps > 0 ?
	    CCC_SECURITY_REPLICATED : CCC_SECURITY_SINGLE);
	if (p->nreps > 0) {
		ccc_val_array(&v[REQ_REPLICAS], p->reps, p->reps_len,
		    (size_t)p->nreps);
		ccc_val_uint(&v[REQ_AGREE], p->agree ? p->agree :
		    (uint32_t)p->nreps + 1);
	}
	ccc_val_uint(&v[REQ_OUTPUT], o->output);
	if (p->rcpt != NULL)
		ccc_val_bytes(&v[REQ_RECIPIENT], p->rcpt, 32);
	if (o->network)
		ccc_val_uint(&v[REQ_NETWORK], 1);
	if (o->negress > 0) {
		size_t i;
		for (i = 0; i < o->negress; i++) {
			egress[2 * i] = (uint8_t)(o->egress[i] >> 8);
			egress[2 * i + 1] = (uint8_t)o->egress[i];
		}
		ccc_val_array(&v[REQ_EGRESS], egress, 2 * o->negress,
		    o->negress);
	}
	ccc_val_bytes(&v[REQ_POOL], p->pool->digest, 32);
	ccc_val_bytes(&v[REQ_ENCLAVE_ATT], p->key.p, p->key.n);
	if (p->assignment != NULL && memcmp(p->assignment, p->rid, 32) != 0)
		ccc_val_bytes(&v[REQ_ASSIGNMENT], p->assignment, 32);
	if (p->nra > 0)
		ccc_val_array(&v[REQ_REASSIGNED], p->ra, p->ra_len,
		    (size_t)p->nra);
	ccc_buf_reset(b);
	if ((rc = ccc_blob_encode(b, &ccc_schema_request, v)) != 0)
		goto nomem;
	if (b->len > CCC_BLOB_MAX) {
		/* No oracle, node or enclave would read it. */
		rc = ccc_err_set(err, CCC_E_TOOBIG, -1, NULL, "the request "
		    "would be %zu bytes, more than the %lu its readers take",
		    b->len, CCC_BLOB_MAX);
		goto out;
	}
	{
		/*
		 * What a consumer will check, checked before it leaves: the
		 * fields, that a key made for a request was made for this
		 * one, and that the pool assigns the request to the key's
		 * enclave (the attestation is the oracles' and nodes' to
		 * judge, under their policy).
		 */
		struct ccc_request rq, view;
		uint32_t j;
		if ((rc = ccc_request_decode(&rq, b->p, b->len, err)) != 0) {
			ccc_err_what(err, p->key.name);
			goto out;
		}
		for (j = 0; j < rq.nreplicas; j++)
			if ((rc = ccc_request_replica(&view, &rq, j,
			    err)) != 0 || (rc = ccc_request_key_bound(&view,
			    err)) != 0 || (rc = ccc_request_assign_check(&view,
			    p->pool, p->roster, o->now, NULL, err)) != 0) {
				ccc_err_what(err, j == 0 ? p->key.name :
				    p->rep_names[j - 1]);
				goto out;
			}
	}
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
out:
	free(chk);
	ccc_buf_free(&cts);
	return rc;
}

int
ccc_quorum_request(const struct ccc_request_opts *o, struct ccc_err *err)
{
	struct ccc_op_request_parts pp;
	struct ccc_tdh2_pub pub;
	struct ccc_roster roster;
	struct ccc_pool pool;
	struct ccc_ct_src src;
	struct ccc_err e;
	struct ccc_buf b, kb, code, ra, reps;
	uint8_t rid[32], meas[48], rcpt[32];
	int rc;
	bool src_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&roster, 0, sizeof(roster));
	memset(&pool, 0, sizeof(pool));
	ccc_buf_init(&b, 0);
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&code, 0);
	ccc_buf_init(&ra, 0);
	ccc_buf_init(&reps, 0);
	ccc_err_clear(&e);
	if (ccc_app_id_check(o->app, strlen(o->app), -1, &e) != 0) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-a: %s", e.detail);
		goto out;
	}
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0 ||
	    (rc = ccc_roster_read(&roster, o->roster, err)) != 0 ||
	    (rc = ccc_pool_read(&pool, &roster, o->pool, o->now, err)) != 0)
		goto out;
	/*
	 * The enclave's attested per-request key (ccc-enclave-run keygen):
	 * it names the enclave, which must be the one the pool assigns
	 * (decoded and checked when the request is built).
	 */
	if ((rc = ccc_read_named(&kb, o->enclave_key, CCC_ENCLAVE_KEY_MAX,
	    false, err)) != 0)
		goto out;
	if ((rc = read_reassigned(&ra, o->reassigned, o->nreassigned,
	    err)) != 0 || (rc = read_replicas(&reps, o->replica_keys,
	    o->nreplica_keys, err)) != 0)
		goto out;
	if (o->recipient != NULL &&
	    (rc = ccc_op_read_recipient(rcpt, o->recipient, err)) != 0)
		goto out;
	if (o->measurement != NULL)
		memcpy(meas, o->measurement, 48);
	else if ((rc = ccc_op_measure(meas, o->code_file, err)) != 0)
		goto out;
	if (o->request_id != NULL)
		memcpy(rid, o->request_id, 32);
	else
		randombytes_buf(rid, 32);
	if ((rc = ccc_ct_src_open_max(&src, o->cts, o->ncts, CCC_BLOB_MAX,
	    err)) != 0)
		goto out;
	src_open = true;
	memset(&pp, 0, sizeof(pp));
	pp.pub = &pub;
	pp.roster = &roster;
	pp.pool = &pool;
	pp.meas = meas;
	pp.rcpt = o->recipient != NULL ? rcpt : NULL;
	pp.key.p = kb.p;
	pp.key.n = kb.len;
	pp.key.name = o->enclave_key;
	pp.reps = reps.p;
	pp.reps_len = reps.len;
	pp.nreps = o->nreplica_keys;
	pp.rep_names = (const char *const *)o->replica_keys;
	pp.agree = o->agree;
	pp.ra = ra.p;
	pp.ra_len = ra.len;
	pp.nra = o->nreassigned;
	pp.rid = rid;
	pp.assignment = o->assignment;
	pp.src = &src;
	if ((rc = ccc_op_request_build(o, &pp, &b, err)) == 0)
		rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
		    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	ccc_tdh2_pub_free(&pub);
	ccc_roster_free(&roster);
	ccc_pool_free(&pool);
	if (src_open)
		ccc_ct_src_close(&src);
	ccc_buf_free(&b);
	ccc_buf_free(&kb);
	ccc_buf_free(&code);
	ccc_buf_free(&ra);
	ccc_buf_free(&reps);
	return rc;
}

/* The recipient public key file path, its 32 bytes into pk. */
int
ccc_op_read_recipient(uint8_t pk[32], const char *path, struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, 4096, false, err)) == 0 &&
	    (rc = ccc_recipient_pub_load(pk, b.p, b.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

/* The measurement of the code file path: SHA-384 of the executable. */
int
ccc_op_measure(uint8_t meas[48], const char *path, struct ccc_err *err)
{
	struct ccc_buf code;
	int rc;

	ccc_buf_init(&code, 0);
	if ((rc = ccc_read_named(&code, path, 1UL << 30, false, err)) == 0 &&
	    EVP_Digest(code.p, code.len, meas, NULL, EVP_sha384(),
	    NULL) != 1)
		rc = ccc_err_openssl(err, "sha384");
	ccc_buf_free(&code);
	return rc;
}
