/*
 * ccc-combine: open sealed shares, verify every proof, combine t valid
 * shares per ciphertext, decrypt.  Bad nodes are named; nothing is written
 * for a ciphertext before its payload has authenticated.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "cli.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "enclave.h"
#include "quorum.h"
#include "result.h"
#include "par.h"
#include "seal.h"

struct node {
	const char *file;
	struct ccc_sealed_file f;
	bool bad;		/* excluded for every ciphertext */
	bool warned;		/* "repeats" warning given */
	char why[200];		/* first failure, for the report */
};

static void CCC_PRINTF(3, 4)
node_fail(struct node *nd, bool all, const char *fmt, ...)
{
	va_list ap;

	if (nd->why[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(nd->why, sizeof(nd->why), fmt, ap);
		va_end(ap);
	}
	if (all)
		nd->bad = true;
}

/* "node 3 (FILE)", or "FILE" alone when its blob did not say which node. */
static const char *
node_name(const struct node *nd, char *buf, size_t len)
{
	if (nd->f.s.index == 0)
		snprintf(buf, len, "%s", nd->file);
	else
		snprintf(buf, len, "node %u (%s)", nd->f.s.index, nd->file);
	return buf;
}

/*
 * Open one node's sealed blob and open every share in it once; failures
 * only mark the node (a node with one bad share is not used at all).
 */
static int
load_node(struct node *nd, const struct ccc_tdh2_pub *pub,
    const uint8_t *sk, const uint8_t pk[32], const uint8_t *ctx,
    size_t ctx_len, size_t nct, struct ccc_err *err)
{
	const struct ccc_sealed *s = &nd->f.s;
	struct ccc_err e;
	int rc;

	ccc_err_clear(&e);
	if ((rc = ccc_sealed_file_open(&nd->f, nd->file, &e)) != 0) {
		if (rc == CCC_E_IO) {
			*err = e;	/* an unreadable file is an I/O error */
			return rc;
		}
		node_fail(nd, true, "%s", e.detail);
		return 0;
	}
	if (CRYPTO_memcmp(s->key_id, pub->key_id, 32) != 0)
		node_fail(nd, true, "made with key %s, not this public key",
		    ccc_short_id(s->key_id));
	else if (s->epoch != pub->epoch)
		node_fail(nd, true, "made at epoch %llu, the key is at epoch "
		    "%llu", (unsigned long long)s->epoch,
		    (unsigned long long)pub->epoch);
	else if (s->index > pub->n)
		node_fail(nd, true, "%s", "node number beyond the key's n");
	/* The context the shares are bound to: the request, or us. */
	else if (s->context_len != ctx_len ||
	    CRYPTO_memcmp(s->context, ctx, ctx_len) != 0)
		node_fail(nd, true, "%s", ctx == pk ? "made for another "
		    "request or recipient" : "made for another request");
	else if (CRYPTO_memcmp(s->recipient, pk, 32) != 0)
		node_fail(nd, true, "%s", "sealed to another recipient");
	else if ((rc = ccc_sealed_file_check(&nd->f, sk, &e)) != 0) {
		if (rc == CCC_E_IO || rc == CCC_E_NOMEM) {
			*err = e;
			return ccc_err_what(err, nd->file);
		}
		node_fail(nd, true, "%s", e.detail);
	} else if (s->count != nct)
		node_fail(nd, true, "its shares cover %u ciphertexts, the "
		    "input has %zu", s->count, nct);
	return 0;
}

/*
 * Ciphertexts go through in batches (struct ccc_ct_batch): the main thread reads the ciphertexts and every node's next
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

enum { SH_UNUSED, SH_GOOD, SH_REPEAT, SH_OTHER_CT, SH_BAD_PROOF };

struct batch {
	const struct ccc_combine_in *in;
	struct node *nodes;
	struct ccc_ct_batch cts;
	/* Node k's share for item i at [k * BATCH + i]. */
	uint8_t (*digest)[32];
	struct ccc_tdh2_dshare *ds;
	uint8_t *verdict;
	char **why;			/* a bad proof's reason */
	bool checked[BATCH];		/* the ciphertext verified */
	size_t ngood[BATCH];
	int rc[BATCH];
	struct ccc_err err[BATCH];
	struct ccc_buf pt[BATCH];	/* secret */
};

static int
combine_item(struct batch *b, struct ccc_ec *ec, size_t i,
    struct ccc_err *err)
{
	const struct ccc_combine_in *in = b->in;
	const struct ccc_tdh2_pub *pub = in->pub;
	const struct ccc_tdh2_dshare *good[CCC_TDH2_MAX_N];
	bool by[CCC_TDH2_MAX_N + 1];	/* node number seen */
	struct ccc_ct ct;
	struct ccc_err e;
	uint8_t bind[32], key[32];
	size_t ngood = 0, at;
	int k, rc;

