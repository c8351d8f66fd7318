/* Validity checks of many ciphertexts, batched where they allow it. */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "batchverify.h"
#include "ctcheck.h"

void
ccc_ct_check_init(struct ccc_ct_check *c, struct ccc_ec *ec,
    const struct ccc_tdh2_pub *pub)
{
	memset(c, 0, sizeof(*c));
	c->ec = ec;
	c->pub = pub;
}

/* ct failed alone: its error, its place. */
static int
named(int rc, long item, const char *name, struct ccc_err *err)
{
	ccc_err_item(err, item);
	if (name != NULL)
		ccc_err_what(err, name);
	return rc;
}

int
ccc_ct_check_flush(struct ccc_ct_check *c, struct ccc_err *err)
{
	const struct ccc_tdh2_ct *cts[CCC_CT_CHECK_BATCH];
	int verdict[CCC_CT_CHECK_BATCH];
	struct ccc_err e;
	size_t i, n = c->n;
	int batch = -1, rc;

	c->n = 0;
	for (i = 0; i < n; i++)
		cts[i] = &c->ct[i];
	if (n >= 2) {
		ccc_err_clear(&e);
		batch = ccc_tdh2_verify_batch(c->ec, c->pub, cts,
		    (const uint8_t (*)[2][CCC_POINT_BYTES])c->comm, n, verdict,
		    NULL, &e);
		if (batch == 0)
			return 0;
	}
	/*
	 * One alone, a batch that could not be made, or the first bad one of
	 * a batch that failed: checked alone, in order, for its error.
	 */
	for (i = 0; i < n; i++)
		if ((batch != CCC_E_CIPHERTEXT || verdict[i] != 0) &&
		    (rc = ccc_tdh2_verify(c->ec, c->pub, cts[i], err)) != 0)
			return named(rc, c->item[i], c->name[i], err);
	return 0;
}

int
ccc_ct_check_end(struct ccc_ct_check *c, int rc, struct ccc_err *err)
{
	struct ccc_err e;
	int frc;

	ccc_err_clear(&e);
	if ((frc = ccc_ct_check_flush(c, &e)) == 0)
		return rc;
	*err = e;
	return frc;
}

int
ccc_ct_check_add(struct ccc_ct_check *c, const struct ccc_ct *ct, long item,
    const char *name, struct ccc_err *err)
{
	int rc;

	if (ct->w == NULL) {
		/* Those before it first: the first bad one is reported. */
		if ((rc = ccc_ct_check_flush(c, err)) != 0)
			return rc;
		if ((rc = ccc_tdh2_verify(c->ec, c->pub, &ct->t, err)) != 0)
			return named(rc, item, name, err);
		return 0;
	}
	c->ct[c->n] = ct->t;
	memcpy(c->comm[c->n][0], ct->w, CCC_POINT_BYTES);
	memcpy(c->comm[c->n][1], ct->w_bar, CCC_POINT_BYTES);
	c->item[c->n] = item;
	c->name[c->n] = name;
	if (++c->n == CCC_CT_CHECK_BATCH)
		return ccc_ct_check_flush(c, err);
	return 0;
}

/* Of cts[0..n), those with commitments in one check: ok[] as below. */
static void
check_group(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_ct *cts, size_t n, bool *ok)
{
	const struct ccc_tdh2_ct *t[CCC_CT_CHECK_BATCH];
	uint8_t comm[CCC_CT_CHECK_BATCH][2][CCC_POINT_BYTES];
	int verdict[CCC_CT_CHECK_BATCH];
	size_t at[CCC_CT_CHECK_BATCH], i, j, k = 0;
	struct ccc_err e;
	int rc;

	for (i = 0; i <= n; i++) {
		if (i < n && cts[i].w != NULL) {
			t[k] = &cts[i].t;
			memcpy(comm[k][0], cts[i].w, CCC_POINT_BYTES);
			memcpy(comm[k][1], cts[i].w_bar, CCC_POINT_BYTES);
			at[k++] = i;
		}
		if (k < CCC_CT_CHECK_BATCH && i < n)
			continue;
		/*
		 * A group of one gains nothing: its caller checks it.  When a
		 * group fails, each was checked alone: the good ones are ok.
		 */
		if (k >= 2) {
			ccc_err_clear(&e);
			rc = ccc_tdh2_verify_batch(ec, pub, t,
			    (const uint8_t (*)[2][CCC_POINT_BYTES])comm, k,
			    verdict, NULL, &e);
			for (j = 0; j < k && (rc == 0 ||
			    rc == CCC_E_CIPHERTEXT); j++)
				ok[at[j]] = verdict[j] == 0;
		}
		k = 0;
	}
}

void
ccc_ct_check_chunk(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_ct_batch *b, size_t j, struct ccc_ct_pre *pre)
{
	size_t lo = j * CCC_CT_CHECK_BATCH, n = b->n - lo, i;
	struct ccc_err e;

	if (n > CCC_CT_CHECK_BATCH)
		n = CCC_CT_CHECK_BATCH;
	for (i = lo; i < lo + n; i++) {
		pre->ok[i] = false;
		pre->decoded[i] = ccc_ct_decode(&pre->ct[i], b->data.p +
		    b->off[i], b->len[i], b->at[i], &e) == 0;
		if (!pre->decoded[i])
			pre->ct[i].w = NULL;
	}
	check_group(ec, pub, pre->ct + lo, n, pre->ok + lo);
}
