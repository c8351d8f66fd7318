/*
 * ccc-inspect -R: which subscriber read which item of a data feed, and
 * when, from the decryption nodes' access logs (each verified as -L
 * verifies it) and the provider's certified subscriber rosters and
 * published records (lib/feed.h), verified under its roster.
 *
 * A read is one request: every node that served it logged it, with the
 * SHA-256 of each ciphertext (the item) and of the key its output was
 * sealed to (the subscriber).  One line per request and item, in the
 * order of the earliest node's time, with the nodes that served it:
 *
 *   TIME WHO read APP item ITEM published PTIME (request RID, nodes N ...)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "accesslog.h"
#include "cbor.h"
#include "feed.h"
#include "io.h"
#include "ops.h"
#include "schemas.h"
#include "seq.h"

struct entry {
	uint8_t rid[32];
	uint64_t time;
	uint32_t node;
	bool has_out;
	uint8_t out[32];
	char app[4 * CCC_APP_ID_MAX + 1];	/* escaped (ccc_vis) */
	size_t nct;
	uint8_t *cts;		/* nct digests of 32 bytes */
};

struct reads {
	struct ccc_roster provider;
	struct ccc_subscribers *subs;
	size_t nsubs;
	struct ccc_published *pub;
	size_t npub;
	struct entry *e;
	size_t ne;
};

static void
reads_free(struct reads *r)
{
	size_t i;

	ccc_roster_free(&r->provider);
	for (i = 0; i < r->nsubs; i++)
		ccc_feed_subscribers_free(&r->subs[i]);
	free(r->subs);
	free(r->pub);
	for (i = 0; i < r->ne; i++)
		free(r->e[i].cts);
	free(r->e);
}

/* Append one element of size sz to *arr (of *n). */
static void *
grow(void *arrp, size_t *n, size_t sz)
{
	void **arr = arrp;
	void *p;

	if ((p = realloc(*arr, (*n + 1) * sz)) == NULL)
		return NULL;
	*arr = p;
	memset((uint8_t *)p + *n * sz, 0, sz);
	return (uint8_t *)p + (*n)++ * sz;
}

/* The provider's certificates in path: subscriber rosters, records. */
static int
read_certs(struct reads *r, const char *path, uint64_t now,
    struct ccc_err *err)
{
	static const struct ccc_schema *const want[] = {
	    &ccc_schema_published, &ccc_schema_subscribers, NULL };
	const struct ccc_schema *type;
	struct ccc_seq s;
	const uint8_t *p, *blob;
	size_t len, blen;
	long long at;
	void *slot;
	int rc;

	if ((rc = ccc_seq_open(&s, path, CCC_BLOB_MAX, 0, err)) != 0)
		return rc;
	while ((rc = ccc_seq_next(&s, &p, &len, &at, err)) == 1) {
		if ((rc = ccc_feed_cert_open(&r->provider, p, len, now, want,
		    &blob, &blen, &type, err)) != 0)
			break;
		if (type == &ccc_schema_subscribers)
			slot = grow(&r->subs, &r->nsubs, sizeof(*r->subs));
		else
			slot = grow(&r->pub, &r->npub, sizeof(*r->pub));
		if (slot == NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "reads");
			break;
		}
		if ((rc = type == &ccc_schema_subscribers ?
		    ccc_feed_subscribers_load(slot, blob, blen, err) :
		    ccc_feed_published_load(slot, blob, blen, err)) != 0)
			break;
	}
	if (rc < 0) {
		ccc_err_item(err, s.item);
		ccc_err_what(err, path);
	}
	ccc_seq_close(&s);
	return rc < 0 ? rc : 0;
}

/* One entry kept (ccc_accesslog_each's callback). */
static int
keep_entry(const struct ccc_val *v, void *ctx, struct ccc_err *err)
{
	struct reads *r = ctx;
	struct entry *e;

	if ((e = grow(&r->e, &r->ne, sizeof(*r->e))) == NULL ||
	    (e->cts = malloc(v[ACC_CTS].count * 32)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "reads");
	memcpy(e->rid, v[ACC_REQUEST].p, 32);
	e->time = v[ACC_TIME].u;
	e->node = (uint32_t)v[ACC_NODE].u;
	/* A node's text reaches the terminal only escaped. */
	ccc_vis(e->app, sizeof(e->app), (const char *)v[ACC_APP].p,
	    v[ACC_APP].n, CCC_VIS_SLASH);
	if ((e->has_out = v[ACC_OUTPUT_TO].present))
		memcpy(e->out, v[ACC_OUTPUT_TO].p, 32);
	for (e->nct = 0; e->nct < v[ACC_CTS].count; e->nct++)
		memcpy(e->cts + 32 * e->nct, ccc_val_elem(&v[ACC_CTS], 32,
		    e->nct), 32);
	return 0;
}

/* A node's state directory: its log verified, then its entries kept. */
static int
read_log(struct reads *r, const char *dir, struct ccc_err *err)
{
	char *log = NULL, *head = NULL;
	uint64_t count;
	int rc;

	if (asprintf(&log, "%s/access.log", dir) < 0 ||
	    asprintf(&head, "%s/access.head", dir) < 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "log");
		goto out;
	}
	if ((rc = ccc_access_verify(log, head, &count, err)) == 0 &&
	    count > 0)
		rc = ccc_accesslog_each(log, keep_entry, r, err);
out:
	if (rc != 0 && err != NULL && strcmp(err->what, log) == 0)
		(void)ccc_err_rename(err, dir);
	free(log);
	free(head);
	return rc;
}

