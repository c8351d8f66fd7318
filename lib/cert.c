/* Quorum certificates: a blob and q signatures of a roster's members. */
#include "config.h"

#include <pthread.h>
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
 * Requests and results: an oracle signs one only against its roster (-r,
 * with the pool and the attestation policy), so its signature names that
 * roster and counts under it alone.  A certificate of the same oracles'
 * signatures under another roster of theirs (another deployment, with
 * its own pool, policy and subscribers) would otherwise pass there
 * without its quorum ever having checked the request for it.
 */
bool
ccc_cert_roster_bound(const struct ccc_schema *s)
{
	return s == &ccc_schema_request || s == &ccc_schema_result;
}

/*
 * An oracle signs under the purpose CCC_ORACLE_PURPOSE || type [ "@" ||
 * roster id ]: its own domain, apart from every other signature an
 * identity makes (DKG messages and group confirmations sign under a bare
 * type string, and no type has a ':'), and one per blob type, and for the
 * bound types one per roster (no type has an '@').
 */
const char *
ccc_cert_purpose(char buf[CCC_ORACLE_PURPOSE_MAX],
    const struct ccc_schema *s, const uint8_t *roster_id)
{
	char hex[65];
	int n;

	if (!ccc_cert_roster_bound(s))
		n = snprintf(buf, CCC_ORACLE_PURPOSE_MAX, "%s%s",
		    CCC_ORACLE_PURPOSE, s->type);
	else if (roster_id == NULL)
		return "";
	else
		n = snprintf(buf, CCC_ORACLE_PURPOSE_MAX, "%s%s@%s",
		    CCC_ORACLE_PURPOSE, s->type,
		    sodium_bin2hex(hex, sizeof(hex), roster_id, 32));
	return n > 0 && n < CCC_ORACLE_PURPOSE_MAX ? buf : "";
}

int
ccc_cert_sig_verify(const uint8_t sig[64], const uint8_t pk[32],
    const struct ccc_schema *s, const uint8_t roster_id[32],
    const uint8_t d[32])
{
	char purpose[CCC_ORACLE_PURPOSE_MAX];
	const char *p = ccc_cert_purpose(purpose, s, roster_id);

	return *p == '\0' ? CCC_E_SIGNATURE :
	    ccc_identity_verify_digest(sig, pk, p, d);
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

/*
 * The certificates this process found signed by a quorum.  A serving
 * process reads the enclave pool's certificate for every request, and a
 * certificate's signatures give the same verdict every time: each is a
 * deterministic check of a member's key, the blob type's purpose and the
 * blob's digest.  So a certificate counted once is not counted again.
 * The key is the SHA-256 of everything the count depends on: the roster
 * (its id, the hash of its bytes: members, keys, quorum), the blob's
 * type (the signatures' purpose), its digest and the signatures' exact
 * bytes.  Only successes are kept; the roster's validity at the time,
 * the roster id and the blob type are checked every time.
 */
#define KEPT 8

static uint8_t kept[KEPT][32];
static size_t nkept, next_kept;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static void
kept_key(uint8_t key[32], const struct ccc_roster *r,
    const struct ccc_schema *s, const struct ccc_val *cv, const uint8_t d[32])
{
	crypto_hash_sha256_state h;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, r->roster_id, 32);
	/* The type with its terminating NUL: no prefix of another. */
	crypto_hash_sha256_update(&h, (const uint8_t *)s->type,
	    strlen(s->type) + 1);
	crypto_hash_sha256_update(&h, d, 32);
	crypto_hash_sha256_update(&h, cv[CERT_SIGS].p, cv[CERT_SIGS].n);
	crypto_hash_sha256_final(&h, key);
}

static bool
kept_has(const uint8_t key[32])
{
	bool hit = false;
	size_t i;

	if (pthread_mutex_lock(&kept_lock) != 0)
		return false;
	for (i = 0; i < nkept && !hit; i++)
		hit = sodium_memcmp(kept[i], key, 32) == 0;
	pthread_mutex_unlock(&kept_lock);
	return hit;
}

static void
kept_add(const uint8_t key[32])
{
	if (pthread_mutex_lock(&kept_lock) != 0)
		return;
	memcpy(kept[next_kept], key, 32);
	next_kept = (next_kept + 1) % KEPT;
	if (nkept < KEPT)
		nkept++;
	pthread_mutex_unlock(&kept_lock);
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
	uint8_t key[32];
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
	kept_key(key, r, s, cv, d);
	if (kept_has(key)) {
		*type = s;
		return 0;
	}
	if ((have = calloc(r->n, sizeof(*have))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "certificate");
	ccc_cur_init(&c, cv[CERT_SIGS].p, cv[CERT_SIGS].n, cv[CERT_SIGS].off,
	    NULL);
	for (i = 0; i < cv[CERT_SIGS].count; i++) {
		if (ccc_blob_decode_map(&ccc_schema_cert_sig, &c, sv) != 0)
			break;
		/* Unknown, repeated or bad signatures simply do not count. */
		if ((m = ccc_roster_find(r, sv[CSIG_SIGNER].p)) < 0 || have[m] ||
		    ccc_cert_sig_verify(sv[CSIG_SIG].p, r->m[m].pk, s,
		    r->roster_id, d) != 0)
			continue;
		have[m] = true;
		nvalid++;
	}
	if (nvalid < r->q) {
		ccc_roster_missing(miss, sizeof(miss), r, have);
		rc = ccc_err_set(err, CCC_E_SIGNATURE, -1, NULL, "%zu valid "
		    "signature%s, roster \"%s\" needs %u%s", nvalid,
		    nvalid == 1 ? "" : "s", r->name, r->q, miss);
	} else {
		kept_add(key);
		*type = s;
	}
	free(have);
	return rc;
}
