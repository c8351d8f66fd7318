/*
 * ccc-bench's timing harness: CPU time, operations interleaved with their
 * floors, the table of rows and its check (bench.h says why).
 */
#include "config.h"

#include <libgen.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct bench_opts bench_opts = { 0, 0, 11, 0.04, 1.10, NULL };
struct ccc_ec *bench_ec;

enum { MAX_ROWS = 64, MAX_PAIRS = 64 };

static const struct bench_row *rows[MAX_ROWS];
static struct bench_pair got[MAX_ROWS];
static int nrows;

double
bench_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double
bench_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double
bench_ru_cpu(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
	    (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

double
bench_children_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return bench_ru_cpu(&ru);
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmpd);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* CPU seconds of iters calls of fn(arg). */
static double
run(bench_fn fn, void *arg, long iters)
{
	double t0 = bench_cpu();
	long i;

	for (i = 0; i < iters; i++)
		fn(arg);
	return bench_cpu() - t0;
}

/* How many calls of fn(arg) last about one sample of CPU time. */
static long
calibrate(bench_fn fn, void *arg)
{
	double t;
	long iters = 1;

	for (;;) {
		t = run(fn, arg, iters);
		if (t >= bench_opts.sample / 4 || iters > (1L << 40))
			break;
		iters *= 2;
	}
	if (t <= 0)
		return iters;
	return (long)((double)iters * (bench_opts.sample / t)) + 1;
}

double
bench_time(bench_fn fn, void *arg)
{
	double per[MAX_PAIRS];
	long iters = calibrate(fn, arg);
	int i, n = bench_opts.pairs;

	for (i = 0; i < n; i++)
		per[i] = run(fn, arg, iters) / (double)iters * 1e6;
	return bench_median(per, n);
}

void
bench_pair_fns(bench_fn op, void *oarg, bench_fn fl, void *farg,
    struct bench_pair *out)
{
	double a[MAX_PAIRS], b[MAX_PAIRS], r[MAX_PAIRS];
	long ia, ib;
	int i, n = bench_opts.pairs;

	if (fl == NULL) {
		out->a = bench_time(op, oarg);
		out->b = out->ratio = 0;
		return;
	}
	ia = calibrate(op, oarg);
	ib = calibrate(fl, farg);
	for (i = 0; i < n; i++) {
		a[i] = run(op, oarg, ia) / (double)ia * 1e6;
		b[i] = run(fl, farg, ib) / (double)ib * 1e6;
		r[i] = b[i] > 0 ? a[i] / b[i] : 0;
	}
	out->ratio = bench_median(r, n);
	out->a = bench_median(a, n);
	out->b = bench_median(b, n);
}

void
bench_floor_run(void *parts)
{
	const struct bench_part *p;
	int i;

	for (p = parts; p->fn != NULL; p++)
		for (i = 0; i < p->times; i++)
			p->fn(p->arg);
}

void
bench_add(const struct bench_row *row)
{
	if (nrows == MAX_ROWS) {
		fprintf(stderr, "ccc-bench: more than %d rows\n", MAX_ROWS);
		exit(2);
	}
	rows[nrows++] = row;
}

double
bench_floor_us(const char *name)
{
	int i;

	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i]->name, name) == 0)
			return rows[i]->floor != NULL ? got[i].b :
			    rows[i]->floor_us;
	return -1;
}

int
bench_wanted(const char *name)
{
	return bench_opts.rows == NULL || strstr(name, bench_opts.rows) != NULL;
}

int
bench_over(const char *name, double ratio, double target)
{
#ifdef CCC_TEST_HOOKS
	/* The tests make rows fail or pass whatever the machine's speed. */
	const char *scale = getenv("CCC_BENCH_TARGET_SCALE");

	if (scale != NULL)
		target *= atof(scale);
#endif
	if (ratio <= target * bench_opts.margin)
		return 0;
	printf("  OVER");
	if (bench_opts.check)
		fprintf(stderr, "ccc-bench: over target: %s: %.2fx, target "
		    "%gx x %.2f\n", name, ratio, target, bench_opts.margin);
	return 1;
}

int
bench_run_rows(void)
{
	const struct bench_row *w;
	struct bench_pair *g;
	int i, bad = 0, shown = 0;

	for (i = 0; i < nrows; i++) {
		w = rows[i];
		g = &got[i];
		if (!bench_wanted(w->name))
			continue;
		if (shown++ == 0)
			printf("\n%-38s %10s %10s %-26s %7s %7s\n", "operation",
			    "us", "floor", "(what the floor is)", "ratio",
			    "target");
		if (w->floor != NULL)
			bench_pair_fns(w->op, w->arg, bench_floor_run,
			    (void *)w->floor, g);
		else {
			bench_pair_fns(w->op, w->arg, NULL, NULL, g);
			g->b = w->floor_us;
			g->ratio = g->a / g->b;
		}
		printf("%-38s %10.2f %10.2f %-26s %6.2fx", w->name, g->a, g->b,
		    w->floor_name, g->ratio);
		if (w->target > 0) {
			printf("  <=%.2fx", w->target);
			bad += bench_over(w->name, g->ratio, w->target);
		}
		printf("\n");
		fflush(stdout);
	}
	return bad;
}

int
bench_path(char *out, size_t len, const char *dir, const char *prog)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -1;
	self[n] = '\0';
	/* ccc-bench sits in bench/ of the build tree, the tools in cmd/. */
	if ((size_t)snprintf(out, len, "%s/../%s/%s", dirname(self), dir,
	    prog) >= len)
		return -1;
	return access(out, X_OK);
}

/* The CPUs the bench was allowed at its start (bench_use_cpus). */
static cpu_set_t cpus_all;
static int cpus_known;

int
bench_use_cpus(int all)
{
	cpu_set_t one;
	int c;

	if (!cpus_known) {
		if (sched_getaffinity(0, sizeof(cpus_all), &cpus_all) != 0) {
			CPU_ZERO(&cpus_all);
			CPU_SET(0, &cpus_all);
		}
		cpus_known = 1;
	}
	if (all) {
		(void)sched_setaffinity(0, sizeof(cpus_all), &cpus_all);
		return CPU_COUNT(&cpus_all);
	}
	CPU_ZERO(&one);
	for (c = CPU_SETSIZE - 1; c >= 0; c--)
		if (CPU_ISSET(c, &cpus_all)) {
			CPU_SET(c, &one);
			break;
		}
	(void)sched_setaffinity(0, sizeof(one), &one);
	return 1;
}
