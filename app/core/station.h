/*
 * station.h — the station core: a state machine, pure C.
 *
 * The core takes one event at a time (a scan, a key, a touch on a choice, a
 * tick of the clock, the answer to a PIN check, the result of a save) and
 * answers with effects for the outside to carry out (check this PIN, save
 * this inspection, reprint this label, beep, write to the audit log) and a
 * view model for the UI to draw. It never calls SDL, libusb, SQLite or zint:
 * what it needs to look up comes through `struct station_ports`, so every
 * decision can be tested without hardware.
 *
 * Screens (names as in docs/script.md): login → (resume →) scan → item → check … →
 * summary → scan, with the photo screen after an answer that asks for a photo. The resume screen follows a login when the grader left an
 * inspection unfinished.
 * Each screen is a state {entry, run, exit} in one const table indexed by
 * enum screen (station.c; one file per screen, station_<screen>.c). Only a
 * run moves to another screen; every move runs the old screen's exit, then
 * the new one's entry.
 *
 * Slow work is never done inside station_handle. Checking a PIN (Argon2id,
 * about 100 ms) is an effect, FX_CHECK_PIN; the login screen shows
 * "checking" until the caller sends the answer back as EV_LOGIN_RESULT.
 *
 * Durability: on confirm the core emits FX_SAVE and waits in the summary
 * screen, "saving". Only EV_SAVED (sent by the caller after COMMIT returned)
 * makes it say "saved <plate>". The commit itself queued the label, so a
 * save asks for no print; FX_REPRINT is only ever a grader asking for a
 * saved label again. EV_SAVE_FAILED keeps the inspection and retries every
 * STATION_SAVE_RETRY_MS (or on Return); it is never dropped, not by Escape
 * nor by the idle logout.
 *
 * Drafts: from the checklist on, the inspection in progress is kept after
 * every answer (FX_DRAFT_SAVE, one draft per grader, in the database: never
 * sent nor counted); the commit of the inspection removes it. A logout, an
 * idle logout, a restart or a power cut leave it there, and the grader's
 * next login offers it back (SCREEN_RESUME). F12 in the middle of an
 * inspection asks first (view.confirm_logout).
 *
 * Units: a manifest row may expect several units of one RMA; each is one
 * inspection (unit 1..units). Scanning an RMA whose units all have an
 * outcome shows its latest outcome (reprint, re-grade, back) and starts
 * nothing by itself; one more unit is an explicit choice (ITEM_PICK_EXTRA).
 *
 * Audit: every FX_AUDIT names its actor (the badge of the operator who did
 * it), its action and its subject (the plate or badge it was done to) apart,
 * and who authorised it when the operator could not alone. The outcome of a
 * PIN check is audited by whoever checks it (the store's operators module),
 * never by the core as well.
 *
 * Roles: a grader grades, re-grades their own outcomes and reprints. What a
 * grader may not do alone — re-grade another grader's outcome, discard
 * another grader's draft, override the grade the rules decided — a
 * supervisor or admin authorises at the station with badge and PIN while the
 * grader stays logged in (enum auth_action; a panel over the screen; the
 * PIN goes out as FX_CHECK_PIN with purpose PIN_AUTHORISE). Supervisors and
 * admins do these themselves and open statistics. Admins alone manage
 * operators (F4) and open the service screen (F6: the station's own checks,
 * as `triage selfcheck`, asked as FX_SELFCHECK and answered with
 * EV_SELFCHECK_DONE).
 */
#ifndef TRIAGE_STATION_H
#define TRIAGE_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "draft.h"
#include "inspection.h"
#include "lang.h"
#include "rules.h"
#include "stats_report.h"

#define STATION_SAVE_RETRY_MS 3000
#define STATION_INPUT_MAX 511 /* the longest code a scan or the keyboard may give */
#define STATION_MAX_FX 8

