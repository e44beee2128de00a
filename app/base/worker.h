/*
 * worker.h — a background thread that runs one step at a time.
 *
 * The station's threads (the print worker, the statistics worker, the sync
 * worker) all have the same shape: a loop that does one piece of work, then
 * sleeps until a timer runs out or the main thread kicks it, and stops when
 * asked. This module is that loop, written once; each worker supplies a step
 * function and keeps its own data (with its own lock where the main thread
 * reads it).
 *
 * The loop, on the worker's thread:
 *   1. take the events that came in since the last step (a kick, a stop);
 *   2. call step(ctx, events); the step returns how long to sleep:
 *        0               call the step again at once,
 *        > 0             sleep up to that many milliseconds,
 *        WORKER_FOREVER  sleep until kicked,
 *        WORKER_DONE     end the thread;
 *   3. sleep; a kick or a stop ends the sleep early. A kick that comes while
 *      the step runs is kept: the next sleep ends at once.
 * Once a stop was asked, the step still runs (with WORKER_STOPPING) as long
 * as it returns 0, so a worker may finish what it has in hand; the thread
 * ends the first time it asks to sleep.
 *
 * Threads: worker_kick, worker_wake and worker_wait_idle may be called from
 * any thread; worker_close from the thread that opened the worker. The step
 * runs only on the worker's thread.
 */
#ifndef TRIAGE_WORKER_H
#define TRIAGE_WORKER_H

#include <stddef.h>
#include <stdint.h>

struct worker;

/* Events handed to a step. */
enum {
    WORKER_KICKED = 1 << 0,   /* worker_kick was called since the last step */
    WORKER_STOPPING = 1 << 1, /* worker_close was called: finish up */
};

/* What a step may return besides a sleep in milliseconds. */
#define WORKER_FOREVER ((int64_t)-1) /* sleep until kicked */
#define WORKER_DONE ((int64_t)-2)    /* end the thread */

/* One step of a worker's job; `events` is a set of WORKER_KICKED and
 * WORKER_STOPPING. Returns a sleep (see above). */
typedef int64_t worker_step_fn(void *ctx, unsigned events);

struct worker_options {
    const char *name;     /* thread name, at most 15 bytes (shown by ps and top) */
    worker_step_fn *step; /* required */
    void *ctx;            /* handed to step */
    /* Tells the main thread that something it shows has changed (the
     * station passes its main-loop wakeup); called by worker_wake, from the
     * worker's thread. May be NULL. */
    void (*wake)(void *arg);
    void *wake_arg;
};

/*
 * Start a worker thread. *out is set before the thread starts, so a step may
 * read the pointer the caller stored it in. The first step runs at once (no
 * events). Returns 0, or -1 with errno-style text in err (the caller adds its
 * own error id) and *out NULL.
 */
int worker_open(const struct worker_options *opt, struct worker **out, char *err, size_t errlen);

/* Wake the worker now: its sleep ends and its next step sees WORKER_KICKED.
 * NULL is fine. */
void worker_kick(struct worker *w);

/* Call the wake callback, if there is one. NULL is fine. */
void worker_wake(struct worker *w);

/* Block until the worker sleeps with nothing to do: its step returned
 * WORKER_FOREVER and no kick came since (or the thread has ended). NULL is
 * fine. */
void worker_wait_idle(struct worker *w);

/* Ask the worker to stop, wake it, wait for its thread to end, and free it.
 * NULL is fine. */
void worker_close(struct worker *w);

#endif
