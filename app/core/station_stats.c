/*
 * station_stats.c — the statistics screen (supervisors; F2 from scan).
 *
 * The core owns the navigation; the numbers are computed off the UI thread
 * by whoever carries out FX_STATS_QUERY and FX_STATS_LIST, and put into the
 * view by the main loop. Steps (enum stats_level):
 *   CHARTS   a period's charts, page by page: keys 1..4 choose the period
 *            (today, 7 days, 30 days, custom), Tab the page; in Custom, a
 *            typed "YYYY-MM-DD YYYY-MM-DD" or the day buttons set the range.
 *            A touch on a bar lists the inspections behind it.
 *   LIST     those inspections: a touch on a row shows one; another bar
 *            lists that one; Escape goes back to the charts.
 * Every page and list reaches its last row: Up/Down move one row, PageUp/
 * PageDown a screenful, a drag or the wheel (EV_SCROLL) as far as it went.
 * How far is as the layout says (station_stats_scroll_limit). A list is read
 * a page of STATS_LIST_MAX at a time: the core asks for the page around the
 * rows shown (FX_STATS_LIST with its offset) before the screen runs out.
 *   DETAIL   one inspection's answers: F5 reprints its label; Escape goes
 *            back to the list.
 * F2 leaves from every step. Every visit starts at the overview's charts.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "station_int.h"
#include "tz.h"

/* The range of a period, ending today (the site's days). */
static struct stats_range period_range(const struct station *st, enum stats_period p)
{
    const struct tz *z = st->set.tz;
    int64_t today = tz_day(z, st->now);
    switch (p) {
    case PERIOD_TODAY: return (struct stats_range){today, today, z};
    case PERIOD_7D: return (struct stats_range){today - 6, today, z};
    case PERIOD_CUSTOM:
        if (st->stats_custom_set)
            return st->stats_custom;
        return (struct stats_range){today - 6, today, z};
    case PERIOD_30D:
    default: return (struct stats_range){today - 29, today, z};
    }
}

/* Rows a PageUp/PageDown moves. */
#define STATS_PAGE_STEP 5

/* The scroll of the step shown. */
static int *scroll_of(struct station *st)
{
    return st->stats_level == STATS_CHARTS ? &st->stats_chart_scroll : &st->stats_list_scroll;
}

static void clamp_scroll(struct station *st)
{
    int *s = scroll_of(st);
    if (st->stats_scroll_max >= 0 && *s > st->stats_scroll_max)
        *s = st->stats_scroll_max;
    if (*s < 0)
        *s = 0;
}

/* The list's page around the rows shown, asked for when it is not the one
 * asked for last. */
static void list_page(struct station *st, struct effects *fx, bool always)
{
    int64_t s = st->stats_list_scroll;
    int64_t offset = st->stats_list_offset;
    if (s < offset || s + STATS_VISIBLE_MAX > offset + STATS_LIST_MAX) {
        offset = s - STATS_LIST_MAX / 4;
        if (offset < 0)
            offset = 0;
    }
    if (!always && offset == st->stats_list_offset)
        return;
    st->stats_list_offset = offset;
    struct effect *e = st_emit(fx, FX_STATS_LIST);
    if (e) {
        e->range = st->stats_range;
        e->dim = st->stats_dim;
        COPY(e->key, st->stats_key);
        e->offset = offset;
    }
}

/* Up, Down, PageUp, PageDown, a drag: move the rows shown. */
static bool scroll_event(struct station *st, const struct event *ev, struct effects *fx)
{
    int delta;
    if (ev->type == EV_SCROLL)
        delta = ev->pick;
    else if (ev->type == EV_KEY && ev->key == KEY_UP)
        delta = -1;
    else if (ev->type == EV_KEY && ev->key == KEY_DOWN)
        delta = 1;
    else if (ev->type == EV_KEY && ev->key == KEY_PAGEUP)
        delta = -STATS_PAGE_STEP;
    else if (ev->type == EV_KEY && ev->key == KEY_PAGEDOWN)
        delta = STATS_PAGE_STEP;
    else
        return false;
    int *s = scroll_of(st);
    *s += delta;
    clamp_scroll(st);
    if (st->stats_level == STATS_LIST)
        list_page(st, fx, false);
    return true;
}

