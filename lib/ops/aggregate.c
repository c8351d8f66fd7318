/*
 * ccc-aggregate: additive inputs (or contributions of them) -> their
 * aggregate; a decryption node's share of an aggregate (--share); the
 * re-verification of a published result from the public key and the
 * inputs (--verify).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agg.h"
#include "aggregate.h"
#include "aggrequest.h"
#include "blob.h"
#include "contribution.h"
#include "contributors.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "schemas.h"
#include "seq.h"

/*
 * The inputs of every file, decoded, and where each came from: an
 * additive input, or one inside a contribution (its signer's).
 */
struct inputs {
	struct ccc_buf arena;	/* every item, back to back */
	struct ccc_additive *in;
	size_t n;
	struct origin {
		size_t off, len;
		int file;
		long item;
		bool contrib;
		struct ccc_contribution c;	/* views into the arena */
	} *org;
	char **names;
};

static void
inputs_free(struct inputs *s)
{
	ccc_buf_free(&s->arena);
	free(s->in);
	free(s->org);
}

/* Name the input of origin g in err. */
static void
origin_blame(const struct inputs *s, const struct origin *g,
    struct ccc_err *err)
{
	ccc_err_item(err, g->item);
	ccc_err_what(err, ccc_io_name(s->names[g->file], 0));
}

/* Name the input at fault (sorted index i) in err. */
static void
inputs_blame(const struct inputs *s, size_t i, struct ccc_err *err)
{
	if (i < s->n)
		origin_blame(s, &s->org[s->in[i].tag], err);
}

/* Decode input i: an additive input, or a contribution of one. */
static int
input_decode(struct inputs *s, size_t i, struct ccc_err *err)
{
	struct origin *g = &s->org[i];
	const uint8_t *p = s->arena.p + g->off;
	size_t len = g->len;
	int rc;

	g->contrib = ccc_blob_peek_type(p, len) == &ccc_schema_contribution;
	if (g->contrib) {
		if ((rc = ccc_contribution_decode(&g->c, p, len, 0, err)) != 0)
			return rc;
		p = g->c.input;
		len = g->c.input_len;
	}
	return ccc_additive_decode(&s->in[i], p, len, 0, err);
}

