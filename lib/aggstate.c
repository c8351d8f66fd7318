/*
 * A decryption node's record of released aggregates (aggstate.h): each
 * input in at most one released aggregate of a pool.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "aggstate.h"
#include "io.h"

#define PATH_CAP 4096
#define REC 64	/* input digest || aggregate digest */

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

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sys_err(err, dir);
	if (snprintf(p, sizeof(p), "%s/released", dir) >= (int)sizeof(p))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		return sys_err(err, p);
	return 0;
}

static int
cmp_rec(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/*
 * The used-input log: records of input digest || aggregate digest, read
 * whole and sorted (a torn last record, from a crash while appending, is
 * cut off: its release never gave out a share).
 */
static int
read_used(int fd, const char *path, struct ccc_buf *b, size_t *nrec,
    struct ccc_err *err)
{
	struct stat st;
	size_t len;

	if (fstat(fd, &st) != 0)
		return sys_err(err, path);
	len = (size_t)st.st_size;
	if ((st.st_size % REC) != 0) {
		len -= len % REC;
		if (ftruncate(fd, (off_t)len) != 0)
			return sys_err(err, path);
	}
	if (ccc_buf_reserve(b, len + 1) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "release log");
	if (ccc_read_full(fd, b->p, len) != (ssize_t)len)
		return sys_err(err, path);
	b->len = len;
	*nrec = len / REC;
	qsort(b->p, *nrec, REC, cmp_rec);
	return 0;
}

/*
 * Key k of an input unused (then added to add), or used by this very
 * aggregate; else CCC_E_REPLAY.
 */
static int
check_key(const uint8_t k[32], const struct ccc_buf *log, size_t nrec,
    const uint8_t agg[32], struct ccc_buf *add, struct ccc_err *err)
{
	const uint8_t *r;
	char hex[17];

	if ((r = bsearch(k, log->p, nrec, REC, cmp_rec)) == NULL) {
		if (ccc_buf_put(add, k, 32) != 0 ||
		    ccc_buf_put(add, agg, 32) != 0)
			return ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "release log");
		return 0;
	}
	if (sodium_memcmp(r + 32, agg, 32) == 0)
		return 0;
	sodium_bin2hex(hex, sizeof(hex), r + 32, 8);
	return ccc_err_set(err, CCC_E_REPLAY, -1, NULL,
	    "already released in aggregate %s...", hex);
}

int
ccc_aggstate_release(const char *dir, const uint8_t agg[32],
    const uint8_t *blob, size_t blen, const uint8_t *inputs, size_t stride,
    const uint8_t *values, size_t n, size_t *bad, struct ccc_err *err)
{
	char p[PATH_CAP], used[PATH_CAP];
	struct ccc_buf log, add;
	size_t i, nrec = 0;
	int fd = -1, rc;

	*bad = n;
	ccc_buf_init(&log, 0);
	ccc_buf_init(&add, 0);
	if ((rc = mkdirs(dir, err)) != 0)
		return rc;
	if (snprintf(used, sizeof(used), "%s/used", dir) >= (int)sizeof(used))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
	if ((fd = open(used, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		return sys_err(err, used);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rc = errno == EWOULDBLOCK ? ccc_err_set(err, CCC_E_LOCKED, -1,
		    NULL, "another process holds the release log") :
		    sys_err(err, used);
		goto out;
	}
	if ((rc = read_used(fd, used, &log, &nrec, err)) != 0)
		goto out;
	/*
	 * Every input unused, or used by this very aggregate: by its digest
	 * and by its values' (the same ciphertexts in another blob, one
	 * stripped of its sum proof, are the same input).
	 */
	for (i = 0; i < n; i++)
		if ((rc = check_key(inputs + i * stride, &log, nrec, agg, &add,
		    err)) != 0 || (rc = check_key(values + 32 * i, &log, nrec,
		    agg, &add, err)) != 0) {
			if (rc == CCC_E_REPLAY)
				*bad = i;
			goto out;
		}
	/* The release first, then the inputs it uses, durably. */
	if (path_of(p, dir, "released", agg, ".cbor") != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
		goto out;
	}
	if ((rc = ccc_write_file(p, blob, blen, CCC_OUT_FORCE, err)) != 0)
		goto out;
	if (add.len > 0 && (lseek(fd, 0, SEEK_END) < 0 ||
	    ccc_write_full(fd, add.p, add.len) != 0 || fsync(fd) != 0)) {
		rc = sys_err(err, used);
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	ccc_buf_free(&log);
	ccc_buf_free(&add);
	return rc;
}

bool
ccc_aggstate_missing(const char *dir)
{
	char used[PATH_CAP];

	return snprintf(used, sizeof(used), "%s/used", dir) <
	    (int)sizeof(used) && access(used, F_OK) != 0 && errno == ENOENT;
}

int
ccc_aggstate_rebuild(const char *dir, const struct ccc_buf *recs,
    struct ccc_err *err)
{
	char used[PATH_CAP];
	int rc;

	if (snprintf(used, sizeof(used), "%s/used", dir) >= (int)sizeof(used))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "path too long");
	if (recs->len == 0)
		return 0;
	if ((rc = mkdirs(dir, err)) != 0)
		return rc;
	return ccc_write_file(used, recs->p, recs->len, CCC_OUT_SECRET, err);
}
