/*
 * Oracle quorums: rosters, computation requests, oracle signatures and
 * quorum certificates (whitepaper steps 2-3 and 7).
 *
 * A certificate carries the exact bytes of the blob it certifies and at
 * least q signatures by distinct members of a roster, each over
 *   "ccc/sig/v1" 0 || "ccc/oracle/v1:" <blob type> [ "@" <roster id> ] ||
 *   0 || SHA-256(blob bytes)
 * (lib/identity.h), so a signature is bound to one blob, of one type, and
 * no oracle signature is ever one of the signatures an identity makes in
 * DKG (whose purposes are bare type strings, none with a ':').  The
 * certificate names its roster (the SHA-256 of the roster's bytes); the
 * signatures on requests and results, which an oracle makes only against
 * its roster, name it too (the roster id in lowercase hex after "@"), so
 * they count under that roster alone; those on other types do not, and a
 * key in two rosters signs them for both (ccc-quorum-sign(1), SECURITY
 * CONSIDERATIONS).
 */
#ifndef CCC_QUORUM_H
#define CCC_QUORUM_H

#include <stdbool.h>

#include "blob.h"
#include "schemas.h"
#include "identity.h"

#define CCC_ORACLE_PURPOSE "ccc/oracle/v1:"
#define CCC_ORACLE_PURPOSE_MAX 96
#define CCC_REQUEST_ID_BYTES 32
#define CCC_MEASUREMENT_BYTES 48	/* SHA-384, as Nitro PCRs */
#define CCC_APP_ID_MAX 128
#define CCC_REQUEST_MAX_CTS 100000
#define CCC_BLOB_MAX (64UL * 1024 * 1024)
#define CCC_REQUEST_SKEW 300			/* s a clock may be ahead */
#define CCC_REQUEST_MAX_LIFETIME (7 * 86400)	/* s from created to expiry */
#define CCC_EGRESS_MAX 16	/* TCP ports a request may name */

/* Output modes of a request (field 12). */
enum { CCC_OUTPUT_PUBLIC = 0, CCC_OUTPUT_SEALED = 1, CCC_OUTPUT_THRESHOLD = 2 };
/*
 * Security levels (field 11): 1 single execution; 2 replicated execution
 * on k enclaves (fields 16 and 20), certified when m of them (field 21)
 * return the same result core, with randomness from the threshold coin.
 */
enum { CCC_SECURITY_SINGLE = 1, CCC_SECURITY_REPLICATED = 2 };
#define CCC_REPLICAS_MAX 16	/* k of a level-2 request */

struct ccc_member {
	uint8_t id[32];
	uint8_t pk[32];
	char name[CCC_ID_NAME_MAX + 1];
};

struct ccc_roster {
	char name[CCC_ID_NAME_MAX + 1];
	uint32_t q;
	size_t n;
	struct ccc_member *m;	/* sorted by id */
	uint64_t not_before, not_after;
	uint8_t roster_id[32];	/* SHA-256 of the roster blob */
};

