/*
 * ccc-bench's attestation row: an ES384 signature (ECDSA on P-384) checked
 * with the tables a serving node or oracle keeps for an enclave's key
 * (lib/es384.h), against OpenSSL's own verification of the same signature
 * as its floor.  Each request has every oracle and node check one or two
 * such documents, the largest cost of an oracle's CPU; the row guards the
 * tables' gain.
 */
#include "config.h"

#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "bench.h"
#include "es384.h"

static EVP_PKEY *key;
static EVP_PKEY_CTX *vctx;
static struct ccc_es384_tab *tab;
static uint8_t dgst[48], sig[96], der[128];
static size_t derlen;

static void
f_check(void *a)
{
	(void)a;
	if (ccc_es384_verify(tab, key, dgst, sig) != 1)
		abort();
}

/*
 * OpenSSL's P-384 verification of the same signature of the digest (what
 * the tools do without a table, less the hashing): the floor.
 */
static void
fl_openssl(void *a)
{
	(void)a;
	if (EVP_PKEY_verify(vctx, der, derlen, dgst, sizeof(dgst)) != 1)
		abort();
}

static const struct bench_part fl[] = { { fl_openssl, NULL, 1 },
	{ NULL, NULL, 0 } };
static const struct bench_row r_es384 = { "ES384 check, tables kept",
	f_check, NULL, "OpenSSL's P-384 verify", fl, 0, 0.40 };

void
bench_rows_es384(void)
{
	EVP_PKEY_CTX *sctx = NULL;
	ECDSA_SIG *es = NULL;
	const unsigned char *p = der;

	randombytes_buf(dgst, sizeof(dgst));
	derlen = sizeof(der);
	if ((key = EVP_EC_gen("P-384")) == NULL ||
	    (sctx = EVP_PKEY_CTX_new(key, NULL)) == NULL ||
	    EVP_PKEY_sign_init(sctx) != 1 ||
	    EVP_PKEY_sign(sctx, der, &derlen, dgst, sizeof(dgst)) != 1 ||
	    (es = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL ||
	    BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, 48) != 48 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + 48, 48) != 48 ||
	    (vctx = EVP_PKEY_CTX_new(key, NULL)) == NULL ||
	    EVP_PKEY_verify_init(vctx) != 1 ||
	    (tab = ccc_es384_table(key)) == NULL)
		exit(2);
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(sctx);
	bench_add(&r_es384);
}
