#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "attest.h"
#include "coin.h"
#include "cli.h"
#include "combine.h"
#include "ctsrc.h"
#include "enclave.h"
#include "hpke.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "quorum.h"
#include "result.h"
#include "schemas.h"

/* Collects the plaintexts into the code's input (secret memory). */
static int
collect(void *arg, size_t i, const uint8_t *p, size_t n, struct ccc_err *err)
{
	struct ccc_buf *in = arg;

	(void)i;
	if (ccc_cbor_put_bstr(in, p, n) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
	return 0;
}

/*
 * The verdicts on the sealed-share files: reported as ccc-combine reports
 * them, and each final one kept, in input order, as the result's field 11
 * (ccc_schema_result_share maps back to back).
 */
struct verdicts {
	struct ccc_op_nodes *nr;
	struct ccc_buf maps;
	size_t n;
	bool nomem;
};

static void
verdict_note(void *arg, const struct ccc_node_report *r)
{
	struct verdicts *vs = arg;
	struct ccc_val sv[RSH_NFIELDS];
	const char *name = ccc_combine_cause_name(r->cause);

	ccc_op_node_note(vs->nr, r);
	if (!r->final)
		return;
	ccc_val_uint(&sv[RSH_NODE], r->index);
	ccc_val_bytes(&sv[RSH_VERDICT], name, strlen(name));
	if (r->digest != NULL)
		ccc_val_bytes(&sv[RSH_DIGEST], r->digest, 32);
	else
		sv[RSH_DIGEST].present = false;
	if (ccc_blob_encode(&vs->maps, &ccc_schema_result_share, sv) != 0)
		vs->nomem = true;
	vs->n++;
}

/*
 * The TCP ports the code may connect to: those the request names, each of
 * which the enclave policy must allow.
 */
static int
narrow_ports(struct ccc_sandbox_limits *l, const struct ccc_request *rq,
    struct ccc_err *err)
{
	size_t i, j;

	for (i = 0; i < rq->negress; i++) {
		for (j = 0; !l->any_port && j < l->nports; j++)
			if (l->ports[j] == rq->egress[i])
				break;
		if (!l->any_port && j == l->nports)
			return ccc_err_set(err, CCC_E_POLICY, -1, "egress", "the "
			    "request asks to connect to port %u, which this "
			    "enclave's policy does not allow",
			    (unsigned)rq->egress[i]);
	}
	l->any_port = false;
	l->nports = rq->negress;
	for (i = 0; i < rq->negress; i++)
		l->ports[i] = rq->egress[i];
	return 0;
}

/*
 * The last code a host loaded, kept for the next job (a serving host runs
 * the same program request after request): its bytes, which hashed to
 * meas, and what stat said of its file.  It is used only while the file
 * is the same file, unchanged (device, inode, size, modification and
 * change times), so that removing or replacing a program's file takes
 * effect from the next job, as it does when every job reads it.
 */
struct code_cache {
	uint8_t meas[48];
	struct stat st;
	struct ccc_buf code;
	bool used;
};

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * Load the code named by its measurement and check its digest, into the
 * cache cc (its bytes then at cc->code), or, read and hashed again, when
 * the cache holds other code or its file changed.
 */
static int
load_code(struct code_cache *cc, const char *dir, const uint8_t meas[48],
    struct ccc_err *err)
{
	char hex[97], *path = NULL;
	struct ccc_buf *code = &cc->code;
	struct stat st;
	bool have_st;
	uint8_t d[48];
	int rc;

	sodium_bin2hex(hex, sizeof(hex), meas, 48);
	if (asprintf(&path, "%s/%s", dir, hex) < 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "code");
	/* (Before the read: a change during it is seen by the next job.) */
	have_st = stat(path, &st) == 0;
	if (have_st && cc->used && memcmp(cc->meas, meas, 48) == 0 &&
	    same_file(&cc->st, &st)) {
		free(path);
		return 0;
	}
	cc->used = false;
	ccc_buf_reset(code);
	if ((rc = ccc_read_file(code, path, 256UL << 20, err)) != 0) {
		/* The directory, and the code by its measurement. */
		if (err != NULL) {
			char why[128];
			snprintf(why, sizeof(why), "%.100s", err->detail);
			snprintf(err->detail, sizeof(err->detail), "code "
			    "%.16s...: %s", hex, why);
			(void)ccc_err_rename(err, dir);
		}
		goto out;
	}
	if (EVP_Digest(code->p, code->len, d, NULL, EVP_sha384(), NULL) != 1) {
		rc = ccc_err_openssl(err, "sha384");
		goto out;
	}
	/* Content-addressed: a file whose bytes do not hash to its name. */
	if (memcmp(d, meas, 48) != 0) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "code", "code %.16s...: "
		    "its SHA-384 is not the request's code measurement; not "
		    "run", hex);
		ccc_err_what(err, dir);
	} else if (have_st) {
		memcpy(cc->meas, meas, 48);
		cc->st = st;
		cc->used = true;
	}
