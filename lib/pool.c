/* The enclave pool, attested per-request keys and assignment (pool.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "attest.h"
#include "io.h"
#include "pool.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"

#define ASSIGN_TAG "ccc/assign/v1"
#define EKEY_TAG "ccc/enclave-key/v1"

static void
copy_text(char *dst, size_t size, const struct ccc_val *v)
{
	size_t n = 0;

	if (v->present) {
		n = v->n < size - 1 ? v->n : size - 1;
		memcpy(dst, v->p, n);
	}
	dst[n] = '\0';
}

int
ccc_pool_load(struct ccc_pool *p, const uint8_t *b, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[POOL_NFIELDS], ev[PE_NFIELDS];
	struct ccc_cur c;
	size_t i, j;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = ccc_blob_decode(&ccc_schema_pool, b, len, v, 0, err)) != 0)
		return rc;
	copy_text(p->name, sizeof(p->name), &v[POOL_NAME]);
	p->serial = v[POOL_SERIAL].u;
	p->n = v[POOL_ENCLAVES].count;
	if ((p->e = calloc(p->n, sizeof(*p->e))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "pool");
	ccc_cur_init(&c, v[POOL_ENCLAVES].p, v[POOL_ENCLAVES].n, 0, err);
	for (i = 0; i < p->n; i++) {
		if ((rc = ccc_blob_decode_map(&ccc_schema_pool_enclave, &c,
		    ev)) != 0)
			goto fail;
		memcpy(p->e[i].id, ev[PE_ID].p, 32);
		p->e[i].kind = (uint32_t)ev[PE_KIND].u;
		copy_text(p->e[i].op, sizeof(p->e[i].op), &ev[PE_OPERATOR]);
		copy_text(p->e[i].name, sizeof(p->e[i].name), &ev[PE_NAME]);
		copy_text(p->e[i].labels, sizeof(p->e[i].labels),
		    &ev[PE_LABELS]);
		p->e[i].revoked = ev[PE_STATUS].u == CCC_POOL_REVOKED;
		for (j = 0; j < i; j++)
			if (memcmp(p->e[j].id, p->e[i].id, 32) == 0) {
				rc = ccc_err_set(err, CCC_E_DUPLICATE,
				    ev[PE_ID].off, "enclaves", "enclave %zu "
				    "is enclave %zu again", i + 1, j + 1);
				goto fail;
			}
	}
	crypto_hash_sha256(p->digest, b, len);
	return 0;
fail:
	ccc_pool_free(p);
	return rc;
}

void
ccc_pool_free(struct ccc_pool *p)
{
	free(p->e);
	p->e = NULL;
	p->n = 0;
}

int
ccc_pool_read(struct ccc_pool *p, const struct ccc_roster *r,
    const char *path, uint64_t now, struct ccc_err *err)
{
	const struct ccc_schema *type;
	struct ccc_buf b;
	const uint8_t *blob;
	size_t blen;
	int rc;

	memset(p, 0, sizeof(*p));
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_cert_verify(r, b.p, b.len, now, &blob, &blen, &type,
	    err)) != 0)
		goto named;
	if (type != &ccc_schema_pool) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "the certificate "
		    "carries %s %s, not an enclave pool", ccc_article(
		    type->title), type->title);
		goto named;
	}
	if ((rc = ccc_pool_load(p, blob, blen, err)) == 0)
		goto out;
named:
	ccc_err_what(err, path);
out:
	ccc_buf_free(&b);
	return rc;
}

const struct ccc_pool_enclave *
ccc_pool_find(const struct ccc_pool *p, const uint8_t id[32])
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (memcmp(p->e[i].id, id, 32) == 0)
			return &p->e[i];
	return NULL;
}

const char *
ccc_pool_label(const struct ccc_pool_enclave *e, char *buf, size_t len)
{
	char hex[17];

	if (e->name[0] != '\0')
		snprintf(buf, len, "%s", e->name);
	else {
		sodium_bin2hex(hex, sizeof(hex), e->id, 8);
		snprintf(buf, len, "%s...", hex);
	}
	return buf;
}

static bool
excluded(const uint8_t id[32], const uint8_t (*excl)[32], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(excl[i], id, 32) == 0)
			return true;
	return false;
}

static void
assign_score(uint8_t score[32], const uint8_t assignment[32],
    const uint8_t id[32])
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)ASSIGN_TAG,
	    sizeof(ASSIGN_TAG));
	crypto_hash_sha256_update(&st, assignment, 32);
	crypto_hash_sha256_update(&st, id, 32);
	crypto_hash_sha256_final(&st, score);
}

/* Is e one of out[0..n), or (op) run by the operator of one of them? */
static bool
taken(const struct ccc_pool_enclave *e, const struct ccc_pool_enclave **out,
    size_t n, bool op)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (out[i] == e || (op && strcmp(out[i]->op, e->op) == 0))
			return true;
	return false;
}

