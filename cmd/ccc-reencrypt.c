/* ccc-reencrypt: a decryption node's shares, sealed to a recipient. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "ops.h"

static const char usage[] =
"usage: ccc-reencrypt -s SHARE -k TPK --to PUB [-c CONTEXT] [-U] [-o OUT] "
"[-f] [-T] [CT ...]\n"
"       ccc-reencrypt -h | -V\n";

static const struct option longopts[] = {
	{ "share", required_argument, NULL, 's' },
	{ "key", required_argument, NULL, 'k' },
	{ "to", required_argument, NULL, 't' },
	{ "context", required_argument, NULL, 'c' },
	{ "allow-unlabelled", no_argument, NULL, 'U' },
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
	struct ccc_reencrypt_opts o = { 0 };
	struct ccc_err err;
	int c;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	while ((c = getopt_long(argc, argv, "s:k:t:c:Uo:fThV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 's': o.share = optarg; break;
		case 'k': o.tpk = optarg; break;
		case 't': o.to = optarg; break;
		case 'c': o.context = optarg; break;
		case 'U': o.allow_unlabelled = true; break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'T': o.tty_ok = true; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': return ccc_cli_version();
		default: return ccc_cli_usage("unknown option");
		}
	}
	if (o.share == NULL || o.tpk == NULL || o.to == NULL)
		return ccc_cli_usage("needs -s SHARE, -k TPK and --to PUB");
	o.cts = argv + optind;
	o.ncts = argc - optind;
	return ccc_reencrypt_run(&o, &err) ? ccc_cli_fail(&err) : 0;
}
