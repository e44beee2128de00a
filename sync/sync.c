/*
 * sync.c — rounds of sync and the worker thread that runs them (sync.h).
 *
 * A round, for one target:
 *   1. take the station's sync lock (flock on DB.sync-lock): the worker and a
 *      `triage sync --once` never interleave their batches;
 *   2. open the transport; ask the target how far it has everything
 *      (PostgreSQL keeps a watermark per station and epoch; the spool keeps
 *      none, so our own sent_seq counts);
 *   3. while outbox rows remain after that point, take up to batch_size of
 *      them, in seq order without a gap, and push them as one batch. Before a
 *      spool batch its range is written down (intent_last) so that after a
 *      crash exactly the same range is written again, never an overlapping
 *      one; after the target acknowledged (COMMIT returned, or the file is
 *      renamed and its folder synced) sent_seq advances;
 *   4. the same for the station's audit chain (audit.h), which head office
 *      keeps beside the outcomes and can verify there;
 *   5. pull manifest rows changed since the last pull; check each with the
 *      manifest's one row check (manifest_row.h), reject the bad ones with
 *      its E4xx id (logged as E707 and in the audit table), store the rest
 *      in one transaction, then move the pull mark.
 * A key head office already holds with different content is an alert (E706,
 * logged and audited); head office keeps the first content and its own alert.
 *
 * The station's database is read and written through the store: the outbox
 * and sync_state through outbox.h, pulled manifest rows through
 * store_put_manifest, alerts and rejects through store_audit. sync/ holds no
 * SQL of the station's.
 *
 * The worker: a worker thread (worker.h) with its own connection (STORE_SYNC:
 * WAL lets it read while the UI writes; its own writes are single small
 * transactions); its step runs a round every interval_s or when kicked, with
 * exponential backoff and full jitter after a failure, and recounts the
 * outcomes waiting when asked. It reports through a mutex-guarded status and
 * a callback; it never calls into the UI.
 */
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "log.h"
#include "manifest_row.h"
#include "outbox.h"
#include "photos.h"
#include "retention.h"
#include "store.h"
#include "text.h"
#include "worker.h"

#define MAX_BATCH 10000

void sync_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, 65, h, sizeof h);
}

const char *sync_target(const struct sync_options *opt, char *buf, size_t buflen)
{
    if (opt->cfg && opt->cfg->target[0])
        snprintf(buf, buflen, "%s", opt->cfg->target);
    else
        snprintf(buf, buflen, "spool:%s/spool", opt->data_dir ? opt->data_dir : "var");
    return buf;
}

static const struct sync_transport *pick_transport(const char *target)
{
    if (strncmp(target, "spool:", 6) == 0)
        return &sync_spool_transport;
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
        return &sync_pg_transport;
    return NULL;
}

int64_t sync_backoff_ms(int failures, int64_t base_ms, int64_t max_ms)
{
    if (failures < 1)
        failures = 1;
    int64_t d = base_ms;
    for (int i = 1; i < failures && d < max_ms; i++)
        d *= 2;
    if (d > max_ms)
        d = max_ms;
    if (d < 2)
        return d;
    /* Full jitter over the upper half: stations cut off together do not all
     * come back in the same second. */
    int64_t half = d / 2;
    return half + (int64_t)randombytes_uniform((uint32_t)(half > 0x7fffffff ? 0x7fffffff : half) + 1);
}

/* ---- a round ------------------------------------------------------------- */

struct round {
    const struct sync_options *opt;
    struct store *store;
    const char *target;
    const atomic_bool *stop;
    struct sync_status *st;
    void (*progress)(void *arg); /* after each batch (worker: publish status) */
    void *progress_arg;

    /* manifest rows of the pull in progress, gathered until the transport
     * applies them: each with where it came from and its index among the
     * rows the transport delivered since the last apply */
    struct manifest_row *rows;
    struct pulled {
        char where[200];
        int index;
    } *from;
    int nrows, cap;
    int delivered;    /* rows delivered since the last apply */
    unsigned columns; /* the columns every gathered row gives */
    bool oom;
};

