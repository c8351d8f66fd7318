/*
 * Every blob format (lib/schemas.c): the schemas and the indexes of their
 * fields in decoded values.  Keep the enums in step with the tables.
 */
#ifndef CCC_SCHEMAS_H
#define CCC_SCHEMAS_H

#include <stddef.h>

#include "blob.h"

/* Every blob type the toolkit knows, for ccc-inspect. */
extern const struct ccc_schema *const ccc_schemas[];

/* Find a schema by its type string (NULL if unknown). */
const struct ccc_schema *ccc_schema_find(const char *type, size_t len);

/* ---- keys and ciphertexts ------------------------------------------------ */
/* Schemas of the blob types. */
extern const struct ccc_schema ccc_schema_tpk;
extern const struct ccc_schema ccc_schema_share;
extern const struct ccc_schema ccc_schema_ct;
extern const struct ccc_schema ccc_schema_recipient_pub;
extern const struct ccc_schema ccc_schema_recipient_key;
extern const struct ccc_schema ccc_schema_sealed;
extern const struct ccc_schema ccc_schema_answer;

/* Field indexes into vals, per schema (keep in step with the tables). */
enum { TPK_GROUP, TPK_T, TPK_N, TPK_EPOCH, TPK_KEY_ID, TPK_H, TPK_GBAR,
    TPK_HI, TPK_NFIELDS };
enum { SHARE_GROUP, SHARE_INDEX, SHARE_EPOCH, SHARE_KEY_ID, SHARE_X,
    SHARE_NFIELDS };
enum { CT_GROUP, CT_CONTEXT, CT_C, CT_U, CT_UBAR, CT_E, CT_F, CT_NONCE,
    CT_SYM, CT_W, CT_WBAR, CT_NFIELDS };
enum { RPUB_PK, RPUB_NFIELDS };
enum { RKEY_SK, RKEY_PK, RKEY_NFIELDS };
enum { SEALED_KEY_ID, SEALED_EPOCH, SEALED_INDEX, SEALED_CONTEXT,
    SEALED_RECIPIENT, SEALED_COUNT, SEALED_ENC, SEALED_SHARES,
    SEALED_NFIELDS };
enum { ANSWER_STATUS, ANSWER_REQUEST_ID, ANSWER_ERROR, ANSWER_OUTPUT,
    ANSWER_NFIELDS };
/* An answer's output: at most 4 GiB. */
#define CCC_ANSWER_OUTPUT_MAX (1ULL << 32)

/* ---- the public threshold coin (ccc-rand) --------------------------------- */
extern const struct ccc_schema ccc_schema_coin_share;
extern const struct ccc_schema ccc_schema_rand;
extern const struct ccc_schema ccc_schema_rand_share;	/* RSHR_* */
enum { CSH_KEY_ID, CSH_EPOCH, CSH_REQUEST, CSH_INDEX, CSH_U_I, CSH_E_I,
    CSH_F_I, CSH_NFIELDS };
enum { RAND_KEY_ID, RAND_EPOCH, RAND_REQUEST, RAND_VALUE, RAND_SIGMA,
    RAND_SHARES, RAND_NFIELDS };
enum { RSHR_INDEX, RSHR_U_I, RSHR_E_I, RSHR_F_I, RSHR_NFIELDS };

/* ---- identities ------------------------------------------------------------ */
extern const struct ccc_schema ccc_schema_identity_pub;
extern const struct ccc_schema ccc_schema_identity_key;
enum { IDPUB_ID, IDPUB_PK, IDPUB_NAME, IDPUB_NFIELDS };
enum { IDKEY_SK, IDKEY_PK, IDKEY_NAME, IDKEY_NFIELDS };

/* ---- oracle quorums -------------------------------------------------------- */
extern const struct ccc_schema ccc_schema_roster;
extern const struct ccc_schema ccc_schema_request;
extern const struct ccc_schema ccc_schema_agg_request;	/* AREQ_* */
extern const struct ccc_schema ccc_schema_signature;
extern const struct ccc_schema ccc_schema_certified;

enum { ROSTER_NAME, ROSTER_Q, ROSTER_MEMBERS, ROSTER_NOT_BEFORE,
    ROSTER_NOT_AFTER, ROSTER_NFIELDS };
enum { MEMBER_ID, MEMBER_PK, MEMBER_NAME, MEMBER_NFIELDS };
enum { AREQ_ID, AREQ_APP, AREQ_KEY_ID, AREQ_EPOCH, AREQ_CREATED,
    AREQ_EXPIRES, AREQ_SECURITY, AREQ_AGGREGATE, AREQ_INPUTS, AREQ_NFIELDS };
