/*
 * upkeep.c — the data folder's upkeep while the station runs (upkeep.h).
 */
#include "upkeep.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "log.h"
#include "outbox.h"
#include "retention.h"
#include "store.h"

#define DISK_EVERY_MS (30 * 1000)
#define CHECKPOINT_IDLE_MS (60 * 1000)
#define CHECKPOINT_EVERY_MS (10 * 60 * 1000)
#define RETENTION_EVERY_MS (60 * 60 * 1000)
#define TAKES_KEPT_MS (24LL * 60 * 60 * 1000)

void upkeep_init(struct upkeep *u, struct store *st, const char *data_dir, const struct config *cfg,
                 const char *target)
{
    memset(u, 0, sizeof *u);
    u->store = st;
    u->data_dir = data_dir;
    u->cfg = cfg;
    snprintf(u->target, sizeof u->target, "%s", target);
}

static bool check_disk(struct upkeep *u)
{
    int64_t free_mb = datadir_free_mb(u->data_dir);
    int before = u->disk_low_mb;
    if (free_mb >= 0 && free_mb < u->cfg->retention.warn_free_mb)
        u->disk_low_mb = free_mb < 1 ? 1 : free_mb > 1000000000 ? 1000000000 : (int)free_mb;
    else
        u->disk_low_mb = 0;
    if (u->disk_low_mb && !before) {
        int64_t photos = retention_photos_bytes(u->store);
        log_warn("W946",
                 "only %d MB free on the disk of %s (warning below %d MB): make room"
                 " before it fills (photos/ holds %lld MB; photos, labels and outbox rows"
                 " head office has go after [retention] days = %d)",
                 u->disk_low_mb, u->data_dir, u->cfg->retention.warn_free_mb,
                 (long long)(photos > 0 ? photos / (1024 * 1024) : 0), u->cfg->retention.days);
    }
    return (before != 0) != (u->disk_low_mb != 0) || (u->disk_low_mb && before != u->disk_low_mb);
}

struct label_dir {
    char dir[600];
    int64_t removed;
};

static void remove_label(void *arg, const char *plate)
{
    struct label_dir *l = arg;
    static const char *const ext[] = {".zpl", ".png"};
    for (int i = 0; i < 2; i++) {
        char path[800];
        snprintf(path, sizeof path, "%s/%s%s", l->dir, plate, ext[i]);
        if (unlink(path) == 0)
            l->removed++;
        else if (errno != ENOENT)
            log_warn("W947", "label file %s not removed: %s", path, strerror(errno));
    }
}

/* What head office has and is older than [retention] days goes. */
static void retention(struct upkeep *u)
{
    if (u->cfg->retention.days <= 0)
        return;
    struct outbox_progress p;
    char err[300];
    if (outbox_progress(u->store, u->target, &p, err, sizeof err) != 0) {
        log_warn("W947", "retention skipped: %s", err);
        return;
    }
    int64_t cutoff = clock_wall_ms() - (int64_t)u->cfg->retention.days * 86400000LL;
    int64_t rows = retention_prune_outbox(u->store, p.sent_seq, cutoff, err, sizeof err);
    if (rows < 0)
        log_warn("W947", "retention: %s", err);
    struct label_dir l = {.removed = 0};
    snprintf(l.dir, sizeof l.dir, "%s/labels", u->data_dir);
    int64_t photos = 0;
    int64_t plates = retention_label_plates(u->store, p.sent_seq, cutoff, remove_label, &l, &photos,
                                            err, sizeof err);
    if (plates < 0)
        log_warn("W947", "retention: %s", err);
    if (rows > 0 || l.removed > 0 || photos > 0)
        log_info("I947",
                 "retention: %lld outbox rows, %lld label files and %lld photos older than %d"
                 " days, all at head office, removed",
                 (long long)(rows > 0 ? rows : 0), (long long)l.removed, (long long)photos,
                 u->cfg->retention.days);
}

/* Photos taken that no draft and no inspection names any more (retaken,
 * given up) go after a day, whatever [retention] says. */
static void forget_takes(struct upkeep *u)
{
    char err[300];
    int64_t n = retention_prune_takes(u->store, clock_wall_ms() - TAKES_KEPT_MS, err, sizeof err);
    if (n < 0)
        log_warn("W947", "retention: %s", err);
    else if (n > 0)
        log_info("I947",
                 "retention: %lld photos taken a day ago or more and named by nothing removed",
                 (long long)n);
}

bool upkeep_step(struct upkeep *u, int64_t now_ms, int64_t idle_ms)
{
    bool changed = false;
    if (now_ms >= u->next_disk) {
        changed = check_disk(u);
        u->next_disk = now_ms + DISK_EVERY_MS;
    }
    if (now_ms >= u->next_retention) {
        retention(u);
        forget_takes(u);
        u->next_retention = now_ms + RETENTION_EVERY_MS;
    }
    if (idle_ms >= CHECKPOINT_IDLE_MS && now_ms >= u->next_checkpoint) {
        store_checkpoint(u->store);
        u->next_checkpoint = now_ms + CHECKPOINT_EVERY_MS;
    }
    return changed;
}

int64_t upkeep_next_ms(const struct upkeep *u, int64_t now_ms)
{
    /* The disk is looked at every 30 s, which also lets an idle checkpoint
     * come within 30 s of being due. */
    int64_t t = u->next_disk < u->next_retention ? u->next_disk : u->next_retention;
    return t > now_ms ? t - now_ms : 0;
}

void upkeep_finish(struct upkeep *u)
{
    if (u->store)
        store_checkpoint(u->store);
}
