/*
 * store_internal.h — what the modules of app/store share and nobody outside
 * sees: the SQLite connection under a struct store, a read snapshot, and
 * each module's part of the schema.
 *
 * Only the files of app/store include this header, and the tests that must
 * reach a connection itself (to inject a fault into it, or to turn its
 * durability off while they generate data). Everything else reaches the
 * database through the functions of store.h, printq.h, outbox.h,
 * operators.h, manifest.h and stats_query.h.
 */
#ifndef TRIAGE_STORE_INTERNAL_H
#define TRIAGE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

/* The connection of st. It belongs to st's thread, like st. */
sqlite3 *store_db(struct store *st);

/*
 * Begin a read transaction for a large read: every query until
 * store_read_end sees one snapshot. The first time on a connection it also
 * maps the database file into memory (PRAGMA mmap_size), so a range's pages
 * are read without copying; a no-op where mmap is unavailable. Returns
 * SQLITE_OK or an SQLite error code (sqlite3_errmsg has the text).
 */
int store_read_begin(struct store *st);
void store_read_end(struct store *st);

/*
 * The schema, module by module. Each function returns the SQL that brings
 * its module's tables from schema version `version - 1` to `version`, or
 * NULL when the module has nothing to change at that version. store.c
 * applies version after version (PRAGMA user_version), each in one
 * transaction that runs every module's part in the order listed here, so a
 * table is defined in the file of the module that owns it:
 *
 *   store_schema      meta, inspections (store.c)
 *   operators_schema  operators (operators.c)
 *   manifest_schema   manifest (manifest.c)
 *   outbox_schema     outbox, sync_state (outbox.c)
 *   audit_schema      audit, audit_sync (audit.c)
 *   printq_schema     print_jobs (printq.c)
 *   stats_schema      the statistics indexes on inspections (stats_query.c)
 *   retention_schema  retention (retention.c)
 *
 * A version may also need a step that SQL alone cannot take (hashing rows
 * for the audit chain): each module's *_schema_step(st, version, …) runs
 * after all of that version's SQL, in the same transaction; 0 when it has
 * nothing to do, -1 with "E2xx: …" in err.
 *
 * A version once released never changes: a station's database at version
 * N has run exactly those statements.
 */
const char *store_schema(int version);
const char *operators_schema(int version);
const char *manifest_schema(int version);
const char *outbox_schema(int version);
const char *audit_schema(int version);
const char *printq_schema(int version);
const char *stats_schema(int version);
const char *retention_schema(int version);
int audit_schema_step(struct store *st, int version, char *err, size_t errlen);

/*
 * Inside store_commit_inspection's transaction, after the inspection and its
 * outbox row are written: append the save's row to the audit chain (audit.h)
 * with the hashes of both. 0, or -1 with "E2xx: …" in err.
 */
int audit_chain_save(struct store *st, int64_t seq, const char *plate, const char *actor,
                     int64_t at_ms, char *err, size_t errlen);

/* The folder of st's database file: the station's data folder ("." for a
 * database in memory). */
const char *store_dir(const struct store *st);

/*
 * Photos (photos.c). Inside store_commit_inspection's transaction, once the
 * inspection has its plate and before its record is made: give each photo
 * its name for good, photos/<plate>-<n>.jpg (a hard link, the file's hash
 * checked against the record's, the folder fsync'ed) and set insp->photos[]
 * to those names. 0, or -1 with "E97x: …" in err. After COMMIT,
 * photos_forget_takes removes the take names the photos had before.
 */
int photos_settle(struct store *st, struct inspection *insp, char *err, size_t errlen);
void photos_forget_takes(struct store *st, const struct photo_ref *takes, int n);

/* An inspection's photos and waived photos as JSON arrays (the row's
 * columns and the record's fields: [{"check","file","sha256"}] and
 * [{"check","by"}]); NULL when out of memory. And back, from the columns'
 * text (NULL or not JSON: none). */
struct cJSON *photos_to_cjson(const struct inspection *in);
struct cJSON *photos_waived_to_cjson(const struct inspection *in);
void photos_from_json(const char *photos, const char *waived, struct inspection *out);

#endif
