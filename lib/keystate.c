/* A node's state directory: paths, lock, atomic files, erasure. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "io.h"
#include "keystate.h"

#define STATE_PATH_MAX 4096
#define STATE_FILE_MAX (16UL * 1024 * 1024)

static int
vpath(const char *dir, char *buf, size_t len, const char *fmt, va_list ap)
{
	int n, m;

	n = snprintf(buf, len, "%s/", dir);
	if (n < 0 || (size_t)n >= len)
		return CCC_E_USAGE;
	m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	if (m < 0 || (size_t)m >= len - (size_t)n)
		return CCC_E_USAGE;
	return 0;
}

int
ccc_keystate_path(const struct ccc_keystate *st, char *buf, size_t len,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(st->dir, buf, len, fmt, ap);
	va_end(ap);
	return rc;
}

#define PATH_OR_FAIL(buf, err) do { \
	va_list ap_; \
	int rc_; \
	va_start(ap_, fmt); \
	rc_ = vpath(st->dir, buf, sizeof(buf), fmt, ap_); \
	va_end(ap_); \
	if (rc_ != 0) \
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, \
		    "%s: path too long", st->dir); \
} while (0)

bool
ccc_keystate_exists(const struct ccc_keystate *st, const char *fmt, ...)
{
	char path[STATE_PATH_MAX];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vpath(st->dir, path, sizeof(path), fmt, ap);
	va_end(ap);
	return rc == 0 && access(path, F_OK) == 0;
}

static int
io_fail(struct ccc_err *err, const char *path)
{
	return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
	    strerror(errno));
}

/* mkdir 0700 unless it exists; sync the parent when it was created. */
static int
mkdir_durable(const char *path, struct ccc_err *err)
{
	struct stat sb;

	if (mkdir(path, 0700) == 0)
		return ccc_fsync_dir_of(path, err);
	if (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	return io_fail(err, path);
}

/* Create every directory above the file path, below base. */
static int
mkdir_parents(const char *base, char *path, struct ccc_err *err)
{
	size_t skip = strlen(base) + 1;
	char *s;
	int rc;

	for (s = path + skip; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		rc = mkdir_durable(path, err);
		*s = '/';
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
ccc_keystate_mkdir(const struct ccc_keystate *st, struct ccc_err *err,
    const char *fmt, ...)
{
	char path[STATE_PATH_MAX];

	PATH_OR_FAIL(path, err);
	return mkdir_durable(path, err);
}

int
ccc_keystate_read(const struct ccc_keystate *st, struct ccc_buf *b, bool secret,
    struct ccc_err *err, const char *fmt, ...)
{
	char path[STATE_PATH_MAX];

	PATH_OR_FAIL(path, err);
	return secret ? ccc_read_secret_file(b, path, STATE_FILE_MAX, err) :
	    ccc_read_file(b, path, STATE_FILE_MAX, err);
}

int
ccc_keystate_put(const struct ccc_keystate *st, const void *p, size_t n,
    int flags, struct ccc_err *err, const char *fmt, ...)
{
	char path[STATE_PATH_MAX];
	struct ccc_buf old;
	int rc;

	PATH_OR_FAIL(path, err);
	if (access(path, F_OK) == 0) {
		ccc_buf_init(&old, (flags & CCC_OUT_SECRET) != 0);
		rc = ccc_read_file(&old, path, STATE_FILE_MAX, NULL);
		if (rc == 0 && old.len == n && (n == 0 ||
		    sodium_memcmp(old.p, p, n) == 0)) {
			ccc_buf_free(&old);
			return 0;
		}
		ccc_buf_free(&old);
		if (!(flags & CCC_OUT_FORCE))
			return ccc_err_set(err, CCC_E_EXISTS, -1, NULL,
			    "%s: exists with other contents", path);
	}
	if ((rc = mkdir_parents(st->dir, path, err)) != 0)
		return rc;
	return ccc_write_file(path, p, n, flags, err);
}

int
ccc_keystate_sync(const struct ccc_keystate *st, struct ccc_err *err)
{
	if (syncfs(st->lockfd) != 0)
		return io_fail(err, st->dir);
	return 0;
}

static int
erase_path(const char *path, struct ccc_err *err)
{
	static const uint8_t zero[4096];
	struct stat sb;
	off_t left;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT)
			return 0;
		return io_fail(err, path);
	}
	if (fstat(fd, &sb) != 0)
		goto fail;
	/*
	 * Overwriting is not reliable on journaling or copy-on-write file
	 * systems and SSDs (see SECURITY CONSIDERATIONS); it is done anyway
	 * because it helps on the others.
	 */
	for (left = sb.st_size; left > 0; left -= (off_t)sizeof(zero))
		if (ccc_write_full(fd, zero, left < (off_t)sizeof(zero) ?
		    (size_t)left : sizeof(zero)) != 0)
			goto fail;
	if (fsync(fd) != 0)
		goto fail;
	close(fd);
	if (unlink(path) != 0 && errno != ENOENT)
		return io_fail(err, path);
	return ccc_fsync_dir_of(path, err);
fail:
	{
		int e = errno;
		close(fd);
		errno = e;
	}
	return io_fail(err, path);
}

int
ccc_keystate_erase(const struct ccc_keystate *st, struct ccc_err *err,
    const char *fmt, ...)
{
	char path[STATE_PATH_MAX];

	PATH_OR_FAIL(path, err);
	return erase_path(path, err);
}

static int
rmtree_path(const char *path, struct ccc_err *err)
{
	char sub[STATE_PATH_MAX];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int rc = 0;

	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? 0 : io_fail(err, path);
	if (!S_ISDIR(sb.st_mode))
		return erase_path(path, err);
	if ((d = opendir(path)) == NULL)
		return io_fail(err, path);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >=
		    (int)sizeof(sub))
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL,
			    "%s: path too long", path);
		else
			rc = rmtree_path(sub, err);
	}
	closedir(d);
	if (rc == 0 && rmdir(path) != 0)
		rc = io_fail(err, path);
	return rc == 0 ? ccc_fsync_dir_of(path, err) : rc;
}

