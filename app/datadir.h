/*
 * datadir.h — the station's data folder (--data DIR): triage.db, labels/,
 * spool/, photos/ and shots/ of one station.
 *
 * Rules that keep two stations, or an old and a new database, from ever
 * mixing in one folder:
 *   - one station per folder: the station holds an exclusive lock
 *     (flock on DIR/station.lock) for as long as it runs; a second one
 *     stops at once (E910). Commands that read the database do not take
 *     it: `triage export` beside a running station is fine.
 *   - a database is made only in an empty or new folder, and only by the
 *     station and `operator add`: never beside the labels, spool or photos
 *     of an earlier one, whose plates a new database would number from
 *     000001 again (E912). Every other command needs the database to be
 *     there (E911): a mistyped --data is an error, never an empty answer.
 *
 * Error ids E910–E919 (the command line's range: these are checked before
 * anything else runs).
 */
#ifndef TRIAGE_DATADIR_H
#define TRIAGE_DATADIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum datadir_use {
    DATADIR_STATION, /* the station: folder made when missing, locked, may make the database */
    DATADIR_CREATE,  /* `operator add`: may make the database in an empty or new folder */
    DATADIR_READ,    /* every other command: the database must be there */
};

struct datadir {
    char dir[512];
    char db_path[600];
    int lock_fd; /* DATADIR_STATION: the held lock; -1 otherwise */
    bool is_new; /* there was no database: the store will make one */
};

/*
 * Check (and for the station make and lock) the folder `dir` for `use`.
 * Returns 0 with *d filled, or -1 with "E91x: …" in err (nothing made,
 * nothing held). Close with datadir_close.
 */
int datadir_open(const char *dir, enum datadir_use use, struct datadir *d, char *err,
                 size_t errlen);
void datadir_close(struct datadir *d); /* releases the lock; a zeroed d is fine */

/* Free space on the folder's file system in MiB (for the user the station
 * runs as), or -1 when it cannot be read. */
int64_t datadir_free_mb(const char *dir);

/* Whether the folder can be written (a file made and removed in it):
 * 0 yes, -1 no with "E913: …" in err. */
int datadir_check_writable(const char *dir, char *err, size_t errlen);

/* What to tell someone whose database is damaged or missing: how to put a
 * backup back. */
const char *datadir_restore_hint(void);

#endif
