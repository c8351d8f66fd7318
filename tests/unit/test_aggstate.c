/*
 * A node's record of used inputs (lib/aggstate.c) and the access log it is
 * rebuilt from (lib/accesslog.c): an input is known by its digest and by
 * the digest of its values, so the same ciphertexts in another blob (an
 * input stripped of its sum proof) are refused in a second aggregate;
 * the log entry of a level-4 release carries both (field 14, values), its
 * boundaries are still found with the field, and a record rebuilt from
 * the log refuses what the lost one did.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "aggstate.h"
#include "cbor.h"
#include "io.h"
#include "schemas.h"
#include "tap.h"

static char dir[] = "/tmp/ccc-test-aggstate-XXXXXX";

/* Three inputs: digests d[i], values digests w[i]. */
static uint8_t d[3][32], w[3][32];

static void
rm_rf(const char *p)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
	if (system(cmd) != 0)
		abort();
}

/* Release aggregate agg (blob "agg" || tag) of inputs idx[0..n-1]. */
static int
release(const char *rec, uint8_t tag, const int *idx, size_t n, size_t *bad,
    struct ccc_err *err)
{
	uint8_t in[3][32], val[3][32], agg[32], blob[4] = { 'a', 'g', 'g' };
	size_t i;

	blob[3] = tag;
	crypto_hash_sha256(agg, blob, sizeof(blob));
	for (i = 0; i < n; i++) {
		memcpy(in[i], d[idx[i]], 32);
		memcpy(val[i], w[idx[i]], 32);
	}
	return ccc_aggstate_release(rec, agg, blob, sizeof(blob), in[0], 32,
	    val[0], n, bad, err);
}

/* Log the release of aggregate "agg" || tag over inputs 0 and 1. */
static int
log_release(struct ccc_accesslog *st, uint8_t tag, bool with_values)
{
	struct ccc_access_entry e;
	uint8_t blob[4] = { 'a', 'g', 'g' }, vals[2][32];
	int fd = -1, rc;

	blob[3] = tag;
	memset(&e, 0, sizeof(e));
	e.time = 1000;
	randombytes_buf(e.request_id, 32);
	e.app = "pool";
	e.app_len = 4;
	e.nct = 2;
	e.node = 1;
	e.has_aggregate = true;
	crypto_hash_sha256(e.aggregate, blob, sizeof(blob));
	memcpy(vals[0], w[0], 32);
	memcpy(vals[1], w[1], 32);
	e.values = with_values ? vals[0] : NULL;
	if (ccc_tmpfile(&fd, NULL) != 0 || ccc_write_full(fd, d[0], 32) != 0 ||
	    ccc_write_full(fd, d[1], 32) != 0)
		return -1;
	e.ct_digests_fd = fd;
	rc = ccc_accesslog_bucket(st, 2000, NULL) == 0 &&
	    ccc_accesslog_append(st, &e, 2000, NULL) == 0 ? 0 : -1;
	close(fd);
	return rc;
}

int
main(void)
{
	struct ccc_accesslog st = { NULL, -1 };
	struct ccc_val v[ACC_NFIELDS];
	struct ccc_buf recs, lb;
	struct ccc_err err;
	char rec[sizeof(dir) + 16], log[sizeof(dir) + 16];
	uint8_t agg0[32], blob0[4] = { 'a', 'g', 'g', 0 };
	const int all[] = { 0, 1, 2 }, most[] = { 1, 2 };
	size_t bad;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 99;
	snprintf(rec, sizeof(rec), "%s/rec", dir);
	snprintf(log, sizeof(log), "%s/access.log", dir);
	crypto_hash_sha256(agg0, blob0, sizeof(blob0));
	randombytes_buf(d, sizeof(d));
	randombytes_buf(w, sizeof(w));
	ccc_buf_init(&recs, 0);
	ccc_buf_init(&lb, 0);

	/* The record: all, then the same again, then all but one. */
	ok(release(rec, 0, all, 3, &bad, NULL) == 0, "all released");
	ok(release(rec, 0, all, 3, &bad, NULL) == 0, "the same again");
	ok(release(rec, 1, most, 2, &bad, NULL) == CCC_E_REPLAY && bad == 0,
	    "all but one refused");
	/* Input 1 re-encoded: another digest, the same values. */
	d[1][0] ^= 1;
	ccc_err_clear(&err);
	ok(release(rec, 1, most, 2, &bad, &err) == CCC_E_REPLAY && bad == 0,
	    "all but one, re-encoded, refused by its values");
	ok(strncmp(err.detail, "already released in aggregate ", 30) == 0,
	    "why: %s", err.detail);
	d[1][0] ^= 1;
	rm_rf(rec);

	/* The access log: an entry of level 4 with its inputs' values. */
	ok(ccc_accesslog_open(&st, dir, NULL) == 0 &&
	    ccc_accesslog_check(&st, 1000, NULL) == 0, "state opened");
	ok(log_release(&st, 0, false) == 0, "an entry without values");
	ok(log_release(&st, 0, true) == 0, "an entry with values");
	ok(ccc_accesslog_check(&st, 1000, NULL) == 0,
	    "the log matches its head");
	ok(ccc_read_file(&lb, log, 1 << 20, NULL) == 0, "log read");
	ok(ccc_accesslog_used_inputs(&st, &recs, NULL) == 0, "records");
	ok_eq_int(recs.len, 64 * (2 + 4), "records: 2 digests, then 2 "
	    "digests and 2 values");
	ok(recs.len == 6 * 64 && memcmp(recs.p + 64 * 2, d[0], 32) == 0 &&
	    memcmp(recs.p + 64 * 4, w[0], 32) == 0 &&
	    memcmp(recs.p + 64 * 5, w[1], 32) == 0 &&
	    memcmp(recs.p + 64 * 5 + 32, agg0, 32) == 0,
	    "the second entry's digests, then its values");
	/* Its fields: values as key 14, in the order of the digests. */
	{
		size_t off = 0, ilen = 0;
		int n = 0;

		while (off < lb.len && ccc_cbor_check(lb.p + off, lb.len - off,
		    CCC_CBOR_STRICT, lb.len - off, &ilen, 0, NULL) == 0) {
			ok(ccc_blob_decode(&ccc_schema_access, lb.p + off, ilen,
			    v, 0, NULL) == 0, "entry %d decodes", n + 1);
			ok(v[ACC_VALUES].present == (n == 1) &&
			    (n == 0 || (v[ACC_VALUES].count == 2 &&
			    memcmp(ccc_val_elem(&v[ACC_VALUES], 32, 1), w[1],
			    32) == 0)), "entry %d: values %s", n + 1,
			    n == 1 ? "present" : "absent");
			off += ilen;
			n++;
		}
		ok(n == 2 && off == lb.len, "two entries");
	}
	/* The record lost, rebuilt from the log: the values refuse too. */
	ok(ccc_aggstate_missing(rec) &&
	    ccc_aggstate_rebuild(rec, &recs, NULL) == 0, "record rebuilt");
	d[1][0] ^= 1;
	ok(release(rec, 1, most, 2, &bad, NULL) == CCC_E_REPLAY && bad == 0,
	    "a re-encoded input refused by the rebuilt record");
	d[1][0] ^= 1;
	ok(release(rec, 0, all, 3, &bad, NULL) == 0,
	    "the logged aggregate again, with a new input");
	ccc_accesslog_close(&st);
	ccc_buf_free(&recs);
	ccc_buf_free(&lb);
	rm_rf(dir);
	return tap_done();
}
