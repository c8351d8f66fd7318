/*
 * ccc-attest-verify's job: read a policy and a document (raw CBOR or
 * base64), verify, print the verified claims as text or JSON.  Nothing is
 * printed unless the document verified.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest.h"
#include "quorum.h"
#include "replicas.h"
#include "result.h"
#include "cose.h"
#include "io.h"
#include "json.h"
#include "ops.h"
#include "schemas.h"

/* A document, raw or in base64. */
#define INPUT_MAX CCC_COSE_B64_MAX
/* A result: its output and its document (as ccc-combine --result). */
#define RESULT_MAX (CCC_RESULT_OUTPUT_MAX + (1UL << 21))


static int
bhex(struct ccc_buf *b, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	int rc;

	if ((rc = ccc_buf_reserve(b, 2 * n)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		b->p[b->len++] = (uint8_t)digits[p[i] >> 4];
		b->p[b->len++] = (uint8_t)digits[p[i] & 15];
	}
	return 0;
}


static int
opt_text(struct ccc_buf *b, const char *name, bool has, const uint8_t *p,
    size_t n)
{
	int rc;

	if (!has)
		return ccc_buf_printf(b, "%s: absent\n", name);
	if (n == 0)
		return ccc_buf_printf(b, "%s: empty\n", name);
	if ((rc = ccc_buf_printf(b, "%s: ", name)) != 0 || (rc = bhex(b, p, n)) != 0)
		return rc;
	return ccc_buf_printf(b, "\n");
}

static int
opt_json(struct ccc_buf *b, const char *name, bool has, const uint8_t *p,
    size_t n)
{
	int rc;

	if (!has)
		return ccc_buf_printf(b, ",\"%s\":null", name);
	if ((rc = ccc_buf_printf(b, ",\"%s\":\"", name)) != 0 ||
	    (rc = bhex(b, p, n)) != 0)
		return rc;
	return ccc_buf_printf(b, "\"");
}

static const char *
mode_text(const struct ccc_attest_report *r)
{
	return r->kind == CCC_ATTEST_KIND_SOFTWARE ?
	    "software, not hardware-backed" : "aws-nitro";
}

static int
report_text(struct ccc_buf *b, const struct ccc_attest_report *r)
{
	char ts[40], at[40];
	int i, rc;

	ccc_attest_format_time(ts, sizeof(ts), r->timestamp_ms);
	ccc_attest_format_time(at, sizeof(at), r->checked_at_ms);
	if ((rc = ccc_buf_printf(b, "mode: %s\nroot: %s (%s) sha256:", mode_text(r),
	    r->root->name, ccc_attest_kind_name(r->root->kind))) != 0 ||
	    (rc = bhex(b, r->root->sha256, 32)) != 0 ||
	    (rc = ccc_buf_printf(b, "\nmodule_id: %s\ndigest: SHA384\n"
	    "timestamp: %s (%llu)\nchecked_at: %s\nmeasurements: %s\n"
	    "debug: %s\n", r->module_id, ts,
	    (unsigned long long)r->timestamp_ms, at, r->measurements,
	    !r->debug ? "no" : r->pcr_len[0] > 0 ? "yes (all-zero PCR0)" :
	    "yes (no PCR0)")) != 0)
		return rc;
	for (i = 0; i < CCC_NITRO_PCRS; i++)
		if (r->pcr_len[i] > 0 &&
		    ((rc = ccc_buf_printf(b, "pcr%d: ", i)) != 0 ||
		    (rc = bhex(b, r->pcr[i], r->pcr_len[i])) != 0 ||
		    (rc = ccc_buf_printf(b, "\n")) != 0))
			return rc;
	if ((rc = opt_text(b, "public_key", r->has_public_key, r->public_key,
	    r->public_key_len)) != 0 ||
	    (rc = opt_text(b, "user_data", r->has_user_data, r->user_data,
	    r->user_data_len)) != 0 ||
	    (rc = opt_text(b, "nonce", r->has_nonce, r->nonce,
	    r->nonce_len)) != 0)
		return rc;
	return ccc_buf_printf(b, "certificate: %s\n", r->leaf_subject);
}

static int
report_json(struct ccc_buf *b, const struct ccc_attest_report *r)
{
	char ts[40], at[40];
	bool first = true;
	int i, rc;

	ccc_attest_format_time(ts, sizeof(ts), r->timestamp_ms);
	ccc_attest_format_time(at, sizeof(at), r->checked_at_ms);
	if ((rc = ccc_buf_printf(b, "{\"mode\":\"%s\",\"hardware_backed\":%s",
	    ccc_attest_kind_name(r->kind),
	    r->kind == CCC_ATTEST_KIND_SOFTWARE ? "false" : "true")) != 0 ||
	    (r->kind == CCC_ATTEST_KIND_SOFTWARE && (rc = ccc_buf_printf(b,
	    ",\"note\":\"software, not hardware-backed\"")) != 0) ||
	    (rc = ccc_buf_printf(b, ",\"root\":{\"name\":\"%s\",\"kind\":\"%s\","
	    "\"sha256\":\"", r->root->name,
	    ccc_attest_kind_name(r->root->kind))) != 0 ||
	    (rc = bhex(b, r->root->sha256, 32)) != 0 ||
	    (rc = ccc_buf_printf(b, "\"},\"module_id\":\"%s\",\"digest\":\"SHA384\","
	    "\"timestamp_ms\":%llu,\"timestamp\":\"%s\","
	    "\"checked_at_ms\":%llu,\"checked_at\":\"%s\","
	    "\"measurements\":\"%s\",\"debug\":%s,\"pcrs\":{",
	    r->module_id, (unsigned long long)r->timestamp_ms, ts,
	    (unsigned long long)r->checked_at_ms, at, r->measurements,
	    r->debug ? "true" : "false")) != 0)
		return rc;
	for (i = 0; i < CCC_NITRO_PCRS; i++) {
		if (r->pcr_len[i] == 0)
			continue;
		if ((rc = ccc_buf_printf(b, "%s\"%d\":\"", first ? "" : ",",
		    i)) != 0 ||
		    (rc = bhex(b, r->pcr[i], r->pcr_len[i])) != 0 ||
		    (rc = ccc_buf_printf(b, "\"")) != 0)
			return rc;
		first = false;
	}
	if ((rc = ccc_buf_printf(b, "}")) != 0 ||
	    (rc = opt_json(b, "public_key", r->has_public_key, r->public_key,
	    r->public_key_len)) != 0 ||
	    (rc = opt_json(b, "user_data", r->has_user_data, r->user_data,
	    r->user_data_len)) != 0 ||
	    (rc = opt_json(b, "nonce", r->has_nonce, r->nonce,
	    r->nonce_len)) != 0 ||
	    (rc = ccc_buf_printf(b, ",\"certificate_subject\":")) != 0 ||
	    (rc = ccc_json_put_str(b, r->leaf_subject)) != 0)
		return rc;
	return ccc_buf_printf(b, "}\n");
}

/*
 * Raw CBOR starts with 0x84 (untagged COSE_Sign1) or 0xd2 (tag 18); any
 * other first byte means base64 (standard alphabet, padded or not, line
 * breaks allowed), as documents are often passed around.
 */
static int
document_bytes(const struct ccc_buf *in, struct ccc_buf *dec,
    const uint8_t **doc, size_t *len, struct ccc_err *err)
{
	int rc;

	if (in->len == 0)
		return ccc_err_set(err, CCC_E_TRUNCATED, 0, NULL,
		    "malformed document: empty input");
	/* INPUT_MAX bounds the input; the COSE decoder caps the document. */
	if ((rc = ccc_cose_unwrap(dec, in->p, in->len, doc, len)) ==
	    CCC_E_MALFORMED)
		return ccc_err_set(err, rc, 0, NULL, "malformed document: "
		    "neither CBOR (first byte 0x%02x) nor base64", in->p[0]);
	if (rc != 0)
		return ccc_err_set(err, rc, -1, NULL, "input");
	return 0;
}

int
ccc_attest_verify_run(const struct ccc_attest_verify_opts *o,
    struct ccc_err *err)
{
	struct ccc_attest_policy *pol = NULL;
	struct ccc_attest_report *rep = NULL;
	struct ccc_buf in, dec, out;
	const char *name = ccc_io_name(o->in, 0);
	struct ccc_result res;
	struct ccc_request rq;
	struct ccc_buf rb;
	const uint8_t *doc;
	size_t len;
	int rc;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&dec, 0);
	ccc_buf_init(&out, 0);
	ccc_buf_init(&rb, 0);
	if ((pol = ccc_attest_policy_new()) == NULL ||
	    (rep = malloc(sizeof(*rep))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
		goto out;
	}
	if ((rc = ccc_attest_policy_load(pol, o->policy, err)) != 0 ||
	    (rc = ccc_read_file(&in, o->in, RESULT_MAX, err)) != 0)
		goto out;
	if (in.len > INPUT_MAX &&
	    ccc_blob_peek_type(in.p, in.len) != &ccc_schema_result) {
		rc = ccc_err_set(err, CCC_E_TOOBIG, -1, NULL, "larger than %zu "
		    "bytes", (size_t)INPUT_MAX);
		(void)ccc_err_what(err, name);
		goto out;
	}
	/* With a request the input is a result, damaged or not. */
	if (ccc_blob_peek_type(in.p, in.len) == &ccc_schema_result ||
	    o->request != NULL) {
		/*
		 * A result: its document must bind its own fields and, with a
		 * request, answer that request (lib/result.h).
		 */
		if ((rc = ccc_result_decode(&res, in.p, in.len, err)) != 0) {
			(void)ccc_err_what(err, name);
			goto out;
		}
		if (o->request != NULL && (rc = ccc_request_read(&rb, &rq,
		    o->request, err)) != 0)
			goto out;
		/* Level 2: every replica's attestation it carries. */
		if ((rc = o->request != NULL ? ccc_result_attest_all(&res, &rq,
		    pol, o->expect, o->at_ms, rep, NULL, err) :
		    ccc_result_attest(&res, NULL, pol, o->expect, o->at_ms,
		    rep, err)) != 0) {
			(void)ccc_err_what(err, name);
			goto out;
		}
	} else if ((rc = document_bytes(&in, &dec, &doc, &len, err)) != 0 ||
	    (rc = ccc_attest_verify(doc, len, pol, o->expect, o->at_ms, rep,
	    err)) != 0) {
		(void)ccc_err_what(err, name);
		goto out;
	}
	rc = o->json ? report_json(&out, rep) : report_text(&out, rep);
	if (rc != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "report");
		goto out;
	}
	if (ccc_write_full(STDOUT_FILENO, out.p, out.len) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno));
		(void)ccc_err_what(err, "stdout");
		goto out;
	}
	rc = 0;
out:
	ccc_attest_policy_free(pol);
	free(rep);
	ccc_buf_free(&in);
	ccc_buf_free(&dec);
	ccc_buf_free(&out);
	ccc_buf_free(&rb);
	return rc;
}
