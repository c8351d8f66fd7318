/*
 * Every blob format of ccc, field by field: the code twin of the blob
 * tables in ccc(7).  Only this file spells a format; the codec (blob.c)
 * reads and writes any of them, and the modules name fields by the
 * indexes in schemas.h.  Keys ascend; a field's index in its table is its
 * index in the decoded values.
 */
#include "config.h"

#include <string.h>

#include "accesslog.h"
#include "additive.h"
#include "aggregate.h"
#include "blob.h"
#include "contributors.h"
#include "dkg.h"
#include "feed.h"
#include "identity.h"
#include "pool.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"
#include "transfer.h"
#include "vss.h"

#define U(k, nm, lo, hi, fl) { k, nm, CCC_F_UINT, fl, lo, hi, 0, NULL, 0 }
#define B(k, nm, lo, hi, fl) { k, nm, CCC_F_BSTR, fl, lo, hi, 0, NULL, 0 }
#define T(k, nm, lo, hi, fl) { k, nm, CCC_F_TSTR, fl, lo, hi, 0, NULL, 0 }
#define BA(k, nm, lo, hi, el) \
	{ k, nm, CCC_F_BSTR_ARRAY, 0, lo, hi, el, NULL, 0 }
#define MA(k, nm, lo, hi, sub) { k, nm, CCC_F_MAP_ARRAY, 0, lo, hi, 0, sub, 0 }
#define BLOB(k, nm, max, sub) { k, nm, CCC_F_BLOB, 0, 0, 0, max, sub, 0 }
#define SCHEMA(var, type, title, tbl) \
	const struct ccc_schema var = { type, title, tbl, \
	    sizeof(tbl) / sizeof(tbl[0]) }

/* ---- keys and ciphertexts (lib/keys.c, lib/seal.c) ---------------------- */

static const struct ccc_field tpk_fields[] = {
	T(1, "group", 4, 4, 0),
	U(2, "t", 1, 255, 0),
	U(3, "n", 1, 255, 0),
	U(4, "epoch", 0, INT64_MAX, 0),
	B(5, "key_id", 32, 32, 0),
	B(6, "h", 65, 65, 0),
	B(7, "g_bar", 65, 65, 0),
	BA(8, "h_i", 1, 255, 65),
};
SCHEMA(ccc_schema_tpk, "ccc/tpk/v1", "threshold public key", tpk_fields);

static const struct ccc_field share_fields[] = {
	T(1, "group", 4, 4, 0),
	U(2, "index", 1, 255, 0),
	U(3, "epoch", 0, INT64_MAX, 0),
	B(4, "key_id", 32, 32, 0),
	B(5, "x", 32, 32, CCC_F_SECRET),
};
SCHEMA(ccc_schema_share, "ccc/share/v1", "key share", share_fields);

static const struct ccc_field ct_fields[] = {
	T(1, "group", 4, 4, 0),
	T(2, "context", 1, CCC_CONTEXT_MAX, CCC_F_OPT),
	B(3, "c", 32, 32, 0),
	B(4, "u", 65, 65, 0),
	B(5, "u_bar", 65, 65, 0),
	B(6, "e", 32, 32, 0),
	B(7, "f", 32, 32, 0),
	B(8, "nonce", 12, 12, 0),
	B(9, "sym", 16, CCC_CT_SYM_MAX, 0),
	/* The proof's commitments, a hint for batch checks (lib/keys.h). */
	B(10, "w", 65, 65, CCC_F_OPT),
	B(11, "w_bar", 65, 65, CCC_F_OPT),
};
SCHEMA(ccc_schema_ct, "ccc/ct/v1", "ciphertext", ct_fields);

static const struct ccc_field rpub_fields[] = {
	B(1, "pk", 32, 32, 0),
};
SCHEMA(ccc_schema_recipient_pub, "ccc/recipient-pub/v1",
    "recipient public key", rpub_fields);

static const struct ccc_field rkey_fields[] = {
	B(1, "sk", 32, 32, CCC_F_SECRET),
	B(2, "pk", 32, 32, 0),
};
SCHEMA(ccc_schema_recipient_key, "ccc/recipient-key/v1",
    "recipient secret key", rkey_fields);

static const struct ccc_field sealed_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, INT64_MAX, 0),
	U(3, "index", 1, 255, 0),
	B(4, "context", 0, CCC_CONTEXT_MAX, 0),
	B(5, "recipient", 32, 32, 0),
	U(6, "count", 0, CCC_SEALED_MAX, 0),
	B(7, "enc", 32, 32, 0),
	/* Records with the proofs' commitments, or without (lib/seal.h). */
	{ 8, "shares", CCC_F_BSTR_ARRAY, 0, 0, CCC_SEALED_MAX,
	    CCC_SEALED_ELEM_BYTES, NULL, CCC_SEALED_ELEM_COMM_BYTES },
};
SCHEMA(ccc_schema_sealed, "ccc/sealed/v1", "sealed decryption shares",
    sealed_fields);

