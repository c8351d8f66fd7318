/*
 * lib/outset.c: what a rename would refuse is refused before any output
 * takes its place (an empty name, a directory in the way, an existing
 * file or dangling link without CCC_OUT_FORCE, one file named twice
 * however spelt, a closed standard output); files are put in place in
 * the order added, standard output last; a failed rename leaves the
 * outputs before it in place and none after, and takes back a new
 * secret file; the files retired go before the first rename.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "outset.h"
#include "tap.h"

static char dir[] = "/tmp/ccc-test-outset-XXXXXX";

/* dir/name, in a static buffer (one of four, used in turn). */
static const char *
at(const char *name)
{
	static char buf[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

/* Whether dir/name holds exactly s. */
static int
holds(const char *name, const char *s)
{
	char b[256];
	ssize_t n;
	int fd;

	if ((fd = open(at(name), O_RDONLY)) < 0)
		return 0;
	n = read(fd, b, sizeof(b));
	close(fd);
	return n == (ssize_t)strlen(s) && memcmp(b, s, (size_t)n) == 0;
}

static void
put(const char *name, const char *s)
{
	int fd;

	unlink(at(name));
	if ((fd = open(at(name), O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    ccc_write_full(fd, s, strlen(s)) != 0)
		abort();
	close(fd);
}

static int
exists(const char *name)
{
	struct stat st;

	return lstat(at(name), &st) == 0;
}

/* No temporary left in dir. */
static int
no_temps(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "test -z \"$(find %s -name '*.tmp*')\"",
	    dir);
	return system(cmd) == 0;
}

/* One output: rc of the add (committed when it succeeded). */
static int
one(const char *path, const char *s, int flags, struct ccc_err *err)
{
	struct ccc_outset set;
	int rc;

	ccc_err_clear(err);
	ccc_outset_init(&set);
	if ((rc = ccc_outset_add(&set, path, s, strlen(s), flags, err)) == 0)
		rc = ccc_outset_commit(&set, err);
	ccc_outset_free(&set);
	return rc;
}

static void
refusals(void)
{
	struct ccc_outset set;
	struct ccc_err err;
	char want[300];
	int rc;

	put("old", "old");
	ok_eq_int(one(at("old"), "new", 0, &err), CCC_E_EXISTS,
	    "an existing file without FORCE");
	ok(holds("old", "old"), "... is left as it was");
	if (symlink("nowhere", at("dangling")) != 0)
		abort();
	ok_eq_int(one(at("dangling"), "new", 0, &err), CCC_E_EXISTS,
	    "a dangling symbolic link exists");
	ok_eq_int(one(at("dangling"), "new", CCC_OUT_FORCE, &err), 0,
	    "... replaced (not followed) with FORCE");
	ok(holds("dangling", "new") && !exists("nowhere"),
	    "... the link itself replaced");
	if (mkdir(at("d"), 0700) != 0)
		abort();
	rc = one(at("d"), "new", CCC_OUT_FORCE, &err);
	snprintf(want, sizeof(want), "%s: Is a directory", at("d"));
	ok(rc == CCC_E_IO && strcmp(err.detail, want) == 0,
	    "a directory in the way, even with FORCE: %s", err.detail);
	rc = one(at("d/"), "new", 0, &err);
	ok_eq_int(rc, CCC_E_IO, "a name ending in '/'");
	ok_eq_int(one("", "new", 0, &err), CCC_E_USAGE, "an empty name");
	rc = one(at("none/f"), "new", 0, &err);
	snprintf(want, sizeof(want), "%s: No such file or directory",
	    at("none/f"));
	ok(rc == CCC_E_IO && strcmp(err.detail, want) == 0,
	    "a directory that is not there: %s", err.detail);
	rc = one(at("old/f"), "new", 0, &err);
	ok_eq_int(rc, CCC_E_IO, "a file as a directory");

	/* One file named twice: the second add is refused. */
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc = ccc_outset_add(&set, at("twice"), "a", 1, 0, &err);
	ok_eq_int(rc, 0, "the first name");
	rc = ccc_outset_add(&set, at("d/../twice"), "b", 1, 0, &err);
	ok_eq_int(rc, CCC_E_USAGE, "the same file spelt otherwise: %s",
	    err.detail);
	ccc_outset_free(&set);
	ok(!exists("twice") && no_temps(), "nothing left");
	ok(ccc_outset_same("a", "./a") && ccc_outset_same(at("x"),
	    at("d/../x")) && !ccc_outset_same(at("x"), at("d/x")) &&
	    !ccc_outset_same(at("x"), at("y")), "ccc_outset_same");

	/* A refusal after the first add: the first target untouched. */
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc = ccc_outset_add(&set, at("old"), "new", 3, CCC_OUT_FORCE, &err);
	ok(rc == 0 && holds("old", "old"), "added, not yet in place");
	rc = ccc_outset_add(&set, at("d"), "new", 3, CCC_OUT_FORCE, &err);
	ok_eq_int(rc, CCC_E_IO, "the second refused");
	ccc_outset_free(&set);
	ok(holds("old", "old") && no_temps(),
	    "the first target as it was, no temporary left");
}

static void
order(void)
{
	struct ccc_outset set;
	struct ccc_err err;
	struct stat st;
	mode_t um;
	int rc;

	um = umask(0);
	umask(um);
	put("state", "s0");
	put("gone", "x");
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc = ccc_outset_add(&set, at("state"), "s1", 2, CCC_OUT_FORCE, &err);
	if (rc == 0)
		rc = ccc_outset_add(&set, at("key"), "k", 1, CCC_OUT_SECRET,
		    &err);
	if (rc == 0)
		rc = ccc_outset_retire(&set, at("gone"), &err);
	ok(rc == 0 && exists("gone") && holds("state", "s0") &&
	    !exists("key"), "added: nothing in place yet");
	rc = ccc_outset_commit(&set, &err);
	ok(rc == 0 && set.placed == 2, "committed (%d)", rc);
	ccc_outset_free(&set);
	ok(holds("state", "s1") && holds("key", "k") && !exists("gone"),
	    "both in place, the retired file gone");
	ok(stat(at("key"), &st) == 0 && (st.st_mode & 0777) == 0600,
	    "the secret 0600");
	ok(stat(at("state"), &st) == 0 &&
	    (st.st_mode & 0777) == (0666 & ~um), "the other as umask says");
	ok(no_temps(), "no temporary left");
}

static void
failed_rename(void)
{
	struct ccc_outset set;
	struct ccc_err err;
	int rc;

	/* The second rename fails (a file appears at its name meanwhile). */
	unlink(at("k1"));
	unlink(at("p1"));
	put("k2", "old key");
	unlink(at("p2"));
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc = ccc_outset_add(&set, at("k1"), "k", 1, CCC_OUT_SECRET, &err);
	if (rc == 0)
		rc = ccc_outset_add(&set, at("p1"), "p", 1, 0, &err);
	put("p1", "someone's");
	if (rc == 0)
		rc = ccc_outset_commit(&set, &err);
	ok(rc == CCC_E_EXISTS && set.placed == 1,
	    "the second refused at its rename");
	ccc_outset_free(&set);
	ok(!exists("k1") && holds("p1", "someone's") && no_temps(),
	    "the new secret before it taken back, the other file kept");

	/* A secret that replaced another stays: the old one is gone. */
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc = ccc_outset_add(&set, at("k2"), "new key", 7, CCC_OUT_SECRET |
	    CCC_OUT_FORCE, &err);
	if (rc == 0)
		rc = ccc_outset_add(&set, at("p2"), "p", 1, 0, &err);
	put("p2", "someone's");
	if (rc == 0)
		rc = ccc_outset_commit(&set, &err);
	ok(rc == CCC_E_EXISTS && set.placed == 1, "the second refused");
	ccc_outset_free(&set);
	ok(holds("k2", "new key") && no_temps(),
	    "the secret that replaced one stays");
}

/* Standard output made the file path, opened with oflags. */
static void
stdout_to(const char *path, int oflags)
{
	int fd = open(path, oflags, 0600);

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		abort();
	close(fd);
}

static void
standard_output(void)
{
	struct ccc_outset set;
	struct ccc_err err;
	char b[16];
	int saved, rc, rc2;
	ssize_t n;

	fflush(stdout);
	if ((saved = dup(STDOUT_FILENO)) < 0)
		abort();
	/* Standard output to a file: written after the files. */
	stdout_to(at("stdout"), O_RDWR | O_CREAT | O_TRUNC);
	unlink(at("f"));
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc = ccc_outset_add(&set, NULL, "out", 3, 0, &err);
	if (rc == 0)
		rc = ccc_outset_add(&set, at("f"), "f", 1, 0, &err);
	n = pread(STDOUT_FILENO, b, sizeof(b), 0);
	if (rc == 0 && n == 0 && !exists("f"))
		rc = ccc_outset_commit(&set, &err);
	else
		rc = -1;
	ccc_outset_free(&set);
	n = pread(STDOUT_FILENO, b, sizeof(b), 0);
	/* Two outputs to standard output. */
	ccc_outset_init(&set);
	if (ccc_outset_add(&set, "-", "a", 1, 0, &err) != 0 ||
	    ccc_outset_add(&set, NULL, "b", 1, 0, &err) != CCC_E_USAGE)
		rc = -2;
	ccc_outset_free(&set);
	/* Closed (ccc_cli_init makes it /dev/null, read-only). */
	stdout_to("/dev/null", O_RDONLY);
	unlink(at("g"));
	ccc_err_clear(&err);
	ccc_outset_init(&set);
	rc2 = ccc_outset_add(&set, at("g"), "g", 1, 0, &err);
	if (rc2 == 0)
		rc2 = ccc_outset_add(&set, NULL, "out", 3, 0, &err);
	ccc_outset_free(&set);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	ok(rc == 0, "standard output: committed (%d)", rc);
	ok(n == 3 && memcmp(b, "out", 3) == 0 && holds("f", "f"),
	    "standard output written at the commit, after the file");
	ok(rc2 == CCC_E_IO && strcmp(err.detail,
	    "stdout: standard output is closed") == 0,
	    "a closed standard output refused: %s", err.detail);
	ok(!exists("g") && no_temps(), "... before anything is in place");
}

int
main(void)
{
	char cmd[128];

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 99;
	refusals();
	order();
	failed_rename();
	standard_output();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 99;
	return tap_done();
}
