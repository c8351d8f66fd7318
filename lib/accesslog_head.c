/*
 * A node's access log head, STATE/access.head: one line naming the last
 * entry, read strictly (the exact bytes ccc_access_head_write makes).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "io.h"
#include "keys.h"

/* "SEQ HASH REQUEST-ID LENGTH\n": decimal, lowercase hex. */
#define HEAD_LINE_MAX 200
#define HEAD_FILE_MAX 512	/* larger is not a head at all */

static void
head_format(char line[HEAD_LINE_MAX], const struct ccc_access_head *h)
{
	char hash[65], rid[65];

	sodium_bin2hex(hash, sizeof(hash), h->hash, 32);
	sodium_bin2hex(rid, sizeof(rid), h->rid, 32);
	snprintf(line, HEAD_LINE_MAX, "%" PRIu64 " %s %s %" PRIu64 "\n",
	    h->seq, hash, rid, h->len);
}

/* Whether b (its bytes, then a NUL) is a head; if so, h is it. */
static bool
head_parse(const struct ccc_buf *b, struct ccc_access_head *h)
{
	char hash[65], rid[65], line[HEAD_LINE_MAX];
	unsigned long long seq, len;

	memset(h, 0, sizeof(*h));
	/* Parsed, then written again: only the exact line is a head. */
	if (sscanf((char *)b->p, "%llu %64s %64s %llu", &seq, hash, rid,
	    &len) != 4 || sodium_hex2bin(h->hash, 32, hash, 64, NULL, NULL,
	    NULL) != 0 || sodium_hex2bin(h->rid, 32, rid, 64, NULL, NULL,
	    NULL) != 0)
		goto bad;
	h->seq = seq;
	h->len = len;
	head_format(line, h);
	if (strlen(line) == b->len - 1 && memcmp(line, b->p, b->len - 1) == 0)
		return true;
bad:
	memset(h, 0, sizeof(*h));
	return false;
}

/*
 * Whether b is what a power cut leaves of a file whose bytes had not
 * reached the disk: nothing, or zeros.
 */
static bool
lost_write(const struct ccc_buf *b)
{
	size_t i;

	for (i = 0; i + 1 < b->len; i++)
		if (b->p[i] != 0)
			return false;
	return true;
}

/* path, read whole (at most HEAD_FILE_MAX bytes) and a NUL appended. */
static int
head_file(const char *path, struct ccc_buf *b, struct ccc_err *err)
{
	struct ccc_err e;
	int rc;

	ccc_err_clear(&e);
	if ((rc = ccc_read_file(b, path, HEAD_FILE_MAX, &e)) ==
	    CCC_E_TOOBIG) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "not an access "
		    "log head: larger than %d bytes", HEAD_FILE_MAX);
		(void)ccc_err_what(err, path);
	} else if (rc != 0 && err != NULL)
		*err = e;
	return rc != 0 ? rc : ccc_buf_put(b, "", 1);
}

int
ccc_access_head_read(const char *path, struct ccc_access_head *h,
    struct ccc_err *err)
{
	struct ccc_buf b, pb;
	char *prev = NULL;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;	/* an empty log */
	ccc_buf_init(&b, 0);
	ccc_buf_init(&pb, 0);
	if ((rc = head_file(path, &b, err)) != 0)
		goto out;
	if (head_parse(&b, h))
		goto out;
	/*
	 * The head a power cut lost (ccc_access_head_write): the one it
	 * replaced, durable, is PATH.prev; an entry past it is adopted.
	 */
	if (lost_write(&b) && asprintf(&prev, "%s.prev", path) >= 0 &&
	    head_file(prev, &pb, NULL) == 0 && head_parse(&pb, h))
		goto out;
	rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "not an access log head "
	    "(one line \"SEQ HASH REQUEST-ID LENGTH\")");
	(void)ccc_err_what(err, path);
out:
	free(prev);
	ccc_buf_free(&b);
	ccc_buf_free(&pb);
	return rc;
}

int
ccc_access_head_write(const char *path, const struct ccc_access_head *h,
    struct ccc_err *err)
{
	char line[HEAD_LINE_MAX], *prev;
	int rc;

	head_format(line, h);
	/*
	 * Without a sync of its own: the new head is written as PATH.prev
	 * (atomically, not synced), then the two names are exchanged, in
	 * one step.  A power cut before the next release's sync of the file
	 * system may lose the new head's bytes, and leave PATH empty or
	 * zeroed: it is then read as PATH.prev, the head it replaced, made
	 * durable by this release's sync, one entry behind the synced log,
	 * which the next run adopts (log_check).  That sync also makes the
	 * exchange durable before another entry is written.  The first head
	 * of a log, or one on a file system that cannot exchange names, is
	 * synced before its name replaces the old one, whose rename a crash
	 * may undo.
	 */
	if (asprintf(&prev, "%s.prev", path) < 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "head");
	if (access(path, F_OK) == 0) {
		if ((rc = ccc_write_file(prev, line, strlen(line),
		    CCC_OUT_FORCE | CCC_OUT_NOSYNC, err)) != 0)
			goto out;
		if (renameat2(AT_FDCWD, prev, AT_FDCWD, path,
		    RENAME_EXCHANGE) == 0)
			goto out;
		if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s",
			    path, strerror(errno));
			goto out;
		}
	}
	rc = ccc_write_file(path, line, strlen(line), CCC_OUT_FORCE |
	    CCC_OUT_NODIRSYNC, err);
out:
	free(prev);
	return rc;
}

/* ---- the signed head ------------------------------------------------------ */

#define SIGNED_TAG "ccc/access-head/v1"
/* The tag, 3 numbers of at most 20 digits, 3 ids and a signature in hex. */
#define SIGNED_LINE_MAX (sizeof(SIGNED_TAG) + 3 * 21 + 3 * 65 + 129 + 2)

