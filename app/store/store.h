/*
 * store.h — the station's SQLite database: one file per station.
 *
 * Every connection runs journal_mode=WAL and synchronous=FULL: under a power
 * cut WAL+FULL lost no acknowledged commit, WAL+NORMAL did. The schema version
 * lives in PRAGMA user_version; migrations run in order at open, each in its
 * own transaction.
 *
 * Invariants:
 *  - inspections are append-only: nothing graded is UPDATEd or DELETEd; a
 *    re-grade is a new row naming the plate it supersedes;
 *  - an inspection, its outbox row and its label's print job (print_jobs,
 *    app/store/printq.h) are written in ONE transaction;
 *  - seq numbers 1, 2, 3, … per (station, epoch), no gaps;
 *  - the epoch is a random id made once, when the database is created.
 *
 * A `struct store` is one connection: use it from one thread. Each thread
 * that touches the database has a connection of its own, opened through
 * store_open or store_open_worker (where every connection gets the same
 * PRAGMAs and busy timeout). WAL lets the readers read while the main thread
 * writes, so no worker holds up a frame:
 *
 *   STORE_MAIN   the main thread: the station's main loop (app/run.c) and
 *                every command of the command line (app/main.c). Saves
 *                inspections, operators, manifests, reprints and the audit
 *                log. The only connection that may create the database.
 *   STORE_PRINT  the print worker thread (app/print_worker.c): reads
 *                inspections, moves jobs through print_jobs (printq.h).
 *   STORE_STATS  the statistics worker thread (app/stats_worker.c): reads
 *                only, in one snapshot per report (stats_query.h).
 *   STORE_PIN    the PIN worker thread (app/pin_worker.c): reads operators,
 *                writes their count of wrong PINs and the login audit rows.
 *   STORE_SYNC   the sync worker thread, or `triage sync --once` on the main
 *                thread (sync/sync.c): reads the outbox, writes sync_state
 *                (outbox.h), pulled manifest rows and their audit lines.
 *
 * Only app/store/ includes sqlite3.h or writes SQL: the rest of the station
 * goes through these functions and those of printq.h, outbox.h,
 * operators.h, manifest.h and stats_query.h.
 */
#ifndef TRIAGE_STORE_H
#define TRIAGE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "draft.h"
#include "inspection.h"

struct store;

/* Which thread a connection serves (see above). */
enum store_conn { STORE_MAIN, STORE_PRINT, STORE_STATS, STORE_PIN, STORE_SYNC };

/*
 * Open the main connection (STORE_MAIN) on the database at `path`, creating
 * and migrating it when needed. `station` is this station's configured id,
 * recorded on first creation; when it differs from the recorded one it names
 * the station from now on (W206). Returns 0 and *out, or -1 with "E2xx: …"
 * in err.
 */
int store_open(const char *path, const char *station, struct store **out, char *err,
               size_t errlen);

/*
 * Open a worker's connection (conn is STORE_PRINT, STORE_STATS, STORE_PIN
 * or STORE_SYNC) on the database at `path`, which must exist: it is never
 * created here (E200), but migrated when it is older than this program.
 * `station` as for store_open; NULL keeps the recorded id. Returns 0 and
 * *out, or -1 with "E2xx: …" in err.
 */
int store_open_worker(const char *path, const char *station, enum store_conn conn,
                      struct store **out, char *err, size_t errlen);

void store_close(struct store *st); /* NULL is fine */

/* PRAGMA quick_check: 0 the database is whole, 1 damaged with "E220: …" in
 * err. Reads every page: seconds for a large database, so once at start. */
int store_quick_check(struct store *st, char *err, size_t errlen);

/* Whether saves can be written (a write transaction begins and commits):
 * 0, or -1 with "E224: …" in err. */
int store_writable(struct store *st, char *err, size_t errlen);

/* Copy the write-ahead log into the database and truncate it to nothing
 * (when no reader holds it): 0 done, 1 busy (try later), -1 error (W245
 * logged). */
int store_checkpoint(struct store *st);

const char *store_station(const struct store *st);
const char *store_epoch(const struct store *st);

/*
 * Save a graded inspection durably. Fills in insp->station, epoch, seq and
 * plate (and an item check or unit not set: inspection_item_check, 1 of 1),
 * then writes the inspection, its outbox row, its label's print job (kind
 * 'label', waiting) and its save row of the audit chain (audit.h) in one
 * transaction, which also removes the grader's draft.
 * Returns 0 only after COMMIT returned; on failure returns -1, nothing of the
 * inspection is in the database, insp's identity fields are cleared, and err
 * holds "E2xx: …". Safe to call again with the same record.
 */
