/*
 * TDH2 labels and how a ciphertext's context spells them (lib/label.c).
 *
 * A context is a string of 1 to CCC_CONTEXT_MAX bytes; no context means
 * the all-zero label.  Three prefixes spell labels that are not SHA-256 of
 * the context, so that ciphertexts of Chainlink's Vault DON carry their
 * label through ccc's blobs and policies unchanged:
 *
 *   owner:0x<40 lowercase hex>  12 zero bytes || the 20-byte address
 *                               (Chainlink's WorkflowOwnerToLabel)
 *   org:<id>                    SHA-256(id) (Chainlink's OrgIDToLabel)
 *   label:<64 lowercase hex>    the 32 bytes themselves
 *
 * Each label has one spelling among these: a raw label that is all zero
 * (unlabelled) or starts with 12 zero bytes (an owner label) is refused,
 * as are upper-case digits and a zero owner address.  Any other context
 * is hashed.
 */
#ifndef CCC_LABEL_H
#define CCC_LABEL_H

#include <stddef.h>
#include <stdint.h>

#include "ccc.h"

#define CCC_LABEL_BYTES 32
/* The longest owner: or label: spelling, with its NUL. */
#define CCC_LABEL_SPELL_MAX 72

enum ccc_label_kind {
	CCC_LABEL_OWNER,	/* arg: the address, 0x and 40 hex digits */
	CCC_LABEL_ORG,		/* arg: the org id */
	CCC_LABEL_RAW		/* arg: 64 hex digits */
};

/*
 * The label of a context (NULL: none, 32 zero bytes).  CCC_E_FIELD, with
 * the reason, when the context starts with owner:, org: or label: and is
 * not a canonical spelling.
 */
int ccc_label(uint8_t out[32], const char *context, size_t len,
    struct ccc_err *err) CCC_WUR;
/*
 * The canonical context of a label given as kind and arg (either case of
 * hex digits) into out (cap bytes, NUL-terminated).  CCC_E_USAGE with the
 * reason when arg is not one.
 */
int ccc_label_spell(char *out, size_t cap, enum ccc_label_kind kind,
    const char *arg, struct ccc_err *err) CCC_WUR;
/*
 * The context that spells a bare label: "" for all zero (unlabelled),
 * owner:0x... when it starts with 12 zero bytes, label:<hex> otherwise.
 */
void ccc_label_name(char out[CCC_LABEL_SPELL_MAX], const uint8_t label[32]);

#endif
