/*
 * test_worker.c — the worker-thread skeleton (app/base/worker.h): the first
 * step runs at once, a sleep ends at its time or at a kick, a kick during a
 * step is not lost, WORKER_FOREVER waits for a kick, worker_wait_idle,
 * the wake callback, a stop that lets the step finish what it has in hand,
 * WORKER_DONE, and NULL everywhere.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "log.h"
#include "worker.h"

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait up to ms for *v to reach at least want. */
static bool wait_for(atomic_int *v, int want, int ms)
{
    for (int i = 0; i < ms && atomic_load(v) < want; i++)
        sleep_ms(1);
    return atomic_load(v) >= want;
}

/* A step that records what it was given and returns what it is told. */
struct rec {
    atomic_int steps, kicked, stopping, wakes;
    _Atomic int64_t sleep; /* what the step returns */
    int drain;             /* steps to run once stopping, returning 0 */
    int drained;
    int64_t step_ms[64]; /* mono ms of each step */
    struct worker *w;
    bool wake_each; /* call worker_wake from each step */
    int hold_ms;    /* the step takes this long */
};

static int64_t rec_step(void *ctx, unsigned events)
{
    struct rec *r = ctx;
    int n = atomic_load(&r->steps); /* only this thread counts them */
    if (n < 64)
        r->step_ms[n] = clock_mono_ms();
    atomic_store(&r->steps, n + 1);
    if (events & WORKER_KICKED)
        atomic_fetch_add(&r->kicked, 1);
    if (r->wake_each)
        worker_wake(r->w);
    if (r->hold_ms)
        sleep_ms(r->hold_ms);
    if (events & WORKER_STOPPING) {
        atomic_fetch_add(&r->stopping, 1);
        if (r->drained < r->drain) {
            r->drained++;
            return 0;
        }
        return 50; /* asks to sleep: the thread ends */
    }
    return atomic_load(&r->sleep);
}

static void on_wake(void *arg)
{
    struct rec *r = arg;
    atomic_fetch_add(&r->wakes, 1);
}

static struct worker *start(struct rec *r, int64_t sleep, int drain)
{
    memset(r, 0, sizeof *r);
    atomic_store(&r->sleep, sleep);
    r->drain = drain;
    struct worker_options o = {
        .name = "test-worker", .step = rec_step, .ctx = r, .wake = on_wake, .wake_arg = r};
    char err[200];
    CHECK_INT(worker_open(&o, &r->w, err, sizeof err), 0);
    return r->w;
}

/* A timed sleep: steps come about that far apart; a kick cuts one short. */
static void test_timed(void)
{
    struct rec r;
    int64_t t0 = clock_mono_ms();
    struct worker *w = start(&r, 60, 0);
    CHECK(wait_for(&r.steps, 3, 2000));
    CHECK(r.step_ms[0] - t0 < 500); /* the first step at once */
    CHECK(r.step_ms[1] - r.step_ms[0] >= 55);
    CHECK(r.step_ms[2] - r.step_ms[1] >= 55);
    CHECK_INT(atomic_load(&r.kicked), 0);

    atomic_store(&r.sleep, 10000); /* from the next step on: a long sleep */
    int n = atomic_load(&r.steps);
    CHECK(wait_for(&r.steps, n + 1, 2000));
    sleep_ms(20);
    n = atomic_load(&r.steps);
    int64_t kicked_at = clock_mono_ms();
    worker_kick(w);
    CHECK(wait_for(&r.steps, n + 1, 1000));
    CHECK(r.step_ms[n] - kicked_at < 500);
    CHECK_INT(atomic_load(&r.kicked), 1);

    int64_t t1 = clock_mono_ms();
    worker_close(w); /* ends the long sleep at once */
    CHECK(clock_mono_ms() - t1 < 1000);
    CHECK_INT(atomic_load(&r.stopping), 1);
    CHECK_INT(atomic_load(&r.wakes), 0); /* nobody called worker_wake */
}

/* WORKER_FOREVER: asleep until kicked; worker_wait_idle; a kick during a
 * step wakes the next sleep at once. */
static void test_forever(void)
{
    struct rec r;
    struct worker *w = start(&r, WORKER_FOREVER, 0);
    worker_wait_idle(w);
    CHECK_INT(atomic_load(&r.steps), 1);
    sleep_ms(100);
    CHECK_INT(atomic_load(&r.steps), 1); /* no timer */
    worker_kick(w);
    worker_wait_idle(w);
    CHECK_INT(atomic_load(&r.steps), 2);
    CHECK_INT(atomic_load(&r.kicked), 1);

    /* Kicked while the step runs: the step after it follows at once. */
    r.hold_ms = 100;
    worker_kick(w);
    CHECK(wait_for(&r.steps, 3, 1000));
    worker_kick(w); /* during step 3 */
    worker_wait_idle(w);
    CHECK_INT(atomic_load(&r.steps), 4);
    CHECK_INT(atomic_load(&r.kicked), 3);
    worker_close(w);
}

/* Once stopping, the step runs while it returns 0; the first sleep it asks
 * for ends the thread. WORKER_DONE ends it at any time. */
static void test_stop(void)
{
    struct rec r;
    struct worker *w = start(&r, WORKER_FOREVER, 3);
    worker_wait_idle(w);
    worker_close(w);
    CHECK_INT(atomic_load(&r.stopping), 4); /* 3 that returned 0, then one asked to sleep */
    CHECK_INT(atomic_load(&r.steps), 5);

    w = start(&r, WORKER_DONE, 0);
    CHECK(wait_for(&r.steps, 1, 1000));
    sleep_ms(50);
    worker_kick(w);      /* the thread has ended: nothing runs */
    worker_wait_idle(w); /* returns: the thread has ended */
    CHECK_INT(atomic_load(&r.steps), 1);
    worker_close(w);
    CHECK_INT(atomic_load(&r.stopping), 0);
}

/* The wake callback runs when the step asks for it, on the worker's thread. */
static void test_wake(void)
{
    struct rec r;
    memset(&r, 0, sizeof r);
    r.wake_each = true;
    atomic_store(&r.sleep, WORKER_FOREVER);
    struct worker_options o = {.step = rec_step, .ctx = &r, .wake = on_wake, .wake_arg = &r};
    char err[200];
    CHECK_INT(worker_open(&o, &r.w, err, sizeof err), 0);
    worker_wait_idle(r.w);
    worker_kick(r.w);
    worker_wait_idle(r.w);
    CHECK_INT(atomic_load(&r.wakes), 2);
    worker_close(r.w);

    /* Without a callback worker_wake does nothing. */
    memset(&r, 0, sizeof r);
    r.wake_each = true;
    atomic_store(&r.sleep, WORKER_FOREVER);
    struct worker_options bare = {.step = rec_step, .ctx = &r};
    CHECK_INT(worker_open(&bare, &r.w, err, sizeof err), 0);
    worker_wait_idle(r.w);
    CHECK_INT(atomic_load(&r.wakes), 0);
    worker_close(r.w);
}

static void test_null(void)
{
    worker_kick(NULL);
    worker_wake(NULL);
    worker_wait_idle(NULL);
    worker_close(NULL);
    CHECK(true);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    test_timed();
    test_forever();
    test_stop();
    test_wake();
    test_null();
    return harness_done();
}