size_t
ccc_pool_assign_k(const struct ccc_pool *p, const uint8_t assignment[32],
    const uint8_t (*excl)[32], size_t nexcl, size_t k,
    const struct ccc_pool_enclave **out)
{
	const struct ccc_pool_enclave *best;
	uint8_t score[32], top[32];
	size_t i, n = 0;
	int pass;

	/* First enclaves of operators not yet picked, then any. */
	for (pass = 0; pass < 2; pass++)
		while (n < k) {
			best = NULL;
			for (i = 0; i < p->n; i++) {
				if (p->e[i].revoked || excluded(p->e[i].id,
				    excl, nexcl) || taken(&p->e[i], out, n,
				    pass == 0))
					continue;
				assign_score(score, assignment, p->e[i].id);
				if (best == NULL || memcmp(score, top, 32) > 0) {
					best = &p->e[i];
					memcpy(top, score, 32);
				}
			}
			if (best == NULL)
				break;
			out[n++] = best;
		}
	return n;
}

const struct ccc_pool_enclave *
ccc_pool_assign(const struct ccc_pool *p, const uint8_t assignment[32],
    const uint8_t (*excl)[32], size_t nexcl)
{
	const struct ccc_pool_enclave *e;

	return ccc_pool_assign_k(p, assignment, excl, nexcl, 1, &e) == 1 ?
	    e : NULL;
}

int
ccc_enclave_key_decode(struct ccc_enclave_key *k, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[EKEY_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_enclave_key, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(k->enclave_id, v[EKEY_ENCLAVE].p, 32);
	memcpy(k->pk, v[EKEY_PK].p, 32);
	k->expires = v[EKEY_EXPIRES].u;
	k->challenge = v[EKEY_CHALLENGE].present ? v[EKEY_CHALLENGE].p : NULL;
	k->challenge_len = v[EKEY_CHALLENGE].present ? v[EKEY_CHALLENGE].n : 0;
	k->doc = v[EKEY_DOC].p;
	k->doc_len = v[EKEY_DOC].n;
	return 0;
}

void
ccc_enclave_key_binding(uint8_t out[32], const uint8_t enclave_id[32],
    const uint8_t pk[32], uint64_t expires, const uint8_t *challenge,
    size_t challenge_len)
{
	crypto_hash_sha256_state st;
	uint8_t be[8];
	int i;

	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)(expires >> (56 - 8 * i));
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)EKEY_TAG,
	    sizeof(EKEY_TAG));
	crypto_hash_sha256_update(&st, enclave_id, 32);
	crypto_hash_sha256_update(&st, pk, 32);
	crypto_hash_sha256_update(&st, be, 8);
	if (challenge_len > 0)
		crypto_hash_sha256_update(&st, challenge, challenge_len);
	crypto_hash_sha256_final(&st, out);
}