out:
	free(path);
	return rc;
}

/*
 * The output in the request's mode.  With a seed (level 2) every random
 * value it takes (the HPKE key of a sealed output; the AES key, nonce
 * and TDH2 scalars of a threshold one) is drawn from it, so that honest
 * replicas make the same bytes.
 */
static int
make_output(struct ccc_buf *outp, const struct ccc_request *rq,
    const struct ccc_tdh2_pub *pub, const struct ccc_buf *stdout_bytes,
    const uint8_t *seed, struct ccc_err *err)
{
	struct ccc_hpke_ctx h;
	struct ccc_drbg d;
	struct ccc_ec *ec = ccc_ec_default();
	uint8_t info[sizeof(CCC_OUTPUT_INFO) + 32], ikm[32];
	char ctx[CCC_APP_ID_MAX + 16];
	int rc;

	if (seed != NULL)
		ccc_drbg_init(&d, seed, "output");

	switch (rq->output) {
	case CCC_OUTPUT_PUBLIC:
		rc = ccc_buf_put(outp, stdout_bytes->p, stdout_bytes->len) ?
		    ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "output") : 0;
		break;
	case CCC_OUTPUT_SEALED:
		memcpy(info, CCC_OUTPUT_INFO, sizeof(CCC_OUTPUT_INFO));
		memcpy(info + sizeof(CCC_OUTPUT_INFO), rq->id, 32);
		if (ccc_buf_reserve(outp, 32 + stdout_bytes->len + 16) != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "output");
			break;
		}
		if (seed != NULL)
			ccc_drbg_bytes(&d, ikm, sizeof(ikm));
		rc = ccc_hpke_setup_s(&h, outp->p, rq->recipient, info,
		    sizeof(info), seed != NULL ? ikm : NULL,
		    seed != NULL ? sizeof(ikm) : 0);
		sodium_memzero(ikm, sizeof(ikm));
		if (rc != 0 ||
		    (rc = ccc_hpke_seal(&h, outp->p + 32, NULL, 0,
		    stdout_bytes->p, stdout_bytes->len)) != 0)
			rc = ccc_err_set(err, CCC_E_KEY, -1, "recipient",
			    "cannot seal the output to the request's "
			    "recipient");
		else
			outp->len = 32 + stdout_bytes->len + 16;
		ccc_hpke_ctx_wipe(&h);
		break;
	case CCC_OUTPUT_THRESHOLD:
		snprintf(ctx, sizeof(ctx), CCC_OUTPUT_CONTEXT_FMT,
		    (int)rq->app_len, rq->app);
		if (seed != NULL)
			ec->drbg = &d;
		rc = ccc_ct_encrypt(ec, outp, pub, ctx, strlen(ctx),
		    stdout_bytes->p, stdout_bytes->len, err);
		ec->drbg = NULL;
		break;
	default:
		rc = ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "output mode");
	}
	/* The output key stream, seeded by the coin: wiped on every path. */
	sodium_memzero(&d, sizeof(d));
	return rc;
}

