/*
 * scan_usb.c — libusb for the USB scanner kinds (usb-hid, hid-pos): the
 * bus (context, hotplug, events) and the device I/O they share (prefix
 * scan_usb_). See scan_usb.h.
 *
 * Devices are found through libusb hotplug (LIBUSB_HOTPLUG_ENUMERATE for
 * those already there); the callback only queues an arrival, and the
 * manager hands it to its scanners from its loop, where libusb_open may be
 * called. Without hotplug the bus is listed once a second while a USB
 * scanner has no device.
 *
 * A held device is read with one asynchronous interrupt IN transfer,
 * resubmitted from its completion: one URB in flight per device. A device
 * that leaves (hotplug, or LIBUSB_TRANSFER_NO_DEVICE) or keeps failing is
 * marked gone; its next tick cancels the transfer, waits for it (2 s at
 * most) and closes the device, dropping a half code (E575).
 *
 * Everything here runs on the scanner thread, except scan_usb_release and
 * scan_usb_stop, which run after the thread has stopped.
 *
 * Error ids: E580–E583, E588 (ERRORS.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "log.h"
#include "scan_usb.h"

#define MAX_ARRIVED 16
#define MAX_XFER_ERRORS 5

struct scan_usb {
    libusb_context *ctx;
    struct scan_usb_hooks hooks;
    libusb_hotplug_callback_handle hotplug;
    bool has_hotplug, registered;
    int64_t next_enum;
    libusb_device *arrived[MAX_ARRIVED]; /* referenced until reported */
    int narrived;
};

/* ---- the bus ------------------------------------------------------------- */

struct scan_usb *scan_usb_start(const struct scan_usb_hooks *hooks)
{
    struct scan_usb *u = calloc(1, sizeof *u);
    if (!u) {
        log_error("E588", "cannot start libusb: out of memory; USB scanners stay offline");
        return NULL;
    }
    u->hooks = *hooks;
    int rc = libusb_init(&u->ctx);
    if (rc != 0) {
        /* The station still runs: its USB scanners show offline. */
        log_error("E588", "cannot start libusb: %s; USB scanners stay offline",
                  libusb_error_name(rc));
        free(u);
        return NULL;
    }
    u->has_hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG);
    return u;
}

static int LIBUSB_CALL hotplug_cb(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user)
{
    (void)ctx;
    struct scan_usb *u = user;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) {
        /* libusb_open is not for this callback: report it from the loop. */
        if (u->narrived < MAX_ARRIVED)
            u->arrived[u->narrived++] = libusb_ref_device(dev);
    } else if (u->hooks.left) {
        u->hooks.left(u->hooks.ctx, dev);
    }
    return 0;
}

void scan_usb_listen(struct scan_usb *u)
{
    if (!u || !u->has_hotplug)
        return;
    int rc = libusb_hotplug_register_callback(
        u->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        LIBUSB_HOTPLUG_MATCH_ANY, hotplug_cb, u, &u->hotplug);
    if (rc != 0) {
        log_error("E588",
                  "USB hotplug not available (%s); looking for scanners every "
                  "second instead",
                  libusb_error_name(rc));
        u->has_hotplug = false;
        return;
    }
    u->registered = true;
}

void scan_usb_service(struct scan_usb *u, bool looking, int64_t now)
{
    for (int i = 0; i < u->narrived; i++) {
        u->hooks.arrived(u->hooks.ctx, u->arrived[i]);
        libusb_unref_device(u->arrived[i]);
    }
    u->narrived = 0;
    if (!looking || u->has_hotplug || now < u->next_enum)
        return;
    u->next_enum = now + SCAN_RETRY_MS;
    libusb_device **list;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    for (ssize_t i = 0; i < n; i++)
        u->hooks.arrived(u->hooks.ctx, list[i]);
    if (n >= 0)
        libusb_free_device_list(list, 1);
}

