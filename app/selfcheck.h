/*
 * selfcheck.h — `triage selfcheck`: what a new station lacks, one line per check.
 *
 * Each line starts with an id: I8xx ok (fine), W8xx (works, but look at it), E8xx (the
 * station cannot work like this). Same number, same check:
 *   850 user       whose access is checked: the current user; as root, the station's
 *                  user triage (its groups) when it exists
 *   851 video      the video driver SDL really starts, as the station would choose it
 *   852 /dev/dri   the screen's DRM devices, read-write for the user (kmsdrm needs them)
 *   853 input      /dev/input/event* readable by the user (touch screen, keyboard)
 *   854 scanner    each configured scanner present and openable (one line each)
 *   855 printer    the configured printer reachable and ready (a 3 s timeout)
 *   856 head office  the sync target: PostgreSQL reached with the configured TLS, or
 *                  the spool folder writable
 *   857 data       the data folder writable by the user, not readable by others
 *   858 disk       free space where the data folder is
 *   859 database   DATA/triage.db passes quick_check (a missing database is reported,
 *                  never created)
 *   860 camera     the configured camera's device read-write for the user, and a JPEG
 *                  picture from its pipeline within 5 s (or none configured)
 * Nothing is changed or created by a check.
 *
 * The running station shows the same lines on its service screen (admins,
 * app/selfcheck_worker.c): there the video line is the station's own window
 * (`video`; SDL's video is not started a second time) and the printer line
 * is the print worker's last look (`printer`; the printer is the worker's
 * and is not opened twice).
 */
#ifndef TRIAGE_SELFCHECK_H
#define TRIAGE_SELFCHECK_H

#include <stdio.h>

#include "config.h"

struct printer_status;

struct selfcheck_options {
    const char *data_dir;
    const struct config *cfg;
    int timeout_ms; /* the printer's; 0 = 3000 (head office: the sync's own 10 s) */
    /* The running station's: its video driver and renderer ("x11, renderer
     * software"), NULL to start SDL's video and see; the print worker's
     * printer state and labels waiting, NULL to open the printer and ask. */
    const char *video;
    const struct printer_status *printer;
    int labels_waiting;
    /* Each line as well, when set: its id ("I851"), what ("video") and text. */
    void (*on_line)(void *ctx, const char *id, const char *what, const char *text);
    void *line_ctx;
};

/* Run every check, one line each to `out` (NULL: none). Returns the number of
 * E lines. */
int selfcheck_run(const struct selfcheck_options *opt, FILE *out);

#endif
