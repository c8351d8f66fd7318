/* Contributions: an additive input signed by its contributor. */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "blob.h"
#include "contribution.h"
#include "schemas.h"

int
ccc_contribution_decode(struct ccc_contribution *c, const uint8_t *p,
    size_t len, long long base, struct ccc_err *err)
{
	struct ccc_val v[CTB_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_contribution, p, len, v, base,
	    err)) != 0)
		return rc;
	c->input = v[CTB_INPUT].p;
	c->input_len = v[CTB_INPUT].n;
	c->pk = v[CTB_CONTRIBUTOR].p;
	c->sig = v[CTB_SIG].p;
	crypto_hash_sha256(c->digest, c->input, c->input_len);
	return 0;
}

int
ccc_contribution_verify(const struct ccc_contribution *c,
    struct ccc_err *err)
{
	if (ccc_identity_verify_digest(c->sig, c->pk,
	    CCC_CONTRIBUTION_PURPOSE, c->digest) != 0)
		return ccc_err_set(err, CCC_E_SIGNATURE, -1, "sig",
		    "the contribution's signature does not verify");
	return 0;
}

int
ccc_contribution_make(struct ccc_buf *out, const uint8_t *input,
    size_t len, const struct ccc_identity *id, struct ccc_err *err)
{
	struct ccc_val v[CTB_NFIELDS];
	uint8_t d[32], sig[64];
	int rc;

	crypto_hash_sha256(d, input, len);
	if (ccc_identity_sign_digest(sig, id, CCC_CONTRIBUTION_PURPOSE,
	    d) != 0)
		return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "sign");
	ccc_val_bytes(&v[CTB_INPUT], input, len);
	ccc_val_bytes(&v[CTB_CONTRIBUTOR], id->pk, 32);
	ccc_val_bytes(&v[CTB_SIG], sig, 64);
	if ((rc = ccc_blob_encode(out, &ccc_schema_contribution, v)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "contribution");
	return 0;
}
