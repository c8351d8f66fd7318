/*
 * HPKE (RFC 9180) base mode for DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and
 * ChaCha20-Poly1305.  Section numbers refer to RFC 9180; the names follow
 * its pseudocode.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "hpke.h"

#define NH		32	/* HKDF-SHA256 Nh, also the KEM's Nsecret */
#define NN		12	/* ChaCha20-Poly1305 Nn */
/* OpenSSL 3.0 documents this as the longest HKDF info it takes. */
#define HKDF_INFO_MAX	1024

struct suite {
	const uint8_t *id;
	size_t len;
};

static const char v1[] = "HPKE-v1";
/* suite_id of the KEM alone (section 4.1) and of the whole suite (5.1) */
static const uint8_t kem_id[] = { 'K', 'E', 'M', 0x00, 0x20 };
static const uint8_t hpke_id[] = {
	'H', 'P', 'K', 'E', 0x00, 0x20, 0x00, 0x01, 0x00, 0x03
};
static const struct suite kem = { kem_id, sizeof(kem_id) };
static const struct suite hpke = { hpke_id, sizeof(hpke_id) };

/* The exporter's info is I2OSP(L, 2) || "HPKE-v1" || suite_id || "sec". */
_Static_assert(CCC_HPKE_EXPORT_CTX_MAX ==
    HKDF_INFO_MAX - 2 - (sizeof(v1) - 1) - sizeof(hpke_id) - 3,
    "CCC_HPKE_EXPORT_CTX_MAX does not match the HKDF info cap");
_Static_assert(CCC_HPKE_EXPORT_MAX == 255 * NH, "HKDF-Expand limit");

/*
 * HKDF-SHA256 (RFC 5869) is HMAC-SHA256 twice over: Extract = HMAC(salt,
 * IKM), Expand = T(i) = HMAC(PRK, T(i-1) || info || i).  libsodium's
 * incremental HMAC takes the labeled inputs piece by piece, so no labeled
 * copy of a secret IKM is ever made, and no KDF context is allocated
 * (OpenSSL's EVP_KDF path cost ~130 us per HPKE setup).  An absent salt is
 * HashLen zero bytes, which as an HMAC key equals the empty key.
 */

/*
 * LabeledExtract (section 4): Extract(salt, "HPKE-v1" || suite || label ||
 * ikm).  The HMAC state holds secrets: it is wiped.
 */
static int
labeled_extract(uint8_t prk[NH], const struct suite *suite,
    const uint8_t *salt, size_t salt_len, const char *label,
    const uint8_t *ikm, size_t ikm_len)
{
	static const uint8_t none[1];	/* libsodium wants non-NULL even for 0 */
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, salt_len ? salt : none, salt_len);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)v1,
	    sizeof(v1) - 1);
	crypto_auth_hmacsha256_update(&st, suite->id, suite->len);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)label,
	    strlen(label));
	if (ikm_len > 0)
		crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
	crypto_auth_hmacsha256_final(&st, prk);
	sodium_memzero(&st, sizeof(st));
	return 0;
}

/*
 * LabeledExpand (section 4): Expand(prk, I2OSP(L, 2) || "HPKE-v1" ||
 * suite || label || info, L).
 */
static int
labeled_expand(uint8_t *out, size_t L, const struct suite *suite,
    const uint8_t prk[NH], const char *label, const uint8_t *info,
    size_t info_len)
{
	crypto_auth_hmacsha256_state st;
	uint8_t t[NH], l2[2], i;
	size_t done = 0, n;

	/* The labeled info keeps within the documented cap (see hpke.h). */
	n = 2 + (sizeof(v1) - 1) + suite->len + strlen(label);
	if (L == 0 || L > 255 * NH || info_len > HKDF_INFO_MAX - n)
		return CCC_E_FIELD;
	l2[0] = (uint8_t)(L >> 8);
	l2[1] = (uint8_t)L;
	for (i = 1; done < L; i++) {
		crypto_auth_hmacsha256_init(&st, prk, NH);
		if (i > 1)
			crypto_auth_hmacsha256_update(&st, t, NH);
		crypto_auth_hmacsha256_update(&st, l2, 2);
		crypto_auth_hmacsha256_update(&st, (const uint8_t *)v1,
		    sizeof(v1) - 1);
		crypto_auth_hmacsha256_update(&st, suite->id, suite->len);
		crypto_auth_hmacsha256_update(&st, (const uint8_t *)label,
		    strlen(label));
		if (info_len > 0)
			crypto_auth_hmacsha256_update(&st, info, info_len);
		crypto_auth_hmacsha256_update(&st, &i, 1);
		crypto_auth_hmacsha256_final(&st, t);
		n = L - done < NH ? L - done : NH;
		memcpy(out + done, t, n);
		done += n;
	}
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(t, sizeof(t));
	return 0;
}

/*
 * DH(sk, pk) then ExtractAndExpand (section 4.1), with kem_context =
 * enc || pkRm.
 */
