/*
 * An LD_PRELOAD shim for bench/dkg.py: counts a process's fsync(2),
 * fdatasync(2) and syncfs(2) calls and, at exit, appends the count as one
 * line to the file CCC_FSYNC_LOG names.  Every call still goes to the C
 * library.  Built as a plain shared object without sanitizers
 * (mk/bench.am); not installed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long syncs;

#define WRAP(name)							\
int									\
name(int fd)								\
{									\
	static int (*real)(int);					\
									\
	if (real == NULL)						\
		real = (int (*)(int))dlsym(RTLD_NEXT, #name);		\
	syncs++;							\
	return real(fd);						\
}

WRAP(fsync)
WRAP(fdatasync)
WRAP(syncfs)

__attribute__((destructor)) static void
report(void)
{
	const char *log = getenv("CCC_FSYNC_LOG");
	char line[32];
	int fd, n;

	if (log == NULL || (fd = open(log, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1)
		return;
	n = snprintf(line, sizeof(line), "%ld\n", syncs);
	if (n > 0 && write(fd, line, (size_t)n) != n)
		syncs = 0;
	close(fd);
}
