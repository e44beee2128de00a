/*
 * test_stats_core.c — the station core's part of statistics: who may open the
 * screen (and the audit of a refusal), periods and custom ranges (reversed,
 * not a date), drill-down to a list and one inspection with its reprint,
 * time per checklist step, and the blind re-grade (calibration) flow.
 * Pure: the core with look-ups from tables, no SQLite, no SDL.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "rules.h"
#include "station.h"
#include "tz.h"

static int64_t now, today;
static struct station *st;
static struct effects fx;
static bool calibrated; /* what find_calibration answers for the due plate */

static int fake_find_operator(void *ctx, const char *badge, struct operator_info *op)
{
    (void)ctx;
    snprintf(op->badge, sizeof op->badge, "%s", badge);
    snprintf(op->name, sizeof op->name, "op %s", badge);
    return 0;
}

static int fake_find_manifest(void *ctx, const char *rma, struct manifest_row *out)
{
    (void)ctx;
    if (strcmp(rma, "RMA-1001"))
        return 1;
    memset(out, 0, sizeof *out);
    snprintf(out->rma, sizeof out->rma, "RMA-1001");
    snprintf(out->sku, sizeof out->sku, "PH-IP15-128");
    snprintf(out->gtin, sizeof out->gtin, "0195949038488");
    snprintf(out->reason, sizeof out->reason, "defective");
    return 0;
}

/* SH01-S01-000007: graded B by 1001 and chosen for a blind re-grade;
 * SH01-S01-000008: an ordinary one. */
static int fake_find_inspection(void *ctx, const char *plate, struct inspection *out)
{
    (void)ctx;
    if (strcmp(plate, "SH01-S01-000007") && strcmp(plate, "SH01-S01-000008"))
        return 1;
    memset(out, 0, sizeof *out);
    snprintf(out->plate, sizeof out->plate, "%s", plate);
    snprintf(out->rma, sizeof out->rma, "RMA-1001");
    snprintf(out->sku, sizeof out->sku, "PH-IP15-128");
    snprintf(out->category, sizeof out->category, "phone");
    snprintf(out->operator_badge, sizeof out->operator_badge, "1001");
    out->grade = GRADE_B;
    out->calibration_due = plate[14] == '7';
    return 0;
}

static int fake_find_calibration(void *ctx, const char *plate)
{
    (void)ctx, (void)plate;
    return calibrated ? 0 : 1;
}

static bool send(struct event ev)
{
    ev.now = now;
    return station_handle(st, &ev, &fx);
}
static void key(enum key k) { send((struct event){.type = EV_KEY, .key = k}); }
static void text(const char *s)
{
    struct event ev = {.type = EV_TEXT, .len = strlen(s)};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    send(ev);
}
static void scan(const char *s)
{
    struct event ev = {.type = EV_SCAN, .len = strlen(s)};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    send(ev);
}
static void pick(int p, const char *s)
{
    struct event ev = {.type = EV_PICK, .pick = p};
    snprintf(ev.text, sizeof ev.text, "%s", s ? s : "");
    ev.len = strlen(ev.text);
    send(ev);
}

/* An effect of type t (an audit of `action`, when given). */
static const struct effect *find_fx(enum effect_type t, const char *action)
{
    for (int i = 0; i < fx.n; i++)
        if (fx.fx[i].type == t && (!action || !strcmp(fx.fx[i].action, action)))
            return &fx.fx[i];
    return NULL;
}

/* Log in; the PIN check answers yes, a badge starting with 2 is a supervisor. */
static void login(const char *badge)
{
    key(KEY_LOGOUT);
    scan(badge);
    text("123456");
    key(KEY_ENTER);
    const struct effect *c = find_fx(FX_CHECK_PIN, NULL);
    if (CHECK(c && !strcmp(c->actor, badge))) {
        struct event ev = {.type = EV_LOGIN_RESULT, .login = LOGIN_OK};
        snprintf(ev.op.badge, sizeof ev.op.badge, "%s", badge);
        snprintf(ev.op.name, sizeof ev.op.name, "op %s", badge);
        ev.op.role = badge[0] == '2' ? ROLE_SUPERVISOR : ROLE_GRADER;
        send(ev);
    }
    CHECK_INT(station_screen(st), SCREEN_SCAN);
}

