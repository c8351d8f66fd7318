/*
 * COSE_Sign1: the COSE working group's ECDSA examples (tests/vectors/cose,
 * unchanged) verify or fail exactly as their files say, with the
 * Sig_structure byte-identical to the file's ToBeSign; ES384 signing
 * round-trips; every bit flip of a signed message is refused; the decoder
 * refuses each malformed shape with its offset.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "cose.h"
#include "io.h"
#include "tap.h"

/* ---- the vector files (a naive reader for their fixed layout) ------------ */

struct vec {
	char name[64];
	struct ccc_buf json;
	bool fail;
	char crv[8];
	uint8_t x[66], y[66], d[66];
	size_t xn, yn, dn;
	uint8_t tbs[512], cbor[512], ext[64];
	size_t tbsn, cborn, extn;
};

/* The string value of "key":"..." (first occurrence), NUL-terminated. */
static bool
jstr(const struct vec *v, const char *key, char *out, size_t max)
{
	char pat[64];
	const char *p, *e;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	if ((p = strstr((const char *)v->json.p, pat)) == NULL)
		return false;
	p += strlen(pat);
	if ((e = strchr(p, '"')) == NULL || (size_t)(e - p) >= max)
		return false;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return true;
}

static bool
jb64(const struct vec *v, const char *key, uint8_t *out, size_t max,
    size_t *n)
{
	char s[256];

	return jstr(v, key, s, sizeof(s)) && sodium_base642bin(out, max, s,
	    strlen(s), NULL, n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0;
}

static bool
jhex(const struct vec *v, const char *key, uint8_t *out, size_t max,
    size_t *n)
{
	char s[1100];

	return jstr(v, key, s, sizeof(s)) && sodium_hex2bin(out, max, s,
	    strlen(s), NULL, n, NULL) == 0;
}

static bool
load_vec(struct vec *v, const char *name)
{
	struct ccc_err err;

	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	ccc_buf_init(&v->json, 0);
	ccc_err_clear(&err);
	if (ccc_read_file(&v->json, tap_vector(name), 65536, &err) != 0 ||
	    ccc_buf_put(&v->json, "", 1) != 0)
		return false;
	v->fail = strstr((const char *)v->json.p, "\"fail\":true") != NULL;
	/* Optional: the external AAD of sign-pass-02. */
	(void)jhex(v, "external", v->ext, sizeof(v->ext), &v->extn);
	return jstr(v, "crv", v->crv, sizeof(v->crv)) &&
	    jb64(v, "x", v->x, sizeof(v->x), &v->xn) &&
	    jb64(v, "y", v->y, sizeof(v->y), &v->yn) &&
	    jb64(v, "d", v->d, sizeof(v->d), &v->dn) &&
	    jhex(v, "ToBeSign_hex", v->tbs, sizeof(v->tbs), &v->tbsn) &&
	    jhex(v, "cbor", v->cbor, sizeof(v->cbor), &v->cborn);
}

/* An EC key from the JWK coordinates (and d, for a private key). */
static EVP_PKEY *
jwk_key(const struct vec *v, bool private)
{
	const char *group = strcmp(v->crv, "P-384") == 0 ? "secp384r1" :
	    "prime256v1";
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *k = NULL;
	BIGNUM *d = NULL;
	uint8_t pub[1 + 2 * 66];

	pub[0] = 0x04;
	memcpy(pub + 1, v->x, v->xn);
	memcpy(pub + 1 + v->xn, v->y, v->yn);
	if (bld == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, 1 + v->xn + v->yn))
		goto out;
	if (private && ((d = BN_bin2bn(v->d, (int)v->dn, NULL)) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
		goto out;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &k, private ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params) != 1)
		k = NULL;
out:
	BN_free(d);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return k;
}

/* name, expected decode result, expected verify result. */
struct kat {
	const char *file;
	int decode;
	int verify;
};

static const struct kat kats[] = {
	{ "cose/ecdsa-sig-02.json", 0, 0 },
	{ "cose/ecdsa-sig-01.json", 0, 0 },
	{ "cose/sign-pass-01.json", 0, 0 },
	{ "cose/sign-pass-02.json", 0, 0 },
	{ "cose/sign-pass-03.json", 0, 0 },
	{ "cose/sign-fail-01.json", CCC_E_MALFORMED, 0 },
	{ "cose/sign-fail-02.json", 0, CCC_E_SIGNATURE },
	{ "cose/sign-fail-03.json", 0, CCC_E_FIELD },
	{ "cose/sign-fail-04.json", 0, CCC_E_FIELD },
	{ "cose/sign-fail-06.json", 0, CCC_E_SIGNATURE },
	{ "cose/sign-fail-07.json", 0, CCC_E_SIGNATURE },
};

