/*
 * fuzz_hid.c — libFuzzer target: the HID report decoders (boot keyboard and
 * HID POS) on arbitrary reports.
 *
 * Input: byte 0 picks the decoder, layout and suffix; then reports, each a
 * length byte (mod 70, so 8 and 64 come up often) followed by that many
 * bytes. Checked: no crash, and every delivered code is 1..SCAN_MAX_CODE
 * bytes with no NUL, CR or LF; keyboard codes are valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hid_keymap.h"
#include "scanner.h"

static int check_utf8;

static int utf8_valid(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = b[i];
        size_t k = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 9;
        if (k == 9 || i + k >= n + (k == 0))
            return 0;
        for (size_t j = 1; j <= k; j++)
            if ((b[i + j] & 0xC0) != 0x80)
                return 0;
        i += k + 1;
    }
    return 1;
}

static void on_code(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    if (len == 0 || len > SCAN_MAX_CODE || strlen(text) != len || memchr(text, '\r', len) ||
        memchr(text, '\n', len))
        abort();
    if (check_utf8 && !utf8_valid((const unsigned char *)text, len))
        abort();
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
    uint8_t mode = data[0];
    bool is_pos = mode & 1;
    int layout = (mode >> 1) % HID_LAYOUT_COUNT;
    enum scan_suffix suffix = (mode & 0x10) ? SCAN_SUFFIX_TAB : SCAN_SUFFIX_ENTER;
    static struct hidboot boot;
    static struct hidpos pos;
    hidboot_init(&boot, layout, suffix);
    hidpos_init(&pos);
    check_utf8 = 1;
    size_t i = 1;
    while (i < size) {
        size_t len = data[i++] % 70;
        if (len > size - i)
            len = size - i;
        if (is_pos)
            hidpos_feed(&pos, data + i, len, &sink);
        else
            hidboot_feed(&boot, data + i, len, &sink);
        i += len;
    }
    hidboot_abort(&boot, "E574", "end of input", &sink);
    hidpos_abort(&pos, "E574", "end of input", &sink);
    if (hidboot_pending(&boot) || hidpos_pending(&pos))
        abort();
    return 0;
}
