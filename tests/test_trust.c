/*
 * test_trust.c — the station's data folder and roles, through the real
 * binary: one station per data folder; no database beside an earlier
 * station's labels; commands that read never make a database; a damaged
 * page found at start with the way back; a read-only folder and a full disk
 * refused at start; the low-disk warning; the write-ahead log left empty;
 * retention of what head office has; the audit chain in a spool; a
 * re-grade of another grader's outcome authorised by a supervisor at the
 * station; an unknown badge and a wrong PIN told apart only by the log; an
 * over-long script line refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db_file.h"
#include "harness.h"
#include "log.h"
#include "store.h"
#include "store_internal.h" /* store_db: generated inspections of long ago */

static char tmp[512], cmd[16384];

/* The binary on data folder `dir` (with `conf` when not NULL), headless. */
static int triage_in(const char *dir, const char *conf, const char *args, const char *input,
                     char **out, char **err)
{
    /* Always a configuration of the test's own: never the machine's. */
    char c[700], none[600];
    snprintf(none, sizeof none, "%s/none.conf", tmp);
    if (!conf && access(none, F_OK) != 0) /* no blind re-grades: the scripts know each screen */
        harness_write_file(none, "[station]\ncalibration_pct = 0\n");
    snprintf(c, sizeof c, "--config '%s'", conf ? conf : none);
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER= DISPLAY= '%s' %s --data '%s' %s", harness_triage(),
             c, dir, args);
    return harness_sh(cmd, input, out, err);
}

static void folder(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", tmp, name);
}

/* A station in `dir`: operators 1001, 1002 (graders), 2001 (supervisor),
 * and the demo manifest. */
static void set_up(const char *dir)
{
    CHECK_INT(triage_in(dir, NULL, "operator add --badge 1001 --name Ana --role grader", "123456\n",
                        NULL, NULL),
              0);
    CHECK_INT(triage_in(dir, NULL, "operator add --badge 1002 --name Bo --role grader", "654321\n",
                        NULL, NULL),
              0);
    CHECK_INT(triage_in(dir, NULL, "operator add --badge 2001 --name Sam --role supervisor",
                        "246810\n", NULL, NULL),
              0);
    CHECK_INT(triage_in(dir, NULL, "import-manifest demo/manifest.csv", NULL, NULL, NULL), 0);
}

/* Run the station on dir with a script; returns its exit status. */
static int run_script(const char *dir, const char *conf, const char *script, char **err)
{
    char path[700], args[1600];
    snprintf(path, sizeof path, "%s/%d.script", tmp, rand());
    harness_write_file(path, script);
    snprintf(args, sizeof args, "--script '%s' --shots '%s/shots'", path, tmp);
    return triage_in(dir, conf, args, NULL, NULL, err);
}

static const char grade_rma_1001[] = "expect login\nscan 1001\ntext 123456\nkey Return\n"
                                     "expect scan\nscan RMA-1001\nexpect item\nkey Return\n"
                                     "expect check\nkey 2\nkey 1\nkey 1\nkey 1\nkey 1\n"
                                     "expect summary\nkey Return\nexpect scan\nquit\n";

/* ---- one station per data folder ---------------------------------------- */

