/*
 * test_stats_pg.c — head office's statistics views (the "-- Statistics views
 *" section of sync/headoffice.sql) give the same numbers as the
 * station's stats_compute, on the same outcomes.
 *
 * A station's store is filled with generated inspections of October 2026
 * (with blind re-grades), their export records are loaded into a throwaway
 * PostgreSQL cluster as sync would store them, and every measure is compared:
 * counts, grades, late and wrong-item, defects, declared reasons against
 * findings, graders' items and active hours, steps, and agreement with
 * Cohen's kappa per site and per grader. Plus kappa's hand-worked example
 * (20/5/10/15 → 0.40) through the views.
 *
 * Then a site in Asia/Shanghai (stats_gen.h: re-grades, blind re-grades,
 * outcomes on the local day boundary): the station syncs for real and tells
 * head office its zone; head office's report (stats_compute_pg, over the
 * views) prints the very same JSON as the station's, and so do `triage
 * stats --source postgresql://… --site` and `triage report --source`
 * against the station's own.
 *
 * And a Shanghai station that delivers through a spool: its batch files
 * say its zone; loaded into head office as a collector would (the zone the
 * header says, then the records), head office's report is the station's.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>

#include "buf.h"
#include "db_file.h"
#include "sync_fixture.h"
#include "stats_gen.h"
#include "stats_pg.h"
#include "stats_query.h"
#include "sync.h"
#include "tz.h"

static struct pgc cluster;
static PGconn *admin;
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const ops[] = {"G1", "G2", "G3"};
static const char *const reasons[] = {"defective", "changed_mind", "wrong_item", ""};
static const char *const codes[] = {"SCR-L", "DOA", "WEAR", "NOBOX"};
static const char *const checks[] = {"screen", "power", "box"};

static void commit(struct store *st, struct inspection *in)
{
    char err[256];
    if (!CHECK_INT(store_commit_inspection(st, in, err, sizeof err), 0))
        fprintf(stderr, "  %s\n", err);
}

static void generate(struct store *st, int64_t oct1)
{
    char plates[400][48];
    enum grade grades[400];
    const char *who[400];
    bool due[400];
    for (int i = 0; i < 400; i++) {
        struct inspection in;
        memset(&in, 0, sizeof in);
        snprintf(in.rma, sizeof in.rma, "RMA-%d", i);
        snprintf(in.sku, sizeof in.sku, "PH-T");
        snprintf(in.category, sizeof in.category, "phone");
        who[i] = ops[rnd(3)];
        snprintf(in.operator_badge, sizeof in.operator_badge, "%s", who[i]);
        snprintf(in.reason, sizeof in.reason, "%s", reasons[rnd(4)]);
        /* Whole seconds: the export record keeps seconds. */
        in.finished_at = (oct1 + (int64_t)rnd(31 * 24 * 3600)) * 1000;
        in.started_at = in.finished_at - (20 + (int64_t)rnd(200)) * 1000;
        in.grade = grades[i] = (enum grade)(GRADE_A + rnd(4));
        uint32_t f = rnd(4);
        in.aspect_grade[ASPECT_FUNCTIONAL] = f == 3 ? GRADE_NONE : f == 0 ? GRADE_A : in.grade;
        snprintf(in.disposition, sizeof in.disposition, "%s", rnd(2) ? "restock" : "refurbish");
        in.responsibility = (enum responsibility)rnd(RESP_COUNT);
        in.late = rnd(8) == 0;
        in.mismatch = rnd(9) == 0;
        static const enum item_check others[] = {ITEM_CHECK_MATCHED, ITEM_CHECK_SKIPPED,
                                                 ITEM_CHECK_UNVERIFIED};
        in.item_check = in.mismatch ? ITEM_CHECK_MISMATCHED : others[rnd(3)];
        in.calibration_due = due[i] = rnd(5) == 0;
        /* The grading policy: reason checks, resolutions, overrides (the
         * first tenth with nothing decided). */
        if (i >= 40) {
            in.reason_check = (enum reason_check)rnd(REASON_CHECK_COUNT);
            in.return_type = (enum return_type)rnd(RETURN_TYPE_COUNT);
            in.resolution = (enum resolution)rnd(RESOLUTION_COUNT);
            in.responsibility_suggested =
                rnd(5) == 0 ? (enum responsibility)rnd(RESP_COUNT) : in.responsibility;
            if (in.responsibility_suggested != in.responsibility)
                snprintf(in.responsibility_reason, sizeof in.responsibility_reason, "%s",
                         "customer_statement");
        }
        in.ndefects = (int)rnd(3);
        for (int k = 0; k < in.ndefects; k++)
            snprintf(in.defects[k], sizeof in.defects[k], "%s", codes[(i + k) % 4]);
        in.nanswers = 3;
        for (int k = 0; k < 3; k++) {
            snprintf(in.answers[k].check, sizeof in.answers[k].check, "%s", checks[k]);
            snprintf(in.answers[k].answer, sizeof in.answers[k].answer, "ok");
            in.step_ms[k] = 1000 + (int32_t)rnd(20000);
        }
        commit(st, &in);
        snprintf(plates[i], sizeof plates[i], "%s", in.plate);
    }
    for (int i = 0; i < 400; i++) {
        if (!due[i])
            continue;
        struct inspection in;
        memset(&in, 0, sizeof in);
        snprintf(in.rma, sizeof in.rma, "RMA-%d", i);
        snprintf(in.category, sizeof in.category, "phone");
        const char *other = who[i];
        while (other == who[i])
            other = ops[rnd(3)];
        snprintf(in.operator_badge, sizeof in.operator_badge, "%s", other);
        in.grade = rnd(10) < 7 ? grades[i] : (enum grade)(GRADE_A + rnd(4));
        in.finished_at = (oct1 + 31 * 24 * 3600 - 3600 - (int64_t)rnd(3600 * 24 * 20)) * 1000;
        in.started_at = in.finished_at - 60000;
        memcpy(in.calibrates, plates[i], sizeof in.calibrates);
        commit(st, &in);
    }
}

