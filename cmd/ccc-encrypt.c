/* ccc-encrypt: encrypt under a threshold public key. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-encrypt -k TPK [-l CONTEXT | -W ADDRESS | -G ORGID | -L HEX] "
"[-o OUT] [-f] [-T] [--seq [-j N] | --json [-e FORM]] [FILE]\n"
"       ccc-encrypt -k TPK --from-json [-l CONTEXT | -W ADDRESS | -G ORGID | "
"-L HEX] [-o OUT] [-f] [-T] [FILE]\n"
"       ccc-encrypt -h | -V\n";

enum { OPT_SEQ = 256, OPT_JSON, OPT_FROM_JSON };

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "label", required_argument, NULL, 'l' },
	{ "owner", required_argument, NULL, 'W' },
	{ "org-id", required_argument, NULL, 'G' },
	{ "label-hex", required_argument, NULL, 'L' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "tty", no_argument, NULL, 'T' },
	{ "seq", no_argument, NULL, OPT_SEQ },
	{ "jobs", required_argument, NULL, 'j' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "from-json", no_argument, NULL, OPT_FROM_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_encrypt_opts o = { 0 };
	struct ccc_cli_opts p = { .shortopts = ":k:l:W:G:L:e:o:fThVj:",
	    .longopts = longopts };
	struct ccc_err err;
	bool have_jobs = false, have_form = false;
	int c;

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
		case 'e':
			if (strcmp(optarg, "json") == 0)
				o.form = CCC_FORM_JSON;
			else if (strcmp(optarg, "hex") == 0)
				o.form = CCC_FORM_HEX;
			else if (strcmp(optarg, "base64") == 0)
				o.form = CCC_FORM_BASE64;
			else
				return ccc_cli_usage("-e: json, hex or base64");
			have_form = true;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'T': o.tty_ok = true; break;
		case OPT_SEQ: o.seq = true; break;
		case 'j':
			if (ccc_cli_jobs(optarg, &o.jobs) != 0)
				return 2;
			have_jobs = true;
			break;
		case OPT_JSON: o.json = true; break;
		case OPT_FROM_JSON: o.from_json = true; break;
		case 'h': return ccc_cli_help(usage);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (o.tpk == NULL)
		return ccc_cli_usage("missing -k TPK");
	if (have_form && !o.json)
		return ccc_cli_usage("-e applies to --json");
	if (have_jobs && !o.seq)
		return ccc_cli_usage("-j applies to --seq");
	if (o.seq + o.json + o.from_json > 1)
		return ccc_cli_usage("--seq, --json and --from-json exclude "
		    "each other");
	if (optind < argc)
		o.in = argv[optind++];
	if (optind < argc)
		return ccc_cli_usage("unexpected argument \"%s\"",
		    argv[optind]);
	return ccc_encrypt_run(&o, &err) ? ccc_cli_fail(&err) : 0;
}
