/*
 * ports.h — the station core's look-ups, answered by the store, and the
 * PIN check that answers the core's FX_CHECK_PIN.
 */
#ifndef TRIAGE_PORTS_H
#define TRIAGE_PORTS_H

#include <stdint.h>

#include "station.h"

struct store;

/* Ports whose ctx is `st`; the store must outlive the station using them. */
struct station_ports ports_over_store(struct store *st);

/*
 * Check the PIN of the core's FX_CHECK_PIN `fx` (its badge, PIN, purpose,
 * and for an authorisation who asked and what) at time `now` (Unix ms)
 * against the store: Argon2id, about 100 ms, so never on the UI thread of a
 * running station. Counts a wrong PIN and locks the badge as
 * operators_check does, and audits the outcome (the only audit of a login
 * or an authorisation). Returns the EV_LOGIN_RESULT event that answers it
 * (its `now` is `now`).
 */
struct event ports_check_pin(struct store *st, const struct effect *fx, int64_t now);

#endif
