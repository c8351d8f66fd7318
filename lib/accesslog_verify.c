/*
 * Verifying a node's access log (ccc-inspect -L): every entry well-formed,
 * numbered and chained, the last one the entry its head names.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "cbor.h"
#include "io.h"
#include "quorum.h"
#include "seq.h"

/*
 * Whether the entry p[0..n) (number seq) is vouched for by what follows
 * it: the next entry's prev (next[0..next_len), NULL if it is not an
 * item), or the head at the end of the log.  1 yes, 0 no, -1 cannot tell
 * (no head, or the next item does not decode).  When the chain breaks at
 * entry k, this tells an altered entry k-1 (entry k still vouched for)
 * from an altered entry k (not).
 */
static int
vouched(const uint8_t *p, size_t n, const uint8_t *next, size_t next_len,
    bool at_end, const char *head_path, uint64_t seq)
{
	struct ccc_val v[ACC_NFIELDS];
	struct ccc_access_head h;
	uint8_t d[32];

	crypto_hash_sha256(d, p, n);
	if (!at_end) {
		if (next == NULL || ccc_blob_decode(&ccc_schema_access, next,
		    next_len, v, 0, NULL) != 0)
			return -1;
		return memcmp(v[ACC_PREV].p, d, 32) == 0;
	}
	if (head_path == NULL || ccc_access_head_read(head_path, &h, NULL) != 0)
		return -1;
	return h.seq == seq && memcmp(h.hash, d, 32) == 0;
}

/* Whether the entry v (number seq, chain hash d) is what sh signed. */
static int
signed_check(const struct ccc_signed_head *sh, size_t nsh, uint64_t seq,
    const uint8_t d[32], const struct ccc_val *v, long long at,
    struct ccc_err *err)
{
	char a[9], b[9];
	size_t i;

	for (i = 0; i < nsh; i++) {
		if (sh[i].seq != seq)
			continue;
		if (memcmp(sh[i].hash, d, 32) != 0)
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "entry %llu is not the one %s signed (the log was "
			    "rewritten)", (unsigned long long)seq, sh[i].name);
		if (v[ACC_NODE].u != sh[i].node || v[ACC_EPOCH].u !=
		    sh[i].epoch || memcmp(v[ACC_KEY_ID].p, sh[i].key_id,
		    32) != 0) {
			sodium_bin2hex(a, sizeof(a), v[ACC_KEY_ID].p, 4);
			sodium_bin2hex(b, sizeof(b), sh[i].key_id, 4);
			return ccc_err_set(err, CCC_E_MALFORMED, at, NULL,
			    "entry %llu is of node %llu, epoch %llu, key %s; "
			    "%s signed node %u, epoch %llu, key %s",
			    (unsigned long long)seq,
			    (unsigned long long)v[ACC_NODE].u,
			    (unsigned long long)v[ACC_EPOCH].u,
			    a, sh[i].name, (unsigned)sh[i].node,
			    (unsigned long long)sh[i].epoch, b);
		}
	}
	return 0;
}

/* The last entry (number seq, hash d, request rid) against the head. */
static int
head_check(const char *head_path, uint64_t seq, const uint8_t d[32],
    const uint8_t rid[32], size_t len, struct ccc_err *err)
{
	struct ccc_access_head h;
	struct ccc_err herr;
	char a[17], b[17];
	int rc;

	ccc_err_clear(&herr);
	if ((rc = ccc_access_head_read(head_path, &h, &herr)) != 0) {
		/* To an auditor, a head that is none is a rejected input. */
		if (rc == CCC_E_STATE)
			rc = CCC_E_MALFORMED;
		return herr.what[0] != '\0' ? ccc_err_set(err, rc, -1, NULL,
		    "%s: %s", herr.what, herr.detail) : ccc_err_set(err, rc,
		    -1, NULL, "%s", herr.detail);
	}
	if (h.seq != seq || h.len != len || memcmp(h.hash, d, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "the log ends "
		    "at entry %llu, its head names entry %llu%s",
		    (unsigned long long)seq, (unsigned long long)h.seq,
		    h.seq == seq ? " with other contents (the last entry was "
		    "altered)" : "");
		/* The first entry where the log and its head part. */
		ccc_err_item(err, (long)(h.seq == seq ? seq :
		    (h.seq < seq ? h.seq : seq) + 1));
		return rc;
	}
	if (seq > 0 && memcmp(h.rid, rid, 32) != 0) {
		sodium_bin2hex(a, sizeof(a), h.rid, 8);
		sodium_bin2hex(b, sizeof(b), rid, 8);
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "its head "
		    "names entry %llu for request %s..., the entry is for "
		    "request %s...", (unsigned long long)seq, a, b);
		ccc_err_item(err, (long)seq);
		return rc;
	}
	return 0;
}

