/*
 * store.c — the station's SQLite database (see store.h for the invariants):
 * opening a connection, the schema versions, and the tables at the heart of
 * a station: meta, inspections, and the statements of the commit path.
 *
 * Tables, where each is defined (its module's *_schema function, see
 * store_internal.h) and what writes it:
 *
 *   meta        store.c: one row: station, epoch (32 hex chars, random at
 *               creation), created_at (Unix ms).
 *   inspections store.c: seq INTEGER PRIMARY KEY (1, 2, 3, …), station,
 *               epoch, plate UNIQUE, every struct inspection field; empty
 *               optional text is NULL, grades are letters (NULL for
 *               GRADE_NONE), times are Unix ms, defects a JSON array, answers
 *               a JSON object check→answer, step_ms a JSON object check→ms,
 *               record the export JSON (inspection_to_json); version 6:
 *               item_check, scanned_item, wrong_item, unit, units,
 *               extra_unit; version 7: skipped (a JSON array of check ids),
 *               reason_check, responsibility_suggested,
 *               responsibility_reason, return_type, resolution.
 *               Append-only: triggers ABORT any UPDATE or
 *               DELETE. Written by store_commit_inspection.
 *   drafts      store.c (version 6): badge PK, rma, unit, saved_at, state
 *               (draft_to_json): the inspection each grader left unfinished.
 *               Written by store_put_draft, removed by store_drop_draft and
 *               by the commit of the grader's inspection, in its
 *               transaction. Never sent, counted or exported.
 *   outbox      outbox.c: seq PK → inspections(seq), payload (= the record),
 *               created_at. Append-only too. Written by
 *               store_commit_inspection, read by outbox_fetch.
 *   sync_state  outbox.c: how far sync has delivered the outbox, per target.
 *   print_jobs  printq.c: the label queue. The 'label' job of an inspection
 *               is written by store_commit_inspection in its transaction;
 *               printq.c owns the rest.
 *   operators   operators.c: badge PK, name, role, pin_hash, failures,
 *               locked_until. Read and written by store_put_operator,
 *               store_get_operator, store_set_login_failures (here).
 *   manifest    manifest.c: rma PK and the other manifest_row fields
 *               (quantity from version 6). Read and written by
 *               store_find_manifest, store_put_manifest (here), which never
 *               changes the row of an RMA that has an outcome.
 *   audit       audit.c: the audit log, a hash chain that also covers every
 *               inspection and outbox row (audit.h). Written by store_audit;
 *               each commit adds its save row (audit_chain_save) in its own
 *               transaction.
 *   statistics indexes on inspections: stats_query.c.
 *
 * Error ids E200–E249 are this module's; each failure has its own.
 */
#include "store.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "draft.h"
#include "log.h"
#include "manifest_row.h"
#include "store_internal.h"
#include "text.h"

/* Statements kept prepared for the life of the connection. */
enum stmt_id {
    Q_BEGIN_IMMEDIATE,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_MAX_SEQ,
    Q_INSERT_INSPECTION,
    Q_INSERT_OUTBOX,
    Q_FIND_INSPECTION,
    Q_COUNT_INSPECTIONS,
    Q_FIND_MANIFEST,
    Q_PUT_OPERATOR,
    Q_GET_OPERATOR,
    Q_SET_FAILURES,
    Q_INSERT_PRINT_JOB,
    Q_DROP_DRAFT,
    Q_NUM_STMTS
};

#define INSPECTION_COLUMNS                                                                   \
    "seq, station, epoch, plate, rma, order_id, sku, gtin, serial, description, reason,"    \
    " category, operator, started_at, finished_at, grade, cosmetic, functional,"            \
    " completeness, disposition, responsibility, defects, answers, rules_version, late,"    \
    " mismatch, blind, supersedes, step_ms, calibration_due, calibrates, item_check,"     \
    " scanned_item, wrong_item, unit, units, extra_unit, skipped, reason_check,"          \
    " responsibility_suggested, responsibility_reason, return_type, resolution"

static const char *const stmt_sql[Q_NUM_STMTS] = {
    [Q_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_MAX_SEQ] = "SELECT coalesce(max(seq), 0) FROM inspections",
    [Q_INSERT_INSPECTION] =
        "INSERT INTO inspections (" INSPECTION_COLUMNS ", record) VALUES"
        " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34,"
        " ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, ?44)",
    [Q_INSERT_OUTBOX] = "INSERT INTO outbox (seq, payload, created_at) VALUES (?1, ?2, ?3)",
    [Q_FIND_INSPECTION] = "SELECT " INSPECTION_COLUMNS " FROM inspections WHERE plate = ?1",
    [Q_COUNT_INSPECTIONS] = "SELECT count(*) FROM inspections",
    [Q_FIND_MANIFEST] = "SELECT rma, order_id, sku, gtin, serial, description, reason,"
                        " delivered_at, quantity FROM manifest WHERE rma = ?1",
    [Q_PUT_OPERATOR] =
        "INSERT INTO operators (badge, name, role, pin_hash, failures, locked_until)"
        " VALUES (?1, ?2, ?3, ?4, 0, 0) ON CONFLICT (badge) DO UPDATE SET"
        " name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,"
        " failures = 0, locked_until = 0",
    [Q_GET_OPERATOR] = "SELECT badge, name, role, pin_hash, failures, locked_until"
                       " FROM operators WHERE badge = ?1",
    [Q_SET_FAILURES] = "UPDATE operators SET failures = ?2, locked_until = ?3 WHERE badge = ?1",
    [Q_INSERT_PRINT_JOB] = "INSERT INTO print_jobs (plate, kind, created_at) VALUES (?1, 'label', ?2)",
    [Q_DROP_DRAFT] = "DELETE FROM drafts WHERE badge = ?1",
};

struct store {
    sqlite3 *db;
    bool mapped; /* PRAGMA mmap_size was set (store_read_begin) */
    char station[32];
    char epoch[40];
    sqlite3_stmt *stmt[Q_NUM_STMTS];
};

/* ---- schema ---------------------------------------------------------------- */

/* The schema version this program brings a database to. */
#define SCHEMA_VERSION 8

/* Every module's part of the schema, in the order each version runs them
 * (store_internal.h). */
static const char *(*const schema_parts[])(int version) = {
    store_schema,  operators_schema, manifest_schema, outbox_schema,
    audit_schema,  printq_schema,    stats_schema,    retention_schema,
};
#define NUM_SCHEMA_PARTS ((int)(sizeof schema_parts / sizeof *schema_parts))

/* Steps of a version that SQL alone cannot take, run after its SQL in the
 * same transaction (store_internal.h). */
static int (*const schema_steps[])(struct store *st, int version, char *err, size_t errlen) = {
    audit_schema_step,
};
#define NUM_SCHEMA_STEPS ((int)(sizeof schema_steps / sizeof *schema_steps))

/* meta and inspections. Version 1 also records the station and a fresh
 * epoch (migrate). */
