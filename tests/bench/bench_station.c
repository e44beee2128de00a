/*
 * bench_station.c — how fast the station feels, measured on the real binary
 * and the real modules:
 *   startup_to_ready_ms    process start to the first frame of `login`
 *   event_to_frame_p99_ms  an input event through SDL's queue, the core and a
 *                          software-rendered frame
 *   commit_p99_ms          confirm to durable commit (WAL, synchronous=FULL)
 *   pss_mib                memory (PSS) of the running station on `check`
 *   idle_cpu_pct           share of one core used over 10 s on a static screen
 *                          (all threads, from /proc/PID/task/N/schedstat)
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "log.h"
#include "ports.h"
#include "rules.h"
#include "station.h"
#include "store.h"
#include "ui.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

static char data[700];

static void seed(void)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "echo 123456 | '%s' --data '%s' operator add --badge 1001 --name Bench --role grader "
             ">/dev/null && '%s' --data '%s' import-manifest demo/manifest.csv >/dev/null",
             harness_triage(), data, harness_triage(), data);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench: seeding failed\n");
        exit(1);
    }
}

/* Start the station with stdin/stderr wired; returns its pid. */
static pid_t spawn(const char *script, int *err_fd, const char *video)
{
    int p[2];
    if (pipe(p) != 0)
        exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        setenv("SDL_VIDEODRIVER", video, 1);
        unsetenv("DISPLAY");
        if (script)
            execl(harness_triage(), "triage", "--data", data, "--script", script, (char *)NULL);
        else
            execl(harness_triage(), "triage", "--data", data, "--windowed", "1280x800",
                  (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    *err_fd = p[0];
    return pid;
}

/* Read the child's stderr until a line contains `needle`. */
static bool wait_for(int fd, const char *needle)
{
    char buf[8192];
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
        if (r <= 0)
            return false;
        n += (size_t)r;
        buf[n] = 0;
        if (strstr(buf, needle))
            return true;
        if (n > sizeof buf / 2) {
            memmove(buf, buf + n / 2, n - n / 2);
            n -= n / 2;
        }
    }
}

static void bench_startup(void)
{
    enum { RUNS = 15 };
    double ms[RUNS];
    char script[800];
    snprintf(script, sizeof script, "%s/fifo-start", harness_tmpdir());
    mkfifo(script, 0600);
    for (int i = 0; i < RUNS; i++) {
        int fd;
        int64_t t0 = clock_mono_ns();
        pid_t pid = spawn(script, &fd, "dummy");
        int w = open(script, O_WRONLY); /* the station opens the script after its first frame */
        bool ok = wait_for(fd, " I200 ");
        ms[i] = (double)(clock_mono_ns() - t0) / 1e6;
        if (w >= 0) {
            if (write(w, "quit\n", 5) != 5)
                ok = false;
            close(w);
        }
        close(fd);
        waitpid(pid, NULL, 0);
        if (!ok) {
            fprintf(stderr, "bench: the station did not start\n");
            exit(1);
        }
    }
    printf("bench startup_to_ready_ms %.1f ms\n", percentile(ms, RUNS, 0.5));
}

static void bench_event_to_frame(void)
{
    char path[800], err[256];
    snprintf(path, sizeof path, "%s/triage.db", data);
    struct store *st;
    struct rules *rules;
    struct ui *ui;
    if (store_open(path, "SH01-S01", &st, err, sizeof err) ||
        rules_load_string(rules_builtin_json, "builtin", &rules, err, sizeof err)) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    struct ui_options uo = {.headless = true};
    if (ui_open(&uo, &ui, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    struct station_settings ss = {"SH01-S01", 0, LANG_EN, rules};
    struct station_ports ports = ports_over_store(st);
    struct station *s = station_new(&ss, &ports);
    struct effects fx;
    struct view v;
    enum { N = 600 };
    static double ms[N];
    int n = 0;
    /* Log in once (Argon2id costs ~50 ms and is not a frame). */
    const char *login[] = {"1001", "\r", "123456", "\r"};
    for (int i = 0; i < 4; i++) {
        if (login[i][0] == '\r')
            ui_inject_key(ui, "Return");
        else
            ui_inject_text(ui, login[i]);
        struct event evs[8];
        bool quit;
        int k = ui_poll(ui, 0, clock_wall_ms(), evs, 8, &quit);
        for (int j = 0; j < k; j++) {
            station_handle(s, &evs[j], &fx);
            for (int e = 0; e < fx.n; e++)
                if (fx.fx[e].type == FX_CHECK_PIN) { /* the station's worker does this */
                    struct event ans = ports_check_pin(st, &fx.fx[e], clock_wall_ms());
                    station_handle(s, &ans, &fx);
                    break;
                }
        }
    }
    /* Then keep typing into the scan screen, clearing with Escape. */
    const char *keys[] = {"R", "M", "A", "Escape"};
    for (int i = 0; i < N; i++) {
        int64_t t0 = clock_mono_ns();
        ui_inject_key(ui, keys[i % 4]);
        struct event evs[8];
        bool quit;
        int k = ui_poll(ui, 0, clock_wall_ms(), evs, 8, &quit);
        bool changed = false;
        for (int j = 0; j < k; j++)
            changed |= station_handle(s, &evs[j], &fx);
        station_view(s, &v);
        ui_render(ui, &v, NULL);
        if (changed)
            ms[n++] = (double)(clock_mono_ns() - t0) / 1e6;
    }
    if (station_screen(s) != SCREEN_SCAN || n < N / 2) {
        fprintf(stderr, "bench: event_to_frame did not run as planned (%d frames)\n", n);
        exit(1);
    }
    printf("bench event_to_frame_p99_ms %.2f ms\n", percentile(ms, n, 0.99));
    station_free(s);
    ui_close(ui);
    rules_free(rules);
    store_close(st);
}

static void bench_commit(void)
{
    char path[800], err[256];
    snprintf(path, sizeof path, "%s/commit.db", harness_tmpdir());
    struct store *st;
    if (store_open(path, "SH01-S01", &st, err, sizeof err)) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    enum { N = 1000 };
    static double ms[N];
    for (int i = 0; i < N; i++) {
        struct inspection in = {0};
        snprintf(in.rma, sizeof in.rma, "RMA-%d", i);
        snprintf(in.sku, sizeof in.sku, "PH-X");
        snprintf(in.category, sizeof in.category, "phone");
        snprintf(in.operator_badge, sizeof in.operator_badge, "1001");
        snprintf(in.disposition, sizeof in.disposition, "restock");
        in.grade = GRADE_A;
        in.started_at = in.finished_at = clock_wall_ms();
        int64_t t0 = clock_mono_ns();
        if (store_commit_inspection(st, &in, err, sizeof err) != 0) {
            fprintf(stderr, "bench: %s\n", err);
            exit(1);
        }
        ms[i] = (double)(clock_mono_ns() - t0) / 1e6;
    }
    printf("bench commit_p99_ms %.2f ms\n", percentile(ms, N, 0.99));
    store_close(st);
}

/* CPU time of every thread of pid, in nanoseconds (schedstat: exact, not ticks). */
static long long proc_cpu_ns(pid_t pid)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long long sum = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", (int)pid, e->d_name);
        FILE *f = fopen(path, "r");
        long long ns = 0;
        if (f && fscanf(f, "%lld", &ns) == 1)
            sum += ns;
        if (f)
            fclose(f);
    }
    closedir(d);
    return sum;
}

static double pss_mib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    double kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Pss: %lf kB", &kb) == 1)
            break;
    fclose(f);
    return kb / 1024.0;
}

