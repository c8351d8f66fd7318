/*
 * What every tool's main shares: start-up, the one-line error format,
 * warnings, usage and version output.
 *
 * Error line: "<prog>: <reason>: <what>[: item N][: at byte N]: <detail>"
 * Exit status: 0 done, 1 input rejected, 2 could not do the job.
 */
#ifndef CCC_CLI_H
#define CCC_CLI_H

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
/* "<prog> (ccc) VERSION" to stdout, returns 0. */
int ccc_cli_version(void);
/* Parse a decimal unsigned in [lo, hi]; -1 if not. */
long long ccc_cli_number(const char *s, long long lo, long long hi);

#endif