/*
 * A serving tool's answer to one item (ccc-reencrypt, ccc-quorum-sign
 * sign and ccc-enclave-run --serve): the exit status and error line the
 * one-shot tool would have given, and what it would have written.
 */
static const struct ccc_field answer_fields[] = {
	U(1, "status", 0, 2, 0),
	B(2, "request_id", 32, 32, CCC_F_OPT),
	T(3, "error", 1, CCC_ERR_LINE_MAX, CCC_F_OPT),
	B(4, "output", 1, CCC_ANSWER_OUTPUT_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_answer, "ccc/answer/v1", "serving tool's answer",
    answer_fields);

/* ---- the public threshold coin (lib/rand.c, ccc-rand) ------------------ */

static const struct ccc_field coin_share_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, INT64_MAX, 0),
	B(3, "request_id", 32, 32, 0),
	U(4, "index", 1, 255, 0),
	B(5, "u_i", 65, 65, 0),
	B(6, "e_i", 32, 32, 0),
	B(7, "f_i", 32, 32, 0),
};
SCHEMA(ccc_schema_coin_share, "ccc/coin-share/v1", "coin share",
    coin_share_fields);

/* A coin share inside a random value: its node and proof only. */
static const struct ccc_field rand_share_fields[] = {
	U(1, "index", 1, 255, 0),
	B(2, "u_i", 65, 65, 0),
	B(3, "e_i", 32, 32, 0),
	B(4, "f_i", 32, 32, 0),
};
SCHEMA(ccc_schema_rand_share, NULL, "node's coin share", rand_share_fields);

static const struct ccc_field rand_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, INT64_MAX, 0),
	B(3, "request_id", 32, 32, 0),
	B(4, "value", 32, 32, 0),
	B(5, "sigma", 65, 65, 0),
	MA(6, "shares", 1, 255, &ccc_schema_rand_share),
};
SCHEMA(ccc_schema_rand, "ccc/rand/v1", "random value", rand_fields);

/* ---- identities (lib/identity.c) ----------------------------------------- */

