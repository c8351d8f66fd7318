/*
 * lib/io.c's readers: an input of exactly the cap is read, one byte more
 * is refused, and the buffer never grows past the cap and one byte (a
 * reader capped at 64 MiB must not hold 128 MiB), from a regular file,
 * a secret file and a pipe.
 */
#include "config.h"


#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "io.h"
#include "seq.h"
#include "tap.h"

static char dir[] = "/tmp/ccc-test-io-XXXXXX";

/* A file of n bytes (mode 0600), its path. */
static const char *
file_of(size_t n)
{
	static char path[64];
	uint8_t *p = malloc(n > 0 ? n : 1);
	int fd;

	snprintf(path, sizeof(path), "%s/f", dir);
	unlink(path);
	memset(p, 'x', n);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 ||
	    ccc_write_full(fd, p, n) != 0)
		abort();
	close(fd);
	free(p);
	return path;
}

/* Read n bytes from a pipe on stdin (a child writes them), capped at max. */
static int
read_pipe(struct ccc_buf *b, size_t n, size_t max, struct ccc_err *err)
{
	int pfd[2], saved, rc, st;
	pid_t pid;

	if (pipe(pfd) != 0 || (saved = dup(STDIN_FILENO)) < 0)
		abort();
	if ((pid = fork()) == 0) {
		uint8_t chunk[4096];
		size_t left = n, k;
		close(pfd[0]);
		signal(SIGPIPE, SIG_DFL);
		memset(chunk, 'y', sizeof(chunk));
		for (; left > 0; left -= k) {
			k = left < sizeof(chunk) ? left : sizeof(chunk);
			if (ccc_write_full(pfd[1], chunk, k) != 0)
				_exit(0);	/* the reader stopped */
		}
		_exit(0);
	}
	close(pfd[1]);
	dup2(pfd[0], STDIN_FILENO);
	close(pfd[0]);
	rc = ccc_read_file(b, NULL, max, err);
	dup2(saved, STDIN_FILENO);
	close(saved);
	waitpid(pid, &st, 0);
	return rc;
}

static void
check(const char *how, int rc, const struct ccc_buf *b, size_t n, size_t max,
    const struct ccc_err *err)
{
	if (n <= max) {
		ok_eq_int(rc, 0, "%s: %zu bytes, cap %zu: read", how, n, max);
		ok_eq_int(b->len, n, "%s: %zu bytes, cap %zu: all of it", how,
		    n, max);
	} else {
		char want[64];
		ok_eq_int(rc, CCC_E_TOOBIG, "%s: %zu bytes, cap %zu: refused",
		    how, n, max);
		snprintf(want, sizeof(want), "larger than %zu bytes", max);
		ok_eq_str(err->detail, want, "%s: the reason", how);
	}
	ok(b->cap <= max + 1, "%s: %zu bytes, cap %zu: buffer %zu <= cap + 1",
	    how, n, max, b->cap);
}

/*
 * ccc_seq_read_one on a pipe holding the n bytes at p: each item to the
 * byte, the rest left in the pipe (what the next read finds: *rest).
 */
static int
one_of(const char *hex, struct ccc_buf *b, size_t max, int *rc2,
    struct ccc_buf *b2, struct ccc_err *err)
{
	uint8_t p[256];
	size_t n;
	int pfd[2], rc;

	if (sodium_hex2bin(p, sizeof(p), hex, strlen(hex), NULL, &n,
	    NULL) != 0 || pipe(pfd) != 0 || ccc_write_full(pfd[1], p, n) != 0)
		abort();
	close(pfd[1]);
	rc = ccc_seq_read_one(pfd[0], b, max, err);
	*rc2 = ccc_seq_read_one(pfd[0], b2, max, err);
	close(pfd[0]);
	return rc;
}

static void
read_one(void)
{
	struct ccc_buf b, b2;
	struct ccc_err err;
	int rc, rc2;

	ccc_buf_init(&b, 0);
	ccc_buf_init(&b2, 0);
	/* {1: [h'0102', "a"], 2: 24(h'')} then 7: two items, apart. */
	rc = one_of("a20182420102616102d8184007", &b, 100, &rc2, &b2, &err);
	ok(rc == 0 && b.len == 12 && rc2 == 0 && b2.len == 1 &&
	    b2.p[0] == 0x07, "items read to the byte, the next left");
	ok(ccc_seq_read_one(-1, &b, 1, &err) == CCC_E_IO, "a bad fd: i/o");
	rc = one_of("", &b, 100, &rc2, &b2, &err);
	ok(rc == 1 && rc2 == 1, "no byte: the end, 1");
	rc = one_of("4301", &b, 100, &rc2, &b2, &err);
	ok(rc == CCC_E_TRUNCATED, "the end inside an item: %d", rc);
	rc = one_of("5f4101ff", &b, 100, &rc2, &b2, &err);
	ok(rc == CCC_E_MALFORMED, "an indefinite length is refused");
	rc = one_of("5a000000ff", &b, 100, &rc2, &b2, &err);
	ok(rc == CCC_E_TOOBIG, "over the cap, before reading it");
	rc = one_of("9bffffffffffffffff", &b, 1 << 20, &rc2, &b2, &err);
	ok(rc == CCC_E_TOOBIG, "an array longer than any input");
	rc = one_of("818181818181818181818181818181818100", &b, 100, &rc2,
	    &b2, &err);
	ok(rc == CCC_E_MALFORMED, "nested 17 deep: refused");
	rc = one_of("8181818181818181818181818181818100", &b, 100, &rc2, &b2,
	    &err);
	ok(rc == 0 && b.len == 17, "nested 16 deep: read");
	ccc_buf_free(&b);
	ccc_buf_free(&b2);
}

int
main(void)
{
	static const size_t caps[] = { 0, 1, 1000, 65535, 65536, 65537,
	    300000 };
	struct ccc_buf b;
	struct ccc_err err;
	size_t i, d, n;
	int rc;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 99;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		for (d = 0; d < 2; d++) {
			n = caps[i] + d;	/* the cap, one byte more */
			ccc_err_clear(&err);
			ccc_buf_init(&b, 0);
			rc = ccc_read_file(&b, file_of(n), caps[i], &err);
			check("file", rc, &b, n, caps[i], &err);
			ccc_buf_free(&b);

			ccc_err_clear(&err);
			ccc_buf_init(&b, 1);
			rc = ccc_read_secret_file(&b, file_of(n), caps[i],
			    &err);
			check("secret file", rc, &b, n, caps[i], &err);
			ccc_buf_free(&b);

			ccc_err_clear(&err);
			ccc_buf_init(&b, 0);
			rc = read_pipe(&b, n, caps[i], &err);
			check("pipe", rc, &b, n, caps[i], &err);
			ccc_buf_free(&b);
		}
	/* Much more than the cap through a pipe: still cap + 1 at most. */
	ccc_err_clear(&err);
	ccc_buf_init(&b, 0);
	rc = read_pipe(&b, 3000000, 100000, &err);
	check("pipe", rc, &b, 3000000, 100000, &err);
	ccc_buf_free(&b);
	/* A file whose size is no guide (/proc says 0): read to its end. */
	ccc_err_clear(&err);
	ccc_buf_init(&b, 0);
	rc = ccc_read_file(&b, "/proc/self/status", 1 << 20, &err);
	ok(rc == 0 && b.len > 100 && memmem(b.p, b.len, "VmRSS", 5) != NULL,
	    "/proc/self/status: read whole (%zu bytes)", b.len);
	ccc_buf_free(&b);
	read_one();
	unlink(file_of(0));
	rmdir(dir);
	return tap_done();
}
