/*
 * test_buf.c — the growable buffer: appends of bytes, text and printf
 * output (short, and longer than the room left), reserving and writing in
 * place, reset, take and free, and what an empty buffer gives.
 */
#include "buf.h"
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_append(void)
{
    struct buf b = {0};
    CHECK_STR(buf_str(&b), "");
    buf_adds(&b, "^XA\n");
    buf_printf(&b, "^PW%d\n", 812);
    buf_add(&b, "a\0b", 3); /* bytes, NUL included */
    CHECK_INT(b.len, 4 + 7 + 3);
    CHECK(memcmp(b.data, "^XA\n^PW812\na\0b", 14) == 0);
    CHECK(b.data[b.len] == 0);
    CHECK(!b.oom);

    /* printf output longer than the room left: grown and printed whole. */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    size_t before = b.len;
    buf_printf(&b, "[%s|%d]", big, 42);
    CHECK_INT(b.len, before + 1 + 2999 + 4);
    CHECK(b.data[before] == '[' && memcmp(b.data + b.len - 4, "|42]", 4) == 0);
    CHECK(b.data[b.len] == 0);

    /* Many appends: every byte kept, in order. */
    buf_reset(&b);
    CHECK_INT(b.len, 0);
    CHECK_STR(buf_str(&b), "");
    int bad = 0;
    for (int i = 0; i < 100000; i++) {
        char n[16];
        int k = snprintf(n, sizeof n, "%d,", i % 10);
        buf_add(&b, n, (size_t)k);
    }
    CHECK_INT(b.len, 200000);
    for (size_t i = 0; i < b.len; i += 2)
        bad += b.data[i] != (char)('0' + (i / 2) % 10) || b.data[i + 1] != ',';
    CHECK_INT(bad, 0);
    CHECK(b.cap > b.len && b.cap < 4 * b.len); /* doubling, not one realloc a byte */
    buf_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
    buf_free(&b); /* twice is fine */
}

static void test_reserve(void)
{
    struct buf b = {0};
    CHECK_INT(buf_reserve(&b, 100000), 0);
    CHECK(b.cap >= 100001);
    size_t cap = b.cap;
    /* Writing in place after a reserve, as a reader filling from a file does. */
    memset(b.data + b.len, 'z', 100000);
    b.len += 100000;
    b.data[b.len] = 0;
    CHECK_INT(strlen(buf_str(&b)), 100000);
    CHECK_INT(buf_reserve(&b, 0), 0);
    CHECK_INT(b.cap, cap); /* nothing more was needed */
    /* A size no memory can hold: refused, oom set, the contents kept. */
    CHECK(buf_reserve(&b, (size_t)-1) < 0);
    CHECK(b.oom);
    buf_adds(&b, "more");
    CHECK_INT(b.len, 100000);
    size_t n = 7;
    CHECK(buf_take(&b, &n) == NULL); /* after oom: nothing to hand over */
    CHECK_INT(n, 0);
    CHECK(b.data == NULL && !b.oom);
}

static void test_take(void)
{
    struct buf b = {0};
    size_t n = 99;
    char *s = buf_take(&b, &n); /* empty: "" */
    CHECK(s && s[0] == 0 && n == 0);
    free(s);
    buf_printf(&b, "%s-%06d", "SH01-S03", 42);
    s = buf_take(&b, &n);
    CHECK_STR(s, "SH01-S03-000042");
    CHECK_INT(n, 15);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
    free(s);
    buf_adds(&b, "again"); /* usable after a take */
    CHECK_STR(buf_str(&b), "again");
    s = buf_take(&b, NULL);
    CHECK_STR(s, "again");
    free(s);
}

int main(void)
{
    test_append();
    test_reserve();
    test_take();
    return harness_done();
}