enum screen {
    SCREEN_LOGIN,
    SCREEN_SCAN,
    SCREEN_ITEM,
    SCREEN_CHECK,
    SCREEN_SUMMARY,
    SCREEN_STATS,
    SCREEN_RESUME, /* after a login: an unfinished inspection of this grader */
    SCREEN_OPERATORS, /* admins: the operators, unlock, disable, enable */
    SCREEN_PHOTO,     /* after an answer that asks for a photo: the camera's live view */
    SCREEN_SERVICE,   /* admins: the station's own checks (triage selfcheck) */
    SCREEN_COUNT
};

/* "login", "scan", "item", "check", "summary", "stats", "resume", "operators",
 * "photo", "service". */
const char *screen_name(enum screen s);
int screen_from_name(const char *name); /* -1 when unknown */

/* Keys that are not text. Digits and letters arrive as EV_TEXT. */
enum key {
    KEY_NONE,
    KEY_ENTER,
    KEY_ESCAPE,
    KEY_BACKSPACE,
    KEY_TAB,
    KEY_UP,
    KEY_DOWN,
    KEY_LEFT,
    KEY_RIGHT,
    KEY_LANG,     /* switch language (F1, or the button on the login screen) */
    KEY_STATS,    /* statistics (F2) */
    KEY_LOGOUT,   /* log out (F12, or the button) */
    KEY_REPRINT,  /* print the shown inspection's label again (F5, or the button) */
    KEY_OVERRIDE, /* summary: override the grade the rules decided (F3, or the button) */
    KEY_OPERATORS, /* scan: the operators (admins; F4, or the button) */
    KEY_PAGEUP,   /* a page back in a long list (statistics) */
    KEY_PAGEDOWN, /* a page on */
    KEY_SERVICE,  /* scan: the service screen (admins; F6, or the button) */
    KEY_COUNT
};

enum event_type {
    EV_TICK,        /* time passed; only `now` matters */
    EV_SCAN,        /* a code from a scanner: text/len, source */
    EV_TEXT,        /* typed UTF-8 text */
    EV_KEY,         /* a named key: key */
    EV_PICK,        /* a touch on choice `pick` (0-based) of the current screen */
    EV_SAVED,       /* the pending inspection is committed: seq, plate */
    EV_SAVE_FAILED, /* the commit failed: text holds "E2xx: …" */
    EV_LOGIN_RESULT, /* the answer to FX_CHECK_PIN: purpose, login, op, tries_left,
                        locked_until */
    EV_AUTHORISED,  /* inside the core only: a supervisor or admin authorised action
                       `pick` (enum auth_action) of the current screen; op: who */
    EV_OPERATOR_DONE, /* the answer to FX_MANAGE_OPERATOR: text "" done, else "E1xx: …" */
    EV_SCROLL,      /* a drag (touch, mouse) or the wheel: pick rows on (< 0: back) */
    EV_CAMERA,      /* the camera's state changed: text "" it gives pictures, else why
                       not ("E95x: …"; also when no camera is configured) */
    EV_PHOTO_TAKEN, /* the answer to FX_PHOTO_TAKE: photo, on disk for good */
    EV_PHOTO_FAILED, /* the answer to FX_PHOTO_TAKE: text holds "E9xx: …" */
    EV_SELFCHECK_DONE, /* the answer to FX_SELFCHECK: selfcheck */
};

/* The station's own checks (`triage selfcheck`), one line each, as the
 * service screen shows them. */
#define SERVICE_MAX_LINES 24
struct service_line {
    char id[8];     /* "I851", "W856", "E855": the letter is the verdict */
    char what[48];  /* "video", "scanner bench", "printer zpl-tcp" */
    char text[320]; /* what was found, in English (the CLI's words) */
};
struct service_report {
    int n;
    int failed; /* E lines */
    int64_t at; /* station time of the check (Unix ms) */
    struct service_line lines[SERVICE_MAX_LINES];
};

struct event {
    enum event_type type;
    int64_t now; /* station time: Unix ms, UTC */
    enum key key;
    int pick;
    int64_t seq;
    char plate[48];
    size_t len;
    char text[512];
    char source[32]; /* which scanner, for EV_SCAN; "" when unknown */

