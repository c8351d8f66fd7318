/*
 * ccc-enclave-run: make an attested per-request key (keygen), or run a
 * certified request's code on its decrypted inputs and attest the result.
 */
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
"       ccc-enclave-run keygen -a ATTEST_KEY -s SECRET [-n HEX] [-E SECONDS] "
"[--now T] [-o OUT] [-f]\n"
"       ccc-enclave-run -r ROSTER -k TPK -a ATTEST_KEY -x CODEDIR [-p POLICY] "
"[-E SECONDS] [--now T] --serve\n"
"       ccc-enclave-run item key [-E SECONDS] [-n HEX] [-o OUT] [-f]\n"
"       ccc-enclave-run item job [-n HEX] [-o OUT] [-f] CERTIFIED SEALED ...\n"
"       ccc-enclave-run -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-r, --roster ROSTER",
	    "the oracle roster the request's certificate needs" },
	{ "-k, --key TPK",
	    "the threshold public key (ccc/tpk/v1)" },
	{ "-i, --identity KEY",
	    "the per-request secret key (erased after use)" },
	{ "-a, --attest-key ATTEST_KEY",
	    "the enclave's attestation key (PEM)" },
	{ "-x, --code-dir CODEDIR",
	    "the content-addressed code directory" },
	{ "-p, --policy POLICY",
	    "the enclave policy (network, limits)" },
	{ "-n, --nonce HEX",
	    "a nonce for the attestation document" },
	{ "-s, --secret SECRET",
	    "keygen: where the per-request secret key goes" },
	{ "-E, --expires-in SECONDS",
	    "keygen, --serve: a key's lifetime (default 3600)" },
	CCC_HELP_NOW,
	{ "--report FILE",
	    "write the verdict on every node's shares (JSON)" },
	{ "--serve",
	    "key orders and jobs on stdin, answers on stdout" },
	CCC_HELP_OUTPUT,
	CCC_HELP_FORCE,
	{ NULL, NULL }
};

enum { OPT_NOW = 256, OPT_REPORT, OPT_SERVE };

static const struct option keygen_longopts[] = {
	{ "attest-key", required_argument, NULL, 'a' },
	{ "secret", required_argument, NULL, 's' },
	{ "nonce", required_argument, NULL, 'n' },
	{ "expires-in", required_argument, NULL, 'E' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

/* -n HEX: 1 to size bytes into buf, their number in *n; else -1. */
static int
hex_opt(uint8_t *buf, size_t size, size_t *n, const char *s)
{
	if (sodium_hex2bin(buf, size, s, strlen(s), NULL, n, NULL) != 0 ||
	    *n == 0 || strlen(s) != 2 * *n)
		return -1;
	return 0;
}

/* -E SECONDS: a key's lifetime; else the usage line, -1. */
static int
lifetime_opt(uint64_t *lifetime, const char *s)
{
	long long v;

	if ((v = ccc_cli_number(s, 1, CCC_ENCLAVE_KEY_MAX_LIFETIME)) < 0)
		return ccc_cli_usage("-E: 1 to %d seconds",
		    CCC_ENCLAVE_KEY_MAX_LIFETIME), -1;
	*lifetime = (uint64_t)v;
	return 0;
}

static int
now_opt(long long *now, const char *s)
{
	if ((*now = ccc_cli_number(s, 0, INT64_MAX / 1000)) < 0)
		return ccc_cli_usage("--now: a time in seconds since 1970");
	return 0;
}

/* ccc-enclave-run keygen ... (argv[0] is "keygen"). */
static int
keygen(int argc, char **argv)
{
	struct ccc_ekeygen_opts o = { .lifetime = CCC_ENCLAVE_KEY_LIFETIME };
	struct ccc_cli_opts p = { .shortopts = ":a:s:n:E:o:f",
	    .longopts = keygen_longopts, .cmd = "keygen" };
	struct ccc_err err;
	uint8_t challenge[CCC_CHALLENGE_MAX];
	long long now = (long long)time(NULL);
	int c;

	ccc_err_clear(&err);
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'a': o.attest_key = optarg; break;
		case 's': o.secret = optarg; break;
		case 'n':
			if (hex_opt(challenge, sizeof(challenge),
			    &o.challenge_len, optarg) != 0)
				return ccc_cli_usage("-n: 1 to %d hex bytes",
				    CCC_CHALLENGE_MAX);
			o.challenge = challenge;
			break;
		case 'E':
			if (lifetime_opt(&o.lifetime, optarg) != 0)
				return 2;
			break;
		case OPT_NOW:
			if (now_opt(&now, optarg) != 0)
				return 2;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		default: return 2;	/* the usage line is printed */
		}
	}
	if (o.attest_key == NULL || o.secret == NULL)
		return ccc_cli_usage("keygen needs -a and -s");
	/* The per-request secret never leaves the enclave's host. */
	if (strcmp(o.secret, "-") == 0)
		return ccc_cli_usage("keygen -s names a file: the per-request "
		    "secret key is never printed");
	if (optind != argc)
		return ccc_cli_usage("keygen takes no operand");
	o.now = (uint64_t)now;
	return ccc_enclave_keygen(&o, &err) ? ccc_cli_fail(&err) : 0;
}