static int push_all(struct round *r, const struct sync_transport *t, void *ts, char *err,
                    size_t errlen)
{
    struct outbox_progress ls;
    if (outbox_progress(r->store, r->target, &ls, err, errlen) < 0)
        return -1;
    int64_t max = outbox_last_seq(r->store, err, errlen);
    if (max < 0)
        return -1;
    const char *station = store_station(r->store), *epoch = store_epoch(r->store);
    int64_t start = ls.sent_seq, forced = 0;
    int64_t remote;
    int w = t->watermark(ts, station, epoch, &remote, err, errlen);
    if (w < 0)
        return -1;
    if (w == 0) {
        /* Head office is the judge of what it holds: resend after a restore
         * from backup, skip what a lost acknowledgement already stored. */
        if (remote > max) {
            log_warn("W705", "head office holds seq up to %lld of station %s epoch %s, this"
                             " station only %lld",
                     (long long)remote, station, epoch, (long long)max);
            remote = max;
        }
        start = remote;
    } else if (ls.intent_last > ls.sent_seq) {
        forced = ls.intent_last; /* redo exactly the range begun before a crash */
    }
    if (start > max)
        start = max;
    int batch_size = r->opt->cfg && r->opt->cfg->batch_size > 0 ? r->opt->cfg->batch_size : 500;
    if (batch_size > MAX_BATCH)
        batch_size = MAX_BATCH;
    r->st->waiting = max - start;
    if (start != ls.sent_seq && outbox_mark_sent(r->store, r->target, start, 0, err, errlen) < 0)
        return -1;

    while (start < max) {
        if (r->stop && atomic_load(r->stop)) {
            set_err(err, errlen, "E726: sync stopped before it finished");
            return -1;
        }
        int64_t last = start + batch_size;
        if (forced > start)
            last = forced;
        if (last > max)
            last = max;
        /* One station id a batch: what a renamed station graded under its
         * earlier id goes under that id (head office keys it so). */
        char bstation[40];
        last = outbox_station_run(r->store, start + 1, last, bstation, sizeof bstation, err,
                                  errlen);
        if (last < 0)
            return -1;
        struct outbox_batch ob;
        if (outbox_fetch(r->store, start, last, &ob, err, errlen) < 0)
            return -1;
        if (w != 0 && outbox_mark_sent(r->store, r->target, start, last, err, errlen) < 0) {
            outbox_batch_free(&ob);
            return -1;
        }
        struct sync_batch b = {.station = bstation,
                               .epoch = epoch,
                               .first = ob.first,
                               .last = ob.last,
                               .count = ob.count,
                               .records = (const char *const *)ob.records,
                               .lens = ob.lens,
                               .data_dir = photos_data_dir(r->store)};
        /* The evidence goes with its outcomes: the photos the records name. */
        struct sync_photo *photos = NULL;
        int rc = sync_photos_of(&b, &photos, &b.nphotos, err, errlen);
        if (rc == 0 && b.nphotos > 0) {
            int64_t gone = retention_photos_gone(r->store);
            for (int i = 0; i < b.nphotos; i++)
                photos[i].pruned = photos[i].seq <= gone;
        }
        b.photos = photos;
        struct sync_push_result res = {.watermark = -1};
        if (rc == 0)
            rc = t->push(ts, &b, &res, err, errlen);
        outbox_batch_free(&ob);
        free(photos);
        if (rc < 0)
            return -1;
        if (outbox_mark_sent(r->store, r->target, last, 0, err, errlen) < 0)
            return -1;
        r->st->pushed += res.inserted + res.duplicates + res.conflicts;
        r->st->resent += res.duplicates;
        r->st->photos += res.photos;
        if (res.conflicts > 0 || res.photo_conflicts > 0) {
            r->st->conflicts += res.conflicts;
            char detail[200];
            snprintf(detail, sizeof detail,
                     "seq %lld..%lld: %lld already at head office with other content"
                     " (%lld of their photos not stored)",
                     (long long)b.first, (long long)b.last, (long long)res.conflicts,
                     (long long)res.photo_conflicts);
            log_error("E706", "alert: %s (kept there, see triage.sync_alerts)", detail);
            store_audit(r->store, clock_wall_ms(), NULL, "sync_conflict", NULL, detail);
        }
        start = last;
        forced = 0;
        r->st->waiting = max - start;
        if (r->progress)
            r->progress(r->progress_arg);
    }
    return 0;
}

