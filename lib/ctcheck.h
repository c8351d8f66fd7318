/*
 * Validity checks of many ccc ciphertexts under one key (lib/ctcheck.c).
 *
 * A ciphertext that carries its proof's commitments (struct ccc_ct, w and
 * w_bar) can be checked together with others in one multi-scalar
 * multiplication (ccc_tdh2_verify_batch, lib/batchverify.h); one without
 * them is checked alone.  Either way the verdicts, and the error of the
 * first bad ciphertext in input order, are those of checking each alone:
 * a batch that fails is checked again one by one, and the commitments are
 * only a hint, the proof (e, f) decides.
 */
#ifndef CCC_CTCHECK_H
#define CCC_CTCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ctsrc.h"
#include "keys.h"
#include "tdh2.h"

#define CCC_CT_CHECK_BATCH 64	/* ciphertexts in one multiplication */

/*
 * A stream of ciphertexts checked in input order: each is checked when it
 * is added (no commitments), or with the ones that follow (commitments),
 * at the latest when CCC_CT_CHECK_BATCH wait or at ccc_ct_check_flush.
 * Whatever the mix, an error is that of the first bad ciphertext, with its
 * item number and input name set in err (ccc_err_item, ccc_err_what).
 */
struct ccc_ct_check {
	struct ccc_ec *ec;
	const struct ccc_tdh2_pub *pub;
	size_t n;
	struct ccc_tdh2_ct ct[CCC_CT_CHECK_BATCH];
	uint8_t comm[CCC_CT_CHECK_BATCH][2][CCC_POINT_BYTES];
	long item[CCC_CT_CHECK_BATCH];
	const char *name[CCC_CT_CHECK_BATCH];	/* or NULL */
};

void ccc_ct_check_init(struct ccc_ct_check *c, struct ccc_ec *ec,
    const struct ccc_tdh2_pub *pub);
/* Check ct, item `item` of input `name` (NULL: leave err's), now or later. */
int ccc_ct_check_add(struct ccc_ct_check *c, const struct ccc_ct *ct,
    long item, const char *name, struct ccc_err *err) CCC_WUR;
/* Check every ciphertext still waiting. */
int ccc_ct_check_flush(struct ccc_ct_check *c, struct ccc_err *err) CCC_WUR;
/*
 * The input ended with rc (0, or an error already in err): those still
 * waiting came before it and are checked first; the first of them that
 * fails replaces it.
 */
int ccc_ct_check_end(struct ccc_ct_check *c, int rc, struct ccc_err *err)
    CCC_WUR;

/*
 * For the engines that check a batch of ciphertexts (lib/ctsrc.h) on
 * worker threads, before they take them one by one: chunk j of b's
 * ciphertexts (CCC_CT_CHECK_BATCH of them; CCC_CT_CHECK_CHUNKS(b->n) in
 * all, for ccc_par_each) decoded into pre->ct, and those with commitments
 * checked together.  decoded[i] is false for a ciphertext that did not
 * decode (the engine decodes it again, for its error); ok[i] is true for
 * each that verified with others, false for the rest, which the engine
 * checks alone (ccc_tdh2_verify) so that a bad one is named with its own
 * error, in its place.
 */
struct ccc_ct_pre {
	struct ccc_ct ct[CCC_CT_BATCH];	/* views into the batch's data */
	bool decoded[CCC_CT_BATCH], ok[CCC_CT_BATCH];
};
#define CCC_CT_CHECK_CHUNKS(n) \
	(((n) + CCC_CT_CHECK_BATCH - 1) / CCC_CT_CHECK_BATCH)
void ccc_ct_check_chunk(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_ct_batch *b, size_t j, struct ccc_ct_pre *pre);

#endif
