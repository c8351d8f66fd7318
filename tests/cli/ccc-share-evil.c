/*
 * A misbehaving decryption node, for the tests only: runs one
 * `ccc-share advance` with a deliberate fault.
 *
 *   ccc-share-evil -d DIR --bad-subshare J     deal member J a bad sub-share
 *   ccc-share-evil -d DIR --false-complaint I  accuse dealer I falsely
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "dkg.h"
#include "ops/ops.h"

static const struct option longopts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "bad-subshare", required_argument, NULL, 'b' },
	{ "false-complaint", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct ccc_node_opts o = { 0 };
	struct ccc_dkg_tamper tm = { 0 };
	struct ccc_err err;
	long long v;
	int c;

	ccc_cli_init(argc, argv);
	ccc_err_clear(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:b:c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.dir = optarg;
			break;
		case 'b':
		case 'c':
			if ((v = ccc_cli_number(optarg, 1, 255)) < 0)
				return ccc_cli_usage("bad index");
			if (c == 'b')
				tm.bad_subshare = (uint32_t)v;
			else
				tm.false_complaint = (uint32_t)v;
			break;
		default:
			return ccc_cli_badopt(c, argv, longopts);
		}
	}
	if (o.dir == NULL)
		return ccc_cli_usage("needs -d DIR");
	o.tamper = &tm;
	return ccc_node_advance(&o, &err) ? ccc_cli_fail(&err) : 0;
}
