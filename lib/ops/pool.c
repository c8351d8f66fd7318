/*
 * ccc-quorum-sign pool, assign and reassign: the enclave pool the oracles
 * certify, the enclave a request goes to, and the record that takes a
 * request away from a failed enclave (lib/pool.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "attest.h"
#include "io.h"
#include "ops.h"
#include "pool.h"
#include "quorum.h"
#include "schemas.h"

/* key=value of an entry; *v the value, or NULL when key does not match. */
static const char *
kv(const char *item, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(item, key, n) == 0 && item[n] == '=')
		return item + n + 1;
	return NULL;
}

static int
text_field(char *dst, size_t size, const char *v, const char *what,
    const char *entry, struct ccc_err *err)
{
	const char *c;

	if (*v == '\0' || strlen(v) >= size)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: %s= takes "
		    "1 to %zu characters", entry, what, size - 1);
	for (c = v; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: %s= "
			    "holds a control character", entry, what);
	snprintf(dst, size, "%s", v);
	return 0;
}

/*
 * One entry: FILE (the enclave's certificate chain, what ccc-keygen
 * enclave-cert -p writes) or id:HEX, then ",key=value" for kind, operator,
 * name, labels and status.
 */
static int
parse_entry(struct ccc_pool_enclave *e, const char *arg, struct ccc_err *err)
{
	char *copy, *item, *save = NULL, *base, *dot;
	const char *v;
	size_t n;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	e->kind = CCC_ATTEST_KIND_SOFTWARE;
	if ((copy = strdup(arg)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "pool");
	item = strtok_r(copy, ",", &save);
	if (item == NULL) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "an empty enclave "
		    "entry");
		goto out;
	}
	if (strncmp(item, "id:", 3) == 0) {
		if (sodium_hex2bin(e->id, 32, item + 3, strlen(item + 3), NULL,
		    &n, NULL) != 0 || n != 32 || strlen(item + 3) != 64) {
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: id: "
			    "takes 32 hex bytes", arg);
			goto out;
		}
	} else {
		if ((rc = ccc_attest_chain_id(item, e->id, err)) != 0)
			goto out;
		/* The default name: the file's, without its extension. */
		base = strrchr(item, '/');
		base = base != NULL ? base + 1 : item;
		if ((dot = strrchr(base, '.')) != NULL && dot != base)
			*dot = '\0';
		snprintf(e->name, sizeof(e->name), "%.*s",
		    (int)sizeof(e->name) - 1, base);
	}
	while ((item = strtok_r(NULL, ",", &save)) != NULL) {
		if ((v = kv(item, "kind")) != NULL) {
			if (strcmp(v, "software") == 0)
				e->kind = CCC_ATTEST_KIND_SOFTWARE;
			else if (strcmp(v, "aws-nitro") == 0)
				e->kind = CCC_ATTEST_KIND_AWS_NITRO;
			else
				rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL,
				    "%s: kind= is software or aws-nitro", arg);
		} else if ((v = kv(item, "status")) != NULL) {
			if (strcmp(v, "active") == 0 ||
			    strcmp(v, "revoked") == 0)
				e->revoked = strcmp(v, "revoked") == 0;
			else
				rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL,
				    "%s: status= is active or revoked", arg);
		} else if ((v = kv(item, "operator")) != NULL)
			rc = text_field(e->op, sizeof(e->op), v, "operator",
			    arg, err);
		else if ((v = kv(item, "name")) != NULL)
			rc = text_field(e->name, sizeof(e->name), v, "name",
			    arg, err);
		else if ((v = kv(item, "labels")) != NULL)
			rc = text_field(e->labels, sizeof(e->labels), v,
			    "labels", arg, err);
		else
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: "
			    "unknown \"%s\" (kind, operator, name, labels or "
			    "status)", arg, item);
		if (rc != 0)
			goto out;
	}
	if (e->op[0] == '\0')
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: needs "
		    "operator=NAME", arg);
out:
	free(copy);
	return rc;
}

static void
text_val(struct ccc_val *v, const char *s)
{
	memset(v, 0, sizeof(*v));
	if (*s != '\0')
		ccc_val_bytes(v, s, strlen(s));
}

