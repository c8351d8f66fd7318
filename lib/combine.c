/*
 * The combine engine: open every node's sealed shares, verify proofs until
 * t are valid, combine them per ciphertext and decrypt, in batches on worker
 * threads.  Used by ccc-combine and ccc-enclave-run.  Verdicts on the
 * nodes go to the caller's callback; nothing is printed here.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "batchverify.h"
#include "coin.h"
#include "ctcheck.h"
#include "combine.h"
#include "combine_node.h"
#include "keys.h"
#include "par.h"
#include "seal.h"

/*
 * Ciphertexts go through in batches (struct ccc_ct_batch): the main
 * thread reads the ciphertexts and every node's next
 * shares, the workers check and combine (item i's verdict on each node
 * in its own slot), and the main thread applies the verdicts in input
 * order, so warnings, errors and output are those of a one-by-one run.
 */
#define BATCH CCC_CT_BATCH
/*
 * From this many ciphertexts on, fixed-base tables for g_bar and for each
 * node's h_i (~25 ms each) make a ciphertext verification ~10 us and a
 * share verification ~45 us cheaper: they pay after ~600.
 */
#define TABLES_FROM 1024

enum { SH_UNUSED, SH_GOOD, SH_REPEAT, SH_OTHER_CT, SH_BAD_PROOF, SH_UNCHECKED };

/*
 * The arrays hold cap items, the most a batch of the source can have:
 * BATCH, or fewer when the source has fewer ciphertexts (one, for most
 * requests: what is allocated and wiped for each is then a few KB, not
 * a megabyte of page faults).
 */
struct batch {
	const struct ccc_combine_in *in;
	struct node *nodes;
	struct ccc_ct_batch cts;
	size_t cap;
	/* Node k's share for item i at [k * cap + i]. */
	uint8_t (*digest)[32];
	struct ccc_tdh2_dshare *ds;
	uint8_t (*comm)[2][CCC_POINT_BYTES];	/* its proof's commitments */
	uint8_t *verdict;
	char **why;			/* a bad proof's reason */
	bool *checked;			/* the ciphertext verified */
	/* Decoded, and checked where they allow (each check_chunk fills
	 * its items: not zeroed, so that only those are touched). */
	struct ccc_ct_pre *pre;
	size_t *ngood;
	int *rc;
	struct ccc_err *err;
	struct ccc_buf *pt;		/* secret */
};

/*
 * The shares of one ciphertext waiting to be checked together: proofs are
 * checked in rounds of at most the shares still needed, of distinct
 * nodes.  A round of two or more shares that all carry their commitments
 * is checked with one multi-scalar multiplication (lib/batchverify.h),
 * which names the bad ones as a check one by one would; any other round,
 * one by one.  The verdicts are those of checking in input order.
 */
struct round {
	struct batch *b;
	const struct ccc_tdh2_ct *ct;
	size_t n, at[CCC_TDH2_MAX_N];
	uint8_t bind[CCC_TDH2_MAX_N][32];
	bool all_comm;
};

static bool
in_round(const struct round *r, uint32_t index)
{
	size_t j;

	for (j = 0; j < r->n; j++)
		if (r->b->nodes[r->at[j] / r->b->cap].f.s.index == index)
			return true;
	return false;
}

/*
 * The round's shares into ds[]; with comm, a copy of their commitments
 * in one array (for round_comm_free), false if it cannot be made.
 */
static bool
round_gather(const struct round *r, const struct ccc_tdh2_dshare **ds,
    uint8_t (**comm)[2][CCC_POINT_BYTES])
{
	const struct batch *b = r->b;
	size_t j;

	for (j = 0; j < r->n; j++)
		ds[j] = &b->ds[r->at[j]];
	if (comm == NULL)
		return true;
	if ((*comm = malloc(r->n * sizeof(**comm))) == NULL)
		return false;
	for (j = 0; j < r->n; j++)
		memcpy((*comm)[j], b->comm[r->at[j]], sizeof(**comm));
	return true;
}

