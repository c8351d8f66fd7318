/*
 * ccc-enclave-run --serve: one enclave host process serves many requests
 * (the loop and the answers: lib/ops/serve.c).  What the host trusts and
 * is (roster, threshold key, enclave policy, attestation key, runtime
 * measurement) is read once (ccc_enclave_open).  Two kinds of item:
 *
 *   ccc/enclave-keygen/v1  a fresh attested per-request key; the answer's
 *                          output is its public blob (ccc/enclave-key/v1,
 *                          as keygen -o writes it); the secret stays in
 *                          this process, never on disk.
 *   ccc/enclave-job/v1     a certified request and the nodes' releases;
 *                          run as the one-shot form runs it, with the key
 *                          made here for it, which is then erased; the
 *                          output is the attested result (ccc/result/v1).
 *
 * The held keys live in one anonymous mapping of their own: locked in
 * memory when the limits allow, left out of core dumps, and wiped in any
 * child (MADV_WIPEONFORK), so that the sandbox's child, before it
 * executes the code, holds no other request's key.  A key is erased once
 * a job has opened shares with it, when it expires, and when serving ends.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "buf.h"
#include "combine.h"
#include "ops.h"
#include "pool.h"
#include "result.h"
#include "schemas.h"

struct held {
	uint8_t sk[32], pk[32];
	uint64_t expires;
	bool live;
};

struct enclave_serving {
	struct ccc_enclave *e;
	const struct ccc_eserve_opts *o;
	struct held *keys;	/* CCC_ENCLAVE_HELD_MAX, in their own mapping */
	size_t keys_size;
	struct held *current;	/* the job's key */
	const char *name;	/* the job's item */
	uint64_t now;
};

static void
erase(struct held *h)
{
	sodium_memzero(h, sizeof(*h));
}

/* Keys past their expiry are erased. */
static void
expire(struct enclave_serving *s)
{
	size_t i;

	for (i = 0; i < CCC_ENCLAVE_HELD_MAX; i++)
		if (s->keys[i].live && s->keys[i].expires < s->now)
			erase(&s->keys[i]);
}

static int
keys_map(struct enclave_serving *s, struct ccc_err *err)
{
	s->keys_size = CCC_ENCLAVE_HELD_MAX * sizeof(struct held);
	/* A child never holds them; without that, the host does not serve. */
	if ((s->keys = ccc_secret_pages(s->keys_size)) == NULL)
		return ccc_err_set(err, errno == EINVAL ? CCC_E_IO :
		    CCC_E_NOMEM, -1, NULL, "held keys: %s", errno == EINVAL ?
		    "this kernel does not wipe memory in a child "
		    "(MADV_WIPEONFORK)" : strerror(errno));
	return 0;
}

static void
keys_unmap(struct enclave_serving *s)
{
	ccc_secret_pages_free(s->keys, s->keys_size);
	s->keys = NULL;
}

/* A ccc/enclave-keygen/v1 item (v): a key made, held, its public blob out. */
static int
keygen_item(struct enclave_serving *s, const struct ccc_val *v,
    const char *name, struct ccc_out *out, struct ccc_err *err)
{
	struct ccc_attest_signer *signer;
	const uint8_t *rt;
	struct ccc_buf pb;
	struct held *h = NULL;
	uint64_t lifetime = v[EKG_EXPIRES_IN].present ? v[EKG_EXPIRES_IN].u :
	    s->o->lifetime;
	size_t i;
	int rc;

	for (i = 0; i < CCC_ENCLAVE_HELD_MAX && h == NULL; i++)
		if (!s->keys[i].live)
			h = &s->keys[i];
	if (h == NULL) {
		ccc_err_set(err, CCC_E_POLICY, -1, NULL, "this process holds "
		    "%d per-request keys, none used or expired; no new one",
		    CCC_ENCLAVE_HELD_MAX);
		ccc_err_what(err, name);
		return CCC_E_POLICY;
	}
	ccc_enclave_identity(s->e, &signer, &rt);
	ccc_buf_init(&pb, 0);
	if ((rc = ccc_enclave_key_make(signer, rt, s->now, lifetime,
	    v[EKG_CHALLENGE].present ? v[EKG_CHALLENGE].p : NULL,
	    v[EKG_CHALLENGE].present ? v[EKG_CHALLENGE].n : 0, h->sk,
	    h->pk, &pb, err)) == 0 &&
	    (rc = ccc_out_write(out, pb.p, pb.len, err)) == 0) {
		h->expires = s->now + lifetime;
		h->live = true;
	} else
		erase(h);
	ccc_buf_free(&pb);
	return rc;
}

