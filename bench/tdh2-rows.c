/*
 * ccc-bench's in-process rows: TDH2 on P-256 (encrypt, verify, share,
 * share verify, combine for several k), the public coin, HPKE and hybrid
 * encryption.  Each floor is the cheapest list of raw operations the
 * operation needs (research/perf-anchors.md section 3, "limit, full").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <sodium.h>

#include "bench.h"
#include "coin.h"
#include "hpke.h"
#include "keys.h"
#include "seal.h"
#include "tdh2.h"

#define P(fn, n) { fn, NULL, n }
#define END { NULL, NULL, 0 }

/* A k-of-n key, a ciphertext and its n decryption shares. */
struct key {
	uint32_t k, n;
	struct ccc_tdh2_pub pub;
	BIGNUM **x;
	struct ccc_tdh2_ct ct;
	struct ccc_tdh2_dshare *ds;
	const struct ccc_tdh2_dshare **sel;
	char name[32];
	struct bench_part floor[6];
	struct bench_row row;
};

/* The sizes of the combine rows; the chart (bench/chart.sh) plots them. */
static const uint32_t combine_k[] = { 3, 5, 11, 21, 32, 64 };
#define NKEYS (sizeof(combine_k) / sizeof(combine_k[0]))
static struct key keys[NKEYS], *key5;

static uint8_t bind5[32], m32[32], lab[32], out32[32];
static struct ccc_buf ctbuf, bigct;
static uint8_t *payload;
static uint8_t rsk[32], rpk[32], henc[32];

static void
setup_key(struct key *K, uint32_t k)
{
	uint32_t i;

	K->k = k;
	K->n = (3 * k - 1) / 2;	/* t = 5 of 7, 11 of 16, ... */
	K->x = calloc(K->n, sizeof(*K->x));
	K->ds = calloc(K->n, sizeof(*K->ds));
	K->sel = calloc(K->n, sizeof(*K->sel));
	if (K->x == NULL || K->ds == NULL || K->sel == NULL ||
	    ccc_tdh2_pub_alloc(bench_ec, &K->pub, K->n) != 0)
		exit(2);
	randombytes_buf(K->pub.key_id, 32);
	for (i = 0; i < K->n; i++)
		if ((K->x[i] = BN_secure_new()) == NULL)
			exit(2);
	if (ccc_tdh2_deal(bench_ec, &K->pub, K->x, k, NULL) != 0 ||
	    ccc_tdh2_encrypt(bench_ec, &K->ct, &K->pub, m32, lab, NULL) != 0)
		exit(2);
	for (i = 0; i < K->n; i++) {
		if (ccc_tdh2_share(bench_ec, &K->ds[i], &K->pub, K->x[i], i + 1,
		    &K->ct, bind5, NULL) != 0)
			exit(2);
		K->sel[i] = &K->ds[i];
	}
}

static void
f_tdh2_enc(void *a)
{
	(void)a;
	if (ccc_tdh2_encrypt(bench_ec, &key5->ct, &key5->pub, m32, lab,
	    NULL) != 0)
		abort();
}

static void
f_verify(void *a)
{
	(void)a;
	if (ccc_tdh2_verify(bench_ec, &key5->pub, &key5->ct, NULL) != 0)
		abort();
}

static void
f_share(void *a)
{
	(void)a;
	if (ccc_tdh2_share(bench_ec, &key5->ds[0], &key5->pub, key5->x[0], 1,
	    &key5->ct, bind5, NULL) != 0)
		abort();
}

static void
f_share_verify(void *a)
{
	(void)a;
	if (ccc_tdh2_share_verify(bench_ec, &key5->pub, &key5->ct,
	    &key5->ds[0], bind5, NULL) != 0)
		abort();
}

static void
f_combine(void *a)
{
	struct key *K = a;

	if (ccc_tdh2_combine(bench_ec, out32, &K->pub, &K->ct, K->sel, K->k,
	    NULL) != 0)
		abort();
}

/* The public coin of one request (ccc-rand): a node's share, from the
 * request id, and the combination of 5 of them into the seed. */
static uint8_t rid5[32], seed32[32];
static struct ccc_coin coin5;
static struct ccc_tdh2_dshare cds5[5];
static const struct ccc_tdh2_dshare *csel5[5];

