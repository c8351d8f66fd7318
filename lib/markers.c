/*
 * A decryption node's replay markers (lib/accesslog.h): each in the bucket
 * of its request's expiry, STATE/served/e<N>/<request id hex> with N the
 * expiry divided by CCC_MARKER_BUCKET seconds, so that pruning drops
 * whole buckets and never reads a live marker: the cost of a request does
 * not grow with the node's history.  A lookup looks in every bucket (at
 * most the longest lifetime plus the grace period over the bucket's
 * width, 33 of them), since a marker rebuilt from the log is filed by an
 * upper bound of its expiry, not its own.  Markers of the flat layout
 * of earlier versions (STATE/served/<id hex>) are still read, replaced as
 * they are rewritten, and pruned one by one until none is left.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "io.h"

int
ccc_accesslog_read_small(struct ccc_buf *b, const char *path, size_t max,
    const char *kind, struct ccc_err *err)
{
	struct stat sb;
	int rc;

	if (stat(path, &sb) == 0 && (uint64_t)sb.st_size > max) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "not %s: larger "
		    "than %zu bytes", kind, max);
		(void)ccc_err_what(err, path);
		return rc;
	}
	return ccc_read_file(b, path, max, err);
}

/* "e<N>": the name of a bucket, its number in *n. */
static bool
bucket_name(const char *name, unsigned long long *n)
{
	char *end;

	if (name[0] != 'e' || name[1] < '0' || name[1] > '9')
		return false;
	errno = 0;
	*n = strtoull(name + 1, &end, 10);
	return errno == 0 && *end == '\0';
}

/* STATE/served/e<N>/<hex><suffix>, N of expires (NULL: flat, STATE/served/). */
static char *
marker_at(const struct ccc_accesslog *st, const uint8_t rid[32],
    const uint64_t *expires, const char *suffix)
{
	char hex[65], *p;
	int n;

	sodium_bin2hex(hex, sizeof(hex), rid, 32);
	if (expires != NULL)
		n = asprintf(&p, "%s/served/e%" PRIu64 "/%s%s", st->dir,
		    *expires / CCC_MARKER_BUCKET, hex, suffix);
	else
		n = asprintf(&p, "%s/served/%s%s", st->dir, hex, suffix);
	return n < 0 ? NULL : p;
}

/*
 * The path of request rid's marker in *p, NULL when it has none (the
 * buckets, then the flat layout).
 */
static int
marker_find(const struct ccc_accesslog *st, const uint8_t rid[32], char **p)
{
	unsigned long long n;
	struct dirent *de;
	char *dir, hex[65];
	DIR *d;
	int rc = 0;

	*p = NULL;
	if (asprintf(&dir, "%s/served", st->dir) < 0)
		return CCC_E_NOMEM;
	sodium_bin2hex(hex, sizeof(hex), rid, 32);
	if ((d = opendir(dir)) != NULL) {
		while (*p == NULL && (de = readdir(d)) != NULL) {
			if (!bucket_name(de->d_name, &n))
				continue;
			if (asprintf(p, "%s/%s/%s", dir, de->d_name, hex) < 0) {
				*p = NULL;
				rc = CCC_E_NOMEM;
				break;
			}
			if (access(*p, F_OK) != 0) {
				free(*p);
				*p = NULL;
			}
		}
		closedir(d);
	}
	if (rc == 0 && *p == NULL) {
		if ((*p = marker_at(st, rid, NULL, "")) == NULL)
			rc = CCC_E_NOMEM;
		else if (access(*p, F_OK) != 0) {
			free(*p);
			*p = NULL;
		}
	}
	free(dir);
	return rc;
}

int
ccc_accesslog_served(struct ccc_accesslog *st, const uint8_t rid[32],
    enum ccc_served *how, struct ccc_err *err)
{
	struct ccc_buf b;
	char *p;
	int rc;

	*how = CCC_SERVED_NO;
	if (marker_find(st, rid, &p) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	if (p == NULL)
		return 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_accesslog_read_small(&b, p, 256, "a replay marker",
	    err)) == 0) {
		if (b.len >= 8 && memcmp(b.p, "released", 8) == 0)
			*how = CCC_SERVED_RELEASED;
		else if (b.len >= 8 && memcmp(b.p, "recorded", 8) == 0)
			*how = CCC_SERVED_RECORDED;
		else if (b.len >= 6 && memcmp(b.p, "logged", 6) == 0)
			*how = CCC_SERVED_LOGGED;
		else if (b.len >= 7 && memcmp(b.p, "pending", 7) == 0)
			*how = CCC_SERVED_PENDING;
		else
			rc = ccc_err_set(err, CCC_E_STATE, -1, NULL,
			    "%s: not a replay marker", p);
	}
	ccc_buf_free(&b);
	free(p);
	return rc;
}

int
ccc_accesslog_bucket(const struct ccc_accesslog *st, uint64_t expires,
    struct ccc_err *err)
{
	char *p;
	int rc = 0;

	if (asprintf(&p, "%s/served/e%" PRIu64, st->dir,
	    expires / CCC_MARKER_BUCKET) < 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	if (mkdir(p, 0700) == 0)
		rc = ccc_fsync_dir_of(p, err);
	else if (errno != EEXIST)
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", p,
		    strerror(errno));
	free(p);
	return rc;
}

