/*
 * rules.h — the grading rules: which checklist applies to an item, and how
 * answers make a grade, a disposition and a suggested responsibility.
 *
 * A rules file is JSON (docs/rules.md): categories matched by SKU
 * glob, each with checks of one aspect, each check with answers that cap the
 * grade (A < B < C < X). The overall grade is the worst answer; an aspect's
 * sub-grade is the worst answer among its checks (GRADE_NONE when the category
 * has no check of that aspect).
 *
 * Besides grading, the rules hold the grading policy (docs/rules.md,
 * "Branching, evidence and decisions"): checks asked only when a condition
 * holds (`when`) and answers that end the checklist (`end`); the declared
 * reasons with what confirms them; defect names; override reasons; and two
 * decision tables, responsibility_rules and resolution_rules, the category's
 * before the top-level ones, first match wins.
 *
 * Loading is strict: an unknown key, a key given twice, text that is not
 * UTF-8, a condition naming a check or answer that does not exist, a check
 * that can never be asked are errors with the file and the line. A rules
 * file that loads can be used by the station, the store and the label
 * without further checks: nothing in it can make a save fail.
 *
 * A loaded `struct rules` owns all its strings; it is read-only after load
 * and may be shared between threads.
 */
#ifndef TRIAGE_RULES_H
#define TRIAGE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "inspection.h"
#include "lang.h"

/* ---- conditions ------------------------------------------------------------ */

/* What a clause of a condition looks at (docs/rules.md, "Conditions"). */
enum cond_key {
    CK_CHECK,          /* an answer of a check, or "skipped" */
    CK_GRADE,          /* the overall grade */
    CK_ASPECT,         /* an aspect's sub-grade (clause.aspect) */
    CK_CATEGORY,       /* the category's id */
    CK_ITEM_CHECK,     /* the item check: matched, mismatched, … */
    CK_LATE,           /* true or false */
    CK_REASON,         /* the declared reason, normalised */
    CK_REASON_CHECK,   /* confirmed, not_found, none */
    CK_RESPONSIBILITY, /* the confirmed responsibility (resolution rules only) */
};

/* One key of a condition: it holds when the inspection's value is one of
 * the values. Enumerated keys keep a bit mask of the values (bit = the
 * enum's value; CK_LATE: bit 0 false, bit 1 true); CK_CHECK, CK_CATEGORY and
 * CK_REASON keep the strings (reasons normalised, rules_reason_normalise). */
struct rules_clause {
    enum cond_key key;
    enum aspect aspect; /* CK_ASPECT */
    char *check;        /* CK_CHECK: the check's id */
    unsigned mask;
    int nvalues;
    char **values;
};

/* A condition: every clause must hold; no clause: it always holds. */
struct rules_cond {
    int nclauses;
    struct rules_clause *clauses;
};

/* A decision rule: `when` holds → `then` (responsibility_rules) or
 * return_type and resolution (resolution_rules). */
struct rules_rule {
    struct rules_cond when;
    enum responsibility then;
    enum return_type return_type;
    enum resolution resolution;
};

/* ---- the rules ------------------------------------------------------------ */

struct rules_answer {
    char *id;
    struct text text;
    enum grade grade;
    char *defect;                       /* NULL when the answer names none */
    enum responsibility responsibility; /* RESP_NONE when it names none */
    bool end;                           /* "end": true: every later check is skipped */
    int photo;                          /* 0 none, 1 optional, 2 required (asked by a later
                                           part of the station; validated here) */
};

struct rules_check {
    char *id;
    enum aspect aspect;
    struct text text;
    int nanswers;
    struct rules_answer *answers;
    bool has_when; /* asked only when `when` holds over the answers before it */
    struct rules_cond when;
    struct text instructions; /* how to do the check, shown with it; empty when none */
    char *image;              /* the reference picture as the file gives it (relative to the rules
                                 file's folder, or absolute), or NULL; rules_image_path */
};

struct rules_category {
    char *id;
    struct text name;
    int nmatch;
    char **match; /* SKU globs (fnmatch syntax) */
    int nchecks;
    struct rules_check *checks;
    char *disposition[GRADE_X + 1]; /* indexed by enum grade; [GRADE_NONE] unused */
    int nresp_rules, nres_rules;
    struct rules_rule *resp_rules; /* the category's responsibility_rules, first */
    struct rules_rule *res_rules;  /* the category's resolution_rules, first */
};

/* A declared return reason the rules know. */
struct rules_reason {
    char *id; /* normalised */
    struct text text;
    bool quality;
    int nconfirmed;
    struct rules_cond *confirmed_when; /* any one holding confirms the reason */
};

