/*
 * The floor's components: raw OpenSSL and libsodium operations (and
 * lib/h2c's hash to the curve), of which every row's floor is a list.
 * Each does exactly one operation on fixed inputs set up once.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "bench.h"
#include "coin.h"
#include "ec.h"
#include "h2c.h"
#include "hash.h"
#include "tdh2.h"

static BIGNUM *sa, *sb, *smp, *msm_s[BENCH_MSM_MAX], *lam[BENCH_MSM_MAX];
static EC_POINT *pa, *pb, *pr, *pd, *penc, *msm_p[BENCH_MSM_MAX];
static uint32_t xs[BENCH_MSM_MAX];
static uint8_t enc65[65], sha_in[400], sha_out[32], rsk[32], rpk[32];
static uint8_t *aes_in, *aes_out;

void
bench_F(void *a)
{
	(void)a;
	EC_POINT_mul(bench_ec->group, pr, sa, NULL, NULL, bench_ec->bn);
}

void
bench_V(void *a)
{
	(void)a;
	EC_POINT_mul(bench_ec->group, pr, NULL, pa, sa, bench_ec->bn);
}

void
bench_D(void *a)
{
	(void)a;
	EC_POINT_mul(bench_ec->group, pr, sa, pa, sb, bench_ec->bn);
}

void
bench_D2(void *a)
{
	const EC_POINT *p[2] = { pa, pb };
	const BIGNUM *s[2] = { sa, sb };

	(void)a;
	EC_POINTs_mul(bench_ec->group, pr, NULL, 2, p, s, bench_ec->bn);
}

void
bench_MSM(void *k)
{
	EC_POINTs_mul(bench_ec->group, pr, NULL, (size_t)(long)k,
	    (const EC_POINT **)msm_p, (const BIGNUM **)msm_s, bench_ec->bn);
}

/* penc is a multiplication's result, in Jacobian coordinates: encoding
 * it takes the inversion every encoding of a fresh point takes. */
void
bench_ENC(void *a)
{
	(void)a;
	EC_POINT_point2oct(bench_ec->group, penc,
	    POINT_CONVERSION_UNCOMPRESSED, enc65, 65, bench_ec->bn);
}

void
bench_DEC(void *a)
{
	(void)a;
	EC_POINT_oct2point(bench_ec->group, pd, enc65, 65, bench_ec->bn);
}

void
bench_SHA(void *a)
{
	(void)a;
	ccc_sha256(sha_out, sha_in, sizeof(sha_in));
}

void
bench_SMP(void *a)
{
	(void)a;
	if (ccc_ec_scalar_random(bench_ec, smp) != 0)
		abort();
}

void
bench_LAG(void *k)
{
	if (ccc_tdh2_lagrange(bench_ec, lam, xs, (size_t)(long)k) != 0)
		abort();
}

void
bench_X(void *a)
{
	uint8_t q[32];

	(void)a;
	if (crypto_scalarmult(q, rsk, rpk) != 0)
		abort();
}

void
bench_XB(void *a)
{
	uint8_t q[32];

	(void)a;
	crypto_scalarmult_base(q, rsk);
}

void
bench_AES(void *a)
{
	EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
	uint8_t k[32] = { 0 }, iv[12] = { 0 };
	int l;

	(void)a;
	if (cx == NULL || EVP_EncryptInit_ex(cx, EVP_aes_256_gcm(), NULL, k,
	    iv) != 1 || EVP_EncryptUpdate(cx, aes_out, &l, aes_in,
	    1 << 20) != 1 || EVP_EncryptFinal_ex(cx, aes_out + l, &l) != 1)
		abort();
	EVP_CIPHER_CTX_free(cx);
}

void
bench_H2C(void *a)
{
	uint8_t o[65];

	(void)a;
	/* A coin's message: "public" || 0 || key id || epoch || request. */
	if (ccc_h2c_p256(o, sha_in, 7 + 32 + 8 + 32,
	    (const uint8_t *)CCC_COIN_DST, sizeof(CCC_COIN_DST) - 1) != 0)
		abort();
}

