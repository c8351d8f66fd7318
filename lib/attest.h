/*
 * Attestation documents in the AWS Nitro Enclaves shape: verification
 * against an operator's policy, and the software-mode signer.
 *
 * A document is a COSE_Sign1 (lib/cose.h, ES384) over a Nitro payload
 * (lib/nitro.h) whose certificate chains through its cabundle to a root.
 * Two kinds of root exist, and the policy pins each by the SHA-256 of its
 * DER encoding:
 *
 *   aws-nitro  the AWS Nitro Enclaves root: a hardware enclave's document;
 *   software   an operator's own P-384 root (ccc-keygen attest-root): a
 *              process claims what it ran, nothing isolates it.  Such a
 *              document says so three times, all covered by signatures:
 *              protected header "ccc-mode": "software", module_id
 *              "ccc-software-<enclave id>", and a leaf certificate whose
 *              CN is that module_id.  It is accepted only where the policy
 *              says "allow-software yes", and every report calls it
 *              "software, not hardware-backed".
 *
 * ccc_attest_verify() runs the checks in this order and stops at the first
 * failure, recording its reason (enum ccc_attest_reason, whose word starts
 * the error detail):
 *
 *   malformed document    COSE, payload, leaf certificate, header shape,
 *                         software marks (the cabundle is decoded just
 *                         before the chain is checked)
 *   unsupported algorithm COSE alg not ES384, leaf key not P-384 or its
 *                         signature not ecdsa-with-SHA384
 *   software not allowed  a software document, policy without
 *                         allow-software
 *   untrusted root        cabundle[0] is not a pinned root
 *   bad signature         the COSE_Sign1 signature, with the leaf's key
 *   expired, not yet valid  a certificate outside its validity at the
 *                         check time
 *   bad certificate chain any other X.509 path validation failure
 *   from the future, stale  timestamp against the check time
 *   debug not allowed     all-zero or no PCR0 (a Nitro debug-mode enclave)
 *   measurement not allowed  no measurement set of the policy matches
 *   binding mismatch      user_data, public_key, nonce, a PCR or the
 *                         signing enclave (its certificate's SHA-256)
 *                         differs from what the caller expected
 */
#ifndef CCC_ATTEST_H
#define CCC_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"
#include "nitro.h"

enum ccc_attest_kind {
	CCC_ATTEST_KIND_NONE = 0,
	CCC_ATTEST_KIND_AWS_NITRO = 1,
	CCC_ATTEST_KIND_SOFTWARE = 2
};

enum ccc_attest_reason {
	CCC_ATTEST_OK = 0,
	CCC_ATTEST_MALFORMED,		/* "malformed document" */
	CCC_ATTEST_ALGORITHM,		/* "unsupported algorithm" */
	CCC_ATTEST_SOFTWARE,		/* "software not allowed" */
	CCC_ATTEST_UNTRUSTED_ROOT,	/* "untrusted root" */
	CCC_ATTEST_EXPIRED,		/* "expired" */
	CCC_ATTEST_NOT_YET_VALID,	/* "not yet valid" */
	CCC_ATTEST_BAD_CHAIN,		/* "bad certificate chain" */
	CCC_ATTEST_BAD_SIGNATURE,	/* "bad signature" */
	CCC_ATTEST_FUTURE,		/* "from the future" */
	CCC_ATTEST_STALE,		/* "stale" */
	CCC_ATTEST_DEBUG,		/* "debug not allowed" */
	CCC_ATTEST_MEASUREMENT,		/* "measurement not allowed" */
	CCC_ATTEST_BINDING,		/* "binding mismatch" */
	CCC_ATTEST_OTHER		/* out of memory, OpenSSL failure */
};

/* The stable reason word ("untrusted root", ...); "ok" for CCC_ATTEST_OK. */
const char *ccc_attest_reason_word(enum ccc_attest_reason r);
/* "aws-nitro", "software" (policy kind names); "none" otherwise. */
const char *ccc_attest_kind_name(enum ccc_attest_kind k);

/* ---- policy -------------------------------------------------------------- */

#define CCC_ATTEST_MAX_ROOTS 16
#define CCC_ATTEST_MAX_SETS 32
#define CCC_ATTEST_NAME_MAX 64
#define CCC_ATTEST_POLICY_MAX (64UL * 1024)
#define CCC_ATTEST_MAX_AGE_DEFAULT 300		/* seconds */
#define CCC_ATTEST_SKEW_DEFAULT 30		/* seconds */

struct ccc_attest_root {
	enum ccc_attest_kind kind;
	uint8_t sha256[32];		/* of the certificate's DER */
	char name[CCC_ATTEST_NAME_MAX + 1];
};

