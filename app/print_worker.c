/*
 * print_worker.c — the print worker thread (see print_worker.h).
 *
 * The thread is a worker (worker.h) whose step sends at most one job.
 * Locking: `mu` guards the fields below it (the status, the end of a
 * drain); the printer, the store connection and the step's own state are
 * the thread's alone. The thread never holds `mu` while it talks to the
 * database or the printer.
 */
#include "print_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "printq.h"
#include "store.h"
#include "worker.h"

#define MAX_HOPELESS 32

struct pworker {
    struct printer *printer;
    struct store *store;
    struct pworker_options opt;
    struct worker *worker;

    /* the step's own */
    int64_t next_status;        /* mono ms: when to ask the printer's state */
    bool failed_while_stopping; /* a job failed during the drain: give up */
    bool eager;                 /* try the oldest job now, whatever its backoff says */
    /* Jobs whose label cannot be made (send_job returned 1): eagerness skips
     * them, they wait out their backoff. Forgotten at restart: tried once. */
    int64_t hopeless[MAX_HOPELESS];
    int nhopeless;

    pthread_mutex_t mu;
    int64_t drain_until; /* mono ms, once stopping */
    struct pworker_status status;
};

/* Publish a new state; notify when it changed. */
static void publish(struct pworker *w, enum printer_state state, const char *detail,
                    int64_t sent_add)
{
    int waiting = printq_waiting(w->store);
    pthread_mutex_lock(&w->mu);
    struct pworker_status *s = &w->status;
    bool changed = s->state != state || strcmp(s->detail, detail) != 0 ||
                   (waiting >= 0 && s->waiting != waiting);
    s->state = state;
    snprintf(s->detail, sizeof s->detail, "%.159s", detail);
    if (waiting >= 0)
        s->waiting = waiting;
    s->sent += sent_add;
    pthread_mutex_unlock(&w->mu);
    if (changed)
        worker_wake(w->worker);
}

static bool away(int rc)
{
    return rc == -ECONNREFUSED || rc == -ETIMEDOUT || rc == -EHOSTUNREACH ||
           rc == -ENETUNREACH || rc == -ENODEV || rc == -ECONNRESET || rc == -EPIPE;
}

/* One attempt at one job. Returns 0 when sent. */
static int send_job(struct pworker *w, const struct printq_job *job)
{
    char err[512] = "";
    struct inspection insp;
    int rc;
    int found = store_find_inspection(w->store, job->plate, &insp);
    bool hopeless = false; /* retrying soon cannot help: the label cannot be made */
    if (found != 0) {
        snprintf(err, sizeof err, "E695: cannot read inspection %s for its label", job->plate);
        rc = -EIO;
        hopeless = true;
    } else {
        rc = printer_print(w->printer, &insp, err, sizeof err);
        hopeless = rc != 0 && printer_failed_in_layout(w->printer);
    }
    char qerr[256];
    if (rc == 0) {
        if (printq_done(w->store, job->id, clock_wall_ms(), qerr, sizeof qerr) != 0)
            log_error("E692", "%s", qerr);
        log_info("I650", "label %s printed (%s, job %lld)", job->plate, job->kind,
                 (long long)job->id);
        publish(w, PRINTER_READY, "", 1);
        return 0;
    }
    int64_t wait = hopeless ? w->opt.backoff_max_ms
                            : printq_backoff_ms(job->attempts + 1, w->opt.backoff_min_ms,
                                                w->opt.backoff_max_ms);
    if (printq_failed(w->store, job->id, clock_wall_ms() + wait, err, qerr, sizeof qerr) != 0)
        log_error("E693", "%s", qerr);
    log_warn("W650", "label %s not printed, next try in %.1f s: %s", job->plate,
             (double)wait / 1000.0, err);
    publish(w, away(rc) ? PRINTER_OFFLINE : PRINTER_ERROR, err, 0);
    return hopeless ? 1 : rc; /* 1: this job failed, the printer may be fine */
}

/* Remember a job whose label cannot be made. */
static void add_hopeless(struct pworker *w, int64_t id)
{
    for (int i = 0; i < w->nhopeless; i++)
        if (w->hopeless[i] == id)
            return;
    if (w->nhopeless < MAX_HOPELESS)
        w->hopeless[w->nhopeless++] = id;
    else
        w->hopeless[id % MAX_HOPELESS] = id;
}

