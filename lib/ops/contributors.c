/*
 * Level 4's contributors: ccc-quorum-sign contributors (a contributor
 * list from NAME=PUB arguments, for the oracles to certify), and the
 * certified list a decryption node serves an aggregate request with
 * (ccc-aggregate -s -C).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "aggrequest.h"
#include "contributors.h"
#include "io.h"
#include "ops.h"

/* One NAME=PUB argument (an identity public key) into c. */
static int
contributor_arg(struct ccc_named_key *c, const char *arg,
    struct ccc_identity *k, struct ccc_buf *b, struct ccc_err *err)
{
	const char *file;
	int rc;

	if ((rc = ccc_op_name_arg(arg, "a contributor's name", c->name, &file,
	    err)) != 0)
		return rc;
	ccc_buf_reset(b);
	if ((rc = ccc_read_named(b, file, 4096, false, err)) != 0)
		return rc;
	if ((rc = ccc_identity_load(k, b->p, b->len, err)) == 0 &&
	    k->has_secret)
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected an "
		    "identity public key (ccc/identity-pub/v1), not a secret "
		    "key");
	if (rc != 0)
		ccc_err_what(err, file);
	memcpy(c->pk, k->pk, 32);
	return rc;
}

int
ccc_quorum_contributors(const struct ccc_contributors_opts *o,
    struct ccc_err *err)
{
	struct ccc_contributors l;
	struct ccc_identity *k = NULL;
	struct ccc_buf b;
	int i, rc = 0;

	memset(&l, 0, sizeof(l));
	ccc_buf_init(&b, 0);
	if (o->ncontributors > CCC_CONTRIBUTORS_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "at most %d "
		    "contributors", CCC_CONTRIBUTORS_MAX);
	if ((l.c = calloc((size_t)o->ncontributors, sizeof(*l.c))) == NULL ||
	    (k = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "contributors");
		goto out;
	}
	for (i = 0; i < o->ncontributors; i++)
		if ((rc = contributor_arg(&l.c[i], o->contributors[i], k, &b,
		    err)) != 0)
			goto out;
	l.n = (size_t)o->ncontributors;
	snprintf(l.app, sizeof(l.app), "%s", o->app);
	l.not_before = o->not_before;
	l.not_after = o->not_after;
	ccc_buf_reset(&b);
	if ((rc = ccc_contributors_encode(&b, &l, err)) == 0)
		rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
		    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	ccc_identity_free(k);
	ccc_contributors_free(&l);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_aggregate_contributors_load(const struct ccc_aggregate_opts *o,
    const struct ccc_agg_request *ar, struct ccc_contributors *l,
    struct ccc_err *err)
{
	struct ccc_roster roster;
	int rc;

	memset(&roster, 0, sizeof(roster));
	if ((rc = ccc_roster_read(&roster, o->roster, err)) != 0 ||
	    (rc = ccc_contributors_read(l, &roster, o->contributors, o->now,
	    err)) != 0)
		goto out;
	if (strlen(l->app) != ar->rq.app_len ||
	    memcmp(l->app, ar->rq.app, ar->rq.app_len) != 0)
		rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "the contributor "
		    "list is for app \"%s\", the request for \"%.*s\"", l->app,
		    (int)ar->rq.app_len, ar->rq.app);
	else
		rc = ccc_contributors_valid(l, o->now, err);
	if (rc != 0)
		ccc_err_what(err, ccc_io_name(o->contributors, 0));
out:
	ccc_roster_free(&roster);
	return rc;
}
