#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "cbor.h"
#include "hash.h"
#include "io.h"
#include "quorum.h"
#include "schemas.h"
#include "seq.h"

static char *
path_of(const struct ccc_accesslog *st, const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", st->dir, rel) < 0)
		return NULL;
	return p;
}

int
ccc_accesslog_open(struct ccc_accesslog *st, const char *dir,
    struct ccc_err *err)
{
	char *p = NULL;
	int rc = 0;

	st->lockfd = -1;
	if ((st->dir = strdup(dir)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    (p = path_of(st, "served")) == NULL ||
	    (mkdir(p, 0700) != 0 && errno != EEXIST)) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", dir,
		    strerror(errno));
		goto out;
	}
	free(p);
	if ((p = path_of(st, "lock")) == NULL ||
	    (st->lockfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", dir,
		    strerror(errno));
		goto out;
	}
	/* One node process at a time: wait for the other to finish. */
	while (flock(st->lockfd, LOCK_EX) != 0)
		if (errno != EINTR) {
			rc = ccc_err_set(err, CCC_E_LOCKED, -1, NULL, "%s: %s",
			    dir, strerror(errno));
			goto out;
		}
out:
	free(p);
	if (rc != 0)
		ccc_accesslog_close(st);
	return rc;
}

void
ccc_accesslog_close(struct ccc_accesslog *st)
{
	if (st->lockfd >= 0)
		close(st->lockfd);	/* releases the lock */
	st->lockfd = -1;
	free(st->dir);
	st->dir = NULL;
}

/*
 * The first bytes of entry seq as ccc_accesslog_append writes it, through prev
 * (*plen bytes), or when prev is NULL through the head of prev's value.
 * Only the map's head depends on the optional fields present
 * (entry_starts): the prefix is made without them.
 */
static int
entry_prefix(struct ccc_buf *b, uint64_t seq, const uint8_t *prev,
    size_t *plen)
{
	static const uint8_t z[32];
	struct ccc_val v[ACC_NFIELDS];
	size_t at;
	bool last;

	memset(v, 0, sizeof(v));
	ccc_buf_init(b, 0);
	ccc_val_uint(&v[ACC_SEQ], seq);
	ccc_val_bytes(&v[ACC_PREV], prev != NULL ? prev : z, 32);
	ccc_val_uint(&v[ACC_TIME], 0);
	ccc_val_bytes(&v[ACC_REQUEST], z, 32);
	ccc_val_bytes(&v[ACC_APP], "-", 1);
	ccc_val_array(&v[ACC_CTS], NULL, 0, 0);
	ccc_val_bytes(&v[ACC_RECIPIENT], z, 32);
	ccc_val_uint(&v[ACC_NODE], 1);
	ccc_val_uint(&v[ACC_EPOCH], 0);
	ccc_val_bytes(&v[ACC_KEY_ID], z, 32);
	if (ccc_blob_encode(b, &ccc_schema_access, v) != 0 ||
	    ccc_cbor_map_find(b->p, b->len,
	    ccc_schema_access.fields[ACC_PREV].key, &at, &last) != 0)
		return CCC_E_INTERNAL;
	*plen = at + (prev != NULL ? 34 : 2);	/* 0x58 0x20, the hash */
	return 0;
}

/* The longest entry: every input's two digests (level 4), and the rest. */
#define ENTRY_MAX ((size_t)CCC_REQUEST_MAX_CTS * 2 * 34 + 4096)

/*
 * Whether p[0..n) begins as entry seq's prefix pre: the same bytes after
 * a map head of any count of fields an entry may have (the required ones
 * and any of the optional ones: output_to, sealed_digest, aggregate,
 * values).
 */
static bool
entry_starts(const uint8_t *p, size_t n, const struct ccc_buf *pre,
    size_t plen)
{
	size_t f, lo = 1;

	for (f = 0; f < ccc_schema_access.nfields; f++)
		if (!(ccc_schema_access.fields[f].flags & CCC_F_OPT))
			lo++;
	if (n > plen)
		n = plen;
	return n > 0 && p[0] >= 0xa0 + lo &&
	    p[0] <= 0xa0 + 1 + ccc_schema_access.nfields &&
	    memcmp(p + 1, pre->p + 1, n - 1) == 0;
}

/*
 * Whether the log's first h->len bytes end with the entry the head names:
 * its number, SHA-256 and request id.  The entry's start is found by its
 * first bytes (map, seq, the head of prev), in a window from h->len back
 * that doubles until it holds the longest entry.
 */
