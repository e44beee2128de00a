/*
 * prn_usb.c — a ZPL printer on USB, printer class (USB Device Class
 * Definition for Printing Devices 1.1), through libusb.
 *
 * The device is looked for at the first send, by VID:PID or as the first
 * device with an interface of class 7 (printer) and a bulk OUT endpoint,
 * then kept open. Any transfer error closes it; the next send looks again,
 * so unplugging and plugging back in needs nothing from anyone.
 *
 * We detach a kernel driver (usblp) only when one is active and never use
 * libusb_set_auto_detach_kernel_driver: under umockdev that makes the claim
 * fail, and a plain detach works everywhere.
 *
 * Status: GET_PORT_STATUS (bmRequestType 0xA1, bRequest 1, wIndex the
 * interface; one byte: bit 5 paper empty, bit 4 selected, bit 3 not error).
 * A device that does not answer it is reported by whether it is there.
 */
#include "printer.h"

#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USB_CHUNK 4096
#define USB_CLASS_PRINTER 7

struct prn_usb {
    struct prn base;
    libusb_context *ctx;
    libusb_device_handle *h;
    int any; /* look for any printer-class device */
    unsigned vid, pid;
    int iface, alt;
    unsigned char ep_out;
    int timeout_ms;
    char name[32]; /* "0a5f:0164" for messages */
};

static void usb_drop(struct prn_usb *u)
{
    if (!u->h)
        return;
    libusb_release_interface(u->h, u->iface);
    libusb_close(u->h);
    u->h = NULL;
}

/* A printer interface with a bulk OUT endpoint in dev's active config. */
static int find_printer_iface(libusb_device *dev, int *iface, int *alt, unsigned char *ep_out)
{
    struct libusb_config_descriptor *cfg = NULL;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
        libusb_get_config_descriptor(dev, 0, &cfg) != 0)
        return -1;
    int found = -1;
    for (int i = 0; i < cfg->bNumInterfaces && found < 0; i++) {
        const struct libusb_interface *itf = &cfg->interface[i];
        for (int a = 0; a < itf->num_altsetting && found < 0; a++) {
            const struct libusb_interface_descriptor *d = &itf->altsetting[a];
            if (d->bInterfaceClass != USB_CLASS_PRINTER)
                continue;
            for (int e = 0; e < d->bNumEndpoints; e++) {
                const struct libusb_endpoint_descriptor *ep = &d->endpoint[e];
                if ((ep->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_BULK &&
                    (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) == 0) {
                    *iface = d->bInterfaceNumber;
                    *alt = d->bAlternateSetting;
                    *ep_out = ep->bEndpointAddress;
                    found = 0;
                    break;
                }
            }
        }
    }
    libusb_free_config_descriptor(cfg);
    return found;
}

/* Find, open and claim the printer. 0, or -errno with err. */
static int usb_attach(struct prn_usb *u, char *err, size_t errlen)
{
    if (u->h)
        return 0;
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    if (n < 0) {
        snprintf(err, errlen, "E667: cannot list USB devices: %s", libusb_strerror((int)n));
        return -EIO;
    }
    libusb_device *dev = NULL;
    for (ssize_t i = 0; i < n && !dev; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd) != 0)
            continue;
        if (!u->any && (dd.idVendor != u->vid || dd.idProduct != u->pid))
            continue;
        if (find_printer_iface(list[i], &u->iface, &u->alt, &u->ep_out) == 0)
            dev = list[i];
    }
    int rc = 0;
    if (!dev) {
        snprintf(err, errlen, "E667: no USB printer %s is connected", u->name);
        rc = -ENODEV;
        goto out;
    }
    int r = libusb_open(dev, &u->h);
    if (r != 0) {
        u->h = NULL;
        snprintf(err, errlen, "E668: cannot open USB printer %s: %s", u->name, libusb_strerror(r));
        rc = r == LIBUSB_ERROR_ACCESS ? -EACCES : -EIO;
        goto out;
    }
    if (libusb_kernel_driver_active(u->h, u->iface) == 1)
        libusb_detach_kernel_driver(u->h, u->iface);
    r = libusb_claim_interface(u->h, u->iface);
    if (r != 0) {
        snprintf(err, errlen, "E670: cannot claim USB printer %s: %s", u->name,
                 libusb_strerror(r));
        libusb_close(u->h);
        u->h = NULL;
        rc = -EBUSY;
        goto out;
    }
    if (u->alt != 0)
        libusb_set_interface_alt_setting(u->h, u->iface, u->alt);
out:
    libusb_free_device_list(list, 1);
    return rc;
}

