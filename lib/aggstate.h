/*
 * A decryption node's release log of aggregates (security level 4), in a
 * state directory of its own per pool:
 *   DIR/released/<hex digest>.cbor  each aggregate it shared, as released
 *   DIR/used                        records of 64 bytes, appended: an
 *                                   input's digest, or the digest of its
 *                                   values (ccc_additive.values), then
 *                                   the digest of the aggregate it was
 *                                   released in; locked while a release
 *                                   is decided
 * Each input is in at most one released aggregate, so that "all" minus
 * "all but one" never singles out a contributor; sharing the same
 * aggregate again is allowed (it releases nothing new).
 */
#ifndef CCC_AGGSTATE_H
#define CCC_AGGSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"

/*
 * Record the release of the aggregate blob (digest agg) over the n input
 * digests at inputs + i * stride, input i's values digest at values +
 * 32 i, unless an input is in another released aggregate, by either
 * digest: then CCC_E_REPLAY, *bad its index.  (An input is known by its
 * values too: the same ciphertexts re-encoded, e.g. without their sum
 * proof, are another blob of the same input.)  Files are written
 * atomically, the release before the inputs' markers.  CCC_E_LOCKED if
 * another process is deciding a release.
 */
int ccc_aggstate_release(const char *dir, const uint8_t agg[32],
    const uint8_t *blob, size_t blen, const uint8_t *inputs, size_t stride,
    const uint8_t *values, size_t n, size_t *bad, struct ccc_err *err)
    CCC_WUR;

/*
 * Whether dir/used is missing (never made, lost or removed); then write it
 * from recs (records of input digest or values digest || aggregate
 * digest, as the access log gives them: ccc_accesslog_used_inputs), so
 * that no input is released again.
 */
bool ccc_aggstate_missing(const char *dir);
int ccc_aggstate_rebuild(const char *dir, const struct ccc_buf *recs,
    struct ccc_err *err) CCC_WUR;

#endif