void station_stats_scroll_limit(struct station *st, int max_first)
{
    st->stats_scroll_max = max_first < 0 ? 0 : max_first;
    clamp_scroll(st);
}

/* Ask for the numbers of the current period. */
static void query(struct station *st, struct effects *fx)
{
    st->stats_range = period_range(st, st->stats_period);
    st->stats_chart_scroll = 0;
    st->stats_scroll_max = -1;
    st->stats_range_ok = stats_range_check(&st->stats_range, NULL, 0) == 0;
    if (!st->stats_range_ok) {
        st_say(st,
               st->stats_range.from_day > st->stats_range.to_day ? MSG_STATS_REVERSED
                                                                  : MSG_STATS_TOO_LONG,
               NULL, STATS_MAX_DAYS);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    struct effect *e = st_emit(fx, FX_STATS_QUERY);
    if (e)
        e->range = st->stats_range;
}

/* Choose a period; Custom starts from the last custom range, or 7 days. */
static void choose_period(struct station *st, enum stats_period p, struct effects *fx)
{
    st->stats_period = p;
    if (p == PERIOD_CUSTOM && !st->stats_custom_set) {
        st->stats_custom = period_range(st, PERIOD_CUSTOM);
        st->stats_custom_set = true;
    }
    query(st, fx);
}

void stats_entry(struct station *st, struct effects *fx)
{
    st->stats_level = STATS_CHARTS;
    st->stats_page = PAGE_OVERVIEW;
    st->stats_list_scroll = 0;
    st_audit(st, fx, "stats_opened", NULL, NULL);
    query(st, fx);
}

void stats_exit(struct station *st, struct effects *fx)
{
    (void)fx;
    st->stats_level = STATS_CHARTS;
    st->stats_dim = SD_NONE;
    st->stats_key[0] = 0;
}

/* "YYYY-MM-DD YYYY-MM-DD" (or "..", "/" or "to" between): a custom range. */
static void typed_range(struct station *st, const char *text, struct effects *fx)
{
    char a[32] = "", b[32] = "";
    int n = sscanf(text, " %10[0-9-] %*[.to/ ] %10[0-9-]", a, b);
    if (n < 2)
        n = sscanf(text, " %10[0-9-] %10[0-9-]", a, b);
    int64_t fa, fb;
    if (n < 1 || time_parse_date(a, &fa) != 0 || strlen(a) != 10) {
        st_say(st, MSG_STATS_BAD_DATE, text, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    if (n < 2) {
        fb = fa; /* one date: that day */
    } else if (time_parse_date(b, &fb) != 0 || strlen(b) != 10) {
        st_say(st, MSG_STATS_BAD_DATE, b, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    st->stats_custom = (struct stats_range){time_day(fa), time_day(fb), st->set.tz};
    st->stats_custom_set = true;
    st->stats_period = PERIOD_CUSTOM;
    query(st, fx);
}

/* A touch on a bar: list what is behind it. */
static bool list_bar(struct station *st, const struct event *ev, struct effects *fx)
{
    if (!(ev->type == EV_PICK && ev->pick >= STATS_PICK_BAR &&
          ev->pick < STATS_PICK_BAR + SD_COUNT && st->stats_range_ok))
        return false;
    st->stats_level = STATS_LIST;
    st->stats_dim = (enum stats_dim)(ev->pick - STATS_PICK_BAR);
    COPY(st->stats_key, ev->text);
    st->stats_list_scroll = 0;
    st->stats_list_offset = 0;
    st->stats_scroll_max = -1;
    list_page(st, fx, true);
    return true;
}

static bool charts_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        if (st->input_len)
            st_clear_input(st);
        else
            station_goto(st, SCREEN_SCAN, fx);
        return true;
    }
    if (list_bar(st, ev, fx))
        return true;
    if (ev->type == EV_PICK && ev->pick >= STATS_PICK_PERIOD &&
        ev->pick < STATS_PICK_PERIOD + PERIOD_COUNT) {
        choose_period(st, (enum stats_period)(ev->pick - STATS_PICK_PERIOD), fx);
        return true;
    }
    if (ev->type == EV_PICK && ev->pick >= STATS_PICK_PAGE &&
        ev->pick < STATS_PICK_PAGE + PAGE_COUNT) {
        st->stats_page = (enum stats_page)(ev->pick - STATS_PICK_PAGE);
        st->stats_chart_scroll = 0;
        st->stats_scroll_max = -1;
        return true;
    }
    if (ev->type == EV_PICK && ev->pick >= STATS_PICK_DAY && ev->pick < STATS_PICK_DAY + 4) {
        int k = ev->pick - STATS_PICK_DAY;
        if (!st->stats_custom_set)
            st->stats_custom = period_range(st, PERIOD_CUSTOM);
        st->stats_custom_set = true;
        int64_t *d = k < 2 ? &st->stats_custom.from_day : &st->stats_custom.to_day;
        *d += k % 2 ? 1 : -1;
        st->stats_period = PERIOD_CUSTOM;
        query(st, fx);
        return true;
    }
    if (ev->type == EV_KEY && (ev->key == KEY_TAB || ev->key == KEY_LEFT || ev->key == KEY_RIGHT)) {
        int step = ev->key == KEY_LEFT ? PAGE_COUNT - 1 : 1;
        st->stats_page = (enum stats_page)((st->stats_page + step) % PAGE_COUNT);
        st->stats_chart_scroll = 0;
        st->stats_scroll_max = -1;
        return true;
    }
    if (scroll_event(st, ev, fx))
        return true;
    /* Keys 1..4 choose a period, except in Custom, where digits type the
     * dates. */
    int period = -1;
    if (ev->type == EV_TEXT && st->input_len == 0 && st->stats_period != PERIOD_CUSTOM &&
        ev->len == 1 && ev->text[0] >= '1' && ev->text[0] < '1' + PERIOD_COUNT)
        period = ev->text[0] - '1';
    if (period >= 0) {
        st_clear_input(st);
        choose_period(st, (enum stats_period)period, fx);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->input_len > 0) {
        char typed[STATION_INPUT_MAX + 1];
        COPY(typed, st->input);
        st_clear_input(st);
        typed_range(st, typed, fx);
        return true;
    }
    return st_edit_input(st, ev);
}

static bool list_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_PICK && ev->pick == STATS_PICK_ROW) {
        int rc = st->ports.find_inspection(st->ports.ctx, ev->text, &st->stats_detail);
        if (rc == 0) {
            st->stats_level = STATS_DETAIL;
        } else {
            st_say(st, rc < 0 ? MSG_STORE_ERROR : MSG_UNKNOWN_CODE, ev->text, 0);
            st_emit(fx, FX_BEEP_ERROR);
        }
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st->stats_level = STATS_CHARTS;
        st->stats_dim = SD_NONE;
        st->stats_key[0] = 0;
        st->stats_scroll_max = -1;
        return true;
    }
    if (scroll_event(st, ev, fx))
        return true;
    return list_bar(st, ev, fx);
}

static bool detail_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_KEY && ev->key == KEY_REPRINT) {
        st_reprint(st, &st->stats_detail, fx);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st->stats_level = STATS_LIST;
        st->stats_scroll_max = -1;
        return true;
    }
    return false;
}

bool stats_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_KEY && ev->key == KEY_STATS) {
        station_goto(st, SCREEN_SCAN, fx);
        return true;
    }
    switch (st->stats_level) {
    case STATS_CHARTS: return charts_run(st, ev, fx);
    case STATS_LIST: return list_run(st, ev, fx);
    case STATS_DETAIL: return detail_run(st, ev, fx);
    }
    return false;
}
