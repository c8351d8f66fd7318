/*
 * What a decryption node's releases share (ccc-reencrypt -r, ccc-aggregate
 * -s): the blob kept in the state until it is released, and the identity
 * that signs the access log head.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "identity.h"
#include "io.h"
#include "ops.h"

int
ccc_release_copy(struct ccc_out *out, int fd, const char *name,
    uint8_t *digest, struct ccc_err *err)
{
	crypto_hash_sha256_state h;
	uint8_t b[65536];
	ssize_t r;
	int rc;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", name,
		    strerror(errno));
	crypto_hash_sha256_init(&h);
	while ((r = ccc_read_full(fd, b, sizeof(b))) > 0) {
		if (out == NULL)
			crypto_hash_sha256_update(&h, b, (size_t)r);
		else if ((rc = ccc_out_write(out, b, (size_t)r, err)) != 0)
			return rc;
	}
	if (r < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", name,
		    strerror(errno));
	if (out == NULL)
		crypto_hash_sha256_final(&h, digest);
	return 0;
}

int
ccc_release_kept(struct ccc_out *out, const char *kept, const uint8_t rid[32],
    const uint8_t logged[32], struct ccc_err *err)
{
	uint8_t d[32];
	char hex[17];
	int fd, rc;

	sodium_bin2hex(hex, sizeof(hex), rid, 8);
	if ((fd = open(kept, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno != ENOENT)
			return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s",
			    kept, strerror(errno));
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "request %s... "
		    "is logged with the digest of its sealed blob, which is "
		    "gone; nothing released", hex);
		ccc_err_what(err, kept);
		return rc;
	}
	/* Checked whole before a byte goes out (stdout cannot be undone). */
	if ((rc = ccc_release_copy(NULL, fd, kept, d, err)) == 0 &&
	    sodium_memcmp(d, logged, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "request %s...: "
		    "not the sealed blob its log entry names; nothing "
		    "released", hex);
		ccc_err_what(err, kept);
	}
	if (rc == 0)
		rc = ccc_release_copy(out, fd, kept, NULL, err);
	close(fd);
	return rc;
}

int
ccc_node_identity_load(struct ccc_identity **id, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 1);
	if ((*id = ccc_identity_new()) == NULL)
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", path);
	else if ((rc = ccc_read_named(&b, path, 4096, true, err)) == 0 &&
	    ((rc = ccc_identity_load(*id, b.p, b.len, err)) != 0 ||
	    (!(*id)->has_secret && (rc = ccc_err_set(err, CCC_E_TYPE, -1,
	    NULL, "expected an identity secret key (ccc/identity-key/v1), "
	    "to sign the access log head")) != 0)))
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}


int
ccc_release_begin(struct ccc_accesslog *st, const char *dir,
    const uint8_t rid[32], uint64_t now, uint32_t index,
    enum ccc_served *served, struct ccc_err *err)
{
	char hex[17];
	int rc;

	if ((rc = ccc_accesslog_open(st, dir, err)) != 0)
		return rc;
	/* The log must match its head; markers it lacks are rebuilt. */
	if ((rc = ccc_accesslog_check(st, now, err)) != 0)
		return rc;
	ccc_accesslog_prune(st, now);
	if ((rc = ccc_accesslog_served(st, rid, served, err)) != 0)
		return rc;
	if (*served != CCC_SERVED_RELEASED && *served != CCC_SERVED_RECORDED)
		return 0;
	sodium_bin2hex(hex, sizeof(hex), rid, 8);
	return ccc_err_set(err, CCC_E_REPLAY, -1, NULL, "request %s... was "
	    "already served by node %u%s", hex, index,
	    *served == CCC_SERVED_RECORDED ? " (its access log records the "
	    "release)" : "");
}
