/*
 * The AWS Nitro Enclaves attestation document payload (the COSE_Sign1
 * payload; aws-nitro-enclaves-nsm-api docs/attestation_process.md):
 *
 *   { "module_id": tstr, "digest": "SHA384", "timestamp": uint (ms),
 *     "pcrs": { uint (0..31) => bstr (32/48/64) }, 1 to 32 entries,
 *     "certificate": bstr (DER, 1..1024), "cabundle": [ + bstr (DER) ],
 *     "public_key": bstr / null, "user_data": bstr / null,
 *     "nonce": bstr / null }
 *
 * The reader is tolerant where real documents differ from the text of
 * the specification: keys in any order, optional fields absent or CBOR
 * null (what the NSM emits), user_data/nonce/public_key up to 1024 bytes
 * (the CDDL's limit, which real documents reach).  It is strict on the
 * rest: every field's type and size, no unknown or repeated keys,
 * module_id of printable ASCII.  Values are views into the input.
 *
 * The writer emits the NSM's key order with null for absent fields, so a
 * software document has the same shape as a hardware one.
 */
#ifndef CCC_NITRO_H
#define CCC_NITRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"

#define CCC_NITRO_PCRS 32		/* PCR indexes 0..31 */
#define CCC_NITRO_PCR_BYTES 48		/* SHA-384, what ccc writes */
#define CCC_NITRO_PCR_MAX 64		/* the largest the format allows */
#define CCC_NITRO_CERT_MAX 1024		/* each DER certificate */
#define CCC_NITRO_CABUNDLE_MAX 16
#define CCC_NITRO_FIELD_MAX 1024	/* public_key, user_data, nonce */
#define CCC_NITRO_MODULE_ID_MAX 256
#define CCC_NITRO_PAYLOAD_MAX 16384
/* module_id prefix of every software document. */
#define CCC_NITRO_SOFTWARE_PREFIX "ccc-software-"

/* A byte string view; present is false for an absent or null field. */
struct ccc_nitro_bytes {
	const uint8_t *p;
	size_t n;
	bool present;
};

struct ccc_nitro_doc {
	const char *module_id;		/* not NUL-terminated */
	size_t module_id_len;
	uint64_t timestamp_ms;
	struct ccc_nitro_bytes pcrs[CCC_NITRO_PCRS];
	size_t npcrs;
	struct ccc_nitro_bytes certificate;
	struct ccc_nitro_bytes cabundle[CCC_NITRO_CABUNDLE_MAX];
	size_t ncabundle;		/* cabundle[0] is the root */
	struct ccc_nitro_bytes public_key, user_data, nonce;
};

/*
 * Decode a payload from p[0..len); base is its offset in the document,
 * for messages.  CCC_E_MALFORMED/TRUNCATED/TOOBIG (framing, types, keys)
 * or CCC_E_FIELD (a value out of its bounds), with the byte offset.
 */
int ccc_nitro_decode(struct ccc_nitro_doc *d, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err) CCC_WUR;

/*
 * Append the payload of d to b (NSM key order, nulls for absent optional
 * fields, PCRs in ascending index order).  d must satisfy the decoder's
 * bounds: CCC_E_FIELD otherwise (nothing appended is then meaningful).
 */
int ccc_nitro_encode(struct ccc_buf *b, const struct ccc_nitro_doc *d)
    CCC_WUR;

/*
 * What an enclave states in a software document (the signer adds the
 * module_id, the digest, the certificate and the cabundle).  Pointers may
 * be NULL for absent fields; they are only read.
 */
struct ccc_nitro_claims {
	uint64_t timestamp_ms;		/* 0: now */
	const uint8_t *pcr[CCC_NITRO_PCRS];	/* 48 bytes each, or NULL */
	const uint8_t *public_key;
	size_t public_key_len;
	const uint8_t *user_data;
	size_t user_data_len;
	const uint8_t *nonce;
	size_t nonce_len;
};

#endif
