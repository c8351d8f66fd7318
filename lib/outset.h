/*
 * Output sets: the outputs of one run (files, and at most one standard
 * output) written as one, state before what depends on it.
 *
 * ccc_outset_add checks an output as a rename would and writes it beside
 * its target; ccc_outset_commit puts the set in place:
 *  1. Refused when added, before a byte of it is written: an empty name,
 *     a directory in the way, an existing file without CCC_OUT_FORCE (a
 *     dangling symbolic link exists), one file named twice however spelt
 *     (the same directory and last name), and standard output closed or,
 *     for a binary or secret output, a terminal (lib/io.h).
 *  2. Each file is written and synced beside its target (a temporary in
 *     its directory, 0600 for CCC_OUT_SECRET) when it is added: a refusal
 *     or an error up to the commit leaves every target as it was.
 *  3. The commit removes the files retired (ccc_outset_retire), renames
 *     each file into place in the order added (its directory synced), and
 *     writes standard output last.
 * So no output goes out before the outputs added ahead of it are in
 * place: add the state first (a chain, a nonce record), the output that
 * depends on it after.  A failure in step 3 (a rename, a full standard
 * output) leaves the outputs before it in place and none after it, and
 * erases each CCC_OUT_SECRET file the set put in place where there was
 * none: a new key is not left without the rest of its set.
 */
#ifndef CCC_OUTSET_H
#define CCC_OUTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ccc.h"
#include "io.h"

struct ccc_outset_item {
	char *path;		/* NULL: standard output */
	int flags;		/* CCC_OUT_* */
	struct ccc_out o;
	const void *p;		/* standard output's bytes (not copied) */
	size_t n;
	dev_t dev;		/* the file written, and its directory */
	ino_t ino;
	dev_t dir_dev;
	ino_t dir_ino;
	bool placed;		/* renamed into place */
	bool replaced;		/* ... over an existing file */
};

struct ccc_outset {
	struct ccc_outset_item *item;
	size_t n;
	char **retire;		/* removed before the first rename */
	size_t nretire;
	size_t placed;		/* files in place after a commit */
};

void ccc_outset_init(struct ccc_outset *s);
/*
 * Add the output path (NULL or "-": standard output) of the n bytes at p,
 * with flags CCC_OUT_*: checked, and a file written and synced beside its
 * target.  Standard output's bytes are kept by reference until the
 * commit.  Errors name the output.
 */
int ccc_outset_add(struct ccc_outset *s, const char *path, const void *p,
    size_t n, int flags, struct ccc_err *err) CCC_WUR;
/* Remove path (if it exists) when the commit starts, before any rename. */
int ccc_outset_retire(struct ccc_outset *s, const char *path,
    struct ccc_err *err) CCC_WUR;
/* Put the set in place (step 3 above). */
int ccc_outset_commit(struct ccc_outset *s, struct ccc_err *err) CCC_WUR;
/* Remove what was not committed; free.  Idempotent. */
void ccc_outset_free(struct ccc_outset *s);

/* Whether paths a and b name one directory entry (a rename's target). */
bool ccc_outset_same(const char *a, const char *b);

/* One output of ccc_write_files. */
struct ccc_file {
	const char *path;	/* NULL or "-": standard output */
	const void *p;
	size_t n;
	int flags;		/* CCC_OUT_* */
};
/* The n outputs in f as one set, in that order. */
int ccc_write_files(const struct ccc_file *f, size_t n, struct ccc_err *err)
    CCC_WUR;

/*
 * Write a secret file (0600) and its public companion (path NULL or "-":
 * stdout; pub_flags CCC_OUT_BINARY refuses a terminal) as a set: both
 * written beside their targets, then the key put in place, then the
 * public half.  With force, an old public file is removed before the key
 * is replaced: a failure between the two leaves a key without a public
 * file, never a key beside another key's public half.  A public half that
 * cannot be written after a new key took an empty place erases that key.
 */
int ccc_write_key_pair(const char *keyfile, const void *sk, size_t sk_len,
    const char *pubfile, const void *pk, size_t pk_len, int pub_flags,
    bool force, struct ccc_err *err) CCC_WUR;

#endif
