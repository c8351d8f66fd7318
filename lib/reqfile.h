/*
 * Certified requests read in pieces (lib/reqfile.c): memory that does not
 * grow with the request's ciphertexts.
 */
#ifndef CCC_REQFILE_H
#define CCC_REQFILE_H

#include <stdint.h>

#include "buf.h"
#include "ccc.h"
#include "quorum.h"

/*
 * ccc_certified_request_read (quorum.h), in memory that does not grow with
 * the request's ciphertexts: path is copied to a private unlinked file, read in
 * pieces (its digest streamed), its certificate checked as by
 * ccc_cert_verify, its request decoded without the ciphertexts, which rq
 * then finds in the file (cts_in_file).  Every error is the one
 * ccc_certified_request_read gives.  Close with ccc_certified_request_close
 * (which closes what ccc_request_open opened too).
 */
struct ccc_request_file {
	int fd;
	struct ccc_buf cert;	/* the certificate without the ciphertexts */
	struct ccc_buf req;	/* the request without them: rq views here */
	struct ccc_buf whole;	/* all of it, when read by the whole reader */
};
int ccc_certified_request_open(struct ccc_request_file *f,
    struct ccc_request *rq, const struct ccc_roster *r, const char *path,
    uint64_t now, struct ccc_err *err) CCC_WUR;
/* The same from fd, a private copy of the input named path (closed here). */
int ccc_certified_request_open_fd(struct ccc_request_file *f,
    struct ccc_request *rq, const struct ccc_roster *r, int fd,
    const char *path, uint64_t now, struct ccc_err *err) CCC_WUR;
/*
 * As ccc_request_read, in pieces: a request, or a certificate of one whose
 * signatures are not checked here.
 */
int ccc_request_open(struct ccc_request_file *f, struct ccc_request *rq,
    const char *path, struct ccc_err *err) CCC_WUR;
void ccc_certified_request_close(struct ccc_request_file *f);

#endif
