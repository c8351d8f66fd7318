/*
 * What the ops share: reading a named input at the op boundary, where its
 * name goes into the error, and a node's key pair.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>

#include "cli.h"
#include "combine.h"
#include "io.h"
#include "json.h"
#include "keys.h"
#include "ops.h"
#include "quorum.h"

int
ccc_op_read_tpk(struct ccc_tdh2_pub *pub, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	int rc;

	memset(pub, 0, sizeof(*pub));
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_named(&b, path, 1 << 20, false, err)) == 0 &&
	    (rc = ccc_tpk_load(ccc_ec_default(), pub, b.p, b.len, err)) != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}

int
ccc_op_name_arg(const char *arg, const char *what, char *name,
    const char **file, struct ccc_err *err)
{
	const char *eq = strchr(arg, '=');
	struct ccc_err nerr;

	if (eq == NULL || eq[1] == '\0')
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "\"%s\": "
		    "expected NAME=PUB", arg);
	ccc_err_clear(&nerr);
	if (ccc_name_check(what, arg, (size_t)(eq - arg), CCC_ID_NAME_MAX, -1,
	    &nerr) != 0)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "%s",
		    nerr.detail);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	*file = eq + 1;
	return 0;
}

int
ccc_op_label_context(const char **ctx, char *buf, size_t cap,
    const struct ccc_op_label *l, struct ccc_err *err)
{
	struct ccc_err e;
	uint8_t label[32];
	size_t n;
	int rc = 0;

	*ctx = NULL;
	ccc_err_clear(&e);
	if ((l->context != NULL) + (l->owner != NULL) + (l->org_id != NULL) +
	    (l->hex != NULL) > 1)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-l, --owner, "
		    "--org-id and --label-hex exclude each other");
	if (l->owner != NULL)
		rc = ccc_label_spell(buf, cap, CCC_LABEL_OWNER, l->owner, err);
	else if (l->org_id != NULL)
		rc = ccc_label_spell(buf, cap, CCC_LABEL_ORG, l->org_id, err);
	else if (l->hex != NULL)
		rc = ccc_label_spell(buf, cap, CCC_LABEL_RAW, l->hex, err);
	else if (l->context == NULL)
		return 0;
	else if ((n = strlen(l->context)) == 0 || n > CCC_CONTEXT_MAX)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL,
		    "the label context must be 1 to %d bytes",
		    CCC_CONTEXT_MAX);
	else if (n >= cap)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "label");
	else if (ccc_label(label, l->context, n, &e) != 0)
		return ccc_err_set(err, CCC_E_USAGE, -1, NULL, "-l: %s",
		    e.detail);
	else
		memcpy(buf, l->context, n + 1);
	if (rc == 0)
		*ctx = buf;
	return rc;
}

int
ccc_node_keys_load(struct ccc_tdh2_pub *pub, struct ccc_share **sh,
    BIGNUM **x, const char *tpk, const char *share, struct ccc_err *err)
{
	struct ccc_ec *ec = ccc_ec_default();
	struct ccc_buf sb;
	int rc;

	memset(pub, 0, sizeof(*pub));
	*sh = NULL;
	*x = NULL;
	ccc_buf_init(&sb, 1);
	if ((rc = ccc_op_read_tpk(pub, tpk, err)) != 0)
		goto out;
	if ((*sh = ccc_share_new()) == NULL || (*x = BN_secure_new()) ==
	    NULL) {
		rc = ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "share");
		goto out;
	}
	BN_set_flags(*x, BN_FLG_CONSTTIME);
	if ((rc = ccc_read_named(&sb, share, 4096, true, err)) != 0)
		goto out;
	if ((rc = ccc_share_load(*sh, sb.p, sb.len, err)) != 0 ||
	    (rc = ccc_share_check(ec, *sh, pub, err)) != 0 ||
	    (rc = ccc_ec_scalar_decode(ec, *x, (*sh)->x, "x", err)) != 0)
		ccc_err_what(err, share);
out:
	if (rc != 0) {
		ccc_tdh2_pub_free(pub);
		ccc_share_free(*sh);
		BN_clear_free(*x);
		*sh = NULL;
		*x = NULL;
	}
	ccc_buf_free(&sb);
	return rc;
}

/* "node 3 (FILE)", or "FILE" alone when its blob did not say which node. */
static const char *
node_name(const struct ccc_node_report *r, char *buf, size_t len)
{
	if (r->index == 0)
		snprintf(buf, len, "%s", r->file);
	else
		snprintf(buf, len, "node %u (%s)", r->index, r->file);
	return buf;
}

int
ccc_op_nodes_open(struct ccc_op_nodes *nr, const char *path, bool force,
    struct ccc_err *err)
{
	int rc;

