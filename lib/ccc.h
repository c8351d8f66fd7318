/*
 * ccc: Chainlink Confidential Compute toolkit -- common definitions.
 *
 * Every library function returns 0 on success or a negative CCC_E_* code,
 * never prints and never exits.  Functions that can fail on input take an
 * optional struct ccc_err * (may be NULL) that receives the code, the byte
 * offset and item index where the problem was found, the field name and a
 * short detail.  No secret value is ever written into a struct ccc_err.
 */
#ifndef CCC_H
#define CCC_H

#include <stddef.h>
#include <stdint.h>

#define CCC_VERSION_STRING PACKAGE_VERSION

#if defined(__GNUC__)
#define CCC_WUR __attribute__((warn_unused_result))
#define CCC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CCC_WUR
#define CCC_PRINTF(a, b)
#endif

/*
 * Error codes.  The exit status a tool maps them to is in ccc_err_exit():
 * 1 for input that was rejected (malformed, failed verification, refused by
 * policy), 2 for a job that could not be done (usage, I/O, resources).
 */
enum ccc_errcode {
	CCC_OK = 0,
	/* exit 1: the input was rejected */
	CCC_E_MALFORMED = -1,	/* not a well-formed blob (CBOR or JSON) */
	CCC_E_TRUNCATED = -2,	/* input ends inside an item */
	CCC_E_TOOBIG = -3,	/* input larger than the stated limit */
	CCC_E_TYPE = -4,	/* a blob of another type than expected */
	CCC_E_FIELD = -5,	/* a field with an invalid value */
	CCC_E_POINT = -6,	/* a point not on the curve, or the identity */
	CCC_E_SCALAR = -7,	/* a scalar >= the group order */
	CCC_E_CIPHERTEXT = -8,	/* TDH2 ciphertext proof does not verify */
	CCC_E_SHARE = -9,	/* decryption share invalid */
	CCC_E_THRESHOLD = -10,	/* fewer valid shares than the threshold */
	CCC_E_DECRYPT = -11,	/* authenticated decryption failed */
	CCC_E_KEY = -12,	/* key mismatch (share of another key, ...) */
	CCC_E_EPOCH = -13,	/* epoch mismatch */
	CCC_E_POLICY = -14,	/* refused by policy (label, ...) */
	CCC_E_SIGNATURE = -15,	/* signature invalid */
	CCC_E_EXPIRED = -16,	/* validity period over */
	CCC_E_REPLAY = -17,	/* already served */
	CCC_E_DUPLICATE = -18,	/* the same item twice */
	CCC_E_ATTEST = -19,	/* attestation refused */
	CCC_E_CODE = -20,	/* the measured code failed in the sandbox */
	CCC_E_DIVERGED = -21,	/* fewer level-2 replicas agree than needed */
	/* exit 2: the job could not be done */
	CCC_E_USAGE = -64,	/* bad command line */
	CCC_E_IO = -65,		/* read/write/open failed (errno kept) */
	CCC_E_EXISTS = -66,	/* refusing to overwrite */
	CCC_E_PERM = -67,	/* insecure permissions on a secret file */
	CCC_E_NOMEM = -68,	/* out of memory */
	CCC_E_CRYPTO = -69,	/* a library primitive failed unexpectedly */
	CCC_E_INTERNAL = -70,	/* a bug */
	CCC_E_LOCKED = -71,	/* state is locked by another process */
	CCC_E_STATE = -72,	/* node state not usable */
	CCC_E_CHILD = -73	/* a child process failed */
};

struct ccc_err {
	int code;		/* CCC_E_*, 0 when unset */
	long long off;		/* byte offset of the problem, -1 if none */
	long item;		/* 1-based item index in a sequence, 0 if none */
	const char *field;	/* static field name, NULL if none */
	char what[1024];	/* the input (file name) it concerns, or "" */
	char detail[512];	/* human detail, never contains secrets */
};

/* Reset err (NULL-safe). */
void ccc_err_clear(struct ccc_err *err);

/*
 * Record an error (NULL-safe) and return code, so callers can write
 * `return ccc_err_set(err, CCC_E_FIELD, off, "h", "not on the curve")`.
 * The first error recorded wins: a later call does not overwrite it.
 */
int ccc_err_set(struct ccc_err *err, int code, long long off,
    const char *field, const char *fmt, ...) CCC_PRINTF(5, 6);

/*
 * Name the input an error concerns (NULL-safe; keeps the first).  The name
 * is copied (a path freed after the error is still printed right); one
 * longer than the record's room keeps its end, after "...".  These return
 * nothing: a caller returns its own rc, never the record's code (with a
 * NULL record that would be 0, success).
 */
void ccc_err_what(struct ccc_err *err, const char *what);
/* Name the input again, replacing the name given before (NULL-safe). */
void ccc_err_rename(struct ccc_err *err, const char *what);
/* Put a formatted prefix before the detail (NULL-safe; the end is cut). */
void ccc_err_prefix(struct ccc_err *err, const char *fmt, ...)
    CCC_PRINTF(2, 3);
/* Set the 1-based item index of a sequence (NULL-safe; keeps the first). */
void ccc_err_item(struct ccc_err *err, long item);

/*
 * Drain OpenSSL's whole error queue into err as CCC_E_CRYPTO, with the
 * reason of its last entry.
 */
int ccc_err_openssl(struct ccc_err *err, const char *what);

/* The stable reason phrase for a code ("malformed blob", ...). */
const char *ccc_strerror(int code);

/*
 * vis(3) for text from an input, so that it never reaches a terminal or a
 * log as a control: C0 controls, DEL and the C1 controls (UTF-8 C2 80..9F)
 * become C escapes (\n \t \r) or \ooo per byte; with CCC_VIS_SLASH a
 * backslash becomes "\\" too, so that the escaped text reads back
 * unambiguously.  dst receives at most cap - 1 bytes, never a partial
 * escape, and a NUL; returns dst.  The error formatter passes every line
 * through it (without CCC_VIS_SLASH); names printed elsewhere take it
 * with CCC_VIS_SLASH.
 */
#define CCC_VIS_SLASH 1
char *ccc_vis(char *dst, size_t cap, const char *src, size_t len, int flags);

/*
 * A time in seconds since 1970 for messages, in RFC 3339 UTC
 * ("2026-12-05T13:50:48Z"), or the bare number past year 9999; buf has
 * CCC_UTC_LEN bytes.  Returns buf.
 */
#define CCC_UTC_LEN 32
const char *ccc_utc(char *buf, uint64_t t);

/* The exit status for a code: 0, 1 or 2. */
int ccc_err_exit(int code);

/*
 * The error as one line, without the program's name or a newline
 * ("replayed: req: request 1f2e...: was already served by node 1"), every
 * piece from an input escaped by ccc_vis; a usage error ends with
 * " (see PROG --help)".  Cut to cap - 1 bytes; returns buf.
 */
#define CCC_ERR_LINE_MAX 8192
char *ccc_err_line(char *buf, size_t cap, const struct ccc_err *err,
    const char *prog);

#endif
