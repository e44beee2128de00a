/*
 * screen_operators.c — the admins' operators screen: every operator with
 * role and state, the selected one highlighted; Unlock (U) and Disable or
 * Enable (D) act on it. Rows are touch targets (EV_PICK OPERATORS_PICK_ROW +
 * index); a window of rows follows the selection when there are more than
 * fit.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

#define ROWS 5

/* The state of an operator in words. */
static const char *state_text(const struct view *v, const struct operator_state *o, char *buf,
                              size_t len)
{
    enum lang lang = v->lang;
    if (o->disabled)
        return tr(lang, S_OP_DISABLED);
    if (o->locked_until > v->now) {
        trf(buf, len, lang, S_OP_LOCKED, (int)((o->locked_until - v->now + 59999) / 60000));
        return buf;
    }
    if (o->failures > 0) {
        trf(buf, len, lang, S_OP_FAILURES, o->failures);
        return buf;
    }
    return tr(lang, S_OP_ACTIVE);
}

void lay_operators(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    const int x = CONTENT_X0 + 32, w = CONTENT_W - 64;
    lay_card(L, CONTENT_X0, cy, CONTENT_W, ch);
    lay_text(L, x, cy + 16, w, 48, tr(lang, S_OPERATORS), FS_TITLE, C_TEXT, AL_LEFT, true)
        ->max_lines = 1;
    lay_text(L, x, cy + 72, w, 32, tr(lang, S_OPERATORS_SUB), FS_SMALL, C_MUTED, AL_LEFT, false)
        ->max_lines = 1;

    /* Columns: badge, name, role, state. */
    static const int col[4] = {0, 200, 560, 760};
    static const enum str head[4] = {S_OP_BADGE, S_OP_NAME, S_OP_ROLE, S_OP_STATE};
    const int hy = cy + 112, rh = MIN_TARGET;
    for (int c = 0; c < 4; c++)
        lay_text(L, x + col[c] + 16, hy, (c < 3 ? col[c + 1] - col[c] : w - col[c]) - 24, 32,
                 tr(lang, head[c]), FS_SMALL, C_MUTED, AL_LEFT, true)
            ->max_lines = 1;
    if (v->noperators == 0)
        lay_text(L, x, hy + 40, w, rh, tr(lang, S_OP_NONE), FS_BODY, C_MUTED, AL_LEFT, false);
    int first = v->operator_index - ROWS / 2;
    if (first > v->noperators - ROWS)
        first = v->noperators - ROWS;
    if (first < 0)
        first = 0;
    char buf[LAY_TEXT_MAX];
    for (int i = first; i < v->noperators && i < first + ROWS; i++) {
        const struct operator_state *o = &v->operators[i];
        int y = hy + 40 + (i - first) * (rh + 4);
        bool on = i == v->operator_index;
        lay_button_pick(L, x, y, w, rh, on ? ST_TOGGLE_ON : ST_TOGGLE_OFF, "", NULL,
                        OPERATORS_PICK_ROW + i);
        uint32_t fg = on ? 0xFFFFFFu : C_TEXT;
        const char *cells[4] = {o->op.badge, o->op.name, i18n_role(lang, o->op.role),
                                state_text(v, o, buf, sizeof buf)};
        for (int c = 0; c < 4; c++)
            lay_text(L, x + col[c] + 16, y, (c < 3 ? col[c + 1] - col[c] : w - col[c]) - 24, rh,
                     cells[c], FS_BODY, fg, AL_LEFT, c == 0)
                ->max_lines = 1;
    }

    part_back(L, lang);
    const int bw = 300;
    const struct operator_state *sel =
        v->operator_index < v->noperators ? &v->operators[v->operator_index] : NULL;
    if (sel) {
        lay_button_pick(L, CONTENT_X1 - bw, BOTTOM_Y, bw, BUTTON_H, ST_SECONDARY,
                        tr(lang, sel->disabled ? S_OP_ENABLE : S_OP_DISABLE), "D",
                        OPERATORS_PICK_TOGGLE);
        lay_button_pick(L, CONTENT_X1 - 2 * bw - GAP, BOTTOM_Y, bw, BUTTON_H, ST_SECONDARY,
                        tr(lang, S_OP_UNLOCK), "U", OPERATORS_PICK_UNLOCK);
    }
}
