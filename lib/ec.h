/*
 * P-256 group context and encodings, on OpenSSL's EC_POINT API.
 *
 * OpenSSL picks its optimised nistz256 method for the named curve (always
 * use the named curve: built from explicit parameters every multiplication
 * is ~5x slower).  Points are SEC1 uncompressed, 65 bytes; scalars 32 bytes
 * big-endian, < n.  Decoders reject points off the curve and the identity
 * (TDH2 never needs to send it), and scalars >= n.
 */
#ifndef CCC_EC_H
#define CCC_EC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/ec.h>

#include "ccc.h"

#define CCC_POINT_BYTES 65
#define CCC_SCALAR_BYTES 32

/*
 * A deterministic random bit generator (level-2 enclaves: every honest
 * replica draws the same values from the request's coin seed): draw i
 * is libsodium's randombytes_buf_deterministic (ChaCha20) under the key
 * HMAC-SHA256(key, "ccc/drbg/v1" || u64be(i)).
 */
struct ccc_drbg {
	uint8_t key[32];
	uint64_t n;
};
/* key = HMAC-SHA256(seed, "ccc/drbg/v1:" || purpose), n = 0. */
void ccc_drbg_init(struct ccc_drbg *d, const uint8_t seed[32],
    const char *purpose);
void ccc_drbg_bytes(struct ccc_drbg *d, void *out, size_t len);

struct ccc_ec {
	EC_GROUP *group;
	const EC_POINT *g;
	const BIGNUM *n;
	BN_CTX *bn;
	/* Unless NULL, every random scalar and ccc_ec_random byte. */
	struct ccc_drbg *drbg;
};

/* len random bytes: from ec->drbg when set, else the system's. */
void ccc_ec_random(struct ccc_ec *ec, void *out, size_t len);

/* The process-wide context (created on first use; NULL on failure). */
struct ccc_ec *ccc_ec_default(void);
/* A separate context (own BN_CTX) for another thread. */
struct ccc_ec *ccc_ec_new(void);
void ccc_ec_free(struct ccc_ec *ec);

/* Decode a point; CCC_E_POINT (with field) if invalid or the identity. */
int ccc_ec_point_decode(struct ccc_ec *ec, EC_POINT *out,
    const uint8_t in[CCC_POINT_BYTES], const char *field,
    struct ccc_err *err) CCC_WUR;
/* Decode a scalar; CCC_E_SCALAR if >= n. */
int ccc_ec_scalar_decode(struct ccc_ec *ec, BIGNUM *out,
    const uint8_t in[CCC_SCALAR_BYTES], const char *field,
    struct ccc_err *err) CCC_WUR;
int ccc_ec_scalar_encode(uint8_t out[CCC_SCALAR_BYTES], const BIGNUM *s);
/* Encode k points (SEC1 uncompressed). */
int ccc_ec_points_encode(struct ccc_ec *ec, uint8_t (*out)[CCC_POINT_BYTES],
    EC_POINT **pts, size_t k) CCC_WUR;
/* A uniformly random non-zero scalar (secret: BN_FLG_CONSTTIME is set). */
int ccc_ec_scalar_random(struct ccc_ec *ec, BIGNUM *out) CCC_WUR;
/* Interpret a digest as a big-endian integer reduced mod n. */
int ccc_ec_scalar_from_hash(struct ccc_ec *ec, BIGNUM *out,
    const uint8_t *d, size_t dlen) CCC_WUR;

/*
 * A fixed-base table for p (not the identity): a copy of ec->group whose
 * generator is p, with OpenSSL's precomputed multiples of it (nistz256:
 * 37 x 64 affine points, 148 KiB, ~25 ms to build).  Then
 * EC_POINT_mul(tab, R, k, NULL, NULL, ctx) is k*p by the same constant-time
 * code as k*G, a quarter of the cost of a variable-base multiplication.
 * Points of ec->group may be passed to and filled by calls on the table
 * (same method and curve name).  Never modified once built, so threads
 * with their own BN_CTX may share it.  EC_GROUP_free it; NULL on failure
 * (OpenSSL's error queue says why).
 */
EC_GROUP *ccc_ec_table_new(struct ccc_ec *ec, const EC_POINT *p);

#endif
