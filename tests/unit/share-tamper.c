/*
 * share-tamper: a test helper (not installed) playing a decryption node
 * that releases a wrong decryption share, well sealed: it opens a sealed
 * blob with the recipient's secret key, alters the proof of one share
 * (its last byte of f_i) and seals them all again to the same recipient
 * under the same header, so the blob opens and only the proof fails.
 * Shares that carry their proofs' commitments keep them; with -c it is
 * the commitment h_hat that is altered, and the proof is left valid.
 *
 *   share-tamper -i RECIPIENT.key -n N [-c] -o OUT SEALED
 *
 * N is the 1-based share to alter.  From a level-2 release (a sequence
 * of blobs, one per replica) it takes the blob sealed to the key's
 * replica, and writes it alone.  Exit 0, or 2 with one line on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "io.h"
#include "keys.h"
#include "seal.h"

static int
die(const char *msg)
{
	fprintf(stderr, "share-tamper: %s\n", msg);
	return 2;
}

int
main(int argc, char **argv)
{
	struct ccc_sealed_file f;
	struct ccc_sealed hdr;
	struct ccc_hpke_ctx h;
	struct ccc_tdh2_dshare ds;
	uint8_t comm[2][CCC_POINT_BYTES];
	struct ccc_buf kb, ob;
	struct ccc_err err;
	const char *key = NULL, *out = NULL;
	uint8_t sk[32], pk[32], d[32];
	unsigned long which = 0;
	char *end;
	size_t i;
	int c, rc;
	bool hint = false;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	while ((c = getopt(argc, argv, "ci:n:o:")) != -1) {
		switch (c) {
		case 'c': hint = true; break;
		case 'i': key = optarg; break;
		case 'o': out = optarg; break;
		case 'n':
			which = strtoul(optarg, &end, 10);
			if (*end != '\0' || which == 0)
				return die("-n: a share number from 1");
			break;
		default:
			return die("usage: share-tamper -i KEY -n N [-c] -o OUT "
			    "SEALED");
		}
	}
	if (key == NULL || which == 0 || out == NULL || optind != argc - 1)
		return die("-i, -n, -o and one sealed blob are required");
	ccc_buf_init(&kb, 1);
	ccc_buf_init(&ob, 0);
	memset(&h, 0, sizeof(h));
	memset(&f, 0, sizeof(f));
	f.fd = -1;
	if ((rc = ccc_read_file(&kb, key, 4096, &err)) != 0 ||
	    (rc = ccc_recipient_key_load(sk, pk, kb.p, kb.len, &err)) != 0 ||
	    (rc = ccc_sealed_file_open_for(&f, argv[optind], pk, &err)) != 0 ||
	    (rc = ccc_sealed_file_start(&f, sk, &err)) != 0)
		goto out;
	if (hint && !f.s.comm) {
		sodium_memzero(sk, sizeof(sk));
		ccc_sealed_file_close(&f);
		ccc_buf_free(&kb);
		return die("-c: the shares carry no commitments");
	}
	if (which > f.s.count) {
		rc = ccc_err_set(&err, CCC_E_USAGE, -1, NULL, "-n: the blob "
		    "has %u shares", f.s.count);
		goto out;
	}
	hdr = f.s;
	if ((rc = ccc_sealed_begin(&ob, &h, &hdr, &err)) != 0)
		goto out;
	for (i = 1; i <= f.s.count; i++) {
		if ((rc = ccc_sealed_file_next(&f, d, &ds, comm, &err)) != 0)
			goto out;
		if (i == which && hint)
			comm[1][64] ^= 1;
		else if (i == which)
			ds.f_i[31] ^= 1;
		if ((rc = ccc_sealed_add(&ob, &h, d, &ds, f.s.comm ? comm :
		    NULL, &err)) != 0)
			goto out;
	}
	rc = ccc_write_file(out, ob.p, ob.len, CCC_OUT_BINARY, &err);
out:
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(&ds, sizeof(ds));
	ccc_hpke_ctx_wipe(&h);
	ccc_sealed_file_close(&f);
	ccc_buf_free(&kb);
	ccc_buf_free(&ob);
	return rc ? ccc_cli_fail(&err) : 0;
}
