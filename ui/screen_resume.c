/*
 * screen_resume.c — an unfinished inspection offered back after a login
 * (Continue where it stopped, or Discard it), and the question F12 asks in
 * the middle of an inspection (log out now, the inspection kept, or go on).
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

void lay_resume(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct draft *d = v->draft;
    if (!d) {
        part_back(L, lang);
        return;
    }
    const struct inspection *in = &d->insp;
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    const int x = CONTENT_X0, w = CONTENT_W, ix = x + 32, iw = w - 64;
    char buf[LAY_TEXT_MAX];

    lay_card(L, x, cy, w, ch);
    lay_text(L, ix, cy + 20, iw, 60, tr(lang, S_RESUME_TITLE), FS_TITLE, C_TEXT, AL_LEFT, true)
        ->max_lines = 1;
    const char *what = in->description[0]           ? in->description
                       : d->expected.description[0] ? d->expected.description
                                                    : in->sku;
    lay_text(L, ix, cy + 92, iw, 48, what, FS_LARGE, C_TEXT, AL_LEFT, false)->max_lines = 1;

    /* The RMA, the category, the item check and how far the checklist went
     * (the unit, when the RMA expects several, is a flag below). */
    const struct rules_category *cat = NULL;
    for (int i = 0; v->rules && i < v->rules->ncategories; i++)
        if (strcmp(v->rules->categories[i].id, in->category) == 0)
            cat = &v->rules->categories[i];
    const int colw = (iw - 2 * GAP) / 3;
    part_fact(L, ix, cy + 164, colw, tr(lang, S_ITEM_RMA), in->rma, FS_BODY, 1);
    part_fact(L, ix + colw + GAP, cy + 164, colw, tr(lang, S_ITEM_CATEGORY),
              cat ? text_get(&cat->name, lang) : in->category, FS_BODY, 1);
    part_fact(L, ix + 2 * (colw + GAP), cy + 164, colw, tr(lang, S_ITEM_CHECK),
              i18n_item_check(lang, inspection_item_check(in), in->wrong_item), FS_BODY, 1);
    trf(buf, sizeof buf, lang, S_RESUME_ANSWERED, in->nanswers, cat ? cat->nchecks : in->nanswers);
    lay_text(L, ix, cy + 256, iw, 44, buf, FS_LARGE, C_INFO_TEXT, AL_LEFT, true)->max_lines = 1;

    part_flags(L, in, false, lang, ix, cy + 316, 40, false);
    char when[40], saved[96];
    part_time(d->saved_at, "%Y-%m-%d %H:%M", when, sizeof when);
    trf(saved, sizeof saved, lang, S_RESUME_SAVED, when);
    lay_text(L, ix, cy + 372, iw, 34, saved, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    struct lay_item *h = lay_text(L, ix, cy + 412, iw, 72, tr(lang, S_RESUME_HINT), FS_BODY,
                                  C_MUTED, AL_LEFT, false);
    h->max_lines = 2;
    h->valign = VA_TOP;

    lay_button_key(L, CONTENT_X0, BOTTOM_Y, 300, BUTTON_H, ST_SECONDARY, tr(lang, S_DISCARD), "Esc",
                   KEY_ESCAPE);
    lay_button_key(L, CONTENT_X1 - 400, BOTTOM_Y, 400, BUTTON_H, ST_PRIMARY, tr(lang, S_CONTINUE),
                   "↵", KEY_ENTER)
        ->size = FS_LARGE;
}

void lay_confirm_logout(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    char buf[LAY_TEXT_MAX];
    const int w = 880, h = 360, x = (UI_W - w) / 2, y = CONTENT_Y0 + 40;
    lay_card(L, x, y, w, h);
    lay_text(L, x + 40, y + 32, w - 80, 60, tr(lang, S_LOGOUT_TITLE), FS_TITLE, C_TEXT, AL_LEFT,
             true)
        ->max_lines = 1;
    trf(buf, sizeof buf, lang, S_LOGOUT_KEPT, v->insp && v->insp->rma[0] ? v->insp->rma : "—");
    struct lay_item *t =
        lay_text(L, x + 40, y + 112, w - 80, 96, buf, FS_BODY, C_MUTED, AL_LEFT, false);
    t->max_lines = 3;
    t->valign = VA_TOP;
    lay_button_key(L, x + 40, y + h - 40 - BUTTON_H, 360, BUTTON_H, ST_SECONDARY,
                   tr(lang, S_KEEP_GRADING), "Esc", KEY_ESCAPE);
    lay_button_key(L, x + w - 40 - 340, y + h - 40 - BUTTON_H, 340, BUTTON_H, ST_PRIMARY,
                   tr(lang, S_LOGOUT), "F12", KEY_LOGOUT);
}
