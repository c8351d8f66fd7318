/*
 * Attestation: the Nitro payload reader and writer on the two real AWS
 * documents; verification of the real documents against the pinned AWS
 * root at their README's times, and each refusal (expired, untrusted root,
 * bad signature, measurement, stale, binding); software documents made by
 * ccc_attest_sign_software() and each of their refusals; the policy
 * parser; every bit flip and truncation of a real document.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "attest.h"
#include "attest_chain.h"
#include "cose.h"
#include "es384.h"
#include "io.h"
#include "nitro.h"
#include "ops/ops.h"
#include "tap.h"
#include "x509.h"

#define AWS_ROOT_SHA256 \
	"641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b"
#define NOT_AWS_SHA256 \
	"001a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b"
#define BLOCKY_AT 1725721200000LL	/* 2024-09-07T15:00:00Z */
#define VERACRUZ_AT 1668034800000LL	/* 2022-11-09T23:00:00Z */

#define BLOCKY_PCR0 "e72a46ca80a260fb044a125442f0c7e331813bcbaf9724d9" \
	"f3857758992766f2d65710a27aa94ae3949dd54e7c9fe86a"
#define BLOCKY_PCR1 "0343b056cd8485ca7890ddd833476d78460aed2aa161548e" \
	"4e26bedf321726696257d623e8805f3f605946b3d8b0c6aa"
#define BLOCKY_PCR2 "d5dcbdea0aa39c802f9d55ced2ea6e4d74ecec5f08fe40c5" \
	"08882639c9090642669106a062a3e24ee2805a3024b9b75c"
#define BLOCKY_PCR4 "45706d7b621e4620a332e147a5ddb000b049f73d47d3e61f" \
	"6b03d2069152d4df6a4a786ad1c10102b955799a9dc96b44"
#define VERACRUZ_PCR0 "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82" \
	"320b509621c92482152a99d0a12335b97178c02d6f977d01"
#define VERACRUZ_PCR1 "bcdf05fefccaa8e55bf2c8d6dee9e79bbff31e34bf28a99a" \
	"a19e6b29c37ee80b214a414b7607236edf26fcb78654e63f"
#define VERACRUZ_PCR2 "00943ea859140fed74e1025fe41aedb38780eae5656b3f9e" \
	"f9b4b0e6111350315544db3efcda05725108f72b2ab141f7"
#define VERACRUZ_USER_DATA \
	"7c37108079b3e8a36d8a7970de1d6d4ff1461e0e35d9557c4d789df5e0576620"
#define VERACRUZ_NONCE \
	"c678c86135de539d183acff58886d98dfb9823041af9f934bf909ac0f8d96245"

static struct ccc_buf blocky, veracruz;
static char tmpdir[64];

static bool
load_docs(void)
{
	struct ccc_buf b64;
	struct ccc_err err;
	size_t n;
	bool good;

	ccc_buf_init(&blocky, 0);
	ccc_buf_init(&veracruz, 0);
	ccc_buf_init(&b64, 0);
	ccc_err_clear(&err);
	good = ccc_read_file(&veracruz,
	    tap_vector("nitro/nitro-2022-11-09-veracruz.cbor"), 65536,
	    &err) == 0 && ccc_read_file(&b64,
	    tap_vector("nitro/nitro-2024-09-07-blocky.b64"), 65536,
	    &err) == 0 && ccc_buf_reserve(&blocky, b64.len) == 0 &&
	    sodium_base642bin(blocky.p, blocky.cap, (const char *)b64.p,
	    b64.len, NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) == 0;
	if (good)
		blocky.len = n;
	ccc_buf_free(&b64);
	return good && veracruz.len == 4461 && blocky.len == 7539;
}

static bool
hex_is(const uint8_t *p, size_t n, const char *hex)
{
	unsigned char want[128];
	long wn = tap_unhex(want, sizeof(want), hex);

	return wn == (long)n && memcmp(p, want, n) == 0;
}

static struct ccc_attest_policy *
policy(const char *text)
{
	struct ccc_attest_policy *pol = ccc_attest_policy_new();
	struct ccc_err err;

	ccc_err_clear(&err);
	if (pol != NULL && ccc_attest_policy_parse(pol, text, strlen(text),
	    tmpdir, &err) != 0) {
		printf("# policy: %s\n", err.detail);
		ccc_attest_policy_free(pol);
		pol = NULL;
	}
	return pol;
}

/* Verify, expecting rc and reason; print the error line's detail. */
static int
verify(const struct ccc_buf *doc, const struct ccc_attest_policy *pol,
    const struct ccc_attest_expect *x, int64_t at,
    struct ccc_attest_report *rep, char *detail, size_t dsize)
{
	struct ccc_err err;
	int rc;

	ccc_err_clear(&err);
	rc = ccc_attest_verify(doc->p, doc->len, pol, x, at, rep, &err);
	snprintf(detail, dsize, "%s", err.detail);
	return rc;
}

#define REFUSED(doc, pol, x, at, code, why, word, what) do {		\
	struct ccc_attest_report rep_;					\
	char d_[512];							\
	int rc_ = verify(doc, pol, x, at, &rep_, d_, sizeof(d_));	\
	ok(rc_ == (code) && rep_.reason == (why) &&			\
	    strncmp(d_, word ": ", strlen(word ": ")) == 0,		\
	    "%s: refused, %d \"%s\"", what, rc_, d_);			\
} while (0)

/* ---- the payload reader and writer --------------------------------------- */

