/*
 * Quorum certificates: ccc-quorum-sign combine (the oracles' signatures of
 * a blob into its certificate) and verify, each one-shot or serving many
 * items with --serve (the loop and the answers: lib/ops/serve.c).  A
 * serving process reads the roster once and checks its validity, and
 * everything else, at each item's time, as the one-shot form does.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "cbor.h"
#include "cli.h"
#include "io.h"
#include "ops.h"
#include "quorum.h"
#include "schemas.h"

/*
 * The signatures combine leaves out, with why: warnings when the
 * certificate is made, part of the one error line when it is not.
 */
struct ignored {
	struct ccc_buf b;	/* lines, each ended by a NUL */
	size_t n;
};

static void
ignored(struct ignored *ig, const char *fmt, ...)
{
	char line[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ccc_buf_put(&ig->b, line, strlen(line) + 1) == 0)
		ig->n++;
}

/* Each ignored line as a warning. */
static void
ignored_warn(const struct ignored *ig)
{
	const char *p = (const char *)ig->b.p;
	size_t i;

	for (i = 0; i < ig->n; i++, p += strlen(p) + 1)
		ccc_cli_warn("%s; ignored", p);
}

/* "; ignored: A; B" appended to buf (truncated to fit). */
static void
ignored_append(char *buf, size_t len, const struct ignored *ig)
{
	const char *p = (const char *)ig->b.p;
	size_t i, at;

	for (i = 0; i < ig->n; i++, p += strlen(p) + 1) {
		at = strlen(buf);
		snprintf(buf + at, len - at, "%s%s", i == 0 ? "; ignored: " :
		    "; ", p);
	}
}

/*
 * The certificate of the blob in (named name in errors) under the roster
 * r, which the caller found valid at the time, from the signatures sigs
 * (bad[k] not NULL: signature k could not be read, and why): into out.  A
 * signature that cannot count is left out with a warning; fewer than the
 * quorum is an error naming who did not sign and what was left out.
 */
static int
certify(const struct ccc_roster *r, const uint8_t *in, size_t inlen,
    const char *name, const struct ccc_op_bytes *sigs,
    const char *const *bad, size_t nsigs, struct ccc_buf *out,
    struct ccc_err *err)
{
	const struct ccc_schema *s;
	struct ccc_val v[SIG_NFIELDS], cv[CERT_NFIELDS], sv[CSIG_NFIELDS];
	struct ccc_buf sigbuf;
	struct ccc_err e;
	struct ignored ig;
	bool *have = NULL;
	uint8_t d[32], (*sig)[64] = NULL;
	char who[80], miss[1024];
	size_t i, k, nvalid = 0;
	long m;
	int rc = 0;

