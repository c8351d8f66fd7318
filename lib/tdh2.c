#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <sodium.h>

#include "h2c.h"
#include "hash.h"
#include "tdh2.h"

/* Chainlink's "concat": "P256" then "," and lowercase hex per point. */
static size_t
concat(char *out, const uint8_t (*const pts[]), size_t k)
{
	size_t i, n = 4;

	memcpy(out, "P256", 4);
	for (i = 0; i < k; i++) {
		out[n] = ',';
		sodium_bin2hex(out + n + 1, 2 * CCC_POINT_BYTES + 1, pts[i],
		    CCC_POINT_BYTES);
		n += 1 + 2 * CCC_POINT_BYTES;
	}
	return n;
}

#define CONCAT_MAX(k) (4 + (k) * (1 + 2 * CCC_POINT_BYTES) + 1)

/* H1(P) XOR m into out (used for both directions). */
static void
h1_xor(uint8_t out[32], const uint8_t p[CCC_POINT_BYTES], const uint8_t m[32])
{
	/* h^r is the secret: libsodium's state and buffers are wiped. */
	crypto_hash_sha256_state st;
	const uint8_t *pts[1] = { p };
	char buf[CONCAT_MAX(1)];
	uint8_t d[32];
	size_t n;
	int i;

	n = concat(buf, pts, 1);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)"tdh2hash1", 9);
	crypto_hash_sha256_update(&st, (const uint8_t *)buf, n);
	crypto_hash_sha256_final(&st, d);
	for (i = 0; i < 32; i++)
		out[i] = d[i] ^ m[i];
	sodium_memzero(buf, sizeof(buf));
	sodium_memzero(d, sizeof(d));
	sodium_memzero(&st, sizeof(st));
}

void
ccc_tdh2_ct_challenge(uint8_t out[32], const uint8_t c[32], const uint8_t label[32],
    const uint8_t *u, const uint8_t *w, const uint8_t *ub, const uint8_t *wb)
{
	struct ccc_sha256 st;
	const uint8_t *pts[4] = { u, w, ub, wb };
	char buf[CONCAT_MAX(4)];
	size_t n = concat(buf, pts, 4);

	ccc_sha256_init(&st);
	ccc_sha256_update(&st, "tdh2hash2", 9);
	ccc_sha256_update(&st, c, 32);
	ccc_sha256_update(&st, label, 32);
	ccc_sha256_update(&st, buf, n);
	ccc_sha256_final(&st, out);
}

