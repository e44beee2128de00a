/*
 * test_audit.c — the audit chain (app/store/audit.h) against someone who
 * can write the database file: each tamper is made on a copy of one
 * station's database, outside the station (triggers dropped and made again
 * as they were), and `triage audit verify` (the real binary) must exit 1
 * naming the first broken row, or exit 0 on the untouched copy:
 *   1. a record edited (grade B → A in the inspection's row and record); the
 *      item check and unit columns alone edited,
 *   2. only the outbox payload edited (what head office is sent),
 *   3. an audit row edited (a login's actor),
 *   4. an audit row deleted from the middle,
 *   5. the last inspection deleted with its outbox row,
 *   6. an inspection slipped in with its outbox row,
 *   7. a trigger dropped and made again weaker,
 *   8. the triggers dropped, rows edited and the triggers made again exactly.
 * And the store's side: rows appended from two connections chain in order,
 * the triggers refuse UPDATE and DELETE, and a save's row names the actor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "db_file.h"
#include "harness.h"
#include "log.h"
#include "operators.h"
#include "store.h"
#include "store_internal.h"

static char base_dir[600], conf[700];
static int copies;

/* A station: operators, logins and 12 inspections. */
static void make_base(void)
{
    snprintf(base_dir, sizeof base_dir, "%s/base", harness_tmpdir());
    char db[700], err[300];
    snprintf(db, sizeof db, "%s/triage.db", base_dir);
    CHECK(mkdir(base_dir, 0755) == 0);
    struct store *st;
    CHECK_INT(store_open(db, "SH01-S01", &st, err, sizeof err), 0);
    struct operator_info op = {.role = ROLE_GRADER};
    snprintf(op.badge, sizeof op.badge, "1001");
    snprintf(op.name, sizeof op.name, "Ana");
    CHECK_INT(operators_add(st, &op, "123456", err, sizeof err), 0);
    for (int i = 0; i < 12; i++) {
        if (i % 4 == 0)
            CHECK_INT(operators_login(st, "1001", "123456", 1795428000000 + i, NULL, NULL, NULL),
                      LOGIN_OK);
        struct inspection in;
        memset(&in, 0, sizeof in);
        snprintf(in.rma, sizeof in.rma, "RMA-%d", i);
        snprintf(in.sku, sizeof in.sku, "PH-1");
        snprintf(in.category, sizeof in.category, "phone");
        snprintf(in.operator_badge, sizeof in.operator_badge, "1001");
        snprintf(in.disposition, sizeof in.disposition, "open_box");
        in.started_at = 1795428000000 + i * 60000;
        in.finished_at = in.started_at + 30000;
        in.grade = GRADE_B;
        in.nanswers = 1;
        snprintf(in.answers[0].check, sizeof in.answers[0].check, "screen");
        snprintf(in.answers[0].answer, sizeof in.answers[0].answer, "light");
        CHECK_INT(store_commit_inspection(st, &in, err, sizeof err), 0);
    }
    CHECK_INT(store_audit(st, 1795428999000, "1001", "logout", NULL, NULL), 0);
    store_close(st);
    CHECK_INT(db_file_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
    snprintf(conf, sizeof conf, "%s/none.conf", harness_tmpdir());
    harness_write_file(conf, "");
}

/* A fresh copy of the base station; its database path into db. */
static void copy_base(char *dir, size_t dirlen, char *db, size_t dblen)
{
    snprintf(dir, dirlen, "%s/copy%d", harness_tmpdir(), ++copies);
    char c[2000];
    snprintf(c, sizeof c, "cp -r '%s' '%s'", base_dir, dir);
    CHECK_INT(system(c), 0);
    snprintf(db, dblen, "%s/triage.db", dir);
}

/* `triage audit verify` on dir: its exit status, and stderr into *err. */
static int verify(const char *dir, char **out, char **err)
{
    char c[2000];
    snprintf(c, sizeof c, "'%s' --config '%s' --data '%s' audit verify", harness_triage(), conf,
             dir);
    return harness_sh(c, NULL, out, err);
}

/* The tamper `sql` on a copy; verify must exit 1 with `id` and `row` in its
 * message ("audit row N" for a row). */
static void tamper(const char *what, const char *sql, const char *id, const char *row)
{
    char dir[700], db[800];
    copy_base(dir, sizeof dir, db, sizeof db);
    int rc = db_file_exec(db, sql);
    if (!CHECK_INT(rc, SQLITE_OK))
        fprintf(stderr, "  %s: the tamper itself failed\n", what);
    char *out = NULL, *err = NULL;
    rc = verify(dir, &out, &err);
    bool named = err && strstr(err, id) && (!row || strstr(err, row));
    if (!CHECK_INT(rc, 1) || !CHECK(named))
        fprintf(stderr, "  %s: exit %d: %s%s\n", what, rc, out ? out : "", err ? err : "");
    else
        printf("# %s: %s", what, err);
    free(out);
    free(err);
}

/* The audit row of the save of seq. */
static int64_t save_row(const char *db, int seq)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT id FROM audit WHERE event = 'save' AND subject = 'SH01-S01-%06d'", seq);
    return db_file_int(db, sql);
}

