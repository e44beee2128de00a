/*
 * test_e2e_truth.c — the real binary, end to end, headless: every outcome
 * says what happened. A return of three units graded unit by unit, its RMA
 * scanned again, an item scan skipped, another product in a return
 * (tests/e2e/units.script); then the station killed with SIGKILL in the
 * middle of a checklist (its script fed through a pipe, so the kill lands
 * after the second answer is kept) and, after the restart, the resume screen
 * and the checklist finished (tests/e2e/resume.script). The export (NDJSON
 * and CSV) is read back field by field, the labels' ZPL for their flags, and
 * the manifest imported again on the used station. Last, the demo script on
 * a fresh and on a used station.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "db_file.h"
#include "harness.h"

static char data[600], dbpath[700], cmd[4096];

static void day_offset(int days, char out[11])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int triage_in(const char *dir, const char *args, const char *input, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --data '%s' %s", harness_triage(),
             dir, args);
    return harness_sh(cmd, input, out, err);
}

static int triage(const char *args, const char *input, char **out, char **err)
{
    return triage_in(data, args, input, out, err);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p++)
        n++;
    return n;
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

static int num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int)v->valuedouble : -1;
}

static cJSON *records[16];
static int nrecords;

static void read_export(void)
{
    for (int i = 0; i < nrecords; i++)
        cJSON_Delete(records[i]);
    nrecords = 0;
    char *out = NULL;
    CHECK_INT(triage("export", NULL, &out, NULL), 0);
    for (char *line = out ? strtok(out, "\n") : NULL; line && nrecords < 16;
         line = strtok(NULL, "\n"))
        records[nrecords++] = cJSON_Parse(line);
    free(out);
}

/* The label's ZPL of plate, malloc'd (or NULL). */
static char *label_zpl(const char *plate)
{
    char path[800];
    snprintf(path, sizeof path, "%s/labels/%s.zpl", data, plate);
    return harness_read_file(path, NULL);
}

/* The killed run: the script goes line by line through a pipe; once the
 * grader's second answer is kept (in the drafts table), SIGKILL. */
static void run_and_kill(void)
{
    char fifo[700], logpath[700];
    snprintf(fifo, sizeof fifo, "%s/kill.script", harness_tmpdir());
    snprintf(logpath, sizeof logpath, "%s/killed.log", harness_tmpdir());
    unlink(fifo);
    if (!CHECK(mkfifo(fifo, 0600) == 0))
        return;
    pid_t pid = fork();
    if (pid == 0) {
        FILE *e = freopen(logpath, "w", stderr);
        (void)e;
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        unsetenv("DISPLAY");
        execl(harness_triage(), "triage", "--config", "tests/e2e/camera.conf", "--data", data,
              "--script", fifo, (char *)NULL);
        _exit(127);
    }
    FILE *f = fopen(fifo, "w");
    if (!CHECK(f != NULL)) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    fputs("expect login\nscan 1001\ntext 123456\nkey Return\nexpect scan\n"
          "scan RMA-E2E-K\nexpect item\nscan KT17-0099812\nexpect check\n"
          "key 3\nkey 2\nexpect photo\nkey Return\nexpect check\nkey 2\n",
          f);
    int64_t answers = -1;
    for (int waited = 0; waited < 20000 && answers != 3; waited += 20) {
        answers = db_file_int(dbpath, "SELECT json_array_length(state, '$.insp.answers')"
                                      " FROM drafts WHERE badge = '1001'");
        if (answers != 3)
            usleep(20000);
    }
    CHECK_INT(answers, 3);
    /* In the middle of the checklist: housing broken, the outer carton
     * crushed (its photo taken), a noise; the warranty seal's question is on
     * the screen. */
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(f);
    unlink(fifo);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    char *log = harness_read_file(logpath, NULL);
    CHECK_INT(count(log, " saved "), 0); /* nothing of it was an outcome */
    free(log);
}

