/*
 * manifest.c — reading expected returns from a CSV file (see manifest.h).
 *
 * The CSV grammar is RFC 4180, parsed by libcsv in strict mode: quoted fields
 * may hold commas, quotes (doubled, §2.7) and line breaks (§2.6); records end
 * with CRLF or LF. Blank lines are skipped; spaces around an unquoted field are
 * trimmed (libcsv's default), which forgives hand-edited files. A UTF-8 byte
 * order mark at the start, as spreadsheet programs write, is ignored.
 *
 * Bytes go to libcsv one at a time so that each record knows the physical line
 * it starts on: errors say "FILE:LINE", LINE counted as an editor shows it,
 * including line breaks inside quoted fields.
 *
 * The whole file is checked before anything is stored: one bad row and
 * nothing is imported. Each field and each row goes through the manifest's
 * one row check (manifest_row.h: E408–E411, E414, E415); this file adds the
 * file's own faults (E400–E407, E412, E413, E416). Ids E400–E449, one per
 * kind, are the same whichever way a manifest row arrives.
 */
#include "manifest.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "manifest_row.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"

#define MANIFEST_MAX_ROWS 200000

struct parse {
    const char *path;
    char *err;
    size_t errlen;
    bool failed;
    /* Lenient (sync inbox): a bad data row is reported and skipped. */
    void (*reject)(void *arg, long line, const char *msg);
    void *reject_arg;
    bool row_bad;

    long line;      /* physical line of the byte being fed, from 1 */
    long row_line;  /* physical line where the current record began */
    bool in_row;    /* a record has begun and not yet ended */
    bool prev_cr;

    bool have_header;
    int ncols;
    enum manifest_field cols[MANIFEST_FIELDS]; /* file column → manifest field */
    bool seen[MANIFEST_FIELDS];

    int field;                 /* index of the next field in the record */
    struct manifest_row cur;

    struct manifest_row *rows;
    long *lines; /* physical line of each row, for duplicate messages */
    int nrows, cap;

    int *hash; /* open addressing over rows by rma; -1 empty */
    size_t hash_cap;
};

