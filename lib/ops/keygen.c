/* ccc-keygen: trusted dealer, recipient keys, Chainlink JSON in and out. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <sodium.h>

#include "attest.h"
#include "hpke.h"
#include "identity.h"
#include "io.h"
#include "json.h"
#include "keys.h"
#include "ops.h"
#include "outset.h"
#include "schemas.h"

static int
dealer_paths_free(const char *dir, uint32_t n, bool json, struct ccc_err *err)
{
	char path[4096];
	uint32_t i;

	snprintf(path, sizeof(path), "%s/tpk.cbor", dir);
	if (access(path, F_OK) == 0)
		goto exists;
	if (json) {
		snprintf(path, sizeof(path), "%s/tpk.json", dir);
		if (access(path, F_OK) == 0)
			goto exists;
	}
	for (i = 1; i <= n; i++) {
		snprintf(path, sizeof(path), "%s/share-%u.cbor", dir, i);
		if (access(path, F_OK) == 0)
			goto exists;
	}
	return 0;
exists:
	return ccc_err_set(err, CCC_E_EXISTS, -1, NULL,
	    "%s: file exists (use -f to replace the key in %s)", path, dir);
}

int
ccc_keygen_dealer(const struct ccc_dealer_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	struct ccc_buf b, sb;
	struct ccc_outset set;
	BIGNUM **x = NULL;
	char path[4096];
	uint32_t i;
	int rc, flags = o->force ? CCC_OUT_FORCE : 0;

	ccc_buf_init(&b, 0);
	ccc_buf_init(&sb, 1);
	ccc_outset_init(&set);
	memset(&pub, 0, sizeof(pub));
	if (o->t < 1 || o->n < 1 || o->t > o->n || o->n > CCC_TDH2_MAX_N)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "need 1 <= t <= n <= %d (got t=%u, n=%u)", CCC_TDH2_MAX_N,
		    o->t, o->n);
	if (ec == NULL)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "P-256");
	if (mkdir(o->dir, 0700) != 0 && errno != EEXIST)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "%s: %s", o->dir,
		    strerror(errno));
	if (!o->force && (rc = dealer_paths_free(o->dir, o->n, o->json,
	    err)) != 0)
		return rc;
	if ((rc = ccc_tdh2_pub_alloc(ec, &pub, o->n)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "public key");
	pub.epoch = o->epoch;
	/* The key id names the key for life; g_bar is derived from it. */
	randombytes_buf(pub.key_id, 32);
	if ((x = calloc(o->n, sizeof(*x))) == NULL ||
	    (sh = ccc_share_new()) == NULL)
		goto nomem;
	for (i = 0; i < o->n; i++)
		if ((x[i] = BN_secure_new()) == NULL)
			goto nomem;
	if ((rc = ccc_tdh2_deal(ec, &pub, x, o->t, err)) != 0)
		goto out;
	/*
	 * One set: every file written beside its target first, so that a
	 * share that cannot be written leaves the old key as it was.  Then
	 * (-f) the old public key goes, the shares take their places, and the
	 * public key last: its presence marks a complete key, and nothing
	 * encrypts to a key whose shares were replaced.
	 */
	for (i = 1; i <= o->n; i++) {
		sh->index = i;
		sh->epoch = o->epoch;
		memcpy(sh->key_id, pub.key_id, 32);
		if (ccc_ec_scalar_encode(sh->x, x[i - 1]) != 0) {
			rc = ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "x");
			goto out;
		}
		ccc_buf_reset(&sb);
		if (ccc_share_encode(&sb, sh) != 0)
			goto nomem;
		snprintf(path, sizeof(path), "%s/share-%u.cbor", o->dir, i);
		if ((rc = ccc_outset_add(&set, path, sb.p, sb.len,
		    flags | CCC_OUT_SECRET, err)) != 0)
			goto out;
	}
	if (ccc_tpk_encode(&b, &pub) != 0)
		goto nomem;
	snprintf(path, sizeof(path), "%s/tpk.cbor", o->dir);
	if ((rc = ccc_outset_add(&set, path, b.p, b.len, flags, err)) != 0 ||
	    (o->force && (rc = ccc_outset_retire(&set, path, err)) != 0))
		goto out;
	snprintf(path, sizeof(path), "%s/tpk.json", o->dir);
	if (o->force && (rc = ccc_outset_retire(&set, path, err)) != 0)
		goto out;
	if (o->json) {
		ccc_buf_reset(&b);
		if (ccc_json_tpk_export(&b, &pub) != 0)
			goto nomem;
		if ((rc = ccc_outset_add(&set, path, b.p, b.len, flags,
		    err)) != 0)
			goto out;
	}
	rc = ccc_outset_commit(&set, err);
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "dealer");
out:
	if (x != NULL)
		for (i = 0; i < o->n; i++)
			BN_clear_free(x[i]);
	free(x);
	ccc_outset_free(&set);
	ccc_share_free(sh);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&b);
	ccc_buf_free(&sb);
	return rc;
}

