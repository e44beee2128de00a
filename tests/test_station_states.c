/*
 * test_station_states.c — the station core as a state machine: the state
 * table, the exact entry/run/exit sequence of transitions, sub-states that
 * are left and entered again, the PIN check as an effect and an event
 * (FX_CHECK_PIN → EV_LOGIN_RESULT), and the service screen's checks the same
 * way (FX_SELFCHECK → EV_SELFCHECK_DONE). Pure: the core alone, look-ups
 * from tables.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "rules.h"
#include "station.h"
#include "station_int.h"

static struct station *st;
static struct effects fx;
static int64_t now;

/* ---- the trace: "run:login exit:login entry:scan" ------------------------ */

static char trace_buf[1024];

static void on_trace(void *ctx, enum screen s, enum station_phase p)
{
    (void)ctx;
    static const char *const phase[] = {"entry", "run", "exit"};
    size_t n = strlen(trace_buf);
    snprintf(trace_buf + n, sizeof trace_buf - n, "%s%s:%s", n ? " " : "", phase[p],
             screen_name(s));
}

/* The phases the last event went through, then forget them. */
static const char *took(void)
{
    static char last[sizeof trace_buf];
    snprintf(last, sizeof last, "%s", trace_buf);
    trace_buf[0] = 0;
    return last;
}

/* ---- look-ups ---------------------------------------------------------- */

static int find_operator(void *ctx, const char *badge, struct operator_info *op)
{
    (void)ctx;
    if (strcmp(badge, "1001") && strcmp(badge, "2001"))
        return strcmp(badge, "BROKEN") ? 1 : -1;
    memset(op, 0, sizeof *op);
    snprintf(op->badge, sizeof op->badge, "%s", badge);
    snprintf(op->name, sizeof op->name, "%s", badge[0] == '1' ? "Ana" : "Sam");
    return 0;
}

static int find_manifest(void *ctx, const char *rma, struct manifest_row *out)
{
    (void)ctx;
    if (strcmp(rma, "RMA-1001"))
        return 1;
    memset(out, 0, sizeof *out);
    snprintf(out->rma, sizeof out->rma, "RMA-1001");
    snprintf(out->sku, sizeof out->sku, "PH-IP15-128");
    snprintf(out->gtin, sizeof out->gtin, "0195949038488");
    return 0;
}

static int find_inspection(void *ctx, const char *plate, struct inspection *out)
{
    (void)ctx;
    if (strcmp(plate, "SH01-S01-000001"))
        return 1;
    memset(out, 0, sizeof *out);
    snprintf(out->plate, sizeof out->plate, "%s", plate);
    snprintf(out->rma, sizeof out->rma, "RMA-1001");
    snprintf(out->sku, sizeof out->sku, "PH-IP15-128");
    snprintf(out->category, sizeof out->category, "phone");
    snprintf(out->operator_badge, sizeof out->operator_badge, "1001");
    return 0;
}

/* ---- events -------------------------------------------------------------- */

static void send(struct event ev)
{
    ev.now = now;
    station_handle(st, &ev, &fx);
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
    snprintf(ev.text, sizeof ev.text, "%s", s);
    ev.len = strlen(ev.text);
    send(ev);
}
static void login_result(enum login_result r, const char *badge, enum role role)
{
    struct event ev = {.type = EV_LOGIN_RESULT, .purpose = PIN_LOGIN, .login = r, .tries_left = 2,
                       .locked_until = now + 4 * 60000 + 1};
    snprintf(ev.op.badge, sizeof ev.op.badge, "%s", badge);
    snprintf(ev.op.name, sizeof ev.op.name, "%s", badge[0] == '1' ? "Ana" : "Sam");
    ev.op.role = role;
    send(ev);
}

static int count_fx(enum effect_type t)
{
    int n = 0;
    for (int i = 0; i < fx.n; i++)
        n += fx.fx[i].type == t;
    return n;
}

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

/* ---- the table ------------------------------------------------------------ */

