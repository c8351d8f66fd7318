/*
 * An LD_PRELOAD shim for the crash tests: SIGKILL between the two system
 * calls of a link(2) + unlink(2) publication, where a kill -9 at the wrong
 * moment leaves a temporary file as a second name of the published one.
 *
 * CCC_SHIM_KILL_AT=N kills the process on the unlink(2) of the Nth
 * temporary that link(2) published (counting from 1), before it runs.
 * CCC_SHIM_NO_RENAMEAT2=1 makes renameat2(2) fail with ENOSYS, as on a
 * kernel or file system without it, so that the tools fall back to link +
 * unlink.  CCC_SHIM_RENAME_EIO=NAME makes every rename(2), renameat2(2)
 * and link(2) onto a path whose last name is NAME fail with EIO, as a
 * failing disk would: the output-set tests put one output of a run out
 * of reach after the others were written beside their targets.  Nothing
 * else changes: every other call goes to the C library.  Built as a
 * plain shared object without sanitizers (see mk/keylife.am).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char linked[4096];	/* the temporary link(2) last published */
static long published;

/* Whether a publication onto to is to fail (CCC_SHIM_RENAME_EIO). */
static int
refused(const char *to)
{
	const char *name = getenv("CCC_SHIM_RENAME_EIO");
	const char *base = strrchr(to, '/');

	if (name == NULL || *name == '\0' ||
	    strcmp(base != NULL ? base + 1 : to, name) != 0)
		return 0;
	errno = EIO;
	return 1;
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (refused(to))
		return -1;
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "rename");
	return real(from, to);
}

int
link(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	int rc;

	if (refused(to))
		return -1;
	if (real == NULL)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "link");
	if ((rc = real(from, to)) == 0 &&
	    (size_t)snprintf(linked, sizeof(linked), "%s", from) <
	    sizeof(linked))
		published++;
	return rc;
}

int
unlink(const char *path)
{
	static int (*real)(const char *);
	const char *at = getenv("CCC_SHIM_KILL_AT");

	if (real == NULL)
		real = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
	if (at != NULL && linked[0] != '\0' && strcmp(path, linked) == 0) {
		linked[0] = '\0';
		if (published == strtol(at, NULL, 10))
			raise(SIGKILL);
	}
	return real(path);
}

int
renameat2(int fromfd, const char *from, int tofd, const char *to,
    unsigned int flags)
{
	static int (*real)(int, const char *, int, const char *, unsigned int);
	const char *no = getenv("CCC_SHIM_NO_RENAMEAT2");

	if (refused(to))
		return -1;
	if (no != NULL && strcmp(no, "1") == 0) {
		errno = ENOSYS;
		return -1;
	}
	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *,
		    unsigned int))dlsym(RTLD_NEXT, "renameat2");
	return real(fromfd, from, tofd, to, flags);
}
