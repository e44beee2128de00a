/*
 * config.h — the station's configuration: one INI file.
 *
 * Looked for in this order: --config FILE; /etc/triage/triage.conf when it
 * exists; else the built-in defaults. Read with inih. An unknown section or
 * key, or a bad value, is an error naming the file and line (E1xx).
 *
 *   [station]  id, site, idle_logout_min, lang, fullscreen, rules, font,
 *              calibration_pct, timezone
 *   [scanner.NAME]  type, device, layout, suffix, baud
 *   [printer]  type, address, device, queue, size, dpi
 *   [sync]     target, batch_size, interval_s, credentials, sslmode,
 *              sslrootcert, sslcert, sslkey
 *   [backup]   dir, keep_days, hour, after_start_s
 *   [display]  renderer
 *   [retention] days, warn_free_mb, min_free_mb
 *   [camera]   pipeline, preview_fps, stall_ms
 * A section or a key given twice, and a NUL byte, are errors too.
 */
#ifndef TRIAGE_CONFIG_H
#define TRIAGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "backup_worker.h"
#include "camera.h"
#include "lang.h"
#include "printer.h"
#include "scanner.h"
#include "sync.h"

/* [display]: how the screen is drawn (ui.h enum ui_renderer by name). */
struct display_opts {
    char renderer[16]; /* "auto", "software" or "opengl" */
};

/* [retention]: what the station keeps, and the room it needs. */
struct retention_opts {
    int days;         /* outbox rows and label files head office has are kept this long;
                         0 = for ever */
    int warn_free_mb; /* the top bar warns below this much free disk */
    int min_free_mb;  /* the station does not start below this much */
};

struct config {
    char station_id[32];
    char site[32];
    int idle_logout_min; /* 0 = never */
    enum lang lang;
    bool fullscreen;
    char rules_path[512]; /* "" = built-in rules */
    char font_path[512];  /* "" = look in the usual places */
    int calibration_pct;  /* share of inspections queued for a blind re-grade */
    char timezone[64];    /* the site's IANA time zone: days and hours are counted in it */
    int nscanners;
    struct scanner_opts scanners[SCANNERS_MAX];
    struct printer_opts printer;
    struct sync_opts sync;
    struct backup_opts backup;
    struct display_opts display;
    struct retention_opts retention;
    /* [camera]: camera.pipeline is NULL without a camera (no pipeline, or an
     * empty one), else it points at camera_pipeline of this same struct: a
     * copy of the struct takes its options through config_camera_opts. */
    char camera_pipeline[1024];
    struct camera_opts camera;
};

/* Fill `cfg` with the built-in defaults. */
void config_defaults(struct config *cfg);

/* Read `path` over what cfg holds. Returns 0, or -1 with
 * "E1xx: FILE:LINE: …" in err. */
int config_load(const char *path, struct config *cfg, char *err, size_t errlen);

/* The same from a string (tests); `name` stands for the file in messages. */
int config_load_string(const char *text, const char *name, struct config *cfg, char *err,
                       size_t errlen);

/* The printer's options as the station opens it: [printer], and the
 * [station] font for its labels too; the labels' language is [printer]
 * lang, else the station's. The caller sets label.rules. */
void config_printer_opts(const struct config *cfg, struct printer_opts *out);

/* The camera's options as the station opens it; out->pipeline NULL (no
 * camera) or pointing into cfg. */
void config_camera_opts(const struct config *cfg, struct camera_opts *out);

#endif
