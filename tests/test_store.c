/*
 * test_store.c — the station database: schema and migrations (a database of
 * every released schema version opens and ends up the same as a new one),
 * durability settings, worker connections, append-only inspections, atomic
 * commit with its outbox row, a simulated full disk, the outbox as sync
 * reads it, export, and a kill -9 loop during commits.
 */
#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "harness.h"
#include "log.h"
#include "manifest_row.h"
#include "outbox.h"
#include "store.h"
#include "store_internal.h" /* store_db: faults injected into a connection */

#define STATION "SH01-S03"

static char db_path[600];

static int64_t sql_int(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t v = -999;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static char *sql_text(struct store *st, const char *sql)
{
    sqlite3_stmt *s = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        v = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
}

static int64_t at(const char *rfc3339)
{
    int64_t ms = 0;
    time_parse_rfc3339(rfc3339, &ms);
    return ms;
}

/* A realistic graded phone; i varies the RMA. */
static void make_insp(struct inspection *in, int i)
{
    memset(in, 0, sizeof *in);
    snprintf(in->rma, sizeof in->rma, "RMA-%d", 1000 + i);
    snprintf(in->order_id, sizeof in->order_id, "SO-88120431");
    snprintf(in->sku, sizeof in->sku, "PH-IP15-128-BLK");
    snprintf(in->gtin, sizeof in->gtin, "0195142354101");
    snprintf(in->serial, sizeof in->serial, "F2LXK9Q1N72P");
    snprintf(in->description, sizeof in->description, "Smartphone 6.1in 手机");
    snprintf(in->reason, sizeof in->reason, "defective");
    snprintf(in->category, sizeof in->category, "phone");
    snprintf(in->operator_badge, sizeof in->operator_badge, "G1001");
    in->started_at = at("2026-11-23T10:41:07Z");
    in->finished_at = at("2026-11-23T10:42:42Z");
    in->grade = GRADE_B;
    in->aspect_grade[ASPECT_COSMETIC] = GRADE_B;
    in->aspect_grade[ASPECT_FUNCTIONAL] = GRADE_A;
    in->aspect_grade[ASPECT_COMPLETENESS] = GRADE_NONE;
    snprintf(in->disposition, sizeof in->disposition, "open_box");
    in->responsibility = RESP_CUSTOMER;
    in->ndefects = 2;
    snprintf(in->defects[0], sizeof in->defects[0], "SCR-L");
    snprintf(in->defects[1], sizeof in->defects[1], "WEAR");
    in->nanswers = 3;
    snprintf(in->answers[0].check, 32, "screen");
    snprintf(in->answers[0].answer, 32, "light");
    snprintf(in->answers[1].check, 32, "body");
    snprintf(in->answers[1].answer, 32, "wear");
    snprintf(in->answers[2].check, 32, "power");
    snprintf(in->answers[2].answer, 32, "yes");
    snprintf(in->rules_version, sizeof in->rules_version, "2026-11");
    in->late = i % 2 == 1;
}

/* The schema as each version was released, statement for statement (the
 * migrations as store.c listed them before each module defined its own
 * tables). A station's database at version N ran exactly these; the store
 * must still open it, and a database it makes today must be the same. */
static const char *const released[] = {
    /* 1: the first schema. */
    "CREATE TABLE meta ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  station TEXT NOT NULL,"
    "  epoch TEXT NOT NULL CHECK (length(epoch) = 32),"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE operators ("
    "  badge TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK (role IN ('grader', 'supervisor', 'admin')),"
    "  pin_hash TEXT NOT NULL,"
    "  failures INTEGER NOT NULL DEFAULT 0,"
    "  locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE manifest ("
    "  rma TEXT PRIMARY KEY,"
    "  order_id TEXT NOT NULL DEFAULT '',"
    "  sku TEXT NOT NULL,"
    "  gtin TEXT NOT NULL DEFAULT '',"
    "  serial TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '',"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  delivered_at TEXT NOT NULL DEFAULT '',"
    "  site TEXT NOT NULL DEFAULT '',"
    "  updated_at INTEGER NOT NULL);"
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
    "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
    "CREATE TABLE outbox ("
    "  seq INTEGER PRIMARY KEY REFERENCES inspections (seq),"
    "  payload TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox"
    "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;"
    "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox"
    "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  badge TEXT,"
    "  event TEXT NOT NULL,"
    "  detail TEXT);",
    /* print_jobs: the label queue (app/printq.c). A job is done when done_at is
     * set; nothing else of a job changes but its attempts and errors. */
    "CREATE TABLE print_jobs ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  plate TEXT NOT NULL REFERENCES inspections (plate),"
    "  kind TEXT NOT NULL CHECK (kind IN ('label', 'reprint')),"
    "  created_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_try_at INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT,"
    "  done_at INTEGER);"
    "CREATE INDEX print_jobs_waiting ON print_jobs (id) WHERE done_at IS NULL;",
    /* Statistics: time per checklist step, grader calibration, and
     * a covering index so that a date range's numbers are read from the index
     * alone (never the wide record column). */
    "ALTER TABLE inspections ADD COLUMN step_ms TEXT NOT NULL DEFAULT '{}';"
    "ALTER TABLE inspections ADD COLUMN calibration_due INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE inspections ADD COLUMN calibrates TEXT;"
    "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at, grade,"
    "  functional, disposition, responsibility, reason, late, mismatch, calibration_due,"
    "  calibrates, plate, defects, step_ms);"
    "CREATE INDEX inspections_calibrates ON inspections (calibrates)"
    "  WHERE calibrates IS NOT NULL;",
    /* sync_state: how far sync has delivered the outbox to each target
     * (sync/sync.c owns it). sent_seq: every outbox seq up to it is
     * acknowledged; intent_last: a batch sent_seq+1..intent_last was begun and
     * must be redone exactly (spool); manifest_since: the target's mark of
     * the last manifest pull. */
    "CREATE TABLE sync_state ("
    "  target TEXT PRIMARY KEY,"
    "  sent_seq INTEGER NOT NULL DEFAULT 0,"
    "  intent_last INTEGER NOT NULL DEFAULT 0,"
    "  manifest_since TEXT NOT NULL DEFAULT '',"
    "  last_ok INTEGER NOT NULL DEFAULT 0,"
    "  last_error TEXT NOT NULL DEFAULT '');",
    /* audit.subject: what an action was done to, apart from who did it. */
    "ALTER TABLE audit ADD COLUMN subject TEXT;"
    "UPDATE audit SET subject = badge, badge = NULL"
    "  WHERE event IN ('reprint', 'regrade', 'calibration_start');",
    /* The item check and the unit of an inspection, the graders' drafts, the
     * units a manifest row expects, and the statistics index with the item
     * check. */
    "ALTER TABLE inspections ADD COLUMN item_check TEXT CHECK (item_check IN"
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
    "CREATE INDEX drafts_rma ON drafts (rma);"
    "ALTER TABLE manifest ADD COLUMN quantity INTEGER NOT NULL DEFAULT 1;"
    "DROP INDEX inspections_stats;"
    "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
    " grade, functional, disposition, responsibility, reason, late, mismatch,"
    " calibration_due, calibrates, plate, defects, step_ms, item_check);",
    /* The grading policy of an inspection; the statistics index with its
     * columns, categories and SKUs, and the re-grades that replaced an
     * outcome by the plate they name. */
    "ALTER TABLE inspections ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';"
    "ALTER TABLE inspections ADD COLUMN reason_check TEXT CHECK (reason_check IN"
    "  ('confirmed', 'not_found', 'none'));"
    "ALTER TABLE inspections ADD COLUMN responsibility_suggested TEXT;"
    "ALTER TABLE inspections ADD COLUMN responsibility_reason TEXT;"
    "ALTER TABLE inspections ADD COLUMN return_type TEXT CHECK (return_type IN"
    "  ('quality', 'non_quality'));"
    "ALTER TABLE inspections ADD COLUMN resolution TEXT CHECK (resolution IN"
    "  ('refund', 'partial_refund', 'exchange', 'repair', 'reject', 'investigate'));"
    "DROP INDEX inspections_stats;"
    "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
    " grade, functional, disposition, responsibility, reason, late, mismatch,"
    " calibration_due, calibrates, plate, defects, step_ms, item_check, reason_check,"
    " responsibility_suggested, return_type, resolution, category, sku);"
    "CREATE INDEX inspections_supersedes ON inspections (supersedes)"
    " WHERE supersedes IS NOT NULL;"
    /* and operators' locks in a row and disabled; the audit log as a hash
     * chain (the hashes are computed in C, app/store/audit.c, before the
     * triggers are made); retention of outbox rows head office has. */
    "ALTER TABLE operators ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE audit_chain ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  badge TEXT,"
    "  event TEXT NOT NULL,"
    "  detail TEXT,"
    "  subject TEXT,"
    "  authorised_by TEXT,"
    "  hash TEXT);"
    "INSERT INTO audit_chain (id, at, badge, event, detail, subject)"
    "  SELECT row_number() OVER (ORDER BY id), at, badge, event, detail, subject"
    "  FROM audit ORDER BY id;"
    "DROP TABLE audit;"
    "ALTER TABLE audit_chain RENAME TO audit;"
    "CREATE TABLE audit_sync ("
    "  target TEXT PRIMARY KEY,"
    "  sent_id INTEGER NOT NULL DEFAULT 0,"
    "  intent_last INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE retention ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  outbox_upto INTEGER NOT NULL DEFAULT 0,"
    "  labels_upto INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO retention (id) VALUES (1);"
    "DROP TRIGGER outbox_no_delete;"
    "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox"
    "  WHEN OLD.seq > (SELECT outbox_upto FROM retention WHERE id = 1)"
    "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* 8: evidence photos, the photos taken and the required ones waived;
     * the statistics' covering index takes the override reason. */
    "ALTER TABLE inspections ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';"
    "ALTER TABLE inspections ADD COLUMN photos_waived TEXT NOT NULL DEFAULT '[]';"
    "DROP INDEX inspections_stats;"
    "CREATE INDEX inspections_stats ON inspections (finished_at, operator, started_at,"
    " grade, functional, disposition, responsibility, reason, late, mismatch,"
    " calibration_due, calibrates, plate, defects, step_ms, item_check, reason_check,"
    " responsibility_suggested, return_type, resolution, category, sku,"
    " responsibility_reason);",
};
#define NUM_RELEASED ((int)(sizeof released / sizeof *released))

/* The schema of the database at path: every object's type, name, table and
 * SQL, sorted. Malloc'd. */
static char *schema_of(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT type || '|' || name || '|' || tbl_name || '|' ||"
                           " coalesce(sql, '') FROM sqlite_master ORDER BY type, name",
                           -1, &s, NULL) == SQLITE_OK)
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *row = (const char *)sqlite3_column_text(s, 0);
            len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s\n", row);
        }
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK(len > 0 && len < cap);
    return out;
}