/* The station's audit chain (audit.h), after the outcomes: the same steps
 * as push_all, over audit ids, always under the station's current id. */
static int push_audit_all(struct round *r, const struct sync_transport *t, void *ts, char *err,
                          size_t errlen)
{
    int64_t sent, intent;
    if (audit_progress(r->store, r->target, &sent, &intent, err, errlen) < 0)
        return -1;
    int64_t max = audit_last_id(r->store, err, errlen);
    if (max < 0)
        return -1;
    const char *station = store_station(r->store), *epoch = store_epoch(r->store);
    int64_t start = sent, forced = 0, remote;
    int w = t->audit_watermark(ts, station, epoch, &remote, err, errlen);
    if (w < 0)
        return -1;
    if (w == 0)
        start = remote > max ? max : remote;
    else if (intent > sent)
        forced = intent;
    if (start > max)
        start = max;
    int batch_size = r->opt->cfg && r->opt->cfg->batch_size > 0 ? r->opt->cfg->batch_size : 500;
    if (batch_size > MAX_BATCH)
        batch_size = MAX_BATCH;
    if (start != sent && audit_mark_sent(r->store, r->target, start, 0, err, errlen) < 0)
        return -1;
    while (start < max) {
        if (r->stop && atomic_load(r->stop)) {
            set_err(err, errlen, "E726: sync stopped before it finished");
            return -1;
        }
        int64_t last = forced > start ? forced : start + batch_size;
        if (last > max)
            last = max;
        struct outbox_batch ab;
        if (audit_fetch(r->store, start, last, &ab, err, errlen) < 0)
            return -1;
        if (w != 0 && audit_mark_sent(r->store, r->target, start, last, err, errlen) < 0) {
            outbox_batch_free(&ab);
            return -1;
        }
        struct sync_batch b = {.station = station,
                               .epoch = epoch,
                               .first = ab.first,
                               .last = ab.last,
                               .count = ab.count,
                               .records = (const char *const *)ab.records,
                               .lens = ab.lens};
        struct sync_push_result res = {.watermark = -1};
        int rc = t->push_audit(ts, &b, &res, err, errlen);
        outbox_batch_free(&ab);
        if (rc < 0)
            return -1;
        if (audit_mark_sent(r->store, r->target, last, 0, err, errlen) < 0)
            return -1;
        r->st->audit_rows += res.inserted + res.duplicates + res.conflicts;
        if (res.conflicts > 0 || res.broken > 0) {
            char detail[200];
            snprintf(detail, sizeof detail,
                     "audit rows %lld..%lld: %lld already at head office with other content,"
                     " %lld not following the row before",
                     (long long)b.first, (long long)b.last, (long long)res.conflicts,
                     (long long)res.broken);
            log_error("E731", "alert: %s (see triage.sync_alerts; `triage audit verify`)",
                      detail);
            store_audit(r->store, clock_wall_ms(), NULL, "sync_audit_alert", NULL, detail);
        }
        start = last;
        forced = 0;
    }
    return 0;
}

/* ---- manifest pull -------------------------------------------------------- */

static void reject_row(void *arg, const char *where, const char *msg)
{
    struct round *r = arg;
    r->st->rejected++;
    log_error("E707", "manifest row %s rejected: %s", where, msg);
    char detail[400];
    snprintf(detail, sizeof detail, "%s: %s", where, msg);
    store_audit(r->store, clock_wall_ms(), NULL, "manifest_reject", NULL, detail);
}