int ccc_roster_load(struct ccc_roster *r, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
void ccc_roster_free(struct ccc_roster *r);
/* Read and load a roster file, naming it in errors. */
int ccc_roster_read(struct ccc_roster *r, const char *path,
    struct ccc_err *err) CCC_WUR;
/* 0 if the roster is valid at now, else CCC_E_EXPIRED saying when it is. */
int ccc_roster_valid(const struct ccc_roster *r, uint64_t now,
    struct ccc_err *err) CCC_WUR;
/* "; not signed by a, b" for the members whose have[] is false. */
void ccc_roster_missing(char *buf, size_t len, const struct ccc_roster *r,
    const bool *have);
/* Index of the member with this id, or -1. */
long ccc_roster_find(const struct ccc_roster *r, const uint8_t id[32]);
/* A short printable name of member i: its name, else its id prefix. */
const char *ccc_member_label(const struct ccc_member *m, char *buf,
    size_t len);

/* A decoded request: views into its blob. */
struct ccc_request {
	uint8_t id[32];
	const char *app;
	size_t app_len;
	uint8_t code[CCC_MEASUREMENT_BYTES];
	uint8_t key_id[32];
	uint64_t epoch;
	struct ccc_val cts;	/* BLOB_ARRAY of ciphertext blobs */
	/*
	 * Or, from ccc_certified_request_open, cts.count ciphertexts left
	 * in a file: byte strings back to back at cts_at of cts_fd.
	 */
	bool cts_in_file;
	int cts_fd;
	long long cts_at;
	uint8_t enclave_id[32];
	uint8_t enclave_key[32];
	uint64_t created, expires;
	uint32_t security, output;
	bool has_recipient, network;
	uint8_t recipient[32];
	uint8_t pool[32];		/* SHA-256 of the enclave pool */
	const uint8_t *enclave_att;	/* ccc/enclave-key/v1 of the key */
	size_t enclave_att_len;
	uint8_t assignment[32];		/* the first attempt's id (or id) */
	struct ccc_val reassigned;	/* certified reassignments (count 0) */
	size_t negress;			/* TCP ports it may connect to: */
	uint16_t egress[CCC_EGRESS_MAX];	/* none: the policy's */
	/*
	 * Replicas: k (1 at level 1) and the m that must agree; the key
	 * blobs of replicas 2..k (field 20).  enclave_id, enclave_key and
	 * enclave_att are those of replica `replica` (0-based): of replica
	 * 1 as decoded, of another in a view (ccc_request_replica).
	 */
	uint32_t nreplicas, agree, replica;
	struct ccc_val replicas;
	const uint8_t *att0;		/* replica 1's key blob (field 16) */
	size_t att0_len;
};

/*
 * 0 if app[0..len) is an application id: 1 to CCC_APP_ID_MAX letters,
 * digits, '.', '_' or '-', so that no id is another's label path
 * ("app:A/..." under the default label rule) and none carries a
 * separator or a control character; else CCC_E_FIELD at the offending
 * byte (off: the text string's head, -1 for none).
 */
/*
 * The same rule for another name, 1 to max bytes, field naming it in the
 * error.
 */
int ccc_name_check(const char *field, const char *name, size_t len,
    size_t max, long long off, struct ccc_err *err) CCC_WUR;
int ccc_app_id_check(const char *app, size_t len, long long off,
    struct ccc_err *err) CCC_WUR;
/*
 * The view of rq for its replica j (0-based, < rq->nreplicas): a copy
 * whose enclave fields are replica j's (decoded from its key blob).
 */
int ccc_request_replica(struct ccc_request *view,
    const struct ccc_request *rq, uint32_t j, struct ccc_err *err) CCC_WUR;
/*
 * The view of the replica whose enclave is enclave_id (view->replica
 * its index): 0, or 1 if no replica is that enclave, or an error.
 */
int ccc_request_replica_of(struct ccc_request *view,
    const struct ccc_request *rq, const uint8_t enclave_id[32],
    struct ccc_err *err) CCC_WUR;
/* Decode a request: every field checked, the app id as above. */
int ccc_request_decode(struct ccc_request *rq, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/*
 * A request whose ciphertext array was left out (written empty): every
 * other field decoded and checked; count, the real number of ciphertexts,
 * must be 1 to CCC_REQUEST_MAX_CTS.
 */
int ccc_request_decode_head(struct ccc_request *rq, const uint8_t *p,
    size_t len, uint64_t count, struct ccc_err *err) CCC_WUR;
/*
 * Read a request from a file holding the request itself or a certificate
 * of one (not verified here: the certificate is checked by whoever acts on
 * it); rq views into b.
 */
int ccc_request_read(struct ccc_buf *b, struct ccc_request *rq,
    const char *path, struct ccc_err *err) CCC_WUR;
/* The same from the file's bytes p[0..len) (path names them). */
int ccc_request_any_decode(const uint8_t *p, size_t len,
    struct ccc_request *rq, const char *path, struct ccc_err *err) CCC_WUR;
/*
 * Read a certified request from path and check it: its certificate
 * verifies under r at now (ccc_cert_verify), it carries a request, which
 * decodes into rq (views into b).  Errors name path.
 */
int ccc_certified_request_read(struct ccc_buf *b, struct ccc_request *rq,
    const struct ccc_roster *r, const char *path, uint64_t now,
    struct ccc_err *err) CCC_WUR;
/* The same from the certificate's bytes p[0..len) (path names them). */
int ccc_certified_request_decode(const uint8_t *p, size_t len,
    struct ccc_request *rq, const struct ccc_roster *r, uint64_t now,
    const char *path, struct ccc_err *err) CCC_WUR;
/* 0 if a certificate's blob type is a request, else why not. */
int ccc_certified_is_request(const struct ccc_schema *type,
    struct ccc_err *err) CCC_WUR;


/*
 * An oracle signs under the purpose CCC_ORACLE_PURPOSE || blob type, and
 * for a type ccc_cert_roster_bound says so "@" || the roster id in hex
 * (into buf; "" if it does not fit, or roster_id is NULL for such a
 * type), one domain per blob type (and roster), apart from every other
 * signature an identity makes; ccc_cert_sig_verify checks such a
 * signature of digest d by pk, made for the roster roster_id.
 */
struct ccc_schema;
bool ccc_cert_roster_bound(const struct ccc_schema *s);
const char *ccc_cert_purpose(char buf[CCC_ORACLE_PURPOSE_MAX],
    const struct ccc_schema *s, const uint8_t *roster_id);
int ccc_cert_sig_verify(const uint8_t sig[64], const uint8_t pk[32],
    const struct ccc_schema *s, const uint8_t roster_id[32],
    const uint8_t d[32]) CCC_WUR;

/*
 * Verify a certificate against a roster at time now: the roster names
 * itself, is valid at now, and at least q distinct members signed the
 * carried blob.  On success blob and blob_len point at the certified bytes
 * (inside cert) and *type at their schema.  CCC_E_SIGNATURE when fewer
 * than q valid signatures (detail says how many and who is missing),
 * CCC_E_KEY for a certificate under another roster, CCC_E_EXPIRED for a
 * roster outside its validity.
 */
int ccc_cert_verify(const struct ccc_roster *r, const uint8_t *cert,
    size_t len, uint64_t now, const uint8_t **blob, size_t *blob_len,
    const struct ccc_schema **type, struct ccc_err *err) CCC_WUR;
/*
 * The checks of ccc_cert_verify on a decoded certificate cv whose carried
 * blob has SHA-256 d (cv[CERT_BLOB] need only hold its first bytes, for
 * its type).
 */
int ccc_cert_check(const struct ccc_roster *r, const struct ccc_val *cv,
    const uint8_t d[32], uint64_t now, const struct ccc_schema **type,
    struct ccc_err *err) CCC_WUR;

/*
 * A ciphertext source (lib/ctsrc.h) over the request's ciphertexts, in
 * memory or left in the request's file; name names them in errors.
 */
struct ccc_ct_src;
void ccc_request_cts(const struct ccc_request *rq, struct ccc_ct_src *s,
    const char *name);

/*
 * The acceptance check every party makes on a request before acting on
 * it (oracle, decryption node, enclave): created at most
 * CCC_REQUEST_SKEW s after now, valid for at most
 * CCC_REQUEST_MAX_LIFETIME s, not expired at now, for this key (key id,
 * then epoch: another key is not "another epoch").
 */
int ccc_request_accept(const struct ccc_request *rq, const uint8_t key_id[32],
    uint64_t epoch, uint64_t now, struct ccc_err *err) CCC_WUR;
/*
 * One ciphertext of the request: labelled for the request's app under the
 * label policy pol (NULL: the default rule).  Decryption nodes make it in
 * the share run, on the ciphertext they decode anyway.
 */
struct ccc_ct;
struct ccc_label_policy;
int ccc_request_check_ct(const struct ccc_request *rq,
    const struct ccc_ct *ct, const struct ccc_label_policy *pol,
    struct ccc_err *err) CCC_WUR;
/*
 * What an oracle checks before signing a request: ccc_request_accept for
 * pub's key at now, then every ciphertext well-formed, labelled
 * (ccc_request_check_ct) and verifying under pub.
 */
struct ccc_tdh2_pub;
int ccc_request_check(const struct ccc_request *rq,
    const struct ccc_tdh2_pub *pub, const struct ccc_label_policy *pol,
    uint64_t now, struct ccc_err *err) CCC_WUR;

#endif
