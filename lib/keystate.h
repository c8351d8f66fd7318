/*
 * A decryption node's state directory (see ccc-share(1), FILES):
 *
 *   identity.key, identity.pub   the node's Ed25519 identity
 *   operators.cbor               who approves its first DKG (optional)
 *   retired.cbor                 the approved retirement of its key: the
 *                                node serves it no more (a tombstone)
 *   lock                         flock(2)ed by every command
 *   current                      "E\n": the epoch the node serves; replaced
 *                                atomically, the only commit point
 *   epochs/E/                    group.cbor, cert.cbor, share.cbor (0600),
 *                                committed, committee.cbor, transcript/
 *   pending/                     the transition under way: committee.cbor,
 *                                prev-group.cbor, transport.key (0600),
 *                                share.cbor (0600), msgs/
 *   in/, out/                    spools of protocol messages
 *
 * Every file is written atomically and durably (temporary file, fsync,
 * rename or link, fsync of the directory); secret files are 0600 and are
 * erased by overwriting, syncing and unlinking them.
 */
#ifndef CCC_KEYSTATE_H
#define CCC_KEYSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "ccc.h"
#include "identity.h"

struct ccc_keystate {
	char *dir;
	int lockfd;
	struct ccc_identity *id;
#ifdef CCC_TEST_HOOKS
	const char *crash_at;	/* test hook: _exit(137) at this step */
#endif
};

enum { CCC_KEYSTATE_SHARED = 0, CCC_KEYSTATE_EXCLUSIVE = 1 };

/*
 * Open dir: take the lock (exclusive: fail at once with CCC_E_LOCKED if
 * another process holds it; shared: wait), load the identity, and remove
 * temporary files an interrupted write left behind (exclusive only).
 * CCC_E_STATE if dir is not a state directory.
 */
int ccc_keystate_open(struct ccc_keystate *st, const char *dir, int mode,
    struct ccc_err *err) CCC_WUR;
void ccc_keystate_close(struct ccc_keystate *st);

/* Create a state directory for the identity in idfile (a secret key);
 * operators (a ccc/operators/v1 blob) or NULL. */
int ccc_keystate_init(const char *dir, const char *idfile,
    const struct ccc_buf *operators, struct ccc_err *err) CCC_WUR;

/* dir "/" rel into buf; CCC_E_USAGE if it does not fit. */
int ccc_keystate_path(const struct ccc_keystate *st, char *buf, size_t len,
    const char *fmt, ...) CCC_PRINTF(4, 5) CCC_WUR;
bool ccc_keystate_exists(const struct ccc_keystate *st, const char *fmt, ...)
    CCC_PRINTF(2, 3);

/* Read rel (secret: refuse a file others can read). */
int ccc_keystate_read(const struct ccc_keystate *st, struct ccc_buf *b,
    bool secret, struct ccc_err *err, const char *fmt, ...) CCC_PRINTF(5, 6)
    CCC_WUR;

/*
 * Write rel atomically and durably, creating its directory.  If it exists
 * with the same bytes nothing happens; with other bytes it is replaced
 * only with CCC_OUT_FORCE (else CCC_E_EXISTS).  Flags: CCC_OUT_SECRET,
 * CCC_OUT_FORCE, CCC_OUT_NOSYNC (atomic, durable only after
 * ccc_keystate_sync).
 */
int ccc_keystate_put(const struct ccc_keystate *st, const void *p, size_t n,
    int flags, struct ccc_err *err, const char *fmt, ...) CCC_PRINTF(6, 7)
    CCC_WUR;

/*
 * Make every write so far durable with one syncfs(2) of the state's file
 * system: what many CCC_OUT_NOSYNC writes need, one device flush instead
 * of two per file.
 */
int ccc_keystate_sync(const struct ccc_keystate *st, struct ccc_err *err)
    CCC_WUR;

/* mkdir rel (0700) if absent, durably. */
int ccc_keystate_mkdir(const struct ccc_keystate *st, struct ccc_err *err,
    const char *fmt, ...) CCC_PRINTF(3, 4) CCC_WUR;

/* Overwrite with zeros, sync, unlink and sync the directory; absent is ok. */
int ccc_keystate_erase(const struct ccc_keystate *st, struct ccc_err *err,
    const char *fmt, ...) CCC_PRINTF(3, 4) CCC_WUR;

/* Remove the tree rel, erasing every file in it; absent is ok. */
int ccc_keystate_rmtree(const struct ccc_keystate *st, struct ccc_err *err,
    const char *fmt, ...) CCC_PRINTF(3, 4) CCC_WUR;

/* Rename rel to rel2 (same file system) and sync the directories. */
int ccc_keystate_rename(const struct ccc_keystate *st, const char *from,
    const char *to, struct ccc_err *err) CCC_WUR;

/*
 * The epoch in `current`: 0 with *has = false if the node has none yet.
 * CCC_E_STATE if the file is not a decimal epoch.
 */
int ccc_keystate_current(const struct ccc_keystate *st, uint64_t *epoch,
    bool *has, struct ccc_err *err) CCC_WUR;
/* Point `current` at epoch (atomic replace, durable). */
int ccc_keystate_set_current(const struct ccc_keystate *st, uint64_t epoch,
    struct ccc_err *err) CCC_WUR;

/* The sorted names of the regular files in directory rel (free with
 * ccc_keystate_names_free); an absent directory has none. */
int ccc_keystate_list(const struct ccc_keystate *st, const char *rel,
    char ***names, size_t *n, struct ccc_err *err) CCC_WUR;
void ccc_keystate_names_free(char **names, size_t n);

/*
 * Test hook: end the process as kill -9 would at the named step; does
 * nothing in a build without --enable-test-hooks.
 */
void ccc_keystate_crash(const struct ccc_keystate *st, const char *step);

/* The time: seconds since the epoch. */
uint64_t ccc_keystate_now(void);

#endif
