/*
 * The fuzz harnesses of tests/fuzz/, built without libFuzzer, fed every
 * kept crasher (tests/fuzz/regress/HARNESS/) and every committed seed
 * (tests/fuzz/corpus/HARNESS/): a regression found by fuzzing stays
 * checked in every test run, and under ASan+UBSan in the sanitizer build,
 * with or without clang.  A crash fails the test; a harness aborts on a
 * broken library contract (tests/fuzz/fuzz.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fuzz/fuzz.h"
#include "tap.h"

struct harness {
	const char *name;
	int (*fn)(const uint8_t *, size_t);
};

#define CCC_FUZZ_ENTRY(name) { #name, ccc_fuzz_##name },
static const struct harness harnesses[] = {
	CCC_FUZZ_HARNESSES(CCC_FUZZ_ENTRY)
};

/* Read a whole (small) file; NULL with *n = 0 if empty or unreadable. */
static uint8_t *
slurp(const char *path, size_t *n, int *ok_read)
{
	struct stat st;
	uint8_t *p = NULL;
	ssize_t r;
	size_t got = 0;
	int fd;

	*n = 0;
	*ok_read = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (1 << 24)) {
		close(fd);
		return NULL;
	}
	/* One spare byte: a harness never reads past size, ASan checks. */
	if ((p = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size &&
	    (r = read(fd, p + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*n = got;
	*ok_read = got == (size_t)st.st_size;
	return p;
}

/* Feed every file of dir to h; returns the count, -1 if one is unreadable. */
static long
replay(const struct harness *h, const char *dir)
{
	char path[4096];
	struct dirent *de;
	DIR *d;
	long count = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL) {
		uint8_t *p;
		size_t n;
		int readable;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		p = slurp(path, &n, &readable);
		if (!readable) {
			free(p);
			count = -1;
			break;
		}
		/* Exactly n bytes, in an allocation of that size, as
		 * libFuzzer gives them. */
		{
			uint8_t *exact = malloc(n ? n : 1);
			if (exact == NULL) {
				free(p);
				count = -1;
				break;
			}
			memcpy(exact, p, n);
			(void)h->fn(exact, n);
			free(exact);
		}
		free(p);
		count++;
	}
	closedir(d);
	return count;
}

int
main(void)
{
	const char *top = getenv("TOP_SRCDIR");
	char dir[4096];
	size_t i;
	long regress, corpus, total = 0;

	if (top == NULL)
		top = ".";
	for (i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/regress/%s", top,
		    harnesses[i].name);
		regress = replay(&harnesses[i], dir);
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top,
		    harnesses[i].name);
		corpus = replay(&harnesses[i], dir);
		ok(regress >= 0 && corpus >= 0, "fuzz harness %s: %ld kept "
		    "crashers and %ld seeds replayed", harnesses[i].name,
		    regress, corpus);
		total += (regress > 0 ? regress : 0) + (corpus > 0 ? corpus : 0);
	}
	/* The empty input, which every harness must take too. */
	for (i = 0; i < sizeof(harnesses) / sizeof(harnesses[0]); i++)
		(void)harnesses[i].fn((const uint8_t *)"", 0);
	ok(total > 0, "%ld inputs replayed from %s/tests/fuzz", total, top);
	return tap_done();
}