const char *store_schema(int version)
{
    switch (version) {
    case 1:
        return "CREATE TABLE meta ("
               "  id INTEGER PRIMARY KEY CHECK (id = 1),"
               "  station TEXT NOT NULL,"
               "  epoch TEXT NOT NULL CHECK (length(epoch) = 32),"
               "  created_at INTEGER NOT NULL);"
               "CREATE TABLE inspections ("
               "  seq INTEGER PRIMARY KEY,"
               "  station TEXT NOT NULL,"
               "  epoch TEXT NOT NULL,"
               "  plate TEXT NOT NULL UNIQUE,"
               "  rma TEXT, order_id TEXT, sku TEXT, gtin TEXT, serial TEXT,"
               "  description TEXT, reason TEXT, category TEXT,"
               "  operator TEXT NOT NULL,"
               "  started_at INTEGER NOT NULL,"
               "  finished_at INTEGER NOT NULL,"
               "  grade TEXT NOT NULL CHECK (grade IN ('A', 'B', 'C', 'X')),"
               "  cosmetic TEXT CHECK (cosmetic IN ('A', 'B', 'C', 'X')),"
               "  functional TEXT CHECK (functional IN ('A', 'B', 'C', 'X')),"
               "  completeness TEXT CHECK (completeness IN ('A', 'B', 'C', 'X')),"
               "  disposition TEXT,"
               "  responsibility TEXT,"
               "  defects TEXT NOT NULL DEFAULT '[]',"
               "  answers TEXT NOT NULL DEFAULT '{}',"
               "  rules_version TEXT,"
               "  late INTEGER NOT NULL DEFAULT 0,"
               "  mismatch INTEGER NOT NULL DEFAULT 0,"
               "  blind INTEGER NOT NULL DEFAULT 0,"
               "  supersedes TEXT,"
               "  record TEXT NOT NULL);"
               "CREATE INDEX inspections_finished_at ON inspections (finished_at);"
               "CREATE INDEX inspections_rma ON inspections (rma);"
               "CREATE TRIGGER inspections_no_update BEFORE UPDATE ON inspections"
               "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
               "CREATE TRIGGER inspections_no_delete BEFORE DELETE ON inspections"
               "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;";
    case 3:
        /* Statistics: time per checklist step and grader calibration (the
         * indexes that read them are stats_schema's). */
        return "ALTER TABLE inspections ADD COLUMN step_ms TEXT NOT NULL DEFAULT '{}';"
               "ALTER TABLE inspections ADD COLUMN calibration_due INTEGER NOT NULL DEFAULT 0;"
               "ALTER TABLE inspections ADD COLUMN calibrates TEXT;";
    case 6:
        /* What the item check found and which unit of its RMA an inspection
         * is; rows saved before keep item_check NULL (not recorded) and are
         * unit 1 of 1. drafts: the inspection each grader left unfinished,
         * kept after every answer; never sent, counted or exported. */
        return "ALTER TABLE inspections ADD COLUMN item_check TEXT CHECK (item_check IN"
               "  ('matched', 'mismatched', 'unverified', 'skipped', 'blind'));"
               "ALTER TABLE inspections ADD COLUMN scanned_item TEXT;"
               "ALTER TABLE inspections ADD COLUMN wrong_item INTEGER NOT NULL DEFAULT 0;"
               "ALTER TABLE inspections ADD COLUMN unit INTEGER NOT NULL DEFAULT 1;"
               "ALTER TABLE inspections ADD COLUMN units INTEGER NOT NULL DEFAULT 1;"
               "ALTER TABLE inspections ADD COLUMN extra_unit INTEGER NOT NULL DEFAULT 0;"
               "CREATE TABLE drafts ("
               "  badge TEXT PRIMARY KEY,"
               "  rma TEXT NOT NULL,"
               "  unit INTEGER NOT NULL,"
               "  saved_at INTEGER NOT NULL,"
               "  state TEXT NOT NULL);"
               "CREATE INDEX drafts_rma ON drafts (rma);";
    case 7:
        /* The grading policy: the checks not asked (branching), the declared
         * reason against what was found, the responsibility the rules
         * suggested and the override reason when the grader confirmed
         * another, the return type and the resolution. Rows saved before
         * keep them NULL ('[]' for skipped: every check was asked). */
        return "ALTER TABLE inspections ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';"
               "ALTER TABLE inspections ADD COLUMN reason_check TEXT CHECK (reason_check IN"
               "  ('confirmed', 'not_found', 'none'));"
               "ALTER TABLE inspections ADD COLUMN responsibility_suggested TEXT;"
               "ALTER TABLE inspections ADD COLUMN responsibility_reason TEXT;"
               "ALTER TABLE inspections ADD COLUMN return_type TEXT CHECK (return_type IN"
               "  ('quality', 'non_quality'));"
               "ALTER TABLE inspections ADD COLUMN resolution TEXT CHECK (resolution IN"
               "  ('refund', 'partial_refund', 'exchange', 'repair', 'reject', 'investigate'));";
    default:
        return NULL;
    }
}

/* Copy a column's text into a fixed field, cutting at the field's size. */
static void copy_col(char *dst, size_t size, sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}


/* A fixed text field is good when NUL-terminated inside its size and UTF-8. */
static int check_text(const char *what, const char *buf, size_t size, char *err,
                      size_t errlen)
{
    if (strnlen(buf, size) >= size) {
        set_err(err, errlen, "E210: %s is longer than %zu bytes", what, size - 1);
        return -1;
    }
    if (!utf8_valid(buf, strlen(buf))) {
        set_err(err, errlen, "E211: %s is not valid UTF-8", what);
        return -1;
    }
    return 0;
}

/* ---- statements ---------------------------------------------------------- */

static sqlite3_stmt *stmt_get(struct store *st, enum stmt_id id)
{
    if (!st->stmt[id] && sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                            &st->stmt[id], NULL) != SQLITE_OK) {
        log_error("E208", "preparing a statement failed: %s", sqlite3_errmsg(st->db));
        st->stmt[id] = NULL;
    }
    return st->stmt[id];
}

static void stmt_done(sqlite3_stmt *s)
{
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
}

/* Run a statement without results (BEGIN, COMMIT, ROLLBACK). */
static int stmt_run(struct store *st, enum stmt_id id)
{
    sqlite3_stmt *s = stmt_get(st, id);
    if (!s)
        return SQLITE_ERROR;
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Bind text, or NULL when `null_if_empty` and the text is "". */
static void bind_text(sqlite3_stmt *s, int i, const char *t, bool null_if_empty)
{
    if (null_if_empty && !t[0])
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
}

/* Roll back when a transaction is still open (SQLite may already have). */
static void rollback_if_open(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db) && stmt_run(st, Q_ROLLBACK) != SQLITE_OK)
        log_error("E249", "ROLLBACK failed: %s", sqlite3_errmsg(st->db));
}

/* ---- open, migrate, close ------------------------------------------------- */

static int exec_sql(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

static bool station_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 31)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static int make_epoch(char *out, size_t outlen)
{
    unsigned char raw[16];
    if (sodium_init() < 0)
        return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, outlen, raw, sizeof raw);
    return 0;
}

/* Bring the schema to SCHEMA_VERSION, one transaction per version.
 * Version 1 also records the station and a fresh epoch. */
