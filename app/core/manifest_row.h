/*
 * manifest_row.h — whether an expected return may be stored: the one check
 * of a manifest row, whichever way it came (a CSV import, a file in the sync
 * spool's inbox, a row pulled from head office's PostgreSQL) and again at
 * the store's door.
 *
 * A row's fields (struct manifest_row, inspection.h), in the CSV's order:
 *
 *     field         at most   rule
 *     rma           63 bytes  required
 *     order_id      63
 *     sku           63        required
 *     gtin          31
 *     serial        63
 *     description   255       line breaks allowed (a quoted CSV field)
 *     reason        63
 *     delivered_at  15        "" or a calendar date YYYY-MM-DD
 *     quantity      (number)  "" (1) or a whole number 1..MANIFEST_MAX_QUANTITY: the
 *                             units expected, one inspection each
 *
 * Every field is well-formed UTF-8 (utf8.h) with no control character but
 * tab, CR and LF; a NUL byte inside a field is refused too.
 *
 * Error ids, the manifest's (E400–E449; manifest.h has the CSV file's own):
 *   E408 rma is empty                       E409 sku is empty
 *   E410 delivered_at is not YYYY-MM-DD     E411 a field is longer than it may be
 *   E414 a field is not valid UTF-8         E415 a NUL or control character in a field
 *   E417 quantity is not a whole number from 1 to MANIFEST_MAX_QUANTITY
 *
 * Each check returns 0 for a good row or field, else the number of its id
 * (409 for E409) with "E4NN: …" in err (err may be NULL). Pure: no I/O, no
 * allocation, any thread.
 */
#ifndef TRIAGE_MANIFEST_ROW_H
#define TRIAGE_MANIFEST_ROW_H

#include <stddef.h>

#include "inspection.h"

enum manifest_field {
    MF_RMA,
    MF_ORDER_ID,
    MF_SKU,
    MF_GTIN,
    MF_SERIAL,
    MF_DESCRIPTION,
    MF_REASON,
    MF_DELIVERED_AT,
    MF_QUANTITY,
    MANIFEST_FIELDS
};

/* Every column of a manifest, as a set of bits (1u << enum manifest_field). */
#define MANIFEST_ALL_COLUMNS ((1u << MANIFEST_FIELDS) - 1)

/* The field's name as in a CSV header: "rma", "order_id", … "delivered_at",
 * "quantity". */
const char *manifest_field_name(enum manifest_field f);

/* The field whose name is name[0..n) (ASCII letters in any case), or -1. */
int manifest_field_find(const char *name, size_t n);

/* Where text field f lives in row, and its size in bytes (NUL included);
 * NULL (size 0) for quantity, which is a number (row->quantity). */
char *manifest_field_at(struct manifest_row *row, enum manifest_field f, size_t *size);

/* Check text[0..n) (it may hold NUL bytes, which are refused) as field f and,
 * when good, copy it into row NUL-terminated (quantity: its number, 1 for
 * ""). 0, or E410, E411, E414, E415, E417. */
int manifest_field_set(struct manifest_row *row, enum manifest_field f, const char *text, size_t n,
                       char *err, size_t errlen);

/* Check a whole row: every field NUL-terminated inside its size and good
 * text, rma and sku there, delivered_at empty or a date, quantity 0 (not
 * given) or 1..MANIFEST_MAX_QUANTITY. 0, or the id of the first fault in
 * field order, then E408, E409, E410, E417. */
int manifest_row_check(const struct manifest_row *row, char *err, size_t errlen);

/* Fill row from one text a field (NULL counts as ""; a NULL quantity is
 * left 0, not given), then check it: what a row from head office goes
 * through. 0, or the id of the first fault. row is
 * left zeroed or partly filled on a fault; it must not be stored then. */
int manifest_row_fill(struct manifest_row *row, const char *const fields[MANIFEST_FIELDS],
                      char *err, size_t errlen);

#endif
