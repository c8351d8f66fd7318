/*
 * Access logs and their heads (ccc-inspect -L, a node's start-up): the
 * input up to its first newline, included, is the head file, the rest the
 * log; without a newline it is a log without a head.
 */
#include "config.h"

#include "accesslog.h"
#include "fuzz.h"

FUZZ_TARGET(accesslog)
{
	const uint8_t *nl = memchr(data, '\n', size);
	const char *log, *head = NULL;
	struct ccc_err err;
	uint64_t count;
	size_t hlen = 0;

	fuzz_init();
	if (nl != NULL) {
		hlen = (size_t)(nl - data) + 1;
		head = fuzz_file(1, "access.head", data, hlen);
	}
	log = fuzz_file(0, "access.log", data + hlen, size - hlen);
	ccc_err_clear(&err);
	(void)!ccc_access_verify(log, head, &count, &err);
	if (head != NULL) {
		ccc_err_clear(&err);
		(void)!ccc_access_verify(log, NULL, &count, &err);
	}
	return 0;
}
