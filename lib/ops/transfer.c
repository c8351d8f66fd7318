/*
 * ccc-quorum-sign transfer and accept: a sender signs a transfer of an
 * encrypted amount; the application accepts it once.  And sign -C: an
 * oracle's signature of a result that advances a table chain.  See ccc(7)
 * PRIVATE TOKENS.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "ops.h"
#include "outset.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"
#include "transfer.h"

/* Load an identity (public or secret) from path; secret: must be one. */
static int
load_identity(struct ccc_identity **k, const char *path, bool secret,
    struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	if ((*k = ccc_identity_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
	ccc_buf_init(&b, secret);
	if ((rc = ccc_read_named(&b, path, 4096, secret, err)) == 0 &&
	    (rc = ccc_identity_load(*k, b.p, b.len, err)) == 0 && secret &&
	    !(*k)->has_secret)
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected an "
		    "identity secret key (ccc/identity-key/v1)");
	if (rc != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

/* The two parties of a transfer, and its input, read. */
static int
load_parties(struct ccc_identity **a, struct ccc_identity **b,
    struct ccc_buf *in, const struct ccc_transfer_opts *o,
    struct ccc_err *err)
{
	bool make = o->key != NULL;
	int rc;

	if ((rc = load_identity(a, make ? o->key : o->from, make, err)) != 0 ||
	    (rc = load_identity(b, o->to, false, err)) != 0)
		return rc;
	return ccc_read_named(in, o->in, make ? CCC_TRANSFER_AMOUNT_MAX :
	    2 * CCC_TRANSFER_AMOUNT_MAX, false, err);
}

int
ccc_transfer_make_run(const struct ccc_transfer_opts *o, struct ccc_err *err)
{
	struct ccc_identity *k = NULL, *to = NULL;
	struct ccc_val v[CT_NFIELDS];
	struct ccc_buf in, out;
	int rc;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&out, 0);
	if ((rc = load_parties(&k, &to, &in, o, err)) != 0)
		goto out;
	if ((rc = ccc_blob_decode(&ccc_schema_ct, in.p, in.len, v, 0,
	    err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	if ((rc = ccc_transfer_make(&out, k, to->pk, o->nonce, in.p, in.len,
	    err)) == 0)
		rc = ccc_write_file(o->out, out.p, out.len, CCC_OUT_BINARY |
		    (o->force ? CCC_OUT_FORCE : 0), err);
out:
	ccc_identity_free(k);
	ccc_identity_free(to);
	ccc_buf_free(&in);
	ccc_buf_free(&out);
	return rc;
}

int
ccc_transfer_accept_run(const struct ccc_transfer_opts *o,
    struct ccc_err *err)
{
	struct ccc_identity *from = NULL, *to = NULL;
	struct ccc_transfer t;
	struct ccc_buf in, rec;
	int rc, lock = -1;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&rec, 0);
	if ((rc = load_parties(&from, &to, &in, o, err)) != 0)
		goto out;
	/* One accept at a time on a record: two could take one nonce. */
	if ((rc = ccc_lock_beside(o->nonces, &lock, err)) != 0)
		goto out;
	if ((rc = ccc_transfer_decode(&t, in.p, in.len, err)) != 0 ||
	    (rc = ccc_transfer_verify(&t, from->pk, to->pk, err)) != 0 ||
	    (rc = ccc_nonces_accept(&rec, o->nonces, from->id, t.nonce,
	    err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	/* The amount goes out only once its nonce is on record. */
	{
		const struct ccc_file f[2] = {
			{ o->nonces, rec.p, rec.len, CCC_OUT_FORCE },
			{ o->out, t.amount, t.amount_len, CCC_OUT_BINARY |
			    (o->force ? CCC_OUT_FORCE : 0) },
		};
		rc = ccc_write_files(f, 2, err);
	}
out:
	if (lock >= 0)
		close(lock);
	ccc_identity_free(from);
	ccc_identity_free(to);
	ccc_buf_free(&in);
	ccc_buf_free(&rec);
	return rc;
}

int
ccc_chain_start_run(const struct ccc_transfer_opts *o, struct ccc_err *err)
{
	struct ccc_buf in, out;
	int rc;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&out, 0);
	if ((rc = ccc_app_id_check(o->app, strlen(o->app), -1, err)) != 0) {
		ccc_err_what(err, "-a");
		goto out;
	}
	if ((rc = ccc_read_named(&in, o->in, CCC_CT_SYM_MAX + 4096, false,
	    err)) != 0)
		goto out;
	if ((rc = ccc_chain_start(&out, o->app, in.p, in.len, err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	rc = ccc_write_file(o->out, out.p, out.len, o->force ? CCC_OUT_FORCE :
	    0, err);
out:
	ccc_buf_free(&in);
	ccc_buf_free(&out);
	return rc;
}

/*
 * An oracle that did not sign a certified result of the chain takes it
 * from the certificate, so that it is not left behind at the old head.
 */
int
ccc_chain_follow_run(const struct ccc_transfer_opts *o, struct ccc_err *err)
{
	struct ccc_roster roster;
	struct ccc_result r;
	const struct ccc_schema *type;
	const uint8_t *blob;
	size_t len;
	struct ccc_buf in, next;
	int rc, lock = -1;

	memset(&roster, 0, sizeof(roster));
	ccc_buf_init(&in, 0);
	ccc_buf_init(&next, 0);
	if ((rc = ccc_roster_read(&roster, o->roster, err)) != 0 ||
	    (rc = ccc_read_named(&in, o->in, CCC_BLOB_MAX, false, err)) != 0)
		goto out;
	if ((rc = ccc_lock_beside(o->chain, &lock, err)) != 0)
		goto out;
	if ((rc = ccc_cert_verify(&roster, in.p, in.len, o->now, &blob, &len,
	    &type, err)) != 0 || (type != &ccc_schema_result &&
	    (rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected a "
	    "certified result (%s), found %s", ccc_schema_result.type,
	    type->type)) != 0) ||
	    (rc = ccc_result_decode(&r, blob, len, err)) != 0 ||
	    (rc = ccc_chain_next(&next, o->chain, &r, err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	rc = ccc_write_file(o->chain, next.p, next.len, CCC_OUT_FORCE, err);
out:
	if (lock >= 0)
		close(lock);
	ccc_roster_free(&roster);
	ccc_buf_free(&in);
	ccc_buf_free(&next);
	return rc;
}

/*
 * The signature, and with -C the table chain advanced, as one set (lib/
 * outset.h): the chain is in place before the signature goes out, so that
 * an oracle never signs a result whose chain it could not advance (it
 * would then sign another result at the old head: a fork).  Only a
 * failure once the chain is in place (renaming the signature's file,
 * writing standard output) loses the signature: the oracle is then at
 * the head the result makes, as if it had signed.
 */
int
ccc_op_sign_write(const struct ccc_sign_opts *o, const struct ccc_buf *in,
    const struct ccc_buf *sig, struct ccc_err *err)
{
	struct ccc_result r;
	struct ccc_buf next;
	struct ccc_file f[2];
	size_t n = 0;
	int rc, lock = -1;

	ccc_buf_init(&next, 0);
	if (o->chain != NULL &&
	    (rc = ccc_lock_beside(o->chain, &lock, err)) != 0)
		goto done;
	if (o->chain != NULL &&
	    ((rc = ccc_result_decode(&r, in->p, in->len, err)) != 0 ||
	    (rc = ccc_chain_next(&next, o->chain, &r, err)) != 0)) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto done;
	}
	if (o->chain != NULL)
		f[n++] = (struct ccc_file){ o->chain, next.p, next.len,
		    CCC_OUT_FORCE };
	f[n++] = (struct ccc_file){ o->out, sig->p, sig->len, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0) };
	rc = ccc_write_files(f, n, err);
done:
	if (lock >= 0)
		close(lock);
	ccc_buf_free(&next);
	return rc;
}