static void test_roles(void)
{
    login("1001");
    key(KEY_STATS);
    CHECK_INT(station_screen(st), SCREEN_SCAN);
    const struct effect *a = find_fx(FX_AUDIT, "stats_denied");
    CHECK(a && !strcmp(a->actor, "1001"));
    CHECK(find_fx(FX_STATS_QUERY, NULL) == NULL);
    struct view v;
    station_view(st, &v);
    CHECK_INT(v.msg, MSG_NOT_ALLOWED);
    CHECK_STR(msg_error_id(v.msg), "E565");

    login("2001");
    key(KEY_STATS);
    CHECK_INT(station_screen(st), SCREEN_STATS);
    CHECK(find_fx(FX_AUDIT, "stats_opened") != NULL);
    const struct effect *q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == today - 6 && q->range.to_day == today); /* 7 days first */
}

static void test_periods_and_ranges(void)
{
    pick(STATS_PICK_PERIOD + PERIOD_30D, NULL);
    const struct effect *q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == today - 29 && q->range.to_day == today);
    text("1"); /* key 1: today */
    q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == today && q->range.to_day == today);
    key(KEY_TAB);
    struct view v;
    station_view(st, &v);
    CHECK_INT(v.stats_page, PAGE_OUTCOMES);
    pick(STATS_PICK_PAGE + PAGE_GRADERS, NULL);
    station_view(st, &v);
    CHECK_INT(v.stats_page, PAGE_GRADERS);

    /* Custom, typed: reversed, then not a date, then right. */
    text("4");
    CHECK(find_fx(FX_STATS_QUERY, NULL) != NULL);
    text("2026-11-20 2026-11-01");
    key(KEY_ENTER);
    CHECK(find_fx(FX_STATS_QUERY, NULL) == NULL);
    station_view(st, &v);
    CHECK_INT(v.msg, MSG_STATS_REVERSED);
    CHECK_STR(msg_error_id(v.msg), "E751");
    CHECK(!v.stats_range_ok);
    pick(STATS_PICK_BAR + SD_GRADE, "B"); /* no list of a range that is not one */
    CHECK(find_fx(FX_STATS_LIST, NULL) == NULL);
    text("2026-02-30");
    key(KEY_ENTER);
    station_view(st, &v);
    CHECK_INT(v.msg, MSG_STATS_BAD_DATE);
    CHECK_STR(msg_error_id(v.msg), "E750");
    CHECK(find_fx(FX_STATS_QUERY, NULL) == NULL);
    text("2026-11-01 2026-11-20");
    key(KEY_ENTER);
    int64_t a, b;
    time_parse_date("2026-11-01", &a);
    time_parse_date("2026-11-20", &b);
    q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == time_day(a) && q->range.to_day == time_day(b));
    pick(STATS_PICK_DAY + 1, NULL); /* from + 1 day */
    q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == time_day(a) + 1);
    station_view(st, &v);
    CHECK_INT(v.stats_period, PERIOD_CUSTOM);
    CHECK(v.stats_range_ok);
    /* Longer than a year. */
    text("2020-01-01 2026-01-01");
    key(KEY_ENTER);
    station_view(st, &v);
    CHECK_INT(v.msg, MSG_STATS_TOO_LONG);
    CHECK(find_fx(FX_STATS_QUERY, NULL) == NULL);
    /* In Custom, digits type dates; the 30 days button goes back (Up and
     * Down scroll the rows). */
    text("3");
    CHECK(find_fx(FX_STATS_QUERY, NULL) == NULL);
    station_view(st, &v);
    CHECK_STR(v.input, "3");
    key(KEY_UP);
    CHECK(find_fx(FX_STATS_QUERY, NULL) == NULL);
    key(KEY_BACKSPACE);
    pick(STATS_PICK_PERIOD + PERIOD_30D, NULL);
    q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == today - 29 && q->range.to_day == today);
    station_view(st, &v);
    CHECK_INT(v.stats_period, PERIOD_30D);
    CHECK_STR(v.input, "");
}