static int
head_entry_found(int fd, const struct ccc_access_head *h, bool *ok,
    struct ccc_err *err)
{
	struct ccc_val v[ACC_NFIELDS];
	struct ccc_buf pre, w;
	uint8_t d[32];
	size_t plen, want, p;
	int rc = 0;

	*ok = h->seq == 0 && h->len == 0;
	if (h->seq == 0 || h->len == 0)
		return 0;
	ccc_buf_init(&w, 0);
	if ((rc = entry_prefix(&pre, h->seq, NULL, &plen)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "access log");
		goto out;
	}
	for (want = 4096; !*ok; want *= 2) {
		if (want > h->len)
			want = (size_t)h->len;
		if (want > ENTRY_MAX)
			want = ENTRY_MAX;
		w.len = 0;
		if (ccc_buf_reserve(&w, want) != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "access "
			    "log");
			goto out;
		}
		if (pread(fd, w.p, want, (off_t)(h->len - want)) !=
		    (ssize_t)want) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "access log: "
			    "%s", strerror(errno));
			goto out;
		}
		for (p = want >= plen ? want - plen + 1 : 0; p-- > 0 && !*ok;) {
			if (!entry_starts(w.p + p, plen, &pre, plen))
				continue;
			crypto_hash_sha256(d, w.p + p, want - p);
			*ok = memcmp(d, h->hash, 32) == 0 &&
			    ccc_blob_decode(&ccc_schema_access, w.p + p,
			    want - p, v, 0, NULL) == 0 &&
			    memcmp(v[ACC_REQUEST].p, h->rid, 32) == 0;
		}
		if (want == h->len || want == ENTRY_MAX)
			break;
	}
out:
	ccc_buf_free(&pre);
	ccc_buf_free(&w);
	return rc;
}

/* Whether tail[0..n) is the start of entry seq + 1, cut short. */
static bool
torn_next(const uint8_t *tail, size_t n, const struct ccc_access_head *h)
{
	struct ccc_buf pre;
	size_t plen, ilen;
	bool torn;

	torn = entry_prefix(&pre, h->seq + 1, h->hash, &plen) == 0 &&
	    ccc_cbor_check(tail, n, CCC_CBOR_STRICT, CCC_BLOB_MAX, &ilen, 0,
	    NULL) == CCC_E_TRUNCATED && entry_starts(tail, n, &pre, plen);
	ccc_buf_free(&pre);
	return torn;
}

/*
 * Check the log against its head and bring them into agreement after a
 * crash: the head's entry must end the log's first h->len bytes; past
 * them, a complete next entry (appended and synced, head not yet
 * replaced) is adopted and the start of one cut short by the crash is cut
 * off.  Anything else is refused, and nothing unverified is cut: the log
 * is the node's evidence, an operator must look at it.
 */
static int
log_check(int fd, const char *log, const char *head_path, struct ccc_access_head *h,
    struct ccc_err *err)
{
	struct ccc_val v[ACC_NFIELDS];
	struct stat sb;
	uint8_t *tail = NULL;
	size_t n, ilen;
	bool ok;
	int rc = 0;

	if (fstat(fd, &sb) != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "access log: %s",
		    strerror(errno));
	if ((uint64_t)sb.st_size < h->len)
		return ccc_err_set(err, CCC_E_STATE, -1, NULL, "access log is "
		    "shorter than its head says (%lld < %llu bytes)",
		    (long long)sb.st_size, (unsigned long long)h->len);
	if ((rc = head_entry_found(fd, h, &ok, err)) != 0)
		return rc;
	if (!ok) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "does not match "
		    "its head: entry %llu, ending at byte %llu, is not the one "
		    "%s names; not serving until an operator resolves it (see "
		    "ccc-reencrypt(1))", (unsigned long long)h->seq,
		    (unsigned long long)h->len, head_path);
		(void)ccc_err_what(err, log);
		return rc;
	}
	if ((uint64_t)sb.st_size == h->len)
		return 0;
	n = (size_t)((uint64_t)sb.st_size - h->len);
	if (n > CCC_BLOB_MAX || (tail = malloc(n)) == NULL ||
	    pread(fd, tail, n, (off_t)h->len) != (ssize_t)n) {
		free(tail);
		tail = NULL;
	} else if (ccc_cbor_check(tail, n, CCC_CBOR_STRICT, CCC_BLOB_MAX,
	    &ilen, 0, NULL) == 0 && ilen == n &&
	    ccc_blob_decode(&ccc_schema_access, tail, n, v, 0, NULL) == 0 &&
	    v[ACC_SEQ].u == h->seq + 1 &&
	    memcmp(v[ACC_PREV].p, h->hash, 32) == 0) {
		h->seq++;
		crypto_hash_sha256(h->hash, tail, n);
		memcpy(h->rid, v[ACC_REQUEST].p, 32);
		h->len += n;
		rc = ccc_access_head_write(head_path, h, err);
		goto out;
	} else if (torn_next(tail, n, h)) {
		if (ftruncate(fd, (off_t)h->len) != 0 || fsync(fd) != 0)
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "access log: "
			    "%s", strerror(errno));
		goto out;
	}
	rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%zu bytes past entry "
	    "%llu (byte %llu, where %s ends it) are not the node's next "
	    "entry; not serving until an operator resolves it (see "
	    "ccc-reencrypt(1))", n, (unsigned long long)h->seq,
	    (unsigned long long)h->len, head_path);
	(void)ccc_err_what(err, log);