static void
random_point(EC_POINT *p, BIGNUM *s)
{
	if (ccc_ec_scalar_random(bench_ec, s) != 0 ||
	    EC_POINT_mul(bench_ec->group, p, s, NULL, NULL, bench_ec->bn) != 1)
		exit(2);
}

void
bench_floor_setup(void)
{
	const EC_GROUP *g = bench_ec->group;
	int i;

	randombytes_buf(sha_in, sizeof(sha_in));
	sa = BN_new();
	sb = BN_new();
	smp = BN_new();
	pa = EC_POINT_new(g);
	pb = EC_POINT_new(g);
	pr = EC_POINT_new(g);
	pd = EC_POINT_new(g);
	penc = EC_POINT_new(g);
	aes_in = calloc(1, 1 << 20);
	aes_out = malloc((1 << 20) + 16);
	if (sa == NULL || sb == NULL || smp == NULL || pa == NULL ||
	    pb == NULL || pr == NULL || pd == NULL || penc == NULL ||
	    aes_in == NULL || aes_out == NULL)
		exit(2);
	random_point(pb, sb);
	random_point(pa, sa);	/* sa stays a random scalar apart from pa */
	if (ccc_ec_scalar_random(bench_ec, sa) != 0 ||
	    EC_POINT_mul(g, penc, NULL, pa, sa, bench_ec->bn) != 1 ||
	    EC_POINT_point2oct(g, penc, POINT_CONVERSION_UNCOMPRESSED, enc65,
	    65, bench_ec->bn) != 65)
		exit(2);
	for (i = 0; i < BENCH_MSM_MAX; i++) {
		xs[i] = (uint32_t)i + 1;
		lam[i] = BN_new();
		msm_s[i] = BN_new();
		msm_p[i] = EC_POINT_new(g);
		if (lam[i] == NULL || msm_s[i] == NULL || msm_p[i] == NULL)
			exit(2);
		random_point(msm_p[i], msm_s[i]);
		if (ccc_ec_scalar_random(bench_ec, msm_s[i]) != 0)
			exit(2);
	}
	if (crypto_box_keypair(rpk, rsk) != 0)
		exit(2);
}

void
bench_floor_print(void)
{
	static const struct {
		const char *name;
		bench_fn fn;
		long arg;
	} c[] = {
		{ "F     fixed-base mult", bench_F, 0 },
		{ "V     variable-base mult", bench_V, 0 },
		{ "D     aG + bP", bench_D, 0 },
		{ "D2    aP + bQ", bench_D2, 0 },
		{ "MSM5  5-point multi-mult", bench_MSM, 5 },
		{ "MSM11 11-point multi-mult", bench_MSM, 11 },
		{ "ENC   point encoding (an inversion)", bench_ENC, 0 },
		{ "DEC   point decoding (curve check)", bench_DEC, 0 },
		{ "SHA   SHA-256 of 400 bytes", bench_SHA, 0 },
		{ "SMP   scalar sampling", bench_SMP, 0 },
		{ "LAG5  Lagrange coefficients, k=5", bench_LAG, 5 },
		{ "LAG11 Lagrange coefficients, k=11", bench_LAG, 11 },
		{ "X     X25519", bench_X, 0 },
		{ "XB    X25519 base", bench_XB, 0 },
		{ "AES   AES-256-GCM of 1 MiB (OpenSSL)", bench_AES, 0 },
		{ "H2C   hash to P-256 (RFC 9380, lib/h2c)", bench_H2C, 0 },
	};
	size_t i;

	printf("the floor: raw operations, measured now (CPU time)\n");
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		printf("  %-40s %9.2f us\n", c[i].name,
		    bench_time(c[i].fn, (void *)c[i].arg));
		fflush(stdout);
	}
}
