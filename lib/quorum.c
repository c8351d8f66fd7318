/* Rosters, requests, oracle signatures and quorum certificates. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "attest.h"
#include "cli.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "policy.h"
#include "quorum.h"
#include "result.h"

#define U(k, nm, lo, hi, fl) { k, nm, CCC_F_UINT, fl, lo, hi, 0, NULL }
#define B(k, nm, lo, hi, fl) { k, nm, CCC_F_BSTR, fl, lo, hi, 0, NULL }
#define T(k, nm, lo, hi, fl) { k, nm, CCC_F_TSTR, fl, lo, hi, 0, NULL }
#define SCHEMA(var, type, title, tbl) \
	const struct ccc_schema var = { type, title, tbl, \
	    sizeof(tbl) / sizeof(tbl[0]) }

static const struct ccc_field member_fields[] = {
	B(1, "id", 32, 32, 0),
	B(2, "pk", 32, 32, 0),
	T(3, "name", 1, CCC_ID_NAME_MAX, CCC_F_OPT),
};
static SCHEMA(member_schema, NULL, "roster member", member_fields);

static const struct ccc_field roster_fields[] = {
	T(1, "name", 1, CCC_ID_NAME_MAX, 0),
	U(2, "q", 1, 255, 0),
	{ 3, "members", CCC_F_MAP_ARRAY, 0, 1, 255, 0, &member_schema },
	U(4, "not_before", 0, UINT64_MAX, 0),
	U(5, "not_after", 0, UINT64_MAX, 0),
};
SCHEMA(ccc_schema_roster, "ccc/roster/v1", "oracle roster", roster_fields);

static const struct ccc_field request_fields[] = {
	B(1, "request_id", 32, 32, 0),
	T(2, "app_id", 1, CCC_APP_ID_MAX, 0),
	B(3, "code", 48, 48, 0),
	B(4, "key_id", 32, 32, 0),
	U(5, "epoch", 0, UINT64_MAX, 0),
	{ 6, "ciphertexts", CCC_F_BLOB_ARRAY, 0, 1, CCC_REQUEST_MAX_CTS,
	    (uint32_t)CCC_CT_SYM_MAX + 4096, &ccc_schema_ct },
	B(7, "enclave_id", 32, 32, 0),
	B(8, "enclave_key", 32, 32, 0),
	U(9, "created", 0, UINT64_MAX, 0),
	U(10, "expires", 0, UINT64_MAX, 0),
	U(11, "security", 1, 1, 0),
	U(12, "output", 0, 2, 0),
	B(13, "recipient", 32, 32, CCC_F_OPT),
	{ 14, "network", CCC_F_BOOL, CCC_F_OPT, 0, 1, 0, NULL },
};
SCHEMA(ccc_schema_request, "ccc/request/v1", "computation request",
    request_fields);

static const struct ccc_field sig_fields[] = {
	B(1, "signer", 32, 32, 0),
	T(2, "blob_type", 1, 64, 0),
	B(3, "digest", 32, 32, 0),
	B(4, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_signature, "ccc/signature/v1", "oracle signature",
    sig_fields);

static const struct ccc_field csig_fields[] = {
	B(1, "signer", 32, 32, 0),
	B(2, "sig", 64, 64, 0),
};
static SCHEMA(csig_schema, NULL, "certificate signature", csig_fields);

static const struct ccc_field cert_fields[] = {
	B(1, "roster", 32, 32, 0),
	T(2, "blob_type", 1, 64, 0),
	{ 3, "blob", CCC_F_BLOB, 0, 0, 0, (uint32_t)CCC_BLOB_MAX, NULL },
	{ 4, "signatures", CCC_F_MAP_ARRAY, 0, 1, 255, 0, &csig_schema },
};
SCHEMA(ccc_schema_certified, "ccc/certified/v1", "quorum certificate",
    cert_fields);

/* ---- rosters ----------------------------------------------------------- */

void
ccc_roster_free(struct ccc_roster *r)
{
	free(r->m);
	memset(r, 0, sizeof(*r));
}

