#include "config.h"

#include <string.h>

#include <sodium.h>

#include "cbor.h"
#include "identity.h"
#include "schemas.h"

struct ccc_identity *
ccc_identity_new(void)
{
	struct ccc_identity *k;

	if ((k = sodium_malloc(sizeof(*k))) != NULL)
		memset(k, 0, sizeof(*k));
	return k;
}

void
ccc_identity_free(struct ccc_identity *k)
{
	if (k != NULL)
		sodium_free(k);
}

void
ccc_identity_id(uint8_t id[CCC_ID_BYTES], const uint8_t pk[32])
{
	static const char dom[] = "ccc/id/v1";
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)dom, sizeof(dom) - 1);
	crypto_hash_sha256_update(&st, pk, 32);
	crypto_hash_sha256_final(&st, id);
}

static int
set_name(struct ccc_identity *k, const char *name, size_t n)
{
	if (n > CCC_ID_NAME_MAX)
		return CCC_E_FIELD;
	memcpy(k->name, name, n);
	k->name[n] = '\0';
	return 0;
}

int
ccc_identity_generate(struct ccc_identity *k, const char *name)
{
	if (name != NULL && (name[0] == '\0' || !ccc_utf8_valid(
	    (const uint8_t *)name, strlen(name)) || set_name(k, name,
	    strlen(name)) != 0))
		return CCC_E_USAGE;
	if (crypto_sign_keypair(k->pk, k->sk) != 0)
		return CCC_E_CRYPTO;
	ccc_identity_id(k->id, k->pk);
	k->has_secret = true;
	return 0;
}

/* 0 if the Ed25519 seed sk[0..32) derives pk, else CCC_E_KEY. */
static int
seed_matches(const uint8_t sk[64], const uint8_t pk[32])
{
	uint8_t *sk2, pk2[32];
	int rc;

	if ((sk2 = sodium_malloc(64)) == NULL)
		return CCC_E_NOMEM;
	rc = crypto_sign_seed_keypair(pk2, sk2, sk) != 0 ? CCC_E_CRYPTO :
	    sodium_memcmp(pk2, pk, 32) != 0 ? CCC_E_KEY : 0;
	sodium_free(sk2);	/* wiped */
	return rc;
}

int
ccc_identity_load(struct ccc_identity *k, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[3];
	const struct ccc_schema *s = ccc_blob_peek_type(p, len);
	uint8_t id[32];
	int rc;

	if (s != &ccc_schema_identity_key)
		s = &ccc_schema_identity_pub;
	if ((rc = ccc_blob_decode(s, p, len, v, 0, err)) != 0)
		return rc;
	memset(k, 0, sizeof(*k));
	if (s == &ccc_schema_identity_key) {
		memcpy(k->sk, v[IDKEY_SK].p, 64);
		memcpy(k->pk, v[IDKEY_PK].p, 32);
		/* libsodium's secret key carries its public key: they agree. */
		if (sodium_memcmp(k->sk + 32, k->pk, 32) != 0) {
			sodium_memzero(k->sk, 64);
			return ccc_err_set(err, CCC_E_KEY, v[IDKEY_PK].off,
			    "pk", "the public half does not match the secret "
			    "key");
		}
		/* And the seed, sk's first half, gives that public key. */
		if ((rc = seed_matches(k->sk, k->pk)) != 0) {
			sodium_memzero(k->sk, 64);
			return ccc_err_set(err, rc, v[IDKEY_SK].off, "sk",
			    rc == CCC_E_KEY ? "the secret key's seed does not "
			    "give its public key" : "seed");
		}
		k->has_secret = true;
		ccc_identity_id(k->id, k->pk);
	} else {
		memcpy(k->pk, v[IDPUB_PK].p, 32);
		ccc_identity_id(id, k->pk);
		if (sodium_memcmp(id, v[IDPUB_ID].p, 32) != 0)
			return ccc_err_set(err, CCC_E_KEY, v[IDPUB_ID].off,
			    "id", "id does not match the key");
		memcpy(k->id, id, 32);
	}
	if (v[2].present)
		(void)set_name(k, (const char *)v[2].p, v[2].n);
	return 0;
}

