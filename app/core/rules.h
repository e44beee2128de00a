/*
 * rules.h — the grading rules: which checklist applies to an item, and how
 * answers make a grade, a disposition and a suggested responsibility.
 *
 * A rules file is JSON (docs/rules.md): categories matched by SKU
 * glob, each with checks of one aspect, each check with answers that cap the
 * grade (A < B < C < X). The overall grade is the worst answer; an aspect's
 * sub-grade is the worst answer among its checks (GRADE_NONE when the category
 * has no check of that aspect). Keys the station does not know are kept in
 * the file and ignored here.
 *
 * A loaded `struct rules` owns all its strings; it is read-only after load
 * and may be shared between threads.
 */
#ifndef TRIAGE_RULES_H
#define TRIAGE_RULES_H

#include <stddef.h>

#include "inspection.h"
#include "lang.h"

struct rules_answer {
    char *id;
    struct text text;
    enum grade grade;
    char *defect;                       /* NULL when the answer names none */
    enum responsibility responsibility; /* RESP_NONE when it names none */
};

struct rules_check {
    char *id;
    enum aspect aspect;
    struct text text;
    int nanswers;
    struct rules_answer *answers;
};

struct rules_category {
    char *id;
    struct text name;
    int nmatch;
    char **match; /* SKU globs (fnmatch syntax) */
    int nchecks;
    struct rules_check *checks;
    char *disposition[GRADE_X + 1]; /* indexed by enum grade; [GRADE_NONE] unused */
};

struct rules {
    char *version;
    int return_window_days; /* 7 when the file does not say */
    int ncategories;
    struct rules_category *categories;
};

/* The outcome of a filled checklist. Pointers point into the rules. */
struct grade_result {
    enum grade grade;
    enum grade aspect[ASPECT_COUNT];
    const char *disposition;
    enum responsibility responsibility;
    int ndefects;
    const char *defects[INSP_MAX_DEFECTS];
};

/*
 * Load and validate a rules file. On success returns 0 and *out owns the
 * rules (free with rules_free). On failure returns -1, *out is NULL and err
 * holds "E3xx: FILE:LINE: what is wrong".
 */
int rules_load_file(const char *path, struct rules **out, char *err, size_t errlen);

/* The same from a string; `name` stands for the file name in messages. */
int rules_load_string(const char *json, const char *name, struct rules **out, char *err,
                      size_t errlen);

/* The rules compiled into the binary: the demo station's three categories. */
extern const char rules_builtin_json[];

void rules_free(struct rules *rules); /* NULL is fine */

/* The first category (file order) with a glob matching `sku`, or NULL. */
const struct rules_category *rules_match(const struct rules *rules, const char *sku);

/* The category with this id, or NULL. */
const struct rules_category *rules_category(const struct rules *rules, const char *id);

/*
 * Grade a filled checklist. `answers[i]` is the index of the answer chosen for
 * check i of `cat` (all cat->nchecks of them). Pure; never fails.
 * Responsibility: the one named by the worst-graded answer that names one
 * (the first in file order among equals); RESP_NONE when no answer names one.
 */
void rules_grade(const struct rules_category *cat, const int *answers, struct grade_result *out);

#endif
