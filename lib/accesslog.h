/*
 * A decryption node's release record: an append-only, hash-chained access
 * log, and the replay markers that make each request servable once.
 *
 * STATE/access.log is a CBOR sequence of ccc/access/v1 entries; entry k
 * carries seq = k (from 1) and prev = SHA-256 of entry k-1's exact bytes
 * (32 zero bytes for the first).  STATE/access.head holds the sequence
 * number and SHA-256 of the last entry, replaced atomically after every
 * append, so removing the last entries is detected too.  Removing or
 * editing any entry breaks the chain at that entry.  With the node's
 * identity, STATE/access.head.signed holds the head signed (below), so an
 * auditor who kept one detects a log re-made since.
 *
 * lib/accesslog.c keeps the state (lock, markers, append, the check before
 * serving), lib/accesslog_head.c the head files, lib/accesslog_verify.c
 * the auditor's verification.
 *
 * STATE/served/e<N>/<request id hex> is a replay marker (lib/markers.c),
 * filed in the bucket N of its expiry (N = expiry / CCC_MARKER_BUCKET):
 * "pending" from before the
 * log entry is appended, "released" (written over it in place) once the
 * sealed shares were written, "recorded" when rebuilt from the log;
 * "logged", which older versions wrote once the entry was in the log, is
 * read as pending is.
 * A node refuses a request whose marker says released or recorded.  The
 * log is the record and the markers an index of it: removed markers are
 * rebuilt from the log (ccc_accesslog_check).  After a crash a re-run finishes
 * the release with exactly one log entry: a pending marker makes it look
 * the request up in the log before appending.
 * Markers of requests expired for longer than the grace period are
 * pruned, a whole bucket at a time: such requests are refused as expired
 * anyway.  Neither pruning nor a lookup reads a live marker, so serving
 * costs the same whatever the node's history.
 *
 * Each entry names the sealed blob released by its SHA-256
 * (sealed_digest).  The blob is kept as STATE/served/e<N>/<id hex>.sealed,
 * durable before the entry is appended, until it is released; a rerun of
 * a logged release writes that very blob, so the digest logged is the
 * digest of what left the node (lib/ops/reencrypt_request.c).
 */
#ifndef CCC_ACCESSLOG_H
#define CCC_ACCESSLOG_H

#include <stdbool.h>

#include "blob.h"
#include "identity.h"
#include "schemas.h"


#define CCC_PRUNE_GRACE (24 * 3600)
#define CCC_MARKER_BUCKET (6 * 3600)	/* s of expiry a bucket of markers spans */

struct ccc_access_entry {
	uint64_t time;
	uint8_t request_id[32];
	const char *app;
	size_t app_len;
	int ct_digests_fd;	/* nct digests of 32 bytes, from offset 0 */
	size_t nct;
	uint8_t recipient_digest[32];	/* SHA-256 of the enclave key */
	bool has_output_to;		/* a sealed output: */
	uint8_t output_to[32];		/* SHA-256 of the subscriber's key */
	uint32_t node;
	uint64_t epoch;
	uint8_t key_id[32];
	uint8_t sealed_digest[32];	/* SHA-256 of the sealed blob released */
	bool has_aggregate;		/* level 4: */
	uint8_t aggregate[32];		/* SHA-256 of the aggregate shared */
	const uint8_t *values;		/* and nct digests of the inputs'
					 * values, as the digests (or NULL) */
};

/* A locked state directory (flock on STATE/lock). */
struct ccc_accesslog {
	char *dir;
	int lockfd;
};

int ccc_accesslog_open(struct ccc_accesslog *st, const char *dir,
    struct ccc_err *err) CCC_WUR;
void ccc_accesslog_close(struct ccc_accesslog *st);

enum ccc_served { CCC_SERVED_NO, CCC_SERVED_PENDING, CCC_SERVED_LOGGED,
    CCC_SERVED_RELEASED, CCC_SERVED_RECORDED };