static void test_one_station(void)
{
    char dir[600], fifo[700];
    folder(dir, sizeof dir, "two");
    set_up(dir);
    /* The first station reads its script from a FIFO: it runs until we say. */
    snprintf(fifo, sizeof fifo, "%s/first.fifo", tmp);
    CHECK(mkfifo(fifo, 0600) == 0);
    pid_t first = fork();
    if (first == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("SDL_VIDEODRIVER", "", 1);
        setenv("DISPLAY", "", 1);
        char none[600];
        snprintf(none, sizeof none, "%s/none.conf", tmp);
        execl(harness_triage(), "triage", "--config", none, "--data", dir, "--script", fifo,
              (char *)NULL);
        _exit(127);
    }
    int w = open(fifo, O_WRONLY); /* blocks until the station opened it */
    CHECK(w >= 0);
    const char *login = "scan 1001\ntext 123456\nkey Return\nexpect scan\n";
    CHECK(write(w, login, strlen(login)) == (ssize_t)strlen(login));
    /* Wait until it holds the lock (its log says it is ready). */
    char lock[700];
    snprintf(lock, sizeof lock, "%s/station.lock", dir);
    for (int i = 0; i < 100; i++) {
        char *pid = harness_read_file(lock, NULL);
        bool held = pid && atoi(pid) == first;
        free(pid);
        if (held)
            break;
        usleep(50000);
    }
    char *err = NULL;
    int rc = run_script(dir, NULL, "expect login\nquit\n", &err);
    CHECK_INT(rc, 1);
    CHECK(err && strstr(err, "E910"));
    char want[64];
    snprintf(want, sizeof want, "process %d", (int)first);
    CHECK(err && strstr(err, want));
    printf("# a second station on the same folder: %s",
           err && strstr(err, "E910") ? strstr(err, "E910") : "(no E910)\n");
    free(err);
    /* Commands that read go on beside a running station. */
    CHECK_INT(triage_in(dir, NULL, "export", NULL, NULL, NULL), 0);
    CHECK(write(w, "quit\n", 5) == 5);
    close(w);
    int status = 0;
    waitpid(first, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* Once it is gone, the next one starts. */
    CHECK_INT(run_script(dir, NULL, "expect login\nquit\n", NULL), 0);
}

/* ---- no database beside an earlier one's files ------------------------- */

static void test_lost_database(void)
{
    char dir[600], path[700];
    folder(dir, sizeof dir, "lost");
    set_up(dir);
    CHECK_INT(run_script(dir, NULL, grade_rma_1001, NULL), 0);
    snprintf(path, sizeof path, "%s/labels/SH01-S01-000001.zpl", dir);
    CHECK(access(path, F_OK) == 0);
    /* The database goes missing (an operator's mistake, a bad restore). */
    static const char *const gone[] = {"triage.db", "triage.db-wal", "triage.db-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, gone[i]);
        unlink(path);
    }
    char *err = NULL;
    CHECK_INT(run_script(dir, NULL, "quit\n", &err), 1);
    CHECK(err && strstr(err, "E912") && strstr(err, "labels/") && strstr(err, "triage backup"));
    printf("# the station beside an earlier station's labels: %s",
           err && strstr(err, "E912") ? strstr(err, "E912") : "(no E912)\n");
    free(err);
    err = NULL;
    CHECK_INT(triage_in(dir, NULL, "operator add --badge 1 --name A --role grader", "123456\n",
                        NULL, &err),
              1);
    CHECK(err && strstr(err, "E912"));
    free(err);
    /* Nothing was made: no new epoch, no plate 000001 over the old label. */
    snprintf(path, sizeof path, "%s/triage.db", dir);
    CHECK(access(path, F_OK) != 0);
    snprintf(path, sizeof path, "%s/labels/SH01-S01-000001.zpl", dir);
    CHECK(access(path, F_OK) == 0);
}

/* Commands that read a station never make a database; a mistyped --data is
 * an error, never an empty answer. */
static void test_read_never_creates(void)
{
    char dir[600], path[700];
    folder(dir, sizeof dir, "typo");
    static const char *const cmds[] = {"export",
                                       "stats",
                                       "sync --once",
                                       "audit verify",
                                       "import-manifest demo/manifest.csv",
                                       "operator list",
                                       "operator unlock 1001"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        char *out = NULL, *err = NULL;
        int rc = triage_in(dir, NULL, cmds[i], NULL, &out, &err);
        if (!CHECK_INT(rc, 1) || !CHECK(err && strstr(err, "E911")) || !CHECK(out && !out[0]))
            fprintf(stderr, "  %s: %s", cmds[i], err ? err : "");
        free(out);
        free(err);
    }
    CHECK(access(dir, F_OK) != 0); /* not even the folder */
    mkdir(dir, 0755);
    char *err = NULL;
    CHECK_INT(triage_in(dir, NULL, "export", NULL, NULL, &err), 1);
    CHECK(err && strstr(err, "E911"));
    free(err);
    snprintf(path, sizeof path, "%s/triage.db", dir);
    CHECK(access(path, F_OK) != 0);
}

/* ---- a damaged page ---------------------------------------------------- */

static void test_damaged_page(void)
{
    char dir[600], db[700];
    folder(dir, sizeof dir, "damaged");
    set_up(dir);
    CHECK_INT(run_script(dir, NULL, grade_rma_1001, NULL), 0);
    snprintf(db, sizeof db, "%s/triage.db", dir);
    /* Everything in the file itself, then a page of the outbox's table
     * overwritten in the middle. */
    CHECK_INT(db_file_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    int64_t page = db_file_int(db, "SELECT rootpage FROM sqlite_master WHERE name = 'outbox'");
    int64_t size = db_file_int(db, "PRAGMA page_size");
    CHECK(page > 1 && size >= 512);
    int fd = open(db, O_WRONLY);
    char junk[200];
    memset(junk, 0xA5, sizeof junk);
    CHECK(fd >= 0 && pwrite(fd, junk, sizeof junk, (page - 1) * size + 8) == sizeof junk);
    close(fd);
    char *err = NULL;
    CHECK_INT(run_script(dir, NULL, "quit\n", &err), 1);
    CHECK(err && strstr(err, "E945") && strstr(err, "E220") && strstr(err, "triage backup"));
    printf("# a damaged outbox page at start: %s",
           err && strstr(err, "E945") ? strstr(err, "E945") : "(no E945)\n");
    free(err);
    /* A file that is no database at all: said so, not blamed on WAL. */
    unlink(db);
    snprintf(db, sizeof db, "%s/triage.db-wal", dir);
    unlink(db);
    snprintf(db, sizeof db, "%s/triage.db", dir);
    harness_write_file(db, "this is not a database, just text that happens to be here........"
                           "................................................................");
    err = NULL;
    CHECK_INT(run_script(dir, NULL, "quit\n", &err), 1);
    CHECK(err && strstr(err, "E206") && !strstr(err, "WAL"));
    free(err);
}

/* ---- a read-only folder, a full disk, the warning ------------------------- */

static void test_read_only(void)
{
    char dir[600], db[700];
    folder(dir, sizeof dir, "readonly");
    set_up(dir);
    snprintf(db, sizeof db, "%s/triage.db", dir);
    char *err = NULL;
    int rc;
    if (geteuid() == 0) {
        /* root writes anywhere: run the station as nobody, who may read the
         * folder and the database but write neither */
        chmod(dir, 0755);
        chmod(db, 0644);
        char args[900];
        snprintf(args, sizeof args, "%s/ro.script", tmp);
        harness_write_file(args, "quit\n");
        chmod(args, 0644);
        chmod(tmp, 0755);
        snprintf(cmd, sizeof cmd,
                 "SDL_VIDEODRIVER= DISPLAY= HOME=/tmp runuser -u nobody -- '%s' --config"
                 " '%s/none.conf' --data '%s' --script '%s'",
                 harness_triage(), tmp, dir, args);
        rc = harness_sh(cmd, NULL, NULL, &err);
    } else {
        chmod(dir, 0555);
        rc = run_script(dir, NULL, "quit\n", &err);
        chmod(dir, 0755);
    }
    CHECK_INT(rc, 1);
    CHECK(err && strstr(err, "E913"));
    printf("# a read-only data folder at start: %s",
           err && strstr(err, "E913") ? strstr(err, "E913") : "(no E913)\n");
    free(err);
}

static void test_disk(void)
{
    char dir[600], conf[700];
    folder(dir, sizeof dir, "disk");
    set_up(dir);
    snprintf(conf, sizeof conf, "%s/full.conf", tmp);
    harness_write_file(conf,
                       "[station]\ncalibration_pct = 0\n[retention]\nmin_free_mb = 1000000000\n");
    char *err = NULL;
    CHECK_INT(run_script(dir, conf, "quit\n", &err), 1);
    CHECK(err && strstr(err, "E949"));
    free(err);
    /* Well before it is full: a warning, on the screen too. */
    snprintf(conf, sizeof conf, "%s/warn.conf", tmp);
    harness_write_file(conf,
                       "[station]\ncalibration_pct = 0\n[retention]\nwarn_free_mb = 1000000000\n");
    err = NULL;
    CHECK_INT(run_script(dir, conf,
                         "expect login\nshot disk-low\nscan 1001\ntext 123456\nkey Return\n"
                         "expect scan\nquit\n",
                         &err),
              0);
    CHECK(err && strstr(err, "W946"));
    char shot[700];
    snprintf(shot, sizeof shot, "%s/shots/disk-low.png", tmp);
    size_t len = 0;
    char *png = harness_read_file(shot, &len);
    CHECK(png && len > 1000);
    free(png);
    free(err);
    /* The station's run leaves its write-ahead log empty. */
    char wal[700];
    snprintf(wal, sizeof wal, "%s/triage.db-wal", dir);
    struct stat sb;
    CHECK(stat(wal, &sb) != 0 || sb.st_size == 0);
}

/* ---- retention and the audit chain in a spool ------------------------------ */

static void test_retention_and_spool(void)
{
    char dir[600], db[700], conf[700];
    folder(dir, sizeof dir, "retention");
    set_up(dir);
    snprintf(db, sizeof db, "%s/triage.db", dir);
    /* Ten outcomes of 200 days ago, then one of today; none at head office
     * yet. */
    struct store *st;
    char err[300];
    CHECK_INT(store_open(db, "SH01-S01", &st, err, sizeof err), 0);
    for (int i = 0; i < 10; i++) {
        struct inspection in;
        memset(&in, 0, sizeof in);
        snprintf(in.rma, sizeof in.rma, "OLD-%d", i);
        snprintf(in.operator_badge, sizeof in.operator_badge, "1001");
        in.finished_at = clock_wall_ms() - 200LL * 86400000;
        in.started_at = in.finished_at - 60000;
        in.grade = GRADE_B;
        CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
        char label[800];
        snprintf(label, sizeof label, "%s/labels/%s.zpl", dir, in.plate);
        harness_write_file(label, "^XA^XZ");
    }
    store_close(st);
    CHECK_INT(run_script(dir, NULL, grade_rma_1001, NULL), 0);
    /* Not at head office yet: nothing goes. */
    snprintf(conf, sizeof conf, "%s/retention.conf", tmp);
    harness_write_file(conf, "[station]\ncalibration_pct = 0\n[retention]\ndays = 30\n");
    CHECK_INT(run_script(dir, conf, "quit\n", NULL), 0);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM outbox"), 11);
    /* The spool takes them (and the audit chain, in a folder of its own). */
    char *out = NULL;
    CHECK_INT(triage_in(dir, conf, "sync --once", NULL, &out, NULL), 0);
    free(out);
    glob_t g;
    char pattern[800];
    snprintf(pattern, sizeof pattern, "%s/spool/audit/SH01-S01_*.ndjson", dir);
    CHECK(glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc == 1);
    if (g.gl_pathc == 1) {
        char *text = harness_read_file(g.gl_pathv[0], NULL);
        CHECK(text && strncmp(text, "{\"triage_audit\":1,\"station\":\"SH01-S01\"", 38) == 0);
        int lines = 0;
        for (char *p = text; p && *p; p++)
            lines += *p == '\n';
        CHECK_INT(lines - 1, db_file_int(db, "SELECT count(*) FROM audit"));
        CHECK(text && strstr(text, "\"event\":\"save\""));
        free(text);
    }
    globfree(&g);
    /* Now the old ones go: their outbox rows and label files; the recent
     * one stays, and so does every inspection. */
    CHECK_INT(run_script(dir, conf, "quit\n", NULL), 0);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM outbox"), 1);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM inspections"), 11);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'outbox_pruned'"), 1);
    char label[800];
    snprintf(label, sizeof label, "%s/labels/SH01-S01-000005.zpl", dir);
    CHECK(access(label, F_OK) != 0);
    snprintf(label, sizeof label, "%s/labels/SH01-S01-000011.zpl", dir);
    CHECK(access(label, F_OK) == 0);
    /* The chain knows they went on purpose; the export has them all. */
    char *errs = NULL;
    out = NULL;
    CHECK_INT(triage_in(dir, NULL, "audit verify", NULL, &out, &errs), 0);
    CHECK(out && strstr(out, "intact"));
    free(out), free(errs);
    out = NULL;
    CHECK_INT(triage_in(dir, NULL, "export", NULL, &out, NULL), 0);
    int n = 0;
    for (char *p = out; p && *p; p++)
        n += *p == '\n';
    CHECK_INT(n, 11);
    free(out);
    /* A removed outbox row behind the station's back is not retention. */
    CHECK_INT(db_file_exec(db, "DELETE FROM outbox"), SQLITE_CONSTRAINT);
}

