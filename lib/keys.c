#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "hash.h"
#include "keys.h"
#include "schemas.h"

const char *
ccc_short_id(const uint8_t id[32])
{
	static char hex[9];

	sodium_bin2hex(hex, sizeof(hex), id, 4);
	return hex;
}

static int
check_group(const struct ccc_val *v, struct ccc_err *err)
{
	if (memcmp(v->p, "P256", 4) != 0)
		return ccc_err_set(err, CCC_E_FIELD, v->off, "group",
		    "group: unsupported group \"%.4s\" (only P256)", v->p);
	return 0;
}

int
ccc_tpk_load(struct ccc_ec *ec, struct ccc_tdh2_pub *pub, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[TPK_NFIELDS];
	char name[16];
	uint32_t i;
	int rc;

	memset(pub, 0, sizeof(*pub));
	if ((rc = ccc_blob_decode(&ccc_schema_tpk, p, len, v, 0, err)) != 0 ||
	    (rc = check_group(&v[TPK_GROUP], err)) != 0)
		return rc;
	if (v[TPK_T].u > v[TPK_N].u)
		return ccc_err_set(err, CCC_E_FIELD, v[TPK_T].off, "t",
		    "threshold t=%llu exceeds n=%llu",
		    (unsigned long long)v[TPK_T].u,
		    (unsigned long long)v[TPK_N].u);
	if (v[TPK_HI].count != v[TPK_N].u)
		return ccc_err_set(err, CCC_E_FIELD, v[TPK_HI].off, "h_i",
		    "h_i: %zu entries for n=%llu", v[TPK_HI].count,
		    (unsigned long long)v[TPK_N].u);
	if ((rc = ccc_tdh2_pub_alloc(ec, pub, (uint32_t)v[TPK_N].u)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "public key");
	pub->t = (uint32_t)v[TPK_T].u;
	pub->epoch = v[TPK_EPOCH].u;
	memcpy(pub->key_id, v[TPK_KEY_ID].p, 32);
	memcpy(pub->h_enc, v[TPK_H].p, 65);
	memcpy(pub->gbar_enc, v[TPK_GBAR].p, 65);
	if ((rc = ccc_ec_point_decode(ec, pub->h, pub->h_enc, "h", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, pub->gbar, pub->gbar_enc, "g_bar",
	    err)) != 0)
		goto fail;
	for (i = 0; i < pub->n; i++) {
		memcpy(pub->hi_enc[i], ccc_val_elem(&v[TPK_HI], 65, i), 65);
		snprintf(name, sizeof(name), "h_i[%u]", i + 1);
		if ((rc = ccc_ec_point_decode(ec, pub->hi[i], pub->hi_enc[i],
		    NULL, NULL)) != 0) {
			rc = ccc_err_set(err, rc, v[TPK_HI].off, "h_i",
			    "%s: not a valid point", name);
			goto fail;
		}
	}
	return 0;
fail:
	ccc_tdh2_pub_free(pub);
	return rc;
}

int
ccc_tpk_encode(struct ccc_buf *b, const struct ccc_tdh2_pub *pub)
{
	struct ccc_val v[TPK_NFIELDS];

	ccc_val_bytes(&v[TPK_GROUP], "P256", 4);
	ccc_val_uint(&v[TPK_T], pub->t);
	ccc_val_uint(&v[TPK_N], pub->n);
	ccc_val_uint(&v[TPK_EPOCH], pub->epoch);
	ccc_val_bytes(&v[TPK_KEY_ID], pub->key_id, 32);
	ccc_val_bytes(&v[TPK_H], pub->h_enc, 65);
	ccc_val_bytes(&v[TPK_GBAR], pub->gbar_enc, 65);
	ccc_val_array(&v[TPK_HI], pub->hi_enc, (size_t)pub->n * 65, pub->n);
	return ccc_blob_encode(b, &ccc_schema_tpk, v);
}

struct ccc_share *
ccc_share_new(void)
{
	struct ccc_share *s;

	if ((s = sodium_malloc(sizeof(*s))) != NULL)
		memset(s, 0, sizeof(*s));
	return s;
}

void
ccc_share_free(struct ccc_share *s)
{
	if (s != NULL)
		sodium_free(s);		/* wipes */
}

int
ccc_share_load(struct ccc_share *s, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[SHARE_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_share, p, len, v, 0, err)) != 0 ||
	    (rc = check_group(&v[SHARE_GROUP], err)) != 0)
		return rc;
	s->index = (uint32_t)v[SHARE_INDEX].u;
	s->epoch = v[SHARE_EPOCH].u;
	memcpy(s->key_id, v[SHARE_KEY_ID].p, 32);
	memcpy(s->x, v[SHARE_X].p, 32);
	return 0;
}