int
ccc_keystate_rmtree(const struct ccc_keystate *st, struct ccc_err *err,
    const char *fmt, ...)
{
	char path[STATE_PATH_MAX];

	PATH_OR_FAIL(path, err);
	return rmtree_path(path, err);
}

int
ccc_keystate_rename(const struct ccc_keystate *st, const char *from,
    const char *to, struct ccc_err *err)
{
	char a[STATE_PATH_MAX], b[STATE_PATH_MAX];
	int rc;

	if ((rc = ccc_keystate_path(st, a, sizeof(a), "%s", from)) != 0 ||
	    (rc = ccc_keystate_path(st, b, sizeof(b), "%s", to)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "path too long");
	if ((rc = mkdir_parents(st->dir, b, err)) != 0)
		return rc;
	if (rename(a, b) != 0)
		return io_fail(err, a);
	if ((rc = ccc_fsync_dir_of(a, err)) != 0)
		return rc;
	return ccc_fsync_dir_of(b, err);
}

int
ccc_keystate_current(const struct ccc_keystate *st, uint64_t *epoch, bool *has,
    struct ccc_err *err)
{
	struct ccc_buf b;
	unsigned long long v;
	char txt[32], *end;
	int rc;

	*epoch = 0;
	*has = false;
	if (!ccc_keystate_exists(st, "current"))
		return 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_keystate_read(st, &b, false, err, "current")) != 0)
		goto out;
	rc = CCC_E_STATE;
	if (b.len == 0 || b.len >= sizeof(txt) || b.p[b.len - 1] != '\n')
		goto bad;
	memcpy(txt, b.p, b.len - 1);
	txt[b.len - 1] = '\0';
	if (txt[0] < '0' || txt[0] > '9')
		goto bad;
	errno = 0;
	v = strtoull(txt, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		goto bad;
	*epoch = v;
	*has = true;
	rc = 0;
	goto out;
bad:
	rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s/current: not an "
	    "epoch number", st->dir);
out:
	ccc_buf_free(&b);
	return rc;
}

