/*
 * chart.h — charts drawn with SDL itself (through draw.h): a line over days,
 * vertical bars, stacked bars with a legend, and 100% mix bars.
 *
 * A chart is a plain description (struct chart) that a screen fills in the
 * display list's own charts (struct lay, layout.h) and places with an
 * LK_CHART item; paint.c calls chart_paint with the item's rectangle. Axes
 * have "nice" steps (1, 2, 5 × 10^k) with gridlines and labels; every text
 * is at least FS_SMALL (24 px). Touching a bar is not the chart's business:
 * the screen lays ST_GHOST buttons over the bars (chart_bar_slot gives their
 * rectangles), so what is touched is what the chart drew.
 */
#ifndef TRIAGE_UI_CHART_H
#define TRIAGE_UI_CHART_H

#include <stdbool.h>
#include <stdint.h>

#define CHART_MAX 32
#define CHART_SERIES 4

enum chart_kind {
    CH_LINE,    /* one series over categories (days): points joined by a line */
    CH_BARS,    /* one vertical bar per category, its own colour, value on top */
    CH_STACKED, /* vertical bars stacked from nseries parts, legend on top */
    CH_MIX,     /* one horizontal 100% bar per category (rows), parts in series colours */
    CH_HBARS,   /* rows: label, a bar (or a 100% mix of nseries > 1 parts), value text */
};

struct chart {
    enum chart_kind kind;
    int n;       /* categories */
    int nseries; /* CH_STACKED, CH_MIX: parts per category */
    char label[CHART_MAX][40];           /* under each bar / point ("" = none) */
    double v[CHART_MAX][CHART_SERIES];   /* [category][series]; one series: [i][0] */
    uint32_t color[CHART_MAX];           /* CH_BARS: each bar's colour */
    uint32_t series_color[CHART_SERIES];
    char series_name[CHART_SERIES][40];  /* legend (CH_STACKED) */
    int label_every;                     /* CH_LINE: label every k-th point (0 = auto) */
    bool values;                         /* write each bar's value */
    char empty[80];                      /* shown instead when every value is 0 */
    char value_text[CHART_MAX][40];      /* CH_HBARS: the text after each bar */
    int label_w;                         /* CH_HBARS: width of the label column */
    int value_w;                         /* CH_HBARS: width of the value column (0: 170) */
};

struct draw;

/* Paint the chart into the rectangle (x, y, w, h). */
void chart_paint(struct draw *d, const struct chart *c, int x, int y, int w, int h);

/* The rectangle of category i's column (bar and label) inside a chart of
 * kind CH_BARS, CH_STACKED or CH_LINE laid out at (x, y, w, h): for touch
 * targets. Pure. */
void chart_bar_slot(const struct chart *c, int x, int y, int w, int h, int i, int *sx, int *sy,
                    int *sw, int *sh);

/* The rectangle of row i of a CH_HBARS or CH_MIX chart at (x, y, w, h). Pure. */
void chart_row_slot(const struct chart *c, int x, int y, int w, int h, int i, int *sx, int *sy,
                    int *sw, int *sh);

#endif