/* Every export record into head office's outcomes, as sync stores them. */
static void load(const char *db_path)
{
    sqlite3 *db = db_file_open(db_path);
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(db, "SELECT record FROM inspections ORDER BY seq", -1, &s, NULL);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *rec = (const char *)sqlite3_column_text(s, 0);
        PGresult *r = PQexecParams(
            admin,
            "INSERT INTO triage.outcomes (station, epoch, seq, site, plate, rma, operator,"
            " started_at, finished_at, grade, functional, disposition, responsibility, defects,"
            " late, mismatch, item_check, reason, reason_check, responsibility_suggested,"
            " responsibility_reason, return_type, resolution, record)"
            " SELECT r->>'station', r->>'epoch', (r->>'seq')::bigint, 'SH09', r->>'plate',"
            " r->>'rma', r->>'operator', (r->>'started_at')::timestamptz,"
            " (r->>'finished_at')::timestamptz, r->>'grade', r->>'functional',"
            " r->>'disposition', r->>'responsibility', r->'defects', (r->>'late')::boolean,"
            " (r->>'mismatch')::boolean, r->>'item_check', r->>'reason',"
            " r->>'reason_check',"
            " r->>'responsibility_suggested', nullif(r->>'responsibility_reason', ''),"
            " nullif(r->>'return_type', ''), nullif(r->>'resolution', ''), r"
            " FROM (SELECT $1::jsonb AS r) x",
            1, NULL, &rec, NULL, NULL, 0);
        if (!CHECK(PQresultStatus(r) == PGRES_COMMAND_OK))
            fprintf(stderr, "  %s\n", PQerrorMessage(admin));
        PQclear(r);
        n++;
    }
    sqlite3_finalize(s);
    CHECK(n > 400);
    /* The manifest the station graded from: the reasons it recorded. */
    sqlite3_prepare_v2(db,
                       "SELECT DISTINCT rma, coalesce(reason, '') FROM inspections"
                       " WHERE calibrates IS NULL",
                       -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *p[2] = {(const char *)sqlite3_column_text(s, 0),
                            (const char *)sqlite3_column_text(s, 1)};
        PGresult *r = PQexecParams(admin,
                                   "INSERT INTO triage.manifests (site, rma, reason)"
                                   " VALUES ('SH09', $1, $2)",
                                   2, NULL, p, NULL, NULL, 0);
        CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
        PQclear(r);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static long long q(const char *fmt, const char *arg)
{
    char sql[1024];
    snprintf(sql, sizeof sql, fmt, arg ? arg : "");
    return pgc_value(admin, sql);
}

static void compare(const struct stats_report *r)
{
    const char *month = "day BETWEEN '2026-10-01' AND '2026-10-31'";
    CHECK_INT(q("SELECT coalesce(sum(inspections), 0) FROM triage.stats_site_day WHERE %s", month),
              r->total);
    CHECK_INT(q("SELECT sum(grade_a) FROM triage.stats_site_day WHERE %s", month),
              r->grades[GRADE_A]);
    CHECK_INT(q("SELECT sum(grade_x) FROM triage.stats_site_day WHERE %s", month),
              r->grades[GRADE_X]);
    CHECK_INT(q("SELECT sum(late) FROM triage.stats_site_day WHERE %s", month), r->late);
    CHECK_INT(q("SELECT sum(mismatch) FROM triage.stats_site_day WHERE %s", month), r->mismatch);
    /* The wrong-item rate over the items checked against the manifest. */
    CHECK_INT(q("SELECT sum(verified) FROM triage.stats_site_day WHERE %s", month), r->verified);
    CHECK(r->verified > 0 && r->verified < r->total);
    CHECK_INT(q("SELECT round(10000 * sum(mismatch)::numeric / sum(verified))"
                " FROM triage.stats_site_day WHERE %s",
                month),
              (long long)(10000 * r->mismatch_rate + 0.5));
    CHECK_INT(q("SELECT sum(with_defects) FROM triage.stats_site_day WHERE %s", month),
              r->with_defects);
    CHECK_INT(q("SELECT sum(calibration_due) FROM triage.stats_site_day WHERE %s", month),
              r->cal_due);
    char sql[512];
    for (int i = 0; i < r->ndefects; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT sum(inspections) FROM triage.stats_defects WHERE code = '%s'",
                 r->defects[i].key);
        CHECK_INT(pgc_value(admin, sql), r->defects[i].n);
    }
    for (int i = 0; i < r->nreasons; i++) {
        const struct stats_reason *x = &r->reasons[i];
        snprintf(sql, sizeof sql,
                 "SELECT sum(inspections) * 1000000 + sum(functions_ok) * 10000"
                 " + sum(function_fault) * 100 + sum(no_function_checks)"
                 " FROM triage.stats_reasons WHERE reason = '%s'",
                 x->reason);
        CHECK_INT(pgc_value(admin, sql), x->n * 1000000 + x->functions_ok * 10000 +
                                             x->function_fault * 100 + x->no_function);
        snprintf(sql, sizeof sql,
                 "SELECT sum(no_fault) FROM triage.stats_reasons WHERE reason = '%s'", x->reason);
        CHECK_INT(pgc_value(admin, sql), x->no_fault);
        /* Declared, confirmed, not found. */
        snprintf(sql, sizeof sql,
                 "SELECT sum(confirmed) * 10000 + sum(not_found) FROM triage.stats_reasons"
                 " WHERE reason = '%s'",
                 x->reason);
        CHECK_INT(pgc_value(admin, sql), x->confirmed * 10000 + x->not_found);
    }
    CHECK(r->reason_confirmed > 0 && r->reason_not_found > 0);
    /* Resolutions and return types. */
    for (int i = 0; i < RESOLUTION_COUNT; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(sum(inspections), 0) FROM triage.stats_resolutions"
                 " WHERE resolution = '%s'",
                 i ? resolution_name((enum resolution)i) : "none");
        CHECK_INT(pgc_value(admin, sql), r->resolutions[i]);
    }
    for (int i = 0; i < RETURN_TYPE_COUNT; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(sum(inspections), 0) FROM triage.stats_resolutions"
                 " WHERE return_type = '%s'",
                 i ? return_type_name((enum return_type)i) : "none");
        CHECK_INT(pgc_value(admin, sql), r->return_types[i]);
    }
    /* Overrides per grader and for the station. */
    CHECK_INT(q("SELECT sum(policy_inspections) * 10000 + sum(overrides) FROM"
                " triage.stats_overrides%s",
                NULL),
              r->policy_n * 10000 + r->policy_overrides);
    CHECK(r->policy_overrides > 0 && r->policy_n == r->total);
    for (int i = 0; i < r->nsteps; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT sum(answers) FROM triage.stats_grader_steps WHERE check_id = '%s'",
                 r->steps[i].check);
        CHECK_INT(pgc_value(admin, sql), r->steps[i].n);
    }
    for (int i = 0; i < r->ngraders; i++) {
        const struct stats_grader *g = &r->graders[i];
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(sum(inspections), 0) * 100000 + coalesce(sum(active_hours), 0)"
                 " FROM triage.stats_graders WHERE operator = '%s'",
                 g->badge);
        CHECK_INT(pgc_value(admin, sql), g->n * 100000 + g->active_hours);
        snprintf(sql, sizeof sql,
                 "SELECT sum(policy_inspections) * 10000 + sum(overrides)"
                 " FROM triage.stats_overrides WHERE operator = '%s'",
                 g->badge);
        CHECK_INT(pgc_value(admin, sql), g->policy_n * 10000 + g->policy_overrides);
        snprintf(sql, sizeof sql,
                 "SELECT round(10000 * sum(overrides)::numeric / sum(policy_inspections))"
                 " FROM triage.stats_overrides WHERE operator = '%s'",
                 g->badge);
        if (g->policy_n)
            CHECK_INT(pgc_value(admin, sql), lround(g->override_rate * 10000));
        snprintf(sql, sizeof sql,
                 "SELECT pairs * 100000 + identical FROM triage.stats_grader_agreement"
                 " WHERE grader = '%s' AND month = '2026-10-01'",
                 g->badge);
        CHECK_INT(pgc_value(admin, sql), g->cal_pairs * 100000 + g->cal_agree);
        snprintf(sql, sizeof sql,
                 "SELECT round(kappa * 10000) FROM triage.stats_grader_agreement"
                 " WHERE grader = '%s' AND month = '2026-10-01'",
                 g->badge);
        if (!isnan(g->kappa))
            CHECK(llabs(pgc_value(admin, sql) - lround(g->kappa * 10000)) <= 1);
    }
    CHECK_INT(q("SELECT pairs * 100000 + identical FROM triage.stats_site_agreement"
                " WHERE month = '2026-10-01'%s",
                NULL),
              r->cal_pairs * 100000 + r->cal_agree);
    CHECK(r->cal_pairs > 30);
    CHECK(llabs(q("SELECT round(kappa * 10000) FROM triage.stats_site_agreement"
                  " WHERE month = '2026-10-01'%s",
                  NULL) -
                lround(r->kappa * 10000)) <= 1);
}

