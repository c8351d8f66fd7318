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

#include "ccc.h"

extern const char *ccc_progname;

/*
 * Start-up: standard fds open (else /dev/null), SIGPIPE default, core
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
/* "<prog> (ccc) VERSION" to stdout; 0, or 2 if stdout failed. */
int ccc_cli_version(void);
/* The usage text to stdout (for -h); 0, or 2 if stdout failed. */
int ccc_cli_help(const char *usage);
/* Parse a decimal unsigned in [lo, hi]; -1 if not. */
long long ccc_cli_number(const char *s, long long lo, long long hi);
/*
 * -j N: N threads, 0 for one per online CPU.  Sets *jobs and returns 0, or
 * prints the usage line and returns 2.
 */
int ccc_cli_jobs(const char *s, unsigned *jobs);

#endif
