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

struct answer_ref {
    char check[32];  /* check id from the rules */
    char answer[32]; /* answer id chosen */
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

/* The plate printed on the item's label: "<station>-<seq, 6 digits>". */
void plate_format(char *out, int outlen, const char *station, int64_t seq);

#endif
