/*
 * station.c — the station core: one state a screen, pure C.
 *
 * Each screen is a state with an `entry` (run once when the screen is entered)
 * and a `run` (one event in, effects out). Transitions happen only through
 * station_goto(). What all screens share — the clock, idle logout, save
 * retries, the language key, logging out — is handled before the screen's
 * own `run`.
 */
#include "station.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "log.h"

struct station {
    struct station_settings set;
    struct station_ports ports;
    enum screen screen;
    enum lang lang;
    int64_t now;
    int64_t last_activity;

    bool logged_in;
    struct operator_info op;

    /* login */
    enum login_step login_step;
    char badge[64];
    char badge_name[64];
    char pin[16];
    int pin_len;

    /* typed or wedge input not yet submitted */
    char input[STATION_INPUT_MAX + 1];
    size_t input_len;

    enum msg msg;
    char msg_arg[256];
    int msg_num;

    /* the inspection in progress */
    struct inspection insp;
    struct manifest_row expected;
    bool has_expected;
    bool picking_category;
    bool item_scanned;
    const struct rules_category *cat;
    int check_index;
    int answers[INSP_MAX_ANSWERS];
    struct grade_result result;
    enum save_state save_state;
    int64_t retry_at;

    /* a plate scanned on the scan screen */
    struct inspection existing;
    bool has_existing;

    char last_plate[48];
    int saved_count;

    /* time per checklist step: when the current question appeared */
    int64_t step_started;
    /* a blind re-grade (calibration) is in progress */
    bool calibrating;

    /* stats screen */
    enum stats_period stats_period;
    struct stats_range stats_custom;
    bool stats_custom_set;
    struct stats_range stats_range;
    bool stats_range_ok;
    enum stats_page stats_page;
    enum stats_dim stats_dim;
    char stats_key[64];
    struct inspection stats_detail;
    bool has_stats_detail;
};

struct state {
    void (*entry)(struct station *st);
    bool (*run)(struct station *st, const struct event *ev, struct effects *fx);
};

static const struct state states[SCREEN_COUNT];

static const char *screen_names[SCREEN_COUNT] = {"login", "scan", "item", "check", "summary",
                                                 "stats"};

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
    case MSG_UNKNOWN_BADGE: return "E561";
    case MSG_BAD_PIN: return "E562";
    case MSG_LOCKED: return "E563";
    case MSG_SAVE_FAILED: return "E564";
    case MSG_NOT_ALLOWED: return "E565";
    case MSG_ITEM_MISMATCH: return "E566";
    case MSG_STORE_ERROR: return "E567";
    case MSG_STATS_BAD_DATE: return "E750";
    case MSG_STATS_REVERSED: return "E751";
    case MSG_STATS_TOO_LONG: return "E752";
    default: return "";
    }
}

/* ---- small helpers ---------------------------------------------------- */

/* Copy src into dst[cap], cut at a UTF-8 character boundary when too long. */
__attribute__((noinline)) static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap) : 0;
    if (n == cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--; /* src[n] would start the cut: back off to a lead byte */
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = 0;
}
#define COPY(dst, src) copy((dst), sizeof(dst), (src))

static void emit(struct effects *fx, enum effect_type type, const struct inspection *insp,
                 const char *text, const char *detail)
{
    if (fx->n >= STATION_MAX_FX) {
        assert(!"too many effects for one event");
        return;
    }
    struct effect *e = &fx->fx[fx->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->insp = insp;
    COPY(e->text, text);
    COPY(e->detail, detail);
}

static void say(struct station *st, enum msg m, const char *arg, int num)
{
    st->msg = m;
    COPY(st->msg_arg, arg);
    st->msg_num = num;
}

/* Print a saved inspection's label again; the reprint is audited. */
static void reprint(struct station *st, const struct inspection *insp, struct effects *fx)
{
    emit(fx, FX_PRINT_LABEL, insp, NULL, NULL);
    emit(fx, FX_AUDIT, NULL, "reprint", insp->plate);
    say(st, MSG_REPRINTED, insp->plate, 0);
}

static void clear_input(struct station *st)
{
    st->input_len = 0;
    st->input[0] = 0;
}

static void append_input(struct station *st, const char *text, size_t len)
{
    for (size_t i = 0; i < len && st->input_len < STATION_INPUT_MAX; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 && c != 0x1d) /* keep GS (GS1 separator), drop other controls */
            continue;
        st->input[st->input_len++] = (char)c;
    }
    st->input[st->input_len] = 0;
}

