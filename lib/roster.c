/* Oracle rosters: who signs, and how many signatures make a quorum. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "io.h"
#include "quorum.h"
#include "schemas.h"

void
ccc_roster_free(struct ccc_roster *r)
{
	free(r->m);
	memset(r, 0, sizeof(*r));
}

const char *
ccc_member_label(const struct ccc_member *m, char *buf, size_t len)
{
	if (m->name[0] != '\0')
		ccc_vis(buf, len, m->name, strlen(m->name), CCC_VIS_SLASH);
	else {
		char hex[17];
		sodium_bin2hex(hex, sizeof(hex), m->id, 8);
		snprintf(buf, len, "%s", hex);
	}
	return buf;
}

long
ccc_roster_find(const struct ccc_roster *r, const uint8_t id[32])
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (memcmp(r->m[i].id, id, 32) == 0)
			return (long)i;
	return -1;
}

int
ccc_roster_load(struct ccc_roster *r, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[ROSTER_NFIELDS], mv[MEMBER_NFIELDS];
	struct ccc_cur c;
	uint8_t id[32];
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = ccc_blob_decode(&ccc_schema_roster, p, len, v, 0, err)) != 0)
		return rc;
	memcpy(r->name, v[ROSTER_NAME].p, v[ROSTER_NAME].n);
	r->q = (uint32_t)v[ROSTER_Q].u;
	r->n = v[ROSTER_MEMBERS].count;
	r->not_before = v[ROSTER_NOT_BEFORE].u;
	r->not_after = v[ROSTER_NOT_AFTER].u;
	if (r->q > r->n)
		return ccc_err_set(err, CCC_E_FIELD, v[ROSTER_Q].off, "q",
		    "quorum %u exceeds the %zu members", r->q, r->n);
	if ((r->m = calloc(r->n, sizeof(*r->m))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "roster");
	ccc_cur_init(&c, v[ROSTER_MEMBERS].p, v[ROSTER_MEMBERS].n,
	    v[ROSTER_MEMBERS].off, err);
	for (i = 0; i < r->n; i++) {
		long long at = ccc_cur_pos(&c);
		if ((rc = ccc_blob_decode_map(&ccc_schema_roster_member, &c, mv)) != 0)
			goto fail;
		memcpy(r->m[i].id, mv[MEMBER_ID].p, 32);
		memcpy(r->m[i].pk, mv[MEMBER_PK].p, 32);
		if (mv[MEMBER_NAME].present)
			memcpy(r->m[i].name, mv[MEMBER_NAME].p,
			    mv[MEMBER_NAME].n);
		ccc_identity_id(id, r->m[i].pk);
		if (memcmp(id, r->m[i].id, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_KEY, at, "members",
			    "member %zu: id does not match its key", i + 1);
			goto fail;
		}
		/* Sorted, hence distinct: a member cannot count twice. */
		if (i > 0 && memcmp(r->m[i - 1].id, r->m[i].id, 32) >= 0) {
			rc = ccc_err_set(err, CCC_E_FIELD, at, "members",
			    "member %zu: members not in ascending id order or "
			    "repeated", i + 1);
			goto fail;
		}
	}
	crypto_hash_sha256(r->roster_id, p, len);
	return 0;
fail:
	ccc_roster_free(r);
	return rc;
}

int
ccc_roster_read(struct ccc_roster *r, const char *path, struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, 1 << 20, false, err)) == 0 &&
	    (rc = ccc_roster_load(r, b.p, b.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_roster_valid(const struct ccc_roster *r, uint64_t now, struct ccc_err *err)
{
	char t1[CCC_UTC_LEN], t2[CCC_UTC_LEN], t3[CCC_UTC_LEN];

	if (now < r->not_before || now >= r->not_after)
		return ccc_err_set(err, CCC_E_EXPIRED, -1, NULL, "roster \"%s\" "
		    "is valid from %s to %s, not at %s", r->name,
		    ccc_utc(t1, r->not_before), ccc_utc(t2, r->not_after),
		    ccc_utc(t3, now));
	return 0;
}

/* "missing: a, b" for the members whose bit is clear in have. */
void
ccc_roster_missing(char *buf, size_t len, const struct ccc_roster *r,
    const bool *have)
{
	char name[80];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < r->n && off < len; i++)
		if (!have[i])
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
			    off ? ", " : "; not signed by ",
			    ccc_member_label(&r->m[i], name, sizeof(name)));
}
