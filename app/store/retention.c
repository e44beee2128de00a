/*
 * retention.c — letting old outbox rows, label files and photos go once
 * head office has them, and photos taken that nothing names (retention.h).
 */
#include "retention.h"

#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "log.h"
#include "photos.h"
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

/* Remove the photo files an inspection's row names (its photos column);
 * how many went. */
static int64_t remove_photos(struct store *st, const char *photos_json)
{
    struct inspection *in = calloc(1, sizeof *in);
    if (!in)
        return 0;
    photos_from_json(photos_json, NULL, in);
    int64_t n = 0;
    for (int k = 0; k < in->nphotos; k++) {
        char path[1200];
        if (!photos_ref_valid(&in->photos[k]))
            continue; /* never a file outside photos/ */
        snprintf(path, sizeof path, "%s/%s", photos_data_dir(st), in->photos[k].file);
        if (unlink(path) == 0)
            n++;
        else if (errno != ENOENT)
            log_warn("W947", "photo %s not removed: %s", path, strerror(errno));
    }
    free(in);
    return n;
}

int64_t retention_label_plates(struct store *st, int64_t acked, int64_t cutoff_ms,
                               void (*fn)(void *arg, const char *plate), void *arg, int64_t *photos,
                               char *err, size_t errlen)
{
    sqlite3 *db = store_db(st);
    if (photos)
        *photos = 0;
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
                                "SELECT plate, photos FROM inspections WHERE seq > ?1 AND"
                                " seq <= ?2 ORDER BY seq",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, from);
        sqlite3_bind_int64(s, 2, upto);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            fn(arg, (const char *)sqlite3_column_text(s, 0));
            const char *pj = (const char *)sqlite3_column_text(s, 1);
            int64_t gone = pj && strcmp(pj, "[]") != 0 ? remove_photos(st, pj) : 0;
            if (photos)
                *photos += gone;
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

int64_t retention_photos_gone(struct store *st)
{
    return mark(store_db(st), "labels_upto");
}

/* Whether a draft or an inspection names the photo file `name`
 * ("photos/take-…"): 1, 0, or -1 when that cannot be read. Inspections
 * finished before the take's own time (in its name) cannot name it. */
static int take_named(sqlite3 *db, const char *name)
{
    long long ms = 0;
    sscanf(name, "photos/take-%lld-", &ms);
    sqlite3_stmt *s = NULL;
    int named = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT EXISTS (SELECT 1 FROM drafts WHERE instr(state, ?1) > 0)"
                           " OR EXISTS (SELECT 1 FROM inspections WHERE finished_at >= ?2"
                           " AND instr(photos, ?1) > 0)",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, ms);
        if (sqlite3_step(s) == SQLITE_ROW)
            named = sqlite3_column_int(s, 0) != 0;
    }
    sqlite3_finalize(s);
    return named;
}

int64_t retention_prune_takes(struct store *st, int64_t cutoff_ms, char *err, size_t errlen)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/photos", photos_data_dir(st));
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0; /* no photo taken yet */
        set_err(err, errlen, "E264: the photos folder %s cannot be read: %s", dir, strerror(errno));
        return -1;
    }
    int64_t n = 0;
    int failed = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (strncmp(de->d_name, "take-", 5) != 0 || len < 9 ||
            strcmp(de->d_name + len - 4, ".jpg") != 0)
            continue;
        char path[1400], name[300];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(name, sizeof name, "photos/%s", de->d_name);
        if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
            (int64_t)sb.st_mtime * 1000 >= cutoff_ms)
            continue;
        int named = take_named(store_db(st), name);
        if (named < 0) {
            failed = 1;
            break;
        }
        if (named)
            continue;
        if (unlink(path) == 0)
            n++;
        else if (errno != ENOENT)
            log_warn("W947", "photo %s not removed: %s", path, strerror(errno));
    }
    closedir(d);
    if (failed) {
        set_err(err, errlen, "E264: the drafts naming photos cannot be read: %s",
                sqlite3_errmsg(store_db(st)));
        return -1;
    }
    return n;
}

int64_t retention_photos_bytes(struct store *st)
{
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/photos", photos_data_dir(st));
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int64_t bytes = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char path[1400];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (de->d_name[0] != '.' && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            bytes += (int64_t)sb.st_blocks * 512;
    }
    closedir(d);
    return bytes;
}
