#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "io.h"
#include "label.h"
#include "policy.h"

static bool
app_matches(const char *rule, const char *app, size_t app_len)
{
	return strcmp(rule, "*") == 0 || (strlen(rule) == app_len &&
	    memcmp(rule, app, app_len) == 0);
}

int
ccc_label_policy_check(const struct ccc_label_policy *p, const char *app,
    size_t app_len, const char *ctx, size_t ctx_len, struct ccc_err *err)
{
	char va[120], vc[120];
	uint8_t label[32];
	size_t i, l;
	bool have;

	if (ctx == NULL) {
		if (p != NULL && p->allow_unlabelled_all)
			return 0;
		for (i = 0; p != NULL && i < p->n; i++)
			if (p->rules[i].context == NULL &&
			    app_matches(p->rules[i].app, app, app_len))
				return 0;
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "unlabelled ciphertext (all-zero label) not allowed for "
		    "app \"%s\"", ccc_vis(va, sizeof(va), app, app_len,
		    CCC_VIS_SLASH));
	}
	/* The default rule: "app:A" or "app:A/...". */
	if (ctx_len >= 4 + app_len && memcmp(ctx, "app:", 4) == 0 &&
	    memcmp(ctx + 4, app, app_len) == 0 && (ctx_len == 4 + app_len ||
	    ctx[4 + app_len] == '/'))
		return 0;
	have = ccc_label(label, ctx, ctx_len, NULL) == 0;
	for (i = 0; p != NULL && i < p->n; i++) {
		const struct ccc_label_rule *r = &p->rules[i];
		if (r->context == NULL || !app_matches(r->app, app, app_len))
			continue;
		if (r->by_label) {
			if (have && sodium_memcmp(label, r->label, 32) == 0)
				return 0;
			continue;
		}
		l = strlen(r->context);
		if (r->prefix ? ctx_len >= l && memcmp(ctx, r->context, l) == 0 :
		    ctx_len == l && memcmp(ctx, r->context, l) == 0)
			return 0;
	}
	return ccc_err_set(err, CCC_E_POLICY, -1, "context",
	    "a ciphertext labelled \"%s\" is not allowed for app \"%s\"",
	    ccc_vis(vc, sizeof(vc), ctx, ctx_len > 100 ? 100 : ctx_len,
	    CCC_VIS_SLASH), ccc_vis(va, sizeof(va), app, app_len > 100 ? 100 :
	    app_len, CCC_VIS_SLASH));
}

/* Whether p[0..n) is n lowercase hex digits. */
static bool
lower_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' &&
		    p[i] <= 'f')))
			return false;
	return true;
}

/* The bound value of segment seg[0..n) if it starts with key (the hex
 * digits), or NULL; *bad = key when it does but they are not want of them. */
static const char *
binding(const char *seg, size_t n, const char *key, size_t want,
    const char **bad)
{
	size_t k = strlen(key);

	if (n < k || memcmp(seg, key, k) != 0)
		return NULL;
	if (n - k != want || !lower_hex(seg + k, want))
		*bad = key;
	return seg + k;
}

int
ccc_label_custody_check(const char *ctx, size_t ctx_len,
    const uint8_t code[48], const uint8_t *recipient, struct ccc_err *err)
{
	char want[97];
	uint8_t d[32];
	const char *seg, *end, *slash, *v, *bad = NULL;
	size_t n;

	if (ctx == NULL || ctx_len < 4 || memcmp(ctx, "app:", 4) != 0 ||
	    (seg = memchr(ctx, '/', ctx_len)) == NULL)
		return 0;
	for (end = ctx + ctx_len; seg < end && bad == NULL; seg = slash) {
		seg++;
		if ((slash = memchr(seg, '/', (size_t)(end - seg))) == NULL)
			slash = end;
		n = (size_t)(slash - seg);
		if ((v = binding(seg, n, "code=", 96, &bad)) != NULL &&
		    bad == NULL) {
			sodium_bin2hex(want, sizeof(want), code, 48);
			if (memcmp(v, want, 96) != 0)
				return ccc_err_set(err, CCC_E_POLICY, -1,
				    "context", "the label binds the code to "
				    "%.16s..., the request's code is %.16s...",
				    v, want);
		} else if (v == NULL && (v = binding(seg, n, "recipient=", 64,
		    &bad)) != NULL && bad == NULL) {
			if (recipient == NULL)
				return ccc_err_set(err, CCC_E_POLICY, -1,
				    "context", "the label binds the output to "
				    "recipient %.16s..., the request's output is "
				    "not sealed to a recipient", v);
			crypto_hash_sha256(d, recipient, 32);
			sodium_bin2hex(want, sizeof(want), d, 32);
			if (memcmp(v, want, 64) != 0)
				return ccc_err_set(err, CCC_E_POLICY, -1,
				    "context", "the label binds the output to "
				    "recipient %.16s..., the request's output is "
				    "sealed to %.16s...", v, want);
		}
	}
	if (bad != NULL)
		return ccc_err_set(err, CCC_E_POLICY, -1, "context", "the label "
		    "binds custody with a %s segment that is not %d lowercase "
		    "hex digits", bad, strcmp(bad, "code=") == 0 ? 96 : 64);
	return 0;
}