enum { REQ_ID, REQ_APP, REQ_CODE, REQ_KEY_ID, REQ_EPOCH, REQ_CTS,
    REQ_ENCLAVE, REQ_ENCLAVE_KEY, REQ_CREATED, REQ_EXPIRES, REQ_SECURITY,
    REQ_OUTPUT, REQ_RECIPIENT, REQ_NETWORK, REQ_POOL, REQ_ENCLAVE_ATT,
    REQ_ASSIGNMENT, REQ_REASSIGNED, REQ_EGRESS, REQ_REPLICAS, REQ_AGREE,
    REQ_NFIELDS };
enum { SIG_SIGNER, SIG_TYPE, SIG_DIGEST, SIG_SIG, SIG_NFIELDS };
enum { CERT_ROSTER, CERT_TYPE, CERT_BLOB, CERT_SIGS, CERT_NFIELDS };
enum { CSIG_SIGNER, CSIG_SIG, CSIG_NFIELDS };
/*
 * A request whose ciphertext array may be empty: the head of one read in
 * pieces (lib/reqfile.c).
 */
extern const struct ccc_schema ccc_schema_request_head;

/* ---- access logs and results ----------------------------------------------- */
extern const struct ccc_schema ccc_schema_access;
extern const struct ccc_schema ccc_schema_result_replica;
extern const struct ccc_schema ccc_schema_divergence;
extern const struct ccc_schema ccc_schema_divergence_replica;
enum { ACC_SEQ, ACC_PREV, ACC_TIME, ACC_REQUEST, ACC_APP, ACC_CTS,
    ACC_RECIPIENT, ACC_NODE, ACC_EPOCH, ACC_KEY_ID, ACC_OUTPUT_TO,
    ACC_SEALED, ACC_AGGREGATE, ACC_VALUES, ACC_NFIELDS };
extern const struct ccc_schema ccc_schema_result;
enum { RES_REQUEST, RES_APP, RES_CODE, RES_INPUTS, RES_MODE, RES_OUTPUT,
    RES_OUTPUT_DIGEST, RES_TIME, RES_ENCLAVE, RES_DOC, RES_SHARES,
    RES_REPLICAS, RES_NFIELDS };
enum { RRP_ENCLAVE, RRP_DOC, RRP_SHARES, RRP_NFIELDS };
enum { DVR_ENCLAVE, DVR_VERDICT, DVR_CORE, DVR_RESULT, DVR_NFIELDS };
enum { DIV_REQUEST, DIV_AGREE, DIV_MAJORITY, DIV_REPLICAS, DIV_NFIELDS };
extern const struct ccc_schema ccc_schema_result_share;
enum { RSH_NODE, RSH_VERDICT, RSH_DIGEST, RSH_NFIELDS };

/* ---- the enclave's input to its code ------------------------------------- */
extern const struct ccc_schema ccc_schema_enclave_input;

/* ---- the enclave pool (lib/pool.c) ----------------------------------------- */
extern const struct ccc_schema ccc_schema_enclave_key;
extern const struct ccc_schema ccc_schema_pool;
extern const struct ccc_schema ccc_schema_pool_enclave;	/* PE_* */
extern const struct ccc_schema ccc_schema_reassign;
enum { EKEY_ENCLAVE, EKEY_PK, EKEY_EXPIRES, EKEY_CHALLENGE, EKEY_DOC,
    EKEY_NFIELDS };
extern const struct ccc_schema ccc_schema_enclave_keygen;
extern const struct ccc_schema ccc_schema_enclave_job;
enum { EKG_EXPIRES_IN, EKG_CHALLENGE, EKG_NFIELDS };
enum { EJOB_CERTIFIED, EJOB_SEALED, EJOB_NONCE, EJOB_NFIELDS };
extern const struct ccc_schema ccc_schema_quorum_combine;
enum { QCOMB_BLOB, QCOMB_SIGS, QCOMB_NFIELDS };
extern const struct ccc_schema ccc_schema_assign_order;
enum { AORD_ASSIGNMENT, AORD_REASSIGNED, AORD_REPLICAS, AORD_NFIELDS };
extern const struct ccc_schema ccc_schema_request_order;
enum { RORD_KEYS, RORD_CTS, RORD_ID, RORD_ASSIGNMENT, RORD_REASSIGNED,
    RORD_AGREE, RORD_NFIELDS };
enum { PE_ID, PE_KIND, PE_OPERATOR, PE_NAME, PE_LABELS, PE_STATUS,
    PE_NFIELDS };
enum { POOL_NAME, POOL_SERIAL, POOL_ENCLAVES, POOL_NFIELDS };
enum { RA_ASSIGNMENT, RA_REQUEST, RA_ENCLAVE, RA_REASON, RA_TIME,
    RA_NFIELDS };
enum { EIN_REQUEST, EIN_APP, EIN_INPUTS, EIN_SEED, EIN_NFIELDS };

/* ---- data feeds (lib/feed.c) ----------------------------------------------- */
extern const struct ccc_schema ccc_schema_subscribers;
extern const struct ccc_schema ccc_schema_subscriber;	/* SUB_* */
extern const struct ccc_schema ccc_schema_published;
enum { SUBS_FEED, SUBS_ISSUED, SUBS_LIST, SUBS_NFIELDS };
enum { SUB_PK, SUB_NAME, SUB_NFIELDS };
enum { PUB_FEED, PUB_ITEM, PUB_TIME, PUB_NFIELDS };

