/*
 * DKG and resharing, the cryptographic part: transport keys, dealing a
 * sub-share (sealed to its recipient, with its commitments and proof),
 * checking a deal, opening a sub-share and judging a complaint.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "dkg.h"
#include "hpke.h"
#include "schemas.h"

/* ---- transport keys ----------------------------------------------------- */

int
ccc_transport_encode(struct ccc_buf *b, const uint8_t sid[32],
    const uint8_t seed[32])
{
	struct ccc_val v[2];

	ccc_val_bytes(&v[0], sid, 32);
	ccc_val_bytes(&v[1], seed, 32);
	return ccc_blob_encode(b, &ccc_schema_transport_key, v);
}

int
ccc_transport_load(uint8_t sid[32], uint8_t seed[32], const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[2];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_transport_key, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(sid, v[0].p, 32);
	memcpy(seed, v[1].p, 32);
	return 0;
}

int
ccc_transport_keypair(uint8_t sk[32], uint8_t pk[32], const uint8_t seed[32],
    uint32_t dealer)
{
	static const char dom[] = "ccc/share-transport/v1";
	crypto_auth_hmacsha256_state st;
	uint8_t ikm[32], d = (uint8_t)dealer;
	int rc;

	crypto_auth_hmacsha256_init(&st, seed, 32);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)dom,
	    sizeof(dom) - 1);
	crypto_auth_hmacsha256_update(&st, &d, 1);
	crypto_auth_hmacsha256_final(&st, ikm);
	rc = ccc_hpke_derive_keypair(sk, pk, ikm, sizeof(ikm));
	sodium_memzero(ikm, sizeof(ikm));
	sodium_memzero(&st, sizeof(st));
	return rc;
}

/* ---- dealing, opening, judging ------------------------------------------ */

void
ccc_dkg_proof_ctx(uint8_t ctx[33], const uint8_t sid[32], uint32_t i)
{
	memcpy(ctx, sid, 32);
	ctx[32] = (uint8_t)i;
}

/* info = "ccc/share-subshare/v1" 0 || sid || u8 dealer || u8 recipient */
static size_t
subshare_info(uint8_t info[64], const uint8_t sid[32], uint32_t dealer,
    uint32_t j)
{
	static const char dom[] = "ccc/share-subshare/v1";

	memcpy(info, dom, sizeof(dom));
	memcpy(info + sizeof(dom), sid, 32);
	info[sizeof(dom) + 32] = (uint8_t)dealer;
	info[sizeof(dom) + 33] = (uint8_t)j;
	return sizeof(dom) + 34;
}

int
ccc_deal_make(struct ccc_ec *ec, struct ccc_buf *b, const uint8_t sid[32],
    uint64_t epoch, uint32_t dealer, uint32_t t, uint32_t n,
    const uint8_t *const *keys, const BIGNUM *secret, bool pok,
    const struct ccc_dkg_tamper *tamper, struct ccc_err *err)
{
	struct ccc_val v[7];
	struct ccc_hpke_ctx hc;
	BIGNUM **ys = NULL;
	uint32_t *xs = NULL, j;
	uint8_t (*C)[CCC_POINT_BYTES] = NULL, (*enc)[32] = NULL;
	uint8_t (*ct)[CCC_DKG_SUBSHARE_CT_BYTES] = NULL;
	uint8_t proof[CCC_VSS_PROOF_BYTES], ctx[33], info[64], *y = NULL;
	size_t ilen;
	int rc = CCC_E_NOMEM;

	memset(&hc, 0, sizeof(hc));
	if ((ys = calloc(n, sizeof(*ys))) == NULL ||
	    (xs = calloc(n, sizeof(*xs))) == NULL ||
	    (C = calloc(t, sizeof(*C))) == NULL ||
	    (enc = calloc(n, sizeof(*enc))) == NULL ||
	    (ct = calloc(n, sizeof(*ct))) == NULL ||
	    (y = sodium_malloc(32)) == NULL)
		goto out;
	for (j = 0; j < n; j++) {
		xs[j] = j + 1;
		if ((ys[j] = BN_secure_new()) == NULL)
			goto out;
	}
	if ((rc = ccc_vss_deal(ec, C, ys, secret, t, xs, n)) != 0)
		goto out;
	if (pok) {
		ccc_dkg_proof_ctx(ctx, sid, dealer);
		if ((rc = ccc_schnorr_prove(ec, proof, secret, C[0],
		    CCC_DKG_POK_TAG, ctx, sizeof(ctx))) != 0)
			goto out;
	}
	for (j = 1; j <= n; j++) {
		if (keys[j - 1] == NULL)
			continue;	/* did not accept: slot stays zero */
#ifdef CCC_TEST_HOOKS
		if (tamper != NULL && tamper->bad_subshare == j &&
		    (!BN_add_word(ys[j - 1], 1) || !BN_nnmod(ys[j - 1],
		    ys[j - 1], ec->n, ec->bn))) {
			rc = CCC_E_CRYPTO;
			goto out;
		}
#endif
		ilen = subshare_info(info, sid, dealer, j);
		if ((rc = ccc_ec_scalar_encode(y, ys[j - 1])) != 0 ||
		    (rc = ccc_hpke_setup_s(&hc, enc[j - 1], keys[j - 1], info,
		    ilen, NULL, 0)) != 0 ||
		    (rc = ccc_hpke_seal(&hc, ct[j - 1], NULL, 0, y, 32)) != 0)
			goto out;
		ccc_hpke_ctx_wipe(&hc);
	}
	ccc_val_bytes(&v[0], sid, 32);
	ccc_val_uint(&v[1], epoch);
	ccc_val_uint(&v[2], dealer);
	ccc_val_array(&v[3], C, (size_t)t * 65, t);
	memset(&v[4], 0, sizeof(v[4]));
	if (pok)
		ccc_val_bytes(&v[4], proof, sizeof(proof));
	ccc_val_array(&v[5], enc, (size_t)n * 32, n);
	ccc_val_array(&v[6], ct, (size_t)n * CCC_DKG_SUBSHARE_CT_BYTES, n);
	rc = ccc_blob_encode(b, &ccc_schema_share_deal, v);
out:
	if (rc != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "making the dealing: %s",
		    ccc_strerror(rc));
	ccc_hpke_ctx_wipe(&hc);
	if (ys != NULL)
		for (j = 0; j < n; j++)
			BN_clear_free(ys[j]);
	if (y != NULL)
		sodium_free(y);
	free(ys);
	free(xs);
	free(C);
	free(enc);
	free(ct);
	return rc;
}

