/*
 * chart.c — charts painted with the primitives of draw.h (see chart.h).
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "layout.h"
#include "theme.h"

#define AXIS_W 76   /* y labels */
#define LABEL_H 40  /* category labels under the plot */
#define VALUE_H 34  /* values over the bars */
#define LEGEND_H 40 /* CH_STACKED legend row */
#define C_GRID 0xE2E8F0u
#define C_AXIS 0x94A3B8u

static void text(struct draw *d, int x, int y, int w, int h, const char *s, uint32_t rgb,
                 enum lay_align align, bool bold)
{
    struct text_style st = {.size = FS_SMALL,
                            .min_size = FS_SMALL,
                            .max_lines = 1,
                            .bold = bold,
                            .rgb = rgb,
                            .align = align,
                            .valign = VA_CENTER};
    draw_text(d, x, y, w, h, s, &st);
}

/* A step of 1, 2 or 5 × 10^k so that about `ticks` steps cover max. */
static double nice_step(double max, int ticks)
{
    if (max <= 0)
        return 1;
    double raw = max / ticks, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    step *= mag;
    return step < 1 ? 1 : step;
}

static void fmt_num(double v, char *out, size_t outlen)
{
    if (v >= 10000)
        snprintf(out, outlen, "%.0fk", v / 1000);
    else if (v >= 1000)
        snprintf(out, outlen, "%.1fk", v / 1000);
    else
        snprintf(out, outlen, "%.0f", v);
}

static double total_of(const struct chart *c, int i)
{
    int ns = c->kind == CH_STACKED || c->kind == CH_MIX || (c->kind == CH_HBARS && c->nseries > 1)
                 ? c->nseries
                 : 1;
    double t = 0;
    for (int s = 0; s < ns && s < CHART_SERIES; s++)
        t += c->v[i][s];
    return t;
}

/* The plot rectangle of a bar or line chart. */
static void plot_rect(const struct chart *c, int x, int y, int w, int h, int *px, int *py, int *pw,
                      int *ph)
{
    int top = (c->kind == CH_STACKED ? LEGEND_H : 0) + VALUE_H;
    *px = x + AXIS_W;
    *pw = w - AXIS_W - 8;
    *py = y + top;
    *ph = h - top - LABEL_H;
}

void chart_bar_slot(const struct chart *c, int x, int y, int w, int h, int i, int *sx, int *sy,
                    int *sw, int *sh)
{
    int px, py, pw, ph;
    plot_rect(c, x, y, w, h, &px, &py, &pw, &ph);
    int n = c->n > 0 ? c->n : 1;
    *sx = px + i * pw / n;
    *sw = px + (i + 1) * pw / n - *sx;
    *sy = py - VALUE_H;
    *sh = ph + VALUE_H + LABEL_H;
}

/* A line 3 px wide from (x0, y0) to (x1, y1). */
static void thick_line(struct draw *d, int x0, int y0, int x1, int y1, uint32_t rgb)
{
    int dx = x1 - x0, dy = y1 - y0;
    int steps = abs(dx) > abs(dy) ? abs(dx) : abs(dy);
    if (steps == 0)
        steps = 1;
    for (int k = 0; k <= steps; k++) {
        int x = x0 + dx * k / steps, y = y0 + dy * k / steps;
        draw_fill(d, x - 1, y - 1, 3, 3, rgb);
    }
}

static void axes(struct draw *d, int px, int py, int pw, int ph, double top, double step)
{
    char buf[16];
    for (double v = 0; v <= top + 1e-9; v += step) {
        int gy = py + ph - (int)lround(v / top * ph);
        draw_fill(d, px, gy, pw, v == 0 ? 2 : 1, v == 0 ? C_AXIS : C_GRID);
        fmt_num(v, buf, sizeof buf);
        text(d, px - AXIS_W, gy - 16, AXIS_W - 10, 32, buf, C_MUTED, AL_RIGHT, false);
    }
}

static void legend(struct draw *d, const struct chart *c, int x, int y, int w)
{
    int cx = x + AXIS_W;
    for (int s = 0; s < c->nseries && s < CHART_SERIES; s++) {
        int tw = draw_text_width(d, c->series_name[s], FS_SMALL, false);
        if (cx + 30 + tw > x + w)
            break;
        draw_round_rect(d, cx, y + 10, 20, 20, 4, c->series_color[s], 0, 0);
        text(d, cx + 28, y, tw + 4, LEGEND_H, c->series_name[s], C_TEXT, AL_LEFT, false);
        cx += 28 + tw + 28;
    }
}

