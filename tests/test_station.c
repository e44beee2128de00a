/*
 * test_station.c — the station core's transitions, event by event, with the
 * built-in rules and look-ups answered from tables.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "rules.h"
#include "station.h"

#define DAY (86400000LL)

static int64_t T0; /* 2026-11-23T09:00:00Z */

static const struct manifest_row manifest[] = {
    {"RMA-1001", "O-1", "PH-IP15-128", "0195949038488", "", "Phone 15 128 GB", "defective", "2026-11-20"},
    {"RMA-1002", "O-2", "AP-JKT-M", "", "SN-77", "Rain jacket M", "changed_mind", "2026-11-01"},
    {"R-777", "O-3", "SA-KETTLE", "", "", "Kettle", "damaged_in_transit", ""},
    {"RMA-1004", "O-4", "ZZ-UNKNOWN", "", "", "Mystery", "wrong_item", "2026-11-22"},
};

static struct inspection saved[16];
static int nsaved;

/* What the store's PIN check would answer (FX_CHECK_PIN → EV_LOGIN_RESULT):
 * graders 1001 (Ana) and 1002 (Bo), supervisor 2001 (Sam), admin 3001
 * (Kim), each with PIN 123456. */
static struct event fake_check_pin(const char *badge, const char *pin,
                                   enum pin_purpose purpose)
{
    struct event ev = {.type = EV_LOGIN_RESULT, .purpose = purpose};
    snprintf(ev.op.badge, sizeof ev.op.badge, "%s", badge);
    if (strcmp(badge, "1001") && strcmp(badge, "1002") && strcmp(badge, "2001") &&
        strcmp(badge, "3001")) {
        ev.login = LOGIN_UNKNOWN_BADGE;
        return ev;
    }
    if (strcmp(pin, "123456")) {
        ev.login = LOGIN_BAD_PIN;
        ev.tries_left = 4;
        return ev;
    }
    ev.op.role = badge[0] == '1' ? ROLE_GRADER : badge[0] == '2' ? ROLE_SUPERVISOR : ROLE_ADMIN;
    ev.login = purpose == PIN_AUTHORISE && ev.op.role == ROLE_GRADER ? LOGIN_NOT_ALLOWED : LOGIN_OK;
    snprintf(ev.op.name, sizeof ev.op.name, "%s",
             !strcmp(badge, "1001")   ? "Ana"
             : !strcmp(badge, "1002") ? "Bo"
             : badge[0] == '2'        ? "Sam"
                                      : "Kim");
    return ev;
}

static int fake_find_operator(void *ctx, const char *badge, struct operator_info *op)
{
    (void)ctx;
    if (strcmp(badge, "1001") && strcmp(badge, "2001"))
        return 1;
    snprintf(op->badge, sizeof op->badge, "%s", badge);
    snprintf(op->name, sizeof op->name, "%s", badge[0] == '1' ? "Ana" : "Sam");
    return 0;
}

static int fake_find_manifest(void *ctx, const char *rma, struct manifest_row *out)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof manifest / sizeof *manifest; i++)
        if (!strcmp(manifest[i].rma, rma)) {
            *out = manifest[i];
            return 0;
        }
    return 1;
}

static int fake_find_inspection(void *ctx, const char *plate, struct inspection *out)
{
    (void)ctx;
    for (int i = 0; i < nsaved; i++)
        if (!strcmp(saved[i].plate, plate)) {
            *out = saved[i];
            return 0;
        }
    return 1;
}

/* The operators the admins' screen lists. */
static struct operator_state fake_ops[3] = {
    {.op = {"1001", "Ana", ROLE_GRADER}},
    {.op = {"2001", "Sam", ROLE_SUPERVISOR}, .failures = 2},
    {.op = {"3001", "Kim", ROLE_ADMIN}},
};

static int fake_list_operators(void *ctx, struct operator_state *out, int max)
{
    (void)ctx;
    int n = max < 3 ? max : 3;
    memcpy(out, fake_ops, (size_t)n * sizeof *out);
    return n;
}

static struct station *st;
static struct effects fx;
static int64_t now;