static void test_drill_down(void)
{
    pick(STATS_PICK_BAR + SD_GRADE, "B");
    const struct effect *l = find_fx(FX_STATS_LIST, NULL);
    CHECK(l && l->dim == SD_GRADE && !strcmp(l->key, "B") && l->range.from_day == today - 29);
    struct view v;
    station_view(st, &v);
    CHECK_INT(v.stats_dim, SD_GRADE);
    CHECK_STR(v.stats_key, "B");
    pick(STATS_PICK_ROW, "SH01-S01-000008");
    station_view(st, &v);
    CHECK(v.stats_detail && !strcmp(v.stats_detail->plate, "SH01-S01-000008"));
    key(KEY_REPRINT);
    const struct effect *p = find_fx(FX_REPRINT, NULL);
    CHECK(p && !strcmp(p->subject, "SH01-S01-000008") && !strcmp(p->actor, "2001"));
    const struct effect *a = find_fx(FX_AUDIT, "reprint");
    CHECK(a && !strcmp(a->actor, "2001") && !strcmp(a->subject, "SH01-S01-000008"));
    key(KEY_ESCAPE); /* the list */
    station_view(st, &v);
    CHECK(!v.stats_detail && v.stats_dim == SD_GRADE);
    key(KEY_ESCAPE); /* the charts */
    station_view(st, &v);
    CHECK_INT(v.stats_dim, SD_NONE);
    key(KEY_ESCAPE);
    CHECK_INT(station_screen(st), SCREEN_SCAN);
}

/* Answer the phone checklist (5 checks) with the first answers, `gap` ms apart. */
static void answer_all(const int *gaps)
{
    for (int i = 0; i < 5; i++) {
        now += gaps[i];
        text("1");
    }
    CHECK_INT(station_screen(st), SCREEN_SUMMARY);
}

/* Up, Down, PageUp, PageDown and a drag move the rows shown, as far as the
 * layout says; a list asks for the page of rows around those shown, and so
 * reaches its last inspection. */
static void test_scrolling(void)
{
    struct view v;
    key(KEY_STATS);
    CHECK_INT(station_screen(st), SCREEN_STATS);
    pick(STATS_PICK_PAGE + PAGE_GRADERS, NULL);
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 0);
    station_stats_scroll_limit(st, 33); /* 40 graders, 7 shown */
    key(KEY_DOWN);
    key(KEY_DOWN);
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 2);
    key(KEY_PAGEDOWN);
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 7);
    send((struct event){.type = EV_SCROLL, .pick = 100}); /* a long drag: to the end */
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 33);
    key(KEY_PAGEUP);
    key(KEY_UP);
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 27);
    station_stats_scroll_limit(st, 10); /* fewer rows now: kept within */
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 10);
    send((struct event){.type = EV_SCROLL, .pick = -50});
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 0);
    pick(STATS_PICK_PAGE + PAGE_STEPS, NULL); /* another page starts at its top */
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 0);

    /* A list of 1000: pages of STATS_LIST_MAX asked for as the rows shown move. */
    pick(STATS_PICK_BAR + SD_GRADE, "B");
    const struct effect *l = find_fx(FX_STATS_LIST, NULL);
    CHECK(l && l->offset == 0);
    station_stats_scroll_limit(st, 1000 - 8);
    int64_t asked = 0;
    for (int i = 0; i < 400; i++) {
        key(KEY_PAGEDOWN);
        l = find_fx(FX_STATS_LIST, NULL);
        station_view(st, &v);
        if (l) {
            CHECK(l->dim == SD_GRADE && !strcmp(l->key, "B"));
            CHECK(l->offset > asked);
            asked = l->offset;
        }
        /* What is shown lies in the page asked for. */
        CHECK(v.stats_scroll >= asked &&
              v.stats_scroll + STATS_VISIBLE_MAX <= asked + STATS_LIST_MAX);
    }
    station_view(st, &v);
    CHECK_INT(v.stats_scroll, 1000 - 8); /* the last 8: the oldest inspection shown */
    CHECK(asked + STATS_LIST_MAX >= 1000);
    key(KEY_ESCAPE);
    station_view(st, &v);
    CHECK_INT(v.stats_dim, SD_NONE);
}

/* "Saved" says in words what still waits: the label, for a printer in
 * trouble, or the upload, for a failing sync. */
