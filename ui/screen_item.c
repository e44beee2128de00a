/*
 * screen_item.c — the item screen: what the manifest expects beside the item
 * scanned; or the categories to pick from (blind receipt, no matching
 * checklist); or an inspection already graded, to re-grade or reprint.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

static const char *category_name(const struct view *v)
{
    return v->category ? text_get(&v->category->name, v->lang) : NULL;
}

/* Flags of the inspection as pills, right-aligned ending at x1. */
static void flag_pills(const struct view *v, struct lay *L, int x1, int y)
{
    if (v->insp)
        part_flags(L, v->insp, v->calibrating, v->lang, x1, y, 40, true);
}

static void lay_pick_category(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    char buf[LAY_TEXT_MAX];
    const char *rma = v->insp && v->insp->rma[0] ? v->insp->rma : "—";
    lay_text(L, CONTENT_X0, CONTENT_Y0, 760, 60, tr(lang, S_PICK_TITLE), FS_TITLE, C_TEXT, AL_LEFT,
             true)
        ->max_lines = 1;
    if (v->insp && v->insp->wrong_item && v->expected)
        trf(buf, sizeof buf, lang, S_WRONG_SUB, v->expected->sku, v->insp->scanned_item);
    else
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
                        part_hint_digit(i, hint), i);
    }
    part_back(L, lang);
}

