/*
 * station_login.c — the login screen: a badge (scanned or typed), its PIN,
 * then the PIN's check.
 *
 * Steps (enum login_step): BADGE → PIN → CHECKING → (scan | resume | PIN | BADGE).
 * A grader who left an inspection unfinished goes to the resume screen.
 * The badge is not looked up before its PIN: whoever stands at the screen
 * learns nothing of which badges exist. A wrong PIN and an unknown (or
 * disabled) badge get the same answer, E562, after the same wait; only the
 * audit log tells them apart. The check is slow (Argon2id), so it is an
 * effect: FX_CHECK_PIN hands the badge and PIN out, the PIN is wiped here at
 * once, and the screen waits in CHECKING, ignoring input, until
 * EV_LOGIN_RESULT for that badge arrives. The check audits its own outcome
 * (login, bad PIN, lock); the core does not audit it again.
 */
#include <string.h>

#include "station_int.h"

#define PIN_MAX_DIGITS 12

static void wipe_pin(struct station *st)
{
    memset(st->pin, 0, sizeof st->pin);
    st->pin_len = 0;
}

/* Back to the badge step, nobody logged in. */
static void start_over(struct station *st)
{
    memset(&st->op, 0, sizeof st->op);
    st->login_step = LOGIN_STEP_BADGE;
    st->badge[0] = 0;
    wipe_pin(st);
}

void login_entry(struct station *st, struct effects *fx)
{
    (void)fx;
    start_over(st);
}

void login_exit(struct station *st, struct effects *fx)
{
    (void)fx;
    wipe_pin(st);
}

/* Any badge goes on to its PIN: the check says whether it is one. */
static void submit_badge(struct station *st, const char *badge)
{
    COPY(st->badge, badge);
    st->login_step = LOGIN_STEP_PIN;
    wipe_pin(st);
    st_say(st, MSG_NONE, NULL, 0);
    st_clear_input(st);
}

static void submit_pin(struct station *st, struct effects *fx)
{
    struct effect *e = st_emit(fx, FX_CHECK_PIN);
    if (e) {
        e->purpose = PIN_LOGIN;
        COPY(e->actor, st->badge);
        COPY(e->pin, st->pin);
    }
    wipe_pin(st);
    st->login_step = LOGIN_STEP_CHECKING;
}

/* The answer to FX_CHECK_PIN. */
static bool login_result(struct station *st, const struct event *ev, struct effects *fx)
{
    switch (ev->login) {
    case LOGIN_OK: {
        st->op = ev->op;
        st_say(st, MSG_NONE, NULL, 0);
        /* An inspection this grader left unfinished is offered back first. */
        int rc = st->ports.find_draft
                     ? st->ports.find_draft(st->ports.ctx, st->op.badge, &st->resume)
                     : 1;
        if (rc == 0) {
            station_goto(st, SCREEN_RESUME, fx);
            return true;
        }
        station_goto(st, SCREEN_SCAN, fx);
        if (rc < 0)
            st_say(st, MSG_STORE_ERROR, NULL, 0);
        return true;
    }
    case LOGIN_BAD_PIN:
    case LOGIN_UNKNOWN_BADGE:
        /* The same words for both, and no count of tries left: that would
         * tell a real badge from a made-up one. */
        st_say(st, MSG_BAD_PIN, NULL, 0);
        st->login_step = LOGIN_STEP_PIN;
        break;
    case LOGIN_LOCKED: {
        int64_t ms = ev->locked_until - st->now;
        st_say(st, MSG_LOCKED, NULL, ms > 0 ? (int)((ms + 59999) / 60000) : 1);
        st->login_step = LOGIN_STEP_PIN;
        break;
    }
    case LOGIN_ERROR:
    default:
        st_say(st, MSG_STORE_ERROR, NULL, 0);
        st->login_step = LOGIN_STEP_PIN;
        break;
    }
    st_emit(fx, FX_BEEP_ERROR);
    return true;
}

static bool pin_step(struct station *st, const struct event *ev, struct effects *fx)
{
    /* Digits only, never echoed. */
    if (ev->type == EV_TEXT) {
        for (size_t i = 0; i < ev->len; i++)
            if (ev->text[i] >= '0' && ev->text[i] <= '9' && st->pin_len < PIN_MAX_DIGITS)
                st->pin[st->pin_len++] = ev->text[i];
        st->pin[st->pin_len] = 0;
        return true;
    }
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_BACKSPACE:
        if (st->pin_len > 0)
            st->pin[--st->pin_len] = 0;
        return true;
    case KEY_ESCAPE:
        start_over(st);
        return true;
    case KEY_ENTER:
        if (st->pin_len > 0)
            submit_pin(st, fx);
        return true;
    default:
        return false;
    }
}

bool login_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (st->login_step == LOGIN_STEP_CHECKING) {
        if (ev->type == EV_LOGIN_RESULT && ev->purpose == PIN_LOGIN &&
            strcmp(ev->op.badge, st->badge) == 0)
            return login_result(st, ev, fx);
        return false; /* a second or two at most: nothing else until the answer */
    }
    if (ev->type == EV_LOGIN_RESULT)
        return false; /* an answer nobody waits for any more */
    char code[sizeof st->badge];
    size_t len;
    if (ev->type == EV_SCAN) { /* a badge scan starts over, whatever the step */
        start_over(st);
        if (st_submitted_code(st, ev, code, sizeof code, &len))
            submit_badge(st, code);
        else
            st_emit(fx, FX_BEEP_ERROR);
        return true;
    }
    if (st->login_step == LOGIN_STEP_BADGE) {
        if (st_submitted_code(st, ev, code, sizeof code, &len)) {
            submit_badge(st, code);
            return true;
        }
        if (ev->type == EV_KEY && ev->key == KEY_ENTER && st->msg == MSG_CODE_TOO_LONG) {
            st_emit(fx, FX_BEEP_ERROR);
            return true;
        }
        return st_edit_input(st, ev);
    }
    return pin_step(st, ev, fx);
}