/* A database as a station of schema version `version` left it: the
 * released statements up to it, a meta row, and one inspection graded then
 * (with its outbox row). */
static void make_released(const char *path, int version)
{
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
    for (int v = 1; v <= version; v++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
        CHECK_INT(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_exec(db, released[v - 1], NULL, NULL, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        if (v == 1)
            CHECK_INT(sqlite3_exec(db,
                                   "INSERT INTO meta VALUES (1, 'SH01-S03',"
                                   " '0123456789abcdef0123456789abcdef', 1);"
                                   "INSERT INTO inspections (seq, station, epoch, plate,"
                                   " operator, started_at, finished_at, grade, record) VALUES"
                                   " (1, 'SH01-S03', '0123456789abcdef0123456789abcdef',"
                                   " 'SH01-S03-000001', 'G1', 1, 2, 'B', '{}');"
                                   "INSERT INTO outbox VALUES (1, '{}', 2);",
                                   NULL, NULL, NULL),
                      SQLITE_OK);
        CHECK_INT(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    }
    sqlite3_close(db);
}

/* Each module's part of the schema adds up to what was released: a new
 * database is the same as one made by the released statements, and a
 * database of every older version opens, migrates to the newest and keeps
 * what it held. */
static void test_released_schemas(void)
{
    char err[512] = "", fresh[700], path[700];
    struct store *st = NULL;
    snprintf(fresh, sizeof fresh, "%s/fresh.db", harness_tmpdir());
    CHECK_INT(store_open(fresh, STATION, &st, err, sizeof err), 0);
    CHECK_INT(sql_int(st, "PRAGMA user_version"), NUM_RELEASED);
    store_close(st);
    char *want = schema_of(fresh);

    for (int v = 1; v <= NUM_RELEASED; v++) {
        snprintf(path, sizeof path, "%s/released-%d.db", harness_tmpdir(), v);
        make_released(path, v);
        if (v == NUM_RELEASED) {
            char *made = schema_of(path);
            CHECK_STR(made, want);
            free(made);
        }
        st = NULL;
        if (!CHECK_INT(store_open(path, STATION, &st, err, sizeof err), 0)) {
            fprintf(stderr, "  version %d: %s\n", v, err);
            continue;
        }
        CHECK_INT(sql_int(st, "PRAGMA user_version"), NUM_RELEASED);
        CHECK_STR(store_epoch(st), "0123456789abcdef0123456789abcdef");
        CHECK_INT(store_count_inspections(st), 1);
        /* It goes on numbering after what it held. */
        struct inspection in;
        make_insp(&in, v);
        CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
        CHECK_STR(in.plate, "SH01-S03-000002");
        store_close(st);
        char *got = schema_of(path);
        if (!CHECK_STR(got, want))
            fprintf(stderr, "  after migrating from version %d\n", v);
        free(got);
    }
    free(want);
}

/* A worker's connection opens the station's database and never makes one. */
static void test_worker_connection(void)
{
    char err[512] = "", path[700];
    struct store *st = (struct store *)1;
    snprintf(path, sizeof path, "%s/absent.db", harness_tmpdir());
    CHECK_INT(store_open_worker(path, STATION, STORE_SYNC, &st, err, sizeof err), -1);
    CHECK(st == NULL);
    CHECK(strncmp(err, "E200:", 5) == 0);
    struct stat sb;
    CHECK(stat(path, &sb) != 0);

    static const enum store_conn conns[] = {STORE_PRINT, STORE_STATS, STORE_SYNC};
    for (int i = 0; i < 3; i++) {
        CHECK_INT(store_open_worker(db_path, NULL, conns[i], &st, err, sizeof err), 0);
        CHECK_STR(store_station(st), STATION);
        CHECK_INT(sql_int(st, "PRAGMA synchronous"), 2);
        CHECK_INT(sql_int(st, "PRAGMA foreign_keys"), 1);
        char *mode = sql_text(st, "PRAGMA journal_mode");
        CHECK_STR(mode, "wal");
        free(mode);
        CHECK(store_count_inspections(st) > 0);
        store_close(st);
    }
    /* The configured id still names a renamed station. */
    CHECK_INT(store_open_worker(db_path, "SH01-S99", STORE_SYNC, &st, err, sizeof err), 0);
    CHECK_STR(store_station(st), "SH01-S99");
    store_close(st);
}

static void test_create(void)
{
    char err[512] = "";
    struct store *st = NULL;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    if (!CHECK(st != NULL)) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    CHECK_STR(store_station(st), STATION);
    const char *epoch = store_epoch(st);
    CHECK_INT(strlen(epoch), 32);
    CHECK(strspn(epoch, "0123456789abcdef") == 32);
    /* Every migration ran (later issues append theirs): the first and the print queue's. */
    CHECK(sql_int(st, "PRAGMA user_version") >= 2);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM sqlite_master WHERE name = 'print_jobs'"), 1);
    char *mode = sql_text(st, "PRAGMA journal_mode");
    CHECK_STR(mode, "wal");
    free(mode);
    CHECK_INT(sql_int(st, "PRAGMA synchronous"), 2); /* FULL */
    CHECK_INT(sql_int(st, "PRAGMA foreign_keys"), 1);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                          " ('meta', 'operators', 'manifest', 'inspections', 'outbox', 'audit')"),
              6);
    /* Append-only: inspections, outbox and audit refuse UPDATE and DELETE. */
    CHECK_INT(sql_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 6);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM meta"), 1);
    CHECK_INT(store_count_inspections(st), 0);
    /* PIN hashes inside: readable by the station's user only. */
    struct stat sb;
    CHECK(stat(db_path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    store_close(st);
    store_close(NULL); /* a no-op */
}

static void test_bad_open(void)
{
    char err[512] = "", path[700];
    struct store *st = (struct store *)1;
    snprintf(path, sizeof path, "%s/new.db", harness_tmpdir());
    CHECK_INT(store_open(path, "", &st, err, sizeof err), -1);
    CHECK(st == NULL);
    CHECK(strncmp(err, "E207:", 5) == 0);
    CHECK_INT(store_open(path, "bad id with spaces", &st, err, sizeof err), -1);
    CHECK(strncmp(err, "E207:", 5) == 0);
    /* The failed creations left an empty, unversioned database: a good id works. */
    CHECK_INT(store_open(path, "SH02-S01", &st, err, sizeof err), 0);
    store_close(st);
    /* A renamed station keeps its database and epoch under the new id. */
    CHECK_INT(store_open(path, "SH09-S09", &st, err, sizeof err), 0);
    CHECK_STR(store_station(st), "SH09-S09");
    store_close(st);
    /* A directory that does not exist. */
    CHECK_INT(store_open("/nonexistent/dir/x.db", STATION, &st, err, sizeof err), -1);
    CHECK(strncmp(err, "E200:", 5) == 0);
    /* A schema newer than this program. */
    snprintf(path, sizeof path, "%s/future.db", harness_tmpdir());
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INT(store_open(path, STATION, &st, err, sizeof err), -1);
    CHECK(strncmp(err, "E203:", 5) == 0);
}

static void test_commit_and_find(void)
{
    char err[512] = "";
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    struct inspection in;
    for (int i = 1; i <= 3; i++) {
        make_insp(&in, i);
        CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
        CHECK_INT(in.seq, i);
        CHECK_STR(in.station, STATION);
        CHECK_STR(in.epoch, store_epoch(st));
    }
    CHECK_STR(in.plate, "SH01-S03-000003");
    CHECK_INT(store_count_inspections(st), 3);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox"), 3);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox o JOIN inspections i USING (seq)"
                          " WHERE o.payload = i.record"),
              3);

    struct inspection got;
    CHECK_INT(store_find_inspection(st, "SH01-S03-000002", &got), 0);
    make_insp(&in, 2);
    CHECK_INT(got.seq, 2);
    CHECK_STR(got.plate, "SH01-S03-000002");
    CHECK_STR(got.epoch, store_epoch(st));
    CHECK_STR(got.rma, in.rma);
    CHECK_STR(got.description, in.description);
    CHECK_STR(got.operator_badge, "G1001");
    CHECK_INT(got.started_at, in.started_at);
    CHECK_INT(got.finished_at, in.finished_at);
    CHECK_INT(got.grade, GRADE_B);
    CHECK_INT(got.aspect_grade[ASPECT_COSMETIC], GRADE_B);
    CHECK_INT(got.aspect_grade[ASPECT_FUNCTIONAL], GRADE_A);
    CHECK_INT(got.aspect_grade[ASPECT_COMPLETENESS], GRADE_NONE);
    CHECK_INT(got.responsibility, RESP_CUSTOMER);
    CHECK_INT(got.ndefects, 2);
    CHECK_STR(got.defects[1], "WEAR");
    CHECK_INT(got.nanswers, 3);
    CHECK_STR(got.answers[2].check, "power");
    CHECK_STR(got.answers[2].answer, "yes");
    CHECK(!got.late && !got.mismatch && !got.blind);
    CHECK_STR(got.supersedes, "");
    CHECK_INT(store_find_inspection(st, "SH01-S03-000099", &got), 1);
    store_close(st);
}

static void test_append_only(void)
{
    char err[512] = "";
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    sqlite3 *db = store_db(st);
    static const char *const refused[] = {
        "UPDATE inspections SET grade = 'A' WHERE seq = 1",
        "DELETE FROM inspections WHERE seq = 1",
        "DELETE FROM inspections",
        "UPDATE outbox SET payload = '{}' WHERE seq = 1",
        "DELETE FROM outbox WHERE seq = 1",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char *msg = NULL;
        int rc = sqlite3_exec(db, refused[i], NULL, NULL, &msg);
        if (!CHECK(rc != SQLITE_OK))
            fprintf(stderr, "  accepted: %s\n", refused[i]);
        CHECK(msg && strstr(msg, "append-only"));
        sqlite3_free(msg);
    }
    CHECK_INT(store_count_inspections(st), 3);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM inspections WHERE grade = 'B'"), 3);
    /* An outbox row must name a real inspection. */
    CHECK(sqlite3_exec(db, "INSERT INTO outbox VALUES (77, '{}', 0)", NULL, NULL, NULL) !=
          SQLITE_OK);
    store_close(st);
}

static void test_reopen(void)
{
    char err[512] = "", epoch[40];
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    snprintf(epoch, sizeof epoch, "%s", store_epoch(st));
    store_close(st);
    /* NULL station: whatever the database says (the sync worker, export). */
    CHECK_INT(store_open(db_path, NULL, &st, err, sizeof err), 0);
    CHECK_STR(store_epoch(st), epoch);
    CHECK_STR(store_station(st), STATION);
    CHECK(sql_int(st, "PRAGMA user_version") >= 2);
    CHECK_INT(sql_int(st, "PRAGMA synchronous"), 2); /* on every connection */
    CHECK_INT(sql_int(st, "PRAGMA foreign_keys"), 1);
    struct inspection in;
    make_insp(&in, 4);
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    CHECK_INT(in.seq, 4);
    CHECK_STR(in.epoch, epoch);
    store_close(st);
}

/* Two connections (the UI and the sync worker) writing in turn: one numbering. */
static void test_two_connections(void)
{
    char err[512] = "";
    struct store *a, *b;
    CHECK_INT(store_open(db_path, STATION, &a, err, sizeof err), 0);
    CHECK_INT(store_open(db_path, STATION, &b, err, sizeof err), 0);
    struct inspection in;
    int64_t before = store_count_inspections(a);
    for (int i = 0; i < 6; i++) {
        make_insp(&in, 10 + i);
        CHECK_INT(store_commit_inspection(i % 2 ? a : b, &in, err, sizeof err), 0);
        CHECK_INT(in.seq, before + i + 1);
    }
    CHECK_INT(store_count_inspections(b), before + 6);
    store_close(a);
    store_close(b);
}

static void test_bad_input(void)
{
    char err[512] = "";
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    int64_t before = store_count_inspections(st);
    struct inspection in;
    static const struct {
        const char *id;
        int what;
    } cases[] = {
        {"E210", 0}, /* 1: serial fills its field: not NUL-terminated */
        {"E211", 1}, /* 2: category not UTF-8 */
        {"E213", 2}, /* 3: no grade */
        {"E212", 3}, /* 4: 99 defects */
        {"E241", 4}, /* 5: no operator */
        {"E240", 5}, /* 6: a check answered twice */
        {"E210", 6}, /* 7: a defect code fills its field */
        {"E239", 7}, /* 8: responsibility out of range */
        {"E238", 8}, /* 9: an aspect grade out of range */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        make_insp(&in, 1);
        switch (cases[i].what) {
        case 0: memset(in.serial, 'S', sizeof in.serial); break;
        case 1: snprintf(in.category, sizeof in.category, "ph\xC3\x28one"); break;
        case 2: in.grade = GRADE_NONE; break;
        case 3: in.ndefects = 99; break;
        case 4: in.operator_badge[0] = 0; break;
        case 5: snprintf(in.answers[1].check, 32, "screen"); break;
        case 6: memset(in.defects[0], 'D', sizeof in.defects[0]); break;
        case 7: in.responsibility = (enum responsibility)42; break;
        case 8: in.aspect_grade[ASPECT_FUNCTIONAL] = (enum grade)9; break;
        }
        snprintf(in.plate, sizeof in.plate, "stale");
        err[0] = 0;
        CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), -1);
        if (!CHECK(strncmp(err, cases[i].id, 4) == 0))
            fprintf(stderr, "  case %zu: %s\n", i + 1, err);
        CHECK_STR(in.plate, "");
        CHECK_INT(in.seq, 0);
    }
    CHECK_INT(store_count_inspections(st), before);
    store_close(st);
}