static int migrate(struct store *st, const char *station, char *err, size_t errlen)
{
    int64_t current = -1;
    /* Up to date, the usual case: no need for the write lock. */
    if (query_int(st->db, "PRAGMA user_version", &current) == SQLITE_OK &&
        current == SCHEMA_VERSION)
        return 0;
    for (;;) {
        int64_t version = 0;
        if (exec_sql(st->db, "BEGIN IMMEDIATE") != SQLITE_OK) {
            set_err(err, errlen, "E248: cannot start a migration: %s", sqlite3_errmsg(st->db));
            return -1;
        }
        /* Read the version inside the write lock: another process may have
         * migrated while this one waited. */
        if (query_int(st->db, "PRAGMA user_version", &version) != SQLITE_OK)
            goto failed;
        if (version > SCHEMA_VERSION) {
            exec_sql(st->db, "ROLLBACK");
            set_err(err, errlen,
                    "E203: the database has schema version %lld; this program knows up to %d",
                    (long long)version, SCHEMA_VERSION);
            return -1;
        }
        if (version == SCHEMA_VERSION) {
            if (exec_sql(st->db, "COMMIT") != SQLITE_OK)
                exec_sql(st->db, "ROLLBACK");
            return 0;
        }
        if (version == 0 && (!station || !station_id_valid(station))) {
            exec_sql(st->db, "ROLLBACK");
            set_err(err, errlen,
                    "E207: a new database needs a station id of 1 to 31 letters, digits,"
                    " '-', '_' or '.' (got \"%s\")",
                    station ? station : "");
            return -1;
        }
        for (int i = 0; i < NUM_SCHEMA_PARTS; i++) {
            const char *sql = schema_parts[i]((int)version + 1);
            if (sql && exec_sql(st->db, sql) != SQLITE_OK)
                goto failed;
        }
        if (version == 0) {
            char epoch[33];
            if (make_epoch(epoch, sizeof epoch) < 0) {
                exec_sql(st->db, "ROLLBACK");
                set_err(err, errlen, "E229: libsodium could not be initialised for the epoch");
                return -1;
            }
            sqlite3_stmt *s = NULL;
            int rc = sqlite3_prepare_v2(
                st->db, "INSERT INTO meta (id, station, epoch, created_at) VALUES (1, ?1, ?2, ?3)",
                -1, &s, NULL);
            if (rc == SQLITE_OK) {
                sqlite3_bind_text(s, 1, station, -1, SQLITE_STATIC);
                sqlite3_bind_text(s, 2, epoch, -1, SQLITE_STATIC);
                sqlite3_bind_int64(s, 3, clock_wall_ms());
                rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            }
            sqlite3_finalize(s);
            if (rc != SQLITE_OK)
                goto failed;
        }
        for (int i = 0; i < NUM_SCHEMA_STEPS; i++)
            if (schema_steps[i](st, (int)version + 1, err, errlen) < 0) {
                exec_sql(st->db, "ROLLBACK");
                return -1;
            }
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)version + 1);
        if (exec_sql(st->db, sql) != SQLITE_OK || exec_sql(st->db, "COMMIT") != SQLITE_OK)
            goto failed;
        continue;
    failed:
        set_err(err, errlen, "E204: migration to schema version %lld failed: %s",
                (long long)version + 1, sqlite3_errmsg(st->db));
        if (!sqlite3_get_autocommit(st->db))
            exec_sql(st->db, "ROLLBACK");
        return -1;
    }
}

static int read_meta(struct store *st, const char *station, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT station, epoch FROM meta WHERE id = 1", -1, &s,
                                NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        copy_col(st->station, sizeof st->station, s, 0);
        copy_col(st->epoch, sizeof st->epoch, s, 1);
        rc = SQLITE_OK;
    } else {
        set_err(err, errlen, "E205: cannot read the station's identity: %s",
                rc == SQLITE_DONE ? "no meta row" : sqlite3_errmsg(st->db));
        rc = SQLITE_ERROR;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK)
        return -1;
    /* The configured id names this station from now on: a station that is
     * renamed keeps its epoch and its seq, so (station, epoch, seq) and the
     * plates stay unique. Each inspection records the id it was graded under. */
    if (station && station[0] && strcmp(station, st->station) != 0) {
        log_warn("W206", "database made for station %s; station id is now %s", st->station,
                 station);
        snprintf(st->station, sizeof st->station, "%s", station);
    }
    return 0;
}

/* Open a connection; see store_open and store_open_worker. Every PRAGMA
 * and the busy timeout of every connection are set here. */
static int open_conn(const char *path, const char *station, enum store_conn conn,
                     struct store **out, char *err, size_t errlen)
{
    *out = NULL;
    struct store *st = calloc(1, sizeof *st);
    if (!st) {
        set_err(err, errlen, "E209: out of memory");
        return -1;
    }
    struct stat sb;
    bool is_new = stat(path, &sb) != 0;
    /* Only the main connection may make the database; a worker's opens the
     * file the station made (and fails when there is none). */
    int flags = SQLITE_OPEN_READWRITE | (conn == STORE_MAIN ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, "E200: cannot open %s: %s", path,
                st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        goto fail;
    }
    /* The database holds PIN hashes, which a short PIN does not protect
     * against an offline guesser: only the station's user may read it. The
     * -wal and -shm files take the database file's mode. */
    if (is_new && conn == STORE_MAIN)
        chmod(path, 0600);
    sqlite3_extended_result_codes(st->db, 1);
    /* A writer waits up to 5 s for another connection's write transaction
     * (the UI's commit, the print worker's mark, sync's progress); WAL lets
     * readers go on meanwhile. */
    sqlite3_busy_timeout(st->db, 5000);

    char mode[16] = "";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        copy_col(mode, sizeof mode, s, 0);
    sqlite3_finalize(s);
    /* A file that is not SQLite at all (overwritten, truncated, another
     * program's): say so, rather than blame WAL. */
    if ((sqlite3_errcode(st->db) & 0xff) == SQLITE_NOTADB ||
        (sqlite3_errcode(st->db) & 0xff) == SQLITE_CORRUPT) {
        set_err(err, errlen, "E206: %s is not a station database, or its first page is damaged:"
                             " %s",
                path, sqlite3_errmsg(st->db));
        goto fail;
    }
    bool in_memory = strcmp(path, ":memory:") == 0 || path[0] == 0;
    if (strcmp(mode, "wal") != 0 && !in_memory) {
        set_err(err, errlen, "E202: %s cannot use WAL journaling (journal_mode is \"%s\"): %s",
                path, mode, sqlite3_errmsg(st->db));
        goto fail;
    }
    if (exec_sql(st->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;") != SQLITE_OK) {
        set_err(err, errlen, "E201: cannot set up %s: %s", path, sqlite3_errmsg(st->db));
        goto fail;
    }
    if (migrate(st, station, err, errlen) < 0 || read_meta(st, station, err, errlen) < 0)
        goto fail;

    /* Prepare the commit path now: the first save is then as quick as any. */
    static const enum stmt_id commit_path[] = {Q_BEGIN_IMMEDIATE, Q_COMMIT, Q_ROLLBACK,
                                               Q_MAX_SEQ, Q_INSERT_INSPECTION, Q_INSERT_OUTBOX,
                                               Q_INSERT_PRINT_JOB};
    for (size_t i = 0; conn == STORE_MAIN && i < sizeof commit_path / sizeof *commit_path; i++)
        if (!stmt_get(st, commit_path[i])) {
            set_err(err, errlen, "E208: cannot prepare a statement: %s", sqlite3_errmsg(st->db));
            goto fail;
        }
    *out = st;
    return 0;
fail:
    store_close(st);
    return -1;
}

int store_open(const char *path, const char *station, struct store **out, char *err,
               size_t errlen)
{
    return open_conn(path, station, STORE_MAIN, out, err, errlen);
}

int store_open_worker(const char *path, const char *station, enum store_conn conn,
                      struct store **out, char *err, size_t errlen)
{
    assert(conn != STORE_MAIN);
    return open_conn(path, station, conn, out, err, errlen);
}

void store_close(struct store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_NUM_STMTS; i++)
        sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    free(st);
}

