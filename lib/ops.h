/*
 * The operations behind each tool.  A tool's main parses options into one
 * of these structs, calls the function, and maps the result to an exit
 * status with ccc_cli_fail().  Functions never print except to the output
 * they were given (and ccc_cli_warn for warnings that do not stop them).
 */
#ifndef CCC_OPS_H
#define CCC_OPS_H

#include <stdbool.h>
#include <stdio.h>

#include <openssl/bn.h>

#include "buf.h"
#include "cbor.h"
#include "ccc.h"
#include "par.h"
#include "seq.h"

struct ccc_dealer_opts {
	uint32_t t, n;
	uint64_t epoch;
	const char *dir;
	bool force;
	bool json;	/* also write DIR/tpk.json in Chainlink's form */
};
int ccc_keygen_dealer(const struct ccc_dealer_opts *o, struct ccc_err *err)
    CCC_WUR;

/* X25519 recipient key: secret to keyfile (0600), public blob to pubout. */
int ccc_keygen_recipient(const char *keyfile, bool force, const char *pubout,
    struct ccc_err *err) CCC_WUR;

/* Ed25519 identity: secret to keyfile (0600), public blob to pubout. */
int ccc_keygen_identity(const char *keyfile, const char *name, bool force,
    const char *pubout, struct ccc_err *err) CCC_WUR;

/* Public key or share blob -> Chainlink JSON. */
int ccc_keygen_export(const char *in, const char *out, bool force,
    struct ccc_err *err) CCC_WUR;
/* Chainlink JSON public key (needs t) or private share (needs tpk). */
int ccc_keygen_import(const char *in, const char *out, uint32_t t,
    const char *tpk, bool force, struct ccc_err *err) CCC_WUR;

struct ccc_encrypt_opts {
	unsigned jobs;		/* --seq: threads (0 or 1: one) */
	const char *tpk;
	const char *context;	/* NULL: unlabelled */
	const char *in, *out;
	bool seq, json, from_json, force, tty_ok;
};
int ccc_encrypt_run(const struct ccc_encrypt_opts *o, struct ccc_err *err)
    CCC_WUR;

struct ccc_reencrypt_opts {
	unsigned jobs;		/* threads (0 or 1: one) */
	const char *share, *tpk, *to, *out;
	const char *context;	/* required label context, or NULL */
	bool allow_unlabelled, force, tty_ok;
	char **cts;		/* ciphertext files; none: stdin */
	int ncts;
};
int ccc_reencrypt_run(const struct ccc_reencrypt_opts *o,
    struct ccc_err *err) CCC_WUR;

struct ccc_combine_opts {
	const char *tpk, *key, *in, *out;
	const char *request;	/* shares bound to this request, its cts */
	const char *result;	/* --result: read a result's output */
	char **sealed;
	int nsealed;
	unsigned jobs;		/* threads (0 or 1: one) */
	bool seq, force, tty_ok;
};
int ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
    CCC_WUR;
/* The output of a result (ccc/result/v1): opened with -i when sealed. */
int ccc_combine_result(const struct ccc_combine_opts *o, struct ccc_err *err)
    CCC_WUR;

/*
 * The heart of ccc-combine, for ccc-combine and ccc-enclave-run: open the
 * sealed shares in files sealed[] with the recipient key (sk, pk), keep the
 * shares bound to ctx, verify every proof, combine t valid shares per
 * ciphertext of cts and decrypt; emit() receives each plaintext (secret
 * memory, valid during the call) once it has authenticated.  Nodes whose
 * shares were not used are named in warnings; fewer than t valid shares
 * for a ciphertext is CCC_E_THRESHOLD naming every bad node.
 */
struct ccc_tdh2_pub;
struct ccc_ct_src;
struct ccc_combine_in {
	struct ccc_tdh2_pub *pub;	/* tables may be added to it */
	const uint8_t *sk, *pk;
	const uint8_t *ctx;
	size_t ctx_len;
	struct ccc_ct_src *cts;	/* opened (counted) */
	char **sealed;
	int nsealed;
	unsigned jobs;		/* threads (0 or 1: one) */
};
typedef int (*ccc_plain_fn)(void *arg, size_t i, const uint8_t *p, size_t n,
    struct ccc_err *err);
int ccc_combine_core(const struct ccc_combine_in *in, ccc_plain_fn emit,
    void *arg, struct ccc_err *err) CCC_WUR;

struct ccc_inspect_opts {
	bool diag, show_secrets;
	const char *verify_log;	/* a node state directory: check its log */
	char **files;
	int nfiles;
};
int ccc_inspect_run(const struct ccc_inspect_opts *o, struct ccc_err *err)
    CCC_WUR;

