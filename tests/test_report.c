/*
 * test_report.c — `triage stats` and `triage report` on a station whose days
 * are Asia/Shanghai's, against numbers counted again by the test.
 *
 * A month of generated outcomes with known answers (stats_gen.h: re-grades,
 * blind re-grades, outcomes on the local day boundary and just outside the
 * month) goes into a real station database; the real binary prints the
 * statistics as JSON, and every number is compared with gen_expect's own
 * count: inspections, re-graded outcomes left out, each local day (the
 * boundary of the 10th and 11th included), grades, late and wrong-item
 * counts, categories, SKUs by returns and by defect rate, responsibility per
 * day, graders' items and active hours, agreement. The report is made from
 * the same database in English and Chinese: self-contained (no script,
 * nothing fetched), its numbers those of the JSON; then headless Chromium
 * prints it to PDF and takes a screenshot without a console error, and
 * pdftoppm turns the PDF into pages (skipped, never passed, without
 * Chromium or pdftoppm).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "log.h"
#include "stats_gen.h"
#include "store.h"

static struct gen gen;

static const cJSON *find(const cJSON *array, const char *field, const char *value)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, array)
    {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(it, field);
        if (cJSON_IsString(f) && !strcmp(f->valuestring, value))
            return it;
    }
    return NULL;
}

static long long num(const cJSON *o, const char *field)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, field);
    return cJSON_IsNumber(f) ? (long long)f->valuedouble : -1;
}

/* The JSON of `triage stats` against the test's own count. */
static void compare(const cJSON *j, const struct gen_expect *e)
{
    CHECK_STR(cJSON_GetObjectItem(j, "timezone")->valuestring, "Asia/Shanghai");
    CHECK_INT(num(j, "inspections"), e->total);
    CHECK(e->superseded > 10);
    CHECK_INT(num(j, "superseded"), e->superseded);
    CHECK_INT(num(j, "late"), e->late);
    CHECK_INT(num(j, "mismatch"), e->mismatch);
    CHECK_INT(num(j, "verified"), e->verified);
    CHECK_INT(num(j, "with_defects"), e->with_defects);
    const cJSON *grades = cJSON_GetObjectItem(j, "grades");
    for (int g = GRADE_A; g <= GRADE_X; g++)
        CHECK_INT(num(grades, grade_name((enum grade)g)), e->grades[g]);
    const cJSON *pd = cJSON_GetObjectItem(j, "per_day");
    const cJSON *rd = cJSON_GetObjectItem(j, "responsibility_per_day");
    CHECK_INT(cJSON_GetArraySize(pd), 31);
    for (int d = 0; d < 31; d++) {
        CHECK_INT(num(cJSON_GetArrayItem(pd, d), "n"), e->per_day[d]);
        const cJSON *day = cJSON_GetArrayItem(rd, d);
        for (int k = 0; k < RESP_COUNT; k++)
            CHECK_INT(num(day, k ? responsibility_name((enum responsibility)k) : "none"),
                      e->resp_day[d][k]);
    }
    /* The boundary: the 10th has its 15:59:59Z outcome, the 11th both others. */
    CHECK_STR(cJSON_GetArrayItem(pd, 9)->child->valuestring, "2026-10-10");
    CHECK(e->per_day[10] >= 2);
    static const char *const cats[3] = {"phone", "apparel", "appliance"};
    const cJSON *cj = cJSON_GetObjectItem(j, "categories");
    CHECK_INT(cJSON_GetArraySize(cj), 3);
    for (int c = 0; c < 3; c++) {
        const cJSON *o = find(cj, "category", cats[c]);
        if (!CHECK(o != NULL))
            continue;
        CHECK_INT(num(o, "inspections"), e->cat_n[c]);
        CHECK_INT(num(o, "with_defects"), e->cat_defects[c]);
    }
    /* SKUs by returns: every one, most first. */
    const cJSON *top = cJSON_GetObjectItem(j, "top_skus");
    CHECK_INT(cJSON_GetArraySize(top), GEN_SKUS);
    CHECK_INT(num(j, "skus"), GEN_SKUS);
    long long prev = 1LL << 40;
    for (int s = 0; s < GEN_SKUS; s++) {
        const cJSON *o = find(top, "sku", gen_skus[s]);
        if (!CHECK(o != NULL))
            continue;
        CHECK_INT(num(o, "inspections"), e->sku_n[s]);
        CHECK_INT(num(o, "with_defects"), e->sku_defects[s]);
        long long n = num(cJSON_GetArrayItem(top, s), "inspections");
        CHECK(n <= prev);
        prev = n;
    }
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(top, 0), "sku")->valuestring, "PH-A");
    /* By defect rate: the highest first, among those with STATS_SKU_MIN or more. */
    const cJSON *bad = cJSON_GetObjectItem(j, "top_skus_by_defect_rate");
    int best = -1;
    for (int s = 0; s < GEN_SKUS; s++)
        if (e->sku_n[s] >= 5 &&
            (best < 0 || e->sku_defects[s] * e->sku_n[best] > e->sku_defects[best] * e->sku_n[s]))
            best = s;
    CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(bad, 0), "sku")->valuestring, gen_skus[best]);
    CHECK_STR(gen_skus[best], "SA-H");
    const cJSON *gj = cJSON_GetObjectItem(j, "graders");
    for (int i = 0; i < GEN_GRADERS; i++) {
        const cJSON *o = find(gj, "badge", gen_graders[i]);
        if (!CHECK(o != NULL))
            continue;
        CHECK_INT(num(o, "inspections"), e->grader_n[i]);
        CHECK_INT(num(o, "active_hours"), e->grader_hours[i]);
    }
    /* Declared reasons against what was found. */
    const cJSON *rj = cJSON_GetObjectItem(j, "reasons");
    for (int k = 0; k < 3; k++) {
        const cJSON *o = find(rj, "reason", gen_reasons[k]);
        if (!CHECK(o != NULL))
            continue;
        CHECK(e->reason_confirmed[k] > 5 && e->reason_not_found[k] > 5);
        CHECK_INT(num(o, "n"), e->reason_n[k]);
        CHECK_INT(num(o, "confirmed"), e->reason_confirmed[k]);
        CHECK_INT(num(o, "not_found"), e->reason_not_found[k]);
    }
    /* Overrides, per grader and by reason; resolutions and return types,
     * in all and per day. */
    const cJSON *po = cJSON_GetObjectItem(j, "policy");
    CHECK(e->overrides > 50 && e->overrides < e->policy_n);
    CHECK_INT(num(po, "inspections"), e->policy_n);
    CHECK_INT(num(po, "overrides"), e->overrides);
    CHECK(fabs(cJSON_GetObjectItem(po, "override_rate")->valuedouble -
               (double)e->overrides / (double)e->policy_n) < 0.001);
    const cJSON *orz = cJSON_GetObjectItem(po, "override_reasons");
    CHECK_INT(cJSON_GetArraySize(orz), 4);
    for (int k = 0; k < 4; k++) {
        const cJSON *o =
            find(orz, "reason", gen_override_reasons[k][0] ? gen_override_reasons[k] : "none");
        CHECK(o && num(o, "n") == e->override_reason[k]);
    }
    for (int i = 0; i < GEN_GRADERS; i++) {
        const cJSON *o = find(gj, "badge", gen_graders[i]);
        CHECK(o && num(o, "policy_inspections") == e->grader_policy[i]);
        CHECK(o && num(o, "overrides") == e->grader_overrides[i]);
    }
    const cJSON *rz = cJSON_GetObjectItem(po, "resolutions");
    const cJSON *rt = cJSON_GetObjectItem(po, "return_types");
    const cJSON *zd = cJSON_GetObjectItem(j, "resolution_per_day");
    for (int k = 0; k < RESOLUTION_COUNT; k++) {
        const char *name = k ? resolution_name((enum resolution)k) : "none";
        CHECK(e->resolutions[k] > 20);
        CHECK_INT(num(rz, name), e->resolutions[k]);
        for (int d = 0; d < 31; d++)
            CHECK_INT(num(cJSON_GetArrayItem(zd, d), name), e->resolution_day[d][k]);
    }
    for (int k = 0; k < RETURN_TYPE_COUNT; k++)
        CHECK_INT(num(rt, k ? return_type_name((enum return_type)k) : "none"), e->return_types[k]);
    const cJSON *cal = cJSON_GetObjectItem(j, "calibration");
    CHECK(e->cal_pairs > 10);
    CHECK_INT(num(cal, "pairs"), e->cal_pairs);
    CHECK_INT(num(cal, "due"), e->cal_due);
    CHECK(fabs(cJSON_GetObjectItem(cal, "agreement")->valuedouble -
               (double)e->cal_agree / (double)e->cal_pairs) < 0.001);
}

