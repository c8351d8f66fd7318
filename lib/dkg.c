/*
 * DKG and resharing: the blobs (members, committee, group, certificate)
 * and the protocol messages; the cryptographic part is in dkg_deal.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "dkg.h"
#include "schemas.h"

/* Fields shared by every body: sid, epoch, index. */
enum { BODY_SID, BODY_EPOCH, BODY_FROM };

const char *const ccc_msg_kind_name[CCC_MSG_NKINDS] = {
	"accept", "deal", "respond", "confirm"
};

static const struct ccc_schema *const body_schema[CCC_MSG_NKINDS] = {
	&ccc_schema_share_accept, &ccc_schema_share_deal,
	&ccc_schema_share_respond, &ccc_schema_share_confirm
};

const char *
ccc_dkg_member_label(const struct ccc_dkg_member *m, uint32_t i, char *buf,
    size_t len)
{
	char name[4 * sizeof(m->name)];

	if (m != NULL && m->name[0] != '\0')
		snprintf(buf, len, "%u (%s)", i, ccc_vis(name, sizeof(name),
		    m->name, strlen(m->name), CCC_VIS_SLASH));
	else
		snprintf(buf, len, "%u", i);
	return buf;
}

/* ---- members ------------------------------------------------------------ */

int
ccc_dkg_members_load(const struct ccc_val *v, struct ccc_dkg_member **out,
    long long base, struct ccc_err *err)
{
	struct ccc_val mv[MEM_NFIELDS];
	struct ccc_dkg_member *m;
	struct ccc_cur c;
	uint8_t id[32];
	size_t i, j;
	int rc;

	if ((m = calloc(v->count, sizeof(*m))) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "members");
	ccc_cur_init(&c, v->p, v->n, base, err);
	for (i = 0; i < v->count; i++) {
		if ((rc = ccc_blob_decode_map(&ccc_schema_committee_member, &c,
		    mv)) != 0)
			goto fail;
		memcpy(m[i].id, mv[MEM_ID].p, 32);
		memcpy(m[i].pk, mv[MEM_PK].p, 32);
		if (mv[MEM_NAME].present)
			memcpy(m[i].name, mv[MEM_NAME].p, mv[MEM_NAME].n);
		ccc_identity_id(id, m[i].pk);
		if (memcmp(id, m[i].id, 32) != 0) {
			rc = ccc_err_set(err, CCC_E_KEY, mv[MEM_ID].off,
			    "members", "member %zu: id does not match its key",
			    i + 1);
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (memcmp(m[j].id, m[i].id, 32) == 0) {
				rc = ccc_err_set(err, CCC_E_DUPLICATE,
				    mv[MEM_ID].off, "members", "member %zu is "
				    "member %zu again", i + 1, j + 1);
				goto fail;
			}
	}
	*out = m;
	return 0;
fail:
	free(m);
	return rc;
}

int
ccc_dkg_members_encode(struct ccc_buf *b, const struct ccc_dkg_member *m,
    uint32_t n)
{
	struct ccc_val mv[MEM_NFIELDS];
	uint32_t i;
	int rc;

	for (i = 0; i < n; i++) {
		ccc_val_bytes(&mv[MEM_ID], m[i].id, 32);
		ccc_val_bytes(&mv[MEM_PK], m[i].pk, 32);
		memset(&mv[MEM_NAME], 0, sizeof(mv[MEM_NAME]));
		if (m[i].name[0] != '\0')
			ccc_val_bytes(&mv[MEM_NAME], m[i].name,
			    strlen(m[i].name));
		if ((rc = ccc_blob_encode(b, &ccc_schema_committee_member, mv)) != 0)
			return rc;
	}
	return 0;
}

uint32_t
ccc_dkg_members_find(const struct ccc_dkg_member *m, uint32_t n,
    const uint8_t id[32])
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (memcmp(m[i].id, id, 32) == 0)
			return i + 1;
	return 0;
}

/* ---- committee ---------------------------------------------------------- */

