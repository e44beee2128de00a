/*
 * bench_report_ho.c — head office's report of one site's month, out of 10
 * sites of 1,000,000 outcomes each, on PostgreSQL.
 *
 * A throwaway cluster (tests/sync_fixture.h) gets sync/headoffice.sql, ten
 * stations (one a site, SH00 in Asia/Shanghai, the others in UTC) and their
 * outcomes loaded with COPY: a year of each site (1,000,000 evenly over 365
 * days, ~2,740 a day, 12 graders, 400 SKUs of three categories, 2% re-graded
 * later, 5% chosen for a blind re-grade and half of those re-graded), and the
 * manifest of SH00 (its declared reasons). Then stats_compute_pg (exactly
 * what `triage report --source postgresql://… --site SH00` runs) is timed 5
 * times for SH00's last 30 days; the median is printed:
 *     bench report_ho_10x1m_ms <value> ms
 * Also printed: the time to load (bench ho_load_10x1m_s) and the whole report
 * with its HTML (bench report_ho_html_ms).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "stats_html.h"
#include "stats_pg.h"
#include "sync_fixture.h"

#define SITES 10
#define PER_SITE 1000000
#define DAYS 365

static int copy_rows(PGconn *conn, const char *sql, void (*row)(struct buf *, int64_t, void *),
                     int64_t n, void *ctx)
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        fprintf(stderr, "COPY: %s", PQerrorMessage(conn));
        PQclear(r);
        return -1;
    }
    PQclear(r);
    struct buf b = {0};
    for (int64_t i = 0; i < n; i++) {
        row(&b, i, ctx);
        if (b.len > (1 << 20) || i == n - 1) {
            if (PQputCopyData(conn, b.data, (int)b.len) != 1) {
                fprintf(stderr, "COPY data: %s", PQerrorMessage(conn));
                buf_free(&b);
                return -1;
            }
            buf_reset(&b);
        }
    }
    buf_free(&b);
    if (PQputCopyEnd(conn, NULL) != 1)
        return -1;
    r = PQgetResult(conn);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "COPY end: %s", PQerrorMessage(conn));
    PQclear(r);
    while ((r = PQgetResult(conn)))
        PQclear(r);
    return rc;
}

struct site {
    int k;
    int64_t start_s, step_ms;
};

static void stamp(char *out, size_t len, int64_t ms)
{
    time_rfc3339(ms, out, len);
}

/* One outcome of site s, i = 0 .. PER_SITE-1, in COPY's text format. */
static void outcome_row(struct buf *b, int64_t i, void *ctx)
{
    const struct site *s = ctx;
    uint64_t h = (uint64_t)(i + 1) * 2654435761u % 1000, h2 = (uint64_t)(i + 1) * 40503 % 97;
    int64_t fin = s->start_s * 1000 + i * s->step_ms;
    int64_t sta = fin - 60000 - (int64_t)h * 60;
    char f[40], st[40], station[16], plate[40];
    stamp(f, sizeof f, fin);
    stamp(st, sizeof st, sta);
    snprintf(station, sizeof station, "SH%02d-S01", s->k);
    snprintf(plate, sizeof plate, "%s-%07lld", station, (long long)(i + 1));
    const char *grade = h < 450 ? "A" : h < 750 ? "B" : h < 920 ? "C" : "X";
    const char *disp = h < 450 ? "restock" : h < 750 ? "open_box" : h < 920 ? "refurbish"
                                                                            : "return_to_vendor";
    const char *resp = h < 450 ? "\\N" : h2 < 30 ? "customer" : h2 < 60 ? "logistics" : "merchant";
    const char *defects = h < 450 ? "[]" : h < 750 ? "[\"SCR-L\"]" : h < 920 ? "[\"SCR-D\", \"WEAR\"]"
                                                                            : "[\"DOA\"]";
    int sku = (int)((uint64_t)(i + 7) * 7919 % 400);
    const char *cat = sku < 200 ? "phone" : sku < 320 ? "apparel" : "appliance";
    bool regrade = i % 50 == 7; /* replaces the outcome 3 before it */
    bool calib = i % 40 == 5;   /* a blind re-grade of the outcome 5 before it */
    bool due = i % 20 == 0;
    char supersedes[40] = "\\N", calibrates[40] = "";
    if (regrade)
        snprintf(supersedes, sizeof supersedes, "%s-%07lld", station, (long long)(i - 2));
    if (calib)
        snprintf(calibrates, sizeof calibrates, "%s-%07lld", station, (long long)(i - 4));
    buf_printf(b,
               "%s\te\t%lld\tSH%02d\t%s\tRMA-%lld\tSKU-%03d\t%s\tG%d\t%s\t%s\t%s\t%s\t%s\t%s"
               "\t%s\t%s\t%s\t%s\tmatched\t"
               "{\"step_ms\": {\"screen\": %llu, \"body\": %llu, \"power\": %llu, \"touch\": %llu,"
               " \"box\": %llu}, \"calibration_due\": %s%s%s%s}\n",
               station, (long long)(i + 1), s->k, plate, (long long)(calib ? i - 4 : i + 1), sku,
               cat, (int)(i % 12), st, f, grade, h < 600 ? "A" : "B", disp, resp, defects,
               h2 < 8 ? "t" : "f", h2 > 92 ? "t" : "f", supersedes,
               (unsigned long long)(2000 + h * 7), (unsigned long long)(1500 + h2 * 30),
               (unsigned long long)(3000 + h * 3), (unsigned long long)(2500 + h2 * 11),
               (unsigned long long)(1200 + h), due ? "true" : "false",
               calib ? ", \"calibrates\": \"" : "", calibrates, calib ? "\"" : "");
}

