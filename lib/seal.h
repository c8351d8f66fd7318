/*
 * Sealed decryption shares: what a decryption node sends to a recipient
 * (a user's key, or an enclave's per-request key).
 *
 * The blob (ccc/sealed/v1) carries in clear who made it (key id, epoch,
 * node index), for what (context: the recipient's public key in direct
 * mode, the request id in request mode), for whom (recipient) and how many
 * shares; field 8 holds one HPKE ciphertext per share, sealed in order with
 * one HPKE context whose info binds all of the above:
 *
 *   info = "ccc/sealed/v1" 0x00 || key_id || u64be(epoch) || u32be(index)
 *          || SHA256(context) || recipient || u32be(count)
 *
 * so a sealed blob cannot be re-addressed, re-numbered, truncated or moved
 * to another request without every open failing.  Each plaintext record is
 * ct_digest(32) || u_i(65) || e_i(32) || f_i(32), 161 bytes; or, in a blob
 * whose records carry the proofs' commitments (for a batch verification,
 * lib/batchverify.h), that || u_hat(65) || h_hat(65), 291 bytes.  Every
 * record of a blob has one size, which each record's AEAD tag
 * authenticates: no record can be shortened or lengthened unnoticed.
 * The commitments are sealed too: with (e_i, f_i) they give u_i.
 */
#ifndef CCC_SEAL_H
#define CCC_SEAL_H

#include "blob.h"
#include "hpke.h"
#include "tdh2.h"

struct ccc_sealed {
	uint8_t key_id[32];
	uint64_t epoch;
	uint32_t index;
	const uint8_t *context;
	size_t context_len;
	uint8_t recipient[32];
	uint32_t count;
	uint8_t enc[32];
	struct ccc_val shares;
	bool comm;		/* its records carry commitments */
};

/* Start a sealed blob in out; ctx is set up for the shares that follow. */
int ccc_sealed_begin(struct ccc_buf *out, struct ccc_hpke_ctx *ctx,
    const struct ccc_sealed *hdr, struct ccc_err *err) CCC_WUR;
/*
 * Seal and append one share (call exactly hdr->count times), with its
 * proof's commitments comm (u_hat, h_hat), or none (comm NULL): every
 * share of a blob alike.
 */
int ccc_sealed_add(struct ccc_buf *out, struct ccc_hpke_ctx *ctx,
    const uint8_t ct_digest[32], const struct ccc_tdh2_dshare *ds,
    const uint8_t (*comm)[CCC_POINT_BYTES], struct ccc_err *err) CCC_WUR;

/* Decode a sealed blob (views into p). */
int ccc_sealed_decode(struct ccc_sealed *s, const uint8_t *p, size_t len,
    struct ccc_err *err) CCC_WUR;
/* Set up ctx to open s with the recipient secret key sk. */
int ccc_sealed_open_begin(struct ccc_hpke_ctx *ctx, const struct ccc_sealed *s,
    const uint8_t sk[32], struct ccc_err *err) CCC_WUR;

/*
 * A sealed blob read from a file in constant memory (a pipe or other
 * non-regular file is read whole first, up to 1 GiB): the header is decoded
 * and checked as ccc_sealed_decode would, the size must be exactly the
 * header plus count shares, and the shares are then read and opened one
 * at a time.  ccc_sealed_file_check opens every share once (nothing kept),
 * so a blob with any bad share can be refused before any is used.
 */
#define CCC_SEALED_CHUNK 366	/* shares per read (64 KiB, or 110 KiB) */
struct ccc_sealed_file {
	int fd;
	struct ccc_buf mem;	/* all of it, when not a regular file */
	size_t pos;		/* read offset in mem */
	struct ccc_buf head;	/* header bytes: s.context points here */
	struct ccc_sealed s;
	long long body;		/* file offset of share 0 */
	size_t next;		/* next share to open */
	struct ccc_hpke_ctx h;
	uint8_t *chunk;		/* shares read ahead */
	size_t have, used;
	size_t elem, stride;	/* a sealed share's size; with its head */
};

/*
 * Open path and decode its header.  CCC_E_IO if it cannot be read (err
 * names the file); other codes describe a bad blob, without the name.
 */
int ccc_sealed_file_open(struct ccc_sealed_file *f, const char *path,
    struct ccc_err *err) CCC_WUR;
/*
 * The same for a file that may hold a CBOR sequence of sealed blobs (a
 * level-2 node's release, one blob per replica): the first blob sealed
 * to pk, else the last; bytes after it are not read.
 */
int ccc_sealed_file_open_for(struct ccc_sealed_file *f, const char *path,
    const uint8_t *pk, struct ccc_err *err) CCC_WUR;
/* The same for the n bytes at p (copied), named name in errors. */
int ccc_sealed_file_open_mem(struct ccc_sealed_file *f, const uint8_t *p,
    size_t n, const uint8_t *pk, const char *name, struct ccc_err *err)
    CCC_WUR;
/*
 * SHA-256 of the whole file as opened (re-read from its start; a pipe's
 * bytes as read); the file position is not moved.  CCC_E_IO.
 */
int ccc_sealed_file_digest(const struct ccc_sealed_file *f, uint8_t out[32],
    struct ccc_err *err) CCC_WUR;
/* Open every share once with sk (CCC_E_DECRYPT if one fails). */
int ccc_sealed_file_check(struct ccc_sealed_file *f, const uint8_t sk[32],
    struct ccc_err *err) CCC_WUR;
/* Start reading shares from the first (after a check, or instead of it). */
int ccc_sealed_file_start(struct ccc_sealed_file *f, const uint8_t sk[32],
    struct ccc_err *err) CCC_WUR;
/* The next share, opened, and if f->s.comm and comm is not NULL, its
 * proof's commitments into comm. */
int ccc_sealed_file_next(struct ccc_sealed_file *f, uint8_t ct_digest[32],
    struct ccc_tdh2_dshare *ds, uint8_t (*comm)[CCC_POINT_BYTES],
    struct ccc_err *err) CCC_WUR;
void ccc_sealed_file_close(struct ccc_sealed_file *f);

#endif