static void check_units(void)
{
    /* Three units of one RMA, each an outcome of its own, none twice. */
    const cJSON *u[3] = {records[0], records[1], records[2]};
    for (int i = 0; i < 3; i++) {
        CHECK_STR(str(u[i], "rma"), "RMA-E2E-U");
        CHECK_INT(num(u[i], "unit"), i + 1);
        CHECK_INT(num(u[i], "units"), 3);
        CHECK(!flag(u[i], "extra_unit"));
        CHECK(!flag(u[i], "wrong_item"));
        CHECK(!flag(u[i], "mismatch"));
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(u[i], "supersedes")));
    }
    CHECK_STR(str(u[0], "item_check"), "matched");
    CHECK_STR(str(u[0], "scanned_item"), "4012345000290");
    CHECK_STR(str(u[0], "gtin"), "04012345000290");
    /* Skipped: not verified, and said so; the manifest's GTIN is carried. */
    CHECK_STR(str(u[1], "item_check"), "skipped");
    CHECK_STR(str(u[1], "scanned_item"), "");
    CHECK_STR(str(u[1], "gtin"), "4012345000290");
    CHECK_STR(str(u[2], "item_check"), "matched");
    CHECK_STR(str(u[2], "scanned_item"), "4012345000290");
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM inspections WHERE rma = 'RMA-E2E-U'"), 3);
    /* The re-scan reprinted the third; it made nothing new. */
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM print_jobs WHERE kind = 'reprint'"
                                  " AND plate = 'SH01-S01-000003'"),
              1);
    for (int i = 0; i < 3; i++) {
        char plate[32], want[32];
        snprintf(plate, sizeof plate, "SH01-S01-%06d", i + 1);
        snprintf(want, sizeof want, "UNIT %d/3", i + 1);
        char *zpl = label_zpl(plate);
        if (!CHECK(zpl && strstr(zpl, want)))
            fprintf(stderr, "  %s: no \"%s\" on its label\n", plate, want);
        free(zpl);
    }
}

static void check_wrong_product(void)
{
    const cJSON *w = records[3];
    CHECK_STR(str(w, "rma"), "RMA-E2E-W");
    CHECK_STR(str(w, "item_check"), "mismatched");
    CHECK(flag(w, "wrong_item") && flag(w, "mismatch"));
    CHECK_STR(str(w, "scanned_item"), "0195949038488");
    CHECK_STR(str(w, "sku"), "AP-JKT-DWN-M");    /* what was expected */
    CHECK_STR(str(w, "gtin"), "00195949038488"); /* what is in hand */
    CHECK_STR(str(w, "category"), "phone");      /* graded as what it is */
    CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(w, "answers")) == 5);
    CHECK_INT(num(w, "unit"), 1);
    CHECK_INT(num(w, "units"), 1);
    char *zpl = label_zpl(str(w, "plate") ? str(w, "plate") : "");
    CHECK(zpl && strstr(zpl, "WRONG ITEM") && strstr(zpl, "EXPECTED SKU") &&
          strstr(zpl, "AP-JKT-DWN-M") && strstr(zpl, "0195949038488"));
    CHECK(zpl && !strstr(zpl, "Down jacket")); /* not the manifest's words on a phone */
    CHECK(zpl && !strstr(zpl, "UNIT "));       /* one unit: no unit flag */
    free(zpl);
}

static void check_resumed(void)
{
    const cJSON *k = records[4];
    CHECK_STR(str(k, "rma"), "RMA-E2E-K");
    CHECK_STR(str(k, "item_check"), "matched");
    CHECK_STR(str(k, "scanned_item"), "KT17-0099812");
    const cJSON *a = cJSON_GetObjectItem(k, "answers");
    /* The three answers given before the kill, and the two after. */
    CHECK_STR(str(a, "housing"), "broken");
    CHECK_STR(str(a, "carton"), "crushed");
    CHECK_STR(str(a, "runs"), "noise");
    CHECK_STR(str(a, "seal"), "intact");
    CHECK_STR(str(a, "parts"), "all");
    CHECK_STR(str(k, "grade"), "X");
    /* Declared defective, and it is: the carrier broke it (the crushed
     * carton): refunded, the claim on the carrier. */
    CHECK_STR(str(k, "reason_check"), "confirmed");
    CHECK_STR(str(k, "responsibility"), "logistics");
    CHECK_STR(str(k, "resolution"), "refund");
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM drafts"), 0);
}