static void take_row(void *arg, const char *const f[MANIFEST_FIELDS], const char *where)
{
    struct round *r = arg;
    struct manifest_row row;
    char msg[300];
    int index = r->delivered++;
    if (manifest_row_fill(&row, f, msg, sizeof msg) != 0) {
        reject_row(r, where, msg);
        return;
    }
    if (r->nrows == r->cap) {
        int cap = r->cap ? r->cap * 2 : 256;
        struct manifest_row *rows = realloc(r->rows, (size_t)cap * sizeof *rows);
        if (rows)
            r->rows = rows;
        struct pulled *from = realloc(r->from, (size_t)cap * sizeof *from);
        if (from)
            r->from = from;
        if (!rows || !from) {
            r->oom = true;
            return;
        }
        r->cap = cap;
    }
    if (r->nrows == 0)
        r->columns = MANIFEST_ALL_COLUMNS;
    for (int c = 0; c < MANIFEST_FIELDS; c++)
        if (!f[c])
            r->columns &= ~(1u << c); /* not given: what the station holds stays */
    snprintf(r->from[r->nrows].where, sizeof r->from[r->nrows].where, "%s", where);
    r->from[r->nrows].index = index;
    r->rows[r->nrows++] = row;
}

static void reject_cb(void *arg, const char *where, const char *msg)
{
    reject_row(arg, where, msg);
}

struct kept_report {
    struct round *r;
    void (*kept)(void *karg, int index, const char *msg);
    void *karg;
};

/* A pulled row for an RMA that already has an outcome: not applied. When it
 * would have changed the station's row (head office updated it), it is
 * reported like a rejected row: logged (E707 with W418), audited, and told
 * to the transport. The same row pulled again changes nothing: silent. */
static void on_kept(void *arg, int index, const char *plate, bool differs)
{
    struct kept_report *k = arg;
    struct round *r = k->r;
    if (!differs)
        return;
    char msg[300];
    snprintf(msg, sizeof msg, "W418: %s already has an outcome (%s); its row is not applied",
             r->rows[index].rma, plate);
    reject_row(r, r->from[index].where, msg);
    if (k->kept)
        k->kept(k->karg, r->from[index].index, msg);
}

/* Store the rows gathered so far in one transaction. */
static int apply_rows(void *arg, void (*kept)(void *karg, int index, const char *msg),
                      void *karg)
{
    struct round *r = arg;
    char err[300];
    int nrows = r->nrows;
    r->nrows = 0;
    r->delivered = 0;
    if (r->oom) {
        log_error("E710", "out of memory gathering manifest rows");
        r->oom = false;
        return -1;
    }
    struct kept_report k = {.r = r, .kept = kept, .karg = karg};
    int applied = nrows > 0 ? store_put_manifest(r->store, r->rows, nrows, r->columns, on_kept,
                                                 &k, err, sizeof err)
                            : 0;
    if (applied < 0) {
        log_error("E708", "pulled manifest not stored: %s", err);
        return -1;
    }
    r->st->manifests += applied;
    return 0;
}

static int pull(struct round *r, const struct sync_transport *t, void *ts, char *err,
                size_t errlen)
{
    struct outbox_progress ls;
    if (outbox_progress(r->store, r->target, &ls, err, errlen) < 0)
        return -1;
    char since[64];
    snprintf(since, sizeof since, "%s", ls.manifest_since);
    struct sync_manifest_cb cb = {.row = take_row, .reject = reject_cb, .arg = r};
    int rc = t->pull(ts, store_station(r->store), since, sizeof since, &cb, apply_rows, err,
                     errlen);
    free(r->rows);
    free(r->from);
    r->rows = NULL;
    r->from = NULL;
    r->nrows = r->cap = r->delivered = 0;
    if (rc < 0)
        return -1;
    if (strcmp(since, ls.manifest_since) != 0 &&
        outbox_mark_pulled(r->store, r->target, since, err, errlen) < 0)
        return -1;
    return 0;
}

