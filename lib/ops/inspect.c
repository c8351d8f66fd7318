/*
 * ccc-inspect: print any ccc blob or sequence of blobs with field names,
 * as JSON (byte strings in hex) or as CBOR diagnostic notation with the
 * field names in comments.  Every item is validated exactly as the tool
 * that consumes it would (strict CBOR, then its schema); secret fields are
 * replaced by "<secret>" unless asked for.  Nested blobs, and attestation
 * documents (lib/ops/inspect_attest.c), are expanded in place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accesslog.h"
#include "blob.h"
#include "cose.h"
#include "hash.h"
#include "identity.h"
#include "inspect.h"
#include "io.h"
#include "ops.h"
#include "schemas.h"
#include "seq.h"

/* The largest integer a double, and so any JSON reader, holds exactly. */
#define JSON_SAFE_MAX ((UINT64_C(1) << 53) - 1)

void
inspect_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

void
inspect_text(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fprintf(f, "\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			fprintf(f, "\\u%04x", p[i]);
		else if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			/* A C1 control, U+0080..U+009F, in UTF-8. */
			fprintf(f, "\\u%04x", p[++i]);
		else
			fputc(p[i], f);
	}
	fputc('"', f);
}

void
inspect_bytes(const struct inspect_pr *pr, const uint8_t *p, size_t n)
{
	if (pr->diag) {
		fputs("h'", pr->f);
		inspect_hex(pr->f, p, n);
		fputc('\'', pr->f);
	} else {
		fputc('"', pr->f);
		inspect_hex(pr->f, p, n);
		fputc('"', pr->f);
	}
}

void
inspect_uint(const struct inspect_pr *pr, uint64_t u)
{
	fprintf(pr->f, !pr->diag && u > JSON_SAFE_MAX ? "\"%llu\"" : "%llu",
	    (unsigned long long)u);
}

void
inspect_indent(FILE *f, int depth)
{
	while (depth-- > 0)
		fputs("  ", f);
}

void
inspect_next(const struct inspect_pr *pr, bool *first, int depth)
{
	fputs(*first ? "\n" : ",\n", pr->f);
	*first = false;
	inspect_indent(pr->f, depth);
}

static void print_map(const struct inspect_pr *, const struct ccc_schema *,
    const struct ccc_val *, const uint8_t *, size_t, int);

/*
 * A blob inside a byte string: printed as its decoded map (it was checked
 * when the outer blob was), or as bytes if it does not decode on its own.
 */
static void
print_nested(const struct inspect_pr *pr, const uint8_t *p, size_t n,
    long long off, int depth)
{
	struct ccc_val sub[CCC_BLOB_MAX_FIELDS];
	const struct ccc_schema *s = ccc_blob_peek_type(p, n);

	if (s != NULL && ccc_blob_decode(s, p, n, sub, off, NULL) == 0)
		print_map(pr, s, sub, p, n, depth);
	else
		inspect_bytes(pr, p, n);
}