int store_commit_inspection(struct store *st, struct inspection *insp, char *err,
                            size_t errlen);

/* Look up one inspection by plate: 0 found, 1 not found, -1 error. */
int store_find_inspection(struct store *st, const char *plate, struct inspection *out);

/* Number of inspections saved. */
int64_t store_count_inspections(struct store *st);

/* Expected returns. */
int store_find_manifest(struct store *st, const char *rma, struct manifest_row *out);

/* A row of store_put_manifest's that was not applied: rows[index], whose RMA
 * has an outcome (the first one's plate); differs: the row would have
 * changed what the station holds for it. */
typedef void (*store_manifest_kept_fn)(void *arg, int index, const char *plate, bool differs);

/*
 * Store rows of expected returns in ONE transaction: all or nothing. A row
 * for an RMA the station does not have is added (the fields its file lacks
 * empty, quantity 1); one for an RMA it has replaces the fields in
 * `columns` (bit 1u << enum manifest_field each, MANIFEST_ALL_COLUMNS:
 * manifest_row.h) and keeps the others. A row whose RMA already has an outcome is
 * never applied: kept(arg, index, plate, differs) is called for it (kept
 * may be NULL). Returns the number of rows applied, or -1 with "E2xx: …" or
 * the row's "E4xx: …" in err (nothing stored).
 */
int store_put_manifest(struct store *st, const struct manifest_row *rows, int nrows,
                       unsigned columns, store_manifest_kept_fn kept, void *arg, char *err,
                       size_t errlen);

/*
 * The outcomes of `rma` so far, of `units` expected (struct rma_units,
 * inspection.h): which units have an outcome (calibration records aside),
 * the unit to grade next (units held by other graders' drafts — `badge` is
 * the one asking — come last), and the latest outcome no re-grade replaced.
 * 0, or -1 (E245 logged).
 */
int store_rma_units(struct store *st, const char *rma, int units, const char *badge,
                    struct rma_units *out);

/* The inspection `badge` left unfinished (draft.h), one per grader: keep it
 * (replacing the one before), find it (0 found, 1 none, -1 error: E247
 * logged), forget it. Saving the grader's inspection forgets it too, in
 * the commit. 0, or -1 with "E246: …". */
int store_put_draft(struct store *st, const char *badge, const struct draft *d, char *err,
                    size_t errlen);
int store_find_draft(struct store *st, const char *badge, struct draft *out);
int store_drop_draft(struct store *st, const char *badge, char *err, size_t errlen);

/* Operators. pin_hash is a libsodium crypto_pwhash_str string. */
int store_put_operator(struct store *st, const struct operator_info *op, const char *pin_hash,
                       char *err, size_t errlen);
/* 0 found, 1 not found, -1 error. hash may be NULL. */
int store_get_operator(struct store *st, const char *badge, struct operator_info *op,
                       char *hash, size_t hashlen, int *failures, int64_t *locked_until);
int store_set_login_failures(struct store *st, const char *badge, int failures,
                             int64_t locked_until);

/*
 * Append to the audit log: at `at_ms`, `actor` (the badge of the operator who
 * did it; NULL or "" for the station itself: its command line, sync) did
 * `action` ("login", "reprint", …) to `subject` (the plate or badge it was
 * done to; NULL or "" when it concerns only the actor), with `detail` (may
 * be NULL). Each event has one writer. The row is a link of the audit
 * chain (audit.h), written in the caller's transaction when one is open,
 * else in one of its own. 0, or -1 (E228 logged).
 */
int store_audit(struct store *st, int64_t at_ms, const char *actor, const char *action,
                const char *subject, const char *detail);

enum export_format { EXPORT_NDJSON, EXPORT_CSV };

/* Every inspection in seq order, one per line (NDJSON) or row (CSV with a
 * header). Returns 0 or -1 with err. */
int store_export(struct store *st, FILE *out, enum export_format format, char *err,
                 size_t errlen);

/*
 * The export record of one inspection as a JSON object on one line (no
 * newline), with the fields of docs/export.md. The same
 * text is the outbox payload sent to head office. Returns a malloc'd string
 * the caller frees, or NULL when out of memory.
 */
char *inspection_to_json(const struct inspection *insp);

/* The time per checklist step as a JSON object check id → milliseconds, e.g.
 * {"screen":4200,"body":1800} (steps not measured are left out). Malloc'd;
 * NULL when out of memory. Stored in inspections.step_ms, exported as
 * "step_ms". */
char *inspection_steps_json(const struct inspection *insp);

/* Whether a calibration record (a blind re-grade) of `plate` exists:
 * 0 yes, 1 no, -1 error. */
int store_find_calibration(struct store *st, const char *plate);

#endif
