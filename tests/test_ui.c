/*
 * test_ui.c — the screen, headless (SDL's dummy video driver, software
 * renderer): layout rules on every screen in both languages, touches and
 * keys through SDL's own event queue, screenshots, the string table, and how
 * long a frame takes to draw.
 *
 * Views are built by hand; of the station core it uses only the view model
 * and the core's own message ids (msg_error_id).
 * Set UI_SHOTS_DIR to also keep the screenshots there.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "i18n.h"
#include "layout.h"
#include "log.h"
#include "station.h"
#include "text.h"
#include "theme.h"
#include "ui.h"

/* ---- a small rule set, in both languages -------------------------------- */

#define T(en, zh)                                                                                  \
    {                                                                                              \
        {                                                                                          \
            en, zh                                                                                 \
        }                                                                                          \
    }

static struct rules_answer screen_answers[] = {
    {"ok", T("No marks", "无痕迹"), GRADE_A, NULL, RESP_NONE},
    {"light", T("Light scratches", "轻微划痕"), GRADE_B, "SCR-L", RESP_NONE},
    {"deep", T("Deep scratches", "深度划痕"), GRADE_C, "SCR-D", RESP_CUSTOMER},
    {"cracked", T("Cracked", "破裂"), GRADE_X, "CRK", RESP_LOGISTICS},
};
static struct rules_answer power_answers[] = {
    {"yes", T("Yes", "是"), GRADE_A, NULL, RESP_NONE},
    {"no", T("No", "否"), GRADE_X, "DOA", RESP_MERCHANT},
};
static struct rules_answer box_answers[] = {
    {"all", T("All present", "齐全"), GRADE_A, NULL, RESP_NONE},
    {"nobox", T("Box missing", "缺包装盒"), GRADE_B, "NOBOX", RESP_NONE},
    {"charger", T("Charger missing", "缺充电器"), GRADE_C, "MISS-ACC", RESP_CUSTOMER},
    {"cable", T("Cable missing", "缺数据线"), GRADE_C, "MISS-CBL", RESP_CUSTOMER},
    {"manual", T("Manual missing", "缺说明书"), GRADE_B, "MISS-MAN", RESP_NONE},
    {"sim", T("SIM tool missing", "缺取卡针"), GRADE_B, "MISS-SIM", RESP_NONE},
    {"case", T("Case missing", "缺保护壳"), GRADE_B, "MISS-CASE", RESP_NONE},
};
static struct rules_answer long_answers[] = {
    {"a",
     T("Works, but the battery drains within two hours of normal use",
       "可以使用，但正常使用两小时内电量耗尽"),
     GRADE_C, "BAT", RESP_MERCHANT},
    {"b",
     T("Does not power on at all, even after thirty minutes on the charger",
       "充电三十分钟后仍完全无法开机"),
     GRADE_X, "DOA", RESP_MERCHANT},
    {"c", T("Fine", "正常"), GRADE_A, NULL, RESP_NONE},
};
static struct rules_check long_checks[] = {
    {"battery", ASPECT_FUNCTIONAL,
     T("Charge it for ten minutes with the station's own cable, then hold the power button: "
       "does it start, and how long does the battery last under the stress test?",
       "用本工位的数据线充电十分钟后长按电源键：能否开机？压力测试下电池能坚持多久？"),
     3, long_answers},
};
static struct rules_check phone_checks[] = {
    {"screen", ASPECT_COSMETIC, T("Screen", "屏幕"), 4, screen_answers},
    {"power", ASPECT_FUNCTIONAL,
     T("Does it power on and charge with the original cable?",
       "能否使用原装数据线正常开机和充电？"),
     2, power_answers},
    {"box", ASPECT_COMPLETENESS, T("Box and accessories", "包装和配件"), 7, box_answers},
};
static struct rules_category categories[] = {
    {"phone",
     T("Phone", "手机"),
     0,
     NULL,
     3,
     phone_checks,
     {NULL, "restock", "open_box", "refurbish", "return_to_vendor"}},
    {"apparel",
     T("Apparel", "服装"),
     0,
     NULL,
     3,
     phone_checks,
     {NULL, "restock", "open_box", "liquidate", "scrap"}},
    {"appliance",
     T("Small appliance", "小家电"),
     0,
     NULL,
     3,
     phone_checks,
     {NULL, "restock", "open_box", "refurbish", "scrap"}},
    {"toys",
     T("Toys and games", "玩具和游戏"),
     0,
     NULL,
     3,
     phone_checks,
     {NULL, "restock", "open_box", "liquidate", "scrap"}},
    {"books",
     T("Books", "图书"),
     0,
     NULL,
     3,
     phone_checks,
     {NULL, "restock", "open_box", "liquidate", "scrap"}},
    {"garden",
     T("Garden furniture and outdoor power equipment", "园林家具及户外电动工具"),
     0,
     NULL,
     1,
     long_checks,
     {NULL, "restock", "open_box", "refurbish", "scrap"}},
};
static struct rules rules = {"2026-11", 7, 6, categories};

static const struct operator_info long_name = {
    "B0099", "Maximilian Alexander Featherstonehaugh-Smythe", ROLE_ADMIN};
static const struct manifest_row long_row = {
    "RMA-2026-11-23-SH01-000000000123456",
    "SO-2026-000000000088123-REPLACEMENT",
    "GD-LAWNMOWER-CORDLESS-48V-XL-GREEN-EU",
    "06141411234567",
    "SN-ABCDEFGHIJKLMNOP-0123456789",
    "Cordless lawn mower 48 V with two batteries, fast charger, grass box, mulching plug and "
    "a very long description that goes on and on to see how the screen copes with it",
    "arrived damaged, box crushed on one side",
    "2026-10-01"};

static const struct operator_info grader = {"B0007", "Li Wei", ROLE_GRADER};
static const struct operator_info supervisor = {"B0001", "王芳", ROLE_SUPERVISOR};

static const struct manifest_row expected = {
    "RMA-2026-000123", "SO-88123",  "PH-X12-128-BLK",
    "06141411234567",  "SN8812X",   "Smartphone X12, 128 GB, black, with charger and case",
    "defective",       "2026-11-02"};

static struct inspection insp, existing, wrong, units;
static struct draft draft;
static struct grade_result result;
static int answers[8] = {1, 0, 2};

