/*
 * layout.c — the building blocks of a display list, the parts every screen
 * shares (top bar, message bar), lay_build (which calls the screen's own
 * layout, screens.h), hit testing, and ui_layout().
 */
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

/* ---- building blocks --------------------------------------------------- */

struct lay_item *lay_add(struct lay *L, enum lay_kind kind, int x, int y, int w, int h)
{
    struct lay_item *it;
    if (L->n >= LAY_MAX) {
        L->overflow = true;
        it = &L->spare;
    } else {
        it = &L->items[L->n++];
    }
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->w.x = x;
    it->w.y = y;
    it->w.w = w;
    it->w.h = h;
    it->w.kind = kind == LK_BUTTON ? W_BUTTON : kind == LK_PANEL ? W_PANEL : W_LABEL;
    it->size = FS_BODY;
    it->min_size = FS_SMALL;
    it->fg = C_TEXT;
    it->align = AL_LEFT;
    it->valign = VA_CENTER;
    return it;
}

static void set_text(struct lay_item *it, const char *text)
{
    snprintf(it->text, sizeof it->text, "%s", text ? text : "");
}

struct lay_item *lay_panel(struct lay *L, int x, int y, int w, int h, uint32_t bg, uint32_t border,
                           int radius)
{
    struct lay_item *it = lay_add(L, LK_PANEL, x, y, w, h);
    it->bg = bg;
    it->border = border;
    it->radius = radius;
    return it;
}

struct lay_item *lay_card(struct lay *L, int x, int y, int w, int h)
{
    /* The shadow is a flat darker copy 4 px lower: cheap, and calm enough. */
    lay_panel(L, x, y + 4, w, h, C_SHADOW, 0, R_CARD);
    return lay_panel(L, x, y, w, h, C_CARD, C_CARD_BORDER, R_CARD);
}

struct lay_item *lay_text(struct lay *L, int x, int y, int w, int h, const char *text, int size,
                          uint32_t fg, enum lay_align align, bool bold)
{
    struct lay_item *it = lay_add(L, LK_TEXT, x, y, w, h);
    set_text(it, text);
    it->size = size;
    it->min_size = size < FS_SMALL ? size : FS_SMALL;
    it->fg = fg;
    it->align = align;
    it->bold = bold;
    return it;
}

struct lay_item *lay_picture(struct lay *L, int x, int y, int w, int h, const char *path)
{
    struct lay_item *it = lay_add(L, LK_PICTURE, x, y, w, h);
    set_text(it, path);
    return it;
}

struct lay_item *lay_field(struct lay *L, int x, int y, int w, int h, const char *input,
                           const char *placeholder, int size)
{
    struct lay_item *it = lay_add(L, LK_FIELD, x, y, w, h);
    bool empty = !input || !input[0];
    set_text(it, empty ? placeholder : input);
    it->placeholder = empty;
    it->size = empty ? FS_BODY : size;
    it->fg = empty ? C_MUTED : C_TEXT;
    it->bg = C_FIELD;
    it->border = C_FIELD_BORDER;
    it->radius = R_BUTTON;
    it->align = AL_CENTER;
    it->max_lines = 1;
    return it;
}

struct lay_item *lay_pill(struct lay *L, int x, int y, int w, int h, const char *text, uint32_t fg,
                          uint32_t bg)
{
    lay_panel(L, x, y, w, h, bg, 0, h / 2 < R_PILL ? h / 2 : R_PILL);
    struct lay_item *t = lay_text(L, x + 8, y, w - 16, h, text, FS_SMALL, fg, AL_CENTER, true);
    t->max_lines = 1;
    return t;
}

static struct lay_item *button(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                               const char *label, const char *hint)
{
    struct lay_item *it = lay_add(L, LK_BUTTON, x, y, w, h);
    it->style = style;
    set_text(it, label);
    snprintf(it->hint, sizeof it->hint, "%s", hint ? hint : "");
    it->size = style == ST_PAD ? FS_PAD : style == ST_ANSWER ? FS_LARGE : FS_BODY;
    it->bold = style != ST_ANSWER;
    it->align = AL_CENTER;
    it->radius = R_BUTTON;
    it->w.has_event = true;
    return it;
}

