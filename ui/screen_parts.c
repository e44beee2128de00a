/*
 * screen_parts.c — pieces of layout that several screens share: Back, a
 * labelled fact, number-key hints, the sub-grade tiles, defects and times
 * as text.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

const char *part_hint_digit(int i, char buf[4])
{
    if (i >= 0 && i < 9) {
        buf[0] = (char)('1' + i);
        buf[1] = 0;
    } else {
        buf[0] = 0;
    }
    return buf;
}

void part_back(struct lay *L, enum lang lang)
{
    lay_button_key(L, CONTENT_X0, BOTTOM_Y, 240, BUTTON_H, ST_SECONDARY, tr(lang, S_BACK), "Esc",
                   KEY_ESCAPE);
}

int part_flags(struct lay *L, const struct inspection *in, bool calibrating, enum lang lang, int x,
               int y, int h, bool right_align)
{
    bool zh = lang == LANG_ZH;
    char unit[64];
    trf(unit, sizeof unit, lang, S_BADGE_UNIT, inspection_unit(in), inspection_units(in));
    bool wrong = in->wrong_item;
    struct {
        bool on;
        const char *text;
        int w;
        uint32_t fg, bg;
    } flags[] = {
        {in->late, tr(lang, S_BADGE_LATE), zh ? 88 : 110, C_WARN_TEXT, C_WARN_SOFT},
        {wrong, tr(lang, S_BADGE_WRONG_ITEM), zh ? 124 : 190, 0xFFFFFFu, C_ERR},
        {in->mismatch && !wrong, tr(lang, S_BADGE_MISMATCH), zh ? 88 : 156, 0xFFFFFFu, C_ERR},
        {in->blind, tr(lang, S_BADGE_BLIND), zh ? 88 : 120, C_INFO_TEXT, C_INFO_SOFT},
        {calibrating, tr(lang, S_BADGE_REGRADE), zh ? 124 : 156, 0xFFFFFFu, C_PRIMARY},
        {inspection_units(in) > 1 || in->extra_unit, unit, zh ? 136 : 190, C_INFO_TEXT,
         C_PRIMARY_SOFT},
        {in->extra_unit, tr(lang, S_BADGE_EXTRA), zh ? 124 : 180, C_WARN_TEXT, C_WARN_SOFT},
    };
    const int n = (int)(sizeof flags / sizeof *flags);
    for (int k = 0; k < n; k++) {
        int i = right_align ? n - 1 - k : k;
        if (!flags[i].on)
            continue;
        if (right_align)
            x -= flags[i].w;
        lay_pill(L, x, y, flags[i].w, h, flags[i].text, flags[i].fg, flags[i].bg);
        x = right_align ? x - 12 : x + flags[i].w + 12;
    }
    return x;
}

void part_fact(struct lay *L, int x, int y, int w, const char *label, const char *value,
               int value_size, int lines)
{
    lay_text(L, x, y, w, 32, label, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    int h = lines * (value_size + 12);
    struct lay_item *t = lay_text(L, x, y + 34, w, h, value && value[0] ? value : "—", value_size,
                                  C_TEXT, AL_LEFT, false);
    t->max_lines = lines;
    t->valign = VA_TOP;
}

void part_sub_grades(struct lay *L, const struct inspection *in, enum lang lang, int x0, int y0,
                     int w0, int h0, int pad, int label_h, int letter_dy, int letter_h,
                     int letter_fs)
{
    for (int a = 0; a < ASPECT_COUNT; a++) {
        int x, y, w, h;
        lay_grid_cell(x0, y0, w0, h0, 3, 1, GAP, a, &x, &y, &w, &h);
        enum grade g = in->aspect_grade[a];
        lay_panel(L, x, y, w, h, lay_grade_soft(g), 0, R_BUTTON);
        lay_text(L, x + pad, y + pad / 2, w - 2 * pad, label_h, i18n_aspect(lang, (enum aspect)a),
                 FS_SMALL, C_TEXT, AL_LEFT, false)
            ->max_lines = 1;
        lay_text(L, x + pad, y + letter_dy, w - 2 * pad, letter_h,
                 g ? grade_name(g) : tr(lang, S_DASH), letter_fs, lay_grade_color(g), AL_LEFT,
                 true);
    }
}

char *part_join_defects(const struct inspection *in, const char *sep, char *out, size_t outlen)
{
    out[0] = 0;
    for (int i = 0; i < in->ndefects && i < INSP_MAX_DEFECTS; i++) {
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "%s%s", i ? sep : "", in->defects[i]);
    }
    return out;
}

char *part_time(int64_t ms, const char *fmt, char *out, size_t outlen)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (ms <= 0 || !localtime_r(&secs, &tm))
        snprintf(out, outlen, "—");
    else
        strftime(out, outlen, fmt, &tm);
    return out;
}