int
ccc_reassign_decode(struct ccc_reassign *ra, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[RA_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_reassign, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(ra->assignment, v[RA_ASSIGNMENT].p, 32);
	memcpy(ra->request_id, v[RA_REQUEST].p, 32);
	memcpy(ra->enclave_id, v[RA_ENCLAVE].p, 32);
	ra->reason = (const char *)v[RA_REASON].p;
	ra->reason_len = v[RA_REASON].n;
	ra->time = v[RA_TIME].u;
	return 0;
}

int
ccc_reassign_certified(struct ccc_reassign *ra, const uint8_t *p, size_t len,
    const struct ccc_roster *r, uint64_t now, struct ccc_err *err)
{
	const struct ccc_schema *type;
	const uint8_t *blob;
	size_t blen;
	int rc;

	if ((rc = ccc_cert_verify(r, p, len, now, &blob, &blen, &type,
	    err)) != 0)
		return rc;
	if (type != &ccc_schema_reassign)
		return ccc_err_set(err, CCC_E_TYPE, -1, NULL, "not a "
		    "reassignment");
	return ccc_reassign_decode(ra, blob, blen, err);
}

int
ccc_reassign_read(struct ccc_buf *b, struct ccc_reassign *ra,
    const char *path, const struct ccc_roster *r, uint64_t now,
    struct ccc_err *err)
{
	int rc;

	ccc_buf_reset(b);
	if ((rc = ccc_read_named(b, path, CCC_REASSIGN_MAX, false, err)) != 0)
		return rc;
	if ((rc = ccc_reassign_certified(ra, b->p, b->len, r, now, err)) != 0)
		ccc_err_what(err, path);
	return rc;
}

int
ccc_request_excluded(const struct ccc_request *rq, const struct ccc_roster *r,
    uint64_t now, uint8_t (*excl)[32], size_t *n, struct ccc_err *err)
{
	struct ccc_reassign ra;
	struct ccc_cur c;
	const uint8_t *p;
	size_t len, i;
	int rc;

	*n = 0;
	ccc_cur_init(&c, rq->reassigned.p, rq->reassigned.n, 0, err);
	for (i = 0; i < rq->reassigned.count; i++) {
		if ((rc = ccc_cur_bstr(&c, &p, &len, "reassigned")) != 0)
			return rc;
		if ((rc = ccc_reassign_certified(&ra, p, len, r, now,
		    err)) != 0) {
			ccc_err_item(err, i + 1);
			ccc_err_what(err, "reassigned");
			return rc;
		}
		if (memcmp(ra.assignment, rq->assignment, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL,
			    "reassignment %zu is of another request's "
			    "assignment", i + 1);
			return rc;
		}
		if (memcmp(ra.request_id, rq->id, 32) == 0)
			return ccc_err_set(err, CCC_E_POLICY, -1, NULL,
			    "the request was itself reassigned away (%.*s)",
			    (int)ra.reason_len, ra.reason);
		if (*n < CCC_POOL_MAX)
			memcpy(excl[(*n)++], ra.enclave_id, 32);
	}
	return 0;
}

/* A key made for a request (keygen -n ID) serves that request only. */
static int
key_bound(const struct ccc_enclave_key *k, const struct ccc_request *rq,
    struct ccc_err *err)
{
	if (k->challenge != NULL && (k->challenge_len != 32 ||
	    memcmp(k->challenge, rq->id, 32) != 0))
		return ccc_err_set(err, CCC_E_ATTEST, -1, "enclave_attestation",
		    "the enclave key was made for another request (its "
		    "challenge is not the request id)");
	return 0;
}

int
ccc_request_key_bound(const struct ccc_request *rq, struct ccc_err *err)
{
	struct ccc_enclave_key k;
	int rc;

	if ((rc = ccc_enclave_key_decode(&k, rq->enclave_att,
	    rq->enclave_att_len, err)) != 0)
		return rc;
	return key_bound(&k, rq, err);
}

/* The per-request key: attested by the enclave, fresh, for this request. */
static int
check_key(const struct ccc_request *rq, const struct ccc_pool_enclave *e,
    const struct ccc_attest_policy *pol, uint64_t now, struct ccc_err *err)
{
	struct ccc_enclave_key k;
	struct ccc_attest_expect x;
	struct ccc_attest_report *rep;
	struct ccc_attest_policy *kpol;
	char t1[CCC_UTC_LEN], t2[CCC_UTC_LEN];
	uint8_t binding[32];
	char name[80];
	size_t i;
	int rc;

	if ((rc = ccc_enclave_key_decode(&k, rq->enclave_att,
	    rq->enclave_att_len, err)) != 0)
		return rc;
	if (memcmp(k.enclave_id, rq->enclave_id, 32) != 0 ||
	    CRYPTO_memcmp(k.pk, rq->enclave_key, 32) != 0)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "enclave_attestation",
		    "the enclave key's attestation is for another %s than the "
		    "request's", memcmp(k.enclave_id, rq->enclave_id, 32) ?
		    "enclave" : "key");
	if ((rc = key_bound(&k, rq, err)) != 0)
		return rc;
	if (k.challenge == NULL && pol->require_challenge)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "enclave_attestation",
		    "the enclave key was made without a challenge, and the "
		    "policy requires one (require-challenge yes)");
	if (k.expires < now)
		return ccc_err_set(err, CCC_E_EXPIRED, -1,
		    "enclave_attestation", "the enclave key expired at %s",
		    ccc_utc(t1, k.expires));
	if (k.expires < rq->expires)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "enclave_attestation",
		    "the enclave key expires at %s, before the request "
		    "(%s)", ccc_utc(t1, k.expires), ccc_utc(t2, rq->expires));
	ccc_enclave_key_binding(binding, k.enclave_id, k.pk, k.expires,
	    k.challenge, k.challenge_len);
	memset(&x, 0, sizeof(x));
	x.user_data = binding;
	x.user_data_len = 32;
	x.public_key = k.pk;
	x.public_key_len = 32;
	x.enclave_id = k.enclave_id;
	if (k.challenge != NULL) {
		x.nonce = k.challenge;
		x.nonce_len = k.challenge_len;
	}
	/*
	 * The key comes before any code: the policy's measurement sets are
	 * applied without their code PCR (the result's document binds the
	 * code), with everything else (roots, runtime, debug, age) as is.
	 */
	if ((rep = malloc(sizeof(*rep))) == NULL ||
	    (kpol = malloc(sizeof(*kpol))) == NULL) {
		free(rep);
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "attestation");
	}
	*kpol = *pol;
	for (i = 0; i < kpol->nsets; i++)
		kpol->sets[i].len[CCC_PCR_CODE] = 0;
	/*
	 * Fresh when the request was made (its creation time is the
	 * oracles' to check): every party judges the same document at the
	 * same time, however long the request then takes.
	 */
	rc = ccc_attest_verify(k.doc, k.doc_len, kpol, &x,
	    (int64_t)rq->created * 1000, rep, err);
	if (rc == 0 && (uint32_t)rep->kind != e->kind)
		rc = ccc_err_set(err, CCC_E_ATTEST, -1, NULL, "enclave %s "
		    "attests with a %s root, the pool gives it %s",
		    ccc_pool_label(e, name, sizeof(name)),
		    ccc_attest_kind_name(rep->kind),
		    ccc_attest_kind_name((enum ccc_attest_kind)e->kind));
	free(rep);
	free(kpol);
	if (rc != 0 && err != NULL) {
		char why[sizeof(err->detail)];
		snprintf(why, sizeof(why), "%s", err->detail);
		snprintf(err->detail, sizeof(err->detail), "the enclave key is "
		    "not attested: %.*s", (int)sizeof(why) - 40, why);
		if (err->code != CCC_E_NOMEM && err->code != CCC_E_CRYPTO)
			err->code = CCC_E_ATTEST;
	}
	return rc;
}