    /* EV_LOGIN_RESULT. purpose: as the FX_CHECK_PIN asked. op.badge is the
     * badge checked, whatever the result; the rest of op is filled on
     * LOGIN_OK. tries_left: LOGIN_BAD_PIN, how many wrong PINs remain before
     * the lock (not shown: a wrong PIN and an unknown badge look the same);
     * locked_until: LOGIN_LOCKED, when the lock lifts (Unix ms). */
    enum pin_purpose purpose;
    enum login_result login;
    struct operator_info op;
    int tries_left;
    int64_t locked_until;

    /* EV_SAVED: what still stands between the outcome and its label and
     * head office at that moment (the main loop knows; the core says it):
     * labels waiting to print and the printer's trouble ("offline", "" when
     * it is fine), and a failing sync (its error id, "" when none). */
    int labels_waiting;
    char printer_trouble[32];
    char sync_trouble[16];

    /* EV_PHOTO_TAKEN: the photo taken (its check, its file, its SHA-256). */
    struct photo_ref photo;
    /* EV_SELFCHECK_DONE: the checks' lines; valid during station_handle. */
    const struct service_report *selfcheck;
};

enum effect_type {
    FX_CHECK_PIN,   /* check PIN fx.pin of badge fx.actor for fx.purpose (off the UI
                       thread), then send EV_LOGIN_RESULT; the check audits its own
                       outcome (PIN_AUTHORISE: for fx.subject, the operator who asked,
                       and fx.detail, what) */
    FX_SAVE,        /* commit fx.insp durably (which queues its label), then send
                       EV_SAVED or EV_SAVE_FAILED */
    FX_REPRINT,     /* queue the label of saved plate fx.subject again, for fx.actor */
    FX_BEEP_OK,
    FX_BEEP_ERROR,
    FX_AUDIT,       /* audit log: fx.actor did fx.action to fx.subject; fx.detail;
                       fx.authorised_by allowed it ("" when nobody had to) */
    FX_STATS_QUERY, /* compute the statistics of fx.range (off the UI thread) */
    FX_STATS_LIST,  /* list the inspections of fx.range behind bar (fx.dim, fx.key) */
    FX_DRAFT_SAVE,  /* keep fx.draft as fx.actor's unfinished inspection (replacing any) */
    FX_DRAFT_DROP,  /* forget fx.actor's unfinished inspection */
    FX_MANAGE_OPERATOR, /* admin fx.actor does fx.action ("unlock", "disable", "enable") to
                           operator fx.subject (audited by the store), then send
                           EV_OPERATOR_DONE */
    FX_PHOTO_TAKE,  /* take a picture with the camera for check fx.subject (an id) and keep
                       it durably, then send EV_PHOTO_TAKEN or EV_PHOTO_FAILED */
    FX_SELFCHECK,   /* run the station's own checks (off the UI thread), then send
                       EV_SELFCHECK_DONE */
};

struct effect {
    enum effect_type type;
    const struct inspection *insp; /* FX_SAVE; valid until the next station_handle */
    const struct draft *draft;     /* FX_DRAFT_SAVE; valid until the next station_handle */
    char actor[64];   /* FX_AUDIT, FX_REPRINT: who (a badge); FX_CHECK_PIN: the badge */
    char action[32];  /* FX_AUDIT: what, e.g. "reprint", "logout" */
    char subject[64]; /* FX_AUDIT: to what (a plate, a badge), or "" when only to the
                         actor; FX_REPRINT: the plate */
    char detail[256]; /* FX_AUDIT; FX_CHECK_PIN for PIN_AUTHORISE: what is authorised */
    char authorised_by[64]; /* FX_AUDIT */
    char pin[16];     /* FX_CHECK_PIN: digits; wipe it once handed over */
    enum pin_purpose purpose; /* FX_CHECK_PIN */
    struct stats_range range; /* FX_STATS_QUERY, FX_STATS_LIST */
    enum stats_dim dim;       /* FX_STATS_LIST */
    char key[64];             /* FX_STATS_LIST */
    int64_t offset;           /* FX_STATS_LIST: the first row of the page wanted */
};

