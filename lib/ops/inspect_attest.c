/*
 * ccc-inspect for attestation documents: a COSE_Sign1 over a Nitro
 * payload (lib/cose.h, lib/nitro.h), given alone or inside a blob's
 * attestation field, decoded the way `openssl x509 -text` decodes a
 * certificate: every field shown, nothing judged.  Whether the signature
 * verifies, the chain leads to a trusted root, the certificates are valid
 * now or the measurements are wanted is ccc-attest-verify's business.
 */
#include "config.h"

#include <string.h>

#include "attest.h"
#include "cose.h"
#include "hash.h"
#include "inspect.h"
#include "nitro.h"
#include "x509.h"

#define DOC_TYPE "nitro-attestation"
#define DOC_NOTE "decoded only, not verified (see ccc-attest-verify(1))"

/* A document decoded: views into its bytes, its certificates described. */
struct doc {
	struct ccc_cose_sign1 m;
	struct ccc_nitro_doc d;
	struct ccc_x509_info cert[1 + CCC_NITRO_CABUNDLE_MAX];
	size_t ncert;			/* leaf first, then the cabundle */
};

bool
inspect_doc_looks_like(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n > 0 && (p[0] == 0x84 || p[0] == 0xd2))
		return true;
	/* Base64 of those bytes begins "h" or "0"; no ccc blob does. */
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return i < n && (p[i] == 'h' || p[i] == '0');
}

static void
doc_free(struct doc *x)
{
	while (x->ncert > 0)
		ccc_x509_info_free(&x->cert[--x->ncert]);
}

static int
doc_decode(struct doc *x, const uint8_t *p, size_t n, struct ccc_err *err)
{
	const struct ccc_nitro_bytes *b;
	size_t i;
	int rc;

	x->ncert = 0;
	if ((rc = ccc_cose_sign1_decode(&x->m, p, n, err)) != 0 ||
	    (rc = ccc_nitro_decode(&x->d, x->m.payload, x->m.payload_len,
	    x->m.payload_off, err)) != 0)
		return rc;
	for (i = 0; i <= x->d.ncabundle; i++) {
		b = i == 0 ? &x->d.certificate : &x->d.cabundle[i - 1];
		if ((rc = ccc_x509_describe(&x->cert[i], b->p, b->n)) != 0) {
			doc_free(x);
			if (rc == CCC_E_NOMEM)
				return ccc_err_set(err, rc, -1, NULL,
				    "certificate");
			if (i == 0)
				return ccc_err_set(err, rc, b->p - p,
				    "certificate", "certificate: not one DER "
				    "X.509 certificate");
			return ccc_err_set(err, rc, b->p - p, "cabundle",
			    "cabundle[%zu]: not one DER X.509 certificate",
			    i - 1);
		}
		x->ncert++;
	}
	return 0;
}

static void
member(const struct inspect_pr *pr, bool *first, int depth, const char *name)
{
	inspect_next(pr, first, depth + 1);
	fprintf(pr->f, "\"%s\": ", name);
}

static void
end(const struct inspect_pr *pr, int depth, char close)
{
	fputc('\n', pr->f);
	inspect_indent(pr->f, depth);
	fputc(close, pr->f);
}

static void
cstr(const struct inspect_pr *pr, const char *s)
{
	inspect_text(pr->f, (const uint8_t *)s, strlen(s));
}

static const char *
alg_name(int64_t alg)
{
	switch (alg) {
	case CCC_COSE_ALG_ES256:
		return "ES256";
	case CCC_COSE_ALG_ES384:
		return "ES384";
	default:
		return NULL;
	}
}

/* A header bucket: what the decoder reads of it, and how much more. */
static void
header_print(const struct inspect_pr *pr, const struct doc *x, bool prot,
    int depth)
{
	const struct ccc_cose_sign1 *m = &x->m;
	size_t count = prot ? m->prot_count : m->unprot_count, known = 0;
	bool first = true;

	fputc('{', pr->f);
	if ((m->has_alg || m->alg_text) && m->alg_protected == prot) {
		known++;
		member(pr, &first, depth, "alg");
		if (m->alg_text)
			cstr(pr, "(text)");
		else
			fprintf(pr->f, "%lld", (long long)m->alg);
		if (m->has_alg && alg_name(m->alg) != NULL) {
			member(pr, &first, depth, "alg_name");
			cstr(pr, alg_name(m->alg));
		}
	}
	if (prot && m->software) {
		known++;
		member(pr, &first, depth, CCC_COSE_MODE_LABEL);
		cstr(pr, CCC_COSE_MODE_SOFTWARE);
	}
	if (count > known) {
		member(pr, &first, depth, "other_parameters");
		fprintf(pr->f, "%zu", count - known);
	}
	if (first)
		fputc('}', pr->f);
	else
		end(pr, depth, '}');
}

