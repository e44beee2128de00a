/*
 * inspection.h — the plain records the station passes around: one graded
 * item (struct inspection), one expected return (struct manifest_row) and one
 * person at the station (struct operator_info).
 *
 * Transparent structs with fixed-size, NUL-terminated fields: they are copied
 * by value between the core, the store, the label layout and sync, and never
 * own heap memory. Text longer than a field is cut by whoever fills it; the
 * store rejects input longer than the field with an error instead.
 */
#ifndef TRIAGE_INSPECTION_H
#define TRIAGE_INSPECTION_H

#include <stdbool.h>
#include <stdint.h>

#define INSP_MAX_DEFECTS 16
#define INSP_MAX_ANSWERS 32
#define INSP_MAX_PHOTOS 16

/* Grades, best to worst. GRADE_NONE is an aspect without checks. */
enum grade { GRADE_NONE = 0, GRADE_A = 1, GRADE_B = 2, GRADE_C = 3, GRADE_X = 4 };

enum aspect { ASPECT_COSMETIC, ASPECT_FUNCTIONAL, ASPECT_COMPLETENESS, ASPECT_COUNT };

enum responsibility {
    RESP_NONE,
    RESP_MERCHANT,
    RESP_LOGISTICS,
    RESP_CUSTOMER,
    RESP_PLATFORM,
    RESP_COUNT
};

enum role { ROLE_GRADER, ROLE_SUPERVISOR, ROLE_ADMIN };

/* How the item in hand was checked against the manifest (docs/export.md):
 *   MATCHED     the code scanned equals the manifest's serial or GTIN (or SKU)
 *   MISMATCHED  it differs from the manifest's value of the same kind: another
 *               serial of the product, or another product (wrong_item)
 *   UNVERIFIED  scanned, but the manifest has nothing of that kind to compare
 *   SKIPPED     no item scan (Return on the item screen)
 *   BLIND       no manifest row
 * ITEM_CHECK_NONE is a record made before the station recorded it; the
 * store records such an inspection as inspection_item_check() says. */
enum item_check {
    ITEM_CHECK_NONE,
    ITEM_CHECK_MATCHED,
    ITEM_CHECK_MISMATCHED,
    ITEM_CHECK_UNVERIFIED,
    ITEM_CHECK_SKIPPED,
    ITEM_CHECK_BLIND,
    ITEM_CHECK_COUNT
};

/* The declared reason against what was found (docs/rules.md, "Reasons"):
 * CONFIRMED a quality reason one of whose confirmed_when conditions holds,
 * NOT_FOUND a quality reason none of whose conditions holds, NONE otherwise
 * (no reason, a non-quality one, or one the rules do not list). */
enum reason_check {
    REASON_CHECK_NONE,
    REASON_CHECK_CONFIRMED,
    REASON_CHECK_NOT_FOUND,
    REASON_CHECK_COUNT
};

/* Who pays the return: the product was at fault (QUALITY) or the customer
 * changed their mind (NON_QUALITY); NONE when the rules decided nothing. */
enum return_type { RETURN_TYPE_NONE, RETURN_TYPE_QUALITY, RETURN_TYPE_NON_QUALITY, RETURN_TYPE_COUNT };

/* What the customer gets; RESOLUTION_NONE when the rules decided nothing. */
enum resolution {
    RESOLUTION_NONE,
    RESOLUTION_REFUND,
    RESOLUTION_PARTIAL_REFUND,
    RESOLUTION_EXCHANGE,
    RESOLUTION_REPAIR,
    RESOLUTION_REJECT,
    RESOLUTION_INVESTIGATE,
    RESOLUTION_COUNT
};

/* The most units one manifest row may expect. */
#define MANIFEST_MAX_QUANTITY 9999

struct answer_ref {
    char check[32];  /* check id from the rules */
    char answer[32]; /* answer id chosen */
};

/* One evidence photo of an inspection: taken for the answer chosen on check
 * `check`. `file` is relative to the data folder: the capture's own name
 * under photos/ until the inspection is saved, "photos/<plate>-<n>.jpg"
 * (n from 1, in the order of photos[]) once it is. sha256: the JPEG's
 * SHA-256 in lower-case hex. */
struct photo_ref {
    char check[32];
    char file[64];
    char sha256[65];
};

/* A required photo that was not taken: the camera did not work, and a
 * supervisor or admin (`by`, a badge) let the inspection go on without it. */
struct photo_waiver {
    char check[32];
    char by[64];
};

struct manifest_row {
    char rma[64];
    char order_id[64];
    char sku[64];
    char gtin[32];
    char serial[64];
    char description[256];
    char reason[64];
    char delivered_at[16]; /* YYYY-MM-DD or "" */
    int quantity;          /* units expected, 1..MANIFEST_MAX_QUANTITY; 0 = not given (1) */
};

struct inspection {
    /* Identity, filled by the store at commit. */
    char station[32];
    char epoch[40];
    int64_t seq;
    char plate[48];

    /* What was inspected. */
    char rma[64];
    char order_id[64];
    char sku[64];
    char gtin[32];
    char serial[64];
    char description[256];
    char reason[64]; /* declared return reason from the manifest */
    char category[64];
    char operator_badge[64];

    int64_t started_at;  /* Unix ms, UTC */
    int64_t finished_at; /* Unix ms, UTC */

    /* The outcome. */
    enum grade grade;
    enum grade aspect_grade[ASPECT_COUNT];
    char disposition[24];
    enum responsibility responsibility;
    int ndefects;
    char defects[INSP_MAX_DEFECTS][16];
    int nanswers;
    struct answer_ref answers[INSP_MAX_ANSWERS];
    char rules_version[32];

