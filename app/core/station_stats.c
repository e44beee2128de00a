/*
 * station_stats.c — the statistics screen (supervisors; F2 from scan).
 *
 * The core owns the navigation; the numbers are computed off the UI thread
 * by whoever carries out FX_STATS_QUERY and FX_STATS_LIST, and put into the
 * view by the main loop. Steps (enum stats_level):
 *   CHARTS   a period's charts, page by page: Up/Down or keys 1..4 choose
 *            the period (today, 7 days, 30 days, custom), Tab the page; in
 *            Custom, a typed "YYYY-MM-DD YYYY-MM-DD" or the day buttons set
 *            the range. A touch on a bar lists the inspections behind it.
 *   LIST     those inspections: a touch on a row shows one; another bar
 *            lists that one; Escape goes back to the charts.
 *   DETAIL   one inspection's answers: F5 reprints its label; Escape goes
 *            back to the list.
 * F2 leaves from every step. Every visit starts at the overview's charts.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "station_int.h"

/* The range of a period, ending today (UTC days). */
static struct stats_range period_range(const struct station *st, enum stats_period p)
{
    int64_t today = time_day(st->now);
    switch (p) {
    case PERIOD_TODAY: return (struct stats_range){today, today};
    case PERIOD_7D: return (struct stats_range){today - 6, today};
    case PERIOD_CUSTOM:
        if (st->stats_custom_set)
            return st->stats_custom;
        return (struct stats_range){today - 6, today};
    case PERIOD_30D:
    default: return (struct stats_range){today - 29, today};
    }
}

/* Ask for the numbers of the current period. */
static void query(struct station *st, struct effects *fx)
{
    st->stats_range = period_range(st, st->stats_period);
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
    st->stats_custom = (struct stats_range){time_day(fa), time_day(fb)};
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
    struct effect *e = st_emit(fx, FX_STATS_LIST);
    if (e) {
        e->range = st->stats_range;
        e->dim = st->stats_dim;
        COPY(e->key, st->stats_key);
    }
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
        st->stats_page = (enum stats_page)((st->stats_page + 1) % PAGE_COUNT);
        return true;
    }
    /* Up and Down step through the periods; keys 1..4 choose one, except
     * in Custom, where digits type the dates. */
    int period = -1;
    if (ev->type == EV_KEY && (ev->key == KEY_UP || ev->key == KEY_DOWN))
        period = (st->stats_period + (ev->key == KEY_DOWN ? 1 : PERIOD_COUNT - 1)) % PERIOD_COUNT;
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
        return true;
    }
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
