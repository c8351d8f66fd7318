/* ccc-aggregate: aggregate additive inputs, share or re-verify the sums. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-aggregate -k TPK [-l CONTEXT | -W ADDRESS | -G ORGID | -L HEX] "
"[-j N] [-o OUT] [-f] [-T] INPUTS ...\n"
"       ccc-aggregate -s SHARE -k TPK -a AGGREGATE -F CERTIFIED -r ROSTER "
"-d STATE (-C CONTRIBUTORS -m MIN | --anyone [-m MIN]) [-p POLICY] "
"[-I IDENTITY] [--now T] [-l CONTEXT | -W ADDRESS | -G ORGID | -L HEX] "
"[-j N] [-o OUT] [-f] [-T] INPUTS ...\n"
"       ccc-aggregate --verify RESULT -k TPK [-l CONTEXT | -W ADDRESS | "
"-G ORGID | -L HEX] [-j N] [-o OUT] [-f] INPUTS ...\n"
"       ccc-aggregate -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-k, --key TPK",
	    "the threshold public key (ccc/tpk/v1)" },
	{ "-l, --label CONTEXT",
	    "accept only inputs labelled with CONTEXT" },
	{ "-W, --owner ADDRESS",
	    "... labelled for a Vault DON workflow owner" },
	{ "-G, --org-id ORGID",
	    "... labelled for a Vault DON organisation" },
	{ "-L, --label-hex HEX",
	    "... labelled with these 32 bytes" },
	{ "-s, --share SHARE",
	    "as a decryption node: share the aggregate with SHARE" },
	{ "-a, --aggregate AGGREGATE",
	    "with -s: the aggregate asked for (ccc/aggregate/v1)" },
	{ "-F, --for CERTIFIED",
	    "with -s: the certified request (ccc/agg-request/v1)" },
	{ "-r, --roster ROSTER",
	    "with -s: the oracle roster that certifies requests" },
	{ "-d, --state STATE",
	    "with -s: the node's state directory (its access log)" },
	{ "-p, --policy POLICY",
	    "with -s: the node's label policy" },
	{ "-I, --identity IDENTITY",
	    "with -s: the node's identity, to sign its log head" },
	{ "-C, --contributors CONTRIBUTORS",
	    "with -s: only the contributions of this certified list" },
	{ "--anyone",
	    "with -s: inputs from anyone, listed or not" },
	{ "-m, --min MIN",
	    "with -s: fewest contributors (-C) or inputs released" },
	{ "--verify RESULT",
	    "re-verify a result and print its sums" },
	{ "-j, --jobs N",
	    "verify the inputs with N threads (0: one per CPU)" },
	CCC_HELP_NOW,
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	CCC_HELP_TTY,
	{ NULL, NULL }
};

enum { OPT_VERIFY = 256, OPT_NOW, OPT_ANYONE };

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "label", required_argument, NULL, 'l' },
	{ "owner", required_argument, NULL, 'W' },
	{ "org-id", required_argument, NULL, 'G' },
	{ "label-hex", required_argument, NULL, 'L' },
	{ "share", required_argument, NULL, 's' },
	{ "aggregate", required_argument, NULL, 'a' },
	{ "state", required_argument, NULL, 'd' },
	{ "for", required_argument, NULL, 'F' },
	{ "roster", required_argument, NULL, 'r' },
	{ "policy", required_argument, NULL, 'p' },
	{ "identity", required_argument, NULL, 'I' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "min", required_argument, NULL, 'm' },
	{ "contributors", required_argument, NULL, 'C' },
	{ "anyone", no_argument, NULL, OPT_ANYONE },
	{ "verify", required_argument, NULL, OPT_VERIFY },
	{ "jobs", required_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "tty", no_argument, NULL, 'T' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_aggregate_opts o = { 0 };
	struct ccc_cli_opts p = {
	    .shortopts = ":k:l:W:G:L:s:a:d:F:r:p:I:m:C:j:o:fThV",
	    .longopts = longopts };
	struct ccc_err err;
	long long min, now = -1;
	bool have_min = false;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'k': o.tpk = optarg; break;
		case 'l': o.label.context = optarg; break;
		case 'W': o.label.owner = optarg; break;
		case 'G': o.label.org_id = optarg; break;
		case 'L': o.label.hex = optarg; break;
		case 's': o.share = optarg; break;
		case 'a': o.aggregate = optarg; break;
		case 'd': o.state = optarg; break;
		case 'F': o.request = optarg; break;
		case 'r': o.roster = optarg; break;
		case 'p': o.policy = optarg; break;
		case 'I': o.identity = optarg; break;
		case OPT_NOW:
			if ((now = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("--now: a time in seconds "
				    "since 1970");
			break;
		case 'm':
			if ((min = ccc_cli_number(optarg, 1, 1LL << 20)) < 0)
				return ccc_cli_usage("-m: 1 to 1048576");
			o.min = (uint64_t)min;
			have_min = true;
			break;
		case 'C': o.contributors = optarg; break;
		case OPT_ANYONE: o.anyone = true; break;
		case OPT_VERIFY: o.verify = optarg; break;
		case 'j':
			if (ccc_cli_jobs(optarg, &o.jobs) != 0)
				return 2;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'T': o.tty_ok = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (o.tpk == NULL)
		return ccc_cli_usage("missing -k TPK");
	if (optind == argc)
		return ccc_cli_usage("no inputs given");
	o.inputs = argv + optind;
	o.ninputs = argc - optind;
	if (o.share != NULL && o.verify != NULL)
		return ccc_cli_usage("-s and --verify exclude each other");
	if (o.share == NULL && (o.aggregate != NULL || o.state != NULL ||
	    have_min || o.request != NULL || o.roster != NULL ||
	    o.policy != NULL || o.identity != NULL || now >= 0 ||
	    o.contributors != NULL || o.anyone))
		return ccc_cli_usage("-a, -C, -d, -F, -I, -m, -p, -r, --anyone "
		    "and --now apply to -s");
	o.now = (uint64_t)(now >= 0 ? now : (long long)time(NULL));
	if (o.verify != NULL) {
		if (o.tty_ok)
			return ccc_cli_usage("--verify writes text: no -T");
		rc = ccc_aggregate_verify_run(&o, &err);
	} else if (o.share != NULL) {
		if (o.aggregate == NULL || o.state == NULL ||
		    o.request == NULL || o.roster == NULL)
			return ccc_cli_usage("-s needs -a AGGREGATE, "
			    "-F CERTIFIED, -r ROSTER and -d STATE");
		/* Whose inputs count: an explicit choice, never a default. */
		if (o.contributors != NULL && o.anyone)
			return ccc_cli_usage("-C and --anyone exclude each "
			    "other");
		if (o.contributors == NULL && !o.anyone)
			return ccc_cli_usage("-s needs -C CONTRIBUTORS (whose "
			    "inputs count) or --anyone");
		if (o.contributors != NULL && !have_min)
			return ccc_cli_usage("-C needs -m MIN, the fewest "
			    "contributors an aggregate may have");
		rc = ccc_aggregate_share_run(&o, &err);
	} else
		rc = ccc_aggregate_run(&o, &err);
	return rc != 0 ? ccc_cli_fail(&err) : 0;
}
