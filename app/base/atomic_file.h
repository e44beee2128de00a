/*
 * atomic_file.h — a file that appears whole or not at all, and survives a
 * power cut once it has appeared.
 *
 * The bytes go to a temporary file in the same folder as the final name (so
 * the rename never crosses file systems), named ".tmp-<name>.XXXXXX": the
 * leading "." keeps it out of `ls *.png` and of readers that glob, and a
 * process that dies leaves only such names behind. Committing flushes,
 * fsyncs and closes the temporary file, renames it over the final name
 * (replacing an older file of that name atomically, POSIX rename(2)), then
 * fsyncs the folder so that the rename itself is on disk. A reader sees the
 * old file or the new one, never a part.
 *
 * Writes are buffered (64 KiB): many small writes cost few system calls.
 *
 * Errors name the step that failed ("cannot fsync …", "cannot rename …")
 * with the id the caller gives for that step (struct atomic_file_ids), so
 * each module keeps the ids of its own range. A failed step removes the
 * temporary file; nothing is left behind but the old file, if any.
 *
 * One handle is used by one thread at a time.
 */
#ifndef TRIAGE_ATOMIC_FILE_H
#define TRIAGE_ATOMIC_FILE_H

#include <stddef.h>

/* The steps of one atomic write, in order. */
enum atomic_file_step {
    ATOMIC_FILE_CREATE,   /* make the temporary file */
    ATOMIC_FILE_WRITE,    /* write the bytes */
    ATOMIC_FILE_SYNC,     /* fsync the temporary file */
    ATOMIC_FILE_CLOSE,    /* close it */
    ATOMIC_FILE_RENAME,   /* rename it over the final name */
    ATOMIC_FILE_SYNC_DIR, /* fsync the folder */
    ATOMIC_FILE_STEPS
};

/* The caller's error id for each step ("E632", …), put in front of the
 * message; a NULL id (or a NULL table) gives the message alone. */
struct atomic_file_ids {
    const char *id[ATOMIC_FILE_STEPS];
};

struct atomic_file;

/* Start writing `path` (its folder must exist), mode 0644 once in place.
 * Returns 0 and *out, or a negative errno code with the message in err
 * (err may be NULL). */
int atomic_file_open(const char *path, const struct atomic_file_ids *ids, struct atomic_file **out,
                     char *err, size_t errlen);

/* Append len bytes. 0, or a negative errno code with the message in err; the
 * handle then only takes atomic_file_abort. */
int atomic_file_write(struct atomic_file *f, const void *data, size_t len, char *err,
                      size_t errlen);

/* Put the file in place (flush, fsync, close, rename, fsync the folder) and
 * free the handle, whatever the outcome. 0 once the file is in place and on
 * disk, or a negative errno code with the message in err (the temporary file
 * is removed, unless the rename was done and only the folder's fsync failed). */
int atomic_file_commit(struct atomic_file *f, char *err, size_t errlen);

/* Give up: close and remove the temporary file, free the handle. NULL is fine. */
void atomic_file_abort(struct atomic_file *f);

/* The whole write in one call: data[0..len) into path. 0, or a negative errno
 * code with the failed step's message in err. */
int atomic_file_put(const char *path, const void *data, size_t len,
                    const struct atomic_file_ids *ids, char *err, size_t errlen);

/* fsync the folder `dir`, so that renames into or out of it are on disk
 * (for files moved with rename(2) by hand). 0 or a negative errno code. */
int atomic_file_sync_dir(const char *dir);

#endif