static void
test_nitro_payload(void)
{
	struct ccc_cose_sign1 m;
	struct ccc_nitro_doc d;
	struct ccc_buf again;
	struct ccc_err err;
	int i, zero = 0;

	ccc_buf_init(&again, 0);
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_decode(&m, blocky.p, blocky.len, &err) == 0 &&
	    !m.tagged && m.alg == CCC_COSE_ALG_ES384 && m.prot_count == 1 &&
	    m.unprot_count == 0 && m.sig_len == 96,
	    "blocky: untagged COSE_Sign1, ES384, empty unprotected header");
	ok(ccc_nitro_decode(&d, m.payload, m.payload_len, m.payload_off,
	    &err) == 0, "blocky: payload decodes (%s)", err.detail);
	ok(d.module_id_len == 39 && memcmp(d.module_id,
	    "i-0a22e5c5f24d22174-enc0191cceb4289903f", 39) == 0,
	    "blocky: module_id");
	ok(d.timestamp_ms == 1725719859545ULL, "blocky: timestamp");
	ok(d.npcrs == 16 && hex_is(d.pcrs[0].p, d.pcrs[0].n, BLOCKY_PCR0) &&
	    hex_is(d.pcrs[1].p, d.pcrs[1].n, BLOCKY_PCR1) &&
	    hex_is(d.pcrs[2].p, d.pcrs[2].n, BLOCKY_PCR2) &&
	    hex_is(d.pcrs[4].p, d.pcrs[4].n, BLOCKY_PCR4),
	    "blocky: 16 PCRs, PCR0-2 and 4 as in the README");
	for (i = 0; i < 16; i++)
		if (i != 0 && i != 1 && i != 2 && i != 4 &&
		    d.pcrs[i].n == 48 && sodium_is_zero(d.pcrs[i].p, 48))
			zero++;
	ok(zero == 12, "blocky: PCR3 and PCR5-15 are zero");
	ok(d.ncabundle == 4 && d.public_key.n == 1024 &&
	    d.user_data.n == 1024 && d.nonce.n == 1024,
	    "blocky: 4 CA certificates; 1024-byte public_key, user_data, "
	    "nonce accepted");
	ok(ccc_nitro_encode(&again, &d) == 0 && again.len == m.payload_len &&
	    memcmp(again.p, m.payload, again.len) == 0,
	    "blocky: the writer reproduces the NSM's payload byte for byte");

	ccc_buf_reset(&again);
	ccc_err_clear(&err);
	ok(ccc_cose_sign1_decode(&m, veracruz.p, veracruz.len, &err) == 0 &&
	    ccc_nitro_decode(&d, m.payload, m.payload_len, m.payload_off,
	    &err) == 0, "veracruz: decodes");
	ok(d.module_id_len == 39 && memcmp(d.module_id,
	    "i-04fd167167daacf3b-enc01845e97d0b3eb4e", 39) == 0 &&
	    d.timestamp_ms == 1668034320696ULL, "veracruz: module_id, "
	    "timestamp");
	ok(hex_is(d.pcrs[0].p, d.pcrs[0].n, VERACRUZ_PCR0) &&
	    hex_is(d.pcrs[1].p, d.pcrs[1].n, VERACRUZ_PCR1) &&
	    hex_is(d.pcrs[2].p, d.pcrs[2].n, VERACRUZ_PCR2),
	    "veracruz: PCR0-2 as in the README");
	ok(!d.public_key.present && hex_is(d.user_data.p, d.user_data.n,
	    VERACRUZ_USER_DATA) && hex_is(d.nonce.p, d.nonce.n,
	    VERACRUZ_NONCE), "veracruz: public_key null is absent; "
	    "user_data, nonce");
	ok(ccc_nitro_encode(&again, &d) == 0 && again.len == m.payload_len &&
	    memcmp(again.p, m.payload, again.len) == 0,
	    "veracruz: the writer reproduces the payload (null included)");
	ccc_buf_free(&again);
}

struct badpay {
	const char *what;
	const char *field;	/* the part replaced (NULL: one appended) */
	const char *hex;	/* its replacement; NULL: the pcrs below */
	int code;
	int pcr_count, pcr_index, pcr_len;	/* a pcrs map of this shape */
};

/*
 * A payload built from parts, each replaced in turn by a bad value:
 * module_id "m", digest, timestamp 1, pcrs {0: 32 zero bytes}, certificate
 * h'00', cabundle [h'00'], then the three optional fields as null.
 */
static const char *const good_parts[][2] = {
	{ "module_id", "696d6f64756c655f6964" "616d" },
	{ "digest", "66646967657374" "66534841333834" },
	{ "timestamp", "6974696d657374616d70" "01" },
	{ "pcrs", NULL },
	{ "certificate", "6b6365727469666963617465" "4100" },
	{ "cabundle", "6863616275" "6e646c65" "814100" },
	{ "public_key", "6a7075626c69635f6b6579" "f6" },
	{ "user_data", "69757365725f64617461" "f6" },
	{ "nonce", "656e6f6e6365" "f6" },
};

static const struct badpay badpays[] = {
	{ "unknown key", NULL, "6378797a" "00", CCC_E_MALFORMED, 0, 0, 0 },
	{ "module_id repeated", NULL, "696d6f64756c655f6964" "616e",
	    CCC_E_MALFORMED, 0, 0, 0 },
	{ "module_id empty", "module_id", "696d6f64756c655f6964" "60",
	    CCC_E_FIELD, 0, 0, 0 },
	{ "module_id with a space", "module_id",
	    "696d6f64756c655f6964" "626120", CCC_E_FIELD, 0, 0, 0 },
	{ "module_id not text", "module_id", "696d6f64756c655f6964" "4161",
	    CCC_E_MALFORMED, 0, 0, 0 },
	{ "digest SHA256", "digest", "66646967657374" "66534841323536",
	    CCC_E_FIELD, 0, 0, 0 },
	{ "timestamp 0", "timestamp", "6974696d657374616d70" "00",
	    CCC_E_FIELD, 0, 0, 0 },
	{ "timestamp negative", "timestamp", "6974696d657374616d70" "20",
	    CCC_E_MALFORMED, 0, 0, 0 },
	{ "pcrs empty", "pcrs", NULL, CCC_E_FIELD, 0, 0, 48 },
	{ "pcr index 32", "pcrs", NULL, CCC_E_FIELD, 1, 32, 48 },
	{ "pcr of 31 bytes", "pcrs", NULL, CCC_E_FIELD, 1, 0, 31 },
	{ "pcr of 47 bytes", "pcrs", NULL, CCC_E_FIELD, 1, 0, 47 },
	{ "pcr of 65 bytes", "pcrs", NULL, CCC_E_FIELD, 1, 0, 65 },
	{ "pcr index repeated", "pcrs", NULL, CCC_E_MALFORMED, 2, 0, 48 },
	{ "33 pcrs", "pcrs", NULL, CCC_E_FIELD, 33, 0, 48 },
	{ "certificate empty", "certificate", "6b6365727469666963617465" "40",
	    CCC_E_FIELD, 0, 0, 0 },
	{ "certificate null", "certificate", "6b6365727469666963617465" "f6",
	    CCC_E_MALFORMED, 0, 0, 0 },
	{ "cabundle empty", "cabundle", "6863616275" "6e646c65" "80",
	    CCC_E_FIELD, 0, 0, 0 },
	{ "cabundle of an empty cert", "cabundle", "6863616275" "6e646c65"
	    "8140", CCC_E_FIELD, 0, 0, 0 },
	{ "user_data text", "user_data", "69757365725f64617461" "6161",
	    CCC_E_MALFORMED, 0, 0, 0 },
	{ "certificate missing", "certificate", "", CCC_E_FIELD, 0, 0, 0 },
};

/* "pcrs": {i: len zero bytes, ...}: count entries (repeating index i). */
static void
pcrs_hex(char *out, size_t size, int count, int index, int len)
{
	size_t w;
	int i, k;

	w = (size_t)snprintf(out, size, "6470637273");
	w += (size_t)snprintf(out + w, size - w, count < 24 ? "a%x" : "b8%02x",
	    count < 24 ? 0xa0 + count - 0xa0 : count);
	for (i = 0; i < count; i++) {
		k = count > 2 ? i : index;
		w += (size_t)snprintf(out + w, size - w, k < 24 ? "%02x" :
		    "18%02x", k);
		w += (size_t)snprintf(out + w, size - w, "58%02x", len);
		for (k = 0; k < len && w + 2 < size; k++)
			w += (size_t)snprintf(out + w, size - w, "00");
	}
}

