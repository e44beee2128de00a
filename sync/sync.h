/*
 * sync.h — outcomes up to head office, manifests down, exactly once.
 *
 * What moves: every outbox row of the station's store (its payload is the
 * export record, docs/export.md), in seq order, in batches
 * of up to [sync] batch_size, keyed at the other end by (station, epoch, seq),
 * each batch with the evidence photos its records name (sync_photos.c);
 * the station's audit chain (audit.h), keyed by (station, epoch, id); and
 * the expected returns head office issues for the station's site. A batch
 * of outcomes holds records of one station id: a renamed station sends
 * what it graded under its earlier id under that id.
 *
 * Two transports behind one interface (struct sync_transport, below), chosen
 * by [sync] target:
 *   spool:DIR          NDJSON batch files in DIR/outcomes/, written atomically;
 *                      manifests from CSV files in DIR/inbox (sync_spool.c)
 *   postgresql://…     head office's PostgreSQL, sync/headoffice.sql (sync_pg.c)
 *
 * The station's side of the bookkeeping is the table sync_state in its own
 * SQLite database (outbox.h), one row per target: how far it has delivered (sent_seq),
 * a batch it began to deliver and has not seen finish (intent_last), and the
 * manifest watermark. The outbox itself is append-only and is never changed.
 *
 * Threads: a `struct sync` runs rounds on a thread of its own, with its own
 * database connection; it never touches the UI. sync_run_once is the same
 * round on the caller's thread (`triage sync --once`).
 *
 * Error ids E700–E749 (ERRORS.md).
 */
#ifndef TRIAGE_SYNC_H
#define TRIAGE_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest_row.h"

/* Where and how outcomes go, as the [sync] section of the configuration says. */
struct sync_opts {
    char target[512];      /* "spool:DIR" or "postgresql://…"; "" = spool under DATA */
    int batch_size;        /* default 500 */
    int interval_s;        /* seconds between rounds, default 60 */
    char credentials[256]; /* file with the connection password; not world-readable */
    char sslmode[16];      /* libpq sslmode: disable … verify-full; "" = verify-full */
    char sslrootcert[256]; /* CA certificate file for verify-ca / verify-full */
    char sslcert[256];     /* this station's client certificate */
    char sslkey[256];      /* its private key (libpq refuses one others may read) */
};


/* What a round (or the worker so far) has seen. */
struct sync_status {
    int64_t waiting;      /* outcomes not yet acknowledged by the target; -1 unknown */
    int64_t last_ok_ms;   /* wall time of the last round that finished, 0 = never */
    int64_t pushed;       /* outcomes stored by the target in the last round */
    int64_t resent;       /* of those, already there with the same content */
    int64_t conflicts;    /* already there with different content (alerts) */
    int64_t audit_rows;   /* audit rows stored by the target in the last round */
    int64_t photos;       /* evidence photos the target took in the last round (stored,
                             or already there) */
    int manifests;        /* manifest rows applied in the last round */
    int rejected;         /* manifest rows rejected in the last round */
    int failures;         /* rounds failed in a row */
    char last_error[200]; /* "E7xx: …" of the last failed round, "" after a success */
};

struct sync_options {
    const char *db_path;   /* the station's SQLite file */
    const char *station;   /* configured station id */
    const char *site;      /* configured site */
    const char *timezone;  /* the site's time zone ([station] timezone), told to head
                              office on each connection; NULL or "" = not told */
    const char *data_dir;  /* for the default target spool:DATA/spool */
    const struct sync_opts *cfg;
    /* Called from the worker thread after its status changed (may be NULL). */
    void (*on_status)(void *arg);
    void *arg;
    /* When set and true, a round in progress gives up at its next wait (the
     * worker sets it on sync_stop); may be NULL. */
    const atomic_bool *stop;
};

/*
 * One round on the caller's thread: push everything pending, pull manifests.
 * Returns 0 when the round finished (st filled), -1 with "E7xx: …" in err
 * (st still says how far it got). st may be NULL.
 */
int sync_run_once(const struct sync_options *opt, struct sync_status *st, char *err,
                  size_t errlen);

/* The resolved target ("spool:DIR" or the URL) for opt; never NULL. */
const char *sync_target(const struct sync_options *opt, char *buf, size_t buflen);

/* ---- the worker -------------------------------------------------------- */

struct sync;

/* Start the worker: a round at once, then every interval_s, sooner after
 * sync_kick; after a failure, exponential backoff with jitter.
 * `opt` is copied (its strings must outlive the worker). */
int sync_start(const struct sync_options *opt, struct sync **out, char *err, size_t errlen);

/* Ask for a round now (e.g. after a save). Thread-safe. */
void sync_kick(struct sync *s);

/* Recount the outcomes waiting (e.g. after a save) without a round. */
void sync_recount(struct sync *s);

/* A copy of the status. Thread-safe. */
void sync_get_status(struct sync *s, struct sync_status *out);

/* Stop and join the worker; a round in progress ends at its next batch.
 * NULL is fine. */
void sync_stop(struct sync *s);

/* The delay before retry number `failures` (1, 2, …): base·2^(failures-1),
 * at most max_ms, with full jitter (uniform in [d/2, d]). Pure but for the
 * random draw; exposed for tests. */
int64_t sync_backoff_ms(int failures, int64_t base_ms, int64_t max_ms);

/* ---- transports (sync_spool.c, sync_pg.c) ------------------------------ */