int
ccc_quorum_pool(const struct ccc_pool_opts *o, struct ccc_err *err)
{
	struct ccc_pool_enclave *e;
	struct ccc_val v[POOL_NFIELDS], ev[PE_NFIELDS];
	struct ccc_buf eb, b;
	int i, j, rc = 0;

	if (o->nentries < 1 || o->nentries > CCC_POOL_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "a pool has 1 "
		    "to %d enclaves", CCC_POOL_MAX);
	if ((e = calloc((size_t)o->nentries, sizeof(*e))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "pool");
	ccc_buf_init(&eb, 0);
	ccc_buf_init(&b, 0);
	for (i = 0; i < o->nentries; i++) {
		if ((rc = parse_entry(&e[i], o->entries[i], err)) != 0)
			goto out;
		for (j = 0; j < i; j++)
			if (memcmp(e[j].id, e[i].id, 32) == 0) {
				rc = ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL,
				    "%s: the same enclave as %s",
				    o->entries[i], o->entries[j]);
				goto out;
			}
		ccc_val_bytes(&ev[PE_ID], e[i].id, 32);
		ccc_val_uint(&ev[PE_KIND], e[i].kind);
		text_val(&ev[PE_OPERATOR], e[i].op);
		text_val(&ev[PE_NAME], e[i].name);
		text_val(&ev[PE_LABELS], e[i].labels);
		ccc_val_uint(&ev[PE_STATUS], e[i].revoked ? CCC_POOL_REVOKED :
		    CCC_POOL_ACTIVE);
		if (ccc_blob_encode(&eb, &ccc_schema_pool_enclave, ev) != 0)
			goto nomem;
	}
	ccc_val_bytes(&v[POOL_NAME], o->name, strlen(o->name));
	ccc_val_uint(&v[POOL_SERIAL], o->serial);
	ccc_val_array(&v[POOL_ENCLAVES], eb.p, eb.len, (size_t)o->nentries);
	if (ccc_blob_encode(&b, &ccc_schema_pool, v) != 0)
		goto nomem;
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "pool");
out:
	free(e);
	ccc_buf_free(&eb);
	ccc_buf_free(&b);
	return rc;
}

/*
 * One certified reassignment, p[0..n) named name: the enclave it excludes
 * from the assignment asg, added to excl.
 */
static int
excluded_add(const uint8_t *p, size_t n, const char *name,
    const struct ccc_roster *r, uint64_t now, const uint8_t asg[32],
    uint8_t (*excl)[32], size_t *nexcl, struct ccc_err *err)
{
	struct ccc_reassign ra;
	int rc;

	if ((rc = ccc_reassign_certified(&ra, p, n, r, now, err)) != 0) {
		ccc_err_what(err, name);
		return rc;
	}
	if (memcmp(ra.assignment, asg, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "a "
		    "reassignment of another request's assignment");
		ccc_err_what(err, name);
		return rc;
	}
	if (*nexcl < CCC_POOL_MAX)
		memcpy(excl[(*nexcl)++], ra.enclave_id, 32);
	return 0;
}

int
ccc_op_assign(const struct ccc_op_assignment *a, struct ccc_buf *text,
    uint8_t rid[32], struct ccc_err *err)
{
	const struct ccc_pool_enclave *e[CCC_REPLICAS_MAX];
	uint8_t (*excl)[32] = NULL;
	const uint8_t *asg;
	char rhex[65], ehex[65], name[80];
	size_t nexcl = 0, n, i;
	int k, rc = 0;

	if ((excl = calloc(CCC_POOL_MAX, sizeof(*excl))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "assignment");
	/* A fresh request id, its own assignment unless one is given. */
	randombytes_buf(rid, 32);
	asg = a->assignment != NULL ? a->assignment : rid;
	for (k = 0; k < a->nreassigned && rc == 0; k++)
		rc = excluded_add(a->reassigned[k].p, a->reassigned[k].n,
		    a->reassigned[k].name, a->roster, a->now, asg, excl,
		    &nexcl, err);
	if (rc != 0)
		goto out;
	if ((n = ccc_pool_assign_k(a->pool, asg,
	    (const uint8_t (*)[32])excl, nexcl, a->replicas, e)) <
	    a->replicas) {
		rc = n == 0 ? ccc_err_set(err, CCC_E_POLICY, -1, NULL, "no "
		    "active enclave of pool \"%s\" is left", a->pool->name) :
		    ccc_err_set(err, CCC_E_POLICY, -1, NULL, "pool \"%s\" has "
		    "%zu active enclave%s left, %u replicas asked",
		    a->pool->name, n, n == 1 ? "" : "s", a->replicas);
		ccc_err_what(err, a->pool_name);
		goto out;
	}
	sodium_bin2hex(rhex, sizeof(rhex), rid, 32);
	for (i = 0; i < n; i++) {
		sodium_bin2hex(ehex, sizeof(ehex), e[i]->id, 32);
		if (ccc_buf_printf(text, "%s %s %s\n", rhex, ehex,
		    ccc_pool_label(e[i], name, sizeof(name))) != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "assignment");
			goto out;
		}
	}
out:
	free(excl);
	return rc;
}

