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
 *   4. pull manifest rows changed since the last pull; check each with the
 *      manifest's one row check (manifest_row.h), reject the bad ones with
 *      its E4xx id (logged as E707 and in the audit table), store the rest
 *      in one transaction, then move the pull mark.
 * A key head office already holds with different content is an alert (E706,
 * logged and audited); head office keeps the first content and its own alert.
 *
 * The worker: one thread, its own SQLite connection (WAL lets it read while
 * the UI writes; its own writes are single small transactions), rounds every
 * interval_s or when kicked, exponential backoff with full jitter after a
 * failure. It reports through a mutex-guarded status and a callback; it never
 * calls into the UI.
 */
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "manifest_row.h"
#include "store.h"
#include "text.h"

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

/* ---- local bookkeeping (sync_state) ---------------------------------------- */

struct local_state {
    int64_t sent_seq, intent_last;
    char manifest_since[64];
};

static int exec1(sqlite3 *db, const char *sql, const char *target, int64_t a, int64_t b,
                 const char *text)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, a);
        sqlite3_bind_int64(s, 3, b);
        if (text)
            sqlite3_bind_text(s, 4, text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(s, 4);
        rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    return rc;
}

static int state_load(sqlite3 *db, const char *target, struct local_state *ls, char *err,
                      size_t errlen)
{
    memset(ls, 0, sizeof *ls);
    if (exec1(db, "INSERT OR IGNORE INTO sync_state (target) VALUES (?1)", target, 0, 0, NULL) !=
        SQLITE_OK) {
        set_err(err, errlen, "E704: cannot record sync progress: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT sent_seq, intent_last, manifest_since FROM sync_state"
                                " WHERE target = ?1",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            ls->sent_seq = sqlite3_column_int64(s, 0);
            ls->intent_last = sqlite3_column_int64(s, 1);
            const unsigned char *t = sqlite3_column_text(s, 2);
            snprintf(ls->manifest_since, sizeof ls->manifest_since, "%s",
                     t ? (const char *)t : "");
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot read sync progress: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static int state_set_seq(sqlite3 *db, const char *target, int64_t sent, int64_t intent,
                         char *err, size_t errlen)
{
    if (exec1(db, "UPDATE sync_state SET sent_seq = ?2, intent_last = ?3 WHERE target = ?1",
              target, sent, intent, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E704: cannot record sync progress: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static int64_t outbox_max(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(seq), 0) FROM outbox", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* ---- a round ------------------------------------------------------------- */

struct round {
    const struct sync_options *opt;
    struct store *store;
    sqlite3 *db;
    const char *target;
    const atomic_bool *stop;
    struct sync_status *st;
    void (*progress)(void *arg); /* after each batch (worker: publish status) */
    void *progress_arg;

    /* manifest rows of the pull in progress */
    struct manifest_row *rows;
    int nrows, cap;
    bool oom;
};

/* The records of seqs first..last from the outbox, into b (malloc'd arrays). */
static int read_batch(struct round *r, int64_t first, int64_t last, struct sync_batch *b,
                      char ***texts, size_t **lens, char *err, size_t errlen)
{
    int n = (int)(last - first + 1);
    *texts = calloc((size_t)n, sizeof **texts);
    *lens = calloc((size_t)n, sizeof **lens);
    if (!*texts || !*lens) {
        set_err(err, errlen, "E710: out of memory");
        return -1;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(r->db,
                                "SELECT seq, payload FROM outbox WHERE seq BETWEEN ?1 AND ?2"
                                " ORDER BY seq",
                                -1, &s, NULL);
    int k = 0;
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, first);
        sqlite3_bind_int64(s, 2, last);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t seq = sqlite3_column_int64(s, 0);
            if (k >= n || seq != first + k) {
                set_err(err, errlen, "E703: the outbox has a gap before seq %lld",
                        (long long)seq);
                sqlite3_finalize(s);
                return -1;
            }
            int len = sqlite3_column_bytes(s, 1);
            const unsigned char *t = sqlite3_column_text(s, 1);
            (*texts)[k] = malloc((size_t)len + 1);
            if (!(*texts)[k]) {
                set_err(err, errlen, "E710: out of memory");
                sqlite3_finalize(s);
                return -1;
            }
            memcpy((*texts)[k], t ? (const char *)t : "", (size_t)len);
            (*texts)[k][len] = 0;
            (*lens)[k] = (size_t)len;
            k++;
        }
    }
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E702: cannot read the outbox: %s", sqlite3_errmsg(r->db));
        sqlite3_finalize(s);
        return -1;
    }
    sqlite3_finalize(s);
    if (k != n) {
        set_err(err, errlen, "E703: the outbox has a gap: %d of seq %lld..%lld", k,
                (long long)first, (long long)last);
        return -1;
    }
    b->first = first;
    b->last = last;
    b->count = n;
    b->records = (const char *const *)*texts;
    b->lens = *lens;
    return 0;
}

static void free_batch(char **texts, size_t *lens, int n)
{
    for (int i = 0; texts && i < n; i++)
        free(texts[i]);
    free(texts);
    free(lens);
}

static int push_all(struct round *r, const struct sync_transport *t, void *ts, char *err,
                    size_t errlen)
{
    struct local_state ls;
    if (state_load(r->db, r->target, &ls, err, errlen) < 0)
        return -1;
    int64_t max = outbox_max(r->db);
    if (max < 0) {
        set_err(err, errlen, "E702: cannot read the outbox: %s", sqlite3_errmsg(r->db));
        return -1;
    }
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
    if (start != ls.sent_seq && state_set_seq(r->db, r->target, start, 0, err, errlen) < 0)
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
        struct sync_batch b = {.station = station, .epoch = epoch};
        char **texts = NULL;
        size_t *lens = NULL;
        int n = (int)(last - start);
        if (read_batch(r, start + 1, last, &b, &texts, &lens, err, errlen) < 0) {
            free_batch(texts, lens, n);
            return -1;
        }
        if (w != 0 && state_set_seq(r->db, r->target, start, last, err, errlen) < 0) {
            free_batch(texts, lens, n);
            return -1;
        }
        struct sync_push_result res = {.watermark = -1};
        int rc = t->push(ts, &b, &res, err, errlen);
        free_batch(texts, lens, n);
        if (rc < 0)
            return -1;
        if (state_set_seq(r->db, r->target, last, 0, err, errlen) < 0)
            return -1;
        r->st->pushed += res.inserted + res.duplicates + res.conflicts;
        r->st->resent += res.duplicates;
        if (res.conflicts > 0) {
            r->st->conflicts += res.conflicts;
            char detail[200];
            snprintf(detail, sizeof detail, "seq %lld..%lld: %lld already at head office"
                                            " with other content",
                     (long long)b.first, (long long)b.last, (long long)res.conflicts);
            log_error("E706", "alert: %s (kept there, see triage.sync_alerts)", detail);
            store_audit(r->store, clock_wall_ms(), NULL, "sync_conflict", detail);
        }
        start = last;
        forced = 0;
        r->st->waiting = max - start;
        if (r->progress)
            r->progress(r->progress_arg);
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
    store_audit(r->store, clock_wall_ms(), NULL, "manifest_reject", detail);
}

static void take_row(void *arg, const char *const f[8], const char *where)
{
    struct round *r = arg;
    struct manifest_row row;
    char msg[300];
    if (manifest_row_fill(&row, f, msg, sizeof msg) != 0) {
        reject_row(r, where, msg);
        return;
    }
    if (r->nrows == r->cap) {
        int cap = r->cap ? r->cap * 2 : 256;
        struct manifest_row *rows = realloc(r->rows, (size_t)cap * sizeof *rows);
        if (!rows) {
            r->oom = true;
            return;
        }
        r->rows = rows;
        r->cap = cap;
    }
    r->rows[r->nrows++] = row;
}

static void reject_cb(void *arg, const char *where, const char *msg)
{
    reject_row(arg, where, msg);
}

/* Store the rows gathered so far in one transaction. */
static int apply_rows(void *arg)
{
    struct round *r = arg;
    char err[300];
    if (r->oom) {
        log_error("E710", "out of memory gathering manifest rows");
        r->oom = false;
        r->nrows = 0;
        return -1;
    }
    if (r->nrows > 0 && store_put_manifest(r->store, r->rows, r->nrows, err, sizeof err) < 0) {
        log_error("E708", "pulled manifest not stored: %s", err);
        r->nrows = 0;
        return -1;
    }
    r->st->manifests += r->nrows;
    r->nrows = 0;
    return 0;
}

static int pull(struct round *r, const struct sync_transport *t, void *ts, char *err,
                size_t errlen)
{
    struct local_state ls;
    if (state_load(r->db, r->target, &ls, err, errlen) < 0)
        return -1;
    char since[64];
    snprintf(since, sizeof since, "%s", ls.manifest_since);
    struct sync_manifest_cb cb = {.row = take_row, .reject = reject_cb, .arg = r};
    int rc = t->pull(ts, store_station(r->store), since, sizeof since, &cb, apply_rows, err,
                     errlen);
    free(r->rows);
    r->rows = NULL;
    r->nrows = r->cap = 0;
    if (rc < 0)
        return -1;
    if (strcmp(since, ls.manifest_since) != 0) {
        sqlite3_stmt *s = NULL;
        int ok = sqlite3_prepare_v2(r->db,
                                    "UPDATE sync_state SET manifest_since = ?2 WHERE target = ?1",
                                    -1, &s, NULL) == SQLITE_OK;
        if (ok) {
            sqlite3_bind_text(s, 1, r->target, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, since, -1, SQLITE_STATIC);
            ok = sqlite3_step(s) == SQLITE_DONE;
        }
        sqlite3_finalize(s);
        if (!ok) {
            set_err(err, errlen, "E704: cannot record the manifest pull: %s",
                    sqlite3_errmsg(r->db));
            return -1;
        }
    }
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

static void record_result(sqlite3 *db, const char *target, const char *error)
{
    sqlite3_stmt *s = NULL;
    const char *sql = error ? "UPDATE sync_state SET last_error = ?2 WHERE target = ?1"
                            : "UPDATE sync_state SET last_ok = ?3, last_error = '' WHERE target = ?1";
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        if (error)
            sqlite3_bind_text(s, 2, error, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(s, 3, clock_wall_ms());
        sqlite3_step(s);
    }
    sqlite3_finalize(s);
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
    st->pushed = st->resent = st->conflicts = 0;
    st->manifests = st->rejected = 0;
    if (!t) {
        set_err(err, errlen, "E709: unknown sync target \"%s\" (spool:DIR or postgresql://…)",
                target);
        return -1;
    }
    struct round r = {.opt = opt,
                      .store = store,
                      .db = store_db(store),
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
        rc = pull(&r, t, ts, err, errlen);
    if (ts)
        t->close(ts);
    record_result(r.db, target, rc == 0 ? NULL : err);
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
    if (store_open(opt->db_path, opt->station, &store, serr, sizeof serr) != 0) {
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
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_bool stop;
    bool kicked, recount;
    struct sync_status status; /* under mu */
};

static void publish(struct sync *s, const struct sync_status *st)
{
    pthread_mutex_lock(&s->mu);
    s->status = *st;
    pthread_mutex_unlock(&s->mu);
    if (s->opt.on_status)
        s->opt.on_status(s->opt.arg);
}

struct progress_ctx {
    struct sync *s;
    struct sync_status *st;
};

static void on_progress(void *arg)
{
    struct progress_ctx *p = arg;
    publish(p->s, p->st);
}

static void recount(struct sync *s, struct store *store, struct sync_status *st)
{
    char target[600];
    sync_target(&s->opt, target, sizeof target);
    struct local_state ls;
    int64_t max = outbox_max(store_db(store));
    if (max >= 0 && state_load(store_db(store), target, &ls, NULL, 0) == 0)
        st->waiting = max - ls.sent_seq;
}

static void *worker(void *arg)
{
    struct sync *s = arg;
    struct sync_status st = {.waiting = -1};
    struct store *store = NULL;
    char err[300];
    bool had_failures = false;
    while (!atomic_load(&s->stop)) {
        int rc = -1;
        if (!store && store_open(s->opt.db_path, s->opt.station, &store, err, sizeof err) != 0) {
            char e2[sizeof err + 60];
            snprintf(e2, sizeof e2, "E700: cannot open the station database: %s", err);
            snprintf(err, sizeof err, "%.*s", (int)sizeof err - 1, e2);
            snprintf(st.last_error, sizeof st.last_error, "%.*s", (int)sizeof st.last_error - 1,
                     err);
            st.failures++;
            store = NULL;
        } else {
            struct progress_ctx pc = {s, &st};
            rc = run_round(&s->opt, store, &st, on_progress, &pc, err, sizeof err);
            recount(s, store, &st);
        }
        bool recovered = rc == 0 && had_failures;
        had_failures = rc != 0;
        if (rc == 0 && (st.pushed > 0 || st.manifests > 0 || st.rejected > 0 || recovered))
            log_info("I700", "sync: %lld sent (%lld already there), %d manifest rows, %lld"
                             " waiting",
                     (long long)st.pushed, (long long)st.resent, st.manifests,
                     (long long)st.waiting);
        else if (rc != 0 && !atomic_load(&s->stop))
            log_error("E730", "sync round failed (%d in a row): %s", st.failures, err);
        publish(s, &st);

        int64_t wait_ms = (int64_t)s->cfg.interval_s * 1000;
        if (rc != 0) {
            int64_t cap = wait_ms < 300000 ? wait_ms : 300000;
            wait_ms = sync_backoff_ms(st.failures, 1000, cap < 1000 ? 1000 : cap);
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += wait_ms / 1000;
        until.tv_nsec += (wait_ms % 1000) * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_mutex_lock(&s->mu);
        while (!atomic_load(&s->stop) && !s->kicked) {
            if (s->recount) {
                s->recount = false;
                pthread_mutex_unlock(&s->mu);
                if (store) {
                    recount(s, store, &st);
                    publish(s, &st);
                }
                pthread_mutex_lock(&s->mu);
                continue;
            }
            if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
                break;
        }
        s->kicked = false;
        pthread_mutex_unlock(&s->mu);
    }
    store_close(store);
    return NULL;
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
    s->status.waiting = -1;
    atomic_init(&s->stop, false);
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&s->thread, NULL, worker, s) != 0) {
        set_err(err, errlen, "E725: cannot start the sync thread");
        pthread_cond_destroy(&s->cv);
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
    s->kicked = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void sync_recount(struct sync *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->recount = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
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
    pthread_mutex_lock(&s->mu);
    atomic_store(&s->stop, true);
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