static void fixtures(void)
{
    snprintf(insp.rma, sizeof insp.rma, "%s", expected.rma);
    snprintf(insp.sku, sizeof insp.sku, "%s", expected.sku);
    snprintf(insp.gtin, sizeof insp.gtin, "%s", "06141411234574");
    snprintf(insp.category, sizeof insp.category, "phone");
    insp.late = true;
    insp.mismatch = true;
    insp.grade = GRADE_C;
    insp.aspect_grade[ASPECT_COSMETIC] = GRADE_B;
    insp.aspect_grade[ASPECT_FUNCTIONAL] = GRADE_A;
    insp.aspect_grade[ASPECT_COMPLETENESS] = GRADE_C;
    snprintf(insp.disposition, sizeof insp.disposition, "refurbish");
    insp.responsibility = RESP_LOGISTICS;
    insp.ndefects = 2;
    snprintf(insp.defects[0], sizeof insp.defects[0], "SCR-L");
    snprintf(insp.defects[1], sizeof insp.defects[1], "MISS-ACC");
    result.grade = GRADE_C;
    result.responsibility = RESP_CUSTOMER;

    /* Another product in the return; later, unit 2 of 3, one more than expected. */
    wrong = insp;
    wrong.wrong_item = true;
    wrong.item_check = ITEM_CHECK_MISMATCHED;
    snprintf(wrong.scanned_item, sizeof wrong.scanned_item, "]C1 0104012345000122 21JK-88");
    snprintf(wrong.reason, sizeof wrong.reason, "%s", expected.reason);
    wrong.unit = 4;
    wrong.units = 3;
    wrong.extra_unit = true;
    units = insp;
    units.mismatch = units.late = false;
    units.item_check = ITEM_CHECK_SKIPPED;
    units.unit = 2;
    units.units = 3;
    draft.insp = insp;
    draft.insp.item_check = ITEM_CHECK_UNVERIFIED;
    draft.insp.nanswers = 2;
    draft.insp.unit = 2;
    draft.insp.units = 3;
    snprintf(draft.insp.description, sizeof draft.insp.description, "%s", expected.description);
    draft.expected = expected;
    draft.has_expected = true;
    draft.saved_at = 1795000000000LL;

    existing = insp;
    snprintf(existing.plate, sizeof existing.plate, "SH01-S03-000042");
    snprintf(existing.description, sizeof existing.description, "%s", expected.description);
    snprintf(existing.operator_badge, sizeof existing.operator_badge, "B0007");
    existing.finished_at = 1795000000000LL;
    existing.grade = GRADE_X;
    snprintf(existing.disposition, sizeof existing.disposition, "return_to_vendor");
}

static struct view base(enum screen s, enum lang lang, const struct operator_info *op)
{
    struct view v;
    memset(&v, 0, sizeof v);
    v.screen = s;
    v.lang = lang;
    v.station_id = "SH01-S03";
    v.op = op;
    v.input = "";
    v.rules = &rules;
    v.insp = &insp;
    v.result = &result;
    v.answers = answers;
    return v;
}

static void say(struct view *v, enum msg m, const char *arg, int num)
{
    v->msg = m;
    v->msg_is_error = msg_error_id(m)[0] != 0;
    snprintf(v->msg_arg, sizeof v->msg_arg, "%s", arg ? arg : "");
    v->msg_num = num;
}

#define NVIEWS 50
struct named_view {
    const char *name;
    struct view v;
};