static void
test_nitro_bad_payloads(void)
{
	static char hex[8192], part[4096];
	static unsigned char bin[4096];
	struct ccc_nitro_doc d;
	struct ccc_err err;
	size_t i, k, nparts = sizeof(good_parts) / sizeof(good_parts[0]);
	long n;
	int rc, count;

	for (i = 0; i <= sizeof(badpays) / sizeof(badpays[0]); i++) {
		const struct badpay *b = i > 0 ? &badpays[i - 1] : NULL;
		count = 0;
		hex[0] = '\0';
		for (k = 0; k < nparts; k++) {
			const char *h = good_parts[k][1];
			if (b != NULL && b->field != NULL &&
			    strcmp(b->field, good_parts[k][0]) == 0) {
				if (b->hex == NULL) {
					pcrs_hex(part, sizeof(part),
					    b->pcr_count, b->pcr_index,
					    b->pcr_len);
					h = part;
				} else
					h = b->hex;
			} else if (h == NULL) {
				pcrs_hex(part, sizeof(part), 1, 0, 32);
				h = part;
			}
			if (h[0] != '\0') {
				strcat(hex, h);
				count++;
			}
		}
		if (b != NULL && b->field == NULL) {
			strcat(hex, b->hex);
			count++;
		}
		memmove(hex + 2, hex, strlen(hex) + 1);
		hex[0] = 'a';
		hex[1] = (char)(count < 10 ? '0' + count : 'a' + count - 10);
		n = tap_unhex(bin, sizeof(bin), hex);
		ccc_err_clear(&err);
		rc = n > 0 ? ccc_nitro_decode(&d, bin, (size_t)n, 0, &err) : 1;
		if (b == NULL)
			ok(rc == 0, "a minimal payload decodes (%s)",
			    err.detail);
		else
			ok(rc == b->code, "payload refused: %s (%d: %s)",
			    b->what, rc, err.detail);
	}
}

/*
 * The table of its leaf key the chain of doc keeps (lib/attest_chain.c),
 * or NULL; the ask counts as a use.
 */
static struct ccc_es384_tab *
kept_table(const struct ccc_buf *doc)
{
	struct ccc_cose_sign1 m;
	struct ccc_nitro_doc nd;
	struct ccc_err e;
	uint8_t key[32];
	struct ccc_es384_tab *t = NULL;
	X509 *leaf;

	if (ccc_cose_sign1_decode(&m, doc->p, doc->len, &e) != 0 ||
	    ccc_nitro_decode(&nd, m.payload, m.payload_len, m.payload_off,
	    &e) != 0)
		return NULL;
	ccc_attest_chain_key(&nd, key);
	if ((leaf = ccc_x509_parse(nd.certificate.p,
	    nd.certificate.n)) != NULL) {
		t = ccc_attest_chain_table(key, leaf);
		X509_free(leaf);
	}
	return t;
}

/* ---- the real documents -------------------------------------------------- */