static void send(struct event ev)
{
    ev.now = now;
    station_handle(st, &ev, &fx);
}
static void scan(const char *s)
{
    struct event ev = {.type = EV_SCAN};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    ev.len = strlen(ev.text);
    send(ev);
}
static void text(const char *s)
{
    struct event ev = {.type = EV_TEXT};
    snprintf(ev.text, sizeof ev.text, "%s", s);
    ev.len = strlen(ev.text);
    send(ev);
}
static void key(enum key k) { send((struct event){.type = EV_KEY, .key = k}); }
static void pick(int n) { send((struct event){.type = EV_PICK, .pick = n}); }
static void tick(void) { send((struct event){.type = EV_TICK}); }

static const struct effect *find_fx(enum effect_type t)
{
    for (int i = 0; i < fx.n; i++)
        if (fx.fx[i].type == t)
            return &fx.fx[i];
    return NULL;
}

static struct view view(void)
{
    struct view v;
    station_view(st, &v);
    return v;
}

static enum screen screen(void) { return station_screen(st); }

/* Confirm on the summary screen and let the store say it committed. */
static void confirm_and_save(void)
{
    key(KEY_ENTER);
    const struct effect *save = find_fx(FX_SAVE);
    if (!CHECK(save != NULL))
        return;
    struct inspection rec = *save->insp;
    rec.seq = nsaved + 1;
    snprintf(rec.plate, sizeof rec.plate, "SH01-S01-%06d", nsaved + 1);
    saved[nsaved++] = rec;
    struct event ev = {.type = EV_SAVED, .seq = rec.seq};
    snprintf(ev.plate, sizeof ev.plate, "%s", rec.plate);
    send(ev);
}

/* Answer the PIN check the last event asked for, as the store would. */
static void answer_pin(void)
{
    const struct effect *c = find_fx(FX_CHECK_PIN);
    if (!CHECK(c != NULL))
        return;
    send(fake_check_pin(c->actor, c->pin, c->purpose));
}

static void login_as(const char *badge)
{
    scan(badge);
    text("123456");
    key(KEY_ENTER);
    answer_pin();
}

static void test_login(void)
{
    CHECK_INT(screen(), SCREEN_LOGIN);
    /* An unknown badge is asked for its PIN like any other, and refused in
     * the same words as a wrong PIN: nothing says which badges exist. */
    scan("9999");
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);
    CHECK_STR(view().login_badge, "9999");
    CHECK(find_fx(FX_BEEP_ERROR) == NULL);
    text("123456");
    key(KEY_ENTER);
    answer_pin();
    CHECK_INT(screen(), SCREEN_LOGIN);
    CHECK_INT(view().msg, MSG_BAD_PIN);
    CHECK_INT(view().msg_num, 0);
    struct view unknown = view();
    CHECK(find_fx(FX_BEEP_ERROR) != NULL);
    key(KEY_ESCAPE);
    /* A badge longer than a badge can be: refused whole, never cut. */
    char long_badge[120];
    memset(long_badge, '7', 100);
    long_badge[100] = 0;
    scan(long_badge);
    CHECK_INT(view().msg, MSG_CODE_TOO_LONG);
    CHECK_INT(view().msg_num, 63);
    CHECK_INT(view().login_step, LOGIN_STEP_BADGE);
    CHECK(find_fx(FX_BEEP_ERROR) != NULL);
    /* typed badge, then a wrong PIN */
    text("1001");
    key(KEY_ENTER);
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);
    CHECK_STR(view().login_badge, "1001"); /* the badge, not its owner's name */
    text("1");
    text("1");
    CHECK_INT(view().pin_len, 2);
    key(KEY_BACKSPACE);
    CHECK_INT(view().pin_len, 1);
    key(KEY_ENTER);
    /* The PIN goes out to be checked; the screen waits, ignoring input. */
    const struct effect *c = find_fx(FX_CHECK_PIN);
    CHECK(c && !strcmp(c->actor, "1001") && !strcmp(c->pin, "1"));
    CHECK_INT(view().login_step, LOGIN_STEP_CHECKING);
    CHECK_INT(view().pin_len, 0);
    CHECK(c && c->purpose == PIN_LOGIN);
    struct event answer = fake_check_pin("1001", "1", PIN_LOGIN);
    text("7");
    key(KEY_ENTER);
    CHECK_INT(view().pin_len, 0);
    CHECK(find_fx(FX_CHECK_PIN) == NULL);
    send(answer);
    CHECK_INT(view().msg, MSG_BAD_PIN);
    CHECK_INT(view().msg_num, 0); /* no count of tries: as for an unknown badge */
    CHECK_INT(view().msg, unknown.msg);
    CHECK_INT(view().msg_is_error, unknown.msg_is_error);
    CHECK_INT(view().login_step, unknown.login_step);
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);
    CHECK_INT(screen(), SCREEN_LOGIN);
    CHECK(find_fx(FX_BEEP_ERROR) != NULL);
    CHECK(find_fx(FX_AUDIT) == NULL); /* the check audits its own outcome */
    text("123456");
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_LOGIN);
    answer_pin();
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK(find_fx(FX_AUDIT) == NULL); /* one row per login: the check's */
    CHECK_STR(view().op->name, "Ana");
}