static int usb_send(struct prn *base, const struct prn_job *job, char *err, size_t errlen)
{
    struct prn_usb *u = (struct prn_usb *)base;
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    if (!job->zpl || !job->zpl_len) {
        snprintf(err, errlen, "E640: job %s has no ZPL for USB printer %s",
                 job->name ? job->name : "", u->name);
        return -EINVAL;
    }
    int rc = usb_attach(u, err, errlen);
    if (rc)
        return rc;
    size_t off = 0;
    while (off < job->zpl_len) {
        int len = (int)(job->zpl_len - off < USB_CHUNK ? job->zpl_len - off : USB_CHUNK);
        int done = 0;
        int r = libusb_bulk_transfer(u->h, u->ep_out, (unsigned char *)job->zpl + off, len,
                                     &done, (unsigned)u->timeout_ms);
        off += (size_t)(done > 0 ? done : 0);
        if (r == LIBUSB_ERROR_TIMEOUT) {
            snprintf(err, errlen, "E672: USB printer %s stopped taking data (%zu of %zu bytes)",
                     u->name, off, job->zpl_len);
            usb_drop(u);
            return -ETIMEDOUT;
        }
        if (r != 0) {
            snprintf(err, errlen, "E671: USB printer %s: %s (%zu of %zu bytes)", u->name,
                     libusb_strerror(r), off, job->zpl_len);
            usb_drop(u);
            return r == LIBUSB_ERROR_NO_DEVICE ? -ENODEV : -EIO;
        }
    }
    return 0;
}

static int usb_status(struct prn *base, struct printer_status *st)
{
    struct prn_usb *u = (struct prn_usb *)base;
    memset(st, 0, sizeof *st);
    char err[160] = "";
    if (usb_attach(u, err, sizeof err) != 0) {
        st->state = PRINTER_OFFLINE;
        snprintf(st->detail, sizeof st->detail, "%s", err);
        return 0;
    }
    unsigned char port = 0;
    int r = libusb_control_transfer(
        u->h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE, 1, 0,
        (uint16_t)(u->iface << 8 | u->alt), &port, 1, 1000);
    if (r == LIBUSB_ERROR_NO_DEVICE) {
        usb_drop(u);
        st->state = PRINTER_OFFLINE;
        snprintf(st->detail, sizeof st->detail, "E667: USB printer %s was unplugged", u->name);
    } else if (r != 1) {
        st->state = PRINTER_READY; /* there, and does not say more */
    } else if (port & 0x20) {
        st->state = PRINTER_PAPER_OUT;
        snprintf(st->detail, sizeof st->detail, "out of labels");
    } else if (!(port & 0x10)) {
        st->state = PRINTER_PAUSED;
        snprintf(st->detail, sizeof st->detail, "not selected (paused)");
    } else if (!(port & 0x08)) {
        st->state = PRINTER_ERROR;
        snprintf(st->detail, sizeof st->detail, "E673: USB printer %s reports an error", u->name);
    } else {
        st->state = PRINTER_READY;
    }
    return 0;
}

static void usb_close(struct prn *base)
{
    struct prn_usb *u = (struct prn_usb *)base;
    usb_drop(u);
    if (u->ctx)
        libusb_exit(u->ctx);
    free(u);
}

static const struct prn_ops usb_ops = {
    .type = "zpl-usb",
    .formats = PRN_ZPL,
    .send = usb_send,
    .status = usb_status,
    .close = usb_close,
};

struct prn *prn_usb_open(const char *device, int timeout_ms, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    struct prn_usb *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "E674: out of memory");
        return NULL;
    }
    u->base.ops = &usb_ops;
    u->timeout_ms = timeout_ms > 0 ? timeout_ms : PRINTER_TIMEOUT_MS;
    if (!device || !*device || strcmp(device, "any") == 0) {
        u->any = 1;
        snprintf(u->name, sizeof u->name, "(any)");
    } else {
        char tail;
        if (sscanf(device, "%4x:%4x%c", &u->vid, &u->pid, &tail) != 2) {
            snprintf(err, errlen, "E666: USB printer \"%.40s\" is not VID:PID in hex or \"any\"",
                     device);
            free(u);
            return NULL;
        }
        snprintf(u->name, sizeof u->name, "%04x:%04x", u->vid, u->pid);
    }
    int r = libusb_init(&u->ctx);
    if (r != 0) {
        snprintf(err, errlen, "E665: libusb cannot start: %s", libusb_strerror(r));
        u->ctx = NULL;
        usb_close(&u->base);
        return NULL;
    }
    return &u->base;
}