static void
test_real(void)
{
	struct ccc_attest_policy *any, *pcrs, *other, *noroot, *strict;
	struct ccc_attest_report rep;
	struct ccc_attest_expect x;
	struct ccc_buf mut;
	char d[512];
	uint8_t ud[32], nonce[32], bad[32];
	struct ccc_es384_tab *tab;
	int rc, i;

	ccc_buf_init(&mut, 0);
	any = policy("ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" AWS_ROOT_SHA256 " aws-g1\n"
	    "measurements any\nmax-age 3600\n");
	pcrs = policy("ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" AWS_ROOT_SHA256 " aws-g1\n"
	    "measurements veracruz pcr0=" VERACRUZ_PCR0 " pcr1=" VERACRUZ_PCR1
	    " pcr2=" VERACRUZ_PCR2 "\n"
	    "measurements blocky pcr0=" BLOCKY_PCR0 " pcr1=" BLOCKY_PCR1
	    " pcr2=" BLOCKY_PCR2 "\n"
	    "max-age 3600\n");
	other = policy("ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" AWS_ROOT_SHA256 " aws-g1\n"
	    "measurements release-2 pcr0=" BLOCKY_PCR0 " pcr1=" BLOCKY_PCR1
	    " pcr2=" VERACRUZ_PCR2 "\n"
	    "max-age 3600\n");
	noroot = policy("ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" NOT_AWS_SHA256 " not-aws\n"
	    "measurements any\nmax-age 3600\n");
	strict = policy("ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" AWS_ROOT_SHA256 "\n"
	    "measurements any\n");
	if (!ok(any && pcrs && other && noroot && strict, "policies parse"))
		goto out;

	rc = verify(&blocky, any, NULL, BLOCKY_AT, &rep, d, sizeof(d));
	ok(rc == 0 && rep.reason == CCC_ATTEST_OK &&
	    rep.kind == CCC_ATTEST_KIND_AWS_NITRO &&
	    strcmp(rep.module_id, "i-0a22e5c5f24d22174-enc0191cceb4289903f") ==
	    0 && rep.timestamp_ms == 1725719859545ULL &&
	    rep.checked_at_ms == (uint64_t)BLOCKY_AT &&
	    hex_is(rep.pcr[0], rep.pcr_len[0], BLOCKY_PCR0) &&
	    hex_is(rep.pcr[4], rep.pcr_len[4], BLOCKY_PCR4) &&
	    strcmp(rep.root->name, "aws-g1") == 0 && !rep.debug,
	    "blocky verifies at 2024-09-07T15:00:00Z: module id, PCRs (%s)",
	    d);
	rc = verify(&veracruz, pcrs, NULL, VERACRUZ_AT, &rep, d, sizeof(d));
	ok(rc == 0 && strcmp(rep.module_id,
	    "i-04fd167167daacf3b-enc01845e97d0b3eb4e") == 0 &&
	    hex_is(rep.pcr[2], rep.pcr_len[2], VERACRUZ_PCR2) &&
	    strcmp(rep.measurements, "veracruz") == 0 && !rep.has_public_key &&
	    rep.has_nonce && hex_is(rep.nonce, rep.nonce_len, VERACRUZ_NONCE),
	    "veracruz verifies at 2022-11-09T23:00:00Z under its measurement "
	    "set (%s)", d);
	rc = verify(&blocky, pcrs, NULL, BLOCKY_AT, &rep, d, sizeof(d));
	ok(rc == 0 && strcmp(rep.measurements, "blocky") == 0,
	    "blocky matches the second measurement set");
	rc = verify(&veracruz, any, NULL, CCC_ATTEST_AT_DOCUMENT, &rep, d,
	    sizeof(d));
	ok(rc == 0 && rep.checked_at_ms == 1668034320696ULL,
	    "--at document: checked at the document's own time");

	REFUSED(&blocky, any, NULL, CCC_ATTEST_AT_NOW, CCC_E_EXPIRED,
	    CCC_ATTEST_EXPIRED, "expired", "blocky now");
	REFUSED(&veracruz, any, NULL, CCC_ATTEST_AT_NOW, CCC_E_EXPIRED,
	    CCC_ATTEST_EXPIRED, "expired", "veracruz now");
	REFUSED(&veracruz, any, NULL, VERACRUZ_AT + 4 * 3600 * 1000LL,
	    CCC_E_EXPIRED, CCC_ATTEST_EXPIRED, "expired",
	    "veracruz 4 hours later");
	REFUSED(&veracruz, any, NULL, 1668034300000LL, CCC_E_EXPIRED,
	    CCC_ATTEST_NOT_YET_VALID, "not yet valid",
	    "veracruz before its leaf certificate");
	REFUSED(&blocky, noroot, NULL, BLOCKY_AT, CCC_E_ATTEST,
	    CCC_ATTEST_UNTRUSTED_ROOT, "untrusted root",
	    "blocky, policy without the AWS root");
	REFUSED(&veracruz, other, NULL, VERACRUZ_AT, CCC_E_ATTEST,
	    CCC_ATTEST_MEASUREMENT, "measurement not allowed",
	    "veracruz, policy pinning other PCRs");
	REFUSED(&blocky, other, NULL, BLOCKY_AT, CCC_E_ATTEST,
	    CCC_ATTEST_MEASUREMENT, "measurement not allowed",
	    "blocky, policy pinning another PCR2");
	REFUSED(&blocky, strict, NULL, BLOCKY_AT, CCC_E_ATTEST,
	    CCC_ATTEST_STALE, "stale",
	    "blocky at its README time, default max-age 300 s");
	REFUSED(&veracruz, strict, NULL, 1668034320696LL - 31000,
	    CCC_E_EXPIRED, CCC_ATTEST_NOT_YET_VALID, "not yet valid",
	    "veracruz 31 s before its timestamp (before its leaf)");

	/* A flipped signature byte, and a flipped payload byte. */
	if (ccc_buf_put(&mut, veracruz.p, veracruz.len) == 0) {
		mut.p[mut.len - 10] ^= 0x01;
		REFUSED(&mut, any, NULL, VERACRUZ_AT, CCC_E_SIGNATURE,
		    CCC_ATTEST_BAD_SIGNATURE, "bad signature",
		    "veracruz, signature byte flipped");
		mut.p[mut.len - 10] ^= 0x01;
		mut.p[mut.len - 200] ^= 0x80;	/* in user_data/nonce */
		REFUSED(&mut, any, NULL, VERACRUZ_AT, CCC_E_SIGNATURE,
		    CCC_ATTEST_BAD_SIGNATURE, "bad signature",
		    "veracruz, payload byte flipped");
	}

	/*
	 * One enclave's documents, many, as a serving node checks them: from
	 * the fourth use of its chain on, the signature is checked with a
	 * table of the leaf key kept with the chain (lib/es384.c), with the
	 * same verdicts.
	 */
	for (i = 0, rc = 0; i < 6; i++)
		rc |= verify(&veracruz, any, NULL, VERACRUZ_AT, &rep, d,
		    sizeof(d));
	tab = kept_table(&veracruz);
	ok(rc == 0 && tab != NULL, "veracruz checked 6 times more: its chain "
	    "keeps a table of the leaf key (%s)", d);
	ccc_es384_tab_free(tab);
	mut.len = 0;
	if (ccc_buf_put(&mut, veracruz.p, veracruz.len) == 0) {
		mut.p[mut.len - 10] ^= 0x01;
		REFUSED(&mut, any, NULL, VERACRUZ_AT, CCC_E_SIGNATURE,
		    CCC_ATTEST_BAD_SIGNATURE, "bad signature",
		    "with the table: veracruz, signature byte flipped");
		mut.p[mut.len - 10] ^= 0x01;
		memset(mut.p + mut.len - 96, 0, 48);	/* r = 0 */
		REFUSED(&mut, any, NULL, VERACRUZ_AT, CCC_E_SIGNATURE,
		    CCC_ATTEST_BAD_SIGNATURE, "bad signature",
		    "with the table: veracruz, r = 0");
		memcpy(mut.p + mut.len - 96, veracruz.p + veracruz.len - 96,
		    48);
		mut.p[mut.len - 200] ^= 0x80;
		REFUSED(&mut, any, NULL, VERACRUZ_AT, CCC_E_SIGNATURE,
		    CCC_ATTEST_BAD_SIGNATURE, "bad signature",
		    "with the table: veracruz, payload byte flipped");
	}
	rc = verify(&veracruz, any, NULL, VERACRUZ_AT, &rep, d, sizeof(d));
	ok(rc == 0, "with the table: veracruz verifies (%s)", d);

	/* Binding to expected values. */
	memset(&x, 0, sizeof(x));
	(void)tap_unhex(ud, sizeof(ud), VERACRUZ_USER_DATA);
	(void)tap_unhex(nonce, sizeof(nonce), VERACRUZ_NONCE);
	memcpy(bad, ud, sizeof(bad));
	bad[31] ^= 1;
	x.user_data = ud;
	x.user_data_len = 32;
	x.nonce = nonce;
	x.nonce_len = 32;
	rc = verify(&veracruz, any, &x, VERACRUZ_AT, &rep, d, sizeof(d));
	ok(rc == 0, "veracruz: expected user_data and nonce match (%s)", d);
	x.user_data = bad;
	REFUSED(&veracruz, any, &x, VERACRUZ_AT, CCC_E_ATTEST,
	    CCC_ATTEST_BINDING, "binding mismatch",
	    "veracruz, other user_data");
	x.user_data = ud;
	x.nonce_len = 31;
	REFUSED(&veracruz, any, &x, VERACRUZ_AT, CCC_E_ATTEST,
	    CCC_ATTEST_BINDING, "binding mismatch", "veracruz, shorter nonce");
	memset(&x, 0, sizeof(x));
	x.public_key = ud;
	x.public_key_len = 32;
	REFUSED(&veracruz, any, &x, VERACRUZ_AT, CCC_E_ATTEST,
	    CCC_ATTEST_BINDING, "binding mismatch",
	    "veracruz, a public_key expected but null");
	memset(&x, 0, sizeof(x));
	x.pcr[3] = ud;
	x.pcr_len[3] = 32;
	REFUSED(&veracruz, any, &x, VERACRUZ_AT, CCC_E_ATTEST,
	    CCC_ATTEST_BINDING, "binding mismatch", "veracruz, PCR3 expected");
	ok(ERR_peek_error() == 0, "OpenSSL's error queue is left empty");
out:
	ccc_attest_policy_free(any);
	ccc_attest_policy_free(pcrs);
	ccc_attest_policy_free(other);
	ccc_attest_policy_free(noroot);
	ccc_attest_policy_free(strict);
	ccc_buf_free(&mut);
}

/* ---- software mode ------------------------------------------------------- */

static char root_pem[128], root2_pem[128], enc_key[128], enc2_key[128];
static char enc3_key[128];