out:
	free(tail);
	return rc;
}

int
ccc_accesslog_each(const char *log, int (*each)(const struct ccc_val *, void *,
    struct ccc_err *), void *ctx, struct ccc_err *err)
{
	struct ccc_val v[ACC_NFIELDS];
	struct ccc_seq s;
	const uint8_t *p;
	size_t n;
	long long at;
	int rc;

	/* An entry at a time: the log may be larger than memory. */
	if ((rc = ccc_seq_open(&s, log, CCC_BLOB_MAX, 0, err)) != 0)
		return rc;
	while ((rc = ccc_seq_next(&s, &p, &n, &at, err)) == 1) {
		if ((rc = ccc_blob_decode(&ccc_schema_access, p, n, v, at,
		    err)) != 0) {
			ccc_err_item(err, s.item);
			ccc_err_what(err, log);
			break;
		}
		if ((rc = each(v, ctx, err)) != 0)
			break;
	}
	if (rc == 1)
		rc = 0;
	ccc_seq_close(&s);
	return rc;
}

/* log_has's search: the request, and the sealed_digest it names. */
struct has {
	const uint8_t *rid;
	bool *found;
	uint8_t *digest;
};

static int
has_each(const struct ccc_val *v, void *ctx, struct ccc_err *err)
{
	struct has *h = ctx;

	(void)err;
	if (memcmp(v[ACC_REQUEST].p, h->rid, 32) != 0)
		return 0;
	*h->found = true;
	if (v[ACC_SEALED].present)
		memcpy(h->digest, v[ACC_SEALED].p, 32);
	return 1;
}

/*
 * Whether the log has an entry for request rid (the crash-retry path), and
 * the sealed_digest it names, if any (else 32 zero bytes).
 */
static int
log_has(const char *log, const uint8_t rid[32], bool *found,
    uint8_t digest[32], struct ccc_err *err)
{
	struct has h = { rid, found, digest };

	*found = false;
	memset(digest, 0, 32);
	return ccc_accesslog_each(log, has_each, &h, err);
}

/*
 * Every input of a level-4 entry, with its aggregate, into the buffer:
 * by its digest and, where the entry has them, by its values' digest.
 */
static int
used_each(const struct ccc_val *v, void *ctx, struct ccc_err *err)
{
	struct ccc_buf *out = ctx;
	const struct ccc_val *keys[2] = { &v[ACC_CTS], &v[ACC_VALUES] };
	size_t i, k;

	if (!v[ACC_AGGREGATE].present)
		return 0;
	for (k = 0; k < 2; k++)
		for (i = 0; keys[k]->present && i < keys[k]->count; i++)
			if (ccc_buf_put(out, ccc_val_elem(keys[k], 32, i),
			    32) != 0 || ccc_buf_put(out, v[ACC_AGGREGATE].p,
			    32) != 0)
				return ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
				    "access log");
	return 0;
}

int
ccc_accesslog_used_inputs(struct ccc_accesslog *st, struct ccc_buf *out,
    struct ccc_err *err)
{
	char *log;
	int rc;