/* ---- key lifecycle --------------------------------------------------------- */
extern const struct ccc_schema ccc_schema_committee;
extern const struct ccc_schema ccc_schema_group;
extern const struct ccc_schema ccc_schema_group_cert;
extern const struct ccc_schema ccc_schema_share_msg;
extern const struct ccc_schema ccc_schema_share_accept;
extern const struct ccc_schema ccc_schema_share_deal;
extern const struct ccc_schema ccc_schema_share_respond;
extern const struct ccc_schema ccc_schema_share_confirm;
extern const struct ccc_schema ccc_schema_transport_key;
enum { MEM_ID, MEM_PK, MEM_NAME, MEM_NFIELDS };
enum { COM_KEY_ID, COM_EPOCH, COM_ATTEMPT, COM_T, COM_Q, COM_MEMBERS,
    COM_PREV, COM_START, COM_STEP, COM_GRACE, COM_NFIELDS };
enum { GRP_GROUP, GRP_T, GRP_N, GRP_EPOCH, GRP_KEY_ID, GRP_H, GRP_GBAR,
    GRP_HI, GRP_Q, GRP_MEMBERS, GRP_SID, GRP_DEALERS, GRP_DEALS, GRP_PREV,
    GRP_NFIELDS };
extern const struct ccc_schema ccc_schema_approved;
extern const struct ccc_schema ccc_schema_retire;
extern const struct ccc_schema ccc_schema_operators;
extern const struct ccc_schema ccc_schema_approval_sig;	/* APS_* */
enum { APV_PROPOSAL, APV_SIGS, APV_NFIELDS };
enum { APS_ID, APS_SIG, APS_NFIELDS };
enum { RET_KEY_ID, RET_EPOCH, RET_GROUP, RET_NFIELDS };
enum { OPS_T, OPS_MEMBERS, OPS_NFIELDS };

/* ---- level 4: additive inputs and aggregates (lib/additive.c) ------------ */
extern const struct ccc_schema ccc_schema_additive;
extern const struct ccc_schema ccc_schema_aggregate;
extern const struct ccc_schema ccc_schema_agg_share;
extern const struct ccc_schema ccc_schema_agg_result;
enum { ADD_GROUP, ADD_KEY_ID, ADD_EPOCH, ADD_CONTEXT, ADD_BITS, ADD_U, ADD_V,
    ADD_PROOFS, ADD_SUM_BITS, ADD_SUM_PROOF, ADD_NFIELDS };
enum { AGG_KEY_ID, AGG_EPOCH, AGG_CONTEXT, AGG_BITS, AGG_INPUTS, AGG_U,
    AGG_V, AGG_NFIELDS };
enum { ASH_KEY_ID, ASH_EPOCH, ASH_INDEX, ASH_AGGREGATE, ASH_REQUEST,
    ASH_SHARES, ASH_NFIELDS };
enum { ARES_AGGREGATE, ARES_SUMS, ARES_SHARES, ARES_NFIELDS };
/* Who may contribute, and a contribution (lib/contributors.c). */
extern const struct ccc_schema ccc_schema_contributors;
extern const struct ccc_schema ccc_schema_contributor;	/* CTR_* */
extern const struct ccc_schema ccc_schema_contribution;
enum { CTRS_APP, CTRS_NOT_BEFORE, CTRS_NOT_AFTER, CTRS_LIST, CTRS_NFIELDS };
enum { CTR_PK, CTR_NAME, CTR_NFIELDS };
enum { CTB_INPUT, CTB_CONTRIBUTOR, CTB_SIG, CTB_NFIELDS };

/* ---- identity certificates (lib/ops/idcert.c) ---------------------------- */
extern const struct ccc_schema ccc_schema_idcert;
enum { IDC_SUBJECT, IDC_AUDIENCE, IDC_NONCE, IDC_CLAIM, IDC_PSEUDONYM,
    IDC_AS_OF, IDC_EXPIRES, IDC_SIG, IDC_NFIELDS };

/* Maps nested in the blobs above. */
extern const struct ccc_schema ccc_schema_roster_member;	/* MEMBER_* */
extern const struct ccc_schema ccc_schema_cert_sig;	/* CSIG_* */
extern const struct ccc_schema ccc_schema_committee_member;	/* MEM_* */
extern const struct ccc_schema ccc_schema_group_sig;
extern const struct ccc_schema ccc_schema_complaint;

/* ---- private tokens -------------------------------------------------------- */
extern const struct ccc_schema ccc_schema_transfer;
enum { XFER_SENDER, XFER_NONCE, XFER_RECIPIENT, XFER_AMOUNT, XFER_SIG,
    XFER_NFIELDS };

#endif