int store_quick_check(struct store *st, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    char first[200] = "";
    int rows = 0, rc = sqlite3_prepare_v2(st->db, "PRAGMA quick_check(5)", -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (rows++ == 0)
            copy_col(first, sizeof first, s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE && rows == 1 && strcmp(first, "ok") == 0)
        return 0;
    for (char *c = first; *c; c++) /* one log line */
        if (*c == '\n')
            *c = ' ';
    if (rc == SQLITE_DONE)
        set_err(err, errlen, "E220: the station database is damaged (quick_check: %s)", first);
    else
        set_err(err, errlen, "E220: the station database is damaged (quick_check failed: %s)",
                sqlite3_errmsg(st->db));
    return 1;
}

int store_writable(struct store *st, char *err, size_t errlen)
{
    if (sqlite3_db_readonly(st->db, "main") == 1 || exec_sql(st->db, "BEGIN IMMEDIATE") != SQLITE_OK ||
        exec_sql(st->db, "COMMIT") != SQLITE_OK) {
        set_err(err, errlen, "E224: the station database cannot be written (%s): every save"
                             " would fail; check the disk (read-only, full) and the file's owner",
                sqlite3_db_readonly(st->db, "main") == 1 ? "it is read-only"
                                                          : sqlite3_errmsg(st->db));
        rollback_if_open(st);
        return -1;
    }
    return 0;
}

int store_checkpoint(struct store *st)
{
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        log_warn("W245", "the write-ahead log was not checkpointed: %s", sqlite3_errmsg(st->db));
        return -1;
    }
    return rc == SQLITE_OK ? 0 : 1;
}

const char *store_station(const struct store *st) { return st->station; }
const char *store_epoch(const struct store *st) { return st->epoch; }
sqlite3 *store_db(struct store *st) { return st->db; }

int store_read_begin(struct store *st)
{
    /* Map the file rather than copy pages through read(2): a large read
     * takes its part of an index whole. Only connections that make such
     * reads map it: an I/O error on a mapped page is a signal, not an
     * error code. */
    if (!st->mapped) {
        exec_sql(st->db, "PRAGMA mmap_size = 268435456");
        st->mapped = true;
    }
    return exec_sql(st->db, "BEGIN");
}

void store_read_end(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        exec_sql(st->db, "COMMIT");
}

/* ---- inspections ---------------------------------------------------------- */

static void clear_identity(struct inspection *insp)
{
    insp->station[0] = 0;
    insp->epoch[0] = 0;
    insp->seq = 0;
    insp->plate[0] = 0;
}

static int validate_inspection(const struct inspection *in, char *err, size_t errlen)
{
#define TEXT(field)                                                                        \
    if (check_text(#field, in->field, sizeof in->field, err, errlen) < 0)                 \
        return -1;
    TEXT(rma) TEXT(order_id) TEXT(sku) TEXT(gtin) TEXT(serial) TEXT(description)
    TEXT(reason) TEXT(category) TEXT(operator_badge) TEXT(disposition) TEXT(rules_version)
    TEXT(supersedes) TEXT(calibrates) TEXT(scanned_item) TEXT(responsibility_reason)
#undef TEXT
    if (in->ndefects < 0 || in->ndefects > INSP_MAX_DEFECTS || in->nanswers < 0 ||
        in->nanswers > INSP_MAX_ANSWERS || in->nskipped < 0 ||
        in->nanswers + in->nskipped > INSP_MAX_ANSWERS) {
        set_err(err, errlen, "E212: %d defects and %d answers: out of range", in->ndefects,
                in->nanswers);
        return -1;
    }
    for (int i = 0; i < in->ndefects; i++)
        if (check_text("a defect code", in->defects[i], sizeof in->defects[i], err, errlen) < 0)
            return -1;
    for (int i = 0; i < in->nanswers; i++)
        if (check_text("a check id", in->answers[i].check, sizeof in->answers[i].check, err,
                       errlen) < 0 ||
            check_text("an answer id", in->answers[i].answer, sizeof in->answers[i].answer, err,
                       errlen) < 0)
            return -1;
    for (int i = 0; i < in->nskipped; i++)
        if (check_text("a skipped check id", in->skipped[i], sizeof in->skipped[i], err, errlen) <
            0)
            return -1;
    for (int i = 0; i < in->nanswers; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(in->answers[i].check, in->answers[j].check)) {
                set_err(err, errlen, "E240: check %s is answered twice", in->answers[i].check);
                return -1;
            }
    for (int i = 0; i < in->nskipped; i++)
        for (int j = 0; j < in->nanswers; j++)
            if (!strcmp(in->skipped[i], in->answers[j].check)) {
                set_err(err, errlen, "E240: check %s is both answered and skipped",
                        in->skipped[i]);
                return -1;
            }
    if ((unsigned)in->reason_check >= REASON_CHECK_COUNT ||
        (unsigned)in->responsibility_suggested >= RESP_COUNT ||
        (unsigned)in->return_type >= RETURN_TYPE_COUNT ||
        (unsigned)in->resolution >= RESOLUTION_COUNT) {
        set_err(err, errlen,
                "E280: reason check %d, suggested responsibility %d, return type %d or"
                " resolution %d: out of range",
                (int)in->reason_check, (int)in->responsibility_suggested, (int)in->return_type,
                (int)in->resolution);
        return -1;
    }
    if (in->grade < GRADE_A || in->grade > GRADE_X) {
        set_err(err, errlen, "E213: the inspection has no grade");
        return -1;
    }
    for (int a = 0; a < ASPECT_COUNT; a++)
        if ((unsigned)in->aspect_grade[a] > GRADE_X) {
            set_err(err, errlen, "E238: the %s grade %d is out of range", aspect_name(a),
                    (int)in->aspect_grade[a]);
            return -1;
        }
    if ((unsigned)in->responsibility >= RESP_COUNT) {
        set_err(err, errlen, "E239: responsibility %d is out of range", (int)in->responsibility);
        return -1;
    }
    if (!in->operator_badge[0]) {
        set_err(err, errlen, "E241: the inspection has no operator");
        return -1;
    }
    if ((unsigned)in->item_check >= ITEM_CHECK_COUNT || in->unit < 0 || in->units < 0 ||
        in->units > MANIFEST_MAX_QUANTITY || in->unit > 1000000) {
        set_err(err, errlen, "E243: item check %d, unit %d of %d: out of range",
                (int)in->item_check, in->unit, in->units);
        return -1;
    }
    return 0;
}

/* defects as a JSON array, answers as a JSON object; malloc'd, NULL on OOM. */
static char *defects_json(const struct inspection *in)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < in->ndefects; i++)
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(in->defects[i]))) {
            cJSON_Delete(a);
            return NULL;
        }
    char *text = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return text;
}

