/*
 * printq.h — the print queue: label jobs in the station's database.
 *
 * Table print_jobs (printq_schema, printq.c): one row a job, kind 'label'
 * (written by store_commit_inspection in the inspection's own transaction)
 * or 'reprint' (printq_add). A job names a plate, not bytes: the label is
 * laid out from the inspection when it is sent, so the database keeps every
 * text whole however much the label shortens it.
 *
 * Life of a job: waiting (done_at NULL) → sent (done_at set), never back.
 * A failed attempt only counts attempts, sets next_try_at (the backoff) and
 * last_error. Jobs go out oldest first. A job is marked done only after the
 * transport reported the whole job handed over, so after a crash a waiting
 * job is sent (again, if the crash fell between the hand-over and the mark:
 * a printer cannot be asked "did you print job N?").
 *
 * Functions take a struct store (one connection, one thread); the print
 * worker opens a connection of its own. Errors: -1 with "E69N: …".
 */
#ifndef TRIAGE_PRINTQ_H
#define TRIAGE_PRINTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct printq_job {
    int64_t id;
    char plate[48];
    char kind[16]; /* "label" | "reprint" */
    int attempts;
    int64_t created_at, next_try_at; /* Unix ms */
};

/* Queue a job of `kind` ("label" or "reprint") for plate's label. The
 * inspection must exist. *id (may be NULL) gets the job's id. 0 or -1. */
int printq_add(struct store *st, const char *plate, const char *kind, int64_t now, int64_t *id,
               char *err, size_t errlen);

/* True (1) when a job of kind 'label' exists for plate, done or not; 0 when
 * none; -1 on error. */
int printq_has_label(struct store *st, const char *plate);

/*
 * The next job to send into *job: returns 0. Jobs go strictly oldest first:
 * the oldest waiting job is next once due (next_try_at <= now, or at once
 * when `eager`: the printer just worked or a job was queued), and nothing
 * younger passes it. Except jobs listed in skip[0..nskip) (the worker's
 * jobs whose label cannot be made): they are passed over, and tried again
 * only when their own backoff is over (eager does not apply to them).
 * When none is due returns 1 and *next_at (may be NULL) is when one will be,
 * or INT64_MAX when nothing waits. -1 with "E691: …" in err on error.
 */
int printq_next(struct store *st, int64_t now, bool eager, const int64_t *skip, int nskip,
                struct printq_job *job, int64_t *next_at, char *err, size_t errlen);

/* Mark a job sent. 0 or -1. */
int printq_done(struct store *st, int64_t id, int64_t now, char *err, size_t errlen);

/* Record a failed attempt: attempts + 1, next try at next_try_at, the error
 * text (kept whole). 0 or -1. */
int printq_failed(struct store *st, int64_t id, int64_t next_try_at, const char *error,
                  char *err, size_t errlen);

/* Jobs waiting (not yet sent), or -1. */
int printq_waiting(struct store *st);

/* Wait before the next attempt after `attempts` failed ones: 1 s, 2 s, 4 s,
 * … up to max_ms (min_ms for the first). Pure. */
int64_t printq_backoff_ms(int attempts, int64_t min_ms, int64_t max_ms);

#endif