static void
print_field(const struct inspect_pr *pr, const struct ccc_field *fd,
    const struct ccc_val *v, int depth)
{
	struct ccc_val sub[CCC_BLOB_MAX_FIELDS];
	struct ccc_cur c;
	size_t i;

	if ((fd->flags & CCC_F_SECRET) && !pr->show_secrets) {
		fputs("\"<secret>\"", pr->f);
		return;
	}
	switch (fd->kind) {
	case CCC_F_UINT:
		inspect_uint(pr, v->u);
		break;
	case CCC_F_BOOL:
		fputs(v->u ? "true" : "false", pr->f);
		break;
	case CCC_F_BSTR:
		/* An attestation document that does not decode: its bytes. */
		if (!(fd->flags & CCC_F_DOC) ||
		    inspect_doc_print(pr, v->p, v->n, depth + 1, NULL) != 0)
			inspect_bytes(pr, v->p, v->n);
		break;
	case CCC_F_TSTR:
		inspect_text(pr->f, v->p, v->n);
		break;
	case CCC_F_BSTR_ARRAY:
		fputc('[', pr->f);
		for (i = 0; i < v->count; i++) {
			fputs(i ? ",\n" : "\n", pr->f);
			inspect_indent(pr->f, depth + 2);
			inspect_bytes(pr, ccc_val_elem(v, v->elem, i),
			    v->elem);
		}
		fputc('\n', pr->f);
		inspect_indent(pr->f, depth + 1);
		fputc(']', pr->f);
		break;
	case CCC_F_BLOB:
		print_nested(pr, v->p, v->n, v->off, depth + 1);
		break;
	case CCC_F_BLOB_ARRAY:
	case CCC_F_BYTES_ARRAY: {
		const uint8_t *bp;
		size_t bn;
		ccc_cur_init(&c, v->p, v->n, v->off, NULL);
		fputc('[', pr->f);
		for (i = 0; i < v->count; i++) {
			fputs(i ? ",\n" : "\n", pr->f);
			inspect_indent(pr->f, depth + 2);
			if (ccc_cur_bstr(&c, &bp, &bn, NULL) != 0)
				continue;
			if (fd->kind == CCC_F_BLOB_ARRAY)
				print_nested(pr, bp, bn, v->off, depth + 2);
			else
				inspect_bytes(pr, bp, bn);
		}
		fputc('\n', pr->f);
		inspect_indent(pr->f, depth + 1);
		fputc(']', pr->f);
		break;
	}
	case CCC_F_MAP_ARRAY:
	case CCC_F_MAP:
		ccc_cur_init(&c, v->p, v->n, v->off, NULL);
		if (fd->kind == CCC_F_MAP) {
			if (ccc_blob_decode_map(fd->sub, &c, sub) == 0)
				print_map(pr, fd->sub, sub, NULL, 0, depth + 1);
			break;
		}
		fputc('[', pr->f);
		for (i = 0; i < v->count; i++) {
			fputs(i ? ",\n" : "\n", pr->f);
			inspect_indent(pr->f, depth + 2);
			if (ccc_blob_decode_map(fd->sub, &c, sub) == 0)
				print_map(pr, fd->sub, sub, NULL, 0,
				    depth + 2);
		}
		fputc('\n', pr->f);
		inspect_indent(pr->f, depth + 1);
		fputc(']', pr->f);
		break;
	}
}

/*
 * What a blob's bytes give besides its fields: with -s its SHA-256, and a
 * roster's id (the SHA-256 of its bytes, which certificates name).  In
 * JSON members after "type"; in diagnostic notation a comment after the
 * brace, since they are not in the blob.
 */
static void
print_derived(const struct inspect_pr *pr, const struct ccc_schema *s,
    const uint8_t *raw, size_t rawn, int depth)
{
	const char *name[2];
	uint8_t h[32];
	size_t i, n = 0;

	if (pr->sha256)
		name[n++] = "sha256";
	if (s == &ccc_schema_roster)
		name[n++] = "roster_id";
	if (n == 0)
		return;
	ccc_sha256(h, raw, rawn);
	for (i = 0; i < n; i++) {
		if (pr->diag) {
			fprintf(pr->f, "%s%s: ", i ? ", " : " / ", name[i]);
			inspect_hex(pr->f, h, sizeof(h));
			continue;
		}
		fputs(",\n", pr->f);
		inspect_indent(pr->f, depth + 1);
		fprintf(pr->f, "\"%s\": ", name[i]);
		inspect_bytes(pr, h, sizeof(h));
	}
	if (pr->diag)
		fputs(" /", pr->f);
}

