/*
 * scan_usbhid.c — the usb-hid kind: barcode scanners that are USB HID boot
 * keyboards (most handheld scanners out of the box), read through libusb,
 * and their decoder (prefixes hidkeys_, hidboot_).
 *
 * Hardware: any USB scanner whose HID interface has subclass 1, protocol 1
 * (HID 1.11 §4.2–4.3), e.g. VID 05e0 PID 1200. [scanner.NAME] device is its
 * VID:PID, or "any" for the first boot-keyboard interface. The interface is
 * taken from the kernel's keyboard driver while the station runs (and given
 * back at the end), so its scans do not also arrive as typing.
 *
 * Protocol: after the claim, SET_PROTOCOL(0) (HID 1.11 §7.2.6) selects the
 * 8-byte boot report whatever the report descriptor says, and SET_IDLE(0)
 * (§7.2.4) asks for reports only on change; then one interrupt IN transfer
 * at a time (scan_usb.c).
 *
 * Boot keyboard input report (HID 1.11, appendix B.1): byte 0 modifier
 * bits, byte 1 reserved, bytes 2–7 the usages of the keys held down. A key
 * is pressed when its usage appears that was not in the previous report, so
 * a doubled character needs a release report in between — which scanners
 * send. All six slots 0x01 (ErrorRollOver), 0x02 or 0x03 is the keyboard's
 * error state (HID Usage Tables 1.4, table 12): the code being typed cannot
 * be trusted and is dropped.
 *
 * hidkeys_ turns presses into a code: characters by layout (hid_keymap.c),
 * the code ends at the configured suffix (Enter, keypad Enter, or Tab). A
 * key with no character, a code past SCAN_MAX_CODE or an abort (stall,
 * unplug) rejects the whole code: a half code is never delivered. The evdev
 * kind types through hidkeys_ too.
 *
 * Tested: the decoder by table in tests/test_scan_decode.c and by
 * libFuzzer (tests/fuzz/fuzz_hid.c); the device against emulated scanners:
 * umockdev replays of US and German layouts (tests/test_scan_usb.c,
 * tests/devices/kbd-*), interactive virtual devices plugged and pulled
 * (tests/test_scan_hotplug.c) and the whole station (tests/test_scan_e2e.c).
 */
#include <stdio.h>
#include <string.h>

#include "hid_keymap.h"
#include "scan_kind.h"
#include "scan_usb.h"
#include "scanner.h"
#include "utf8.h"

static void reset(struct hidkeys *k)
{
    k->len = 0;
    k->bad = k->overlong = false;
    k->why[0] = 0;
    k->why_id = NULL;
}

void hidkeys_init(struct hidkeys *k, int layout, enum scan_suffix suffix)
{
    memset(k, 0, sizeof *k);
    k->layout = layout;
    k->suffix = suffix;
}

bool hidkeys_pending(const struct hidkeys *k)
{
    return k->len > 0 || k->bad || k->overlong;
}

static void reject(const struct scan_sink *s, const char *id, const char *why)
{
    if (s && s->reject)
        s->reject(s->ctx, id, why);
}

void hidkeys_abort(struct hidkeys *k, const char *id, const char *why, const struct scan_sink *s)
{
    if (hidkeys_pending(k)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%.100s; %zu characters discarded", why, k->len);
        reject(s, id, msg);
    }
    reset(k);
}

static void end_code(struct hidkeys *k, const struct scan_sink *s)
{
    if (k->overlong)
        reject(s, "E573", "code longer than any barcode; discarded");
    else if (k->bad)
        reject(s, k->why_id ? k->why_id : "E572", k->why);
    else if (k->len > 0 && s && s->code) {
        k->buf[k->len] = 0;
        s->code(s->ctx, k->buf, k->len);
    }
    reset(k);
}

void hidkeys_press(struct hidkeys *k, uint8_t usage, uint8_t mods, const struct scan_sink *s)
{
    bool is_end = k->suffix == SCAN_SUFFIX_TAB
                      ? usage == HID_USAGE_TAB
                      : usage == HID_USAGE_ENTER || usage == HID_USAGE_KP_ENTER;
    if (is_end) {
        end_code(k, s);
        return;
    }
    /* The other suffix key inside a code is data we cannot show: Tab in an
     * Enter-ended code is kept as a Tab character, Enter in a Tab-ended one
     * ends nothing and is a bad key. Modifier usages (0xE0–0xE7) come in the
     * modifier byte, never as presses; ignore them if a device sends both. */
    if (usage >= 0xE0 && usage <= 0xE7)
        return;
    uint32_t c = usage == HID_USAGE_TAB ? '\t' : hid_usage_to_char(k->layout, usage, mods);
    bool ok_ctrl = c == 0x1D || c == 0x1E || c == 0x04 || c == '\t';
    if (c == 0 || (c < 0x20 && !ok_ctrl)) {
        if (!k->bad) {
            k->bad = true;
            k->why_id = "E572";
            snprintf(k->why, sizeof k->why,
                     "key usage 0x%02X (modifiers 0x%02X) has no character; code discarded", usage,
                     mods);
        }
        return;
    }
    if (k->overlong)
        return;
    char tmp[UTF8_MAX];
    size_t n = utf8_encode(c, tmp);
    if (k->len + n > SCAN_MAX_CODE) {
        k->overlong = true;
        return;
    }
    memcpy(k->buf + k->len, tmp, n);
    k->len += n;
}