static void
round_comm_free(const struct round *r, uint8_t (*comm)[2][CCC_POINT_BYTES])
{
	sodium_memzero(comm, r->n * sizeof(*comm));
	free(comm);
}

/* The round's share j, ds[j], is good: counted, its node marked. */
static void
round_good(const struct round *r, size_t j,
    const struct ccc_tdh2_dshare *const *ds,
    const struct ccc_tdh2_dshare **good, size_t *ngood, bool *by)
{
	struct batch *b = r->b;
	size_t at = r->at[j];

	by[b->nodes[at / b->cap].f.s.index] = true;
	b->verdict[at] = SH_GOOD;
	good[(*ngood)++] = ds[j];
}

/*
 * Check the round's shares; the good ones go to good[] and mark by[].  A
 * share the batch found bad is checked once more alone, for its reason.
 */
static void
round_check(struct round *r, struct ccc_ec *ec,
    const struct ccc_tdh2_dshare **good, size_t *ngood, bool *by)
{
	struct batch *b = r->b;
	const struct ccc_tdh2_dshare *ds[CCC_TDH2_MAX_N];
	uint8_t (*comm)[2][CCC_POINT_BYTES] = NULL;
	int verdict[CCC_TDH2_MAX_N];
	struct ccc_err e;
	size_t j;
	int rc = -1;

	if (round_gather(r, ds, r->n >= 2 && r->all_comm ? &comm : NULL) &&
	    comm != NULL) {
		ccc_err_clear(&e);
		rc = ccc_tdh2_share_verify_batch(ec, b->in->pub, r->ct, ds,
		    (const uint8_t (*)[2][CCC_POINT_BYTES])comm,
		    (const uint8_t (*)[32])r->bind, r->n, verdict, NULL, &e);
		round_comm_free(r, comm);
	}
	for (j = 0; j < r->n; j++) {
		size_t at = r->at[j];
		/* No batch (or it could not be made): one by one. */
		if (rc != 0 && (rc != CCC_E_SHARE || verdict[j] != 0)) {
			ccc_err_clear(&e);
			if (ccc_tdh2_share_verify(ec, b->in->pub, r->ct,
			    ds[j], b->nodes[at / b->cap].vds == NULL ?
			    r->bind[j] : NULL, &e) != 0) {
				b->verdict[at] = SH_BAD_PROOF;
				b->why[at] = strdup(e.detail);
				continue;
			}
		}
		round_good(r, j, ds, good, ngood, by);
	}
	r->n = 0;
	r->all_comm = true;
}

/*
 * A round of exactly t shares, the first of its ciphertext, all with
 * their commitments: combined in the multiplication that checks their
 * proofs, and the payload opened with the message that gives
 * (ccc_tdh2_share_combine_batch).  If the payload authenticates, the
 * proofs held (but with probability about 2^-128), and the shares count
 * as a passing batch counts them; otherwise nothing has changed, and the
 * round is checked the usual way, which names a bad share, before the
 * shares are combined again.  A fused round costs 4t+2 points where a
 * check and a combination cost 5t+2.
 */
static bool
round_open(struct round *r, struct ccc_ec *ec, const struct ccc_ct *ct,
    struct ccc_buf *pt, const struct ccc_tdh2_dshare **good, size_t *ngood,
    bool *by)
{
	struct batch *b = r->b;
	const struct ccc_tdh2_dshare *ds[CCC_TDH2_MAX_N];
	uint8_t (*comm)[2][CCC_POINT_BYTES];
	uint8_t m[32];
	struct ccc_err e;
	bool ok = false;
	size_t j;

	if (*ngood != 0 || r->n != b->in->pub->t || r->n < 2 ||
	    !r->all_comm || !round_gather(r, ds, &comm))
		return false;
	if (ccc_tdh2_share_combine_batch(ec, m, b->in->pub, r->ct, ds,
	    (const uint8_t (*)[2][CCC_POINT_BYTES])comm,
	    (const uint8_t (*)[32])r->bind, r->n, &ok) == 0 && ok) {
		ccc_err_clear(&e);
		ok = ccc_ct_open_sym(pt, ct, m, &e) == 0;
	} else
		ok = false;
	sodium_memzero(m, sizeof(m));
	round_comm_free(r, comm);
	if (!ok)
		return false;
	for (j = 0; j < r->n; j++)
		round_good(r, j, ds, good, ngood, by);
	r->n = 0;
	r->all_comm = true;
	return true;
}