int
ccc_share_encode(struct ccc_buf *b, const struct ccc_share *s)
{
	struct ccc_val v[SHARE_NFIELDS];

	ccc_val_bytes(&v[SHARE_GROUP], "P256", 4);
	ccc_val_uint(&v[SHARE_INDEX], s->index);
	ccc_val_uint(&v[SHARE_EPOCH], s->epoch);
	ccc_val_bytes(&v[SHARE_KEY_ID], s->key_id, 32);
	ccc_val_bytes(&v[SHARE_X], s->x, 32);
	return ccc_blob_encode(b, &ccc_schema_share, v);
}

int
ccc_share_check(struct ccc_ec *ec, const struct ccc_share *s,
    const struct ccc_tdh2_pub *pub, struct ccc_err *err)
{
	uint8_t enc[1][CCC_POINT_BYTES];
	EC_POINT *gx = NULL;
	BIGNUM *x = NULL;
	int rc;

	if (CRYPTO_memcmp(s->key_id, pub->key_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "key_id",
		    "the share belongs to key %s, not to this public key",
		    ccc_short_id(s->key_id));
	if (s->epoch != pub->epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch",
		    "the share is for epoch %llu, the public key for epoch "
		    "%llu", (unsigned long long)s->epoch,
		    (unsigned long long)pub->epoch);
	if (s->index > pub->n)
		return ccc_err_set(err, CCC_E_KEY, -1, "index",
		    "node %u is not in a key of %u nodes", s->index, pub->n);
	if ((x = BN_secure_new()) == NULL || (gx = EC_POINT_new(ec->group)) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
		goto out;
	}
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if ((rc = ccc_ec_scalar_decode(ec, x, s->x, "x", err)) != 0)
		goto out;
	if (EC_POINT_mul(ec->group, gx, x, NULL, NULL, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, enc, &gx, 1) != 0) {
		rc = ccc_err_openssl(err, "share");
		goto out;
	}
	if (CRYPTO_memcmp(enc[0], pub->hi_enc[s->index - 1], 65) != 0)
		rc = ccc_err_set(err, CCC_E_KEY, -1, "x", "the share of node "
		    "%u does not match h_%u of the public key", s->index,
		    s->index);
out:
	BN_clear_free(x);
	EC_POINT_clear_free(gx);
	return rc;
}

int
ccc_ct_decode(struct ccc_ct *ct, const uint8_t *p, size_t len, long long base,
    struct ccc_err *err)
{
	struct ccc_val v[CT_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_ct, p, len, v, base, err)) != 0 ||
	    (rc = check_group(&v[CT_GROUP], err)) != 0)
		return rc;
	ct->context = v[CT_CONTEXT].present ? (const char *)v[CT_CONTEXT].p :
	    NULL;
	ct->context_len = v[CT_CONTEXT].n;
	if ((rc = ccc_label(ct->t.label, ct->context, ct->context_len,
	    err)) != 0)
		return rc;
	memcpy(ct->t.c, v[CT_C].p, 32);
	memcpy(ct->t.u, v[CT_U].p, 65);
	memcpy(ct->t.u_bar, v[CT_UBAR].p, 65);
	memcpy(ct->t.e, v[CT_E].p, 32);
	memcpy(ct->t.f, v[CT_F].p, 32);
	memcpy(ct->nonce, v[CT_NONCE].p, 12);
	ct->sym = v[CT_SYM].p;
	ct->sym_len = v[CT_SYM].n;
	/* The hints come as a pair. */
	if (v[CT_W].present != v[CT_WBAR].present)
		return ccc_err_set(err, CCC_E_FIELD, v[CT_W].present ?
		    v[CT_W].off : v[CT_WBAR].off, v[CT_W].present ? "w" :
		    "w_bar", "%s without %s", v[CT_W].present ? "w" : "w_bar",
		    v[CT_W].present ? "w_bar" : "w");
	ct->w = v[CT_W].present ? v[CT_W].p : NULL;
	ct->w_bar = v[CT_WBAR].present ? v[CT_WBAR].p : NULL;
	ct->blob = p;
	ct->blob_len = len;
	ct->have_digest = false;
	return 0;
}

const uint8_t *
ccc_ct_digest(struct ccc_ct *ct)
{
	if (!ct->have_digest) {
		ccc_sha256(ct->digest_, ct->blob, ct->blob_len);
		ct->have_digest = true;
	}
	return ct->digest_;
}

