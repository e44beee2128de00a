/*
 * atomic_file.c — a file that appears whole or not at all (atomic_file.h).
 *
 * Invariant: fd is open and tmp names the temporary file from open until
 * commit or abort; failed is set once a step failed, and from then on only
 * abort (or the commit that ends in it) is done with the handle.
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

#define BUF_SIZE 65536

struct atomic_file {
    int fd;
    bool failed;
    const struct atomic_file_ids *ids;
    char path[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX];
    size_t used;
    char buf[BUF_SIZE];
};

/* "<id>: <what>: <reason>" into err for a failed step; returns -errnum. */
static int step_failed(const struct atomic_file_ids *ids, enum atomic_file_step step, int errnum,
                       const char *what, char *err, size_t errlen)
{
    const char *id = ids ? ids->id[step] : NULL;
    set_err(err, errlen, "%s%s%s: %s", id ? id : "", id ? ": " : "", what, strerror(errnum));
    return -errnum;
}

static int fail(struct atomic_file *f, enum atomic_file_step step, int errnum, char *err,
                size_t errlen)
{
    char what[PATH_MAX * 2 + 64];
    switch (step) {
    case ATOMIC_FILE_CREATE:
        snprintf(what, sizeof what, "cannot create a temporary file in %s", f->dir);
        break;
    case ATOMIC_FILE_WRITE: snprintf(what, sizeof what, "cannot write %s", f->path); break;
    case ATOMIC_FILE_SYNC: snprintf(what, sizeof what, "cannot fsync %s", f->path); break;
    case ATOMIC_FILE_CLOSE: snprintf(what, sizeof what, "cannot close %s", f->path); break;
    case ATOMIC_FILE_RENAME:
        snprintf(what, sizeof what, "cannot rename %s into %s", f->tmp, f->path);
        break;
    case ATOMIC_FILE_SYNC_DIR:
    case ATOMIC_FILE_STEPS:
        snprintf(what, sizeof what, "cannot fsync the folder %s", f->dir);
        break;
    }
    f->failed = true;
    return step_failed(f->ids, step, errnum, what, err, errlen);
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int atomic_file_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) != 0 ? -errno : 0;
    close(fd);
    return rc;
}

int atomic_file_open(const char *path, const struct atomic_file_ids *ids, struct atomic_file **out,
                     char *err, size_t errlen)
{
    *out = NULL;
    struct atomic_file *f = malloc(sizeof *f);
    if (!f)
        return step_failed(ids, ATOMIC_FILE_CREATE, ENOMEM, "cannot start a file", err, errlen);
    f->fd = -1;
    f->failed = false;
    f->ids = ids;
    f->used = 0;
    /* The folder of path ("." for a bare name), and the temporary name in it. */
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    int dirlen = !slash ? 1 : slash == path ? 1 : (int)(slash - path);
    const char *dir = !slash ? "." : path;
    bool named = *name && snprintf(f->path, sizeof f->path, "%s", path) < (int)sizeof f->path &&
                 snprintf(f->dir, sizeof f->dir, "%.*s", dirlen, dir) < (int)sizeof f->dir &&
                 snprintf(f->tmp, sizeof f->tmp, "%s/.tmp-%s.XXXXXX",
                          strcmp(f->dir, "/") ? f->dir : "", name) < (int)sizeof f->tmp;
    if (!named) {
        int rc = step_failed(ids, ATOMIC_FILE_CREATE, *name ? ENAMETOOLONG : EINVAL,
                             "cannot name a temporary file", err, errlen);
        free(f);
        return rc;
    }
    f->fd = mkostemp(f->tmp, O_CLOEXEC);
    if (f->fd < 0) {
        int rc = fail(f, ATOMIC_FILE_CREATE, errno, err, errlen);
        free(f);
        return rc;
    }
    *out = f;
    return 0;
}

static int flush(struct atomic_file *f, char *err, size_t errlen)
{
    int rc = f->used ? write_all(f->fd, f->buf, f->used) : 0;
    f->used = 0;
    return rc ? fail(f, ATOMIC_FILE_WRITE, -rc, err, errlen) : 0;
}

int atomic_file_write(struct atomic_file *f, const void *data, size_t len, char *err, size_t errlen)
{
    if (f->failed)
        return -EIO;
    if (f->used + len > BUF_SIZE) {
        int rc = flush(f, err, errlen);
        if (rc)
            return rc;
    }
    if (len >= BUF_SIZE) { /* big pieces go straight through */
        int rc = write_all(f->fd, data, len);
        return rc ? fail(f, ATOMIC_FILE_WRITE, -rc, err, errlen) : 0;
    }
    memcpy(f->buf + f->used, data, len);
    f->used += len;
    return 0;
}

int atomic_file_commit(struct atomic_file *f, char *err, size_t errlen)
{
    if (f->failed) {
        atomic_file_abort(f);
        return -EIO;
    }
    int rc = flush(f, err, errlen);
    if (rc == 0 && (fchmod(f->fd, 0644) != 0 || fsync(f->fd) != 0))
        rc = fail(f, ATOMIC_FILE_SYNC, errno, err, errlen);
    int fd = f->fd;
    f->fd = -1;
    if (close(fd) != 0 && rc == 0)
        rc = fail(f, ATOMIC_FILE_CLOSE, errno, err, errlen);
    if (rc == 0 && rename(f->tmp, f->path) != 0)
        rc = fail(f, ATOMIC_FILE_RENAME, errno, err, errlen);
    if (rc) {
        unlink(f->tmp);
        free(f);
        return rc;
    }
    int drc = atomic_file_sync_dir(f->dir);
    if (drc)
        rc = fail(f, ATOMIC_FILE_SYNC_DIR, -drc, err, errlen);
    free(f);
    return rc;
}

void atomic_file_abort(struct atomic_file *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    unlink(f->tmp);
    free(f);
}

int atomic_file_put(const char *path, const void *data, size_t len,
                    const struct atomic_file_ids *ids, char *err, size_t errlen)
{
    struct atomic_file *f;
    int rc = atomic_file_open(path, ids, &f, err, errlen);
    if (rc)
        return rc;
    rc = atomic_file_write(f, data, len, err, errlen);
    if (rc) {
        atomic_file_abort(f);
        return rc;
    }
    return atomic_file_commit(f, err, errlen);
}
