/*
 * station_int.h — inside the station core: the struct station that the
 * screen files share, the state table's shape, and the helpers every screen
 * uses. Only app/core/station*.c include it; the rest of the station sees
 * station.h.
 *
 * The machine (station.c): a state is {entry, run, exit}, in the const
 * table station_states[] indexed by enum screen. A screen's run handles one
 * event; it alone may move to another screen, with station_goto(), which
 * runs the old screen's exit, then the new screen's entry (also when a run
 * goes to the screen it is on: the screen starts afresh). Entry and exit
 * never move. What all screens share — idle logout, the language key,
 * logging out — runs before the screen's own run, as a parent state's would;
 * every other event, a tick included, goes to the screen's run.
 *
 * Sub-states are enums held here (login_step, item_step, save_state,
 * summary_step, stats_level), each owned by its screen's file; no boolean
 * stands for one. The authorisation panel (auth_action, auth_step;
 * station_auth.c) is a sub-state of whichever screen asked for it: while it
 * is up it takes the events before the screen does, and it ends when the
 * screen is left.
 */
#ifndef TRIAGE_STATION_INT_H
#define TRIAGE_STATION_INT_H

#include "station.h"

/* The item screen's steps. */
enum item_step {
    ITEM_IDENTIFY,      /* waiting for the item's code (or Return without one) */
    ITEM_PICK_CATEGORY, /* blind receipt, unknown SKU or another product than the
                           manifest's: keys 1..n choose a category */
    ITEM_EXISTING,      /* a saved outcome is shown (a plate, or an RMA all graded):
                           F5 reprint, Return re-grade */
};

/* The summary's steps while nothing is being saved. */
enum summary_step {
    SUMMARY_CHOOSING,        /* the responsibility: Left/Right, Return confirms */
    SUMMARY_OVERRIDE_REASON, /* another responsibility than the suggested one was
                                confirmed: keys 1..n give the override reason */
    SUMMARY_PICK_GRADE,      /* overriding the grade: keys 1..4 choose A, B, C, X */
};

/* The photo screen's steps. */
enum photo_step {
    PHOTO_LIVE,   /* the live view: Return takes the picture */
    PHOTO_TAKING, /* FX_PHOTO_TAKE asked, waiting for EV_PHOTO_TAKEN or EV_PHOTO_FAILED */
};

/* The stats screen's drill-down levels. */
enum stats_level {
    STATS_CHARTS, /* the charts of a period, page by page */
    STATS_LIST,   /* the inspections behind one bar (stats_dim, stats_key) */
    STATS_DETAIL, /* one inspection of that list: its answers, F5 reprints it */
};

struct station {
    struct station_settings set;
    struct station_ports ports;
    enum screen screen;
    enum lang lang;
    int64_t now;
    int64_t last_activity;

    /* the operator; valid on every screen but login */
    struct operator_info op;

    /* login */
    enum login_step login_step;
    char badge[64];
    char pin[16];
    int pin_len;

    /* authorisation by a supervisor or admin (station_auth.c) */
    enum auth_action auth_action; /* AUTH_NONE: no panel */
    enum auth_step auth_step;
    char auth_badge[64];
    char auth_pin[16];
    int auth_pin_len;
    char auth_subject[64];
    char authorised_by[64]; /* the inspection in progress: who authorised its
                               re-grade or grade override ("" when nobody had to) */

    /* typed or wedge input not yet submitted */
    char input[STATION_INPUT_MAX + 1];
    size_t input_len;
    bool input_overflow; /* more was typed than fits: refused at Return (E569) */

    enum msg msg;
    char msg_arg[256];
    int msg_num;
    char msg_detail[32];

    /* the inspection in progress (item, check, summary) */
    struct inspection insp;
    struct manifest_row expected;
    bool has_expected;   /* expected holds the manifest's row */
    bool item_scanned;   /* the item's own code was scanned */
    const struct rules_category *cat;
    /* The checklist: per check of cat, the answer chosen, RULES_SKIPPED
     * (not asked: branching) or RULES_PENDING (not answered yet). On the
     * check screen answers[0..check_index) are decided, check_index is the
     * question shown (one that is asked) and the rest are pending. */
    int check_index;
    int answers[INSP_MAX_ANSWERS];
    int32_t step_by_check[INSP_MAX_ANSWERS]; /* ms per check, as answers[] */
    struct grade_result result;
    enum summary_step summary_step;
    enum save_state save_state;
    int64_t retry_at;
    int64_t step_started; /* when the current question appeared */

    int units_left;      /* units of the RMA still expected after this one */

    /* photo (station_photo.c): the check whose answer asks for it */
    int photo_check;
    enum photo_step photo_step;
    bool photo_from_summary; /* sent here by the summary (a required photo missing): back
                                to it once the photo is dealt with */
    bool photo_failed;       /* the last picture asked for here failed (EV_PHOTO_FAILED) */
    char camera_error[192]; /* why the camera gives no pictures (EV_CAMERA); "" when it does */