/* Every screen and its variants, in one language. */
static int all_views(enum lang lang, struct named_view *out)
{
    int n = 0;
    struct view v;

    v = base(SCREEN_LOGIN, lang, NULL);
    out[n++] = (struct named_view){"login-badge", v};
    v.input = "0042";
    say(&v, MSG_CODE_TOO_LONG, NULL, 63);
    out[n++] = (struct named_view){"login-badge-typed", v};

    v = base(SCREEN_LOGIN, lang, NULL);
    v.login_step = LOGIN_STEP_PIN;
    v.login_badge = "0042";
    v.pin_len = 4;
    say(&v, MSG_BAD_PIN, NULL, 0);
    out[n++] = (struct named_view){"login-pin", v};

    v = base(SCREEN_SCAN, lang, &grader);
    out[n++] = (struct named_view){"scan", v};
    v = base(SCREEN_SCAN, lang, &supervisor);
    v.input = "RMA-2026-0001";
    snprintf(v.last_plate, sizeof v.last_plate, "SH01-S03-000042");
    v.saved_count = 12;
    say(&v, MSG_SAVED, "SH01-S03-000042", 0);
    out[n++] = (struct named_view){"scan-supervisor", v};

    v = base(SCREEN_ITEM, lang, &grader);
    v.expected = &expected;
    v.category = &categories[0];
    v.item_scanned = true;
    say(&v, MSG_ITEM_MISMATCH, "06141411234574", 0);
    out[n++] = (struct named_view){"item", v};

    v = base(SCREEN_ITEM, lang, &grader);
    v.expected = &expected;
    v.category = &categories[0];
    v.input = "SN88";
    out[n++] = (struct named_view){"item-typing", v};

    v = base(SCREEN_ITEM, lang, &grader);
    v.picking_category = true;
    say(&v, MSG_PICK_CATEGORY, NULL, 0);
    out[n++] = (struct named_view){"item-pick", v};

    v = base(SCREEN_ITEM, lang, &supervisor);
    v.existing = &existing;
    out[n++] = (struct named_view){"item-existing", v};

    /* A grader's re-grade of another's outcome, waiting for a supervisor. */
    v = base(SCREEN_ITEM, lang, &grader);
    v.existing = &existing;
    v.auth_action = AUTH_REGRADE;
    v.auth_step = AUTH_STEP_BADGE;
    v.auth_subject = "SH01-S03-000042";
    v.auth_input = "20";
    say(&v, MSG_AUTH_NEEDED, NULL, 0);
    out[n++] = (struct named_view){"item-authorise", v};
    v.auth_step = AUTH_STEP_PIN;
    v.auth_input = "2001";
    v.auth_pin_len = 5;
    say(&v, MSG_BAD_PIN, NULL, 0);
    out[n++] = (struct named_view){"item-authorise-pin", v};

    v = base(SCREEN_CHECK, lang, &grader);
    v.category = &categories[0];
    v.check_count = 3;
    out[n++] = (struct named_view){"check", v};
    v.check_index = 1;
    out[n++] = (struct named_view){"check-2", v};
    v.check_index = 2;
    out[n++] = (struct named_view){"check-7", v};

    v = base(SCREEN_SUMMARY, lang, &grader);
    v.category = &categories[0];
    out[n++] = (struct named_view){"summary", v};
    v.overriding_grade = true;
    say(&v, MSG_PICK_GRADE, NULL, 0);
    out[n++] = (struct named_view){"summary-override", v};
    v.overriding_grade = false;
    v.rules_grade = GRADE_C;
    v.authorised_by = "2001";
    say(&v, MSG_GRADE_OVERRIDDEN, "C → B", 0);
    out[n++] = (struct named_view){"summary-overridden", v};
    v.rules_grade = GRADE_NONE;
    v.auth_action = AUTH_OVERRIDE_GRADE;
    v.auth_step = AUTH_STEP_CHECKING;
    v.auth_subject = "RMA-2026-0001";
    v.auth_input = "2001";
    say(&v, MSG_AUTH_NEEDED, NULL, 0);
    out[n++] = (struct named_view){"summary-authorise", v};
    v.auth_action = AUTH_NONE;
    say(&v, MSG_NONE, NULL, 0);
    v.save_state = SAVE_PENDING;
    out[n++] = (struct named_view){"summary-saving", v};
    v.save_state = SAVE_FAILED;
    say(&v, MSG_SAVE_FAILED, "E201: cannot write /var/lib/triage/triage.db: disk full", 0);
    out[n++] = (struct named_view){"summary-failed", v};

    v = base(SCREEN_STATS, lang, &supervisor);
    out[n++] = (struct named_view){"stats", v};

    /* What the item check found, units, drafts. */
    v = base(SCREEN_ITEM, lang, &grader);
    v.expected = &expected;
    v.picking_category = true;
    v.insp = &wrong;
    say(&v, MSG_ITEM_WRONG, wrong.scanned_item, 0);
    out[n++] = (struct named_view){"item-wrong", v};
    v = base(SCREEN_ITEM, lang, &grader);
    v.expected = &expected;
    v.category = &categories[0];
    v.insp = &units;
    v.units_left = 1;
    say(&v, MSG_SAVED_MORE, "SH01-S03-000041", 2);
    out[n++] = (struct named_view){"item-units", v};
    v.item_scanned = true;
    v.insp = &wrong;
    say(&v, MSG_ITEM_UNVERIFIED, "JK-88", 0);
    out[n++] = (struct named_view){"item-scanned-flags", v};
    v = base(SCREEN_ITEM, lang, &grader);
    v.existing = &existing;
    v.all_units_graded = true;
    say(&v, MSG_ALL_GRADED, "RMA-2026-000123", 3);
    out[n++] = (struct named_view){"item-all-graded", v};
    v = base(SCREEN_CHECK, lang, &grader);
    v.category = &categories[0];
    v.insp = &wrong;
    out[n++] = (struct named_view){"check-flags", v};
    v = base(SCREEN_SUMMARY, lang, &grader);
    v.category = &categories[0];
    v.insp = &wrong;
    out[n++] = (struct named_view){"summary-wrong", v};
    v.insp = &units;
    out[n++] = (struct named_view){"summary-units", v};
    v = base(SCREEN_RESUME, lang, &grader);
    v.draft = &draft;
    out[n++] = (struct named_view){"resume", v};
    v = base(SCREEN_CHECK, lang, &grader);
    v.category = &categories[0];
    v.confirm_logout = true;
    out[n++] = (struct named_view){"confirm-logout", v};

    /* The admins' operators, more than fit, one locked, one disabled. */
    static struct operator_state ops[9];
    for (int i = 0; i < 9; i++) {
        snprintf(ops[i].op.badge, sizeof ops[i].op.badge, "10%02d", i);
        snprintf(ops[i].op.name, sizeof ops[i].op.name, i == 4 ? "王芳 Wang Fang-Long Name" : "Op %d", i);
        ops[i].op.role = (enum role)(i % 3);
    }
    ops[2].locked_until = 1795428000000 + 15 * 60000;
    ops[3].disabled = true;
    ops[5].failures = 3;
    v = base(SCREEN_OPERATORS, lang, &supervisor);
    v.operators = ops;
    v.noperators = 9;
    v.operator_index = 7;
    v.now = 1795428000000;
    out[n++] = (struct named_view){"operators", v};
    v.operator_index = 3;
    out[n++] = (struct named_view){"operators-disabled", v};
    v.noperators = 0;
    out[n++] = (struct named_view){"operators-none", v};

    /* The admins' service screen: more lines than fit, each verdict, a long
     * one; checking the first time, and checking again over the last lines. */
    static struct service_report checks = {.n = 12, .failed = 2, .at = 1795428000000};
    static const char *const ids[12] = {"W850", "I851", "W852", "I853", "E854", "I854",
                                        "E855", "I856", "I857", "I858", "I859", "I860"};
    static const char *const whats[12] = {"user",    "video",   "/dev/dri", "input",
                                          "scanner bench-1", "scanner hid-pos-dock",
                                          "printer zpl-tcp", "head office", "data",
                                          "disk",    "database", "later check"};
    for (int i = 0; i < 12; i++) {
        snprintf(checks.lines[i].id, sizeof checks.lines[i].id, "%s", ids[i]);
        snprintf(checks.lines[i].what, sizeof checks.lines[i].what, "%s", whats[i]);
        snprintf(checks.lines[i].text, sizeof checks.lines[i].text,
                 i == 6 ? "10.20.30.40:9100: offline: E652: no answer within 3000 ms from the "
                          "printer at 10.20.30.40:9100 (the print worker's last look); 7 labels "
                          "waiting"
                        : "line %d", i);
    }
    v = base(SCREEN_SERVICE, lang, &long_name);
    v.service = &checks;
    out[n++] = (struct named_view){"service", v};
    v.service_scroll = 11;
    out[n++] = (struct named_view){"service-scrolled", v};
    v.service_busy = true;
    out[n++] = (struct named_view){"service-again", v};
    v = base(SCREEN_SERVICE, lang, &long_name);
    v.service_busy = true;
    out[n++] = (struct named_view){"service-checking", v};
    v.service_busy = false;
    out[n++] = (struct named_view){"service-not-run", v};
    v = base(SCREEN_SCAN, lang, &long_name);
    snprintf(v.last_plate, sizeof v.last_plate, "SH01-S03-000042");
    v.saved_count = 12;
    out[n++] = (struct named_view){"scan-admin", v};

    /* Everything long at once. */
    v = base(SCREEN_ITEM, lang, &long_name);
    v.station_id = "WAREHOUSE-NORTH-SH01-S03-EXTRA";
    v.expected = &long_row;
    v.category = &categories[5];
    v.input = "0123456789012345678901234567890123456789ABCDEFGHIJ";
    say(&v, MSG_UNKNOWN_CODE,
        "E512: ]C10106141411234567\x1d"
        "21SERIAL-\xff-FAR-TOO-LONG-FOR-ANY-SCREEN-0123456789\xe6",
        0);
    out[n++] = (struct named_view){"long-item", v};
    v = base(SCREEN_CHECK, lang, &long_name);
    v.category = &categories[5];
    out[n++] = (struct named_view){"long-check", v};
    v = base(SCREEN_ITEM, lang, &long_name);
    v.picking_category = true;
    out[n++] = (struct named_view){"long-pick", v};
    return n;
}

/* ---- layout ------------------------------------------------------------- */

