/*
 * The enclave policy: the sandbox's limits and permissions; the enclave
 * runtime's measurement.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "enclave.h"
#include "io.h"
#include "result.h"

static int
size_value(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;
	unsigned shift = 0;

	/* strtoull takes "-1" as ULLONG_MAX: digits only. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end != '\0' || x > (ULLONG_MAX >> shift))
		return -1;
	x <<= shift;
	*v = x;
	return 0;
}

/*
 * "connect *:PORT" or "connect *:*": a TCP port the code may connect to
 * with network permission.  The kernel (Landlock) bounds ports only: a
 * host other than "*" would promise what is not enforced.  NULL, or why
 * not.
 */
static const char *
allow_port(struct ccc_sandbox_limits *l, const char *v)
{
	char *end;
	unsigned long port;

	if (strncmp(v, "*:", 2) != 0)
		return "only ports are enforced: give *:PORT or *:*";
	v += 2;
	if (strcmp(v, "*") == 0) {
		l->any_port = true;
		return NULL;
	}
	errno = 0;
	port = strtoul(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || *v < '0' || *v > '9' ||
	    port == 0 || port > 65535)
		return "a port is 1 to 65535";
	if (l->nports == CCC_SANDBOX_PORTS_MAX)
		return "at most 16 ports";
	l->ports[l->nports++] = (uint16_t)port;
	return NULL;
}

int
ccc_enclave_policy_load(struct ccc_enclave_policy *p, const char *path,
    struct ccc_err *err)
{
	struct ccc_buf b;
	char *line, *next, *k, *v, *sv;
	const char *why;
	uint64_t x;
	long lineno = 0;
	int rc = 0;

	ccc_sandbox_defaults(&p->lim);
	p->allow_network = false;
	if (path == NULL)
		return 0;
	ccc_buf_init(&b, 0);
	if ((rc = ccc_read_file(&b, path, 65536, err)) != 0 ||
	    (rc = ccc_buf_put(&b, "", 1)) != 0)
		goto out;
	for (line = (char *)b.p; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		if ((k = strchr(line, '#')) != NULL)
			*k = '\0';
		if ((k = strtok_r(line, " \t\r", &sv)) == NULL)
			continue;
		v = strtok_r(NULL, " \t\r", &sv);
		if (v == NULL || strtok_r(NULL, " \t\r", &sv) != NULL)
			goto bad;
		if (strcmp(k, "network") == 0) {
			if (strcmp(v, "allow") != 0 && strcmp(v, "deny") != 0)
				goto bad;
			p->allow_network = strcmp(v, "allow") == 0;
			continue;
		}
		if (strcmp(k, "connect") == 0) {
			if ((why = allow_port(&p->lim, v)) == NULL)
				continue;
			rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line "
			    "%ld: connect %.40s: %s", lineno, v, why);
			goto out;
		}
		if (size_value(v, &x) != 0 || x == 0)
			goto bad;
		if (strcmp(k, "timeout") == 0 && x <= 86400)
			p->lim.timeout_ms = (unsigned)x * 1000;
		else if (strcmp(k, "cpu") == 0 && x <= 86400)
			p->lim.cpu_seconds = (unsigned)x;
		else if (strcmp(k, "memory") == 0)
			p->lim.mem_bytes = x;
		else if (strcmp(k, "output-max") == 0 &&
		    x <= CCC_RESULT_OUTPUT_MAX)
			p->lim.out_bytes = x;
		else if (strcmp(k, "files-max") == 0)
			p->lim.file_bytes = x;
		else if (strcmp(k, "processes") == 0 && x <= 4096)
			p->lim.procs = (unsigned)x;
		else if (strcmp(k, "scratch-max") == 0)
			p->lim.scratch_bytes = x;
		else if (strcmp(k, "uid") == 0 && x < UINT32_MAX)
			p->lim.uid = (uint32_t)x;
		else
			goto bad;
	}
	goto out;
bad:
	rc = ccc_err_set(err, CCC_E_MALFORMED, -1, NULL, "line %ld: expected "
	    "timeout, cpu, memory, output-max, files-max, processes, "
	    "scratch-max, uid N, network allow|deny or connect *:PORT", lineno);
out:
	if (rc != 0)
		ccc_err_what(err, path);
	ccc_buf_free(&b);
	return rc;
}