	if ((log = path_of(st, "access.log")) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	rc = access(log, F_OK) == 0 ? ccc_accesslog_each(log, used_each, out, err) : 0;
	free(log);
	return rc;
}

int
ccc_accesslog_find(struct ccc_accesslog *st, const uint8_t rid[32],
    bool *found, uint8_t sealed_digest[32], struct ccc_err *err)
{
	char *log;
	int rc;

	*found = false;
	if ((log = path_of(st, "access.log")) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
	rc = access(log, F_OK) == 0 ? log_has(log, rid, found, sealed_digest,
	    err) : 0;
	free(log);
	return rc;
}


/* served/log-index: "SEQ LENGTH\n", (0, 0) when missing or not one. */
static void
index_read(const char *path, uint64_t *seq, uint64_t *len)
{
	struct ccc_buf b;
	unsigned long long s, n;
	char c;

	*seq = *len = 0;
	ccc_buf_init(&b, 0);
	if (ccc_accesslog_read_small(&b, path, 64, "an index", NULL) == 0 &&
	    ccc_buf_put(&b, "", 1) == 0 &&
	    sscanf((char *)b.p, "%llu %llu%c", &s, &n, &c) == 3 && c == '\n') {
		*seq = s;
		*len = n;
	}
	ccc_buf_free(&b);
}

/*
 * The index, rewritten in place rather than replaced: no new file at each
 * request (a file system without a journal scans past every recently
 * freed inode for each new one).  Only this process writes it, under the
 * state's lock.  A write a crash tore reads as no index, or as a pair
 * that is not an entry boundary of the log, which ccc_accesslog_check
 * answers by checking every entry again; never as another log position.
 */
static int
index_write(const char *path, uint64_t seq, uint64_t len, struct ccc_err *err)
{
	char line[64];
	size_t n;

	n = (size_t)snprintf(line, sizeof(line), "%" PRIu64 " %" PRIu64 "\n",
	    seq, len);
	return ccc_overwrite(path, line, n, true, err);
}

/*
 * Give every entry in the log's bytes [off, h->len) that lacks a marker a
 * "recorded" one (entries 1..seq before off have theirs).  Entries
 * expired past the grace period are skipped: they would be pruned.
 */
static int
markers_from(struct ccc_accesslog *st, int fd, const struct ccc_access_head *h,
    uint64_t seq, uint64_t off, uint64_t now, size_t *rebuilt,
    struct ccc_err *err)
{
	struct ccc_val v[ACC_NFIELDS];
	enum ccc_served how;
	struct ccc_buf b;
	size_t at = 0, ilen;
	uint64_t exp;
	int rc = 0;

	ccc_buf_init(&b, 0);
	if (ccc_buf_reserve(&b, (size_t)(h->len - off)) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "access log");
	b.len = (size_t)(h->len - off);
	if (pread(fd, b.p, b.len, (off_t)off) != (ssize_t)b.len) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "access log: %s",
		    strerror(errno));
		goto out;
	}
	for (; at < b.len; at += ilen) {
		if (ccc_cbor_check(b.p + at, b.len - at, CCC_CBOR_STRICT,
		    CCC_BLOB_MAX, &ilen, 0, NULL) != 0 ||
		    ccc_blob_decode(&ccc_schema_access, b.p + at, ilen, v, 0,
		    NULL) != 0 || v[ACC_SEQ].u != ++seq) {
			rc = CCC_E_MALFORMED;	/* not an entry boundary */
			goto out;
		}
		exp = v[ACC_TIME].u > UINT64_MAX - CCC_REQUEST_MAX_LIFETIME ?
		    UINT64_MAX - CCC_PRUNE_GRACE : v[ACC_TIME].u +
		    CCC_REQUEST_MAX_LIFETIME;
		if (exp + CCC_PRUNE_GRACE < now)
			continue;
		if ((rc = ccc_accesslog_served(st, v[ACC_REQUEST].p, &how,
		    err)) != 0)
			goto out;
		if (how == CCC_SERVED_NO) {
			if ((rc = ccc_accesslog_mark(st, v[ACC_REQUEST].p, "recorded",
			    exp, err)) != 0)
				goto out;
			(*rebuilt)++;
		}
	}
out:
	ccc_buf_free(&b);
	return rc;
}