static void
ct_vals(struct ccc_val *v, const struct ccc_ct *ct)
{
	ccc_val_bytes(&v[CT_GROUP], "P256", 4);
	memset(&v[CT_CONTEXT], 0, sizeof(v[CT_CONTEXT]));
	if (ct->context != NULL)
		ccc_val_bytes(&v[CT_CONTEXT], ct->context, ct->context_len);
	ccc_val_bytes(&v[CT_C], ct->t.c, 32);
	ccc_val_bytes(&v[CT_U], ct->t.u, 65);
	ccc_val_bytes(&v[CT_UBAR], ct->t.u_bar, 65);
	ccc_val_bytes(&v[CT_E], ct->t.e, 32);
	ccc_val_bytes(&v[CT_F], ct->t.f, 32);
	ccc_val_bytes(&v[CT_NONCE], ct->nonce, 12);
	ccc_val_bytes(&v[CT_SYM], ct->sym, ct->sym_len);
	memset(&v[CT_W], 0, sizeof(v[CT_W]));
	memset(&v[CT_WBAR], 0, sizeof(v[CT_WBAR]));
	if (ct->w != NULL) {
		ccc_val_bytes(&v[CT_W], ct->w, 65);
		ccc_val_bytes(&v[CT_WBAR], ct->w_bar, 65);
	}
}

int
ccc_ct_encode(struct ccc_buf *b, const struct ccc_ct *ct)
{
	struct ccc_val v[CT_NFIELDS];

	ct_vals(v, ct);
	return ccc_blob_encode(b, &ccc_schema_ct, v);
}

static const EVP_CIPHER *
aes256gcm(void)
{
	return EVP_aes_256_gcm();
}

/*
 * AES-256-GCM from libsodium (AES-NI) or OpenSSL: the same function, the
 * same bytes.  OpenSSL's first use costs ~0.6 ms (provider fetch) and then
 * runs at twice libsodium's speed (5.1 vs 2.2 GB/s): it is used for
 * payloads over 256 KiB; smaller ones, where the CPU has AES-NI, go to
 * libsodium, which a one-shot tool starts at no cost.
 */
#define SODIUM_GCM_MAX (256UL << 10)

static bool
use_sodium_gcm(size_t n)
{
	return n <= SODIUM_GCM_MAX && crypto_aead_aes256gcm_is_available();
}

int
ccc_ct_encrypt(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t context_len,
    const uint8_t *msg, size_t msg_len, struct ccc_err *err)
{
	return ccc_ct_encrypt_hints(ec, out, pub, context, context_len, msg,
	    msg_len, false, err);
}

int
ccc_ct_encrypt_hints(struct ccc_ec *ec, struct ccc_buf *out,
    const struct ccc_tdh2_pub *pub, const char *context, size_t context_len,
    const uint8_t *msg, size_t msg_len, bool hints, struct ccc_err *err)
{
	struct ccc_val v[CT_NFIELDS];
	struct ccc_ct ct;
	uint8_t comm[2][CCC_POINT_BYTES];
	EVP_CIPHER_CTX *cx = NULL;
	/* A stack array, wiped at the exit (sodium_malloc costs ~10 us). */
	uint8_t key[32], label[32];
	size_t start = out->len, symoff;
	int rc, outl;

	if (msg_len > CCC_CT_SYM_MAX - 16)
		return ccc_err_set(err, CCC_E_TOOBIG, -1, NULL,
		    "plaintext larger than %lu bytes", CCC_CT_SYM_MAX - 16);
	memset(&ct, 0, sizeof(ct));
	ccc_ec_random(ec, key, 32);
	ccc_ec_random(ec, ct.nonce, 12);
	if ((rc = ccc_label(label, context, context_len, err)) != 0)
		goto out;
	if ((rc = ccc_tdh2_encrypt_comm(ec, &ct.t, hints ? comm : NULL, pub,
	    key, label, err)) != 0)
		goto out;
	ct.context = context;
	ct.context_len = context_len;
	/*
	 * Encode everything but the payload, then encrypt straight into the
	 * output buffer: field 9 (sym) comes after the others but the hints,
	 * so its head and bytes (then the hints) close the blob and no copy
	 * of a large payload is made.
	 */
	ct_vals(v, &ct);
	v[CT_SYM].present = false;
	if ((rc = ccc_blob_encode_prefix(out, &ccc_schema_ct, v,
	    hints ? 3 : 1)) != 0)
		goto nomem;
	if ((rc = ccc_cbor_put_uint(out, 9)) != 0 ||
	    (rc = ccc_cbor_put_bstr_head(out, msg_len + 16)) != 0 ||
	    (rc = ccc_buf_reserve(out, msg_len + 16)) != 0)
		goto nomem;
	symoff = out->len;
	if (use_sodium_gcm(msg_len)) {
		if (crypto_aead_aes256gcm_encrypt_detached(out->p + symoff,
		    out->p + symoff + msg_len, NULL, msg, msg_len, NULL, 0,
		    NULL, ct.nonce, key) != 0) {
			rc = ccc_err_set(err, CCC_E_CRYPTO, -1, NULL,
			    "aes-256-gcm");
			goto out;
		}
	} else if ((cx = EVP_CIPHER_CTX_new()) == NULL) {
		goto nomem;
	} else if (EVP_EncryptInit_ex(cx, aes256gcm(), NULL, key,
	    ct.nonce) != 1 ||
	    (msg_len > 0 && EVP_EncryptUpdate(cx, out->p + symoff, &outl, msg,
	    (int)msg_len) != 1) ||
	    EVP_EncryptFinal_ex(cx, out->p + symoff + msg_len, &outl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_GET_TAG, 16,
	    out->p + symoff + msg_len) != 1) {
		rc = ccc_err_openssl(err, "aes-256-gcm");
		goto out;
	}
	out->len = symoff + msg_len + 16;
	if (hints && (ccc_cbor_put_uint(out, 10) != 0 ||
	    ccc_cbor_put_bstr(out, comm[0], 65) != 0 ||
	    ccc_cbor_put_uint(out, 11) != 0 ||
	    ccc_cbor_put_bstr(out, comm[1], 65) != 0))
		goto nomem;
	rc = 0;
	goto out;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "encrypt");
