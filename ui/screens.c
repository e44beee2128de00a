/*
 * screens.c — the content area of each screen, laid out from the view.
 *
 * Content runs from CONTENT_Y0 (below the top bar and the message bar, which
 * layout.c draws) to CONTENT_Y1, MARGIN from each side. One primary (blue)
 * action per screen, bottom right; Back bottom left. Choices made by touch
 * send EV_PICK with these meanings:
 *   item, picking a category: pick = index into view->rules->categories
 *   check: pick = index of the answer in the current check (keys 1..n too)
 *   summary: pick = enum responsibility (0 none, 1 merchant, 2 logistics,
 *            3 customer, 4 platform); shown merchant…platform, then none.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "layout.h"
#include "theme.h"

#define BOTTOM_Y (CONTENT_Y1 - BUTTON_H)

static const char *hint_digit(int i, char buf[4])
{
    if (i >= 0 && i < 9) {
        buf[0] = (char)('1' + i);
        buf[1] = 0;
    } else {
        buf[0] = 0;
    }
    return buf;
}

static void back_button(struct lay *L, enum lang lang)
{
    lay_button_key(L, CONTENT_X0, BOTTOM_Y, 240, BUTTON_H, ST_SECONDARY, tr(lang, S_BACK), "Esc",
                   KEY_ESCAPE);
}

/* A small label above a value, both left-aligned in one column. */
static void fact(struct lay *L, int x, int y, int w, const char *label, const char *value,
                 int value_size, int lines)
{
    lay_text(L, x, y, w, 32, label, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;
    int h = lines * (value_size + 12);
    struct lay_item *t = lay_text(L, x, y + 34, w, h, value && value[0] ? value : "—", value_size,
                                  C_TEXT, AL_LEFT, false);
    t->max_lines = lines;
    t->valign = VA_TOP;
}

/* ---- login ------------------------------------------------------------- */

static void number_pad(struct lay *L, enum lang lang, int x, int y, int w, int h)
{
    static const char *keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
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
        if (v->badge_name && v->badge_name[0]) {
            trf(buf, sizeof buf, lang, S_LOGIN_HELLO, v->badge_name);
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

/* ---- scan -------------------------------------------------------------- */

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
    lay_field(L, gx, fy, fw, 104, v->input, tr(lang, S_SCAN_WAITING), FS_TITLE);
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

    /* What this session did so far, on the bottom row beside the buttons. */
    const int cw = 600;
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
    const int w = 256;
    lay_button_key(L, CONTENT_X1 - w, BOTTOM_Y, w, BUTTON_H, ST_SECONDARY, tr(lang, S_LOGOUT),
                   "F12", KEY_LOGOUT);
    if (v->op && (v->op->role == ROLE_SUPERVISOR || v->op->role == ROLE_ADMIN))
        lay_button_key(L, CONTENT_X1 - 2 * w - GAP, BOTTOM_Y, w, BUTTON_H, ST_SECONDARY,
                       tr(lang, S_STATS), "F2", KEY_STATS);
}

/* ---- item -------------------------------------------------------------- */

static const char *category_name(const struct view *v)
{
    return v->category ? text_get(&v->category->name, v->lang) : NULL;
}

static void format_time(int64_t ms, char *out, size_t outlen)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (ms <= 0 || !localtime_r(&secs, &tm)) {
        snprintf(out, outlen, "—");
        return;
    }
    strftime(out, outlen, "%Y-%m-%d %H:%M", &tm);
}

/* Flags of the inspection as pills, right-aligned ending at x1. */
static void flag_pills(const struct view *v, struct lay *L, int x1, int y)
{
    const struct inspection *in = v->insp;
    if (!in)
        return;
    struct {
        bool on;
        enum str s;
        uint32_t fg, bg;
    } flags[] = {
        {in->blind, S_BADGE_BLIND, C_INFO_TEXT, C_INFO_SOFT},
        {v->calibrating, S_BADGE_REGRADE, 0xFFFFFFu, C_PRIMARY},
        {in->mismatch, S_BADGE_MISMATCH, 0xFFFFFFu, C_ERR},
        {in->late, S_BADGE_LATE, C_WARN_TEXT, C_WARN_SOFT},
    };
    int x = x1;
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        if (!flags[i].on)
            continue;
        const int w = v->lang == LANG_ZH ? 88 : 156;
        x -= w;
        lay_pill(L, x, y, w, 40, tr(v->lang, flags[i].s), flags[i].fg, flags[i].bg);
        x -= 12;
    }
}

