/*
 * prn_folder.c — the folder printer: each label as files in a folder.
 *
 * <dir>/<name>.png and <dir>/<name>.zpl, each written atomically
 * (atomic_file.h): a temporary ".tmp-<name>.<ext>.XXXXXX" in the same folder,
 * fsync'ed, renamed over the final name, then the folder fsync'ed so the
 * rename itself survives a power cut. Temporary names start with "." so
 * `ls *.png` never shows them; a failed send removes its own.
 */
#include "printer.h"

#include "atomic_file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct prn_folder {
    struct prn base; /* first: a struct prn * is a struct prn_folder * */
    char dir[PATH_MAX];
};

/* mkdir -p: make `dir` and its missing parents. 0 or -errno. */
static int make_dirs(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return -ENAMETOOLONG;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return -errno;
    struct stat st;
    if (stat(path, &st) != 0)
        return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* The folder printer's ids for the steps of an atomic write. */
static const struct atomic_file_ids put_ids = {{
    [ATOMIC_FILE_CREATE] = "E632",
    [ATOMIC_FILE_WRITE] = "E633",
    [ATOMIC_FILE_SYNC] = "E634",
    [ATOMIC_FILE_CLOSE] = "E635",
    [ATOMIC_FILE_RENAME] = "E636",
    [ATOMIC_FILE_SYNC_DIR] = "E637",
}};

/* Write data to <dir>/<name>.<ext>, atomically. */
static int put_file(const struct prn_folder *f, const char *name, const char *ext,
                    const void *data, size_t len, char *err, size_t errlen)
{
    char final[PATH_MAX];
    if (snprintf(final, sizeof final, "%s/%s.%s", f->dir, name, ext) >= (int)sizeof final - 16) {
        snprintf(err, errlen, "E639: job name %.60s makes too long a path", name);
        return -ENAMETOOLONG;
    }
    return atomic_file_put(final, data, len, &put_ids, err, errlen);
}

static int folder_send(struct prn *t, const struct prn_job *job, char *err, size_t errlen)
{
    struct prn_folder *f = (struct prn_folder *)t;
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    if (!prn_job_name_ok(job->name)) {
        snprintf(err, errlen, "E638: job name \"%.60s\" cannot name a file",
                 job->name ? job->name : "");
        return -EINVAL;
    }
    if (!job->zpl && !job->png) {
        snprintf(err, errlen, "E640: job %s has neither ZPL nor PNG", job->name);
        return -EINVAL;
    }
    /* The PNG first: a reader that waits for the .zpl finds both. */
    int rc = 0;
    if (job->png)
        rc = put_file(f, job->name, "png", job->png, job->png_len, err, errlen);
    if (rc == 0 && job->zpl)
        rc = put_file(f, job->name, "zpl", job->zpl, job->zpl_len, err, errlen);
    return rc;
}

static int folder_status(struct prn *t, struct printer_status *st)
{
    struct prn_folder *f = (struct prn_folder *)t;
    memset(st, 0, sizeof *st);
    if (access(f->dir, W_OK | X_OK) == 0) {
        st->state = PRINTER_READY;
        return 0;
    }
    int rc = -errno;
    st->state = PRINTER_ERROR;
    snprintf(st->detail, sizeof st->detail, "E642: cannot write to %.100s: %s", f->dir,
             strerror(-rc));
    return 0;
}

static void folder_close(struct prn *t)
{
    free(t);
}

static const struct prn_ops folder_ops = {
    .type = "folder",
    .formats = PRN_ZPL | PRN_PNG,
    .send = folder_send,
    .status = folder_status,
    .close = folder_close,
};

struct prn *prn_folder_open(const char *dir, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    if (!dir || !*dir || strlen(dir) > PATH_MAX - 128) {
        snprintf(err, errlen, "E631: bad label folder \"%.100s\"", dir ? dir : "");
        return NULL;
    }
    int rc = make_dirs(dir);
    if (rc) {
        snprintf(err, errlen, "E630: cannot make label folder %s: %s", dir, strerror(-rc));
        return NULL;
    }
    struct prn_folder *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "E641: out of memory");
        return NULL;
    }
    f->base.ops = &folder_ops;
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    return &f->base;
}