static void bench_pss_and_idle(void)
{
    /* PSS on the check screen: a script through a FIFO takes the station
     * there, then holds (the station waits for the next line). */
    char fifo[800];
    snprintf(fifo, sizeof fifo, "%s/fifo-check", harness_tmpdir());
    mkfifo(fifo, 0600);
    int fd;
    pid_t pid = spawn(fifo, &fd, "dummy");
    int w = open(fifo, O_WRONLY);
    const char *lines = "scan 1001\ntext 123456\nkey Return\nscan RMA-1001\nkey Return\n"
                        "expect check\nshot check\n";
    if (write(w, lines, strlen(lines)) != (ssize_t)strlen(lines) || !wait_for(fd, " I204 ")) {
        fprintf(stderr, "bench: the station did not reach the check screen\n");
        exit(1);
    }
    usleep(200000);
    printf("bench pss_mib %.1f MiB\n", pss_mib(pid));
    if (write(w, "quit\n", 5) != 5)
        exit(1);
    close(w);
    close(fd);
    waitpid(pid, NULL, 0);

    /* Idle CPU: the interactive station on its login screen, nobody touching it. */
    pid = spawn(NULL, &fd, "dummy");
    if (!wait_for(fd, " I200 ")) {
        fprintf(stderr, "bench: the station did not start\n");
        exit(1);
    }
    usleep(500000);
    long long t0 = proc_cpu_ns(pid);
    int64_t w0 = clock_mono_ns();
    sleep(10);
    long long t1 = proc_cpu_ns(pid);
    double pct = 100.0 * (double)(t1 - t0) / (double)(clock_mono_ns() - w0);
    printf("bench idle_cpu_pct %.4f %%\n", pct);
    kill(pid, SIGTERM);
    close(fd);
    waitpid(pid, NULL, 0);
}

int main(void)
{
    snprintf(data, sizeof data, "%s/data", harness_tmpdir());
    seed();
    bench_startup();
    bench_event_to_frame();
    bench_commit();
    bench_pss_and_idle();
    return 0;
}