static void lay_pick_category(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    char buf[LAY_TEXT_MAX];
    const char *rma = v->insp && v->insp->rma[0] ? v->insp->rma : "—";
    lay_text(L, CONTENT_X0, CONTENT_Y0, 760, 60, tr(lang, S_PICK_TITLE), FS_TITLE, C_TEXT, AL_LEFT,
             true)
        ->max_lines = 1;
    trf(buf, sizeof buf, lang, v->expected ? S_PICK_SUB : S_ITEM_BLIND_SUB, rma);
    lay_text(L, CONTENT_X0, CONTENT_Y0 + 64, CONTENT_W, 40, buf, FS_BODY, C_MUTED, AL_LEFT, false)
        ->max_lines = 1;
    flag_pills(v, L, CONTENT_X1, CONTENT_Y0 + 10);

    int n = v->rules ? v->rules->ncategories : 0;
    const int gy = CONTENT_Y0 + 124, gh = BOTTOM_Y - 24 - gy;
    int cols = n <= 2 ? (n < 1 ? 1 : n) : n <= 4 ? 2 : n <= 9 ? 3 : 4;
    int maxrows = (gh + GAP) / (80 + GAP);
    int rows = (n + cols - 1) / cols;
    if (rows > maxrows) {
        rows = maxrows;
        n = rows * cols; /* more categories than fit: the first ones, keys 1..9 */
    }
    if (rows < 1)
        rows = 1;
    int rowh = (gh - (rows - 1) * GAP) / rows;
    if (rowh > 168)
        rowh = 168;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        lay_grid_cell(CONTENT_X0, gy, CONTENT_W, rows * rowh + (rows - 1) * GAP, cols, rows, GAP, i,
                      &x, &y, &w, &h);
        char hint[4];
        lay_button_pick(L, x, y, w, h, ST_ANSWER, text_get(&v->rules->categories[i].name, lang),
                        hint_digit(i, hint), i);
    }
    back_button(L, lang);
}

/* The three sub-grade tiles (cosmetic, functional, completeness) in a row
 * at x0, y0, w0 wide and h0 high: the aspect's name at pad/2 from the top,
 * label_h high, and its grade letter at letter_dy, letter_h high, in letter_fs. */
static void sub_grade_tiles(struct lay *L, const struct inspection *in, enum lang lang, int x0,
                            int y0, int w0, int h0, int pad, int label_h, int letter_dy,
                            int letter_h, int letter_fs)
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
                 g ? grade_name(g) : tr(lang, S_GRADE_NONE), letter_fs, lay_grade_color(g), AL_LEFT,
                 true);
    }
}

/* The inspection's defect codes joined by `sep` into out ("" when none). */
static void join_defects(const struct inspection *in, const char *sep, char *out, size_t outlen)
{
    out[0] = 0;
    for (int i = 0; i < in->ndefects && i < INSP_MAX_DEFECTS; i++) {
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "%s%s", i ? sep : "", in->defects[i]);
    }
}

