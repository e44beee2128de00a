/*
 * scanners.c — the scanner manager: every configured hardware scanner, in
 * one thread of its own (prefix scanners_).
 *
 * The thread sleeps in poll(2) on libusb's file descriptors, the serial and
 * evdev devices it has open, and a pipe that stops it. USB scanners are
 * found through libusb hotplug (LIBUSB_HOTPLUG_ENUMERATE for those already
 * there), opened outside the callback, and read with one asynchronous
 * interrupt transfer each, resubmitted as it completes: one URB in flight
 * per device. Serial and evdev devices are paths, tried again every second
 * while they are missing, so a re-plugged scanner is back within a second.
 *
 * Completed codes go into a locked queue, and `wake` tells the main loop.
 * A half code — the scanner stalls (no data for SCAN_STALL_MS), is pulled
 * out, or sends a bad report — is logged with its error id and dropped.
 *
 * Ownership: everything under `struct scanner` belongs to the thread, except
 * the decoders (dec_mu: the thread and scanners_inject_report) and `st`, the
 * queue and `gen` (mu: the thread and the main loop). Lock order dec_mu → mu.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <libusb.h>

#include "hid_keymap.h"
#include "log.h"
#include "scanner.h"

#define QUEUE_MAX 256
#define RETRY_MS 1000
#define MAX_ARRIVED 16
#define MAX_XFER_ERRORS 5

enum kind { K_USBHID, K_HIDPOS, K_SERIAL, K_EVDEV };

struct scanners;

struct scanner {
    struct scanners *m;
    int index;
    struct scanner_opts cfg;
    enum kind kind;
    int layout;
    enum scan_suffix suffix;

    /* USB */
    bool any;
    int vid, pid;
    libusb_device *dev; /* referenced while open */
    libusb_device_handle *h;
    int iface;
    uint8_t ep;
    int maxpkt;
    struct libusb_transfer *xfer;
    uint8_t buf[64];
    bool xfer_busy, gone, cancel_sent, clear_halt;
    bool detached;      /* we took the interface from the kernel's keyboard driver */
    int64_t gone_since; /* clock_mono_ms when gone was first seen in the loop */
    int xfer_errors;

    /* serial, evdev */
    int fd;
    int64_t next_try;
    uint8_t mods;

    /* decoders, under dec_mu */
    pthread_mutex_t dec_mu;
    struct hidboot boot;
    struct hidpos pos;
    struct serframe ser;
    struct hidkeys keys;
    int64_t last_data; /* clock_mono_ms of the last byte of a pending code */

    struct scan_sink sink;
    struct scanner_state st; /* under m->mu */
};

struct scanners {
    int n;
    struct scanner s[SCANNERS_MAX];
    void (*wake)(void *ctx);
    void *wake_ctx;

    pthread_t thread;
    bool started;
    atomic_bool stop;
    int stop_pipe[2];

    libusb_context *usb;
    libusb_hotplug_callback_handle hotplug;
    bool has_hotplug;
    int64_t next_enum;
    libusb_device *arrived[MAX_ARRIVED];
    int narrived;

    pthread_mutex_t mu;
    struct scan_code queue[QUEUE_MAX];
    int qhead, qlen;
    bool full_said;
    unsigned gen;
};

bool scanner_is_hardware(const struct scanner_opts *c)
{
    return strcmp(c->type, "wedge") != 0;
}

static bool is_usb(const struct scanner *s)
{
    return s->kind == K_USBHID || s->kind == K_HIDPOS;
}

static void wake(struct scanners *m)
{
    if (m->wake)
        m->wake(m->wake_ctx);
}

/* ---- state and queue ----------------------------------------------------- */

static void set_state(struct scanner *s, const char *state, const char *detail)
{
    struct scanners *m = s->m;
    bool changed;
    pthread_mutex_lock(&m->mu);
    changed = strcmp(s->st.state, state) != 0 || strcmp(s->st.detail, detail) != 0;
    if (changed) {
        snprintf(s->st.state, sizeof s->st.state, "%s", state);
        snprintf(s->st.detail, sizeof s->st.detail, "%s", detail);
        m->gen++;
    }
    pthread_mutex_unlock(&m->mu);
    if (!changed)
        return;
    if (strcmp(state, "ready") == 0)
        log_info("I570", "scanner %s ready: %s", s->cfg.name, detail);
    else
        log_warn("W570", "scanner %s %s: %s", s->cfg.name, state, detail);
    wake(m);
}