static void
f_coin_share(void *a)
{
	struct ccc_coin c;

	(void)a;
	if (ccc_coin_init(&c, CCC_COIN_PUBLIC, &key5->pub, rid5, NULL) != 0 ||
	    ccc_coin_share(bench_ec, &cds5[0], &key5->pub, key5->x[0], 1, &c,
	    NULL) != 0)
		abort();
}

static void
f_coin_combine5(void *a)
{
	(void)a;
	if (ccc_coin_combine(bench_ec, seed32, NULL, &key5->pub, &coin5, csel5,
	    5, NULL) != 0)
		abort();
}

static void
setup_coin(void)
{
	uint32_t i;

	randombytes_buf(rid5, 32);
	if (ccc_coin_init(&coin5, CCC_COIN_PUBLIC, &key5->pub, rid5,
	    NULL) != 0)
		exit(2);
	for (i = 0; i < 5; i++) {
		if (ccc_coin_share(bench_ec, &cds5[i], &key5->pub, key5->x[i],
		    i + 1, &coin5, NULL) != 0)
			exit(2);
		csel5[i] = &cds5[i];
	}
}

static void
f_hybrid(void *len)
{
	ctbuf.len = 0;
	if (ccc_ct_encrypt(bench_ec, &ctbuf, &key5->pub, "bench", 5, payload,
	    (size_t)(long)len, NULL) != 0)
		abort();
}

static void
f_seal(void *a)
{
	struct ccc_hpke_ctx h;
	uint8_t c[CCC_SEALED_ELEM_BYTES], rec[CCC_SEALED_RECORD_BYTES] = { 0 };

	(void)a;
	if (ccc_hpke_setup_s(&h, henc, rpk, (const uint8_t *)"i", 1, NULL,
	    0) != 0 || ccc_hpke_seal(&h, c, NULL, 0, rec, sizeof(rec)) != 0)
		abort();
}

static void
f_open(void *a)
{
	struct ccc_hpke_ctx h;

	(void)a;
	if (ccc_hpke_setup_r(&h, henc, rsk, (const uint8_t *)"i", 1) != 0)
		abort();
}

static void
f_parse(void *a)
{
	struct ccc_ct ct;

	(void)a;
	if (ccc_ct_decode(&ct, bigct.p, bigct.len, 0, NULL) != 0)
		abort();
}

static const struct bench_part fl_enc[] = { P(bench_F, 2), P(bench_V, 3),
	P(bench_ENC, 5), P(bench_SMP, 2), P(bench_SHA, 2), END };
static const struct bench_part fl_verify[] = { P(bench_D, 1),
	P(bench_D2, 1), P(bench_ENC, 2), P(bench_DEC, 2), P(bench_SHA, 1),
	END };
static const struct bench_part fl_share[] = { P(bench_F, 1), P(bench_V, 2),
	P(bench_ENC, 3), P(bench_DEC, 1), P(bench_SMP, 1), P(bench_SHA, 1),
	END };
static const struct bench_part fl_coin_share[] = { P(bench_H2C, 1),
	P(bench_F, 1), P(bench_V, 2), P(bench_ENC, 3), P(bench_DEC, 1),
	P(bench_SMP, 1), P(bench_SHA, 3), END };
static const struct bench_part fl_seal[] = { P(bench_XB, 1), P(bench_X, 1),
	END };
static const struct bench_part fl_enc_aes[] = { P(bench_F, 2),
	P(bench_V, 3), P(bench_ENC, 5), P(bench_SMP, 2), P(bench_SHA, 2),
	P(bench_AES, 1), END };

/*
 * Targets: 1.10 for what is a fixed sequence of group operations, 1.15
 * for the verifications (decoding and checking their inputs), 1.20 for
 * combinations (a list of shares to walk), 1.30 for HPKE (libsodium's
 * and OpenSSL's key schedule around the two X25519s).
 */
static const struct bench_row r_enc = { "encrypt (TDH2 of the 32-byte key)",
	f_tdh2_enc, NULL, "2F+3V+5ENC+2SMP+2SHA", fl_enc, 0, 1.10 };
static const struct bench_row r_verify = { "ciphertext verify", f_verify,
	NULL, "D+D2+2ENC+2DEC+SHA", fl_verify, 0, 1.15 };
static const struct bench_row r_share = { "decryption share", f_share, NULL,
	"F+2V+3ENC+DEC+SMP+SHA", fl_share, 0, 1.10 };
