/* ccc-attest-verify: verify a Nitro-shaped attestation document. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "ops/ops.h"

static const char usage[] =
"usage: ccc-attest-verify -p POLICY [--json] [-a TIME] [-r REQUEST]\n"
"                         [-k HEX] [-m I=HEX] [-n HEX] [-u HEX] [FILE]\n"
"       ccc-attest-verify cert -i PUB [-a TIME] [-s ADDRESS] [-d AUDIENCE]\n"
"                         [-n HEX] [FILE]\n"
"       ccc-attest-verify -h | -V\n";

static const struct ccc_cli_help help[] = {
	{ "-p, --policy POLICY",
	    "the attestation policy: roots, PCRs, max age" },
	{ "--json",
	    "print the claims as one JSON object" },
	{ "-a, --at TIME",
	    "judge at TIME (seconds since 1970), not now" },
	{ "-r, --request REQUEST",
	    "FILE is a result: check it answers REQUEST" },
	{ "-k, --public-key-hex HEX",
	    "the document's public_key must be HEX" },
	{ "-m, --pcr I=HEX",
	    "PCR I must be HEX (may be repeated)" },
	{ "-n, --nonce-hex HEX",
	    "the document's nonce must be HEX" },
	{ "-u, --user-data-hex HEX",
	    "the document's user_data must be HEX" },
	{ "-i, --identity PUB",
	    "cert: the re-certifier's public key" },
	{ "-s, --subject ADDRESS",
	    "cert: the certificate's subject must be ADDRESS" },
	{ "-d, --audience AUDIENCE",
	    "cert: its audience must be AUDIENCE" },
	{ NULL, NULL }
};

static const struct option longopts[] = {
	{ "at", required_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, 'j' },	/* -j: deprecated */
	{ "public-key-hex", required_argument, NULL, 'k' },
	{ "pcr", required_argument, NULL, 'm' },
	{ "nonce-hex", required_argument, NULL, 'n' },
	{ "policy", required_argument, NULL, 'p' },
	{ "request", required_argument, NULL, 'r' },
	{ "user-data-hex", required_argument, NULL, 'u' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static uint8_t user_data[CCC_NITRO_FIELD_MAX], public_key[CCC_NITRO_FIELD_MAX];
static uint8_t nonce[CCC_NITRO_FIELD_MAX];
static uint8_t pcr[CCC_NITRO_PCRS][CCC_NITRO_PCR_MAX];

/* Hex into out (at most max bytes): its length, or -1. */
static long
hexarg(const char *s, uint8_t *out, size_t max)
{
	const char *end;
	size_t n;

	if (sodium_hex2bin(out, max, s, strlen(s), NULL, &n, &end) != 0 ||
	    *end != '\0')
		return -1;
	return (long)n;
}

/* "I=HEX" into pcr[I]: I, and the value's length in *n; or -1. */
static long
pcrarg(const char *s, long *n)
{
	const char *eq = strchr(s, '=');
	char idx[3];
	long i;

	if (eq == NULL || eq - s < 1 || eq - s > 2)
		return -1;
	memcpy(idx, s, (size_t)(eq - s));
	idx[eq - s] = '\0';
	if ((i = ccc_cli_number(idx, 0, CCC_NITRO_PCRS - 1)) < 0 ||
	    (idx[0] == '0' && idx[1] != '\0'))
		return -1;
	if ((*n = hexarg(eq + 1, pcr[i], CCC_NITRO_PCR_MAX)) < 1)
		return -1;
	return i;
}

/* The optional FILE after the options, in *in; 2 after more. */
static int
file_arg(int argc, char **argv, const char **in)
{
	if (optind < argc)
		*in = argv[optind++];
	if (optind < argc)
		return ccc_cli_usage("unexpected argument \"%s\"",
		    argv[optind]);
	return 0;
}

static const struct option cert_longopts[] = {
	{ "at", required_argument, NULL, 'a' },
	{ "audience", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "identity", required_argument, NULL, 'i' },
	{ "nonce-hex", required_argument, NULL, 'n' },
	{ "subject", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 }
};

/* ccc-attest-verify cert: an identity certificate (lib/ops/idcert.c). */
static int
cert_main(int argc, char **argv)
{
	struct ccc_idcert_opts o = { .now = (uint64_t)time(NULL) };
	struct ccc_cli_opts p = { .shortopts = ":a:d:hi:n:s:",
	    .longopts = cert_longopts };
	struct ccc_err err;
	int64_t at;
	long n;
	int c;

	ccc_err_clear(&err);
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'a':
			if (ccc_attest_parse_time(optarg, &at) != 0 ||
			    at == CCC_ATTEST_AT_DOCUMENT)
				return ccc_cli_usage("--at: expected seconds "
				    "since the epoch, YYYY-MM-DDTHH:MM:SSZ or "
				    "now");
			if (at >= 0)
				o.now = (uint64_t)at / 1000;
			break;
		case 'd':
			o.audience = optarg;
			break;
		case 'h':
			return ccc_cli_help(usage, help);
		case 'i':
			o.key = optarg;
			break;
		case 'n':
			if ((n = hexarg(optarg, nonce, sizeof(nonce))) < 0)
				return ccc_cli_usage("--nonce-hex: at most %d "
				    "bytes of hex", CCC_NITRO_FIELD_MAX);
			o.nonce = nonce;
			o.nonce_len = (size_t)n;
			break;
		case 's':
			o.subject = optarg;
			break;
		default:
			return 2;	/* the usage line is printed */
		}
	}
	if (o.key == NULL)
		return ccc_cli_usage("missing -i PUB");
	if (file_arg(argc, argv, &o.in) != 0)
		return 2;
	return ccc_idcert_verify(&o, &err) ? ccc_cli_fail(&err) : 0;
}

