/*
 * Computation requests (ccc-quorum-sign(1), ccc-enclave-run(1)): a request
 * or a certificate of one, from bytes and through the file reader that
 * leaves the ciphertexts in the file (lib/reqfile.c); the certificate's
 * signatures are not checked by these readers.
 */
#include "config.h"

#include "quorum.h"
#include "fuzz.h"

FUZZ_TARGET(request)
{
	struct ccc_request rq;
	struct ccc_request_file f;
	struct ccc_err err;

	fuzz_init();
	ccc_err_clear(&err);
	(void)!ccc_request_decode(&rq, data, size, &err);
	ccc_err_clear(&err);
	(void)!ccc_request_any_decode(data, size, &rq, "request", &err);

	memset(&f, 0, sizeof(f));
	f.fd = -1;
	ccc_err_clear(&err);
	(void)!ccc_request_open(&f, &rq, fuzz_file(0, "request", data, size),
	    &err);
	ccc_certified_request_close(&f);
	return 0;
}