/* Kappa's hand-worked example through the views: 20 A/A, 5 A/B, 10 B/A, 15 B/B. */
static void hand_worked(void)
{
    CHECK(
        pgc_exec(admin,
                 "INSERT INTO triage.outcomes (station, epoch, seq, site, plate, operator,"
                 " started_at, finished_at, grade, record)"
                 " SELECT 'HW-1', 'e', i, 'HW', 'HW-1-' || lpad(i::text, 6, '0'), 'H1',"
                 " '2026-09-02T10:00:00Z', '2026-09-02T10:01:00Z',"
                 " CASE WHEN i <= 25 THEN 'A' ELSE 'B' END, '{}'::jsonb"
                 " FROM generate_series(1, 50) i;"
                 "INSERT INTO triage.outcomes (station, epoch, seq, site, plate, operator,"
                 " started_at, finished_at, grade, record)"
                 " SELECT 'HW-1', 'e', 100 + i, 'HW', 'HW-1-' || lpad((100 + i)::text, 6, '0'),"
                 " 'H2', '2026-09-03T10:00:00Z', '2026-09-03T10:01:00Z',"
                 " CASE WHEN i <= 20 THEN 'A' WHEN i <= 25 THEN 'B' WHEN i <= 35 THEN 'A'"
                 " ELSE 'B' END, jsonb_build_object('calibrates', 'HW-1-' || lpad(i::text, 6, '0'))"
                 " FROM generate_series(1, 50) i") == 0);
    CHECK_INT(pgc_value(admin, "SELECT round(kappa * 10000) FROM triage.stats_site_agreement"
                               " WHERE site = 'HW'"),
              4000);
    CHECK_INT(pgc_value(admin, "SELECT round(agreement * 100) FROM triage.stats_grader_agreement"
                               " WHERE site = 'HW' AND grader = 'H2'"),
              70);
    CHECK_INT(pgc_value(admin, "SELECT sum(inspections) FROM triage.stats_site_day"
                               " WHERE site = 'HW'"),
              50); /* the re-grades are not outcomes */
}