static char *skipped_json(const struct inspection *in)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < in->nskipped; i++)
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(in->skipped[i]))) {
            cJSON_Delete(a);
            return NULL;
        }
    char *text = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return text;
}

static char *answers_json(const struct inspection *in)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; o && i < in->nanswers; i++)
        if (!cJSON_AddStringToObject(o, in->answers[i].check, in->answers[i].answer)) {
            cJSON_Delete(o);
            return NULL;
        }
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

static void bind_grade(sqlite3_stmt *s, int i, enum grade g)
{
    if (g == GRADE_NONE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, grade_name(g), -1, SQLITE_STATIC);
}

int store_commit_inspection(struct store *st, struct inspection *insp, char *err,
                            size_t errlen)
{
    char *record = NULL, *defects = NULL, *answers = NULL, *steps = NULL, *skipped = NULL;
    int rc;
    sqlite3_stmt *s;

    clear_identity(insp);
    if (validate_inspection(insp, err, errlen) < 0)
        return -1;
    /* Recorded as what it is: an item check not set is what the flags say;
     * a unit not set is 1 of 1. */
    insp->item_check = inspection_item_check(insp);
    insp->unit = inspection_unit(insp);
    insp->units = inspection_units(insp);

    if ((rc = stmt_run(st, Q_BEGIN_IMMEDIATE)) != SQLITE_OK) {
        set_err(err, errlen, "E214: cannot start saving: %s", sqlite3_errmsg(st->db));
        goto fail;
    }
    /* The next seq is read under the write lock that BEGIN IMMEDIATE took, so
     * no other connection can take the same number. */
    s = stmt_get(st, Q_MAX_SEQ);
    if (!s || sqlite3_step(s) != SQLITE_ROW) {
        set_err(err, errlen, "E215: cannot number the inspection: %s", sqlite3_errmsg(st->db));
        stmt_done(s);
        goto fail;
    }
    int64_t seq = sqlite3_column_int64(s, 0) + 1;
    stmt_done(s);

    snprintf(insp->station, sizeof insp->station, "%s", st->station);
    snprintf(insp->epoch, sizeof insp->epoch, "%s", st->epoch);
    insp->seq = seq;
    plate_format(insp->plate, (int)sizeof insp->plate, st->station, seq);

    record = inspection_to_json(insp);
    defects = defects_json(insp);
    answers = answers_json(insp);
    steps = inspection_steps_json(insp);
    skipped = skipped_json(insp);
    if (!record || !defects || !answers || !steps || !skipped) {
        set_err(err, errlen, "E216: out of memory building the record");
        goto fail;
    }

    s = stmt_get(st, Q_INSERT_INSPECTION);
    if (!s) {
        set_err(err, errlen, "E217: cannot save the inspection: %s", sqlite3_errmsg(st->db));
        goto fail;
    }
    int i = 1;
    sqlite3_bind_int64(s, i++, seq);
    bind_text(s, i++, insp->station, false);
    bind_text(s, i++, insp->epoch, false);
    bind_text(s, i++, insp->plate, false);
    bind_text(s, i++, insp->rma, true);
    bind_text(s, i++, insp->order_id, true);
    bind_text(s, i++, insp->sku, true);
    bind_text(s, i++, insp->gtin, true);
    bind_text(s, i++, insp->serial, true);
    bind_text(s, i++, insp->description, true);
    bind_text(s, i++, insp->reason, true);
    bind_text(s, i++, insp->category, true);
    bind_text(s, i++, insp->operator_badge, false);
    sqlite3_bind_int64(s, i++, insp->started_at);
    sqlite3_bind_int64(s, i++, insp->finished_at);
    bind_grade(s, i++, insp->grade);
    for (int a = 0; a < ASPECT_COUNT; a++)
        bind_grade(s, i++, insp->aspect_grade[a]);
    bind_text(s, i++, insp->disposition, true);
    bind_text(s, i++, responsibility_name(insp->responsibility), true);
    bind_text(s, i++, defects, false);
    bind_text(s, i++, answers, false);
    bind_text(s, i++, insp->rules_version, true);
    sqlite3_bind_int(s, i++, insp->late);
    sqlite3_bind_int(s, i++, insp->mismatch);
    sqlite3_bind_int(s, i++, insp->blind);
    bind_text(s, i++, insp->supersedes, true);
    bind_text(s, i++, steps, false);
    sqlite3_bind_int(s, i++, insp->calibration_due);
    bind_text(s, i++, insp->calibrates, true);
    bind_text(s, i++, item_check_name(insp->item_check), true);
    bind_text(s, i++, insp->scanned_item, true);
    sqlite3_bind_int(s, i++, insp->wrong_item);
    sqlite3_bind_int(s, i++, insp->unit);
    sqlite3_bind_int(s, i++, insp->units);
    sqlite3_bind_int(s, i++, insp->extra_unit);
    bind_text(s, i++, skipped, false);
    bind_text(s, i++, reason_check_name(insp->reason_check), false);
    bind_text(s, i++, responsibility_name(insp->responsibility_suggested), true);
    bind_text(s, i++, insp->responsibility_reason, true);
    bind_text(s, i++, return_type_name(insp->return_type), true);
    bind_text(s, i++, resolution_name(insp->resolution), true);
    bind_text(s, i++, record, false);
    rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E217: cannot save the inspection: %s", sqlite3_errmsg(st->db));
        stmt_done(s);
        goto fail;
    }
    stmt_done(s);

    s = stmt_get(st, Q_INSERT_OUTBOX);
    if (!s) {
        set_err(err, errlen, "E218: cannot queue the inspection for head office: %s",
                sqlite3_errmsg(st->db));
        goto fail;
    }
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_text(s, 2, record, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, clock_wall_ms());
    rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E218: cannot queue the inspection for head office: %s",
                sqlite3_errmsg(st->db));
        stmt_done(s);
        goto fail;
    }
    stmt_done(s);

    /* The label's print job, in the same transaction: no label is lost to a
     * power cut between the commit and the queue (app/store/printq.h). A blind
     * re-grade (calibration record) gets none: the item keeps its label. */
    if (!insp->calibrates[0]) {
        s = stmt_get(st, Q_INSERT_PRINT_JOB);
        if (!s) {
            set_err(err, errlen, "E230: cannot queue the label: %s", sqlite3_errmsg(st->db));
            goto fail;
        }
        sqlite3_bind_text(s, 1, insp->plate, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, clock_wall_ms());
        rc = sqlite3_step(s);
        if (rc != SQLITE_DONE) {
            set_err(err, errlen, "E230: cannot queue the label: %s", sqlite3_errmsg(st->db));
            stmt_done(s);
            goto fail;
        }
        stmt_done(s);
    }

    /* The grader's unfinished inspection is this one, now saved: its draft
     * goes in the same transaction, so a crash never leaves both. */
    s = stmt_get(st, Q_DROP_DRAFT);
    if (!s) {
        set_err(err, errlen, "E244: cannot remove the draft: %s", sqlite3_errmsg(st->db));
        goto fail;
    }
    sqlite3_bind_text(s, 1, insp->operator_badge, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    stmt_done(s);
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E244: cannot remove the draft: %s", sqlite3_errmsg(st->db));
        goto fail;
    }

    /* The save's row of the audit chain: the hashes of what was written. */
    if (audit_chain_save(st, seq, insp->plate, insp->operator_badge, clock_wall_ms(), err,
                         errlen) < 0)
        goto fail;

    if ((rc = stmt_run(st, Q_COMMIT)) != SQLITE_OK) {
        set_err(err, errlen, "E219: saving did not complete: %s", sqlite3_errmsg(st->db));
        goto fail;
    }
    free(record);
    free(defects);
    free(answers);
    free(steps);
    free(skipped);
    return 0;

