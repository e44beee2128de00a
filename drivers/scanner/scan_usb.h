/*
 * scan_usb.h — the libusb plumbing both USB scanner kinds share (private to
 * drivers/scanner; scan_usb.c).
 *
 * Two halves:
 *   struct scan_usb      the bus: one libusb context for the manager, its
 *                        hotplug callback, its file descriptors and event
 *                        handling, all on the scanner thread.
 *   struct scan_usb_dev  one USB scanner (usb-hid or hid-pos): finding its
 *                        HID interface, opening and claiming it, one
 *                        interrupt IN transfer in flight, resubmitted as it
 *                        completes, and tidying up when the device leaves.
 * A USB kind's struct begins with a struct scan_usb_dev and sets its
 * scan_kind_ops' attach, detach, tick and release to the scan_usb_
 * functions below; what is its own — which interface it reads with
 * device = any, the class requests that set it up, its decoder — it gives
 * in a struct scan_usb_kind and its ops.
 *
 * Pitfalls of libusb under emulation (umockdev), heeded here: the kernel
 * driver is detached by hand, never with auto-detach; only one transfer is
 * in flight per device.
 */
#ifndef TRIAGE_SCAN_USB_H
#define TRIAGE_SCAN_USB_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "scan_kind.h"

struct libusb_device_handle;
struct libusb_transfer;

/* ---- the bus ------------------------------------------------------------- */

/* Where the bus reports devices: `arrived` for each device that came (and,
 * without hotplug, for every device on the bus while the manager looks for
 * one), `left` for each that went. Both get the manager's ctx; `left` runs
 * inside libusb's hotplug callback. */
struct scan_usb_hooks {
    void *ctx;
    void (*arrived)(void *ctx, struct libusb_device *dev);
    void (*left)(void *ctx, struct libusb_device *dev);
};

/* Start libusb. Returns the bus, or NULL (logged, E588): the station then
 * runs with its USB scanners offline. */
struct scan_usb *scan_usb_start(const struct scan_usb_hooks *hooks);

/* On the scanner thread, once: ask libusb for hotplug events, devices
 * already there included. Without hotplug (logged, E588) the bus lists the
 * devices once a second while the manager looks for one. */
void scan_usb_listen(struct scan_usb *u);

/* Once a loop turn, before polling: report the devices that arrived since
 * the last turn; without hotplug, and when `looking` (a USB scanner has no
 * device), every device on the bus once every SCAN_RETRY_MS. */
void scan_usb_service(struct scan_usb *u, bool looking, int64_t now);

/* libusb's file descriptors into pfd (at most room of them), and its next
 * timeout into *timeout_ms when sooner. Returns how many were added. */
int scan_usb_pollfds(struct scan_usb *u, struct pollfd *pfd, int room, int *timeout_ms);

/* Handle what libusb has ready (completed transfers, hotplug), waiting at
 * most wait_ms. */
void scan_usb_handle(struct scan_usb *u, int wait_ms);

/* Stop hotplug and libusb. Every scanner must have released its device.
 * NULL is fine. */
void scan_usb_stop(struct scan_usb *u);

/* ---- one USB scanner ----------------------------------------------------- */

/* A HID interface as the device describes it (HID 1.11 §4.2–4.3). */
struct scan_usb_iface {
    uint8_t number;
    uint8_t subclass; /* 1 = boot interface */
    uint8_t protocol; /* with subclass 1: 1 keyboard, 2 mouse */
};

struct scan_usb_kind {
    /* With device = any: whether this HID interface is one of this kind's. */
    bool (*claims)(const struct scan_usb_iface *i);
    /* After the claim, before reading: class requests that set the device
     * up. Devices may stall them; that is not an error. */
    void (*setup)(struct libusb_device_handle *h, const struct scan_usb_iface *i);
};

struct scan_usb_dev {
    struct scan_dev base;
    const struct scan_usb_kind *kind;
    struct scan_usb *bus; /* set while a device is held */
    bool any;             /* device = any (or ""): the first of this kind */
    int vid, pid;
    struct libusb_device_handle *h;
    uint8_t iface, ep;
    int maxpkt;
    struct libusb_transfer *xfer;
    uint8_t buf[64];
    bool xfer_busy, gone, cancel_sent, clear_halt;
    bool detached;      /* we took the interface from the kernel's driver */
    int64_t gone_since; /* clock_mono_ms when gone was first seen in a tick */
    int xfer_errors;
};

/* For a kind's init: read cfg.device ("VID:PID" in hex, "any" or "") into
 * u, and remember the kind. 0, or -1 with "E590: …" in err. */
int scan_usb_dev_init(struct scan_usb_dev *u, const struct scan_usb_kind *kind, char *err,
                      size_t errlen);

/* The scan_kind_ops device functions of every USB kind. */
bool scan_usb_attach(struct scan_dev *d, struct scan_usb *bus, struct libusb_device *dev);
void scan_usb_detach(struct scan_dev *d);
void scan_usb_tick(struct scan_dev *d, int64_t now);
void scan_usb_release(struct scan_dev *d);

/* A HID class request with no data to the interface (HID 1.11 §7.2):
 * SET_IDLE 0x0A, SET_PROTOCOL 0x0B. The result is ignored: devices may
 * stall requests they do not support. */
void scan_usb_hid_request(struct libusb_device_handle *h, const struct scan_usb_iface *i,
                          uint8_t request, uint16_t value);

#define SCAN_HID_SET_IDLE 0x0A
#define SCAN_HID_SET_PROTOCOL 0x0B

#endif