int
main(int argc, char **argv)
{
	struct ccc_attest_verify_opts o = { .at_ms = CCC_ATTEST_AT_NOW };
	struct ccc_attest_expect x;
	struct ccc_cli_opts p = { .shortopts = ":a:hjk:m:n:p:r:u:V",
	    .longopts = longopts, .lists = "pcr" };
	struct ccc_err err;
	bool bind = false;
	long n, i;
	int c;

	ccc_cli_init(argc, argv);
	if (argc > 1 && strcmp(argv[1], "cert") == 0)
		return cert_main(argc - 1, argv + 1);
	ccc_err_clear(&err);
	memset(&x, 0, sizeof(x));
	opterr = 0;
	while ((c = ccc_cli_getopt(&p, argc, argv)) != -1) {
		switch (c) {
		case 'a':
			if (ccc_attest_parse_time(optarg, &o.at_ms) != 0)
				return ccc_cli_usage("--at: expected seconds "
				    "since the epoch, YYYY-MM-DDTHH:MM:SSZ, "
				    "now or document");
			break;
		case 'h':
			return ccc_cli_help(usage, help);
		case 'j':
			o.json = true;
			break;
		case 'k':
			if ((n = hexarg(optarg, public_key,
			    sizeof(public_key))) < 0)
				return ccc_cli_usage("--public-key-hex: at "
				    "most %d bytes of hex",
				    CCC_NITRO_FIELD_MAX);
			x.public_key = public_key;
			x.public_key_len = (size_t)n;
			bind = true;
			break;
		case 'm':
			if ((i = pcrarg(optarg, &n)) < 0)
				return ccc_cli_usage("--pcr: expected I=HEX, I "
				    "0 to %d, at most %d bytes of hex",
				    CCC_NITRO_PCRS - 1, CCC_NITRO_PCR_MAX);
			if (x.pcr[i] != NULL)
				return ccc_cli_usage("--pcr: PCR %ld given "
				    "twice", i);
			x.pcr[i] = pcr[i];
			x.pcr_len[i] = (size_t)n;
			bind = true;
			break;
		case 'n':
			if ((n = hexarg(optarg, nonce, sizeof(nonce))) < 0)
				return ccc_cli_usage("--nonce-hex: at most %d "
				    "bytes of hex", CCC_NITRO_FIELD_MAX);
			x.nonce = nonce;
			x.nonce_len = (size_t)n;
			bind = true;
			break;
		case 'p':
			o.policy = optarg;
			break;
		case 'r':
			o.request = optarg;
			break;
		case 'u':
			if ((n = hexarg(optarg, user_data,
			    sizeof(user_data))) < 0)
				return ccc_cli_usage("--user-data-hex: at most "
				    "%d bytes of hex", CCC_NITRO_FIELD_MAX);
			x.user_data = user_data;
			x.user_data_len = (size_t)n;
			bind = true;
			break;
		case 'V':
			return ccc_cli_version();
		default:
			return 2;	/* the usage line is printed */
		}
	}
	if (o.policy == NULL)
		return ccc_cli_usage("missing -p POLICY");
	if (file_arg(argc, argv, &o.in) != 0)
		return 2;
	if (strcmp(o.policy, "-") == 0 && (o.in == NULL ||
	    strcmp(o.in, "-") == 0))
		return ccc_cli_usage("the policy and the document cannot both "
		    "be standard input");
	o.expect = bind ? &x : NULL;
	return ccc_attest_verify_run(&o, &err) ? ccc_cli_fail(&err) : 0;
}