static void
sid_of(uint8_t sid[32], const uint8_t *p, size_t len)
{
	static const char dom[] = "ccc/share-sid/v1";
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)dom, sizeof(dom));
	crypto_hash_sha256_update(&st, p, len);
	crypto_hash_sha256_final(&st, sid);
}

static int
committee_check(const struct ccc_committee *c, const struct ccc_val *v,
    struct ccc_err *err)
{
	if (c->t > c->n)
		return ccc_err_set(err, CCC_E_FIELD, v[COM_T].off, "t",
		    "threshold %u exceeds the %u members", c->t, c->n);
	if (c->q < c->t || c->q > c->n)
		return ccc_err_set(err, CCC_E_FIELD, v[COM_Q].off, "q",
		    "quorum %u is not between t=%u and n=%u", c->q, c->t,
		    c->n);
	if (!c->has_prev && c->epoch != 0)
		return ccc_err_set(err, CCC_E_FIELD, v[COM_EPOCH].off, "prev",
		    "a committee without a previous group is a DKG, which "
		    "makes epoch 0, not %llu", (unsigned long long)c->epoch);
	if (c->has_prev && c->epoch == 0)
		return ccc_err_set(err, CCC_E_FIELD, v[COM_EPOCH].off, "epoch",
		    "resharing cannot make epoch 0");
	return 0;
}

