/*
 * printer.c — the station's printer: a label maker plus one transport
 * (printer.h's first layer). It lays out the label only in the forms its
 * transport takes, and hands the job to the transport.
 *
 * Invariant: p->maker and p->transport are both set on an open printer.
 */
#include "printer.h"

#include "label.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct printer {
    struct label_maker *maker;
    struct prn *transport;
    int layout_failed; /* the last printer_print failed before the transport */
    int dpi;
};

const char *printer_state_name(enum printer_state s)
{
    switch (s) {
    case PRINTER_READY:
        return "ready";
    case PRINTER_OFFLINE:
        return "offline";
    case PRINTER_PAPER_OUT:
        return "paper out";
    case PRINTER_PAUSED:
        return "paused";
    case PRINTER_ERROR:
        return "error";
    }
    return "error";
}

/* The transport the config names; NULL with err. */
static struct prn *open_transport(const struct printer_opts *cfg, const char *data_dir,
                                  int timeout_ms, char *err, size_t errlen)
{
    const char *type = cfg->type[0] ? cfg->type : "folder";
    if (strcmp(type, "folder") == 0) {
        char dir[PATH_MAX];
        if (snprintf(dir, sizeof dir, "%s/labels", data_dir) >= (int)sizeof dir) {
            snprintf(err, errlen, "E645: data folder name too long");
            return NULL;
        }
        return prn_folder_open(dir, err, errlen);
    }
    if (strcmp(type, "zpl-tcp") == 0)
        return prn_tcp_open(cfg->address, timeout_ms, err, errlen);
    if (strcmp(type, "zpl-usb") == 0)
        return prn_usb_open(cfg->device, timeout_ms, err, errlen);
    if (strcmp(type, "cups") == 0)
        return prn_cups_open(cfg->queue, timeout_ms, err, errlen);
    snprintf(err, errlen, "E643: unknown printer type %.20s; use zpl-tcp, zpl-usb, cups or folder",
             type);
    return NULL;
}

int printer_open_timeout(const struct printer_opts *cfg, const char *data_dir, int timeout_ms,
                         struct printer **out, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    *out = NULL;
    if (timeout_ms <= 0)
        timeout_ms = PRINTER_TIMEOUT_MS;
    struct label_spec spec;
    int rc = label_spec_from_opts(&spec, &cfg->label, err, errlen);
    if (rc)
        return rc;
    struct printer *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "E644: out of memory");
        return -ENOMEM;
    }
    p->maker = label_maker_open(&spec, err, errlen);
    if (!p->maker) {
        printer_close(p);
        return -EINVAL;
    }
    p->dpi = spec.dpi;
    p->transport = open_transport(cfg, data_dir, timeout_ms, err, errlen);
    if (!p->transport) {
        printer_close(p);
        return -EINVAL;
    }
    *out = p;
    return 0;
}

int printer_open(const struct printer_opts *cfg, const char *data_dir, struct printer **out,
                 char *err, size_t errlen)
{
    return printer_open_timeout(cfg, data_dir, 0, out, err, errlen);
}

const char *printer_type(const struct printer *p) { return prn_type(p->transport); }

int printer_failed_in_layout(const struct printer *p) { return p->layout_failed; }

int printer_print(struct printer *p, const struct inspection *insp, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    unsigned wants = prn_wants(p->transport);
    char *zpl = NULL;
    void *png = NULL;
    size_t zpl_len = 0, png_len = 0;
    int rc = 0;
    if (wants & PRN_ZPL) {
        rc = label_zpl(p->maker, insp, &zpl, &zpl_len);
        if (rc)
            snprintf(err, errlen, "%s", label_maker_error(p->maker));
    }
    if (rc == 0 && (wants & PRN_PNG))
        rc = label_png_mem(p->maker, insp, &png, &png_len, err, errlen);
    p->layout_failed = rc != 0;
    if (rc == 0) {
        struct prn_job job = {.name = insp->plate, .zpl = zpl, .zpl_len = zpl_len,
                              .png = png, .png_len = png_len, .dpi = p->dpi};
        rc = prn_send(p->transport, &job, err, errlen);
    }
    free(zpl);
    free(png);
    return rc;
}

int printer_status(struct printer *p, struct printer_status *st)
{
    return prn_status(p->transport, st);
}

void printer_close(struct printer *p)
{
    if (!p)
        return;
    prn_close(p->transport);
    label_maker_close(p->maker);
    free(p);
}
