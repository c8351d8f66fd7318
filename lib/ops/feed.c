/*
 * ccc-quorum-sign subscribers and publish: the blobs a data feed's
 * provider signs (lib/feed.h), its subscriber roster and a record of
 * each item it posts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "feed.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "schemas.h"

static int
subscriber_cmp(const void *a, const void *b)
{
	return memcmp(((const struct ccc_subscriber *)a)->pk,
	    ((const struct ccc_subscriber *)b)->pk, 32);
}

/* One NAME=PUB argument into s. */
static int
subscriber_arg(struct ccc_subscriber *s, const char *arg, struct ccc_buf *b,
    struct ccc_err *err)
{
	const char *eq = strchr(arg, '=');
	struct ccc_err nerr;
	int rc;

	if (eq == NULL || eq[1] == '\0')
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "\"%s\": "
		    "expected NAME=PUB", arg);
	ccc_err_clear(&nerr);
	if (ccc_name_check("a subscriber's name", arg, (size_t)(eq - arg),
	    CCC_ID_NAME_MAX, -1, &nerr) != 0)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s",
		    nerr.detail);
	memcpy(s->name, arg, (size_t)(eq - arg));
	ccc_buf_reset(b);
	if ((rc = ccc_read_named(b, eq + 1, 4096, false, err)) != 0)
		return rc;
	if ((rc = ccc_recipient_pub_load(s->pk, b->p, b->len, err)) != 0)
		ccc_err_what(err, eq + 1);
	return rc;
}

int
ccc_quorum_subscribers(const struct ccc_subscribers_opts *o,
    struct ccc_err *err)
{
	struct ccc_subscriber *s;
	struct ccc_val v[SUBS_NFIELDS], sv[SUB_NFIELDS];
	struct ccc_buf b, sb;
	int i, rc = 0;

	if (o->nsubscribers > CCC_FEED_SUBSCRIBERS_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "at most %d "
		    "subscribers", CCC_FEED_SUBSCRIBERS_MAX);
	if ((s = calloc((size_t)o->nsubscribers, sizeof(*s))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "subscribers");
	ccc_buf_init(&b, 0);
	ccc_buf_init(&sb, 0);
	for (i = 0; i < o->nsubscribers; i++)
		if ((rc = subscriber_arg(&s[i], o->subscribers[i], &b,
		    err)) != 0)
			goto out;
	qsort(s, (size_t)o->nsubscribers, sizeof(*s), subscriber_cmp);
	for (i = 1; i < o->nsubscribers; i++)
		if (memcmp(s[i - 1].pk, s[i].pk, 32) == 0) {
			rc = ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL, "the "
			    "key of %s is given again for %s", s[i - 1].name,
			    s[i].name);
			goto out;
		}
	for (i = 0; i < o->nsubscribers; i++) {
		ccc_val_bytes(&sv[SUB_PK], s[i].pk, 32);
		ccc_val_bytes(&sv[SUB_NAME], s[i].name, strlen(s[i].name));
		if ((rc = ccc_blob_encode(&sb, &ccc_schema_subscriber,
		    sv)) != 0)
			goto nomem;
	}
	ccc_val_bytes(&v[SUBS_FEED], o->feed, strlen(o->feed));
	ccc_val_uint(&v[SUBS_ISSUED], o->now);
	ccc_val_array(&v[SUBS_LIST], sb.p, sb.len, (size_t)o->nsubscribers);
	ccc_buf_reset(&b);
	if ((rc = ccc_blob_encode(&b, &ccc_schema_subscribers, v)) != 0)
		goto nomem;
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "subscribers");
out:
	free(s);
	ccc_buf_free(&b);
	ccc_buf_free(&sb);
	return rc;
}

int
ccc_quorum_publish(const struct ccc_publish_opts *o, struct ccc_err *err)
{
	struct ccc_val v[PUB_NFIELDS], cv[CT_NFIELDS];
	struct ccc_buf b, out;
	uint8_t item[32];
	size_t flen = strlen(o->feed);
	int rc;

	ccc_buf_init(&b, 0);
	ccc_buf_init(&out, 0);
	if ((rc = ccc_read_named(&b, o->ct, CCC_CT_SYM_MAX + 4096, false,
	    err)) != 0)
		goto out;
	if ((rc = ccc_blob_decode(&ccc_schema_ct, b.p, b.len, cv, 0,
	    err)) != 0)
		goto named;
	/* An item of the feed is labelled for it: app:FEED or app:FEED/... */
	if (!cv[CT_CONTEXT].present || cv[CT_CONTEXT].n < 4 + flen ||
	    memcmp(cv[CT_CONTEXT].p, "app:", 4) != 0 ||
	    memcmp(cv[CT_CONTEXT].p + 4, o->feed, flen) != 0 ||
	    (cv[CT_CONTEXT].n > 4 + flen && cv[CT_CONTEXT].p[4 + flen] !=
	    '/')) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "the ciphertext "
		    "is not labelled for feed \"%s\" (app:%s)", o->feed,
		    o->feed);
		goto named;
	}
	crypto_hash_sha256(item, b.p, b.len);
	ccc_val_bytes(&v[PUB_FEED], o->feed, flen);
	ccc_val_bytes(&v[PUB_ITEM], item, 32);
	ccc_val_uint(&v[PUB_TIME], o->now);
	if ((rc = ccc_blob_encode(&out, &ccc_schema_published, v)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "published");
		goto out;
	}
	rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
	goto out;
named:
	ccc_err_what(err, o->ct);
out:
	ccc_buf_free(&b);
	ccc_buf_free(&out);
	return rc;
}