static void sink_code(void *ctx, const char *text, size_t len)
{
    struct scanner *s = ctx;
    struct scanners *m = s->m;
    bool full;
    bool say = false;
    pthread_mutex_lock(&m->mu);
    full = m->qlen == QUEUE_MAX;
    if (full) {
        say = !m->full_said; /* once until the queue drains, not once a scan */
        m->full_said = true;
    } else {
        struct scan_code *c = &m->queue[(m->qhead + m->qlen++) % QUEUE_MAX];
        snprintf(c->source, sizeof c->source, "%s", s->cfg.name);
        memcpy(c->text, text, len);
        c->text[len] = 0;
        c->len = len;
        c->ready_ns = clock_mono_ns();
        s->st.codes++;
    }
    pthread_mutex_unlock(&m->mu);
    if (say)
        log_error("E589", "scanner %s: %d scans wait for the station; this one is dropped",
                  s->cfg.name, QUEUE_MAX);
    wake(m);
}

static void sink_reject(void *ctx, const char *id, const char *why)
{
    struct scanner *s = ctx;
    pthread_mutex_lock(&s->m->mu);
    s->st.rejected++;
    snprintf(s->st.last_reject, sizeof s->st.last_reject, "%s", id);
    pthread_mutex_unlock(&s->m->mu);
    log_error(id, "scanner %s: %s", s->cfg.name, why);
}

/* ---- decoders ---------------------------------------------------------- */

static void feed(struct scanner *s, const uint8_t *data, size_t len)
{
    pthread_mutex_lock(&s->dec_mu);
    switch (s->kind) {
    case K_USBHID: hidboot_feed(&s->boot, data, len, &s->sink); break;
    case K_HIDPOS: hidpos_feed(&s->pos, data, len, &s->sink); break;
    case K_SERIAL: serframe_feed(&s->ser, data, len, &s->sink); break;
    case K_EVDEV: break; /* key by key, see evdev_read */
    }
    s->last_data = clock_mono_ms();
    pthread_mutex_unlock(&s->dec_mu);
}

/* Drop a half code, if any (stall, unplug). */
static void abort_code(struct scanner *s, const char *id, const char *why)
{
    pthread_mutex_lock(&s->dec_mu);
    switch (s->kind) {
    case K_USBHID: hidboot_abort(&s->boot, id, why, &s->sink); break;
    case K_HIDPOS: hidpos_abort(&s->pos, id, why, &s->sink); break;
    case K_SERIAL: serframe_abort(&s->ser, id, why, &s->sink); break;
    case K_EVDEV: hidkeys_abort(&s->keys, id, why, &s->sink); break;
    }
    pthread_mutex_unlock(&s->dec_mu);
}

static bool pending(struct scanner *s)
{
    bool p = false;
    pthread_mutex_lock(&s->dec_mu);
    switch (s->kind) {
    case K_USBHID: p = hidboot_pending(&s->boot); break;
    case K_HIDPOS: p = hidpos_pending(&s->pos); break;
    case K_SERIAL: p = serframe_pending(&s->ser); break;
    case K_EVDEV: p = hidkeys_pending(&s->keys); break;
    }
    pthread_mutex_unlock(&s->dec_mu);
    return p;
}

void scanners_inject_report(struct scanners *m, int i, const uint8_t *report, size_t len)
{
    if (m && i >= 0 && i < m->n)
        feed(&m->s[i], report, len);
}

/* ---- USB ----------------------------------------------------------------- */

