/* Additive inputs: exponential ElGamal with Bulletproofs (additive.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "additive.h"
#include "blob.h"
#include "hash.h"
#include "schemas.h"

#define DST "ccc/additive/v2"
#define AD_BYTES (4 + 4 + 32)
#define PROOF_HEAD 3	/* a proof's CBOR head: 0x59, 2-byte length */

#ifdef CCC_TEST_HOOKS
int ccc_additive_test_out_of_range;
#endif

static void
put_u32(uint8_t *p, uint32_t x)
{
	p[0] = x >> 24; p[1] = x >> 16; p[2] = x >> 8; p[3] = x;
}

/* SHA-256(DST || 0x00 || u_0 || v_0 || ..): every value of an input. */
static void
values_hash(uint8_t out[32], const uint8_t *u, const uint8_t *v,
    size_t stride, uint32_t k)
{
	struct ccc_sha256 h;
	uint32_t j;

	ccc_sha256_init(&h);
	ccc_sha256_update(&h, DST, sizeof(DST));
	for (j = 0; j < k; j++) {
		ccc_sha256_update(&h, u + j * stride, CCC_POINT_BYTES);
		ccc_sha256_update(&h, v + j * stride, CCC_POINT_BYTES);
	}
	ccc_sha256_final(&h, out);
}

int
ccc_additive_decode(struct ccc_additive *in, const uint8_t *p, size_t len,
    long long base, struct ccc_err *err)
{
	struct ccc_val v[ADD_NFIELDS];
	const uint8_t *q;
	size_t plen, j;
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_additive, p, len, v, base,
	    err)) != 0)
		return rc;
	if (memcmp(v[ADD_GROUP].p, "P256", 4) != 0)
		return ccc_err_set(err, CCC_E_FIELD, v[ADD_GROUP].off, "group",
		    "not P256");
	memcpy(in->key_id, v[ADD_KEY_ID].p, 32);
	in->epoch = v[ADD_EPOCH].u;
	in->context = (const char *)v[ADD_CONTEXT].p;
	in->clen = v[ADD_CONTEXT].n;
	in->bits = (uint32_t)v[ADD_BITS].u;
	in->k = (uint32_t)v[ADD_U].count;
	if (v[ADD_V].count != in->k || v[ADD_PROOFS].count != in->k)
		return ccc_err_set(err, CCC_E_FIELD, v[ADD_V].off, "v",
		    "%u values of u, %zu of v, %zu proofs", in->k,
		    v[ADD_V].count, v[ADD_PROOFS].count);
	/* every proof exactly ccc_bp_proof_bytes(bits) long (>= 614) */
	plen = ccc_bp_proof_bytes(in->bits);
	for (j = 0, q = v[ADD_PROOFS].p; j < in->k; j++) {
		if (q[0] != 0x59 || ((size_t)q[1] << 8 | q[2]) != plen)
			return ccc_err_set(err, CCC_E_FIELD,
			    base + (long long)(q - p), "proofs",
			    "proof %zu: %u bits need a proof of %zu bytes",
			    j + 1, in->bits, plen);
		q += PROOF_HEAD + plen;
	}
	in->u = ccc_val_elem(&v[ADD_U], CCC_POINT_BYTES, 0);
	in->v = ccc_val_elem(&v[ADD_V], CCC_POINT_BYTES, 0);
	in->su = (size_t)(ccc_val_elem(&v[ADD_U], CCC_POINT_BYTES, 1) - in->u);
	in->proof = v[ADD_PROOFS].p + PROOF_HEAD;
	in->sp = PROOF_HEAD + plen;
	in->sum_bits = 0;
	in->sum_proof = NULL;
	if (v[ADD_SUM_BITS].present != v[ADD_SUM_PROOF].present)
		return ccc_err_set(err, CCC_E_FIELD, -1, "sum_bits",
		    "sum_bits and sum_proof go together");
	if (v[ADD_SUM_BITS].present) {
		in->sum_bits = (uint32_t)v[ADD_SUM_BITS].u;
		in->sum_proof = v[ADD_SUM_PROOF].p;
		if (v[ADD_SUM_PROOF].n != ccc_bp_proof_bytes(in->sum_bits))
			return ccc_err_set(err, CCC_E_FIELD,
			    v[ADD_SUM_PROOF].off, "sum_proof",
			    "a sum of %u bits needs a proof of %zu bytes",
			    in->sum_bits, ccc_bp_proof_bytes(in->sum_bits));
	}
	values_hash(in->values, in->u, in->v, in->su, in->k);
	ccc_sha256(in->digest, p, len);
	return 0;
}

