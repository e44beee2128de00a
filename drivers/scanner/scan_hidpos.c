/*
 * scan_hidpos.c — HID POS scanned-data reports to codes (prefix hidpos_).
 *
 * HID Point of Sale Usage Tables 1.02: usage page 0x8C, Bar Code Scanner
 * (0x02) collection, Scanned Data Report (0x12). Honeywell and Access-IS
 * scanners send it as report id 2 (layout in scanner.h); a message longer
 * than one report continues in the next ones, each with the "more follows"
 * flag set but the last. The AIM symbology identifier (ISO/IEC 15424:
 * "]C1" GS1-128, "]d2" GS1 DataMatrix, "]Q3" GS1 QR…) is kept at the front
 * of the code so the code parser knows GS1 data from plain text; in GS1
 * data FNC1 arrives as GS (0x1D) and is kept.
 */
#include <stdio.h>
#include <string.h>

#include "scanner.h"

void hidpos_init(struct hidpos *d)
{
    memset(d, 0, sizeof *d);
}

bool hidpos_pending(const struct hidpos *d)
{
    return d->active;
}

static void reject(const struct scan_sink *s, const char *id, const char *why)
{
    if (s && s->reject)
        s->reject(s->ctx, id, why);
}

void hidpos_abort(struct hidpos *d, const char *id, const char *why, const struct scan_sink *s)
{
    if (d->active) {
        char msg[160];
        snprintf(msg, sizeof msg, "%.100s; %zu bytes of a scanned message discarded", why, d->len);
        reject(s, id, msg);
    }
    d->len = 0;
    d->active = d->overlong = false;
}

static bool aim_ok(const uint8_t *a)
{
    if (a[0] == 0 && a[1] == 0 && a[2] == 0)
        return true;
    return a[0] == ']' && a[1] > 0x20 && a[1] < 0x7F && a[2] > 0x20 && a[2] < 0x7F;
}

void hidpos_feed(struct hidpos *d, const uint8_t *r, size_t len, const struct scan_sink *s)
{
    if (len == 0)
        return;
    if (r[0] != HIDPOS_REPORT_ID)
        return; /* trigger, status or other reports: not scanned data */
    char why[128];
    if (len < HIDPOS_HEADER + 1) {
        snprintf(why, sizeof why, "HID POS report of %zu bytes is too short", len);
        goto malformed;
    }
    size_t n = r[1], room = len - HIDPOS_HEADER - 1;
    if (n > room) {
        snprintf(why, sizeof why, "HID POS report says %zu data bytes, %zu fit", n, room);
        goto malformed;
    }
    if (!aim_ok(r + 2)) {
        snprintf(why, sizeof why, "HID POS report has a bad symbology id %02X %02X %02X", r[2],
                 r[3], r[4]);
        goto malformed;
    }
    const uint8_t *data = r + HIDPOS_HEADER;
    for (size_t i = 0; i < n; i++) {
        if (data[i] == 0) {
            snprintf(why, sizeof why, "HID POS data holds a NUL byte");
            goto malformed;
        }
    }
    bool more = r[len - 1] & 1;
    if (!d->active) {
        d->len = 0;
        d->overlong = false;
        if (r[2]) { /* the AIM id leads the code */
            memcpy(d->buf, r + 2, 3);
            d->len = 3;
        }
        d->active = true;
    }
    if (d->len + n > SCAN_MAX_CODE)
        d->overlong = true;
    else {
        memcpy(d->buf + d->len, data, n);
        d->len += n;
    }
    if (more)
        return;
    /* A scanner set up with a CR or LF suffix sends it as data: drop it. */
    while (d->len > 0 && (d->buf[d->len - 1] == '\r' || d->buf[d->len - 1] == '\n'))
        d->len--;
    const char *bad = d->overlong ? NULL : scan_text_problem(d->buf, d->len);
    if (d->overlong)
        reject(s, "E573", "scanned message longer than any barcode; discarded");
    else if (bad)
        reject(s, bad,
               strcmp(bad, "E578") == 0 ? "control byte in a scanned message; discarded"
                                        : "scanned message is not UTF-8; discarded");
    else if (d->len > 0 && s && s->code) {
        d->buf[d->len] = 0;
        s->code(s->ctx, d->buf, d->len);
    }
    d->len = 0;
    d->active = d->overlong = false;
    return;
malformed:
    if (d->active)
        hidpos_abort(d, "E576", why, s);
    else
        reject(s, "E576", why);
}
