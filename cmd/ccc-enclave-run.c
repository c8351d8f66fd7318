/* ccc-enclave-run: run a certified request's code on its decrypted inputs
 * and attest the result. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-enclave-run -r ROSTER -k TPK -i KEY -a ATTEST_KEY -x CODEDIR "
"[-p POLICY] [-n HEX] [--now T] [--report FILE] [-o OUT] [-f] CERTIFIED "
"SEALED ...\n"
"       ccc-enclave-run -h | -V\n";

enum { OPT_NOW = 256, OPT_REPORT };

static const struct option longopts[] = {
	{ "roster", required_argument, NULL, 'r' },
	{ "key", required_argument, NULL, 'k' },
	{ "identity", required_argument, NULL, 'i' },
	{ "attest-key", required_argument, NULL, 'a' },
	{ "code-dir", required_argument, NULL, 'x' },
	{ "policy", required_argument, NULL, 'p' },
	{ "nonce", required_argument, NULL, 'n' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_enclave_opts o = { 0 };
	/* -c: the old spelling of -x (ccc(7), OPTION LETTERS). */
	struct ccc_cli_opts p = { .shortopts = ":r:k:i:a:x:c:p:n:o:fhV",
	    .longopts = longopts, .aliases = "cx" };
	struct ccc_err err;
	uint8_t nonce[512];
	size_t nlen;
	long long now = (long long)time(NULL);
	int c;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'r': o.roster = optarg; break;
		case 'k': o.tpk = optarg; break;
		case 'i': o.key = optarg; break;
		case 'a': o.attest_key = optarg; break;
		case 'x': o.codedir = optarg; break;
		case 'p': o.policy = optarg; break;
		case 'n':
			if (sodium_hex2bin(nonce, sizeof(nonce), optarg,
			    strlen(optarg), NULL, &nlen, NULL) != 0 ||
			    nlen == 0 || strlen(optarg) != 2 * nlen)
				return ccc_cli_usage("-n: 1 to %zu hex bytes",
				    sizeof(nonce));
			o.nonce = nonce;
			o.nonce_len = nlen;
			break;
		case OPT_NOW:
			if ((now = ccc_cli_number(optarg, 0, INT64_MAX / 1000)) <
			    0)
				return ccc_cli_usage("--now: a time in seconds "
				    "since 1970");
			break;
		case OPT_REPORT:
			if (strcmp(optarg, "-") == 0)
				return ccc_cli_usage("--report: a file "
				    "(standard output carries the result)");
			o.report = optarg;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'h': return ccc_cli_help(usage);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (o.roster == NULL || o.tpk == NULL || o.key == NULL ||
	    o.attest_key == NULL || o.codedir == NULL)
		return ccc_cli_usage("needs -r, -k, -i, -a and -x");
	if (argc - optind < 2)
		return ccc_cli_usage("needs the certified request and the "
		    "sealed shares");
	o.in = argv[optind];
	o.sealed = argv + optind + 1;
	o.nsealed = argc - optind - 1;
	o.now = (uint64_t)now;
	return ccc_enclave_run(&o, &err) ? ccc_cli_fail(&err) : 0;
}