/*
 * Value j's statement, its associated data in ad (AD_BYTES); j = k is the
 * sum's, with sum (sum u || sum v, 130 bytes).
 */
static void
statement(struct ccc_bp_stmt *st, uint8_t *ad, const struct ccc_additive *in,
    uint32_t j, const uint8_t *sum)
{
	put_u32(ad, j);
	put_u32(ad + 4, in->k);
	memcpy(ad + 8, in->values, 32);
	memset(st, 0, sizeof(*st));
	st->key_id = in->key_id;
	st->epoch = in->epoch;
	st->context = in->context;
	st->clen = in->clen;
	st->bits = in->bits;
	st->u = in->u + j * in->su;
	st->v = in->v + j * in->su;
	st->proof = in->proof + j * in->sp;
	if (j == in->k) {
		st->bits = in->sum_bits;
		st->u = sum;
		st->v = sum + CCC_POINT_BYTES;
		st->proof = in->sum_proof;
	}
	st->ad = ad;
	st->adlen = AD_BYTES;
}

/*
 * The sum's proof into self (sum_proof, sum_bits): (R G, M G + R H) with
 * R = sum r_j, M = sum m_j, the product of the values' ciphertexts.
 */
static int
prove_sum(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    struct ccc_additive *self, BIGNUM **r, const uint64_t *m, int cheat,
    uint8_t *proof, struct ccc_err *err)
{
	uint8_t sum[2 * CCC_POINT_BYTES], ad[AD_BYTES];
	struct ccc_bp_stmt st;
	EC_POINT *pt;
	BIGNUM *rs, *bm;
	uint64_t msum = 0;
	uint32_t j;
	int rc = CCC_E_CRYPTO;

	for (j = 0; j < self->k; j++)
		msum += m[j];
	if (msum >> self->sum_bits != 0 && !cheat)
		return ccc_err_set(err, CCC_E_FIELD, -1, "value",
		    "the values' sum is not below 2^%u", self->sum_bits);
	pt = EC_POINT_new(ec->group);
	rs = BN_secure_new();
	bm = BN_secure_new();
	if (pt == NULL || rs == NULL || bm == NULL)
		goto out;
	BN_set_flags(rs, BN_FLG_CONSTTIME);
	BN_set_flags(bm, BN_FLG_CONSTTIME);
	BN_zero(rs);
	for (j = 0; j < self->k; j++)
		if (BN_mod_add(rs, rs, r[j], ec->n, ec->bn) != 1)
			goto out;
	if (BN_set_word(bm, msum) != 1 ||
	    EC_POINT_mul(ec->group, pt, rs, NULL, NULL, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])sum, &pt,
	    1) != 0 ||
	    EC_POINT_mul(ec->group, pt, bm, pub->h, rs, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])(sum +
	    CCC_POINT_BYTES), &pt, 1) != 0)
		goto out;
	self->sum_proof = proof;
	statement(&st, ad, self, self->k, sum);
	rc = ccc_bp_prove(ec, pub, &st, rs, msum, proof, err);
	goto done;
out:
	ccc_err_openssl(err, "sum proof");
done:
	EC_POINT_clear_free(pt);
	BN_clear_free(rs);
	BN_clear_free(bm);
	return rc;
}

int
ccc_additive_encrypt(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    uint32_t bits, const uint64_t *m, uint32_t k, struct ccc_err *err)
{
	return ccc_additive_encrypt_sum(ec, out, pub, context, clen, bits, 0,
	    m, k, err);
}

