/*
 * stats_worker.h — statistics computed off the UI thread.
 *
 * The stats screen must never hold a frame while a month of inspections is
 * counted (bench stats_30d_1m_ms: tens of ms on a million rows). The worker
 * is a thread with its own database connection (WAL lets it read while the
 * UI writes). The main loop asks (sworker_query, sworker_list: the newest
 * request replaces one not yet started), the worker computes and calls
 * `notify` (ui_wake), and the main loop takes the results (sworker_poll)
 * into buffers that only the main thread reads, so the view may point at
 * them until the next sworker_poll.
 */
#ifndef TRIAGE_STATS_WORKER_H
#define TRIAGE_STATS_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "stats_report.h"

struct sworker;
struct view;

/* Start the thread on the database at `db_path`. Returns 0, or -1 with
 * "E76x: …" in err. notify(ctx) is called from the worker after each result. */
int sworker_start(const char *db_path, void (*notify)(void *ctx), void *ctx,
                  struct sworker **out, char *err, size_t errlen);
/* Stop and join the thread; NULL is fine. */
void sworker_stop(struct sworker *w);

/* Ask for a range's report; drops the shown report and list. */
void sworker_query(struct sworker *w, const struct stats_range *range);
/* Ask for the inspections behind a bar; drops the shown list. */
void sworker_list(struct sworker *w, const struct stats_range *range, enum stats_dim dim,
                  const char *key, int64_t offset);

/* Main thread: take finished results. Returns true when what is shown changed. */
bool sworker_poll(struct sworker *w);

/* Main thread: block until nothing is asked or running (script mode). */
void sworker_wait_idle(struct sworker *w);

/* Main thread: point the view's stats fields at what is shown. */
void sworker_fill_view(struct sworker *w, struct view *v);

#endif
