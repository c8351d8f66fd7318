/*
 * ccc-bench's whole-process rows: each tool's start-up (--version: load,
 * relocate, initialise, print a line, exit) against an empty C program
 * (bench/empty.c), in the children's CPU time, interleaved: n spawns of
 * the tool, n of the empty program, and so on; the ratio is the median
 * of the per-pair ratios.
 */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench.h"

/*
 * The goal (issue 18) is 1.3x of an empty static program.  The tools
 * carry libcrypto and libsodium statically but are PIE with a dynamic
 * libc: loading, relocating and initialising them cost about 3x the empty
 * program's CPU time here, 3.0-3.7x with the load (README.md,
 * Performance).  The target guards that from regressions; the goal is
 * reported beside it.
 */
#define STARTUP_GOAL 1.30
#define STARTUP_TARGET 4.5

/* The tools, after a reference: the empty program linked dynamically
 * (the distance from a dynamic libc alone), with no target. */
static const struct {
	const char *dir, *name;
} tools[] = { { "bench", "empty-dynamic" }, { "cmd", "ccc-encrypt" },
	{ "cmd", "ccc-reencrypt" }, { "cmd", "ccc-combine" },
	{ "cmd", "ccc-keygen" }, { "cmd", "ccc-inspect" },
	{ "cmd", "ccc-quorum-sign" }, { "cmd", "ccc-enclave-run" },
	{ "cmd", "ccc-attest-verify" }, { "cmd", "ccc-share" },
	{ "cmd", "ccc-rand" } };
#define NTOOLS (int)(sizeof(tools) / sizeof(tools[0]))

/* CPU seconds (the child's user + system) of n runs of path --version. */
static double
spawn_cpu(const char *path, int n, const posix_spawn_file_actions_t *fa)
{
	char *argv[] = { (char *)path, "--version", NULL }, *envp[] = { NULL };
	struct rusage ru;
	double cpu = 0;
	pid_t pid;
	int i, st;

	for (i = 0; i < n; i++) {
		if (posix_spawn(&pid, path, fa, NULL, argv, envp) != 0 ||
		    wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			fprintf(stderr, "ccc-bench: %s --version failed\n",
			    path);
			exit(2);
		}
		cpu += bench_ru_cpu(&ru);
	}
	return cpu;
}

int
bench_startup(void)
{
	enum { MAX_PAIRS = 64 };
	char empty[PATH_MAX], tool[PATH_MAX], what[64];
	double a[MAX_PAIRS], b[MAX_PAIRS], r[MAX_PAIRS], ra;
	posix_spawn_file_actions_t fa;
	int i, j, bad = 0, n = bench_opts.quick ? 5 : 20;
	int pairs = bench_opts.pairs;

	for (i = 0; i < NTOOLS; i++) {
		snprintf(what, sizeof(what), "%s start-up", tools[i].name);
		if (bench_wanted(what))
			break;
	}
	if (i == NTOOLS)
		return 0;
	if (bench_path(empty, sizeof(empty), "bench", "empty") != 0) {
		printf("\nprocess start-up: no bench/empty beside ccc-bench "
		    "(make bench builds it); skipped\n");
		return 0;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	printf("\nprocess start-up (spawn, --version, exit; the child's CPU "
	    "time), against\nan empty %s C program, %d spawns of each in turn, "
	    "median of %d pairs:\n", BENCH_EMPTY_LINK, n, pairs);
	printf("%-38s %10s %10s %-26s %7s %7s\n", "tool", "us", "empty",
	    "", "ratio", "target");
	(void)spawn_cpu(empty, n, &fa);	/* page cache, lazy set-up */
	for (i = 0; i < NTOOLS; i++) {
		snprintf(what, sizeof(what), "%s start-up", tools[i].name);
		if (!bench_wanted(what) || bench_path(tool, sizeof(tool),
		    tools[i].dir, tools[i].name) != 0)
			continue;
		(void)spawn_cpu(tool, 1, &fa);
		for (j = 0; j < pairs; j++) {
			a[j] = spawn_cpu(tool, n, &fa) / n * 1e6;
			b[j] = spawn_cpu(empty, n, &fa) / n * 1e6;
			r[j] = b[j] > 0 ? a[j] / b[j] : 0;
		}
		ra = bench_median(r, pairs);
		printf("%-38s %10.0f %10.0f %-26s %6.2fx", tools[i].name,
		    bench_median(a, pairs), bench_median(b, pairs), "", ra);
		if (strcmp(tools[i].dir, "bench") == 0)
			printf("  (reference)");
		else {
			printf("  <=%.2fx  goal %.2fx: %s", STARTUP_TARGET,
			    STARTUP_GOAL, ra <= STARTUP_GOAL ? "met" :
			    "not met");
			bad += bench_over(what, ra, STARTUP_TARGET);
		}
		printf("\n");
		fflush(stdout);
	}
	posix_spawn_file_actions_destroy(&fa);
	return bad;
}
