/*
 * A contributor list (ccc/contributors/v1): who may contribute to the
 * aggregates of one application at security level 4, and when.  It
 * names the application, a validity (not_before, not_after) and, sorted
 * by key, each contributor's Ed25519 identity public key with a name.
 * The oracles certify it as any blob (ccc-quorum-sign sign, under their
 * own purpose for its type); a decryption node given it (ccc-aggregate
 * -s -C) takes only contributions (lib/contribution.h) by its keys, and
 * its floor counts distinct contributors, so a requester cannot pad an
 * aggregate with inputs of its own.
 */
#ifndef CCC_CONTRIBUTORS_H
#define CCC_CONTRIBUTORS_H

#include "blob.h"
#include "identity.h"
#include "keylist.h"
#include "quorum.h"

#define CCC_CONTRIBUTORS_MAX 65536
/* s a list's not_before may be ahead of a node's clock */
#define CCC_CONTRIBUTORS_SKEW CCC_REQUEST_SKEW

struct ccc_contributors {
	char app[CCC_APP_ID_MAX + 1];
	uint64_t not_before, not_after;
	size_t n;
	struct ccc_named_key *c;	/* ascending pk (lib/keylist.h) */
};

/*
 * Decode and check a list: the app an application id, the names names,
 * the keys ascending (hence distinct), not_after after not_before.
 */
int ccc_contributors_load(struct ccc_contributors *l, const uint8_t *p,
    size_t len, struct ccc_err *err) CCC_WUR;
void ccc_contributors_free(struct ccc_contributors *l);
/*
 * Encode l (its n contributors sorted here; CCC_E_DUPLICATE if a key is
 * given twice) into out.
 */
int ccc_contributors_encode(struct ccc_buf *out, struct ccc_contributors *l,
    struct ccc_err *err) CCC_WUR;
/* The contributor with this key, or NULL. */
const struct ccc_named_key *ccc_contributors_find(
    const struct ccc_contributors *l, const uint8_t pk[32]);
/*
 * 0 if l is valid at now: not_before at most CCC_CONTRIBUTORS_SKEW s
 * ahead of it, not_after after it; else CCC_E_EXPIRED saying when it is.
 */
int ccc_contributors_valid(const struct ccc_contributors *l, uint64_t now,
    struct ccc_err *err) CCC_WUR;
/*
 * Read the certified list in path: certified by a quorum of r at now, a
 * contributor list (CCC_E_TYPE otherwise), loaded.  Errors name path.
 */
int ccc_contributors_read(struct ccc_contributors *l,
    const struct ccc_roster *r, const char *path, uint64_t now,
    struct ccc_err *err) CCC_WUR;

#endif
