/*
 * Certificate chains a process has verified (lib/attest.c, step 5).  A
 * node serving many requests (ccc-reencrypt --serve) checks a document
 * from the same enclave for each, and so the same chain: its leaf, its
 * cabundle, its root.  X.509 path validation of that chain gives the same
 * verdict at every time inside the validity of all its certificates, so a
 * chain that verified once is not validated again while the check time
 * stays strictly inside that window.  The key is the SHA-256 of every
 * certificate's exact bytes (length-prefixed, leaf first): a chain that
 * differs in one byte is validated in full.  Only successes are kept;
 * the pinning of the root by the policy, the document's signature and
 * every claim are checked every time.
 *
 * A kept chain also keeps its leaf certificate as parsed: the next
 * document from that enclave takes it instead of parsing the same bytes
 * again (OpenSSL's decoding of its P-384 key costs about as much as the
 * document's signature check).  Parsing does not depend on the time, so
 * the leaf is given whatever the check time; the certificate is only
 * read, never changed, by the checks that follow.
 *
 * A chain used TABLE_AFTER times also keeps a table of its leaf key's
 * multiples (lib/es384.h), with which each document's signature is then
 * checked in about a fifth of the time: a serving process pays the
 * table's cost, about three checks, once (and as much once for the
 * generator's table); a one-shot tool, which checks one or two documents,
 * never builds one.  What is kept for a chain is
 * only ever the key it was made from: the signature is checked every
 * time.
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <sodium.h>

#include "attest_chain.h"
#include "es384.h"

#define CHAINS 16
#define TABLE_AFTER 4

static struct chain {
	uint8_t key[32];
	time_t nb, na;		/* valid strictly between these */
	X509 *leaf;		/* a reference of its own */
	unsigned uses;		/* tables asked for */
	struct ccc_es384_tab *tab; /* the leaf key's, once used TABLE_AFTER times */
	bool used;
} chains[CHAINS];
static size_t next_slot;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void
ccc_attest_chain_key(const struct ccc_nitro_doc *d, uint8_t key[32])
{
	crypto_hash_sha256_state h;
	uint8_t len[8];
	size_t i;

	crypto_hash_sha256_init(&h);
	for (i = 0; i <= d->ncabundle; i++) {
		const struct ccc_nitro_bytes *b = i == 0 ? &d->certificate :
		    &d->cabundle[i - 1];
		uint64_t n = b->n;
		int k;

		for (k = 0; k < 8; k++)
			len[k] = (uint8_t)(n >> (56 - 8 * k));
		crypto_hash_sha256_update(&h, len, sizeof(len));
		crypto_hash_sha256_update(&h, b->p, b->n);
	}
	crypto_hash_sha256_final(&h, key);
}

bool
ccc_attest_chain_known(const uint8_t key[32], time_t t)
{
	bool hit = false;
	size_t i;

	if (pthread_mutex_lock(&lock) != 0)
		return false;
	for (i = 0; i < CHAINS && !hit; i++)
		hit = chains[i].used && sodium_memcmp(chains[i].key, key,
		    32) == 0 && chains[i].nb < t && t < chains[i].na;
	pthread_mutex_unlock(&lock);
	return hit;
}

X509 *
ccc_attest_chain_leaf(const uint8_t key[32])
{
	X509 *leaf = NULL;
	size_t i;

	if (pthread_mutex_lock(&lock) != 0)
		return NULL;
	for (i = 0; i < CHAINS && leaf == NULL; i++)
		if (chains[i].used && sodium_memcmp(chains[i].key, key,
		    32) == 0 && X509_up_ref(chains[i].leaf) == 1)
			leaf = chains[i].leaf;
	pthread_mutex_unlock(&lock);
	return leaf;
}

struct ccc_es384_tab *
ccc_attest_chain_table(const uint8_t key[32], X509 *leaf)
{
	struct ccc_es384_tab *tab = NULL;
	struct chain *c = NULL;
	size_t i;

	if (pthread_mutex_lock(&lock) != 0)
		return NULL;
	for (i = 0; i < CHAINS && c == NULL; i++)
		if (chains[i].used && sodium_memcmp(chains[i].key, key,
		    32) == 0 && X509_cmp(chains[i].leaf, leaf) == 0)
			c = &chains[i];
	if (c != NULL && c->tab == NULL && ++c->uses >= TABLE_AFTER)
		c->tab = ccc_es384_table(X509_get0_pubkey(c->leaf));
	if (c != NULL && c->tab != NULL)
		tab = ccc_es384_tab_ref(c->tab);
	pthread_mutex_unlock(&lock);
	return tab;
}

/* An ASN.1 time as seconds since 1970; false if it has none. */
static bool
seconds(const ASN1_TIME *a, time_t *t)
{
	struct tm tm;

	if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
		return false;
	*t = timegm(&tm);
	return *t != (time_t)-1;
}

void
ccc_attest_chain_remember(const uint8_t key[32], X509 *leaf, X509 **cab,
    size_t ncab)
{
	struct chain c;
	time_t nb, na;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.nb = 0;
	c.na = (time_t)INT64_MAX;
	for (i = 0; i <= ncab; i++) {
		X509 *x = i == 0 ? leaf : cab[i - 1];

		if (x == NULL || !seconds(X509_get0_notBefore(x), &nb) ||
		    !seconds(X509_get0_notAfter(x), &na))
			return;		/* not kept: validated every time */
		if (nb > c.nb)
			c.nb = nb;
		if (na < c.na)
			c.na = na;
	}
	memcpy(c.key, key, 32);
	if (X509_up_ref(leaf) != 1)
		return;
	c.leaf = leaf;
	c.used = true;
	if (pthread_mutex_lock(&lock) != 0) {
		X509_free(leaf);
		return;
	}
	X509_free(chains[next_slot].leaf);	/* the entry it replaces */
	ccc_es384_tab_free(chains[next_slot].tab);
	chains[next_slot] = c;
	next_slot = (next_slot + 1) % CHAINS;
	pthread_mutex_unlock(&lock);
}
