#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outset.h"

void
ccc_outset_init(struct ccc_outset *s)
{
	memset(s, 0, sizeof(*s));
}

/* The last name of path ("" when it ends in '/'). */
static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* The directory holding path's last name, stat'ed; 0 or an errno. */
static int
dir_of(const char *path, struct stat *st)
{
	const char *slash = strrchr(path, '/');
	char *d;
	int rc = 0;

	if (slash == NULL)
		d = strdup(".");
	else if (slash == path)
		d = strdup("/");
	else
		d = strndup(path, (size_t)(slash - path));
	if (d == NULL)
		return ENOMEM;
	if (stat(d, st) != 0)
		rc = errno;
	else if (!S_ISDIR(st->st_mode))
		rc = ENOTDIR;
	free(d);
	return rc;
}

bool
ccc_outset_same(const char *a, const char *b)
{
	struct stat da, db;

	if (dir_of(a, &da) != 0 || dir_of(b, &db) != 0)
		return strcmp(a, b) == 0;
	return da.st_dev == db.st_dev && da.st_ino == db.st_ino &&
	    strcmp(base_of(a), base_of(b)) == 0;
}

/* What a rename onto path would refuse, and a name already in s. */
static int
check_target(const struct ccc_outset *s, const char *path, int flags,
    struct stat *dir, struct ccc_err *err)
{
	const struct ccc_outset_item *it;
	struct stat st;
	size_t i;
	int e;

	if (*path == '\0')
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "an output "
		    "file name is empty");
	if ((e = dir_of(path, dir)) != 0)
		return ccc_err_set(err, e == ENOMEM ? CCC_E_NOMEM : CCC_E_IO,
		    -1, NULL, "%s: %s", path, strerror(e));
	if (*base_of(path) == '\0' ||
	    (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
		    strerror(EISDIR));
	/* lstat: a dangling symbolic link is a file a rename would replace. */
	if (!(flags & CCC_OUT_FORCE) && lstat(path, &st) == 0)
		return ccc_err_set(err, CCC_E_EXISTS, -1, NULL, "%s: file "
		    "exists (use -f to replace it)", path);
	for (i = 0; i < s->n; i++) {
		it = &s->item[i];
		if (it->path != NULL && it->dir_dev == dir->st_dev &&
		    it->dir_ino == dir->st_ino &&
		    strcmp(base_of(it->path), base_of(path)) == 0)
			return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: "
			    "the same file as %s (each output needs a file of "
			    "its own)", path, it->path);
	}
	return 0;
}

