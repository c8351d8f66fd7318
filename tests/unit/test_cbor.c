/*
 * The CBOR layer: shortest-form encoding, and the strict validator's
 * refusal of every non-deterministic or dangerous encoding, each with the
 * byte offset it reports.
 */
#include "config.h"

#include <string.h>

#include "cbor.h"
#include "tap.h"

static void
enc_uint(uint64_t v, const char *hex)
{
	struct ccc_buf b;
	unsigned char want[16];
	long n = tap_unhex(want, sizeof(want), hex);

	ccc_buf_init(&b, 0);
	ok(ccc_cbor_put_uint(&b, v) == 0 && (long)b.len == n &&
	    memcmp(b.p, want, b.len) == 0, "uint %llu encodes as %s",
	    (unsigned long long)v, hex);
	ccc_buf_free(&b);
}

struct bad {
	const char *hex;
	int profile;
	int code;
	long long off;
	const char *what;
};

static const struct bad bads[] = {
	{ "1805", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "non-shortest uint" },
	{ "190017", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "uint16 for 23" },
	{ "a1005800", CCC_CBOR_STRICT, CCC_E_MALFORMED, 2,
	    "non-shortest byte string length" },
	{ "5f4100ff", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0,
	    "indefinite byte string" },
	{ "9f01ff", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "indefinite array" },
	{ "bf0000ff", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "indefinite map" },
	{ "c24100", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "a tag" },
	{ "f93c00", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "a half float" },
	{ "fb3ff0000000000000", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0,
	    "a double" },
	{ "f6", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "null" },
	{ "f7", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "undefined" },
	{ "20", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "a negative integer" },
	{ "a201000000", CCC_CBOR_STRICT, CCC_E_MALFORMED, 3,
	    "map keys out of order" },
	{ "a200000000", CCC_CBOR_STRICT, CCC_E_MALFORMED, 3, "duplicate key" },
	{ "a1616100", CCC_CBOR_STRICT, CCC_E_MALFORMED, 1, "a text map key" },
	{ "4201", CCC_CBOR_STRICT, CCC_E_TRUNCATED, 0,
	    "byte string past the end" },
	{ "8301", CCC_CBOR_STRICT, CCC_E_TRUNCATED, 0,
	    "array count past the end" },
	{ "9affffffff", CCC_CBOR_STRICT, CCC_E_TOOBIG, 0,
	    "an array of 2^32-1 items" },
	{ "62c328", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "invalid UTF-8" },
	{ "63eda080", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0,
	    "a UTF-8 surrogate" },
	{ "62c0af", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "overlong UTF-8" },
	{ "1c", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "reserved value 28" },
	{ "ff", CCC_CBOR_STRICT, CCC_E_MALFORMED, 0, "a lone break" },
	{ "", CCC_CBOR_STRICT, CCC_E_TRUNCATED, 0, "empty input" },
	{ "9f01ff", CCC_CBOR_FOREIGN, CCC_E_MALFORMED, 0,
	    "indefinite array (foreign)" },
	{ "1805", CCC_CBOR_FOREIGN, CCC_E_MALFORMED, 0,
	    "non-shortest uint (foreign)" },
	{ "d81200", CCC_CBOR_FOREIGN, CCC_E_MALFORMED, 0,
	    "non-shortest tag head (foreign)" },
	{ "df00", CCC_CBOR_FOREIGN, CCC_E_MALFORMED, 0,
	    "a reserved tag head (foreign)" },
};

static void
validator(void)
{
	unsigned char in[64];
	struct ccc_err err;
	size_t i, ilen;
	long n;
	int rc;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		n = tap_unhex(in, sizeof(in), bads[i].hex);
		ccc_err_clear(&err);
		rc = ccc_cbor_check(in, (size_t)n, bads[i].profile, 1 << 20,
		    &ilen, 0, &err);
		ok(rc == bads[i].code && err.off == bads[i].off,
		    "%s is refused (%s at byte %lld; got %d at %lld: %s)",
		    bads[i].what, ccc_strerror(bads[i].code), bads[i].off,
		    rc, err.off, err.detail);
	}
}

