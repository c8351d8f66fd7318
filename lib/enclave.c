#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "attest.h"
#include "cli.h"
#include "enclave.h"
#include "hpke.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "quorum.h"
#include "result.h"

/* ---- policy -------------------------------------------------------------- */

static int
size_value(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case 'K': x <<= 10; end++; break;
	case 'M': x <<= 20; end++; break;
	case 'G': x <<= 30; end++; break;
	default: break;
	}
	if (*end != '\0')
		return -1;
	*v = x;
	return 0;
}

/*
 * "connect *:PORT" or "connect *:*": a TCP port the code may connect to
 * with network permission.  The kernel (Landlock) bounds ports only: a
 * host other than "*" would promise what is not enforced.  NULL, or why
 * not.
 */
static const char *
allow_port(struct ccc_sandbox_limits *l, const char *v)
{
	char *end;
	unsigned long port;

	if (strncmp(v, "*:", 2) != 0)
		return "only ports are enforced: give *:PORT or *:*";
	v += 2;
	if (strcmp(v, "*") == 0) {
		l->any_port = true;
		return NULL;
	}
	errno = 0;
	port = strtoul(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || *v < '0' || *v > '9' ||
	    port == 0 || port > 65535)
		return "a port is 1 to 65535";
	if (l->nports == CCC_SANDBOX_PORTS_MAX)
		return "at most 16 ports";
	l->ports[l->nports++] = (uint16_t)port;
	return NULL;
}

int
ccc_enclave_policy_load(struct ccc_enclave_policy *p, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	char *line, *next, *k, *v, *sv;
	const char *why;
	uint64_t x;
	long lineno = 0;
	int rc = 0;

	ccc_sandbox_defaults(&p->lim);
	p->allow_network = false;
	if (path == NULL)
		return 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_file(&b, path, 65536, err)) != 0 ||
	    (rc = ccc_buf_put(&b, "", 1)) != 0)
		goto out;
	for (line = (char *)b.p; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		if ((k = strchr(line, '#')) != NULL)
			*k = '\0';
		if ((k = strtok_r(line, " \t\r", &sv)) == NULL)
			continue;
		v = strtok_r(NULL, " \t\r", &sv);
		if (v == NULL || strtok_r(NULL, " \t\r", &sv) != NULL)
			goto bad;
		if (strcmp(k, "network") == 0) {
			if (strcmp(v, "allow") != 0 && strcmp(v, "deny") != 0)
				goto bad;
			p->allow_network = strcmp(v, "allow") == 0;
			continue;
		}
		if (strcmp(k, "connect") == 0) {
			if ((why = allow_port(&p->lim, v)) == NULL)
				continue;
			rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line "
			    "%ld: connect %.40s: %s", lineno, v, why);
			goto out;
		}
		if (size_value(v, &x) != 0 || x == 0)
			goto bad;
		if (strcmp(k, "timeout") == 0 && x <= 86400)
			p->lim.timeout_ms = (unsigned)x * 1000;
		else if (strcmp(k, "cpu") == 0 && x <= 86400)
			p->lim.cpu_seconds = (unsigned)x;
		else if (strcmp(k, "memory") == 0)
			p->lim.mem_bytes = x;
		else if (strcmp(k, "output-max") == 0 &&
		    x <= CCC_RESULT_OUTPUT_MAX)
			p->lim.out_bytes = x;
		else if (strcmp(k, "files-max") == 0)
			p->lim.file_bytes = x;
		else if (strcmp(k, "processes") == 0 && x <= 4096)
			p->lim.procs = (unsigned)x;
		else if (strcmp(k, "scratch-max") == 0)
			p->lim.scratch_bytes = x;
		else if (strcmp(k, "uid") == 0 && x < UINT32_MAX)
			p->lim.uid = (uint32_t)x;
		else
			goto bad;
	}
	goto out;
bad:
	rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line %ld: expected "
	    "timeout, cpu, memory, output-max, files-max, processes, "
	    "scratch-max, uid N, network allow|deny or connect *:PORT", lineno);
