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
"[--commitments] [-o OUT] [-f] [-T] [--seq [-j N] [-v] | --json [-e FORM]] "
"[FILE]\n"
"       ccc-encrypt -k TPK --from-json [-l CONTEXT | -W ADDRESS | -G ORGID | "
"-L HEX] [-o OUT] [-f] [-T] [FILE]\n"
"       ccc-encrypt -k TPK --additive -B BITS [-S BITS] [-I IDENTITY] "
"(-l CONTEXT | -W ADDRESS | -G ORGID | -L HEX) [-o OUT] [-f] [-T] [FILE]\n"
"       ccc-encrypt -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-k, --key TPK",
	    "the threshold public key (ccc/tpk/v1)" },
	{ "-l, --label CONTEXT",
	    "label the ciphertext with CONTEXT" },
	{ "-W, --owner ADDRESS",
	    "label it for a Vault DON workflow owner (0x...)" },
	{ "-G, --org-id ORGID",
	    "label it for a Vault DON organisation" },
	{ "-L, --label-hex HEX",
	    "label it with these 32 bytes" },
	{ "--commitments",
	    "carry the proof's commitments (batch checks)" },
	{ "--seq",
	    "encrypt each byte string of a CBOR sequence" },
	{ "-j, --jobs N",
	    "with --seq: N threads (0: one per CPU)" },
	{ "--json",
	    "write Chainlink's hybrid JSON form" },
	{ "-e, --encoding FORM",
	    "with --json: json, hex or base64" },
	{ "--from-json",
	    "convert a Chainlink JSON ciphertext to a blob" },
	{ "-v, --verbose",
	    "with --seq: a summary line (items, time) at the end" },
	{ "--additive",
	    "lines of integers to additive inputs (level 4)" },
	{ "-B, --bits BITS",
	    "with --additive: each value below 2^BITS (1 to 32)" },
	{ "-S, --sum-bits BITS",
	    "with --additive: also prove each line's sum below 2^BITS" },
	{ "-I, --identity IDENTITY",
	    "with --additive: sign each input, a contribution" },
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	CCC_HELP_TTY,
	{ NULL, NULL }
};

enum { OPT_SEQ = 256, OPT_JSON, OPT_FROM_JSON, OPT_ADDITIVE, OPT_COMM };

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
	{ "commitments", no_argument, NULL, OPT_COMM },
	{ "jobs", required_argument, NULL, 'j' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "from-json", no_argument, NULL, OPT_FROM_JSON },
	{ "verbose", no_argument, NULL, 'v' },
	{ "additive", no_argument, NULL, OPT_ADDITIVE },
	{ "bits", required_argument, NULL, 'B' },
	{ "sum-bits", required_argument, NULL, 'S' },
	{ "identity", required_argument, NULL, 'I' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_encrypt_opts o = { 0 };
	struct ccc_cli_opts p = { .shortopts = ":k:l:W:G:L:e:o:fTvhVj:B:S:I:",
	    .longopts = longopts };
	struct ccc_err err;
	struct ccc_cli_progress prog;
	bool have_jobs = false, have_form = false, verbose = false;
	long long bits;
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
		case 'v': verbose = true; break;
		case OPT_SEQ: o.seq = true; break;
		case 'j':
			if (ccc_cli_jobs(optarg, &o.jobs) != 0)
				return 2;
			have_jobs = true;
			break;
		case OPT_JSON: o.json = true; break;
		case OPT_FROM_JSON: o.from_json = true; break;
		case OPT_ADDITIVE: o.additive = true; break;
		case OPT_COMM: o.hints = true; break;
		case 'B':
			if ((bits = ccc_cli_number(optarg, 1, 32)) < 0)
				return ccc_cli_usage("-B: 1 to 32");
			o.bits = (uint32_t)bits;
			break;
		case 'S':
			if ((bits = ccc_cli_number(optarg, 1, 32)) < 0)
				return ccc_cli_usage("-S: 1 to 32");
			o.sum_bits = (uint32_t)bits;
			break;
		case 'I': o.identity = optarg; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (o.tpk == NULL)
		return ccc_cli_usage("missing -k TPK");
	if (o.additive != (o.bits != 0))
		return ccc_cli_usage("--additive and -B go together");
	if (o.sum_bits != 0 && !o.additive)
		return ccc_cli_usage("-S applies to --additive");
	if (o.identity != NULL && !o.additive)
		return ccc_cli_usage("-I applies to --additive");
	if (o.additive && (o.seq || o.json || o.from_json || have_form ||
	    have_jobs || verbose || o.hints))
		return ccc_cli_usage("--additive takes only -B, -S, -I, a "
		    "label, -o, -f and -T");
	if (o.additive) {
		if (optind < argc)
			o.in = argv[optind++];
		if (optind < argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		return ccc_encrypt_additive(&o, &err) ? ccc_cli_fail(&err) :
		    0;
	}
	if (have_form && !o.json)
		return ccc_cli_usage("-e applies to --json");
	if (have_jobs && !o.seq)
		return ccc_cli_usage("-j applies to --seq");
	if (verbose && !o.seq)
		return ccc_cli_usage("-v applies to --seq");
	if (o.seq + o.json + o.from_json > 1)
		return ccc_cli_usage("--seq, --json and --from-json exclude "
		    "each other");
	if (o.hints && (o.json || o.from_json))
		return ccc_cli_usage("--commitments: Chainlink's JSON form has "
		    "no room for them");
	if (optind < argc)
		o.in = argv[optind++];
	if (optind < argc)
		return ccc_cli_usage("unexpected argument \"%s\"",
		    argv[optind]);
	if (o.seq)
		o.progress = ccc_cli_progress_start(&prog, verbose);
	rc = ccc_encrypt_run(&o, &err);
	if (o.seq)
		(void)ccc_cli_progress_end(&prog, rc);
	return rc != 0 ? ccc_cli_fail(&err) : 0;
}