/* What an enclave host trusts and is, read once (ccc_enclave_open). */
struct ccc_enclave {
	struct ccc_tdh2_pub pub;	/* its tables kept from job to job */
	struct ccc_roster roster;
	struct ccc_enclave_policy pol;
	struct ccc_attest_signer *signer;
	const char *codedir;
	struct code_cache code;	/* the last code loaded */
	uint8_t eid[32], rt[48];
};

int
ccc_enclave_open(struct ccc_enclave **ep, const struct ccc_enclave_opts *o,
    struct ccc_err *err)
{
	struct ccc_enclave *e;
	int rc;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "enclave");
	e->codedir = o->codedir;
	ccc_buf_init(&e->code.code, 0);
	if ((rc = ccc_enclave_policy_load(&e->pol, o->policy, err)) != 0 ||
	    (rc = ccc_roster_read(&e->roster, o->roster, err)) != 0 ||
	    (rc = ccc_op_read_tpk(&e->pub, o->tpk, err)) != 0 ||
	    (rc = ccc_attest_signer_load(&e->signer, o->attest_key,
	    err)) != 0 ||
	    (rc = ccc_enclave_runtime(e->rt, err)) != 0) {
		ccc_enclave_close(e);
		return rc;
	}
	ccc_attest_signer_id(e->signer, e->eid);
	*ep = e;
	return 0;
}

void
ccc_enclave_close(struct ccc_enclave *e)
{
	if (e == NULL)
		return;
	ccc_attest_signer_free(e->signer);
	ccc_buf_free(&e->code.code);
	ccc_tdh2_pub_free(&e->pub);
	ccc_roster_free(&e->roster);
	free(e);
}

void
ccc_enclave_identity(const struct ccc_enclave *e, struct ccc_attest_signer
    **signer, const uint8_t **rt)
{
	*signer = e->signer;
	*rt = e->rt;
}

