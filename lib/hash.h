/*
 * SHA-256 for the hot paths.  OpenSSL's implementation uses the CPU's SHA
 * extensions (5x libsodium's on this hardware: 0.75 ms/MiB vs 3.6); the
 * digest is fetched once a thread hashes more than CCC_SHA256_SMALL bytes
 * at once, and its context reused; smaller hashes before that are
 * libsodium's (lib/hash.c says why).  Should OpenSSL fail (only out of
 * memory), libsodium computes the same function: these calls cannot
 * fail.  Not for secrets that must be wiped from the context: the inputs
 * hashed here are public (points, ciphertexts).
 */
#ifndef CCC_HASH_H
#define CCC_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include <stdbool.h>

#define CCC_SHA256_SMALL 1024

struct ccc_sha256 {
	void *evp;			/* EVP_MD_CTX, or NULL: use sodium */
	crypto_hash_sha256_state st;
	bool sodium;			/* st has taken the bytes */
	size_t held;			/* else they are in small */
	uint8_t small[CCC_SHA256_SMALL];
};

void ccc_sha256_init(struct ccc_sha256 *h);
void ccc_sha256_update(struct ccc_sha256 *h, const void *p, size_t n);
void ccc_sha256_final(struct ccc_sha256 *h, uint8_t out[32]);
void ccc_sha256(uint8_t out[32], const void *p, size_t n);
/* Free the calling thread's digest context (a worker thread, at its end). */
void ccc_sha256_thread_end(void);

#endif
