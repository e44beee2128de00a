/*
 * paint.c — a display list (layout.h) drawn with the primitives of draw.h.
 *
 * Every look lives here and in theme.h: buttons by style, fields, the PIN
 * dots, the progress segments, the grade tile, the top bar's status and a
 * picture's placeholder.
 */
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "draw.h"
#include "i18n.h"
#include "theme.h"
#include "utf8.h"

static void text_in(struct draw *d, const struct lay_item *it, int x, int y, int w, int h)
{
    struct text_style st = {.size = it->size,
                            .min_size = it->min_size,
                            .max_lines = it->max_lines,
                            .bold = it->bold,
                            .rgb = it->fg,
                            .align = it->align,
                            .valign = it->valign};
    draw_text(d, x, y, w, h, it->text, &st);
}

static void paint_button(struct draw *d, const struct lay_item *it)
{
    const int x = it->w.x, y = it->w.y, w = it->w.w, h = it->w.h;
    uint32_t bg, fg, border = 0, hint_fg = C_MUTED;
    if (it->style == ST_GHOST)
        return;
    switch (it->style) {
    case ST_PRIMARY:
        bg = C_PRIMARY;
        fg = C_ON_PRIMARY;
        hint_fg = 0xBFDBFEu;
        break;
    case ST_DANGER:
        bg = C_ERR;
        fg = 0xFFFFFFu;
        hint_fg = 0xFECACAu;
        break;
    case ST_TOGGLE_ON:
        bg = it->w.has_event ? C_PRIMARY : C_MUTED;
        fg = C_ON_PRIMARY;
        break;
    case ST_TOGGLE_OFF:
        bg = it->w.has_event ? C_SECONDARY : C_FIELD;
        fg = it->w.has_event ? C_TEXT : C_MUTED;
        border = C_CARD_BORDER;
        break;
    case ST_PAD:
    case ST_ANSWER:
    case ST_SECONDARY:
    default:
        bg = C_SECONDARY;
        fg = C_TEXT;
        border = C_CARD_BORDER;
        break;
    }
    /* A flat shadow under raised buttons, like the cards. */
    if (it->w.has_event)
        draw_round_rect(d, x, y + 3, w, h, it->radius, C_SHADOW, 0, 0);
    draw_round_rect(d, x, y, w, h, it->radius, bg, border, 2);

    struct lay_item label = *it;
    label.fg = fg;
    int lx = x + 12, lw = w - 24;

    if (it->style == ST_ANSWER && it->hint[0]) {
        /* The number key in a badge on the left. */
        int r = h >= 120 ? 30 : 24;
        int cx = x + 20 + r, cy = y + h / 2;
        draw_circle(d, cx, cy, r, C_PRIMARY_SOFT);
        struct text_style hs = {.size = r >= 30 ? FS_LARGE : FS_BODY,
                                .min_size = FS_SMALL,
                                .max_lines = 1,
                                .bold = true,
                                .rgb = C_PRIMARY,
                                .align = AL_CENTER};
        draw_text(d, cx - r, cy - r, 2 * r, 2 * r, it->hint, &hs);
        lx = cx + r + 12;
        lw = x + w - 24 - lx;
        /* Keep short labels centred on the button, not on what is left of it. */
        int tw = draw_text_width(d, it->text, it->size, it->bold);
        if (tw + 2 * (lx - x) <= w) {
            lx = x + (lx - x);
            lw = w - 2 * (lx - x);
        }
    } else if (it->hint[0]) {
        /* A key hint, quiet, at the right end. */
        struct text_style hs = {.size = FS_SMALL,
                                .min_size = FS_SMALL,
                                .max_lines = 1,
                                .bold = false,
                                .rgb = hint_fg,
                                .align = AL_RIGHT};
        int hw = draw_text_width(d, it->hint, FS_SMALL, false);
        draw_text(d, x + w - 20 - hw, y, hw, h, it->hint, &hs);
        /* Centre the label in the button unless it would run into the hint. */
        int tw = draw_text_width(d, it->text, it->size, it->bold);
        if (tw > w - 2 * (hw + 32)) {
            lx = x + 16;
            lw = w - hw - 48;
        } else {
            lx = x + hw + 32;
            lw = w - 2 * (hw + 32);
        }
    }
    if (it->icon == ICON_BACKSPACE) {
        int ih = h / 3 > 56 ? 56 : h / 3, iw = ih * 3 / 2;
        draw_icon(d, ICON_BACKSPACE, x + (w - iw) / 2, y + (h - ih) / 2, iw, ih, C_TEXT);
        return;
    }
    if (it->icon == ICON_CHECK) {
        /* A check in front of the label (a chosen toggle). */
        int tw = draw_text_width(d, it->text, it->size, it->bold);
        int ic = 28;
        if (tw + ic + 8 <= lw) {
            int start = lx + (lw - tw - ic - 8) / 2;
            draw_icon(d, ICON_CHECK, start, y + (h - ic) / 2, ic, ic, fg);
            label.align = AL_LEFT;
            text_in(d, &label, start + ic + 8, y, tw + 4, h);
            return;
        }
    }
    text_in(d, &label, lx, y, lw, h);
}

