/*
 * station.c — the station core's machine: the state table, moving between
 * states, what every screen shares, and the view model.
 *
 * Each screen is a state {entry, run, exit} (station_int.h) whose code lives
 * in station_<screen>.c. station_handle runs the shared part first — idle
 * logout, the language key, logging out — and then the current screen's run
 * (ticks included: the summary retries a failed save on one). A run moves
 * with station_goto(): the old screen's exit, then the new screen's entry,
 * every time.
 */
#include "log.h"
#include "station_int.h"
#include "utf8.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct station_state station_states[SCREEN_COUNT] = {
    [SCREEN_LOGIN] = {login_entry, login_run, login_exit},
    [SCREEN_SCAN] = {NULL, scan_run, NULL},
    [SCREEN_ITEM] = {NULL, item_run, NULL},
    [SCREEN_CHECK] = {check_entry, check_run, NULL},
    [SCREEN_SUMMARY] = {summary_entry, summary_run, NULL},
    [SCREEN_STATS] = {stats_entry, stats_run, stats_exit},
    [SCREEN_RESUME] = {resume_entry, resume_run, NULL},
    [SCREEN_OPERATORS] = {operators_entry, operators_run, NULL},
    [SCREEN_PHOTO] = {photo_entry, photo_run, NULL},
    [SCREEN_SERVICE] = {service_entry, service_run, NULL},
};

static const char *screen_names[SCREEN_COUNT] = {
    "login", "scan", "item", "check", "summary", "stats", "resume", "operators", "photo",
    "service"};

const char *screen_name(enum screen s)
{
    return (unsigned)s < SCREEN_COUNT ? screen_names[s] : "?";
}

int screen_from_name(const char *name)
{
    for (int i = 0; i < SCREEN_COUNT; i++)
        if (name && strcmp(name, screen_names[i]) == 0)
            return i;
    return -1;
}

const char *msg_error_id(enum msg m)
{
    switch (m) {
    case MSG_UNKNOWN_CODE: return "E560";
    case MSG_BAD_PIN: return "E562";
    case MSG_LOCKED: return "E563";
    case MSG_SAVE_FAILED: return "E564";
    case MSG_NOT_ALLOWED: return "E565";
    case MSG_ITEM_MISMATCH: return "E566";
    case MSG_STORE_ERROR: return "E567";
    case MSG_ITEM_WRONG: return "E568";
    case MSG_STATS_BAD_DATE: return "E750";
    case MSG_STATS_REVERSED: return "E751";
    case MSG_STATS_TOO_LONG: return "E752";
    case MSG_CODE_TOO_LONG: return "E569";
    case MSG_PHOTO_FAILED: return "E561";
    case MSG_PHOTO_REQUIRED: return "E555";
    case MSG_CAMERA_MISSING: return "E556";
    default: return "";
    }
}

/* ---- the machine ---------------------------------------------------------- */

static void trace(const struct station *st, enum station_phase p)
{
    if (st->trace)
        st->trace(st->trace_ctx, st->screen, p);
}

void station_goto(struct station *st, enum screen next, struct effects *fx)
{
    assert((unsigned)next < SCREEN_COUNT);
    assert(!st->in_transition && "an entry or exit moved to another screen");
    st->in_transition = true;
    const struct station_state *from = &station_states[st->screen];
    trace(st, PHASE_EXIT);
    if (from->exit)
        from->exit(st, fx);
    st_auth_end(st); /* an authorisation belongs to the screen that asked */
    st->screen = next;
    st_clear_input(st);
    trace(st, PHASE_ENTRY);
    if (station_states[next].entry)
        station_states[next].entry(st, fx);
    st->in_transition = false;
}

bool station_is_supervisor(const struct station *st)
{
    return st->screen != SCREEN_LOGIN &&
           (st->op.role == ROLE_SUPERVISOR || st->op.role == ROLE_ADMIN);
}

void station_set_trace(struct station *st,
                       void (*fn)(void *ctx, enum screen s, enum station_phase p), void *ctx)
{
    st->trace = fn;
    st->trace_ctx = ctx;
}

