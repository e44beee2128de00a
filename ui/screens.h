/*
 * screens.h — every screen of the station, in one place (inside ui/ only).
 *
 * A frame is laid out, then painted. Laying out is per screen: each screen
 * of the core's view (enum screen) has one function here that turns the
 * view into display-list items (layout.h) for the content area. It is pure:
 * no SDL, no fonts. lay_build (layout.c) lays out the top bar and the
 * message bar that every screen shares and calls the screen's function;
 * painting is the same for every screen (paint.c draws any list, chart.c
 * its charts), and touches are hit-tested against the same list (ui.c).
 *
 *   screen          layout        file              what it shows
 *   SCREEN_LOGIN    lay_login     screen_login.c    badge, then PIN on a number pad
 *   SCREEN_SCAN     lay_scan      screen_scan.c     waiting for a return label
 *   SCREEN_ITEM     lay_item      screen_item.c     expected and scanned item;
 *                                                   categories to pick; already graded
 *   SCREEN_CHECK    lay_check     screen_check.c    one checklist question, its answers
 *   SCREEN_SUMMARY  lay_summary   screen_summary.c  grade, disposition, responsibility, save
 *   SCREEN_STATS    lay_stats     screen_stats.c    supervisors' statistics, list, detail
 *   SCREEN_RESUME   lay_resume    screen_resume.c   an unfinished inspection offered back
 *   (any, F12 asked) lay_confirm_logout  screen_resume.c  log out now? the inspection is kept
 *   SCREEN_OPERATORS lay_operators screen_operators.c admins: operators, unlock, disable, enable
 *   SCREEN_SERVICE  lay_service   screen_service.c  admins: the station's own checks (selfcheck)
 *   (any screen)    lay_auth      screen_auth.c     a supervisor's or admin's authorisation,
 *                                                   over the screen that asked for it
 *
 * Content runs from CONTENT_Y0 (below the top bar and the message bar) to
 * CONTENT_Y1, MARGIN from each side (theme.h). One primary (blue) action per
 * screen, bottom right; Back bottom left. Choices made by touch send
 * EV_PICK with these meanings:
 *   item, picking a category: pick = index into view->rules->categories;
 *         an RMA all graded: ITEM_PICK_EXTRA for one more unit
 *   check: pick = index of the answer in the current check (keys 1..n too)
 *   summary: pick = enum responsibility (0 none, 1 merchant, 2 logistics,
 *            3 customer, 4 platform); shown merchant…platform, then none
 *   stats: STATS_PICK_* + index (station.h), a bar's key or a row's plate
 *          in the action's text.
 * Every text a screen shows comes from the string table (i18n.h) or from
 * the view's data.
 */
#ifndef TRIAGE_UI_SCREENS_H
#define TRIAGE_UI_SCREENS_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* ---- the screens: lay out the content area of `v` into L ---- */

void lay_login(const struct view *v, struct lay *L);
void lay_scan(const struct view *v, struct lay *L);
void lay_item(const struct view *v, struct lay *L);
void lay_check(const struct view *v, struct lay *L);
void lay_summary(const struct view *v, struct lay *L);
void lay_stats(const struct view *v, struct lay *L);
void lay_resume(const struct view *v, struct lay *L);
/* Instead of the screen while view->confirm_logout: log out, or go on. */
void lay_confirm_logout(const struct view *v, struct lay *L);
void lay_operators(const struct view *v, struct lay *L);
void lay_photo(const struct view *v, struct lay *L);
void lay_service(const struct view *v, struct lay *L);
/* Over the screen's layout when view->auth_action != AUTH_NONE. */
void lay_auth(const struct view *v, struct lay *L);

/* ---- parts several screens share (screen_parts.c) ---- */

/* Back (Esc), bottom left. */
void part_back(struct lay *L, enum lang lang);

/* The flags the item's label will print, as pills h high from x rightwards
 * (right_align: leftwards, ending at x): LATE, WRONG ITEM or MISMATCH,
 * BLIND, RE-GRADE (calibrating: a blind re-grade), "Unit 2 of 3" when the
 * RMA expects more than one, EXTRA UNIT, "Photos: n" when it has photos.
 * Returns the x past the last. */
int part_flags(struct lay *L, const struct inspection *in, bool calibrating, enum lang lang, int x,
               int y, int h, bool right_align);

/* A small label above a value (up to `lines` lines), left-aligned in one
 * column w wide; "—" for an empty value. */
void part_fact(struct lay *L, int x, int y, int w, const char *label, const char *value,
               int value_size, int lines);

/* The key hint of choice i: "1".."9", "" from the tenth on. Returns buf. */
const char *part_hint_digit(int i, char buf[4]);

/* The three sub-grade tiles (cosmetic, functional, completeness) in a row
 * at x0, y0, w0 wide and h0 high: the aspect's name at pad/2 from the top,
 * label_h high, and its grade letter at letter_dy, letter_h high, in
 * letter_fs. */
void part_sub_grades(struct lay *L, const struct inspection *in, enum lang lang, int x0, int y0,
                     int w0, int h0, int pad, int label_h, int letter_dy, int letter_h,
                     int letter_fs);

/* The inspection's defects in words (the rules' names; a code the rules
 * do not name as itself) joined by `sep` into out ("" when none). rules may
 * be NULL. Returns out. */
char *part_join_defects(const struct inspection *in, const struct rules *rules, enum lang lang,
                        const char *sep, char *out, size_t outlen);

/* A declared reason (as in the manifest) in words: the rules' text for it,
 * else the station's own word, else as given. */
const char *part_reason_name(const struct rules *rules, enum lang lang, const char *declared);

/* Facts behind a decision (rules_findings) in words, joined into out.
 * Returns out. */
char *part_findings(enum lang lang, const struct rules_finding *f, int n, char *out, size_t outlen);

/* The declared reason against what was found, in one line: "Declared:
 * Defective — not found: every function check passed". why: the findings
 * in words, or NULL (then the line ends after the verdict). Returns out. */
char *part_reason_line(const struct rules *rules, enum lang lang, const struct inspection *in,
                       const char *why, char *out, size_t outlen);

/* Where the photo p is on disk (the view's data folder and its file name)
 * into out[cap]; false when the view knows no folder or it does not fit. */
bool part_photo_path(const struct view *v, const struct photo_ref *p, char *out, size_t cap);

/* Unix ms as local time with a strftime format; "—" for none. Returns out. */
char *part_time(int64_t ms, const char *fmt, char *out, size_t outlen);

#endif