void
ccc_tdh2_share_challenge(uint8_t out[32], const uint8_t bind[32], const uint8_t *u,
    const uint8_t *hi, const uint8_t *ui, const uint8_t *uhat,
    const uint8_t *hhat)
{
	static const char dom[] = "ccc/tdh2-share-proof/v1";
	struct ccc_sha256 st;
	const uint8_t *pts[3] = { ui, uhat, hhat };
	char buf[CONCAT_MAX(3)];

	ccc_sha256_init(&st);
	if (bind == NULL) {
		ccc_sha256_update(&st, "tdh2hash4", 9);
		ccc_sha256_update(&st, buf, concat(buf, pts, 3));
		ccc_sha256_final(&st, out);
		return;
	}
	ccc_sha256_update(&st, dom, sizeof(dom) - 1);
	ccc_sha256_update(&st, bind, 32);
	ccc_sha256_update(&st, u, CCC_POINT_BYTES);
	ccc_sha256_update(&st, hi, CCC_POINT_BYTES);
	ccc_sha256_update(&st, ui, CCC_POINT_BYTES);
	ccc_sha256_update(&st, uhat, CCC_POINT_BYTES);
	ccc_sha256_update(&st, hhat, CCC_POINT_BYTES);
	ccc_sha256_final(&st, out);
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void
ccc_tdh2_share_bind(uint8_t out[32], const uint8_t key_id[32], uint64_t epoch,
    uint32_t index, const uint8_t ct_digest[32], const uint8_t *context,
    size_t context_len)
{
	static const char dom[] = "ccc/tdh2-share-bind/v1";
	struct ccc_sha256 st;
	uint8_t b[8];

	ccc_sha256_init(&st);
	ccc_sha256_update(&st, dom, sizeof(dom) - 1);
	ccc_sha256_update(&st, key_id, 32);
	be32(b, (uint32_t)(epoch >> 32));
	be32(b + 4, (uint32_t)epoch);
	ccc_sha256_update(&st, b, 8);
	be32(b, index);
	ccc_sha256_update(&st, b, 4);
	ccc_sha256_update(&st, ct_digest, 32);
	be32(b, (uint32_t)context_len);
	ccc_sha256_update(&st, b, 4);
	ccc_sha256_update(&st, context, context_len);
	ccc_sha256_final(&st, out);
}

int
ccc_tdh2_pub_alloc(struct ccc_ec *ec, struct ccc_tdh2_pub *pub, uint32_t n)
{
	uint32_t i;

	memset(pub, 0, sizeof(*pub));
	if (n == 0 || n > CCC_TDH2_MAX_N)
		return CCC_E_FIELD;
	pub->n = n;
	pub->hi_enc = calloc(n, CCC_POINT_BYTES);
	pub->hi = calloc(n, sizeof(*pub->hi));
	pub->h = EC_POINT_new(ec->group);
	pub->gbar = EC_POINT_new(ec->group);
	if (pub->hi_enc == NULL || pub->hi == NULL || pub->h == NULL ||
	    pub->gbar == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if ((pub->hi[i] = EC_POINT_new(ec->group)) == NULL)
			goto fail;
	return 0;
fail:
	ccc_tdh2_pub_free(pub);
	return CCC_E_NOMEM;
}

void
ccc_tdh2_pub_free(struct ccc_tdh2_pub *pub)
{
	uint32_t i;

	if (pub->hi != NULL)
		for (i = 0; i < pub->n; i++)
			EC_POINT_free(pub->hi[i]);
	if (pub->hi_tab != NULL)
		for (i = 0; i < pub->n; i++)
			EC_GROUP_free(pub->hi_tab[i]);
	free(pub->hi);
	free(pub->hi_tab);
	free(pub->hi_enc);
	EC_POINT_free(pub->h);
	EC_POINT_free(pub->gbar);
	EC_GROUP_free(pub->h_tab);
	EC_GROUP_free(pub->gbar_tab);
	memset(pub, 0, sizeof(*pub));
}

int
ccc_tdh2_pub_precompute(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    struct ccc_err *err)
{
	EC_GROUP *h = NULL, *gbar = NULL;

	if (pub->h_tab != NULL && pub->gbar_tab != NULL)
		return 0;
	if (pub->h == NULL || pub->gbar == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "precompute: public key not loaded");
	/* Both or neither: a half-built pair is freed, pub is unchanged. */
	if ((pub->h_tab == NULL &&
	    (h = ccc_ec_table_new(ec, pub->h)) == NULL) ||
	    (pub->gbar_tab == NULL &&
	    (gbar = ccc_ec_table_new(ec, pub->gbar)) == NULL)) {
		EC_GROUP_free(h);
		return ccc_err_openssl(err, "precompute");
	}
	if (h != NULL)
		pub->h_tab = h;
	if (gbar != NULL)
		pub->gbar_tab = gbar;
	return 0;
}

int
ccc_tdh2_pub_precompute_nodes(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    const uint32_t *nodes, size_t k, struct ccc_err *err)
{
	size_t j;
	uint32_t i;

	if (pub->hi == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "precompute: public key not loaded");
	if (nodes == NULL)
		k = pub->n;
	for (j = 0; j < k; j++) {
		i = nodes == NULL ? (uint32_t)j + 1 : nodes[j];
		if (i < 1 || i > pub->n)
			return ccc_err_set(err, CCC_E_FIELD, -1, "index",
			    "node %u is not in a key of %u nodes", i, pub->n);
	}
	if (pub->hi_tab == NULL &&
	    (pub->hi_tab = calloc(pub->n, sizeof(*pub->hi_tab))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "precompute");
	/* Tables built before a failure are kept: each is complete. */
	for (j = 0; j < k; j++) {
		i = nodes == NULL ? (uint32_t)j + 1 : nodes[j];
		if (pub->hi_tab[i - 1] == NULL &&
		    (pub->hi_tab[i - 1] = ccc_ec_table_new(ec,
		    pub->hi[i - 1])) == NULL)
			return ccc_err_openssl(err, "precompute");
	}
	return 0;
}

int
ccc_tdh2_gbar(uint8_t out[CCC_POINT_BYTES], const uint8_t key_id[32])
{
	return ccc_h2c_p256(out, key_id, 32, (const uint8_t *)CCC_GBAR_DST,
	    sizeof(CCC_GBAR_DST) - 1);
}

int
ccc_tdh2_deal(struct ccc_ec *ec, struct ccc_tdh2_pub *pub, BIGNUM **x,
    uint32_t t, struct ccc_err *err)
{
	BIGNUM **a = NULL, *z = NULL;
	EC_POINT **pts = NULL;
	uint8_t (*enc)[CCC_POINT_BYTES] = NULL;
	uint32_t i, k, n = pub->n;
	int rc = CCC_E_NOMEM;

	if (t < 1 || t > n)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "need 1 <= t <= n (got t=%u, n=%u)", t, n);
	pub->t = t;
	a = calloc(t, sizeof(*a));
	pts = calloc(n + 1, sizeof(*pts));
	enc = calloc(n + 1, CCC_POINT_BYTES);
	z = BN_new();
	if (a == NULL || pts == NULL || enc == NULL || z == NULL)
		goto out;
	rc = CCC_E_CRYPTO;
	if (ccc_tdh2_gbar(pub->gbar_enc, pub->key_id) != 0 ||
	    ccc_ec_point_decode(ec, pub->gbar, pub->gbar_enc, "g_bar",
	    err) != 0)
		goto out;
	/* p(z) = a_0 + a_1 z + ... + a_{t-1} z^{t-1}; the secret is a_0. */
	for (k = 0; k < t; k++) {
		if ((a[k] = BN_secure_new()) == NULL) {
			rc = CCC_E_NOMEM;
			goto out;
		}
		if (ccc_ec_scalar_random(ec, a[k]) != 0)
			goto out;
	}
	if (EC_POINT_mul(ec->group, pub->h, a[0], NULL, NULL, ec->bn) != 1)
		goto out;
	pts[0] = pub->h;
	for (i = 1; i <= n; i++) {
		/* Horner at z = i. */
		BN_set_flags(x[i - 1], BN_FLG_CONSTTIME);
		if (BN_copy(x[i - 1], a[t - 1]) == NULL)
			goto out;
		for (k = t - 1; k-- > 0;)
			if (!BN_set_word(z, i) ||
			    BN_mod_mul(x[i - 1], x[i - 1], z, ec->n,
			    ec->bn) != 1 ||
			    BN_mod_add(x[i - 1], x[i - 1], a[k], ec->n,
			    ec->bn) != 1)
				goto out;
		if (EC_POINT_mul(ec->group, pub->hi[i - 1], x[i - 1], NULL,
		    NULL, ec->bn) != 1)
			goto out;
		pts[i] = pub->hi[i - 1];
	}
	if (ccc_ec_points_encode(ec, enc, pts, n + 1) != 0)
		goto out;
	memcpy(pub->h_enc, enc[0], CCC_POINT_BYTES);
	memcpy(pub->hi_enc, enc[1], (size_t)n * CCC_POINT_BYTES);
	rc = 0;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "dealer");
	else if (rc != 0)
		ccc_err_set(err, rc, -1, NULL, "dealer");
	if (a != NULL)
		for (k = 0; k < t; k++)
			BN_clear_free(a[k]);
	free(a);
	free(pts);
	free(enc);
	BN_free(z);
	return rc;
}

/* k*p, from tab (p's table) when there is one. */
static int
mul_base(struct ccc_ec *ec, EC_POINT *out, const EC_GROUP *tab,
    const EC_POINT *p, const BIGNUM *k)
{
	if (tab != NULL)
		return EC_POINT_mul(tab, out, k, NULL, NULL, ec->bn);
	return EC_POINT_mul(ec->group, out, NULL, p, k, ec->bn);
}

int
ccc_tdh2_encrypt(struct ccc_ec *ec, struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_pub *pub, const uint8_t m[32],
    const uint8_t label[32], struct ccc_err *err)
{
	return ccc_tdh2_encrypt_comm(ec, ct, NULL, pub, m, label, err);
}

int
ccc_tdh2_encrypt_comm(struct ccc_ec *ec, struct ccc_tdh2_ct *ct,
    uint8_t (*comm)[CCC_POINT_BYTES], const struct ccc_tdh2_pub *pub,
    const uint8_t m[32], const uint8_t label[32], struct ccc_err *err)
{
	EC_POINT *pt[5] = { NULL };	/* h^r, u, w, u_bar, w_bar */
	uint8_t enc[5][CCC_POINT_BYTES];
	BIGNUM *r, *s, *e, *f;
	size_t i;
	int rc = CCC_E_CRYPTO;

	BN_CTX_start(ec->bn);
	r = BN_CTX_get(ec->bn);
	s = BN_CTX_get(ec->bn);
	e = BN_CTX_get(ec->bn);
	f = BN_CTX_get(ec->bn);
	if (f == NULL) {
		rc = CCC_E_NOMEM;
		goto out;
	}
	for (i = 0; i < 5; i++)
		if ((pt[i] = EC_POINT_new(ec->group)) == NULL) {
			rc = CCC_E_NOMEM;
			goto out;
		}
	if (ccc_ec_scalar_random(ec, r) != 0 ||
	    ccc_ec_scalar_random(ec, s) != 0)
		goto out;
	/*
	 * r and s are secret: the fixed-base (G or a key's table) and the
	 * variable-base paths of nistz256 are both constant-time.
	 */
	if (mul_base(ec, pt[0], pub->h_tab, pub->h, r) != 1 ||
	    EC_POINT_mul(ec->group, pt[1], r, NULL, NULL, ec->bn) != 1 ||
	    EC_POINT_mul(ec->group, pt[2], s, NULL, NULL, ec->bn) != 1 ||
	    mul_base(ec, pt[3], pub->gbar_tab, pub->gbar, r) != 1 ||
	    mul_base(ec, pt[4], pub->gbar_tab, pub->gbar, s) != 1)
		goto out;
	if ((rc = ccc_ec_points_encode(ec, enc, pt, 5)) != 0)
		goto out;
	h1_xor(ct->c, enc[0], m);
	memcpy(ct->label, label, 32);
	memcpy(ct->u, enc[1], CCC_POINT_BYTES);
	memcpy(ct->u_bar, enc[3], CCC_POINT_BYTES);
	if (comm != NULL) {
		memcpy(comm[0], enc[2], CCC_POINT_BYTES);
		memcpy(comm[1], enc[4], CCC_POINT_BYTES);
	}
	ccc_tdh2_ct_challenge(ct->e, ct->c, label, enc[1], enc[2], enc[3], enc[4]);
	rc = CCC_E_CRYPTO;
	if (ccc_ec_scalar_from_hash(ec, e, ct->e, 32) != 0 ||
	    ccc_ec_scalar_encode(ct->e, e) != 0 ||
	    BN_mod_mul(f, r, e, ec->n, ec->bn) != 1 ||
	    BN_mod_add(f, f, s, ec->n, ec->bn) != 1 ||
	    ccc_ec_scalar_encode(ct->f, f) != 0)
		goto out;
	rc = 0;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "tdh2 encrypt");
	else if (rc != 0)
		ccc_err_set(err, rc, -1, NULL, "tdh2 encrypt");
	sodium_memzero(enc[0], sizeof(enc[0]));
	BN_clear(r);
	BN_clear(s);
	for (i = 0; i < 5; i++)
		EC_POINT_clear_free(pt[i]);
	BN_CTX_end(ec->bn);
	return rc;
}