static char *json_of(const struct stats_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    stats_print(r, STATS_JSON, f);
    fclose(f);
    return text;
}

/* The HTML without the line that says where and when it was made. */
static char *without_meta(char *html)
{
    char *a = html ? strstr(html, "<p class=\"meta\">") : NULL;
    char *b = a ? strstr(a, "</p>") : NULL;
    if (b)
        memmove(a, b, strlen(b) + 1);
    return html;
}

static struct gen gen;

/* A site's report from the station's database at path (a) and from head
 * office (b, as the admin whose URL goes into admin_url): the same JSON.
 * Returns -1 when the station's database did not open. */
static int site_reports(const char *path, const char *station, const char *site,
                        const struct stats_range *range, struct stats_report *a,
                        struct stats_report *b, char *admin_url, size_t urllen)
{
    char err[512];
    struct store *st = NULL;
    if (!CHECK_INT(store_open(path, station, &st, err, sizeof err), 0))
        return -1;
    CHECK_INT(stats_compute(st, range, a, err, sizeof err), 0);
    store_close(st);
    snprintf(admin_url, urllen, "host=%s port=%d user=postgres dbname=postgres", cluster.dir,
             cluster.port);
    if (!CHECK_INT(stats_compute_pg(admin_url, site, range, b, err, sizeof err), 0))
        fprintf(stderr, "  %s\n", err);
    char *ja = json_of(a), *jb = json_of(b);
    if (!CHECK_STR(jb, ja)) {
        char file[200];
        snprintf(file, sizeof file, "/tmp/triage-stats-%s-station.json", site);
        harness_write_file(file, ja);
        snprintf(file, sizeof file, "/tmp/triage-stats-%s-headoffice.json", site);
        harness_write_file(file, jb);
    }
    free(ja);
    free(jb);
    return 0;
}

