/*
 * Chainlink's JSON forms (Go encoding/json; byte strings are standard
 * base64 with padding): public key, private share and hybrid ciphertext.
 * The reader is tolerant of layout (whitespace, key order, unknown keys)
 * and strict on values (types, lengths, base64, duplicate keys).
 */
#ifndef CCC_JSON_H
#define CCC_JSON_H

#include "keys.h"

#define CCC_JSON_MAX (64UL * 1024 * 1024)

/* Public key -> {"Group","G_bar","H","HArray"}. */
int ccc_json_tpk_export(struct ccc_buf *b, const struct ccc_tdh2_pub *pub)
    CCC_WUR;
/*
 * Chainlink public key -> pub.  Chainlink's JSON has no threshold, epoch
 * or key id: t is given by the operator, the epoch is 0 and the key id is
 * SHA256("ccc/chainlink-key-id/v1" || H || G_bar).
 */
int ccc_json_tpk_import(struct ccc_ec *ec, struct ccc_tdh2_pub *pub,
    const char *json, size_t len, uint32_t t, struct ccc_err *err) CCC_WUR;
/* Key share -> {"Group","Index","V"} (Index counts from 0). */
int ccc_json_share_export(struct ccc_buf *b, const struct ccc_share *s)
    CCC_WUR;
/* Chainlink private share -> s, bound to pub (key id, epoch). */
int ccc_json_share_import(struct ccc_share *s, const char *json, size_t len,
    const struct ccc_tdh2_pub *pub, struct ccc_err *err) CCC_WUR;
/*
 * Chainlink hybrid ciphertext -> a ccc ciphertext blob appended to out.
 * With a context, the TDH2 label must be its label (lib/label.h); without,
 * any label is taken and spelled as ccc_label_name does.
 */
int ccc_json_ct_import(struct ccc_buf *out, const char *json, size_t len,
    const char *context, struct ccc_err *err) CCC_WUR;
/*
 * Decryption share <-> tdh2easy's DecryptionShare JSON,
 * {"Group","Index","U_i","E_i","F_i"} (Index counts from 0; no newline
 * written).  The import takes a key of n nodes.
 */
int ccc_json_dshare_export(struct ccc_buf *b,
    const struct ccc_tdh2_dshare *ds) CCC_WUR;
int ccc_json_dshare_import(struct ccc_tdh2_dshare *ds, const char *json,
    size_t len, uint32_t n, struct ccc_err *err) CCC_WUR;
/* ccc ciphertext -> Chainlink hybrid JSON. */
int ccc_json_ct_export(struct ccc_buf *b, const struct ccc_ct *ct) CCC_WUR;

/*
 * How a Chainlink JSON ciphertext is carried: as is, or as the hex or the
 * standard base64 of its bytes (the Vault DON's two string forms).
 * ccc_json_ct_import takes any of the three, told apart by their first
 * bytes: '{', the hex of '{"' (7b22) or its base64 (eyJ).
 */
enum ccc_form { CCC_FORM_JSON, CCC_FORM_HEX, CCC_FORM_BASE64 };
/* Re-carry b, one JSON document and a newline, in form (newline kept). */
int ccc_json_wire(struct ccc_buf *b, enum ccc_form form) CCC_WUR;
/* True if the input looks like JSON in one of the forms (first non-space
 * bytes '{', "7b22" or "eyJ"). */
int ccc_json_looks_like(const uint8_t *p, size_t len);

/*
 * Append s as a JSON string: quote and backslash escaped, and every byte
 * outside printable ASCII as \u00XX (so the output is ASCII and one line).
 */
int ccc_json_put_str(struct ccc_buf *b, const char *s) CCC_WUR;

#endif
