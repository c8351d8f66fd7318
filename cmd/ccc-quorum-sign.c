/*
 * ccc-quorum-sign: oracle rosters, computation requests, oracle signatures
 * and quorum certificates.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-quorum-sign roster -q Q -N NAME [--not-before T] [--not-after T] "
"[-o OUT] [-f] PUB ...\n"
"       ccc-quorum-sign request -a APP (-x CODE | -m HEX) -k TPK -r ROSTER "
"-P POOL -K ENCLAVE_KEY [-K ENCLAVE_KEY ... [--agree M]] [--assignment HEX] "
"[-X REASSIGN ...] [-O MODE] "
"[-R PUB] [-n [--connect PORT ...]] [-E SECS] [-I HEX] [--now T] [-o OUT] "
"[-f] CT ...\n"
"       ccc-quorum-sign request -a APP (-x CODE | -m HEX) -k TPK -r ROSTER "
"-P POOL [-O MODE] [-R PUB] [-n [--connect PORT ...]] [-E SECS] [--now T] "
"--serve\n"
"       ccc-quorum-sign request --item -K ENCLAVE_KEY [-K ENCLAVE_KEY ... "
"[--agree M]] [--assignment HEX] [-X REASSIGN ...] [-I HEX] [-o OUT] [-f] "
"CT ...\n"
"       ccc-quorum-sign request -a APP -k TPK --aggregate AGGREGATE [-E SECS] "
"[-I HEX] [--now T] [-o OUT] [-f]\n"
"       ccc-quorum-sign sign -i KEY [-k TPK] [-p POLICY] [-U] [-A POLICY "
"-r ROSTER -P POOL] [-F REQUEST [-C CHAIN]] [-X REASSIGN ...] [-S SUBSCRIBERS "
"--provider ROSTER] [--now T] [-o OUT] [-f] [FILE]\n"
"       ccc-quorum-sign sign -i KEY -k TPK [-p POLICY] [-U] -A POLICY "
"-r ROSTER -P POOL [--now T] --serve\n"
"       ccc-quorum-sign agree -A POLICY -r ROSTER -P POOL -F REQUEST "
"[-D DIVERGENCE] [--now T] [-o OUT] [-f] RESULT ...\n"
"       ccc-quorum-sign pool -N NAME [-s SERIAL] [-o OUT] [-f] ENCLAVE ...\n"
"       ccc-quorum-sign assign -r ROSTER -P POOL [--replicas K] "
"[--assignment HEX] [-X REASSIGN ...] [--now T]\n"
"       ccc-quorum-sign assign --item [--replicas K] [--assignment HEX] "
"[-X REASSIGN ...] [-o OUT] [-f]\n"
"       ccc-quorum-sign reassign -F REQUEST -w REASON [--now T] [-o OUT] "
"[-f]\n"
"       ccc-quorum-sign combine -r ROSTER [-b FILE] [--now T] [-o OUT] [-f] "
"SIG ...\n"
"       ccc-quorum-sign combine --item [-b FILE] [-o OUT] [-f] SIG ...\n"
"       ccc-quorum-sign verify -r ROSTER [-v] [--now T] [-o OUT] [-f] "
"[FILE]\n"
"       ccc-quorum-sign combine|verify -r ROSTER [--now T] --serve\n"
"       ccc-quorum-sign subscribers -a APP [--now T] [-o OUT] [-f] "
"NAME=PUB ...\n"
"       ccc-quorum-sign publish -a APP [--now T] [-o OUT] [-f] CT\n"
"       ccc-quorum-sign contributors -a APP [--not-before T] [--not-after T] "
"[-o OUT] [-f] NAME=PUB ...\n"
"       ccc-quorum-sign transfer -i KEY -t PUB --nonce N [-o OUT] [-f] "
"[CT]\n"
"       ccc-quorum-sign accept --from PUB -t PUB --nonces NONCES [-o OUT] "
"[-f] [TRANSFER]\n"
"       ccc-quorum-sign chain -a APP [-o OUT] [-f] [CT]\n"
"       ccc-quorum-sign chain -C CHAIN -r ROSTER [--now T] [CERTIFIED]\n"
"       ccc-quorum-sign -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-q, --quorum Q",
	    "roster: signatures needed, 1 to 255" },
	{ "-N, --name NAME",
	    "roster, pool: the name" },
	{ "--not-before T",
	    "roster, contributors: valid from T (s since 1970)" },
	{ "--not-after T",
	    "roster, contributors: valid before T (s since 1970)" },
	{ "-a, --app APP",
	    "the application id (of a request, feed, pool or chain)" },
	{ "-x, --code CODE",
	    "request: the program file" },
	{ "-m, --measurement HEX",
	    "request: the program's measurement (96 hex)" },
	{ "-k, --key TPK",
	    "request, sign: the threshold public key" },
	{ "--aggregate AGGREGATE",
	    "request, level 4: share out this aggregate's sums" },
	{ "-K, --enclave-key ENCLAVE_KEY",
	    "request: an attested key, one per replica" },
	{ "--agree M",
	    "request, level 2: replicas that must agree (default k)" },
	{ "-D, --divergence FILE",
	    "agree: the divergence record, if a replica differs" },
	{ "--replicas K",
	    "assign: the K replicas of a level-2 request, a line each" },
	{ "-P, --pool POOL",
	    "the certified enclave pool" },
	{ "--assignment HEX",
	    "request, assign: the assignment seed (64 hex)" },
	{ "-X, --reassigned REASSIGN",
	    "a certified reassignment (may be repeated)" },
	{ "-s, --serial SERIAL",
	    "pool: the pool's serial number (default 0)" },
	{ "-w, --why REASON",
	    "reassign: why the request leaves its enclave" },
	{ "-O, --output-mode MODE",
	    "request: public, sealed or threshold" },
	{ "-R, --recipient PUB",
	    "request: the recipient key of a sealed output" },
	{ "-n, --network",
	    "request: the program may use the network" },
	{ "--connect PORT",
	    "request, with -n: a TCP port it may connect to" },
	{ "-E, --expires-in SECS",
	    "request: lifetime (default 600 s)" },
	{ "-I, --request-id HEX",
	    "request: this request id, not a random one" },
	{ "-i, --identity KEY",
	    "sign: the oracle's identity secret key" },
	{ "-p, --policy POLICY",
	    "sign: the oracle's label policy" },
	{ "-U, --allow-unlabelled",
	    "sign: accept unlabelled ciphertexts" },
	{ "-A, --attest-policy POLICY",
	    "sign, agree: verify the enclave's attestation" },
	{ "-F, --for REQUEST",
	    "sign, agree, reassign: the certified request" },
	{ "-r, --roster ROSTER",
	    "the oracle roster (ccc/roster/v1)" },
	{ "-b, --certify FILE",
	    "combine: the blob to certify" },
	{ "--serve",
	    "sign, request, combine, verify: items on stdin, answers" },
	{ "--item",
	    "request, assign, combine: an item for --serve" },
	{ "-S, --subscribers SUBSCRIBERS",
	    "sign: a feed's certified subscriber roster" },
	{ "--provider ROSTER",
	    "sign, with -S: the feed provider's roster" },
	{ "-v, --verbose",
	    "verify: describe the certificate, not the blob" },
	{ "-C, --chain CHAIN",
	    "sign -F, chain: the table chain a result advances" },
	{ "-t, --to PUB",
	    "transfer, accept: the recipient's identity public key" },
	{ "--nonce N",
	    "transfer: the sender's next nonce" },
	{ "--from PUB",
	    "accept: the sender's identity public key" },
	{ "--nonces NONCES",
	    "accept: the record of the nonces accepted" },
	CCC_HELP_NOW,
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	{ NULL, NULL }
};

enum { OPT_NOW = 256, OPT_NOT_BEFORE, OPT_NOT_AFTER, OPT_ASSIGNMENT,
    OPT_CONNECT, OPT_AGREE, OPT_REPLICAS, OPT_AGGREGATE, OPT_PROVIDER,
    OPT_NONCE, OPT_FROM, OPT_NONCES, OPT_SERVE, OPT_ITEM };

static const struct option longopts[] = {
	{ "quorum", required_argument, NULL, 'q' },
	{ "name", required_argument, NULL, 'N' },
	{ "not-before", required_argument, NULL, OPT_NOT_BEFORE },
	{ "not-after", required_argument, NULL, OPT_NOT_AFTER },
	{ "app", required_argument, NULL, 'a' },
	{ "code", required_argument, NULL, 'x' },
	{ "measurement", required_argument, NULL, 'm' },
	{ "key", required_argument, NULL, 'k' },
	{ "enclave-key", required_argument, NULL, 'K' },
	{ "aggregate", required_argument, NULL, OPT_AGGREGATE },
	{ "pool", required_argument, NULL, 'P' },
	{ "assignment", required_argument, NULL, OPT_ASSIGNMENT },
	{ "reassigned", required_argument, NULL, 'X' },
	{ "serial", required_argument, NULL, 's' },
	{ "why", required_argument, NULL, 'w' },
	{ "output-mode", required_argument, NULL, 'O' },
	{ "recipient", required_argument, NULL, 'R' },
	{ "network", no_argument, NULL, 'n' },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "agree", required_argument, NULL, OPT_AGREE },
	{ "divergence", required_argument, NULL, 'D' },
	{ "replicas", required_argument, NULL, OPT_REPLICAS },
	{ "expires-in", required_argument, NULL, 'E' },
	{ "request-id", required_argument, NULL, 'I' },
	{ "identity", required_argument, NULL, 'i' },
	{ "policy", required_argument, NULL, 'p' },
	{ "attest-policy", required_argument, NULL, 'A' },
	{ "for", required_argument, NULL, 'F' },
	{ "allow-unlabelled", no_argument, NULL, 'U' },
	{ "roster", required_argument, NULL, 'r' },
	{ "certify", required_argument, NULL, 'b' },
	{ "subscribers", required_argument, NULL, 'S' },
	{ "provider", required_argument, NULL, OPT_PROVIDER },
	{ "verbose", no_argument, NULL, 'v' },
	{ "chain", required_argument, NULL, 'C' },
	{ "to", required_argument, NULL, 't' },
	{ "nonce", required_argument, NULL, OPT_NONCE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "nonces", required_argument, NULL, OPT_NONCES },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "serve", no_argument, NULL, OPT_SERVE },
	{ "item", no_argument, NULL, OPT_ITEM },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const struct ccc_cli_sub subs[] = {
	{ "roster", "quorum name not-before not-after output force" },
	{ "request", "app code measurement key roster pool enclave-key agree "
	    "aggregate "
	    "assignment reassigned output-mode recipient network connect "
	    "expires-in "
	    "request-id now serve item output force" },
	{ "sign", "identity key policy allow-unlabelled attest-policy roster "
	    "pool for reassigned subscribers provider chain now serve output "
	    "force" },
	{ "agree", "attest-policy roster pool for divergence now output "
	    "force" },
	{ "pool", "name serial output force" },
	{ "assign", "roster pool replicas assignment reassigned now item "
	    "output force" },
	{ "reassign", "for why now output force" },
	{ "combine", "roster certify now serve item output force" },
	{ "verify", "roster verbose now serve output force" },
	{ "subscribers", "app now output force" },
	{ "publish", "app now output force" },
	{ "contributors", "app not-before not-after output force" },
	{ "transfer", "identity to nonce output force" },
	{ "accept", "from to nonces output force" },
	{ "chain", "app chain roster now output force" },
	{ NULL, NULL }
};

/*
 * What request and request --serve share, checked (0, or a usage error)
 * and into o.
 */
