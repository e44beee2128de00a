/*
 * print_worker.h — the thread that sends queued labels to the printer.
 *
 * The worker owns the station's printer (label maker + transport: neither
 * is thread-safe, so no other thread touches them once it starts) and a
 * SQLite connection of its own on the station's database. It sends waiting
 * jobs oldest first (printq.h), marks each done once the transport reported
 * it handed over whole, and retries a failed one with a growing backoff
 * while the printer is away; it never blocks the UI thread. Every
 * status_every_ms it asks the printer for its state: while nothing waits,
 * so the screen shows "offline" before the next label is due; while a job
 * waits out its backoff, so it goes at once when the printer says it is back.
 *
 * The main thread wakes it with pworker_kick after queuing a job, and reads
 * its state with pworker_status. When that state changes the worker calls
 * options.notify from its own thread (the station passes ui_wake).
 *
 * Error ids: E694 the worker cannot start, E695 a job's inspection cannot be
 * read; E650–E689 come from the transports.
 */
#ifndef TRIAGE_PRINT_WORKER_H
#define TRIAGE_PRINT_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "printer.h"

struct pworker;

struct pworker_options {
    int64_t backoff_min_ms; /* first retry after; 0 = 1000 */
    int64_t backoff_max_ms; /* retries at most this far apart; 0 = 30000 */
    int status_every_ms;    /* ask the printer's state when idle; 0 = 15000 */
    void (*notify)(void *ctx); /* called from the worker thread; may be NULL */
    void *notify_ctx;
};

struct pworker_status {
    enum printer_state state;
    char detail[160];  /* "E652: …" when the printer is away, "" when fine */
    int waiting;       /* jobs not yet sent */
    int64_t sent;      /* jobs sent since start */
};

/*
 * Start the worker on the database at db_path with printer p, which it then
 * owns (closed by pworker_stop, or here on failure). Returns 0 and *out, or
 * -1 with "E69N: …" in err.
 */
int pworker_start(const char *db_path, struct printer *p, const struct pworker_options *opt,
                  struct pworker **out, char *err, size_t errlen);

/* A job was queued: look at the queue now. Any thread. */
void pworker_kick(struct pworker *w);

/* The worker's view of the printer and the queue. Any thread. */
void pworker_status(struct pworker *w, struct pworker_status *st);

/* Send what is due for up to drain_ms more (0: stop after the job in hand),
 * stop after the first failure, then join the thread and close the printer
 * and the connection. Jobs not sent stay queued for the next start. NULL is
 * fine. */
void pworker_stop(struct pworker *w, int drain_ms);

#endif
