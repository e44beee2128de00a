/*
 * service.c — sd_notify(3) for the station's systemd unit (see service.h).
 *
 * The watchdog interval comes from WATCHDOG_USEC (and WATCHDOG_PID, which
 * sd_watchdog_enabled checks against our pid). Pings go out at half the
 * interval, as sd_watchdog_enabled(3) advises, so one late turn of the loop
 * does not cost a restart.
 */
#include "service.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "log.h"

static struct {
    bool managed;       /* NOTIFY_SOCKET is set */
    bool ready, stopping;
    int64_t ping_ms;    /* half the watchdog interval; 0 = no watchdog */
    int64_t last_ping;  /* clock_mono_ms of the last WATCHDOG=1 */
} svc;

static volatile sig_atomic_t hang_requested;

static void on_hang_signal(int sig)
{
    (void)sig;
    hang_requested = 1;
}

void service_open(void)
{
    const char *sock = getenv("NOTIFY_SOCKET");
    svc.managed = sock && *sock;
    uint64_t usec = 0;
    if (svc.managed && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        svc.ping_ms = (int64_t)(usec / 2000);
        if (svc.ping_ms < 1)
            svc.ping_ms = 1;
        log_info("I880", "watchdog: the main loop tells systemd it is alive every %lld ms",
                 (long long)svc.ping_ms);
    }
    svc.last_ping = clock_mono_ms();
    const char *hook = getenv("TRIAGE_TEST_HANG_ON_SIGUSR2");
    if (hook && strcmp(hook, "1") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_hang_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR2, &sa, NULL);
    }
}

void service_ready(const char *status)
{
    if (!svc.managed || svc.ready)
        return;
    svc.ready = true;
    if (status && *status)
        sd_notifyf(0, "READY=1\nSTATUS=%s", status);
    else
        sd_notify(0, "READY=1");
    svc.last_ping = clock_mono_ms();
}

void service_alive(void)
{
    if (hang_requested) {
        /* The test hook (service.h): stop here, as a loop stuck in a call
         * would; every other thread goes on. */
        log_warn("W880", "test hook: the main loop stops turning now");
        for (;;)
            pause();
    }
    if (!svc.managed || svc.ping_ms == 0)
        return;
    int64_t now = clock_mono_ms();
    if (now - svc.last_ping >= svc.ping_ms) {
        sd_notify(0, "WATCHDOG=1");
        svc.last_ping = now;
    }
}

int service_wait_ms(int timeout_ms)
{
    if (!svc.managed || svc.ping_ms == 0)
        return timeout_ms;
    int64_t left = svc.last_ping + svc.ping_ms - clock_mono_ms();
    if (left < 0)
        left = 0;
    if (left > INT_MAX)
        left = INT_MAX;
    if (timeout_ms < 0 || left < timeout_ms)
        return (int)left;
    return timeout_ms;
}

void service_stopping(void)
{
    if (!svc.managed || svc.stopping)
        return;
    svc.stopping = true;
    sd_notify(0, "STOPPING=1");
}
