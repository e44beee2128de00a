/*
 * test_e2e_policy.c — the grading policy, end to end: the real binary with
 * the demo rules runs tests/e2e/policy.script (a late return rejected, a
 * branching checklist with an override and its reason, carrier damage
 * decided by the outer carton), and what it saved is read back: the export
 * record of each, the audit row of the override (the grader as actor, the
 * plate as subject, from what to what and why), the labels in English, and
 * a label in Chinese from a station whose [printer] lang says so.
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

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "(not a string)";
}

/* The ids of a JSON array of strings, joined by " ". */
static void joined(const cJSON *a, char *out, size_t outlen)
{
    out[0] = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, a)
    {
        size_t n = strlen(out);
        snprintf(out + n, outlen - n, "%s%s", n ? " " : "",
                 cJSON_IsString(it) ? it->valuestring : "?");
    }
}

static char *label_zpl(const char *plate)
{
    char path[800];
    snprintf(path, sizeof path, "%s/labels/%s.zpl", data, plate);
    return harness_read_file(path, NULL);
}

int main(void)
{
    const char *tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);
    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL),
              0);
    char manifest[700], old[11], recent[11], text[2048];
    day_offset(-30, old);
    day_offset(-2, recent);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", tmp);
    snprintf(text, sizeof text,
             "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
             "RMA-P-LATE,O-1,PH-IP15-128,0195949038488,,Phone 15,No longer needed,%s\n"
             "RMA-P-DOA,O-2,PH-IP15-128,0195949038488,,Phone 15,Defective,%s\n"
             "RMA-P-CARRIER,O-3,KT-KETL-17,,,Kettle 1.7 L,damaged,%s\n",
             old, recent, recent);
    harness_write_file(manifest, text);
    snprintf(text, sizeof text, "import-manifest '%s'", manifest);
    CHECK_INT(triage(text, NULL, NULL, NULL), 0);

    char *out = NULL, *err = NULL;
    snprintf(text, sizeof text, "--config tests/e2e/camera.conf --script tests/e2e/policy.script --shots '%s/shots'", tmp);
    if (!CHECK_INT(triage(text, NULL, NULL, &err), 0))
        fprintf(stderr, "%s", err ? err : "");
    free(err);
    const char *shots[] = {"late-summary", "doa-power",    "doa-seal",
                           "doa-summary",  "doa-override", "carrier-summary"};
    for (size_t i = 0; i < sizeof shots / sizeof *shots; i++) {
        char p[800];
        size_t len = 0;
        snprintf(p, sizeof p, "%s/shots/%s.png", tmp, shots[i]);
        char *png = harness_read_file(p, &len);
        CHECK(png && len > 1000 && !memcmp(png, "\x89PNG", 4));
        free(png);
    }

    /* What was saved. */
    CHECK_INT(triage("export", NULL, &out, NULL), 0);
    cJSON *rec[3] = {NULL, NULL, NULL};
    int n = 0;
    for (char *line = out ? strtok(out, "\n") : NULL; line && n < 3; line = strtok(NULL, "\n"))
        rec[n++] = cJSON_Parse(line);
    free(out);
    if (!CHECK_INT(n, 3))
        return harness_done();
    char list[200];

    /* 1. late, not the product's fault: rejected; the customer pays. */
    CHECK_STR(str(rec[0], "reason"), "No longer needed");
    CHECK_STR(str(rec[0], "reason_check"), "none");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(rec[0], "late")));
    CHECK_STR(str(rec[0], "return_type"), "non_quality");
    CHECK_STR(str(rec[0], "resolution"), "reject");
    joined(cJSON_GetObjectItem(rec[0], "skipped"), list, sizeof list);
    CHECK_STR(list, "carton seal");
    CHECK_STR(str(rec[0], "responsibility_reason"), "");

    /* 2. branching: no touch check after "does not power on"; the seal asked;
     *    the suggestion kept, the override and its reason recorded. */
    joined(cJSON_GetObjectItem(rec[1], "skipped"), list, sizeof list);
    CHECK_STR(list, "carton touch");
    const cJSON *ans = cJSON_GetObjectItem(rec[1], "answers");
    CHECK(cJSON_GetArraySize(ans) == 5);
    CHECK_STR(str(ans, "power"), "no");
    CHECK_STR(str(ans, "seal"), "intact");
    CHECK(!cJSON_HasObjectItem(ans, "touch"));
    CHECK_STR(str(rec[1], "reason_check"), "confirmed");
    CHECK_STR(str(rec[1], "responsibility_suggested"), "merchant");
    CHECK_STR(str(rec[1], "responsibility"), "customer");
    CHECK_STR(str(rec[1], "responsibility_reason"), "customer_statement");
    CHECK_STR(str(rec[1], "return_type"), "quality");
    CHECK_STR(str(rec[1], "resolution"), "refund");
    CHECK_STR(str(rec[1], "grade"), "X");
    const char *plate2 = str(rec[1], "plate");
    snprintf(text, sizeof text,
             "SELECT count(*) FROM audit WHERE event = 'responsibility_override'"
             " AND badge = '1001' AND subject = '%s'"
             " AND detail = 'suggested merchant, confirmed customer: customer_statement'",
             plate2);
    CHECK_INT(db_int(text), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'responsibility_override'"), 1);

    /* 3. the carrier's damage: refunded, the claim on the carrier. */
    CHECK_STR(str(rec[2], "category"), "appliance");
    CHECK_STR(str(ans = cJSON_GetObjectItem(rec[2], "answers"), "carton"), "crushed");
    CHECK_STR(str(rec[2], "responsibility_suggested"), "logistics");
    CHECK_STR(str(rec[2], "responsibility"), "logistics");
    CHECK_STR(str(rec[2], "reason_check"), "confirmed");
    CHECK_STR(str(rec[2], "resolution"), "refund");
    joined(cJSON_GetObjectItem(rec[2], "skipped"), list, sizeof list);
    CHECK_STR(list, "seal");

    /* The labels say it, in words. */
    char *zpl = label_zpl(str(rec[0], "plate"));
    CHECK(zpl && strstr(zpl, "^FDREJECT / NON-QUALITY^FS") && strstr(zpl, "^FR^FDLATE^FS") &&
          strstr(zpl, "No longer needed: NOT A QUALITY REASON") && strstr(zpl, "RES=reject"));
    free(zpl);
    zpl = label_zpl(plate2);
    CHECK(zpl && strstr(zpl, "^FDCUSTOMER^FS") && strstr(zpl, "^FDREFUND / QUALITY^FS") &&
          strstr(zpl, "Defective: CONFIRMED") && strstr(zpl, "Dead on arrival") &&
          strstr(zpl, "^FD1001^FS") && strstr(zpl, "RSP=customer"));
    free(zpl);
    zpl = label_zpl(str(rec[2], "plate"));
    CHECK(zpl && strstr(zpl, "^FDLOGISTICS^FS") && strstr(zpl, "Broken housing"));
    free(zpl);

    /* A station whose labels are in Chinese: the reprint of the first. */
    char conf[700], script[700];
    snprintf(conf, sizeof conf, "%s/zh.conf", tmp);
    harness_write_file(conf, "[station]\nid = SH01-S01\n[printer]\ntype = folder\nlang = zh\n");
    snprintf(script, sizeof script, "%s/reprint.script", tmp);
    snprintf(text, sizeof text,
             "scan 1001\ntext 123456\nkey Return\nexpect scan\nscan %s\nexpect item\nkey F5\n"
             "expect item\nkey Escape\nexpect scan\nquit\n",
             str(rec[0], "plate"));
    harness_write_file(script, text);
    snprintf(text, sizeof text, "--config '%s' --script '%s'", conf, script);
    err = NULL;
    if (!CHECK_INT(triage(text, NULL, NULL, &err), 0))
        fprintf(stderr, "%s", err ? err : "");
    free(err);
    zpl = label_zpl(str(rec[0], "plate"));
    CHECK(zpl && strstr(zpl, "^GFA") && !strstr(zpl, "REJECT") && !strstr(zpl, "STATION") &&
          strstr(zpl, "RES=reject"));
    free(zpl);

    for (int i = 0; i < n; i++)
        cJSON_Delete(rec[i]);
    return harness_done();
}
