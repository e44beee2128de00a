/*
 * test_print_station.c — the real binary with a zpl-tcp printer.
 *
 * 1. The printer is away: a script grades a phone and reprints its label
 *    (scan the plate, F5). The station does not wait for the printer: the
 *    run ends at once, both jobs (label, reprint) wait in the database, the
 *    reprint is in the audit log, and the log says why nothing printed.
 * 2. The printer is back: the next start sends both, once each, and the
 *    queue is empty afterwards. The label (Chinese description) is rendered
 *    by zpl-renderer-js and read back.
 */
#include <sqlite3.h>

#include "print_fake.h"

static char data[600], conf[700], cmd[4096];

static int triage(const char *args, const char *input, char **out, char **err)
{
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' --config '%s' --data '%s' %s",
             harness_triage(), conf, data, args);
    return harness_sh(cmd, input, out, err);
}

static int db_int(const char *sql)
{
    char path[700];
    snprintf(path, sizeof path, "%s/triage.db", data);
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static const char script[] = "scan 1001\n"
                             "text 123456\n"
                             "key Return\n"
                             "expect scan\n"
                             "scan RMA-PRN-1\n"
                             "expect item\n"
                             "scan ]E00195949038488\n"
                             "expect check\n"
                             "key 2\nkey 1\nkey 1\nkey 1\nkey 1\n"
                             "expect summary\n"
                             "key Return\n"
                             "expect scan\n"
                             "scan SH01-S05-000001\n"
                             "expect item\n"
                             "key F5\n"
                             "wait 100\n"
                             "quit\n";

int main(void)
{
    const char *tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);
    snprintf(conf, sizeof conf, "%s/triage.conf", tmp);
    struct fake_printer f;
    fake_init(&f);
    CHECK(fake_start(&f)); /* a free port; then the printer is away */
    fake_stop(&f);
    char text[2048];
    snprintf(text, sizeof text,
             "[station]\nid = SH01-S05\n\n[printer]\ntype = zpl-tcp\naddress = 127.0.0.1:%d\n"
             "size = 4x6\ndpi = 203\n",
             f.port);
    harness_write_file(conf, text);

    CHECK_INT(triage("operator add --badge 1001 --name 'Ana Grader' --role grader", "123456\n",
                     NULL, NULL),
              0);
    char manifest[700];
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", tmp);
    harness_write_file(manifest,
                       "rma,order_id,sku,gtin,serial,description,reason,delivered_at\n"
                       "RMA-PRN-1,O-1,PH-IP15-128,0195949038488,,\"手机 Phone 15, 128 GB\","
                       "defective,2026-11-20\n");
    snprintf(text, sizeof text, "import-manifest '%s'", manifest);
    CHECK_INT(triage(text, NULL, NULL, NULL), 0);
    char spath[700];
    snprintf(spath, sizeof spath, "%s/reprint.script", tmp);
    harness_write_file(spath, script);

    /* 1: printer away */
    snprintf(text, sizeof text, "--script '%s'", spath);
    char *err = NULL;
    int64_t t0 = test_ms();
    int rc = triage(text, NULL, NULL, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s\n", err ? err : "");
    CHECK(test_ms() - t0 < 8000);
    CHECK(err && strstr(err, "saved SH01-S05-000001"));
    CHECK(err && strstr(err, "W650") && strstr(err, "E652"));
    CHECK(err && strstr(err, "queued again (reprint)"));
    free(err);
    err = NULL;
    CHECK_INT(db_int("SELECT count(*) FROM print_jobs WHERE done_at IS NULL"), 2);
    CHECK_INT(db_int("SELECT count(*) FROM print_jobs WHERE kind = 'reprint'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE event = 'reprint'"), 1);
    CHECK_INT(fake_njobs(&f), 0);

    /* 2: printer back; a start with nothing to do sends what waits */
    CHECK(fake_start(&f));
    harness_write_file(spath, "wait 10\nquit\n");
    rc = triage(text, NULL, NULL, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "%s\n", err ? err : "");
    free(err);
    CHECK_INT(fake_njobs(&f), 2);
    CHECK_INT(fake_count_plate(&f, "SH01-S05-000001"), 2);
    CHECK_INT(zpl_check_jobs(f.jobs, f.lens, f.njobs, tmp, "station"), 0);
    CHECK_INT(db_int("SELECT count(*) FROM print_jobs WHERE done_at IS NULL"), 0);
    fake_free(&f);
    return harness_done();
}