static void set_action_text(struct lay_item *it, const char *text)
{
    snprintf(it->w.act.text, sizeof it->w.act.text, "%s", text ? text : "");
}

struct lay_item *lay_button_key(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                                const char *label, const char *hint, enum key key)
{
    struct lay_item *it = button(L, x, y, w, h, style, label, hint);
    it->w.act.type = EV_KEY;
    it->w.act.key = key;
    return it;
}

struct lay_item *lay_button_text(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                                 const char *label, const char *send)
{
    struct lay_item *it = button(L, x, y, w, h, style, label, NULL);
    it->w.act.type = EV_TEXT;
    set_action_text(it, send);
    return it;
}

struct lay_item *lay_button_pick(struct lay *L, int x, int y, int w, int h, enum lay_style style,
                                 const char *label, const char *hint, int pick)
{
    struct lay_item *it = button(L, x, y, w, h, style, label, hint);
    it->w.act.type = EV_PICK;
    it->w.act.pick = pick;
    return it;
}

struct lay_item *lay_button_pick_key(struct lay *L, int x, int y, int w, int h,
                                     enum lay_style style, const char *label, int pick,
                                     const char *key)
{
    struct lay_item *it = lay_button_pick(L, x, y, w, h, style, label, NULL, pick);
    set_action_text(it, key);
    return it;
}

struct chart *lay_chart(struct lay *L, enum chart_kind kind)
{
    struct chart *c;
    if (L->ncharts >= LAY_CHARTS) {
        L->overflow = true;
        c = &L->charts[LAY_CHARTS - 1];
    } else {
        c = &L->charts[L->ncharts++];
    }
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->values = true;
    return c;
}

struct lay_item *lay_place_chart(struct lay *L, const struct chart *c, int x, int y, int w, int h)
{
    struct lay_item *it = lay_add(L, LK_CHART, x, y, w, h);
    it->num = (int)(c - L->charts);
    return it;
}

void lay_grid_cell(int x, int y, int w, int h, int cols, int rows, int gap, int i, int *cx, int *cy,
                   int *cw, int *ch)
{
    if (cols < 1)
        cols = 1;
    if (rows < 1)
        rows = 1;
    int cellw = (w - (cols - 1) * gap) / cols;
    int cellh = (h - (rows - 1) * gap) / rows;
    int col = i % cols, row = i / cols;
    *cx = x + col * (cellw + gap);
    *cy = y + row * (cellh + gap);
    *cw = cellw;
    *ch = cellh;
}

uint32_t lay_grade_color(enum grade g)
{
    switch (g) {
    case GRADE_A: return C_GRADE_A;
    case GRADE_B: return C_GRADE_B;
    case GRADE_C: return C_GRADE_C;
    case GRADE_X: return C_GRADE_X;
    default: return C_MUTED;
    }
}

uint32_t lay_grade_soft(enum grade g)
{
    switch (g) {
    case GRADE_A: return C_GRADE_A_SOFT;
    case GRADE_B: return C_GRADE_B_SOFT;
    case GRADE_C: return C_GRADE_C_SOFT;
    case GRADE_X: return C_GRADE_X_SOFT;
    default: return C_DISABLED;
    }
}

/* ---- the top bar and the message bar ---------------------------------- */

static void lay_topbar(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    lay_panel(L, 0, 0, UI_W, TOPBAR_H, C_TOPBAR, 0, 0);

    struct lay_item *t = lay_text(L, MARGIN, 0, 220, TOPBAR_H,
                                  v->station_id && v->station_id[0] ? v->station_id : "triage",
                                  FS_BODY, C_TOPBAR_TEXT, AL_LEFT, true);
    t->max_lines = 1;

    char who[200];
    if (v->op)
        snprintf(who, sizeof who, "%s · %s", v->op->name[0] ? v->op->name : v->op->badge,
                 i18n_role(lang, v->op->role));
    else
        snprintf(who, sizeof who, "%s", tr(lang, S_NOT_LOGGED_IN));
    /* A dot in front: green when someone is logged in. */
    struct lay_item *dot = lay_add(L, LK_DOTS, 268, TOPBAR_H / 2 - 7, 14, 14);
    dot->num = 1;
    dot->total = 1;
    dot->fg = v->op ? 0x4ADE80u : C_FAINT;
    t = lay_text(L, 292, 0, 330, TOPBAR_H, who, FS_SMALL, v->op ? C_TOPBAR_TEXT : C_TOPBAR_MUTED,
                 AL_LEFT, false);
    t->max_lines = 1;

    /* Devices and queues, right-aligned before the language. */
    struct lay_item *st = lay_add(L, LK_STATUS, 640, 0, 1140 - 640, TOPBAR_H);
    st->size = FS_SMALL;

    lay_pill(L, 1156, 16, 92, 40, tr(lang, S_LANG_SHORT), C_TOPBAR_TEXT, C_TOPBAR_CHIP);
}

