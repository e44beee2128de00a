/*
 * service.h — the station as a systemd service: it tells the service
 * manager when it is ready, that its main loop still turns, and when it
 * stops (sd_notify(3); packaging/triage.service is Type=notify with
 * WatchdogSec=).
 *
 *   READY=1     once, after the first frame is drawn
 *   WATCHDOG=1  from the main loop, every WATCHDOG_USEC/2 while it turns;
 *               a loop stuck in a call stops the pings, and systemd kills and
 *               restarts the station (Restart=on-failure)
 *   STOPPING=1  when the station begins to shut down
 *
 * Outside systemd (no NOTIFY_SOCKET) every call does nothing. All calls are
 * for the main thread; the pings must come from the loop itself, never
 * from a thread of their own, or a hung loop would go unnoticed.
 *
 * Test hook: with TRIAGE_TEST_HANG_ON_SIGUSR2=1 in the environment (and only
 * then) a SIGUSR2 makes the next service_alive() block forever, so a test can
 * see the watchdog restart a hung station. Production units never set it;
 * without it SIGUSR2 keeps its default action.
 */
#ifndef TRIAGE_SERVICE_H
#define TRIAGE_SERVICE_H

#include <stdint.h>

/* Read the manager's settings (NOTIFY_SOCKET, WATCHDOG_USEC) once, at start.
 * Logs I880 when a watchdog is set. */
void service_open(void);

/* The station is up: its first frame is drawn. `status` (may be NULL) is a
 * line for `systemctl status`. Sends READY=1 the first time only. */
void service_ready(const char *status);

/* The main loop turned: sends WATCHDOG=1 when half the watchdog interval has
 * passed since the last one. Cheap; call it once per turn. */
void service_alive(void);

/* How long the loop may wait before it must turn again for the watchdog:
 * `timeout_ms` (-1 = forever) lowered to the time left until the next ping. */
int service_wait_ms(int timeout_ms);

/* The station is shutting down: sends STOPPING=1 (once). */
void service_stopping(void);

#endif
