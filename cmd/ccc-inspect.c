/* ccc-inspect: print any ccc blob or sequence with field names. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-inspect [-d] [-s] [--show-secrets] [FILE ...]\n"
"       ccc-inspect -L STATE [-I PUB [--since HEAD]]\n"
"       ccc-inspect -R ROSTER [--now T] FILE|STATE ...\n"
"       ccc-inspect --answer [-o OUT] [-f]\n"
"       ccc-inspect -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-d, --diag",
	    "print CBOR diagnostic notation" },
	{ "-s, --sha256",
	    "add each blob's and document's SHA-256" },
	{ "--show-secrets",
	    "print secret fields too" },
	{ "-L, --verify-log STATE",
	    "verify a node's access log" },
	{ "-I, --identity PUB",
	    "with -L: check the log's signed head under PUB" },
	{ "--since HEAD",
	    "with -L -I: the log only grew since HEAD" },
	{ "-R, --reads ROSTER",
	    "who read which feed item when (the provider's roster)" },
	CCC_HELP_NOW,
	{ "--answer",
	    "one serving tool's answer on stdin: output and status" },
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	{ NULL, NULL }
};

enum { OPT_SECRETS = 256, OPT_SINCE, OPT_NOW, OPT_ANSWER };

static const struct option longopts[] = {
	{ "diag", no_argument, NULL, 'd' },
	{ "show-secrets", no_argument, NULL, OPT_SECRETS },
	{ "sha256", no_argument, NULL, 's' },
	{ "verify-log", required_argument, NULL, 'L' },
	{ "identity", required_argument, NULL, 'I' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "reads", required_argument, NULL, 'R' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "answer", no_argument, NULL, OPT_ANSWER },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_inspect_opts o = { 0 };
	struct ccc_cli_opts p = { .shortopts = ":dsL:I:R:o:fhV",
	    .longopts = longopts };
	struct ccc_err err;
	long long now = (long long)time(NULL);
	const char *out = NULL;
	bool answer = false, force = false;
	int c, status;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'd': o.diag = true; break;
		case OPT_SECRETS: o.show_secrets = true; break;
		case 's': o.sha256 = true; break;
		case 'L': o.verify_log = optarg; break;
		case 'I': o.identity = optarg; break;
		case OPT_SINCE: o.since = optarg; break;
		case 'R': o.reads = optarg; break;
		case OPT_NOW:
			if ((now = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("--now: a time in seconds "
				    "since 1970");
			o.has_now = true;
			break;
		case OPT_ANSWER: answer = true; break;
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (answer) {
		if (optind < argc || o.diag || o.sha256 || o.show_secrets ||
		    o.verify_log != NULL || o.identity != NULL ||
		    o.since != NULL || o.reads != NULL || o.has_now)
			return ccc_cli_usage("--answer reads standard input "
			    "and takes only -o and -f");
		return ccc_inspect_answer(out, force, &status, &err) ?
		    ccc_cli_fail(&err) : status;
	}
	if (out != NULL || force)
		return ccc_cli_usage("-o and -f apply to --answer");
	if (o.verify_log != NULL && optind < argc)
		return ccc_cli_usage("-L takes no other files");
	if ((o.identity != NULL || o.since != NULL) && o.verify_log == NULL)
		return ccc_cli_usage("-I and --since apply to -L");
	if (o.since != NULL && o.identity == NULL)
		return ccc_cli_usage("--since needs the node's identity (-I)");
	if (o.reads != NULL && (o.verify_log != NULL || o.diag ||
	    o.sha256 || o.show_secrets))
		return ccc_cli_usage("-R takes none of -L, -d, -s and "
		    "--show-secrets");
	if (o.reads != NULL && optind == argc)
		return ccc_cli_usage("-R needs the provider's certificates and "
		    "the nodes' state directories");
	if (o.has_now && o.reads == NULL)
		return ccc_cli_usage("--now applies to -R");
	o.now = (uint64_t)now;
	o.files = argv + optind;
	o.nfiles = argc - optind;
	return ccc_inspect_run(&o, &err) ? ccc_cli_fail(&err) : 0;
}