static void lay_msgbar(const struct view *v, struct lay *L)
{
    if (v->msg == MSG_NONE)
        return;
    char words[LAY_TEXT_MAX];
    i18n_msg_detail(words, sizeof words, v->lang, v->msg, v->msg_arg, v->msg_num, v->msg_detail);
    const char *id = msg_error_id(v->msg);
    bool error = v->msg_is_error || (id && id[0]);
    bool good = v->msg == MSG_SAVED || v->msg == MSG_SAVED_MORE || v->msg == MSG_ITEM_OK ||
                v->msg == MSG_REPRINTED;
    /* Saved, but its label or its upload waits: said in amber, not green. */
    bool warn = v->msg == MSG_SAVED_LABEL_WAITING || v->msg == MSG_SAVED_SYNC_FAILING;
    uint32_t bg = error ? C_ERR_SOFT : good ? C_OK_SOFT : warn ? C_WARN_SOFT : C_INFO_SOFT;
    uint32_t fg = error ? C_ERR_TEXT : good ? C_OK_TEXT : warn ? C_WARN_TEXT : C_INFO_TEXT;
    lay_panel(L, 0, MSG_Y, UI_W, MSG_H, bg, 0, 0);
    /* A strong stripe on the left says the kind without reading. */
    lay_panel(L, 0, MSG_Y, 10, MSG_H, error ? C_ERR : good ? C_OK : warn ? C_WARN : C_PRIMARY, 0,
              0);
    int x = MARGIN;
    if (error && id && id[0]) {
        lay_pill(L, x, MSG_Y + 12, 96, MSG_H - 24, id, 0xFFFFFFu, C_ERR);
        x += 96 + GAP;
    } else if (good) {
        struct lay_item *ic = lay_add(L, LK_TEXT, x, MSG_Y + 14, 36, 36);
        ic->icon = ICON_CHECK;
        ic->fg = C_OK;
        x += 36 + GAP;
    }
    struct lay_item *t =
        lay_text(L, x, MSG_Y, UI_W - MARGIN - x, MSG_H, words, FS_BODY, fg, AL_LEFT, true);
    t->max_lines = 1;
}

/* ---- the top bar's status ------------------------------------------------- */

enum chip_kind { CHIP_DEVICE_OK, CHIP_OUTBOX, CHIP_TROUBLE, CHIP_SYNC_ERROR, CHIP_LABELS, CHIP_DISK };

struct chip_work {
    struct lay_chip c;
    enum chip_kind kind;
    char short_text[96]; /* what it says when space is short ("" = the same) */
    bool shown, shortened;
};