int
ccc_accesslog_check(struct ccc_accesslog *st, uint64_t now, struct ccc_err *err)
{
	char *log = NULL, *head = NULL, *ip = NULL;
	uint64_t seq, off;
	size_t rebuilt = 0;
	struct ccc_access_head h;
	int fd = -1, rc;

	if ((log = path_of(st, "access.log")) == NULL ||
	    (head = path_of(st, "access.head")) == NULL ||
	    (ip = path_of(st, "served/log-index")) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
		goto out;
	}
	if ((rc = ccc_access_head_read(head, &h, err)) != 0)
		goto out;
	if ((fd = open(log, O_RDWR | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && h.seq == 0 && h.len == 0)
			goto out;	/* a node that never served */
		rc = errno == ENOENT ? ccc_err_set(err, CCC_E_STATE, -1, NULL,
		    "%s: missing, %s names entry %llu", log, head,
		    (unsigned long long)h.seq) : ccc_err_set(err, CCC_E_IO, -1,
		    NULL, "%s: %s", log, strerror(errno));
		goto out;
	}
	if ((rc = log_check(fd, log, head, &h, err)) != 0)
		goto out;
	index_read(ip, &seq, &off);
	/*
	 * Another log's index, or a torn one: from the start.  An index at
	 * the head is trusted only with the head's length; any other pair
	 * that is not an entry boundary fails in markers_from, which then
	 * starts again from the start.
	 */
	if (seq > h.seq || off > h.len || (seq == 0) != (off == 0) ||
	    (seq == h.seq) != (off == h.len))
		seq = off = 0;
	if (seq == h.seq)
		goto out;
	/* From the index on, or if it is not at an entry, from the start. */
	if ((rc = markers_from(st, fd, &h, seq, off, now, &rebuilt,
	    err)) == CCC_E_MALFORMED && off != 0)
		rc = markers_from(st, fd, &h, 0, 0, now, &rebuilt, err);
	if (rc == CCC_E_MALFORMED)
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "%s: not a chain "
		    "of access log entries (check it with ccc-inspect -L)",
		    log);
	/*
	 * The index moves to the head at every check, so that the next
	 * request reads no marker of an entry before it.  It is not synced:
	 * it names only entries whose markers are durable, and an index lost
	 * or damaged by a crash reads as none (every entry checked again).
	 */
	if (rc == 0)
		rc = index_write(ip, h.seq, h.len, err);
out:
	if (fd >= 0)
		close(fd);
	free(log);
	free(head);
	free(ip);
	return rc;
}

/*
 * Append entry b, encoded with an empty ciphertext array, with the array
 * filled in from e's digest file as it is written: memory holds a chunk
 * of digests, not all of them.  *len and hash receive the entry's length
 * and SHA-256 (for the head).
 */
static int
write_entry(int fd, const struct ccc_buf *b, const struct ccc_access_entry *e,
    const char *log, uint64_t *len, uint8_t hash[32], struct ccc_err *err)
{
	struct ccc_sha256 h;
	struct ccc_buf out;
	uint8_t d[32 * 256];
	size_t at, i, k, n;
	ssize_t r;
	bool last;
	int rc = 0;

	/* The empty array's head (one byte, 0x80) is where the digests go. */
	if (ccc_cbor_map_find(b->p, b->len,
	    ccc_schema_access.fields[ACC_CTS].key, &at, &last) != 0 ||
	    b->p[at] != 0x80)
		return ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "access log "
		    "entry");
	if (lseek(e->ct_digests_fd, 0, SEEK_SET) != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "access log: the "
		    "ciphertext digests: %s", strerror(errno));
	ccc_buf_init(&out, 0);
	ccc_sha256_init(&h);
	*len = 0;
	if (ccc_buf_put(&out, b->p, at) != 0 ||
	    ccc_cbor_put_array(&out, e->nct) != 0)
		goto nomem;
	for (i = 0; i <= e->nct; i += n) {
		n = e->nct - i < 256 ? e->nct - i : 256;
		if (n > 0 && ((r = ccc_read_full(e->ct_digests_fd, d,
		    n * 32)) < 0 || (size_t)r != n * 32)) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "access log: "
			    "the ciphertext digests: %s", r < 0 ?
			    strerror(errno) : "short");
			goto out;
		}
		for (k = 0; k < n; k++)
			if (ccc_cbor_put_bstr(&out, d + 32 * k, 32) != 0)
				goto nomem;
		if (n == 0 && ccc_buf_put(&out, b->p + at + 1,
		    b->len - at - 1) != 0)
			goto nomem;
		ccc_sha256_update(&h, out.p, out.len);
		*len += out.len;
		if (ccc_write_full(fd, out.p, out.len) != 0) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s",
			    log, strerror(errno));
			goto out;
		}
		out.len = 0;
		if (n == 0)
			break;	/* the fields after the array: written */
	}
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "access log");
out:
	ccc_sha256_final(&h, hash);
	ccc_buf_free(&out);
	return rc;
}

