/*
 * test_backup.c — backups of the station's database.
 *
 *   1. `triage backup FILE` while a station in script mode grades and saves: every copy
 *      passes integrity_check, holds seqs 1..n without a gap, an outbox row for each
 *      inspection (a commit is in a copy whole or not at all), and every inspection and
 *      outbox row in it is identical to the station's own; at least one copy was taken
 *      mid-grading.
 *   2. The restore procedure of README.md ("Backup and restore"), step by step, into a
 *      new data folder: selfcheck's database line is ok, the restored station exports
 *      what the copy held and syncs, then grades on from the next seq.
 *   3. Refusals: an existing FILE (E250, untouched), FILE.tmp present (E253), no
 *      database (E251, none made).
 *   4. Daily backups: file names, pruning by days kept (other files untouched), the
 *      worker's pass (due, not due, done, off), the [backup] configuration, and the
 *      running station taking the day's copy by itself.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backup.h"
#include "backup_worker.h"
#include "config.h"
#include "harness.h"
#include "log.h"

#define ITEMS 150
#define MAX_COPIES 40

static char tmp[512], data[600];

static void write_script(const char *path, int items)
{
    FILE *f = fopen(path, "w");
    /* Escape after the login: a copy taken mid-grading holds the grader's
     * unfinished inspection, offered back (resume) and discarded here; on
     * the scan screen it only clears the input. */
    fprintf(f, "scan 1001\ntext 123456\nkey Return\nkey Escape\nexpect scan\n");
    for (int i = 0; i < items; i++)
        fprintf(f, "scan RMA-1001\nkey Return\nkey 1\nkey 1\nkey 1\nkey 1\nkey 1\n"
                   "expect summary\nkey Return\nexpect scan\n");
    fprintf(f, "quit\n");
    fclose(f);
}

