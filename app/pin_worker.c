/*
 * pin_worker.c — PIN checks off the UI thread (see the header).
 *
 * One mutex guards the request and the answer; the check itself runs with
 * the mutex released. Each request carries a generation: the answer to one
 * that has since been replaced is dropped. The worker owns its store
 * connection: no other thread touches it.
 */
#include "pin_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"
#include "station.h"
#include "store.h"

struct pinworker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    void (*notify)(void *ctx);
    void *ctx;
    struct store *store;

    /* the request (guarded) */
    bool wanted, running;
    unsigned gen; /* of the newest request */
    char badge[64];
    char pin[16];
    int64_t now;

    /* the answer (guarded) */
    bool ready;
    struct event answer;
};

static void *worker_main(void *arg)
{
    struct pinworker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && !w->wanted)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop)
            break;
        char badge[sizeof w->badge], pin[sizeof w->pin];
        memcpy(badge, w->badge, sizeof badge);
        memcpy(pin, w->pin, sizeof pin);
        explicit_bzero(w->pin, sizeof w->pin);
        int64_t now = w->now;
        unsigned gen = w->gen;
        w->wanted = false;
        w->running = true;
        pthread_mutex_unlock(&w->mu);

        struct event ev = ports_check_pin(w->store, badge, pin, now);
        explicit_bzero(pin, sizeof pin);

        pthread_mutex_lock(&w->mu);
        if (gen == w->gen) { /* else a newer question waits: this answer is stale */
            w->answer = ev;
            w->ready = true;
        }
        w->running = false;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        if (w->notify)
            w->notify(w->ctx);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int pinworker_start(const char *db_path, void (*notify)(void *ctx), void *ctx,
                    struct pinworker **out, char *err, size_t errlen)
{
    *out = NULL;
    struct pinworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "E941: out of memory");
        return -1;
    }
    char serr[256];
    if (store_open(db_path, NULL, &w->store, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E942: the PIN check cannot open the database: %s", serr);
        free(w);
        return -1;
    }
    w->notify = notify;
    w->ctx = ctx;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        snprintf(err, errlen, "E943: cannot start the PIN check thread");
        store_close(w->store);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void pinworker_stop(struct pinworker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    store_close(w->store);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    explicit_bzero(w->pin, sizeof w->pin);
    free(w);
}

void pinworker_check(struct pinworker *w, const char *badge, const char *pin, int64_t now)
{
    pthread_mutex_lock(&w->mu);
    snprintf(w->badge, sizeof w->badge, "%s", badge);
    snprintf(w->pin, sizeof w->pin, "%s", pin);
    w->now = now;
    w->gen++;
    w->wanted = true;
    w->ready = false; /* an answer not taken yet is for an older question */
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

bool pinworker_take(struct pinworker *w, struct event *ev)
{
    if (!w)
        return false;
    pthread_mutex_lock(&w->mu);
    bool ready = w->ready;
    if (ready) {
        *ev = w->answer;
        w->ready = false;
    }
    pthread_mutex_unlock(&w->mu);
    return ready;
}

void pinworker_wait_idle(struct pinworker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    while (w->wanted || w->running)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}