static void lay_existing(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct inspection *in = v->existing;
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    const int lx = CONTENT_X0, lw = 800, ix = lx + 32, iw = lw - 64;
    char buf[LAY_TEXT_MAX];

    lay_card(L, lx, cy, lw, ch);
    lay_text(L, ix, cy + 16, 400, 34, tr(lang, S_EXISTING_TITLE), FS_SMALL, C_MUTED, AL_LEFT,
             false);
    lay_text(L, ix, cy + 50, iw, 48, in->plate, FS_LARGE, C_TEXT, AL_LEFT, true)->max_lines = 1;
    lay_text(L, ix, cy + 100, iw, 40, in->description[0] ? in->description : in->sku, FS_BODY,
             C_TEXT, AL_LEFT, false)
        ->max_lines = 1;
    char when[40];
    format_time(in->finished_at, when, sizeof when);
    trf(buf, sizeof buf, lang, S_EXISTING_WHEN, when, in->operator_badge);
    lay_text(L, ix, cy + 140, iw, 34, buf, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;

    /* Sub-grades. */
    sub_grade_tiles(L, in, lang, ix, cy + 190, iw, 100, 16, 34, 44, 48, FS_LARGE);
    join_defects(in, ", ", buf, sizeof buf);
    fact(L, ix, cy + 310, iw / 2 - 8, tr(lang, S_DEFECTS), buf[0] ? buf : tr(lang, S_NO_DEFECTS),
         FS_BODY, 2);
    fact(L, ix + iw / 2 + 8, cy + 310, iw / 2 - 8, tr(lang, S_RESPONSIBILITY),
         i18n_responsibility(lang, in->responsibility), FS_BODY, 1);
    const struct rules_category *cat = NULL;
    for (int i = 0; v->rules && i < v->rules->ncategories; i++)
        if (strcmp(v->rules->categories[i].id, in->category) == 0)
            cat = &v->rules->categories[i];
    fact(L, ix + iw / 2 + 8, cy + 400, iw / 2 - 8, tr(lang, S_ITEM_CATEGORY),
         cat ? text_get(&cat->name, lang) : in->category, FS_BODY, 1);
    fact(L, ix, cy + 400, iw / 2 - 8, tr(lang, S_ITEM_RMA), in->rma, FS_BODY, 1);

    /* The grade, large. */
    const int rx = lx + lw + 24, rw = CONTENT_X1 - rx;
    lay_card(L, rx, cy, rw, ch);
    lay_text(L, rx, cy + 16, rw, 34, tr(lang, S_GRADE), FS_SMALL, C_MUTED, AL_CENTER, false);
    struct lay_item *g = lay_add(L, LK_GRADE, rx + (rw - 220) / 2, cy + 56, 220, 220);
    g->num = in->grade;
    lay_text(L, rx, cy + 300, rw, 34, tr(lang, S_DISPOSITION), FS_SMALL, C_MUTED, AL_CENTER, false);
    lay_text(L, rx + 16, cy + 336, rw - 32, 96, i18n_disposition(lang, in->disposition), FS_LARGE,
             lay_grade_color(in->grade), AL_CENTER, true)
        ->max_lines = 2;

    back_button(L, lang);
    lay_button_key(L, 632, BOTTOM_Y, 300, BUTTON_H, ST_SECONDARY, tr(lang, S_REPRINT), "F5",
                   KEY_REPRINT);
    lay_button_key(L, CONTENT_X1 - 300, BOTTOM_Y, 300, BUTTON_H, ST_PRIMARY, tr(lang, S_REGRADE),
                   "↵", KEY_ENTER);
}

void lay_item(const struct view *v, struct lay *L)
{
    if (v->picking_category && v->rules) {
        lay_pick_category(v, L);
        return;
    }
    if (v->existing) {
        lay_existing(v, L);
        return;
    }
    enum lang lang = v->lang;
    const struct inspection *in = v->insp;
    const struct manifest_row *ex = v->expected;
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    const int lx = CONTENT_X0, lw = 776, ix = lx + 32, iw = lw - 64;
    char buf[LAY_TEXT_MAX];

    /* What the manifest expects. */
    lay_card(L, lx, cy, lw, ch);
    lay_text(L, ix, cy + 20, 360, 40, tr(lang, ex ? S_ITEM_EXPECTED : S_ITEM_BLIND_TITLE), FS_SMALL,
             C_MUTED, AL_LEFT, false)
        ->max_lines = 1;
    flag_pills(v, L, lx + lw - 32, cy + 20);
    const char *cat = category_name(v);
    if (ex) {
        struct lay_item *d =
            lay_text(L, ix, cy + 72, iw, 96, ex->description[0] ? ex->description : ex->sku,
                     FS_LARGE, C_TEXT, AL_LEFT, true);
        d->max_lines = 2;
        d->min_size = FS_BODY;
        d->valign = VA_TOP;
        const int colw = iw / 2 - 8, x2 = ix + iw / 2 + 8;
        fact(L, ix, cy + 184, colw, tr(lang, S_ITEM_SKU), ex->sku, FS_BODY, 1);
        fact(L, x2, cy + 184, colw, tr(lang, S_ITEM_RMA), ex->rma, FS_BODY, 1);
        fact(L, ix, cy + 270, colw, tr(lang, S_ITEM_ORDER), ex->order_id, FS_BODY, 1);
        fact(L, x2, cy + 270, colw, tr(lang, S_ITEM_DELIVERED), ex->delivered_at, FS_BODY, 1);
        fact(L, ix, cy + 356, colw, tr(lang, S_ITEM_REASON), ex->reason, FS_BODY, 1);
        fact(L, x2, cy + 356, colw, tr(lang, S_ITEM_CATEGORY),
             cat ? cat : tr(lang, S_ITEM_NO_CATEGORY), FS_BODY, 1);
    } else {
        trf(buf, sizeof buf, lang, S_ITEM_BLIND_SUB, in && in->rma[0] ? in->rma : "—");
        struct lay_item *d = lay_text(L, ix, cy + 72, iw, 96, buf, FS_LARGE, C_TEXT, AL_LEFT, true);
        d->max_lines = 2;
        d->min_size = FS_BODY;
        d->valign = VA_TOP;
        fact(L, ix, cy + 184, iw, tr(lang, S_ITEM_CATEGORY),
             cat ? cat : tr(lang, S_ITEM_NO_CATEGORY), FS_BODY, 1);
    }

    /* The item itself. */
    const int rx = lx + lw + 24, rw = CONTENT_X1 - rx, rix = rx + 32, riw = rw - 64;
    lay_card(L, rx, cy, rw, ch);
    struct lay_item *t = lay_text(L, rix, cy + 24, riw, 100, tr(lang, S_ITEM_SCAN_TITLE), FS_LARGE,
                                  C_TEXT, AL_LEFT, true);
    t->max_lines = 2;
    t->valign = VA_TOP;
    lay_field(L, rix, cy + 140, riw, 96, v->input, tr(lang, S_ITEM_SCAN_WAITING), FS_LARGE);
    if (v->item_scanned) {
        bool bad = in && in->mismatch;
        uint32_t fg = bad ? C_ERR_TEXT : C_OK_TEXT, bg = bad ? C_ERR_SOFT : C_OK_SOFT;
        lay_panel(L, rix, cy + 256, riw, 88, bg, 0, R_BUTTON);
        if (bad) {
            lay_text(L, rix + 8, cy + 256, 40, 88, "!", FS_TITLE, C_ERR, AL_CENTER, true);
        } else {
            struct lay_item *ic = lay_add(L, LK_TEXT, rix + 12, cy + 282, 36, 36);
            ic->icon = ICON_CHECK;
            ic->fg = C_OK;
        }
        const char *what = in && in->gtin[0] ? in->gtin : in && in->serial[0] ? in->serial : "";
        lay_text(L, rix + 56, cy + 262, riw - 72, 36,
                 tr(lang, bad ? S_BADGE_MISMATCH : S_ITEM_SCANNED), FS_SMALL, fg, AL_LEFT, true)
            ->max_lines = 1;
        lay_text(L, rix + 56, cy + 298, riw - 72, 40, what, FS_BODY, fg, AL_LEFT, false)
            ->max_lines = 1;
    }
    struct lay_item *h = lay_text(L, rix, cy + ch - 96, riw, 72, tr(lang, S_TYPE_HINT), FS_SMALL,
                                  C_MUTED, AL_LEFT, false);
    h->max_lines = 2;

    back_button(L, lang);
    if (v->category)
        lay_button_key(L, CONTENT_X1 - 320, BOTTOM_Y, 320, BUTTON_H, ST_PRIMARY,
                       tr(lang, S_CONTINUE), "↵", KEY_ENTER);
}

/* ---- check ------------------------------------------------------------- */

void lay_check(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct rules_category *cat = v->category;
    if (!cat || v->check_index < 0 || v->check_index >= cat->nchecks) {
        back_button(L, lang);
        return;
    }
    const struct rules_check *chk = &cat->checks[v->check_index];
    char buf[LAY_TEXT_MAX];

    /* One row: the category, the progress, "Question i of n". */
    const int pw = 240, tw = 260;
    lay_pill(L, CONTENT_X0, CONTENT_Y0, pw, 48, text_get(&cat->name, lang), C_INFO_TEXT,
             C_PRIMARY_SOFT)
        ->size = FS_BODY;
    trf(buf, sizeof buf, lang, S_QUESTION_OF, v->check_index + 1, cat->nchecks);
    lay_text(L, CONTENT_X1 - tw, CONTENT_Y0, tw, 48, buf, FS_BODY, C_MUTED, AL_RIGHT, false)
        ->max_lines = 1;
    struct lay_item *p = lay_add(L, LK_PROGRESS, CONTENT_X0 + pw + 24, CONTENT_Y0 + 18,
                                 CONTENT_W - pw - tw - 48, 12);
    p->num = v->check_index;
    p->total = cat->nchecks;

    int n = chk->nanswers;
    int cols = n <= 3 ? (n < 1 ? 1 : n) : n == 4 ? 2 : n <= 9 ? 3 : 4;
    int rows = (n + cols - 1) / cols;
    if (rows > 4) {
        rows = 4;
        n = rows * cols; /* a checklist with more than 16 answers: the first 16 */
    }
    if (rows < 1)
        rows = 1;
    /* Four rows of answers take room from the question. */
    const int qy = CONTENT_Y0 + 68, qh = rows > 3 ? 72 : 128;
    struct lay_item *q = lay_text(L, CONTENT_X0 + 40, qy, CONTENT_W - 80, qh,
                                  text_get(&chk->text, lang), FS_TITLE, C_TEXT, AL_CENTER, true);
    /* Large on one or two lines; a long question shrinks to three. */
    q->max_lines = rows > 3 ? 2 : 3;
    q->min_size = FS_BODY;

    const int ay = qy + qh + 24, ah = BOTTOM_Y - 24 - ay;
    int rowh = (ah - (rows - 1) * GAP) / rows;
    if (rowh > 200)
        rowh = 200;
    int gridh = rows * rowh + (rows - 1) * GAP;
    int gy = ay + (ah - gridh) / 2;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        lay_grid_cell(CONTENT_X0, gy, CONTENT_W, gridh, cols, rows, GAP, i, &x, &y, &w, &h);
        char hint[4];
        lay_button_pick(L, x, y, w, h, ST_ANSWER, text_get(&chk->answers[i].text, lang),
                        hint_digit(i, hint), i);
    }
    back_button(L, lang);
}

