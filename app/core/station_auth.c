/*
 * station_auth.c — a supervisor or admin authorises, at the station, what
 * the grader logged in may not do alone (station.h, "Roles").
 *
 * The panel is a sub-state of the screen that asked for it (st_authorise):
 * while it is up, station_handle gives it each event before the screen.
 * Steps (enum auth_step), as the login's: BADGE (scanned or typed) → PIN →
 * CHECKING, until EV_LOGIN_RESULT with purpose PIN_AUTHORISE for that badge
 * comes back. The check audits itself (operators.h: "authorise", with the
 * grader as its subject and the action as its detail). Granted: the panel
 * goes, st->authorised_by names the badge, and the screen's own run gets
 * EV_AUTHORISED; the screen audits the action itself with both badges. A
 * grader's right PIN is refused (E565), as are a wrong PIN or an unknown
 * badge (E562, the same words for both) and a locked badge (E563). Escape
 * takes the panel down; so does leaving the screen or logging out.
 */
#include <stdio.h>
#include <string.h>

#include "station_int.h"

#define PIN_MAX_DIGITS 12

const char *auth_action_name(enum auth_action a)
{
    static const char *const names[AUTH_COUNT] = {
        [AUTH_NONE] = "",
        [AUTH_REGRADE] = "regrade",
        [AUTH_OVERRIDE_GRADE] = "override_grade",
        [AUTH_DISCARD_DRAFT] = "discard_draft",
        [AUTH_WAIVE_PHOTO] = "waive_photo",
    };
    return (unsigned)a < AUTH_COUNT ? names[a] : "";
}

bool st_may(const struct station *st, enum auth_action action, const char *owner)
{
    if (st->op.role == ROLE_SUPERVISOR || st->op.role == ROLE_ADMIN)
        return true;
    switch (action) {
    case AUTH_REGRADE:
    case AUTH_DISCARD_DRAFT: return owner && owner[0] && strcmp(owner, st->op.badge) == 0;
    case AUTH_OVERRIDE_GRADE:
    default: return false;
    }
}

static void wipe_pin(struct station *st)
{
    memset(st->auth_pin, 0, sizeof st->auth_pin);
    st->auth_pin_len = 0;
}

void st_authorise(struct station *st, enum auth_action action, const char *subject)
{
    st->auth_action = action;
    st->auth_step = AUTH_STEP_BADGE;
    st->auth_badge[0] = 0;
    wipe_pin(st);
    COPY(st->auth_subject, subject);
    st_clear_input(st);
    st_say(st, MSG_AUTH_NEEDED, NULL, 0);
}

void st_auth_end(struct station *st)
{
    st->auth_action = AUTH_NONE;
    st->auth_step = AUTH_STEP_BADGE;
    st->auth_badge[0] = 0;
    st->auth_subject[0] = 0;
    wipe_pin(st);
}

static void ask_pin(struct station *st, const char *badge)
{
    COPY(st->auth_badge, badge);
    st->auth_step = AUTH_STEP_PIN;
    wipe_pin(st);
    st_clear_input(st);
    st_say(st, MSG_AUTH_NEEDED, NULL, 0);
}

static void submit_pin(struct station *st, struct effects *fx)
{
    struct effect *e = st_emit(fx, FX_CHECK_PIN);
    if (e) {
        e->purpose = PIN_AUTHORISE;
        COPY(e->actor, st->auth_badge);
        COPY(e->pin, st->auth_pin);
        COPY(e->subject, st->op.badge);
        snprintf(e->detail, sizeof e->detail, "%s %s", auth_action_name(st->auth_action),
                 st->auth_subject);
    }
    wipe_pin(st);
    st->auth_step = AUTH_STEP_CHECKING;
}

/* The answer to the panel's FX_CHECK_PIN. */
static bool result(struct station *st, const struct event *ev, struct effects *fx)
{
    switch (ev->login) {
    case LOGIN_OK: {
        enum auth_action action = st->auth_action;
        COPY(st->authorised_by, ev->op.badge);
        st_auth_end(st);
        st_say(st, MSG_AUTHORISED, ev->op.badge, 0);
        struct event granted = {
            .type = EV_AUTHORISED, .now = st->now, .pick = (int)action, .op = ev->op};
        station_states[st->screen].run(st, &granted, fx);
        return true;
    }
    case LOGIN_NOT_ALLOWED:
        st_say(st, MSG_NOT_ALLOWED, NULL, 0);
        st->auth_step = AUTH_STEP_BADGE;
        break;
    case LOGIN_LOCKED: {
        int64_t ms = ev->locked_until - st->now;
        st_say(st, MSG_LOCKED, NULL, ms > 0 ? (int)((ms + 59999) / 60000) : 1);
        st->auth_step = AUTH_STEP_BADGE;
        break;
    }
    case LOGIN_BAD_PIN:
    case LOGIN_UNKNOWN_BADGE:
        st_say(st, MSG_BAD_PIN, NULL, 0);
        st->auth_step = AUTH_STEP_PIN;
        break;
    case LOGIN_ERROR:
    default:
        st_say(st, MSG_STORE_ERROR, NULL, 0);
        st->auth_step = AUTH_STEP_PIN;
        break;
    }
    st_emit(fx, FX_BEEP_ERROR);
    return true;
}

bool auth_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (st->auth_step == AUTH_STEP_CHECKING) {
        if (ev->type == EV_LOGIN_RESULT && ev->purpose == PIN_AUTHORISE &&
            strcmp(ev->op.badge, st->auth_badge) == 0)
            return result(st, ev, fx);
        return false; /* nothing else until the answer */
    }
    if (ev->type == EV_LOGIN_RESULT)
        return false;
    if (ev->type == EV_KEY && ev->key == KEY_ESCAPE) {
        st_auth_end(st);
        st_clear_input(st);
        st_say(st, MSG_NONE, NULL, 0);
        return true;
    }
    char code[sizeof st->auth_badge];
    size_t len;
    if (ev->type == EV_SCAN) { /* a badge scan starts over, whatever the step */
        if (st_submitted_code(st, ev, code, sizeof code, &len))
            ask_pin(st, code);
        return true;
    }
    if (st->auth_step == AUTH_STEP_BADGE) {
        if (st_submitted_code(st, ev, code, sizeof code, &len)) {
            ask_pin(st, code);
            return true;
        }
        return st_edit_input(st, ev);
    }
    /* The PIN: digits only, never shown. */
    if (ev->type == EV_TEXT) {
        for (size_t i = 0; i < ev->len; i++)
            if (ev->text[i] >= '0' && ev->text[i] <= '9' && st->auth_pin_len < PIN_MAX_DIGITS)
                st->auth_pin[st->auth_pin_len++] = ev->text[i];
        st->auth_pin[st->auth_pin_len] = 0;
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_BACKSPACE) {
        if (st->auth_pin_len > 0)
            st->auth_pin[--st->auth_pin_len] = 0;
        return true;
    }
    if (ev->type == EV_KEY && ev->key == KEY_ENTER) {
        if (st->auth_pin_len > 0)
            submit_pin(st, fx);
        return true;
    }
    return false;
}