/* A measurement set: every PCR it names must have exactly its value. */
struct ccc_attest_mset {
	char name[CCC_ATTEST_NAME_MAX + 1];
	uint8_t len[CCC_NITRO_PCRS];	/* 0: not pinned */
	uint8_t value[CCC_NITRO_PCRS][CCC_NITRO_PCR_MAX];
};

/*
 * A policy.  Build it from a file with ccc_attest_policy_load(), or fill
 * one from ccc_attest_policy_new() (which sets the defaults: max age 300 s,
 * skew 30 s, no software, no debug, no roots, no measurement set).
 */
struct ccc_attest_policy {
	struct ccc_attest_root roots[CCC_ATTEST_MAX_ROOTS];
	size_t nroots;
	struct ccc_attest_mset sets[CCC_ATTEST_MAX_SETS];
	size_t nsets;
	bool any_measurement;		/* "measurements any" */
	uint64_t max_age_ms;
	uint64_t future_skew_ms;
	bool allow_software;
	bool allow_debug;
	/*
	 * "require-challenge yes": an enclave's per-request key must have
	 * been made with a challenge (ccc-enclave-run keygen -n), which binds
	 * it to one request.
	 */
	bool require_challenge;
};

/* A policy with the defaults, or NULL if out of memory. */
struct ccc_attest_policy *ccc_attest_policy_new(void);
void ccc_attest_policy_free(struct ccc_attest_policy *pol);
/*
 * Parse the text format (see ccc-attest-verify(1)) into pol, which must
 * come from ccc_attest_policy_new().  dir is the directory relative
 * certificate paths are taken from (NULL: the current one).
 * CCC_E_MALFORMED with "line N: ..." in the detail, CCC_E_IO for an
 * unreadable certificate file.
 */
int ccc_attest_policy_parse(struct ccc_attest_policy *pol, const char *text,
    size_t len, const char *dir, struct ccc_err *err) CCC_WUR;
/* Read and parse a policy file; err->what names it. */
int ccc_attest_policy_load(struct ccc_attest_policy *pol, const char *path,
    struct ccc_err *err) CCC_WUR;

/* ---- verification -------------------------------------------------------- */

/*
 * What the caller expects the document to carry: the binding to a request
 * or a result.  NULL pointers are not checked; a non-NULL one must equal
 * the document's field exactly (an absent field never matches).  A
 * verifier binding a result to its request fills it from them: user_data
 * = the binding digest (ccc_result_binding), public_key = the request's
 * per-request enclave key, pcr[CCC_PCR_CODE] = the request's code
 * measurement (lib/result.h).
 */
struct ccc_attest_expect {
	const uint8_t *user_data;
	size_t user_data_len;
	const uint8_t *public_key;
	size_t public_key_len;
	const uint8_t *nonce;
	size_t nonce_len;
	const uint8_t *pcr[CCC_NITRO_PCRS];
	size_t pcr_len[CCC_NITRO_PCRS];
	/*
	 * The enclave that must have signed: the SHA-256 of the document's
	 * certificate (its enclave id, ccc_attest_signer_id), 32 bytes.
	 */
	const uint8_t *enclave_id;
};

/*
 * The verified claims: copies, so the document may be freed; root and
 * measurements point into the policy.
 */
struct ccc_attest_report {
	enum ccc_attest_reason reason;	/* CCC_ATTEST_OK when verified */
	enum ccc_attest_kind kind;
	const struct ccc_attest_root *root;	/* in the policy */
	char module_id[CCC_NITRO_MODULE_ID_MAX + 1];
	uint64_t timestamp_ms;
	uint64_t checked_at_ms;		/* the check time used */
	uint8_t pcr_len[CCC_NITRO_PCRS];	/* 0: absent */
	uint8_t pcr[CCC_NITRO_PCRS][CCC_NITRO_PCR_MAX];
	bool debug;			/* all-zero or no PCR0, allowed */
	const char *measurements;	/* set name in the policy, or "any" */
	bool has_public_key, has_user_data, has_nonce;
	size_t public_key_len, user_data_len, nonce_len;
	uint8_t public_key[CCC_NITRO_FIELD_MAX];
	uint8_t user_data[CCC_NITRO_FIELD_MAX];
	uint8_t nonce[CCC_NITRO_FIELD_MAX];
	char leaf_subject[256];		/* RFC 2253, truncated */
	uint8_t enclave_id[32];		/* SHA-256 of the leaf's DER */
};

/* Check times for ccc_attest_verify(), besides milliseconds >= 0. */
#define CCC_ATTEST_AT_NOW (-1)
#define CCC_ATTEST_AT_DOCUMENT (-2)	/* the document's own timestamp */

