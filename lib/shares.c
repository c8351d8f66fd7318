/* A decryption node's shares of a ciphertext source, sealed in order. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "ctcheck.h"
#include "io.h"
#include "keys.h"
#include "par.h"
#include "vault.h"
#include "quorum.h"
#include "seal.h"
#include "shares.h"

/*
 * The shares of a node for every ciphertext of a source, sealed in order
 * (struct ccc_share_run in shares.h).  Each batch (struct ccc_ct_batch) is
 * checked and shared by the worker threads, then sealed in input order
 * (HPKE sequence numbers are sequential) and, with an output, written.
 * Memory is bounded by one batch; nothing is written before the first
 * batch is done, so a bad ciphertext among the first CCC_CT_BATCH leaves
 * stdout empty.
 */
struct batch {
	const struct ccc_share_run *r;
	struct ccc_ct_batch cts;
	uint8_t digest[CCC_CT_BATCH][32];
	struct ccc_tdh2_dshare ds[CCC_CT_BATCH];
	uint8_t comm[CCC_CT_BATCH][2][CCC_POINT_BYTES];	/* with r->comm */
	struct ccc_ct_pre pre;	/* decoded, and checked where they allow */
	int rc[CCC_CT_BATCH];
	struct ccc_err err[CCC_CT_BATCH];
};

static int
share_item(struct batch *b, struct ccc_ec *ec, size_t i, struct ccc_err *err)
{
	const struct ccc_share_run *r = b->r;
	size_t clen = r->context ? strlen(r->context) : 0;
	struct ccc_ct *ct = &b->pre.ct[i];
	uint8_t bind[32], want[32];
	int rc;

	if (!b->pre.decoded[i] && (rc = ccc_ct_decode(ct, b->cts.data.p +
	    b->cts.off[i], b->cts.len[i], b->cts.at[i], err)) != 0)
		return rc;
	if (r->labels && ct->context == NULL && !r->allow_unlabelled)
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "unlabelled ciphertext (all-zero label) refused; "
		    "--allow-unlabelled accepts it");
	if (r->labels && r->context != NULL && (ct->context == NULL ||
	    ccc_label(want, r->context, clen, NULL) != 0 ||
	    sodium_memcmp(want, ct->t.label, 32) != 0))
		return ccc_err_set(err, CCC_E_POLICY, -1, "context",
		    "the ciphertext's label context is not \"%s\"",
		    r->context);
	if (r->rq != NULL && (rc = ccc_request_check_ct(r->rq, ct, r->pol,
	    err)) != 0)
		return rc;
	if (!b->pre.ok[i] && (rc = ccc_tdh2_verify(ec, r->pub, &ct->t,
	    err)) != 0)
		return rc;
	if (r->box_to != NULL)	/* Chainlink's share: its proof binds none */
		return ccc_tdh2_share(ec, &b->ds[i], r->pub, r->x, r->index,
		    &ct->t, NULL, err);
	ccc_tdh2_share_bind(bind, r->pub->key_id, r->pub->epoch, r->index,
	    ccc_ct_digest(ct), r->bind, 32);
	memcpy(b->digest[i], ccc_ct_digest(ct), 32);
	return ccc_tdh2_share_comm(ec, &b->ds[i], r->comm ? b->comm[i] :
	    NULL, r->pub, r->x, r->index, &ct->t, bind, err);
}

static void
share_one(void *arg, struct ccc_ec *ec, size_t i)
{
	struct batch *b = arg;

	ccc_err_clear(&b->err[i]);
	b->rc[i] = share_item(b, ec, i, &b->err[i]);
}

/* Chunk j's ciphertexts decoded, those with commitments checked together. */
static void
check_chunk(void *arg, struct ccc_ec *ec, size_t j)
{
	struct batch *b = arg;

	ccc_ct_check_chunk(ec, b->r->pub, &b->cts, j, &b->pre);
}

int
ccc_shares_seal(const struct ccc_share_run *r, struct ccc_ct_src *src,
    struct ccc_err *err)
{
	struct batch *b;
	size_t i, j, used = 0, nr = r->nrecip ? r->nrecip : 1;
	int rc;

	/*
	 * Not zeroed (about 580 KB for 256 items): every item of a batch is
	 * written before it is read, and only the items used are wiped, so
	 * that a request of one ciphertext touches a few pages, not all.
	 */
	if ((b = malloc(sizeof(*b))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "shares");
	b->r = r;
	ccc_buf_init(&b->cts.data, 0);
	while ((rc = ccc_ct_batch_read(&b->cts, src, err)) == 0 &&
	    b->cts.n > 0) {
		if (b->cts.n > used)
			used = b->cts.n;
		memset(b->digest, 0, b->cts.n * sizeof(b->digest[0]));
		ccc_par_each(r->par, CCC_CT_CHECK_CHUNKS(b->cts.n),
		    check_chunk, b);
		ccc_par_run(r->par, b->cts.n, share_one, b);
		for (i = 0; i < b->cts.n; i++) {
			if ((rc = b->rc[i]) != 0) {
				*err = b->err[i];
				ccc_err_item(err, b->cts.item[i]);
				ccc_err_what(err, b->cts.name[i]);
				goto out;
			}
			if (r->box_to != NULL)
				rc = ccc_vault_share_seal(r->ob, &b->ds[i],
				    r->box_to);
			else
				for (j = 0, rc = 0; j < nr && rc == 0; j++)
					rc = ccc_sealed_add(&r->ob[j],
					    &r->hctx[j], b->digest[i],
					    &b->ds[i], r->comm ? b->comm[i] :
					    NULL, err);
			if (rc != 0) {
				if (r->box_to != NULL)
					ccc_err_set(err, rc, -1, NULL,
					    "sealed share");
				goto out;
			}
		}
		if (r->digests_fd >= 0 && ccc_write_full(r->digests_fd,
		    b->digest, b->cts.n * 32) != 0) {
			rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "the "
			    "ciphertext digests: %s", strerror(errno));
			goto out;
		}
		for (j = 0; r->out != NULL && j < nr; j++) {
			if (r->out_hash != NULL)
				crypto_hash_sha256_update(r->out_hash,
				    r->ob[j].p, r->ob[j].len);
			if ((rc = ccc_out_write(&r->out[j], r->ob[j].p,
			    r->ob[j].len, err)) != 0)
				goto out;
			ccc_buf_reset(&r->ob[j]);
		}
	}
out:
	ccc_buf_free(&b->cts.data);
	sodium_memzero(b->ds, used * sizeof(b->ds[0]));
	sodium_memzero(b->comm, used * sizeof(b->comm[0]));
	free(b);
	return rc;
}

/*
 * From this many ciphertexts on, a fixed-base table for g_bar (~25 ms)
 * makes each verification ~10 us cheaper: it pays after ~2,500.
 */
#define TABLE_FROM 4096

int
ccc_shares_tables(struct ccc_par *par, struct ccc_tdh2_pub *pub, size_t n,
    struct ccc_err *err)
{
	if (n < TABLE_FROM || pub->gbar_tab != NULL)
		return 0;
	if ((pub->gbar_tab = ccc_ec_table_new(par->ec[0], pub->gbar)) == NULL)
		return ccc_err_openssl(err, "g_bar table");
	return 0;
}