int
ccc_accesslog_append(struct ccc_accesslog *st,
    const struct ccc_access_entry *e, uint64_t expires, struct ccc_err *err)
{
	struct ccc_val v[ACC_NFIELDS];
	enum ccc_served how;
	struct ccc_buf b;
	struct ccc_access_head h;
	char *log = NULL, *head = NULL;
	uint64_t len = 0;
	int fd = -1, rc;

	ccc_buf_init(&b, 0);
	if ((log = path_of(st, "access.log")) == NULL ||
	    (head = path_of(st, "access.head")) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
		goto out;
	}
	if ((rc = ccc_accesslog_served(st, e->request_id, &how, err)) != 0 ||
	    (rc = ccc_access_head_read(head, &h, err)) != 0)
		goto out;
	/* Announce the append first: a crash anywhere after it is seen. */
	if (how == CCC_SERVED_NO && (rc = ccc_accesslog_mark(st, e->request_id,
	    "pending", expires, err)) != 0)
		goto out;
	if ((fd = open(log, O_RDWR | O_APPEND | O_CLOEXEC)) < 0 &&
	    errno == ENOENT) {
		/* A new log: its directory entry must be durable too. */
		if ((fd = open(log, O_RDWR | O_CREAT | O_EXCL | O_APPEND |
		    O_CLOEXEC, 0644)) >= 0 &&
		    (rc = ccc_fsync_dir_of(log, err)) != 0)
			goto out;
	}
	if (fd < 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", log,
		    strerror(errno));
		goto out;
	}
	if ((rc = log_check(fd, log, head, &h, err)) != 0)
		goto out;
	/* A crash after a pending marker: was the entry appended? */
	if (how == CCC_SERVED_PENDING) {
		uint8_t d[32];
		bool found;
		if ((rc = log_has(log, e->request_id, &found, d, err)) != 0)
			goto out;
		if (found)
			goto out;	/* logged by the run that crashed */
	}
	/*
	 * What the entry will name is durable before it: the pending marker
	 * and the release's kept blob, written without a sync of their own
	 * (one sync of the state's file system for all of them).
	 */
	if (syncfs(st->lockfd) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", st->dir,
		    strerror(errno));
		goto out;
	}
	ccc_val_uint(&v[ACC_SEQ], h.seq + 1);
	ccc_val_bytes(&v[ACC_PREV], h.hash, 32);
	ccc_val_uint(&v[ACC_TIME], e->time);
	ccc_val_bytes(&v[ACC_REQUEST], e->request_id, 32);
	ccc_val_bytes(&v[ACC_APP], e->app, e->app_len);
	ccc_val_array(&v[ACC_CTS], NULL, 0, 0);
	ccc_val_bytes(&v[ACC_RECIPIENT], e->recipient_digest, 32);
	ccc_val_uint(&v[ACC_NODE], e->node);
	ccc_val_uint(&v[ACC_EPOCH], e->epoch);
	ccc_val_bytes(&v[ACC_KEY_ID], e->key_id, 32);
	if (e->has_output_to)
		ccc_val_bytes(&v[ACC_OUTPUT_TO], e->output_to, 32);
	else
		v[ACC_OUTPUT_TO].present = false;
	ccc_val_bytes(&v[ACC_SEALED], e->sealed_digest, 32);
	if (e->has_aggregate)
		ccc_val_bytes(&v[ACC_AGGREGATE], e->aggregate, 32);
	else
		v[ACC_AGGREGATE].present = false;
	if (e->values != NULL)
		ccc_val_array(&v[ACC_VALUES], e->values, 32 * e->nct, e->nct);
	else
		v[ACC_VALUES].present = false;
	if ((rc = ccc_blob_encode(&b, &ccc_schema_access, v)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "access log");
		goto out;
	}
	if ((rc = write_entry(fd, &b, e, log, &len, h.hash, err)) != 0)
		goto out;
	if (fsync(fd) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", log,
		    strerror(errno));
		goto out;
	}
	h.seq++;
	memcpy(h.rid, e->request_id, 32);
	h.len += len;
	rc = ccc_access_head_write(head, &h, err);
	/*
	 * The marker stays "pending" until "released" replaces it: a request
	 * sent again meanwhile is looked up in the log either way (a
	 * "logged" marker, which older versions wrote here, cost a file).
	 */
out:
	if (fd >= 0)
		close(fd);
	free(log);
	free(head);
	ccc_buf_free(&b);
	return rc;
}