static void paint_bars(struct draw *d, const struct chart *c, int x, int y, int w, int h)
{
    int px, py, pw, ph;
    plot_rect(c, x, y, w, h, &px, &py, &pw, &ph);
    double max = 0;
    for (int i = 0; i < c->n; i++)
        if (total_of(c, i) > max)
            max = total_of(c, i);
    double step = nice_step(max, 4), top = step * ceil(max / step);
    if (top <= 0)
        top = step;
    if (c->kind == CH_STACKED)
        legend(d, c, x, y, w);
    axes(d, px, py, pw, ph, top, step);
    char buf[24];
    /* Many narrow bars: a label every few, values only where they fit. */
    int every = c->label_every > 0 ? c->label_every : c->n > 12 ? (c->n + 5) / 6 : 1;
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_bar_slot(c, x, y, w, h, i, &sx, &sy, &sw, &sh);
        int bw = sw * 3 / 5 > 96 ? 96 : sw * 3 / 5, bx = sx + (sw - bw) / 2;
        bool narrow = sw < 44;
        int base = py + ph;
        if (c->kind == CH_STACKED) {
            for (int s = 0; s < c->nseries && s < CHART_SERIES; s++) {
                int bh = (int)lround(c->v[i][s] / top * ph);
                if (bh > 0)
                    draw_fill(d, bx, base - bh, bw, bh, c->series_color[s]);
                base -= bh;
            }
        } else {
            int bh = (int)lround(c->v[i][0] / top * ph);
            if (bh > 0)
                draw_round_rect(d, bx, base - bh, bw, bh, bh > 12 ? 6 : 0, c->color[i], 0, 0);
            base -= bh;
        }
        if (c->values && !narrow) {
            fmt_num(total_of(c, i), buf, sizeof buf);
            text(d, sx, base - VALUE_H, sw, VALUE_H, buf, C_TEXT, AL_CENTER, true);
        }
        if (i % every == 0)
            text(d, sx + sw / 2 - sw * every / 2 + 2, py + ph + 4, sw * every - 4, LABEL_H - 4,
                 c->label[i], C_TEXT, AL_CENTER, false);
    }
}

static void paint_line(struct draw *d, const struct chart *c, int x, int y, int w, int h)
{
    int px, py, pw, ph;
    plot_rect(c, x, y, w, h, &px, &py, &pw, &ph);
    double max = 0;
    for (int i = 0; i < c->n; i++)
        if (c->v[i][0] > max)
            max = c->v[i][0];
    double step = nice_step(max, 4), top = step * ceil(max / step);
    if (top <= 0)
        top = step;
    axes(d, px, py, pw, ph, top, step);
    int every = c->label_every > 0 ? c->label_every : c->n > 10 ? (c->n + 5) / 6 : 1;
    int prevx = 0, prevy = 0;
    char buf[24];
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_bar_slot(c, x, y, w, h, i, &sx, &sy, &sw, &sh);
        int cx = sx + sw / 2, cy = py + ph - (int)lround(c->v[i][0] / top * ph);
        if (i > 0)
            thick_line(d, prevx, prevy, cx, cy, C_PRIMARY);
        prevx = cx;
        prevy = cy;
        bool last = i == c->n - 1;
        /* Every k-th day, and the last one when it does not crowd its neighbour. */
        if (i % every == 0 || (last && ((c->n - 1) % every) * sw >= 110)) {
            int lw = 140;
            text(d, cx - lw / 2, py + ph + 4, lw, LABEL_H - 4, c->label[i], C_TEXT, AL_CENTER,
                 false);
            draw_fill(d, cx, py + ph, 1, 8, C_AXIS);
        }
    }
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_bar_slot(c, x, y, w, h, i, &sx, &sy, &sw, &sh);
        int cx = sx + sw / 2, cy = py + ph - (int)lround(c->v[i][0] / top * ph);
        draw_circle(d, cx, cy, c->n > 14 ? 4 : 7, C_PRIMARY);
        if (c->values && c->n <= 14) {
            fmt_num(c->v[i][0], buf, sizeof buf);
            text(d, cx - 40, cy - VALUE_H - 2, 80, VALUE_H, buf, C_TEXT, AL_CENTER, true);
        }
    }
}

static double total_of_prefix(const struct chart *c, int i, int upto)
{
    double t = 0;
    for (int s = 0; s < upto && s < CHART_SERIES; s++)
        t += c->v[i][s];
    return t;
}