int
ccc_keystate_set_current(const struct ccc_keystate *st, uint64_t epoch,
    struct ccc_err *err)
{
	char txt[32];
	int n;

	n = snprintf(txt, sizeof(txt), "%llu\n", (unsigned long long)epoch);
	return ccc_keystate_put(st, txt, (size_t)n, CCC_OUT_FORCE, err,
	    "current");
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
ccc_keystate_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
ccc_keystate_list(const struct ccc_keystate *st, const char *rel, char ***names,
    size_t *n, struct ccc_err *err)
{
	char path[STATE_PATH_MAX];
	struct dirent *de;
	struct stat sb;
	char **v = NULL, **nv;
	size_t k = 0, cap = 0;
	DIR *d;
	int rc;

	*names = NULL;
	*n = 0;
	if ((rc = ccc_keystate_path(st, path, sizeof(path), "%s", rel)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "path too long");
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? 0 : io_fail(err, path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (k == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[k] = strdup(de->d_name)) == NULL)
			goto nomem;
		k++;
	}
	closedir(d);
	if (k > 0)
		qsort(v, k, sizeof(*v), cmp_names);
	*names = v;
	*n = k;
	return 0;
nomem:
	closedir(d);
	ccc_keystate_names_free(v, k);
	return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", path);
}

/* "NAME.tmpXXXXXX": what ccc_out_open leaves when killed mid-write. */
static bool
is_temp(const char *name)
{
	size_t n = strlen(name);

	return n > 10 && memcmp(name + n - 10, ".tmp", 4) == 0;
}

static int
clean_temps(const struct ccc_keystate *st, const char *rel, struct ccc_err *err)
{
	char **names, path[STATE_PATH_MAX];
	struct stat sb;
	size_t n, i;
	int rc;

	if ((rc = ccc_keystate_list(st, rel, &names, &n, err)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		if (!is_temp(names[i]) || ccc_keystate_path(st, path,
		    sizeof(path), "%s/%s", rel, names[i]) != 0)
			continue;
		/*
		 * A temporary with a second link was published by link(2)
		 * and killed before its unlink(2): the other name is the
		 * committed file, whose contents must stay.
		 */
		if (lstat(path, &sb) == 0 && sb.st_nlink > 1) {
			if (unlink(path) != 0 && errno != ENOENT)
				rc = io_fail(err, path);
			else
				rc = ccc_fsync_dir_of(path, err);
		} else
			rc = erase_path(path, err);
	}
	ccc_keystate_names_free(names, n);
	return rc;
}

static int
clean_all_temps(const struct ccc_keystate *st, struct ccc_err *err)
{
	static const char *const dirs[] = { ".", "out", "pending",
	    "pending/msgs" };
	char rel[64];
	DIR *d;
	struct dirent *de;
	char path[STATE_PATH_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && rc == 0; i++)
		rc = clean_temps(st, dirs[i], err);
	if (rc != 0 || ccc_keystate_path(st, path, sizeof(path),
	    "epochs") != 0 || (d = opendir(path)) == NULL)
		return rc;
	while (rc == 0 && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && snprintf(rel, sizeof(rel),
		    "epochs/%.32s", de->d_name) < (int)sizeof(rel))
			rc = clean_temps(st, rel, err);
	closedir(d);
	return rc;
}

int
ccc_keystate_open(struct ccc_keystate *st, const char *dir, int mode,
    struct ccc_err *err)
{
	char path[STATE_PATH_MAX];
	struct ccc_buf b;
	int rc;

	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	ccc_buf_init(&b, 1);
	if ((st->dir = strdup(dir)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	if (!ccc_keystate_exists(st, "identity.key") ||
	    !ccc_keystate_exists(st, "epochs")) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s: not a node "
		    "state directory (make one with ccc-share init)", dir);
		goto fail;
	}
	if ((rc = ccc_keystate_path(st, path, sizeof(path), "lock")) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "%s: path too long", dir);
		goto fail;
	}
	if ((st->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0) {
		rc = io_fail(err, path);
		goto fail;
	}
	while (flock(st->lockfd, mode == CCC_KEYSTATE_EXCLUSIVE ?
	    LOCK_EX | LOCK_NB : LOCK_SH) != 0) {
		if (errno == EINTR)
			continue;
		rc = errno == EWOULDBLOCK ? ccc_err_set(err, CCC_E_LOCKED, -1,
		    NULL, "%s: another ccc-share is working on this node",
		    dir) : io_fail(err, path);
		goto fail;
	}
	if ((st->id = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "identity");
		goto fail;
	}
	if ((rc = ccc_keystate_read(st, &b, true, err, "identity.key")) != 0 ||
	    (rc = ccc_identity_load(st->id, b.p, b.len, err)) != 0)
		goto fail;
	if (!st->id->has_secret) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s/identity.key: "
		    "not a secret key", dir);
		goto fail;
	}
	if (mode == CCC_KEYSTATE_EXCLUSIVE &&
	    (rc = clean_all_temps(st, err)) != 0)
		goto fail;
	ccc_buf_free(&b);
	return 0;
fail:
	ccc_buf_free(&b);
	ccc_keystate_close(st);
	return rc;
}

