/*
 * test_operators.c — adding operators (never over an existing badge),
 * logging in, an unknown badge costing what a wrong PIN costs, counting
 * wrong PINs, locks that grow (5, 15, 60, 240 minutes, a day), a check that
 * cannot be recorded refused (fail closed), supervisors and admins
 * authorising, admins' management (list, disable, enable, unlock, reset
 * the PIN), how PINs are stored, the one audit row of each attempt, and the
 * thread that checks PINs for the station (pin_worker.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db_file.h"
#include "harness.h"
#include "log.h"
#include "operators.h"
#include "pin_worker.h"
#include "station.h"
#include "store.h"
#include "store_internal.h" /* store_db: a connection that cannot write */

static struct store *st;
static char db_path[600];

/* 2026-11-23T10:00:00Z */
static const int64_t T0 = 1795428000000;

static int add(const char *badge, const char *name, enum role role, const char *pin,
               char *err, size_t errlen)
{
    struct operator_info op = {.role = role};
    snprintf(op.badge, sizeof op.badge, "%s", badge);
    snprintf(op.name, sizeof op.name, "%s", name);
    return operators_add(st, &op, pin, err, errlen);
}

/* Audit rows matching `where` (SQL over the audit table). */
static int audit_rows(const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE %s", where);
    return (int)db_file_int(db_path, sql);
}

static enum login_result login(const char *badge, const char *pin, int64_t now, int *tries,
                               int64_t *until)
{
    return operators_login(st, badge, pin, now, NULL, tries, until);
}

