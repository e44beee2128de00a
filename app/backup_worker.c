/*
 * backup_worker.c — the daily backup thread (backup_worker.h).
 *
 * The thread sleeps on a condition variable (monotonic clock) until the next time the
 * day's copy may be due, at most an hour at a time, so a changed wall clock or a
 * suspended machine is noticed within the hour. `stop` and the condition variable are
 * guarded by `mu`; everything else is the thread's own.
 */
#include "backup_worker.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "log.h"

#define RETRY_MS (15 * 60 * 1000)   /* after a failed copy */
#define MAX_SLEEP_MS (60 * 60 * 1000)

struct bworker {
    char db_path[1024];
    char dir[1024];
    struct backup_opts opts;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stop;
};

/* Local wall time of the start of the hour `hour` of the day of wall_ms, in ms. */
static int64_t due_today(int64_t wall_ms, int hour)
{
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_hour = hour;
    tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}

int bworker_pass(const char *db_path, const char *dir, const struct backup_opts *opts,
                 int64_t wall_ms, char *err, size_t errlen)
{
    if (opts->keep_days <= 0 || wall_ms < due_today(wall_ms, opts->hour))
        return 0;
    char name[64], dest[PATH_MAX], tmp[PATH_MAX + 8];
    backup_daily_name(wall_ms, name, sizeof name);
    if (snprintf(dest, sizeof dest, "%s/%s", dir, name) >= (int)sizeof dest) {
        snprintf(err, errlen, "E257: backup folder path too long: %s", dir);
        return -1;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "E258: cannot make the backup folder %s: %s", dir, strerror(errno));
        return -1;
    }
    int taken = 0;
    struct stat st;
    if (stat(dest, &st) != 0) {
        /* Only this thread writes daily copies: a .tmp now is one a cut-off run left. */
        snprintf(tmp, sizeof tmp, "%s.tmp", dest);
        if (unlink(tmp) == 0)
            log_warn("W890", "removed %s, left by a backup that was cut off", tmp);
        struct backup_info info = {0};
        int64_t t0 = clock_mono_ms();
        if (backup_take(db_path, dest, &info, err, errlen) != 0)
            return -1;
        log_info("I890", "backup %s: %lld inspections, %lld KiB, %lld ms", dest,
                 (long long)info.inspections, (long long)(info.bytes / 1024),
                 (long long)(clock_mono_ms() - t0));
        taken = 1;
    }
    char perr[256];
    int removed = backup_prune(dir, wall_ms, opts->keep_days, perr, sizeof perr);
    if (removed > 0)
        log_info("I891", "removed %d daily backups older than %d days from %s", removed,
                 opts->keep_days, dir);
    else if (removed < 0)
        log_warn("W891", "%s", perr);
    return taken;
}

/* How long to sleep after a pass at wall_ms that returned `result`. */
static int64_t next_sleep_ms(const struct backup_opts *opts, int64_t wall_ms, int result)
{
    if (result < 0)
        return RETRY_MS;
    int64_t due = due_today(wall_ms, opts->hour);
    if (wall_ms >= due) /* today's is done: tomorrow's, found from a time past midnight */
        due = due_today(due + 25 * 3600 * 1000LL, opts->hour);
    int64_t ms = due - wall_ms + 1000;
    return ms < 1000 ? 1000 : ms > MAX_SLEEP_MS ? MAX_SLEEP_MS : ms;
}

static void *thread_main(void *arg)
{
    struct bworker *w = arg;
    int64_t sleep_ms = (int64_t)w->opts.after_start_s * 1000;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (sleep_ms % 1000) * 1000000;
        ts.tv_sec += (time_t)(sleep_ms / 1000 + ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        while (!w->stop && pthread_cond_timedwait(&w->cond, &w->mu, &ts) != ETIMEDOUT)
            ;
        if (w->stop)
            break;
        pthread_mutex_unlock(&w->mu);
        char err[512];
        int64_t now = clock_wall_ms();
        int r = bworker_pass(w->db_path, w->dir, &w->opts, now, err, sizeof err);
        if (r < 0)
            log_error("E890", "daily backup failed, next try in 15 minutes: %s", err);
        sleep_ms = next_sleep_ms(&w->opts, now, r);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int bworker_start(const char *db_path, const char *data_dir, const struct backup_opts *opts,
                  struct bworker **out, char *err, size_t errlen)
{
    *out = NULL;
    if (opts->keep_days <= 0)
        return 0;
    struct bworker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "E891: out of memory");
        return -1;
    }
    w->opts = *opts;
    snprintf(w->db_path, sizeof w->db_path, "%s", db_path);
    if (opts->dir[0])
        snprintf(w->dir, sizeof w->dir, "%s", opts->dir);
    else
        snprintf(w->dir, sizeof w->dir, "%s/backups", data_dir);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&w->thread, NULL, thread_main, w);
    if (rc != 0) {
        snprintf(err, errlen, "E891: cannot start the backup thread: %s", strerror(rc));
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return -1;
    }
    *out = w;
    return 0;
}

void bworker_stop(struct bworker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->mu);
    free(w);
}
