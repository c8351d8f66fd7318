#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	/*
	 * A closed stdin/stdout/stderr must not be reused by our own files.
	 * Standard output is /dev/null read-only: every write to it fails,
	 * and outputs to it are refused before anything is done
	 * (ccc_stdout_check), instead of vanishing while the state moves on.
	 */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY) != fd)
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
	/*
	 * The config file is not needed and costs ~0.4 ms at start-up; and
	 * no OPENSSL_cleanup at exit, which would first set up the library
	 * context most runs never use, only to free it (~0.5 ms): the exit
	 * releases the memory, and ccc wipes its own secrets when done.
	 */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG |
	    OPENSSL_INIT_NO_ATEXIT, NULL) != 1) {
		fprintf(stderr, "%s: crypto library failure: OpenSSL "
		    "initialisation failed\n", ccc_progname);
		exit(2);
	}
}

int
ccc_cli_fail(const struct ccc_err *err)
{
	char line[CCC_ERR_LINE_MAX];

	/* One line, whatever an input put into a name or a detail. */
	fprintf(stderr, "%s: %s\n", ccc_progname, ccc_err_line(line,
	    sizeof(line), err, ccc_progname));
	return ccc_err_exit(err->code ? err->code : CCC_E_INTERNAL);
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
ccc_cli_subcommand(struct ccc_cli_opts *p, const struct ccc_cli_sub *subs,
    const char *list, const char *usage, const struct ccc_cli_help *help,
    int *argc, char ***argv)
{
	const struct ccc_cli_sub *sub;
	char **av = *argv;

	if (*argc >= 2 && (strcmp(av[1], "-h") == 0 ||
	    strcmp(av[1], "--help") == 0))
		return ccc_cli_help(usage, help);
	if (*argc >= 2 && (strcmp(av[1], "-V") == 0 ||
	    strcmp(av[1], "--version") == 0))
		return ccc_cli_version();
	if (*argc < 2 || av[1][0] == '-')
		return ccc_cli_usage("missing subcommand (%s)", list);
	if ((sub = ccc_cli_sub(subs, av[1])) == NULL)
		return ccc_cli_usage("unknown subcommand \"%s\"", av[1]);
	p->cmd = sub->name;
	p->takes = sub->takes;
	(*argv)++;
	(*argc)--;
	return -1;
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
#ifdef CCC_STATIC_DEPS
	printf("linked statically with %s and libsodium %s\n",
	    OpenSSL_version(OPENSSL_VERSION), sodium_version_string());
#else
	printf("linked with %s and libsodium %s\n",
	    OpenSSL_version(OPENSSL_VERSION), sodium_version_string());
#endif
	return stdout_done();
}

enum { HELP_COLS = 80, HELP_SPEC = 24 };

/*
 * Whether a usage line may break at the space l[i]: not between an option
 * and its argument ("-P POOL") and not before "...".
 */
static bool
breakable(const char *l, size_t i, size_t n)
{
	size_t b = i;

	while (b > 0 && l[b - 1] != ' ')
		b--;
	while (b < i && (l[b] == '[' || l[b] == '('))
		b++;
	if (b < i && l[b] == '-' && l[i - 1] != ']' && l[i - 1] != ')')
		return false;
	return !(n - i > 3 && strncmp(l + i + 1, "...", 3) == 0);
}

/* One usage line, wrapped at 80 columns under the first word after it. */
static void
help_usage_line(const char *l, size_t n)
{
	size_t indent, col, i, w, brk;
	int depth;

	/* "usage: ccc-x " or "       ccc-x ": continue under the argument. */
	indent = strspn(l, " ");
	if (indent == 0 && n > 7 && strncmp(l, "usage: ", 7) == 0)
		indent = 7;
	indent += strcspn(l + indent, " \n") + 1;
	if (indent > 40)
		indent = 8;
	col = 0;
	while (n > 0) {
		if (col + n <= HELP_COLS) {
			fwrite(l, 1, n, stdout);
			break;
		}
		/* The last space in reach, outside brackets if one is. */
		brk = w = 0;
		depth = 0;
		for (i = 0; i < n && col + i <= HELP_COLS; i++) {
			if (l[i] == '[' || l[i] == '(')
				depth++;
			else if (l[i] == ']' || l[i] == ')')
				depth--;
			else if (l[i] == ' ' && i > 0 && l[i - 1] != ' ' &&
			    breakable(l, i, n)) {
				w = i;
				if (depth == 0)
					brk = i;
			}
		}
		if (brk < (HELP_COLS - col) / 2)
			brk = w;
		if (brk == 0) {		/* one word longer than a line */
			fwrite(l, 1, n, stdout);
			break;
		}
		fwrite(l, 1, brk, stdout);
		printf("\n%*s", (int)indent, "");
		col = indent;
		l += brk + 1;
		n -= brk + 1;
	}
	fputc('\n', stdout);
}

/* One line per option: the spelling, then what it does. */
static void
help_rows(const struct ccc_cli_help *opts)
{
	int pad;

	for (; opts->spec != NULL; opts++) {
		pad = HELP_SPEC - 2 - (int)strlen(opts->spec);
		if (pad < 2)
			printf("  %s\n%*s%s\n", opts->spec, HELP_SPEC, "",
			    opts->what);
		else
			printf("  %s%*s%s\n", opts->spec, pad, "", opts->what);
	}
}

int
ccc_cli_help(const char *usage, const struct ccc_cli_help *opts)
{
	static const struct ccc_cli_help std[] = {
		{ "-h, --help", "print this help" },
		{ "-V, --version", "print the version and the linked libraries" },
		{ NULL, NULL }
	};
	const char *l, *e;

	for (l = usage; *l != '\0'; l = *e == '\0' ? e : e + 1) {
		e = l + strcspn(l, "\n");
		help_usage_line(l, (size_t)(e - l));
	}
	fputs("\noptions:\n", stdout);
	help_rows(opts);
	help_rows(std);
	printf("\nSee %s(1), and ccc(7) for the protocol and formats.\n",
	    ccc_progname);
	return stdout_done();
}

static double
progress_secs(const struct ccc_cli_progress *c)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->start.tv_sec) +
	    (double)(now.tv_nsec - c->start.tv_nsec) / 1e9;
}

static void
progress_show(void *ctx, uint64_t items)
{
	struct ccc_cli_progress *c = ctx;
	int n;

	c->items = items;
	if (!c->tty)
		return;
	n = fprintf(stderr, "\r%s: %" PRIu64 " items, %.0f s", ccc_progname,
	    items, progress_secs(c));
	if (n > c->shown)
		c->shown = n;
	fflush(stderr);
}

const struct ccc_progress *
ccc_cli_progress_start(struct ccc_cli_progress *c, bool verbose)
{
	memset(c, 0, sizeof(*c));
	c->p.fn = progress_show;
	c->p.ctx = c;
	c->tty = isatty(STDERR_FILENO) == 1;
	c->verbose = verbose;
	(void)clock_gettime(CLOCK_MONOTONIC, &c->start);
	return &c->p;
}

int
ccc_cli_progress_end(struct ccc_cli_progress *c, int rc)
{
	if (c->shown > 0)
		fprintf(stderr, "\r%*s\r", c->shown, "");
	if (c->verbose && rc == 0)
		fprintf(stderr, "%s: %" PRIu64 " item%s in %.2f s\n",
		    ccc_progname, c->items, c->items == 1 ? "" : "s",
		    progress_secs(c));
	return rc;
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