static void test_unknown_code(void)
{
    scan("hello world");
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(view().msg, MSG_UNKNOWN_CODE);
    CHECK(view().msg_is_error);
}

static void test_grade_phone(void)
{
    scan("RMA-1001");
    CHECK_INT(screen(), SCREEN_ITEM);
    struct view v = view();
    CHECK(v.expected && !strcmp(v.expected->sku, "PH-IP15-128"));
    CHECK(v.category && !strcmp(v.category->id, "phone"));
    CHECK(!v.insp->late); /* delivered 3 days ago */
    CHECK(!v.picking_category);
    scan("0195949038488"); /* the expected GTIN-13 */
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK(!view().insp->mismatch);
    CHECK_INT(view().check_count, 5);
    text("2"); /* screen: light scratches (B) */
    CHECK_INT(view().check_index, 1);
    key(KEY_ESCAPE); /* back one step */
    CHECK_INT(view().check_index, 0);
    text("2");
    text("1");
    text("9"); /* no 9th answer: ignored */
    /* The outer carton is asked only after damage: passed over. */
    CHECK_INT(view().check_index, 3);
    CHECK_INT(view().check_pos, 3);
    CHECK_INT(view().check_count, 5);
    pick(0);
    pick(0);
    text("2"); /* box missing (B) */
    CHECK_INT(screen(), SCREEN_SUMMARY);
    v = view();
    CHECK_INT(v.insp->grade, GRADE_B);
    CHECK_INT(v.insp->aspect_grade[ASPECT_COSMETIC], GRADE_B);
    CHECK_INT(v.insp->aspect_grade[ASPECT_FUNCTIONAL], GRADE_A);
    CHECK_INT(v.insp->aspect_grade[ASPECT_COMPLETENESS], GRADE_B);
    CHECK_STR(v.insp->disposition, "open_box");
    CHECK_INT(v.insp->ndefects, 2);
    key(KEY_RIGHT);
    CHECK_INT(view().insp->responsibility, RESP_MERCHANT);
    pick(RESP_NONE);
    CHECK_INT(view().insp->responsibility, RESP_NONE);
    key(KEY_ENTER);
    CHECK_INT(view().save_state, SAVE_PENDING);
    CHECK(find_fx(FX_REPRINT) == NULL); /* no label asked for: the commit queues it */
    CHECK_INT(screen(), SCREEN_SUMMARY);
    struct inspection rec = *find_fx(FX_SAVE)->insp;
    CHECK_STR(rec.rma, "RMA-1001");
    CHECK_STR(rec.operator_badge, "1001");
    CHECK_INT(rec.nanswers, 5);
    CHECK_STR(rec.answers[0].answer, "light");
    rec.seq = 1;
    snprintf(rec.plate, sizeof rec.plate, "SH01-S01-000001");
    saved[nsaved++] = rec;
    send((struct event){.type = EV_SAVED, .seq = 1, .plate = "SH01-S01-000001"});
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(view().msg, MSG_SAVED);
    CHECK_STR(view().msg_arg, "SH01-S01-000001");
    /* The commit queued the label: a save asks for no print of its own. */
    CHECK_INT(fx.n, 1);
    CHECK(find_fx(FX_BEEP_OK) != NULL);
    CHECK(find_fx(FX_REPRINT) == NULL);
}

static void test_late_mismatch_apparel(void)
{
    scan("rma-1002"); /* lower case is the same RMA */
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().insp->late); /* delivered 22 days ago, window 7 */
    scan("SN-123456");        /* not the expected serial (and shaped like a plate) */
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK(view().insp->mismatch);
    CHECK_INT(view().msg, MSG_ITEM_MISMATCH);
    /* Four checks and, for a return for a reason that is not the product's
     * fault, its hygiene seal. */
    CHECK_INT(view().check_count, 5);
    for (int i = 0; i < 5; i++)
        text("1");
    CHECK_INT(screen(), SCREEN_SUMMARY);
    CHECK_INT(view().insp->grade, GRADE_A);
    CHECK_STR(view().insp->disposition, "restock");
    confirm_and_save();
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK(saved[nsaved - 1].late && saved[nsaved - 1].mismatch);
    CHECK_STR(saved[nsaved - 1].serial, "SN-123456");
}

