/*
 * bench_stats.c — the stats screen's numbers for 30 days on a database of
 * 1,000,000 inspections.
 *
 * The database is generated here, in one transaction, by INSERT … SELECT over
 * a recursive CTE: a year of one busy station (1,000,000 inspections evenly
 * over 365 days, ~2,740 a day, 12 graders, 5% chosen for a blind re-grade and
 * half of those re-graded, 400 SKUs of three categories, 2% replaced by a
 * later re-grade), so 30 days hold ~82,000 outcomes. Then
 * stats_compute (exactly what the screen's worker and `triage stats` run) is
 * timed 7 times on a warm cache; the median is printed:
 *     bench stats_30d_1m_ms <value> ms
 * Also printed: the quality report of those 30 days, computed, laid out as
 * HTML and written to a file (bench report_30d_1m_ms, what `triage report`
 * does), the time of a drill-down list (bench stats_list_30d_1m_ms),
 * and what the UI thread sees through the stats worker (stats_worker.h): the
 * longest it is held by asking and taking results (stats_ui_block_max_ms),
 * and the time from asking to the numbers being there (stats_screen_latency_ms).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "atomic_file.h"
#include "buf.h"
#include "harness.h"
#include "stats_html.h"
#include "log.h"
#include "station.h"
#include "stats_query.h"
#include "stats_worker.h"
#include "store.h"

#define N 1000000
#define DAYS 365

static const char gen_sql[] =
    "WITH RECURSIVE x(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM x WHERE i < ?1),"
    " r AS (SELECT i, (i * 2654435761) % 1000 AS h, (i * 40503) % 97 AS h2 FROM x)"
    "INSERT INTO inspections (seq, station, epoch, plate, rma, sku, category, operator,"
    " started_at, finished_at, grade, cosmetic, functional, completeness, disposition,"
    " responsibility, defects, answers, reason, late, mismatch, step_ms, calibration_due,"
    " calibrates, supersedes, record)"
    " SELECT i, 'BENCH', 'e', 'BENCH-' || printf('%07d', i), 'RMA-' || i,"
    "  'SKU-' || printf('%03d', (i * 7919) % 400),"
    "  CASE WHEN (i * 7919) % 400 < 200 THEN 'phone' WHEN (i * 7919) % 400 < 320"
    "   THEN 'apparel' ELSE 'appliance' END,"
    "  'G' || (i % 12), ?2 + i * ?3 - 60000 - h * 60, ?2 + i * ?3,"
    "  CASE WHEN h < 450 THEN 'A' WHEN h < 750 THEN 'B' WHEN h < 920 THEN 'C' ELSE 'X' END,"
    "  CASE WHEN h < 600 THEN 'A' ELSE 'B' END,"
    "  CASE WHEN h < 850 THEN 'A' ELSE 'C' END, 'A',"
    "  CASE WHEN h < 450 THEN 'restock' WHEN h < 750 THEN 'open_box' WHEN h < 920"
    "   THEN 'refurbish' ELSE 'return_to_vendor' END,"
    "  CASE WHEN h < 450 THEN NULL WHEN h2 < 30 THEN 'customer' WHEN h2 < 60 THEN 'logistics'"
    "   ELSE 'merchant' END,"
    "  CASE WHEN h < 450 THEN '[]' WHEN h < 750 THEN '[\"SCR-L\"]' WHEN h < 920"
    "   THEN '[\"SCR-D\",\"WEAR\"]' ELSE '[\"DOA\"]' END,"
    "  '{\"screen\":\"ok\",\"body\":\"ok\",\"power\":\"yes\",\"touch\":\"yes\",\"box\":\"all\"}',"
    "  CASE h2 % 4 WHEN 0 THEN 'defective' WHEN 1 THEN 'not_as_described' WHEN 2"
    "   THEN 'changed_mind' ELSE 'damaged' END,"
    "  h2 < 8, h2 > 92,"
    "  '{\"screen\":' || (2000 + h * 7) || ',\"body\":' || (1500 + h2 * 30) || ',\"power\":'"
    "   || (3000 + h * 3) || ',\"touch\":' || (2500 + h2 * 11) || ',\"box\":' || (1200 + h) || '}',"
    "  i % 20 = 0,"
    "  CASE WHEN i % 40 = 5 THEN 'BENCH-' || printf('%07d', i - 5) END,"
    "  CASE WHEN i % 50 = 7 THEN 'BENCH-' || printf('%07d', i - 3) END,"
    "  '{}' FROM r";

int main(void)
{
    const char *tmp = harness_tmpdir();
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/bench.db", tmp);
    /* The store makes the schema; the rows go in through a connection of
     * the bench's own, then the store opens the database again. */
    struct store *st = NULL;
    if (store_open(path, "BENCH", &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    store_close(st);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "open: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    int64_t today = time_day(clock_wall_ms());
    int64_t span_ms = (int64_t)DAYS * 86400000LL;
    int64_t step = span_ms / N;
    int64_t start = (today + 1) * 86400000LL - span_ms - 1000;

    int64_t t0 = clock_mono_ms();
    sqlite3_stmt *s = NULL;
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(db, gen_sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_bind_int(s, 1, N);
    sqlite3_bind_int64(s, 2, start);
    sqlite3_bind_int64(s, 3, step);
    if (sqlite3_step(s) != SQLITE_DONE) {
        fprintf(stderr, "generate: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_finalize(s);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL);
    sqlite3_close(db);
    if (store_open(path, "BENCH", &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int64_t gen_ms = clock_mono_ms() - t0;
    fprintf(stderr, "generated %d inspections in %lld ms\n", N, (long long)gen_ms);

    struct stats_range range = {today - 29, today};
    struct stats_report *r = malloc(sizeof *r);
    double ms[7];
    for (int i = 0; i < 7; i++) {
        int64_t a = clock_mono_ns();
        if (stats_compute(st, &range, r, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        ms[i] = (double)(clock_mono_ns() - a) / 1e6;
    }
    for (int i = 0; i < 7; i++)
        for (int j = i + 1; j < 7; j++)
            if (ms[j] < ms[i]) {
                double t = ms[i];
                ms[i] = ms[j];
                ms[j] = t;
            }
    fprintf(stderr, "30 days: %lld outcomes, %lld re-graded, %d graders, %lld calibration pairs,"
            " %lld SKUs\n",
            (long long)r->total, (long long)r->superseded, r->ngraders, (long long)r->cal_pairs,
            (long long)r->nskus);
    printf("bench stats_30d_1m_ms %.1f ms\n", ms[3]);

    /* The report: the same numbers, as a page, written whole. */
    for (int i = 0; i < 7; i++) {
        int64_t a = clock_mono_ns();
        if (stats_compute(st, &range, r, err, sizeof err) != 0)
            return 1;
        struct buf page = {0};
        struct stats_html_source src = {"BENCH", NULL, "now"};
        stats_html(r, LANG_EN, &src, &page);
        char out[700];
        snprintf(out, sizeof out, "%s/report.html", tmp);
        if (atomic_file_put(out, page.data, page.len, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        buf_free(&page);
        ms[i] = (double)(clock_mono_ns() - a) / 1e6;
    }
    for (int i = 0; i < 7; i++)
        for (int j = i + 1; j < 7; j++)
            if (ms[j] < ms[i]) {
                double t = ms[i];
                ms[i] = ms[j];
                ms[j] = t;
            }
    printf("bench report_30d_1m_ms %.1f ms\n", ms[3]);

    struct stats_list *l = malloc(sizeof *l);
    int64_t a = clock_mono_ns();
    if (stats_list_query(st, &range, SD_DEFECT, "DOA", 0, l, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("bench stats_list_30d_1m_ms %.1f ms\n", (double)(clock_mono_ns() - a) / 1e6);
    free(l);

    /* Through the worker, as the station does it: the UI thread only asks and
     * polls (one frame's work), the worker computes. */
    struct sworker *w = NULL;
    if (sworker_start(path, NULL, NULL, &w, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double block_max = 0, latency[5];
    for (int i = 0; i < 5; i++) {
        int64_t asked = clock_mono_ns();
        sworker_query(w, &range);
        double blk = (double)(clock_mono_ns() - asked) / 1e6;
        if (blk > block_max)
            block_max = blk;
        for (;;) {
            int64_t p0 = clock_mono_ns();
            bool got = sworker_poll(w);
            struct view v = {.screen = SCREEN_STATS};
            sworker_fill_view(w, &v);
            blk = (double)(clock_mono_ns() - p0) / 1e6;
            if (blk > block_max)
                block_max = blk;
            if (got && v.stats)
                break;
            struct timespec ts = {0, 1000000}; /* a 1 ms frame loop */
            nanosleep(&ts, NULL);
        }
        latency[i] = (double)(clock_mono_ns() - asked) / 1e6;
    }
    sworker_stop(w);
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++)
            if (latency[j] < latency[i]) {
                double t = latency[i];
                latency[i] = latency[j];
                latency[j] = t;
            }
    printf("bench stats_ui_block_max_ms %.3f ms\n", block_max);
    printf("bench stats_screen_latency_ms %.1f ms\n", latency[2]);
    free(r);
    store_close(st);
    return 0;
}
