/*
 * The enclave pool, its attested per-request keys and the assignment of a
 * request to one enclave (whitepaper steps 3 and 5; ccc(7) TRUST MODEL).
 *
 * A pool (ccc/pool/v1) lists the enclaves the oracle quorum admits: per
 * enclave its id (the SHA-256 of its attestation certificate), the kind of
 * root its documents chain to, its operator, free-form labels and its
 * status.  It is certified by the quorum (ccc/certified/v1), and every
 * oracle and decryption node holds the current one.
 *
 * An enclave makes a fresh X25519 key for each request (ccc-enclave-run
 * keygen) and attests it: a ccc/enclave-key/v1 blob whose attestation
 * document has public_key = the key, nonce = the challenge (if any) and
 * user_data =
 *
 *   SHA-256("ccc/enclave-key/v1" 0 || enclave_id || pk || u64be(expires)
 *           || challenge)
 *
 * Assignment: the enclave of a request is the active enclave of the pool,
 * not excluded by a certified reassignment of the same assignment, with
 * the highest score SHA-256("ccc/assign/v1" 0 || assignment || id), where
 * the assignment is the request's first attempt's id (rendezvous hashing:
 * every party recomputes it; removing an enclave moves only its requests).
 */
#ifndef CCC_POOL_H
#define CCC_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "blob.h"
#include "ccc.h"
#include "identity.h"

#define CCC_POOL_MAX 255		/* enclaves in a pool */
#define CCC_POOL_LABELS_MAX 256
#define CCC_CHALLENGE_MAX 64
#define CCC_NONCE_MAX 512		/* a result attestation's nonce (-n) */
#define CCC_ENCLAVE_KEY_MAX (48UL * 1024)	/* attestation included */
#define CCC_REASSIGN_MAX (16UL * 1024)	/* a certified reassignment */
#define CCC_REASON_MAX 256
#define CCC_ENCLAVE_KEY_LIFETIME 3600	/* s, by default */
#define CCC_ENCLAVE_KEY_MAX_LIFETIME (7 * 86400)

enum { CCC_POOL_ACTIVE = 0, CCC_POOL_REVOKED = 1 };

struct ccc_pool_enclave {
	uint8_t id[32];
	uint32_t kind;			/* enum ccc_attest_kind */
	char op[CCC_ID_NAME_MAX + 1];	/* operator */
	char name[CCC_ID_NAME_MAX + 1];	/* "" if none */
	char labels[CCC_POOL_LABELS_MAX + 1];
	bool revoked;
};

struct ccc_pool {
	char name[CCC_ID_NAME_MAX + 1];
	uint64_t serial;
	size_t n;
	struct ccc_pool_enclave *e;
	uint8_t digest[32];		/* SHA-256 of the pool blob */
};

int ccc_pool_load(struct ccc_pool *p, const uint8_t *b, size_t len,
    struct ccc_err *err) CCC_WUR;
void ccc_pool_free(struct ccc_pool *p);
/*
 * Read a certified pool from path and check its certificate under r at
 * now (ccc_cert_verify); errors name path.
 */
struct ccc_roster;
int ccc_pool_read(struct ccc_pool *p, const struct ccc_roster *r,
    const char *path, uint64_t now, struct ccc_err *err) CCC_WUR;
/* The enclave with this id, or NULL. */
const struct ccc_pool_enclave *ccc_pool_find(const struct ccc_pool *p,
    const uint8_t id[32]);
/* A printable name of an enclave: its name, else its id's prefix. */
const char *ccc_pool_label(const struct ccc_pool_enclave *e, char *buf,
    size_t len);
/*
 * The enclave assigned under the rule above, skipping the nexcl ids of
 * excl; NULL if no active enclave is left.
 */
const struct ccc_pool_enclave *ccc_pool_assign(const struct ccc_pool *p,
    const uint8_t assignment[32], const uint8_t (*excl)[32], size_t nexcl);

/*
 * The k replicas of a level-2 request, into out[0..k) in replica order:
 * by descending score, first one enclave per operator not yet picked,
 * then, when the pool has fewer operators than k, the best of the rest.
 * Replica 1 is the enclave ccc_pool_assign gives.  Returns how many were
 * found (fewer than k when the pool has too few active enclaves).
 */
