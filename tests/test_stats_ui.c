/*
 * test_stats_ui.c — the stats screen's layouts with numbers in them: every
 * page, the list and the detail, the custom range, in both languages. For
 * each: the display list does not overflow, every touch target is at least
 * MIN_TARGET px each way, inside the screen and overlapping no other, every
 * text is at least FS_SMALL; bars and rows send the events the core expects
 * (a bar: STATS_PICK_BAR + its dimension with its key; a row: its plate).
 * Every page and list reaches its last row: scrolled as far as the layout
 * says (lay->scroll_max), the last grader of 40, the last step, SKU,
 * disposition, defect code and day of a year-long range, and the oldest of
 * 500 listed inspections are on the screen; scrolling through, every grader
 * can be touched. The top bar at its narrowest still says how many labels
 * wait. Pure layout: no SDL window.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "i18n.h"
#include "layout.h"
#include "rules.h"
#include "theme.h"

static struct stats_report report;
static struct stats_list list;
static struct inspection detail;

static void fill(void)
{
    report.range = (struct stats_range){20400, 20429};
    report.ndays = 30;
    for (int i = 0; i < 30; i++)
        report.per_day[i] = 40 + (i * 7) % 23;
    report.total = 1804;
    report.grades[GRADE_A] = 600, report.grades[GRADE_B] = 500;
    report.grades[GRADE_C] = 400, report.grades[GRADE_X] = 304;
    static const char *const disp[] = {"restock",   "open_box", "refurbish",  "return_to_vendor",
                                       "liquidate", "scrap",    "other_thing"};
    report.ndisp = 7;
    for (int i = 0; i < 7; i++) {
        snprintf(report.disp[i].key, sizeof report.disp[i].key, "%s", disp[i]);
        report.disp[i].n = 300 - i * 30;
    }
    for (int i = 0; i < RESP_COUNT; i++)
        report.resp[i] = 300 + i;
    report.ndefects = STATS_TOP;
    for (int i = 0; i < STATS_TOP; i++) {
        snprintf(report.defects[i].key, sizeof report.defects[i].key, "DEF-%d", i);
        report.defects[i].n = 200 - i * 10;
    }
    static const char *const reasons[] = {"defective",
                                          "not_as_described",
                                          "changed_mind",
                                          "damaged_in_transit",
                                          "wrong_item",
                                          "a_reason_nobody_translated_yet",
                                          "x",
                                          "y"};
    report.nreasons = (int)(sizeof reasons / sizeof *reasons);
    for (int i = 0; i < report.nreasons; i++) {
        struct stats_reason *x = &report.reasons[i];
        snprintf(x->reason, sizeof x->reason, "%s", reasons[i]);
        x->n = 100 - i;
        x->functions_ok = 40, x->function_fault = 30, x->no_function = 30 - i, x->no_fault = 20;
    }
    report.late = 162, report.mismatch = 122, report.defective_functions_ok = 17;
    report.late_rate = 0.09, report.mismatch_rate = 0.068;
    static const char *const steps[] = {"screen", "body",  "power", "touch", "box",
                                        "stains", "seams", "tags",  "heats"};
    report.nsteps = 9;
    for (int i = 0; i < 9; i++) {
        snprintf(report.steps[i].check, sizeof report.steps[i].check, "%s", steps[i]);
        report.steps[i].n = 100, report.steps[i].median_s = 4.5 + i;
    }
    report.ngraders = 8;
    for (int i = 0; i < 8; i++) {
        struct stats_grader *g = &report.graders[i];
        snprintf(g->badge, sizeof g->badge, "G%d", i);
        snprintf(g->name, sizeof g->name, i == 0 ? "Maximilian Alexander Long-Name" : "王小明");
        g->n = 300 - i, g->active_hours = 80, g->items_per_hour = 3.7, g->median_s = 95.5;
        for (int k = GRADE_A; k <= GRADE_X; k++)
            g->grades[k] = 50 + k * i;
        g->nsteps = 5;
        for (int k = 0; k < 5; k++)
            g->steps[k] = report.steps[k];
        g->cal_pairs = 20, g->cal_agree = 14, g->kappa = 0.55;
    }
    report.cal_pairs = 81, report.cal_agree = 58, report.kappa = 0.62, report.cal_pending = 9;

    list.range = report.range;
    list.dim = SD_GRADE;
    snprintf(list.key, sizeof list.key, "B");
    list.total = 500;
    list.nrows = STATS_LIST_MAX;
    for (int i = 0; i < STATS_LIST_MAX; i++) {
        snprintf(list.rows[i].plate, sizeof list.rows[i].plate, "SH01-S01-%06d", 1000 - i);
        snprintf(list.rows[i].operator_badge, sizeof list.rows[i].operator_badge, "G1");
        snprintf(list.rows[i].sku, sizeof list.rows[i].sku, "PH-IP15-128-BLK");
        snprintf(list.rows[i].disposition, sizeof list.rows[i].disposition, "open_box");
        list.rows[i].grade = GRADE_B;
        list.rows[i].finished_at = 1763900000000LL - i * 60000;
    }
    snprintf(detail.plate, sizeof detail.plate, "SH01-S01-000995");
    snprintf(detail.category, sizeof detail.category, "phone");
    snprintf(detail.sku, sizeof detail.sku, "PH-IP15-128-BLK");
    snprintf(detail.operator_badge, sizeof detail.operator_badge, "G1");
    snprintf(detail.reason, sizeof detail.reason, "defective");
    snprintf(detail.disposition, sizeof detail.disposition, "open_box");
    detail.grade = GRADE_B;
    detail.ndefects = 2;
    snprintf(detail.defects[0], sizeof detail.defects[0], "SCR-L");
    snprintf(detail.defects[1], sizeof detail.defects[1], "WEAR");
    static const char *const ids[][2] = {
        {"screen", "light"}, {"body", "wear"}, {"power", "yes"}, {"touch", "yes"}, {"box", "all"}};
    detail.nanswers = 5;
    for (int i = 0; i < 5; i++) {
        snprintf(detail.answers[i].check, sizeof detail.answers[i].check, "%s", ids[i][0]);
        snprintf(detail.answers[i].answer, sizeof detail.answers[i].answer, "%s", ids[i][1]);
        detail.step_ms[i] = 1200 * (i + 1);
    }
}

static void check_layout(const struct view *v, const char *name);

/* The detail of an inspection with photos: the first three beside the
 * grade (their files under the data folder), and the answers say which has
 * a photo and which had it waived, by whom. */
