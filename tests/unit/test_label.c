/*
 * lib/label.c and the label rules of lib/policy.c: the three label kinds
 * of Chainlink's Vault DON against the labels of
 * tests/vectors/chainlink/README.md, their one spelling each, and policy
 * rules that name a label matching it however a context spells it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "blob.h"
#include "label.h"
#include "policy.h"
#include "tap.h"

#define OWNER "0x0001020304050607080910111213141516171819"
#define OWNER_LABEL \
	"0000000000000000000000000001020304050607080910111213141516171819"
#define ORG_LABEL \
	"42d310246a189a75ab93118e139563c46b4c7f5af5d2be01a71bdad801a2da1f"

static void
label_is(const char *ctx, const char *want_hex)
{
	struct ccc_err err;
	uint8_t l[32], want[32];

	ccc_err_clear(&err);
	sodium_hex2bin(want, 32, want_hex, 64, NULL, NULL, NULL);
	ok(ccc_label(l, ctx, strlen(ctx), &err) == 0 &&
	    memcmp(l, want, 32) == 0, "label of %s", ctx);
}

static void
refused(const char *ctx, const char *reason)
{
	struct ccc_err err;
	uint8_t l[32];
	int rc;

	ccc_err_clear(&err);
	rc = ccc_label(l, ctx, strlen(ctx), &err);
	ok(rc == CCC_E_FIELD && strstr(err.detail, reason) != NULL,
	    "%s refused: %s", ctx, err.detail);
}

static void
spells(enum ccc_label_kind k, const char *arg, const char *want)
{
	struct ccc_err err;
	char out[CCC_CONTEXT_MAX + 1];

	ccc_err_clear(&err);
	ok(ccc_label_spell(out, sizeof(out), k, arg, &err) == 0 &&
	    strcmp(out, want) == 0, "%s spelled %s", arg, want);
}

static void
not_spelled(enum ccc_label_kind k, const char *arg, const char *reason)
{
	struct ccc_err err;
	char out[CCC_CONTEXT_MAX + 1];

	ccc_err_clear(&err);
	ok(ccc_label_spell(out, sizeof(out), k, arg, &err) == CCC_E_USAGE &&
	    strstr(err.detail, reason) != NULL, "%s refused: %s", arg,
	    err.detail);
}

/* Load a policy of the given text, check ctx for app; the return code. */
static int
policy(const char *text, const char *app, const char *ctx, char *detail)
{
	char path[] = "/tmp/ccc-test-label-XXXXXX";
	struct ccc_label_policy p;
	struct ccc_err err;
	int fd, rc;

	if ((fd = mkstemp(path)) < 0 || write(fd, text, strlen(text)) !=
	    (ssize_t)strlen(text))
		abort();
	close(fd);
	ccc_err_clear(&err);
	if ((rc = ccc_label_policy_load(&p, path, &err)) == 0) {
		rc = ccc_label_policy_check(&p, app, strlen(app), ctx,
		    ctx ? strlen(ctx) : 0, &err);
		ccc_label_policy_free(&p);
	}
	unlink(path);
	snprintf(detail, sizeof(err.detail), "%s", err.detail);
	return rc;
}

