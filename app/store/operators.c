/*
 * operators.c — adding and managing operators, and checking badge + PIN
 * (see operators.h).
 *
 * PIN hashes are libsodium crypto_pwhash_str strings (Argon2id at the
 * INTERACTIVE limits, about 50 ms a verify here). The failure count, the
 * count of locks in a row and the lock live in the store, so restarting the
 * station does not reset them. Each check's outcome is written here, once,
 * with its audit row, in one transaction; nothing else audits it.
 *
 * Error ids E150–E179 are this module's.
 */
#include "operators.h"

#include <pwd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "log.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"

/* A PIN checked at a login may be as short as PINs once were; new PINs are
 * OPERATORS_PIN_MIN digits or more. */
#define PIN_CHECK_MIN 4

/* Checked instead of a real hash when the badge is unknown or disabled, so
 * that the answer takes as long as for a known badge (Argon2id at the same
 * INTERACTIVE limits; the PIN it hashes is random and forgotten). */
static const char stand_in_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$32tOpHLEzB6sr3KUNArvWg$"
    "R8Ob/S1j99trwLtb8RZeQzRH/cFCE+Y9Xrh2yQ5giiI";

/* sodium_init is safe to call again and from several threads (libsodium ≥ 1.0.11). */
static bool crypto_ready(void)
{
    return sodium_init() >= 0;
}

static bool digits(const char *pin, size_t min, size_t max)
{
    size_t n = pin ? strnlen(pin, max + 1) : 0;
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

bool operators_pin_ok(const char *pin)
{
    return digits(pin, OPERATORS_PIN_MIN, OPERATORS_PIN_MAX);
}

int64_t operators_lock_ms(int locks)
{
    static const int minutes[] = {5, 15, 60, 240, 1440};
    int i = locks < 1 ? 0 : locks > 5 ? 4 : locks - 1;
    return (int64_t)minutes[i] * 60 * 1000;
}

/* 1..63 printable ASCII characters, no space at either end. */
static bool badge_valid(const char *badge)
{
    size_t n = badge ? strnlen(badge, 64) : 0;
    if (n < 1 || n > 63 || badge[0] == ' ' || badge[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++)
        if (badge[i] < 0x20 || badge[i] > 0x7E)
            return false;
    return true;
}

static bool name_valid(const char *name)
{
    size_t n = strnlen(name, 64);
    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return false;
    return true; /* UTF-8 validity is checked by the store */
}

/* ---- the table ---------------------------------------------------------- */

/* The operators table (version 1, read and written by store_put_operator,
 * store_get_operator and store_set_login_failures in store.c, and here).
 * role is 'grader', 'supervisor' or 'admin'; pin_hash a crypto_pwhash_str
 * string; failures counts wrong PINs in a row; locked_until is Unix ms, 0 =
 * not locked. Version 7: locks counts locks in a row (each lasts longer);
 * disabled operators cannot log in or authorise. */
const char *operators_schema(int version)
{
    switch (version) {
    case 1:
        return "CREATE TABLE operators ("
               "  badge TEXT PRIMARY KEY,"
               "  name TEXT NOT NULL,"
               "  role TEXT NOT NULL CHECK (role IN ('grader', 'supervisor', 'admin')),"
               "  pin_hash TEXT NOT NULL,"
               "  failures INTEGER NOT NULL DEFAULT 0,"
               "  locked_until INTEGER NOT NULL DEFAULT 0);";
    case 7:
        return "ALTER TABLE operators ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;"
               "ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;";
    default:
        return NULL;
    }
}

struct op_state {
    struct operator_info op;
    char hash[crypto_pwhash_STRBYTES];
    int failures, locks;
    int64_t locked_until;
    bool disabled;
};

/* Read badge's row: 0 found, 1 not found, -1 error (E236 logged). */
static int read_op(struct store *st, const char *badge, struct op_state *o)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    memset(o, 0, sizeof *o);
    int rc = sqlite3_prepare_v2(db,
                                "SELECT badge, name, role, pin_hash, failures, locked_until,"
                                " locks, disabled FROM operators WHERE badge = ?1",
                                -1, &s, NULL);
    int result = -1;
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            const char *t;
            snprintf(o->op.badge, sizeof o->op.badge, "%s",
                     (t = (const char *)sqlite3_column_text(s, 0)) ? t : "");
            snprintf(o->op.name, sizeof o->op.name, "%s",
                     (t = (const char *)sqlite3_column_text(s, 1)) ? t : "");
            t = (const char *)sqlite3_column_text(s, 2);
            int r = role_from_name(t ? t : "");
            o->op.role = r < 0 ? ROLE_GRADER : (enum role)r;
            snprintf(o->hash, sizeof o->hash, "%s",
                     (t = (const char *)sqlite3_column_text(s, 3)) ? t : "");
            o->failures = sqlite3_column_int(s, 4);
            o->locked_until = sqlite3_column_int64(s, 5);
            o->locks = sqlite3_column_int(s, 6);
            o->disabled = sqlite3_column_int(s, 7) != 0;
            result = 0;
        } else if (rc == SQLITE_DONE) {
            result = 1;
        }
    }
    sqlite3_finalize(s);
    if (result < 0)
        log_error("E236", "looking up badge %s failed: %s", badge, sqlite3_errmsg(db));
    return result;
}

