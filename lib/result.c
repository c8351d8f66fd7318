#include "config.h"

#include <string.h>

#include <sodium.h>

#include "attest.h"
#include "combine.h"
#include "keys.h"
#include "result.h"
#include "schemas.h"

int
ccc_result_decode(struct ccc_result *r, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[RES_NFIELDS], sv[RSH_NFIELDS];
	struct ccc_cur c;
	uint8_t d[32];
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = ccc_blob_decode(&ccc_schema_result, p, len, v, 0, err)) != 0)
		return rc;
	memcpy(r->request_id, v[RES_REQUEST].p, 32);
	r->app = (const char *)v[RES_APP].p;
	r->app_len = v[RES_APP].n;
	memcpy(r->code, v[RES_CODE].p, 48);
	r->inputs = v[RES_INPUTS];
	r->mode = (uint32_t)v[RES_MODE].u;
	r->output = v[RES_OUTPUT].p;
	r->output_len = v[RES_OUTPUT].n;
	memcpy(r->output_digest, v[RES_OUTPUT_DIGEST].p, 32);
	r->time = v[RES_TIME].u;
	memcpy(r->enclave_id, v[RES_ENCLAVE].p, 32);
	r->doc = v[RES_DOC].p;
	r->doc_len = v[RES_DOC].n;
	r->shares = v[RES_SHARES];
	if (v[RES_REPLICAS].present)
		r->replicas = v[RES_REPLICAS];
	crypto_hash_sha256(d, r->output, r->output_len);
	if (sodium_memcmp(d, r->output_digest, 32) != 0)
		return ccc_err_set(err, CCC_E_ATTEST, v[RES_OUTPUT].off,
		    "output", "binding mismatch: the output does not match "
		    "its digest (tampered output)");
	/* A verdict is one of the engine's words, nothing else. */
	ccc_cur_init(&c, r->shares.p, r->shares.n, r->shares.p - p, err);
	for (i = 0; i < r->shares.count; i++) {
		long long at = ccc_cur_pos(&c);
		if ((rc = ccc_blob_decode_map(&ccc_schema_result_share, &c,
		    sv)) != 0)
			return rc;
		if (ccc_combine_cause_find((const char *)sv[RSH_VERDICT].p,
		    sv[RSH_VERDICT].n) < 0)
			return ccc_err_set(err, CCC_E_FIELD, at, "shares",
			    "shares: entry %zu: unknown verdict \"%.*s\"",
			    i + 1, (int)sv[RSH_VERDICT].n,
			    (const char *)sv[RSH_VERDICT].p);
	}
	return 0;
}

static void
be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static void
bind_begin(crypto_hash_sha256_state *st, const uint8_t rid[32],
    const char *app, size_t app_len, const uint8_t code[48], size_t n)
{
	static const char dom[] = "ccc/attest-binding/v1";
	uint8_t b[4];

	crypto_hash_sha256_init(st);
	crypto_hash_sha256_update(st, (const uint8_t *)dom, sizeof(dom) - 1);
	crypto_hash_sha256_update(st, rid, 32);
	be(b, app_len, 4);
	crypto_hash_sha256_update(st, b, 4);
	crypto_hash_sha256_update(st, (const uint8_t *)app, app_len);
	crypto_hash_sha256_update(st, code, CCC_MEASUREMENT_BYTES);
	be(b, n, 4);
	crypto_hash_sha256_update(st, b, 4);
}

/*
 * The rest: output digest, time and the share verdicts (m maps, valid:
 * ccc_result_decode checked them, the enclave made them), each as
 * u8(node) || u8(vlen) || verdict || u8(dlen) || sealed_digest, dlen 0
 * when the digest is absent.
 */
static void
bind_end(crypto_hash_sha256_state *st, const uint8_t od[32], uint64_t time,
    const uint8_t *shares, size_t shares_len, size_t m, uint8_t out[32])
{
	struct ccc_val sv[RSH_NFIELDS];
	struct ccc_cur c;
	uint8_t b[8];
	size_t i;

	crypto_hash_sha256_update(st, od, 32);
	be(b, time, 8);
	crypto_hash_sha256_update(st, b, 8);
	be(b, m, 4);
	crypto_hash_sha256_update(st, b, 4);
	ccc_cur_init(&c, shares, shares_len, 0, NULL);
	for (i = 0; i < m; i++) {
		if (ccc_blob_decode_map(&ccc_schema_result_share, &c, sv) != 0)
			break;	/* not reached: then no digest matches */
		b[0] = (uint8_t)sv[RSH_NODE].u;
		b[1] = (uint8_t)sv[RSH_VERDICT].n;
		crypto_hash_sha256_update(st, b, 2);
		crypto_hash_sha256_update(st, sv[RSH_VERDICT].p,
		    sv[RSH_VERDICT].n);
		b[0] = sv[RSH_DIGEST].present ? 32 : 0;
		crypto_hash_sha256_update(st, b, 1);
		if (sv[RSH_DIGEST].present)
			crypto_hash_sha256_update(st, sv[RSH_DIGEST].p, 32);
	}
	crypto_hash_sha256_final(st, out);
}