out:
	if (rc != 0)
		out->len = start;
	EVP_CIPHER_CTX_free(cx);
	sodium_memzero(key, sizeof(key));
	return rc;
}

int
ccc_ct_open_sym(struct ccc_buf *pt, const struct ccc_ct *ct,
    const uint8_t key[32], struct ccc_err *err)
{
	EVP_CIPHER_CTX *cx;
	size_t n = ct->sym_len - 16;
	int outl, rc = 0;

	ccc_buf_reset(pt);
	if (ccc_buf_reserve(pt, n + 16) != 0)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "decrypt");
	if (use_sodium_gcm(n)) {
		if (crypto_aead_aes256gcm_decrypt_detached(pt->p, NULL, ct->sym,
		    n, ct->sym + n, NULL, 0, ct->nonce, key) != 0) {
			sodium_memzero(pt->p, n);
			return ccc_err_set(err, CCC_E_DECRYPT, -1, NULL,
			    "payload does not authenticate");
		}
		pt->len = n;
		return 0;
	}
	if ((cx = EVP_CIPHER_CTX_new()) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "decrypt");
	if (EVP_DecryptInit_ex(cx, aes256gcm(), NULL, key, ct->nonce) != 1 ||
	    (n > 0 && EVP_DecryptUpdate(cx, pt->p, &outl, ct->sym,
	    (int)n) != 1) ||
	    EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_SET_TAG, 16,
	    (void *)(ct->sym + n)) != 1 ||
	    EVP_DecryptFinal_ex(cx, pt->p + n, &outl) != 1) {
		ERR_clear_error();
		sodium_memzero(pt->p, n);
		rc = ccc_err_set(err, CCC_E_DECRYPT, -1, NULL,
		    "payload does not authenticate");
	} else
		pt->len = n;
	EVP_CIPHER_CTX_free(cx);
	return rc;
}

int
ccc_recipient_pub_load(uint8_t pk[32], const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[RPUB_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_recipient_pub, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(pk, v[RPUB_PK].p, 32);
	return 0;
}

int
ccc_recipient_pub_encode(struct ccc_buf *b, const uint8_t pk[32])
{
	struct ccc_val v[RPUB_NFIELDS];

	ccc_val_bytes(&v[RPUB_PK], pk, 32);
	return ccc_blob_encode(b, &ccc_schema_recipient_pub, v);
}

int
ccc_recipient_key_load(uint8_t sk[32], uint8_t pk[32], const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[RKEY_NFIELDS];
	uint8_t chk[32];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_recipient_key, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(sk, v[RKEY_SK].p, 32);
	memcpy(pk, v[RKEY_PK].p, 32);
	if (crypto_scalarmult_base(chk, sk) != 0 ||
	    sodium_memcmp(chk, pk, 32) != 0) {
		sodium_memzero(sk, 32);
		return ccc_err_set(err, CCC_E_KEY, v[RKEY_PK].off, "pk",
		    "the public half does not match the secret key");
	}
	return 0;
}

int
ccc_recipient_key_encode(struct ccc_buf *b, const uint8_t sk[32],
    const uint8_t pk[32])
{
	struct ccc_val v[RKEY_NFIELDS];

	ccc_val_bytes(&v[RKEY_SK], sk, 32);
	ccc_val_bytes(&v[RKEY_PK], pk, 32);
	return ccc_blob_encode(b, &ccc_schema_recipient_key, v);
}
