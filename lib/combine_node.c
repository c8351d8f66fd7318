/* The combine engine's nodes: their files opened, judged (combine_node.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "combine_node.h"
#include "io.h"
#include "keys.h"
#include "vault.h"


static const char *const cause_names[CCC_CAUSE_N] = {
	"verified", "duplicate", "undecodable", "unopenable", "wrong-key",
	"wrong-epoch", "unknown-node", "wrong-request", "wrong-recipient",
	"wrong-count", "wrong-ciphertext", "failed-proof", "unchecked"
};

const char *
ccc_combine_cause_name(unsigned cause)
{
	return cause < CCC_CAUSE_N ? cause_names[cause] : NULL;
}

int
ccc_combine_cause_find(const char *s, size_t len)
{
	int i;

	for (i = 0; i < CCC_CAUSE_N; i++)
		if (strlen(cause_names[i]) == len &&
		    memcmp(cause_names[i], s, len) == 0)
			return i;
	return -1;
}

/* A blob that did not open is unopenable; any other failure undecodable. */
enum ccc_combine_cause
ccc_nd_read_cause(int rc)
{
	return rc == CCC_E_DECRYPT ? CCC_CAUSE_UNOPENABLE :
	    CCC_CAUSE_UNDECODABLE;
}

/* The first failure stands: its reason and its code. */
void
ccc_nd_fail(struct node *nd, bool all, enum ccc_combine_cause cause,
    const char *fmt, ...)
{
	va_list ap;

	if (nd->why[0] == '\0') {
		nd->cause = cause;
		va_start(ap, fmt);
		vsnprintf(nd->why, sizeof(nd->why), fmt, ap);
		va_end(ap);
	}
	if (all)
		nd->bad = true;
}

/* "node 3 (FILE)", or "FILE" alone when its blob did not say which node. */
const char *
ccc_nd_name(const struct node *nd, char *buf, size_t len)
{
	if (nd->f.s.index == 0)
		snprintf(buf, len, "%s", nd->file);
	else
		snprintf(buf, len, "node %u (%s)", nd->f.s.index, nd->file);
	return buf;
}

/* "; NODE: why" for every node whose shares were not all used. */
void
ccc_nd_bad_list(char *list, size_t len, const struct node *nodes, int n)
{
	char name[256];
	size_t off = 0;
	int k;

	list[0] = '\0';
	for (k = 0; k < n && off < len; k++)
		if (nodes[k].why[0] != '\0')
			off += (size_t)snprintf(list + off, len - off,
			    "; %s: %s", ccc_nd_name(&nodes[k], name,
			    sizeof(name)), nodes[k].why);
}

/*
 * Whether a file holds Chainlink shares (text), not a ccc sealed blob.
 * Only a regular file is looked at: a FIFO's first byte is not taken from
 * the sealed-blob reader, which opens it once.
 */
int
ccc_nd_is_vault(const char *path, bool *vault, struct ccc_err *err)
{
	struct stat st;
	uint8_t c;
	ssize_t r;
	int fd;

	*vault = false;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", path,
		    strerror(errno));
	r = read(fd, &c, 1);
	close(fd);
	*vault = r == 1 && c >= 0x20 && c < 0x7f;
	return 0;
}

/*
 * A file of Chainlink shares (lib/vault.h), one a line and a line per
 * ciphertext, all of one node: read whole; failures only mark the node.
 */
