/* Approved key lifecycle changes, retirements and a node's operators
 * (lib/approval.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "approval.h"
#include "keys.h"
#include "schemas.h"

int
ccc_approval_load(struct ccc_approval *a, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	const struct ccc_schema *t = ccc_blob_peek_type(p, len);
	struct ccc_val v[APV_NFIELDS], sv[APS_NFIELDS];
	struct ccc_cur cur;
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	if (t == &ccc_schema_committee || t == &ccc_schema_retire) {
		a->prop = p;	/* not approved by anyone yet */
		a->prop_len = len;
	} else {
		if ((rc = ccc_blob_decode(&ccc_schema_approved, p, len, v, 0,
		    err)) != 0)
			return rc;
		a->prop = v[APV_PROPOSAL].p;
		a->prop_len = v[APV_PROPOSAL].n;
		t = ccc_blob_peek_type(a->prop, a->prop_len);
		if (t != &ccc_schema_committee && t != &ccc_schema_retire)
			return ccc_err_set(err, CCC_E_TYPE,
			    v[APV_PROPOSAL].off, "proposal", "expected a key "
			    "committee or a key retirement");
		ccc_cur_init(&cur, v[APV_SIGS].p, v[APV_SIGS].n,
		    (long long)(v[APV_SIGS].p - p), err);
		for (i = 0; i < v[APV_SIGS].count; i++) {
			if ((rc = ccc_blob_decode_map(&ccc_schema_approval_sig,
			    &cur, sv)) != 0)
				return rc;
			if (i > 0 && memcmp(sv[APS_ID].p, a->id[i - 1],
			    CCC_ID_BYTES) <= 0)
				return ccc_err_set(err, CCC_E_FIELD,
				    sv[APS_ID].off, "sigs", "signers not in "
				    "strictly ascending id order");
			memcpy(a->id[i], sv[APS_ID].p, CCC_ID_BYTES);
			memcpy(a->sig[i], sv[APS_SIG].p, CCC_ID_SIG_BYTES);
		}
		a->nsigs = (uint32_t)v[APV_SIGS].count;
	}
	a->type = t;
	crypto_hash_sha256(a->digest, a->prop, a->prop_len);
	return 0;
}

int
ccc_approval_sign(struct ccc_approval *a, const struct ccc_identity *k)
{
	uint8_t sig[CCC_ID_SIG_BYTES];
	uint32_t at;
	int c = 1, rc;

	if ((rc = ccc_identity_sign_digest(sig, k, CCC_APPROVAL_PURPOSE,
	    a->digest)) != 0)
		return rc;
	for (at = 0; at < a->nsigs; at++)
		if ((c = memcmp(a->id[at], k->id, CCC_ID_BYTES)) >= 0)
			break;
	if (c != 0) {
		if (a->nsigs == CCC_DKG_MAX_N)
			return CCC_E_TOOBIG;
		memmove(a->id[at + 1], a->id[at],
		    (size_t)(a->nsigs - at) * CCC_ID_BYTES);
		memmove(a->sig[at + 1], a->sig[at],
		    (size_t)(a->nsigs - at) * CCC_ID_SIG_BYTES);
		a->nsigs++;
	}
	memcpy(a->id[at], k->id, CCC_ID_BYTES);
	memcpy(a->sig[at], sig, CCC_ID_SIG_BYTES);
	return 0;
}

int
ccc_approval_encode(struct ccc_buf *b, const struct ccc_approval *a)
{
	struct ccc_val v[APV_NFIELDS], sv[APS_NFIELDS];
	struct ccc_buf sb;
	uint32_t i;
	int rc = 0;

	if (a->nsigs == 0)
		return CCC_E_INTERNAL;
	ccc_buf_init(&sb, 0);
	for (i = 0; i < a->nsigs && rc == 0; i++) {
		ccc_val_bytes(&sv[APS_ID], a->id[i], CCC_ID_BYTES);
		ccc_val_bytes(&sv[APS_SIG], a->sig[i], CCC_ID_SIG_BYTES);
		rc = ccc_blob_encode(&sb, &ccc_schema_approval_sig, sv);
	}
	if (rc == 0) {
		ccc_val_bytes(&v[APV_PROPOSAL], a->prop, a->prop_len);
		ccc_val_array(&v[APV_SIGS], sb.p, sb.len, a->nsigs);
		rc = ccc_blob_encode(b, &ccc_schema_approved, v);
	}
	ccc_buf_free(&sb);
	return rc;
}