struct effects {
    int n;
    struct effect fx[STATION_MAX_FX];
};

/* One operator as the admins' screen shows it. */
struct operator_state {
    struct operator_info op;
    bool disabled;
    int failures;         /* wrong PINs in a row */
    int64_t locked_until; /* Unix ms; 0 when not locked */
};

#define STATION_MAX_OPERATORS 64

/* What the station looks up (quick look-ups only: anything slow is an
 * effect); implemented over the store in main, by tables in tests.
 * Return 0 found, 1 not found, -1 error. */
struct station_ports {
    void *ctx;
    int (*find_operator)(void *ctx, const char *badge, struct operator_info *op);
    int (*find_manifest)(void *ctx, const char *rma, struct manifest_row *out);
    int (*find_inspection)(void *ctx, const char *plate, struct inspection *out);
    /* Whether a blind re-grade of `plate` was saved: 0 yes, 1 no, -1 error.
     * NULL: calibration re-grades never start. */
    int (*find_calibration)(void *ctx, const char *plate);
    /* The outcomes of `rma` so far, of `units` expected; `badge` is the
     * grader asking (their own unfinished inspection does not hold a unit).
     * 0, or -1 error. NULL: every scan of an RMA starts unit 1. */
    int (*rma_units)(void *ctx, const char *rma, int units, const char *badge,
                     struct rma_units *out);
    /* The unfinished inspection `badge` left: 0 found, 1 none, -1 error.
     * NULL: never any. */
    int (*find_draft)(void *ctx, const char *badge, struct draft *out);
    /* Up to max operators by badge into out: how many, or -1 on error.
     * NULL: the operators screen lists nobody. */
    int (*list_operators)(void *ctx, struct operator_state *out, int max);
};

struct station_settings {
    const char *station_id;
    int idle_logout_min; /* 0 = never */
    enum lang lang;
    const struct rules *rules;
    int calibration_pct; /* share (0..100) of inspections chosen for a blind re-grade */
    const struct tz *tz; /* the site's time zone: its days and "today" (NULL: UTC) */
    const char *data_dir; /* the data folder, where photos' file names start (NULL: none
                             shown) */
};

