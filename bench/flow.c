/*
 * ccc-bench's whole requests: ccc-flow end to end, each tool a process,
 * as ccc-flow --time reports its steps; security level 2 against level
 * 1; and the latency against the size of the committee.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <sodium.h>

#include "bench.h"

/*
 * One ccc-flow run in dir/NAME on the input dir/in, with --time and the
 * extra arguments: its wall and CPU time (its children's, getrusage), or
 * -1.  Its step times stay in dir/NAME.err.
 */
static int
flow_run(const char *flow, const char *dir, const char *name,
    char *const *extra, double *wall, double *cpu)
{
	char in[PATH_MAX + 8], work[PATH_MAX + 64], err[PATH_MAX + 64];
	char *argv[16];
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	posix_spawn_file_actions_t fa;
	double c0, w0;
	pid_t pid;
	int st, n = 0, ok;

	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(work, sizeof(work), "%s/%s", dir, name);
	snprintf(err, sizeof(err), "%s/%s.err", dir, name);
	argv[n++] = (char *)flow;
	argv[n++] = "-d";
	argv[n++] = work;
	argv[n++] = "-i";
	argv[n++] = in;
	argv[n++] = "--time";
	while (*extra != NULL && n < 15)
		argv[n++] = *extra++;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT |
	    O_TRUNC, 0600);
	c0 = bench_children_cpu();
	w0 = bench_wall();
	/* ccc-flow finds the tools beside itself; PATH for the rest. */
	ok = posix_spawn(&pid, flow, &fa, NULL, argv, envp) == 0 &&
	    waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
	*wall = bench_wall() - w0;
	*cpu = bench_children_cpu() - c0;
	posix_spawn_file_actions_destroy(&fa);
	if (!ok) {
		printf("\nccc-flow failed; see %s\n", err);
		return -1;
	}
	return 0;
}

/* The step times ccc-flow --time wrote to dir/NAME.err. */
static void
flow_steps(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.err", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "ccc-flow: time: ", 16) == 0)
			printf("  %s", line + 16);
	fclose(f);
}

/* Steps 1-7 of the last run in dir/NAME.err, in ms (0 if not found). */
static double
flow_request_ms(const char *dir, const char *name)
{
	static const char tag[] = "ccc-flow: time: request (steps 1-7): ";
	char path[PATH_MAX + 64], line[256];
	double ms = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.err", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, tag, sizeof(tag) - 1) == 0)
			ms = atof(line + sizeof(tag) - 1);
	fclose(f);
	return ms;
}

/*
 * Whole-request latency against committee size (bench/chart.sh plots
 * it): n = 4, 7, 16, 32 nodes, t = 2n/3 + 1 (5 of 7 as above), one run
 * each: the wall time of steps 1-7 and the CPU time of the whole run
 * (the dealer's key set-up, step 0, included).
 */
static void
flow_committee(const char *flow, const char *dir)
{
	static const int sizes[] = { 4, 7, 16, 32 };
	char nb[12], tb[12], name[16];
	char *args[] = { "-n", nb, "-t", tb, "-f", NULL };
	double w, c;
	size_t i;

	printf("\nwhole request against committee size (ccc-flow --time, "
	    "one run each;\nwall time of steps 1-7, CPU time of the whole run "
	    "with its set-up):\n");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(nb, sizeof(nb), "%d", sizes[i]);
		snprintf(tb, sizeof(tb), "%d", 2 * sizes[i] / 3 + 1);
		snprintf(name, sizeof(name), "n%d", sizes[i]);
		if (flow_run(flow, dir, name, args, &w, &c) != 0)
			return;
		printf("  request n=%-3d t=%-3s %10.1f ms %10.3f s CPU\n",
		    sizes[i], tb, flow_request_ms(dir, name), c);
		fflush(stdout);
	}
}

/*
 * A whole request, n=7 t=5, 1 KiB input, run by ccc-flow --time on this
 * machine: its end-to-end latency and the time of each step, as ccc-flow
 * reports them (process start-ups and the shell included); then the same
 * request at security level 2 with k = 3 replicas next to it at level 1,
 * on the same 3-enclave deployment, as the ratio of their CPU times
 * (runs interleaved: 1, 2, 1, 2).
 */
void
bench_flow(void)
{
	char dir[] = "/tmp/ccc-bench-flow-XXXXXX", flow[PATH_MAX];
	char path[PATH_MAX + 64];
	char *none[] = { NULL };
	char *l1[] = { "--enclaves", "3", "-f", NULL };
	char *l2[] = { "--enclaves", "3", "--replicas", "3", "-f", NULL };
	double w, c, w1 = 0, c1 = 0, w2 = 0, c2 = 0, r1 = 0, r2 = 0;
	uint8_t buf[1024];
	FILE *f;
	int i;

	if (mkdtemp(dir) == NULL || bench_path(flow, sizeof(flow), "cmd",
	    "ccc-flow") != 0)
		return;
	snprintf(path, sizeof(path), "%s/in", dir);
	if ((f = fopen(path, "w")) == NULL)
		return;
	randombytes_buf(buf, sizeof(buf));
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	if (flow_run(flow, dir, "work", none, &w, &c) != 0)
		return;
	printf("\na whole request, n=7 t=5, 1 KiB input (ccc-flow --time; "
	    "each tool a process):\n");
	flow_steps(dir, "work");
	for (i = 0; i < 2; i++) {
		if (flow_run(flow, dir, "level1", l1, &w, &c) != 0)
			return;
		w1 += w;
		c1 += c;
		r1 += flow_request_ms(dir, "level1");
		if (flow_run(flow, dir, "level2", l2, &w, &c) != 0)
			return;
		w2 += w;
		c2 += c;
		r2 += flow_request_ms(dir, "level2");
	}
	printf("\nsecurity level 2, k=3 replicas, against level 1 (the same "
	    "request, 3 enclaves; whole ccc-flow runs, set-up included, "
	    "mean of 2):\n");
	printf("  %-16s %9s %9s %16s\n", "", "CPU s", "wall s",
	    "steps 1-7 ms");
	printf("  %-16s %9.3f %9.3f %16.1f\n", "level 1", c1 / 2, w1 / 2,
	    r1 / 2);
	printf("  %-16s %9.3f %9.3f %16.1f\n", "level 2, k=3", c2 / 2,
	    w2 / 2, r2 / 2);
	printf("  %-16s %8.2fx %8.2fx %15.2fx\n", "ratio", c2 / c1, w2 / w1,
	    r1 > 0 ? r2 / r1 : 0);
	printf("level 2, each step (its last run):\n");
	flow_steps(dir, "level2");
	flow_committee(flow, dir);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return;
}

