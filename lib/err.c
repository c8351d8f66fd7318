/* Error records and the reason phrases every tool prints. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "ccc.h"

void
ccc_err_clear(struct ccc_err *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->off = -1;
}

int
ccc_err_set(struct ccc_err *err, int code, long long off, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->code != 0)
		return code;
	err->code = code;
	err->off = off;
	err->field = field;
	err->detail[0] = '\0';
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
		va_end(ap);
	}
	return code;
}

void
ccc_err_prefix(struct ccc_err *err, const char *fmt, ...)
{
	char pre[64];
	size_t n, d;
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	n = strlen(pre);
	d = strlen(err->detail);
	if (n + d >= sizeof(err->detail))
		d = sizeof(err->detail) - 1 - n;
	memmove(err->detail + n, err->detail, d);
	memcpy(err->detail, pre, n);
	err->detail[n + d] = '\0';
}

void
ccc_err_rename(struct ccc_err *err, const char *what)
{
	size_t n, room;

	if (err == NULL)
		return;
	room = sizeof(err->what) - 1;
	if (what == NULL)
		err->what[0] = '\0';
	else if ((n = strlen(what)) <= room)
		memcpy(err->what, what, n + 1);
	else
		snprintf(err->what, sizeof(err->what), "...%s",
		    what + n - (room - 3));
}

void
ccc_err_what(struct ccc_err *err, const char *what)
{
	if (err != NULL && err->what[0] == '\0')
		ccc_err_rename(err, what);
}

void
ccc_err_item(struct ccc_err *err, long item)
{
	if (err != NULL && err->item == 0)
		err->item = item;
}

int
ccc_err_openssl(struct ccc_err *err, const char *what)
{
	unsigned long e, last = 0;
	char buf[120];

	/* The whole queue goes; its last entry is the most specific. */
	while ((e = ERR_get_error()) != 0)
		last = e;
	if (last != 0)
		ERR_error_string_n(last, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "unknown error");
	ERR_clear_error();
	return ccc_err_set(err, CCC_E_CRYPTO, -1, NULL, "%s: %s", what, buf);
}

const char *
ccc_strerror(int code)
{
	switch (code) {
	case CCC_OK:		return "ok";
	case CCC_E_MALFORMED:	return "malformed input";
	case CCC_E_TRUNCATED:	return "truncated input";
	case CCC_E_TOOBIG:	return "input too large";
	case CCC_E_TYPE:	return "wrong blob type";
	case CCC_E_FIELD:	return "invalid field";
	case CCC_E_POINT:	return "invalid point";
	case CCC_E_SCALAR:	return "invalid scalar";
	case CCC_E_CIPHERTEXT:	return "invalid ciphertext";
	case CCC_E_SHARE:	return "invalid share";
	case CCC_E_THRESHOLD:	return "not enough shares";
	case CCC_E_DECRYPT:	return "decryption failed";
	case CCC_E_KEY:		return "key mismatch";
	case CCC_E_EPOCH:	return "epoch mismatch";
	case CCC_E_POLICY:	return "refused by policy";
	case CCC_E_SIGNATURE:	return "bad signature";
	case CCC_E_EXPIRED:	return "expired";
	case CCC_E_REPLAY:	return "replayed";
	case CCC_E_DUPLICATE:	return "duplicate";
	case CCC_E_ATTEST:	return "attestation refused";
	case CCC_E_CODE:	return "code failed";
	case CCC_E_DIVERGED:	return "replicas disagree";
	case CCC_E_USAGE:	return "usage";
	case CCC_E_IO:		return "i/o error";
	case CCC_E_EXISTS:	return "refusing to overwrite";
	case CCC_E_PERM:	return "insecure permissions";
	case CCC_E_NOMEM:	return "out of memory";
	case CCC_E_CRYPTO:	return "crypto library failure";
	case CCC_E_INTERNAL:	return "internal error";
	case CCC_E_LOCKED:	return "locked";
	case CCC_E_STATE:	return "bad node state";
	case CCC_E_CHILD:	return "child process failed";
	}
	return "unknown error";
}

int
ccc_err_exit(int code)
{
	if (code == 0)
		return 0;
	if (code <= CCC_E_USAGE)
		return 2;
	return 1;
}

char *
ccc_err_line(char *buf, size_t cap, const struct ccc_err *err,
    const char *prog)
{
	int code = err->code ? err->code : CCC_E_INTERNAL;
	char v[4 * sizeof(err->detail)];
	size_t o = 0;

#define LINE_ADD(...) do { \
	if (o < cap) { \
		int n_ = snprintf(buf + o, cap - o, __VA_ARGS__); \
		o = n_ < 0 ? o : o + (size_t)n_; \
	} \
} while (0)
	if (cap == 0)
		return buf;
	buf[0] = '\0';
	LINE_ADD("%s", ccc_strerror(code));
	if (err->what[0] != '\0')
		LINE_ADD(": %s", ccc_vis(v, sizeof(v), err->what,
		    strlen(err->what), 0));
	if (err->item > 0)
		LINE_ADD(": item %ld", err->item);
	if (err->off >= 0)
		LINE_ADD(": at byte %lld", err->off);
	if (err->detail[0] != '\0')
		LINE_ADD(": %s", ccc_vis(v, sizeof(v), err->detail,
		    strlen(err->detail), 0));
	if (code == CCC_E_USAGE)
		LINE_ADD(" (see %s --help)", prog);
#undef LINE_ADD
	return buf;
}

char *
ccc_vis(char *dst, size_t cap, const char *src, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i, o = 0, n;
	char e[12];

	if (cap == 0)
		return dst;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && (flags & CCC_VIS_SLASH))
			n = (size_t)snprintf(e, sizeof(e), "\\\\");
		else if (s[i] == '\n')
			n = (size_t)snprintf(e, sizeof(e), "\\n");
		else if (s[i] == '\t')
			n = (size_t)snprintf(e, sizeof(e), "\\t");
		else if (s[i] == '\r')
			n = (size_t)snprintf(e, sizeof(e), "\\r");
		else if (s[i] < 0x20 || s[i] == 0x7f)
			n = (size_t)snprintf(e, sizeof(e), "\\%03o", s[i]);
		else if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f) {
			n = (size_t)snprintf(e, sizeof(e), "\\%03o\\%03o",
			    s[i], s[i + 1]);
			i++;
		} else {
			e[0] = (char)s[i];
			n = 1;
		}
		if (o + n >= cap)
			break;
		memcpy(dst + o, e, n);
		o += n;
	}
	dst[o] = '\0';
	return dst;
}

const char *
ccc_utc(char *buf, uint64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > UINT64_C(253402300799) || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, CCC_UTC_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, CCC_UTC_LEN, "%llu", (unsigned long long)t);
	return buf;
}