static bool overlap(const struct ui_widget *a, const struct ui_widget *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void check_layout(const char *name, const struct view *v)
{
    struct ui_widget w[LAY_MAX];
    int n = ui_layout(v, w, LAY_MAX);
    if (!CHECK(n > 0 && n <= UI_MAX_WIDGETS))
        fprintf(stderr, "  %s: %d widgets\n", name, n);
    static struct lay lay;
    lay_build(v, &lay);
    CHECK(!lay.overflow);
    int buttons = 0;
    for (int i = 0; i < n; i++) {
        const struct ui_widget *a = &w[i];
        bool inside = a->x >= 0 && a->y >= 0 && a->x + a->w <= UI_W && a->y + a->h <= UI_H;
        if (!CHECK(inside))
            fprintf(stderr, "  %s: widget %d at %d,%d %dx%d is off screen\n", name, i, a->x, a->y,
                    a->w, a->h);
        if (a->kind != W_BUTTON || !a->has_event)
            continue;
        buttons++;
        if (!CHECK(a->w >= MIN_TARGET && a->h >= MIN_TARGET))
            fprintf(stderr, "  %s: button %d is %dx%d\n", name, i, a->w, a->h);
        for (int j = i + 1; j < n; j++)
            if (w[j].kind == W_BUTTON && w[j].has_event && !CHECK(!overlap(a, &w[j])))
                fprintf(stderr, "  %s: buttons %d and %d overlap\n", name, i, j);
    }
    /* Every screen has something to touch, except while an inspection is being saved. */
    CHECK(buttons > 0 || (v->screen == SCREEN_SUMMARY && v->save_state == SAVE_PENDING));
    for (int i = 0; i < lay.n; i++) {
        const struct lay_item *it = &lay.items[i];
        if ((it->kind == LK_TEXT || it->kind == LK_BUTTON || it->kind == LK_FIELD) &&
            it->icon == ICON_NONE && it->text[0] &&
            !CHECK(it->size >= FS_SMALL && it->min_size >= FS_SMALL))
            fprintf(stderr, "  %s: text \"%s\" at %d px (min %d)\n", name, it->text, it->size,
                    it->min_size);
    }
}

/* The first widget whose touch sends a matching event; NULL when none. */
static const struct ui_widget *find(const struct view *v, enum event_type type, int pick,
                                    enum key key, const char *text)
{
    static struct ui_widget w[LAY_MAX];
    int n = ui_layout(v, w, LAY_MAX);
    for (int i = 0; i < n; i++) {
        if (!w[i].has_event)
            continue;
        struct event ev;
        ui_action_event(&w[i].act, 0, &ev);
        if (ev.type != type)
            continue;
        if ((type == EV_PICK && ev.pick == pick) || (type == EV_KEY && ev.key == key) ||
            (type == EV_TEXT && strcmp(ev.text, text) == 0 && ev.len == strlen(text)))
            return &w[i];
    }
    return NULL;
}

static void test_layouts(void)
{
    /* A widget carries a small action, not a whole event: the list stays small. */
    CHECK(sizeof(struct ui_widget) <= 128);
    CHECK(sizeof(struct lay_item) <= 640);
    static struct lay keyed;
    keyed.n = 0;
    char key[UI_ACTION_TEXT + 8];
    memset(key, 'k', sizeof key - 1);
    key[UI_ACTION_TEXT - 1] = 0; /* the longest key an action holds: a badge */
    struct lay_item *it = lay_button_pick_key(&keyed, 0, 0, 64, 64, ST_GHOST, "", 1234, key);
    struct event ev;
    ui_action_event(&it->w.act, 99, &ev);
    CHECK_INT(ev.type, EV_PICK);
    CHECK_INT(ev.pick, 1234);
    CHECK_INT(ev.now, 99);
    CHECK_STR(ev.text, key);
    CHECK_INT(ev.len, UI_ACTION_TEXT - 1);

    struct named_view views[NVIEWS];
    for (int lang = 0; lang < LANG_COUNT; lang++) {
        int n = all_views((enum lang)lang, views);
        for (int i = 0; i < n; i++)
            check_layout(views[i].name, &views[i].v);
    }
    /* What touches send, screen by screen. */
    struct view v = base(SCREEN_LOGIN, LANG_EN, NULL);
    v.login_step = LOGIN_STEP_PIN;
    for (int d = 0; d <= 9; d++) {
        char digit[2] = {(char)('0' + d), 0};
        CHECK(find(&v, EV_TEXT, 0, KEY_NONE, digit) != NULL);
    }
    CHECK(find(&v, EV_KEY, 0, KEY_BACKSPACE, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_LANG, NULL) != NULL);
    v.login_step = LOGIN_STEP_BADGE;
    CHECK(find(&v, EV_KEY, 0, KEY_LANG, NULL) != NULL);
    CHECK(find(&v, EV_TEXT, 0, KEY_NONE, "5") != NULL);

    v = base(SCREEN_SCAN, LANG_EN, &grader);
    CHECK(find(&v, EV_KEY, 0, KEY_LOGOUT, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_STATS, NULL) == NULL); /* graders have no statistics */
    v.op = &supervisor;
    CHECK(find(&v, EV_KEY, 0, KEY_STATS, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_SERVICE, NULL) == NULL); /* the service screen is admins' */
    v.op = &long_name;
    CHECK(find(&v, EV_KEY, 0, KEY_SERVICE, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_OPERATORS, NULL) != NULL);
    v = base(SCREEN_SERVICE, LANG_ZH, &long_name);
    CHECK(find(&v, EV_PICK, SERVICE_PICK_REFRESH, KEY_NONE, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);
    v.service_busy = true; /* no second check while one runs */
    CHECK(find(&v, EV_PICK, SERVICE_PICK_REFRESH, KEY_NONE, NULL) == NULL);

    v = base(SCREEN_ITEM, LANG_EN, &grader);
    v.picking_category = true;
    for (int i = 0; i < rules.ncategories; i++)
        CHECK(find(&v, EV_PICK, i, KEY_NONE, NULL) != NULL);
    CHECK(find(&v, EV_PICK, -1, KEY_NONE, NULL) == NULL);
    CHECK(find(&v, EV_PICK, rules.ncategories, KEY_NONE, NULL) == NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);
    v = base(SCREEN_ITEM, LANG_EN, &grader);
    v.existing = &existing;
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_REPRINT, NULL) != NULL);
    v = base(SCREEN_ITEM, LANG_EN, &grader);
    v.expected = &expected;
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) == NULL); /* no category yet: nowhere to go */
    v.category = &categories[0];
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);

    v = base(SCREEN_CHECK, LANG_ZH, &grader);
    v.category = &categories[0];
    v.check_index = 2;
    for (int i = 0; i < 7; i++)
        CHECK(find(&v, EV_PICK, i, KEY_NONE, NULL) != NULL);
    CHECK(find(&v, EV_PICK, 7, KEY_NONE, NULL) == NULL);

    v = base(SCREEN_SUMMARY, LANG_EN, &grader);
    v.category = &categories[0];
    for (int r = 0; r < RESP_COUNT; r++)
        CHECK(find(&v, EV_PICK, r, KEY_NONE, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);
    v.save_state = SAVE_PENDING; /* nothing to touch while saving */
    CHECK(find(&v, EV_PICK, RESP_MERCHANT, KEY_NONE, NULL) == NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) == NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) == NULL);
    v.save_state = SAVE_FAILED; /* only Retry */
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) == NULL);

    v = base(SCREEN_STATS, LANG_EN, &supervisor);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);

    /* One more unit, by touch, only on an RMA whose units are all graded. */
    v = base(SCREEN_ITEM, LANG_EN, &grader);
    v.existing = &existing;
    CHECK(find(&v, EV_PICK, ITEM_PICK_EXTRA, KEY_NONE, NULL) == NULL);
    v.all_units_graded = true;
    CHECK(find(&v, EV_PICK, ITEM_PICK_EXTRA, KEY_NONE, NULL) != NULL);
    /* Resume: Continue and Discard. */
    v = base(SCREEN_RESUME, LANG_EN, &grader);
    v.draft = &draft;
    CHECK(find(&v, EV_KEY, 0, KEY_ENTER, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);
    /* F12 asked: Log out and Keep grading, nothing of the screen beneath. */
    v = base(SCREEN_CHECK, LANG_EN, &grader);
    v.category = &categories[0];
    v.confirm_logout = true;
    CHECK(find(&v, EV_KEY, 0, KEY_LOGOUT, NULL) != NULL);
    CHECK(find(&v, EV_KEY, 0, KEY_ESCAPE, NULL) != NULL);
    CHECK(find(&v, EV_PICK, 0, KEY_NONE, NULL) == NULL);

    /* An error message shows the core's error id beside its words. */
    say(&v, MSG_STATS_REVERSED, NULL, 0);
    CHECK(v.msg_is_error);
    CHECK_STR(msg_error_id(MSG_STATS_REVERSED), "E751");
    static struct lay lay;
    lay_build(&v, &lay);
    bool id_shown = false;
    for (int i = 0; i < lay.n; i++)
        if (lay.items[i].kind == LK_TEXT && strcmp(lay.items[i].text, "E751") == 0)
            id_shown = true;
    CHECK(id_shown);
}

