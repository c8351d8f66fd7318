/* Contributor lists: who may contribute to a pool (contributors.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "contributors.h"
#include "io.h"
#include "schemas.h"

void
ccc_contributors_free(struct ccc_contributors *l)
{
	free(l->c);
	memset(l, 0, sizeof(*l));
}

int
ccc_contributors_load(struct ccc_contributors *l, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[CTRS_NFIELDS];
	int rc;

	memset(l, 0, sizeof(*l));
	if ((rc = ccc_blob_decode(&ccc_schema_contributors, p, len, v, 0,
	    err)) != 0 ||
	    (rc = ccc_app_id_check((const char *)v[CTRS_APP].p,
	    v[CTRS_APP].n, v[CTRS_APP].off, err)) != 0)
		return rc;
	memcpy(l->app, v[CTRS_APP].p, v[CTRS_APP].n);
	l->not_before = v[CTRS_NOT_BEFORE].u;
	l->not_after = v[CTRS_NOT_AFTER].u;
	if (l->not_after <= l->not_before)
		return ccc_err_set(err, CCC_E_FIELD, v[CTRS_NOT_AFTER].off,
		    "not_after", "not after not_before");
	if ((rc = ccc_keylist_decode(&l->c, &v[CTRS_LIST],
	    &ccc_schema_contributor, "contributor", err)) != 0)
		return rc;
	l->n = v[CTRS_LIST].count;
	return 0;
}

int
ccc_contributors_encode(struct ccc_buf *out, struct ccc_contributors *l,
    struct ccc_err *err)
{
	struct ccc_val v[CTRS_NFIELDS];
	struct ccc_buf mb;
	int rc;

	ccc_buf_init(&mb, 0);
	if ((rc = ccc_keylist_encode(&mb, l->c, l->n, &ccc_schema_contributor,
	    err)) == 0) {
		ccc_val_bytes(&v[CTRS_APP], l->app, strlen(l->app));
		ccc_val_uint(&v[CTRS_NOT_BEFORE], l->not_before);
		ccc_val_uint(&v[CTRS_NOT_AFTER], l->not_after);
		ccc_val_array(&v[CTRS_LIST], mb.p, mb.len, l->n);
		if (ccc_blob_encode(out, &ccc_schema_contributors, v) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "contributors");
	}
	ccc_buf_free(&mb);
	return rc;
}

const struct ccc_named_key *
ccc_contributors_find(const struct ccc_contributors *l, const uint8_t pk[32])
{
	return ccc_keylist_find(l->c, l->n, pk);
}

int
ccc_contributors_valid(const struct ccc_contributors *l, uint64_t now,
    struct ccc_err *err)
{
	char t1[CCC_UTC_LEN], t2[CCC_UTC_LEN], t3[CCC_UTC_LEN];

	if ((l->not_before > now &&
	    l->not_before - now > CCC_CONTRIBUTORS_SKEW) ||
	    now >= l->not_after)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, NULL, "the "
		    "contributor list of app \"%s\" is valid from %s to %s, "
		    "not at %s", l->app, ccc_utc(t1, l->not_before),
		    ccc_utc(t2, l->not_after), ccc_utc(t3, now));
	return 0;
}

int
ccc_contributors_read(struct ccc_contributors *l, const struct ccc_roster *r,
    const char *path, uint64_t now, struct ccc_err *err)
{
	const struct ccc_schema *type;
	const uint8_t *blob;
	struct ccc_buf b;
	size_t blen;
	int rc;

	memset(l, 0, sizeof(*l));
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_cert_verify(r, b.p, b.len, now, &blob, &blen, &type,
	    err)) == 0 && type != &ccc_schema_contributors)
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "the certificate "
		    "carries %s %s (%s), not a contributor list (%s)",
		    ccc_article(type->title), type->title, type->type,
		    ccc_schema_contributors.type);
	if (rc == 0)
		rc = ccc_contributors_load(l, blob, blen, err);
	if (rc != 0)
		ccc_err_what(err, path);
out:
	ccc_buf_free(&b);
	return rc;
}
