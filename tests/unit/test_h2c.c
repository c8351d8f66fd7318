/*
 * Known-answer tests for lib/h2c.c: RFC 9380 J.1.1 (P256_XMD:SHA-256_SSWU_RO_)
 * and K.1, K.2 (expand_message_xmd with SHA-256), read from the CFRG vector
 * files exactly as published, plus the length limits.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "h2c.h"
#include "tap.h"

/*
 * A JSON scanner just big enough for the vector files.  Values are
 * pointers into the NUL-terminated text; every function takes and may
 * return NULL, so lookups chain without checks in between.
 */
static const char *
js_ws(const char *p)
{
	while (p != NULL && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

/* Decode the string at p into buf (NUL-terminated); its length or -1. */
static long
js_str(const char *p, char *buf, size_t max)
{
	size_t n = 0;
	unsigned c;

	if ((p = js_ws(p)) == NULL || *p++ != '"')
		return -1;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20 || n + 1 >= max)
			return -1;
		c = (unsigned char)*p;
		if (c == '\\') {
			switch (*++p) {
			case '"':
			case '\\':
			case '/':
				c = (unsigned char)*p;
				break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				/* ASCII is all the vector files need. */
				if (sscanf(p + 1, "%4x", &c) != 1 || c == 0 ||
				    c > 0x7f)
					return -1;
				p += 4;
				break;
			default:
				return -1;
			}
		}
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return (long)n;
}

/* The text after the value at p, or NULL if it is not well formed. */
static const char *
js_skip(const char *p)
{
	char close;
	size_t n;

	if ((p = js_ws(p)) == NULL)
		return NULL;
	if (*p == '"') {
		for (p++; *p != '"'; p++)
			if (*p == '\0' || (*p == '\\' && *++p == '\0'))
				return NULL;
		return p + 1;
	}
	if (*p == '{' || *p == '[') {
		close = *p == '{' ? '}' : ']';
		if (*(p = js_ws(p + 1)) == close)
			return p + 1;
		for (;;) {
			if (close == '}' && (*p != '"' ||
			    (p = js_ws(js_skip(p))) == NULL || *p++ != ':'))
				return NULL;
			if ((p = js_ws(js_skip(p))) == NULL)
				return NULL;
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
			p = js_ws(p);
		}
	}
	/* numbers, true, false, null */
	n = strspn(p, "+-.0123456789Eaeflnrstu");
	return n > 0 ? p + n : NULL;
}

/* The value of key in the object at p, or NULL. */
static const char *
js_get(const char *p, const char *key)
{
	char k[64];

	if ((p = js_ws(p)) == NULL || *p++ != '{')
		return NULL;
	while (*(p = js_ws(p)) == '"') {
		if (js_str(p, k, sizeof(k)) < 0)
			return NULL;
		p = js_ws(js_skip(p));
		if (p == NULL || *p++ != ':')
			return NULL;
		if (strcmp(k, key) == 0)
			return js_ws(p);
		if ((p = js_ws(js_skip(p))) == NULL || *p++ != ',')
			return NULL;
	}
	return NULL;
}

/* Element i of the array at p, or NULL. */
static const char *
js_at(const char *p, size_t i)
{
	if ((p = js_ws(p)) == NULL || *p++ != '[' || *js_ws(p) == ']')
		return NULL;
	for (; i > 0; i--)
		if ((p = js_ws(js_skip(p))) == NULL || *p++ != ',')
			return NULL;
	return js_ws(p);
}

/* A vector file, NUL-terminated, or NULL. */
static char *
slurp(const char *rel)
{
	FILE *f;
	char *s = NULL;
	long n;

	if ((f = fopen(tap_vector(rel), "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL) {
		if (fread(s, 1, (size_t)n, f) == (size_t)n) {
			s[n] = '\0';
		} else {
			free(s);
			s = NULL;
		}
	}
	fclose(f);
	return s;
}

/* A coordinate "0x" + 64 hex digits into 32 bytes. */
static int
coord(unsigned char out[32], const char *v)
{
	char hex[80];

	return js_str(v, hex, sizeof(hex)) == 66 &&
	    strncmp(hex, "0x", 2) == 0 && tap_unhex(out, 32, hex + 2) == 32;
}

static void
test_hash_to_curve(void)
{
	const char *file = "hash-to-curve/P256_XMD_SHA-256_SSWU_RO_.json";
	const char *v;
	char *doc, dst[256], msg[1024];
	unsigned char want[65], got[65];
	long dst_len, msg_len;
	size_t i;

	doc = slurp(file);
	dst_len = js_str(js_get(doc, "dst"), dst, sizeof(dst));
	for (i = 0; (v = js_at(js_get(doc, "vectors"), i)) != NULL; i++) {
		want[0] = 0x04;
		msg_len = js_str(js_get(v, "msg"), msg, sizeof(msg));
		ok(dst_len > 0 && msg_len >= 0 &&
		    coord(want + 1, js_get(js_get(v, "P"), "x")) &&
		    coord(want + 33, js_get(js_get(v, "P"), "y")) &&
		    ccc_h2c_p256(got, (uint8_t *)msg, (size_t)msg_len,
		    (uint8_t *)dst, (size_t)dst_len) == 0 &&
		    memcmp(got, want, sizeof(want)) == 0,
		    "hash_to_curve P256 vector %zu msg \"%.16s%s\"", i, msg,
		    msg_len > 16 ? "..." : "");
	}
	/* A scanner that lost its way must not pass by checking nothing. */
	ok(i == 5, "%s: %zu vectors read (5 expected)", file, i);
	free(doc);
}

static void
test_expand(const char *file, const char *what)
{
	const char *v;
	char *doc, dstbuf[512], msg[1024], hex[2 * 256 + 1];
	unsigned char want[256], got[256], dst_prime[256];
	const unsigned char *dst = (unsigned char *)dstbuf;
	unsigned char small[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	long dst_len, msg_len, len;
	size_t i;

	doc = slurp(file);
	dst_len = js_str(js_get(doc, "DST"), dstbuf, sizeof(dstbuf));
	if (dst_len > CCC_H2C_DST_MAX_BYTES) {
		/* RFC 9380 5.3.3: the caller reduces an oversize DST. */
		crypto_hash_sha256_init(&st);
		crypto_hash_sha256_update(&st,
		    (const unsigned char *)"H2C-OVERSIZE-DST-", 17);
		crypto_hash_sha256_update(&st, dst, (size_t)dst_len);
		crypto_hash_sha256_final(&st, small);
		dst = small;
		dst_len = sizeof(small);
	}
	for (i = 0; (v = js_at(js_get(doc, "tests"), i)) != NULL; i++) {
		msg_len = js_str(js_get(v, "msg"), msg, sizeof(msg));
		len = js_str(js_get(v, "len_in_bytes"), hex, sizeof(hex)) > 0 ?
		    strtol(hex, NULL, 16) : -1;
		/* DST_prime from the file checks the oversize reduction too. */
		ok(dst_len > 0 && msg_len >= 0 && len > 0 &&
		    len <= (long)sizeof(want) &&
		    js_str(js_get(v, "DST_prime"), hex, sizeof(hex)) > 0 &&
		    tap_unhex(dst_prime, sizeof(dst_prime), hex) ==
		    dst_len + 1 &&
		    memcmp(dst_prime, dst, (size_t)dst_len) == 0 &&
		    dst_prime[dst_len] == dst_len &&
		    js_str(js_get(v, "uniform_bytes"), hex, sizeof(hex)) > 0 &&
		    tap_unhex(want, sizeof(want), hex) == len &&
		    ccc_h2c_expand_xmd(got, (size_t)len, (uint8_t *)msg,
		    (size_t)msg_len, dst, (size_t)dst_len) == 0 &&
		    memcmp(got, want, (size_t)len) == 0,
		    "expand_message_xmd %s vector %zu len %ld msg \"%.16s%s\"",
		    what, i, len, msg,
		    msg_len > 16 ? "..." : "");
	}
	ok(i == 10, "%s: %zu vectors read (10 expected)", file, i);
	free(doc);
}

static void
test_limits(void)
{
	static uint8_t dst[256], out[CCC_H2C_XMD_MAX_BYTES + 1];
	uint8_t pt[CCC_H2C_P256_BYTES];

	memset(dst, 'D', sizeof(dst));
	memset(pt, 0xaa, sizeof(pt));
	ok(ccc_h2c_expand_xmd(out, 32, NULL, 0, dst, 256) == CCC_E_FIELD,
	    "expand_message_xmd refuses a 256-byte DST");
	ok(ccc_h2c_expand_xmd(out, 32, NULL, 0, dst, 255) == 0,
	    "expand_message_xmd takes a 255-byte DST");
	ok(ccc_h2c_expand_xmd(out, 32, NULL, 0, dst, 0) == CCC_E_FIELD,
	    "expand_message_xmd refuses an empty DST");
	ok(ccc_h2c_expand_xmd(out, CCC_H2C_XMD_MAX_BYTES + 1, NULL, 0, dst,
	    32) == CCC_E_FIELD, "expand_message_xmd refuses out_len 8161");
	ok(ccc_h2c_expand_xmd(out, CCC_H2C_XMD_MAX_BYTES, NULL, 0, dst,
	    32) == 0, "expand_message_xmd takes out_len 8160");
	ok(ccc_h2c_expand_xmd(out, 0, NULL, 0, dst, 32) == CCC_E_FIELD,
	    "expand_message_xmd refuses out_len 0");
	ok(ccc_h2c_p256(pt, (const uint8_t *)"abc", 3, dst, 256) ==
	    CCC_E_FIELD && pt[0] == 0xaa,
	    "hash_to_curve refuses a 256-byte DST and leaves out alone");
}

int
main(void)
{
	test_hash_to_curve();
	test_expand("hash-to-curve/expand_message_xmd_SHA256_38.json",
	    "38-byte DST");
	test_expand("hash-to-curve/expand_message_xmd_SHA256_256.json",
	    "256-byte DST");
	test_limits();
	return tap_done();
}