static void test_detail_photos(struct view *v)
{
    struct inspection in = detail;
    static const char *const checks[] = {"screen", "body", "touch", "box"};
    for (int k = 0; k < 4; k++) {
        snprintf(in.photos[k].check, sizeof in.photos[k].check, "%s", checks[k]);
        snprintf(in.photos[k].file, sizeof in.photos[k].file, "photos/SH01-S01-000995-%d.jpg",
                 k + 1);
    }
    in.nphotos = 4;
    in.nwaived = 1;
    snprintf(in.waived[0].check, sizeof in.waived[0].check, "power");
    snprintf(in.waived[0].by, sizeof in.waived[0].by, "2001");
    v->stats_detail = &in;
    v->data_dir = "/var/lib/triage";
    static struct lay lay;
    lay_build(v, &lay);
    int pictures = 0, photo_line = 0, waived_line = 0;
    for (int i = 0; i < lay.n; i++) {
        const struct lay_item *it = &lay.items[i];
        if (it->kind == LK_PICTURE) {
            char want[96];
            snprintf(want, sizeof want, "/var/lib/triage/photos/SH01-S01-000995-%d.jpg",
                     pictures + 1);
            CHECK_STR(it->text, want);
            pictures++;
        }
        char w[96];
        snprintf(w, sizeof w, tr(v->lang, S_STATS_PHOTO_WAIVED), "2001");
        if (it->kind == LK_TEXT && strstr(it->text, w))
            waived_line++;
        else if (it->kind == LK_TEXT && strstr(it->text, tr(v->lang, S_STATS_PHOTO_TAKEN)))
            photo_line++;
    }
    CHECK_INT(pictures, 3);
    CHECK_INT(photo_line, 4);
    CHECK_INT(waived_line, 1);
    check_layout(v, "detail with photos");
    /* No data folder: no pictures, the words stay. */
    v->data_dir = NULL;
    lay_build(v, &lay);
    for (int i = 0; i < lay.n; i++)
        CHECK(lay.items[i].kind != LK_PICTURE);
    v->stats_detail = &detail;
}

