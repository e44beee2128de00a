/*
 * ui.h — the station's screen: an SDL2 window drawn from the core's view
 * model, and input turned into the core's events.
 *
 * The UI decides nothing. Each frame it lays out the current view into a list
 * of widgets (ui_layout, pure, also used to hit-test touches), draws them with
 * SDL2 + SDL2_ttf, and turns keys, text, mouse clicks and SDL_FINGER* touches
 * into `struct event`s for the core. It redraws only when asked to.
 *
 * Logical size 1280x800, letterboxed into the real window: scaled by the
 * largest factor that fits, centred, with bars of UI_BAR_RGB around it.
 * Touches and clicks are mapped back through the same rectangle. Touch
 * targets are at least 64 px and text at least 24 px.
 */
#ifndef TRIAGE_UI_H
#define TRIAGE_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "station.h"

#define UI_W 1280
#define UI_H 800
#define UI_MAX_WIDGETS 96
#define UI_BAR_RGB 0x000000u /* the letterbox bars */

/* How frames reach the screen ([display] renderer in the configuration). */
enum ui_renderer {
    UI_RENDERER_AUTO,     /* OpenGL where a GPU draws it, else software (ui.c says how) */
    UI_RENDERER_SOFTWARE, /* SDL's software renderer; the window's framebuffer without OpenGL */
    UI_RENDERER_OPENGL,   /* SDL's OpenGL (or OpenGL ES) renderer, even where it is software */
};

/* "auto", "software", "opengl" and back; -1 for another name. */
int ui_renderer_from_name(const char *name);
const char *ui_renderer_name(enum ui_renderer r);

struct ui_options {
    int width, height;         /* window size; 0 = 1280x800. Fullscreen: the display's size */
    bool fullscreen;           /* a borderless window over the whole display, placed by us
                                  (no window manager needed) */
    bool headless;             /* no display: render offscreen (dummy video driver) */
    enum ui_renderer renderer; /* headless: always software */
    const char *font_path;     /* NULL = the usual places (a CJK font) */
};

/* Devices and queues the screen reports on (later issues fill more). */
#define UI_MAX_DEVICES 8
struct ui_status {
    int ndevices;
    struct {
        char name[32];  /* "scanner usb1", "printer" */
        char state[32]; /* "ready", "offline", … */
        bool ok;
        char code[8];   /* the error id when not ok ("E652"), for support calls; or "" */
        bool printer;   /* the label printer (its trouble is why labels wait) */
    } devices[UI_MAX_DEVICES];
    int labels_waiting;   /* print jobs not yet printed */
    int outbox_waiting;   /* outcomes not yet at head office */
    char sync_last_ok[32];
    char sync_error[128];
    int disk_low_mb;      /* > 0: the data folder's disk has only this many MB free */
};

/* What a touch on a widget sends, kept small (a frame lays out up to 128
 * widgets): ui_action_event makes the station's event of it. */
#define UI_ACTION_TEXT 64
struct ui_action {
    enum event_type type;      /* EV_KEY, EV_TEXT or EV_PICK */
    enum key key;              /* EV_KEY */
    int pick;                  /* EV_PICK */
    char text[UI_ACTION_TEXT]; /* EV_TEXT: the text it types; EV_PICK: the key of a
                                  statistics bar or the plate of a listed row, or "" */
};

/* A rectangle of the screen and what touching it does. */
struct ui_widget {
    int x, y, w, h;
    enum { W_BUTTON, W_LABEL, W_PANEL } kind;
    bool has_event; /* a touch sends act */
    struct ui_action act;
};

struct ui;

/* Open the window and fonts. Returns 0 and *out, or -1 with "E8xx: …". */
int ui_open(const struct ui_options *opt, struct ui **out, char *err, size_t errlen);
void ui_close(struct ui *ui); /* NULL is fine */

/* The SDL video driver in use ("x11", "kmsdrm", "dummy", …). */
const char *ui_driver(const struct ui *ui);

/* The SDL renderer in use ("software", "opengl", "opengles2"). */
const char *ui_renderer(const struct ui *ui);

/* Where the 1280x800 screen lies in a window of w x h pixels: scaled by the
 * largest factor that fits, centred. Pure. */
struct ui_rect {
    int x, y, w, h;
};
struct ui_rect ui_letterbox(int w, int h);

/* A point of a w x h window (pixels, fractions allowed) on the 1280x800
 * screen: true and *x, *y, or false when it falls on a bar. Pure. */
bool ui_window_to_screen(int w, int h, float wx, float wy, int *x, int *y);

/*
 * Wait up to timeout_ms (-1 = forever, 0 = poll) for input and translate it
 * into at most `max` station events stamped with `now`. Sets *quit when the
 * window is closed. Returns the number of events written.
 */
int ui_poll(struct ui *ui, int timeout_ms, int64_t now, struct event *out, int max, bool *quit);

/* Make a waiting ui_poll of this ui return soon (with no events), so the
 * main loop looks at what changed elsewhere (a scan, the printer, queues).
 * Callable from any thread while the ui is open: stop every thread that may
 * call it before ui_close. NULL does nothing. */
void ui_wake(struct ui *ui);

/* The camera's newest frame for the photo screen's live view (XRGB8888,
 * w x h, copied; NULL: none, the view goes dark). Main thread only. */
void ui_camera_frame(struct ui *ui, const uint32_t *pixels, int w, int h);

/* Draw the view and present it. `status` may be NULL. */
void ui_render(struct ui *ui, const struct view *view, const struct ui_status *status);

/* Save the last rendered frame as a PNG. Returns 0 or -1 with err. */
int ui_screenshot(struct ui *ui, const char *path, char *err, size_t errlen);

/* The stats screen's view laid out: how far its rows can scroll (the first
 * row shown when the last one is), for station_stats_scroll_limit. Pure. */
int ui_stats_scroll_max(const struct view *view);

/* Lay out a view: fills widgets (at most max) and returns how many. Pure. */
int ui_layout(const struct view *view, struct ui_widget *widgets, int max);

/* The event a touch on a widget with action `act` sends at `now`: its type,
 * key, pick and text (with len). Pure. */
void ui_action_event(const struct ui_action *act, int64_t now, struct event *out);

/* Input as a device would give it, through SDL's own event queue (scripts, tests):
 * a key by SDL key name ("Return", "F2", "1"), typed text, and a touch as
 * SDL_FINGERDOWN + SDL_FINGERUP at logical coordinates (sent normalised to
 * the window, as a touch screen sends them). */
int ui_inject_key(struct ui *ui, const char *sdl_key_name); /* -1: unknown name */
void ui_inject_text(struct ui *ui, const char *utf8);
void ui_inject_tap(struct ui *ui, int x, int y);

#endif
