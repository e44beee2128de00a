/*
 * screen_summary.c — the summary: overall grade, where the item goes and
 * the resolution (with the return type), sub-grades, defects in words, the
 * declared reason against what was found ("Declared: Defective — not found:
 * every function check passed"), everything else the label will say (the
 * item check, the unit, LATE, WRONG ITEM or MISMATCH, BLIND), the
 * responsibility to confirm with the rules' suggestion and why, the
 * override reasons when another one is confirmed, and saving. F3 (or its
 * button) overrides the grade: keys 1..4 (or the four buttons that replace
 * the disposition and resolution) choose A, B, C or X; a grade other than
 * the rules' says what the rules decided.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

/* The color a resolution reads in: a rejection or an investigation stands out. */
static uint32_t resolution_color(enum resolution r)
{
    switch (r) {
    case RESOLUTION_REJECT: return C_ERR_TEXT;
    case RESOLUTION_INVESTIGATE: return C_WARN_TEXT;
    case RESOLUTION_NONE: return C_MUTED;
    default: return C_INFO_TEXT;
    }
}

/* Why the rules suggest what they suggest, in words: the facts of the
 * responsibility rule that matched, or the answer that named it. */
static void suggestion_why(const struct view *v, char *out, size_t outlen)
{
    out[0] = 0;
    const struct grade_result *res = v->result;
    const struct rules_category *cat = v->category;
    if (!res || !cat)
        return;
    struct rules_facts f = {.cat = cat,
                            .answers = v->answers,
                            .item_check = inspection_item_check(v->insp),
                            .late = v->insp->late,
                            .reason = v->insp->reason,
                            .responsibility = v->insp->responsibility};
    struct rules_finding fs[4];
    const struct rules_cond *c = rules_resp_cond(v->rules, cat, res);
    if (c) {
        part_findings(v->lang, fs, rules_findings(v->rules, &f, c, fs, 4), out, outlen);
    } else if (res->resp_check >= 0 && res->resp_check < cat->nchecks && v->answers) {
        const struct rules_check *chk = &cat->checks[res->resp_check];
        int a = v->answers[res->resp_check];
        fs[0] =
            (struct rules_finding){.key = CK_CHECK,
                                   .check = chk,
                                   .answer = a >= 0 && a < chk->nanswers ? &chk->answers[a] : NULL};
        part_findings(v->lang, fs, 1, out, outlen);
    }
}

