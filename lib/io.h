/*
 * File input and atomic output.
 *
 * Inputs are read whole with a size cap.  Outputs go either to stdout or to
 * a temporary file beside the target that is fsync'ed and renamed into place
 * only on ccc_out_commit(), so a failure never truncates what was there.
 * Secret files are created 0600 and, without CCC_OUT_FORCE, never replace an
 * existing file (the final renameat2(RENAME_NOREPLACE), or link(2) where
 * that is missing, fails with EEXIST instead).
 */
#ifndef CCC_IO_H
#define CCC_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "ccc.h"

#define CCC_READ_MAX_DEFAULT (64UL * 1024 * 1024)

/* Display name of a path argument: "stdin"/"stdout" for NULL or "-". */
const char *ccc_io_name(const char *path, int output);

/*
 * Read all of path (NULL or "-" for stdin) into b, at most max bytes.
 * CCC_E_TOOBIG past max, CCC_E_IO (errno in detail) on failure.
 */
int ccc_read_file(struct ccc_buf *b, const char *path, size_t max,
    struct ccc_err *err) CCC_WUR;

/*
 * Read a secret file into b (which should be a secret buffer).  Refuses a
 * file readable or writable by group or others (CCC_E_PERM), a symlink and
 * anything but a regular file.
 */
int ccc_read_secret_file(struct ccc_buf *b, const char *path, size_t max,
    struct ccc_err *err) CCC_WUR;

/*
 * Read the open descriptor fd to its end, appended to b, at most max
 * bytes in all (name for errors): a pipe or FIFO already opened is read
 * from that opening, never opened again.
 */
int ccc_read_fd(struct ccc_buf *b, int fd, const char *name, size_t max,
    struct ccc_err *err) CCC_WUR;

/*
 * ccc_read_secret_file (secret) or ccc_read_file, with the input's name
 * (ccc_io_name) added to the error: for readers at an input's boundary.
 */
int ccc_read_named(struct ccc_buf *b, const char *path, size_t max,
    bool secret, struct ccc_err *err) CCC_WUR;

/*
 * ccc_read_secret_file, the file opened read-write and kept open in *fd
 * (-1 for stdin) for ccc_erase_fd: what is erased is what was read, even
 * if the path is swapped for another file or a symbolic link meanwhile.
 */
int ccc_read_secret_keep(struct ccc_buf *b, const char *path, size_t max,
    int *fd, struct ccc_err *err) CCC_WUR;
/*
 * Overwrite the file open as fd with zeros, sync it, unlink path if it
 * still names that file, and close fd.  0 when all of that was done (or
 * fd is -1), -1 when not (the callers erase on a best-effort basis).
 */
int ccc_erase_fd(int fd, const char *path);

/* Read up to n bytes from fd, retrying on EINTR; returns bytes read or -1. */
ssize_t ccc_read_full(int fd, void *p, size_t n);
/* Write all n bytes to fd, retrying; 0 or -1 (errno set). */
int ccc_write_full(int fd, const void *p, size_t n);

enum {
	CCC_OUT_BINARY = 1,	/* refuse to write to a terminal */
	CCC_OUT_FORCE = 2,	/* may replace an existing file */
	CCC_OUT_SECRET = 4,	/* mode 0600 */
	CCC_OUT_TTY_OK = 8,	/* binary to a terminal was asked for */
	CCC_OUT_HAS_T = 16,	/* the tool has -T: the refusal names it */
	CCC_OUT_NOSYNC = 32,	/* atomic but not synced: the caller syncs
				 * the file system before anything depends
				 * on the file (ccc_keystate_sync) */
	CCC_OUT_NODIRSYNC = 64	/* the file synced, its new name not: a
				 * crash may leave the file it replaced,
				 * which the caller recovers from */
};

struct ccc_out {
	int fd;
	int flags;
	char *path;	/* target, NULL for stdout */
	char *tmp;	/* temporary beside it */
};

/*
 * Open an output; path NULL or "-" means stdout, refused when standard
 * output is closed (ccc_stdout_check) or, for CCC_OUT_BINARY and
 * CCC_OUT_SECRET without CCC_OUT_TTY_OK, a terminal.
 */
int ccc_out_open(struct ccc_out *o, const char *path, int flags,
    struct ccc_err *err) CCC_WUR;