/* Find the scanner's interface and interrupt IN endpoint on dev. */
static bool usb_match(struct scanner *s, libusb_device *dev, int *iface, uint8_t *ep, int *maxpkt,
                      bool *boot)
{
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) != 0)
        return false;
    if (!s->any && (dd.idVendor != s->vid || dd.idProduct != s->pid))
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
        /* HID 1.11 §4.2–4.3: subclass 1 protocol 1 = boot keyboard. With
         * `any`, a HID POS scanner is a HID interface that is not one. */
        bool boot_kbd = id->bInterfaceSubClass == 1 && id->bInterfaceProtocol == 1;
        if (s->any && (s->kind == K_USBHID) != boot_kbd)
            continue;
        for (int e = 0; e < id->bNumEndpoints; e++) {
            const struct libusb_endpoint_descriptor *ed = &id->endpoint[e];
            if ((ed->bEndpointAddress & LIBUSB_ENDPOINT_IN) &&
                (ed->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_INTERRUPT) {
                *iface = id->bInterfaceNumber;
                *boot = id->bInterfaceSubClass == 1;
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

static int usb_submit(struct scanner *s)
{
    libusb_fill_interrupt_transfer(s->xfer, s->h, s->ep, s->buf, s->maxpkt, xfer_done, s, 0);
    int rc = libusb_submit_transfer(s->xfer);
    s->xfer_busy = rc == 0;
    return rc;
}

static void LIBUSB_CALL xfer_done(struct libusb_transfer *t)
{
    struct scanner *s = t->user_data;
    s->xfer_busy = false;
    switch (t->status) {
    case LIBUSB_TRANSFER_COMPLETED:
        s->xfer_errors = 0;
        feed(s, t->buffer, (size_t)t->actual_length);
        if (!s->gone && usb_submit(s) != 0) {
            log_error("E582", "scanner %s: cannot read the next report", s->cfg.name);
            s->gone = true;
        }
        return;
    case LIBUSB_TRANSFER_STALL:
        abort_code(s, "E583", "the scanner stalled its endpoint mid-code");
        log_warn("W571", "scanner %s: endpoint stalled; clearing it", s->cfg.name);
        s->clear_halt = true;
        return;
    case LIBUSB_TRANSFER_NO_DEVICE:
        abort_code(s, "E575", "the scanner was unplugged mid-code");
        s->gone = true;
        return;
    case LIBUSB_TRANSFER_CANCELLED: return;
    default:
        abort_code(s, "E582", "a USB transfer failed mid-code");
        if (++s->xfer_errors >= MAX_XFER_ERRORS || s->gone || usb_submit(s) != 0) {
            log_error("E582", "scanner %s: USB transfers keep failing (%s); reopening", s->cfg.name,
                      libusb_error_name(t->status));
            s->gone = true;
        }
        return;
    }
}

static void usb_close(struct scanner *s)
{
    if (s->h) {
        libusb_release_interface(s->h, s->iface);
        /* Still plugged in (the station is closing): give the scanner back
         * to the kernel, so it types as a keyboard again. */
        if (s->detached && !s->gone)
            libusb_attach_kernel_driver(s->h, s->iface);
        libusb_close(s->h);
    }
    s->detached = false;
    libusb_free_transfer(s->xfer);
    if (s->dev)
        libusb_unref_device(s->dev);
    s->h = NULL;
    s->xfer = NULL;
    s->dev = NULL;
    s->gone = s->cancel_sent = s->clear_halt = s->xfer_busy = false;
    s->gone_since = 0;
}

static void usb_open(struct scanner *s, libusb_device *dev)
{
    int iface = 0, maxpkt = 0;
    uint8_t ep = 0;
    bool boot = false;
    if (!usb_match(s, dev, &iface, &ep, &maxpkt, &boot))
        return;
    char where[96], detail[96];
    struct libusb_device_descriptor dd;
    libusb_get_device_descriptor(dev, &dd);
    snprintf(where, sizeof where, "%04x:%04x bus %d dev %d", dd.idVendor, dd.idProduct,
             libusb_get_bus_number(dev), libusb_get_device_address(dev));
    libusb_device_handle *h = NULL;
    int rc = libusb_open(dev, &h);
    if (rc != 0) {
        log_error("E580", "scanner %s: cannot open %s: %s%s", s->cfg.name, where,
                  libusb_error_name(rc),
                  rc == LIBUSB_ERROR_ACCESS ? " (install 70-triage-scanners.rules)" : "");
        snprintf(detail, sizeof detail, "E580 %s", libusb_error_name(rc));
        set_state(s, "error", detail);
        return;
    }
    /* Not libusb_set_auto_detach_kernel_driver: under umockdev it makes the
     * claim fail; a plain detach works everywhere. */
    bool detached =
        libusb_kernel_driver_active(h, iface) == 1 && libusb_detach_kernel_driver(h, iface) == 0;
    rc = libusb_claim_interface(h, iface);
    if (rc != 0) {
        log_error("E581", "scanner %s: cannot claim interface %d of %s: %s", s->cfg.name, iface,
                  where, libusb_error_name(rc));
        snprintf(detail, sizeof detail, "E581 %s", libusb_error_name(rc));
        set_state(s, "error", detail);
        if (detached)
            libusb_attach_kernel_driver(h, iface);
        libusb_close(h);
        return;
    }
    /* A boot-subclass keyboard read as one: SET_PROTOCOL(0) (HID 1.11 §7.2.6)
     * selects the 8-byte boot report whatever its report descriptor says. */
    if (s->kind == K_USBHID && boot)
        libusb_control_transfer(
            h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE, 0x0B,
            0, (uint16_t)iface, NULL, 0, 500);
    /* SET_IDLE(0) (HID 1.11 §7.2.4): report only on change. Devices may stall it. */
    libusb_control_transfer(
        h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE, 0x0A, 0,
        (uint16_t)iface, NULL, 0, 500);
    s->h = h;
    s->detached = detached;
    s->dev = libusb_ref_device(dev);
    s->iface = iface;
    s->ep = ep;
    s->maxpkt = maxpkt;
    s->xfer = libusb_alloc_transfer(0);
    s->xfer_errors = 0;
    pthread_mutex_lock(&s->dec_mu);
    hidboot_init(&s->boot, s->layout, s->suffix);
    hidpos_init(&s->pos);
    pthread_mutex_unlock(&s->dec_mu);
    if (!s->xfer || (rc = usb_submit(s)) != 0) {
        log_error("E582", "scanner %s: cannot start reading %s: %s", s->cfg.name, where,
                  libusb_error_name(rc));
        usb_close(s);
        set_state(s, "error", "E582 cannot read");
        return;
    }
    set_state(s, "ready", where);
}

static int LIBUSB_CALL hotplug_cb(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user)
{
    (void)ctx;
    struct scanners *m = user;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) {
        /* libusb_open is not for this callback: open it from the loop. */
        if (m->narrived < MAX_ARRIVED)
            m->arrived[m->narrived++] = libusb_ref_device(dev);
    } else {
        for (int i = 0; i < m->n; i++)
            if (is_usb(&m->s[i]) && m->s[i].dev == dev)
                m->s[i].gone = true;
    }
    return 0;
}

static void usb_offer(struct scanners *m, libusb_device *dev)
{
    for (int i = 0; i < m->n; i++) {
        struct scanner *s = &m->s[i];
        if (!is_usb(s) || s->h)
            continue;
        bool taken = false; /* one scanner per device */
        for (int j = 0; j < m->n; j++)
            taken |= m->s[j].dev == dev;
        if (!taken)
            usb_open(s, dev);
    }
}

/* Without hotplug support: look for missing scanners once a second. */
static void usb_enumerate(struct scanners *m)
{
    libusb_device **list;
    ssize_t n = libusb_get_device_list(m->usb, &list);
    for (ssize_t i = 0; i < n; i++)
        usb_offer(m, list[i]);
    if (n >= 0)
        libusb_free_device_list(list, 1);
}

static void usb_housekeeping(struct scanners *m, int64_t now)
{
    for (int i = 0; i < m->narrived; i++) {
        usb_offer(m, m->arrived[i]);
        libusb_unref_device(m->arrived[i]);
    }
    m->narrived = 0;
    bool missing = false;
    for (int i = 0; i < m->n; i++) {
        struct scanner *s = &m->s[i];
        if (!is_usb(s))
            continue;
        if (s->h && s->gone) {
            if (!s->gone_since)
                s->gone_since = now;
            /* The kernel completes the URB of a device that left; should it
             * not within 2 s, close anyway (libusb detaches the transfer
             * of a vanished device from its handle). */
            if (s->xfer_busy && now - s->gone_since < 2000) {
                if (!s->cancel_sent)
                    libusb_cancel_transfer(s->xfer);
                s->cancel_sent = true;
                continue;
            }
            if (s->xfer_busy) {
                log_warn("W573", "scanner %s: its last transfer never ended; closing it anyway",
                         s->cfg.name);
                libusb_close(s->h);
                s->h = NULL;
                s->xfer = NULL; /* left to libusb: it may still refer to it */
            }
            abort_code(s, "E575", "the scanner was unplugged mid-code");
            usb_close(s);
            set_state(s, "offline", "unplugged");
        } else if (s->h && s->clear_halt && !s->xfer_busy) {
            s->clear_halt = false;
            libusb_clear_halt(s->h, s->ep);
            if (usb_submit(s) != 0)
                s->gone = true;
        }
        missing |= !s->h;
    }
    if (missing && !m->has_hotplug && now >= m->next_enum) {
        m->next_enum = now + RETRY_MS;
        usb_enumerate(m);
    }
}

/* ---- serial and evdev ------------------------------------------------- */

static void fd_close(struct scanner *s, const char *why)
{
    if (s->fd < 0)
        return;
    if (s->kind == K_EVDEV)
        ioctl(s->fd, EVIOCGRAB, 0);
    close(s->fd);
    s->fd = -1;
    s->mods = 0;
    abort_code(s, "E575", "the scanner was disconnected mid-code");
    s->next_try = clock_mono_ms() + RETRY_MS;
    set_state(s, "offline", why);
}

/* Open a path scanner's device. A missing device is "offline" (unplugged);
 * any other failure is an "error" logged with `id`. Returns the fd or -1. */
static int open_device(struct scanner *s, int flags, const char *id)
{
    int fd = open(s->cfg.device, flags);
    if (fd >= 0)
        return fd;
    int e = errno;
    char detail[96];
    snprintf(detail, sizeof detail, "%s%s%.60s: %.24s", e == ENOENT ? "" : id,
             e == ENOENT ? "" : " ", s->cfg.device, strerror(e));
    if (e != ENOENT)
        log_error(id, "scanner %s: cannot open %s", s->cfg.name, detail + 5);
    set_state(s, e == ENOENT ? "offline" : "error", detail);
    return -1;
}

static void serial_open(struct scanner *s)
{
    char detail[96];
    unsigned speed = serial_speed(s->cfg.baud);
    int fd = open_device(s, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, "E584");
    if (fd < 0)
        return;
    /* Raw bytes at the configured speed, 8N1, no flow control, no echo. */
    struct termios tio;
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tio.c_cflag |= CLOCAL | CREAD;
        tio.c_cflag &= ~(tcflag_t)(CSTOPB | CRTSCTS);
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        cfsetispeed(&tio, speed);
        cfsetospeed(&tio, speed);
        if (tcsetattr(fd, TCSANOW, &tio) != 0) {
            log_error("E584", "scanner %s: cannot configure %s: %s", s->cfg.name, s->cfg.device,
                      strerror(errno));
            close(fd);
            set_state(s, "error", "E584 cannot configure");
            return;
        }
    } else {
        log_warn("W572", "scanner %s: %s is not a terminal; reading it as it is", s->cfg.name,
                 s->cfg.device);
    }
    s->fd = fd;
    pthread_mutex_lock(&s->dec_mu);
    serframe_init(&s->ser);
    pthread_mutex_unlock(&s->dec_mu);
    snprintf(detail, sizeof detail, "%.70s %d baud", s->cfg.device, s->cfg.baud);
    set_state(s, "ready", detail);
}

static void evdev_open(struct scanner *s)
{
    char detail[96];
    int fd = open_device(s, O_RDONLY | O_NONBLOCK | O_CLOEXEC, "E586");
    if (fd < 0)
        return;
    /* Grab: the scanner's keys then reach us only, not the console or the
     * UI as typing (the kmsdrm video driver reads every input device). */
    if (ioctl(fd, EVIOCGRAB, 1) != 0)
        log_error("E586",
                  "scanner %s: cannot grab %s (%s); its scans may also arrive as "
                  "typing",
                  s->cfg.name, s->cfg.device, strerror(errno));
    s->fd = fd;
    s->mods = 0;
    pthread_mutex_lock(&s->dec_mu);
    hidkeys_init(&s->keys, s->layout, s->suffix);
    pthread_mutex_unlock(&s->dec_mu);
    snprintf(detail, sizeof detail, "%.90s", s->cfg.device);
    set_state(s, "ready", detail);
}

static void serial_read(struct scanner *s)
{
    uint8_t buf[512];
    for (;;) {
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n > 0) {
            feed(s, buf, (size_t)n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        log_error("E585", "scanner %s: %s: %s", s->cfg.name, s->cfg.device,
                  n == 0 ? "disconnected" : strerror(errno));
        fd_close(s, "disconnected");
        return;
    }
}

static void evdev_read(struct scanner *s)
{
    struct input_event ev[64];
    for (;;) {
        ssize_t n = read(s->fd, ev, sizeof ev);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            log_error("E587", "scanner %s: %s: %s", s->cfg.name, s->cfg.device,
                      n == 0 ? "disconnected" : strerror(errno));
            fd_close(s, "disconnected");
            return;
        }
        pthread_mutex_lock(&s->dec_mu);
        for (size_t i = 0; i < (size_t)n / sizeof *ev; i++) {
            if (ev[i].type != EV_KEY)
                continue;
            uint8_t mod = evdev_key_to_mod(ev[i].code);
            if (mod) {
                s->mods = ev[i].value ? (uint8_t)(s->mods | mod) : (uint8_t)(s->mods & ~mod);
                continue;
            }
            if (ev[i].value != 1) /* releases and autorepeat */
                continue;
            if (ev[i].code == KEY_NUMLOCK || ev[i].code == KEY_CAPSLOCK ||
                ev[i].code == KEY_SCROLLLOCK)
                continue;
            hidkeys_press(&s->keys, evdev_key_to_usage(ev[i].code), s->mods, &s->sink);
            s->last_data = clock_mono_ms();
        }
        pthread_mutex_unlock(&s->dec_mu);
    }
}

/* ---- the thread --------------------------------------------------------- */

static void *thread_main(void *arg)
{
    struct scanners *m = arg;
    if (m->usb && m->has_hotplug) {
        int rc = libusb_hotplug_register_callback(
            m->usb, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
            LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            LIBUSB_HOTPLUG_MATCH_ANY, hotplug_cb, m, &m->hotplug);
        if (rc != 0) {
            log_error("E588",
                      "USB hotplug not available (%s); looking for scanners every "
                      "second instead",
                      libusb_error_name(rc));
            m->has_hotplug = false;
        }
    }
    struct pollfd pfd[64];
    while (!atomic_load(&m->stop)) {
        int64_t now = clock_mono_ms();
        /* Idle, the thread wakes once a second (retrying missing serial and
         * evdev scanners); sooner when a half code may turn into a stall. */
        int timeout = RETRY_MS;
        if (m->usb)
            usb_housekeeping(m, now);
        for (int i = 0; i < m->n; i++) {
            struct scanner *s = &m->s[i];
            if (!is_usb(s) && s->fd < 0 && now >= s->next_try) {
                s->next_try = now + RETRY_MS;
                if (s->kind == K_SERIAL)
                    serial_open(s);
                else
                    evdev_open(s);
            }
            /* A scanner types a code in one burst: a half code that stops is
             * a stall (or a cable pulled where we cannot see it). */
            if (pending(s)) {
                if (now - s->last_data >= SCAN_STALL_MS)
                    abort_code(s, "E574", "the scanner stopped mid-code");
                else if (SCAN_STALL_MS - (now - s->last_data) < timeout)
                    timeout = (int)(SCAN_STALL_MS - (now - s->last_data)) + 1;
            }
        }

        int nfd = 0;
        pfd[nfd++] = (struct pollfd){.fd = m->stop_pipe[0], .events = POLLIN};
        int first_dev = nfd;
        for (int i = 0; i < m->n; i++)
            if (!is_usb(&m->s[i]) && m->s[i].fd >= 0)
                pfd[nfd++] = (struct pollfd){.fd = m->s[i].fd, .events = POLLIN};
        int first_usb = nfd;
        if (m->usb) {
            const struct libusb_pollfd **ufds = libusb_get_pollfds(m->usb);
            for (int i = 0; ufds && ufds[i] && nfd < 64; i++)
                pfd[nfd++] = (struct pollfd){.fd = ufds[i]->fd, .events = ufds[i]->events};
            libusb_free_pollfds(ufds);
        }
        struct timeval tv;
        if (m->usb && libusb_get_next_timeout(m->usb, &tv) == 1) {
            int ms = (int)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
            if (ms < timeout)
                timeout = ms;
        }
        int r = poll(pfd, (nfds_t)nfd, timeout);
        if (r < 0 && errno != EINTR)
            usleep(10000);
        if (m->usb) {
            struct timeval zero = {0, 0};
            libusb_handle_events_timeout_completed(m->usb, &zero, NULL);
        }
        for (int k = first_dev, i = 0; k < first_usb && i < m->n; i++) {
            struct scanner *s = &m->s[i];
            if (is_usb(s) || s->fd < 0)
                continue;
            if (pfd[k].fd == s->fd && pfd[k].revents) {
                if (pfd[k].revents & POLLIN) {
                    if (s->kind == K_SERIAL)
                        serial_read(s);
                    else
                        evdev_read(s);
                } else if (pfd[k].revents & (POLLHUP | POLLERR | POLLNVAL))
                    fd_close(s, "disconnected");
            }
            k++;
        }
    }
    return NULL;
}

/* ---- opening and closing --------------------------------------------- */

static int parse_usb_id(const char *dev, int *vid, int *pid)
{
    unsigned v, p;
    char tail;
    if (sscanf(dev, "%4x:%4x%c", &v, &p, &tail) != 2)
        return -1;
    *vid = (int)v;
    *pid = (int)p;
    return 0;
}

int scanners_open(const struct scanner_opts *cfgs, int n, void (*wake_fn)(void *ctx),
                  void *wake_ctx, struct scanners **out, char *err, size_t errlen)
{
    *out = NULL;
    int hw = 0;
    for (int i = 0; i < n; i++)
        hw += scanner_is_hardware(&cfgs[i]);
    if (hw == 0)
        return 0;
    struct scanners *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "E591: out of memory");
        return -1;
    }
    pthread_mutex_init(&m->mu, NULL);
    m->stop_pipe[0] = m->stop_pipe[1] = -1;
    m->wake = wake_fn;
    m->wake_ctx = wake_ctx;
    bool need_usb = false;
    for (int i = 0; i < n && m->n < SCANNERS_MAX; i++) {
        if (!scanner_is_hardware(&cfgs[i]))
            continue;
        struct scanner *s = &m->s[m->n];
        s->m = m;
        s->index = m->n;
        s->cfg = cfgs[i];
        s->fd = -1;
        pthread_mutex_init(&s->dec_mu, NULL);
        s->sink = (struct scan_sink){.ctx = s, .code = sink_code, .reject = sink_reject};
        int layout = hid_layout_from_name(s->cfg.layout);
        s->layout = layout < 0 ? HID_LAYOUT_US : layout;
        s->suffix = strcmp(s->cfg.suffix, "tab") == 0 ? SCAN_SUFFIX_TAB : SCAN_SUFFIX_ENTER;
        memcpy(s->st.name, cfgs[i].name, sizeof s->st.name);
        memcpy(s->st.type, cfgs[i].type, sizeof s->st.type);
        s->st.name[sizeof s->st.name - 1] = s->st.type[sizeof s->st.type - 1] = 0;
        snprintf(s->st.state, sizeof s->st.state, "offline");
        snprintf(s->st.detail, sizeof s->st.detail, "not found yet");
        hidboot_init(&s->boot, s->layout, s->suffix);
        hidpos_init(&s->pos);
        serframe_init(&s->ser);
        hidkeys_init(&s->keys, s->layout, s->suffix);
        const char *t = s->cfg.type;
        s->kind = strcmp(t, "usb-hid") == 0   ? K_USBHID
                  : strcmp(t, "hid-pos") == 0 ? K_HIDPOS
                  : strcmp(t, "serial") == 0  ? K_SERIAL
                                              : K_EVDEV;
        m->n++;
        if (is_usb(s)) {
            need_usb = true;
            s->any = s->cfg.device[0] == 0 || strcmp(s->cfg.device, "any") == 0;
            if (!s->any && parse_usb_id(s->cfg.device, &s->vid, &s->pid) != 0) {
                snprintf(err, errlen,
                         "E590: [scanner.%s] device = %s: a USB scanner is VID:PID in hex "
                         "(e.g. 05e0:1200) or any",
                         s->cfg.name, s->cfg.device);
                goto fail;
            }
        } else {
            if (s->cfg.device[0] != '/') {
                snprintf(err, errlen,
                         "E590: [scanner.%s] device = %s: a %s scanner is a "
                         "device path (e.g. /dev/ttyACM0)",
                         s->cfg.name, s->cfg.device, t);
                goto fail;
            }
            if (s->kind == K_SERIAL && serial_speed(s->cfg.baud) == 0) {
                snprintf(err, errlen,
                         "E592: [scanner.%s] baud = %d is not a serial speed "
                         "(1200 … 921600)",
                         s->cfg.name, s->cfg.baud);
                goto fail;
            }
        }
    }
    if (pipe2(m->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "E591: cannot make a pipe: %s", strerror(errno));
        goto fail;
    }
    if (need_usb) {
        int rc = libusb_init(&m->usb);
        if (rc != 0) {
            /* The station still runs: its USB scanners show offline. */
            log_error("E588", "cannot start libusb: %s; USB scanners stay offline",
                      libusb_error_name(rc));
            m->usb = NULL;
        } else
            m->has_hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG);
    }
    if (pthread_create(&m->thread, NULL, thread_main, m) != 0) {
        snprintf(err, errlen, "E591: cannot start the scanner thread");
        goto fail;
    }
    m->started = true;
    *out = m;
    return 0;
