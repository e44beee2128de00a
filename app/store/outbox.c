/*
 * outbox.c — the outbox and sync_state over SQLite (see outbox.h).
 *
 * Statements are prepared per call: a round runs a handful of them per
 * batch of hundreds of records, and this keeps the module free of state
 * beyond the store's connection. Each write is one statement, so one
 * transaction of its own: sync's progress is durable once a call returns.
 */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "text.h"

const char *outbox_schema(int version)
{
    switch (version) {
    case 1:
        return "CREATE TABLE outbox ("
               "  seq INTEGER PRIMARY KEY REFERENCES inspections (seq),"
               "  payload TEXT NOT NULL,"
               "  created_at INTEGER NOT NULL);"
               "CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox"
               "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;"
               "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox"
               "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;";
    case 4:
        return "CREATE TABLE sync_state ("
               "  target TEXT PRIMARY KEY,"
               "  sent_seq INTEGER NOT NULL DEFAULT 0,"
               "  intent_last INTEGER NOT NULL DEFAULT 0,"
               "  manifest_since TEXT NOT NULL DEFAULT '',"
               "  last_ok INTEGER NOT NULL DEFAULT 0,"
               "  last_error TEXT NOT NULL DEFAULT '');";
    default: return NULL;
    }
}

/* Run one statement on target: ?1 target, ?2 a, ?3 b, ?4 text (NULL binds
 * NULL). Returns SQLITE_OK or SQLITE_ERROR. */
static int exec_target(sqlite3 *db, const char *sql, const char *target, int64_t a, int64_t b,
                       const char *text)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, a);
        sqlite3_bind_int64(s, 3, b);
        if (text)
            sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, 4);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    return rc;
}

int64_t outbox_last_seq(struct store *st, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM outbox", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    if (n < 0)
        set_err(err, errlen, "E702: cannot read the outbox: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return n;
}

void outbox_batch_free(struct outbox_batch *b)
{
    if (!b)
        return;
    for (int i = 0; b->records && i < b->count; i++)
        free(b->records[i]);
    free(b->records);
    free(b->lens);
    memset(b, 0, sizeof *b);
}

int outbox_fetch(struct store *st, int64_t after, int64_t upto, struct outbox_batch *b, char *err,
                 size_t errlen)
{
    sqlite3 *db = store_db(st);
    memset(b, 0, sizeof *b);
    int64_t first = after + 1, last = upto;
    int n = (int)(last - first + 1);
    b->count = n;
    b->records = calloc((size_t)n, sizeof *b->records);
    b->lens = calloc((size_t)n, sizeof *b->lens);
    if (!b->records || !b->lens) {
        set_err(err, errlen, "E710: out of memory");
        goto fail;
    }
    sqlite3_stmt *s = NULL;
    /* Rows retention removed (retention.h) are read from their inspection's
     * record, the same bytes: head office may ask for them again. */
    int rc = sqlite3_prepare_v2(db,
                                "SELECT seq, payload FROM outbox WHERE seq BETWEEN ?1 AND ?2"
                                " UNION ALL SELECT i.seq, i.record FROM inspections i"
                                " WHERE i.seq BETWEEN ?1 AND ?2"
                                " AND i.seq <= (SELECT outbox_upto FROM retention WHERE id = 1)"
                                " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.seq = i.seq)"
                                " ORDER BY 1",
                                -1, &s, NULL);
    int k = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, first);
        sqlite3_bind_int64(s, 2, last);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t seq = sqlite3_column_int64(s, 0);
            if (k >= n || seq != first + k) {
                set_err(err, errlen, "E703: the outbox has a gap before seq %lld", (long long)seq);
                sqlite3_finalize(s);
                goto fail;
            }
            int len = sqlite3_column_bytes(s, 1);
            const unsigned char *t = sqlite3_column_text(s, 1);
            b->records[k] = malloc((size_t)len + 1);
            if (!b->records[k]) {
                set_err(err, errlen, "E710: out of memory");
                sqlite3_finalize(s);
                goto fail;
            }
            memcpy(b->records[k], t ? (const char *)t : "", (size_t)len);
            b->records[k][len] = 0;
            b->lens[k] = (size_t)len;
            k++;
        }
    }
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E702: cannot read the outbox: %s", sqlite3_errmsg(db));
        sqlite3_finalize(s);
        goto fail;
    }
    sqlite3_finalize(s);
    if (k != n) {
        set_err(err, errlen, "E703: the outbox has a gap: %d of seq %lld..%lld", k,
                (long long)first, (long long)last);
        goto fail;
    }
    b->first = first;
    b->last = last;
    return 0;