int scan_usb_pollfds(struct scan_usb *u, struct pollfd *pfd, int room, int *timeout_ms)
{
    int n = 0;
    const struct libusb_pollfd **ufds = libusb_get_pollfds(u->ctx);
    for (int i = 0; ufds && ufds[i] && n < room; i++)
        pfd[n++] = (struct pollfd){.fd = ufds[i]->fd, .events = ufds[i]->events};
    libusb_free_pollfds(ufds);
    struct timeval tv;
    if (libusb_get_next_timeout(u->ctx, &tv) == 1) {
        int ms = (int)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
        if (ms < *timeout_ms)
            *timeout_ms = ms;
    }
    return n;
}

void scan_usb_handle(struct scan_usb *u, int wait_ms)
{
    struct timeval tv = {wait_ms / 1000, (wait_ms % 1000) * 1000};
    libusb_handle_events_timeout_completed(u->ctx, &tv, NULL);
}

void scan_usb_stop(struct scan_usb *u)
{
    if (!u)
        return;
    for (int i = 0; i < u->narrived; i++)
        libusb_unref_device(u->arrived[i]);
    if (u->registered)
        libusb_hotplug_deregister_callback(u->ctx, u->hotplug);
    libusb_exit(u->ctx);
    free(u);
}

/* ---- one USB scanner ----------------------------------------------------- */

int scan_usb_dev_init(struct scan_usb_dev *u, const struct scan_usb_kind *kind, char *err,
                      size_t errlen)
{
    const struct scanner_opts *cfg = &u->base.cfg;
    u->kind = kind;
    u->any = cfg->device[0] == 0 || strcmp(cfg->device, "any") == 0;
    if (u->any)
        return 0;
    unsigned v, p;
    char tail;
    if (sscanf(cfg->device, "%4x:%4x%c", &v, &p, &tail) != 2) {
        snprintf(err, errlen,
                 "E590: [scanner.%s] device = %s: a USB scanner is VID:PID in hex "
                 "(e.g. 05e0:1200) or any",
                 cfg->name, cfg->device);
        return -1;
    }
    u->vid = (int)v;
    u->pid = (int)p;
    return 0;
}

/* Find the scanner's interface and interrupt IN endpoint on dev. */
static bool match(struct scan_usb_dev *u, libusb_device *dev, struct scan_usb_iface *found_if,
                  uint8_t *ep, int *maxpkt)
{
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) != 0)
        return false;
    if (!u->any && (dd.idVendor != u->vid || dd.idProduct != u->pid))
        return false;
    struct libusb_config_descriptor *cd;
    if (libusb_get_active_config_descriptor(dev, &cd) != 0 &&
        libusb_get_config_descriptor(dev, 0, &cd) != 0)
        return false;
    bool found = false;
    for (int i = 0; i < cd->bNumInterfaces && !found; i++) {
        if (cd->interface[i].num_altsetting < 1)
            continue;
        const struct libusb_interface_descriptor *id = &cd->interface[i].altsetting[0];
        if (id->bInterfaceClass != LIBUSB_CLASS_HID)
            continue;
        struct scan_usb_iface hid = {.number = id->bInterfaceNumber,
                                     .subclass = id->bInterfaceSubClass,
                                     .protocol = id->bInterfaceProtocol};
        /* With `any`, the kind says which HID interfaces are its own. */
        if (u->any && !u->kind->claims(&hid))
            continue;
        for (int e = 0; e < id->bNumEndpoints; e++) {
            const struct libusb_endpoint_descriptor *ed = &id->endpoint[e];
            if ((ed->bEndpointAddress & LIBUSB_ENDPOINT_IN) &&
                (ed->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_INTERRUPT) {
                *found_if = hid;
                *ep = ed->bEndpointAddress;
                *maxpkt = ed->wMaxPacketSize > 64 ? 64 : ed->wMaxPacketSize;
                found = *maxpkt > 0;
                break;
            }
        }
    }
    libusb_free_config_descriptor(cd);
    return found;
}