/* A number as the report writes it, in its place: ">N<". */
static bool has_cell(const char *html, long long n)
{
    char cell[32];
    snprintf(cell, sizeof cell, ">%lld<", n);
    return strstr(html, cell) != NULL;
}

static void check_report(const char *path, const cJSON *j, const char *lang)
{
    char *html = harness_read_file(path, NULL);
    if (!CHECK(html != NULL))
        return;
    CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    /* Self-contained: no script, nothing fetched. */
    CHECK(!strstr(html, "<script"));
    CHECK(!strstr(html, "http://") && !strstr(html, "https://"));
    CHECK(!strstr(html, "<img") && !strstr(html, "<link") && !strstr(html, "@import"));
    CHECK(strstr(html, "<svg") != NULL);
    CHECK(strstr(html, "@page") != NULL);
    CHECK(strstr(html, strcmp(lang, "zh") ? "Quality report" : "质量报告") != NULL);
    /* Its numbers are the JSON's. */
    CHECK(has_cell(html, num(j, "inspections")));
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "top_skus"))
    {
        char row[160];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 cJSON_GetObjectItem(it, "sku")->valuestring, num(it, "inspections"));
        CHECK(strstr(html, row) != NULL);
        /* its late and wrong-item counts and rates */
        snprintf(
            row, sizeof row, "<td class=\"n\">%lld · %.1f%%</td><td class=\"n\">%lld · %.1f%%</td>",
            num(it, "late"), 100.0 * (double)num(it, "late") / (double)num(it, "inspections"),
            num(it, "mismatch"),
            num(it, "verified") ? 100.0 * (double)num(it, "mismatch") / (double)num(it, "verified")
                                : 0.0);
        CHECK(strstr(html, row) != NULL);
    }
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "categories"))
    {
        char row[160];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 cJSON_GetObjectItem(it, "category")->valuestring, num(it, "inspections"));
        CHECK(strstr(html, row) != NULL);
    }
    /* Per declared reason: declared, confirmed, not found. */
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "reasons"))
    {
        char row[300];
        snprintf(row, sizeof row,
                 "<tr><th>%s</th><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
                 "<td class=\"n\">%lld</td><td class=\"n\">%lld</td>",
                 cJSON_GetObjectItem(it, "reason")->valuestring, num(it, "n"), num(it, "confirmed"),
                 num(it, "not_found"), num(it, "n") - num(it, "confirmed") - num(it, "not_found"));
        CHECK(strstr(html, row) != NULL);
    }
    /* Each grader's returns, and overrides; the override reasons. */
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "graders"))
    {
        char row[300];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 cJSON_GetObjectItem(it, "badge")->valuestring, num(it, "inspections"));
        CHECK(strstr(html, row) != NULL);
        snprintf(row, sizeof row,
                 "<tr><th>%s</th><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
                 "<td class=\"n\">%.1f%%</td>",
                 cJSON_GetObjectItem(it, "badge")->valuestring, num(it, "policy_inspections"),
                 num(it, "overrides"),
                 100.0 * (double)num(it, "overrides") / (double)num(it, "policy_inspections"));
        CHECK(strstr(html, row) != NULL);
    }
    const cJSON *po = cJSON_GetObjectItem(j, "policy");
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(po, "override_reasons"))
    {
        const char *reason = cJSON_GetObjectItem(it, "reason")->valuestring;
        char row[300];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 strcmp(reason, "none") ? reason
                 : strcmp(lang, "zh")   ? "no reason given"
                                        : "未给出原因",
                 num(it, "n"));
        CHECK(strstr(html, row) != NULL);
    }
    /* Resolutions and return types, in the page's words. */
    static const char *const res_words[2][RESOLUTION_COUNT] = {
        {"not decided", "refund", "partial refund", "exchange", "repair", "reject the return",
         "investigate"},
        {"未决定", "退款", "部分退款", "换货", "维修", "拒绝退货", "调查处理"}};
    for (int k = 0; k < RESOLUTION_COUNT; k++) {
        char row[160];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 res_words[strcmp(lang, "zh") == 0][k],
                 num(cJSON_GetObjectItem(po, "resolutions"),
                     k ? resolution_name((enum resolution)k) : "none"));
        CHECK(strstr(html, row) != NULL);
    }
    static const char *const type_words[2][RETURN_TYPE_COUNT] = {
        {"not decided", "quality (seller pays shipping)", "non-quality (customer pays shipping)"},
        {"未决定", "质量问题（卖家承担运费）", "非质量问题（顾客承担运费）"}};
    for (int k = 0; k < RETURN_TYPE_COUNT; k++) {
        char row[200];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 type_words[strcmp(lang, "zh") == 0][k],
                 num(cJSON_GetObjectItem(po, "return_types"),
                     k ? return_type_name((enum return_type)k) : "none"));
        CHECK(strstr(html, row) != NULL);
    }
    /* Late and wrong-item rates, and every section of the contract. */
    char cell[96];
    snprintf(cell, sizeof cell, "<td class=\"n\">%lld · %.1f%%</td>", num(j, "late"),
             100.0 * (double)num(j, "late") / (double)num(j, "inspections"));
    CHECK(strstr(html, cell) != NULL);
    snprintf(cell, sizeof cell, "<td class=\"n\">%lld · %.1f%%</td>", num(j, "mismatch"),
             100.0 * (double)num(j, "mismatch") / (double)num(j, "verified"));
    CHECK(strstr(html, cell) != NULL);
    static const char *const sections[] = {
        "per-day",     "grades", "reasons",     "responsibility", "resolutions", "overrides",
        "by-category", "by-sku", "defect-skus", "defects",        "late-wrong",  "graders"};
    for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) {
        char id[64];
        snprintf(id, sizeof id, "<section id=\"%s\">", sections[k]);
        CHECK(strstr(html, id) != NULL);
    }
    /* Charts over days are not empty: bars are drawn. */
    CHECK(strstr(html, "<rect x=") != NULL);
    for (int g = GRADE_A; g <= GRADE_X; g++) {
        char row[96];
        snprintf(row, sizeof row, "<tr><th>%s</th><td class=\"n\">%lld</td>",
                 grade_name((enum grade)g),
                 num(cJSON_GetObjectItem(j, "grades"), grade_name((enum grade)g)));
        CHECK(strstr(html, row) != NULL);
    }
    free(html);
}

