/*
 * backup.c — online copies and read-only checks of the station database (backup.h).
 *
 * Read-only connections: a copy or a check never writes the station's database. In WAL
 * mode SQLite still makes the -wal and -shm files beside it when they are missing, and
 * when run as root gives them the database's owner, so a `triage backup` by root never
 * leaves files the station's user cannot open.
 *
 * The copy: sqlite3_backup_step(-1) copies every page inside one read transaction of
 * the source (a consistent snapshot; in WAL mode writers go on). The copy is switched
 * to journal_mode=DELETE, so a backup is one self-contained file, then checked with
 * quick_check before it is synced and renamed into place without replacing anything
 * (renameat2 RENAME_NOREPLACE, or link+unlink where the filesystem lacks it).
 */
#include "backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define BUSY_WAIT_MS 10000

static int open_readonly(const char *db_path, sqlite3 **db, char *err, size_t errlen)
{
    struct stat st;
    *db = NULL;
    if (stat(db_path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "E251: %s: no station database there%s%s", db_path,
                 errno == ENOENT ? "" : ": ", errno == ENOENT ? "" : strerror(errno));
        return -1;
    }
    int rc = sqlite3_open_v2(db_path, db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(*db, BUSY_WAIT_MS);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "E252: %s: cannot open: %s", db_path,
                 *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
        sqlite3_close(*db);
        *db = NULL;
        return -1;
    }
    return 0;
}

/* One integer from a one-row query; -1 when it fails. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* quick_check or integrity_check: 0 when it ran; *ok and detail say how it went. */
static int run_check(sqlite3 *db, bool full, bool *ok, char *detail, size_t detlen)
{
    sqlite3_stmt *st = NULL;
    const char *sql = full ? "PRAGMA integrity_check" : "PRAGMA quick_check";
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    int rows = 0;
    *ok = false;
    detail[0] = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (rows++ == 0)
            snprintf(detail, detlen, "%s", t ? t : "");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(detail, detlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    *ok = rows == 1 && strcmp(detail, "ok") == 0;
    return 0;
}

int backup_check(const char *db_path, bool full, struct backup_check *out, char *err,
                 size_t errlen)
{
    sqlite3 *db;
    memset(out, 0, sizeof *out);
    out->inspections = -1;
    if (open_readonly(db_path, &db, err, errlen) != 0)
        return -1;
    int rc = 0;
    if (run_check(db, full, &out->ok, out->detail, sizeof out->detail) != 0) {
        snprintf(err, errlen, "E252: %s: cannot be read: %s", db_path, out->detail);
        rc = -1;
    } else {
        out->schema = (int)query_int(db, "PRAGMA user_version");
        out->inspections = query_int(db, "SELECT count(*) FROM inspections");
    }
    sqlite3_close(db);
    return rc;
}

/* fsync a file or folder by path. */
static int sync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Rename tmp to dest unless dest exists. 0, or -1 with errno (EEXIST when it does). */
static int rename_noreplace(const char *tmp, const char *dest)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    if (link(tmp, dest) != 0)
        return -1;
    unlink(tmp);
    return 0;
}

/* The folder of path ("." when it has none) into dir. */
static void dir_of(const char *path, char *dir, size_t dirlen)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, dirlen, ".");
    else if (slash == path)
        snprintf(dir, dirlen, "/");
    else
        snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
}