/* ---- boot reports ------------------------------------------------------ */

void hidboot_init(struct hidboot *d, int layout, enum scan_suffix suffix)
{
    memset(d, 0, sizeof *d);
    hidkeys_init(&d->keys, layout, suffix);
}

bool hidboot_pending(const struct hidboot *d)
{
    return hidkeys_pending(&d->keys);
}

void hidboot_abort(struct hidboot *d, const char *id, const char *why, const struct scan_sink *s)
{
    hidkeys_abort(&d->keys, id, why, s);
    memset(d->prev, 0, sizeof d->prev);
}

void hidboot_feed(struct hidboot *d, const uint8_t *r, size_t len, const struct scan_sink *s)
{
    if (len != 8) {
        char why[96];
        snprintf(why, sizeof why, "malformed keyboard report of %zu bytes (want 8)", len);
        if (hidkeys_pending(&d->keys))
            hidboot_abort(d, "E570", why, s);
        else
            reject(s, "E570", why);
        memset(d->prev, 0, sizeof d->prev);
        return;
    }
    const uint8_t *keys = r + 2;
    if (keys[0] >= HID_USAGE_ERR_ROLLOVER && keys[0] <= HID_USAGE_ERR_UNDEFINED) {
        hidboot_abort(d, "E571", "keyboard reported a rollover or POST error mid-code", s);
        return;
    }
    for (int i = 0; i < 6; i++) {
        uint8_t u = keys[i];
        if (u == 0)
            continue;
        bool held = false;
        for (int j = 0; j < 6; j++)
            held |= d->prev[j] == u;
        if (!held)
            hidkeys_press(&d->keys, u, r[0], s);
    }
    memcpy(d->prev, keys, 6);
}

/* ---- the kind ------------------------------------------------------------ */

struct usbhid {
    struct scan_usb_dev usb;
    struct hidboot dec;
};

/* With device = any: a boot keyboard (HID 1.11 §4.2–4.3). */
static bool usbhid_claims(const struct scan_usb_iface *i)
{
    return i->subclass == 1 && i->protocol == 1;
}

static void usbhid_setup(struct libusb_device_handle *h, const struct scan_usb_iface *i)
{
    /* A boot-subclass interface read as a keyboard: SET_PROTOCOL(0), the
     * boot protocol, gives the 8-byte report whatever its descriptor says. */
    if (i->subclass == 1)
        scan_usb_hid_request(h, i, SCAN_HID_SET_PROTOCOL, 0);
    scan_usb_hid_request(h, i, SCAN_HID_SET_IDLE, 0);
}

static const struct scan_usb_kind usbhid_usb = {.claims = usbhid_claims, .setup = usbhid_setup};

static void usbhid_reset(struct scan_dev *d)
{
    hidboot_init(&((struct usbhid *)d)->dec, scan_dev_layout(d), scan_dev_suffix(d));
}

static int usbhid_init(struct scan_dev *d, char *err, size_t errlen)
{
    usbhid_reset(d);
    return scan_usb_dev_init(&((struct usbhid *)d)->usb, &usbhid_usb, err, errlen);
}

static void usbhid_feed(struct scan_dev *d, const uint8_t *data, size_t len)
{
    hidboot_feed(&((struct usbhid *)d)->dec, data, len, &d->sink);
}

static void usbhid_abort(struct scan_dev *d, const char *id, const char *why)
{
    hidboot_abort(&((struct usbhid *)d)->dec, id, why, &d->sink);
}

static bool usbhid_pending(struct scan_dev *d)
{
    return hidboot_pending(&((struct usbhid *)d)->dec);
}

const struct scan_kind_ops scan_usbhid_kind = {
    .type = "usb-hid",
    .size = sizeof(struct usbhid),
    .init = usbhid_init,
    .reset = usbhid_reset,
    .feed = usbhid_feed,
    .abort = usbhid_abort,
    .pending = usbhid_pending,
    .attach = scan_usb_attach,
    .detach = scan_usb_detach,
    .tick = scan_usb_tick,
    .release = scan_usb_release,
};
