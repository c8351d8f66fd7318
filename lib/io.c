#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "blob.h"
#include "io.h"

const char *
ccc_io_name(const char *path, int output)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return output ? "stdout" : "stdin";
	return path;
}

ssize_t
ccc_read_full(int fd, void *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
ccc_write_full(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t r;

	while (n > 0) {
		r = write(fd, c, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Name the input an error concerns once, as err->what, not in the detail. */
static int
named(struct ccc_err *err, int rc, const char *name)
{
	(void)ccc_err_what(err, name);
	return rc;
}

/*
 * Grow b to exactly ncap bytes (ccc_buf_reserve doubles: a 64 MiB cap
 * would become a 128 MiB buffer).  A secret buffer is copied into new
 * sodium_malloc memory and the old one wiped and freed.
 */
static int
grow_exact(struct ccc_buf *b, size_t ncap)
{
	uint8_t *np;

	if (ncap <= b->cap)
		return 0;
	if (!b->secret)
		np = realloc(b->p, ncap);
	else if ((np = sodium_malloc(ncap)) != NULL && b->p != NULL) {
		memcpy(np, b->p, b->len);
		sodium_free(b->p);
	}
	if (np == NULL)
		return CCC_E_NOMEM;
	b->p = np;
	b->cap = ncap;
	return 0;
}

/*
 * Read fd to its end into b, at most max bytes in all.  At most max + 1
 * bytes are ever read or held: a regular file gets a buffer of its size
 * (and one byte to see its end) at once, a pipe one that doubles from
 * 64 KiB up to max + 1.
 */
int
ccc_read_fd(struct ccc_buf *b, int fd, const char *name, size_t max,
    struct ccc_err *err)
{
	struct stat st;
	size_t limit = max < SIZE_MAX ? max + 1 : max, ncap, hint = 0;
	ssize_t r;
	int rc;

	if (b->len > max)
		return named(err, ccc_err_set(err, CCC_E_TOOBIG, -1, NULL,
		    "larger than %zu bytes", max), name);
	/* A size only hints: a file may grow, /proc says 0. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < limit - b->len)
		hint = b->len + (size_t)st.st_size + 1;
	for (;;) {
		if (b->len == b->cap) {
			if (hint > b->cap)
				ncap = hint;
			else if (b->cap < 32768)
				ncap = 65536;
			else
				ncap = b->cap > SIZE_MAX / 2 ? SIZE_MAX :
				    b->cap * 2;
			hint = 0;
			if (ncap > limit)
				ncap = limit;
			if ((rc = grow_exact(b, ncap)) != 0)
				return named(err, ccc_err_set(err, rc, -1,
				    NULL, "out of memory"), name);
		}
		r = read(fd, b->p + b->len, (b->cap < limit ? b->cap : limit) -
		    b->len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return named(err, ccc_err_set(err, CCC_E_IO, -1, NULL,
			    "%s", strerror(errno)), name);
		}
		if (r == 0)
			return 0;
		b->len += (size_t)r;
		if (b->len > max)
			return named(err, ccc_err_set(err, CCC_E_TOOBIG, -1,
			    NULL, "larger than %zu bytes", max), name);
	}
}

int
ccc_read_file(struct ccc_buf *b, const char *path, size_t max,
    struct ccc_err *err)
{
	const char *name = ccc_io_name(path, 0);
	int fd, rc;

	if (path == NULL || strcmp(path, "-") == 0)
		return ccc_read_fd(b, STDIN_FILENO, name, max, err);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return named(err, ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno)), name);
	rc = ccc_read_fd(b, fd, name, max, err);
	close(fd);
	return rc;
}

int
ccc_read_named(struct ccc_buf *b, const char *path, size_t max, bool secret,
    struct ccc_err *err)
{
	int rc;

	rc = secret ? ccc_read_secret_file(b, path, max, err) :
	    ccc_read_file(b, path, max, err);
	if (rc != 0)
		(void)ccc_err_what(err, ccc_io_name(path, 0));
	return rc;
}

/*
 * Whether the file at fd holds a ccc blob with no secret field, a public
 * key for example: passed where a secret is expected, it is the wrong
 * file, whatever its mode, and saying "chmod 600" would mislead.
 */
static const struct ccc_schema *
public_blob(int fd)
{
	const struct ccc_schema *s;
	uint8_t head[512];
	ssize_t n;
	size_t i;

	if ((n = pread(fd, head, sizeof(head), 0)) <= 0 ||
	    (s = ccc_blob_peek_type(head, (size_t)n)) == NULL)
		return NULL;
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].flags & CCC_F_SECRET)
			return NULL;
	return s;
}

/*
 * Open a secret file (oflags O_RDONLY or O_RDWR): not a symlink, not
 * waited on (a FIFO), a regular file nobody else can read or write.
 */
static int
open_secret(const char *path, int oflags, int *fdp, struct ccc_err *err)
{
	const struct ccc_schema *pub;
	struct stat st;
	int fd, rc;

	*fdp = -1;
	/* Non-blocking: opening a FIFO must not wait for a writer. */
	if ((fd = open(path, oflags | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) < 0)
		return named(err, ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno)), path);
	if (fstat(fd, &st) != 0) {
		rc = named(err, ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno)), path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = named(err, ccc_err_set(err, CCC_E_IO, -1, NULL,
		    "not a regular file"), path);
		goto fail;
	}
	if ((st.st_mode & 077) != 0 && (pub = public_blob(fd)) != NULL) {
		rc = named(err, ccc_err_set(err, CCC_E_TYPE, 0, NULL,
		    "expected a secret key, found %s %s (%s)",
		    ccc_article(pub->title), pub->title, pub->type), path);
		goto fail;
	}
	if ((st.st_mode & 077) != 0) {
		rc = named(err, ccc_err_set(err, CCC_E_PERM, -1, NULL,
		    "secret file is accessible by others (mode %03o), "
		    "run chmod 600", (unsigned)(st.st_mode & 0777)), path);
		goto fail;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		rc = named(err, ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno)), path);
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return rc;
}

