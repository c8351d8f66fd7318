/*
 * Lists of named keys, sorted by key: a feed's subscribers (X25519
 * recipient keys, lib/feed.h) and a pool's contributors (Ed25519 identity
 * keys, lib/contributors.h).  Each entry is a map of a nested schema
 * whose first field is the key (bstr 32) and whose second is a name
 * (tstr, ccc_name_check's rule); sorted, the keys are distinct, so a key
 * is one entry's.
 */
#ifndef CCC_KEYLIST_H
#define CCC_KEYLIST_H

#include "blob.h"
#include "identity.h"

struct ccc_named_key {
	uint8_t pk[32];
	char name[CCC_ID_NAME_MAX + 1];
};

/*
 * Decode the map array v (maps of schema sub) into *out, a new array of
 * v->count entries (free it), checking every name and that the keys
 * ascend; what names an entry in errors ("subscriber 2: ...").
 */
int ccc_keylist_decode(struct ccc_named_key **out, const struct ccc_val *v,
    const struct ccc_schema *sub, const char *what, struct ccc_err *err)
    CCC_WUR;
/*
 * Sort l[0..n) by key, then name, and append it as maps of schema sub to
 * out: CCC_E_DUPLICATE ("the key of A is given again for B") if a key is
 * there twice.
 */
int ccc_keylist_encode(struct ccc_buf *out, struct ccc_named_key *l,
    size_t n, const struct ccc_schema *sub, struct ccc_err *err) CCC_WUR;
/* The entry of l[0..n) with this key, or NULL. */
const struct ccc_named_key *ccc_keylist_find(const struct ccc_named_key *l,
    size_t n, const uint8_t pk[32]);

#endif
