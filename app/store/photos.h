/*
 * photos.h — evidence photos on the station: the JPEG files in the data
 * folder's photos/ and the lists of them an inspection carries.
 *
 * A photo is on disk for good the moment it is taken: photos_put writes the
 * JPEG as "photos/take-<ms>-<n>.jpg" (fsync'ed, with its folder), and the
 * inspection in progress (and its draft) names it so, so that neither a
 * logout nor a power cut loses it. The commit of the inspection gives each
 * photo its name for good, "photos/<plate>-<n>.jpg" (n from 1, in the order
 * of insp->photos[]): a hard link made and fsync'ed inside the commit's
 * transaction, before COMMIT, so that a saved record never names a file that
 * is not on disk; the take names are removed after COMMIT. A photo file is
 * never changed afterwards; its SHA-256 is in the record, which the audit
 * chain covers, and sync sends it to head office with its outcome.
 *
 * Error ids E965–E979.
 */
#ifndef TRIAGE_PHOTOS_H
#define TRIAGE_PHOTOS_H

#include <stddef.h>

#include "inspection.h"
#include "store.h"

/* The longest JPEG the station keeps (a 1280x720 camera frame is ~200 KB). */
#define PHOTO_MAX_BYTES (16u * 1024 * 1024)

/* Keep a photo just taken for the answer to `check`: the JPEG's bytes
 * (jpeg[0..len), which must start with SOI FFD8 and end with EOI FFD9) into
 * a new file of photos/, durably. Photos are the first to give way when the
 * disk is nearly full: with less than min_free_mb free in the data folder
 * (0: no floor) none is written (E979), the room left is for saves. Fills
 * *out (check, the file's name relative to the data folder, its SHA-256).
 * 0, or -1 with "E96x: …" in err (nothing is left behind). */
int photos_put(struct store *st, const void *jpeg, size_t len, const char *check, int min_free_mb,
               struct photo_ref *out, char *err, size_t errlen);

/* The data folder of st (the folder of its database file), where the
 * photos' file names start: a photo is at "<photos_data_dir>/<file>". */
const char *photos_data_dir(const struct store *st);

/* Whether `file` is a name photos_put or a commit gives ("photos/<name>.jpg",
 * no other folder, no "..") and sha a SHA-256 in lower-case hex. */
int photos_ref_valid(const struct photo_ref *p);

/* The SHA-256 of data[0..len) into hex[65]. */
void photos_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