/*
 * The tests' view of which way each round of two or more shares went: a
 * line to the file CCC_TEST_ROUNDS names (appended whole by any thread);
 * "tables" when the tables are built.
 */
static void
test_round(const char *how)
{
#ifdef CCC_TEST_HOOKS
	const char *f = getenv("CCC_TEST_ROUNDS");
	int fd;

	if (f != NULL && (fd = open(f, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) >= 0) {
		(void)!write(fd, how, strlen(how));
		close(fd);
	}
#else
	(void)how;
#endif
}

/* TABLES_FROM, or in the tests CCC_TEST_TABLES_FROM when set. */
static size_t
tables_from(void)
{
#ifdef CCC_TEST_HOOKS
	const char *v = getenv("CCC_TEST_TABLES_FROM");

	if (v != NULL && *v != '\0')
		return (size_t)strtoul(v, NULL, 10);
#endif
	return TABLES_FROM;
}

/* The round waiting, fused with the payload's opening where it can be. */
static void
round_done(struct round *r, struct ccc_ec *ec, const struct ccc_ct *ct,
    struct ccc_buf *pt, const struct ccc_tdh2_dshare **good, size_t *ngood,
    bool *by, bool *opened)
{
	if (round_open(r, ec, ct, pt, good, ngood, by)) {
		test_round("fused\n");
		*opened = true;
		return;
	}
	if (r->n >= 2)
		test_round("checked\n");
	round_check(r, ec, good, ngood, by);
}

static int
combine_item(struct batch *b, struct ccc_ec *ec, size_t i,
    struct ccc_err *err)
{
	const struct ccc_combine_in *in = b->in;
	const struct ccc_tdh2_pub *pub = in->pub;
	const struct ccc_tdh2_dshare *good[CCC_TDH2_MAX_N];
	bool by[CCC_TDH2_MAX_N + 1];	/* node number with a valid share */
	struct round r = { .b = b, .all_comm = true };
	struct ccc_ct *ct = &b->pre->ct[i];
	uint8_t key[32];
	size_t ngood = 0, at;
	bool opened = false;
	int k, rc;

	if ((!b->pre->decoded[i] && (rc = ccc_ct_decode(ct, b->cts.data.p +
	    b->cts.off[i], b->cts.len[i], b->cts.at[i], err)) != 0) ||
	    (!b->pre->ok[i] && (rc = ccc_tdh2_verify(ec, pub, &ct->t,
	    err)) != 0))
		return rc;
	b->checked[i] = true;
	r.ct = &ct->t;
	memset(by, 0, sizeof(by));
	for (k = 0; k < in->nsealed; k++) {
		const struct node *nd = &b->nodes[k];
		uint32_t idx = nd->f.s.index;
		at = (size_t)k * b->cap + i;
		b->verdict[at] = SH_UNUSED;
		if (nd->bad)
			continue;
		/* A Chainlink share names no ciphertext: its proof decides. */
		if (nd->vds == NULL && CRYPTO_memcmp(b->digest[at],
		    ccc_ct_digest(ct), 32) != 0) {
			b->verdict[at] = SH_OTHER_CT;
			continue;
		}
		/*
		 * Two blobs from one node count once: a node whose share was
		 * used has its later ones ignored, unchecked.  Only valid
		 * shares mark a node: its blob for another ciphertext, or a
		 * bad one, must not shadow its valid one.  Proofs are
		 * checked until t verified (in input order): the rest are
		 * not needed, and a bad share among them is not looked for.
		 * Whether the node, or t, is reached depends on the round
		 * waiting: it is checked first.
		 */
		if (in_round(&r, idx) || ngood + r.n >= pub->t)
			round_done(&r, ec, ct, &b->pt[i], good, &ngood, by,
			    &opened);
		if (by[idx]) {
			b->verdict[at] = SH_REPEAT;
			continue;
		}
		if (ngood >= pub->t) {
			b->verdict[at] = SH_UNCHECKED;
			continue;
		}
		if (nd->vds == NULL)
			ccc_tdh2_share_bind(r.bind[r.n], pub->key_id,
			    pub->epoch, idx, ccc_ct_digest(ct),
			    nd->f.s.context, nd->f.s.context_len);
		r.all_comm = r.all_comm && nd->vds == NULL && nd->f.s.comm;
		r.at[r.n++] = at;
	}
	round_done(&r, ec, ct, &b->pt[i], good, &ngood, by, &opened);
	b->ngood[i] = ngood;
	if (ngood < pub->t)
		return CCC_E_THRESHOLD;	/* reported with the node verdicts */
	if (opened)
		return 0;
	rc = ccc_tdh2_combine(ec, key, pub, &ct->t, good, ngood, err);
	if (rc == 0) {
		b->pt[i].len = 0;
		rc = ccc_ct_open_sym(&b->pt[i], ct, key, err);
	}
	sodium_memzero(key, sizeof(key));
	return rc;
}

/* Chunk j's ciphertexts decoded, those with commitments checked together. */
static void
check_chunk(void *arg, struct ccc_ec *ec, size_t j)
{
	struct batch *b = arg;

	ccc_ct_check_chunk(ec, b->in->pub, &b->cts, j, b->pre);
}

static void
combine_one(void *arg, struct ccc_ec *ec, size_t i)
{
	struct batch *b = arg;

	ccc_err_clear(&b->err[i]);
	b->checked[i] = false;
	b->rc[i] = combine_item(b, ec, i, &b->err[i]);
}

/* Item i's verdicts, in node order, then its outcome. */
static int
apply(struct batch *b, size_t i, struct ccc_err *err)
{
	const struct ccc_combine_in *in = b->in;
	const struct node *first[CCC_TDH2_MAX_N + 1];
	char list[1024];
	int k;

	if (!b->checked[i])
		goto fail;
	memset(first, 0, sizeof(first));
	for (k = 0; k < in->nsealed; k++) {
		struct node *nd = &b->nodes[k];
		size_t at = (size_t)k * b->cap + i;
		switch (b->verdict[at]) {
		case SH_GOOD:
			first[nd->f.s.index] = nd;
			break;
		case SH_REPEAT:
			if (!nd->warned && first[nd->f.s.index] != NULL) {
				struct ccc_node_report r = {
					.verdict = CCC_NODE_REPEAT,
					.index = nd->f.s.index,
					.t = in->pub->t,
					.file = nd->file,
					.other = first[nd->f.s.index]->file,
				};
				nd->repeats = r.other;
				if (in->verdict != NULL)
					in->verdict(in->verdict_arg, &r);
			}
			nd->warned = true;
			break;
		case SH_OTHER_CT:
			ccc_nd_fail(nd, false, CCC_CAUSE_WRONG_CIPHERTEXT, "%s",
			    "share made for another ciphertext");
			break;
		case SH_BAD_PROOF:
			ccc_nd_fail(nd, false, CCC_CAUSE_FAILED_PROOF, "%s",
			    b->why[at] ? b->why[at] :
			    "share proof does not verify");
			break;
		case SH_UNCHECKED:
			nd->unchecked = true;
			break;
		}
	}
	if (b->rc[i] == CCC_E_THRESHOLD && b->err[i].code == 0) {
		ccc_nd_bad_list(list, sizeof(list), b->nodes, in->nsealed);
		ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL, "%zu valid share%s, "
		    "%u needed%s", b->ngood[i], b->ngood[i] == 1 ? "" : "s",
		    in->pub->t, list);
		goto where;
	}
	if (b->rc[i] == 0)
		return 0;
fail:
	*err = b->err[i];
where:
	ccc_err_item(err, b->cts.item[i]);
	ccc_err_what(err, b->cts.name[i]);
	return err->code;
}