/* A full disk, simulated with max_page_count: the commit that needs one page
 * more fails whole, and the same record saves once there is room again. */
static void test_full_disk(void)
{
    char err[512] = "", sql[128];
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    int64_t pages = sql_int(st, "PRAGMA page_count");
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    CHECK_INT(sql_int(st, sql), pages);

    int64_t before = store_count_inspections(st), last_seq = before;
    struct inspection in;
    int rc = 0, tries = 0;
    while (tries < 500) {
        make_insp(&in, 100 + tries++);
        rc = store_commit_inspection(st, &in, err, sizeof err);
        if (rc < 0)
            break;
        last_seq = in.seq;
    }
    CHECK_INT(rc, -1);
    /* Whichever write of the save finds the disk full (the inspection, its
     * outbox row, its audit row) names it; the save fails whole. */
    if (!CHECK(strncmp(err, "E2", 2) == 0 && strstr(err, "full")))
        fprintf(stderr, "  error: %s\n", err);
    else
        printf("full disk after %d commits: %s\n", tries - 1, err);
    CHECK_STR(in.plate, "");
    CHECK_INT(in.seq, 0);
    CHECK_STR(in.station, "");
    /* Nothing half-written: every inspection has its outbox row and back. */
    int64_t n = store_count_inspections(st);
    CHECK_INT(n, last_seq);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox"), n);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox o LEFT JOIN inspections i USING (seq)"
                          " WHERE i.seq IS NULL"),
              0);
    CHECK(sqlite3_get_autocommit(store_db(st)) != 0);

    /* Still full: the retry fails the same way, and still writes nothing. */
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), -1);
    CHECK_INT(store_count_inspections(st), n);

    /* Room again: the same record saves, with the next seq (no gap). */
    sql_int(st, "PRAGMA max_page_count = 1073741823");
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    CHECK_INT(in.seq, last_seq + 1);
    CHECK_INT(store_count_inspections(st), n + 1);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox"), n + 1);
    CHECK_INT(sql_int(st, "SELECT max(seq) - min(seq) + 1 - count(*) FROM inspections"), 0);
    store_close(st);
}