int
ccc_nd_load_vault(struct node *nd, const struct ccc_combine_in *in,
    size_t nct, struct ccc_err *err)
{
	struct ccc_buf b;
	struct ccc_err e;
	const char *p, *end, *nl;
	size_t k = 0;
	int rc;

	ccc_buf_init(&b, 1);
	ccc_err_clear(&e);
	if ((rc = ccc_read_file(&b, nd->file, nct * 1024 + 4096, &e)) != 0) {
		ccc_buf_free(&b);
		if (rc == CCC_E_IO || rc == CCC_E_NOMEM) {
			*err = e;
			return rc;
		}
		ccc_nd_fail(nd, true, ccc_nd_read_cause(rc), "%s", e.detail);
		return 0;
	}
	if (in->digests) {
		crypto_hash_sha256(nd->digest, b.p, b.len);
		nd->has_digest = true;
	}
	if ((nd->vds = calloc(nct ? nct : 1, sizeof(*nd->vds))) == NULL) {
		ccc_buf_free(&b);
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
	}
	p = (const char *)b.p;
	end = p + b.len;
	for (; p < end && nd->why[0] == '\0'; p = nl < end ? nl + 1 : end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl == p)
			continue;
		if (k == nct) {
			ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_COUNT, "more "
			    "Chainlink shares than the %zu ciphertexts", nct);
			break;
		}
		ccc_err_clear(&e);
		if ((rc = ccc_vault_share_open(&nd->vds[k], p,
		    (size_t)(nl - p), in->box_sk, in->box_pk, in->pub->n,
		    &e)) != 0)
			ccc_nd_fail(nd, true, ccc_nd_read_cause(rc),
			    "share %zu: %s", k + 1, e.detail);
		else if (k > 0 && nd->vds[k].index != nd->vds[0].index)
			ccc_nd_fail(nd, true, CCC_CAUSE_UNDECODABLE,
			    "share %zu is of node %u, not %u", k + 1,
			    nd->vds[k].index, nd->vds[0].index);
		else
			nd->f.s.index = nd->vds[0].index;
		k++;
	}
	if (nd->why[0] == '\0' && k != nct)
		ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_COUNT, "its Chainlink "
		    "shares cover %zu ciphertexts, the input has %zu", k, nct);
	sodium_memzero(b.p, b.len);
	ccc_buf_free(&b);
	return 0;
}

/*
 * Open one node's sealed blob and open every share in it once; failures
 * only mark the node (a node with one bad share is not used at all).
 */
int
ccc_nd_load(struct node *nd, const struct ccc_tdh2_pub *pub,
    const uint8_t *sk, const uint8_t pk[32], const uint8_t *ctx,
    size_t ctx_len, size_t nct, bool digest, bool seq,
    const struct ccc_combine_mem *mem, struct ccc_err *err)
{
	const struct ccc_sealed *s = &nd->f.s;
	struct ccc_err e;
	int rc;

	ccc_err_clear(&e);
	if (sk == NULL) {
		ccc_nd_fail(nd, true, CCC_CAUSE_UNOPENABLE, "%s",
		    "a ccc sealed blob needs the recipient key (-i)");
		return 0;
	}
	if ((rc = mem != NULL ? ccc_sealed_file_open_mem(&nd->f, mem->p,
	    mem->len, seq ? pk : NULL, nd->file, &e) :
	    ccc_sealed_file_open_for(&nd->f, nd->file, seq ? pk : NULL,
	    &e)) != 0) {
		if (rc == CCC_E_IO) {
			*err = e;	/* an unreadable file: an I/O error */
			return rc;
		}
		ccc_nd_fail(nd, true, ccc_nd_read_cause(rc), "%s", e.detail);
		return 0;
	}
	if (digest) {
		if ((rc = ccc_sealed_file_digest(&nd->f, nd->digest,
		    err)) != 0) {
			ccc_err_what(err, nd->file);
			return rc;
		}
		nd->has_digest = true;
	}
	if (CRYPTO_memcmp(s->key_id, pub->key_id, 32) != 0)
		ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_KEY, "made with key %s, "
		    "not this public key", ccc_short_id(s->key_id));
	else if (s->epoch != pub->epoch)
		ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_EPOCH, "made at epoch "
		    "%llu, the key is at epoch %llu",
		    (unsigned long long)s->epoch,
		    (unsigned long long)pub->epoch);
	else if (s->index > pub->n)
		ccc_nd_fail(nd, true, CCC_CAUSE_UNKNOWN_NODE, "%s",
		    "node number beyond the key's n");
	/* The context the shares are bound to: the request, or us. */
	else if (s->context_len != ctx_len ||
	    CRYPTO_memcmp(s->context, ctx, ctx_len) != 0)
		ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_REQUEST, "%s", ctx == pk ?
		    "made for another request or recipient" :
		    "made for another request");
	else if (CRYPTO_memcmp(s->recipient, pk, 32) != 0)
		ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_RECIPIENT, "%s",
		    "sealed to another recipient");
	else if ((rc = ccc_sealed_file_check(&nd->f, sk, &e)) != 0) {
		if (rc == CCC_E_IO || rc == CCC_E_NOMEM) {
			*err = e;
			ccc_err_what(err, nd->file);
			return rc;
		}
		ccc_nd_fail(nd, true, ccc_nd_read_cause(rc), "%s", e.detail);
	} else if (s->count != nct + seq)
		ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_COUNT, "its shares cover "
		    "%u ciphertexts%s, the input has %zu", s->count - seq,
		    seq ? " and the coin" : "", nct);
	return 0;
}