static void test_add(void)
{
    char err[512];
    CHECK_INT(add("G1001", "Li Wei", ROLE_GRADER, "246810", err, sizeof err), 0);
    CHECK_INT(add("S2001", "王芳", ROLE_SUPERVISOR, "135790", err, sizeof err), 0);

    /* Table of refusals: badge, name, role, PIN, error id. */
    static const struct {
        const char *badge, *name;
        int role;
        const char *pin, *id;
    } bad[] = {
        {"G1", "A", ROLE_GRADER, "12345", "E154"},            /* 1: PIN too short */
        {"G1", "A", ROLE_GRADER, "1234567890123", "E154"},    /* 2: PIN too long */
        {"G1", "A", ROLE_GRADER, "12a456", "E154"},           /* 3: not digits */
        {"G1", "A", ROLE_GRADER, "", "E154"},                 /* 4: empty PIN */
        {"", "A", ROLE_GRADER, "123456", "E151"},             /* 5: empty badge */
        {"G\t1", "A", ROLE_GRADER, "123456", "E151"},         /* 6: control character */
        {" G1", "A", ROLE_GRADER, "123456", "E151"},          /* 7: leading space */
        {"G1", "", ROLE_GRADER, "123456", "E152"},            /* 8: no name */
        {"G1", "A", 7, "123456", "E153"},                     /* 9: no such role */
        {"G1", "\xC3\x28", ROLE_GRADER, "123456", "E156"},    /* 10: name not UTF-8 */
        {"G1001", "Someone Else", ROLE_ADMIN, "999999", "E157"}, /* 11: the badge exists */
        {"G1", "A", ROLE_GRADER, "1234", "E154"},             /* 12: 4 digits, as once allowed */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        CHECK_INT(add(bad[i].badge, bad[i].name, (enum role)bad[i].role, bad[i].pin, err,
                      sizeof err),
                  -1);
        if (!CHECK(strncmp(err, bad[i].id, 4) == 0))
            fprintf(stderr, "  case %zu: %s\n", i + 1, err);
    }
    char long_badge[80];
    memset(long_badge, 'B', 64);
    long_badge[64] = 0;
    struct operator_info op = {.role = ROLE_GRADER, .name = "X"};
    memcpy(op.badge, long_badge, sizeof op.badge); /* not NUL-terminated */
    CHECK_INT(operators_add(st, &op, "123456", err, sizeof err), -1);
    CHECK(strncmp(err, "E151", 4) == 0);
    /* 6 and 12 digits are both fine. */
    CHECK_INT(add("G1002", "Ana Costa", ROLE_GRADER, "000000", err, sizeof err), 0);
    CHECK_INT(add("A3001", "Sam Okafor", ROLE_ADMIN, "123456789012", err, sizeof err), 0);

    /* Stored as Argon2id, never the PIN itself. */
    char *hash = db_file_text(db_path, "SELECT pin_hash FROM operators WHERE badge = 'G1001'");
    CHECK(hash != NULL);
    CHECK(hash && strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(hash && strcmp(hash, "246810") != 0 && !strstr(hash, "246810"));
    free(hash);

    /* Adding an existing badge again changed nothing: its name, role and PIN
     * stay. */
    struct operator_info found;
    CHECK_INT(operators_find(st, "G1001", &found), 0);
    CHECK_STR(found.name, "Li Wei");
    CHECK_INT(found.role, ROLE_GRADER);
    CHECK_INT(login("G1001", "246810", T0 - 1, NULL, NULL), LOGIN_OK);
    CHECK_INT(operators_find(st, "S2001", &found), 0);
    CHECK_STR(found.name, "王芳");
    CHECK_INT(found.role, ROLE_SUPERVISOR);
    CHECK_INT(operators_find(st, "NOPE", &found), 1);

    /* Added from the command line: no operator acted; the badge is the subject. */
    CHECK_INT(audit_rows("event = 'operator_add' AND badge IS NULL AND subject = 'S2001'"
                         " AND detail = 'supervisor'"),
              1);
    CHECK_INT(audit_rows("event = 'operator_add' AND subject = 'G1001'"), 1);
}

static void test_login(void)
{
    struct operator_info op = {0};
    int tries = -1;
    int64_t until = -1;
    /* One login, one audit row, with the badge as its actor. */
    int rows = audit_rows("1");
    CHECK_INT(operators_login(st, "G1001", "246810", T0, &op, &tries, &until), LOGIN_OK);
    CHECK_INT(audit_rows("1"), rows + 1);
    CHECK_INT(audit_rows("event = 'login' AND badge = 'G1001' AND subject IS NULL"), 2);
    CHECK_STR(op.badge, "G1001");
    CHECK_STR(op.name, "Li Wei");
    CHECK_INT(op.role, ROLE_GRADER);
    /* An unknown badge: answered as such (the station shows it as a wrong
     * PIN); the log keeps the difference. */
    CHECK_INT(login("NOBODY", "246810", T0, NULL, NULL), LOGIN_UNKNOWN_BADGE);
    CHECK_INT(audit_rows("event = 'login_unknown' AND badge = 'NOBODY'"), 1);
    CHECK_INT(login("", "246810", T0, NULL, NULL), LOGIN_UNKNOWN_BADGE);
    CHECK_INT(audit_rows("event = 'login_unknown' AND badge IS NULL"), 1);

    /* Wrong PINs count down; a right one resets the count. */
    rows = audit_rows("1");
    CHECK_INT(login("G1001", "111111", T0, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 4);
    CHECK_INT(audit_rows("1"), rows + 1);
    CHECK_INT(audit_rows("event = 'bad_pin' AND badge = 'G1001'"), 1);
    CHECK_INT(login("G1001", "222222", T0, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 3);
    CHECK_INT(login("G1001", "246810", T0, NULL, NULL), LOGIN_OK);
    CHECK_INT(login("G1001", "111111", T0, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 4);
    CHECK_INT(login("G1001", "246810", T0, NULL, NULL), LOGIN_OK);
}

/* The quickest of four timings of one check (the least disturbed by
 * whatever else the machine does). */
static int64_t time_check(const char *badge, const char *pin, int64_t at)
{
    int64_t best = INT64_MAX;
    for (int i = 0; i < 4; i++) {
        int64_t t0 = clock_mono_ns();
        login(badge, pin, at + i, NULL, NULL);
        int64_t t = clock_mono_ns() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

/* An unknown badge costs what a wrong PIN costs: one Argon2id verify and
 * one write. */
static void test_same_timing(void)
{
    char err[512];
    CHECK_INT(add("T9001", "Timing", ROLE_GRADER, "123123", err, sizeof err), 0);
    int64_t wrong = time_check("T9001", "999999", T0);
    login("T9001", "123123", T0 + 10, NULL, NULL); /* a right one: 4 wrong do not lock */
    int64_t unknown = time_check("T9002", "999999", T0);
    printf("# a wrong PIN %.1f ms, an unknown badge %.1f ms\n", (double)wrong / 1e6,
           (double)unknown / 1e6);
    CHECK(unknown * 2 > wrong && wrong * 2 > unknown);
}

static void test_lock(void)
{
    int tries = -1;
    int64_t until = -1;
    /* Wrong PINs 1–4 say how many remain; a malformed PIN counts too. */
    static const char *const wrong[] = {"000000", "9999", "12ab", "135790"};
    for (int i = 0; i < 4; i++) {
        CHECK_INT(login("G1001", wrong[i], T0 + i, &tries, &until), LOGIN_BAD_PIN);
        CHECK_INT(tries, OPERATORS_MAX_FAILURES - 1 - i);
    }
    /* The 5th locks, for 5 minutes. */
    int64_t t5 = T0 + 10;
    CHECK_INT(login("G1001", "555555", t5, &tries, &until), LOGIN_LOCKED);
    CHECK_INT(until, t5 + operators_lock_ms(1));
    CHECK_INT(until - t5, 5 * 60 * 1000);

    /* Locked: even the right PIN is refused, and other badges are unaffected. */
    until = -1;
    CHECK_INT(login("G1001", "246810", t5 + 1000, &tries, &until), LOGIN_LOCKED);
    CHECK_INT(until, t5 + operators_lock_ms(1));
    CHECK_INT(login("G1001", "246810", t5 + operators_lock_ms(1) - 1, NULL, NULL), LOGIN_LOCKED);
    CHECK_INT(login("S2001", "135790", t5 + 1000, NULL, NULL), LOGIN_OK);

    /* The lock survives a restart. */
    store_close(st);
    char err[512];
    CHECK_INT(store_open(db_path, "SH01-S03", &st, err, sizeof err), 0);
    CHECK_INT(login("G1001", "246810", t5 + 60000, NULL, NULL), LOGIN_LOCKED);

    /* Each lock in a row lasts longer: 15, 60, 240 minutes, then a day each;
     * the count of wrong PINs starts afresh when a lock lifts (and survives
     * a restart too). */
    static const int64_t minutes[] = {15, 60, 240, 1440, 1440};
    int64_t at = t5 + operators_lock_ms(1);
    for (int lock = 0; lock < 5; lock++) {
        for (int i = 0; i < OPERATORS_MAX_FAILURES - 1; i++) {
            CHECK_INT(login("G1001", "000000", at + i, &tries, NULL), LOGIN_BAD_PIN);
            CHECK_INT(tries, OPERATORS_MAX_FAILURES - 1 - i);
            if (i == 1) {
                store_close(st);
                CHECK_INT(store_open(db_path, "SH01-S03", &st, err, sizeof err), 0);
            }
        }
        int64_t t = at + 10;
        CHECK_INT(login("G1001", "000000", t, NULL, &until), LOGIN_LOCKED);
        CHECK_INT(until - t, minutes[lock] * 60000);
        CHECK_INT(login("G1001", "246810", until - 1, NULL, NULL), LOGIN_LOCKED);
        at = until;
    }
    printf("# locks in a row: 5, 15, 60, 240, 1440, 1440 minutes\n");
    /* 5 wrong PINs a lock: at most a handful of guesses a day. */
    CHECK(OPERATORS_MAX_FAILURES * 86400000LL / operators_lock_ms(6) <= 5);

    /* A right PIN once the lock lifts starts everything afresh: the next
     * lock is 5 minutes again. */
    CHECK_INT(login("G1001", "246810", at, NULL, NULL), LOGIN_OK);
    for (int i = 0; i < OPERATORS_MAX_FAILURES - 1; i++)
        CHECK_INT(login("G1001", "000000", at + 1 + i, NULL, NULL), LOGIN_BAD_PIN);
    CHECK_INT(login("G1001", "000000", at + 10, NULL, &until), LOGIN_LOCKED);
    CHECK_INT(until - (at + 10), operators_lock_ms(1));
    CHECK_INT(login("G1001", "246810", until, NULL, NULL), LOGIN_OK);

    /* The audit log saw it: the attempts that locked, and each one refused
     * while locked. */
    CHECK_INT(audit_rows("badge = 'G1001' AND event = 'locked'"), 7);
    CHECK(audit_rows("badge = 'G1001' AND event = 'login_locked'") >= 7);
}

/* A check that cannot be recorded is answered LOGIN_ERROR, whatever the
 * PIN: no guess is free, and nobody logs in without their audit row. */
static void test_fail_closed(void)
{
    int rows = audit_rows("1");
    sqlite3 *db = store_db(st);
    CHECK_INT(sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < 8; i++)
        CHECK_INT(login("G1002", "111111", T0 + 100 + i, NULL, NULL), LOGIN_ERROR);
    struct operator_info op = {0};
    CHECK_INT(operators_login(st, "G1002", "000000", T0 + 200, &op, NULL, NULL), LOGIN_ERROR);
    CHECK_STR(op.badge, ""); /* nobody */
    CHECK_INT(login("NOBODY", "000000", T0 + 201, NULL, NULL), LOGIN_ERROR);
    CHECK_INT(sqlite3_exec(db, "PRAGMA query_only = OFF", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(audit_rows("1"), rows); /* nothing was written */
    CHECK_INT(db_file_int(db_path, "SELECT failures FROM operators WHERE badge = 'G1002'"), 0);
    /* Writable again: the right PIN logs in, with its row. */
    CHECK_INT(operators_login(st, "G1002", "000000", T0 + 300, &op, NULL, NULL), LOGIN_OK);
    CHECK_INT(audit_rows("1"), rows + 1);
}

/* A supervisor or admin authorises what a grader may not do alone; a
 * grader's right PIN is not enough. */
static void test_authorise(void)
{
    struct operator_info op = {0};
    int rows = audit_rows("1");
    CHECK_INT(operators_check(st, "S2001", "135790", T0 + 400, PIN_AUTHORISE, "G1001",
                              "regrade SH01-S03-000001", &op, NULL, NULL),
              LOGIN_OK);
    CHECK_STR(op.badge, "S2001");
    CHECK_INT(audit_rows("event = 'authorise' AND badge = 'S2001' AND subject = 'G1001'"
                         " AND detail = 'regrade SH01-S03-000001'"),
              1);
    CHECK_INT(operators_check(st, "A3001", "123456789012", T0 + 401, PIN_AUTHORISE, "G1001",
                              "override_grade RMA-1", &op, NULL, NULL),
              LOGIN_OK);
    CHECK_INT(operators_check(st, "G1002", "000000", T0 + 402, PIN_AUTHORISE, "G1001",
                              "regrade SH01-S03-000001", &op, NULL, NULL),
              LOGIN_NOT_ALLOWED);
    CHECK_INT(audit_rows("event = 'authorise_denied' AND badge = 'G1002'"), 1);
    CHECK_INT(operators_check(st, "S2001", "000000", T0 + 403, PIN_AUTHORISE, "G1001",
                              "regrade SH01-S03-000001", NULL, NULL, NULL),
              LOGIN_BAD_PIN);
    CHECK_INT(operators_check(st, "NOBODY", "000000", T0 + 404, PIN_AUTHORISE, "G1001",
                              "regrade SH01-S03-000001", NULL, NULL, NULL),
              LOGIN_UNKNOWN_BADGE);
    CHECK_INT(audit_rows("event = 'authorise_bad_pin' AND badge = 'S2001'"), 1);
    CHECK_INT(audit_rows("event = 'authorise_unknown' AND badge = 'NOBODY'"), 1);
    CHECK_INT(audit_rows("1"), rows + 5);
    /* A wrong PIN at an authorisation counts toward the same lock. */
    int tries = 0;
    CHECK_INT(login("S2001", "000000", T0 + 405, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, OPERATORS_MAX_FAILURES - 2);
    CHECK_INT(login("S2001", "135790", T0 + 406, NULL, NULL), LOGIN_OK);
}

/* Admins' management: list, disable, enable, unlock, reset the PIN. */
static void test_manage(void)
{
    char err[512];
    struct operator_row *rows = NULL;
    int n = 0;
    for (int i = 0; i < OPERATORS_MAX_FAILURES; i++)
        login("G1002", "999999", T0 + 500 + i, NULL, NULL);
    CHECK_INT(operators_list(st, &rows, &n, err, sizeof err), 0);
    CHECK_INT(n, 5);
    int g1002 = -1;
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].op.badge, "G1002"))
            g1002 = i;
    CHECK(g1002 >= 0 && rows[g1002].locked_until == T0 + 504 + operators_lock_ms(1) &&
          rows[g1002].locks == 1 && !rows[g1002].disabled);
    CHECK(n == 5 && strcmp(rows[0].op.badge, "A3001") == 0); /* by badge */
    free(rows);

    /* Unlock: the count and the lock go. */
    CHECK_INT(operators_unlock(st, "G1002", NULL, err, sizeof err), 0);
    CHECK_INT(login("G1002", "000000", T0 + 600, NULL, NULL), LOGIN_OK);
    CHECK_INT(audit_rows("event = 'operator_unlock' AND subject = 'G1002' AND badge IS NULL"
                         " AND detail LIKE 'command line, unix %'"),
              1);
    /* Disabled: refused exactly as an unknown badge, even with the right PIN. */
    CHECK_INT(operators_set_disabled(st, "G1002", true, NULL, err, sizeof err), 0);
    CHECK_INT(login("G1002", "000000", T0 + 601, NULL, NULL), LOGIN_UNKNOWN_BADGE);
    CHECK_INT(audit_rows("event = 'login_disabled' AND badge = 'G1002'"), 1);
    CHECK_INT(operators_check(st, "G1002", "000000", T0 + 602, PIN_AUTHORISE, "G1001", "x",
                              NULL, NULL, NULL),
              LOGIN_UNKNOWN_BADGE);
    CHECK_INT(operators_set_disabled(st, "G1002", false, "A3001", err, sizeof err), 0);
    CHECK_INT(audit_rows("event = 'operator_enable' AND subject = 'G1002' AND badge = 'A3001'"
                         " AND detail IS NULL"),
              1);
    CHECK_INT(login("G1002", "000000", T0 + 603, NULL, NULL), LOGIN_OK);
    /* A new PIN: the old one is refused, the new one works. */
    CHECK_INT(operators_reset_pin(st, "G1002", "12345", NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E154", 4) == 0);
    CHECK_INT(operators_reset_pin(st, "G1002", "864200", NULL, err, sizeof err), 0);
    CHECK_INT(login("G1002", "000000", T0 + 604, NULL, NULL), LOGIN_BAD_PIN);
    CHECK_INT(login("G1002", "864200", T0 + 605, NULL, NULL), LOGIN_OK);
    CHECK_INT(audit_rows("event = 'operator_reset_pin' AND subject = 'G1002'"), 1);
    /* No such badge. */
    CHECK_INT(operators_unlock(st, "G9999", NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E158", 4) == 0);
    CHECK_INT(operators_set_disabled(st, "G9999", true, NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E158", 4) == 0);
    CHECK_INT(operators_reset_pin(st, "G9999", "864200", NULL, err, sizeof err), -1);
    CHECK(strncmp(err, "E158", 4) == 0);
    /* The chain holds every one of these rows. */
    struct audit_verdict v;
    CHECK_INT(audit_verify(st, &v, err, sizeof err), 0);
    CHECK(v.intact);
}

static int notified;

static void on_notify(void *ctx)
{
    (void)ctx;
    __atomic_add_fetch(&notified, 1, __ATOMIC_SEQ_CST);
}

static void check_pin(struct pinworker *w, const char *badge, const char *pin, int64_t now)
{
    struct effect fx = {.type = FX_CHECK_PIN, .purpose = PIN_LOGIN};
    snprintf(fx.actor, sizeof fx.actor, "%s", badge);
    snprintf(fx.pin, sizeof fx.pin, "%s", pin);
    pinworker_check(w, &fx, now);
}

static void test_worker(void)
{
    char err[512];
    struct pinworker *w = NULL;
    if (!CHECK_INT(pinworker_start(db_path, on_notify, NULL, &w, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    struct event ev;
    CHECK(!pinworker_take(w, &ev));
    int rows = audit_rows("1");
    check_pin(w, "G1002", "864200", T0 + 10);
    /* Handing a check over does not wait for it (Argon2id takes tens of ms). */
    CHECK(!pinworker_take(w, &ev));
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.type, EV_LOGIN_RESULT);
    CHECK_INT(ev.purpose, PIN_LOGIN);
    CHECK_INT(ev.login, LOGIN_OK);
    CHECK_INT(ev.now, T0 + 10);
    CHECK_STR(ev.op.badge, "G1002");
    CHECK_STR(ev.op.name, "Ana Costa");
    CHECK_INT(ev.op.role, ROLE_GRADER);
    CHECK(!pinworker_take(w, &ev)); /* once */
    CHECK_INT(audit_rows("1"), rows + 1); /* its connection wrote the one row */

    /* A wrong PIN; a badge nobody has (still named in the answer). */
    check_pin(w, "S2001", "000000", T0 + 20);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.login, LOGIN_BAD_PIN);
    CHECK_INT(ev.tries_left, OPERATORS_MAX_FAILURES - 1);
    CHECK_STR(ev.op.badge, "S2001");
    check_pin(w, "NOBODY", "123456", T0 + 30);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.login, LOGIN_UNKNOWN_BADGE);
    CHECK_STR(ev.op.badge, "NOBODY");

    /* An authorisation: its purpose, who asked and what, go through. */
    struct effect fx = {.type = FX_CHECK_PIN, .purpose = PIN_AUTHORISE};
    snprintf(fx.actor, sizeof fx.actor, "S2001");
    snprintf(fx.pin, sizeof fx.pin, "135790");
    snprintf(fx.subject, sizeof fx.subject, "G1002");
    snprintf(fx.detail, sizeof fx.detail, "override_grade RMA-7");
    pinworker_check(w, &fx, T0 + 35);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.purpose, PIN_AUTHORISE);
    CHECK_INT(ev.login, LOGIN_OK);
    CHECK_INT(audit_rows("event = 'authorise' AND subject = 'G1002'"
                         " AND detail = 'override_grade RMA-7'"),
              1);

    /* A newer question replaces an older one: only its answer comes back. */
    check_pin(w, "G1002", "864200", T0 + 40);
    check_pin(w, "S2001", "135790", T0 + 41);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_STR(ev.op.badge, "S2001");
    CHECK_INT(ev.login, LOGIN_OK);
    CHECK(!pinworker_take(w, &ev));
    pinworker_stop(w);
    pinworker_stop(NULL);
    /* Each check woke the main loop (the replaced one too, if it had started). */
    CHECK(__atomic_load_n(&notified, __ATOMIC_SEQ_CST) >= 5);
}

int main(void)
{
    char err[512];
    log_set_level(LOG_ERROR); /* the W150 lock warnings are expected here */
    snprintf(db_path, sizeof db_path, "%s/triage.db", harness_tmpdir());
    if (store_open(db_path, "SH01-S03", &st, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    test_add();
    test_login();
    test_same_timing();
    test_lock();
    test_fail_closed();
    test_authorise();
    test_manage();
    test_worker();
    store_close(st);
    return harness_done();
}
