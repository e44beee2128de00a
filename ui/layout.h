/*
 * layout.h — a view laid out as a display list (inside ui/ only).
 *
 * lay_build() turns the core's view into a list of items in drawing order:
 * panels, texts, buttons, charts and a few special shapes, each with its
 * rectangle and, for buttons, the small action a touch sends (ui.h
 * struct ui_action). The list holds everything it draws: its texts, and
 * the charts its LK_CHART items stand for. It is pure (no SDL, no fonts):
 * the same list is painted by paint.c and hit-tested by ui.c, so what is
 * drawn is exactly what can be touched. Texts are fitted into their boxes at
 * paint time (wrapped, shrunk down to min_size, then cut with "…").
 *
 * Invariants (checked by tests/test_ui.c for every screen): every button is
 * at least MIN_TARGET px on both sides, lies inside the 1280x800 screen and
 * overlaps no other button.
 */
#ifndef TRIAGE_UI_LAYOUT_H
#define TRIAGE_UI_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "chart.h"
#include "ui.h"

#define LAY_MAX 128
#define LAY_CHARTS 6
#define LAY_TEXT_MAX 320
_Static_assert(RULES_MAX_IMAGE_PATH <= LAY_TEXT_MAX, "an LK_PICTURE's text holds an image's path");
#define LAY_HINT_MAX 16

enum lay_kind {
    LK_PANEL,    /* a filled rounded rectangle, optionally bordered */
    LK_TEXT,     /* text fitted into its box */
    LK_BUTTON,   /* a touch target with a label (and maybe a key hint) */
    LK_FIELD,    /* an input field showing typed text or a placeholder */
    LK_DOTS,     /* num filled dots: the PIN typed so far */
    LK_PROGRESS, /* total segments, num of them done, the next one current */
    LK_GRADE,    /* a grade letter on its coloured tile: num = enum grade */
    LK_STATUS,   /* the top bar's device and queue status (from ui_status) */
    LK_CHART,    /* a chart (chart.h): num = its index in struct lay's charts */
    LK_CAMERA,   /* the camera's live view: its newest frame, fitted (ui_camera_frame) */
    LK_PICTURE,  /* the picture in the file whose path is text, as large as fits, its
                    proportions kept; a placeholder when it cannot be loaded */
};

enum lay_style {
    ST_PRIMARY,
    ST_SECONDARY,
    ST_PAD,    /* a key of the number pad */
    ST_ANSWER, /* a choice with its number key in a badge on the left */
    ST_TOGGLE_ON,
    ST_TOGGLE_OFF,
    ST_DANGER,
    ST_GHOST, /* a touch target drawn by something under it (a chart's bar) */
};

enum lay_align { AL_LEFT, AL_CENTER, AL_RIGHT };
enum lay_valign { VA_CENTER, VA_TOP };
enum lay_icon { ICON_NONE, ICON_BACKSPACE, ICON_CHECK };

struct lay_item {
    struct ui_widget w; /* rectangle, public kind, action */
    enum lay_kind kind;
    enum lay_style style;
    enum lay_align align;
    enum lay_valign valign;
    enum lay_icon icon;
    bool bold;
    bool placeholder; /* LK_FIELD: text is a hint, not input */
    int size;         /* font size, px */
    int min_size;     /* smallest size the text may shrink to */
    int max_lines;    /* 0: as many as fit */
    int radius;
    uint32_t fg, bg, border; /* 0xRRGGBB; border 0 = none */
    int num, total;
    char hint[LAY_HINT_MAX]; /* key hint on a button: "1", "Esc", "F2" */
    char text[LAY_TEXT_MAX];
};

struct lay {
    int n;
    bool overflow; /* more items or charts were added than fit: a layout bug */
    enum lang lang;
    struct lay_item items[LAY_MAX];
    struct lay_item spare; /* takes the writes to items past LAY_MAX */
    int ncharts;
    struct chart charts[LAY_CHARTS];
    int scroll_max; /* the stats screen: how far its rows can scroll (first row) */
};

/* Lay out `view` into *out (cleared first). Pure. */
void lay_build(const struct view *view, struct lay *out);