/*
 * Before serving: check the access log against its head (the entry the
 * head names ends the log; past it only a crash's complete next entry,
 * adopted, or the start of one, cut off: anything else is CCC_E_STATE and
 * nothing is cut), then give every entry logged since served/log-index a
 * marker: a missing one is rebuilt as "recorded" (refused like
 * "released"), with an expiry of the entry's time plus the longest request
 * lifetime.  served/log-index ("SEQ LENGTH") says that entries 1..SEQ have
 * their markers; it is rewritten after a rebuild or 64 entries.
 */
int ccc_accesslog_check(struct ccc_accesslog *st, uint64_t now,
    struct ccc_err *err) CCC_WUR;

/* The replay marker of a request. */
int ccc_accesslog_served(struct ccc_accesslog *st, const uint8_t rid[32],
    enum ccc_served *how, struct ccc_err *err) CCC_WUR;
/*
 * Log a release: a "pending" marker, then the entry (append, fsync, head
 * replaced); the marker stays pending until released.  A pending marker
 * makes it look the request up in the log first, so a request is logged
 * exactly once however often the node is killed and re-run.
 */
int ccc_accesslog_append(struct ccc_accesslog *st,
    const struct ccc_access_entry *e, uint64_t expires, struct ccc_err *err)
    CCC_WUR;
/*
 * Whether the log has an entry for request rid, and the SHA-256 of the
 * sealed blob it names (32 zero bytes if the entry, of an older version,
 * names none).
 */
int ccc_accesslog_find(struct ccc_accesslog *st, const uint8_t rid[32],
    bool *found, uint8_t sealed_digest[32], struct ccc_err *err) CCC_WUR;
/*
 * Call each(v, ctx, err) on every entry of the log file, decoded (v as
 * ccc_schema_access gives it), until it returns non-zero: 1 stops (and
 * gives 0), anything else is an error it set in err.  A malformed entry
 * is an error naming log.
 */
int ccc_accesslog_each(const char *log, int (*each)(const struct ccc_val *,
    void *, struct ccc_err *), void *ctx, struct ccc_err *err) CCC_WUR;
/*
 * Level 4: append to out, for every input of every aggregate the log
 * records released (entries with an aggregate), input digest || aggregate
 * digest (64 bytes), then, for the inputs of entries that have them
 * (field values), values digest || aggregate digest, so that a lost record
 * of used inputs (lib/aggstate.h) is rebuilt from the log.
 */
int ccc_accesslog_used_inputs(struct ccc_accesslog *st, struct ccc_buf *out,
    struct ccc_err *err) CCC_WUR;
/*
 * STATE/served/e<N>/<request id hex>.sealed: the sealed blob of a
 * release, made durable before the release is logged and removed once it
 * is written, so a rerun after a crash releases the very blob the log
 * names (malloc'd path in *p; ccc_accesslog_bucket makes its directory).
 * Pruned with the request's marker.
 */
int ccc_accesslog_kept_path(const struct ccc_accesslog *st,
    const uint8_t rid[32], uint64_t expires, char **p, struct ccc_err *err)
    CCC_WUR;
/* The bucket of expires, made (and made durable) if it is new. */
int ccc_accesslog_bucket(const struct ccc_accesslog *st, uint64_t expires,
    struct ccc_err *err) CCC_WUR;
/*
 * Remove a kept blob nothing names (a release that failed before it was
 * logged), and its bucket if that leaves it empty.
 */
void ccc_accesslog_unkeep(char *kept);
/* Mark a request released. */
int ccc_accesslog_released(struct ccc_accesslog *st, const uint8_t rid[32],
    uint64_t expires, struct ccc_err *err) CCC_WUR;
/* Write request rid's marker: WHAT (pending, logged, ...) and expires. */
int ccc_accesslog_mark(struct ccc_accesslog *st, const uint8_t rid[32],
    const char *what, uint64_t expires, struct ccc_err *err) CCC_WUR;
/*
 * Remove the buckets of markers whose requests all expired before now -
 * grace (and flat markers of earlier versions so expired).
 */
