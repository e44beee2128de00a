/*
 * screen_auth.c — the authorisation panel, over whichever screen asked for
 * it (view->auth_action != AUTH_NONE): what is to be allowed, the badge of
 * a supervisor or admin (scanned or typed), then their PIN on a number pad.
 * The screen below is veiled and takes no touch: a touch outside the panel
 * does nothing.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

void lay_auth(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    /* The screen below takes no touch while the panel is up, and a veil
     * hides it (the message bar stays). */
    for (int i = 0; i < L->n; i++)
        if (L->items[i].w.has_event) {
            L->items[i].w.has_event = false;
            L->items[i].w.kind = W_LABEL;
        }
    lay_panel(L, 0, CONTENT_Y0 - 20, UI_W, UI_H - (CONTENT_Y0 - 20), C_BG, 0, 0);

    const int x = CONTENT_X0 + 80, y = CONTENT_Y0, w = 620, h = CONTENT_Y1 - CONTENT_Y0;
    const int ix = x + 40, iw = w - 80;
    lay_card(L, x, y, w, h);
    char buf[LAY_TEXT_MAX];
    lay_text(L, ix, y + 28, iw, 56, tr(lang, S_AUTH_TITLE), FS_TITLE, C_TEXT, AL_LEFT, true)
        ->max_lines = 1;
    enum str what = v->auth_action == AUTH_REGRADE          ? S_AUTH_REGRADE
                    : v->auth_action == AUTH_OVERRIDE_GRADE ? S_AUTH_OVERRIDE_GRADE
                                                            : S_AUTH_DISCARD_DRAFT;
    trf(buf, sizeof buf, lang, what, v->auth_subject ? v->auth_subject : "");
    struct lay_item *t = lay_text(L, ix, y + 88, iw, 64, buf, FS_BODY, C_MUTED, AL_LEFT, false);
    t->max_lines = 2;
    t->valign = VA_TOP;

    if (v->auth_step == AUTH_STEP_BADGE) {
        lay_text(L, ix, y + 160, iw, 40, tr(lang, S_AUTH_BADGE), FS_BODY, C_TEXT, AL_LEFT, true);
        lay_field(L, ix, y + 208, iw, 104, v->auth_input, tr(lang, S_LOGIN_BADGE_WAIT), FS_TITLE);
    } else {
        trf(buf, sizeof buf, lang, S_AUTH_PIN, v->auth_input ? v->auth_input : "");
        lay_text(L, ix, y + 160, iw, 40, buf, FS_BODY, C_TEXT, AL_LEFT, true)->max_lines = 1;
        struct lay_item *f =
            lay_field(L, ix, y + 208, iw, 104, "", tr(lang, S_LOGIN_PIN_EMPTY), FS_TITLE);
        if (v->auth_pin_len > 0) {
            f->text[0] = 0;
            f->placeholder = false;
            struct lay_item *d = lay_add(L, LK_DOTS, ix + 24, y + 208, iw - 48, 104);
            d->num = v->auth_pin_len;
            d->total = v->auth_pin_len;
            d->fg = C_TEXT;
        }
        if (v->auth_step == AUTH_STEP_CHECKING)
            lay_text(L, ix, y + 324, iw, 40, tr(lang, S_LOGIN_CHECKING), FS_BODY, C_MUTED, AL_LEFT,
                     false);
    }
    lay_button_key(L, ix, y + h - 40 - BUTTON_H, 220, BUTTON_H, ST_SECONDARY, tr(lang, S_CANCEL),
                   "Esc", KEY_ESCAPE);

    /* The number pad: digits, backspace, OK. */
    static const char keys[12][2] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
    const int px = x + w + 24, pw = CONTENT_X1 - px;
    for (int i = 0; i < 12; i++) {
        int cx, cy, cw, ch;
        lay_grid_cell(px, y, pw, h, 3, 4, GAP, i, &cx, &cy, &cw, &ch);
        if (i == 9)
            lay_button_key(L, cx, cy, cw, ch, ST_PAD, "", NULL, KEY_BACKSPACE)->icon =
                ICON_BACKSPACE;
        else if (i == 11)
            lay_button_key(L, cx, cy, cw, ch, ST_PRIMARY, tr(lang, S_OK), NULL, KEY_ENTER)->size =
                FS_TITLE;
        else
            lay_button_text(L, cx, cy, cw, ch, ST_PAD, keys[i], keys[i]);
    }
}
