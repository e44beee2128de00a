/*
 * manifest.h — expected returns from head office, as CSV.
 *
 * Header row: rma,order_id,sku,gtin,serial,description,reason,delivered_at
 * (columns may come in any order; unknown columns are an error; rma and sku
 * must not be empty; delivered_at is YYYY-MM-DD). RFC 4180 quoting. A file
 * with any bad row imports nothing. What makes a row good is manifest_row.h.
 *
 * Error ids of the file (the row's own, E408–E411, E414, E415, are in
 * manifest_row.h):
 *   E400 the file cannot be opened           E401 it cannot be read
 *   E402 out of memory                       E403 no header row
 *   E404 an unknown column                   E405 a column twice
 *   E406 no rma or no sku column             E407 a row with another number of fields
 *   E412 an rma twice in the file            E413 malformed CSV (RFC 4180)
 *   E416 more rows than one file may hold
 */
#ifndef TRIAGE_MANIFEST_H
#define TRIAGE_MANIFEST_H

#include <stddef.h>

#include "inspection.h"

struct store;

/*
 * Parse a manifest CSV. On success returns 0, *rows (malloc'd, caller frees)
 * and *nrows. On failure returns -1 and err holds "E4xx: FILE:LINE: …".
 */
int manifest_parse_file(const char *path, struct manifest_row **rows, int *nrows, char *err,
                        size_t errlen);

/*
 * The same, but a bad data row (E407–E412, E414, E415) does not stop the
 * file: reject(arg, line, "E4xx: …") is called for it and it is skipped.
 * Header, CSV syntax, read and memory errors still fail the whole file.
 */
int manifest_parse_file_lenient(const char *path, struct manifest_row **rows, int *nrows,
                                void (*reject)(void *arg, long line, const char *msg),
                                void *arg, char *err, size_t errlen);

/* Parse and store a manifest file in one transaction: all or nothing.
 * Returns the number of rows imported, or -1 with err. */
int manifest_import(struct store *st, const char *path, char *err, size_t errlen);

#endif
