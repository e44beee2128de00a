/*
 * scan_evdev.c — the evdev kind: keyboard-wedge scanners seen as Linux
 * input devices, grabbed with EVIOCGRAB, and their decoder (prefix evdev_).
 *
 * Hardware: any scanner the kernel's HID driver already turned into an
 * input device (/dev/input/eventN, better by its stable name under
 * /dev/input/by-id/), for when libusb may not take it (usb-hid) or the
 * scanner is not USB (Bluetooth, PS/2). [scanner.NAME] device is the path;
 * layout and suffix as for usb-hid. The station's user needs the `input`
 * group.
 *
 * Protocol: struct input_event records (linux/input.h). EVIOCGRAB makes the
 * scanner's keys reach the station only, not the console or the UI as
 * typing (the kmsdrm video driver reads every input device); the grab is
 * let go when the station closes. Key codes
 * (linux/input-event-codes.h) become HID usages by the reverse of the
 * kernel's own hid_keyboard[] table (drivers/hid/hid-input.c), so the same
 * layout tables and hidkeys_ code framing as usb-hid (scan_usbhid.c) serve
 * both. Shift, Ctrl and Alt are tracked from their own key events; releases,
 * autorepeat and the lock keys type nothing. A missing device is "offline"
 * and looked for every second; a read error is a disconnection (E587).
 *
 * Tested: the key tables and the decoder by table in
 * tests/test_scan_decode.c; the device against an input device that
 * umockdev emulates from an evemu event file, EVIOCGRAB included
 * (tests/test_scan_evdev.c, tests/devices/evdev-kbd.*).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"
#include "scan_kind.h"
#include "scanner.h"

uint8_t evdev_key_to_usage(unsigned code)
{
    static const struct {
        unsigned short code;
        uint8_t usage;
    } map[] = {
        {KEY_A, 0x04},         {KEY_B, 0x05},         {KEY_C, 0x06},
        {KEY_D, 0x07},         {KEY_E, 0x08},         {KEY_F, 0x09},
        {KEY_G, 0x0A},         {KEY_H, 0x0B},         {KEY_I, 0x0C},
        {KEY_J, 0x0D},         {KEY_K, 0x0E},         {KEY_L, 0x0F},
        {KEY_M, 0x10},         {KEY_N, 0x11},         {KEY_O, 0x12},
        {KEY_P, 0x13},         {KEY_Q, 0x14},         {KEY_R, 0x15},
        {KEY_S, 0x16},         {KEY_T, 0x17},         {KEY_U, 0x18},
        {KEY_V, 0x19},         {KEY_W, 0x1A},         {KEY_X, 0x1B},
        {KEY_Y, 0x1C},         {KEY_Z, 0x1D},         {KEY_1, 0x1E},
        {KEY_2, 0x1F},         {KEY_3, 0x20},         {KEY_4, 0x21},
        {KEY_5, 0x22},         {KEY_6, 0x23},         {KEY_7, 0x24},
        {KEY_8, 0x25},         {KEY_9, 0x26},         {KEY_0, 0x27},
        {KEY_ENTER, 0x28},     {KEY_ESC, 0x29},       {KEY_BACKSPACE, 0x2A},
        {KEY_TAB, 0x2B},       {KEY_SPACE, 0x2C},     {KEY_MINUS, 0x2D},
        {KEY_EQUAL, 0x2E},     {KEY_LEFTBRACE, 0x2F}, {KEY_RIGHTBRACE, 0x30},
        {KEY_BACKSLASH, 0x31}, {KEY_SEMICOLON, 0x33}, {KEY_APOSTROPHE, 0x34},
        {KEY_GRAVE, 0x35},     {KEY_COMMA, 0x36},     {KEY_DOT, 0x37},
        {KEY_SLASH, 0x38},     {KEY_KPSLASH, 0x54},   {KEY_KPASTERISK, 0x55},
        {KEY_KPMINUS, 0x56},   {KEY_KPPLUS, 0x57},    {KEY_KPENTER, 0x58},
        {KEY_KP1, 0x59},       {KEY_KP2, 0x5A},       {KEY_KP3, 0x5B},
        {KEY_KP4, 0x5C},       {KEY_KP5, 0x5D},       {KEY_KP6, 0x5E},
        {KEY_KP7, 0x5F},       {KEY_KP8, 0x60},       {KEY_KP9, 0x61},
        {KEY_KP0, 0x62},       {KEY_KPDOT, 0x63},     {KEY_102ND, 0x64},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].code == code)
            return map[i].usage;
    return 0;
}

uint8_t evdev_key_to_mod(unsigned code)
{
    switch (code) {
    case KEY_LEFTCTRL: return HID_MOD_LCTRL;
    case KEY_LEFTSHIFT: return HID_MOD_LSHIFT;
    case KEY_LEFTALT: return HID_MOD_LALT;
    case KEY_RIGHTCTRL: return HID_MOD_RCTRL;
    case KEY_RIGHTSHIFT: return HID_MOD_RSHIFT;
    case KEY_RIGHTALT: return HID_MOD_RALT;
    default: return 0;
    }
}

/* ---- the decoder ----------------------------------------------------------- */