/* A defect code's words. */
struct rules_defect {
    char *code;
    struct text text;
};

/* Why a grader confirmed another responsibility than the suggested one. */
struct rules_override {
    char *id;
    struct text text;
};

/* The most override reasons (keys 1..9 on the summary). */
#define RULES_MAX_OVERRIDES 9

struct rules {
    char *version;
    int return_window_days; /* 7 when the file does not say */
    int ncategories;
    struct rules_category *categories;
    int nreasons;
    struct rules_reason *reasons;
    int ndefects;
    struct rules_defect *defects;
    int noverrides; /* at least 1: the built-in ones when the file gives none */
    struct rules_override *overrides;
    int nresp_rules, nres_rules; /* the top-level decision tables */
    struct rules_rule *resp_rules;
    struct rules_rule *res_rules;
    /* The folder of the rules file, as its path was given ("" for a file in
     * the current folder); NULL for rules loaded from a string (the built-in
     * ones): their images have nowhere to be found and are not shown. */
    char *dir;
};

/* The most bytes of an image's path as the station opens it (the rules
 * file's folder and the image), with its NUL. */
#define RULES_MAX_IMAGE_PATH 320

/* The outcome of a filled checklist. Pointers point into the rules. */
struct grade_result {
    enum grade grade;
    enum grade aspect[ASPECT_COUNT];
    const char *disposition;
    enum responsibility responsibility; /* the suggestion */
    int ndefects;
    const char *defects[INSP_MAX_DEFECTS];

    /* rules_decide: the declared reason as the rules know it (NULL when they
     * do not), what was found of it, and the condition that decided: the
     * index of the confirmed_when that held (confirmed), or of the first
     * (not found), -1 when none applies. */
    const struct rules_reason *reason;
    enum reason_check reason_check;
    int reason_cond;
    /* Which responsibility rule made the suggestion: RULE_FROM_ANSWERS when
     * none matched (the worst answer naming one), else the rule's index; in
     * the category's table when resp_rule_in_category. */
    int resp_rule;
    bool resp_rule_in_category;
    /* RULE_FROM_ANSWERS: the check whose answer named the suggestion, -1
     * when none did. */
    int resp_check;
};

#define RULE_FROM_ANSWERS (-1)

/* The inspection as the conditions see it (besides the checklist). */
struct rules_facts {
    const struct rules_category *cat;
    /* Per check of cat (cat->nchecks of them): the index of the answer
     * chosen, RULES_SKIPPED, or RULES_PENDING (not answered yet). */
    const int *answers;
    enum item_check item_check;
    bool late;
    const char *reason; /* the declared reason as in the manifest; NULL or "" none */
    enum responsibility responsibility; /* the confirmed one (resolution rules) */
};

#define RULES_SKIPPED (-1)
#define RULES_PENDING (-2)

/* The resolution of a finished inspection. */
struct resolution_result {
    enum return_type return_type;
    enum resolution resolution;
    int rule;              /* the index of the rule that matched, -1 none */
    bool rule_in_category; /* … in the category's table */
};

/*
 * Load and validate a rules file. On success returns 0 and *out owns the
 * rules (free with rules_free). On failure returns -1, *out is NULL and err
 * holds "E3xx: FILE:LINE: what is wrong". Each check's `image` is resolved
 * against the file's folder (rules->dir) and must be a readable regular file
 * that is a whole PNG or JPEG (E376–E379).
 */
int rules_load_file(const char *path, struct rules **out, char *err, size_t errlen);

/* The same from a string; `name` stands for the file name in messages. The
 * rules have no folder (rules->dir NULL): images are not looked for. */
int rules_load_string(const char *json, const char *name, struct rules **out, char *err,
                      size_t errlen);

/* The rules compiled into the binary: the demo station's three categories. */
extern const char rules_builtin_json[];

void rules_free(struct rules *rules); /* NULL is fine */

/* The path the station opens check c's image at: an absolute `image` as it
 * is, a relative one under rules->dir. Returns 0 with it in out, -1 when the
 * check has no image, the rules no folder (loaded from a string), or it does
 * not fit outlen. */
int rules_image_path(const struct rules *rules, const struct rules_check *c, char *out,
                     size_t outlen);

/* The first category (file order) with a glob matching `sku`, or NULL. */
const struct rules_category *rules_match(const struct rules *rules, const char *sku);

/* The category with this id, or NULL. */
const struct rules_category *rules_category(const struct rules *rules, const char *id);

