/* Lists of named keys, sorted by key (keylist.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keylist.h"
#include "quorum.h"

enum { NK_PK, NK_NAME };	/* the fields of every entry's schema */

int
ccc_keylist_decode(struct ccc_named_key **out, const struct ccc_val *v,
    const struct ccc_schema *sub, const char *what, struct ccc_err *err)
{
	struct ccc_val ev[CCC_BLOB_MAX_FIELDS];
	struct ccc_named_key *l;
	struct ccc_cur c;
	long long at;
	size_t i;
	int rc = 0;

	if ((*out = l = calloc(v->count ? v->count : 1, sizeof(*l))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%ss", what);
	ccc_cur_init(&c, v->p, v->n, v->off, err);
	for (i = 0; i < v->count && rc == 0; i++) {
		at = ccc_cur_pos(&c);
		if ((rc = ccc_blob_decode_map(sub, &c, ev)) != 0 ||
		    (rc = ccc_name_check("name", (const char *)ev[NK_NAME].p,
		    ev[NK_NAME].n, CCC_ID_NAME_MAX, ev[NK_NAME].off,
		    err)) != 0)
			break;
		memcpy(l[i].pk, ev[NK_PK].p, 32);
		memcpy(l[i].name, ev[NK_NAME].p, ev[NK_NAME].n);
		/* Sorted, hence distinct: a key is one entry's. */
		if (i > 0 && memcmp(l[i - 1].pk, l[i].pk, 32) >= 0)
			rc = ccc_err_set(err, CCC_E_FIELD, at, NULL, "%s %zu: "
			    "keys not in ascending order or repeated", what,
			    i + 1);
	}
	if (rc != 0) {
		free(l);
		*out = NULL;
	}
	return rc;
}

static int
by_pk(const void *a, const void *b)
{
	return memcmp(((const struct ccc_named_key *)a)->pk,
	    ((const struct ccc_named_key *)b)->pk, 32);
}

/* By key, then name: a key given twice names its two names in order. */
static int
by_pk_name(const void *a, const void *b)
{
	int c = by_pk(a, b);

	return c != 0 ? c : strcmp(((const struct ccc_named_key *)a)->name,
	    ((const struct ccc_named_key *)b)->name);
}

int
ccc_keylist_encode(struct ccc_buf *out, struct ccc_named_key *l, size_t n,
    const struct ccc_schema *sub, struct ccc_err *err)
{
	struct ccc_val ev[CCC_BLOB_MAX_FIELDS];
	size_t i;

	qsort(l, n, sizeof(*l), by_pk_name);
	for (i = 1; i < n; i++)
		if (memcmp(l[i - 1].pk, l[i].pk, 32) == 0)
			return ccc_err_set(err, CCC_E_DUPLICATE, -1, NULL, "the "
			    "key of %s is given again for %s", l[i - 1].name,
			    l[i].name);
	for (i = 0; i < n; i++) {
		ccc_val_bytes(&ev[NK_PK], l[i].pk, 32);
		ccc_val_bytes(&ev[NK_NAME], l[i].name, strlen(l[i].name));
		if (ccc_blob_encode(out, sub, ev) != 0)
			return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "%s",
			    sub->title);
	}
	return 0;
}

const struct ccc_named_key *
ccc_keylist_find(const struct ccc_named_key *l, size_t n,
    const uint8_t pk[32])
{
	struct ccc_named_key key;

	memcpy(key.pk, pk, 32);
	return bsearch(&key, l, n, sizeof(*l), by_pk);
}
