/*
 * A decryption node's shares of a stream of ciphertexts (lib/shares.c):
 * the engine of ccc-reencrypt in both modes.
 */
#ifndef CCC_SHARES_H
#define CCC_SHARES_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "buf.h"
#include "ccc.h"
#include "ctsrc.h"
#include "par.h"

struct ccc_tdh2_pub;
struct ccc_request;
struct ccc_label_policy;
/*
 * A node's shares of every ciphertext of src, made on par's threads and
 * sealed in input order into ob with hctx (after ccc_sealed_begin).  Each
 * ciphertext is decoded, checked against the direct-mode label rules when
 * labels is set, and verified; its proof is bound to bind (32 bytes: the
 * recipient key, or the request id).  With out, ob is written there after
 * each batch; digests_fd, unless -1, receives the ciphertext digests (32
 * bytes each).  The first bad ciphertext stops it, named by file and item.
 */
struct ccc_hpke_ctx;
struct ccc_out;
struct ccc_share_run {
	struct ccc_par *par;
	const struct ccc_tdh2_pub *pub;
	const BIGNUM *x;
	uint32_t index;
	const uint8_t *bind;
	bool labels, allow_unlabelled;
	const char *context;
	/* Request mode: each ciphertext's label, under the node's policy. */
	const struct ccc_request *rq;
	const struct ccc_label_policy *pol;
	/* Each sealed share carries its proof's commitments (lib/seal.h). */
	bool comm;
	/*
	 * The shares are sealed to nrecip recipients (0 means 1): hctx,
	 * ob and out are arrays of nrecip, one per recipient, each blob
	 * written to its own output (level-2 replicas).
	 */
	size_t nrecip;
	struct ccc_hpke_ctx *hctx;
	/* Chainlink share mode: a line per share, sealed to this X25519 key
	 * (lib/vault.h), instead of the HPKE blob of hctx. */
	const uint8_t *box_to;
	struct ccc_buf *ob;
	struct ccc_out *out;
	/* Unless NULL, fed what out gets (libsodium's: the thread's OpenSSL
	 * context, lib/hash.h, stays free for the hot paths). */
	crypto_hash_sha256_state *out_hash;
	int digests_fd;
};
int ccc_shares_seal(const struct ccc_share_run *r, struct ccc_ct_src *src,
    struct ccc_err *err) CCC_WUR;
/* Build the tables that pay for n ciphertexts (none for few). */
int ccc_shares_tables(struct ccc_par *par, struct ccc_tdh2_pub *pub,
    size_t n, struct ccc_err *err) CCC_WUR;

#endif