int
ccc_approval_check(const struct ccc_approval *a,
    const struct ccc_dkg_member *m, uint32_t n, uint32_t need,
    const char *what, const char *who, struct ccc_err *err)
{
	char label[80];
	uint32_t i, j;

	for (i = 0; i < a->nsigs; i++) {
		if ((j = ccc_dkg_members_find(m, n, a->id[i])) == 0)
			return ccc_err_set(err, CCC_E_POLICY, -1, NULL,
			    "approval %u is by %s, not one of the %s",
			    i + 1, ccc_short_id(a->id[i]), who);
		if (ccc_identity_verify_digest(a->sig[i], m[j - 1].pk,
		    CCC_APPROVAL_PURPOSE, a->digest) != 0)
			return ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL,
			    "approval %u, by member %s, does not sign this "
			    "proposal", i + 1, ccc_dkg_member_label(&m[j - 1],
			    j, label, sizeof(label)));
	}
	if (a->nsigs < need)
		return ccc_err_set(err, CCC_E_POLICY, -1, NULL, "%s needs the "
		    "approval of %u %s, this one has %u (ccc-share approve)",
		    what, need, who, a->nsigs);
	return 0;
}

/* ---- ccc/retire/v1 ------------------------------------------------------- */

int
ccc_approval_retire_load(struct ccc_retire *r, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[RET_NFIELDS];
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = ccc_blob_decode(&ccc_schema_retire, p, len, v, 0, err)) != 0)
		return rc;
	memcpy(r->key_id, v[RET_KEY_ID].p, 32);
	r->epoch = v[RET_EPOCH].u;
	memcpy(r->group, v[RET_GROUP].p, 32);
	return 0;
}

int
ccc_approval_retire_encode(struct ccc_buf *b, const struct ccc_retire *r)
{
	struct ccc_val v[RET_NFIELDS];

	ccc_val_bytes(&v[RET_KEY_ID], r->key_id, 32);
	ccc_val_uint(&v[RET_EPOCH], r->epoch);
	ccc_val_bytes(&v[RET_GROUP], r->group, 32);
	return ccc_blob_encode(b, &ccc_schema_retire, v);
}

/* ---- ccc/operators/v1 ---------------------------------------------------- */

int
ccc_approval_operators_load(struct ccc_operators *o, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[OPS_NFIELDS];
	int rc;

	memset(o, 0, sizeof(*o));
	if ((rc = ccc_blob_decode(&ccc_schema_operators, p, len, v, 0,
	    err)) != 0)
		return rc;
	o->t = (uint32_t)v[OPS_T].u;
	o->n = (uint32_t)v[OPS_MEMBERS].count;
	if (o->t > o->n)
		return ccc_err_set(err, CCC_E_FIELD, v[OPS_T].off, "t",
		    "%u of %u operators", o->t, o->n);
	return ccc_dkg_members_load(&v[OPS_MEMBERS], &o->m,
	    (long long)(v[OPS_MEMBERS].p - p), err);
}

int
ccc_approval_operators_encode(struct ccc_buf *b, const struct ccc_operators *o)
{
	struct ccc_val v[OPS_NFIELDS];
	struct ccc_buf mb;
	int rc;

	ccc_buf_init(&mb, 0);
	if ((rc = ccc_dkg_members_encode(&mb, o->m, o->n)) == 0) {
		ccc_val_uint(&v[OPS_T], o->t);
		ccc_val_array(&v[OPS_MEMBERS], mb.p, mb.len, o->n);
		rc = ccc_blob_encode(b, &ccc_schema_operators, v);
	}
	ccc_buf_free(&mb);
	return rc;
}

void
ccc_approval_operators_free(struct ccc_operators *o)
{
	free(o->m);
	memset(o, 0, sizeof(*o));
}