out:
	if (rc != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

/* ---- the run -------------------------------------------------------------- */

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

/* SHA-384 of the running executable: the enclave runtime's measurement. */
static int
runtime_measurement(uint8_t out[48], struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_file(&b, "/proc/self/exe", 1UL << 30, err)) == 0 &&
	    EVP_Digest(b.p, b.len, out, NULL, EVP_sha384(), NULL) != 1)
		rc = ccc_err_openssl(err, "sha384");
	ccc_buf_free(&b);
	return rc;
}

/* Load the code named by its measurement and check its digest. */
static int
load_code(struct ccc_buf *code, const char *dir, const uint8_t meas[48],
    struct ccc_err *err)
{
	char hex[97], *path = NULL;
	uint8_t d[48];
	int rc;

	sodium_bin2hex(hex, sizeof(hex), meas, 48);
	if (asprintf(&path, "%s/%s", dir, hex) < 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "code");
	if ((rc = ccc_read_file(code, path, 256UL << 20, err)) != 0) {
		/* err->what was path, freed below: name the directory. */
		if (err != NULL) {
			char why[128];
			snprintf(why, sizeof(why), "%.100s", err->detail);
			snprintf(err->detail, sizeof(err->detail), "code "
			    "%.16s...: %s", hex, why);
			err->what = dir;
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
	}
out:
	free(path);
	return rc;
}

/* Wipe and remove the per-request key file (forward secrecy). */
static void
erase_key_file(const char *path, size_t len)
{
	FILE *f;
	uint8_t zero[512];
	size_t n;

	/* Read from stdin: no file of ours (not one named "-") to erase. */
	if (strcmp(path, "-") == 0)
		return;
	memset(zero, 0, sizeof(zero));
	if ((f = fopen(path, "r+")) != NULL) {
		for (n = 0; n < len; n += sizeof(zero))
			(void)fwrite(zero, 1, sizeof(zero), f);
		(void)fflush(f);
		(void)fsync(fileno(f));
		fclose(f);
	}
	/* Best effort: the key is already wiped in memory and in the file. */
	if (unlink(path) == 0 && ccc_fsync_dir_of(path, NULL) != 0)
		return;
}

static int
make_output(struct ccc_buf *outp, const struct ccc_request *rq,
    const struct ccc_tdh2_pub *pub, const struct ccc_buf *stdout_bytes,
    struct ccc_err *err)
{
	struct ccc_hpke_ctx h;
	uint8_t info[sizeof(CCC_OUTPUT_INFO) + 32];
	char ctx[CCC_APP_ID_MAX + 16];
	int rc;

	switch (rq->output) {
	case CCC_OUTPUT_PUBLIC:
		return ccc_buf_put(outp, stdout_bytes->p, stdout_bytes->len) ?
		    ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "output") : 0;
	case CCC_OUTPUT_SEALED:
		memcpy(info, CCC_OUTPUT_INFO, sizeof(CCC_OUTPUT_INFO));
		memcpy(info + sizeof(CCC_OUTPUT_INFO), rq->id, 32);
		if (ccc_buf_reserve(outp, 32 + stdout_bytes->len + 16) != 0)
			return ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
			    "output");
		if ((rc = ccc_hpke_setup_s(&h, outp->p, rq->recipient, info,
		    sizeof(info), NULL, 0)) != 0 ||
		    (rc = ccc_hpke_seal(&h, outp->p + 32, NULL, 0,
		    stdout_bytes->p, stdout_bytes->len)) != 0) {
			ccc_hpke_ctx_wipe(&h);
			return ccc_err_set(err, CCC_E_KEY, -1, "recipient",
			    "cannot seal the output to the request's "
			    "recipient");
		}
		ccc_hpke_ctx_wipe(&h);
		outp->len = 32 + stdout_bytes->len + 16;
		return 0;
	case CCC_OUTPUT_THRESHOLD:
		snprintf(ctx, sizeof(ctx), CCC_OUTPUT_CONTEXT_FMT,
		    (int)rq->app_len, rq->app);
		return ccc_ct_encrypt(ccc_ec_default(), outp, pub, ctx,
		    strlen(ctx), stdout_bytes->p, stdout_bytes->len, err);
	}
	return ccc_err_set(err, CCC_E_INTERNAL, -1, NULL, "output mode");
}