static void test_table(void)
{
    /* Every screen is a state with a run; only screens that keep something
     * to set up or put away have an entry or an exit. */
    for (int s = 0; s < SCREEN_COUNT; s++)
        CHECK(station_states[s].run != NULL);
    CHECK(station_states[SCREEN_LOGIN].entry && station_states[SCREEN_LOGIN].exit);
    CHECK(station_states[SCREEN_CHECK].entry && station_states[SCREEN_SUMMARY].entry);
    CHECK(station_states[SCREEN_STATS].entry && station_states[SCREEN_STATS].exit);
    CHECK(station_states[SCREEN_SERVICE].entry && !station_states[SCREEN_SERVICE].exit);
    CHECK_INT(screen_from_name("service"), SCREEN_SERVICE);
}

/* ---- login: FX_CHECK_PIN → EV_LOGIN_RESULT ----------------------------- */

static void test_pin_check(void)
{
    CHECK_INT(station_screen(st), SCREEN_LOGIN);
    scan("1001");
    CHECK_STR(took(), "run:login");
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);
    text("2468");
    key(KEY_ENTER);
    CHECK_STR(took(), "run:login run:login");
    /* The PIN leaves the core in one effect, and nothing else happens. */
    CHECK_INT(fx.n, 1);
    const struct effect *c = find_fx(FX_CHECK_PIN);
    CHECK(c && !strcmp(c->actor, "1001") && !strcmp(c->pin, "2468"));
    CHECK_INT(view().login_step, LOGIN_STEP_CHECKING);
    CHECK_INT(view().pin_len, 0);

    /* Checking: input is ignored, an answer for another badge too. */
    text("9");
    key(KEY_ESCAPE);
    scan("2001");
    key(KEY_ENTER);
    CHECK_INT(fx.n, 0);
    CHECK_INT(view().login_step, LOGIN_STEP_CHECKING);
    login_result(LOGIN_OK, "2001", ROLE_SUPERVISOR);
    CHECK_INT(station_screen(st), SCREEN_LOGIN);
    CHECK_INT(view().login_step, LOGIN_STEP_CHECKING);

    /* A wrong PIN: back to the PIN, without the tries left (an unknown
     * badge has none to show). No audit here: the check writes its own row. */
    login_result(LOGIN_BAD_PIN, "1001", ROLE_GRADER);
    CHECK_STR(took(), "run:login run:login run:login run:login run:login run:login");
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);
    CHECK_INT(view().msg, MSG_BAD_PIN);
    CHECK_INT(view().msg_num, 0);
    CHECK_INT(count_fx(FX_BEEP_ERROR), 1);
    CHECK_INT(count_fx(FX_AUDIT), 0);

    /* Locked: minutes until the lock lifts, rounded up. */
    text("1");
    key(KEY_ENTER);
    login_result(LOGIN_LOCKED, "1001", ROLE_GRADER);
    CHECK_INT(view().msg, MSG_LOCKED);
    CHECK_INT(view().msg_num, 5);
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);

    /* The store failed: say so, keep the badge. */
    text("1");
    key(KEY_ENTER);
    login_result(LOGIN_ERROR, "1001", ROLE_GRADER);
    CHECK_INT(view().msg, MSG_STORE_ERROR);
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);

    /* An unknown badge: exactly what a wrong PIN gets. */
    text("1");
    key(KEY_ENTER);
    login_result(LOGIN_UNKNOWN_BADGE, "1001", ROLE_GRADER);
    CHECK_INT(view().msg, MSG_BAD_PIN);
    CHECK_INT(view().msg_num, 0);
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);

    /* An answer nobody waits for changes nothing; nor does an answer to an
     * authorisation. */
    key(KEY_ESCAPE);
    login_result(LOGIN_OK, "1001", ROLE_GRADER);
    CHECK_INT(station_screen(st), SCREEN_LOGIN);
    CHECK_INT(view().login_step, LOGIN_STEP_BADGE);
    scan("1001");
    text("2468");
    key(KEY_ENTER);
    struct event other = {.type = EV_LOGIN_RESULT, .purpose = PIN_AUTHORISE, .login = LOGIN_OK};
    snprintf(other.op.badge, sizeof other.op.badge, "1001");
    send(other);
    CHECK_INT(station_screen(st), SCREEN_LOGIN);
    CHECK_INT(view().login_step, LOGIN_STEP_CHECKING);
    login_result(LOGIN_BAD_PIN, "1001", ROLE_GRADER);
    key(KEY_ESCAPE);
    /* Any badge is asked for its PIN: the screen never looks it up. */
    scan("BROKEN");
    CHECK_INT(view().msg, MSG_NONE);
    CHECK_INT(view().login_step, LOGIN_STEP_PIN);
    key(KEY_ESCAPE);

    /* Right: login's exit, then scan's entry (scan has none to call). */
    scan("1001");
    text("2468");
    key(KEY_ENTER);
    took();
    login_result(LOGIN_OK, "1001", ROLE_GRADER);
    CHECK_STR(took(), "run:login exit:login entry:scan");
    CHECK_INT(station_screen(st), SCREEN_SCAN);
    CHECK_INT(fx.n, 0); /* no audit: one login, one row, written by the check */
    CHECK(view().op && !strcmp(view().op->badge, "1001"));
}