static void
test_kat(const struct kat *t)
{
	struct ccc_cose_sign1 m;
	struct ccc_buf tbs;
	struct ccc_err err;
	struct vec v;
	EVP_PKEY *k = NULL;
	int64_t alg;
	int rc;

	ccc_buf_init(&tbs, 0);
	if (!ok(load_vec(&v, t->file), "%s: read", t->file))
		goto out;
	ok(v.fail == (t->decode != 0 || t->verify != 0),
	    "%s: the file's \"fail\" flag is what ccc expects", t->file);
	alg = strcmp(v.crv, "P-384") == 0 ? CCC_COSE_ALG_ES384 :
	    CCC_COSE_ALG_ES256;
	k = jwk_key(&v, false);
	ok(k != NULL, "%s: JWK public key", t->file);
	ccc_err_clear(&err);
	rc = ccc_cose_sign1_decode(&m, v.cbor, v.cborn, &err);
	ok(rc == t->decode, "%s: decode -> %d (%s)", t->file, rc,
	    err.detail);
	if (rc != 0 || k == NULL)
		goto out;
	if (!v.fail) {
		ok(ccc_cose_sign1_tbs(&tbs, &m, v.ext, v.extn) == 0 &&
		    tbs.len == v.tbsn && memcmp(tbs.p, v.tbs, v.tbsn) == 0,
		    "%s: Sig_structure is the file's ToBeSign", t->file);
	}
	ccc_err_clear(&err);
	rc = ccc_cose_sign1_verify(&m, k, alg, v.extn ? v.ext : NULL, v.extn,
	    &err);
	ok(rc == t->verify, "%s: verify -> %d (%s)", t->file, rc,
	    err.detail);
	if (v.extn) {
		ccc_err_clear(&err);
		ok(ccc_cose_sign1_verify(&m, k, alg, NULL, 0, &err) ==
		    CCC_E_SIGNATURE, "%s: without its external AAD: bad "
		    "signature", t->file);
	}
out:
	EVP_PKEY_free(k);
	ccc_buf_free(&tbs);
	ccc_buf_free(&v.json);
}

/* The ES384 vector: decoding details, and its key with the wrong alg. */
static void
test_es384_details(void)
{
	static const uint8_t es384_prot[] = { 0xa1, 0x01, 0x38, 0x22 };
	struct ccc_cose_sign1 m;
	struct ccc_err err;
	struct vec v, v256;
	EVP_PKEY *k = NULL, *k256 = NULL;

	if (!load_vec(&v, "cose/ecdsa-sig-02.json") ||
	    !load_vec(&v256, "cose/ecdsa-sig-01.json"))
		return;
	k = jwk_key(&v, false);
	k256 = jwk_key(&v256, false);
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_decode(&m, v.cbor, v.cborn, &err) == 0 &&
	    m.tagged && m.has_alg && m.alg_protected &&
	    m.alg == CCC_COSE_ALG_ES384 && m.prot_len == 4 &&
	    memcmp(m.prot, es384_prot, 4) == 0 && m.prot_count == 1 &&
	    m.unprot_count == 1 && m.payload_len == 20 && m.sig_len == 96 &&
	    !m.software, "ES384 vector: tagged, {1: -35}, 96-byte r||s");
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_verify(&m, k, CCC_COSE_ALG_ES256, NULL, 0, &err) ==
	    CCC_E_FIELD, "ES384 message refused when ES256 is required");
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_verify(&m, k256, CCC_COSE_ALG_ES384, NULL, 0,
	    &err) == CCC_E_FIELD, "a P-256 key is refused for ES384");
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_verify(&m, k, -36, NULL, 0, &err) == CCC_E_FIELD,
	    "ES512 is not supported");
	EVP_PKEY_free(k);
	EVP_PKEY_free(k256);
	ccc_buf_free(&v.json);
	ccc_buf_free(&v256.json);
}

/*
 * The signing tests' keys: the working group's P-384 key, private and
 * public, and its P-256 private key; false if a vector cannot be read.
 */