int
ccc_tdh2_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, struct ccc_err *err)
{
	EC_POINT *u = NULL, *ub = NULL, *pt[2] = { NULL, NULL };
	const EC_POINT *pts[2];
	const BIGNUM *scs[2];
	uint8_t enc[2][CCC_POINT_BYTES], e2[32];
	BIGNUM *e, *f;
	int rc;

	BN_CTX_start(ec->bn);
	e = BN_CTX_get(ec->bn);
	f = BN_CTX_get(ec->bn);
	u = EC_POINT_new(ec->group);
	ub = EC_POINT_new(ec->group);
	pt[0] = EC_POINT_new(ec->group);
	pt[1] = EC_POINT_new(ec->group);
	if (f == NULL || u == NULL || ub == NULL || pt[0] == NULL ||
	    pt[1] == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "verify");
		goto out;
	}
	if ((rc = ccc_ec_point_decode(ec, u, ct->u, "u", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, ub, ct->u_bar, "u_bar", err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, e, ct->e, "e", err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, f, ct->f, "f", err)) != 0)
		goto out;
	/*
	 * w = f*G + (-e)*u; w_bar = f*g_bar + (-e)*u_bar, with g_bar as the
	 * table's generator when there is one (one fixed-base plus one
	 * variable-base multiplication instead of a two-point one).
	 */
	BN_set_negative(e, !BN_is_negative(e));
	pts[0] = pub->gbar;
	pts[1] = ub;
	scs[0] = f;
	scs[1] = e;
	if (EC_POINT_mul(ec->group, pt[0], f, u, e, ec->bn) != 1 ||
	    (pub->gbar_tab != NULL ?
	    EC_POINT_mul(pub->gbar_tab, pt[1], f, ub, e, ec->bn) :
	    EC_POINTs_mul(ec->group, pt[1], NULL, 2, pts, scs, ec->bn)) != 1) {
		rc = ccc_err_openssl(err, "verify");
		goto out;
	}
	if ((rc = ccc_ec_points_encode(ec, enc, pt, 2)) != 0) {
		rc = ccc_err_openssl(err, "verify");
		goto out;
	}
	ccc_tdh2_ct_challenge(e2, ct->c, ct->label, ct->u, enc[0], ct->u_bar, enc[1]);
	/* e2 is the raw digest: reduce it as the encryptor did. */
	if (ccc_ec_scalar_from_hash(ec, f, e2, 32) != 0 ||
	    ccc_ec_scalar_encode(e2, f) != 0) {
		rc = ccc_err_openssl(err, "verify");
		goto out;
	}
	if (CRYPTO_memcmp(e2, ct->e, 32) != 0)
		rc = ccc_err_set(err, CCC_E_CIPHERTEXT, -1, NULL,
		    "proof does not verify (tampered, or made for another key)");
