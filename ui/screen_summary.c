/*
 * screen_summary.c — the summary: overall grade and where the item goes,
 * sub-grades, defects, everything else the label will say (the item check,
 * the unit, LATE, WRONG ITEM or MISMATCH, BLIND) and the declared reason in
 * words, the responsibility to confirm, and saving. F3 (or its button)
 * overrides the grade: keys 1..4 (or the four buttons that replace the
 * disposition) choose A, B, C or X; a grade other than the rules' says what
 * the rules decided.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

void lay_summary(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct inspection *in = v->insp;
    const struct grade_result *res = v->result;
    if (!in) {
        part_back(L, lang);
        return;
    }
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    char buf[LAY_TEXT_MAX];

    /* The overall grade and where the item goes. */
    const int lx = CONTENT_X0, lw = 400;
    lay_card(L, lx, cy, lw, ch);
    if (v->rules_grade != GRADE_NONE && v->rules_grade != in->grade) {
        /* Overridden: what the rules decided, beside the title. */
        lay_text(L, lx + 24, cy + 20, lw / 2 - 24, 36, tr(lang, S_GRADE), FS_BODY, C_MUTED,
                 AL_LEFT, false)
            ->max_lines = 1;
        trf(buf, sizeof buf, lang, S_RULES_GRADE, grade_name(v->rules_grade));
        lay_text(L, lx + lw / 2, cy + 20, lw / 2 - 24, 36, buf, FS_BODY, C_MUTED, AL_RIGHT, true)
            ->max_lines = 1;
    } else {
        lay_text(L, lx, cy + 20, lw, 36, tr(lang, S_GRADE), FS_BODY, C_MUTED, AL_CENTER, false);
    }
    struct lay_item *g = lay_add(L, LK_GRADE, lx + (lw - 232) / 2, cy + 68, 232, 232);
    g->num = in->grade;
    if (v->overriding_grade) {
        /* Keys 1..4: A, B, C, X, two by two. */
        for (int i = 0; i < 4; i++) {
            int x, y, w, h;
            lay_grid_cell(lx + 20, cy + 312, lw - 40, 156, 2, 2, 12, i, &x, &y, &w, &h);
            const char key[2] = {(char)('1' + i), 0};
            struct lay_item *b = lay_button_text(L, x, y, w, h, ST_SECONDARY,
                                                 grade_name((enum grade)(GRADE_A + i)), key);
            b->size = FS_LARGE;
            snprintf(b->hint, sizeof b->hint, "%s", key);
        }
    } else {
        lay_text(L, lx, cy + 320, lw, 34, tr(lang, S_DISPOSITION), FS_SMALL, C_MUTED, AL_CENTER,
                 false);
        struct lay_item *d =
            lay_text(L, lx + 20, cy + 356, lw - 40, 100, i18n_disposition(lang, in->disposition),
                     FS_TITLE, lay_grade_color(in->grade), AL_CENTER, true);
        d->max_lines = 2;
        d->min_size = FS_BODY;
        d->valign = VA_TOP;
    }

    /* Sub-grades, defects, what the label will say, responsibility. */
    const int rx = lx + lw + 24, rw = CONTENT_X1 - rx, ix = rx + 32, iw = rw - 64;
    lay_card(L, rx, cy, rw, ch);
    part_sub_grades(L, in, lang, ix, cy + 20, iw, 96, 16, 32, 38, 52, FS_TITLE);
    part_join_defects(in, "  ·  ", buf, sizeof buf);
    lay_text(L, ix, cy + 126, iw, 30, tr(lang, S_DEFECTS), FS_SMALL, C_MUTED, AL_LEFT, false);
    struct lay_item *df = lay_text(L, ix, cy + 156, iw, 40, buf[0] ? buf : tr(lang, S_NO_DEFECTS),
                                   FS_BODY, C_TEXT, AL_LEFT, true);
    df->max_lines = 1;

    /* The item check and the declared reason, in words (the unit is a flag). */
    const int colw = (iw - GAP) / 2;
    part_fact(L, ix, cy + 206, colw, tr(lang, S_ITEM_CHECK),
              i18n_item_check(lang, inspection_item_check(in), in->wrong_item), FS_BODY, 1);
    part_fact(L, ix + colw + GAP, cy + 206, colw, tr(lang, S_ITEM_REASON),
              in->reason[0] ? i18n_reason(lang, in->reason) : tr(lang, S_DASH), FS_BODY, 1);
    /* The label's flags; for another product, what was expected and found. */
    int fx = part_flags(L, in, v->calibrating, lang, ix, cy + 288, 40, false);
    if (in->wrong_item) {
        trf(buf, sizeof buf, lang, S_EXPECTED_SCANNED, in->sku, in->scanned_item);
        if (ix + iw - fx > 80)
            lay_text(L, fx, cy + 288, ix + iw - fx, 40, buf, FS_SMALL, C_ERR_TEXT, AL_LEFT, false)
                ->max_lines = 1;
    }

    lay_text(L, ix, cy + 338, iw / 2, 30, tr(lang, S_RESPONSIBILITY), FS_SMALL, C_MUTED, AL_LEFT,
             false);
    if (res && res->responsibility != RESP_NONE && res->responsibility != in->responsibility) {
        trf(buf, sizeof buf, lang, S_SUGGESTED, i18n_responsibility(lang, res->responsibility));
        lay_text(L, ix + iw / 2, cy + 338, iw / 2, 30, buf, FS_SMALL, C_MUTED, AL_RIGHT, false);
    }
    /* Shown merchant … platform, then none; pick = enum responsibility. */
    static const enum responsibility order[RESP_COUNT] = {RESP_MERCHANT, RESP_LOGISTICS,
                                                          RESP_CUSTOMER, RESP_PLATFORM, RESP_NONE};
    bool editable = v->save_state == SAVE_IDLE;
    for (int i = 0; i < RESP_COUNT; i++) {
        int x, y, w, h;
        lay_grid_cell(ix, cy + 372, iw, 104, RESP_COUNT, 1, 12, i, &x, &y, &w, &h);
        enum responsibility r = order[i];
        bool on = in->responsibility == r;
        struct lay_item *b = lay_button_pick(L, x, y, w, h, on ? ST_TOGGLE_ON : ST_TOGGLE_OFF,
                                             i18n_responsibility(lang, r), NULL, (int)r);
        b->icon = on ? ICON_CHECK : ICON_NONE;
        b->max_lines = 2;
        if (!editable) {
            b->w.has_event = false; /* the inspection is on its way to the store */
            b->w.kind = W_LABEL;
        }
    }

    switch (v->save_state) {
    case SAVE_IDLE:
        part_back(L, lang);
        if (!v->calibrating && !v->overriding_grade)
            lay_button_key(L, CONTENT_X0 + 260, BOTTOM_Y, 320, BUTTON_H, ST_SECONDARY,
                           tr(lang, S_OVERRIDE_GRADE), "F3", KEY_OVERRIDE);
        lay_button_key(L, CONTENT_X1 - 400, BOTTOM_Y, 400, BUTTON_H, ST_PRIMARY,
                       tr(lang, S_CONFIRM), "↵", KEY_ENTER)
            ->size = FS_LARGE;
        break;
    case SAVE_PENDING: {
        lay_panel(L, CONTENT_X1 - 400, BOTTOM_Y, 400, BUTTON_H, C_PRIMARY_SOFT, 0, R_BUTTON);
        lay_text(L, CONTENT_X1 - 400, BOTTOM_Y, 400, BUTTON_H, tr(lang, S_SAVING), FS_LARGE,
                 C_INFO_TEXT, AL_CENTER, true);
        break;
    }
    case SAVE_FAILED: {
        const int py = BOTTOM_Y - 12, ph = CONTENT_Y1 - py;
        lay_panel(L, CONTENT_X0, py, CONTENT_W, ph, C_ERR_SOFT, C_ERR, R_BUTTON);
        lay_text(L, CONTENT_X0 + 24, py + 6, 860, 44, tr(lang, S_NOT_SAVED), FS_BODY, C_ERR_TEXT,
                 AL_LEFT, true)
            ->max_lines = 1;
        const char *why =
            v->msg == MSG_SAVE_FAILED && v->msg_arg[0] ? v->msg_arg : tr(lang, S_NOT_SAVED_HINT);
        lay_text(L, CONTENT_X0 + 24, py + 50, 860, 44, why, FS_SMALL, C_ERR_TEXT, AL_LEFT, false)
            ->max_lines = 1;
        lay_button_key(L, CONTENT_X1 - 280 - 12, py + 12, 280, ph - 24, ST_DANGER,
                       tr(lang, S_RETRY), "↵", KEY_ENTER);
        break;
    }
    }
}