static void lay_existing(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct inspection *in = v->existing;
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    const int lx = CONTENT_X0, lw = 800, ix = lx + 32, iw = lw - 64;
    char buf[LAY_TEXT_MAX];

    lay_card(L, lx, cy, lw, ch);
    lay_text(L, ix, cy + 16, 300, 34, tr(lang, S_EXISTING_TITLE), FS_SMALL, C_MUTED, AL_LEFT,
             false);
    part_flags(L, in, false, lang, lx + lw - 32, cy + 12, 40, true);
    lay_text(L, ix, cy + 50, iw, 48, in->plate, FS_LARGE, C_TEXT, AL_LEFT, true)->max_lines = 1;
    lay_text(L, ix, cy + 100, iw, 40, in->description[0] ? in->description : in->sku, FS_BODY,
             C_TEXT, AL_LEFT, false)
        ->max_lines = 1;
    char when[40];
    part_time(in->finished_at, "%Y-%m-%d %H:%M", when, sizeof when);
    trf(buf, sizeof buf, lang, S_WHEN_BY, when, in->operator_badge);
    lay_text(L, ix, cy + 140, iw, 34, buf, FS_SMALL, C_MUTED, AL_LEFT, false)->max_lines = 1;

    /* Sub-grades. */
    part_sub_grades(L, in, lang, ix, cy + 190, iw, 100, 16, 34, 44, 48, FS_LARGE);
    part_join_defects(in, v->rules, lang, ", ", buf, sizeof buf);
    part_fact(L, ix, cy + 310, iw / 2 - 8, tr(lang, S_DEFECTS),
              buf[0] ? buf : tr(lang, S_NO_DEFECTS), FS_BODY, 2);
    part_fact(L, ix + iw / 2 + 8, cy + 310, iw / 2 - 8, tr(lang, S_RESPONSIBILITY),
              i18n_responsibility(lang, in->responsibility), FS_BODY, 1);
    const struct rules_category *cat = NULL;
    for (int i = 0; v->rules && i < v->rules->ncategories; i++)
        if (strcmp(v->rules->categories[i].id, in->category) == 0)
            cat = &v->rules->categories[i];
    part_fact(L, ix + iw / 2 + 8, cy + 400, iw / 2 - 8, tr(lang, S_ITEM_CATEGORY),
              cat ? text_get(&cat->name, lang) : in->category, FS_BODY, 1);
    part_fact(L, ix, cy + 400, iw / 2 - 8, tr(lang, S_ITEM_RMA), in->rma, FS_BODY, 1);

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
    /* What the customer got (outcomes recorded with the grading policy). */
    if (in->resolution != RESOLUTION_NONE) {
        snprintf(buf, sizeof buf, "%s%s%s", tr(lang, S_RESOLUTION), tr(lang, S_DETAIL_SEP),
                 i18n_resolution(lang, in->resolution));
        lay_text(L, rx + 16, cy + 440, rw - 32, 44, buf, FS_BODY, C_INFO_TEXT, AL_CENTER, false)
            ->max_lines = 1;
    }

    part_back(L, lang);
    /* Every unit of the RMA is graded: one more only when asked for. */
    if (v->all_units_graded)
        lay_button_pick(L, 288, BOTTOM_Y, 328, BUTTON_H, ST_SECONDARY, tr(lang, S_EXTRA_UNIT), "+",
                        ITEM_PICK_EXTRA);
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
        part_fact(L, ix, cy + 184, colw, tr(lang, S_ITEM_SKU), ex->sku, FS_BODY, 1);
        part_fact(L, x2, cy + 184, colw, tr(lang, S_ITEM_RMA), ex->rma, FS_BODY, 1);
        part_fact(L, ix, cy + 270, colw, tr(lang, S_ITEM_ORDER), ex->order_id, FS_BODY, 1);
        part_fact(L, x2, cy + 270, colw, tr(lang, S_ITEM_DELIVERED), ex->delivered_at, FS_BODY, 1);
        part_fact(L, ix, cy + 356, colw, tr(lang, S_ITEM_REASON),
                  part_reason_name(v->rules, lang, ex->reason), FS_BODY, 1);
        part_fact(L, x2, cy + 356, colw, tr(lang, S_ITEM_CATEGORY),
                  cat ? cat : tr(lang, S_ITEM_NO_CATEGORY), FS_BODY, 1);
        /* Several units: which one this is, and how many are still to come. */
        if (in && (inspection_units(in) > 1 || in->extra_unit)) {
            char unit[64], left[96];
            trf(unit, sizeof unit, lang, S_BADGE_UNIT, inspection_unit(in), inspection_units(in));
            trf(left, sizeof left, lang, S_ITEM_UNITS_LEFT, v->units_left);
            snprintf(buf, sizeof buf, "%s · %s", unit, left);
            lay_text(L, ix, cy + 446, iw, 40, buf, FS_BODY, C_INFO_TEXT, AL_LEFT, true)->max_lines =
                1;
        }
    } else {
        trf(buf, sizeof buf, lang, S_ITEM_BLIND_SUB, in && in->rma[0] ? in->rma : "—");
        struct lay_item *d = lay_text(L, ix, cy + 72, iw, 96, buf, FS_LARGE, C_TEXT, AL_LEFT, true);
        d->max_lines = 2;
        d->min_size = FS_BODY;
        d->valign = VA_TOP;
        part_fact(L, ix, cy + 184, iw, tr(lang, S_ITEM_CATEGORY),
                  cat ? cat : tr(lang, S_ITEM_NO_CATEGORY), FS_BODY, 1);
    }

    /* The item itself. */
    const int rx = lx + lw + 24, rw = CONTENT_X1 - rx, rix = rx + 32, riw = rw - 64;
    lay_card(L, rx, cy, rw, ch);
    struct lay_item *t = lay_text(L, rix, cy + 24, riw, 100, tr(lang, S_ITEM_SCAN_TITLE), FS_LARGE,
                                  C_TEXT, AL_LEFT, true);
    t->max_lines = 2;
    t->valign = VA_TOP;
    lay_field(L, rix, cy + 140, riw, 96, v->input, tr(lang, S_WAITING_SCANNER), FS_LARGE);
    if (v->item_scanned && in) {
        /* What the scan found: the same item, another unit, another product,
         * or nothing to compare it with. */
        enum item_check ic = inspection_item_check(in);
        bool bad = ic == ITEM_CHECK_MISMATCHED, good = ic == ITEM_CHECK_MATCHED;
        uint32_t fg = bad ? C_ERR_TEXT : good ? C_OK_TEXT : C_INFO_TEXT;
        uint32_t bg = bad ? C_ERR_SOFT : good ? C_OK_SOFT : C_INFO_SOFT;
        lay_panel(L, rix, cy + 256, riw, 88, bg, 0, R_BUTTON);
        if (bad) {
            lay_text(L, rix + 8, cy + 256, 40, 88, "!", FS_TITLE, C_ERR, AL_CENTER, true);
        } else if (good) {
            struct lay_item *ic_ok = lay_add(L, LK_TEXT, rix + 12, cy + 282, 36, 36);
            ic_ok->icon = ICON_CHECK;
            ic_ok->fg = C_OK;
        }
        lay_text(L, rix + 56, cy + 262, riw - 72, 36, i18n_item_check(lang, ic, in->wrong_item),
                 FS_SMALL, fg, AL_LEFT, true)
            ->max_lines = 1;
        lay_text(L, rix + 56, cy + 298, riw - 72, 40, in->scanned_item, FS_BODY, fg, AL_LEFT, false)
            ->max_lines = 1;
    }
    struct lay_item *h = lay_text(L, rix, cy + ch - 96, riw, 72, tr(lang, S_TYPE_HINT), FS_SMALL,
                                  C_MUTED, AL_LEFT, false);
    h->max_lines = 2;

    part_back(L, lang);
    if (v->category)
        lay_button_key(L, CONTENT_X1 - 320, BOTTOM_Y, 320, BUTTON_H, ST_PRIMARY,
                       tr(lang, S_CONTINUE), "↵", KEY_ENTER);
}
