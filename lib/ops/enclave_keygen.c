/*
 * ccc-enclave-run keygen: the enclave's fresh per-request key, attested
 * (lib/pool.h).  The secret goes to a 0600 file only ccc-enclave-run
 * reads, and which it erases once the request is served; the public blob
 * carries the attestation document that binds the key to this enclave.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "attest.h"
#include "enclave.h"
#include "hpke.h"
#include "io.h"
#include "keys.h"
#include "ops.h"
#include "outset.h"
#include "pool.h"
#include "result.h"
#include "schemas.h"

int
ccc_enclave_key_make(struct ccc_attest_signer *signer, const uint8_t rt[48],
    uint64_t now, uint64_t lifetime, const uint8_t *challenge,
    size_t challenge_len, uint8_t sk[32], uint8_t pk[32], struct ccc_buf *pb,
    struct ccc_err *err)
{
	struct ccc_nitro_claims claims;
	struct ccc_val v[EKEY_NFIELDS];
	struct ccc_buf doc;
	uint8_t eid[32], binding[32];
	uint64_t expires;
	int rc;

	if (lifetime == 0 || lifetime > CCC_ENCLAVE_KEY_MAX_LIFETIME)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-E: a key "
		    "lives 1 to %d seconds", CCC_ENCLAVE_KEY_MAX_LIFETIME);
	expires = now + lifetime;
	ccc_attest_signer_id(signer, eid);
	if ((rc = ccc_hpke_keygen(sk, pk)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "enclave key");
	ccc_buf_init(&doc, 0);
	ccc_enclave_key_binding(binding, eid, pk, expires, challenge,
	    challenge_len);
	memset(&claims, 0, sizeof(claims));
	claims.timestamp_ms = now * 1000;
	claims.pcr[CCC_PCR_RUNTIME] = rt;
	claims.public_key = pk;
	claims.public_key_len = 32;
	claims.user_data = binding;
	claims.user_data_len = 32;
	claims.nonce = challenge;
	claims.nonce_len = challenge_len;
	if ((rc = ccc_attest_sign_software(&doc, signer, &claims, err)) != 0)
		goto out;
	ccc_val_bytes(&v[EKEY_ENCLAVE], eid, 32);
	ccc_val_bytes(&v[EKEY_PK], pk, 32);
	ccc_val_uint(&v[EKEY_EXPIRES], expires);
	memset(&v[EKEY_CHALLENGE], 0, sizeof(v[EKEY_CHALLENGE]));
	if (challenge != NULL)
		ccc_val_bytes(&v[EKEY_CHALLENGE], challenge, challenge_len);
	ccc_val_bytes(&v[EKEY_DOC], doc.p, doc.len);
	if ((rc = ccc_blob_encode(pb, &ccc_schema_enclave_key, v)) != 0)
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "enclave key");
out:
	if (rc != 0)
		sodium_memzero(sk, 32);
	ccc_buf_free(&doc);
	return rc;
}

int
ccc_enclave_keygen(const struct ccc_ekeygen_opts *o, struct ccc_err *err)
{
	struct ccc_attest_signer *signer = NULL;
	struct ccc_buf sb, pb;
	uint8_t *sk = NULL, pk[32], rt[48];
	int rc;

	ccc_buf_init(&sb, 1);
	ccc_buf_init(&pb, 0);
	if ((rc = ccc_attest_signer_load(&signer, o->attest_key, err)) != 0 ||
	    (rc = ccc_enclave_runtime(rt, err)) != 0)
		goto out;
	if ((sk = sodium_malloc(32)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "key");
		goto out;
	}
	if ((rc = ccc_enclave_key_make(signer, rt, o->now, o->lifetime,
	    o->challenge, o->challenge_len, sk, pk, &pb, err)) != 0)
		goto out;
	if ((rc = ccc_recipient_key_encode(&sb, sk, pk)) != 0) {
		rc = ccc_err_set(err, rc, -1, NULL, "enclave key");
		goto out;
	}
	rc = ccc_write_key_pair(o->secret, sb.p, sb.len, o->out, pb.p, pb.len,
	    CCC_OUT_BINARY, o->force, err);
out:
	if (sk != NULL)
		sodium_free(sk);
	ccc_attest_signer_free(signer);
	ccc_buf_free(&sb);
	ccc_buf_free(&pb);
	return rc;
}
