#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "cli.h"
#include "par.h"

const char *ccc_progname = "ccc";

void
ccc_cli_init(int argc, char **argv)
{
	struct rlimit rl = { 0, 0 };
	const char *slash;
	int fd;

	if (argc > 0 && argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		ccc_progname = slash ? slash + 1 : argv[0];
	}
	/* A closed stdin/stdout/stderr must not be reused by our own files. */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(2);
	signal(SIGPIPE, SIG_DFL);
	/* Keys live in this process: no core files, no ptrace by others. */
	(void)setrlimit(RLIMIT_CORE, &rl);
#if !defined(__SANITIZE_ADDRESS__)
	/* (LeakSanitizer stops the world with ptrace, which this blocks.) */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: crypto library failure: libsodium "
		    "initialisation failed\n", ccc_progname);
		exit(2);
	}
	/* The config file is not needed and costs ~0.4 ms at start-up. */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1) {
		fprintf(stderr, "%s: crypto library failure: OpenSSL "
		    "initialisation failed\n", ccc_progname);
		exit(2);
	}
}

int
ccc_cli_fail(const struct ccc_err *err)
{
	int code = err->code ? err->code : CCC_E_INTERNAL;

	char v[4 * sizeof(err->detail)];

	/* One line, whatever an input put into a name or a detail. */
	fprintf(stderr, "%s: %s", ccc_progname, ccc_strerror(code));
	if (err->what[0] != '\0')
		fprintf(stderr, ": %s", ccc_vis(v, sizeof(v), err->what,
		    strlen(err->what), 0));
	if (err->item > 0)
		fprintf(stderr, ": item %ld", err->item);
	if (err->off >= 0)
		fprintf(stderr, ": at byte %lld", err->off);
	if (err->detail[0] != '\0')
		fprintf(stderr, ": %s", ccc_vis(v, sizeof(v), err->detail,
		    strlen(err->detail), 0));
	fputc('\n', stderr);
	return ccc_err_exit(code);
}

/* fmt and ap, escaped as ccc_vis does, on stderr. */
static void
vis_vprint(const char *fmt, va_list ap)
{
	char line[1024], v[4 * sizeof(line)];
	int n;

	if ((n = vsnprintf(line, sizeof(line), fmt, ap)) < 0)
		n = 0;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	fputs(ccc_vis(v, sizeof(v), line, (size_t)n, 0), stderr);
}

void
ccc_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", ccc_progname);
	va_start(ap, fmt);
	vis_vprint(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
ccc_cli_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: usage: ", ccc_progname);
	va_start(ap, fmt);
	vis_vprint(fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", ccc_progname);
	return 2;
}

int
ccc_cli_badopt(int c, char **argv, const struct option *longopts)
{
	const struct option *lo;
	const char *a = optind > 0 ? argv[optind - 1] : "";
	int n = (int)strcspn(a, "=");

	/*
	 * getopt_long sets optopt to 0 for an unknown long option and to the
	 * option's value for one whose argument is missing or unexpected; a
	 * long option is always the last argument it consumed.
	 */
	if (strncmp(a, "--", 2) == 0) {
		if (optopt == 0)
			return ccc_cli_usage("unknown option \"%.*s\"", n, a);
		for (lo = longopts; lo->name != NULL; lo++)
			if (lo->val == optopt && n > 2 &&
			    strncmp(lo->name, a + 2, (size_t)n - 2) == 0)
				return ccc_cli_usage(c == ':' ?
				    "option \"--%s\" needs an argument" :
				    "option \"--%s\" takes no argument",
				    lo->name);
	}
	if (c == ':')
		return ccc_cli_usage("option \"-%c\" needs an argument",
		    optopt);
	return ccc_cli_usage("unknown option \"-%c\"", optopt);
}

/* Whether word is one of the names in list (separated by spaces). */
static bool
named(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; p != NULL && *p != '\0'; p += strcspn(p, " ")) {
		p += strspn(p, " ");
		if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return true;
	}
	return false;
}

const struct ccc_cli_sub *
ccc_cli_sub(const struct ccc_cli_sub *subs, const char *name)
{
	for (; subs->name != NULL; subs++)
		if (strcmp(subs->name, name) == 0)
			return subs;
	return NULL;
}

int
ccc_cli_getopt(struct ccc_cli_opts *p, int argc, char **argv)
{
	const struct option *lo = p->longopts;
	const char *a;
	char spelt[64];
	int c, li = -1, i;

	c = getopt_long(argc, argv, p->shortopts, lo, &li);
	if (c == -1)
		return -1;
	if (c == '?' || c == ':') {
		(void)ccc_cli_badopt(c, argv, lo);
		return CCC_CLI_BAD;
	}
	if (li >= 0)
		snprintf(spelt, sizeof(spelt), "--%s", lo[li].name);
	else
		snprintf(spelt, sizeof(spelt), "-%c", c);
	for (a = p->aliases; a != NULL && a[0] != '\0'; a += 2)
		if (a[0] == c)
			c = a[1];
	if (c == 'h' || c == 'V')
		return c;
	/* The first long option with this value names it. */
	for (i = 0; lo[i].name != NULL && lo[i].val != c; i++)
		;
	if (lo[i].name == NULL || i >= 64) {
		(void)ccc_cli_usage("option \"%s\" has no long form "
		    "(internal)", spelt);
		return CCC_CLI_BAD;
	}
	if (p->takes != NULL && !named(p->takes, lo[i].name)) {
		(void)ccc_cli_usage("%s does not take \"%s\"", p->cmd, spelt);
		return CCC_CLI_BAD;
	}
	if ((p->seen & (UINT64_C(1) << i)) && !named(p->lists, lo[i].name)) {
		(void)ccc_cli_usage("option \"%s\" given twice", spelt);
		return CCC_CLI_BAD;
	}
	p->seen |= UINT64_C(1) << i;
	return c;
}

/* stdout after --help or --version: a failed write is exit 2. */
static int
stdout_done(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: i/o error: stdout: write failed\n",
		    ccc_progname);
		return 2;
	}
	return 0;
}

int
ccc_cli_version(void)
{
#ifdef CCC_TEST_HOOKS
	printf("%s (ccc) %s (test hooks)\n", ccc_progname, PACKAGE_VERSION);
#else
	printf("%s (ccc) %s\n", ccc_progname, PACKAGE_VERSION);
#endif
	return stdout_done();
}

int
ccc_cli_help(const char *usage)
{
	fputs(usage, stdout);
	return stdout_done();
}

long long
ccc_cli_number(const char *s, long long lo, long long hi)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	return v;
}

int
ccc_cli_jobs(const char *s, unsigned *jobs)
{
	long long j;

	if ((j = ccc_cli_number(s, 0, CCC_MAX_JOBS)) < 0)
		return ccc_cli_usage("-j: 0 (one per CPU) to %d threads",
		    CCC_MAX_JOBS);
	*jobs = ccc_par_jobs(j);
	return 0;
}
