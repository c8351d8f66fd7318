/*
 * Every blob type through the schema registry: the input is decoded as
 * each schema of ccc_schemas[] (exactly one can accept it), its type is
 * peeked as ccc-inspect does, and the CBOR validator runs in both
 * profiles.
 */
#include "config.h"

#include "blob.h"
#include "schemas.h"
#include "fuzz.h"

FUZZ_TARGET(blob)
{
	struct ccc_val v[CCC_BLOB_MAX_FIELDS];
	struct ccc_err err;
	size_t i, ilen;
	int accepted = 0;

	fuzz_init();
	for (i = 0; ccc_schemas[i] != NULL; i++) {
		ccc_err_clear(&err);
		if (ccc_blob_decode(ccc_schemas[i], data, size, v, 0,
		    &err) == 0)
			accepted++;
		else if (err.code == 0)
			abort();	/* a refusal always says why */
	}
	if (accepted > 1)
		abort();		/* key 0 names exactly one type */
	(void)!ccc_blob_peek_type(data, size);
	ccc_err_clear(&err);
	(void)!ccc_cbor_check(data, size, CCC_CBOR_STRICT, size, &ilen, 0,
	    &err);
	ccc_err_clear(&err);
	(void)!ccc_cbor_check(data, size, CCC_CBOR_FOREIGN, size, &ilen, 0, &err);
	return 0;
}