static bool
sign_keys(struct vec *v, struct vec *v256, EVP_PKEY **k, EVP_PKEY **pub,
    EVP_PKEY **k256)
{
	if (!load_vec(v, "cose/ecdsa-sig-02.json") ||
	    !load_vec(v256, "cose/ecdsa-sig-01.json"))
		return false;
	*k = jwk_key(v, true);
	*pub = jwk_key(v, false);
	*k256 = jwk_key(v256, true);
	return true;
}

/* Sign with the ES384 vector's private key; check the layout; mutate. */
static void
test_sign(void)
{
	static const uint8_t nitro_prot[] = { 0xa1, 0x01, 0x38, 0x22 };
	static const uint8_t sw_prot[] = { 0xa2, 0x01, 0x38, 0x22, 0x68, 'c',
	    'c', 'c', '-', 'm', 'o', 'd', 'e', 0x68, 's', 'o', 'f', 't', 'w',
	    'a', 'r', 'e' };
	static const char payload[] = "This is the content.";
	struct ccc_cose_sign1 m;
	struct ccc_buf out, mut;
	struct ccc_err err;
	struct vec v, v256;
	EVP_PKEY *k = NULL, *pub = NULL, *k256 = NULL;
	size_t i, bad = 0, total = 0;
	int b, sw;

	ccc_buf_init(&out, 0);
	ccc_buf_init(&mut, 0);
	if (!sign_keys(&v, &v256, &k, &pub, &k256))
		return;
	ok(k != NULL && pub != NULL && k256 != NULL, "JWK private keys");
	for (sw = 0; sw <= 1; sw++) {
		ccc_buf_reset(&out);
		ccc_err_clear(&err);
		ok(ccc_cose_sign1_sign(&out, k, sw, (const uint8_t *)payload,
		    strlen(payload), &err) == 0, "sign (%s)", sw ? "software" :
		    "nitro");
		ok(out.len > 0 && out.p[0] == 0x84, "untagged, like Nitro");
		ccc_err_clear(&err);
		ok(ccc_cose_sign1_decode(&m, out.p, out.len, &err) == 0 &&
		    m.prot_len == (sw ? sizeof(sw_prot) : sizeof(nitro_prot)) &&
		    memcmp(m.prot, sw ? sw_prot : nitro_prot, m.prot_len) ==
		    0 && m.software == sw && m.unprot_count == 0 &&
		    m.sig_len == 96 && m.payload_len == strlen(payload),
		    "protected header %s, unprotected {}", sw ?
		    "{1: -35, \"ccc-mode\": \"software\"}" : "{1: -35}");
		ccc_err_clear(&err);
		ok(ccc_cose_sign1_verify(&m, pub, CCC_COSE_ALG_ES384, NULL, 0,
		    &err) == 0, "verifies with the public key");
		/* Every bit flip and truncation: refused, never accepted. */
		for (i = 0; i < out.len; i++)
			for (b = 0; b < 9; b++) {
				ccc_buf_reset(&mut);
				if (ccc_buf_put(&mut, out.p, b < 8 ? out.len :
				    i) != 0)
					continue;
				if (b < 8)
					mut.p[i] ^= (uint8_t)(1u << b);
				total++;
				ccc_err_clear(&err);
				if (ccc_cose_sign1_decode(&m, mut.p, mut.len,
				    &err) == 0 && ccc_cose_sign1_verify(&m,
				    pub, CCC_COSE_ALG_ES384, NULL, 0, &err) ==
				    0)
					bad++;
			}
		ok(bad == 0, "%zu bit flips and truncations of a %s message: "
		    "none verifies", total, sw ? "software" : "nitro");
	}
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_sign(&out, k256, false, (const uint8_t *)payload,
	    strlen(payload), &err) == CCC_E_KEY, "a P-256 key cannot sign "
	    "ES384");
	EVP_PKEY_free(k);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(k256);
	ccc_buf_free(&out);
	ccc_buf_free(&mut);
	ccc_buf_free(&v.json);
	ccc_buf_free(&v256.json);
}

struct bad {
	const char *hex;
	int code;
	long long off;
	const char *what;
};