fail:
    rollback_if_open(st);
    clear_identity(insp);
    free(record);
    free(defects);
    free(answers);
    free(steps);
    free(skipped);
    return -1;
}

/* Fill `out` from a row of Q_FIND_INSPECTION (columns INSPECTION_COLUMNS). */
static void row_to_inspection(sqlite3_stmt *s, struct inspection *out)
{
    memset(out, 0, sizeof *out);
    int i = 0;
    out->seq = sqlite3_column_int64(s, i++);
#define COL(field) copy_col(out->field, sizeof out->field, s, i++)
    COL(station);
    COL(epoch);
    COL(plate);
    COL(rma);
    COL(order_id);
    COL(sku);
    COL(gtin);
    COL(serial);
    COL(description);
    COL(reason);
    COL(category);
    COL(operator_badge);
    out->started_at = sqlite3_column_int64(s, i++);
    out->finished_at = sqlite3_column_int64(s, i++);
    const unsigned char *g = sqlite3_column_text(s, i++);
    out->grade = g ? grade_from_char((char)g[0]) : GRADE_NONE;
    for (int a = 0; a < ASPECT_COUNT; a++) {
        g = sqlite3_column_text(s, i++);
        out->aspect_grade[a] = g ? grade_from_char((char)g[0]) : GRADE_NONE;
    }
    COL(disposition);
    const unsigned char *r = sqlite3_column_text(s, i++);
    int resp = responsibility_from_name(r ? (const char *)r : "");
    out->responsibility = resp < 0 ? RESP_NONE : (enum responsibility)resp;

    const unsigned char *dj = sqlite3_column_text(s, i++);
    cJSON *d = dj ? cJSON_Parse((const char *)dj) : NULL;
    cJSON *item;
    cJSON_ArrayForEach(item, d)
    {
        if (out->ndefects < INSP_MAX_DEFECTS && cJSON_IsString(item))
            snprintf(out->defects[out->ndefects++], sizeof out->defects[0], "%s",
                     item->valuestring);
    }
    cJSON_Delete(d);
    const unsigned char *aj = sqlite3_column_text(s, i++);
    cJSON *a = aj ? cJSON_Parse((const char *)aj) : NULL;
    cJSON_ArrayForEach(item, a)
    {
        if (out->nanswers < INSP_MAX_ANSWERS && cJSON_IsString(item) && item->string) {
            struct answer_ref *ref = &out->answers[out->nanswers++];
            snprintf(ref->check, sizeof ref->check, "%s", item->string);
            snprintf(ref->answer, sizeof ref->answer, "%s", item->valuestring);
        }
    }
    cJSON_Delete(a);
    COL(rules_version);
    out->late = sqlite3_column_int(s, i++) != 0;
    out->mismatch = sqlite3_column_int(s, i++) != 0;
    out->blind = sqlite3_column_int(s, i++) != 0;
    COL(supersedes);
    const unsigned char *sj = sqlite3_column_text(s, i++);
    cJSON *sm = sj ? cJSON_Parse((const char *)sj) : NULL;
    cJSON_ArrayForEach(item, sm)
    {
        for (int k = 0; k < out->nanswers; k++)
            if (item->string && cJSON_IsNumber(item) && !strcmp(out->answers[k].check, item->string))
                out->step_ms[k] = (int32_t)item->valuedouble;
    }
    cJSON_Delete(sm);
    out->calibration_due = sqlite3_column_int(s, i++) != 0;
    COL(calibrates);
    const unsigned char *ic = sqlite3_column_text(s, i++);
    int check = item_check_from_name(ic ? (const char *)ic : "");
    out->item_check = check < 0 ? ITEM_CHECK_NONE : (enum item_check)check;
    COL(scanned_item);
    out->wrong_item = sqlite3_column_int(s, i++) != 0;
    out->unit = sqlite3_column_int(s, i++);
    out->units = sqlite3_column_int(s, i++);
    out->extra_unit = sqlite3_column_int(s, i++) != 0;
    const unsigned char *kj = sqlite3_column_text(s, i++);
    cJSON *k = kj ? cJSON_Parse((const char *)kj) : NULL;
    cJSON_ArrayForEach(item, k)
    {
        if (out->nskipped < INSP_MAX_ANSWERS && cJSON_IsString(item))
            snprintf(out->skipped[out->nskipped++], sizeof out->skipped[0], "%s",
                     item->valuestring);
    }
    cJSON_Delete(k);
    const unsigned char *t = sqlite3_column_text(s, i++);
    int rc = reason_check_from_name(t ? (const char *)t : "");
    out->reason_check = rc < 0 ? REASON_CHECK_NONE : (enum reason_check)rc;
    t = sqlite3_column_text(s, i++);
    resp = responsibility_from_name(t ? (const char *)t : "");
    out->responsibility_suggested = resp < 0 ? RESP_NONE : (enum responsibility)resp;
    COL(responsibility_reason);
    t = sqlite3_column_text(s, i++);
    int rt = return_type_from_name(t ? (const char *)t : "");
    out->return_type = rt < 0 ? RETURN_TYPE_NONE : (enum return_type)rt;
    t = sqlite3_column_text(s, i++);
    int rs = resolution_from_name(t ? (const char *)t : "");
    out->resolution = rs < 0 ? RESOLUTION_NONE : (enum resolution)rs;
#undef COL
}

int store_find_inspection(struct store *st, const char *plate, struct inspection *out)
{
    sqlite3_stmt *s = stmt_get(st, Q_FIND_INSPECTION);
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, plate, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), result;
    if (rc == SQLITE_ROW) {
        row_to_inspection(s, out);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    } else {
        log_error("E234", "looking up inspection %s failed: %s", plate, sqlite3_errmsg(st->db));
        result = -1;
    }
    stmt_done(s);
    return result;
}

int store_find_calibration(struct store *st, const char *plate)
{
    sqlite3_stmt *s = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM inspections WHERE calibrates = ?1 LIMIT 1", -1,
                           &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, plate, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        result = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
    }
    if (result < 0)
        log_error("E242", "looking up the calibration of %s failed: %s", plate,
                  sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    return result;
}

