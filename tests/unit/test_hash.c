/*
 * SHA-256 of the hot paths (lib/hash.c): whichever implementation takes a
 * hash (small ones held and given to libsodium, large ones to OpenSSL,
 * nested ones to libsodium), and however the input is cut into updates,
 * the digest is SHA-256's, as libsodium computes it in one call.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "hash.h"
#include "tap.h"

static uint8_t data[3 * CCC_SHA256_SMALL + 77];

/* The digest of data[0..n) in updates of at most cut bytes (0: one). */
static int
same(size_t n, size_t cut)
{
	struct ccc_sha256 h;
	uint8_t want[32], got[32];
	size_t at = 0, k;

	crypto_hash_sha256(want, data, n);
	ccc_sha256_init(&h);
	do {
		k = cut == 0 || n - at < cut ? n - at : cut;
		ccc_sha256_update(&h, data + at, k);
		at += k;
	} while (at < n);
	ccc_sha256_final(&h, got);
	return memcmp(want, got, 32) == 0;
}

int
main(void)
{
	static const size_t sizes[] = { 0, 1, 55, 64, CCC_SHA256_SMALL - 1,
	    CCC_SHA256_SMALL, CCC_SHA256_SMALL + 1, sizeof(data) };
	static const size_t cuts[] = { 0, 1, 63, 500, CCC_SHA256_SMALL };
	size_t i, j, bad = 0;

	if (sodium_init() < 0)
		return 99;
	randombytes_buf(data, sizeof(data));
	/* Before any large hash: the small ones are libsodium's. */
	for (i = 0; i < 5; i++)
		for (j = 0; j < sizeof(cuts) / sizeof(cuts[0]); j++)
			bad += !same(sizes[i], cuts[j]);
	ok(bad == 0, "small hashes, before OpenSSL's digest is fetched");
	bad = 0;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < sizeof(cuts) / sizeof(cuts[0]); j++)
			bad += !same(sizes[i], cuts[j]);
	ok(bad == 0, "every size and cut, across the switch to OpenSSL");
	{
		/* A hash inside another: the inner one is libsodium's. */
		struct ccc_sha256 outer, inner;
		uint8_t a[32], b[32], wa[32], wb[32];
		ccc_sha256_init(&outer);
		ccc_sha256_update(&outer, data, 2000);
		ccc_sha256_init(&inner);
		ccc_sha256_update(&inner, data + 5, 3000);
		ccc_sha256_final(&inner, b);
		ccc_sha256_update(&outer, data + 2000, 100);
		ccc_sha256_final(&outer, a);
		crypto_hash_sha256(wa, data, 2100);
		crypto_hash_sha256(wb, data + 5, 3000);
		ok(memcmp(a, wa, 32) == 0 && memcmp(b, wb, 32) == 0,
		    "nested hashes");
	}
	ccc_sha256_thread_end();
	ok(same(100, 7) && same(sizeof(data), 0), "after the thread's end");
	{
		/* An empty update, whose pointer may be NULL. */
		struct ccc_sha256 h;
		uint8_t got[32], want[32];
		ccc_sha256_thread_end();
		ccc_sha256_init(&h);
		ccc_sha256_update(&h, NULL, 0);
		ccc_sha256_update(&h, data, 10);
		ccc_sha256_update(&h, NULL, 0);
		ccc_sha256_final(&h, got);
		crypto_hash_sha256(want, data, 10);
		ok(memcmp(got, want, 32) == 0, "empty updates, NULL pointers");
	}
	return tap_done();
}
