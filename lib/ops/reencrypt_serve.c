/*
 * ccc-reencrypt --serve: one node process serves many certified requests
 * (the loop and the answers: lib/ops/serve.c).  The keys, the roster and
 * the policies are read once (ccc_node_open); each request is then served
 * exactly as ccc-reencrypt -r serves one (ccc_node_serve: the pool read
 * again, the state locked, logged, kept), at the time of its arrival
 * unless --now fixes it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "ops.h"

struct node_serving {
	struct ccc_node *nd;
	const struct ccc_serve_opts *o;
	bool fixed_now;
};

/* The request's bytes in a private unlinked file, from its start. */
static int
spool(const uint8_t *p, size_t n, int *fd, struct ccc_err *err)
{
	int rc;

	if ((rc = ccc_tmpfile(fd, err)) != 0)
		return rc;
	if (ccc_write_full(*fd, p, n) != 0 || lseek(*fd, 0, SEEK_SET) != 0) {
		rc = ccc_err_set(err, CCC_E_IO, -1, NULL, "request spool: %s",
		    strerror(errno));
		close(*fd);
		*fd = -1;
	}
	return rc;
}

static int
serve_request(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct node_serving *s = ctx;
	struct ccc_serve_opts so = *s->o;
	int in, rc;

	so.in = name;
	so.out = NULL;
	if (!s->fixed_now)
		so.now = (uint64_t)time(NULL);
	if ((rc = spool(p, n, &in, err)) != 0)
		return rc;
	return ccc_node_serve(s->nd, &so, in, out, rid, have_rid, err);
}

int
ccc_reencrypt_serve(const struct ccc_serve_opts *o, bool fixed_now,
    struct ccc_err *err)
{
	struct node_serving s = { NULL, o, fixed_now };
	int rc;

	if ((rc = ccc_node_open(&s.nd, o, err)) != 0)
		return rc;
	rc = ccc_serve_loop(serve_request, &s, err);
	ccc_node_close(s.nd);
	return rc;
}
