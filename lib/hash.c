#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "hash.h"

/*
 * One digest and one context per thread, made on first use: on the first
 * hash of more than CCC_SHA256_SMALL bytes, or once the thread's small
 * hashes add up to FETCH_AFTER bytes.  Until then a hash is libsodium's,
 * its bytes held in its state until their size decides: the fetch sets up
 * OpenSSL's library context and providers (about 1 ms), which a one-shot
 * tool that hashes a few points and headers would pay to save a few
 * microseconds.  Once fetched, every hash of the thread uses it.
 */
#define FETCH_AFTER (256 << 10)

static _Thread_local EVP_MD *md;
static _Thread_local EVP_MD_CTX *ctx;
static _Thread_local int in_use;
static _Thread_local size_t small_bytes;	/* hashed by libsodium */

void
ccc_sha256_thread_end(void)
{
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	ctx = NULL;
	md = NULL;
	in_use = 0;
	small_bytes = 0;
}

/* This thread's context, ready for a hash, or 0 (nested use, or failed). */
static int
evp_begin(struct ccc_sha256 *h)
{
	if (in_use)
		return 0;
	if (md == NULL)
		md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	if (md != NULL && ctx != NULL &&
	    EVP_DigestInit_ex2(ctx, md, NULL) == 1) {
		h->evp = ctx;
		in_use = 1;
		return 1;
	}
	ERR_clear_error();
	return 0;
}

void
ccc_sha256_init(struct ccc_sha256 *h)
{
	h->evp = NULL;
	h->held = 0;
	h->sodium = false;
	if ((md != NULL || small_bytes >= FETCH_AFTER) && evp_begin(h))
		return;
	/* Small so far: held back until the size decides. */
	crypto_hash_sha256_init(&h->st);
}

void
ccc_sha256_update(struct ccc_sha256 *h, const void *p, size_t n)
{
	if (h->evp != NULL) {
		if (EVP_DigestUpdate(h->evp, p, n) == 1)
			return;
		/* Cannot happen with a fetched SHA-256; keep the answer right. */
		ERR_clear_error();
		abort();
	}
	if (h->sodium) {
		crypto_hash_sha256_update(&h->st, p, n);
		return;
	}
	if (n == 0)		/* (p may then be NULL: no memcpy) */
		return;
	if (n <= CCC_SHA256_SMALL - h->held) {
		memcpy(h->small + h->held, p, n);
		h->held += n;
		return;
	}
	/* Large: OpenSSL's (SHA extensions), else libsodium's. */
	if (evp_begin(h)) {
		ccc_sha256_update(h, h->small, h->held);
		ccc_sha256_update(h, p, n);
		return;
	}
	h->sodium = true;
	crypto_hash_sha256_update(&h->st, h->small, h->held);
	crypto_hash_sha256_update(&h->st, p, n);
}

void
ccc_sha256_final(struct ccc_sha256 *h, uint8_t out[32])
{
	unsigned int len;

	if (h->evp != NULL) {
		if (EVP_DigestFinal_ex(h->evp, out, &len) != 1 || len != 32)
			abort();
		in_use = 0;
		h->evp = NULL;
		return;
	}
	if (!h->sodium) {
		crypto_hash_sha256_update(&h->st, h->small, h->held);
		small_bytes += h->held;
	}
	crypto_hash_sha256_final(&h->st, out);
}

void
ccc_sha256(uint8_t out[32], const void *p, size_t n)
{
	struct ccc_sha256 h;

	ccc_sha256_init(&h);
	ccc_sha256_update(&h, p, n);
	ccc_sha256_final(&h, out);
}
