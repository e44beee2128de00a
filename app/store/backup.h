/*
 * backup.h — copies and checks of the station's database, taken while it runs.
 *
 * A copy is made with SQLite's online backup API from a read-only connection: one
 * read transaction over the whole copy, so it is the database as it was at one moment
 * (a commit is in the copy whole or not at all), and in WAL mode the station goes on
 * grading and saving meanwhile. The copy is written to FILE.tmp, checked (quick_check),
 * synced, and only then renamed to FILE: a FILE that exists is a whole, checked copy.
 * An existing FILE is never overwritten.
 *
 * The daily backups of the station (app/backup_worker.c) are files
 * DIR/triage-YYYY-MM-DD.db, one per local calendar day; backup_prune removes the old ones.
 *
 * Nothing here creates a database: a missing one is an error (E251).
 *
 * Error ids E250–E259:
 *   E250 FILE exists: a backup never overwrites one
 *   E251 there is no station database at that path
 *   E252 the database cannot be opened or read
 *   E253 FILE.tmp cannot be created (it exists: another backup to FILE runs, or one was
 *        cut off and left it; or no permission)
 *   E254 the copy failed (disk full, I/O error, the database stayed busy)
 *   E255 the copy failed its check
 *   E256 the copy cannot be synced or renamed into place
 *   E257 a path too long, or out of memory
 *   E258 the backup folder cannot be made or read
 */
#ifndef TRIAGE_BACKUP_H
#define TRIAGE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct backup_info {
    int64_t bytes;       /* size of the copy */
    int64_t inspections; /* inspections in it */
    int schema;          /* its PRAGMA user_version */
};

/*
 * Copy the database at db_path to dest (see above). Returns 0 with *info filled (info
 * may be NULL), or -1 with "E25x: …" in err; then no dest was made and no dest.tmp is
 * left (unless it existed before: E253).
 */
int backup_take(const char *db_path, const char *dest, struct backup_info *info, char *err,
                size_t errlen);

struct backup_check {
    bool ok;             /* quick_check said "ok" */
    char detail[200];    /* "ok", or its first complaint */
    int schema;          /* PRAGMA user_version */
    int64_t inspections; /* -1 when the table cannot be read */
};

/*
 * Check the database at db_path without changing it: PRAGMA quick_check (or
 * integrity_check when `full`) over a read-only connection. Returns 0 when the check
 * ran (out->ok says how it went), -1 with "E25x: …" in err when it could not (E251 for
 * a missing database, which is never created).
 */
int backup_check(const char *db_path, bool full, struct backup_check *out, char *err,
                 size_t errlen);

/* "triage-YYYY-MM-DD.db" for the local calendar day of `wall_ms`. */
void backup_daily_name(int64_t wall_ms, char *out, size_t outlen);

/*
 * In dir, remove the daily backups (triage-YYYY-MM-DD.db, and a .tmp of one left by a
 * cut-off copy) of days before the last keep_days local days up to `wall_ms`
 * (keep_days = 7: today and the six days before stay). Other files are never touched.
 * Returns how many were removed, or -1 with "E258: …" in err.
 */
int backup_prune(const char *dir, int64_t wall_ms, int keep_days, char *err, size_t errlen);

#endif
