/*
 * The sandbox: a well-behaved program runs and its output comes back;
 * network, writes outside the scratch directory, timeouts, oversized
 * output, crashes and failures are each stopped and reported, and the
 * environment is empty; the code has an unprivileged uid and no
 * capability; only a socketpair is a socket; the kernel's gaps are named.
 * (tests/cli/sandbox.bats tries each escape.)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "sandbox.h"
#include "tap.h"

static struct ccc_sandbox_limits lim;

static int
run(const char *script, const char *in, struct ccc_buf *out,
    struct ccc_sandbox_result *res)
{
	return ccc_sandbox_run((const uint8_t *)script, strlen(script),
	    (const uint8_t *)in, in ? strlen(in) : 0, &lim, out, res, NULL);
}

/*
 * Level 2: the program has no randomness but its input's seed.  The
 * same probe without the flag shows that it can fail: both sources
 * work there.
 */
static void
deterministic(struct ccc_buf *out)
{
	struct ccc_sandbox_result r;
	char script[512], d[128];
	int rc;

	snprintf(script, sizeof(script), "#!/usr/bin/perl\n"
	    "my $b = \"\\0\" x 16;\n"
	    "my $n = syscall(%d, $b, 16, 0);\n"
	    "print \"getrandom: \", ($n == 16 ? \"16 bytes\" : \"$!\"), \"\\n\";\n"
	    "print \"urandom: \", (open(my $f, \"<\", \"/dev/urandom\") ?"
	    " \"read\" : \"$!\"), \"\\n\";\n"
	    "print \"random: \", (open(my $g, \"<\", \"/dev/random\") ?"
	    " \"read\" : \"$!\"), \"\\n\";\n", (int)SYS_getrandom);
	rc = run(script, NULL, out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out->len == 47 &&
	    memcmp(out->p, "getrandom: 16 bytes\nurandom: read\n"
	    "random: read\n", 47) == 0, "level 1: the program may draw "
	    "random bytes: %s %.*s", ccc_sandbox_describe(&r, d, sizeof(d)),
	    (int)out->len, out->p);
	lim.deterministic = true;
	rc = run(script, NULL, out, &r);
	lim.deterministic = false;
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out->len == 89 &&
	    memcmp(out->p, "getrandom: Function not implemented\n"
	    "urandom: Permission denied\nrandom: Permission denied\n",
	    89) == 0, "level 2: no getrandom, no /dev/urandom, no "
	    "/dev/random: %s %.*s", ccc_sandbox_describe(&r, d, sizeof(d)),
	    (int)out->len, out->p);
}

/*
 * A serving enclave's held keys (ccc_secret_pages): a child of the process,
 * as the sandbox's is before it executes the code, reads zeros where they
 * are; the parent keeps them.
 */
static void
held_keys(void)
{
	size_t size = 3 * 4096 + 100, i;
	uint8_t *p = ccc_secret_pages(size);
	pid_t pid;
	int st = -1;

	ok(p != NULL, "secret pages are mapped");
	if (p == NULL)
		return;
	memset(p, 0xa5, size);
	if ((pid = fork()) == 0) {
		for (i = 0; i < size; i++)
			if (p[i] != 0)
				_exit(1);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, "a child reads zeros in secret pages");
	for (i = 0; i < size && p[i] == 0xa5; i++)
		;
	ok(i == size, "the parent keeps them");
	ccc_secret_pages_free(p, size);
}

/*
 * A code that quits without reading its input: the rest of the input
 * cannot be written (EPIPE), which must not end this process by SIGPIPE
 * (an enclave serving requests would end with it).  1 MiB is more than
 * a pipe holds, so a write after the code ended is certain.
 */