/* The outbox insert fails after the inspection row went in: both go. */
static void test_outbox_fault(void)
{
    char err[512] = "";
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    sqlite3 *db = store_db(st);
    int64_t before = store_count_inspections(st);
    CHECK_INT(sqlite3_exec(db, "CREATE TEMP TRIGGER inject BEFORE INSERT ON main.outbox"
                               " BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
                           NULL, NULL, NULL),
              SQLITE_OK);
    struct inspection in;
    make_insp(&in, 7);
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), -1);
    CHECK(strncmp(err, "E218:", 5) == 0 && strstr(err, "injected fault"));
    CHECK_STR(in.plate, "");
    CHECK_INT(store_count_inspections(st), before);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox"), before);
    CHECK(sqlite3_get_autocommit(db) != 0);
    CHECK_INT(sqlite3_exec(db, "DROP TRIGGER inject", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    CHECK_INT(in.seq, before + 1);
    store_close(st);
}

/* The outbox as sync reads it, and sync's progress per target. */
static void test_outbox(void)
{
    char err[512] = "";
    struct store *st = NULL;
    const char *target = "spool:/var/spool/triage", *other = "postgresql://ho/triage";
    CHECK_INT(store_open_worker(db_path, NULL, STORE_SYNC, &st, err, sizeof err), 0);
    if (!st)
        return;
    int64_t last = outbox_last_seq(st, err, sizeof err);
    CHECK_INT(last, store_count_inspections(st));
    CHECK(last >= 3);

    /* A target seen for the first time has nothing. */
    struct outbox_progress p;
    CHECK_INT(outbox_progress(st, target, &p, err, sizeof err), 0);
    CHECK_INT(p.sent_seq, 0);
    CHECK_INT(p.intent_last, 0);
    CHECK_STR(p.manifest_since, "");
    CHECK_INT(outbox_waiting(st, target), last);

    /* Records after a seq, up to one: the export records, whole. */
    struct outbox_batch b;
    CHECK_INT(outbox_fetch(st, 1, 3, &b, err, sizeof err), 0);
    CHECK_INT(b.first, 2);
    CHECK_INT(b.last, 3);
    CHECK_INT(b.count, 2);
    for (int k = 0; k < b.count; k++) {
        char sql[80];
        snprintf(sql, sizeof sql, "SELECT record FROM inspections WHERE seq = %d", 2 + k);
        char *want = sql_text(st, sql);
        CHECK_STR(b.records[k], want);
        CHECK_INT(b.lens[k], want ? strlen(want) : 0);
        free(want);
    }
    outbox_batch_free(&b);
    CHECK(b.records == NULL && b.count == 0);
    outbox_batch_free(&b); /* an empty batch is fine */
    outbox_batch_free(NULL);
    /* Past the last seq: a gap, and nothing handed out. */
    CHECK_INT(outbox_fetch(st, last - 1, last + 1, &b, err, sizeof err), -1);
    CHECK(strncmp(err, "E703:", 5) == 0);
    CHECK(b.records == NULL && b.count == 0);

    /* Progress: a batch begun, then acknowledged. */
    CHECK_INT(outbox_mark_sent(st, target, 1, 3, err, sizeof err), 0);
    CHECK_INT(outbox_progress(st, target, &p, err, sizeof err), 0);
    CHECK_INT(p.sent_seq, 1);
    CHECK_INT(p.intent_last, 3);
    CHECK_INT(outbox_waiting(st, target), last - 1);
    CHECK_INT(outbox_mark_sent(st, target, 3, 0, err, sizeof err), 0);
    CHECK_INT(outbox_mark_pulled(st, target, "2026-11-23T10:00:00Z#17", err, sizeof err), 0);
    CHECK_INT(outbox_progress(st, target, &p, err, sizeof err), 0);
    CHECK_INT(p.sent_seq, 3);
    CHECK_INT(p.intent_last, 0);
    CHECK_STR(p.manifest_since, "2026-11-23T10:00:00Z#17");
    CHECK_INT(outbox_waiting(st, target), last - 3);

    /* How rounds ended. */
    outbox_mark_round(st, target, NULL, 1234);
    outbox_mark_round(st, target, "E712: head office cannot be reached", 0);
    CHECK_INT(sql_int(st, "SELECT last_ok FROM sync_state"
                          " WHERE target = 'spool:/var/spool/triage'"),
              1234);
    char *e = sql_text(st, "SELECT last_error FROM sync_state"
                           " WHERE target = 'spool:/var/spool/triage'");
    CHECK_STR(e, "E712: head office cannot be reached");
    free(e);
    outbox_mark_round(st, target, NULL, 5678);
    e = sql_text(st, "SELECT last_error FROM sync_state WHERE target = 'spool:/var/spool/triage'");
    CHECK_STR(e, "");
    free(e);

    /* Targets keep their own progress; the outbox itself never changes. */
    CHECK_INT(outbox_waiting(st, other), last);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox"), last);
    store_close(st);
}

static const char *const export_keys[] = {
    "station",   "epoch",       "seq",          "plate",       "rma",
    "order_id",  "sku",         "gtin",         "serial",      "category",
    "operator",  "started_at",  "finished_at",  "grade",       "cosmetic",
    "functional", "completeness", "disposition", "responsibility", "defects",
    "answers",   "rules_version", "late",       "mismatch",    "supersedes",
    "blind",     "step_ms",     "calibration_due", "calibrates", "item_check",
    "scanned_item", "wrong_item", "unit",       "units",       "extra_unit",
    "skipped",   "reason",      "reason_check", "responsibility_suggested",
    "responsibility_reason", "return_type", "resolution", "photos", "photos_waived",
};
#define NKEYS (sizeof export_keys / sizeof *export_keys)

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool jnull(const cJSON *o, const char *key)
{
    return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, key));
}

