/* ccc-share: a decryption node's key lifecycle without a dealer (DKG,
 * proactive resharing, committee changes), one round per invocation. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-share init -d DIR -i IDENTITY [-t T OPERATOR ...]\n"
"       ccc-share committee [-t T] [-q Q] [-g GROUP | -k KEYID] [-a ATTEMPT]\n"
"                 [-S START] [-w STEP] [-G GRACE] [-f] -o OUT MEMBER ...\n"
"       ccc-share approve (-d DIR | -i IDENTITY) -c PROPOSAL [-f] -o OUT\n"
"       ccc-share dkg -d DIR -c COMMITTEE [--now T] [-v]\n"
"       ccc-share reshare -d DIR -c COMMITTEE [-g GROUP] [--now T] [-v]\n"
"       ccc-share advance -d DIR [--now T] [-v]\n"
"       ccc-share status -d DIR [--now T]\n"
"       ccc-share abort -d DIR [--now T] [-v]\n"
"       ccc-share export -d DIR [-e EPOCH] [-f] [-C CERT] [-g GROUP]\n"
"                 [-k TPK] [-s SHARE]\n"
"       ccc-share verify (-k TPK -s SHARE | -g GROUP -C CERT)\n"
"       ccc-share retirement -d DIR [-f] -o OUT\n"
"       ccc-share retire -d DIR -c RETIREMENT\n"
"       ccc-share -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-d, --dir DIR",
	    "the node's state directory" },
	{ "-i, --identity IDENTITY",
	    "init, approve: the node's identity secret key" },
	{ "-t, --threshold T",
	    "init, committee: the threshold" },
	{ "-q, --quorum Q",
	    "committee: confirmations needed to commit" },
	{ "-g, --group GROUP",
	    "the group file (reshare it, or export it)" },
	{ "-k, --key KEY",
	    "committee: a DKG's key id; export, verify: TPK" },
	{ "-a, --attempt ATTEMPT",
	    "committee: the attempt number (default 0)" },
	{ "-S, --start START",
	    "committee: the start (seconds since 1970)" },
	{ "-w, --step STEP",
	    "committee: a round's length (default 3600 s)" },
	{ "-G, --grace GRACE",
	    "committee: keep old shares (default 86400 s)" },
	{ "-c, --committee FILE",
	    "the committee, proposal or retirement file" },
	{ "-e, --epoch EPOCH",
	    "export: the epoch (default: the current one)" },
	{ "-C, --cert CERT",
	    "export, verify: the group certificate" },
	{ "-s, --share SHARE",
	    "export, verify: the key share file" },
	CCC_HELP_NOW,
	{ "-v, --verbose",
	    "one line per message sent or epoch committed" },
	{ "-o, --output OUT",
	    "committee, approve, retirement: the output" },
	{ "-f, --force",
	    "replace files that exist" },
	{ NULL, NULL }
};

enum { OPT_NOW = 256 };

static const struct option longopts[] = {
	{ "attempt", required_argument, NULL, 'a' },
	{ "committee", required_argument, NULL, 'c' },
	{ "cert", required_argument, NULL, 'C' },
	{ "dir", required_argument, NULL, 'd' },
	{ "epoch", required_argument, NULL, 'e' },
	{ "force", no_argument, NULL, 'f' },
	{ "group", required_argument, NULL, 'g' },
	{ "grace", required_argument, NULL, 'G' },
	{ "help", no_argument, NULL, 'h' },
	{ "identity", required_argument, NULL, 'i' },
	{ "key", required_argument, NULL, 'k' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "output", required_argument, NULL, 'o' },
	{ "quorum", required_argument, NULL, 'q' },
	{ "share", required_argument, NULL, 's' },
	{ "start", required_argument, NULL, 'S' },
	{ "threshold", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "step", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const struct ccc_cli_sub subs[] = {
	{ "init", "dir identity threshold" },
	{ "committee", "threshold quorum group key attempt start step grace "
	    "force output" },
	{ "dkg", "dir committee now verbose" },
	{ "reshare", "dir committee group now verbose" },
	{ "advance", "dir now verbose" },
	{ "status", "dir now" },
	{ "abort", "dir now verbose" },
	{ "export", "dir epoch force cert group key share" },
	{ "verify", "key share group cert" },
	{ "approve", "dir identity committee force output" },
	{ "retirement", "dir force output" },
	{ "retire", "dir committee" },
	{ NULL, NULL }
};

static int
number(const char *opt, const char *arg, long long lo, long long hi,
    uint64_t *v)
{
	long long n = ccc_cli_number(arg, lo, hi);

	if (n < 0)
		return ccc_cli_usage("%s: expected a number from %lld to %lld",
		    opt, lo, hi);
	*v = (uint64_t)n;
	return 0;
}

int
main(int argc, char **argv)
{
	struct ccc_node_opts o = { 0 };
	struct ccc_committee_opts co = { 0 };
	struct ccc_cli_opts p = {
	    .shortopts = ":a:c:C:d:e:fg:G:hi:k:o:q:s:S:t:vVw:",
	    .longopts = longopts };
	const struct ccc_cli_sub *sub;
	struct ccc_err err;
	const char *cmd, *keyid = NULL;
	uint8_t kid[32];
	uint64_t v;
	long long n;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return ccc_cli_help(usage, help);
	if (argc >= 2 && (!strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "--version")))
		return ccc_cli_version();
	if (argc < 2 || argv[1][0] == '-')
		return ccc_cli_usage("missing subcommand (init, committee, "
		    "approve, dkg, reshare, advance, status, abort, export, "
		    "verify, retirement or retire)");
	cmd = argv[1];
	if ((sub = ccc_cli_sub(subs, cmd)) == NULL)
		return ccc_cli_usage("unknown subcommand \"%s\"", cmd);
	p.cmd = cmd;
	p.takes = sub->takes;
	argv++;
	argc--;
	co.step = 3600;
	co.grace = 86400;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		rc = 0;
		switch (c) {
		case 'a': rc = number("-a", optarg, 0, 65535, &v);
			co.attempt = (uint32_t)v; break;
		case 'c': o.committee = optarg; break;
		case 'C': o.cert = optarg; break;
		case 'd': o.dir = optarg; break;
		case 'e': rc = number("-e", optarg, 0, UINT32_MAX, &o.epoch);
			o.has_epoch = true; break;
		case 'f': o.force = co.force = true; break;
		case 'g': o.group = co.group = optarg; break;
		case 'G': rc = number("-G", optarg, 0, UINT32_MAX, &co.grace);
			break;
		case 'h': return ccc_cli_help(usage, help);
		case 'i': o.identity = optarg; break;
		case 'k': o.tpk = keyid = optarg; break;
		case OPT_NOW:
			if ((n = ccc_cli_number(optarg, 1, 1LL << 40)) < 0)
				return ccc_cli_usage("--now: a time in seconds "
				    "since 1970");
			o.now = (uint64_t)n;
			break;
		case 'o': co.out = o.out = optarg; break;
		case 'q': rc = number("-q", optarg, 1, 255, &v);
			co.q = (uint32_t)v; break;
		case 's': o.share = optarg; break;
		case 'S': rc = number("-S", optarg, 1, 1LL << 40, &co.start);
			break;
		case 't': rc = number("-t", optarg, 1, 255, &v);
			co.t = (uint32_t)v; break;
		case 'v': o.log = stdout; break;
		case 'V': return ccc_cli_version();
		case 'w': rc = number("-w", optarg, 1, UINT32_MAX, &co.step);
			break;
		default: return 2;	/* the usage line is printed */
		}
		if (rc != 0)
			return rc;
	}
