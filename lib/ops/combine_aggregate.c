/*
 * ccc-combine --aggregate: the nodes' shares of an aggregate -> the sums,
 * by a bounded discrete logarithm, in a result (ccc/agg-result/v1) that
 * carries the aggregate and the t shares used, for anyone to re-verify
 * (ccc-aggregate --verify).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aggregate.h"
#include "blob.h"
#include "bsgs.h"
#include "cli.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "schemas.h"

/* The cache directory: --cache, else $XDG_CACHE_HOME/ccc, ~/.cache/ccc. */
static const char *
cache_dir(const struct ccc_combine_opts *o, struct ccc_buf *b)
{
	const char *e;

	if (o->cache != NULL)
		return o->cache;
	if ((e = getenv("XDG_CACHE_HOME")) != NULL && *e == '/') {
		if (ccc_buf_printf(b, "%s/ccc", e) != 0)
			return NULL;
	} else if ((e = getenv("HOME")) != NULL && *e == '/') {
		/* ~/.cache first: the table's writer makes only its dir. */
		if (ccc_buf_printf(b, "%s/.cache", e) != 0 ||
		    ccc_buf_put(b, "", 1) != 0)
			return NULL;
		(void)mkdir((const char *)b->p, 0700);
		b->len--;
		if (ccc_buf_printf(b, "/ccc") != 0)
			return NULL;
	} else
		return NULL;
	if (ccc_buf_put(b, "", 1) != 0)
		return NULL;
	return (const char *)b->p;
}

int
ccc_combine_aggregate(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_buf ab, cb, out, arr, *sb = NULL;
	struct ccc_aggregate a;
	struct ccc_agg_share sh[CCC_TDH2_MAX_N];
	struct ccc_val v[ARES_NFIELDS];
	struct ccc_err e;
	EC_POINT *pts[CCC_ADD_MAX_VALUES] = { NULL };
	uint8_t sums[CCC_ADD_MAX_VALUES * 8];
	size_t from[CCC_TDH2_MAX_N];
	const char *dir;
	uint64_t m;
	size_t used = 0, i, j;
	int rc, b;
	bool dup;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&ab, 0);
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&out, 0);
	ccc_buf_init(&arr, 0);
	if ((sb = calloc((size_t)o->nsealed, sizeof(*sb))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		goto out;
	if ((rc = ccc_read_named(&ab, o->aggregate, CCC_AGG_BLOB_MAX, false,
	    err)) != 0)
		goto out;
	if ((rc = ccc_aggregate_decode(&a, ab.p, ab.len, 0, err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->aggregate, 0));
		goto out;
	}
	if (memcmp(a.key_id, pub.key_id, 32) != 0 || a.epoch != pub.epoch) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, "key_id",
		    "an aggregate under another key or epoch");
		ccc_err_what(err, ccc_io_name(o->aggregate, 0));
		goto out;
	}
	/* Every share file: a valid share of a node not yet used, or a
	 * warning naming the node; t of them are enough. */
	for (i = 0; i < (size_t)o->nsealed && used < pub.t; i++) {
		ccc_buf_init(&sb[i], 0);
		ccc_err_clear(&e);
		if ((rc = ccc_read_named(&sb[i], o->sealed[i],
		    CCC_AGG_SHARE_BLOB_MAX, false, err)) != 0)
			goto out;
		if ((rc = ccc_agg_share_decode(&sh[used], sb[i].p, sb[i].len, 0,
		    &e)) != 0) {
			ccc_cli_warn("%s: not a decryption share: %s",
			    o->sealed[i], e.detail);
			continue;
		}
		/* All for the request of the first good one. */
		if ((rc = ccc_agg_share_verify(ec, &pub, &a, &sh[used],
		    sh[0].request, &e)) != 0) {
			ccc_cli_warn("%s: node %u: invalid decryption share: "
			    "%s", o->sealed[i], sh[used].index, e.detail);
			continue;
		}
		for (dup = false, j = 0; j < used; j++)
			dup |= sh[j].index == sh[used].index;
		if (dup) {
			ccc_cli_warn("%s: node %u: a second share, not used",
			    o->sealed[i], sh[used].index);
			continue;
		}
		from[used++] = i;
	}
	if (used < pub.t) {
		rc = ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL,
		    "%zu valid shares, the key needs %u", used, pub.t);
		goto out;
	}
	for (j = 0; j < a.k; j++)
		if ((pts[j] = EC_POINT_new(ec->group)) == NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "combine");
			goto out;
		}
	if ((rc = ccc_aggregate_open(ec, &pub, &a, sh, used, pts, err)) != 0)
		goto out;
	dir = cache_dir(o, &cb);
	for (j = 0; j < a.k; j++) {
		if ((rc = ccc_bsgs_solve(ec, pts[j], ccc_aggregate_max(&a), dir,
		    &m, err)) != 0)
			goto out;
		for (b = 7; b >= 0; b--, m >>= 8)
			sums[8 * j + (size_t)b] = (uint8_t)m;
	}
	memset(v, 0, sizeof(v));
	ccc_val_bytes(&v[ARES_AGGREGATE], ab.p, ab.len);
	ccc_val_array(&v[ARES_SUMS], sums, 8 * (size_t)a.k, a.k);
	for (j = 0; j < used; j++)
		if ((rc = ccc_cbor_put_bstr(&arr, sb[from[j]].p,
		    sb[from[j]].len)) != 0) {
			rc = ccc_err_set(err, rc, -1, NULL, "result");
			goto out;
		}
	ccc_val_array(&v[ARES_SHARES], arr.p, arr.len, used);
	if ((rc = ccc_blob_encode(&out, &ccc_schema_agg_result, v)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "result");
		goto out;
	}
	rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) |
	    (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T), err);
out:
	for (j = 0; j < CCC_ADD_MAX_VALUES; j++)
		EC_POINT_free(pts[j]);
	for (i = 0; i < (size_t)o->nsealed; i++)
		ccc_buf_free(&sb[i]);
	free(sb);
	ccc_buf_free(&ab);
	ccc_buf_free(&cb);
	ccc_buf_free(&out);
	ccc_buf_free(&arr);
	ccc_tdh2_pub_free(&pub);
	return rc;
}
