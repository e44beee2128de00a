/*
 * scan_serial.c — serial scanners: bytes to codes (prefix serframe_) and
 * the termios speed table.
 *
 * CDC-ACM (/dev/ttyACM*) and RS-232 scanners send a code followed by CR,
 * LF or CR LF (the scanner's "suffix" setting). Either ends a code; an
 * empty line between them is nothing. GS (0x1D, GS1 FNC1), RS (0x1E) and
 * EOT (0x04) belong to GS1 and ISO/IEC 15434 data and are kept, as is Tab;
 * any other control byte means line noise or a wrong baud rate, and the
 * code is rejected (E578), as is one that is not UTF-8 (E579).
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>

#include "scanner.h"
#include "text.h"

void serframe_init(struct serframe *f)
{
    memset(f, 0, sizeof *f);
}

bool serframe_pending(const struct serframe *f)
{
    return f->len > 0 || f->bad || f->overlong;
}

static void reject(const struct scan_sink *s, const char *id, const char *why)
{
    if (s && s->reject)
        s->reject(s->ctx, id, why);
}

static void reset(struct serframe *f)
{
    f->len = 0;
    f->bad = f->overlong = false;
    f->why_id = NULL;
    f->why[0] = 0;
}

void serframe_abort(struct serframe *f, const char *id, const char *why, const struct scan_sink *s)
{
    if (serframe_pending(f)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%.100s; %zu bytes discarded", why, f->len);
        reject(s, id, msg);
    }
    reset(f);
}


const char *scan_text_problem(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != 0x1D && c != 0x1E && c != 0x04 && c != '\t') || c == 0x7F)
            return "E578";
    }
    return utf8_valid(text, len) ? NULL : "E579";
}

static void end_code(struct serframe *f, const struct scan_sink *s)
{
    if (f->overlong)
        reject(s, "E573", "code longer than any barcode; discarded");
    else if (f->bad)
        reject(s, f->why_id, f->why);
    else if (f->len > 0) {
        if (!utf8_valid((const char *)f->buf, f->len))
            reject(s, "E579", "code is not UTF-8 (wrong scanner character set?); discarded");
        else if (s && s->code) {
            f->buf[f->len] = 0;
            s->code(s->ctx, f->buf, f->len);
        }
    }
    reset(f);
}

void serframe_feed(struct serframe *f, const uint8_t *bytes, size_t n, const struct scan_sink *s)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = bytes[i];
        if (c == '\r' || c == '\n') {
            end_code(f, s);
            continue;
        }
        if ((c < 0x20 && c != 0x1D && c != 0x1E && c != 0x04 && c != '\t') || c == 0x7F) {
            if (!f->bad) {
                f->bad = true;
                f->why_id = "E578";
                snprintf(f->why, sizeof f->why,
                         "control byte 0x%02X in a code (line noise or wrong baud rate?); "
                         "discarded",
                         c);
            }
            continue;
        }
        if (f->len >= SCAN_MAX_CODE) {
            f->overlong = true;
            continue;
        }
        f->buf[f->len++] = (char)c;
    }
}

unsigned serial_speed(int baud)
{
    static const struct {
        int baud;
        unsigned speed;
    } speeds[] = {
        {1200, B1200},     {2400, B2400},     {4800, B4800},     {9600, B9600},
        {19200, B19200},   {38400, B38400},   {57600, B57600},   {115200, B115200},
        {230400, B230400}, {460800, B460800}, {921600, B921600},
    };
    for (size_t i = 0; i < sizeof speeds / sizeof *speeds; i++)
        if (speeds[i].baud == baud)
            return speeds[i].speed;
    return 0;
}