int
ccc_additive_encrypt_sum(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t clen,
    uint32_t bits, uint32_t sum_bits, const uint64_t *m, uint32_t k,
    struct ccc_err *err)
{
	size_t plen = ccc_bp_proof_bytes(bits), j;
	uint8_t *uv = NULL, *pr = NULL, ad[AD_BYTES];
	uint8_t *sp = NULL;
	BIGNUM **r = NULL;
	struct ccc_bp_stmt st;
	struct ccc_additive self;
	struct ccc_val v[ADD_NFIELDS];
	int rc = CCC_E_NOMEM, cheat = 0;

#ifdef CCC_TEST_HOOKS
	cheat = ccc_additive_test_out_of_range;
	ccc_bp_test_out_of_range = cheat;
#endif
	if (bits < 1 || bits > CCC_ADD_MAX_BITS || k < 1 ||
	    k > CCC_ADD_MAX_VALUES || sum_bits > CCC_ADD_MAX_BITS)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "1 to %d values of 1 to %d bits", CCC_ADD_MAX_VALUES,
		    CCC_ADD_MAX_BITS);
	for (j = 0; j < k; j++)
		if (m[j] >> bits != 0 && !cheat)
			return ccc_err_set(err, CCC_E_FIELD, -1, "value",
			    "value %zu is not below 2^%u", j + 1, bits);
	/* uv: u_0 .. u_(k-1), then v_0 ..; pr: head + proof, k times */
	uv = malloc(2 * (size_t)k * CCC_POINT_BYTES);
	pr = malloc((size_t)k * (PROOF_HEAD + plen));
	sp = malloc(CCC_BP_PROOF_MAX);
	r = calloc(k, sizeof(*r));
	if (uv == NULL || pr == NULL || sp == NULL || r == NULL)
		goto fail;
	for (j = 0; j < k; j++) {
		if ((r[j] = BN_secure_new()) == NULL)
			goto fail;
		if ((rc = ccc_bp_commit(ec, pub, m[j], r[j],
		    uv + j * CCC_POINT_BYTES,
		    uv + (k + j) * CCC_POINT_BYTES, err)) != 0)
			goto out;
	}
	memset(&self, 0, sizeof(self));
	memcpy(self.key_id, pub->key_id, 32);
	self.epoch = pub->epoch;
	self.context = context;
	self.clen = clen;
	self.bits = bits;
	self.k = k;
	self.u = uv;
	self.v = uv + (size_t)k * CCC_POINT_BYTES;
	self.su = CCC_POINT_BYTES;
	self.proof = pr + PROOF_HEAD;
	self.sp = PROOF_HEAD + plen;
	self.sum_bits = sum_bits;
	values_hash(self.values, self.u, self.v, self.su, k);
	for (j = 0; j < k; j++) {
		uint8_t *h = pr + j * (PROOF_HEAD + plen);

		h[0] = 0x59;
		h[1] = (uint8_t)(plen >> 8);
		h[2] = (uint8_t)plen;
		statement(&st, ad, &self, (uint32_t)j, NULL);
		if ((rc = ccc_bp_prove(ec, pub, &st, r[j], m[j],
		    h + PROOF_HEAD, err)) != 0)
			goto out;
	}
	if (sum_bits > 0 && (rc = prove_sum(ec, pub, &self, r, m, cheat, sp,
	    err)) != 0)
		goto out;
	memset(v, 0, sizeof(v));
	if (sum_bits > 0) {
		ccc_val_uint(&v[ADD_SUM_BITS], sum_bits);
		ccc_val_bytes(&v[ADD_SUM_PROOF], sp,
		    ccc_bp_proof_bytes(sum_bits));
	}
	ccc_val_bytes(&v[ADD_GROUP], "P256", 4);
	ccc_val_bytes(&v[ADD_KEY_ID], pub->key_id, 32);
	ccc_val_uint(&v[ADD_EPOCH], pub->epoch);
	ccc_val_bytes(&v[ADD_CONTEXT], context, clen);
	ccc_val_uint(&v[ADD_BITS], bits);
	ccc_val_array(&v[ADD_U], self.u, (size_t)k * CCC_POINT_BYTES, k);
	ccc_val_array(&v[ADD_V], self.v, (size_t)k * CCC_POINT_BYTES, k);
	ccc_val_array(&v[ADD_PROOFS], pr, (size_t)k * (PROOF_HEAD + plen), k);
	if ((rc = ccc_blob_encode(out, &ccc_schema_additive, v)) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "additive input");
	goto out;
fail:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "additive input");
out:
	if (r != NULL)
		for (j = 0; j < k; j++)
			BN_clear_free(r[j]);
	free(r);
	free(uv);
	free(pr);
	free(sp);
	return rc;
}

