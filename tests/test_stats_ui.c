/*
 * test_stats_ui.c — the stats screen's layouts with numbers in them: every
 * page, the list and the detail, the custom range, in both languages. For
 * each: the display list does not overflow, every touch target is at least
 * MIN_TARGET px each way, inside the screen and overlapping no other, every
 * text is at least FS_SMALL; bars and rows send the events the core expects
 * (a bar: STATS_PICK_BAR + its dimension with its key; a row: its plate).
 * Pure layout: no SDL window.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
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
    report.nreasons = STATS_MAX_REASONS;
    for (int i = 0; i < STATS_MAX_REASONS; i++) {
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
        v.msg = MSG_STATS_REVERSED;
        v.stats_detail = NULL;
        v.stats_dim = SD_NONE;
        v.stats_range_ok = false;
        check_layout(&v, "reversed");
    }
    CHECK(bars > 40);
    CHECK(rows > 10);
    rules_free(rules);
    return harness_done();
}