/* Shapes the decoder refuses (signature bytes shortened to 1 byte). */
static const struct bad bads[] = {
	{ "", CCC_E_TRUNCATED, 0, "empty input" },
	{ "8344a1013822a040", CCC_E_MALFORMED, 0, "an array of 3" },
	{ "8544a1013822a0404040", CCC_E_MALFORMED, 0, "an array of 5" },
	{ "d2a0", CCC_E_MALFORMED, 1, "tag 18 around a map" },
	{ "d3" "8444a1013822a0404100", CCC_E_MALFORMED, 0, "tag 19" },
	{ "8444a1013822a04041", CCC_E_TRUNCATED, 8, "truncated signature" },
	{ "8444a1013822a040410000", CCC_E_MALFORMED, 10, "trailing byte" },
	{ "84a1013822404040", CCC_E_MALFORMED, 1,
	    "protected header not a bstr" },
	{ "8445a101382200a0404100", CCC_E_MALFORMED, 6,
	    "trailing byte in the protected header" },
	{ "844180a0404100", CCC_E_MALFORMED, 2,
	    "protected header is not a map" },
	{ "8447a201382201382ea0404100", CCC_E_MALFORMED, 6,
	    "label 1 twice in the protected header" },
	{ "8443a10201a0404100", CCC_E_MALFORMED, 4, "crit" },
	{ "8444a1013822a10126404100", CCC_E_MALFORMED, 8,
	    "alg in both buckets" },
	{ "8444a1013822a168636363" "2d6d6f6465" "68736f667477617265404100",
	    CCC_E_MALFORMED, 16, "ccc-mode in the unprotected header" },
	{ "8452a201382268636363" "2d6d6f6465" "6468617264a0404100",
	    CCC_E_MALFORMED, 15, "ccc-mode other than software" },
	{ "844ea201382268636363" "2d6d6f6465" "f5" "a0404100",
	    CCC_E_MALFORMED, 15, "ccc-mode not text" },
	{ "8444a1013822a0f64100", CCC_E_MALFORMED, 7, "detached payload" },
	{ "8444a1013822a040", CCC_E_TRUNCATED, 8, "no signature" },
	{ "8444a1013822a1f500404100", CCC_E_MALFORMED, 7,
	    "a label that is neither an integer nor text" },
	{ "8444a1013822b1" "0000" "0101" "0202" "0303" "0404" "0505" "0606"
	    "0707" "0808" "0909" "0a0a" "0b0b" "0c0c" "0d0d" "0e0e" "0f0f"
	    "1010" "404100", CCC_E_MALFORMED, 7, "17 header parameters" },
	{ "8444a1013822a0405fff", CCC_E_MALFORMED, 8, "indefinite bstr" },
	{ "8444a1013822a0405a", CCC_E_TRUNCATED, 8,
	    "bstr length past the end" },
};

static void
test_bad_shapes(void)
{
	struct ccc_cose_sign1 m;
	struct ccc_err err;
	unsigned char in[256];
	size_t i;
	long n;
	int rc;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		n = tap_unhex(in, sizeof(in), bads[i].hex);
		if (n < 0) {
			ok(0, "bad hex in test %s", bads[i].what);
			continue;
		}
		ccc_err_clear(&err);
		rc = ccc_cose_sign1_decode(&m, in, (size_t)n, &err);
		ok(rc == bads[i].code && err.off == bads[i].off,
		    "refused: %s (%d at %lld: %s)", bads[i].what, rc, err.off,
		    err.detail);
	}
}

/* Signatures of the wrong length, and r = s = 0, never verify. */
static void
test_bad_signatures(void)
{
	static const char payload[] = "This is the content.";
	struct ccc_cose_sign1 m;
	struct ccc_err err;
	struct ccc_buf out;
	struct vec v;
	EVP_PKEY *k;
	uint8_t zero[96] = { 0 };

	ccc_buf_init(&out, 0);
	if (!load_vec(&v, "cose/ecdsa-sig-02.json"))
		return;
	k = jwk_key(&v, true);
	ccc_err_clear(&err);
	if (!ok(ccc_cose_sign1_sign(&out, k, false, (const uint8_t *)payload,
	    strlen(payload), &err) == 0 &&
	    ccc_cose_sign1_decode(&m, out.p, out.len, &err) == 0, "sign"))
		goto out;
	m.sig_len = 95;
	ok(ccc_cose_sign1_verify(&m, k, CCC_COSE_ALG_ES384, NULL, 0, &err) ==
	    CCC_E_SIGNATURE, "95-byte signature: bad signature");
	m.sig_len = 96;
	m.sig = zero;
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_verify(&m, k, CCC_COSE_ALG_ES384, NULL, 0, &err) ==
	    CCC_E_SIGNATURE, "r = s = 0: bad signature");
	memset(zero, 0xff, sizeof(zero));
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_verify(&m, k, CCC_COSE_ALG_ES384, NULL, 0, &err) ==
	    CCC_E_SIGNATURE, "r = s = 2^384 - 1 (above the order): bad "
	    "signature");
	ok(ERR_peek_error() == 0, "OpenSSL's error queue is left empty");
