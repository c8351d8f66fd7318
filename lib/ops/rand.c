/*
 * ccc-rand: verifiable randomness from the public threshold coin (lib/rand.h,
 * ccc-rand(1)).  share: a node's coin share of a request; combine: t of them
 * into the value with its proofs, naming every share it could not use;
 * verify: anyone's check of a value with the public key.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "cli.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "rand.h"

#define COIN_SHARE_MAX 4096
#define RAND_MAX_BYTES (1 << 16)

/* -I: the 32-byte request id, 64 hex digits. */
static int
request_id(uint8_t rid[32], const char *hex, struct ccc_err *err)
{
	size_t n;

	if (hex == NULL || strlen(hex) != 64 || sodium_hex2bin(rid, 32, hex,
	    64, NULL, &n, NULL) != 0 || n != 32)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-I: a request "
		    "id is 64 hex digits");
	return 0;
}

/*
 * The public key of a combination or a verification, which every t nodes
 * must answer alike (ccc_rand_key_check).
 */
static int
read_key(struct ccc_tdh2_pub *pub, const char *path, struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_op_read_tpk(pub, path, err)) != 0)
		return rc;
	if ((rc = ccc_rand_key_check(ccc_ec_default(), pub, err)) != 0)
		ccc_err_what(err, path);
	return rc;
}

/* A blob to o->out: binary, so not to a terminal unless -T. */
static int
out_flags(const struct ccc_rand_opts *o)
{
	return CCC_OUT_BINARY | CCC_OUT_HAS_T |
	    (o->force ? CCC_OUT_FORCE : 0) | (o->tty_ok ? CCC_OUT_TTY_OK : 0);
}

int
ccc_rand_share_run(const struct ccc_rand_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh = NULL;
	struct ccc_coin c;
	struct ccc_buf b;
	BIGNUM *x = NULL;
	uint8_t rid[32];
	int rc;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&b, 0);
	if ((rc = request_id(rid, o->rid, err)) != 0 ||
	    (rc = ccc_node_keys_load(&pub, &sh, &x, o->tpk, o->share,
	    err)) != 0 ||
	    (rc = ccc_rand_coin(&c, &pub, rid, err)) != 0 ||
	    (rc = ccc_rand_share_make(ec, &b, &pub, x, sh->index, &c,
	    err)) != 0)
		goto out;
	rc = ccc_write_file(o->out, b.p, b.len, out_flags(o), err);
out:
	BN_clear_free(x);
	ccc_share_free(sh);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&b);
	return rc;
}

/* What combine made of one share file. */
enum { SH_GOOD, SH_BAD, SH_REPEAT };
struct judged {
	const char *file;
	int verdict;
	struct ccc_rand_share s;
	const char *other;	/* SH_REPEAT: the file it repeats */
	char why[560];		/* SH_BAD: the detail, at byte N */
};

static int
by_node(const void *a, const void *b)
{
	const struct judged *x = *(const struct judged *const *)a;
	const struct judged *y = *(const struct judged *const *)b;

	return (x->s.ds.index > y->s.ds.index) -
	    (x->s.ds.index < y->s.ds.index);
}

/* "node 3 (FILE): why", or "FILE: why" when the file named no node. */
static void
bad_line(char *buf, size_t cap, const struct judged *j)
{
	if (j->s.ds.index == 0)
		snprintf(buf, cap, "%s: %s", j->file, j->why);
	else
		snprintf(buf, cap, "node %u (%s): %s", j->s.ds.index, j->file,
		    j->why);
}

/*
 * Judge one file: a share of this coin, or bad (why), or a repeat of a
 * node already judged good.  Only a file that cannot be read stops the
 * job.
 */
static int
judge(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_coin *c, struct judged *j, struct judged **good,
    size_t ngood, struct ccc_err *err)
{
	struct ccc_buf b;
	struct ccc_err e;
	size_t i;
	int rc;

	ccc_buf_init(&b, 0);
	ccc_err_clear(&e);
	j->verdict = SH_BAD;
	/* A file that is too large is a bad share; one not read stops. */
	if ((rc = ccc_read_named(&b, j->file, COIN_SHARE_MAX, false,
	    &e)) != 0 && ccc_err_exit(rc) != 1) {
		if (err != NULL)
			*err = e;
		goto out;
	}
	if (rc != 0 || ccc_rand_share_load(&j->s, b.p, b.len, &e) != 0) {
		rc = 0;
		j->s.ds.index = 0;
		if (e.off >= 0)
			snprintf(j->why, sizeof(j->why), "at byte %lld: %s",
			    e.off, e.detail);
		else
			snprintf(j->why, sizeof(j->why), "%s", e.detail);
		goto out;
	}
	if (ccc_rand_share_check(ec, pub, c, &j->s, &e) != 0) {
		snprintf(j->why, sizeof(j->why), "%s", e.detail);
		goto out;
	}
	j->verdict = SH_GOOD;
	for (i = 0; i < ngood; i++)
		if (good[i]->s.ds.index == j->s.ds.index) {
			j->verdict = SH_REPEAT;
			j->other = good[i]->file;
		}
out:
	ccc_buf_free(&b);
	return rc;
}

