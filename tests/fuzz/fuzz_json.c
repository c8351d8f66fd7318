/*
 * Chainlink's JSON forms: the threshold public key, a private share, a
 * ciphertext (as its deployed encryptor writes them, or in the Vault DON's
 * hex and base64 forms) and a decryption share, plain or sealed.
 */
#include "config.h"

#include "ec.h"
#include "json.h"
#include "vault.h"
#include "fuzz.h"

FUZZ_TARGET(json)
{
	static struct ccc_ec *ec;
	struct ccc_tdh2_pub pub, shpub;
	struct ccc_share *sh;
	struct ccc_buf out;
	struct ccc_err err;
	const char *json = (const char *)data;

	fuzz_init();
	memset(&pub, 0, sizeof(pub));
	if (ec == NULL && (ec = ccc_ec_new()) == NULL)
		abort();
	(void)!ccc_json_looks_like(data, size);
	ccc_err_clear(&err);
	(void)!ccc_json_tpk_import(ec, &pub, json, size, 2, &err);
	ccc_tdh2_pub_free(&pub);

	/* A share import reads n, epoch and key id of the key. */
	memset(&shpub, 0, sizeof(shpub));
	shpub.t = 2;
	shpub.n = 3;
	if ((sh = ccc_share_new()) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_json_share_import(sh, json, size, &shpub, &err);
	ccc_share_free(sh);

	ccc_buf_init(&out, 0);
	ccc_err_clear(&err);
	(void)!ccc_json_ct_import(&out, json, size, NULL, &err);
	ccc_buf_reset(&out);
	ccc_err_clear(&err);
	(void)!ccc_json_ct_import(&out, json, size, "app1", &err);
	ccc_buf_free(&out);

	/* A Vault share: JSON, or sealed to a fixed key (opens nothing). */
	{
		static const uint8_t sk[32] = { 1 }, pk[32] = { 9 };
		struct ccc_tdh2_dshare ds;
		ccc_err_clear(&err);
		(void)!ccc_vault_share_open(&ds, json, size, sk, pk, 5, &err);
		ccc_err_clear(&err);
		(void)!ccc_json_dshare_import(&ds, json, size, 5, &err);
	}
	return 0;
}
