/*
 * ccc-quorum-sign request --serve: one process of the application's makes
 * the assignments and the requests of many users' inputs (the loop and
 * the answers: lib/ops/serve.c).  The threshold public key, the roster,
 * the recipient key and the program's measurement are read once; the
 * enclave pool is read again for each item, so that a newly certified
 * pool counts from the next one; each item is made at the time of its
 * arrival unless --now fixes it, exactly as the one-shot assign and
 * request make it.  Items: ccc/assign-order/v1, answered with assign's
 * lines (the request id in the answer); ccc/request-order/v1, answered
 * with the request.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "cbor.h"
#include "ctsrc.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "pool.h"
#include "quorum.h"
#include "schemas.h"

struct request_serving {
	const struct ccc_request_opts *o;
	struct ccc_tdh2_pub pub;
	struct ccc_roster roster;
	struct ccc_pool pool;
	uint8_t meas[48], rcpt[32];
	bool fixed_now;
};

static int
assign_item(struct request_serving *s, const struct ccc_val *v,
    uint64_t now, const char *name, struct ccc_out *out, uint8_t rid[32],
    bool *have_rid, struct ccc_err *err)
{
	struct ccc_op_assignment a;
	struct ccc_op_bytes *ra = NULL;
	char (*names)[64] = NULL;
	struct ccc_buf text;
	size_t nra;
	int rc;

	ccc_buf_init(&text, 0);
	if ((rc = ccc_serve_bytes(&v[AORD_REASSIGNED], name, "reassignment",
	    &ra, &names, &nra, err)) != 0)
		goto out;
	memset(&a, 0, sizeof(a));
	a.roster = &s->roster;
	a.pool = &s->pool;
	a.pool_name = s->o->pool;
	a.assignment = v[AORD_ASSIGNMENT].present ? v[AORD_ASSIGNMENT].p :
	    NULL;
	a.reassigned = ra;
	a.nreassigned = (int)nra;
	a.replicas = v[AORD_REPLICAS].present ? (uint32_t)v[AORD_REPLICAS].u :
	    1;
	a.now = now;
	if ((rc = ccc_op_assign(&a, &text, rid, err)) == 0) {
		*have_rid = true;
		rc = ccc_out_write(out, text.p, text.len, err);
	}
out:
	free(ra);
	free(names);
	ccc_buf_free(&text);
	return rc;
}

static int
request_item(struct request_serving *s, const struct ccc_val *v,
    uint64_t now, const char *name, struct ccc_out *out, uint8_t rid[32],
    bool *have_rid, struct ccc_err *err)
{
	struct ccc_request_opts o = *s->o;
	struct ccc_op_request_parts pp;
	struct ccc_ct_src src;
	struct ccc_cur c;
	struct ccc_buf b;
	char (*keynames)[64] = NULL;
	const char **repnames = NULL;
	size_t nkeys = v[RORD_KEYS].count, i;
	uint32_t agree = v[RORD_AGREE].present ? (uint32_t)v[RORD_AGREE].u : 0;
	int rc;

	ccc_buf_init(&b, 0);
	if (agree > 0 && (nkeys < 2 || agree > nkeys || 2 * agree <= nkeys)) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, nkeys < 2 ?
		    "agree needs several enclave keys" : "agree: a majority "
		    "of the %zu replicas, at most all", nkeys);
		ccc_err_what(err, name);
		return rc;
	}
	o.now = now;
	o.expires = now + (s->o->expires - s->o->now);
	memset(&pp, 0, sizeof(pp));
	keynames = calloc(nkeys, sizeof(*keynames));
	repnames = calloc(nkeys, sizeof(*repnames));
	if (keynames == NULL || repnames == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", name);
		goto out;
	}
	/* The keys: the assigned enclave's, then the other replicas'. */
	ccc_cur_init(&c, v[RORD_KEYS].p, v[RORD_KEYS].n, v[RORD_KEYS].off,
	    err);
	if ((rc = ccc_cur_bstr(&c, &pp.key.p, &pp.key.n, "enclave_keys")) != 0)
		goto out;
	pp.key.name = name;
	pp.reps = v[RORD_KEYS].p + c.off;
	pp.reps_len = v[RORD_KEYS].n - c.off;
	pp.nreps = (int)nkeys - 1;
	for (i = 1; i < nkeys; i++) {
		snprintf(keynames[i], sizeof(keynames[i]), "%s enclave key %zu",
		    name, i + 1);
		repnames[i - 1] = keynames[i];
	}
	pp.rep_names = repnames;
	pp.agree = agree;
	if (v[RORD_REASSIGNED].present) {
		pp.ra = v[RORD_REASSIGNED].p;
		pp.ra_len = v[RORD_REASSIGNED].n;
		pp.nra = (int)v[RORD_REASSIGNED].count;
	}
	if (v[RORD_ID].present)
		memcpy(rid, v[RORD_ID].p, 32);
	else
		randombytes_buf(rid, 32);
	pp.rid = rid;
	pp.assignment = v[RORD_ASSIGNMENT].present ? v[RORD_ASSIGNMENT].p :
	    NULL;
	pp.pub = &s->pub;
	pp.roster = &s->roster;
	pp.pool = &s->pool;
	pp.meas = s->meas;
	pp.rcpt = s->o->recipient != NULL ? s->rcpt : NULL;
	ccc_ct_src_array(&src, &v[RORD_CTS], -1, 0, name);
	pp.src = &src;
	if ((rc = ccc_op_request_build(&o, &pp, &b, err)) == 0) {
		*have_rid = true;
		rc = ccc_out_write(out, b.p, b.len, err);
	}
	ccc_ct_src_close(&src);
