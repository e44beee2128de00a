/*
 * pin_worker.c — PIN checks off the UI thread (see the header), on the
 * station's worker skeleton (worker.h).
 *
 * One mutex guards the request and the answer; the check itself runs with
 * the mutex released. Each request carries a generation: the answer to one
 * that has since been replaced is dropped. The worker owns its store
 * connection (STORE_PIN): no other thread touches it.
 */
#include "pin_worker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"
#include "station.h"
#include "store.h"
#include "worker.h"

struct pinworker {
    struct worker *thread;
    pthread_mutex_t mu;
    struct store *store;

    /* the request (guarded) */
    bool wanted;
    unsigned gen; /* of the newest request */
    struct effect fx; /* the FX_CHECK_PIN; its PIN wiped once taken */
    int64_t now;

    /* the answer (guarded) */
    bool ready;
    struct event answer;
};

/* One check, when one is asked; else sleep until kicked. */
static int64_t step(void *ctx, unsigned events)
{
    struct pinworker *w = ctx;
    (void)events;
    pthread_mutex_lock(&w->mu);
    if (!w->wanted) {
        pthread_mutex_unlock(&w->mu);
        return WORKER_FOREVER;
    }
    struct effect fx = w->fx;
    explicit_bzero(w->fx.pin, sizeof w->fx.pin);
    int64_t now = w->now;
    unsigned gen = w->gen;
    w->wanted = false;
    pthread_mutex_unlock(&w->mu);

    struct event ev = ports_check_pin(w->store, &fx, now);
    explicit_bzero(fx.pin, sizeof fx.pin);

    pthread_mutex_lock(&w->mu);
    if (gen == w->gen) { /* else a newer question waits: this answer is stale */
        w->answer = ev;
        w->ready = true;
    }
    pthread_mutex_unlock(&w->mu);
    worker_wake(w->thread);
    return 0; /* look again: a newer question may have come meanwhile */
}

static void pinworker_free(struct pinworker *w)
{
    store_close(w->store);
    pthread_mutex_destroy(&w->mu);
    explicit_bzero(w->fx.pin, sizeof w->fx.pin);
    free(w);
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
    pthread_mutex_init(&w->mu, NULL);
    char serr[256];
    if (store_open_worker(db_path, NULL, STORE_PIN, &w->store, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E942: the PIN check cannot open the database: %s", serr);
        pinworker_free(w);
        return -1;
    }
    struct worker_options opt = {
        .name = "triage-pin", .step = step, .ctx = w, .wake = notify, .wake_arg = ctx};
    if (worker_open(&opt, &w->thread, serr, sizeof serr) != 0) {
        snprintf(err, errlen, "E943: cannot start the PIN check thread: %s", serr);
        pinworker_free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void pinworker_stop(struct pinworker *w)
{
    if (!w)
        return;
    worker_close(w->thread);
    pinworker_free(w);
}

void pinworker_check(struct pinworker *w, const struct effect *fx, int64_t now)
{
    pthread_mutex_lock(&w->mu);
    w->fx = *fx;
    w->now = now;
    w->gen++;
    w->wanted = true;
    w->ready = false; /* an answer not taken yet is for an older question */
    pthread_mutex_unlock(&w->mu);
    worker_kick(w->thread);
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
    if (w)
        worker_wait_idle(w->thread);
}
