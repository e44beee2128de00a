/*
 * vusb.h — an interactive virtual USB scanner for tests (header only), on
 * libumockdev's C API: the test decides when a report arrives, the device
 * can be plugged in, pulled out mid-code and plugged in again.
 *
 * The program must run under umockdev-wrapper (scan_util.h) and make the
 * testbed before libusb starts. A UMockdevIoctlBase handler answers the
 * usbdevfs ioctls libusb sends: GET_CAPABILITIES, CLAIM/RELEASEINTERFACE,
 * GETDRIVER (none), SUBMITURB (the SET_IDLE control request completes at
 * once; an interrupt URB waits for a report), REAPURBNDELAY (EAGAIN while
 * there is nothing: idle reads simply wait) and DISCARDURB. After unplug
 * every ioctl fails with ENODEV, as the kernel's do. Handlers run in
 * umockdev's worker thread; the report queue is locked.
 *
 * The testbed is process-wide, so a child started with fork/exec (the real
 * triage binary) sees the same devices and talks to these handlers.
 */
#ifndef TRIAGE_VUSB_H
#define TRIAGE_VUSB_H

#include <errno.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <umockdev.h>

#define VUSB_MAX_REPORTS 512

/* Descriptors: device + configuration, as sysfs `descriptors` holds them.
 * A boot keyboard (8-byte reports) and a HID POS scanner (64-byte reports). */
#define VUSB_BOOT_KBD_DESC(pid4)                                                                   \
    "1201000200000008E005" pid4 "00010102000109022200010100A032090400000103010100092111010001"     \
    "223F000705810308000A"
#define VUSB_HIDPOS_DESC                                                                           \
    "12010002000000402E0C610B000101020001090222000101008032090400000103000000092111010001224"      \
    "000070581034000"                                                                              \
    "01"

struct vusb {
    UMockdevTestbed *tb;
    UMockdevIoctlBase *handler;
    char syspath[128], devnode[64], text[1024];
    int report_len;
    pthread_mutex_t mu;
    uint8_t q[VUSB_MAX_REPORTS][64];
    int qhead, qlen;
    UMockdevIoctlData *inflight; /* the interrupt URB waiting for a report */
    UMockdevIoctlData *done[8];  /* completed or discarded, to be reaped */
    int ndone;
    bool gone;
    int reports_taken;
};

static void vusb_finish(struct vusb *v, UMockdevIoctlClient *client, UMockdevIoctlData *urb_data)
{
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
    umockdev_ioctl_data_set_ptr(ptr, 0, urb_data);
    umockdev_ioctl_client_complete(client, 0, 0);
    umockdev_ioctl_data_unref(ptr);
    umockdev_ioctl_data_unref(urb_data);
    (void)v;
}

static gboolean vusb_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client, gpointer user)
{
    (void)h;
    struct vusb *v = user;
    gulong req = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    pthread_mutex_lock(&v->mu);
    gulong r0 = umockdev_ioctl_client_get_request(client);
    bool reap = r0 == USBDEVFS_REAPURB || r0 == USBDEVFS_REAPURBNDELAY;
    if (v->gone && !(reap && v->ndone > 0)) {
        pthread_mutex_unlock(&v->mu);
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        return TRUE;
    }
    switch (req) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                              USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_client_complete(client, 0, 0);
        umockdev_ioctl_data_unref(d);
        break;
    }
    case USBDEVFS_GETDRIVER: umockdev_ioctl_client_complete(client, -1, ENODATA); break;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION: umockdev_ioctl_client_complete(client, 0, 0); break;
    case USBDEVFS_SUBMITURB: {
        UMockdevIoctlData *urb_data =
            umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)urb_data->data;
        UMockdevIoctlData *buf =
            umockdev_ioctl_data_resolve(urb_data, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
                                        (gsize)urb->buffer_length, NULL);
        if (buf)
            umockdev_ioctl_data_unref(buf); /* the URB keeps it */
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL && v->ndone < 8) {
            urb->actual_length = 0; /* SET_IDLE: no data stage */
            urb->status = 0;
            v->done[v->ndone++] = urb_data;
            umockdev_ioctl_client_complete(client, 0, 0);
        } else if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && !v->inflight) {
            v->inflight = urb_data;
            umockdev_ioctl_client_complete(client, 0, 0);
        } else {
            umockdev_ioctl_data_unref(urb_data);
            umockdev_ioctl_client_complete(client, -1, EINVAL);
        }
        break;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
        if (v->ndone > 0) {
            UMockdevIoctlData *d = v->done[0];
            memmove(v->done, v->done + 1, sizeof *v->done * (size_t)--v->ndone);
            vusb_finish(v, client, d);
        } else if (v->inflight && v->qlen > 0) {
            struct usbdevfs_urb *urb = (struct usbdevfs_urb *)v->inflight->data;
            int n = v->report_len < urb->buffer_length ? v->report_len : urb->buffer_length;
            memcpy(urb->buffer, v->q[v->qhead], (size_t)n);
            v->qhead = (v->qhead + 1) % VUSB_MAX_REPORTS;
            v->qlen--;
            v->reports_taken++;
            urb->actual_length = n;
            urb->status = 0;
            UMockdevIoctlData *d = v->inflight;
            v->inflight = NULL;
            vusb_finish(v, client, d);
        } else
            umockdev_ioctl_client_complete(client, -1, EAGAIN);
        break;
    case USBDEVFS_DISCARDURB:
        if (v->inflight && v->ndone < 8 && *(gulong *)arg->data == v->inflight->client_addr) {
            ((struct usbdevfs_urb *)v->inflight->data)->status = -ENOENT;
            v->done[v->ndone++] = v->inflight;
            v->inflight = NULL;
            umockdev_ioctl_client_complete(client, 0, 0);
        } else
            umockdev_ioctl_client_complete(client, -1, EINVAL);
        break;
    default: pthread_mutex_unlock(&v->mu); return FALSE;
    }
    pthread_mutex_unlock(&v->mu);
    return TRUE;
}

