/*
 * bench_scan.c — scan_to_event_p99_ms: from the last report of a code
 * reaching the USB driver to the scan event in the main loop.
 *
 * The real pieces: the scanner manager (its thread running, libusb started),
 * the boot-keyboard decoder, the locked queue, ui_wake and ui_poll of a
 * headless UI sleeping as the station's main loop does between events.
 * Reports enter through scanners_inject_report, the function a completed
 * interrupt transfer calls; the clock starts just before the report that
 * ends the code (Enter) and stops when the main loop has taken the code
 * after ui_poll returned. 400 codes at random 2–8 ms gaps.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "log.h"
#include "scanner.h"
#include "ui.h"

#define CODES 400

static struct scanners *mgr;
static _Atomic int64_t sent_ns[CODES];

static void wake(void *ctx)
{
    ui_wake(ctx);
}

static void *scanner_side(void *arg)
{
    (void)arg;
    unsigned seed = 7;
    for (int i = 0; i < CODES; i++) {
        usleep(2000 + (unsigned)(rand_r(&seed) % 6000));
        char code[16];
        snprintf(code, sizeof code, "%06d", i);
        uint8_t up[8] = {0};
        for (const char *p = code; *p; p++) {
            uint8_t r[8] = {0, 0, (uint8_t)(*p == '0' ? 0x27 : 0x1E + (*p - '1'))};
            scanners_inject_report(mgr, 0, r, 8);
            scanners_inject_report(mgr, 0, up, 8);
        }
        uint8_t enter[8] = {0, 0, 0x28};
        atomic_store(&sent_ns[i], clock_mono_ns());
        scanners_inject_report(mgr, 0, enter, 8);
        scanners_inject_report(mgr, 0, up, 8);
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    log_set_level(LOG_WARN);
    struct ui *ui = NULL;
    char err[512];
    struct ui_options uo = {.headless = true};
    if (ui_open(&uo, &ui, err, sizeof err) != 0) {
        fprintf(stderr, "bench_scan: %s\n", err);
        return 1;
    }
    /* A USB scanner that is not plugged in: its decoder is fed directly. */
    struct scanner_opts c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "usb");
    snprintf(c.type, sizeof c.type, "usb-hid");
    snprintf(c.device, sizeof c.device, "ffff:fffe");
    snprintf(c.layout, sizeof c.layout, "us");
    snprintf(c.suffix, sizeof c.suffix, "enter");
    if (scanners_open(&c, 1, wake, ui, &mgr, err, sizeof err) != 0 || !mgr) {
        fprintf(stderr, "bench_scan: %s\n", err);
        return 1;
    }
    pthread_t t;
    pthread_create(&t, NULL, scanner_side, NULL);
    static double lat[CODES];
    int n = 0;
    int64_t give_up = clock_mono_ms() + 30000;
    while (n < CODES && clock_mono_ms() < give_up) {
        struct event evs[8];
        bool quit = false;
        ui_poll(ui, 1000, 0, evs, 8, &quit);
        struct scan_code code;
        while (scanners_take(mgr, &code)) {
            int64_t now = clock_mono_ns();
            int i = atoi(code.text);
            if (i >= 0 && i < CODES)
                lat[n++] = (double)(now - atomic_load(&sent_ns[i])) / 1e6;
        }
    }
    pthread_join(t, NULL);
    scanners_close(mgr);
    ui_close(ui);
    if (n < CODES) {
        fprintf(stderr, "bench_scan: only %d of %d codes arrived\n", n, CODES);
        return 1;
    }
    qsort(lat, (size_t)n, sizeof *lat, cmp_double);
    fprintf(stderr, "bench_scan: p50 %.3f ms, max %.3f ms over %d codes\n", lat[n / 2], lat[n - 1],
            n);
    printf("bench scan_to_event_p99_ms %.3f ms\n", lat[(int)(0.99 * (n - 1) + 0.5)]);
    return 0;
}