int
ccc_accesslog_mark(struct ccc_accesslog *st, const uint8_t rid[32],
    const char *what, uint64_t expires, struct ccc_err *err)
{
	char *p, line[64];
	int rc;

	if ((rc = ccc_accesslog_bucket(st, expires, err)) != 0)
		return rc;
	if ((p = marker_at(st, rid, &expires, "")) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	snprintf(line, sizeof(line), "%s %" PRIu64 "\n", what, expires);
	/*
	 * Atomic, not synced: the markers are an index of the log.  The
	 * state is synced before an entry is appended (ccc_accesslog_append),
	 * which makes a pending marker durable before its entry; a later
	 * marker lost to a power cut reads as the one before it.
	 */
	rc = ccc_write_file(p, line, strlen(line), CCC_OUT_FORCE |
	    CCC_OUT_NOSYNC, err);
	free(p);
	/* The flat marker it replaces (the bucketed one is read first). */
	if (rc == 0 && (p = marker_at(st, rid, NULL, "")) != NULL) {
		(void)unlink(p);
		free(p);
	}
	return rc;
}

/*
 * "released", written over the request's pending marker in place: no new
 * file for each release (on a file system without a journal, each new
 * inode is found by scanning past the recently freed ones).  The line is
 * one write into the file's first sector, as long as the pending line or
 * one byte longer; it is not synced (like every marker, see
 * ccc_accesslog_mark).  A power cut during it leaves the pending line
 * (the request, sent again, is looked up in the log, as after any lost
 * marker), the released one, or, should the disk tear a sector, bytes
 * that are neither, read as "not a replay marker": the request is then
 * refused, never released again.  Without a marker in the bucket (one of
 * the flat layout, or none), an atomic one.
 */
int
ccc_accesslog_released(struct ccc_accesslog *st, const uint8_t rid[32],
    uint64_t expires, struct ccc_err *err)
{
	char *p, line[64];
	size_t n;
	int rc;

	if ((p = marker_at(st, rid, &expires, "")) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	n = (size_t)snprintf(line, sizeof(line), "released %" PRIu64 "\n",
	    expires);
	if ((rc = ccc_overwrite(p, line, n, false, err)) != 0 &&
	    errno == ENOENT) {
		ccc_err_clear(err);
		rc = ccc_accesslog_mark(st, rid, "released", expires, err);
	}
	free(p);
	return rc;
}

int
ccc_accesslog_kept_path(const struct ccc_accesslog *st, const uint8_t rid[32],
    uint64_t expires, char **p, struct ccc_err *err)
{
	char *flat;

	if ((*p = marker_at(st, rid, &expires, ".sealed")) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	/* Kept by an earlier version, in the flat layout. */
	if (access(*p, F_OK) != 0 &&
	    (flat = marker_at(st, rid, NULL, ".sealed")) != NULL) {
		if (access(flat, F_OK) == 0) {
			free(*p);
			*p = flat;
		} else
			free(flat);
	}
	return 0;
}

void
ccc_accesslog_unkeep(char *kept)
{
	char *slash;

	(void)unlink(kept);
	if ((slash = strrchr(kept, '/')) == NULL)
		return;
	*slash = '\0';
	(void)rmdir(kept);	/* the bucket, if the blob was all it held */
	*slash = '/';
}

/* Remove the directory dir and the files in it. */
static void
bucket_drop(const char *dir)
{
	struct dirent *de;
	char *p;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			continue;
		(void)unlink(p);
		free(p);
	}
	closedir(d);
	(void)rmdir(dir);
}

/* A marker of the flat layout, and the blob kept with it, if expired. */
static void
flat_prune(const char *dir, const char *name, uint64_t now, struct ccc_buf *b)
{
	unsigned long long exp;
	const char *sp;
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return;
	ccc_buf_reset(b);
	if (ccc_read_file(b, p, 256, NULL) == 0 && ccc_buf_put(b, "", 1) == 0 &&
	    (sp = strchr((char *)b->p, ' ')) != NULL &&
	    sscanf(sp + 1, "%llu", &exp) == 1 && exp + CCC_PRUNE_GRACE < now) {
		(void)unlink(p);
		free(p);
		/* A blob kept for a rerun that never came, too. */
		if (asprintf(&p, "%s/%s.sealed", dir, name) < 0)
			return;
		(void)unlink(p);
	}
	free(p);
}

void
ccc_accesslog_prune(struct ccc_accesslog *st, uint64_t now)
{
	unsigned long long n;
	struct dirent *de;
	struct ccc_buf b;
	char *dir, *p;
	DIR *d;

	if (asprintf(&dir, "%s/served", st->dir) < 0)
		return;
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	ccc_buf_init(&b, 0);
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) == 64)
			flat_prune(dir, de->d_name, now, &b);
		/* Every expiry in bucket n is before (n + 1) * width. */
		if (!bucket_name(de->d_name, &n) ||
		    n >= UINT64_MAX / CCC_MARKER_BUCKET - 1 ||
		    (n + 1) * CCC_MARKER_BUCKET + CCC_PRUNE_GRACE > now ||
		    asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			continue;
		bucket_drop(p);
		free(p);
	}
	closedir(d);
	ccc_buf_free(&b);
	free(dir);
}
