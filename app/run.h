/*
 * run.h — running the station: the main loop that carries out the core's
 * effects, interactively or from a script.
 */
#ifndef TRIAGE_RUN_H
#define TRIAGE_RUN_H

#include <stdbool.h>

#include "config.h"
#include "rules.h"

struct run_options {
    const char *data_dir;     /* holds triage.db and labels/ */
    const struct config *cfg;
    const struct rules *rules;
    const char *script;       /* NULL: interactive */
    const char *shots;        /* where `shot NAME` writes NAME.png; NULL = DATA/shots */
    int width, height;        /* window size */
    bool fullscreen;
    enum lang lang;
};

/* Run until the window closes or the script ends. Returns the process exit
 * status: 0, 1 on an error, 3 when a script's `expect` failed. */
int run_station(const struct run_options *opt);

#endif
