/*
 * The enclave runtime's measurement, SHA-384 of the running executable,
 * computed once per binary (lib/enclave.h): hashing the executable cost
 * more than all of a request's threshold cryptography.
 *
 * The cache is a text file of at most CACHE_LINES lines,
 * "DEV INO SIZE MTIME CTIME SHA384\n" (decimal; times in nanoseconds;
 * 96 lowercase hex digits), the most recent first, replaced atomically.
 * A binary rewritten in place changes its change time, one replaced gets
 * another inode: either is hashed again.  The cache is the user's own,
 * as the binary is: whoever may write one may replace the other, and a
 * measurement made in software is only as good as that user's machine
 * (hardware attestation measures the enclave image itself).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "enclave.h"
#include "io.h"

#define CACHE_LINES 16
#define KEY_MAX 120	/* the five numbers, with their blanks */

/* $XDG_CACHE_HOME/ccc (or ~/.cache/ccc): malloc'd, NULL without one. */
static char *
cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	char *d;

	if (x != NULL && x[0] == '/')
		return asprintf(&d, "%s/ccc", x) < 0 ? NULL : d;
	if (h != NULL && h[0] == '/')
		return asprintf(&d, "%s/.cache/ccc", h) < 0 ? NULL : d;
	return NULL;
}

/* Make a directory and its missing parents, 0700. */
static int
mkdirs(char *d)
{
	char *s;

	for (s = d + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return mkdir(d, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The cached measurement of the binary key names, if the cache has one. */
static bool
cache_find(const struct ccc_buf *c, const char *key, uint8_t out[48])
{
	const char *p = (const char *)c->p, *end = p + c->len, *nl;
	size_t kl = strlen(key);

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return false;
		if ((size_t)(nl - p) == kl + 1 + 96 && memcmp(p, key, kl) == 0 &&
		    p[kl] == ' ' && sodium_hex2bin(out, 48, p + kl + 1, 96, NULL,
		    NULL, NULL) == 0)
			return true;
	}
	return false;
}

/* The cache with key's line first, the others after (all but the oldest). */
static void
cache_put(const char *path, const struct ccc_buf *c, const char *key,
    const uint8_t m[48])
{
	const char *p = (const char *)c->p, *end = p + c->len, *nl;
	char hex[97];
	struct ccc_buf n;
	size_t kl = strlen(key);
	int lines = 1;

	sodium_bin2hex(hex, sizeof(hex), m, 48);
	ccc_buf_init(&n, 0);
	if (ccc_buf_put(&n, key, kl) != 0 || ccc_buf_put(&n, " ", 1) != 0 ||
	    ccc_buf_put(&n, hex, 96) != 0 || ccc_buf_put(&n, "\n", 1) != 0)
		goto out;
	for (; p < end && lines < CACHE_LINES; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if ((size_t)(nl - p) <= kl || memcmp(p, key, kl) != 0 ||
		    p[kl] != ' ') {
			if (ccc_buf_put(&n, p, (size_t)(nl - p + 1)) != 0)
				goto out;
			lines++;
		}
	}
	if (ccc_write_file(path, n.p, n.len, CCC_OUT_FORCE, NULL) != 0) {
		/* Not kept: the binary is hashed again next time. */
	}
out:
	ccc_buf_free(&n);
}

int
ccc_enclave_runtime(uint8_t out[48], struct ccc_err *err)
{
	struct ccc_buf b, c;
	struct stat sb, sa;
	char key[KEY_MAX], *dir = NULL, *path = NULL;
	bool cached = false;
	int rc;

	ccc_buf_init(&c, 0);
	if (stat("/proc/self/exe", &sb) == 0 && (dir = cache_dir()) != NULL &&
	    asprintf(&path, "%s/runtime", dir) >= 0) {
		snprintf(key, sizeof(key), "%ju %ju %jd %jd%09ld %jd%09ld",
		    (uintmax_t)sb.st_dev, (uintmax_t)sb.st_ino,
		    (intmax_t)sb.st_size, (intmax_t)sb.st_mtim.tv_sec,
		    sb.st_mtim.tv_nsec, (intmax_t)sb.st_ctim.tv_sec,
		    sb.st_ctim.tv_nsec);
		if (ccc_read_file(&c, path, CACHE_LINES * (KEY_MAX + 98), NULL)
		    == 0)
			cached = cache_find(&c, key, out);
	} else {
		free(path);
		path = NULL;
	}
	rc = 0;
	if (!cached) {
		ccc_buf_init(&b, 0);
		if ((rc = ccc_read_file(&b, "/proc/self/exe", 1UL << 30,
		    err)) == 0 && EVP_Digest(b.p, b.len, out, NULL,
		    EVP_sha384(), NULL) != 1)
			rc = ccc_err_openssl(err, "sha384");
		ccc_buf_free(&b);
		/* Kept only if the binary did not change while it was read. */
		if (rc == 0 && path != NULL && stat("/proc/self/exe", &sa) == 0 &&
		    sa.st_ino == sb.st_ino && sa.st_size == sb.st_size &&
		    sa.st_ctim.tv_sec == sb.st_ctim.tv_sec &&
		    sa.st_ctim.tv_nsec == sb.st_ctim.tv_nsec && mkdirs(dir) == 0)
			cache_put(path, &c, key, out);
	}
	ccc_buf_free(&c);
	free(path);
	free(dir);
	return rc;
}