static int
inputs_load(struct inputs *s, char **files, int nfiles, struct ccc_err *err)
{
	struct ccc_seq seq;
	const uint8_t *p;
	size_t len, cap = 0, i;
	long long at;
	struct origin *g;
	int f, rc = 0;

	memset(s, 0, sizeof(*s));
	ccc_buf_init(&s->arena, 0);
	s->names = files;
	for (f = 0; f < nfiles; f++) {
		if ((rc = ccc_seq_open(&seq, files[f], CCC_CONTRIBUTION_MAX, 0,
		    err)) != 0)
			return rc;
		while ((rc = ccc_seq_next(&seq, &p, &len, &at, err)) == 1) {
			if (s->n == CCC_AGG_MAX_INPUTS) {
				rc = ccc_err_set(err, CCC_E_TOOBIG, at, NULL,
				    "more than %lu inputs (an aggregate has at "
				    "most that many)", CCC_AGG_MAX_INPUTS);
				ccc_err_item(err, seq.item);
				ccc_err_what(err, files[f]);
				break;
			}
			if (s->n == cap) {
				cap = cap ? 2 * cap : 64;
				if ((g = realloc(s->org, cap *
				    sizeof(*g))) == NULL) {
					rc = CCC_E_NOMEM;
					break;
				}
				s->org = g;
			}
			g = &s->org[s->n++];
			memset(g, 0, sizeof(*g));
			g->off = s->arena.len;
			g->len = len;
			g->file = f;
			g->item = seq.item;
			if ((rc = ccc_buf_put(&s->arena, p, len)) != 0)
				break;
		}
		ccc_seq_close(&seq);
		if (rc == CCC_E_NOMEM)
			return ccc_err_set(err, rc, -1, NULL, "inputs");
		if (rc < 0)
			return rc;
	}
	if (s->n == 0)
		return ccc_err_set(err, CCC_E_FIELD, -1, "inputs",
		    "no additive inputs");
	if ((s->in = calloc(s->n, sizeof(*s->in))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
	for (i = 0; i < s->n; i++) {
		if ((rc = input_decode(s, i, err)) != 0) {
			origin_blame(s, &s->org[i], err);
			return rc;
		}
		s->in[i].tag = i;
	}
	return 0;
}

static int
by_key(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/*
 * The contributions among the inputs: with a contributor list, every
 * input must be one, by a listed key, checked before its signature and
 * before any proof, so that inputs from outside the list cost a node
 * nothing; every contribution's signature verified.  *distinct: how many
 * contributors, each counted once however many inputs it signed.
 */
static int
inputs_contributors(const struct inputs *s,
    const struct ccc_contributors *list, size_t *distinct,
    struct ccc_err *err)
{
	const struct origin *g = NULL;
	uint8_t (*pk)[32];
	char hex[17];
	size_t i, n = 0;
	int rc = 0;

	*distinct = 0;
	if ((pk = malloc(s->n * sizeof(*pk))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
	for (i = 0; i < s->n && rc == 0; i++) {
		g = &s->org[i];
		if (!g->contrib && list != NULL)
			rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL, "not a "
			    "contribution (%s): only contributors of app "
			    "\"%s\" count", ccc_schema_contribution.type,
			    list->app);
		else if (!g->contrib)
			continue;
		else if (list != NULL &&
		    ccc_contributors_find(list, g->c.pk) == NULL) {
			sodium_bin2hex(hex, sizeof(hex), g->c.pk, 8);
			rc = ccc_err_set(err, CCC_E_POLICY, -1, NULL,
			    "signed by %s..., not a contributor of app "
			    "\"%s\"", hex, list->app);
		} else if ((rc = ccc_contribution_verify(&g->c, err)) == 0)
			memcpy(pk[n++], g->c.pk, 32);
	}
	if (rc != 0)
		origin_blame(s, g, err);
	else if (n > 0) {
		qsort(pk, n, 32, by_key);
		for (*distinct = 1, i = 1; i < n; i++)
			*distinct += memcmp(pk[i - 1], pk[i], 32) != 0;
	}
	free(pk);
	return rc;
}

/*
 * Load the key (unless pub holds it) and the inputs, and check their
 * contributions (against list, if any; *distinct their contributors).
 */
static int
load(struct ccc_tdh2_pub *pub, struct inputs *s,
    const struct ccc_aggregate_opts *o, const struct ccc_contributors *list,
    size_t *distinct, struct ccc_err *err)
{
	int rc;

	if ((pub->n == 0 && (rc = ccc_op_read_tpk(pub, o->tpk, err)) != 0) ||
	    (rc = inputs_load(s, o->inputs, o->ninputs, err)) != 0)
		return rc;
	return inputs_contributors(s, list, distinct, err);
}

/*
 * Check the loaded inputs and aggregate them into agg (the label of o,
 * if any, required): their proofs verified.
 */
static int
aggregate(const struct ccc_tdh2_pub *pub, struct inputs *s,
    struct ccc_buf *agg, const struct ccc_aggregate_opts *o,
    struct ccc_err *err)
{
	char cbuf[CCC_CONTEXT_MAX + 1];
	const char *context;
	size_t bad;
	int rc;

	if ((rc = ccc_op_label_context(&context, cbuf, sizeof(cbuf),
	    &o->label, err)) != 0)
		return rc;
	if ((rc = ccc_aggregate_build(ccc_ec_default(), pub, s->in, s->n,
	    context, context ? strlen(context) : 0, o->jobs, agg, &bad,
	    err)) != 0)
		inputs_blame(s, bad, err);
	return rc;
}

/* Load, check and aggregate the inputs (anyone's). */
static int
build(struct ccc_tdh2_pub *pub, struct inputs *s, struct ccc_buf *agg,
    const struct ccc_aggregate_opts *o, struct ccc_err *err)
{
	size_t distinct;
	int rc;

	if ((rc = load(pub, s, o, NULL, &distinct, err)) != 0)
		return rc;
	return aggregate(pub, s, agg, o, err);
}

static int
write_out(const struct ccc_aggregate_opts *o, const struct ccc_buf *b,
    struct ccc_err *err)
{
	return ccc_write_file(o->out, b->p, b->len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) |
	    (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T), err);
}

int
ccc_aggregate_run(const struct ccc_aggregate_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct inputs s;
	struct ccc_buf agg;
	int rc;

	memset(&pub, 0, sizeof(pub));
	memset(&s, 0, sizeof(s));
	ccc_buf_init(&agg, 0);
	if ((rc = build(&pub, &s, &agg, o, err)) == 0)
		rc = write_out(o, &agg, err);
	inputs_free(&s);
	ccc_buf_free(&agg);
	ccc_tdh2_pub_free(&pub);
	return rc;
}

/* Read and decode an aggregate file into b and a. */
static int
read_aggregate(struct ccc_buf *b, struct ccc_aggregate *a, const char *path,
    struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_read_named(b, path, CCC_AGG_BLOB_MAX, false,
	    err)) == 0 &&
	    (rc = ccc_aggregate_decode(a, b->p, b->len, 0, err)) != 0)
		ccc_err_what(err, ccc_io_name(path, 0));
	return rc;
}

int
ccc_aggregate_share_run(const struct ccc_aggregate_opts *o,
    struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	BIGNUM *x = NULL;
	struct inputs s;
	struct ccc_buf asked, agg, cb;
	struct ccc_aggregate a;
	struct ccc_agg_request ar;
	struct ccc_contributors list;
	uint8_t *values = NULL;
	size_t bad, i, distinct;
	int rc;

	memset(&pub, 0, sizeof(pub));
	memset(&s, 0, sizeof(s));
	memset(&list, 0, sizeof(list));
	ccc_buf_init(&asked, 0);
	ccc_buf_init(&agg, 0);
	ccc_buf_init(&cb, 0);
	if ((rc = ccc_node_keys_load(&pub, &sh, &x, o->tpk, o->share,
	    err)) != 0)
		goto out;
	/*
	 * Each node keeps its own record of used inputs: two disjoint sets
	 * of t nodes (n >= 2t) could release "all" and "all but one".  With
	 * t > n/2 any two sets share a node, which refuses the second.
	 */
	if (2 * pub.t <= pub.n) {
		rc = ccc_err_set(err, CCC_E_STATE, -1, NULL, "a %u-of-%u key: "
		    "level 4 needs t > n/2, so that any two sets of t nodes "
		    "share one that refuses an input twice", pub.t, pub.n);
		ccc_err_what(err, ccc_io_name(o->tpk, 0));
		goto out;
	}
	if ((rc = read_aggregate(&asked, &a, o->aggregate, err)) != 0)
		goto out;
	/* The certified request first: nothing is verified for nobody. */
	if ((rc = ccc_aggregate_request_load(o, &pub, &a, &cb, &ar,
	    err)) != 0)
		goto out;
	/*
	 * Then who contributed, before any proof: with a contributor list,
	 * only its keys' contributions, and a floor of contributors.
	 */
	if (o->contributors != NULL &&
	    (rc = ccc_aggregate_contributors_load(o, &ar, &list, err)) != 0)
		goto out;
	if ((rc = load(&pub, &s, o, o->contributors != NULL ? &list : NULL,
	    &distinct, err)) != 0)
		goto out;
	if (o->contributors != NULL && distinct < o->min) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "inputs",
		    "%zu contributor%s, fewer than the floor of %" PRIu64,
		    distinct, distinct == 1 ? "" : "s", o->min);
		ccc_err_what(err, ccc_io_name(o->aggregate, 0));
		goto out;
	}
	/* The aggregate is what its inputs make, nothing else. */
	if ((rc = aggregate(&pub, &s, &agg, o, err)) != 0)
		goto out;
	if (agg.len != asked.len || memcmp(agg.p, asked.p, agg.len) != 0) {
		rc = ccc_err_set(err, CCC_E_FIELD, -1, "aggregate",
		    "does not match its inputs");
		ccc_err_what(err, ccc_io_name(o->aggregate, 0));
		goto out;
	}
	if (o->contributors == NULL && a.n < o->min) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "inputs",
		    "%zu inputs, fewer than the floor of %" PRIu64, a.n,
		    o->min);
		ccc_err_what(err, ccc_io_name(o->aggregate, 0));
		goto out;
	}
	/* Each input's values digest, in the aggregate's (digest) order. */
	if ((values = malloc(32 * s.n)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
		goto out;
	}
	for (i = 0; i < s.n; i++)
		memcpy(values + 32 * i, s.in[i].values, 32);
	if ((rc = ccc_aggregate_release(o, &pub, sh->index, x, &a, &asked,
	    values, &ar, &bad, err)) != 0)
		inputs_blame(&s, bad, err);
out:
	free(values);
	ccc_contributors_free(&list);
	inputs_free(&s);
	ccc_buf_free(&asked);
	ccc_buf_free(&agg);
	ccc_buf_free(&cb);
	ccc_share_free(sh);
	BN_clear_free(x);
	ccc_tdh2_pub_free(&pub);
	return rc;
}

