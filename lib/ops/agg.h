/*
 * A decryption node's level-4 release, private to lib/ops/aggregate.c
 * (ccc-aggregate -s), lib/ops/aggregate_release.c and
 * lib/ops/contributors.c.
 */
#ifndef CCC_OPS_AGG_H
#define CCC_OPS_AGG_H

#include "aggregate.h"
#include "aggrequest.h"
#include "contributors.h"
#include "ops.h"

/*
 * A node's level-4 release (lib/ops/aggregate_release.c).  First, before
 * the inputs are verified, the certified request o->request (read into
 * cb, decoded into ar): certified by o->roster's quorum, fresh at o->now,
 * for pub, for the aggregate a (its bytes as asked), whose label o->policy
 * gives the request's app.  Then, once the inputs and the floor are
 * checked, the release of node index's share (x) of a (its bytes in
 * blob; values the n digests of its inputs' values, in a's order): once,
 * recorded and logged before it is written; *bad the index of an input
 * already released in another aggregate (else a->n).
 */
int ccc_aggregate_request_load(const struct ccc_aggregate_opts *o,
    const struct ccc_tdh2_pub *pub, const struct ccc_aggregate *a,
    struct ccc_buf *cb, struct ccc_agg_request *ar, struct ccc_err *err)
    CCC_WUR;
int ccc_aggregate_release(const struct ccc_aggregate_opts *o,
    const struct ccc_tdh2_pub *pub, uint32_t index, const BIGNUM *x,
    const struct ccc_aggregate *a, const struct ccc_buf *blob,
    const uint8_t *values, const struct ccc_agg_request *ar, size_t *bad,
    struct ccc_err *err) CCC_WUR;

/*
 * With -C (lib/ops/contributors.c): the certified contributor list
 * o->contributors, certified by o->roster's quorum at o->now, for the
 * request's app, valid at o->now, into l.  Errors name the list.
 */
int ccc_aggregate_contributors_load(const struct ccc_aggregate_opts *o,
    const struct ccc_agg_request *ar, struct ccc_contributors *l,
    struct ccc_err *err) CCC_WUR;

#endif