	if ((rc = ccc_ct_decode(&ct, b->cts.data.p + b->cts.off[i],
	    b->cts.len[i], b->cts.at[i], err)) != 0 ||
	    (rc = ccc_tdh2_verify(ec, pub, &ct.t, err)) != 0)
		return rc;
	b->checked[i] = true;
	memset(by, 0, sizeof(by));
	for (k = 0; k < in->nsealed; k++) {
		const struct node *nd = &b->nodes[k];
		at = (size_t)k * BATCH + i;
		b->verdict[at] = SH_UNUSED;
		if (nd->bad)
			continue;
		if (CRYPTO_memcmp(b->digest[at], ccc_ct_digest(&ct), 32) != 0) {
			b->verdict[at] = SH_OTHER_CT;
			continue;
		}
		ccc_tdh2_share_bind(bind, pub->key_id, pub->epoch,
		    nd->f.s.index, ccc_ct_digest(&ct), nd->f.s.context,
		    nd->f.s.context_len);
		ccc_err_clear(&e);
		if (ccc_tdh2_share_verify(ec, pub, &ct.t, &b->ds[at], bind,
		    &e) != 0) {
			b->verdict[at] = SH_BAD_PROOF;
			b->why[at] = strdup(e.detail);
			continue;
		}
		/*
		 * Two blobs from one node count once.  Only valid shares are
		 * compared: a node's blob for another ciphertext must not
		 * shadow its valid one.
		 */
		if (by[nd->f.s.index]) {
			b->verdict[at] = SH_REPEAT;
			continue;
		}
		by[nd->f.s.index] = true;
		b->verdict[at] = SH_GOOD;
		if (ngood < CCC_TDH2_MAX_N)
			good[ngood++] = &b->ds[at];
	}
	b->ngood[i] = ngood;
	if (ngood < pub->t)
		return CCC_E_THRESHOLD;	/* reported with the node verdicts */
	rc = ccc_tdh2_combine(ec, key, pub, &ct.t, good, ngood, err);
	if (rc == 0) {
		b->pt[i].len = 0;
		rc = ccc_ct_open_sym(&b->pt[i], &ct, key, err);
	}
	sodium_memzero(key, sizeof(key));
	return rc;
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
	char list[1024], name[256];
	size_t off = 0;
	int k;

