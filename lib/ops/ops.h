/*
 * The operations behind each tool.  A tool's main parses options into one
 * of these structs, calls the function, and maps the result to an exit
 * status with ccc_cli_fail().  Functions never print except to the output
 * they were given (and ccc_cli_warn for warnings that do not stop them).
 */
#ifndef CCC_OPS_H
#define CCC_OPS_H

#include <stdbool.h>
#include <stdio.h>

#include <openssl/bn.h>

#include "buf.h"
#include "cbor.h"
#include "ccc.h"
#include "par.h"
#include "io.h"
#include "json.h"
#include "seq.h"

/* What the tools' option parsers need: limits, modes, time parsing. */
#include "attest.h"
#include "identity.h"
#include "pool.h"
#include "quorum.h"

struct ccc_dealer_opts {
	uint32_t t, n;
	uint64_t epoch;
	const char *dir;
	bool force;
	bool json;	/* also write DIR/tpk.json in Chainlink's form */
};
int ccc_keygen_dealer(const struct ccc_dealer_opts *o, struct ccc_err *err)
    CCC_WUR;

/* X25519 recipient key: secret to keyfile (0600), public blob to pubout. */
int ccc_keygen_recipient(const char *keyfile, bool force, const char *pubout,
    struct ccc_err *err) CCC_WUR;

/* Ed25519 identity: secret to keyfile (0600), public blob to pubout. */
int ccc_keygen_identity(const char *keyfile, const char *name, bool force,
    const char *pubout, struct ccc_err *err) CCC_WUR;

/* Public key or share blob -> Chainlink JSON. */
int ccc_keygen_export(const char *in, const char *out, bool force,
    struct ccc_err *err) CCC_WUR;
/* Chainlink JSON public key (needs t) or private share (needs tpk). */
int ccc_keygen_import(const char *in, const char *out, uint32_t t,
    const char *tpk, bool force, struct ccc_err *err) CCC_WUR;

/*
 * A label as the command line gives it: -l CONTEXT, --owner ADDRESS,
 * --org-id ID or --label-hex HEX (at most one; none: NULL).
 */
struct ccc_op_label {
	const char *context, *owner, *org_id, *hex;
};
/*
 * The context that spells it (lib/label.h) into buf (cap bytes), *ctx
 * pointing at it, or NULL when none is given.  CCC_E_USAGE with the reason
 * when it is not a label.
 */
int ccc_op_label_context(const char **ctx, char *buf, size_t cap,
    const struct ccc_op_label *l, struct ccc_err *err) CCC_WUR;

struct ccc_encrypt_opts {
	unsigned jobs;		/* --seq: threads (0 or 1: one) */
	const char *tpk;
	struct ccc_op_label label;	/* none: unlabelled */
	enum ccc_form form;		/* --json: how the JSON is carried */
	const char *in, *out;
	bool seq, json, from_json, force, tty_ok;
	bool hints;		/* --commitments: the proof's (lib/keys.h) */
	const struct ccc_progress *progress;	/* --seq, or NULL */
	bool additive;		/* --additive: lines of integers */
	uint32_t bits;		/* --additive: -B, bits a value */
	uint32_t sum_bits;	/* --additive: -S, bits of a line's sum (0: none) */
	const char *identity;	/* --additive -I: each input a contribution
				 * signed with this identity, or NULL */
};
int ccc_encrypt_run(const struct ccc_encrypt_opts *o, struct ccc_err *err)
    CCC_WUR;
/* --additive (lib/ops/encrypt_additive.c). */
int ccc_encrypt_additive(const struct ccc_encrypt_opts *o,
    struct ccc_err *err) CCC_WUR;

struct ccc_reencrypt_opts {
	unsigned jobs;		/* threads (0 or 1: one) */
	const char *share, *tpk, *to, *out;
	const char *box_to;	/* Chainlink share mode: X25519 key, hex */
	struct ccc_op_label label;	/* the required label, or none */
	bool allow_unlabelled, force, tty_ok;
	bool comm;		/* --commitments (lib/seal.h) */
	char **cts;		/* ciphertext files; none: stdin */
	int ncts;
	const struct ccc_progress *progress;	/* or NULL */
};
int ccc_reencrypt_run(const struct ccc_reencrypt_opts *o,
    struct ccc_err *err) CCC_WUR;

struct ccc_combine_opts {
	const char *tpk, *key, *in, *out;
	const char *box_key;	/* -x: X25519 key of Chainlink shares */
	const char *request;	/* shares bound to this request, its cts */
	const char *result;	/* --result: read a result's output */
	const char *report;	/* --report: the nodes' verdicts, or NULL */
	char **sealed;
	int nsealed;
	unsigned jobs;		/* threads (0 or 1: one) */
	bool seq, force, tty_ok;
	const struct ccc_progress *progress;	/* or NULL */
	const char *aggregate;	/* --aggregate: shares of this aggregate */
	const char *cache;	/* --cache: the discrete-log table's dir */
};
int ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
    CCC_WUR;