int
ccc_keygen_recipient(const char *keyfile, bool force, const char *pubout,
    struct ccc_err *err)
{
	struct ccc_buf sb, pb;
	uint8_t *sk = NULL, pk[32];
	int rc;

	ccc_buf_init(&sb, 1);
	ccc_buf_init(&pb, 0);
	if ((sk = sodium_malloc(32)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_hpke_keygen(sk, pk)) != 0 ||
	    (rc = ccc_recipient_key_encode(&sb, sk, pk)) != 0 ||
	    (rc = ccc_recipient_pub_encode(&pb, pk)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "recipient key");
		goto out;
	}
	rc = ccc_write_key_pair(keyfile, sb.p, sb.len, pubout, pb.p, pb.len,
	    CCC_OUT_BINARY, force, err);
out:
	if (sk != NULL)
		sodium_free(sk);
	ccc_buf_free(&sb);
	ccc_buf_free(&pb);
	return rc;
}

int
ccc_keygen_export(const char *in, const char *out, bool force,
    struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	const struct ccc_schema *s;
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	struct ccc_buf ib, ob;
	int rc, flags = force ? CCC_OUT_FORCE : 0;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&ib, 1);
	ccc_buf_init(&ob, 1);
	if ((rc = ccc_read_named(&ib, in, 1 << 20, false, err)) != 0)
		goto out;
	s = ccc_blob_peek_type(ib.p, ib.len);
	if (s == &ccc_schema_tpk) {
		if ((rc = ccc_tpk_load(ec, &pub, ib.p, ib.len, err)) != 0 ||
		    (rc = ccc_json_tpk_export(&ob, &pub)) != 0)
			goto input;
	} else if (s == &ccc_schema_share) {
		/* A share is a secret file: refuse one that others can read. */
		if (in != NULL && strcmp(in, "-") != 0) {
			ccc_buf_reset(&ib);
			if ((rc = ccc_read_named(&ib, in, 1 << 20, true,
			    err)) != 0)
				goto out;
		}
		if ((sh = ccc_share_new()) == NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
			goto out;
		}
		if ((rc = ccc_share_load(sh, ib.p, ib.len, err)) != 0 ||
		    (rc = ccc_json_share_export(&ob, sh)) != 0)
			goto input;
		flags |= CCC_OUT_SECRET;
	} else {
		rc = ccc_err_set(err, CCC_E_TYPE, -1, NULL, "expected a "
		    "threshold public key or a key share");
		goto input;
	}
	/* Output errors name the output, not the input. */
	rc = ccc_write_file(out, ob.p, ob.len, flags, err);
	goto out;
input:
	ccc_err_what(err, ccc_io_name(in, 0));
out:
	ccc_share_free(sh);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&ib);
	ccc_buf_free(&ob);
	return rc;
}

