/*
 * Minimal TAP producer for the C unit tests (read by automake's
 * tap-driver.sh).  One "ok"/"not ok" line per check; tap_done() prints the
 * plan and returns the exit status.
 */
#ifndef CCC_TAP_H
#define CCC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

/* One "ok"/"not ok" line, the message from a va_list. */
__attribute__((format(printf, 4, 0), unused)) static int
tap_vok(int cond, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

__attribute__((format(printf, 4, 5), unused)) static int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(cond, file, line, fmt, ap);
	va_end(ap);
	fflush(stdout);
	return r;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/*
 * Comparisons that print both values on failure:
 *   ok_eq_int(got, want, fmt, ...)	integers (any width, as long long)
 *   ok_eq_str(got, want, fmt, ...)	C strings (NULL allowed)
 *   ok_eq_mem(got, glen, want, wlen, fmt, ...)	bytes, shown in hex
 */
#define ok_eq_int(got, want, ...) tap_eq_int((long long)(got), \
	(long long)(want), #got, __FILE__, __LINE__, __VA_ARGS__)
#define ok_eq_str(got, want, ...) tap_eq_str((got), (want), #got, \
	__FILE__, __LINE__, __VA_ARGS__)
#define ok_eq_mem(got, glen, want, wlen, ...) tap_eq_mem((got), (glen), \
	(want), (wlen), #got, __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 6, 7), unused)) static int
tap_eq_int(long long got, long long want, const char *expr, const char *file,
    int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#   %s\n#     expected: %lld\n#          got: %lld\n",
		    expr, want, got);
	fflush(stdout);
	return r;
}

__attribute__((format(printf, 6, 7), unused)) static int
tap_eq_str(const char *got, const char *want, const char *expr,
    const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(got != NULL && want != NULL ? strcmp(got, want) == 0 :
	    got == want, file, line, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#   %s\n#     expected: \"%s\"\n#          got: \"%s\"\n",
		    expr, want ? want : "(null)", got ? got : "(null)");
	fflush(stdout);
	return r;
}

/* Bytes as hex on a diagnostic line (at most 64 shown). */
__attribute__((unused)) static void
tap_hexline(const char *label, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	printf("#   %13s: (%zu bytes) ", label, n);
	for (i = 0; b != NULL && i < n && i < 64; i++)
		printf("%02x", b[i]);
	printf("%s\n", n > 64 ? "..." : "");
}

__attribute__((format(printf, 8, 9), unused)) static int
tap_eq_mem(const void *got, size_t glen, const void *want, size_t wlen,
    const char *expr, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tap_vok(glen == wlen && (glen == 0 || (got != NULL &&
	    want != NULL && memcmp(got, want, glen) == 0)), file, line, fmt,
	    ap);
	va_end(ap);
	if (!r) {
		printf("#   %s\n", expr);
		tap_hexline("expected", want, wlen);
		tap_hexline("got", got, glen);
	}
	fflush(stdout);
	return r;
}

__attribute__((unused)) static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

/* Decode lowercase/uppercase hex into out (at most max bytes); -1 on error. */
__attribute__((unused)) static long
tap_unhex(unsigned char *out, size_t max, const char *hex)
{
	size_t n = strlen(hex), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return (long)(n / 2);
}

/* Path of a file under tests/vectors, from $VECTORS or the source tree. */
__attribute__((unused)) static const char *
tap_vector(const char *rel)
{
	static char path[4096];
	const char *dir = getenv("VECTORS");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/vectors", rel);
	return path;
}

#endif
