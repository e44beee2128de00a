/*
 * test_e2e.c — the real binary, end to end, headless: operators and a
 * manifest added through the command line, three returns graded by a script,
 * the export read back, a reprint and the audit rows of it all, and every
 * label PNG decoded to its plate by zbarimg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "harness.h"

static char data[600], cmd[4096];

static void day_offset(int days, char out[11])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int triage(const char *args, const char *input, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --data '%s' %s", harness_triage(),
             data, args);
    return harness_sh(cmd, input, out, err);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* One number from the station's database, or -1. */
static int db_int(const char *sql)
{
    char path[700];
    snprintf(path, sizeof path, "%s/triage.db", data);
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static cJSON *export_lines[8];
static int nexport;

static void read_export(void)
{
    char *out = NULL, *err = NULL;
    CHECK_INT(triage("export", NULL, &out, &err), 0);
    nexport = 0;
    for (char *line = out ? strtok(out, "\n") : NULL; line && nexport < 8;
         line = strtok(NULL, "\n"))
        export_lines[nexport++] = cJSON_Parse(line);
    free(out);
    free(err);
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool flag(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

int main(void)
{
    const char *tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);
    char *out = NULL, *err = NULL;

    /* Operators and a manifest, as head office and IT would set them up. */
    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL), 0);
    char manifest[700], old[11], recent[11], text[2048];
    day_offset(-30, old);
    day_offset(-2, recent);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", tmp);
    snprintf(text, sizeof text,
             "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
             "RMA-E2E-1,O-1,PH-IP15-128,0195949038488,,\"Phone 15, 128 GB\",defective,%s\n"
             "RMA-E2E-2,O-2,AP-JKT-M,,SN-1234,Rain jacket M,changed_mind,%s\n",
             old, recent);
    harness_write_file(manifest, text);
    snprintf(text, sizeof text, "import-manifest '%s'", manifest);
    CHECK_INT(triage(text, NULL, &out, NULL), 0);
    CHECK(out && strstr(out, "imported 2"));
    free(out);

    /* The script: three returns, with `expect` at every step. */
    snprintf(text, sizeof text, "--config tests/e2e/camera.conf --script tests/e2e/three_returns.script --shots '%s/shots'", tmp);
    int rc = triage(text, NULL, &out, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s", err ? err : "");
    CHECK_INT(count(err, " saved "), 3);
    free(out);

    /* The screens the script shot exist and are PNGs. */
    const char *shots[] = {"item-late", "summary-phone", "check-mismatch", "item-blind",
                           "summary-blind", "scan-after"};
    for (size_t i = 0; i < sizeof shots / sizeof *shots; i++) {
        char p[800];
        snprintf(p, sizeof p, "%s/shots/%s.png", tmp, shots[i]);
        size_t len = 0;
        char *png = harness_read_file(p, &len);
        CHECK(png && len > 1000 && !memcmp(png, "\x89PNG", 4));
        free(png);
    }

    /* What was saved, as head office will see it. */
    read_export();
    CHECK_INT(nexport, 3);
    if (nexport == 3) {
        const cJSON *a = export_lines[0], *b = export_lines[1], *c = export_lines[2];
        CHECK_STR(str(a, "rma"), "RMA-E2E-1");
        CHECK_STR(str(a, "category"), "phone");
        CHECK_STR(str(a, "grade"), "B");
        CHECK_STR(str(a, "disposition"), "open_box");
        CHECK(flag(a, "late"));
        CHECK(!flag(a, "mismatch"));
        CHECK_STR(str(a, "operator"), "1001");
        /* Declared defective, every function check passed, returned late:
         * not found, and rejected. */
        CHECK_STR(str(a, "reason"), "defective");
        CHECK_STR(str(a, "reason_check"), "not_found");
        CHECK_STR(str(a, "return_type"), "non_quality");
        CHECK_STR(str(a, "resolution"), "reject");
        CHECK_STR(str(b, "category"), "apparel");
        CHECK(flag(b, "mismatch"));
        CHECK(!flag(b, "late"));
        CHECK_STR(str(b, "serial"), "SN-9999");
        CHECK_STR(str(b, "resolution"), "investigate"); /* not the item expected */
        CHECK_STR(str(b, "responsibility_suggested"), "customer"); /* faded, carton intact */
        CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(b, "skipped")) == 0);
        CHECK_STR(str(c, "rma"), "RMA-E2E-404");
        CHECK_STR(str(c, "category"), "appliance");
        CHECK_STR(str(c, "grade"), "X");
        CHECK_STR(str(c, "responsibility"), "logistics");
        CHECK_STR(str(c, "responsibility_suggested"), "logistics"); /* the crushed carton */
        CHECK_STR(str(c, "resolution"), "refund");
        CHECK_STR(str(c, "return_type"), "quality");
        CHECK(flag(c, "blind"));
        for (int i = 0; i < 3; i++) {
            char want[32];
            snprintf(want, sizeof want, "SH01-S01-%06d", i + 1);
            CHECK_STR(str(export_lines[i], "plate"), want);
        }
    }

    /* One login, one audit row: the PIN check's, with the grader as actor. */
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event LIKE 'login%'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'login' AND badge = '1001'"), 1);
    /* Three saves queued three labels, in their commits; none twice. */
    CHECK_INT(db_int("SELECT count(*) FROM print_jobs WHERE kind = 'label'"), 3);
    CHECK_INT(db_int("SELECT count(*) FROM print_jobs WHERE kind = 'reprint'"), 0);

    /* A reprint: its own job, and an audit row naming the grader as the
     * actor and the plate as the subject. */
    char again[700];
    snprintf(again, sizeof again, "%s/reprint.script", tmp);
    harness_write_file(again, "scan 1001\ntext 123456\nkey Return\nexpect scan\n"
                              "scan SH01-S01-000002\nexpect item\nkey F5\nexpect item\n"
                              "key Escape\nexpect scan\nkey F12\nexpect login\nquit\n");
    snprintf(text, sizeof text, "--script '%s'", again);
    free(err);
    err = NULL;
    rc = triage(text, NULL, NULL, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s", err ? err : "");
    CHECK(err && strstr(err, "label SH01-S01-000002 queued again (reprint)"));
    CHECK_INT(db_int("SELECT count(*) FROM print_jobs WHERE kind = 'reprint' AND"
                     " plate = 'SH01-S01-000002'"),
              1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'reprint'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'reprint' AND badge = '1001'"
                     " AND subject = 'SH01-S01-000002'"),
              1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'logout' AND badge = '1001'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'login'"), 2);

    /* Every label decodes back to its plate. */
    if (!harness_have("zbarimg"))
        harness_skip("zbarimg is not installed");
    for (int i = 0; i < nexport; i++) {
        const char *plate = str(export_lines[i], "plate");
        if (!plate)
            continue;
        char *zout = NULL;
        snprintf(text, sizeof text, "zbarimg --nodbus -q --raw -Scode128.enable '%s/labels/%s.png'",
                 data, plate);
        CHECK_INT(harness_sh(text, NULL, &zout, NULL), 0);
        CHECK(zout && strstr(zout, plate));
        free(zout);
    }

    /* A failed `expect` stops the run with status 3. */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/bad.script", tmp);
    harness_write_file(bad, "expect scan\n");
    snprintf(text, sizeof text, "--script '%s'", bad);
    free(err);
    err = NULL;
    CHECK_INT(triage(text, NULL, NULL, &err), 3);
    CHECK(err && strstr(err, "E929"));

    for (int i = 0; i < nexport; i++)
        cJSON_Delete(export_lines[i]);
    free(err);
    return harness_done();
}