static void shanghai(void)
{
    const char *dir = harness_tmpdir();
    char path[700], err[512], url[300], conf[700], cmd[2000];
    snprintf(path, sizeof path, "%s/sh/data", dir);
    char mk[800];
    snprintf(mk, sizeof mk, "mkdir -p %s", path);
    CHECK_INT(harness_sh(mk, NULL, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/sh/data/triage.db", dir);
    struct store *st = NULL;
    if (!CHECK_INT(store_open(path, "SH07-S01", &st, err, sizeof err), 0))
        return;
    CHECK(gen_fill(&gen, st));
    store_close(st);
    /* The station syncs and says its zone. */
    CHECK(pgc_add_station(admin, "st_sh07", "pw-sh07", "SH07-S01", "SH07") == 0);
    snprintf(url, sizeof url, "postgresql://st_sh07:pw-sh07@127.0.0.1:%d/postgres", cluster.port);
    struct sync_opts so = {.batch_size = 500, .interval_s = 60};
    snprintf(so.sslmode, sizeof so.sslmode, "disable"); /* the test cluster has no TLS */
    snprintf(so.target, sizeof so.target, "%s", url);
    struct sync_options opt = {.db_path = path,
                               .station = "SH07-S01",
                               .site = "SH07",
                               .timezone = "Asia/Shanghai",
                               .cfg = &so};
    struct sync_status ss;
    if (!CHECK_INT(sync_run_once(&opt, &ss, err, sizeof err), 0))
        fprintf(stderr, "  %s\n", err);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.outcomes WHERE site = 'SH07'"), gen.n);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.stations WHERE station = 'SH07-S01'"
                               " AND timezone = 'Asia/Shanghai'"),
              1);
    /* The manifest the station graded from, at head office (after the sync: the
     * station would pull them back). */
    for (int i = 0; i < gen.n; i++) {
        const struct inspection *in = &gen.r[i].in;
        if (in->calibrates[0])
            continue;
        const char *p[3] = {in->rma, in->reason, in->sku};
        PGresult *r = PQexecParams(admin,
                                   "INSERT INTO triage.manifests (site, rma, reason, sku)"
                                   " VALUES ('SH07', $1, $2, $3) ON CONFLICT DO NOTHING",
                                   3, NULL, p, NULL, NULL, 0);
        CHECK(PQresultStatus(r) == PGRES_COMMAND_OK);
        PQclear(r);
    }
    /* One definition of items per hour at head office. */
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.grader_throughput t JOIN"
                               " triage.stats_graders g USING (site, operator, day)"
                               " WHERE t.items_per_hour IS DISTINCT FROM g.items_per_hour"),
              0);
    /* The 11th local holds the outcomes of 16:00Z and 23:30Z on the 10th. */
    CHECK(pgc_value(admin, "SELECT count(*) FROM triage.stats_outcomes WHERE site = 'SH07'"
                           " AND day = '2026-10-11' AND finished_at >= '2026-10-10T16:00:00Z'"
                           " AND finished_at <= '2026-10-10T23:30:00Z'") >= 2);

    /* The station's report and head office's: the same JSON. */
    struct tz *z = NULL;
    CHECK_INT(tz_load("Asia/Shanghai", &z, err, sizeof err), 0);
    struct stats_range range = {gen.from_day, gen.to_day, z};
    static struct stats_report a, b;
    char admin_url[300];
    if (site_reports(path, "SH07-S01", "SH07", &range, &a, &b, admin_url, sizeof admin_url) < 0)
        return;
    char *ja = json_of(&a), *jb = json_of(&b);
    CHECK(a.total > 500 && a.superseded > 10 && a.cal_pairs > 10);
    static struct gen_expect e;
    gen_expect(&gen, &e);
    CHECK_INT(b.total, e.total);
    CHECK_INT(b.superseded, e.superseded);
    fprintf(stderr, "# head office's report of one site's month in %.0f ms\n", b.compute_ms);
    /* Every site: each in its own days (SH09's station is registered too,
     * in UTC). */
    CHECK(pgc_add_station(admin, "st_sh09", "pw-sh09", "SH09-S01", "SH09") == 0);
    CHECK_INT(stats_compute_pg(admin_url, NULL, &range, &b, err, sizeof err), 0);
    CHECK(b.total > a.total);
    CHECK_STR(b.timezone, "site time");
    /* An unknown site says so. */
    CHECK(stats_compute_pg(admin_url, "NOPE", &range, &b, err, sizeof err) != 0);
    CHECK(strncmp(err, "E772: ", 6) == 0);

    /* The command line: stats and report from either source agree. */
    snprintf(conf, sizeof conf, "%s/sh/triage.conf", dir);
    harness_write_file(conf, "[station]\nid = SH07-S01\nsite = SH07\ntimezone = Asia/Shanghai\n");
    char *out_st = NULL, *out_ho = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd,
             "%s --config %s --data %s/sh/data stats --from 2026-10-01 --to 2026-10-31"
             " --format json",
             harness_triage(), conf, dir);
    CHECK_INT(harness_sh(cmd, NULL, &out_st, NULL), 0);
    snprintf(cmd, sizeof cmd,
             "PGPASSWORD= %s --config %s --data %s/sh/data stats --from 2026-10-01"
             " --to 2026-10-31 --format json --source 'postgresql://postgres@:%d/postgres?host=%s'"
             " --site SH07",
             harness_triage(), conf, dir, cluster.port, cluster.dir);
    if (!CHECK_INT(harness_sh(cmd, NULL, &out_ho, &errs), 0))
        fprintf(stderr, "  %s\n", errs ? errs : "");
    CHECK(out_st && out_ho && strcmp(out_st, ja) == 0);
    CHECK_STR(out_ho, out_st);
    free(errs);
    char *html_st, *html_ho;
    snprintf(cmd, sizeof cmd,
             "%s --config %s --data %s/sh/data report --from 2026-10-01 --to 2026-10-31"
             " --out %s/sh/station.html",
             harness_triage(), conf, dir, dir);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd,
             "%s --config %s --data %s/sh/data report --from 2026-10-01 --to 2026-10-31"
             " --source 'postgresql://postgres@:%d/postgres?host=%s' --site SH07"
             " --out %s/sh/headoffice.html",
             harness_triage(), conf, dir, cluster.port, cluster.dir, dir);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/sh/station.html", dir);
    html_st = without_meta(harness_read_file(path, NULL));
    snprintf(path, sizeof path, "%s/sh/headoffice.html", dir);
    html_ho = without_meta(harness_read_file(path, NULL));
    CHECK(html_st && html_ho && strlen(html_st) > 10000);
    CHECK(html_st && html_ho && strcmp(html_st, html_ho) == 0);
    free(html_st);
    free(html_ho);
    free(out_st);
    free(out_ho);
    free(ja);
    free(jb);
    tz_free(z);
}