    /* item */
    enum item_step item_step;
    struct inspection existing; /* a plate scanned on the scan screen, or the
                                   latest outcome of an RMA all graded */
    bool existing_all_graded;   /* existing: reached from an RMA; ITEM_PICK_EXTRA offered */
    int existing_units;         /* … its units expected */
    int existing_extra;         /* … the unit number one more unit would take */

    /* drafts */
    bool draft_kept;        /* the inspection in progress is kept as this grader's draft */
    struct draft draft_out; /* the draft of the last FX_DRAFT_SAVE */
    struct draft resume;    /* resume: the draft offered back */
    bool confirm_logout;    /* F12 asked, in the middle of an inspection */

    char last_plate[48];
    int saved_count;

    /* stats */
    enum stats_level stats_level;
    enum stats_period stats_period;
    struct stats_range stats_custom;
    bool stats_custom_set; /* stats_custom was chosen once (kept across visits) */
    struct stats_range stats_range;
    bool stats_range_ok;
    enum stats_page stats_page;
    enum stats_dim stats_dim; /* STATS_LIST, STATS_DETAIL: the bar listed */
    char stats_key[64];
    int stats_chart_scroll;  /* CHARTS: the first row shown of the page's rows */
    int stats_list_scroll;   /* LIST, DETAIL: the first inspection shown */
    int stats_scroll_max;    /* of the step shown, from the layout; -1 = not told yet */
    int64_t stats_list_offset; /* the page of the list asked for (its first row) */
    struct inspection stats_detail; /* STATS_DETAIL */

    /* operators (admins; station_operators.c) */
    struct operator_state ops[STATION_MAX_OPERATORS];
    int nops;
    int op_index;

    /* service (admins; station_service.c) */
    struct service_report service;
    bool service_have; /* service holds a check's answer */
    bool service_busy; /* FX_SELFCHECK asked, EV_SELFCHECK_DONE not come yet */
    int service_scroll;

    /* observer (station_set_trace) */
    void (*trace)(void *ctx, enum screen s, enum station_phase p);
    void *trace_ctx;
    bool in_transition; /* an entry or exit is running: it must not move */
};

/* One state of the machine. entry and exit may be NULL; run may not. run
 * returns true when the view changed. Entry and exit may emit effects. */
struct station_state {
    void (*entry)(struct station *st, struct effects *fx);
    bool (*run)(struct station *st, const struct event *ev, struct effects *fx);
    void (*exit)(struct station *st, struct effects *fx);
};

extern const struct station_state station_states[SCREEN_COUNT];

/* The states, one file each (station_<screen>.c). */
void login_entry(struct station *st, struct effects *fx);
bool login_run(struct station *st, const struct event *ev, struct effects *fx);
void login_exit(struct station *st, struct effects *fx);
bool scan_run(struct station *st, const struct event *ev, struct effects *fx);
bool item_run(struct station *st, const struct event *ev, struct effects *fx);
void check_entry(struct station *st, struct effects *fx);
bool check_run(struct station *st, const struct event *ev, struct effects *fx);
void summary_entry(struct station *st, struct effects *fx);
bool summary_run(struct station *st, const struct event *ev, struct effects *fx);
void stats_entry(struct station *st, struct effects *fx);
bool stats_run(struct station *st, const struct event *ev, struct effects *fx);
void stats_exit(struct station *st, struct effects *fx);
void resume_entry(struct station *st, struct effects *fx);
bool resume_run(struct station *st, const struct event *ev, struct effects *fx);
void operators_entry(struct station *st, struct effects *fx);
bool operators_run(struct station *st, const struct event *ev, struct effects *fx);
void photo_entry(struct station *st, struct effects *fx);
bool photo_run(struct station *st, const struct event *ev, struct effects *fx);
void service_entry(struct station *st, struct effects *fx);
bool service_run(struct station *st, const struct event *ev, struct effects *fx);

/* ---- the machine (station.c) ----------------------------------------------- */

/* Move to `next`: the current screen's exit, the input cleared, next's entry.
 * Only from a run (or the shared part before it). */
void station_goto(struct station *st, enum screen next, struct effects *fx);

/* Whether the operator may see statistics (supervisor or admin). */
bool station_is_supervisor(const struct station *st);

/* ---- authorisation (station_auth.c) ---------------------------------------- */

/* Whether the operator may do `action` alone to something of `owner` (a
 * badge; NULL when it has none): supervisors and admins may; a grader may
 * re-grade and discard what is their own, and override nothing. */
bool st_may(const struct station *st, enum auth_action action, const char *owner);

/* Put up the authorisation panel for `action` on `subject` (a plate, an
 * RMA): a supervisor's or admin's badge, then PIN (FX_CHECK_PIN with
 * PIN_AUTHORISE). When it is granted, the screen's run gets EV_AUTHORISED
 * (pick = action, op = who) and st->authorised_by names them; Escape takes
 * the panel down and nothing happens. */
