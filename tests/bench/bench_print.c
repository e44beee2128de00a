/*
 * bench_print.c — from a durable commit to the label in the printer.
 *
 * A station database in a temporary folder, the print worker with a zpl-tcp
 * printer, and the fake 9100 printer of the tests on loopback. Each round
 * commits one inspection (its label job in the same transaction), kicks the
 * worker, and waits until the printer has read the whole label and closed:
 *   bench print_commit_to_printer_p50_ms / _p99_ms
 * Also the UI thread's share of that: commit plus queueing, which is all a
 * frame waits for (the sending happens in the worker):
 *   bench print_ui_thread_p99_ms
 */
#include <stdlib.h>

#include "print_fake.h"
#include "print_worker.h"
#include "printer.h"
#include "printq.h"
#include "store.h"

#define ROUNDS 200

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void)
{
    log_set_level(LOG_WARN);
    const char *dir = harness_tmpdir();
    char db[600], err[512];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    struct store *st = NULL;
    if (store_open(db, "SH01-S01", &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    static struct fake_printer f;
    fake_init(&f);
    if (!fake_start(&f))
        return 1;
    struct printer_opts cfg = {.label.dpi = 203};
    snprintf(cfg.type, sizeof cfg.type, "zpl-tcp");
    snprintf(cfg.label.size, sizeof cfg.label.size, "4x6");
    snprintf(cfg.address, sizeof cfg.address, "127.0.0.1:%d", f.port);
    struct printer *p = NULL;
    struct pworker *w = NULL;
    struct pworker_options po = {.status_every_ms = 60000};
    if (printer_open(&cfg, dir, &p, err, sizeof err) != 0 ||
        pworker_start(db, p, &po, &w, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    static double total[ROUNDS], ui[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        struct inspection in;
        print_insp(&in, i, i % 2 == 1);
        int before = fake_njobs(&f);
        double t0 = ms_now();
        if (store_commit_inspection(st, &in, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        pworker_kick(w);
        ui[i] = ms_now() - t0;
        while (fake_njobs(&f) == before && ms_now() - t0 < 5000) {
            struct timespec ts = {0, 50000};
            nanosleep(&ts, NULL);
        }
        total[i] = ms_now() - t0;
        if (f.njobs >= FAKE_MAX_JOBS - 1) { /* keep the fake's table from filling */
            pthread_mutex_lock(&f.mu);
            for (int j = 0; j < f.njobs; j++)
                free(f.jobs[j]);
            f.njobs = 0;
            pthread_mutex_unlock(&f.mu);
        }
    }
    pworker_stop(w, 0);
    qsort(total, ROUNDS, sizeof *total, cmp);
    qsort(ui, ROUNDS, sizeof *ui, cmp);
    printf("bench print_commit_to_printer_p50_ms %.2f ms\n", total[ROUNDS / 2]);
    printf("bench print_commit_to_printer_p99_ms %.2f ms\n", total[ROUNDS * 99 / 100]);
    printf("bench print_ui_thread_p99_ms %.2f ms\n", ui[ROUNDS * 99 / 100]);
    fake_free(&f);
    store_close(st);
    return 0;
}
