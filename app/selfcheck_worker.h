/*
 * selfcheck_worker.h — the service screen's checks off the UI thread.
 *
 * The checks of `triage selfcheck` (selfcheck.h) take from a millisecond to
 * the seconds of a printer or head office that does not answer: the UI
 * thread must not hold a frame for them. The worker is a thread that runs
 * them when the main loop asks (ckworker_check, for the core's
 * FX_SELFCHECK), keeps their lines, calls `notify` (ui_wake), and the main
 * loop takes the lines (ckworker_take) and gives them to the core as
 * EV_SELFCHECK_DONE. In the running station the video line is the
 * station's own window and the printer line the print worker's last look
 * (selfcheck.h): neither SDL's video nor the printer is opened twice.
 *
 * Error ids: E870 out of memory, E871 the thread cannot be started.
 */
#ifndef TRIAGE_SELFCHECK_WORKER_H
#define TRIAGE_SELFCHECK_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "printer.h"

struct ckworker;
struct service_report;

/* Start the thread for the station on `data_dir` with configuration `cfg`
 * (both outlive it). Returns 0, or -1 with "E86x: …" in err. notify(ctx) is
 * called from the worker after each check. */
int ckworker_start(const char *data_dir, const struct config *cfg, void (*notify)(void *ctx),
                   void *ctx, struct ckworker **out, char *err, size_t errlen);
/* Stop and join the thread (a check under way finishes first); NULL is fine. */
void ckworker_stop(struct ckworker *w);

/* Main thread: run the checks as of `now` (station time, Unix ms) with what
 * the station knows itself: its video (`video`, e.g. "x11, renderer
 * software") and the print worker's printer state and labels waiting. One
 * asked while another runs is run after it. */
void ckworker_check(struct ckworker *w, const char *video, const struct printer_status *printer,
                    int labels_waiting, int64_t now);

/* Main thread: the lines of the last check, once: true and *out; false while
 * none is ready. */
bool ckworker_take(struct ckworker *w, struct service_report *out);

/* Main thread: block until no check waits or runs (script mode). */
void ckworker_wait_idle(struct ckworker *w);

#endif
