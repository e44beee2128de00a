/*
 * screen_check.c — the checklist: one question at a time, its answers as numbered
 * choices (keys 1..n), progress through the checks that will really be asked;
 * the check's instructions and its reference picture beside the question.
 */
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"
#include "utf8.h"

/* The instructions, cut with "…" at a character when they outgrow an item. */
static void instructions_text(const char *s, char out[LAY_TEXT_MAX])
{
    size_t n = strlen(s);
    if (n < LAY_TEXT_MAX) {
        memcpy(out, s, n + 1);
        return;
    }
    size_t cut = utf8_cut(s, LAY_TEXT_MAX - sizeof "…");
    memcpy(out, s, cut);
    memcpy(out + cut, "…", sizeof "…");
}

/*
 * The question with its guidance: the answers in compact rows at the bottom
 * (every one still MIN_TARGET or more), and above them the question, the
 * instructions under it on a soft panel, and the reference picture on the
 * right, its box about 4:3 and as tall as the room left (the painter fits
 * the picture into it without distortion). Returns the top of the answers.
 */
static int lay_guided(struct lay *L, const struct rules_check *chk, const char *image, int rows,
                      enum lang lang)
{
    const int top = CONTENT_Y0 + 68;
    int rowh = rows <= 1 ? 104 : rows == 2 ? 80 : MIN_TARGET + 4;
    int gridh = rows * rowh + (rows - 1) * GAP;
    int gy = BOTTOM_Y - 24 - gridh, rh = gy - 24 - top;
    int x0 = CONTENT_X0, w = CONTENT_W;
    if (image) {
        int pw = rh * 4 / 3;
        pw = pw > 440 ? 440 : pw < 240 ? 240 : pw;
        lay_card(L, CONTENT_X1 - pw, top, pw, rh);
        lay_picture(L, CONTENT_X1 - pw + 8, top + 8, pw - 16, rh - 16, image);
        w -= pw + 24;
    }
    const char *instr = text_get(&chk->instructions, lang);
    /* Without instructions the question has the whole height beside the picture. */
    int qh = !instr[0] ? rh : rh >= 240 ? 116 : 60;
    struct lay_item *q =
        lay_text(L, x0, top, w, qh, text_get(&chk->text, lang), FS_TITLE, C_TEXT, AL_LEFT, true);
    q->max_lines = qh >= 116 ? (instr[0] ? 2 : 4) : 1;
    q->min_size = FS_BODY;
    if (instr[0]) {
        int iy = top + qh + 12, ih = rh - qh - 12;
        lay_panel(L, x0, iy, w, ih, C_INFO_SOFT, 0, R_BUTTON);
        char buf[LAY_TEXT_MAX];
        instructions_text(instr, buf);
        struct lay_item *t = lay_text(L, x0 + 20, iy + 12, w - 40, ih - 24, buf, FS_LARGE,
                                      C_INFO_TEXT, AL_LEFT, false);
        t->valign = VA_TOP;
        t->min_size = FS_SMALL;
    }
    return gy;
}

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
    /* The picture is shown when the rules say where to find it (a file's,
     * not the built-in ones). */
    char image[RULES_MAX_IMAGE_PATH];
    bool has_image = rules_image_path(v->rules, chk, image, sizeof image) == 0;
    int gy, gridh;
    if (has_image || text_get(&chk->instructions, lang)[0]) {
        gy = lay_guided(L, chk, has_image ? image : NULL, rows, lang);
        gridh = BOTTOM_Y - 24 - gy;
    } else {
        /* Four rows of answers take room from the question. */
        const int qy = CONTENT_Y0 + 68, qh = rows > 3 ? 72 : 128;
        struct lay_item *q =
            lay_text(L, CONTENT_X0 + 40, qy, CONTENT_W - 80, qh, text_get(&chk->text, lang),
                     FS_TITLE, C_TEXT, AL_CENTER, true);
        /* Large on one or two lines; a long question shrinks to three. */
        q->max_lines = rows > 3 ? 2 : 3;
        q->min_size = FS_BODY;

        const int ay = qy + qh + 24, ah = BOTTOM_Y - 24 - ay;
        int rowh = (ah - (rows - 1) * GAP) / rows;
        if (rowh > 200)
            rowh = 200;
        gridh = rows * rowh + (rows - 1) * GAP;
        gy = ay + (ah - gridh) / 2;
    }
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        lay_grid_cell(CONTENT_X0, gy, CONTENT_W, gridh, cols, rows, GAP, i, &x, &y, &w, &h);
        char hint[4];
        lay_button_pick(L, x, y, w, h, ST_ANSWER, text_get(&chk->answers[i].text, lang),
                        part_hint_digit(i, hint), i);
    }
    part_back(L, lang);
}
