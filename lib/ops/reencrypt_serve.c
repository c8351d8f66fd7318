/*
 * ccc-reencrypt --serve: one node process serves many certified requests
 * (the loop and the answers: lib/ops/serve.c).  The keys, the roster and
 * the policies are read once (ccc_node_open); each request is then served
 * exactly as ccc-reencrypt -r serves one (ccc_node_serve: the pool read
 * again, the state locked, logged, kept), at the time of its arrival
 * unless --now fixes it; but it is marked released only once its answer
 * is written (ccc_node_settle): a lost answer leaves it logged and its
 * blob kept, which the same request, sent again, gets.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "ops.h"

struct node_serving {
	struct ccc_node *nd;
	const struct ccc_serve_opts *o;
	int spool;		/* a private file in memory, for every request */
	bool fixed_now;
};

/*
 * The request's bytes in the spool, from its start; *fd, a descriptor of
 * it for the request reader (which closes it).
 */
static int
spool(int sp, const uint8_t *p, size_t n, int *fd, struct ccc_err *err)
{
	if (ccc_scratch_empty(sp) != 0 ||
	    ccc_write_full(sp, p, n) != 0 || lseek(sp, 0, SEEK_SET) != 0 ||
	    (*fd = dup(sp)) < 0)
		return ccc_err_set(err, CCC_E_IO, -1, NULL, "request spool: %s",
		    strerror(errno));
	return 0;
}

static int
serve_request(void *ctx, const uint8_t *p, size_t n, const char *name,
    struct ccc_out *out, uint8_t rid[32], bool *have_rid,
    struct ccc_err *err)
{
	struct node_serving *s = ctx;
	struct ccc_serve_opts so = *s->o;
	int in = -1, rc;

	so.in = name;
	so.out = NULL;
	if (!s->fixed_now)
		so.now = ccc_serve_clock();
	if ((rc = spool(s->spool, p, n, &in, err)) != 0)
		return rc;
	return ccc_node_serve(s->nd, &so, in, out, rid, have_rid, err);
}

/* The release just answered, marked released now that its answer is out. */
static int
settle_request(void *ctx, struct ccc_err *err)
{
	struct node_serving *s = ctx;

	return ccc_node_settle(s->nd, s->o->state, err);
}

int
ccc_reencrypt_serve(const struct ccc_serve_opts *o, bool fixed_now,
    struct ccc_err *err)
{
	struct node_serving s = { NULL, o, -1, fixed_now };
	int rc;

	if ((rc = ccc_node_open(&s.nd, o, err)) != 0)
		return rc;
	if ((rc = ccc_memfile(&s.spool, "ccc-request", err)) == 0) {
		rc = ccc_serve_loop(serve_request, settle_request, &s, err);
		close(s.spool);
	}
	ccc_node_close(s.nd);
	return rc;
}
