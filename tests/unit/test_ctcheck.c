/*
 * Checks of many ciphertexts (lib/ctcheck.c): whatever the mix of
 * ciphertexts with and without their proof's commitments, and wherever the
 * batches end, the error is that of the first bad ciphertext in input
 * order, with its item and input name; a wrong commitment with a right
 * proof is no error; the engines' chunk check marks exactly the hinted
 * ciphertexts that verify.
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "ctcheck.h"
#include "tap.h"

#define N 3
#define ITEMS 150		/* more than two batches */

static struct ccc_ec *ec;
static struct ccc_tdh2_pub pub;
static struct ccc_buf blob[ITEMS];
static struct ccc_ct ct[ITEMS];

/* Item i (0-based): with commitments unless i % 7 == 3. */
static int
setup(void)
{
	struct ccc_err err;
	BIGNUM *x[N];
	uint32_t i;
	int rc = -1;

	memset(x, 0, sizeof(x));
	if (ccc_tdh2_pub_alloc(ec, &pub, N) != 0)
		return -1;
	for (i = 0; i < N; i++)
		if ((x[i] = BN_secure_new()) == NULL)
			goto out;
	if (ccc_tdh2_deal(ec, &pub, x, 2, NULL) != 0)
		goto out;
	for (i = 0; i < ITEMS; i++) {
		ccc_buf_init(&blob[i], 0);
		if (ccc_ct_encrypt_hints(ec, &blob[i], &pub, "app", 3,
		    (const uint8_t *)"m", 1, i % 7 != 3, &err) != 0 ||
		    ccc_ct_decode(&ct[i], blob[i].p, blob[i].len, 0,
		    &err) != 0)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < N; i++)
		BN_clear_free(x[i]);
	return rc;
}

/* The stream of every item, item bad[k] (0-based) given a wrong f. */
static int
run(const size_t *bad, size_t nbad, struct ccc_err *err)
{
	struct ccc_ct_check c;
	struct ccc_ct t;
	size_t i, k;
	int rc;

	ccc_ct_check_init(&c, ec, &pub);
	ccc_err_clear(err);
	for (i = 0; i < ITEMS; i++) {
		t = ct[i];
		for (k = 0; k < nbad; k++)
			if (bad[k] == i)
				t.t.f[31] ^= 1;
		if ((rc = ccc_ct_check_add(&c, &t, (long)i + 1, "in",
		    err)) != 0)
			return rc;
	}
	return ccc_ct_check_flush(&c, err);
}

int
main(void)
{
	struct ccc_err err;
	static const size_t one[] = { 100 }, two[] = { 70, 3 },
	    unhinted[] = { 9, 17 }, last[] = { 149 };
	size_t i;
	int rc;

	if (sodium_init() < 0 || (ec = ccc_ec_new()) == NULL || setup() != 0)
		return 99;
	ok(run(NULL, 0, &err) == 0, "150 ciphertexts, 129 with commitments, "
	    "all good");
	rc = run(one, 1, &err);
	ok(rc == CCC_E_CIPHERTEXT && err.item == 101 &&
	    strcmp(err.what, "in") == 0 && strcmp(err.detail, "proof does "
	    "not verify (tampered, or made for another key)") == 0,
	    "a bad one with commitments is named at its item: %ld: %s",
	    err.item, err.detail);
	/* Item 4 (no commitments) is checked when it comes: it is first. */
	rc = run(two, 2, &err);
	ok(rc == CCC_E_CIPHERTEXT && err.item == 4, "the first bad one in "
	    "input order is named, not the first checked: item %ld", err.item);
	/* Item 10 (with) waits in a batch until item 11 (without) comes. */
	rc = run(unhinted, 2, &err);
	ok(rc == CCC_E_CIPHERTEXT && err.item == 10, "a batch waiting is "
	    "checked before the next ciphertext without commitments: item "
	    "%ld", err.item);
	rc = run(last, 1, &err);
	ok(rc == CCC_E_CIPHERTEXT && err.item == 150, "the last batch is "
	    "checked at the flush: item %ld", err.item);
	{
		/* A wrong commitment (another item's w) with a right proof. */
		struct ccc_ct_check c;
		struct ccc_ct t = ct[5];
		ccc_ct_check_init(&c, ec, &pub);
		t.w = ct[6].w;
		ccc_err_clear(&err);
		ok(ccc_ct_check_add(&c, &ct[4], 1, NULL, &err) == 0 &&
		    ccc_ct_check_add(&c, &t, 2, NULL, &err) == 0 &&
		    ccc_ct_check_add(&c, &ct[7], 3, NULL, &err) == 0 &&
		    ccc_ct_check_flush(&c, &err) == 0,
		    "a wrong commitment with a right proof is no error");
	}
	{
		/* The engines' chunks: item 30's proof broken. */
		static struct ccc_ct_batch b;
		static struct ccc_ct_pre pre;
		size_t good = 0, n = 0;
		memset(&b, 0, sizeof(b));
		ccc_buf_init(&b.data, 0);
		for (i = 0; i < 100; i++) {
			b.off[i] = b.data.len;
			b.len[i] = blob[i].len;
			if (ccc_buf_put(&b.data, blob[i].p, blob[i].len) != 0)
				return 99;
		}
		b.n = 100;
		/* Flip the last bit of item 30's f where the blob holds it. */
		for (i = 0; i + 2 < blob[30].len; i++)
			if (memcmp(blob[30].p + i, ct[30].t.f, 32) == 0)
				break;
		b.data.p[b.off[30] + i + 31] ^= 1;
		for (i = 0; i < CCC_CT_CHECK_CHUNKS(b.n); i++)
			ccc_ct_check_chunk(ec, &pub, &b, i, &pre);
		for (i = 0; i < 100; i++) {
			good += pre.ok[i];
			n += pre.ok[i] == (i % 7 != 3 && i != 30);
		}
		ok(CCC_CT_CHECK_CHUNKS(100) == 2 && n == 100 && good == 85,
		    "chunks: %zu of 100 marked, the hinted good ones", good);
		ccc_buf_free(&b.data);
	}
	for (i = 0; i < ITEMS; i++)
		ccc_buf_free(&blob[i]);
	ccc_tdh2_pub_free(&pub);
	ccc_ec_free(ec);
	return tap_done();
}