static bool
make_identities(void)
{
	char rk[128], r2k[128], chain[128], chain3[128];
	struct ccc_err err;
	bool good;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ccc-test-attest-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return false;
	snprintf(rk, sizeof(rk), "%s/root.key", tmpdir);
	snprintf(r2k, sizeof(r2k), "%s/root2.key", tmpdir);
	snprintf(root_pem, sizeof(root_pem), "%s/root.pem", tmpdir);
	snprintf(root2_pem, sizeof(root2_pem), "%s/root2.pem", tmpdir);
	snprintf(enc_key, sizeof(enc_key), "%s/enclave.key", tmpdir);
	snprintf(enc2_key, sizeof(enc2_key), "%s/enclave2.key", tmpdir);
	snprintf(enc3_key, sizeof(enc3_key), "%s/enclave3.key", tmpdir);
	snprintf(chain, sizeof(chain), "%s/chain.pem", tmpdir);
	snprintf(chain3, sizeof(chain3), "%s/chain3.pem", tmpdir);
	ccc_err_clear(&err);
	good = ccc_keygen_attest_root(rk, "test-root", false, root_pem,
	    &err) == 0 &&
	    ccc_keygen_attest_root(r2k, NULL, false, root2_pem, &err) == 0 &&
	    ccc_keygen_enclave_cert(rk, enc_key, "job-1", false, chain,
	    &err) == 0 &&
	    ccc_keygen_enclave_cert(rk, enc3_key, "job-2", false, chain3,
	    &err) == 0;
	/* chain.pem exists: without force, neither file is written. */
	ccc_err_clear(&err);
	good = good && ccc_keygen_enclave_cert(r2k, enc2_key, "job-1", false,
	    chain, &err) == CCC_E_EXISTS && access(enc2_key, F_OK) != 0;
	ccc_err_clear(&err);
	return good && ccc_keygen_enclave_cert(r2k, enc2_key, "job-1", true,
	    chain, &err) == 0;
}

static void
remove_identities(void)
{
	static const char *const names[] = { "root.key", "root2.key",
	    "root.pem", "root2.pem", "enclave.key", "enclave2.key",
	    "enclave3.key", "chain.pem", "chain3.pem", "root.der", NULL };
	char p[160];
	int i;

	for (i = 0; names[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpdir, names[i]);
		(void)unlink(p);
	}
	(void)rmdir(tmpdir);
}

static uint8_t code_pcr[48], runtime_pcr[48];

static int
sw_doc(struct ccc_buf *doc, struct ccc_attest_signer *s, uint64_t ts,
    const uint8_t *pcr0, const uint8_t *ud, size_t udn)
{
	struct ccc_nitro_claims cl;
	struct ccc_err err;

	memset(&cl, 0, sizeof(cl));
	cl.timestamp_ms = ts;
	cl.pcr[0] = pcr0;
	cl.pcr[1] = runtime_pcr;
	cl.user_data = ud;
	cl.user_data_len = udn;
	ccc_buf_reset(doc);
	ccc_err_clear(&err);
	return ccc_attest_sign_software(doc, s, &cl, &err);
}