	ccc_buf_init(&sigbuf, 0);
	ccc_buf_init(&ig.b, 0);
	ig.n = 0;
	if ((s = ccc_blob_peek_type(in, inlen)) == NULL) {
		rc = ccc_err_set(err, CCC_E_TYPE, 0, NULL, "not a ccc blob");
		ccc_err_what(err, name);
		return rc;
	}
	crypto_hash_sha256(d, in, inlen);
	have = calloc(r->n, sizeof(*have));
	sig = calloc(r->n, sizeof(*sig));
	if (have == NULL || sig == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "signatures");
		goto out;
	}
	for (k = 0; k < nsigs; k++) {
		const struct ccc_op_bytes *g = &sigs[k];
		ccc_err_clear(&e);
		if (bad != NULL && bad[k] != NULL) {
			ignored(&ig, "%s: %s", g->name, bad[k]);
			continue;
		}
		if (ccc_blob_decode(&ccc_schema_signature, g->p, g->n, v, 0,
		    &e) != 0) {
			ignored(&ig, "%s: %s", g->name, e.detail);
			continue;
		}
		if ((m = ccc_roster_find(r, v[SIG_SIGNER].p)) < 0) {
			ignored(&ig, "%s: signer is not in roster \"%s\"",
			    g->name, r->name);
			continue;
		}
		ccc_member_label(&r->m[m], who, sizeof(who));
		if (have[m]) {
			ignored(&ig, "%s: a second signature by %s", g->name,
			    who);
			continue;
		}
		if (v[SIG_TYPE].n != strlen(s->type) || memcmp(v[SIG_TYPE].p,
		    s->type, v[SIG_TYPE].n) != 0 ||
		    memcmp(v[SIG_DIGEST].p, d, 32) != 0) {
			ignored(&ig, "%s: %s signed another blob", g->name,
			    who);
			continue;
		}
		if (ccc_cert_sig_verify(v[SIG_SIG].p, r->m[m].pk, s,
		    r->roster_id, d) != 0) {
			ignored(&ig, "%s: bad signature by %s%s", g->name, who,
			    ccc_cert_roster_bound(s) ? ", or made for another "
			    "roster" : "");
			continue;
		}
		have[m] = true;
		memcpy(sig[m], v[SIG_SIG].p, 64);
		nvalid++;
	}
	if (nvalid < r->q) {
		/* One line: who did not sign, and what was left out. */
		ccc_roster_missing(miss, sizeof(miss), r, have);
		ignored_append(miss, sizeof(miss), &ig);
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "%zu valid "
		    "signature%s, roster \"%s\" needs %u%s", nvalid,
		    nvalid == 1 ? "" : "s", r->name, r->q, miss);
		ccc_err_what(err, name);
		goto out;
	}
	ignored_warn(&ig);
	/* Signatures in roster (id) order: the certificate is canonical. */
	for (i = 0; i < r->n; i++) {
		if (!have[i])
			continue;
		ccc_val_bytes(&sv[CSIG_SIGNER], r->m[i].id, 32);
		ccc_val_bytes(&sv[CSIG_SIG], sig[i], 64);
		if (ccc_blob_encode(&sigbuf, &ccc_schema_cert_sig, sv) != 0)
			goto nomem;
	}
	ccc_val_bytes(&cv[CERT_ROSTER], r->roster_id, 32);
	ccc_val_bytes(&cv[CERT_TYPE], s->type, strlen(s->type));
	ccc_val_bytes(&cv[CERT_BLOB], in, inlen);
	ccc_val_array(&cv[CERT_SIGS], sigbuf.p, sigbuf.len, nvalid);
	if (ccc_blob_encode(out, &ccc_schema_certified, cv) != 0)
		goto nomem;
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "certificate");
out:
	free(have);
	free(sig);
	ccc_buf_free(&sigbuf);
	ccc_buf_free(&ig.b);
	return rc;
}

