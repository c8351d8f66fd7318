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
#include "reqfile.h"
#include "result.h"
#include "par.h"
#include "seal.h"
#include "combine.h"
#include "ctsrc.h"

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
	if ((rc = ccc_read_named(&kb, path, 4096, true, err)) == 0 &&
	    (rc = ccc_recipient_key_load(*sk, pk, kb.p, kb.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&kb);
	return rc;
}

/* The X25519 key Chainlink shares are sealed to: a secret file of 64 hex
 * digits (and a newline), into *sk (sodium_malloc'ed) and pk. */
static int
read_box_key(uint8_t **sk, uint8_t pk[32], const char *path,
    struct ccc_err *err)
{
	struct ccc_buf kb;
	size_t n, kl = 0;
	int rc;

	if ((*sk = sodium_malloc(32)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
	ccc_buf_init(&kb, 1);
	if ((rc = ccc_read_named(&kb, path, 4096, true, err)) != 0)
		goto out;
	for (n = kb.len; n > 0 && (kb.p[n - 1] == '\n' || kb.p[n - 1] == '\r');
	    n--)
		;
	if (n != 64 || sodium_hex2bin(*sk, 32, (const char *)kb.p, 64, NULL,
	    &kl, NULL) != 0 || kl != 32) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "an X25519 secret "
		    "key is 64 hex digits");
		ccc_err_what(err, path);
		goto out;
	}
	if (crypto_scalarmult_base(pk, *sk) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, -1, NULL, "not a usable "
		    "X25519 secret key");
		ccc_err_what(err, path);
	}
out:
	ccc_buf_free(&kb);
	return rc;
}

int
ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_tdh2_pub pub;
	struct ccc_ct_src src;
	struct ccc_combine_in cin;
	struct ccc_op_nodes nr;
	struct emit_out eo;
	struct ccc_request rq;
	struct ccc_request_file rf;
	struct ccc_out out;
	uint8_t *sk = NULL, pk[32], *box_sk = NULL, box_pk[32];
	char *in = (char *)o->in;
	int rc;
	bool out_open = false, src_open = false;

	memset(&pub, 0, sizeof(pub));
	memset(&cin, 0, sizeof(cin));
	memset(&rf, 0, sizeof(rf));
	rf.fd = -1;
	if ((rc = ccc_op_nodes_open(&nr, o->report, o->force, err)) != 0)
		goto out;
	if ((rc = ccc_op_read_tpk(&pub, o->tpk, err)) != 0)
		goto out;
	if (o->key != NULL && (rc = read_recipient_key(&sk, pk, o->key,
	    err)) != 0)
		goto out;
	if (o->box_key != NULL && (rc = read_box_key(&box_sk, box_pk,
	    o->box_key, err)) != 0)
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
		ccc_request_cts(&rq, &src, o->request);
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
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T),
	    err)) != 0)
		goto out;
	out_open = true;
	cin.pub = &pub;
	cin.sk = sk;
	cin.pk = pk;
	cin.box_sk = box_sk;
	cin.box_pk = box_sk != NULL ? box_pk : NULL;
	cin.cts = &src;
	cin.sealed = o->sealed;
	cin.nsealed = o->nsealed;
	cin.jobs = o->jobs;
	cin.progress = o->progress;
	cin.verdict = ccc_op_node_note;
	cin.verdict_arg = &nr;
	eo.out = &out;
	eo.seq = o->seq;
	rc = ccc_combine_core(&cin, emit_out, &eo, err);
	/* The verdicts, also when too few shares were valid. */
	rc = ccc_op_nodes_commit(&nr, "ccc-combine", rc, err);
	if (rc != 0 || (rc = ccc_out_commit(&out, err)) != 0)
		goto out;
	out_open = false;
out:
	if (out_open)
		ccc_out_abort(&out);
	if (src_open)
		ccc_ct_src_close(&src);
	if (sk != NULL)
		sodium_free(sk);
	if (box_sk != NULL)
		sodium_free(box_sk);
	ccc_tdh2_pub_free(&pub);
	ccc_certified_request_close(&rf);
	ccc_op_nodes_close(&nr);
	return rc;
}

/*
 * The output of the result p, n (named name in errors): a view into p when
 * it is public or a threshold ciphertext, else opened with the recipient
 * key sk (NULL: none given) into pt; *secret when it was sealed.  Its
 * request id into rid.
 */