int
ccc_read_secret_file(struct ccc_buf *b, const char *path, size_t max,
    struct ccc_err *err)
{
	int fd, rc;

	if (path == NULL || strcmp(path, "-") == 0)
		return ccc_read_fd(b, STDIN_FILENO, "stdin", max, err);
	if ((rc = open_secret(path, O_RDONLY, &fd, err)) != 0)
		return rc;
	rc = ccc_read_fd(b, fd, path, max, err);
	close(fd);
	return rc;
}

int
ccc_read_secret_keep(struct ccc_buf *b, const char *path, size_t max,
    int *fd, struct ccc_err *err)
{
	int rc;

	*fd = -1;
	if (path == NULL || strcmp(path, "-") == 0)
		return ccc_read_fd(b, STDIN_FILENO, "stdin", max, err);
	if ((rc = open_secret(path, O_RDWR, fd, err)) != 0)
		return rc;
	if ((rc = ccc_read_fd(b, *fd, path, max, err)) != 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

int
ccc_erase_fd(int fd, const char *path)
{
	static const uint8_t zero[4096];
	struct stat st, at;
	off_t off;
	size_t n;
	int rc = -1;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0)
		goto out;
	for (off = 0; off < st.st_size; off += (off_t)n) {
		n = st.st_size - off < (off_t)sizeof(zero) ?
		    (size_t)(st.st_size - off) : sizeof(zero);
		if (pwrite(fd, zero, n, off) != (ssize_t)n)
			goto out;
	}
	if (fsync(fd) != 0)
		goto out;
	/* The name goes only while it still names this file. */
	if (lstat(path, &at) == 0 && at.st_dev == st.st_dev &&
	    at.st_ino == st.st_ino && unlink(path) == 0)
		rc = ccc_fsync_dir_of(path, NULL) == 0 ? 0 : -1;
out:
	close(fd);
	return rc;
}

/*
 * The temporary beside path: "PATH.tmpXXXXXX", its last name shortened
 * where that would pass NAME_MAX (so that every name a file system takes
 * can be written); it still ends in ".tmpXXXXXX", which is what a state
 * directory's clean-up looks for.
 */
static void
tmp_name(char *tmp, size_t cap, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t dir = base != NULL ? (size_t)(base - path) + 1 : 0;
	size_t keep = strlen(path + dir);

	if (keep > NAME_MAX - 10)
		keep = NAME_MAX - 10;
	snprintf(tmp, cap, "%.*s%.*s.tmpXXXXXX", (int)dir, path, (int)keep,
	    path + dir);
}

int
ccc_stdout_check(struct ccc_err *err)
{
	int fl = fcntl(STDOUT_FILENO, F_GETFL);

	if (fl == -1 || (fl & O_ACCMODE) == O_RDONLY)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout: standard "
		    "output is closed");
	return 0;
}

int
ccc_out_open(struct ccc_out *o, const char *path, int flags,
    struct ccc_err *err)
{
	size_t n;
	int rc;