static void test_blind_receipt(void)
{
    scan("RMA-5555");
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().picking_category);
    CHECK(view().insp->blind);
    CHECK_INT(view().msg, MSG_PICK_CATEGORY);
    text("3"); /* small appliance */
    CHECK(!view().picking_category);
    CHECK_STR(view().category->id, "appliance");
    CHECK_INT(screen(), SCREEN_ITEM);
    key(KEY_ENTER); /* no item code to scan */
    CHECK_INT(screen(), SCREEN_CHECK);
    text("3"); /* housing broken: X */
    CHECK_INT(view().check_count, 4); /* damage: the outer carton is asked too */
    text("2"); /* the carton arrived crushed: the carrier's; its photo is required */
    CHECK_INT(screen(), SCREEN_PHOTO);
    key(KEY_ENTER);
    CHECK(find_fx(FX_PHOTO_TAKE) != NULL);
    struct event photo = {.type = EV_PHOTO_TAKEN};
    snprintf(photo.photo.check, sizeof photo.photo.check, "carton");
    snprintf(photo.photo.file, sizeof photo.photo.file, "photos/take-1-001.jpg");
    memset(photo.photo.sha256, 'a', 64);
    send(photo);
    CHECK_INT(screen(), SCREEN_CHECK);
    text("1");
    text("1");
    CHECK_INT(view().insp->grade, GRADE_X);
    CHECK_INT(view().insp->responsibility, RESP_LOGISTICS);
    CHECK_INT(view().insp->responsibility_suggested, RESP_LOGISTICS);
    CHECK_STR(view().insp->disposition, "scrap");
    /* Carrier damage is refunded (the claim goes to the carrier). */
    CHECK_INT(view().insp->resolution, RESOLUTION_REFUND);
    CHECK_INT(view().insp->return_type, RETURN_TYPE_QUALITY);
    confirm_and_save();
    CHECK(saved[nsaved - 1].blind);
    /* an RMA whose SKU matches no category also asks for one */
    scan("RMA-1004");
    CHECK(view().picking_category && !view().insp->blind);
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
    /* a return id that is not RMA-shaped but is in the manifest */
    scan("R-777");
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK_STR(view().category->id, "appliance");
    key(KEY_ESCAPE);
}

static void test_save_failure_retry(void)
{
    scan("RMA-1001");
    key(KEY_ENTER);
    for (int i = 0; i < 5; i++)
        text("1");
    CHECK_INT(screen(), SCREEN_SUMMARY);
    key(KEY_ENTER);
    CHECK(find_fx(FX_SAVE) != NULL);
    send((struct event){.type = EV_SAVE_FAILED, .text = "E201: disk full", .len = 15});
    CHECK_INT(view().save_state, SAVE_FAILED);
    CHECK_INT(view().msg, MSG_SAVE_FAILED);
    CHECK(find_fx(FX_REPRINT) == NULL);
    key(KEY_ESCAPE); /* cannot walk away from an unsaved inspection */
    key(KEY_LOGOUT);
    CHECK_INT(screen(), SCREEN_SUMMARY);
    CHECK(station_has_unsaved(st));
    now += STATION_SAVE_RETRY_MS;
    CHECK(station_next_deadline(st) <= now);
    tick();
    CHECK(find_fx(FX_SAVE) != NULL); /* retried by itself */
    send((struct event){.type = EV_SAVE_FAILED, .text = "E201: disk full", .len = 15});
    now += 60 * 60000; /* an hour: idle logout must not drop it */
    tick();
    CHECK_INT(screen(), SCREEN_SUMMARY);
    CHECK(find_fx(FX_SAVE) != NULL);
    send((struct event){.type = EV_SAVE_FAILED, .text = "E201: disk full", .len = 15});
    confirm_and_save(); /* Return retries at once */
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK(!station_has_unsaved(st));
}