void
ccc_keystate_close(struct ccc_keystate *st)
{
	if (st->lockfd >= 0)
		close(st->lockfd);	/* releases the lock */
	ccc_identity_free(st->id);
	free(st->dir);
	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
}

int
ccc_keystate_init(const char *dir, const char *idfile,
    const struct ccc_buf *operators, struct ccc_err *err)
{
	static const char *const subdirs[] = { "in", "out", "epochs" };
	struct ccc_identity *id = NULL;
	struct ccc_keystate st;
	struct ccc_buf kb, pb;
	char path[STATE_PATH_MAX];
	size_t i;
	int rc;

	memset(&st, 0, sizeof(st));
	ccc_buf_init(&kb, 1);
	ccc_buf_init(&pb, 0);
	if ((st.dir = strdup(dir)) == NULL || (id = ccc_identity_new()) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "init");
		goto out;
	}
	if ((rc = ccc_read_secret_file(&kb, idfile, 4096, err)) != 0)
		goto named;
	if ((rc = ccc_identity_load(id, kb.p, kb.len, err)) != 0)
		goto named;
	if (!id->has_secret) {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected an "
		    "identity secret key (ccc-keygen identity -o KEY), found "
		    "a public key");
		goto named;
	}
	if (ccc_keystate_exists(&st, "identity.key")) {
		rc = ccc_err_set(err, CCC_E_EXISTS, -1, NULL, "%s: already a "
		    "node state directory", dir);
		goto out;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rc = io_fail(err, dir);
		goto out;
	}
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++)
		if ((rc = ccc_keystate_mkdir(&st, err, "%s", subdirs[i])) != 0)
			goto out;
	if ((rc = ccc_identity_encode_pub(&pb, id)) != 0 ||
	    (rc = ccc_keystate_put(&st, pb.p, pb.len, 0, err,
	    "identity.pub")) != 0)
		goto out;
	if (operators != NULL && (rc = ccc_keystate_put(&st, operators->p,
	    operators->len, 0, err, "operators.cbor")) != 0)
		goto out;
	/* The secret key last: its presence makes the directory a state. */
	if ((rc = ccc_keystate_path(&st, path, sizeof(path), "identity.key")) ||
	    (rc = ccc_write_file(path, kb.p, kb.len, CCC_OUT_SECRET, err)))
		goto out;
	goto out;
named:
	(void)ccc_err_what(err, idfile);
out:
	ccc_identity_free(id);
	ccc_buf_free(&kb);
	ccc_buf_free(&pb);
	free(st.dir);
	return rc;
}

void
ccc_keystate_crash(const struct ccc_keystate *st, const char *step)
{
#ifdef CCC_TEST_HOOKS
	if (st->crash_at != NULL && strcmp(st->crash_at, step) == 0)
		_exit(137);
#else
	(void)st;
	(void)step;
#endif
}

uint64_t
ccc_keystate_now(void)
{
	time_t t = time(NULL);

	return t < 0 ? 0 : (uint64_t)t;
}