    bool late;     /* returned after delivery + the return window */
    bool mismatch; /* the item scanned is not what the manifest expects */
    bool blind;    /* the RMA was not in the manifest */
    char supersedes[48]; /* plate of the inspection this one replaces, or "" */

    /* Time per checklist step: step_ms[i] is the milliseconds from check i's
     * question appearing to its answer (the last answer when re-answered);
     * aligned with answers[]. 0 = not measured. */
    int32_t step_ms[INSP_MAX_ANSWERS];

    /* Grader calibration. calibration_due: this inspection was
     * chosen for a blind re-grade by another grader (its label says so).
     * calibrates: this record IS such a re-grade, of the named plate; it is a
     * calibration record, not a correction: it supersedes nothing. */
    bool calibration_due;
    char calibrates[48];

    /* The item in hand against the manifest. scanned_item: the code scanned
     * on the item screen, as scanned (UTF-8; "" when none). wrong_item: that
     * code names another product than the manifest's (item_check is then
     * MISMATCHED, and the category is the one the grader chose). */
    enum item_check item_check;
    char scanned_item[256];
    bool wrong_item;

    /* Which unit of the RMA this is, of how many the manifest expects
     * (1 of 1 for a blind receipt; 0 = not set, taken as 1). extra_unit: one
     * more unit than expected, received by the grader's explicit choice
     * (unit is then above units). */
    int unit, units;
    bool extra_unit;

    /* Branching: the checks of the checklist that were not asked (their
     * `when` did not hold, or an answer ended the checklist), in rules
     * order; answers[] holds only the checks asked. */
    int nskipped;
    char skipped[INSP_MAX_ANSWERS][32];

    /* The grading policy (docs/rules.md): the declared reason (`reason`,
     * above) against what was found; the responsibility the rules suggested
     * (`responsibility` is the one the grader confirmed) and, when the two
     * differ, the id of the override reason the grader gave (else ""); the
     * return type and the resolution the rules decided. */
    enum reason_check reason_check;
    enum responsibility responsibility_suggested;
    char responsibility_reason[32];
    enum return_type return_type;
    enum resolution resolution;

    /* Evidence (docs/rules.md, "Photos"): the photos taken for answers
     * that ask for one, in the order taken (at most one per check: a retake
     * replaces it), and the required photos waived. */
    int nphotos;
    struct photo_ref photos[INSP_MAX_PHOTOS];
    int nwaived;
    struct photo_waiver waived[INSP_MAX_PHOTOS];
};

/* The outcomes of one RMA so far: what the station needs to know which unit
 * comes next (the core asks its ports; the store answers). */
struct rma_units {
    int graded;  /* units 1..units that have an outcome */
    int next;    /* the unit to grade next: the lowest of 1..units without an
                    outcome nor another grader's unfinished inspection (else the
                    lowest without an outcome); 0 when every unit has one */
    int highest; /* the highest unit number with an outcome (extra units too) */
    bool has_latest;
    struct inspection latest; /* the RMA's latest outcome that no re-grade replaced */
};

struct operator_info {
    char badge[64];
    char name[64];
    enum role role;
};

/* How a badge and PIN fared (the store checks them; the core acts on it).
 * LOGIN_NOT_ALLOWED: a right PIN, but the badge's role may not authorise. */
enum login_result {
    LOGIN_OK,
    LOGIN_UNKNOWN_BADGE,
    LOGIN_BAD_PIN,
    LOGIN_LOCKED,
    LOGIN_ERROR,
    LOGIN_NOT_ALLOWED
};

/* What a badge and PIN are checked for: logging in, or a supervisor or admin
 * authorising something the operator logged in may not do alone. */
enum pin_purpose { PIN_LOGIN, PIN_AUTHORISE };

/* "A", "B", "C", "X", or "" for GRADE_NONE. */
const char *grade_name(enum grade g);
/* 'A'..'X' → grade; anything else → GRADE_NONE. */
enum grade grade_from_char(char c);

const char *aspect_name(enum aspect a); /* "cosmetic", "functional", "completeness" */
int aspect_from_name(const char *s);    /* -1 when unknown */

const char *responsibility_name(enum responsibility r); /* "merchant"…; "" for none */
int responsibility_from_name(const char *s);            /* -1 when unknown; "" → RESP_NONE */

const char *role_name(enum role r);   /* "grader", "supervisor", "admin" */
int role_from_name(const char *s);    /* -1 when unknown */

/* "matched", "mismatched", "unverified", "skipped", "blind"; "" for NONE. */
const char *item_check_name(enum item_check c);
/* The name back to the value; -1 when unknown. */
int item_check_from_name(const char *s);
/* What an inspection's item check is: its own, or for ITEM_CHECK_NONE what
 * its flags say (blind, mismatch, else skipped). */
enum item_check inspection_item_check(const struct inspection *in);
/* The units of an RMA an inspection belongs to, at least 1. */
int inspection_units(const struct inspection *in);
int inspection_unit(const struct inspection *in);

/* "none", "confirmed", "not_found"; and back (-1 when unknown). */
const char *reason_check_name(enum reason_check c);
int reason_check_from_name(const char *s);
/* "quality", "non_quality", "" for none; and back ("" → NONE, -1 unknown). */
const char *return_type_name(enum return_type t);
int return_type_from_name(const char *s);
/* "refund", "partial_refund", "exchange", "repair", "reject", "investigate",
 * "" for none; and back ("" → NONE, -1 unknown). */
const char *resolution_name(enum resolution r);
int resolution_from_name(const char *s);

/* The plate printed on the item's label: "<station>-<seq, 6 digits>". */
void plate_format(char *out, int outlen, const char *station, int64_t seq);

#endif