/* Messages the core shows; the UI words them in the current language. */
enum msg {
    MSG_NONE,
    MSG_SAVED,          /* arg: plate */
    MSG_UNKNOWN_CODE,   /* arg: the code */
    MSG_BAD_PIN,        /* the badge or the PIN is not right (never which) */
    MSG_LOCKED,         /* num: minutes until the lock lifts */
    MSG_SAVE_FAILED,    /* arg: the store's error */
    MSG_NOT_ALLOWED,    /* only a supervisor or admin may (statistics, authorising) */
    MSG_ITEM_OK,        /* the item scanned is what the manifest expects */
    MSG_ITEM_MISMATCH,  /* arg: what was scanned */
    MSG_PICK_CATEGORY,  /* blind receipt or unknown SKU: choose a category */
    MSG_LOGGED_OUT,     /* idle logout */
    MSG_STORE_ERROR,    /* a lookup failed */
    MSG_REPRINTED,      /* arg: plate */
    MSG_CALIBRATION,    /* arg: plate: a blind re-grade starts (the first grade is hidden) */
    MSG_CALIBRATION_SAVED, /* arg: plate re-graded */
    MSG_STATS_BAD_DATE, /* arg: what was typed (E750) */
    MSG_STATS_REVERSED, /* E751 */
    MSG_STATS_TOO_LONG, /* E752 */
    MSG_ITEM_WRONG,     /* arg: what was scanned: another product (E568) */
    MSG_ITEM_UNVERIFIED, /* arg: what was scanned; the manifest has nothing to compare */
    MSG_ITEM_SKIPPED,   /* the item was not scanned */
    MSG_ALL_GRADED,     /* arg: the RMA, num: its units; its latest outcome is shown */
    MSG_EXTRA_UNIT,     /* arg: the RMA, num: the unit: one more than expected */
    MSG_SAVED_MORE,     /* arg: plate, num: units of the RMA still expected */
    MSG_DRAFT_RESUMED,  /* arg: the RMA: an unfinished inspection goes on */
    MSG_DRAFT_DISCARDED, /* arg: the RMA */
    MSG_CODE_TOO_LONG,  /* num: the most characters a code may have here (E569) */
    MSG_AUTH_NEEDED,    /* a supervisor or admin must authorise: their badge, then PIN */
    MSG_AUTHORISED,     /* arg: the badge that authorised */
    MSG_PICK_GRADE,     /* summary, overriding: keys 1..4 choose A, B, C, X */
    MSG_GRADE_OVERRIDDEN, /* arg: "B → A" */
    MSG_OPERATOR_CHANGED, /* arg: the badge changed */
    MSG_SAVED_LABEL_WAITING, /* arg: plate; num: labels waiting; msg_detail: the printer's
                                trouble ("offline"), or "" when it only queues */
    MSG_SAVED_SYNC_FAILING,  /* arg: plate; msg_detail: the sync error id */
    MSG_PHOTO_TAKEN,    /* num: the photos the inspection has now */
    MSG_PHOTO_FAILED,   /* arg: why ("E9xx: …"); the inspection is kept (E561) */
    MSG_PHOTO_REQUIRED, /* the answer needs a photo before the inspection can be saved (E555) */
    MSG_CAMERA_MISSING, /* arg: why the camera gives no pictures; a required photo can be
                           waived by a supervisor (E556) */
    MSG_PHOTO_WAIVED,   /* arg: the badge that waived it */
    MSG_COUNT
};

/* Error ids of the messages that are errors (E56x), "" for the others. */
const char *msg_error_id(enum msg m);

/* The login screen's steps: the badge, its PIN, then waiting for the PIN's
 * check (FX_CHECK_PIN … EV_LOGIN_RESULT; input is ignored meanwhile). */
enum login_step { LOGIN_STEP_BADGE, LOGIN_STEP_PIN, LOGIN_STEP_CHECKING };

/* What a supervisor or admin may have to authorise (station_auth.c). */
enum auth_action {
    AUTH_NONE,
    AUTH_REGRADE,        /* item: re-grade another grader's outcome */
    AUTH_OVERRIDE_GRADE, /* summary: a grade other than the rules' */
    AUTH_DISCARD_DRAFT,  /* discard another grader's unfinished inspection */
    AUTH_WAIVE_PHOTO,    /* photo: go on without a required photo (the camera does not work) */
    AUTH_COUNT
};

/* "regrade", "override_grade", "discard_draft", "waive_photo" ("" for AUTH_NONE). */
const char *auth_action_name(enum auth_action a);

/* The authorisation panel's steps, as the login's. */
enum auth_step { AUTH_STEP_BADGE, AUTH_STEP_PIN, AUTH_STEP_CHECKING };

/* The stats screen (supervisors). Periods end today (the site's days). */
enum stats_period { PERIOD_TODAY, PERIOD_7D, PERIOD_30D, PERIOD_CUSTOM, PERIOD_COUNT };
enum stats_page {
    PAGE_OVERVIEW,
    PAGE_OUTCOMES,
    PAGE_TREND,    /* responsibility over time */
    PAGE_DEFECTS,
    PAGE_PRODUCTS, /* categories and SKUs */
    PAGE_GRADERS,
    PAGE_STEPS,
    PAGE_COUNT
};

/* Rows of a list the screen may show at once at most; a list page holds
 * STATS_LIST_MAX, so the core asks for the next page before the screen
 * runs out of rows. */
#define STATS_VISIBLE_MAX 12

/* EV_PICK codes of the operators screen: + the row's index; and its two
 * actions (keys U and D too). */
