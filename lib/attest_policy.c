/*
 * The attestation policy file: one directive per line, written by hand.
 *
 *   ccc-attest-policy 1
 *   root KIND PIN [NAME]          KIND aws-nitro or software; PIN is
 *                                 sha256:HEX of the DER, or a certificate
 *                                 file (PEM or DER) whose hash is taken
 *   measurements NAME pcrN=HEX... a set; any one matching in full passes
 *   measurements any              accept any measurement
 *   max-age SECONDS               default 300
 *   future-skew SECONDS           default 30
 *   allow-software yes|no         default no
 *   allow-debug yes|no            default no
 *   require-challenge yes|no      default no
 *
 * '#' starts a comment, a backslash at the end of a line continues it.
 * Anything unknown, repeated or out of range is an error naming the line:
 * a policy that does not say what its author meant must not be used.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "attest.h"
#include "io.h"

#define LINE_MAX_BYTES 8192
#define MAX_TOKENS (2 + CCC_NITRO_PCRS + 1)
#define MAX_SECONDS (10ULL * 366 * 24 * 3600)

struct pstate {
	struct ccc_attest_policy *pol;
	const char *dir;
	struct ccc_err *err;
	unsigned line;
	bool version, max_age, skew, sw, debug, challenge;
};

static int
bad(struct pstate *ps, const char *fmt, ...) CCC_PRINTF(2, 3);

static int
bad(struct pstate *ps, const char *fmt, ...)
{
	char d[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d, sizeof(d), fmt, ap);
	va_end(ap);
	return ccc_err_set(ps->err, CCC_E_MALFORMED, -1, NULL, "line %u: %s",
	    ps->line, d);
}

struct ccc_attest_policy *
ccc_attest_policy_new(void)
{
	struct ccc_attest_policy *pol;

	if ((pol = calloc(1, sizeof(*pol))) == NULL)
		return NULL;
	pol->max_age_ms = CCC_ATTEST_MAX_AGE_DEFAULT * 1000ULL;
	pol->future_skew_ms = CCC_ATTEST_SKEW_DEFAULT * 1000ULL;
	return pol;
}

void
ccc_attest_policy_free(struct ccc_attest_policy *pol)
{
	free(pol);
}

static bool
name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > CCC_ATTEST_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* Exactly n bytes of hex (ignoring the characters in ignore). */
static bool
unhex(uint8_t *out, size_t n, const char *s, const char *ignore)
{
	const char *end;
	size_t got;

	return sodium_hex2bin(out, n, s, strlen(s), ignore, &got, &end) == 0 &&
	    got == n && *end == '\0';
}

static int
seconds(struct pstate *ps, const char *s, uint64_t lo, uint64_t *ms)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9' || strlen(s) > 10 ||
	    (v = strtoull(s, &end, 10), *end != '\0'))
		return bad(ps, "\"%.20s\" is not a number of seconds", s);
	if (v < lo || v > MAX_SECONDS)
		return bad(ps, "%s is out of range (%llu to %llu seconds)", s,
		    (unsigned long long)lo, MAX_SECONDS);
	*ms = v * 1000;
	return 0;
}

static int
yesno(struct pstate *ps, const char *s, bool *v)
{
	if (strcmp(s, "yes") == 0)
		*v = true;
	else if (strcmp(s, "no") == 0)
		*v = false;
	else
		return bad(ps, "expected yes or no, found \"%.20s\"", s);
	return 0;
}

/* The SHA-256 of the certificate in a PEM or DER file. */
static int
cert_file_pin(struct pstate *ps, const char *file, uint8_t fp[32])
{
	struct ccc_buf b;
	struct ccc_err e;
	char path[4096];
	const unsigned char *q;
	unsigned char *der = NULL;
	X509 *x = NULL;
	BIO *bio = NULL;
	int rc, n;

	ccc_buf_init(&b, 0);
	ccc_err_clear(&e);
	if (file[0] != '/' && ps->dir != NULL)
		n = snprintf(path, sizeof(path), "%s/%s", ps->dir, file);
	else
		n = snprintf(path, sizeof(path), "%s", file);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		rc = bad(ps, "certificate path too long");
		goto out;
	}
	if (ccc_read_file(&b, path, CCC_ATTEST_POLICY_MAX, &e) != 0) {
		rc = ccc_err_set(ps->err, e.code, -1, NULL,
		    "line %u: certificate \"%s\": %s", ps->line, path,
		    e.detail);
		goto out;
	}
	if ((bio = BIO_new_mem_buf(b.p, (int)b.len)) == NULL) {
		rc = ccc_err_openssl(ps->err, "certificate");
		goto out;
	}
	if ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL) {
		ERR_clear_error();
		q = b.p;
		x = d2i_X509(NULL, &q, (long)b.len);
		if (x != NULL && q != b.p + b.len) {
			X509_free(x);
			x = NULL;
		}
	}
	if (x == NULL || (n = i2d_X509(x, &der)) <= 0) {
		ERR_clear_error();
		rc = bad(ps, "\"%s\" holds no PEM or DER certificate", path);
		goto out;
	}
	crypto_hash_sha256(fp, der, (unsigned long long)n);
	rc = 0;