/* The signed part of the line (before " SIG"); its length. */
static size_t
signed_body(char line[SIGNED_LINE_MAX], const struct ccc_signed_head *sh)
{
	char hash[65], kid[65], signer[65];

	sodium_bin2hex(hash, sizeof(hash), sh->hash, 32);
	sodium_bin2hex(kid, sizeof(kid), sh->key_id, 32);
	sodium_bin2hex(signer, sizeof(signer), sh->signer, 32);
	return (size_t)snprintf(line, SIGNED_LINE_MAX, "%s %" PRIu64 " %s %u "
	    "%s %" PRIu64 " %s", SIGNED_TAG, sh->seq, hash, (unsigned)sh->node,
	    kid, sh->epoch, signer);
}

/* The whole line, newline included; its length. */
static size_t
signed_line(char line[SIGNED_LINE_MAX], const struct ccc_signed_head *sh)
{
	char sig[129];
	size_t n = signed_body(line, sh);

	sodium_bin2hex(sig, sizeof(sig), sh->sig, sizeof(sh->sig));
	return n + (size_t)snprintf(line + n, SIGNED_LINE_MAX - n, " %s\n",
	    sig);
}

int
ccc_accesslog_sign_head(struct ccc_accesslog *st,
    const struct ccc_identity *id, uint32_t node, const uint8_t key_id[32],
    uint64_t epoch, struct ccc_err *err)
{
	struct ccc_access_head h;
	struct ccc_signed_head sh;
	char line[SIGNED_LINE_MAX], *head = NULL, *out = NULL;
	size_t n;
	int rc;

	if (asprintf(&head, "%s/access.head", st->dir) < 0 ||
	    asprintf(&out, "%s/access.head.signed", st->dir) < 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "state");
		goto out;
	}
	if ((rc = ccc_access_head_read(head, &h, err)) != 0 || h.seq == 0)
		goto out;
	memset(&sh, 0, sizeof(sh));
	sh.seq = h.seq;
	memcpy(sh.hash, h.hash, 32);
	sh.node = node;
	memcpy(sh.key_id, key_id, 32);
	sh.epoch = epoch;
	memcpy(sh.signer, id->id, sizeof(sh.signer));
	n = signed_body(line, &sh);
	if ((rc = ccc_identity_sign(sh.sig, id, CCC_ACCESS_HEAD_PURPOSE,
	    (const uint8_t *)line, n)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "signing the access log "
		    "head");
		goto out;
	}
	n = signed_line(line, &sh);
	rc = ccc_write_file(out, line, n, CCC_OUT_FORCE, err);
out:
	free(head);
	free(out);
	return rc;
}

int
ccc_signed_head_read(struct ccc_signed_head *sh, const char *path,
    const uint8_t pk[CCC_ID_PK_BYTES], struct ccc_err *err)
{
	struct ccc_err rerr;
	struct ccc_buf b;
	char tag[sizeof(SIGNED_TAG) + 1], hash[65], kid[65], signer[65];
	char sig[129], line[SIGNED_LINE_MAX];
	unsigned long long seq, epoch;
	unsigned node;
	uint8_t want[CCC_ID_BYTES];
	size_t n;
	int rc;

	memset(sh, 0, sizeof(*sh));
	sh->name = path;
	ccc_buf_init(&b, 0);
	ccc_err_clear(&rerr);
	if ((rc = ccc_read_named(&b, path, SIGNED_LINE_MAX, false,
	    &rerr)) == CCC_E_TOOBIG)
		goto bad;	/* longer than any signed head */
	if (rc != 0) {
		if (err != NULL)
			*err = rerr;
		goto out;
	}
	if ((rc = ccc_buf_put(&b, "", 1)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "%s", path);
		goto out;
	}
	/* Parsed, then written again: only the exact line is one. */
	if (sscanf((char *)b.p, "%19s %llu %64s %u %64s %llu %64s %128s", tag,
	    &seq, hash, &node, kid, &epoch, signer, sig) != 8 ||
	    strcmp(tag, SIGNED_TAG) != 0 || seq == 0 || node < 1 ||
	    node > 255 ||
	    sodium_hex2bin(sh->hash, 32, hash, 64, NULL, NULL, NULL) != 0 ||
	    sodium_hex2bin(sh->key_id, 32, kid, 64, NULL, NULL, NULL) != 0 ||
	    sodium_hex2bin(sh->signer, 32, signer, 64, NULL, NULL, NULL) != 0 ||
	    sodium_hex2bin(sh->sig, 64, sig, 128, NULL, NULL, NULL) != 0)
		goto bad;
	sh->seq = seq;
	sh->node = node;
	sh->epoch = epoch;
	if ((n = signed_line(line, sh)) != b.len - 1 ||
	    memcmp(line, b.p, n) != 0)
		goto bad;
	ccc_identity_id(want, pk);
	if (memcmp(want, sh->signer, sizeof(want)) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "signed by identity "
		    "%s, not by the one given", ccc_short_id(sh->signer));
		(void)ccc_err_what(err, path);
		goto out;
	}
	n = signed_body(line, sh);
	if (ccc_identity_verify(sh->sig, pk, CCC_ACCESS_HEAD_PURPOSE,
	    (const uint8_t *)line, n) != 0) {
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "the access "
		    "log head's signature does not verify");
		(void)ccc_err_what(err, path);
	}
	goto out;
bad:
	rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "not a signed access "
	    "log head (one line \"%s SEQ HASH NODE KEY-ID EPOCH SIGNER "
	    "SIG\")", SIGNED_TAG);
	(void)ccc_err_what(err, path);
out:
	ccc_buf_free(&b);
	return rc;
}