out:
	EC_POINT_free(u);
	EC_POINT_free(ub);
	EC_POINT_free(pt[0]);
	EC_POINT_free(pt[1]);
	BN_CTX_end(ec->bn);
	return rc;
}

int
ccc_tdh2_share(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    const struct ccc_tdh2_pub *pub, const BIGNUM *x_i, uint32_t index,
    const struct ccc_tdh2_ct *ct, const uint8_t bind[32], struct ccc_err *err)
{
	return ccc_tdh2_share_comm(ec, ds, NULL, pub, x_i, index, ct, bind,
	    err);
}

int
ccc_tdh2_share_comm(struct ccc_ec *ec, struct ccc_tdh2_dshare *ds,
    uint8_t (*comm)[CCC_POINT_BYTES], const struct ccc_tdh2_pub *pub,
    const BIGNUM *x_i, uint32_t index, const struct ccc_tdh2_ct *ct,
    const uint8_t bind[32], struct ccc_err *err)
{
	EC_POINT *u = NULL, *pt[3] = { NULL };	/* u_i, u_hat, h_hat */
	uint8_t enc[3][CCC_POINT_BYTES], d[32];
	BIGNUM *s, *e, *f;
	size_t i;
	int rc = CCC_E_CRYPTO;

	if (index < 1 || index > pub->n)
		return ccc_err_set(err, CCC_E_FIELD, -1, "index",
		    "node %u is not in a key of %u nodes", index, pub->n);
	BN_CTX_start(ec->bn);
	s = BN_CTX_get(ec->bn);
	e = BN_CTX_get(ec->bn);
	f = BN_CTX_get(ec->bn);
	u = EC_POINT_new(ec->group);
	for (i = 0; i < 3; i++)
		pt[i] = EC_POINT_new(ec->group);
	if (f == NULL || u == NULL || pt[0] == NULL || pt[1] == NULL ||
	    pt[2] == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
		goto out;
	}
	if ((rc = ccc_ec_point_decode(ec, u, ct->u, "u", err)) != 0)
		goto out;
	rc = CCC_E_CRYPTO;
	if (ccc_ec_scalar_random(ec, s) != 0 ||
	    EC_POINT_mul(ec->group, pt[0], NULL, u, x_i, ec->bn) != 1 ||
	    EC_POINT_mul(ec->group, pt[1], NULL, u, s, ec->bn) != 1 ||
	    EC_POINT_mul(ec->group, pt[2], s, NULL, NULL, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, enc, pt, 3) != 0)
		goto out;
	ccc_tdh2_share_challenge(d, bind, ct->u, pub->hi_enc[index - 1], enc[0],
	    enc[1], enc[2]);
	if (ccc_ec_scalar_from_hash(ec, e, d, 32) != 0 ||
	    BN_mod_mul(f, x_i, e, ec->n, ec->bn) != 1 ||
	    BN_mod_add(f, f, s, ec->n, ec->bn) != 1 ||
	    ccc_ec_scalar_encode(ds->e_i, e) != 0 ||
	    ccc_ec_scalar_encode(ds->f_i, f) != 0)
		goto out;
	ds->index = index;
	memcpy(ds->u_i, enc[0], CCC_POINT_BYTES);
	if (comm != NULL)
		memcpy(comm, enc[1], 2 * CCC_POINT_BYTES);
	rc = 0;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "decryption share");
	BN_clear(s);
	EC_POINT_free(u);
	for (i = 0; i < 3; i++)
		EC_POINT_clear_free(pt[i]);
	BN_CTX_end(ec->bn);
	return rc;
}