/* Add every value's (u, v) of in[0..n-1] into acc. */
static int
accumulate(struct ccc_ec *ec, const struct ccc_additive *in, size_t n,
    EC_POINT **acc, struct ccc_err *err)
{
	EC_POINT *p = EC_POINT_new(ec->group);
	size_t i;
	uint32_t j;
	int rc = 0;

	if (p == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "aggregate");
	for (i = 0; i < n && rc == 0; i++)
		for (j = 0; j < in[i].k && rc == 0; j++)
			if ((rc = ccc_ec_point_decode(ec, p,
			    in[i].u + j * in[i].su, "u", err)) != 0 ||
			    EC_POINT_add(ec->group, acc[2 * j], acc[2 * j], p,
			    ec->bn) != 1 ||
			    (rc = ccc_ec_point_decode(ec, p,
			    in[i].v + j * in[i].su, "v", err)) != 0 ||
			    EC_POINT_add(ec->group, acc[2 * j + 1],
			    acc[2 * j + 1], p, ec->bn) != 1)
				rc = rc ? rc : ccc_err_openssl(err, "aggregate");
	EC_POINT_free(p);
	return rc;
}

/* sum (130 bytes): sum u_j || sum v_j of in, encoded. */
static int
sum_points(struct ccc_ec *ec, const struct ccc_additive *in, uint8_t *sum,
    struct ccc_err *err)
{
	EC_POINT *p = EC_POINT_new(ec->group), *su = EC_POINT_new(ec->group),
	    *sv = EC_POINT_new(ec->group);
	EC_POINT *both[2];
	uint32_t j;
	int rc = CCC_E_NOMEM;

	if (p == NULL || su == NULL || sv == NULL)
		goto out;
	rc = CCC_E_CRYPTO;
	if (EC_POINT_set_to_infinity(ec->group, su) != 1 ||
	    EC_POINT_set_to_infinity(ec->group, sv) != 1)
		goto out;
	for (j = 0; j < in->k; j++)
		if ((rc = ccc_ec_point_decode(ec, p, in->u + j * in->su, "u",
		    err)) != 0 ||
		    (rc = CCC_E_CRYPTO, EC_POINT_add(ec->group, su, su, p,
		    ec->bn) != 1) ||
		    (rc = ccc_ec_point_decode(ec, p, in->v + j * in->su, "v",
		    err)) != 0 ||
		    (rc = CCC_E_CRYPTO, EC_POINT_add(ec->group, sv, sv, p,
		    ec->bn) != 1))
			goto out;
	if (EC_POINT_is_at_infinity(ec->group, su) ||
	    EC_POINT_is_at_infinity(ec->group, sv)) {
		rc = ccc_err_set(err, CCC_E_POINT, -1, "u",
		    "the values' sum is the identity");
		goto done;
	}
	both[0] = su;
	both[1] = sv;
	rc = ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])sum,
	    both, 2) != 0 ? CCC_E_CRYPTO : 0;
out:
	if (rc == CCC_E_NOMEM)
		ccc_err_set(err, rc, -1, NULL, "sum");
	else if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "sum");
done:
	EC_POINT_free(p);
	EC_POINT_free(su);
	EC_POINT_free(sv);
	return rc;
}

int
ccc_additive_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_additive *in, size_t n, EC_POINT **acc, size_t *bad,
    struct ccc_err *err)
{
	struct ccc_bp_stmt *st = NULL;
	uint8_t (*ad)[AD_BYTES] = NULL, (*sums)[2 * CCC_POINT_BYTES] = NULL;
	size_t *owner = NULL, total = 0, nsum = 0, i, b = 0;
	uint32_t j;
	int rc;

	for (i = 0; i < n; i++) {
		total += in[i].k + (in[i].sum_bits > 0);
		nsum += in[i].sum_bits > 0;
	}
	if (total == 0)
		return 0;
	st = calloc(total, sizeof(*st));
	ad = calloc(total, sizeof(*ad));
	owner = calloc(total, sizeof(*owner));
	sums = calloc(nsum + 1, sizeof(*sums));
	if (st == NULL || ad == NULL || owner == NULL || sums == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "batch");
		goto out;
	}
	for (i = 0, total = 0, nsum = 0; i < n; i++) {
		for (j = 0; j < in[i].k; j++, total++) {
			statement(&st[total], ad[total], &in[i], j, NULL);
			owner[total] = i;
		}
		if (in[i].sum_bits == 0)
			continue;
		if ((rc = sum_points(ec, &in[i], sums[nsum], err)) != 0) {
			*bad = i;
			goto out;
		}
		statement(&st[total], ad[total], &in[i], in[i].k,
		    sums[nsum++]);
		owner[total++] = i;
	}
	if ((rc = ccc_bp_verify(ec, pub, st, total, &b, err)) != 0)
		*bad = owner[b];
	else if (acc != NULL)
		rc = accumulate(ec, in, n, acc, err);
out:
	free(st);
	free(ad);
	free(owner);
	free(sums);
	return rc;
}