/* ---- one inspection, screen by screen ------------------------------------ */

static void test_inspection_sequence(void)
{
    scan("RMA-1001");
    CHECK_STR(took(), "run:scan exit:scan entry:item");
    scan("0195949038488");
    CHECK_STR(took(), "run:item exit:item entry:check");
    /* Escape on the first question: back to the item, a fresh entry. */
    key(KEY_ESCAPE);
    CHECK_STR(took(), "run:check exit:check entry:item");
    key(KEY_ENTER);
    CHECK_STR(took(), "run:item exit:item entry:check");
    for (int i = 0; i < 4; i++)
        text("1");
    CHECK_STR(took(), "run:check run:check run:check run:check");
    text("1");
    CHECK_STR(took(), "run:check exit:check entry:summary");
    /* Escape from the summary re-enters the last question. */
    key(KEY_ESCAPE);
    CHECK_STR(took(), "run:summary exit:summary entry:check");
    CHECK_INT(view().check_index, 6); /* the box: the carton and the seal were not asked */
    text("1");
    took();
    key(KEY_ENTER);
    CHECK_STR(took(), "run:summary");
    CHECK_INT(count_fx(FX_SAVE), 1);
    /* A failed save: a tick reaches the summary's run, which retries. */
    send((struct event){.type = EV_SAVE_FAILED, .text = "E201: disk full", .len = 15});
    CHECK_STR(took(), "run:summary");
    now += STATION_SAVE_RETRY_MS;
    send((struct event){.type = EV_TICK});
    CHECK_STR(took(), "run:summary");
    CHECK_INT(count_fx(FX_SAVE), 1);
    struct event ok = {.type = EV_SAVED, .seq = 1, .plate = "SH01-S01-000001"};
    send(ok);
    CHECK_STR(took(), "run:summary exit:summary entry:scan");
    /* Saved: a beep, and no print: the commit queued the label. */
    CHECK_INT(fx.n, 1);
    CHECK_INT(count_fx(FX_BEEP_OK), 1);
    CHECK_INT(count_fx(FX_REPRINT), 0);

    /* A saved plate: the item screen's EXISTING step; reprint, then back. */
    scan("SH01-S01-000001");
    CHECK_STR(took(), "run:scan exit:scan entry:item");
    CHECK(view().existing != NULL);
    key(KEY_REPRINT);
    CHECK_STR(took(), "run:item");
    const struct effect *r = find_fx(FX_REPRINT);
    CHECK(r && !strcmp(r->subject, "SH01-S01-000001") && !strcmp(r->actor, "1001"));
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "reprint") && !strcmp(a->actor, "1001") &&
          !strcmp(a->subject, "SH01-S01-000001") && !a->detail[0]);
    key(KEY_ESCAPE);
    CHECK_STR(took(), "run:item exit:item entry:scan");
    CHECK(view().existing == NULL);
}

