/*
 * file_map.c — a whole file, mapped read-only (see the header).
 */
#include "file_map.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int file_map_open(const char *path, struct file_map *out)
{
    out->data = NULL;
    out->len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0)
        goto out;
    if (!S_ISREG(st.st_mode) || st.st_size <= 0) {
        errno = EINVAL;
        goto out;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        goto out;
    out->data = p;
    out->len = (size_t)st.st_size;
    rc = 0;
out:;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

void file_map_close(struct file_map *m)
{
    if (m && m->data)
        munmap((void *)m->data, m->len);
    if (m) {
        m->data = NULL;
        m->len = 0;
    }
}
