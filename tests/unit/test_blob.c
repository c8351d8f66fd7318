/*
 * Blob schemas: encode/decode round trips and every schema-level refusal
 * (wrong type, unknown key, missing field, size and range bounds,
 * trailing bytes), with the messages a user sees.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "keys.h"
#include "quorum.h"
#include "schemas.h"
#include "seal.h"
#include "tap.h"

static int
decode_hex(const struct ccc_schema *s, const char *hex, struct ccc_err *err)
{
	unsigned char in[512];
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	long n = tap_unhex(in, sizeof(in), hex);

	ccc_err_clear(err);
	return ccc_blob_decode(s, in, (size_t)n, v, 0, err);
}

/*
 * A sealed blob whose shares are byte strings of sizes[0..n) (all zero
 * bytes), in b, decoded into v and s.
 */
static int
sealed_with(struct ccc_buf *b, const size_t *sizes, size_t n,
    struct ccc_val *v, struct ccc_sealed *s, struct ccc_err *err)
{
	struct ccc_val hv[SEALED_NFIELDS];
	static const uint8_t z[400];
	size_t i;
	int rc;

	memset(hv, 0, sizeof(hv));
	ccc_val_bytes(&hv[SEALED_KEY_ID], z, 32);
	ccc_val_uint(&hv[SEALED_EPOCH], 0);
	ccc_val_uint(&hv[SEALED_INDEX], 1);
	ccc_val_bytes(&hv[SEALED_CONTEXT], z, 32);
	ccc_val_bytes(&hv[SEALED_RECIPIENT], z, 32);
	ccc_val_uint(&hv[SEALED_COUNT], n);
	ccc_val_bytes(&hv[SEALED_ENC], z, 32);
	ccc_buf_reset(b);
	if (ccc_blob_encode_prefix(b, &ccc_schema_sealed, hv, 1) != 0 ||
	    ccc_cbor_put_uint(b, 8) != 0 || ccc_cbor_put_array(b, n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ccc_cbor_put_bstr(b, z, sizes[i]) != 0)
			return -1;
	ccc_err_clear(err);
	if ((rc = ccc_blob_decode(&ccc_schema_sealed, b->p, b->len, v, 0,
	    err)) != 0)
		return rc;
	return ccc_sealed_decode(s, b->p, b->len, err);
}

int
main(void)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_share *sh, *sh2;
	struct ccc_buf b, b2;
	struct ccc_err err;
	uint8_t pk[32];
	int rc;

	if (sodium_init() < 0)
		return 99;
	ccc_buf_init(&b, 0);
	ccc_buf_init(&b2, 0);

	/* recipient-pub: {0: "ccc/recipient-pub/v1", 1: h'00..'} */
	memset(pk, 0xab, 32);
	ok(ccc_recipient_pub_encode(&b, pk) == 0 && b.p[0] == 0xa2 &&
	    b.p[1] == 0x00 && b.p[2] == 0x74, "recipient-pub is a 2-entry map, "
	    "key 0 first, a 20-byte type string");
	ok(ccc_blob_decode(&ccc_schema_recipient_pub, b.p, b.len, v, 0,
	    NULL) == 0 && v[RPUB_PK].n == 32 &&
	    memcmp(v[RPUB_PK].p, pk, 32) == 0, "recipient-pub decodes back");

	sh = ccc_share_new();
	sh2 = ccc_share_new();
	sh->index = 7;
	sh->epoch = 300;
	randombytes_buf(sh->key_id, 32);
	randombytes_buf(sh->x, 32);
	ok(ccc_share_encode(&b2, sh) == 0 &&
	    ccc_share_load(sh2, b2.p, b2.len, NULL) == 0 &&
	    sodium_memcmp(sh, sh2, sizeof(*sh)) == 0, "a share round-trips");
	b.len = 0;
	ok(ccc_share_encode(&b, sh2) == 0 && b.len == b2.len &&
	    memcmp(b.p, b2.p, b.len) == 0, "re-encoding gives the same bytes");

	ccc_err_clear(&err);
	rc = ccc_blob_decode(&ccc_schema_tpk, b.p, b.len, v, 0, &err);
	ok(rc == CCC_E_TYPE && strcmp(err.detail, "expected a threshold "
	    "public key (ccc/tpk/v1), found a key share (ccc/share/v1)") == 0,
	    "a share where a public key is expected: %s", err.detail);

	/* Trailing byte after a valid share. */
	b.p[b.len++] = 0x00;
	ccc_err_clear(&err);
	ok(ccc_blob_decode(&ccc_schema_share, b.p, b.len, v, 0, &err) ==
	    CCC_E_MALFORMED && err.off == (long long)b.len - 1,
	    "a trailing byte is refused at its offset: %s", err.detail);

