/*
 * The transition engine of ccc-share, private to lib/ops/reshare*.c:
 * reshare.c runs the rounds, reshare_start.c begins and aborts a
 * transition, reshare_load.c loads a transition's state,
 * reshare_commit.c commits a certified group and erases old shares,
 * reshare_spool.c sends our messages and takes in the others' (in/ ->
 * pending/msgs), reshare_status.c is the read-only report of
 * ccc-share status, and reshare_auth.c decides who may change the key
 * (approvals, retirement).
 */
#ifndef CCC_OPS_RESHARE_H
#define CCC_OPS_RESHARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dkg.h"
#include "ops.h"
#include "keystate.h"

/* A received or own message of the pending transition. */
struct slot {
	struct ccc_buf raw;
	struct ccc_msg m;
	bool have, equiv;	/* equiv: a second, different message seen */
};

/* Verdicts on a dealer, from rs_qualify(). */
enum { V_MISSING, V_BAD, V_EQUIV, V_GUILTY, V_LIAR, V_OK };

struct tx {
	struct ccc_keystate st;
	struct ccc_ec *ec;
	const struct ccc_node_opts *o;
	uint64_t now;
	bool has_cur, pending, reshare, has_seed;
	bool exclusive;			/* opened to advance, not to read */
	uint64_t cur;
	struct ccc_committee cm;
	struct ccc_group old;		/* resharing: the group dealt from */
	uint32_t D, n;			/* dealers, new members */
	const struct ccc_dkg_member *dm;	/* dealer identities */
	uint32_t me_d, me_m;		/* my dealer and member index, or 0 */
	struct slot *s[CCC_MSG_NKINDS];	/* [kind][1..max(D, n)] */
	EC_POINT ***C;			/* [dealer]: checked commitments */
	int *checked;			/* [dealer]: 0 not yet, 1 ok, -1 bad */
	char (*why)[160];		/* [dealer]: why it is excluded */
	int *verdict;			/* [dealer] */
	uint32_t *liar;			/* [member]: dealer falsely accused */
	uint8_t *seed;			/* 32 bytes, sodium_malloc */
	char sid8[9];
};

/* Shared by the files of the engine (defined in the one named). */

/* reshare.c: messages, labels, the rounds */
void rs_say(const struct tx *x, const char *fmt, ...) CCC_PRINTF(2, 3);
const char *rs_member_label(const struct tx *x, uint32_t j, char *buf,
    size_t len);
const char *rs_dealer_label(const struct tx *x, uint32_t i, char *buf,
    size_t len);
uint32_t rs_count_have(const struct tx *x, int kind);
bool rs_deal_ok(struct tx *x, uint32_t i);
int rs_qualify(struct tx *x, struct ccc_err *err) CCC_WUR;
/* Every step that can be taken now (advance, and after a start). */
int rs_run(struct tx *x, struct ccc_err *err) CCC_WUR;
int rs_derive(struct tx *x, const uint8_t *S, uint32_t k, BIGNUM *xj,
    struct ccc_buf *gb, struct ccc_group *g, struct ccc_err *err) CCC_WUR;
int rs_share_blob(struct tx *x, struct ccc_buf *b, const BIGNUM *xj,
    struct ccc_err *err) CCC_WUR;
int rs_confirm(struct tx *x, const struct ccc_group *g,
    const struct ccc_buf *gb, const BIGNUM *xj, struct ccc_err *err) CCC_WUR;

/* reshare_load.c: the transition's state, opened and closed */
int rs_tx_open(struct tx *x, const struct ccc_node_opts *o, int mode,
    struct ccc_err *err) CCC_WUR;
void rs_tx_close(struct tx *x);
void rs_tx_free_pending(struct tx *x);
int rs_load_pending(struct tx *x, struct ccc_err *err) CCC_WUR;
int rs_load_group(struct tx *x, struct ccc_group *g, uint64_t e,
    struct ccc_err *err) CCC_WUR;
int rs_load_share(struct tx *x, struct ccc_share *sh, uint64_t e,
    struct ccc_err *err) CCC_WUR;
uint32_t rs_slot_max(const struct tx *x, int kind);
/* This node's index among the senders of kind (dealer or member), or 0. */
uint32_t rs_own_index(const struct tx *x, int kind);

/* reshare_commit.c: the commit and the erasure of old shares */
int rs_finish(struct tx *x, struct ccc_err *err) CCC_WUR;
int rs_try_commit(struct tx *x, struct ccc_err *err) CCC_WUR;
int rs_erase_old(struct tx *x, struct ccc_err *err) CCC_WUR;
bool rs_committed_at(struct tx *x, uint64_t e, uint64_t *t, uint64_t *grace);
int rs_epoch_dirs(struct tx *x, uint64_t **es, size_t *n,
    struct ccc_err *err) CCC_WUR;

/* reshare_auth.c: who may change the key */
struct ccc_approval;
int rs_retired(const struct ccc_keystate *st, struct ccc_err *err) CCC_WUR;
int rs_authorise(struct tx *x, const struct ccc_committee *cm,
    const struct ccc_approval *a, const struct ccc_group *og,
    struct ccc_err *err) CCC_WUR;

/* reshare_spool.c: our messages out, the others' in */
int rs_out_name(char *buf, size_t len, uint64_t epoch, const char *sid8,
    int kind, uint32_t i) CCC_WUR;
int rs_emit(struct tx *x, int kind, uint32_t i, const struct ccc_buf *body,
    struct ccc_err *err) CCC_WUR;
int rs_resend(struct tx *x, struct ccc_err *err) CCC_WUR;
int rs_intake(struct tx *x, struct ccc_err *err) CCC_WUR;

#endif
