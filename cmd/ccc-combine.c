/* ccc-combine: combine sealed decryption shares and decrypt. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-combine -k TPK [-i KEY] [-x BOXKEY] [-b CT | -R REQUEST] [--seq] "
"[-j N] [-v] [--report FILE] [-o OUT] [-f] [-T] SEALED ...\n"
"       ccc-combine --result RESULT [-i KEY] [-o OUT] [-f] [-T]\n"
"       ccc-combine --serve [-i KEY]\n"
"       ccc-combine --aggregate AGGREGATE -k TPK [--cache DIR] [-o OUT] "
"[-f] [-T] SHARE ...\n"
"       ccc-combine -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-k, --key TPK",
	    "the threshold public key (ccc/tpk/v1)" },
	{ "-i, --identity KEY",
	    "the recipient secret key the shares are sealed to" },
	{ "-x, --box-key BOXKEY",
	    "the X25519 key file of Chainlink sealed shares" },
	{ "-b, --ciphertext CT",
	    "read the ciphertexts from CT, not standard input" },
	{ "-R, --request REQUEST",
	    "decrypt the ciphertexts of a computation request" },
	{ "--seq",
	    "decrypt a CBOR sequence of ciphertexts" },
	{ "-j, --jobs N",
	    "with --seq: N threads (0: one per CPU)" },
	{ "--report FILE",
	    "write the verdict on every node's shares (JSON)" },
	{ "--result RESULT",
	    "print the output of a computation result" },
	{ "--serve",
	    "results on stdin, an answer with each one's output" },
	{ "-v, --verbose",
	    "a summary line (items, time) at the end" },
	{ "--aggregate AGGREGATE",
	    "the sums of an aggregate, from the nodes' shares" },
	{ "--cache DIR",
	    "with --aggregate: keep the discrete-log table in DIR" },
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	CCC_HELP_TTY,
	{ NULL, NULL }
};

enum { OPT_SEQ = 256, OPT_RESULT, OPT_REPORT, OPT_AGGREGATE, OPT_CACHE,
    OPT_SERVE };

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "identity", required_argument, NULL, 'i' },
	{ "ciphertext", required_argument, NULL, 'b' },
	{ "box-key", required_argument, NULL, 'x' },
	{ "request", required_argument, NULL, 'R' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "tty", no_argument, NULL, 'T' },
	{ "seq", no_argument, NULL, OPT_SEQ },
	{ "verbose", no_argument, NULL, 'v' },
	{ "result", required_argument, NULL, OPT_RESULT },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "aggregate", required_argument, NULL, OPT_AGGREGATE },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "serve", no_argument, NULL, OPT_SERVE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_combine_opts o = { 0 };
	/* -c: the old spelling of -b (ccc(7), OPTION LETTERS). */
	struct ccc_cli_opts p = { .shortopts = ":k:i:x:b:c:R:j:o:fTvhV",
	    .longopts = longopts, .aliases = "cb" };
	struct ccc_err err;
	struct ccc_cli_progress prog;
	bool have_jobs = false, verbose = false, serve = false;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'k': o.tpk = optarg; break;
		case 'i': o.key = optarg; break;
		case 'x': o.box_key = optarg; break;
		case 'b': o.in = optarg; break;
		case 'R': o.request = optarg; break;
		case 'j':
			if (ccc_cli_jobs(optarg, &o.jobs) != 0)
				return 2;
			have_jobs = true;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'T': o.tty_ok = true; break;
		case 'v': verbose = true; break;
		case OPT_SEQ: o.seq = true; break;
		case OPT_RESULT: o.result = optarg; break;
		case OPT_REPORT: o.report = optarg; break;
		case OPT_AGGREGATE: o.aggregate = optarg; break;
		case OPT_CACHE: o.cache = optarg; break;
		case OPT_SERVE: serve = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (serve) {
		if (o.tpk != NULL || o.in != NULL || o.request != NULL ||
		    o.result != NULL || o.box_key != NULL || o.out != NULL ||
		    o.force || o.tty_ok || o.seq || have_jobs ||
		    o.report != NULL || verbose || o.aggregate != NULL ||
		    o.cache != NULL || optind < argc)
			return ccc_cli_usage("--serve reads results from "
			    "standard input and answers on standard output: it "
			    "takes only -i");
		if (isatty(STDOUT_FILENO))
			return ccc_cli_usage("--serve: standard output is a "
			    "terminal (answers are binary)");
		return ccc_combine_result_serve(&o, &err) ?
		    ccc_cli_fail(&err) : 0;
	}
	if (o.aggregate != NULL) {
		if (o.tpk == NULL || o.key != NULL || o.box_key != NULL ||
		    o.in != NULL || o.request != NULL || o.result != NULL ||
		    o.seq || have_jobs || o.report != NULL || verbose)
			return ccc_cli_usage("--aggregate takes -k, --cache, "
			    "-o, -f and -T");
		if (optind == argc)
			return ccc_cli_usage("no shares given");
		o.sealed = argv + optind;
		o.nsealed = argc - optind;
		return ccc_combine_aggregate(&o, &err) ? ccc_cli_fail(&err) :
		    0;
	}
	if (o.cache != NULL)
		return ccc_cli_usage("--cache applies to --aggregate");
	if (o.result != NULL) {
		if (o.tpk != NULL || o.in != NULL || o.request != NULL ||
		    o.box_key != NULL ||
		    o.seq || have_jobs || o.report != NULL || verbose ||
		    optind < argc)
			return ccc_cli_usage("--result takes only -i, -o, -f "
			    "and -T");
		return ccc_combine_result(&o, &err) ? ccc_cli_fail(&err) : 0;
	}
	if (o.tpk == NULL || (o.key == NULL && o.box_key == NULL))
		return ccc_cli_usage("needs -k TPK and -i KEY or -x BOXKEY");
	if (o.request != NULL && (o.key == NULL || o.box_key != NULL))
		return ccc_cli_usage("-R needs -i KEY and takes no -x: a "
		    "request's shares are ccc's");
	if (optind == argc)
		return ccc_cli_usage("no sealed shares given");
	if (o.request != NULL && o.in != NULL)
		return ccc_cli_usage("-b and -R exclude each other: a request "
		    "carries its ciphertexts");
	if (have_jobs && !o.seq)
		return ccc_cli_usage("-j applies to --seq");
	if (o.report != NULL && strcmp(o.report, "-") == 0)
		return ccc_cli_usage("--report: a file (standard output "
		    "carries the plaintext)");
	o.sealed = argv + optind;
	o.nsealed = argc - optind;
	o.progress = ccc_cli_progress_start(&prog, verbose);
	rc = ccc_cli_progress_end(&prog, ccc_combine_run(&o, &err));
	return rc != 0 ? ccc_cli_fail(&err) : 0;
}