#define OPERATORS_PICK_ROW 2000
#define OPERATORS_PICK_UNLOCK 2900
#define OPERATORS_PICK_TOGGLE 2901 /* disable an active operator, enable a disabled one */

/* EV_PICK code of the service screen's "Check again" (or Return, or R). */
#define SERVICE_PICK_REFRESH 3000

/* EV_PICK codes of the stats screen's touch targets. */
#define STATS_PICK_PERIOD 1000 /* + enum stats_period */
#define STATS_PICK_PAGE 1100   /* + enum stats_page */
#define STATS_PICK_BAR 1200    /* + enum stats_dim; ev.text holds the bar's key */
#define STATS_PICK_ROW 1300    /* ev.text holds the plate of a listed inspection */
#define STATS_PICK_DAY 1400    /* custom range: +0 from -1 day, +1 from +1, +2 to -1, +3 to +1 */

/* EV_PICK codes of the summary's override reasons (+ their index in the
 * rules' override_reasons), offered after Return on another responsibility
 * than the suggested one. */
#define SUMMARY_PICK_OVERRIDE 2100

/* EV_PICK code of the item screen's "one more unit" (or the text "+"), when
 * every unit of the scanned RMA is graded. */
#define ITEM_PICK_EXTRA 2000

/* EV_PICK codes of the photo screen's touch targets (also Return, Tab, F3). */
#define PHOTO_PICK_TAKE 2200  /* take the picture (Return) */
#define PHOTO_PICK_ON 2201    /* go on without one: an optional photo, or keep the one taken
                                 (Tab) */
#define PHOTO_PICK_WAIVE 2202 /* a required photo without a camera: a supervisor waives it (F3) */

enum save_state { SAVE_IDLE, SAVE_PENDING, SAVE_FAILED };

/* What the UI draws. Pointers point into the station or its rules and stay
 * valid until the next station_handle. */
struct view {
    enum screen screen;
    enum lang lang;
    const char *station_id;
    const struct operator_info *op; /* NULL when nobody is logged in */

    enum msg msg;
    bool msg_is_error;
    char msg_arg[256];
    int msg_num;
    char msg_detail[32]; /* MSG_SAVED_LABEL_WAITING, MSG_SAVED_SYNC_FAILING */

    const char *input; /* typed or wedge text not yet submitted */

    /* login */
    enum login_step login_step;
    int pin_len;
    const char *login_badge; /* the badge whose PIN is asked (never its name: an unknown
                                badge looks like a known one) */

    /* authorisation over any screen; auth_action == AUTH_NONE: none */
    enum auth_action auth_action;
    enum auth_step auth_step;
    const char *auth_subject; /* what it is for: a plate, an RMA */
    const char *auth_input;   /* the authorising badge typed so far, or the one whose
                                 PIN is asked */
    int auth_pin_len;

    /* item, check, summary */
    const struct inspection *insp;     /* the inspection being graded */
    const struct manifest_row *expected; /* NULL for a blind receipt */
    bool picking_category;             /* item: choose from rules->categories */
    bool item_scanned;
    const struct rules_category *category;
    const struct rules *rules;
    const struct inspection *existing; /* item: a plate that was scanned (reprint / re-grade),
                                          or the latest outcome of an RMA all graded */
    bool all_units_graded; /* item, existing: reached from an RMA whose units all have an
                              outcome; one more unit is offered (ITEM_PICK_EXTRA) */
    int units_left;        /* item, check, summary: units of the RMA still expected after
                              this one */

    /* check */
    int check_index; /* 0-based index of the check shown */
    int check_pos;   /* 1-based: its place among the checks asked */
    int check_count; /* the checks that will be asked, as far as can be told (branching) */
    const int *answers; /* per check: the answer index chosen so far, RULES_SKIPPED or
                           RULES_PENDING */