static const struct ccc_field idpub_fields[] = {
	B(1, "id", 32, 32, 0),
	B(2, "pk", 32, 32, 0),
	T(3, "name", 1, CCC_ID_NAME_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_identity_pub, "ccc/identity-pub/v1",
    "identity public key", idpub_fields);

static const struct ccc_field idkey_fields[] = {
	B(1, "sk", 64, 64, CCC_F_SECRET),
	B(2, "pk", 32, 32, 0),
	T(3, "name", 1, CCC_ID_NAME_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_identity_key, "ccc/identity-key/v1",
    "identity secret key", idkey_fields);

/* ---- oracle quorums (lib/roster.c, lib/request.c, lib/cert.c) ------------ */

static const struct ccc_field roster_member_fields[] = {
	B(1, "id", 32, 32, 0),
	B(2, "pk", 32, 32, 0),
	T(3, "name", 1, CCC_ID_NAME_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_roster_member, NULL, "roster member", roster_member_fields);

static const struct ccc_field roster_fields[] = {
	T(1, "name", 1, CCC_ID_NAME_MAX, 0),
	U(2, "q", 1, 255, 0),
	{ 3, "members", CCC_F_MAP_ARRAY, 0, 1, 255, 0,
	    &ccc_schema_roster_member, 0 },
	U(4, "not_before", 0, UINT64_MAX, 0),
	U(5, "not_after", 0, UINT64_MAX, 0),
};
SCHEMA(ccc_schema_roster, "ccc/roster/v1", "oracle roster", roster_fields);

#define REQUEST_FIELDS(cts_min) { \
	B(1, "request_id", 32, 32, 0), \
	T(2, "app_id", 1, CCC_APP_ID_MAX, 0), \
	B(3, "code", 48, 48, 0), \
	B(4, "key_id", 32, 32, 0), \
	U(5, "epoch", 0, INT64_MAX, 0), \
	{ 6, "ciphertexts", CCC_F_BLOB_ARRAY, 0, cts_min, CCC_REQUEST_MAX_CTS, \
	    (uint32_t)CCC_CT_SYM_MAX + 4096, &ccc_schema_ct, 0 }, \
	B(7, "enclave_id", 32, 32, 0), \
	B(8, "enclave_key", 32, 32, 0), \
	U(9, "created", 0, UINT64_MAX, 0), \
	U(10, "expires", 0, UINT64_MAX, 0), \
	U(11, "security", 1, 2, 0), \
	U(12, "output", 0, 2, 0), \
	B(13, "recipient", 32, 32, CCC_F_OPT), \
	{ 14, "network", CCC_F_BOOL, CCC_F_OPT, 0, 1, 0, NULL, 0 }, \
	B(15, "pool", 32, 32, 0), \
	BLOB(16, "enclave_attestation", CCC_ENCLAVE_KEY_MAX, \
	    &ccc_schema_enclave_key), \
	B(17, "assignment", 32, 32, CCC_F_OPT), \
	{ 18, "reassigned", CCC_F_BLOB_ARRAY, CCC_F_OPT, 1, CCC_POOL_MAX, \
	    CCC_REASSIGN_MAX, &ccc_schema_certified, 0 }, \
	{ 19, "egress", CCC_F_BSTR_ARRAY, CCC_F_OPT, 1, CCC_EGRESS_MAX, 2, \
	    NULL, 0 }, \
	{ 20, "replicas", CCC_F_BLOB_ARRAY, CCC_F_OPT, 1, \
	    CCC_REPLICAS_MAX - 1, CCC_ENCLAVE_KEY_MAX, \
	    &ccc_schema_enclave_key, 0 }, \
	U(21, "agree", 1, CCC_REPLICAS_MAX, CCC_F_OPT), \
}
static const struct ccc_field request_fields[] = REQUEST_FIELDS(1);
/*
 * The same with the ciphertext array allowed empty: the head of a request
 * whose ciphertexts are read from a file in pieces (ccc_request_decode_head),
 * their count checked apart.
 */
static const struct ccc_field request_head_fields[] = REQUEST_FIELDS(0);
SCHEMA(ccc_schema_request, "ccc/request/v1", "computation request",
    request_fields);
SCHEMA(ccc_schema_request_head, "ccc/request/v1", "computation request",
    request_head_fields);

/*
 * A request at security level 4 (lib/aggrequest.h): it names an
 * aggregate, not code, ciphertexts or an enclave.  Keys as in
 * ccc/request/v1 where they mean the same.
 */
static const struct ccc_field agg_request_fields[] = {
	B(1, "request_id", 32, 32, 0),
	T(2, "app_id", 1, CCC_APP_ID_MAX, 0),
	B(4, "key_id", 32, 32, 0),
	U(5, "epoch", 0, INT64_MAX, 0),
	U(9, "created", 0, UINT64_MAX, 0),
	U(10, "expires", 0, UINT64_MAX, 0),
	U(11, "security", 4, 4, 0),
	B(22, "aggregate", 32, 32, 0),
	U(23, "inputs", 1, CCC_AGG_MAX_INPUTS, 0),
};
SCHEMA(ccc_schema_agg_request, "ccc/agg-request/v1", "aggregate request",
    agg_request_fields);

static const struct ccc_field sig_fields[] = {
	B(1, "signer", 32, 32, 0),
	T(2, "blob_type", 1, 64, 0),
	B(3, "digest", 32, 32, 0),
	B(4, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_signature, "ccc/signature/v1", "oracle signature",
    sig_fields);

static const struct ccc_field qsig_fields[] = {
	B(1, "signer", 32, 32, 0),
	B(2, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_cert_sig, NULL, "certificate signature", qsig_fields);

static const struct ccc_field cert_fields[] = {
	B(1, "roster", 32, 32, 0),
	T(2, "blob_type", 1, 64, 0),
	{ 3, "blob", CCC_F_BLOB, 0, 0, 0, (uint32_t)CCC_BLOB_MAX, NULL, 0 },
	{ 4, "signatures", CCC_F_MAP_ARRAY, 0, 1, 255, 0, &ccc_schema_cert_sig,
	    0 },
};
SCHEMA(ccc_schema_certified, "ccc/certified/v1", "quorum certificate",
    cert_fields);

/* ---- the enclave pool and its attested keys (lib/pool.c) ----------------- */

static const struct ccc_field ekey_fields[] = {
	B(1, "enclave_id", 32, 32, 0),
	B(2, "pk", 32, 32, 0),
	U(3, "expires", 0, UINT64_MAX, 0),
	B(4, "challenge", 1, CCC_CHALLENGE_MAX, CCC_F_OPT),
	B(5, "attestation", 1, CCC_ENCLAVE_KEY_MAX, CCC_F_DOC),
};
SCHEMA(ccc_schema_enclave_key, "ccc/enclave-key/v1", "attested enclave key",
    ekey_fields);

/*
 * What a serving enclave host is asked (ccc-enclave-run --serve): a fresh
 * attested per-request key, kept in the process; and a certified request
 * to run with the nodes' releases (each as its sealed-share file holds
 * it), with the key made for it.
 */
static const struct ccc_field ekeygen_fields[] = {
	U(1, "expires_in", 1, CCC_ENCLAVE_KEY_MAX_LIFETIME, CCC_F_OPT),
	B(2, "challenge", 1, CCC_CHALLENGE_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_enclave_keygen, "ccc/enclave-keygen/v1",
    "enclave key order", ekeygen_fields);

static const struct ccc_field ejob_fields[] = {
	B(1, "certified", 1, CCC_BLOB_MAX, 0),
	{ 2, "sealed", CCC_F_BYTES_ARRAY, 0, 1, CCC_RESULT_SHARES_MAX,
	    (uint32_t)CCC_BLOB_MAX, NULL, 0 },
	B(3, "nonce", 1, CCC_NONCE_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_enclave_job, "ccc/enclave-job/v1", "enclave job",
    ejob_fields);

/* An item of ccc-quorum-sign combine --serve: a blob and its signatures. */
static const struct ccc_field qcombine_fields[] = {
	B(1, "blob", 1, CCC_BLOB_MAX, 0),
	{ 2, "signatures", CCC_F_BYTES_ARRAY, 0, 1, 255, 4096, NULL, 0 },
};
SCHEMA(ccc_schema_quorum_combine, "ccc/quorum-combine/v1",
    "quorum combine order", qcombine_fields);

/*
 * The items of ccc-quorum-sign request --serve: an assignment, then the
 * request of the key the assigned enclave made for it.
 */
#define REASSIGNED_FIELD(k) { k, "reassigned", CCC_F_BLOB_ARRAY, CCC_F_OPT, \
	1, CCC_POOL_MAX, CCC_REASSIGN_MAX, &ccc_schema_certified, 0 }
static const struct ccc_field assign_order_fields[] = {
	B(1, "assignment", 32, 32, CCC_F_OPT),
	REASSIGNED_FIELD(2),
	U(3, "replicas", 1, CCC_REPLICAS_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_assign_order, "ccc/assign-order/v1", "assignment order",
    assign_order_fields);
static const struct ccc_field request_order_fields[] = {
	{ 1, "enclave_keys", CCC_F_BLOB_ARRAY, 0, 1, CCC_REPLICAS_MAX,
	    CCC_ENCLAVE_KEY_MAX, &ccc_schema_enclave_key, 0 },
	{ 2, "ciphertexts", CCC_F_BLOB_ARRAY, 0, 1, CCC_REQUEST_MAX_CTS,
	    (uint32_t)CCC_CT_SYM_MAX + 4096, &ccc_schema_ct, 0 },
	B(3, "request_id", 32, 32, CCC_F_OPT),
	B(4, "assignment", 32, 32, CCC_F_OPT),
	REASSIGNED_FIELD(5),
	U(6, "agree", 1, CCC_REPLICAS_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_request_order, "ccc/request-order/v1", "request order",
    request_order_fields);

static const struct ccc_field pool_enclave_fields[] = {
	B(1, "id", 32, 32, 0),
	U(2, "kind", 1, 2, 0),
	T(3, "operator", 1, CCC_ID_NAME_MAX, 0),
	T(4, "name", 1, CCC_ID_NAME_MAX, CCC_F_OPT),
	T(5, "labels", 1, CCC_POOL_LABELS_MAX, CCC_F_OPT),
	U(6, "status", 0, 1, 0),
};
SCHEMA(ccc_schema_pool_enclave, NULL, "pool enclave", pool_enclave_fields);

static const struct ccc_field pool_fields[] = {
	T(1, "name", 1, CCC_ID_NAME_MAX, 0),
	U(2, "serial", 0, UINT64_MAX, 0),
	MA(3, "enclaves", 1, CCC_POOL_MAX, &ccc_schema_pool_enclave),
};
SCHEMA(ccc_schema_pool, "ccc/pool/v1", "enclave pool", pool_fields);

static const struct ccc_field reassign_fields[] = {
	B(1, "assignment", 32, 32, 0),
	B(2, "request_id", 32, 32, 0),
	B(3, "enclave_id", 32, 32, 0),
	T(4, "reason", 1, CCC_REASON_MAX, 0),
	U(5, "time", 0, UINT64_MAX, 0),
};
SCHEMA(ccc_schema_reassign, "ccc/reassign/v1", "reassignment",
    reassign_fields);

/* ---- access logs and results (lib/accesslog.c, lib/result.c) ------------- */

static const struct ccc_field access_fields[] = {
	U(1, "seq", 1, UINT64_MAX, 0),
	B(2, "prev", 32, 32, 0),
	U(3, "time", 0, UINT64_MAX, 0),
	B(4, "request_id", 32, 32, 0),
	T(5, "app_id", 1, CCC_APP_ID_MAX, 0),
	BA(6, "ciphertexts", 1, CCC_REQUEST_MAX_CTS, 32),
	B(7, "recipient", 32, 32, 0),
	U(8, "node", 1, 255, 0),
	U(9, "epoch", 0, INT64_MAX, 0),
	B(10, "key_id", 32, 32, 0),
	B(11, "output_recipient", 32, 32, CCC_F_OPT),
	B(12, "sealed_digest", 32, 32, CCC_F_OPT),
	B(13, "aggregate", 32, 32, CCC_F_OPT),
	/* Level 4: each input's values (ccc_additive.values), as key 6. */
	{ 14, "values", CCC_F_BSTR_ARRAY, CCC_F_OPT, 1, CCC_REQUEST_MAX_CTS,
	    32, NULL, 0 },
};
SCHEMA(ccc_schema_access, "ccc/access/v1", "access log entry",
    access_fields);

/* A node's sealed shares as the enclave judged them (lib/combine.h). */
static const struct ccc_field result_share_fields[] = {
	U(1, "node", 0, 255, 0),
	T(2, "verdict", 1, 32, 0),
	B(3, "sealed_digest", 32, 32, CCC_F_OPT),
};
SCHEMA(ccc_schema_result_share, NULL, "share verdict", result_share_fields);

/* Another replica that returned the same core (lib/replicas.h). */
static const struct ccc_field result_replica_fields[] = {
	B(1, "enclave_id", 32, 32, 0),
	B(2, "attestation", 1, 1UL << 20, CCC_F_DOC),
	MA(3, "shares", 1, CCC_RESULT_SHARES_MAX, &ccc_schema_result_share),
};
SCHEMA(ccc_schema_result_replica, NULL, "replica attestation",
    result_replica_fields);

/* What replicas of a level-2 request returned (lib/replicas.h). */
static const struct ccc_field divergence_replica_fields[] = {
	B(1, "enclave_id", 32, 32, 0),
	T(2, "verdict", 1, 256, 0),
	B(3, "core", 32, 32, CCC_F_OPT),
	B(4, "result", 1, (uint32_t)CCC_BLOB_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_divergence_replica, NULL, "replica verdict",
    divergence_replica_fields);

static const struct ccc_field divergence_fields[] = {
	B(1, "request_id", 32, 32, 0),
	U(2, "agree", 1, CCC_REPLICAS_MAX, 0),
	B(3, "majority", 32, 32, CCC_F_OPT),
	MA(4, "replicas", 1, CCC_REPLICAS_MAX, &ccc_schema_divergence_replica),
};
SCHEMA(ccc_schema_divergence, "ccc/divergence/v1", "replica divergence",
    divergence_fields);

static const struct ccc_field result_fields[] = {
	B(1, "request_id", 32, 32, 0),
	T(2, "app_id", 1, CCC_APP_ID_MAX, 0),
	B(3, "code", 48, 48, 0),
	BA(4, "inputs", 1, CCC_REQUEST_MAX_CTS, 32),
	U(5, "output_mode", 0, 2, 0),
	B(6, "output", 0, CCC_RESULT_OUTPUT_MAX, 0),
	B(7, "output_digest", 32, 32, 0),
	U(8, "time", 0, UINT64_MAX, 0),
	B(9, "enclave_id", 32, 32, 0),
	B(10, "attestation", 1, 1UL << 20, CCC_F_DOC),
	MA(11, "shares", 1, CCC_RESULT_SHARES_MAX, &ccc_schema_result_share),
	{ 12, "replicas", CCC_F_MAP_ARRAY, CCC_F_OPT, 1, CCC_REPLICAS_MAX - 1,
	    0, &ccc_schema_result_replica, 0 },
};
SCHEMA(ccc_schema_result, "ccc/result/v1", "computation result",
    result_fields);

/*
 * The enclave's input to the code it runs (lib/ops/enclave_run.c): the
 * plaintexts are secret, so ccc-inspect shows them only when asked.
 */
static const struct ccc_field enclave_input_fields[] = {
	B(1, "request_id", 32, 32, 0),
	T(2, "app_id", 1, CCC_APP_ID_MAX, 0),
	{ 3, "inputs", CCC_F_BYTES_ARRAY, CCC_F_SECRET, 1, CCC_REQUEST_MAX_CTS,
	    (uint32_t)CCC_CT_SYM_MAX, NULL, 0 },
	B(4, "seed", 32, 32, CCC_F_SECRET | CCC_F_OPT),
};
SCHEMA(ccc_schema_enclave_input, "ccc/enclave-input/v1", "enclave input",
    enclave_input_fields);

/* ---- key lifecycle (lib/dkg.c) -------------------------------------------- */

static const struct ccc_field dkg_member_fields[] = {
	B(1, "id", 32, 32, 0),
	B(2, "pk", 32, 32, 0),
	T(3, "name", 1, CCC_ID_NAME_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_committee_member, NULL, "member", dkg_member_fields);

static const struct ccc_field committee_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	U(3, "attempt", 0, 65535, 0),
	U(4, "t", 1, CCC_DKG_MAX_N, 0),
	U(5, "q", 1, CCC_DKG_MAX_N, 0),
	MA(6, "members", 1, CCC_DKG_MAX_N, &ccc_schema_committee_member),
	B(7, "prev", 32, 32, CCC_F_OPT),
	U(8, "start", 0, 1ULL << 40, 0),
	U(9, "step", 1, UINT32_MAX, 0),
	U(10, "grace", 0, UINT32_MAX, 0),
};
SCHEMA(ccc_schema_committee, "ccc/committee/v1", "key committee",
    committee_fields);

/* Keys 1-8 are those of ccc/tpk/v1, so a group reads as a public key. */
static const struct ccc_field group_fields[] = {
	T(1, "group", 4, 4, 0),
	U(2, "t", 1, CCC_DKG_MAX_N, 0),
	U(3, "n", 1, CCC_DKG_MAX_N, 0),
	U(4, "epoch", 0, UINT32_MAX, 0),
	B(5, "key_id", 32, 32, 0),
	B(6, "h", 65, 65, 0),
	B(7, "g_bar", 65, 65, 0),
	BA(8, "h_i", 1, CCC_DKG_MAX_N, 65),
	U(9, "q", 1, CCC_DKG_MAX_N, 0),
	MA(10, "members", 1, CCC_DKG_MAX_N, &ccc_schema_committee_member),
	B(11, "sid", 32, 32, 0),
	B(12, "dealers", 1, CCC_DKG_MAX_N, 0),
	BA(13, "deals", 1, CCC_DKG_MAX_N, 32),
	B(14, "prev", 32, 32, CCC_F_OPT),
};
SCHEMA(ccc_schema_group, "ccc/group/v1", "key group", group_fields);

static const struct ccc_field gsig_fields[] = {
	U(1, "index", 1, CCC_DKG_MAX_N, 0),
	B(2, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_group_sig, NULL, "member signature", gsig_fields);

static const struct ccc_field gcert_fields[] = {
	B(1, "group", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	MA(3, "sigs", 1, CCC_DKG_MAX_N, &ccc_schema_group_sig),
};
SCHEMA(ccc_schema_group_cert, "ccc/group-cert/v1", "group certificate",
    gcert_fields);

static const struct ccc_field msg_fields[] = {
	B(1, "signer", 32, 32, 0),
	BLOB(2, "body", CCC_DKG_MSG_MAX, NULL),
	B(3, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_share_msg, "ccc/share-msg/v1", "signed protocol message",
    msg_fields);

static const struct ccc_field accept_fields[] = {
	B(1, "sid", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	U(3, "index", 1, CCC_DKG_MAX_N, 0),
	BA(4, "keys", 1, CCC_DKG_MAX_N, 32),
};
SCHEMA(ccc_schema_share_accept, "ccc/share-accept/v1",
    "transition acceptance", accept_fields);

static const struct ccc_field deal_fields[] = {
	B(1, "sid", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	U(3, "dealer", 1, CCC_DKG_MAX_N, 0),
	BA(4, "commits", 1, CCC_DKG_MAX_N, 65),
	B(5, "pok", CCC_VSS_PROOF_BYTES, CCC_VSS_PROOF_BYTES, CCC_F_OPT),
	BA(6, "enc", 1, CCC_DKG_MAX_N, 32),
	BA(7, "ct", 1, CCC_DKG_MAX_N, CCC_DKG_SUBSHARE_CT_BYTES),
};
SCHEMA(ccc_schema_share_deal, "ccc/share-deal/v1", "dealing", deal_fields);

static const struct ccc_field complaint_fields[] = {
	U(1, "dealer", 1, CCC_DKG_MAX_N, 0),
	B(2, "key", 32, 32, 0),
};
SCHEMA(ccc_schema_complaint, NULL, "complaint", complaint_fields);

static const struct ccc_field respond_fields[] = {
	B(1, "sid", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	U(3, "index", 1, CCC_DKG_MAX_N, 0),
	MA(4, "complaints", 0, CCC_DKG_MAX_N, &ccc_schema_complaint),
};
SCHEMA(ccc_schema_share_respond, "ccc/share-respond/v1", "responses",
    respond_fields);

static const struct ccc_field confirm_fields[] = {
	B(1, "sid", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	U(3, "index", 1, CCC_DKG_MAX_N, 0),
	BLOB(4, "group", CCC_DKG_MSG_MAX, &ccc_schema_group),
	B(5, "gsig", 64, 64, 0),
	B(6, "pop", CCC_VSS_PROOF_BYTES, CCC_VSS_PROOF_BYTES, 0),
};
SCHEMA(ccc_schema_share_confirm, "ccc/share-confirm/v1", "confirmation",
    confirm_fields);

static const struct ccc_field transport_fields[] = {
	B(1, "sid", 32, 32, 0),
	B(2, "seed", 32, 32, CCC_F_SECRET),
};
SCHEMA(ccc_schema_transport_key, "ccc/transport-key/v1",
    "transport key seed", transport_fields);

/* Authorised key lifecycle changes (lib/approval.c): a proposal (a
 * committee or a retirement) with its approvers' signatures, the
 * retirement of a key, and the operators a node was initialised with. */
static const struct ccc_field approval_sig_fields[] = {
	B(1, "id", 32, 32, 0),
	B(2, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_approval_sig, NULL, "approval", approval_sig_fields);

static const struct ccc_field approved_fields[] = {
	BLOB(1, "proposal", CCC_DKG_MSG_MAX, NULL),
	MA(2, "sigs", 1, CCC_DKG_MAX_N, &ccc_schema_approval_sig),
};
SCHEMA(ccc_schema_approved, "ccc/approved/v1", "approved proposal",
    approved_fields);

static const struct ccc_field retire_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, UINT32_MAX, 0),
	B(3, "group", 32, 32, 0),
};
SCHEMA(ccc_schema_retire, "ccc/retire/v1", "key retirement", retire_fields);

static const struct ccc_field operators_fields[] = {
	U(1, "t", 1, CCC_DKG_MAX_N, 0),
	MA(2, "members", 1, CCC_DKG_MAX_N, &ccc_schema_committee_member),
};
SCHEMA(ccc_schema_operators, "ccc/operators/v1", "node operators",
    operators_fields);

/* ---- the registry -------------------------------------------------------- */

/* Every blob type the toolkit knows, for ccc-inspect and the codec. */
/* ---- level 4: additive inputs and their aggregates (lib/additive.c) ---- */

static const struct ccc_field additive_fields[] = {
	T(1, "group", 4, 4, 0),
	B(2, "key_id", 32, 32, 0),
	U(3, "epoch", 0, INT64_MAX, 0),
	T(4, "context", 1, CCC_CONTEXT_MAX, 0),
	U(5, "bits", 1, CCC_ADD_MAX_BITS, 0),
	BA(6, "u", 1, CCC_ADD_MAX_VALUES, 65),
	BA(7, "v", 1, CCC_ADD_MAX_VALUES, 65),
	{ 8, "proofs", CCC_F_BYTES_ARRAY, 0, 1, CCC_ADD_MAX_VALUES,
	    CCC_BP_PROOF_MAX, NULL, 0 },
	U(9, "sum_bits", 1, CCC_ADD_MAX_BITS, CCC_F_OPT),
	B(10, "sum_proof", CCC_BP_PROOF_BYTES_K(0), CCC_BP_PROOF_MAX, CCC_F_OPT),
};
SCHEMA(ccc_schema_additive, "ccc/additive/v2", "additive input",
    additive_fields);

static const struct ccc_field aggregate_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, INT64_MAX, 0),
	T(3, "context", 1, CCC_CONTEXT_MAX, 0),
	U(4, "bits", 1, CCC_ADD_MAX_BITS, 0),
	BA(5, "inputs", 1, CCC_AGG_MAX_INPUTS, 32),
	BA(6, "u", 1, CCC_ADD_MAX_VALUES, 65),
	BA(7, "v", 1, CCC_ADD_MAX_VALUES, 65),
};
SCHEMA(ccc_schema_aggregate, "ccc/aggregate/v1", "aggregate",
    aggregate_fields);

static const struct ccc_field agg_share_fields[] = {
	B(1, "key_id", 32, 32, 0),
	U(2, "epoch", 0, INT64_MAX, 0),
	U(3, "index", 1, 255, 0),
	B(4, "aggregate", 32, 32, 0),
	B(5, "request", 32, 32, CCC_F_OPT),
	BA(6, "shares", 1, CCC_ADD_MAX_VALUES, CCC_AGG_SHARE_BYTES),
};
SCHEMA(ccc_schema_agg_share, "ccc/agg-share/v1",
    "aggregate decryption share", agg_share_fields);

static const struct ccc_field agg_result_fields[] = {
	BLOB(1, "aggregate", CCC_AGG_BLOB_MAX, &ccc_schema_aggregate),
	BA(2, "sums", 1, CCC_ADD_MAX_VALUES, 8),
	{ 3, "shares", CCC_F_BLOB_ARRAY, 0, 1, 255, CCC_AGG_SHARE_BLOB_MAX,
	    &ccc_schema_agg_share, 0 },
};
SCHEMA(ccc_schema_agg_result, "ccc/agg-result/v1", "aggregate result",
    agg_result_fields);

/*
 * Who may contribute to a pool (lib/contributors.c), certified by the
 * oracles, and one contributor's signed input (lib/contribution.c).
 */
static const struct ccc_field contributor_fields[] = {
	B(1, "pk", 32, 32, 0),
	T(2, "name", 1, CCC_ID_NAME_MAX, 0),
};
SCHEMA(ccc_schema_contributor, NULL, "contributor", contributor_fields);

static const struct ccc_field contributors_fields[] = {
	T(1, "app_id", 1, CCC_APP_ID_MAX, 0),
	U(2, "not_before", 0, UINT64_MAX, 0),
	U(3, "not_after", 0, UINT64_MAX, 0),
	MA(4, "contributors", 1, CCC_CONTRIBUTORS_MAX,
	    &ccc_schema_contributor),
};
SCHEMA(ccc_schema_contributors, "ccc/contributors/v1", "contributor list",
    contributors_fields);

static const struct ccc_field contribution_fields[] = {
	BLOB(1, "input", CCC_ADD_INPUT_MAX, &ccc_schema_additive),
	B(2, "contributor", 32, 32, 0),
	B(3, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_contribution, "ccc/contribution/v1", "contribution",
    contribution_fields);

/* ---- identity certificates (lib/ops/idcert.c, examples/identity.sh) ------ */

static const struct ccc_field idcert_fields[] = {
	T(1, "subject", 42, 42, 0),
	T(2, "audience", 1, 64, 0),
	B(3, "nonce", 8, 32, 0),
	T(4, "claim", 1, 256, 0),
	B(5, "pseudonym", 32, 32, 0),
	U(6, "as_of", 0, INT64_MAX, 0),
	U(7, "expires", 0, INT64_MAX, 0),
	B(8, "sig", 64, 64, 0),
};
SCHEMA(ccc_schema_idcert, "ccc/id-cert/v1", "identity certificate",
    idcert_fields);

/* ---- data feeds (lib/feed.c) --------------------------------------------- */

static const struct ccc_field subscriber_fields[] = {
	B(1, "pk", 32, 32, 0),
	T(2, "name", 1, CCC_ID_NAME_MAX, 0),
};
SCHEMA(ccc_schema_subscriber, NULL, "subscriber", subscriber_fields);

static const struct ccc_field subscribers_fields[] = {
	T(1, "feed", 1, CCC_APP_ID_MAX, 0),
	U(2, "issued", 0, UINT64_MAX, 0),
	MA(3, "subscribers", 1, CCC_FEED_SUBSCRIBERS_MAX,
	    &ccc_schema_subscriber),
};
SCHEMA(ccc_schema_subscribers, "ccc/subscribers/v1", "subscriber roster",
    subscribers_fields);

static const struct ccc_field published_fields[] = {
	T(1, "feed", 1, CCC_APP_ID_MAX, 0),
	B(2, "item", 32, 32, 0),
	U(3, "time", 0, UINT64_MAX, 0),
};
SCHEMA(ccc_schema_published, "ccc/published/v1", "published feed item",
    published_fields);
/* ---- private tokens: a transfer signed by its sender (lib/transfer.c) ---- */

static const struct ccc_field transfer_fields[] = {
	B(1, "sender", 32, 32, 0),
	U(2, "nonce", 0, UINT64_MAX, 0),
	B(3, "recipient", 32, 32, 0),
	BLOB(4, "amount", CCC_TRANSFER_AMOUNT_MAX, &ccc_schema_ct),
	B(5, "sig", 64, 64, CCC_F_OPT),
};
SCHEMA(ccc_schema_transfer, "ccc/transfer/v1", "signed transfer",
    transfer_fields);

const struct ccc_schema *const ccc_schemas[] = {
	&ccc_schema_tpk, &ccc_schema_share, &ccc_schema_ct,
	&ccc_schema_recipient_pub, &ccc_schema_recipient_key,
	&ccc_schema_sealed, &ccc_schema_answer, &ccc_schema_identity_pub,
	&ccc_schema_identity_key, &ccc_schema_roster, &ccc_schema_request,
	&ccc_schema_agg_request,
	&ccc_schema_signature, &ccc_schema_certified, &ccc_schema_access,
	&ccc_schema_result, &ccc_schema_enclave_input,
	&ccc_schema_divergence,
	&ccc_schema_enclave_key, &ccc_schema_enclave_keygen,
	&ccc_schema_enclave_job, &ccc_schema_quorum_combine,
	&ccc_schema_assign_order, &ccc_schema_request_order,
	&ccc_schema_pool, &ccc_schema_reassign,
	&ccc_schema_committee, &ccc_schema_group, &ccc_schema_group_cert,
	&ccc_schema_share_msg, &ccc_schema_share_accept,
	&ccc_schema_share_deal, &ccc_schema_share_respond,
	&ccc_schema_share_confirm, &ccc_schema_transport_key,
	&ccc_schema_approved, &ccc_schema_retire, &ccc_schema_operators,
	&ccc_schema_coin_share, &ccc_schema_rand,
	&ccc_schema_additive, &ccc_schema_aggregate, &ccc_schema_agg_share,
	&ccc_schema_agg_result, &ccc_schema_contributors,
	&ccc_schema_contribution,
	&ccc_schema_idcert,
	&ccc_schema_subscribers, &ccc_schema_published,
	&ccc_schema_transfer,
	NULL
};

const struct ccc_schema *
ccc_schema_find(const char *type, size_t len)
{
	size_t i;

	for (i = 0; ccc_schemas[i] != NULL; i++)
		if (strlen(ccc_schemas[i]->type) == len &&
		    memcmp(ccc_schemas[i]->type, type, len) == 0)
			return ccc_schemas[i];
	return NULL;
}
