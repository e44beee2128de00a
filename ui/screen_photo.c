/*
 * screen_photo.c — the photo an answer asks for: the camera's live view (an
 * LK_CAMERA item, painted from the newest frame the main loop handed the
 * UI), what the photo is for, whether it is required, the photo this answer
 * already has (to compare with the live view), and the ways on: take
 * it (Return), go on without (Tab: an optional photo, or keeping the one
 * taken), a supervisor's waiver when the camera gives no picture (F3), back
 * to the question (Esc).
 */
#include <stdio.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

void lay_photo(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct rules_check *chk = v->photo_check;
    if (!chk || !v->photo_answer) {
        part_back(L, lang);
        return;
    }
    char buf[LAY_TEXT_MAX];

    /* What the photo is for: the question and the answer chosen. */
    const int pw = 240;
    lay_pill(L, CONTENT_X0, CONTENT_Y0, pw, 48, tr(lang, S_PHOTO_TITLE), C_INFO_TEXT,
             C_PRIMARY_SOFT)
        ->size = FS_BODY;
    snprintf(buf, sizeof buf, "%s — %s", text_get(&chk->text, lang),
             text_get(&v->photo_answer->text, lang));
    lay_text(L, CONTENT_X0 + pw + 20, CONTENT_Y0, CONTENT_W - pw - 20, 48, buf, FS_LARGE, C_TEXT,
             AL_LEFT, true)
        ->max_lines = 1;

    /* The live view, 16:9, on the left. */
    const int vy = CONTENT_Y0 + 64, vw = 760, vh = 428;
    lay_add(L, LK_CAMERA, CONTENT_X0, vy, vw, vh);
    if (v->camera_error && v->camera_error[0]) {
        lay_panel(L, CONTENT_X0 + 24, vy + vh / 2 - 110, vw - 48, 220, C_ERR_SOFT, 0, R_CARD);
        lay_text(L, CONTENT_X0 + 48, vy + vh / 2 - 96, vw - 96, 52, tr(lang, S_PHOTO_NO_CAMERA),
                 FS_LARGE, C_ERR_TEXT, AL_CENTER, true)
            ->max_lines = 1;
        lay_text(L, CONTENT_X0 + 48, vy + vh / 2 - 36, vw - 96, 132, v->camera_error, FS_BODY,
                 C_ERR_TEXT, AL_CENTER, false)
            ->max_lines = 3;
    } else if (v->photo_taking) {
        lay_pill(L, CONTENT_X0 + vw / 2 - 180, vy + vh - 72, 360, 52, tr(lang, S_PHOTO_TAKING),
                 C_INFO_TEXT, C_INFO_SOFT);
    }

    /* On the right: required or not, a photo kept, the count, the waiver. */
    const int rx = CONTENT_X0 + vw + 24, rw = CONTENT_X1 - rx;
    int y = vy;
    lay_panel(L, rx, y, rw, 96, v->photo_required ? C_WARN_SOFT : C_INFO_SOFT, 0, R_PILL);
    struct lay_item *r =
        lay_text(L, rx + 16, y + 8, rw - 32, 80,
                 tr(lang, v->photo_required ? S_PHOTO_REQUIRED : S_PHOTO_OPTIONAL), FS_BODY,
                 v->photo_required ? C_WARN_TEXT : C_INFO_TEXT, AL_LEFT, true);
    r->max_lines = 2;
    y += 112;
    if (v->insp) {
        trf(buf, sizeof buf, lang, S_PHOTO_COUNT, v->insp->nphotos);
        lay_text(L, rx, y, rw, 40, buf, FS_BODY, C_TEXT, AL_LEFT, false)->max_lines = 1;
        y += 48;
    }
    if (v->photo_taken) {
        struct lay_item *t =
            lay_text(L, rx, y, rw, 72, tr(lang, S_PHOTO_HAS_ONE), FS_BODY, C_MUTED, AL_LEFT, false);
        t->max_lines = 2;
        t->valign = VA_TOP;
        y += 80;
        /* The one kept, to compare with the live view. */
        char path[LAY_TEXT_MAX];
        if (part_photo_path(v, v->photo_taken, path, sizeof path))
            lay_picture(L, rx, y, rw, vy + vh - y, path);
    } else if (v->photo_waivable) {
        struct lay_item *t = lay_text(L, rx, y, rw, 128, tr(lang, S_PHOTO_WAIVE_HINT), FS_BODY,
                                      C_MUTED, AL_LEFT, false);
        t->max_lines = 4;
        t->valign = VA_TOP;
    }

    /* The ways on, bottom row: Back, then (right to left) take, on, waive. */
    part_back(L, lang);
    int bx = CONTENT_X1 - 340;
    if (!v->camera_error || !v->camera_error[0])
        lay_button_pick(L, bx, BOTTOM_Y, 340, BUTTON_H, ST_PRIMARY,
                        tr(lang, v->photo_taken ? S_PHOTO_RETAKE : S_PHOTO_TAKE), "↵",
                        PHOTO_PICK_TAKE)
            ->size = FS_LARGE;
    else
        bx += 340 + GAP;
    if (!v->photo_required || v->photo_taken) {
        bx -= 300 + GAP;
        lay_button_pick(L, bx, BOTTOM_Y, 300, BUTTON_H, ST_SECONDARY,
                        tr(lang, v->photo_taken ? S_PHOTO_KEEP : S_PHOTO_SKIP), "Tab",
                        PHOTO_PICK_ON);
    }
    if (v->photo_waivable) {
        bx -= 340 + GAP;
        lay_button_pick(L, bx, BOTTOM_Y, 340, BUTTON_H, ST_SECONDARY, tr(lang, S_PHOTO_WAIVE), "F3",
                        PHOTO_PICK_WAIVE);
    }
}