#ifdef CCC_TEST_HOOKS
	/* Test hook: die as kill -9 would at a named step (ccc-share(1)). */
	o.crash_at = getenv("CCC_CRASH_AT");
#endif
	if (strcmp(cmd, "committee") == 0) {
		if ((co.t == 0 && co.group == NULL) || co.out == NULL ||
		    optind == argc)
			return ccc_cli_usage("committee needs -t T (or -g "
			    "GROUP), -o OUT and the members' identity public "
			    "keys");
		if (keyid != NULL && co.group != NULL)
			return ccc_cli_usage("-k KEYID makes a new key, -g "
			    "GROUP reshares one: not both");
		if (keyid != NULL) {
			if (sodium_hex2bin(kid, 32, keyid, strlen(keyid), NULL,
			    NULL, NULL) != 0 || strlen(keyid) != 64)
				return ccc_cli_usage("-k: a key id is 64 hex "
				    "digits");
			co.key_id = kid;
		}
		co.members = argv + optind;
		co.nmembers = argc - optind;
		rc = ccc_committee_make(&co, &err);
		return rc ? ccc_cli_fail(&err) : 0;
	}
	if (strcmp(cmd, "init") == 0 && (co.t != 0 || optind < argc)) {
		if (co.t == 0 || optind == argc)
			return ccc_cli_usage("init takes -t T and the "
			    "operators' identity public keys, or neither");
		o.operators = argv + optind;
		o.noperators = argc - optind;
		o.op_t = co.t;
		optind = argc;
	}
	if (strcmp(cmd, "approve") == 0) {
		if ((o.dir == NULL) == (o.identity == NULL) ||
		    o.committee == NULL || o.out == NULL)
			return ccc_cli_usage("approve needs -d DIR or -i "
			    "IDENTITY, -c PROPOSAL and -o OUT");
		if (optind < argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		rc = ccc_node_approve(&o, &err);
		return rc ? ccc_cli_fail(&err) : 0;
	}
	if (optind < argc)
		return ccc_cli_usage("unexpected argument \"%s\"",
		    argv[optind]);
	if (strcmp(cmd, "verify") == 0) {
		if ((o.share == NULL) != (o.tpk == NULL) ||
		    (o.cert == NULL) != (o.group == NULL) ||
		    (o.share == NULL && o.cert == NULL))
			return ccc_cli_usage("verify needs -k TPK -s SHARE, or "
			    "-g GROUP -C CERT");
		rc = ccc_node_verify(&o, stdout, &err);
		return rc ? ccc_cli_fail(&err) : 0;
	}
	if (o.dir == NULL)
		return ccc_cli_usage("%s needs -d DIR", cmd);
	if (strcmp(cmd, "init") == 0) {
		if (o.identity == NULL)
			return ccc_cli_usage("init needs -i IDENTITY");
		rc = ccc_node_init(&o, &err);
	} else if (strcmp(cmd, "dkg") == 0 || strcmp(cmd, "reshare") == 0) {
		if (o.committee == NULL)
			return ccc_cli_usage("%s needs -c COMMITTEE", cmd);
		rc = ccc_node_start(&o, strcmp(cmd, "dkg") == 0, &err);
	} else if (strcmp(cmd, "advance") == 0) {
		rc = ccc_node_advance(&o, &err);
	} else if (strcmp(cmd, "status") == 0) {
		rc = ccc_node_status(&o, stdout, &err);
	} else if (strcmp(cmd, "abort") == 0) {
		rc = ccc_node_abort(&o, &err);
	} else if (strcmp(cmd, "retirement") == 0) {
		if (o.out == NULL)
			return ccc_cli_usage("retirement needs -o OUT");
		rc = ccc_node_retirement(&o, &err);
	} else if (strcmp(cmd, "retire") == 0) {
		if (o.committee == NULL)
			return ccc_cli_usage("retire needs -c RETIREMENT");
		rc = ccc_node_retire(&o, &err);
	} else if (strcmp(cmd, "export") == 0) {
		if (!o.group && !o.cert && !o.tpk && !o.share)
			return ccc_cli_usage("export needs at least one of -C, "
			    "-g, -k and -s");
		rc = ccc_node_export(&o, &err);
	} else
		return ccc_cli_usage("unknown subcommand \"%s\"", cmd);
	return rc ? ccc_cli_fail(&err) : 0;
}
