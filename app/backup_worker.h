/*
 * backup_worker.h — the station's daily backup, taken by a thread of its own.
 *
 * Once per local calendar day, at [backup] hour or later, while the station runs, the
 * worker copies the database online (app/store/backup.h) to DIR/triage-YYYY-MM-DD.db
 * and removes the daily copies older than keep_days days. The UI never waits for it;
 * grading and saving go on during the copy (WAL). A day whose copy exists is done; a
 * failed copy is tried again 15 minutes later. A station that was off at that hour
 * takes the day's copy after_start_s seconds after it starts (the start, and a
 * station idling right after it, come first).
 *
 * Log: I890 a copy taken, I891 old copies removed, W890 a cut-off copy's .tmp removed,
 * W891 the folder cannot be pruned, E890 a copy failed (the cause follows), E891 the
 * thread cannot start (the main loop logs E892 and the station runs on without).
 */
#ifndef TRIAGE_BACKUP_WORKER_H
#define TRIAGE_BACKUP_WORKER_H

#include <stddef.h>
#include <stdint.h>

/* The [backup] section of the configuration. */
struct backup_opts {
    char dir[512]; /* where the daily copies go; "" = DATA/backups */
    int keep_days; /* daily copies kept, today's included; 0 = no daily backups */
    int hour;      /* local hour (0–23) from which the day's copy is taken */
    int after_start_s; /* the first look this long after the start; default 60 */
};

struct bworker;

/*
 * Start the thread for the database at db_path (data_dir gives the default folder).
 * With keep_days 0 nothing starts and *out is NULL. `opts` is copied. Returns 0, or -1
 * with "E891: …" in err.
 */
int bworker_start(const char *db_path, const char *data_dir, const struct backup_opts *opts,
                  struct bworker **out, char *err, size_t errlen);

/* Stop and join the thread (a copy in progress is finished first); NULL is fine. */
void bworker_stop(struct bworker *w);

/*
 * What the thread does each time it wakes, at wall time `wall_ms`: when the day's copy
 * is due and missing, take it into `dir` (made when missing, 0700); then prune.
 * Returns 1 when a copy was taken, 0 when none was due, -1 with "E25x: …" in err.
 */
int bworker_pass(const char *db_path, const char *dir, const struct backup_opts *opts,
                 int64_t wall_ms, char *err, size_t errlen);

#endif