int
ccc_committee_load(struct ccc_committee *c, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[COM_NFIELDS];
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = ccc_blob_decode(&ccc_schema_committee, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(c->key_id, v[COM_KEY_ID].p, 32);
	c->epoch = v[COM_EPOCH].u;
	c->attempt = (uint32_t)v[COM_ATTEMPT].u;
	c->t = (uint32_t)v[COM_T].u;
	c->q = (uint32_t)v[COM_Q].u;
	c->n = (uint32_t)v[COM_MEMBERS].count;
	if ((c->has_prev = v[COM_PREV].present))
		memcpy(c->prev, v[COM_PREV].p, 32);
	c->start = v[COM_START].u;
	c->step = v[COM_STEP].u;
	c->grace = v[COM_GRACE].u;
	if ((rc = committee_check(c, v, err)) != 0 ||
	    (rc = ccc_dkg_members_load(&v[COM_MEMBERS], &c->m, 0, err)) != 0)
		return rc;
	sid_of(c->sid, p, len);
	return 0;
}

int
ccc_committee_encode(struct ccc_buf *b, struct ccc_committee *c)
{
	struct ccc_val v[COM_NFIELDS];
	struct ccc_buf mb;
	size_t at = b->len;
	int rc;

	ccc_buf_init(&mb, 0);
	if ((rc = ccc_dkg_members_encode(&mb, c->m, c->n)) != 0)
		goto out;
	ccc_val_bytes(&v[COM_KEY_ID], c->key_id, 32);
	ccc_val_uint(&v[COM_EPOCH], c->epoch);
	ccc_val_uint(&v[COM_ATTEMPT], c->attempt);
	ccc_val_uint(&v[COM_T], c->t);
	ccc_val_uint(&v[COM_Q], c->q);
	ccc_val_array(&v[COM_MEMBERS], mb.p, mb.len, c->n);
	memset(&v[COM_PREV], 0, sizeof(v[COM_PREV]));
	if (c->has_prev)
		ccc_val_bytes(&v[COM_PREV], c->prev, 32);
	ccc_val_uint(&v[COM_START], c->start);
	ccc_val_uint(&v[COM_STEP], c->step);
	ccc_val_uint(&v[COM_GRACE], c->grace);
	if ((rc = ccc_blob_encode(b, &ccc_schema_committee, v)) == 0)
		sid_of(c->sid, b->p + at, b->len - at);
out:
	ccc_buf_free(&mb);
	return rc;
}

void
ccc_committee_free(struct ccc_committee *c)
{
	free(c->m);
	memset(c, 0, sizeof(*c));
}

uint32_t
ccc_committee_find(const struct ccc_committee *c, const uint8_t id[32])
{
	return ccc_dkg_members_find(c->m, c->n, id);
}

uint64_t
ccc_committee_deadline(const struct ccc_committee *c, int r)
{
	return c->start + (uint64_t)r * c->step;
}

/* ---- group -------------------------------------------------------------- */

int
ccc_group_load(struct ccc_ec *ec, struct ccc_group *g, const uint8_t *p,
    size_t len, struct ccc_err *err)
{
	struct ccc_val v[GRP_NFIELDS];
	uint8_t gbar[CCC_POINT_BYTES];
	EC_POINT *pt = NULL;
	uint32_t i;
	int rc;

	memset(g, 0, sizeof(*g));
	if ((rc = ccc_blob_decode(&ccc_schema_group, p, len, v, 0, err)) != 0)
		return rc;
	if (memcmp(v[GRP_GROUP].p, "P256", 4) != 0)
		return ccc_err_set(err, CCC_E_FIELD, v[GRP_GROUP].off, "group",
		    "unsupported group \"%.4s\" (only P256)", v[GRP_GROUP].p);
	g->t = (uint32_t)v[GRP_T].u;
	g->n = (uint32_t)v[GRP_N].u;
	g->q = (uint32_t)v[GRP_Q].u;
	g->epoch = v[GRP_EPOCH].u;
	if (g->t > g->n || g->q < g->t || g->q > g->n)
		return ccc_err_set(err, CCC_E_FIELD, v[GRP_T].off, "t",
		    "need t <= q <= n (t=%u, q=%u, n=%u)", g->t, g->q, g->n);
	if (v[GRP_HI].count != g->n || v[GRP_MEMBERS].count != g->n)
		return ccc_err_set(err, CCC_E_FIELD, v[GRP_HI].off, "h_i",
		    "%zu h_i and %zu members for n=%u", v[GRP_HI].count,
		    v[GRP_MEMBERS].count, g->n);
	if (v[GRP_DEALS].count != v[GRP_DEALERS].n)
		return ccc_err_set(err, CCC_E_FIELD, v[GRP_DEALS].off, "deals",
		    "%zu deal digests for %zu dealers", v[GRP_DEALS].count,
		    v[GRP_DEALERS].n);
	memcpy(g->key_id, v[GRP_KEY_ID].p, 32);
	memcpy(g->h, v[GRP_H].p, 65);
	memcpy(g->gbar, v[GRP_GBAR].p, 65);
	memcpy(g->sid, v[GRP_SID].p, 32);
	g->ndealers = (uint32_t)v[GRP_DEALERS].n;
	memcpy(g->dealers, v[GRP_DEALERS].p, g->ndealers);
	for (i = 0; i < g->ndealers; i++)
		if (g->dealers[i] == 0 || (i > 0 && g->dealers[i] <=
		    g->dealers[i - 1]))
			return ccc_err_set(err, CCC_E_FIELD,
			    v[GRP_DEALERS].off, "dealers",
			    "dealer indices not ascending and non-zero");
	if ((g->has_prev = v[GRP_PREV].present))
		memcpy(g->prev, v[GRP_PREV].p, 32);
	if ((g->hi = calloc(g->n, CCC_POINT_BYTES)) == NULL ||
	    (g->deals = calloc(g->ndealers, 32)) == NULL ||
	    (pt = EC_POINT_new(ec->group)) == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "group");
		goto fail;
	}
	for (i = 0; i < g->ndealers; i++)
		memcpy(g->deals[i], ccc_val_elem(&v[GRP_DEALS], 32, i), 32);
	if ((rc = ccc_ec_point_decode(ec, pt, g->h, "h", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, pt, g->gbar, "g_bar", err)) != 0)
		goto fail;
	for (i = 0; i < g->n; i++) {
		memcpy(g->hi[i], ccc_val_elem(&v[GRP_HI], 65, i), 65);
		if ((rc = ccc_ec_point_decode(ec, pt, g->hi[i], NULL,
		    NULL)) != 0) {
			rc = ccc_err_set(err, rc, v[GRP_HI].off, "h_i",
			    "h_i[%u]: not a valid point", i + 1);
			goto fail;
		}
	}
	/* g_bar is pinned to the key id for life: nobody knows its log. */
	if (ccc_tdh2_gbar(gbar, g->key_id) != 0) {
		rc = ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "hash to curve");
		goto fail;
	}
	if (CRYPTO_memcmp(gbar, g->gbar, 65) != 0) {
		rc = ccc_err_set(err, CCC_E_KEY, v[GRP_GBAR].off, "g_bar",
		    "g_bar is not the hash to curve of the key id");
		goto fail;
	}
	if ((rc = ccc_dkg_members_load(&v[GRP_MEMBERS], &g->m, 0, err)) != 0)
		goto fail;
	crypto_hash_sha256(g->digest, p, len);
	EC_POINT_free(pt);
	return 0;
