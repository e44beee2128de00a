/*
 * scan_kind.h — the interface between the scanner manager and the kinds of
 * scanner it runs (private to drivers/scanner).
 *
 * A kind is one file holding both its device I/O and its decoder:
 *   usb-hid  scan_usbhid.c  USB HID boot keyboard, libusb (with scan_usb.c)
 *   hid-pos  scan_hidpos.c  USB HID POS scanned-data reports, libusb (with scan_usb.c)
 *   serial   scan_serial.c  CDC-ACM or RS-232 tty, termios
 *   evdev    scan_evdev.c   Linux input device, EVIOCGRAB
 * Each exports one `const struct scan_kind_ops`; the manager (scanners.c)
 * knows a kind only through it, as printer.c knows a transport through
 * prn_ops. The libusb context, hotplug and event handling that both USB
 * kinds need are scan_usb.c's (scan_usb.h).
 *
 * The manager allocates a kind's struct (ops->size bytes, zeroed), which
 * begins with a `struct scan_dev`, fills the common fields and calls
 * ops->init. From then on:
 *   - decoder functions (reset, feed, abort, pending) run under d->dec_mu,
 *     which the manager takes: kinds call scan_dev_feed() and friends,
 *     never ops->feed directly;
 *   - device functions (open, input, attach, detach, tick) run on the
 *     scanner thread; release also runs from scanners_close() after the
 *     thread has stopped.
 * Two families of device I/O share the interface:
 *   path kinds (serial, evdev) set `open` and `input`: the manager retries
 *     open every SCAN_RETRY_MS while d->fd < 0 and polls d->fd;
 *   USB kinds set `attach`, `detach` and `tick`: the manager offers every
 *     USB device that arrives to each USB scanner without one, tells the
 *     holder of a device that left, and ticks each once a loop turn.
 */
#ifndef TRIAGE_SCAN_KIND_H
#define TRIAGE_SCAN_KIND_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hid_keymap.h"
#include "scanner.h"

/* A missing path scanner is looked for again this often (ms). */
#define SCAN_RETRY_MS 1000

struct scanners;
struct scan_usb;
struct libusb_device;

/* One configured scanner. Kinds extend it: their struct begins with it. */
struct scan_dev {
    const struct scan_kind_ops *ops;
    struct scanner_opts cfg;
    struct scan_sink sink;     /* the manager's: codes to its queue, rejections counted */
    int fd;                    /* path kinds: the open device, -1 when none */
    struct libusb_device *usb; /* USB kinds: the device held (referenced), NULL when none */

    /* The manager's own; kinds do not touch them. */
    struct scanners *m;
    pthread_mutex_t dec_mu;  /* the decoder: scanner thread and scanners_inject_report */
    int64_t last_data;       /* clock_mono_ms of the last data of a pending code */
    int64_t next_try;        /* path kinds: when to try open again */
    struct scanner_state st; /* under the manager's lock */
};

struct scan_kind_ops {
    const char *type; /* as [scanner.NAME] type says */
    size_t size;      /* of the kind's struct, which begins with struct scan_dev */

    /* Check d->cfg and set the decoder up; no device is touched. Returns 0,
     * or -1 with "E59x: …" in err (E590 bad device text, E592 bad baud). */
    int (*init)(struct scan_dev *d, char *err, size_t errlen);

    /* The decoder, under d->dec_mu: start afresh (a device was opened),
     * decode bytes as the device delivered them, drop a half code (with id
     * and reason to d->sink when there was one), and whether a code is half
     * done. */
    void (*reset)(struct scan_dev *d);
    void (*feed)(struct scan_dev *d, const uint8_t *data, size_t len);
    void (*abort)(struct scan_dev *d, const char *id, const char *why);
    bool (*pending)(struct scan_dev *d);

    /* Path kinds. open: try cfg.device; on success set d->fd, reset the
     * decoder and the state "ready"; else leave d->fd -1 with the state set
     * (scan_dev_open_path). input: d->fd is readable; read all there is. */
    void (*open)(struct scan_dev *d);
    void (*input)(struct scan_dev *d);

    /* USB kinds. attach: a device is there that no scanner holds; open it
     * when it is this scanner's and return true when d->usb is now set.
     * detach: d->usb left (called from libusb's hotplug callback: no libusb
     * calls). tick: once a loop turn, tidy up after a departed device. */
    bool (*attach)(struct scan_dev *d, struct scan_usb *bus, struct libusb_device *dev);
    void (*detach)(struct scan_dev *d);
    void (*tick)(struct scan_dev *d, int64_t now);

    /* Let go of the device, if any: it went away (path kinds) or the
     * station is closing. The decoder's half code is the caller's. */
    void (*release)(struct scan_dev *d);
};

extern const struct scan_kind_ops scan_usbhid_kind;
extern const struct scan_kind_ops scan_hidpos_kind;
extern const struct scan_kind_ops scan_serial_kind;
extern const struct scan_kind_ops scan_evdev_kind;

/* The keyboard layout and suffix a keyboard kind types with. */
static inline int scan_dev_layout(const struct scan_dev *d)
{
    int layout = hid_layout_from_name(d->cfg.layout);
    return layout < 0 ? HID_LAYOUT_US : layout;
}

static inline enum scan_suffix scan_dev_suffix(const struct scan_dev *d)
{
    return strcmp(d->cfg.suffix, "tab") == 0 ? SCAN_SUFFIX_TAB : SCAN_SUFFIX_ENTER;
}

/* ---- what the manager offers the kinds (scanners.c) ---------------------- */

/* Set the state shown for the scanner ("ready", "offline", "error") with a
 * detail; logs (I570 ready, W570 otherwise) and wakes the main loop when it
 * changed. */
void scan_dev_state(struct scan_dev *d, const char *state, const char *detail);

/* Decode data from the device (under dec_mu) and note the time for the
 * stall check. */
void scan_dev_feed(struct scan_dev *d, const uint8_t *data, size_t len);

/* Drop a half code, if any, with an error id and reason. */
void scan_dev_abort(struct scan_dev *d, const char *id, const char *why);

/* Start the decoder afresh. */
void scan_dev_reset(struct scan_dev *d);

/* Path kinds. E590 in err unless cfg.device is a path: 0 or -1. */
int scan_dev_check_path(const struct scan_dev *d, char *err, size_t errlen);

/* Path kinds: open cfg.device with open(2) flags. A missing device is
 * "offline" (unplugged); any other failure an "error" logged with `id`.
 * Returns the fd, or -1 with the state set. */
int scan_dev_open_path(struct scan_dev *d, int flags, const char *id);

/* Path kinds: the device went away (read error, hang-up): release it, drop
 * the half code (E575), show "offline" with `why`, try again in
 * SCAN_RETRY_MS. */
void scan_dev_lost(struct scan_dev *d, const char *why);

#endif