/* ---- helpers every screen uses ------------------------------------------- */

__attribute__((noinline)) void station_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap) : 0;
    if (n == cap)
        n = utf8_cut(src, cap - 1); /* never half a character */
    if (n)
        memcpy(dst, src, n);
    dst[n] = 0;
}

struct effect *st_emit(struct effects *fx, enum effect_type type)
{
    if (fx->n >= STATION_MAX_FX) {
        assert(!"too many effects for one event");
        return NULL;
    }
    struct effect *e = &fx->fx[fx->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    return e;
}

void st_audit_authorised(const struct station *st, struct effects *fx, const char *action,
                         const char *subject, const char *detail, const char *authorised_by)
{
    struct effect *e = st_emit(fx, FX_AUDIT);
    if (!e)
        return;
    COPY(e->actor, st->op.badge);
    COPY(e->action, action);
    COPY(e->subject, subject);
    COPY(e->detail, detail);
    COPY(e->authorised_by, authorised_by);
}

void st_audit(const struct station *st, struct effects *fx, const char *action,
              const char *subject, const char *detail)
{
    st_audit_authorised(st, fx, action, subject, detail, NULL);
}

void st_say(struct station *st, enum msg m, const char *arg, int num)
{
    st->msg = m;
    COPY(st->msg_arg, arg);
    st->msg_num = num;
    st->msg_detail[0] = 0;
}

void st_reprint(struct station *st, const struct inspection *insp, struct effects *fx)
{
    struct effect *e = st_emit(fx, FX_REPRINT);
    if (e) {
        COPY(e->actor, st->op.badge);
        COPY(e->subject, insp->plate);
    }
    st_audit(st, fx, "reprint", insp->plate, NULL);
    st_say(st, MSG_REPRINTED, insp->plate, 0);
}

void st_clear_input(struct station *st)
{
    st->input_len = 0;
    st->input[0] = 0;
    st->input_overflow = false;
}

static void append_input(struct station *st, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 && c != 0x1d) /* keep GS (GS1 separator), drop other controls */
            continue;
        if (st->input_len >= STATION_INPUT_MAX) {
            st->input_overflow = true; /* never a code cut short: refused at Return */
            continue;
        }
        st->input[st->input_len++] = (char)c;
    }
    st->input[st->input_len] = 0;
}

/* Remove the last UTF-8 character. */
static void backspace_input(struct station *st)
{
    st->input_len = utf8_prev(st->input, st->input_len);
    st->input[st->input_len] = 0;
}

bool st_edit_input(struct station *st, const struct event *ev)
{
    if (ev->type == EV_TEXT) {
        append_input(st, ev->text, ev->len);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_BACKSPACE) {
        backspace_input(st);
        return true;
    }
    return false;
}

const char *st_submitted_code(struct station *st, const struct event *ev, char *buf, size_t cap,
                              size_t *len)
{
    const char *src;
    size_t n;
    if (ev->type == EV_SCAN) {
        src = ev->text;
        n = ev->len;
    } else if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->input_len > 0) {
        src = st->input;
        n = st->input_overflow ? STATION_INPUT_MAX + 1 : st->input_len;
    } else {
        return NULL;
    }
    if (n >= cap) {
        /* Too long for what it is (a badge, a code): refused whole, never
         * used cut short. */
        st_say(st, MSG_CODE_TOO_LONG, NULL, (int)cap - 1);
        st_clear_input(st);
        return NULL;
    }
    memmove(buf, src, n);
    buf[n] = 0;
    *len = n;
    return buf;
}

int st_typed_choice(const struct event *ev)
{
    if (ev->type == EV_PICK)
        return ev->pick;
    if (ev->type == EV_TEXT && ev->len == 1 && ev->text[0] >= '1' && ev->text[0] <= '9')
        return ev->text[0] - '1';
    return -1;
}

/* ---- the inspection in progress ------------------------------------------- */

