/*
 * scan_hidpos.c — the hid-pos kind: USB scanners in HID Point of Sale mode,
 * read through libusb, and their decoder (prefix hidpos_).
 *
 * Hardware: Honeywell (e.g. VID 0c2e PID 0b61) and Access-IS scanners set
 * to "HID POS" instead of keyboard emulation. [scanner.NAME] device is the
 * VID:PID, or "any" for the first HID interface that is not a boot
 * keyboard. Unlike a keyboard, the scanner sends the code's bytes as they
 * are (GS1 separators included) and says which symbology it read.
 *
 * Protocol: HID Point of Sale Usage Tables 1.02: usage page 0x8C, Bar Code
 * Scanner (0x02) collection, Scanned Data Report (0x12). After the claim,
 * SET_IDLE(0) (HID 1.11 §7.2.4); then one interrupt IN transfer at a time
 * (scan_usb.c) of up to 64 bytes. The scanners send the report as report
 * id 2 (layout in scanner.h); a message longer than one report continues in
 * the next ones, each with the "more follows" flag set but the last. The
 * AIM symbology identifier (ISO/IEC 15424: "]C1" GS1-128, "]d2" GS1
 * DataMatrix, "]Q3" GS1 QR…) is kept at the front of the code so the code
 * parser knows GS1 data from plain text; in GS1 data FNC1 arrives as GS
 * (0x1D) and is kept.
 *
 * Tested: the decoder by table in tests/test_scan_decode.c and by
 * libFuzzer (tests/fuzz/fuzz_hid.c); the device against emulated scanners:
 * a umockdev replay of a GS1-128 message across three reports
 * (tests/test_scan_usb.c, tests/devices/pos.*) and an interactive virtual
 * scanner plugged in beside a keyboard one (tests/test_scan_hotplug.c).
 */
#include <stdio.h>
#include <string.h>

#include "scan_kind.h"
#include "scan_usb.h"
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

/* ---- the kind ------------------------------------------------------------ */

struct hidpos_dev {
    struct scan_usb_dev usb;
    struct hidpos dec;
};

/* With device = any: a HID interface that is not a boot keyboard. */
static bool hidpos_claims(const struct scan_usb_iface *i)
{
    return !(i->subclass == 1 && i->protocol == 1);
}

static void hidpos_setup(struct libusb_device_handle *h, const struct scan_usb_iface *i)
{
    scan_usb_hid_request(h, i, SCAN_HID_SET_IDLE, 0);
}

static const struct scan_usb_kind hidpos_usb = {.claims = hidpos_claims, .setup = hidpos_setup};

static void pos_reset(struct scan_dev *d)
{
    hidpos_init(&((struct hidpos_dev *)d)->dec);
}

static int pos_init(struct scan_dev *d, char *err, size_t errlen)
{
    pos_reset(d);
    return scan_usb_dev_init(&((struct hidpos_dev *)d)->usb, &hidpos_usb, err, errlen);
}

static void pos_feed(struct scan_dev *d, const uint8_t *data, size_t len)
{
    hidpos_feed(&((struct hidpos_dev *)d)->dec, data, len, &d->sink);
}

static void pos_abort(struct scan_dev *d, const char *id, const char *why)
{
    hidpos_abort(&((struct hidpos_dev *)d)->dec, id, why, &d->sink);
}

static bool pos_pending(struct scan_dev *d)
{
    return hidpos_pending(&((struct hidpos_dev *)d)->dec);
}

const struct scan_kind_ops scan_hidpos_kind = {
    .type = "hid-pos",
    .size = sizeof(struct hidpos_dev),
    .init = pos_init,
    .reset = pos_reset,
    .feed = pos_feed,
    .abort = pos_abort,
    .pending = pos_pending,
    .attach = scan_usb_attach,
    .detach = scan_usb_detach,
    .tick = scan_usb_tick,
    .release = scan_usb_release,
};
