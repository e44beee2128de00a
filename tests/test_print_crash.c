/*
 * test_print_crash.c — kill -9 with labels queued: after a restart every
 * queued label is printed, none is lost.
 *
 * A child process (this program, "child DB PORT N") is a station without a
 * screen: it commits N inspections one after another (each commit queues
 * its label in the same transaction), says "ack <plate>" after each COMMIT
 * returned, and runs the print worker against a zpl-tcp printer. The parent
 * kills it with SIGKILL at a random moment, several rounds on one database,
 * then starts the worker again itself with the fake printer listening and
 * waits until nothing waits.
 *
 *  A. Printer away while the child runs: nothing could be printed, so after
 *     the restart every inspection in the database (each acknowledged one at
 *     least) is printed exactly once.
 *  B. Printer there while the child runs, killed mid-printing: every
 *     inspection is printed at least once; a label can come out twice only
 *     when the kill fell between the printer reading it and the queue
 *     marking it sent (a printer cannot be asked afterwards), so at most one
 *     duplicate per kill. The count is printed.
 * Every label the printer got is rendered by zpl-renderer-js and read back.
 */
#include <signal.h>
#include <sys/wait.h>

#include "db_file.h"
#include "print_fake.h"
#include "print_worker.h"
#include "printer.h"
#include "printq.h"
#include "store.h"

#define ROUNDS 4
#define PER_ROUND 6

static struct printer *open_printer(const char *dir, int port)
{
    struct printer_opts cfg = {.label.dpi = 203};
    snprintf(cfg.type, sizeof cfg.type, "zpl-tcp");
    snprintf(cfg.label.size, sizeof cfg.label.size, "4x6");
    snprintf(cfg.address, sizeof cfg.address, "127.0.0.1:%d", port);
    struct printer *p = NULL;
    char err[512];
    if (printer_open_timeout(&cfg, dir, 500, &p, err, sizeof err) != 0)
        fprintf(stderr, "%s\n", err);
    return p;
}