static long long query_ll(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static bool integrity_ok(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
              sqlite3_step(s) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
    sqlite3_finalize(s);
    return ok;
}

/* One copy against the station's final database. Returns its inspection count. */
static long long check_copy(const char *copy, const char *source)
{
    sqlite3 *db;
    if (!CHECK(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK))
        return -1;
    CHECK(integrity_ok(db));
    long long n = query_ll(db, "SELECT count(*) FROM inspections");
    CHECK_INT(query_ll(db, "SELECT coalesce(max(seq), 0) FROM inspections"), n); /* no gap */
    CHECK_INT(query_ll(db, "SELECT count(*) FROM outbox"), n);
    sqlite3_close(db);

    /* Attach the copy to the station's database: nothing in it that differs. */
    if (!CHECK(sqlite3_open_v2(source, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK))
        return n;
    char sql[1200];
    sqlite3_stmt *s;
    snprintf(sql, sizeof sql, "ATTACH ? AS b");
    sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    sqlite3_bind_text(s, 1, copy, -1, SQLITE_STATIC);
    CHECK(sqlite3_step(s) == SQLITE_DONE);
    sqlite3_finalize(s);
    CHECK_INT(query_ll(db, "SELECT count(*) FROM (SELECT * FROM b.inspections EXCEPT"
                           " SELECT * FROM main.inspections)"),
              0);
    CHECK_INT(query_ll(db, "SELECT count(*) FROM (SELECT * FROM b.outbox EXCEPT"
                           " SELECT * FROM main.outbox)"),
              0);
    /* and every inspection of the station up to the copy's last seq is in it */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT * FROM main.inspections WHERE seq <= %lld EXCEPT"
             " SELECT * FROM b.inspections)",
             n);
    CHECK_INT(query_ll(db, sql), 0);
    sqlite3_close(db);
    return n;
}

/* 1 and 2: grading while copies are taken, then the restore. */
static void grade_while_backing_up(void)
{
    char script[700], log[700], cmd[8192];
    snprintf(script, sizeof script, "%s/grade.script", tmp);
    snprintf(log, sizeof log, "%s/station.log", tmp);
    write_script(script, ITEMS);
    snprintf(cmd, sizeof cmd,
             "echo 123456 | '%s' --data '%s' operator add --badge 1001 --name A --role grader"
             " >/dev/null && '%s' --data '%s' import-manifest demo/manifest.csv >/dev/null",
             harness_triage(), data, harness_triage(), data);
    if (!CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0))
        return;

    pid_t pid = fork();
    if (pid == 0) {
        FILE *e = freopen(log, "w", stderr);
        (void)e;
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        execl(harness_triage(), "triage", "--data", data, "--script", script, (char *)NULL);
        _exit(127);
    }
    char copies[MAX_COPIES][700];
    int ncopies = 0, status = 0;
    bool running = true;
    /* Copies while it grades; the last one after it has ended. */
    while (ncopies < MAX_COPIES) {
        if (running && ncopies == MAX_COPIES - 1) {
            waitpid(pid, &status, 0);
            running = false;
        } else if (running && waitpid(pid, &status, WNOHANG) == pid) {
            running = false;
        }
        snprintf(copies[ncopies], sizeof copies[ncopies], "%s/copy-%02d.db", tmp, ncopies);
        snprintf(cmd, sizeof cmd, "'%s' --data '%s' backup '%.700s'", harness_triage(), data,
                 copies[ncopies]);
        char *out = NULL, *err = NULL;
        int rc = harness_sh(cmd, NULL, &out, &err);
        if (!CHECK_INT(rc, 0))
            fprintf(stderr, "  %s\n", err ? err : "");
        CHECK(out && strstr(out, "quick_check ok"));
        free(out);
        free(err);
        ncopies++;
        if (!running)
            break;
        usleep(50000);
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    char source[700];
    snprintf(source, sizeof source, "%s/triage.db", data);
    sqlite3 *db;
    sqlite3_open_v2(source, &db, SQLITE_OPEN_READONLY, NULL);
    long long total = query_ll(db, "SELECT count(*) FROM inspections");
    sqlite3_close(db);
    CHECK_INT(total, ITEMS);
    int mid = 0;
    long long last = 0, counts[MAX_COPIES];
    for (int i = 0; i < ncopies; i++) {
        long long n = counts[i] = check_copy(copies[i], source);
        CHECK(n >= last); /* later copies hold more */
        last = n;
        mid += n > 0 && n < total;
    }
    CHECK_INT(last, total); /* the copy after the end holds everything */
    CHECK(mid >= 1);
    printf("%d copies taken while %lld inspections were saved, %d of them mid-grading\n",
           ncopies, total, mid);

    /*
     * 2. Restore (README.md, "Backup and restore"), from a copy taken mid-grading:
     *    the station is stopped (the script ended); the old data folder is kept aside;
     *    a new one, 0700; the copy as its triage.db, 0600; selfcheck's database line;
     *    export; the station starts and grades on.
     */
    int pick = 0;
    for (int i = 0; i < ncopies; i++) /* the mid-grading copy nearest half-way */
        if (counts[i] > 0 && counts[i] < total &&
            llabs(counts[i] - total / 2) < llabs(counts[pick] - total / 2))
            pick = i;
    long long in_copy = counts[pick];
    snprintf(cmd, sizeof cmd,
             "set -e; mv '%s' '%s.broken'; install -d -m 0700 '%s';"
             " install -m 0600 '%.700s' '%s/triage.db';"
             " '%s' --data '%s' selfcheck | grep '^I859 ok database: '",
             data, data, data, copies[pick], data, harness_triage(), data);
    char *out = NULL, *err = NULL;
    int rc = harness_sh(cmd, NULL, &out, &err);
    if (!CHECK_INT(rc, 0))
        fprintf(stderr, "  restore: %s %s\n", out ? out : "", err ? err : "");
    free(out);
    free(err);
    struct stat st;
    CHECK(stat(data, &st) == 0 && (st.st_mode & 0777) == 0700);

    snprintf(cmd, sizeof cmd, "'%s' --data '%s' export | wc -l", harness_triage(), data);
    out = NULL;
    CHECK_INT(harness_sh(cmd, NULL, &out, NULL), 0);
    CHECK_INT(out ? atoll(out) : -1, in_copy);
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' --data '%s' sync --once", harness_triage(), data);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0);

    /* The restored station opens, grades one more, and numbers it next. */
    write_script(script, 1);
    snprintf(cmd, sizeof cmd,
             "SDL_VIDEODRIVER=dummy '%s' --data '%s' --script '%s' 2>&1 | grep ' saved '",
             harness_triage(), data, script);
    out = NULL;
    CHECK_INT(harness_sh(cmd, NULL, &out, NULL), 0);
    char want[64];
    snprintf(want, sizeof want, "saved SH01-S01-%06lld", in_copy + 1);
    if (!CHECK(out && strstr(out, want)))
        fprintf(stderr, "  wanted \"%s\" in: %s\n", want, out ? out : "");
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' --data '%s' export | wc -l", harness_triage(), data);
    out = NULL;
    CHECK_INT(harness_sh(cmd, NULL, &out, NULL), 0);
    CHECK_INT(out ? atoll(out) : -1, in_copy + 1);
    free(out);
}

/* 3. What a backup refuses. */
static void refusals(void)
{
    char db[1024], dest[1024], tmpf[1100], err[512];
    snprintf(db, sizeof db, "%s/triage.db", data);
    snprintf(dest, sizeof dest, "%s/exists.db", tmp);
    CHECK(harness_write_file(dest, "precious\n"));
    CHECK_INT(backup_take(db, dest, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E250:", 5) == 0);
    char *kept = harness_read_file(dest, NULL);
    CHECK_STR(kept ? kept : "", "precious\n");
    free(kept);

    snprintf(dest, sizeof dest, "%s/busy.db", tmp);
    snprintf(tmpf, sizeof tmpf, "%s/busy.db.tmp", tmp);
    CHECK(harness_write_file(tmpf, "another backup\n"));
    CHECK_INT(backup_take(db, dest, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E253:", 5) == 0);
    struct stat st;
    CHECK(stat(dest, &st) != 0);
    kept = harness_read_file(tmpf, NULL);
    CHECK_STR(kept ? kept : "", "another backup\n");
    free(kept);

    char none[600];
    snprintf(none, sizeof none, "%s/empty", tmp);
    mkdir(none, 0700);
    snprintf(db, sizeof db, "%s/triage.db", none);
    snprintf(dest, sizeof dest, "%s/none.db", tmp);
    CHECK_INT(backup_take(db, dest, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E251:", 5) == 0);
    CHECK(stat(db, &st) != 0 && stat(dest, &st) != 0);
    snprintf(tmpf, sizeof tmpf, "%s.tmp", dest);
    CHECK(stat(tmpf, &st) != 0);

    /* the command line says the same, with the id, and exits 1 */
    char cmd[4096], *e = NULL;
    snprintf(cmd, sizeof cmd, "'%s' --data '%s' backup '%s'", harness_triage(), none, dest);
    CHECK_INT(harness_sh(cmd, NULL, NULL, &e), 1);
    CHECK(e && strncmp(e, "E251:", 5) == 0);
    free(e);
    CHECK(stat(db, &st) != 0);
    snprintf(cmd, sizeof cmd, "'%s' --data '%s' backup", harness_triage(), none);
    CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 2);
}

static int64_t local_noon(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12,
                    .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000;
}

/* 4. Daily backups. */
static void daily(void)
{
    char name[64], dir[700], err[512], path[800];
    int64_t day = local_noon(2026, 11, 23);
    backup_daily_name(day, name, sizeof name);
    CHECK_STR(name, "triage-2026-11-23.db");

    /* Prune: keep today and the six days before. */
    snprintf(dir, sizeof dir, "%s/daily", tmp);
    mkdir(dir, 0700);
    for (int d = 10; d <= 23; d++) {
        snprintf(path, sizeof path, "%s/triage-2026-11-%02d.db", dir, d);
        harness_write_file(path, "x");
    }
    static const char *const others[] = {"notes.txt", "triage-2026-13-01.db", "triage-x.db",
                                         "triage-2026-11-01.db.bak", "triage.db"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, others[i]);
        harness_write_file(path, "x");
    }
    snprintf(path, sizeof path, "%s/triage-2026-11-02.db.tmp", dir);
    harness_write_file(path, "cut off");
    int removed = backup_prune(dir, day, 7, err, sizeof err);
    CHECK_INT(removed, 7 + 1); /* the 10th to the 16th, and the old .tmp */
    char *out = NULL, cmd[900];
    snprintf(cmd, sizeof cmd, "ls '%s' | tr '\\n' ' '", dir);
    harness_sh(cmd, NULL, &out, NULL);
    CHECK_STR(out ? out : "",
              "notes.txt triage-2026-11-01.db.bak triage-2026-11-17.db triage-2026-11-18.db "
              "triage-2026-11-19.db triage-2026-11-20.db triage-2026-11-21.db "
              "triage-2026-11-22.db triage-2026-11-23.db triage-2026-13-01.db triage-x.db "
              "triage.db ");
    free(out);
    CHECK_INT(backup_prune(dir, day, 0, err, sizeof err), 0); /* 0: off, nothing removed */

    /* The worker's pass over the restored station's database. */
    char db[700], bdir[700];
    snprintf(db, sizeof db, "%s/triage.db", data);
    snprintf(bdir, sizeof bdir, "%s/pass", tmp);
    struct backup_opts o = {.keep_days = 3, .hour = 14};
    CHECK_INT(bworker_pass(db, bdir, &o, day, err, sizeof err), 0); /* noon: not due yet */
    struct stat st;
    CHECK(stat(bdir, &st) != 0);
    int64_t later = day + 3 * 3600 * 1000LL; /* 15:00 */
    CHECK_INT(bworker_pass(db, bdir, &o, later, err, sizeof err), 1);
    snprintf(path, sizeof path, "%s/triage-2026-11-23.db", bdir);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    CHECK(stat(bdir, &st) == 0 && (st.st_mode & 0777) == 0700);
    CHECK_INT(bworker_pass(db, bdir, &o, later + 60000, err, sizeof err), 0); /* done today */
    o.keep_days = 0;
    CHECK_INT(bworker_pass(db, bdir, &o, local_noon(2026, 11, 30) + 3 * 3600 * 1000LL, err,
                           sizeof err),
              0);
    /* Days later: that day's copy, and the 23rd is pruned (3 days kept). */
    o.keep_days = 3;
    CHECK_INT(bworker_pass(db, bdir, &o, local_noon(2026, 11, 26) + 3 * 3600 * 1000LL, err,
                           sizeof err),
              1);
    CHECK(stat(path, &st) != 0);
    snprintf(path, sizeof path, "%s/triage-2026-11-26.db", bdir);
    CHECK(stat(path, &st) == 0);

    /* [backup] in the configuration. */
    struct config cfg;
    config_defaults(&cfg);
    CHECK_INT(cfg.backup.keep_days, 7);
    CHECK_INT(cfg.backup.hour, 0);
    CHECK_INT(cfg.backup.after_start_s, 60);
    CHECK_STR(cfg.backup.dir, "");
    CHECK_INT(config_load_string("[backup]\ndir = /srv/copies\nkeep_days = 30\nhour = 13\n",
                                 "t.conf", &cfg, err, sizeof err),
              0);
    CHECK_STR(cfg.backup.dir, "/srv/copies");
    CHECK_INT(cfg.backup.keep_days, 30);
    CHECK_INT(cfg.backup.hour, 13);
    CHECK_INT(config_load_string("[backup]\nhour = 24\n", "t.conf", &cfg, err, sizeof err), -1);
    CHECK_STR(err, "E109: t.conf:2: [backup] hour: 24 is out of range 0 to 23");
    CHECK_INT(config_load_string("[backup]\nkeep = 3\n", "t.conf", &cfg, err, sizeof err), -1);
    CHECK(strncmp(err, "E105: t.conf:2:", 15) == 0);
    CHECK_INT(cfg.backup.hour, 13); /* a bad file changes nothing */

    /* The running station takes the day's copy by itself (hour 0: due all day). */
    char conf[700], bk[700];
    snprintf(conf, sizeof conf, "%s/daily.conf", tmp);
    snprintf(bk, sizeof bk, "%s/station-backups", tmp);
    char text[1200];
    snprintf(text, sizeof text, "[backup]\ndir = %s\nkeep_days = 2\nhour = 0\nafter_start_s = 1\n",
             bk);
    harness_write_file(conf, text);
    mkdir(bk, 0700);
    snprintf(path, sizeof path, "%s/triage-2000-01-01.db", bk);
    harness_write_file(path, "an old copy");
    pid_t pid = fork();
    if (pid == 0) {
        char log[800];
        snprintf(log, sizeof log, "%s/daily.log", tmp);
        FILE *e = freopen(log, "w", stderr);
        (void)e;
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        execl(harness_triage(), "triage", "--config", conf, "--data", data, "--windowed",
              "1280x800", (char *)NULL);
        _exit(127);
    }
    backup_daily_name(clock_wall_ms(), name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", bk, name);
    bool made = false;
    for (int waited = 0; waited < 30000 && !made; waited += 100) {
        made = stat(path, &st) == 0;
        usleep(100000);
    }
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    CHECK(made);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sqlite3 *sdb;
    if (made && CHECK(sqlite3_open_v2(path, &sdb, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)) {
        CHECK(integrity_ok(sdb));
        sqlite3_close(sdb);
    }
    snprintf(path, sizeof path, "%s/triage-2000-01-01.db", bk);
    CHECK(stat(path, &st) != 0); /* pruned */
    snprintf(path, sizeof path, "%s/daily.log", tmp);
    char *log = harness_read_file(path, NULL);
    CHECK(log && strstr(log, " I890 backup "));
    CHECK(log && strstr(log, " I891 removed 1 daily backups"));
    free(log);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "%s", harness_tmpdir());
    snprintf(data, sizeof data, "%s/data", tmp);
    grade_while_backing_up();
    refusals();
    daily();
    return harness_done();
}
