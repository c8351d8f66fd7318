/*
 * attest-sign: a test helper (not installed) that makes a software
 * attestation document with ccc_attest_sign_software(), the function
 * ccc-enclave-run calls, so the CLI tests of ccc-attest-verify can make
 * documents with chosen claims.
 *
 *   attest-sign -k ENCLAVE.key -o DOC [-b] [-t MS] [-m I=HEX]...
 *               [-K HEX] [-u HEX] [-n HEX]
 *
 * -b writes base64 instead of raw CBOR; -t the timestamp in milliseconds
 * (default now); -m a 48-byte PCR (at least one); -K, -u, -n public_key,
 * user_data and nonce.  Exit 0, or 2 with one line on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "attest.h"
#include "cli.h"
#include "io.h"

static uint8_t pcr[CCC_NITRO_PCRS][CCC_NITRO_PCR_BYTES];
static uint8_t fields[3][CCC_NITRO_FIELD_MAX];

static int
die(const char *msg)
{
	fprintf(stderr, "attest-sign: %s\n", msg);
	return 2;
}

static long
unhex(const char *s, uint8_t *out, size_t max)
{
	const char *end;
	size_t n;

	if (sodium_hex2bin(out, max, s, strlen(s), NULL, &n, &end) != 0 ||
	    *end != '\0')
		return -1;
	return (long)n;
}

int
main(int argc, char **argv)
{
	struct ccc_nitro_claims cl;
	struct ccc_attest_signer *s = NULL;
	struct ccc_buf doc;
	struct ccc_err err;
	const char *key = NULL, *out = NULL;
	char *b64 = NULL, *end;
	bool base64 = false;
	long i, n;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	memset(&cl, 0, sizeof(cl));
	ccc_buf_init(&doc, 0);
	while ((c = getopt(argc, argv, "bk:K:m:n:o:t:u:")) != -1) {
		switch (c) {
		case 'b':
			base64 = true;
			break;
		case 'k':
			key = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
			cl.timestamp_ms = strtoull(optarg, &end, 10);
			if (*end != '\0' || cl.timestamp_ms == 0)
				return die("-t: milliseconds expected");
			break;
		case 'm':
			i = strtol(optarg, &end, 10);
			if (*end != '=' || i < 0 || i >= CCC_NITRO_PCRS ||
			    unhex(end + 1, pcr[i], sizeof(pcr[i])) !=
			    CCC_NITRO_PCR_BYTES)
				return die("-m: I=HEX (48 bytes) expected");
			cl.pcr[i] = pcr[i];
			break;
		case 'K':
			if ((n = unhex(optarg, fields[0],
			    CCC_NITRO_FIELD_MAX)) < 0)
				return die("-K: hex expected");
			cl.public_key = fields[0];
			cl.public_key_len = (size_t)n;
			break;
		case 'u':
			if ((n = unhex(optarg, fields[1],
			    CCC_NITRO_FIELD_MAX)) < 0)
				return die("-u: hex expected");
			cl.user_data = fields[1];
			cl.user_data_len = (size_t)n;
			break;
		case 'n':
			if ((n = unhex(optarg, fields[2],
			    CCC_NITRO_FIELD_MAX)) < 0)
				return die("-n: hex expected");
			cl.nonce = fields[2];
			cl.nonce_len = (size_t)n;
			break;
		default:
			return die("usage: attest-sign -k KEY -o DOC [-b] "
			    "[-t MS] [-m I=HEX]... [-K HEX] [-u HEX] [-n HEX]");
		}
	}
	if (key == NULL || out == NULL || optind != argc)
		return die("-k KEY and -o DOC are required");
	if ((rc = ccc_attest_signer_load(&s, key, &err)) != 0 ||
	    (rc = ccc_attest_sign_software(&doc, s, &cl, &err)) != 0)
		goto out;
	if (base64) {
		size_t bl = sodium_base64_encoded_len(doc.len,
		    sodium_base64_VARIANT_ORIGINAL);
		if ((b64 = malloc(bl)) == NULL) {
			rc = ccc_err_set(&err, CCC_E_NOMEM, -1, NULL, "base64");
			goto out;
		}
		sodium_bin2base64(b64, bl, doc.p, doc.len,
		    sodium_base64_VARIANT_ORIGINAL);
		rc = ccc_write_file(out, b64, strlen(b64), CCC_OUT_FORCE,
		    &err);
	} else
		rc = ccc_write_file(out, doc.p, doc.len, CCC_OUT_FORCE, &err);
out:
	free(b64);
	ccc_attest_signer_free(s);
	ccc_buf_free(&doc);
	return rc ? ccc_cli_fail(&err) : 0;
}