/*
 * Verify the document doc[0..len) (raw CBOR COSE_Sign1, tagged or not)
 * under pol at the check time at_ms (milliseconds since the epoch, or one
 * of the two above), with the binding expect (NULL: none).  On success
 * returns 0 and fills rep; on failure returns a negative code, sets
 * rep->reason and err, whose detail starts with the reason word:
 *
 *   CCC_E_MALFORMED/TRUNCATED/TOOBIG/FIELD  malformed document
 *   CCC_E_EXPIRED      expired, not yet valid
 *   CCC_E_SIGNATURE    bad signature
 *   CCC_E_ATTEST       every other refusal
 *   CCC_E_NOMEM, CCC_E_CRYPTO  could not verify
 *
 * rep must not be NULL.  Nothing is allocated past the call.
 */
int ccc_attest_verify(const uint8_t *doc, size_t len,
    const struct ccc_attest_policy *pol,
    const struct ccc_attest_expect *expect, int64_t at_ms,
    struct ccc_attest_report *rep, struct ccc_err *err) CCC_WUR;

/*
 * Parse a check time: seconds since the epoch ("1725721200"), RFC 3339 UTC
 * ("2024-09-07T15:00:00Z", optional ".sss"), "now" or "document".
 * Returns 0 and *at_ms, or -1.
 */
int ccc_attest_parse_time(const char *s, int64_t *at_ms);
/* Milliseconds since the epoch, now. */
int64_t ccc_attest_now_ms(void);
/* RFC 3339 UTC with milliseconds into buf (at least 32 bytes). */
void ccc_attest_format_time(char *buf, size_t size, uint64_t ms);

/* ---- software mode: the enclave's signer --------------------------------- */

/*
 * A new software attestation root named name (NULL: "ccc"): its PEM
 * secret file (PKCS#8 P-384 key and self-signed CA certificate) appended
 * to sec, which should be a secure buffer, and its certificate to pub.
 */
int ccc_attest_root_new(struct ccc_buf *sec, struct ccc_buf *pub,
    const char *name, struct ccc_err *err) CCC_WUR;
/*
 * A new enclave identity under the root in rootfile (a secret file): its
 * PEM secret file (key, certificate, root certificate) appended to sec,
 * its certificate chain to pub.
 */
int ccc_attest_enclave_new(struct ccc_buf *sec, struct ccc_buf *pub,
    const char *rootfile, const char *id, struct ccc_err *err) CCC_WUR;

/*
 * An enclave's software attestation identity, loaded from the key file
 * `ccc-keygen enclave-cert` writes (PEM: PKCS#8 P-384 private key, the
 * enclave certificate, the root certificate).  The key lives in OpenSSL's
 * memory and is freed (cleared) by ccc_attest_signer_free().
 */
struct ccc_attest_signer;

/*
 * Load a signer from path (a secret file: mode 0600 or stricter, else
 * CCC_E_PERM).  The key must match the certificate, the certificate must
 * be issued by the root and carry a "ccc-software-" CN (CCC_E_KEY).
 */
int ccc_attest_signer_load(struct ccc_attest_signer **s, const char *path,
    struct ccc_err *err) CCC_WUR;
void ccc_attest_signer_free(struct ccc_attest_signer *s);
/* The module_id its documents carry: "ccc-software-<enclave id>". */
const char *ccc_attest_signer_module_id(const struct ccc_attest_signer *s);
/*
 * An enclave's id: the SHA-256 of its leaf certificate (DER), which every
 * document it signs carries.  From its signer, or from the first
 * certificate of a PEM chain file (what ccc-keygen enclave-cert -p writes).
 */
void ccc_attest_signer_id(const struct ccc_attest_signer *s, uint8_t id[32]);
int ccc_attest_chain_id(const char *path, uint8_t id[32],
    struct ccc_err *err) CCC_WUR;

/*
 * Append to doc a software attestation document: an untagged COSE_Sign1,
 * ES384, protected {1: -35, "ccc-mode": "software"}, over the Nitro payload
 * {module_id of the signer, "SHA384", claims' timestamp (0: now), claims'
 * PCRs (at least one), the enclave certificate, cabundle [root],
 * public_key, user_data, nonce (absent ones as null)}.  CCC_E_FIELD for
 * claims out of the format's bounds (no PCR, a field over 1024 bytes).
 * The signature takes the signer's presign if it holds one.
 */
int ccc_attest_sign_software(struct ccc_buf *doc,
    struct ccc_attest_signer *s, const struct ccc_nitro_claims *claims,
    struct ccc_err *err) CCC_WUR;
/*
 * Make the next signature's nonce and its point now, if the signer holds
 * none (lib/cose.h, ccc_cose_presign_new): a serving enclave does it once
 * an answer is out, so that the next document's signature costs one
 * multiplication instead of a P-384 scalar multiplication (about 1.2 ms
 * here).  Kept in OpenSSL's memory as the key is, cleared when used or
 * with the signer; a failure only leaves the next signature to make its
 * own.
 */
void ccc_attest_signer_presign(struct ccc_attest_signer *s);

#endif
