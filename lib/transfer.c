/*
 * Private tokens: signed transfers, the nonce record, the table chain.
 * See transfer.h and ccc(7) PRIVATE TOKENS.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "blob.h"
#include "io.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"
#include "transfer.h"

int
ccc_transfer_make(struct ccc_buf *out, const struct ccc_identity *k,
    const uint8_t to[CCC_ID_PK_BYTES], uint64_t nonce, const uint8_t *ct,
    size_t ctlen, struct ccc_err *err)
{
	struct ccc_val v[XFER_NFIELDS];
	uint8_t sig[CCC_ID_SIG_BYTES];
	int rc;

	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[XFER_SENDER], k->pk, 32);
	ccc_val_uint(&v[XFER_NONCE], nonce);
	ccc_val_bytes(&v[XFER_RECIPIENT], to, 32);
	ccc_val_bytes(&v[XFER_AMOUNT], ct, ctlen);
	/* The signed bytes: the blob without its signature. */
	if ((rc = ccc_blob_encode(out, &ccc_schema_transfer, v)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "transfer");
	if ((rc = ccc_identity_sign(sig, k, CCC_TRANSFER_PURPOSE, out->p,
	    out->len)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "sign");
	ccc_val_bytes(&v[XFER_SIG], sig, sizeof(sig));
	out->len = 0;
	if ((rc = ccc_blob_encode(out, &ccc_schema_transfer, v)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "transfer");
	return 0;
}

int
ccc_transfer_decode(struct ccc_transfer *t, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[XFER_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_transfer, p, len, v, 0,
	    err)) != 0)
		return rc;
	t->sender = v[XFER_SENDER].p;
	t->nonce = v[XFER_NONCE].u;
	t->recipient = v[XFER_RECIPIENT].p;
	t->amount = v[XFER_AMOUNT].p;
	t->amount_len = v[XFER_AMOUNT].n;
	t->sig = v[XFER_SIG].present ? v[XFER_SIG].p : NULL;
	return 0;
}

int
ccc_transfer_verify(const struct ccc_transfer *t,
    const uint8_t from[CCC_ID_PK_BYTES], const uint8_t to[CCC_ID_PK_BYTES],
    struct ccc_err *err)
{
	struct ccc_val v[XFER_NFIELDS];
	struct ccc_buf b;
	int rc;

	if (t->sig == NULL)
		return ccc_err_set(err, CCC_E_SIGNATURE, -1, "sig", "unsigned: "
		    "a transfer must be signed by its sender");
	if (sodium_memcmp(t->sender, from, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "sender", "the transfer "
		    "is from another key than the sender's");
	if (sodium_memcmp(t->recipient, to, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "recipient", "the "
		    "transfer is to another key than the recipient's");
	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[XFER_SENDER], t->sender, 32);
	ccc_val_uint(&v[XFER_NONCE], t->nonce);
	ccc_val_bytes(&v[XFER_RECIPIENT], t->recipient, 32);
	ccc_val_bytes(&v[XFER_AMOUNT], t->amount, t->amount_len);
	ccc_buf_init(&b, 0);
	if ((rc = ccc_blob_encode(&b, &ccc_schema_transfer, v)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "transfer");
	else if (ccc_identity_verify(t->sig, t->sender, CCC_TRANSFER_PURPOSE,
	    b.p, b.len) != 0)
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, "sig", "the "
		    "sender's signature does not verify");
	ccc_buf_free(&b);
	return rc;
}

/* Read a small text state file; a missing one is empty when may_miss. */
static int
read_state(struct ccc_buf *b, const char *path, size_t max, bool may_miss,
    struct ccc_err *err)
{
	struct stat st;