/*
 * Grade a filled checklist. `answers[i]` is the index of the answer chosen for
 * check i of `cat` (all cat->nchecks of them); a check not asked
 * (RULES_SKIPPED, or any index out of range) counts toward no grade. Pure;
 * never fails. Responsibility: the one named by the worst-graded answer that
 * names one (the first in file order among equals); RESP_NONE when no answer
 * names one.
 */
void rules_grade(const struct rules_category *cat, const int *answers, struct grade_result *out);

/*
 * Everything the rules decide before the grader confirms: rules_grade, the
 * reason check, and the suggested responsibility (the category's
 * responsibility_rules, then the top-level ones, first match wins; without
 * a match, rules_grade's). facts->answers must have no RULES_PENDING.
 */
void rules_decide(const struct rules *rules, const struct rules_facts *facts,
                  struct grade_result *out);

/* The return type and resolution of a finished inspection (the category's
 * resolution_rules, then the top-level ones, first match wins; no match:
 * both NONE). facts->responsibility is the confirmed one. */
void rules_resolve(const struct rules *rules, const struct rules_facts *facts,
                   struct resolution_result *out);

/*
 * Branching. Whether check i of facts->cat is asked, given the answers to
 * the checks before it: 1 asked, 0 skipped (its `when` does not hold, or an
 * earlier answer ended the checklist), -1 not known yet (a check before it
 * is still RULES_PENDING).
 */
int rules_check_asked(const struct rules *rules, const struct rules_facts *facts, int i);

/* The first check after index `after` (-1: from the first) that is asked;
 * every check passed over on the way is set to RULES_SKIPPED in answers[]
 * (facts->answers must point to it), every later one to RULES_PENDING.
 * Returns its index, or cat->nchecks when the checklist is finished. The
 * checks up to `after` must all be answered or skipped. */
int rules_next_check(const struct rules *rules, const struct rules_facts *facts, int *answers,
                     int after);

/* How many checks the checklist will ask, as far as can be told now: those
 * answered, and of the checks still open those asked if each gets its first
 * answer (the usual one in a rules file); the answers given so far make the
 * count exact, one by one. */
int rules_expected_checks(const struct rules *rules, const struct rules_facts *facts);

/* Evaluate a condition over facts: 1 holds, 0 does not, -1 not known yet. */
int rules_cond_eval(const struct rules *rules, const struct rules_cond *c,
                    const struct rules_facts *facts);

/* ---- why: the facts behind a decision, for words on screens --------------------- */

/* One fact a condition looked at, as the inspection has it. */
struct rules_finding {
    enum cond_key key;
    enum aspect aspect;                 /* CK_ASPECT */
    enum grade grade;                   /* CK_GRADE, CK_ASPECT: the inspection's (NONE: no
                                           check of the aspect was answered) */
    const struct rules_check *check;    /* CK_CHECK */
    const struct rules_answer *answer;  /* CK_CHECK: the answer given; NULL: not asked */
    enum item_check item_check;         /* CK_ITEM_CHECK */
    bool late;                          /* CK_LATE */
    enum responsibility responsibility; /* CK_RESPONSIBILITY */
};

/* The facts of condition c over facts (its clauses in file order, those on
 * the declared reason and the category left out), at most max; returns how
 * many. */
int rules_findings(const struct rules *rules, const struct rules_facts *facts,
                   const struct rules_cond *c, struct rules_finding *out, int max);

/* The condition that decided g's reason check (confirmed: the one that held;
 * not found: the first), or NULL. */
const struct rules_cond *rules_reason_cond(const struct grade_result *g);

/* The condition of the responsibility rule that made g's suggestion, or NULL
 * (the suggestion came from the answers: g->resp_check). */
const struct rules_cond *rules_resp_cond(const struct rules *rules,
                                         const struct rules_category *cat,
                                         const struct grade_result *g);

/* ---- words ------------------------------------------------------------------ */

/* A declared reason as the rules match it: lower-case (ASCII), spaces and
 * hyphens turned into "_", no spaces at either end ("No longer needed" →
 * "no_longer_needed"). Cut to fit out[outlen]; returns out. */
char *rules_reason_normalise(const char *reason, char *out, size_t outlen);

/* The reason the rules list for a declared reason (as in the manifest), or
 * NULL. */
const struct rules_reason *rules_reason(const struct rules *rules, const char *declared);

/* The words of a defect code, or NULL when the rules give none. */
const struct text *rules_defect_text(const struct rules *rules, const char *code);

/* The override reason with this id, or NULL. */
const struct rules_override *rules_override(const struct rules *rules, const char *id);

#endif