static bool jbool(const cJSON *o, const char *key, bool want)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsBool(v) && (cJSON_IsTrue(v) != 0) == want;
}

static void test_export(void)
{
    char err[512] = "", path[700];
    snprintf(path, sizeof path, "%s/export.db", harness_tmpdir());
    struct store *st;
    CHECK_INT(store_open(path, "EX-01", &st, err, sizeof err), 0);
    struct inspection in;
    make_insp(&in, 1);
    /* The grading policy: a check not asked, the declared reason not found,
     * the grader confirmed another responsibility than the suggested one,
     * and a late return rejected. */
    in.nskipped = 1;
    snprintf(in.skipped[0], sizeof in.skipped[0], "camera");
    in.reason_check = REASON_CHECK_NOT_FOUND;
    in.responsibility_suggested = RESP_LOGISTICS;
    snprintf(in.responsibility_reason, sizeof in.responsibility_reason, "customer_statement");
    in.return_type = RETURN_TYPE_NON_QUALITY;
    in.resolution = RESOLUTION_REJECT;
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    struct inspection back;
    CHECK_INT(store_find_inspection(st, "EX-01-000001", &back), 0);
    CHECK_INT(back.nskipped, 1);
    CHECK_STR(back.skipped[0], "camera");
    CHECK_INT(back.reason_check, REASON_CHECK_NOT_FOUND);
    CHECK_INT(back.responsibility_suggested, RESP_LOGISTICS);
    CHECK_INT(back.responsibility, RESP_CUSTOMER);
    CHECK_STR(back.responsibility_reason, "customer_statement");
    CHECK_INT(back.return_type, RETURN_TYPE_NON_QUALITY);
    CHECK_INT(back.resolution, RESOLUTION_REJECT);
    /* Out of range, or a check both answered and skipped: refused. */
    struct inspection bad = in;
    bad.resolution = RESOLUTION_COUNT;
    CHECK_INT(store_commit_inspection(st, &bad, err, sizeof err), -1);
    CHECK(strncmp(err, "E280: ", 6) == 0);
    bad = in;
    snprintf(bad.skipped[0], sizeof bad.skipped[0], "power");
    CHECK_INT(store_commit_inspection(st, &bad, err, sizeof err), -1);
    CHECK(strncmp(err, "E240: ", 6) == 0);
    /* A blind re-grade: no RMA, no responsibility, names what it supersedes;
     * a serial that needs CSV quoting. */
    make_insp(&in, 2);
    in.rma[0] = in.order_id[0] = in.gtin[0] = 0;
    snprintf(in.serial, sizeof in.serial, "SN,\"7\"");
    in.responsibility = RESP_NONE;
    in.grade = GRADE_X;
    in.aspect_grade[ASPECT_FUNCTIONAL] = GRADE_X;
    in.ndefects = 0;
    in.nanswers = 1;
    in.blind = in.mismatch = true;
    snprintf(in.supersedes, sizeof in.supersedes, "EX-01-000001");
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK_INT(store_export(st, f, EXPORT_NDJSON, err, sizeof err), 0);
    fclose(f);
    char *line2 = strchr(buf, '\n');
    CHECK(line2 != NULL);
    if (!line2)
        return;
    *line2++ = 0;
    CHECK(strchr(line2, '\n') && strchr(line2, '\n')[1] == 0); /* exactly two lines */

    cJSON *a = cJSON_Parse(buf), *b = cJSON_Parse(line2);
    CHECK(cJSON_IsObject(a) && cJSON_IsObject(b));
    CHECK_INT(cJSON_GetArraySize(a), NKEYS);
    CHECK_INT(cJSON_GetArraySize(b), NKEYS);
    for (size_t k = 0; k < NKEYS; k++)
        if (!CHECK(cJSON_HasObjectItem(a, export_keys[k]) && cJSON_HasObjectItem(b, export_keys[k])))
            fprintf(stderr, "  missing %s\n", export_keys[k]);

    CHECK_STR(jstr(a, "station"), "EX-01");
    CHECK_STR(jstr(a, "epoch"), store_epoch(st));
    CHECK(cJSON_GetObjectItem(a, "seq")->valuedouble == 1);
    CHECK_STR(jstr(a, "plate"), "EX-01-000001");
    CHECK_STR(jstr(a, "rma"), "RMA-1001");
    CHECK_STR(jstr(a, "order_id"), "SO-88120431");
    CHECK_STR(jstr(a, "sku"), "PH-IP15-128-BLK");
    CHECK_STR(jstr(a, "gtin"), "0195142354101");
    CHECK_STR(jstr(a, "serial"), "F2LXK9Q1N72P");
    CHECK_STR(jstr(a, "category"), "phone");
    CHECK_STR(jstr(a, "operator"), "G1001");
    CHECK_STR(jstr(a, "started_at"), "2026-11-23T10:41:07Z");
    CHECK_STR(jstr(a, "finished_at"), "2026-11-23T10:42:42Z");
    CHECK_STR(jstr(a, "grade"), "B");
    CHECK_STR(jstr(a, "cosmetic"), "B");
    CHECK_STR(jstr(a, "functional"), "A");
    CHECK(jnull(a, "completeness"));
    CHECK_STR(jstr(a, "disposition"), "open_box");
    CHECK_STR(jstr(a, "responsibility"), "customer");
    cJSON *defects = cJSON_GetObjectItem(a, "defects");
    CHECK(cJSON_IsArray(defects) && cJSON_GetArraySize(defects) == 2);
    CHECK_STR(cJSON_GetArrayItem(defects, 0)->valuestring, "SCR-L");
    cJSON *answers = cJSON_GetObjectItem(a, "answers");
    CHECK(cJSON_IsObject(answers) && cJSON_GetArraySize(answers) == 3);
    CHECK_STR(jstr(answers, "body"), "wear");
    CHECK_STR(jstr(a, "rules_version"), "2026-11");
    CHECK(jbool(a, "late", true));
    CHECK(jbool(a, "mismatch", false));
    CHECK(jbool(a, "blind", false));
    CHECK(jnull(a, "supersedes"));
    /* Not set by the caller: what the flags say, recorded as such; a unit
     * not set is 1 of 1; nothing scanned is "", not null. */
    CHECK_STR(jstr(a, "item_check"), "skipped");
    CHECK_STR(jstr(a, "scanned_item"), "");
    CHECK(jbool(a, "wrong_item", false) && jbool(a, "extra_unit", false));
    CHECK(cJSON_GetObjectItem(a, "unit")->valuedouble == 1);
    CHECK(cJSON_GetObjectItem(a, "units")->valuedouble == 1);
    cJSON *skipped = cJSON_GetObjectItem(a, "skipped");
    CHECK(cJSON_IsArray(skipped) && cJSON_GetArraySize(skipped) == 1);
    CHECK_STR(cJSON_GetArrayItem(skipped, 0)->valuestring, "camera");
    CHECK_STR(jstr(a, "reason"), "defective");
    CHECK_STR(jstr(a, "reason_check"), "not_found");
    CHECK_STR(jstr(a, "responsibility_suggested"), "logistics");
    CHECK_STR(jstr(a, "responsibility_reason"), "customer_statement");
    CHECK_STR(jstr(a, "return_type"), "non_quality");
    CHECK_STR(jstr(a, "resolution"), "reject");

    CHECK(cJSON_GetObjectItem(b, "seq")->valuedouble == 2);
    CHECK(jnull(b, "rma") && jnull(b, "order_id") && jnull(b, "gtin"));
    CHECK(jnull(b, "responsibility"));
    CHECK_STR(jstr(b, "grade"), "X");
    CHECK_STR(jstr(b, "serial"), "SN,\"7\"");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(b, "defects")), 0);
    CHECK(jbool(b, "late", false) && jbool(b, "mismatch", true) && jbool(b, "blind", true));
    CHECK_STR(jstr(b, "supersedes"), "EX-01-000001");
    CHECK_STR(jstr(b, "item_check"), "blind");
    /* Nothing decided: the texts are "", the reason check "none". */
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(b, "skipped")), 0);
    CHECK_STR(jstr(b, "reason_check"), "none");
    CHECK(jnull(b, "responsibility_suggested"));
    CHECK_STR(jstr(b, "responsibility_reason"), "");
    CHECK_STR(jstr(b, "return_type"), "");
    CHECK_STR(jstr(b, "resolution"), "");
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(buf);

    /* inspection_to_json is the same record. */
    char *json = inspection_to_json(&in);
    char *stored = sql_text(st, "SELECT record FROM inspections WHERE seq = 2");
    CHECK_STR(json, stored);
    free(json);
    free(stored);

    /* CSV: the same fields as a header row, RFC 4180 quoting, CRLF. */
    buf = NULL;
    f = open_memstream(&buf, &len);
    CHECK_INT(store_export(st, f, EXPORT_CSV, err, sizeof err), 0);
    fclose(f);
    CHECK(strncmp(buf, "station,epoch,seq,plate,rma,order_id,sku,gtin,serial,category,operator,"
                       "started_at,finished_at,grade,cosmetic,functional,completeness,"
                       "disposition,responsibility,defects,answers,rules_version,late,mismatch,"
                       "supersedes,blind,step_ms,calibration_due,calibrates,item_check,"
                       "scanned_item,wrong_item,unit,units,extra_unit,skipped,reason,"
                       "reason_check,responsibility_suggested,responsibility_reason,"
                       "return_type,resolution,photos,photos_waived\r\n",
                  strlen("station,epoch,seq,plate,rma,order_id,sku,gtin,serial,category,"
                         "operator,started_at,finished_at,grade,cosmetic,functional,"
                         "completeness,disposition,responsibility,defects,answers,"
                         "rules_version,late,mismatch,supersedes,blind,step_ms,"
                         "calibration_due,calibrates,item_check,scanned_item,wrong_item,unit,"
                         "units,extra_unit,skipped,reason,reason_check,"
                         "responsibility_suggested,responsibility_reason,return_type,"
                         "resolution,photos,photos_waived\r\n")) == 0);
    char want1[400];
    snprintf(want1, sizeof want1,
             "\r\nEX-01,%s,1,EX-01-000001,RMA-1001,SO-88120431,PH-IP15-128-BLK,0195142354101,"
             "F2LXK9Q1N72P,phone,G1001,2026-11-23T10:41:07Z,2026-11-23T10:42:42Z,B,B,A,,"
             "open_box,customer,SCR-L;WEAR,screen=light;body=wear;power=yes,2026-11,true,false,,"
             "false,,false,,skipped,,false,1,1,false,camera,defective,not_found,logistics,"
             "customer_statement,non_quality,reject,,\r\n",
             store_epoch(st));
    CHECK(strstr(buf, want1) != NULL);
    CHECK(strstr(buf, ",,,PH-IP15-128-BLK,,\"SN,\"\"7\"\"\",phone,") != NULL);
    CHECK(strstr(buf, ",X,B,X,,open_box,,,screen=light,2026-11,false,true,EX-01-000001,true,,"
                      "false,,blind,,false,1,1,false,,defective,none,,,,,,\r\n"));
    int lines = 0;
    for (char *p = buf; *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, 3);
    free(buf);
    store_close(st);
}