	memset(nr, 0, sizeof(*nr));
	ccc_buf_init(&nr->json, 0);
	nr->out.fd = -1;
	if (path == NULL)
		return 0;
	if ((rc = ccc_out_open(&nr->out, path, force ? CCC_OUT_FORCE : 0,
	    err)) != 0)
		return rc;
	nr->open = true;
	return 0;
}

void
ccc_op_node_note(void *arg, const struct ccc_node_report *r)
{
	static const char *const verdict[] = {
		"ok", "repeat", "bad", "unchecked"
	};
	struct ccc_op_nodes *nr = arg;
	struct ccc_buf *b = &nr->json;
	char name[256];
	int rc;

	if (!r->final)
		return;
	/*
	 * A repeated file: a warning after a success, part of the one error
	 * line after a failure.
	 */
	if (r->verdict == CCC_NODE_REPEAT && !r->failed)
		ccc_cli_warn("node %u: %s repeats %s; ignored", r->index,
		    r->file, r->other);
	if (r->verdict == CCC_NODE_REPEAT && r->failed) {
		size_t at = strlen(nr->repeats);
		snprintf(nr->repeats + at, sizeof(nr->repeats) - at,
		    "%snode %u: %s repeats %s", at ? "; " : "; ignored: ",
		    r->index, r->file, r->other);
	}
	/* A failure names the bad nodes in its one error line. */
	if (r->verdict == CCC_NODE_BAD && !r->failed)
		ccc_cli_warn("%s: %s; its shares were not used",
		    node_name(r, name, sizeof(name)), r->why);
	nr->judged = true;
	nr->failed = r->failed;
	nr->t = r->t;
	nr->ok += r->verdict == CCC_NODE_OK;
	if (!nr->open || nr->nomem)
		return;
	rc = ccc_buf_printf(b, "%s{\"file\": ", nr->n++ ? ",\n" : "");
	if (rc == 0)
		rc = ccc_json_put_str(b, r->file);
	if (rc == 0)
		rc = ccc_buf_printf(b, ", \"node\": %u, \"verdict\": \"%s\"",
		    r->index, verdict[r->verdict]);
	if (rc == 0 && (r->verdict == CCC_NODE_BAD ||
	    r->verdict == CCC_NODE_REPEAT))
		rc = ccc_buf_printf(b, ", \"%s\": ", r->verdict ==
		    CCC_NODE_BAD ? "why" : "repeats");
	if (rc == 0 && (r->verdict == CCC_NODE_BAD ||
	    r->verdict == CCC_NODE_REPEAT))
		rc = ccc_json_put_str(b, r->verdict == CCC_NODE_BAD ? r->why :
		    r->other);
	if (rc == 0)
		rc = ccc_buf_printf(b, "}");
	if (rc != 0)
		nr->nomem = true;
}

static int
nodes_write(struct ccc_op_nodes *nr, const char *tool, struct ccc_err *err)
{
	struct ccc_buf head;
	int rc;

	if (!nr->open || !nr->judged)
		return 0;
	if (nr->nomem)
		return ccc_err_set(err, CCC_E_NOMEM, -1, NULL, "report");
	ccc_buf_init(&head, 0);
	if ((rc = ccc_buf_printf(&head, "{\"tool\": \"%s\", \"complete\": "
	    "%s, \"needed\": %u, \"valid\": %zu, \"nodes\": [\n", tool,
	    nr->failed ? "false" : "true", nr->t, nr->ok)) != 0 ||
	    (rc = ccc_buf_printf(&nr->json, "\n]}\n")) != 0)
		rc = ccc_err_set(err, rc, -1, NULL, "report");
	else if ((rc = ccc_out_write(&nr->out, head.p, head.len, err)) == 0 &&
	    (rc = ccc_out_write(&nr->out, nr->json.p, nr->json.len,
	    err)) == 0 && (rc = ccc_out_commit(&nr->out, err)) == 0)
		nr->open = false;
	ccc_buf_free(&head);
	return rc;
}

int
ccc_op_nodes_commit(struct ccc_op_nodes *nr, const char *tool, int rc,
    struct ccc_err *err)
{
	/* After a failure its own error stands, the report's is dropped. */
	int wrc = nodes_write(nr, tool, rc ? NULL : err);

	if (rc != 0 && err != NULL && nr->repeats[0] != '\0') {
		size_t at = strlen(err->detail);
		snprintf(err->detail + at, sizeof(err->detail) - at, "%s",
		    nr->repeats);
	}
	return rc ? rc : wrc;
}

void
ccc_op_nodes_close(struct ccc_op_nodes *nr)
{
	if (nr->open)
		ccc_out_abort(&nr->out);
	nr->open = false;
	ccc_buf_free(&nr->json);
}