int
ccc_access_verify_signed(const char *log, const char *head_path,
    const struct ccc_signed_head *sh, size_t nsh, uint64_t *count,
    struct ccc_err *err)
{
	struct ccc_val v[ACC_NFIELDS];
	struct ccc_seq s;
	struct ccc_buf cur;
	struct ccc_err nerr;
	const uint8_t *np = NULL;
	uint8_t prev[32], rid[32];
	size_t nn = 0, i;
	long long at, nat = 0, prev_off = 0, end = 0;
	uint64_t seq = 0;
	int rc, nrc, vouch;

	memset(prev, 0, sizeof(prev));
	memset(rid, 0, sizeof(rid));
	/* A node that never served has neither file: an empty log. */
	if (nsh == 0 && access(log, F_OK) != 0 && errno == ENOENT &&
	    (head_path == NULL || (access(head_path, F_OK) != 0 &&
	    errno == ENOENT))) {
		*count = 0;
		return 0;
	}
	/*
	 * An entry at a time, the log may be larger than memory; each is
	 * kept while the one after it is read, which may vouch for it.  A
	 * per-entry cap, not the bytes left: a cut entry is truncated, not
	 * too large.
	 */
	if ((rc = ccc_seq_open(&s, log, CCC_BLOB_MAX, 0, err)) != 0) {
		ccc_err_what(err, log);
		return rc;
	}
	ccc_buf_init(&cur, 0);
	ccc_err_clear(&nerr);
	nrc = ccc_seq_next(&s, &np, &nn, &nat, &nerr);
	while (nrc == 1) {
		ccc_buf_reset(&cur);
		if (ccc_buf_put(&cur, np, nn) != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "access log");
			goto out;
		}
		at = nat;
		ccc_err_clear(&nerr);
		nrc = ccc_seq_next(&s, &np, &nn, &nat, &nerr);
		if ((rc = ccc_blob_decode(&ccc_schema_access, cur.p, cur.len,
		    v, at, err)) != 0) {
			ccc_err_item(err, (long)seq + 1);
			goto out;
		}
		if (v[ACC_SEQ].u != seq + 1) {
			rc = ccc_err_set(err, CCC_E_MALFORMED, at, "seq",
			    "entry numbered %llu, expected %llu (an entry was "
			    "removed or reordered)",
			    (unsigned long long)v[ACC_SEQ].u,
			    (unsigned long long)seq + 1);
			ccc_err_item(err, (long)seq + 1);
			goto out;
		}
		if (memcmp(v[ACC_PREV].p, prev, 32) != 0) {
			if (seq == 0)
				rc = ccc_err_set(err, CCC_E_MALFORMED, at,
				    "prev", "the first entry's prev is not "
				    "zero (it was altered)");
			else if ((vouch = vouched(cur.p, cur.len, nrc == 1 ?
			    np : NULL, nn, nrc == 0, head_path,
			    seq + 1)) == 1) {
				/* This entry is intact: the one before it
				 * is not what was hashed. */
				rc = ccc_err_set(err, CCC_E_MALFORMED,
				    prev_off, NULL, "entry %llu "
				    "was altered (entry %llu's prev is not its "
				    "hash)", (unsigned long long)seq,
				    (unsigned long long)seq + 1);
				ccc_err_item(err, (long)seq);
				goto out;
			} else
				rc = ccc_err_set(err, CCC_E_MALFORMED, at,
				    "prev", "prev is not the hash of entry "
				    "%llu (%s)", (unsigned long long)seq,
				    vouch == 0 ? "this entry was altered" :
				    "this entry or the one before was altered");
			ccc_err_item(err, (long)seq + 1);
			goto out;
		}
		crypto_hash_sha256(prev, cur.p, cur.len);
		memcpy(rid, v[ACC_REQUEST].p, 32);
		seq++;
		if ((rc = signed_check(sh, nsh, seq, prev, v, at, err)) != 0) {
			ccc_err_item(err, (long)seq);
			goto out;
		}
		prev_off = at;
		end = at + (long long)cur.len;
	}
	if (nrc < 0) {
		/* The item after entry seq is not an entry. */
		rc = nrc;
		if (err != NULL && err->code == 0)
			*err = nerr;
		ccc_err_item(err, (long)seq + 1);
		goto out;
	}
	for (i = 0; i < nsh; i++)
		if (sh[i].seq > seq) {
			rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "the "
			    "log ends at entry %llu, %s signed entry %llu (the "
			    "log was cut or rewritten)",
			    (unsigned long long)seq, sh[i].name,
			    (unsigned long long)sh[i].seq);
			ccc_err_item(err, (long)seq + 1);
			goto out;
		}
	if (head_path != NULL && (rc = head_check(head_path, seq, prev, rid,
	    (size_t)end, err)) != 0)
		goto out;
	*count = seq;
out:
	if (rc != 0)
		ccc_err_what(err, log);
	ccc_seq_close(&s);
	ccc_buf_free(&cur);
	return rc;
}

int
ccc_access_verify(const char *log, const char *head_path, uint64_t *count,
    struct ccc_err *err)
{
	return ccc_access_verify_signed(log, head_path, NULL, 0, count, err);
}