/* Remove the last UTF-8 character. */
static void backspace_input(struct station *st)
{
    while (st->input_len > 0) {
        unsigned char c = (unsigned char)st->input[--st->input_len];
        if ((c & 0xC0) != 0x80)
            break;
    }
    st->input[st->input_len] = 0;
}

static bool is_supervisor(const struct station *st)
{
    return st->logged_in && (st->op.role == ROLE_SUPERVISOR || st->op.role == ROLE_ADMIN);
}

static void station_goto(struct station *st, enum screen next)
{
    assert((unsigned)next < SCREEN_COUNT);
    st->screen = next;
    clear_input(st);
    if (states[next].entry)
        states[next].entry(st);
}

/* The digit 1..9 typed as text, as a 0-based choice; -1 when it is not one. */
static int typed_choice(const struct event *ev)
{
    if (ev->type == EV_PICK)
        return ev->pick;
    if (ev->type == EV_TEXT && ev->len == 1 && ev->text[0] >= '1' && ev->text[0] <= '9')
        return ev->text[0] - '1';
    return -1;
}

/* A submitted code: a scan, or typed input ended by Return. NULL otherwise. */
static const char *submitted_code(struct station *st, const struct event *ev, size_t *len)
{
    if (ev->type == EV_SCAN) {
        *len = ev->len;
        return ev->text;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->input_len > 0) {
        *len = st->input_len;
        return st->input;
    }
    return NULL;
}

/* Typing into the input line; true when the event was typing. */
static bool edit_input(struct station *st, const struct event *ev)
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

/* ---- login ------------------------------------------------------------ */

static void login_entry(struct station *st)
{
    st->logged_in = false;
    memset(&st->op, 0, sizeof st->op);
    st->login_step = LOGIN_STEP_BADGE;
    st->badge[0] = st->badge_name[0] = 0;
    memset(st->pin, 0, sizeof st->pin);
    st->pin_len = 0;
}

