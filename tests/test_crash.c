/*
 * test_crash.c — kill -9 the real station at random moments while it grades
 * and saves; after every kill, each inspection whose "saved <plate>" line it
 * logged is in the database, the seqs have no gaps, the database passes
 * PRAGMA integrity_check, and the station starts again and goes on numbering.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "harness.h"
#include "log.h"

#define ROUNDS 12
#define ITEMS 40

static char data[600], script[700], logpath[700];

static void write_script(void)
{
    FILE *f = fopen(script, "w");
    /* A kill in the middle of a checklist leaves it as the grader's draft:
     * the next login offers it back, and Escape discards it (on the scan
     * screen Escape only clears the input). */
    fprintf(f, "scan 1001\ntext 123456\nkey Return\nkey Escape\nexpect scan\n");
    for (int i = 0; i < ITEMS; i++)
        fprintf(f, "scan RMA-1001\nkey Return\nkey 1\nkey 1\nkey 1\nkey 1\nkey 1\n"
                   "expect summary\nkey Return\nexpect scan\n");
    fclose(f);
}

/* Start the station on the script, stderr to logpath; once it has saved
 * something, kill it `ms` later, in the middle of whatever it is doing. */
static int run_and_kill(int ms)
{
    unlink(logpath);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *e = freopen(logpath, "w", stderr);
        (void)e;
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        execl(harness_triage(), "triage", "--data", data, "--script", script, (char *)NULL);
        _exit(127);
    }
    /* However slow the machine, the kill lands while it saves, not before. */
    for (int waited = 0; waited < 20000; waited += 5) {
        char *log = harness_read_file(logpath, NULL);
        bool saving = log && strstr(log, " saved ");
        free(log);
        if (saving)
            break;
        usleep(5000);
    }
    usleep((useconds_t)ms * 1000);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

/* Every plate the killed station logged as saved. */
static int saved_plates(char plates[][32], int max)
{
    char *log = harness_read_file(logpath, NULL);
    int n = 0;
    for (char *p = log; p && (p = strstr(p, " saved ")) && n < max; p++)
        sscanf(p + 7, "%31s", plates[n++]);
    free(log);
    return n;
}

int main(void)
{
    const char *tmp = harness_tmpdir();
    snprintf(data, sizeof data, "%s/data", tmp);
    snprintf(script, sizeof script, "%s/grade.script", tmp);
    snprintf(logpath, sizeof logpath, "%s/station.log", tmp);
    write_script();
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "echo 123456 | '%s' --data '%s' operator add --badge 1001 --name A --role grader && "
             "'%s' --data '%s' import-manifest demo/manifest.csv",
             harness_triage(), data, harness_triage(), data);
    if (!CHECK_INT(harness_sh(cmd, NULL, NULL, NULL), 0))
        return harness_done();

    char dbpath[700];
    snprintf(dbpath, sizeof dbpath, "%s/triage.db", data);
    srand((unsigned)time(NULL));
    int total_saved = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int ms = rand() % 300;
        run_and_kill(ms);
        static char plates[ITEMS][32];
        int n = saved_plates(plates, ITEMS);
        total_saved += n;
        sqlite3 *db;
        if (!CHECK(sqlite3_open(dbpath, &db) == SQLITE_OK))
            break;
        for (int i = 0; i < n; i++) {
            sqlite3_stmt *s;
            sqlite3_prepare_v2(db, "SELECT count(*) FROM inspections i JOIN outbox o USING (seq)"
                                   " WHERE plate = ?", -1, &s, NULL);
            sqlite3_bind_text(s, 1, plates[i], -1, SQLITE_STATIC);
            int found = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
            sqlite3_finalize(s);
            if (!CHECK_INT(found, 1))
                fprintf(stderr, "  round %d: %s was called saved but is not in the database\n",
                        round, plates[i]);
        }
        sqlite3_stmt *s;
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL);
        CHECK(sqlite3_step(s) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0);
        sqlite3_finalize(s);
        sqlite3_prepare_v2(db, "SELECT count(*), coalesce(max(seq), 0) FROM inspections", -1, &s,
                           NULL);
        if (sqlite3_step(s) == SQLITE_ROW)
            CHECK_INT(sqlite3_column_int(s, 0), sqlite3_column_int(s, 1)); /* no gaps */
        sqlite3_finalize(s);
        sqlite3_close(db);
    }
    /* The kills hit the station while it was saving, not only before. */
    CHECK(total_saved >= ROUNDS);
    printf("%d inspections saved across %d kills\n", total_saved, ROUNDS);
    return harness_done();
}