int
ccc_deal_check(struct ccc_ec *ec, const struct ccc_msg *d, uint32_t t,
    uint32_t n, const uint8_t *pin, EC_POINT **C, struct ccc_err *err)
{
	uint8_t ctx[33];
	int rc;

	if (d->t != t)
		return ccc_err_set(err, CCC_E_FIELD, -1, "commits",
		    "%u commitments for threshold %u", d->t, t);
	if (d->n != n)
		return ccc_err_set(err, CCC_E_FIELD, -1, "enc",
		    "%u sealed sub-shares for %u members", d->n, n);
	if ((rc = ccc_vss_decode(ec, C, d->commits[0], t, err)) != 0)
		return rc;
	if (pin != NULL) {
		/* Resharing: the dealer must share the share it holds. */
		if (CRYPTO_memcmp(d->commits[0], pin, CCC_POINT_BYTES) != 0)
			return ccc_err_set(err, CCC_E_KEY, -1, "commits",
			    "C_0 is not the dealer's h_i in the old group");
		return 0;
	}
	if (!d->has_pok)
		return ccc_err_set(err, CCC_E_FIELD, -1, "pok", "no proof of "
		    "knowledge of the secret");
	ccc_dkg_proof_ctx(ctx, d->sid, d->from);
	if (ccc_schnorr_verify(ec, d->pok, C[0], d->commits[0],
	    CCC_DKG_POK_TAG, ctx, sizeof(ctx)) != 0)
		return ccc_err_set(err, CCC_E_SIGNATURE, -1, "pok", "the proof "
		    "of knowledge of the secret does not verify");
	return 0;
}

int
ccc_subshare_open(struct ccc_ec *ec, BIGNUM *y, const struct ccc_msg *d,
    EC_POINT *const *C, uint32_t j, const uint8_t sk[32])
{
	struct ccc_hpke_ctx hc;
	uint8_t info[64], *pt;
	size_t ilen;
	int rc;

	if (j < 1 || j > d->n || sodium_is_zero(d->enc[j - 1], 32))
		return CCC_E_DECRYPT;
	if ((pt = sodium_malloc(32)) == NULL)
		return CCC_E_NOMEM;
	ilen = subshare_info(info, d->sid, d->from, j);
	rc = CCC_E_DECRYPT;
	if (ccc_hpke_setup_r(&hc, d->enc[j - 1], sk, info, ilen) != 0 ||
	    ccc_hpke_open(&hc, pt, NULL, 0, d->ct[j - 1],
	    CCC_DKG_SUBSHARE_CT_BYTES) != 0)
		goto out;
	BN_set_flags(y, BN_FLG_CONSTTIME);
	if (ccc_ec_scalar_decode(ec, y, pt, NULL, NULL) != 0) {
		rc = CCC_E_SCALAR;
		goto out;
	}
	rc = C != NULL ? ccc_vss_check(ec, C, d->t, j, y) : 0;
out:
	if (rc != 0)
		BN_clear(y);
	ccc_hpke_ctx_wipe(&hc);
	sodium_free(pt);
	return rc;
}

int
ccc_complaint_judge(struct ccc_ec *ec, const struct ccc_msg *d,
    EC_POINT *const *C, uint32_t j, const struct ccc_complaint *c,
    const uint8_t keypk[32])
{
	uint8_t pk[32];
	BIGNUM *y;
	int rc;

	/* The revealed key must be the one j published for this dealer. */
	if (crypto_scalarmult_base(pk, c->key) != 0 ||
	    CRYPTO_memcmp(pk, keypk, 32) != 0)
		return 0;
	/* Nothing was sealed to j: there is nothing to complain about. */
	if (j < 1 || j > d->n || sodium_is_zero(d->enc[j - 1], 32))
		return 0;
	if ((y = BN_secure_new()) == NULL)
		return CCC_E_NOMEM;
	rc = ccc_subshare_open(ec, y, d, C, j, c->key);
	BN_clear_free(y);
	switch (rc) {
	case 0:
		return 0;	/* a good sub-share: a false complaint */
	case CCC_E_DECRYPT:
	case CCC_E_SCALAR:
	case CCC_E_SHARE:
		return 1;
	default:
		return rc;
	}
}
