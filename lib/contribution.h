/*
 * A contribution (ccc/contribution/v1): one contributor's additive input
 * (ccc/additive/v2, its exact bytes), the contributor's Ed25519 identity
 * public key (lib/identity.h), and its signature of the input:
 *
 *   Ed25519 over "ccc/sig/v1" 0x00 "ccc/contribution/v1" 0x00
 *       SHA-256(input bytes)
 *
 * a purpose no other signature of the toolkit has (oracles sign under
 * "ccc/oracle/v1:" and a type, DKG messages under bare words).
 *
 * The input inside stays what it is: an aggregate, a node's record of
 * used inputs and its access log name it by its own digest, so one input
 * counts once, whoever wraps it.  Anyone holding an input may wrap it in
 * a contribution of its own key: it then counts for that key, not for its
 * maker (ccc-aggregate(1), SECURITY CONSIDERATIONS).
 */
#ifndef CCC_CONTRIBUTION_H
#define CCC_CONTRIBUTION_H

#include "additive.h"
#include "buf.h"
#include "identity.h"

#define CCC_CONTRIBUTION_PURPOSE "ccc/contribution/v1"
/* The largest contribution: its input, its key, its signature. */
#define CCC_CONTRIBUTION_MAX (CCC_ADD_INPUT_MAX + 256)

/* A decoded contribution: views into its blob. */
struct ccc_contribution {
	const uint8_t *input;	/* the ccc/additive/v2 blob */
	size_t input_len;
	const uint8_t *pk;	/* 32: the contributor's identity key */
	const uint8_t *sig;	/* 64 */
	uint8_t digest[32];	/* SHA-256 of the input */
};

/*
 * Decode a contribution (its form: the input is of the right type, not
 * decoded); base is p's offset for messages.
 */
int ccc_contribution_decode(struct ccc_contribution *c, const uint8_t *p,
    size_t len, long long base, struct ccc_err *err) CCC_WUR;
/* CCC_E_SIGNATURE unless c->sig is c->pk's signature of its input. */
int ccc_contribution_verify(const struct ccc_contribution *c,
    struct ccc_err *err) CCC_WUR;
/* Append the contribution of input[0..len) signed by id to out. */
int ccc_contribution_make(struct ccc_buf *out, const uint8_t *input,
    size_t len, const struct ccc_identity *id, struct ccc_err *err) CCC_WUR;

#endif
