/*
 * Key lifecycle without a dealer: the blobs and the cryptographic checks of
 * the DKG and of resharing.  The protocol engine that drives them from a
 * node's state directory is lib/reshare.c; the rounds are documented in
 * ccc-share(1).
 *
 * Blobs (CBOR maps, key 0 the type; see the schema tables in dkg.c):
 *   ccc/committee/v1      a proposed transition: key id, epoch, attempt,
 *                         t, quorum, members, previous group digest,
 *                         deadlines, grace period.  sid = SHA-256 over
 *                         "ccc/share-sid/v1" 0 || its bytes.
 *   ccc/group/v1          the public result of a transition: the tpk
 *                         fields (keys 1-8, as ccc/tpk/v1) plus quorum,
 *                         members, sid, dealers used and their dealings'
 *                         digests, previous group digest.
 *   ccc/group-cert/v1     >= quorum member signatures over a group's digest.
 *   ccc/share-msg/v1      a signed protocol message: signer id, the exact
 *                         bytes of a body blob, Ed25519 signature over them
 *                         (lib/identity.h, purpose = the body's type).
 *   ccc/share-accept/v1   body: a new member takes part and publishes one
 *                         X25519 transport key per dealer.
 *   ccc/share-deal/v1     body: a dealer's commitments and one HPKE-sealed
 *                         sub-share per new member.
 *   ccc/share-respond/v1  body: a new member's complaints (possibly none),
 *                         each revealing the one transport secret key that
 *                         opens the disputed sub-share.
 *   ccc/share-confirm/v1  body: a new member's group, its signature over
 *                         the group and a proof of possession of its share.
 *   ccc/transport-key/v1  secret: the seed of a member's transport keys for
 *                         one transition.
 */
#ifndef CCC_DKG_H
#define CCC_DKG_H

#include <stdbool.h>

#include "blob.h"
#include "schemas.h"
#include "identity.h"
#include "tdh2.h"
#include "vss.h"

#define CCC_DKG_MAX_N 255
#define CCC_DKG_MSG_MAX (1UL << 20)
#define CCC_DKG_SUBSHARE_CT_BYTES (32 + 16)	/* HPKE(scalar) */


struct ccc_dkg_member {
	uint8_t id[CCC_ID_BYTES];
	uint8_t pk[CCC_ID_PK_BYTES];
	char name[CCC_ID_NAME_MAX + 1];
};

/* "3 (carol)" or "3": a member for messages; buf of at least 80 bytes. */
const char *ccc_dkg_member_label(const struct ccc_dkg_member *m, uint32_t i,
    char *buf, size_t len);
/*
 * A members array (ccc_schema_committee_member maps, as decoded into v):
 * ids match their keys, no member twice; *out is calloc'ed (free it).
 * base: the absolute offset of the bytes, for errors.
 */
int ccc_dkg_members_load(const struct ccc_val *v, struct ccc_dkg_member **out,
    long long base, struct ccc_err *err) CCC_WUR;
/* Append the n members' maps to b (the array head is the caller's). */
int ccc_dkg_members_encode(struct ccc_buf *b, const struct ccc_dkg_member *m,
    uint32_t n) CCC_WUR;
/* The 1-based index of id among the n members, 0 if none. */
uint32_t ccc_dkg_members_find(const struct ccc_dkg_member *m, uint32_t n,
    const uint8_t id[32]);

/* ---- committee ---------------------------------------------------------- */

struct ccc_committee {
	uint8_t key_id[32];
	uint64_t epoch;
	uint32_t attempt, t, q, n;
	struct ccc_dkg_member *m;	/* n members; member i is m[i-1] */
	bool has_prev;			/* resharing; a DKG has none */
	uint8_t prev[32];		/* SHA-256 of the previous group blob */
	uint64_t start, step, grace;
	uint8_t sid[32];
};

/*
 * Decode and check a committee (1 <= t <= q <= n, distinct members, a DKG
 * only at epoch 0); sets sid from the bytes.  Free with ccc_committee_free.
 */