out:
	free(keynames);
	free(repnames);
	ccc_buf_free(&b);
	return rc;
}

static int
serve_item(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct request_serving *s = ctx;
	/* An assignment order, else a request order (whose decoder names
	 * any other type). */
	const struct ccc_schema *type = ccc_blob_peek_type(p, n) ==
	    &ccc_schema_assign_order ? &ccc_schema_assign_order :
	    &ccc_schema_request_order;
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	uint64_t now = s->fixed_now ? s->o->now : ccc_serve_clock();
	int rc;

	*have_rid = false;
	if ((rc = ccc_blob_decode(type, p, n, v, 0, err)) != 0) {
		ccc_err_what(err, name);
		return rc;
	}
	ccc_pool_free(&s->pool);
	if ((rc = ccc_pool_read(&s->pool, &s->roster, s->o->pool, now,
	    err)) != 0)
		return rc;
	return type == &ccc_schema_assign_order ?
	    assign_item(s, v, now, name, out, rid, have_rid, err) :
	    request_item(s, v, now, name, out, rid, have_rid, err);
}

int
ccc_quorum_request_serve(const struct ccc_request_opts *o, bool fixed_now,
    struct ccc_err *err)
{
	struct request_serving s;
	struct ccc_err e;
	int rc;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.fixed_now = fixed_now;
	ccc_err_clear(&e);
	if (ccc_app_id_check(o->app, strlen(o->app), -1, &e) != 0) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-a: %s", e.detail);
		goto out;
	}
	if ((rc = ccc_op_read_tpk(&s.pub, o->tpk, err)) != 0 ||
	    (rc = ccc_roster_read(&s.roster, o->roster, err)) != 0 ||
	    (o->recipient != NULL && (rc = ccc_op_read_recipient(s.rcpt,
	    o->recipient, err)) != 0))
		goto out;
	if (o->measurement != NULL)
		memcpy(s.meas, o->measurement, 48);
	else if ((rc = ccc_op_measure(s.meas, o->code_file, err)) != 0)
		goto out;
	rc = ccc_serve_loop(serve_item, NULL, &s, err);
out:
	ccc_tdh2_pub_free(&s.pub);
	ccc_roster_free(&s.roster);
	ccc_pool_free(&s.pool);
	return rc;
}

/* The named files as bstrs into arr (each at most max bytes). */
static int
put_files(struct ccc_buf *arr, char **files, int n, size_t max,
    struct ccc_err *err)
{
	struct ccc_buf f;
	int i, rc = 0;