static void
depth(void)
{
	unsigned char in[40];
	size_t ilen;
	int i;

	/* 16 nested arrays around 0 are fine; 17 are not. */
	for (i = 0; i < 16; i++)
		in[i] = 0x81;
	in[16] = 0x00;
	ok(ccc_cbor_check(in, 17, CCC_CBOR_STRICT, 100, &ilen, 0, NULL) == 0 &&
	    ilen == 17, "nesting depth 16 is accepted");
	for (i = 0; i < 17; i++)
		in[i] = 0x81;
	in[17] = 0x00;
	ok(ccc_cbor_check(in, 18, CCC_CBOR_STRICT, 100, &ilen, 0, NULL) ==
	    CCC_E_MALFORMED, "nesting depth 17 is refused");
}

static void
goods(void)
{
	unsigned char in[64];
	size_t ilen;
	long n;

	n = tap_unhex(in, sizeof(in), "a300616101426869028201f5ff");
	ok(ccc_cbor_check(in, (size_t)n, CCC_CBOR_STRICT, 64, &ilen, 0,
	    NULL) == 0 && ilen == (size_t)n - 1,
	    "a strict map frames, leaving the trailing byte to the caller");
	n = tap_unhex(in, sizeof(in), "d28443a10126a0f64100");
	ok(ccc_cbor_check(in, (size_t)n, CCC_CBOR_FOREIGN, 64, &ilen, 0,
	    NULL) == 0 && ilen == (size_t)n,
	    "a tagged COSE-like array passes the foreign profile");
	n = tap_unhex(in, sizeof(in), "a2616201616101");
	ok(ccc_cbor_check(in, (size_t)n, CCC_CBOR_FOREIGN, 64, &ilen, 0,
	    NULL) == 0, "unsorted text keys pass the foreign profile");
	n = tap_unhex(in, sizeof(in), "5a000001004100");
	ok(ccc_cbor_check(in, (size_t)n, CCC_CBOR_STRICT, 64, &ilen, 0,
	    NULL) == CCC_E_TOOBIG,
	    "a byte string longer than the cap is too large");
}

static void
cursor(void)
{
	unsigned char in[32];
	struct ccc_cur c;
	const uint8_t *p;
	size_t n;
	uint64_t v;
	long len = tap_unhex(in, sizeof(in), "a2011903e8024401020304");

	ccc_cur_init(&c, in, (size_t)len, 100, NULL);
	ok(ccc_cur_map(&c, &n, "m") == 0 && n == 2 &&
	    ccc_cur_uint(&c, &v, "k") == 0 && v == 1 &&
	    ccc_cur_uint(&c, &v, "v") == 0 && v == 1000 &&
	    ccc_cur_uint(&c, &v, "k") == 0 && v == 2 &&
	    ccc_cur_bstr(&c, &p, &n, "b") == 0 && n == 4 && p[3] == 4 &&
	    ccc_cur_pos(&c) == 100 + len, "the cursor walks a map");
	ccc_cur_init(&c, in, (size_t)len, 0, NULL);
	ok(ccc_cur_skip(&c) == 0 && c.off == (size_t)len,
	    "skip passes over a whole map");
}

int
main(void)
{
	enc_uint(0, "00");
	enc_uint(23, "17");
	enc_uint(24, "1818");
	enc_uint(255, "18ff");
	enc_uint(256, "190100");
	enc_uint(65535, "19ffff");
	enc_uint(65536, "1a00010000");
	enc_uint(4294967295ULL, "1affffffff");
	enc_uint(4294967296ULL, "1b0000000100000000");
	validator();
	depth();
	goods();
	cursor();
	return tap_done();
}
