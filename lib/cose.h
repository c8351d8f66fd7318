/*
 * COSE_Sign1 (RFC 9052 section 4.2) with ECDSA (RFC 9053 section 2.1).
 *
 *   COSE_Sign1 = [ protected: bstr .cbor header_map, unprotected: map,
 *                  payload: bstr, signature: bstr ]
 *
 * tagged with 18 or untagged (AWS Nitro documents are untagged).  The
 * signature is raw r || s, each the size of the curve's field, over
 *
 *   Sig_structure = [ "Signature1", protected, external_aad, payload ]
 *
 * built from the protected header and payload bytes exactly as received:
 * nothing is ever re-encoded before it is verified.
 *
 * Decoding validates the framing first (ccc_cbor_check, foreign profile:
 * every declared length within the input, depth and size capped), then
 * reads the four fields into views of the input.  Header maps take
 * integer or text labels; duplicate labels, a label in both buckets and
 * critical parameters (label 2) are refused, since this decoder
 * understands none.
 */
#ifndef CCC_COSE_H
#define CCC_COSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "buf.h"
#include "ccc.h"

#define CCC_COSE_TAG_SIGN1 18
#define CCC_COSE_ALG_ES256 (-7)
#define CCC_COSE_ALG_ES384 (-35)
/* Largest COSE_Sign1 accepted (a Nitro document is at most ~16 KiB). */
#define CCC_COSE_MAX (64UL * 1024)
/* Its base64 form, with room for line breaks. */
#define CCC_COSE_B64_MAX (CCC_COSE_MAX / 3 * 4 + CCC_COSE_MAX / 16 + 64)
/* Header maps larger than this are refused (real ones hold 1 to 3). */
#define CCC_COSE_HEADER_MAX 16

/*
 * The software-mode marker: a text-labelled protected header parameter
 * (RFC 9052 allows text labels), so it is covered by the signature.
 */
#define CCC_COSE_MODE_LABEL "ccc-mode"
#define CCC_COSE_MODE_SOFTWARE "software"

/* A decoded COSE_Sign1: views into the input, valid while it lives. */
struct ccc_cose_sign1 {
	bool tagged;			/* tag 18 was present */
	const uint8_t *prot;		/* protected header bstr contents */
	size_t prot_len;
	size_t prot_count;		/* parameters in the protected map */
	size_t unprot_count;		/* ... in the unprotected map */
	const uint8_t *payload;
	size_t payload_len;
	long long payload_off;		/* its offset in the input */
	const uint8_t *sig;
	size_t sig_len;
	bool has_alg;			/* an integer alg was found */
	bool alg_protected;		/* ... in the protected header */
	bool alg_text;			/* alg is text (unsupported) */
	int64_t alg;
	bool software;			/* "ccc-mode": "software" */
};

/*
 * Decode exactly one COSE_Sign1 from p[0..len) (trailing bytes are an
 * error).  CCC_E_MALFORMED, CCC_E_TRUNCATED or CCC_E_TOOBIG with the byte
 * offset.  Does not allocate.
 */
