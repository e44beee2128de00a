/*
 * outbox.h — the outcomes waiting for head office, as sync reads them, and
 * sync's bookkeeping of how far each target has them.
 *
 * Table outbox (outbox_schema, outbox.c): one row per inspection, seq PK,
 * payload = the export record (inspection_to_json), written by
 * store_commit_inspection in the inspection's own transaction. Append-only:
 * nothing here changes it; what was sent is kept beside it.
 *
 * Table sync_state: one row per target ("spool:DIR" or the PostgreSQL URL):
 *   sent_seq        every outbox seq up to it is acknowledged by the target;
 *   intent_last     a batch sent_seq+1..intent_last was begun and not seen
 *                   to finish: it must be redone exactly (spool), 0 = none;
 *   manifest_since  the target's mark of the last manifest pull ("" = never);
 *   last_ok, last_error  how the last round ended.
 *
 * The functions take the sync connection (STORE_SYNC, store.h). Error ids
 * are sync's (E700–E749): E702 the outbox cannot be read, E703 it has a gap,
 * E704 sync_state cannot be read or written, E710 out of memory.
 */
#ifndef TRIAGE_OUTBOX_H
#define TRIAGE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* A target's row of sync_state. */
struct outbox_progress {
    int64_t sent_seq;
    int64_t intent_last;
    char manifest_since[64];
};

/* Outbox records of seqs first..last, in seq order, without a gap. */
struct outbox_batch {
    int64_t first, last;
    int count;      /* last - first + 1 */
    char **records; /* count payloads, each NUL-terminated; owned by the batch */
    size_t *lens;   /* their lengths in bytes */
};

/* The highest seq in the outbox (0 when it is empty), or -1 with
 * "E702: …" in err. */
int64_t outbox_last_seq(struct store *st, char *err, size_t errlen);

/*
 * Read the records of seqs after+1..upto into *b. Returns 0, or -1 with
 * "E702: …", "E703: …" (a seq is missing) or "E710: …" in err and *b empty.
 * Free with outbox_batch_free.
 */
int outbox_fetch(struct store *st, int64_t after, int64_t upto, struct outbox_batch *b, char *err,
                 size_t errlen);
void outbox_batch_free(struct outbox_batch *b); /* NULL and an empty batch are fine */

/*
 * The station id seq `first` was graded under (into station[len]) and the
 * last seq up to `upto` graded under the same id: a batch holds one id, and
 * a renamed station's outbox changes id once. Returns that seq, or -1 with
 * "E702: …" in err.
 */
int64_t outbox_station_run(struct store *st, int64_t first, int64_t upto, char *station,
                           size_t len, char *err, size_t errlen);

/* target's progress into *p; a target seen for the first time gets its row
 * (all zero). Returns 0, or -1 with "E704: …" in err. */
int outbox_progress(struct store *st, const char *target, struct outbox_progress *p, char *err,
                    size_t errlen);

/* Record that every seq up to sent is acknowledged by target and that a
 * batch up to intent_last is begun (0: none). Returns 0, or -1 with
 * "E704: …" in err. */
int outbox_mark_sent(struct store *st, const char *target, int64_t sent, int64_t intent_last,
                     char *err, size_t errlen);

/* Record target's mark of the last manifest pull. Returns 0, or -1 with
 * "E704: …" in err. */
int outbox_mark_pulled(struct store *st, const char *target, const char *since, char *err,
                       size_t errlen);

/* Record how a round with target ended: error NULL for a success at now_ms
 * (Unix ms), else the round's error text. Best effort: a failure here is
 * not the round's. */
void outbox_mark_round(struct store *st, const char *target, const char *error, int64_t now_ms);

/* Outcomes not yet acknowledged by target (the last seq minus sent_seq), or
 * -1 when that cannot be read. */
int64_t outbox_waiting(struct store *st, const char *target);

#endif
