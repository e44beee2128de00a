/*
 * config.h — the station's configuration: one INI file.
 *
 * Looked for in this order: --config FILE; /etc/triage/triage.conf when it
 * exists; else the built-in defaults. Read with inih. An unknown section or
 * key, or a bad value, is an error naming the file and line (E1xx).
 *
 *   [station]  id, site, idle_logout_min, lang, fullscreen, rules, font,
 *              calibration_pct
 *   [scanner.NAME]  type, device, layout, suffix, baud
 *   [printer]  type, address, device, queue, size, dpi
 *   [sync]     target, batch_size, interval_s, credentials, sslmode,
 *              sslrootcert, sslcert, sslkey
 */
#ifndef TRIAGE_CONFIG_H
#define TRIAGE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "lang.h"

#define CONFIG_MAX_SCANNERS 8

struct scanner_config {
    char name[32];
    char type[16];    /* usb-hid | hid-pos | serial | evdev | wedge */
    char device[256]; /* VID:PID, "any", or a device path */
    char layout[8];   /* us | de | fr */
    char suffix[8];   /* "enter" | "tab" */
    int baud;
};

struct printer_config {
    char type[16];     /* zpl-tcp | zpl-usb | cups | folder */
    char address[256]; /* host:port for zpl-tcp */
    char device[256];  /* VID:PID or path for zpl-usb */
    char queue[64];    /* CUPS queue */
    char size[8];      /* 4x6 | 4x3 | 2x1 */
    int dpi;           /* 203 | 300 */
};

struct sync_config {
    char target[512];      /* "spool:DIR" or "postgresql://…"; "" = spool under DATA */
    int batch_size;        /* default 500 */
    int interval_s;        /* seconds between rounds, default 60 */
    char credentials[256]; /* file with the connection password; not world-readable */
    char sslmode[16];      /* libpq sslmode: disable … verify-full; "" = libpq's default */
    char sslrootcert[256]; /* CA certificate file for verify-ca / verify-full */
    char sslcert[256];     /* this station's client certificate */
    char sslkey[256];      /* its private key (libpq refuses one others may read) */
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
    int nscanners;
    struct scanner_config scanners[CONFIG_MAX_SCANNERS];
    struct printer_config printer;
    struct sync_config sync;
};

/* Fill `cfg` with the built-in defaults. */
void config_defaults(struct config *cfg);

/* Read `path` over what cfg holds. Returns 0, or -1 with
 * "E1xx: FILE:LINE: …" in err. */
int config_load(const char *path, struct config *cfg, char *err, size_t errlen);

/* The same from a string (tests); `name` stands for the file in messages. */
int config_load_string(const char *text, const char *name, struct config *cfg, char *err,
                       size_t errlen);

#endif
