/*
 * The result of a computation request (whitepaper steps 6-7): what the
 * enclave ran, on what, what came out, and the attestation document that
 * binds them.
 *
 * The document's user_data is the binding digest
 *
 *   SHA-256("ccc/attest-binding/v1" || request_id || u32be(len) || app_id
 *           || code || u32be(n) || input_digest_1..n || output_digest
 *           || u64be(time) || u32be(m) || share_1..m)
 *
 * where share_k = u8(node) || u8(vlen) || verdict || u8(dlen) ||
 * sealed_digest is the enclave's verdict on the k-th sealed-share file it
 * was given (field 11, in the order given): the node number the file
 * claims (0 if it did not decode), "verified" or why its shares were
 * refused (lib/combine.h), and the SHA-256 of the file when it read as a
 * sealed blob (dlen 32, else 0), which the node's access-log entry names
 * too; so the attested result says which nodes' shares verified after
 * the per-request key is gone.
 *
 * its public_key is the request's per-request enclave key, and PCR 2
 * (PCR 0 is the enclave runtime) is the code measurement; its certificate
 * is the enclave's whose id (SHA-256 of that certificate) the result
 * names, and the request must name the same enclave.  A verifier
 * recomputes the digest from the request and the result.
 */
#ifndef CCC_RESULT_H
#define CCC_RESULT_H

#include "blob.h"
#include "schemas.h"
#include "quorum.h"


#define CCC_RESULT_OUTPUT_MAX (64UL * 1024 * 1024)
#define CCC_PCR_RUNTIME 0
#define CCC_PCR_CODE 2
/* Sealed-share files one result can judge (ccc-enclave-run's limit). */
#define CCC_RESULT_SHARES_MAX 1024

struct ccc_result {
	uint8_t request_id[32];
	const char *app;
	size_t app_len;
	uint8_t code[CCC_MEASUREMENT_BYTES];
	struct ccc_val inputs;		/* BSTR_ARRAY of 32-byte digests */
	uint32_t mode;			/* CCC_OUTPUT_* */
	const uint8_t *output;
	size_t output_len;
	uint8_t output_digest[32];	/* SHA-256 of output */
	uint64_t time;
	uint8_t enclave_id[32];
	const uint8_t *doc;		/* COSE_Sign1 attestation document */
	size_t doc_len;
	struct ccc_val shares;		/* MAP_ARRAY of ccc_schema_result_share */
	/* Level 2: the other agreeing replicas (field 12; count 0 if none). */
	struct ccc_val replicas;	/* MAP_ARRAY of ..._result_replica */
};

/*
 * Decode a result (views into p): every field present, the output
 * matching its digest, every share verdict one of lib/combine.h's names.
 */
int ccc_result_decode(struct ccc_result *r, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/*
 * The binding digest above, from its parts (inputs: n digests; shares:
 * nshares ccc_schema_result_share maps, encoded back to back, as in field
 * 11).
 */
void ccc_binding_digest(uint8_t out[32], const uint8_t rid[32],
    const char *app, size_t app_len, const uint8_t code[48],
    const uint8_t *inputs, size_t n, const uint8_t output_digest[32],
    uint64_t time, const uint8_t *shares, size_t shares_len,
    size_t nshares);
/* The binding digest above, from the result's own fields. */
void ccc_result_binding(uint8_t out[32], const struct ccc_result *r);
/*
 * Check that a result answers a request: same request id, app, code and
 * enclave,
 * input digests equal to the request's ciphertext digests, the output
 * digest right.  CCC_E_ATTEST "binding mismatch: ..." otherwise.
 */
int ccc_result_matches(const struct ccc_result *r,
    const struct ccc_request *rq, struct ccc_err *err) CCC_WUR;

/*
 * Verify a result's attestation document under pol at at_ms: it must bind
 * the result's own fields (user_data = the binding digest, PCR 2 = the
 * code) and, when rq is given, answer that request (ccc_result_matches,
 * public_key = the request's per-request enclave key).  extra adds
 * expectations (a nonce, other PCRs).  Errors as ccc_attest_verify().
 */
struct ccc_attest_policy;
struct ccc_attest_expect;
struct ccc_attest_report;
int ccc_result_attest(const struct ccc_result *r, const struct ccc_request *rq,
    const struct ccc_attest_policy *pol, const struct ccc_attest_expect *extra,
    int64_t at_ms, struct ccc_attest_report *rep, struct ccc_err *err)
    CCC_WUR;

#endif