int
ccc_identity_encode_pub(struct ccc_buf *b, const struct ccc_identity *k)
{
	struct ccc_val v[3];

	ccc_val_bytes(&v[IDPUB_ID], k->id, 32);
	ccc_val_bytes(&v[IDPUB_PK], k->pk, 32);
	memset(&v[IDPUB_NAME], 0, sizeof(v[IDPUB_NAME]));
	if (k->name[0] != '\0')
		ccc_val_bytes(&v[IDPUB_NAME], k->name, strlen(k->name));
	return ccc_blob_encode(b, &ccc_schema_identity_pub, v);
}

int
ccc_identity_encode_key(struct ccc_buf *b, const struct ccc_identity *k)
{
	struct ccc_val v[3];

	if (!k->has_secret)
		return CCC_E_KEY;
	ccc_val_bytes(&v[IDKEY_SK], k->sk, 64);
	ccc_val_bytes(&v[IDKEY_PK], k->pk, 32);
	memset(&v[IDKEY_NAME], 0, sizeof(v[IDKEY_NAME]));
	if (k->name[0] != '\0')
		ccc_val_bytes(&v[IDKEY_NAME], k->name, strlen(k->name));
	return ccc_blob_encode(b, &ccc_schema_identity_key, v);
}

/* msg = "ccc/sig/v1" 0 || purpose || 0 || digest */
static size_t
sig_msg(uint8_t *m, size_t cap, const char *purpose, const uint8_t d[32])
{
	static const char dom[] = "ccc/sig/v1";
	size_t pl = strlen(purpose), n = 0;

	if (sizeof(dom) + pl + 1 + 32 > cap)
		return 0;
	memcpy(m, dom, sizeof(dom));	/* with its NUL */
	n = sizeof(dom);
	memcpy(m + n, purpose, pl);
	n += pl;
	m[n++] = 0;
	memcpy(m + n, d, 32);
	return n + 32;
}

int
ccc_identity_sign_digest(uint8_t sig[CCC_ID_SIG_BYTES],
    const struct ccc_identity *k, const char *purpose, const uint8_t d[32])
{
	uint8_t m[192];
	size_t n;

	if (!k->has_secret)
		return CCC_E_KEY;
	if ((n = sig_msg(m, sizeof(m), purpose, d)) == 0)
		return CCC_E_INTERNAL;
	return crypto_sign_detached(sig, NULL, m, n, k->sk) == 0 ? 0 :
	    CCC_E_CRYPTO;
}

int
ccc_identity_verify_digest(const uint8_t sig[CCC_ID_SIG_BYTES],
    const uint8_t pk[CCC_ID_PK_BYTES], const char *purpose,
    const uint8_t d[32])
{
	uint8_t m[192];
	size_t n;

	if ((n = sig_msg(m, sizeof(m), purpose, d)) == 0)
		return CCC_E_INTERNAL;
	return crypto_sign_verify_detached(sig, m, n, pk) == 0 ? 0 :
	    CCC_E_SIGNATURE;
}

int
ccc_identity_sign(uint8_t sig[CCC_ID_SIG_BYTES], const struct ccc_identity *k,
    const char *purpose, const uint8_t *p, size_t len)
{
	uint8_t d[32];

	crypto_hash_sha256(d, p, len);
	return ccc_identity_sign_digest(sig, k, purpose, d);
}

int
ccc_identity_verify(const uint8_t sig[CCC_ID_SIG_BYTES],
    const uint8_t pk[CCC_ID_PK_BYTES], const char *purpose, const uint8_t *p,
    size_t len)
{
	uint8_t d[32];

	crypto_hash_sha256(d, p, len);
	return ccc_identity_verify_digest(sig, pk, purpose, d);
}
