/*
 * selfcheck_worker.c — the service screen's checks off the UI thread (see
 * the header).
 *
 * The thread is a worker (worker.h) whose step runs one request. One mutex
 * guards the request and the finished report; the step copies the request,
 * runs the checks with the mutex released into a report of its own, then
 * hands it over as "ready" for ckworker_take.
 */
#include "selfcheck_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "selfcheck.h"
#include "station.h"
#include "worker.h"

struct ckworker {
    struct worker *worker;
    pthread_mutex_t mu;
    const char *data_dir;
    const struct config *cfg;

    /* the request (guarded) */
    bool wanted;
    char video[128];
    struct printer_status printer;
    int labels_waiting;
    int64_t at;

    /* the answer (guarded) */
    bool ready;
    struct service_report done;

    /* the step's own */
    struct service_report work;
};

/* selfcheck's on_line: one line of the report, and of the log (for whoever
 * looks at the station's log later). */
static void add_line(void *ctx, const char *id, const char *what, const char *text)
{
    log_info("I870", "service screen: %s %s: %s", id, what, text);
    struct service_report *r = ctx;
    if (r->n >= SERVICE_MAX_LINES)
        return;
    struct service_line *l = &r->lines[r->n++];
    snprintf(l->id, sizeof l->id, "%.4s", id);
    snprintf(l->what, sizeof l->what, "%.47s", what);
    snprintf(l->text, sizeof l->text, "%.319s", text);
}

static int64_t step(void *ctx, unsigned events)
{
    struct ckworker *w = ctx;
    if (events & WORKER_STOPPING)
        return WORKER_DONE;
    pthread_mutex_lock(&w->mu);
    if (!w->wanted) {
        pthread_mutex_unlock(&w->mu);
        return WORKER_FOREVER;
    }
    w->wanted = false;
    char video[sizeof w->video];
    memcpy(video, w->video, sizeof video);
    struct printer_status printer = w->printer;
    int waiting = w->labels_waiting;
    int64_t at = w->at;
    pthread_mutex_unlock(&w->mu);

    memset(&w->work, 0, sizeof w->work);
    w->work.at = at;
    struct selfcheck_options so = {.data_dir = w->data_dir,
                                   .cfg = w->cfg,
                                   .video = video,
                                   .printer = &printer,
                                   .labels_waiting = waiting,
                                   .on_line = add_line,
                                   .line_ctx = &w->work};
    w->work.failed = selfcheck_run(&so, NULL);

    pthread_mutex_lock(&w->mu);
    w->done = w->work;
    w->ready = true;
    pthread_mutex_unlock(&w->mu);
    worker_wake(w->worker);
    return 0; /* the next request, if one came meanwhile */
}

int ckworker_start(const char *data_dir, const struct config *cfg, void (*notify)(void *ctx),
                   void *ctx, struct ckworker **out, char *err, size_t errlen)
{
    *out = NULL;
    struct ckworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "E870: out of memory");
        return -1;
    }
    w->data_dir = data_dir;
    w->cfg = cfg;
    pthread_mutex_init(&w->mu, NULL);
    char werr[256];
    struct worker_options wo = {
        .name = "triage-checks", .step = step, .ctx = w, .wake = notify, .wake_arg = ctx};
    if (worker_open(&wo, &w->worker, werr, sizeof werr) != 0) {
        snprintf(err, errlen, "E871: cannot start the service screen's check thread: %s", werr);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void ckworker_stop(struct ckworker *w)
{
    if (!w)
        return;
    worker_close(w->worker);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

void ckworker_check(struct ckworker *w, const char *video, const struct printer_status *printer,
                    int labels_waiting, int64_t now)
{
    pthread_mutex_lock(&w->mu);
    snprintf(w->video, sizeof w->video, "%s", video);
    w->printer = *printer;
    w->labels_waiting = labels_waiting;
    w->at = now;
    w->wanted = true;
    pthread_mutex_unlock(&w->mu);
    worker_kick(w->worker);
}

bool ckworker_take(struct ckworker *w, struct service_report *out)
{
    if (!w)
        return false;
    pthread_mutex_lock(&w->mu);
    bool ready = w->ready;
    if (ready) {
        *out = w->done;
        w->ready = false;
    }
    pthread_mutex_unlock(&w->mu);
    return ready;
}

void ckworker_wait_idle(struct ckworker *w)
{
    if (w)
        worker_wait_idle(w->worker);
}