int
ccc_enclave_job_run(struct ccc_enclave *e, const struct ccc_enclave_job *j,
    const struct ccc_enclave_keysrc *ks, struct ccc_out *out, uint8_t rid[32],
    bool *have_rid, struct ccc_err *err)
{
	struct ccc_tdh2_pub *pub = &e->pub;
	struct ccc_enclave_policy pol = e->pol;
	struct ccc_request rq, view;
	struct ccc_ct_src src;
	struct ccc_combine_in cin;
	struct ccc_coin coin;
	uint8_t *seed = NULL;
	uint64_t rtime;
	bool level2 = false;
	struct ccc_op_nodes nr;
	struct verdicts vs;
	struct ccc_sandbox_result res;
	struct ccc_nitro_claims claims;
	struct ccc_val v[RES_NFIELDS], ev[EIN_NFIELDS];
	struct ccc_buf cb, in, so, outp, digests, doc, blob;
	const struct ccc_buf *code = &e->code.code;
	bool src_open = false, key_held = false;
	const uint8_t *p;
	size_t n;
	uint8_t *sk = NULL, pk[32], binding[32], od[32];
	char desc[128], gaps[1024];
	int rc;

	ccc_buf_init(&cb, 0);
	ccc_buf_init(&in, 1);
	ccc_buf_init(&so, 1);
	ccc_buf_init(&outp, 0);
	ccc_buf_init(&digests, 0);
	ccc_buf_init(&doc, 0);
	ccc_buf_init(&blob, 0);
	memset(&vs, 0, sizeof(vs));
	vs.nr = &nr;
	ccc_buf_init(&vs.maps, 0);
	*have_rid = false;

	if ((rc = ccc_op_nodes_open(&nr, j->report, j->force, err)) != 0)
		goto out;
	/* Every file's verdict goes into the result. */
	if (j->nsealed > CCC_RESULT_SHARES_MAX) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%d sealed-share "
		    "files, at most %d", j->nsealed, CCC_RESULT_SHARES_MAX);
		goto out;
	}

	/* The request: certified, fresh, ours. */
	if ((rc = j->in_p != NULL ?
	    ccc_certified_request_decode(j->in_p, j->in_len, &rq, &e->roster,
	    j->now, j->in, err) :
	    ccc_certified_request_read(&cb, &rq, &e->roster, j->in, j->now,
	    err)) != 0)
		goto out;
	memcpy(rid, rq.id, 32);
	*have_rid = true;
	if ((rc = ccc_request_accept(&rq, pub->key_id, pub->epoch, j->now,
	    err)) != 0)
		goto in_err;
	/* Ours: the enclave, or at level 2 one of its replicas. */
	if ((rc = ccc_request_replica_of(&view, &rq, e->eid, err)) < 0)
		goto in_err;
	if (rc == 1) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, "enclave_id", "the "
		    "request is assigned to another enclave than %s",
		    ccc_attest_signer_module_id(e->signer));
		goto in_err;
	}
	rq = view;
	level2 = rq.security == CCC_SECURITY_REPLICATED;
	/* Level 2: no randomness but the coin's seed. */
	pol.lim.deterministic = level2;
	if (rq.network && !pol.allow_network) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "network", "the "
		    "request asks for network access, which this enclave's "
		    "policy denies");
		goto in_err;
	}
	pol.lim.network = rq.network && pol.allow_network;
	/* The request's egress allow-list, bounded by the policy's. */
	if (pol.lim.network && rq.negress > 0 &&
	    (rc = narrow_ports(&pol.lim, &rq, err)) != 0)
		goto in_err;
	if ((rc = load_code(&e->code, e->codedir, rq.code, err)) != 0 ||
	    (rc = ccc_sandbox_check(&pol.lim, err)) != 0)
		goto out;

	/* The per-request key: used once, then erased. */
	if ((sk = sodium_malloc(32)) == NULL ||
	    (seed = sodium_malloc(32)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ks->get(ks->arg, rq.enclave_key, sk, pk, err)) != 0)
		goto out;
	key_held = true;

	/* Open, verify, combine, decrypt: the code's input. */
	/*
	 * ccc/enclave-input/v1 (lib/schemas.c): its inputs, the last field,
	 * are appended as they are decrypted (collect()).
	 */
	memset(ev, 0, sizeof(ev));
	ccc_val_bytes(&ev[EIN_REQUEST], rq.id, 32);
	ccc_val_bytes(&ev[EIN_APP], rq.app, rq.app_len);
	if ((rc = ccc_blob_encode_prefix(&in, &ccc_schema_enclave_input, ev,
	    level2 ? 2 : 1)) != 0 ||
	    (rc = ccc_cbor_put_uint(&in,
	    ccc_schema_enclave_input.fields[EIN_INPUTS].key)) != 0 ||
	    (rc = ccc_cbor_put_array(&in, rq.cts.count)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
		goto out;
	}
	memset(&cin, 0, sizeof(cin));
	cin.pub = pub;
	cin.sk = sk;
	cin.pk = pk;
	cin.ctx = rq.id;
	cin.ctx_len = 32;
	ccc_request_cts(&rq, &src, j->in);
	src_open = true;
	cin.cts = &src;
	cin.sealed = j->sealed;
	cin.sealed_mem = j->sealed_mem;
	cin.nsealed = j->nsealed;
	cin.digests = true;
	cin.verdict = verdict_note;
	cin.verdict_arg = &vs;
	if (level2) {
		if ((rc = ccc_coin_init(&coin, CCC_COIN_ENCLAVE, pub, rq.id,
		    err)) != 0)
			goto out;
		cin.coin = &coin;
		cin.coin_seed = seed;
	}
	rc = ccc_combine_core(&cin, collect, &in, err);
	/* Level 2: the seed, the input's last field. */
	if (rc == 0 && level2 && (ccc_cbor_put_uint(&in,
	    ccc_schema_enclave_input.fields[EIN_SEED].key) != 0 ||
	    ccc_cbor_put_bstr(&in, seed, 32) != 0))
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
	/* Used: gone from memory and disk, whatever the shares were. */
	sodium_memzero(sk, 32);
	ks->used(ks->arg);
	key_held = false;
	/* The verdicts on the nodes, also when too few shares were valid. */
	rc = ccc_op_nodes_commit(&nr, "ccc-enclave-run", rc, err);
	if (rc != 0)
		goto out;
	if (vs.nomem || vs.n != (size_t)j->nsealed) {
		rc = ccc_err_set(err, vs.nomem ? CCC_E_NOMEM : CCC_E_INTERNAL,
		    -1, NULL, "the shares' verdicts");
		goto out;
	}

	/* Run the measured code. */
	if ((rc = ccc_sandbox_run(code->p, code->len, in.p, in.len, &pol.lim,
	    &so, &res, err)) != 0)
		goto out;
	if (res.missing != 0)
		ccc_cli_warn("the sandbox ran without what this kernel does "
		    "not give: %s", ccc_sandbox_missing(res.missing, gaps,
		    sizeof(gaps)));
	ccc_buf_reset(&in);
	if (res.outcome != CCC_RUN_OK) {
		rc = ccc_err_set(err, CCC_E_CODE, -1, NULL, "the code %s; no "
		    "result and no attestation", ccc_sandbox_describe(&res,
		    desc, sizeof(desc)));
		goto out;
	}
#ifdef CCC_TEST_HOOKS
	/*
	 * A compromised replica (ccc-flow --corrupt-replica): its program's
	 * output altered before it is attested, as an enclave whose runtime
	 * an attacker controls would do.
	 */
	if (getenv("CCC_TEST_CORRUPT_OUTPUT") != NULL && so.len > 0)
		so.p[0] ^= 1;
#endif
	if ((rc = make_output(&outp, &rq, pub, &so, level2 ? seed : NULL,
	    err)) != 0)
		goto out;
	ccc_buf_reset(&so);

	/* The result and its attestation. */
	if ((rc = ccc_ct_src_rewind(&src, err)) != 0)
		goto out;
	while ((rc = ccc_ct_src_next(&src, &p, &n, err)) == 1) {
		uint8_t d[32];
		crypto_hash_sha256(d, p, n);
		if (ccc_buf_put(&digests, d, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "result");
			goto out;
		}
	}
	if (rc != 0)
		goto out;
	crypto_hash_sha256(od, outp.p, outp.len);
	/* Level 2: the request's time, the same on every replica. */
	rtime = level2 ? rq.created : j->now;
	ccc_binding_digest(binding, rq.id, rq.app, rq.app_len, rq.code,
	    digests.p, src.n, od, rtime, vs.maps.p, vs.maps.len, vs.n);
	ccc_val_bytes(&v[RES_REQUEST], rq.id, 32);
	ccc_val_bytes(&v[RES_APP], rq.app, rq.app_len);
	ccc_val_bytes(&v[RES_CODE], rq.code, 48);
	ccc_val_array(&v[RES_INPUTS], digests.p, digests.len, src.n);
	ccc_val_uint(&v[RES_MODE], rq.output);
	ccc_val_bytes(&v[RES_OUTPUT], outp.p, outp.len);
	ccc_val_bytes(&v[RES_OUTPUT_DIGEST], od, 32);
	ccc_val_uint(&v[RES_TIME], rtime);
	ccc_val_bytes(&v[RES_ENCLAVE], e->eid, 32);
	memset(&claims, 0, sizeof(claims));
	claims.timestamp_ms = j->now * 1000;
	claims.pcr[CCC_PCR_RUNTIME] = e->rt;
	claims.pcr[CCC_PCR_CODE] = rq.code;
	claims.public_key = rq.enclave_key;
	claims.public_key_len = 32;
	claims.user_data = binding;
	claims.user_data_len = 32;
	claims.nonce = j->nonce;
	claims.nonce_len = j->nonce_len;
	if ((rc = ccc_attest_sign_software(&doc, e->signer, &claims,
	    err)) != 0)
		goto out;
	ccc_val_bytes(&v[RES_DOC], doc.p, doc.len);
	ccc_val_array(&v[RES_SHARES], vs.maps.p, vs.maps.len, vs.n);
	if ((rc = ccc_blob_encode(&blob, &ccc_schema_result, v)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "result");
		goto out;
	}
	rc = ccc_out_write(out, blob.p, blob.len, err);
	goto out;
in_err:
	ccc_err_what(err, ccc_io_name(j->in, 0));
out:
	if (key_held) {
		/* Not used (no share was opened with it): kept. */
		sodium_memzero(sk, 32);
		ks->unused(ks->arg);
	}
	if (src_open)
		ccc_ct_src_close(&src);
	if (sk != NULL)
		sodium_free(sk);
	if (seed != NULL)
		sodium_free(seed);
	ccc_op_nodes_close(&nr);
	ccc_buf_free(&cb);
	ccc_buf_free(&in);
	ccc_buf_free(&so);
	ccc_buf_free(&outp);
	ccc_buf_free(&digests);
	ccc_buf_free(&doc);
	ccc_buf_free(&blob);
	ccc_buf_free(&vs.maps);
	return rc;
}