int64_t store_count_inspections(struct store *st)
{
    sqlite3_stmt *s = stmt_get(st, Q_COUNT_INSPECTIONS);
    int64_t n = -1;
    if (s && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    else
        log_error("E237", "counting inspections failed: %s", sqlite3_errmsg(st->db));
    stmt_done(s);
    return n;
}

/* ---- manifest ------------------------------------------------------------- */

int store_find_manifest(struct store *st, const char *rma, struct manifest_row *out)
{
    sqlite3_stmt *s = stmt_get(st, Q_FIND_MANIFEST);
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, rma, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), result;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        copy_col(out->rma, sizeof out->rma, s, 0);
        copy_col(out->order_id, sizeof out->order_id, s, 1);
        copy_col(out->sku, sizeof out->sku, s, 2);
        copy_col(out->gtin, sizeof out->gtin, s, 3);
        copy_col(out->serial, sizeof out->serial, s, 4);
        copy_col(out->description, sizeof out->description, s, 5);
        copy_col(out->reason, sizeof out->reason, s, 6);
        copy_col(out->delivered_at, sizeof out->delivered_at, s, 7);
        out->quantity = sqlite3_column_int(s, 8);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    } else {
        log_error("E235", "looking up RMA %s failed: %s", rma, sqlite3_errmsg(st->db));
        result = -1;
    }
    stmt_done(s);
    return result;
}

/* A row goes in only when the manifest's one row check passes it. */
static int validate_manifest_row(const struct manifest_row *r, int index, char *err,
                                 size_t errlen)
{
    char msg[300];
    if (manifest_row_check(r, msg, sizeof msg) == 0)
        return 0;
    set_err(err, errlen, "%s (manifest row %d)", msg, index + 1);
    return -1;
}

/* The upsert of a row of a file that has `columns`: a new RMA takes every
 * field (those the file lacks empty, quantity 1); an RMA the station has
 * keeps the fields the file lacks. */
static char *put_manifest_sql(unsigned columns)
{
    static const char *const names[MANIFEST_FIELDS] = {
        [MF_ORDER_ID] = "order_id", [MF_SKU] = "sku",       [MF_GTIN] = "gtin",
        [MF_SERIAL] = "serial",     [MF_DESCRIPTION] = "description",
        [MF_REASON] = "reason",     [MF_DELIVERED_AT] = "delivered_at",
        [MF_QUANTITY] = "quantity"};
    struct buf b = {0};
    buf_adds(&b, "INSERT INTO manifest (rma, order_id, sku, gtin, serial, description, reason,"
                 " delivered_at, quantity, site, updated_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10)"
                 " ON CONFLICT (rma) DO UPDATE SET updated_at = excluded.updated_at");
    for (int f = MF_ORDER_ID; f < MANIFEST_FIELDS; f++)
        if (columns & (1u << f)) {
            buf_adds(&b, ", ");
            buf_adds(&b, names[f]);
            buf_adds(&b, " = excluded.");
            buf_adds(&b, names[f]);
        }
    return buf_take(&b, NULL);
}

/* Whether `row` would change what the manifest holds for its RMA, over the
 * columns the file has (a row the station lacks always would). */
static bool manifest_differs(struct store *st, const struct manifest_row *row, unsigned columns)
{
    struct manifest_row have;
    if (store_find_manifest(st, row->rma, &have) != 0)
        return true;
    for (int f = MF_ORDER_ID; f < MANIFEST_FIELDS; f++) {
        if (!(columns & (1u << f)))
            continue;
        if (f == MF_QUANTITY) {
            if ((row->quantity > 0 ? row->quantity : 1) != have.quantity)
                return true;
            continue;
        }
        size_t size;
        const char *a = manifest_field_at((struct manifest_row *)row, (enum manifest_field)f, &size);
        const char *b = manifest_field_at(&have, (enum manifest_field)f, &size);
        if (strcmp(a, b) != 0)
            return true;
    }
    return false;
}

/* The first plate of an RMA's outcomes into plate[cap]: 0 one is there, 1
 * none, -1 error. */
static int first_outcome(struct store *st, const char *rma, char *plate, size_t cap)
{
    sqlite3_stmt *s = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT plate FROM inspections WHERE rma = ?1 AND calibrates IS NULL"
                           " ORDER BY seq LIMIT 1",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, rma, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            copy_col(plate, cap, s, 0);
        result = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
    }
    sqlite3_finalize(s);
    return result;
}

int store_put_manifest(struct store *st, const struct manifest_row *rows, int nrows,
                       unsigned columns, store_manifest_kept_fn kept, void *arg, char *err,
                       size_t errlen)
{
    for (int i = 0; i < nrows; i++)
        if (validate_manifest_row(&rows[i], i, err, errlen) < 0)
            return -1;
    columns |= (1u << MF_RMA) | (1u << MF_SKU);
    char *sql = put_manifest_sql(columns);
    if (!sql) {
        set_err(err, errlen, "E222: cannot store the manifest: out of memory");
        return -1;
    }
    sqlite3_stmt *s = NULL;
    int applied = 0;
    if (stmt_run(st, Q_BEGIN_IMMEDIATE) != SQLITE_OK) {
        set_err(err, errlen, "E221: cannot start the manifest import: %s",
                sqlite3_errmsg(st->db));
        free(sql);
        return -1;
    }
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        goto failed;
    int64_t now = clock_wall_ms();
    for (int i = 0; i < nrows; i++) {
        const struct manifest_row *r = &rows[i];
        /* An RMA that has an outcome keeps its row: what was graded stays
         * what it was graded against. */
        char plate[48];
        int has = first_outcome(st, r->rma, plate, sizeof plate);
        if (has < 0)
            goto failed;
        if (has == 0) {
            if (kept)
                kept(arg, i, plate, manifest_differs(st, r, columns));
            continue;
        }
        bind_text(s, 1, r->rma, false);
        bind_text(s, 2, r->order_id, false);
        bind_text(s, 3, r->sku, false);
        bind_text(s, 4, r->gtin, false);
        bind_text(s, 5, r->serial, false);
        bind_text(s, 6, r->description, false);
        bind_text(s, 7, r->reason, false);
        bind_text(s, 8, r->delivered_at, false);
        sqlite3_bind_int(s, 9, r->quantity > 0 ? r->quantity : 1);
        sqlite3_bind_int64(s, 10, now);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_DONE)
            goto failed;
        applied++;
    }
    sqlite3_finalize(s);
    s = NULL;
    free(sql);
    if (stmt_run(st, Q_COMMIT) != SQLITE_OK) {
        set_err(err, errlen, "E223: the manifest import did not complete: %s",
                sqlite3_errmsg(st->db));
        rollback_if_open(st);
        return -1;
    }
    return applied;
failed:
    set_err(err, errlen, "E222: cannot store the manifest: %s", sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    free(sql);
    rollback_if_open(st);
    return -1;
}

/* ---- the outcomes of an RMA ----------------------------------------------- */

/* Mark unit numbers of rows of `sql` (?1 rma, ?2 badge) in used[1..units];
 * *highest = the highest seen. SQLITE_DONE or an error code. */
static int mark_units(struct store *st, const char *sql, const char *rma, const char *badge,
                      bool *used, int units, int *highest)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(s, 1, rma, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, badge ? badge : "", -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int u = sqlite3_column_int(s, 0);
        if (u >= 1 && u <= units)
            used[u] = true;
        if (highest && u > *highest)
            *highest = u;
    }
    sqlite3_finalize(s);
    return rc;
}

