/*
 * file_map.h — a whole file, mapped read-only.
 *
 * The screens and the labels open one font file at several sizes. Opening
 * each size from the file itself makes FreeType read it in small seeks and
 * reads (thousands of system calls at start); from a mapping it reads memory,
 * only the pages it touches are loaded, and every process that maps the
 * same file shares them.
 */
#ifndef TRIAGE_FILE_MAP_H
#define TRIAGE_FILE_MAP_H

#include <stddef.h>

struct file_map {
    const void *data; /* NULL when not mapped */
    size_t len;
};

/* Map the file at `path`. Returns 0 and fills *out, or -1 with errno set
 * (an empty file is EINVAL) and *out zeroed. */
int file_map_open(const char *path, struct file_map *out);

/* Unmap; a zeroed or closed map is fine. Leaves *m zeroed. */
void file_map_close(struct file_map *m);

#endif