static int
kem_shared_secret(uint8_t ss[NH], const uint8_t sk[32], const uint8_t pk[32],
    const uint8_t kem_context[64])
{
	uint8_t dh[32], prk[NH];
	int ret;

	/*
	 * libsodium returns -1 when the result is all zero (pk of small
	 * order), which section 7.1.4 requires to be refused.
	 */
	if (crypto_scalarmult(dh, sk, pk) != 0) {
		ret = CCC_E_FIELD;
		goto out;
	}
	if ((ret = labeled_extract(prk, &kem, NULL, 0, "eae_prk", dh,
	    sizeof(dh))) != 0)
		goto out;
	ret = labeled_expand(ss, NH, &kem, prk, "shared_secret", kem_context,
	    64);
out:
	sodium_memzero(dh, sizeof(dh));
	sodium_memzero(prk, sizeof(prk));
	return ret;
}

/* KeySchedule (section 5.1) for mode_base: empty psk and psk_id. */
static int
key_schedule(struct ccc_hpke_ctx *ctx, const uint8_t ss[NH],
    const uint8_t *info, size_t info_len)
{
	uint8_t ksc[1 + 2 * NH], secret[NH];
	int ret;

	/* key_schedule_context = mode || psk_id_hash || info_hash */
	ksc[0] = 0x00;		/* mode_base */
	if ((ret = labeled_extract(ksc + 1, &hpke, NULL, 0, "psk_id_hash",
	    NULL, 0)) != 0 ||
	    (ret = labeled_extract(ksc + 1 + NH, &hpke, NULL, 0, "info_hash",
	    info, info_len)) != 0 ||
	    (ret = labeled_extract(secret, &hpke, ss, NH, "secret",
	    NULL, 0)) != 0)
		goto out;
	if ((ret = labeled_expand(ctx->key, sizeof(ctx->key), &hpke, secret,
	    "key", ksc, sizeof(ksc))) != 0 ||
	    (ret = labeled_expand(ctx->base_nonce, sizeof(ctx->base_nonce),
	    &hpke, secret, "base_nonce", ksc, sizeof(ksc))) != 0 ||
	    (ret = labeled_expand(ctx->exporter_secret,
	    sizeof(ctx->exporter_secret), &hpke, secret, "exp", ksc,
	    sizeof(ksc))) != 0)
		goto out;
	ctx->seq = 0;
out:
	sodium_memzero(secret, sizeof(secret));
	return ret;
}

int
ccc_hpke_derive_keypair(uint8_t sk[32], uint8_t pk[32], const uint8_t *ikm,
    size_t ikm_len)
{
	uint8_t prk[NH];
	int ret;

	/* Section 7.1.3: ikm SHOULD be at least Nsk bytes long. */
	if (ikm == NULL || ikm_len < CCC_HPKE_SK_BYTES) {
		ret = CCC_E_FIELD;
		goto out;
	}
	if ((ret = labeled_extract(prk, &kem, NULL, 0, "dkp_prk", ikm,
	    ikm_len)) != 0 ||
	    (ret = labeled_expand(sk, CCC_HPKE_SK_BYTES, &kem, prk, "sk",
	    NULL, 0)) != 0)
		goto out;
	/* X25519 clamps inside scalarmult, so sk is used as expanded. */
	if (crypto_scalarmult_base(pk, sk) != 0)
		ret = CCC_E_CRYPTO;
out:
	sodium_memzero(prk, sizeof(prk));
	if (ret != 0) {
		sodium_memzero(sk, CCC_HPKE_SK_BYTES);
		sodium_memzero(pk, CCC_HPKE_PK_BYTES);
	}
	return ret;
}

int
ccc_hpke_keygen(uint8_t sk[32], uint8_t pk[32])
{
	randombytes_buf(sk, CCC_HPKE_SK_BYTES);
	if (crypto_scalarmult_base(pk, sk) != 0) {
		sodium_memzero(sk, CCC_HPKE_SK_BYTES);
		sodium_memzero(pk, CCC_HPKE_PK_BYTES);
		return CCC_E_CRYPTO;
	}
	return 0;
}

int
ccc_hpke_setup_s(struct ccc_hpke_ctx *ctx, uint8_t enc[32],
    const uint8_t pkR[32], const uint8_t *info, size_t info_len,
    const uint8_t *ikmE, size_t ikmE_len)
{
	uint8_t skE[32], kem_context[64], ss[NH];
	int ret;

	/* Encap (section 4.1): enc = pkE, kem_context = enc || pkR. */
	if (ikmE != NULL)
		ret = ccc_hpke_derive_keypair(skE, enc, ikmE, ikmE_len);
	else
		ret = ccc_hpke_keygen(skE, enc);
	if (ret != 0)
		goto out;
	memcpy(kem_context, enc, 32);
	memcpy(kem_context + 32, pkR, 32);
	if ((ret = kem_shared_secret(ss, skE, pkR, kem_context)) != 0)
		goto out;
	ret = key_schedule(ctx, ss, info, info_len);
out:
	sodium_memzero(skE, sizeof(skE));
	sodium_memzero(ss, sizeof(ss));
	if (ret != 0) {
		sodium_memzero(enc, CCC_HPKE_ENC_BYTES);
		ccc_hpke_ctx_wipe(ctx);
	}
	return ret;
}