int
ccc_tdh2_share_verify(struct ccc_ec *ec, const struct ccc_tdh2_pub *pub,
    const struct ccc_tdh2_ct *ct, const struct ccc_tdh2_dshare *ds,
    const uint8_t bind[32], struct ccc_err *err)
{
	EC_POINT *u = NULL, *ui = NULL, *pt[2] = { NULL, NULL };
	const EC_POINT *pts[2];
	const EC_GROUP *tab;
	const BIGNUM *scs[2];
	uint8_t enc[2][CCC_POINT_BYTES], d[32], e2[32];
	BIGNUM *e, *f, *ec2;
	int rc;

	if (ds->index < 1 || ds->index > pub->n)
		return ccc_err_set(err, CCC_E_SHARE, -1, "index",
		    "node %u is not in a key of %u nodes", ds->index, pub->n);
	BN_CTX_start(ec->bn);
	e = BN_CTX_get(ec->bn);
	f = BN_CTX_get(ec->bn);
	ec2 = BN_CTX_get(ec->bn);
	u = EC_POINT_new(ec->group);
	ui = EC_POINT_new(ec->group);
	pt[0] = EC_POINT_new(ec->group);
	pt[1] = EC_POINT_new(ec->group);
	if (ec2 == NULL || u == NULL || ui == NULL || pt[0] == NULL ||
	    pt[1] == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share verify");
		goto out;
	}
	if ((rc = ccc_ec_point_decode(ec, u, ct->u, "u", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, ui, ds->u_i, "u_i", err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, e, ds->e_i, "e_i", err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, f, ds->f_i, "f_i", err)) != 0) {
		/* A malformed share is an invalid share. */
		if (err != NULL)
			err->code = CCC_E_SHARE;
		rc = CCC_E_SHARE;
		goto out;
	}
	/* u_hat = f*u + (-e)*u_i;  h_hat = f*G + (-e)*h_i. */
	BN_set_negative(e, !BN_is_negative(e));
	pts[0] = u;
	pts[1] = ui;
	scs[0] = f;
	scs[1] = e;
	tab = pub->hi_tab != NULL ? pub->hi_tab[ds->index - 1] : NULL;
	if (tab != NULL) {
		/*
		 * With h_i's table, h_hat is two fixed-base multiplications
		 * and an addition (pt[0] is scratch until u_hat).
		 */
		if (EC_POINT_mul(ec->group, pt[0], f, NULL, NULL, ec->bn) != 1 ||
		    EC_POINT_mul(tab, pt[1], e, NULL, NULL, ec->bn) != 1 ||
		    EC_POINT_add(ec->group, pt[1], pt[1], pt[0], ec->bn) != 1) {
			rc = ccc_err_openssl(err, "share verify");
			goto out;
		}
	} else if (EC_POINT_mul(ec->group, pt[1], f, pub->hi[ds->index - 1],
	    e, ec->bn) != 1) {
		rc = ccc_err_openssl(err, "share verify");
		goto out;
	}
	if (EC_POINTs_mul(ec->group, pt[0], NULL, 2, pts, scs, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, enc, pt, 2) != 0) {
		rc = ccc_err_openssl(err, "share verify");
		goto out;
	}
	ccc_tdh2_share_challenge(d, bind, ct->u, pub->hi_enc[ds->index - 1], ds->u_i,
	    enc[0], enc[1]);
	if (ccc_ec_scalar_from_hash(ec, ec2, d, 32) != 0 ||
	    ccc_ec_scalar_encode(e2, ec2) != 0) {
		rc = ccc_err_openssl(err, "share verify");
		goto out;
	}
	if (CRYPTO_memcmp(e2, ds->e_i, 32) != 0)
		rc = ccc_err_set(err, CCC_E_SHARE, -1, NULL,
		    "proof does not verify");
out:
	EC_POINT_free(u);
	EC_POINT_free(ui);
	EC_POINT_free(pt[0]);
	EC_POINT_free(pt[1]);
	BN_CTX_end(ec->bn);
	return rc;
}