static void save_with(const char *printer, int waiting, const char *sync, enum msg want)
{
    login("1001");
    scan("RMA-1001");
    scan("0195949038488");
    for (int i = 0; i < 5; i++)
        text("1");
    key(KEY_ENTER);
    const struct effect *s = find_fx(FX_SAVE, NULL);
    if (!CHECK(s != NULL))
        return;
    struct event ev = {.type = EV_SAVED, .seq = 42, .labels_waiting = waiting};
    snprintf(ev.plate, sizeof ev.plate, "SH01-S01-000042");
    snprintf(ev.printer_trouble, sizeof ev.printer_trouble, "%s", printer);
    snprintf(ev.sync_trouble, sizeof ev.sync_trouble, "%s", sync);
    send(ev);
    struct view v;
    station_view(st, &v);
    CHECK_INT(station_screen(st), SCREEN_SCAN);
    CHECK_INT(v.msg, want);
    CHECK_STR(v.msg_arg, "SH01-S01-000042");
    if (want == MSG_SAVED_LABEL_WAITING) {
        CHECK_INT(v.msg_num, waiting);
        CHECK_STR(v.msg_detail, printer);
    } else if (want == MSG_SAVED_SYNC_FAILING) {
        CHECK_STR(v.msg_detail, sync);
    }
}

static void test_saved_words(void)
{
    save_with("offline", 3, "", MSG_SAVED_LABEL_WAITING);
    save_with("paper out", 1, "E712", MSG_SAVED_LABEL_WAITING); /* the label first */
    save_with("", 2, "E712", MSG_SAVED_SYNC_FAILING);
    save_with("", 1, "", MSG_SAVED); /* a label just queued for a printer that is fine */
}

/* Days and "today" are the site's: at 23:30 UTC, Shanghai is already on the
 * next day. */
static void test_site_today(const struct rules *rules, const struct station_ports *ports)
{
    struct tz *z = NULL;
    char err[256];
    if (!CHECK_INT(tz_load("Asia/Shanghai", &z, err, sizeof err), 0))
        return;
    struct station_settings set = {
        .station_id = "SH01-S01", .lang = LANG_EN, .rules = rules, .tz = z};
    struct station *saved = st;
    st = station_new(&set, ports);
    int64_t keep = now;
    time_parse_rfc3339("2026-10-10T15:59:59Z", &now); /* 23:59:59 there: still the 10th */
    login("2001");
    key(KEY_STATS);
    text("1"); /* today */
    const struct effect *q = find_fx(FX_STATS_QUERY, NULL);
    int64_t oct11;
    time_parse_date("2026-10-11", &oct11);
    CHECK(q && q->range.from_day == time_day(oct11) - 1 && q->range.to_day == time_day(oct11) - 1);
    CHECK(q && q->range.tz == z);
    time_parse_rfc3339("2026-10-10T23:30:00Z", &now); /* 07:30 on the 11th there */
    text("2");
    text("1");
    q = find_fx(FX_STATS_QUERY, NULL);
    CHECK(q && q->range.from_day == time_day(oct11) && q->range.to_day == time_day(oct11));
    station_free(st);
    st = saved;
    now = keep;
    tz_free(z);
}

static void test_step_times_and_choice(void)
{
    login("1001");
    scan("RMA-1001");
    CHECK_INT(station_screen(st), SCREEN_ITEM);
    now += 5000;
    scan("0195949038488");
    CHECK_INT(station_screen(st), SCREEN_CHECK);
    static const int gaps[5] = {4200, 1800, 3000, 2500, 900};
    answer_all(gaps);
    key(KEY_ENTER);
    const struct effect *s = find_fx(FX_SAVE, NULL);
    if (CHECK(s && s->insp)) {
        CHECK_INT(s->insp->nanswers, 5);
        for (int i = 0; i < 5; i++)
            CHECK_INT(s->insp->step_ms[i], gaps[i]);
        CHECK(s->insp->calibration_due); /* calibration_pct 100 here */
        CHECK_STR(s->insp->calibrates, "");
    }
    struct event saved = {.type = EV_SAVED, .seq = 9};
    snprintf(saved.plate, sizeof saved.plate, "SH01-S01-000009");
    send(saved);
    CHECK(find_fx(FX_BEEP_OK, NULL) != NULL);
    CHECK(find_fx(FX_REPRINT, NULL) == NULL); /* the commit queued its label */
}

