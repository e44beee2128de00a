/*
 * operators.h — who may use the station, and logging in.
 *
 * PINs are stored as Argon2id hashes (libsodium crypto_pwhash_str, interactive
 * limits). A short PIN can be brute-forced offline from its hash, so a badge
 * is also locked for OPERATORS_LOCK_MS after OPERATORS_MAX_FAILURES wrong PINs
 * in a row; the count survives restarts (it lives in the store).
 */
#ifndef TRIAGE_OPERATORS_H
#define TRIAGE_OPERATORS_H

#include <stddef.h>
#include <stdint.h>

#include "inspection.h"

struct store;

#define OPERATORS_MAX_FAILURES 5
#define OPERATORS_LOCK_MS (5 * 60 * 1000)

/* Add or replace an operator. The PIN must be 4 to 12 digits. Returns 0 or -1
 * with "E1xx: …" in err. Audited as "operator_add" of the badge, no actor. */
int operators_add(struct store *st, const struct operator_info *op, const char *pin, char *err,
                  size_t errlen);

/*
 * Check a badge and PIN at time now_ms (Unix ms). On LOGIN_OK fills *op.
 * On LOGIN_BAD_PIN *tries_left says how many wrong PINs remain before the
 * lock; on LOGIN_LOCKED *locked_until says when it lifts (Unix ms).
 * Pointers may be NULL. Slow (Argon2id): the station calls it off its UI
 * thread. Writes the attempt's one audit row, with the badge as its actor:
 * "login", "bad_pin", "locked" (this attempt locked the badge) or
 * "login_locked" (refused: the badge was locked); an unknown badge is not
 * audited.
 */
enum login_result operators_login(struct store *st, const char *badge, const char *pin,
                                  int64_t now_ms, struct operator_info *op, int *tries_left,
                                  int64_t *locked_until);

/* Whether a badge exists (0 yes, 1 no, -1 error), filling *op. */
int operators_find(struct store *st, const char *badge, struct operator_info *op);

#endif