/* Hold the station's sync lock: at most one round of a station at a time. */
static int lock_station(const char *db_path, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s.sync-lock", db_path);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        set_err(err, errlen, "E701: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    for (int i = 0; i < 300; i++) { /* up to 30 s */
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        if (errno != EWOULDBLOCK && errno != EINTR)
            break;
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    set_err(err, errlen, "E701: another sync of this station is running (%s)", path);
    close(fd);
    return -1;
}

/* One round over an open store. */
static int run_round(const struct sync_options *opt, struct store *store,
                     struct sync_status *st, void (*progress)(void *), void *parg, char *err,
                     size_t errlen)
{
    const atomic_bool *stop = opt->stop;
    char target[600];
    sync_target(opt, target, sizeof target);
    const struct sync_transport *t = pick_transport(target);
    st->pushed = st->resent = st->conflicts = st->audit_rows = st->photos = 0;
    st->manifests = st->rejected = 0;
    if (!t) {
        set_err(err, errlen, "E709: unknown sync target \"%s\" (spool:DIR or postgresql://…)",
                target);
        return -1;
    }
    struct round r = {.opt = opt,
                      .store = store,
                      .target = target,
                      .stop = stop,
                      .st = st,
                      .progress = progress,
                      .progress_arg = parg};
    int lock = lock_station(opt->db_path, err, errlen);
    if (lock < 0)
        return -1;
    void *ts = NULL;
    int rc = t->open(opt, target, &ts, err, errlen);
    if (rc == 0)
        rc = push_all(&r, t, ts, err, errlen);
    if (rc == 0)
        rc = push_audit_all(&r, t, ts, err, errlen);
    if (rc == 0)
        rc = pull(&r, t, ts, err, errlen);
    if (ts)
        t->close(ts);
    outbox_mark_round(store, target, rc == 0 ? NULL : err, clock_wall_ms());
    close(lock);
    if (rc == 0) {
        st->last_ok_ms = clock_wall_ms();
        st->last_error[0] = 0;
        st->failures = 0;
    } else {
        snprintf(st->last_error, sizeof st->last_error, "%s", err);
        st->failures++;
    }
    return rc;
}

int sync_run_once(const struct sync_options *opt, struct sync_status *out, char *err,
                  size_t errlen)
{
    struct sync_status st = {.waiting = -1};
    struct store *store = NULL;
    char serr[300];
    if (sodium_init() < 0) {
        set_err(err, errlen, "E710: libsodium cannot start");
        return -1;
    }
    if (store_open_worker(opt->db_path, opt->station, STORE_SYNC, &store, serr, sizeof serr) !=
        0) {
        set_err(err, errlen, "E700: cannot open the station database: %s", serr);
        return -1;
    }
    int rc = run_round(opt, store, &st, NULL, NULL, err, errlen);
    store_close(store);
    if (out)
        *out = st;
    return rc;
}

/* ---- the worker ----------------------------------------------------------- */

struct sync {
    struct sync_options opt;
    struct sync_opts cfg;
    struct worker *worker;
    atomic_bool stop; /* sync_stop: a round in progress gives up at its next batch */

    /* the step's own */
    struct store *store;    /* the thread's connection, opened by its first round */
    struct sync_status st;  /* as the rounds see it */
    bool had_failures;
    int64_t next_round;     /* mono ms */

    pthread_mutex_t mu;
    bool want_round, want_recount; /* under mu: sync_kick, sync_recount */
    struct sync_status status;     /* under mu: the copy sync_get_status reads */
};

static void publish(struct sync *s)
{
    pthread_mutex_lock(&s->mu);
    s->status = s->st;
    pthread_mutex_unlock(&s->mu);
    worker_wake(s->worker);
}

static void on_progress(void *arg)
{
    publish(arg);
}

static void recount(struct sync *s)
{
    char target[600];
    sync_target(&s->opt, target, sizeof target);
    int64_t waiting = outbox_waiting(s->store, target);
    if (waiting >= 0)
        s->st.waiting = waiting;
}

/* One round, and the time until the next: the interval, or a backoff after
 * a failure. */
static int64_t round_step(struct sync *s)
{
    struct sync_status *st = &s->st;
    char err[300];
    int rc = -1;
    if (!s->store && store_open_worker(s->opt.db_path, s->opt.station, STORE_SYNC, &s->store,
                                       err, sizeof err) != 0) {
        char e2[sizeof err + 60];
        snprintf(e2, sizeof e2, "E700: cannot open the station database: %s", err);
        snprintf(err, sizeof err, "%.*s", (int)sizeof err - 1, e2);
        snprintf(st->last_error, sizeof st->last_error, "%.*s", (int)sizeof st->last_error - 1,
                 err);
        st->failures++;
        s->store = NULL;
    } else {
        rc = run_round(&s->opt, s->store, st, on_progress, s, err, sizeof err);
        recount(s);
    }
    bool recovered = rc == 0 && s->had_failures;
    s->had_failures = rc != 0;
    if (rc == 0 && (st->pushed > 0 || st->manifests > 0 || st->rejected > 0 || recovered))
        log_info("I700", "sync: %lld sent (%lld already there), %d manifest rows, %lld"
                         " waiting",
                 (long long)st->pushed, (long long)st->resent, st->manifests,
                 (long long)st->waiting);
    else if (rc != 0 && !atomic_load(&s->stop))
        log_error("E730", "sync round failed (%d in a row): %s", st->failures, err);
    publish(s);

    int64_t wait_ms = (int64_t)s->cfg.interval_s * 1000;
    if (rc != 0) {
        int64_t cap = wait_ms < 300000 ? wait_ms : 300000;
        wait_ms = sync_backoff_ms(st->failures, 1000, cap < 1000 ? 1000 : cap);
    }
    return wait_ms;
}

/* The worker's step: a round when one is due or asked for, else a recount
 * when asked; then sleep until the next round is due. */
static int64_t step(void *ctx, unsigned events)
{
    struct sync *s = ctx;
    if (events & WORKER_STOPPING)
        return WORKER_DONE;
    int64_t now = clock_mono_ms();
    pthread_mutex_lock(&s->mu);
    bool round = s->want_round || now >= s->next_round;
    bool count = s->want_recount && !round; /* a round recounts anyway */
    s->want_round = false;
    s->want_recount = false;
    pthread_mutex_unlock(&s->mu);
    if (round) {
        int64_t wait_ms = round_step(s);
        s->next_round = clock_mono_ms() + wait_ms;
        return wait_ms;
    }
    if (count && s->store) {
        recount(s);
        publish(s);
    }
    return s->next_round - now;
}

int sync_start(const struct sync_options *opt, struct sync **out, char *err, size_t errlen)
{
    *out = NULL;
    if (sodium_init() < 0) {
        set_err(err, errlen, "E710: libsodium cannot start");
        return -1;
    }
    struct sync *s = calloc(1, sizeof *s);
    if (!s) {
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }
    s->opt = *opt;
    if (opt->cfg)
        s->cfg = *opt->cfg;
    if (s->cfg.interval_s <= 0)
        s->cfg.interval_s = 60;
    if (s->cfg.batch_size <= 0)
        s->cfg.batch_size = 500;
    s->opt.cfg = &s->cfg;
    s->opt.stop = &s->stop;
    s->st.waiting = -1;
    s->status.waiting = -1;
    atomic_init(&s->stop, false);
    pthread_mutex_init(&s->mu, NULL);
    char werr[160];
    struct worker_options wo = {.name = "triage-sync",
                                .step = step,
                                .ctx = s,
                                .wake = opt->on_status,
                                .wake_arg = opt->arg};
    if (worker_open(&wo, &s->worker, werr, sizeof werr) != 0) {
        set_err(err, errlen, "E725: cannot start the sync thread: %s", werr);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void sync_kick(struct sync *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->want_round = true;
    pthread_mutex_unlock(&s->mu);
    worker_kick(s->worker);
}

void sync_recount(struct sync *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->want_recount = true;
    pthread_mutex_unlock(&s->mu);
    worker_kick(s->worker);
}

void sync_get_status(struct sync *s, struct sync_status *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->status;
    pthread_mutex_unlock(&s->mu);
}

void sync_stop(struct sync *s)
{
    if (!s)
        return;
    atomic_store(&s->stop, true);
    worker_close(s->worker);
    store_close(s->store);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