/* The topmost item with an event that contains (x, y), or NULL. */
const struct lay_item *lay_hit(const struct lay *lay, int x, int y);

/* ---- building blocks (layout.c), used by the screens (screens.h) ---- */

/* A new item, cleared, with the defaults (FS_BODY text, C_TEXT, left,
 * centred); a spare one when the list is full (and L->overflow set). */
struct lay_item *lay_add(struct lay *L, enum lay_kind kind, int x, int y, int w, int h);
struct lay_item *lay_panel(struct lay *L, int x, int y, int w, int h, uint32_t bg, uint32_t border,
                           int radius);
/* A card: white, bordered, with a soft shadow. */
struct lay_item *lay_card(struct lay *L, int x, int y, int w, int h);
struct lay_item *lay_text(struct lay *L, int x, int y, int w, int h, const char *text, int size,
                          uint32_t fg, enum lay_align align, bool bold);
struct lay_item *lay_field(struct lay *L, int x, int y, int w, int h, const char *input,
                           const char *placeholder, int size);
/* A picture from a file (LK_PICTURE); path at most LAY_TEXT_MAX - 1 bytes. */
struct lay_item *lay_picture(struct lay *L, int x, int y, int w, int h, const char *path);
/* A pill: short text on a coloured rounded background. */
struct lay_item *lay_pill(struct lay *L, int x, int y, int w, int h, const char *text, uint32_t fg,
                          uint32_t bg);
struct lay_item *lay_button_key(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                                const char *label, const char *hint, enum key key);
struct lay_item *lay_button_text(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                                 const char *label, const char *send);
struct lay_item *lay_button_pick(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                                 const char *label, const char *hint, int pick);
/* A choice whose pick carries a key too (a statistics bar's day, grade,
 * defect…; a listed row's plate): at most UI_ACTION_TEXT - 1 bytes. */
struct lay_item *lay_button_pick_key(struct lay *L, int x, int y, int w, int h,
                                     enum lay_style style, const char *label, int pick,
                                     const char *key);

/* A new chart of `kind` in the list's own charts, cleared, values shown
 * (when all LAY_CHARTS are taken: the last one again, and L->overflow set);
 * and the LK_CHART item that draws chart c of L at (x, y, w, h). */
struct chart *lay_chart(struct lay *L, enum chart_kind kind);
struct lay_item *lay_place_chart(struct lay *L, const struct chart *c, int x, int y, int w, int h);

/* A grid of n equal cells in the rectangle, cols columns, gap between. */
void lay_grid_cell(int x, int y, int w, int h, int cols, int rows, int gap, int i, int *cx, int *cy,
                   int *cw, int *ch);

/* Colours of a grade: the letter's and its tile's. */
uint32_t lay_grade_color(enum grade g);
uint32_t lay_grade_soft(enum grade g);

/* ---- the top bar's status (laid out at paint time, when widths are known) ---- */

#define LAY_MAX_CHIPS (UI_MAX_DEVICES + 3)

/* One chip of the top bar's status: a dot and its words. */
struct lay_chip {
    char text[96];
    uint32_t dot, fg;
    int w; /* width with its dot, from measure */
};

/*
 * The chips of `s` that fit in `width` px, left to right, each measured with
 * measure(text, ctx) (the text's width at FS_SMALL). When they do not all
 * fit, the least urgent give way: working devices first, then the outbox
 * count, then a device's error id and the outbox beside a sync error, then
 * devices in trouble and the sync error. The disk running out of room
 * ("Disk: 512 MB left") comes first and never gives way; the labels waiting are never
 * dropped: the chip says why they wait ("Labels 3 · printer offline"), so
 * the reason stays when the printer's chip goes, and at the narrowest it
 * still says how many ("Labels 3"). Returns how many chips are in out (at most LAY_MAX_CHIPS).
 * Pure: tests give a measure of their own.
 */
int lay_status_chips(const struct ui_status *s, enum lang lang, int width,
                     int (*measure)(const char *text, void *ctx), void *ctx, struct lay_chip *out);

/* ---- painting (paint.c) ---- */
struct draw;
/* Paint the list; `status` (may be NULL) fills LK_STATUS. */
void paint_lay(struct draw *d, const struct lay *lay, const struct ui_status *status);

#endif