int ccc_out_write(struct ccc_out *o, const void *p, size_t n,
    struct ccc_err *err) CCC_WUR;
/*
 * Make the output durable and visible (fsync, rename, fsync dir): the
 * same as ccc_out_close then ccc_out_place.  ccc_out_close syncs and
 * closes the temporary; ccc_out_place gives it the target's name and
 * syncs the directory.  Each aborts the output on failure; for stdout
 * both do nothing.
 */
int ccc_out_commit(struct ccc_out *o, struct ccc_err *err) CCC_WUR;
int ccc_out_close(struct ccc_out *o, struct ccc_err *err) CCC_WUR;
int ccc_out_place(struct ccc_out *o, struct ccc_err *err) CCC_WUR;
/*
 * CCC_E_IO ("stdout: standard output is closed") unless standard output
 * is open for writing.  A tool started with it closed has it open
 * read-only on /dev/null (ccc_cli_init), so that no file of its own takes
 * descriptor 1 and no output it writes there is silently lost.
 */
int ccc_stdout_check(struct ccc_err *err) CCC_WUR;
/* Drop an uncommitted output: the temporary file is removed.  Idempotent. */
void ccc_out_abort(struct ccc_out *o);

/* Write a whole file atomically (open + write + commit, abort on error). */
int ccc_write_file(const char *path, const void *p, size_t n, int flags,
    struct ccc_err *err) CCC_WUR;

/*
 * Serialise the read, check and replacement of a small state file
 * (accept's nonce record, an oracle's chain): an exclusive flock(2) on
 * "PATH.lock" beside it, 0600, made if missing; never waits (a second
 * process is refused with CCC_E_LOCKED, to run again).  The lock's
 * descriptor in *fd, to close once the file is replaced and the output
 * committed (-1 on failure).
 */
int ccc_lock_beside(const char *path, int *fd, struct ccc_err *err) CCC_WUR;

/*
 * A private copy of path (NULL or "-": stdin), at most max bytes, in a
 * file of $TMPDIR (default /tmp) unlinked at once, so nobody else can
 * change what is read from it; *fd is left at offset 0.  first, if not
 * NULL, judges the input's first CCC_COPY_FIRST bytes (or all of a
 * shorter input) before anything is copied, so that an endless stream of
 * junk is refused at once.  Errors name the input ("stdin: cannot keep a
 * copy in DIR: ..." when the copy fails; CCC_E_TOOBIG beyond max).
 */
#define CCC_COPY_FIRST 256
typedef int ccc_copy_check(const uint8_t *p, size_t len, struct ccc_err *err);
int ccc_private_copy(const char *path, size_t max, ccc_copy_check *first,
    int *fd,
    struct ccc_err *err) CCC_WUR;

/* An unlinked read-write file in $TMPDIR (default /tmp), for scratch. */
int ccc_tmpfile(int *fd, struct ccc_err *err) CCC_WUR;
/*
 * A read-write file in memory (memfd_create), for a serving process's
 * scratch, emptied and filled again for every item: no disk block is
 * allocated for it by a sync of the file system, and none freed (a
 * discard on some file systems) when it is emptied.  Its size is what it
 * holds, at most an item or an answer.  Without memfd_create, a
 * ccc_tmpfile.
 */
int ccc_memfile(int *fd, const char *name, struct ccc_err *err) CCC_WUR;

/*
 * Empty a scratch file (a ccc_memfile reused item after item) and rewind
 * it: 0, or -1 with errno set.
 */
int ccc_scratch_empty(int fd) CCC_WUR;
/*
 * p[0..n) written over the start of path, which is cut there: the same
 * file, no new one (for a small state file rewritten often, where a new
 * file would cost an inode each time).  Not atomic and not synced: the
 * caller's format must tell a torn write.  With create, a missing file is
 * made (mode 0600); without, CCC_E_IO with errno ENOENT says it is
 * missing (errno is kept on every failure).
 */
int ccc_overwrite(const char *path, const void *p, size_t n, bool create,
    struct ccc_err *err) CCC_WUR;

/* fsync the directory holding path (for durable renames). */
int ccc_fsync_dir_of(const char *path, struct ccc_err *err) CCC_WUR;

#endif
