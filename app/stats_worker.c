/*
 * stats_worker.c — statistics computed off the UI thread (see the header).
 *
 * The thread is a worker (worker.h) whose step answers one request. One
 * mutex guards the request slots and the "ready" buffers; the step computes
 * into buffers of its own with the mutex released, then copies into
 * "ready". sworker_poll copies "ready" into "shown", which only the main
 * thread touches. Each request carries a generation: a result computed for a
 * request that has since been replaced is dropped.
 */
#include "stats_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "station.h"
#include "store.h"
#include "stats_query.h"
#include "worker.h"

struct sworker {
    struct worker *worker;
    pthread_mutex_t mu;
    struct store *store;

    /* requests (guarded) */
    bool want_report, want_list, running;
    unsigned report_gen, list_gen; /* of the newest request */
    struct stats_range report_range, list_range;
    enum stats_dim list_dim;
    char list_key[64];
    int64_t list_offset;

    /* results (guarded) */
    bool report_ready, list_ready;
    unsigned ready_report_gen, ready_list_gen;
    struct stats_report ready_report;
    struct stats_list ready_list;
    char ready_error[256];
    bool error_ready;

    /* the step's own */
    struct stats_report work_report;
    struct stats_list work_list;

    /* main thread's own */
    struct stats_report shown_report;
    struct stats_list shown_list;
    bool have_report, have_list;
    char shown_error[256];
};

/* The worker's step: answer the newest request, the report first. */
static int64_t step(void *ctx, unsigned events)
{
    struct sworker *w = ctx;
    if (events & WORKER_STOPPING)
        return WORKER_DONE;
    pthread_mutex_lock(&w->mu);
    if (!w->want_report && !w->want_list) {
        pthread_mutex_unlock(&w->mu);
        return WORKER_FOREVER;
    }
    char err[256] = "";
    int rc;
    w->running = true;
    if (w->want_report) {
        struct stats_range range = w->report_range;
        unsigned gen = w->report_gen;
        w->want_report = false;
        pthread_mutex_unlock(&w->mu);
        rc = stats_compute(w->store, &range, &w->work_report, err, sizeof err);
        pthread_mutex_lock(&w->mu);
        if (gen == w->report_gen) {
            if (rc == 0) {
                w->ready_report = w->work_report;
                w->report_ready = true;
                w->ready_report_gen = gen;
            } else {
                snprintf(w->ready_error, sizeof w->ready_error, "%s", err);
                w->error_ready = true;
            }
        }
        if (rc == 0)
            log_info("I750", "statistics computed in %.1f ms (%lld inspections)",
                     w->work_report.compute_ms, (long long)w->work_report.total);
        else
            log_error("E761", "%s", err);
    } else {
        struct stats_range range = w->list_range;
        enum stats_dim dim = w->list_dim;
        char key[64];
        snprintf(key, sizeof key, "%s", w->list_key);
        int64_t offset = w->list_offset;
        unsigned gen = w->list_gen;
        w->want_list = false;
        pthread_mutex_unlock(&w->mu);
        rc = stats_list_query(w->store, &range, dim, key, offset, &w->work_list, err,
                              sizeof err);
        pthread_mutex_lock(&w->mu);
        if (gen == w->list_gen) {
            if (rc == 0) {
                w->ready_list = w->work_list;
                w->list_ready = true;
                w->ready_list_gen = gen;
            } else {
                snprintf(w->ready_error, sizeof w->ready_error, "%s", err);
                w->error_ready = true;
            }
        }
        if (rc != 0)
            log_error("E762", "%s", err);
    }
    w->running = false;
    pthread_mutex_unlock(&w->mu);
    worker_wake(w->worker);
    return 0; /* the next request, if one came meanwhile */
}

int sworker_start(const char *db_path, void (*notify)(void *ctx), void *ctx,
                  struct sworker **out, char *err, size_t errlen)
{
    *out = NULL;
    struct sworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "E763: out of memory");
        return -1;
    }
    char serr[256];
    if (store_open_worker(db_path, NULL, STORE_STATS, &w->store, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E764: statistics cannot open the database: %s", serr);
        free(w);
        return -1;
    }
    pthread_mutex_init(&w->mu, NULL);
    struct worker_options wo = {
        .name = "triage-stats", .step = step, .ctx = w, .wake = notify, .wake_arg = ctx};
    if (worker_open(&wo, &w->worker, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E765: cannot start the statistics thread: %s", serr);
        store_close(w->store);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void sworker_stop(struct sworker *w)
{
    if (!w)
        return;
    worker_close(w->worker);
    store_close(w->store);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

void sworker_query(struct sworker *w, const struct stats_range *range)
{
    pthread_mutex_lock(&w->mu);
    w->report_range = *range;
    w->report_gen++;
    w->list_gen++; /* a list of the old range is no longer wanted */
    w->want_report = true;
    w->want_list = false;
    w->report_ready = w->list_ready = w->error_ready = false;
    pthread_mutex_unlock(&w->mu);
    worker_kick(w->worker);
    w->have_report = w->have_list = false;
    w->shown_error[0] = 0;
}

void sworker_list(struct sworker *w, const struct stats_range *range, enum stats_dim dim,
                  const char *key, int64_t offset)
{
    pthread_mutex_lock(&w->mu);
    w->list_offset = offset;
    w->list_range = *range;
    w->list_dim = dim;
    snprintf(w->list_key, sizeof w->list_key, "%s", key ? key : "");
    w->list_gen++;
    w->want_list = true;
    w->list_ready = false;
    pthread_mutex_unlock(&w->mu);
    worker_kick(w->worker);
    /* Another page of the same list keeps the shown one until it is there. */
    if (!(w->have_list && w->shown_list.dim == dim &&
          strcmp(w->shown_list.key, key ? key : "") == 0 &&
          w->shown_list.range.from_day == range->from_day &&
          w->shown_list.range.to_day == range->to_day))
        w->have_list = false;
}

bool sworker_poll(struct sworker *w)
{
    if (!w)
        return false;
    bool changed = false;
    pthread_mutex_lock(&w->mu);
    if (w->report_ready) {
        w->shown_report = w->ready_report;
        w->have_report = true;
        w->report_ready = false;
        changed = true;
    }
    if (w->list_ready) {
        w->shown_list = w->ready_list;
        w->have_list = true;
        w->list_ready = false;
        changed = true;
    }
    if (w->error_ready) {
        snprintf(w->shown_error, sizeof w->shown_error, "%s", w->ready_error);
        w->error_ready = false;
        changed = true;
    }
    pthread_mutex_unlock(&w->mu);
    return changed;
}

void sworker_wait_idle(struct sworker *w)
{
    if (!w)
        return;
    worker_wait_idle(w->worker);
}

void sworker_fill_view(struct sworker *w, struct view *v)
{
    if (!w) { /* the thread could not start (E939 in the log) */
        v->stats_error = "E763: statistics are not available on this station (see the log)";
        return;
    }
    pthread_mutex_lock(&w->mu);
    bool busy = w->want_report || w->want_list || w->running;
    pthread_mutex_unlock(&w->mu);
    v->stats = w->have_report ? &w->shown_report : NULL;
    v->stats_list = w->have_list ? &w->shown_list : NULL;
    v->stats_busy = busy;
    v->stats_error = w->shown_error[0] ? w->shown_error : NULL;
}