static const struct option item_longopts[] = {
	{ "nonce", required_argument, NULL, 'n' },
	{ "expires-in", required_argument, NULL, 'E' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

/*
 * ccc-enclave-run item key|job ... (argv[0] is "item"): an item for a
 * serving enclave host.
 */
static int
item(int argc, char **argv)
{
	struct ccc_eitem_opts o = { 0 };
	struct ccc_cli_opts p = { .shortopts = ":n:E:o:f",
	    .longopts = item_longopts, .cmd = "item" };
	struct ccc_err err;
	uint8_t nonce[CCC_NONCE_MAX];
	bool job;
	int c;

	ccc_err_clear(&err);
	if (argc < 2 || (strcmp(argv[1], "key") != 0 &&
	    strcmp(argv[1], "job") != 0))
		return ccc_cli_usage("item: key or job");
	job = strcmp(argv[1], "job") == 0;
	argc--;
	argv++;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'n':
			if (hex_opt(nonce, job ? sizeof(nonce) :
			    CCC_CHALLENGE_MAX, &o.nonce_len, optarg) != 0)
				return ccc_cli_usage("-n: 1 to %d hex bytes",
				    job ? CCC_NONCE_MAX : CCC_CHALLENGE_MAX);
			o.nonce = nonce;
			break;
		case 'E':
			if (job)
				return ccc_cli_usage("item job takes no -E");
			if (lifetime_opt(&o.lifetime, optarg) != 0)
				return 2;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		default: return 2;	/* the usage line is printed */
		}
	}
	if (!job && optind != argc)
		return ccc_cli_usage("item key takes no operand");
	if (job && argc - optind < 2)
		return ccc_cli_usage("item job needs the certified request "
		    "and the sealed shares");
	if (job) {
		o.in = argv[optind];
		o.sealed = argv + optind + 1;
		o.nsealed = argc - optind - 1;
	}
	return ccc_enclave_item(&o, &err) ? ccc_cli_fail(&err) : 0;
}

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
	{ "serve", no_argument, NULL, OPT_SERVE },
	{ "expires-in", required_argument, NULL, 'E' },
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
	struct ccc_eserve_opts so = { .lifetime = CCC_ENCLAVE_KEY_LIFETIME };
	/* -c: the old spelling of -x (ccc(7), OPTION LETTERS). */
	struct ccc_cli_opts p = { .shortopts = ":r:k:i:a:x:c:p:n:E:o:fhV",
	    .longopts = longopts, .aliases = "cx" };
	struct ccc_err err;
	uint8_t nonce[CCC_NONCE_MAX];
	size_t nlen;
	long long now = (long long)time(NULL);
	bool serve = false, lifetime = false;
	int c;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
		return keygen(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "item") == 0)
		return item(argc - 1, argv + 1);
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'r': o.roster = optarg; break;
		case 'k': o.tpk = optarg; break;
		case 'i': o.key = optarg; break;
		case 'a': o.attest_key = optarg; break;
		case 'x': o.codedir = optarg; break;
		case 'p': o.policy = optarg; break;
		case 'n':
			if (hex_opt(nonce, sizeof(nonce), &nlen, optarg) != 0)
				return ccc_cli_usage("-n: 1 to %zu hex bytes",
				    sizeof(nonce));
			o.nonce = nonce;
			o.nonce_len = nlen;
			break;
		case OPT_NOW:
			if (now_opt(&now, optarg) != 0)
				return 2;
			so.fixed_now = true;
			break;
		case 'E':
			if (lifetime_opt(&so.lifetime, optarg) != 0)
				return 2;
			lifetime = true;
			break;
		case OPT_SERVE: serve = true; break;
		case OPT_REPORT:
			if (strcmp(optarg, "-") == 0)
				return ccc_cli_usage("--report: a file "
				    "(standard output carries the result)");
			o.report = optarg;
			break;
		case 'o': o.out = optarg; break;
		case 'f': o.force = true; break;
		case 'h': return ccc_cli_help(usage, help);
		case 'V': return ccc_cli_version();
		default: return 2;	/* the usage line is printed */
		}
	}
	if (serve) {
		/* Keys are made in the process; results are answers. */
		if (o.key != NULL || o.out != NULL || o.force ||
		    o.report != NULL || o.nonce != NULL || optind != argc)
			return ccc_cli_usage("--serve takes no -i, -o, -f, -n, "
			    "--report or operand");
		if (o.roster == NULL || o.tpk == NULL ||
		    o.attest_key == NULL || o.codedir == NULL)
			return ccc_cli_usage("--serve needs -r, -k, -a and -x");
		so.host = o;
		so.now = (uint64_t)now;
		return ccc_enclave_serve(&so, &err) ? ccc_cli_fail(&err) : 0;
	}
	if (lifetime)
		return ccc_cli_usage("-E is for keygen and --serve");
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