fail:
	EC_POINT_free(pt);
	ccc_group_free(g);
	return rc;
}

int
ccc_group_encode(struct ccc_buf *b, struct ccc_group *g)
{
	struct ccc_val v[GRP_NFIELDS];
	struct ccc_buf mb;
	size_t at = b->len;
	int rc;

	ccc_buf_init(&mb, 0);
	if ((rc = ccc_dkg_members_encode(&mb, g->m, g->n)) != 0)
		goto out;
	ccc_val_bytes(&v[GRP_GROUP], "P256", 4);
	ccc_val_uint(&v[GRP_T], g->t);
	ccc_val_uint(&v[GRP_N], g->n);
	ccc_val_uint(&v[GRP_EPOCH], g->epoch);
	ccc_val_bytes(&v[GRP_KEY_ID], g->key_id, 32);
	ccc_val_bytes(&v[GRP_H], g->h, 65);
	ccc_val_bytes(&v[GRP_GBAR], g->gbar, 65);
	ccc_val_array(&v[GRP_HI], g->hi, (size_t)g->n * 65, g->n);
	ccc_val_uint(&v[GRP_Q], g->q);
	ccc_val_array(&v[GRP_MEMBERS], mb.p, mb.len, g->n);
	ccc_val_bytes(&v[GRP_SID], g->sid, 32);
	ccc_val_bytes(&v[GRP_DEALERS], g->dealers, g->ndealers);
	ccc_val_array(&v[GRP_DEALS], g->deals, (size_t)g->ndealers * 32,
	    g->ndealers);
	memset(&v[GRP_PREV], 0, sizeof(v[GRP_PREV]));
	if (g->has_prev)
		ccc_val_bytes(&v[GRP_PREV], g->prev, 32);
	if ((rc = ccc_blob_encode(b, &ccc_schema_group, v)) == 0)
		crypto_hash_sha256(g->digest, b->p + at, b->len - at);
out:
	ccc_buf_free(&mb);
	return rc;
}

void
ccc_group_free(struct ccc_group *g)
{
	free(g->hi);
	free(g->m);
	free(g->deals);
	memset(g, 0, sizeof(*g));
}

uint32_t
ccc_group_find(const struct ccc_group *g, const uint8_t id[32])
{
	return ccc_dkg_members_find(g->m, g->n, id);
}

int
ccc_group_pub(struct ccc_ec *ec, const struct ccc_group *g,
    struct ccc_tdh2_pub *pub, struct ccc_err *err)
{
	uint32_t i;
	int rc;

