/*
 * retention.h — what the station may let go of, and only once head office
 * has it: outbox rows (their record stays in inspections, byte for byte),
 * label files and evidence photos (photos.h), after [retention] days; and
 * the photos taken that nothing names any more.
 *
 * Table retention (one row): outbox_upto, every outbox row up to that seq
 * was removed on purpose (the outbox's delete trigger refuses any other);
 * labels_upto, the label files and the photo files of every inspection up
 * to that seq are gone. Each removal of outbox rows is an audit row
 * "outbox_pruned" with detail {"upto":N}, so the audit chain (audit.h)
 * tells a pruned row from a deleted one.
 *
 * Error ids: E261 (outbox), E262 (labels and photos), E264 (take files).
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
 * then the mark moves on. The photo files of those inspections (the names
 * their rows hold) are removed here, and counted into *photos (may be NULL);
 * one that cannot be removed is logged (W947) and left. Returns how many
 * plates, or -1 with "E262: …" in err.
 */
int64_t retention_label_plates(struct store *st, int64_t acked, int64_t cutoff_ms,
                               void (*fn)(void *arg, const char *plate), void *arg, int64_t *photos,
                               char *err, size_t errlen);

/* The seq up to which retention let go of label and photo files (0: none
 * yet): a photo of such an outcome that is missing was removed on purpose.
 * -1 when it cannot be read. */
int64_t retention_photos_gone(struct store *st);

/*
 * Remove the take files (photos/take-*.jpg, photos.h) last changed before
 * cutoff_ms that no draft and no inspection names: a photo retaken, an
 * inspection given up, a take whose commit was cut before its take name
 * went. Returns how many went, or -1 with "E264: …" in err.
 */
int64_t retention_prune_takes(struct store *st, int64_t cutoff_ms, char *err, size_t errlen);

/* The bytes the photos folder holds (for the low-disk warning), -1 when it
 * cannot be read. */
int64_t retention_photos_bytes(struct store *st);

#endif
