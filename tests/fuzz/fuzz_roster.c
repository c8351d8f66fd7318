/*
 * Oracle rosters (ccc-quorum-sign(1)): from bytes and from a file, then
 * searched as a verifier does.
 */
#include "config.h"

#include "quorum.h"
#include "fuzz.h"

FUZZ_TARGET(roster)
{
	struct ccc_roster r;
	struct ccc_err err;
	uint8_t id[32] = { 0 };
	char label[64];

	fuzz_init();
	memset(&r, 0, sizeof(r));
	ccc_err_clear(&err);
	if (ccc_roster_load(&r, data, size, &err) == 0) {
		(void)!ccc_roster_find(&r, id);
		if (r.n > 0) {
			(void)!ccc_roster_find(&r, r.m[r.n - 1].id);
			(void)!ccc_member_label(&r.m[0], label, sizeof(label));
		}
	}
	ccc_roster_free(&r);
	ccc_err_clear(&err);
	(void)!ccc_roster_read(&r, fuzz_file(0, "roster", data, size), &err);
	ccc_roster_free(&r);
	return 0;
}
