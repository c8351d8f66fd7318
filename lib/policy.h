/*
 * Label policy of a decryption node (and of an oracle): which label
 * contexts a ciphertext may carry to be served for an application.
 *
 * Default rule (always on): for app id A, a context is allowed if it is
 * "app:A" or begins with "app:A/".  A policy file adds allowances, one per
 * line ('#' starts a comment):
 *
 *   allow APP CONTEXT        exactly CONTEXT is allowed for APP
 *   allow APP PREFIX*        any context beginning with PREFIX
 *   allow-unlabelled APP     unlabelled (all-zero label) ciphertexts, as
 *                            Chainlink's encryptor makes, for APP
 *
 * APP may be * for every application.  Tokens are separated by spaces or
 * tabs and cannot contain them.  A CONTEXT spelled owner:0x<address>,
 * org:<id> or label:<64 hex digits> (lib/label.h; hex digits in either
 * case) names one label and allows every ciphertext carrying it, however
 * its context spells it; it takes no '*'.
 *
 * A label may also bind custody: a context "app:A/..." with a path segment
 * "code=<SHA-384, 96 lowercase hex digits>" is served only for a request
 * whose code measurement is that, one with "recipient=<SHA-256 of an
 * X25519 key, 64 lowercase hex digits>" only for a request whose output is
 * sealed to that key.  A segment that starts so but is not that many hex
 * digits binds nothing anyone could meet: it is refused.
 */
#ifndef CCC_POLICY_H
#define CCC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ccc.h"

struct ccc_label_rule {
	char *app;		/* "*" for any */
	char *context;		/* NULL for allow-unlabelled */
	bool prefix;
	bool by_label;		/* an owner:, org: or label: rule: */
	uint8_t label[32];	/* ... matches this label however spelled */
};

struct ccc_label_policy {
	struct ccc_label_rule *rules;
	size_t n;
	bool allow_unlabelled_all;	/* -U on the command line */
};

/* Load a policy file (NULL: the default rule only). */
int ccc_label_policy_load(struct ccc_label_policy *p, const char *path,
    struct ccc_err *err) CCC_WUR;
void ccc_label_policy_free(struct ccc_label_policy *p);
/* 0 if a ciphertext with this context (NULL: unlabelled) may be served for
 * app; CCC_E_POLICY with the reason otherwise. */
int ccc_label_policy_check(const struct ccc_label_policy *p, const char *app,
    size_t app_len, const char *context, size_t context_len,
    struct ccc_err *err) CCC_WUR;

/* 0 if the custody bindings of a context (as above) hold for a request
 * running code (48 bytes) whose output is sealed to recipient (a 32-byte
 * key; NULL when it is not sealed); CCC_E_POLICY with the reason
 * otherwise. */
int ccc_label_custody_check(const char *context, size_t context_len,
    const uint8_t code[48], const uint8_t *recipient, struct ccc_err *err)
    CCC_WUR;

#endif
