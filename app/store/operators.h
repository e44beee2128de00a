/*
 * operators.h — who may use the station, logging in, authorising, and
 * managing operators.
 *
 * PINs are 6 to 12 digits, stored as Argon2id hashes (libsodium
 * crypto_pwhash_str, interactive limits). A short PIN can be brute-forced
 * offline from its hash, and online by anyone at the screen, so a badge is
 * locked after OPERATORS_MAX_FAILURES wrong PINs in a row, and each lock in
 * a row lasts longer than the last (operators_lock_ms: 5, 15, 60, 240
 * minutes, then a day); a right PIN, or an admin's unlock, starts the count
 * afresh. The counts live in the store, so a restart changes nothing.
 *
 * Every check costs the same whatever the badge: an unknown or disabled
 * badge is checked against a stand-in hash and answered LOGIN_UNKNOWN_BADGE,
 * which the station shows exactly as a wrong PIN; only the audit log and the
 * station's log tell them apart. And every check writes its outcome (the
 * count, the lock, its one audit row) in one transaction before it answers:
 * when that write fails the answer is LOGIN_ERROR, never a login (fail
 * closed).
 *
 * Error ids E150–E179.
 */
#ifndef TRIAGE_OPERATORS_H
#define TRIAGE_OPERATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inspection.h"

struct store;

#define OPERATORS_PIN_MIN 6
#define OPERATORS_PIN_MAX 12
#define OPERATORS_MAX_FAILURES 5

/* How long the `locks`-th lock in a row lasts (1 → 5 min, 2 → 15 min, 3 →
 * 60 min, 4 → 240 min, then 24 h each). */
int64_t operators_lock_ms(int locks);

/* Whether pin is a PIN a new operator may be given: 6 to 12 digits. */
bool operators_pin_ok(const char *pin);

/* Add an operator. The badge must be new (E157 when it exists: see
 * operators_reset_pin, operators_set_disabled). The PIN must be 6 to 12
 * digits (E154). Returns 0 or -1 with "E1xx: …" in err. Audited as
 * "operator_add" of the badge, with its role as the detail and no actor
 * (the command line). */
int operators_add(struct store *st, const struct operator_info *op, const char *pin, char *err,
                  size_t errlen);

/*
 * Check a badge and PIN at time now_ms (Unix ms), for `purpose`. On LOGIN_OK
 * fills *op. On LOGIN_BAD_PIN *tries_left says how many wrong PINs remain
 * before the lock (for the log and tests: the station does not show it); on
 * LOGIN_LOCKED *locked_until says when it lifts. PIN_AUTHORISE answers
 * LOGIN_NOT_ALLOWED for a right PIN of a grader. Pointers may be NULL. Slow
 * (Argon2id): the station calls it off its UI thread.
 *
 * Writes the attempt's one audit row, with the badge as its actor:
 *   login:     "login", "bad_pin", "locked" (this attempt locked the badge),
 *              "login_locked" (refused: the badge was locked),
 *              "login_unknown", "login_disabled"
 *   authorise: "authorise", "authorise_bad_pin", "locked",
 *              "authorise_locked", "authorise_unknown",
 *              "authorise_disabled", "authorise_denied" (not a supervisor
 *              or admin); subject is `for_badge` (who asked), detail
 *              `what` (what was to be authorised).
 */
enum login_result operators_check(struct store *st, const char *badge, const char *pin,
                                  int64_t now_ms, enum pin_purpose purpose,
                                  const char *for_badge, const char *what,
                                  struct operator_info *op, int *tries_left,
                                  int64_t *locked_until);

/* operators_check for PIN_LOGIN. */
enum login_result operators_login(struct store *st, const char *badge, const char *pin,
                                  int64_t now_ms, struct operator_info *op, int *tries_left,
                                  int64_t *locked_until);

/* Whether a badge exists (0 yes, 1 no, -1 error), filling *op. */
int operators_find(struct store *st, const char *badge, struct operator_info *op);

/* ---- managing operators (admins) ------------------------------------------ */

/* One operator as `triage operator list` shows it. */
struct operator_row {
    struct operator_info op;
    bool disabled;
    int failures;         /* wrong PINs in a row since the last lock */
    int locks;            /* locks in a row */
    int64_t locked_until; /* Unix ms; 0 when not locked */
};

/* Every operator, by badge: *rows malloc'd (the caller frees), *n of them.
 * Returns 0, or -1 with "E1xx: …" in err. */
int operators_list(struct store *st, struct operator_row **rows, int *n, char *err,
                   size_t errlen);

/*
 * Changes to one badge (E158 when there is no such badge). `by` is the
 * admin's badge at the station, or NULL from the command line (the audit
 * detail then names the Unix user). Each is one transaction with its audit
 * row: "operator_disable", "operator_enable", "operator_unlock",
 * "operator_reset_pin" (which also unlocks). Returns 0, or -1 with
 * "E1xx: …" in err.
 */
int operators_set_disabled(struct store *st, const char *badge, bool disabled, const char *by,
                           char *err, size_t errlen);
int operators_unlock(struct store *st, const char *badge, const char *by, char *err,
                     size_t errlen);
int operators_reset_pin(struct store *st, const char *badge, const char *pin, const char *by,
                        char *err, size_t errlen);

#endif