/* The job's key: held here, made for this request and not yet used. */
static int
held_get(void *arg, const uint8_t want[32], uint8_t sk[32], uint8_t pk[32],
    struct ccc_err *err)
{
	struct enclave_serving *s = arg;
	char hex[17];
	size_t i;

	for (i = 0; i < CCC_ENCLAVE_HELD_MAX; i++)
		if (s->keys[i].live &&
		    CRYPTO_memcmp(s->keys[i].pk, want, 32) == 0) {
			s->current = &s->keys[i];
			memcpy(sk, s->current->sk, 32);
			memcpy(pk, s->current->pk, 32);
			return 0;
		}
	sodium_bin2hex(hex, sizeof(hex), want, 8);
	ccc_err_set(err, CCC_E_KEY, -1, NULL, "this process holds no "
	    "per-request key %s... (made by it, not yet used, not expired)",
	    hex);
	ccc_err_what(err, s->name);
	return CCC_E_KEY;
}

static void
held_used(void *arg)
{
	struct enclave_serving *s = arg;

	erase(s->current);
	s->current = NULL;
}

static void
held_unused(void *arg)
{
	struct enclave_serving *s = arg;

	s->current = NULL;
}

/* A ccc/enclave-job/v1 item (v): run, its result out. */
static int
job_item(struct enclave_serving *s, const struct ccc_val *v,
    const char *name, struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct ccc_enclave_keysrc ks = { held_get, held_used, held_unused, s };
	struct ccc_enclave_job j = { 0 };
	struct ccc_combine_mem *mem = NULL;
	char **names = NULL;
	struct ccc_cur c;
	size_t i;
	int rc = 0;

	j.nsealed = (int)v[EJOB_SEALED].count;
	if ((mem = calloc(v[EJOB_SEALED].count, sizeof(*mem))) == NULL ||
	    (names = calloc(v[EJOB_SEALED].count, sizeof(*names))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", name);
		goto out;
	}
	/* The releases: byte strings back to back, checked by the decoder. */
	ccc_cur_init(&c, v[EJOB_SEALED].p, v[EJOB_SEALED].n,
	    v[EJOB_SEALED].off, err);
	for (i = 0; i < v[EJOB_SEALED].count; i++) {
		if ((rc = ccc_cur_bstr(&c, &mem[i].p, &mem[i].len,
		    "sealed")) != 0)
			goto out;
		if (asprintf(&names[i], "%s sealed %zu", name, i + 1) < 0) {
			names[i] = NULL;
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s", name);
			goto out;
		}
	}
	s->name = name;
	j.in = name;
	j.in_p = v[EJOB_CERTIFIED].p;
	j.in_len = v[EJOB_CERTIFIED].n;
	j.sealed = names;
	j.sealed_mem = mem;
	if (v[EJOB_NONCE].present) {
		j.nonce = v[EJOB_NONCE].p;
		j.nonce_len = v[EJOB_NONCE].n;
	}
	j.now = s->now;
	rc = ccc_enclave_job_run(s->e, &j, &ks, out, rid, have_rid, err);
out:
	for (i = 0; names != NULL && i < v[EJOB_SEALED].count; i++)
		free(names[i]);
	free(names);
	free(mem);
	return rc;
}

static int
serve_item(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct enclave_serving *s = ctx;
	/* A key order, else a job (whose decoder names any other type). */
	const struct ccc_schema *type = ccc_blob_peek_type(p, n) ==
	    &ccc_schema_enclave_keygen ? &ccc_schema_enclave_keygen :
	    &ccc_schema_enclave_job;
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	int rc;

	s->now = s->o->fixed_now ? s->o->now : ccc_serve_clock();
	expire(s);
	if ((rc = ccc_blob_decode(type, p, n, v, 0, err)) != 0) {
		ccc_err_what(err, name);
		return rc;
	}
	if (type == &ccc_schema_enclave_keygen)
		return keygen_item(s, v, name, out, err);
	return job_item(s, v, name, out, rid, have_rid, err);
}

/*
 * Once an answer is out: the next signature's nonce and point, made while
 * the host waits for its next item rather than while a client waits for
 * an answer.  Every item served signs one document (a key's, a result's).
 */
static int
presign(void *ctx, struct ccc_err *err)
{
	struct enclave_serving *s = ctx;
	struct ccc_attest_signer *signer;
	const uint8_t *rt;

	(void)err;
	ccc_enclave_identity(s->e, &signer, &rt);
	ccc_attest_signer_presign(signer);
	return 0;
}

int
ccc_enclave_serve(const struct ccc_eserve_opts *o, struct ccc_err *err)
{
	struct enclave_serving s = { NULL, o, NULL, 0, NULL, NULL, 0 };
	int rc;

	if ((rc = ccc_enclave_open(&s.e, &o->host, err)) == 0 &&
	    (rc = keys_map(&s, err)) == 0 && (rc = presign(&s, err)) == 0)
		rc = ccc_serve_loop(serve_item, presign, &s, err);
	keys_unmap(&s);
	ccc_enclave_close(s.e);
	return rc;
}

/*
 * The items, for a client of --serve (ccc-enclave-run item): a key order
 * (lifetime 0: the server's default), or a job of the certified request
 * in file in and the nodes' releases in files sealed[].  The files are
 * copied as they are: the serving process checks everything.
 */
int
ccc_enclave_item(const struct ccc_eitem_opts *o, struct ccc_err *err)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_buf b, in, all;
	struct ccc_out out;
	int i, rc;

	if (o->nsealed > CCC_RESULT_SHARES_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%d sealed-share "
		    "files, at most %d", o->nsealed, CCC_RESULT_SHARES_MAX);
	memset(v, 0, sizeof(v));
	ccc_buf_init(&b, 0);
	ccc_buf_init(&in, 0);
	ccc_buf_init(&all, 0);
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err)) != 0)
		return rc;
	if (o->in == NULL) {
		if (o->lifetime != 0)
			ccc_val_uint(&v[EKG_EXPIRES_IN], o->lifetime);
		if (o->nonce != NULL)
			ccc_val_bytes(&v[EKG_CHALLENGE], o->nonce,
			    o->nonce_len);
		if (ccc_blob_encode(&b, &ccc_schema_enclave_keygen, v) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
		goto write;
	}
	if ((rc = ccc_read_file(&in, o->in, CCC_BLOB_MAX, err)) != 0)
		goto out;
	for (i = 0; i < o->nsealed; i++) {
		struct ccc_buf f;
		ccc_buf_init(&f, 0);
		if ((rc = ccc_read_file(&f, o->sealed[i], CCC_BLOB_MAX,
		    err)) == 0 && ccc_cbor_put_bstr(&all, f.p, f.len) != 0)
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
		ccc_buf_free(&f);
		if (rc != 0)
			goto out;
	}
	ccc_val_bytes(&v[EJOB_CERTIFIED], in.p, in.len);
	ccc_val_array(&v[EJOB_SEALED], all.p, all.len, (size_t)o->nsealed);
	if (o->nonce != NULL)
		ccc_val_bytes(&v[EJOB_NONCE], o->nonce, o->nonce_len);
	if (ccc_blob_encode(&b, &ccc_schema_enclave_job, v) != 0)
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "item");
write:
	if (rc == 0 && (rc = ccc_out_write(&out, b.p, b.len, err)) == 0 &&
	    (rc = ccc_out_commit(&out, err)) == 0)
		goto done;
out:
	ccc_out_abort(&out);
done:
	ccc_buf_free(&b);
	ccc_buf_free(&in);
	ccc_buf_free(&all);
	return rc;
}