static void
test_software(void)
{
	char pol_sw[1024], pol_hw[512], pol_file[1024], pol_nitro_kind[512];
	char pol_debug[1024], hexpcr[97], d[512];
	struct ccc_attest_policy *sw = NULL, *hw = NULL, *byfile = NULL;
	struct ccc_attest_policy *asnitro = NULL, *dbg = NULL;
	struct ccc_attest_signer *s = NULL, *s2 = NULL, *s3 = NULL;
	struct ccc_attest_report rep;
	struct ccc_attest_expect x;
	struct ccc_nitro_claims cl;
	struct ccc_buf doc, doc3, pem, b;
	struct ccc_err err;
	uint8_t fp[32], ud[32], zero[48] = { 0 }, other[48], id1[32];
	unsigned char *der = NULL;
	BIO *bio = NULL;
	X509 *root = NULL;
	int64_t now = ccc_attest_now_ms();
	int rc, n = 0;

	ccc_buf_init(&doc, 0);
	ccc_buf_init(&doc3, 0);
	ccc_buf_init(&pem, 0);
	ccc_buf_init(&b, 0);
	ccc_err_clear(&err);
	if (!ok(ccc_read_file(&pem, root_pem, 65536, &err) == 0 &&
	    (bio = BIO_new_mem_buf(pem.p, (int)pem.len)) != NULL &&
	    (root = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL &&
	    (n = i2d_X509(root, &der)) > 0, "read the root certificate"))
		goto out;
	crypto_hash_sha256(fp, der, (unsigned long long)n);
	sodium_bin2hex(hexpcr, sizeof(hexpcr), fp, 32);
	snprintf(pol_sw, sizeof(pol_sw), "ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" AWS_ROOT_SHA256 " aws\n"
	    "root software sha256:%s ops # the operator's root\n"
	    "allow-software yes\n", hexpcr);
	snprintf(pol_nitro_kind, sizeof(pol_nitro_kind), "ccc-attest-policy 1\n"
	    "root aws-nitro sha256:%s\nallow-software yes\n"
	    "measurements any\n", hexpcr);
	snprintf(pol_hw, sizeof(pol_hw), "ccc-attest-policy 1\n"
	    "root aws-nitro sha256:" AWS_ROOT_SHA256 "\nmeasurements any\n");
	snprintf(pol_file, sizeof(pol_file), "ccc-attest-policy 1\n"
	    "root software root.pem\nallow-software yes\nmeasurements any\n");
	randombytes_buf(code_pcr, sizeof(code_pcr));
	randombytes_buf(runtime_pcr, sizeof(runtime_pcr));
	randombytes_buf(other, sizeof(other));
	randombytes_buf(ud, sizeof(ud));
	/* The policy pins the code and runtime measurements. */
	{
		char c[97], r[97], tail[300];
		sodium_bin2hex(c, sizeof(c), code_pcr, 48);
		sodium_bin2hex(r, sizeof(r), runtime_pcr, 48);
		snprintf(tail, sizeof(tail), "measurements job-1 pcr0=%s "
		    "pcr1=%s\n", c, r);
		strcat(pol_sw, tail);
		snprintf(pol_debug, sizeof(pol_debug), "%sallow-debug yes\n"
		    "measurements any\n", pol_sw);
	}
	sw = policy(pol_sw);
	hw = policy(pol_hw);
	byfile = policy(pol_file);
	asnitro = policy(pol_nitro_kind);
	dbg = policy(pol_debug);
	if (!ok(sw && hw && byfile && asnitro && dbg, "policies parse"))
		goto out;
	ccc_err_clear(&err);
	ok(memcmp(byfile->roots[0].sha256, fp, 32) == 0 &&
	    strcmp(byfile->roots[0].name, "software") == 0,
	    "a root pinned by its certificate file has its fingerprint");
	ccc_err_clear(&err);
	if (!ok(ccc_attest_signer_load(&s, enc_key, &err) == 0 &&
	    ccc_attest_signer_load(&s2, enc2_key, &err) == 0,
	    "load the enclave signers (%s)", err.detail))
		goto out;
	ok(strcmp(ccc_attest_signer_module_id(s), "ccc-software-job-1") == 0,
	    "module_id ccc-software-job-1");

	ok(sw_doc(&doc, s, 0, code_pcr, ud, 32) == 0, "sign a document");
	rc = verify(&doc, sw, NULL, CCC_ATTEST_AT_NOW, &rep, d, sizeof(d));
	ok(rc == 0 && rep.kind == CCC_ATTEST_KIND_SOFTWARE &&
	    strcmp(rep.module_id, "ccc-software-job-1") == 0 &&
	    strcmp(rep.root->name, "ops") == 0 &&
	    strcmp(rep.measurements, "job-1") == 0 && rep.has_user_data &&
	    rep.user_data_len == 32 && !rep.has_nonce &&
	    strstr(rep.leaf_subject, "CN=ccc-software-job-1") != NULL &&
	    strstr(rep.leaf_subject, "not hardware-backed") != NULL,
	    "verifies under a policy that pins the root and allows software "
	    "(%s)", d);
	memcpy(id1, rep.enclave_id, 32);
	/*
	 * Another enclave under the same root: its own leaf, not the one
	 * this process keeps for the first (lib/attest_chain.c), and then
	 * the first's again.
	 */
	ccc_err_clear(&err);
	if (ok(ccc_attest_signer_load(&s3, enc3_key, &err) == 0 &&
	    sw_doc(&doc3, s3, 0, code_pcr, ud, 32) == 0, "sign a document as a "
	    "second enclave under the same root (%s)", err.detail)) {
		rc = verify(&doc3, sw, NULL, CCC_ATTEST_AT_NOW, &rep, d,
		    sizeof(d));
		ok(rc == 0 && strcmp(rep.module_id, "ccc-software-job-2") ==
		    0 && strstr(rep.leaf_subject, "CN=ccc-software-job-2") !=
		    NULL && memcmp(rep.enclave_id, id1, 32) != 0,
		    "the second enclave's document verifies with its own leaf "
		    "(%s)", d);
		rc = verify(&doc, sw, NULL, CCC_ATTEST_AT_NOW, &rep, d,
		    sizeof(d));
		ok(rc == 0 && strcmp(rep.module_id, "ccc-software-job-1") ==
		    0 && memcmp(rep.enclave_id, id1, 32) == 0,
		    "then the first's again with the first's (%s)", d);
	}
	rc = verify(&doc, byfile, NULL, CCC_ATTEST_AT_NOW, &rep, d, sizeof(d));
	ok(rc == 0, "verifies with the root pinned by file (%s)", d);
	memset(&x, 0, sizeof(x));
	x.user_data = ud;
	x.user_data_len = 32;
	x.pcr[0] = code_pcr;
	x.pcr_len[0] = 48;
	rc = verify(&doc, sw, &x, CCC_ATTEST_AT_NOW, &rep, d, sizeof(d));
	ok(rc == 0, "the expected user_data and code PCR match (%s)", d);

	REFUSED(&doc, hw, NULL, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_SOFTWARE, "software not allowed",
	    "a hardware-only policy");
	REFUSED(&doc, asnitro, NULL, CCC_ATTEST_AT_NOW, CCC_E_MALFORMED,
	    CCC_ATTEST_MALFORMED, "malformed document",
	    "the software root pinned as aws-nitro");
	x.user_data = other;
	REFUSED(&doc, sw, &x, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_BINDING, "binding mismatch", "another user_data");
	x.user_data = ud;
	x.pcr[0] = other;
	REFUSED(&doc, sw, &x, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_BINDING, "binding mismatch", "another code PCR");

	/* A tampered payload byte: in the user_data, near the end. */
	if (ccc_buf_put(&b, doc.p, doc.len) == 0) {
		b.p[b.len - 96 - 2 - 20] ^= 0x04;
		REFUSED(&b, sw, NULL, CCC_ATTEST_AT_NOW, CCC_E_SIGNATURE,
		    CCC_ATTEST_BAD_SIGNATURE, "bad signature",
		    "tampered payload byte");
	}

	ok(sw_doc(&doc, s, 0, other, NULL, 0) == 0, "sign with another PCR0");
	REFUSED(&doc, sw, NULL, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_MEASUREMENT, "measurement not allowed",
	    "a code measurement not in the policy");
	ok(sw_doc(&doc, s, (uint64_t)(now - 301000), code_pcr, NULL, 0) == 0,
	    "sign a document 301 s old");
	REFUSED(&doc, sw, NULL, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_STALE, "stale", "older than max-age 300 s");
	ok(sw_doc(&doc, s, (uint64_t)(now + 60000), code_pcr, NULL, 0) == 0,
	    "sign a document 60 s in the future");
	REFUSED(&doc, sw, NULL, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_FUTURE, "from the future", "beyond future-skew 30 s");
	ok(sw_doc(&doc, s, (uint64_t)(now + 10000), code_pcr, NULL, 0) == 0 &&
	    verify(&doc, sw, NULL, CCC_ATTEST_AT_NOW, &rep, d, sizeof(d)) ==
	    0, "10 s in the future is within the skew");
	ok(sw_doc(&doc, s2, 0, code_pcr, NULL, 0) == 0, "sign under the "
	    "second root");
	REFUSED(&doc, sw, NULL, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_UNTRUSTED_ROOT, "untrusted root",
	    "a chain under another software root");
	ok(sw_doc(&doc, s, 0, zero, NULL, 0) == 0, "sign with an all-zero "
	    "PCR0");
	REFUSED(&doc, sw, NULL, CCC_ATTEST_AT_NOW, CCC_E_ATTEST,
	    CCC_ATTEST_DEBUG, "debug not allowed", "all-zero PCR0");
	rc = verify(&doc, dbg, NULL, CCC_ATTEST_AT_NOW, &rep, d, sizeof(d));
	ok(rc == 0 && rep.debug && strcmp(rep.measurements, "any") == 0,
	    "all-zero PCR0 accepted where the policy allows debug (%s)", d);
	REFUSED(&doc, sw, NULL, now + 91LL * 24 * 3600 * 1000, CCC_E_EXPIRED,
	    CCC_ATTEST_EXPIRED, "expired",
	    "checked after the enclave certificate's 90 days");

	/* Claims out of bounds. */
	memset(&cl, 0, sizeof(cl));
	ccc_err_clear(&err);
	ok(ccc_attest_sign_software(&doc, s, &cl, &err) == CCC_E_FIELD,
	    "a document needs a PCR");
	cl.pcr[0] = code_pcr;
	cl.nonce = (const uint8_t *)pol_sw;
	cl.nonce_len = 1025;
	ccc_err_clear(&err);
	ok(ccc_attest_sign_software(&doc, s, &cl, &err) == CCC_E_FIELD,
	    "a 1025-byte nonce is refused");

	/* Signer files that are not one. */
	ccc_attest_signer_free(s2);
	s2 = NULL;
	ccc_err_clear(&err);
	ok(ccc_attest_signer_load(&s2, root_pem, &err) == CCC_E_PERM,
	    "a public (0644) file is refused as a key file");
	{
		char rk[160];
		snprintf(rk, sizeof(rk), "%s/root.key", tmpdir);
		ccc_err_clear(&err);
		ok(ccc_attest_signer_load(&s2, rk, &err) == CCC_E_KEY,
		    "a root key file is not an enclave signer (%s)",
		    err.detail);
	}
	ok(ERR_peek_error() == 0, "OpenSSL's error queue is left empty");
out:
	OPENSSL_free(der);
	X509_free(root);
	BIO_free(bio);
	ccc_attest_signer_free(s);
	ccc_attest_signer_free(s2);
	ccc_attest_signer_free(s3);
	ccc_attest_policy_free(sw);
	ccc_attest_policy_free(hw);
	ccc_attest_policy_free(byfile);
	ccc_attest_policy_free(asnitro);
	ccc_attest_policy_free(dbg);
	ccc_buf_free(&doc);
	ccc_buf_free(&doc3);
	ccc_buf_free(&pem);
	ccc_buf_free(&b);
}

/* The marks must agree: a software module_id without the header marker. */
static void
test_marks(void)
{
	struct ccc_attest_policy *pol;
	struct ccc_buf pem, doc, payload;
	struct ccc_nitro_doc d;
	struct ccc_err err;
	EVP_PKEY *key = NULL;
	BIO *bio = NULL;
	char path[160], text[512];
	uint8_t pcr[48] = { 1 };

	ccc_buf_init(&pem, 1);
	ccc_buf_init(&doc, 0);
	ccc_buf_init(&payload, 0);
	snprintf(path, sizeof(path), "%s/enclave.key", tmpdir);
	snprintf(text, sizeof(text), "ccc-attest-policy 1\nroot software "
	    "root.pem\nallow-software yes\nmeasurements any\n");
	pol = policy(text);
	ccc_err_clear(&err);
	if (!ok(pol != NULL && ccc_read_file(&pem, path, 65536, &err) == 0 &&
	    (bio = BIO_new_mem_buf(pem.p, (int)pem.len)) != NULL &&
	    (key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)) != NULL,
	    "the enclave's key"))
		goto out;
	memset(&d, 0, sizeof(d));
	d.module_id = "ccc-software-job-1";
	d.module_id_len = strlen(d.module_id);
	d.timestamp_ms = (uint64_t)ccc_attest_now_ms();
	d.pcrs[0].p = pcr;
	d.pcrs[0].n = 48;
	d.pcrs[0].present = true;
	d.certificate.p = pcr;	/* never reached */
	d.certificate.n = 48;
	d.certificate.present = true;
	d.cabundle[0] = d.certificate;
	d.ncabundle = 1;
	ccc_err_clear(&err);
	if (!ok(ccc_nitro_encode(&payload, &d) == 0 &&
	    ccc_cose_sign1_sign(&doc, key, false, payload.p, payload.len,
	    &err) == 0, "sign without the software header"))
		goto out;
	REFUSED(&doc, pol, NULL, CCC_ATTEST_AT_NOW, CCC_E_MALFORMED,
	    CCC_ATTEST_MALFORMED, "malformed document",
	    "module_id says software, the protected header does not");
out:
	EVP_PKEY_free(key);
	BIO_free(bio);
	ccc_attest_policy_free(pol);
	ccc_buf_free(&pem);
	ccc_buf_free(&doc);
	ccc_buf_free(&payload);
}

