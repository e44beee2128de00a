/*
 * manifest_row.c — the one check of an expected return (manifest_row.h).
 */
#include "manifest_row.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "text.h"
#include "utf8.h"

/* Each field: its CSV name and where it sits in struct manifest_row. */
#define FIELD(id, f)                                                                               \
    [id] = {#f, offsetof(struct manifest_row, f), sizeof(((struct manifest_row *)0)->f)}
static const struct {
    const char *name;
    size_t offset, size;
} field_spec[MANIFEST_FIELDS] = {
    FIELD(MF_RMA, rma),
    FIELD(MF_ORDER_ID, order_id),
    FIELD(MF_SKU, sku),
    FIELD(MF_GTIN, gtin),
    FIELD(MF_SERIAL, serial),
    FIELD(MF_DESCRIPTION, description),
    FIELD(MF_REASON, reason),
    FIELD(MF_DELIVERED_AT, delivered_at),
    [MF_QUANTITY] = {"quantity", offsetof(struct manifest_row, quantity), 0},
};
#undef FIELD

const char *manifest_field_name(enum manifest_field f)
{
    return (unsigned)f < MANIFEST_FIELDS ? field_spec[f].name : "";
}

int manifest_field_find(const char *name, size_t n)
{
    for (int f = 0; f < MANIFEST_FIELDS; f++)
        if (strlen(field_spec[f].name) == n && strncasecmp(field_spec[f].name, name, n) == 0)
            return f;
    return -1;
}

char *manifest_field_at(struct manifest_row *row, enum manifest_field f, size_t *size)
{
    if ((unsigned)f >= MANIFEST_FIELDS || f == MF_QUANTITY) {
        *size = 0;
        return NULL;
    }
    *size = field_spec[f].size;
    return (char *)row + field_spec[f].offset;
}

/* The text rules every field shares: no control character but tab, CR and
 * LF (NUL included), and well-formed UTF-8. 0, E414 or E415. */
static int check_text(enum manifest_field f, const char *text, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
            set_err(err, errlen, "E415: %s holds %s (byte %zu)", field_spec[f].name,
                    c ? "a control character" : "a NUL byte", i + 1);
            return 415;
        }
    }
    if (!utf8_valid(text, n)) {
        set_err(err, errlen, "E414: %s is not valid UTF-8", field_spec[f].name);
        return 414;
    }
    return 0;
}

/* The length rule: E410 for a delivered_at too long to be a date, else E411. */
static int check_length(enum manifest_field f, const char *text, size_t n, size_t size, char *err,
                        size_t errlen)
{
    if (n < size)
        return 0;
    if (f == MF_DELIVERED_AT) {
        set_err(err, errlen, "E410: delivered_at \"%.*s\" is not a date YYYY-MM-DD",
                (int)(n > 40 ? 40 : n), text);
        return 410;
    }
    set_err(err, errlen, "E411: %s is %zu bytes long, at most %zu allowed", field_spec[f].name, n,
            size - 1);
    return 411;
}

/* A quantity: "" is 1, else digits only (no sign, no decimals), 1..MAX. */
static int set_quantity(struct manifest_row *row, const char *text, size_t n, char *err,
                        size_t errlen)
{
    long v = n ? 0 : 1;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        ok = text[i] >= '0' && text[i] <= '9';
        if (ok && (v = v * 10 + (text[i] - '0')) > MANIFEST_MAX_QUANTITY)
            ok = false;
    }
    if (!ok || v < 1) {
        char shown[48];
        size_t k = utf8_valid(text, n) ? utf8_cut(text, n < 40 ? n : 40) : 0;
        snprintf(shown, sizeof shown, "%.*s%s", (int)k, k ? text : "?", k < n && k ? "…" : "");
        set_err(err, errlen, "E417: quantity \"%s\" is not a whole number from 1 to %d", shown,
                MANIFEST_MAX_QUANTITY);
        return 417;
    }
    row->quantity = (int)v;
    return 0;
}

int manifest_field_set(struct manifest_row *row, enum manifest_field f, const char *text, size_t n,
                       char *err, size_t errlen)
{
    if (f == MF_QUANTITY)
        return set_quantity(row, text ? text : "", text ? n : 0, err, errlen);
    size_t size;
    char *dst = manifest_field_at(row, f, &size);
    int id;
    if (!dst)
        return 0; /* NEVER: every field has a place */
    if (!text)
        text = "", n = 0;
    if ((id = check_text(f, text, n, err, errlen)) ||
        (id = check_length(f, text, n, size, err, errlen)))
        return id;
    memcpy(dst, text, n);
    dst[n] = 0;
    return 0;
}

int manifest_row_check(const struct manifest_row *row, char *err, size_t errlen)
{
    for (int f = 0; f < MANIFEST_FIELDS; f++) {
        if (f == MF_QUANTITY)
            continue;
        const char *v = (const char *)row + field_spec[f].offset;
        size_t n = strnlen(v, field_spec[f].size);
        int id = check_length((enum manifest_field)f, v, n, field_spec[f].size, err, errlen);
        if (!id)
            id = check_text((enum manifest_field)f, v, n, err, errlen);
        if (id)
            return id;
    }
    if (!row->rma[0]) {
        set_err(err, errlen, "E408: rma is empty");
        return 408;
    }
    if (!row->sku[0]) {
        set_err(err, errlen, "E409: sku is empty (rma %s)", row->rma);
        return 409;
    }
    int64_t day;
    if (row->delivered_at[0] && time_parse_date(row->delivered_at, &day) < 0) {
        set_err(err, errlen, "E410: delivered_at \"%s\" is not a date YYYY-MM-DD",
                row->delivered_at);
        return 410;
    }
    if (row->quantity < 0 || row->quantity > MANIFEST_MAX_QUANTITY) {
        set_err(err, errlen, "E417: quantity %d is not a whole number from 1 to %d (rma %s)",
                row->quantity, MANIFEST_MAX_QUANTITY, row->rma);
        return 417;
    }
    return 0;
}

int manifest_row_fill(struct manifest_row *row, const char *const fields[MANIFEST_FIELDS],
                      char *err, size_t errlen)
{
    memset(row, 0, sizeof *row);
    for (int f = 0; f < MANIFEST_FIELDS; f++) {
        if (f == MF_QUANTITY && !fields[f])
            continue; /* not given: the stored quantity stays (1 for a new row) */
        const char *v = fields[f] ? fields[f] : "";
        int id = manifest_field_set(row, (enum manifest_field)f, v, strlen(v), err, errlen);
        if (id)
            return id;
    }
    return manifest_row_check(row, err, errlen);
}
