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

__attribute__((format(printf, 4, 5), unused)) static int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

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
