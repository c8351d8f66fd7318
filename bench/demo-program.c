/*
 * ccc-flow's demo program (scripts/ccc-flow-demo.bash, demo_program) in
 * C, for bench/serving.py and bench/replay.py (CCC_BENCH_PROGRAM, set by
 * mk/bench.am): the bash program reads its input a byte at a time, about
 * 6 ms of CPU a request, which is the application's cost and not ccc's.
 * This one prints the same line for the same input.
 *
 * stdin is one CBOR map {0: "ccc/enclave-input/v1", 1: request id,
 * 2: app id, 3: [input, ...]} (ccc-enclave-run(1), THE CODE; at level 2
 * a fifth entry follows, which the program does not read).  Each input is
 * a table of "name amount" lines; out comes one line,
 *
 *	app APP: N input(s), B bytes: R records, total T, mean M
 *
 * by the bash program's rules:
 * - NUL bytes are dropped from the app id and the inputs (a bash string
 *   cannot hold one) and are not counted in B;
 * - lines are split at newlines, and empty ones vanish; a line whose
 *   first byte is '#' is skipped;
 * - fields are split at spaces and tabs; a line counts as a record when
 *   its last field is all ASCII digits, read in base 10 as bash's 64-bit
 *   arithmetic reads it (modulo 2^64, as is the total);
 * - the mean is the total over the records rounded toward zero, 0
 *   without records.
 *
 * Input that is not that map exits 3 with nothing on stdout: an
 * indefinite length or reserved additional information (where the bash
 * program exits 3 too), or a length past the end of the input, an item
 * of another type or a key out of its place (where the bash program
 * reads on, past the end as zeros).
 *
 * Only libc, linked dynamically (mk/bench.am says why): the sandbox
 * gives it an empty environment and no PATH, and lets it read the
 * system's libraries.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BAD_INPUT	3

struct in {
	const unsigned char	*p;
	size_t			 len;
	size_t			 pos;
};

struct tally {
	uint64_t	 bytes;		/* without the NUL bytes */
	uint64_t	 records;
	uint64_t	 total;		/* modulo 2^64 */
};

static void
bad_input(void)
{
	fputs("demo-program: malformed input\n", stderr);
	exit(BAD_INPUT);
}

/* All of f, in a buffer of *len bytes; NULL on a read error or no memory. */
static unsigned char *
slurp(FILE *f, size_t *len)
{
	unsigned char *b = NULL, *nb;
	size_t cap = 0, n = 0, got;

	for (;;) {
		if (n == cap) {
			if (cap > SIZE_MAX / 2)
				goto fail;
			cap = cap == 0 ? 65536 : 2 * cap;
			if ((nb = realloc(b, cap)) == NULL)
				goto fail;
			b = nb;
		}
		if ((got = fread(b + n, 1, cap - n, f)) == 0)
			break;
		n += got;
	}
	if (ferror(f))
		goto fail;
	*len = n;
	return b;
fail:
	free(b);
	return NULL;
}

/*
 * The head at in's position, its major type and argument; a definite
 * length only, and all of it within the input.
 */
static void
head(struct in *in, unsigned int *major, uint64_t *arg)
{
	unsigned int ai, n;
	uint64_t v = 0;

	if (in->pos >= in->len)
		bad_input();
	*major = in->p[in->pos] >> 5;
	ai = in->p[in->pos++] & 31;
	if (ai < 24) {
		*arg = ai;
		return;
	}
	if (ai > 27)
		bad_input();
	n = 1u << (ai - 24);
	if (n > in->len - in->pos)
		bad_input();
	while (n-- > 0)
		v = v << 8 | in->p[in->pos++];
	*arg = v;
}

/* A head of the major type major: its argument. */
static uint64_t
expect(struct in *in, unsigned int major)
{
	unsigned int m;
	uint64_t v;

	head(in, &m, &v);
	if (m != major)
		bad_input();
	return v;
}

/* A string of the major type major (2 or 3): its bytes, *n of them. */
static const unsigned char *
string(struct in *in, unsigned int major, size_t *n)
{
	uint64_t v = expect(in, major);
	const unsigned char *s;

	if (v > in->len - in->pos)
		bad_input();
	s = in->p + in->pos;
	*n = (size_t)v;
	in->pos += (size_t)v;
	return s;
}

/* The key k of the map, in its place. */
static void
key(struct in *in, uint64_t k)
{
	if (expect(in, 0) != k)
		bad_input();
}

/*
 * One input's lines into t.  The state: start, at the start of a line;
 * comment, the line's first byte is '#'; field, inside a field, all
 * digits so far when digits is set, of the value v; last, the last field
 * that ended in the line was all digits, of the value lastv.
 */
static void
count(struct tally *t, const unsigned char *s, size_t n)
{
	bool start = true, comment = false, field = false, digits = false;
	bool last = false;
	uint64_t v = 0, lastv = 0;
	size_t i;
	int c;

	for (i = 0; i <= n; i++) {
		/* The end of the input ends its last line. */
		c = i < n ? s[i] : '\n';
		if (c == '\0')
			continue;
		if (i < n)
			t->bytes++;
		if (c == '\n' || c == ' ' || c == '\t') {
			if (field) {
				last = digits;
				lastv = v;
			}
			field = false;
		} else {
			if (start)
				comment = c == '#';
			if (!field) {
				field = digits = true;
				v = 0;
			}
			if (digits && c >= '0' && c <= '9')
				v = v * 10 + (uint64_t)(c - '0');
			else
				digits = false;
		}
		if (c == '\n') {
			if (last && !comment) {
				t->records++;
				t->total += lastv;
			}
			comment = last = false;
		}
		start = c == '\n';
	}
}

/* u as bash's arithmetic has it: a two's complement 64-bit integer. */
static int64_t
signed64(uint64_t u)
{
	if (u <= INT64_MAX)
		return (int64_t)u;
	return -(int64_t)(UINT64_MAX - u) - 1;
}

int
main(void)
{
	struct in in = { NULL, 0, 0 };
	struct tally t = { 0, 0, 0 };
	const unsigned char *app, *s;
	unsigned char *buf;
	uint64_t inputs, i;
	size_t app_len, n;
	int64_t total, mean;

	if ((buf = slurp(stdin, &in.len)) == NULL) {
		perror("demo-program: stdin");
		return 1;
	}
	in.p = buf;
	if (expect(&in, 5) < 4)
		bad_input();
	key(&in, 0);
	(void)string(&in, 3, &n);
	key(&in, 1);
	(void)string(&in, 2, &n);
	key(&in, 2);
	app = string(&in, 3, &app_len);
	key(&in, 3);
	/* Each input takes one byte at least. */
	if ((inputs = expect(&in, 4)) > in.len - in.pos)
		bad_input();
	for (i = 0; i < inputs; i++) {
		s = string(&in, 2, &n);
		count(&t, s, n);
	}

	total = signed64(t.total);
	mean = t.records == 0 ? 0 : total / (int64_t)t.records;
	fputs("app ", stdout);
	for (n = 0; n < app_len; n++)
		if (app[n] != '\0')
			putchar(app[n]);
	printf(": %" PRIu64 " input(s), %" PRIu64 " bytes: %" PRIu64
	    " records, total %" PRId64 ", mean %" PRId64 "\n", inputs,
	    t.bytes, t.records, total, mean);
	free(buf);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("demo-program: stdout");
		return 1;
	}
	return 0;
}