    /* summary */
    const struct grade_result *result; /* the grade, the reason check, the suggestion */
    bool asking_override; /* Return on another responsibility than the suggested one:
                             the override reasons (rules->overrides) are offered as 1..n */
    enum save_state save_state;
    bool overriding_grade;     /* keys 1..4 choose the grade (A, B, C, X) */
    enum grade rules_grade;    /* the grade the rules decided */
    const char *authorised_by; /* who authorised a re-grade or override of this
                                  inspection, or "" */
    char last_plate[48]; /* scan: the last plate saved this session */
    int saved_count;     /* saved this session */
    bool calibrating;    /* item, check, summary: a blind re-grade (never show the first grade) */
    bool confirm_logout; /* F12 in the middle of an inspection: Return (or F12) logs out and
                            keeps it for later, Escape goes on */

    /* photo: the check and answer that ask for it, whether it is required, the
     * photo taken for that check already (NULL: none), a picture being taken,
     * why the camera gives none ("" when it works), and whether a waiver may be
     * asked (required, and the camera does not work) */
    const struct rules_check *photo_check;
    const struct rules_answer *photo_answer;
    bool photo_required;
    const struct photo_ref *photo_taken;
    bool photo_taking;
    const char *camera_error;
    bool photo_waivable;
    const char *data_dir; /* the data folder: a photo is at data_dir/photo_ref.file */

    /* resume: the unfinished inspection offered back */
    const struct draft *draft;

    /* stats: what the core owns (navigation) */
    enum stats_period stats_period;
    struct stats_range stats_range; /* the range asked for */
    bool stats_range_ok;            /* false: custom range reversed or too long */
    enum stats_page stats_page;
    enum stats_dim stats_dim;        /* != SD_NONE: the list behind a bar */
    const char *stats_key;
    int stats_scroll;                /* the first row shown of the page's (or list's) rows */
    const struct inspection *stats_detail; /* one inspection of the list, or NULL */
    /* stats: the numbers, filled by the main loop (never by the core) */
    const struct stats_report *stats;    /* NULL until computed */
    const struct stats_list *stats_list; /* NULL until listed */
    bool stats_busy;                     /* a computation is running */
    const char *stats_error;             /* "E75x: …" or NULL */

    /* operators (admins) */
    const struct operator_state *operators;
    int noperators;
    int operator_index; /* the one selected */
    int64_t now;        /* station time, for "locked until" */

    /* service (admins) */
    const struct service_report *service; /* NULL until the first check came back */
    bool service_busy;                    /* a check is running */
    int service_scroll;                   /* the first line shown */
};

struct station;

/* Make a station at the login screen. Settings' strings and rules must
 * outlive it. Returns NULL when out of memory. */
struct station *station_new(const struct station_settings *settings,
                            const struct station_ports *ports);
void station_free(struct station *st); /* NULL is fine */

/* Handle one event; effects are appended to fx (fx->n is reset first).
 * Returns true when the view changed and should be drawn again. */
bool station_handle(struct station *st, const struct event *ev, struct effects *fx);

/* The view model of the current state. */
void station_view(const struct station *st, struct view *out);

/* The current screen. */
enum screen station_screen(const struct station *st);

/* Station time (Unix ms) at which the core wants an EV_TICK, or INT64_MAX. */
int64_t station_next_deadline(const struct station *st);

/* How far the stats screen's current page (or list) can scroll: the first
 * row when the last one is shown, from the layout (lay_stats_scroll_max).
 * The main loop tells it after each change of the numbers or the page; the
 * core keeps its scroll within it. */
void station_stats_scroll_limit(struct station *st, int max_first);

/* Whether an inspection is waiting to be saved (main must not quit). */
bool station_has_unsaved(const struct station *st);

/* The phases of a state, for station_set_trace. */
enum station_phase { PHASE_ENTRY, PHASE_RUN, PHASE_EXIT };

/* Observe the machine: trace(ctx, screen, phase) is called at every entry,
 * run and exit, in order (a run only when the event reaches the screen's
 * own handler). NULL stops tracing. For tests and debugging. */
void station_set_trace(struct station *st,
                       void (*trace)(void *ctx, enum screen s, enum station_phase p),
                       void *ctx);

#endif
