/*
 * Bounded discrete logarithms base G on P-256 by baby-step giant-step,
 * for decrypting sums of additive inputs (security level 4).
 *
 * The baby-step table holds jG for j in [1, 2^L), L from the bound (8 to
 * 22), as sorted 64-bit words: the top 64-L bits of x(jG), then j.  It is
 * built once (2^L additions and affine conversions) and, given a cache
 * directory, kept there as bsgs-p256-L.tbl: written atomically, a header
 * with its SHA-256 checked on every load (a damaged file is rebuilt).  A
 * match of 64-L bits of x is only a candidate: every answer is checked
 * by one multiplication, so a bad table can cost time, never a wrong sum.
 * x(jG) = x(-jG): giant steps of 2^(L+1) G, each probing k 2^(L+1) +- j,
 * so a search takes up to max / 2^(L+1) steps.
 */
#ifndef CCC_BSGS_H
#define CCC_BSGS_H

#include <stdint.h>

#include "ec.h"

/*
 * m in [0, max] with mG == p (p may be the identity: m = 0), into *m.
 * cache_dir NULL: the table is built in memory and dropped; a missing
 * directory is created (mode 0700), and one that cannot be written only
 * costs the next run the table's build.  CCC_E_FIELD when there is no
 * such m.
 */
int ccc_bsgs_solve(struct ccc_ec *ec, const EC_POINT *p, uint64_t max,
    const char *cache_dir, uint64_t *m, struct ccc_err *err) CCC_WUR;

/* The table size L for a bound (for tests and the benchmark). */
unsigned ccc_bsgs_bits(uint64_t max);

#endif
