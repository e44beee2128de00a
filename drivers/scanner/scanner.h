/*
 * scanner.h — barcode scanners: decoders for what scanners send, and the
 * scanner manager that runs them in a thread of their own.
 *
 * One file per kind of scanner holds that kind's device I/O and its
 * decoder, behind one interface (scan_kind.h, private):
 *   scan_usbhid.c  usb-hid  hidkeys_ / hidboot_  USB HID boot keyboard reports (libusb)
 *   scan_hidpos.c  hid-pos  hidpos_              USB HID POS (usage page 0x8C) reports (libusb)
 *   scan_serial.c  serial   serframe_            tty bytes framed by CR / LF (termios)
 *   scan_evdev.c   evdev    evdev_               Linux input key events (EVIOCGRAB)
 * with scan_usb.c (libusb context, hotplug, transfers for both USB kinds)
 * and hid_keymap.c (keyboard layouts). README.md in this folder lists the
 * hardware, protocols and tests of each kind.
 *
 * Decoders are pure: bytes in, whole codes (or rejections) out through a
 * `struct scan_sink`. They never deliver half a code.
 *
 * The manager (scanners.c, prefix scanners_) opens what the configuration
 * names in one thread, and hands completed codes to the main loop through a
 * locked queue plus a wake-up callback. It never calls SDL: the caller's
 * `wake` does (ui_wake).
 *
 * Error ids E570–E599 (ERRORS.md).
 */
#ifndef TRIAGE_SCANNER_H
#define TRIAGE_SCANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCANNERS_MAX 8 /* scanners one station runs at most */

/* One scanner, as the [scanner.NAME] section of the configuration says. */
struct scanner_opts {
    char name[32];
    char type[16];    /* usb-hid | hid-pos | serial | evdev | wedge */
    char device[256]; /* VID:PID, "any", or a device path */
    char layout[8];   /* us | de | fr */
    char suffix[8];   /* "enter" | "tab" */
    int baud;
};


/* No barcode a station reads is longer: a code that grows past this is
 * rejected (E573). Fits struct event's text with room to spare. */
#define SCAN_MAX_CODE 500

/* A half code older than this with no new data is discarded (E574). */
#define SCAN_STALL_MS 1000

/* Where decoders put their output. `code` gets whole codes only (UTF-8,
 * len bytes, NUL-terminated); `reject` gets an error id and a reason for
 * each code, or half code, thrown away. Either may be NULL. */
struct scan_sink {
    void *ctx;
    void (*code)(void *ctx, const char *text, size_t len);
    void (*reject)(void *ctx, const char *id, const char *why);
};

/* ---- keyboard layouts (hid_keymap.c) ------------------------------------ */
/* see hid_keymap.h */

/* ---- HID boot keyboard (scan_usbhid.c) ---------------------------------- */

#define HID_MOD_LCTRL 0x01
#define HID_MOD_LSHIFT 0x02
#define HID_MOD_LALT 0x04
#define HID_MOD_RCTRL 0x10
#define HID_MOD_RSHIFT 0x20
#define HID_MOD_RALT 0x40 /* AltGr on DE and FR layouts */

enum scan_suffix { SCAN_SUFFIX_ENTER, SCAN_SUFFIX_TAB };

/* Key presses to codes: shared by HID boot reports and evdev. */
struct hidkeys {
    int layout; /* enum hid_layout */
    enum scan_suffix suffix;
    char buf[SCAN_MAX_CODE + 8];
    size_t len;
    bool bad;      /* a key without a character was pressed: reject at the end */
    bool overlong; /* past SCAN_MAX_CODE: reject at the end */
    char why[96];  /* the first problem of this code */
    const char *why_id;
};

void hidkeys_init(struct hidkeys *k, int layout, enum scan_suffix suffix);
/* One key press (HID usage, page 0x07) with the modifier byte. */
void hidkeys_press(struct hidkeys *k, uint8_t usage, uint8_t mods, const struct scan_sink *s);
/* Drop a half code: id and reason go to the sink when there was one. */
void hidkeys_abort(struct hidkeys *k, const char *id, const char *why, const struct scan_sink *s);
bool hidkeys_pending(const struct hidkeys *k);

struct hidboot {
    struct hidkeys keys;
    uint8_t prev[6]; /* usages held down in the previous report */
};

void hidboot_init(struct hidboot *d, int layout, enum scan_suffix suffix);
/* One interrupt report: 8 bytes (modifiers, reserved, 6 usages). Anything
 * else is malformed (E570) and drops the half code. */
void hidboot_feed(struct hidboot *d, const uint8_t *report, size_t len, const struct scan_sink *s);
void hidboot_abort(struct hidboot *d, const char *id, const char *why, const struct scan_sink *s);
bool hidboot_pending(const struct hidboot *d);

/* ---- HID POS (scan_hidpos.c) -------------------------------------------- */

/*
 * Scanned-data report (HID Point of Sale Usage Tables, page 0x8C, usage 0x12),
 * in the layout Honeywell and Access-IS devices send:
 *   byte 0      report id 2
 *   byte 1      n, data bytes in this report (0..HIDPOS_DATA_MAX)
 *   bytes 2–4   AIM symbology identifier, "]C1" (zeros when none)
 *   bytes 5–    data, n bytes
 *   last byte   bit 0: more reports of this message follow
 * Other report ids are not scanned data and are ignored.
 */