static void test_plate_reprint_regrade(void)
{
    scan(saved[0].plate);
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().existing && !strcmp(view().existing->plate, saved[0].plate));
    key(KEY_REPRINT);
    const struct effect *p = find_fx(FX_REPRINT);
    CHECK(p && !strcmp(p->subject, saved[0].plate) && !strcmp(p->actor, "1001"));
    /* Audited with the grader as the actor and the plate as the subject. */
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "reprint"));
    CHECK(a && !strcmp(a->actor, "1001") && !strcmp(a->subject, saved[0].plate));
    CHECK_INT(view().msg, MSG_REPRINTED);
    key(KEY_ENTER); /* re-grade */
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "regrade"));
    CHECK(a && !strcmp(a->actor, "1001") && !strcmp(a->subject, saved[0].plate));
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_STR(view().insp->supersedes, saved[0].plate);
    for (int i = 0; i < 5; i++)
        text("1");
    confirm_and_save();
    CHECK_STR(saved[nsaved - 1].supersedes, saved[0].plate);
    CHECK_INT(saved[nsaved - 1].grade, GRADE_A);
}

static void test_stats_role_and_idle(void)
{
    key(KEY_STATS);
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(view().msg, MSG_NOT_ALLOWED);
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "stats_denied") && !strcmp(a->actor, "1001"));
    key(KEY_LOGOUT);
    CHECK_INT(screen(), SCREEN_LOGIN);
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "logout") && !strcmp(a->actor, "1001"));
    login_as("2001");
    CHECK_INT(screen(), SCREEN_SCAN);
    key(KEY_STATS);
    CHECK_INT(screen(), SCREEN_STATS);
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
    key(KEY_LANG);
    CHECK_INT(view().lang, LANG_ZH);
    now += 9 * 60000;
    tick();
    CHECK_INT(screen(), SCREEN_SCAN);
    now += 60000;
    CHECK(station_next_deadline(st) <= now);
    tick();
    CHECK_INT(screen(), SCREEN_LOGIN);
    CHECK_INT(view().msg, MSG_LOGGED_OUT);
    CHECK(view().op == NULL);
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "idle_logout") && !strcmp(a->actor, "2001"));
}

/* Authorise the panel now up with `badge` and PIN 123456, as the store
 * would answer. */
static void authorise_as(const char *badge)
{
    CHECK(view().auth_action != AUTH_NONE);
    scan(badge);
    CHECK_INT(view().auth_step, AUTH_STEP_PIN);
    text("123456");
    key(KEY_ENTER);
    const struct effect *c = find_fx(FX_CHECK_PIN);
    CHECK(c && c->purpose == PIN_AUTHORISE && !strcmp(c->actor, badge));
    answer_pin();
}

/* Roles, action by action: what a grader may do alone, what a supervisor or
 * admin must authorise at the station (the grader stays logged in), and
 * that the audit row names both. */
