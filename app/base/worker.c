/*
 * worker.c — the loop of a background thread (see worker.h).
 *
 * Locking: `mu` guards kicked, stop, idle and ended; `cond` is signalled when
 * kicked or stop is set (the worker's sleep waits on it) and broadcast when
 * idle or ended becomes true (worker_wait_idle waits on it). The step runs
 * with `mu` released. Sleeps are timed on CLOCK_MONOTONIC, so a change of
 * the wall clock neither stretches nor cuts them.
 */
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

struct worker {
    struct worker_options opt;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool kicked; /* a kick came since the last step began */
    bool stop;   /* worker_close was called */
    bool idle;   /* asleep after WORKER_FOREVER, no kick since */
    bool ended;  /* the thread left its loop */
};

/* CLOCK_MONOTONIC now + ms. */
static struct timespec deadline_after(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Sleep for `ms` (WORKER_FOREVER: no limit) unless kicked or stopped. Called
 * with mu held. */
static void sleep_locked(struct worker *w, int64_t ms)
{
    if (ms == WORKER_FOREVER) {
        if (!w->kicked && !w->stop) {
            w->idle = true;
            pthread_cond_broadcast(&w->cond);
        }
        while (!w->kicked && !w->stop)
            pthread_cond_wait(&w->cond, &w->mu);
        w->idle = false;
        return;
    }
    struct timespec until = deadline_after(ms);
    while (!w->kicked && !w->stop)
        if (pthread_cond_timedwait(&w->cond, &w->mu, &until) == ETIMEDOUT)
            break;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    if (w->opt.name)
        pthread_setname_np(pthread_self(), w->opt.name);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        unsigned events = (w->kicked ? WORKER_KICKED : 0) | (w->stop ? WORKER_STOPPING : 0);
        w->kicked = false;
        pthread_mutex_unlock(&w->mu);
        int64_t ms = w->opt.step(w->opt.ctx, events);
        pthread_mutex_lock(&w->mu);
        if (ms == WORKER_DONE || (w->stop && ms != 0))
            break;
        if (ms != 0)
            sleep_locked(w, ms < 0 ? WORKER_FOREVER : ms);
    }
    w->ended = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int worker_open(const struct worker_options *opt, struct worker **out, char *err, size_t errlen)
{
    *out = NULL;
    struct worker *w = calloc(1, sizeof *w);
    if (!w) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    w->opt = *opt;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&w->mu, NULL);
    *out = w; /* before the thread starts: its step may read it */
    int rc = pthread_create(&w->thread, NULL, worker_main, w);
    if (rc != 0) {
        *out = NULL;
        set_err(err, errlen, "cannot start a thread: %s", strerror(rc));
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return -1;
    }
    return 0;
}

void worker_kick(struct worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->kicked = true;
    w->idle = false;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->mu);
}

void worker_wake(struct worker *w)
{
    if (w && w->opt.wake)
        w->opt.wake(w->opt.wake_arg);
}

void worker_wait_idle(struct worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    while (!w->idle && !w->ended)
        pthread_cond_wait(&w->cond, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void worker_close(struct worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