static void manifest_row(struct buf *b, int64_t i, void *ctx)
{
    (void)ctx;
    static const char *const reasons[] = {"defective", "not_as_described", "changed_mind",
                                          "damaged"};
    buf_printf(b, "SH00\tRMA-%lld\t%s\n", (long long)(i + 1),
               reasons[(uint64_t)(i + 1) * 40503 % 97 % 4]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    log_set_level(LOG_ERROR);
    static struct pgc cluster;
    if (pgc_setup(&cluster) != 0) {
        fprintf(stderr, "the PostgreSQL cluster did not start\n");
        return 1;
    }
    PGconn *admin = pgc_admin(&cluster);
    if (!admin || pgc_load_schema(admin) != 0)
        return 1;
    int64_t t0 = clock_mono_ms();
    int64_t today = time_day(clock_wall_ms());
    int64_t span_ms = (int64_t)DAYS * 86400000LL;
    for (int k = 0; k < SITES; k++) {
        char sql[300];
        snprintf(sql, sizeof sql,
                 "SELECT triage.register_station('SH%02d-S01', 'SH%02d', current_user);"
                 "UPDATE triage.stations SET timezone = '%s' WHERE station = 'SH%02d-S01'",
                 k, k, k == 0 ? "Asia/Shanghai" : "UTC", k);
        if (pgc_exec(admin, sql) != 0)
            return 1;
        struct site s = {k, ((today + 1) * 86400000LL - span_ms) / 1000 - 8 * 3600,
                         span_ms / PER_SITE};
        if (copy_rows(admin,
                      "COPY triage.outcomes (station, epoch, seq, site, plate, rma, sku, category,"
                      " operator, started_at, finished_at, grade, functional, disposition,"
                      " responsibility, defects, late, mismatch, supersedes, item_check, record)"
                      " FROM STDIN",
                      outcome_row, PER_SITE, &s) != 0)
            return 1;
        fprintf(stderr, "site SH%02d loaded (%lld s)\n", k,
                (long long)(clock_mono_ms() - t0) / 1000);
    }
    if (copy_rows(admin, "COPY triage.manifests (site, rma, reason) FROM STDIN", manifest_row,
                  PER_SITE, NULL) != 0)
        return 1;
    if (pgc_exec(admin, "VACUUM ANALYZE triage.outcomes") != 0 ||
        pgc_exec(admin, "ANALYZE triage.manifests") != 0)
        return 1;
    double load_s = (double)(clock_mono_ms() - t0) / 1000;
    printf("bench ho_load_10x1m_s %.0f s\n", load_s);

    char ci[400], err[512];
    snprintf(ci, sizeof ci, "host=%s port=%d user=postgres dbname=postgres", cluster.dir,
             cluster.port);
    struct stats_range range = {today - 29, today, NULL};
    struct stats_report *r = malloc(sizeof *r);
    double ms[5];
    for (int i = 0; i < 5; i++) {
        int64_t a = clock_mono_ns();
        if (stats_compute_pg(ci, "SH00", &range, r, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        ms[i] = (double)(clock_mono_ns() - a) / 1e6;
    }
    qsort(ms, 5, sizeof *ms, cmp_double);
    fprintf(stderr, "SH00, 30 days: %lld outcomes, %lld re-graded, %d graders, %lld pairs, %lld SKUs\n",
            (long long)r->total, (long long)r->superseded, r->ngraders, (long long)r->cal_pairs,
            (long long)r->nskus);
    printf("bench report_ho_10x1m_ms %.1f ms\n", ms[2]);
    int64_t a = clock_mono_ns();
    if (stats_compute_pg(ci, "SH00", &range, r, err, sizeof err) != 0)
        return 1;
    struct buf page = {0};
    struct stats_html_source src = {"SH00-S01", "SH00", "now"};
    stats_html(r, LANG_EN, &src, &page);
    printf("bench report_ho_html_ms %.1f ms\n", (double)(clock_mono_ns() - a) / 1e6);
    buf_free(&page);
    free(r);
    PQfinish(admin);
    return 0;
}