/* --aggregate (lib/ops/combine_aggregate.c): shares -> the sums. */
int ccc_combine_aggregate(const struct ccc_combine_opts *o,
    struct ccc_err *err) CCC_WUR;
/* The output of a result (ccc/result/v1): opened with -i when sealed. */
int ccc_combine_result(const struct ccc_combine_opts *o, struct ccc_err *err)
    CCC_WUR;
/* --result --serve: results on stdin, their outputs answered. */
int ccc_combine_result_serve(const struct ccc_combine_opts *o,
    struct ccc_err *err) CCC_WUR;

/*
 * ccc-aggregate (lib/ops/aggregate.c): the aggregate of additive inputs,
 * a decryption node's share of one (--share), or the re-verification of
 * a published result (--verify).
 */
struct ccc_aggregate_opts {
	const char *tpk, *out;
	struct ccc_op_label label;	/* the inputs' label, or none */
	char **inputs;		/* files of additive inputs (sequences) */
	int ninputs;
	bool force, tty_ok;
	const char *share;	/* --share: the node's key share */
	const char *aggregate;	/* --share: the aggregate asked for */
	const char *state;	/* --share: the node's state directory */
	const char *request;	/* --share: the certified request */
	const char *roster;	/* --share: the oracle roster */
	const char *policy;	/* --share: the label policy, or NULL */
	const char *identity;	/* --share: signs the log head, or NULL */
	uint64_t now;		/* --share: the time */
	uint64_t min;		/* --share: fewest inputs released (with
				 * contributors: fewest contributors) */
	const char *contributors;	/* --share -C: the certified list of
					 * who may contribute, or NULL */
	bool anyone;		/* --share --anyone: inputs from anyone */
	const char *verify;	/* --verify: the result */
	unsigned jobs;		/* -j: threads verifying (0 or 1: one) */
};
int ccc_aggregate_run(const struct ccc_aggregate_opts *o, struct ccc_err *err)
    CCC_WUR;
int ccc_aggregate_share_run(const struct ccc_aggregate_opts *o,
    struct ccc_err *err) CCC_WUR;
int ccc_aggregate_verify_run(const struct ccc_aggregate_opts *o,
    struct ccc_err *err) CCC_WUR;
/*
 * ccc-quorum-sign contributors: a contributor list (ccc/contributors/v1)
 * for app from NAME=PUB arguments (identity public keys).
 */
struct ccc_contributors_opts {
	const char *app, *out;
	char **contributors;
	int ncontributors;
	uint64_t not_before, not_after;
	bool force;
};
int ccc_quorum_contributors(const struct ccc_contributors_opts *o,
    struct ccc_err *err) CCC_WUR;

/* ccc-quorum-sign request --aggregate: a request at security level 4. */
struct ccc_agg_request_opts {
	const char *tpk, *aggregate, *app, *out;
	const uint8_t *request_id;	/* or NULL: a random one */
	uint64_t now, expires;
	bool force;
};
int ccc_quorum_agg_request(const struct ccc_agg_request_opts *o,
    struct ccc_err *err) CCC_WUR;

struct ccc_inspect_opts {
	bool diag, show_secrets;
	bool sha256;		/* -s: print each blob's SHA-256 */
	const char *verify_log;	/* a node state directory: check its log */
	const char *identity;	/* -I: the node's identity, to check its
				 * signed head, or NULL */
	const char *since;	/* --since: an earlier signed head, or NULL */
	const char *reads;	/* -R: a feed provider's roster: print who
				 * read which item when (inspect_reads.c) */
	uint64_t now;
	bool has_now;		/* --now given (it applies to -R only) */
	char **files;
	int nfiles;
};
int ccc_inspect_run(const struct ccc_inspect_opts *o, struct ccc_err *err)
    CCC_WUR;