int
ccc_request_assign_check(const struct ccc_request *rq,
    const struct ccc_pool *pool, const struct ccc_roster *r, uint64_t now,
    const struct ccc_pool_enclave **ep, struct ccc_err *err)
{
	const struct ccc_pool_enclave *e, *want, *list[CCC_REPLICAS_MAX];
	uint8_t (*excl)[32];
	char name[80], wname[80];
	size_t nexcl, n;
	int rc;

	if ((e = ccc_pool_find(pool, rq->enclave_id)) == NULL)
		return ccc_err_set(err, CCC_E_POLICY, -1, "enclave_id", "the "
		    "request's enclave is not in pool \"%s\"", pool->name);
	ccc_pool_label(e, name, sizeof(name));
	/* Revoked in the pool held now: whatever pool the request names. */
	if (e->revoked)
		return ccc_err_set(err, CCC_E_POLICY, -1, "enclave_id",
		    "enclave %s is revoked in pool \"%s\" (serial %llu)", name,
		    pool->name, (unsigned long long)pool->serial);
	if (memcmp(rq->pool, pool->digest, 32) != 0)
		return ccc_err_set(err, CCC_E_POLICY, -1, "pool", "the request "
		    "was assigned over another enclave pool than \"%s\" "
		    "(serial %llu)", pool->name,
		    (unsigned long long)pool->serial);
	if ((excl = calloc(CCC_POOL_MAX, sizeof(*excl))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "assignment");
	if ((rc = ccc_request_excluded(rq, r, now, excl, &nexcl, err)) != 0)
		goto out;
	n = ccc_pool_assign_k(pool, rq->assignment,
	    (const uint8_t (*)[32])excl, nexcl, rq->nreplicas, list);
	want = rq->replica < n ? list[rq->replica] : NULL;
	if (want != e) {
		rc = n < rq->nreplicas ? ccc_err_set(err, CCC_E_POLICY, -1,
		    "enclave_id", "pool \"%s\" has %zu active enclave%s left "
		    "for the request, it needs %u", pool->name, n,
		    n == 1 ? "" : "s", rq->nreplicas) :
		    ccc_err_set(err, CCC_E_POLICY, -1, "enclave_id", "the "
		    "request is assigned to enclave %s, not %s",
		    ccc_pool_label(want, wname, sizeof(wname)), name);
		goto out;
	}
	if (ep != NULL)
		*ep = e;
out:
	free(excl);
	return rc;
}

int
ccc_request_enclave_check(const struct ccc_request *rq,
    const struct ccc_pool *pool, const struct ccc_roster *r,
    const struct ccc_attest_policy *pol, uint64_t now, struct ccc_err *err)
{
	const struct ccc_pool_enclave *e;
	struct ccc_request v;
	uint32_t j;
	int rc;

	/* Every replica: assigned, and its own key attested. */
	for (j = 0; j < rq->nreplicas; j++) {
		if ((rc = ccc_request_replica(&v, rq, j, err)) != 0 ||
		    (rc = ccc_request_assign_check(&v, pool, r, now, &e,
		    err)) != 0 || (rc = check_key(&v, e, pol, now, err)) != 0) {
			if (rq->nreplicas > 1)
				ccc_err_prefix(err, "replica %u: ", j + 1);
			return rc;
		}
	}
	return 0;
}