fail:
    scanners_close(m);
    return -1;
}

void scanners_close(struct scanners *m)
{
    if (!m)
        return;
    if (m->started) {
        atomic_store(&m->stop, true);
        ssize_t w = write(m->stop_pipe[1], "x", 1);
        (void)w;
        pthread_join(m->thread, NULL);
    }
    for (int i = 0; i < m->n; i++) {
        struct scanner *s = &m->s[i];
        if (is_usb(s) && s->h && m->usb) {
            if (s->xfer_busy) {
                libusb_cancel_transfer(s->xfer);
                int64_t until = clock_mono_ms() + 500;
                while (s->xfer_busy && clock_mono_ms() < until) {
                    struct timeval tv = {0, 20000};
                    libusb_handle_events_timeout_completed(m->usb, &tv, NULL);
                }
            }
            if (s->xfer_busy) {
                /* The device never answered the cancel (a hung device, or an
                 * emulated one): closing the handle takes the transfer off
                 * libusb's list, after which it may be freed. */
                log_warn("W573", "scanner %s: its last transfer never ended; closing it anyway",
                         s->cfg.name);
                s->xfer_busy = false;
            }
            usb_close(s);
        } else if (s->fd >= 0) {
            if (s->kind == K_EVDEV)
                ioctl(s->fd, EVIOCGRAB, 0);
            close(s->fd);
        }
        pthread_mutex_destroy(&s->dec_mu);
    }
    for (int i = 0; i < m->narrived; i++)
        libusb_unref_device(m->arrived[i]);
    if (m->usb) {
        if (m->has_hotplug && m->started)
            libusb_hotplug_deregister_callback(m->usb, m->hotplug);
        libusb_exit(m->usb);
    }
    if (m->stop_pipe[0] >= 0)
        close(m->stop_pipe[0]);
    if (m->stop_pipe[1] >= 0)
        close(m->stop_pipe[1]);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

int scanners_take(struct scanners *m, struct scan_code *out)
{
    if (!m)
        return 0;
    int got = 0;
    pthread_mutex_lock(&m->mu);
    if (m->qlen > 0) {
        *out = m->queue[m->qhead];
        m->qhead = (m->qhead + 1) % QUEUE_MAX;
        m->qlen--;
        if (m->qlen == 0)
            m->full_said = false;
        got = 1;
    }
    pthread_mutex_unlock(&m->mu);
    return got;
}

unsigned scanners_generation(struct scanners *m)
{
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    unsigned g = m->gen;
    pthread_mutex_unlock(&m->mu);
    return g;
}

int scanners_states(struct scanners *m, struct scanner_state *out, int max)
{
    if (!m)
        return 0;
    pthread_mutex_lock(&m->mu);
    for (int i = 0; i < m->n && i < max; i++)
        out[i] = m->s[i].st;
    pthread_mutex_unlock(&m->mu);
    return m->n;
}