/* Entries by request, then node. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if ((c = memcmp(x->rid, y->rid, 32)) != 0)
		return c;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* A request's entries: the earliest, and every node's number. */
struct read {
	const struct entry *first;
	char nodes[4 * 255 + 1];
};

static int
read_cmp(const void *a, const void *b)
{
	const struct read *x = a, *y = b;

	if (x->first->time != y->first->time)
		return x->first->time < y->first->time ? -1 : 1;
	return memcmp(x->first->rid, y->first->rid, 32);
}

/* Who a read's output was sealed to. */
static const char *
who(const struct reads *r, const struct entry *e, char *buf, size_t len)
{
	const struct ccc_named_key *s;
	char hex[17];
	size_t i;

	if (!e->has_out)
		return "an unsealed output";
	for (i = 0; i < r->nsubs; i++)
		if (strcmp(r->subs[i].feed, e->app) == 0 &&
		    (s = ccc_feed_subscriber_by_digest(&r->subs[i],
		    e->out)) != NULL)
			return s->name;
	sodium_bin2hex(hex, sizeof(hex), e->out, 8);
	snprintf(buf, len, "key:%s", hex);
	return buf;
}

static void
print_read(const struct reads *r, const struct read *rd)
{
	const struct entry *e = rd->first;
	const struct ccc_published *pb;
	char t[CCC_UTC_LEN], pt[CCC_UTC_LEN], name[32], item[17], rid[17];
	size_t i, j;

	sodium_bin2hex(rid, sizeof(rid), e->rid, 8);
	for (i = 0; i < e->nct; i++) {
		sodium_bin2hex(item, sizeof(item), e->cts + 32 * i, 8);
		for (j = 0, pb = NULL; j < r->npub && pb == NULL; j++)
			if (strcmp(r->pub[j].feed, e->app) == 0 &&
			    memcmp(r->pub[j].item, e->cts + 32 * i, 32) == 0)
				pb = &r->pub[j];
		printf("%s %s read %s item %s %s%s (request %s, nodes %s)\n",
		    ccc_utc(t, e->time), who(r, e, name, sizeof(name)), e->app,
		    item, pb != NULL ? "published " : "not published",
		    pb != NULL ? ccc_utc(pt, pb->time) : "", rid, rd->nodes);
	}
}

int
ccc_inspect_reads(const struct ccc_inspect_opts *o, struct ccc_err *err)
{
	struct reads r;
	struct read *rd = NULL;
	struct stat st;
	size_t i, j, nrd = 0, off;
	int k, rc;

	memset(&r, 0, sizeof(r));
	if ((rc = ccc_roster_read(&r.provider, o->reads, err)) != 0)
		goto out;
	for (k = 0; k < o->nfiles && rc == 0; k++)
		rc = stat(o->files[k], &st) == 0 && S_ISDIR(st.st_mode) ?
		    read_log(&r, o->files[k], err) :
		    read_certs(&r, o->files[k], o->now, err);
	if (rc != 0)
		goto out;
	if (r.ne > 0 && (rd = calloc(r.ne, sizeof(*rd))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "reads");
		goto out;
	}
	qsort(r.e, r.ne, sizeof(*r.e), entry_cmp);
	for (i = 0; i < r.ne; i = j) {
		rd[nrd].first = &r.e[i];
		for (j = i, off = 0; j < r.ne && memcmp(r.e[j].rid, r.e[i].rid,
		    32) == 0; j++) {
			if (r.e[j].time < rd[nrd].first->time)
				rd[nrd].first = &r.e[j];
			if (off < sizeof(rd[nrd].nodes))
				off += (size_t)snprintf(rd[nrd].nodes + off,
				    sizeof(rd[nrd].nodes) - off, "%s%u",
				    off ? " " : "", (unsigned)r.e[j].node);
		}
		nrd++;
	}
	qsort(rd, nrd, sizeof(*rd), read_cmp);
	for (i = 0; i < nrd; i++)
		print_read(&r, &rd[i]);
out:
	free(rd);
	reads_free(&r);
	return rc;
}