void ccc_accesslog_prune(struct ccc_accesslog *st, uint64_t now);
/* A small state file whole; one larger than max is not KIND (CCC_E_STATE). */
int ccc_accesslog_read_small(struct ccc_buf *b, const char *path, size_t max,
    const char *kind, struct ccc_err *err) CCC_WUR;

/*
 * STATE/access.head: "SEQ HASH REQUEST-ID LENGTH\n" (decimal, lowercase
 * hex), the last entry's number, SHA-256 and request id, and the log's
 * length.  Read strictly: only the exact line ccc_access_head_write makes
 * is a head (CCC_E_STATE otherwise); a missing file is the empty log's
 * head (all zero).
 */
struct ccc_access_head {
	uint64_t seq;
	uint8_t hash[32];
	uint8_t rid[32];
	uint64_t len;
};

int ccc_access_head_read(const char *path, struct ccc_access_head *h,
    struct ccc_err *err) CCC_WUR;
int ccc_access_head_write(const char *path, const struct ccc_access_head *h,
    struct ccc_err *err) CCC_WUR;

/*
 * STATE/access.head.signed: the head signed with the node's identity key,
 * one line
 *
 *   "ccc/access-head/v1 SEQ HASH NODE KEY-ID EPOCH SIGNER SIG\n"
 *
 * (decimal, lowercase hex; SIGNER the identity id, SIG the Ed25519
 * signature of the line's bytes before " SIG" under the purpose
 * CCC_ACCESS_HEAD_PURPOSE).  It binds entry SEQ's chain hash to the node
 * index, key id and epoch the node serves, so anyone holding one can tell
 * a log rewritten since (its entry SEQ is no longer the one signed).  The
 * purpose is in the "ccc/node/v1:" space: no oracle purpose
 * ("ccc/oracle/v1:" ...) and no DKG purpose (no ':') is one of its.
 */
#define CCC_ACCESS_HEAD_PURPOSE "ccc/node/v1:access-head"

struct ccc_signed_head {
	uint64_t seq;		/* >= 1 */
	uint8_t hash[32];
	uint32_t node;
	uint8_t key_id[32];
	uint64_t epoch;
	uint8_t signer[CCC_ID_BYTES];
	uint8_t sig[CCC_ID_SIG_BYTES];
	const char *name;	/* the file it was read from, for errors */
};

/*
 * Sign the state's current head (nothing when the log is empty) for node,
 * key_id and epoch, and replace STATE/access.head.signed with it.
 */
int ccc_accesslog_sign_head(struct ccc_accesslog *st,
    const struct ccc_identity *id, uint32_t node, const uint8_t key_id[32],
    uint64_t epoch, struct ccc_err *err) CCC_WUR;
/*
 * Read a signed head strictly and verify it under pk: CCC_E_MALFORMED if
 * it is not one line as above, CCC_E_KEY if another identity signed it,
 * CCC_E_SIGNATURE if the signature does not verify.  sh->name = path.
 */
int ccc_signed_head_read(struct ccc_signed_head *sh, const char *path,
    const uint8_t pk[CCC_ID_PK_BYTES], struct ccc_err *err) CCC_WUR;

/*
 * Verify an access log: every entry well-formed, numbered 1, 2, ... and
 * chained; when head is not NULL (a file as written beside the log), the
 * last entry must be the one it names (number, hash, request id).  Each
 * of the nsh signed heads (verified already) must name an entry still in
 * the log, with the chain hash, node, key id and epoch signed.  *count
 * receives the entries.  CCC_E_MALFORMED naming the entry on failure.
 */
int ccc_access_verify_signed(const char *log, const char *head,
    const struct ccc_signed_head *sh, size_t nsh, uint64_t *count,
    struct ccc_err *err) CCC_WUR;
/* The same without signed heads. */
int ccc_access_verify(const char *log, const char *head, uint64_t *count,
    struct ccc_err *err) CCC_WUR;

#endif
