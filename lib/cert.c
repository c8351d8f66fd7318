/* Quorum certificates: a blob and q signatures of a roster's members. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "hash.h"
#include "identity.h"
#include "quorum.h"
#include "schemas.h"

/*
 * An oracle signs under the purpose CCC_ORACLE_PURPOSE || type: its own
 * domain, apart from every other signature an identity makes (DKG messages
 * and group confirmations sign under a bare type string, and no type has a
 * ':'), and one per blob type.
 */
const char *
ccc_cert_purpose(char buf[CCC_ORACLE_PURPOSE_MAX],
    const struct ccc_schema *s)
{
	int n;

	n = snprintf(buf, CCC_ORACLE_PURPOSE_MAX, "%s%s", CCC_ORACLE_PURPOSE,
	    s->type);
	return n > 0 && n < CCC_ORACLE_PURPOSE_MAX ? buf : "";
}

int
ccc_cert_sig_verify(const uint8_t sig[64], const uint8_t pk[32],
    const struct ccc_schema *s, const uint8_t d[32])
{
	char purpose[CCC_ORACLE_PURPOSE_MAX];

	return ccc_identity_verify_digest(sig, pk,
	    ccc_cert_purpose(purpose, s), d);
}

int
ccc_cert_verify(const struct ccc_roster *r, const uint8_t *cert, size_t len,
    uint64_t now, const uint8_t **blob, size_t *blob_len,
    const struct ccc_schema **type, struct ccc_err *err)
{
	struct ccc_val cv[CERT_NFIELDS];
	uint8_t d[32];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_certified, cert, len, cv, 0,
	    err)) != 0)
		return rc;
	crypto_hash_sha256(d, cv[CERT_BLOB].p, cv[CERT_BLOB].n);
	if ((rc = ccc_cert_check(r, cv, d, now, type, err)) != 0)
		return rc;
	*blob = cv[CERT_BLOB].p;
	*blob_len = cv[CERT_BLOB].n;
	return 0;
}

int
ccc_cert_check(const struct ccc_roster *r, const struct ccc_val *cv,
    const uint8_t d[32], uint64_t now, const struct ccc_schema **type,
    struct ccc_err *err)
{
	struct ccc_val sv[CSIG_NFIELDS];
	const struct ccc_schema *s;
	struct ccc_cur c;
	bool *have;
	char miss[512];
	size_t i, nvalid = 0;
	long m;
	int rc = 0;

	if (memcmp(cv[CERT_ROSTER].p, r->roster_id, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, cv[CERT_ROSTER].off, "roster",
		    "certified under another roster than \"%s\"", r->name);
	if ((rc = ccc_roster_valid(r, now, err)) != 0)
		return rc;
	s = ccc_blob_peek_type(cv[CERT_BLOB].p, cv[CERT_BLOB].n);
	if (s == NULL || cv[CERT_TYPE].n != strlen(s->type) ||
	    memcmp(cv[CERT_TYPE].p, s->type, cv[CERT_TYPE].n) != 0)
		return ccc_err_set(err, CCC_E_TYPE, cv[CERT_TYPE].off,
		    "blob_type", "the certified blob is not of the type the "
		    "certificate names");
	if ((have = calloc(r->n, sizeof(*have))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "certificate");
	ccc_cur_init(&c, cv[CERT_SIGS].p, cv[CERT_SIGS].n, cv[CERT_SIGS].off,
	    NULL);
	for (i = 0; i < cv[CERT_SIGS].count; i++) {
		if (ccc_blob_decode_map(&ccc_schema_cert_sig, &c, sv) != 0)
			break;
		/* Unknown, repeated or bad signatures simply do not count. */
		if ((m = ccc_roster_find(r, sv[CSIG_SIGNER].p)) < 0 || have[m] ||
		    ccc_cert_sig_verify(sv[CSIG_SIG].p, r->m[m].pk, s, d) != 0)
			continue;
		have[m] = true;
		nvalid++;
	}
	if (nvalid < r->q) {
		ccc_roster_missing(miss, sizeof(miss), r, have);
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "%zu valid "
		    "signature%s, roster \"%s\" needs %u%s", nvalid,
		    nvalid == 1 ? "" : "s", r->name, r->q, miss);
	} else
		*type = s;
	free(have);
	return rc;
}
