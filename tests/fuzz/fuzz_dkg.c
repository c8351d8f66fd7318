/*
 * DKG and resharing inputs (ccc-share(1)): signed protocol messages and
 * their bodies, committees, groups, group certificates, transport seeds.
 */
#include "config.h"

#include "dkg.h"
#include "ec.h"
#include "fuzz.h"

FUZZ_TARGET(dkg)
{
	static struct ccc_ec *ec;
	struct ccc_msg m;
	struct ccc_committee c;
	struct ccc_group g;
	struct ccc_group_cert *gc;
	struct ccc_err err;
	uint8_t sid[32], seed[32], pk[32] = { 0 };

	fuzz_init();
	memset(&m, 0, sizeof(m));
	memset(&c, 0, sizeof(c));
	memset(&g, 0, sizeof(g));
	if (ec == NULL && (ec = ccc_ec_new()) == NULL)
		abort();
	ccc_err_clear(&err);
	if (ccc_msg_decode(&m, data, size, &err) == 0)
		(void)!ccc_msg_verify(&m, pk);
	ccc_msg_free(&m);

	ccc_err_clear(&err);
	(void)!ccc_committee_load(&c, data, size, &err);
	ccc_committee_free(&c);

	ccc_err_clear(&err);
	(void)!ccc_group_load(ec, &g, data, size, &err);
	ccc_group_free(&g);

	if ((gc = calloc(1, sizeof(*gc))) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_group_cert_load(gc, data, size, &err);
	free(gc);

	ccc_err_clear(&err);
	(void)!ccc_transport_load(sid, seed, data, size, &err);
	sodium_memzero(seed, sizeof(seed));
	return 0;
}