	ccc_buf_init(&f, 0);
	for (i = 0; i < n && rc == 0; i++) {
		ccc_buf_reset(&f);
		if ((rc = ccc_read_named(&f, files[i], max, false, err)) == 0 &&
		    ccc_cbor_put_bstr(arr, f.p, f.len) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
	}
	ccc_buf_free(&f);
	return rc;
}

/*
 * The ciphertexts of files, as request reads them (CBOR sequences of
 * ciphertext blobs or Chainlink JSON, framed and counted first), as
 * bstrs into arr; *n of them.
 */
static int
put_cts(struct ccc_buf *arr, char **files, int nfiles, size_t *n,
    struct ccc_err *err)
{
	struct ccc_ct_src src;
	const uint8_t *p;
	size_t len;
	int rc;

	if ((rc = ccc_ct_src_open_max(&src, files, nfiles, CCC_BLOB_MAX,
	    err)) != 0)
		return rc;
	while ((rc = ccc_ct_src_next(&src, &p, &len, err)) == 1)
		if (ccc_cbor_put_bstr(arr, p, len) != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
			break;
		}
	*n = src.n;
	ccc_ct_src_close(&src);
	return rc;
}

/*
 * The items of request --serve for a shell client, written to o->out:
 * with no enclave key, an assignment order (o->assignment, o->reassigned,
 * replicas); else a request order of the key files (o->enclave_key, then
 * o->replica_keys) and the ciphertexts of the files (as request reads
 * them), with o->request_id, o->assignment, o->reassigned and o->agree.  The
 * files are copied as they are: the serving process checks everything.
 */
int
ccc_quorum_request_item(const struct ccc_request_opts *o, uint32_t replicas,
    struct ccc_err *err)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_buf keys, cts, ra, item;
	char *first[1];
	size_t ncts = 0;
	int rc;

	memset(v, 0, sizeof(v));
	ccc_buf_init(&keys, 0);
	ccc_buf_init(&cts, 0);
	ccc_buf_init(&ra, 0);
	ccc_buf_init(&item, 0);
	if ((rc = put_files(&ra, o->reassigned, o->nreassigned,
	    CCC_REASSIGN_MAX, err)) != 0)
		goto out;
	if (o->enclave_key == NULL) {
		if (o->assignment != NULL)
			ccc_val_bytes(&v[AORD_ASSIGNMENT], o->assignment, 32);
		if (o->nreassigned > 0)
			ccc_val_array(&v[AORD_REASSIGNED], ra.p, ra.len,
			    (size_t)o->nreassigned);
		if (replicas > 1)
			ccc_val_uint(&v[AORD_REPLICAS], replicas);
		if (ccc_blob_encode(&item, &ccc_schema_assign_order, v) != 0)
			goto nomem;
		goto write;
	}
	first[0] = (char *)(uintptr_t)o->enclave_key;
	if ((rc = put_files(&keys, first, 1, CCC_ENCLAVE_KEY_MAX,
	    err)) != 0 || (rc = put_files(&keys, o->replica_keys,
	    o->nreplica_keys, CCC_ENCLAVE_KEY_MAX, err)) != 0 ||
	    (rc = put_cts(&cts, o->cts, o->ncts, &ncts, err)) != 0)
		goto out;
	ccc_val_array(&v[RORD_KEYS], keys.p, keys.len,
	    (size_t)o->nreplica_keys + 1);
	ccc_val_array(&v[RORD_CTS], cts.p, cts.len, ncts);
	if (o->request_id != NULL)
		ccc_val_bytes(&v[RORD_ID], o->request_id, 32);
	if (o->assignment != NULL)
		ccc_val_bytes(&v[RORD_ASSIGNMENT], o->assignment, 32);
	if (o->nreassigned > 0)
		ccc_val_array(&v[RORD_REASSIGNED], ra.p, ra.len,
		    (size_t)o->nreassigned);
	if (o->agree > 0)
		ccc_val_uint(&v[RORD_AGREE], o->agree);
	if (ccc_blob_encode(&item, &ccc_schema_request_order, v) != 0)
		goto nomem;
write:
	rc = ccc_write_file(o->out, item.p, item.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
out:
	ccc_buf_free(&keys);
	ccc_buf_free(&cts);
	ccc_buf_free(&ra);
	ccc_buf_free(&item);
	return rc;
}