out:
	EVP_PKEY_free(k);
	ccc_buf_free(&out);
	ccc_buf_free(&v.json);
}

/*
 * Presigns (a serving enclave's next nonce and point, made between
 * requests): the signature carries the presign's r and verifies; a presign
 * is used once; one made for another key is dropped and the signature made
 * afresh; a key off P-384 gets none.
 */
static void
test_presign(void)
{
	static const char payload[] = "presigned payload";
	const uint8_t *pl = (const uint8_t *)payload;
	struct ccc_cose_presign *ps, *ps2;
	struct ccc_cose_sign1 m;
	struct ccc_buf out;
	struct ccc_err err;
	struct vec v, v256;
	EVP_PKEY *k, *pub, *k256, *other;
	uint8_t r[48], r2[48];

	ccc_buf_init(&out, 0);
	if (!sign_keys(&v, &v256, &k, &pub, &k256))
		return;
	other = EVP_EC_gen("P-384");
	ps = ccc_cose_presign_new(k);
	ps2 = ccc_cose_presign_new(k);
	ok(ps != NULL && ps2 != NULL && ccc_cose_presign_r(ps, r) == 0 &&
	    ccc_cose_presign_r(ps2, r2) == 0 && memcmp(r, r2, 48) != 0,
	    "two presigns of one key: two nonces, two r");
	ccc_cose_presign_free(ps2);
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_sign_pre(&out, k, true, &ps, pl, strlen(payload),
	    &err) == 0 && ps == NULL, "signed with the presign, which is "
	    "taken");
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_decode(&m, out.p, out.len, &err) == 0 &&
	    m.sig_len == 96 && memcmp(m.sig, r, 48) == 0,
	    "the signature's r is the presign's");
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_verify(&m, pub, CCC_COSE_ALG_ES384, NULL, 0,
	    &err) == 0, "and it verifies with the public key");
	/* Another key's presign: dropped, a signature of this key made. */
	ps = ccc_cose_presign_new(k);
	ccc_buf_reset(&out);
	ccc_err_clear(&err);
	ok(ps != NULL && ccc_cose_presign_r(ps, r) == 0 &&
	    ccc_cose_sign1_sign_pre(&out, other, false, &ps, pl,
	    strlen(payload), &err) == 0 && ps == NULL,
	    "a presign of another key is taken and dropped");
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_decode(&m, out.p, out.len, &err) == 0 &&
	    memcmp(m.sig, r, 48) != 0 && ccc_cose_sign1_verify(&m, other,
	    CCC_COSE_ALG_ES384, NULL, 0, &err) == 0 &&
	    ccc_cose_sign1_verify(&m, pub, CCC_COSE_ALG_ES384, NULL, 0,
	    &err) == CCC_E_SIGNATURE, "the signature is the signing key's, "
	    "made afresh (not the presign's r)");
	/* No presign at all: as ccc_cose_sign1_sign. */
	ps = NULL;
	ccc_buf_reset(&out);
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_sign_pre(&out, k, false, &ps, pl, strlen(payload),
	    &err) == 0 && ccc_cose_sign1_decode(&m, out.p, out.len,
	    &err) == 0 && ccc_cose_sign1_verify(&m, pub, CCC_COSE_ALG_ES384,
	    NULL, 0, &err) == 0, "no presign: a signature all the same");
	ok(ccc_cose_presign_new(k256) == NULL, "a P-256 key gets no presign");
	ps = ccc_cose_presign_new(k);
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_sign_pre(&out, k256, false, &ps, pl,
	    strlen(payload), &err) == CCC_E_KEY && ps == NULL,
	    "a P-256 key cannot sign ES384; the presign is taken all the same");
	EVP_PKEY_free(k);
	EVP_PKEY_free(pub);
	EVP_PKEY_free(k256);
	EVP_PKEY_free(other);
	ccc_buf_free(&out);
	ccc_buf_free(&v.json);
	ccc_buf_free(&v256.json);
}

int
main(void)
{
	size_t i;

	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++)
		test_kat(&kats[i]);
	test_es384_details();
	test_sign();
	test_presign();
	test_bad_shapes();
	test_bad_signatures();
	return tap_done();
}