static int
result_output(const uint8_t *p, size_t n, const char *name,
    const uint8_t *sk, struct ccc_buf *pt, const uint8_t **outp,
    size_t *outn, bool *secret, uint8_t rid[32], struct ccc_err *err)
{
	struct ccc_hpke_ctx h;
	struct ccc_result r;
	uint8_t info[sizeof(CCC_OUTPUT_INFO) + 32];
	int rc;

	*secret = false;
	if ((rc = ccc_result_decode(&r, p, n, err)) != 0) {
		ccc_err_what(err, name);
		return rc;
	}
	memcpy(rid, r.request_id, 32);
	if (r.mode != CCC_OUTPUT_SEALED && sk != NULL) {
		rc = ccc_err_set(err, CCC_E_USAGE, -1, NULL, "the output is %s, "
		    "not sealed: -i is only for a sealed output", r.mode ==
		    CCC_OUTPUT_PUBLIC ? "public" : "a threshold ciphertext");
		ccc_err_what(err, name);
		return rc;
	}
	if (r.mode != CCC_OUTPUT_SEALED) {
		/* Public bytes, or a ciphertext under the threshold key. */
		*outp = r.output;
		*outn = r.output_len;
		return 0;
	}
	if (sk == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "the output is "
		    "sealed to a recipient: give its key with -i");
	memcpy(info, CCC_OUTPUT_INFO, sizeof(CCC_OUTPUT_INFO));
	memcpy(info + sizeof(CCC_OUTPUT_INFO), r.request_id, 32);
	ccc_buf_reset(pt);
	if (r.output_len < 32 + 16 || ccc_buf_reserve(pt, r.output_len) != 0 ||
	    ccc_hpke_setup_r(&h, r.output, sk, info, sizeof(info)) != 0 ||
	    ccc_hpke_open(&h, pt->p, NULL, 0, r.output + 32,
	    r.output_len - 32) != 0) {
		ccc_hpke_ctx_wipe(&h);
		rc = ccc_err_set(err, CCC_E_DECRYPT, -1, NULL, "the output "
		    "does not open with this key (sealed to another recipient, "
		    "or altered)");
		ccc_err_what(err, name);
		return rc;
	}
	ccc_hpke_ctx_wipe(&h);
	pt->len = r.output_len - 32 - 16;
	*outp = pt->p;
	*outn = pt->len;
	*secret = true;
	return 0;
}

int
ccc_combine_result(const struct ccc_combine_opts *o, struct ccc_err *err)
{
	struct ccc_buf in, pt;
	const uint8_t *op;
	uint8_t *sk = NULL, pk[32], rid[32];
	size_t on;
	bool secret;
	int rc;

	ccc_buf_init(&in, 0);
	ccc_buf_init(&pt, 1);
	if ((rc = ccc_read_named(&in, o->result, CCC_RESULT_OUTPUT_MAX + (1 << 21),
	    false, err)) != 0)
		goto out;
	if (o->key != NULL &&
	    (rc = read_recipient_key(&sk, pk, o->key, err)) != 0)
		goto out;
	if ((rc = result_output(in.p, in.len, ccc_io_name(o->result, 0), sk,
	    &pt, &op, &on, &secret, rid, err)) != 0)
		goto out;
	rc = ccc_write_file(o->out, op, on, CCC_OUT_BINARY |
	    (secret ? CCC_OUT_SECRET : 0) | (o->force ? CCC_OUT_FORCE : 0) |
	    (o->tty_ok ? CCC_OUT_TTY_OK : CCC_OUT_HAS_T), err);
out:
	if (sk != NULL)
		sodium_free(sk);
	ccc_buf_free(&in);
	ccc_buf_free(&pt);
	return rc;
}

struct result_serving {
	uint8_t *sk;		/* the recipient key, or NULL */
	struct ccc_buf pt;	/* a sealed output, opened */
};

/* A result: its output out. */
static int
result_item(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct result_serving *s = ctx;
	const uint8_t *op;
	size_t on;
	bool secret;
	int rc;

	rc = result_output(p, n, name, s->sk, &s->pt, &op, &on, &secret, rid,
	    err);
	if ((*have_rid = rc == 0))
		rc = ccc_out_write(out, op, on, err);
	/* All of it: a failed open leaves what it decrypted, len 0. */
	if (s->pt.p != NULL)
		sodium_memzero(s->pt.p, s->pt.cap);
	return rc;
}

int
ccc_combine_result_serve(const struct ccc_combine_opts *o,
    struct ccc_err *err)
{
	struct result_serving s;
	uint8_t pk[32];
	int rc = 0;

	s.sk = NULL;
	ccc_buf_init(&s.pt, 1);
	if (o->key != NULL)
		rc = read_recipient_key(&s.sk, pk, o->key, err);
	if (rc == 0)
		rc = ccc_serve_loop(result_item, NULL, &s, err);
	if (s.sk != NULL)
		sodium_free(s.sk);
	ccc_buf_free(&s.pt);
	return rc;
}
