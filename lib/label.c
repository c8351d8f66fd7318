#include "config.h"

#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "label.h"

/* Whether p[0..n) is n hex digits (lowercase only when lower). */
static bool
hexdigits(const char *p, size_t n, bool lower)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' &&
		    p[i] <= 'f') || (!lower && p[i] >= 'A' && p[i] <= 'F')))
			return false;
	return true;
}

static bool
zero(const uint8_t *p, size_t n)
{
	return sodium_is_zero(p, n) == 1;
}

/* The label of hex[0..2*n) into out + 32 - n; checked to be hex. */
static void
unhex(uint8_t out[32], const char *hex, size_t n)
{
	memset(out, 0, 32);
	(void)sodium_hex2bin(out + 32 - n, n, hex, 2 * n, NULL, NULL, NULL);
}

int
ccc_label(uint8_t out[32], const char *ctx, size_t len, struct ccc_err *err)
{
	memset(out, 0, 32);
	if (ctx == NULL)
		return 0;
	if (len >= 6 && memcmp(ctx, "owner:", 6) == 0) {
		if (len != 48 || memcmp(ctx + 6, "0x", 2) != 0 ||
		    !hexdigits(ctx + 8, 40, true))
			return ccc_err_set(err, CCC_E_FIELD, -1, "context",
			    "an owner label is owner:0x and 40 lowercase hex "
			    "digits");
		unhex(out, ctx + 8, 20);
		if (zero(out, 32))
			return ccc_err_set(err, CCC_E_FIELD, -1, "context",
			    "the owner address is zero (the unlabelled label)");
	} else if (len >= 6 && memcmp(ctx, "label:", 6) == 0) {
		if (len != 70 || !hexdigits(ctx + 6, 64, true))
			return ccc_err_set(err, CCC_E_FIELD, -1, "context",
			    "a raw label is label: and 64 lowercase hex digits");
		unhex(out, ctx + 6, 32);
		if (zero(out, 32))
			return ccc_err_set(err, CCC_E_FIELD, -1, "context",
			    "the zero label is spelled as no context");
		if (zero(out, 12))
			return ccc_err_set(err, CCC_E_FIELD, -1, "context",
			    "a raw label that starts with 12 zero bytes is "
			    "spelled owner:0x...");
	} else if (len >= 4 && memcmp(ctx, "org:", 4) == 0) {
		if (len == 4)
			return ccc_err_set(err, CCC_E_FIELD, -1, "context",
			    "an org label names an org id");
		crypto_hash_sha256(out, (const uint8_t *)ctx + 4, len - 4);
	} else
		crypto_hash_sha256(out, (const uint8_t *)ctx, len);
	return 0;
}

int
ccc_label_spell(char *out, size_t cap, enum ccc_label_kind kind,
    const char *arg, struct ccc_err *err)
{
	uint8_t l[32];
	size_t n = strlen(arg);
	const char *hex = arg;

	if (kind == CCC_LABEL_ORG) {
		if (n == 0 || 4 + n > CCC_CONTEXT_MAX || 4 + n >= cap)
			return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
			    "an org id is 1 to %d bytes", CCC_CONTEXT_MAX - 4);
		memcpy(out, "org:", 4);
		memcpy(out + 4, arg, n + 1);
		return 0;
	}
	if (kind == CCC_LABEL_OWNER) {
		if (n != 42 || (memcmp(arg, "0x", 2) != 0 &&
		    memcmp(arg, "0X", 2) != 0) || !hexdigits(arg + 2, 40,
		    false))
			return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
			    "an owner address is 0x and 40 hex digits");
		hex = arg + 2;
		n = 40;
	} else if (n != 64 || !hexdigits(arg, 64, false))
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "a raw label is 64 hex digits");
	if (cap < CCC_LABEL_SPELL_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "label");
	unhex(l, hex, n / 2);
	if (zero(l, 32))
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "the label is "
		    "all zero: that is no label");
	if (kind == CCC_LABEL_RAW && zero(l, 12))
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "a raw label "
		    "that starts with 12 zero bytes is an owner label: give "
		    "its address");
	ccc_label_name(out, l);
	return 0;
}

void
ccc_label_name(char out[CCC_LABEL_SPELL_MAX], const uint8_t l[32])
{
	if (zero(l, 32))
		out[0] = '\0';
	else if (zero(l, 12)) {
		memcpy(out, "owner:0x", 8);
		sodium_bin2hex(out + 8, 41, l + 12, 20);
	} else {
		memcpy(out, "label:", 6);
		sodium_bin2hex(out + 6, 65, l, 32);
	}
}
