#include "config.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "hash.h"

/* One digest and one context per thread, made on first use. */
static _Thread_local EVP_MD *md;
static _Thread_local EVP_MD_CTX *ctx;
static _Thread_local int in_use;

void
ccc_sha256_thread_end(void)
{
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	ctx = NULL;
	md = NULL;
	in_use = 0;
}

void
ccc_sha256_init(struct ccc_sha256 *h)
{
	h->evp = NULL;
	if (!in_use) {
		if (md == NULL)
			md = EVP_MD_fetch(NULL, "SHA256", NULL);
		if (ctx == NULL)
			ctx = EVP_MD_CTX_new();
		if (md != NULL && ctx != NULL &&
		    EVP_DigestInit_ex2(ctx, md, NULL) == 1) {
			h->evp = ctx;
			in_use = 1;
			return;
		}
		ERR_clear_error();
	}
	/* Nested use, or OpenSSL failed: the same function from libsodium. */
	crypto_hash_sha256_init(&h->st);
}

void
ccc_sha256_update(struct ccc_sha256 *h, const void *p, size_t n)
{
	if (h->evp != NULL && EVP_DigestUpdate(h->evp, p, n) == 1)
		return;
	if (h->evp != NULL) {
		/* Cannot happen with a fetched SHA-256; keep the answer right. */
		ERR_clear_error();
		abort();
	}
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
