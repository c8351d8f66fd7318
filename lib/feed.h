/*
 * Proprietary data feeds (whitepaper 4.2): the provider's subscriber
 * roster and its published records, both blobs the provider signs with
 * its identity and certifies under a one-member roster of its own, as
 * the oracles certify theirs (lib/quorum.h).
 *
 * ccc/subscribers/v1 names the application (the feed) and, for each
 * subscriber, a name and the X25519 recipient key its copies are sealed
 * to, sorted by key.  An oracle given it signs a request of that
 * application only when the request's output is sealed to one of those
 * keys.  ccc/published/v1 records when the provider posted one item of
 * the feed: the item's SHA-256 (of the ccc/ct/v1 blob, as the nodes log
 * it), the feed and the time.
 */
#ifndef CCC_FEED_H
#define CCC_FEED_H

#include "blob.h"
#include "identity.h"
#include "keylist.h"
#include "quorum.h"

#define CCC_FEED_SUBSCRIBERS_MAX 4096

struct ccc_subscribers {
	char feed[CCC_APP_ID_MAX + 1];
	uint64_t issued;
	size_t n;
	struct ccc_named_key *s;	/* ascending pk (lib/keylist.h) */
};

struct ccc_published {
	char feed[CCC_APP_ID_MAX + 1];
	uint8_t item[32];
	uint64_t time;
};

int ccc_feed_subscribers_load(struct ccc_subscribers *s, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
void ccc_feed_subscribers_free(struct ccc_subscribers *s);
const struct ccc_named_key *ccc_feed_subscriber_find(
    const struct ccc_subscribers *s, const uint8_t pk[32]);
/* The subscriber whose key has this SHA-256 (an access log's output_to). */
const struct ccc_named_key *ccc_feed_subscriber_by_digest(
    const struct ccc_subscribers *s, const uint8_t d[32]);
int ccc_feed_published_load(struct ccc_published *pb, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
/*
 * The blob a certificate p[0..len) carries, verified under the
 * provider's roster r at now: *type its schema, which must be one of
 * want (NULL-terminated) else CCC_E_TYPE.
 */
int ccc_feed_cert_open(const struct ccc_roster *r, const uint8_t *p,
    size_t len, uint64_t now, const struct ccc_schema *const *want,
    const uint8_t **blob, size_t *blob_len, const struct ccc_schema **type,
    struct ccc_err *err) CCC_WUR;
/* Read the certified subscriber roster in path (errors name it). */
int ccc_feed_subscribers_read(struct ccc_subscribers *s,
    const struct ccc_roster *r, const char *path, uint64_t now,
    struct ccc_err *err) CCC_WUR;
/*
 * What an oracle checks before it signs a request of a feed: the roster
 * is the request's application's, the output is sealed, to a subscriber
 * (CCC_E_POLICY otherwise).
 */
int ccc_feed_check(const struct ccc_subscribers *s,
    const struct ccc_request *rq, struct ccc_err *err) CCC_WUR;
/*
 * The same from files: the provider's roster and the certified subscriber
 * roster, verified under it at now.
 */
int ccc_feed_check_files(const char *provider, const char *subscribers,
    const struct ccc_request *rq, uint64_t now, struct ccc_err *err) CCC_WUR;

#endif
