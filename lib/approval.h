/*
 * Approved key lifecycle changes: a proposal and the Ed25519 signatures of
 * those who approve it (ccc-share(1) approve, ccc(7) ccc/approved/v1).
 *
 * A proposal is a committee (ccc/committee/v1) that changes a key's
 * members or threshold, or makes a key that a node's operators must
 * approve, or the retirement of a key (ccc/retire/v1).  Each approver
 * signs (lib/identity.h)
 *
 *   "ccc/sig/v1" 0 || "ccc/approved/v1" || 0 || SHA-256(proposal bytes)
 *
 * a purpose no other signature uses: DKG messages and group confirmations
 * sign under their own blob types, oracles under "ccc/oracle/v1:" || type.
 * The proposal names the key, the epoch and (resharing, retiring) the
 * SHA-256 of the group it changes, so an approval of one change never
 * approves another, nor the same change of another epoch.
 *
 * Also here: the retirement of a key (ccc/retire/v1) and a node's
 * operators (ccc/operators/v1), the signers of its first DKG.
 */
#ifndef CCC_APPROVAL_H
#define CCC_APPROVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "blob.h"
#include "dkg.h"
#include "identity.h"

#define CCC_APPROVAL_PURPOSE "ccc/approved/v1"

/* An approved proposal; allocate with calloc (it is large), no secrets. */
struct ccc_approval {
	const uint8_t *prop;	/* the proposal's bytes, in the loaded buffer */
	size_t prop_len;
	const struct ccc_schema *type;	/* committee or retire */
	uint8_t digest[32];	/* SHA-256 of the proposal */
	uint32_t nsigs;		/* signers in strictly ascending id order */
	uint8_t id[CCC_DKG_MAX_N][CCC_ID_BYTES];
	uint8_t sig[CCC_DKG_MAX_N][CCC_ID_SIG_BYTES];
};

/*
 * Load p[0..len): an approved proposal, or a bare proposal (no signatures
 * yet).  a->prop points into p, which must outlive a.  CCC_E_TYPE for any
 * other blob.
 */
int ccc_approval_load(struct ccc_approval *a, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/* Add (or replace) k's signature; CCC_E_TOOBIG if there is no room. */
int ccc_approval_sign(struct ccc_approval *a, const struct ccc_identity *k)
    CCC_WUR;
/* The approved proposal (at least one signature) appended to b. */
int ccc_approval_encode(struct ccc_buf *b, const struct ccc_approval *a)
    CCC_WUR;

/*
 * Check a's signatures against the n signers m: every signer one of them
 * (CCC_E_POLICY), every signature good (CCC_E_SIGNATURE; a signature of
 * another proposal, e.g. of an older epoch, is one that is not), at least
 * need of them (CCC_E_POLICY).  For the messages, what names the change
 * ("a new key") and who the signers ("members of the group of epoch 3");
 * a signature is "approval N", N counted from 1.
 */
int ccc_approval_check(const struct ccc_approval *a,
    const struct ccc_dkg_member *m, uint32_t n, uint32_t need,
    const char *what, const char *who, struct ccc_err *err) CCC_WUR;

/* ---- ccc/retire/v1 ----------------------------------------------------- */

struct ccc_retire {
	uint8_t key_id[32];
	uint64_t epoch;		/* the epoch of the group retired */
	uint8_t group[32];	/* SHA-256 of that group blob */
};

int ccc_approval_retire_load(struct ccc_retire *r, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
int ccc_approval_retire_encode(struct ccc_buf *b, const struct ccc_retire *r)
    CCC_WUR;

/* ---- ccc/operators/v1 -------------------------------------------------- */

struct ccc_operators {
	uint32_t t, n;			/* t of the n must approve */
	struct ccc_dkg_member *m;	/* calloc'ed */
};

int ccc_approval_operators_load(struct ccc_operators *o, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
int ccc_approval_operators_encode(struct ccc_buf *b,
    const struct ccc_operators *o) CCC_WUR;
void ccc_approval_operators_free(struct ccc_operators *o);

#endif
