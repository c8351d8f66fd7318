/*
 * The operations behind each tool.  A tool's main parses options into one
 * of these structs, calls the function, and maps the result to an exit
 * status with ccc_cli_fail().  Functions never print except to the output
 * they were given (and ccc_cli_warn for warnings that do not stop them).
 */
#ifndef CCC_OPS_H
#define CCC_OPS_H

#include <stdbool.h>

#include "buf.h"
#include "ccc.h"

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
	const char *tpk;
	const char *context;	/* NULL: unlabelled */
	const char *in, *out;
	bool seq, json, from_json, force, tty_ok;
};
int ccc_encrypt_run(const struct ccc_encrypt_opts *o, struct ccc_err *err)
    CCC_WUR;

struct ccc_reencrypt_opts {
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
	char **sealed;
	int nsealed;
	bool seq, force, tty_ok;
};
int ccc_combine_run(const struct ccc_combine_opts *o, struct ccc_err *err)
    CCC_WUR;

struct ccc_inspect_opts {
	bool diag, show_secrets;
	char **files;
	int nfiles;
};
int ccc_inspect_run(const struct ccc_inspect_opts *o, struct ccc_err *err)
    CCC_WUR;

/* Shared by the ops: read a whole file, naming it in errors. */
int ccc_op_read(struct ccc_buf *b, const char *path, size_t max, bool secret,
    struct ccc_err *err) CCC_WUR;

#endif

/*
 * Ciphertexts from files (each a CBOR sequence of ciphertext blobs, or one
 * Chainlink hybrid JSON ciphertext), or stdin when nfiles is 0, loaded in
 * input order.  JSON ciphertexts are converted (unlabelled).
 */
struct ccc_ct_list {
	struct ccc_buf data;	/* the blobs, back to back */
	size_t *off, *len;
	const char **src;	/* file each came from */
	long *item;		/* 1-based index in that file */
	size_t n, cap;
};
int ccc_ct_list_load(struct ccc_ct_list *l, char **files, int nfiles,
    struct ccc_err *err) CCC_WUR;
void ccc_ct_list_free(struct ccc_ct_list *l);