static void LIBUSB_CALL xfer_done(struct libusb_transfer *t);

static int submit(struct scan_usb_dev *u)
{
    libusb_fill_interrupt_transfer(u->xfer, u->h, u->ep, u->buf, u->maxpkt, xfer_done, u, 0);
    int rc = libusb_submit_transfer(u->xfer);
    u->xfer_busy = rc == 0;
    return rc;
}

static void LIBUSB_CALL xfer_done(struct libusb_transfer *t)
{
    struct scan_usb_dev *u = t->user_data;
    struct scan_dev *d = &u->base;
    u->xfer_busy = false;
    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        u->xfer_errors = 0;
        scan_dev_feed(d, t->buffer, (size_t)t->actual_length);
        if (!u->gone && submit(u) != 0) {
            log_error("E582", "scanner %s: cannot read the next report", d->cfg.name);
            u->gone = true;
        }
        return;
    case LIBUSB_TRANSFER_STALL:
        scan_dev_abort(d, "E583", "the scanner stalled its endpoint mid-code");
        log_warn("W571", "scanner %s: endpoint stalled; clearing it", d->cfg.name);
        u->clear_halt = true;
        return;
    case LIBUSB_TRANSFER_NO_DEVICE:
        scan_dev_abort(d, "E575", "the scanner was unplugged mid-code");
        u->gone = true;
        return;
    case LIBUSB_TRANSFER_CANCELLED: return;
    default:
        scan_dev_abort(d, "E582", "a USB transfer failed mid-code");
        if (++u->xfer_errors >= MAX_XFER_ERRORS || u->gone || submit(u) != 0) {
            log_error("E582", "scanner %s: USB transfers keep failing (%s); reopening", d->cfg.name,
                      libusb_error_name(t->status));
            u->gone = true;
        }
        return;
    }
}

/* Close the held device (if any) and forget it. */
static void close_dev(struct scan_usb_dev *u)
{
    if (u->h) {
        libusb_release_interface(u->h, u->iface);
        /* Still plugged in (the station is closing): give the scanner back
         * to the kernel, so it types as a keyboard again. */
        if (u->detached && !u->gone)
            libusb_attach_kernel_driver(u->h, u->iface);
        libusb_close(u->h);
    }
    u->detached = false;
    libusb_free_transfer(u->xfer);
    if (u->base.usb)
        libusb_unref_device(u->base.usb);
    u->h = NULL;
    u->xfer = NULL;
    u->base.usb = NULL;
    u->bus = NULL;
    u->gone = u->cancel_sent = u->clear_halt = u->xfer_busy = false;
    u->gone_since = 0;
}

