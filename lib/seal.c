#include "config.h"

#include <string.h>

#include <sodium.h>

#include "seal.h"

#define INFO_PREFIX "ccc/sealed/v1"
#define INFO_BYTES (sizeof(INFO_PREFIX) + 32 + 8 + 4 + 32 + 32 + 4)

static void
put_be(uint8_t *p, uint64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static void
make_info(uint8_t info[INFO_BYTES], const struct ccc_sealed *s)
{
	uint8_t *p = info;

	memcpy(p, INFO_PREFIX, sizeof(INFO_PREFIX));	/* with its NUL */
	p += sizeof(INFO_PREFIX);
	memcpy(p, s->key_id, 32);
	p += 32;
	put_be(p, s->epoch, 8);
	p += 8;
	put_be(p, s->index, 4);
	p += 4;
	crypto_hash_sha256(p, s->context, s->context_len);
	p += 32;
	memcpy(p, s->recipient, 32);
	p += 32;
	put_be(p, s->count, 4);
}

int
ccc_sealed_begin(struct ccc_buf *out, struct ccc_hpke_ctx *ctx,
    const struct ccc_sealed *hdr, struct ccc_err *err)
{
	struct ccc_val v[SEALED_NFIELDS];
	uint8_t info[INFO_BYTES], enc[32];
	int rc;

	make_info(info, hdr);
	if ((rc = ccc_hpke_setup_s(ctx, enc, hdr->recipient, info,
	    sizeof(info), NULL, 0)) != 0)
		return ccc_err_set(err, rc == CCC_E_FIELD ? CCC_E_KEY : rc, -1,
		    "recipient", "cannot seal to this recipient key");
	ccc_val_bytes(&v[SEALED_KEY_ID], hdr->key_id, 32);
	ccc_val_uint(&v[SEALED_EPOCH], hdr->epoch);
	ccc_val_uint(&v[SEALED_INDEX], hdr->index);
	ccc_val_bytes(&v[SEALED_CONTEXT], hdr->context, hdr->context_len);
	ccc_val_bytes(&v[SEALED_RECIPIENT], hdr->recipient, 32);
	ccc_val_uint(&v[SEALED_COUNT], hdr->count);
	ccc_val_bytes(&v[SEALED_ENC], enc, 32);
	memset(&v[SEALED_SHARES], 0, sizeof(v[SEALED_SHARES]));
	if ((rc = ccc_blob_encode_prefix(out, &ccc_schema_sealed, v, 1)) != 0 ||
	    (rc = ccc_cbor_put_uint(out, 8)) != 0 ||
	    (rc = ccc_cbor_put_array(out, hdr->count)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "sealed shares");
	return 0;
}

int
ccc_sealed_add(struct ccc_buf *out, struct ccc_hpke_ctx *ctx,
    const uint8_t ct_digest[32], const struct ccc_tdh2_dshare *ds,
    struct ccc_err *err)
{
	uint8_t rec[CCC_SEALED_RECORD_BYTES];
	int rc;

	memcpy(rec, ct_digest, 32);
	memcpy(rec + 32, ds->u_i, 65);
	memcpy(rec + 97, ds->e_i, 32);
	memcpy(rec + 129, ds->f_i, 32);
	if ((rc = ccc_cbor_put_bstr_head(out, CCC_SEALED_ELEM_BYTES)) != 0 ||
	    (rc = ccc_buf_reserve(out, CCC_SEALED_ELEM_BYTES)) != 0)
		return ccc_err_set(err, rc, -1, NULL, "sealed shares");
	if ((rc = ccc_hpke_seal(ctx, out->p + out->len, NULL, 0, rec,
	    sizeof(rec))) != 0)
		return ccc_err_set(err, rc, -1, NULL, "hpke seal");
	out->len += CCC_SEALED_ELEM_BYTES;
	return 0;
}

int
ccc_sealed_decode(struct ccc_sealed *s, const uint8_t *p, size_t len,
    struct ccc_err *err)
{
	struct ccc_val v[SEALED_NFIELDS];
	int rc;

	if ((rc = ccc_blob_decode(&ccc_schema_sealed, p, len, v, 0, err)) != 0)
		return rc;
	if (v[SEALED_SHARES].count != v[SEALED_COUNT].u)
		return ccc_err_set(err, CCC_E_FIELD, v[SEALED_SHARES].off,
		    "shares", "shares: %zu entries, count says %llu",
		    v[SEALED_SHARES].count,
		    (unsigned long long)v[SEALED_COUNT].u);
	memcpy(s->key_id, v[SEALED_KEY_ID].p, 32);
	s->epoch = v[SEALED_EPOCH].u;
	s->index = (uint32_t)v[SEALED_INDEX].u;
	s->context = v[SEALED_CONTEXT].p;
	s->context_len = v[SEALED_CONTEXT].n;
	memcpy(s->recipient, v[SEALED_RECIPIENT].p, 32);
	s->count = (uint32_t)v[SEALED_COUNT].u;
	memcpy(s->enc, v[SEALED_ENC].p, 32);
	s->shares = v[SEALED_SHARES];
	return 0;
}

int
ccc_sealed_open_begin(struct ccc_hpke_ctx *ctx, const struct ccc_sealed *s,
    const uint8_t sk[32], struct ccc_err *err)
{
	uint8_t info[INFO_BYTES];

	make_info(info, s);
	/* The blob names its recipient; a wrong one fails to open anyway. */
	if (ccc_hpke_setup_r_pk(ctx, s->enc, sk, s->recipient, info,
	    sizeof(info)) != 0)
		return ccc_err_set(err, CCC_E_DECRYPT, -1, NULL,
		    "cannot open (sealed to another key, or altered)");
	return 0;
}

int
ccc_sealed_open_next(struct ccc_hpke_ctx *ctx, const struct ccc_sealed *s,
    size_t i, uint8_t ct_digest[32], struct ccc_tdh2_dshare *ds,
    struct ccc_err *err)
{
	uint8_t rec[CCC_SEALED_RECORD_BYTES];

	if (ccc_hpke_open(ctx, rec, NULL, 0, ccc_val_elem(&s->shares,
	    CCC_SEALED_ELEM_BYTES, i), CCC_SEALED_ELEM_BYTES) != 0)
		return ccc_err_set(err, CCC_E_DECRYPT, -1, NULL,
		    "cannot open (sealed to another key, or altered)");
	memcpy(ct_digest, rec, 32);
	ds->index = s->index;
	memcpy(ds->u_i, rec + 32, 65);
	memcpy(ds->e_i, rec + 97, 32);
	memcpy(ds->f_i, rec + 129, 32);
	return 0;
}