static void test_roles(void)
{
    /* Re-grading another grader's outcome: 1002 scans 1001's plate. */
    key(KEY_LOGOUT);
    login_as("1002");
    CHECK_INT(screen(), SCREEN_SCAN);
    scan(saved[0].plate);
    CHECK_INT(screen(), SCREEN_ITEM);
    key(KEY_ENTER);
    CHECK_INT(screen(), SCREEN_ITEM); /* not yet */
    CHECK_INT(view().auth_action, AUTH_REGRADE);
    CHECK_INT(view().auth_step, AUTH_STEP_BADGE);
    CHECK_STR(view().auth_subject, saved[0].plate);
    CHECK_INT(view().msg, MSG_AUTH_NEEDED);
    CHECK(find_fx(FX_AUDIT) == NULL);
    /* Escape takes the panel down; nothing happened. */
    key(KEY_ESCAPE);
    CHECK_INT(view().auth_action, AUTH_NONE);
    CHECK_INT(screen(), SCREEN_ITEM);
    CHECK(view().existing != NULL);
    key(KEY_ENTER);
    /* Another grader cannot authorise, even with the right PIN. */
    scan("1001");
    text("123456");
    key(KEY_ENTER);
    const struct effect *c = find_fx(FX_CHECK_PIN);
    CHECK(c && c->purpose == PIN_AUTHORISE && !strcmp(c->subject, "1002"));
    char what[96];
    snprintf(what, sizeof what, "regrade %s", saved[0].plate);
    CHECK(c && !strcmp(c->detail, what));
    CHECK_INT(view().auth_step, AUTH_STEP_CHECKING);
    struct event answer = fake_check_pin("1001", "123456", PIN_AUTHORISE);
    text("5"); /* ignored while checking */
    CHECK(find_fx(FX_CHECK_PIN) == NULL);
    send(answer);
    CHECK_INT(view().msg, MSG_NOT_ALLOWED);
    CHECK_INT(view().auth_step, AUTH_STEP_BADGE);
    CHECK_INT(screen(), SCREEN_ITEM);
    /* A wrong PIN and an unknown badge: the same words. */
    scan("2001");
    text("999999");
    key(KEY_ENTER);
    answer_pin();
    CHECK_INT(view().msg, MSG_BAD_PIN);
    scan("8888");
    text("123456");
    key(KEY_ENTER);
    answer_pin();
    CHECK_INT(view().msg, MSG_BAD_PIN);
    CHECK_INT(view().auth_action, AUTH_REGRADE);
    /* The supervisor: granted, and the grader goes on. */
    authorise_as("2001");
    CHECK_INT(view().auth_action, AUTH_NONE);
    CHECK_INT(screen(), SCREEN_CHECK);
    CHECK_STR(view().op->badge, "1002");
    CHECK_STR(view().authorised_by, "2001");
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "regrade") && !strcmp(a->actor, "1002") &&
          !strcmp(a->authorised_by, "2001") && !strcmp(a->subject, saved[0].plate));
    for (int i = 0; i < 5; i++)
        text("1");
    confirm_and_save();
    CHECK_STR(saved[nsaved - 1].supersedes, saved[0].plate);
    CHECK_STR(saved[nsaved - 1].operator_badge, "1002");

    /* A grader re-grades their own outcome alone. */
    scan(saved[nsaved - 1].plate);
    key(KEY_ENTER);
    CHECK_INT(view().auth_action, AUTH_NONE);
    CHECK_INT(screen(), SCREEN_CHECK);
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "regrade") && !a->authorised_by[0]);

    /* Overriding the grade the rules decided: never alone for a grader. */
    for (int i = 0; i < 5; i++)
        text("1");
    CHECK_INT(screen(), SCREEN_SUMMARY);
    CHECK_INT(view().insp->grade, GRADE_A);
    key(KEY_OVERRIDE);
    CHECK_INT(view().auth_action, AUTH_OVERRIDE_GRADE);
    CHECK(!view().overriding_grade);
    text("3"); /* the panel's, not a grade */
    CHECK_INT(view().insp->grade, GRADE_A);
    authorise_as("3001"); /* an admin may too */
    CHECK(view().overriding_grade);
    CHECK_INT(view().msg, MSG_PICK_GRADE);
    text("3");
    CHECK(!view().overriding_grade);
    CHECK_INT(view().insp->grade, GRADE_C);
    CHECK_INT(view().rules_grade, GRADE_A);
    CHECK_STR(view().insp->disposition, "refurbish");
    CHECK_INT(view().msg, MSG_GRADE_OVERRIDDEN);
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "grade_override") && !strcmp(a->actor, "1002") &&
          !strcmp(a->authorised_by, "3001") && strstr(a->detail, "A -> C"));
    confirm_and_save();
    CHECK_INT(saved[nsaved - 1].grade, GRADE_C);
    CHECK_STR(saved[nsaved - 1].disposition, "refurbish");

    /* The panel goes with its screen: logging out (or the idle logout)
     * drops it. */
    scan(saved[0].plate);
    key(KEY_ENTER);
    CHECK_INT(view().auth_action, AUTH_REGRADE);
    key(KEY_LOGOUT);
    CHECK_INT(screen(), SCREEN_LOGIN);
    CHECK_INT(view().auth_action, AUTH_NONE);

    /* A supervisor does both alone: no panel, no authoriser. */
    login_as("2001");
    scan(saved[0].plate);
    key(KEY_ENTER);
    CHECK_INT(view().auth_action, AUTH_NONE);
    CHECK_INT(screen(), SCREEN_CHECK);
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "regrade") && !strcmp(a->actor, "2001") &&
          !a->authorised_by[0]);
    for (int i = 0; i < 5; i++)
        text("1");
    key(KEY_OVERRIDE);
    CHECK(view().overriding_grade);
    key(KEY_ESCAPE); /* changed their mind */
    CHECK(!view().overriding_grade);
    CHECK_INT(view().insp->grade, GRADE_A);
    key(KEY_OVERRIDE);
    text("2");
    CHECK_INT(view().insp->grade, GRADE_B);
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "grade_override") && !strcmp(a->actor, "2001") &&
          !a->authorised_by[0]);
    confirm_and_save();
    key(KEY_LOGOUT);

    /* Typed input longer than a code can be: refused at Return. */
    login_as("1001");
    char typed[400];
    memset(typed, 'R', 399);
    typed[399] = 0;
    text(typed); /* a wedge scanner's 798 characters, in two events */
    text(typed);
    key(KEY_ENTER);
    CHECK_INT(view().msg, MSG_CODE_TOO_LONG);
    CHECK_INT(view().msg_num, STATION_INPUT_MAX);
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_STR(view().input, "");
}

