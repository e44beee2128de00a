/*
 * screen_stats.c — the supervisors' statistics screen.
 *
 * Laid out from the view like every screen: what the core owns (period,
 * page, the bar drilled into, the inspection opened) and what the main loop
 * put beside it (the report and list computed by the stats worker). The
 * numbers are never computed here.
 *
 *   left: pages (Overview, Splits, Defects & reasons, Graders, Steps), the
 *         range, Back;
 *   top:  the period (Today, 7 days, 30 days, Custom) and, for Custom, the
 *         two dates with −/+ day buttons and a field to type them;
 *   main: the page's charts. Bars, rows and tiles that stand for a set of
 *         inspections carry ST_GHOST touch targets: a touch lists them, a
 *         touch on a listed one opens it (answers, time per step, reprint).
 *
 * Charts live in the display list beside the items that place them
 * (lay_chart, lay_place_chart), so a laid-out frame holds all it draws.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "i18n.h"
#include "screens.h"
#include "theme.h"
#include "tz.h"

/* A check id in words, from the first category of the rules that has it. */
static const char *check_words(const struct view *v, const char *category, const char *id)
{
    const struct rules *r = v->rules;
    for (int pass = 0; r && pass < 2; pass++)
        for (int c = 0; c < r->ncategories; c++) {
            const struct rules_category *cat = &r->categories[c];
            if (pass == 0 && category && strcmp(cat->id, category) != 0)
                continue;
            for (int k = 0; k < cat->nchecks; k++)
                if (strcmp(cat->checks[k].id, id) == 0)
                    return text_get(&cat->checks[k].text, v->lang);
        }
    return id;
}

static const char *answer_words(const struct view *v, const char *category, const char *check,
                                const char *answer)
{
    const struct rules_category *cat = v->rules ? rules_category(v->rules, category) : NULL;
    for (int k = 0; cat && k < cat->nchecks; k++)
        if (strcmp(cat->checks[k].id, check) == 0)
            for (int a = 0; a < cat->checks[k].nanswers; a++)
                if (strcmp(cat->checks[k].answers[a].id, answer) == 0)
                    return text_get(&cat->checks[k].answers[a].text, v->lang);
    return answer;
}

/* A time of the site, as the statistics count days (the range's zone). */
static char *site_time(const struct view *v, int64_t ms, const char *fmt, char *out, size_t outlen)
{
    time_t secs = (time_t)((ms + tz_offset_ms(v->stats_range.tz, ms)) / 1000);
    struct tm tm;
    if (ms <= 0 || !gmtime_r(&secs, &tm))
        snprintf(out, outlen, "—");
    else
        strftime(out, outlen, fmt, &tm);
    return out;
}

/* ---- geometry ---------------------------------------------------------- */

#define SIDE_X CONTENT_X0
#define SIDE_W 200
#define MAIN_X (SIDE_X + SIDE_W + GAP)
#define MAIN_W (CONTENT_X1 - MAIN_X)
#define ROW_H 64
#define TITLE_H 40

static void title(struct lay *L, int x, int y, int w, const char *text)
{
    lay_text(L, x, y, w, TITLE_H, text, FS_BODY, C_TEXT, AL_LEFT, true)->max_lines = 1;
}

/* A touch target over something drawn (a bar, a row, a tile). */
static void ghost(struct lay *L, int x, int y, int w, int h, int pick, const char *key)
{
    lay_button_pick_key(L, x, y, w, h, ST_GHOST, "", pick, key);
}

static void fmt_pct(double share, char *out, size_t outlen)
{
    snprintf(out, outlen, "%.1f%%", 100 * share);
}

static const char *disposition_words(enum lang l, const char *id)
{
    return id[0] ? i18n_disposition(l, id) : tr(l, S_DASH);
}

/* ---- the frame: pages, period, range ------------------------------------- */