	if ((rc = ccc_tdh2_pub_alloc(ec, pub, g->n)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "public key");
	pub->t = g->t;
	pub->epoch = g->epoch;
	memcpy(pub->key_id, g->key_id, 32);
	memcpy(pub->h_enc, g->h, 65);
	memcpy(pub->gbar_enc, g->gbar, 65);
	memcpy(pub->hi_enc, g->hi, (size_t)g->n * 65);
	/* The group was validated when loaded: these cannot fail. */
	if ((rc = ccc_ec_point_decode(ec, pub->h, pub->h_enc, "h", err)) != 0 ||
	    (rc = ccc_ec_point_decode(ec, pub->gbar, pub->gbar_enc, "g_bar",
	    err)) != 0)
		goto fail;
	for (i = 0; i < g->n; i++)
		if ((rc = ccc_ec_point_decode(ec, pub->hi[i], pub->hi_enc[i],
		    "h_i", err)) != 0)
			goto fail;
	return 0;
fail:
	ccc_tdh2_pub_free(pub);
	return rc;
}

/* ---- certificate -------------------------------------------------------- */

int
ccc_group_cert_load(struct ccc_group_cert *c, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[3], sv[2];
	struct ccc_cur cur;
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = ccc_blob_decode(&ccc_schema_group_cert, p, len, v, 0,
	    err)) != 0)
		return rc;
	memcpy(c->group, v[0].p, 32);
	c->epoch = v[1].u;
	ccc_cur_init(&cur, v[2].p, v[2].n, 0, err);
	for (i = 0; i < v[2].count; i++) {
		if ((rc = ccc_blob_decode_map(&ccc_schema_group_sig, &cur, sv)) != 0)
			return rc;
		if (i > 0 && sv[0].u <= c->idx[i - 1])
			return ccc_err_set(err, CCC_E_FIELD, sv[0].off, "sigs",
			    "signer indices not strictly ascending");
		c->idx[i] = (uint8_t)sv[0].u;
		memcpy(c->sig[i], sv[1].p, 64);
	}
	c->nsigs = (uint32_t)v[2].count;
	return 0;
}

int
ccc_group_cert_encode(struct ccc_buf *b, const struct ccc_group_cert *c)
{
	struct ccc_val v[3], sv[2];
	struct ccc_buf sb;
	uint32_t i;
	int rc = 0;

	ccc_buf_init(&sb, 0);
	for (i = 0; i < c->nsigs && rc == 0; i++) {
		ccc_val_uint(&sv[0], c->idx[i]);
		ccc_val_bytes(&sv[1], c->sig[i], 64);
		rc = ccc_blob_encode(&sb, &ccc_schema_group_sig, sv);
	}
	if (rc == 0) {
		ccc_val_bytes(&v[0], c->group, 32);
		ccc_val_uint(&v[1], c->epoch);
		ccc_val_array(&v[2], sb.p, sb.len, c->nsigs);
		rc = ccc_blob_encode(b, &ccc_schema_group_cert, v);
	}
	ccc_buf_free(&sb);
	return rc;
}

void
ccc_group_cert_add(struct ccc_group_cert *c, uint32_t i, const uint8_t sig[64])
{
	uint32_t k, at = c->nsigs;

	if (c->nsigs >= CCC_DKG_MAX_N)
		return;
	for (k = 0; k < c->nsigs; k++) {
		if (c->idx[k] == i)
			return;
		if (c->idx[k] > i && at == c->nsigs)
			at = k;
	}
	memmove(&c->idx[at + 1], &c->idx[at], c->nsigs - at);
	memmove(&c->sig[at + 1], &c->sig[at], (size_t)(c->nsigs - at) * 64);
	c->idx[at] = (uint8_t)i;
	memcpy(c->sig[at], sig, 64);
	c->nsigs++;
}

int
ccc_group_cert_verify(const struct ccc_group *g, const struct ccc_group_cert *c,
    struct ccc_err *err)
{
	char who[96];
	uint32_t k, i;

	if (CRYPTO_memcmp(c->group, g->digest, 32) != 0)
		return ccc_err_set(err, CCC_E_KEY, -1, "group", "the "
		    "certificate is for another group");
	if (c->epoch != g->epoch)
		return ccc_err_set(err, CCC_E_EPOCH, -1, "epoch", "the "
		    "certificate is for epoch %llu, the group for epoch %llu",
		    (unsigned long long)c->epoch,
		    (unsigned long long)g->epoch);
	for (k = 0; k < c->nsigs; k++) {
		i = c->idx[k];
		if (i > g->n)
			return ccc_err_set(err, CCC_E_SIGNATURE, -1, "sigs",
			    "signer %u is not among the %u members", i, g->n);
		if (ccc_identity_verify_digest(c->sig[k], g->m[i - 1].pk,
		    CCC_GROUP_SIG_PURPOSE, g->digest) != 0)
			return ccc_err_set(err, CCC_E_SIGNATURE, -1, "sigs",
			    "the signature of member %s does not verify",
			    ccc_dkg_member_label(&g->m[i - 1], i, who,
			    sizeof(who)));
	}
	if (c->nsigs < g->q)
		return ccc_err_set(err, CCC_E_SIGNATURE, -1, "sigs",
		    "%u of the %u signatures the group needs", c->nsigs, g->q);
	return 0;
}