/*
 * An owner:, org: or label: rule names one label: spelled canonically
 * (hex digits lowercased), its label kept.  Other rules are left as they
 * are.
 */
static int
label_rule(struct ccc_label_rule *r, long lineno, struct ccc_err *err)
{
	struct ccc_err e;
	char *c = r->context, *h = NULL;
	size_t n = strlen(c);

	ccc_err_clear(&e);
	if (strncmp(c, "owner:", 6) == 0)
		h = c + 6;
	else if (strncmp(c, "label:", 6) == 0)
		h = c + 6;
	else if (strncmp(c, "org:", 4) != 0)
		return 0;
	if (r->prefix)
		return ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line %ld: "
		    "an owner:, org: or label: rule names one label (no *)",
		    lineno);
	for (; h != NULL && h < c + n; h++)
		if (*h >= 'A' && *h <= 'F')
			*h = (char)(*h - 'A' + 'a');
	if (strncmp(c, "owner:0X", 8) == 0)
		c[7] = 'x';
	if (ccc_label(r->label, c, n, &e) != 0)
		return ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "line %ld: %s", lineno, e.detail);
	r->by_label = true;
	return 0;
}

void
ccc_label_policy_free(struct ccc_label_policy *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->rules[i].app);
		free(p->rules[i].context);
	}
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

int
ccc_label_policy_load(struct ccc_label_policy *p, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	char *line, *save = NULL, *tok[3], *save2, *t;
	size_t nt;
	long lineno = 0;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (path == NULL)
		return 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_file(&b, path, 1 << 20, err)) != 0 ||
	    (rc = ccc_buf_put(&b, "", 1)) != 0)
		goto out;
	if (memchr(b.p, '\0', b.len - 1) != NULL) {
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
		    "a NUL byte in a text file");
		goto out;
	}
	for (line = (char *)b.p; line != NULL; line = save) {
		char *hash;
		if ((save = strchr(line, '\n')) != NULL)
			*save++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		nt = 0;
		for (t = strtok_r(line, " \t\r", &save2); t != NULL;
		    t = strtok_r(NULL, " \t\r", &save2))
			if (nt++ < 3)
				tok[nt - 1] = t;
		if (nt == 0)
			continue;
		{
			struct ccc_label_rule r = { NULL, NULL, false, false,
			    { 0 } }, *nr;
			if (strcmp(tok[0], "allow") == 0 && nt == 3) {
				size_t l = strlen(tok[2]);
				r.prefix = l > 0 && tok[2][l - 1] == '*';
				if (r.prefix)
					tok[2][l - 1] = '\0';
				r.context = strdup(tok[2]);
				if (r.context != NULL && (rc = label_rule(&r,
				    lineno, err)) != 0) {
					free(r.context);
					goto out;
				}
			} else if (strcmp(tok[0], "allow-unlabelled") == 0 &&
			    nt == 2)
				;
			else {
				rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL,
				    "line %ld: expected \"allow APP "
				    "CONTEXT\" or \"allow-unlabelled APP\"",
				    lineno);
				goto out;
			}
			r.app = strdup(tok[1]);
			if ((nr = reallocarray(p->rules, p->n + 1,
			    sizeof(*nr))) != NULL)
				p->rules = nr;
			if (r.app == NULL || (nt == 3 && r.context == NULL) ||
			    nr == NULL) {
				free(r.app);
				free(r.context);
				rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
				    "policy");
				goto out;
			}
			p->rules = nr;
			p->rules[p->n++] = r;
		}
	}
out:
	if (rc != 0) {
		ccc_err_what(err, path);
		ccc_label_policy_free(p);
	}
	ccc_buf_free(&b);
	return rc;
}