static void test_untouched(void)
{
    char dir[700], db[800], *out = NULL, *err = NULL;
    copy_base(dir, sizeof dir, db, sizeof db);
    CHECK_INT(verify(dir, &out, &err), 0);
    CHECK(out && strstr(out, "audit chain intact: ") && strstr(out, "12 inspections"));
    free(out);
    free(err);
}

static void test_tampers(void)
{
    char db[800], row[64];
    snprintf(db, sizeof db, "%s/triage.db", base_dir);

    /* 1: grade B → A, in the row and its record, the trigger out of the way */
    snprintf(row, sizeof row, "audit row %lld:", (long long)save_row(db, 5));
    tamper("a record edited",
           "DROP TRIGGER inspections_no_update;"
           "UPDATE inspections SET grade = 'A', record = replace(record, '\"grade\":\"B\"',"
           " '\"grade\":\"A\"') WHERE seq = 5;"
           "CREATE TRIGGER inspections_no_update BEFORE UPDATE ON inspections"
           "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;",
           "E276", row);

    /* 1b: only the item check's columns, the record left as it was: what
     * the station's statistics read (a wrong item made a verified match) */
    snprintf(row, sizeof row, "audit row %lld:", (long long)save_row(db, 6));
    tamper("an item check edited",
           "DROP TRIGGER inspections_no_update;"
           "UPDATE inspections SET item_check = 'matched', wrong_item = 0, unit = 2 WHERE seq = 6;"
           "CREATE TRIGGER inspections_no_update BEFORE UPDATE ON inspections"
           "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;",
           "E276", row);

    /* 1c: only the grading policy's columns: a rejection made a refund */
    tamper("a resolution edited",
           "DROP TRIGGER inspections_no_update;"
           "UPDATE inspections SET resolution = 'refund', return_type = 'quality',"
           " reason_check = 'confirmed' WHERE seq = 6;"
           "CREATE TRIGGER inspections_no_update BEFORE UPDATE ON inspections"
           "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;",
           "E276", row);

    /* 2: only what head office is sent */
    snprintf(row, sizeof row, "audit row %lld:", (long long)save_row(db, 7));
    tamper("an outbox payload edited",
           "DROP TRIGGER outbox_no_update;"
           "UPDATE outbox SET payload = replace(payload, '\"grade\":\"B\"', '\"grade\":\"A\"')"
           " WHERE seq = 7;"
           "CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox"
           "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;",
           "E278", row);

    /* 3: an audit row: who logged in */
    int64_t login = db_file_int(db, "SELECT min(id) FROM audit WHERE event = 'login'");
    char sql[1000];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_no_update;"
             "UPDATE audit SET badge = '2001' WHERE id = %lld;"
             "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
             "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
             (long long)login);
    snprintf(row, sizeof row, "audit row %lld ", (long long)login);
    tamper("an audit row edited", sql, "E272", row);

    /* 4: an audit row deleted from the middle: the next one is broken */
    int64_t gone = save_row(db, 3);
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_no_delete;"
             "DELETE FROM audit WHERE id = %lld;"
             "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
             "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
             (long long)gone);
    snprintf(row, sizeof row, "audit row %lld ", (long long)gone + 1);
    tamper("an audit row deleted", sql, "E272", row);

    /* 5: the last inspection deleted, with its outbox row and label job */
    snprintf(row, sizeof row, "audit row %lld:", (long long)save_row(db, 12));
    tamper("an inspection deleted",
           "DROP TRIGGER inspections_no_delete; DROP TRIGGER outbox_no_delete;"
           "DELETE FROM print_jobs WHERE plate = 'SH01-S01-000012';"
           "DELETE FROM outbox WHERE seq = 12; DELETE FROM inspections WHERE seq = 12;"
           "CREATE TRIGGER inspections_no_delete BEFORE DELETE ON inspections"
           "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
           "CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox"
           "  WHEN OLD.seq > (SELECT outbox_upto FROM retention WHERE id = 1)"
           "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;",
           "E275", row);

    /* 6: an inspection slipped in, as the station would have written it */
    tamper("an inspection slipped in",
           "INSERT INTO inspections (seq, station, epoch, plate, operator, started_at,"
           " finished_at, grade, record) SELECT 13, station, epoch, 'SH01-S01-000013', '1001', 1,"
           " 2, 'A', '{}' FROM meta;"
           "INSERT INTO outbox (seq, payload, created_at) VALUES (13, '{}', 2);",
           "E279", "seq 13");

    /* 7: a trigger made again, weaker */
    tamper("a trigger made again, weaker",
           "DROP TRIGGER audit_no_delete;"
           "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0"
           "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
           "E263", "audit_no_delete");
    tamper("a trigger dropped", "DROP TRIGGER outbox_no_update;", "E263", "outbox_no_update");

    /* 8: every trigger dropped, a grade and its audit trail rewritten, the
     * triggers made again exactly as they were: the first row that no
     * longer follows is named */
    snprintf(row, sizeof row, "audit row %lld:", (long long)save_row(db, 2));
    tamper("triggers dropped and made again around an edit",
           "DROP TRIGGER inspections_no_update; DROP TRIGGER outbox_no_update;"
           "DROP TRIGGER audit_no_update;"
           "UPDATE inspections SET grade = 'A', record = replace(record, '\"grade\":\"B\"',"
           " '\"grade\":\"A\"') WHERE seq = 2;"
           "UPDATE outbox SET payload = (SELECT record FROM inspections WHERE seq = 2)"
           " WHERE seq = 2;"
           "CREATE TRIGGER inspections_no_update BEFORE UPDATE ON inspections"
           "  BEGIN SELECT RAISE(ABORT, 'inspections are append-only'); END;"
           "CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox"
           "  BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;"
           "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
           "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
           "E276", row);
}