/*
 * The one-shot form's per-request key: the file -i, read once the request
 * is accepted; erased through the descriptor it was read from (a name
 * swapped for a link in between erases nothing else).
 */
struct keyfile {
	const char *path, *in;
	struct ccc_buf kb;
	int fd;
};

static int
keyfile_get(void *arg, const uint8_t want[32], uint8_t sk[32], uint8_t pk[32],
    struct ccc_err *err)
{
	struct keyfile *k = arg;
	int rc;

	if ((rc = ccc_read_secret_keep(&k->kb, k->path, 4096, &k->fd,
	    err)) != 0) {
		ccc_err_what(err, ccc_io_name(k->path, 0));
		return rc;
	}
	if ((rc = ccc_recipient_key_load(sk, pk, k->kb.p, k->kb.len,
	    err)) != 0) {
		ccc_err_what(err, k->path);
		return rc;
	}
	if (memcmp(pk, want, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the request names "
		    "another per-request key than %s", k->path);
		ccc_err_what(err, ccc_io_name(k->in, 0));
		return rc;
	}
	return 0;
}

static void
keyfile_used(void *arg)
{
	struct keyfile *k = arg;

	ccc_buf_reset(&k->kb);
	(void)ccc_erase_fd(k->fd, k->path);	/* best effort */
	k->fd = -1;
}

