/*
 * Aggregates of additive inputs (security level 4, ccc(7)): the product
 * of verified inputs, the decryption shares of it, their combination and
 * the discrete logarithm that gives the sums.
 *
 * Decoded arrays are views of CBOR arrays of byte strings: element i at
 * p + i * stride.
 *
 * An aggregate (ccc/aggregate/v1) lists the SHA-256 digests of its
 * inputs in ascending order (no two alike) and, per value, the product
 * ciphertext (u_j, v_j).  It is a function of the set of inputs: anyone
 * recomputes the same bytes from them.
 *
 * A node's share of it (ccc/agg-share/v1) holds, per value, x_i u_j and a
 * DLEQ proof (lib/tdh2.c's, with u = u_j) bound by ccc_tdh2_share_bind to
 * the aggregate's digest and the context u32be(j) [|| request id].
 */
#ifndef CCC_AGGREGATE_H
#define CCC_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "additive.h"
#include "buf.h"
#include "ec.h"
#include "tdh2.h"

/* At most as many as an access log entry lists (CCC_REQUEST_MAX_CTS). */
#define CCC_AGG_MAX_INPUTS 100000UL
#define CCC_AGG_SHARE_BYTES (CCC_POINT_BYTES + 2 * CCC_SCALAR_BYTES)
#define CCC_AGG_BLOB_MAX (32 * CCC_AGG_MAX_INPUTS + 2 * 65 * \
	CCC_ADD_MAX_VALUES + CCC_CONTEXT_MAX + 4096)
#define CCC_AGG_SHARE_BLOB_MAX (CCC_AGG_SHARE_BYTES * CCC_ADD_MAX_VALUES + \
	4096)

/* A decoded aggregate: views into its blob. */
struct ccc_aggregate {
	uint8_t key_id[32];
	uint64_t epoch;
	const char *context;
	size_t clen;
	uint32_t bits, k;
	size_t n;		/* inputs */
	const uint8_t *inputs;	/* n x 32, ascending */
	const uint8_t *u, *v;	/* k points each */
	size_t si, su;		/* strides of inputs, of u and v */
	uint8_t digest[32];	/* SHA-256 of the blob */
};

int ccc_aggregate_decode(struct ccc_aggregate *a, const uint8_t *p,
    size_t len, long long base, struct ccc_err *err) CCC_WUR;

/*
 * Check in[0..n-1] against pub and each other (same context, bits and
 * values; with want non-NULL that context; no two alike, by digest or by
 * the digest of their values: the same ciphertexts count once), verify
 * their proofs and
 * append the aggregate blob to out.  in is sorted by digest.  On failure
 * *bad is the index (into the sorted in) of the input at fault, or n when
 * none is: CCC_E_KEY/EPOCH, CCC_E_POLICY (another label or shape),
 * CCC_E_DUPLICATE, or the verifier's errors.  With jobs > 1 the inputs
 * are verified in that many slices on as many threads (the same bytes
 * and the same input at fault as with one).
 */
int ccc_aggregate_build(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct ccc_additive *in, size_t n, const char *want, size_t wlen,
    unsigned jobs, struct ccc_buf *out, size_t *bad, struct ccc_err *err)
    CCC_WUR;

/* The largest sum of a value: n (2^bits - 1). */
uint64_t ccc_aggregate_max(const struct ccc_aggregate *a);

/*
 * Node index's share (x_i, the secret) of a, bound to the request id when
 * req is non-NULL; the blob is appended to out.
 */
int ccc_aggregate_share(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const BIGNUM *x_i, uint32_t index, const struct ccc_aggregate *a,
    const uint8_t *req, struct ccc_buf *out, struct ccc_err *err) CCC_WUR;

/* A decoded share blob (views). */
struct ccc_agg_share {
	uint32_t index;
	uint8_t key_id[32];
	uint64_t epoch;
	const uint8_t *aggregate;	/* 32 */
	const uint8_t *request;		/* 32, or NULL */
	uint32_t k;
	const uint8_t *shares;		/* k x CCC_AGG_SHARE_BYTES */
	size_t ss;			/* their stride */
};

int ccc_agg_share_decode(struct ccc_agg_share *s, const uint8_t *p,
    size_t len, long long base, struct ccc_err *err) CCC_WUR;

/*
 * Check a share against pub and a (key, epoch, aggregate, request and
 * every DLEQ proof): CCC_E_SHARE (detail names what) if it does not hold.
 */
int ccc_agg_share_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_aggregate *a, const struct ccc_agg_share *s,
    const uint8_t *req, struct ccc_err *err) CCC_WUR;

/*
 * From t verified shares of distinct nodes, g^{sum_j} = v_j - sum
 * lambda_i x_i u_j into pts[0..k-1] (points of ec->group).
 */
int ccc_aggregate_open(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_aggregate *a, const struct ccc_agg_share *s, size_t t,
    EC_POINT **pts, struct ccc_err *err) CCC_WUR;

#endif
