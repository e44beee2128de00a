/*
 * pin_worker.h — PIN checks off the UI thread.
 *
 * Checking a PIN is Argon2id, about 100 ms: the UI thread must not hold a
 * frame for it. The worker is a thread with a database connection of its own
 * (the check reads the operator, and writes the count of wrong PINs and the
 * attempt's audit row). The main loop hands it the core's FX_CHECK_PIN
 * (pinworker_check); the worker checks (ports_check_pin), calls `notify`
 * (ui_wake) from its thread, and the main loop takes the answer
 * (pinworker_take) and gives it to the core as EV_LOGIN_RESULT.
 *
 * The PIN is copied in and wiped as soon as it was checked.
 *
 * Error ids: E941 out of memory, E942 the database cannot be opened, E943
 * the thread cannot be started.
 */
#ifndef TRIAGE_PIN_WORKER_H
#define TRIAGE_PIN_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pinworker;
struct event;
struct effect;

/* Start the thread on the database at `db_path`. Returns 0, or -1 with
 * "E94x: …" in err. notify(ctx) is called from the worker after each check. */
int pinworker_start(const char *db_path, void (*notify)(void *ctx), void *ctx,
                    struct pinworker **out, char *err, size_t errlen);
/* Stop and join the thread (a check under way finishes first); NULL is fine. */
void pinworker_stop(struct pinworker *w);

/* Main thread: check the PIN of the core's FX_CHECK_PIN `fx` (copied) as of
 * `now` (Unix ms). The core asks one check at a time; one asked while
 * another waits to start replaces it. */
void pinworker_check(struct pinworker *w, const struct effect *fx, int64_t now);

/* Main thread: the answer of the last check, once: true and *ev
 * (EV_LOGIN_RESULT); false while none is ready. */
bool pinworker_take(struct pinworker *w, struct event *ev);

/* Main thread: block until no check waits or runs (script mode). */
void pinworker_wait_idle(struct pinworker *w);

#endif