void st_start_inspection(struct station *st)
{
    memset(&st->insp, 0, sizeof st->insp);
    st->authorised_by[0] = 0;
    for (int i = 0; i < INSP_MAX_ANSWERS; i++)
        st->answers[i] = RULES_PENDING;
    memset(st->step_by_check, 0, sizeof st->step_by_check);
    st->cat = NULL;
    st->check_index = 0;
    st->item_scanned = false;
    st->save_state = SAVE_IDLE;
    COPY(st->insp.station, st->set.station_id);
    COPY(st->insp.operator_badge, st->op.badge);
    COPY(st->insp.rules_version, st->set.rules->version);
    st->insp.started_at = st->now;
}

void st_start_from_existing(struct station *st)
{
    const struct inspection *old = &st->existing;
    st_start_inspection(st);
    COPY(st->insp.rma, old->rma);
    COPY(st->insp.order_id, old->order_id);
    COPY(st->insp.sku, old->sku);
    COPY(st->insp.gtin, old->gtin);
    COPY(st->insp.serial, old->serial);
    COPY(st->insp.description, old->description);
    COPY(st->insp.reason, old->reason);
    st->insp.late = old->late;
    st->insp.mismatch = old->mismatch;
    st->insp.blind = old->blind;
    /* The same item: what was found when it was identified stays true. */
    st->insp.item_check = inspection_item_check(old);
    COPY(st->insp.scanned_item, old->scanned_item);
    st->insp.wrong_item = old->wrong_item;
    st->insp.unit = inspection_unit(old);
    st->insp.units = inspection_units(old);
    st->insp.extra_unit = old->extra_unit;
    st->units_left = 0;
    /* The RMA's manifest row, whatever happens next (Back included). */
    st->has_expected = !old->blind && old->rma[0] &&
                       st->ports.find_manifest(st->ports.ctx, old->rma, &st->expected) == 0;
    if (!st->has_expected)
        memset(&st->expected, 0, sizeof st->expected);
    st->item_scanned = true;
}

/* Late: today is past the delivery date plus the return window. */
static bool is_late(const struct station *st, const char *delivered_at)
{
    int64_t delivered;
    if (!delivered_at || !delivered_at[0] || time_parse_date(delivered_at, &delivered) != 0)
        return false;
    return time_day(st->now) > time_day(delivered) + st->set.rules->return_window_days;
}

void st_start_return(struct station *st, const char *rma, const struct manifest_row *row,
                     int unit, int units, bool extra)
{
    st_start_inspection(st);
    st->insp.unit = unit > 0 ? unit : 1;
    st->insp.units = units > 0 ? units : 1;
    st->insp.extra_unit = extra;
    if (row) {
        st->expected = *row;
        st->has_expected = true;
        COPY(st->insp.rma, row->rma);
        COPY(st->insp.order_id, row->order_id);
        COPY(st->insp.sku, row->sku);
        COPY(st->insp.gtin, row->gtin);
        COPY(st->insp.serial, row->serial);
        COPY(st->insp.description, row->description);
        COPY(st->insp.reason, row->reason);
        st->insp.late = is_late(st, row->delivered_at);
        st_use_category(st, rules_match(st->set.rules, row->sku));
    } else {
        memset(&st->expected, 0, sizeof st->expected);
        st->has_expected = false;
        COPY(st->insp.rma, rma);
        st->insp.blind = true;
        st->insp.item_check = ITEM_CHECK_BLIND;
        st_use_category(st, NULL);
    }
}

void st_reset_item(struct station *st)
{
    struct inspection *in = &st->insp;
    COPY(in->gtin, st->has_expected ? st->expected.gtin : "");
    COPY(in->serial, st->has_expected ? st->expected.serial : "");
    in->scanned_item[0] = 0;
    in->mismatch = false;
    if (in->wrong_item && st->has_expected)
        st_use_category(st, rules_match(st->set.rules, st->expected.sku));
    in->wrong_item = false;
    in->item_check = in->blind ? ITEM_CHECK_BLIND : ITEM_CHECK_NONE;
    st->item_scanned = false;
}