int
ccc_quorum_assign(const struct ccc_assign_opts *o, struct ccc_err *err)
{
	struct ccc_op_assignment a;
	struct ccc_roster r;
	struct ccc_pool pool;
	struct ccc_op_bytes *ra = NULL;
	struct ccc_buf *rb = NULL, text;
	uint8_t rid[32];
	int k, rc;

	memset(&r, 0, sizeof(r));
	memset(&pool, 0, sizeof(pool));
	ccc_buf_init(&text, 0);
	if ((rc = ccc_roster_read(&r, o->roster, err)) != 0 ||
	    (rc = ccc_pool_read(&pool, &r, o->pool, o->now, err)) != 0)
		goto out;
	if (o->nreassigned > 0 &&
	    ((ra = calloc((size_t)o->nreassigned, sizeof(*ra))) == NULL ||
	    (rb = calloc((size_t)o->nreassigned, sizeof(*rb))) == NULL)) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "assignment");
		goto out;
	}
	for (k = 0; k < o->nreassigned; k++) {
		ccc_buf_init(&rb[k], 0);
		if ((rc = ccc_read_named(&rb[k], o->reassigned[k],
		    CCC_REASSIGN_MAX, false, err)) != 0)
			goto out;
		ra[k].p = rb[k].p;
		ra[k].n = rb[k].len;
		ra[k].name = o->reassigned[k];
	}
	memset(&a, 0, sizeof(a));
	a.roster = &r;
	a.pool = &pool;
	a.pool_name = o->pool;
	a.assignment = o->assignment;
	a.reassigned = ra;
	a.nreassigned = o->nreassigned;
	a.replicas = o->replicas;
	a.now = o->now;
	if ((rc = ccc_op_assign(&a, &text, rid, err)) != 0)
		goto out;
	if (fwrite(text.p, 1, text.len, stdout) != text.len ||
	    fflush(stdout) != 0)
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout");
out:
	for (k = 0; rb != NULL && k < o->nreassigned; k++)
		ccc_buf_free(&rb[k]);
	free(rb);
	free(ra);
	ccc_buf_free(&text);
	ccc_roster_free(&r);
	ccc_pool_free(&pool);
	return rc;
}

int
ccc_quorum_reassign(const struct ccc_reassign_opts *o, struct ccc_err *err)
{
	struct ccc_request rq;
	struct ccc_val v[RA_NFIELDS];
	struct ccc_buf rb, b;
	const char *c;
	size_t n = strlen(o->reason);
	int rc;

	if (n == 0 || n > CCC_REASON_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-w: a reason of "
		    "1 to %d characters", CCC_REASON_MAX);
	for (c = o->reason; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-w: the "
			    "reason holds a control character");
	ccc_buf_init(&rb, 0);
	ccc_buf_init(&b, 0);
	if ((rc = ccc_request_read(&rb, &rq, o->request, err)) != 0)
		goto out;
	ccc_val_bytes(&v[RA_ASSIGNMENT], rq.assignment, 32);
	ccc_val_bytes(&v[RA_REQUEST], rq.id, 32);
	ccc_val_bytes(&v[RA_ENCLAVE], rq.enclave_id, 32);
	ccc_val_bytes(&v[RA_REASON], o->reason, n);
	ccc_val_uint(&v[RA_TIME], o->now);
	if ((rc = ccc_blob_encode(&b, &ccc_schema_reassign, v)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "reassignment");
		goto out;
	}
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	ccc_buf_free(&rb);
	ccc_buf_free(&b);
	return rc;
}