/* An evidence photo of an outcome in a batch: entry n (from 1) of its
 * record's "photos" (docs/export.md), a JPEG on the station at
 * "<data_dir>/<file>" whose SHA-256 the record names. */
struct sync_photo {
    int64_t seq;
    int n;
    char check[32];
    char file[64]; /* "photos/<plate>-<n>.jpg" */
    char sha256[65];
    bool pruned; /* its outcome is one retention let go of (retention.h): a
                    missing file was removed on purpose, not lost */
};

/* One batch: records of seqs first..last, in order, without a gap. */
struct sync_batch {
    const char *station, *epoch;
    int64_t first, last;
    int count;
    const char *const *records; /* count JSON texts */
    const size_t *lens;
    /* The photos the records name, in seq and then n order (outcome batches
     * only; none for the audit chain), and the station's data folder. */
    const struct sync_photo *photos;
    int nphotos;
    const char *data_dir;
};

struct sync_push_result {
    int64_t inserted, duplicates, conflicts;
    int64_t broken;    /* audit rows whose hash head office found not to follow */
    int64_t watermark; /* the target's own watermark after the push, -1 unknown */
    int64_t photos;    /* photos the target took (stored, or already there) */
    int64_t photo_conflicts; /* photos of outcomes head office holds with other
                                content: alerts there, not stored */
};

/* A manifest row from head office, before it is checked. */
struct sync_manifest_cb {
    /* Called per row, one text a field of enum manifest_field (manifest_row.h;
     * NULL: the transport does not give that column, and the station keeps
     * what it holds); `where` locates it for messages (file:line or id). */
    void (*row)(void *arg, const char *const fields[MANIFEST_FIELDS], const char *where);
    /* A row the transport could not even read (e.g. a CSV row of the wrong
     * shape): rejected with msg "E4xx: …". */
    void (*reject)(void *arg, const char *where, const char *msg);
    void *arg;
};

struct sync_transport {
    const char *name;
    /* Connect / check the target. */
    int (*open)(const struct sync_options *opt, const char *target, void **state, char *err,
                size_t errlen);
    /* The target's watermark for (station, epoch): every seq up to it is
     * there. 1 when the transport keeps none (spool). */
    int (*watermark)(void *state, const char *station, const char *epoch, int64_t *wm,
                     char *err, size_t errlen);
    int (*push)(void *state, const struct sync_batch *b, struct sync_push_result *res,
                char *err, size_t errlen);
    /* The same for the station's audit chain (audit.h): how far the target
     * has it (1 when the transport keeps no watermark), and one batch of
     * its rows (b->first..last are audit ids; records are audit_fetch's
     * JSON objects). */
    int (*audit_watermark)(void *state, const char *station, const char *epoch, int64_t *wm,
                           char *err, size_t errlen);
    int (*push_audit)(void *state, const struct sync_batch *b, struct sync_push_result *res,
                      char *err, size_t errlen);
    /* Deliver manifest rows changed since *since (opaque text, "" = all) to
     * cb, then `apply` them (apply returns 0 or -1); on success set *since to
     * the new mark. apply calls kept(karg, index, "W418: …") for each row not
     * applied because its RMA has an outcome and the row would change it;
     * index counts the rows delivered since the last apply, from 0 (kept
     * may be NULL). */
    int (*pull)(void *state, const char *station, char *since, size_t sincelen,
                const struct sync_manifest_cb *cb,
                int (*apply)(void *arg, void (*kept)(void *karg, int index, const char *msg),
                             void *karg),
                char *err, size_t errlen);
    void (*close)(void *state);
};

extern const struct sync_transport sync_spool_transport;
extern const struct sync_transport sync_pg_transport;

/*
 * Head office's copy of `station`'s audit chain, checked there
 * (triage.audit_verify over every epoch of the station), through the
 * PostgreSQL URL `url` with cfg's credentials and TLS settings (a reporting
 * login: GRANT triage_bi). Returns 0 intact (verdict says so), 1 broken
 * (verdict "E736: …" names the epoch and the first broken row), -1 error
 * ("E7xx: …" in err).
 */
int sync_pg_audit_verify(const char *url, const struct sync_opts *cfg, const char *station,
                         char *verdict, size_t vlen, char *err, size_t errlen);

/* SHA-256 of data as 64 hex digits (spool checksums). */
void sync_sha256_hex(const void *data, size_t len, char out[65]);

/* ---- evidence photos (sync_photos.c) ------------------------------------ */

struct buf;

/*
 * The photos that the batch's records name (b->records, b->first…), in
 * order, into *out (malloc'd; NULL when none) and *n. A record whose text
 * holds no photo costs a search, not a parse. 0, or -1 with "E739: …" (a
 * record names a photo that is not a station photo file) or "E710: …".
 */
int sync_photos_of(const struct sync_batch *b, struct sync_photo **out, int *n, char *err,
                   size_t errlen);

/*
 * Read photo p from data_dir into `into` (emptied first) and check it is the
 * JPEG the record names: 0. 1 when it is missing because retention removed
 * it (p->pruned; logged as W727): sent without it. -1 with "E737: …" (missing
 * or unreadable) or "E738: …" (its bytes are not the record's SHA-256),
 * logged: the outcome is not sent without its evidence.
 */
int sync_photo_load(const char *data_dir, const struct sync_photo *p, struct buf *into, char *err,
                    size_t errlen);

#endif