int
main(void)
{
	char name[CCC_LABEL_SPELL_MAX], d[256];
	uint8_t l[32];
	struct ccc_err err;

	if (sodium_init() < 0)
		return 2;
	ccc_err_clear(&err);
	ok(ccc_label(l, NULL, 0, &err) == 0 && sodium_is_zero(l, 32),
	    "no context: the zero label");
	label_is("owner:" OWNER, OWNER_LABEL);
	label_is("org:org_2xAbCdEf", ORG_LABEL);
	label_is("org_2xAbCdEf", ORG_LABEL);	/* SHA-256 of a context */
	label_is("label:" ORG_LABEL, ORG_LABEL);
	refused("owner:0x0001020304050607080910111213141516171819a",
	    "40 lowercase hex");
	refused("owner:0x0001020304050607080910111213141516171A19",
	    "40 lowercase hex");
	refused("owner:0x0000000000000000000000000000000000000000",
	    "owner address is zero");
	refused("label:" OWNER_LABEL, "owner:0x");
	refused("label:0000000000000000000000000000000000000000000000000000"
	    "000000000000", "spelled as no context");
	refused("label:42D310246a189a75ab93118e139563c46b4c7f5af5d2be01a71bd"
	    "ad801a2da1f", "64 lowercase hex");
	refused("org:", "names an org id");

	spells(CCC_LABEL_OWNER, "0x0001020304050607080910111213141516171819",
	    "owner:" OWNER);
	spells(CCC_LABEL_OWNER, "0XABCDEF0405060708091011121314151617181900",
	    "owner:0xabcdef0405060708091011121314151617181900");
	spells(CCC_LABEL_RAW, "42D310246A189A75AB93118E139563C46B4C7F5AF5D2BE"
	    "01A71BDAD801A2DA1F", "label:" ORG_LABEL);
	spells(CCC_LABEL_ORG, "org_2xAbCdEf", "org:org_2xAbCdEf");
	not_spelled(CCC_LABEL_OWNER, "0001020304050607080910111213141516171819",
	    "0x and 40 hex");
	not_spelled(CCC_LABEL_OWNER, "0x0000000000000000000000000000000000000000",
	    "all zero");
	not_spelled(CCC_LABEL_RAW, OWNER_LABEL, "owner label");
	not_spelled(CCC_LABEL_RAW, "42d3", "64 hex digits");
	not_spelled(CCC_LABEL_ORG, "", "1 to");

	sodium_hex2bin(l, 32, OWNER_LABEL, 64, NULL, NULL, NULL);
	ccc_label_name(name, l);
	ok_eq_str(name, "owner:" OWNER, "an owner label named");
	sodium_hex2bin(l, 32, ORG_LABEL, 64, NULL, NULL, NULL);
	ccc_label_name(name, l);
	ok_eq_str(name, "label:" ORG_LABEL, "another label named raw");
	memset(l, 0, 32);
	ccc_label_name(name, l);
	ok_eq_str(name, "", "the zero label named empty");

	/* Policy rules naming a label match every spelling of it. */
	ok_eq_int(policy("allow a owner:" "0x00010203040506070809101112131415"
	    "16171819\n", "a", "owner:" OWNER, d), 0, "owner rule, owner ct");
	ok_eq_int(policy("allow a owner:0X00010203040506070809101112131415"
	    "16171819\n", "a", "label:" ORG_LABEL, d), CCC_E_POLICY,
	    "owner rule, another label: %s", d);
	ok_eq_int(policy("allow a org:org_2xAbCdEf\n", "a", "label:"
	    ORG_LABEL, d), 0, "org rule, the same label spelled raw");
	ok_eq_int(policy("allow a org:org_2xAbCdEf\n", "b", "label:"
	    ORG_LABEL, d), CCC_E_POLICY, "org rule, another app: %s", d);
	ok_eq_int(policy("allow a label:42D310246A189A75AB93118E139563C46B4C7F"
	    "5AF5D2BE01A71BDAD801A2DA1F\n", "a", "org:org_2xAbCdEf", d), 0,
	    "raw rule (upper case), the same label spelled as an org");
	ok_eq_int(policy("allow * org:org_2xAbCdEf\n", "z", "org_2xAbCdEf",
	    d), 0, "org rule, the label as SHA-256 of a context");
	ok_eq_int(policy("allow a owner:0x00*\n", "a", "owner:" OWNER, d),
	    CCC_E_MALFORMED, "a label rule takes no *: %s", d);
	ok_eq_int(policy("allow a owner:0x12\n", "a", "owner:" OWNER, d),
	    CCC_E_MALFORMED, "a bad owner rule: %s", d);
	ok_eq_int(policy("allow a label:" OWNER_LABEL "\n", "a", "owner:"
	    OWNER, d), CCC_E_MALFORMED, "an owner label spelled raw: %s", d);
	ok_eq_int(policy("allow a app:b\n", "a", "owner:" OWNER, d),
	    CCC_E_POLICY, "no rule for it: %s", d);
	return tap_done();
}