static void login_submit_badge(struct station *st, const char *badge, size_t len,
                               struct effects *fx)
{
    char b[64];
    if (len >= sizeof b)
        len = sizeof b - 1;
    memcpy(b, badge, len);
    b[len] = 0;
    struct operator_info op;
    int rc = st->ports.find_operator(st->ports.ctx, b, &op);
    if (rc == 0) {
        COPY(st->badge, b);
        COPY(st->badge_name, op.name);
        st->login_step = LOGIN_STEP_PIN;
        st->pin_len = 0;
        say(st, MSG_NONE, NULL, 0);
    } else {
        say(st, rc < 0 ? MSG_STORE_ERROR : MSG_UNKNOWN_BADGE, b, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
    }
    clear_input(st);
}

static void login_submit_pin(struct station *st, struct effects *fx)
{
    struct operator_info op;
    int tries_left = 0;
    int64_t locked_until = 0;
    enum login_result r = st->ports.login(st->ports.ctx, st->badge, st->pin, st->now, &op,
                                          &tries_left, &locked_until);
    memset(st->pin, 0, sizeof st->pin);
    st->pin_len = 0;
    switch (r) {
    case LOGIN_OK:
        st->logged_in = true;
        st->op = op;
        emit(fx, FX_AUDIT, NULL, "login", op.badge);
        say(st, MSG_NONE, NULL, 0);
        station_goto(st, SCREEN_SCAN);
        return;
    case LOGIN_BAD_PIN:
        say(st, MSG_BAD_PIN, NULL, tries_left);
        emit(fx, FX_AUDIT, NULL, "login_failed", st->badge);
        break;
    case LOGIN_LOCKED: {
        int64_t ms = locked_until - st->now;
        say(st, MSG_LOCKED, NULL, ms > 0 ? (int)((ms + 59999) / 60000) : 1);
        emit(fx, FX_AUDIT, NULL, "login_locked", st->badge);
        break;
    }
    case LOGIN_UNKNOWN_BADGE:
        say(st, MSG_UNKNOWN_BADGE, st->badge, 0);
        st->login_step = LOGIN_STEP_BADGE;
        break;
    case LOGIN_ERROR:
        say(st, MSG_STORE_ERROR, NULL, 0);
        break;
    }
    emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
}

static bool login_run(struct station *st, const struct event *ev, struct effects *fx)
{
    size_t len;
    if (ev->type == EV_SCAN) { /* a badge scan starts over, whatever the step */
        login_entry(st);
        login_submit_badge(st, ev->text, ev->len, fx);
        return true;
    }
    if (st->login_step == LOGIN_STEP_BADGE) {
        const char *code = submitted_code(st, ev, &len);
        if (code) {
            login_submit_badge(st, code, len, fx);
            return true;
        }
        return edit_input(st, ev);
    }
    /* PIN step: digits only, never echoed. */
    if (ev->type == EV_TEXT) {
        for (size_t i = 0; i < ev->len; i++)
            if (ev->text[i] >= '0' && ev->text[i] <= '9' && st->pin_len < 12)
                st->pin[st->pin_len++] = ev->text[i];
        st->pin[st->pin_len] = 0;
        return true;
    }
    if (ev->type == EV_KEY) {
        switch (ev->key) {
        case KEY_BACKSPACE:
            if (st->pin_len > 0)
                st->pin[--st->pin_len] = 0;
            return true;
        case KEY_ESCAPE:
            login_entry(st);
            return true;
        case KEY_ENTER:
            if (st->pin_len > 0)
                login_submit_pin(st, fx);
            return true;
        default:
            return false;
        }
    }
    return false;
}

/* ---- scan ------------------------------------------------------------- */

static void start_inspection(struct station *st)
{
    memset(&st->insp, 0, sizeof st->insp);
    memset(st->answers, 0, sizeof st->answers);
    st->cat = NULL;
    st->check_index = 0;
    st->picking_category = false;
    st->item_scanned = false;
    st->has_existing = false;
    st->calibrating = false;
    st->save_state = SAVE_IDLE;
    COPY(st->insp.station, st->set.station_id);
    COPY(st->insp.operator_badge, st->op.badge);
    COPY(st->insp.rules_version, st->set.rules->version);
    st->insp.started_at = st->now;
}

static void use_category(struct station *st, const struct rules_category *cat)
{
    st->cat = cat;
    st->picking_category = cat == NULL;
    COPY(st->insp.category, cat ? cat->id : "");
}

/* Late: today is past the delivery date plus the return window. */
static bool is_late(const struct station *st, const char *delivered_at)
{
    int64_t delivered;
    if (!delivered_at || !delivered_at[0] || time_parse_date(delivered_at, &delivered) != 0)
        return false;
    return time_day(st->now) > time_day(delivered) + st->set.rules->return_window_days;
}

static void begin_return(struct station *st, const char *rma, const struct manifest_row *row)
{
    start_inspection(st);
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
        use_category(st, rules_match(st->set.rules, row->sku));
    } else {
        memset(&st->expected, 0, sizeof st->expected);
        st->has_expected = false;
        COPY(st->insp.rma, rma);
        st->insp.blind = true;
        use_category(st, NULL);
    }
    station_goto(st, SCREEN_ITEM);
    if (st->picking_category)
        say(st, MSG_PICK_CATEGORY, NULL, 0);
}

/* A plate chosen for a blind re-grade, scanned by another grader, and not
 * re-graded yet: this grader re-grades it blind. */
/* A new inspection of the item st->existing describes (re-grade, calibration). */
static void start_from_existing(struct station *st)
{
    const struct inspection *old = &st->existing;
    start_inspection(st);
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
    st->has_expected = false;
    st->item_scanned = true;
}

static bool calibration_wanted(struct station *st, const struct inspection *old)
{
    if (!old->calibration_due || old->calibrates[0] || !st->ports.find_calibration)
        return false;
    if (strcmp(old->operator_badge, st->op.badge) == 0)
        return false;
    return st->ports.find_calibration(st->ports.ctx, old->plate) == 1;
}

static void begin_calibration(struct station *st, struct effects *fx)
{
    const struct inspection *old = &st->existing;
    start_from_existing(st);
    COPY(st->insp.calibrates, old->plate);
    st->calibrating = true;
    emit(fx, FX_AUDIT, NULL, "calibration_start", old->plate);
    use_category(st, rules_category(st->set.rules, old->category));
    if (st->cat) {
        station_goto(st, SCREEN_CHECK);
        say(st, MSG_CALIBRATION, old->plate, 0);
    } else {
        station_goto(st, SCREEN_ITEM);
        say(st, MSG_PICK_CATEGORY, NULL, 0);
    }
}