static const struct bench_row r_share_verify = { "share verify",
	f_share_verify, NULL, "D+D2+2ENC+2DEC+SHA", fl_verify, 0, 1.15 };
/* A coin share is a decryption share of the hashed point U, plus U and
 * the coin id; its combination is a decryption's, HKDF for the SHA. */
static const struct bench_row r_coin_share = { "coin share (U, U^x_i, proof)",
	f_coin_share, NULL, "H2C+F+2V+3ENC+DEC+SMP+3SHA", fl_coin_share, 0,
	1.10 };
static struct bench_row r_coin_combine = { "coin combine k=5",
	f_coin_combine5, NULL, "MSM5+LAG5+5DEC+ENC+SHA", NULL, 0, 1.20 };
static const struct bench_row r_seal = { "seal (HPKE setup + 1 share)",
	f_seal, NULL, "XB+X", fl_seal, 0, 1.30 };
/* ccc_hpke_setup_r derives pkR from skR too: a base multiplication. */
static const struct bench_row r_open = { "open (HPKE setup_r, pkR from skR)",
	f_open, NULL, "XB+X", fl_seal, 0, 1.30 };
static const struct bench_row r_hyb32 = { "hybrid encrypt 32 B", f_hybrid,
	(void *)32L, "encrypt floor", fl_enc, 0, 1.10 };
static const struct bench_row r_hyb1k = { "hybrid encrypt 1 KiB", f_hybrid,
	(void *)1024L, "encrypt floor", fl_enc, 0, 1.15 };
static const struct bench_row r_hyb1m = { "hybrid encrypt 1 MiB", f_hybrid,
	(void *)(1L << 20), "encrypt floor+AES", fl_enc_aes, 0, 1.10 };
static const struct bench_row r_parse = { "parse a 1 MiB ciphertext "
	"(absolute)", f_parse, NULL, "100 us", NULL, 100, 1.0 };

void
bench_rows_tdh2(void)
{
	size_t i;
	struct key *K;

	randombytes_buf(m32, 32);
	randombytes_buf(lab, 32);
	randombytes_buf(bind5, 32);
	for (i = 0; i < NKEYS; i++) {
		K = &keys[i];
		setup_key(K, combine_k[i]);
		if (K->k == 5)
			key5 = K;
		/* combine: MSMk+LAGk+kDEC+ENC+SHA */
		K->floor[0] = (struct bench_part){ bench_MSM,
		    (void *)(long)K->k, 1 };
		K->floor[1] = (struct bench_part){ bench_LAG,
		    (void *)(long)K->k, 1 };
		K->floor[2] = (struct bench_part){ bench_DEC, NULL, (int)K->k };
		K->floor[3] = (struct bench_part){ bench_ENC, NULL, 1 };
		K->floor[4] = (struct bench_part){ bench_SHA, NULL, 1 };
		K->floor[5] = (struct bench_part)END;
		snprintf(K->name, sizeof(K->name), "combine k=%u", K->k);
		K->row = (struct bench_row){ K->name, f_combine, K,
		    "MSMk+LAGk+kDEC+ENC+SHA", K->floor, 0, 1.20 };
	}
	setup_coin();
	r_coin_combine.floor = key5->floor;
	if (ccc_hpke_keygen(rsk, rpk) != 0)
		exit(2);
	f_seal(NULL);	/* henc, which open reads */
	ccc_buf_init(&ctbuf, 0);
	ccc_buf_init(&bigct, 0);
	if ((payload = malloc(1 << 20)) == NULL)
		exit(2);
	randombytes_buf(payload, 1 << 20);
	if (ccc_ct_encrypt(bench_ec, &bigct, &key5->pub, "bench", 5, payload,
	    1 << 20, NULL) != 0)
		exit(2);

	bench_add(&r_enc);
	bench_add(&r_verify);
	bench_add(&r_share);
	bench_add(&r_share_verify);
	for (i = 0; i < NKEYS; i++)
		bench_add(&keys[i].row);
	bench_add(&r_coin_share);
	bench_add(&r_coin_combine);
	bench_add(&r_seal);
	bench_add(&r_open);
	bench_add(&r_hyb32);
	bench_add(&r_hyb1k);
	bench_add(&r_hyb1m);
	bench_add(&r_parse);
}
