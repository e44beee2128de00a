/*
 * screen_check.c — the checklist: one question at a time, its answers as numbered
 * choices (keys 1..n), progress through the checks that will really be asked.
 */
#include "i18n.h"
#include "screens.h"
#include "theme.h"

void lay_check(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const struct rules_category *cat = v->category;
    if (!cat || v->check_index < 0 || v->check_index >= cat->nchecks) {
        part_back(L, lang);
        return;
    }
    const struct rules_check *chk = &cat->checks[v->check_index];
    char buf[LAY_TEXT_MAX];

    /* One row: the category, the item's flags (they stay in sight the whole
     * checklist), the progress, "Question i of n". */
    const int pw = 240, tw = 260;
    lay_pill(L, CONTENT_X0, CONTENT_Y0, pw, 48, text_get(&cat->name, lang), C_INFO_TEXT,
             C_PRIMARY_SOFT)
        ->size = FS_BODY;
    int fx = CONTENT_X0 + pw + 12;
    if (v->insp)
        fx = part_flags(L, v->insp, v->calibrating, lang, fx, CONTENT_Y0 + 4, 40, false);
    /* Branching: the question's place among those asked, of those that will
     * be asked as far as can be told (a view made by hand has neither). */
    int pos = v->check_count > 0 ? v->check_pos : v->check_index + 1;
    int count = v->check_count > 0 ? v->check_count : cat->nchecks;
    trf(buf, sizeof buf, lang, S_QUESTION_OF, pos, count);
    lay_text(L, CONTENT_X1 - tw, CONTENT_Y0, tw, 48, buf, FS_BODY, C_MUTED, AL_RIGHT, false)
        ->max_lines = 1;
    int px = fx + 12, pwid = CONTENT_X1 - tw - 24 - px;
    if (pwid >= 80) {
        struct lay_item *p = lay_add(L, LK_PROGRESS, px, CONTENT_Y0 + 18, pwid, 12);
        p->num = pos - 1;
        p->total = count;
    }

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
                        part_hint_digit(i, hint), i);
    }
    part_back(L, lang);
}
