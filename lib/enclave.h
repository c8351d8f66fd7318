/*
 * ccc-enclave-run: a compute enclave's side of a request (whitepaper
 * steps 5-6).
 *
 * It acts only on a request certified by the oracle roster, assigned to
 * this enclave (its id is the SHA-256 of its attestation certificate) and
 * to the per-request key it holds; it runs only code whose SHA-384 is the
 * request's code measurement, found by that digest in the code directory.
 * It opens the decryption nodes' sealed shares, verifies every proof,
 * combines and decrypts the inputs in memory, then erases the per-request
 * key (memory and file: a later compromise of the enclave reveals nothing
 * of this request).  The code runs sandboxed (lib/sandbox.h) with the
 * inputs on stdin as one CBOR item:
 *
 *   {0: "ccc/enclave-input/v1", 1: request_id, 2: app_id, 3: [input, ...]}
 *
 * Its stdout becomes the output: public, sealed to the request's recipient
 * (HPKE, info "ccc/result-output/v1" 0 || request_id; output = enc ||
 * ciphertext), or encrypted under the threshold key (a ccc/ct/v1 blob with
 * the label context "app:<app>/output").  The result (ccc/result/v1)
 * carries an attestation document binding all of it (lib/result.h).  A
 * code that fails, crashes, times out or writes too much gets no result
 * and no attestation.
 */
#ifndef CCC_ENCLAVE_H
#define CCC_ENCLAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sandbox.h"

struct ccc_enclave_policy {
	struct ccc_sandbox_limits lim;
	bool allow_network;
};

/*
 * The enclave policy, a text file of "key value" lines ('#' comments):
 *   timeout SECONDS   cpu SECONDS   memory BYTES[K|M|G]
 *   output-max BYTES[K|M|G]   files-max BYTES[K|M|G]   processes N
 *   network allow|deny
 * NULL path: the sandbox defaults, network denied.
 */
int ccc_enclave_policy_load(struct ccc_enclave_policy *p, const char *path,
    struct ccc_err *err) CCC_WUR;

/*
 * The enclave runtime's measurement (PCR 0 of its documents): the SHA-384
 * of the running executable (lib/runtime.c).  It is computed once per
 * binary: the user's cache, $XDG_CACHE_HOME/ccc/runtime (else
 * ~/.cache/ccc/runtime), keeps it by the binary's device, inode, size,
 * modification and change times, so a binary changed in any way is
 * hashed again.  Without a usable cache it is computed every time.
 */
int ccc_enclave_runtime(uint8_t out[48], struct ccc_err *err) CCC_WUR;

/* The label context of threshold-encrypted outputs of app. */
#define CCC_OUTPUT_CONTEXT_FMT "app:%.*s/output"
/* HPKE info prefix for sealed outputs (then 0x00 and the request id). */
#define CCC_OUTPUT_INFO "ccc/result-output/v1"

#endif