/* A map; raw is the blob's bytes (NULL for a map nested in one). */
static void
print_map(const struct inspect_pr *pr, const struct ccc_schema *s,
    const struct ccc_val *v, const uint8_t *raw, size_t rawn, int depth)
{
	size_t i;
	bool first = true;

	fputc('{', pr->f);
	if (pr->diag && raw != NULL)
		print_derived(pr, s, raw, rawn, depth);
	if (s->type != NULL) {
		inspect_next(pr, &first, depth + 1);
		if (pr->diag)
			fprintf(pr->f, "0 / type /: \"%s\"", s->type);
		else
			fprintf(pr->f, "\"type\": \"%s\"", s->type);
	}
	if (!pr->diag && raw != NULL)
		print_derived(pr, s, raw, rawn, depth);
	for (i = 0; i < s->nfields; i++) {
		if (!v[i].present)
			continue;
		inspect_next(pr, &first, depth + 1);
		if (pr->diag)
			fprintf(pr->f, "%u / %s /: ", s->fields[i].key,
			    s->fields[i].name);
		else
			fprintf(pr->f, "\"%s\": ", s->fields[i].name);
		print_field(pr, &s->fields[i], &v[i], depth);
	}
	fputc('\n', pr->f);
	inspect_indent(pr->f, depth);
	fputc('}', pr->f);
}

/*
 * A Chainlink JSON ciphertext (any wire form): printed as the ccc/ct/v1
 * blob it converts to, its label spelled as the context (ccc(7), Labels).
 * Its proof is not checked: there is no key.
 */
static int
inspect_json(const struct inspect_pr *pr, struct ccc_seq *seq,
    struct ccc_err *err)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_buf b;
	const uint8_t *p;
	size_t len;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_seq_rest(seq, &p, &len, err)) == 0 &&
	    (rc = ccc_json_ct_import(&b, (const char *)p, len, NULL,
	    err)) == 0 &&
	    (rc = ccc_blob_decode(&ccc_schema_ct, b.p, b.len, v, 0,
	    err)) == 0) {
		print_map(pr, &ccc_schema_ct, v, b.p, b.len, 0);
		fputc('\n', pr->f);
	}
	ccc_buf_free(&b);
	return rc;
}

/*
 * A file that holds one attestation document, raw or in base64: decoded
 * (not verified).
 */
static int
inspect_doc(const struct inspect_pr *pr, struct ccc_seq *seq,
    struct ccc_err *err)
{
	struct ccc_buf dec;
	const uint8_t *p, *doc;
	size_t len, n;
	int rc;

	ccc_buf_init(&dec, 0);
	seq->max = CCC_COSE_B64_MAX;	/* not a blob's: a document's */
	if ((rc = ccc_seq_rest(seq, &p, &len, err)) != 0)
		goto out;
	if ((rc = ccc_cose_unwrap(&dec, p, len, &doc, &n)) != 0) {
		rc = ccc_err_set(err, rc, rc == CCC_E_NOMEM ? -1 : 0, NULL,
		    rc == CCC_E_NOMEM ? "document" : "neither a ccc blob nor "
		    "an attestation document (CBOR or base64)");
		goto out;
	}
	if ((rc = inspect_doc_print(pr, doc, n, 0, err)) == 0)
		fputc('\n', pr->f);
out:
	ccc_buf_free(&dec);
	return rc;
}

static int
inspect_file(const struct inspect_pr *pr, const char *path, struct ccc_err *err)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	const struct ccc_schema *s;
	struct ccc_seq seq;
	const uint8_t *p;
	size_t len;
	long long at;
	int rc;

	if ((rc = ccc_seq_open(&seq, path, CCC_CT_SYM_MAX + 4096, 0,
	    err)) != 0) {
		ccc_err_what(err, ccc_io_name(path, 0));
		return rc;
	}
	if ((rc = ccc_seq_peek(&seq, &p, &len, err)) != 0)
		goto fail;
	if (ccc_json_looks_like(p, len) || inspect_doc_looks_like(p, len)) {
		if ((rc = ccc_json_looks_like(p, len) ?
		    inspect_json(pr, &seq, err) : inspect_doc(pr, &seq,
		    err)) != 0)
			goto fail;
		ccc_seq_close(&seq);
		return 0;
	}
	while ((rc = ccc_seq_next(&seq, &p, &len, &at, err)) == 1) {
		if ((s = ccc_blob_peek_type(p, len)) == NULL) {
			rc = ccc_err_set(err, CCC_E_TYPE, at, NULL,
			    "not a ccc blob (no known type in key 0)");
			goto fail;
		}
		if ((rc = ccc_blob_decode(s, p, len, v, at, err)) != 0)
			goto fail;
		print_map(pr, s, v, p, len, 0);
		fputc('\n', pr->f);
	}
	if (rc == 0 && seq.item == 0)
		rc = ccc_err_set(err, CCC_E_TRUNCATED, 0, NULL,
		    "empty input");
	if (rc < 0)
		goto fail;
	ccc_seq_close(&seq);
	return 0;