fail:
    outbox_batch_free(b);
    return -1;
}

int64_t outbox_station_run(struct store *st, int64_t first, int64_t upto, char *station,
                           size_t len, char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    int64_t last = -1;
    int rc = sqlite3_prepare_v2(db, "SELECT station FROM inspections WHERE seq = ?1", -1, &s,
                                NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, first);
        if (sqlite3_step(s) == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(s, 0);
            snprintf(station, len, "%s", t ? (const char *)t : "");
            last = upto;
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if (last >= 0 &&
        sqlite3_prepare_v2(db,
                           "SELECT coalesce(min(seq) - 1, ?3) FROM inspections"
                           " WHERE seq > ?1 AND seq <= ?3 AND station <> ?2",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, first);
        sqlite3_bind_text(s, 2, station, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, upto);
        last = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    } else {
        last = -1;
    }
    sqlite3_finalize(s);
    if (last < first) {
        set_err(err, errlen, "E702: cannot read the station id of seq %lld: %s",
                (long long)first, sqlite3_errmsg(db));
        return -1;
    }
    return last;
}

int outbox_progress(struct store *st, const char *target, struct outbox_progress *p, char *err,
                    size_t errlen)
{
    sqlite3 *db = store_db(st);
    memset(p, 0, sizeof *p);
    if (exec_target(db, "INSERT OR IGNORE INTO sync_state (target) VALUES (?1)", target, 0, 0,
                    NULL) != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot record sync progress: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT sent_seq, intent_last, manifest_since FROM sync_state"
                                " WHERE target = ?1",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            p->sent_seq = sqlite3_column_int64(s, 0);
            p->intent_last = sqlite3_column_int64(s, 1);
            const unsigned char *t = sqlite3_column_text(s, 2);
            snprintf(p->manifest_since, sizeof p->manifest_since, "%s", t ? (const char *)t : "");
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot read sync progress: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

int outbox_mark_sent(struct store *st, const char *target, int64_t sent, int64_t intent_last,
                     char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    if (exec_target(db, "UPDATE sync_state SET sent_seq = ?2, intent_last = ?3 WHERE target = ?1",
                    target, sent, intent_last, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot record sync progress: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

int outbox_mark_pulled(struct store *st, const char *target, const char *since, char *err,
                       size_t errlen)
{
    sqlite3 *db = store_db(st);
    if (exec_target(db, "UPDATE sync_state SET manifest_since = ?4 WHERE target = ?1", target, 0, 0,
                    since) != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot record the manifest pull: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

void outbox_mark_round(struct store *st, const char *target, const char *error, int64_t now_ms)
{
    if (error)
        exec_target(store_db(st), "UPDATE sync_state SET last_error = ?4 WHERE target = ?1", target,
                    0, 0, error);
    else
        exec_target(store_db(st),
                    "UPDATE sync_state SET last_ok = ?2, last_error = '' WHERE target = ?1", target,
                    now_ms, 0, NULL);
}

int64_t outbox_waiting(struct store *st, const char *target)
{
    struct outbox_progress p;
    int64_t last = outbox_last_seq(st, NULL, 0);
    if (last < 0 || outbox_progress(st, target, &p, NULL, 0) < 0)
        return -1;
    return last - p.sent_seq;
}