/* ---- strings ------------------------------------------------------------ */

/* The conversions of a printf format, e.g. "sd" for "%s of %d". */
static void conversions(const char *fmt, char *out, size_t outlen)
{
    size_t n = 0;
    for (const char *p = fmt; p && *p && n + 1 < outlen; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        while (*p && strchr("0123456789.-+ #lhz", *p))
            p++;
        if (*p)
            out[n++] = *p;
    }
    out[n] = 0;
}

/* The code point that starts at *u, moving *u past it (never past the end). */
static Uint32 next_cp(const unsigned char **u)
{
    const unsigned char *p = *u;
    int len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
    Uint32 cp = len == 1 ? *p : *p & (0x7Fu >> len);
    int i = 1;
    for (; i < len && p[i]; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    *u = p + i;
    return cp;
}

static void check_glyphs(TTF_Font *font, const char *s, const char *where)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        Uint32 cp = next_cp(&u);
        if (cp >= 0x20 && !TTF_GlyphIsProvided32(font, cp)) {
            harness_check(false, "the font has every character", __FILE__, __LINE__);
            fprintf(stderr, "  no glyph U+%04X in \"%s\" (%s)\n", (unsigned)cp, s, where);
        }
    }
}

/* Every row of the table: both languages, well-formed, the same arguments,
 * no two rows alike, and the core's messages each with its row. */
static void test_table(void)
{
    for (int id = 0; id < S_COUNT; id++) {
        const char *key = i18n_key((enum str)id);
        const char *en = i18n_raw((enum str)id, LANG_EN), *zh = i18n_raw((enum str)id, LANG_ZH);
        if (!CHECK(en && en[0] && zh && zh[0])) {
            fprintf(stderr, "  %s is missing a language\n", key);
            continue;
        }
        if (!CHECK(strncmp(key, "S_", 2) == 0 && key[2]))
            fprintf(stderr, "  string %d has the key \"%s\"\n", id, key);
        if (!CHECK(utf8_valid(en, strlen(en)) && utf8_valid(zh, strlen(zh))))
            fprintf(stderr, "  %s is not valid UTF-8\n", key);
        CHECK_STR(tr(LANG_EN, (enum str)id), en);
        CHECK_STR(tr(LANG_ZH, (enum str)id), zh);
        char ce[16], cz[16];
        conversions(en, ce, sizeof ce);
        conversions(zh, cz, sizeof cz);
        if (!CHECK(strcmp(ce, cz) == 0))
            fprintf(stderr, "  %s: \"%s\" and \"%s\" take different arguments\n", key, en, zh);
        for (int other = 0; other < id; other++) {
            if (!CHECK(strcmp(key, i18n_key((enum str)other)) != 0))
                fprintf(stderr, "  the key %s is there twice\n", key);
            if (!CHECK(strcmp(en, i18n_raw((enum str)other, LANG_EN)) != 0 ||
                       strcmp(zh, i18n_raw((enum str)other, LANG_ZH)) != 0))
                fprintf(stderr, "  %s and %s say the same in both languages\n", key,
                        i18n_key((enum str)other));
        }
    }
    CHECK(i18n_raw(S_COUNT, LANG_EN) == NULL);
    CHECK(i18n_raw(S_OK, LANG_COUNT) == NULL);
    CHECK_STR(tr(LANG_EN, S_COUNT), "");
    CHECK_STR(tr(LANG_COUNT, S_OK), "OK"); /* an unknown language: English */
    CHECK_STR(i18n_key(S_OK), "S_OK");

    /* Each message has a row, and fills in the argument its text takes. */
    char buf[256];
    CHECK_INT(i18n_msg_str(MSG_NONE), S_COUNT);
    CHECK_STR(i18n_msg(buf, sizeof buf, LANG_EN, MSG_NONE, "x", 1), "");
    for (int m = 1; m < MSG_COUNT; m++) {
        enum str id = i18n_msg_str((enum msg)m);
        if (!CHECK(id < S_COUNT)) {
            fprintf(stderr, "  message %d has no row in the table\n", m);
            continue;
        }
        for (int l = 0; l < LANG_COUNT; l++) {
            char conv[16];
            conversions(i18n_raw(id, (enum lang)l), conv, sizeof conv);
            i18n_msg_detail(buf, sizeof buf, (enum lang)l, (enum msg)m, "ARG", 4242, "DETAIL");
            bool ok = strcmp(conv, "s") == 0    ? strstr(buf, "ARG") != NULL
                      : strcmp(conv, "d") == 0  ? strstr(buf, "4242") != NULL
                      : strcmp(conv, "sd") == 0 ? strstr(buf, "ARG") && strstr(buf, "4242")
                      /* the view's msg_detail too (a device state, an error id) */
                      : strcmp(conv, "ss") == 0 ? strstr(buf, "ARG") && strstr(buf, "DETAIL")
                      : strcmp(conv, "ssd") == 0
                          ? strstr(buf, "ARG") && strstr(buf, "DETAIL") && strstr(buf, "4242")
                          : conv[0] == 0 && strchr(buf, '%') == NULL;
            if (!CHECK(ok))
                fprintf(stderr, "  message %d (%s) reads \"%s\"\n", m, i18n_key(id), buf);
        }
    }
    CHECK_STR(i18n_msg(buf, sizeof buf, LANG_EN, MSG_SAVED, "SH01-S03-000042", 0),
              "Saved SH01-S03-000042");
    CHECK_STR(i18n_msg(buf, sizeof buf, LANG_ZH, MSG_BAD_PIN, NULL, 3), "工牌或 PIN 码不正确");
    CHECK_STR(i18n_msg(buf, sizeof buf, LANG_EN, MSG_STORE_ERROR, "", 0), "Lookup failed");
    CHECK_STR(i18n_msg(buf, sizeof buf, LANG_EN, MSG_STORE_ERROR, "E201: busy", 0),
              "Lookup failed: E201: busy");
    CHECK_STR(i18n_msg(buf, sizeof buf, LANG_ZH, MSG_STORE_ERROR, "E201: busy", 0),
              "查询失败：E201: busy");
    CHECK_STR(i18n_disposition(LANG_ZH, "return_to_vendor"), "退回供应商");
    CHECK_STR(i18n_disposition(LANG_EN, "open_box"), "Open box");
    CHECK_STR(i18n_disposition(LANG_EN, "donate"), "donate"); /* unknown: the id itself */
    CHECK_STR(i18n_reason(LANG_ZH, "damaged_in_transit"), "运输损坏");
    CHECK_STR(i18n_reason(LANG_EN, "defective"), "Defective");
    CHECK_STR(i18n_reason(LANG_EN, "a_new_reason"), "a_new_reason");
    CHECK_STR(i18n_device_state(LANG_ZH, "paper out"), "缺纸");
    CHECK_STR(i18n_device_state(LANG_EN, "warming up"), "warming up");
    CHECK_STR(i18n_responsibility(LANG_ZH, RESP_LOGISTICS), "物流");
    CHECK_STR(i18n_responsibility(LANG_EN, RESP_NONE), "None");
    CHECK_STR(i18n_role(LANG_ZH, ROLE_SUPERVISOR), "主管");
    CHECK_STR(i18n_aspect(LANG_EN, ASPECT_COMPLETENESS), "Completeness");
}