static void test_manifest_operators_audit(void)
{
    char err[512] = "";
    struct store *st;
    CHECK_INT(store_open(db_path, STATION, &st, err, sizeof err), 0);
    struct manifest_row rows[2] = {
        {.rma = "RMA-1", .sku = "PH-1", .description = "手机", .delivered_at = "2026-11-20"},
        {.rma = "RMA-2", .sku = "AP-2", .reason = "changed_mind"},
    };
    CHECK_INT(store_put_manifest(st, rows, 2, MANIFEST_ALL_COLUMNS, NULL, NULL, err, sizeof err), 2);
    struct manifest_row got;
    CHECK_INT(store_find_manifest(st, "RMA-1", &got), 0);
    CHECK_STR(got.description, "手机");
    CHECK_STR(got.delivered_at, "2026-11-20");
    CHECK_INT(store_find_manifest(st, "RMA-3", &got), 1);
    /* Insert or replace. */
    snprintf(rows[0].sku, sizeof rows[0].sku, "PH-9");
    CHECK_INT(store_put_manifest(st, rows, 1, MANIFEST_ALL_COLUMNS, NULL, NULL, err, sizeof err), 1);
    CHECK_INT(store_find_manifest(st, "RMA-1", &got), 0);
    CHECK_STR(got.sku, "PH-9");
    /* All or nothing: the bad second row keeps the first out. */
    struct manifest_row bad[2] = {{.rma = "RMA-5", .sku = "X"}, {.rma = "RMA-6"}};
    CHECK_INT(store_put_manifest(st, bad, 2, MANIFEST_ALL_COLUMNS, NULL, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E409:", 5) == 0);
    CHECK_INT(store_find_manifest(st, "RMA-5", &got), 1);

    struct operator_info op = {.badge = "G1", .name = "王芳", .role = ROLE_SUPERVISOR}, op2;
    CHECK_INT(store_put_operator(st, &op, "$argon2id$fake", err, sizeof err), 0);
    char hash[128];
    int failures = -1;
    int64_t until = -1;
    CHECK_INT(store_get_operator(st, "G1", &op2, hash, sizeof hash, &failures, &until), 0);
    CHECK_STR(op2.name, "王芳");
    CHECK_INT(op2.role, ROLE_SUPERVISOR);
    CHECK_STR(hash, "$argon2id$fake");
    CHECK_INT(failures, 0);
    CHECK_INT(until, 0);
    CHECK_INT(store_set_login_failures(st, "G1", 3, 1234), 0);
    CHECK_INT(store_get_operator(st, "G1", NULL, NULL, 0, &failures, &until), 0);
    CHECK_INT(failures, 3);
    CHECK_INT(until, 1234);
    CHECK_INT(store_get_operator(st, "nobody", &op2, NULL, 0, NULL, NULL), 1);

    CHECK_INT(store_audit(st, 42, "G1", "login", NULL, NULL), 0);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM audit WHERE event = 'login' AND at = 42"), 1);
    /* Who, what, to what, apart. */
    CHECK_INT(store_audit(st, 43, "G1", "reprint", "SH01-S03-000007", "again"), 0);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM audit WHERE at = 43 AND badge = 'G1' AND"
                          " event = 'reprint' AND subject = 'SH01-S03-000007' AND"
                          " detail = 'again'"),
              1);
    /* No actor (the station itself) and no subject are NULL. */
    CHECK_INT(store_audit(st, 44, NULL, "manifest_import", "", "m.csv: 2 rows"), 0);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM audit WHERE at = 44 AND badge IS NULL AND"
                          " subject IS NULL"),
              1);
    store_close(st);
}

/* Audit rows written before the subject column held a plate as the badge:
 * the migration moves it to the subject and leaves the actor unknown. Then
 * the chain begins over them (schema version 7): each row hashed as it is,
 * a chain_start row, and a save row for the inspection made before. */