	if (!b->checked[i])
		goto fail;
	memset(first, 0, sizeof(first));
	for (k = 0; k < in->nsealed; k++) {
		struct node *nd = &b->nodes[k];
		size_t at = (size_t)k * BATCH + i;
		switch (b->verdict[at]) {
		case SH_GOOD:
			first[nd->f.s.index] = nd;
			break;
		case SH_REPEAT:
			if (!nd->warned && first[nd->f.s.index] != NULL)
				ccc_cli_warn("node %u: %s repeats %s; ignored",
				    nd->f.s.index, nd->file,
				    first[nd->f.s.index]->file);
			nd->warned = true;
			break;
		case SH_OTHER_CT:
			node_fail(nd, false, "%s", "share made for another "
			    "ciphertext");
			break;
		case SH_BAD_PROOF:
			node_fail(nd, false, "%s", b->why[at] ? b->why[at] :
			    "share proof does not verify");
			break;
		}
	}
	if (b->rc[i] == CCC_E_THRESHOLD && b->err[i].code == 0) {
		list[0] = '\0';
		for (k = 0; k < in->nsealed && off < sizeof(list); k++)
			if (b->nodes[k].why[0] != '\0')
				off += (size_t)snprintf(list + off,
				    sizeof(list) - off, "; %s: %s",
				    node_name(&b->nodes[k], name,
				    sizeof(name)), b->nodes[k].why);
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

static void
batch_free(struct batch *b, int nsealed)
{
	size_t i;

	if (b == NULL)
		return;
	ccc_buf_free(&b->cts.data);
	for (i = 0; i < BATCH; i++)
		ccc_buf_free(&b->pt[i]);
	if (b->why != NULL)
		for (i = 0; i < (size_t)nsealed * BATCH; i++)
			free(b->why[i]);
	if (b->ds != NULL)
		sodium_memzero(b->ds, (size_t)nsealed * BATCH * sizeof(*b->ds));
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
	size_t i, done = 0, slots = (size_t)in->nsealed * BATCH;
	int rc = 0, k;
	bool par_open = false;

	if ((nodes = calloc(in->nsealed, sizeof(*nodes))) == NULL ||
	    (b = calloc(1, sizeof(*b))) == NULL ||
	    (b->digest = calloc(slots, sizeof(*b->digest))) == NULL ||
	    (b->ds = calloc(slots, sizeof(*b->ds))) == NULL ||
	    (b->verdict = calloc(slots, 1)) == NULL ||
	    (b->why = calloc(slots, sizeof(*b->why))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	b->in = in;
	b->nodes = nodes;
	ccc_buf_init(&b->cts.data, 0);
	for (i = 0; i < BATCH; i++)
		ccc_buf_init(&b->pt[i], 1);
	for (k = 0; k < in->nsealed; k++)
		nodes[k].f.fd = -1;
	for (k = 0; k < in->nsealed; k++) {
		nodes[k].file = in->sealed[k];
		if ((rc = load_node(&nodes[k], pub, in->sk, in->pk, in->ctx,
		    in->ctx_len, src->n, err)) != 0)
			goto out;
	}
	for (k = 0; k < in->nsealed; k++) {
		ccc_err_clear(&e);
		if (!nodes[k].bad && (rc = ccc_sealed_file_start(&nodes[k].f,
		    in->sk, &e)) != 0) {
			*err = e;
			ccc_err_what(err, nodes[k].file);
			goto out;
		}
	}
	if ((rc = ccc_par_init(&par, in->jobs, err)) != 0)
		goto out;
	par_open = true;
	if (src->n >= TABLES_FROM && (rc = tables(in, nodes, par.ec[0],
	    err)) != 0)
		goto out;
	while ((rc = ccc_ct_batch_read(&b->cts, src, err)) == 0 &&
	    b->cts.n > 0) {
		/* Every usable node's next shares, opened in order. */
		for (k = 0; k < in->nsealed; k++)
			for (i = 0; i < b->cts.n && !nodes[k].bad; i++) {
				size_t at = (size_t)k * BATCH + i;
				ccc_err_clear(&e);
				rc = ccc_sealed_file_next(&nodes[k].f,
				    b->digest[at], &b->ds[at], &e);
				if (rc == CCC_E_IO || rc == CCC_E_NOMEM) {
					*err = e;
					ccc_err_what(err, nodes[k].file);
					goto out;
				}
				if (rc != 0)	/* the file changed since */
					node_fail(&nodes[k], true, "%s",
					    e.detail);
			}
		rc = 0;
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
	if (rc != 0)
		goto out;
	for (k = 0; k < in->nsealed; k++) {
		char name[256];
		if (nodes[k].why[0] != '\0')
			ccc_cli_warn("%s: %s; its shares were not used",
			    node_name(&nodes[k], name, sizeof(name)),
			    nodes[k].why);
	}
out:
	if (par_open)
		ccc_par_free(&par);
	if (nodes != NULL)
		for (k = 0; k < in->nsealed; k++)
			ccc_sealed_file_close(&nodes[k].f);
	free(nodes);
	batch_free(b, in->nsealed);
	return rc;
}

struct emit_out {
	struct ccc_out *out;
	bool seq;
};

/* Write one plaintext: raw, or as a byte string of a CBOR sequence. */
static int
emit_out(void *arg, size_t i, const uint8_t *p, size_t n, struct ccc_err *err)
{
	struct emit_out *eo = arg;
	struct ccc_buf h;
	int rc = 0;

	(void)i;
	ccc_buf_init(&h, 0);
	if (eo->seq && (rc = ccc_cbor_put_bstr_head(&h, n)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "output");
	else if ((rc = ccc_out_write(eo->out, h.p, h.len, err)) == 0)
		rc = ccc_out_write(eo->out, p, n, err);
	ccc_buf_free(&h);
	return rc;
}

/* The recipient key file: its secret half into *sk (sodium_malloc'ed). */
static int
read_recipient_key(uint8_t **sk, uint8_t pk[32], const char *path,
    struct ccc_err *err)
{
	struct ccc_buf kb;
	int rc;

	if ((*sk = sodium_malloc(32)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
	ccc_buf_init(&kb, 1);
	if ((rc = ccc_op_read(&kb, path, 4096, true, err)) == 0 &&
	    (rc = ccc_recipient_key_load(*sk, pk, kb.p, kb.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&kb);
	return rc;
}

int
ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_ct_src src;
	struct ccc_combine_in cin;
	struct emit_out eo;
	struct ccc_request rq;
	struct ccc_request_file rf;
	struct ccc_out out;
	uint8_t *sk = NULL, pk[32];
	char *in = (char *)o->in;
	int rc;
	bool out_open = false, src_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&cin, 0, sizeof(cin));
	memset(&rf, 0, sizeof(rf));
	rf.fd = -1;
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		goto out;
	if ((rc = read_recipient_key(&sk, pk, o->key, err)) != 0)
		goto out;
	cin.ctx = pk;	/* direct mode: shares bound to the recipient key */
	cin.ctx_len = 32;
	if (o->request != NULL) {
		/* Shares bound to the request id; its ciphertexts. */
		if ((rc = ccc_request_open(&rf, &rq, o->request, err)) != 0)
			goto out;
		if (CRYPTO_memcmp(rq.enclave_key, pk, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the request "
			    "names another enclave key than %s", o->key);
			ccc_err_what(err, o->request);
			goto out;
		}
		cin.ctx = rq.id;
		ccc_ct_src_request(&src, &rq, o->request);
	} else if ((rc = ccc_ct_src_open(&src, in ? &in : NULL, in ? 1 : 0,
	    err)) != 0) {
		ccc_ct_src_close(&src);
		goto out;
	}
	src_open = true;
	if (!o->seq && src.n != 1) {
		/* The input is refused (1), not the command line. */
		rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "%zu "
		    "ciphertexts in the input; --seq decrypts a sequence",
		    src.n);
		ccc_err_what(err, o->request != NULL ? o->request :
		    ccc_io_name(in, 0));
		goto out;
	}
	/* Plaintext: a file of it is created 0600. */
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY | CCC_OUT_SECRET |
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0),
	    err)) != 0)
		goto out;
	out_open = true;
	cin.pub = &pub;
	cin.sk = sk;
	cin.pk = pk;
	cin.cts = &src;
	cin.sealed = o->sealed;
	cin.nsealed = o->nsealed;
	cin.jobs = o->jobs;
	eo.out = &out;
	eo.seq = o->seq;
	if ((rc = ccc_combine_core(&cin, emit_out, &eo, err)) != 0 ||
	    (rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	if (src_open)
		ccc_ct_src_close(&src);
	if (sk != NULL)
		sodium_free(sk);
	ccc_tdh2_pub_free(&pub);
	ccc_certified_request_close(&rf);
	return rc;
}

int
ccc_combine_result(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_hpke_ctx h;
	struct ccc_result r;
	struct ccc_buf in, pt;
	uint8_t *sk = NULL, pk[32];
	uint8_t info[sizeof(CCC_OUTPUT_INFO) + 32];
	int rc;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&pt, 1);
	if ((rc = ccc_op_read(&in, o->result, CCC_RESULT_OUTPUT_MAX + (1 << 21),
	    false, err)) != 0)
		goto out;
	if ((rc = ccc_result_decode(&r, in.p, in.len, err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->result, 0));
		goto out;
	}
	if (r.mode != CCC_OUTPUT_SEALED && o->key != NULL) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "the output is %s, "
		    "not sealed: -i is only for a sealed output", r.mode ==
		    CCC_OUTPUT_PUBLIC ? "public" : "a threshold ciphertext");
		ccc_err_what(err, ccc_io_name(o->result, 0));
		goto out;
	}
	if (r.mode != CCC_OUTPUT_SEALED) {
		/* Public bytes, or a ciphertext under the threshold key. */
		rc = ccc_write_file(o->out, r.output, r.output_len,
		    CCC_OUT_BINARY | (o->force ? CCC_OUT_FORCE : 0) |
		    (o->tty_ok ? CCC_OUT_TTY_OK : 0), err);
		goto out;
	}
	if (o->key == NULL) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "the output is "
		    "sealed to a recipient: give its key with -i");
		goto out;
	}
	if ((rc = read_recipient_key(&sk, pk, o->key, err)) != 0)
		goto out;
	memcpy(info, CCC_OUTPUT_INFO, sizeof(CCC_OUTPUT_INFO));
	memcpy(info + sizeof(CCC_OUTPUT_INFO), r.request_id, 32);
	if (r.output_len < 32 + 16 || ccc_buf_reserve(&pt, r.output_len) != 0 ||
	    ccc_hpke_setup_r(&h, r.output, sk, info, sizeof(info)) != 0 ||
	    ccc_hpke_open(&h, pt.p, NULL, 0, r.output + 32,
	    r.output_len - 32) != 0) {
		ccc_hpke_ctx_wipe(&h);
		rc = ccc_err_set(err, CCC_E_DECRYPT, -1, NULL, "the output "
		    "does not open with this key (sealed to another recipient, "
		    "or altered)");
		ccc_err_what(err, ccc_io_name(o->result, 0));
		goto out;
	}
	ccc_hpke_ctx_wipe(&h);
	pt.len = r.output_len - 32 - 16;
	rc = ccc_write_file(o->out, pt.p, pt.len, CCC_OUT_BINARY |
	    CCC_OUT_SECRET | (o->force ? CCC_OUT_FORCE : 0) |
	    (o->tty_ok ? CCC_OUT_TTY_OK : 0), err);
out:
	if (sk != NULL)
		sodium_free(sk);
	ccc_buf_free(&in);
	ccc_buf_free(&pt);
	return rc;
}