/* The CSV has the same new fields, in the same order, with the same values. */
static void check_csv(void)
{
    char *out = NULL;
    CHECK_INT(triage("export --format csv", NULL, &out, NULL), 0);
    CHECK(out && strstr(out, ",calibrates,item_check,scanned_item,wrong_item,unit,units,"
                             "extra_unit,skipped,reason,reason_check,responsibility_suggested,"
                             "responsibility_reason,return_type,resolution,photos,photos_waived\r\n"));
    /* … and the grading policy after them: the checks not asked, the
     * declared reason against what was found, the suggestion, the
     * resolution. */
    CHECK(out && strstr(out, ",matched,4012345000290,false,1,3,false,carton,changed_mind,none,,,"
                             "non_quality,refund,,\r\n"));
    CHECK(out && strstr(out, ",skipped,,false,2,3,false,carton,changed_mind,none,,,non_quality,"
                             "refund,,\r\n"));
    CHECK(out && strstr(out, ",matched,4012345000290,false,3,3,false,carton,changed_mind,none,"
                             "customer,,non_quality,partial_refund,,\r\n"));
    CHECK(out && strstr(out, ",mismatched,0195949038488,true,1,1,false,carton;seal,defective,"
                             "not_found,,,non_quality,investigate,,\r\n"));
    CHECK(out && strstr(out, ",matched,KT17-0099812,false,1,1,false,,defective,confirmed,"
                             "logistics,,quality,refund,carton:photos/SH01-S01-"));
    free(out);
}

/* The manifest again on the used station, with one return more: the RMAs
 * with an outcome keep their rows, each reported with its line; the new one
 * is applied. */
static void check_reimport(const char *manifest)
{
    char *out = NULL, *err = NULL, args[900];
    char *text = harness_read_file(manifest, NULL);
    char again[800], more[4096];
    snprintf(again, sizeof again, "%s/again/manifest.csv", harness_tmpdir());
    snprintf(more, sizeof more, "mkdir -p '%s/again'", harness_tmpdir());
    CHECK_INT(harness_sh(more, NULL, NULL, NULL), 0);
    snprintf(more, sizeof more, "%sRMA-E2E-N,O-4,AP-SCF,,,Scarf,no longer needed,,\n",
             text ? text : "");
    free(text);
    harness_write_file(again, more);
    snprintf(args, sizeof args, "import-manifest '%s'", again);
    CHECK_INT(triage(args, NULL, &out, &err), 0);
    CHECK(err && strstr(err, "W418: ") && strstr(err, "manifest.csv:2: RMA-E2E-U"));
    CHECK(err && strstr(err, "manifest.csv:3: RMA-E2E-W"));
    CHECK(err && strstr(err, "manifest.csv:4: RMA-E2E-K"));
    CHECK_INT(count(err, "W418"), 3);
    CHECK(out && strstr(out, "imported 1 ") && strstr(out, "3 not applied"));
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM manifest WHERE rma = 'RMA-E2E-N'"), 1);
    free(out);
    free(err);
    CHECK_INT(db_file_int(dbpath, "SELECT quantity FROM manifest WHERE rma = 'RMA-E2E-U'"), 3);
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM audit WHERE event = 'manifest_import'"
                                  " AND detail LIKE '%1 rows, 3 not applied%'"),
              1);
}

/* The demo script runs on a fresh station and again on the used one: there
 * the RMA has its outcome, Return re-grades it, and the re-grade replaces it. */
static void check_demo_twice(void)
{
    char demo[700], args[900];
    snprintf(demo, sizeof demo, "%s/demo", harness_tmpdir());
    CHECK_INT(
        triage_in(demo, "operator add --badge 1001 --name A --role grader", "123456\n", NULL, NULL),
        0);
    CHECK_INT(triage_in(demo, "import-manifest demo/manifest.csv", NULL, NULL, NULL), 0);
    snprintf(args, sizeof args, "--script tests/e2e/demo.script --shots '%s/shots'", demo);
    for (int run = 0; run < 2; run++) {
        char *err = NULL;
        int rc = triage_in(demo, args, NULL, NULL, &err);
        if (!CHECK_INT(rc, 0))
            fprintf(stderr, "demo run %d:\n%s", run + 1, err ? err : "");
        free(err);
    }
    char path[800];
    snprintf(path, sizeof path, "%s/triage.db", demo);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM inspections WHERE rma = 'RMA-1001'"), 2);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM inspections WHERE rma = 'RMA-1001'"
                                " AND supersedes = 'SH01-S01-000001'"),
              1);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM audit WHERE event = 'regrade'"), 1);

    /* A station where the demo grader left an inspection unfinished: the
     * demo discards it and runs. */
    char left[800];
    snprintf(left, sizeof left, "%s/left.script", harness_tmpdir());
    harness_write_file(left, "scan 1001\ntext 123456\nkey Return\nexpect scan\n"
                             "scan RMA-1002\nkey Return\nexpect check\nkey 1\nquit\n");
    snprintf(args, sizeof args, "--script '%s'", left);
    CHECK_INT(triage_in(demo, args, NULL, NULL, NULL), 0);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM drafts WHERE rma = 'RMA-1002'"), 1);
    snprintf(args, sizeof args, "--script tests/e2e/demo.script --shots '%s/shots'", demo);
    CHECK_INT(triage_in(demo, args, NULL, NULL, NULL), 0);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM drafts"), 0);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM audit WHERE event = 'draft_discard'"
                                " AND badge = '1001' AND subject = 'RMA-1002'"),
              1);
    CHECK_INT(db_file_int(path, "SELECT count(*) FROM inspections WHERE rma = 'RMA-1001'"), 3);
}

