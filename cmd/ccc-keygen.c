/* ccc-keygen: make threshold keys (trusted dealer), recipient keys, and
 * convert keys to and from Chainlink's JSON. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-keygen dealer -t T -n N -d DIR [-e EPOCH] [-f] [--json]\n"
"       ccc-keygen recipient -o KEY [-p PUB] [-f]\n"
"       ccc-keygen identity -o KEY [-p PUB] [-N NAME] [-f]\n"
"       ccc-keygen export [-o OUT] [-f] [FILE]\n"
"       ccc-keygen import (-t T | -k TPK) [-o OUT] [-f] [FILE]\n"
"       ccc-keygen attest-root -o KEY [-p CERT] [-N NAME] [-f]\n"
"       ccc-keygen enclave-cert -r ROOTKEY -o KEY [-p CHAIN] -N ID [-f]\n"
"       ccc-keygen -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-t, --threshold T",
	    "dealer, import: the threshold (1 to 255)" },
	{ "-n, --nodes N",
	    "dealer: the number of nodes (1 to 255)" },
	{ "-d, --dir DIR",
	    "dealer: the directory for the key files" },
	{ "-e, --epoch EPOCH",
	    "dealer: the epoch, 0 to 2^63-1 (default 0)" },
	{ "--json",
	    "dealer: also write Chainlink's JSON public key" },
	{ "-k, --key TPK",
	    "import: the threshold public key of the share" },
	{ "-o, --output FILE",
	    "the secret key or output file" },
	{ "-p, --public FILE",
	    "the public key or certificate file" },
	{ "-N, --name NAME",
	    "a name (identity, root) or an enclave id" },
	{ "-r, --root ROOTKEY",
	    "enclave-cert: the key of the attestation root" },
	{ "-f, --force",
	    "replace files that exist" },
	{ NULL, NULL }
};

enum { OPT_JSON = 256 };

static const struct option longopts[] = {
	{ "threshold", required_argument, NULL, 't' },
	{ "nodes", required_argument, NULL, 'n' },
	{ "dir", required_argument, NULL, 'd' },
	{ "epoch", required_argument, NULL, 'e' },
	{ "output", required_argument, NULL, 'o' },
	{ "public", required_argument, NULL, 'p' },
	{ "key", required_argument, NULL, 'k' },
	{ "name", required_argument, NULL, 'N' },
	{ "root", required_argument, NULL, 'r' },
	{ "force", no_argument, NULL, 'f' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const struct ccc_cli_sub subs[] = {
	{ "dealer", "threshold nodes dir epoch force json" },
	{ "recipient", "output public force" },
	{ "identity", "output public name force" },
	{ "export", "output force" },
	{ "import", "threshold key output force" },
	{ "attest-root", "output public name force" },
	{ "enclave-cert", "root output public name force" },
	{ NULL, NULL }
};

int
main(int argc, char **argv)
{
	struct ccc_dealer_opts d = { 0 };
	struct ccc_cli_opts p = { .shortopts = ":t:n:d:e:o:p:k:N:r:fhV",
	    .longopts = longopts };
	const struct ccc_cli_sub *sub;
	struct ccc_err err;
	const char *cmd, *out = NULL, *pub = NULL, *tpk = NULL, *in = NULL;
	const char *name = NULL, *root = NULL;
	long long v;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))
		return ccc_cli_help(usage, help);
	if (argc >= 2 && (strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "--version") == 0))
		return ccc_cli_version();
	if (argc < 2 || argv[1][0] == '-')
		return ccc_cli_usage("missing subcommand (dealer, recipient, "
		    "identity, export, import, attest-root or enclave-cert)");
	cmd = argv[1];
	if ((sub = ccc_cli_sub(subs, cmd)) == NULL)
		return ccc_cli_usage("unknown subcommand \"%s\"", cmd);
	p.cmd = cmd;
	p.takes = sub->takes;
	argv++;
	argc--;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 't':
			if ((v = ccc_cli_number(optarg, 1, 255)) < 0)
				return ccc_cli_usage("-t: threshold must be 1 "
				    "to 255");
			d.t = (uint32_t)v;
			break;
		case 'n':
			if ((v = ccc_cli_number(optarg, 1, 255)) < 0)
				return ccc_cli_usage("-n: node count must be 1 "
				    "to 255");
			d.n = (uint32_t)v;
			break;
		case 'd':
			d.dir = optarg;
			break;
		case 'e':
			if ((v = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("-e: an epoch is 0 to "
				    "9223372036854775807 (2^63-1)");
			d.epoch = (uint64_t)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			pub = optarg;
			break;
		case 'k':
			tpk = optarg;
			break;
		case 'N':
			name = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'f':
			d.force = true;
			break;
		case OPT_JSON:
			d.json = true;
			break;
		case 'h':
			return ccc_cli_help(usage, help);
		case 'V':
			return ccc_cli_version();
		default:
			return 2;	/* the usage line is printed */
		}
	}
	if (optind < argc)
		in = argv[optind++];
	if (optind < argc)
		return ccc_cli_usage("unexpected argument \"%s\"",
		    argv[optind]);
	if (strcmp(cmd, "dealer") == 0) {
		if (d.t == 0 || d.n == 0 || d.dir == NULL)
			return ccc_cli_usage("dealer needs -t, -n and -d");
		if (d.t > d.n)
			return ccc_cli_usage("threshold %u exceeds the %u "
			    "nodes", d.t, d.n);
		if (in != NULL)
			return ccc_cli_usage("unexpected argument \"%s\"", in);
		rc = ccc_keygen_dealer(&d, &err);
	} else if (strcmp(cmd, "recipient") == 0) {
		if (out == NULL)
			return ccc_cli_usage("recipient needs -o KEY");
		if (in != NULL)
			return ccc_cli_usage("unexpected argument \"%s\"", in);
		rc = ccc_keygen_recipient(out, d.force, pub, &err);
	} else if (strcmp(cmd, "identity") == 0) {
		if (out == NULL)
			return ccc_cli_usage("identity needs -o KEY");
		if (in != NULL)
			return ccc_cli_usage("unexpected argument \"%s\"", in);
		rc = ccc_keygen_identity(out, name, d.force, pub, &err);
	} else if (strcmp(cmd, "export") == 0) {
		rc = ccc_keygen_export(in, out, d.force, &err);
	} else if (strcmp(cmd, "import") == 0) {
		if ((d.t == 0) == (tpk == NULL))
			return ccc_cli_usage("import needs -t T for a public "
			    "key or -k TPK for a share");
		rc = ccc_keygen_import(in, out, d.t, tpk, d.force, &err);
	} else if (strcmp(cmd, "attest-root") == 0) {
		if (out == NULL)
			return ccc_cli_usage("attest-root needs -o KEY");
		if (in != NULL)
			return ccc_cli_usage("unexpected argument \"%s\"", in);
		rc = ccc_keygen_attest_root(out, name, d.force, pub, &err);
	} else if (strcmp(cmd, "enclave-cert") == 0) {
		if (root == NULL || out == NULL || name == NULL)
			return ccc_cli_usage("enclave-cert needs -r ROOTKEY, "
			    "-o KEY and -N ID");
		if (in != NULL)
			return ccc_cli_usage("unexpected argument \"%s\"", in);
		rc = ccc_keygen_enclave_cert(root, out, name, d.force, pub,
		    &err);
	} else
		return ccc_cli_usage("unknown subcommand \"%s\"", cmd);
	return rc ? ccc_cli_fail(&err) : 0;
}