static void scan_code(struct station *st, const char *data, size_t len, struct effects *fx)
{
    struct scanned_code code;
    codes_parse(data, len, &code);
    struct manifest_row row;
    int rc;
    switch (code.kind) {
    case CODE_RMA:
        rc = st->ports.find_manifest(st->ports.ctx, code.rma, &row);
        if (rc < 0)
            break;
        begin_return(st, code.rma, rc == 0 ? &row : NULL);
        return;
    case CODE_PLATE:
        rc = st->ports.find_inspection(st->ports.ctx, code.plate, &st->existing);
        if (rc < 0)
            break;
        if (rc == 0) {
            if (calibration_wanted(st, &st->existing)) {
                begin_calibration(st, fx);
                return;
            }
            start_inspection(st);
            st->has_existing = true;
            station_goto(st, SCREEN_ITEM);
            return;
        }
        say(st, MSG_UNKNOWN_CODE, code.plate, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return;
    default:
        /* Head office may issue return ids of any form: the manifest decides. */
        rc = st->ports.find_manifest(st->ports.ctx, code.text, &row);
        if (rc == 0) {
            begin_return(st, code.text, &row);
            return;
        }
        if (rc < 0)
            break;
        say(st, MSG_UNKNOWN_CODE, code.error[0] ? code.error : code.text, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return;
    }
    say(st, MSG_STORE_ERROR, NULL, 0);
    emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
}

static bool scan_run(struct station *st, const struct event *ev, struct effects *fx)
{
    size_t len;
    const char *code = submitted_code(st, ev, &len);
    if (code) {
        char copy_of[STATION_INPUT_MAX + 1];
        memcpy(copy_of, code, len < sizeof copy_of ? len : sizeof copy_of - 1);
        copy_of[len < sizeof copy_of ? len : sizeof copy_of - 1] = 0;
        clear_input(st);
        scan_code(st, ev->type == EV_SCAN ? ev->text : copy_of,
                  ev->type == EV_SCAN ? ev->len : strlen(copy_of), fx);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        clear_input(st);
        return true;
    }
    return edit_input(st, ev);
}

/* ---- item ------------------------------------------------------------- */

/* Left-pad a GTIN-8/12/13 to 14 digits; other text unchanged. */
static void gtin14(const char *in, char out[15])
{
    size_t n = strlen(in);
    bool digits = n > 0 && n <= 14;
    for (size_t i = 0; i < n && digits; i++)
        digits = in[i] >= '0' && in[i] <= '9';
    if (!digits || n == 14) {
        copy(out, 15, in);
        return;
    }
    memset(out, '0', 14 - n);
    memcpy(out + 14 - n, in, n);
    out[14] = 0;
}

static void item_scanned(struct station *st, const char *data, size_t len, struct effects *fx)
{
    struct scanned_code code;
    codes_parse(data, len, &code);
    if (code.kind == CODE_RMA || code.kind == CODE_SSCC) {
        say(st, MSG_UNKNOWN_CODE, code.text, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return;
    }
    /* On an item, "SN-123456" is a serial even though it has a plate's shape. */
    if (code.kind == CODE_PLATE)
        code.kind = CODE_UNKNOWN;
    const char *gtin = code.gtin;
    const char *serial = code.serial[0] ? code.serial : (code.kind == CODE_ITEM ? "" : code.text);
    bool mismatch = false;
    if (st->has_expected) {
        char want[15];
        gtin14(st->expected.gtin, want);
        if (st->expected.gtin[0] && gtin[0] && strcmp(want, gtin) != 0)
            mismatch = true;
        if (st->expected.serial[0] && serial[0] && strcmp(st->expected.serial, serial) != 0)
            mismatch = true;
        /* A code that is neither the expected GTIN nor the expected serial. */
        if (!gtin[0] && serial[0] && !st->expected.serial[0] && st->expected.gtin[0] &&
            strcmp(serial, st->expected.gtin) != 0)
            mismatch = true;
    }
    if (gtin[0])
        COPY(st->insp.gtin, gtin);
    if (serial[0])
        COPY(st->insp.serial, serial);
    st->insp.mismatch = st->insp.mismatch || mismatch;
    st->item_scanned = true;
    if (mismatch) {
        say(st, MSG_ITEM_MISMATCH, code.text, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
    } else {
        say(st, st->has_expected ? MSG_ITEM_OK : MSG_NONE, NULL, 0);
    }
    /* The item is identified: go on to the checklist (if we know which). */
    if (st->cat)
        station_goto(st, SCREEN_CHECK);
}

static void begin_regrade(struct station *st)
{
    const struct inspection *old = &st->existing;
    start_from_existing(st);
    COPY(st->insp.supersedes, old->plate);
    use_category(st, rules_category(st->set.rules, old->category));
    if (st->cat)
        station_goto(st, SCREEN_CHECK);
    else
        say(st, MSG_PICK_CATEGORY, NULL, 0);
}

static bool item_run(struct station *st, const struct event *ev, struct effects *fx)
{
    size_t len;
    if (st->has_existing) {
        if (ev->type == EV_KEY && ev->key == KEY_REPRINT) {
            reprint(st, &st->existing, fx);
            return true;
        }
        if (ev->type == EV_KEY && ev->key == KEY_ENTER) {
            emit(fx, FX_AUDIT, NULL, "regrade", st->existing.plate);
            begin_regrade(st);
            return true;
        }
        if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
            st->has_existing = false;
            station_goto(st, SCREEN_SCAN);
            return true;
        }
        return false;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        if (st->input_len) {
            clear_input(st);
        } else {
            say(st, MSG_NONE, NULL, 0);
            station_goto(st, SCREEN_SCAN);
        }
        return true;
    }
    const char *code = submitted_code(st, ev, &len);
    if (code) {
        char buf[STATION_INPUT_MAX + 1];
        if (ev->type != EV_SCAN) {
            memcpy(buf, code, len);
            buf[len] = 0;
            clear_input(st);
            code = buf;
        }
        item_scanned(st, code, len, fx);
        return true;
    }
    if (st->picking_category) {
        int pick = typed_choice(ev);
        if (pick >= 0) {
            if (pick < st->set.rules->ncategories) {
                use_category(st, &st->set.rules->categories[pick]);
                say(st, MSG_NONE, NULL, 0);
                if (st->item_scanned)
                    station_goto(st, SCREEN_CHECK);
            }
            return true;
        }
        return ev->type == EV_KEY && ev->key == KEY_BACKSPACE ? edit_input(st, ev) : false;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->cat) {
        station_goto(st, SCREEN_CHECK);
        return true;
    }
    return edit_input(st, ev);
}

/* ---- check ------------------------------------------------------------ */

static void check_entry(struct station *st)
{
    st->step_started = st->now;
    if (st->check_index >= st->cat->nchecks)
        st->check_index = st->cat->nchecks > 0 ? st->cat->nchecks - 1 : 0;
}

static bool check_run(struct station *st, const struct event *ev, struct effects *fx)
{
    (void)fx;
    const struct rules_check *chk = &st->cat->checks[st->check_index];
    int pick = typed_choice(ev);
    if (pick >= 0) {
        if (pick >= chk->nanswers)
            return false;
        int64_t took = st->now - st->step_started;
        st->insp.step_ms[st->check_index] = (int32_t)(took < 1 ? 1 : took > INT32_MAX ? INT32_MAX : took);
        st->step_started = st->now;
        st->answers[st->check_index++] = pick;
        if (st->check_index >= st->cat->nchecks)
            station_goto(st, SCREEN_SUMMARY);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st->step_started = st->now;
        if (st->check_index > 0) {
            st->check_index--;
        } else if (st->calibrating) {
            /* Leaving a blind re-grade: it stays due for someone else. */
            st->calibrating = false;
            station_goto(st, SCREEN_SCAN);
        } else {
            st->item_scanned = false;
            st->picking_category = st->insp.blind || !st->has_expected ||
                                   !rules_match(st->set.rules, st->expected.sku);
            station_goto(st, SCREEN_ITEM);
        }
        say(st, MSG_NONE, NULL, 0);
        return true;
    }
    return false;
}

/* ---- summary ---------------------------------------------------------- */

static void summary_entry(struct station *st)
{
    rules_grade(st->cat, st->answers, &st->result);
    struct inspection *in = &st->insp;
    in->grade = st->result.grade;
    for (int a = 0; a < ASPECT_COUNT; a++)
        in->aspect_grade[a] = st->result.aspect[a];
    COPY(in->disposition, st->result.disposition);
    in->responsibility = st->result.responsibility;
    in->ndefects = st->result.ndefects;
    for (int i = 0; i < st->result.ndefects; i++)
        COPY(in->defects[i], st->result.defects[i]);
    in->nanswers = st->cat->nchecks;
    for (int i = 0; i < st->cat->nchecks; i++) {
        COPY(in->answers[i].check, st->cat->checks[i].id);
        COPY(in->answers[i].answer, st->cat->checks[i].answers[st->answers[i]].id);
    }
    st->save_state = SAVE_IDLE;
}

/* Whether an outcome is chosen for a blind re-grade: calibration_pct of them,
 * by a hash of what identifies it (FNV-1a), so the choice is reproducible in
 * tests and not something a grader can predict or steer. Calibration records
 * and corrections are never chosen. */
static bool chosen_for_calibration(const struct station *st, const struct inspection *in)
{
    if (st->set.calibration_pct <= 0 || in->calibrates[0] || in->supersedes[0])
        return false;
    if (st->set.calibration_pct >= 100)
        return true;
    char buf[256];
    int n = snprintf(buf, sizeof buf, "%s|%s|%s|%lld|%lld", in->station, in->operator_badge,
                     in->rma, (long long)in->started_at, (long long)in->finished_at);
    uint32_t h = 2166136261u;
    for (int i = 0; i < n && i < (int)sizeof buf; i++) {
        h ^= (unsigned char)buf[i];
        h *= 16777619u;
    }
    return (int)(h % 100) < st->set.calibration_pct;
}

static void request_save(struct station *st, struct effects *fx)
{
    st->save_state = SAVE_PENDING;
    emit(fx, FX_SAVE, &st->insp, NULL, NULL);
}

static bool summary_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_SAVED && st->save_state != SAVE_IDLE) {
        COPY(st->insp.plate, ev->plate);
        st->insp.seq = ev->seq;
        st->save_state = SAVE_IDLE;
        COPY(st->last_plate, ev->plate);
        st->saved_count++;
        if (st->insp.calibrates[0]) {
            /* A calibration record: the item keeps its label. */
            say(st, MSG_CALIBRATION_SAVED, st->insp.calibrates, 0);
            st->calibrating = false;
        } else {
            say(st, MSG_SAVED, ev->plate, 0);
            emit(fx, FX_PRINT_LABEL, &st->insp, NULL, NULL);
        }
        emit(fx, FX_BEEP_OK, NULL, NULL, NULL);
        station_goto(st, SCREEN_SCAN);
        return true;
    }
    if (ev->type == EV_SAVE_FAILED && st->save_state != SAVE_IDLE) {
        st->save_state = SAVE_FAILED;
        st->retry_at = st->now + STATION_SAVE_RETRY_MS;
        say(st, MSG_SAVE_FAILED, ev->text, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return true;
    }
    if (st->save_state == SAVE_PENDING)
        return false;
    if (st->save_state == SAVE_FAILED) {
        if (ev->type == EV_KEY && ev->key == KEY_ENTER) {
            request_save(st, fx);
            return true;
        }
        return false; /* kept until saved: nothing else leaves this screen */
    }
    if (ev->type == EV_PICK && ev->pick >= 0 && ev->pick < RESP_COUNT) {
        st->insp.responsibility = (enum responsibility)ev->pick;
        return true;
    }
    if (ev->type == EV_KEY) {
        switch (ev->key) {
        case KEY_LEFT:
        case KEY_UP:
            st->insp.responsibility =
                (enum responsibility)((st->insp.responsibility + RESP_COUNT - 1) % RESP_COUNT);
            return true;
        case KEY_RIGHT:
        case KEY_DOWN:
        case KEY_TAB:
            st->insp.responsibility =
                (enum responsibility)((st->insp.responsibility + 1) % RESP_COUNT);
            return true;
        case KEY_ENTER:
            st->insp.finished_at = st->now;
            st->insp.calibration_due = chosen_for_calibration(st, &st->insp);
            request_save(st, fx);
            return true;
        case KEY_ESCAPE:
            st->check_index = st->cat->nchecks - 1;
            station_goto(st, SCREEN_CHECK);
            return true;
        default:
            return false;
        }
    }
    return false;
}

/* ---- stats ------------------------------------------------------------ */

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

/* Ask for the numbers of the current period (back at the overview). */
static void stats_query(struct station *st, struct effects *fx)
{
    st->stats_dim = SD_NONE;
    st->stats_key[0] = 0;
    st->has_stats_detail = false;
    st->stats_range = period_range(st, st->stats_period);
    st->stats_range_ok = stats_range_check(&st->stats_range, NULL, 0) == 0;
    if (!st->stats_range_ok) {
        say(st, st->stats_range.from_day > st->stats_range.to_day ? MSG_STATS_REVERSED
                                                                  : MSG_STATS_TOO_LONG,
            NULL, STATS_MAX_DAYS);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return;
    }
    if (fx->n < STATION_MAX_FX) {
        emit(fx, FX_STATS_QUERY, NULL, NULL, NULL);
        fx->fx[fx->n - 1].range = st->stats_range;
    }
}

static void stats_open(struct station *st, struct effects *fx)
{
    station_goto(st, SCREEN_STATS);
    st->stats_page = PAGE_OVERVIEW;
    emit(fx, FX_AUDIT, NULL, "stats_opened", st->op.badge);
    stats_query(st, fx);
}

/* "YYYY-MM-DD YYYY-MM-DD" (or "..", "/" or "to" between): a custom range. */
static void stats_typed_range(struct station *st, const char *text, struct effects *fx)
{
    char a[32] = "", b[32] = "";
    int n = sscanf(text, " %10[0-9-] %*[.to/ ] %10[0-9-]", a, b);
    if (n < 2)
        n = sscanf(text, " %10[0-9-] %10[0-9-]", a, b);
    int64_t fa, fb;
    if (n < 1 || time_parse_date(a, &fa) != 0 || strlen(a) != 10) {
        say(st, MSG_STATS_BAD_DATE, text, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return;
    }
    if (n < 2) {
        fb = fa; /* one date: that day */
    } else if (time_parse_date(b, &fb) != 0 || strlen(b) != 10) {
        say(st, MSG_STATS_BAD_DATE, b, 0);
        emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        return;
    }
    st->stats_custom = (struct stats_range){time_day(fa), time_day(fb)};
    st->stats_custom_set = true;
    st->stats_period = PERIOD_CUSTOM;
    stats_query(st, fx);
}

static bool stats_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_KEY && ev->key == KEY_STATS) {
        station_goto(st, SCREEN_SCAN);
        return true;
    }
    /* One inspection of a list: its answers, and its label again. */
    if (st->has_stats_detail) {
        if (ev->type == EV_KEY && ev->key == KEY_REPRINT) {
            reprint(st, &st->stats_detail, fx);
            return true;
        }
        if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
            st->has_stats_detail = false;
            return true;
        }
        return false;
    }
    if (ev->type == EV_PICK && ev->pick == STATS_PICK_ROW && st->stats_dim != SD_NONE) {
        int rc = st->ports.find_inspection(st->ports.ctx, ev->text, &st->stats_detail);
        if (rc == 0) {
            st->has_stats_detail = true;
        } else {
            say(st, rc < 0 ? MSG_STORE_ERROR : MSG_UNKNOWN_CODE, ev->text, 0);
            emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        }
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        if (st->stats_dim != SD_NONE) {
            st->stats_dim = SD_NONE;
            st->stats_key[0] = 0;
        } else if (st->input_len) {
            clear_input(st);
        } else {
            station_goto(st, SCREEN_SCAN);
        }
        return true;
    }
    if (ev->type == EV_PICK && ev->pick >= STATS_PICK_BAR && ev->pick < STATS_PICK_BAR + SD_COUNT &&
        st->stats_range_ok) {
        st->stats_dim = (enum stats_dim)(ev->pick - STATS_PICK_BAR);
        COPY(st->stats_key, ev->text);
        st->has_stats_detail = false;
        if (fx->n < STATION_MAX_FX) {
            emit(fx, FX_STATS_LIST, NULL, NULL, NULL);
            struct effect *e = &fx->fx[fx->n - 1];
            e->range = st->stats_range;
            e->dim = st->stats_dim;
            COPY(e->key, st->stats_key);
        }
        return true;
    }
    if (st->stats_dim != SD_NONE)
        return false; /* in a list: only rows, Escape and F2 */
    if (ev->type == EV_PICK && ev->pick >= STATS_PICK_PERIOD &&
        ev->pick < STATS_PICK_PERIOD + PERIOD_COUNT) {
        st->stats_period = (enum stats_period)(ev->pick - STATS_PICK_PERIOD);
        if (st->stats_period == PERIOD_CUSTOM && !st->stats_custom_set) {
            st->stats_custom = period_range(st, PERIOD_CUSTOM);
            st->stats_custom_set = true;
        }
        stats_query(st, fx);
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
        stats_query(st, fx);
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
        clear_input(st);
        st->stats_period = (enum stats_period)period;
        if (st->stats_period == PERIOD_CUSTOM && !st->stats_custom_set) {
            st->stats_custom = period_range(st, PERIOD_CUSTOM);
            st->stats_custom_set = true;
        }
        stats_query(st, fx);
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->input_len > 0) {
        char typed[STATION_INPUT_MAX + 1];
        COPY(typed, st->input);
        clear_input(st);
        stats_typed_range(st, typed, fx);
        return true;
    }
    return edit_input(st, ev);
}

