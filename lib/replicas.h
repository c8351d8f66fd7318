/*
 * Replicated execution (security level 2, ccc(7) REPLICATED EXECUTION):
 * the k replicas of a request each return a result; its core, the
 * binding digest with no share verdicts,
 *
 *   core = SHA-256("ccc/attest-binding/v1" || request_id || u32be(len) ||
 *          app_id || code || u32be(n) || input_digest_1..n ||
 *          output_digest || u64be(time) || u32be(0))
 *
 * is the same on every honest replica (the coin gives them the same
 * randomness; the time is the request's).  What differs is each
 * replica's evidence: its enclave id, its attestation document, its
 * verdicts on the sealed files it received.  m results of one core make
 * one result: the first agreeing replica's (request order) with the
 * others' evidence in field 12.
 */
#ifndef CCC_REPLICAS_H
#define CCC_REPLICAS_H

#include "result.h"

/* The core digest above. */
void ccc_result_core(uint8_t out[32], const struct ccc_result *r);
/* 1 + the entries of field 12. */
size_t ccc_result_nattest(const struct ccc_result *r);
/*
 * The result as replica entry i made it (0: the result itself; i >= 1:
 * its core with field 12's entry i's enclave id, document and verdicts,
 * and no field 12).
 */
int ccc_result_entry(struct ccc_result *out, const struct ccc_result *r,
    size_t i, struct ccc_err *err) CCC_WUR;
/*
 * Verify every attestation a result carries against its request (level
 * 1: ccc_result_attest; level 2: each entry from a distinct replica of
 * the request, bound to its own key, at least the request's m of them).
 * *replica (if not NULL) gets the 0-based replica of each entry.
 */
struct ccc_attest_policy;
struct ccc_attest_report;
struct ccc_attest_expect;
int ccc_result_attest_all(const struct ccc_result *r,
    const struct ccc_request *rq, const struct ccc_attest_policy *pol,
    const struct ccc_attest_expect *extra, int64_t at_ms,
    struct ccc_attest_report *rep, uint32_t *replica, struct ccc_err *err)
    CCC_WUR;

#endif
