#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "json.h"
#include "vault.h"

/* A share's JSON is 229 bytes; sealed, 277. */
#define SHARE_JSON_MAX 512
#define SEALED_MAX (SHARE_JSON_MAX + crypto_box_SEALBYTES)

int
ccc_vault_share_seal(struct ccc_buf *out, const struct ccc_tdh2_dshare *ds,
    const uint8_t pk[32])
{
	struct ccc_buf j;
	uint8_t sealed[SEALED_MAX];
	size_t n;
	int rc;

	ccc_buf_init(&j, 1);
	if ((rc = ccc_json_dshare_export(&j, ds)) != 0)
		goto out;
	if (j.len > SHARE_JSON_MAX) {
		rc = CCC_E_INTERNAL;
		goto out;
	}
	n = j.len + crypto_box_SEALBYTES;
	if (crypto_box_seal(sealed, j.p, j.len, pk) != 0) {
		rc = CCC_E_CRYPTO;
		goto out;
	}
	if ((rc = ccc_buf_reserve(out, 2 * n + 2)) != 0)
		goto out;
	sodium_bin2hex((char *)out->p + out->len, 2 * n + 1, sealed, n);
	out->len += 2 * n;
	rc = ccc_buf_put(out, "\n", 1);
out:
	ccc_buf_free(&j);
	return rc;
}

static bool
all_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' &&
		    p[i] <= 'f') || (p[i] >= 'A' && p[i] <= 'F')))
			return false;
	return n % 2 == 0;
}

int
ccc_vault_share_open(struct ccc_tdh2_dshare *ds, const char *p, size_t len,
    const uint8_t *sk, const uint8_t *pk, uint32_t n, struct ccc_err *err)
{
	uint8_t sealed[SEALED_MAX], plain[SHARE_JSON_MAX];
	size_t slen = 0;
	int rc, bad;

	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
		len--;
	if (len > 0 && p[0] == '{')
		return ccc_json_dshare_import(ds, p, len, n, err);
	if (len >= 4 && memcmp(p, "b64:", 4) == 0) {
		p += 4;
		len -= 4;
		bad = sodium_base642bin(sealed, sizeof(sealed), p, len, NULL,
		    &slen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0;
	} else if (all_hex(p, len))
		bad = sodium_hex2bin(sealed, sizeof(sealed), p, len, NULL,
		    &slen, NULL) != 0;
	else
		bad = sodium_base642bin(sealed, sizeof(sealed), p, len, NULL,
		    &slen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0;
	if (bad || slen <= crypto_box_SEALBYTES)
		return ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "a sealed "
		    "decryption share is hex, b64: and base64, or base64 of "
		    "at most %d bytes", SEALED_MAX);
	if (sk == NULL)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "a sealed "
		    "Chainlink share needs the X25519 key (-x)");
	if (crypto_box_seal_open(plain, sealed, slen, pk, sk) != 0)
		return ccc_err_set(err, CCC_E_DECRYPT, -1, NULL, "the sealed "
		    "decryption share does not open with this X25519 key");
	rc = ccc_json_dshare_import(ds, (const char *)plain,
	    slen - crypto_box_SEALBYTES, n, err);
	sodium_memzero(plain, sizeof(plain));
	return rc;
}