/* ---- the shared part: no run of the screen ------------------------------- */

static void test_shared(void)
{
    key(KEY_LANG);
    CHECK_STR(took(), "");
    key(KEY_LANG);
    took();
    /* F2 by a grader: refused in scan's run, no transition. */
    key(KEY_STATS);
    CHECK_STR(took(), "run:scan");
    CHECK_INT(view().msg, MSG_NOT_ALLOWED);
    /* Logging out is everybody's: the screen's exit, login's entry. */
    key(KEY_LOGOUT);
    CHECK_STR(took(), "exit:scan entry:login");
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "logout") && !strcmp(a->actor, "1001") && !a->subject[0]);
}

/* ---- stats: entry and exit own the drill-down --------------------------- */

static void test_stats_entry_exit(void)
{
    scan("2001");
    text("1357");
    key(KEY_ENTER);
    login_result(LOGIN_OK, "2001", ROLE_SUPERVISOR);
    took();
    key(KEY_STATS);
    CHECK_STR(took(), "run:scan exit:scan entry:stats");
    /* The entry audits the visit and asks for the numbers. */
    const struct effect *a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "stats_opened") && !strcmp(a->actor, "2001"));
    CHECK_INT(count_fx(FX_STATS_QUERY), 1);
    pick(STATS_PICK_PAGE + PAGE_GRADERS, "");
    pick(STATS_PICK_BAR + SD_GRADE, "B");
    pick(STATS_PICK_ROW, "SH01-S01-000001");
    CHECK_STR(took(), "run:stats run:stats run:stats");
    CHECK(view().stats_detail != NULL);
    CHECK_INT(view().stats_dim, SD_GRADE);
    /* F2 from the detail: the exit drops the drill-down ... */
    key(KEY_STATS);
    CHECK_STR(took(), "run:stats exit:stats entry:scan");
    /* ... so the next visit starts at the overview's charts. */
    key(KEY_STATS);
    CHECK_STR(took(), "run:scan exit:scan entry:stats");
    CHECK(view().stats_detail == NULL);
    CHECK_INT(view().stats_dim, SD_NONE);
    CHECK_INT(view().stats_page, PAGE_OVERVIEW);
    /* Escape steps back one level at a time, then leaves. */
    pick(STATS_PICK_BAR + SD_GRADE, "B");
    pick(STATS_PICK_ROW, "SH01-S01-000001");
    took();
    key(KEY_ESCAPE);
    CHECK(view().stats_detail == NULL && view().stats_dim == SD_GRADE);
    key(KEY_ESCAPE);
    CHECK_INT(view().stats_dim, SD_NONE);
    key(KEY_ESCAPE);
    CHECK_STR(took(), "run:stats run:stats run:stats exit:stats entry:scan");
    /* Idle logout is everybody's too: on a tick, without the screen's run. */
    now += 10 * 60000;
    send((struct event){.type = EV_TICK});
    CHECK_STR(took(), "exit:scan entry:login");
    a = find_fx(FX_AUDIT);
    CHECK(a && !strcmp(a->action, "idle_logout") && !strcmp(a->actor, "2001"));
}

/* ---- service: admins only, its checks an effect and an event ------------ */

static void log_in(const char *badge, enum role role)
{
    scan(badge);
    text("1357");
    key(KEY_ENTER);
    login_result(LOGIN_OK, badge, role);
    took();
}

/* A report of n lines: I850, W851, E852, … (the letter by i % 3). */
static struct service_report report(int n)
{
    struct service_report r = {.n = n, .at = now};
    for (int i = 0; i < n && i < SERVICE_MAX_LINES; i++) {
        snprintf(r.lines[i].id, sizeof r.lines[i].id, "%c%d", "IWE"[i % 3], 850 + i % 10);
        snprintf(r.lines[i].what, sizeof r.lines[i].what, "check %d", i);
        snprintf(r.lines[i].text, sizeof r.lines[i].text, "found %d", i);
        r.failed += i % 3 == 2;
    }
    return r;
}