/* ---- the checklist ----------------------------------------------------------- */

void st_facts(const struct station *st, struct rules_facts *out)
{
    memset(out, 0, sizeof *out);
    out->cat = st->cat;
    out->answers = st->answers;
    out->item_check = inspection_item_check(&st->insp);
    out->late = st->insp.late;
    out->reason = st->insp.reason;
    out->responsibility = st->insp.responsibility;
}

void st_compact_answers(const struct station *st, int upto, struct inspection *in)
{
    in->nanswers = 0;
    in->nskipped = 0;
    memset(in->step_ms, 0, sizeof in->step_ms);
    for (int i = 0; st->cat && i < upto && i < st->cat->nchecks; i++) {
        const struct rules_check *chk = &st->cat->checks[i];
        int a = st->answers[i];
        if (a >= 0 && a < chk->nanswers) {
            struct answer_ref *ref = &in->answers[in->nanswers];
            COPY(ref->check, chk->id);
            COPY(ref->answer, chk->answers[a].id);
            in->step_ms[in->nanswers++] = st->step_by_check[i];
        } else if (a == RULES_SKIPPED) {
            COPY(in->skipped[in->nskipped++], chk->id);
        }
    }
}

int st_last_answered(const struct station *st, int before)
{
    for (int i = before - 1; i >= 0; i--)
        if (st->answers[i] >= 0)
            return i;
    return -1;
}

/* ---- drafts ----------------------------------------------------------------- */

void st_draft_keep(struct station *st, struct effects *fx)
{
    if (st->insp.calibrates[0] || !st->cat)
        return; /* a blind re-grade left unfinished stays due for someone else */
    struct draft *d = &st->draft_out;
    memset(d, 0, sizeof *d);
    d->insp = st->insp;
    struct inspection *in = &d->insp;
    int n = st->check_index < st->cat->nchecks ? st->check_index : st->cat->nchecks;
    if (st->screen == SCREEN_SUMMARY)
        n = st->cat->nchecks;
    st_compact_answers(st, n, in);
    in->ndefects = 0;
    in->grade = GRADE_NONE;
    d->expected = st->expected;
    d->has_expected = st->has_expected;
    d->item_scanned = st->item_scanned;
    d->saved_at = st->now;
    struct effect *e = st_emit(fx, FX_DRAFT_SAVE);
    if (e) {
        COPY(e->actor, st->op.badge);
        e->draft = d;
        st->draft_kept = true;
    }
}

void st_draft_drop(struct station *st, struct effects *fx)
{
    if (!st->draft_kept)
        return;
    struct effect *e = st_emit(fx, FX_DRAFT_DROP);
    if (e)
        COPY(e->actor, st->op.badge);
    st->draft_kept = false;
}

void st_use_category(struct station *st, const struct rules_category *cat)
{
    st->cat = cat;
    COPY(st->insp.category, cat ? cat->id : "");
}

/* ---- what every screen shares ---------------------------------------------- */

struct station *station_new(const struct station_settings *settings,
                            const struct station_ports *ports)
{
    assert(settings && settings->rules && ports);
    struct station *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->set = *settings;
    st->ports = *ports;
    st->lang = settings->lang;
    st->stats_period = PERIOD_7D;
    st->screen = SCREEN_LOGIN;
    struct effects fx = {0};
    station_states[SCREEN_LOGIN].entry(st, &fx); /* the first state */
    return st;
}

void station_free(struct station *st)
{
    if (st) {
        memset(st->pin, 0, sizeof st->pin);
        memset(st->auth_pin, 0, sizeof st->auth_pin);
    }
    free(st);
}

enum screen station_screen(const struct station *st) { return st->screen; }

bool station_has_unsaved(const struct station *st) { return st->save_state != SAVE_IDLE; }

static int64_t idle_deadline(const struct station *st)
{
    if (st->screen == SCREEN_LOGIN || st->set.idle_logout_min <= 0 || st->save_state != SAVE_IDLE)
        return INT64_MAX;
    return st->last_activity + (int64_t)st->set.idle_logout_min * 60000;
}

