/*
 * buf.h — a growable byte buffer: append bytes, text or printf output,
 * reserve room ahead, then take the bytes or free them.
 *
 * A transparent struct the caller owns (on its stack or inside its own
 * object); zero-initialised it is empty and ready ({0}). Appends never fail
 * loudly: when memory runs out the buffer keeps what it had, stops taking
 * more and sets `oom`, so a caller appends a whole document and checks once
 * at the end. After any append `data` is NUL-terminated (the NUL is not
 * counted in len), so text can be handed on as a C string.
 *
 * Not thread-safe; no locks.
 */
#ifndef TRIAGE_BUF_H
#define TRIAGE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data; /* malloc'd; NULL until the first append or reserve */
    size_t len; /* bytes held */
    size_t cap; /* bytes allocated (room for len + 1) */
    bool oom;   /* an append or reserve failed; nothing more is taken */
};

/* Make room for `more` bytes after len (plus the NUL), growing by doubling.
 * Returns 0, or -ENOMEM and sets oom. A caller may then write up to `more`
 * bytes at data + len itself and add them to len. */
int buf_reserve(struct buf *b, size_t more);

/* Append n bytes of data (which may hold NUL bytes). */
void buf_add(struct buf *b, const void *data, size_t n);

/* Append the string s. */
void buf_adds(struct buf *b, const char *s);

/* Append printf output. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empty the buffer but keep its memory; oom is cleared. */
void buf_reset(struct buf *b);

/* The bytes as a C string: data, or "" while nothing is held. */
const char *buf_str(const struct buf *b);

/* Hand the bytes over: returns data (malloc'd, NUL-terminated; the caller
 * frees it) and its length in *len (len may be NULL), and leaves b empty.
 * After oom it frees what was held and returns NULL. Never NULL otherwise:
 * an empty buffer gives "". */
char *buf_take(struct buf *b, size_t *len);

/* Free the bytes and leave b empty; the struct itself is the caller's. */
void buf_free(struct buf *b);

#endif
