/*
 * Attestation policy files (ccc-attest-verify(1)): the text parser.
 * Certificate paths name files relative to an empty private directory,
 * so a "root" line reads nothing outside it.
 */
#include "config.h"

#include "attest.h"
#include "fuzz.h"

FUZZ_TARGET(attest_policy)
{
	struct ccc_attest_policy *pol;
	struct ccc_err err;
	const char *dir;

	fuzz_init();
	/* A file in the private directory, which is then the base. */
	dir = fuzz_file(0, "policy", data, size);
	if ((pol = ccc_attest_policy_new()) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_attest_policy_load(pol, dir, &err);
	ccc_attest_policy_free(pol);
	return 0;
}