static void fail(struct parse *ps, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record the first error only: "E4NN: FILE:LINE: text" (fmt starts with the id). */
static void fail(struct parse *ps, long line, const char *fmt, ...)
{
    if (ps->failed)
        return;
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* Lenient: a data row's own fault skips that row; out of memory, broken
     * CSV syntax and too many rows still stop the file. */
    if (ps->reject && ps->have_header && strncmp(text, "E402", 4) != 0 &&
        strncmp(text, "E413", 4) != 0 && strncmp(text, "E416", 4) != 0 &&
        strncmp(text, "E401", 4) != 0) {
        if (!ps->row_bad)
            ps->reject(ps->reject_arg, line, text);
        ps->row_bad = true;
        return;
    }
    ps->failed = true;
    if (!ps->err || !ps->errlen)
        return;
    /* text is "E4NN: message": put FILE:LINE after the id. */
    const char *colon = strchr(text, ':');
    int idlen = colon ? (int)(colon - text) : 0;
    const char *msg = colon ? colon + 2 : text;
    if (line > 0)
        snprintf(ps->err, ps->errlen, "%.*s: %s:%ld: %s", idlen, text, ps->path, line, msg);
    else
        snprintf(ps->err, ps->errlen, "%.*s: %s: %s", idlen, text, ps->path, msg);
}


static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The index of an earlier row with this rma, or -1. */
static int hash_find(const struct parse *ps, const char *rma)
{
    if (!ps->hash_cap)
        return -1;
    for (size_t i = hash_text(rma) & (ps->hash_cap - 1);; i = (i + 1) & (ps->hash_cap - 1)) {
        int r = ps->hash[i];
        if (r < 0)
            return -1;
        if (strcmp(ps->rows[r].rma, rma) == 0)
            return r;
    }
}

static int hash_insert(struct parse *ps, int row)
{
    if ((size_t)(ps->nrows + 1) * 2 > ps->hash_cap) {
        size_t cap = ps->hash_cap ? ps->hash_cap * 2 : 64;
        int *h = malloc(cap * sizeof *h);
        if (!h)
            return -1;
        for (size_t i = 0; i < cap; i++)
            h[i] = -1;
        free(ps->hash);
        ps->hash = h;
        ps->hash_cap = cap;
        for (int r = 0; r < row; r++) {
            size_t i = hash_text(ps->rows[r].rma) & (cap - 1);
            while (h[i] >= 0)
                i = (i + 1) & (cap - 1);
            h[i] = r;
        }
    }
    size_t i = hash_text(ps->rows[row].rma) & (ps->hash_cap - 1);
    while (ps->hash[i] >= 0)
        i = (i + 1) & (ps->hash_cap - 1);
    ps->hash[i] = row;
    return 0;
}

/* libcsv: one field ended. */
static void on_field(void *data, size_t len, void *arg)
{
    struct parse *ps = arg;
    const char *text = data ? data : "";
    char msg[300];
    if (ps->failed || ps->row_bad)
        return;

    if (!ps->have_header) {
        int c = memchr(text, 0, len) ? -1 : manifest_field_find(text, len);
        if (c < 0) {
            fail(ps, ps->row_line, "E404: unknown column \"%.*s\" (known: rma, order_id, sku,"
                                   " gtin, serial, description, reason, delivered_at,"
                                   " quantity)",
                 (int)(len > 64 ? 64 : len), utf8_valid(text, len) ? text : "?");
            return;
        }
        if (ps->seen[c]) {
            fail(ps, ps->row_line, "E405: column %s appears twice",
                 manifest_field_name((enum manifest_field)c));
            return;
        }
        ps->seen[c] = true;
        ps->cols[ps->ncols++] = (enum manifest_field)c;
        ps->field++;
        return;
    }

    if (ps->field >= ps->ncols) {
        fail(ps, ps->row_line, "E407: more than %d fields, as in the header", ps->ncols);
        return;
    }
    if (manifest_field_set(&ps->cur, ps->cols[ps->field++], text, len, msg, sizeof msg))
        fail(ps, ps->row_line, "%s", msg);
}

/* libcsv: one record ended. */
static void on_row(int term, void *arg)
{
    struct parse *ps = arg;
    (void)term;
    ps->in_row = false;
    if (ps->failed || ps->row_bad)
        goto reset;

    if (!ps->have_header) {
        ps->have_header = true;
        if (!ps->seen[MF_RMA] || !ps->seen[MF_SKU])
            fail(ps, ps->row_line, "E406: the header has no %s column; rma and sku are needed",
                 ps->seen[MF_RMA] ? "sku" : "rma");
        goto reset;
    }

    struct manifest_row *r = &ps->cur;
    char msg[300];
    /* A file with a quantity column gives every row one (1 when empty). */
    if (ps->seen[MF_QUANTITY] && r->quantity == 0)
        r->quantity = 1;
    if (ps->field != ps->ncols) {
        fail(ps, ps->row_line, "E407: %d fields, the header has %d", ps->field, ps->ncols);
    } else if (manifest_row_check(r, msg, sizeof msg)) {
        fail(ps, ps->row_line, "%s", msg);
    } else {
        int dup = hash_find(ps, r->rma);
        if (dup >= 0) {
            fail(ps, ps->row_line, "E412: rma %s appears twice (first on line %ld)", r->rma,
                 ps->lines[dup]);
        } else if (ps->nrows >= MANIFEST_MAX_ROWS) {
            fail(ps, ps->row_line, "E416: more than %d rows; split the file",
                 MANIFEST_MAX_ROWS);
        } else {
            if (ps->nrows == ps->cap) {
                int cap = ps->cap ? ps->cap * 2 : 64;
                struct manifest_row *rows = realloc(ps->rows, (size_t)cap * sizeof *rows);
                if (rows)
                    ps->rows = rows;
                long *lines = realloc(ps->lines, (size_t)cap * sizeof *lines);
                if (lines)
                    ps->lines = lines;
                if (!rows || !lines) {
                    fail(ps, ps->row_line, "E402: out of memory");
                    goto reset;
                }
                ps->cap = cap;
            }
            ps->rows[ps->nrows] = *r;
            ps->lines[ps->nrows] = ps->row_line;
            if (hash_insert(ps, ps->nrows) < 0)
                fail(ps, ps->row_line, "E402: out of memory");
            else
                ps->nrows++;
        }
    }
reset:
    memset(&ps->cur, 0, sizeof ps->cur);
    ps->field = 0;
    ps->row_bad = false;
}

/* Feed one byte, keeping track of physical lines (LF, CRLF or a lone CR). */
static int feed(struct csv_parser *p, struct parse *ps, unsigned char c)
{
    bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!ps->in_row && !space) {
        ps->in_row = true;
        ps->row_line = ps->line;
    }
    if (csv_parse(p, &c, 1, on_field, on_row, ps) != 1) {
        if (csv_error(p) == CSV_ENOMEM || csv_error(p) == CSV_ETOOBIG)
            fail(ps, ps->line, "E402: out of memory");
        else
            fail(ps, ps->line, "E413: malformed CSV: a field with a quote in it must be"
                               " quoted, and the quote doubled (RFC 4180)");
        return -1;
    }
    if (c == '\r' || (c == '\n' && !ps->prev_cr))
        ps->line++;
    ps->prev_cr = c == '\r';
    return ps->failed ? -1 : 0;
}

static int parse_file(struct parse *pps, struct manifest_file *out);

int manifest_read(const char *path, struct manifest_file *out,
                  void (*reject)(void *arg, long line, const char *msg), void *arg, char *err,
                  size_t errlen)
{
    struct parse ps = {.path = path, .err = err, .errlen = errlen, .line = 1,
                       .reject = reject, .reject_arg = arg};
    return parse_file(&ps, out);
}

void manifest_file_free(struct manifest_file *f)
{
    if (!f)
        return;
    free(f->rows);
    free(f->lines);
    memset(f, 0, sizeof *f);
}

