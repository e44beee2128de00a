/*
 * export.c — an inspection as head office sees it: the export record (JSON),
 * and `triage export` as NDJSON or CSV.
 *
 * The record is made once, at commit, by inspection_to_json and stored in
 * inspections.record and outbox.payload; NDJSON export prints those stored
 * records as they are, so an export and what sync sends are the same bytes.
 * CSV export reads the same records, so both formats always agree.
 *
 * Fields (docs/export.md: the base fields, "blind", and for statistics
 * "step_ms" {check: ms}, "calibration_due", "calibrates"; then the item
 * check, "item_check" and "scanned_item" ("" when nothing was scanned, not
 * null), "wrong_item", and the unit, "unit", "units", "extra_unit"; then
 * the grading policy: "skipped" (the checks not asked), "reason" (declared,
 * null when none), "reason_check", "responsibility_suggested" (null for
 * none, as "responsibility"), "responsibility_reason", "return_type" and
 * "resolution" ("" when none)); then the evidence, "photos"
 * [{"check", "file", "sha256"}] and "photos_waived" [{"check", "by"}]),
 * every key always present; an empty optional
 * text is null, a grade is its letter or null.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"

static const char *const export_fields[] = {
    "station",     "epoch",         "seq",      "plate",        "rma",
    "order_id",    "sku",           "gtin",     "serial",       "category",
    "operator",    "started_at",    "finished_at", "grade",     "cosmetic",
    "functional",  "completeness",  "disposition", "responsibility", "defects",
    "answers",     "rules_version", "late",     "mismatch",     "supersedes",
    "blind",       "step_ms",       "calibration_due", "calibrates", "item_check",
    "scanned_item", "wrong_item",   "unit",     "units",        "extra_unit",
    "skipped",     "reason",        "reason_check", "responsibility_suggested",
    "responsibility_reason", "return_type", "resolution", "photos", "photos_waived",
};
#define NUM_EXPORT_FIELDS ((int)(sizeof export_fields / sizeof *export_fields))

static cJSON *text_or_null(const char *s)
{
    return s[0] ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *time_item(int64_t ms)
{
    char buf[40];
    return cJSON_CreateString(time_rfc3339(ms, buf, sizeof buf));
}

static cJSON *grade_item(enum grade g)
{
    return g == GRADE_NONE ? cJSON_CreateNull() : cJSON_CreateString(grade_name(g));
}

/* Per-step times as an object check → ms; steps without a time are left out. */
static cJSON *steps_item(const struct inspection *in)
{
    cJSON *o = cJSON_CreateObject();
    for (int k = 0; o && k < in->nanswers && k < INSP_MAX_ANSWERS; k++) {
        if (in->step_ms[k] <= 0)
            continue;
        if (!cJSON_AddNumberToObject(o, in->answers[k].check, in->step_ms[k])) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

char *inspection_steps_json(const struct inspection *insp)
{
    cJSON *o = steps_item(insp);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

/* The value of export field `i` for `in`; NULL when out of memory. */
static cJSON *field_item(const struct inspection *in, int i)
{
    const char *name = export_fields[i];
    if (!strcmp(name, "station")) return text_or_null(in->station);
    if (!strcmp(name, "epoch")) return text_or_null(in->epoch);
    if (!strcmp(name, "seq")) return cJSON_CreateNumber((double)in->seq);
    if (!strcmp(name, "plate")) return text_or_null(in->plate);
    if (!strcmp(name, "rma")) return text_or_null(in->rma);
    if (!strcmp(name, "order_id")) return text_or_null(in->order_id);
    if (!strcmp(name, "sku")) return text_or_null(in->sku);
    if (!strcmp(name, "gtin")) return text_or_null(in->gtin);
    if (!strcmp(name, "serial")) return text_or_null(in->serial);
    if (!strcmp(name, "category")) return text_or_null(in->category);
    if (!strcmp(name, "operator")) return text_or_null(in->operator_badge);
    if (!strcmp(name, "started_at")) return time_item(in->started_at);
    if (!strcmp(name, "finished_at")) return time_item(in->finished_at);
    if (!strcmp(name, "grade")) return grade_item(in->grade);
    if (!strcmp(name, "cosmetic")) return grade_item(in->aspect_grade[ASPECT_COSMETIC]);
    if (!strcmp(name, "functional")) return grade_item(in->aspect_grade[ASPECT_FUNCTIONAL]);
    if (!strcmp(name, "completeness")) return grade_item(in->aspect_grade[ASPECT_COMPLETENESS]);
    if (!strcmp(name, "disposition")) return text_or_null(in->disposition);
    if (!strcmp(name, "responsibility"))
        return text_or_null(responsibility_name(in->responsibility));
    if (!strcmp(name, "defects")) {
        cJSON *a = cJSON_CreateArray();
        for (int k = 0; a && k < in->ndefects && k < INSP_MAX_DEFECTS; k++)
            if (!cJSON_AddItemToArray(a, cJSON_CreateString(in->defects[k]))) {
                cJSON_Delete(a);
                return NULL;
            }
        return a;
    }
    if (!strcmp(name, "answers")) {
        cJSON *o = cJSON_CreateObject();
        for (int k = 0; o && k < in->nanswers && k < INSP_MAX_ANSWERS; k++)
            if (!cJSON_AddStringToObject(o, in->answers[k].check, in->answers[k].answer)) {
                cJSON_Delete(o);
                return NULL;
            }
        return o;
    }
    if (!strcmp(name, "rules_version")) return text_or_null(in->rules_version);
    if (!strcmp(name, "late")) return cJSON_CreateBool(in->late);
    if (!strcmp(name, "mismatch")) return cJSON_CreateBool(in->mismatch);
    if (!strcmp(name, "supersedes")) return text_or_null(in->supersedes);
    if (!strcmp(name, "blind")) return cJSON_CreateBool(in->blind);
    if (!strcmp(name, "step_ms")) return steps_item(in);
    if (!strcmp(name, "calibration_due")) return cJSON_CreateBool(in->calibration_due);
    if (!strcmp(name, "calibrates")) return text_or_null(in->calibrates);
    if (!strcmp(name, "item_check"))
        return cJSON_CreateString(item_check_name(inspection_item_check(in)));
    if (!strcmp(name, "scanned_item")) return cJSON_CreateString(in->scanned_item);
    if (!strcmp(name, "wrong_item")) return cJSON_CreateBool(in->wrong_item);
    if (!strcmp(name, "unit")) return cJSON_CreateNumber(inspection_unit(in));
    if (!strcmp(name, "units")) return cJSON_CreateNumber(inspection_units(in));
    if (!strcmp(name, "extra_unit")) return cJSON_CreateBool(in->extra_unit);
    if (!strcmp(name, "skipped")) {
        cJSON *a = cJSON_CreateArray();
        for (int k = 0; a && k < in->nskipped && k < INSP_MAX_ANSWERS; k++)
            if (!cJSON_AddItemToArray(a, cJSON_CreateString(in->skipped[k]))) {
                cJSON_Delete(a);
                return NULL;
            }
        return a;
    }
    if (!strcmp(name, "reason")) return text_or_null(in->reason);
    if (!strcmp(name, "reason_check"))
        return cJSON_CreateString(reason_check_name(in->reason_check));
    if (!strcmp(name, "responsibility_suggested"))
        return text_or_null(responsibility_name(in->responsibility_suggested));
    if (!strcmp(name, "responsibility_reason"))
        return cJSON_CreateString(in->responsibility_reason);
    if (!strcmp(name, "return_type")) return cJSON_CreateString(return_type_name(in->return_type));
    if (!strcmp(name, "resolution")) return cJSON_CreateString(resolution_name(in->resolution));
    if (!strcmp(name, "photos")) return photos_to_cjson(in);
    if (!strcmp(name, "photos_waived")) return photos_waived_to_cjson(in);
    return cJSON_CreateNull(); /* NEVER: every name above is handled */
}

char *inspection_to_json(const struct inspection *insp)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (int i = 0; i < NUM_EXPORT_FIELDS; i++) {
        cJSON *item = field_item(insp, i);
        if (!item || !cJSON_AddItemToObject(o, export_fields[i], item)) {
            cJSON_Delete(item);
            cJSON_Delete(o);
            return NULL;
        }
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* ---- CSV ----------------------------------------------------------------- */

/* The text of one JSON value in a CSV cell: null → empty, booleans true/false,
 * arrays joined with ';' (a record in an array: its texts joined with ':'),
 * objects as key=value;… */
static void cell_value(struct buf *c, const cJSON *v)
{
    char num[32];
    if (cJSON_IsString(v)) {
        buf_adds(c, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof num, "%lld", (long long)v->valuedouble);
        buf_adds(c, num);
    } else if (cJSON_IsBool(v)) {
        buf_adds(c, cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        const cJSON *item;
        bool first = true;
        cJSON_ArrayForEach(item, v)
        {
            if (!first)
                buf_adds(c, ";");
            first = false;
            if (cJSON_IsObject(v)) {
                buf_adds(c, item->string ? item->string : "");
                buf_adds(c, "=");
            }
            if (cJSON_IsNumber(item)) {
                snprintf(num, sizeof num, "%lld", (long long)item->valuedouble);
                buf_adds(c, num);
            } else if (cJSON_IsObject(item)) {
                /* A list of records (photos): each one's texts joined by ':'. */
                const cJSON *m;
                cJSON_ArrayForEach(m, item)
                {
                    if (m != item->child)
                        buf_adds(c, ":");
                    buf_adds(c, cJSON_IsString(m) ? m->valuestring : "");
                }
            } else {
                buf_adds(c, cJSON_IsString(item) ? item->valuestring : "");
            }
        }
    }
}

/* RFC 4180 §2.6–2.7: a field with a comma, quote, CR or LF is quoted, and a
 * quote inside is doubled. */
static void write_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void write_csv_header(FILE *out)
{
    for (int i = 0; i < NUM_EXPORT_FIELDS; i++) {
        if (i)
            fputc(',', out);
        fputs(export_fields[i], out);
    }
    fputs("\r\n", out); /* RFC 4180 §2.1: records end with CRLF */
}

static int write_csv_row(FILE *out, const char *record)
{
    cJSON *o = cJSON_Parse(record);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return -1;
    }
    struct buf c = {0};
    for (int i = 0; i < NUM_EXPORT_FIELDS; i++) {
        buf_reset(&c);
        cell_value(&c, cJSON_GetObjectItemCaseSensitive(o, export_fields[i]));
        if (c.oom)
            break;
        if (i)
            fputc(',', out);
        write_csv_field(out, buf_str(&c));
    }
    fputs("\r\n", out);
    bool oom = c.oom;
    buf_free(&c);
    cJSON_Delete(o);
    return oom ? -2 : 0;
}

int store_export(struct store *st, FILE *out, enum export_format format, char *err,
                 size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT seq, record FROM inspections ORDER BY seq", -1, &s,
                           NULL) != SQLITE_OK) {
        set_err(err, errlen, "E230: cannot read the inspections: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (format == EXPORT_CSV)
        write_csv_header(out);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *record = (const char *)sqlite3_column_text(s, 1);
        if (format == EXPORT_NDJSON) {
            fputs(record ? record : "{}", out);
            fputc('\n', out);
        } else {
            int w = write_csv_row(out, record ? record : "");
            if (w == -1) {
                set_err(err, errlen, "E232: the record of inspection %lld is not JSON",
                        (long long)sqlite3_column_int64(s, 0));
                goto out;
            }
            if (w == -2) {
                set_err(err, errlen, "E233: out of memory");
                goto out;
            }
        }
        if (ferror(out))
            break;
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        set_err(err, errlen, "E230: cannot read the inspections: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (fflush(out) != 0 || ferror(out)) {
        set_err(err, errlen, "E231: writing the export failed: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}
