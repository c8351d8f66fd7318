/*
 * An access log larger than its reader may hold in memory: every reader of
 * the log (the auditor's verification, the walk behind ccc-inspect -R and
 * the level-4 record of used inputs, the crash path's lookup of a request)
 * reads it an entry at a time, so a node whose log has outgrown the
 * memory it may use, or 2 GiB, still verifies, finds and rebuilds from it.
 *
 * The log here is 12 entries of 100,000 ciphertext digests each (about
 * 41 MB), read under an RLIMIT_DATA of 32 MiB.  The sanitizers reserve
 * more than that for themselves, so under them the test only says so.
 */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "accesslog.h"
#include "io.h"
#include "tap.h"

#define ENTRIES 12
#define NCT 100000
#define LIMIT (32UL << 20)

static char dir[] = "/tmp/ccc-test-logstream-XXXXXX";

/* Request id i: 32 bytes of i. */
static void
rid_of(uint8_t rid[32], int i)
{
	memset(rid, i, 32);
}

/* The log: ENTRIES entries of NCT digests; entry 3 an aggregate's. */
static void
make_log(void)
{
	struct ccc_access_entry e;
	struct ccc_accesslog st;
	struct ccc_err err;
	char path[96];
	uint8_t *d;
	int fd, i, rc = 0;

	snprintf(path, sizeof(path), "%s/digests", dir);
	if ((d = malloc((size_t)NCT * 32)) == NULL ||
	    (fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600)) < 0)
		abort();
	randombytes_buf(d, (size_t)NCT * 32);
	if (ccc_write_full(fd, d, (size_t)NCT * 32) != 0)
		abort();
	free(d);
	snprintf(path, sizeof(path), "%s/state", dir);
	ccc_err_clear(&err);
	if (ccc_accesslog_open(&st, path, &err) != 0)
		abort();
	memset(&e, 0, sizeof(e));
	e.app = "demo";
	e.app_len = 4;
	e.ct_digests_fd = fd;
	e.nct = NCT;
	e.node = 1;
	e.epoch = 1;
	for (i = 1; i <= ENTRIES && rc == 0; i++) {
		e.time = 1000 + (uint64_t)i;
		rid_of(e.request_id, i);
		e.has_aggregate = i == 3;
		memset(e.aggregate, 0xaa, 32);
		rc = ccc_accesslog_append(&st, &e, 5000, &err);
	}
	ok(rc == 0, "%d entries of %d digests appended (%s)", ENTRIES, NCT,
	    rc == 0 ? "ok" : err.detail);
	ccc_accesslog_close(&st);
	close(fd);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

/* ccc_accesslog_each's count of entries, and the last one's seq. */
struct walk {
	int n;
	uint64_t last;
};

static int
count_each(const struct ccc_val *v, void *ctx, struct ccc_err *err)
{
	struct walk *w = ctx;

	(void)err;
	w->n++;
	w->last = v[ACC_SEQ].u;
	return 0;
}

int
main(void)
{
	struct ccc_accesslog st;
	struct ccc_err err;
	struct ccc_buf used;
	struct rlimit rl;
	struct walk w = { 0, 0 };
	struct stat sb;
	char log[128], head[128], state[64];
	uint8_t rid[32], sealed[32];
	uint64_t count = 0;
	bool found = false;
	void *big;
	int rc;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		abort();
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	printf("ok 1 # SKIP the sanitizers reserve more than the %lu MiB "
	    "limit\n1..1\n", LIMIT >> 20);
	rmdir(dir);
	return 0;
#endif
	make_log();
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(log, sizeof(log), "%s/access.log", state);
	snprintf(head, sizeof(head), "%s/access.head", state);
	if (stat(log, &sb) != 0)
		sb.st_size = 0;
	ok(sb.st_size > (off_t)LIMIT,
	    "the log (%lld bytes) is larger than the limit",
	    (long long)sb.st_size);

	rl.rlim_cur = rl.rlim_max = LIMIT;
	ok(setrlimit(RLIMIT_DATA, &rl) == 0, "RLIMIT_DATA %lu MiB",
	    LIMIT >> 20);
	big = malloc((size_t)sb.st_size);
	ok(big == NULL, "the whole log no longer fits in memory");
	free(big);

	ccc_err_clear(&err);
	rc = ccc_access_verify(log, head, &count, &err);
	ok(rc == 0 && count == ENTRIES, "verified: %llu entries (%s)",
	    (unsigned long long)count, rc == 0 ? "ok" : err.detail);

	ccc_err_clear(&err);
	rc = ccc_accesslog_each(log, count_each, &w, &err);
	ok(rc == 0 && w.n == ENTRIES && w.last == ENTRIES,
	    "walked: %d entries, the last numbered %llu (%s)", w.n,
	    (unsigned long long)w.last, rc == 0 ? "ok" : err.detail);

	ccc_err_clear(&err);
	ccc_buf_init(&used, 0);
	if (ccc_accesslog_open(&st, state, &err) != 0)
		abort();
	rid_of(rid, 11);
	rc = ccc_accesslog_find(&st, rid, &found, sealed, &err);
	ok(rc == 0 && found, "entry 11's request found (%s)",
	    rc == 0 ? "ok" : err.detail);
	rc = ccc_accesslog_used_inputs(&st, &used, &err);
	ok(rc == 0 && used.len == (size_t)NCT * 64,
	    "the used inputs rebuilt: %zu bytes (%s)", used.len,
	    rc == 0 ? "ok" : err.detail);
	ccc_buf_free(&used);
	ccc_accesslog_close(&st);
	(void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