/* ---- messages ----------------------------------------------------------- */

/* Copy a BSTR_ARRAY of elem-byte elements into a fresh contiguous array. */
static void *
array_copy(const struct ccc_val *v, uint32_t elem)
{
	uint8_t *a;
	size_t i;

	if ((a = calloc(v->count ? v->count : 1, elem)) == NULL)
		return NULL;
	for (i = 0; i < v->count; i++)
		memcpy(a + i * elem, ccc_val_elem(v, elem, i), elem);
	return a;
}

void
ccc_msg_free(struct ccc_msg *m)
{
	free(m->keys);
	free(m->commits);
	free(m->enc);
	free(m->ct);
	free(m->complaints);
	memset(m, 0, sizeof(*m));
}

int
ccc_msg_decode(struct ccc_msg *m, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val ev[3], v[CCC_BLOB_MAX_FIELDS], cv[2];
	const struct ccc_schema *s;
	struct ccc_cur c;
	long long base;
	size_t i;
	int k, rc;

	memset(m, 0, sizeof(*m));
	if ((rc = ccc_blob_decode(&ccc_schema_share_msg, p, len, ev, 0,
	    err)) != 0)
		return rc;
	memcpy(m->signer, ev[0].p, 32);
	memcpy(m->sig, ev[2].p, 64);
	m->body = ev[1].p;
	m->body_len = ev[1].n;
	base = (long long)(ev[1].p - p);
	s = ccc_blob_peek_type(m->body, m->body_len);
	for (k = 0; k < CCC_MSG_NKINDS && body_schema[k] != s; k++)
		;
	if (k == CCC_MSG_NKINDS)
		return ccc_err_set(err, CCC_E_TYPE, base, "body", "the body is "
		    "a %s, not a protocol message", s ? s->title : "blob");
	m->kind = k;
	if ((rc = ccc_blob_decode(s, m->body, m->body_len, v, base,
	    err)) != 0)
		return rc;
	crypto_hash_sha256(m->digest, p, len);
	memcpy(m->sid, v[BODY_SID].p, 32);
	m->epoch = v[BODY_EPOCH].u;
	m->from = (uint32_t)v[BODY_FROM].u;
	switch (k) {
	case CCC_MSG_ACCEPT:
		m->nkeys = (uint32_t)v[3].count;
		if ((m->keys = array_copy(&v[3], 32)) == NULL)
			goto nomem;
		break;
	case CCC_MSG_DEAL:
		m->t = (uint32_t)v[3].count;
		m->n = (uint32_t)v[5].count;
		if (v[6].count != m->n) {
			rc = ccc_err_set(err, CCC_E_FIELD, v[6].off, "ct",
			    "%zu sealed sub-shares for %u slots", v[6].count,
			    m->n);
			goto fail;
		}
		if ((m->commits = array_copy(&v[3], 65)) == NULL ||
		    (m->enc = array_copy(&v[5], 32)) == NULL ||
		    (m->ct = array_copy(&v[6], CCC_DKG_SUBSHARE_CT_BYTES)) ==
		    NULL)
			goto nomem;
		if ((m->has_pok = v[4].present))
			memcpy(m->pok, v[4].p, CCC_VSS_PROOF_BYTES);
		break;
	case CCC_MSG_RESPOND:
		m->ncomplaints = (uint32_t)v[3].count;
		if ((m->complaints = calloc(m->ncomplaints ? m->ncomplaints :
		    1, sizeof(*m->complaints))) == NULL)
			goto nomem;
		ccc_cur_init(&c, v[3].p, v[3].n, base, err);
		for (i = 0; i < m->ncomplaints; i++) {
			if ((rc = ccc_blob_decode_map(&ccc_schema_complaint, &c,
			    cv)) != 0)
				goto fail;
			if (i > 0 && cv[0].u <= m->complaints[i - 1].dealer) {
				rc = ccc_err_set(err, CCC_E_FIELD, cv[0].off,
				    "complaints", "dealers not strictly "
				    "ascending");
				goto fail;
			}
			m->complaints[i].dealer = (uint32_t)cv[0].u;
			memcpy(m->complaints[i].key, cv[1].p, 32);
		}
		break;
	case CCC_MSG_CONFIRM:
		m->group = v[3].p;
		m->group_len = v[3].n;
		memcpy(m->gsig, v[4].p, 64);
		memcpy(m->pop, v[5].p, CCC_VSS_PROOF_BYTES);
		break;
	}
	return 0;
nomem:
	rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "message");