/* ---- the policy file ----------------------------------------------------- */

struct badpol {
	const char *text;
	const char *detail;	/* prefix */
};

#define V1 "ccc-attest-policy 1\n"
#define R1 "root aws-nitro sha256:" AWS_ROOT_SHA256 "\n"
#define P48 "000000000000000000000000000000000000000000000000" \
	"000000000000000000000000000000000000000000000000"

static const struct badpol badpols[] = {
	{ "", "not a policy" },
	{ "# nothing\n", "not a policy" },
	{ "ccc-attest-policy 2\n", "line 1: expected \"ccc-attest-policy 1\"" },
	{ R1 V1, "line 1: expected" },
	{ V1 "measurements any\n", "no root" },
	{ V1 R1, "no measurements line" },
	{ V1 R1 "measurements any\nfrobnicate 1\n",
	    "line 4: unknown directive \"frobnicate\"" },
	{ V1 R1 "measurements any\n" V1, "line 4: \"ccc-attest-policy\" "
	    "repeated" },
	{ V1 "root tpm sha256:" AWS_ROOT_SHA256 "\n", "line 2: root kind" },
	{ V1 "root aws-nitro sha256:641a\n", "line 2: sha256: needs 64" },
	{ V1 "root aws-nitro sha256:" AWS_ROOT_SHA256 "00\n",
	    "line 2: sha256: needs 64" },
	{ V1 "root aws-nitro\n", "line 2: expected \"root KIND PIN" },
	{ V1 R1 R1, "line 3: root name \"aws-nitro\" repeated" },
	{ V1 R1 "root aws-nitro sha256:" AWS_ROOT_SHA256 " again\n",
	    "line 3: root \"aws-nitro\" pinned twice" },
	{ V1 "root software no-such-file.pem\n",
	    "line 2: certificate \"" },
	{ V1 R1 "measurements a pcr0=" P48 " pcr0=" P48 "\n",
	    "line 3: pcr0 repeated" },
	{ V1 R1 "measurements a pcr32=" P48 "\n", "line 3: PCR index" },
	{ V1 R1 "measurements a pcr01=" P48 "\n", "line 3: expected pcrN=HEX" },
	{ V1 R1 "measurements a pcr0=00\n", "line 3: pcr0: expected 64" },
	{ V1 R1 "measurements a\n", "line 3: expected \"measurements NAME" },
	{ V1 R1 "measurements any pcr0=" P48 "\n",
	    "line 3: a measurement set name" },
	{ V1 R1 "measurements a pcr0=" P48 "\nmeasurements a pcr1=" P48 "\n",
	    "line 4: measurement set \"a\" repeated" },
	{ V1 R1 "measurements any\nmax-age 0\n", "line 4: 0 is out of range" },
	{ V1 R1 "measurements any\nmax-age 5m\n",
	    "line 4: \"5m\" is not a number of seconds" },
	{ V1 R1 "measurements any\nmax-age 316224001\n",
	    "line 4: 316224001 is out of range" },
	{ V1 R1 "measurements any\nmax-age 60\nmax-age 60\n",
	    "line 5: \"max-age\" repeated" },
	{ V1 R1 "measurements any\nallow-software maybe\n",
	    "line 4: expected yes or no" },
	{ V1 R1 "measurements any\nallow-debug\n",
	    "line 4: \"allow-debug\" takes one value" },
	{ V1 R1 "measurements any\nrequire-challenge always\n",
	    "line 4: expected yes or no" },
	{ V1 R1 "measurements any\nrequire-challenge no\nrequire-challenge "
	    "yes\n", "line 5: \"require-challenge\" repeated" },
	{ V1 R1 "measurements any\nfuture-skew -1\n",
	    "line 4: \"-1\" is not a number" },
	{ V1 "root aws-nitro \\\n sha256:" AWS_ROOT_SHA256 " bad/name\n",
	    "line 2: a root name" },
};