int
ccc_keygen_import(const char *in, const char *out, uint32_t t,
    const char *tpk, bool force, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	struct ccc_buf ib, ob, kb;
	int rc, flags = CCC_OUT_BINARY | (force ? CCC_OUT_FORCE : 0);

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&ib, 1);
	ccc_buf_init(&ob, 1);
	ccc_buf_init(&kb, 0);
	/* A Chainlink private share is a secret file. */
	if ((rc = ccc_read_named(&ib, in, CCC_JSON_MAX, tpk != NULL, err)) != 0)
		goto out;
	if (tpk == NULL) {
		/* A public key. */
		if (t == 0) {
			rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL,
			    "importing a public key needs its threshold (-t), "
			    "which Chainlink's JSON does not carry");
			goto out;
		}
		if ((rc = ccc_json_tpk_import(ec, &pub, (const char *)ib.p,
		    ib.len, t, err)) != 0 || (rc = ccc_tpk_encode(&ob,
		    &pub)) != 0) {
			ccc_err_what(err, ccc_io_name(in, 0));
			goto out;
		}
	} else {
		if ((rc = ccc_op_read_tpk(&pub, tpk, err)) != 0)
			goto out;
		if ((sh = ccc_share_new()) == NULL) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
			goto out;
		}
		if ((rc = ccc_json_share_import(sh, (const char *)ib.p, ib.len,
		    &pub, err)) != 0 || (rc = ccc_share_check(ec, sh, &pub,
		    err)) != 0 || (rc = ccc_share_encode(&ob, sh)) != 0) {
			ccc_err_what(err, ccc_io_name(in, 0));
			goto out;
		}
		flags |= CCC_OUT_SECRET;
	}
	rc = ccc_write_file(out, ob.p, ob.len, flags, err);
out:
	ccc_share_free(sh);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&ib);
	ccc_buf_free(&ob);
	ccc_buf_free(&kb);
	return rc;
}

int
ccc_keygen_identity(const char *keyfile, const char *name, bool force,
    const char *pubout, struct ccc_err *err)
{
	struct ccc_identity *k;
	struct ccc_buf sb, pb;
	int rc;

	ccc_buf_init(&sb, 1);
	ccc_buf_init(&pb, 0);
	if ((k = ccc_identity_new()) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_identity_generate(k, name)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, rc == CCC_E_USAGE ?
		    "-N: a name is 1 to %d bytes of UTF-8" : "identity key",
		    CCC_ID_NAME_MAX);
		goto out;
	}
	if ((rc = ccc_identity_encode_key(&sb, k)) != 0 ||
	    (rc = ccc_identity_encode_pub(&pb, k)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "identity key");
		goto out;
	}
	rc = ccc_write_key_pair(keyfile, sb.p, sb.len, pubout, pb.p, pb.len,
	    CCC_OUT_BINARY, force, err);
out:
	ccc_identity_free(k);
	ccc_buf_free(&sb);
	ccc_buf_free(&pb);
	return rc;
}

int
ccc_keygen_attest_root(const char *keyfile, const char *name, bool force,
    const char *certout, struct ccc_err *err)
{
	struct ccc_buf sb, pb;
	int rc;

	ccc_buf_init(&sb, 1);
	ccc_buf_init(&pb, 0);
	/* PEM is text: the public half may go to a terminal. */
	if ((rc = ccc_attest_root_new(&sb, &pb, name, err)) == 0)
		rc = ccc_write_key_pair(keyfile, sb.p, sb.len, certout, pb.p,
		    pb.len, 0, force, err);
	ccc_buf_free(&sb);
	ccc_buf_free(&pb);
	return rc;
}

int
ccc_keygen_enclave_cert(const char *rootfile, const char *keyfile,
    const char *id, bool force, const char *chainout, struct ccc_err *err)
{
	struct ccc_buf sb, pb;
	int rc;

	ccc_buf_init(&sb, 1);
	ccc_buf_init(&pb, 0);
	if ((rc = ccc_attest_enclave_new(&sb, &pb, rootfile, id, err)) == 0)
		rc = ccc_write_key_pair(keyfile, sb.p, sb.len, chainout, pb.p,
		    pb.len, 0, force, err);
	ccc_buf_free(&sb);
	ccc_buf_free(&pb);
	return rc;
}