/*
 * Level 2: every usable node's last record, its share of the coin:
 * verified, one per node, t of them combined into the seed.
 */
static int
coin_collect(const struct ccc_combine_in *in, struct node *nodes,
    struct ccc_ec *ec, struct ccc_err *err)
{
	const struct ccc_tdh2_dshare *good[CCC_TDH2_MAX_N];
	struct ccc_tdh2_dshare *ds;
	bool by[CCC_TDH2_MAX_N + 1];
	char list[1024];
	uint8_t digest[32];
	struct ccc_err e;
	size_t ngood = 0;
	int k, rc = 0;

	if ((ds = calloc((size_t)in->nsealed, sizeof(*ds))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "coin");
	memset(by, 0, sizeof(by));
	for (k = 0; k < in->nsealed; k++) {
		struct node *nd = &nodes[k];
		if (nd->bad || nd->vds != NULL)
			continue;
		if (ngood >= in->pub->t) {	/* not needed: not read */
			nd->unchecked = true;
			continue;
		}
		ccc_err_clear(&e);
		if ((rc = ccc_sealed_file_next(&nd->f, digest, &ds[k], NULL,
		    &e)) != 0) {
			if (rc == CCC_E_IO || rc == CCC_E_NOMEM) {
				*err = e;
				ccc_err_what(err, nd->file);
				goto out;
			}
			ccc_nd_fail(nd, true, ccc_nd_read_cause(rc), "%s",
			    e.detail);
			rc = 0;
		} else if (CRYPTO_memcmp(digest, in->coin->id, 32) != 0)
			ccc_nd_fail(nd, true, CCC_CAUSE_WRONG_CIPHERTEXT, "%s",
			    "its last share is not of the request's coin");
		else if (ccc_coin_share_verify(ec, in->pub, in->coin, &ds[k],
		    &e) != 0)
			ccc_nd_fail(nd, true, CCC_CAUSE_FAILED_PROOF, "coin "
			    "share: %s", e.detail);
		else if (!by[ds[k].index]) {
			by[ds[k].index] = true;
			good[ngood++] = &ds[k];
		}
	}
	if (ngood < in->pub->t) {
		ccc_nd_bad_list(list, sizeof(list), nodes, in->nsealed);
		rc = ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL, "the coin: "
		    "%zu valid share%s, %u needed%s", ngood, ngood == 1 ?
		    "" : "s", in->pub->t, list);
		goto out;
	}
	rc = ccc_coin_combine(ec, in->coin_seed, NULL, in->pub, in->coin,
	    good, ngood, err);
out:
	sodium_memzero(ds, (size_t)in->nsealed * sizeof(*ds));
	free(ds);
	return rc;
}