	if (may_miss && stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	return ccc_read_named(b, path, max, false, err);
}

int
ccc_nonces_accept(struct ccc_buf *rec, const char *path,
    const uint8_t id[CCC_ID_BYTES], uint64_t nonce, struct ccc_err *err)
{
	struct ccc_buf in;
	char hex[2 * CCC_ID_BYTES + 1], *line, *end, *sp;
	uint64_t last;
	bool found = false;
	size_t lineno = 0;
	int rc;

	ccc_buf_init(&in, 0);
	sodium_bin2hex(hex, sizeof(hex), id, CCC_ID_BYTES);
	if ((rc = read_state(&in, path, CCC_NONCES_MAX, true, err)) != 0)
		goto out;
	if ((rc = ccc_buf_put(&in, "", 1)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "nonces");
		goto out;
	}
	for (line = (char *)in.p; *line != '\0'; line = end + 1) {
		lineno++;
		if ((end = strchr(line, '\n')) == NULL ||
		    (sp = memchr(line, ' ', (size_t)(end - line))) == NULL ||
		    sp - line != 2 * CCC_ID_BYTES || sp[1] < '0' ||
		    sp[1] > '9' || (sp[1] == '0' && sp + 2 != end)) {
			rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line "
			    "%zu: expected \"ID NONCE\"", lineno);
			ccc_err_what(err, path);
			goto out;
		}
		errno = 0;
		last = strtoull(sp + 1, &sp, 10);
		if (sp != end || errno != 0) {
			rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line "
			    "%zu: a nonce below 2^64", lineno);
			ccc_err_what(err, path);
			goto out;
		}
		if (memcmp(line, hex, 2 * CCC_ID_BYTES) == 0) {
			if (nonce <= last) {
				rc = ccc_err_set(err, CCC_E_REPLAY, -1,
				    "nonce", "nonce %" PRIu64 " is not above "
				    "%" PRIu64 ", the sender's last", nonce,
				    last);
				goto out;
			}
			found = true;
			rc = ccc_buf_printf(rec, "%s %" PRIu64 "\n", hex,
			    nonce);
		} else
			rc = ccc_buf_put(rec, line, (size_t)(end - line + 1));
		if (rc != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "nonces");
			goto out;
		}
	}
	if (!found && ccc_buf_printf(rec, "%s %" PRIu64 "\n", hex,
	    nonce) != 0)
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "nonces");
out:
	ccc_buf_free(&in);
	return rc;
}

int
ccc_chain_start(struct ccc_buf *out, const char *app, const uint8_t *ct,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[CT_NFIELDS];
	char hex[65];
	uint8_t d[32];
	int rc;

	if ((rc = ccc_app_id_check(app, strlen(app), -1, err)) != 0 ||
	    (rc = ccc_blob_decode(&ccc_schema_ct, ct, len, v, 0, err)) != 0)
		return rc;
	crypto_hash_sha256(d, ct, len);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	return ccc_buf_printf(out, "ccc-chain/v1 %s 0 %s\n", app, hex) != 0 ?
	    ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "chain") : 0;
}

int
ccc_chain_next(struct ccc_buf *next, const char *path,
    const struct ccc_result *r, struct ccc_err *err)
{
	struct ccc_buf in;
	char app[CCC_APP_ID_MAX + 1], head[65], out[65];
	unsigned long long seq;
	uint8_t h[32];
	int rc, n = 0;

	ccc_buf_init(&in, 0);
	if ((rc = read_state(&in, path, CCC_CHAIN_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_buf_put(&in, "", 1)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "chain");
		goto out;
	}
	if (sscanf((const char *)in.p, "ccc-chain/v1 %128s %llu %64[0-9a-f]%n",
	    app, &seq, head, &n) != 3 || strlen(head) != 64 ||
	    (size_t)n + 1 != in.len - 1 || in.p[n] != '\n' ||
	    sodium_hex2bin(h, 32, head, 64, NULL, NULL, NULL) != 0) {
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "expected "
		    "one line \"ccc-chain/v1 APP SEQ HEAD\"");
		ccc_err_what(err, path);
		goto out;
	}
	if (r->app_len != strlen(app) || memcmp(r->app, app, r->app_len) != 0) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "app_id", "the result "
		    "is for app \"%.*s\", the chain for \"%s\"",
		    (int)r->app_len, r->app, app);
		goto out;
	}
	if (r->mode != CCC_OUTPUT_THRESHOLD) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "output_mode", "a "
		    "chained table is a threshold ciphertext; the result's "
		    "output is not");
		goto out;
	}
	if (memcmp(ccc_val_elem(&r->inputs, 32, 0), h, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "inputs", "stale "
		    "table: the result's first input is not the chain head "
		    "%.16s... (sequence %llu)", head, seq);
		goto out;
	}
	sodium_bin2hex(out, sizeof(out), r->output_digest, 32);
	if (ccc_buf_printf(next, "ccc-chain/v1 %s %llu %s\n", app, seq + 1,
	    out) != 0)
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "chain");
out:
	ccc_buf_free(&in);
	return rc;
}