/* Run an UPDATE of one badge's row with up to three integer values ?2..?4
 * and a text ?5. Returns the rows changed, or -1. */
static int update_op(sqlite3 *db, const char *sql, const char *badge, int64_t a, int64_t b,
                     int64_t c, const char *text)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, badge, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, a);
        sqlite3_bind_int64(s, 3, b);
        sqlite3_bind_int64(s, 4, c);
        if (text)
            sqlite3_bind_text(s, 5, text, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? sqlite3_changes(db) : -1;
}

/* ---- adding ------------------------------------------------------------- */

int operators_add(struct store *st, const struct operator_info *op, const char *pin, char *err,
                  size_t errlen)
{
    if (!crypto_ready()) {
        set_err(err, errlen, "E150: libsodium could not be initialised");
        return -1;
    }
    if (!badge_valid(op->badge)) {
        set_err(err, errlen, "E151: a badge is 1 to 63 printable characters");
        return -1;
    }
    if (!name_valid(op->name)) {
        set_err(err, errlen, "E152: an operator needs a name of 1 to 63 bytes");
        return -1;
    }
    if (role_name(op->role)[0] == 0) {
        set_err(err, errlen, "E153: the role must be grader, supervisor or admin");
        return -1;
    }
    if (!operators_pin_ok(pin)) {
        set_err(err, errlen, "E154: a PIN is %d to %d digits", OPERATORS_PIN_MIN,
                OPERATORS_PIN_MAX);
        return -1;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        set_err(err, errlen, "E155: hashing the PIN failed (out of memory)");
        return -1;
    }
    char store_err[256] = "";
    sqlite3 *db = store_db(st);
    struct op_state existing;
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    int found = rc == 0 ? read_op(st, op->badge, &existing) : -1;
    sodium_memzero(existing.hash, sizeof existing.hash);
    if (found == 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sodium_memzero(hash, sizeof hash);
        set_err(err, errlen,
                "E157: badge %s already belongs to %s (%s): nothing changed; use `triage"
                " operator reset-pin`, `disable` or `enable`",
                op->badge, existing.op.name, role_name(existing.op.role));
        return -1;
    }
    if (found < 0) {
        snprintf(store_err, sizeof store_err, "E226: %s", sqlite3_errmsg(db));
        rc = -1;
    }
    if (rc == 0)
        rc = store_put_operator(st, op, hash, store_err, sizeof store_err);
    sodium_memzero(hash, sizeof hash);
    /* From the command line: no operator did it; the badge added is the subject. */
    if (rc == 0 &&
        (store_audit(st, clock_wall_ms(), NULL, "operator_add", op->badge,
                     role_name(op->role)) != 0 ||
         sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)) {
        snprintf(store_err, sizeof store_err, "E226: %s", sqlite3_errmsg(db));
        rc = -1;
    }
    if (rc < 0) {
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        set_err(err, errlen, "E156: cannot add operator %s: %s", op->badge, store_err);
        return -1;
    }
    return 0;
}

/* ---- checking ----------------------------------------------------------- */

/* The audit action of each outcome, per purpose. */
enum outcome { OUT_OK, OUT_BAD, OUT_LOCKED_NOW, OUT_REFUSED_LOCKED, OUT_UNKNOWN, OUT_DISABLED,
               OUT_DENIED, OUT_COUNT };
static const char *const actions[2][OUT_COUNT] = {
    [PIN_LOGIN] = {"login", "bad_pin", "locked", "login_locked", "login_unknown",
                   "login_disabled", "login"},
    [PIN_AUTHORISE] = {"authorise", "authorise_bad_pin", "locked", "authorise_locked",
                       "authorise_unknown", "authorise_disabled", "authorise_denied"},
};

/*
 * Write a check's outcome: badge's new counts (when `known`) and its one
 * audit row, in one transaction. 0, or -1 (E227 logged, nothing written).
 */
