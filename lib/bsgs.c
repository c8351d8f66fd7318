/* Baby-step giant-step with a cached table (bsgs.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bsgs.h"
#include "buf.h"
#include "hash.h"
#include "io.h"

#define MAGIC "ccc-bsgs-p256-v1"	/* 16 bytes */
#define HDR (16 + 4 + 32)
#define MIN_L 8
#define MAX_L 22
#define CHUNK 1024

unsigned
ccc_bsgs_bits(uint64_t max)
{
	unsigned b = 0, l;

	while (b < 64 && (max >> b) != 0)
		b++;
	/*
	 * Steps of 2^(L+1): L = b/2 - 1 balances the table and the steps;
	 * past 32 bits a bigger table (cached), 2^40 in 2^18 steps.
	 */
	l = (b + 1) / 2 - 1 + (b > 32 ? 2 : 0);
	return l < MIN_L ? MIN_L : l > MAX_L ? MAX_L : l;
}

/*
 * A chunk of points: made affine together (one inversion), after which
 * the Jacobian X is x (nistz256's own get_affine would invert each Z).
 */
struct chunk {
	EC_POINT *p[CHUNK];
	BIGNUM *x, *y, *z;
};

static void
chunk_free(struct chunk *c)
{
	size_t i;

	for (i = 0; i < CHUNK; i++)
		EC_POINT_free(c->p[i]);
	BN_free(c->x);
	BN_free(c->y);
	BN_free(c->z);
}

static int
chunk_init(struct ccc_ec *ec, struct chunk *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CHUNK; i++)
		if ((c->p[i] = EC_POINT_new(ec->group)) == NULL)
			return CCC_E_NOMEM;
	if ((c->x = BN_new()) == NULL || (c->y = BN_new()) == NULL ||
	    (c->z = BN_new()) == NULL)
		return CCC_E_NOMEM;
	return 0;
}

/* The top 64-L bits of x of the first n points (none the identity). */
static int
xkeys(struct ccc_ec *ec, struct chunk *c, size_t n, unsigned l,
    uint64_t *key)
{
	uint8_t xb[32];
	uint64_t w;
	size_t i;
	int b;

	if (EC_POINTs_make_affine(ec->group, n, c->p, ec->bn) != 1)
		return CCC_E_CRYPTO;
	for (i = 0; i < n; i++) {
		if (EC_POINT_get_Jprojective_coordinates_GFp(ec->group,
		    c->p[i], c->x, c->y, c->z, ec->bn) != 1 ||
		    !BN_is_one(c->z) || BN_bn2binpad(c->x, xb, 32) != 32)
			return CCC_E_CRYPTO;
		for (w = 0, b = 0; b < 8; b++)
			w = w << 8 | xb[b];
		key[i] = w >> l << l;
	}
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
build(struct ccc_ec *ec, uint64_t *tab, unsigned l, struct ccc_err *err)
{
	struct chunk c;
	EC_POINT *p = EC_POINT_new(ec->group);
	uint64_t j, m = (uint64_t)1 << l, key[CHUNK];
	size_t i, n;
	int rc = CCC_E_CRYPTO;

	if (chunk_init(ec, &c) != 0 || p == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
		    "discrete log table");
		goto out;
	}
	if (EC_POINT_set_to_infinity(ec->group, p) != 1)
		goto out;
	tab[0] = 0;	/* j = 0 is the identity: never matched */
	for (j = 1; j < m; j += n) {
		n = m - j < CHUNK ? (size_t)(m - j) : CHUNK;
		for (i = 0; i < n; i++)
			if (EC_POINT_add(ec->group, p, p, ec->g, ec->bn) != 1 ||
			    EC_POINT_copy(c.p[i], p) != 1)
				goto out;
		if (xkeys(ec, &c, n, l, key) != 0)
			goto out;
		for (i = 0; i < n; i++)
			tab[j + i] = key[i] | (j + i);
	}
	qsort(tab, (size_t)m, sizeof(*tab), cmp_u64);
	rc = 0;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "discrete log table");
	chunk_free(&c);
	EC_POINT_free(p);
	return rc;
}

static void
digest(uint8_t d[32], const uint64_t *tab, unsigned l)
{
	struct ccc_sha256 h;
	uint8_t lb[4] = { 0, 0, 0, (uint8_t)l };

	ccc_sha256_init(&h);
	ccc_sha256_update(&h, MAGIC, 16);
	ccc_sha256_update(&h, lb, 4);
	ccc_sha256_update(&h, tab, sizeof(*tab) << l);
	ccc_sha256_final(&h, d);
}

/* Load a cached table: 0, or nonzero if absent or not intact. */
static int
load(const char *path, uint64_t *tab, unsigned l)
{
	uint8_t hdr[HDR], d[32];
	size_t n = sizeof(*tab) << l;
	int fd, ok = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (ccc_read_full(fd, hdr, HDR) == HDR &&
	    memcmp(hdr, MAGIC, 16) == 0 && hdr[19] == l &&
	    ccc_read_full(fd, tab, n) == (ssize_t)n &&
	    ccc_read_full(fd, d, 1) == 0) {
		digest(d, tab, l);
		ok = sodium_memcmp(d, hdr + 20, 32) == 0;
	}
	close(fd);
	return ok ? 0 : -1;
}