int lay_status_chips(const struct ui_status *s, enum lang lang, int width,
                     int (*measure)(const char *text, void *ctx), void *ctx,
                     struct lay_chip *out)
{
    if (!s)
        return 0;
    struct chip_work w[LAY_MAX_CHIPS];
    int n = 0;
    const char *printer_trouble = NULL;
    if (s->disk_low_mb > 0) { /* first: the one to act on before anything fails */
        struct chip_work *c = &w[n++];
        memset(c, 0, sizeof *c);
        trf(c->c.text, sizeof c->c.text, lang, S_STATUS_DISK_LOW, s->disk_low_mb);
        c->c.dot = 0xF87171u;
        c->c.fg = 0xFECACAu;
        c->kind = CHIP_DISK;
    }
    for (int i = 0; i < s->ndevices && i < UI_MAX_DEVICES; i++) {
        struct chip_work *c = &w[n++];
        memset(c, 0, sizeof *c);
        bool ok = s->devices[i].ok;
        const char *state = i18n_device_state(lang, s->devices[i].state);
        if (ok)
            snprintf(c->c.text, sizeof c->c.text, "%s", s->devices[i].name);
        else
            snprintf(c->c.text, sizeof c->c.text, "%s %s%s%s", s->devices[i].name, state,
                     s->devices[i].code[0] ? " " : "", s->devices[i].code);
        if (!ok && s->devices[i].code[0])
            snprintf(c->short_text, sizeof c->short_text, "%s %s", s->devices[i].name, state);
        if (!ok && s->devices[i].printer)
            printer_trouble = state;
        c->c.dot = ok ? 0x4ADE80u : 0xF87171u;
        c->c.fg = ok ? C_TOPBAR_MUTED : 0xFECACAu;
        c->kind = ok ? CHIP_DEVICE_OK : CHIP_TROUBLE;
    }
    if (s->outbox_waiting > 0 || s->sync_error[0] || s->sync_last_ok[0]) {
        /* Sync: "Sync error E712 · Outbox 12", "Outbox 12 · Sent 10:41" or
         * "Sent 10:41" (the last round that finished). */
        struct chip_work *c = &w[n++];
        memset(c, 0, sizeof *c);
        char outbox[40] = "", sent[48] = ""; /* both fit the text with " · " */
        if (s->outbox_waiting > 0)
            trf(outbox, sizeof outbox, lang, S_STATUS_OUTBOX, s->outbox_waiting);
        if (s->sync_last_ok[0])
            trf(sent, sizeof sent, lang, S_STATUS_SYNCED, s->sync_last_ok);
        if (s->sync_error[0]) {
            int idlen = s->sync_error[0] == 'E' ? (int)strcspn(s->sync_error, ":") : 0;
            if (idlen > 5)
                idlen = 0;
            snprintf(c->c.text, sizeof c->c.text, "%s %.*s%s%s", tr(lang, S_STATUS_SYNC_ERROR),
                     idlen, s->sync_error, outbox[0] ? " · " : "", outbox);
            if (outbox[0])
                snprintf(c->short_text, sizeof c->short_text, "%s %.*s",
                         tr(lang, S_STATUS_SYNC_ERROR), idlen, s->sync_error);
            c->kind = CHIP_SYNC_ERROR;
        } else {
            snprintf(c->c.text, sizeof c->c.text, "%.44s%s%.44s", outbox,
                     outbox[0] && sent[0] ? " · " : "", sent);
            c->kind = s->outbox_waiting > 0 ? CHIP_OUTBOX : CHIP_DEVICE_OK;
        }
        c->c.dot = s->sync_error[0] ? 0xF87171u : s->outbox_waiting > 0 ? 0x60A5FAu : 0x4ADE80u;
        c->c.fg = s->sync_error[0] ? 0xFECACAu : C_TOPBAR_MUTED;
    }
    if (s->labels_waiting > 0) {
        struct chip_work *c = &w[n++];
        memset(c, 0, sizeof *c);
        char count[40];
        trf(count, sizeof count, lang, S_STATUS_LABELS, s->labels_waiting);
        if (printer_trouble) {
            /* The reason beside the count, so that it stays when the printer's chip goes. */
            snprintf(c->c.text, sizeof c->c.text, "%s · %s %s", count, tr(lang, S_STATUS_PRINTER),
                     printer_trouble);
            snprintf(c->short_text, sizeof c->short_text, "%s", count);
        } else {
            snprintf(c->c.text, sizeof c->c.text, "%s", count);
        }
        c->c.dot = printer_trouble ? 0xF87171u : 0xFBBF24u;
        c->c.fg = printer_trouble ? 0xFECACAu : C_TOPBAR_MUTED;
        c->kind = CHIP_LABELS;
    }
    const int dotw = 22, gap = 28;
    int total = 0;
    for (int i = 0; i < n; i++) {
        w[i].c.w = measure(w[i].c.text, ctx) + dotw;
        w[i].shown = true;
        total += w[i].c.w + (i ? gap : 0);
    }
    /* Give way, least urgent first: drop, shorten, drop, shorten. */
    static const struct {
        enum chip_kind kind;
        bool shorten; /* else drop */
    } steps[] = {{CHIP_DEVICE_OK, false}, {CHIP_OUTBOX, false},      {CHIP_TROUBLE, true},
                 {CHIP_SYNC_ERROR, true}, {CHIP_TROUBLE, false},     {CHIP_SYNC_ERROR, false},
                 {CHIP_LABELS, true}};
    for (size_t k = 0; k < sizeof steps / sizeof *steps && total > width; k++)
        for (int i = n - 1; i >= 0 && total > width; i--) {
            struct chip_work *c = &w[i];
            if (!c->shown || c->kind != steps[k].kind)
                continue;
            if (steps[k].shorten) {
                if (!c->short_text[0] || c->shortened)
                    continue;
                int nw = measure(c->short_text, ctx) + dotw;
                total -= c->c.w - nw;
                c->c.w = nw;
                memcpy(c->c.text, c->short_text, sizeof c->c.text); /* both 96 bytes */
                c->shortened = true;
            } else {
                c->shown = false;
                total -= c->c.w + gap;
            }
        }
    int m = 0;
    for (int i = 0; i < n; i++)
        if (w[i].shown)
            out[m++] = w[i].c;
    return m;
}