/*
 * Small-integer products: factors are gathered in a 64-bit word while it
 * cannot overflow, and a full word goes into acc by one BN_mul_word, so a
 * product of k node numbers (< 2^8 each) costs about k/8 of them.
 */
struct wprod {
	BIGNUM *acc;
	uint64_t w;
};

static int
wprod_mul(struct wprod *p, uint64_t f)
{
	if (f != 0 && p->w > UINT64_MAX / f) {
		if (BN_mul_word(p->acc, p->w) != 1)
			return CCC_E_CRYPTO;
		p->w = 1;
	}
	p->w *= f;
	return 0;
}

/* acc = acc * w mod n, negated when neg. */
static int
wprod_end(struct ccc_ec *ec, struct wprod *p, int neg)
{
	if (BN_mul_word(p->acc, p->w) != 1)
		return CCC_E_CRYPTO;
	BN_set_negative(p->acc, neg);
	return BN_nnmod(p->acc, p->acc, ec->n, ec->bn) == 1 ? 0 : CCC_E_CRYPTO;
}

int
ccc_tdh2_lagrange(struct ccc_ec *ec, BIGNUM **lambda, const uint32_t *xs,
    size_t k)
{
	struct wprod p;
	BIGNUM **den = NULL, *num, *acc, *inv;
	size_t j, m;
	int neg, rc = CCC_E_NOMEM;

	/*
	 * lambda_j = prod_{m != j} x_m / (x_m - x_j) = N / d_j with
	 * N = prod_m x_m (k word products, once) and
	 * d_j = x_j prod_{m != j} (x_m - x_j) (k word products each: the
	 * k^2 differences are unavoidable for an arbitrary set of nodes, but
	 * they are machine-word products, 8 to a BN_mul_word).  The k d_j are
	 * inverted with one BN_mod_inverse (Montgomery's trick: prefix
	 * products, invert the total, unwind): 3k modular multiplications.
	 */
	BN_CTX_start(ec->bn);
	num = BN_CTX_get(ec->bn);
	acc = BN_CTX_get(ec->bn);
	inv = BN_CTX_get(ec->bn);
	if (inv == NULL || (den = calloc(k ? k : 1, sizeof(*den))) == NULL)
		goto out;
	for (j = 0; j < k; j++)
		if ((den[j] = BN_CTX_get(ec->bn)) == NULL)
			goto out;
	rc = CCC_E_CRYPTO;
	BN_one(num);
	p = (struct wprod){ num, 1 };
	for (j = 0; j < k; j++) {
		if (xs[j] == 0) {
			rc = CCC_E_FIELD;	/* node numbers are 1-based */
			goto out;
		}
		if (wprod_mul(&p, xs[j]) != 0)
			goto out;
	}
	if (wprod_end(ec, &p, 0) != 0)
		goto out;
	BN_one(acc);
	for (j = 0; j < k; j++) {
		BN_one(den[j]);
		p = (struct wprod){ den[j], xs[j] };
		neg = 0;
		for (m = 0; m < k; m++) {
			if (m == j)
				continue;
			if (xs[m] == xs[j]) {
				rc = CCC_E_DUPLICATE;
				goto out;
			}
			if (wprod_mul(&p, xs[m] > xs[j] ? xs[m] - xs[j] :
			    xs[j] - xs[m]) != 0)
				goto out;
			neg ^= xs[m] < xs[j];
		}
		if (wprod_end(ec, &p, neg) != 0 ||
		    BN_copy(lambda[j], acc) == NULL ||
		    BN_mod_mul(acc, acc, den[j], ec->n, ec->bn) != 1)
			goto out;
	}
	if (BN_mod_inverse(inv, acc, ec->n, ec->bn) == NULL)
		goto out;
	for (j = k; j-- > 0;) {
		/* inv = 1/(d_0...d_j), so inv * prefix_j = 1/d_j. */
		if (BN_mod_mul(lambda[j], lambda[j], inv, ec->n, ec->bn) != 1 ||
		    BN_mod_mul(inv, inv, den[j], ec->n, ec->bn) != 1 ||
		    BN_mod_mul(lambda[j], lambda[j], num, ec->n, ec->bn) != 1)
			goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	free(den);
	BN_CTX_end(ec->bn);
	return rc;
}

int
ccc_tdh2_combine_point(struct ccc_ec *ec, uint8_t out[CCC_POINT_BYTES],
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_dshare *const *ds,
    size_t k, struct ccc_err *err)
{
	EC_POINT **pts = NULL, *hr = NULL;
	BIGNUM **lambda = NULL;
	uint32_t *xs = NULL;
	size_t i, used = pub->t;
	int rc = CCC_E_NOMEM;

	if (k < pub->t)
		return ccc_err_set(err, CCC_E_THRESHOLD, -1, NULL,
		    "%zu shares, %u needed", k, pub->t);
	BN_CTX_start(ec->bn);
	pts = calloc(used, sizeof(*pts));
	lambda = calloc(used, sizeof(*lambda));
	xs = calloc(used, sizeof(*xs));
	hr = EC_POINT_new(ec->group);
	if (pts == NULL || lambda == NULL || xs == NULL || hr == NULL)
		goto out;
	for (i = 0; i < used; i++) {
		xs[i] = ds[i]->index;
		if ((lambda[i] = BN_CTX_get(ec->bn)) == NULL ||
		    (pts[i] = EC_POINT_new(ec->group)) == NULL)
			goto out;
		if ((rc = ccc_ec_point_decode(ec, pts[i], ds[i]->u_i, "u_i",
		    err)) != 0)
			goto out;
	}
	rc = CCC_E_CRYPTO;
	if (ccc_tdh2_lagrange(ec, lambda, xs, used) != 0 ||
	    EC_POINTs_mul(ec->group, hr, NULL, used,
	    (const EC_POINT **)pts, (const BIGNUM **)lambda, ec->bn) != 1 ||
	    ccc_ec_points_encode(ec, (uint8_t (*)[CCC_POINT_BYTES])out, &hr,
	    1) != 0)
		goto out;
	rc = 0;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "combine");
	else if (rc == CCC_E_NOMEM)
		ccc_err_set(err, rc, -1, NULL, "combine");
	EC_POINT_clear_free(hr);
	if (pts != NULL)
		for (i = 0; i < used; i++)
			EC_POINT_free(pts[i]);
	free(pts);
	free(lambda);
	free(xs);
	BN_CTX_end(ec->bn);
	return rc;
}

void
ccc_tdh2_message(uint8_t m[32], const uint8_t hr[CCC_POINT_BYTES],
    const struct ccc_tdh2_ct *ct)
{
	h1_xor(m, hr, ct->c);
}

int
ccc_tdh2_combine(struct ccc_ec *ec, uint8_t m[32],
    const struct ccc_tdh2_pub *pub, const struct ccc_tdh2_ct *ct,
    const struct ccc_tdh2_dshare *const *ds, size_t k, struct ccc_err *err)
{
	uint8_t hr[CCC_POINT_BYTES];
	int rc;

	if ((rc = ccc_tdh2_combine_point(ec, hr, pub, ds, k, err)) == 0)
		ccc_tdh2_message(m, hr, ct);
	sodium_memzero(hr, sizeof(hr));
	return rc;
}