/* ---- roles at the station, through the binary ------------------------------ */

static void test_authorised_regrade(void)
{
    char dir[600], db[700];
    folder(dir, sizeof dir, "roles");
    set_up(dir);
    CHECK_INT(run_script(dir, NULL, grade_rma_1001, NULL), 0);
    /* Bo re-grades Ana's outcome: only with Sam's badge and PIN, and Bo
     * stays logged in. A wrong PIN and an unknown badge first. */
    char *err = NULL;
    int rc = run_script(dir, NULL,
                        "scan 1002\ntext 654321\nkey Return\nexpect scan\n"
                        "scan SH01-S01-000001\nexpect item\nkey Return\nexpect item\n"
                        "shot authorise\n"
                        "scan 1001\ntext 123456\nkey Return\nexpect item\n"
                        "scan 2001\ntext 111111\nkey Return\nexpect item\n"
                        "scan 2001\ntext 246810\nkey Return\nexpect check\n"
                        "key 1\nkey 1\nkey 1\nkey 1\nkey 1\nexpect summary\nkey Return\n"
                        "expect scan\nquit\n",
                        &err);
    CHECK_INT(rc, 0);
    if (rc != 0)
        fprintf(stderr, "%s", err ? err : "");
    free(err);
    snprintf(db, sizeof db, "%s/triage.db", dir);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'regrade' AND"
                              " badge = '1002' AND authorised_by = '2001' AND"
                              " subject = 'SH01-S01-000001'"),
              1);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'authorise_denied' AND"
                              " badge = '1001' AND subject = '1002'"),
              1);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'authorise_bad_pin' AND"
                              " badge = '2001'"),
              1);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'authorise' AND"
                              " badge = '2001' AND subject = '1002'"),
              1);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM inspections WHERE operator = '1002' AND"
                              " supersedes = 'SH01-S01-000001'"),
              1);
    /* An unknown badge and a wrong PIN: the same on the screen, apart in the
     * log and the audit log. */
    err = NULL;
    rc = run_script(dir, NULL,
                    "scan 9999\ntext 123456\nkey Return\nexpect login\nkey Escape\n"
                    "scan 1001\ntext 000000\nkey Return\nexpect login\nquit\n",
                    &err);
    CHECK_INT(rc, 0);
    CHECK(err && strstr(err, "I150 login_unknown by 9999") && strstr(err, "I150 bad_pin by 1001"));
    free(err);
}

/* ---- scripts -------------------------------------------------------------- */

static void test_long_script_line(void)
{
    char dir[600];
    folder(dir, sizeof dir, "script");
    set_up(dir);
    /* A 3,000-byte scan, then what would once have run as its tail. */
    char *script = malloc(4000);
    int n = snprintf(script, 4000, "scan ");
    memset(script + n, 'A', 3000);
    snprintf(script + n + 3000, 4000 - (size_t)n - 3000, "\nscan 1001\nquit\n");
    char *err = NULL;
    CHECK_INT(run_script(dir, NULL, script, &err), 1);
    CHECK(err && strstr(err, "E927") && strstr(err, "line 1"));
    CHECK(err && !strstr(err, "login"));
    free(err);
    free(script);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    srand((unsigned)getpid());
    test_read_never_creates();
    test_one_station();
    test_lost_database();
    test_damaged_page();
    test_read_only();
    test_disk();
    test_retention_and_spool();
    test_authorised_regrade();
    test_long_script_line();
    return harness_done();
}
