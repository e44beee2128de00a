/*
 * fuzz_serial.c — libFuzzer target: the serial framer on arbitrary bytes,
 * fed in arbitrary pieces.
 *
 * Input: byte 0 is the piece size (1..256); the rest is the byte stream.
 * Checked: no crash; every delivered code is 1..SCAN_MAX_CODE bytes of valid
 * UTF-8 with no CR, LF, NUL or control byte but GS, RS, EOT and Tab.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scanner.h"

static void on_code(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    if (len == 0 || len > SCAN_MAX_CODE || strlen(text) != len)
        abort();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != 0x1D && c != 0x1E && c != 0x04 && c != '\t') || c == 0x7F)
            abort();
    }
    /* UTF-8: every lead byte has its continuation bytes */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)text[i];
        size_t k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        if (c >= 0x80 && c < 0xC2)
            abort();
        if (i + k >= len + (k == 0))
            abort();
        for (size_t j = 1; j <= k; j++)
            if (((unsigned char)text[i + j] & 0xC0) != 0x80)
                abort();
        i += k + 1;
    }
}

static void on_reject(void *ctx, const char *id, const char *why)
{
    (void)ctx;
    if (!id || id[0] != 'E' || !why)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const struct scan_sink sink = {NULL, on_code, on_reject};
    size_t piece = (size_t)data[0] + 1;
    static struct serframe f;
    serframe_init(&f);
    for (size_t i = 1; i < size; i += piece) {
        size_t n = size - i < piece ? size - i : piece;
        serframe_feed(&f, data + i, n, &sink);
    }
    serframe_abort(&f, "E574", "end of input", &sink);
    if (serframe_pending(&f))
        abort();
    return 0;
}
