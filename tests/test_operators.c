/*
 * test_operators.c — adding operators, logging in, counting wrong PINs, the
 * lock after 5 and its lifting after 5 minutes, how PINs are stored, the
 * one audit row of each attempt, and the thread that checks PINs for the
 * station (pin_worker.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_file.h"
#include "harness.h"
#include "log.h"
#include "operators.h"
#include "pin_worker.h"
#include "station.h"
#include "store.h"

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
        {"G1", "A", ROLE_GRADER, "123", "E154"},              /* 1: PIN too short */
        {"G1", "A", ROLE_GRADER, "1234567890123", "E154"},    /* 2: PIN too long */
        {"G1", "A", ROLE_GRADER, "12a4", "E154"},             /* 3: not digits */
        {"G1", "A", ROLE_GRADER, "", "E154"},                 /* 4: empty PIN */
        {"", "A", ROLE_GRADER, "1234", "E151"},               /* 5: empty badge */
        {"G\t1", "A", ROLE_GRADER, "1234", "E151"},           /* 6: control character */
        {" G1", "A", ROLE_GRADER, "1234", "E151"},            /* 7: leading space */
        {"G1", "", ROLE_GRADER, "1234", "E152"},              /* 8: no name */
        {"G1", "A", 7, "1234", "E153"},                       /* 9: no such role */
        {"G1", "\xC3\x28", ROLE_GRADER, "1234", "E156"},      /* 10: name not UTF-8 */
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
    CHECK_INT(operators_add(st, &op, "1234", err, sizeof err), -1);
    CHECK(strncmp(err, "E151", 4) == 0);
    /* 4 and 12 digits are both fine. */
    CHECK_INT(add("G1002", "Ana Costa", ROLE_GRADER, "0000", err, sizeof err), 0);
    CHECK_INT(add("A3001", "Sam Okafor", ROLE_ADMIN, "123456789012", err, sizeof err), 0);

    /* Stored as Argon2id, never the PIN itself. */
    char *hash = db_file_text(db_path, "SELECT pin_hash FROM operators WHERE badge = 'G1001'");
    CHECK(hash != NULL);
    CHECK(hash && strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(hash && strcmp(hash, "246810") != 0 && !strstr(hash, "246810"));
    free(hash);

    struct operator_info found;
    CHECK_INT(operators_find(st, "S2001", &found), 0);
    CHECK_STR(found.name, "王芳");
    CHECK_INT(found.role, ROLE_SUPERVISOR);
    CHECK_INT(operators_find(st, "NOPE", &found), 1);

    /* Added from the command line: no operator acted; the badge is the subject. */
    CHECK_INT(audit_rows("event = 'operator_add' AND badge IS NULL AND subject = 'S2001'"
                         " AND detail = 'supervisor'"),
              1);
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
    CHECK_INT(audit_rows("event = 'login' AND badge = 'G1001' AND subject IS NULL"), 1);
    CHECK_STR(op.badge, "G1001");
    CHECK_STR(op.name, "Li Wei");
    CHECK_INT(op.role, ROLE_GRADER);
    CHECK_INT(login("NOBODY", "246810", T0, NULL, NULL), LOGIN_UNKNOWN_BADGE);
    CHECK_INT(login("", "246810", T0, NULL, NULL), LOGIN_UNKNOWN_BADGE);

    /* Wrong PINs count down; a right one resets the count. */
    rows = audit_rows("1");
    CHECK_INT(login("G1001", "111111", T0, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 4);
    CHECK_INT(audit_rows("1"), rows + 1);
    CHECK_INT(audit_rows("event = 'bad_pin' AND badge = 'G1001'"), 1);
    /* An unknown badge names nobody: no row. */
    CHECK_INT(audit_rows("badge = 'NOBODY'"), 0);
    CHECK_INT(login("G1001", "222222", T0, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 3);
    CHECK_INT(login("G1001", "246810", T0, NULL, NULL), LOGIN_OK);
    CHECK_INT(login("G1001", "111111", T0, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 4);
    CHECK_INT(login("G1001", "246810", T0, NULL, NULL), LOGIN_OK);
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
    /* The 5th locks. */
    int64_t t5 = T0 + 10;
    CHECK_INT(login("G1001", "555555", t5, &tries, &until), LOGIN_LOCKED);
    CHECK_INT(until, t5 + OPERATORS_LOCK_MS);
    CHECK_INT(until - t5, 5 * 60 * 1000);

    /* Locked: even the right PIN is refused, and other badges are unaffected. */
    until = -1;
    CHECK_INT(login("G1001", "246810", t5 + 1000, &tries, &until), LOGIN_LOCKED);
    CHECK_INT(until, t5 + OPERATORS_LOCK_MS);
    CHECK_INT(login("G1001", "246810", t5 + OPERATORS_LOCK_MS - 1, NULL, NULL), LOGIN_LOCKED);
    CHECK_INT(login("S2001", "135790", t5 + 1000, NULL, NULL), LOGIN_OK);

    /* The lock survives a restart. */
    store_close(st);
    char err[512];
    CHECK_INT(store_open(db_path, "SH01-S03", &st, err, sizeof err), 0);
    CHECK_INT(login("G1001", "246810", t5 + 60000, NULL, NULL), LOGIN_LOCKED);

    /* 5 minutes later it lifts; the count starts afresh. */
    int64_t later = t5 + OPERATORS_LOCK_MS;
    CHECK_INT(login("G1001", "000000", later, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 4);
    CHECK_INT(login("G1001", "246810", later + 1, NULL, NULL), LOGIN_OK);

    /* The count of wrong PINs survives a restart too. */
    CHECK_INT(login("G1001", "000000", later + 2, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(login("G1001", "000000", later + 3, &tries, NULL), LOGIN_BAD_PIN);
    store_close(st);
    CHECK_INT(store_open(db_path, "SH01-S03", &st, err, sizeof err), 0);
    CHECK_INT(login("G1001", "000000", later + 4, &tries, NULL), LOGIN_BAD_PIN);
    CHECK_INT(tries, 2);
    CHECK_INT(login("G1001", "246810", later + 5, NULL, NULL), LOGIN_OK);

    /* The audit log saw it: the attempt that locked, and each one refused
     * while locked (t5 + 1 s, just before the lift, after the restart). */
    CHECK_INT(audit_rows("badge = 'G1001' AND event = 'locked'"), 1);
    CHECK_INT(audit_rows("badge = 'G1001' AND event = 'login_locked'"), 3);
}

static void test_replace(void)
{
    char err[512];
    /* Adding a badge again replaces its PIN and role, and clears a lock. */
    for (int i = 0; i < OPERATORS_MAX_FAILURES; i++)
        login("G1002", "9999", T0, NULL, NULL);
    CHECK_INT(login("G1002", "0000", T0 + 1, NULL, NULL), LOGIN_LOCKED);
    CHECK_INT(add("G1002", "Ana Costa", ROLE_SUPERVISOR, "864200", err, sizeof err), 0);
    CHECK_INT(login("G1002", "0000", T0 + 2, NULL, NULL), LOGIN_BAD_PIN);
    struct operator_info op;
    CHECK_INT(operators_login(st, "G1002", "864200", T0 + 3, &op, NULL, NULL), LOGIN_OK);
    CHECK_INT(op.role, ROLE_SUPERVISOR);
}

static int notified;

static void on_notify(void *ctx)
{
    (void)ctx;
    __atomic_add_fetch(&notified, 1, __ATOMIC_SEQ_CST);
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
    pinworker_check(w, "G1002", "864200", T0 + 10);
    /* Handing a check over does not wait for it (Argon2id takes tens of ms). */
    CHECK(!pinworker_take(w, &ev));
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.type, EV_LOGIN_RESULT);
    CHECK_INT(ev.login, LOGIN_OK);
    CHECK_INT(ev.now, T0 + 10);
    CHECK_STR(ev.op.badge, "G1002");
    CHECK_STR(ev.op.name, "Ana Costa");
    CHECK_INT(ev.op.role, ROLE_SUPERVISOR);
    CHECK(!pinworker_take(w, &ev)); /* once */
    CHECK_INT(audit_rows("1"), rows + 1); /* its connection wrote the one row */

    /* A wrong PIN; a badge nobody has (still named in the answer). */
    pinworker_check(w, "S2001", "000000", T0 + 20);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.login, LOGIN_BAD_PIN);
    CHECK_INT(ev.tries_left, OPERATORS_MAX_FAILURES - 1);
    CHECK_STR(ev.op.badge, "S2001");
    pinworker_check(w, "NOBODY", "1234", T0 + 30);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_INT(ev.login, LOGIN_UNKNOWN_BADGE);
    CHECK_STR(ev.op.badge, "NOBODY");

    /* A newer question replaces an older one: only its answer comes back. */
    pinworker_check(w, "G1002", "864200", T0 + 40);
    pinworker_check(w, "S2001", "135790", T0 + 41);
    pinworker_wait_idle(w);
    CHECK(pinworker_take(w, &ev));
    CHECK_STR(ev.op.badge, "S2001");
    CHECK_INT(ev.login, LOGIN_OK);
    CHECK(!pinworker_take(w, &ev));
    pinworker_stop(w);
    pinworker_stop(NULL);
    /* Each check woke the main loop (the replaced one too, if it had started). */
    CHECK(__atomic_load_n(&notified, __ATOMIC_SEQ_CST) >= 4);
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
    test_lock();
    test_replace();
    test_worker();
    store_close(st);
    return harness_done();
}