#define HIDPOS_REPORT_ID 2
#define HIDPOS_HEADER 5

struct hidpos {
    char buf[SCAN_MAX_CODE + 8];
    size_t len;
    bool active; /* inside a multi-report message */
    bool overlong;
};

void hidpos_init(struct hidpos *d);
void hidpos_feed(struct hidpos *d, const uint8_t *report, size_t len, const struct scan_sink *s);
void hidpos_abort(struct hidpos *d, const char *id, const char *why, const struct scan_sink *s);
bool hidpos_pending(const struct hidpos *d);

/* ---- serial (scan_serial.c) --------------------------------------------- */

/* Codes end at CR or LF (CR LF is one end). GS (0x1D), RS, EOT and Tab are
 * data; other control bytes (E578) and invalid UTF-8 (E579) reject the code. */
struct serframe {
    char buf[SCAN_MAX_CODE + 8];
    size_t len;
    bool bad, overlong;
    const char *why_id;
    char why[96];
};

void serframe_init(struct serframe *f);
void serframe_feed(struct serframe *f, const uint8_t *bytes, size_t n, const struct scan_sink *s);
void serframe_abort(struct serframe *f, const char *id, const char *why, const struct scan_sink *s);
bool serframe_pending(const struct serframe *f);

/* Whether a finished code may be delivered: valid UTF-8 with no control
 * bytes but GS, RS, EOT and Tab. NULL when it may, else the error id (E578
 * control byte, E579 not UTF-8). */
const char *scan_text_problem(const char *text, size_t len);

/* termios speed constant for a baud rate, 0 when unsupported. */
unsigned serial_speed(int baud);

/* ---- evdev (scan_evdev.c) ----------------------------------------------- */

/* Linux input key code (KEY_A …) to HID usage (page 0x07), 0 when none. */
uint8_t evdev_key_to_usage(unsigned code);
/* Modifier bit (HID_MOD_*) of a Linux key code, 0 when not a modifier. */
uint8_t evdev_key_to_mod(unsigned code);

/* Key events to codes: struct input_event records (linux/input.h) in,
 * modifiers tracked from their own key events, presses typed through
 * hidkeys_ (releases, autorepeat and lock keys type nothing). */
struct evdev_keys {
    struct hidkeys keys;
    uint8_t mods; /* HID_MOD_* held down */
};

void evdev_keys_init(struct evdev_keys *k, int layout, enum scan_suffix suffix);
/* len bytes of whole input_event records, as read(2) gives them from an
 * event device; a trailing part of a record is ignored. */
void evdev_keys_feed(struct evdev_keys *k, const void *events, size_t len,
                     const struct scan_sink *s);
void evdev_keys_abort(struct evdev_keys *k, const char *id, const char *why,
                      const struct scan_sink *s);
bool evdev_keys_pending(const struct evdev_keys *k);

/* ---- the manager (scanners.c) ------------------------------------------- */

struct scan_code {
    char source[32]; /* the scanner's name from [scanner.NAME] */
    char text[SCAN_MAX_CODE + 8];
    size_t len;
    int64_t ready_ns; /* clock_mono_ns() when the code was complete */
};

struct scanner_state {
    char name[32];
    char type[16];
    char state[16];      /* "ready", "offline", "error" */
    char detail[96];     /* "05e0:1200 bus 1 dev 2"; in "error" it starts with the id: "E580 …" */
    unsigned codes;      /* delivered */
    unsigned rejected;   /* half or bad codes thrown away */
    char last_reject[8]; /* error id of the last rejection, "" when none */
};

struct scanners;

/* Whether a configured scanner is hardware this module runs (not "wedge"). */
bool scanner_is_hardware(const struct scanner_opts *c);

/*
 * Start the scanners of cfgs[0..n) that are hardware (wedge ones are left to
 * the UI). `wake(ctx)` is called from the scanner thread after a code was
 * queued or a state changed; it must be thread-safe. Returns 0 and *out
 * (NULL when no hardware scanner is configured), or -1 with "E5xx: …".
 * A scanner that is not there yet is not an error: it shows "offline" and is
 * picked up when it appears.
 */
int scanners_open(const struct scanner_opts *cfgs, int n, void (*wake)(void *ctx), void *wake_ctx,
                  struct scanners **out, char *err, size_t errlen);

/* Stop the thread, release every device. NULL is fine. */
void scanners_close(struct scanners *m);

/* Take the oldest completed code. Returns 1 and *out, or 0 when none. */
int scanners_take(struct scanners *m, struct scan_code *out);

/* A counter that changes whenever a scanner's state does. */
unsigned scanners_generation(struct scanners *m);

/* Copy out up to max states; returns how many scanners there are. */
int scanners_states(struct scanners *m, struct scanner_state *out, int max);

/* Tests and benchmarks: run one report through scanner i's decoder exactly as
 * a completed USB transfer would (decode, queue, wake). */
void scanners_inject_report(struct scanners *m, int i, const uint8_t *report, size_t len);

#endif
