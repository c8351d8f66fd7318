/*
 * ccc-attest-verify cert: an identity certificate (ccc/id-cert/v1, the
 * re-certifier's one-time certificate of examples/identity.sh) checked
 * offline, with the re-certifier's public key alone: its signature (a
 * toolkit signature, lib/identity.h, with the purpose "ccc/id-cert/v1"
 * over the certificate without its key 8), its validity at a time, and
 * what the relying party expects of it (subject, audience, nonce).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "identity.h"
#include "io.h"
#include "ops.h"
#include "schemas.h"

/* "NAME: " and the text value v, escaped, and a newline, to b. */
static int
put_text(struct ccc_buf *b, const char *name, const struct ccc_val *v)
{
	char s[4 * 256 + 1];

	return ccc_buf_printf(b, "%s: %s\n", name,
	    ccc_vis(s, sizeof(s), (const char *)v->p, v->n, CCC_VIS_SLASH));
}

/* "NAME: " and the bytes of v in hex, and a newline, to b. */
static int
put_hex(struct ccc_buf *b, const char *name, const struct ccc_val *v)
{
	char h[2 * 64 + 1];

	return ccc_buf_printf(b, "%s: %s\n", name,
	    sodium_bin2hex(h, sizeof(h), v->p, v->n));
}

/* Refuse when want is given and v is not those bytes. */
static int
expect(const struct ccc_val *v, const void *want, size_t n, const char *what,
    struct ccc_err *err)
{
	if (want == NULL || (v->n == n && memcmp(v->p, want, n) == 0))
		return 0;
	return ccc_err_set(err, CCC_E_POLICY, -1, NULL, "%s mismatch", what);
}

static int
check(const struct ccc_idcert_opts *o, const struct ccc_identity *k,
    const struct ccc_val *v, struct ccc_err *err)
{
	struct ccc_val u[IDC_NFIELDS];
	struct ccc_buf tbs;
	char t[CCC_UTC_LEN];
	int rc;

	/* What was signed: the certificate without its signature. */
	memcpy(u, v, sizeof(u));
	u[IDC_SIG].present = false;
	ccc_buf_init(&tbs, 0);
	if ((rc = ccc_blob_encode(&tbs, &ccc_schema_idcert, u)) != 0)
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "certificate");
	else if (ccc_identity_verify(v[IDC_SIG].p, k->pk, "ccc/id-cert/v1",
	    tbs.p, tbs.len) != 0)
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "not signed "
		    "by the re-certifier%s%s", k->name[0] ? " " : "", k->name);
	ccc_buf_free(&tbs);
	if (rc != 0)
		return rc;
	if (o->now < v[IDC_AS_OF].u)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, NULL, "not valid "
		    "before %s", ccc_utc(t, v[IDC_AS_OF].u));
	if (o->now >= v[IDC_EXPIRES].u)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, NULL, "expired at "
		    "%s", ccc_utc(t, v[IDC_EXPIRES].u));
	if ((rc = expect(&v[IDC_SUBJECT], o->subject, o->subject != NULL ?
	    strlen(o->subject) : 0, "subject", err)) != 0 ||
	    (rc = expect(&v[IDC_AUDIENCE], o->audience, o->audience != NULL ?
	    strlen(o->audience) : 0, "audience", err)) != 0)
		return rc;
	return expect(&v[IDC_NONCE], o->nonce, o->nonce_len, "nonce", err);
}

int
ccc_idcert_verify(const struct ccc_idcert_opts *o, struct ccc_err *err)
{
	struct ccc_identity *k = NULL;
	struct ccc_val v[IDC_NFIELDS];
	struct ccc_buf kb, cb, out;
	char t1[CCC_UTC_LEN], t2[CCC_UTC_LEN];
	int rc;

	ccc_buf_init(&kb, 0);
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&out, 0);
	if ((k = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_read_named(&kb, o->key, 4096, false, err)) != 0)
		goto out;
	if ((rc = ccc_identity_load(k, kb.p, kb.len, err)) != 0 ||
	    (k->has_secret && (rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL,
	    "a secret key: give the re-certifier's public key")) != 0)) {
		ccc_err_what(err, ccc_io_name(o->key, 0));
		goto out;
	}
	if ((rc = ccc_read_named(&cb, o->in, 4096, false, err)) != 0)
		goto out;
	if ((rc = ccc_blob_decode(&ccc_schema_idcert, cb.p, cb.len, v, 0,
	    err)) != 0 || (rc = check(o, k, v, err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	if ((rc = put_text(&out, "subject", &v[IDC_SUBJECT])) != 0 ||
	    (rc = put_text(&out, "audience", &v[IDC_AUDIENCE])) != 0 ||
	    (rc = put_hex(&out, "nonce", &v[IDC_NONCE])) != 0 ||
	    (rc = put_text(&out, "claim", &v[IDC_CLAIM])) != 0 ||
	    (rc = put_hex(&out, "pseudonym", &v[IDC_PSEUDONYM])) != 0 ||
	    (rc = ccc_buf_printf(&out, "as-of: %s\nexpires: %s\n",
	    ccc_utc(t1, v[IDC_AS_OF].u), ccc_utc(t2, v[IDC_EXPIRES].u))) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "report");
		goto out;
	}
	if (ccc_write_full(STDOUT_FILENO, out.p, out.len) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno));
		ccc_err_what(err, "stdout");
	}
out:
	ccc_identity_free(k);
	ccc_buf_free(&kb);
	ccc_buf_free(&cb);
	ccc_buf_free(&out);
	return rc;
}