out:
	OPENSSL_free(der);
	X509_free(x);
	BIO_free(bio);
	ccc_buf_free(&b);
	return rc;
}

static int
d_root(struct pstate *ps, char **tok, size_t n)
{
	struct ccc_attest_policy *pol = ps->pol;
	struct ccc_attest_root *r;
	const char *name;
	size_t i;
	int rc;

	if (n != 3 && n != 4)
		return bad(ps, "expected \"root KIND PIN [NAME]\"");
	if (pol->nroots == CCC_ATTEST_MAX_ROOTS)
		return bad(ps, "more than %d roots", CCC_ATTEST_MAX_ROOTS);
	r = &pol->roots[pol->nroots];
	if (strcmp(tok[1], "aws-nitro") == 0)
		r->kind = CCC_ATTEST_KIND_AWS_NITRO;
	else if (strcmp(tok[1], "software") == 0)
		r->kind = CCC_ATTEST_KIND_SOFTWARE;
	else
		return bad(ps, "root kind must be aws-nitro or software");
	if (strncmp(tok[2], "sha256:", 7) == 0) {
		if (!unhex(r->sha256, 32, tok[2] + 7, ":"))
			return bad(ps, "sha256: needs 64 hex digits (colons "
			    "allowed between bytes)");
	} else if ((rc = cert_file_pin(ps, tok[2], r->sha256)) != 0)
		return rc;
	name = n == 4 ? tok[3] : tok[1];
	if (!name_ok(name))
		return bad(ps, "a root name is 1 to %d letters, digits, '.', "
		    "'_' or '-'", CCC_ATTEST_NAME_MAX);
	for (i = 0; i < pol->nroots; i++) {
		if (strcmp(pol->roots[i].name, name) == 0)
			return bad(ps, "root name \"%s\" repeated (name each "
			    "root)", name);
		if (memcmp(pol->roots[i].sha256, r->sha256, 32) == 0)
			return bad(ps, "root \"%s\" pinned twice",
			    pol->roots[i].name);
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	pol->nroots++;
	return 0;
}

static int
d_measurements(struct pstate *ps, char **tok, size_t n)
{
	struct ccc_attest_policy *pol = ps->pol;
	struct ccc_attest_mset *s;
	const char *eq;
	size_t i, hl;
	char *end;
	unsigned long idx;

	if (n == 2 && strcmp(tok[1], "any") == 0) {
		if (pol->any_measurement)
			return bad(ps, "\"measurements any\" repeated");
		pol->any_measurement = true;
		return 0;
	}
	if (n < 3)
		return bad(ps, "expected \"measurements NAME pcrN=HEX ...\" "
		    "or \"measurements any\"");
	if (!name_ok(tok[1]) || strcmp(tok[1], "any") == 0)
		return bad(ps, "a measurement set name is 1 to %d letters, "
		    "digits, '.', '_' or '-', and not \"any\"",
		    CCC_ATTEST_NAME_MAX);
	if (pol->nsets == CCC_ATTEST_MAX_SETS)
		return bad(ps, "more than %d measurement sets",
		    CCC_ATTEST_MAX_SETS);
	for (i = 0; i < pol->nsets; i++)
		if (strcmp(pol->sets[i].name, tok[1]) == 0)
			return bad(ps, "measurement set \"%s\" repeated",
			    tok[1]);
	s = &pol->sets[pol->nsets];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", tok[1]);
	for (i = 2; i < n; i++) {
		if (strncmp(tok[i], "pcr", 3) != 0 ||
		    (eq = strchr(tok[i], '=')) == NULL ||
		    tok[i][3] < '0' || tok[i][3] > '9' ||
		    (tok[i][3] == '0' && eq != tok[i] + 4))
			return bad(ps, "expected pcrN=HEX, found \"%.20s\"",
			    tok[i]);
		idx = strtoul(tok[i] + 3, &end, 10);
		if (end != eq || idx >= CCC_NITRO_PCRS)
			return bad(ps, "PCR index must be 0 to %d",
			    CCC_NITRO_PCRS - 1);
		if (s->len[idx] != 0)
			return bad(ps, "pcr%lu repeated", idx);
		hl = strlen(eq + 1);
		if ((hl != 64 && hl != 96 && hl != 128) ||
		    !unhex(s->value[idx], hl / 2, eq + 1, NULL))
			return bad(ps, "pcr%lu: expected 64, 96 or 128 hex "
			    "digits", idx);
		s->len[idx] = (uint8_t)(hl / 2);
	}
	pol->nsets++;
	return 0;
}

static int
directive(struct pstate *ps, char **tok, size_t n)
{
	struct ccc_attest_policy *pol = ps->pol;
	bool *once = NULL;
	int rc;

	if (!ps->version) {
		if (n != 2 || strcmp(tok[0], "ccc-attest-policy") != 0 ||
		    strcmp(tok[1], "1") != 0)
			return bad(ps, "expected \"ccc-attest-policy 1\" "
			    "first");
		ps->version = true;
		return 0;
	}
	if (strcmp(tok[0], "root") == 0)
		return d_root(ps, tok, n);
	if (strcmp(tok[0], "measurements") == 0)
		return d_measurements(ps, tok, n);
	if (strcmp(tok[0], "max-age") == 0)
		once = &ps->max_age;
	else if (strcmp(tok[0], "future-skew") == 0)
		once = &ps->skew;
	else if (strcmp(tok[0], "allow-software") == 0)
		once = &ps->sw;
	else if (strcmp(tok[0], "allow-debug") == 0)
		once = &ps->debug;
	else if (strcmp(tok[0], "require-challenge") == 0)
		once = &ps->challenge;
	else if (strcmp(tok[0], "ccc-attest-policy") == 0)
		return bad(ps, "\"ccc-attest-policy\" repeated");
	else
		return bad(ps, "unknown directive \"%.32s\"", tok[0]);
	if (*once)
		return bad(ps, "\"%s\" repeated", tok[0]);
	if (n != 2)
		return bad(ps, "\"%s\" takes one value", tok[0]);
	*once = true;
	if (once == &ps->max_age)
		rc = seconds(ps, tok[1], 1, &pol->max_age_ms);
	else if (once == &ps->skew)
		rc = seconds(ps, tok[1], 0, &pol->future_skew_ms);
	else if (once == &ps->sw)
		rc = yesno(ps, tok[1], &pol->allow_software);
	else if (once == &ps->debug)
		rc = yesno(ps, tok[1], &pol->allow_debug);
	else
		rc = yesno(ps, tok[1], &pol->require_challenge);
	return rc;
}

/* Split a logical line (comment already cut) into tokens, in place. */
static int
tokens(struct pstate *ps, char *line, char **tok, size_t *n)
{
	char *p = line;

	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		if (*n == MAX_TOKENS)
			return bad(ps, "too many words");
		tok[(*n)++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

int
ccc_attest_policy_parse(struct ccc_attest_policy *pol, const char *text,
    size_t len, const char *dir, struct ccc_err *err)
{
	struct pstate ps = { .pol = pol, .dir = dir, .err = err };
	char *line = NULL, *tok[MAX_TOKENS], *hash;
	size_t pos = 0, ll = 0, seg, ntok;
	unsigned phys = 0;
	bool cont;
	int rc;

	if (memchr(text, '\0', len) != NULL)
		return ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "not a text file (NUL byte)");
	if ((line = malloc(LINE_MAX_BYTES + 1)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		seg = nl ? (size_t)(nl - (text + pos)) : len - pos;
		phys++;
		if (ll == 0)
			ps.line = phys;
		if (seg > 0 && text[pos + seg - 1] == '\r')
			seg--;	/* CRLF files */
		cont = seg > 0 && text[pos + seg - 1] == '\\';
		if (cont)
			seg--;
		if (ll + seg + 1 > LINE_MAX_BYTES) {
			rc = bad(&ps, "line longer than %d bytes",
			    LINE_MAX_BYTES);
			goto out;
		}
		memcpy(line + ll, text + pos, seg);
		ll += seg;
		line[ll++] = ' ';
		pos += seg + (cont ? 1 : 0);
		if (pos < len && text[pos] == '\r')
			pos++;
		if (pos < len && text[pos] == '\n')
			pos++;
		if (cont && pos < len)
			continue;
		line[ll] = '\0';
		ll = 0;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if ((rc = tokens(&ps, line, tok, &ntok)) != 0)
			goto out;
		if (ntok > 0 && (rc = directive(&ps, tok, ntok)) != 0)
			goto out;
	}
	ps.line = phys;
	if (!ps.version)
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "not a policy: no \"ccc-attest-policy 1\" line");
	else if (pol->nroots == 0)
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "no root: the policy trusts nothing");
	else if (pol->nsets == 0 && !pol->any_measurement)
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "no measurements line (\"measurements any\" accepts any)");
	else
		rc = 0;
out:
	free(line);
	return rc;
}

int
ccc_attest_policy_load(struct ccc_attest_policy *pol, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	char *dir = NULL, *slash;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_file(&b, path, CCC_ATTEST_POLICY_MAX, err)) != 0)
		goto out;
	if ((dir = strdup(path)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "policy");
		goto out;
	}
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = NULL;
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	rc = ccc_attest_policy_parse(pol, (const char *)b.p, b.len, dir, err);
out:
	if (rc != 0)
		(void)ccc_err_what(err, path);
	free(dir);
	ccc_buf_free(&b);
	return rc;
}
