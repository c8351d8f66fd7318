#include "config.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "par.h"

int
ccc_par_init(struct ccc_par *p, unsigned jobs, struct ccc_err *err)
{
	unsigned k;

	memset(p, 0, sizeof(*p));
	p->jobs = jobs < 1 ? 1 : jobs > CCC_MAX_JOBS ? CCC_MAX_JOBS : jobs;
	for (k = 0; k < p->jobs; k++)
		if ((p->ec[k] = k == 0 ? ccc_ec_default() : ccc_ec_new()) ==
		    NULL) {
			ccc_par_free(p);
			return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "jobs");
		}
	return 0;
}

void
ccc_par_free(struct ccc_par *p)
{
	unsigned k;

	for (k = 1; k < CCC_MAX_JOBS; k++)
		ccc_ec_free(p->ec[k]);
	memset(p, 0, sizeof(*p));
}

struct worker {
	ccc_par_fn fn;
	void *arg;
	struct ccc_ec *ec;
	size_t first, n, step;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	size_t i;

	for (i = w->first; i < w->n; i += w->step)
		w->fn(w->arg, w->ec, i);
	return NULL;
}

/* A worker thread: its items, then what it made for itself is freed. */
static void *
thread_main(void *arg)
{
	(void)work(arg);
	ccc_sha256_thread_end();
	return NULL;
}

void
ccc_par_run(struct ccc_par *p, size_t n, ccc_par_fn fn, void *arg)
{
	ccc_par_each(p, n, fn, arg);
	p->done += n;
	if (p->progress != NULL)
		p->progress->fn(p->progress->ctx, p->done);
}

void
ccc_par_each(struct ccc_par *p, size_t n, ccc_par_fn fn, void *arg)
{
	struct worker w[CCC_MAX_JOBS];
	pthread_t tid[CCC_MAX_JOBS];
	bool started[CCC_MAX_JOBS];
	unsigned k, jobs = p->jobs;

	if (jobs > n)
		jobs = (unsigned)n;
	if (jobs < 1)
		jobs = 1;
	for (k = 0; k < jobs; k++) {
		w[k].fn = fn;
		w[k].arg = arg;
		w[k].ec = p->ec[k];
		w[k].first = k;
		w[k].n = n;
		w[k].step = jobs;
		started[k] = k > 0 && pthread_create(&tid[k], NULL,
		    thread_main, &w[k]) == 0;
	}
	(void)work(&w[0]);
	for (k = 1; k < jobs; k++)
		if (started[k])
			(void)pthread_join(tid[k], NULL);
		else
			(void)work(&w[k]);
}

unsigned
ccc_par_jobs(long long j)
{
	long cpus;

	if (j > 0)
		return j > CCC_MAX_JOBS ? CCC_MAX_JOBS : (unsigned)j;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > CCC_MAX_JOBS ? CCC_MAX_JOBS :
	    (unsigned)cpus;
}