static void test_audit_migration(void)
{
    char err[512] = "", path[700];
    snprintf(path, sizeof path, "%s/audit-old.db", harness_tmpdir());
    struct store *st;
    /* A station of version 4, before the subject column. */
    make_released(path, 4);
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "INSERT INTO audit (at, badge, event) VALUES"
                           " (1, 'SH01-S03-000001', 'reprint'), (2, 'SH01-S03-000002', 'regrade'),"
                           " (3, 'SH01-S03-000003', 'calibration_start'), (4, 'G1', 'logout')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(store_open(path, STATION, &st, err, sizeof err), 0);
    CHECK_INT(sql_int(st, "PRAGMA user_version"), NUM_RELEASED);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM audit WHERE badge IS NULL AND subject ="
                          " 'SH01-S03-00000' || at"),
              3);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM audit WHERE badge = 'G1' AND subject IS NULL"),
              1);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM audit WHERE hash IS NULL"), 0);
    CHECK_INT(sql_int(st, "SELECT id FROM audit WHERE event = 'chain_start'"), 5);
    CHECK_INT(sql_int(st, "SELECT id FROM audit WHERE event = 'save' AND"
                          " subject = 'SH01-S03-000001'"),
              6);
    struct audit_verdict v;
    CHECK_INT(audit_verify(st, &v, err, sizeof err), 0);
    CHECK(v.intact);
    CHECK_INT(v.rows, 6);
    CHECK_INT(v.inspections, 1);
    store_close(st);
}

/* store_put_manifest's reports of rows not applied. */
struct kept {
    int n, index[4];
    bool differs[4];
    char plate[48];
};

static void on_kept(void *arg, int index, const char *plate, bool differs)
{
    struct kept *k = arg;
    if (k->n < 4) {
        k->index[k->n] = index;
        k->differs[k->n] = differs;
    }
    k->n++;
    snprintf(k->plate, sizeof k->plate, "%s", plate);
}

/* The units of an RMA as the store counts them: outcomes by unit, the next
 * unit (another grader's draft holds its unit), the latest outcome no
 * re-grade replaced; calibration records count for nothing. */
static void test_units(void)
{
    char err[512] = "", path[700];
    snprintf(path, sizeof path, "%s/units.db", harness_tmpdir());
    struct store *st;
    CHECK_INT(store_open(path, "UN-01", &st, err, sizeof err), 0);
    struct rma_units u;
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1001", &u), 0);
    CHECK_INT(u.graded, 0);
    CHECK_INT(u.next, 1);
    CHECK(!u.has_latest);

    struct inspection in;
    make_insp(&in, 0);
    snprintf(in.rma, sizeof in.rma, "RMA-U");
    in.unit = 1;
    in.units = 3;
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0); /* UN-01-000001 */
    /* Grader G1002 stops in the middle of unit 2. */
    struct draft d;
    memset(&d, 0, sizeof d);
    d.insp = in;
    d.insp.unit = 2;
    d.saved_at = 7;
    CHECK_INT(store_put_draft(st, "G1002", &d, err, sizeof err), 0);
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1001", &u), 0);
    CHECK_INT(u.graded, 1);
    CHECK_INT(u.next, 3); /* unit 2 is G1002's */
    CHECK(u.has_latest && !strcmp(u.latest.plate, "UN-01-000001"));
    CHECK_INT(u.latest.unit, 1);
    CHECK_INT(u.latest.units, 3);
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1002", &u), 0);
    CHECK_INT(u.next, 2); /* their own */
    in.unit = 3;
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0); /* UN-01-000002 */
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1001", &u), 0);
    CHECK_INT(u.next, 2); /* only the draft's unit is left: shared */
    /* G1002 saves unit 2: its draft goes in the same commit. */
    d.insp.unit = 2;
    snprintf(d.insp.operator_badge, sizeof d.insp.operator_badge, "G1002");
    CHECK_INT(store_commit_inspection(st, &d.insp, err, sizeof err), 0); /* UN-01-000003 */
    CHECK_INT(sql_int(st, "SELECT count(*) FROM drafts"), 0);
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1001", &u), 0);
    CHECK_INT(u.graded, 3);
    CHECK_INT(u.next, 0);
    CHECK_INT(u.highest, 3);
    CHECK_STR(u.latest.plate, "UN-01-000003");
    /* A re-grade of unit 1 is now the latest; a calibration record is not. */
    make_insp(&in, 0);
    snprintf(in.rma, sizeof in.rma, "RMA-U");
    in.unit = 1;
    in.units = 3;
    snprintf(in.supersedes, sizeof in.supersedes, "UN-01-000001");
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0); /* UN-01-000004 */
    snprintf(in.supersedes, sizeof in.supersedes, "%s", "");
    snprintf(in.calibrates, sizeof in.calibrates, "UN-01-000002");
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0); /* UN-01-000005 */
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1001", &u), 0);
    CHECK_INT(u.graded, 3);
    CHECK_STR(u.latest.plate, "UN-01-000004");
    /* One more than expected. */
    make_insp(&in, 0);
    snprintf(in.rma, sizeof in.rma, "RMA-U");
    in.unit = 4;
    in.units = 3;
    in.extra_unit = true;
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0); /* UN-01-000006 */
    CHECK_INT(store_rma_units(st, "RMA-U", 3, "G1001", &u), 0);
    CHECK_INT(u.highest, 4);
    CHECK_STR(u.latest.plate, "UN-01-000006");
    CHECK(u.latest.extra_unit);
    store_close(st);
}

/* A grader's unfinished inspection: kept (one per grader, the last one
 * wins), read back whole, forgotten; never an outcome. */