static const struct state states[SCREEN_COUNT] = {
    [SCREEN_LOGIN] = {login_entry, login_run},
    [SCREEN_SCAN] = {NULL, scan_run},
    [SCREEN_ITEM] = {NULL, item_run},
    [SCREEN_CHECK] = {check_entry, check_run},
    [SCREEN_SUMMARY] = {summary_entry, summary_run},
    [SCREEN_STATS] = {NULL, stats_run},
};

/* ---- what every screen shares ------------------------------------------ */

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
    station_goto(st, SCREEN_LOGIN);
    return st;
}

void station_free(struct station *st) { free(st); }

enum screen station_screen(const struct station *st) { return st->screen; }

bool station_has_unsaved(const struct station *st) { return st->save_state != SAVE_IDLE; }

static int64_t idle_deadline(const struct station *st)
{
    if (!st->logged_in || st->set.idle_logout_min <= 0 || st->save_state != SAVE_IDLE)
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
    emit(fx, FX_AUDIT, NULL, why, st->op.badge);
    station_goto(st, SCREEN_LOGIN);
}

static bool on_tick(struct station *st, struct effects *fx)
{
    if (st->save_state == SAVE_FAILED && st->now >= st->retry_at) {
        st->retry_at = st->now + STATION_SAVE_RETRY_MS;
        request_save(st, fx);
        return true;
    }
    if (st->now >= idle_deadline(st)) {
        logout(st, fx, "idle_logout");
        say(st, MSG_LOGGED_OUT, NULL, 0);
        return true;
    }
    return false;
}