static void
cert_print(const struct inspect_pr *pr, const struct ccc_x509_info *c,
    int depth)
{
	bool first = true;

	fputc('{', pr->f);
	member(pr, &first, depth, "subject");
	cstr(pr, c->subject);
	member(pr, &first, depth, "issuer");
	cstr(pr, c->issuer);
	member(pr, &first, depth, "serial");
	cstr(pr, c->serial);
	member(pr, &first, depth, "not_before");
	cstr(pr, c->not_before);
	member(pr, &first, depth, "not_after");
	cstr(pr, c->not_after);
	member(pr, &first, depth, "sha256");
	inspect_bytes(pr, c->sha256, sizeof(c->sha256));
	end(pr, depth, '}');
}

static void
opt_bytes(const struct inspect_pr *pr, bool *first, int depth,
    const char *name, const struct ccc_nitro_bytes *b)
{
	member(pr, first, depth, name);
	if (b->present)
		inspect_bytes(pr, b->p, b->n);
	else
		fputs("null", pr->f);
}

static void
payload_print(const struct inspect_pr *pr, const struct doc *x, int depth)
{
	const struct ccc_nitro_doc *d = &x->d;
	char ts[40];
	bool first = true, pfirst = true;
	size_t i;

	fputc('{', pr->f);
	member(pr, &first, depth, "module_id");
	inspect_text(pr->f, (const uint8_t *)d->module_id, d->module_id_len);
	member(pr, &first, depth, "digest");
	cstr(pr, "SHA384");
	ccc_attest_format_time(ts, sizeof(ts), d->timestamp_ms);
	member(pr, &first, depth, "timestamp");
	cstr(pr, ts);
	member(pr, &first, depth, "timestamp_ms");
	inspect_uint(pr, d->timestamp_ms);
	member(pr, &first, depth, "pcrs");
	fputc('{', pr->f);
	for (i = 0; i < CCC_NITRO_PCRS; i++) {
		if (!d->pcrs[i].present)
			continue;
		inspect_next(pr, &pfirst, depth + 2);
		fprintf(pr->f, pr->diag ? "%zu: " : "\"%zu\": ", i);
		inspect_bytes(pr, d->pcrs[i].p, d->pcrs[i].n);
	}
	end(pr, depth + 1, '}');
	member(pr, &first, depth, "certificate");
	cert_print(pr, &x->cert[0], depth + 1);
	member(pr, &first, depth, "cabundle");
	fputc('[', pr->f);
	for (i = 1, pfirst = true; i < x->ncert; i++) {
		inspect_next(pr, &pfirst, depth + 2);
		cert_print(pr, &x->cert[i], depth + 2);
	}
	end(pr, depth + 1, ']');
	opt_bytes(pr, &first, depth, "public_key", &d->public_key);
	opt_bytes(pr, &first, depth, "user_data", &d->user_data);
	opt_bytes(pr, &first, depth, "nonce", &d->nonce);
	end(pr, depth, '}');
}

int
inspect_doc_print(const struct inspect_pr *pr, const uint8_t *p, size_t n,
    int depth, struct ccc_err *err)
{
	struct doc x;
	uint8_t h[32];
	bool first = true;
	int rc;

	if ((rc = doc_decode(&x, p, n, err)) != 0)
		return rc;
	fputc('{', pr->f);
	member(pr, &first, depth, "type");
	cstr(pr, DOC_TYPE);
	if (pr->sha256) {
		ccc_sha256(h, p, n);
		member(pr, &first, depth, "sha256");
		inspect_bytes(pr, h, sizeof(h));
	}
	member(pr, &first, depth, "note");
	cstr(pr, DOC_NOTE);
	member(pr, &first, depth, "tagged");
	fputs(x.m.tagged ? "true" : "false", pr->f);
	member(pr, &first, depth, "protected");
	header_print(pr, &x, true, depth + 1);
	member(pr, &first, depth, "unprotected");
	header_print(pr, &x, false, depth + 1);
	member(pr, &first, depth, "payload");
	payload_print(pr, &x, depth + 1);
	member(pr, &first, depth, "signature");
	inspect_bytes(pr, x.m.sig, x.m.sig_len);
	end(pr, depth, '}');
	doc_free(&x);
	return 0;
}