static int child(const char *db, int port, int n)
{
    char err[512];
    struct store *st = NULL;
    if (store_open(db, "SH01-S09", &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    struct pworker_options po = {.backoff_min_ms = 20, .backoff_max_ms = 100,
                                 .status_every_ms = 100};
    struct pworker *w = NULL;
    if (pworker_start(db, open_printer(".", port), &po, &w, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    int base = (int)store_count_inspections(st);
    for (int i = 0; i < n; i++) {
        struct inspection in;
        print_insp(&in, base + i, (base + i) % 2 == 1);
        if (store_commit_inspection(st, &in, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        printf("ack %s\n", in.plate);
        fflush(stdout);
        pworker_kick(w);
        sleep_ms(4);
    }
    printf("done\n");
    fflush(stdout);
    for (;;)
        pause(); /* until killed */
}

/* Run a child for one round and SIGKILL it `kill_after_ms` after its first
 * acknowledged commit (or once it committed everything). Returns the number
 * of acknowledged commits. */
static int round_killed(const char *db, int port, int kill_after_ms)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char portbuf[16], nbuf[16];
    snprintf(portbuf, sizeof portbuf, "%d", port);
    snprintf(nbuf, sizeof nbuf, "%d", PER_ROUND);
    char self[64];
    snprintf(self, sizeof self, "/proc/%d/exe", (int)getpid());
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(self, "test_print_crash", "child", db, portbuf, nbuf, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    int64_t end = test_ms() + 10000; /* until the first ack; then kill_after_ms */
    char buf[4096];
    size_t got = 0;
    int acks = 0;
    bool done = false;
    while (!done) {
        int64_t left = end - test_ms();
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = read(fds[0], buf + got, sizeof buf - 1 - got);
        if (r <= 0)
            break;
        got += (size_t)r;
        buf[got] = 0;
        int before = acks;
        acks = 0;
        for (char *s = buf; (s = strstr(s, "ack ")); s += 4)
            acks++;
        if (before == 0 && acks > 0)
            end = test_ms() + kill_after_ms;
        done = strstr(buf, "done\n") != NULL;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(fds[0]);
    return acks;
}

/* Restart the worker with the printer there; wait until the queue is empty.
 * Then count labels per inspection: returns the duplicates (-1 when one is
 * missing). */
static int restart_and_check(const char *dir, const char *db, struct fake_printer *f,
                             int *ninsp)
{
    char err[512];
    struct store *st = NULL;
    CHECK_INT(store_open(db, NULL, &st, err, sizeof err), 0);
    if (!st)
        return -1;
    struct pworker_options po = {.backoff_min_ms = 20, .backoff_max_ms = 100,
                                 .status_every_ms = 1000};
    struct pworker *w = NULL;
    CHECK_INT(pworker_start(db, open_printer(dir, f->port), &po, &w, err, sizeof err), 0);
    int64_t end = test_ms() + 20000;
    while (printq_waiting(st) > 0 && test_ms() < end)
        sleep_ms(10);
    CHECK_INT(printq_waiting(st), 0);
    pworker_stop(w, 0);
    *ninsp = (int)db_file_int(db, "SELECT count(*) FROM inspections");
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM print_jobs"), *ninsp);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM pragma_integrity_check"
                              " WHERE integrity_check <> 'ok'"),
              0);
    int dups = 0;
    bool missing = false;
    sqlite3 *h = db_file_open(db);
    sqlite3_stmt *s = NULL;
    if (h)
        sqlite3_prepare_v2(h, "SELECT plate FROM inspections ORDER BY seq", -1, &s, NULL);
    while (s && sqlite3_step(s) == SQLITE_ROW) {
        const char *plate = (const char *)sqlite3_column_text(s, 0);
        int n = fake_count_plate(f, plate);
        if (n < 1) {
            fprintf(stderr, "label %s never printed\n", plate);
            missing = true;
        }
        if (n > 1)
            dups += n - 1;
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    store_close(st);
    return missing ? -1 : dups;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "child") == 0)
        return child(argv[2], atoi(argv[3]), atoi(argv[4]));
    const char *dir = harness_tmpdir();
    unsigned seed = (unsigned)time(NULL);
    srand(seed);
    struct fake_printer f;
    fake_init(&f);
    CHECK(fake_start(&f)); /* learn a free port */
    fake_stop(&f);

    /* A: printer away during every round */
    char db[600];
    snprintf(db, sizeof db, "%s/a.db", dir);
    int acked = 0;
    for (int r = 0; r < ROUNDS; r++)
        acked += round_killed(db, f.port, 5 + rand() % 60);
    CHECK(fake_start(&f));
    int ninsp = 0;
    int dups = restart_and_check(dir, db, &f, &ninsp);
    CHECK(ninsp >= acked && acked > 0);
    CHECK_INT(dups, 0);
    CHECK_INT(fake_njobs(&f), ninsp);
    printf("printer away: %d rounds killed, %d acknowledged, %d queued, %d printed once each"
           " (seed %u)\n",
           ROUNDS, acked, ninsp, fake_njobs(&f), seed);
    /* keep A's labels for the check at the end (B's are the same labels) */
    static char *all_jobs[2 * FAKE_MAX_JOBS];
    static size_t all_lens[2 * FAKE_MAX_JOBS];
    int nall = 0;
    for (int i = 0; i < f.njobs; i++) {
        all_jobs[nall] = f.jobs[i];
        all_lens[nall++] = f.lens[i];
    }
    f.njobs = 0;
    fake_free(&f);

    /* B: printer there, killed mid-printing */
    fake_init(&f);
    CHECK(fake_start(&f));
    snprintf(db, sizeof db, "%s/b.db", dir);
    acked = 0;
    for (int r = 0; r < ROUNDS; r++)
        acked += round_killed(db, f.port, 5 + rand() % 60);
    dups = restart_and_check(dir, db, &f, &ninsp);
    CHECK(dups >= 0 && dups <= ROUNDS);
    CHECK(ninsp >= acked && acked > 0);
    printf("printer there: %d rounds killed, %d queued, %d labels, %d duplicates (seed %u)\n",
           ROUNDS, ninsp, fake_njobs(&f), dups, seed);
    /* Every label the printer got, in both parts, through the renderer (each
     * distinct label once: A and B print the same ones). */
    for (int i = 0; i < f.njobs && nall < 2 * FAKE_MAX_JOBS; i++) {
        all_jobs[nall] = f.jobs[i];
        all_lens[nall++] = f.lens[i];
    }
    CHECK_INT(zpl_check_jobs(all_jobs, all_lens, nall, dir, "label"), 0);
    for (int i = 0; i < nall; i++)
        free(all_jobs[i]);
    f.njobs = 0;
    fake_free(&f);
    return harness_done();
}
