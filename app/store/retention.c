/*
 * retention.c — letting old outbox rows and label files go once head office
 * has them (retention.h).
 */
#include "retention.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "log.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"

const char *retention_schema(int version)
{
    switch (version) {
    case 7:
        /* The outbox stays append-only but for the rows retention removed. */
        return "CREATE TABLE retention ("
               "  id INTEGER PRIMARY KEY CHECK (id = 1),"
               "  outbox_upto INTEGER NOT NULL DEFAULT 0,"
               "  labels_upto INTEGER NOT NULL DEFAULT 0);"
               "INSERT INTO retention (id) VALUES (1);"
               "DROP TRIGGER outbox_no_delete;"
               "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox"
               "  WHEN OLD.seq > (SELECT outbox_upto FROM retention WHERE id = 1)"
               "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;";
    default: return NULL;
    }
}

/* The newest seq at most `acked` finished before cutoff_ms, above `after`
 * (with every seq between also finished before it): the end of what may
 * go. */
static int64_t prunable_upto(sqlite3 *db, int64_t after, int64_t acked, int64_t cutoff_ms)
{
    sqlite3_stmt *s = NULL;
    int64_t upto = -1;
    /* The first seq after `after` that is too young (or unacknowledged)
     * bounds the range: never leave a hole. */
    if (sqlite3_prepare_v2(db,
                           "SELECT coalesce(min(seq) - 1, ?2) FROM inspections"
                           " WHERE seq > ?1 AND seq <= ?2 AND finished_at >= ?3",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, after);
        sqlite3_bind_int64(s, 2, acked);
        sqlite3_bind_int64(s, 3, cutoff_ms);
        if (sqlite3_step(s) == SQLITE_ROW)
            upto = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return upto;
}

static int64_t mark(sqlite3 *db, const char *column)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT %s FROM retention WHERE id = 1", column);
    sqlite3_stmt *s = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int set_mark(sqlite3 *db, const char *column, int64_t v)
{
    char sql[96];
    snprintf(sql, sizeof sql, "UPDATE retention SET %s = ?1 WHERE id = 1", column);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, v);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    return rc;
}

int64_t retention_prune_outbox(struct store *st, int64_t acked, int64_t cutoff_ms, char *err,
                               size_t errlen)
{
    sqlite3 *db = store_db(st);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E261: old outbox rows cannot be removed: %s", sqlite3_errmsg(db));
        return -1;
    }
    int64_t from = mark(db, "outbox_upto");
    int64_t upto = from < 0 ? -1 : prunable_upto(db, from, acked, cutoff_ms);
    int64_t n = 0;
    if (upto < 0)
        goto failed;
    if (upto > from) {
        char detail[64];
        snprintf(detail, sizeof detail, "{\"upto\":%lld}", (long long)upto);
        sqlite3_stmt *s = NULL;
        if (set_mark(db, "outbox_upto", upto) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "DELETE FROM outbox WHERE seq > ?1 AND seq <= ?2", -1, &s,
                               NULL) != SQLITE_OK)
            goto failed;
        sqlite3_bind_int64(s, 1, from);
        sqlite3_bind_int64(s, 2, upto);
        int rc = sqlite3_step(s);
        sqlite3_finalize(s);
        n = sqlite3_changes64(db);
        if (rc != SQLITE_DONE ||
            store_audit(st, clock_wall_ms(), NULL, "outbox_pruned", NULL, detail) != 0)
            goto failed;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto failed;
    return n;
failed:
    set_err(err, errlen, "E261: old outbox rows cannot be removed: %s", sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int64_t retention_label_plates(struct store *st, int64_t acked, int64_t cutoff_ms,
                               void (*fn)(void *arg, const char *plate), void *arg, char *err,
                               size_t errlen)
{
    sqlite3 *db = store_db(st);
    int64_t from = mark(db, "labels_upto");
    int64_t upto = from < 0 ? -1 : prunable_upto(db, from, acked, cutoff_ms);
    if (upto < 0) {
        set_err(err, errlen, "E262: old labels cannot be listed: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (upto <= from)
        return 0;
    sqlite3_stmt *s = NULL;
    int64_t n = 0;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT plate FROM inspections WHERE seq > ?1 AND seq <= ?2"
                                " ORDER BY seq",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, from);
        sqlite3_bind_int64(s, 2, upto);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            fn(arg, (const char *)sqlite3_column_text(s, 0));
            n++;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE || set_mark(db, "labels_upto", upto) != SQLITE_OK) {
        set_err(err, errlen, "E262: old labels cannot be listed: %s", sqlite3_errmsg(db));
        return -1;
    }
    return n;
}
