/*
 * buf.c — a growable byte buffer (buf.h).
 *
 * Invariant: data is NULL and cap 0, or data holds cap bytes with len < cap
 * and data[len] == 0.
 */
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN 256

int buf_reserve(struct buf *b, size_t more)
{
    if (b->oom)
        return -ENOMEM;
    if (more >= SIZE_MAX - b->len) {
        b->oom = true;
        return -ENOMEM;
    }
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    /* Double (appends stay amortised O(1)), or take what is asked when more. */
    size_t cap = !b->cap ? BUF_MIN : b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
    if (cap < need)
        cap = need;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return -ENOMEM;
    }
    b->data = p;
    b->cap = cap;
    b->data[b->len] = 0;
    return 0;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
    if (buf_reserve(b, n) != 0)
        return;
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    if (buf_reserve(b, 0) != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = 0;
        return;
    }
    if ((size_t)n >= b->cap - b->len) { /* it did not fit: grow and print again */
        if (buf_reserve(b, (size_t)n) != 0) {
            b->data[b->len] = 0;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->oom = false;
    if (b->data)
        b->data[0] = 0;
}

const char *buf_str(const struct buf *b)
{
    return b->data ? b->data : "";
}

char *buf_take(struct buf *b, size_t *len)
{
    char *p = NULL;
    size_t n = 0;
    if (!b->oom && buf_reserve(b, 0) == 0) {
        p = b->data;
        n = b->len;
        b->data = NULL;
    }
    buf_free(b);
    if (len)
        *len = n;
    return p;
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}