void
ccc_binding_digest(uint8_t out[32], const uint8_t rid[32], const char *app,
    size_t app_len, const uint8_t code[48], const uint8_t *inputs, size_t n,
    const uint8_t output_digest[32], uint64_t time, const uint8_t *shares,
    size_t shares_len, size_t nshares)
{
	crypto_hash_sha256_state st;

	bind_begin(&st, rid, app, app_len, code, n);
	crypto_hash_sha256_update(&st, inputs, 32 * n);
	bind_end(&st, output_digest, time, shares, shares_len, nshares, out);
}

void
ccc_result_binding(uint8_t out[32], const struct ccc_result *r)
{
	crypto_hash_sha256_state st;
	size_t i;

	bind_begin(&st, r->request_id, r->app, r->app_len, r->code,
	    r->inputs.count);
	for (i = 0; i < r->inputs.count; i++)
		crypto_hash_sha256_update(&st, ccc_val_elem(&r->inputs, 32, i),
		    32);
	bind_end(&st, r->output_digest, r->time, r->shares.p, r->shares.n,
	    r->shares.count, out);
}

int
ccc_result_matches(const struct ccc_result *r, const struct ccc_request *rq,
    struct ccc_err *err)
{
	struct ccc_cur c;
	const uint8_t *p;
	uint8_t d[32];
	size_t n, i;

	if (memcmp(r->request_id, rq->id, 32) != 0)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "request_id",
		    "binding mismatch: the result answers another request");
	if (r->app_len != rq->app_len || memcmp(r->app, rq->app,
	    r->app_len) != 0)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "app_id",
		    "binding mismatch: the result is for another app");
	if (memcmp(r->code, rq->code, CCC_MEASUREMENT_BYTES) != 0)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "code",
		    "binding mismatch: other code than the request names");
	if (memcmp(r->enclave_id, rq->enclave_id, 32) != 0)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "enclave_id",
		    "binding mismatch: the result comes from another enclave "
		    "than the one the request is assigned to");
	if (r->mode != rq->output)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "output_mode",
		    "binding mismatch: another output mode than the request "
		    "asks for");
	if (r->inputs.count != rq->cts.count)
		return ccc_err_set(err, CCC_E_ATTEST, -1, "inputs",
		    "binding mismatch: %zu inputs, the request has %zu",
		    r->inputs.count, rq->cts.count);
	ccc_cur_init(&c, rq->cts.p, rq->cts.n, 0, NULL);
	for (i = 0; i < rq->cts.count; i++) {
		if (ccc_cur_bstr(&c, &p, &n, NULL) != 0)
			return ccc_err_set(err, CCC_E_INTERNAL, -1, NULL,
			    "request");
		crypto_hash_sha256(d, p, n);
		if (memcmp(d, ccc_val_elem(&r->inputs, 32, i), 32) != 0)
			return ccc_err_set(err, CCC_E_ATTEST, -1, "inputs",
			    "binding mismatch: input %zu is not the request's "
			    "ciphertext %zu", i + 1, i + 1);
	}
	return 0;
}

int
ccc_result_attest(const struct ccc_result *r, const struct ccc_request *rq,
    const struct ccc_attest_policy *pol, const struct ccc_attest_expect *extra,
    int64_t at_ms, struct ccc_attest_report *rep, struct ccc_err *err)
{
	struct ccc_attest_expect x;
	uint8_t binding[32];
	int rc;

	if (rq != NULL && (rc = ccc_result_matches(r, rq, err)) != 0)
		return rc;
	if (extra != NULL)
		x = *extra;
	else
		memset(&x, 0, sizeof(x));
	ccc_result_binding(binding, r);
	x.user_data = binding;
	x.user_data_len = 32;
	x.pcr[CCC_PCR_CODE] = r->code;
	x.pcr_len[CCC_PCR_CODE] = CCC_MEASUREMENT_BYTES;
	/* The enclave the result names is the one that signed it. */
	x.enclave_id = r->enclave_id;
	if (rq != NULL) {
		x.public_key = rq->enclave_key;
		x.public_key_len = 32;
	}
	return ccc_attest_verify(r->doc, r->doc_len, pol, &x, at_ms, rep, err);
}
