/*
 * scan_util.h — helpers shared by the scanner tests (header only: each test
 * program links just itself and harness.c).
 *
 * under_umockdev_run() re-executes the test under `umockdev-run` with the
 * given devices and scripts; wait_codes() collects codes from the scanner
 * manager with a deadline.
 */
#ifndef TRIAGE_SCAN_UTIL_H
#define TRIAGE_SCAN_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "log.h"
#include "scanner.h"

/* ASan refuses to start when umockdev's preload library comes first. */
static inline void asan_allow_preload(void)
{
    const char *old = getenv("ASAN_OPTIONS");
    char buf[512];
    snprintf(buf, sizeof buf, "%s%sverify_asan_link_order=0", old ? old : "",
             old && *old ? ":" : "");
    setenv("ASAN_OPTIONS", buf, 1);
}

/* Run this program again under `umockdev-run ARGS -- argv0` unless it
 * already is; exits 77 when umockdev is not installed. */
static inline void under_umockdev_run(char **argv, const char *const *args)
{
    if (getenv("TRIAGE_UMOCKDEV"))
        return;
    if (!harness_have("umockdev-run"))
        harness_skip("umockdev-run is not installed (apt-get install umockdev)");
    setenv("TRIAGE_UMOCKDEV", "1", 1);
    asan_allow_preload();
    const char *full[64];
    int n = 0;
    full[n++] = "umockdev-run";
    for (int i = 0; args[i] && n < 60; i++)
        full[n++] = args[i];
    full[n++] = "--";
    full[n++] = argv[0];
    full[n] = NULL;
    fflush(stdout);
    execvp("umockdev-run", (char **)full);
    perror("umockdev-run");
    exit(1);
}

/* Same under `umockdev-wrapper`, for tests that build their own testbed. */
static inline void under_umockdev_wrapper(char **argv)
{
    if (getenv("TRIAGE_UMOCKDEV"))
        return;
    if (!harness_have("umockdev-wrapper"))
        harness_skip("umockdev-wrapper is not installed (apt-get install umockdev)");
    setenv("TRIAGE_UMOCKDEV", "1", 1);
    asan_allow_preload();
    fflush(stdout);
    execlp("umockdev-wrapper", "umockdev-wrapper", argv[0], (char *)NULL);
    perror("umockdev-wrapper");
    exit(1);
}

struct got {
    int n;
    struct scan_code c[32];
};

/* Take codes until `want` arrived in total or ms passed. Returns how many. */
static inline int wait_codes(struct scanners *m, struct got *g, int want, int ms)
{
    int64_t until = clock_mono_ms() + ms;
    while (g->n < want && clock_mono_ms() < until) {
        if (g->n < 32 && scanners_take(m, &g->c[g->n]))
            g->n++;
        else
            usleep(2000);
    }
    return g->n;
}

/* The state of scanner `name`, "" when unknown (valid until the next call). */
static inline const char *state_of(struct scanners *m, const char *name, struct scanner_state *st)
{
    static struct scanner_state all[SCANNERS_MAX];
    int n = scanners_states(m, all, SCANNERS_MAX);
    for (int i = 0; i < n && i < SCANNERS_MAX; i++)
        if (strcmp(all[i].name, name) == 0) {
            if (st)
                *st = all[i];
            return all[i].state;
        }
    return "";
}

/* Wait until scanner `name` shows `state`; true when it did within ms. */
static inline bool wait_state(struct scanners *m, const char *name, const char *state, int ms)
{
    int64_t until = clock_mono_ms() + ms;
    while (clock_mono_ms() < until) {
        if (strcmp(state_of(m, name, NULL), state) == 0)
            return true;
        usleep(5000);
    }
    return false;
}

static inline struct scanner_opts scfg(const char *name, const char *type, const char *device,
                                         const char *layout)
{
    struct scanner_opts c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.type, sizeof c.type, "%s", type);
    snprintf(c.device, sizeof c.device, "%s", device);
    snprintf(c.layout, sizeof c.layout, "%s", layout);
    snprintf(c.suffix, sizeof c.suffix, "enter");
    c.baud = 9600;
    return c;
}

#endif