static void test_calibration(void)
{
    /* The first grader scanning their own due plate: the usual reprint/re-grade screen. */
    login("1001");
    scan("SH01-S01-000007");
    CHECK_INT(station_screen(st), SCREEN_ITEM);
    struct view v;
    station_view(st, &v);
    CHECK(v.existing != NULL && !v.calibrating);
    key(KEY_ESCAPE);

    /* Another grader: a blind re-grade starts, the first grade hidden. */
    login("1002");
    scan("SH01-S01-000007");
    CHECK_INT(station_screen(st), SCREEN_CHECK);
    station_view(st, &v);
    CHECK(v.calibrating);
    CHECK(v.existing == NULL);
    CHECK_INT(v.msg, MSG_CALIBRATION);
    const struct effect *a = find_fx(FX_AUDIT, "calibration_start");
    CHECK(a && !strcmp(a->actor, "1002") && !strcmp(a->subject, "SH01-S01-000007"));
    static const int gaps[5] = {1000, 1000, 1000, 1000, 1000};
    answer_all(gaps);
    station_view(st, &v);
    CHECK(v.existing == NULL);
    key(KEY_ENTER);
    const struct effect *s = find_fx(FX_SAVE, NULL);
    if (CHECK(s && s->insp)) {
        CHECK_STR(s->insp->calibrates, "SH01-S01-000007");
        CHECK_STR(s->insp->supersedes, ""); /* a calibration record, not a correction */
        CHECK(!s->insp->calibration_due);
        CHECK_STR(s->insp->operator_badge, "1002");
    }
    struct event saved = {.type = EV_SAVED, .seq = 10};
    snprintf(saved.plate, sizeof saved.plate, "SH01-S01-000010");
    send(saved);
    CHECK(find_fx(FX_REPRINT, NULL) == NULL); /* the item keeps its label */
    station_view(st, &v);
    CHECK_INT(v.msg, MSG_CALIBRATION_SAVED);
    CHECK_INT(station_screen(st), SCREEN_SCAN);

    /* Once re-graded, the plate is an ordinary one again. */
    calibrated = true;
    scan("SH01-S01-000007");
    CHECK_INT(station_screen(st), SCREEN_ITEM);
    station_view(st, &v);
    CHECK(v.existing != NULL && !v.calibrating);
    key(KEY_ESCAPE);
    calibrated = false;

    /* Escape on the first question leaves a blind re-grade: it stays due. */
    scan("SH01-S01-000007");
    CHECK_INT(station_screen(st), SCREEN_CHECK);
    key(KEY_ESCAPE);
    CHECK_INT(station_screen(st), SCREEN_SCAN);
    station_view(st, &v);
    CHECK(!v.calibrating);
}

int main(void)
{
    if (time_parse_rfc3339("2026-11-23T09:00:00Z", &now) != 0)
        return 1;
    today = time_day(now);
    struct rules *rules;
    char err[256];
    if (!CHECK(rules_load_string(rules_builtin_json, "builtin", &rules, err, sizeof err) == 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    struct station_settings set = {
        .station_id = "SH01-S01", .lang = LANG_EN, .rules = rules, .calibration_pct = 100};
    struct station_ports ports = {.find_operator = fake_find_operator,
                                  .find_manifest = fake_find_manifest,
                                  .find_inspection = fake_find_inspection,
                                  .find_calibration = fake_find_calibration};
    st = station_new(&set, &ports);
    test_roles();
    test_periods_and_ranges();
    test_drill_down();
    test_scrolling();
    test_step_times_and_choice();
    test_calibration();
    station_free(st);

    /* calibration_pct 0: nothing is ever chosen. */
    set.calibration_pct = 0;
    st = station_new(&set, &ports);
    test_saved_words();

    {
        login("1001");
        scan("RMA-1001");
        scan("0195949038488");
        for (int i = 0; i < 5; i++)
            text("1");
        key(KEY_ENTER);
        const struct effect *s = find_fx(FX_SAVE, NULL);
        CHECK(s && s->insp && !s->insp->calibration_due);
    }
    station_free(st);
    test_site_today(rules, &ports);
    rules_free(rules);
    return harness_done();
}