int64_t station_next_deadline(const struct station *st)
{
    int64_t t = idle_deadline(st);
    if (st->save_state == SAVE_FAILED && st->retry_at < t)
        t = st->retry_at;
    return t;
}

static void logout(struct station *st, struct effects *fx, const char *why)
{
    char detail[128] = "";
    /* What is kept for the grader's next login. */
    if (st->draft_kept)
        snprintf(detail, sizeof detail, "unfinished inspection of %s kept", st->insp.rma);
    st_audit(st, fx, why, NULL, detail);
    st->confirm_logout = false;
    st->draft_kept = false;
    station_goto(st, SCREEN_LOGIN, fx);
}

/* Whether logging out now leaves an inspection in the middle: then F12 asks. */
static bool inspection_in_progress(const struct station *st)
{
    return st->draft_kept && (st->screen == SCREEN_ITEM || st->screen == SCREEN_CHECK ||
                              st->screen == SCREEN_PHOTO || st->screen == SCREEN_SUMMARY);
}

/* F12 asked; Return or F12 log out (the inspection is kept), Escape goes on.
 * Nothing else is taken meanwhile. */
static bool confirming_logout(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_ENTER:
    case KEY_LOGOUT:
        logout(st, fx, "logout");
        return true;
    case KEY_ESCAPE:
        st->confirm_logout = false;
        return true;
    default:
        return false;
    }
}

bool station_handle(struct station *st, const struct event *ev, struct effects *fx)
{
    fx->n = 0;
    if (ev->now > st->now)
        st->now = ev->now;
    /* Time passed: the idle logout is everybody's; anything else due (a
     * save to retry) is the screen's. */
    if (ev->type == EV_TICK && st->now >= idle_deadline(st)) {
        logout(st, fx, "idle_logout");
        st_say(st, MSG_LOGGED_OUT, NULL, 0);
        return true;
    }

    bool input = ev->type == EV_SCAN || ev->type == EV_TEXT || ev->type == EV_KEY ||
                 ev->type == EV_PICK || ev->type == EV_SCROLL;
    if (input) {
        st->last_activity = st->now;
        /* A message stays until the next thing the grader does. */
        if (st->msg != MSG_NONE && st->save_state != SAVE_FAILED)
            st->msg = MSG_NONE;
    }
    if (ev->type == EV_KEY && ev->key == KEY_LANG) {
        st->lang = st->lang == LANG_EN ? LANG_ZH : LANG_EN;
        return true;
    }
    if (st->confirm_logout)
        return confirming_logout(st, ev, fx) || input;
    if (ev->type == EV_KEY && ev->key == KEY_LOGOUT && st->screen != SCREEN_LOGIN &&
        st->save_state == SAVE_IDLE) {
        if (inspection_in_progress(st))
            st->confirm_logout = true;
        else
            logout(st, fx, "logout");
        return true;
    }
    if (ev->type == EV_AUTHORISED)
        return false; /* the core's own: never from outside */
    if (ev->type == EV_CAMERA) {
        /* The camera's state is everybody's; the photo screen shows it. */
        COPY(st->camera_error, ev->text);
        return st->screen == SCREEN_PHOTO;
    }
    /* An authorisation panel is up: it takes the event first. */
    if (st->auth_action != AUTH_NONE)
        return auth_run(st, ev, fx) || input;
    trace(st, PHASE_RUN);
    bool changed = station_states[st->screen].run(st, ev, fx);
    return changed || input;
}