void st_authorise(struct station *st, enum auth_action action, const char *subject);

/* The panel's own handling of an event while it is up (station_handle). */
bool auth_run(struct station *st, const struct event *ev, struct effects *fx);

/* Take the panel down (leaving the screen, logging out). */
void st_auth_end(struct station *st);

/* ---- helpers every screen uses (station.c) --------------------------------- */

/* Copy src into dst[cap], cut at a UTF-8 character boundary when too long. */
void station_copy(char *dst, size_t cap, const char *src);
#define COPY(dst, src) station_copy((dst), sizeof(dst), (src))

/* Append an effect of `type`, zeroed but for its type; NULL (and an assert)
 * when fx is full. */
struct effect *st_emit(struct effects *fx, enum effect_type type);

/* Audit `action` done by the operator to `subject` (may be NULL). */
void st_audit(const struct station *st, struct effects *fx, const char *action,
           const char *subject, const char *detail);
/* The same, allowed by `authorised_by` (a badge, or NULL or "" when nobody had to). */
void st_audit_authorised(const struct station *st, struct effects *fx, const char *action,
                         const char *subject, const char *detail, const char *authorised_by);

/* The message shown until the next thing the grader does. */
void st_say(struct station *st, enum msg m, const char *arg, int num);

/* Queue a saved inspection's label again, audited. */
void st_reprint(struct station *st, const struct inspection *insp, struct effects *fx);

void st_clear_input(struct station *st);
/* Typing into the input line; true when the event was typing. */
bool st_edit_input(struct station *st, const struct event *ev);
/* A submitted code: a scan, or typed input ended by Return; NULL otherwise.
 * Copies it into buf[cap] (cut to fit; NUL-terminated) and its length into
 * *len; the input line is left as it is. */
const char *st_submitted_code(struct station *st, const struct event *ev, char *buf, size_t cap,
                           size_t *len);
/* The digit 1..9 typed as text (or a touch), as a 0-based choice; -1 when
 * the event is not one. */
int st_typed_choice(const struct event *ev);

/* ---- the inspection in progress (station.c) -------------------------------- */

/* A fresh inspection by the operator, now, under the current rules. */
void st_start_inspection(struct station *st);
/* A new inspection of the item st->existing describes (re-grade, calibration). */
void st_start_from_existing(struct station *st);
/* Grade with `cat`'s checklist (NULL: none chosen yet). */
void st_use_category(struct station *st, const struct rules_category *cat);

/* A fresh inspection of a return: `rma` with its manifest `row` (NULL:
 * blind), as unit `unit` of `units` (extra: one more than expected). Sets
 * what the row says (late, the category of its SKU), not the screen. */
void st_start_return(struct station *st, const char *rma, const struct manifest_row *row,
                     int unit, int units, bool extra);

/* The inspection in progress as the rules' conditions see it. */
void st_facts(const struct station *st, struct rules_facts *out);

/* The checks decided before `upto` into in: answers[] (and their step_ms)
 * for those asked, skipped[] for those not asked, in rules order. */
void st_compact_answers(const struct station *st, int upto, struct inspection *in);

/* The index of the last check answered before `before`, or -1. */
int st_last_answered(const struct station *st, int before);

/* Forget the item's scan: the inspection's item fields as before it. */
void st_reset_item(struct station *st);

/* Keep the inspection in progress as the grader's draft, with the answers
 * given so far (answers[0..check_index)); nothing for a blind re-grade. */
void st_draft_keep(struct station *st, struct effects *fx);
/* Forget the grader's draft, when one is kept. */
void st_draft_drop(struct station *st, struct effects *fx);

/* ---- the checklist (station_check.c) --------------------------------------- */

/* Check `answered` is answered (and its photo, if it asks one, is dealt
 * with): on to the next check whose `when` holds, or to the summary. */
void st_check_answered(struct station *st, int answered, struct effects *fx);

/* ---- photos (station_photo.c) ---------------------------------------------- */

/* How check i's chosen answer asks for a photo: 0 not, 1 optional, 2 required. */
int st_photo_asked(const struct station *st, int i);
/* The photo taken for check i, or NULL. */
const struct photo_ref *st_photo_of(const struct station *st, int i);
/* Drop the photos and waivers of checks whose answer no longer asks for one
 * (answered again otherwise, or no longer asked). */
void st_photos_prune(struct station *st);
/* Whether the camera gives no pictures: its state says so (EV_CAMERA), or
 * the last picture asked for on the photo screen failed. */
bool st_camera_fails(const struct station *st);
/* The first answered check whose required photo is neither taken nor
 * waived, or -1. */
int st_photo_missing(const struct station *st);

/* Move to the item screen at `step` (station_item.c). */
void st_item_open(struct station *st, enum item_step step, struct effects *fx);

#endif
