/* ccc-bench's sections in files of their own. */
#ifndef CCC_BENCH_H
#define CCC_BENCH_H

#include <openssl/bn.h>

#include "tdh2.h"

/* Security level 4 (bench/aggregate.c): pub a t <= 2 key, x its shares. */
void aggregate_section(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    BIGNUM *const *x);

/*
 * Combine with share verification at k = 67, 100 and ciphertext validity
 * at N = 16, 64, one by one against one batch (bench/scale.c); pairs of
 * about seconds each.
 */
void bench_rows_scale(double seconds);

#endif
