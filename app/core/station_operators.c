/*
 * station_operators.c — the operators screen: admins only (F4 on the scan
 * screen; a supervisor or grader is refused with E565, audited as
 * "operators_denied").
 *
 * It lists every operator with its state (ports.list_operators). Up/Down or
 * a touch selects one; U (or its button) unlocks it, D disables an active
 * one or enables a disabled one. Each change is an effect,
 * FX_MANAGE_OPERATOR, which the store carries out and audits with the
 * admin as its actor; its answer, EV_OPERATOR_DONE, makes the screen read
 * the list again. An admin cannot disable their own badge here (nobody
 * would be left to enable it at the station). New PINs are set on the
 * command line (`triage operator reset-pin`), where the PIN is typed twice.
 * Escape goes back to the scan screen.
 */
#include <string.h>

#include "station_int.h"

static void reload(struct station *st)
{
    int n = st->ports.list_operators
                ? st->ports.list_operators(st->ports.ctx, st->ops, STATION_MAX_OPERATORS)
                : 0;
    if (n < 0) {
        st_say(st, MSG_STORE_ERROR, NULL, 0);
        n = 0;
    }
    st->nops = n;
    if (st->op_index >= n)
        st->op_index = n > 0 ? n - 1 : 0;
}

void operators_entry(struct station *st, struct effects *fx)
{
    (void)fx;
    st->op_index = 0;
    reload(st);
}

static void manage(struct station *st, const char *action, struct effects *fx)
{
    if (st->op_index >= st->nops)
        return;
    const struct operator_state *o = &st->ops[st->op_index];
    if (strcmp(action, "disable") == 0 && strcmp(o->op.badge, st->op.badge) == 0) {
        st_say(st, MSG_NOT_ALLOWED, NULL, 0);
        st_emit(fx, FX_BEEP_ERROR);
        return;
    }
    struct effect *e = st_emit(fx, FX_MANAGE_OPERATOR);
    if (e) {
        COPY(e->actor, st->op.badge);
        COPY(e->subject, o->op.badge);
        COPY(e->action, action);
    }
}

bool operators_run(struct station *st, const struct event *ev, struct effects *fx)
{
    if (ev->type == EV_OPERATOR_DONE) {
        reload(st);
        if (ev->text[0])
            st_say(st, MSG_STORE_ERROR, ev->text, 0);
        else if (st->op_index < st->nops)
            st_say(st, MSG_OPERATOR_CHANGED, st->ops[st->op_index].op.badge, 0);
        return true;
    }
    if (ev->type == EV_PICK && ev->pick >= OPERATORS_PICK_ROW &&
        ev->pick < OPERATORS_PICK_ROW + st->nops) {
        st->op_index = ev->pick - OPERATORS_PICK_ROW;
        return true;
    }
    bool unlock = (ev->type == EV_PICK && ev->pick == OPERATORS_PICK_UNLOCK) ||
                  (ev->type == EV_TEXT && ev->len == 1 && (ev->text[0] | 0x20) == 'u');
    bool toggle = (ev->type == EV_PICK && ev->pick == OPERATORS_PICK_TOGGLE) ||
                  (ev->type == EV_TEXT && ev->len == 1 && (ev->text[0] | 0x20) == 'd');
    if (unlock) {
        manage(st, "unlock", fx);
        return true;
    }
    if (toggle) {
        if (st->op_index < st->nops)
            manage(st, st->ops[st->op_index].disabled ? "enable" : "disable", fx);
        return true;
    }
    if (ev->type != EV_KEY)
        return false;
    switch (ev->key) {
    case KEY_UP:
        if (st->op_index > 0)
            st->op_index--;
        return true;
    case KEY_DOWN:
        if (st->op_index + 1 < st->nops)
            st->op_index++;
        return true;
    case KEY_ESCAPE:
    case KEY_OPERATORS: station_goto(st, SCREEN_SCAN, fx); return true;
    default: return false;
    }
}