	o->fd = -1;
	o->flags = flags;
	o->path = NULL;
	o->tmp = NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		if ((rc = ccc_stdout_check(err)) != 0)
			return rc;
		if ((flags & (CCC_OUT_BINARY | CCC_OUT_SECRET)) &&
		    !(flags & CCC_OUT_TTY_OK) && isatty(STDOUT_FILENO))
			return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
			    "refusing to write %s output to a terminal (use "
			    "-o FILE%s or redirect)", (flags & CCC_OUT_SECRET) ?
			    "secret" : "binary", (flags & CCC_OUT_HAS_T) ?
			    ", -T" : "");
		o->fd = STDOUT_FILENO;
		return 0;
	}
	if (!(flags & CCC_OUT_FORCE) && access(path, F_OK) == 0)
		return ccc_err_set(err, CCC_E_EXISTS, -1, NULL,
		    "%s: file exists (use -f to replace it)", path);
	n = strlen(path) + 16;
	if ((o->path = strdup(path)) == NULL || (o->tmp = malloc(n)) == NULL) {
		free(o->path);
		o->path = NULL;
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", path);
	}
	tmp_name(o->tmp, n, path);
	if ((o->fd = mkostemp(o->tmp, O_CLOEXEC)) < 0) {
		ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
		    strerror(errno));
		free(o->tmp);
		free(o->path);
		o->tmp = o->path = NULL;
		return CCC_E_IO;
	}
	/* mkostemp makes 0600; widen public outputs to what umask allows. */
	if (!(flags & CCC_OUT_SECRET)) {
		mode_t um = umask(0);
		umask(um);
		(void)fchmod(o->fd, 0666 & ~um);
	}
	return 0;
}

int
ccc_out_write(struct ccc_out *o, const void *p, size_t n, struct ccc_err *err)
{
	if (ccc_write_full(o->fd, p, n) != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s",
		    o->path ? o->path : "stdout", strerror(errno));
	return 0;
}

int
ccc_fsync_dir_of(const char *path, struct ccc_err *err)
{
	char *copy;
	int fd, rc = 0;

	if ((copy = strdup(path)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: directory "
		    "sync: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

/*
 * Give tmp the name path unless path exists; 0 or -1 (errno set).  One
 * renameat2(RENAME_NOREPLACE) leaves no second name behind.  Where the
 * kernel or file system lacks it, link(2) then unlink(2): a kill between
 * the two leaves tmp as a second link to the published file, which the
 * temporary clean-up of a state directory must only unlink, never erase
 * (clean_temps in keystate.c erases a temporary only when it has one link).
 */
static int
publish_noreplace(const char *tmp, const char *path)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
#endif
	if (link(tmp, path) != 0)
		return -1;
	(void)unlink(tmp);
	return 0;
}

int
ccc_out_close(struct ccc_out *o, struct ccc_err *err)
{
	int rc = 0;

	if (o->path == NULL || o->fd < 0)
		return 0;	/* stdout: a pipe or terminal, nothing to sync */
	/* The descriptor is closed whatever fsync says; the first error counts. */
	if (!(o->flags & CCC_OUT_NOSYNC) && fsync(o->fd) != 0)
		rc = errno;
	if (close(o->fd) != 0 && rc == 0)
		rc = errno;
	o->fd = -1;
	if (rc != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", o->path,
		    strerror(rc));
		ccc_out_abort(o);
	}
	return rc;
}

int
ccc_out_place(struct ccc_out *o, struct ccc_err *err)
{
	int rc = 0;

	if (o->path == NULL)
		return 0;
	if (o->flags & CCC_OUT_FORCE) {
		if (rename(o->tmp, o->path) != 0) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s",
			    o->path, strerror(errno));
			goto fail;
		}
	} else if (publish_noreplace(o->tmp, o->path) != 0) {
		rc = ccc_err_set(err, errno == EEXIST ? CCC_E_EXISTS :
		    CCC_E_IO, -1, NULL, "%s: %s", o->path, errno == EEXIST ?
		    "file exists (use -f to replace it)" : strerror(errno));
		goto fail;
	}
	if (!(o->flags & (CCC_OUT_NOSYNC | CCC_OUT_NODIRSYNC)))
		rc = ccc_fsync_dir_of(o->path, err);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return rc;
fail:
	ccc_out_abort(o);
	return rc;
}

int
ccc_out_commit(struct ccc_out *o, struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_out_close(o, err)) != 0)
		return rc;
	return ccc_out_place(o, err);
}