static void
test_policy(void)
{
	struct ccc_attest_policy *pol;
	struct ccc_err err;
	size_t i;
	int rc;

	pol = policy("# a policy\r\n"
	    "ccc-attest-policy 1   # version\r\n"
	    "root aws-nitro sha256:64:1A:03:21:A3:E2:44:EF:E4:56:46:31:95:D6:"
	    "06:31:7E:D7:CD:CC:3C:17:56:E0:98:93:F3:C6:8F:79:BB:5B aws\n"
	    "measurements set-1 \\\n"
	    "    pcr0=" P48 " \\\n"
	    "    pcr15=" P48 "\n"
	    "\tmeasurements any\n"
	    "max-age 60\nfuture-skew 0\nallow-software yes\nallow-debug no\n"
	    "require-challenge yes\n");
	ok(pol != NULL && pol->nroots == 1 && pol->roots[0].kind ==
	    CCC_ATTEST_KIND_AWS_NITRO && hex_is(pol->roots[0].sha256, 32,
	    AWS_ROOT_SHA256) && pol->nsets == 1 && pol->sets[0].len[0] == 48 &&
	    pol->sets[0].len[15] == 48 && pol->sets[0].len[1] == 0 &&
	    pol->any_measurement && pol->max_age_ms == 60000 &&
	    pol->future_skew_ms == 0 && pol->allow_software &&
	    !pol->allow_debug && pol->require_challenge, "a policy with "
	    "comments, CRLF, continued lines, the AWS colon fingerprint form");
	ccc_attest_policy_free(pol);
	pol = policy(V1 R1 "measurements any\n");
	ok(pol != NULL && pol->max_age_ms == 300000 &&
	    pol->future_skew_ms == 30000 && !pol->allow_software &&
	    !pol->allow_debug && !pol->require_challenge &&
	    strcmp(pol->roots[0].name, "aws-nitro") == 0, "defaults: max-age "
	    "300, future-skew 30, no software, no debug, no challenge needed");
	ccc_attest_policy_free(pol);
	for (i = 0; i < sizeof(badpols) / sizeof(badpols[0]); i++) {
		pol = ccc_attest_policy_new();
		ccc_err_clear(&err);
		rc = ccc_attest_policy_parse(pol, badpols[i].text,
		    strlen(badpols[i].text), tmpdir, &err);
		ok(rc != 0 && strncmp(err.detail, badpols[i].detail,
		    strlen(badpols[i].detail)) == 0, "policy refused: %s",
		    err.detail);
		ccc_attest_policy_free(pol);
	}
	pol = ccc_attest_policy_new();
	ccc_err_clear(&err);
	ok(ccc_attest_policy_parse(pol, "ccc-attest-policy 1\0", 20, NULL,
	    &err) == CCC_E_MALFORMED, "a NUL byte: not a text file");
	ccc_attest_policy_free(pol);
}

static void
test_time(void)
{
	static const struct {
		const char *s;
		int rc;
		int64_t ms;
	} t[] = {
		{ "1725721200", 0, 1725721200000LL },
		{ "0", 0, 0 },
		{ "2024-09-07T15:00:00Z", 0, 1725721200000LL },
		{ "2024-09-07t15:00:00z", 0, 1725721200000LL },
		{ "2024-09-07T14:37:39.545Z", 0, 1725719859545LL },
		{ "2024-09-07T14:37:39.5Z", 0, 1725719859500LL },
		{ "2024-09-07T14:37:39.123456789Z", 0, 1725719859123LL },
		{ "now", 0, CCC_ATTEST_AT_NOW },
		{ "document", 0, CCC_ATTEST_AT_DOCUMENT },
		{ "2024-02-30T00:00:00Z", -1, 0 },
		{ "2024-09-07T15:00:00", -1, 0 },
		{ "2024-09-07T15:00:00+02:00", -1, 0 },
		{ "2024-09-07 15:00:00Z", -1, 0 },
		{ "2024-09-07T25:00:00Z", -1, 0 },
		{ "2024-09-07T15:00:00.Z", -1, 0 },
		{ "1969-12-31T23:59:59Z", -1, 0 },
		{ "-1", -1, 0 },
		{ "999999999999", -1, 0 },
		{ "", -1, 0 },
		{ "yesterday", -1, 0 },
	};
	char buf[40];
	size_t i;
	int64_t ms;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ms = 0;
		ok(ccc_attest_parse_time(t[i].s, &ms) == t[i].rc &&
		    (t[i].rc != 0 || ms == t[i].ms), "time \"%s\"", t[i].s);
	}
	ccc_attest_format_time(buf, sizeof(buf), 1725719859545ULL);
	ok(strcmp(buf, "2024-09-07T14:37:39.545Z") == 0, "format %s", buf);
}

/* ---- mutation ------------------------------------------------------------ */

/*
 * Every single-bit flip and every truncation of the veracruz document,
 * verified the way ccc-attest-verify does at its README time under a
 * policy that accepts the original: none may verify, and each failure must
 * carry a reason.  Two processes share the work (one per core).
 */
static void
test_mutation(void)
{
	struct ccc_attest_policy *pol;
	struct ccc_attest_report rep;
	struct ccc_buf mut;
	struct ccc_err err;
	size_t i, bad = 0, noreason = 0, nbits;
	int b, half, status = 0;
	pid_t pid;

	pol = policy(V1 R1 "measurements any\nmax-age 3600\n");
	if (!ok(pol != NULL, "mutation policy"))
		return;
	ccc_buf_init(&mut, 0);
	nbits = veracruz.len * 9;	/* 8 flips and one cut per byte */
	fflush(stdout);
	pid = fork();
	half = pid == 0 ? 1 : 0;
	for (i = (size_t)half; i < nbits; i += 2) {
		size_t at = i / 9;
		b = (int)(i % 9);
		ccc_buf_reset(&mut);
		if (ccc_buf_put(&mut, veracruz.p, b < 8 ? veracruz.len : at) !=
		    0)
			continue;
		if (b < 8)
			mut.p[at] ^= (uint8_t)(1u << b);
		ccc_err_clear(&err);
		if (ccc_attest_verify(mut.p, mut.len, pol, NULL, VERACRUZ_AT,
		    &rep, &err) == 0)
			bad++;
		else if (rep.reason == CCC_ATTEST_OK ||
		    rep.reason == CCC_ATTEST_OTHER || err.detail[0] == '\0')
			noreason++;
	}
	ccc_buf_free(&mut);
	ccc_attest_policy_free(pol);
	if (pid == 0)
		_exit(bad == 0 && noreason == 0 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		status = 1;
	ok(bad == 0 && noreason == 0 && status == 0,
	    "all %zu bit flips and %zu truncations of the veracruz document "
	    "refused with a reason (here: %zu accepted, %zu without a reason; "
	    "the other half: %s)", veracruz.len * 8, veracruz.len, bad,
	    noreason, status == 0 ? "ok" : "FAILED");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	if (!ok(load_docs(), "read the two real Nitro documents"))
		return tap_done();
	if (!ok(make_identities(), "software roots and enclave certificates; "
	    "an existing output is not replaced without force"))
		return tap_done();
	test_nitro_payload();
	test_nitro_bad_payloads();
	test_real();
	test_policy();
	test_time();
	test_software();
	test_marks();
	test_mutation();
	remove_identities();
	ccc_buf_free(&blocky);
	ccc_buf_free(&veracruz);
	return tap_done();
}
