/*
 * screen_service.c — the admins' service screen: the station's own checks
 * (the lines of `triage selfcheck`), one row each: its id with its state in
 * colour (green fine, amber look at it, red the station cannot work so),
 * what was checked in the station's language, and what was found (the
 * checks' own words, as the command line prints them). "Check again" (R,
 * Return) asks anew; while a check runs the last rows stay and the title's
 * line says "Checking…". Up and Down, or a drag, scroll when there are more
 * rows than fit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "screens.h"
#include "theme.h"

#define ROWS 10
#define ROW_H 40

/* What a line checked, in the station's language: by its number (85x),
 * with what the line names after the kind ("scanner bench" → its name). */
static const char *check_name(enum lang lang, const struct service_line *l, char *buf, size_t len)
{
    static const enum str names[10] = {
        S_CHECK_USER,    S_CHECK_VIDEO,       S_COUNT,      S_CHECK_INPUT, S_CHECK_SCANNER,
        S_CHECK_PRINTER, S_CHECK_HEAD_OFFICE, S_CHECK_DATA, S_CHECK_DISK,  S_CHECK_DATABASE};
    int n = l->id[0] ? (int)strtol(l->id + 1, NULL, 10) - 850 : -1;
    if (n < 0 || n > 9 || names[n] == S_COUNT)
        return l->what; /* "/dev/dri", and whatever a later check calls itself */
    const char *sp = strchr(l->what, ' ');
    bool named = (n == 4 || n == 5) && sp; /* scanner NAME, printer TYPE */
    snprintf(buf, len, "%s%s", tr(lang, names[n]), named ? sp : "");
    return buf;
}

static void lay_line(struct lay *L, enum lang lang, const struct service_line *l, int x, int y,
                     int w)
{
    uint32_t fg = C_OK_TEXT, bg = C_OK_SOFT;
    enum str state = S_SERVICE_OK;
    if (l->id[0] == 'W')
        fg = C_WARN_TEXT, bg = C_WARN_SOFT, state = S_SERVICE_WARN;
    else if (l->id[0] == 'E')
        fg = C_ERR_TEXT, bg = C_ERR_SOFT, state = S_SERVICE_ERR;
    char pill[48], name[96];
    snprintf(pill, sizeof pill, "%s %s", l->id, tr(lang, state));
    const int pw = 150, nw = 210;
    lay_pill(L, x, y + 3, pw, ROW_H - 6, pill, fg, bg);
    lay_text(L, x + pw + GAP, y, nw, ROW_H, check_name(lang, l, name, sizeof name), FS_SMALL,
             C_TEXT, AL_LEFT, true)
        ->max_lines = 1;
    lay_text(L, x + pw + nw + 2 * GAP, y, w - pw - nw - 2 * GAP, ROW_H, l->text, FS_SMALL, C_MUTED,
             AL_LEFT, false)
        ->max_lines = 1;
}

void lay_service(const struct view *v, struct lay *L)
{
    enum lang lang = v->lang;
    const int cy = CONTENT_Y0, ch = BOTTOM_Y - 24 - cy;
    const int x = CONTENT_X0 + 32, w = CONTENT_W - 64;
    lay_card(L, CONTENT_X0, cy, CONTENT_W, ch);
    lay_text(L, x, cy + 12, 300, 48, tr(lang, S_SERVICE), FS_TITLE, C_TEXT, AL_LEFT, true)
        ->max_lines = 1;
    const struct service_report *r = v->service;
    char status[160], when[32];
    if (v->service_busy || !r) {
        snprintf(status, sizeof status, "%s",
                 tr(lang, v->service_busy ? S_SERVICE_CHECKING : S_SERVICE_NOT_RUN));
    } else {
        int attention = 0;
        for (int i = 0; i < r->n; i++)
            attention += r->lines[i].id[0] != 'I';
        trf(status, sizeof status, lang, S_SERVICE_CHECKED,
            part_time(r->at, "%H:%M:%S", when, sizeof when), attention, r->n);
    }
    lay_text(L, x + 320, cy + 12, w - 320, 48, status, FS_BODY,
             r && r->failed > 0 && !v->service_busy ? C_ERR_TEXT : C_MUTED, AL_RIGHT, true)
        ->max_lines = 1;
    lay_text(L, x, cy + 64, w, 32, tr(lang, S_SERVICE_SUB), FS_SMALL, C_MUTED, AL_LEFT, false)
        ->max_lines = 1;

    int n = r ? r->n : 0;
    int first = v->service_scroll;
    if (first > n - ROWS)
        first = n - ROWS;
    if (first < 0)
        first = 0;
    const int y0 = cy + 104;
    for (int i = first; i < n && i < first + ROWS; i++)
        lay_line(L, lang, &r->lines[i], x, y0 + (i - first) * ROW_H, w);

    part_back(L, lang);
    if (v->service_busy) {
        lay_panel(L, CONTENT_X1 - 320, BOTTOM_Y, 320, BUTTON_H, C_DISABLED, 0, R_BUTTON);
        lay_text(L, CONTENT_X1 - 320, BOTTOM_Y, 320, BUTTON_H, tr(lang, S_SERVICE_CHECKING),
                 FS_BODY, C_MUTED, AL_CENTER, true)
            ->max_lines = 1;
    } else {
        lay_button_pick(L, CONTENT_X1 - 320, BOTTOM_Y, 320, BUTTON_H, ST_PRIMARY,
                        tr(lang, S_SERVICE_AGAIN), "R", SERVICE_PICK_REFRESH);
    }
}