void evdev_keys_init(struct evdev_keys *k, int layout, enum scan_suffix suffix)
{
    memset(k, 0, sizeof *k);
    hidkeys_init(&k->keys, layout, suffix);
}

bool evdev_keys_pending(const struct evdev_keys *k)
{
    return hidkeys_pending(&k->keys);
}

void evdev_keys_abort(struct evdev_keys *k, const char *id, const char *why,
                      const struct scan_sink *s)
{
    hidkeys_abort(&k->keys, id, why, s);
}

void evdev_keys_feed(struct evdev_keys *k, const void *events, size_t len,
                     const struct scan_sink *s)
{
    const unsigned char *p = events;
    for (size_t off = 0; off + sizeof(struct input_event) <= len;
         off += sizeof(struct input_event)) {
        struct input_event ev;
        memcpy(&ev, p + off, sizeof ev);
        if (ev.type != EV_KEY)
            continue;
        uint8_t mod = evdev_key_to_mod(ev.code);
        if (mod) {
            k->mods = ev.value ? (uint8_t)(k->mods | mod) : (uint8_t)(k->mods & ~mod);
            continue;
        }
        if (ev.value != 1) /* releases and autorepeat */
            continue;
        if (ev.code == KEY_NUMLOCK || ev.code == KEY_CAPSLOCK || ev.code == KEY_SCROLLLOCK)
            continue;
        hidkeys_press(&k->keys, evdev_key_to_usage(ev.code), k->mods, s);
    }
}

/* ---- the kind ------------------------------------------------------------ */

struct evdev_dev {
    struct scan_dev base;
    struct evdev_keys dec;
};

static void ev_reset(struct scan_dev *d)
{
    evdev_keys_init(&((struct evdev_dev *)d)->dec, scan_dev_layout(d), scan_dev_suffix(d));
}

static int ev_init(struct scan_dev *d, char *err, size_t errlen)
{
    ev_reset(d);
    return scan_dev_check_path(d, err, errlen);
}

static void ev_feed(struct scan_dev *d, const uint8_t *data, size_t len)
{
    evdev_keys_feed(&((struct evdev_dev *)d)->dec, data, len, &d->sink);
}

static void ev_abort(struct scan_dev *d, const char *id, const char *why)
{
    evdev_keys_abort(&((struct evdev_dev *)d)->dec, id, why, &d->sink);
}

static bool ev_pending(struct scan_dev *d)
{
    return evdev_keys_pending(&((struct evdev_dev *)d)->dec);
}

static void ev_open(struct scan_dev *d)
{
    char detail[96];
    int fd = scan_dev_open_path(d, O_RDONLY | O_NONBLOCK | O_CLOEXEC, "E586");
    if (fd < 0)
        return;
    /* Grab: the scanner's keys then reach us only, not the console or the
     * UI as typing (the kmsdrm video driver reads every input device). */
    if (ioctl(fd, EVIOCGRAB, 1) != 0)
        log_error("E586",
                  "scanner %s: cannot grab %s (%s); its scans may also arrive as "
                  "typing",
                  d->cfg.name, d->cfg.device, strerror(errno));
    d->fd = fd;
    scan_dev_reset(d);
    snprintf(detail, sizeof detail, "%.90s", d->cfg.device);
    scan_dev_state(d, "ready", detail);
}

static void ev_input(struct scan_dev *d)
{
    struct input_event ev[64];
    for (;;) {
        ssize_t n = read(d->fd, ev, sizeof ev);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            log_error("E587", "scanner %s: %s: %s", d->cfg.name, d->cfg.device,
                      n == 0 ? "disconnected" : strerror(errno));
            scan_dev_lost(d, "disconnected");
            return;
        }
        scan_dev_feed(d, (const uint8_t *)ev, (size_t)n);
    }
}

static void ev_release(struct scan_dev *d)
{
    if (d->fd < 0)
        return;
    ioctl(d->fd, EVIOCGRAB, 0);
    close(d->fd);
    d->fd = -1;
}

const struct scan_kind_ops scan_evdev_kind = {
    .type = "evdev",
    .size = sizeof(struct evdev_dev),
    .init = ev_init,
    .reset = ev_reset,
    .feed = ev_feed,
    .abort = ev_abort,
    .pending = ev_pending,
    .open = ev_open,
    .input = ev_input,
    .release = ev_release,
};
