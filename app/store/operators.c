/*
 * operators.c — adding operators and checking badge + PIN (see operators.h).
 *
 * PIN hashes are libsodium crypto_pwhash_str strings (Argon2id at the
 * INTERACTIVE limits, about 50 ms a verify here). The failure count and the
 * lock live in the store, so restarting the station does not reset them.
 * Each login attempt's outcome is audited here, once; nothing else audits it.
 *
 * Error ids E150–E179 are this module's.
 */
#include "operators.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "store_internal.h"
#include "text.h"

#define PIN_MIN 4
#define PIN_MAX 12

/* sodium_init is safe to call again and from several threads (libsodium ≥ 1.0.11). */
static bool crypto_ready(void)
{
    return sodium_init() >= 0;
}

static bool pin_valid(const char *pin)
{
    size_t n = pin ? strnlen(pin, PIN_MAX + 1) : 0;
    if (n < PIN_MIN || n > PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
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
    if (!pin_valid(pin)) {
        set_err(err, errlen, "E154: a PIN is %d to %d digits", PIN_MIN, PIN_MAX);
        return -1;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        set_err(err, errlen, "E155: hashing the PIN failed (out of memory)");
        return -1;
    }
    char store_err[256];
    int rc = store_put_operator(st, op, hash, store_err, sizeof store_err);
    sodium_memzero(hash, sizeof hash);
    if (rc < 0) {
        set_err(err, errlen, "E156: cannot add operator %s: %s", op->badge, store_err);
        return -1;
    }
    /* From the command line: no operator did it; the badge added is the subject. */
    store_audit(st, clock_wall_ms(), NULL, "operator_add", op->badge, role_name(op->role));
    return 0;
}

/* The one audit row of a login attempt, with the badge as its actor. */
static void audit_attempt(struct store *st, int64_t now_ms, const char *badge, const char *action)
{
    store_audit(st, now_ms, badge, action, NULL, NULL);
    log_info("I150", "%s by %s", action, badge);
}

enum login_result operators_login(struct store *st, const char *badge, const char *pin,
                                  int64_t now_ms, struct operator_info *op, int *tries_left,
                                  int64_t *locked_until)
{
    struct operator_info found;
    char hash[crypto_pwhash_STRBYTES];
    int failures = 0;
    int64_t until = 0;

    if (!crypto_ready()) {
        log_error("E150", "libsodium could not be initialised");
        return LOGIN_ERROR;
    }
    if (!badge_valid(badge))
        return LOGIN_UNKNOWN_BADGE;
    int rc = store_get_operator(st, badge, &found, hash, sizeof hash, &failures, &until);
    if (rc < 0)
        return LOGIN_ERROR;
    if (rc == 1)
        return LOGIN_UNKNOWN_BADGE;

    /* A locked badge is refused without looking at the PIN: a guesser learns
     * nothing while the lock holds. */
    if (until > now_ms) {
        audit_attempt(st, now_ms, badge, "login_locked");
        if (locked_until)
            *locked_until = until;
        return LOGIN_LOCKED;
    }

    /* A malformed PIN counts as a wrong one, without the cost of a verify. */
    bool ok = pin_valid(pin) && crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
    sodium_memzero(hash, sizeof hash);

    if (ok) {
        if ((failures != 0 || until != 0) && store_set_login_failures(st, badge, 0, 0) < 0)
            return LOGIN_ERROR;
        audit_attempt(st, now_ms, badge, "login");
        if (op)
            *op = found;
        return LOGIN_OK;
    }

    failures++;
    if (failures >= OPERATORS_MAX_FAILURES) {
        /* Lock, and start counting afresh once the lock lifts. */
        until = now_ms + OPERATORS_LOCK_MS;
        if (store_set_login_failures(st, badge, 0, until) < 0)
            return LOGIN_ERROR;
        log_warn("W150", "badge %s locked after %d wrong PINs", badge, OPERATORS_MAX_FAILURES);
        audit_attempt(st, now_ms, badge, "locked");
        if (locked_until)
            *locked_until = until;
        return LOGIN_LOCKED;
    }
    if (store_set_login_failures(st, badge, failures, 0) < 0)
        return LOGIN_ERROR;
    audit_attempt(st, now_ms, badge, "bad_pin");
    if (tries_left)
        *tries_left = OPERATORS_MAX_FAILURES - failures;
    return LOGIN_BAD_PIN;
}

int operators_find(struct store *st, const char *badge, struct operator_info *op)
{
    if (!badge_valid(badge))
        return 1;
    return store_get_operator(st, badge, op, NULL, 0, NULL, NULL);
}

/* The operators table (read and written by store_put_operator,
 * store_get_operator and store_set_login_failures in store.c). role is
 * 'grader', 'supervisor' or 'admin'; pin_hash a crypto_pwhash_str string;
 * failures counts wrong PINs in a row; locked_until is Unix ms, 0 = not
 * locked. */
const char *operators_schema(int version)
{
    if (version != 1)
        return NULL;
    return "CREATE TABLE operators ("
           "  badge TEXT PRIMARY KEY,"
           "  name TEXT NOT NULL,"
           "  role TEXT NOT NULL CHECK (role IN ('grader', 'supervisor', 'admin')),"
           "  pin_hash TEXT NOT NULL,"
           "  failures INTEGER NOT NULL DEFAULT 0,"
           "  locked_until INTEGER NOT NULL DEFAULT 0);";
}
