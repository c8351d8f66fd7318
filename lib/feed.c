/*
 * Proprietary data feeds: the provider's subscriber roster and published
 * records (lib/feed.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "feed.h"
#include "io.h"
#include "schemas.h"

void
ccc_feed_subscribers_free(struct ccc_subscribers *s)
{
	free(s->s);
	memset(s, 0, sizeof(*s));
}

int
ccc_feed_subscribers_load(struct ccc_subscribers *s, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[SUBS_NFIELDS];
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = ccc_blob_decode(&ccc_schema_subscribers, p, len, v, 0,
	    err)) != 0 ||
	    (rc = ccc_app_id_check((const char *)v[SUBS_FEED].p,
	    v[SUBS_FEED].n, v[SUBS_FEED].off, err)) != 0)
		return rc;
	memcpy(s->feed, v[SUBS_FEED].p, v[SUBS_FEED].n);
	s->issued = v[SUBS_ISSUED].u;
	if ((rc = ccc_keylist_decode(&s->s, &v[SUBS_LIST],
	    &ccc_schema_subscriber, "subscriber", err)) != 0)
		return rc;
	s->n = v[SUBS_LIST].count;
	return 0;
}

const struct ccc_named_key *
ccc_feed_subscriber_find(const struct ccc_subscribers *s, const uint8_t pk[32])
{
	return ccc_keylist_find(s->s, s->n, pk);
}

const struct ccc_named_key *
ccc_feed_subscriber_by_digest(const struct ccc_subscribers *s,
    const uint8_t d[32])
{
	uint8_t h[32];
	size_t i;

	for (i = 0; i < s->n; i++) {
		crypto_hash_sha256(h, s->s[i].pk, 32);
		if (memcmp(h, d, 32) == 0)
			return &s->s[i];
	}
	return NULL;
}

int
ccc_feed_published_load(struct ccc_published *pb, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[PUB_NFIELDS];
	int rc;

	memset(pb, 0, sizeof(*pb));
	if ((rc = ccc_blob_decode(&ccc_schema_published, p, len, v, 0,
	    err)) != 0 ||
	    (rc = ccc_app_id_check((const char *)v[PUB_FEED].p,
	    v[PUB_FEED].n, v[PUB_FEED].off, err)) != 0)
		return rc;
	memcpy(pb->feed, v[PUB_FEED].p, v[PUB_FEED].n);
	memcpy(pb->item, v[PUB_ITEM].p, 32);
	pb->time = v[PUB_TIME].u;
	return 0;
}

int
ccc_feed_cert_open(const struct ccc_roster *r, const uint8_t *p, size_t len,
    uint64_t now, const struct ccc_schema *const *want, const uint8_t **blob,
    size_t *blob_len, const struct ccc_schema **type, struct ccc_err *err)
{
	size_t i;
	int rc;

	if ((rc = ccc_cert_verify(r, p, len, now, blob, blob_len, type,
	    err)) != 0)
		return rc;
	for (i = 0; want[i] != NULL; i++)
		if (*type == want[i])
			return 0;
	return ccc_err_set(err, CCC_E_TYPE, -1, NULL, "the certificate "
	    "carries %s %s, not %s %s", ccc_article((*type)->title),
	    (*type)->title, ccc_article(want[0]->title), want[0]->title);
}

int
ccc_feed_subscribers_read(struct ccc_subscribers *s, const struct ccc_roster *r,
    const char *path, uint64_t now, struct ccc_err *err)
{
	static const struct ccc_schema *const want[] = {
	    &ccc_schema_subscribers, NULL };
	const struct ccc_schema *type;
	const uint8_t *blob;
	struct ccc_buf b;
	size_t blen;
	int rc;

	memset(s, 0, sizeof(*s));
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, CCC_BLOB_MAX, false, err)) == 0 &&
	    ((rc = ccc_feed_cert_open(r, b.p, b.len, now, want, &blob, &blen,
	    &type, err)) != 0 ||
	    (rc = ccc_feed_subscribers_load(s, blob, blen, err)) != 0))
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_feed_check(const struct ccc_subscribers *s,
    const struct ccc_request *rq, struct ccc_err *err)
{
	char app[4 * CCC_APP_ID_MAX + 1];

	ccc_vis(app, sizeof(app), rq->app, rq->app_len, CCC_VIS_SLASH);
	if (strlen(s->feed) != rq->app_len ||
	    memcmp(s->feed, rq->app, rq->app_len) != 0)
		return ccc_err_set(err, CCC_E_POLICY, -1, NULL, "the "
		    "subscriber roster is for feed \"%s\", the request for "
		    "\"%s\"", s->feed, app);
	if (rq->output != CCC_OUTPUT_SEALED || !rq->has_recipient)
		return ccc_err_set(err, CCC_E_POLICY, -1, NULL, "its output is "
		    "not sealed to a subscriber of feed \"%s\"", s->feed);
	if (ccc_feed_subscriber_find(s, rq->recipient) == NULL)
		return ccc_err_set(err, CCC_E_POLICY, -1, NULL, "its output is "
		    "sealed to a key that is not a subscriber of feed \"%s\"",
		    s->feed);
	return 0;
}

int
ccc_feed_check_files(const char *provider, const char *subscribers,
    const struct ccc_request *rq, uint64_t now, struct ccc_err *err)
{
	struct ccc_subscribers subs;
	struct ccc_roster pr;
	int rc;

	memset(&subs, 0, sizeof(subs));
	memset(&pr, 0, sizeof(pr));
	if ((rc = ccc_roster_read(&pr, provider, err)) == 0 &&
	    (rc = ccc_feed_subscribers_read(&subs, &pr, subscribers, now,
	    err)) == 0)
		rc = ccc_feed_check(&subs, rq, err);
	ccc_feed_subscribers_free(&subs);
	ccc_roster_free(&pr);
	return rc;
}