static void paint_field(struct draw *d, const struct lay_item *it)
{
    const int x = it->w.x, y = it->w.y, w = it->w.w, h = it->w.h;
    draw_round_rect(d, x, y, w, h, it->radius, it->bg, it->border, 2);
    if (!it->text[0])
        return;
    struct lay_item t = *it;
    if (!it->placeholder) {
        /* Typed text: the end matters most, so a long input keeps its tail. */
        int tw = draw_text_width(d, it->text, it->size, it->bold);
        int room = w - 64;
        if (tw > room) {
            /* The shortest tail that fits, by bisection over character starts. */
            size_t len = strlen(it->text);
            int lo = 0, hi = (int)len;
            while (lo < hi) {
                /* lo is always a character start, so the cut stays at or after it. */
                int mid = (int)utf8_cut(it->text, (size_t)(lo + hi) / 2);
                if (draw_text_width(d, it->text + mid, it->size, it->bold) > room - 40) {
                    lo = (int)utf8_next(it->text, len, (size_t)mid);
                } else {
                    hi = mid;
                }
            }
            snprintf(t.text, sizeof t.text, "...%s", it->text + lo);
        }
        /* A caret after the text. */
        int cw = draw_text_width(d, t.text, it->size, it->bold);
        if (cw > room)
            cw = room;
        draw_fill(d, x + (w + cw) / 2 + 4, y + h / 2 - it->size / 2 - 2, 3, it->size + 4,
                  C_PRIMARY);
    }
    text_in(d, &t, x + 24, y, w - 48, h);
}

static void paint_dots(struct draw *d, const struct lay_item *it)
{
    int n = it->num;
    if (n <= 0)
        return;
    int r = it->w.h >= 40 ? 14 : it->w.h / 2;
    int step = 3 * r + 4;
    if (step * n > it->w.w && n > 0)
        step = it->w.w / n;
    int total = step * (n - 1) + 2 * r;
    int x0 = it->w.x + (it->w.w - total) / 2 + r;
    for (int i = 0; i < n; i++)
        draw_circle(d, x0 + i * step, it->w.y + it->w.h / 2, r, it->fg);
}

static void paint_progress(struct draw *d, const struct lay_item *it)
{
    int n = it->total > 0 ? it->total : 1;
    int gap = n > 24 ? 2 : 8;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        lay_grid_cell(it->w.x, it->w.y, it->w.w, it->w.h, n, 1, gap, i, &x, &y, &w, &h);
        uint32_t c = i < it->num ? C_PRIMARY : i == it->num ? 0x93C5FDu : C_DISABLED;
        draw_round_rect(d, x, y, w, h, h / 2, c, 0, 0);
    }
}

