/*
 * printq.c — the print queue over SQLite (see printq.h).
 *
 * Statements are prepared per call: the queue moves a few rows a minute, and
 * this keeps the module free of state beyond the store's connection.
 * Error ids: E690 cannot queue a job, E691 cannot read the queue,
 * E692 cannot mark a job sent, E693 cannot record a failed attempt.
 */
#include "printq.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store_internal.h"

/* The queue: a job is done when done_at is set; nothing else of a job
 * changes but its attempts and errors. */
const char *printq_schema(int version)
{
    if (version != 2)
        return NULL;
    return "CREATE TABLE print_jobs ("
           "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
           "  plate TEXT NOT NULL REFERENCES inspections (plate),"
           "  kind TEXT NOT NULL CHECK (kind IN ('label', 'reprint')),"
           "  created_at INTEGER NOT NULL,"
           "  attempts INTEGER NOT NULL DEFAULT 0,"
           "  next_try_at INTEGER NOT NULL DEFAULT 0,"
           "  last_error TEXT,"
           "  done_at INTEGER);"
           "CREATE INDEX print_jobs_waiting ON print_jobs (id) WHERE done_at IS NULL;";
}

static sqlite3_stmt *prep(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return NULL;
    }
    return s;
}

int printq_add(struct store *st, const char *plate, const char *kind, int64_t now, int64_t *id,
               char *err, size_t errlen)
{
    sqlite3_stmt *s = prep(st, "INSERT INTO print_jobs (plate, kind, created_at)"
                               " SELECT ?1, ?2, ?3 WHERE EXISTS"
                               " (SELECT 1 FROM inspections WHERE plate = ?1)");
    int rc = -1;
    if (s) {
        sqlite3_bind_text(s, 1, plate, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, now);
        if (sqlite3_step(s) == SQLITE_DONE) {
            if (sqlite3_changes(store_db(st)) == 1) {
                rc = 0;
                if (id)
                    *id = sqlite3_last_insert_rowid(store_db(st));
            } else {
                snprintf(err, errlen, "E690: no inspection %.47s to print", plate);
                sqlite3_finalize(s);
                return -1;
            }
        }
    }
    if (rc)
        snprintf(err, errlen, "E690: cannot queue the label of %.47s: %s", plate,
                 sqlite3_errmsg(store_db(st)));
    sqlite3_finalize(s);
    return rc;
}

int printq_has_label(struct store *st, const char *plate)
{
    sqlite3_stmt *s =
        prep(st, "SELECT count(*) FROM print_jobs WHERE plate = ?1 AND kind = 'label'");
    int rc = -1;
    if (s) {
        sqlite3_bind_text(s, 1, plate, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            rc = sqlite3_column_int(s, 0) > 0;
    }
    sqlite3_finalize(s);
    return rc;
}

int printq_next(struct store *st, int64_t now, bool eager, const int64_t *skip, int nskip,
                struct printq_job *job, int64_t *next_at, char *err, size_t errlen)
{
    sqlite3_stmt *s = prep(st, "SELECT id, plate, kind, attempts, created_at, next_try_at"
                               " FROM print_jobs WHERE done_at IS NULL ORDER BY id");
    if (!s) {
        snprintf(err, errlen, "E691: cannot read the print queue: %s",
                 sqlite3_errmsg(store_db(st)));
        return -1;
    }
    int64_t earliest = INT64_MAX;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0), at = sqlite3_column_int64(s, 5);
        bool skipped = false;
        for (int i = 0; i < nskip && !skipped; i++)
            skipped = skip[i] == id;
        bool due = at <= now || (eager && !skipped);
        if (due) {
            memset(job, 0, sizeof *job);
            job->id = id;
            snprintf(job->plate, sizeof job->plate, "%s", (const char *)sqlite3_column_text(s, 1));
            snprintf(job->kind, sizeof job->kind, "%s", (const char *)sqlite3_column_text(s, 2));
            job->attempts = sqlite3_column_int(s, 3);
            job->created_at = sqlite3_column_int64(s, 4);
            job->next_try_at = at;
            sqlite3_finalize(s);
            return 0;
        }
        if (at < earliest)
            earliest = at;
        if (!skipped)
            break; /* strictly in order: nothing younger passes it */
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        snprintf(err, errlen, "E691: cannot read the print queue: %s",
                 sqlite3_errmsg(store_db(st)));
        sqlite3_finalize(s);
        return -1;
    }
    sqlite3_finalize(s);
    if (next_at)
        *next_at = earliest;
    return 1;
}

int printq_done(struct store *st, int64_t id, int64_t now, char *err, size_t errlen)
{
    sqlite3_stmt *s = prep(st, "UPDATE print_jobs SET done_at = ?2, last_error = NULL"
                               " WHERE id = ?1 AND done_at IS NULL");
    int rc = -1;
    if (s) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, now);
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
    }
    if (rc)
        snprintf(err, errlen, "E692: cannot mark print job %lld sent: %s", (long long)id,
                 sqlite3_errmsg(store_db(st)));
    sqlite3_finalize(s);
    return rc;
}

int printq_failed(struct store *st, int64_t id, int64_t next_try_at, const char *error,
                  char *err, size_t errlen)
{
    sqlite3_stmt *s = prep(st, "UPDATE print_jobs SET attempts = attempts + 1,"
                               " next_try_at = ?2, last_error = ?3"
                               " WHERE id = ?1 AND done_at IS NULL");
    int rc = -1;
    if (s) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int64(s, 2, next_try_at);
        sqlite3_bind_text(s, 3, error ? error : "", -1, SQLITE_STATIC);
        rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
    }
    if (rc)
        snprintf(err, errlen, "E693: cannot record the failed print job %lld: %s", (long long)id,
                 sqlite3_errmsg(store_db(st)));
    sqlite3_finalize(s);
    return rc;
}

int printq_waiting(struct store *st)
{
    sqlite3_stmt *s = prep(st, "SELECT count(*) FROM print_jobs WHERE done_at IS NULL");
    int n = -1;
    if (s && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

int64_t printq_backoff_ms(int attempts, int64_t min_ms, int64_t max_ms)
{
    int64_t ms = min_ms;
    for (int i = 1; i < attempts && ms < max_ms; i++)
        ms *= 2;
    return ms < max_ms ? ms : max_ms;
}
