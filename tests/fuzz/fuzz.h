/*
 * The libFuzzer harnesses of tests/fuzz/: one per decoder entry point,
 * each calling the library directly.  Built two ways:
 *
 *   - by scripts/fuzz with clang -fsanitize=fuzzer,address,undefined: each
 *     file is its own fuzzer, FUZZ_TARGET(name) is LLVMFuzzerTestOneInput;
 *   - into tests/unit/test_fuzz_replay with -DCCC_FUZZ_REPLAY: every
 *     harness is the function ccc_fuzz_<name>, and the unit test feeds it
 *     each file of tests/fuzz/regress/<name>/ and tests/fuzz/corpus/<name>/
 *     (so kept crashers are replayed without clang, under ASan in CI).
 *
 * A harness never prints, frees everything it allocates (LeakSanitizer
 * runs), and returns 0.  Readers that take a path get the input through
 * fuzz_file(), a file in a private temporary directory.
 */
#ifndef CCC_FUZZ_H
#define CCC_FUZZ_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#ifdef CCC_FUZZ_REPLAY
#define FUZZ_TARGET(name) \
	int ccc_fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* Every harness, for the replay test (tests/unit/test_fuzz_replay.c). */
#define CCC_FUZZ_HARNESSES(X) \
	X(blob) X(keys) X(seq) X(json) X(cose) X(attest_policy) \
	X(label_policy) X(accesslog) X(dkg) X(roster) X(request)
#define CCC_FUZZ_DECLARE(name) \
	int ccc_fuzz_##name(const uint8_t *data, size_t size);
CCC_FUZZ_HARNESSES(CCC_FUZZ_DECLARE)

/* Once per process: libsodium (the tools do it in their start-up). */
static inline void
fuzz_init(void)
{
	static int done;

	if (!done && sodium_init() < 0)
		abort();
	done = 1;
}

static char fuzz_dir[4096];

static inline void
fuzz_cleanup(void)
{
	char cmd[4200];

	if (fuzz_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0)
		fuzz_dir[0] = '\0';
}

/*
 * Write p[0..n) to the file `name` of the private directory (made on
 * first use, removed at exit) and return its path (static storage, one
 * per name slot: slot 0 or 1).
 */
static inline const char *
fuzz_file(int slot, const char *name, const void *p, size_t n)
{
	static char path[2][4200];
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (fuzz_dir[0] == '\0') {
		snprintf(fuzz_dir, sizeof(fuzz_dir), "%s/ccc-fuzz.XXXXXX",
		    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
		if (mkdtemp(fuzz_dir) == NULL)
			abort();
		atexit(fuzz_cleanup);
	}
	snprintf(path[slot], sizeof(path[slot]), "%s/%s", fuzz_dir, name);
	fd = open(path[slot], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			abort();
		p = (const uint8_t *)p + w;
		n -= (size_t)w;
	}
	close(fd);
	return path[slot];
}

#endif