int
ccc_aggregate_verify_run(const struct ccc_aggregate_opts *o,
    struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct inputs s;
	struct ccc_buf res, agg, text;
	struct ccc_val v[ARES_NFIELDS];
	struct ccc_aggregate a;
	struct ccc_agg_share sh[CCC_TDH2_MAX_N];
	EC_POINT *pts[CCC_ADD_MAX_VALUES] = { NULL }, *q = NULL;
	BIGNUM *m = NULL;
	struct ccc_cur c;
	const uint8_t *p, *sp;
	uint64_t sum;
	size_t len, i, j;
	int rc, b;

	memset(&pub, 0, sizeof(pub));
	memset(&s, 0, sizeof(s));
	ccc_buf_init(&res, 0);
	ccc_buf_init(&agg, 0);
	ccc_buf_init(&text, 0);
	if ((rc = ccc_read_named(&res, o->verify, CCC_AGG_BLOB_MAX +
	    255 * CCC_AGG_SHARE_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_blob_decode(&ccc_schema_agg_result, res.p, res.len, v,
	    0, err)) != 0 ||
	    (rc = ccc_aggregate_decode(&a, v[ARES_AGGREGATE].p,
	    v[ARES_AGGREGATE].n, v[ARES_AGGREGATE].off, err)) != 0)
		goto named;
	if (v[ARES_SUMS].count != a.k) {
		rc = ccc_err_set(err, CCC_E_FIELD, v[ARES_SUMS].off, "sums",
		    "%zu sums for %u values", v[ARES_SUMS].count, a.k);
		goto named;
	}
	/* 1. The aggregate is the one its inputs make. */
	if ((rc = build(&pub, &s, &agg, o, err)) != 0)
		goto out;
	if (agg.len != v[ARES_AGGREGATE].n ||
	    memcmp(agg.p, v[ARES_AGGREGATE].p, agg.len) != 0) {
		rc = ccc_err_set(err, CCC_E_FIELD, v[ARES_AGGREGATE].off,
		    "aggregate", "does not match the inputs");
		goto named;
	}
	/* 2. Every share's proof holds, from t distinct nodes. */
	ccc_cur_init(&c, v[ARES_SHARES].p, v[ARES_SHARES].n,
	    v[ARES_SHARES].off, err);
	for (i = 0; i < v[ARES_SHARES].count; i++) {
		if ((rc = ccc_cur_bstr(&c, &p, &len, "shares")) != 0 ||
		    (rc = ccc_agg_share_decode(&sh[i], p, len, 0, err)) != 0 ||
		    (rc = ccc_agg_share_verify(ec, &pub, &a, &sh[i],
		    sh[0].request, err)) != 0) {
			ccc_err_item(err, (long)i + 1);
			goto named;
		}
		for (j = 0; j < i; j++)
			if (sh[j].index == sh[i].index) {
				rc = ccc_err_set(err, CCC_E_DUPLICATE, -1,
				    "shares", "node %u twice", sh[i].index);
				goto named;
			}
	}
	if (v[ARES_SHARES].count != pub.t) {
		rc = ccc_err_set(err, CCC_E_THRESHOLD, -1, "shares",
		    "%zu shares, the key needs %u", v[ARES_SHARES].count,
		    pub.t);
		goto named;
	}
	/* 3. They open the aggregate to g^sum for each stated sum. */
	for (j = 0; j < a.k; j++)
		if ((pts[j] = EC_POINT_new(ec->group)) == NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "verify");
			goto out;
		}
	if ((q = EC_POINT_new(ec->group)) == NULL || (m = BN_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "verify");
		goto out;
	}
	if ((rc = ccc_aggregate_open(ec, &pub, &a, sh, pub.t, pts, err)) != 0)
		goto named;
	for (j = 0; j < a.k; j++) {
		sp = ccc_val_elem(&v[ARES_SUMS], 8, j);
		for (sum = 0, b = 0; b < 8; b++)
			sum = sum << 8 | sp[b];
		if (BN_set_word(m, sum) != 1 ||
		    EC_POINT_mul(ec->group, q, m, NULL, NULL, ec->bn) != 1) {
			rc = ccc_err_openssl(err, "verify");
			goto out;
		}
		if (sum > ccc_aggregate_max(&a) ||
		    EC_POINT_cmp(ec->group, q, pts[j], ec->bn) != 0) {
			rc = ccc_err_set(err, CCC_E_FIELD, -1, "sums",
			    "sum %zu is not what the shares decrypt", j + 1);
			goto named;
		}
		if ((rc = ccc_buf_printf(&text, "%" PRIu64 "\n", sum)) != 0) {
			rc = ccc_err_set(err, rc, -1, NULL, "verify");
			goto out;
		}
	}
	rc = ccc_write_file(o->out, text.p, text.len, o->force ?
	    CCC_OUT_FORCE : 0, err);
	goto out;
named:
	ccc_err_what(err, ccc_io_name(o->verify, 0));
out:
	for (j = 0; j < CCC_ADD_MAX_VALUES; j++)
		EC_POINT_free(pts[j]);
	EC_POINT_free(q);
	BN_free(m);
	inputs_free(&s);
	ccc_buf_free(&res);
	ccc_buf_free(&agg);
	ccc_buf_free(&text);
	ccc_tdh2_pub_free(&pub);
	return rc;
}