bool scan_usb_attach(struct scan_dev *d, struct scan_usb *bus, struct libusb_device *dev)
{
    struct scan_usb_dev *u = (struct scan_usb_dev *)d;
    struct scan_usb_iface hid = {0};
    int maxpkt = 0;
    uint8_t ep = 0;
    if (d->usb || !match(u, dev, &hid, &ep, &maxpkt))
        return false;
    char where[96], detail[96];
    struct libusb_device_descriptor dd;
    libusb_get_device_descriptor(dev, &dd);
    snprintf(where, sizeof where, "%04x:%04x bus %d dev %d", dd.idVendor, dd.idProduct,
             libusb_get_bus_number(dev), libusb_get_device_address(dev));
    libusb_device_handle *h = NULL;
    int rc = libusb_open(dev, &h);
    if (rc != 0) {
        log_error("E580", "scanner %s: cannot open %s: %s%s", d->cfg.name, where,
                  libusb_error_name(rc),
                  rc == LIBUSB_ERROR_ACCESS ? " (install 70-triage-scanners.rules)" : "");
        snprintf(detail, sizeof detail, "E580 %s", libusb_error_name(rc));
        scan_dev_state(d, "error", detail);
        return false;
    }
    /* Not libusb_set_auto_detach_kernel_driver: it makes the claim fail
     * under emulation (umockdev). */
    bool detached = libusb_kernel_driver_active(h, hid.number) == 1 &&
                    libusb_detach_kernel_driver(h, hid.number) == 0;
    rc = libusb_claim_interface(h, hid.number);
    if (rc != 0) {
        log_error("E581", "scanner %s: cannot claim interface %d of %s: %s", d->cfg.name,
                  hid.number, where, libusb_error_name(rc));
        snprintf(detail, sizeof detail, "E581 %s", libusb_error_name(rc));
        scan_dev_state(d, "error", detail);
        if (detached)
            libusb_attach_kernel_driver(h, hid.number);
        libusb_close(h);
        return false;
    }
    if (u->kind->setup)
        u->kind->setup(h, &hid);
    u->h = h;
    u->bus = bus;
    u->detached = detached;
    d->usb = libusb_ref_device(dev);
    u->iface = hid.number;
    u->ep = ep;
    u->maxpkt = maxpkt;
    u->xfer = libusb_alloc_transfer(0);
    u->xfer_errors = 0;
    scan_dev_reset(d);
    if (!u->xfer || (rc = submit(u)) != 0) {
        log_error("E582", "scanner %s: cannot start reading %s: %s", d->cfg.name, where,
                  libusb_error_name(rc));
        close_dev(u);
        scan_dev_state(d, "error", "E582 cannot read");
        return false;
    }
    scan_dev_state(d, "ready", where);
    return true;
}

void scan_usb_detach(struct scan_dev *d)
{
    ((struct scan_usb_dev *)d)->gone = true;
}

void scan_usb_tick(struct scan_dev *d, int64_t now)
{
    struct scan_usb_dev *u = (struct scan_usb_dev *)d;
    if (u->h && u->gone) {
        if (!u->gone_since)
            u->gone_since = now;
        /* The kernel completes the URB of a device that left; should it
         * not within 2 s, close anyway (libusb detaches the transfer of a
         * vanished device from its handle). */
        if (u->xfer_busy && now - u->gone_since < 2000) {
            if (!u->cancel_sent)
                libusb_cancel_transfer(u->xfer);
            u->cancel_sent = true;
            return;
        }
        if (u->xfer_busy) {
            log_warn("W573", "scanner %s: its last transfer never ended; closing it anyway",
                     d->cfg.name);
            libusb_close(u->h);
            u->h = NULL;
            u->xfer = NULL; /* left to libusb: it may still refer to it */
        }
        scan_dev_abort(d, "E575", "the scanner was unplugged mid-code");
        close_dev(u);
        scan_dev_state(d, "offline", "unplugged");
    } else if (u->h && u->clear_halt && !u->xfer_busy) {
        u->clear_halt = false;
        libusb_clear_halt(u->h, u->ep);
        if (submit(u) != 0)
            u->gone = true;
    }
}

void scan_usb_release(struct scan_dev *d)
{
    struct scan_usb_dev *u = (struct scan_usb_dev *)d;
    if (!u->h)
        return;
    if (u->xfer_busy) {
        libusb_cancel_transfer(u->xfer);
        int64_t until = clock_mono_ms() + 500;
        while (u->xfer_busy && clock_mono_ms() < until)
            scan_usb_handle(u->bus, 20);
    }
    if (u->xfer_busy) {
        /* The device never answered the cancel (a hung device, or an
         * emulated one): closing the handle takes the transfer off
         * libusb's list, after which it may be freed. */
        log_warn("W573", "scanner %s: its last transfer never ended; closing it anyway",
                 d->cfg.name);
        u->xfer_busy = false;
    }
    close_dev(u);
}

void scan_usb_hid_request(struct libusb_device_handle *h, const struct scan_usb_iface *i,
                          uint8_t request, uint16_t value)
{
    libusb_control_transfer(
        h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE, request,
        value, i->number, NULL, 0, 500);
}