int
ccc_enclave_run(const struct ccc_enclave_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_roster roster;
	struct ccc_enclave_policy pol;
	struct ccc_attest_signer *signer = NULL;
	struct ccc_request rq;
	struct ccc_ct_src src;
	struct ccc_combine_in cin;
	struct ccc_sandbox_result res;
	struct ccc_nitro_claims claims;
	struct ccc_val v[RES_NFIELDS];
	struct ccc_buf kb, cb, code, in, so, outp, digests, doc, blob;
	struct ccc_out out;
	bool out_open = false, src_open = false;
	const uint8_t *p;
	size_t n, keylen = 0;
	uint8_t *sk = NULL, pk[32], eid[32], rt[48], binding[32], od[32];
	char desc[128], gaps[1024];
	int rc;

	memset(&pub, 0, sizeof(pub));
	memset(&roster, 0, sizeof(roster));
	ccc_buf_init(&kb, 1);
	ccc_buf_init(&cb, 0);
	ccc_buf_init(&code, 0);
	ccc_buf_init(&in, 1);
	ccc_buf_init(&so, 1);
	ccc_buf_init(&outp, 0);
	ccc_buf_init(&digests, 0);
	ccc_buf_init(&doc, 0);
	ccc_buf_init(&blob, 0);

	/* Who we are and what we trust. */
	if ((rc = ccc_enclave_policy_load(&pol, o->policy, err)) != 0)
		goto out;
	/*
	 * The output is opened now: an existing file or a terminal must stop
	 * the run before the per-request key is used up.
	 */
	if ((rc = ccc_out_open(&out, o->out, CCC_OUT_BINARY |
	    (o->force ? CCC_OUT_FORCE : 0), err)) != 0)
		goto out;
	out_open = true;
	if ((rc = ccc_roster_read(&roster, o->roster, err)) != 0 ||
	    (rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		goto out;
	if ((rc = ccc_attest_signer_load(&signer, o->attest_key, err)) != 0)
		goto out;
	ccc_attest_signer_id(signer, eid);

	/* The request: certified, fresh, ours. */
	if ((rc = ccc_certified_request_read(&cb, &rq, &roster, o->in, o->now,
	    err)) != 0)
		goto out;
	if (o->now >= rq.expires) {
		rc = ccc_err_set(err, CCC_E_EXPIRED, -1, "expires", "the "
		    "request expired at %llu (now %llu)",
		    (unsigned long long)rq.expires,
		    (unsigned long long)o->now);
		goto in_err;
	}
	if (memcmp(rq.enclave_id, eid, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, "enclave_id", "the "
		    "request is assigned to another enclave than %s",
		    ccc_attest_signer_module_id(signer));
		goto in_err;
	}
	if (memcmp(rq.key_id, pub.key_id, 32) != 0 || rq.epoch != pub.epoch) {
		rc = ccc_err_set(err, rq.epoch != pub.epoch ? CCC_E_EPOCH :
		    CCC_E_KEY, -1, NULL, "the request is for key %s epoch %llu, "
		    "not this public key", ccc_short_id(rq.key_id),
		    (unsigned long long)rq.epoch);
		goto in_err;
	}
	if (rq.network && !pol.allow_network) {
		rc = ccc_err_set(err, CCC_E_POLICY, -1, "network", "the "
		    "request asks for network access, which this enclave's "
		    "policy denies");
		goto in_err;
	}
	pol.lim.network = rq.network && pol.allow_network;
	if ((rc = load_code(&code, o->codedir, rq.code, err)) != 0 ||
	    (rc = ccc_sandbox_check(&pol.lim, err)) != 0)
		goto out;

	/* The per-request key: used once, then erased. */
	if ((sk = sodium_malloc(32)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_op_read(&kb, o->key, 4096, true, err)) != 0)
		goto out;
	keylen = kb.len;
	if ((rc = ccc_recipient_key_load(sk, pk, kb.p, kb.len, err)) != 0) {
		ccc_err_what(err, o->key);
		goto out;
	}
	if (memcmp(pk, rq.enclave_key, 32) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "the request names "
		    "another per-request key than %s", o->key);
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}

	/* Open, verify, combine, decrypt: the code's input. */
	if ((rc = ccc_cbor_put_map(&in, 4)) != 0 ||
	    (rc = ccc_cbor_put_uint(&in, 0)) != 0 ||
	    (rc = ccc_cbor_put_cstr(&in, "ccc/enclave-input/v1")) != 0 ||
	    (rc = ccc_cbor_put_uint(&in, 1)) != 0 ||
	    (rc = ccc_cbor_put_bstr(&in, rq.id, 32)) != 0 ||
	    (rc = ccc_cbor_put_uint(&in, 2)) != 0 ||
	    (rc = ccc_cbor_put_tstr(&in, rq.app, rq.app_len)) != 0 ||
	    (rc = ccc_cbor_put_uint(&in, 3)) != 0 ||
	    (rc = ccc_cbor_put_array(&in, rq.cts.count)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "inputs");
		goto out;
	}
	memset(&cin, 0, sizeof(cin));
	cin.pub = &pub;
	cin.sk = sk;
	cin.pk = pk;
	cin.ctx = rq.id;
	cin.ctx_len = 32;
	ccc_ct_src_request(&src, &rq, ccc_io_name(o->in, 0));
	src_open = true;
	cin.cts = &src;
	cin.sealed = o->sealed;
	cin.nsealed = o->nsealed;
	rc = ccc_combine_core(&cin, collect, &in, err);
	/* Used: gone from memory and disk, whatever the shares were. */
	sodium_memzero(sk, 32);
	ccc_buf_reset(&kb);
	erase_key_file(o->key, keylen);
	if (rc != 0)
		goto out;

	/* Run the measured code. */
	if ((rc = ccc_sandbox_run(code.p, code.len, in.p, in.len, &pol.lim,
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
	if ((rc = make_output(&outp, &rq, &pub, &so, err)) != 0)
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
	ccc_binding_digest(binding, rq.id, rq.app, rq.app_len, rq.code,
	    digests.p, src.n, od, o->now);
	ccc_val_bytes(&v[RES_REQUEST], rq.id, 32);
	ccc_val_bytes(&v[RES_APP], rq.app, rq.app_len);
	ccc_val_bytes(&v[RES_CODE], rq.code, 48);
	ccc_val_array(&v[RES_INPUTS], digests.p, digests.len, src.n);
	ccc_val_uint(&v[RES_MODE], rq.output);
	ccc_val_bytes(&v[RES_OUTPUT], outp.p, outp.len);
	ccc_val_bytes(&v[RES_OUTPUT_DIGEST], od, 32);
	ccc_val_uint(&v[RES_TIME], o->now);
	ccc_val_bytes(&v[RES_ENCLAVE], eid, 32);
	if ((rc = runtime_measurement(rt, err)) != 0)
		goto out;
	memset(&claims, 0, sizeof(claims));
	claims.timestamp_ms = o->now * 1000;
	claims.pcr[CCC_PCR_RUNTIME] = rt;
	claims.pcr[CCC_PCR_CODE] = rq.code;
	claims.public_key = rq.enclave_key;
	claims.public_key_len = 32;
	claims.user_data = binding;
	claims.user_data_len = 32;
	claims.nonce = o->nonce;
	claims.nonce_len = o->nonce_len;
	if ((rc = ccc_attest_sign_software(&doc, signer, &claims, err)) != 0)
		goto out;
	ccc_val_bytes(&v[RES_DOC], doc.p, doc.len);
	if ((rc = ccc_blob_encode(&blob, &ccc_schema_result, v)) != 0) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "result");
		goto out;
	}
	if ((rc = ccc_out_write(&out, blob.p, blob.len, err)) == 0 &&
	    (rc = ccc_out_commit(&out, err)) == 0)
		out_open = false;
	goto out;
in_err:
	ccc_err_what(err, ccc_io_name(o->in, 0));
out:
	if (out_open)
		ccc_out_abort(&out);
	if (src_open)
		ccc_ct_src_close(&src);
	if (sk != NULL)
		sodium_free(sk);
	ccc_attest_signer_free(signer);
	ccc_tdh2_pub_free(&pub);
	ccc_roster_free(&roster);
	ccc_buf_free(&kb);
	ccc_buf_free(&cb);
	ccc_buf_free(&code);
	ccc_buf_free(&in);
	ccc_buf_free(&so);
	ccc_buf_free(&outp);
	ccc_buf_free(&digests);
	ccc_buf_free(&doc);
	ccc_buf_free(&blob);
	return rc;
}