/* ---- summary ----------------------------------------------------------- */

void lay_summary(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct inspection *in = v->insp;
    const struct grade_result *res = v->result;
    if (!in) {
        back_button(L, lang);
        return;
    }
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    char buf[LAY_TEXT_MAX];

    /* The overall grade and where the item goes. */
    const int lx = CONTENT_X0, lw = 400;
    lay_card(L, lx, cy, lw, ch);
    lay_text(L, lx, cy + 20, lw, 36, tr(lang, S_GRADE), FS_BODY, C_MUTED, AL_CENTER, false);
    struct lay_item *g = lay_add(L, LK_GRADE, lx + (lw - 232) / 2, cy + 68, 232, 232);
    g->num = in->grade;
    lay_text(L, lx, cy + 320, lw, 34, tr(lang, S_DISPOSITION), FS_SMALL, C_MUTED, AL_CENTER, false);
    struct lay_item *d =
        lay_text(L, lx + 20, cy + 356, lw - 40, 100, i18n_disposition(lang, in->disposition),
                 FS_TITLE, lay_grade_color(in->grade), AL_CENTER, true);
    d->max_lines = 2;
    d->min_size = FS_BODY;
    d->valign = VA_TOP;

    /* Sub-grades, defects, responsibility. */
    const int rx = lx + lw + 24, rw = CONTENT_X1 - rx, ix = rx + 32, iw = rw - 64;
    lay_card(L, rx, cy, rw, ch);
    sub_grade_tiles(L, in, lang, ix, cy + 28, iw, 116, 20, 36, 52, 56, FS_TITLE);
    join_defects(in, "  ·  ", buf, sizeof buf);
    lay_text(L, ix, cy + 166, iw, 34, tr(lang, S_DEFECTS), FS_SMALL, C_MUTED, AL_LEFT, false);
    struct lay_item *df = lay_text(L, ix, cy + 200, iw, 84, buf[0] ? buf : tr(lang, S_NO_DEFECTS),
                                   FS_BODY, C_TEXT, AL_LEFT, true);
    df->max_lines = 2;
    df->valign = VA_TOP;

    lay_text(L, ix, cy + 306, iw / 2, 34, tr(lang, S_RESPONSIBILITY), FS_SMALL, C_MUTED, AL_LEFT,
             false);
    if (res && res->responsibility != RESP_NONE && res->responsibility != in->responsibility) {
        trf(buf, sizeof buf, lang, S_SUGGESTED, i18n_responsibility(lang, res->responsibility));
        lay_text(L, ix + iw / 2, cy + 306, iw / 2, 34, buf, FS_SMALL, C_MUTED, AL_RIGHT, false);
    }
    /* Shown merchant … platform, then none; pick = enum responsibility. */
    static const enum responsibility order[RESP_COUNT] = {RESP_MERCHANT, RESP_LOGISTICS,
                                                          RESP_CUSTOMER, RESP_PLATFORM, RESP_NONE};
    bool editable = v->save_state == SAVE_IDLE;
    for (int i = 0; i < RESP_COUNT; i++) {
        int x, y, w, h;
        lay_grid_cell(ix, cy + 346, iw, 112, RESP_COUNT, 1, 12, i, &x, &y, &w, &h);
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
        back_button(L, lang);
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

/* ---- stats: the supervisors' screen lives in screen_stats.c ---- */

void lay_stats(const struct view *v, struct lay *L)
{
    lay_stats_screen(v, L);
}
