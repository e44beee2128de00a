/*
 * datadir.c — the station's data folder (see datadir.h).
 */
#include "datadir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "text.h"

#define LOCK_NAME "station.lock"

const char *datadir_restore_hint(void)
{
    return "stop the station, keep this folder as it is, and put the last backup back:"
           " copy the file `triage backup FILE` made to DATA/triage.db (without its -wal and"
           " -shm files), then start the station again; outcomes already at head office are"
           " not lost";
}

/* What a folder may hold besides a database and still count as empty: our
 * own lock files, and what a file system puts in its root. */
static bool harmless(const char *name)
{
    return !strcmp(name, ".") || !strcmp(name, "..") || !strcmp(name, LOCK_NAME) ||
           !strcmp(name, "triage.db.sync-lock") || !strcmp(name, "lost+found");
}

/* The names in dir that are not harmless, as "labels/, spool/, …" into out
 * ("" when there are none). -1 when dir cannot be read. */
static int leftovers(const char *dir, char *out, size_t outlen)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    out[0] = 0;
    size_t n = 0;
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (harmless(de->d_name))
            continue;
        if (count < 6) {
            bool is_dir = de->d_type == DT_DIR;
            int w = snprintf(out + n, n < outlen ? outlen - n : 0, "%s%s%s", count ? ", " : "",
                             de->d_name, is_dir ? "/" : "");
            n += w > 0 ? (size_t)w : 0;
        } else if (count == 6) {
            int w = snprintf(out + n, n < outlen ? outlen - n : 0, ", …");
            n += w > 0 ? (size_t)w : 0;
        }
        count++;
    }
    closedir(d);
    return count;
}

/* Take the folder's lock; -1 with E910/E917 in err. */
static int take_lock(struct datadir *d, char *err, size_t errlen)
{
    char path[700];
    snprintf(path, sizeof path, "%s/" LOCK_NAME, d->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EROFS || errno == EACCES || errno == EPERM)) {
        set_err(err, errlen,
                "E913: the data folder %s cannot be written (%s): the station would lose its"
                " first save; check the mount (read-only?), the owner and the permissions",
                d->dir, strerror(errno));
        return -1;
    }
    if (fd < 0) {
        set_err(err, errlen, "E917: cannot make the station's lock file %s: %s", path,
                strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = 0;
        pid[strcspn(pid, "\n")] = 0;
        set_err(err, errlen,
                "E910: another station is running on %s%s%s: one station per data folder (stop"
                " it first, or give this one its own --data)",
                d->dir, pid[0] ? ", process " : "", pid);
        close(fd);
        return -1;
    }
    /* Who holds it, for the message a second one gives. */
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)len, 0) != len)
        (void)0; /* the lock holds without it */
    d->lock_fd = fd;
    return 0;
}

int datadir_open(const char *dir, enum datadir_use use, struct datadir *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->lock_fd = -1;
    if (strlen(dir) >= sizeof d->dir - 16) {
        set_err(err, errlen, "E918: the data folder's name is longer than %zu bytes",
                sizeof d->dir - 16);
        return -1;
    }
    snprintf(d->dir, sizeof d->dir, "%s", dir);
    snprintf(d->db_path, sizeof d->db_path, "%s/triage.db", dir);

    struct stat sb;
    bool exists = stat(dir, &sb) == 0;
    if (exists && !S_ISDIR(sb.st_mode)) {
        set_err(err, errlen, "E919: --data %s is not a folder", dir);
        return -1;
    }
    if (!exists && use == DATADIR_READ) {
        set_err(err, errlen,
                "E911: there is no data folder %s (no station database): check --data, or"
                " set the station up first (`triage operator add`)",
                dir);
        return -1;
    }
    if (!exists && mkdir(dir, 0750) != 0 && errno != EEXIST) {
        set_err(err, errlen, "E901: cannot create data folder %s: %s", dir, strerror(errno));
        return -1;
    }
    if (use == DATADIR_STATION && take_lock(d, err, errlen) < 0)
        return -1;

    if (stat(d->db_path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode)) {
            set_err(err, errlen, "E919: %s is not a file", d->db_path);
            goto fail;
        }
        return 0;
    }
    if (errno != ENOENT) {
        set_err(err, errlen, "E911: cannot look at %s: %s", d->db_path, strerror(errno));
        goto fail;
    }
    if (use == DATADIR_READ) {
        set_err(err, errlen,
                "E911: %s has no station database (triage.db): check --data; a command that"
                " reads a station never makes one",
                dir);
        goto fail;
    }
    /* No database: only an empty folder may get one. */
    char what[400];
    int n = leftovers(dir, what, sizeof what);
    if (n < 0) {
        set_err(err, errlen, "E911: cannot read the data folder %s: %s", dir, strerror(errno));
        goto fail;
    }
    if (n > 0) {
        set_err(err, errlen,
                "E912: %s has no triage.db but holds %s of an earlier station: a new database"
                " would number its plates from 000001 again, over those labels and outcomes."
                " If the database was lost, %s; else give an empty --data folder",
                dir, what, datadir_restore_hint());
        goto fail;
    }
    d->is_new = true;
    return 0;
fail:
    datadir_close(d);
    return -1;
}

void datadir_close(struct datadir *d)
{
    if (d && d->lock_fd >= 0) {
        close(d->lock_fd); /* the lock goes with it */
        d->lock_fd = -1;
    }
}

int64_t datadir_free_mb(const char *dir)
{
    struct statvfs v;
    if (statvfs(dir, &v) != 0)
        return -1;
    return (int64_t)((unsigned long long)v.f_bavail * v.f_frsize / (1024 * 1024));
}

int datadir_check_writable(const char *dir, char *err, size_t errlen)
{
    char path[700];
    snprintf(path, sizeof path, "%s/.write-test-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        set_err(err, errlen,
                "E913: the data folder %s cannot be written (%s): the station would lose its"
                " first save; check the mount (read-only?), the owner and the permissions",
                dir, strerror(errno));
        return -1;
    }
    close(fd);
    unlink(path);
    return 0;
}
