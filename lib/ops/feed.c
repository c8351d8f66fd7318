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

/* One NAME=PUB argument (a recipient public key) into s. */
static int
subscriber_arg(struct ccc_named_key *s, const char *arg, struct ccc_buf *b,
    struct ccc_err *err)
{
	const char *file;
	int rc;

	if ((rc = ccc_op_name_arg(arg, "a subscriber's name", s->name, &file,
	    err)) != 0)
		return rc;
	ccc_buf_reset(b);
	if ((rc = ccc_read_named(b, file, 4096, false, err)) != 0)
		return rc;
	if ((rc = ccc_recipient_pub_load(s->pk, b->p, b->len, err)) != 0)
		ccc_err_what(err, file);
	return rc;
}

int
ccc_quorum_subscribers(const struct ccc_subscribers_opts *o,
    struct ccc_err *err)
{
	struct ccc_named_key *s;
	struct ccc_val v[SUBS_NFIELDS];
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
	if ((rc = ccc_keylist_encode(&sb, s, (size_t)o->nsubscribers,
	    &ccc_schema_subscriber, err)) != 0)
		goto out;
	ccc_val_bytes(&v[SUBS_FEED], o->feed, strlen(o->feed));
	ccc_val_uint(&v[SUBS_ISSUED], o->now);
	ccc_val_array(&v[SUBS_LIST], sb.p, sb.len, (size_t)o->nsubscribers);
	ccc_buf_reset(&b);
	if ((rc = ccc_blob_encode(&b, &ccc_schema_subscribers, v)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "subscribers");
		goto out;
	}
	rc = ccc_write_file(o->out, b.p, b.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err);
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
