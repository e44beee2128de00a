/*
 * prn_cups.c — a printer behind CUPS, through libcups.
 *
 * Each job: find the destination (cupsGetNamedDest; "" = the default),
 * then cupsCreateJob, cupsStartDocument, cupsWriteRequestData,
 * cupsFinishDocument on one connection to the server (httpConnect2 with a
 * timeout, so a dead cupsd cannot hold the worker). A raw queue gets the ZPL
 * as application/vnd.cups-raw; any other queue gets the PNG, which CUPS's
 * filters turn into what the printer takes. The job counts as sent once
 * cupsd has the whole document: from there CUPS's own spool keeps it.
 *
 * Status: the queue's printer-state (3 idle, 4 processing, 5 stopped) and
 * printer-state-reasons (media-empty, paused, …) from cupsGetNamedDest.
 */
#include "printer.h"

#include "cups_fns.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prn_cups {
    struct prn base;
    char queue[128];
    int timeout_ms;
};

/* A connection to the server libcups is set up for; NULL with err. */
static http_t *connect_server(struct prn_cups *c, char *err, size_t errlen)
{
    http_t *http = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(), 1,
                                c->timeout_ms, NULL);
    if (!http)
        snprintf(err, errlen, "E681: CUPS server %s does not answer: %s", cupsServer(),
                 cupsLastErrorString());
    return http;
}

static cups_dest_t *get_dest(struct prn_cups *c, http_t *http, char *err, size_t errlen)
{
    cups_dest_t *d = cupsGetNamedDest(http, c->queue[0] ? c->queue : NULL, NULL);
    if (!d)
        snprintf(err, errlen, "E681: CUPS queue %.100s not found on %.100s: %.200s",
                 c->queue[0] ? c->queue : "(default)", cupsServer(), cupsLastErrorString());
    return d;
}

static int is_raw(cups_dest_t *d)
{
    const char *mm = cupsGetOption("printer-make-and-model", d->num_options, d->options);
    return mm && strstr(mm, "Raw") != NULL;
}

static int cups_send(struct prn *base, const struct prn_job *job, char *err, size_t errlen)
{
    struct prn_cups *c = (struct prn_cups *)base;
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    http_t *http = connect_server(c, err, errlen);
    if (!http)
        return -EHOSTUNREACH;
    int rc = 0;
    cups_dest_t *d = get_dest(c, http, err, errlen);
    if (!d) {
        httpClose(http);
        return -ENOENT;
    }
    int raw = is_raw(d);
    const char *data = raw ? job->zpl : job->png;
    size_t len = raw ? job->zpl_len : job->png_len;
    const char *format = raw ? CUPS_FORMAT_RAW : "image/png";
    if (!data || !len) {
        snprintf(err, errlen, "E640: job %s has no %s for CUPS queue %s", job->name,
                 raw ? "ZPL" : "PNG", d->name);
        rc = -EINVAL;
        goto out;
    }
    /* A raster at its true size: the PNG's pixels at the label's dpi (IHDR:
     * width and height, big-endian, at bytes 16 and 20). */
    int nopt = 0;
    cups_option_t *opts = NULL;
    if (!raw && job->dpi > 0 && len >= 24 && memcmp(data, "\x89PNG", 4) == 0) {
        const unsigned char *h = (const unsigned char *)data;
        unsigned long pw = (unsigned long)h[16] << 24 | (unsigned long)h[17] << 16 |
                           (unsigned long)h[18] << 8 | h[19];
        unsigned long ph = (unsigned long)h[20] << 24 | (unsigned long)h[21] << 16 |
                           (unsigned long)h[22] << 8 | h[23];
        char ppi[16], media[64];
        snprintf(ppi, sizeof ppi, "%d", job->dpi);
        snprintf(media, sizeof media, "Custom.%.2fx%.2fin", (double)pw / job->dpi,
                 (double)ph / job->dpi);
        nopt = cupsAddOption("ppi", ppi, nopt, &opts);
        nopt = cupsAddOption("media", media, nopt, &opts);
    }
    int id = cupsCreateJob(http, d->name, job->name ? job->name : "label", nopt, opts);
    cupsFreeOptions(nopt, opts);
    if (id <= 0) {
        snprintf(err, errlen, "E682: CUPS queue %s refused the job: %s", d->name,
                 cupsLastErrorString());
        rc = -EIO;
        goto out;
    }
    if (cupsStartDocument(http, d->name, id, job->name, format, 1) != HTTP_STATUS_CONTINUE) {
        snprintf(err, errlen, "E683: CUPS queue %s: cannot start the document: %s", d->name,
                 cupsLastErrorString());
        rc = -EIO;
    } else if (cupsWriteRequestData(http, data, len) != HTTP_STATUS_CONTINUE) {
        snprintf(err, errlen, "E684: CUPS queue %s: sending the label failed: %s", d->name,
                 cupsLastErrorString());
        cupsFinishDocument(http, d->name);
        rc = -EIO;
    } else if (cupsFinishDocument(http, d->name) != IPP_STATUS_OK) {
        snprintf(err, errlen, "E685: CUPS queue %s did not take the label: %s", d->name,
                 cupsLastErrorString());
        rc = -EIO;
    }
    if (rc)
        cupsCancelJob2(http, d->name, id, 0);
out:
    cupsFreeDests(1, d);
    httpClose(http);
    return rc;
}

