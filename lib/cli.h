/*
 * What every tool's main shares: start-up, the one-line error format,
 * warnings, usage and version output.
 *
 * Error line: "<prog>: <reason>: <what>[: item N][: at byte N]: <detail>"
 * Exit status: 0 done, 1 input rejected, 2 could not do the job.
 */
#ifndef CCC_CLI_H
#define CCC_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "par.h"

#include "ccc.h"

extern const char *ccc_progname;

/*
 * Start-up: standard fds open (else /dev/null, standard output read-only
 * so that writing to it fails: see ccc_stdout_check), SIGPIPE default, core
 * dumps off, libsodium and OpenSSL initialised (without loading the
 * OpenSSL config file), program name set.  Exits 2 if that fails.
 */
void ccc_cli_init(int argc, char **argv);

/* Print err as one line and return the exit status for it. */
int ccc_cli_fail(const struct ccc_err *err);
/* "<prog>: warning: ..." */
void ccc_cli_warn(const char *fmt, ...) CCC_PRINTF(1, 2);
/* "<prog>: usage: <msg> (see <prog> --help)", returns 2. */
int ccc_cli_usage(const char *fmt, ...) CCC_PRINTF(1, 2);
/*
 * After getopt_long returned c ('?' or ':', with ':' first in the option
 * string and opterr 0): one usage line naming the option, returns 2.
 */
int ccc_cli_badopt(int c, char **argv, const struct option *longopts);
/*
 * Strict options (git's OPT_SUBCOMMAND, minisign's opt_seen): getopt_long,
 * and then an option given twice, or one the subcommand does not take, is a
 * usage error.  Options are named by their long names (every option has
 * one), in strings of names separated by spaces; long names that share a
 * value are one option.  -h and -V are always taken.
 */
struct ccc_cli_opts {
	const char *shortopts;		/* for getopt_long, ':' first */
	const struct option *longopts;	/* at most 64 */
	const char *lists;	/* options that may be repeated, or NULL */
	const char *aliases;	/* pairs "cl": -c means -l, or NULL */
	const char *cmd;	/* the subcommand, or NULL */
	const char *takes;	/* the options cmd takes, or NULL: all */
	uint64_t seen;		/* by index of the first long option */
};

/* A subcommand and the options it takes. */
struct ccc_cli_sub {
	const char *name;
	const char *takes;
};

/* The entry of subs (ended by a NULL name) named name, or NULL. */
const struct ccc_cli_sub *ccc_cli_sub(const struct ccc_cli_sub *subs,
    const char *name);

/*
 * The start of a subcommand tool: -h/--help or -V/--version as the first
 * argument answer at once; else argv[1] must name one of subs ("missing
 * subcommand (LIST)" or "unknown subcommand" otherwise).  Then p->cmd and
 * p->takes are set, *argc and *argv shifted past the subcommand, and -1
 * is returned; else the exit status, the usage line printed.
 */
struct ccc_cli_help;
int ccc_cli_subcommand(struct ccc_cli_opts *p, const struct ccc_cli_sub *subs,
    const char *list, const char *usage, const struct ccc_cli_help *help,
    int *argc, char ***argv);

enum { CCC_CLI_BAD = -2 };
/*
 * The next option, as getopt_long returns it (an alias as the option it
 * stands for; -1 at the end), or CCC_CLI_BAD once the usage line is
 * printed: an unknown option, a missing or unexpected argument, a repeated
 * option ("option \"-o\" given twice") or a foreign one ("recipient does
 * not take \"-t\"").
 */
int ccc_cli_getopt(struct ccc_cli_opts *p, int argc, char **argv);

/*
 * "<prog> (ccc) VERSION" to stdout, followed by " (test hooks)" in a
 * build configured with --enable-test-hooks, and a second line naming the
 * OpenSSL and libsodium it runs with and whether they are linked in
 * statically (then an update of either needs a rebuild); 0, or 2 if stdout
 * failed.
 */
int ccc_cli_version(void);
/* The usage text to stdout (for -h); 0, or 2 if stdout failed. */
/*
 * --help: the usage (a line longer than 80 columns is wrapped between
 * words, outside brackets where it can be), then one line per option,
 * then -h and -V, then where the manual is.
 */
struct ccc_cli_help {
	const char *spec;	/* "-k, --key TPK" */
	const char *what;	/* one line */
};
int ccc_cli_help(const char *usage, const struct ccc_cli_help *opts);
/* Rows most tools share (-h and -V: ccc_cli_help adds them itself). */
#define CCC_HELP_OUTPUT { "-o, --output OUT", "write to OUT, not standard output" }
#define CCC_HELP_FORCE { "-f, --force", "replace OUT if it exists" }
#define CCC_HELP_TTY \
	{ "-T, --tty", "write to standard output even if it is a terminal" }
#define CCC_HELP_NOW \
	{ "--now T", "take T (seconds since 1970) as the current time" }
/* Parse a decimal unsigned in [lo, hi]; -1 if not. */
/*
 * Batch progress: on a terminal (stderr), a line rewritten after each
 * batch ("<prog>: N items, S s"), erased at the end; with verbose, a
 * summary line once the work succeeded ("<prog>: N items in S s").
 */
struct ccc_cli_progress {
	struct ccc_progress p;
	struct timespec start;
	uint64_t items;
	int shown;		/* columns of the line on the terminal */
	bool tty, verbose;
};
const struct ccc_progress *ccc_cli_progress_start(struct ccc_cli_progress *c,
    bool verbose);
/* Erase the line; the summary if rc is 0; returns rc. */
int ccc_cli_progress_end(struct ccc_cli_progress *c, int rc);

long long ccc_cli_number(const char *s, long long lo, long long hi);
/*
 * -j N: N threads, 0 for one per online CPU.  Sets *jobs and returns 0, or
 * prints the usage line and returns 2.
 */
int ccc_cli_jobs(const char *s, unsigned *jobs);

#endif
