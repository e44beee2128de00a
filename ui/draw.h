/*
 * draw.h — drawing primitives over an SDL_Renderer: anti-aliased rounded
 * rectangles and circles, a few icons, and text fitted into boxes.
 *
 * A `struct draw` owns the fonts (one TTF_Font per size and weight, opened
 * on first use) and two caches so that a frame that did not change costs a
 * handful of texture copies:
 *   - text: the fitted, wrapped, coloured text of one box as one texture,
 *     in a small LRU keyed by (text, size, min size, lines, weight, colour,
 *     box size, alignment), capped by count and by bytes;
 *   - shapes: one anti-aliased white disc per radius and one texture per icon
 *     and size, tinted with SDL_SetTextureColorMod;
 *   - pictures: each reference picture (a file) as one texture, by its path.
 * Everything here belongs to the renderer it was opened with: close it
 * before the renderer is destroyed.
 */
#ifndef TRIAGE_UI_DRAW_H
#define TRIAGE_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "layout.h"

struct draw;

/* Open the font at `font_path` (NULL: the CJK fonts this station installs).
 * Returns NULL with "E8xx: …" in err. */
struct draw *draw_open(SDL_Renderer *r, const char *font_path, char *err, size_t errlen);
void draw_close(struct draw *d); /* NULL is fine */

/* The font file in use. */
const char *draw_font_path(const struct draw *d);

/* Call once per frame: drives the caches' LRU. */
void draw_begin_frame(struct draw *d);

void draw_fill(struct draw *d, int x, int y, int w, int h, uint32_t rgb);
/* A filled rounded rectangle; with border != 0 also a border bw px wide. */
void draw_round_rect(struct draw *d, int x, int y, int w, int h, int radius, uint32_t fill,
                     uint32_t border, int bw);
void draw_circle(struct draw *d, int cx, int cy, int radius, uint32_t rgb);
void draw_icon(struct draw *d, enum lay_icon icon, int x, int y, int w, int h, uint32_t rgb);

struct text_style {
    int size, min_size; /* px; the text shrinks from size to min_size to fit */
    int max_lines;      /* 0: as many as the box holds */
    bool bold;
    uint32_t rgb;
    enum lay_align align;
    enum lay_valign valign;
};

/* Draw text fitted into the box: wrapped at spaces (or between any two CJK
 * characters), shrunk, and cut with "…" as a last resort. Returns the width
 * drawn, 0 for nothing. */
int draw_text(struct draw *d, int x, int y, int w, int h, const char *text,
              const struct text_style *st);

/* Width of one line of text at a size, unwrapped. */
int draw_text_width(struct draw *d, const char *text, int size, bool bold);

/* The camera's live view: the newest frame (XRGB8888, w x h; NULL: none)
 * goes into a texture of its own, and draw_camera paints it fitted into the
 * box (aspect kept, dark bars around), or the box dark when there is none. */
void draw_set_camera(struct draw *d, const uint32_t *pixels, int w, int h);
void draw_camera(struct draw *d, int x, int y, int w, int h);
/* Draw the picture in the PNG or JPEG file at path (SDL2_image) as large as
 * fits the box, its proportions kept, centred. A path is read once: the
 * picture stays loaded until draw_close. One that cannot be loaded (gone,
 * not an image) is logged once (W815) and draws nothing; returns false then,
 * true when drawn. */
bool draw_picture(struct draw *d, int x, int y, int w, int h, const char *path);

/* Cache figures, for tests and the log. */
struct draw_stats {
    int text_entries;
    size_t text_bytes;
    long text_hits, text_misses;
    int pictures;       /* paths kept, those that failed included */
    long picture_loads; /* files read so far */
};
void draw_get_stats(const struct draw *d, struct draw_stats *out);

#endif