/* "; node 2 (F): why" for each bad file, "; ignored: ..." for repeats. */
static void
append_verdicts(char *d, size_t cap, const struct judged *js, size_t n)
{
	char line[1024];
	size_t i, at;
	bool first = true;

	for (i = 0; i < n; i++) {
		if (js[i].verdict != SH_BAD)
			continue;
		bad_line(line, sizeof(line), &js[i]);
		at = strlen(d);
		snprintf(d + at, cap - at, "; %s", line);
	}
	for (i = 0; i < n; i++) {
		if (js[i].verdict != SH_REPEAT)
			continue;
		at = strlen(d);
		snprintf(d + at, cap - at, "%snode %u: %s repeats %s",
		    first ? "; ignored: " : "; ", js[i].s.ds.index,
		    js[i].file, js[i].other);
		first = false;
	}
}

int
ccc_rand_combine_run(const struct ccc_rand_opts *o, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_coin c;
	struct ccc_rand *r = NULL;
	struct judged *js = NULL, **good = NULL;
	const struct ccc_tdh2_dshare *sel[CCC_TDH2_MAX_N];
	struct ccc_buf b;
	char line[1024];
	uint8_t rid[32];
	size_t i, ngood = 0, n = (size_t)o->nshares;
	int rc;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&b, 0);
	if ((rc = request_id(rid, o->rid, err)) != 0 ||
	    (rc = read_key(&pub, o->tpk, err)) != 0 ||
	    (rc = ccc_rand_coin(&c, &pub, rid, err)) != 0)
		goto out;
	js = calloc(n, sizeof(*js));
	good = calloc(n, sizeof(*good));
	r = calloc(1, sizeof(*r));
	if (js == NULL || good == NULL || r == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
		goto out;
	}
	for (i = 0; i < n; i++) {
		js[i].file = o->shares[i];
		if ((rc = judge(ec, &pub, &c, &js[i], good, ngood, err)) != 0)
			goto out;
		if (js[i].verdict == SH_GOOD && ngood < CCC_TDH2_MAX_N)
			good[ngood++] = &js[i];
	}
	if (ngood < pub.t) {
		rc = ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL, "%zu valid "
		    "share%s, %u needed", ngood, ngood == 1 ? "" : "s", pub.t);
		append_verdicts(err->detail, sizeof(err->detail), js, n);
		goto out;
	}
	qsort(good, ngood, sizeof(*good), by_node);
	for (i = 0; i < ngood; i++)
		sel[i] = &good[i]->s.ds;
	if ((rc = ccc_rand_combine(ec, r, &pub, &c, sel, ngood, err)) != 0)
		goto out;
	if ((rc = ccc_rand_encode(&b, r)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "random value");
		goto out;
	}
	if ((rc = ccc_write_file(o->out, b.p, b.len, out_flags(o),
	    err)) != 0)
		goto out;
	/* Done: what was not used, one warning each. */
	for (i = 0; i < n; i++) {
		if (js[i].verdict == SH_BAD) {
			bad_line(line, sizeof(line), &js[i]);
			ccc_cli_warn("%s; not used", line);
		} else if (js[i].verdict == SH_REPEAT)
			ccc_cli_warn("node %u: %s repeats %s; ignored",
			    js[i].s.ds.index, js[i].file, js[i].other);
	}
out:
	free(js);
	free(good);
	free(r);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_rand_verify_run(const struct ccc_rand_opts *o, FILE *f,
    struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_tdh2_pub pub;
	struct ccc_rand *r = NULL;
	struct ccc_buf b;
	uint8_t rid[32];
	char hex[2 * CCC_COIN_SEED_BYTES + 1];
	int rc;

	memset(&pub, 0, sizeof(pub));
	ccc_buf_init(&b, 0);
	if ((o->rid != NULL && (rc = request_id(rid, o->rid, err)) != 0) ||
	    (rc = read_key(&pub, o->tpk, err)) != 0 ||
	    (rc = ccc_read_named(&b, o->in, RAND_MAX_BYTES, false, err)) != 0)
		goto out;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "random value");
		goto out;
	}
	if ((rc = ccc_rand_load(r, b.p, b.len, err)) != 0 ||
	    (rc = ccc_rand_verify(ec, &pub, r, o->rid ? rid : NULL,
	    err)) != 0) {
		ccc_err_what(err, ccc_io_name(o->in, 0));
		goto out;
	}
	sodium_bin2hex(hex, sizeof(hex), r->value, CCC_COIN_SEED_BYTES);
	if (fprintf(f, "%s\n", hex) < 0 || fflush(f) != 0 || ferror(f))
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "stdout: write "
		    "failed");
out:
	free(r);
	ccc_tdh2_pub_free(&pub);
	ccc_buf_free(&b);
	return rc;
}