static void checks_done(const struct service_report *r)
{
    send((struct event){.type = EV_SELFCHECK_DONE, .selfcheck = r});
}

static void test_service(void)
{
    /* Who may open it: one row per role; the others are refused in scan's
     * run (audited, E565), with no transition and no checks asked. */
    static const struct {
        const char *badge;
        enum role role;
        bool opens;
    } who[] = {
        {"1001", ROLE_GRADER, false},
        {"2001", ROLE_SUPERVISOR, false},
        {"2001", ROLE_ADMIN, true},
    };
    for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
        log_in(who[i].badge, who[i].role);
        key(KEY_SERVICE);
        const struct effect *a = find_fx(FX_AUDIT);
        if (!CHECK(a && !strcmp(a->actor, who[i].badge) &&
                   !strcmp(a->action, who[i].opens ? "service_opened" : "service_denied")))
            fprintf(stderr, "  row %zu\n", i + 1);
        CHECK_INT(count_fx(FX_SELFCHECK), who[i].opens ? 1 : 0);
        CHECK_STR(took(), who[i].opens ? "run:scan exit:scan entry:service" : "run:scan");
        CHECK_INT(view().msg, who[i].opens ? MSG_NONE : MSG_NOT_ALLOWED);
        if (!who[i].opens)
            key(KEY_LOGOUT);
    }
    CHECK_STR(screen_name(station_screen(st)), "service");

    /* Checking: nothing to show yet; asking again asks nothing more. */
    CHECK(view().service == NULL && view().service_busy);
    key(KEY_ENTER);
    text("r");
    pick(SERVICE_PICK_REFRESH, "");
    CHECK_INT(count_fx(FX_SELFCHECK), 0);
    /* The answer: its lines, copied (the sender's buffer may go). */
    struct service_report r = report(12);
    checks_done(&r);
    CHECK_STR(took(), "run:service run:service run:service run:service");
    memset(&r, 0, sizeof r);
    CHECK(!view().service_busy && view().service != NULL);
    CHECK_INT(view().service->n, 12);
    CHECK_INT(view().service->failed, 4);
    CHECK_STR(view().service->lines[2].id, "E852");
    CHECK_STR(view().service->lines[11].text, "found 11");
    /* Again: R, Return or the button, once each while none runs; the last
     * lines stay while it runs. */
    text("R");
    CHECK_INT(count_fx(FX_SELFCHECK), 1);
    CHECK(view().service_busy && view().service && view().service->n == 12);
    r = report(3);
    checks_done(&r);
    pick(SERVICE_PICK_REFRESH, "");
    CHECK_INT(count_fx(FX_SELFCHECK), 1);
    r = report(12);
    checks_done(&r);
    key(KEY_ENTER);
    CHECK_INT(count_fx(FX_SELFCHECK), 1);
    checks_done(&r);
    /* Scrolling stays on the lines. */
    static const struct {
        enum event_type type;
        enum key key;
        int by;
        int scroll;
    } moves[] = {
        {EV_KEY, KEY_UP, 0, 0},        {EV_KEY, KEY_DOWN, 0, 1},     {EV_KEY, KEY_PAGEDOWN, 0, 9},
        {EV_KEY, KEY_PAGEDOWN, 0, 11}, {EV_SCROLL, KEY_NONE, -3, 8}, {EV_SCROLL, KEY_NONE, -40, 0},
        {EV_KEY, KEY_PAGEUP, 0, 0},
    };
    for (size_t i = 0; i < sizeof moves / sizeof *moves; i++) {
        send((struct event){.type = moves[i].type, .key = moves[i].key, .pick = moves[i].by});
        if (!CHECK_INT(view().service_scroll, moves[i].scroll))
            fprintf(stderr, "  move %zu\n", i + 1);
    }
    /* A check that could not run: no lines, nothing busy. */
    text("r");
    checks_done(NULL);
    CHECK(!view().service_busy);
    took();
    /* Escape (or F6) goes back; an answer that comes later is the scan
     * screen's to ignore, and the next visit checks afresh. */
    text("r");
    key(KEY_SERVICE);
    CHECK_STR(took(), "run:service run:service exit:service entry:scan");
    checks_done(&r);
    CHECK_STR(took(), "run:scan");
    CHECK_INT(station_screen(st), SCREEN_SCAN);
    key(KEY_SERVICE);
    CHECK(view().service == NULL && view().service_busy);
    CHECK_INT(view().service_scroll, 0);
    CHECK_INT(count_fx(FX_SELFCHECK), 1);
    key(KEY_ESCAPE);
    CHECK_STR(took(), "run:scan exit:scan entry:service run:service exit:service entry:scan");
    key(KEY_LOGOUT);
    took();
}