int
ccc_quorum_combine(const struct ccc_qcombine_opts *o, struct ccc_err *err)
{
	struct ccc_roster r;
	struct ccc_buf in, out, *sb = NULL;
	struct ccc_err *se = NULL;
	struct ccc_op_bytes *sigs = NULL;
	const char **bad = NULL;
	int k, rc;

	memset(&r, 0, sizeof(r));
	ccc_buf_init(&in, 0);
	ccc_buf_init(&out, 0);
	if ((rc = ccc_roster_read(&r, o->roster, err)) != 0)
		goto out;
	if ((rc = ccc_roster_valid(&r, o->now, err)) != 0) {
		ccc_err_what(err, o->roster);
		goto out;
	}
	if ((rc = ccc_read_named(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	sb = calloc((size_t)o->nsigs, sizeof(*sb));
	se = calloc((size_t)o->nsigs, sizeof(*se));
	sigs = calloc((size_t)o->nsigs, sizeof(*sigs));
	bad = calloc((size_t)o->nsigs, sizeof(*bad));
	if (sb == NULL || se == NULL || sigs == NULL || bad == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "signatures");
		goto out;
	}
	for (k = 0; k < o->nsigs; k++) {
		ccc_buf_init(&sb[k], 0);
		ccc_err_clear(&se[k]);
		sigs[k].name = o->sigs[k];
		if (ccc_read_named(&sb[k], o->sigs[k], 4096, false,
		    &se[k]) != 0)
			bad[k] = se[k].detail;
		sigs[k].p = sb[k].p;
		sigs[k].n = sb[k].len;
	}
	if ((rc = certify(&r, in.p, in.len, ccc_io_name(o->in, 0),
	    sigs, bad, (size_t)o->nsigs, &out, err)) == 0)
		rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
		    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	for (k = 0; sb != NULL && k < o->nsigs; k++)
		ccc_buf_free(&sb[k]);
	free(sb);
	free(se);
	free(sigs);
	free(bad);
	ccc_roster_free(&r);
	ccc_buf_free(&in);
	ccc_buf_free(&out);
	return rc;
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
	if ((rc = ccc_read_named(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
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

/* ---- --serve ------------------------------------------------------------ */

struct cert_serving {
	struct ccc_roster r;
	const char *roster;	/* its file, to name it */
	uint64_t now;
	bool fixed_now;
};

static uint64_t
item_time(const struct cert_serving *s)
{
	return s->fixed_now ? s->now : ccc_serve_clock();
}

/* A ccc/quorum-combine/v1 item: its certificate out. */
static int
combine_item(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct cert_serving *s = ctx;
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_op_bytes *sigs = NULL;
	char (*names)[64] = NULL;
	struct ccc_buf cert;
	uint64_t now = item_time(s);
	size_t nsigs;
	int rc;

	(void)rid;
	*have_rid = false;
	ccc_buf_init(&cert, 0);
	if ((rc = ccc_blob_decode(&ccc_schema_quorum_combine, p, n, v, 0,
	    err)) != 0) {
		ccc_err_what(err, name);
		return rc;
	}
	if ((rc = ccc_roster_valid(&s->r, now, err)) != 0) {
		ccc_err_what(err, s->roster);
		return rc;
	}
	if ((rc = ccc_serve_bytes(&v[QCOMB_SIGS], name, "signature", &sigs,
	    &names, &nsigs, err)) == 0 &&
	    (rc = certify(&s->r, v[QCOMB_BLOB].p, v[QCOMB_BLOB].n, name,
	    sigs, NULL, nsigs, &cert, err)) == 0)
		rc = ccc_out_write(out, cert.p, cert.len, err);
	free(sigs);
	free(names);
	ccc_buf_free(&cert);
	return rc;
}

/* A certificate: the blob it certifies out. */
static int
verify_item(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct cert_serving *s = ctx;
	const struct ccc_schema *type;
	const uint8_t *blob;
	size_t blen;
	int rc;

	(void)rid;
	*have_rid = false;
	if ((rc = ccc_cert_verify(&s->r, p, n, item_time(s), &blob, &blen,
	    &type, err)) != 0) {
		ccc_err_what(err, name);
		return rc;
	}
	return ccc_out_write(out, blob, blen, err);
}

int
ccc_quorum_cert_serve(const char *roster, bool combine, uint64_t now,
    bool fixed_now, struct ccc_err *err)
{
	struct cert_serving s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.roster = roster;
	s.now = now;
	s.fixed_now = fixed_now;
	if ((rc = ccc_roster_read(&s.r, roster, err)) == 0)
		rc = ccc_serve_loop(combine ? combine_item : verify_item, NULL,
		    &s, err);
	ccc_roster_free(&s.r);
	return rc;
}

/*
 * A ccc/quorum-combine/v1 item for a client of combine --serve: the blob
 * in file in and the signatures in files sigs[], copied as they are (the
 * serving process checks them).
 */
int
ccc_quorum_combine_item(const struct ccc_qcombine_opts *o,
    struct ccc_err *err)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_buf in, f, all, item;
	int k, rc;

	if (o->nsigs > 255)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%d signature "
		    "files, at most 255", o->nsigs);
	memset(v, 0, sizeof(v));
	ccc_buf_init(&in, 0);
	ccc_buf_init(&f, 0);
	ccc_buf_init(&all, 0);
	ccc_buf_init(&item, 0);
	if ((rc = ccc_read_named(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	for (k = 0; k < o->nsigs; k++) {
		ccc_buf_reset(&f);
		if ((rc = ccc_read_named(&f, o->sigs[k], 4096, false,
		    err)) != 0)
			goto out;
		if (ccc_cbor_put_bstr(&all, f.p, f.len) != 0)
			goto nomem;
	}
	ccc_val_bytes(&v[QCOMB_BLOB], in.p, in.len);
	ccc_val_array(&v[QCOMB_SIGS], all.p, all.len, (size_t)o->nsigs);
	if (ccc_blob_encode(&item, &ccc_schema_quorum_combine, v) != 0)
		goto nomem;
	rc = ccc_write_file(o->out, item.p, item.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
out:
	ccc_buf_free(&in);
	ccc_buf_free(&f);
	ccc_buf_free(&all);
	ccc_buf_free(&item);
	return rc;
}
