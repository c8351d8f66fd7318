/*
 * Requests at security level 4 (ccc(7) AGGREGATES): a ccc/agg-request/v1
 * names an aggregate of additive inputs by its SHA-256 and the number of
 * its inputs, for an application, under one key and epoch, valid from
 * created to expires.  The oracles certify it (ccc-quorum-sign sign) as
 * they certify any request; a decryption node (ccc-aggregate -s) releases
 * its share of the aggregate only for a certified one, once, logged in
 * its access log.
 */
#ifndef CCC_AGGREQUEST_H
#define CCC_AGGREQUEST_H

#include <stdint.h>

#include "aggregate.h"
#include "buf.h"
#include "policy.h"
#include "quorum.h"

/*
 * A decoded aggregate request: rq holds what it shares with a computation
 * request (id, app, key_id, epoch, created, expires; security 4), so
 * ccc_request_accept judges its times and key.
 */
struct ccc_agg_request {
	struct ccc_request rq;
	uint8_t aggregate[32];	/* SHA-256 of the aggregate */
	uint64_t inputs;	/* its number of inputs */
};

enum { CCC_SECURITY_AGGREGATE = 4 };

int ccc_agg_request_decode(struct ccc_agg_request *ar, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;

/* Append the request for aggregate a, app, id, created, expires to out. */
int ccc_agg_request_make(struct ccc_buf *out, const struct ccc_aggregate *a,
    const char *app, const uint8_t id[32], uint64_t created,
    uint64_t expires, struct ccc_err *err) CCC_WUR;

/*
 * What an oracle and a node check: fresh at now, for pub's key and epoch
 * (ccc_request_accept); with a non-NULL, that a is the aggregate it names
 * (digest and number of inputs) and that pol lets its app have a's label.
 */
int ccc_agg_request_check(const struct ccc_agg_request *ar,
    const uint8_t key_id[32], uint64_t epoch, const struct ccc_aggregate *a,
    const struct ccc_label_policy *pol, uint64_t now, struct ccc_err *err)
    CCC_WUR;

/*
 * Read a certificate from path (into b; ar views it), check it under r at
 * now and that it carries an aggregate request.  Errors name path.
 */
int ccc_certified_agg_request_read(struct ccc_buf *b,
    struct ccc_agg_request *ar, const struct ccc_roster *r, const char *path,
    uint64_t now, struct ccc_err *err) CCC_WUR;

#endif
