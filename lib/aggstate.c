/*
 * A decryption node's record of released aggregates (aggstate.h): each
 * input in at most one released aggregate of a pool.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "aggstate.h"
#include "io.h"

#define PATH_CAP 4096

static int
path_of(char *out, const char *dir, const char *sub, const uint8_t d[32],
    const char *ext)
{
	char hex[65];

	sodium_bin2hex(hex, sizeof(hex), d, 32);
	if (snprintf(out, PATH_CAP, "%s/%s/%s%s", dir, sub, hex, ext) >=
	    PATH_CAP)
		return CCC_E_IO;
	return 0;
}

static int
sys_err(struct ccc_err *err, const char *what)
{
	int rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));

	ccc_err_what(err, what);
	return rc;
}

static int
mkdirs(const char *dir, struct ccc_err *err)
{
	char p[PATH_CAP];
	static const char *const sub[2] = { "used", "released" };
	int i;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sys_err(err, dir);
	for (i = 0; i < 2; i++) {
		if (snprintf(p, sizeof(p), "%s/%s", dir, sub[i]) >=
		    (int)sizeof(p))
			return ccc_err_set(err, CCC_E_IO, -1, NULL,
			    "path too long");
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return sys_err(err, p);
	}
	return 0;
}

/* The aggregate input d was released in, into agg; 1 if any, 0 if none. */
static int
used_by(const char *dir, const uint8_t d[32], uint8_t agg[32],
    struct ccc_err *err)
{
	char p[PATH_CAP];
	int fd;
	ssize_t n;

	if (path_of(p, dir, "used", d, "") != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
	if ((fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 0 : sys_err(err, p);
	n = ccc_read_full(fd, agg, 32);
	close(fd);
	if (n != 32)
		return ccc_err_set(err, CCC_E_STATE, -1, NULL,
		    "%s: not an aggregate digest", p);
	return 1;
}

int
ccc_aggstate_release(const char *dir, const uint8_t agg[32],
    const uint8_t *blob, size_t blen, const uint8_t *inputs, size_t stride,
    size_t n, size_t *bad, struct ccc_err *err)
{
	char p[PATH_CAP], lock[PATH_CAP];
	uint8_t prev[32];
	size_t i;
	int lfd = -1, rc, r;

	*bad = n;
	if ((rc = mkdirs(dir, err)) != 0)
		return rc;
	if (snprintf(lock, sizeof(lock), "%s/lock", dir) >= (int)sizeof(lock))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
	if ((lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		return sys_err(err, lock);
	if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? ccc_err_set(err, CCC_E_LOCKED, -1,
		    NULL, "another process holds the release log") :
		    sys_err(err, lock);
		goto out;
	}
	/* Every input unused, or used by this very aggregate. */
	for (i = 0; i < n; i++) {
		if ((r = used_by(dir, inputs + i * stride, prev, err)) < 0) {
			rc = r;
			goto out;
		}
		if (r == 1 && sodium_memcmp(prev, agg, 32) != 0) {
			char hex[17];

			*bad = i;
			sodium_bin2hex(hex, sizeof(hex), prev, 8);
			rc = ccc_err_set(err, CCC_E_REPLAY, -1, NULL,
			    "already released in aggregate %s...", hex);
			goto out;
		}
	}
	/* The release first, then the inputs it uses. */
	if (path_of(p, dir, "released", agg, ".cbor") != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
		goto out;
	}
	if ((rc = ccc_write_file(p, blob, blen, CCC_OUT_FORCE, err)) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (path_of(p, dir, "used", inputs + i * stride, "") != 0) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL,
			    "path too long");
			goto out;
		}
		if ((rc = ccc_write_file(p, agg, 32, CCC_OUT_FORCE,
		    err)) != 0)
			goto out;
	}
	rc = 0;
out:
	if (lfd >= 0)
		close(lfd);
	return rc;
}