/*
 * A decryption node's keys: the public key from tpk and the node's share
 * from the secret file share, checked against it (key id, epoch,
 * g^x = h_i), x decoded into a BN_secure_new'ed scalar.  On failure
 * nothing is left allocated and err names the file at fault.
 */
struct ccc_share;
struct ccc_tdh2_pub;
int ccc_node_keys_load(struct ccc_tdh2_pub *pub, struct ccc_share **sh,
    BIGNUM **x, const char *tpk, const char *share, struct ccc_err *err)
    CCC_WUR;

/* Read and validate a threshold public key file, naming it in errors. */
int ccc_op_read_tpk(struct ccc_tdh2_pub *pub, const char *path,
    struct ccc_err *err) CCC_WUR;

/* Shared by the ops: read a whole file, naming it in errors. */
int ccc_op_read(struct ccc_buf *b, const char *path, size_t max, bool secret,
    struct ccc_err *err) CCC_WUR;

/*
 * Ciphertexts streamed in two passes (lib/ctsrc.c): ccc_ct_src_open reads
 * files (each a CBOR sequence of ciphertext blobs, or one Chainlink JSON
 * ciphertext; none: stdin) once to count them and check their framing, so
 * n is known and every framing error is reported before any work; then
 * ccc_ct_src_next returns them in order (1, 0 at the end, or a negative
 * CCC_E_*), each valid until the next call, with name/item/at telling
 * where it came from.  ccc_ct_src_request serves the ciphertexts of a
 * decoded request (views into it, no copy).
 */
struct ccc_request;
struct ccc_ct_src {
	const struct ccc_request *rq;	/* a request's, or NULL */
	struct ccc_cur cur;		/* ... their array */
	char **files;
	int nfiles;		/* 0: stdin */
	int in_fd, spool;	/* stdin, or its copy (-1: none) */
	long long stdin_at;	/* where stdin began */
	int fi;			/* file being read */
	bool open, json, counting;
	struct ccc_seq seq;
	struct ccc_buf conv;	/* a JSON ciphertext, converted */
	size_t n;		/* ciphertexts in all */
	size_t pos;		/* returned in this pass */
	const char *name;	/* the last one's file, item, offset */
	long item;
	long long at;
};
/*
 * Open files (none: stdin) as a source: every item framed, counted and
 * typed (a ciphertext or one Chainlink JSON ciphertext per file) before
 * the first is returned.  Standard input that is not a regular file is
 * copied first, its first item judged before anything is copied, and at
 * most CCC_CT_SPOOL_MAX bytes of it (max, with ccc_ct_src_open_max).
 */
#define CCC_CT_SPOOL_MAX (CCC_CT_SYM_MAX + (1UL << 20))
int ccc_ct_src_open(struct ccc_ct_src *s, char **files, int nfiles,
    struct ccc_err *err) CCC_WUR;
int ccc_ct_src_open_max(struct ccc_ct_src *s, char **files, int nfiles,
    size_t max, struct ccc_err *err) CCC_WUR;
void ccc_ct_src_request(struct ccc_ct_src *s, const struct ccc_request *rq,
    const char *name);
int ccc_ct_src_next(struct ccc_ct_src *s, const uint8_t **p, size_t *len,
    struct ccc_err *err) CCC_WUR;
int ccc_ct_src_rewind(struct ccc_ct_src *s, struct ccc_err *err) CCC_WUR;
void ccc_ct_src_close(struct ccc_ct_src *s);

/*
 * The next batch of a source: at most CCC_CT_BATCH ciphertexts or about
 * CCC_CT_BATCH_BYTES bytes, copied; n is 0 at the end of the source.
 */
#define CCC_CT_BATCH 256
#define CCC_CT_BATCH_BYTES (8UL << 20)
struct ccc_ct_batch {
	size_t n;
	struct ccc_buf data;
	size_t off[CCC_CT_BATCH], len[CCC_CT_BATCH];
	long long at[CCC_CT_BATCH];
	const char *name[CCC_CT_BATCH];
	long item[CCC_CT_BATCH];
};
int ccc_ct_batch_read(struct ccc_ct_batch *b, struct ccc_ct_src *s,
    struct ccc_err *err) CCC_WUR;

/*
 * A node's shares of every ciphertext of src, made on par's threads and
 * sealed in input order into ob with hctx (after ccc_sealed_begin).  Each
 * ciphertext is decoded, checked against the direct-mode label rules when
 * labels is set, and verified; its proof is bound to bind (32 bytes: the
 * recipient key, or the request id).  With out, ob is written there after
 * each batch; digests_fd, unless -1, receives the ciphertext digests (32
 * bytes each).  The first bad ciphertext stops it, named by file and item.
 */