static int cups_status(struct prn *base, struct printer_status *st)
{
    struct prn_cups *c = (struct prn_cups *)base;
    memset(st, 0, sizeof *st);
    char err[512];
    http_t *http = connect_server(c, err, sizeof err);
    cups_dest_t *d = http ? get_dest(c, http, err, sizeof err) : NULL;
    if (!d) {
        st->state = PRINTER_OFFLINE;
        snprintf(st->detail, sizeof st->detail, "%.150s", err);
        httpClose(http);
        return 0;
    }
    const char *state = cupsGetOption("printer-state", d->num_options, d->options);
    const char *reasons = cupsGetOption("printer-state-reasons", d->num_options, d->options);
    const char *accepting = cupsGetOption("printer-is-accepting-jobs", d->num_options, d->options);
    if (reasons && strstr(reasons, "media-empty")) {
        st->state = PRINTER_PAPER_OUT;
        snprintf(st->detail, sizeof st->detail, "out of labels");
    } else if ((state && atoi(state) == 5) || (accepting && strcmp(accepting, "false") == 0)) {
        st->state = PRINTER_PAUSED;
        snprintf(st->detail, sizeof st->detail, "E686: CUPS queue %.100s is stopped or rejecting jobs",
                 d->name);
    } else {
        st->state = PRINTER_READY;
    }
    cupsFreeDests(1, d);
    httpClose(http);
    return 0;
}

static void cups_close(struct prn *base) { free(base); }

static const struct prn_ops cups_ops = {
    .type = "cups",
    .formats = PRN_ZPL | PRN_PNG, /* which one goes depends on the queue */
    .send = cups_send,
    .status = cups_status,
    .close = cups_close,
};

struct prn *prn_cups_open(const char *queue, int timeout_ms, char *err, size_t errlen)
{
    char scratch[8];
    if (!err || !errlen)
        err = scratch, errlen = sizeof scratch;
    if (queue && strlen(queue) >= 128) {
        snprintf(err, errlen, "E680: CUPS queue name too long");
        return NULL;
    }
    if (cups_load(err, errlen) != 0)
        return NULL;
    struct prn_cups *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "E680: out of memory");
        return NULL;
    }
    c->base.ops = &cups_ops;
    c->timeout_ms = timeout_ms > 0 ? timeout_ms : PRINTER_TIMEOUT_MS;
    snprintf(c->queue, sizeof c->queue, "%s", queue ? queue : "");
    return &c->base;
}
