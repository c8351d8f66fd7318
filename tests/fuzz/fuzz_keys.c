/*
 * The typed loaders behind the registry, which check what a schema does
 * not (points on the curve, scalars below the order, ids matching keys,
 * digests): threshold public key, key share, ciphertext, recipient keys,
 * identities, results, coin shares and random values, level 4's
 * contributions (their signatures checked) and contributor lists.
 */
#include "config.h"

#include "contribution.h"
#include "contributors.h"
#include "ec.h"
#include "identity.h"
#include "keys.h"
#include "rand.h"
#include "result.h"
#include "fuzz.h"

FUZZ_TARGET(keys)
{
	static struct ccc_ec *ec;
	struct ccc_tdh2_pub pub;
	struct ccc_share *sh;
	struct ccc_identity *id;
	struct ccc_ct ct;
	struct ccc_result res;
	struct ccc_rand_share cs;
	struct ccc_rand *r;
	struct ccc_contribution cb;
	struct ccc_contributors cl;
	struct ccc_err err;
	uint8_t *sk, pk[32];

	fuzz_init();
	memset(&pub, 0, sizeof(pub));
	if (ec == NULL && (ec = ccc_ec_new()) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_tpk_load(ec, &pub, data, size, &err);
	ccc_tdh2_pub_free(&pub);

	if ((sh = ccc_share_new()) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_share_load(sh, data, size, &err);
	ccc_share_free(sh);

	ccc_err_clear(&err);
	if (ccc_ct_decode(&ct, data, size, 0, &err) == 0)
		(void)!ccc_ct_digest(&ct);

	ccc_err_clear(&err);
	(void)!ccc_recipient_pub_load(pk, data, size, &err);
	if ((sk = sodium_malloc(32)) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_recipient_key_load(sk, pk, data, size, &err);
	sodium_free(sk);

	if ((id = ccc_identity_new()) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_identity_load(id, data, size, &err);
	ccc_identity_free(id);

	ccc_err_clear(&err);
	if (ccc_result_decode(&res, data, size, &err) == 0) {
		uint8_t b[32];
		ccc_result_binding(b, &res);
	}

	ccc_err_clear(&err);
	(void)!ccc_rand_share_load(&cs, data, size, &err);
	if ((r = malloc(sizeof(*r))) == NULL)
		abort();
	ccc_err_clear(&err);
	(void)!ccc_rand_load(r, data, size, &err);
	free(r);

	ccc_err_clear(&err);
	if (ccc_contribution_decode(&cb, data, size, 0, &err) == 0)
		(void)!ccc_contribution_verify(&cb, &err);
	ccc_err_clear(&err);
	if (ccc_contributors_load(&cl, data, size, &err) == 0) {
		(void)!ccc_contributors_valid(&cl, 1800000000, &err);
		if (ccc_contributors_find(&cl, cl.c[cl.n - 1].pk) == NULL)
			abort();	/* every listed key is found */
	}
	ccc_contributors_free(&cl);
	return 0;
}