static void
unread_input(struct ccc_buf *out)
{
	struct ccc_sandbox_result r;
	size_t n = 1 << 20;
	char d[128], *in;
	int rc;

	if ((in = malloc(n + 1)) == NULL)
		abort();
	memset(in, 'a', n);
	in[n] = '\0';
	rc = run("#!/bin/sh\necho done\n", in, out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out->len == 5 &&
	    memcmp(out->p, "done\n", 5) == 0, "a code that does not read its "
	    "input: its output is used, and we are not killed: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	free(in);
}

int
main(void)
{
	struct ccc_sandbox_result r;
	struct ccc_buf out;
	char d[128], want[128], gaps[1024];
	int rc;

	if (sodium_init() < 0)
		return 99;
	ccc_buf_init(&out, 1);
	ccc_sandbox_defaults(&lim);
	lim.timeout_ms = 3000;

	rc = run("#!/bin/sh\ntr a-z A-Z\n", "hello", &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out.len == 5 &&
	    memcmp(out.p, "HELLO", 5) == 0, "a filter runs: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	rc = run("#!/bin/sh\nenv | wc -l\n", NULL, &out, &r);
	/* sh itself sets PWD (and may set SHLVL, _): no inherited variable. */
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out.len > 0 &&
	    atoi((char *)out.p) <= 3, "the environment is (nearly) empty: %.*s",
	    (int)out.len, out.p);
	rc = run("#!/bin/sh\necho x > inside && cat inside\n", NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out.len == 2,
	    "the scratch directory is writable");
	rc = run("#!/bin/sh\necho x > /tmp/ccc-sandbox-escape\n", NULL, &out,
	    &r);
	ok(rc == 0 && r.outcome == CCC_RUN_FAILED &&
	    access("/tmp/ccc-sandbox-escape", F_OK) != 0,
	    "a write outside the scratch directory fails: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	rc = run("#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/9\n", NULL, &out,
	    &r);
	ok(rc == 0 && r.outcome == CCC_RUN_FORBIDDEN,
	    "an inet socket kills the code: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	lim.network = true;
	rc = run("#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/9 || exit 7\n", NULL,
	    &out, &r);
	ok(rc == 0 && r.outcome != CCC_RUN_FORBIDDEN,
	    "with network allowed a socket is not killed: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	lim.network = false;
	lim.timeout_ms = 300;
	rc = run("#!/bin/sh\nsleep 30\n", NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_TIMEOUT && r.seconds < 5,
	    "a sleeper is stopped at the timeout: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	lim.timeout_ms = 3000;
	lim.out_bytes = 1000;
	rc = run("#!/bin/sh\nhead -c 100000 /dev/zero\n", NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_OUTPUT_LIMIT && out.len == 0,
	    "too much output is stopped and discarded: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	lim.out_bytes = 1 << 20;
	rc = run("#!/bin/sh\nkill -SEGV $$\n", NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_CRASHED && r.status == 11,
	    "a crash is reported: %s", ccc_sandbox_describe(&r, d, sizeof(d)));
	rc = run("#!/bin/sh\necho partial; exit 3\n", NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_FAILED && r.status == 3 &&
	    out.len == 0, "a failure is reported and its output dropped");
	/* (The shell reads its own /proc entry: a child's is not allowed.) */
	rc = run("#!/bin/sh\nid -u; id -G\nwhile read -r k v; do\n"
	    "[ \"$k\" != CapEff: ] || echo \"$k $v\"\ndone </proc/self/status\n",
	    NULL, &out, &r);
	snprintf(want, sizeof(want), "%u\n%u\nCapEff: 0000000000000000\n",
	    geteuid() == 0 ? 65534U : (unsigned)geteuid(),
	    geteuid() == 0 ? 65534U : (unsigned)getegid());
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out.len == strlen(want) &&
	    memcmp(out.p, want, out.len) == 0, "an unprivileged uid, no "
	    "supplementary group, no capability: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	rc = run("#!/usr/bin/perl\nuse Socket;\n"
	    "socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die;\n"
	    "print \"pair\\n\";\n"
	    "socket(my $s, AF_UNIX, SOCK_STREAM, 0) or print \"$!\\n\";\n",
	    NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_OK && out.len == 23 &&
	    memcmp(out.p, "pair\nPermission denied\n", 23) == 0,
	    "a socketpair, but no Unix socket: %s",
	    ccc_sandbox_describe(&r, d, sizeof(d)));
	ok(strcmp(ccc_sandbox_missing(0, gaps, sizeof(gaps)), "") == 0 &&
	    strcmp(ccc_sandbox_missing(CCC_SANDBOX_NO_NETNS |
	    CCC_SANDBOX_NO_SCRATCH_CAP, gaps, sizeof(gaps)), "a network "
	    "namespace; a size cap on the scratch space") == 0,
	    "the kernel's gaps are named: %s", gaps);
	ok(r.missing == 0 || printf("# on this kernel, without: %s\n",
	    ccc_sandbox_missing(r.missing, gaps, sizeof(gaps))) > 0,
	    "this kernel's gaps, if any, are reported");
	rc = run("not an executable", NULL, &out, &r);
	ok(rc == 0 && r.outcome == CCC_RUN_FAILED && r.status == 127,
	    "a non-executable image fails to start");
	deterministic(&out);
	held_keys();
	unread_input(&out);
	ccc_buf_free(&out);
	return tap_done();
}
