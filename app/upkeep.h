/*
 * upkeep.h — what the station does for its data folder while it runs, on
 * the main thread between events (each step takes milliseconds):
 *   - watch the free disk: below [retention] warn_free_mb the top bar says
 *     how much is left (W946 in the log, once each time it drops below);
 *   - shrink the write-ahead log: a TRUNCATE checkpoint when the station has
 *     been idle for a minute (at most every 10 minutes), and at the end;
 *   - after [retention] days, let go of what head office has: outbox rows
 *     (their record stays in inspections), label files (DATA/labels) and
 *     evidence photos (DATA/photos), checked at start and then every hour;
 *     and photos taken that no draft and no inspection names, after a day.
 * Nothing here ever removes what head office has not acknowledged.
 */
#ifndef TRIAGE_UPKEEP_H
#define TRIAGE_UPKEEP_H

#include <stdbool.h>
#include <stdint.h>

struct store;
struct config;

struct upkeep {
    struct store *store;
    const char *data_dir;
    const struct config *cfg;
    char target[600];  /* the sync target whose acknowledgements count */
    int disk_low_mb;   /* > 0: free MB, below the warning threshold */
    int64_t next_disk; /* mono ms */
    int64_t next_checkpoint;
    int64_t next_retention;
};

/* Set up for the station's store; `target` as sync_target gives it. */
void upkeep_init(struct upkeep *u, struct store *st, const char *data_dir, const struct config *cfg,
                 const char *target);

/* Do what is due at mono time now_ms; idle_ms is how long the station has
 * had no input. Returns true when disk_low_mb changed (draw again). */
bool upkeep_step(struct upkeep *u, int64_t now_ms, int64_t idle_ms);

/* The least time until upkeep_step has something to do (ms, ≥ 0). */
int64_t upkeep_next_ms(const struct upkeep *u, int64_t now_ms);

/* At the end of a run: a last checkpoint. */
void upkeep_finish(struct upkeep *u);

#endif