int main(void)
{
    const char *tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);
    snprintf(dbpath, sizeof dbpath, "%s/triage.db", data);

    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL),
              0);
    char manifest[700], recent[11], text[2048];
    day_offset(-2, recent);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", tmp);
    snprintf(text, sizeof text,
             "rma,order_id,sku,gtin,serial,description,reason,delivered_at,quantity\n"
             "RMA-E2E-U,O-1,AP-TEE-S,4012345000290,,T-shirt S,changed_mind,%s,3\n"
             "RMA-E2E-W,O-2,AP-JKT-DWN-M,4012345000122,,\"Down jacket, men's M\",defective,%s,\n"
             "RMA-E2E-K,O-3,KT-KETL-17,,KT17-0099812,Kettle 1.7 L,defective,%s,1\n",
             recent, recent, recent);
    harness_write_file(manifest, text);
    snprintf(text, sizeof text, "import-manifest '%s'", manifest);
    CHECK_INT(triage(text, NULL, NULL, NULL), 0);
    CHECK_INT(db_file_int(dbpath, "SELECT quantity FROM manifest WHERE rma = 'RMA-E2E-W'"), 1);

    /* A quantity that is not a positive integer: nothing of the file. */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/bad.csv", tmp);
    harness_write_file(bad, "rma,sku,quantity\nRMA-Q1,AP-1,2\nRMA-Q2,AP-2,0\n");
    snprintf(text, sizeof text, "import-manifest '%s'", bad);
    char *err = NULL;
    CHECK_INT(triage(text, NULL, NULL, &err), 1);
    CHECK(err && strstr(err, "E417: ") && strstr(err, "bad.csv:3: "));
    free(err);
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM manifest WHERE rma LIKE 'RMA-Q%'"), 0);

    /* Units, a re-scan, a skipped scan, another product. */
    snprintf(text, sizeof text, "--script tests/e2e/units.script --shots '%s/shots'", tmp);
    err = NULL;
    int rc = triage(text, NULL, NULL, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s", err ? err : "");
    CHECK_INT(count(err, " saved "), 4);
    free(err);

    /* Killed in the middle of a checklist, then the restart. */
    run_and_kill();
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM inspections"), 4);
    CHECK_INT(db_file_int(dbpath, "SELECT count(*) FROM drafts WHERE badge = '1001'"
                                  " AND rma = 'RMA-E2E-K'"),
              1);
    snprintf(text, sizeof text, "--script tests/e2e/resume.script --shots '%s/shots'", tmp);
    err = NULL;
    rc = triage(text, NULL, NULL, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s", err ? err : "");
    CHECK_INT(count(err, " saved "), 1);
    free(err);

    read_export();
    CHECK_INT(nrecords, 5);
    if (nrecords == 5) {
        check_units();
        check_wrong_product();
        check_resumed();
    }
    check_csv();
    const char *shots[] = {"unit1-item",    "unit1-summary", "all-graded", "wrong-pick",
                           "wrong-summary", "resume",        "resumed",    "resumed-summary"};
    for (size_t i = 0; i < sizeof shots / sizeof *shots; i++) {
        char p[800];
        snprintf(p, sizeof p, "%s/shots/%s.png", tmp, shots[i]);
        size_t len = 0;
        char *png = harness_read_file(p, &len);
        if (!CHECK(png && len > 1000 && !memcmp(png, "\x89PNG", 4)))
            fprintf(stderr, "  no screenshot %s\n", shots[i]);
        free(png);
    }
    check_reimport(manifest);
    check_demo_twice();
    for (int i = 0; i < nrecords; i++)
        cJSON_Delete(records[i]);
    return harness_done();
}