struct ccc_hpke_ctx;
struct ccc_out;
struct ccc_share_run {
	struct ccc_par *par;
	const struct ccc_tdh2_pub *pub;
	const BIGNUM *x;
	uint32_t index;
	const uint8_t *bind;
	bool labels, allow_unlabelled;
	const char *context;
	struct ccc_hpke_ctx *hctx;
	struct ccc_buf *ob;
	struct ccc_out *out;
	int digests_fd;
};
int ccc_shares_seal(const struct ccc_share_run *r, struct ccc_ct_src *src,
    struct ccc_err *err) CCC_WUR;
/* Build the tables that pay for n ciphertexts (none for few). */
int ccc_shares_tables(struct ccc_par *par, struct ccc_tdh2_pub *pub,
    size_t n, struct ccc_err *err) CCC_WUR;

/* ---- attestation (lib/attest_keys.c, lib/attest_cli.c) ---- */

/*
 * Software attestation root: a fresh P-384 key and a self-signed CA
 * certificate (O=ccc, OU=software attestation root, not hardware-backed,
 * CN=name; name NULL: "ccc").  Key and certificate (PEM) to keyfile (mode
 * 0600), the certificate (PEM) to certout (stdout if NULL or "-").
 */
int ccc_keygen_attest_root(const char *keyfile, const char *name, bool force,
    const char *certout, struct ccc_err *err) CCC_WUR;
/*
 * An enclave's software attestation identity: a fresh P-384 key with a
 * certificate CN=ccc-software-<id> issued by the root in rootfile.  Key,
 * certificate and root certificate (PEM) to keyfile (mode 0600), the
 * certificate and the root's to chainout (stdout if NULL or "-").
 */
int ccc_keygen_enclave_cert(const char *rootfile, const char *keyfile,
    const char *id, bool force, const char *chainout, struct ccc_err *err)
    CCC_WUR;

struct ccc_attest_expect;
struct ccc_attest_verify_opts {
	const char *policy;
	const char *in;		/* NULL or "-": stdin */
	const char *request;	/* a result must answer this request */
	int64_t at_ms;		/* CCC_ATTEST_AT_NOW, _DOCUMENT, or ms */
	bool json;
	const struct ccc_attest_expect *expect;	/* NULL: no binding */
};
/* Verify one document (raw CBOR or base64) and print the claims. */
int ccc_attest_verify_run(const struct ccc_attest_verify_opts *o,
    struct ccc_err *err) CCC_WUR;

/*
 * ccc-share: the key lifecycle of a decryption node (lib/sharecmd.c,
 * lib/reshare.c; the protocol is in ccc-share(1)).
 */
struct ccc_dkg_tamper;
struct ccc_node_opts {
	const char *dir;	/* the node's state directory */
	const char *identity;	/* init: identity secret key file */
	const char *committee;	/* dkg, reshare: committee file */
	const char *group;	/* reshare: old group (joiner); export, verify */
	const char *cert, *tpk, *share;	/* export, verify */
	uint64_t epoch;		/* export: with has_epoch, else current */
	bool has_epoch, force;
	FILE *log;		/* advance -v: one line per action, or NULL */
	uint64_t now;		/* --now: the clock, seconds since 1970; 0: time() */
	const char *crash_at;	/* test hook (CCC_CRASH_AT) */
	const struct ccc_dkg_tamper *tamper;	/* test helper only */
};
int ccc_node_init(const struct ccc_node_opts *o, struct ccc_err *err) CCC_WUR;
/* Start a transition from o->committee (dkg: a DKG, else a reshare). */
int ccc_node_start(const struct ccc_node_opts *o, bool dkg,
    struct ccc_err *err) CCC_WUR;
/* Whatever step is due: the cron entry point (idempotent). */
int ccc_node_advance(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
int ccc_node_status(const struct ccc_node_opts *o, FILE *out,
    struct ccc_err *err) CCC_WUR;
int ccc_node_abort(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
int ccc_node_export(const struct ccc_node_opts *o, struct ccc_err *err)
    CCC_WUR;
/* A share against a public key or group, or a group against its cert. */
int ccc_node_verify(const struct ccc_node_opts *o, FILE *out,
    struct ccc_err *err) CCC_WUR;

struct ccc_committee_opts {
	uint32_t t, q;		/* q 0: the default */
	const char *group;	/* reshare this group; NULL: a DKG */
	const uint8_t *key_id;	/* DKG: NULL for a random key id */
	uint32_t attempt;
	uint64_t start, step, grace;	/* start 0: now */
	const char *out;
	bool force, tty_ok;
	char **members;		/* identity public key files, in order */
	int nmembers;
};
int ccc_committee_make(const struct ccc_committee_opts *o,
    struct ccc_err *err) CCC_WUR;
#endif