/* ---- the screens' sources ----------------------------------------------- */

/* A source file of the UI (ui/NAME.c) and its text. */
struct source {
    char name[256]; /* as long as a d_name */
    char *text;
};

static int read_sources(struct source *out, int max)
{
    DIR *dir = opendir("ui");
    if (!CHECK(dir != NULL))
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && n < max) {
        size_t len = strlen(de->d_name);
        if (len < 3 || strcmp(de->d_name + len - 2, ".c") != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "ui/%s", de->d_name);
        out[n].text = harness_read_file(path, NULL);
        if (!CHECK(out[n].text != NULL))
            continue;
        snprintf(out[n].name, sizeof out[n].name, "%s", de->d_name);
        n++;
    }
    closedir(dir);
    return n;
}

/* Whether `word` occurs in s as a whole identifier. */
static bool has_identifier(const char *s, const char *word)
{
    size_t len = strlen(word);
    for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
        bool start = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        bool end = !(isalnum((unsigned char)p[len]) || p[len] == '_');
        if (start && end)
            return true;
    }
    return false;
}

/* Literals a screen may show that are not words: key names on buttons, the
 * product's name, a data key, and number notations. */
static bool allowed_literal(const char *lit)
{
    static const char *const ok[] = {"Esc", "F1", "F2", "F3", "F4", "F5", "F6", "F12",
                                     "U", "D", "R", "Tab", "triage", "defective",
                                     "n=%lld", "%.0fk", "%.1fk"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcmp(lit, ok[i]) == 0)
            return true;
    return false;
}

/* Whether a string literal holds words: letters or characters other than a
 * few symbols, once its printf and strftime conversions are taken out. */
static bool holds_words(const char *lit)
{
    static const Uint32 symbols[] = {0x2014 /* — */, 0x2026 /* … */, 0x00B7 /* · */,
                                     0x2192 /* → */, 0x21B5 /* ↵ */, 0x2212 /* − */};
    const unsigned char *u = (const unsigned char *)lit;
    while (*u) {
        if (*u == '%') {
            u++;
            while (*u && strchr("-+ #0123456789.*hlzjt", *u))
                u++;
            if (*u)
                u++;
            continue;
        }
        if (*u == '\\') { /* an escape: \n, \", \x1d… */
            u += u[1] ? 2 : 1;
            continue;
        }
        if (*u < 0x80) {
            if (isalpha(*u))
                return true;
            u++;
            continue;
        }
        Uint32 cp = next_cp(&u);
        bool symbol = false;
        for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++)
            symbol |= cp == symbols[i];
        if (!symbol)
            return true;
    }
    return false;
}

/* The string literals of C source `s` (comments, characters and #include
 * lines skipped), each checked by holds_words. Returns how many were found. */
static int check_literals(const char *name, const char *s)
{
    int found = 0;
    bool line_start = true;
    for (const char *p = s; *p;) {
        if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
            continue;
        }
        if (p[0] == '/' && p[1] == '/') {
            p += strcspn(p, "\n");
            continue;
        }
        if (line_start && *p == '#') {
            p += strcspn(p, "\n");
            continue;
        }
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p)
                p++;
            continue;
        }
        if (*p == '"') {
            const char *start = ++p;
            for (; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            char lit[512];
            snprintf(lit, sizeof lit, "%.*s", (int)(p - start), start);
            if (*p)
                p++;
            found++;
            if (!CHECK(allowed_literal(lit) || !holds_words(lit)))
                fprintf(stderr, "  ui/%s: \"%s\" is not in the table (i18n.h)\n", name, lit);
            continue;
        }
        if (*p == '\n')
            line_start = true;
        else if (*p != ' ' && *p != '\t')
            line_start = false;
        p++;
    }
    return found;
}

/* Every string the screens show comes from the table, and every row of the
 * table is used by some screen. */
static void test_sources(void)
{
    struct source src[32];
    int n = read_sources(src, 32);
    CHECK(n >= 8);
    for (int id = 0; id < S_COUNT; id++) {
        bool used = false;
        for (int i = 0; i < n && !used; i++)
            used = has_identifier(src[i].text, i18n_key((enum str)id));
        if (!CHECK(used))
            fprintf(stderr, "  %s is in the table but no screen uses it\n", i18n_key((enum str)id));
    }
    int literals = 0;
    for (int i = 0; i < n; i++) {
        /* The table itself, and the window's and fonts' log lines and errors. */
        if (!strcmp(src[i].name, "i18n.c") || !strcmp(src[i].name, "ui.c") ||
            !strcmp(src[i].name, "draw.c"))
            continue;
        literals += check_literals(src[i].name, src[i].text);
    }
    CHECK(literals > 50);
    /* The checker itself finds words. */
    CHECK(holds_words("Today") && holds_words("今天") && holds_words("%s days"));
    CHECK(!holds_words("%s · %s") && !holds_words("→ %s") && !holds_words("%Y-%m-%d %H:%M"));
    for (int i = 0; i < n; i++)
        free(src[i].text);
}