static void paint_grade(struct draw *d, const struct lay_item *it)
{
    enum grade g = (enum grade)it->num;
    draw_round_rect(d, it->w.x, it->w.y, it->w.w, it->w.h, 36, lay_grade_soft(g), 0, 0);
    const char *letter = g ? grade_name(g) : "—";
    struct text_style st = {.size = it->w.h * 200 / 232,
                            .min_size = FS_TITLE,
                            .max_lines = 1,
                            .bold = true,
                            .rgb = lay_grade_color(g),
                            .align = AL_CENTER};
    draw_text(d, it->w.x, it->w.y, it->w.w, it->w.h, letter, &st);
}

/* Devices and queues, right-aligned in the item's box; what fits is
 * lay_status_chips' choice. */
static int measure_small(const char *text, void *ctx)
{
    return draw_text_width(ctx, text, FS_SMALL, false);
}

static void paint_status(struct draw *d, const struct lay_item *it, enum lang lang,
                         const struct ui_status *s)
{
    struct lay_chip chips[LAY_MAX_CHIPS];
    int n = lay_status_chips(s, lang, it->w.w, measure_small, d, chips);
    const int dotw = 22, gap = 28;
    int total = 0;
    for (int i = 0; i < n; i++)
        total += chips[i].w + (i ? gap : 0);
    int x = it->w.x + it->w.w - total;
    for (int i = 0; i < n; i++) {
        draw_circle(d, x + 6, it->w.y + it->w.h / 2, 6, chips[i].dot);
        struct text_style st = {.size = FS_SMALL,
                                .min_size = FS_SMALL,
                                .max_lines = 1,
                                .rgb = chips[i].fg,
                                .align = AL_LEFT};
        draw_text(d, x + dotw, it->w.y, chips[i].w - dotw + 2, it->w.h, chips[i].text, &st);
        x += chips[i].w + gap;
    }
}

/* A reference picture; when it cannot be loaded, a pale box saying so. */
static void paint_picture(struct draw *d, const struct lay_item *it, enum lang lang)
{
    const int x = it->w.x, y = it->w.y, w = it->w.w, h = it->w.h;
    if (draw_picture(d, x, y, w, h, it->text))
        return;
    draw_round_rect(d, x, y, w, h, R_BUTTON, C_FIELD, C_FIELD_BORDER, 2);
    struct text_style st = {.size = FS_BODY,
                            .min_size = FS_SMALL,
                            .rgb = C_MUTED,
                            .align = AL_CENTER,
                            .valign = VA_CENTER};
    draw_text(d, x + 16, y + 16, w - 32, h - 32, tr(lang, S_PICTURE_MISSING), &st);
}

void paint_lay(struct draw *d, const struct lay *lay, const struct ui_status *status)
{
    for (int i = 0; i < lay->n; i++) {
        const struct lay_item *it = &lay->items[i];
        switch (it->kind) {
        case LK_PANEL:
            if (it->radius == 0 && !it->border)
                draw_fill(d, it->w.x, it->w.y, it->w.w, it->w.h, it->bg);
            else
                draw_round_rect(d, it->w.x, it->w.y, it->w.w, it->w.h, it->radius, it->bg,
                                it->border, it->border ? 2 : 0);
            break;
        case LK_TEXT:
            if (it->icon != ICON_NONE)
                draw_icon(d, it->icon, it->w.x, it->w.y, it->w.w, it->w.h, it->fg);
            else
                text_in(d, it, it->w.x, it->w.y, it->w.w, it->w.h);
            break;
        case LK_BUTTON: paint_button(d, it); break;
        case LK_FIELD: paint_field(d, it); break;
        case LK_DOTS: paint_dots(d, it); break;
        case LK_PROGRESS: paint_progress(d, it); break;
        case LK_GRADE: paint_grade(d, it); break;
        case LK_STATUS: paint_status(d, it, lay->lang, status); break;
        case LK_PICTURE: paint_picture(d, it, lay->lang); break;
        case LK_CHART:
            if (it->num >= 0 && it->num < lay->ncharts)
                chart_paint(d, &lay->charts[it->num], it->w.x, it->w.y, it->w.w, it->w.h);
            break;
        case LK_CAMERA: draw_camera(d, it->w.x, it->w.y, it->w.w, it->w.h); break;
        }
    }
}
