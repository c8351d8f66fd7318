/*
 * Label policy files (ccc-reencrypt(1), ccc-quorum-sign(1)): loaded, then
 * asked about a few applications and contexts.
 */
#include "config.h"

#include "policy.h"
#include "fuzz.h"

FUZZ_TARGET(label_policy)
{
	static const char *const ask[][2] = {
		{ "demo", "app:demo" }, { "demo", "app:demo/output" },
		{ "demo", NULL }, { "other", "app:demo" }, { "*", "*" },
		{ "a", "" },
	};
	struct ccc_label_policy pol;
	struct ccc_err err;
	size_t i;

	fuzz_init();
	memset(&pol, 0, sizeof(pol));
	ccc_err_clear(&err);
	if (ccc_label_policy_load(&pol, fuzz_file(0, "labels", data, size),
	    &err) == 0)
		for (i = 0; i < sizeof(ask) / sizeof(ask[0]); i++) {
			ccc_err_clear(&err);
			(void)!ccc_label_policy_check(&pol, ask[i][0],
			    strlen(ask[i][0]), ask[i][1], ask[i][1] ?
			    strlen(ask[i][1]) : 0, &err);
		}
	ccc_label_policy_free(&pol);
	return 0;
}