static void
keyfile_unused(void *arg)
{
	struct keyfile *k = arg;

	ccc_buf_reset(&k->kb);
}

int
ccc_enclave_run(const struct ccc_enclave_opts *o, struct ccc_err *err)
{
	struct ccc_enclave *e = NULL;
	struct keyfile kf = { o->key, o->in, { 0 }, -1 };
	struct ccc_enclave_keysrc ks = { keyfile_get, keyfile_used,
	    keyfile_unused, &kf };
	struct ccc_enclave_job j = { 0 };
	struct ccc_out out;
	uint8_t rid[32];
	bool have_rid;
	int rc;

	ccc_buf_init(&kf.kb, 1);
	/* Who we are and what we trust. */
	if ((rc = ccc_enclave_open(&e, o, err)) != 0)
		return rc;
	/*
	 * The output is opened now: an existing file or a terminal must stop
	 * the run before the per-request key is used up.
	 */
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err)) != 0)
		goto done;
	j.in = o->in;
	j.sealed = o->sealed;
	j.nsealed = o->nsealed;
	j.nonce = o->nonce;
	j.nonce_len = o->nonce_len;
	j.now = o->now;
	j.report = o->report;
	j.force = o->force;
	if ((rc = ccc_enclave_job_run(e, &j, &ks, &out, rid, &have_rid,
	    err)) != 0 || (rc = ccc_out_commit(&out, err)) != 0)
		ccc_out_abort(&out);
done:
	if (kf.fd >= 0)
		close(kf.fd);	/* not used: not erased */
	ccc_buf_free(&kf.kb);
	ccc_enclave_close(e);
	return rc;
}