/* ---- the whole screen --------------------------------------------------- */

void lay_build(const struct view *v, struct lay *L)
{
    L->n = 0;
    L->ncharts = 0;
    L->scroll_max = 0;
    L->overflow = false;
    L->lang = v->lang;
    lay_panel(L, 0, 0, UI_W, UI_H, C_BG, 0, 0);
    lay_topbar(v, L);
    lay_msgbar(v, L);
    if (v->confirm_logout) {
        lay_confirm_logout(v, L);
        return;
    }
    switch (v->screen) {
    case SCREEN_LOGIN: lay_login(v, L); break;
    case SCREEN_SCAN: lay_scan(v, L); break;
    case SCREEN_ITEM: lay_item(v, L); break;
    case SCREEN_CHECK: lay_check(v, L); break;
    case SCREEN_SUMMARY: lay_summary(v, L); break;
    case SCREEN_STATS: lay_stats(v, L); break;
    case SCREEN_RESUME: lay_resume(v, L); break;
    case SCREEN_OPERATORS: lay_operators(v, L); break;
    case SCREEN_PHOTO: lay_photo(v, L); break;
    case SCREEN_SERVICE: lay_service(v, L); break;
    case SCREEN_COUNT: break;
    }
    if (v->auth_action != AUTH_NONE)
        lay_auth(v, L);
}

const struct lay_item *lay_hit(const struct lay *lay, int x, int y)
{
    for (int i = lay->n - 1; i >= 0; i--) {
        const struct lay_item *it = &lay->items[i];
        if (it->w.has_event && x >= it->w.x && x < it->w.x + it->w.w && y >= it->w.y &&
            y < it->w.y + it->w.h)
            return it;
    }
    return NULL;
}

int ui_stats_scroll_max(const struct view *view)
{
    struct lay *lay = malloc(sizeof *lay);
    if (!lay)
        return 0;
    lay_build(view, lay);
    int max = lay->scroll_max;
    free(lay);
    return max;
}

int ui_layout(const struct view *view, struct ui_widget *widgets, int max)
{
    struct lay *lay = malloc(sizeof *lay); /* ~90 KB: kept off the stack */
    if (!lay)
        return 0;
    lay_build(view, lay);
    int n = 0;
    for (int i = 0; i < lay->n && n < max; i++)
        widgets[n++] = lay->items[i].w;
    free(lay);
    return n;
}

void ui_action_event(const struct ui_action *act, int64_t now, struct event *out)
{
    memset(out, 0, sizeof *out);
    out->type = act->type;
    out->now = now;
    out->key = act->key;
    out->pick = act->pick;
    size_t len = strnlen(act->text, sizeof act->text - 1);
    memcpy(out->text, act->text, len);
    out->text[len] = 0;
    out->len = len;
}
