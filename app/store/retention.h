/*
 * retention.h — what the station may let go of, and only once head office
 * has it: outbox rows (their record stays in inspections, byte for byte) and
 * label files, after [retention] days.
 *
 * Table retention (one row): outbox_upto, every outbox row up to that seq
 * was removed on purpose (the outbox's delete trigger refuses any other);
 * labels_upto, the label files of every inspection up to that seq are gone.
 * Each removal of outbox rows is an audit row "outbox_pruned" with detail
 * {"upto":N}, so the audit chain (audit.h) tells a pruned row from a
 * deleted one.
 *
 * Error ids: E261 (outbox), E262 (labels).
 */
#ifndef TRIAGE_RETENTION_H
#define TRIAGE_RETENTION_H

#include <stddef.h>
#include <stdint.h>

struct store;

/*
 * Remove the outbox rows of seqs up to `acked` (head office acknowledged
 * them) whose inspection finished before cutoff_ms. Returns how many went
 * (0 when none), or -1 with "E261: …" in err; nothing goes on failure.
 */
int64_t retention_prune_outbox(struct store *st, int64_t acked, int64_t cutoff_ms, char *err,
                               size_t errlen);

/*
 * The plates whose label files may go: seqs after the last call's mark, up
 * to `acked`, finished before cutoff_ms, in seq order: fn(arg, plate) each,
 * then the mark moves on. Returns how many, or -1 with "E262: …" in err.
 */
int64_t retention_label_plates(struct store *st, int64_t acked, int64_t cutoff_ms,
                               void (*fn)(void *arg, const char *plate), void *arg, char *err,
                               size_t errlen);

#endif