/* Every character the screen can show is in the font: no boxes. */
static void test_glyphs(void)
{
    if (TTF_Init() != 0)
        return;
    TTF_Font *font = TTF_OpenFont("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 24);
    if (CHECK(font != NULL)) {
        for (int id = 0; id < S_COUNT; id++)
            for (int l = 0; l < LANG_COUNT; l++)
                check_glyphs(font, tr((enum lang)l, (enum str)id), i18n_key((enum str)id));
        char *demo = harness_read_file("demo/rules.json", NULL);
        if (demo)
            check_glyphs(font, demo, "demo/rules.json");
        free(demo);
        check_glyphs(font, "… ↵ · → − —", "symbols the screens use");
        TTF_CloseFont(font);
    }
    TTF_Quit();
}

/* ---- input through SDL's queue ------------------------------------------ */

static int poll_all(struct ui *ui, struct event *evs, int max)
{
    bool quit = false;
    int n = ui_poll(ui, 0, 1234, evs, max, &quit);
    CHECK(!quit);
    return n;
}

static Uint32 find_window_id(void)
{
    for (Uint32 id = 1; id < 64; id++)
        if (SDL_GetWindowFromID(id))
            return id;
    return 0;
}

static void tap_center(struct ui *ui, const struct ui_widget *w)
{
    ui_inject_tap(ui, w->x + w->w / 2, w->y + w->h / 2);
}

static void *wake_later(void *ui)
{
    usleep(50 * 1000);
    ui_wake(ui);
    return NULL;
}

static void test_input(struct ui *ui)
{
    struct event evs[16];
    struct ui_status st = {0};

    /* A PIN pad digit. */
    struct view v = base(SCREEN_LOGIN, LANG_EN, NULL);
    v.login_step = LOGIN_STEP_PIN;
    v.login_badge = "1001";
    ui_render(ui, &v, &st);
    const struct ui_widget *seven = find(&v, EV_TEXT, 0, KEY_NONE, "7");
    if (CHECK(seven != NULL)) {
        tap_center(ui, seven);
        int n = poll_all(ui, evs, 16);
        CHECK_INT(n, 1);
        if (n == 1) {
            CHECK_INT(evs[0].type, EV_TEXT);
            CHECK_STR(evs[0].text, "7");
            CHECK_INT(evs[0].len, 1);
            CHECK_INT(evs[0].now, 1234);
        }
        /* The corners of the key hit it too; one pixel outside does not. */
        ui_inject_tap(ui, seven->x, seven->y);
        ui_inject_tap(ui, seven->x + seven->w - 1, seven->y + seven->h - 1);
        n = poll_all(ui, evs, 16);
        CHECK_INT(n, 2);
        ui_inject_tap(ui, seven->x - GAP / 2, seven->y + seven->h / 2);
        CHECK_INT(poll_all(ui, evs, 16), 0);
    }
    /* Backspace and OK on the pad. */
    const struct ui_widget *bs = find(&v, EV_KEY, 0, KEY_BACKSPACE, NULL);
    if (CHECK(bs != NULL)) {
        tap_center(ui, bs);
        CHECK_INT(poll_all(ui, evs, 16), 1);
        CHECK_INT(evs[0].key, KEY_BACKSPACE);
    }

    /* An answer. */
    v = base(SCREEN_CHECK, LANG_ZH, &grader);
    v.category = &categories[0];
    ui_render(ui, &v, &st);
    const struct ui_widget *third = find(&v, EV_PICK, 2, KEY_NONE, NULL);
    if (CHECK(third != NULL)) {
        tap_center(ui, third);
        int n = poll_all(ui, evs, 16);
        CHECK_INT(n, 1);
        CHECK_INT(evs[0].type, EV_PICK);
        CHECK_INT(evs[0].pick, 2);

        /* A bare SDL_FINGERUP as kmsdrm sends it: windowID 0, no mouse events. */
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_FINGERUP;
        e.tfinger.touchId = 7;
        e.tfinger.fingerId = 3;
        e.tfinger.x = (third->x + third->w / 2) / (float)UI_W;
        e.tfinger.y = (third->y + third->h / 2) / (float)UI_H;
        e.tfinger.windowID = 0;
        SDL_PushEvent(&e);
        n = poll_all(ui, evs, 16);
        CHECK_INT(n, 1);
        CHECK_INT(evs[0].type, EV_PICK);
        CHECK_INT(evs[0].pick, 2);

        /* A mouse click works; a mouse event SDL made from a touch is ignored. */
        memset(&e, 0, sizeof e);
        e.type = SDL_MOUSEBUTTONUP;
        e.button.windowID = find_window_id();
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = third->x + 10;
        e.button.y = third->y + 10;
        e.button.which = 0;
        SDL_PushEvent(&e);
        e.button.which = SDL_TOUCH_MOUSEID;
        SDL_PushEvent(&e);
        n = poll_all(ui, evs, 16);
        CHECK_INT(n, 1);
        CHECK_INT(evs[0].pick, 2);
        /* A touch SDL made from the mouse is ignored too. */
        memset(&e, 0, sizeof e);
        e.type = SDL_FINGERUP;
        e.tfinger.touchId = SDL_MOUSE_TOUCHID;
        e.tfinger.x = (third->x + 10) / (float)UI_W;
        e.tfinger.y = (third->y + 10) / (float)UI_H;
        SDL_PushEvent(&e);
        CHECK_INT(poll_all(ui, evs, 16), 0);
    }
    /* A tap on nothing sends nothing. */
    ui_inject_tap(ui, 640, 20);
    CHECK_INT(poll_all(ui, evs, 16), 0);

    /* Keys: named keys are EV_KEY, printable keys EV_TEXT, once. */
    static const struct {
        const char *name;
        enum event_type type;
        enum key key;
        const char *text;
    } keys[] = {
        /* 1 */ {"Return", EV_KEY, KEY_ENTER, NULL},
        /* 2 */ {"Keypad Enter", EV_KEY, KEY_ENTER, NULL},
        /* 3 */ {"Escape", EV_KEY, KEY_ESCAPE, NULL},
        /* 4 */ {"Backspace", EV_KEY, KEY_BACKSPACE, NULL},
        /* 5 */ {"Tab", EV_KEY, KEY_TAB, NULL},
        /* 6 */ {"Up", EV_KEY, KEY_UP, NULL},
        /* 7 */ {"Down", EV_KEY, KEY_DOWN, NULL},
        /* 8 */ {"Left", EV_KEY, KEY_LEFT, NULL},
        /* 9 */ {"Right", EV_KEY, KEY_RIGHT, NULL},
        /* 10 */ {"F1", EV_KEY, KEY_LANG, NULL},
        /* 11 */ {"F2", EV_KEY, KEY_STATS, NULL},
        /* 12 */ {"F5", EV_KEY, KEY_REPRINT, NULL},
        /* 13 */ {"F12", EV_KEY, KEY_LOGOUT, NULL},
        /* 14 */ {"1", EV_TEXT, KEY_NONE, "1"},
        /* 15 */ {"9", EV_TEXT, KEY_NONE, "9"},
        /* 16 */ {"a", EV_TEXT, KEY_NONE, "a"},
        /* 17 */ {"Space", EV_TEXT, KEY_NONE, " "},
        /* 18 */ {"-", EV_TEXT, KEY_NONE, "-"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        CHECK_INT(ui_inject_key(ui, keys[i].name), 0);
        int n = poll_all(ui, evs, 16);
        if (!CHECK_INT(n, 1) || !CHECK_INT(evs[0].type, keys[i].type)) {
            fprintf(stderr, "  key \"%s\"\n", keys[i].name);
            continue;
        }
        if (keys[i].type == EV_KEY)
            CHECK_INT(evs[0].key, keys[i].key);
        else
            CHECK_STR(evs[0].text, keys[i].text);
    }
    CHECK_INT(ui_inject_key(ui, "NoSuchKey"), -1);
    CHECK_INT(ui_inject_key(ui, ""), -1);
    CHECK_INT(poll_all(ui, evs, 16), 0);

    /* Text longer than one SDL event arrives whole, in order, never split in a character. */
    const char *text =
        "RMA-2026-000123 扫描测试 ÄÖÜ 0123456789 退货标签 abcdefghijklmnopqrstuvwxyz";
    ui_inject_text(ui, text);
    int n = poll_all(ui, evs, 16);
    CHECK(n >= 3);
    char joined[512] = "";
    for (int i = 0; i < n; i++) {
        CHECK_INT(evs[i].type, EV_TEXT);
        CHECK(evs[i].len > 0 && evs[i].len < 32);
        CHECK(((unsigned char)evs[i].text[0] & 0xC0) != 0x80);
        strncat(joined, evs[i].text, sizeof joined - strlen(joined) - 1);
    }
    CHECK_STR(joined, text);

    /* More events than `max`: the rest waits for the next call. */
    for (int i = 0; i < 5; i++)
        ui_inject_key(ui, "Tab");
    CHECK_INT(poll_all(ui, evs, 2), 2);
    CHECK_INT(poll_all(ui, evs, 16), 3);

    /* A timed wait with nothing to do returns after about the timeout. */
    bool quit = false;
    int64_t t0 = clock_mono_ms();
    CHECK_INT(ui_poll(ui, 50, 0, evs, 16, &quit), 0);
    int64_t waited = clock_mono_ms() - t0;
    CHECK(waited >= 45 && waited < 500);

    /* A wake-up from another thread ends a long wait at once, with no events. */
    pthread_t waker;
    CHECK_INT(pthread_create(&waker, NULL, wake_later, ui), 0);
    t0 = clock_mono_ms();
    CHECK_INT(ui_poll(ui, 5000, 0, evs, 16, &quit), 0);
    waited = clock_mono_ms() - t0;
    pthread_join(waker, NULL);
    if (!CHECK(waited < 2000))
        fprintf(stderr, "  woken after %lld ms\n", (long long)waited);
    CHECK(!quit);
    ui_wake(NULL);

    /* A closed window asks to quit. */
    SDL_Event q;
    memset(&q, 0, sizeof q);
    q.type = SDL_QUIT;
    SDL_PushEvent(&q);
    quit = false;
    ui_poll(ui, 0, 0, evs, 16, &quit);
    CHECK(quit);
}

/* ---- screenshots -------------------------------------------------------- */

static bool same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *x = harness_read_file(a, &la), *y = harness_read_file(b, &lb);
    bool same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void test_screenshots(struct ui *ui)
{
    char err[256];
    struct ui_status st = {0};
    st.ndevices = 2;
    snprintf(st.devices[0].name, sizeof st.devices[0].name, "scanner");
    snprintf(st.devices[0].state, sizeof st.devices[0].state, "ready");
    st.devices[0].ok = true;
    snprintf(st.devices[1].name, sizeof st.devices[1].name, "printer");
    snprintf(st.devices[1].state, sizeof st.devices[1].state, "offline");
    st.labels_waiting = 2;
    st.outbox_waiting = 5;

    const char *keep = getenv("UI_SHOTS_DIR");
    if (keep)
        mkdir(keep, 0755);
    struct named_view views[LANG_COUNT][NVIEWS];
    int n = 0;
    for (int lang = 0; lang < LANG_COUNT; lang++)
        n = all_views((enum lang)lang, views[lang]);
    for (int i = 0; i < n; i++) {
        char path[LANG_COUNT][600];
        for (int lang = 0; lang < LANG_COUNT; lang++) {
            snprintf(path[lang], sizeof path[lang], "%s/%s-%s.png", harness_tmpdir(),
                     views[lang][i].name, lang_name((enum lang)lang));
            ui_render(ui, &views[lang][i].v, &st);
            if (!CHECK_INT(ui_screenshot(ui, path[lang], err, sizeof err), 0))
                fprintf(stderr, "  %s\n", err);
            if (keep) {
                char kp[600];
                snprintf(kp, sizeof kp, "%s/%s-%s.png", keep, views[lang][i].name,
                         lang_name((enum lang)lang));
                ui_screenshot(ui, kp, err, sizeof err);
            }
            SDL_Surface *s = IMG_Load(path[lang]);
            if (CHECK(s != NULL)) {
                CHECK_INT(s->w, UI_W);
                CHECK_INT(s->h, UI_H);
                SDL_FreeSurface(s);
            }
        }
        if (!CHECK(!same_file(path[LANG_EN], path[LANG_ZH])))
            fprintf(stderr, "  %s: English and Chinese screenshots are the same\n",
                    views[0][i].name);
    }
}

/* ---- speed -------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_frame_time(struct ui *ui)
{
    struct named_view views[LANG_COUNT][NVIEWS];
    int n = 0;
    for (int lang = 0; lang < LANG_COUNT; lang++)
        n = all_views((enum lang)lang, views[lang]);
    struct ui_status st = {.ndevices = 1, .devices = {{"scanner", "ready", true}}};
    enum { FRAMES = 400 };
    static int64_t ns[FRAMES];
    /* Each frame shows a different screen than the one before, as after an event. */
    for (int f = 0; f < FRAMES; f++) {
        const struct view *v = &views[(f / n) % LANG_COUNT][f % n].v;
        int64_t t0 = clock_mono_ns();
        ui_render(ui, v, &st);
        ns[f] = clock_mono_ns() - t0;
    }
    qsort(ns, FRAMES, sizeof *ns, cmp_i64);
    double p50 = ns[FRAMES / 2] / 1e6, p99 = ns[FRAMES * 99 / 100] / 1e6,
           max = ns[FRAMES - 1] / 1e6;
    /* The same screen again: what an idle redraw costs. */
    int64_t t0 = clock_mono_ns();
    for (int i = 0; i < 50; i++)
        ui_render(ui, &views[0][0].v, &st);
    double same = (clock_mono_ns() - t0) / 50 / 1e6;
    /* Typing: each frame shows one more character, so each draws a new text. */
    struct view typing = base(SCREEN_SCAN, LANG_EN, &grader);
    char input[FRAMES / 4 + 1];
    for (int f = 0; f < FRAMES / 4; f++) {
        input[f] = (char)('A' + f % 26);
        input[f + 1] = 0;
        typing.input = input[0] && f < 40 ? input : input + f - 40;
        int64_t t1 = clock_mono_ns();
        ui_render(ui, &typing, &st);
        ns[f] = clock_mono_ns() - t1;
    }
    qsort(ns, FRAMES / 4, sizeof *ns, cmp_i64);
    double typed99 = ns[FRAMES / 4 * 99 / 100] / 1e6;
    printf("frame_ms p50 %.2f p99 %.2f max %.2f (screen changes, software renderer, %s); "
           "same screen %.2f; typing p99 %.2f\n",
           p50, p99, max, ui_driver(ui), same, typed99);
    /* Generous: sanitizer builds are several times slower. The 8 ms target is for make bench. */
    CHECK(p99 < 100);
}

/* ---- a window of another shape: letterboxed ------------------------------ */

static void test_letterbox(void)
{
    struct ui *ui = NULL;
    char err[512];
    struct ui_options opt = {.width = 1600, .height = 900, .headless = true};
    if (!CHECK_INT(ui_open(&opt, &ui, err, sizeof err), 0)) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    struct view v = base(SCREEN_CHECK, LANG_EN, &grader);
    v.category = &categories[0];
    ui_render(ui, &v, NULL);
    const struct ui_widget *w = find(&v, EV_PICK, 3, KEY_NONE, NULL);
    struct event evs[4];
    if (CHECK(w != NULL)) {
        tap_center(ui, w);
        int n = poll_all(ui, evs, 4);
        CHECK_INT(n, 1);
        CHECK_INT(evs[0].pick, 3);
        /* A touch normalised to the window, as the touch screen sends it. The
         * 1280x800 screen is scaled by 1.125 and centred: 80 px bars each side. */
        SDL_Event e;
        memset(&e, 0, sizeof e);
        e.type = SDL_FINGERUP;
        e.tfinger.touchId = 1;
        e.tfinger.x = (80 + (w->x + w->w / 2) * 1.125f) / 1600;
        e.tfinger.y = ((w->y + w->h / 2) * 1.125f) / 900;
        SDL_PushEvent(&e);
        n = poll_all(ui, evs, 4);
        CHECK_INT(n, 1);
        CHECK_INT(evs[0].pick, 3);
    }
    ui_close(ui);
}

int main(void)
{
    fixtures();
    test_layouts();
    test_table();
    test_sources();
    test_glyphs();

    struct ui *ui = NULL;
    char err[512];
    struct ui_options opt = {.headless = true};
    if (!CHECK_INT(ui_open(&opt, &ui, err, sizeof err), 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    CHECK_STR(ui_driver(ui), "dummy");
    test_input(ui);
    test_screenshots(ui);
    test_frame_time(ui);
    ui_close(ui);
    ui_close(NULL);

    test_letterbox();
    return harness_done();
}
