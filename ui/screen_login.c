/*
 * screen_login.c — the login screen: scan or type a badge, then the PIN on a
 * number pad; the language button shows the other language in its own words.
 */
#include "i18n.h"
#include "screens.h"
#include "theme.h"

static void number_pad(struct lay *L, enum lang lang, int x, int y, int w, int h)
{
    static const char keys[12][2] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
    for (int i = 0; i < 12; i++) {
        int cx, cy, cw, ch;
        lay_grid_cell(x, y, w, h, 3, 4, GAP, i, &cx, &cy, &cw, &ch);
        if (i == 9) {
            struct lay_item *b = lay_button_key(L, cx, cy, cw, ch, ST_PAD, "", NULL, KEY_BACKSPACE);
            b->icon = ICON_BACKSPACE;
        } else if (i == 11) {
            struct lay_item *b =
                lay_button_key(L, cx, cy, cw, ch, ST_PRIMARY, tr(lang, S_OK), NULL, KEY_ENTER);
            b->size = FS_TITLE;
        } else {
            lay_button_text(L, cx, cy, cw, ch, ST_PAD, keys[i], keys[i]);
        }
    }
}

void lay_login(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const int cx = CONTENT_X0, cy = CONTENT_Y0, cw = 620, ch = CONTENT_Y1 - CONTENT_Y0;
    const int ix = cx + 40, iw = cw - 80;
    lay_card(L, cx, cy, cw, ch);

    char buf[LAY_TEXT_MAX];
    bool checking = v->login_step == LOGIN_STEP_CHECKING;
    if (v->login_step == LOGIN_STEP_PIN || checking) {
        if (v->login_badge && v->login_badge[0]) {
            trf(buf, sizeof buf, lang, S_LOGIN_HELLO, v->login_badge);
            lay_text(L, ix, cy + 36, iw, 48, buf, FS_LARGE, C_MUTED, AL_LEFT, false)->max_lines = 1;
        }
        lay_text(L, ix, cy + 92, iw, 64, tr(lang, S_LOGIN_PIN_TITLE), FS_TITLE, C_TEXT, AL_LEFT,
                 true)
            ->max_lines = 1;
        struct lay_item *f =
            lay_field(L, ix, cy + 184, iw, 104, "", tr(lang, S_LOGIN_PIN_EMPTY), FS_TITLE);
        if (v->pin_len > 0) {
            f->text[0] = 0;
            f->placeholder = false;
            struct lay_item *d = lay_add(L, LK_DOTS, ix + 24, cy + 184, iw - 48, 104);
            d->num = v->pin_len;
            d->total = v->pin_len;
            d->fg = C_TEXT;
        }
        lay_text(L, ix, cy + 300, iw, 40, tr(lang, checking ? S_LOGIN_CHECKING : S_LOGIN_PIN_SUB),
                 FS_BODY, C_MUTED, AL_LEFT, false);
        lay_button_key(L, ix, cy + ch - 40 - BUTTON_H, 220, BUTTON_H, ST_SECONDARY,
                       tr(lang, S_BACK), "Esc", KEY_ESCAPE);
    } else {
        lay_text(L, ix, cy + 44, iw, 64, tr(lang, S_LOGIN_BADGE_TITLE), FS_TITLE, C_TEXT, AL_LEFT,
                 true)
            ->max_lines = 1;
        lay_text(L, ix, cy + 112, iw, 40, tr(lang, S_LOGIN_BADGE_SUB), FS_BODY, C_MUTED, AL_LEFT,
                 false);
        lay_field(L, ix, cy + 184, iw, 104, v->input, tr(lang, S_LOGIN_BADGE_WAIT), FS_TITLE);
    }
    /* The language button shows the other language, in that language. */
    enum lang other = lang == LANG_EN ? LANG_ZH : LANG_EN;
    int lx = v->login_step != LOGIN_STEP_BADGE ? ix + 236 : ix;
    lay_button_key(L, lx, cy + ch - 40 - BUTTON_H, 220, BUTTON_H, ST_SECONDARY,
                   tr(other, S_LANG_NAME), "F1", KEY_LANG);

    number_pad(L, lang, cx + cw + 24, cy, CONTENT_X1 - (cx + cw + 24), ch);
}
