/*
 * manifest.h — expected returns from head office, as CSV.
 *
 * Header row: rma,order_id,sku,gtin,serial,description,reason,delivered_at
 * and optionally quantity (columns may come in any order; unknown columns
 * are an error; rma and sku must not be empty; delivered_at is YYYY-MM-DD;
 * quantity a whole number from 1, 1 when empty or left out). RFC 4180
 * quoting. A file with any bad row imports nothing. What makes a row good
 * is manifest_row.h. A row for an RMA that already has an outcome is not
 * applied (W418, reported with its line); the others are.
 *
 * Error ids of the file (the row's own, E408–E411, E414, E415, E417, are in
 * manifest_row.h):
 *   E400 the file cannot be opened           E401 it cannot be read
 *   E402 out of memory                       E403 no header row
 *   E404 an unknown column                   E405 a column twice
 *   E406 no rma or no sku column             E407 a row with another number of fields
 *   E412 an rma twice in the file            E413 malformed CSV (RFC 4180)
 *   E416 more rows than one file may hold
 *   W418 a row for an RMA that already has an outcome: not applied
 */
#ifndef TRIAGE_MANIFEST_H
#define TRIAGE_MANIFEST_H

#include <stddef.h>

#include "inspection.h"

struct store;

/* A manifest file read: its rows, the line each begins on, its columns. */
struct manifest_file {
    struct manifest_row *rows; /* malloc'd */
    long *lines;               /* malloc'd: lines[i] is where rows[i] begins */
    int nrows;
    unsigned columns; /* the header's columns: bit (1u << enum manifest_field) each */
};

/*
 * Read a manifest CSV into *out (free it with manifest_file_free). reject
 * NULL: one bad row fails the file. Else a bad data row (E407–E412, E414,
 * E415, E417) is passed to reject(arg, line, "E4xx: …") and skipped.
 * Header, CSV syntax, read and memory errors fail the whole file. 0, or -1
 * with "E4xx: FILE:LINE: …" in err (out is then empty).
 */
int manifest_read(const char *path, struct manifest_file *out,
                  void (*reject)(void *arg, long line, const char *msg), void *arg, char *err,
                  size_t errlen);
void manifest_file_free(struct manifest_file *f); /* NULL is fine */

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

/* Parse and store a manifest file in one transaction: all or nothing. A row
 * whose RMA already has an outcome is not applied: report(arg, "W418:
 * FILE:LINE: …") is called for each (report may be NULL) and *kept counts
 * them (kept may be NULL). Returns the number of rows applied, or -1 with
 * err. */
int manifest_import(struct store *st, const char *path,
                    void (*report)(void *arg, const char *msg), void *arg, int *kept, char *err,
                    size_t errlen);

#endif