static void test_drafts(void)
{
    char err[512] = "", path[700];
    snprintf(path, sizeof path, "%s/drafts.db", harness_tmpdir());
    struct store *st;
    CHECK_INT(store_open(path, "DR-01", &st, err, sizeof err), 0);
    struct draft d, got;
    memset(&d, 0, sizeof d);
    make_insp(&d.insp, 3);
    d.insp.nanswers = 2;
    d.insp.step_ms[0] = 4200;
    d.insp.item_check = ITEM_CHECK_MISMATCHED;
    d.insp.wrong_item = true;
    snprintf(d.insp.scanned_item, sizeof d.insp.scanned_item, "]C1 \"q\"\x1d" "21X");
    d.insp.unit = 2;
    d.insp.units = 3;
    d.has_expected = true;
    snprintf(d.expected.rma, sizeof d.expected.rma, "RMA-1003");
    snprintf(d.expected.description, sizeof d.expected.description, "手机");
    d.expected.quantity = 3;
    d.item_scanned = true;
    d.saved_at = 123456789;
    CHECK_INT(store_find_draft(st, "G1001", &got), 1);
    CHECK_INT(store_put_draft(st, "G1001", &d, err, sizeof err), 0);
    d.insp.nanswers = 3; /* the next answer replaces it */
    CHECK_INT(store_put_draft(st, "G1001", &d, err, sizeof err), 0);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM drafts"), 1);
    CHECK_INT(store_find_draft(st, "G1001", &got), 0);
    CHECK_STR(got.insp.rma, "RMA-1003");
    CHECK_INT(got.insp.nanswers, 3);
    CHECK_STR(got.insp.answers[1].answer, "wear");
    CHECK_INT(got.insp.step_ms[0], 4200);
    CHECK_INT(got.insp.item_check, ITEM_CHECK_MISMATCHED);
    CHECK(got.insp.wrong_item && got.item_scanned && got.has_expected);
    CHECK_STR(got.insp.scanned_item, d.insp.scanned_item);
    CHECK_STR(got.insp.description, "Smartphone 6.1in 手机");
    CHECK_STR(got.expected.description, "手机");
    CHECK_INT(got.expected.quantity, 3);
    CHECK_INT(got.insp.unit, 2);
    CHECK_INT(got.saved_at, 123456789);
    CHECK_INT(sql_int(st, "SELECT unit FROM drafts WHERE badge = 'G1001'"), 2);
    /* Not an outcome: nothing to export, nothing in the outbox. */
    CHECK_INT(store_count_inspections(st), 0);
    CHECK_INT(sql_int(st, "SELECT count(*) FROM outbox"), 0);
    CHECK_INT(store_drop_draft(st, "G1001", err, sizeof err), 0);
    CHECK_INT(store_find_draft(st, "G1001", &got), 1);
    /* A text that is not a draft reads as an error, not as an empty one. */
    CHECK_INT(sqlite3_exec(store_db(st), "INSERT INTO drafts VALUES ('G9', 'R', 1, 1, '{}')",
                           NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(store_find_draft(st, "G9", &got), -1);
    store_close(st);
}

/* A manifest row for an RMA that has an outcome is never applied; a row
 * from a file without some columns keeps what the station holds of them. */
static void test_manifest_kept(void)
{
    char err[512] = "", path[700];
    snprintf(path, sizeof path, "%s/kept.db", harness_tmpdir());
    struct store *st;
    CHECK_INT(store_open(path, "KP-01", &st, err, sizeof err), 0);
    struct manifest_row rows[3] = {
        {.rma = "RMA-1", .sku = "PH-1", .description = "Phone", .reason = "defective",
         .quantity = 2},
        {.rma = "RMA-2", .sku = "AP-2", .description = "Jacket"},
        {.rma = "RMA-3", .sku = "KT-3", .description = "Kettle"},
    };
    CHECK_INT(store_put_manifest(st, rows, 3, MANIFEST_ALL_COLUMNS, NULL, NULL, err, sizeof err),
              3);
    struct manifest_row got;
    CHECK_INT(store_find_manifest(st, "RMA-2", &got), 0);
    CHECK_INT(got.quantity, 1); /* not given: 1 */
    struct inspection in;
    make_insp(&in, 0);
    snprintf(in.rma, sizeof in.rma, "RMA-1");
    CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);

    struct kept k = {0};
    struct manifest_row again[3] = {
        {.rma = "RMA-1", .sku = "PH-9", .quantity = 5},           /* graded: kept */
        {.rma = "RMA-2", .sku = "AP-2", .reason = "changed_mind"}, /* applied */
        {.rma = "RMA-4", .sku = "SA-4"},                           /* new */
    };
    /* A file of rma, sku, reason and quantity: no description column. */
    unsigned cols = (1u << MF_RMA) | (1u << MF_SKU) | (1u << MF_REASON) | (1u << MF_QUANTITY);
    CHECK_INT(store_put_manifest(st, again, 3, cols, on_kept, &k, err, sizeof err), 2);
    CHECK_INT(k.n, 1);
    CHECK_INT(k.index[0], 0);
    CHECK(k.differs[0]);
    CHECK_STR(k.plate, "KP-01-000001");
    CHECK_INT(store_find_manifest(st, "RMA-1", &got), 0);
    CHECK_STR(got.sku, "PH-1");
    CHECK_INT(got.quantity, 2);
    CHECK_INT(store_find_manifest(st, "RMA-2", &got), 0);
    CHECK_STR(got.reason, "changed_mind");
    CHECK_STR(got.description, "Jacket"); /* the file has no description: kept */
    CHECK_INT(got.quantity, 1);
    CHECK_INT(store_find_manifest(st, "RMA-4", &got), 0);
    CHECK_INT(got.quantity, 1);
    /* The graded RMA's own row again: kept, and it would change nothing. */
    k.n = 0;
    CHECK_INT(store_put_manifest(st, rows, 1, MANIFEST_ALL_COLUMNS, on_kept, &k, err, sizeof err),
              0);
    CHECK_INT(k.n, 1);
    CHECK(!k.differs[0]);
    store_close(st);
}

static void test_commit_speed(void)
{
    char err[512] = "", path[700];
    snprintf(path, sizeof path, "%s/speed.db", harness_tmpdir());
    struct store *st;
    CHECK_INT(store_open(path, "SP-01", &st, err, sizeof err), 0);
    enum { N = 200 };
    static int64_t ns[N];
    struct inspection in;
    for (int i = 0; i < N; i++) {
        make_insp(&in, i);
        int64_t t0 = clock_mono_ns();
        if (store_commit_inspection(st, &in, err, sizeof err) < 0)
            break;
        ns[i] = clock_mono_ns() - t0;
    }
    for (int i = 1; i < N; i++) /* insertion sort: small */
        for (int j = i; j > 0 && ns[j - 1] > ns[j]; j--) {
            int64_t t = ns[j];
            ns[j] = ns[j - 1];
            ns[j - 1] = t;
        }
    printf("commit p50 %.2f ms, p99 %.2f ms (%d commits)\n", ns[N / 2] / 1e6,
           ns[N * 99 / 100] / 1e6, N);
    CHECK_INT(store_count_inspections(st), N);
    store_close(st);
}

/* ---- kill -9 ------------------------------------------------------------- */

static _Noreturn void committer(const char *path, int wfd)
{
    char err[512];
    struct store *st;
    if (store_open(path, "KL-01", &st, err, sizeof err) < 0)
        _exit(2);
    for (int i = 0;; i++) {
        struct inspection in;
        make_insp(&in, i);
        if (store_commit_inspection(st, &in, err, sizeof err) == 0) {
            char line[64];
            int n = snprintf(line, sizeof line, "%s\n", in.plate);
            /* One write of < PIPE_BUF bytes: whole or not at all. */
            if (write(wfd, line, (size_t)n) != n)
                _exit(3);
        }
    }
}

static void test_kill9(void)
{
    char path[700], err[512];
    snprintf(path, sizeof path, "%s/kill.db", harness_tmpdir());
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    enum { ROUNDS = 40 };
    long reported_total = 0, last_seq = 0, missing = 0, order_errors = 0;
    int64_t t0 = clock_mono_ms();
    for (int round = 0; round < ROUNDS; round++) {
        int fds[2];
        if (pipe(fds) < 0) {
            CHECK(!"pipe");
            return;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            committer(path, fds[1]);
        }
        close(fds[1]);
        /* Mostly mid-commit; sometimes during open and migration. */
        useconds_t delay = (useconds_t)(round % 5 == 0 ? rand() % 3000 : rand() % 60000);
        usleep(delay);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);

        /* Read what the child said it saved. */
        char *text = NULL;
        size_t cap = 0, len = 0;
        for (;;) {
            if (cap - len < 4096) {
                cap = cap ? cap * 2 : 65536;
                text = realloc(text, cap);
            }
            ssize_t r = read(fds[0], text + len, cap - len - 1);
            if (r <= 0)
                break;
            len += (size_t)r;
        }
        close(fds[0]);
        text[len] = 0;

        struct store *st;
        if (!CHECK_INT(store_open(path, "KL-01", &st, err, sizeof err), 0)) {
            fprintf(stderr, "  round %d: %s\n", round, err);
            free(text);
            break;
        }
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
            struct inspection got;
            reported_total++;
            if (store_find_inspection(st, line, &got) != 0)
                missing++;
            else if (got.seq <= last_seq)
                order_errors++;
            else
                last_seq = got.seq;
        }
        free(text);
        char *ok = sql_text(st, "PRAGMA integrity_check");
        if (!CHECK_STR(ok, "ok"))
            fprintf(stderr, "  round %d (seed %u)\n", round, seed);
        free(ok);
        int64_t gaps = sql_int(st, "SELECT coalesce(max(seq), 0) - count(*) FROM inspections");
        if (!CHECK_INT(gaps, 0))
            fprintf(stderr, "  round %d (seed %u)\n", round, seed);
        int64_t unmatched = sql_int(st, "SELECT (SELECT count(*) FROM inspections) -"
                                        " (SELECT count(*) FROM outbox)");
        CHECK_INT(unmatched, 0);
        store_close(st);
    }
    CHECK_INT(missing, 0);
    CHECK_INT(order_errors, 0);
    CHECK(reported_total > 0);
    printf("kill -9: %d rounds, %ld acknowledged commits, all present (%lld ms, seed %u)\n",
           ROUNDS, reported_total, (long long)(clock_mono_ms() - t0), seed);
}

int main(void)
{
    snprintf(db_path, sizeof db_path, "%s/triage.db", harness_tmpdir());
    test_create();
    test_released_schemas();
    test_bad_open();
    test_commit_and_find();
    test_append_only();
    test_reopen();
    test_two_connections();
    test_worker_connection();
    test_bad_input();
    test_full_disk();
    test_outbox_fault();
    test_outbox();
    test_export();
    test_manifest_operators_audit();
    test_audit_migration();
    test_units();
    test_drafts();
    test_manifest_kept();
    test_commit_speed();
    test_kill9();
    return harness_done();
}
