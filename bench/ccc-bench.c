/*
 * ccc-bench: TDH2 on P-256 and the tools around it, one core.  Each
 * operation is reported next to the cost of the raw OpenSSL operations it
 * cannot avoid, measured in the same run and interleaved with it, in CPU
 * time, so the ratio says how close ccc is to that floor whatever the
 * machine and whatever else runs on it (bench/bench.h).  With --check it
 * exits 1 when a ratio exceeds its target by more than the margin.
 *
 *   floor names: F fixed-base mult, V variable-base mult, D = aG + bP,
 *   D2 = aP + bQ, MSMk = k-point multi-mult, X = X25519.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <sodium.h>

#include "bench.h"
#include "tdh2.h"

static const char usage[] =
    "usage: ccc-bench [-c] [-q] [-m FACTOR] [-r TEXT] [-b MAX] [-L | -F | -S]\n"
    "  -c, --check        exit 1 if a ratio exceeds its target x FACTOR;\n"
    "                     one line on stderr for each such row\n"
    "  -q, --quick        short samples, 5 pairs a row: the single\n"
    "                     operations and the start-ups only (seconds)\n"
    "  -m, --margin FACTOR  --check's margin over each target (default "
    "1.10)\n"
    "  -r, --rows TEXT    only the rows whose name contains TEXT (a tool's\n"
    "                     start-up row: \"ccc-encrypt start-up\"); no other\n"
    "                     section\n"
    "  -b, --batch MAX    batch rows up to MAX items (default 100000;\n"
    "                     0: none)\n"
    "  -L, --level4       security level 4's section alone\n"
    "  -F, --flow         the whole requests (ccc-flow) alone\n"
    "  -S, --scale        the scale section alone (combine at k = 67 and\n"
    "                     100, validity of 16 and 64 ciphertexts)\n"
    "  -h, --help         this text\n";

/* Level 4 needs a key of t <= 2 for its two shares. */
static int
level4(void)
{
	struct ccc_tdh2_pub p2;
	BIGNUM *x2[3];
	int i;

	for (i = 0; i < 3; i++)
		if ((x2[i] = BN_secure_new()) == NULL)
			return 2;
	if (ccc_tdh2_pub_alloc(bench_ec, &p2, 3) != 0 ||
	    ccc_tdh2_deal(bench_ec, &p2, x2, 2, NULL) != 0)
		return 2;
	bench_use_cpus(1);	/* its -j 2 row */
	aggregate_section(bench_ec, &p2, x2);
	bench_use_cpus(0);
	for (i = 0; i < 3; i++)
		BN_clear_free(x2[i]);
	ccc_tdh2_pub_free(&p2);
	return 0;
}

/* A decimal number in [lo, hi], or exit 2 naming the option. */
static double
number(const char *opt, const char *s, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !(v >= lo && v <= hi)) {
		fprintf(stderr, "ccc-bench: usage: %s takes a number from %g to "
		    "%g, not '%s'\n", opt, lo, hi, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "quick", no_argument, NULL, 'q' },
		{ "margin", required_argument, NULL, 'm' },
		{ "rows", required_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'b' },
		{ "level4", no_argument, NULL, 'L' },
		{ "flow", no_argument, NULL, 'F' },
		{ "scale", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, only = 0, bad = 0;
	long batch_max = 100000;

	opterr = 0;	/* its messages name the path ccc-bench ran by */
	while ((c = getopt_long(argc, argv, "cqm:r:b:LFSh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			bench_opts.check = 1;
			break;
		case 'q':
			bench_opts.quick = 1;
			bench_opts.pairs = 5;
			bench_opts.sample = 0.01;
			break;
		case 'm':
			bench_opts.margin = number("--margin", optarg, 1, 100);
			break;
		case 'r':
			bench_opts.rows = optarg;
			break;
		case 'b':
			batch_max = (long)number("--batch", optarg, 0, 1e7);
			break;
		case 'L':
		case 'F':
		case 'S':
			if (only != 0 && only != c) {
				fprintf(stderr, "ccc-bench: usage: --level4, "
				    "--flow and --scale exclude each other\n");
				return 2;
			}
			only = c;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, "ccc-bench: usage: bad option '%s'\n%s",
			    argv[optind - 1], usage);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "ccc-bench: usage: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	/* One CPU for the single-operation rows (batch -j rows widen it). */
	bench_use_cpus(0);
	if (sodium_init() < 0 || (bench_ec = ccc_ec_default()) == NULL)
		return 2;
	if (only == 'F') {
		bench_flow();
		return 0;
	}
	if (only == 'L')
		return level4();
	if (only == 'S') {
		bench_rows_scale(0.15);
		return 0;
	}

	bench_floor_setup();
	/* Files of rows register theirs here (bench/bench.h). */
	bench_rows_tdh2();
	bench_rows_es384();

	printf("ccc-bench: TDH2 on P-256, %s, libsodium %s, one thread, CPU "
	    "time,\neach row interleaved with its floor, median of %d pairs%s"
	    "\n\n", OpenSSL_version(OPENSSL_VERSION), sodium_version_string(),
	    bench_opts.pairs, bench_opts.quick ? " (--quick)" : "");
	if (bench_opts.rows == NULL)
		bench_floor_print();
	bad += bench_run_rows();
	bad += bench_startup();
	if (!bench_opts.quick && bench_opts.rows == NULL) {
		/* Combine and validity checks at scale (bench/scale.c). */
		bench_rows_scale(0.15);
		bench_flow();
		if (level4() != 0)
			return 2;
		if (batch_max > 0)
			bad += bench_batch(batch_max);
	}
	if (bench_opts.check) {
		printf("\n--check: %d row(s) over target x %.2f\n", bad,
		    bench_opts.margin);
		return bad ? 1 : 0;
	}
	return 0;
}
