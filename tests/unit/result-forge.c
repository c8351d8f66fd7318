/*
 * result-forge: a test helper (not installed) playing a dishonest enclave
 * of the pool: it signs, with its own attestation key, a result of the
 * usual shape for a request it was never assigned to and whose inputs it
 * never saw, with an output of its choosing (issue 12, attack 4).
 *
 *   result-forge -k ENCLAVE.key -F REQUEST -t OUTPUT -T TIME -o RESULT
 *                [-c] [-K HEX]
 *
 * The result names the request's enclave (-c: the forger's own id) and
 * its attestation the request's per-request key (-K: another key); it
 * claims that the shares of nodes 1, 2 and 3 verified.
 * Exit 0, or 2 with one line on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "attest.h"
#include "cli.h"
#include "ctsrc.h"
#include "io.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"

static int
die(const char *msg)
{
	fprintf(stderr, "result-forge: %s\n", msg);
	return 2;
}

int
main(int argc, char **argv)
{
	struct ccc_attest_signer *s = NULL;
	struct ccc_nitro_claims cl;
	struct ccc_request rq;
	struct ccc_ct_src src;
	struct ccc_val v[RES_NFIELDS], sv[RSH_NFIELDS];
	struct ccc_buf rb, digests, doc, blob, shares;
	struct ccc_err err;
	const char *key = NULL, *req = NULL, *text = NULL, *out = NULL;
	const uint8_t *p;
	uint8_t od[32], binding[32], eid[32], pk[32], pcr0[48];
	uint64_t t = 0;
	size_t n, len;
	bool own = false, src_open = false, have_pk = false;
	char *end;
	int c, rc;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	while ((c = getopt(argc, argv, "ck:F:K:o:t:T:")) != -1) {
		switch (c) {
		case 'c': own = true; break;
		case 'k': key = optarg; break;
		case 'F': req = optarg; break;
		case 'o': out = optarg; break;
		case 't': text = optarg; break;
		case 'T':
			t = strtoull(optarg, &end, 10);
			if (*end != '\0')
				return die("-T: seconds expected");
			break;
		case 'K':
			if (sodium_hex2bin(pk, 32, optarg, strlen(optarg),
			    NULL, &len, NULL) != 0 || len != 32)
				return die("-K: 32 hex bytes expected");
			have_pk = true;
			break;
		default:
			return die("usage: result-forge -k KEY -F REQUEST -t "
			    "OUTPUT -T TIME -o RESULT [-c] [-K HEX]");
		}
	}
	if (key == NULL || req == NULL || text == NULL || out == NULL ||
	    optind != argc)
		return die("-k, -F, -t, -T and -o are required");
	ccc_buf_init(&rb, 0);
	ccc_buf_init(&digests, 0);
	ccc_buf_init(&doc, 0);
	ccc_buf_init(&blob, 0);
	ccc_buf_init(&shares, 0);
	for (n = 1; n <= 3; n++) {
		ccc_val_uint(&sv[RSH_NODE], n);
		ccc_val_bytes(&sv[RSH_VERDICT], "verified", 8);
		sv[RSH_DIGEST].present = false;
		if (ccc_blob_encode(&shares, &ccc_schema_result_share, sv) != 0)
			return die("out of memory");
	}
	if ((rc = ccc_attest_signer_load(&s, key, &err)) != 0 ||
	    (rc = ccc_request_read(&rb, &rq, req, &err)) != 0)
		goto out;
	/* The input digests: the request's ciphertexts are public. */
	ccc_request_cts(&rq, &src, req);
	src_open = true;
	while ((rc = ccc_ct_src_next(&src, &p, &n, &err)) == 1) {
		uint8_t d[32];
		crypto_hash_sha256(d, p, n);
		if (ccc_buf_put(&digests, d, 32) != 0)
			return die("out of memory");
	}
	if (rc != 0)
		goto out;
	if (own)
		ccc_attest_signer_id(s, eid);
	else
		memcpy(eid, rq.enclave_id, 32);
	crypto_hash_sha256(od, (const uint8_t *)text, strlen(text));
	ccc_binding_digest(binding, rq.id, rq.app, rq.app_len, rq.code,
	    digests.p, src.n, od, t, shares.p, shares.len, 3);
	ccc_val_bytes(&v[RES_REQUEST], rq.id, 32);
	ccc_val_bytes(&v[RES_APP], rq.app, rq.app_len);
	ccc_val_bytes(&v[RES_CODE], rq.code, 48);
	ccc_val_array(&v[RES_INPUTS], digests.p, digests.len, src.n);
	ccc_val_uint(&v[RES_MODE], rq.output);
	ccc_val_bytes(&v[RES_OUTPUT], text, strlen(text));
	ccc_val_bytes(&v[RES_OUTPUT_DIGEST], od, 32);
	ccc_val_uint(&v[RES_TIME], t);
	ccc_val_bytes(&v[RES_ENCLAVE], eid, 32);
	memset(&cl, 0, sizeof(cl));
	memset(pcr0, 0x5a, sizeof(pcr0));
	cl.timestamp_ms = t * 1000;
	cl.pcr[CCC_PCR_RUNTIME] = pcr0;
	cl.pcr[CCC_PCR_CODE] = rq.code;
	cl.public_key = have_pk ? pk : rq.enclave_key;
	cl.public_key_len = 32;
	cl.user_data = binding;
	cl.user_data_len = 32;
	if ((rc = ccc_attest_sign_software(&doc, s, &cl, &err)) != 0)
		goto out;
	ccc_val_bytes(&v[RES_DOC], doc.p, doc.len);
	ccc_val_array(&v[RES_SHARES], shares.p, shares.len, 3);
	if ((rc = ccc_blob_encode(&blob, &ccc_schema_result, v)) != 0) {
		rc = ccc_err_set(&err, CCC_E_NOMEM, -1, NULL, "result");
		goto out;
	}
	rc = ccc_write_file(out, blob.p, blob.len, CCC_OUT_BINARY, &err);
out:
	if (src_open)
		ccc_ct_src_close(&src);
	ccc_attest_signer_free(s);
	ccc_buf_free(&rb);
	ccc_buf_free(&digests);
	ccc_buf_free(&doc);
	ccc_buf_free(&blob);
	ccc_buf_free(&shares);
	return rc ? ccc_cli_fail(&err) : 0;
}