bool station_handle(struct station *st, const struct event *ev, struct effects *fx)
{
    fx->n = 0;
    if (ev->now > st->now)
        st->now = ev->now;
    if (ev->type == EV_TICK)
        return on_tick(st, fx);

    bool input = ev->type == EV_SCAN || ev->type == EV_TEXT || ev->type == EV_KEY ||
                 ev->type == EV_PICK;
    if (input) {
        st->last_activity = st->now;
        /* A message stays until the next thing the grader does. */
        if (st->msg != MSG_NONE && st->save_state != SAVE_FAILED) {
            st->msg = MSG_NONE;
        }
    }
    if (ev->type == EV_KEY && ev->key == KEY_LANG) {
        st->lang = st->lang == LANG_EN ? LANG_ZH : LANG_EN;
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_LOGOUT && st->logged_in &&
        st->save_state == SAVE_IDLE) {
        logout(st, fx, "logout");
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_STATS && st->screen == SCREEN_SCAN) {
        if (is_supervisor(st)) {
            stats_open(st, fx);
        } else {
            say(st, MSG_NOT_ALLOWED, NULL, 0);
            emit(fx, FX_AUDIT, NULL, "stats_denied", st->op.badge);
            emit(fx, FX_BEEP_ERROR, NULL, NULL, NULL);
        }
        return true;
    }
    bool changed = states[st->screen].run(st, ev, fx);
    return changed || input;
}

