/*
 * audit.h — the station's audit log: who did what, when, as a hash chain
 * that also covers every saved inspection and its outbox row.
 *
 * Each row of the table audit holds id (1, 2, 3, … without a gap), at (Unix
 * ms), badge (the actor: the operator who did it; NULL for the station
 * itself: its command line, sync), authorised_by (the supervisor or admin
 * who allowed it at the station, or NULL), event, subject (what it was done
 * to: a plate, a badge; or NULL), detail, and hash:
 *
 *   hash = SHA-256("triage-audit-1|" prev "|" id "|" at "|" F(badge) "|"
 *                  F(authorised_by) "|" F(event) "|" F(subject) "|" F(detail))
 *
 * in lower-case hex, where prev is the hash of row id - 1 (for row 1, the
 * hex SHA-256 of "triage-audit-genesis|<epoch>") and F(x) is "-" for NULL,
 * else x's length in bytes, ':' and x. Head office computes the same
 * (triage.audit_row_hash in sync/headoffice.sql).
 *
 * Every save writes, in its own transaction, a row of event "save" whose
 * subject is the plate and whose detail is {"seq":N,"row":H1,"payload":H2,
 * "outbox":H3}: H1 the hash of the inspection's row (every column it had
 * when the chain began), H2 the SHA-256 of the outbox payload (the export
 * record, byte for byte), H3 the hash of the outbox row. An edit of a
 * record, a payload or an audit row, a row deleted or slipped in, is found
 * by audit_verify, which names the first broken row.
 *
 * What the chain cannot do alone: whoever may write the file may rewrite the
 * chain from the edited row on, or cut rows off its end. The rows head
 * office already holds (sync sends the chain with the outcomes) cannot be
 * rewritten unnoticed; triage.audit_verify checks them there.
 *
 * Append-only: triggers refuse UPDATE and DELETE of audit rows. Error ids
 * E260–E279 (ERRORS.md).
 */
#ifndef TRIAGE_AUDIT_H
#define TRIAGE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct outbox_batch;

/*
 * Append a row, authorised by `authorised_by` (NULL or "" when nobody had
 * to): store_audit with the authoriser. In the caller's transaction when
 * one is open, else in one of its own. 0, or -1 (E228 logged).
 */
int store_audit_authorised(struct store *st, int64_t at_ms, const char *actor,
                           const char *authorised_by, const char *action, const char *subject,
                           const char *detail);

/* What audit_verify found. */
struct audit_verdict {
    bool intact;
    int64_t rows;        /* audit rows checked */
    int64_t inspections; /* inspections found in the chain */
    int64_t broken_id;   /* the first broken audit row; 0 when the fault is not in a row */
    char problem[300];   /* "E25x: …" when not intact */
};

/*
 * Check the whole chain: every row's hash, ids without a gap, each save's
 * inspection and outbox row against the hashes it recorded, every
 * inspection and outbox row having its save, and the append-only triggers
 * as a new database has them. Reads one snapshot. Returns 0
 * with *v filled (intact or not), or -1 with "E2xx: …" in err when the
 * database cannot be read.
 */
int audit_verify(struct store *st, struct audit_verdict *v, char *err, size_t errlen);

/* ---- to head office (sync/sync.c) ---------------------------------------- */

/* The highest audit id (0 when none), or -1 with "E702: …" in err. */
int64_t audit_last_id(struct store *st, char *err, size_t errlen);

/*
 * Audit rows after+1..upto as JSON objects {id, at, actor, authorised_by,
 * event, subject, detail, hash} (NULL fields left out), one per record of
 * *b. Returns 0, or -1 with "E702: …", "E703: …" or "E710: …" in err.
 */
int audit_fetch(struct store *st, int64_t after, int64_t upto, struct outbox_batch *b, char *err,
                size_t errlen);

/* How far target has the chain: every id up to *sent; a batch up to
 * *intent_last was begun (0: none). A target seen for the first time starts
 * at 0. Returns 0, or -1 with "E704: …" in err. */
int audit_progress(struct store *st, const char *target, int64_t *sent, int64_t *intent_last,
                   char *err, size_t errlen);
int audit_mark_sent(struct store *st, const char *target, int64_t sent, int64_t intent_last,
                    char *err, size_t errlen);

#endif
