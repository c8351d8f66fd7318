/* ccc-rand: verifiable randomness per request from the threshold coin. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-rand share -k TPK -s SHARE -I HEX [-o OUT] [-f] [-T]\n"
"       ccc-rand combine -k TPK -I HEX [-o OUT] [-f] [-T] COINSHARE ...\n"
"       ccc-rand verify -k TPK [-I HEX] [RAND]\n"
"       ccc-rand -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-k, --key TPK",
	    "the threshold public key (ccc/tpk/v1)" },
	{ "-s, --share SHARE",
	    "share: the node's key share (ccc/share/v1)" },
	{ "-I, --request-id HEX",
	    "the request's 32-byte id (verify: check it)" },
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	CCC_HELP_TTY,
	{ NULL, NULL }
};

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "share", required_argument, NULL, 's' },
	{ "request-id", required_argument, NULL, 'I' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "tty", no_argument, NULL, 'T' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const struct ccc_cli_sub subs[] = {
	{ "share", "key share request-id output force tty" },
	{ "combine", "key request-id output force tty" },
	{ "verify", "key request-id" },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	struct ccc_rand_opts o = { 0 };
	struct ccc_cli_opts p = { .shortopts = ":k:s:I:o:fThV",
	    .longopts = longopts };
	struct ccc_err err;
	const char *cmd;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	if ((rc = ccc_cli_subcommand(&p, subs, "share, combine or verify",
	    usage, help, &argc, &argv)) >= 0)
		return rc;
	cmd = p.cmd;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'k': o.tpk = optarg; break;
		case 's': o.share = optarg; break;
		case 'I': o.rid = optarg; break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'T': o.tty_ok = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (o.tpk == NULL)
		return ccc_cli_usage("%s needs -k TPK", cmd);
	if (strcmp(cmd, "verify") == 0) {
		if (argc - optind > 1)
			return ccc_cli_usage("one random value at a time");
		o.in = optind < argc ? argv[optind] : NULL;
		rc = ccc_rand_verify_run(&o, stdout, &err);
		return rc ? ccc_cli_fail(&err) : 0;
	}
	if (o.rid == NULL)
		return ccc_cli_usage("%s needs -I HEX, the request id", cmd);
	if (strcmp(cmd, "share") == 0) {
		if (o.share == NULL)
			return ccc_cli_usage("share needs -s SHARE");
		if (optind < argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		rc = ccc_rand_share_run(&o, &err);
		return rc ? ccc_cli_fail(&err) : 0;
	}
	if (optind == argc)
		return ccc_cli_usage("no coin shares given");
	o.shares = argv + optind;
	o.nshares = argc - optind;
	rc = ccc_rand_combine_run(&o, &err);
	return rc ? ccc_cli_fail(&err) : 0;
}