void
ccc_out_abort(struct ccc_out *o)
{
	if (o->path != NULL) {
		if (o->fd >= 0)
			close(o->fd);
		if (o->tmp != NULL)
			unlink(o->tmp);
	}
	o->fd = -1;
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

int
ccc_write_file(const char *path, const void *p, size_t n, int flags,
    struct ccc_err *err)
{
	struct ccc_out o;
	int rc;

	if ((rc = ccc_out_open(&o, path, flags, err)) != 0)
		return rc;
	if ((rc = ccc_out_write(&o, p, n, err)) != 0 ||
	    (rc = ccc_out_commit(&o, err)) != 0) {
		ccc_out_abort(&o);
		return rc;
	}
	return 0;
}

int
ccc_lock_beside(const char *path, int *fd, struct ccc_err *err)
{
	char lock[4096];
	int rc;

	*fd = -1;
	if (snprintf(lock, sizeof(lock), "%s.lock", path) >= (int)sizeof(lock))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: name too "
		    "long", path);
	if ((*fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", lock,
		    strerror(errno));
	while (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		rc = errno == EWOULDBLOCK ? ccc_err_set(err, CCC_E_LOCKED, -1,
		    NULL, "%s: another process is updating it (run again "
		    "when it is done)", path) : ccc_err_set(err, CCC_E_IO, -1,
		    NULL, "%s: %s", lock, strerror(errno));
		close(*fd);
		*fd = -1;
		return rc;
	}
	return 0;
}

/* An unlinked read-write file in $TMPDIR (default /tmp); -1, errno set. */
static int
tmp_fd(const char **dirp)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	*dirp = dir;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR ||
	    errno == EINVAL)) {
		/* A file system without O_TMPFILE: create, then unlink. */
		if ((size_t)snprintf(path, sizeof(path), "%s/ccc-copy.XXXXXX",
		    dir) >= sizeof(path))
			errno = ENAMETOOLONG;
		else if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
			(void)unlink(path);
	}
	return fd;
}

int
ccc_tmpfile(int *fd, struct ccc_err *err)
{
	const char *dir;

	if ((*fd = tmp_fd(&dir)) < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "cannot make a "
		    "scratch file in %s: %s", dir, strerror(errno));
	return 0;
}

int
ccc_memfile(int *fd, const char *name, struct ccc_err *err)
{
	if ((*fd = memfd_create(name, MFD_CLOEXEC)) >= 0)
		return 0;
	if (errno != ENOSYS)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "cannot make a "
		    "scratch file in memory: %s", strerror(errno));
	return ccc_tmpfile(fd, err);
}

int
ccc_scratch_empty(int fd)
{
	return ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

int
ccc_overwrite(const char *path, const void *p, size_t n, bool create,
    struct ccc_err *err)
{
	int fd, rc = 0, e = 0;

	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    (create ? O_CREAT : 0), 0600)) < 0 ||
	    pwrite(fd, p, n, 0) != (ssize_t)n || ftruncate(fd, (off_t)n) != 0) {
		e = errno;
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
		    strerror(e));
	}
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		errno = e;
	return rc;
}

int
ccc_private_copy(const char *path, size_t max, ccc_copy_check *first,
    int *fd, struct ccc_err *err)
{
	const char *name = ccc_io_name(path, 0), *dir;
	uint8_t b[65536];
	size_t total = 0, fill = 0;
	ssize_t r;
	int in = STDIN_FILENO, rc = 0;

	*fd = -1;
	if (path != NULL && strcmp(path, "-") != 0 &&
	    (in = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return named(err, ccc_err_set(err, CCC_E_IO, -1, NULL, "%s",
		    strerror(errno)), name);
	if ((*fd = tmp_fd(&dir)) < 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: cannot keep a "
		    "copy in %s: %s", name, dir, strerror(errno));
		goto out;
	}
	for (;;) {
		do
			r = read(in, b + fill, sizeof(b) - fill);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			rc = named(err, ccc_err_set(err, CCC_E_IO, -1, NULL,
			    "%s", strerror(errno)), name);
			goto out;
		}
		if (first != NULL) {
			/* The first bytes judged before any is kept. */
			fill += (size_t)r;
			if (r > 0 && fill < CCC_COPY_FIRST)
				continue;
			if (fill > 0 && (rc = first(b, fill, err)) != 0) {
				rc = named(err, rc, name);
				goto out;
			}
			first = NULL;
			r = (ssize_t)fill;
			fill = 0;
		}
		if (r == 0)
			break;
		if ((total += (size_t)r) > max) {
			rc = named(err, ccc_err_set(err, CCC_E_TOOBIG, -1, NULL,
			    "larger than %zu bytes", max), name);
			goto out;
		}
		if (ccc_write_full(*fd, b, (size_t)r) != 0) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: cannot "
			    "keep a copy in %s: %s", name, dir,
			    strerror(errno));
			goto out;
		}
	}
	if (lseek(*fd, 0, SEEK_SET) != 0)
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", name,
		    strerror(errno));
out:
	if (in != STDIN_FILENO)
		close(in);
	if (rc != 0 && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}