/* Managing operators at the station is an admin's: a supervisor is
 * refused; an admin unlocks, disables and enables, never their own badge. */
static void test_operators_screen(void)
{
    key(KEY_LOGOUT);
    login_as("2001");
    key(KEY_OPERATORS);
    CHECK_INT(screen(), SCREEN_SCAN);
    CHECK_INT(view().msg, MSG_NOT_ALLOWED);
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "operators_denied") && !strcmp(a->actor, "2001"));
    key(KEY_LOGOUT);
    login_as("3001");
    key(KEY_OPERATORS);
    CHECK_INT(screen(), SCREEN_OPERATORS);
    CHECK_STR(screen_name(screen()), "operators");
    CHECK_INT(view().noperators, 3);
    CHECK_INT(view().operator_index, 0);
    key(KEY_DOWN);
    CHECK_INT(view().operator_index, 1);
    text("u");
    const struct effect *m = find_fx(FX_MANAGE_OPERATOR);
    CHECK(m && !strcmp(m->action, "unlock") && !strcmp(m->subject, "2001") &&
          !strcmp(m->actor, "3001"));
    CHECK(find_fx(FX_AUDIT) == NULL); /* the store audits it */
    fake_ops[1].failures = 0;
    send((struct event){.type = EV_OPERATOR_DONE});
    CHECK_INT(view().msg, MSG_OPERATOR_CHANGED);
    CHECK_STR(view().msg_arg, "2001");
    CHECK_INT(view().operators[1].failures, 0);
    text("d");
    m = find_fx(FX_MANAGE_OPERATOR);
    CHECK(m && !strcmp(m->action, "disable") && !strcmp(m->subject, "2001"));
    fake_ops[1].disabled = true;
    send((struct event){.type = EV_OPERATOR_DONE});
    pick(OPERATORS_PICK_TOGGLE);
    m = find_fx(FX_MANAGE_OPERATOR);
    CHECK(m && !strcmp(m->action, "enable"));
    fake_ops[1].disabled = false;
    /* An error comes back as the store's message. */
    struct event failed = {.type = EV_OPERATOR_DONE, .text = "E156: disk full", .len = 15};
    send(failed);
    CHECK_INT(view().msg, MSG_STORE_ERROR);
    /* Not their own badge. */
    pick(OPERATORS_PICK_ROW + 2);
    text("d");
    CHECK(find_fx(FX_MANAGE_OPERATOR) == NULL);
    CHECK_INT(view().msg, MSG_NOT_ALLOWED);
    key(KEY_ESCAPE);
    CHECK_INT(screen(), SCREEN_SCAN);
    key(KEY_LOGOUT);
    login_as("1001");
}

int main(void)
{
    if (time_parse_rfc3339("2026-11-23T09:00:00Z", &T0) != 0)
        return 1;
    now = T0;
    struct rules *rules;
    char err[256];
    if (!CHECK(rules_load_string(rules_builtin_json, "builtin", &rules, err, sizeof err) == 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    struct station_settings set = {"SH01-S01", 10, LANG_EN, rules};
    struct station_ports ports = {.find_operator = fake_find_operator,
                                  .find_manifest = fake_find_manifest,
                                  .find_inspection = fake_find_inspection,
                                  .list_operators = fake_list_operators};
    st = station_new(&set, &ports);
    test_login();
    test_unknown_code();
    test_grade_phone();
    test_late_mismatch_apparel();
    test_blind_receipt();
    test_save_failure_retry();
    test_plate_reprint_regrade();
    test_roles();
    test_operators_screen();
    test_stats_role_and_idle();
    station_free(st);
    rules_free(rules);
    return harness_done();
}