int store_rma_units(struct store *st, const char *rma, int units, const char *badge,
                    struct rma_units *out)
{
    memset(out, 0, sizeof *out);
    if (units < 1)
        units = 1;
    if (units > MANIFEST_MAX_QUANTITY)
        units = MANIFEST_MAX_QUANTITY;
    bool *graded = calloc((size_t)units + 1, sizeof *graded);
    bool *held = calloc((size_t)units + 1, sizeof *held);
    sqlite3_stmt *s = NULL;
    int result = -1, rc;
    if (!graded || !held) {
        log_error("E245", "counting the units of %s: out of memory", rma);
        goto out;
    }
    /* One snapshot for the counts and the latest outcome. */
    if (exec_sql(st->db, "BEGIN") != SQLITE_OK)
        goto failed;
    rc = mark_units(st, "SELECT unit FROM inspections WHERE rma = ?1 AND calibrates IS NULL",
                    rma, NULL, graded, units, &out->highest);
    if (rc == SQLITE_DONE)
        rc = mark_units(st, "SELECT unit FROM drafts WHERE rma = ?1 AND badge <> ?2", rma, badge,
                        held, units, NULL);
    if (rc != SQLITE_DONE)
        goto failed;
    for (int u = 1; u <= units; u++)
        if (graded[u])
            out->graded++;
    for (int u = 1; u <= units && !out->next; u++)
        if (!graded[u] && !held[u])
            out->next = u;
    for (int u = 1; u <= units && !out->next; u++)
        if (!graded[u])
            out->next = u; /* every free unit is another grader's draft: share the first */
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " INSPECTION_COLUMNS " FROM inspections i"
                           " WHERE rma = ?1 AND calibrates IS NULL AND NOT EXISTS"
                           " (SELECT 1 FROM inspections n WHERE n.rma = i.rma"
                           "  AND n.supersedes = i.plate)"
                           " ORDER BY seq DESC LIMIT 1",
                           -1, &s, NULL) != SQLITE_OK)
        goto failed;
    sqlite3_bind_text(s, 1, rma, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        row_to_inspection(s, &out->latest);
        out->has_latest = true;
    } else if (rc != SQLITE_DONE) {
        goto failed;
    }
    result = 0;
    goto out;
failed:
    log_error("E245", "counting the units of %s failed: %s", rma, sqlite3_errmsg(st->db));
out:
    sqlite3_finalize(s);
    if (!sqlite3_get_autocommit(st->db))
        exec_sql(st->db, "COMMIT");
    free(graded);
    free(held);
    return result;
}

/* ---- drafts -------------------------------------------------------------- */

int store_put_draft(struct store *st, const char *badge, const struct draft *d, char *err,
                    size_t errlen)
{
    char *json = draft_to_json(d);
    if (!json) {
        set_err(err, errlen, "E246: cannot keep the unfinished inspection: out of memory");
        return -1;
    }
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                "INSERT OR REPLACE INTO drafts (badge, rma, unit, saved_at, state)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, d->insp.rma, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, inspection_unit(&d->insp));
        sqlite3_bind_int64(s, 4, d->saved_at);
        sqlite3_bind_text(s, 5, json, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    if (rc != SQLITE_DONE)
        set_err(err, errlen, "E246: cannot keep the unfinished inspection of %s: %s", badge,
                sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    free(json);
    return rc == SQLITE_DONE ? 0 : -1;
}

int store_find_draft(struct store *st, const char *badge, struct draft *out)
{
    sqlite3_stmt *s = NULL;
    int result = -1;
    if (sqlite3_prepare_v2(st->db, "SELECT state FROM drafts WHERE badge = ?1", -1, &s, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            const unsigned char *json = sqlite3_column_text(s, 0);
            result = draft_from_json((const char *)json, out) == 0 ? 0 : -2;
        } else {
            result = rc == SQLITE_DONE ? 1 : -1;
        }
    }
    if (result == -2) {
        log_error("E247", "the unfinished inspection of %s cannot be read back", badge);
        result = -1;
    } else if (result < 0) {
        log_error("E247", "looking up the unfinished inspection of %s failed: %s", badge,
                  sqlite3_errmsg(st->db));
    }
    sqlite3_finalize(s);
    return result;
}

int store_drop_draft(struct store *st, const char *badge, char *err, size_t errlen)
{
    sqlite3_stmt *s = stmt_get(st, Q_DROP_DRAFT);
    int rc = SQLITE_ERROR;
    if (s) {
        sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        stmt_done(s);
    }
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E246: cannot remove the unfinished inspection of %s: %s", badge,
                sqlite3_errmsg(st->db));
        return -1;
    }
    return 0;
}

/* ---- operators ------------------------------------------------------------- */

int store_put_operator(struct store *st, const struct operator_info *op, const char *pin_hash,
                       char *err, size_t errlen)
{
    if (check_text("badge", op->badge, sizeof op->badge, err, errlen) < 0 ||
        check_text("name", op->name, sizeof op->name, err, errlen) < 0)
        return -1;
    if (!op->badge[0] || !op->name[0] || !pin_hash || !pin_hash[0] ||
        role_name(op->role)[0] == 0) {
        set_err(err, errlen, "E225: an operator needs a badge, a name, a role and a PIN hash");
        return -1;
    }
    sqlite3_stmt *s = stmt_get(st, Q_PUT_OPERATOR);
    int rc = SQLITE_ERROR;
    if (s) {
        sqlite3_bind_text(s, 1, op->badge, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, op->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, role_name(op->role), -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, pin_hash, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        stmt_done(s);
    }
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, "E226: cannot save operator %s: %s", op->badge,
                sqlite3_errmsg(st->db));
        return -1;
    }
    return 0;
}

int store_get_operator(struct store *st, const char *badge, struct operator_info *op,
                       char *hash, size_t hashlen, int *failures, int64_t *locked_until)
{
    sqlite3_stmt *s = stmt_get(st, Q_GET_OPERATOR);
    if (!s)
        return -1;
    sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s), result;
    if (rc == SQLITE_ROW) {
        if (op) {
            memset(op, 0, sizeof *op);
            copy_col(op->badge, sizeof op->badge, s, 0);
            copy_col(op->name, sizeof op->name, s, 1);
            const unsigned char *role = sqlite3_column_text(s, 2);
            int r = role_from_name(role ? (const char *)role : "");
            op->role = r < 0 ? ROLE_GRADER : (enum role)r;
        }
        if (hash && hashlen)
            copy_col(hash, hashlen, s, 3);
        if (failures)
            *failures = sqlite3_column_int(s, 4);
        if (locked_until)
            *locked_until = sqlite3_column_int64(s, 5);
        result = 0;
    } else if (rc == SQLITE_DONE) {
        result = 1;
    } else {
        log_error("E236", "looking up badge %s failed: %s", badge, sqlite3_errmsg(st->db));
        result = -1;
    }
    stmt_done(s);
    return result;
}

int store_set_login_failures(struct store *st, const char *badge, int failures,
                             int64_t locked_until)
{
    sqlite3_stmt *s = stmt_get(st, Q_SET_FAILURES);
    int rc = SQLITE_ERROR;
    if (s) {
        sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, failures);
        sqlite3_bind_int64(s, 3, locked_until);
        rc = sqlite3_step(s);
        stmt_done(s);
    }
    if (rc != SQLITE_DONE) {
        log_error("E227", "recording login failures of %s failed: %s", badge,
                  sqlite3_errmsg(st->db));
        return -1;
    }
    return 0;
}