static int record(struct store *st, const char *badge, bool known, int failures, int locks,
                  int64_t until, int64_t now_ms, const char *action, const char *subject,
                  const char *detail)
{
    sqlite3 *db = store_db(st);
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK && known &&
        update_op(db,
                  "UPDATE operators SET failures = ?2, locks = ?3, locked_until = ?4"
                  " WHERE badge = ?1",
                  badge, failures, locks, until, NULL) != 1)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK &&
        store_audit(st, now_ms, badge_valid(badge) ? badge : NULL, action, subject,
                    detail) != 0)
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    log_error("E227", "the PIN check of %s cannot be recorded, so it is refused: %s",
              badge_valid(badge) ? badge : "(not a badge)", sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

enum login_result operators_check(struct store *st, const char *badge, const char *pin,
                                  int64_t now_ms, enum pin_purpose purpose,
                                  const char *for_badge, const char *what,
                                  struct operator_info *op, int *tries_left,
                                  int64_t *locked_until)
{
    struct op_state o;
    int p = purpose == PIN_AUTHORISE ? PIN_AUTHORISE : PIN_LOGIN;
    const char *subject = p == PIN_AUTHORISE ? for_badge : NULL;
    const char *detail = p == PIN_AUTHORISE ? what : NULL;
    char why[300];

    if (!crypto_ready()) {
        log_error("E150", "libsodium could not be initialised");
        return LOGIN_ERROR;
    }
    int found = badge_valid(badge) ? read_op(st, badge, &o) : 1;
    if (found < 0)
        return LOGIN_ERROR;
    bool known = found == 0 && !o.disabled;

    /* A locked badge is refused without looking at the PIN: a guesser learns
     * nothing while the lock holds. */
    if (known && o.locked_until > now_ms) {
        record(st, badge, false, 0, 0, 0, now_ms, actions[p][OUT_REFUSED_LOCKED], subject,
               detail);
        log_info("I150", "%s by %s", actions[p][OUT_REFUSED_LOCKED], badge);
        if (locked_until)
            *locked_until = o.locked_until;
        sodium_memzero(o.hash, sizeof o.hash);
        return LOGIN_LOCKED;
    }

    /* Always one Argon2id verify: an unknown or disabled badge against the
     * stand-in, so that its answer takes as long as a wrong PIN's. */
    const char *hash = found == 0 ? o.hash : stand_in_hash;
    bool pin_ok = crypto_pwhash_str_verify(hash, pin ? pin : "", pin ? strlen(pin) : 0) == 0 &&
                  digits(pin, PIN_CHECK_MIN, OPERATORS_PIN_MAX);
    sodium_memzero(o.hash, sizeof o.hash);

    enum outcome out;
    enum login_result res;
    int failures = o.failures, locks = o.locks;
    int64_t until = o.locked_until;
    if (!known) {
        out = found == 0 ? OUT_DISABLED : OUT_UNKNOWN;
        res = LOGIN_UNKNOWN_BADGE;
    } else if (pin_ok) {
        failures = locks = 0;
        until = 0;
        bool may = p == PIN_LOGIN || o.op.role == ROLE_SUPERVISOR || o.op.role == ROLE_ADMIN;
        out = may ? OUT_OK : OUT_DENIED;
        res = may ? LOGIN_OK : LOGIN_NOT_ALLOWED;
    } else if (failures + 1 >= OPERATORS_MAX_FAILURES) {
        /* Locked, for longer than the last time; the count starts afresh
         * once it lifts. */
        failures = 0;
        locks++;
        until = now_ms + operators_lock_ms(locks);
        out = OUT_LOCKED_NOW;
        res = LOGIN_LOCKED;
        snprintf(why, sizeof why, "%s%slock %d, %lld min", detail ? detail : "",
                 detail ? "; " : "", locks, (long long)(operators_lock_ms(locks) / 60000));
        detail = why;
    } else {
        failures++;
        out = OUT_BAD;
        res = LOGIN_BAD_PIN;
    }
    if (record(st, badge, known, failures, locks, until, now_ms, actions[p][out], subject,
               detail) < 0)
        return LOGIN_ERROR; /* not recorded: not answered either */
    log_info("I150", "%s by %s", actions[p][out], badge_valid(badge) ? badge : "(not a badge)");
    if (out == OUT_LOCKED_NOW)
        log_warn("W150", "badge %s locked for %lld minutes after %d wrong PINs (lock %d in a"
                         " row)",
                 badge, (long long)(operators_lock_ms(locks) / 60000), OPERATORS_MAX_FAILURES,
                 locks);
    if (res == LOGIN_OK && op)
        *op = o.op;
    if (res == LOGIN_BAD_PIN && tries_left)
        *tries_left = OPERATORS_MAX_FAILURES - failures;
    if (res == LOGIN_LOCKED && locked_until)
        *locked_until = until;
    return res;
}

enum login_result operators_login(struct store *st, const char *badge, const char *pin,
                                  int64_t now_ms, struct operator_info *op, int *tries_left,
                                  int64_t *locked_until)
{
    return operators_check(st, badge, pin, now_ms, PIN_LOGIN, NULL, NULL, op, tries_left,
                           locked_until);
}

int operators_find(struct store *st, const char *badge, struct operator_info *op)
{
    if (!badge_valid(badge))
        return 1;
    return store_get_operator(st, badge, op, NULL, 0, NULL, NULL);
}

/* ---- managing ----------------------------------------------------------- */

int operators_list(struct store *st, struct operator_row **rows, int *n, char *err,
                   size_t errlen)
{
    sqlite3 *db = store_db(st);
    sqlite3_stmt *s = NULL;
    *rows = NULL;
    *n = 0;
    int cap = 0;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT badge, name, role, disabled, failures, locks,"
                                " locked_until FROM operators ORDER BY badge",
                                -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct operator_row *r = realloc(*rows, (size_t)cap * sizeof *r);
            if (!r) {
                sqlite3_finalize(s);
                free(*rows);
                *rows = NULL;
                *n = 0;
                set_err(err, errlen, "E159: out of memory listing operators");
                return -1;
            }
            *rows = r;
        }
        struct operator_row *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        const char *t;
        snprintf(r->op.badge, sizeof r->op.badge, "%s",
                 (t = (const char *)sqlite3_column_text(s, 0)) ? t : "");
        snprintf(r->op.name, sizeof r->op.name, "%s",
                 (t = (const char *)sqlite3_column_text(s, 1)) ? t : "");
        t = (const char *)sqlite3_column_text(s, 2);
        int role = role_from_name(t ? t : "");
        r->op.role = role < 0 ? ROLE_GRADER : (enum role)role;
        r->disabled = sqlite3_column_int(s, 3) != 0;
        r->failures = sqlite3_column_int(s, 4);
        r->locks = sqlite3_column_int(s, 5);
        r->locked_until = sqlite3_column_int64(s, 6);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(*rows);
        *rows = NULL;
        *n = 0;
        set_err(err, errlen, "E159: the operators cannot be read: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* The audit detail of a change made from the command line: which Unix user. */
static const char *cli_detail(const char *by, char *buf, size_t len)
{
    if (by && by[0])
        return NULL;
    struct passwd *pw = getpwuid(geteuid());
    if (pw)
        snprintf(buf, len, "command line, unix user %s", pw->pw_name);
    else
        snprintf(buf, len, "command line, unix uid %u", (unsigned)geteuid());
    return buf;
}

/* One change of one badge's row and its audit row, in one transaction. */
static int change(struct store *st, const char *badge, const char *sql, int64_t a,
                  const char *text, const char *by, const char *action, char *err,
                  size_t errlen)
{
    sqlite3 *db = store_db(st);
    char detail[160];
    if (!badge_valid(badge)) {
        set_err(err, errlen, "E151: a badge is 1 to 63 printable characters");
        return -1;
    }
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    int changed = rc == SQLITE_OK ? update_op(db, sql, badge, a, 0, 0, text) : -1;
    if (changed == 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        set_err(err, errlen, "E158: there is no operator with badge %s (triage operator list)",
                badge);
        return -1;
    }
    if (changed < 0 ||
        store_audit(st, clock_wall_ms(), by, action, badge,
                    cli_detail(by, detail, sizeof detail)) != 0 ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        set_err(err, errlen, "E156: operator %s cannot be changed: %s", badge,
                sqlite3_errmsg(db));
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int operators_set_disabled(struct store *st, const char *badge, bool disabled, const char *by,
                           char *err, size_t errlen)
{
    return change(st, badge, "UPDATE operators SET disabled = ?2 WHERE badge = ?1", disabled,
                  NULL, by, disabled ? "operator_disable" : "operator_enable", err, errlen);
}

int operators_unlock(struct store *st, const char *badge, const char *by, char *err,
                     size_t errlen)
{
    return change(st, badge,
                  "UPDATE operators SET failures = 0, locks = 0, locked_until = ?2"
                  " WHERE badge = ?1",
                  0, NULL, by, "operator_unlock", err, errlen);
}

int operators_reset_pin(struct store *st, const char *badge, const char *pin, const char *by,
                        char *err, size_t errlen)
{
    if (!crypto_ready()) {
        set_err(err, errlen, "E150: libsodium could not be initialised");
        return -1;
    }
    if (!operators_pin_ok(pin)) {
        set_err(err, errlen, "E154: a PIN is %d to %d digits", OPERATORS_PIN_MIN,
                OPERATORS_PIN_MAX);
        return -1;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        set_err(err, errlen, "E155: hashing the PIN failed (out of memory)");
        return -1;
    }
    int rc = change(st, badge,
                    "UPDATE operators SET pin_hash = ?5, failures = 0, locks = 0,"
                    " locked_until = ?2 WHERE badge = ?1",
                    0, hash, by, "operator_reset_pin", err, errlen);
    sodium_memzero(hash, sizeof hash);
    return rc;
}
