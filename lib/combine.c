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
#include "seal.h"

struct node {
	const char *file;
	struct ccc_buf blob;
	struct ccc_sealed s;
	uint8_t (*digest)[32];
	struct ccc_tdh2_dshare *ds;
	bool bad;		/* excluded for every ciphertext */
	bool warned;
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

/* Load and open one node's sealed blob; failures only mark the node. */
static int
load_node(struct node *nd, const struct ccc_tdh2_pub *pub,
    const uint8_t *sk, const uint8_t pk[32], struct ccc_err *err)
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
	if (CRYPTO_memcmp(nd->s.recipient, pk, 32) != 0) {
		node_fail(nd, true, "%s", "sealed to another recipient");
		return 0;
	}
	if (nd->s.context_len != 32 ||
	    CRYPTO_memcmp(nd->s.context, pk, 32) != 0) {
		node_fail(nd, true, "%s", "made for another request or "
		    "recipient");
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
ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_ct_list l;
	struct node *nodes = NULL;
	const struct ccc_tdh2_dshare **good = NULL;
	struct ccc_buf kb, pt, ob;
	struct ccc_out out;
	struct ccc_ct ct;
	struct ccc_err e;
	uint8_t *sk = NULL, pk[32], bind[32], *key = NULL;
	char *in = (char *)o->in;
	size_t i, j, ngood;
	int rc, k;
	bool out_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&l, 0, sizeof(l));
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&pt, 1);
	ccc_buf_init(&ob, 1);
	if ((rc = ccc_op_read(&kb, o->tpk, 1 << 20, false, err)) != 0)
		goto out;
	if ((rc = ccc_tpk_load(ec, &pub, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->tpk);
		goto out;
	}
	ccc_buf_free(&kb);
	ccc_buf_init(&kb, 1);
	if ((sk = sodium_malloc(32)) == NULL || (key = sodium_malloc(32)) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_op_read(&kb, o->key, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_key_load(sk, pk, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->key);
		goto out;
	}
	if ((nodes = calloc(o->nsealed, sizeof(*nodes))) == NULL ||
	    (good = calloc(o->nsealed, sizeof(*good))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	for (k = 0; k < o->nsealed; k++) {
		nodes[k].file = o->sealed[k];
		if ((rc = load_node(&nodes[k], &pub, sk, pk, err)) != 0)
			goto out;
		/* Two blobs from one node count once. */
		for (j = 0; j < (size_t)k; j++)
			if (!nodes[k].bad && !nodes[j].bad &&
			    nodes[j].s.index == nodes[k].s.index) {
				ccc_cli_warn("node %u: %s repeats %s; ignored",
				    nodes[k].s.index, nodes[k].file,
				    nodes[j].file);
				nodes[k].bad = nodes[k].warned = true;
			}
	}
	if ((rc = ccc_ct_list_load(&l, in ? &in : NULL, in ? 1 : 0,
	    err)) != 0)
		goto out;
	if (!o->seq && l.n != 1) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%zu ciphertexts "
		    "in the input; --seq decrypts a sequence", l.n);
		goto out;
	}
	for (k = 0; k < o->nsealed; k++)
		if (!nodes[k].bad && nodes[k].s.count != l.n) {
			node_fail(&nodes[k], true, "its shares cover %u "
			    "ciphertexts, the input has %zu", nodes[k].s.count,
			    l.n);
		}
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0),
	    err)) != 0)
		goto out;
	out_open = true;
	for (i = 0; i < l.n; i++) {
		if ((rc = ccc_ct_decode(&ct, l.data.p + l.off[i], l.len[i], 0,
		    err)) != 0 || (rc = ccc_tdh2_verify(ec, &pub, &ct.t,
		    err)) != 0) {
			ccc_err_item(err, l.item[i]);
			ccc_err_what(err, l.src[i]);
			goto out;
		}
		ngood = 0;
		for (k = 0; k < o->nsealed; k++) {
			struct node *nd = &nodes[k];
			if (nd->bad)
				continue;
			if (CRYPTO_memcmp(nd->digest[i], ct.digest, 32) != 0) {
				node_fail(nd, false, "%s", "share made for "
				    "another ciphertext");
				continue;
			}
			ccc_tdh2_share_bind(bind, pub.key_id, pub.epoch,
			    nd->s.index, ct.digest, nd->s.context,
			    nd->s.context_len);
			ccc_err_clear(&e);
			if (ccc_tdh2_share_verify(ec, &pub, &ct.t, &nd->ds[i],
			    bind, &e) != 0) {
				node_fail(nd, false, "%s", e.detail);
				continue;
			}
			good[ngood++] = &nd->ds[i];
		}
		if (ngood < pub.t) {
			char list[1024];
			size_t off = 0;
			list[0] = '\0';
			for (k = 0; k < o->nsealed && off < sizeof(list); k++)
				if (nodes[k].why[0] != '\0')
					off += (size_t)snprintf(list + off,
					    sizeof(list) - off, "; node %u "
					    "(%s): %s", nodes[k].s.index,
					    nodes[k].file, nodes[k].why);
			rc = ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL,
			    "%zu valid shares, %u needed%s", ngood, pub.t,
			    list);
			ccc_err_item(err, l.item[i]);
			ccc_err_what(err, l.src[i]);
			goto out;
		}
		if ((rc = ccc_tdh2_combine(ec, key, &pub, &ct.t, good, ngood,
		    err)) != 0 || (rc = ccc_ct_open_sym(&pt, &ct, key,
		    err)) != 0) {
			ccc_err_item(err, l.item[i]);
			ccc_err_what(err, l.src[i]);
			goto out;
		}
		ob.len = 0;
		if (o->seq && (rc = ccc_cbor_put_bstr_head(&ob, pt.len)) != 0) {
			rc = ccc_err_set(err, rc, -1, NULL, "output");
			goto out;
		}
		if ((rc = ccc_out_write(&out, ob.p, ob.len, err)) != 0 ||
		    (rc = ccc_out_write(&out, pt.p, pt.len, err)) != 0)
			goto out;
	}
	if ((rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
	for (k = 0; k < o->nsealed; k++)
		if (nodes[k].why[0] != '\0' && !nodes[k].warned)
			ccc_cli_warn("node %u (%s): %s; its shares were not "
			    "used", nodes[k].s.index, nodes[k].file,
			    nodes[k].why);
out:
	if (out_open)
		ccc_out_abort(&out);
	if (nodes != NULL)
		for (k = 0; k < o->nsealed; k++) {
			ccc_buf_free(&nodes[k].blob);
			free(nodes[k].digest);
			free(nodes[k].ds);
		}
	free(nodes);
	free(good);
	if (sk != NULL)
		sodium_free(sk);
	if (key != NULL)
		sodium_free(key);
	ccc_tdh2_pub_free(&pub);
	ccc_ct_list_free(&l);
	ccc_buf_free(&kb);
	ccc_buf_free(&pt);
	ccc_buf_free(&ob);
	return rc;
}