int backup_take(const char *db_path, const char *dest, struct backup_info *info, char *err,
                size_t errlen)
{
    char tmp[PATH_MAX], journal[PATH_MAX + 16], dir[PATH_MAX];
    sqlite3 *src = NULL, *dst = NULL;
    bool made_tmp = false;
    int rc = -1;
    if (snprintf(tmp, sizeof tmp, "%s.tmp", dest) >= (int)sizeof tmp) {
        snprintf(err, errlen, "E257: backup path too long: %s", dest);
        return -1;
    }
    snprintf(journal, sizeof journal, "%s-journal", tmp);
    struct stat st;
    if (lstat(dest, &st) == 0) {
        snprintf(err, errlen, "E250: %s exists: a backup never overwrites a file", dest);
        return -1;
    }
    if (open_readonly(db_path, &src, err, errlen) != 0)
        return -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "E253: cannot create %s: %s%s", tmp, strerror(errno),
                 errno == EEXIST ? " (another backup to this file runs, or a cut-off one"
                                   " left it: remove it)"
                                 : "");
        goto out;
    }
    close(fd);
    made_tmp = true;

    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "E254: cannot open %s: %s", tmp,
                 dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errlen, "E254: cannot start the copy: %s", sqlite3_errmsg(dst));
        goto out;
    }
    int step, waited = 0;
    while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED) {
        if (waited >= BUSY_WAIT_MS)
            break;
        sqlite3_sleep(50);
        waited += 50;
    }
    int fin = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE || fin != SQLITE_OK) {
        snprintf(err, errlen, "E254: copying %s failed: %s", db_path,
                 step == SQLITE_DONE ? sqlite3_errmsg(dst) : sqlite3_errstr(step));
        goto out;
    }
    char *msg = NULL;
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "E254: %s: %s", tmp, msg ? msg : "journal mode");
        sqlite3_free(msg);
        goto out;
    }
    bool ok;
    char detail[200];
    if (run_check(dst, false, &ok, detail, sizeof detail) != 0 || !ok) {
        snprintf(err, errlen, "E255: the copy %s failed its check: %s", tmp, detail);
        goto out;
    }
    if (info) {
        info->inspections = query_int(dst, "SELECT count(*) FROM inspections");
        info->schema = (int)query_int(dst, "PRAGMA user_version");
    }
    if (sqlite3_close(dst) != SQLITE_OK) {
        snprintf(err, errlen, "E254: cannot close %s: %s", tmp, sqlite3_errmsg(dst));
        goto out;
    }
    dst = NULL;
    dir_of(dest, dir, sizeof dir);
    if (sync_path(tmp, O_RDONLY) != 0) {
        snprintf(err, errlen, "E256: cannot sync %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (rename_noreplace(tmp, dest) != 0) {
        if (errno == EEXIST)
            snprintf(err, errlen, "E250: %s appeared meanwhile: a backup never overwrites a file",
                     dest);
        else
            snprintf(err, errlen, "E256: cannot rename %s to %s: %s", tmp, dest,
                     strerror(errno));
        goto out;
    }
    made_tmp = false;
    /* The copy is whole and in place; a folder that cannot be synced only leaves the
     * rename to the next sync of the filesystem. */
    sync_path(dir, O_RDONLY | O_DIRECTORY);
    if (info && stat(dest, &st) == 0)
        info->bytes = (int64_t)st.st_size;
    rc = 0;
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    if (made_tmp) {
        unlink(tmp);
        unlink(journal);
    }
    return rc;
}

/* ---- daily backups -------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static struct tm local_day(int64_t wall_ms)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    return tm;
}

void backup_daily_name(int64_t wall_ms, char *out, size_t outlen)
{
    struct tm tm = local_day(wall_ms);
    snprintf(out, outlen, "triage-%04d-%02d-%02d.db", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday);
}

/* The day number of a daily backup's name (with or without ".tmp"); -1 for any other. */
static int64_t daily_day(const char *name)
{
    int y, m, d, n = 0;
    if (sscanf(name, "triage-%4d-%2d-%2d.db%n", &y, &m, &d, &n) != 3 || n != 20)
        return -1;
    if (name[n] && strcmp(name + n, ".tmp") != 0)
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    return days_from_civil(y, m, d);
}

int backup_prune(const char *dir, int64_t wall_ms, int keep_days, char *err, size_t errlen)
{
    if (keep_days < 1)
        return 0;
    struct tm tm = local_day(wall_ms);
    int64_t today = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "E258: cannot read the backup folder %s: %s", dir, strerror(errno));
        return -1;
    }
    int removed = 0;
    for (struct dirent *e; (e = readdir(d));) {
        int64_t day = daily_day(e->d_name);
        if (day < 0 || day > today - keep_days)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        if (unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}
