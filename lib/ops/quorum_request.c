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

int
ccc_quorum_request(const struct ccc_request_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_roster roster;
	struct ccc_pool pool;
	struct ccc_enclave_key ek;
	struct ccc_ct_src src;
	struct ccc_ct_check *chk = NULL;
	struct ccc_ct ct;
	struct ccc_err e;
	struct ccc_val v[REQ_NFIELDS];
	struct ccc_buf b, kb, cts, code, ra, reps;
	uint8_t rid[32], meas[48], rcpt[32], egress[2 * CCC_EGRESS_MAX];
	const uint8_t *p;
	size_t n;
	int rc;
	bool src_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&roster, 0, sizeof(roster));
	memset(&pool, 0, sizeof(pool));
	ccc_buf_init(&b, 0);
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&cts, 0);
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
	 * it names the enclave, which must be the one the pool assigns.
	 */
	if ((rc = ccc_read_named(&kb, o->enclave_key, CCC_ENCLAVE_KEY_MAX,
	    false, err)) != 0)
		goto out;
	if ((rc = ccc_enclave_key_decode(&ek, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->enclave_key);
		goto out;
	}
	if ((rc = read_reassigned(&ra, o->reassigned, o->nreassigned,
	    err)) != 0 || (rc = read_replicas(&reps, o->replica_keys,
	    o->nreplica_keys, err)) != 0)
		goto out;
	if (o->recipient != NULL) {
		if ((rc = ccc_read_named(&b, o->recipient, 4096, false,
		    err)) != 0)
			goto out;
		if ((rc = ccc_recipient_pub_load(rcpt, b.p, b.len,
		    err)) != 0) {
			ccc_err_what(err, o->recipient);
			goto out;
		}
	}
	if (o->measurement != NULL)
		memcpy(meas, o->measurement, 48);
	else {
		/* The measurement of the code: SHA-384 of the executable. */
		if ((rc = ccc_read_named(&code, o->code_file, 1UL << 30, false,
		    err)) != 0)
			goto out;
		if (EVP_Digest(code.p, code.len, meas, NULL, EVP_sha384(),
		    NULL) != 1) {
			rc = ccc_err_openssl(err, "sha384");
			goto out;
		}
	}
	if (o->request_id != NULL)
		memcpy(rid, o->request_id, 32);
	else
		randombytes_buf(rid, 32);
	if ((rc = ccc_ct_src_open_max(&src, o->cts, o->ncts, CCC_BLOB_MAX,
	    err)) != 0)
		goto out;
	src_open = true;
	if ((chk = malloc(sizeof(*chk))) == NULL)
		goto nomem;
	ccc_ct_check_init(chk, ccc_ec_default(), &pub);
	while ((rc = ccc_ct_src_next(&src, &p, &n, err)) == 1) {
		/*
		 * What every node will check, checked now: points and
		 * scalars valid, the proof verifying under this key (in
		 * batches where the ciphertexts carry their commitments).
		 */
		if ((rc = ccc_ct_decode(&ct, p, n, 0, err)) != 0) {
			ccc_err_item(err, src.item);
			ccc_err_what(err, src.name);
			break;
		}
		if ((rc = ccc_ct_check_add(chk, &ct, src.item, src.name,
		    err)) != 0)
			goto out;
		if ((rc = ccc_cbor_put_bstr(&cts, p, n)) != 0)
			goto nomem;
	}
	if ((rc = ccc_ct_check_end(chk, rc, err)) != 0)
		goto out;
	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[REQ_ID], rid, 32);
	ccc_val_bytes(&v[REQ_APP], o->app, strlen(o->app));
	ccc_val_bytes(&v[REQ_CODE], meas, 48);
	ccc_val_bytes(&v[REQ_KEY_ID], pub.key_id, 32);
	ccc_val_uint(&v[REQ_EPOCH], pub.epoch);
	ccc_val_array(&v[REQ_CTS], cts.p, cts.len, src.n);
	ccc_val_bytes(&v[REQ_ENCLAVE], ek.enclave_id, 32);
	ccc_val_bytes(&v[REQ_ENCLAVE_KEY], ek.pk, 32);
	ccc_val_uint(&v[REQ_CREATED], o->now);
	ccc_val_uint(&v[REQ_EXPIRES], o->expires);
	ccc_val_uint(&v[REQ_SECURITY], o->nreplica_keys > 0 ?
	    CCC_SECURITY_REPLICATED : CCC_SECURITY_SINGLE);
	if (o->nreplica_keys > 0) {
		ccc_val_array(&v[REQ_REPLICAS], reps.p, reps.len,
		    (size_t)o->nreplica_keys);
		ccc_val_uint(&v[REQ_AGREE], o->agree ? o->agree :
		    (uint32_t)o->nreplica_keys + 1);
	}
	ccc_val_uint(&v[REQ_OUTPUT], o->output);
	if (o->recipient != NULL)
		ccc_val_bytes(&v[REQ_RECIPIENT], rcpt, 32);
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
	ccc_val_bytes(&v[REQ_POOL], pool.digest, 32);
	ccc_val_bytes(&v[REQ_ENCLAVE_ATT], kb.p, kb.len);
	if (o->assignment != NULL && memcmp(o->assignment, rid, 32) != 0)
		ccc_val_bytes(&v[REQ_ASSIGNMENT], o->assignment, 32);
	if (o->nreassigned > 0)
		ccc_val_array(&v[REQ_REASSIGNED], ra.p, ra.len,
		    (size_t)o->nreassigned);
	ccc_buf_reset(&b);
	if ((rc = ccc_blob_encode(&b, &ccc_schema_request, v)) != 0)
		goto nomem;
	if (b.len > CCC_BLOB_MAX) {
		/* No oracle, node or enclave would read it. */
		rc = ccc_err_set(err, CCC_E_TOOBIG, -1, NULL, "the request "
		    "would be %zu bytes, more than the %lu its readers take",
		    b.len, CCC_BLOB_MAX);
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
		if ((rc = ccc_request_decode(&rq, b.p, b.len, err)) != 0) {
			ccc_err_what(err, o->enclave_key);
			goto out;
		}
		for (j = 0; j < rq.nreplicas; j++)
			if ((rc = ccc_request_replica(&view, &rq, j,
			    err)) != 0 || (rc = ccc_request_key_bound(&view,
			    err)) != 0 || (rc = ccc_request_assign_check(&view,
			    &pool, &roster, o->now, NULL, err)) != 0) {
				ccc_err_what(err, j == 0 ? o->enclave_key :
				    o->replica_keys[j - 1]);
				goto out;
			}
	}
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
out:
	free(chk);
	ccc_tdh2_pub_free(&pub);
	ccc_roster_free(&roster);
	ccc_pool_free(&pool);
	if (src_open)
		ccc_ct_src_close(&src);
	ccc_buf_free(&b);
	ccc_buf_free(&kb);
	ccc_buf_free(&cts);
	ccc_buf_free(&code);
	ccc_buf_free(&ra);
	ccc_buf_free(&reps);
	return rc;
}