static int
save(const char *dir, const char *path, const uint64_t *tab, unsigned l,
    struct ccc_err *err)
{
	struct ccc_out o;
	uint8_t hdr[HDR];
	int rc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		ccc_err_set(err, CCC_E_IO, -1, NULL, "%s", strerror(errno));
		ccc_err_what(err, dir);
		return CCC_E_IO;
	}
	memcpy(hdr, MAGIC, 16);
	memset(hdr + 16, 0, 4);
	hdr[19] = (uint8_t)l;
	digest(hdr + 20, tab, l);
	if ((rc = ccc_out_open(&o, path, CCC_OUT_FORCE, err)) != 0)
		return rc;
	if ((rc = ccc_out_write(&o, hdr, HDR, err)) != 0 ||
	    (rc = ccc_out_write(&o, tab, sizeof(*tab) << l, err)) != 0 ||
	    (rc = ccc_out_commit(&o, err)) != 0)
		ccc_out_abort(&o);
	return rc;
}

/* The first index with tab[i] >= key. */
static size_t
lower(const uint64_t *tab, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (tab[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Is T_k = p - k 2^(L+1) G one of +-jG, j in the table?  Then m is
 * k 2^(L+1) +- j: into *m, returning 1.
 */
static int
probe(struct ccc_ec *ec, const EC_POINT *p, const uint64_t *tab,
    unsigned l, uint64_t k, uint64_t key, EC_POINT *chk, BIGNUM *s,
    uint64_t *m)
{
	uint64_t size = (uint64_t)1 << l, mask = size - 1, cand, j;
	size_t i;
	int sign;

	for (i = lower(tab, (size_t)size, key);
	    i < size && (tab[i] & ~mask) == key; i++)
		for (sign = 0; sign < 2; sign++) {
			j = tab[i] & mask;
			if (sign && k == 0)
				break;
			cand = sign ? (k << (l + 1)) - j : (k << (l + 1)) + j;
			if (BN_set_word(s, cand) != 1 ||
			    EC_POINT_mul(ec->group, chk, s, NULL, NULL,
			    ec->bn) != 1)
				return CCC_E_CRYPTO;
			if (EC_POINT_cmp(ec->group, chk, p, ec->bn) == 0) {
				*m = cand;
				return 1;
			}
		}
	return 0;
}

/* Search with the table: m into *m, or CCC_E_FIELD. */
static int
search(struct ccc_ec *ec, const EC_POINT *p, uint64_t max,
    const uint64_t *tab, unsigned l, uint64_t *m, struct ccc_err *err)
{
	struct chunk c;
	EC_POINT *t = EC_POINT_dup(p, ec->group), *step = EC_POINT_new(
	    ec->group), *chk = EC_POINT_new(ec->group);
	BIGNUM *s = BN_new();
	uint64_t k, last = (max >> (l + 1)) + 1, key[CHUNK];
	size_t i, n;
	int rc = CCC_E_CRYPTO, r;

	if (chunk_init(ec, &c) != 0 || t == NULL || step == NULL ||
	    chk == NULL || s == NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "discrete log");
		goto out;
	}
	if (BN_set_word(s, (uint64_t)2 << l) != 1 ||
	    EC_POINT_mul(ec->group, step, s, NULL, NULL, ec->bn) != 1 ||
	    EC_POINT_invert(ec->group, step, ec->bn) != 1)
		goto out;
	for (k = 0; k <= last; k += n) {
		/* T_k = p - k 2^(L+1) G for a chunk of k, then look them up. */
		n = last - k + 1 < CHUNK ? (size_t)(last - k + 1) : CHUNK;
		for (i = 0; i < n; i++) {
			if (EC_POINT_is_at_infinity(ec->group, t)) {
				*m = (k + i) << (l + 1);
				rc = 0;
				goto out;
			}
			if (EC_POINT_copy(c.p[i], t) != 1 ||
			    EC_POINT_add(ec->group, t, t, step, ec->bn) != 1)
				goto out;
		}
		if (xkeys(ec, &c, n, l, key) != 0)
			goto out;
		for (i = 0; i < n; i++)
			if ((r = probe(ec, p, tab, l, k + i, key[i], chk, s,
			    m)) != 0) {
				rc = r < 0 ? r : *m <= max ? 0 : CCC_E_FIELD;
				goto out;
			}
	}
	rc = CCC_E_FIELD;
out:
	if (rc == CCC_E_CRYPTO)
		ccc_err_openssl(err, "discrete log");
	else if (rc == CCC_E_FIELD)
		ccc_err_set(err, rc, -1, NULL, "the sum is not in [0, %llu]",
		    (unsigned long long)max);
	chunk_free(&c);
	EC_POINT_free(t);
	EC_POINT_free(step);
	EC_POINT_free(chk);
	BN_free(s);
	return rc;
}

int
ccc_bsgs_solve(struct ccc_ec *ec, const EC_POINT *p, uint64_t max,
    const char *cache_dir, uint64_t *m, struct ccc_err *err)
{
	unsigned l = ccc_bsgs_bits(max);
	uint64_t *tab;
	struct ccc_buf path;
	int rc;

	if (EC_POINT_is_at_infinity(ec->group, p)) {
		*m = 0;
		return 0;
	}
	if ((tab = malloc(sizeof(*tab) << l)) == NULL)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL,
		    "discrete log table");
	ccc_buf_init(&path, 0);
	if (cache_dir != NULL && (ccc_buf_printf(&path, "%s/bsgs-p256-%u.tbl",
	    cache_dir, l) != 0 || ccc_buf_put(&path, "", 1) != 0)) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "cache path");
		goto out;
	}
	if (cache_dir == NULL || load((const char *)path.p, tab, l) != 0) {
		if ((rc = build(ec, tab, l, err)) != 0)
			goto out;
		/* A cache that cannot be written costs time, not the sum. */
		if (cache_dir != NULL)
			(void)save(cache_dir, (const char *)path.p, tab, l,
			    NULL);
	}
	rc = search(ec, p, max, tab, l, m, err);
out:
	ccc_buf_free(&path);
	free(tab);
	return rc;
}