void station_view(const struct station *st, struct view *v)
{
    memset(v, 0, sizeof *v);
    v->screen = st->screen;
    v->lang = st->lang;
    v->station_id = st->set.station_id;
    v->op = st->logged_in ? &st->op : NULL;
    v->msg = st->msg;
    v->msg_is_error = msg_error_id(st->msg)[0] != 0;
    memcpy(v->msg_arg, st->msg_arg, sizeof v->msg_arg);
    v->msg_num = st->msg_num;
    v->input = st->input;
    v->login_step = st->login_step;
    v->pin_len = st->pin_len;
    v->badge_name = st->badge_name;
    v->insp = &st->insp;
    v->expected = st->has_expected ? &st->expected : NULL;
    v->picking_category = st->picking_category;
    v->item_scanned = st->item_scanned;
    v->category = st->cat;
    v->rules = st->set.rules;
    v->existing = st->has_existing ? &st->existing : NULL;
    v->check_index = st->check_index;
    v->check_count = st->cat ? st->cat->nchecks : 0;
    v->answers = st->answers;
    v->result = &st->result;
    v->save_state = st->save_state;
    memcpy(v->last_plate, st->last_plate, sizeof v->last_plate);
    v->saved_count = st->saved_count;
    v->calibrating = st->calibrating;
    v->stats_period = st->stats_period;
    v->stats_range = st->stats_range;
    v->stats_range_ok = st->stats_range_ok;
    v->stats_page = st->stats_page;
    v->stats_dim = st->stats_dim;
    v->stats_key = st->stats_key;
    v->stats_detail = st->has_stats_detail ? &st->stats_detail : NULL;
}