static bool overlap(const struct ui_widget *a, const struct ui_widget *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static int bars, rows;

static void check_layout(const struct view *v, const char *name)
{
    static struct lay lay;
    lay_build(v, &lay);
    if (!CHECK(!lay.overflow))
        fprintf(stderr, "  %s: more than %d items\n", name, LAY_MAX);
    static struct ui_widget w[LAY_MAX];
    int n = ui_layout(v, w, LAY_MAX);
    if (!CHECK(n <= UI_MAX_WIDGETS))
        fprintf(stderr, "  %s: %d widgets (max %d)\n", name, n, UI_MAX_WIDGETS);
    for (int i = 0; i < n; i++) {
        const struct ui_widget *a = &w[i];
        if (!CHECK(a->x >= 0 && a->y >= 0 && a->x + a->w <= UI_W && a->y + a->h <= UI_H))
            fprintf(stderr, "  %s: widget %d off screen\n", name, i);
        if (a->kind != W_BUTTON || !a->has_event)
            continue;
        if (!CHECK(a->w >= MIN_TARGET && a->h >= MIN_TARGET))
            fprintf(stderr, "  %s: button %d is %dx%d\n", name, i, a->w, a->h);
        for (int j = i + 1; j < n; j++)
            if (w[j].kind == W_BUTTON && w[j].has_event && !CHECK(!overlap(a, &w[j])))
                fprintf(stderr, "  %s: buttons %d and %d overlap\n", name, i, j);
        struct event ev; /* what a touch sends */
        ui_action_event(&a->act, 7, &ev);
        CHECK_INT(ev.now, 7);
        CHECK_INT(ev.len, strlen(ev.text));
        if (ev.type == EV_PICK && ev.pick >= STATS_PICK_BAR &&
            ev.pick < STATS_PICK_BAR + SD_COUNT) {
            bars++;
            int dim = ev.pick - STATS_PICK_BAR;
            CHECK(dim == SD_LATE || dim == SD_MISMATCH || dim == SD_RESPONSIBILITY || ev.text[0]);
            if (dim == SD_REASON)
                CHECK(ev.text[0]);
        }
        if (ev.type == EV_PICK && ev.pick == STATS_PICK_ROW) {
            rows++;
            CHECK(strncmp(ev.text, "SH01-S01-", 9) == 0);
        }
    }
    for (int i = 0; i < lay.n; i++) {
        const struct lay_item *it = &lay.items[i];
        if ((it->kind == LK_TEXT || it->kind == LK_BUTTON || it->kind == LK_FIELD) &&
            it->icon == ICON_NONE && it->text[0] &&
            !CHECK(it->size >= FS_SMALL && it->min_size >= FS_SMALL))
            fprintf(stderr, "  %s: text \"%s\" at %d px\n", name, it->text, it->size);
        if (it->kind == LK_CHART) /* a chart of its own list */
            CHECK(it->num >= 0 && it->num < lay.ncharts);
    }
}

/* The layout of v, and whether an item shows `text` (or a touch sends it). */
static struct lay shown;

static bool shows(const struct view *v, const char *text)
{
    lay_build(v, &shown);
    for (int i = 0; i < shown.n; i++) {
        const struct lay_item *it = &shown.items[i];
        if (strstr(it->text, text) || (it->w.has_event && !strcmp(it->w.act.text, text)))
            return true;
    }
    if (shown.ncharts > 0)
        for (int c = 0; c < shown.ncharts; c++)
            for (int k = 0; k < shown.charts[c].n; k++)
                if (!strcmp(shown.charts[c].label[k], text))
                    return true;
    return false;
}

/* Scrolled to the end (as far as the layout lets: a scroll past it is
 * clamped), the last row is there. */
static void reaches_last(struct view *v, const char *first, const char *last, const char *name)
{
    v->stats_scroll = 0;
    if (!CHECK(shows(v, first)))
        fprintf(stderr, "  %s: \"%s\" not shown at the top\n", name, first);
    bool hidden = !shows(v, last);
    int max = shown.scroll_max;
    if (!CHECK(hidden && max > 0))
        fprintf(stderr, "  %s: nothing to scroll (max %d)\n", name, max);
    v->stats_scroll = max;
    if (!CHECK(shows(v, last)))
        fprintf(stderr, "  %s: \"%s\" not shown at scroll %d\n", name, last, max);
    CHECK_INT(shown.scroll_max, max);
    v->stats_scroll = max + 1000; /* past the end: the last rows still */
    CHECK(shows(v, last));
    check_layout(v, name);
    v->stats_scroll = 0;
}

static void test_scrolling(const struct rules *rules)
{
    static struct stats_report big;
    big = report;
    /* A year-long range, 40 graders, every step, SKU and disposition. */
    big.range = (struct stats_range){20000, 20299}; /* 2024-10-04 to 2025-07-30 */
    big.ndays = 300;
    for (int i = 0; i < 300; i++)
        big.per_day[i] = 10 + i % 7, big.resp_day[i][RESP_MERCHANT] = 3 + i % 4;
    big.ngraders = 40;
    for (int i = 0; i < 40; i++) {
        struct stats_grader *g = &big.graders[i];
        *g = report.graders[i % 8];
        snprintf(g->badge, sizeof g->badge, "B%02d", i);
        snprintf(g->name, sizeof g->name, "Grader %02d", i);
    }
    big.nsteps = STATS_MAX_STEPS;
    for (int i = 0; i < STATS_MAX_STEPS; i++) {
        snprintf(big.steps[i].check, sizeof big.steps[i].check, "step%02d", i);
        big.steps[i].n = 10, big.steps[i].median_s = 2 + i;
    }
    big.ncategories = 3;
    static const char *const cats[] = {"phone", "apparel", "appliance"};
    for (int i = 0; i < 3; i++) {
        snprintf(big.categories[i].key, sizeof big.categories[i].key, "%s", cats[i]);
        big.categories[i].n = 100 - i;
        big.categories[i].resp[RESP_LOGISTICS] = 10;
    }
    big.ntop_skus = big.ndefect_skus = STATS_TOP_SKUS;
    for (int i = 0; i < STATS_TOP_SKUS; i++) {
        snprintf(big.top_skus[i].key, sizeof big.top_skus[i].key, "TOP-%02d", i);
        big.top_skus[i].n = 90 - i;
        snprintf(big.defect_skus[i].key, sizeof big.defect_skus[i].key, "BAD-%02d", i);
        big.defect_skus[i].n = 20, big.defect_skus[i].defect_rate = 0.9 - i * 0.01;
    }
    struct operator_info sup = {"2001", "Sam Supervisor", ROLE_SUPERVISOR};
    for (int lang = 0; lang < LANG_COUNT; lang++) {
        struct view v;
        memset(&v, 0, sizeof v);
        v.screen = SCREEN_STATS;
        v.lang = (enum lang)lang;
        v.station_id = "SH01-S01";
        v.op = &sup;
        v.rules = rules;
        v.input = "";
        v.stats_range = big.range;
        v.stats_range_ok = true;
        v.stats_period = PERIOD_CUSTOM;
        v.stats = &big;
        v.stats_page = PAGE_GRADERS;
        reaches_last(&v, "Grader 00", "Grader 39", "graders");
        /* Every grader can be touched, one screenful after another. */
        bool seen[40] = {false};
        for (int s = 0; s <= 40; s++) {
            v.stats_scroll = s;
            lay_build(&v, &shown);
            for (int i = 0; i < shown.n; i++) {
                const struct lay_item *it = &shown.items[i];
                int k;
                if (it->w.has_event && it->w.act.pick == STATS_PICK_BAR + SD_GRADER &&
                    sscanf(it->w.act.text, "B%d", &k) == 1 && k >= 0 && k < 40)
                    seen[k] = true;
            }
        }
        for (int k = 0; k < 40; k++)
            CHECK(seen[k]);
        v.stats_page = PAGE_STEPS;
        reaches_last(&v, "step00", "step23", "steps");
        v.stats_page = PAGE_PRODUCTS;
        reaches_last(&v, "phone", "BAD-19", "products");
        v.stats_page = PAGE_OVERVIEW;
        reaches_last(&v, "10-05", "07-29", "per day");
        v.stats_page = PAGE_TREND;
        reaches_last(&v, "10-05", "07-29", "responsibility per day");
        v.stats_page = PAGE_DEFECTS;
        big.ndefects = STATS_TOP;
        reaches_last(&v, "DEF-0", "DEF-9", "defects");
        v.stats_page = PAGE_OUTCOMES;
        reaches_last(&v, tr(v.lang, S_DISP_RESTOCK), "other_thing", "dispositions");

        /* The list: 500 inspections, the page the core asked for holds the oldest. */
        static struct stats_list all;
        all = list;
        all.total = 500;
        all.offset = 500 - STATS_LIST_MAX;
        for (int i = 0; i < STATS_LIST_MAX; i++)
            snprintf(all.rows[i].plate, sizeof all.rows[i].plate, "SH01-S01-%06lld",
                     (long long)(500 - all.offset - i));
        v.stats_dim = SD_GRADE;
        v.stats_key = "B";
        v.stats_list = &all;
        v.stats_scroll = 0;
        lay_build(&v, &shown);
        CHECK_INT(shown.scroll_max, 500 - (shown.scroll_max > 0 ? 500 - shown.scroll_max : 0));
        v.stats_scroll = shown.scroll_max;
        CHECK(shows(&v, "SH01-S01-000001")); /* the oldest, the 500th */
        check_layout(&v, "list at its end");
        v.stats_dim = SD_NONE;
        v.stats_list = NULL;
    }
}

/* The top bar at its narrowest: the labels waiting are still counted, the
 * printer's trouble said beside them while there is room. */
static int measure(const char *text, void *ctx)
{
    (void)ctx;
    return 13 * (int)strlen(text);
}

static void test_topbar(void)
{
    /* "Saved" with what waits, in the message bar, in both languages. */
    struct view v;
    memset(&v, 0, sizeof v);
    v.screen = SCREEN_SCAN;
    v.input = "";
    v.station_id = "SH01-S01";
    v.msg = MSG_SAVED_LABEL_WAITING;
    snprintf(v.msg_arg, sizeof v.msg_arg, "SH01-S01-000042");
    v.msg_num = 3;
    snprintf(v.msg_detail, sizeof v.msg_detail, "offline");
    CHECK(shows(&v, "Saved SH01-S01-000042 — label waiting: printer offline (3 waiting)"));
    v.lang = LANG_ZH;
    CHECK(shows(&v, "已保存 SH01-S01-000042 — 标签等待打印：打印机离线（3 张待打印）"));
    v.lang = LANG_EN;
    v.msg = MSG_SAVED_SYNC_FAILING;
    snprintf(v.msg_detail, sizeof v.msg_detail, "E712");
    CHECK(shows(&v, "Saved SH01-S01-000042 — not sent to head office: sync error E712"));

    struct ui_status s;
    memset(&s, 0, sizeof s);
    s.ndevices = 4;
    static const char *const names[] = {"scanner desk", "scanner pos", "scanner usb2", "printer"};
    for (int i = 0; i < 4; i++) {
        snprintf(s.devices[i].name, sizeof s.devices[i].name, "%s", names[i]);
        snprintf(s.devices[i].state, sizeof s.devices[i].state, "%s", i == 3 ? "offline" : "ready");
        s.devices[i].ok = i != 3;
        s.devices[i].printer = i == 3;
    }
    snprintf(s.devices[3].code, sizeof s.devices[3].code, "E652");
    s.labels_waiting = 7;
    s.outbox_waiting = 12;
    snprintf(s.sync_error, sizeof s.sync_error, "E712: cannot reach head office");
    struct lay_chip chips[LAY_MAX_CHIPS];
    for (int width = 2000; width >= 0; width -= 20) {
        int n = lay_status_chips(&s, LANG_EN, width, measure, NULL, chips);
        bool count = false;
        int total = 0;
        for (int i = 0; i < n; i++) {
            count |= strstr(chips[i].text, "Labels 7") != NULL;
            total += chips[i].w;
        }
        if (!CHECK(count))
            fprintf(stderr, "  width %d: the labels waiting are not shown\n", width);
        if (width >= 2000)
            CHECK_INT(n, 6); /* everything, when there is room */
        if (width == 500) {  /* the status box of the top bar */
            bool why = false;
            for (int i = 0; i < n; i++)
                why |= strstr(chips[i].text, "offline") != NULL;
            CHECK(why);
        }
    }
    /* In Chinese too. */
    int n = lay_status_chips(&s, LANG_ZH, 0, measure, NULL, chips);
    bool count = false;
    for (int i = 0; i < n; i++)
        count |= strstr(chips[i].text, "7") != NULL;
    CHECK(count);
}

int main(void)
{
    struct rules *rules;
    char err[256];
    if (!CHECK(rules_load_string(rules_builtin_json, "builtin", &rules, err, sizeof err) == 0))
        return harness_done();
    fill();
    struct operator_info sup = {"2001", "Sam Supervisor", ROLE_SUPERVISOR};
    for (int lang = 0; lang < LANG_COUNT; lang++) {
        struct view v;
        memset(&v, 0, sizeof v);
        v.screen = SCREEN_STATS;
        v.lang = (enum lang)lang;
        v.station_id = "SH01-S01";
        v.op = &sup;
        v.rules = rules;
        v.input = "";
        v.stats_range = report.range;
        v.stats_range_ok = true;
        v.stats_period = PERIOD_30D;
        v.stats = &report;
        char name[64];
        for (int p = 0; p < PAGE_COUNT; p++) {
            v.stats_page = (enum stats_page)p;
            snprintf(name, sizeof name, "%s page %d", lang ? "zh" : "en", p);
            check_layout(&v, name);
            v.stats_period = PERIOD_CUSTOM; /* with the custom range row too */
            check_layout(&v, name);
            v.stats_period = PERIOD_30D;
        }
        v.stats_page = PAGE_OVERVIEW;
        v.stats = NULL;
        v.stats_busy = true;
        check_layout(&v, "computing");
        v.stats = &report;
        v.stats_busy = false;
        report.total = 0;
        check_layout(&v, "empty");
        report.total = 1804;
        v.stats_dim = SD_GRADE;
        v.stats_key = "B";
        v.stats_list = &list;
        check_layout(&v, "list");
        v.stats_detail = &detail;
        check_layout(&v, "detail");
        test_detail_photos(&v);
        v.msg = MSG_STATS_REVERSED;
        v.stats_detail = NULL;
        v.stats_dim = SD_NONE;
        v.stats_range_ok = false;
        check_layout(&v, "reversed");
    }
    CHECK(bars > 40);
    CHECK(rows > 10);
    test_scrolling(rules);
    test_topbar();
    rules_free(rules);
    return harness_done();
}