/* Headless Chromium prints the page to PDF and takes a screenshot; its
 * console says nothing went wrong; pdftoppm makes pages of the PDF. */
static void browser(const char *dir, const char *name)
{
    char cmd[2400], *err = NULL;
    const char *flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                        " --disable-background-networking --disable-component-update"
                        " --disable-sync --enable-logging=stderr --v=0";
    snprintf(cmd, sizeof cmd,
             "cd %s && chromium %s --user-data-dir=%s/profile-pdf --print-to-pdf=%s.pdf"
             " --no-pdf-header-footer file://%s/%s.html",
             dir, flags, dir, name, dir, name);
    int rc = harness_sh(cmd, NULL, NULL, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "  %s\n", err ? err : "");
    CHECK(err && !strstr(err, "Uncaught") && !strstr(err, ":CONSOLE("));
    free(err);
    err = NULL;
    snprintf(cmd, sizeof cmd,
             "cd %s && chromium %s --user-data-dir=%s/profile-png --window-size=1100,2400"
             " --screenshot=%s.png file://%s/%s.html",
             dir, flags, dir, name, dir, name);
    rc = harness_sh(cmd, NULL, NULL, &err);
    CHECK_INT(rc, 0);
    CHECK(err && !strstr(err, "Uncaught") && !strstr(err, ":CONSOLE("));
    free(err);
    char path[700];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s.pdf", dir, name);
    CHECK(stat(path, &sb) == 0 && sb.st_size > 10000);
    char *pdf = harness_read_file(path, NULL);
    CHECK(pdf && strncmp(pdf, "%PDF-", 5) == 0);
    free(pdf);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    CHECK(stat(path, &sb) == 0 && sb.st_size > 20000);
    snprintf(cmd, sizeof cmd, "cd %s && pdftoppm -r 60 -png %s.pdf %s-page && ls %s-page-*.png",
             dir, name, name, name);
    char *out = NULL;
    CHECK_INT(harness_sh(cmd, NULL, &out, NULL), 0);
    int pages = 0;
    for (const char *p = out; p && (p = strstr(p, ".png")); p++)
        pages++;
    CHECK(pages >= 2); /* the month does not fit one A4 page */
    free(out);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    if (!harness_have("chromium") || !harness_have("pdftoppm"))
        harness_skip("chromium or pdftoppm is not installed (packaging/deps.sh test)");
    const char *dir = harness_tmpdir();
    char path[700], conf[700], cmd[2000], err[256];
    snprintf(path, sizeof path, "%s/data", dir);
    mkdir(path, 0700);
    snprintf(conf, sizeof conf, "%s/triage.conf", dir);
    harness_write_file(conf, "[station]\nid = SH09-S01\nsite = SH09\ntimezone = Asia/Shanghai\n");
    snprintf(path, sizeof path, "%s/data/triage.db", dir);
    struct store *st = NULL;
    if (!CHECK_INT(store_open(path, "SH09-S01", &st, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    if (!CHECK(gen_fill(&gen, st))) {
        store_close(st);
        return harness_done();
    }
    store_close(st);
    static struct gen_expect e;
    gen_expect(&gen, &e);

    char *out = NULL, *errs = NULL;
    snprintf(cmd, sizeof cmd,
             "%s --config %s --data %s/data stats --from 2026-10-01 --to 2026-10-31"
             " --format json",
             harness_triage(), conf, dir);
    CHECK_INT(harness_sh(cmd, NULL, &out, &errs), 0);
    cJSON *j = cJSON_Parse(out ? out : "");
    if (!CHECK(j != NULL)) {
        fprintf(stderr, "  %s\n", errs ? errs : "");
        return harness_done();
    }
    compare(j, &e);
    free(out);
    free(errs);

    /* A zone the system does not have is refused with its id. */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/bad.conf", dir);
    harness_write_file(bad, "[station]\ntimezone = Asia/Atlantis\n");
    snprintf(cmd, sizeof cmd, "%s --config %s --data %s/data stats", harness_triage(), bad, dir);
    errs = NULL;
    CHECK(harness_sh(cmd, NULL, NULL, &errs) != 0);
    CHECK(errs && strstr(errs, "E128: ") && strstr(errs, "Asia/Atlantis"));
    free(errs);

    for (int l = 0; l < 2; l++) {
        const char *lang = l ? "zh" : "en";
        char name[32];
        snprintf(name, sizeof name, "report-%s", lang);
        snprintf(cmd, sizeof cmd,
                 "%s --config %s --data %s/data --lang %s report --from 2026-10-01"
                 " --to 2026-10-31 --out %s/%s.html",
                 harness_triage(), conf, dir, lang, dir, name);
        errs = NULL;
        if (!CHECK_INT(harness_sh(cmd, NULL, NULL, &errs), 0))
            fprintf(stderr, "  %s\n", errs ? errs : "");
        CHECK(errs && strstr(errs, "I770 "));
        free(errs);
        snprintf(path, sizeof path, "%s/%s.html", dir, name);
        check_report(path, j, lang);
        browser(dir, name);
    }
    /* --out is required; a report never half-written. */
    snprintf(cmd, sizeof cmd, "%s --config %s --data %s/data report", harness_triage(), conf, dir);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "%s --config %s --data %s/data report --out %s/nowhere/r.html",
             harness_triage(), conf, dir, dir);
    errs = NULL;
    CHECK_INT(harness_sh(cmd, NULL, NULL, &errs), 1);
    CHECK(errs && strstr(errs, "E775"));
    free(errs);
    cJSON_Delete(j);
    return harness_done();
}