static void
batch_free(struct batch *b, int nsealed)
{
	size_t i;

	if (b == NULL)
		return;
	ccc_buf_free(&b->cts.data);
	if (b->pt != NULL)
		for (i = 0; i < b->cap; i++)
			ccc_buf_free(&b->pt[i]);
	if (b->why != NULL)
		for (i = 0; i < (size_t)nsealed * b->cap; i++)
			free(b->why[i]);
	if (b->ds != NULL)
		sodium_memzero(b->ds, (size_t)nsealed * b->cap *
		    sizeof(*b->ds));
	if (b->comm != NULL)
		sodium_memzero(b->comm, (size_t)nsealed * b->cap *
		    sizeof(*b->comm));
	free(b->pre);
	free(b->pt);
	free(b->err);
	free(b->rc);
	free(b->ngood);
	free(b->checked);
	free(b->comm);
	free(b->digest);
	free(b->ds);
	free(b->verdict);
	free(b->why);
	free(b);
}

/* Tables for g_bar and the h_i of the nodes whose shares may be used. */
static int
tables(const struct ccc_combine_in *in, const struct node *nodes,
    struct ccc_ec *ec, struct ccc_err *err)
{
	uint32_t idx[CCC_TDH2_MAX_N];
	bool seen[CCC_TDH2_MAX_N + 1];
	size_t k = 0;
	int i;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < in->nsealed; i++)
		if (!nodes[i].bad && !seen[nodes[i].f.s.index]) {
			seen[nodes[i].f.s.index] = true;
			idx[k++] = nodes[i].f.s.index;
		}
	if (in->pub->gbar_tab == NULL && (in->pub->gbar_tab =
	    ccc_ec_table_new(ec, in->pub->gbar)) == NULL)
		return ccc_err_openssl(err, "g_bar table");
	test_round("tables\n");
	return k ? ccc_tdh2_pub_precompute_nodes(ec, in->pub, idx, k, err) : 0;
}