static int
request_shared(struct ccc_request_opts *o, const char *app, const char *code,
    const uint8_t *meas, const char *tpk, const char *roster,
    const char *pool, const char *rcpt, uint32_t mode, bool network,
    const uint16_t *egress, size_t negress, long long now,
    long long expires_in)
{
	if (strlen(app) > CCC_APP_ID_MAX)
		return ccc_cli_usage("-a: at most %d bytes", CCC_APP_ID_MAX);
	if (mode == CCC_OUTPUT_SEALED && rcpt == NULL)
		return ccc_cli_usage("-O sealed needs -R PUB");
	if (negress > 0 && !network)
		return ccc_cli_usage("--connect needs -n");
	o->app = app;
	o->code_file = code;
	o->measurement = meas;
	o->tpk = tpk;
	o->roster = roster;
	o->pool = pool;
	o->recipient = rcpt;
	o->output = mode;
	o->network = network;
	o->negress = negress;
	memcpy(o->egress, egress, negress * sizeof(egress[0]));
	o->now = (uint64_t)now;
	o->expires = (uint64_t)(now + expires_in);
	return 0;
}

/* --agree M for k = nreps + 1 keys: 0, or a usage error. */
static int
agree_arg(uint32_t agree, int nreps)
{
	if (agree > 0 && nreps == 0)
		return ccc_cli_usage("--agree needs several -K");
	if (agree > 0 && (agree > (uint32_t)nreps + 1 ||
	    2 * agree <= (uint32_t)nreps + 1))
		return ccc_cli_usage("--agree: a majority of the %d "
		    "replicas, at most all", nreps + 1);
	return 0;
}

