/*
 * A node's access log head, STATE/access.head: one line naming the last
 * entry, read strictly (the exact bytes ccc_access_head_write makes).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
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

int
ccc_access_head_read(const char *path, struct ccc_access_head *h,
    struct ccc_err *err)
{
	struct ccc_err rerr;
	struct ccc_buf b;
	char hash[65], rid[65], line[HEAD_LINE_MAX];
	unsigned long long seq, len;
	int rc = 0;

	memset(h, 0, sizeof(*h));
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;	/* an empty log */
	ccc_buf_init(&b, 0);
	ccc_err_clear(&rerr);
	if ((rc = ccc_read_file(&b, path, HEAD_FILE_MAX, &rerr)) ==
	    CCC_E_TOOBIG) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "not an access "
		    "log head: larger than %d bytes", HEAD_FILE_MAX);
		(void)ccc_err_what(err, path);
		goto out;
	}
	if (rc != 0) {
		if (err != NULL)
			*err = rerr;
		goto out;
	}
	if ((rc = ccc_buf_put(&b, "", 1)) != 0)
		goto out;
	/* Parsed, then written again: only the exact line is a head. */
	if (sscanf((char *)b.p, "%llu %64s %64s %llu", &seq, hash, rid,
	    &len) != 4 || sodium_hex2bin(h->hash, 32, hash, 64, NULL, NULL,
	    NULL) != 0 || sodium_hex2bin(h->rid, 32, rid, 64, NULL, NULL,
	    NULL) != 0)
		goto bad;
	h->seq = seq;
	h->len = len;
	head_format(line, h);
	if (strlen(line) == b.len - 1 && memcmp(line, b.p, b.len - 1) == 0)
		goto out;
bad:
	memset(h, 0, sizeof(*h));
	rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "not an access log head "
	    "(one line \"SEQ HASH REQUEST-ID LENGTH\")");
	(void)ccc_err_what(err, path);
out:
	ccc_buf_free(&b);
	return rc;
}

int
ccc_access_head_write(const char *path, const struct ccc_access_head *h,
    struct ccc_err *err)
{
	char line[HEAD_LINE_MAX];

	head_format(line, h);
	/*
	 * The new head's bytes are durable before its name replaces the old
	 * one, but the rename is not synced here: a crash may leave the head
	 * before it, one entry behind a synced log, which the next run adopts
	 * (log_check); and the next append's sync of the file system makes
	 * the rename durable before another entry is written.
	 */
	return ccc_write_file(path, line, strlen(line), CCC_OUT_FORCE |
	    CCC_OUT_NODIRSYNC, err);
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
