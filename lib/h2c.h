/*
 * RFC 9380 hashing to elliptic curves: expand_message_xmd with SHA-256 and
 * the suite P256_XMD:SHA-256_SSWU_RO_.  Used to derive a second generator
 * of a DKG key from its public key id, so that nobody knows its discrete
 * log.  The inputs are public: nothing here is constant time (see h2c.c).
 */
#ifndef CCC_H2C_H
#define CCC_H2C_H

#include <stddef.h>
#include <stdint.h>

#include "ccc.h"

#define CCC_H2C_XMD_MAX_BYTES	8160	/* 255 * 32: ell <= 255 */
#define CCC_H2C_DST_MAX_BYTES	255
#define CCC_H2C_P256_BYTES	65	/* SEC1: 0x04 || X || Y */

/*
 * RFC 9380 section 5.3.1 expand_message_xmd with SHA-256: write out_len
 * uniform bytes derived from msg under the domain separation tag dst.
 * msg may be NULL when msg_len is 0.  A tag longer than 255 bytes must be
 * reduced by the caller first (section 5.3.3, "H2C-OVERSIZE-DST-").
 * Errors: CCC_E_FIELD if out_len is 0 or above 8160, or dst_len is 0 or
 * above 255 (out is then untouched).  Wipes its intermediate hashes.
 */
int ccc_h2c_expand_xmd(uint8_t *out, size_t out_len, const uint8_t *msg,
    size_t msg_len, const uint8_t *dst, size_t dst_len) CCC_WUR;

/*
 * RFC 9380 hash_to_curve with the suite P256_XMD:SHA-256_SSWU_RO_: write
 * the point for msg under dst to out as a SEC1 uncompressed point.
 * msg may be NULL when msg_len is 0.
 * Errors: CCC_E_FIELD if dst_len is 0 or above 255; CCC_E_NOMEM or
 * CCC_E_CRYPTO if OpenSSL fails (its error queue is cleared); CCC_E_POINT
 * if the sum is the identity (probability about 2^-256).  out is only
 * written on success.
 */
int ccc_h2c_p256(uint8_t out[CCC_H2C_P256_BYTES], const uint8_t *msg,
    size_t msg_len, const uint8_t *dst, size_t dst_len) CCC_WUR;

#endif
