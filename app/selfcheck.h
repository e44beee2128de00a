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
 */
#ifndef TRIAGE_SELFCHECK_H
#define TRIAGE_SELFCHECK_H

#include <stdio.h>

#include "config.h"

struct selfcheck_options {
    const char *data_dir;
    const struct config *cfg;
    int timeout_ms; /* the printer's; 0 = 3000 (head office: the sync's own 10 s) */
};

/* Run every check, one line each to `out`. Returns the number of E lines. */
int selfcheck_run(const struct selfcheck_options *opt, FILE *out);

#endif