fail:
	ccc_err_item(err, seq.item);
	ccc_err_what(err, seq.name);
	ccc_seq_close(&seq);
	return rc;
}

/* The node's identity public key (a secret key file is refused). */
static int
identity_pub(struct ccc_identity *id, const char *path, struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, 4096, false, err)) == 0 &&
	    ((rc = ccc_identity_load(id, b.p, b.len, err)) != 0 ||
	    (id->has_secret && (rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL,
	    "expected an identity public key (ccc/identity-pub/v1)")) != 0)))
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

/*
 * Check a node's access log against its head, and with the node's
 * identity its signed head and an earlier one; print a one-line summary.
 */
static int
verify_log(const struct ccc_inspect_opts *o, struct ccc_err *err)
{
	struct ccc_signed_head sh[2];
	struct ccc_identity *id = NULL;
	char *log = NULL, *head = NULL, *signed_head = NULL;
	const char *dir = o->verify_log;
	uint64_t n = 0;
	size_t nsh = 0;
	int rc;

	if (asprintf(&log, "%s/access.log", dir) < 0 ||
	    asprintf(&head, "%s/access.head", dir) < 0 ||
	    asprintf(&signed_head, "%s/access.head.signed", dir) < 0 ||
	    (id = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "log");
		goto out;
	}
	if (o->identity != NULL) {
		if ((rc = identity_pub(id, o->identity, err)) != 0 ||
		    (rc = ccc_signed_head_read(&sh[nsh++], signed_head, id->pk,
		    err)) != 0 || (o->since != NULL &&
		    (rc = ccc_signed_head_read(&sh[nsh++], o->since, id->pk,
		    err)) != 0))
			goto out;
	}
	if ((rc = ccc_access_verify_signed(log, head, sh, nsh, &n,
	    err)) != 0) {
		if (err != NULL && strcmp(err->what, log) == 0)
			(void)ccc_err_rename(err, dir);
		goto out;
	}
	printf("%s: %llu entr%s, chained and matching its head", log,
	    (unsigned long long)n, n == 1 ? "y" : "ies");
	if (nsh > 0)
		printf(", signed at entry %llu", (unsigned long long)sh[0].seq);
	if (nsh > 1)
		printf(", entry %llu as %s signed it",
		    (unsigned long long)sh[1].seq, o->since);
	putchar('\n');
out:
	ccc_identity_free(id);
	free(log);
	free(head);
	free(signed_head);
	return rc;
}

int
ccc_inspect_run(const struct ccc_inspect_opts *o, struct ccc_err *err)
{
	struct inspect_pr pr = { stdout, o->diag, o->show_secrets, o->sha256 };
	int i, rc;

	if (o->verify_log != NULL || o->reads != NULL) {
		rc = o->reads != NULL ? ccc_inspect_reads(o, err) :
		    verify_log(o, err);
		if (fflush(stdout) != 0 || ferror(stdout))
			return ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout: "
			    "write failed");
		return rc;
	}

	if (o->nfiles == 0)
		rc = inspect_file(&pr, NULL, err);
	else
		for (i = 0, rc = 0; i < o->nfiles && rc == 0; i++)
			rc = inspect_file(&pr, o->files[i], err);
	if (fflush(stdout) != 0 || ferror(stdout))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout: write "
		    "failed");
	return rc;
}