int
ccc_combine_core(const struct ccc_combine_in *in, ccc_plain_fn emit,
    void *arg, struct ccc_err *err)
{
	const struct ccc_tdh2_pub *pub = in->pub;
	struct ccc_ct_src *src = in->cts;
	struct node *nodes = NULL;
	struct batch *b = NULL;
	struct ccc_par par;
	struct ccc_err e;
	size_t i, done = 0, slots, cap;
	int rc = 0, k;
	bool par_open = false;

	cap = src->n > 0 && src->n < BATCH ? src->n : BATCH;
	slots = (size_t)in->nsealed * cap;
	if ((nodes = calloc(in->nsealed, sizeof(*nodes))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	/* Before anything can fail: out closes them (not fd 0). */
	for (k = 0; k < in->nsealed; k++)
		nodes[k].f.fd = -1;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	b->cap = cap;
	if ((b->pre = malloc(sizeof(*b->pre))) == NULL ||
	    (b->pt = calloc(cap, sizeof(*b->pt))) == NULL ||
	    (b->err = calloc(cap, sizeof(*b->err))) == NULL ||
	    (b->rc = calloc(cap, sizeof(*b->rc))) == NULL ||
	    (b->ngood = calloc(cap, sizeof(*b->ngood))) == NULL ||
	    (b->checked = calloc(cap, sizeof(*b->checked))) == NULL ||
	    (b->digest = calloc(slots, sizeof(*b->digest))) == NULL ||
	    (b->ds = calloc(slots, sizeof(*b->ds))) == NULL ||
	    (b->comm = calloc(slots, sizeof(*b->comm))) == NULL ||
	    (b->verdict = calloc(slots, 1)) == NULL ||
	    (b->why = calloc(slots, sizeof(*b->why))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	b->in = in;
	b->nodes = nodes;
	ccc_buf_init(&b->cts.data, 0);
	for (i = 0; i < cap; i++)
		ccc_buf_init(&b->pt[i], 1);
	for (k = 0; k < in->nsealed; k++) {
		bool vault = false;
		nodes[k].file = in->sealed[k];
		if ((in->sealed_mem == NULL &&
		    (rc = ccc_nd_is_vault(nodes[k].file, &vault, err)) != 0) ||
		    (rc = vault ? ccc_nd_load_vault(&nodes[k], in, src->n,
		    err) :
		    ccc_nd_load(&nodes[k], pub, in->sk, in->pk, in->ctx,
		    in->ctx_len, src->n, in->digests, in->coin != NULL,
		    in->sealed_mem != NULL ? &in->sealed_mem[k] : NULL,
		    err)) != 0)
			goto out;
	}
	for (k = 0; k < in->nsealed; k++) {
		ccc_err_clear(&e);
		if (!nodes[k].bad && nodes[k].vds == NULL &&
		    (rc = ccc_sealed_file_start(&nodes[k].f, in->sk,
		    &e)) != 0) {
			*err = e;
			ccc_err_what(err, nodes[k].file);
			goto out;
		}
	}
	if ((rc = ccc_par_init(&par, in->jobs, err)) != 0)
		goto out;
	par_open = true;
	par.progress = in->progress;
	if (src->n >= tables_from() && (rc = tables(in, nodes, par.ec[0],
	    err)) != 0)
		goto out;
	while ((rc = ccc_ct_batch_read(&b->cts, src, err)) == 0 &&
	    b->cts.n > 0) {
		/* (A source yields at most the n it counted.) */
		if (b->cts.n > cap) {
			rc = ccc_err_set(err, CCC_E_INTERNAL, -1, NULL,
			    "ciphertexts: a batch past the source's count");
			goto out;
		}
		/* Every usable node's next shares, opened in order. */
		for (k = 0; k < in->nsealed; k++)
			for (i = 0; i < b->cts.n && !nodes[k].bad; i++) {
				size_t at = (size_t)k * b->cap + i;
				if (nodes[k].vds != NULL) {
					b->ds[at] = nodes[k].vds[done + i];
					continue;
				}
				ccc_err_clear(&e);
				rc = ccc_sealed_file_next(&nodes[k].f,
				    b->digest[at], &b->ds[at], b->comm[at], &e);
				if (rc == CCC_E_IO || rc == CCC_E_NOMEM) {
					*err = e;
					ccc_err_what(err, nodes[k].file);
					goto out;
				}
				if (rc != 0)	/* the file changed since */
					ccc_nd_fail(&nodes[k], true,
					    ccc_nd_read_cause(rc), "%s",
					    e.detail);
			}
		rc = 0;
		ccc_par_each(&par, CCC_CT_CHECK_CHUNKS(b->cts.n), check_chunk,
		    b);
		ccc_par_run(&par, b->cts.n, combine_one, b);
		for (i = 0; i < b->cts.n; i++) {
			if ((rc = apply(b, i, err)) != 0)
				goto out;
			/* Only authenticated plaintext is handed on. */
			if ((rc = emit(arg, done++, b->pt[i].p, b->pt[i].len,
			    err)) != 0)
				goto out;
			ccc_buf_reset(&b->pt[i]);
		}
		for (i = 0; i < slots; i++) {
			free(b->why[i]);
			b->why[i] = NULL;
		}
	}
	if (rc == 0 && in->coin != NULL)
		rc = coin_collect(in, nodes, par.ec[0], err);
out:
	/* Every file's verdict, once the shares have been judged. */
	if ((rc == 0 || rc == CCC_E_THRESHOLD) && nodes != NULL &&
	    in->verdict != NULL)
		for (k = 0; k < in->nsealed; k++) {
			struct ccc_node_report r = {
				.verdict = nodes[k].why[0] != '\0' ?
				    CCC_NODE_BAD : nodes[k].repeats != NULL ?
				    CCC_NODE_REPEAT : nodes[k].unchecked ?
				    CCC_NODE_UNCHECKED : CCC_NODE_OK,
				.cause = nodes[k].why[0] != '\0' ?
				    nodes[k].cause : nodes[k].repeats != NULL ?
				    CCC_CAUSE_DUPLICATE : nodes[k].unchecked ?
				    CCC_CAUSE_UNCHECKED : CCC_CAUSE_VERIFIED,
				.final = true,
				.failed = rc != 0,
				.index = nodes[k].f.s.index,
				.t = pub->t,
				.file = nodes[k].file,
				.other = nodes[k].repeats,
				.why = nodes[k].why,
				.digest = nodes[k].has_digest ?
				    nodes[k].digest : NULL,
			};
			in->verdict(in->verdict_arg, &r);
		}
	if (par_open)
		ccc_par_free(&par);
	if (nodes != NULL)
		for (k = 0; k < in->nsealed; k++) {
			ccc_sealed_file_close(&nodes[k].f);
			if (nodes[k].vds != NULL)
				sodium_memzero(nodes[k].vds, src->n *
				    sizeof(*nodes[k].vds));
			free(nodes[k].vds);
		}
	free(nodes);
	batch_free(b, in->nsealed);
	return rc;
}
