/*
 * The combine engine's nodes (lib/combine_node.c): each sealed-share file
 * given to ccc_combine_core, opened and checked once, and what it is
 * judged.  Private to lib/combine.c.
 */
#ifndef CCC_COMBINE_NODE_H
#define CCC_COMBINE_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccc.h"
#include "combine.h"
#include "seal.h"

struct node {
	const char *file;
	struct ccc_sealed_file f;	/* f.s.index also for a Vault file */
	struct ccc_tdh2_dshare *vds;	/* a Vault file's shares, or NULL */
	bool bad;		/* excluded for every ciphertext */
	bool unchecked;		/* a share not checked: t others were */
	bool warned;		/* "repeats" reported */
	const char *repeats;	/* the file of the same node it repeats */
	char why[200];		/* first failure, for the report */
	enum ccc_combine_cause cause;	/* its code */
	uint8_t digest[32];	/* SHA-256 of the file, if has_digest */
	bool has_digest;
};

/* A blob that did not open is unopenable; any other failure undecodable. */
enum ccc_combine_cause ccc_nd_read_cause(int rc);
/* The first failure stands: its reason and its code; all: every share. */
void ccc_nd_fail(struct node *nd, bool all, enum ccc_combine_cause cause,
    const char *fmt, ...) CCC_PRINTF(4, 5);
/* "node 3 (FILE)", or "FILE" alone when its blob did not say which node. */
const char *ccc_nd_name(const struct node *nd, char *buf, size_t len);
/* "; NODE: why" for every node whose shares were not all used. */
void ccc_nd_bad_list(char *list, size_t len, const struct node *nodes,
    int n);
/* Whether a regular file holds Chainlink shares (text). */
int ccc_nd_is_vault(const char *path, bool *vault, struct ccc_err *err)
    CCC_WUR;
/* A file of Chainlink shares, read whole; failures only mark the node. */
int ccc_nd_load_vault(struct node *nd, const struct ccc_combine_in *in,
    size_t nct, struct ccc_err *err) CCC_WUR;
/* A node's sealed blob, opened and checked; failures only mark the node. */
int ccc_nd_load(struct node *nd, const struct ccc_tdh2_pub *pub,
    const uint8_t *sk, const uint8_t pk[32], const uint8_t *ctx,
    size_t ctx_len, size_t nct, bool digest, bool seq,
    const struct ccc_combine_mem *mem, struct ccc_err *err) CCC_WUR;

#endif