/* The worker's step: send the job that is due, or ask the printer how it is
 * while nothing is, then sleep until the next job or status check is due. */
static int64_t step(void *ctx, unsigned events)
{
    struct pworker *w = ctx;
    bool stopping = events & WORKER_STOPPING;
    if (events & WORKER_KICKED)
        w->eager = true;
    if (stopping) {
        pthread_mutex_lock(&w->mu);
        int64_t drain_until = w->drain_until;
        pthread_mutex_unlock(&w->mu);
        if (clock_mono_ms() >= drain_until || w->failed_while_stopping)
            return WORKER_DONE;
    }

    struct printq_job job;
    int64_t next_at = INT64_MAX;
    char err[256] = "";
    int r = printq_next(w->store, clock_wall_ms(), w->eager, w->hopeless, w->nhopeless, &job,
                        &next_at, err, sizeof err);
    w->eager = false;
    if (r == 0) {
        int rc = send_job(w, &job);
        if (rc == 1)
            add_hopeless(w, job.id);
        if (rc == 0)
            w->eager = true; /* the printer works: the next job goes at once */
        else if (stopping && rc < 0)
            w->failed_while_stopping = true;
        return 0;
    }
    if (stopping)
        return WORKER_DONE; /* nothing due: drained */
    if (r < 0)
        log_error("E691", "%s", err);
    if (r == 1 && clock_mono_ms() >= w->next_status) {
        struct printer_status st;
        if (printer_status(w->printer, &st) == 0) {
            if (next_at == INT64_MAX)
                publish(w, st.state, st.detail, 0); /* idle: show what it says */
            else if (st.state == PRINTER_READY)
                w->eager = true; /* in backoff, but the printer says it is back */
        }
        w->next_status = clock_mono_ms() + w->opt.status_every_ms;
        if (w->eager)
            return 0;
    }
    int64_t wait_ms = w->next_status - clock_mono_ms();
    if (next_at != INT64_MAX && next_at - clock_wall_ms() < wait_ms)
        wait_ms = next_at - clock_wall_ms();
    if (r < 0)
        wait_ms = 1000;
    return wait_ms < 10 ? 10 : wait_ms;
}

int pworker_start(const char *db_path, struct printer *p, const struct pworker_options *opt,
                  struct pworker **out, char *err, size_t errlen)
{
    *out = NULL;
    struct pworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "E694: out of memory");
        printer_close(p);
        return -1;
    }
    w->printer = p;
    if (opt)
        w->opt = *opt;
    if (w->opt.backoff_min_ms <= 0)
        w->opt.backoff_min_ms = 1000;
    if (w->opt.backoff_max_ms <= 0)
        w->opt.backoff_max_ms = 30000;
    if (w->opt.status_every_ms <= 0)
        w->opt.status_every_ms = 15000;
    w->status.state = PRINTER_READY;
    w->eager = true;
    char serr[256];
    if (store_open_worker(db_path, NULL, STORE_PRINT, &w->store, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E694: the print worker cannot open the database: %.200s", serr);
        goto fail;
    }
    w->status.waiting = printq_waiting(w->store);
    pthread_mutex_init(&w->mu, NULL);
    struct worker_options wo = {.name = "triage-print",
                                .step = step,
                                .ctx = w,
                                .wake = w->opt.notify,
                                .wake_arg = w->opt.notify_ctx};
    if (worker_open(&wo, &w->worker, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E694: cannot start the print worker thread: %.200s", serr);
        pthread_mutex_destroy(&w->mu);
        goto fail;
    }
    *out = w;
    return 0;
fail:
    store_close(w->store);
    printer_close(w->printer);
    free(w);
    return -1;
}

void pworker_kick(struct pworker *w)
{
    if (w)
        worker_kick(w->worker);
}

void pworker_status(struct pworker *w, struct pworker_status *st)
{
    pthread_mutex_lock(&w->mu);
    *st = w->status;
    pthread_mutex_unlock(&w->mu);
}

void pworker_stop(struct pworker *w, int drain_ms)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->drain_until = clock_mono_ms() + (drain_ms > 0 ? drain_ms : 0);
    pthread_mutex_unlock(&w->mu);
    worker_close(w->worker);
    pthread_mutex_destroy(&w->mu);
    printer_close(w->printer);
    store_close(w->store);
    free(w);
}