void station_view(const struct station *st, struct view *v)
{
    memset(v, 0, sizeof *v);
    v->screen = st->screen;
    v->lang = st->lang;
    v->station_id = st->set.station_id;
    v->op = st->screen != SCREEN_LOGIN ? &st->op : NULL;
    v->msg = st->msg;
    v->msg_is_error = msg_error_id(st->msg)[0] != 0;
    memcpy(v->msg_arg, st->msg_arg, sizeof v->msg_arg);
    v->msg_num = st->msg_num;
    memcpy(v->msg_detail, st->msg_detail, sizeof v->msg_detail);
    v->input = st->input;
    v->login_step = st->login_step;
    v->pin_len = st->pin_len;
    v->login_badge = st->badge;
    v->auth_action = st->auth_action;
    v->auth_step = st->auth_step;
    v->auth_subject = st->auth_subject;
    v->auth_input = st->auth_step == AUTH_STEP_BADGE ? st->input : st->auth_badge;
    v->auth_pin_len = st->auth_pin_len;
    v->insp = &st->insp;
    v->expected = st->has_expected ? &st->expected : NULL;
    bool on_item = st->screen == SCREEN_ITEM;
    v->picking_category = on_item && st->item_step == ITEM_PICK_CATEGORY;
    v->item_scanned = st->item_scanned;
    v->category = st->cat;
    v->rules = st->set.rules;
    v->existing = on_item && st->item_step == ITEM_EXISTING ? &st->existing : NULL;
    v->all_units_graded = v->existing && st->existing_all_graded;
    v->units_left = st->units_left;
    v->confirm_logout = st->confirm_logout;
    v->draft = st->screen == SCREEN_RESUME ? &st->resume : NULL;
    v->check_index = st->check_index;
    if (st->cat) {
        struct rules_facts f;
        st_facts(st, &f);
        v->check_count = rules_expected_checks(st->set.rules, &f);
        v->check_pos = 1;
        for (int i = 0; i < st->check_index && i < st->cat->nchecks; i++)
            v->check_pos += st->answers[i] >= 0;
    }
    v->answers = st->answers;
    v->result = &st->result;
    v->asking_override = st->screen == SCREEN_SUMMARY && st->save_state == SAVE_IDLE &&
                         st->summary_step == SUMMARY_OVERRIDE_REASON;
    v->save_state = st->save_state;
    v->overriding_grade = st->screen == SCREEN_SUMMARY && st->summary_step == SUMMARY_PICK_GRADE;
    v->rules_grade = st->result.grade;
    v->authorised_by = st->authorised_by;
    memcpy(v->last_plate, st->last_plate, sizeof v->last_plate);
    v->saved_count = st->saved_count;
    /* A blind re-grade in progress: its first grade is never shown. */
    v->calibrating = (on_item || st->screen == SCREEN_CHECK || st->screen == SCREEN_PHOTO ||
                      st->screen == SCREEN_SUMMARY) &&
                     st->insp.calibrates[0] != 0;
    v->stats_period = st->stats_period;
    v->stats_range = st->stats_range;
    v->stats_range_ok = st->stats_range_ok;
    v->stats_page = st->stats_page;
    v->stats_dim = st->stats_dim;
    v->stats_key = st->stats_key;
    v->stats_scroll =
        st->stats_level == STATS_CHARTS ? st->stats_chart_scroll : st->stats_list_scroll;
    v->stats_detail = st->stats_level == STATS_DETAIL ? &st->stats_detail : NULL;
    if (st->screen == SCREEN_PHOTO && st->cat && st->photo_check >= 0 &&
        st->photo_check < st->cat->nchecks && st->answers[st->photo_check] >= 0) {
        v->photo_check = &st->cat->checks[st->photo_check];
        v->photo_answer = &v->photo_check->answers[st->answers[st->photo_check]];
        v->photo_required = v->photo_answer->photo == 2;
        v->photo_taken = st_photo_of(st, st->photo_check);
        v->photo_taking = st->photo_step == PHOTO_TAKING;
        v->photo_waivable = v->photo_required && st_camera_fails(st);
    }
    v->camera_error = st->camera_error;
    v->data_dir = st->set.data_dir;
    v->operators = st->ops;
    v->noperators = st->nops;
    v->operator_index = st->op_index;
    v->now = st->now;
    v->service = st->service_have ? &st->service : NULL;
    v->service_busy = st->service_busy;
    v->service_scroll = st->service_scroll;
}
