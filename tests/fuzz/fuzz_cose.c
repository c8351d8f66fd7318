/*
 * Attestation documents: the COSE_Sign1 envelope, the Nitro payload in
 * it, its to-be-signed structure, and the whole verification under a
 * policy that allows software documents and any measurement (it has no
 * root, so every document ends at the chain check; what comes before it,
 * the decoding and the field checks, is what is fuzzed).
 */
#include "config.h"

#include "attest.h"
#include "cose.h"
#include "nitro.h"
#include "fuzz.h"

FUZZ_TARGET(cose)
{
	struct ccc_cose_sign1 m;
	struct ccc_nitro_doc d;
	struct ccc_attest_policy *pol;
	struct ccc_attest_report *rep;
	struct ccc_buf tbs;
	struct ccc_err err;

	fuzz_init();
	ccc_err_clear(&err);
	if (ccc_cose_sign1_decode(&m, data, size, &err) == 0) {
		ccc_buf_init(&tbs, 0);
		(void)!ccc_cose_sign1_tbs(&tbs, &m, NULL, 0);
		ccc_buf_free(&tbs);
		ccc_err_clear(&err);
		(void)!ccc_nitro_decode(&d, m.payload, m.payload_len,
		    m.payload_off, &err);
	}
	/* The payload alone, as a Nitro document. */
	ccc_err_clear(&err);
	(void)!ccc_nitro_decode(&d, data, size, 0, &err);

	if ((pol = ccc_attest_policy_new()) == NULL ||
	    (rep = calloc(1, sizeof(*rep))) == NULL)
		abort();
	pol->allow_software = true;
	pol->allow_debug = true;
	pol->any_measurement = true;
	ccc_err_clear(&err);
	if (ccc_attest_verify(data, size, pol, NULL, CCC_ATTEST_AT_DOCUMENT,
	    rep, &err) == 0)
		abort();	/* no root: nothing can verify */
	free(rep);
	ccc_attest_policy_free(pol);
	return 0;
}