	/* {0: "ccc/recipient-pub/v1"} without field 1 */
	rc = decode_hex(&ccc_schema_recipient_pub,
	    "a100746363632f726563697069656e742d7075622f7631", &err);
	ok(rc == CCC_E_FIELD && strcmp(err.detail, "missing field pk "
	    "(key 1)") == 0, "a missing field is named: %s", err.detail);
	/* pk of 31 bytes */
	rc = decode_hex(&ccc_schema_recipient_pub,
	    "a200746363632f726563697069656e742d7075622f7631"
	    "01581f00000000000000000000000000000000000000000000000000000000000000",
	    &err);
	ok(rc == CCC_E_FIELD && strcmp(err.detail, "pk: 31 bytes, expected "
	    "32") == 0, "a short field is refused: %s", err.detail);
	/* unknown key 2 */
	rc = decode_hex(&ccc_schema_recipient_pub,
	    "a300746363632f726563697069656e742d7075622f7631"
	    "01582000000000000000000000000000000000000000000000000000000000000000000200",
	    &err);
	ok(rc == CCC_E_MALFORMED && strcmp(err.detail, "unknown key 2 in a "
	    "recipient public key") == 0, "an unknown key is refused: %s",
	    err.detail);
	/* An unknown type string. */
	rc = decode_hex(&ccc_schema_recipient_pub, "a10063666f6f", &err);
	ok(rc == CCC_E_TYPE && strstr(err.detail, "found type \"foo\"") !=
	    NULL, "an unknown type is named: %s", err.detail);
	/* Not a map at all. */
	rc = decode_hex(&ccc_schema_recipient_pub, "00", &err);
	ok(rc == CCC_E_MALFORMED, "a bare integer is not a blob: %s",
	    err.detail);
	/* index 0 in a share is out of range (1..255). */
	sh->index = 0;
	b.len = 0;
	ccc_err_clear(&err);
	ok(ccc_share_encode(&b, sh) == 0 &&
	    ccc_blob_decode(&ccc_schema_share, b.p, b.len, v, 0, &err) ==
	    CCC_E_FIELD && strcmp(err.detail, "index: 0 is out of range "
	    "1..255") == 0, "an out-of-range index is refused: %s", err.detail);
	ok(ccc_blob_peek_type(b2.p, b2.len) == &ccc_schema_share,
	    "peek finds the type of a share");
	ok(ccc_schema_find("ccc/sealed/v1", 13) == &ccc_schema_sealed &&
	    ccc_schema_find("ccc/sealed/v2", 13) == NULL,
	    "schemas are found by exact type");
	{
		/*
		 * Oracle signatures are apart from DKG ones (lib/quorum.h)
		 * because no type has a ':' and each fits the purpose.
		 */
		size_t i, bad = 0;
		for (i = 0; ccc_schemas[i] != NULL; i++)
			if (strchr(ccc_schemas[i]->type, ':') != NULL ||
			    strlen(CCC_ORACLE_PURPOSE) +
			    strlen(ccc_schemas[i]->type) >=
			    CCC_ORACLE_PURPOSE_MAX)
				bad++;
		ok(i > 10 && bad == 0, "no type has a ':' and every oracle "
		    "purpose fits (%zu types)", i);
	}
	{
		/*
		 * Sealed shares come in two sizes (lib/seal.h): the first
		 * picks one, every other has it.
		 */
		static const size_t shorts[] = { 177, 177 },
		    longs[] = { 307, 307 }, long_short[] = { 307, 177 },
		    short_long[] = { 177, 307 }, odd[] = { 200 };
		struct ccc_sealed s;
		ok(sealed_with(&b, shorts, 2, v, &s, &err) == 0 &&
		    v[SEALED_SHARES].elem == 177 && !s.comm,
		    "shares of 177 bytes: records without commitments");
		ok(sealed_with(&b, longs, 2, v, &s, &err) == 0 &&
		    v[SEALED_SHARES].elem == 307 && s.comm &&
		    ccc_val_elem(&v[SEALED_SHARES], 307, 1) ==
		    b.p + b.len - 307,
		    "shares of 307 bytes: records with commitments");
		ok(sealed_with(&b, long_short, 2, v, &s, &err) ==
		    CCC_E_FIELD && strcmp(err.detail, "shares: 177 bytes, "
		    "expected 307 as the first") == 0 && err.off ==
		    (long long)(b.len - 179), "a short share after a long "
		    "one is refused where it starts: %s", err.detail);
		ok(sealed_with(&b, short_long, 2, v, &s, &err) ==
		    CCC_E_FIELD && strcmp(err.detail, "shares: 307 bytes, "
		    "expected 177 as the first") == 0,
		    "a long share after a short one is refused: %s",
		    err.detail);
		ok(sealed_with(&b, odd, 1, v, &s, &err) == CCC_E_FIELD &&
		    strcmp(err.detail, "shares: 200 bytes, expected 177 or "
		    "307") == 0, "a share of neither size is refused: %s",
		    err.detail);
	}
	ccc_share_free(sh);
	ccc_share_free(sh2);
	ccc_buf_free(&b);
	ccc_buf_free(&b2);
	return tap_done();
}