fail:
	ccc_msg_free(m);
	return rc;
}

int
ccc_msg_verify(const struct ccc_msg *m, const uint8_t pk[CCC_ID_PK_BYTES])
{
	uint8_t id[32];

	ccc_identity_id(id, pk);
	if (CRYPTO_memcmp(id, m->signer, 32) != 0)
		return CCC_E_SIGNATURE;
	return ccc_identity_verify(m->sig, pk, body_schema[m->kind]->type,
	    m->body, m->body_len);
}

int
ccc_msg_sign(struct ccc_buf *out, const struct ccc_identity *id,
    const struct ccc_schema *s, const uint8_t *body, size_t len)
{
	struct ccc_val v[3];
	uint8_t sig[CCC_ID_SIG_BYTES];
	int rc;

	if ((rc = ccc_identity_sign(sig, id, s->type, body, len)) != 0)
		return rc;
	ccc_val_bytes(&v[0], id->id, 32);
	ccc_val_bytes(&v[1], body, len);
	ccc_val_bytes(&v[2], sig, 64);
	return ccc_blob_encode(out, &ccc_schema_share_msg, v);
}

static void
body_head(struct ccc_val *v, const uint8_t sid[32], uint64_t epoch,
    uint32_t from)
{
	ccc_val_bytes(&v[BODY_SID], sid, 32);
	ccc_val_uint(&v[BODY_EPOCH], epoch);
	ccc_val_uint(&v[BODY_FROM], from);
}

int
ccc_accept_encode(struct ccc_buf *b, const uint8_t sid[32], uint64_t epoch,
    uint32_t index, const uint8_t (*keys)[32], uint32_t nkeys)
{
	struct ccc_val v[4];

	body_head(v, sid, epoch, index);
	ccc_val_array(&v[3], keys, (size_t)nkeys * 32, nkeys);
	return ccc_blob_encode(b, &ccc_schema_share_accept, v);
}

int
ccc_respond_encode(struct ccc_buf *b, const uint8_t sid[32], uint64_t epoch,
    uint32_t index, const struct ccc_complaint *c, uint32_t nc)
{
	struct ccc_val v[4], cv[2];
	struct ccc_buf cb;
	uint32_t i;
	int rc = 0;

	ccc_buf_init(&cb, 0);
	for (i = 0; i < nc && rc == 0; i++) {
		ccc_val_uint(&cv[0], c[i].dealer);
		ccc_val_bytes(&cv[1], c[i].key, 32);
		rc = ccc_blob_encode(&cb, &ccc_schema_complaint, cv);
	}
	if (rc == 0) {
		body_head(v, sid, epoch, index);
		ccc_val_array(&v[3], cb.p, cb.len, nc);
		rc = ccc_blob_encode(b, &ccc_schema_share_respond, v);
	}
	ccc_buf_free(&cb);
	return rc;
}

int
ccc_confirm_encode(struct ccc_buf *b, const uint8_t sid[32], uint64_t epoch,
    uint32_t index, const uint8_t *group, size_t group_len,
    const uint8_t gsig[64], const uint8_t pop[CCC_VSS_PROOF_BYTES])
{
	struct ccc_val v[6];

	body_head(v, sid, epoch, index);
	ccc_val_bytes(&v[3], group, group_len);
	ccc_val_bytes(&v[4], gsig, 64);
	ccc_val_bytes(&v[5], pop, CCC_VSS_PROOF_BYTES);
	return ccc_blob_encode(b, &ccc_schema_share_confirm, v);
}
