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
    char unit[64], photos[64];
    trf(unit, sizeof unit, lang, S_BADGE_UNIT, inspection_unit(in), inspection_units(in));
    trf(photos, sizeof photos, lang, S_PHOTO_COUNT, in->nphotos);
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
        /* The evidence kept with it, as the label counts it. */
        {in->nphotos > 0, photos, zh ? 150 : 160, C_INFO_TEXT, C_INFO_SOFT},
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

char *part_join_defects(const struct inspection *in, const struct rules *rules, enum lang lang,
                        const char *sep, char *out, size_t outlen)
{
    out[0] = 0;
    for (int i = 0; i < in->ndefects && i < INSP_MAX_DEFECTS; i++) {
        const struct text *t = rules_defect_text(rules, in->defects[i]);
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "%s%s", i ? sep : "",
                 t ? text_get(t, lang) : in->defects[i]);
    }
    return out;
}

const char *part_reason_name(const struct rules *rules, enum lang lang, const char *declared)
{
    const struct rules_reason *r = rules_reason(rules, declared);
    return r ? text_get(&r->text, lang) : i18n_reason(lang, declared);
}

/* One finding in words into out. */
static void finding_words(enum lang lang, const struct rules_finding *f, char *out, size_t outlen)
{
    static const enum str aspect_ok[ASPECT_COUNT] = {S_FOUND_COSMETIC_OK, S_FOUND_FUNCTIONAL_OK,
                                                     S_FOUND_COMPLETENESS_OK};
    out[0] = 0;
    switch (f->key) {
    case CK_CHECK:
        if (f->answer)
            trf(out, outlen, lang, S_FOUND_ANSWER, text_get(&f->check->text, lang),
                text_get(&f->answer->text, lang));
        else
            trf(out, outlen, lang, S_FOUND_NOT_ASKED, text_get(&f->check->text, lang));
        break;
    case CK_ASPECT:
        if (f->grade == GRADE_A)
            snprintf(out, outlen, "%s", tr(lang, aspect_ok[f->aspect]));
        else if (f->grade == GRADE_NONE)
            trf(out, outlen, lang, S_FOUND_NO_ASPECT, i18n_aspect(lang, f->aspect));
        else
            trf(out, outlen, lang, S_FOUND_ASPECT, i18n_aspect(lang, f->aspect),
                grade_name(f->grade));
        break;
    case CK_GRADE: trf(out, outlen, lang, S_FOUND_GRADE, grade_name(f->grade)); break;
    case CK_ITEM_CHECK:
        snprintf(out, outlen, "%s", i18n_item_check(lang, f->item_check, false));
        break;
    case CK_LATE:
        snprintf(out, outlen, "%s", tr(lang, f->late ? S_FOUND_LATE : S_FOUND_IN_TIME));
        break;
    case CK_RESPONSIBILITY:
        snprintf(out, outlen, "%s", i18n_responsibility(lang, f->responsibility));
        break;
    default: break;
    }
}

char *part_findings(enum lang lang, const struct rules_finding *f, int n, char *out, size_t outlen)
{
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        char one[200];
        finding_words(lang, &f[i], one, sizeof one);
        if (!one[0])
            continue;
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "%s%s", len ? tr(lang, S_LIST_SEP) : "", one);
    }
    return out;
}

char *part_reason_line(const struct rules *rules, enum lang lang, const struct inspection *in,
                       const char *why, char *out, size_t outlen)
{
    if (!in->reason[0]) {
        snprintf(out, outlen, "%s", tr(lang, S_REASON_NONE));
        return out;
    }
    const char *name = part_reason_name(rules, lang, in->reason);
    const struct rules_reason *r = rules_reason(rules, in->reason);
    bool why_given = why && why[0];
    switch (in->reason_check) {
    case REASON_CHECK_CONFIRMED:
        if (why_given)
            trf(out, outlen, lang, S_REASON_CONFIRMED, name, why);
        else
            trf(out, outlen, lang, S_REASON_CONFIRMED_BARE, name);
        break;
    case REASON_CHECK_NOT_FOUND:
        if (why_given)
            trf(out, outlen, lang, S_REASON_NOT_FOUND, name, why);
        else
            trf(out, outlen, lang, S_REASON_NOT_FOUND_BARE, name);
        break;
    default:
        if (r && !r->quality)
            trf(out, outlen, lang, S_REASON_NOT_QUALITY, name);
        else
            trf(out, outlen, lang, S_REASON_DECLARED, name);
        break;
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

bool part_photo_path(const struct view *v, const struct photo_ref *p, char *out, size_t cap)
{
    if (!v->data_dir || !v->data_dir[0] || !p || !p->file[0])
        return false;
    int n = snprintf(out, cap, "%s/%s", v->data_dir, p->file);
    return n > 0 && (size_t)n < cap;
}