/* Who may do what alone (st_may): one row per role, action and owner. The
 * drafts' discard follows the same rule as a re-grade. */
static void test_may(void)
{
    static const struct {
        enum role role;
        enum auth_action action;
        const char *owner; /* NULL: none */
        bool may;
    } rows[] = {
        {ROLE_GRADER, AUTH_REGRADE, "1001", true},          /* 1: own outcome */
        {ROLE_GRADER, AUTH_REGRADE, "1002", false},         /* 2: another's */
        {ROLE_GRADER, AUTH_REGRADE, "", false},             /* 3: nobody's */
        {ROLE_GRADER, AUTH_DISCARD_DRAFT, "1001", true},    /* 4: own draft */
        {ROLE_GRADER, AUTH_DISCARD_DRAFT, "1002", false},   /* 5: another's draft */
        {ROLE_GRADER, AUTH_OVERRIDE_GRADE, NULL, false},    /* 6: never alone */
        {ROLE_SUPERVISOR, AUTH_REGRADE, "1002", true},      /* 7 */
        {ROLE_SUPERVISOR, AUTH_DISCARD_DRAFT, "1002", true},/* 8 */
        {ROLE_SUPERVISOR, AUTH_OVERRIDE_GRADE, NULL, true}, /* 9 */
        {ROLE_ADMIN, AUTH_REGRADE, "1002", true},           /* 10 */
        {ROLE_ADMIN, AUTH_OVERRIDE_GRADE, NULL, true},      /* 11 */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct station s;
        memset(&s, 0, sizeof s);
        snprintf(s.op.badge, sizeof s.op.badge, "1001");
        s.op.role = rows[i].role;
        if (!CHECK_INT(st_may(&s, rows[i].action, rows[i].owner), rows[i].may))
            fprintf(stderr, "  row %zu\n", i + 1);
    }
    CHECK_STR(auth_action_name(AUTH_DISCARD_DRAFT), "discard_draft");
    CHECK_STR(auth_action_name(AUTH_NONE), "");
}

int main(void)
{
    if (time_parse_rfc3339("2026-11-23T09:00:00Z", &now) != 0)
        return 1;
    struct rules *rules;
    char err[256];
    if (!CHECK(rules_load_string(rules_builtin_json, "builtin", &rules, err, sizeof err) == 0)) {
        fprintf(stderr, "%s\n", err);
        return harness_done();
    }
    struct station_settings set = {.station_id = "SH01-S01", .idle_logout_min = 10,
                                   .lang = LANG_EN, .rules = rules};
    struct station_ports ports = {.find_operator = find_operator,
                                  .find_manifest = find_manifest,
                                  .find_inspection = find_inspection};
    st = station_new(&set, &ports);
    station_set_trace(st, on_trace, NULL);
    test_table();
    test_pin_check();
    test_inspection_sequence();
    test_shared();
    test_stats_entry_exit();
    test_service();
    test_may();
    station_free(st);
    rules_free(rules);
    return harness_done();
}
