/*
 * Independent per-item work on several threads.  Each worker has its own
 * EC context (OpenSSL's BN_CTX is not shared); everything else a worker
 * touches is either read-only or its own item's slot, so results do not
 * depend on the number of threads and are merged in input order by the
 * caller.
 */
#ifndef CCC_PAR_H
#define CCC_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "ccc.h"
#include "ec.h"

#define CCC_MAX_JOBS 64

/*
 * Progress: after each run, fn(ctx, items) with the number of items done
 * so far by the runs of this ccc_par (the tools print it on a terminal).
 */
struct ccc_progress {
	void (*fn)(void *ctx, uint64_t items);
	void *ctx;
};

struct ccc_par {
	unsigned jobs;
	struct ccc_ec *ec[CCC_MAX_JOBS];	/* ec[0] is the default one */
	const struct ccc_progress *progress;	/* or NULL */
	uint64_t done;				/* items run so far */
};

/* jobs 0 or 1: the calling thread alone; at most CCC_MAX_JOBS. */
int ccc_par_init(struct ccc_par *p, unsigned jobs, struct ccc_err *err)
    CCC_WUR;
void ccc_par_free(struct ccc_par *p);

/*
 * Run fn(arg, ec, i) for every i in [0, n), item i on thread i % jobs.
 * A thread that cannot be started costs parallelism, never an item: the
 * calling thread runs its share.
 */
typedef void (*ccc_par_fn)(void *arg, struct ccc_ec *ec, size_t i);
void ccc_par_run(struct ccc_par *p, size_t n, ccc_par_fn fn, void *arg);
/* The same for work on the way to the items, which progress does not
 * count (n pieces of it, not items). */
void ccc_par_each(struct ccc_par *p, size_t n, ccc_par_fn fn, void *arg);

/* The -j argument: 0 means every online CPU. */
unsigned ccc_par_jobs(long long j);

#endif
