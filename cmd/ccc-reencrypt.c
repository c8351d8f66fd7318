/* ccc-reencrypt: a decryption node's shares, sealed to a recipient. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-reencrypt -s SHARE -k TPK (--to PUB | -x HEX) [-l CONTEXT | -W ADDRESS | -G ORGID | -L HEX] [-U] "
"[--commitments] [-j N] [-v] [-o OUT] [-f] [-T] [CT ...]\n"
"       ccc-reencrypt -s SHARE -k TPK -r ROSTER -A POLICY -P POOL -d STATE "
"[-p POLICY] [-I IDENTITY] [--now T] [--commitments] [-j N] [-v] [-o OUT] "
"[-f] [-T] [CERTIFIED]\n"
"       ccc-reencrypt -s SHARE -k TPK -r ROSTER -A POLICY -P POOL -d STATE "
"[-p POLICY] [-I IDENTITY] [--now T] [--commitments] [-j N] [-T] --serve\n"
"       ccc-reencrypt -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-s, --share SHARE",
	    "the node's key share (ccc/share/v1)" },
	{ "-k, --key TPK",
	    "the threshold public key (ccc/tpk/v1)" },
	{ "--to PUB",
	    "direct: seal the shares to this recipient key" },
	{ "-x, --box-to HEX",
	    "direct: Chainlink shares, sealed to this X25519 key" },
	{ "-l, --label, --context CONTEXT",
	    "direct: serve only ciphertexts labelled CONTEXT" },
	{ "-W, --owner ADDRESS",
	    "direct: only a Vault DON workflow owner's" },
	{ "-G, --org-id ORGID",
	    "direct: only a Vault DON organisation's" },
	{ "-L, --label-hex HEX",
	    "direct: only ciphertexts with this 32-byte label" },
	{ "-U, --allow-unlabelled",
	    "direct: accept unlabelled ciphertexts" },
	{ "-r, --roster ROSTER",
	    "request: the oracle roster" },
	{ "-A, --attest-policy POLICY",
	    "request: the node's attestation policy" },
	{ "-P, --pool POOL",
	    "request: the certified enclave pool" },
	{ "-d, --state STATE",
	    "request: the node's state directory" },
	{ "-p, --policy POLICY",
	    "request: the node's label policy" },
	{ "-I, --identity IDENTITY",
	    "request: sign the access log's head" },
	{ "--serve",
	    "request: many requests on stdin, an answer each" },
	CCC_HELP_NOW,
	{ "--commitments",
	    "each share carries its proof's commitments (batch check)" },
	{ "-j, --jobs N",
	    "N threads (0: one per CPU)" },
	{ "-v, --verbose",
	    "a summary line (items, time) at the end" },
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	CCC_HELP_TTY,
	{ NULL, NULL }
};

enum { OPT_NOW = 256, OPT_SERVE, OPT_COMM };

static const struct option longopts[] = {
	{ "share", required_argument, NULL, 's' },
	{ "key", required_argument, NULL, 'k' },
	{ "to", required_argument, NULL, 't' },
	{ "box-to", required_argument, NULL, 'x' },
	{ "label", required_argument, NULL, 'l' },
	{ "context", required_argument, NULL, 'l' },
	{ "owner", required_argument, NULL, 'W' },
	{ "org-id", required_argument, NULL, 'G' },
	{ "label-hex", required_argument, NULL, 'L' },
	{ "allow-unlabelled", no_argument, NULL, 'U' },
	{ "roster", required_argument, NULL, 'r' },
	{ "state", required_argument, NULL, 'd' },
	{ "attest-policy", required_argument, NULL, 'A' },
	{ "pool", required_argument, NULL, 'P' },
	{ "policy", required_argument, NULL, 'p' },
	{ "identity", required_argument, NULL, 'I' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "serve", no_argument, NULL, OPT_SERVE },
	{ "commitments", no_argument, NULL, OPT_COMM },
	{ "jobs", required_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "tty", no_argument, NULL, 'T' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_reencrypt_opts o = { 0 };
	struct ccc_serve_opts so = { 0 };
	/* -c: the old spelling of -l (ccc(7), OPTION LETTERS). */
	struct ccc_cli_opts p = {
	    .shortopts = ":s:k:t:x:l:c:W:G:L:Ur:d:A:P:p:I:j:o:fTvhV",
	    .longopts = longopts, .aliases = "cl" };
	struct ccc_err err;
	long long now = (long long)time(NULL);
	struct ccc_cli_progress prog;
	bool verbose = false, serve = false, fixed_now = false;
	int c, have_stdin, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 's': o.share = optarg; break;
		case 'k': o.tpk = optarg; break;
		case 't': o.to = optarg; break;
		case 'x': o.box_to = optarg; break;
		case 'l': o.label.context = optarg; break;
		case 'W': o.label.owner = optarg; break;
		case 'G': o.label.org_id = optarg; break;
		case 'L': o.label.hex = optarg; break;
		case 'U': o.allow_unlabelled = true; break;
		case 'r': so.roster = optarg; break;
		case 'd': so.state = optarg; break;
		case 'A': so.attest_policy = optarg; break;
		case 'P': so.pool = optarg; break;
		case 'p': so.policy = optarg; break;
		case 'I': so.identity = optarg; break;
		case OPT_NOW:
			if ((now = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("--now: a time in seconds "
				    "since 1970");
			fixed_now = true;
			break;
		case OPT_SERVE: serve = true; break;
		case OPT_COMM: o.comm = true; break;
		case 'j':
			if (ccc_cli_jobs(optarg, &o.jobs) != 0)
				return 2;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'T': o.tty_ok = true; break;
		case 'v': verbose = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (so.roster != NULL) {
		/* Request mode: serve a certified request. */
		if (o.share == NULL || o.tpk == NULL || so.state == NULL)
			return ccc_cli_usage("request mode needs -s SHARE, "
			    "-k TPK and -d STATE");
		if (so.attest_policy == NULL || so.pool == NULL)
			return ccc_cli_usage("request mode needs the "
			    "attestation policy (-A) and the enclave pool (-P): "
			    "a request is served only to an attested enclave "
			    "key");
		if (o.to != NULL || o.box_to != NULL ||
		    o.label.context != NULL ||
		    o.label.owner != NULL || o.label.org_id != NULL ||
		    o.label.hex != NULL || o.allow_unlabelled)
			return ccc_cli_usage("--to, -x, -l, -W, -G, -L and -U do "
			    "not apply to "
			    "a certified request (it names its enclave; the "
			    "label policy is -p)");
		if (serve && (argc > optind || o.out != NULL || o.force ||
		    verbose))
			return ccc_cli_usage("--serve reads its requests from "
			    "standard input and answers on standard output "
			    "(no CERTIFIED, -o, -f or -v)");
		if (argc - optind > 1)
			return ccc_cli_usage("one certified request at a time");
		so.jobs = o.jobs;
		so.share = o.share;
		so.tpk = o.tpk;
		so.in = optind < argc ? argv[optind] : NULL;
		so.out = o.out;
		so.force = o.force;
		so.tty_ok = o.tty_ok;
		so.comm = o.comm;
		so.now = (uint64_t)now;
		if (serve) {
			if (!o.tty_ok && isatty(STDOUT_FILENO))
				return ccc_cli_usage("--serve: standard output "
				    "is a terminal (answers are binary; -T "
				    "to write them anyway)");
			rc = ccc_reencrypt_serve(&so, fixed_now, &err);
			return rc != 0 ? ccc_cli_fail(&err) : 0;
		}
		so.progress = ccc_cli_progress_start(&prog, verbose);
		rc = ccc_cli_progress_end(&prog,
		    ccc_reencrypt_request(&so, &err));
		return rc != 0 ? ccc_cli_fail(&err) : 0;
	}
	if (o.label.context != NULL && o.label.context[0] == '\0')
		return ccc_cli_usage("-l: the label context cannot be empty");
	if (so.state != NULL || so.policy != NULL ||
	    so.attest_policy != NULL || so.pool != NULL)
		return ccc_cli_usage("-d, -p, -A and -P apply to request mode "
		    "(-r)");
	if (so.identity != NULL)
		return ccc_cli_usage("-I applies to request mode (-r)");
	if (serve)
		return ccc_cli_usage("--serve applies to request mode (-r)");
	if (o.share == NULL || o.tpk == NULL || (o.to == NULL) ==
	    (o.box_to == NULL))
		return ccc_cli_usage("needs -s SHARE, -k TPK and one of --to PUB "
		    "and -x HEX");
	if (o.comm && o.box_to != NULL)
		return ccc_cli_usage("--commitments: Chainlink's shares (-x) "
		    "have no room for them");
	o.cts = argv + optind;
	o.ncts = argc - optind;
	for (c = 0, have_stdin = 0; c < o.ncts; c++)
		if (strcmp(o.cts[c], "-") == 0 && have_stdin++)
			return ccc_cli_usage("standard input (-) can be read "
			    "only once");
	o.progress = ccc_cli_progress_start(&prog, verbose);
	rc = ccc_cli_progress_end(&prog, ccc_reencrypt_run(&o, &err));
	return rc != 0 ? ccc_cli_fail(&err) : 0;
}
