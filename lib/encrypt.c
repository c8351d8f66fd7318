/* ccc-encrypt: plaintexts -> hybrid TDH2 ciphertexts (and Chainlink JSON). */
#include "config.h"

#include <string.h>

#include "cbor.h"
#include "io.h"
#include "json.h"
#include "keys.h"
#include "ops.h"
#include "seq.h"

#define PLAIN_MAX (CCC_CT_SYM_MAX - 16)

static int
load_tpk(struct ccc_ec *ec, struct ccc_tdh2_pub *pub, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_op_read(&b, path, 1 << 20, false, err)) == 0 &&
	    (rc = ccc_tpk_load(ec, pub, b.p, b.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

/* Convert a Chainlink hybrid ciphertext, checking it against the key. */
static int
from_json(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_encrypt_opts *o, struct ccc_buf *ob, struct ccc_err *err)
{
	struct ccc_buf ib;
	struct ccc_ct ct;
	int rc;

	ccc_buf_init(&ib, 0);
	if ((rc = ccc_op_read(&ib, o->in, CCC_JSON_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_json_ct_import(ob, (const char *)ib.p, ib.len,
	    o->context, err)) != 0 ||
	    (rc = ccc_ct_decode(&ct, ob->p, ob->len, 0, err)) != 0 ||
	    (rc = ccc_tdh2_verify(ec, pub, &ct.t, err)) != 0)
		ccc_err_what(err, ccc_io_name(o->in, 0));
out:
	ccc_buf_free(&ib);
	return rc;
}

int
ccc_encrypt_run(const struct ccc_encrypt_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_buf pt, ob, jb;
	struct ccc_out out;
	struct ccc_seq seq;
	size_t clen = o->context ? strlen(o->context) : 0;
	int rc, oflags;
	bool out_open = false, seq_open = false;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&pt, 1);
	ccc_buf_init(&ob, 0);
	ccc_buf_init(&jb, 0);
	if (o->context != NULL && (clen == 0 || clen > CCC_CONTEXT_MAX))
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "the label context must be 1 to %d bytes", CCC_CONTEXT_MAX);
	if ((rc = load_tpk(ec, &pub, o->tpk, err)) != 0)
		return rc;
	oflags = (o->json ? 0 : CCC_OUT_BINARY) | (o->force ? CCC_OUT_FORCE :
	    0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0);
	if ((rc = ccc_out_open(&out, o->out, oflags, err)) != 0)
		goto out;
	out_open = true;
	if (o->from_json) {
		if ((rc = from_json(ec, &pub, o, &ob, err)) != 0)
			goto out;
	} else if (!o->seq) {
		if ((rc = ccc_op_read(&pt, o->in, PLAIN_MAX, false, err)) != 0)
			goto out;
		if ((rc = ccc_ct_encrypt(ec, &ob, &pub, o->context, clen,
		    pt.p, pt.len, err)) != 0)
			goto out;
	} else {
		const uint8_t *item, *bp;
		size_t ilen, blen;
		long long at;
		struct ccc_cur c;

		if ((rc = ccc_seq_open(&seq, o->in, PLAIN_MAX + 16, 1,
		    err)) != 0)
			goto out;
		seq_open = true;
		while ((rc = ccc_seq_next(&seq, &item, &ilen, &at, err)) == 1) {
			ccc_cur_init(&c, item, ilen, at, err);
			if ((rc = ccc_cur_bstr(&c, &bp, &blen,
			    "plaintext")) != 0) {
				ccc_err_item(err, seq.item);
				ccc_err_what(err, seq.name);
				goto out;
			}
			if ((rc = ccc_ct_encrypt(ec, &ob, &pub, o->context,
			    clen, bp, blen, err)) != 0 ||
			    (rc = ccc_out_write(&out, ob.p, ob.len, err)) != 0)
				goto out;
			ob.len = 0;
		}
		if (rc < 0)
			goto out;
	}
	if (o->json && ob.len > 0) {
		struct ccc_ct ct;
		if ((rc = ccc_ct_decode(&ct, ob.p, ob.len, 0, err)) != 0 ||
		    (rc = ccc_json_ct_export(&jb, &ct)) != 0 ||
		    (rc = ccc_out_write(&out, jb.p, jb.len, err)) != 0)
			goto out;
	} else if (ob.len > 0 && (rc = ccc_out_write(&out, ob.p, ob.len,
	    err)) != 0)
		goto out;
	if ((rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	if (seq_open)
		ccc_seq_close(&seq);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&pt);
	ccc_buf_free(&ob);
	ccc_buf_free(&jb);
	return rc;
}