/* combine --serve, verify --serve; extra: options they do not take. */
static int
cert_serve(const char *roster, bool combine, bool extra, long long now,
    bool fixed_now)
{
	struct ccc_err err;

	ccc_err_clear(&err);
	if (roster == NULL)
		return ccc_cli_usage("%s --serve needs -r ROSTER", combine ?
		    "combine" : "verify");
	if (extra)
		return ccc_cli_usage("%s --serve reads its items from standard "
		    "input and answers on standard output (no FILE, SIG, -o, "
		    "-f%s)", combine ? "combine" : "verify", combine ?
		    ", -b or --item" : " or -v");
	if (isatty(STDOUT_FILENO))
		return ccc_cli_usage("--serve: standard output is a terminal "
		    "(answers are binary)");
	return ccc_quorum_cert_serve(roster, combine, (uint64_t)now,
	    fixed_now, &err) ? ccc_cli_fail(&err) : 0;
}

static int
hex_arg(uint8_t *out, size_t n, const char *s, const char *opt)
{
	size_t got;

	if (sodium_hex2bin(out, n, s, strlen(s), NULL, &got, NULL) != 0 ||
	    got != n || strlen(s) != 2 * n)
		return ccc_cli_usage("%s: expected %zu hex bytes", opt, n);
	return 0;
}