int ccc_cose_sign1_decode(struct ccc_cose_sign1 *m, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;

/*
 * A COSE_Sign1 as documents travel: raw CBOR, first byte 0x84 (untagged)
 * or 0xd2 (tag 18), is used as given; anything else must be standard
 * base64 (padded or not, white space anywhere ignored) and is decoded into
 * dec.  *doc and *len then give the CBOR bytes (in p or in dec); nothing
 * of them is checked.  CCC_E_MALFORMED for neither (len 0 included),
 * CCC_E_NOMEM; no message is set: the caller names the input.
 */
int ccc_cose_unwrap(struct ccc_buf *dec, const uint8_t *p, size_t len,
    const uint8_t **doc, size_t *n) CCC_WUR;

/*
 * Append the Sig_structure for a COSE_Sign1 to b:
 * ["Signature1", prot, aad, payload], each byte string as given.
 */
int ccc_cose_sig_structure(struct ccc_buf *b, const uint8_t *prot,
    size_t prot_len, const uint8_t *aad, size_t aad_len,
    const uint8_t *payload, size_t payload_len) CCC_WUR;

/*
 * Append the Sig_structure of the decoded message m with external data
 * aad.  Protected header bytes are used as received, except that a
 * protected map with no parameters is signed as a zero-length bstr
 * whatever its encoding (RFC 9052 section 4.4: "if there are no protected
 * attributes, a zero-length byte string is used"; the WG example
 * sign-pass-01 carries h'A0' and was signed over h'').
 */
int ccc_cose_sign1_tbs(struct ccc_buf *b, const struct ccc_cose_sign1 *m,
    const uint8_t *aad, size_t aad_len) CCC_WUR;

/*
 * Verify m with the public key pub for algorithm alg (ES256 or ES384 only;
 * the key must be on the matching curve, P-256 or P-384) and external data
 * aad (NULL/0 for none).  The message's own alg (protected header, or the
 * unprotected one if the protected header has none) must equal alg.
 * CCC_E_SIGNATURE if the signature does not verify, CCC_E_FIELD for an
 * algorithm, key or signature-length mismatch, CCC_E_CRYPTO if OpenSSL
 * fails.
 */
int ccc_cose_sign1_verify(const struct ccc_cose_sign1 *m, EVP_PKEY *pub,
    int64_t alg, const uint8_t *aad, size_t aad_len, struct ccc_err *err)
    CCC_WUR;
/*
 * The same, an ES384 signature checked with tab, a table of pub's
 * multiples (lib/es384.h), when tab is not NULL: the same verdicts and
 * errors, in about a fifth of the time.
 */
struct ccc_es384_tab;
int ccc_cose_sign1_verify_tab(const struct ccc_cose_sign1 *m, EVP_PKEY *pub,
    const struct ccc_es384_tab *tab, int64_t alg, const uint8_t *aad,
    size_t aad_len, struct ccc_err *err) CCC_WUR;

/*
 * Sign payload with the P-384 key into an untagged COSE_Sign1 (the Nitro
 * layout) appended to out: protected {1: -35}, or with software
 * {1: -35, "ccc-mode": "software"}; unprotected {}; ES384 with SHA-384;
 * empty external_aad.  The key is only read.
 */
int ccc_cose_sign1_sign(struct ccc_buf *out, EVP_PKEY *key, bool software,
    const uint8_t *payload, size_t payload_len, struct ccc_err *err) CCC_WUR;

/*
 * An ES384 signature made before its message is known: a random nonce k
 * and kG (OpenSSL's ECDSA_sign_setup, its constant-time ladder), nearly
 * all of a P-384 signature's cost, so that a serving enclave pays it
 * between requests instead of during one.  Made for one key and used for
 * one signature only; the nonce is as secret as the key (freed with its
 * memory cleared, never copied).  NULL if key is not on P-384 or OpenSSL
 * fails (nothing is left on its error queue).
 */
struct ccc_cose_presign;
struct ccc_cose_presign *ccc_cose_presign_new(EVP_PKEY *key);
void ccc_cose_presign_free(struct ccc_cose_presign *ps);
/* The r a signature with ps will carry (tests). */
int ccc_cose_presign_r(const struct ccc_cose_presign *ps, uint8_t r[48]);

/*
 * ccc_cose_sign1_sign, with *pre if pre and *pre are not NULL: *pre is
 * taken (set to NULL, and freed once used) whatever the outcome.  A
 * presign made for another EVP_PKEY than key, or one OpenSSL cannot use
 * (s = 0), is dropped and the signature made afresh: the same document,
 * a signature as valid.
 */
int ccc_cose_sign1_sign_pre(struct ccc_buf *out, EVP_PKEY *key,
    bool software, struct ccc_cose_presign **pre, const uint8_t *payload,
    size_t payload_len, struct ccc_err *err) CCC_WUR;

#endif
