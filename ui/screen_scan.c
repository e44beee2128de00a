/*
 * screen_scan.c — the scan screen: waiting for a return label, with a field for
 * a code typed by hand and what this session saved so far.
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

void lay_scan(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const int hy = CONTENT_Y0, hh = BOTTOM_Y - 24 - hy;
    lay_card(L, CONTENT_X0, hy, CONTENT_W, hh);
    const int top = hy + (hh - 320) / 2;
    lay_text(L, CONTENT_X0, top, CONTENT_W, 72, tr(lang, S_SCAN_TITLE), FS_HERO, C_TEXT, AL_CENTER,
             true)
        ->max_lines = 1;
    lay_text(L, CONTENT_X0, top + 80, CONTENT_W, 40, tr(lang, S_SCAN_SUB), FS_BODY, C_MUTED,
             AL_CENTER, false)
        ->max_lines = 1;
    /* The field and its Continue button, centred as a pair; Continue is
     * greyed out (and not a target) until something is typed. */
    const int fw = 640, bw = 232, gx = (UI_W - fw - GAP - bw) / 2, fy = top + 160;
    lay_field(L, gx, fy, fw, 104, v->input, tr(lang, S_WAITING_SCANNER), FS_TITLE);
    if (v->input && v->input[0]) {
        lay_button_key(L, gx + fw + GAP, fy, bw, 104, ST_PRIMARY, tr(lang, S_CONTINUE), "↵",
                       KEY_ENTER);
    } else {
        lay_panel(L, gx + fw + GAP, fy, bw, 104, C_DISABLED, 0, R_BUTTON);
        lay_text(L, gx + fw + GAP, fy, bw, 104, tr(lang, S_CONTINUE), FS_BODY, C_MUTED, AL_CENTER,
                 true)
            ->max_lines = 1;
    }
    lay_text(L, CONTENT_X0, fy + 124, CONTENT_W, 36, tr(lang, S_TYPE_HINT), FS_SMALL, C_MUTED,
             AL_CENTER, false)
        ->max_lines = 1;

    /* What this session did so far, on the bottom row beside the buttons
     * (narrower for an admin, who has two buttons more, all narrower). */
    bool admin = v->op && v->op->role == ROLE_ADMIN;
    const int w = admin ? 216 : 256;
    const int cw = admin ? CONTENT_X1 - 4 * w - 4 * GAP - CONTENT_X0 : 600;
    lay_card(L, CONTENT_X0, BOTTOM_Y, cw, BUTTON_H);
    if (v->last_plate[0]) {
        char buf[160], count[96];
        trf(count, sizeof count, lang, S_SCAN_COUNT, v->saved_count);
        snprintf(buf, sizeof buf, "%s · %s", tr(lang, S_SCAN_LAST), count);
        lay_text(L, CONTENT_X0 + 28, BOTTOM_Y + 6, cw - 56, 34, buf, FS_SMALL, C_MUTED, AL_LEFT,
                 false)
            ->max_lines = 1;
        lay_text(L, CONTENT_X0 + 28, BOTTOM_Y + 38, cw - 56, 44, v->last_plate, FS_LARGE, C_TEXT,
                 AL_LEFT, true)
            ->max_lines = 1;
    } else {
        lay_text(L, CONTENT_X0 + 28, BOTTOM_Y, cw - 56, BUTTON_H, tr(lang, S_SCAN_NONE_YET),
                 FS_BODY, C_MUTED, AL_LEFT, false)
            ->max_lines = 1;
    }
    lay_button_key(L, CONTENT_X1 - w, BOTTOM_Y, w, BUTTON_H, ST_SECONDARY, tr(lang, S_LOGOUT),
                   "F12", KEY_LOGOUT);
    if (v->op && (v->op->role == ROLE_SUPERVISOR || v->op->role == ROLE_ADMIN))
        lay_button_key(L, CONTENT_X1 - 2 * w - GAP, BOTTOM_Y, w, BUTTON_H, ST_SECONDARY,
                       tr(lang, S_STATS), "F2", KEY_STATS);
    if (admin) {
        lay_button_key(L, CONTENT_X1 - 3 * w - 2 * GAP, BOTTOM_Y, w, BUTTON_H, ST_SECONDARY,
                       tr(lang, S_OPERATORS), "F4", KEY_OPERATORS);
        lay_button_key(L, CONTENT_X1 - 4 * w - 3 * GAP, BOTTOM_Y, w, BUTTON_H, ST_SECONDARY,
                       tr(lang, S_SERVICE), "F6", KEY_SERVICE);
    }
}