/* The declared reason against what was found, with the facts that decided. */
static void reason_line(const struct view *v, char *out, size_t outlen)
{
    char why[300] = "";
    const struct grade_result *res = v->result;
    const struct rules_cond *c = res ? rules_reason_cond(res) : NULL;
    if (c && v->category) {
        struct rules_facts f = {.cat = v->category,
                                .answers = v->answers,
                                .item_check = inspection_item_check(v->insp),
                                .late = v->insp->late,
                                .reason = v->insp->reason,
                                .responsibility = v->insp->responsibility};
        struct rules_finding fs[4];
        part_findings(v->lang, fs, rules_findings(v->rules, &f, c, fs, 4), why, sizeof why);
    }
    part_reason_line(v->rules, v->lang, v->insp, why, out, outlen);
}

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

    /* The overall grade, where the item goes, what the customer gets. */
    const int lx = CONTENT_X0, lw = 400;
    lay_card(L, lx, cy, lw, ch);
    if (v->rules_grade != GRADE_NONE && v->rules_grade != in->grade) {
        /* Overridden: what the rules decided, beside the title. */
        lay_text(L, lx + 24, cy + 14, lw / 2 - 24, 34, tr(lang, S_GRADE), FS_BODY, C_MUTED, AL_LEFT,
                 false)
            ->max_lines = 1;
        trf(buf, sizeof buf, lang, S_RULES_GRADE, grade_name(v->rules_grade));
        lay_text(L, lx + lw / 2, cy + 14, lw / 2 - 24, 34, buf, FS_BODY, C_MUTED, AL_RIGHT, true)
            ->max_lines = 1;
    } else {
        lay_text(L, lx, cy + 14, lw, 34, tr(lang, S_GRADE), FS_BODY, C_MUTED, AL_CENTER, false);
    }
    struct lay_item *g = lay_add(L, LK_GRADE, lx + (lw - 196) / 2, cy + 54, 196, 196);
    g->num = in->grade;
    if (v->overriding_grade) {
        /* Keys 1..4: A, B, C, X, two by two, where the disposition and the
         * resolution stand otherwise. */
        for (int i = 0; i < 4; i++) {
            int x, y, w, h;
            lay_grid_cell(lx + 20, cy + 270, lw - 40, 200, 2, 2, 12, i, &x, &y, &w, &h);
            const char key[2] = {(char)('1' + i), 0};
            struct lay_item *b = lay_button_text(L, x, y, w, h, ST_SECONDARY,
                                                 grade_name((enum grade)(GRADE_A + i)), key);
            b->size = FS_LARGE;
            snprintf(b->hint, sizeof b->hint, "%s", key);
        }
    } else {
        lay_text(L, lx, cy + 262, lw, 30, tr(lang, S_DISPOSITION), FS_SMALL, C_MUTED, AL_CENTER,
                 false);
        struct lay_item *d =
            lay_text(L, lx + 20, cy + 292, lw - 40, 64, i18n_disposition(lang, in->disposition),
                     FS_TITLE, lay_grade_color(in->grade), AL_CENTER, true);
        d->max_lines = 1;
        d->min_size = FS_BODY;
        lay_text(L, lx, cy + 360, lw, 30, tr(lang, S_RESOLUTION), FS_SMALL, C_MUTED, AL_CENTER,
                 false);
        lay_text(L, lx + 20, cy + 388, lw - 40, 44, i18n_resolution(lang, in->resolution), FS_LARGE,
                 resolution_color(in->resolution), AL_CENTER, true)
            ->max_lines = 1;
        if (in->return_type != RETURN_TYPE_NONE) {
            struct lay_item *rt =
                lay_text(L, lx + 20, cy + 434, lw - 40, 68, i18n_return_type(lang, in->return_type),
                         FS_SMALL, C_MUTED, AL_CENTER, false);
            rt->max_lines = 2;
            rt->valign = VA_TOP;
        }
    }

    /* Sub-grades, defects, the declared reason, what the label will say,
     * responsibility. */
    const int rx = lx + lw + 24, rw = CONTENT_X1 - rx, ix = rx + 32, iw = rw - 64;
    lay_card(L, rx, cy, rw, ch);
    part_sub_grades(L, in, lang, ix, cy + 20, iw, 96, 16, 32, 38, 52, FS_TITLE);
    part_join_defects(in, v->rules, lang, "  ·  ", buf, sizeof buf);
    lay_text(L, ix, cy + 124, iw, 30, tr(lang, S_DEFECTS), FS_SMALL, C_MUTED, AL_LEFT, false);
    struct lay_item *df = lay_text(L, ix, cy + 150, iw, 40, buf[0] ? buf : tr(lang, S_NO_DEFECTS),
                                   FS_BODY, C_TEXT, AL_LEFT, true);
    df->max_lines = 1;
    df->min_size = FS_SMALL;

    /* The declared reason against what was found, in words. */
    reason_line(v, buf, sizeof buf);
    struct lay_item *rl =
        lay_text(L, ix, cy + 194, iw, 64, buf, FS_BODY,
                 in->reason_check == REASON_CHECK_NOT_FOUND ? C_WARN_TEXT : C_TEXT, AL_LEFT, false);
    rl->max_lines = 2;
    rl->min_size = FS_SMALL;
    rl->valign = VA_TOP;

    bool asking = v->asking_override && v->rules;
    if (!asking) {
        /* The label's flags, then what the item check found; for another
         * product, what was expected and found. */
        int fx = part_flags(L, in, v->calibrating, lang, ix, cy + 264, 38, false);
        if (fx > ix)
            fx += GAP;
        if (in->wrong_item)
            trf(buf, sizeof buf, lang, S_EXPECTED_SCANNED, in->sku, in->scanned_item);
        else
            snprintf(buf, sizeof buf, "%s",
                     i18n_item_check(lang, inspection_item_check(in), in->wrong_item));
        if (ix + iw - fx > 80)
            lay_text(L, fx, cy + 264, ix + iw - fx, 38, buf, FS_SMALL,
                     in->wrong_item ? C_ERR_TEXT : C_MUTED, AL_LEFT, false)
                ->max_lines = 1;
    }

    if (asking) {
        /* Another responsibility than the suggested one: why? The override
         * reasons as keys 1..n. */
        trf(buf, sizeof buf, lang, S_OVERRIDE_TITLE, i18n_responsibility(lang, in->responsibility),
            i18n_responsibility(lang, in->responsibility_suggested));
        lay_text(L, ix, cy + 262, iw, 44, buf, FS_BODY, C_WARN_TEXT, AL_LEFT, true)->max_lines = 1;
        int n = v->rules->noverrides, cols = n <= 4 ? (n < 2 ? 1 : 2) : 3;
        int rows = (n + cols - 1) / cols;
        for (int i = 0; i < n; i++) {
            int x, y, w, h;
            lay_grid_cell(ix, cy + 314, iw, 162, cols, rows, 10, i, &x, &y, &w, &h);
            char hint[4];
            struct lay_item *b = lay_button_pick(
                L, x, y, w, h, ST_ANSWER, text_get(&v->rules->overrides[i].text, lang),
                part_hint_digit(i, hint), SUMMARY_PICK_OVERRIDE + i);
            b->max_lines = 2;
        }
    } else {
        /* Who is responsible: the rules' suggestion and why, then the choice
         * (merchant … platform, then none; pick = enum responsibility). */
        lay_text(L, ix, cy + 306, iw, 28, tr(lang, S_RESPONSIBILITY), FS_SMALL, C_MUTED, AL_LEFT,
                 false);
        if (res && in->responsibility_suggested != RESP_NONE) {
            char why[300];
            suggestion_why(v, why, sizeof why);
            if (why[0])
                trf(buf, sizeof buf, lang, S_SUGGESTED_WHY,
                    i18n_responsibility(lang, in->responsibility_suggested), why);
            else
                trf(buf, sizeof buf, lang, S_SUGGESTED,
                    i18n_responsibility(lang, in->responsibility_suggested));
            struct lay_item *sg =
                lay_text(L, ix, cy + 334, iw, 32, buf, FS_SMALL, C_INFO_TEXT, AL_LEFT, false);
            sg->max_lines = 1;
            sg->min_size = FS_SMALL;
        }
        static const enum responsibility order[RESP_COUNT] = {
            RESP_MERCHANT, RESP_LOGISTICS, RESP_CUSTOMER, RESP_PLATFORM, RESP_NONE};
        bool editable = v->save_state == SAVE_IDLE;
        for (int i = 0; i < RESP_COUNT; i++) {
            int x, y, w, h;
            lay_grid_cell(ix, cy + 376, iw, 100, RESP_COUNT, 1, 12, i, &x, &y, &w, &h);
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
    }

    switch (v->save_state) {
    case SAVE_IDLE:
        part_back(L, lang);
        if (asking) {
            trf(buf, sizeof buf, lang, S_OVERRIDE_HINT, v->rules->noverrides);
            lay_panel(L, CONTENT_X1 - 400, BOTTOM_Y, 400, BUTTON_H, C_WARN_SOFT, 0, R_BUTTON);
            lay_text(L, CONTENT_X1 - 400, BOTTOM_Y, 400, BUTTON_H, buf, FS_BODY, C_WARN_TEXT,
                     AL_CENTER, true)
                ->max_lines = 1;
            break;
        }
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