static void paint_mix(struct draw *d, const struct chart *c, int x, int y, int w, int h)
{
    int n = c->n > 0 ? c->n : 1;
    for (int i = 0; i < c->n; i++) {
        int ry = y + i * h / n, rh = (i + 1) * h / n - i * h / n;
        int bh = rh - 20 > 40 ? 40 : rh - 20;
        int by = ry + (rh - bh) / 2;
        double t = total_of(c, i);
        if (t <= 0) {
            draw_round_rect(d, x, by, w, bh, 6, C_DISABLED, 0, 0);
            continue;
        }
        int bx = x;
        for (int s = 0; s < c->nseries && s < CHART_SERIES; s++) {
            int end = x + (int)lround(total_of_prefix(c, i, s + 1) / t * w);
            int sw = end - bx;
            if (sw > 0)
                draw_fill(d, bx, by, sw, bh, c->series_color[s]);
            bx = end;
        }
    }
}

void chart_row_slot(const struct chart *c, int x, int y, int w, int h, int i, int *sx, int *sy,
                    int *sw, int *sh)
{
    int top = c->kind == CH_HBARS && c->nseries > 1 ? LEGEND_H : 0;
    int n = c->n > 0 ? c->n : 1;
    int rh = (h - top) / n;
    if (rh > 76)
        rh = 76;
    *sx = x;
    *sw = w;
    *sy = y + top + i * rh;
    *sh = rh;
}

static void paint_hbars(struct draw *d, const struct chart *c, int x, int y, int w, int h)
{
    int lw = c->label_w > 0 ? c->label_w : w / 3;
    int vw = c->value_w > 0 ? c->value_w : 170;
    double max = 0;
    for (int i = 0; i < c->n; i++)
        if (total_of(c, i) > max)
            max = total_of(c, i);
    if (c->nseries > 1)
        legend(d, c, x + 12 - AXIS_W, y, w - 12 + AXIS_W);
    char buf[16];
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_row_slot(c, x, y, w, h, i, &sx, &sy, &sw, &sh);
        if (i % 2 == 0)
            draw_round_rect(d, sx, sy, sw, sh, 8, C_FIELD, 0, 0);
        text(d, sx + 12, sy, lw - 20, sh, c->label[i], C_TEXT, AL_LEFT, false);
        int bx = sx + lw, bwmax = sw - lw - vw - 12, bh = sh - 28 > 36 ? 36 : sh - 28;
        int by = sy + (sh - bh) / 2;
        double t = total_of(c, i);
        if (c->nseries > 1) {
            int cur = bx;
            double acc = 0;
            for (int s = 0; s < c->nseries && s < CHART_SERIES && t > 0; s++) {
                acc += c->v[i][s];
                int end = bx + (int)lround(acc / t * bwmax);
                if (end > cur) {
                    draw_fill(d, cur, by, end - cur, bh, c->series_color[s]);
                    if (end - cur >= 64) {
                        snprintf(buf, sizeof buf, "%.0f%%", 100 * c->v[i][s] / t);
                        text(d, cur, by, end - cur, bh, buf, 0xFFFFFFu, AL_CENTER, true);
                    }
                }
                cur = end;
            }
        } else if (max > 0) {
            int bw = (int)lround(t / max * bwmax);
            if (bw > 0)
                draw_round_rect(d, bx, by, bw, bh, bh > 12 ? 6 : 0,
                                c->color[i] ? c->color[i] : C_PRIMARY, 0, 0);
        }
        text(d, sx + sw - vw, sy, vw - 12, sh, c->value_text[i], C_TEXT, AL_RIGHT, true);
    }
}

void chart_paint(struct draw *d, const struct chart *c, int x, int y, int w, int h)
{
    bool any = false;
    for (int i = 0; i < c->n && !any; i++)
        any = total_of(c, i) > 0;
    if (!any && c->kind != CH_MIX) {
        draw_round_rect(d, x, y, w, h, 12, C_FIELD, C_CARD_BORDER, 2);
        text(d, x + 16, y, w - 32, h, c->empty[0] ? c->empty : "—", C_MUTED, AL_CENTER, false);
        return;
    }
    switch (c->kind) {
    case CH_LINE: paint_line(d, c, x, y, w, h); break;
    case CH_BARS:
    case CH_STACKED: paint_bars(d, c, x, y, w, h); break;
    case CH_MIX: paint_mix(d, c, x, y, w, h); break;
    case CH_HBARS: paint_hbars(d, c, x, y, w, h); break;
    }
}