/* The store's side of it. */
static void test_store_side(void)
{
    char dir[700], db[800], err[300];
    copy_base(dir, sizeof dir, db, sizeof db);
    /* The triggers refuse; the row stays. */
    CHECK_INT(db_file_exec(db, "UPDATE audit SET badge = 'x' WHERE id = 1"), SQLITE_CONSTRAINT);
    CHECK_INT(db_file_exec(db, "DELETE FROM audit WHERE id = 1"), SQLITE_CONSTRAINT);
    /* Rows from two connections (the main thread's and a worker's) chain
     * one after the other, whichever writes. */
    struct store *a, *b;
    CHECK_INT(store_open(db, "SH01-S01", &a, err, sizeof err), 0);
    CHECK_INT(store_open_worker(db, NULL, STORE_PIN, &b, err, sizeof err), 0);
    for (int i = 0; i < 20; i++) {
        CHECK_INT(store_audit(i % 2 ? a : b, 1795429000000 + i, "1001", "reprint",
                              "SH01-S01-000001", NULL),
                  0);
        CHECK_INT(store_audit_authorised(i % 2 ? b : a, 1795429000000 + i, "1001", "2001",
                                         "regrade", "SH01-S01-000002", "graded by 1001"),
                  0);
    }
    struct audit_verdict v;
    CHECK_INT(audit_verify(a, &v, err, sizeof err), 0);
    CHECK(v.intact);
    if (!v.intact)
        fprintf(stderr, "  %s\n", v.problem);
    CHECK_INT(v.inspections, 12);
    store_close(b);
    store_close(a);
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'regrade' AND"
                              " authorised_by = '2001' AND badge = '1001'"),
              20);
    /* Each save's row names the grader and the plate. */
    CHECK_INT(db_file_int(db, "SELECT count(*) FROM audit WHERE event = 'save' AND"
                              " badge = '1001' AND subject LIKE 'SH01-S01-%'"),
              12);
    /* The chain is this station's: another epoch's genesis does not fit. */
    CHECK_INT(db_file_exec(db, "DROP TRIGGER audit_no_update;"
                               "UPDATE meta SET epoch = 'ffffffffffffffffffffffffffffffff'"),
              SQLITE_OK);
    char *out = NULL, *e = NULL;
    CHECK_INT(verify(dir, &out, &e), 1);
    CHECK(e && strstr(e, "E272: audit row 1 "));
    free(out);
    free(e);
}

int main(void)
{
    log_set_level(LOG_ERROR);
    make_base();
    test_untouched();
    test_tampers();
    test_store_side();
    return harness_done();
}