/* -a of a feed or a pool: an application id (ccc_app_id_check). */
static int
feed_arg(const char *app)
{
	struct ccc_err e;

	ccc_err_clear(&e);
	if (ccc_app_id_check(app, strlen(app), -1, &e) != 0)
		return ccc_cli_usage("-a: %s", e.detail);
	return 0;
}

int
main(int argc, char **argv)
{
	/* -c: the old spelling of -b (ccc(7), OPTION LETTERS). */
	struct ccc_cli_opts p = {
	    .shortopts = ":q:N:a:x:m:k:K:P:X:s:w:O:R:nE:I:i:p:A:F:Ur:b:c:D:S:vC:t:o:fhV",
	    .longopts = longopts, .aliases = "cb",
	    .lists = "reassigned connect enclave-key" };
	const struct ccc_cli_sub *sub;
	struct ccc_err err;
	const char *cmd, *out = NULL, *name = NULL, *app = NULL, *code = NULL;
	const char *tpk = NULL, *pool = NULL, *ekey = NULL, *rcpt = NULL;
	const char *why = NULL;
	char **reassigned = NULL;
	int nreassigned = 0;
	char *reps[CCC_REPLICAS_MAX];
	int nreps = 0;
	uint32_t agree = 0, nrep = 0;
	const char *ident = NULL, *roster = NULL, *certify = NULL;
	const char *policy = NULL, *apol = NULL, *forreq = NULL;
	const char *divfile = NULL, *aggregate = NULL;
	const char *subsfile = NULL, *provider = NULL;
	struct ccc_transfer_opts xo = { 0 };
	const char *chain = NULL;
	bool have_nonce = false;
	uint8_t meas[48], rid[32], assignment[32];
	bool have_meas = false, have_rid = false, network = false;
	bool have_assignment = false;
	long long serial = 0;
	uint16_t egress[CCC_EGRESS_MAX];
	size_t negress = 0;
	bool force = false, unlabelled = false, verbose = false;
	bool serve = false, fixed_now = false, item = false;
	bool expires_set = false;
	long long q = 0, now, nb = -1, na = -1, expires_in = 600, v;
	uint32_t mode = 0;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	now = (long long)time(NULL);
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0))
		return ccc_cli_help(usage, help);
	if (argc >= 2 && (strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "--version") == 0))
		return ccc_cli_version();
	if (argc < 2 || argv[1][0] == '-')
		return ccc_cli_usage("missing subcommand (roster, request, "
		    "sign, agree, pool, assign, reassign, combine, verify, "
		    "subscribers, publish, contributors, transfer, accept or "
		    "chain)");
	cmd = argv[1];
	if ((sub = ccc_cli_sub(subs, cmd)) == NULL)
		return ccc_cli_usage("unknown subcommand \"%s\"", cmd);
	p.cmd = cmd;
	p.takes = sub->takes;
	argv++;
	argc--;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'q':
			if ((q = ccc_cli_number(optarg, 1, 255)) < 0)
				return ccc_cli_usage("-q: quorum must be 1 to "
				    "255");
			break;
		case 'N': name = optarg; break;
		case OPT_NOT_BEFORE:
		case OPT_NOT_AFTER:
			if ((v = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("--not-%s: a time in "
				    "seconds since 1970", c == OPT_NOT_BEFORE ?
				    "before" : "after");
			*(c == OPT_NOT_BEFORE ? &nb : &na) = v;
			break;
		case 'a': app = optarg; break;
		case 'x': code = optarg; break;
		case 'm':
			if ((rc = hex_arg(meas, 48, optarg, "-m")) != 0)
				return rc;
			have_meas = true;
			break;
		case 'k': tpk = optarg; break;
		case OPT_AGGREGATE: aggregate = optarg; break;
		case 'K':
			if (ekey == NULL) {
				ekey = optarg;
				break;
			}
			if (nreps == CCC_REPLICAS_MAX - 1)
				return ccc_cli_usage("-K: at most %d replicas",
				    CCC_REPLICAS_MAX);
			reps[nreps++] = optarg;
			break;
		case OPT_AGREE:
			if ((v = ccc_cli_number(optarg, 1,
			    CCC_REPLICAS_MAX)) < 0)
				return ccc_cli_usage("--agree: 1 to %d",
				    CCC_REPLICAS_MAX);
			agree = (uint32_t)v;
			break;
		case OPT_REPLICAS:
			if ((v = ccc_cli_number(optarg, 2,
			    CCC_REPLICAS_MAX)) < 0)
				return ccc_cli_usage("--replicas: 2 to %d",
				    CCC_REPLICAS_MAX);
			nrep = (uint32_t)v;
			break;
		case 'P': pool = optarg; break;
		case OPT_ASSIGNMENT:
			if ((rc = hex_arg(assignment, 32, optarg,
			    "--assignment")) != 0)
				return rc;
			have_assignment = true;
			break;
		case 'X':
			/* Every -X names a file: kept in argv order. */
			if (reassigned == NULL)
				reassigned = calloc((size_t)argc,
				    sizeof(*reassigned));
			if (reassigned == NULL)
				return ccc_cli_usage("out of memory");
			reassigned[nreassigned++] = optarg;
			break;
		case 's':
			if ((serial = ccc_cli_number(optarg, 0,
			    INT64_MAX)) < 0)
				return ccc_cli_usage("-s: a serial number");
			break;
		case 'w': why = optarg; break;
		case OPT_CONNECT:
			if ((v = ccc_cli_number(optarg, 1, 65535)) < 0)
				return ccc_cli_usage("--connect: a TCP port, 1 "
				    "to 65535");
			if (negress == CCC_EGRESS_MAX)
				return ccc_cli_usage("--connect: at most %d "
				    "ports", CCC_EGRESS_MAX);
			egress[negress++] = (uint16_t)v;
			break;
		case 'O':
			if (strcmp(optarg, "public") == 0)
				mode = CCC_OUTPUT_PUBLIC;
			else if (strcmp(optarg, "sealed") == 0)
				mode = CCC_OUTPUT_SEALED;
			else if (strcmp(optarg, "threshold") == 0)
				mode = CCC_OUTPUT_THRESHOLD;
			else
				return ccc_cli_usage("-O: public, sealed or "
				    "threshold");
			break;
		case 'R': rcpt = optarg; break;
		case 'n': network = true; break;
		case 'E':
			expires_set = true;
			if ((expires_in = ccc_cli_number(optarg, 1,
			    100LL * 365 * 86400)) < 0)
				return ccc_cli_usage("-E: seconds until the "
				    "request expires");
			break;
		case 'I':
			if ((rc = hex_arg(rid, 32, optarg, "-I")) != 0)
				return rc;
			have_rid = true;
			break;
		case 'i': ident = optarg; break;
		case 'p': policy = optarg; break;
		case 'A': apol = optarg; break;
		case 'F': forreq = optarg; break;
		case 'D': divfile = optarg; break;
		case 'S': subsfile = optarg; break;
		case OPT_PROVIDER: provider = optarg; break;
		case 'U': unlabelled = true; break;
		case 'r': roster = optarg; break;
		case 'b': certify = optarg; break;
		case 'v': verbose = true; break;
		case 'C': chain = optarg; break;
		case 't': xo.to = optarg; break;
		case OPT_FROM: xo.from = optarg; break;
		case OPT_NONCES: xo.nonces = optarg; break;
		case OPT_NONCE:
			if ((v = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("--nonce: a number");
			xo.nonce = (uint64_t)v;
			have_nonce = true;
			break;
		case OPT_NOW:
			if ((now = ccc_cli_number(optarg, 0, INT64_MAX)) < 0)
				return ccc_cli_usage("--now: a time in seconds "
				    "since 1970");
			fixed_now = true;
			break;
		case OPT_SERVE: serve = true; break;
		case OPT_ITEM: item = true; break;
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (strcmp(cmd, "roster") == 0) {
		struct ccc_roster_opts o = { 0 };
		if (q == 0 || name == NULL || optind == argc)
			return ccc_cli_usage("roster needs -q, -N and members' "
			    "public keys");
		if (q > argc - optind)
			return ccc_cli_usage("-q: quorum %lld exceeds the %d "
			    "members", q, argc - optind);
		if (strlen(name) > CCC_ID_NAME_MAX)
			return ccc_cli_usage("-N: at most %d bytes",
			    CCC_ID_NAME_MAX);
		o.name = name;
		o.q = (uint32_t)q;
		o.not_before = (uint64_t)(nb >= 0 ? nb : now);
		o.not_after = (uint64_t)(na >= 0 ? na : now + 365LL * 86400);
		if (o.not_after <= o.not_before)
			return ccc_cli_usage("--not-after must be later than "
			    "--not-before (or now)");
		o.out = out;
		o.force = force;
		o.members = argv + optind;
		o.nmembers = argc - optind;
		rc = ccc_quorum_roster(&o, &err);
	} else if (strcmp(cmd, "request") == 0 && aggregate != NULL) {
		struct ccc_agg_request_opts o = { 0 };
		if (app == NULL || tpk == NULL)
			return ccc_cli_usage("request --aggregate needs -a and "
			    "-k");
		if (code != NULL || have_meas || roster != NULL ||
		    pool != NULL || ekey != NULL || agree > 0 ||
		    have_assignment || nreassigned > 0 || mode != 0 ||
		    rcpt != NULL || network || negress > 0 || optind < argc)
			return ccc_cli_usage("request --aggregate (level 4) "
			    "names no code, enclave, output or ciphertext");
		if (strlen(app) > CCC_APP_ID_MAX)
			return ccc_cli_usage("-a: at most %d bytes",
			    CCC_APP_ID_MAX);
		o.app = app;
		o.tpk = tpk;
		o.aggregate = aggregate;
		o.request_id = have_rid ? rid : NULL;
		o.now = (uint64_t)now;
		o.expires = (uint64_t)(now + expires_in);
		o.out = out;
		o.force = force;
		rc = ccc_quorum_agg_request(&o, &err);
	} else if (strcmp(cmd, "request") == 0 && item) {
		struct ccc_request_opts o = { 0 };
		if (ekey == NULL || optind == argc)
			return ccc_cli_usage("request --item needs -K and "
			    "ciphertexts");
		if (app != NULL || code != NULL || have_meas || tpk != NULL ||
		    roster != NULL || pool != NULL || mode != 0 ||
		    rcpt != NULL || network || negress > 0 || fixed_now ||
		    expires_set || serve)
			return ccc_cli_usage("request --item makes an item of "
			    "keys, ciphertexts and ids: the serving process "
			    "has the rest");
		if ((rc = agree_arg(agree, nreps)) != 0)
			return rc;
		o.enclave_key = ekey;
		o.replica_keys = reps;
		o.nreplica_keys = nreps;
		o.agree = agree;
		o.request_id = have_rid ? rid : NULL;
		o.assignment = have_assignment ? assignment : NULL;
		o.reassigned = reassigned;
		o.nreassigned = nreassigned;
		o.cts = argv + optind;
		o.ncts = argc - optind;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_request_item(&o, 0, &err);
	} else if (strcmp(cmd, "request") == 0 && serve) {
		struct ccc_request_opts o = { 0 };
		if (app == NULL || tpk == NULL || roster == NULL ||
		    pool == NULL || (code == NULL) == !have_meas)
			return ccc_cli_usage("request --serve needs -a, -x or "
			    "-m, -k, -r and -P");
		if (ekey != NULL || agree > 0 || have_rid ||
		    have_assignment || nreassigned > 0 || optind < argc ||
		    out != NULL || force)
			return ccc_cli_usage("request --serve reads its orders "
			    "from standard input and answers on standard "
			    "output (no CT, -K, --agree, -I, --assignment, -X, "
			    "-o or -f)");
		if ((rc = request_shared(&o, app, code, have_meas ? meas :
		    NULL, tpk, roster, pool, rcpt, mode, network, egress,
		    negress, now, expires_in)) != 0)
			return rc;
		if (isatty(STDOUT_FILENO))
			return ccc_cli_usage("--serve: standard output is a "
			    "terminal (answers are binary)");
		rc = ccc_quorum_request_serve(&o, fixed_now, &err);
	} else if (strcmp(cmd, "request") == 0) {
		struct ccc_request_opts o = { 0 };
		if (app == NULL || tpk == NULL || roster == NULL ||
		    pool == NULL || ekey == NULL ||
		    (code == NULL) == !have_meas || optind == argc)
			return ccc_cli_usage("request needs -a, -x or -m, -k, "
			    "-r, -P, -K and ciphertexts");
		if ((rc = request_shared(&o, app, code, have_meas ? meas :
		    NULL, tpk, roster, pool, rcpt, mode, network, egress,
		    negress, now, expires_in)) != 0 ||
		    (rc = agree_arg(agree, nreps)) != 0)
			return rc;
		o.request_id = have_rid ? rid : NULL;
		o.assignment = have_assignment ? assignment : NULL;
		o.reassigned = reassigned;
		o.nreassigned = nreassigned;
		o.enclave_key = ekey;
		o.replica_keys = reps;
		o.nreplica_keys = nreps;
		o.agree = agree;
		o.out = out;
		o.force = force;
		o.cts = argv + optind;
		o.ncts = argc - optind;
		rc = ccc_quorum_request(&o, &err);
	} else if (strcmp(cmd, "sign") == 0) {
		struct ccc_sign_opts o = { 0 };
		if (ident == NULL)
			return ccc_cli_usage("sign needs -i KEY");
		if (argc - optind > 1)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind + 1]);
		o.key = ident;
		o.in = optind < argc ? argv[optind] : NULL;
		o.tpk = tpk;
		o.policy = policy;
		o.attest_policy = apol;
		o.request = forreq;
		o.roster = roster;
		o.pool = pool;
		o.reassigned = reassigned;
		o.nreassigned = nreassigned;
		if ((subsfile == NULL) != (provider == NULL))
			return ccc_cli_usage("-S and --provider go together");
		o.subscribers = subsfile;
		o.provider = provider;
		o.allow_unlabelled = unlabelled;
		if (chain != NULL && forreq == NULL)
			return ccc_cli_usage("-C needs -F: a chain advances "
			    "with a result");
		o.chain = chain;
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		if (serve) {
			if (tpk == NULL || apol == NULL || roster == NULL ||
			    pool == NULL)
				return ccc_cli_usage("sign --serve signs "
				    "requests and results: it needs -k TPK, "
				    "-A POLICY, -r ROSTER and -P POOL");
			if (optind < argc || out != NULL || force ||
			    forreq != NULL || chain != NULL ||
			    nreassigned > 0 || subsfile != NULL)
				return ccc_cli_usage("sign --serve reads its "
				    "requests from standard input and answers "
				    "on standard output (no FILE, -o, -f, -F, "
				    "-C, -X or -S)");
			if (isatty(STDOUT_FILENO))
				return ccc_cli_usage("--serve: standard output "
				    "is a terminal (answers are binary)");
			rc = ccc_quorum_sign_serve(&o, fixed_now, &err);
		} else
			rc = ccc_quorum_sign(&o, &err);
	} else if (strcmp(cmd, "agree") == 0) {
		struct ccc_agree_opts o = { 0 };
		if (apol == NULL || roster == NULL || pool == NULL ||
		    forreq == NULL || optind == argc)
			return ccc_cli_usage("agree needs -A, -r, -P, -F and "
			    "the replicas' results");
		o.attest_policy = apol;
		o.roster = roster;
		o.pool = pool;
		o.request = forreq;
		o.divergence = divfile;
		o.results = argv + optind;
		o.nresults = argc - optind;
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_agree(&o, &err);
	} else if (strcmp(cmd, "pool") == 0) {
		struct ccc_pool_opts o = { 0 };
		if (name == NULL || optind == argc)
			return ccc_cli_usage("pool needs -N and enclaves");
		if (strlen(name) > CCC_ID_NAME_MAX)
			return ccc_cli_usage("-N: at most %d bytes",
			    CCC_ID_NAME_MAX);
		o.name = name;
		o.serial = (uint64_t)serial;
		o.out = out;
		o.force = force;
		o.entries = argv + optind;
		o.nentries = argc - optind;
		rc = ccc_quorum_pool(&o, &err);
	} else if (strcmp(cmd, "assign") == 0 && item) {
		struct ccc_request_opts o = { 0 };
		if (roster != NULL || pool != NULL || fixed_now)
			return ccc_cli_usage("assign --item makes an item, it "
			    "checks nothing (no -r, -P or --now)");
		if (optind != argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		o.assignment = have_assignment ? assignment : NULL;
		o.reassigned = reassigned;
		o.nreassigned = nreassigned;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_request_item(&o, nrep ? nrep : 1, &err);
	} else if (strcmp(cmd, "assign") == 0) {
		struct ccc_assign_opts o = { 0 };
		if (out != NULL || force)
			return ccc_cli_usage("assign prints its lines: -o and "
			    "-f are for --item");
		if (roster == NULL || pool == NULL)
			return ccc_cli_usage("assign needs -r and -P");
		if (optind != argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		o.roster = roster;
		o.pool = pool;
		o.assignment = have_assignment ? assignment : NULL;
		o.reassigned = reassigned;
		o.nreassigned = nreassigned;
		o.replicas = nrep ? nrep : 1;
		o.now = (uint64_t)now;
		rc = ccc_quorum_assign(&o, &err);
	} else if (strcmp(cmd, "reassign") == 0) {
		struct ccc_reassign_opts o = { 0 };
		if (forreq == NULL || why == NULL)
			return ccc_cli_usage("reassign needs -F and -w");
		if (optind != argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		o.request = forreq;
		o.reason = why;
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_reassign(&o, &err);
	} else if (strcmp(cmd, "combine") == 0) {
		struct ccc_qcombine_opts o = { 0 };
		if (serve)
			return cert_serve(roster, true, certify != NULL ||
			    item || out != NULL || force || optind < argc, now,
			    fixed_now);
		if (item && (roster != NULL || fixed_now))
			return ccc_cli_usage("combine --item makes an item, it "
			    "checks nothing (no -r, no --now)");
		if ((!item && roster == NULL) || optind == argc)
			return ccc_cli_usage(item ? "combine --item needs "
			    "signatures" : "combine needs -r ROSTER and "
			    "signatures");
		o.roster = roster;
		o.in = certify;
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		o.sigs = argv + optind;
		o.nsigs = argc - optind;
		rc = item ? ccc_quorum_combine_item(&o, &err) :
		    ccc_quorum_combine(&o, &err);
	} else if (strcmp(cmd, "verify") == 0) {
		struct ccc_qverify_opts o = { 0 };
		if (serve)
			return cert_serve(roster, false, verbose ||
			    out != NULL || force || optind < argc, now,
			    fixed_now);
		if (roster == NULL)
			return ccc_cli_usage("verify needs -r ROSTER");
		if (argc - optind > 1)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind + 1]);
		o.roster = roster;
		o.in = optind < argc ? argv[optind] : NULL;
		o.verbose = verbose;
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_verify(&o, &err);
	} else if (strcmp(cmd, "subscribers") == 0) {
		struct ccc_subscribers_opts o = { 0 };
		if (app == NULL || optind == argc)
			return ccc_cli_usage("subscribers needs -a and "
			    "NAME=PUB arguments");
		if ((rc = feed_arg(app)) != 0)
			return rc;
		o.feed = app;
		o.subscribers = argv + optind;
		o.nsubscribers = argc - optind;
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_subscribers(&o, &err);
	} else if (strcmp(cmd, "publish") == 0) {
		struct ccc_publish_opts o = { 0 };
		if (app == NULL || argc - optind != 1)
			return ccc_cli_usage("publish needs -a and one "
			    "ciphertext file");
		if ((rc = feed_arg(app)) != 0)
			return rc;
		o.feed = app;
		o.ct = argv[optind];
		o.now = (uint64_t)now;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_publish(&o, &err);
	} else if (strcmp(cmd, "contributors") == 0) {
		struct ccc_contributors_opts o = { 0 };
		if (app == NULL || optind == argc)
			return ccc_cli_usage("contributors needs -a and "
			    "NAME=PUB arguments");
		if ((rc = feed_arg(app)) != 0)
			return rc;
		o.app = app;
		o.not_before = (uint64_t)(nb >= 0 ? nb : now);
		/* A year, saturating at the largest time a clock gives. */
		o.not_after = na >= 0 ? (uint64_t)na :
		    o.not_before > INT64_MAX - 365ULL * 86400 ?
		    (uint64_t)INT64_MAX : o.not_before + 365ULL * 86400;
		if (o.not_after <= o.not_before)
			return ccc_cli_usage("--not-after must be later than "
			    "--not-before (or now)");
		o.contributors = argv + optind;
		o.ncontributors = argc - optind;
		o.out = out;
		o.force = force;
		rc = ccc_quorum_contributors(&o, &err);
	} else if (strcmp(cmd, "transfer") == 0 ||
	    strcmp(cmd, "accept") == 0 || strcmp(cmd, "chain") == 0) {
		bool make = strcmp(cmd, "transfer") == 0;
		if (*cmd == 'c' ? (app == NULL) == (chain == NULL) ||
		    (chain != NULL) != (roster != NULL) ||
		    (chain != NULL && (out != NULL || force)) :
		    make ? ident == NULL || xo.to == NULL || !have_nonce :
		    xo.from == NULL || xo.to == NULL || xo.nonces == NULL)
			return ccc_cli_usage(*cmd == 'c' ? "chain needs -a, or "
			    "-C and -r (which write CHAIN: no -o, no -f)" :
			    make ? "transfer needs -i, -t and --nonce" :
			    "accept needs --from, -t and --nonces");
		xo.key = ident;
		xo.app = app;
		xo.chain = chain;
		xo.roster = roster;
		xo.now = (uint64_t)now;
		if ((xo.in = optind < argc ? argv[optind++] : NULL) != NULL &&
		    optind < argc)
			return ccc_cli_usage("unexpected argument \"%s\"",
			    argv[optind]);
		xo.out = out;
		xo.force = force;
		rc = *cmd == 'c' ? (chain != NULL ?
		    ccc_chain_follow_run(&xo, &err) :
		    ccc_chain_start_run(&xo, &err)) : make ?
		    ccc_transfer_make_run(&xo, &err) :
		    ccc_transfer_accept_run(&xo, &err);
	} else
		return ccc_cli_usage("unknown subcommand \"%s\"", cmd);
	free(reassigned);
	return rc ? ccc_cli_fail(&err) : 0;
}
