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
#include "seal.h"

struct node {
	const char *file;
	struct ccc_buf blob;
	struct ccc_sealed s;
	uint8_t (*digest)[32];
	struct ccc_tdh2_dshare *ds;
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
	if (nd->s.index == 0)
		snprintf(buf, len, "%s", nd->file);
	else
		snprintf(buf, len, "node %u (%s)", nd->s.index, nd->file);
	return buf;
}

/* Load and open one node's sealed blob; failures only mark the node. */
static int
load_node(struct node *nd, const struct ccc_tdh2_pub *pub,
    const uint8_t *sk, const uint8_t pk[32], const uint8_t *ctx,
    size_t ctx_len, struct ccc_err *err)
{
	struct ccc_hpke_ctx h;
	struct ccc_err e;
	size_t i;
	int rc;

	ccc_err_clear(&e);
	ccc_buf_init(&nd->blob, 0);
	if ((rc = ccc_op_read(&nd->blob, nd->file, 1UL << 30, false,
	    err)) != 0)
		return rc;	/* an unreadable file is an I/O error */
	if (ccc_sealed_decode(&nd->s, nd->blob.p, nd->blob.len, &e) != 0) {
		node_fail(nd, true, "%s", e.detail);
		return 0;
	}
	if (CRYPTO_memcmp(nd->s.key_id, pub->key_id, 32) != 0) {
		node_fail(nd, true, "made with key %s, not this public key",
		    ccc_short_id(nd->s.key_id));
		return 0;
	}
	if (nd->s.epoch != pub->epoch) {
		node_fail(nd, true, "made at epoch %llu, the key is at epoch "
		    "%llu", (unsigned long long)nd->s.epoch,
		    (unsigned long long)pub->epoch);
		return 0;
	}
	if (nd->s.index > pub->n) {
		node_fail(nd, true, "%s", "node number beyond the key's n");
		return 0;
	}
	/* The context the shares are bound to: the request, or us. */
	if (nd->s.context_len != ctx_len ||
	    CRYPTO_memcmp(nd->s.context, ctx, ctx_len) != 0) {
		node_fail(nd, true, "%s", ctx == pk ? "made for another "
		    "request or recipient" : "made for another request");
		return 0;
	}
	if (CRYPTO_memcmp(nd->s.recipient, pk, 32) != 0) {
		node_fail(nd, true, "%s", "sealed to another recipient");
		return 0;
	}
	nd->digest = calloc(nd->s.count ? nd->s.count : 1, 32);
	nd->ds = calloc(nd->s.count ? nd->s.count : 1, sizeof(*nd->ds));
	if (nd->digest == NULL || nd->ds == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
	if (ccc_sealed_open_begin(&h, &nd->s, sk, &e) != 0) {
		node_fail(nd, true, "%s", e.detail);
		return 0;
	}
	for (i = 0; i < nd->s.count; i++)
		if (ccc_sealed_open_next(&h, &nd->s, i, nd->digest[i],
		    &nd->ds[i], &e) != 0) {
			node_fail(nd, true, "%s", e.detail);
			break;
		}
	ccc_hpke_ctx_wipe(&h);
	return 0;
}

int
ccc_combine_core(const struct ccc_combine_in *in, ccc_plain_fn emit,
    void *arg, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	const struct ccc_tdh2_pub *pub = in->pub;
	const struct ccc_ct_list *l = in->cts;
	struct node *nodes = NULL;
	const struct node *by[CCC_TDH2_MAX_N + 1];	/* node number -> blob */
	const struct ccc_tdh2_dshare **good = NULL;
	struct ccc_buf pt;
	struct ccc_ct ct;
	struct ccc_err e;
	uint8_t bind[32], *key = NULL;
	size_t i, ngood;
	int rc = 0, k;

	ccc_buf_init(&pt, 1);
	if ((key = sodium_malloc(32)) == NULL ||
	    (nodes = calloc(in->nsealed, sizeof(*nodes))) == NULL ||
	    (good = calloc(in->nsealed, sizeof(*good))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	for (k = 0; k < in->nsealed; k++) {
		nodes[k].file = in->sealed[k];
		if ((rc = load_node(&nodes[k], pub, in->sk, in->pk, in->ctx,
		    in->ctx_len, err)) != 0)
			goto out;
	}
	for (k = 0; k < in->nsealed; k++)
		if (!nodes[k].bad && nodes[k].s.count != l->n) {
			node_fail(&nodes[k], true, "its shares cover %u "
			    "ciphertexts, the input has %zu", nodes[k].s.count,
			    l->n);
		}
	for (i = 0; i < l->n; i++) {
		if ((rc = ccc_ct_decode(&ct, l->data.p + l->off[i], l->len[i],
		    l->at[i], err)) != 0 || (rc = ccc_tdh2_verify(ec, pub,
		    &ct.t, err)) != 0) {
			ccc_err_item(err, l->item[i]);
			ccc_err_what(err, l->src[i]);
			goto out;
		}
		ngood = 0;
		memset(by, 0, sizeof(by));
		for (k = 0; k < in->nsealed; k++) {
			struct node *nd = &nodes[k];
			if (nd->bad)
				continue;
			if (CRYPTO_memcmp(nd->digest[i], ccc_ct_digest(&ct),
			    32) != 0) {
				node_fail(nd, false, "%s", "share made for "
				    "another ciphertext");
				continue;
			}
			ccc_tdh2_share_bind(bind, pub->key_id, pub->epoch,
			    nd->s.index, ccc_ct_digest(&ct), nd->s.context,
			    nd->s.context_len);
			ccc_err_clear(&e);
			if (ccc_tdh2_share_verify(ec, pub, &ct.t, &nd->ds[i],
			    bind, &e) != 0) {
				node_fail(nd, false, "%s", e.detail);
				continue;
			}
			/*
			 * Two blobs from one node count once.  Only valid
			 * shares are compared: a node's blob for another
			 * ciphertext must not shadow its valid one.
			 */
			if (by[nd->s.index] != NULL) {
				if (!nd->warned)
					ccc_cli_warn("node %u: %s repeats %s; "
					    "ignored", nd->s.index, nd->file,
					    by[nd->s.index]->file);
				nd->warned = true;
				continue;
			}
			by[nd->s.index] = nd;
			good[ngood++] = &nd->ds[i];
		}
		if (ngood < pub->t) {
			char list[1024], name[256];
			size_t off = 0;
			list[0] = '\0';
			for (k = 0; k < in->nsealed && off < sizeof(list); k++)
				if (nodes[k].why[0] != '\0')
					off += (size_t)snprintf(list + off,
					    sizeof(list) - off, "; %s: %s",
					    node_name(&nodes[k], name,
					    sizeof(name)), nodes[k].why);
			rc = ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL,
			    "%zu valid share%s, %u needed%s", ngood,
			    ngood == 1 ? "" : "s", pub->t, list);
			ccc_err_item(err, l->item[i]);
			ccc_err_what(err, l->src[i]);
			goto out;
		}
		if ((rc = ccc_tdh2_combine(ec, key, pub, &ct.t, good, ngood,
		    err)) != 0 || (rc = ccc_ct_open_sym(&pt, &ct, key,
		    err)) != 0) {
			ccc_err_item(err, l->item[i]);
			ccc_err_what(err, l->src[i]);
			goto out;
		}
		/* Only authenticated plaintext is handed on. */
		if ((rc = emit(arg, i, pt.p, pt.len, err)) != 0)
			goto out;
	}
	for (k = 0; k < in->nsealed; k++) {
		char name[256];
		if (nodes[k].why[0] != '\0')
			ccc_cli_warn("%s: %s; its shares were not used",
			    node_name(&nodes[k], name, sizeof(name)),
			    nodes[k].why);
	}
out:
	if (nodes != NULL)
		for (k = 0; k < in->nsealed; k++) {
			ccc_buf_free(&nodes[k].blob);
			free(nodes[k].digest);
			free(nodes[k].ds);
		}
	free(nodes);
	free(good);
	if (key != NULL)
		sodium_free(key);
	ccc_buf_free(&pt);
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

int
ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_ct_list l;
	struct ccc_combine_in cin;
	struct emit_out eo;
	struct ccc_buf kb, rb;
	struct ccc_request rq;
	struct ccc_out out;
	uint8_t *sk = NULL, pk[32];
	char *in = (char *)o->in;
	int rc;
	bool out_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&l, 0, sizeof(l));
	memset(&cin, 0, sizeof(cin));
	ccc_buf_init(&kb, 1);	/* it holds the recipient key */
	ccc_buf_init(&rb, 0);
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		goto out;
	if ((sk = sodium_malloc(32)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_op_read(&kb, o->key, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_key_load(sk, pk, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->key);
		goto out;
	}
	cin.ctx = pk;	/* direct mode: shares bound to the recipient key */
	cin.ctx_len = 32;
	if (o->request != NULL) {
		/* Shares bound to the request id; its ciphertexts. */
		if ((rc = ccc_request_read(&rb, &rq, o->request, err)) != 0)
			goto out;
		if (CRYPTO_memcmp(rq.enclave_key, pk, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the request "
			    "names another enclave key than %s", o->key);
			ccc_err_what(err, o->request);
			goto out;
		}
		cin.ctx = rq.id;
		ccc_buf_init(&l.data, 0);
		if ((rc = ccc_request_cts(&l, &rq, o->request, err)) != 0)
			goto out;
	} else if ((rc = ccc_ct_list_load(&l, in ? &in : NULL, in ? 1 : 0,
	    err)) != 0)
		goto out;
	if (!o->seq && l.n != 1) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%zu ciphertexts "
		    "in the input; --seq decrypts a sequence", l.n);
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
	cin.cts = &l;
	cin.sealed = o->sealed;
	cin.nsealed = o->nsealed;
	eo.out = &out;
	eo.seq = o->seq;
	if ((rc = ccc_combine_core(&cin, emit_out, &eo, err)) != 0 ||
	    (rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	if (sk != NULL)
		sodium_free(sk);
	ccc_tdh2_pub_free(&pub);
	ccc_ct_list_free(&l);
	ccc_buf_free(&kb);
	ccc_buf_free(&rb);
	return rc;
}

int
ccc_combine_result(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_hpke_ctx h;
	struct ccc_result r;
	struct ccc_buf in, kb, pt;
	uint8_t *sk = NULL, pk[32];
	uint8_t info[sizeof(CCC_OUTPUT_INFO) + 32];
	int rc;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&kb, 1);
	ccc_buf_init(&pt, 1);
	if ((rc = ccc_op_read(&in, o->result, CCC_RESULT_OUTPUT_MAX + (1 << 21),
	    false, err)) != 0)
		goto out;
	if ((rc = ccc_result_decode(&r, in.p, in.len, err)) != 0) {
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
	if ((sk = sodium_malloc(32)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_op_read(&kb, o->key, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_key_load(sk, pk, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->key);
		goto out;
	}
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
	ccc_buf_free(&kb);
	ccc_buf_free(&pt);
	return rc;
}