int manifest_parse_file(const char *path, struct manifest_row **rows, int *nrows, char *err,
                        size_t errlen)
{
    return manifest_parse_file_lenient(path, rows, nrows, NULL, NULL, err, errlen);
}

int manifest_parse_file_lenient(const char *path, struct manifest_row **rows, int *nrows,
                                void (*reject)(void *arg, long line, const char *msg),
                                void *arg, char *err, size_t errlen)
{
    struct manifest_file f;
    int rc = manifest_read(path, &f, reject, arg, err, errlen);
    *rows = f.rows;
    *nrows = f.nrows;
    free(f.lines);
    return rc;
}

static int parse_file(struct parse *pps, struct manifest_file *out)
{
    struct parse ps = *pps;
    const char *path = ps.path;
    struct csv_parser p;
    bool parser_ready = false;
    unsigned char buf[65536];
    size_t n, offset = 0;

    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(&ps, 0, "E400: cannot open: %s", strerror(errno));
        return -1;
    }
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fail(&ps, 0, "E402: out of memory");
        goto out;
    }
    parser_ready = true;
    while (!ps.failed && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        size_t i = 0;
        if (offset == 0 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            i = 3; /* UTF-8 byte order mark */
        offset += n;
        for (; i < n && !ps.failed; i++)
            feed(&p, &ps, buf[i]);
    }
    if (!ps.failed && ferror(f))
        fail(&ps, ps.line, "E401: read error: %s", strerror(errno));
    if (!ps.failed && csv_fini(&p, on_field, on_row, &ps) != 0)
        fail(&ps, ps.row_line, "E413: a quoted field is not closed");
    if (!ps.failed && !ps.have_header)
        fail(&ps, 0, "E403: the file is empty; a header row is needed: rma,order_id,sku,gtin,"
                     "serial,description,reason,delivered_at");
out:
    if (parser_ready)
        csv_free(&p);
    fclose(f);
    free(ps.hash);
    if (ps.failed) {
        free(ps.rows);
        free(ps.lines);
        return -1;
    }
    out->rows = ps.rows;
    out->lines = ps.lines;
    out->nrows = ps.nrows;
    for (int c = 0; c < MANIFEST_FIELDS; c++)
        if (ps.seen[c])
            out->columns |= 1u << c;
    return 0;
}

struct import_report {
    const char *path;
    const struct manifest_file *file;
    void (*report)(void *arg, const char *msg);
    void *arg;
    int kept;
};

static void on_kept(void *arg, int index, const char *plate, bool differs)
{
    struct import_report *ir = arg;
    (void)differs; /* an import reports every such row, the same or not */
    ir->kept++;
    if (!ir->report)
        return;
    char msg[600];
    snprintf(msg, sizeof msg,
             "W418: %s:%ld: %s already has an outcome (%s); its row is not applied", ir->path,
             ir->file->lines[index], ir->file->rows[index].rma, plate);
    ir->report(ir->arg, msg);
}

int manifest_import(struct store *st, const char *path,
                    void (*report)(void *arg, const char *msg), void *arg, int *kept, char *err,
                    size_t errlen)
{
    struct manifest_file file;
    if (kept)
        *kept = 0;
    if (manifest_read(path, &file, NULL, NULL, err, errlen) < 0)
        return -1;
    struct import_report ir = {.path = path, .file = &file, .report = report, .arg = arg};
    int applied = store_put_manifest(st, file.rows, file.nrows, file.columns, on_kept, &ir, err,
                                     errlen);
    manifest_file_free(&file);
    if (applied < 0)
        return -1;
    if (kept)
        *kept = ir.kept;
    char detail[700];
    snprintf(detail, sizeof detail, "%s: %d rows, %d not applied (already graded)", path, applied,
             ir.kept);
    store_audit(st, clock_wall_ms(), NULL, "manifest_import", NULL, detail);
    return applied;
}

/* The manifest table: the expected returns, one row per RMA, every
 * manifest_row field as TEXT ('' when empty), site, updated_at (Unix ms);
 * version 6: quantity, the units expected (1 for the rows before).
 * Read and written by store_find_manifest and store_put_manifest (store.c). */
const char *manifest_schema(int version)
{
    if (version == 6)
        return "ALTER TABLE manifest ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1;";
    if (version != 1)
        return NULL;
    return "CREATE TABLE manifest ("
           "  rma TEXT PRIMARY KEY,"
           "  order_id TEXT NOT NULL DEFAULT '',"
           "  sku TEXT NOT NULL,"
           "  gtin TEXT NOT NULL DEFAULT '',"
           "  serial TEXT NOT NULL DEFAULT '',"
           "  description TEXT NOT NULL DEFAULT '',"
           "  reason TEXT NOT NULL DEFAULT '',"
           "  delivered_at TEXT NOT NULL DEFAULT '',"
           "  site TEXT NOT NULL DEFAULT '',"
           "  updated_at INTEGER NOT NULL);";
}