const char *
ccc_member_label(const struct ccc_member *m, char *buf, size_t len)
{
	if (m->name[0] != '\0')
		ccc_vis(buf, len, m->name, strlen(m->name), CCC_VIS_SLASH);
	else {
		char hex[17];
		sodium_bin2hex(hex, sizeof(hex), m->id, 8);
		snprintf(buf, len, "%s", hex);
	}
	return buf;
}

long
ccc_roster_find(const struct ccc_roster *r, const uint8_t id[32])
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (memcmp(r->m[i].id, id, 32) == 0)
			return (long)i;
	return -1;
}

int
ccc_roster_load(struct ccc_roster *r, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[ROSTER_NFIELDS], mv[MEMBER_NFIELDS];
	struct ccc_cur c;
	uint8_t id[32];
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = ccc_blob_decode(&ccc_schema_roster, p, len, v, 0, err)) != 0)
		return rc;
	memcpy(r->name, v[ROSTER_NAME].p, v[ROSTER_NAME].n);
	r->q = (uint32_t)v[ROSTER_Q].u;
	r->n = v[ROSTER_MEMBERS].count;
	r->not_before = v[ROSTER_NOT_BEFORE].u;
	r->not_after = v[ROSTER_NOT_AFTER].u;
	if (r->q > r->n)
		return ccc_err_set(err, CCC_E_FIELD, v[ROSTER_Q].off, "q",
		    "quorum %u exceeds the %zu members", r->q, r->n);
	if ((r->m = calloc(r->n, sizeof(*r->m))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "roster");
	ccc_cur_init(&c, v[ROSTER_MEMBERS].p, v[ROSTER_MEMBERS].n,
	    v[ROSTER_MEMBERS].off, err);
	for (i = 0; i < r->n; i++) {
		long long at = ccc_cur_pos(&c);
		if ((rc = ccc_blob_decode_map(&member_schema, &c, mv)) != 0)
			goto fail;
		memcpy(r->m[i].id, mv[MEMBER_ID].p, 32);
		memcpy(r->m[i].pk, mv[MEMBER_PK].p, 32);
		if (mv[MEMBER_NAME].present)
			memcpy(r->m[i].name, mv[MEMBER_NAME].p,
			    mv[MEMBER_NAME].n);
		ccc_identity_id(id, r->m[i].pk);
		if (memcmp(id, r->m[i].id, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_KEY, at, "members",
			    "member %zu: id does not match its key", i + 1);
			goto fail;
		}
		/* Sorted, hence distinct: a member cannot count twice. */
		if (i > 0 && memcmp(r->m[i - 1].id, r->m[i].id, 32) >= 0) {
			rc = ccc_err_set(err, CCC_E_FIELD, at, "members",
			    "member %zu: members not in ascending id order or "
			    "repeated", i + 1);
			goto fail;
		}
	}
	crypto_hash_sha256(r->roster_id, p, len);
	return 0;
fail:
	ccc_roster_free(r);
	return rc;
}

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
		if ((rc = ccc_op_read(&b, o->members[i], 4096, false,
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
		if ((rc = ccc_blob_encode(&mb, &member_schema, mv)) != 0)
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

/* ---- requests ---------------------------------------------------------- */

/*
 * The request schema with its ciphertext array allowed empty: for the
 * header of a request whose ciphertexts are read from a file in pieces
 * (ccc_request_decode_head), their count checked apart.
 */
static struct ccc_field request_head_fields[REQ_NFIELDS];
static struct ccc_schema request_head_schema;

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

	if (request_head_schema.fields == NULL) {
		memcpy(request_head_fields, request_fields,
		    sizeof(request_fields));
		request_head_fields[REQ_CTS].min = 0;
		request_head_schema = ccc_schema_request;
		request_head_schema.fields = request_head_fields;
	}
	memset(rq, 0, sizeof(*rq));
	if ((rc = ccc_blob_decode(&request_head_schema, p, len, v, 0,
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
ccc_app_id_check(const char *app, size_t len, long long off,
    struct ccc_err *err)
{
	size_t i;
	char c;

	if (len == 0 || len > CCC_APP_ID_MAX)
		return ccc_err_set(err, CCC_E_FIELD, off, "app_id", "app_id: "
		    "%zu bytes, expected 1 to %d", len, CCC_APP_ID_MAX);
	for (i = 0; i < len; i++) {
		c = app[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return ccc_err_set(err, CCC_E_FIELD, off < 0 ? -1 :
			    off + (len < 24 ? 1 : 2) + (long long)i, "app_id",
			    "app_id: byte %zu (0x%02x) is not a letter, digit, "
			    "'.', '_' or '-'", i, (unsigned)(unsigned char)c);
	}
	return 0;
}

static int
request_from_vals(struct ccc_request *rq, const struct ccc_val *v,
    struct ccc_err *err)
{
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
	if (rq->output == CCC_OUTPUT_SEALED && !rq->has_recipient)
		return ccc_err_set(err, CCC_E_FIELD, v[REQ_OUTPUT].off, "output",
		    "output sealed to a recipient, but no recipient given");
	if (rq->expires <= rq->created)
		return ccc_err_set(err, CCC_E_FIELD, v[REQ_EXPIRES].off,
		    "expires", "the request expires before it was created");
	return 0;
}

int
ccc_request_read(struct ccc_buf *b, struct ccc_request *rq, const char *path,
    struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_op_read(b, path, CCC_BLOB_MAX, false, err)) != 0)
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
		    err)) != 0)
			return ccc_err_what(err, path);
		rc = ccc_request_decode(rq, cv[CERT_BLOB].p, cv[CERT_BLOB].n,
		    err);
	} else
		rc = ccc_request_decode(rq, p, len, err);
	return rc ? ccc_err_what(err, path) : 0;
}

int
ccc_request_check(const struct ccc_request *rq,
    const struct ccc_tdh2_pub *pub, const struct ccc_label_policy *pol,
    uint64_t now, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_ct_src src;
	struct ccc_ct ct;
	const uint8_t *p;
	size_t n;
	int rc;

	if (rq->created > now + CCC_REQUEST_SKEW)
		return ccc_err_set(err, CCC_E_FIELD, -1, "created", "the "
		    "request was created in the future (%llu, now %llu)",
		    (unsigned long long)rq->created, (unsigned long long)now);
	if (rq->expires - rq->created > CCC_REQUEST_MAX_LIFETIME)
		return ccc_err_set(err, CCC_E_FIELD, -1, "expires", "the "
		    "request is valid for %llu s, more than the %d s allowed",
		    (unsigned long long)(rq->expires - rq->created),
		    CCC_REQUEST_MAX_LIFETIME);
	if (now >= rq->expires)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, "expires",
		    "the request expired at %llu (now %llu)",
		    (unsigned long long)rq->expires, (unsigned long long)now);
	if (pub != NULL && memcmp(rq->key_id, pub->key_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "key_id", "the request "
		    "is for key %s, not this public key",
		    ccc_short_id(rq->key_id));
	if (pub != NULL && rq->epoch != pub->epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch", "the request "
		    "is for epoch %llu, the key is at epoch %llu",
		    (unsigned long long)rq->epoch,
		    (unsigned long long)pub->epoch);
	/* The ciphertexts, in memory or left in the request's file. */
	ccc_ct_src_request(&src, rq, NULL);
	while ((rc = ccc_ct_src_next(&src, &p, &n, err)) == 1)
		if ((rc = ccc_ct_decode(&ct, p, n, 0, err)) != 0 ||
		    (rc = ccc_label_policy_check(pol, rq->app, rq->app_len,
		    ct.context, ct.context_len, err)) != 0 ||
		    (pub != NULL && (rc = ccc_tdh2_verify(ec, pub, &ct.t,
		    err)) != 0)) {
			ccc_err_item(err, src.item);
			break;
		}
	ccc_ct_src_close(&src);
	return rc;
}

int
ccc_quorum_request(const struct ccc_request_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_identity *enc = NULL;
	struct ccc_ct_src src;
	struct ccc_ct ct;
	struct ccc_err e;
	struct ccc_val v[REQ_NFIELDS];
	struct ccc_buf b, cts, code;
	uint8_t rid[32], meas[48], ekey[32], rcpt[32];
	const uint8_t *p;
	size_t n;
	int rc;
	bool src_open = false;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&b, 0);
	ccc_buf_init(&cts, 0);
	ccc_buf_init(&code, 0);
	ccc_err_clear(&e);
	if (ccc_app_id_check(o->app, strlen(o->app), -1, &e) != 0) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-a: %s", e.detail);
		goto out;
	}
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		goto out;
	if ((enc = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
		goto out;
	}
	/*
	 * The assigned enclave: its certificate chain (PEM; the id is the
	 * SHA-256 of its leaf, which its attestation documents carry), or an
	 * identity public key.
	 */
	if ((rc = ccc_op_read(&b, o->enclave, 1 << 20, false, err)) != 0)
		goto out;
	if (b.len >= 10 && memcmp(b.p, "-----BEGIN", 10) == 0) {
		if ((rc = ccc_attest_chain_id(o->enclave, enc->id, err)) != 0)
			goto out;
	} else if ((rc = ccc_identity_load(enc, b.p, b.len, err)) != 0) {
		ccc_err_what(err, o->enclave);
		goto out;
	}
	ccc_buf_reset(&b);
	if ((rc = ccc_op_read(&b, o->enclave_key, 4096, false, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_pub_load(ekey, b.p, b.len, err)) != 0) {
		ccc_err_what(err, o->enclave_key);
		goto out;
	}
	if (o->recipient != NULL) {
		ccc_buf_reset(&b);
		if ((rc = ccc_op_read(&b, o->recipient, 4096, false,
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
		if ((rc = ccc_op_read(&code, o->code_file, 1UL << 30, false,
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
	while ((rc = ccc_ct_src_next(&src, &p, &n, err)) == 1) {
		/*
		 * What every node will check, checked now: points and
		 * scalars valid, the proof verifying under this key.
		 */
		if ((rc = ccc_ct_decode(&ct, p, n, 0, err)) != 0 ||
		    (rc = ccc_tdh2_verify(ccc_ec_default(), &pub, &ct.t,
		    err)) != 0) {
			ccc_err_item(err, src.item);
			ccc_err_what(err, src.name);
			goto out;
		}
		if ((rc = ccc_cbor_put_bstr(&cts, p, n)) != 0)
			goto nomem;
	}
	if (rc != 0)
		goto out;
	ccc_val_bytes(&v[REQ_ID], rid, 32);
	ccc_val_bytes(&v[REQ_APP], o->app, strlen(o->app));
	ccc_val_bytes(&v[REQ_CODE], meas, 48);
	ccc_val_bytes(&v[REQ_KEY_ID], pub.key_id, 32);
	ccc_val_uint(&v[REQ_EPOCH], pub.epoch);
	ccc_val_array(&v[REQ_CTS], cts.p, cts.len, src.n);
	ccc_val_bytes(&v[REQ_ENCLAVE], enc->id, 32);
	ccc_val_bytes(&v[REQ_ENCLAVE_KEY], ekey, 32);
	ccc_val_uint(&v[REQ_CREATED], o->now);
	ccc_val_uint(&v[REQ_EXPIRES], o->expires);
	ccc_val_uint(&v[REQ_SECURITY], CCC_SECURITY_SINGLE);
	ccc_val_uint(&v[REQ_OUTPUT], o->output);
	memset(&v[REQ_RECIPIENT], 0, sizeof(v[REQ_RECIPIENT]));
	if (o->recipient != NULL)
		ccc_val_bytes(&v[REQ_RECIPIENT], rcpt, 32);
	memset(&v[REQ_NETWORK], 0, sizeof(v[REQ_NETWORK]));
	if (o->network)
		ccc_val_uint(&v[REQ_NETWORK], 1);
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
		/* What a consumer will check, checked before it leaves. */
		struct ccc_request rq;
		if ((rc = ccc_request_decode(&rq, b.p, b.len, err)) != 0)
			goto out;
	}
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "request");
out:
	ccc_identity_free(enc);
	ccc_tdh2_pub_free(&pub);
	if (src_open)
		ccc_ct_src_close(&src);
	ccc_buf_free(&b);
	ccc_buf_free(&cts);
	ccc_buf_free(&code);
	return rc;
}

/* ---- signatures and certificates --------------------------------------- */

/*
 * An oracle signs under the purpose CCC_ORACLE_PURPOSE || type: its own
 * domain, apart from every other signature an identity makes (DKG messages
 * and group confirmations sign under a bare type string, and no type has a
 * ':'), and one per blob type.
 */
static const char *
oracle_purpose(char buf[CCC_ORACLE_PURPOSE_MAX], const struct ccc_schema *s)
{
	int n;

	n = snprintf(buf, CCC_ORACLE_PURPOSE_MAX, "%s%s", CCC_ORACLE_PURPOSE,
	    s->type);
	return n > 0 && n < CCC_ORACLE_PURPOSE_MAX ? buf : "";
}

static int
oracle_verify(const uint8_t sig[64], const uint8_t pk[32],
    const struct ccc_schema *s, const uint8_t d[32])
{
	char purpose[CCC_ORACLE_PURPOSE_MAX];

	return ccc_identity_verify_digest(sig, pk, oracle_purpose(purpose, s),
	    d);
}

/*
 * What an oracle checks before signing a result (step 7): it answers the
 * request and its attestation verifies under the oracle's policy now.
 */
static int
check_result(const struct ccc_sign_opts *o, const struct ccc_buf *in,
    struct ccc_err *err)
{
	struct ccc_attest_policy *pol = NULL;
	struct ccc_attest_report *rep = NULL;
	struct ccc_result r;
	struct ccc_request rq;
	struct ccc_buf rb;
	int rc;

	/* A result at odds with itself is refused before anything else. */
	if ((rc = ccc_result_decode(&r, in->p, in->len, err)) != 0)
		return rc;
	if (o->attest_policy == NULL || o->request == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "signing a "
		    "result needs the attestation policy (-A) and the request "
		    "it answers (-F)");
	ccc_buf_init(&rb, 0);
	if ((pol = ccc_attest_policy_new()) == NULL ||
	    (rep = malloc(sizeof(*rep))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
		goto out;
	}
	if ((rc = ccc_attest_policy_load(pol, o->attest_policy, err)) != 0 ||
	    (rc = ccc_request_read(&rb, &rq, o->request, err)) != 0)
		goto out;
	rc = ccc_result_attest(&r, &rq, pol, NULL, (int64_t)o->now * 1000,
	    rep, err);
out:
	ccc_attest_policy_free(pol);
	free(rep);
	ccc_buf_free(&rb);
	return rc;
}

int
ccc_quorum_sign(const struct ccc_sign_opts *o, struct ccc_err *err)
{
	struct ccc_identity *k = NULL;
	struct ccc_tdh2_pub pub;
	struct ccc_label_policy pol;
	const struct ccc_schema *s;
	struct ccc_val v[SIG_NFIELDS];
	struct ccc_buf kb, in, out;
	uint8_t d[32], sig[64];
	char purpose[CCC_ORACLE_PURPOSE_MAX];
	int rc;

	memset(&pub, 0, sizeof(pub));
	memset(&pol, 0, sizeof(pol));
	pol.allow_unlabelled_all = o->allow_unlabelled;
	ccc_buf_init(&kb, 1);
	ccc_buf_init(&in, 0);
	ccc_buf_init(&out, 0);
	if ((k = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_op_read(&kb, o->key, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_identity_load(k, kb.p, kb.len, err)) != 0 ||
	    (!k->has_secret && (rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL,
	    "expected an identity secret key (ccc/identity-key/v1)")) != 0)) {
		ccc_err_what(err, o->key);
		goto out;
	}
	if ((rc = ccc_op_read(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((s = ccc_blob_peek_type(in.p, in.len)) == NULL) {
		rc = ccc_err_set(err, CCC_E_TYPE, 0, NULL, "not a ccc blob");
		goto fail_in;
	}
	/* An oracle checking results signs nothing else it is handed. */
	if ((o->attest_policy != NULL || o->request != NULL) &&
	    s != &ccc_schema_result) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "-A and -F sign "
		    "only a result (%s), not %s", ccc_schema_result.type,
		    s->type);
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
		if ((rc = ccc_blob_decode(s, in.p, in.len, tmp, 0, err)) != 0)
			goto fail_in;
	}
	if (s == &ccc_schema_request) {
		struct ccc_request rq;
		if (o->tpk == NULL) {
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "signing a "
			    "request needs the threshold public key (-k) to "
			    "check its ciphertexts");
			goto out;
		}
		if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0 ||
		    (rc = ccc_label_policy_load(&pol, o->policy, err)) != 0)
			goto out;
		pol.allow_unlabelled_all = o->allow_unlabelled;
		if ((rc = ccc_request_decode(&rq, in.p, in.len, err)) != 0 ||
		    (rc = ccc_request_check(&rq, &pub, &pol, o->now,
		    err)) != 0)
			goto fail_in;
	}
	if (s == &ccc_schema_result && (rc = check_result(o, &in, err)) != 0)
		goto fail_in;
	crypto_hash_sha256(d, in.p, in.len);
	if ((rc = ccc_identity_sign_digest(sig, k, oracle_purpose(purpose, s),
	    d)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "sign");
		goto out;
	}
	ccc_val_bytes(&v[SIG_SIGNER], k->id, 32);
	ccc_val_bytes(&v[SIG_TYPE], s->type, strlen(s->type));
	ccc_val_bytes(&v[SIG_DIGEST], d, 32);
	ccc_val_bytes(&v[SIG_SIG], sig, 64);
	if ((rc = ccc_blob_encode(&out, &ccc_schema_signature, v)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "signature");
		goto out;
	}
	rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
fail_in:
	ccc_err_what(err, ccc_io_name(o->in, 0));
out:
	ccc_identity_free(k);
	ccc_tdh2_pub_free(&pub);
	ccc_label_policy_free(&pol);
	ccc_buf_free(&kb);
	ccc_buf_free(&in);
	ccc_buf_free(&out);
	return rc;
}

int
ccc_roster_read(struct ccc_roster *r, const char *path, struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_op_read(&b, path, 1 << 20, false, err)) == 0 &&
	    (rc = ccc_roster_load(r, b.p, b.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

static int
roster_valid(const struct ccc_roster *r, uint64_t now, struct ccc_err *err)
{
	if (now < r->not_before || now >= r->not_after)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, NULL, "roster \"%s\" "
		    "is valid from %llu to %llu, not at %llu", r->name,
		    (unsigned long long)r->not_before,
		    (unsigned long long)r->not_after, (unsigned long long)now);
	return 0;
}

/* "missing: a, b" for the members whose bit is clear in have. */
static void
missing_list(char *buf, size_t len, const struct ccc_roster *r,
    const bool *have)
{
	char name[80];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && off < len; i++)
		if (!have[i])
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "; not signed by ",
			    ccc_member_label(&r->m[i], name, sizeof(name)));
}

int
ccc_quorum_combine(const struct ccc_qcombine_opts *o, struct ccc_err *err)
{
	struct ccc_roster r;
	const struct ccc_schema *s;
	struct ccc_val v[SIG_NFIELDS], cv[CERT_NFIELDS], sv[CSIG_NFIELDS];
	struct ccc_buf in, sb, sigs, out;
	struct ccc_err e;
	bool *have = NULL;
	uint8_t d[32], (*sig)[64] = NULL;
	char name[80], miss[512];
	size_t i, nvalid = 0;
	long m;
	int k, rc;

	memset(&r, 0, sizeof(r));
	ccc_buf_init(&in, 0);
	ccc_buf_init(&sb, 0);
	ccc_buf_init(&sigs, 0);
	ccc_buf_init(&out, 0);
	if ((rc = ccc_roster_read(&r, o->roster, err)) != 0)
		goto out;
	if ((rc = roster_valid(&r, o->now, err)) != 0) {
		ccc_err_what(err, o->roster);
		goto out;
	}
	if ((rc = ccc_op_read(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((s = ccc_blob_peek_type(in.p, in.len)) == NULL) {
		rc = ccc_err_set(err, CCC_E_TYPE, 0, NULL, "not a ccc blob");
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	crypto_hash_sha256(d, in.p, in.len);
	have = calloc(r.n, sizeof(*have));
	sig = calloc(r.n, sizeof(*sig));
	if (have == NULL || sig == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "signatures");
		goto out;
	}
	for (k = 0; k < o->nsigs; k++) {
		ccc_buf_reset(&sb);
		ccc_err_clear(&e);
		if (ccc_op_read(&sb, o->sigs[k], 4096, false, &e) != 0 ||
		    ccc_blob_decode(&ccc_schema_signature, sb.p, sb.len, v, 0,
		    &e) != 0) {
			ccc_cli_warn("%s: %s; ignored", o->sigs[k], e.detail);
			continue;
		}
		if ((m = ccc_roster_find(&r, v[SIG_SIGNER].p)) < 0) {
			ccc_cli_warn("%s: signer is not in roster \"%s\"; "
			    "ignored", o->sigs[k], r.name);
			continue;
		}
		ccc_member_label(&r.m[m], name, sizeof(name));
		if (have[m]) {
			ccc_cli_warn("%s: a second signature by %s; ignored",
			    o->sigs[k], name);
			continue;
		}
		if (v[SIG_TYPE].n != strlen(s->type) || memcmp(v[SIG_TYPE].p,
		    s->type, v[SIG_TYPE].n) != 0 ||
		    memcmp(v[SIG_DIGEST].p, d, 32) != 0) {
			ccc_cli_warn("%s: %s signed another blob; ignored",
			    o->sigs[k], name);
			continue;
		}
		if (oracle_verify(v[SIG_SIG].p, r.m[m].pk, s, d) != 0) {
			ccc_cli_warn("%s: bad signature by %s; ignored",
			    o->sigs[k], name);
			continue;
		}
		have[m] = true;
		memcpy(sig[m], v[SIG_SIG].p, 64);
		nvalid++;
	}
	if (nvalid < r.q) {
		missing_list(miss, sizeof(miss), &r, have);
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "%zu valid "
		    "signature%s, roster \"%s\" needs %u%s", nvalid,
		    nvalid == 1 ? "" : "s", r.name, r.q, miss);
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	/* Signatures in roster (id) order: the certificate is canonical. */
	for (i = 0; i < r.n; i++) {
		if (!have[i])
			continue;
		ccc_val_bytes(&sv[CSIG_SIGNER], r.m[i].id, 32);
		ccc_val_bytes(&sv[CSIG_SIG], sig[i], 64);
		if ((rc = ccc_blob_encode(&sigs, &csig_schema, sv)) != 0)
			goto nomem;
	}
	ccc_val_bytes(&cv[CERT_ROSTER], r.roster_id, 32);
	ccc_val_bytes(&cv[CERT_TYPE], s->type, strlen(s->type));
	ccc_val_bytes(&cv[CERT_BLOB], in.p, in.len);
	ccc_val_array(&cv[CERT_SIGS], sigs.p, sigs.len, nvalid);
	if ((rc = ccc_blob_encode(&out, &ccc_schema_certified, cv)) != 0)
		goto nomem;
	rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "certificate");
out:
	free(have);
	free(sig);
	ccc_roster_free(&r);
	ccc_buf_free(&in);
	ccc_buf_free(&sb);
	ccc_buf_free(&sigs);
	ccc_buf_free(&out);
	return rc;
}

int
ccc_cert_verify(const struct ccc_roster *r, const uint8_t *cert, size_t len,
    uint64_t now, const uint8_t **blob, size_t *blob_len,
    const struct ccc_schema **type, struct ccc_err *err)
{
	struct ccc_val cv[CERT_NFIELDS];
	uint8_t d[32];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_certified, cert, len, cv, 0,
	    err)) != 0)
		return rc;
	crypto_hash_sha256(d, cv[CERT_BLOB].p, cv[CERT_BLOB].n);
	if ((rc = ccc_cert_check(r, cv, d, now, type, err)) != 0)
		return rc;
	*blob = cv[CERT_BLOB].p;
	*blob_len = cv[CERT_BLOB].n;
	return 0;
}

int
ccc_cert_check(const struct ccc_roster *r, const struct ccc_val *cv,
    const uint8_t d[32], uint64_t now, const struct ccc_schema **type,
    struct ccc_err *err)
{
	struct ccc_val sv[CSIG_NFIELDS];
	const struct ccc_schema *s;
	struct ccc_cur c;
	bool *have;
	char miss[512];
	size_t i, nvalid = 0;
	long m;
	int rc = 0;

	if (memcmp(cv[CERT_ROSTER].p, r->roster_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, cv[CERT_ROSTER].off, "roster",
		    "certified under another roster than \"%s\"", r->name);
	if ((rc = roster_valid(r, now, err)) != 0)
		return rc;
	s = ccc_blob_peek_type(cv[CERT_BLOB].p, cv[CERT_BLOB].n);
	if (s == NULL || cv[CERT_TYPE].n != strlen(s->type) ||
	    memcmp(cv[CERT_TYPE].p, s->type, cv[CERT_TYPE].n) != 0)
		return ccc_err_set(err, CCC_E_TYPE, cv[CERT_TYPE].off,
		    "blob_type", "the certified blob is not of the type the "
		    "certificate names");
	if ((have = calloc(r->n, sizeof(*have))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "certificate");
	ccc_cur_init(&c, cv[CERT_SIGS].p, cv[CERT_SIGS].n, cv[CERT_SIGS].off,
	    NULL);
	for (i = 0; i < cv[CERT_SIGS].count; i++) {
		if (ccc_blob_decode_map(&csig_schema, &c, sv) != 0)
			break;
		/* Unknown, repeated or bad signatures simply do not count. */
		if ((m = ccc_roster_find(r, sv[CSIG_SIGNER].p)) < 0 || have[m] ||
		    oracle_verify(sv[CSIG_SIG].p, r->m[m].pk, s, d) != 0)
			continue;
		have[m] = true;
		nvalid++;
	}
	if (nvalid < r->q) {
		missing_list(miss, sizeof(miss), r, have);
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "%zu valid "
		    "signature%s, roster \"%s\" needs %u%s", nvalid,
		    nvalid == 1 ? "" : "s", r->name, r->q, miss);
	} else
		*type = s;
	free(have);
	return rc;
}

int
ccc_certified_request_read(struct ccc_buf *b, struct ccc_request *rq,
    const struct ccc_roster *r, const char *path, uint64_t now,
    struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_op_read(b, path, CCC_BLOB_MAX, false, err)) != 0)
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
	return ccc_err_what(err, ccc_io_name(path, 0));
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

int
ccc_quorum_verify(const struct ccc_qverify_opts *o, struct ccc_err *err)
{
	struct ccc_roster r;
	const struct ccc_schema *s;
	struct ccc_buf in;
	const uint8_t *blob;
	size_t blen;
	int rc;

	memset(&r, 0, sizeof(r));
	ccc_buf_init(&in, 0);
	if ((rc = ccc_roster_read(&r, o->roster, err)) != 0)
		goto out;
	if ((rc = ccc_op_read(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_cert_verify(&r, in.p, in.len, o->now, &blob, &blen, &s,
	    err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	if (o->verbose) {
		char hex[65];
		sodium_bin2hex(hex, sizeof(hex), r.roster_id, 32);
		printf("certified %s (%s), %zu bytes, under roster \"%s\" "
		    "(%s), quorum %u of %zu\n", s->title, s->type, blen, r.name,
		    hex, r.q, r.n);
		if (fflush(stdout) != 0)
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout");
		goto out;
	}
	rc = ccc_write_file(o->out, blob, blen, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	ccc_roster_free(&r);
	ccc_buf_free(&in);
	return rc;
}