static void sidebar(const struct view *v, struct lay *L, bool nav)
{
    enum lang l = v->lang;
    const int bh = MIN_TARGET, step = MIN_TARGET + 4;
    if (nav) {
        static const enum str names[PAGE_COUNT] = {
            S_STATS_PAGE_OVERVIEW, S_STATS_PAGE_OUTCOMES, S_STATS_PAGE_TREND, S_STATS_PAGE_DEFECTS,
            S_STATS_PAGE_PRODUCTS, S_STATS_PAGE_GRADERS,  S_STATS_PAGE_STEPS};
        for (int i = 0; i < PAGE_COUNT; i++) {
            bool on = v->stats_page == (enum stats_page)i;
            lay_button_pick(L, SIDE_X, CONTENT_Y0 + i * step, SIDE_W, bh,
                            on ? ST_TOGGLE_ON : ST_TOGGLE_OFF, tr(l, names[i]), NULL,
                            STATS_PICK_PAGE + i);
        }
    }
    char a[16], b[16];
    stats_day_text(v->stats_range.from_day, a, sizeof a);
    stats_day_text(v->stats_range.to_day, b, sizeof b);
    int y = CONTENT_Y0 + PAGE_COUNT * step;
    lay_text(L, SIDE_X, y, SIDE_W, 28, a, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    char to[24];
    snprintf(to, sizeof to, "→ %s", b);
    lay_text(L, SIDE_X, y + 28, SIDE_W, 28, to, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    lay_button_key(L, SIDE_X, CONTENT_Y1 - BUTTON_H, SIDE_W, BUTTON_H, ST_SECONDARY, tr(l, S_BACK),
                   "Esc", KEY_ESCAPE);
}

/* The period toggles, and for Custom the dates. Returns the y below. */
static int period_bar(const struct view *v, struct lay *L)
{
    enum lang l = v->lang;
    static const enum str names[PERIOD_COUNT] = {S_STATS_TODAY, S_STATS_7D, S_STATS_30D,
                                                 S_STATS_CUSTOM};
    const int w = 150;
    for (int i = 0; i < PERIOD_COUNT; i++) {
        char hint[12];
        snprintf(hint, sizeof hint, "%d", i + 1);
        bool on = v->stats_period == (enum stats_period)i;
        lay_button_pick(L, MAIN_X + i * (w + 10), CONTENT_Y0, w, ROW_H,
                        on ? ST_TOGGLE_ON : ST_TOGGLE_OFF, tr(l, names[i]), NULL,
                        STATS_PICK_PERIOD + i);
    }
    int sx = MAIN_X + PERIOD_COUNT * (w + 10) + 8;
    const char *status = NULL;
    char buf[96];
    if (v->stats_error)
        status = v->stats_error;
    else if (v->stats_busy)
        status = tr(l, S_STATS_COMPUTING);
    else if (v->stats && v->stats_dim == SD_NONE && v->stats_range_ok && v->stats->total > 0 &&
             v->stats->range.from_day == v->stats_range.from_day &&
             v->stats->range.to_day == v->stats_range.to_day) {
        snprintf(buf, sizeof buf, "%s", tr(l, S_STATS_TAP_HINT));
        status = buf;
    }
    if (status)
        lay_text(L, sx, CONTENT_Y0, CONTENT_X1 - sx, ROW_H, status, FS_SMALL,
                 v->stats_error ? C_ERR_TEXT : C_MUTED, AL_LEFT, false)
            ->max_lines = 2;
    int y = CONTENT_Y0 + ROW_H + 12;
    if (v->stats_period != PERIOD_CUSTOM)
        return y;
    char a[16], b[16];
    stats_day_text(v->stats_range.from_day, a, sizeof a);
    stats_day_text(v->stats_range.to_day, b, sizeof b);
    int x = MAIN_X;
    lay_text(L, x, y, 64, ROW_H, tr(l, S_STATS_FROM), FS_SMALL, C_MUTED, AL_LEFT, false)
        ->max_lines = 1;
    x += 64;
    lay_button_pick(L, x, y, 64, ROW_H, ST_SECONDARY, "−", NULL, STATS_PICK_DAY + 0);
    lay_text(L, x + 64, y, 150, ROW_H, a, FS_SMALL, C_TEXT, AL_CENTER, true)->max_lines = 1;
    lay_button_pick(L, x + 214, y, 64, ROW_H, ST_SECONDARY, "+", NULL, STATS_PICK_DAY + 1);
    x += 278 + 12;
    lay_text(L, x, y, 40, ROW_H, tr(l, S_STATS_TO), FS_SMALL, C_MUTED, AL_CENTER, false)
        ->max_lines = 1;
    x += 44;
    lay_button_pick(L, x, y, 64, ROW_H, ST_SECONDARY, "−", NULL, STATS_PICK_DAY + 2);
    lay_text(L, x + 64, y, 150, ROW_H, b, FS_SMALL, C_TEXT, AL_CENTER, true)->max_lines = 1;
    lay_button_pick(L, x + 214, y, 64, ROW_H, ST_SECONDARY, "+", NULL, STATS_PICK_DAY + 3);
    x += 278 + 12;
    struct lay_item *f =
        lay_field(L, x, y, CONTENT_X1 - x, ROW_H, v->input, tr(l, S_STATS_TYPE_RANGE), FS_SMALL);
    f->size = FS_SMALL;
    return y + ROW_H + 12;
}

/* ---- pages --------------------------------------------------------------- */

/* A figure on a card; with pick, touching it lists the inspections behind
 * it (the bar of dimension pick - STATS_PICK_BAR with `key`). */
static void kpi(struct lay *L, int x, int y, int w, int h, const char *label, const char *value,
                uint32_t color, int pick, const char *key)
{
    lay_card(L, x, y, w, h);
    lay_text(L, x + 16, y + 8, w - 32, 32, label, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    lay_text(L, x + 16, y + 42, w - 32, 48, value, FS_LARGE, color, AL_LEFT, true)->max_lines = 1;
    if (pick)
        ghost(L, x, y, w, h, pick, key);
}

/* ---- scrolling ------------------------------------------------------------- */

/* The first of n rows to show when fit fit: the view's scroll, kept so that
 * the last row can be reached and no row past it shown. The layout records
 * how far its rows scroll (L->scroll_max), which the core keeps to. */
static int scroll_first(const struct view *v, struct lay *L, int n, int fit)
{
    int max = n > fit ? n - fit : 0;
    if (max > L->scroll_max)
        L->scroll_max = max;
    int first = v->stats_scroll;
    if (first > max)
        first = max;
    if (first < 0)
        first = 0;
    return first;
}

/* "8–14 of 20 · ↑↓" when not every row is shown, right-aligned in the box. */
static void scroll_hint(const struct view *v, struct lay *L, int x, int y, int w, int h, int first,
                        int shown, int n)
{
    if (shown >= n)
        return;
    char hint[64];
    trf(hint, sizeof hint, v->lang, S_STATS_ROWS_OF, first + 1, first + shown, n);
    lay_text(L, x, y, w, h, hint, FS_SMALL, C_MUTED, AL_RIGHT, false)->max_lines = 1;
}

/* The days of the range a day chart shows: at most CHART_MAX - 1, from the
 * scroll on. Returns the first day's index; *n how many. */
static int day_window(const struct view *v, struct lay *L, int ndays, int *n)
{
    const int fit = CHART_MAX - 1;
    *n = ndays < fit ? ndays : fit;
    return scroll_first(v, L, ndays, fit);
}

static void page_overview(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    char buf[32], buf2[128];
    const int kh = 96, kw = (MAIN_W - 3 * 12) / 4;
    snprintf(buf, sizeof buf, "%lld", (long long)r->total);
    kpi(L, MAIN_X, y, kw, kh, tr(l, S_STATS_INSPECTIONS), buf, C_TEXT, 0, "");
    fmt_pct(r->late_rate, buf, sizeof buf);
    snprintf(buf2, sizeof buf2, "%s · %lld", buf, (long long)r->late);
    kpi(L, MAIN_X + (kw + 12), y, kw, kh, tr(l, S_STATS_LATE), buf2, r->late ? C_WARN_TEXT : C_TEXT,
        r->late ? STATS_PICK_BAR + SD_LATE : 0, "");
    fmt_pct(r->mismatch_rate, buf, sizeof buf);
    snprintf(buf2, sizeof buf2, "%s · %lld", buf, (long long)r->mismatch);
    kpi(L, MAIN_X + 2 * (kw + 12), y, kw, kh, tr(l, S_STATS_MISMATCH), buf2,
        r->mismatch ? C_ERR_TEXT : C_TEXT, r->mismatch ? STATS_PICK_BAR + SD_MISMATCH : 0, "");
    snprintf(buf, sizeof buf, "%lld", (long long)r->defective_functions_ok);
    kpi(L, MAIN_X + 3 * (kw + 12), y, kw, kh, tr(l, S_STATS_DEFECTIVE_OK), buf, C_TEXT,
        r->defective_functions_ok ? STATS_PICK_BAR + SD_REASON : 0,
        "defective"); /* the tile lists every "defective" return */

    y += kh + 16;
    const int lw = 580, gx = MAIN_X + lw + 24, gw = CONTENT_X1 - gx;
    const int ch = CONTENT_Y1 - y - TITLE_H;
    title(L, MAIN_X, y, lw, tr(l, S_STATS_PER_DAY));
    struct chart *c = lay_chart(L, CH_LINE);
    int first = day_window(v, L, r->ndays, &c->n); /* a longer range scrolls */
    scroll_hint(v, L, MAIN_X + lw / 2, y, lw / 2, TITLE_H, first, c->n, r->ndays);
    for (int i = 0; i < c->n; i++) {
        char day[16];
        stats_day_text(r->range.from_day + first + i, day, sizeof day);
        snprintf(c->label[i], sizeof c->label[i], "%s", day + 5); /* MM-DD */
        c->v[i][0] = (double)r->per_day[first + i];
    }
    lay_place_chart(L, c, MAIN_X, y + TITLE_H, lw, ch);
    if (c->n <= 10)
        for (int i = 0; i < c->n; i++) {
            int sx, sy, sw, sh;
            chart_bar_slot(c, MAIN_X, y + TITLE_H, lw, ch, i, &sx, &sy, &sw, &sh);
            char day[16];
            ghost(L, sx, sy, sw, sh, STATS_PICK_BAR + SD_DAY,
                  stats_day_text(r->range.from_day + first + i, day, sizeof day));
        }

    title(L, gx, y, gw, tr(l, S_STATS_GRADES));
    c = lay_chart(L, CH_BARS);
    c->n = 4;
    for (int g = GRADE_A; g <= GRADE_X; g++) {
        snprintf(c->label[g - 1], sizeof c->label[0], "%s", grade_name((enum grade)g));
        c->v[g - 1][0] = (double)r->grades[g];
        c->color[g - 1] = lay_grade_color((enum grade)g);
    }
    lay_place_chart(L, c, gx, y + TITLE_H, gw, ch);
    for (int g = GRADE_A; g <= GRADE_X; g++) {
        int sx, sy, sw, sh;
        chart_bar_slot(c, gx, y + TITLE_H, gw, ch, g - 1, &sx, &sy, &sw, &sh);
        if (r->grades[g])
            ghost(L, sx, sy, sw, sh, STATS_PICK_BAR + SD_GRADE, grade_name((enum grade)g));
    }
}

/* Horizontal bars with their share; ghost rows for those with inspections. */
static void hbars(struct lay *L, struct chart *c, int x, int y, int w, int h, enum stats_dim dim,
                  char keys[][UI_ACTION_TEXT], int64_t total)
{
    for (int i = 0; i < c->n; i++) {
        char pct[16];
        fmt_pct(total ? c->v[i][0] / (double)total : 0, pct, sizeof pct);
        snprintf(c->value_text[i], sizeof c->value_text[i], "%.0f · %s", c->v[i][0], pct);
    }
    lay_place_chart(L, c, x, y, w, h);
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_row_slot(c, x, y, w, h, i, &sx, &sy, &sw, &sh);
        if (c->v[i][0] > 0 && sh >= MIN_TARGET)
            ghost(L, sx, sy, sw, sh, STATS_PICK_BAR + dim, keys[i]);
    }
}

/* Responsibility in the order the screens show it, and its colours. */
static const enum responsibility resp_order[RESP_COUNT] = {RESP_MERCHANT, RESP_LOGISTICS,
                                                           RESP_CUSTOMER, RESP_PLATFORM, RESP_NONE};
static const uint32_t resp_colors[RESP_COUNT] = {0x7C3AEDu, 0x0E7490u, 0xB45309u, 0x1D4ED8u,
                                                 0x64748Bu};

static void page_outcomes(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    char keys[CHART_MAX][UI_ACTION_TEXT], rkeys[CHART_MAX][UI_ACTION_TEXT];
    const int half = (MAIN_W - 24) / 2, h = (CONTENT_Y1 - y - TITLE_H) / 2 - 8;
    /* Dispositions (left, top), responsibility (left, bottom); defects right. */
    title(L, MAIN_X, y, half, tr(l, S_STATS_DISPOSITIONS));
    struct chart *c = lay_chart(L, CH_HBARS);
    c->label_w = 210;
    int dh = CONTENT_Y1 - y - TITLE_H;
    int fit = dh / (MIN_TARGET + 8);
    int first = scroll_first(v, L, r->ndisp, fit);
    c->n = r->ndisp - first < fit ? r->ndisp - first : fit;
    scroll_hint(v, L, MAIN_X + half / 2, y, half / 2, TITLE_H, first, c->n, r->ndisp);
    for (int i = 0; i < c->n; i++) {
        const struct stats_count *d = &r->disp[first + i];
        snprintf(c->label[i], sizeof c->label[i], "%s", disposition_words(l, d->key));
        c->v[i][0] = (double)d->n;
        c->color[i] = C_PRIMARY;
        snprintf(keys[i], sizeof keys[i], "%s", d->key);
    }
    hbars(L, c, MAIN_X, y + TITLE_H, half, dh, SD_DISPOSITION, keys, r->total);
    (void)h;

    int rx = MAIN_X + half + 24;
    title(L, rx, y, half, tr(l, S_STATS_RESPONSIBILITY));
    c = lay_chart(L, CH_HBARS);
    c->label_w = 170;
    const enum responsibility *order = resp_order;
    c->n = RESP_COUNT;
    for (int i = 0; i < RESP_COUNT; i++) {
        snprintf(c->label[i], sizeof c->label[i], "%s", i18n_responsibility(l, order[i]));
        c->v[i][0] = (double)r->resp[order[i]];
        c->color[i] = resp_colors[i];
        snprintf(rkeys[i], sizeof rkeys[i], "%s", responsibility_name(order[i]));
    }
    hbars(L, c, rx, y + TITLE_H, half, dh, SD_RESPONSIBILITY, rkeys, r->total);
}

/* Responsibility over time: a stacked bar a day; a touch lists the day. */
static void page_trend(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    title(L, MAIN_X, y, MAIN_W, tr(l, S_STATS_RESP_PER_DAY));
    struct chart *c = lay_chart(L, CH_STACKED);
    int first = day_window(v, L, r->ndays, &c->n);
    scroll_hint(v, L, MAIN_X + MAIN_W / 2, y, MAIN_W / 2, TITLE_H, first, c->n, r->ndays);
    c->nseries = RESP_COUNT - 1 < CHART_SERIES ? RESP_COUNT - 1 : CHART_SERIES;
    /* The four parties stacked; "none" is the rest of the day's total. */
    for (int k = 0; k < c->nseries; k++) {
        snprintf(c->series_name[k], sizeof c->series_name[k], "%s",
                 i18n_responsibility(l, resp_order[k]));
        c->series_color[k] = resp_colors[k];
    }
    c->label_every = c->n > 12 ? (c->n + 5) / 6 : 1;
    for (int i = 0; i < c->n; i++) {
        char day[16];
        stats_day_text(r->range.from_day + first + i, day, sizeof day);
        snprintf(c->label[i], sizeof c->label[i], "%s", day + 5);
        for (int k = 0; k < c->nseries; k++)
            c->v[i][k] = (double)r->resp_day[first + i][resp_order[k]];
    }
    int ch = CONTENT_Y1 - y - TITLE_H;
    lay_place_chart(L, c, MAIN_X, y + TITLE_H, MAIN_W, ch);
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_bar_slot(c, MAIN_X, y + TITLE_H, MAIN_W, ch, i, &sx, &sy, &sw, &sh);
        char day[16];
        if (sw >= MIN_TARGET && r->per_day[first + i])
            ghost(L, sx, sy, sw, sh, STATS_PICK_BAR + SD_DAY,
                  stats_day_text(r->range.from_day + first + i, day, sizeof day));
    }
}

static void page_defects(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    char keys[CHART_MAX][UI_ACTION_TEXT], rkeys[CHART_MAX][UI_ACTION_TEXT];
    const int lw = 470, rx = MAIN_X + lw + 24, rw = CONTENT_X1 - rx;
    const int h = CONTENT_Y1 - y - TITLE_H;
    /* One scroll moves both lists, each as far as it has rows. */
    title(L, MAIN_X, y, lw, tr(l, S_STATS_TOP_DEFECTS));
    struct chart *c = lay_chart(L, CH_HBARS);
    c->label_w = 160; /* the defects in words */
    c->value_w = 160; /* "320 · 18.1%" */
    int fit = h / (MIN_TARGET + 8);
    int first = scroll_first(v, L, r->ndefects, fit);
    c->n = r->ndefects - first < fit ? r->ndefects - first : fit;
    scroll_hint(v, L, MAIN_X + lw / 2, y, lw / 2, TITLE_H, first, c->n, r->ndefects);
    for (int i = 0; i < c->n; i++) {
        const struct stats_count *d = &r->defects[first + i];
        const struct text *words = rules_defect_text(v->rules, d->key);
        snprintf(c->label[i], sizeof c->label[i], "%s", words ? text_get(words, l) : d->key);
        c->v[i][0] = (double)d->n;
        c->color[i] = C_GRADE_X;
        snprintf(keys[i], sizeof keys[i], "%s", d->key);
    }
    snprintf(c->empty, sizeof c->empty, "%s", tr(l, S_DASH));
    hbars(L, c, MAIN_X, y + TITLE_H, lw, h, SD_DEFECT, keys, r->total);

    title(L, rx, y, rw, tr(l, S_STATS_REASONS));
    c = lay_chart(L, CH_HBARS);
    c->label_w = 180;
    c->value_w = 96;
    /* Per declared reason: confirmed by what was found, not found, and the
     * rest (a reason that is not the product's fault, or none checked). */
    c->nseries = 3;
    snprintf(c->series_name[0], sizeof c->series_name[0], "%s", tr(l, S_STATS_CONFIRMED));
    snprintf(c->series_name[1], sizeof c->series_name[1], "%s", tr(l, S_STATS_NOT_FOUND));
    snprintf(c->series_name[2], sizeof c->series_name[2], "%s", tr(l, S_STATS_NOT_CHECKED));
    c->series_color[0] = C_OK;
    c->series_color[1] = C_WARN;
    c->series_color[2] = 0x64748Bu;
    fit = (h - 40) / (MIN_TARGET + 8); /* below the legend */
    first = scroll_first(v, L, r->nreasons, fit);
    c->n = r->nreasons - first < fit ? r->nreasons - first : fit;
    for (int i = 0; i < c->n; i++) {
        const struct stats_reason *x = &r->reasons[first + i];
        snprintf(c->label[i], sizeof c->label[i], "%s", part_reason_name(v->rules, l, x->reason));
        c->v[i][0] = (double)x->confirmed;
        c->v[i][1] = (double)x->not_found;
        c->v[i][2] = (double)(x->n - x->confirmed - x->not_found);
        snprintf(c->value_text[i], sizeof c->value_text[i], "n=%lld", (long long)x->n);
        snprintf(rkeys[i], sizeof rkeys[i], "%s", x->reason);
    }
    lay_place_chart(L, c, rx, y + TITLE_H, rw, h);
    for (int i = 0; i < c->n; i++) {
        int sx, sy, sw, sh;
        chart_row_slot(c, rx, y + TITLE_H, rw, h, i, &sx, &sy, &sw, &sh);
        if (sh >= MIN_TARGET)
            ghost(L, sx, sy, sw, sh, STATS_PICK_BAR + SD_REASON, rkeys[i]);
    }
}

/* Categories, then the top SKUs by returns, then by defect rate: one list of
 * rows (a section's title is a row too), each with its items, defect rate,
 * late and wrong-item counts and its responsibility mix; a touch on a
 * category or SKU lists its inspections. */
struct prow {
    enum str section; /* a title row when group is NULL */
    const struct stats_group *group;
    enum stats_dim dim;
};

static int product_rows(const struct stats_report *r, struct prow *out, int max)
{
    int n = 0;
    struct {
        enum str title;
        const struct stats_group *g;
        int ng;
        enum stats_dim dim;
    } parts[] = {{S_STATS_CATEGORIES, r->categories, r->ncategories, SD_CATEGORY},
                 {S_STATS_TOP_SKUS, r->top_skus, r->ntop_skus, SD_SKU},
                 {S_STATS_DEFECT_SKUS, r->defect_skus, r->ndefect_skus, SD_SKU}};
    for (size_t p = 0; p < sizeof parts / sizeof *parts; p++) {
        if (n < max)
            out[n++] = (struct prow){parts[p].title, NULL, SD_NONE};
        for (int i = 0; i < parts[p].ng && n < max; i++)
            out[n++] = (struct prow){parts[p].title, &parts[p].g[i], parts[p].dim};
    }
    return n;
}

static void page_products(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    static struct prow rows[3 + STATS_MAX_CATEGORIES + 2 * STATS_TOP_SKUS];
    int n = product_rows(r, rows, (int)(sizeof rows / sizeof *rows));
    const int rh = MIN_TARGET + 4;
    int fit = (CONTENT_Y1 - y - 40 - 32) / rh;
    int first = scroll_first(v, L, n, fit);
    int shown = n - first < fit ? n - first : fit;
    /* The head names the part the first row shown belongs to. */
    static const struct {
        int w;
        enum lay_align al;
    } cols[] = {{230, AL_LEFT}, {90, AL_RIGHT}, {170, AL_RIGHT}, {80, AL_RIGHT}, {150, AL_RIGHT}};
    const enum str heads[] = {rows[first].section, S_STATS_COL_ITEMS, S_STATS_COL_DEFECT_RATE,
                              S_STATS_COL_LATE, S_STATS_MISMATCH};
    const int ncols = (int)(sizeof cols / sizeof *cols);
    int x = MAIN_X;
    for (int k = 0; k < ncols; k++) {
        lay_text(L, x, y, cols[k].w, 36, tr(l, heads[k]), FS_SMALL, C_MUTED, cols[k].al, k == 0)
            ->max_lines = 1;
        x += cols[k].w + 12;
    }
    const int mixx = x + 8, mixw = CONTENT_X1 - mixx;
    lay_text(L, mixx, y, mixw, 36, tr(l, S_STATS_RESPONSIBILITY), FS_SMALL, C_MUTED, AL_LEFT, false)
        ->max_lines = 1;
    y += 40;
    scroll_hint(v, L, MAIN_X, CONTENT_Y1 - 30, MAIN_W, 30, first, shown, n);
    for (int i = 0; i < shown; i++) {
        const struct prow *row = &rows[first + i];
        int ry = y + i * rh;
        if (!row->group) {
            lay_text(L, MAIN_X, ry, MAIN_W, rh, tr(l, row->section), FS_BODY, C_TEXT, AL_LEFT, true)
                ->max_lines = 1;
            continue;
        }
        const struct stats_group *g = row->group;
        char c[ncols][72];
        snprintf(c[0], sizeof c[0], "%s", g->key[0] ? g->key : tr(l, S_DASH));
        snprintf(c[1], sizeof c[1], "%lld", (long long)g->n);
        fmt_pct(g->defect_rate, c[2], sizeof c[2]);
        snprintf(c[3], sizeof c[3], "%lld", (long long)g->late);
        snprintf(c[4], sizeof c[4], "%lld", (long long)g->mismatch);
        if (i % 2 == 0)
            lay_panel(L, MAIN_X - 8, ry, CONTENT_X1 - MAIN_X + 8, rh, C_FIELD, 0, 8);
        x = MAIN_X;
        for (int k = 0; k < ncols; k++) {
            lay_text(L, x, ry, cols[k].w, rh, c[k], k == 0 ? FS_BODY : FS_SMALL, C_TEXT, cols[k].al,
                     k == 0)
                ->max_lines = 1;
            x += cols[k].w + 12;
        }
        /* Who is responsible: one bar in the parties' shares. */
        int64_t total = 0;
        for (int k = 0; k < RESP_COUNT; k++)
            total += g->resp[k];
        int bx = mixx, by = ry + 14, bh = rh - 28;
        for (int k = 0; k < RESP_COUNT && total > 0; k++) {
            int w = (int)((double)mixw * (double)g->resp[resp_order[k]] / (double)total + 0.5);
            if (k == RESP_COUNT - 1 || bx + w > mixx + mixw)
                w = mixx + mixw - bx;
            if (w > 0)
                lay_panel(L, bx, by, w, bh, resp_colors[k], 0, 0);
            bx += w;
        }
        if (g->n)
            ghost(L, MAIN_X - 8, ry, mixx - MAIN_X, rh, STATS_PICK_BAR + row->dim, g->key);
    }
}

static void page_graders(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    static const struct {
        enum str head;
        int w;
        enum lay_align al;
    } cols[] = {{S_ROLE_GRADER, 180, AL_LEFT},         {S_STATS_COL_ITEMS, 70, AL_RIGHT},
                {S_STATS_COL_PER_HOUR, 100, AL_RIGHT}, {S_STATS_COL_MEDIAN, 100, AL_RIGHT},
                {S_STATS_COL_AGREE, 80, AL_RIGHT},     {S_STATS_COL_KAPPA, 70, AL_RIGHT},
                {S_STATS_COL_OVERRIDES, 112, AL_RIGHT}};
    const int ncols = (int)(sizeof cols / sizeof *cols);
    int x = MAIN_X;
    for (int k = 0; k < ncols; k++) {
        lay_text(L, x, y, cols[k].w, 36, tr(l, cols[k].head), FS_SMALL, C_MUTED, cols[k].al, false)
            ->max_lines = 1;
        x += cols[k].w + 12;
    }
    const int mixx = x + 8, mixw = CONTENT_X1 - mixx;
    lay_text(L, mixx, y, mixw - 4 * 22, 36, tr(l, S_STATS_COL_GRADES), FS_SMALL, C_MUTED, AL_LEFT,
             false)
        ->max_lines = 1;
    for (int g = GRADE_A; g <= GRADE_X; g++) /* the legend: each letter in its colour */
        lay_text(L, CONTENT_X1 - (GRADE_X - g + 1) * 22, y, 22, 36, grade_name((enum grade)g),
                 FS_SMALL, lay_grade_color((enum grade)g), AL_CENTER, true);
    y += 40;
    /* The whole station first, then every grader: as many rows as fit above
     * the calibration line, each a full touch target; the rest scroll. */
    const int rh = MIN_TARGET + 4;
    int fit = (CONTENT_Y1 - y - 72) / rh;
    int n = 1 + r->ngraders;
    int first = scroll_first(v, L, n, fit);
    int nrows = n - first < fit ? n - first : fit;
    struct chart *mix = lay_chart(L, CH_MIX);
    mix->n = nrows;
    mix->nseries = 4;
    for (int g = GRADE_A; g <= GRADE_X; g++)
        mix->series_color[g - 1] = lay_grade_color((enum grade)g);
    for (int i = 0; i < nrows; i++) {
        int row = first + i, ry = y + i * rh;
        char c[ncols][48];
        const struct stats_grader *g = row ? &r->graders[row - 1] : NULL;
        if (!g) {
            snprintf(c[0], sizeof c[0], "%s", tr(l, S_STATS_STATION));
            snprintf(c[1], sizeof c[1], "%lld", (long long)r->total);
            snprintf(c[2], sizeof c[2], "%s", tr(l, S_DASH));
            snprintf(c[3], sizeof c[3], "%s", tr(l, S_DASH));
            if (r->cal_pairs)
                snprintf(c[4], sizeof c[4], "%.0f%%",
                         100.0 * (double)r->cal_agree / (double)r->cal_pairs);
            else
                snprintf(c[4], sizeof c[4], "%s", tr(l, S_DASH));
            if (isnan(r->kappa))
                snprintf(c[5], sizeof c[5], "%s", tr(l, S_DASH));
            else
                snprintf(c[5], sizeof c[5], "%.2f", r->kappa);
            if (r->policy_n)
                snprintf(c[6], sizeof c[6], "%.0f%%",
                         100.0 * (double)r->policy_overrides / (double)r->policy_n);
            else
                snprintf(c[6], sizeof c[6], "%s", tr(l, S_DASH));
            for (int k = 0; k < 4; k++)
                mix->v[i][k] = (double)r->grades[GRADE_A + k];
        } else {
            snprintf(c[0], sizeof c[0], "%s", g->name[0] ? g->name : g->badge);
            snprintf(c[1], sizeof c[1], "%lld", (long long)g->n);
            snprintf(c[2], sizeof c[2], "%.1f", g->items_per_hour);
            snprintf(c[3], sizeof c[3], tr(l, S_STATS_SECONDS), g->median_s);
            if (g->cal_pairs)
                snprintf(c[4], sizeof c[4], "%.0f%%",
                         100.0 * (double)g->cal_agree / (double)g->cal_pairs);
            else
                snprintf(c[4], sizeof c[4], "%s", tr(l, S_DASH));
            if (isnan(g->kappa))
                snprintf(c[5], sizeof c[5], "%s", tr(l, S_DASH));
            else
                snprintf(c[5], sizeof c[5], "%.2f", g->kappa);
            /* How often the grader confirmed another responsibility than
             * the rules suggested. */
            if (g->policy_n)
                snprintf(c[6], sizeof c[6], "%.0f%%", 100.0 * g->override_rate);
            else
                snprintf(c[6], sizeof c[6], "%s", tr(l, S_DASH));
            for (int k = 0; k < 4; k++)
                mix->v[i][k] = (double)g->grades[GRADE_A + k];
        }
        if (row % 2 == 0)
            lay_panel(L, MAIN_X - 8, ry, CONTENT_X1 - MAIN_X + 8, rh, C_FIELD, 0, 8);
        x = MAIN_X;
        for (int k = 0; k < ncols; k++) {
            lay_text(L, x, ry, cols[k].w, rh, c[k], k == 0 ? FS_BODY : FS_SMALL, C_TEXT, cols[k].al,
                     k == 0 || row == 0)
                ->max_lines = 1;
            x += cols[k].w + 12;
        }
        if (g && g->n)
            ghost(L, MAIN_X - 8, ry, mixx - MAIN_X, rh, STATS_PICK_BAR + SD_GRADER, g->badge);
    }
    lay_place_chart(L, mix, mixx, y, mixw, nrows * rh);
    y += nrows * rh + 4;
    char line[256], agree[16], kappa[16], hint[64] = "";
    if (nrows < n)
        trf(hint, sizeof hint, l, S_STATS_ROWS_OF, first + 1, first + nrows, n);
    if (r->cal_pairs) {
        snprintf(agree, sizeof agree, "%.0f%%",
                 100.0 * (double)r->cal_agree / (double)r->cal_pairs);
        if (isnan(r->kappa))
            snprintf(kappa, sizeof kappa, "%s", tr(l, S_DASH));
        else
            snprintf(kappa, sizeof kappa, "%.2f", r->kappa);
        snprintf(line, sizeof line, tr(l, S_STATS_CAL_LINE), (long long)r->cal_pairs, agree, kappa,
                 (long long)r->cal_pending);
    } else {
        snprintf(line, sizeof line, tr(l, S_STATS_CAL_NONE), (long long)r->cal_pending);
    }
    int hw = hint[0] ? 320 : 0;
    lay_text(L, MAIN_X, y, MAIN_W - hw, CONTENT_Y1 - y > 68 ? 68 : CONTENT_Y1 - y, line, FS_SMALL,
             C_TEXT, AL_LEFT, false)
        ->max_lines = 2;
    if (hint[0])
        lay_text(L, CONTENT_X1 - hw, y, hw, 34, hint, FS_SMALL, C_MUTED, AL_RIGHT, false)
            ->max_lines = 1;
}

/* Median seconds per step: the station's as bars and, beside each, the
 * fastest and the slowest grader of that step, out of every grader. */
static void page_steps(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct stats_report *r = v->stats;
    const int cw = MAIN_W * 3 / 5, sx0 = MAIN_X + cw + 16, sw0 = CONTENT_X1 - sx0;
    title(L, MAIN_X, y, cw, tr(l, S_STATS_STEPS_TITLE));
    lay_text(L, sx0, y, sw0, TITLE_H, tr(l, S_STATS_STEPS_SPREAD), FS_SMALL, C_MUTED, AL_LEFT,
             false)
        ->max_lines = 1;
    struct chart *c = lay_chart(L, CH_HBARS);
    c->label_w = 250;
    c->value_w = 110;
    const int ch = CONTENT_Y1 - y - TITLE_H - 32;
    int fit = ch / (MIN_TARGET + 8);
    int first = scroll_first(v, L, r->nsteps, fit);
    c->n = r->nsteps - first < fit ? r->nsteps - first : fit;
    scroll_hint(v, L, MAIN_X, CONTENT_Y1 - 30, MAIN_W, 30, first, c->n, r->nsteps);
    for (int i = 0; i < c->n; i++) {
        const struct stats_step *st = &r->steps[first + i];
        snprintf(c->label[i], sizeof c->label[i], "%s", check_words(v, NULL, st->check));
        c->v[i][0] = st->median_s;
        c->color[i] = C_PRIMARY;
        snprintf(c->value_text[i], sizeof c->value_text[i], tr(l, S_STATS_SECONDS), st->median_s);
    }
    lay_place_chart(L, c, MAIN_X, y + TITLE_H, cw, ch);
    for (int i = 0; i < c->n; i++) {
        const struct stats_step *st = &r->steps[first + i];
        const struct stats_grader *fast = NULL, *slow = NULL;
        double fs = 0, ss = 0;
        int with = 0;
        for (int g = 0; g < r->ngraders; g++)
            for (int k = 0; k < r->graders[g].nsteps; k++)
                if (!strcmp(r->graders[g].steps[k].check, st->check)) {
                    double m = r->graders[g].steps[k].median_s;
                    with++;
                    if (!fast || m < fs)
                        fast = &r->graders[g], fs = m;
                    if (!slow || m > ss)
                        slow = &r->graders[g], ss = m;
                }
        int sx, sy, sw, sh;
        chart_row_slot(c, MAIN_X, y + TITLE_H, cw, ch, i, &sx, &sy, &sw, &sh);
        char buf[200];
        if (with >= 2)
            trf(buf, sizeof buf, l, S_STATS_STEP_SPREAD, fast->name[0] ? fast->name : fast->badge,
                fs, slow->name[0] ? slow->name : slow->badge, ss, with);
        else
            snprintf(buf, sizeof buf, "%s", tr(l, S_DASH));
        lay_text(L, sx0, sy, sw0, sh, buf, FS_SMALL, C_TEXT, AL_LEFT, false)->max_lines = 1;
    }
}

/* ---- list and detail ------------------------------------------------------ */

static void list_title(const struct view *v, char *out, size_t outlen)
{
    enum lang l = v->lang;
    const char *key = v->stats_key ? v->stats_key : "";
    switch (v->stats_dim) {
    case SD_DAY: snprintf(out, outlen, tr(l, S_STATS_DIM_DAY), key); break;
    case SD_GRADE: snprintf(out, outlen, tr(l, S_STATS_DIM_GRADE), key); break;
    case SD_DEFECT: {
        const struct text *words = rules_defect_text(v->rules, key);
        snprintf(out, outlen, tr(l, S_STATS_DIM_DEFECT), words ? text_get(words, l) : key);
        break;
    }
    case SD_REASON:
        snprintf(out, outlen, tr(l, S_STATS_DIM_REASON), part_reason_name(v->rules, l, key));
        break;
    case SD_GRADER: snprintf(out, outlen, tr(l, S_STATS_DIM_GRADER), key); break;
    case SD_DISPOSITION: snprintf(out, outlen, "%s", disposition_words(l, key)); break;
    case SD_RESPONSIBILITY: {
        int r = responsibility_from_name(key);
        snprintf(out, outlen, "%s", i18n_responsibility(l, r < 0 ? RESP_NONE : r));
        break;
    }
    case SD_LATE: snprintf(out, outlen, "%s", tr(l, S_STATS_LATE)); break;
    case SD_MISMATCH: snprintf(out, outlen, "%s", tr(l, S_STATS_MISMATCH)); break;
    case SD_CATEGORY: snprintf(out, outlen, tr(l, S_STATS_DIM_CATEGORY), key[0] ? key : "—"); break;
    case SD_SKU: snprintf(out, outlen, tr(l, S_STATS_DIM_SKU), key[0] ? key : "—"); break;
    default: snprintf(out, outlen, "%s", key); break;
    }
}

static void page_list(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    char what[128], head[200];
    list_title(v, what, sizeof what);
    const struct stats_list *s = v->stats_list;
    snprintf(head, sizeof head, tr(l, S_STATS_LIST_TITLE), what, (long long)(s ? s->total : 0));
    title(L, MAIN_X, y, MAIN_W, head);
    y += TITLE_H;
    if (!s)
        return;
    /* Every inspection behind the bar, newest first; the core keeps the page
     * of rows around the ones shown (s->offset ..). */
    const int rh = 68;
    int fit = (CONTENT_Y1 - y - 36) / rh;
    int n = s->total > INT32_MAX ? INT32_MAX : (int)s->total;
    int first = scroll_first(v, L, n, fit);
    int shown = n - first < fit ? n - first : fit;
    char hint[96];
    if (shown < n)
        trf(hint, sizeof hint, l, S_STATS_LIST_ROWS, first + 1, first + shown, n);
    else
        snprintf(hint, sizeof hint, "%s", tr(l, S_STATS_LIST_TAP));
    lay_text(L, MAIN_X, y, MAIN_W, 32, hint, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    y += 36;
    for (int i = 0; i < shown; i++) {
        int64_t k = first + i - s->offset;
        if (k < 0 || k >= s->nrows)
            continue; /* that page is still being read */
        const struct stats_row *row = &s->rows[k];
        int ry = y + i * rh;
        lay_panel(L, MAIN_X, ry + 2, MAIN_W, rh - 4, i % 2 ? C_CARD : C_FIELD, C_CARD_BORDER, 10);
        struct lay_item *g = lay_add(L, LK_GRADE, MAIN_X + 8, ry + 8, rh - 16, rh - 16);
        g->num = row->grade;
        char when[32], line[256];
        site_time(v, row->finished_at, "%m-%d %H:%M", when, sizeof when);
        snprintf(line, sizeof line, "%s   %s   %s   %s   %s", row->plate, when, row->operator_badge,
                 row->sku, disposition_words(l, row->disposition));
        lay_text(L, MAIN_X + rh + 8, ry, MAIN_W - rh - 16, rh, line, FS_SMALL, C_TEXT, AL_LEFT,
                 false)
            ->max_lines = 1;
        ghost(L, MAIN_X, ry + 2, MAIN_W, rh - 4, STATS_PICK_ROW, row->plate);
    }
}

static void page_detail(const struct view *v, struct lay *L, int y)
{
    enum lang l = v->lang;
    const struct inspection *in = v->stats_detail;
    char when[32], head[260], by[160];
    site_time(v, in->finished_at, "%m-%d %H:%M", when, sizeof when);
    snprintf(by, sizeof by, tr(l, S_WHEN_BY), when, in->operator_badge);
    snprintf(head, sizeof head, "%s · %s", in->plate, by);
    struct lay_item *g = lay_add(L, LK_GRADE, MAIN_X, y, 120, 120);
    g->num = in->grade;
    /* Its photos, the first three, at the right: the evidence beside the grade. */
    int thumbs = 0;
    for (int k = 0; k < in->nphotos && thumbs < 3; k++) {
        char path[LAY_TEXT_MAX];
        if (part_photo_path(v, &in->photos[k], path, sizeof path))
            lay_picture(L, MAIN_X + MAIN_W - (++thumbs) * 172 + 12, y, 160, 120, path);
    }
    const int tw = MAIN_W - 140 - thumbs * 172;
    lay_text(L, MAIN_X + 140, y, tw, 44, head, FS_BODY, C_TEXT, AL_LEFT, true)->max_lines = 1;
    char facts[300], defects[160];
    part_join_defects(in, v->rules, l, ", ", defects, sizeof defects);
    snprintf(facts, sizeof facts, "%s · %s · %s%s%s", in->sku[0] ? in->sku : in->rma,
             disposition_words(l, in->disposition), i18n_responsibility(l, in->responsibility),
             defects[0] ? " · " : "", defects);
    lay_text(L, MAIN_X + 140, y + 48, tw, 36, facts, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines =
        1;
    if (in->reason[0]) {
        char reason[128];
        snprintf(reason, sizeof reason, tr(l, S_STATS_DIM_REASON),
                 part_reason_name(v->rules, l, in->reason));
        lay_text(L, MAIN_X + 140, y + 84, tw, 36, reason, FS_SMALL, C_MUTED, AL_LEFT, false)
            ->max_lines = 1;
    }
    y += 132;
    title(L, MAIN_X, y, MAIN_W, tr(l, S_STATS_ANSWERS));
    y += TITLE_H;
    const int rh = 44;
    int fit = (CONTENT_Y1 - BUTTON_H - 12 - y) / rh;
    int first = scroll_first(v, L, in->nanswers, fit);
    int shown = in->nanswers - first < fit ? in->nanswers - first : fit;
    scroll_hint(v, L, MAIN_X, CONTENT_Y1 - BUTTON_H, MAIN_W - 340, BUTTON_H, first, shown,
                in->nanswers);
    for (int k = 0; k < shown; k++) {
        int i = first + k;
        char line[256], secs[32] = "";
        if (in->step_ms[i] > 0)
            snprintf(secs, sizeof secs, tr(l, S_STATS_SECONDS), in->step_ms[i] / 1000.0);
        snprintf(line, sizeof line, "%s: %s", check_words(v, in->category, in->answers[i].check),
                 answer_words(v, in->category, in->answers[i].check, in->answers[i].answer));
        /* What evidence the answer has: its photo, or who waived it. */
        for (int p = 0; p < in->nphotos; p++)
            if (!strcmp(in->photos[p].check, in->answers[i].check)) {
                size_t n = strlen(line);
                snprintf(line + n, sizeof line - n, " · %s", tr(l, S_STATS_PHOTO_TAKEN));
                break; /* one photo per check */
            }
        for (int p = 0; p < in->nwaived; p++)
            if (!strcmp(in->waived[p].check, in->answers[i].check)) {
                size_t n = strlen(line);
                char w[96];
                snprintf(w, sizeof w, tr(l, S_STATS_PHOTO_WAIVED), in->waived[p].by);
                snprintf(line + n, sizeof line - n, " · %s", w);
            }
        lay_text(L, MAIN_X, y + k * rh, MAIN_W - 160, rh, line, FS_SMALL, C_TEXT, AL_LEFT, false)
            ->max_lines = 1;
        lay_text(L, CONTENT_X1 - 150, y + k * rh, 150, rh, secs, FS_SMALL, C_MUTED, AL_RIGHT, false)
            ->max_lines = 1;
    }
    lay_button_key(L, CONTENT_X1 - 320, CONTENT_Y1 - BUTTON_H, 320, BUTTON_H, ST_PRIMARY,
                   tr(l, S_REPRINT), "F5", KEY_REPRINT);
}

/* ---- the screen ------------------------------------------------------------ */

void lay_stats(const struct view *v, struct lay *L)
{
    enum lang l = v->lang;
    bool nav = v->stats_dim == SD_NONE && !v->stats_detail;
    sidebar(v, L, nav);
    int y = CONTENT_Y0;
    if (v->stats_detail) {
        page_detail(v, L, y);
        return;
    }
    if (v->stats_dim != SD_NONE) {
        page_list(v, L, y);
        return;
    }
    y = period_bar(v, L);
    const struct stats_report *r = v->stats;
    bool current = r && v->stats_range_ok && r->range.from_day == v->stats_range.from_day &&
                   r->range.to_day == v->stats_range.to_day;
    if (!current)
        return; /* computing, or the range is not valid: the bar and message say */
    if (r->total == 0 && r->cal_pairs == 0) {
        char a[16], b[16], msg[160];
        snprintf(msg, sizeof msg, tr(l, S_STATS_NO_DATA),
                 stats_day_text(r->range.from_day, a, sizeof a),
                 stats_day_text(r->range.to_day, b, sizeof b));
        lay_card(L, MAIN_X, y, MAIN_W, CONTENT_Y1 - y);
        lay_text(L, MAIN_X + 32, y, MAIN_W - 64, CONTENT_Y1 - y, msg, FS_LARGE, C_MUTED, AL_CENTER,
                 false);
        return;
    }
    switch (v->stats_page) {
    case PAGE_OVERVIEW: page_overview(v, L, y); break;
    case PAGE_OUTCOMES: page_outcomes(v, L, y); break;
    case PAGE_TREND: page_trend(v, L, y); break;
    case PAGE_DEFECTS: page_defects(v, L, y); break;
    case PAGE_PRODUCTS: page_products(v, L, y); break;
    case PAGE_GRADERS: page_graders(v, L, y); break;
    case PAGE_STEPS: page_steps(v, L, y); break;
    case PAGE_COUNT: break;
    }
}