int ccc_inspect_reads(const struct ccc_inspect_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * --answer (lib/ops/inspect_answer.c): one ccc/answer/v1 from standard
 * input, read to the byte; its output to out (NULL: standard output),
 * its error line to standard error, its status to *status.  At most
 * CCC_ANSWER_READ_MAX bytes.
 */
#define CCC_ANSWER_READ_MAX (1UL << 30)
int ccc_inspect_answer(const char *out, bool force, int *status,
    struct ccc_err *err) CCC_WUR;

/*
 * A decryption node's keys: the public key from tpk and the node's share
 * from the secret file share, checked against it (key id, epoch,
 * g^x = h_i), x decoded into a BN_secure_new'ed scalar.  On failure
 * nothing is left allocated and err names the file at fault.
 */
struct ccc_share;
struct ccc_tdh2_pub;
int ccc_node_keys_load(struct ccc_tdh2_pub *pub, struct ccc_share **sh,
    BIGNUM **x, const char *tpk, const char *share, struct ccc_err *err)
    CCC_WUR;

/*
 * One NAME=PUB argument (ccc-quorum-sign subscribers, contributors): the
 * name, checked as ccc_name_check does (what names it), into name (of
 * CCC_ID_NAME_MAX + 1 bytes), *file the rest.  CCC_E_USAGE otherwise.
 */
int ccc_op_name_arg(const char *arg, const char *what, char *name,
    const char **file, struct ccc_err *err) CCC_WUR;

/* Read and validate a threshold public key file, naming it in errors. */
int ccc_op_read_tpk(struct ccc_tdh2_pub *pub, const char *path,
    struct ccc_err *err) CCC_WUR;

/*
 * The combine engine's verdicts on the nodes (lib/combine.h): printed as
 * warnings (a repeated file; on success, the files whose shares were not
 * used) and, with a report path, written there as JSON once the shares
 * were judged (ccc-combine(1) --report).  Open before the work, so an
 * existing file is refused (without force) before anything is done;
 * commit after it; close in any case.
 */
struct ccc_node_report;
struct ccc_op_nodes {
	struct ccc_out out;
	struct ccc_buf json;	/* the nodes' entries */
	char repeats[512];	/* after a failure: the files it left out */
	size_t n, ok;
	uint32_t t;
	bool open, judged, failed, nomem;
};
int ccc_op_nodes_open(struct ccc_op_nodes *nr, const char *path, bool force,
    struct ccc_err *err) CCC_WUR;
void ccc_op_node_note(void *arg, const struct ccc_node_report *r);
/*
 * After the engine returned rc: the report, if the shares were judged
 * (rc 0, or CCC_E_THRESHOLD); returns rc, or the report's failure when rc
 * is 0.
 */
int ccc_op_nodes_commit(struct ccc_op_nodes *nr, const char *tool, int rc,
    struct ccc_err *err) CCC_WUR;
void ccc_op_nodes_close(struct ccc_op_nodes *nr);


/* ---- attestation (lib/ops/keygen.c, lib/ops/attest_verify.c) ---- */

/*
 * Software attestation root: a fresh P-384 key and a self-signed CA
 * certificate (O=ccc, OU=software attestation root, not hardware-backed,
 * CN=name; name NULL: "ccc").  Key and certificate (PEM) to keyfile (mode
 * 0600), the certificate (PEM) to certout (stdout if NULL or "-").
 */
int ccc_keygen_attest_root(const char *keyfile, const char *name, bool force,
    const char *certout, struct ccc_err *err) CCC_WUR;
/*
 * An enclave's software attestation identity: a fresh P-384 key with a
 * certificate CN=ccc-software-<id> issued by the root in rootfile.  Key,
 * certificate and root certificate (PEM) to keyfile (mode 0600), the
 * certificate and the root's to chainout (stdout if NULL or "-").
 */
int ccc_keygen_enclave_cert(const char *rootfile, const char *keyfile,
    const char *id, bool force, const char *chainout, struct ccc_err *err)
    CCC_WUR;

struct ccc_attest_expect;
struct ccc_attest_verify_opts {
	const char *policy;
	const char *in;		/* NULL or "-": stdin */
	const char *request;	/* a result must answer this request */
	int64_t at_ms;		/* CCC_ATTEST_AT_NOW, _DOCUMENT, or ms */
	bool json;
	const struct ccc_attest_expect *expect;	/* NULL: no binding */
};
/* Verify one document (raw CBOR or base64) and print the claims. */
int ccc_attest_verify_run(const struct ccc_attest_verify_opts *o,
    struct ccc_err *err) CCC_WUR;

/*
 * ccc-attest-verify cert (lib/ops/idcert.c): an identity certificate
 * (ccc/id-cert/v1) checked with the re-certifier's public key alone, at
 * now; subject, audience and nonce, when not NULL, must be those.
 * Prints its fields.
 */
struct ccc_idcert_opts {
	const char *key;	/* the re-certifier's ccc/identity-pub/v1 */
	const char *in;		/* NULL or "-": stdin */
	uint64_t now;
	const char *subject, *audience;
	const uint8_t *nonce;
	size_t nonce_len;
};
int ccc_idcert_verify(const struct ccc_idcert_opts *o, struct ccc_err *err)
    CCC_WUR;

/*
 * ccc-share: the key lifecycle of a decryption node (lib/sharecmd.c,
 * lib/reshare.c; the protocol is in ccc-share(1)).
 */
struct ccc_dkg_tamper;
struct ccc_node_opts {
	const char *dir;	/* the node's state directory */
	const char *identity;	/* init: identity secret key file */
	const char *committee;	/* dkg, reshare: committee file */
	const char *group;	/* reshare: old group (joiner); export, verify */
	const char *cert, *tpk, *share;	/* export, verify */
	uint64_t epoch;		/* export: with has_epoch, else current */
	bool has_epoch, force;
	FILE *log;		/* advance -v: one line per action, or NULL */
	uint64_t now;		/* --now: the clock, seconds since 1970; 0: time() */
	const char *out;	/* approve, retirement: the blob made */
	char **operators;	/* init: operators' identity public key files */
	int noperators;
	uint32_t op_t;		/* init: how many operators approve a DKG */
#ifdef CCC_TEST_HOOKS
	const char *crash_at;	/* test hook (CCC_CRASH_AT) */
	const struct ccc_dkg_tamper *tamper;	/* test helper only */
#endif
};
int ccc_node_init(const struct ccc_node_opts *o, struct ccc_err *err) CCC_WUR;
/* Start a transition from o->committee (dkg: a DKG, else a reshare). */
int ccc_node_start(const struct ccc_node_opts *o, bool dkg,
    struct ccc_err *err) CCC_WUR;
/* Whatever step is due: the cron entry point (idempotent). */
int ccc_node_advance(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
int ccc_node_status(const struct ccc_node_opts *o, FILE *out,
    struct ccc_err *err) CCC_WUR;
int ccc_node_abort(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
int ccc_node_export(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
/* A share against a public key or group, or a group against its cert. */
int ccc_node_verify(const struct ccc_node_opts *o, FILE *out,
    struct ccc_err *err) CCC_WUR;
/* Sign the proposal o->committee with o->identity, or else the node's
 * identity, into o->out (lib/ops/reshare_auth.c). */
int ccc_node_approve(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
/* The retirement of the node's key at its current epoch, into o->out. */
int ccc_node_retirement(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
/* Apply the approved retirement o->committee: erase every share, for good. */
int ccc_node_retire(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;

struct ccc_committee_opts {
	uint32_t t, q;		/* t 0: the group's; q 0: the default */
	const char *group;	/* reshare this group; NULL: a DKG */
	const uint8_t *key_id;	/* DKG: NULL for a random key id */
	uint32_t attempt;
	uint64_t start, step, grace;	/* start 0: now */
	const char *out;
	bool force, tty_ok;
	char **members;		/* identity public key files, in order */
	int nmembers;
};
int ccc_committee_make(const struct ccc_committee_opts *o,
    struct ccc_err *err) CCC_WUR;
/* ---- ccc-quorum-sign (lib/ops/quorum_sign.c) and ccc-reencrypt -r ---- */

struct ccc_roster_opts {
	const char *name, *out;
	uint32_t q;
	uint64_t not_before, not_after;
	bool force;
	char **members;
	int nmembers;
};
int ccc_quorum_roster(const struct ccc_roster_opts *o, struct ccc_err *err)
    CCC_WUR;

/* Bytes received or read, named name in errors. */
struct ccc_op_bytes {
	const uint8_t *p;
	size_t n;
	const char *name;
};

struct ccc_request_opts {
	const char *app, *code_file, *tpk, *enclave_key, *recipient;
	const char *roster, *pool;	/* the certified enclave pool */
	const char *out;
	const uint8_t *assignment;	/* 32 bytes, or NULL: the request id */
	char **reassigned;		/* certified reassignments */
	int nreassigned;
	const uint8_t *measurement;	/* 48 bytes, or NULL: hash code_file */
	const uint8_t *request_id;	/* 32 bytes, or NULL: random */
	/* Level 2: the key files of replicas 2..k, and m (0: k). */
	char **replica_keys;
	int nreplica_keys;
	uint32_t agree;
	uint32_t output;
	bool network, force;
	uint64_t now, expires;
	size_t negress;		/* with network: the TCP ports, or 0: any */
	uint16_t egress[CCC_EGRESS_MAX];	/* the policy allows */
	char **cts;
	int ncts;
};
int ccc_quorum_request(const struct ccc_request_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * What ccc_op_request_build builds a request of, besides o's fields: read
 * from o's files by the one-shot request, received by request --serve
 * (lib/ops/quorum_request.c, lib/ops/request_serve.c).
 */
struct ccc_op_request_parts {
	const struct ccc_tdh2_pub *pub;
	const struct ccc_roster *roster;
	const struct ccc_pool *pool;
	const uint8_t *meas;		/* 48 bytes */
	const uint8_t *rcpt;		/* 32 bytes, or NULL */
	struct ccc_op_bytes key;	/* the enclave's attested key */
	const uint8_t *reps;		/* the replicas' keys, bstrs */
	size_t reps_len;
	int nreps;
	const char *const *rep_names;
	uint32_t agree;
	const uint8_t *ra;		/* certified reassignments, bstrs */
	size_t ra_len;
	int nra;
	const uint8_t *rid;		/* 32 bytes */
	const uint8_t *assignment;	/* 32 bytes, or NULL */
	struct ccc_ct_src *src;		/* the ciphertexts */
};
int ccc_op_request_build(const struct ccc_request_opts *o,
    const struct ccc_op_request_parts *p, struct ccc_buf *b,
    struct ccc_err *err) CCC_WUR;
int ccc_op_read_recipient(uint8_t pk[32], const char *path,
    struct ccc_err *err) CCC_WUR;
int ccc_op_measure(uint8_t meas[48], const char *path, struct ccc_err *err)
    CCC_WUR;
/*
 * request --serve (lib/ops/request_serve.c): assignment orders and request
 * orders on stdin, at each item's time unless fixed_now; o gives what
 * every request shares (its file fields for the requests are unused).
 * ccc_quorum_request_item: the item of o for a client (no enclave key: an
 * assignment order of replicas enclaves), to o->out.
 */
int ccc_quorum_request_serve(const struct ccc_request_opts *o, bool fixed_now,
    struct ccc_err *err) CCC_WUR;
int ccc_quorum_request_item(const struct ccc_request_opts *o,
    uint32_t replicas, struct ccc_err *err) CCC_WUR;

struct ccc_sign_opts {
	const char *key, *in, *out, *tpk;
	const char *policy;	/* label policy file, or NULL */
	const char *attest_policy;	/* requests, results: attestation */
	const char *request;	/* results: the request they answer */
	const char *roster, *pool;	/* requests, results: the pool */
	char **reassigned;	/* results: reassignments the oracle knows */
	int nreassigned;
	/* requests of a feed: its certified subscriber roster, the
	 * provider's roster (lib/feed.h) */
	const char *subscribers, *provider;
	const char *chain;	/* results: the table chain they advance */
	bool allow_unlabelled, force;
	uint64_t now;
};
int ccc_quorum_sign(const struct ccc_sign_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * ccc_quorum_sign in parts (lib/ops/quorum_sign.c), so that one oracle
 * process signs many requests (ccc-quorum-sign sign --serve,
 * lib/ops/quorum_serve.c): the identity key, read once; and one blob,
 * named name, checked as its type requires and signed into out, with what
 * sg holds preloaded (the threshold key, the label policy, the trust, a
 * result's certified request; NULL: read from o's files) and, serving,
 * nothing but requests and results.  *have_rid is set (not cleared) when
 * the blob is a request.
 */
struct ccc_identity;
struct ccc_tdh2_pub;
struct ccc_label_policy;
struct ccc_op_trust;
struct ccc_signer {
	struct ccc_identity *k;
	const struct ccc_tdh2_pub *pub;
	const struct ccc_label_policy *pol;
	const struct ccc_op_trust *trusted;
	/* a result's certified request, named certified_name (NULL: -F) */
	const struct ccc_buf *certified;
	const char *certified_name;
	bool serving;		/* --serve: requests and results only */
};
int ccc_quorum_sign_key(struct ccc_identity **k, const char *path,
    struct ccc_err *err) CCC_WUR;
int ccc_quorum_sign_blob(const struct ccc_sign_opts *o,
    const struct ccc_signer *sg, const struct ccc_buf *in, const char *name,
    struct ccc_buf *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err) CCC_WUR;
int ccc_quorum_sign_serve(const struct ccc_sign_opts *o, bool fixed_now,
    struct ccc_err *err) CCC_WUR;
/*
 * Write the signature sig of the blob in (a result with o->chain) and the
 * chain advanced (lib/transfer.h) as one set: both written beside their
 * targets, then the chain put in place, then the signature
 * (lib/ops/transfer.c).
 */
int ccc_op_sign_write(const struct ccc_sign_opts *o, const struct ccc_buf *in,
    const struct ccc_buf *sig, struct ccc_err *err) CCC_WUR;

/* Private tokens: ccc-quorum-sign transfer and accept (lib/transfer.h). */
struct ccc_transfer_opts {
	const char *key;	/* transfer: the sender's identity secret key */
	const char *from;	/* accept: the sender's identity public key */
	const char *to;		/* the recipient's identity public key */
	const char *nonces;	/* accept: the nonce record */
	const char *app;	/* chain: the table's application */
	const char *chain, *roster;	/* chain -C: a certified result's */
	uint64_t now;
	const char *in, *out;
	uint64_t nonce;		/* transfer */
	bool force;
};
int ccc_transfer_make_run(const struct ccc_transfer_opts *o,
    struct ccc_err *err) CCC_WUR;
int ccc_transfer_accept_run(const struct ccc_transfer_opts *o,
    struct ccc_err *err) CCC_WUR;
/* ccc-quorum-sign chain: an oracle's chain file for a first table. */
int ccc_chain_start_run(const struct ccc_transfer_opts *o,
    struct ccc_err *err) CCC_WUR;
/* ccc-quorum-sign chain -C: advance a chain to a certified result. */
int ccc_chain_follow_run(const struct ccc_transfer_opts *o,
    struct ccc_err *err) CCC_WUR;

/*
 * A data feed's provider (lib/feed.h, lib/ops/feed.c): its subscriber
 * roster from NAME=PUB arguments, and the record of one posted item (the
 * ciphertext file ct, labelled for the feed), both at now.
 */
struct ccc_subscribers_opts {
	const char *feed, *out;
	char **subscribers;
	int nsubscribers;
	uint64_t now;
	bool force;
};
int ccc_quorum_subscribers(const struct ccc_subscribers_opts *o,
    struct ccc_err *err) CCC_WUR;
struct ccc_publish_opts {
	const char *feed, *ct, *out;
	uint64_t now;
	bool force;
};
int ccc_quorum_publish(const struct ccc_publish_opts *o, struct ccc_err *err)
    CCC_WUR;

/*
 * What an oracle trusts about enclaves: its roster, the certified pool
 * and its attestation policy (all three needed: what names the job in
 * the usage error).
 */
struct ccc_op_trust {
	struct ccc_roster roster;
	struct ccc_pool pool;
	struct ccc_attest_policy *pol;
};
int ccc_op_trust_load(struct ccc_op_trust *t, const char *attest_policy,
    const char *roster, const char *pool, uint64_t now, const char *what,
    struct ccc_err *err) CCC_WUR;
void ccc_op_trust_free(struct ccc_op_trust *t);

/*
 * ccc-quorum-sign agree: the results of a level-2 request's replicas
 * compared (lib/replicas.h); m of one core make one result, written to
 * out; a divergence record (ccc/divergence/v1) goes to divergence when
 * any replica disagrees, failed or is missing.
 */
struct ccc_agree_opts {
	const char *attest_policy, *roster, *pool, *request;
	const char *out, *divergence;
	char **results;
	int nresults;
	bool force;
	uint64_t now;
};
int ccc_quorum_agree(const struct ccc_agree_opts *o, struct ccc_err *err)
    CCC_WUR;

struct ccc_qcombine_opts {
	const char *roster, *in, *out;
	bool force;
	uint64_t now;
	char **sigs;
	int nsigs;
};
int ccc_quorum_combine(const struct ccc_qcombine_opts *o, struct ccc_err *err)
    CCC_WUR;

struct ccc_qverify_opts {
	const char *roster, *in, *out;
	bool verbose, force;
	uint64_t now;
};
int ccc_quorum_verify(const struct ccc_qverify_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * combine --serve (combine true: items ccc/quorum-combine/v1, answers the
 * certificates) and verify --serve (items certificates, answers the blobs
 * they certify), at each item's time unless fixed_now (lib/ops/
 * quorum_combine.c).  ccc_quorum_combine_item: the item of o->in and
 * o->sigs, to o->out, for a client of combine --serve.
 */
int ccc_quorum_cert_serve(const char *roster, bool combine, uint64_t now,
    bool fixed_now, struct ccc_err *err) CCC_WUR;
int ccc_quorum_combine_item(const struct ccc_qcombine_opts *o,
    struct ccc_err *err) CCC_WUR;

/* The enclave pool (lib/ops/pool.c). */
struct ccc_pool_opts {
	const char *name, *out;
	uint64_t serial;
	bool force;
	char **entries;		/* FILE[,key=value...] */
	int nentries;
};
int ccc_quorum_pool(const struct ccc_pool_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * Print "REQUEST-ID ENCLAVE-ID NAME": a fresh request id and the enclave
 * it goes to (under its own assignment, or the one given).
 */
struct ccc_assign_opts {
	const char *roster, *pool;
	const uint8_t *assignment;	/* NULL: the fresh request id's own */
	char **reassigned;
	int nreassigned;
	uint32_t replicas;		/* k: a line per replica */
	uint64_t now;
};
int ccc_quorum_assign(const struct ccc_assign_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * An assignment (assign's and request --serve's): a fresh request id into
 * rid, and a line "RID ENCLAVE_ID LABEL" for each of the replicas
 * enclaves the pool assigns it (or the given assignment) to, after the
 * certified reassignments exclude theirs, appended to text.
 */
struct ccc_op_assignment {
	const struct ccc_roster *roster;
	const struct ccc_pool *pool;
	const char *pool_name;		/* to name it in errors */
	const uint8_t *assignment;	/* 32 bytes, or NULL: rid's own */
	const struct ccc_op_bytes *reassigned;
	int nreassigned;
	uint32_t replicas;
	uint64_t now;
};
int ccc_op_assign(const struct ccc_op_assignment *a, struct ccc_buf *text,
    uint8_t rid[32], struct ccc_err *err) CCC_WUR;
/* A reassignment of a certified request away from its enclave. */
struct ccc_reassign_opts {
	const char *request, *reason, *out;
	bool force;
	uint64_t now;
};
int ccc_quorum_reassign(const struct ccc_reassign_opts *o,
    struct ccc_err *err) CCC_WUR;

/* ccc-reencrypt in request mode (lib/ops/reencrypt_request.c). */
struct ccc_serve_opts {
	unsigned jobs;		/* threads (0 or 1: one) */
	const char *share, *tpk, *roster, *state, *policy, *in, *out;
	const char *attest_policy, *pool;	/* the request's enclave */
	const char *identity;	/* -I: signs the access log head, or NULL */
	bool force, tty_ok;
	bool comm;		/* --commitments (lib/seal.h) */
	uint64_t now;
	const struct ccc_progress *progress;	/* or NULL */
};
int ccc_reencrypt_request(const struct ccc_serve_opts *o,
    struct ccc_err *err) CCC_WUR;
/*
 * The node's side of a request, in two parts (lib/ops/reencrypt_request.c)
 * so that one process serves many: ccc_node_open reads the keys, the
 * roster, the label and attestation policies and the identity once;
 * ccc_node_serve serves one certified request as ccc_reencrypt_request
 * does (the pool is read for each).  ccc_reencrypt_serve
 * (lib/ops/reencrypt_serve.c): a CBOR sequence of certified requests on
 * standard input, one ccc/answer/v1 on standard output for each.
 */
struct ccc_node;
struct ccc_out;
int ccc_node_open(struct ccc_node **nd, const struct ccc_serve_opts *o,
    struct ccc_err *err) CCC_WUR;
int ccc_node_serve(struct ccc_node *nd, const struct ccc_serve_opts *o,
    int in_fd, struct ccc_out *to, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err) CCC_WUR;
/*
 * A release ccc_node_serve wrote into an open output (to) stays pending,
 * its blob kept, until that output is out: ccc_node_settle, called then,
 * marks it released in the state dir and removes the kept blob (0 when
 * nothing waits).  Until then, the same request is given that blob.
 */
int ccc_node_settle(struct ccc_node *nd, const char *state,
    struct ccc_err *err) CCC_WUR;
void ccc_node_close(struct ccc_node *nd);
int ccc_reencrypt_serve(const struct ccc_serve_opts *o, bool fixed_now,
    struct ccc_err *err) CCC_WUR;
/*
 * The --serve loop (lib/ops/serve.c): every item of the CBOR sequence on
 * standard input to fn, named name ("request N"), which writes what the
 * one-shot tool would write to out and, when it knows it, the request's
 * id to rid (*have_rid); one ccc/answer/v1 on standard output for each,
 * and once an answer carrying fn's output is written, settle (if not
 * NULL) marks done what fn left waiting for it.  Returns 0 at the end of the input, or the error that
 * ended serving (standard output closed: before the first item).
 */
typedef int ccc_serve_fn(void *ctx, const uint8_t *p, size_t n,
    const char *name, struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err);
typedef int ccc_settle_fn(void *ctx, struct ccc_err *err);
int ccc_serve_loop(ccc_serve_fn *fn, ccc_settle_fn *settle, void *ctx,
    struct ccc_err *err) CCC_WUR;
/*
 * The byte strings of the decoded array v (absent: none), as views named
 * "NAME WHAT K" (K from 1) in errors, into *list (names in *names, to
 * free with it); *n of them.
 */
int ccc_serve_bytes(const struct ccc_val *v, const char *name,
    const char *what, struct ccc_op_bytes **list, char (**names)[64],
    size_t *n, struct ccc_err *err) CCC_WUR;
/* The time an item arrives (with test hooks, CCC_TEST_CLOCK may fix it). */
uint64_t ccc_serve_clock(void);

/*
 * A node's releases (lib/ops/release.c), of sealed shares or of a share of
 * an aggregate.  ccc_release_copy: the kept blob (fd, named name) from its
 * start to out, or when out is NULL its SHA-256 into digest.
 * ccc_release_kept: the rerun of a release that was logged, with its
 * blob's digest, by a run that did not write it: the blob kept then,
 * exactly as logged, or nothing.  ccc_node_identity_load: the node's
 * identity secret key, which signs its access log head.
 */
struct ccc_out;
struct ccc_identity;
int ccc_release_copy(struct ccc_out *out, int fd, const char *name,
    uint8_t *digest, struct ccc_err *err) CCC_WUR;
int ccc_release_kept(struct ccc_out *out, const char *kept,
    const uint8_t rid[32], const uint8_t logged[32], struct ccc_err *err)
    CCC_WUR;
int ccc_node_identity_load(struct ccc_identity **id, const char *path,
    struct ccc_err *err) CCC_WUR;
/*
 * Open and lock the node's state dir (st), check its access log against
 * its head, prune expired markers and read request rid's marker into
 * *served: CCC_E_REPLAY (naming node index) if it was served.  On any
 * failure st->lockfd >= 0 says whether st is open (to close).
 */
struct ccc_accesslog;
enum ccc_served;
int ccc_release_begin(struct ccc_accesslog *st, const char *dir,
    const uint8_t rid[32], uint64_t now, uint32_t index,
    enum ccc_served *served, struct ccc_err *err) CCC_WUR;

/* ---- ccc-rand (lib/ops/rand.c) ---- */

struct ccc_rand_opts {
	const char *tpk;
	const char *share;	/* share: the node's key share file */
	const char *rid;	/* -I: the request id, hex (verify: or NULL) */
	const char *in;		/* verify: the value, NULL or "-": stdin */
	const char *out;
	bool force, tty_ok;
	char **shares;		/* combine: coin share files */
	int nshares;
};
/* A node's public coin share of request o->rid, to o->out. */
int ccc_rand_share_run(const struct ccc_rand_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * The random value of o->rid from the coin shares o->shares (a share that
 * is not one of this coin is named: a warning if t good ones remain, part
 * of the error if not), to o->out.
 */
int ccc_rand_combine_run(const struct ccc_rand_opts *o, struct ccc_err *err)
    CCC_WUR;
/* Verify the value in o->in; its hex on f. */
int ccc_rand_verify_run(const struct ccc_rand_opts *o, FILE *f,
    struct ccc_err *err) CCC_WUR;

/* ---- ccc-enclave-run (lib/ops/enclave_run.c) ---- */

struct ccc_enclave_opts {
	const char *roster, *tpk, *key, *attest_key, *codedir, *policy;
	const char *in, *out;
	const char *report;	/* --report: the nodes' verdicts, or NULL */
	char **sealed;
	int nsealed;
	const uint8_t *nonce;
	size_t nonce_len;
	uint64_t now;
	bool force;
};

int ccc_enclave_run(const struct ccc_enclave_opts *o, struct ccc_err *err)
    CCC_WUR;

/*
 * The same in pieces, so that one process serves many requests
 * (ccc-enclave-run --serve, lib/ops/enclave_serve.c).  ccc_enclave_open
 * reads what the host trusts and is (o's roster, tpk, attest_key, policy,
 * codedir; the runtime's measurement).  ccc_enclave_job_run runs one
 * certified request as ccc_enclave_run does, its result to out (not
 * committed); *have_rid and rid: the request's id once it is read.
 */
struct ccc_enclave;
struct ccc_combine_mem;
struct ccc_enclave_job {
	const char *in;			/* the certified request, or its name */
	const uint8_t *in_p;		/* or NULL: its bytes */
	size_t in_len;
	char **sealed;			/* the files, or the names of */
	const struct ccc_combine_mem *sealed_mem;	/* NULL, or bytes */
	int nsealed;
	const uint8_t *nonce;
	size_t nonce_len;
	uint64_t now;
	const char *report;
	bool force;
};
/*
 * The per-request key: get() gives the secret and public key for the
 * request's key want, once the request is accepted (else fails with the
 * reason); used() once a share may have been opened with it (it must be
 * erased), unused() when the run stopped before.
 */
struct ccc_enclave_keysrc {
	int (*get)(void *arg, const uint8_t want[32], uint8_t sk[32],
	    uint8_t pk[32], struct ccc_err *err);
	void (*used)(void *arg);
	void (*unused)(void *arg);
	void *arg;
};
int ccc_enclave_open(struct ccc_enclave **e,
    const struct ccc_enclave_opts *o, struct ccc_err *err) CCC_WUR;
void ccc_enclave_close(struct ccc_enclave *e);
/* Its attestation key and runtime measurement (owned by e). */
void ccc_enclave_identity(const struct ccc_enclave *e,
    struct ccc_attest_signer **signer, const uint8_t **rt);
int ccc_enclave_job_run(struct ccc_enclave *e,
    const struct ccc_enclave_job *j, const struct ccc_enclave_keysrc *ks,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err) CCC_WUR;

/*
 * ccc-enclave-run --serve (lib/ops/enclave_serve.c): items of the CBOR
 * sequence on standard input, ccc/enclave-keygen/v1 (a key made and held,
 * valid lifetime s unless the item says) and ccc/enclave-job/v1 (a request
 * run with the key held for it), answered on standard output.  At most
 * CCC_ENCLAVE_HELD_MAX keys are held at once.
 */
#define CCC_ENCLAVE_HELD_MAX 1024
struct ccc_eserve_opts {
	struct ccc_enclave_opts host;	/* roster, tpk, attest_key, ... */
	uint64_t lifetime, now;
	bool fixed_now;			/* --now: every item at now */
};
int ccc_enclave_serve(const struct ccc_eserve_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * An item for it (ccc-enclave-run item), to out: with in NULL a key order
 * (lifetime 0: the server's; nonce: the key's challenge), else the job of
 * certified request in and releases sealed[] (nonce: the result's).
 */
struct ccc_eitem_opts {
	const char *in, *out;
	char **sealed;
	int nsealed;
	const uint8_t *nonce;
	size_t nonce_len;
	uint64_t lifetime;
	bool force;
};
int ccc_enclave_item(const struct ccc_eitem_opts *o, struct ccc_err *err)
    CCC_WUR;

/*
 * ccc-enclave-run keygen (lib/ops/enclave_keygen.c): a fresh per-request
 * key, its secret to the secret file (0600), its attested public blob
 * (ccc/enclave-key/v1) to out.
 */
struct ccc_ekeygen_opts {
	const char *attest_key, *secret, *out;
	const uint8_t *challenge;	/* NULL: none */
	size_t challenge_len;
	uint64_t now, lifetime;
	bool force;
};
int ccc_enclave_keygen(const struct ccc_ekeygen_opts *o, struct ccc_err *err)
    CCC_WUR;
/*
 * Its core: a fresh key pair (sk, pk) of the enclave whose attestation key
 * is signer and runtime rt, valid lifetime s from now, its attested
 * public blob appended to pb.  sk is cleared on failure.
 */
int ccc_enclave_key_make(struct ccc_attest_signer *signer,
    const uint8_t rt[48], uint64_t now, uint64_t lifetime,
    const uint8_t *challenge, size_t challenge_len, uint8_t sk[32],
    uint8_t pk[32], struct ccc_buf *pb, struct ccc_err *err) CCC_WUR;

#endif
