/* ccc-reencrypt: a decryption node's shares, sealed to a recipient. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "io.h"
#include "json.h"
#include "keys.h"
#include "ops.h"
#include "seal.h"
#include "seq.h"

int
ccc_ct_list_add(struct ccc_ct_list *l, const uint8_t *p, size_t n,
    const char *src, long item, long long at)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? 2 * l->cap : 16;
		size_t *o = reallocarray(l->off, nc, sizeof(*o));
		if (o == NULL)
			return CCC_E_NOMEM;
		l->off = o;
		if ((o = reallocarray(l->len, nc, sizeof(*o))) == NULL)
			return CCC_E_NOMEM;
		l->len = o;
		const char **s = reallocarray(l->src, nc, sizeof(*s));
		if (s == NULL)
			return CCC_E_NOMEM;
		l->src = s;
		long *it = reallocarray(l->item, nc, sizeof(*it));
		if (it == NULL)
			return CCC_E_NOMEM;
		l->item = it;
		long long *a = reallocarray(l->at, nc, sizeof(*a));
		if (a == NULL)
			return CCC_E_NOMEM;
		l->at = a;
		l->cap = nc;
	}
	l->off[l->n] = l->data.len;
	l->len[l->n] = n;
	l->src[l->n] = src;
	l->item[l->n] = item;
	l->at[l->n] = at;
	l->n++;
	return ccc_buf_put(&l->data, p, n);
}

void
ccc_ct_list_free(struct ccc_ct_list *l)
{
	ccc_buf_free(&l->data);
	free(l->off);
	free(l->len);
	free(l->src);
	free(l->item);
	free(l->at);
	memset(l, 0, sizeof(*l));
}

static int
load_one(struct ccc_ct_list *l, const char *path, struct ccc_err *err)
{
	const char *name = ccc_io_name(path, 0);
	struct ccc_buf b, conv;
	const uint8_t *item;
	size_t ilen, off = 0;
	long n = 0;
	int rc;

	ccc_buf_init(&b, 0);
	ccc_buf_init(&conv, 0);
	if ((rc = ccc_op_read(&b, path, CCC_CT_SYM_MAX + 4096, false,
	    err)) != 0)
		goto out;
	if (ccc_json_looks_like(b.p, b.len)) {
		if ((rc = ccc_json_ct_import(&conv, (const char *)b.p, b.len,
		    NULL, err)) != 0) {
			ccc_err_what(err, name);
			goto out;
		}
		rc = ccc_ct_list_add(l, conv.p, conv.len, name, 1, 0);
		goto out;
	}
	while (off < b.len) {
		n++;
		if ((rc = ccc_cbor_check(b.p + off, b.len - off,
		    CCC_CBOR_STRICT, CCC_CT_SYM_MAX + 4096, &ilen,
		    (long long)off, err)) != 0) {
			ccc_err_item(err, n);
			ccc_err_what(err, name);
			goto out;
		}
		item = b.p + off;
		if ((rc = ccc_ct_list_add(l, item, ilen, name, n,
		    (long long)off)) != 0)
			goto out;
		off += ilen;
	}
	if (n == 0)
		rc = ccc_err_set(err, CCC_E_TRUNCATED, -1, NULL,
		    "%s: no ciphertext in the input", name);
out:
	if (rc == CCC_E_NOMEM)
		ccc_err_set(err, rc, -1, NULL, "ciphertexts");
	ccc_buf_free(&b);
	ccc_buf_free(&conv);
	return rc;
}

int
ccc_ct_list_load(struct ccc_ct_list *l, char **files, int nfiles,
    struct ccc_err *err)
{
	int i, rc;

	memset(l, 0, sizeof(*l));
	ccc_buf_init(&l->data, 0);
	if (nfiles == 0)
		return load_one(l, NULL, err);
	for (i = 0; i < nfiles; i++)
		if ((rc = load_one(l, files[i], err)) != 0)
			return rc;
	return 0;
}

int
ccc_node_keys_load(struct ccc_tdh2_pub *pub, struct ccc_share **sh,
    BIGNUM **x, const char *tpk, const char *share, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_buf sb;
	int rc;

	memset(pub, 0, sizeof(*pub));
	*sh = NULL;
	*x = NULL;
	ccc_buf_init(&sb, 1);
	if ((rc = ccc_op_read_tpk(pub, tpk, err)) != 0)
		goto out;
	if ((*sh = ccc_share_new()) == NULL || (*x = BN_secure_new()) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
		goto out;
	}
	BN_set_flags(*x, BN_FLG_CONSTTIME);
	if ((rc = ccc_op_read(&sb, share, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_share_load(*sh, sb.p, sb.len, err)) != 0 ||
	    (rc = ccc_share_check(ec, *sh, pub, err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, *x, (*sh)->x, "x", err)) != 0)
		ccc_err_what(err, share);
out:
	if (rc != 0) {
		ccc_tdh2_pub_free(pub);
		ccc_share_free(*sh);
		BN_clear_free(*x);
		*sh = NULL;
		*x = NULL;
	}
	ccc_buf_free(&sb);
	return rc;
}

struct rec {
	uint8_t digest[32];
	struct ccc_tdh2_dshare ds;
};

int
ccc_reencrypt_run(const struct ccc_reencrypt_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	struct ccc_ct_list l;
	struct ccc_buf kb, ob;
	struct ccc_hpke_ctx hctx;
	struct ccc_sealed hdr;
	struct ccc_ct ct;
	struct rec *recs = NULL;
	BIGNUM *x = NULL;
	uint8_t rpk[32], bind[32];
	size_t i, clen = o->context ? strlen(o->context) : 0;
	int rc;

	memset(&pub, 0, sizeof(pub));
	memset(&l, 0, sizeof(l));
	memset(&hctx, 0, sizeof(hctx));
	ccc_buf_init(&kb, 0);
	ccc_buf_init(&ob, 0);
	if ((rc = ccc_node_keys_load(&pub, &sh, &x, o->tpk, o->share,
	    err)) != 0)
		goto out;
	ccc_buf_reset(&kb);
	if ((rc = ccc_op_read(&kb, o->to, 4096, false, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_pub_load(rpk, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->to);
		goto out;
	}
	if ((rc = ccc_ct_list_load(&l, o->cts, o->ncts, err)) != 0)
		goto out;
	if ((recs = calloc(l.n, sizeof(*recs))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	for (i = 0; i < l.n; i++) {
		if ((rc = ccc_ct_decode(&ct, l.data.p + l.off[i], l.len[i],
		    l.at[i], err)) != 0)
			goto item;
		if (ct.context == NULL && !o->allow_unlabelled) {
			rc = ccc_err_set(err, CCC_E_POLICY, -1, "context",
			    "unlabelled ciphertext (all-zero label) refused; "
			    "--allow-unlabelled accepts it");
			goto item;
		}
		if (o->context != NULL && (ct.context == NULL ||
		    ct.context_len != clen ||
		    memcmp(ct.context, o->context, clen) != 0)) {
			rc = ccc_err_set(err, CCC_E_POLICY, -1, "context",
			    "the ciphertext's label context is not \"%s\"",
			    o->context);
			goto item;
		}
		if ((rc = ccc_tdh2_verify(ec, &pub, &ct.t, err)) != 0)
			goto item;
		/* Direct mode: the proof is bound to the recipient key. */
		ccc_tdh2_share_bind(bind, pub.key_id, pub.epoch, sh->index,
		    ccc_ct_digest(&ct), rpk, 32);
		memcpy(recs[i].digest, ccc_ct_digest(&ct), 32);
		if ((rc = ccc_tdh2_share(ec, &recs[i].ds, &pub, x, sh->index,
		    &ct.t, bind, err)) != 0)
			goto item;
		continue;
item:
		ccc_err_item(err, l.item[i]);
		ccc_err_what(err, l.src[i]);
		goto out;
	}
	memcpy(hdr.key_id, pub.key_id, 32);
	hdr.epoch = pub.epoch;
	hdr.index = sh->index;
	hdr.context = rpk;
	hdr.context_len = 32;
	memcpy(hdr.recipient, rpk, 32);
	hdr.count = (uint32_t)l.n;
	if ((rc = ccc_sealed_begin(&ob, &hctx, &hdr, err)) != 0)
		goto out;
	for (i = 0; i < l.n; i++)
		if ((rc = ccc_sealed_add(&ob, &hctx, recs[i].digest,
		    &recs[i].ds, err)) != 0)
			goto out;
	rc = ccc_write_file(o->out, ob.p, ob.len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0),
	    err);
out:
	ccc_hpke_ctx_wipe(&hctx);
	BN_clear_free(x);
	ccc_share_free(sh);
	ccc_tdh2_pub_free(&pub);
	ccc_ct_list_free(&l);
	free(recs);
	ccc_buf_free(&kb);
	ccc_buf_free(&ob);
	return rc;
}