int
ccc_outset_add(struct ccc_outset *s, const char *path, const void *p,
    size_t n, int flags, struct ccc_err *err)
{
	struct ccc_outset_item *it;
	struct stat st, dir;
	size_t i;
	int rc;

	if ((it = realloc(s->item, (s->n + 1) * sizeof(*it))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "outputs");
	s->item = it;
	it = &s->item[s->n];
	memset(it, 0, sizeof(*it));
	it->o.fd = -1;
	it->flags = flags;
	if (path == NULL || strcmp(path, "-") == 0) {
		for (i = 0; i < s->n; i++)
			if (s->item[i].path == NULL)
				return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
				    "two outputs to standard output");
		if ((rc = ccc_out_open(&it->o, NULL, flags, err)) != 0)
			return rc;
		it->p = p;
		it->n = n;
		s->n++;
		return 0;
	}
	if ((rc = check_target(s, path, flags, &dir, err)) != 0)
		return rc;
	if ((it->path = strdup(path)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", path);
	if ((rc = ccc_out_open(&it->o, path, flags, err)) != 0) {
		free(it->path);
		return rc;
	}
	it->dir_dev = dir.st_dev;
	it->dir_ino = dir.st_ino;
	s->n++;		/* from here on, ccc_outset_free removes it */
	if ((rc = ccc_out_write(&it->o, p, n, err)) != 0)
		return rc;
	if (fstat(it->o.fd, &st) != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
		    strerror(errno));
	it->dev = st.st_dev;
	it->ino = st.st_ino;
	return ccc_out_close(&it->o, err);
}

int
ccc_outset_retire(struct ccc_outset *s, const char *path,
    struct ccc_err *err)
{
	char **r;

	if ((r = realloc(s->retire, (s->nretire + 1) * sizeof(*r))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "outputs");
	s->retire = r;
	if ((r[s->nretire] = strdup(path)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", path);
	s->nretire++;
	return 0;
}

/*
 * After a failed commit: each secret file put in place where there was
 * none is erased, if its name still holds the file written.
 */
static void
undo(struct ccc_outset *s)
{
	struct ccc_outset_item *it;
	struct stat st;
	size_t i;
	int fd;

	for (i = 0; i < s->n; i++) {
		it = &s->item[i];
		if (!it->placed || it->replaced ||
		    !(it->flags & CCC_OUT_SECRET))
			continue;
		if ((fd = open(it->path, O_RDWR | O_CLOEXEC | O_NOFOLLOW |
		    O_NONBLOCK)) < 0)
			continue;
		if (fstat(fd, &st) == 0 && st.st_dev == it->dev &&
		    st.st_ino == it->ino)
			(void)ccc_erase_fd(fd, it->path);
		else
			close(fd);
	}
}

int
ccc_outset_commit(struct ccc_outset *s, struct ccc_err *err)
{
	struct ccc_outset_item *it;
	struct stat st;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->nretire && rc == 0; i++) {
		if (unlink(s->retire[i]) == 0)
			rc = ccc_fsync_dir_of(s->retire[i], err);
		else if (errno != ENOENT)
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s",
			    s->retire[i], strerror(errno));
	}
	for (i = 0; i < s->n && rc == 0; i++) {
		it = &s->item[i];
		if (it->path == NULL)
			continue;
		it->replaced = lstat(it->path, &st) == 0;
		rc = ccc_out_place(&it->o, err);
		/* (In place even when only the directory's sync failed.) */
		it->placed = lstat(it->path, &st) == 0 &&
		    st.st_dev == it->dev && st.st_ino == it->ino;
		s->placed += it->placed;
	}
	for (i = 0; i < s->n && rc == 0; i++)
		if (s->item[i].path == NULL)
			rc = ccc_out_write(&s->item[i].o, s->item[i].p,
			    s->item[i].n, err);
	if (rc != 0)
		undo(s);
	return rc;
}

void
ccc_outset_free(struct ccc_outset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->item[i].path != NULL)
			ccc_out_abort(&s->item[i].o);
		free(s->item[i].path);
	}
	for (i = 0; i < s->nretire; i++)
		free(s->retire[i]);
	free(s->item);
	free(s->retire);
	memset(s, 0, sizeof(*s));
}

int
ccc_write_files(const struct ccc_file *f, size_t n, struct ccc_err *err)
{
	struct ccc_outset s;
	size_t i;
	int rc = 0;

	ccc_outset_init(&s);
	for (i = 0; i < n && rc == 0; i++)
		rc = ccc_outset_add(&s, f[i].path, f[i].p, f[i].n, f[i].flags,
		    err);
	if (rc == 0)
		rc = ccc_outset_commit(&s, err);
	ccc_outset_free(&s);
	return rc;
}

int
ccc_write_key_pair(const char *keyfile, const void *sk, size_t sk_len,
    const char *pubfile, const void *pk, size_t pk_len, int pub_flags,
    bool force, struct ccc_err *err)
{
	struct ccc_outset s;
	int rc, f = force ? CCC_OUT_FORCE : 0;
	bool pub_file = pubfile != NULL && strcmp(pubfile, "-") != 0;

	/* One file for both: the public half would replace the key. */
	if (pub_file && keyfile != NULL && strcmp(keyfile, "-") != 0 &&
	    ccc_outset_same(keyfile, pubfile))
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s: the public "
		    "key would replace its own secret key (give the two files "
		    "different names)", keyfile);
	ccc_outset_init(&s);
	if ((rc = ccc_outset_add(&s, keyfile, sk, sk_len, CCC_OUT_SECRET | f,
	    err)) == 0 && (rc = ccc_outset_add(&s, pubfile, pk, pk_len,
	    pub_flags | f, err)) == 0 && (!force || !pub_file ||
	    (rc = ccc_outset_retire(&s, pubfile, err)) == 0))
		rc = ccc_outset_commit(&s, err);
	ccc_outset_free(&s);
	return rc;
}