/* Load one spool batch file into head office as whatever collects the
 * files does, with the station's login: the zone its header says, then its
 * records. Returns the records stored, -1 on error. */
static int load_spool_file(PGconn *conn, const char *path)
{
    size_t len;
    char *text = harness_read_file(path, &len);
    char *nl = text ? strchr(text, '\n') : NULL;
    if (!nl) {
        free(text);
        return -1;
    }
    *nl = 0;
    cJSON *h = cJSON_Parse(text);
    const cJSON *zone = cJSON_GetObjectItem(h, "timezone");
    int stored = -1;
    if (cJSON_IsString(zone)) {
        const char *p[2] = {cJSON_GetObjectItem(h, "station")->valuestring, zone->valuestring};
        PGresult *r = PQexecParams(conn, "SELECT triage.set_station_timezone($1, $2)", 2, NULL, p,
                                   NULL, NULL, 0);
        if (!CHECK(PQresultStatus(r) == PGRES_TUPLES_OK))
            fprintf(stderr, "  %s\n", PQerrorMessage(conn));
        PQclear(r);
    }
    /* The records, one a line, as one JSON array. */
    struct buf arr = {0};
    buf_adds(&arr, "[");
    for (char *line = nl + 1, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            break;
        if (arr.len > 1)
            buf_adds(&arr, ",");
        buf_add(&arr, line, (size_t)(end - line));
    }
    buf_adds(&arr, "]");
    char first[24], last[24];
    snprintf(first, sizeof first, "%lld",
             (long long)cJSON_GetObjectItem(h, "first_seq")->valuedouble);
    snprintf(last, sizeof last, "%lld", (long long)cJSON_GetObjectItem(h, "last_seq")->valuedouble);
    const char *p[5] = {cJSON_GetObjectItem(h, "station")->valuestring,
                        cJSON_GetObjectItem(h, "epoch")->valuestring, first, last, arr.data};
    PGresult *r = PQexecParams(conn,
                               "SELECT inserted FROM triage.push_outcomes($1, $2, $3::bigint,"
                               " $4::bigint, $5::json)",
                               5, NULL, p, NULL, NULL, 0);
    if (CHECK(PQresultStatus(r) == PGRES_TUPLES_OK))
        stored = atoi(PQgetvalue(r, 0, 0));
    else
        fprintf(stderr, "  %s\n", PQerrorMessage(conn));
    PQclear(r);
    buf_free(&arr);
    cJSON_Delete(h);
    free(text);
    return stored;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A station of a Shanghai site that delivers through a spool: its batches
 * say its zone, and head office, loading them, counts the site's days in
 * it: the very numbers of the station's own statistics. */
static void spooled(void)
{
    const char *dir = harness_tmpdir();
    char path[700], spool[400], err[512], mk[800];
    snprintf(path, sizeof path, "%s/sp/data", dir);
    snprintf(mk, sizeof mk, "mkdir -p %s", path);
    CHECK_INT(harness_sh(mk, NULL, NULL, NULL), 0);
    snprintf(path, sizeof path, "%s/sp/data/triage.db", dir);
    snprintf(spool, sizeof spool, "%s/sp/spool", dir);
    struct store *st = NULL;
    if (!CHECK_INT(store_open(path, "SH08-S01", &st, err, sizeof err), 0))
        return;
    CHECK(gen_fill(&gen, st));
    store_close(st);
    struct sync_opts so = {.batch_size = 200, .interval_s = 60};
    snprintf(so.target, sizeof so.target, "spool:%s", spool);
    struct sync_options opt = {.db_path = path,
                               .station = "SH08-S01",
                               .site = "SH08",
                               .timezone = "Asia/Shanghai",
                               .cfg = &so};
    struct sync_status ss;
    if (!CHECK_INT(sync_run_once(&opt, &ss, err, sizeof err), 0))
        fprintf(stderr, "  %s\n", err);

    /* Head office knows the station, in UTC until told otherwise. */
    CHECK(pgc_add_station(admin, "st_sh08", "pw-sh08", "SH08-S01", "SH08") == 0);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.stations WHERE station = 'SH08-S01'"
                               " AND timezone = 'UTC'"),
              1);
    char url[300];
    snprintf(url, sizeof url, "postgresql://st_sh08:pw-sh08@127.0.0.1:%d/postgres", cluster.port);
    PGconn *conn = PQconnectdb(url);
    if (!CHECK(PQstatus(conn) == CONNECTION_OK)) {
        PQfinish(conn);
        return;
    }
    char out[800];
    snprintf(out, sizeof out, "%s/outcomes", spool);
    DIR *d = opendir(out);
    char *names[64];
    int n = 0, stored = 0;
    for (struct dirent *de; d && (de = readdir(d)) && n < 64;)
        if (de->d_name[0] != '.')
            names[n++] = strdup(de->d_name);
    if (d)
        closedir(d);
    qsort(names, (size_t)n, sizeof *names, name_cmp);
    CHECK(n > 1);
    for (int i = 0; i < n; i++) {
        char file[1200];
        snprintf(file, sizeof file, "%s/%s", out, names[i]);
        stored += load_spool_file(conn, file);
        free(names[i]);
    }
    PQfinish(conn);
    CHECK_INT(stored, gen.n);
    CHECK_INT(pgc_value(admin, "SELECT count(*) FROM triage.stations WHERE station = 'SH08-S01'"
                               " AND timezone = 'Asia/Shanghai'"),
              1);

    struct tz *z = NULL;
    CHECK_INT(tz_load("Asia/Shanghai", &z, err, sizeof err), 0);
    struct stats_range range = {gen.from_day, gen.to_day, z};
    static struct stats_report a, b;
    char admin_url[300];
    site_reports(path, "SH08-S01", "SH08", &range, &a, &b, admin_url, sizeof admin_url);
    CHECK(a.per_day[10] >= 2); /* the 11th local: the outcomes of 16:00Z and 23:30Z */
    tz_free(z);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    if (pgc_setup(&cluster) != 0) {
        CHECK(!"the PostgreSQL cluster did not start");
        return harness_done();
    }
    admin = pgc_admin(&cluster);
    if (!CHECK(admin != NULL))
        return harness_done();
    CHECK(pgc_load_schema(admin) == 0);

    char path[700], err[256];
    snprintf(path, sizeof path, "%s/station.db", harness_tmpdir());
    struct store *st = NULL;
    if (!CHECK_INT(store_open(path, "SH09-S01", &st, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    int64_t oct1_ms;
    time_parse_date("2026-10-01", &oct1_ms);
    generate(st, oct1_ms / 1000);
    load(path);
    struct stats_range range = {time_day(oct1_ms), time_day(oct1_ms) + 30};
    static struct stats_report r;
    CHECK_INT(stats_compute(st, &range, &r, err, sizeof err), 0);
    CHECK_INT(r.total, 400);
    compare(&r);
    store_close(st);
    hand_worked();
    shanghai();
    spooled();
    PQfinish(admin);
    return harness_done();
}
