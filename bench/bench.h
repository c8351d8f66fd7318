/*
 * ccc-bench's harness and the interface between its files.
 *
 * Every ratio is one of CPU times: thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID) for in-process rows, the children's user +
 * system time (wait4's rusage) for whole processes.  An operation is
 * measured interleaved with its floor, A B A B ..., and its ratio is the
 * median of the per-pair ratios, so that a load that comes and goes
 * weighs on both sides of each ratio alike.  Wall time is printed only
 * where it is the point (a request's latency, a speed-up over threads)
 * and never checked.
 *
 * Adding rows.  A file of rows exports one function, bench_rows_X(void),
 * declared below and called once from main (bench/ccc-bench.c) before
 * anything is measured; the file goes in bench_ccc_bench_SOURCES
 * (mk/bench.am).  bench_rows_X does its own set-up (keys, ciphertexts: in
 * static storage of its file, using bench_ec) and calls bench_add() once
 * per row.  A row is an operation and its floor: the raw OpenSSL and
 * libsodium operations it cannot avoid, as a list of bench_part (the
 * components below, bench/floor.c, or any function of the file's own),
 * and a target: the ratio the row should stay under.  --check fails when
 * a ratio exceeds target x margin.  Rows print in the order added; the
 * harness keeps the pointers it is given, so rows, parts and names live
 * for the whole run.  For example:
 *
 *	static const struct bench_part fl67[] = { { bench_MSM, (void *)67L, 1 },
 *	    { bench_LAG, (void *)67L, 1 }, { bench_DEC, NULL, 67 },
 *	    { NULL, NULL, 0 } };
 *	static const struct bench_row r67 = { "combine k=67, verified",
 *	    f_combine67, NULL, "MSM67+LAG67+67DEC", fl67, 0, 1.20 };
 *	void bench_rows_scale(void) { set_up(); bench_add(&r67); }
 *
 * bench/chart.sh plots the rows named exactly "combine k=N" (nothing
 * after N) as one series: another kind of combination needs another name.
 */
#ifndef CCC_BENCH_H
#define CCC_BENCH_H

#include <stddef.h>

#include <openssl/bn.h>

#include "tdh2.h"

typedef void (*bench_fn)(void *);

/* fn(arg), times times; a floor is an array of them ending in fn NULL. */
struct bench_part {
	bench_fn fn;
	void *arg;
	int times;
};

struct bench_row {
	const char *name;
	bench_fn op;
	void *arg;
	const char *floor_name;		/* what the floor is: "2F+3V+..." */
	const struct bench_part *floor;	/* NULL: floor_us is a fixed bound */
	double floor_us;
	double target;			/* ratio to stay under; 0: report only */
};

/* Filled by the measurement: medians of the pairs. */
struct bench_pair {
	double a, b;		/* per call: us in-process, us per process */
	double ratio;		/* median of the per-pair ratios a/b */
};

/* The options main parsed, for the files of rows. */
struct bench_opts {
	int check;		/* --check: a line on stderr per row over */
	int quick;		/* --quick: short samples, fewer pairs */
	int pairs;		/* A B pairs per row */
	double sample;		/* CPU seconds one side of a pair lasts */
	double margin;		/* --check: ratio limit = target x margin */
	const char *rows;	/* --rows: only rows whose name has this */
};
extern struct bench_opts bench_opts;
extern struct ccc_ec *bench_ec;

/* ---- the harness (bench/harness.c) -------------------------------------- */

/* The median of v[0..n-1] (sorts v). */
double bench_median(double *v, int n);
/* Median CPU microseconds of one call of fn(arg) (not paired). */
double bench_time(bench_fn fn, void *arg);
/* op against its floor fl, interleaved (fl NULL: only op, ratio 0). */
void bench_pair_fns(bench_fn op, void *oarg, bench_fn fl, void *farg,
    struct bench_pair *out);
/* Run a floor: each part's fn(arg), times times (arg: the part array). */
void bench_floor_run(void *parts);
/* Register a row (kept by pointer; measured by bench_run_rows). */
void bench_add(const struct bench_row *row);
/* Measure every registered row, print the table; the rows over target x
 * margin, each also named in one line on stderr. */
int bench_run_rows(void);
/* Whether --rows lets the row named name run. */
int bench_wanted(const char *name);
/* Over target x margin: print "  OVER" (and with --check a line on
 * stderr), return 1. */
int bench_over(const char *name, double ratio, double target);
/* Pin the bench to one of its CPUs (all 0) or give it back all of them
 * (all 1): single operations run on one, the batch -j rows on every one.
 * Children inherit the mask.  Returns how many CPUs it may use now. */
int bench_use_cpus(int all);
/* The floor the row named name measured, in us per call; -1 if none. */
double bench_floor_us(const char *name);

/* This thread's CPU seconds (CLOCK_THREAD_CPUTIME_ID). */
double bench_cpu(void);
/* Wall seconds (CLOCK_MONOTONIC): for what only wall time says, as a
 * speed-up over threads; never for a ratio. */
double bench_wall(void);
/* User + system seconds of a rusage. */
struct rusage;
double bench_ru_cpu(const struct rusage *ru);
/* CPU seconds used by the children reaped so far (user + system). */
double bench_children_cpu(void);
/* The path of the program prog beside the bench's build directory:
 * dir "cmd" for the tools, "bench" for the bench's own; 0 or -1. */
int bench_path(char *out, size_t len, const char *dir, const char *prog);

/* ---- the rows ---------------------------------------------------------- */

/* The floor's components (bench/floor.c): set up, print, parts. */
void bench_floor_setup(void);
void bench_floor_print(void);
enum { BENCH_MSM_MAX = 128 };
void bench_F(void *);		/* fixed-base multiplication */
void bench_V(void *);		/* variable-base multiplication */
void bench_D(void *);		/* aG + bP */
void bench_D2(void *);		/* aP + bQ */
void bench_MSM(void *k);	/* k-point multi-mult, (void *)(long)k */
void bench_ENC(void *);		/* point encoding (an inversion) */
void bench_DEC(void *);		/* point decoding (a curve check) */
void bench_SHA(void *);		/* SHA-256 of 400 bytes */
void bench_SMP(void *);		/* scalar sampling */
void bench_LAG(void *k);	/* Lagrange coefficients at 0, k points */
void bench_X(void *);		/* X25519 */
void bench_XB(void *);		/* X25519 base */
void bench_AES(void *);		/* AES-256-GCM of 1 MiB */
void bench_H2C(void *);		/* hash to P-256, a coin's message */

/* TDH2, the coin, HPKE, hybrid encryption (bench/tdh2-rows.c). */
void bench_rows_tdh2(void);
/* An attestation document's ES384 check with tables (bench/es384-rows.c). */
void bench_rows_es384(void);

/* Whole processes (bench/process.c): each tool's start-up against an
 * empty static program, interleaved; the rows over target x margin. */
int bench_startup(void);
/* Batch mode up to max items (bench/batch.c); the figures over target. */
int bench_batch(long max);
/* Whole requests by ccc-flow (bench/flow.c). */
void bench_flow(void);

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
