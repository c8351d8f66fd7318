/*
 * The combine engine (lib/combine.c): sealed shares from several nodes,
 * verified and combined per ciphertext of a source.
 */
#ifndef CCC_COMBINE_H
#define CCC_COMBINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccc.h"
#include "ctsrc.h"

struct ccc_progress;

/*
 * Verdicts on the nodes' sealed-share files.  While the shares are read,
 * a file that repeats another file of the same node is reported at once
 * (final false, CCC_NODE_REPEAT, other names that file).  When the engine
 * stops, with the plaintexts or with CCC_E_THRESHOLD, every file is
 * reported once, in input order (final true): CCC_NODE_OK, its shares were
 * good; CCC_NODE_BAD, some were not used (why: the first failure);
 * CCC_NODE_REPEAT; CCC_NODE_UNCHECKED, none failed but some were not
 * checked (proofs are checked in input order until t verified).  failed
 * tells the final reports that some ciphertext had fewer than t valid
 * shares.
 */
enum ccc_node_verdict {
	CCC_NODE_OK, CCC_NODE_REPEAT, CCC_NODE_BAD, CCC_NODE_UNCHECKED
};
/*
 * Why a file's shares were not used, as a code a result can record
 * (ccc/result/v1 field 11, ccc(7)): its name, ccc_combine_cause_name().
 */
enum ccc_combine_cause {
	CCC_CAUSE_VERIFIED,	/* every share verified */
	CCC_CAUSE_DUPLICATE,	/* repeats another file of the node */
	CCC_CAUSE_UNDECODABLE,	/* not a sealed blob, or a share record not */
	CCC_CAUSE_UNOPENABLE,	/* does not open with the recipient key */
	CCC_CAUSE_WRONG_KEY,	/* made with another threshold key */
	CCC_CAUSE_WRONG_EPOCH,	/* made at another epoch */
	CCC_CAUSE_UNKNOWN_NODE,	/* a node number beyond the key's n */
	CCC_CAUSE_WRONG_REQUEST,	/* bound to another request */
	CCC_CAUSE_WRONG_RECIPIENT,	/* sealed to another key */
	CCC_CAUSE_WRONG_COUNT,	/* shares for another number of inputs */
	CCC_CAUSE_WRONG_CIPHERTEXT,	/* a share made for another input */
	CCC_CAUSE_FAILED_PROOF,	/* a share whose proof does not verify */
	CCC_CAUSE_UNCHECKED,	/* not every share checked: not needed */
	CCC_CAUSE_N
};
/* "verified", "failed-proof", ...: the code's name (NULL if none). */
const char *ccc_combine_cause_name(unsigned cause);
/* The code named s[0..len), or -1. */
int ccc_combine_cause_find(const char *s, size_t len);

struct ccc_node_report {
	enum ccc_node_verdict verdict;
	enum ccc_combine_cause cause;	/* final reports: the first failure */
	bool final, failed;
	uint32_t index;		/* the node's number, 0 if its blob did not say */
	uint32_t t;		/* shares needed */
	const char *file;	/* its sealed-share file */
	const char *other;	/* CCC_NODE_REPEAT: the file it repeats */
	const char *why;	/* CCC_NODE_BAD: the first failure */
	/* With digests: SHA-256 of the file, NULL if it could not be
	 * read as a sealed blob. */
	const uint8_t *digest;
};
typedef void (*ccc_node_fn)(void *arg, const struct ccc_node_report *r);

struct ccc_combine_mem {
	const uint8_t *p;
	size_t len;
};

struct ccc_tdh2_pub;
struct ccc_ct_src;
struct ccc_coin;
struct ccc_combine_in {
	struct ccc_tdh2_pub *pub;	/* tables may be added to it */
	const uint8_t *sk, *pk;		/* NULL: no ccc sealed blobs */
	/* Chainlink shares (lib/vault.h): the X25519 key pair they are
	 * sealed to, or NULL (only unsealed JSON shares). */
	const uint8_t *box_sk, *box_pk;
	const uint8_t *ctx;
	size_t ctx_len;
	struct ccc_ct_src *cts;	/* opened (counted) */
	char **sealed;		/* the files, or with sealed_mem their names */
	int nsealed;
	/* Or NULL: node k's release is the bytes sealed_mem[k] (a ccc
	 * sealed blob, or a level-2 sequence of them), not a file. */
	const struct ccc_combine_mem *sealed_mem;
	unsigned jobs;		/* threads (0 or 1: one) */
	const struct ccc_progress *progress;	/* or NULL */
	bool digests;		/* each file's SHA-256 in its final report */
	ccc_node_fn verdict;	/* each verdict on a node, or NULL */
	void *verdict_arg;
	/*
	 * Level 2: each sealed file is a node's release to every replica
	 * (the blob sealed to pk is read), whose last record is the node's
	 * share of this coin; t of them verified give *coin_seed.  A node
	 * whose coin share fails is bad as for a ciphertext share.
	 */
	const struct ccc_coin *coin;
	uint8_t *coin_seed;		/* 32 bytes */
};
/*
 * Open the sealed shares in files sealed[] with the recipient key (sk,
 * pk), keep the shares bound to ctx, or, for a file of Chainlink shares
 * (text, a share a line), open them with (box_sk, box_pk); per ciphertext
 * of cts, verify proofs in input order until t verified, combine those t
 * and decrypt; emit() receives each
 * plaintext (secret memory, valid during the call) once it has
 * authenticated.  Nodes whose shares were not used, or that repeat
 * another file, go to in->verdict; fewer than t valid shares for a
 * ciphertext is CCC_E_THRESHOLD naming every bad node.  Prints nothing.
 */
typedef int (*ccc_plain_fn)(void *arg, size_t i, const uint8_t *p, size_t n,
    struct ccc_err *err);
int ccc_combine_core(const struct ccc_combine_in *in, ccc_plain_fn emit,
    void *arg, struct ccc_err *err) CCC_WUR;

#endif