size_t ccc_pool_assign_k(const struct ccc_pool *p,
    const uint8_t assignment[32], const uint8_t (*excl)[32], size_t nexcl,
    size_t k, const struct ccc_pool_enclave **out);

/* A decoded ccc/enclave-key/v1: views into its blob. */
struct ccc_enclave_key {
	uint8_t enclave_id[32], pk[32];
	uint64_t expires;
	const uint8_t *challenge;	/* NULL if none */
	size_t challenge_len;
	const uint8_t *doc;
	size_t doc_len;
};
int ccc_enclave_key_decode(struct ccc_enclave_key *k, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
/* The user_data digest above. */
void ccc_enclave_key_binding(uint8_t out[32], const uint8_t enclave_id[32],
    const uint8_t pk[32], uint64_t expires, const uint8_t *challenge,
    size_t challenge_len);

/*
 * The check every oracle (before signing) and every decryption node
 * (before sealing anything) makes on a request's enclave, the trust of
 * the whole request:
 *   - it was assigned from this pool (the request names its digest);
 *   - its certified reassignments (if any) verify under r, are of its
 *     assignment, and exclude the enclaves they name;
 *   - its enclave is the one the rule assigns, and is not revoked;
 *   - its per-request key is attested by that enclave: the key blob names
 *     the enclave and the key, is not expired at now nor before the
 *     request, and its document verifies under pol at the request's
 *     creation time (so that every party judges it alike), bound to the
 *     key, the enclave and the challenge, from a root of the kind the pool
 *     gives the enclave.
 * CCC_E_ATTEST for an attestation refused, CCC_E_POLICY for an assignment
 * refused, CCC_E_EXPIRED for an expired key; the detail says why.
 */
struct ccc_request;
struct ccc_attest_policy;
int ccc_request_enclave_check(const struct ccc_request *rq,
    const struct ccc_pool *pool, const struct ccc_roster *r,
    const struct ccc_attest_policy *pol, uint64_t now, struct ccc_err *err)
    CCC_WUR;
/*
 * Whether the request's enclave key was made for it: a key that carries a
 * challenge (ccc-enclave-run keygen -n) must carry the request id, so one
 * attested key cannot collect shares for other requests.  CCC_E_ATTEST
 * if not.  Part of ccc_request_enclave_check; the builder checks it too.
 */
int ccc_request_key_bound(const struct ccc_request *rq, struct ccc_err *err)
    CCC_WUR;
/*
 * The assignment part of that check alone (what the application checks
 * when it builds the request); *e (if not NULL) is then the enclave.
 */
int ccc_request_assign_check(const struct ccc_request *rq,
    const struct ccc_pool *pool, const struct ccc_roster *r, uint64_t now,
    const struct ccc_pool_enclave **e, struct ccc_err *err) CCC_WUR;
/*
 * The ids of the enclaves rq's certified reassignments exclude (checked
 * under r at now, each of rq's assignment), into excl (room for
 * CCC_POOL_MAX), their number in *n.
 */
int ccc_request_excluded(const struct ccc_request *rq,
    const struct ccc_roster *r, uint64_t now, uint8_t (*excl)[32], size_t *n,
    struct ccc_err *err) CCC_WUR;

/* A decoded reassignment (views into its blob). */
struct ccc_reassign {
	uint8_t assignment[32], request_id[32], enclave_id[32];
	const char *reason;
	size_t reason_len;
	uint64_t time;
};
int ccc_reassign_decode(struct ccc_reassign *ra, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
/*
 * A certificate p[0..len) of a reassignment, checked under r at now
 * (ccc_cert_verify) and decoded into ra (views into p).
 */
int ccc_reassign_certified(struct ccc_reassign *ra, const uint8_t *p,
    size_t len, const struct ccc_roster *r, uint64_t now,
    struct ccc_err *err) CCC_WUR;
/* The same read from path into b (errors name path). */
int ccc_reassign_read(struct ccc_buf *b, struct ccc_reassign *ra,
    const char *path, const struct ccc_roster *r, uint64_t now,
    struct ccc_err *err) CCC_WUR;

#endif