int ccc_committee_load(struct ccc_committee *c, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/* Encode c and set c->sid. */
int ccc_committee_encode(struct ccc_buf *b, struct ccc_committee *c) CCC_WUR;
void ccc_committee_free(struct ccc_committee *c);
/* 1-based index of the member with this identity id, 0 if none. */
uint32_t ccc_committee_find(const struct ccc_committee *c,
    const uint8_t id[CCC_ID_BYTES]);
/* Deadline of round r (1 accept, 2 deal, 3 respond, 4 confirm). */
uint64_t ccc_committee_deadline(const struct ccc_committee *c, int r);

/* ---- group -------------------------------------------------------------- */

struct ccc_group {
	uint32_t t, n, q;
	uint64_t epoch;
	uint8_t key_id[32];
	uint8_t h[CCC_POINT_BYTES], gbar[CCC_POINT_BYTES];
	uint8_t (*hi)[CCC_POINT_BYTES];	/* n */
	struct ccc_dkg_member *m;	/* n */
	uint8_t sid[32];
	uint32_t ndealers;
	uint8_t dealers[CCC_DKG_MAX_N];	/* ascending dealer indices */
	uint8_t (*deals)[32];		/* ndealers dealing digests */
	bool has_prev;
	uint8_t prev[32];
	uint8_t digest[32];		/* SHA-256 of the group blob */
};

/*
 * Decode and check a group: every point valid, g_bar the hash to curve of
 * the key id, 1 <= t <= q <= n, distinct members, dealers ascending.
 * Sets digest.  Free with ccc_group_free.
 */
int ccc_group_load(struct ccc_ec *ec, struct ccc_group *g, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
/* Encode g and set g->digest. */
int ccc_group_encode(struct ccc_buf *b, struct ccc_group *g) CCC_WUR;
void ccc_group_free(struct ccc_group *g);
/* The threshold public key of a group (allocates pub, see tdh2.h). */
int ccc_group_pub(struct ccc_ec *ec, const struct ccc_group *g,
    struct ccc_tdh2_pub *pub, struct ccc_err *err) CCC_WUR;
/* 1-based index of the member with this identity id, 0 if none. */
uint32_t ccc_group_find(const struct ccc_group *g,
    const uint8_t id[CCC_ID_BYTES]);

/* ---- certificate -------------------------------------------------------- */

/* Purpose string of a member's signature over a group's digest. */
#define CCC_GROUP_SIG_PURPOSE "ccc/group/v1"

struct ccc_group_cert {
	uint8_t group[32];
	uint64_t epoch;
	uint32_t nsigs;
	uint8_t idx[CCC_DKG_MAX_N];	/* ascending member indices */
	uint8_t sig[CCC_DKG_MAX_N][CCC_ID_SIG_BYTES];
};

int ccc_group_cert_load(struct ccc_group_cert *c, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
int ccc_group_cert_encode(struct ccc_buf *b, const struct ccc_group_cert *c)
    CCC_WUR;
/*
 * Check that c certifies g: same digest and epoch, and at least g->q
 * valid signatures of distinct members.  CCC_E_KEY for a certificate of
 * another group, CCC_E_SIGNATURE (naming the first bad signer, or the
 * count) otherwise.
 */
int ccc_group_cert_verify(const struct ccc_group *g,
    const struct ccc_group_cert *c, struct ccc_err *err) CCC_WUR;
/* Add member i's signature (keeps idx ascending; no-op if present). */
void ccc_group_cert_add(struct ccc_group_cert *c, uint32_t i,
    const uint8_t sig[CCC_ID_SIG_BYTES]);

/* ---- messages ----------------------------------------------------------- */

enum ccc_msg_kind { CCC_MSG_ACCEPT, CCC_MSG_DEAL, CCC_MSG_RESPOND,
    CCC_MSG_CONFIRM, CCC_MSG_NKINDS };

/* "accept", "deal", "respond", "confirm". */
extern const char *const ccc_msg_kind_name[CCC_MSG_NKINDS];

struct ccc_complaint {
	uint32_t dealer;
	uint8_t key[32];	/* the revealed X25519 secret key */
};

/* A decoded message: arrays are copies, the rest views into its bytes. */
struct ccc_msg {
	int kind;
	uint8_t signer[CCC_ID_BYTES];
	uint8_t sig[CCC_ID_SIG_BYTES];
	const uint8_t *body;
	size_t body_len;
	uint8_t digest[32];	/* SHA-256 of the whole signed message */
	uint8_t sid[32];
	uint64_t epoch;
	uint32_t from;		/* member index, or dealer index for a deal */
	/* accept */
	uint32_t nkeys;
	uint8_t (*keys)[32];
	/* deal */
	uint32_t t, n;
	uint8_t (*commits)[CCC_POINT_BYTES];
	bool has_pok;
	uint8_t pok[CCC_VSS_PROOF_BYTES];
	uint8_t (*enc)[32];
	uint8_t (*ct)[CCC_DKG_SUBSHARE_CT_BYTES];
	/* respond */
	uint32_t ncomplaints;
	struct ccc_complaint *complaints;
	/* confirm */
	const uint8_t *group;
	size_t group_len;
	uint8_t gsig[CCC_ID_SIG_BYTES];
	uint8_t pop[CCC_VSS_PROOF_BYTES];
};

/*
 * Decode a signed message (not its signature: see ccc_msg_verify).  Free
 * with ccc_msg_free; views stay valid while p does.
 */
int ccc_msg_decode(struct ccc_msg *m, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
void ccc_msg_free(struct ccc_msg *m);
/* Check the signature with the signer's public key: CCC_E_SIGNATURE. */
int ccc_msg_verify(const struct ccc_msg *m, const uint8_t pk[CCC_ID_PK_BYTES])
    CCC_WUR;
/* Wrap a body blob of schema s into a signed message appended to out. */
int ccc_msg_sign(struct ccc_buf *out, const struct ccc_identity *id,
    const struct ccc_schema *s, const uint8_t *body, size_t len) CCC_WUR;

/* Body encoders (append to b). */
int ccc_accept_encode(struct ccc_buf *b, const uint8_t sid[32],
    uint64_t epoch, uint32_t index, const uint8_t (*keys)[32], uint32_t nkeys)
    CCC_WUR;
int ccc_respond_encode(struct ccc_buf *b, const uint8_t sid[32],
    uint64_t epoch, uint32_t index, const struct ccc_complaint *c,
    uint32_t nc) CCC_WUR;
int ccc_confirm_encode(struct ccc_buf *b, const uint8_t sid[32],
    uint64_t epoch, uint32_t index, const uint8_t *group, size_t group_len,
    const uint8_t gsig[CCC_ID_SIG_BYTES],
    const uint8_t pop[CCC_VSS_PROOF_BYTES]) CCC_WUR;

/* ---- cryptographic steps ------------------------------------------------ */

/* Transport key seeds: a blob ccc/transport-key/v1 {sid, seed}. */
int ccc_transport_encode(struct ccc_buf *b, const uint8_t sid[32],
    const uint8_t seed[32]) CCC_WUR;
int ccc_transport_load(uint8_t sid[32], uint8_t seed[32], const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;

/*
 * A member's X25519 key pair for the sub-shares of one dealer, derived
 * from its per-transition seed: DeriveKeyPair(HMAC-SHA256(seed,
 * "ccc/share-transport/v1" || u8 dealer)).  One key per dealer, so that a
 * complaint can reveal the key of exactly one sealed sub-share.
 */
int ccc_transport_keypair(uint8_t sk[32], uint8_t pk[32],
    const uint8_t seed[32], uint32_t dealer) CCC_WUR;

/*
 * Test hooks: deliberate misbehaviour, used only by the test helper; only
 * in a build configured with --enable-test-hooks (elsewhere NULL).
 */
struct ccc_dkg_tamper;
#ifdef CCC_TEST_HOOKS
struct ccc_dkg_tamper {
	uint32_t bad_subshare;		/* deal: corrupt this member's */
	uint32_t false_complaint;	/* respond: accuse this dealer */
};
#endif

/*
 * Make dealer `dealer`'s dealing of secret for n recipients, threshold t:
 * keys[j-1] is recipient j's transport key for this dealer, or NULL for a
 * member that did not accept (its sealed slot is all zero).  With pok, a
 * Schnorr proof of knowledge of the secret (DKG) bound to sid and dealer.
 * The body is appended to b; the polynomial is cleared.
 */
int ccc_deal_make(struct ccc_ec *ec, struct ccc_buf *b, const uint8_t sid[32],
    uint64_t epoch, uint32_t dealer, uint32_t t, uint32_t n,
    const uint8_t *const *keys, const BIGNUM *secret, bool pok,
    const struct ccc_dkg_tamper *tamper, struct ccc_err *err) CCC_WUR;

/*
 * The public checks of a dealing, before anyone opens it: t commitments,
 * n slots, every point valid; for a DKG (pin NULL) a valid proof of
 * knowledge of C_0; for resharing C_0 == pin, the dealer's h_i of the old
 * group.  C[0..t-1] (allocated by the caller) receive the commitments.
 */
int ccc_deal_check(struct ccc_ec *ec, const struct ccc_msg *d, uint32_t t,
    uint32_t n, const uint8_t *pin, EC_POINT **C, struct ccc_err *err)
    CCC_WUR;

/*
 * Open recipient j's sub-share of a checked dealing with the transport
 * secret key sk, into y (secure), and check it against the commitments
 * (C NULL: not checked, for a caller that checks the sum of the
 * sub-shares instead, and each only when the sum fails).
 * CCC_E_DECRYPT (not dealt to j, or the seal does not open),
 * CCC_E_SCALAR (not a scalar), CCC_E_SHARE (Feldman check fails).
 */
int ccc_subshare_open(struct ccc_ec *ec, BIGNUM *y, const struct ccc_msg *d,
    EC_POINT *const *C, uint32_t j, const uint8_t sk[32]) CCC_WUR;

/*
 * Judge member j's complaint against a checked dealing: keypk is the
 * transport key j published for this dealer.  Returns 1 if the dealer is
 * guilty (the revealed key is j's and the sub-share it opens is bad), 0 if
 * the complainer is (wrong key, or a good sub-share), negative on error.
 */
int ccc_complaint_judge(struct ccc_ec *ec, const struct ccc_msg *d,
    EC_POINT *const *C, uint32_t j, const struct ccc_complaint *c,
    const uint8_t keypk[32]) CCC_WUR;

/* Proof-of-knowledge contexts: sid || u8 index. */
#define CCC_DKG_POK_TAG "ccc/share-pok/v1"
#define CCC_DKG_POP_TAG "ccc/share-pop/v1"
void ccc_dkg_proof_ctx(uint8_t ctx[33], const uint8_t sid[32], uint32_t i);

#endif