int
ccc_hpke_setup_r(struct ccc_hpke_ctx *ctx, const uint8_t enc[32],
    const uint8_t skR[32], const uint8_t *info, size_t info_len)
{
	uint8_t pkR[32];

	if (crypto_scalarmult_base(pkR, skR) != 0) {
		ccc_hpke_ctx_wipe(ctx);
		return CCC_E_CRYPTO;
	}
	return ccc_hpke_setup_r_pk(ctx, enc, skR, pkR, info, info_len);
}

int
ccc_hpke_setup_r_pk(struct ccc_hpke_ctx *ctx, const uint8_t enc[32],
    const uint8_t skR[32], const uint8_t pkR[32], const uint8_t *info,
    size_t info_len)
{
	uint8_t kem_context[64], ss[NH];
	int ret;

	/* Decap (section 4.1): kem_context = enc || pkR. */
	memcpy(kem_context, enc, 32);
	memcpy(kem_context + 32, pkR, 32);
	if ((ret = kem_shared_secret(ss, skR, enc, kem_context)) != 0)
		goto out;
	ret = key_schedule(ctx, ss, info, info_len);
out:
	sodium_memzero(ss, sizeof(ss));
	if (ret != 0)
		ccc_hpke_ctx_wipe(ctx);
	return ret;
}

/* ComputeNonce (section 5.2): base_nonce XOR I2OSP(seq, Nn). */
static void
compute_nonce(uint8_t nonce[NN], const struct ccc_hpke_ctx *ctx)
{
	int i;

	memcpy(nonce, ctx->base_nonce, NN);
	for (i = 0; i < 8; i++)
		nonce[NN - 1 - i] ^= (uint8_t)(ctx->seq >> (8 * i));
}

int
ccc_hpke_seal(struct ccc_hpke_ctx *ctx, uint8_t *ct, const uint8_t *aad,
    size_t aad_len, const uint8_t *pt, size_t pt_len)
{
	uint8_t nonce[NN];
	int ret = 0;

	/* libsodium aborts on a longer message rather than failing. */
	if (pt_len > crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return CCC_E_FIELD;
	/*
	 * Section 5.2 stops at seq = 2^96 - 1; our counter is 64 bits and
	 * must not wrap into a used nonce, so the last value is never used.
	 */
	if (ctx->seq == UINT64_MAX)
		return CCC_E_STATE;
	compute_nonce(nonce, ctx);
	if (crypto_aead_chacha20poly1305_ietf_encrypt(ct, NULL, pt, pt_len, aad,
	    aad_len, NULL, nonce, ctx->key) != 0)
		ret = CCC_E_CRYPTO;
	else
		ctx->seq++;
	sodium_memzero(nonce, sizeof(nonce));
	return ret;
}

int
ccc_hpke_open(struct ccc_hpke_ctx *ctx, uint8_t *pt, const uint8_t *aad,
    size_t aad_len, const uint8_t *ct, size_t ct_len)
{
	uint8_t nonce[NN];
	size_t pt_len;
	int ret = CCC_E_DECRYPT;

	if (ct_len < CCC_HPKE_TAG_BYTES)
		return CCC_E_DECRYPT;
	pt_len = ct_len - CCC_HPKE_TAG_BYTES;
	if (pt_len > crypto_aead_chacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    ctx->seq == UINT64_MAX)
		goto out;
	compute_nonce(nonce, ctx);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, NULL, NULL, ct,
	    ct_len, aad, aad_len, nonce, ctx->key) == 0) {
		ctx->seq++;
		ret = 0;
	}
	sodium_memzero(nonce, sizeof(nonce));
out:
	/* Nothing unauthenticated leaves: a failure zeroes all of pt. */
	if (ret != 0 && pt_len > 0)
		sodium_memzero(pt, pt_len);
	return ret;
}

int
ccc_hpke_export(const struct ccc_hpke_ctx *ctx, uint8_t *out, size_t out_len,
    const uint8_t *exp_ctx, size_t exp_ctx_len)
{
	int ret;

	/* Export (section 5.3) */
	ret = labeled_expand(out, out_len, &hpke, ctx->exporter_secret, "sec",
	    exp_ctx, exp_ctx_len);
	if (ret != 0 && out_len > 0)
		sodium_memzero(out, out_len);
	return ret;
}

void
ccc_hpke_ctx_wipe(struct ccc_hpke_ctx *ctx)
{
	sodium_memzero(ctx, sizeof(*ctx));
}