/* Describe a device at bus 1, address `addr`, with these descriptors. */
static inline void vusb_init(struct vusb *v, UMockdevTestbed *tb, int addr, const char *desc,
                             int report_len)
{
    memset(v, 0, sizeof *v);
    pthread_mutex_init(&v->mu, NULL);
    v->tb = tb;
    v->report_len = report_len;
    snprintf(v->syspath, sizeof v->syspath, "/sys/devices/pci0000:00/usb1/1-%d", addr);
    snprintf(v->devnode, sizeof v->devnode, "/dev/bus/usb/001/%03d", addr);
    snprintf(v->text, sizeof v->text,
             "P: /devices/pci0000:00/usb1/1-%d\nN: bus/usb/001/%03d\nE: SUBSYSTEM=usb\n"
             "E: DEVTYPE=usb_device\nE: DEVNAME=/dev/bus/usb/001/%03d\nE: BUSNUM=001\n"
             "E: DEVNUM=%03d\nA: busnum=1\\n\nA: devnum=%d\\n\nA: speed=12\\n\n"
             "H: descriptors=%s\n",
             addr, addr, addr, addr, addr, desc);
}

/* Plug it in: the handler first, then the device (its "add" uevent). */
static inline bool vusb_plug(struct vusb *v)
{
    pthread_mutex_lock(&v->mu);
    v->gone = false;
    v->qhead = v->qlen = 0;
    pthread_mutex_unlock(&v->mu);
    v->handler = umockdev_ioctl_base_new();
    g_signal_connect(v->handler, "handle-ioctl", G_CALLBACK(vusb_ioctl), v);
    GError *err = NULL;
    if (!umockdev_testbed_attach_ioctl(v->tb, v->devnode, v->handler, &err) ||
        !umockdev_testbed_add_from_string(v->tb, v->text, &err)) {
        fprintf(stderr, "vusb: %s\n", err ? err->message : "?");
        return false;
    }
    return true;
}

/* Pull it out, as the kernel sees it: the URB in flight completes with
 * -ESHUTDOWN (still reapable: USBDEVFS_CAP_REAP_AFTER_DISCONNECT), every
 * other ioctl fails with ENODEV, and the "remove" uevent follows. */
static inline void vusb_unplug(struct vusb *v)
{
    pthread_mutex_lock(&v->mu);
    v->gone = true;
    if (v->inflight && v->ndone < 8) {
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)v->inflight->data;
        urb->status = -ESHUTDOWN;
        urb->actual_length = 0;
        v->done[v->ndone++] = v->inflight;
    } else if (v->inflight)
        umockdev_ioctl_data_unref(v->inflight);
    v->inflight = NULL;
    pthread_mutex_unlock(&v->mu);
    umockdev_testbed_uevent(v->tb, v->syspath, "remove");
    g_usleep(100000);
    umockdev_testbed_remove_device(v->tb, v->syspath);
    umockdev_testbed_detach_ioctl(v->tb, v->devnode, NULL);
    g_object_unref(v->handler);
    v->handler = NULL;
    pthread_mutex_lock(&v->mu);
    for (int i = 0; i < v->ndone; i++)
        umockdev_ioctl_data_unref(v->done[i]);
    v->ndone = 0;
    pthread_mutex_unlock(&v->mu);
}

static inline void vusb_report(struct vusb *v, const uint8_t *r)
{
    pthread_mutex_lock(&v->mu);
    if (v->qlen < VUSB_MAX_REPORTS) {
        memcpy(v->q[(v->qhead + v->qlen) % VUSB_MAX_REPORTS], r, (size_t)v->report_len);
        v->qlen++;
    }
    pthread_mutex_unlock(&v->mu);
}

/* Type `text` as a US-layout boot keyboard: press and release each key
 * (letters, digits, '-', '\n' for Enter). */
static inline void vusb_type(struct vusb *v, const char *text)
{
    for (const char *p = text; *p; p++) {
        uint8_t r[8] = {0};
        char c = *p;
        if (c >= 'A' && c <= 'Z') {
            r[0] = 0x02;
            c = (char)(c - 'A' + 'a');
        }
        if (c >= 'a' && c <= 'z')
            r[2] = (uint8_t)(0x04 + (c - 'a'));
        else if (c >= '1' && c <= '9')
            r[2] = (uint8_t)(0x1E + (c - '1'));
        else if (c == '0')
            r[2] = 0x27;
        else if (c == '-')
            r[2] = 0x2D;
        else if (c == '\n')
            r[2] = 0x28;
        vusb_report(v, r);
        uint8_t up[8] = {0};
        vusb_report(v, up);
    }
}

/* Wait until the device has handed out every queued report. */
static inline bool vusb_drained(struct vusb *v, int ms)
{
    for (int i = 0; i < ms / 2; i++) {
        pthread_mutex_lock(&v->mu);
        int left = v->qlen;
        pthread_mutex_unlock(&v->mu);
        if (left == 0)
            return true;
        g_usleep(2000);
    }
    return false;
}

#endif
